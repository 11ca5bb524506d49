// SPDX-License-Identifier: GPL-2.0-only
/*
 * walk: visit every DIE of a unit once. Type DIEs become records (unless a
 * reference already made them), subprograms become functions, variables at
 * unit level (and function-local statics) become variables. Members,
 * parameters, enumerators and subranges are read by their parent's decoder
 * in the same pass over the parent's children.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <dwarf.h>

#include "loader_int.h"

enum die_role walk__die_role(int tag)
{
	switch (tag) {
	case DW_TAG_base_type:
	case DW_TAG_pointer_type:
	case DW_TAG_reference_type:
	case DW_TAG_rvalue_reference_type:
	case DW_TAG_ptr_to_member_type:
	case DW_TAG_const_type:
	case DW_TAG_volatile_type:
	case DW_TAG_restrict_type:
	case DW_TAG_atomic_type:
	case DW_TAG_typedef:
	case DW_TAG_structure_type:
	case DW_TAG_class_type:
	case DW_TAG_interface_type:
	case DW_TAG_union_type:
	case DW_TAG_enumeration_type:
	case DW_TAG_array_type:
	case DW_TAG_subroutine_type:
	case DW_TAG_unspecified_type:
		return ROLE_TYPE;
	case DW_TAG_subprogram:
		return ROLE_FUNC;
	case DW_TAG_variable:
		return ROLE_VAR;
	case DW_TAG_lexical_block:
	case DW_TAG_inlined_subroutine:
	case DW_TAG_namespace:
		return ROLE_SCOPE;
	default:
		/* Members, parameters, enumerators, subranges and annotations are read
		 * by their parent's decoder; labels, call sites, imported units and
		 * template parameters carry nothing BTF can hold. */
		return ROLE_NONE;
	}
}

/* Classifies DW_AT_location of a variable; the address for LVAR_ADDR. */
static int var_location(struct die_attrs *d, int top_level, uint64_t *addr)
{
	Dwarf_Attribute res, *a = &d->a[A_LOCATION];
	Dwarf_Op *ops;
	size_t nops, i;
	Dwarf_Addr v;

	if (!HAS(d, A_LOCATION))
		return LVAR_NO_LOC;
	/*
	 * Below unit level only an address matters (walk__decode_var()): an
	 * expression that starts with no address operation has none, whatever
	 * follows (libdw would parse it all and keep it for the unit's life).
	 */
	if (!top_level && (a->form == DW_FORM_exprloc || a->form == DW_FORM_block1 ||
			   a->form == DW_FORM_block2 || a->form == DW_FORM_block4 ||
			   a->form == DW_FORM_block)) {
		Dwarf_Block b;

		if (dwarf_formblock(a, &b) == 0 &&
		    (!b.length || (b.data[0] != DW_OP_addr && b.data[0] != DW_OP_addrx &&
				   b.data[0] != DW_OP_GNU_addr_index)))
			return LVAR_OTHER;
	}
	if (dwarf_getlocation(a, &ops, &nops) != 0 || nops == 0)
		return LVAR_OTHER;
	for (i = 0; i < nops; i++)
		if (ops[i].atom == DW_OP_form_tls_address || ops[i].atom == DW_OP_GNU_push_tls_address)
			return LVAR_TLS;
	switch (ops[0].atom) {
	case DW_OP_addr:
		*addr = ops[0].number;
		/* LLVM's GlobalMerge: DW_OP_addr base, DW_OP_plus_uconst offset. */
		if (nops > 1 && ops[1].atom == DW_OP_plus_uconst)
			*addr += ops[1].number;
		return LVAR_ADDR;
	case DW_OP_addrx:
	case DW_OP_GNU_addr_index:
		if (dwarf_getlocation_attr(a, &ops[0], &res) || dwarf_formaddr(&res, &v))
			return LVAR_OTHER;
		*addr = v;
		if (nops > 1 && ops[1].atom == DW_OP_plus_uconst)
			*addr += ops[1].number;
		return LVAR_ADDR;
	default:
		return LVAR_OTHER;
	}
}

