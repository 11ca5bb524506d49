// SPDX-License-Identifier: GPL-2.0-only
/*
 * die_decode: one small decoder per DWARF tag, chosen by decode_type().
 * Each decoder reads its DIE's attributes once (struct die_attrs), or by its
 * abbreviation's plain plan (die_scan__plain()), and its children in a single
 * pass. References become records through records.c; a reserved record is
 * decoded when the walk gets to its DIE, or by walk__drain_pending().
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <dwarf.h>

#include "loader_int.h"

static int decode_base(struct walk *w, struct die_attrs *d, uint32_t idx)
{
	walk__rec(w, idx)->kind = LK_BASE;
	walk__rec(w, idx)->size = die_attrs__udata(d, A_BYTE_SIZE, NULL);
	walk__rec(w, idx)->encoding = (uint8_t)die_attrs__udata(d, A_ENCODING, NULL);
	walk__rec(w, idx)->bit_size = (uint16_t)die_attrs__udata(d, A_BIT_SIZE, NULL);
	return 0;
}

static int decode_modifier(struct walk *w, Dwarf_Die *die, struct die_attrs *d, uint32_t idx,
			   int kind)
{
	uint32_t ref, tags = 0;
	uint16_t ntags = 0;
	int err, found;

	err = walk__ref_attr(w, die, d, A_TYPE, &ref);
	if (err)
		return err;
	walk__rec(w, idx)->kind = kind;
	walk__rec(w, idx)->ref = ref;
	if (kind == LK_PTR || kind == LK_PTR_MEMBER) {
		walk__rec(w, idx)->size = die_attrs__udata(d, A_BYTE_SIZE, &found);
		if (!found)
			walk__rec(w, idx)->size = w->t->l->elf->addr_size;
	}
	/* Annotations are children: most of these DIEs have none (known from the scan). */
	if ((kind == LK_PTR || kind == LK_PTR_MEMBER || kind == LK_TYPEDEF) &&
	    (!d->end || d->children))
		err = walk__collect_tags(w, die, kind != LK_TYPEDEF, &tags, &ntags);
	walk__rec(w, idx)->tags = tags;
	walk__rec(w, idx)->ntags = ntags;
	return err;
}

/* Bit offset of a member from whichever of the three DWARF encodings it uses. */
static int member_bit_offset(struct walk *w, Dwarf_Die *m, struct die_attrs *d, uint64_t *bit_off)
{
	uint64_t byte_off = 0, old_bit_off, bit_size, storage;
	int found;

	*bit_off = die_attrs__udata(d, A_DATA_BIT_OFFSET, &found);
	if (found)
		return 0;
	if (HAS(d, A_MEMBER_LOC)) {
		uint64_t v = die_attrs__udata(d, A_MEMBER_LOC, &found);
		Dwarf_Op *ops;
		size_t nops;

		if (found) {
			byte_off = v;
		} else if (dwarf_getlocation(&d->a[A_MEMBER_LOC], &ops, &nops) == 0 && nops == 1 &&
			   (ops[0].atom == DW_OP_plus_uconst || ops[0].atom == DW_OP_constu)) {
			byte_off = ops[0].number;
		} else {
			return walk__error(w, m, "unsupported DW_AT_data_member_location");
		}
	}
	*bit_off = byte_off * 8;
	old_bit_off = die_attrs__udata(d, A_BIT_OFFSET, &found);
	if (!found)
		return 0;
	/* DWARF 2/3 bitfields: DW_AT_bit_offset counts from the storage unit's MSB. */
	bit_size = die_attrs__udata(d, A_BIT_SIZE, NULL);
	storage = die_attrs__udata(d, A_BYTE_SIZE, &found);
	if (!found) {
		Dwarf_Die type;
		Dwarf_Word sz;

		if (!HAS(d, A_TYPE) || !dwarf_formref_die(&d->a[A_TYPE], &type) ||
		    dwarf_aggregate_size(&type, &sz))
			return walk__error(w, m, "bitfield without a storage size");
		storage = sz;
	}
	if (w->t->l->elf->big_endian)
		*bit_off += old_bit_off;
	else
		*bit_off += storage * 8 - old_bit_off - bit_size;
	return 0;
}

