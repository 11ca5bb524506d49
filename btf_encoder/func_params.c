// SPDX-License-Identifier: GPL-2.0-only
/*
 * func_params: the FN_* flags of one FUNC candidate (func_select.h B3, B4, C1-C3, D1, D4):
 * where its parameters live at entry against the calling convention, as pahole 1.26 to 1.31
 * read it (the compatibility behaviour) or as pahole master does (the default), and its
 * address against its name's ELF symbols. Runs on the worker threads; reads the unit's
 * records and the symbol index only.
 */
#include <string.h>

#include "func_select.h"
#include "symbols.h"

/* ---- pahole 1.26 to 1.31 (B3, B4) ------------------------------------------------ */

/* DWARF register numbers of the integer argument registers, per machine. */
static int abi_regs(uint16_t machine, const int **regs)
{
	static const int x86_64[] = { 5, 4, 1, 2, 8, 9 };	/* rdi rsi rdx rcx r8 r9 */
	static const int arm64[] = { 0, 1, 2, 3, 4, 5, 6, 7 };	/* x0-x7 */
	static const int s390[] = { 2, 3, 4, 5, 6 };		/* r2-r6 */

	switch (machine) {
	case EM_X86_64:
		*regs = x86_64;
		return 6;
	case EM_AARCH64:
		*regs = arm64;
		return 8;
	case EM_S390:
		*regs = s390;
		return 5;
	default:
		*regs = NULL;
		return 0;
	}
}

/* Whether record @idx is a struct or union once modifiers and typedefs are gone. */
static int is_aggregate(const struct cu_records *cu, uint32_t idx)
{
	unsigned int guard = 0;

	while (idx && idx < cu->ntypes && guard++ < 32) {
		const struct type_rec *r = &cu->types[idx];

		if (r->kind == LK_STRUCT || r->kind == LK_UNION)
			return 1;
		if (r->kind != LK_CONST && r->kind != LK_VOLATILE && r->kind != LK_TYPEDEF &&
		    r->kind != LK_ATOMIC && r->kind != LK_RESTRICT)
			return 0;
		idx = r->ref;
	}
	return 0;
}

/* Record @idx after modifiers and typedefs (0 for void or a loop). */
static uint32_t strip(const struct cu_records *cu, uint32_t idx)
{
	unsigned int guard = 0;

	while (idx && idx < cu->ntypes && guard++ < 32) {
		const struct type_rec *r = &cu->types[idx];

		if (r->kind != LK_CONST && r->kind != LK_VOLATILE && r->kind != LK_TYPEDEF &&
		    r->kind != LK_ATOMIC && r->kind != LK_RESTRICT)
			return idx;
		idx = r->ref;
	}
	return 0;
}

/* Natural alignment in bytes of record @idx (1 if unknown). */
static uint64_t natural_align(const struct cu_records *cu, uint32_t idx, int depth)
{
	const struct type_rec *r;
	uint64_t a = 1, m;
	uint32_t i;

	idx = strip(cu, idx);
	if (!idx || depth > 8)
		return 1;
	r = &cu->types[idx];
	switch (r->kind) {
	case LK_ARRAY:
		return natural_align(cu, r->ref, depth + 1);
	case LK_STRUCT:
	case LK_UNION:
		for (i = 0; i < r->nsub; i++) {
			m = natural_align(cu, cu->subs[r->sub + i].type, depth + 1);
			a = m > a ? m : a;
		}
		return a;
	default:
		return r->size && r->size <= 16 && !(r->size & (r->size - 1)) ? r->size : 1;
	}
}

/*
 * A struct laid out off its natural alignment: a member at an offset its type's
 * alignment does not divide, or a size its largest alignment does not divide
 * (what __packed produces). pahole 1.31 infers the same from DWARF. @idx is the
 * parameter's type, followed through modifiers and typedefs if @strip_first (pahole
 * looks at the type itself: a typedef is no struct).
 */
static int is_packed_struct(const struct cu_records *cu, uint32_t idx, int strip_first)
{
	const struct type_rec *r;
	uint64_t align;
	uint32_t i;

	if (strip_first)
		idx = strip(cu, idx);
	if (!idx)
		return 0;
	r = &cu->types[idx];
	if (r->kind != LK_STRUCT || !r->name || (r->flags & LF_DECL))
		return 0;
	for (i = 0; i < r->nsub; i++) {
		const struct sub_rec *m = &cu->subs[r->sub + i];

		if (m->flags & LSUB_BITFIELD)
			continue;
		align = natural_align(cu, m->type, 0);
		if (m->value % (align * 8))
			return 1;
	}
	align = natural_align(cu, idx, 0);
	return r->size % align != 0;
}

