// SPDX-License-Identifier: GPL-2.0-only
/*
 * distill: libbpf's btf__distill_base() on libbpf 1.1.2's btf__add_*() (contract and the
 * passes in distill.h). Mirrors, libbpf (src/btf.c at commit f7081a6b) -> here:
 * btf_add_distilled_type_ids() -> mark_base_refs() (an explicit stack where libbpf recurses),
 * btf_add_distilled_types() -> add_distilled(), btf_update_distilled_type_ids() ->
 * rewrite_ids(), btf__distill_base() -> distill__split().
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <bpf/btf.h>

#include "distill.h"
#include "btf_reader/typeref.h"
#include "util/vec.h"

struct distill {
	const struct btf *src;
	uint32_t split_start;	/* first split type ID of @src */
	uint32_t *id_map;	/* base ID -> 0 (not needed), itself (needed), its new ID */
	uint32_t *stack;	/* base types whose references are still to be marked */
	size_t nstack, stack_cap;
	uint32_t bad_id;
	uint32_t diff_id;	/* split IDs move down by this much */
};

/* Kinds a distilled base can describe, directly or by a copy in the split. */
static bool distillable(const struct btf_type *t)
{
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
	case BTF_KIND_FLOAT:
	case BTF_KIND_FWD:
	case BTF_KIND_ARRAY:
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
	case BTF_KIND_PTR:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_FUNC_PROTO:
	case BTF_KIND_TYPE_TAG:
		return true;
	default:
		return false;
	}
}

/* One referenced ID: a base type not yet needed becomes needed, and is walked further. */
static int mark_ref(uint32_t *id, void *ctx)
{
	struct distill *d = ctx;
	const struct btf_type *t;

	if (!*id || *id >= d->split_start || d->id_map[*id])
		return 0;
	t = btf__type_by_id(d->src, *id);
	if (!distillable(t)) {
		d->bad_id = *id;
		return -EINVAL;
	}
	d->id_map[*id] = *id;
	/* A named struct or union goes to the base without members: nothing behind it. */
	if ((btf_is_struct(t) || btf_is_union(t)) && t->name_off)
		return 0;
	if (vec__reserve((void **)&d->stack, &d->stack_cap, d->nstack + 1, sizeof(*d->stack)))
		return -ENOMEM;
	d->stack[d->nstack++] = *id;
	return 0;
}

/* Marks the base types split type @id refers to, and those they refer to in turn. */
static int mark_base_refs(struct distill *d, uint32_t id)
{
	int err;

	/* The walk only reads: typeref's callbacks may write, mark_ref() does not. */
	err = typeref__for_each((struct btf_type *)btf__type_by_id(d->src, id), mark_ref, d);
	while (!err && d->nstack) {
		uint32_t base_id = d->stack[--d->nstack];

		err = typeref__for_each((struct btf_type *)btf__type_by_id(d->src, base_id),
					mark_ref, d);
	}
	return err;
}

/*
 * The needed base types that go to @dst, in base ID order: to the new base (@to_base) the
 * named INT/FLOAT/FWD as they are and named STRUCT/UNION/ENUM/ENUM64 reduced to name and
 * size; to the new split everything else. Each gets its new ID in id_map.
 */
static int add_distilled(struct distill *d, struct btf *dst, bool to_base)
{
	uint32_t i;

	for (i = 1; i < d->split_start; i++) {
		const struct btf_type *t;
		const char *name;
		int id = 0;

		if (!d->id_map[i])
			continue;
		t = btf__type_by_id(d->src, i);
		name = btf__name_by_offset(d->src, t->name_off);
		switch (btf_kind(t)) {
		case BTF_KIND_INT:
		case BTF_KIND_FLOAT:
		case BTF_KIND_FWD:
			if (!to_base)
				continue;
			id = btf__add_type(dst, d->src, t);
			break;
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
			if (to_base != !!t->name_off)
				continue;
			if (!to_base)
				id = btf__add_type(dst, d->src, t);
			else if (btf_is_struct(t))
				id = btf__add_struct(dst, name, t->size);
			else
				id = btf__add_union(dst, name, t->size);
			break;
		case BTF_KIND_ENUM:
		case BTF_KIND_ENUM64:
			if (to_base != !!t->name_off)
				continue;
			/* The kernel's relocation matches either by name and size. */
			id = to_base ? btf__add_enum(dst, name, t->size) : btf__add_type(dst, d->src, t);
			break;
		default:
			if (to_base)
				continue;
			id = btf__add_type(dst, d->src, t);
			break;
		}
		if (id < 0)
			return id;
		d->id_map[i] = (uint32_t)id;
	}
	return 0;
}

static int rewrite_id(uint32_t *id, void *ctx)
{
	struct distill *d = ctx;

	if (d->id_map[*id])
		*id = d->id_map[*id];
	else if (*id >= d->split_start)
		*id -= d->diff_id;
	return 0;
}

/* Every type ID of the new split's records, from the old ID space to the new one. */
static void rewrite_ids(struct distill *d, struct btf *new_split)
{
	uint32_t i, n = btf__type_cnt(new_split);

	for (i = btf__type_cnt(btf__base_btf(new_split)); i < n; i++)
		typeref__for_each((struct btf_type *)btf__type_by_id(new_split, i), rewrite_id, d);
}

int distill__split(const struct btf *split, struct btf **new_base, struct btf **new_split,
		   uint32_t *bad_id)
{
	const struct btf *old_base = btf__base_btf(split);
	struct distill d = { .src = split };
	struct btf *base = NULL, *out = NULL;
	uint32_t i, n = btf__type_cnt(split);
	int err = 0;

	*bad_id = 0;
	if (!old_base)
		return -EINVAL;
	d.split_start = btf__type_cnt(old_base);
	d.id_map = calloc(n, sizeof(*d.id_map));
	base = btf__new_empty();
	if (!d.id_map || !base) {
		err = -ENOMEM;
		goto out;
	}
	btf__set_endianness(base, btf__endianness(split));
	for (i = d.split_start; i < n && !err; i++)
		err = mark_base_refs(&d, i);
	if (!err)
		err = add_distilled(&d, base, true);
	if (err)
		goto out;
	out = btf__new_empty_split(base);
	if (!out) {
		err = -errno;
		goto out;
	}
	for (i = d.split_start; i < n && !err; i++) {
		int id = btf__add_type(out, split, btf__type_by_id(split, i));

		err = id < 0 ? id : 0;
	}
	if (!err)
		err = add_distilled(&d, out, false);
	if (err)
		goto out;
	d.diff_id = d.split_start - btf__type_cnt(base);
	rewrite_ids(&d, out);
out:
	free(d.id_map);
	free(d.stack);
	*bad_id = d.bad_id;
	if (err) {
		btf__free(out);
		btf__free(base);
		return err;
	}
	*new_base = base;
	*new_split = out;
	return 0;
}
