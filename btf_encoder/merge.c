// SPDX-License-Identifier: GPL-2.0-only
/*
 * merge: append one chunk's (deduplicated) BTF to the final BTF, in chunk order.
 *
 * Design note. Chunks are encoded independently, so two chunks may both hold a
 * FUNC for the same name (pahole 1.24: the first unit wins, and a serial run
 * never writes a second FUNC for a name). The merge applies that rule across
 * chunks:
 *  1. every FUNC whose name is already in the final BTF is dropped, with the
 *     DECL_TAGs that name it;
 *  2. a FUNC_PROTO is dropped when only dropped FUNCs referred to it, so the
 *     output holds no prototype a serial run would not have written;
 *  3. the kept types get consecutive final IDs and are copied with
 *     btf__add_type(), their type references rewritten through the ID map;
 *     a first chunk kept whole is adopted as the merged BTF, not copied;
 *     with several chunks, or FUNCs or VARs decided after the last (raw_mode),
 *     records are appended as bytes to a rawbtf, each distinct string of a
 *     chunk interned once; the function rules and the variables then read and
 *     extend those records (merger__type_by_id() and the merger__add_*()
 *     calls), which become a libbpf BTF only for libbpf's dedup
 *     (merger__finish_raw()).
 * VARs are never merged by dedup, so the k-th VAR of the chunk before and after
 * its dedup is the same variable: secinfos and variable candidates refer to
 * VARs by that ordinal. A per-CPU VAR whose offset an earlier one took is
 * dropped in step 1 with its DECL_TAGs, and its secinfo with it
 * (vars__percpu_claim()). With global_vars no VAR is copied: vars.c chooses among
 * the candidates and writes the winners after the last chunk (design note in
 * vars.c); only the final IDs of their types are taken from here.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>

#include "chunk.h"
#include "dedup_bridge.h"
#include "func_select.h"
#include "merge.h"
#include "symbols.h"
#include "vars.h"
#include "btf_reader/typeref.h"

struct remap_ctx {
	const uint32_t *map;
	uint32_t n;
	int bad;
};

static int remap_id(uint32_t *id, void *ctx)
{
	struct remap_ctx *r = ctx;

	if (*id >= r->n || (*id && !r->map[*id])) {
		r->bad = 1;
		return 1;
	}
	*id = r->map[*id];
	return 0;
}

static int count_ref(uint32_t *id, void *ctx)
{
	struct remap_ctx *r = ctx;
	uint32_t *refs = (uint32_t *)r->map;

	if (*id < r->n)
		refs[*id]++;
	return 0;
}

#define DROP UINT32_MAX
#define HOLD (UINT32_MAX - 1)

/* Copies @s into the merger's pool of parameter names: its offset there, or -ENOMEM. */
static long pool_name(struct merger *m, const char *s)
{
	size_t len = strlen(s) + 1, off = m->fname_len;

	if (vec__reserve((void **)&m->fname_pool, &m->fname_cap, off + len, 1))
		return -ENOMEM;
	memcpy(m->fname_pool + off, s, len);
	m->fname_len += len;
	return (long)off;
}

/*
 * The prototype of held FUNC @fn as its state keeps it (func_select.h B5): return and
 * parameter types as chunk IDs for now (fix_held_protos() makes them final), names copied.
 */
static int hold_proto(struct merger *m, struct chunk_out *c, const struct btf_type *fn,
		      struct fn_state *st)
{
	const struct btf_type *proto = btf__type_by_id(c->btf, fn->type);
	const struct btf_param *p;
	uint16_t i;
	int err;

	if (!proto || !btf_is_func_proto(proto))
		return -EFAULT;
	st->ret = proto->type;
	st->params = (uint32_t)m->nfparams;
	st->nparams = btf_vlen(proto);
	err = vec__reserve((void **)&m->fparams, &m->fparams_cap, m->nfparams + st->nparams,
			   sizeof(*m->fparams));
	if (err)
		return err;
	p = btf_params(proto);
	for (i = 0; i < st->nparams; i++) {
		long name = pool_name(m, btf__name_by_offset(c->btf, p[i].name_off));

		if (name < 0)
			return (int)name;
		m->fparams[m->nfparams].name = (uint32_t)name;
		m->fparams[m->nfparams].type = p[i].type;
		m->nfparams++;
	}
	return 0;
}