/* B3, B4 as pahole 1.26 to 1.31 decide them. */
static unsigned int flags_131(const struct cu_records *cu, const struct type_rec *p,
			      uint16_t machine)
{
	unsigned int flags = 0;
	const int *regs;
	int nregs = abi_regs(machine, &regs), by_value = 0;
	uint32_t i;

	for (i = 0; i < p->nsub; i++) {
		const struct sub_rec *prm = &cu->subs[p->sub + i];

		if (is_aggregate(cu, prm->type))
			by_value = 1;
		if ((int)i >= nregs)
			continue;
		if (prm->flags & LSUB_P_NOLOC)
			flags |= FN_OPTIMIZED;
		else if ((prm->flags & LSUB_P_REG) && LSUB_P_REG_131(prm->bit_size) != regs[i])
			flags |= FN_UNEXPECTED_REG;
	}
	/* A struct passed by value takes registers of its own: positions shift. */
	if (by_value)
		flags &= ~FN_UNEXPECTED_REG;
	/* pahole 1.31's uncertain_parm_loc: a packed struct passed on the stack past
	 * the registers has no location a caller of the BTF could rely on. */
	for (i = nregs; nregs && p->nsub >= (uint32_t)nregs && i < p->nsub; i++)
		if (is_packed_struct(cu, cu->subs[p->sub + i].type, 1))
			flags |= FN_UNCERTAIN_LOC;
	return flags;
}

/* ---- pahole master (C1) ------------------------------------------------------------- */

/*
 * The calling convention as pahole master knows it (dwarves 1436daf dwarf_loader.c
 * arch__nr_register_params(), arch__set_register_params(), arch__agg_use_two_regs()):
 * how many arguments go in registers, which registers where it knows them, and whether
 * an aggregate of up to twice the address size takes two.
 */
struct call_conv {
	int nregs;
	const int *regs;	/* DWARF numbers; NULL: none known */
	int two_regs;
	unsigned int addr_size;
};

static void call_conv(uint16_t machine, int addr_size, struct call_conv *cc)
{
	static const int x86_64[] = { 5, 4, 1, 2, 8, 9 };	/* rdi rsi rdx rcx r8 r9 */
	static const int arm[] = { 0, 1, 2, 3, 4, 5, 6, 7 };	/* r0-r7, x0-x7 */
	static const int s390[] = { 2, 3, 4, 5, 6 };		/* r2-r6 */

	cc->regs = NULL;
	cc->two_regs = machine != EM_S390;
	cc->addr_size = (unsigned int)addr_size;
	switch (machine) {
	case EM_S390:
		cc->nregs = 5;
		cc->regs = s390;
		break;
	case EM_X86_64:
		cc->nregs = 6;
		cc->regs = x86_64;
		break;
	case EM_SPARC:
	case EM_SPARCV9:
		cc->nregs = 6;
		break;
	case EM_ARM:
	case EM_AARCH64:
		cc->nregs = 8;
		cc->regs = arm;
		break;
	case EM_ARC:
	case EM_MIPS:
	case EM_PPC:
	case EM_PPC64:
	case EM_RISCV:
		cc->nregs = 8;
		break;
	default:
		cc->nregs = 0;
	}
}

static int cc_reg(const struct call_conv *cc, int idx)
{
	return cc->regs && idx < cc->nregs ? cc->regs[idx] : -1;
}

/*
 * The byte size pahole master gives a parameter of type @idx (get_type_byte_size()): a
 * pointer's is the address size, else the first DW_AT_byte_size along the DW_AT_type
 * chain, 0 if none; kept in 16 bits, as there.
 */
static uint16_t byte_size(const struct cu_records *cu, uint32_t idx, unsigned int addr_size)
{
	unsigned int guard = 0;

	while (idx && idx < cu->ntypes && guard++ < 64) {
		const struct type_rec *r = &cu->types[idx];

		if (r->kind == LK_PTR || r->kind == LK_PTR_MEMBER)
			return (uint16_t)addr_size;
		if (r->size && (r->kind == LK_BASE || r->kind == LK_STRUCT ||
				r->kind == LK_UNION || r->kind == LK_ENUM))
			return (uint16_t)r->size;
		idx = r->ref;
	}
	return 0;
}