/* Decodes member @m, then moves @m to its sibling: 0 (moved), 1 (none), or an error. */
/* The member after @m: where its values end, when it has no children. */
static int next_member(struct walk *w, const struct die_attrs *d, Dwarf_Die *m)
{
	int r = die_scan__sibling_after(w->scan, d, m, m);

	return r < 0 ? walk__error(w, m, "cannot read members") : r;
}

/*
 * decode_member() for a member its abbreviation's plan read (die_scan__plain():
 * no flags, children or DW_AT_bit_offset), by the same rules.
 */
static int decode_planned_member(struct walk *w, Dwarf_Die *m, const struct plain_die *fm)
{
	uint32_t ref = 0, sub;
	int err = 0;

	if (fm->type_off)
		err = walk__ref_unit_die(w, fm->type_off, &ref);
	if (!err)
		err = walk__push_sub(w, &sub);
	if (err)
		return err;
	walk__sub(w, sub)->name = fm->name;
	walk__sub(w, sub)->type = ref;
	/* member_bit_offset(): DW_AT_data_bit_offset, else the byte offset. */
	walk__sub(w, sub)->value = fm->has & PV_BIT(PV_DATA_BIT_OFFSET) ?
				   fm->val[PV_DATA_BIT_OFFSET] :
				   fm->has & PV_BIT(PV_LOC) ? fm->val[PV_LOC] * 8 : 0;
	if (fm->has & PV_BIT(PV_BIT_SIZE)) {
		walk__sub(w, sub)->bit_size = (uint32_t)fm->val[PV_BIT_SIZE];
		walk__sub(w, sub)->flags |= LSUB_BITFIELD;
	}
	return die_scan__sibling_at(w->scan, fm->end, m);
}

static int decode_member(struct walk *w, Dwarf_Die *m)
{
	uint32_t ref, tags = 0, sub;
	uint16_t ntags = 0;
	uint64_t bit_off = 0, bits;
	struct die_attrs d;
	struct plain_die fm;
	int err, found, children;

	/* Most members: read by their abbreviation's plan. */
	if (die_scan__plain(w->scan, m, &fm))
		return decode_planned_member(w, m, &fm);
	err = die_attrs__read(w, m, &d);
	if (err)
		return err;
	/* C++ static data members: DW_AT_external or a declaration. */
	if (die_attrs__flag(&d, A_EXTERNAL) || die_attrs__flag(&d, A_DECLARATION))
		return next_member(w, &d, m);
	children = d.end ? d.children : die_haschildren(w, m);
	err = walk__ref_attr(w, m, &d, A_TYPE, &ref);
	if (!err)
		err = member_bit_offset(w, m, &d, &bit_off);
	if (!err && children)
		err = walk__collect_tags(w, m, 0, &tags, &ntags);
	if (!err)
		err = walk__push_sub(w, &sub);
	if (err)
		return err;
	walk__sub(w, sub)->name = HAS(&d, A_NAME) ? attr_string(w, &d.a[A_NAME]) : NULL;
	walk__sub(w, sub)->type = ref;
	walk__sub(w, sub)->value = bit_off;
	bits = die_attrs__udata(&d, A_BIT_SIZE, &found);
	if (found) {
		walk__sub(w, sub)->bit_size = (uint32_t)bits;
		walk__sub(w, sub)->flags |= LSUB_BITFIELD;
	}
	walk__sub(w, sub)->tags = tags;
	walk__sub(w, sub)->ntags = ntags;
	return next_member(w, &d, m);
}

/*
 * Members are appended to cu->subs as they are read: nothing else appends to
 * it meanwhile (references only reserve records), so they stay contiguous.
 */
