// SPDX-License-Identifier: GPL-2.0-only
/*
 * vars_merge: global_vars passes 2 and 3 (see the design note in vars.c): the
 * ordered merge of chunk candidates, then placing asm-defined data, checking
 * the winners against the final BTF and writing VARs and DATASECs.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>

#include "vars_int.h"

/* ---- per-CPU rule: one VAR per offset ------------------------------------------------ */

/*
 * The kernel rejects DATASEC entries that overlap (btf_datasec_resolve(): "Invalid
 * offset"), so each offset of the per-CPU section gets one VAR: the first in chunk order.
 * From DWARF only definitions are proposed, one per offset. Compiler BTF has no
 * declarations apart from definitions: GCC 12 writes an object's extern declaration of a
 * per-CPU variable (DECLARE_PER_CPU) as a VAR of global linkage, the definition's
 * linkage, in every object that uses it, so each of those objects proposes the variable
 * at its symbol's offset; the first object in link order keeps it, as global_vars keeps
 * the first definition at an address (design note in vars.c).
 */
int vars__percpu_claim(struct merger *m, const struct chunk_out *c)
{
	uint32_t first;
	size_t k;
	int err, dropped = 0;

	err = vec__reserve((void **)&m->var_drop, &m->var_drop_cap, c->vars ? c->vars : 1, 1);
	if (err)
		return err;
	memset(m->var_drop, 0, c->vars);
	for (k = 0; k < c->nvsi; k++) {
		const struct secinfo *si = &c->vsi[k];

		if (si->var_ord >= c->vars)
			return -EFAULT;
		if (u64map__get(&m->percpu_at, si->offset, &first)) {
			m->var_drop[si->var_ord] = 1;
			dropped++;
			continue;
		}
		err = u64map__set(&m->percpu_at, si->offset, si->var_ord);
		if (err)
			return err;
	}
	m->percpu_dropped += (size_t)dropped;
	return dropped;
}

/* ---- global_vars, pass 2: merge --------------------------------------------------- */

static uint64_t place_key(uint32_t shndx, uint32_t offset)
{
	return (uint64_t)shndx << 32 | offset;
}

static int report_skip(struct merger *m, const char *name, uint64_t die_off, enum var_skip r,
		       const struct diag *diag, const char *path)
{
	int err = name ? strmap__add(&m->skip_reason, name, r) : 0;

	m->var_skips[r]++;
	if (diag__enabled(diag, DIAG_INFO))
		diag__info(diag, "%s: variable '%s' (DIE 0x%llx) skipped: %s", path,
			   name ? name : "(anon)", (unsigned long long)die_off, encoder__var_skip_name(r));
	return err < 0 ? err : 0;
}

static void report_duplicate(struct merger *m, const char *name, uint64_t die_off,
			     const struct gvar *winner, const struct symidx *s,
			     const struct diag *diag, const char *path)
{
	m->var_skips[VSKIP_DUPLICATE]++;
	if (diag__enabled(diag, DIAG_INFO))
		diag__info(diag, "%s: variable '%s' (DIE 0x%llx) skipped: %s+0x%x belongs to '%s' "
			   "(DIE 0x%llx)", path, name, (unsigned long long)die_off,
			   s->elf->secs[winner->shndx].name, winner->offset, winner->name,
			   (unsigned long long)winner->die_off);
}

static int take_tags(struct merger *m, const struct chunk_out *c, const struct var_cand *cand,
		     struct gvar *g)
{
	uint16_t j;
	int err;

	g->tags = (uint32_t)m->ngtags;
	g->ntags = cand->ntags;
	err = vec__reserve((void **)&m->gtags, &m->gtags_cap, m->ngtags + cand->ntags,
			   sizeof(*m->gtags));
	for (j = 0; !err && j < cand->ntags; j++)
		m->gtags[m->ngtags++] = c->var_tags[cand->tags + j];
	return err;
}

