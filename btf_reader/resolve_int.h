/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * resolve_int: what the files of the kernel's resolve pass share (resolve.c,
 * the design note and the driver; resolve_kinds.c, each kind's resolve
 * callback; resolve_members.c, the member checks): the resolver's state, the
 * kernel's kind predicates, and the stack operations. A struct resolver belongs
 * to one call of check__resolve_chain(). Private to btf_reader/resolve*.c.
 */
#ifndef BTFENC_RESOLVE_INT_H
#define BTFENC_RESOLVE_INT_H

#include <stdint.h>
#include <bpf/btf.h>
#include <linux/btf.h>

#include "btf_reader/check_int.h"
#include "btf_reader/reader.h"
#include "util/diag.h"

#define MAX_RESOLVE_DEPTH	32	/* kernel/bpf/btf.c */
#define BITS_PER_U128		128

enum visit_state { NOT_VISITED, VISITED, RESOLVED };

enum resolve_mode { RESOLVE_TBD, RESOLVE_PTR, RESOLVE_STRUCT_OR_ARRAY };

struct vertex {
	const struct btf_type *t;
	uint32_t type_id;
	uint16_t next_member;
};

struct resolver {
	const struct btf_chain *c;
	const struct btf *btf;
	const struct diag *d;
	uint32_t nr_types;		/* void included */
	uint32_t ptr_size;
	uint8_t *visit_states;
	uint32_t *resolved_ids, *resolved_sizes;
	struct vertex stack[MAX_RESOLVE_DEPTH];
	unsigned int top_stack;
	enum resolve_mode resolve_mode;
	uint32_t log_type_id;		/* the type being resolved, for messages */
};

/* A kind btfenc does not know: a sink of no known size, nothing checked about it. */
#define KIND_UNKNOWN	MAX_KINDS

static inline unsigned int kind(const struct btf_type *t)
{
	if (!t)
		return KIND_UNKNOWN + 1;	/* no type: an ID past the chain */
	return reader__unknown_kind(t, NULL) ? KIND_UNKNOWN : btf_kind(t);
}

static inline int is_unknown(const struct btf_type *t)
{
	return t && kind(t) == KIND_UNKNOWN;
}

static inline const struct btf_type *type_by_id(const struct resolver *r, uint32_t id)
{
	return id < r->nr_types ? btf__type_by_id(r->btf, id) : NULL;
}

static inline int is_void(const struct btf_type *t)
{
	return t && kind(t) == BTF_KIND_UNKN;
}

static inline int is_modifier(const struct btf_type *t)
{
	return check__is_modifier_kind(kind(t));
}

static inline int is_ptr(const struct btf_type *t)
{
	return kind(t) == BTF_KIND_PTR;
}

static inline int is_struct(const struct btf_type *t)
{
	return kind(t) == BTF_KIND_STRUCT || kind(t) == BTF_KIND_UNION;
}

static inline int is_kind(const struct btf_type *t, unsigned int k)
{
	return t && kind(t) == k;
}

/* btf_type_nosize(): void, FWD, FUNC, FUNC_PROTO, DECL_TAG. */
static inline int nosize_or_null(const struct btf_type *t)
{
	return !t || is_void(t) || is_kind(t, BTF_KIND_FWD) || is_kind(t, BTF_KIND_FUNC) ||
	       is_kind(t, BTF_KIND_FUNC_PROTO) || is_kind(t, BTF_KIND_DECL_TAG);
}

/* btf_type_is_resolve_source_only(). */
static inline int source_only(const struct btf_type *t)
{
	return is_kind(t, BTF_KIND_VAR) || is_kind(t, BTF_KIND_DECL_TAG) ||
	       is_kind(t, BTF_KIND_DATASEC);
}

/* btf_type_needs_resolve(). */
static inline int needs_resolve(const struct btf_type *t)
{
	return is_modifier(t) || is_ptr(t) || is_struct(t) || is_kind(t, BTF_KIND_ARRAY) ||
	       is_kind(t, BTF_KIND_VAR) || is_kind(t, BTF_KIND_FUNC) ||
	       is_kind(t, BTF_KIND_DECL_TAG) || is_kind(t, BTF_KIND_DATASEC);
}

/* btf_type_has_size(). */
static inline int has_size(const struct btf_type *t)
{
	switch (kind(t)) {
	case BTF_KIND_INT:
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_ENUM:
	case BTF_KIND_DATASEC:
	case BTF_KIND_FLOAT:
	case BTF_KIND_ENUM64:
		return 1;
	}
	return 0;
}

/* env_type_is_resolved(): the flat BTF is not split, void is never resolved. */
static inline int is_resolved(const struct resolver *r, uint32_t id)
{
	return r->visit_states[id] == RESOLVED;
}

/*
 * The message of a refused type: one line, "LAYER: type ID N (kind): WHAT", the kernel's
 * words in WHAT, N the type being resolved. Returns -EINVAL.
 */
__attribute__((format(printf, 3, 4)))
int resolve__fail(const struct resolver *r, const struct btf_type *t, const char *fmt, ...);
/* The name of @t's kind, for messages ("unknown kind" for one btfenc does not know). */
const char *resolve__kind_name(const struct btf_type *t);
/* env_type_is_resolve_sink(): whether the vertex on top stops at @next. */
int resolve__is_sink(const struct resolver *r, const struct btf_type *next);
/*
 * env_stack_push(): 0, -E2BIG past MAX_RESOLVE_DEPTH, -EEXIST for a type on the stack or
 * resolved.
 */
int resolve__push(struct resolver *r, const struct btf_type *t, uint32_t id);
/* env_stack_pop_resolved(): the vertex on top resolves to @resolved_id, of @size bytes. */
void resolve__pop_resolved(struct resolver *r, uint32_t resolved_id, uint32_t size);
/* btf_type_id_resolve(): *@id becomes what it resolved to; that type, or NULL. */
const struct btf_type *resolve__id_resolve(const struct resolver *r, uint32_t *id);
/* btf_type_id_size(): the sized type *@id stands for (*@id and *@size updated), or NULL. */
const struct btf_type *resolve__id_size(const struct resolver *r, uint32_t *id, uint32_t *size);
/* Whether @id is, or a resolved modifier or VAR stands for, a kind btfenc does not know. */
int resolve__unknown_target(const struct resolver *r, uint32_t id);
/*
 * The member of struct @st of type ID @type at offset word @off (kind_flag @kflag): the
 * kernel's check_member callback of @type's kind (through modifiers by modifier_member()).
 * 0 or -EINVAL.
 */
int resolve__member(struct resolver *r, const struct btf_type *st, uint32_t type, uint32_t off,
		    int kflag);
/* The resolve callback of @v's kind (resolve_kinds.c): 0 or a negative errno. */
int resolve__vertex(struct resolver *r, struct vertex *v);

#endif