static int decode_struct(struct walk *w, Dwarf_Die *die, struct die_attrs *d, uint32_t idx,
			 int kind)
{
	Dwarf_Die child;
	uint32_t first = (uint32_t)w->cu->nsubs, tags;
	uint16_t ntags;
	int r, err, has_tags = 0;

	walk__rec(w, idx)->kind = kind;
	if (die_attrs__flag(d, A_DECLARATION))
		walk__rec(w, idx)->flags |= LF_DECL;
	walk__rec(w, idx)->size = die_attrs__udata(d, A_BYTE_SIZE, NULL);
	walk__rec(w, idx)->sub = first;
	if (die_haschildren(w, die)) {
		for (r = die_child(w, die, &child); r == 0;) {
			int tag = die_tag(w, &child);

			if (tag == DW_TAG_member) {
				/* It moves on to the next one itself (the end is known). */
				r = decode_member(w, &child);
				if (r < 0)
					return r;
				continue;
			}
			if (walk__is_annotation(tag))
				has_tags = 1;
			else
				walk__rec(w, idx)->flags |= LF_NESTED;
			r = die_sibling(w, &child, &child);
		}
		if (r < 0)
			return walk__error(w, die, "cannot read members");
	}
	walk__rec(w, idx)->nsub = (uint32_t)(w->cu->nsubs - first);
	walk__rec(w, idx)->tags = (uint32_t)w->cu->ntags;
	walk__rec(w, idx)->ntags = 0;
	if (!has_tags)
		return 0;
	err = walk__collect_tags(w, die, 0, &tags, &ntags);
	walk__rec(w, idx)->tags = tags;
	walk__rec(w, idx)->ntags = ntags;
	return err;
}

static int decode_enum(struct walk *w, Dwarf_Die *die, struct die_attrs *d, uint32_t idx)
{
	Dwarf_Die child, under;
	uint32_t first = (uint32_t)w->cu->nsubs, sub;
	uint64_t size;
	int r, err, found;

	/* Signedness comes from the underlying type only (DW_AT_type), as pahole. */
	walk__rec(w, idx)->kind = LK_ENUM;
	if (die_attrs__flag(d, A_DECLARATION))
		walk__rec(w, idx)->flags |= LF_DECL;
	/* No (or a zero) byte size, as in a forward enum: 4 bytes, as pahole. */
	size = die_attrs__udata(d, A_BYTE_SIZE, &found);
	walk__rec(w, idx)->size = found && size ? size : 4;
	if (HAS(d, A_TYPE)) {
		struct die_attrs u;
		uint64_t off, enc = 0;
		Dwarf_Attribute a;
		Dwarf_Word v;

		/* In the unit: by the scan (libdw would build its own table of the
		 * unit's abbreviations for this one DW_AT_encoding). */
		if (die_scan__ref(w->scan, &d->a[A_TYPE], &off)) {
			die_scan__die(w->scan, off, &under);
			if (die_attrs__read(w, &under, &u))
				return -EINVAL;
			enc = die_attrs__udata(&u, A_ENCODING, &found);
			if (!found)
				enc = 0;
		} else if (dwarf_formref_die(&d->a[A_TYPE], &under) &&
			   dwarf_attr(&under, DW_AT_encoding, &a) && dwarf_formudata(&a, &v) == 0) {
			enc = v;
		}
		if (enc == DW_ATE_signed || enc == DW_ATE_signed_char)
			walk__rec(w, idx)->flags |= LF_SIGNED;
	}
	walk__rec(w, idx)->sub = first;
	if (die_haschildren(w, die)) {
		for (r = die_child(w, die, &child); r == 0;) {
			struct die_attrs e;
			struct plain_die pe;
			Dwarf_Word u = 0;

			if (die_tag(w, &child) != DW_TAG_enumerator) {
				r = die_sibling(w, &child, &child);
				continue;
			}
			/* Most enumerators: read by their abbreviation's plan. */
			if (die_scan__plain(w->scan, &child, &pe) &&
			    (pe.has & PV_BIT(PV_CONST_VALUE))) {
				err = walk__push_sub(w, &sub);
				if (err)
					return err;
				walk__sub(w, sub)->name = pe.name;
				walk__sub(w, sub)->value = pe.val[PV_CONST_VALUE];
				r = die_scan__sibling_at(w->scan, pe.end, &child);
				continue;
			}
			err = die_attrs__read(w, &child, &e);
			if (err)
				return err;
			/* As pahole 1.24: the raw value, sdata sign-extended, dataN not. */
			if (!HAS(&e, A_CONST_VALUE) || dwarf_formudata(&e.a[A_CONST_VALUE], &u))
				return walk__error(w, &child,
						   "enumerator without a constant value");
			err = walk__push_sub(w, &sub);
			if (err)
				return err;
			walk__sub(w, sub)->name = HAS(&e, A_NAME) ?
						  attr_string(w, &e.a[A_NAME]) : NULL;
			walk__sub(w, sub)->value = u;
			r = die_sibling(w, &child, &child);
		}
		if (r < 0)
			return walk__error(w, die, "cannot read enumerators");
	}
	walk__rec(w, idx)->nsub = (uint32_t)(w->cu->nsubs - first);
	return 0;
}

