// SPDX-License-Identifier: GPL-2.0-only
/*
 * layers: core and extra layers from one encoding.
 *
 * Design note.
 * Problem: one DWARF pass gives a BTF F with all variables; a distribution
 * wants F's per-CPU part in vmlinux (or the module) and the rest in a layer
 * on top, split BTF whose IDs and string offsets continue the core's.
 * Passes:
 *  1. mark: every DATASEC other than .data..percpu, every VAR it lists, and
 *     every DECL_TAG naming such a VAR or DATASEC goes to the extra layer;
 *  2. core: the unmarked types of F are copied in order (btf__add_type) and
 *     their references rewritten through the ID map; nothing unmarked refers
 *     to a marked type (VARs are referred to only by DATASECs and DECL_TAGs);
 *  3. extra base: the base chain's raw bytes and the core's own raw bytes are
 *     concatenated into one non-split BTF (flattening, as btf_reader does for
 *     chains: libbpf 1.1.2 cannot build split-on-split BTF itself);
 *  4. extra: the marked types are copied onto a split BTF on that flat base,
 *     references to unmarked types rewritten to their core IDs, references to
 *     marked ones to their new IDs.
 * Invariant: no type is in both layers and none is lost: the count of core
 * and extra types equals F's.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>

#include "layers.h"
#include "btf_reader/typeref.h"

struct remap {
	const uint32_t *map;	/* full ID -> new ID (0: unmapped) */
	uint32_t start;		/* IDs below are the base's: unchanged */
	uint32_t n;
	int bad;
};

static int remap_id(uint32_t *id, void *ctx)
{
	struct remap *r = ctx;

	if (*id < r->start)
		return 0;
	if (*id >= r->n || !r->map[*id]) {
		r->bad = 1;
		return 1;
	}
	*id = r->map[*id];
	return 0;
}

static int copy_type(struct btf *dst, const struct btf *src, uint32_t id, struct remap *r)
{
	struct btf_type *t;
	int nid;

	nid = btf__add_type(dst, src, btf__type_by_id(src, id));
	if (nid < 0)
		return nid;
	t = (struct btf_type *)btf__type_by_id(dst, nid);
	typeref__for_each(t, remap_id, r);
	return r->bad ? -EFAULT : 0;
}

/* 1. Marks the extra layer's types in @extra (indexed by ID). */
static void mark_extra(const struct btf *full, uint32_t start, uint32_t n, uint8_t *extra)
{
	uint32_t i;

	for (i = start; i < n; i++) {
		const struct btf_type *t = btf__type_by_id(full, i);
		const struct btf_var_secinfo *v;
		const char *name;
		uint16_t k;

		if (!btf_is_datasec(t))
			continue;
		name = btf__name_by_offset(full, t->name_off);
		if (name && !strcmp(name, LAYERS_CORE_DATASEC))
			continue;
		extra[i] = 1;
		for (k = 0, v = btf_var_secinfos(t); k < btf_vlen(t); k++, v++)
			if (v->type >= start && v->type < n)
				extra[v->type] = 1;
	}
	for (i = start; i < n; i++) {
		const struct btf_type *t = btf__type_by_id(full, i);

		if (btf_is_decl_tag(t) && t->type >= start && t->type < n && extra[t->type])
			extra[i] = 1;
	}
}

/* 3. One non-split BTF made of @base's bytes (if any) and @core's own bytes. */
static struct btf *flatten(const struct btf *base, const struct btf *core)
{
	const struct btf_header *hb = NULL, *hc;
	const void *rb = NULL, *rc;
	__u32 sb = 0, sc;
	struct btf_header h;
	struct btf *flat;
	char *buf, *p;

	rc = btf__raw_data(core, &sc);
	if (base)
		rb = btf__raw_data(base, &sb);
	if (!rc || (base && !rb))
		return NULL;
	hc = rc;
	hb = rb;
	memset(&h, 0, sizeof(h));
	h.magic = BTF_MAGIC;
	h.version = BTF_VERSION;
	h.hdr_len = sizeof(h);
	h.type_len = hc->type_len + (hb ? hb->type_len : 0);
	h.str_off = h.type_len;
	h.str_len = hc->str_len + (hb ? hb->str_len : 0);
	buf = malloc(sizeof(h) + h.type_len + h.str_len);
	if (!buf)
		return NULL;
	p = buf;
	memcpy(p, &h, sizeof(h));
	p += sizeof(h);
	if (hb) {
		memcpy(p, (const char *)rb + hb->hdr_len + hb->type_off, hb->type_len);
		p += hb->type_len;
	}
	memcpy(p, (const char *)rc + hc->hdr_len + hc->type_off, hc->type_len);
	p += hc->type_len;
	if (hb) {
		memcpy(p, (const char *)rb + hb->hdr_len + hb->str_off, hb->str_len);
		p += hb->str_len;
	}
	memcpy(p, (const char *)rc + hc->hdr_len + hc->str_off, hc->str_len);
	flat = btf__new(buf, sizeof(h) + h.type_len + h.str_len);
	free(buf);
	return flat;
}

int layers__split(const struct btf *full, const struct btf *base, struct btf **core_out,
		  struct btf **extra_base_out, struct btf **extra_out, const struct diag *diag)
{
	uint32_t start = base ? btf__type_cnt(base) : 1, n = btf__type_cnt(full), i, next;
	struct btf *core = NULL, *flat = NULL, *extra = NULL;
	uint32_t *map = calloc(n, sizeof(*map));
	uint8_t *is_extra = calloc(n, 1);
	struct remap r;
	int err = -ENOMEM;

	*core_out = *extra_base_out = *extra_out = NULL;
	if (!map || !is_extra)
		goto out;
	mark_extra(full, start, n, is_extra);
	/* 2. core */
	core = base ? btf__new_empty_split((struct btf *)base) : btf__new_empty();
	if (!core) {
		core = NULL;
		goto out;
	}
	btf__set_endianness(core, btf__endianness(full));
	err = 0;
	for (next = start, i = start; i < n; i++)
		if (!is_extra[i])
			map[i] = next++;
	r = (struct remap){ .map = map, .start = start, .n = n };
	for (i = start; i < n && !err; i++)
		if (!is_extra[i])
			err = copy_type(core, full, i, &r);
	if (err)
		goto fail;
	/* 3. + 4. extra, split on base + core */
	flat = flatten(base, core);
	if (!flat) {
		err = -EINVAL;
		goto fail;
	}
	extra = btf__new_empty_split(flat);
	if (!extra) {
		extra = NULL;
		err = -ENOMEM;
		goto fail;
	}
	btf__set_endianness(extra, btf__endianness(full));
	for (i = start; i < n; i++)
		if (is_extra[i])
			map[i] = next++;
	for (i = start; i < n && !err; i++)
		if (is_extra[i])
			err = copy_type(extra, full, i, &r);
	if (err)
		goto fail;
	*core_out = core;
	*extra_base_out = flat;
	*extra_out = extra;
	err = 0;
	goto out;
fail:
	diag__err(diag, "cannot split the encoding into core and extra layers: %s",
		  strerror(-err));
	btf__free(extra);
	btf__free(flat);
	btf__free(core);
out:
	free(map);
	free(is_extra);
	return err;
}
