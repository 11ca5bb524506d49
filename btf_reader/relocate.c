// SPDX-License-Identifier: GPL-2.0-only
/*
 * Relocating a module's BTF from its distilled base onto a real base
 * (contract in reader.h).
 *
 * Problem: a module built with a distilled base (pahole's distilled_base,
 * libbpf 1.5's btf__distill_base(); kernels >= 6.11 load such modules) has
 * its .BTF split on its own .BTF.base: a small base of the vmlinux types it
 * uses, named INTs, FLOATs and FWDs as they are, named STRUCTs and UNIONs
 * of the same name and size without members, named ENUMs and ENUM64s as
 * ENUMs of that name and size without values. At load the kernel finds each
 * of them in the running vmlinux and rewrites the module's type IDs and
 * string offsets to point there (kernel/bpf/btf_relocate.c, the same code as
 * libbpf's src/btf_relocate.c). btfenc does the same with the vmlinux it is
 * given, so that a module reads as if it had been built on that vmlinux.
 *
 * Example: .BTF.base holds 1 int "int" size 4, 2 struct "list_head" size 16;
 * .BTF's first type is ID 3 and refers to 2. On a vmlinux of 1000 types
 * where "list_head" is ID 40, the module's types start at ID 1001 and that
 * reference becomes 40.
 *
 * Matching, as the kernel's: every type of the distilled base must have
 * exactly one match in the base, by kind and name, and by size for INTs
 * (and encoding), FLOATs and ENUMs (a base ENUM64 matches too); a FWD
 * matches a FWD of the same flavour or the STRUCT or UNION it declares; a
 * STRUCT or UNION matches one of its kind, and its size must match when the
 * module embeds it in a struct or union of its own (not through a pointer)
 * or when the base has several composites of that name. No match, or two,
 * is an error that names both files. (The kernel lets a distilled struct
 * match a base type of another kind with that name and size; btfenc wants
 * the kind too.)
 *
 * Passes: (1) check .BTF.base as a root and .BTF on it (chain__load_mem());
 * (2) the distilled base's kinds; (3) mark the distilled composites the
 * module embeds; (4) sort the distilled types by name, and walk the base
 * once, looking each named type up among them; (5) every distilled type
 * matched; (6) rewrite the module's records: IDs below the distilled base's
 * count to their match, the others shifted past the base's types; string
 * offsets into the distilled base's strings (only its type names) to the
 * names of their matches, the others shifted past the base's strings.
 *
 * Invariant: the result is split BTF on @base with the module's own strings
 * and records in their order; it is checked again as a layer of the chain.
 */
#include <byteswap.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include <linux/btf.h>

#include "btf_reader/format.h"
#include "btf_reader/reader.h"
#include "btf_reader/typeref.h"
#include "util/diag.h"
#include "util/vec.h"

/* A distilled type, for the lookup by name. */
struct dist_name {
	const char *name;
	uint32_t id;
};

struct relocation {
	const char *name;		/* the module, for messages */
	const char *base_name;		/* the base, for messages */
	const struct diag *d;
	const struct btf *base;		/* the base chain's flat BTF */
	uint32_t base_types;		/* its type count, void included */
	uint32_t base_strs;		/* its string bytes */
	const struct btf *mod;		/* the distilled base and the module, flattened */
	uint32_t dist_types;		/* the distilled base's type count, void included */
	uint32_t dist_strs;		/* its string bytes */
	uint32_t mod_types;		/* the module's types */
	uint32_t mod_strs;		/* its string bytes */
	uint32_t *id_map;		/* distilled ID -> base ID, 0: not yet */
	uint8_t *embedded;		/* distilled ID -> must match in size */
	uint32_t *str_map;		/* distilled string offset -> base string offset */
	struct dist_name *names;	/* the distilled types sorted by name */
	int err;
};

static const char *dist_kind_word(const struct btf_type *t)
{
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
		return "int";
	case BTF_KIND_FLOAT:
		return "float";
	case BTF_KIND_ENUM:
		return "enum";
	case BTF_KIND_STRUCT:
		return "struct";
	case BTF_KIND_UNION:
		return "union";
	case BTF_KIND_FWD:
		return btf_kflag(t) ? "fwd union" : "fwd struct";
	default:
		return NULL;
	}
}

static const char *name_of(const struct btf *btf, const struct btf_type *t)
{
	const char *s = btf__name_by_offset(btf, t->name_off);

	return s ? s : "";
}