/* The element count of one subrange, as pahole 1.24 reads it. */
static int subrange_count(struct walk *w, Dwarf_Die *sr, uint64_t *count, uint16_t *flags)
{
	struct die_attrs d;
	Dwarf_Sword sv;
	int err, found;

	err = die_attrs__read(w, sr, &d);
	if (err)
		return err;
	*count = 0;
	if (HAS(&d, A_UPPER_BOUND)) {
		Dwarf_Attribute *a = &d.a[A_UPPER_BOUND];
		Dwarf_Word upper;

		/* gcc writes upper bound -1 for zero-length arrays. */
		if (dwarf_whatform(a) == DW_FORM_sdata && dwarf_formsdata(a, &sv) == 0 && sv < 0)
			return 0;
		if (dwarf_formudata(a, &upper)) {
			*flags |= LSUB_NO_COUNT;	/* e.g. a VLA's expression */
			return 0;
		}
		*count = upper == UINT64_MAX ? 0 : upper + 1;
		return 0;
	}
	*count = die_attrs__udata(&d, A_COUNT, &found);
	if (!found)
		*flags |= LSUB_NO_COUNT;
	return 0;
}

static int decode_array(struct walk *w, Dwarf_Die *die, struct die_attrs *d, uint32_t idx)
{
	Dwarf_Die child;
	uint32_t ref, first = (uint32_t)w->cu->nsubs, sub;
	int r, err;

	err = walk__ref_attr(w, die, d, A_TYPE, &ref);
	if (err)
		return err;
	walk__rec(w, idx)->kind = LK_ARRAY;
	walk__rec(w, idx)->ref = ref;
	walk__rec(w, idx)->sub = first;
	if (die_haschildren(w, die)) {
		for (r = die_child(w, die, &child); r == 0; r = die_sibling(w, &child, &child)) {
			int tag = die_tag(w, &child);
			uint64_t count;
			uint16_t flags = 0;

			if (tag != DW_TAG_subrange_type && tag != DW_TAG_enumeration_type)
				continue;
			err = subrange_count(w, &child, &count, &flags);
			if (!err)
				err = walk__push_sub(w, &sub);
			if (err)
				return err;
			walk__sub(w, sub)->value = count;
			walk__sub(w, sub)->flags = flags;
		}
		if (r < 0)
			return walk__error(w, die, "cannot read array dimensions");
	}
	walk__rec(w, idx)->nsub = (uint32_t)(w->cu->nsubs - first);
	return 0;
}

/*
 * One parameter (or the variadic marker) of record @idx, read into @out.
 * Called for each child of a subroutine type or subprogram, in DIE order;
 * returns 1 if the child was a parameter (@out filled), 2 for "...", 0 if it
 * is something else, or a negative errno.
 */
int walk__decode_param(struct walk *w, Dwarf_Die *child, uint32_t idx, struct sub_rec *out,
		       int *unnamed)
{
	int tag = die_tag(w, child);
	uint32_t ref, tags = 0;
	uint16_t ntags = 0;
	struct die_attrs d;
	struct plain_die pp;
	int err;

	if (tag == DW_TAG_unspecified_parameters) {
		walk__rec(w, idx)->flags |= LF_VARIADIC;
		return 2;
	}
	if (tag != DW_TAG_formal_parameter)
		return 0;
	/*
	 * Most parameters: by their abbreviation's plan (no origin, no children,
	 * so no annotations), unless their location is wanted.
	 */
	if (!(walk__rec(w, idx)->flags & LF_FUNC_PROTO && w->t->l->cfg.param_locations) &&
	    die_scan__plain(w->scan, child, &pp)) {
		ref = 0;
		if (pp.type_off) {
			err = walk__ref_unit_die(w, pp.type_off, &ref);
			if (err)
				return err;
		}
		memset(out, 0, sizeof(*out));
		out->name = pp.name;
		out->type = ref;
		if (!out->name && unnamed)
			*unnamed = 1;
		w->plain_die = child->addr;
		w->plain_end = pp.end;
		return 1;
	}
	err = die_attrs__read(w, child, &d);
	if (!err)
		err = walk__ref_attr(w, child, &d, A_TYPE, &ref);
	if (!err && (die_haschildren(w, child) || HAS(&d, A_ABSTRACT_ORIGIN)))
		err = walk__collect_decl_tags(w, child, &d, 1, &tags, &ntags);
	if (err)
		return err;
	memset(out, 0, sizeof(*out));
	out->name = die_attrs__name(w, &d, child);
	out->type = ref;
	out->tags = tags;
	out->ntags = ntags;
	if (!out->name && unnamed)
		*unnamed = 1;
	if (walk__rec(w, idx)->flags & LF_FUNC_PROTO && w->t->l->cfg.param_locations) {
		err = param_loc__read(w, child, &d, out);
		if (err)
			return err;
	}
	return 1;
}

