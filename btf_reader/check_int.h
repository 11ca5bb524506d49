/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * check_int: what reader__check()'s two files share. Private to btf_reader/.
 *
 * check.c owns a layer's frame: the header, the string section, the walk
 * that copies the type section into native order and records where each
 * record starts, and the loop detection. check_kinds.c owns what one record
 * of each kind may hold (a table indexed by kind). Both report through
 * check__fail(), so every message has the same shape.
 *
 * Invariant once walk_types() in check.c has passed: c->offs[i] is the
 * offset of a whole record in c->types, in native byte order, and no
 * record's trailing data runs past the type section. A record of a kind
 * btfenc does not know (stepped over with a layout section, listed in
 * c->unknown) has only its struct btf_type in native order; no rule looks
 * past it. Every
 * function below relies on it. Thread-safety: a struct check belongs to one
 * call of reader__check().
 */
#ifndef BTFENC_CHECK_INT_H
#define BTFENC_CHECK_INT_H

#include <stddef.h>
#include <stdint.h>
#include <linux/btf.h>

#include "format.h"
#include "reader.h"

struct diag;
struct btf_layer;

/* What a layer is checked on: the layers below it, as far as they are known. */
struct check_base {
	uint32_t types;			/* type IDs below the layer, void included (1: a root) */
	uint32_t str_len;		/* string bytes below it */
	const char *strs;		/* those strings, concatenated, or NULL: unknown */
	const struct btf_layer *lower;	/* the layers below, for messages; may be NULL */
	size_t nlower;
	/* The layout section that steps over unknown kinds in a layer without
	 * one of its own (libbpf: split BTF uses its base's), or NULL. */
	const struct kind_layout *layout;
	uint32_t nr_layout;
};

/* A record of a kind btfenc does not know: where it is in the type section. */
struct unknown_rec {
	uint32_t off, len;
};

/* What check__layer() learnt about a layer that passed. */
struct check_scan {
	uint32_t nr_types;
	struct unknown_rec *unknown;	/* malloc'd (free()), in section order, or NULL */
	size_t nunknown;
	const struct kind_layout *layout;	/* the layer's own layout section (in its */
	uint32_t nr_layout;			/* bytes), or NULL */
};

/*
 * check__layer - reader__check() on @base, at @level.
 * @scan: if not NULL, filled when the layer passes (unknown is NULL otherwise).
 */
int check__layer(const void *data, size_t size, const struct check_base *base,
		 enum check_level level, const char *name, const struct diag *d,
		 struct check_scan *scan);

/* The 2026 info word (format.h): 7-bit kind, 24-bit vlen. */
#define KIND(t)		INFO_KIND((t)->info)

/* The kernel's btf_type_is_modifier(): typedef, volatile, const, restrict, type tag. */
static inline int check__is_modifier_kind(unsigned int kind)
{
	switch (kind) {
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
		return 1;
	}
	return 0;
}
#define VLEN(t)		INFO_VLEN((t)->info)
#define KFLAG(t)	INFO_KFLAG((t)->info)

/* What a name must be: the kernel wants C identifiers where C has them. */
enum name_rule {
	NAME_ANY,	/* INT, FLOAT: "long unsigned int" */
	NAME_NONE,	/* modifiers, ARRAY, FUNC_PROTO */
	NAME_SET,	/* tags: non-empty */
	NAME_SECTION,	/* DATASEC: non-empty, no control characters */
	NAME_IDENT,	/* struct, union, enum, members, params: none or an identifier */
	NAME_IDENT_SET,	/* FWD, TYPEDEF, FUNC, VAR, enumerators: an identifier */
};

/* One layer being checked. */
struct check {
	const char *name;
	const struct diag *d;
	uint32_t base_types;	/* first type ID of this layer */
	uint32_t base_str_len;	/* first absolute string offset of this layer */
	/* The lower layers' strings, concatenated, when a chain is being loaded (so
	 * references into them can be checked), and those layers for messages. */
	const char *base_strs;
	const struct btf_layer *lower;
	size_t nlower;
	int kernel_rules;	/* CHECK_KERNEL: only what the kernel refuses */
	const char *strs;	/* this layer's string section */
	uint32_t str_len;
	const struct kind_layout *layout;	/* this layer's layout section, or NULL */
	uint32_t nr_layout;			/* its entries */
	uint8_t *types;		/* the type section in native order */
	uint8_t *types_owned;	/* types, when it is a swapped copy */
	uint32_t *offs;		/* offset in types of each of this layer's records */
	size_t nr, cap;
	const struct kind_layout *base_layout;	/* check_base.layout */
	uint32_t nr_base_layout;
	struct unknown_rec *unknown;	/* records of kinds btfenc does not know */
	size_t nunknown, unknown_cap;
	/* Memos (the struct is passed const; these point at writable arrays): */
	struct check_size {
		long long size;			/* SIZE_UNKNOWN: not resolved yet */
		const struct btf_type *last;
	} *sizes;			/* check__resolve() from depth 0, per local type */
	uint8_t *ident_ok;		/* bit per string offset: a valid identifier */
};