/* Pass 2: what a distilled base may hold (libbpf's btf__distill_base() writes no more). */
static int check_dist_kinds(const struct relocation *r)
{
	uint32_t id;

	for (id = 1; id < r->dist_types; id++) {
		const struct btf_type *t = btf__type_by_id(r->mod, id);

		if (dist_kind_word(t) && *name_of(r->mod, t) && !reader__unknown_kind(t, NULL))
			continue;
		diag__err(r->d, "%s (.BTF.base): type ID %u (kind %u) is not a named int, float, "
			  "enum, struct, union or fwd, all that a distilled base holds", r->name, id,
			  reader__kind(t));
		return -EINVAL;
	}
	return 0;
}

/* Pass 3: the distilled composites module structs and unions hold by value. */
static void mark_embedded(struct relocation *r)
{
	uint32_t id, end = r->dist_types + r->mod_types;
	unsigned int i;

	for (id = r->dist_types; id < end; id++) {
		const struct btf_type *t = btf__type_by_id(r->mod, id);

		if (!btf_is_composite(t))
			continue;
		for (i = 0; i < btf_vlen(t); i++) {
			uint32_t to = btf_members(t)[i].type;
			int depth;

			/* Through typedefs, qualifiers, tags and arrays; a pointer ends it. */
			for (depth = 0; to && depth < 32; depth++) {
				const struct btf_type *m = btf__type_by_id(r->mod, to);

				if (btf_is_array(m)) {
					to = btf_array(m)->type;
					continue;
				}
				if (btf_is_typedef(m) || btf_is_mod(m)) {	/* mods incl. tags */
					to = m->type;
					continue;
				}
				if (btf_is_composite(m) && to < r->dist_types)
					r->embedded[to] = 1;
				break;
			}
		}
	}
}

static int cmp_dist_name(const void *a, const void *b)
{
	const struct dist_name *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : x->id < y->id ? -1 : x->id > y->id;
}

