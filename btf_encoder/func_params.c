// SPDX-License-Identifier: GPL-2.0-only
/*
 * func_params: the FN_* flags of one FUNC candidate (func_select.h B3, B4): where its
 * parameters live at entry against the calling convention. Runs on the worker threads;
 * reads the unit's records only.
 */
#include "func_select.h"

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
 * (what __packed produces). pahole 1.31 infers the same from DWARF.
 */
static int is_packed_struct(const struct cu_records *cu, uint32_t idx)
{
	const struct type_rec *r;
	uint64_t align;
	uint32_t i;

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

unsigned int func_select__flags(const struct cu_records *cu, const struct func_rec *f,
				uint16_t machine)
{
	const struct type_rec *p = &cu->types[f->proto];
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
		if (is_packed_struct(cu, cu->subs[p->sub + i].type))
			flags |= FN_UNCERTAIN_LOC;
	return flags;
}

