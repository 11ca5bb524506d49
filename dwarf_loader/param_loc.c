// SPDX-License-Identifier: GPL-2.0-only
/*
 * param_loc: where a subprogram's parameters live at function entry, the facts the
 * function rules of optimized_func and consistent_func decide on (btf_encoder/func_select.h),
 * read as each pahole reads them (LSUB_P_* in loader.h).
 *
 * Design note. pahole 1.26 to 1.31 look at the first location of a parameter only.
 * pahole master (dwarves 1436daf, dwarf_loader.c) reads the whole location list and keeps
 * the first register it names: at the first location a DW_OP_regN, or a DW_OP_bregN whose
 * value is the result (DW_OP_stack_value); at any location a DW_OP_entry_value(DW_OP_regN).
 * An expression of several operations counts differently for an aggregate bigger than the
 * address size, passed in pieces (the first register among them), than for anything else
 * (its first operation); which one applies depends on the parameter's type, so both are
 * kept and the encoder, which knows the sizes, chooses.
 * gcc describes an out-of-line copy of an inlined or cloned function (foo.isra.0) as a
 * concrete DIE whose parameters name the abstract DIE's as their DW_AT_abstract_origin,
 * and may list them in another order (the parameters it dropped last). pahole master then
 * (ftype__recode_dwarf_types()):
 *  1. marks the concrete function reordered_parm when a parameter's origin is at another
 *     position among its own function's parameters;
 *  2. gives the origin parameter what the concrete one has: a location, a constant value,
 *     a register (the last concrete instance's, in unit order).
 * param_loc__share_origins() does both once the unit is walked, for origins in the unit
 * (pahole looks no further either).
 * For true_signature on clang's DW_CC_nocall functions (dwarves 5239db9) pahole master
 * also notes a first location that is a constant or on the stack, and which bytes of an
 * aggregate passed in pieces each register holds, over the whole location list; when one
 * register holds one piece and the parameter names itself and its type, the member at
 * that offset is what it passes. Shared with the origin too (the pieces ORed, the member
 * if it has none). The whole list is read in clang's units only: signature_changed is
 * clang's.
 */
#include <errno.h>
#include <string.h>
#include <dwarf.h>

#include "loader_int.h"

/* pahole 1.26-1.31: the register an expression starts in, DW_OP_regN or DW_OP_entry_value(regN). */
static int expr_reg(Dwarf_Attribute *attr, const Dwarf_Op *ops, size_t nops)
{
	size_t i;

	if (!nops)
		return -1;
	if (ops[0].atom >= DW_OP_reg0 && ops[0].atom <= DW_OP_reg31)
		return ops[0].atom - DW_OP_reg0;
	if (ops[0].atom == DW_OP_regx)
		return (int)ops[0].number;
	for (i = 0; i < nops; i++) {
		Dwarf_Attribute ev;
		Dwarf_Op *inner;
		size_t ninner;

		if (ops[i].atom != DW_OP_entry_value && ops[i].atom != DW_OP_GNU_entry_value)
			continue;
		if (dwarf_getlocation_attr(attr, &ops[i], &ev) == 0 &&
		    dwarf_getlocation(&ev, &inner, &ninner) == 0 && ninner &&
		    inner[0].atom >= DW_OP_reg0 && inner[0].atom <= DW_OP_reg31)
			return inner[0].atom - DW_OP_reg0;
	}
	return -1;
}

static int op_reg(unsigned int atom)
{
	return atom >= DW_OP_reg0 && atom <= DW_OP_reg31 ? (int)(atom - DW_OP_reg0) : -1;
}

static int op_breg(unsigned int atom)
{
	return atom >= DW_OP_breg0 && atom <= DW_OP_breg31 ? (int)(atom - DW_OP_breg0) : -1;
}

static int op_const(unsigned int atom)
{
	return (atom >= DW_OP_lit0 && atom <= DW_OP_lit31) || atom == DW_OP_constu ||
	       atom == DW_OP_consts;
}

/*
 * pahole master's registers so far (the first one found wins), and the byte offsets of
 * the pieces in the first and second register (first_reg_fields, second_reg_fields).
 */
struct master_regs {
	int scalar, pieces;
	uint64_t lo, hi;
};

static void keep_reg(int *r, int reg)
{
	if (*r < 0)
		*r = reg;
}

/*
 * The pieces an expression of several operations passes (parameter__multi_exprs()): a
 * leading DW_OP_piece skips bytes; each later one marks the byte offset it starts at, in
 * the first register's bytes or the second's (pahole keeps offsets below 64 of each).
 */