/* pahole's param__is_struct(): a struct, also behind const and typedefs. */
static int is_struct(const struct cu_records *cu, uint32_t idx)
{
	unsigned int guard = 0;

	while (idx && idx < cu->ntypes && guard++ < 64) {
		const struct type_rec *r = &cu->types[idx];

		if (r->kind != LK_CONST && r->kind != LK_TYPEDEF)
			return r->kind == LK_STRUCT;
		idx = r->ref;
	}
	return 0;
}

/* One parameter as pahole master's function__analyze_parameter_locations() sees it. */
struct parm {
	int has_loc, has_const, reg, slots, in_memory;
	/* true_signature's facts (D4): the first location a constant, on the stack; the
	 * pieces of an aggregate bigger than the address size in its first, second register */
	int loc_const, loc_stack, pieces_lo, pieces_hi;
};

static void parm_of(const struct cu_records *cu, const struct sub_rec *s,
		    const struct call_conv *cc, struct parm *pm)
{
	unsigned int size = byte_size(cu, s->type, cc->addr_size);
	int small = size <= cc->addr_size || !cc->two_regs;

	pm->has_loc = (s->flags & LSUB_P_LOC) != 0;
	pm->has_const = (s->flags & LSUB_P_CONST) != 0;
	pm->reg = small ? LSUB_P_REG_SCALAR(s->bit_size) : LSUB_P_REG_PIECES(s->bit_size);
	pm->slots = small ? 1 : (int)((size + cc->addr_size - 1) / cc->addr_size);
	pm->in_memory = size > (cc->two_regs ? 2 : 1) * cc->addr_size;
	pm->loc_const = (s->flags & LSUB_P_LOC_CONST) != 0;
	pm->loc_stack = (s->flags & LSUB_P_LOC_STACK) != 0;
	pm->pieces_lo = !small && (s->flags & LSUB_P_PIECES_LO);
	pm->pieces_hi = !small && (s->flags & LSUB_P_PIECES_HI);
}

/* pahole master's function__match_clang_parameter_locations(): an unexpected register. */
static int clang_unexpected(const struct parm *pm, int reg_idx, const struct call_conv *cc)
{
	int i;

	if (pm->reg < 0)
		return 0;
	for (i = 0; i < pm->slots && reg_idx + i < cc->nregs; i++)
		if (pm->reg == cc_reg(cc, reg_idx + i))
			return 0;
	return 1;
}

/*
 * C1: pahole master's function__analyze_parameter_locations() and what
 * cu__resolve_func_ret_types_optimized() makes of it: FN_OPTIMIZED when a parameter is
 * optimized out or has no location, FN_UNEXPECTED_REG when one is in another register
 * than the convention's and no struct is passed by value. @leave[i]: parameter i is
 * optimized out or has no location (C2 leaves those out of a reordered prototype).
 */
static unsigned int flags_master(const struct cu_records *cu, const struct func_rec *f,
				 const struct call_conv *cc, uint8_t *leave)
{
	const struct type_rec *p = &cu->types[f->proto];
	/* clang's, with the signature it declares: registers compared only */
	int clang_kept = cu->producer_clang && !f->signature_changed, reg_idx = 0;
	int unexpected = 0, any_struct = 0;
	unsigned int flags = 0;
	uint32_t i;

	for (i = 0; i < p->nsub; i++) {
		const struct sub_rec *s = &cu->subs[p->sub + i];
		int optimized = 0, expected;
		struct parm pm;

		parm_of(cu, s, cc, &pm);
		any_struct |= is_struct(cu, s->type);
		if (clang_kept) {
			if (pm.in_memory || reg_idx >= cc->nregs)
				goto next;
			unexpected |= clang_unexpected(&pm, reg_idx, cc);
			reg_idx += pm.slots;
			goto next;
		}
		expected = reg_idx < cc->nregs ? cc_reg(cc, reg_idx) : -1;
		if (pm.has_loc && reg_idx >= cc->nregs)
			goto next;	/* on the stack: takes no register */
		if (pm.has_loc && pm.reg < 0)
			optimized = 1;
		else if (pm.has_loc && expected >= 0 && expected != pm.reg)
			unexpected = 1;
		else if (!pm.has_loc && pm.has_const && !cu->producer_clang)
			optimized = 1;
		reg_idx += pm.in_memory ? 1 : pm.slots;
next:
		if (optimized || !pm.has_loc) {
			flags |= FN_OPTIMIZED;
			if (leave)
				leave[i] = 1;
		}
	}
	if (unexpected && !any_struct)
		flags |= FN_UNEXPECTED_REG;
	return flags;
}