static int merge_definition(struct merger *m, const struct chunk_out *c,
			    const struct var_cand *cand, uint32_t type, const struct symidx *s,
			    const struct diag *diag, const char *path)
{
	uint64_t key = place_key(cand->shndx, cand->offset);
	struct gvar *g;
	uint32_t idx;
	int err;

	if (u64map__get(&m->gvar_at, key, &idx)) {
		g = &m->gvars[idx];
		if (g->owner || !cand->owner) {
			report_duplicate(m, cand->name, cand->die_off, g, s, diag, path);
			return 0;
		}
		/* The symbol's owner comes later than a definition placed there. */
		report_duplicate(m, g->name, g->die_off, &(struct gvar){ .name = cand->name,
				 .die_off = cand->die_off, .shndx = cand->shndx,
				 .offset = cand->offset }, s, diag, path);
	} else {
		err = vec__push_slot(&m->gvars, &m->gvars_cap, m->ngvars);
		if (!err)
			err = u64map__set(&m->gvar_at, key, (uint32_t)m->ngvars);
		if (err)
			return err;
		g = &m->gvars[m->ngvars++];
	}
	memset(g, 0, sizeof(*g));
	g->name = cand->name;
	g->die_off = cand->die_off;
	g->type = type;
	g->shndx = cand->shndx;
	g->offset = cand->offset;
	g->size = cand->size;
	g->owner = cand->owner;
	g->linkage = cand->linkage;
	return take_tags(m, c, cand, g);
}

int vars__merge_chunk(struct merger *m, const struct chunk_out *c, const uint32_t *var_type,
		      const struct symidx *s, const struct diag *diag, const char *path)
{
	size_t k;
	int err;

	for (k = 0; k < c->nskips; k++) {
		err = report_skip(m, c->skips[k].name, c->skips[k].die_off, c->skips[k].reason,
				  diag, path);
		if (err)
			return err;
	}
	for (k = 0; k < c->ncands; k++) {
		const struct var_cand *cand = &c->cands[k];
		uint32_t type = var_type[cand->var_ord];

		if (cand->kind == VC_DECL)
			err = strmap__add(&m->decl_types, cand->name, type);
		else
			err = merge_definition(m, c, cand, type, s, diag, path);
		if (err < 0)
			return err;
	}
	return 0;
}

/* ---- global_vars, pass 3: finish -------------------------------------------------- */

/* A data symbol that should end up with a VAR (the coverage set). */
static int symbol_wanted(const struct symidx *s, const struct data_sym *d)
{
	const char *sec = s->elf->secs[d->shndx].name;

	return d->size && s->sec_class[d->shndx] != SEC_INIT && strcmp(sec, ".BTF_ids") &&
	       strcmp(sec, ".notes") && vars__ident_valid(d->name) && !vars__name_filtered(d->name);
}

/* Asm-defined data: global symbols no definition claimed, typed by a declaration. */
static int place_declared(struct merger *m, const struct symidx *s)
{
	size_t i;
	int err;

	for (i = 0; i < s->ndsyms; i++) {
		const struct data_sym *d = &s->dsyms[i];
		struct gvar *g;
		uint32_t type, idx;

		if ((d->bind != STB_GLOBAL && d->bind != STB_WEAK) || !symbol_wanted(s, d) ||
		    s->sec_class[d->shndx] != SEC_DATA || d->offset > UINT32_MAX ||
		    d->size > UINT32_MAX ||
		    u64map__get(&m->gvar_at, place_key(d->shndx, (uint32_t)d->offset), &idx) ||
		    !strmap__get(&m->decl_types, d->name, &type))
			continue;
		err = vec__push_slot(&m->gvars, &m->gvars_cap, m->ngvars);
		if (!err)
			err = u64map__set(&m->gvar_at, place_key(d->shndx, (uint32_t)d->offset),
					  (uint32_t)m->ngvars);
		if (err)
			return err;
		g = &m->gvars[m->ngvars++];
		memset(g, 0, sizeof(*g));
		g->name = d->name;
		g->type = type;
		g->shndx = d->shndx;
		g->offset = (uint32_t)d->offset;
		g->size = (uint32_t)d->size;
		g->owner = 1;
		g->declared = 1;
		g->linkage = BTF_VAR_GLOBAL_ALLOCATED;
	}
	return 0;
}

/* (section, VAR name, offset) of every DATASEC entry of the base. */
struct base_vars {
	struct strmap keys;
	char **owned;
	size_t nowned, owned_cap;
};

static char *base_key(const char *sec, const char *name, uint32_t offset)
{
	char *key;

	return asprintf(&key, "%s %s %x", sec, name, offset) < 0 ? NULL : key;
}