int walk__decode_var(struct walk *w, Dwarf_Die *die, int top_level)
{
	struct cu_records *cu = w->cu;
	struct die_attrs d;
	struct var_rec *v;
	uint32_t type, tags = 0;
	uint16_t ntags = 0;
	uint64_t addr = 0;
	int err, loc;

	err = die_attrs__read(w, die, &d);
	if (err)
		return err;
	loc = var_location(&d, top_level, &addr);
	/* Below unit level only statics matter (pahole's per-CPU rule), and
	 * block-scope extern declarations (they can type asm-defined data). */
	if (!top_level && loc != LVAR_ADDR &&
	    !(die_attrs__flag(&d, A_DECLARATION) && die_attrs__flag(&d, A_EXTERNAL)))
		return 0;
	err = walk__ref_attr(w, die, &d, A_TYPE, &type);
	if (!err && (die_haschildren(w, die) || HAS(&d, A_SPECIFICATION)))
		err = walk__collect_decl_tags(w, die, &d, 1, &tags, &ntags);
	if (!err)
		err = vec__push_slot(&cu->vars, &cu->vars_cap, cu->nvars);
	if (err)
		return err;
	v = &cu->vars[cu->nvars++];
	memset(v, 0, sizeof(*v));
	v->name = die_attrs__name(w, &d, die);
	v->die_off = die_offset(w, die);
	v->addr = addr;
	v->type = type;
	v->tags = tags;
	v->ntags = ntags;
	v->loc = loc;
	if (HAS(&d, A_EXTERNAL)) {
		v->external = die_attrs__flag(&d, A_EXTERNAL);
	} else if (HAS(&d, A_SPECIFICATION)) {
		Dwarf_Attribute a;
		bool f = false;

		v->external = dwarf_attr_integrate(die, DW_AT_external, &a) &&
			      dwarf_formflag(&a, &f) == 0 && f;
	}
	v->declaration = die_attrs__flag(&d, A_DECLARATION);
	v->has_spec = HAS(&d, A_SPECIFICATION) != 0;
	v->artificial = die_attrs__flag(&d, A_ARTIFICIAL);
	v->own_name = HAS(&d, A_NAME) != 0;
	v->top_level = top_level;
	return 0;
}

/* Integrated flag or constant: own attribute first, then through origins. */
static uint64_t integrated_udata(Dwarf_Die *die, struct die_attrs *d, int x, unsigned int name)
{
	Dwarf_Attribute a;
	Dwarf_Word v;

	if (HAS(d, x))
		return die_attrs__udata(d, x, NULL);
	if (!HAS(d, A_SPECIFICATION) && !HAS(d, A_ABSTRACT_ORIGIN))
		return 0;
	if (!dwarf_attr_integrate(die, name, &a) || dwarf_formudata(&a, &v))
		return 0;
	return v;
}

/*
 * libdw's dwarf_lowpc() || dwarf_entrypc() on a subprogram, from the
 * attributes already read: DW_AT_low_pc, else DW_AT_entry_pc (libdw 0.188
 * looks both up with dwarf_attr(), not through an abstract origin).
 */
static int func_pc(struct die_attrs *d, Dwarf_Addr *pc)
{
	if (HAS(d, A_LOW_PC) && dwarf_formaddr(&d->a[A_LOW_PC], pc) == 0)
		return 1;
	return HAS(d, A_ENTRY_PC) && dwarf_formaddr(&d->a[A_ENTRY_PC], pc) == 0;
}

/*
 * pahole master's function__signature_changed(), for clang's units: DW_CC_nocall on the
 * subprogram, or on its abstract origin; never on one DW_AT_inline marks inlined.
 */
static int signature_changed(struct die_attrs *d)
{
	Dwarf_Attribute a;
	Dwarf_Word cc;
	Dwarf_Die origin;

	if (die_attrs__udata(d, A_INLINE, NULL))
		return 0;
	if (!HAS(d, A_ABSTRACT_ORIGIN))
		return die_attrs__udata(d, A_CALLING_CONVENTION, NULL) == DW_CC_nocall;
	return dwarf_formref_die(&d->a[A_ABSTRACT_ORIGIN], &origin) &&
	       dwarf_attr(&origin, DW_AT_calling_convention, &a) && dwarf_formudata(&a, &cc) == 0 &&
	       cc == DW_CC_nocall;
}

/*
 * A subprogram: its prototype record and function entry, then the rest of
 * its children (nested types, lexical blocks, static locals) for the walk,
 * all in one pass.
 */