/*
 * func_select.c's rules: each FUNC of the chunk becomes a held state (its name, the
 * flags its units gave the name, its prototype, its DECL_TAGs).
 */
static int hold_funcs(struct merger *m, struct chunk_out *c, const uint32_t *map, uint32_t n)
{
	uint32_t i, j;
	size_t k = 0;
	int err;

	c->held_first = m->nfstates;
	for (i = 1; i < n; i++) {
		const struct btf_type *t = btf__type_by_id(c->btf, i);
		struct fn_state *st;

		if (map[i] != HOLD)
			continue;
		/* The chunk's dedup merged no candidate: the k-th FUNC is the k-th candidate. */
		if (k >= c->nfn_facts)
			return -EFAULT;
		err = vec__push_slot(&m->fstates, &m->fstates_cap, m->nfstates);
		if (err)
			return err;
		st = &m->fstates[m->nfstates];
		memset(st, 0, sizeof(*st));
		st->name = strdup(btf__name_by_offset(c->btf, t->name_off));
		if (!st->name)
			return -ENOMEM;
		st->flags = c->fn_facts[k].flags;
		st->clone_sym = c->fn_facts[k++].clone_sym;
		err = hold_proto(m, c, t, st);
		if (err)
			return err;
		st->order = m->nfstates;
		st->tags = (uint32_t)m->nftags;
		m->nfstates++;
		for (j = i + 1; j < n; j++) {
			const struct btf_type *d = btf__type_by_id(c->btf, j);
			struct fn_tag *ft;

			if (!btf_is_decl_tag(d) || d->type != i)
				continue;
			err = vec__push_slot(&m->ftags, &m->ftags_cap, m->nftags);
			if (err)
				return err;
			ft = &m->ftags[m->nftags++];
			ft->value = strdup(btf__name_by_offset(c->btf, d->name_off));
			ft->component = btf_decl_tag(d)->component_idx;
			if (!ft->value)
				return -ENOMEM;
			st->ntags++;
		}
	}
	return k == c->nfn_facts ? 0 : -EFAULT;
}

/* The held states of this chunk get the final IDs of their prototypes' types. */
static int fix_held_protos(struct merger *m, struct chunk_out *c, const uint32_t *map)
{
	size_t k, i;

	for (k = c->held_first; k < m->nfstates; k++) {
		struct fn_state *st = &m->fstates[k];

		if (st->ret && !map[st->ret])
			return -EFAULT;
		st->ret = map[st->ret];
		for (i = st->params; i < st->params + st->nparams; i++) {
			uint32_t *type = &m->fparams[i].type;

			if (*type && !map[*type])
				return -EFAULT;
			*type = map[*type];
		}
	}
	return 0;
}

/* Final ID of each chunk VAR's type, by VAR ordinal (global_vars). */
static int merge_var_candidates(struct merger *m, struct chunk_out *c, const uint32_t *map,
				uint32_t nvars, const struct symidx *syms,
				const struct diag *diag, const char *path)
{
	uint32_t n = btf__type_cnt(c->btf), i, ord = 0, *var_type;
	int err = 0;

	if (!c->ncands && !c->nskips)
		return 0;
	var_type = calloc(nvars ? nvars : 1, sizeof(*var_type));
	if (!var_type)
		return -ENOMEM;
	for (i = 1; i < n && ord < nvars; i++) {
		const struct btf_type *t = btf__type_by_id(c->btf, i);

		if (!btf_is_var(t))
			continue;
		if (t->type >= n || (t->type && !map[t->type])) {
			diag__err(diag, "%s: merging VAR %u: its type was dropped", path, i);
			err = -EFAULT;
			break;
		}
		var_type[ord++] = t->type ? map[t->type] : 0;
	}
	for (i = 0; !err && i < c->ncands; i++) {
		if (c->cands[i].var_ord >= ord) {
			diag__err(diag, "%s: variable candidate %u names no VAR", path, i);
			err = -EFAULT;
		}
	}
	if (!err)
		err = vars__merge_chunk(m, c, var_type, syms, diag, path);
	free(var_type);
	return err;
}

struct chunk_strs {
	struct merger *m;
	const struct btf *src;
	uint32_t str_len;	/* bytes of src's own string section */
};