static int base_vars__build(struct base_vars *b, const struct btf *base)
{
	uint32_t id, n = base ? btf__type_cnt(base) : 0;
	int err;

	for (id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(base, id);
		const struct btf_var_secinfo *vsi;
		const char *sec;
		uint16_t i;

		if (!btf_is_datasec(t))
			continue;
		sec = btf__name_by_offset(base, t->name_off);
		vsi = btf_var_secinfos(t);
		for (i = 0; i < btf_vlen(t); i++) {
			const struct btf_type *v = btf__type_by_id(base, vsi[i].type);
			char *key;

			if (!v || !btf_is_var(v))
				continue;
			key = base_key(sec, btf__name_by_offset(base, v->name_off), vsi[i].offset);
			if (!key)
				return -ENOMEM;
			err = vec__push_slot(&b->owned, &b->owned_cap, b->nowned);
			if (err) {
				free(key);
				return err;
			}
			b->owned[b->nowned++] = key;
			err = strmap__add(&b->keys, key, 0);
			if (err < 0)
				return err;
		}
	}
	return 0;
}

static int base_vars__has(const struct base_vars *b, const char *sec, const struct gvar *g)
{
	char *key;
	int found;

	if (!b->keys.cnt)
		return 0;
	key = base_key(sec, g->name, g->offset);
	if (!key)
		return -ENOMEM;
	found = strmap__get(&b->keys, key, NULL);
	free(key);
	return found;
}

static void base_vars__free(struct base_vars *b)
{
	size_t i;

	for (i = 0; i < b->nowned; i++)
		free(b->owned[i]);
	free(b->owned);
	strmap__free(&b->keys);
}

