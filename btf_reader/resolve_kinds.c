// SPDX-License-Identifier: GPL-2.0-only
/*
 * resolve_kinds: the kernel's resolve callback of each kind that needs one
 * (kernel/bpf/btf.c btf_*_resolve(), btf_func_check()), and
 * resolve__vertex(), which picks the callback for the vertex on top of the
 * stack. Each callback either pushes a type it depends on and returns, to be
 * called again, or pops its vertex resolved (resolve.c's design note).
 */
#include <errno.h>
#include <stdint.h>
#include <bpf/btf.h>
#include <linux/btf.h>

#include "btf_reader/resolve_int.h"

/* btf_modifier_resolve() */
static int modifier_resolve(struct resolver *r, const struct vertex *v)
{
	uint32_t next_id = v->t->type;
	const struct btf_type *next = type_by_id(r, next_id);

	if (!next || source_only(next))
		return resolve__fail(r, v->t, "refers to type ID %u, a %s", next_id, resolve__kind_name(next));
	if (!resolve__is_sink(r, next) && !is_resolved(r, next_id))
		return resolve__push(r, next, next_id);
	if (!resolve__id_size(r, &next_id, NULL)) {
		if (is_resolved(r, next_id))
			next = resolve__id_resolve(r, &next_id);
		/* "typedef void new_void", "const void"... */
		if (!is_void(next) && !is_kind(next, BTF_KIND_FWD) &&
		    !is_kind(next, BTF_KIND_FUNC_PROTO) && !is_unknown(next))
			return resolve__fail(r, v->t, "refers to type ID %u, which resolves to a %s",
				    v->t->type, resolve__kind_name(next));
	}
	resolve__pop_resolved(r, next_id, 0);
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
		return resolve__fail(r, v->t, "refers to type ID %u, a %s", next_id, resolve__kind_name(next));
	if (!resolve__is_sink(r, next) && !is_resolved(r, next_id))
		return resolve__push(r, next, next_id);
	if (is_modifier(next)) {
		rid = next_id;
		resolved = resolve__id_resolve(r, &rid);
		if (is_ptr(resolved) && !resolve__is_sink(r, resolved) && !is_resolved(r, rid))
			return resolve__push(r, resolved, rid);
	}
	if (!resolve__id_size(r, &next_id, NULL) && !resolve__unknown_target(r, next_id)) {
		if (var)
			return resolve__fail(r, v->t, "type ID %u has no size", v->t->type);
		if (is_resolved(r, next_id))
			next = resolve__id_resolve(r, &next_id);
		if (!is_void(next) && !is_kind(next, BTF_KIND_FWD) &&
		    !is_kind(next, BTF_KIND_FUNC_PROTO))
			return resolve__fail(r, v->t, "points to type ID %u, which resolves to a %s",
				    v->t->type, resolve__kind_name(next));
	}
	resolve__pop_resolved(r, next_id, 0);
	return 0;
}

/* btf_array_resolve() */
static int array_resolve(struct resolver *r, const struct vertex *v)
{
	const struct btf_array *a = btf_array(v->t);
	uint32_t index_id = a->index_type, elem_id = a->type, elem_size;
	const struct btf_type *index = type_by_id(r, index_id), *elem;

	if (nosize_or_null(index) || source_only(index))
		return resolve__fail(r, v->t, "index type ID %u has no size", index_id);
	if (!resolve__is_sink(r, index) && !is_resolved(r, index_id))
		return resolve__push(r, index, index_id);
	if (resolve__unknown_target(r, index_id) || resolve__unknown_target(r, elem_id)) {
		resolve__pop_resolved(r, elem_id, 0);
		return 0;
	}
	index = resolve__id_size(r, &index_id, NULL);
	if (!index || !is_kind(index, BTF_KIND_INT) || !check__int_is_regular(index))
		return resolve__fail(r, v->t, "index type ID %u is not a regular int", a->index_type);
	elem = type_by_id(r, elem_id);
	if (nosize_or_null(elem) || source_only(elem))
		return resolve__fail(r, v->t, "element type ID %u has no size", elem_id);
	if (!resolve__is_sink(r, elem) && !is_resolved(r, elem_id))
		return resolve__push(r, elem, elem_id);
	elem = resolve__id_size(r, &elem_id, &elem_size);
	if (!elem)
		return resolve__fail(r, v->t, "element type ID %u has no size", a->type);
	if (is_kind(elem, BTF_KIND_INT) && !check__int_is_regular(elem))
		return resolve__fail(r, v->t, "array of an irregular int");
	if (a->nelems && elem_size > UINT32_MAX / a->nelems)
		return resolve__fail(r, v->t, "%u elements of %u bytes overflow 32 bits", a->nelems,
			    elem_size);
	resolve__pop_resolved(r, elem_id, elem_size * a->nelems);
	return 0;
}