/* A chunk string's offset in the merged strings: interned once per chunk. */
static int merge_str(uint32_t *off, void *ctx)
{
	struct chunk_strs *cs = ctx;
	const char *s;
	struct merger *m = cs->m;
	uint32_t v;
	int err;

	if (!*off)
		return 0;
	/* Offsets index the chunk's own string section: a stamped array, not a map. */
	if (*off < cs->str_len && m->str_stamp[*off] == m->str_gen) {
		*off = m->str_map[*off];
		return 0;
	}
	s = btf__str_by_offset(cs->src, *off);
	if (!s || *off >= cs->str_len)
		return -EINVAL;
	err = rawbtf__str(&m->raw, s, &v);
	if (!err) {
		m->str_stamp[*off] = m->str_gen;
		m->str_map[*off] = v;
	}
	*off = v;
	return err;
}

struct str_marks {
	uint8_t *marks;
	uint32_t len;
	uint8_t bit;
};

static int mark_str(uint32_t *off, void *ctx)
{
	struct str_marks *sm = ctx;

	if (*off < sm->len)
		sm->marks[*off] |= sm->bit;
	return 0;
}

/*
 * pahole 1.24's rules: the strings of @c that only records the merge drops refer to (a FUNC
 * whose name an earlier chunk took, its prototype and DECL_TAGs; VARs left to vars.c) get
 * 1 in m->str_marks: pahole never wrote those records, so never those strings. Every other
 * string, referenced by a kept record or by a type the chunk's dedup merged away, is one
 * pahole wrote. Sets m->str_marks_len to the marked length, 0 when nothing is dropped.
 */
static int mark_dropped_strs(struct merger *m, struct chunk_out *c, const uint32_t *map,
			     uint32_t n)
{
	struct str_marks sm = { .len = c->strs_units };
	uint32_t i;

	m->str_marks_len = 0;
	if (vec__reserve((void **)&m->str_marks, &m->str_marks_cap, sm.len, 1))
		return -ENOMEM;
	memset(m->str_marks, 0, sm.len);
	sm.marks = m->str_marks;
	for (i = 1; i < n; i++) {
		sm.bit = map[i] == DROP ? 1 : 2;
		typeref__for_each_str((struct btf_type *)btf__type_by_id(c->btf, i), mark_str, &sm);
	}
	m->str_marks_len = sm.len;
	return 0;
}

/* Whether the merge interns chunk string @off in the units' order (chunk.h strs_units). */
static int unit_str_kept(const struct merger *m, uint32_t off)
{
	return off >= m->str_marks_len || m->str_marks[off] != 1;
}

/* raw_mode: the kept records of @c, as bytes, strings and IDs rewritten. */
static int append_raw(struct merger *m, struct chunk_out *c, const uint32_t *map, uint32_t n,
		      uint32_t *var_ord, const struct diag *diag, const char *path)
{
	struct remap_ctx rc = { .map = map, .n = n };
	struct chunk_strs cs = { .m = m, .src = c->btf };
	const struct btf_header *h;
	const uint8_t *types;
	const char *strs;
	uint32_t i, size, off;
	size_t pos, len;
	int err;

	h = dedup_bridge__native_raw(c->btf, &size);
	if (!h || size < sizeof(*h))
		return -EINVAL;
	cs.str_len = h->str_len;
	/* A new stamp forgets the last chunk's strings; at wrap-around, clear. */
	if (vec__reserve((void **)&m->str_stamp, &m->str_stamp_cap, cs.str_len, sizeof(uint32_t)) ||
	    vec__reserve((void **)&m->str_map, &m->str_map_cap, cs.str_len, sizeof(uint32_t)))
		return -ENOMEM;
	if (cs.str_len > m->str_clean) {
		memset(m->str_stamp + m->str_clean, 0, (cs.str_len - m->str_clean) * sizeof(uint32_t));
		m->str_clean = cs.str_len;
	}
	if (++m->str_gen == 0) {
		memset(m->str_stamp, 0, m->str_clean * sizeof(uint32_t));
		m->str_gen = 1;
	}
	/* Every string the units gave, in their order (chunk.h strs_units). */
	strs = (const char *)h + h->hdr_len + h->str_off;
	for (off = 1; off < c->strs_units && off < cs.str_len; off += strlen(strs + off) + 1) {
		if (!unit_str_kept(m, off))
			continue;
		err = rawbtf__str(&m->raw, strs + off, &m->str_map[off]);
		if (err)
			return err;
		m->str_stamp[off] = m->str_gen;
	}
	/* The records in ID order, read in sequence from the chunk's raw bytes. */
	types = (const uint8_t *)h + h->hdr_len + h->type_off;
	for (i = 1, pos = 0; i < n; i++, pos += len) {
		const struct btf_type *src = (const void *)(types + pos);
		struct btf_type *dst;

		len = sizeof(*src) + typeref__extra_size(src);
		if (btf_is_var(src))
			(*var_ord)++;
		if (!map[i])
			continue;
		dst = rawbtf__append(&m->raw, len);
		if (!dst)
			return -ENOMEM;
		memcpy(dst, src, len);
		err = typeref__for_each_str(dst, merge_str, &cs);
		if (err) {
			diag__err(diag, "%s: merging type %u: %s", path, i, strerror(-err));
			return err;
		}
		typeref__for_each(dst, remap_id, &rc);
		if (rc.bad || m->raw.nr != map[i]) {
			diag__err(diag, "%s: merging type %u: %s", path, i,
				  rc.bad ? "reference to a dropped type" : "ID out of sequence");
			return -EFAULT;
		}
	}
	return 0;
}