static int gvar_order(const void *a, const void *b, void *gvars)
{
	const struct gvar *x = (const struct gvar *)gvars + *(const uint32_t *)a;
	const struct gvar *y = (const struct gvar *)gvars + *(const uint32_t *)b;

	if (x->shndx != y->shndx)
		return x->shndx < y->shndx ? -1 : 1;
	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/* Where the entry after order[@k] starts: the next one's offset, or the section's end. */
static uint64_t next_start(const struct merger *m, const uint32_t *order, size_t k,
			   const struct elf_section *sec)
{
	const struct gvar *g = &m->gvars[order[k]];

	if (k + 1 < m->ngvars && m->gvars[order[k + 1]].shndx == g->shndx)
		return m->gvars[order[k + 1]].offset;
	return sec->size;
}

/*
 * Drops the winners the kernel would refuse or the base already has, in
 * (section, offset) order; the first of two overlapping entries stays. An
 * asm-defined object whose symbol is smaller than its declared type (head_64.S
 * sizes early_gdt_descr by its first .word) takes the type's size when that
 * ends before the next entry.
 */
static int check_winners(struct merger *m, const uint32_t *order, const struct symidx *s,
			 const struct encoder_config *cfg, const char *path)
{
	struct base_vars base = {};
	uint64_t end = 0;
	uint32_t prev_shndx = 0;
	size_t k;
	int err = 0;

	if (cfg->base)
		err = base_vars__build(&base, cfg->base);
	for (k = 0; !err && k < m->ngvars; k++) {
		struct gvar *g = &m->gvars[order[k]];
		const struct elf_section *sec = &s->elf->secs[g->shndx];
		long long size = merger__resolve_size(m, g->type, s->elf->addr_size);
		int why = -1, in_base;

		if (g->shndx != prev_shndx)
			end = 0;
		prev_shndx = g->shndx;
		in_base = base_vars__has(&base, sec->name, g);
		if (in_base < 0) {
			err = in_base;
			break;
		}
		if (g->declared && size > g->size &&
		    (uint64_t)size <= next_start(m, order, k, sec) - g->offset)
			g->size = (uint32_t)size;
		if (size <= 0)
			why = VSKIP_ZERO_SIZE;
		else if (size > g->size)
			why = VSKIP_TOO_BIG;
		else if (in_base)
			why = VSKIP_IN_BASE;
		else if (g->offset < end || g->offset + (uint64_t)g->size > sec->size)
			why = VSKIP_OVERLAP;
		if (why < 0) {
			end = g->offset + (uint64_t)g->size;
			continue;
		}
		g->drop = (uint8_t)(why + 1);
		m->var_skips[why]++;
		diag__info(cfg->diag, "%s: variable '%s' (%s+0x%x) skipped: %s", path, g->name,
			   sec->name, g->offset, encoder__var_skip_name(why));
	}
	base_vars__free(&base);
	return err;
}

/* The VARs in (section, offset) order, then one DATASEC per section. */
static int write_winners(struct merger *m, const uint32_t *order, const struct symidx *s,
			 const struct encoder_config *cfg, const char *path,
			 struct encoder_stats *st)
{
	uint32_t *var_ids = calloc(m->ngvars ? m->ngvars : 1, sizeof(*var_ids));
	size_t k, i, vlen = 0;
	uint32_t shndx = 0;
	int id, err = 0;

	if (!var_ids)
		return -ENOMEM;
	for (k = 0; !err && k < m->ngvars; k++) {
		const struct gvar *g = &m->gvars[order[k]];

		if (g->drop)
			continue;
		id = merger__add_var(m, g->name, g->linkage, g->type);
		if (id < 0) {
			diag__err(cfg->diag, "%s: cannot encode variable '%s': %s", path, g->name,
				  strerror(-id));
			err = id;
			break;
		}
		var_ids[k] = (uint32_t)id;
		st->vars++;
		for (i = 0; !err && !cfg->skip_decl_tag && i < g->ntags; i++)
			err = vars__add_decl_tag(m, m->gtags[g->tags + i], id, path,
						 cfg->diag);
	}
	for (k = 0; !err && k < m->ngvars; k++) {
		const struct gvar *g = &m->gvars[order[k]];
		const struct elf_section *sec = &s->elf->secs[g->shndx];

		if (g->drop)
			continue;
		if (g->shndx != shndx || vlen == DATASEC_MAX_VLEN) {
			id = merger__add_datasec(m, sec->name, (uint32_t)sec->size);
			if (id < 0) {
				diag__err(cfg->diag, "%s: cannot add DATASEC %s: %s", path,
					  sec->name, strerror(-id));
				err = id;
				break;
			}
			shndx = g->shndx;
			vlen = 0;
			st->datasecs++;
		}
		err = merger__add_datasec_var_info(m, (int)var_ids[k], g->offset, g->size);
		if (err)
			diag__err(cfg->diag, "%s: cannot add DATASEC entry '%s': %s", path,
				  g->name, strerror(-err));
		vlen++;
	}
	free(var_ids);
	return err;
}

/* Counts the data symbols that should have a VAR and reports those without. */
static void coverage(const struct merger *m, const struct symidx *s,
		     const struct encoder_config *cfg, const char *path, struct encoder_stats *st)
{
	size_t i;

	for (i = 0; i < s->ndsyms; i++) {
		const struct data_sym *d = &s->dsyms[i];
		uint32_t idx, why;

		if (!symbol_wanted(s, d))
			continue;
		st->data_syms++;
		if (d->offset <= UINT32_MAX &&
		    u64map__get(&m->gvar_at, place_key(d->shndx, (uint32_t)d->offset), &idx)) {
			why = m->gvars[idx].drop;
			if (!why || why - 1 == VSKIP_IN_BASE)
				continue;
			why--;
		} else if (s->sec_class[d->shndx] == SEC_BAD_NAME) {
			why = VSKIP_SECTION_NAME;
		} else if (!strmap__get(&m->skip_reason, d->name, &why)) {
			why = VSKIP_NO_DWARF;
		}
		st->data_syms_missing++;
		diag__info(cfg->diag, "%s: data symbol '%s' (%s+0x%llx, %llu bytes) has no VAR: %s",
			   path, d->name, s->elf->secs[d->shndx].name,
			   (unsigned long long)d->offset, (unsigned long long)d->size,
			   encoder__var_skip_name(why));
	}
}

static int finish_global(struct merger *m, const struct symidx *s,
			 const struct encoder_config *cfg, const char *path,
			 struct encoder_stats *st)
{
	uint32_t *order;
	size_t k;
	int err;

	err = place_declared(m, s);
	if (err)
		return err;
	order = malloc((m->ngvars ? m->ngvars : 1) * sizeof(*order));
	if (!order)
		return -ENOMEM;
	for (k = 0; k < m->ngvars; k++)
		order[k] = (uint32_t)k;
	qsort_r(order, m->ngvars, sizeof(*order), gvar_order, m->gvars);
	st->vars = 0;
	err = check_winners(m, order, s, cfg, path);
	if (!err)
		err = write_winners(m, order, s, cfg, path, st);
	free(order);
	if (err)
		return err;
	coverage(m, s, cfg, path, st);
	memcpy(st->var_skips, m->var_skips, sizeof(st->var_skips));
	return 0;
}

int vars__finish(struct merger *m, const struct symidx *s, const struct encoder_config *cfg,
		 const char *path, struct encoder_stats *st)
{
	if (cfg->global_vars)
		return finish_global(m, s, cfg, path, st);
	return vars__add_percpu_datasec(m, cfg->diag, path, st);
}