/*
 * pahole master's ftype__next_parameter_preserves_slots(): parameter @i + 1 of @p is in
 * the register the convention gives it when parameter @i takes @slots from @reg_idx.
 */
static int next_preserves(const struct cu_records *cu, const struct type_rec *p, uint32_t i,
			  int reg_idx, int slots, const struct call_conv *cc)
{
	struct parm next;

	if (i + 1 >= p->nsub)
		return 0;
	parm_of(cu, &cu->subs[p->sub + i + 1], cc, &next);
	return next.reg >= 0 && reg_idx + slots < cc->nregs &&
	       next.reg == cc_reg(cc, reg_idx + slots);
}

const struct sub_rec *func_select__member(const struct cu_records *cu, const struct sub_rec *prm)
{
	uint64_t at = (uint64_t)LSUB_P_MEMBER_AT(prm->bit_size) * 8;
	uint32_t idx = prm->type, i;
	unsigned int guard = 0;
	const struct type_rec *r;

	if (!(prm->flags & LSUB_P_MEMBER))
		return NULL;
	while (idx && idx < cu->ntypes && !cu->types[idx].size && guard++ < 64)
		idx = cu->types[idx].ref;
	if (!idx || idx >= cu->ntypes || cu->types[idx].kind != LK_STRUCT)
		return NULL;
	r = &cu->types[idx];
	for (i = 0; i < r->nsub; i++) {
		const struct sub_rec *m = &cu->subs[r->sub + i];

		if (m->value == at)
			return m->name && m->type ? m : NULL;
	}
	return NULL;
}

/*
 * D4: pahole master's function__analyze_parameter_locations() with true_signature, for a
 * function clang marks DW_CC_nocall (dwarves e962904; 5b8a2ca writes its prototype): a
 * parameter whose first location is a constant, or without a location unless the next
 * one is where the convention puts it after this one's slots, is optimized out and left
 * out (so is one C2 leaves out); one on the stack that is no aggregate passed in memory,
 * in no register or in another than the convention's, is in an unexpected register. An
 * aggregate passed in pieces is kept whole when both its registers are used or the next
 * parameter is where the convention puts it after the aggregate's slots; else, when one
 * piece is its member, it is written as that member. @leave[i]: enum param_fate.
 */
static unsigned int flags_true_sig(const struct cu_records *cu, const struct func_rec *f,
				   const struct call_conv *cc, uint8_t *leave)
{
	const struct type_rec *p = &cu->types[f->proto];
	unsigned int flags = FN_TRUE_SIG;
	int reg_idx = 0, unexpected = 0, any_struct = 0;
	uint32_t i;

	for (i = 0; i < p->nsub; i++) {
		const struct sub_rec *s = &cu->subs[p->sub + i];
		int optimized = 0, consumes = 1, avail = reg_idx < cc->nregs, expected;
		uint8_t fate = 0;
		struct parm pm;

		parm_of(cu, s, cc, &pm);
		/* pahole records the member only for an aggregate read in pieces */
		if ((pm.pieces_lo || pm.pieces_hi) && func_select__member(cu, s))
			fate = PARAM_MEMBER_NAME;
		any_struct |= is_struct(cu, s->type);
		expected = avail ? cc_reg(cc, reg_idx) : -1;
		if (pm.has_loc) {
			if (pm.loc_const) {
				optimized = 1;
				consumes = 0;
			} else if (!avail) {
				consumes = 0;
			} else if (pm.loc_stack) {
				if (pm.in_memory)
					consumes = 0;
				else
					unexpected = 1;
			} else if (pm.reg < 0 || (expected >= 0 && expected != pm.reg)) {
				unexpected = 1;
			} else if (pm.pieces_lo && pm.pieces_hi) {
				reg_idx += pm.slots;
				consumes = 0;
			} else if (pm.pieces_lo || pm.pieces_hi) {
				if (next_preserves(cu, p, i, reg_idx, pm.slots, cc)) {
					fate = 0;
					reg_idx += pm.slots;
					consumes = 0;
				} else if (fate) {
					fate |= PARAM_MEMBER_TYPE;
					reg_idx++;
					consumes = 0;
				}
			}
		} else if (pm.has_const && !cu->producer_clang) {
			optimized = 1;
		} else if (avail && next_preserves(cu, p, i, reg_idx, pm.slots, cc)) {
			reg_idx += pm.slots;
			consumes = 0;
		} else {
			optimized = 1;
			consumes = 0;
		}
		if (consumes)
			reg_idx += pm.in_memory ? 1 : pm.slots;
		if (optimized || !pm.has_loc)
			flags |= FN_OPTIMIZED;
		if (optimized || (f->reordered && !pm.has_loc))
			fate = PARAM_LEAVE_OUT;
		if (fate & PARAM_LEAVE_OUT)
			flags |= FN_TS_LEFT_OUT;
		else if (fate)
			flags |= FN_TS_MEMBER;
		if (leave)
			leave[i] = fate;
	}
	if (unexpected && !any_struct)
		flags |= FN_UNEXPECTED_REG;
	return flags;
}