static void master_pieces(const Dwarf_Op *ops, size_t n, uint64_t addr_size,
			  struct master_regs *m)
{
	uint64_t off = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (ops[i].atom != DW_OP_piece)
			continue;
		if (i == 0) {
			off = ops[i].number;
			continue;
		}
		if (off < addr_size)
			m->lo |= 1ull << off;
		else if (off - addr_size < 64)
			m->hi |= 1ull << (off - addr_size);
		off += ops[i].number;
	}
}

/* An expression of several operations (parameter__multi_exprs()). */
static void master_multi(const Dwarf_Op *ops, size_t n, int first, struct master_regs *m,
			 struct sub_rec *out, uint64_t addr_size)
{
	size_t i;

	if (op_const(ops[0].atom)) {
		if (first)
			out->flags |= LSUB_P_LOC_CONST;
		return;
	}
	if (addr_size)
		master_pieces(ops, n, addr_size, m);
	if (first && op_reg(ops[0].atom) >= 0) {
		keep_reg(&m->scalar, op_reg(ops[0].atom));
	} else if (first && op_breg(ops[0].atom) >= 0) {
		for (i = 1; i < n; i++)
			if (ops[i].atom == DW_OP_stack_value)
				break;
		if (i < n)
			keep_reg(&m->scalar, op_breg(ops[0].atom));
	}
	for (i = 0; i < n; i++)
		if (op_reg(ops[i].atom) >= 0) {
			keep_reg(&m->pieces, op_reg(ops[i].atom));
			break;
		}
}

/* One location's expression, the @first of the list or not (parameter__decode_location()). */
static void master_expr(Dwarf_Attribute *attr, const Dwarf_Op *ops, size_t n, int first,
			struct master_regs *m, struct sub_rec *out, uint64_t addr_size)
{
	int stack_value = ops[n - 1].atom == DW_OP_stack_value, reg = -1;
	Dwarf_Attribute ev;
	Dwarf_Op *inner;
	size_t ninner;

	if (n == 2 && stack_value)
		n = 1;
	if (n != 1) {
		master_multi(ops, n, first, m, out, addr_size);
		return;
	}
	if (first && op_const(ops[0].atom))
		out->flags |= LSUB_P_LOC_CONST;
	if (first && ops[0].atom == DW_OP_fbreg)
		out->flags |= LSUB_P_LOC_STACK;
	if (op_reg(ops[0].atom) >= 0 && first)
		reg = op_reg(ops[0].atom);
	else if (op_breg(ops[0].atom) >= 0 && first && stack_value)
		reg = op_breg(ops[0].atom);
	else if ((ops[0].atom == DW_OP_entry_value || ops[0].atom == DW_OP_GNU_entry_value) &&
		 dwarf_getlocation_attr(attr, &ops[0], &ev) == 0 &&
		 dwarf_getlocation(&ev, &inner, &ninner) == 0 && ninner == 1)
		reg = op_reg(inner[0].atom);
	if (reg >= 0) {
		keep_reg(&m->scalar, reg);
		keep_reg(&m->pieces, reg);
	}
}

/* A register as bit_size keeps it: 0 for none, else its number + 1 (numbers are below 32). */
static uint32_t reg_bits(int reg, int shift)
{
	return reg < 0 ? 0 : (uint32_t)(reg + 1) << shift;
}

/*
 * What the pieces say (parameter__finish_piece_decode()): which registers' bytes they
 * fill; with @member_ok (the parameter names itself and its type), when one register holds
 * one piece, the byte offset of the member it is (LSUB_P_MEMBER).
 */
static void pieces_facts(const struct master_regs *m, uint64_t addr_size, int member_ok,
			 struct sub_rec *out)
{
	uint64_t offset;

	if (m->lo)
		out->flags |= LSUB_P_PIECES_LO;
	if (m->hi)
		out->flags |= LSUB_P_PIECES_HI;
	if (!member_ok || !m->lo == !m->hi || (m->lo & (m->lo - 1)) || (m->hi & (m->hi - 1)))
		return;
	offset = m->lo ? (uint64_t)__builtin_ctzll(m->lo) :
			 addr_size + (uint64_t)__builtin_ctzll(m->hi);
	out->flags |= LSUB_P_MEMBER;
	out->bit_size |= (uint32_t)offset << 24;
}

/*
 * @addr_size non-zero: every location read for its pieces (LSUB_P_PIECES_*, and with
 * @member_ok LSUB_P_MEMBER), not only until both registers are found.
 */