#define SIZE_UNKNOWN	(-2LL)

static inline int check__is_root(const struct check *c)
{
	return c->base_str_len == 0;
}

/* Appended to messages about an ID or offset past the chain so far. */
static inline const char *check__base_hint(const struct check *c)
{
	return check__is_root(c) ? " (is its base missing?)" : " (built on another base?)";
}

/* This layer's record of @id, or NULL when @id is void or in a lower layer. */
static inline const struct btf_type *check__local_type(const struct check *c, uint32_t id)
{
	if (id < c->base_types || id - c->base_types >= c->nr)
		return NULL;
	return (const struct btf_type *)(c->types + c->offs[id - c->base_types]);
}

/*
 * check__fail - write one message and return -EINVAL.
 * The message is "NAME: type ID @id (kind): what" for a record @t, or
 * "NAME: what" when @t is NULL (the layer itself).
 */
__attribute__((format(printf, 4, 5)))
int check__fail(const struct check *c, uint32_t id, const struct btf_type *t, const char *fmt,
		...);

/*
 * check__name - the name at @off of record @id itself (@part "") or of one
 * of its parts (@part "member 2: "): inside the chain's strings and as
 * @rule wants. A name in a lower layer is checked only for its range.
 * Returns 0 or -EINVAL (after check__fail()).
 */
int check__name(const struct check *c, uint32_t id, const struct btf_type *t, const char *part,
		uint32_t off, enum name_rule rule);
/* check__name_ok - 1 when check__name() would pass, without any message. */
int check__name_ok(const struct check *c, uint32_t off, enum name_rule rule);

/*
 * check__int_is_regular - the kernel's btf_type_int_is_regular(): an INT of 8, 16, 32,
 * 64 or 128 bits at bit offset 0, what kind_flag members and arrays may use. One rule
 * for reader__check() (check_kinds.c) and the resolve pass (resolve*.c).
 */
static inline int check__int_is_regular(const struct btf_type *t)
{
	uint32_t data = *(const uint32_t *)(t + 1);
	uint8_t nr_bits = (uint8_t)BTF_INT_BITS(data), nr_bytes = (uint8_t)((nr_bits + 7) / 8);

	return !(nr_bits % 8) && !BTF_INT_OFFSET(data) &&
	       (nr_bytes == 1 || nr_bytes == 2 || nr_bytes == 4 || nr_bytes == 8 ||
		nr_bytes == 16);
}

/* check__kind_str - the name of @t's kind, "unknown kind" for a kind BTF lacks. */
const char *check__kind_str(const struct btf_type *t);

/*
 * check__resolve - size in bytes of @id after modifiers and typedefs,
 * following at most libbpf's 32 of them counting from @depth.
 * *@last gets the type reached, NULL when the way leaves this layer.
 * Returns the size, or -1 when it is unknown (leaves the layer, a pointer,
 * a type without size, too deep).
 */
long long check__resolve(const struct check *c, uint32_t id, int depth,
			 const struct btf_type **last);

/*
 * check__type - the rules for record @id alone: kind_flag and vlen as its
 * kind permits, referred IDs inside the chain so far, its name, and its
 * kind's own rules; for a kind btfenc does not know, check__structure()'s.
 * Returns 0 or -EINVAL.
 */
int check__type(const struct check *c, uint32_t id, struct btf_type *t);

/*
 * check__libbpf_vlen - 0, or -ENOTSUP after a message when record @id is of
 * a kind whose vlen counts elements and that vlen needs more than the 16
 * bits libbpf 1.1.2 reads (walk_types() has sized it with 24).
 */
int check__libbpf_vlen(const struct check *c, uint32_t id, const struct btf_type *t);

/*
 * check__structure - what readers of the record rely on, no more: vlen
 * where a kind has none, referred IDs inside the chain so far,
 * every name offset (the record's and its parts') inside the chain's strings
 * and at the start of a lower layer's string. Returns 0 or -EINVAL.
 */
int check__structure(const struct check *c, uint32_t id, struct btf_type *t);

/*
 * check__resolve_chain - the kernel's resolve pass (btf_check_all_types() in
 * kernel/bpf/btf.c) on the flat BTF of @c, every layer of which passed
 * check__layer() at CHECK_FULL: every member, element, argument, return,
 * variable, pointer and modifier type resolved in ID order as the kernel
 * resolves the layers concatenated, and each member checked against its
 * struct's size by the kind it resolves to (resolve.c). Returns 0, -EINVAL
 * after one message "LAYER: type ID N (kind): what", or -ENOMEM.
 */
struct btf_chain;
int check__resolve_chain(const struct btf_chain *c, const struct diag *d);

#endif