/* pahole's ftype__has_uncertain_arg_loc(), with master's register count. */
static int uncertain_loc(const struct cu_records *cu, const struct type_rec *p, int nregs)
{
	uint32_t i;

	if (p->nsub < (uint32_t)nregs)
		return 0;
	for (i = nregs; i < p->nsub; i++)
		if (is_packed_struct(cu, cu->subs[p->sub + i].type, 0))
			return 1;
	return 0;
}

/* The name up to the first '.' holds ".constprop" or ".isra" (str_contains_optimized_fn_suffix()). */
static int optimized_suffix(const char *name)
{
	const char *dot = strchr(name, '.');

	return dot && (strstr(dot, ".constprop") || strstr(dot, ".isra"));
}

/*
 * C3, C4: @f's address (pahole: its DW_AT_low_pc, 0 if none) against its group's
 * symbols: at one of them, and at one named .isra/.constprop (then the compiler changed
 * its signature). D1, if @clone_sym is not NULL: the first symbol there with a '.' in its
 * name (pahole master's btf_encoder__save_func() with true_signature), 0 if none.
 */
static unsigned int symbol_flags(const struct func_rec *f, const struct symidx *syms,
				 uint32_t *clone_sym)
{
	uint64_t addr = f->has_low_pc ? f->low_pc : 0;
	unsigned int flags = 0;
	uint32_t g, i;

	if (!strmap__get(&syms->func_groups, f->name, &g))
		return 0;
	for (i = syms->groups[g].first_sym; i; i = syms->group_next[i]) {
		const struct elf_sym *sym = &syms->elf->syms[i];

		if (objfile__sym_value(syms->elf, sym) != addr)
			continue;
		flags |= FN_AT_SYMBOL;
		if (addr && optimized_suffix(sym->name))
			flags |= FN_OPT_SYMBOL;
		if (addr && clone_sym && !*clone_sym && strchr(sym->name, '.'))
			*clone_sym = i;
	}
	return flags;
}

unsigned int func_select__flags(const struct cu_records *cu, const struct func_rec *f,
				const struct symidx *syms, const struct encoder_config *cfg,
				uint8_t *leave, uint32_t *clone_sym)
{
	const struct type_rec *p = &cu->types[f->proto];
	const struct objfile *elf = syms->elf;
	struct call_conv cc;
	unsigned int flags;

	*clone_sym = 0;
	/* Compiler BTF: no parameter locations (encoder_config.btf_input); the rules on
	 * symbols and types alone still apply. */
	if (cfg->btf_input && cfg->compat_124)
		return 0;
	if (cfg->btf_input) {
		call_conv(elf->machine, elf->addr_size, &cc);
		return symbol_flags(f, syms, NULL) |
		       (uncertain_loc(cu, p, cc.nregs) ? FN_UNCERTAIN_LOC : 0);
	}
	if (cfg->compat_124)
		return flags_131(cu, p, elf->machine);
	call_conv(elf->machine, elf->addr_size, &cc);
	if (cfg->true_signature && f->signature_changed)
		flags = flags_true_sig(cu, f, &cc, leave);
	else
		flags = flags_master(cu, f, &cc, leave);
	flags |= symbol_flags(f, syms, cfg->true_signature ? clone_sym : NULL);
	if (uncertain_loc(cu, p, cc.nregs))
		flags |= FN_UNCERTAIN_LOC;
	if (f->reordered)
		flags |= FN_REORDERED;
	if (f->signature_changed)
		flags |= FN_SIG_CHANGED;
	return flags;
}