static void read_location(Dwarf_Attribute *a, int const_value, uint64_t addr_size,
			  int member_ok, struct sub_rec *out)
{
	struct master_regs m = { -1, -1, 0, 0 };
	Dwarf_Addr base, start, end;
	ptrdiff_t off = 0;
	Dwarf_Op *ops;
	size_t nops;
	int n = 0, reg;

	while ((off = dwarf_getlocations(a, off, &base, &start, &end, &ops, &nops)) > 0) {
		if (n == 0 && !const_value) {
			reg = expr_reg(a, ops, nops);
			if (reg >= 0) {
				out->flags |= LSUB_P_REG;
				out->bit_size |= reg < 0xff ? (uint32_t)reg : 0xff;
			}
		}
		if (nops)
			master_expr(a, ops, nops, n == 0, &m, out, addr_size);
		n++;
		/* Later locations can only give registers already found. */
		if (m.scalar >= 0 && m.pieces >= 0 && !addr_size)
			break;
	}
	if (!n && !const_value)
		out->flags |= LSUB_P_NOLOC;
	out->bit_size |= reg_bits(m.scalar, 8) | reg_bits(m.pieces, 16);
	if (addr_size)
		pieces_facts(&m, addr_size, member_ok, out);
}

int param_loc__read(struct walk *w, Dwarf_Die *die, struct die_attrs *d, struct sub_rec *out)
{
	struct loader_thread *t = w->t;
	Dwarf_Attribute *origin = &d->a[A_ABSTRACT_ORIGIN];
	uint64_t origin_off;
	Dwarf_Die o;
	int err;

	out->value = die_offset(w, die);
	out->bit_size = 0;
	if (HAS(d, A_CONST_VALUE))
		out->flags |= LSUB_P_CONST | LSUB_P_NOLOC;
	if (HAS(d, A_LOCATION)) {
		out->flags |= LSUB_P_LOC;
		read_location(&d->a[A_LOCATION], HAS(d, A_CONST_VALUE) != 0,
			      w->cu->producer_clang ? (uint64_t)w->t->l->elf->addr_size : 0,
			      HAS(d, A_NAME) && HAS(d, A_TYPE), out);
	} else {
		out->flags |= LSUB_P_NOLOC;
	}
	/* pahole follows the origin of a parameter without a type of its own. */
	if (!HAS(d, A_ABSTRACT_ORIGIN) || HAS(d, A_TYPE))
		return 0;
	if (!die_scan__ref(w->scan, origin, &origin_off)) {
		if (!dwarf_formref_die(origin, &o))
			return 0;
		origin_off = dwarf_dieoffset(&o);
	}
	err = vec__push_slot(&t->origins, &t->origins_cap, t->norigins);
	if (err)
		return err;
	t->origins[t->norigins].die_off = out->value;
	t->origins[t->norigins].origin_off = origin_off;
	t->norigins++;
	return 0;
}

/* What concrete parameter @from tells of its abstract origin @to (see the note above). */
static void share(const struct sub_rec *from, struct sub_rec *to)
{
	uint32_t mask;
	int shift;

	to->flags |= from->flags & (LSUB_P_LOC | LSUB_P_CONST | LSUB_P_LOC_CONST |
				    LSUB_P_LOC_STACK | LSUB_P_PIECES_LO | LSUB_P_PIECES_HI);
	if ((from->flags & LSUB_P_MEMBER) && !(to->flags & LSUB_P_MEMBER)) {
		to->flags |= LSUB_P_MEMBER;
		to->bit_size = (to->bit_size & 0xffffff) | (from->bit_size & 0xff000000);
	}
	for (shift = 8; shift <= 16; shift += 8) {
		mask = 0xffu << shift;
		if (from->bit_size & mask)
			to->bit_size = (to->bit_size & ~mask) | (from->bit_size & mask);
	}
}

int param_loc__share_origins(struct walk *w)
{
	struct loader_thread *t = w->t;
	struct cu_records *cu = w->cu;
	size_t i, n = 0;
	uint32_t k, own, tgt;
	int err;

	if (!t->norigins)
		return 0;
	u64map__clear(&t->place_at);
	for (i = 0; i < cu->nfuncs; i++) {
		const struct type_rec *p = &cu->types[cu->funcs[i].proto];

		for (k = 0; k < p->nsub; k++) {
			const struct sub_rec *s = &cu->subs[p->sub + k];

			if (!s->value)
				continue;
			err = vec__reserve((void **)&t->places, &t->places_cap, n + 1,
					   sizeof(*t->places));
			if (!err)
				err = u64map__set(&t->place_at, s->value, (uint32_t)n);
			if (err)
				return err;
			t->places[n++] = (struct param_place){ p->sub + k, (uint32_t)i, k };
		}
	}
	for (i = 0; i < t->norigins; i++) {
		const struct param_origin *o = &t->origins[i];
		const struct param_place *a, *b;

		if (!u64map__get(&t->place_at, o->die_off, &own) ||
		    !u64map__get(&t->place_at, o->origin_off, &tgt))
			continue;
		a = &t->places[own];
		b = &t->places[tgt];
		if (a->pos != b->pos)
			cu->funcs[a->func].reordered = 1;
		share(&cu->subs[a->sub], &cu->subs[b->sub]);
	}
	t->norigins = 0;
	return 0;
}
