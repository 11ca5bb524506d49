// SPDX-License-Identifier: GPL-2.0-only
/*
 * vars: which variables become VARs, and the DATASECs that place them.
 *
 * Two rules. By default pahole 1.24's per-CPU rule (emit_percpu_vars), kept
 * byte for byte. With global_vars (pahole 1.28's feature global_var, also
 * --encode_all_btf_vars) every file-scope variable of the image.
 *
 * Design note (global_vars).
 * Problem: one VAR for each variable the image holds, placed where its ELF
 * symbol is, typed from DWARF. Three facts need the whole input while units
 * are encoded in parallel chunks (encoder.c):
 *  - a __weak definition and the strong one both carry the strong symbol's
 *    address once linked (kernel/bpf/core.c and kernel/trace/bpf_trace.c both
 *    define bpf_snprintf_btf_proto); the kernel rejects a second DATASEC entry
 *    at one offset ("Invalid offset"), so only one may be written;
 *  - data defined in assembly has a symbol but no DWARF definition; its type
 *    can only come from an `extern` declaration in some unit;
 *  - a split layer must leave out what its base has: libbpf's dedup never
 *    merges VARs or DATASECs.
 * Passes:
 *  1. per unit (worker threads): each top-level definition with an address is
 *     checked (enum var_skip says why one is left out), placed by the ELF
 *     data symbol at that address (section, offset, the symbol's size) and
 *     written to the chunk's BTF as a candidate VAR, marked "owner" when the
 *     symbol there has its name. The first declaration of each global data
 *     symbol in a chunk becomes a VC_DECL candidate: a VAR that carries the
 *     declared type through the chunk's dedup.
 *  2. merge (calling thread, chunk order, i.e. .debug_info order): candidate
 *     VARs are not copied, their types are. Per (section, offset) the first
 *     owner wins, else the first candidate; per name the first declared type
 *     is kept.
 *  3. finish: a global data symbol with no winner at its address takes its
 *     first declared type (asm-defined data). Winners sorted by (section,
 *     offset) are checked against the final BTF (type no larger than the
 *     symbol, no overlap, not in the base) and written: the VARs, then one
 *     DATASEC per ELF section, as large as the section (the kernel wants
 *     every entry inside it). Last, each data symbol that should have a VAR
 *     and has none is counted with the reason recorded for its name.
 * Invariant: decisions depend on the ELF file and on candidates in
 * .debug_info order only, never on chunk boundaries or threads, so the bytes
 * are the same for every -j and chunk size.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "encoder_int.h"

#define PERCPU_SECTION ".data..percpu"
/* kallsyms' KSYM_NAME_LEN in the kernels that check BTF names (before 6.1). */
#define KSYM_NAME_LEN 128
/* BTF's vlen is 16 bits: a bigger section is written as several DATASECs. */
#define DATASEC_MAX_VLEN 0xffff

static const char *const skip_names[VSKIP__MAX] = {
	[VSKIP_LOCAL] = "function-local static",
	[VSKIP_TLS] = "TLS",
	[VSKIP_NO_ADDR] = "no address (optimized out)",
	[VSKIP_ARTIFICIAL] = "artificial",
	[VSKIP_NO_NAME] = "no name",
	[VSKIP_NAME_FILTER] = "name filter",
	[VSKIP_BAD_NAME] = "not a C identifier",
	[VSKIP_NO_SECTION] = "not in an allocated data section",
	[VSKIP_SECTION_NAME] = "section name invalid in BTF",
	[VSKIP_INIT] = "init data",
	[VSKIP_ADDR0] = "address 0 without a matching ELF symbol",
	[VSKIP_NO_SYMBOL] = "no ELF symbol",
	[VSKIP_VOID] = "void type",
	[VSKIP_ZERO_SIZE] = "zero-sized type",
	[VSKIP_TOO_BIG] = "type larger than its symbol",
	[VSKIP_DUPLICATE] = "another definition owns its address",
	[VSKIP_OVERLAP] = "overlaps another variable",
	[VSKIP_IN_BASE] = "in the base BTF",
	[VSKIP_NO_DWARF] = "no DWARF definition or declaration",
};

const char *encoder__var_skip_name(enum var_skip r)
{
	return r < VSKIP__MAX ? skip_names[r] : "?";
}

/* pahole's filter_variable_name(): generated and tracing helper variables. */
static int name_filtered(const char *name)
{
	static const char *const prefixes[] = {
		"__UNIQUE_ID", "__tpstrtab_", "__exitcall_", "__gendwarfksyms_ptr_",
		"__func_stack_frame_non_standard_",
	};
	size_t i;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(name, prefixes[i], strlen(prefixes[i])))
			return 1;
	return 0;
}