int walk__set_params(struct walk *w, uint32_t idx, const struct sub_rec *p, size_t n)
{
	struct cu_records *cu = w->cu;
	int err;

	err = vec__reserve((void **)&cu->subs, &cu->subs_cap, cu->nsubs + n, sizeof(*cu->subs));
	if (err)
		return err;
	if (n)
		memcpy(&cu->subs[cu->nsubs], p, n * sizeof(*p));
	walk__rec(w, idx)->sub = (uint32_t)cu->nsubs;
	walk__rec(w, idx)->nsub = (uint32_t)n;
	cu->nsubs += n;
	return 0;
}

static int decode_proto(struct walk *w, Dwarf_Die *die, struct die_attrs *d, uint32_t idx)
{
	Dwarf_Die child;
	uint32_t ret;
	int r, err;

	err = walk__ref_attr(w, die, d, A_TYPE, &ret);
	if (err)
		return err;
	walk__rec(w, idx)->kind = LK_PROTO;
	walk__rec(w, idx)->ref = ret;
	walk__rec(w, idx)->sub = (uint32_t)w->cu->nsubs;
	walk__rec(w, idx)->nsub = 0;
	if (!die_haschildren(w, die))
		return 0;
	for (r = die_child(w, die, &child); r == 0; r = die_next(w, &child)) {
		struct sub_rec p;
		uint32_t sub;

		err = walk__decode_param(w, &child, idx, &p, NULL);
		if (err < 0)
			return err;
		if (err == 0 && !walk__is_annotation(die_tag(w, &child)))
			walk__rec(w, idx)->flags |= LF_NESTED;
		if (err != 1)
			continue;
		err = walk__push_sub(w, &sub);
		if (err)
			return err;
		*walk__sub(w, sub) = p;
		walk__rec(w, idx)->nsub++;
	}
	return r < 0 ? walk__error(w, die, "cannot read parameters") : 0;
}

/* The decoder of record @idx for @die, by tag. */
/* The record kind of a pointer, qualifier or typedef tag; -1 for others. */
static int modifier_kind(int tag)
{
	switch (tag) {
	case DW_TAG_pointer_type:
	case DW_TAG_reference_type:
	case DW_TAG_rvalue_reference_type:
		return LK_PTR;
	case DW_TAG_const_type:
		return LK_CONST;
	case DW_TAG_volatile_type:
		return LK_VOLATILE;
	case DW_TAG_restrict_type:
		return LK_RESTRICT;
	case DW_TAG_atomic_type:
		return LK_ATOMIC;
	case DW_TAG_typedef:
		return LK_TYPEDEF;
	default:
		return -1;
	}
}

/*
 * decode_modifier() for a DIE its abbreviation's plan read (die_scan__plain():
 * no children, so no annotations), by the same rules.
 */
static int decode_planned_modifier(struct walk *w, Dwarf_Die *die, uint32_t idx, int kind,
				   const struct plain_die *pm)
{
	uint32_t ref = 0;
	int err;

	if (pm->type_off) {
		err = walk__ref_unit_die(w, pm->type_off, &ref);
		if (err)
			return err;
	}
	w->plain_die = die->addr;
	w->plain_end = pm->end;
	walk__rec(w, idx)->name = pm->name;
	walk__rec(w, idx)->die_off = die_offset(w, die);
	walk__rec(w, idx)->kind = kind;
	walk__rec(w, idx)->ref = ref;
	if (kind == LK_PTR)
		walk__rec(w, idx)->size = pm->has & PV_BIT(PV_BYTE_SIZE) ? pm->val[PV_BYTE_SIZE] :
				  (uint64_t)w->t->l->elf->addr_size;
	walk__rec(w, idx)->tags = 0;
	walk__rec(w, idx)->ntags = 0;
	return 0;
}