int merger__finish_raw(struct merger *m)
{
	struct btf *btf;

	if (!m->raw_mode)
		return 0;
	btf = m->scratch_btf ? rawbtf__to_btf_scratch(&m->raw) : rawbtf__to_btf(&m->raw);
	if (!btf)
		return -errno;
	btf__set_endianness(btf, btf__endianness(m->btf));
	btf__free(m->btf);
	m->btf = btf;
	m->raw_mode = 0;
	rawbtf__free(&m->raw);
	return 0;
}

int merger__index_raw(struct merger *m)
{
	return m->raw_mode ? rawbtf__index_types(&m->raw) : 0;
}

const struct btf_type *merger__type_by_id(const struct merger *m, uint32_t id)
{
	return m->raw_mode ? rawbtf__type_by_id(&m->raw, id) : btf__type_by_id(m->btf, id);
}

const char *merger__name_by_offset(const struct merger *m, uint32_t off)
{
	return m->raw_mode ? rawbtf__str_by_offset(&m->raw, off) : btf__name_by_offset(m->btf, off);
}

int merger__add_ptr(struct merger *m, int ref)
{
	return m->raw_mode ? rawbtf__add_ptr(&m->raw, ref) : btf__add_ptr(m->btf, ref);
}

int merger__add_type_tag(struct merger *m, const char *value, int ref)
{
	return m->raw_mode ? rawbtf__add_type_tag(&m->raw, value, ref) :
			     btf__add_type_tag(m->btf, value, ref);
}

int merger__add_func_proto(struct merger *m, int ret)
{
	return m->raw_mode ? rawbtf__add_func_proto(&m->raw, ret) :
			     btf__add_func_proto(m->btf, ret);
}

int merger__add_func_param(struct merger *m, const char *name, int type)
{
	return m->raw_mode ? rawbtf__add_func_param(&m->raw, name, type) :
			     btf__add_func_param(m->btf, name, type);
}

int merger__add_func(struct merger *m, const char *name, int linkage, int proto)
{
	return m->raw_mode ? rawbtf__add_func(&m->raw, name, linkage, proto) :
			     btf__add_func(m->btf, name, (enum btf_func_linkage)linkage, proto);
}

int merger__add_decl_tag(struct merger *m, const char *value, int ref, int component_idx)
{
	return m->raw_mode ? rawbtf__add_decl_tag(&m->raw, value, ref, component_idx) :
			     btf__add_decl_tag(m->btf, value, ref, component_idx);
}

int merger__add_var(struct merger *m, const char *name, int linkage, int type)
{
	return m->raw_mode ? rawbtf__add_var(&m->raw, name, linkage, type) :
			     btf__add_var(m->btf, name, linkage, type);
}

int merger__add_datasec(struct merger *m, const char *name, uint32_t byte_sz)
{
	return m->raw_mode ? rawbtf__add_datasec(&m->raw, name, byte_sz) :
			     btf__add_datasec(m->btf, name, byte_sz);
}