/* The kernel's rule for a VAR name (btf_name_valid_identifier): a C identifier. */
static int ident_valid(const char *p)
{
	size_t i;

	for (i = 0; p[i]; i++) {
		unsigned char c = (unsigned char)p[i];

		if (i >= KSYM_NAME_LEN)
			return 0;
		if (c != '_' && (i == 0 ? !isalpha(c) : !isalnum(c)))
			return 0;
	}
	return i > 0;
}

/* Size in bytes of the type record @idx stands for, through modifiers. */
static uint64_t record_size(const struct lcu *cu, uint32_t idx)
{
	unsigned int guard = 0;

	while (idx && guard++ < 64) {
		const struct ltype *r = &cu->types[idx];
		uint64_t n = 1;
		uint32_t i;

		switch (r->kind) {
		case LK_CONST:
		case LK_VOLATILE:
		case LK_RESTRICT:
		case LK_ATOMIC:
		case LK_TYPEDEF:
			idx = r->ref;
			continue;
		case LK_ARRAY:
			for (i = 0; i < r->nsub; i++)
				n *= cu->subs[r->sub + i].value;
			return n * record_size(cu, r->ref);
		case LK_STRUCT:
		case LK_UNION:
			return (r->flags & LF_DECL) ? 0 : r->size;
		case LK_VOID:
		case LK_PROTO:
			return 0;
		default:
			return r->size;
		}
	}
	return 0;
}

static int add_decl_tag(struct btf *btf, const char *value, int target, const char *path,
			const struct diag *diag)
{
	int id = btf__add_decl_tag(btf, value, target, -1);

	if (id < 0)
		diag__err(diag, "%s: cannot encode decl tag '%s' of VAR %d: %s", path, value,
			  target, strerror(-id));
	return id < 0 ? id : 0;
}

/* ---- pahole 1.24's per-CPU rule -------------------------------------------------- */