static int decode_type(struct walk *w, Dwarf_Die *die, uint32_t idx)
{
	int tag = die_tag(w, die), kind = modifier_kind(tag);
	struct die_attrs d;
	struct plain_die pm;
	int err;

	/* Most pointers, qualifiers and typedefs: read by their abbreviation's plan. */
	if (kind >= 0 && die_scan__plain(w->scan, die, &pm))
		return decode_planned_modifier(w, die, idx, kind, &pm);
	err = die_attrs__read(w, die, &d);
	if (err)
		return err;
	walk__rec(w, idx)->name = HAS(&d, A_NAME) ? attr_string(w, &d.a[A_NAME]) : NULL;
	walk__rec(w, idx)->die_off = die_offset(w, die);
	switch (tag) {
	case DW_TAG_base_type:
		return decode_base(w, &d, idx);
	case DW_TAG_pointer_type:
	case DW_TAG_reference_type:
	case DW_TAG_rvalue_reference_type:
		return decode_modifier(w, die, &d, idx, LK_PTR);
	case DW_TAG_ptr_to_member_type:
		return decode_modifier(w, die, &d, idx, LK_PTR_MEMBER);
	case DW_TAG_const_type:
		return decode_modifier(w, die, &d, idx, LK_CONST);
	case DW_TAG_volatile_type:
		return decode_modifier(w, die, &d, idx, LK_VOLATILE);
	case DW_TAG_restrict_type:
		return decode_modifier(w, die, &d, idx, LK_RESTRICT);
	case DW_TAG_atomic_type:
		return decode_modifier(w, die, &d, idx, LK_ATOMIC);
	case DW_TAG_typedef:
		return decode_modifier(w, die, &d, idx, LK_TYPEDEF);
	case DW_TAG_structure_type:
	case DW_TAG_class_type:
	case DW_TAG_interface_type:
		return decode_struct(w, die, &d, idx, LK_STRUCT);
	case DW_TAG_union_type:
		return decode_struct(w, die, &d, idx, LK_UNION);
	case DW_TAG_enumeration_type:
		return decode_enum(w, die, &d, idx);
	case DW_TAG_array_type:
		return decode_array(w, die, &d, idx);
	case DW_TAG_subroutine_type:
		return decode_proto(w, die, &d, idx);
	case DW_TAG_unspecified_type:
		walk__rec(w, idx)->kind = LK_VOID;
		return 0;
	default:
		/* Referenced but not a type we know (e.g. DW_TAG_string_type): void. */
		diag__debug(w->diag, "%s: DIE 0x%llx: tag 0x%x encoded as void", w->path,
			    (unsigned long long)dwarf_dieoffset(die), tag);
		walk__rec(w, idx)->kind = LK_VOID;
		return 0;
	}
}

int walk__push_order(struct walk *w, uint32_t idx)
{
	struct cu_records *cu = w->cu;
	int err;

	err = vec__push_slot(&cu->order, &cu->order_cap, cu->norder);
	if (err)
		return err;
	cu->order[cu->norder++] = idx;
	return 0;
}

int walk__type(struct walk *w, Dwarf_Die *die, uint32_t *idx_out)
{
	uint64_t key = walk__die_key(w, die);
	uint32_t idx;
	int err;

	if (u64map__get(&w->cu->die2type, key, &idx)) {
		*idx_out = idx;
		if (walk__rec(w, idx)->kind != LK_PENDING)
			return 0;
	} else {
		err = walk__new_record(w, LK_PENDING, NULL, die_offset(w, die), &idx);
		if (!err)
			err = u64map__set(&w->cu->die2type, key, idx);
		if (err)
			return err;
		*idx_out = idx;
	}
	return decode_type(w, die, idx);
}

int walk__drain_pending(struct walk *w)
{
	struct loader_thread *t = w->t;
	int err;

	while (t->npending) {
		struct pending p = t->pending[--t->npending];

		if (walk__rec(w, p.idx)->kind != LK_PENDING)
			continue;
		err = decode_type(w, &p.die, p.idx);
		if (!err)
			err = walk__push_order(w, p.idx);
		if (err)
			return err;
	}
	return 0;
}