int walk__decode_func(struct walk *w, Dwarf_Die *die)
{
	struct cu_records *cu = w->cu;
	struct die_attrs d;
	struct func_rec *f;
	Dwarf_Die child;
	Dwarf_Addr pc = 0;
	uint32_t proto, tags = 0, ret;
	uint16_t ntags = 0;
	uint64_t inl;
	struct sub_rec local[16], *params = local;
	size_t fi, np = 0, cap = sizeof(local) / sizeof(local[0]);
	int unnamed = 0, annotated = 0, err, has_pc, r;

	err = die_attrs__read(w, die, &d);
	if (!err)
		err = walk__new_record(w, LK_PROTO, NULL, die_offset(w, die), &proto);
	if (err)
		return err;
	walk__rec(w, proto)->flags |= LF_FUNC_PROTO;
	err = walk__ref_attr(w, die, &d, A_TYPE, &ret);
	if (err)
		return err;
	walk__rec(w, proto)->ref = ret;
	/* Reserve the function entry now; the walk of the children may add others. */
	err = vec__push_slot(&cu->funcs, &cu->funcs_cap, cu->nfuncs);
	if (err)
		return err;
	fi = cu->nfuncs++;
	memset(&cu->funcs[fi], 0, sizeof(cu->funcs[fi]));
	/*
	 * One pass: parameters are gathered aside (the walk of the other
	 * children may append to cu->subs meanwhile) and stored at the end.
	 */
	if (die_haschildren(w, die)) {
		for (r = die_child(w, die, &child); r == 0; r = die_next(w, &child)) {
			int tag = die_tag(w, &child);

			if (walk__is_annotation(tag)) {
				annotated = 1;
				continue;
			}
			if (np == cap) {
				struct sub_rec *bigger = malloc(2 * cap * sizeof(*bigger));

				if (!bigger) {
					err = -ENOMEM;
					goto out;
				}
				memcpy(bigger, params, np * sizeof(*params));
				if (params != local)
					free(params);
				params = bigger;
				cap *= 2;
			}
			err = walk__decode_param(w, &child, proto, &params[np], &unnamed);
			if (err < 0)
				goto out;
			if (err == 1)
				np++;
			else if (err == 0 && (err = walk__one(w, &child, 0)))
				goto out;
		}
		if (r < 0) {
			err = walk__error(w, die, "cannot read children");
			goto out;
		}
	}
	err = walk__set_params(w, proto, params, np);
	if (params != local)
		free(params);
	params = local;
	if (err)
		return err;
	/* Its own annotations were seen above; its origin's are looked for. */
	if (annotated || HAS(&d, A_SPECIFICATION) || HAS(&d, A_ABSTRACT_ORIGIN)) {
		err = walk__collect_decl_tags(w, die, &d, annotated, &tags, &ntags);
		if (err)
			return err;
	}
	has_pc = func_pc(&d, &pc);
	inl = integrated_udata(die, &d, A_INLINE, DW_AT_inline);
	f = &cu->funcs[fi];
	f->name = die_attrs__name(w, &d, die);
	f->die_off = die_offset(w, die);
	f->low_pc = pc;
	f->has_low_pc = has_pc;
	f->proto = proto;
	f->tags = tags;
	f->ntags = ntags;
	f->external = integrated_udata(die, &d, A_EXTERNAL, DW_AT_external) != 0;
	f->declaration = die_attrs__flag(&d, A_DECLARATION);
	f->inlined = !has_pc && (inl == DW_INL_inlined || inl == DW_INL_declared_inlined);
	f->unnamed_param = unnamed;
	f->signature_changed = cu->producer_clang && w->t->l->cfg.param_locations &&
			       signature_changed(&d);
	return 0;
out:
	if (params != local)
		free(params);
	return err;
}

static int walk_one(struct walk *w, Dwarf_Die *die, int top_level)
{
	int tag = die_tag(w, die), err;
	uint32_t idx;

	switch (walk__die_role(tag)) {
	case ROLE_TYPE:
		err = walk__type(w, die, &idx);
		if (!err && (walk__rec(w, idx)->flags & LF_NESTED))
			err = walk__children(w, die, 0);
		/* Nested types first, then their container: pahole's order. */
		return err ? err : walk__push_order(w, idx);
	case ROLE_FUNC:
		return walk__decode_func(w, die);
	case ROLE_VAR:
		return walk__decode_var(w, die, top_level);
	case ROLE_SCOPE:
		if (!die_haschildren(w, die))
			return 0;
		return walk__children(w, die, tag == DW_TAG_namespace ? top_level : 0);
	default:
		return 0;
	}
}

/*
 * The walk recurses once per level of DIEs nested inside each other (scopes, nested types):
 * the bytes of a file can nest a million levels in 2 MB, where compilers nest a few dozen.
 * Deeper than WALK_MAX_DEPTH is an error, before any stack runs out.
 */
int walk__one(struct walk *w, Dwarf_Die *die, int top_level)
{
	int err;

	if (w->depth >= WALK_MAX_DEPTH) {
		diag__err(w->diag, "%s: DIE 0x%llx: nested more than %u levels deep", w->path,
			  (unsigned long long)dwarf_dieoffset(die), WALK_MAX_DEPTH);
		return -E2BIG;
	}
	w->depth++;
	err = walk_one(w, die, top_level);
	w->depth--;
	return err;
}

int walk__children(struct walk *w, Dwarf_Die *die, int top_level)
{
	Dwarf_Die child;
	int r, err;

	r = die_child(w, die, &child);
	if (r < 0)
		return walk__error(w, die, "cannot read children");
	while (r == 0) {
		err = walk__one(w, &child, top_level);
		if (err)
			return err;
		r = die_next(w, &child);
		if (r < 0)
			return walk__error(w, &child, "cannot read sibling");
	}
	return 0;
}