int merger__add_datasec_var_info(struct merger *m, int var, uint32_t offset, uint32_t byte_sz)
{
	return m->raw_mode ? rawbtf__add_datasec_var_info(&m->raw, var, offset, byte_sz) :
			     btf__add_datasec_var_info(m->btf, var, offset, byte_sz);
}

long long merger__resolve_size(struct merger *m, uint32_t id, int addr_size)
{
	const struct btf_type *t;
	uint32_t nelems = 1;
	long long size = -1;
	int i;

	if (!m->raw_mode) {
		/* Else libbpf guesses from a type named like long, or takes the host's. */
		btf__set_pointer_size(m->btf, (size_t)addr_size);
		return btf__resolve_size(m->btf, id);
	}
	/* Its loop, MAX_RESOLVE_DEPTH (32) steps at most. */
	t = rawbtf__type_by_id(&m->raw, id);
	for (i = 0; i < 32 && t && !btf_is_void(t) && size < 0; i++) {
		switch (btf_kind(t)) {
		case BTF_KIND_INT:
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
		case BTF_KIND_ENUM:
		case BTF_KIND_ENUM64:
		case BTF_KIND_DATASEC:
		case BTF_KIND_FLOAT:
			size = t->size;
			break;
		case BTF_KIND_PTR:
			size = addr_size;
			break;
		case BTF_KIND_TYPEDEF:
		case BTF_KIND_VOLATILE:
		case BTF_KIND_CONST:
		case BTF_KIND_RESTRICT:
		case BTF_KIND_VAR:
		case BTF_KIND_DECL_TAG:
		case BTF_KIND_TYPE_TAG:
			t = rawbtf__type_by_id(&m->raw, t->type);
			break;
		case BTF_KIND_ARRAY:
			if (nelems && btf_array(t)->nelems > UINT32_MAX / nelems)
				return -E2BIG;
			nelems *= btf_array(t)->nelems;
			t = rawbtf__type_by_id(&m->raw, btf_array(t)->type);
			break;
		default:
			return -EINVAL;
		}
	}
	if (size < 0)
		return -EINVAL;
	if (nelems && size > UINT32_MAX / nelems)
		return -E2BIG;
	return nelems * size;
}

struct btf_type *merger__last(struct merger *m)
{
	uint32_t n;

	if (m->raw_mode)
		return rawbtf__last(&m->raw);
	n = btf__type_cnt(m->btf);
	return n > 1 ? (struct btf_type *)btf__type_by_id(m->btf, n - 1) : NULL;
}

/*
 * Step 1 of merge_chunk(): FUNCs whose name is taken, per-CPU VARs whose offset is,
 * their DECL_TAGs marked DROP in @map; FUNCs the rules choose at the end marked HOLD.
 * Sets *@funcs_dropped when a FUNC went for its name.
 */
static int mark_dropped(struct merger *m, struct chunk_out *c, uint32_t *map, uint32_t n,
			int vars_dropped, int *funcs_dropped)
{
	uint32_t i, vord = 0;
	int err;

	for (i = 1; i < n; i++) {
		const struct btf_type *t = btf__type_by_id(c->btf, i);

		if (vars_dropped && btf_is_var(t) && vord < c->vars && m->var_drop[vord++]) {
			map[i] = DROP;	/* an earlier VAR has its per-CPU offset */
		} else if (m->global_vars && btf_is_var(t)) {
			map[i] = DROP;	/* vars.c writes the chosen ones at the end */
		} else if (m->func_rules && btf_is_func(t)) {
			map[i] = HOLD;	/* func_select.c writes the chosen ones at the end */
		} else if (m->func_rules && btf_is_decl_tag(t) && t->type < n &&
			   map[t->type] == HOLD) {
			map[i] = DROP;	/* kept with its function's state below */
		} else if (btf_is_func(t)) {
			/* func_select.h A5: the first chunk's FUNC of a name wins. */
			err = func_select__take_name(m, btf__name_by_offset(c->btf, t->name_off));
			if (err < 0)
				return err;
			if (!err) {
				map[i] = DROP;
				m->funcs_dropped++;
				*funcs_dropped = 1;
			}
		} else if (btf_is_decl_tag(t) && t->type < n && map[t->type] == DROP) {
			map[i] = DROP;
		}
	}
	return 0;
}

