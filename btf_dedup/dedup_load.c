// SPDX-License-Identifier: GPL-2.0-only
/*
 * dedup_load: a run's input read in place (dedup_load_input(), declared in
 * dedup_int.h): its records found and checked, its strings and IDs made split
 * ones when there is a base, the canonical and hypothetical maps and the
 * passes' kind lists set up.
 *
 * Mirrors, in libbpf v1.1.2's src/btf.c (commit c504f22), libbpf -> here:
 *  - btf_dedup_strings(), strs_dedup_remap_str_off() -> split_strings(),
 *    remap_str();
 *  - btf_dedup_new()'s map set-up -> alloc_maps(), init_entry().
 * Not in libbpf: one walk does all of it (load_records()), and each pass's
 * IDs are listed by kind as they are met (init_entry()).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>

#include "dedup_int.h"
#include "btf_reader/typeref.h"
#include "util/vec.h"

struct str_remap {
	uint32_t *map;		/* input offset -> output offset; UINT32_MAX: not a string start */
	uint32_t len;
};

static int remap_str(uint32_t *off, void *ctx)
{
	struct str_remap *r = ctx;

	if (*off >= r->len || r->map[*off] == UINT32_MAX)
		return -EINVAL;
	*off = r->map[*off];
	return 0;
}

/*
 * Split output: each input string the base holds becomes the base's offset;
 * the others are copied, in order, after the base's section.
 */
static int split_strings(const struct dedup_base *b, const char *strs, uint32_t len,
			 struct str_remap *r, char **out, uint32_t *out_len)
{
	uint32_t off, n = 0;
	char *buf;

	r->len = len;
	r->map = malloc((len ? len : 1) * sizeof(*r->map));
	buf = malloc(len ? len : 1);
	if (!r->map || !buf) {
		free(buf);
		return -ENOMEM;
	}
	memset(r->map, 0xff, len * sizeof(*r->map));
	for (off = 0; off < len; off += strlen(strs + off) + 1) {
		long in_base = dedup_base__find_str(b, strs + off);
		size_t l = strlen(strs + off) + 1;

		if (in_base >= 0) {
			r->map[off] = (uint32_t)in_base;
			continue;
		}
		if ((uint64_t)b->str_len + n + l > INT32_MAX) {	/* libbpf's BTF_MAX_STR_OFFSET */
			free(buf);
			return -E2BIG;
		}
		r->map[off] = b->str_len + n;
		memcpy(buf + n, strs + off, l);
		n += l;
	}
	*out = buf;
	*out_len = n;
	return 0;
}

/* IDs moved up by @add (split) or left (standalone); the largest seen, to check at the end. */
struct id_shift {
	uint32_t add, max;
};

static int shift_id(uint32_t *id, void *ctx)
{
	struct id_shift *s = ctx;

	if (!*id)
		return 0;
	if (*id > s->max)
		s->max = *id;
	*id += s->add;
	return 0;
}

/* -EINVAL for an ID at or past *@ctx. */
static int check_ids(uint32_t *id, void *ctx)
{
	return *id >= *(uint32_t *)ctx ? -EINVAL : 0;
}

/*
 * The canonical and hypothetical maps for @room split types, the entries of void and of
 * the base's types set; room for the kind lists (pages no entry is written to are never
 * touched).
 */
static int alloc_maps(struct dedup_run *d, size_t room)
{
	size_t total = d->start + room, list = (room ? room : 1) * sizeof(uint32_t);
	uint32_t id;

	d->map = malloc(total * sizeof(*d->map));
	d->hypot = malloc(total * sizeof(*d->hypot));
	d->prims = malloc(list);
	d->comps = malloc(list);
	if (!d->map || !d->hypot || !d->prims || !d->comps)
		return -ENOMEM;
	for (id = 0; id < d->start; id++) {
		d->hypot[id] = DEDUP_UNPROCESSED;
		d->map[id] = id;	/* void and base types are canonical */
	}
	return 0;
}

/*
 * Split type @id's entries of both maps as the passes begin; @id noted in the list
 * of the pass that treats its kind (called in ID order).
 */
static void init_entry(struct dedup_run *d, uint32_t id, const struct btf_type *t)
{
	d->hypot[id] = DEDUP_UNPROCESSED;
	/* VAR and DATASEC are never merged */
	d->map[id] = btf_is_var(t) || btf_is_datasec(t) ? id : DEDUP_UNPROCESSED;
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
	case BTF_KIND_FWD:
	case BTF_KIND_FLOAT:
		d->prims[d->nprims++] = id;
		break;
	case BTF_KIND_TYPEDEF:
		if (d->rules & DEDUP_RULE_TYPEDEF)
			d->comps[d->ncomps++] = id;
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		d->comps[d->ncomps++] = id;
		break;
	default:
		break;
	}
}

/*
 * The caller's offsets (dedup_opts.offs, d->nr of them) against a type section of
 * @type_len bytes: the first at 0, rising, the last record ending the section. A check
 * of their shape, not a parse: they come from the builder that wrote the records.
 */
