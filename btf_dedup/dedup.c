// SPDX-License-Identifier: GPL-2.0-only
/*
 * dedup: libbpf 1.1.2's type deduplication over plain arrays (contract in
 * dedup.h): the passes and their driver.
 *
 * Mirrors, in libbpf v1.1.2's src/btf.c (commit c504f22), libbpf -> here:
 *  - btf__dedup() -> dedup__run_inplace(), run_passes();
 *  - btf_dedup_new(), and btf_dedup_prep()'s map of the base -> run_passes()
 *    (the base's candidates are indexed once, in dedup_base.c);
 *  - btf_dedup_strings(), strs_dedup_remap_str_off(), and btf_dedup_new()'s
 *    maps -> dedup_load_input() (dedup_load.c);
 *  - btf_dedup_prim_types(), btf_dedup_prim_type() -> dedup_prim();
 *  - btf_dedup_struct_types(), btf_dedup_struct_type() -> dedup_struct();
 *  - btf_dedup_resolve_fwds(), btf_dedup_fill_unique_names_map(),
 *    btf_dedup_resolve_fwd() -> resolve_fwds();
 *  - btf_dedup_ref_types(), btf_dedup_ref_type() -> dedup_ref();
 *  - btf_dedup_compact_types(), btf_dedup_remap_types(),
 *    btf_dedup_remap_type_id() -> emit(), final_id();
 *  - for_each_dedup_cand() -> for_each_cand().
 * Under DEDUP_RULE_TYPEDEF (dedup.h), from libbpf at commit f7081a6b (commit
 * 37027144): btf_dedup_struct_type()'s TYPEDEF case -> dedup_typedef(),
 * called from dedup_struct(); btf_dedup_ref_type() then finds TYPEDEFs mapped.
 * Not in libbpf: the member signature test in dedup_struct() and the enum
 * signature test in dedup_prim(), shortcuts that only skip candidates libbpf
 * would reject (see dedup_types.c); the passes read only the IDs of the kinds
 * they treat (dedup_run's kind lists), in libbpf's order.
 *
 * Design note.
 * Problem: every module's BTF is deduplicated against vmlinux's. libbpf
 * rebuilds its view of the base for each call: a hash entry (one malloc
 * each) per base type, and a string index over the whole base string
 * section as soon as a string is added to a split BTF. For a small module
 * that is most of the run. The same algorithm, with the base indexed once and
 * restored after each run, gives the same bytes at a fraction of the cost.
 * Passes (libbpf's, same order, same rules):
 *  0. input: the standalone blob's string offsets become split offsets (a
 *     string the base has takes the base's offset, the others keep their
 *     order after the base's section), its IDs move up past the base's;
 *  1. primitive kinds (INT, ENUM/ENUM64, FWD, FLOAT): equal ones merge; an
 *     enum forward declaration merges into its definition;
 *  2. structs/unions: type graph equivalence against each candidate of equal
 *     hash (dedup_types.c), FWDs resolved to structs on the way;
 *  3. a FWD left over resolves to the one struct/union of its name, if only
 *     one exists (base and split counted together);
 *  4. reference kinds, depth first from each type, once their referents are
 *     canonical: exact equality;
 *  5. canonical types keep their order and get consecutive IDs; every
 *     reference is rewritten through the canonical map.
 * Invariants: base types never change (a base FWD may stand for a split
 * struct during one run; the base's map and candidate table come back to
 * their indexed state at the end of each run); candidates of one hash are
 * tried in libbpf's order (dedup_cands.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>

#include "dedup_int.h"
#include "btf_reader/typeref.h"

#define for_each_cand(d, it, h) \
	for (dedup_iter_init(&(it), (d)->table, h); dedup_iter_next(&(it));)

#define CAND(d, it) ((it).id)

static int dedup_prim(struct dedup_run *d, uint32_t id)
{
	struct btf_type *t = dedup_type(d, id);
	uint32_t new_id = id, sig = 0;
	struct dedup_iter k;
	uint64_t h;

	switch (btf_kind(t)) {
	case BTF_KIND_INT:
		h = dedup_hash_int_tag(t);
		for_each_cand(d, k, h) {
			if (dedup_equal_int_tag(t, dedup_type(d, CAND(d, k)))) {
				new_id = CAND(d, k);
				break;
			}
		}
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		h = dedup_hash_enum(t);
		sig = dedup_enum_sig(t);
		for_each_cand(d, k, h) {
			const struct btf_type *c;

			/*
			 * A candidate whose signature rules it out, unread: not an enum,
			 * or an enum neither equal nor compatible (an anonymous enum has
			 * every anonymous enum before it for a candidate).
			 */
			if (k.has_sig && k.sig != sig && k.sig != DEDUP_SIG_ENUM_FWD &&
			    sig != DEDUP_SIG_ENUM_FWD)
				continue;
			c = dedup_type(d, CAND(d, k));

			if (dedup_equal_enum(t, c)) {
				new_id = CAND(d, k);
				break;
			}
			if (dedup_compat_enum(t, c)) {
				if (dedup_is_enum_fwd(t)) {
					new_id = CAND(d, k);
					break;
				}
				d->map[CAND(d, k)] = id;	/* a declared enum meets its definition */
			}
		}
		break;
	case BTF_KIND_FWD:
	case BTF_KIND_FLOAT:
		h = dedup_hash_common(t);
		for_each_cand(d, k, h) {
			if (dedup_equal_common(t, dedup_type(d, CAND(d, k)))) {
				new_id = CAND(d, k);
				break;
			}
		}
		break;
	default:
		return 0;
	}
	d->map[id] = new_id;
	if (new_id != id)
		return 0;
	return btf_is_any_enum(t) ? dedup_table__add_sig(d->table, h, id, sig) :
				    dedup_table__add(d->table, h, id);
}