/*
 * Step 2 of merge_chunk(): references from kept types counted in @refs; prototypes
 * nobody kept refers to marked DROP: those of FUNCs dropped for their name (A6), and
 * those of held FUNCs (B5: written again with the FUNCs chosen at the end, as pahole
 * writes a function's prototype with it; the final dedup folds one that a type of the
 * units also has into that type).
 */
static void drop_orphan_protos(struct chunk_out *c, uint32_t *map, uint32_t *refs, uint32_t n)
{
	struct remap_ctx rc = { .map = refs, .n = n };
	uint32_t i;

	for (i = 1; i < n; i++)
		if (map[i] != DROP && map[i] != HOLD)
			typeref__for_each((struct btf_type *)btf__type_by_id(c->btf, i), count_ref,
					  &rc);
	for (i = 1; i < n; i++) {
		const struct btf_type *t = btf__type_by_id(c->btf, i);

		if ((map[i] == DROP || map[i] == HOLD) && btf_is_func(t) && t->type < n &&
		    !refs[t->type])
			map[t->type] = DROP;
	}
}

/*
 * Step 3 of merge_chunk() through libbpf: the units' strings in their order, then every
 * kept type at its final ID (@map), references remapped. Counts the chunk's VARs in
 * *@var_ord.
 */
static int copy_types(struct merger *m, struct chunk_out *c, const uint32_t *map, uint32_t n,
		      uint32_t *var_ord, const struct diag *diag, const char *path)
{
	struct remap_ctx rc = { .map = map, .n = n };
	uint32_t i;

	/* Every string the units gave, in their order (chunk.h strs_units). */
	for (i = 1; i < c->strs_units; i += strlen(btf__str_by_offset(c->btf, i)) + 1) {
		int off = unit_str_kept(m, i) ? btf__add_str(m->btf, btf__str_by_offset(c->btf, i)) :
						0;

		if (off < 0)
			return off;
	}
	for (i = 1; i < n; i++) {
		const struct btf_type *src = btf__type_by_id(c->btf, i);
		struct btf_type *dst;
		int id;

		if (btf_is_var(src))
			(*var_ord)++;
		if (!map[i])
			continue;
		id = btf__add_type(m->btf, c->btf, src);
		if (id < 0 || (uint32_t)id != map[i]) {
			diag__err(diag, "%s: merging type %u: %s", path, i,
				  id < 0 ? strerror(-id) : "ID out of sequence");
			return id < 0 ? id : -EFAULT;
		}
		dst = (struct btf_type *)btf__type_by_id(m->btf, id);
		typeref__for_each(dst, remap_id, &rc);
		if (rc.bad) {
			diag__err(diag, "%s: merging type %u: reference to a dropped type", path,
				  i);
			return -EFAULT;
		}
	}
	return 0;
}

/*
 * The chunk's per-CPU secinfos with their VARs' final IDs (@map; @var_ord VARs in the
 * chunk), those of VARs dropped for their offset left out.
 */
static int merge_secinfos(struct merger *m, struct chunk_out *c, const uint32_t *map, uint32_t n,
			  uint32_t var_ord, int vars_dropped)
{
	uint32_t *var_ids = calloc(var_ord ? var_ord : 1, sizeof(*var_ids)), i;
	size_t k;
	int err;

	if (!var_ids)
		return -ENOMEM;
	var_ord = 0;
	for (i = 1; i < n; i++)
		if (btf_is_var(btf__type_by_id(c->btf, i)))
			var_ids[var_ord++] = map[i];
	err = vec__reserve((void **)&m->vsi, &m->vsi_cap, m->nvsi + c->nvsi, sizeof(*m->vsi));
	for (k = 0; !err && k < c->nvsi; k++) {
		struct btf_var_secinfo *v;

		if (c->vsi[k].var_ord >= var_ord) {
			err = -EFAULT;
			break;
		}
		if (vars_dropped && m->var_drop[c->vsi[k].var_ord])
			continue;
		v = &m->vsi[m->nvsi++];
		v->type = var_ids[c->vsi[k].var_ord];
		v->offset = c->vsi[k].offset;
		v->size = c->vsi[k].size;
	}
	free(var_ids);
	return err;
}