static int given_offsets(const struct dedup_run *d, uint32_t type_len)
{
	const struct btf_type *t;
	long extra;
	uint32_t i;

	if (!d->nr)
		return type_len ? -EINVAL : 0;
	for (i = 1; i < d->nr; i++)
		if (d->offs[i] <= d->offs[i - 1] || d->offs[i] > type_len)
			return -EINVAL;
	if (d->offs[0] || type_len - d->offs[d->nr - 1] < sizeof(*t))
		return -EINVAL;
	t = (const void *)(d->types + d->offs[d->nr - 1]);
	extra = typeref__extra_size(t);
	return extra < 0 || type_len - d->offs[d->nr - 1] - sizeof(*t) != (size_t)extra ?
	       -EINVAL : 0;
}

/*
 * One walk over the records, in ID order: each found (at the caller's offset, or
 * after the last one, its shape checked), its strings remapped (@r, split), its IDs
 * moved up (split) and its maps' entries set. A walk to count the records first
 * would read them all twice (Debian's mlx5_core.ko: 757,000 records, 8 ms; every
 * chunk of a vmlinux too), so IDs are checked against the count once it is known,
 * before anything reads the maps: split, "malformed input"; standalone, the first
 * type with an ID past the last, as libbpf's passes would say it. Sets d->nr.
 */
static int load_records(struct dedup_run *d, uint32_t type_len, int given,
			const struct str_remap *r)
{
	struct id_shift sh = { .add = d->base ? d->start - 1 : 0 };
	size_t off = 0;
	uint32_t i, total;
	int err = 0;

	for (i = 0; !err; i++) {
		struct btf_type *t;
		long extra;

		if (given) {
			if (i == d->nr)
				break;
			t = (void *)(d->types + d->offs[i]);
		} else {
			if (off >= type_len)
				break;
			t = (void *)(d->types + off);
			if (type_len - off < sizeof(*t))
				return -EINVAL;
			extra = typeref__extra_size(t);
			if (extra < 0 || type_len - off - sizeof(*t) < (size_t)extra)
				return -EINVAL;
			d->offs_owned[i] = (uint32_t)off;
			off += sizeof(*t) + extra;
		}
		if (d->base)
			err = typeref__for_each_str(t, remap_str, (void *)r);
		if (!err)
			err = typeref__for_each(t, shift_id, &sh);
		init_entry(d, d->start + i, t);
	}
	if (err)
		return err;
	d->nr = i;
	if (sh.max < d->nr + 1)
		return 0;
	if (d->base)
		return -EINVAL;		/* an ID past the input's last type */
	total = d->start + d->nr;
	for (i = 0; i < d->nr; i++)
		if (typeref__for_each((struct btf_type *)(d->types + d->offs[i]), check_ids,
				      &total))
			return dedup_fail(d, d->start + i, "refers to a type ID beyond the input",
					  -EINVAL);
	return -EINVAL;		/* not reached: some type has the ID sh.max */
}

int dedup_load_input(struct dedup_run *d, void *raw, size_t size, const char **strs,
		     uint32_t *str_len, char **strs_owned)
{
	const struct btf_header *h = raw;
	struct str_remap r = {};
	const char *in_strs;
	int given = d->offs != NULL, err = 0;
	size_t room, cap = 0;

	if (size < sizeof(*h) || h->magic != BTF_MAGIC || h->hdr_len > size ||
	    (uint64_t)h->hdr_len + h->type_off + h->type_len > size ||
	    (uint64_t)h->hdr_len + h->str_off + h->str_len > size || !h->str_len)
		return -EINVAL;
	in_strs = (const char *)raw + h->hdr_len + h->str_off;
	if (in_strs[h->str_len - 1])
		return -EINVAL;
	if (((uintptr_t)raw + h->hdr_len + h->type_off) % 4)
		return -EINVAL;
	d->types = (uint8_t *)raw + h->hdr_len + h->type_off;
	if (given) {
		err = given_offsets(d, h->type_len);
		if (err)
			return err;
		room = d->nr;
	} else {
		/* Room for as many records as the section could hold: at least 12 bytes each. */
		room = h->type_len / sizeof(struct btf_type) + 1;
	}
	if ((uint64_t)d->start + room > DEDUP_MAX_ID)
		return -E2BIG;
	if (!given) {
		if (vec__reserve((void **)&d->offs_owned, &cap, room, sizeof(*d->offs_owned)))
			return -ENOMEM;
		d->offs = d->offs_owned;
	}
	if (d->base) {
		err = split_strings(d->base, in_strs, h->str_len, &r, strs_owned, str_len);
		*strs = *strs_owned;
	} else {
		*strs = in_strs;	/* unchanged: emit() copies them out */
		*str_len = h->str_len;
	}
	if (!err)
		err = alloc_maps(d, room);
	if (!err)
		err = load_records(d, h->type_len, given, &r);
	free(r.map);
	return err;
}