/*
 * DEDUP_RULE_TYPEDEF: a TYPEDEF takes the first candidate of its name whose
 * graph is equivalent (libbpf commit 37027144's btf_dedup_struct_type()).
 */
static int dedup_typedef(struct dedup_run *d, uint32_t id)
{
	struct btf_type *t = dedup_type(d, id);
	uint64_t h = dedup_hash_typedef(t);
	uint32_t new_id = id;
	struct dedup_iter k;
	int eq;

	for_each_cand(d, k, h) {
		uint32_t cand = CAND(d, k);

		if (!dedup_equal_typedef(t, dedup_type(d, cand)))
			continue;
		dedup_clear_hypot(d);
		eq = dedup_is_equiv(d, id, cand);
		if (eq < 0)
			return eq;
		if (!eq)
			continue;
		dedup_merge_hypot(d);
		if (d->adjust_canon)
			continue;
		new_id = cand;
		break;
	}
	d->map[id] = new_id;
	return new_id == id ? dedup_table__add(d->table, h, id) : 0;
}

static int dedup_struct(struct dedup_run *d, uint32_t id)
{
	struct btf_type *t = dedup_type(d, id);
	uint32_t new_id = id, sig;
	struct dedup_iter k;
	uint64_t h;
	int eq;

	if (dedup_is_mapped(d, id))
		return 0;
	if (btf_is_typedef(t) && (d->rules & DEDUP_RULE_TYPEDEF))
		return dedup_typedef(d, id);
	if (!btf_is_composite(t))
		return 0;
	h = dedup_hash_struct(t);
	sig = dedup_member_sig(d, t);
	for_each_cand(d, k, h) {
		uint32_t cand = CAND(d, k);

		/*
		 * A candidate's signature rules most out unread: a base struct's member
		 * signature, or an enum's (dedup_enum_sig(); an enum is never shallow-equal
		 * to a struct, so comparing the two kinds' signatures loses nothing).
		 */
		if (k.has_sig && k.sig != sig)
			continue;
		/* A FWD of equal hash must not become a candidate (FWD <-> struct loop). */
		if (!dedup_shallow_equal_struct(t, dedup_type(d, cand)) ||
		    dedup_members_differ(d, t, dedup_type(d, cand)))
			continue;
		dedup_clear_hypot(d);
		eq = dedup_is_equiv(d, id, cand);
		if (eq < 0)
			return eq;
		if (!eq)
			continue;
		dedup_merge_hypot(d);
		if (d->adjust_canon)	/* equivalent only if the base changed: not so */
			continue;
		new_id = cand;
		break;
	}
	d->map[id] = new_id;
	return new_id == id ? dedup_table__add(d->table, h, id) : 0;
}

/* A FWD no struct claimed resolves to the only struct/union of its name, if any. */
static int resolve_fwds(struct dedup_run *d)
{
	struct dedup_names names = {};
	uint32_t i;
	int err = 0;

	/* Every split STRUCT/UNION and FWD is in its list, in ID order (init_entry()). */
	for (i = 0; i < d->ncomps && !err; i++) {
		uint32_t id = d->comps[i];
		const struct btf_type *t = dedup_type(d, id);

		if (btf_is_composite(t) && d->map[id] == id)
			err = dedup_names__note(&names, t->name_off, id);
	}
	for (i = 0; i < d->nprims && !err; i++) {
		uint32_t id = d->prims[i], in_split = 0, in_base = 0, cand;
		const struct btf_type *t = dedup_type(d, id), *c;
		int fs, fb;

		if (!btf_is_fwd(t) || d->map[id] != id)
			continue;
		fs = dedup_names__get(&names, t->name_off, &in_split);
		fb = d->base && dedup_names__get(&d->base->names, t->name_off, &in_base);
		if (fs && fb)
			continue;	/* the name is in both: not unique */
		cand = fs ? in_split : in_base;
		if (!cand)
			continue;
		c = dedup_type(d, cand);
		if (btf_kind(c) != (btf_kflag(t) ? BTF_KIND_UNION : BTF_KIND_STRUCT))
			continue;
		d->map[id] = cand;
	}
	dedup_names__free(&names);
	return err;
}

