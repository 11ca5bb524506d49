// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel's resolve pass on a whole chain (contract in check_int.h,
 * check__resolve_chain()).
 *
 * Problem: reader__check() checks one layer at a time and follows a
 * reference only while it stays in that layer, so the rules that depend on
 * what a member, element, argument or pointer resolves to (its kind, its
 * size) were approximations: a pointer member was never bounds-checked, a
 * 128-bit INT member at bit 1 passed, a member whose type lives in the base
 * was not checked at all, a TYPEDEF of void passed as a member's type. Each
 * such blob the kernel refuses, and the printers then met shapes nothing
 * had promised them.
 *
 * What the kernel does (kernel/bpf/btf.c, Linux 6.1 to 6.12 alike): after
 * the per-record checks, btf_check_all_types() visits every type in ID
 * order and resolves each that needs it (btf_type_needs_resolve()) with an
 * explicit stack of at most MAX_RESOLVE_DEPTH vertices (btf_resolve(),
 * env_stack_push()); each kind's resolve callback either pushes a type it
 * depends on and returns, to be called again later, or records a resolved
 * ID and size (env_stack_pop_resolved()). Where it stops following depends
 * on the resolve mode the first pushed vertex chose (env_type_is_resolve_sink():
 * a pointer stops at anything but a modifier or pointer, a struct or array
 * at anything but a modifier, array or struct), and what a type resolves to
 * then depends on the ID order (a pointer to a later FUNC is refused, to an
 * earlier one it is not). So no rule written from the outside matches it:
 * this file ports the pass itself, callback for callback, on the chain
 * flattened into one BTF with IDs as BPF_BTF_LOAD sees the layers
 * concatenated; each function names the kernel function it follows.
 *
 * Differences, on purpose: the size of a pointer is the BTF's own
 * (btf__pointer_size(): its `long` INT), the running kernel's sizeof(void *)
 * only when the BTF does not say; DATASEC entries that are not VARs (BPF
 * objects' FUNC entries, which reader__check() lets pass) are stepped over,
 * verify reports them; a record of a kind btfenc does not know is a sink
 * with nothing checked about it.
 *
 * Invariant: runs only on a chain whose every layer passed check__layer()
 * at CHECK_FULL: every ID is in range, every record whole, and every
 * check_meta rule of the kernel holds.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
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

static unsigned int kind(const struct btf_type *t)
{
	if (!t)
		return KIND_UNKNOWN + 1;	/* no type: an ID past the chain */
	return reader__unknown_kind(t, NULL) ? KIND_UNKNOWN : btf_kind(t);
}

static int is_unknown(const struct btf_type *t)
{
	return t && kind(t) == KIND_UNKNOWN;
}

static const struct btf_type *type_by_id(const struct resolver *r, uint32_t id)
{
	return id < r->nr_types ? btf__type_by_id(r->btf, id) : NULL;
}

static int is_void(const struct btf_type *t)
{
	return t && kind(t) == BTF_KIND_UNKN;
}

static int is_modifier(const struct btf_type *t)
{
	switch (kind(t)) {
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
		return 1;
	}
	return 0;
}

static int is_ptr(const struct btf_type *t)
{
	return kind(t) == BTF_KIND_PTR;
}

static int is_struct(const struct btf_type *t)
{
	return kind(t) == BTF_KIND_STRUCT || kind(t) == BTF_KIND_UNION;
}

static int is_kind(const struct btf_type *t, unsigned int k)
{
	return t && kind(t) == k;
}

/* btf_type_nosize(): void, FWD, FUNC, FUNC_PROTO, DECL_TAG. */
static int nosize_or_null(const struct btf_type *t)
{
	return !t || is_void(t) || is_kind(t, BTF_KIND_FWD) || is_kind(t, BTF_KIND_FUNC) ||
	       is_kind(t, BTF_KIND_FUNC_PROTO) || is_kind(t, BTF_KIND_DECL_TAG);
}

/* btf_type_is_resolve_source_only(). */
static int source_only(const struct btf_type *t)
{
	return is_kind(t, BTF_KIND_VAR) || is_kind(t, BTF_KIND_DECL_TAG) ||
	       is_kind(t, BTF_KIND_DATASEC);
}

/* btf_type_needs_resolve(). */
static int needs_resolve(const struct btf_type *t)
{
	return is_modifier(t) || is_ptr(t) || is_struct(t) || is_kind(t, BTF_KIND_ARRAY) ||
	       is_kind(t, BTF_KIND_VAR) || is_kind(t, BTF_KIND_FUNC) ||
	       is_kind(t, BTF_KIND_DECL_TAG) || is_kind(t, BTF_KIND_DATASEC);
}

/* btf_type_has_size(). */
static int has_size(const struct btf_type *t)
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

/* The layer type @id belongs to, for messages. */
static const char *layer_of(const struct resolver *r, uint32_t id)
{
	size_t i = r->c->nlayers;

	while (i > 1 && id < r->c->layers[i - 1].start_id)
		i--;
	return r->c->layers[i - 1].path;
}

static const char *kind_name(const struct btf_type *t)
{
	static const char *const names[] = {
		"void", "int", "ptr", "array", "struct", "union", "enum", "fwd", "typedef",
		"volatile", "const", "restrict", "func", "func_proto", "var", "datasec",
		"float", "decl_tag", "type_tag", "enum64",
	};

	return kind(t) < sizeof(names) / sizeof(names[0]) ? names[kind(t)] : "unknown kind";
}

/* One line, "LAYER: type ID N (kind): WHAT", the kernel's words in WHAT; -EINVAL. */
__attribute__((format(printf, 3, 4)))
static int fail(const struct resolver *r, const struct btf_type *t, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	diag__err(r->d, "%s: type ID %u (%s): %s", layer_of(r, r->log_type_id), r->log_type_id,
		  kind_name(t), what);
	return -EINVAL;
}

/* env_type_is_resolve_sink() */
static int is_sink(const struct resolver *r, const struct btf_type *next)
{
	switch (r->resolve_mode) {
	case RESOLVE_TBD:
		return !needs_resolve(next);
	case RESOLVE_PTR:
		return !is_modifier(next) && !is_ptr(next);
	default:
		return !is_modifier(next) && !is_kind(next, BTF_KIND_ARRAY) && !is_struct(next);
	}
}

/* env_type_is_resolved(): the flat BTF is not split, void is never resolved. */
static int is_resolved(const struct resolver *r, uint32_t id)
{
	return r->visit_states[id] == RESOLVED;
}

/* env_stack_push(): -E2BIG past the depth, -EEXIST for a type on the stack or resolved. */
static int stack_push(struct resolver *r, const struct btf_type *t, uint32_t id)
{
	struct vertex *v;

	if (r->top_stack == MAX_RESOLVE_DEPTH)
		return -E2BIG;
	if (r->visit_states[id] != NOT_VISITED)
		return -EEXIST;
	r->visit_states[id] = VISITED;
	v = &r->stack[r->top_stack++];
	*v = (struct vertex){ .t = t, .type_id = id };
	if (r->resolve_mode == RESOLVE_TBD) {
		if (is_ptr(t))
			r->resolve_mode = RESOLVE_PTR;
		else if (is_struct(t) || is_kind(t, BTF_KIND_ARRAY))
			r->resolve_mode = RESOLVE_STRUCT_OR_ARRAY;
	}
	return 0;
}

/* env_stack_pop_resolved() */
static void stack_pop_resolved(struct resolver *r, uint32_t resolved_id, uint32_t size)
{
	uint32_t id = r->stack[--r->top_stack].type_id;

	r->resolved_sizes[id] = size;
	r->resolved_ids[id] = resolved_id;
	r->visit_states[id] = RESOLVED;
}

/* btf_type_id_resolve() */
static const struct btf_type *id_resolve(const struct resolver *r, uint32_t *id)
{
	*id = r->resolved_ids[*id];
	return type_by_id(r, *id);
}

/* btf_type_id_size(): the sized type @*id stands for, or NULL; a pointer's size is ptr_size. */
static const struct btf_type *id_size(const struct resolver *r, uint32_t *id, uint32_t *size)
{
	const struct btf_type *t = type_by_id(r, *id);
	uint32_t sid = *id, sz;

	if (nosize_or_null(t) || is_unknown(t))
		return NULL;
	if (has_size(t)) {
		sz = t->size;
	} else if (is_kind(t, BTF_KIND_ARRAY)) {
		sz = r->resolved_sizes[sid];
	} else if (is_ptr(t)) {
		sz = r->ptr_size;
	} else {
		if (!is_modifier(t) && !is_kind(t, BTF_KIND_VAR))
			return NULL;
		sid = r->resolved_ids[sid];
		t = type_by_id(r, sid);
		if (nosize_or_null(t) || is_unknown(t))
			return NULL;
		else if (has_size(t))
			sz = t->size;
		else if (is_kind(t, BTF_KIND_ARRAY))
			sz = r->resolved_sizes[sid];
		else if (is_ptr(t))
			sz = r->ptr_size;
		else
			return NULL;
	}
	*id = sid;
	if (size)
		*size = sz;
	return t;
}

/* @id is, or a resolved modifier or VAR stands for, a kind btfenc does not know. */
static int unknown_target(const struct resolver *r, uint32_t id)
{
	const struct btf_type *t = type_by_id(r, id);

	if ((is_modifier(t) || is_kind(t, BTF_KIND_VAR)) && is_resolved(r, id))
		t = type_by_id(r, r->resolved_ids[id]);
	return is_unknown(t);
}

/*
 * Members. The kernel's check_member and check_kflag_member callbacks, by
 * the kind of the member's type; @type is the member's type ID (resolved
 * through modifiers by modifier_member()), @off its offset word.
 */
static int check_member(struct resolver *r, const struct btf_type *st, uint32_t type,
			uint32_t off, int kflag);

/* btf_int_check_member() and btf_int_check_kflag_member() */
static int int_member(struct resolver *r, const struct btf_type *st, const struct btf_type *mt,
		      uint32_t off, int kflag)
{
	uint32_t data = *(const uint32_t *)(mt + 1), bits_off, nr_bits, bytes_off, copy_bits;

	if (kflag) {
		if (!check__int_is_regular(mt))
			return fail(r, st, "kind_flag member of an irregular int (the kernel's "
				    "\"Invalid member base type\")");
		nr_bits = BTF_MEMBER_BITFIELD_SIZE(off);
		bits_off = BTF_MEMBER_BIT_OFFSET(off);
		if (!nr_bits) {
			if (bits_off % 8)
				return fail(r, st, "member at bit %u, not byte aligned", bits_off);
			nr_bits = BTF_INT_BITS(data);
		} else if (nr_bits > BTF_INT_BITS(data)) {
			return fail(r, st, "bitfield of %u bits in an int of %u", nr_bits,
				    BTF_INT_BITS(data));
		}
	} else {
		if (UINT32_MAX - off < BTF_INT_OFFSET(data))
			return fail(r, st, "member bit offset %u + int offset %u exceeds 32 bits",
				    off, BTF_INT_OFFSET(data));
		bits_off = off + BTF_INT_OFFSET(data);
		nr_bits = BTF_INT_BITS(data);
	}
	bytes_off = bits_off / 8;
	copy_bits = nr_bits + bits_off % 8;
	if (copy_bits > BITS_PER_U128)
		return fail(r, st, "int member at bit %u: %u bits to copy, more than 128",
			    bits_off, copy_bits);
	if (st->size < bytes_off || st->size - bytes_off < (copy_bits + 7) / 8)
		return fail(r, st, "int member at bit %u of %u bits ends past size %u", bits_off,
			    nr_bits, st->size);
	return 0;
}

/* btf_enum_check_member() and btf_enum_check_kflag_member(): a 32-bit int's room with kind_flag. */
static int enum_member(struct resolver *r, const struct btf_type *st, const struct btf_type *mt,
		       uint32_t off, int kflag)
{
	uint32_t bits_off = kflag ? BTF_MEMBER_BIT_OFFSET(off) : off, nr_bits;

	if (!kflag || !BTF_MEMBER_BITFIELD_SIZE(off)) {
		if (bits_off % 8)
			return fail(r, st, "member at bit %u, not byte aligned", bits_off);
	}
	if (!kflag) {
		if (st->size - bits_off / 8 < mt->size)
			return fail(r, st, "member at bit %u of %u bytes ends past size %u",
				    bits_off, mt->size, st->size);
		return 0;
	}
	nr_bits = BTF_MEMBER_BITFIELD_SIZE(off) ? BTF_MEMBER_BITFIELD_SIZE(off) : 32;
	if (nr_bits > 32)
		return fail(r, st, "bitfield of %u bits in an enum (the kernel takes 32)",
			    nr_bits);
	if (st->size < (bits_off + nr_bits + 7) / 8)
		return fail(r, st, "enum member at bit %u of %u bits ends past size %u", bits_off,
			    nr_bits, st->size);
	return 0;
}

/*
 * btf_ptr_check_member(), btf_array_check_member(), btf_struct_check_member():
 * byte aligned, @size bytes of room from the member's byte on (the kernel's
 * unsigned subtraction: a member starting past the end wraps and passes,
 * which btf_struct_check_meta() has refused already).
 */
static int sized_member(struct resolver *r, const struct btf_type *st, uint32_t off,
			uint32_t size)
{
	if (off % 8)
		return fail(r, st, "member at bit %u, not byte aligned", off);
	if (st->size - off / 8 < size)
		return fail(r, st, "member at byte %u of %u bytes ends past size %u", off / 8,
			    size, st->size);
	return 0;
}

/* btf_float_check_member(): aligned to min(pointer size, its size). */
static int float_member(struct resolver *r, const struct btf_type *st, const struct btf_type *mt,
			uint32_t off)
{
	uint64_t align_bits = (uint64_t)(mt->size < r->ptr_size ? mt->size : r->ptr_size) * 8;

	if (align_bits && off % align_bits)
		return fail(r, st, "float member at bit %u, not aligned to %llu bits", off,
			    (unsigned long long)align_bits);
	if ((uint64_t)off / 8 + mt->size > st->size)
		return fail(r, st, "member at byte %u of %u bytes ends past size %u", off / 8,
			    mt->size, st->size);
	return 0;
}

/* btf_modifier_check_member() and its kflag twin: the type the modifier resolved to. */
static int modifier_member(struct resolver *r, const struct btf_type *st, uint32_t type,
			   uint32_t off, int kflag)
{
	uint32_t id = type;

	if (!id_size(r, &id, NULL))
		return unknown_target(r, type) ? 0 :
		       fail(r, st, "member of type ID %u, which resolves to no size", type);
	return check_member(r, st, id, off, kflag);
}

static int check_member(struct resolver *r, const struct btf_type *st, uint32_t type,
			uint32_t off, int kflag)
{
	const struct btf_type *mt = type_by_id(r, type);
	uint32_t size = 0, id = type;

	if (is_modifier(mt))
		return modifier_member(r, st, type, off, kflag);
	if (is_kind(mt, BTF_KIND_INT))
		return int_member(r, st, mt, off, kflag);
	if (is_kind(mt, BTF_KIND_ENUM) || is_kind(mt, BTF_KIND_ENUM64))
		return enum_member(r, st, mt, off, kflag);
	if (is_unknown(mt))
		return 0;
	/* btf_generic_check_kflag_member(): no bitfield, then the plain callback. */
	if (kflag && BTF_MEMBER_BITFIELD_SIZE(off))
		return fail(r, st, "bitfield of a %s", kind_name(mt));
	if (kflag)
		off = BTF_MEMBER_BIT_OFFSET(off);
	if (is_ptr(mt))
		return sized_member(r, st, off, r->ptr_size);
	if (is_kind(mt, BTF_KIND_ARRAY)) {
		id_size(r, &id, &size);
		return sized_member(r, st, off, size);
	}
	if (is_struct(mt))
		return sized_member(r, st, off, mt->size);
	if (is_kind(mt, BTF_KIND_FLOAT))
		return float_member(r, st, mt, off);
	return fail(r, st, "member of a %s (the kernel's \"Unsupported check_member\")",
		    kind_name(mt));
}

/* btf_modifier_resolve() */
static int modifier_resolve(struct resolver *r, const struct vertex *v)
{
	uint32_t next_id = v->t->type;
	const struct btf_type *next = type_by_id(r, next_id);

	if (!next || source_only(next))
		return fail(r, v->t, "refers to type ID %u, a %s", next_id, kind_name(next));
	if (!is_sink(r, next) && !is_resolved(r, next_id))
		return stack_push(r, next, next_id);
	if (!id_size(r, &next_id, NULL)) {
		if (is_resolved(r, next_id))
			next = id_resolve(r, &next_id);
		/* "typedef void new_void", "const void"... */
		if (!is_void(next) && !is_kind(next, BTF_KIND_FWD) &&
		    !is_kind(next, BTF_KIND_FUNC_PROTO) && !is_unknown(next))
			return fail(r, v->t, "refers to type ID %u, which resolves to a %s",
				    v->t->type, kind_name(next));
	}
	stack_pop_resolved(r, next_id, 0);
	return 0;
}

/*
 * btf_ptr_resolve() and btf_var_resolve(): as a modifier, but past a
 * modifier that stopped at a pointer, that pointer is followed too (it may
 * lead back here); a VAR wants a size where a pointer takes void, a FWD or
 * a FUNC_PROTO.
 */
static int ptr_or_var_resolve(struct resolver *r, const struct vertex *v)
{
	uint32_t next_id = v->t->type, rid;
	const struct btf_type *next = type_by_id(r, next_id), *resolved;
	int var = is_kind(v->t, BTF_KIND_VAR);

	if (!next || source_only(next))
		return fail(r, v->t, "refers to type ID %u, a %s", next_id, kind_name(next));
	if (!is_sink(r, next) && !is_resolved(r, next_id))
		return stack_push(r, next, next_id);
	if (is_modifier(next)) {
		rid = next_id;
		resolved = id_resolve(r, &rid);
		if (is_ptr(resolved) && !is_sink(r, resolved) && !is_resolved(r, rid))
			return stack_push(r, resolved, rid);
	}
	if (!id_size(r, &next_id, NULL) && !unknown_target(r, next_id)) {
		if (var)
			return fail(r, v->t, "type ID %u has no size", v->t->type);
		if (is_resolved(r, next_id))
			next = id_resolve(r, &next_id);
		if (!is_void(next) && !is_kind(next, BTF_KIND_FWD) &&
		    !is_kind(next, BTF_KIND_FUNC_PROTO))
			return fail(r, v->t, "points to type ID %u, which resolves to a %s",
				    v->t->type, kind_name(next));
	}
	stack_pop_resolved(r, next_id, 0);
	return 0;
}

/* btf_array_resolve() */
static int array_resolve(struct resolver *r, const struct vertex *v)
{
	const struct btf_array *a = btf_array(v->t);
	uint32_t index_id = a->index_type, elem_id = a->type, elem_size;
	const struct btf_type *index = type_by_id(r, index_id), *elem;

	if (nosize_or_null(index) || source_only(index))
		return fail(r, v->t, "index type ID %u has no size", index_id);
	if (!is_sink(r, index) && !is_resolved(r, index_id))
		return stack_push(r, index, index_id);
	if (unknown_target(r, index_id) || unknown_target(r, elem_id)) {
		stack_pop_resolved(r, elem_id, 0);
		return 0;
	}
	index = id_size(r, &index_id, NULL);
	if (!index || !is_kind(index, BTF_KIND_INT) || !check__int_is_regular(index))
		return fail(r, v->t, "index type ID %u is not a regular int", a->index_type);
	elem = type_by_id(r, elem_id);
	if (nosize_or_null(elem) || source_only(elem))
		return fail(r, v->t, "element type ID %u has no size", elem_id);
	if (!is_sink(r, elem) && !is_resolved(r, elem_id))
		return stack_push(r, elem, elem_id);
	elem = id_size(r, &elem_id, &elem_size);
	if (!elem)
		return fail(r, v->t, "element type ID %u has no size", a->type);
	if (is_kind(elem, BTF_KIND_INT) && !check__int_is_regular(elem))
		return fail(r, v->t, "array of an irregular int");
	if (a->nelems && elem_size > UINT32_MAX / a->nelems)
		return fail(r, v->t, "%u elements of %u bytes overflow 32 bits", a->nelems,
			    elem_size);
	stack_pop_resolved(r, elem_id, elem_size * a->nelems);
	return 0;
}

/* btf_struct_resolve(): each member's type resolved before it is checked. */
static int struct_resolve(struct resolver *r, struct vertex *v)
{
	const struct btf_member *m = btf_members(v->t);
	int kflag = btf_kflag(v->t), err;
	uint16_t i;

	if (v->next_member) {
		err = check_member(r, v->t, m[v->next_member - 1].type,
				   m[v->next_member - 1].offset, kflag);
		if (err)
			return err;
	}
	for (i = v->next_member; i < btf_vlen(v->t); i++) {
		const struct btf_type *mt = type_by_id(r, m[i].type);

		if (nosize_or_null(mt) || source_only(mt))
			return fail(r, v->t, "member %u: type ID %u is a %s, which has no size", i,
				    m[i].type, kind_name(mt));
		if (!is_sink(r, mt) && !is_resolved(r, m[i].type)) {
			v->next_member = (uint16_t)(i + 1);
			return stack_push(r, mt, m[i].type);
		}
		err = check_member(r, v->t, m[i].type, m[i].offset, kflag);
		if (err)
			return err;
	}
	stack_pop_resolved(r, 0, 0);
	return 0;
}

/* btf_func_check(): a FUNC_PROTO whose arguments have names. */
static int func_check(const struct resolver *r, const struct btf_type *t)
{
	const struct btf_type *proto = type_by_id(r, t->type);
	uint16_t i;

	if (!is_kind(proto, BTF_KIND_FUNC_PROTO))
		return fail(r, t, "type ID %u is not a func_proto", t->type);
	for (i = 0; i < btf_vlen(proto); i++)
		if (!btf_params(proto)[i].name_off && btf_params(proto)[i].type)
			return fail(r, t, "argument %u has no name", i + 1);
	return 0;
}

/* btf_datasec_resolve(): each VAR resolved, as large as its entry. */
static int datasec_resolve(struct resolver *r, struct vertex *v)
{
	const struct btf_var_secinfo *vsi = btf_var_secinfos(v->t);
	uint32_t type_id, type_size;
	uint16_t i;

	r->resolve_mode = RESOLVE_TBD;
	for (i = v->next_member; i < btf_vlen(v->t); i++) {
		const struct btf_type *var = type_by_id(r, vsi[i].type);

		if (!is_kind(var, BTF_KIND_VAR))
			continue;	/* reader__check() lets BPF objects' FUNCs pass */
		if (!is_sink(r, var) && !is_resolved(r, vsi[i].type)) {
			v->next_member = (uint16_t)(i + 1);
			return stack_push(r, var, vsi[i].type);
		}
		type_id = var->type;
		type_size = 0;
		if (!id_size(r, &type_id, &type_size))
			return fail(r, v->t, "entry %u: its var has no size", i);
		if (vsi[i].size < type_size)
			return fail(r, v->t, "entry %u: size %u smaller than its var (%u)", i,
				    vsi[i].size, type_size);
	}
	stack_pop_resolved(r, 0, 0);
	return 0;
}

/* btf_decl_tag_resolve() */
static int decl_tag_resolve(struct resolver *r, const struct vertex *v)
{
	uint32_t next_id = v->t->type, vlen;
	const struct btf_type *next = type_by_id(r, next_id);
	int32_t idx = btf_decl_tag(v->t)->component_idx;

	if (!next || !(is_kind(next, BTF_KIND_FUNC) || is_struct(next) ||
		       is_kind(next, BTF_KIND_VAR) || is_kind(next, BTF_KIND_TYPEDEF) ||
		       is_unknown(next)))
		return fail(r, v->t, "tags type ID %u, a %s", next_id, kind_name(next));
	if (!is_sink(r, next) && !is_resolved(r, next_id))
		return stack_push(r, next, next_id);
	if (idx != -1 && !is_unknown(next)) {
		if (is_kind(next, BTF_KIND_VAR) || is_kind(next, BTF_KIND_TYPEDEF))
			return fail(r, v->t, "component_idx %d on a %s", idx, kind_name(next));
		if (!is_struct(next))
			next = type_by_id(r, next->type);
		vlen = next ? btf_vlen(next) : 0;
		if ((uint32_t)idx >= vlen)
			return fail(r, v->t, "component_idx %d past %u members or arguments", idx,
				    vlen);
	}
	stack_pop_resolved(r, next_id, 0);
	return 0;
}

static int resolve_vertex(struct resolver *r, struct vertex *v)
{
	const struct btf_type *t = v->t;

	if (is_modifier(t))
		return modifier_resolve(r, v);
	if (is_ptr(t) || is_kind(t, BTF_KIND_VAR))
		return ptr_or_var_resolve(r, v);
	if (is_kind(t, BTF_KIND_ARRAY))
		return array_resolve(r, v);
	if (is_struct(t))
		return struct_resolve(r, v);
	if (is_kind(t, BTF_KIND_DATASEC))
		return datasec_resolve(r, v);
	if (is_kind(t, BTF_KIND_DECL_TAG))
		return decl_tag_resolve(r, v);
	if (is_kind(t, BTF_KIND_FUNC)) {
		int err = func_check(r, t);

		if (!err)
			stack_pop_resolved(r, t->type, 0);
		return err;
	}
	return fail(r, t, "cannot be resolved (the kernel's \"Unsupported resolve\")");
}

/* btf_resolve_valid(): the final sanity check of a resolved type. */
static int resolve_valid(const struct resolver *r, const struct btf_type *t, uint32_t id)
{
	const struct btf_type *elem;
	uint32_t rid = id, elem_id, elem_size;

	if (!is_resolved(r, id))
		return 0;
	if (is_struct(t) || is_kind(t, BTF_KIND_DATASEC))
		return !r->resolved_ids[id] && !r->resolved_sizes[id];
	if (is_kind(t, BTF_KIND_DECL_TAG) || is_kind(t, BTF_KIND_FUNC))
		return r->resolved_ids[id] && !r->resolved_sizes[id];
	if (is_modifier(t) || is_ptr(t) || is_kind(t, BTF_KIND_VAR)) {
		t = id_resolve(r, &rid);
		return t && !is_modifier(t) && !is_kind(t, BTF_KIND_VAR) &&
		       !is_kind(t, BTF_KIND_DATASEC);
	}
	if (is_kind(t, BTF_KIND_ARRAY)) {
		elem_id = btf_array(t)->type;
		elem = id_size(r, &elem_id, &elem_size);
		return elem && !is_modifier(elem) &&
		       btf_array(t)->nelems * elem_size == r->resolved_sizes[id];
	}
	return 0;
}

/* btf_resolve() */
static int resolve(struct resolver *r, const struct btf_type *t, uint32_t id)
{
	uint32_t saved = r->log_type_id;
	int err;

	r->resolve_mode = RESOLVE_TBD;
	err = stack_push(r, t, id);
	while (!err && r->top_stack) {
		r->log_type_id = r->stack[r->top_stack - 1].type_id;
		err = resolve_vertex(r, &r->stack[r->top_stack - 1]);
	}
	r->log_type_id = id;
	if (err == -E2BIG)
		err = fail(r, t, "more than %d types to resolve at once (the kernel's "
			   "\"Exceeded max resolving depth\")", MAX_RESOLVE_DEPTH);
	else if (err == -EEXIST)
		err = fail(r, t, "reference loop (the kernel's \"Loop detected\")");
	else if (!err && !resolve_valid(r, t, id))
		err = fail(r, t, "resolves to nothing valid (the kernel's "
			   "\"Invalid resolve state\")");
	r->top_stack = 0;
	r->log_type_id = saved;
	return err;
}

/* btf_func_proto_check(): a return type and arguments with a size, resolved first. */
static int func_proto_check(struct resolver *r, const struct btf_type *t)
{
	const struct btf_param *args = btf_params(t);
	uint16_t nr_args = btf_vlen(t), i;
	uint32_t id;
	int err;

	if (t->type) {
		const struct btf_type *ret = type_by_id(r, t->type);

		id = t->type;
		if (!ret || source_only(ret))
			return fail(r, t, "return type ID %u is a %s", id, kind_name(ret));
		if (needs_resolve(ret) && !is_resolved(r, id) && (err = resolve(r, ret, id)))
			return err;
		if (!id_size(r, &id, NULL) && !unknown_target(r, t->type))
			return fail(r, t, "return type ID %u has no size", t->type);
	}
	if (nr_args && !args[nr_args - 1].type)
		nr_args--;	/* "...": its name was checked with the record */
	for (i = 0; i < nr_args; i++) {
		const struct btf_type *arg = type_by_id(r, args[i].type);

		id = args[i].type;
		if (!arg || source_only(arg))
			return fail(r, t, "argument %u: type ID %u is a %s", i + 1, id,
				    kind_name(arg));
		if (needs_resolve(arg) && !is_resolved(r, id) && (err = resolve(r, arg, id)))
			return err;
		if (!id_size(r, &id, NULL) && !unknown_target(r, args[i].type))
			return fail(r, t, "argument %u: type ID %u has no size", i + 1,
				    args[i].type);
	}
	return 0;
}

int check__resolve_chain(const struct btf_chain *c, const struct diag *d)
{
	struct resolver r = { .c = c, .btf = c->flat, .d = d,
			      .nr_types = btf__type_cnt(c->flat) };
	const struct btf_type *t;
	uint32_t id;
	int err = -ENOMEM;

	r.ptr_size = (uint32_t)btf__pointer_size(c->flat);
	if (!r.ptr_size)
		r.ptr_size = sizeof(void *);
	r.visit_states = calloc(r.nr_types, sizeof(*r.visit_states));
	r.resolved_ids = calloc(r.nr_types, sizeof(*r.resolved_ids));
	r.resolved_sizes = calloc(r.nr_types, sizeof(*r.resolved_sizes));
	if (!r.visit_states || !r.resolved_ids || !r.resolved_sizes)
		goto out;
	err = 0;
	/* btf_check_all_types() */
	for (id = 1; id < r.nr_types && !err; id++) {
		t = type_by_id(&r, id);
		r.log_type_id = id;
		if (needs_resolve(t) && !is_resolved(&r, id))
			err = resolve(&r, t, id);
		if (!err && is_kind(t, BTF_KIND_FUNC_PROTO))
			err = func_proto_check(&r, t);
	}
out:
	free(r.visit_states);
	free(r.resolved_ids);
	free(r.resolved_sizes);
	return err;
}
