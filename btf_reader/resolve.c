// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel's resolve pass on a whole chain (contract in check_int.h,
 * check__resolve_chain()). This file: the design note, the messages, the
 * stack of vertices and the driver; resolve_kinds.c holds each kind's
 * resolve callback, resolve_members.c the member checks, resolve_int.h what
 * they share.
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

#include "btf_reader/resolve_int.h"

/* The layer type @id belongs to, for messages. */
static const char *layer_of(const struct resolver *r, uint32_t id)
{
	size_t i = r->c->nlayers;

	while (i > 1 && id < r->c->layers[i - 1].start_id)
		i--;
	return r->c->layers[i - 1].path;
}

const char *resolve__kind_name(const struct btf_type *t)
{
	static const char *const names[] = {
		"void", "int", "ptr", "array", "struct", "union", "enum", "fwd", "typedef",
		"volatile", "const", "restrict", "func", "func_proto", "var", "datasec",
		"float", "decl_tag", "type_tag", "enum64",
	};

	return kind(t) < sizeof(names) / sizeof(names[0]) ? names[kind(t)] : "unknown kind";
}

/* One line, "LAYER: type ID N (kind): WHAT", the kernel's words in WHAT; -EINVAL. */
int resolve__fail(const struct resolver *r, const struct btf_type *t, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	diag__err(r->d, "%s: type ID %u (%s): %s", layer_of(r, r->log_type_id), r->log_type_id,
		  resolve__kind_name(t), what);
	return -EINVAL;
}

/* env_type_is_resolve_sink() */
int resolve__is_sink(const struct resolver *r, const struct btf_type *next)
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

/* env_stack_push(): -E2BIG past the depth, -EEXIST for a type on the stack or resolved. */
int resolve__push(struct resolver *r, const struct btf_type *t, uint32_t id)
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
void resolve__pop_resolved(struct resolver *r, uint32_t resolved_id, uint32_t size)
{
	uint32_t id = r->stack[--r->top_stack].type_id;

	r->resolved_sizes[id] = size;
	r->resolved_ids[id] = resolved_id;
	r->visit_states[id] = RESOLVED;
}

/* btf_type_id_resolve() */
const struct btf_type *resolve__id_resolve(const struct resolver *r, uint32_t *id)
{
	*id = r->resolved_ids[*id];
	return type_by_id(r, *id);
}

/* btf_type_id_size(): the sized type @*id stands for, or NULL; a pointer's size is ptr_size. */
const struct btf_type *resolve__id_size(const struct resolver *r, uint32_t *id, uint32_t *size)
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
int resolve__unknown_target(const struct resolver *r, uint32_t id)
{
	const struct btf_type *t = type_by_id(r, id);

	if ((is_modifier(t) || is_kind(t, BTF_KIND_VAR)) && is_resolved(r, id))
		t = type_by_id(r, r->resolved_ids[id]);
	return is_unknown(t);
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
		t = resolve__id_resolve(r, &rid);
		return t && !is_modifier(t) && !is_kind(t, BTF_KIND_VAR) &&
		       !is_kind(t, BTF_KIND_DATASEC);
	}
	if (is_kind(t, BTF_KIND_ARRAY)) {
		elem_id = btf_array(t)->type;
		elem = resolve__id_size(r, &elem_id, &elem_size);
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
	err = resolve__push(r, t, id);
	while (!err && r->top_stack) {
		r->log_type_id = r->stack[r->top_stack - 1].type_id;
		err = resolve__vertex(r, &r->stack[r->top_stack - 1]);
	}
	r->log_type_id = id;
	if (err == -E2BIG)
		err = resolve__fail(r, t, "more than %d types to resolve at once (the kernel's "
			   "\"Exceeded max resolving depth\")", MAX_RESOLVE_DEPTH);
	else if (err == -EEXIST)
		err = resolve__fail(r, t, "reference loop (the kernel's \"Loop detected\")");
	else if (!err && !resolve_valid(r, t, id))
		err = resolve__fail(r, t, "resolves to nothing valid (the kernel's "
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
			return resolve__fail(r, t, "return type ID %u is a %s", id, resolve__kind_name(ret));
		if (needs_resolve(ret) && !is_resolved(r, id) && (err = resolve(r, ret, id)))
			return err;
		if (!resolve__id_size(r, &id, NULL) && !resolve__unknown_target(r, t->type))
			return resolve__fail(r, t, "return type ID %u has no size", t->type);
	}
	if (nr_args && !args[nr_args - 1].type)
		nr_args--;	/* "...": its name was checked with the record */
	for (i = 0; i < nr_args; i++) {
		const struct btf_type *arg = type_by_id(r, args[i].type);

		id = args[i].type;
		if (!arg || source_only(arg))
			return resolve__fail(r, t, "argument %u: type ID %u is a %s", i + 1, id,
				    resolve__kind_name(arg));
		if (needs_resolve(arg) && !is_resolved(r, id) && (err = resolve(r, arg, id)))
			return err;
		if (!resolve__id_size(r, &id, NULL) && !resolve__unknown_target(r, args[i].type))
			return resolve__fail(r, t, "argument %u: type ID %u has no size", i + 1,
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