static int64_t dedup_ref(struct dedup_run *d, uint32_t id);

/* Resolves the reference at @ref through dedup_ref(). */
static int ref_field(struct dedup_run *d, uint32_t *ref)
{
	int64_t r = dedup_ref(d, *ref);

	if (r < 0)
		return (int)r;
	*ref = (uint32_t)r;
	return 0;
}

static int64_t dedup_ref(struct dedup_run *d, uint32_t id)
{
	struct btf_type *t;
	uint32_t new_id = id, i;
	struct dedup_iter k;
	uint64_t h;
	int err;

	if (id >= d->start + d->nr)
		return dedup_fail(d, id, "refers to a type ID beyond the input", -EINVAL);
	if (d->map[id] == DEDUP_IN_PROGRESS)
		return dedup_fail(d, id, "reference loop without a struct or union", -ELOOP);
	if (dedup_is_mapped(d, id))
		return dedup_resolve(d, id);
	t = dedup_type(d, id);
	d->map[id] = DEDUP_IN_PROGRESS;
	switch (btf_kind(t)) {
	case BTF_KIND_CONST:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_PTR:
	case BTF_KIND_TYPEDEF:	/* under DEDUP_RULE_TYPEDEF, mapped by dedup_typedef() */
	case BTF_KIND_FUNC:
	case BTF_KIND_TYPE_TAG:
		err = ref_field(d, &t->type);
		if (err)
			return err;
		h = dedup_hash_common(t);
		for_each_cand(d, k, h) {
			if (dedup_equal_common(t, dedup_type(d, CAND(d, k)))) {
				new_id = CAND(d, k);
				break;
			}
		}
		break;
	case BTF_KIND_DECL_TAG:
		err = ref_field(d, &t->type);
		if (err)
			return err;
		h = dedup_hash_int_tag(t);
		for_each_cand(d, k, h) {
			if (dedup_equal_int_tag(t, dedup_type(d, CAND(d, k)))) {
				new_id = CAND(d, k);
				break;
			}
		}
		break;
	case BTF_KIND_ARRAY:
		err = ref_field(d, &btf_array(t)->type);
		if (!err)
			err = ref_field(d, &btf_array(t)->index_type);
		if (err)
			return err;
		h = dedup_hash_array(t);
		for_each_cand(d, k, h) {
			if (dedup_equal_array(t, dedup_type(d, CAND(d, k)))) {
				new_id = CAND(d, k);
				break;
			}
		}
		break;
	case BTF_KIND_FUNC_PROTO:
		err = ref_field(d, &t->type);
		for (i = 0; !err && i < btf_vlen(t); i++)
			err = ref_field(d, &btf_params(t)[i].type);
		if (err)
			return err;
		h = dedup_hash_fnproto(t);
		for_each_cand(d, k, h) {
			if (dedup_equal_fnproto(t, dedup_type(d, CAND(d, k)))) {
				new_id = CAND(d, k);
				break;
			}
		}
		break;
	default:
		return dedup_fail(d, id, "kind not expected here", -EINVAL);
	}
	d->map[id] = new_id;
	if (new_id == id) {
		err = dedup_table__add(d->table, h, id);
		if (err)
			return err;
	}
	return new_id;
}

struct final_ids {
	const struct dedup_run *d;
	const uint32_t *new_id;
};

static int final_id(uint32_t *id, void *ctx)
{
	const struct final_ids *f = ctx;
	uint32_t r = dedup_resolve(f->d, *id);

	if (r >= f->d->start + f->d->nr || f->new_id[r] > DEDUP_MAX_ID)
		return -EINVAL;
	*id = f->new_id[r];
	return 0;
}