static const struct percpu_sym *percpu_find(const struct symidx *s, uint64_t off)
{
	size_t lo = 0, hi = s->npercpu;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (s->percpu[mid].offset < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->npercpu && s->percpu[lo].offset == off ? &s->percpu[lo] : NULL;
}

/* pahole 1.24's per-CPU variable rule (btf_encoder__encode_cu_variables). */
static int emit_percpu_vars(const struct var_unit *u)
{
	const struct symidx *s = u->syms;
	const struct lcu *cu = u->cu;
	struct chunk_out *out = u->out;
	size_t i;
	uint16_t j;
	int err, id;

	if (!s->percpu_shndx || u->cfg->skip_vars)
		return 0;
	for (i = 0; i < cu->nvars; i++) {
		const struct lvar *v = &cu->vars[i];
		const struct percpu_sym *sym;
		uint64_t off;

		if (v->declaration && !v->has_spec)
			continue;
		if (v->loc != LVAR_ADDR && !v->has_spec)
			continue;
		/* Function-local statics count too, under their symbol name ("x.0"),
		 * as in pahole 1.24 (1.31 leaves them out). */
		if (v->addr < s->percpu_addr || v->addr - s->percpu_addr >= s->percpu_size)
			continue;
		off = v->addr - s->percpu_addr;
		sym = percpu_find(s, off);
		if (!sym)
			continue;
		/* Many special variables sit at address 0 too: names must agree there. */
		/* pahole 1.24 compares the DIE's own name, not its specification's:
		 * that is why fixed_percpu_data is not in its output. */
		if (v->addr == 0 && (!v->own_name || !v->name || strcmp(v->name, sym->name)))
			continue;
		if (!v->type) {
			if (u->cfg->force)
				continue;
			diag__err(u->cfg->diag,
				  "%s: DIE 0x%llx: per-CPU variable '%s' has void type", u->path,
				  (unsigned long long)v->die_off, sym->name);
			return -EINVAL;
		}
		if (!record_size(cu, v->type)) {
			diag__info(u->cfg->diag, "%s: zero-sized per-CPU variable '%s' skipped",
				   u->path, sym->name);
			continue;
		}
		id = btf__add_var(out->btf, sym->name,
				  v->external ? BTF_VAR_GLOBAL_ALLOCATED : BTF_VAR_STATIC,
				  lcu__btf_id(cu, u->ids, v->type));
		if (id < 0) {
			diag__err(u->cfg->diag, "%s: DIE 0x%llx: cannot encode variable '%s': %s",
				  u->path, (unsigned long long)v->die_off, sym->name,
				  strerror(-id));
			return id;
		}
		for (j = 0; !u->cfg->skip_decl_tag && j < v->ntags; j++) {
			err = add_decl_tag(out->btf, cu->tags[v->tags + j].value, id, u->path,
					   u->cfg->diag);
			if (err)
				return err;
		}
		err = vec__push_slot(&out->vsi, &out->vsi_cap, out->nvsi);
		if (err)
			return err;
		out->vsi[out->nvsi].var_ord = (uint32_t)out->vars;
		out->vsi[out->nvsi].offset = (uint32_t)off;
		out->vsi[out->nvsi].size = (uint32_t)sym->size;
		out->nvsi++;
		out->vars++;
	}
	return 0;
}

static int secinfo_cmp(const void *a, const void *b)
{
	const struct btf_var_secinfo *x = a, *y = b;

	if (x->offset != y->offset)
		return x->offset < y->offset ? -1 : 1;
	return x->type < y->type ? -1 : x->type > y->type;
}

/* pahole 1.24's DATASEC: sized up to the end of its last entry. */
static int add_percpu_datasec(struct merger *m, const struct diag *diag, const char *path,
			      struct encoder_stats *st)
{
	const struct btf_var_secinfo *last;
	size_t i;
	int id, err;

	if (!m->nvsi)
		return 0;
	qsort(m->vsi, m->nvsi, sizeof(*m->vsi), secinfo_cmp);
	last = &m->vsi[m->nvsi - 1];
	id = btf__add_datasec(m->btf, PERCPU_SECTION, last->offset + last->size);
	if (id < 0) {
		diag__err(diag, "%s: cannot add DATASEC %s: %s", path, PERCPU_SECTION,
			  strerror(-id));
		return id;
	}
	for (i = 0; i < m->nvsi; i++) {
		err = btf__add_datasec_var_info(m->btf, m->vsi[i].type, m->vsi[i].offset,
						m->vsi[i].size);
		if (err) {
			diag__err(diag, "%s: cannot add DATASEC entry: %s", path, strerror(-err));
			return err;
		}
	}
	st->datasecs = 1;
	return 0;
}

/* ---- global_vars, pass 1: one unit ------------------------------------------------ */

static int skip_var(struct chunk_out *out, const struct lvar *v, enum var_skip r)
{
	int err = vec__push_slot(&out->skips, &out->skips_cap, out->nskips);

	if (err)
		return err;
	out->skips[out->nskips].name = v->name;
	out->skips[out->nskips].die_off = v->die_off;
	out->skips[out->nskips].reason = (uint8_t)r;
	out->nskips++;
	return 0;
}

/* The ELF symbol a definition at @shndx+@off belongs to: one with its name, else
 * the first sized one. Returns NULL if there is none; *@owner says which. */
static const struct data_sym *place(const struct symidx *s, const struct lvar *v, uint32_t shndx,
				    uint64_t off, int *owner)
{
	const struct data_sym *syms, *first = NULL;
	size_t n, i;

	syms = symidx__data_syms_at(s, shndx, off, &n);
	for (i = 0; i < n; i++) {
		if (!strcmp(syms[i].name, v->name)) {
			*owner = 1;
			return &syms[i];
		}
		if (!first && syms[i].size)
			first = &syms[i];
	}
	*owner = 0;
	return first;
}

/*
 * An array of unknown bound: gcc gives one to `static T x[];` completed later
 * (kernel/time/posix-timers.c posix_clocks) and to `extern T x[];`. Its size is
 * the ELF symbol's, so its bound is that over the element's (pahole writes
 * one flat ARRAY for all dimensions). Returns the array record, looking
 * through typedefs and qualifiers, or 0.
 */
static uint32_t unbounded_array(const struct lcu *cu, uint32_t idx)
{
	unsigned int guard = 0;

	while (idx && guard++ < 16) {
		const struct ltype *r = &cu->types[idx];

		if (r->kind == LK_ARRAY)
			return r->nsub && (cu->subs[r->sub].flags & LSUB_NO_COUNT) &&
			       record_size(cu, r->ref) ? idx : 0;
		if (r->kind != LK_CONST && r->kind != LK_VOLATILE && r->kind != LK_TYPEDEF)
			return 0;
		idx = r->ref;
	}
	return 0;
}

/* The array of unknown bound @v's type leads to, sized to @sym_size, keeping its
 * const and volatile qualifiers (a typedef's name is lost). 0 or -errno. */
static int add_sized_array(const struct var_unit *u, const struct lvar *v, uint32_t arr,
			   uint64_t sym_size, uint32_t *type)
{
	const struct lcu *cu = u->cu;
	struct btf *btf = u->out->btf;
	uint32_t idx = v->type;
	unsigned int guard = 0;
	int id, ncv = 0, cv[16];

	for (; idx != arr && guard++ < 16; idx = cu->types[idx].ref)
		if (cu->types[idx].kind != LK_TYPEDEF)
			cv[ncv++] = cu->types[idx].kind;
	/* The index type as pahole writes it; dedup merges it with the unit's. */
	id = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
	if (id >= 0)
		id = btf__add_array(btf, id, lcu__btf_id(cu, u->ids, cu->types[arr].ref),
				    (uint32_t)(sym_size / record_size(cu, cu->types[arr].ref)));
	while (id >= 0 && ncv--)
		id = cv[ncv] == LK_CONST ? btf__add_const(btf, id) : btf__add_volatile(btf, id);
	if (id < 0) {
		diag__err(u->cfg->diag, "%s: DIE 0x%llx: cannot encode the array type of '%s': %s",
			  u->path, (unsigned long long)v->die_off, v->name, strerror(-id));
		return id;
	}
	*type = (uint32_t)id;
	return 0;
}

/*
 * The BTF type of @v as an object of @sym_size bytes, in *@type. Returns 0
 * with *@why = -1, or the reason in *@why (with *@type set for
 * VSKIP_TOO_BIG); or a negative errno.
 */
static int var_type(const struct var_unit *u, const struct lvar *v, uint64_t sym_size,
		    uint32_t *type, int *why)
{
	const struct lcu *cu = u->cu;
	uint64_t size = record_size(cu, v->type), elem;
	uint32_t arr;

	*why = -1;
	if (size) {
		if (size > sym_size)
			*why = VSKIP_TOO_BIG;
		*type = lcu__btf_id(cu, u->ids, v->type);
		return 0;
	}
	arr = unbounded_array(cu, v->type);
	elem = arr ? record_size(cu, cu->types[arr].ref) : 0;
	if (!elem || !sym_size || sym_size % elem || sym_size / elem > UINT32_MAX) {
		*why = VSKIP_ZERO_SIZE;
		return 0;
	}
	return add_sized_array(u, v, arr, sym_size, type);
}

/* Why definition @v gets no VAR, or -1; sets *@sym and *@owner when it gets one. */
static int check_definition(const struct var_unit *u, const struct lvar *v,
			    const struct data_sym **sym, int *owner)
{
	const struct symidx *s = u->syms;
	uint32_t shndx;

	if (!v->top_level)
		return VSKIP_LOCAL;
	if (v->loc == LVAR_TLS)
		return VSKIP_TLS;
	if (v->loc != LVAR_ADDR)
		return VSKIP_NO_ADDR;
	if (v->artificial)
		return VSKIP_ARTIFICIAL;
	if (!v->name)
		return VSKIP_NO_NAME;
	if (name_filtered(v->name))
		return VSKIP_NAME_FILTER;
	if (!ident_valid(v->name))
		return VSKIP_BAD_NAME;
	if (!v->type)
		return VSKIP_VOID;
	if (!record_size(u->cu, v->type) && !unbounded_array(u->cu, v->type))
		return VSKIP_ZERO_SIZE;
	shndx = symidx__data_section(s, v->addr);
	if (!shndx)
		return v->addr ? VSKIP_NO_SECTION : VSKIP_ADDR0;
	if (s->sec_class[shndx] == SEC_INIT)
		return VSKIP_INIT;
	if (s->sec_class[shndx] == SEC_BAD_NAME)
		return VSKIP_SECTION_NAME;
	*sym = place(s, v, shndx, v->addr - s->elf->secs[shndx].addr, owner);
	/* Variables of discarded sections carry address 0 (pahole 1.30, 9810758). */
	if (v->addr == 0 && (!*sym || !*owner))
		return VSKIP_ADDR0;
	if (!*sym)
		return VSKIP_NO_SYMBOL;
	if ((*sym)->offset > UINT32_MAX || (*sym)->size > UINT32_MAX)
		return VSKIP_NO_SECTION;
	return -1;
}

static int add_candidate(const struct var_unit *u, const struct lvar *v, uint32_t type,
			 struct var_cand *cand)
{
	struct chunk_out *out = u->out;
	int err, id;
	uint16_t j;

	id = btf__add_var(out->btf, v->name, cand->linkage, type);
	if (id < 0) {
		diag__err(u->cfg->diag, "%s: DIE 0x%llx: cannot encode variable '%s': %s", u->path,
			  (unsigned long long)v->die_off, v->name, strerror(-id));
		return id;
	}
	cand->name = v->name;
	cand->die_off = v->die_off;
	cand->var_ord = (uint32_t)out->vars++;
	cand->tags = (uint32_t)out->nvar_tags;
	cand->ntags = 0;
	for (j = 0; cand->kind == VC_DEF && j < v->ntags; j++) {
		err = vec__push_slot(&out->var_tags, &out->var_tags_cap, out->nvar_tags);
		if (err)
			return err;
		out->var_tags[out->nvar_tags++] = u->cu->tags[v->tags + j].value;
		cand->ntags++;
	}
	err = vec__push_slot(&out->cands, &out->cands_cap, out->ncands);
	if (err)
		return err;
	out->cands[out->ncands++] = *cand;
	return 0;
}

static int add_definition(const struct var_unit *u, const struct lvar *v)
{
	struct var_cand cand = { .kind = VC_DEF };
	const struct data_sym *sym = NULL;
	int owner = 0, why, err;
	uint32_t type = 0;

	why = check_definition(u, v, &sym, &owner);
	if (why < 0) {
		err = var_type(u, v, sym->size, &type, &why);
		if (err)
			return err;
	}
	if (why >= 0)
		return skip_var(u->out, v, why);
	cand.shndx = sym->shndx;
	cand.offset = (uint32_t)sym->offset;
	cand.size = (uint32_t)sym->size;
	cand.owner = (uint8_t)owner;
	cand.linkage = v->external ? BTF_VAR_GLOBAL_ALLOCATED : BTF_VAR_STATIC;
	return add_candidate(u, v, type, &cand);
}

/* The first usable declaration per global data symbol and chunk. */
static int add_declaration(const struct var_unit *u, const struct lvar *v)
{
	struct var_cand cand = { .kind = VC_DECL, .linkage = BTF_VAR_GLOBAL_ALLOCATED };
	uint32_t sym, type = 0;
	int err, why;

	/* A block-scope `extern` declares the same object as a top-level one. */
	if ((!v->top_level && !v->external) || !v->name || !v->type ||
	    !strmap__get(&u->syms->globals, v->name, &sym) ||
	    strmap__get(&u->out->decl_names, v->name, NULL))
		return 0;
	err = var_type(u, v, u->syms->dsyms[sym].size, &type, &why);
	/* Larger than its symbol: finish() widens it if it fits (early_gdt_descr). */
	if (err || (why >= 0 && why != VSKIP_TOO_BIG))
		return err;	/* a later declaration may do */
	err = strmap__add(&u->out->decl_names, v->name, 0);
	if (err < 0)
		return err;
	return add_candidate(u, v, type, &cand);
}

static int encode_global_vars(const struct var_unit *u)
{
	const struct lcu *cu = u->cu;
	size_t i;
	int err;

	for (i = 0; i < cu->nvars; i++) {
		const struct lvar *v = &cu->vars[i];

		if (v->declaration && !v->has_spec)
			err = add_declaration(u, v);
		else
			err = add_definition(u, v);
		if (err)
			return err;
	}
	return 0;
}

int vars__encode_unit(const struct var_unit *u)
{
	return u->cfg->global_vars ? encode_global_vars(u) : emit_percpu_vars(u);
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
			   name ? name : "(anon)", (unsigned long long)die_off, skip_names[r]);
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
	       strcmp(sec, ".notes") && ident_valid(d->name) && !name_filtered(d->name);
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
		long long size = btf__resolve_size(m->btf, g->type);
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
			   sec->name, g->offset, skip_names[why]);
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
		id = btf__add_var(m->btf, g->name, g->linkage, g->type);
		if (id < 0) {
			diag__err(cfg->diag, "%s: cannot encode variable '%s': %s", path, g->name,
				  strerror(-id));
			err = id;
			break;
		}
		var_ids[k] = (uint32_t)id;
		st->vars++;
		for (i = 0; !err && !cfg->skip_decl_tag && i < g->ntags; i++)
			err = add_decl_tag(m->btf, m->gtags[g->tags + i], id, path, cfg->diag);
	}
	for (k = 0; !err && k < m->ngvars; k++) {
		const struct gvar *g = &m->gvars[order[k]];
		const struct elf_section *sec = &s->elf->secs[g->shndx];

		if (g->drop)
			continue;
		if (g->shndx != shndx || vlen == DATASEC_MAX_VLEN) {
			id = btf__add_datasec(m->btf, sec->name, (uint32_t)sec->size);
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
		err = btf__add_datasec_var_info(m->btf, var_ids[k], g->offset, g->size);
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
			   skip_names[why]);
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
	return add_percpu_datasec(m, cfg->diag, path, st);
}