/* btf_struct_resolve(): each member's type resolved before it is checked. */
static int struct_resolve(struct resolver *r, struct vertex *v)
{
	const struct btf_member *m = btf_members(v->t);
	int kflag = btf_kflag(v->t), err;
	uint16_t i;

	if (v->next_member) {
		err = resolve__member(r, v->t, m[v->next_member - 1].type,
				   m[v->next_member - 1].offset, kflag);
		if (err)
			return err;
	}
	for (i = v->next_member; i < btf_vlen(v->t); i++) {
		const struct btf_type *mt = type_by_id(r, m[i].type);

		if (nosize_or_null(mt) || source_only(mt))
			return resolve__fail(r, v->t, "member %u: type ID %u is a %s, which has no size", i,
				    m[i].type, resolve__kind_name(mt));
		if (!resolve__is_sink(r, mt) && !is_resolved(r, m[i].type)) {
			v->next_member = (uint16_t)(i + 1);
			return resolve__push(r, mt, m[i].type);
		}
		err = resolve__member(r, v->t, m[i].type, m[i].offset, kflag);
		if (err)
			return err;
	}
	resolve__pop_resolved(r, 0, 0);
	return 0;
}

/* btf_func_check(): a FUNC_PROTO whose arguments have names. */
static int func_check(const struct resolver *r, const struct btf_type *t)
{
	const struct btf_type *proto = type_by_id(r, t->type);
	uint16_t i;

	if (!is_kind(proto, BTF_KIND_FUNC_PROTO))
		return resolve__fail(r, t, "type ID %u is not a func_proto", t->type);
	for (i = 0; i < btf_vlen(proto); i++)
		if (!btf_params(proto)[i].name_off && btf_params(proto)[i].type)
			return resolve__fail(r, t, "argument %u has no name", i + 1);
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
		if (!resolve__is_sink(r, var) && !is_resolved(r, vsi[i].type)) {
			v->next_member = (uint16_t)(i + 1);
			return resolve__push(r, var, vsi[i].type);
		}
		type_id = var->type;
		type_size = 0;
		if (!resolve__id_size(r, &type_id, &type_size))
			return resolve__fail(r, v->t, "entry %u: its var has no size", i);
		if (vsi[i].size < type_size)
			return resolve__fail(r, v->t, "entry %u: size %u smaller than its var (%u)", i,
				    vsi[i].size, type_size);
	}
	resolve__pop_resolved(r, 0, 0);
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
		return resolve__fail(r, v->t, "tags type ID %u, a %s", next_id, resolve__kind_name(next));
	if (!resolve__is_sink(r, next) && !is_resolved(r, next_id))
		return resolve__push(r, next, next_id);
	if (idx != -1 && !is_unknown(next)) {
		if (is_kind(next, BTF_KIND_VAR) || is_kind(next, BTF_KIND_TYPEDEF))
			return resolve__fail(r, v->t, "component_idx %d on a %s", idx, resolve__kind_name(next));
		if (!is_struct(next))
			next = type_by_id(r, next->type);
		vlen = next ? btf_vlen(next) : 0;
		if ((uint32_t)idx >= vlen)
			return resolve__fail(r, v->t, "component_idx %d past %u members or arguments", idx,
				    vlen);
	}
	resolve__pop_resolved(r, next_id, 0);
	return 0;
}

int resolve__vertex(struct resolver *r, struct vertex *v)
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
			resolve__pop_resolved(r, t->type, 0);
		return err;
	}
	return resolve__fail(r, t, "cannot be resolved (the kernel's \"Unsupported resolve\")");
}