/* The first distilled type named @name, or NULL. */
static const struct dist_name *first_named(const struct relocation *r, const char *name)
{
	size_t lo = 1, hi = r->dist_types;	/* names[1..dist_types) are sorted */

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(r->names[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < r->dist_types && !strcmp(r->names[lo].name, name) ? &r->names[lo] : NULL;
}

/* Whether base type @b (several composites of its name: @dup) is a match for distilled @t. */
static int matches(const struct relocation *r, uint32_t dist_id, const struct btf_type *t,
		   const struct btf_type *b, int dup)
{
	switch (btf_kind(t)) {
	case BTF_KIND_FWD:
		if (btf_is_fwd(b))
			return btf_kflag(b) == btf_kflag(t);
		return btf_is_composite(b) && btf_is_union(b) == !!btf_kflag(t);
	case BTF_KIND_INT:
		return btf_is_int(b) && b->size == t->size &&
		       btf_int_encoding(b) == btf_int_encoding(t);
	case BTF_KIND_FLOAT:
		return btf_is_float(b) && b->size == t->size;
	case BTF_KIND_ENUM:
		return btf_is_any_enum(b) && b->size == t->size;
	default:	/* STRUCT, UNION */
		return btf_kind(b) == btf_kind(t) &&
		       ((!r->embedded[dist_id] && !dup) || b->size == t->size);
	}
}

static void describe(const struct relocation *r, uint32_t dist_id, char *buf, size_t len)
{
	const struct btf_type *t = btf__type_by_id(r->mod, dist_id);

	if (btf_is_fwd(t))
		snprintf(buf, len, "%s %s", dist_kind_word(t), name_of(r->mod, t));
	else
		snprintf(buf, len, "%s %s (size %u)", dist_kind_word(t), name_of(r->mod, t),
			 t->size);
}

/* Pass 4 for base type @id: each distilled type it matches is mapped to it. */
static int match_base_type(struct relocation *r, uint32_t id, const struct strmap *dups)
{
	const struct btf_type *b = btf__type_by_id(r->base, id);
	const char *name = name_of(r->base, b);
	const struct dist_name *n;
	char what[300];
	uint32_t dummy;
	int dup;

	if (!*name || reader__unknown_kind(b, NULL))
		return 0;
	switch (btf_kind(b)) {
	case BTF_KIND_INT: case BTF_KIND_FLOAT: case BTF_KIND_ENUM: case BTF_KIND_ENUM64:
	case BTF_KIND_FWD: case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		break;
	default:
		return 0;
	}
	dup = btf_is_composite(b) && strmap__get(dups, name, &dummy);
	for (n = first_named(r, name); n && n < r->names + r->dist_types &&
	     !strcmp(n->name, name); n++) {
		const struct btf_type *t = btf__type_by_id(r->mod, n->id);

		if (!matches(r, n->id, t, b, dup))
			continue;
		if (r->id_map[n->id]) {
			describe(r, n->id, what, sizeof(what));
			diag__err(r->d, "%s: .BTF.base does not match %s: its %s matches type IDs %u "
				  "and %u there", r->name, r->base_name, what, r->id_map[n->id], id);
			return -EINVAL;
		}
		r->id_map[n->id] = id;
		r->str_map[t->name_off] = b->name_off;
	}
	return 0;
}

/* Passes 4 and 5. */
static int match_all(struct relocation *r)
{
	struct strmap seen = { 0 }, dups = { 0 };
	char what[300];
	uint32_t id;
	int err = 0;

	for (id = 1; id < r->dist_types; id++)
		r->names[id] = (struct dist_name){ name_of(r->mod, btf__type_by_id(r->mod, id)), id };
	qsort(r->names + 1, r->dist_types - 1, sizeof(*r->names), cmp_dist_name);
	/* Composite names the base has more than once: those match by size too. */
	for (id = 1; id < r->base_types && !err; id++) {
		const struct btf_type *b = btf__type_by_id(r->base, id);
		const char *name = name_of(r->base, b);
		int added;

		if (!btf_is_composite(b) || !*name || reader__unknown_kind(b, NULL))
			continue;
		added = strmap__add(&seen, name, id);
		if (!added)
			added = strmap__add(&dups, name, id);
		err = added < 0 ? added : 0;
	}
	for (id = 1; id < r->base_types && !err; id++)
		err = match_base_type(r, id, &dups);
	for (id = 1; id < r->dist_types && !err; id++) {
		if (r->id_map[id])
			continue;
		describe(r, id, what, sizeof(what));
		diag__err(r->d, "%s: .BTF.base does not match %s: its %s is not there%s", r->name,
			  r->base_name, what, r->embedded[id] ? " (in that size: the module "
			  "embeds it)" : "");
		err = -EINVAL;
	}
	strmap__free(&seen);
	strmap__free(&dups);
	return err;
}

static int remap_id(uint32_t *id, void *ctx)
{
	const struct relocation *r = ctx;

	if (*id >= r->dist_types)
		*id = *id - r->dist_types + r->base_types;
	else
		*id = r->id_map[*id];	/* void stays 0 */
	return 0;
}

static int remap_str(uint32_t *off, void *ctx)
{
	struct relocation *r = ctx;

	if (*off >= r->dist_strs) {
		*off = *off - r->dist_strs + r->base_strs;
	} else if (*off) {
		if (!r->str_map[*off]) {
			diag__err(r->d, "%s: refers to \"%s\" in .BTF.base, the name of no type there",
				  r->name, btf__name_by_offset(r->mod, *off));
			r->err = -EINVAL;
			return 1;
		}
		*off = r->str_map[*off];
	}
	return 0;
}

/* Pass 6: the module's records rewritten, at @p; returns the end, or NULL. */
static uint8_t *rewrite(struct relocation *r, uint8_t *p)
{
	uint32_t id, end = r->dist_types + r->mod_types;

	for (id = r->dist_types; id < end; id++) {
		const struct btf_type *t = btf__type_by_id(r->mod, id);
		size_t len = sizeof(*t) + (size_t)typeref__extra_size(t);

		memcpy(p, t, len);
		typeref__for_each((struct btf_type *)p, remap_id, r);
		if (typeref__for_each_str((struct btf_type *)p, remap_str, r))
			return NULL;
		p += len;
	}
	return p;
}

/* Every 32-bit word of header and types into the other byte order (strings stay). */
static void swap_words(uint8_t *blob, size_t type_end)
{
	uint16_t magic;
	size_t i;

	memcpy(&magic, blob, sizeof(magic));
	magic = bswap_16(magic);
	memcpy(blob, &magic, sizeof(magic));
	for (i = 4; i < type_end; i += 4) {
		uint32_t w;

		memcpy(&w, blob + i, sizeof(w));
		w = bswap_32(w);
		memcpy(blob + i, &w, sizeof(w));
	}
}

/* The relocated layer: a 24-byte header, the rewritten records, the module's strings. */
static int build(struct relocation *r, int swapped, void **out, size_t *out_size)
{
	uint32_t id, end = r->dist_types + r->mod_types;
	struct btf_header h = { .magic = BTF_MAGIC, .version = BTF_VERSION,
				.hdr_len = sizeof(h) };
	uint64_t type_len = 0;
	uint8_t *blob, *p;

	for (id = r->dist_types; id < end; id++)
		type_len += sizeof(struct btf_type) +
			    (uint64_t)typeref__extra_size(btf__type_by_id(r->mod, id));
	if (sizeof(h) + type_len + r->mod_strs > UINT32_MAX)
		return -E2BIG;
	h.type_len = (uint32_t)type_len;
	h.str_off = (uint32_t)type_len;
	h.str_len = r->mod_strs;
	blob = malloc(sizeof(h) + type_len + r->mod_strs + 1);
	if (!blob)
		return -ENOMEM;
	memcpy(blob, &h, sizeof(h));
	p = rewrite(r, blob + sizeof(h));
	if (!p) {
		free(blob);
		return r->err;
	}
	if (r->mod_strs)	/* the module's own strings, whole, as flattened after the base's */
		memcpy(p, btf__name_by_offset(r->mod, r->dist_strs), r->mod_strs);
	if (swapped)
		swap_words(blob, sizeof(h) + type_len);
	*out = blob;
	*out_size = sizeof(h) + type_len + r->mod_strs;
	return 0;
}

/* Passes 2-6 on the checked pair @mod (distilled base, module). */
static int relocate(struct relocation *r, const struct btf_chain *mod, void **out,
		    size_t *out_size)
{
	uint32_t id, end = r->dist_types + r->mod_types;
	int err = check_dist_kinds(r);

	for (id = r->dist_types; !err && id < end; id++) {
		const struct btf_type *t = btf__type_by_id(r->mod, id);

		if (!reader__unknown_kind(t, NULL))
			continue;
		diag__err(r->d, "%s: type ID %u is of kind %u, which btfenc does not know: which "
			  "of its words are type IDs is not known, so it cannot be relocated",
			  r->name, id, reader__kind(t));
		err = -ENOTSUP;
	}
	if (err)
		return err;
	r->id_map = calloc(r->dist_types, sizeof(*r->id_map));
	r->embedded = calloc(r->dist_types, 1);
	r->str_map = calloc(r->dist_strs ? r->dist_strs : 1, sizeof(*r->str_map));
	r->names = calloc(r->dist_types, sizeof(*r->names));
	if (!r->id_map || !r->embedded || !r->str_map || !r->names)
		return -ENOMEM;
	mark_embedded(r);
	err = match_all(r);
	if (!err)
		err = build(r, mod->layers[1].big_endian != (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__),
			    out, out_size);
	return err;
}

int reader__relocate(const struct btf_chain *base, const void *dist, size_t dist_size,
		     const void *split, size_t split_size, const char *name,
		     const struct diag *d, void **out, size_t *out_size)
{
	const struct btf_layer *top = &base->layers[base->nlayers - 1];
	struct relocation r = { .name = name, .base_name = top->path, .d = d,
				.base = base->flat, .base_types = btf__type_cnt(base->flat),
				.base_strs = top->start_str + top->str_len };
	const void *blobs[2] = { dist, split };
	size_t sizes[2] = { dist_size, split_size };
	struct btf_chain *mod = NULL;
	char dist_name[512];
	const char *names[2] = { dist_name, name };
	int err;

	snprintf(dist_name, sizeof(dist_name), "%s (.BTF.base)", name);
	err = chain__load_mem(blobs, sizes, names, 2, d, &mod);
	if (err)
		return err;
	r.mod = mod->flat;
	r.dist_types = mod->layers[1].start_id;
	r.dist_strs = mod->layers[1].start_str;
	r.mod_types = mod->layers[1].nr_types;
	r.mod_strs = mod->layers[1].str_len;
	err = relocate(&r, mod, out, out_size);
	if (err == -E2BIG)
		diag__err(d, "%s: too large once relocated onto %s", name, r.base_name);
	free(r.id_map);
	free(r.embedded);
	free(r.str_map);
	free(r.names);
	chain__free(mod);
	return err == -E2BIG ? -EINVAL : err;
}