static int merge_chunk(struct merger *m, struct chunk_out *c, const struct symidx *syms,
		       const struct diag *diag, const char *path, int *adopt)
{
	uint32_t n = btf__type_cnt(c->btf), i, next, var_ord = 0;
	uint32_t *map, *refs;
	int err, funcs_dropped = 0, vars_dropped = 0;

	err = vec__reserve((void **)&m->map, &m->map_cap, n, sizeof(*m->map));
	if (!err)
		err = vec__reserve((void **)&m->refs, &m->refs_cap, n, sizeof(*m->refs));
	if (err)
		return err;
	map = m->map;
	refs = m->refs;
	memset(map, 0, n * sizeof(*map));
	memset(refs, 0, n * sizeof(*refs));
	if (!m->global_vars && c->nvsi) {
		vars_dropped = vars__percpu_claim(m, c);
		if (vars_dropped < 0)
			return vars_dropped;
	}
	/* 1. FUNCs whose name is taken, per-CPU VARs whose offset is, their DECL_TAGs. */
	err = mark_dropped(m, c, map, n, vars_dropped, &funcs_dropped);
	if (err)
		return err;
	/* 2. Prototypes nobody kept refers to (a held FUNC's DECL_TAGs went in step 1). */
	if (funcs_dropped || m->func_rules)
		drop_orphan_protos(c, map, refs, n);
	m->str_marks_len = 0;
	if (!m->func_rules && (funcs_dropped || vars_dropped || m->global_vars)) {
		err = mark_dropped_strs(m, c, map, n);
		if (err)
			return err;
	}
	/* 3. Final IDs, then copies. */
	if (m->func_rules) {
		err = hold_funcs(m, c, map, n);
		if (err == -EFAULT)
			diag__err(diag, "%s: internal error: the chunk's FUNC candidates and their "
				  "flags differ in number", path);
		if (err)
			return err;
	}
	next = m->raw_mode ? m->raw.nr + 1 : btf__type_cnt(m->btf);
	for (i = 1; i < n; i++)
		map[i] = map[i] == DROP || map[i] == HOLD ? 0 : next++;
	/*
	 * The first chunk, kept whole, into a standalone BTF: it becomes the
	 * merged BTF as it is (same records, same strings in the same order;
	 * not after a chunk dedup, which keeps the strings of the types it
	 * dropped, where a copy would not).
	 */
	if (!m->raw_mode && btf__type_cnt(m->btf) == 1 && !btf__base_btf(m->btf) && next == n &&
	    !c->deduped) {
		*adopt = 1;	/* merger__add() swaps the two once done with the chunk */
		for (i = 1; i < n; i++)
			if (btf_is_var(btf__type_by_id(c->btf, i)))
				var_ord++;
	} else if (m->raw_mode) {
		err = append_raw(m, c, map, n, &var_ord, diag, path);
	} else {
		err = copy_types(m, c, map, n, &var_ord, diag, path);
	}
	if (err)
		return err;
	if (m->func_rules) {
		err = fix_held_protos(m, c, map);
		if (err)
			return err;
	}
	if (m->global_vars)
		return merge_var_candidates(m, c, map, var_ord, syms, diag, path);
	/* Secinfos: VAR ordinal -> final ID. */
	return c->nvsi ? merge_secinfos(m, c, map, n, var_ord, vars_dropped) : 0;
}

int merger__add(struct merger *m, struct chunk_out *c, const struct symidx *syms,
		const struct diag *diag, const char *path)
{
	int adopt = 0, err = merge_chunk(m, c, syms, diag, path, &adopt);

	if (!err && adopt) {
		struct btf *empty = m->btf;

		m->btf = c->btf;
		c->btf = empty;
	}
	return err;
}

void merger__free(struct merger *m)
{
	size_t i;

	for (i = 0; i < m->func_names.cap; i++)
		free((char *)m->func_names.keys[i]);
	strmap__free(&m->func_names);
	func_select__free_states(m);
	free(m->vsi);
	u64map__free(&m->percpu_at);
	free(m->var_drop);
	free(m->gvars);
	u64map__free(&m->gvar_at);
	free(m->gtags);
	strmap__free(&m->decl_types);
	strmap__free(&m->skip_reason);
	free(m->map);
	free(m->refs);
	free(m->fparams);
	free(m->fname_pool);
	free(m->str_marks);
	rawbtf__free(&m->raw);
	free(m->str_stamp);
	free(m->str_map);
	memset(m, 0, sizeof(*m));
}