/* Canonical types in order, consecutive IDs, references rewritten; then the blob. */
static int emit(struct dedup_run *d, const char *strs, uint32_t str_len, void **out,
		size_t *out_size)
{
	uint32_t total = d->start + d->nr, id, next = d->start;
	uint32_t *new_id = d->hypot;	/* free again: reused as in libbpf */
	struct final_ids f = { .d = d, .new_id = new_id };
	struct btf_header *h;
	size_t type_len = 0;
	uint8_t *buf, *p;
	int err;

	for (id = 0; id < total; id++)
		new_id[id] = id < d->start ? id : DEDUP_UNPROCESSED;
	for (id = d->start; id < total; id++) {
		if (d->map[id] != id)
			continue;
		new_id[id] = next++;
		type_len += sizeof(struct btf_type) + typeref__extra_size(dedup_type(d, id));
	}
	buf = malloc(sizeof(*h) + type_len + str_len);
	if (!buf)
		return -ENOMEM;
	h = (struct btf_header *)buf;
	*h = (struct btf_header){ .magic = BTF_MAGIC, .version = BTF_VERSION,
				  .hdr_len = sizeof(*h), .type_len = (uint32_t)type_len,
				  .str_off = (uint32_t)type_len, .str_len = str_len };
	p = buf + sizeof(*h);
	for (id = d->start; id < total; id++) {
		struct btf_type *t = dedup_type(d, id);
		size_t len = sizeof(*t) + typeref__extra_size(t);

		if (d->map[id] != id)
			continue;
		memcpy(p, t, len);
		err = typeref__for_each((struct btf_type *)p, final_id, &f);
		if (err) {
			free(buf);
			return dedup_fail(d, id, "refers to a type without a canonical one", err);
		}
		p += len;
	}
	memcpy(p, strs, str_len);
	*out = buf;
	*out_size = sizeof(*h) + type_len + str_len;
	return 0;
}

static int run_passes(struct dedup_run *d)
{
	uint32_t total = d->start + d->nr, id, i;
	int err = 0;

	/* Each pass in ID order over the kinds it treats (the others it would skip). */
	for (i = 0; i < d->nprims && !err; i++)
		err = dedup_prim(d, d->prims[i]);
	for (i = 0; i < d->ncomps && !err; i++)
		err = dedup_struct(d, d->comps[i]);
	if (!err)
		err = resolve_fwds(d);
	for (id = d->start; id < total && !err; id++) {
		int64_t r = dedup_ref(d, id);

		if (r < 0)
			err = (int)r;
	}
	return err;
}

int dedup__run_inplace(struct dedup_base *base, void *raw, size_t size,
		       const struct dedup_opts *opts, void **out, size_t *out_size,
		       struct dedup_report *report)
{
	struct dedup_run d = { .base = base, .start = base ? base->cnt : 1,
			       .rules = opts ? opts->rules : 0,
			       .offs = opts ? opts->offs : NULL, .nr = opts && opts->offs ?
							     opts->nr : 0 };
	char *strs_owned = NULL;
	const char *strs = NULL;
	uint32_t str_len = 0;
	int err;

	*out = NULL;
	*out_size = 0;
	d.table = base ? &base->table : &d.own_table;
	/* The base's TYPEDEFs are tabled under one rule's hash. */
	if (base && (base->rules ^ d.rules) & DEDUP_RULE_TYPEDEF)
		err = dedup_fail(&d, 0, "base indexed under other dedup rules", -EINVAL);
	else
		err = dedup_load_input(&d, raw, size, &strs, &str_len, &strs_owned);
	if (err)
		dedup_fail(&d, 0, err == -E2BIG ? "too large for BTF" :
			    err == -ENOMEM ? NULL : "malformed input", err);
	if (!err)
		err = run_passes(&d);
	if (!err)
		err = emit(&d, strs, str_len, out, out_size);
	if (base)
		dedup_table__undo(&base->table, &base->mark);
	free(strs_owned);
	free(d.offs_owned);
	free(d.map);
	free(d.hypot);
	free(d.prims);
	free(d.comps);
	free(d.hlist);
	dedup_table__free(&d.own_table);
	if (err && report) {
		/* The input's own numbering: split IDs start past the base's. */
		report->type_id = d.err_id >= d.start ? d.err_id - d.start + 1 : d.err_id;
		report->what = d.err_what ? d.err_what : strerror(-err);
	}
	return err;
}

int dedup__run(struct dedup_base *base, const void *raw, size_t size, void **out,
	       size_t *out_size)
{
	return dedup__run_opts(base, raw, size, NULL, out, out_size);
}

int dedup__run_opts(struct dedup_base *base, const void *raw, size_t size,
		    const struct dedup_opts *opts, void **out, size_t *out_size)
{
	void *copy = malloc(size ? size : 1);
	int err;

	*out = NULL;
	*out_size = 0;
	if (!copy)
		return -ENOMEM;
	memcpy(copy, raw, size);
	err = dedup__run_inplace(base, copy, size, opts, out, out_size, NULL);
	free(copy);
	return err;
}
