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
#include <bpf/btf.h>

#include "vars_int.h"

#define PERCPU_SECTION ".data..percpu"
/* kallsyms' KSYM_NAME_LEN in the kernels that check BTF names (before 6.1). */
#define KSYM_NAME_LEN 128

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
int vars__name_filtered(const char *name)
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
int vars__ident_valid(const char *p)
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
static uint64_t record_size(const struct cu_records *cu, uint32_t idx)
{
	unsigned int guard = 0;

	while (idx && guard++ < 64) {
		const struct type_rec *r = &cu->types[idx];
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

static int decl_tag_failed(const char *value, int target, const char *path,
			   const struct diag *diag, int err)
{
	diag__err(diag, "%s: cannot encode decl tag '%s' of VAR %d: %s", path, value, target,
		  strerror(-err));
	return err;
}

int vars__add_decl_tag(struct merger *m, const char *value, int target, const char *path,
		       const struct diag *diag)
{
	int id = merger__add_decl_tag(m, value, target, -1);

	return id < 0 ? decl_tag_failed(value, target, path, diag, id) : 0;
}

/* The same for a chunk being built. */
static int chunk_decl_tag(struct rawbtf *rb, const char *value, int target, const char *path,
			  const struct diag *diag)
{
	int id = rawbtf__add_decl_tag(rb, value, target, -1);

	return id < 0 ? decl_tag_failed(value, target, path, diag, id) : 0;
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

/*
 * Whether an ELF data symbol named @name lies in the per-CPU section: pahole's check for a
 * variable at address 0 since 1.28 (dwarves btf_encoder.c variable_in_sec(); 1.24 compared
 * the DIE's own name with the symbol at that address instead).
 */
static int percpu_has_name(const struct symidx *s, const char *name)
{
	size_t i;

	for (i = 0; name && i < s->npercpu; i++)
		if (!strcmp(s->percpu[i].name, name))
			return 1;
	return 0;
}

/*
 * pahole 1.24's per-CPU variable rule (btf_encoder__encode_cu_variables), with two rules
 * of later pahole outside the compatibility behaviour: a function-local static is left
 * out (it is no variable of the section's, pahole 1.26+), and a variable at offset 0 is
 * kept when a per-CPU symbol bears the name its declaration gives it (fixed_percpu_data,
 * declared in a header and defined with DECLARE_PER_CPU_FIRST).
 */
static int emit_percpu_vars(const struct var_unit *u)
{
	const struct symidx *s = u->syms;
	const struct cu_records *cu = u->cu;
	struct chunk_out *out = u->out;
	size_t i;
	uint16_t j;
	int err, id;

	if (!s->percpu_shndx || u->cfg->skip_vars)
		return 0;
	for (i = 0; i < cu->nvars; i++) {
		const struct var_rec *v = &cu->vars[i];
		const struct percpu_sym *sym;
		uint64_t off;

		if (v->declaration && !v->has_spec)
			continue;
		if (v->loc != LVAR_ADDR && !v->has_spec)
			continue;
		/* Function-local statics count too in 1.24, under their symbol name ("x.0"). */
		if (!u->cfg->compat_124 && !v->top_level)
			continue;
		if (v->addr < s->percpu_addr || v->addr - s->percpu_addr >= s->percpu_size)
			continue;
		off = v->addr - s->percpu_addr;
		sym = percpu_find(s, off);
		if (!sym)
			continue;
		/* Many special variables sit at address 0 too: names must agree there.
		 * pahole 1.24 compares the DIE's own name, not its specification's:
		 * that is why fixed_percpu_data is not in its output. */
		if (v->addr == 0 && u->cfg->compat_124 &&
		    (!v->own_name || !v->name || strcmp(v->name, sym->name)))
			continue;
		/* Later pahole: offset 0 in the section, by the declared name. */
		if (off == 0 && !u->cfg->compat_124 && !percpu_has_name(s, v->name))
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
		id = rawbtf__add_var(&out->rb, sym->name,
				  v->external ? BTF_VAR_GLOBAL_ALLOCATED : BTF_VAR_STATIC,
				  cu__btf_id(cu, u->ids, v->type));
		if (id < 0) {
			diag__err(u->cfg->diag, "%s: DIE 0x%llx: cannot encode variable '%s': %s",
				  u->path, (unsigned long long)v->die_off, sym->name,
				  strerror(-id));
			return id;
		}
		for (j = 0; !u->cfg->skip_decl_tag && j < v->ntags; j++) {
			err = chunk_decl_tag(&out->rb, cu->tags[v->tags + j].value, id, u->path,
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
int vars__add_percpu_datasec(struct merger *m, const struct diag *diag, const char *path,
			     struct encoder_stats *st)
{
	const struct btf_var_secinfo *last;
	size_t i;
	int id, err;

	if (m->percpu_dropped) {
		diag__info(diag, "%s: %zu per-CPU VARs left out: an earlier unit's VAR has their "
			   "offset (from compiler BTF: the extern declarations of other objects)",
			   path, m->percpu_dropped);
		st->vars -= m->percpu_dropped;
	}
	if (!m->nvsi)
		return 0;
	qsort(m->vsi, m->nvsi, sizeof(*m->vsi), secinfo_cmp);
	last = &m->vsi[m->nvsi - 1];
	/* Onto the merged records as they are, or the libbpf object made of them. */
	id = merger__add_datasec(m, PERCPU_SECTION, last->offset + last->size);
	if (id < 0) {
		diag__err(diag, "%s: cannot add DATASEC %s: %s", path, PERCPU_SECTION,
			  strerror(-id));
		return id;
	}
	for (i = 0; i < m->nvsi; i++) {
		err = merger__add_datasec_var_info(m, (int)m->vsi[i].type, m->vsi[i].offset,
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

static int skip_var(struct chunk_out *out, const struct var_rec *v, enum var_skip r)
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
static const struct data_sym *place(const struct symidx *s, const struct var_rec *v, uint32_t shndx,
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
static uint32_t unbounded_array(const struct cu_records *cu, uint32_t idx)
{
	unsigned int guard = 0;

	while (idx && guard++ < 16) {
		const struct type_rec *r = &cu->types[idx];

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
static int add_sized_array(const struct var_unit *u, const struct var_rec *v, uint32_t arr,
			   uint64_t sym_size, uint32_t *type)
{
	const struct cu_records *cu = u->cu;
	struct rawbtf *rb = &u->out->rb;
	uint32_t idx = v->type;
	unsigned int guard = 0;
	int id, ncv = 0, cv[16];

	for (; idx != arr && guard++ < 16; idx = cu->types[idx].ref)
		if (cu->types[idx].kind != LK_TYPEDEF)
			cv[ncv++] = cu->types[idx].kind;
	/* The index type as pahole writes it; dedup merges it with the unit's. */
	id = rawbtf__add_int(rb, "int", 4, BTF_INT_SIGNED);
	if (id >= 0)
		id = rawbtf__add_array(rb, id, cu__btf_id(cu, u->ids, cu->types[arr].ref),
				       (uint32_t)(sym_size / record_size(cu, cu->types[arr].ref)));
	while (id >= 0 && ncv--)
		id = cv[ncv] == LK_CONST ? rawbtf__add_const(rb, id) : rawbtf__add_volatile(rb, id);
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
static int var_type(const struct var_unit *u, const struct var_rec *v, uint64_t sym_size,
		    uint32_t *type, int *why)
{
	const struct cu_records *cu = u->cu;
	uint64_t size = record_size(cu, v->type), elem;
	uint32_t arr;

	*why = -1;
	if (size) {
		if (size > sym_size)
			*why = VSKIP_TOO_BIG;
		*type = cu__btf_id(cu, u->ids, v->type);
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
static int check_definition(const struct var_unit *u, const struct var_rec *v,
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
	if (vars__name_filtered(v->name))
		return VSKIP_NAME_FILTER;
	if (!vars__ident_valid(v->name))
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

static int add_candidate(const struct var_unit *u, const struct var_rec *v, uint32_t type,
			 struct var_cand *cand)
{
	struct chunk_out *out = u->out;
	int err, id;
	uint16_t j;

	id = rawbtf__add_var(&out->rb, v->name, cand->linkage, type);
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

static int add_definition(const struct var_unit *u, const struct var_rec *v)
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
static int add_declaration(const struct var_unit *u, const struct var_rec *v)
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
	/* Larger than its symbol: vars__finish() (vars_merge.c) widens it if it fits
	 * (early_gdt_descr). */
	if (err || (why >= 0 && why != VSKIP_TOO_BIG))
		return err;	/* a later declaration may do */
	err = strmap__add(&u->out->decl_names, v->name, 0);
	if (err < 0)
		return err;
	return add_candidate(u, v, type, &cand);
}

static int encode_global_vars(const struct var_unit *u)
{
	const struct cu_records *cu = u->cu;
	size_t i;
	int err;

	for (i = 0; i < cu->nvars; i++) {
		const struct var_rec *v = &cu->vars[i];

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
