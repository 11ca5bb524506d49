// SPDX-License-Identifier: GPL-2.0-only
/*
 * die_decode: one small decoder per DWARF tag, chosen through a table.
 *
 * References (DW_AT_type) are resolved to record indices at once: a DIE not
 * seen yet gets a reserved record of kind LK_PENDING and is queued; the walk
 * decodes it when it gets there, drain_pending() decodes the rest (DIEs in
 * other units or type units). No recursion, so deep type graphs cannot
 * exhaust a thread's stack, and a cycle (struct s { struct s *next; }) ends
 * at the reserved record.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <dwarf.h>

#include "loader_int.h"

int walk_error(struct walk *w, Dwarf_Die *die, const char *what)
{
	int e = dwarf_errno();

	diag__err(w->diag, "%s: DIE 0x%llx: %s%s%s", w->path,
		  (unsigned long long)(die ? dwarf_dieoffset(die) : 0), what,
		  e ? ": " : "", e ? dwarf_errmsg(e) : "");
	return -EINVAL;
}

int new_record(struct walk *w, int kind, const char *name, uint64_t die_off, uint32_t *idx)
{
	struct lcu *cu = w->cu;
	struct ltype *t;
	int err;

	err = vec__push_slot(&cu->types, &cu->types_cap, cu->ntypes);
	if (err)
		return err;
	if (cu->ntypes >= UINT32_MAX)
		return -E2BIG;
	t = &cu->types[cu->ntypes];
	memset(t, 0, sizeof(*t));
	t->kind = kind;
	t->name = name;
	t->die_off = die_off;
	if (idx)
		*idx = (uint32_t)cu->ntypes;
	cu->ntypes++;
	return 0;
}

/* Map key of a DIE: DWARF 4 .debug_types offsets get their own space. */
static uint64_t die_key(Dwarf_Die *die)
{
	Dwarf_Half version = 0;
	uint8_t unit_type = 0;
	uint64_t off = dwarf_dieoffset(die);

	if (dwarf_cu_info(die->cu, &version, &unit_type, NULL, NULL, NULL, NULL, NULL) == 0 &&
	    unit_type == DW_UT_type && version < 5)
		off |= 1ULL << 63;
	return off;
}

/* Record index for the type DIE @target, reserving (and queuing) it if new. */
static int ref_die(struct walk *w, Dwarf_Die *target, uint32_t *idx)
{
	struct loader_thread *t = w->t;
	uint64_t key = die_key(target);
	int err;

	if (u64map__get(&w->cu->die2type, key, idx))
		return 0;
	err = new_record(w, LK_PENDING, NULL, dwarf_dieoffset(target), idx);
	if (!err)
		err = u64map__set(&w->cu->die2type, key, *idx);
	if (!err)
		err = vec__push_slot(&t->pending, &t->pending_cap, t->npending);
	if (err)
		return err;
	t->pending[t->npending].idx = *idx;
	t->pending[t->npending].die = *target;
	t->npending++;
	return 0;
}

/* The record DW_AT_type of @die points to (following origins), 0 if none. */
static int ref_type(struct walk *w, Dwarf_Die *die, uint32_t *idx)
{
	Dwarf_Attribute a;
	Dwarf_Die target;

	*idx = 0;
	if (!dwarf_attr_integrate(die, DW_AT_type, &a))
		return 0;
	if (!dwarf_formref_die(&a, &target))
		return walk_error(w, die, "bad DW_AT_type reference");
	return ref_die(w, &target, idx);
}

static const char *attr_string(Dwarf_Die *die, unsigned int name, int integrate)
{
	Dwarf_Attribute a;

	if (!(integrate ? dwarf_attr_integrate(die, name, &a) : dwarf_attr(die, name, &a)))
		return NULL;
	return dwarf_formstring(&a);
}

static int attr_udata(Dwarf_Die *die, unsigned int name, uint64_t *val)
{
	Dwarf_Attribute a;
	Dwarf_Word v;

	if (!dwarf_attr(die, name, &a) || dwarf_formudata(&a, &v))
		return 0;
	*val = v;
	return 1;
}

static int attr_flag(Dwarf_Die *die, unsigned int name, int integrate)
{
	Dwarf_Attribute a;
	bool f = false;

	if (!(integrate ? dwarf_attr_integrate(die, name, &a) : dwarf_attr(die, name, &a)))
		return 0;
	return dwarf_formflag(&a, &f) == 0 && f;
}

static int is_annotation(int tag)
{
	return tag == TAG_LLVM_ANNOTATION || tag == TAG_GNU_ANNOTATION;
}

/*
 * Appends the btf_type_tag (@type_tags) or btf_decl_tag annotations among the
 * children of @die to cu->tags, contiguously; sets the block's start and size.
 */
static int collect_tags(struct walk *w, Dwarf_Die *die, int type_tags, uint32_t *first,
			uint16_t *cnt)
{
	const char *want = type_tags ? "btf_type_tag" : "btf_decl_tag";
	struct lcu *cu = w->cu;
	Dwarf_Die child;
	int r, err;

	*first = (uint32_t)cu->ntags;
	*cnt = 0;
	if (!dwarf_haschildren(die))
		return 0;
	for (r = dwarf_child(die, &child); r == 0; r = dwarf_siblingof(&child, &child)) {
		const char *name, *value;

		if (!is_annotation(dwarf_tag(&child)))
			continue;
		name = dwarf_diename(&child);
		if (!name || strcmp(name, want))
			continue;
		value = attr_string(&child, DW_AT_const_value, 0);
		if (!value)
			continue;
		err = vec__push_slot(&cu->tags, &cu->tags_cap, cu->ntags);
		if (err)
			return err;
		cu->tags[cu->ntags].value = value;
		cu->tags[cu->ntags].is_type_tag = type_tags;
		cu->ntags++;
		(*cnt)++;
	}
	return r < 0 ? walk_error(w, die, "cannot read children") : 0;
}

/* Decl tags of @die, or else of the DIE its specification/origin names. */
static int collect_decl_tags(struct walk *w, Dwarf_Die *die, uint32_t *first, uint16_t *cnt)
{
	static const unsigned int links[] = { DW_AT_specification, DW_AT_abstract_origin };
	size_t i;
	int err;

	err = collect_tags(w, die, 0, first, cnt);
	for (i = 0; !err && !*cnt && i < sizeof(links) / sizeof(links[0]); i++) {
		Dwarf_Attribute a;
		Dwarf_Die other;

		if (dwarf_attr(die, links[i], &a) && dwarf_formref_die(&a, &other))
			err = collect_tags(w, &other, 0, first, cnt);
	}
	return err;
}

static int count_children(Dwarf_Die *die, int tag1, int tag2)
{
	Dwarf_Die child;
	int r, n = 0;

	if (!dwarf_haschildren(die))
		return 0;
	for (r = dwarf_child(die, &child); r == 0; r = dwarf_siblingof(&child, &child)) {
		int tag = dwarf_tag(&child);

		if (tag == tag1 || tag == tag2)
			n++;
	}
	return r < 0 ? -EINVAL : n;
}

static int reserve_subs(struct walk *w, int n, uint32_t *first)
{
	struct lcu *cu = w->cu;
	int err;

	*first = (uint32_t)cu->nsubs;
	if (n <= 0)
		return 0;
	err = vec__reserve((void **)&cu->subs, &cu->subs_cap, cu->nsubs + n, sizeof(*cu->subs));
	if (err)
		return err;
	memset(&cu->subs[cu->nsubs], 0, n * sizeof(*cu->subs));
	cu->nsubs += n;
	return 0;
}

#define T(w, idx) (&(w)->cu->types[(idx)])

static int decode_base(struct walk *w, Dwarf_Die *die, uint32_t idx)
{
	uint64_t v;

	T(w, idx)->kind = LK_BASE;
	if (attr_udata(die, DW_AT_byte_size, &v))
		T(w, idx)->size = v;
	if (attr_udata(die, DW_AT_encoding, &v))
		T(w, idx)->encoding = (uint8_t)v;
	if (attr_udata(die, DW_AT_bit_size, &v))
		T(w, idx)->bit_size = (uint16_t)v;
	return 0;
}

static int decode_modifier(struct walk *w, Dwarf_Die *die, uint32_t idx, int kind)
{
	uint32_t ref, tags;
	uint16_t ntags;
	uint64_t size;
	int err;

	err = ref_type(w, die, &ref);
	if (err)
		return err;
	T(w, idx)->kind = kind;
	T(w, idx)->ref = ref;
	if (kind == LK_PTR || kind == LK_PTR_MEMBER) {
		if (!attr_udata(die, DW_AT_byte_size, &size))
			size = w->t->l->elf->addr_size;
		T(w, idx)->size = size;
		err = collect_tags(w, die, 1, &tags, &ntags);
		T(w, idx)->tags = tags;
		T(w, idx)->ntags = ntags;
	} else if (kind == LK_TYPEDEF) {
		err = collect_tags(w, die, 0, &tags, &ntags);
		T(w, idx)->tags = tags;
		T(w, idx)->ntags = ntags;
	}
	return err;
}

/* Bit offset of a member from whichever of the three DWARF encodings it uses. */
static int member_bit_offset(struct walk *w, Dwarf_Die *m, uint64_t *bit_off)
{
	Dwarf_Attribute a;
	uint64_t byte_off = 0, old_bit_off, bit_size = 0, storage;

	if (attr_udata(m, DW_AT_data_bit_offset, bit_off))
		return 0;
	if (dwarf_attr(m, DW_AT_data_member_location, &a)) {
		Dwarf_Word v;
		Dwarf_Op *ops;
		size_t nops;

		if (dwarf_formudata(&a, &v) == 0) {
			byte_off = v;
		} else if (dwarf_getlocation(&a, &ops, &nops) == 0 && nops == 1 &&
			   (ops[0].atom == DW_OP_plus_uconst || ops[0].atom == DW_OP_constu)) {
			byte_off = ops[0].number;
		} else {
			return walk_error(w, m, "unsupported DW_AT_data_member_location");
		}
	}
	*bit_off = byte_off * 8;
	if (!attr_udata(m, DW_AT_bit_offset, &old_bit_off))
		return 0;
	/* DWARF 2/3 bitfields: DW_AT_bit_offset counts from the storage unit's MSB. */
	attr_udata(m, DW_AT_bit_size, &bit_size);
	if (!attr_udata(m, DW_AT_byte_size, &storage)) {
		Dwarf_Die type;
		Dwarf_Word sz;

		if (!dwarf_attr(m, DW_AT_type, &a) || !dwarf_formref_die(&a, &type) ||
		    dwarf_aggregate_size(&type, &sz))
			return walk_error(w, m, "bitfield without a storage size");
		storage = sz;
	}
	if (w->t->l->elf->big_endian)
		*bit_off += old_bit_off;
	else
		*bit_off += storage * 8 - old_bit_off - bit_size;
	return 0;
}

static int decode_member(struct walk *w, Dwarf_Die *m, uint32_t sub)
{
	uint32_t ref, tags;
	uint16_t ntags;
	uint64_t bit_off = 0, bits = 0;
	struct lsub *s;
	int err;

	err = ref_type(w, m, &ref);
	if (!err)
		err = member_bit_offset(w, m, &bit_off);
	if (!err)
		err = collect_tags(w, m, 0, &tags, &ntags);
	if (err)
		return err;
	s = &w->cu->subs[sub];
	s->name = dwarf_diename(m);
	s->type = ref;
	s->value = bit_off;
	if (attr_udata(m, DW_AT_bit_size, &bits)) {
		s->bit_size = (uint32_t)bits;
		s->flags |= LSUB_BITFIELD;
	}
	s->tags = tags;
	s->ntags = ntags;
	return 0;
}

/* C++ static data members are DW_TAG_member with DW_AT_external or declaration. */
static int is_data_member(Dwarf_Die *m)
{
	return dwarf_tag(m) == DW_TAG_member && !attr_flag(m, DW_AT_external, 0) &&
	       !attr_flag(m, DW_AT_declaration, 0);
}

static int decode_struct(struct walk *w, Dwarf_Die *die, uint32_t idx, int kind)
{
	Dwarf_Die child;
	uint32_t first, tags;
	uint16_t ntags;
	uint64_t size = 0;
	int n = 0, r, err;

	T(w, idx)->kind = kind;
	if (attr_flag(die, DW_AT_declaration, 0))
		T(w, idx)->flags |= LF_DECL;
	if (attr_udata(die, DW_AT_byte_size, &size))
		T(w, idx)->size = size;
	if (dwarf_haschildren(die)) {
		for (r = dwarf_child(die, &child); r == 0; r = dwarf_siblingof(&child, &child))
			n += is_data_member(&child);
		if (r < 0)
			return walk_error(w, die, "cannot read members");
	}
	err = reserve_subs(w, n, &first);
	if (err)
		return err;
	T(w, idx)->sub = first;
	T(w, idx)->nsub = n;
	if (n) {
		uint32_t sub = first;

		for (r = dwarf_child(die, &child); r == 0; r = dwarf_siblingof(&child, &child)) {
			if (!is_data_member(&child))
				continue;
			err = decode_member(w, &child, sub++);
			if (err)
				return err;
		}
	}
	err = collect_tags(w, die, 0, &tags, &ntags);
	T(w, idx)->tags = tags;
	T(w, idx)->ntags = ntags;
	return err;
}

static int decode_enum(struct walk *w, Dwarf_Die *die, uint32_t idx)
{
	Dwarf_Die child, under;
	Dwarf_Attribute a;
	uint32_t first, sub;
	uint64_t size = 4, enc = 0;
	int n, r, err, is_signed = 0;

	/* Signedness comes from the underlying type only (DW_AT_type). */
	T(w, idx)->kind = LK_ENUM;
	if (attr_flag(die, DW_AT_declaration, 0))
		T(w, idx)->flags |= LF_DECL;
	/* No (or a zero) byte size, as in a forward enum: 4 bytes, as pahole. */
	if (!attr_udata(die, DW_AT_byte_size, &size) || !size)
		size = 4;
	T(w, idx)->size = size;
	if (dwarf_attr_integrate(die, DW_AT_type, &a) && dwarf_formref_die(&a, &under)) {
		while (dwarf_tag(&under) == DW_TAG_typedef &&
		       dwarf_attr(&under, DW_AT_type, &a) && dwarf_formref_die(&a, &under))
			;
		if (attr_udata(&under, DW_AT_encoding, &enc))
			is_signed = enc == DW_ATE_signed || enc == DW_ATE_signed_char;
	}
	n = count_children(die, DW_TAG_enumerator, -1);
	if (n < 0)
		return walk_error(w, die, "cannot read enumerators");
	err = reserve_subs(w, n, &first);
	if (err)
		return err;
	T(w, idx)->sub = first;
	T(w, idx)->nsub = n;
	sub = first;
	for (r = n ? dwarf_child(die, &child) : 1; r == 0; r = dwarf_siblingof(&child, &child)) {
		struct lsub *s;
		Dwarf_Word u = 0;

		if (dwarf_tag(&child) != DW_TAG_enumerator)
			continue;
		s = &w->cu->subs[sub++];
		s->name = dwarf_diename(&child);
		/* As pahole 1.24: the raw value, sdata sign-extended, dataN zero-extended. */
		if (!dwarf_attr(&child, DW_AT_const_value, &a) || dwarf_formudata(&a, &u))
			return walk_error(w, &child, "enumerator without a constant value");
		s->value = u;
	}
	if (is_signed)
		T(w, idx)->flags |= LF_SIGNED;
	return 0;
}

static int decode_array(struct walk *w, Dwarf_Die *die, uint32_t idx)
{
	Dwarf_Die child;
	uint32_t ref, first, sub;
	int n, r, err;

	err = ref_type(w, die, &ref);
	if (err)
		return err;
	T(w, idx)->kind = LK_ARRAY;
	T(w, idx)->ref = ref;
	n = count_children(die, DW_TAG_subrange_type, DW_TAG_enumeration_type);
	if (n < 0)
		return walk_error(w, die, "cannot read array dimensions");
	err = reserve_subs(w, n, &first);
	if (err)
		return err;
	T(w, idx)->sub = first;
	T(w, idx)->nsub = n;
	sub = first;
	for (r = n ? dwarf_child(die, &child) : 1; r == 0; r = dwarf_siblingof(&child, &child)) {
		struct lsub *s;
		uint64_t count, upper, lower = 0;
		Dwarf_Attribute a;
		Dwarf_Sword sv;

		if (dwarf_tag(&child) != DW_TAG_subrange_type &&
		    dwarf_tag(&child) != DW_TAG_enumeration_type)
			continue;
		s = &w->cu->subs[sub++];
		if (attr_udata(&child, DW_AT_count, &count)) {
			s->value = count;
		} else if (dwarf_attr(&child, DW_AT_upper_bound, &a)) {
			/* gcc writes upper bound -1 for zero-length arrays. */
			if (dwarf_whatform(&a) == DW_FORM_sdata && dwarf_formsdata(&a, &sv) == 0 &&
			    sv < 0) {
				s->value = 0;
				continue;
			}
			if (dwarf_formudata(&a, &upper)) {
				s->flags |= LSUB_NO_COUNT;	/* e.g. a VLA's expression */
				continue;
			}
			attr_udata(&child, DW_AT_lower_bound, &lower);
			s->value = upper == UINT64_MAX || upper + 1 < lower ? 0 : upper + 1 - lower;
		} else {
			s->flags |= LSUB_NO_COUNT;
		}
	}
	return 0;
}

/* Parameters and variadic marker among the children of @die into record @idx. */
static int decode_params(struct walk *w, Dwarf_Die *die, uint32_t idx, int *unnamed)
{
	Dwarf_Die child;
	uint32_t first, sub;
	int n, r, err;

	n = count_children(die, DW_TAG_formal_parameter, -1);
	if (n < 0)
		return walk_error(w, die, "cannot read parameters");
	err = reserve_subs(w, n, &first);
	if (err)
		return err;
	T(w, idx)->sub = first;
	T(w, idx)->nsub = n;
	sub = first;
	if (!dwarf_haschildren(die))
		return 0;
	for (r = dwarf_child(die, &child); r == 0; r = dwarf_siblingof(&child, &child)) {
		int tag = dwarf_tag(&child);
		uint32_t ref, tags;
		uint16_t ntags;
		struct lsub *s;

		if (tag == DW_TAG_unspecified_parameters) {
			T(w, idx)->flags |= LF_VARIADIC;
			continue;
		}
		if (tag != DW_TAG_formal_parameter)
			continue;
		err = ref_type(w, &child, &ref);
		if (!err)
			err = collect_decl_tags(w, &child, &tags, &ntags);
		if (err)
			return err;
		s = &w->cu->subs[sub++];
		s->name = attr_string(&child, DW_AT_name, 1);
		s->type = ref;
		s->tags = tags;
		s->ntags = ntags;
		if (!s->name && unnamed)
			*unnamed = 1;
	}
	return r < 0 ? walk_error(w, die, "cannot read parameters") : 0;
}

static int decode_proto(struct walk *w, Dwarf_Die *die, uint32_t idx)
{
	uint32_t ret;
	int err;

	err = ref_type(w, die, &ret);
	if (err)
		return err;
	T(w, idx)->kind = LK_PROTO;
	T(w, idx)->ref = ret;
	return decode_params(w, die, idx, NULL);
}

/* The decoder of record @idx for @die, by tag. */
static int decode_type(struct walk *w, Dwarf_Die *die, uint32_t idx)
{
	int tag = dwarf_tag(die);

	T(w, idx)->name = dwarf_diename(die);
	T(w, idx)->die_off = dwarf_dieoffset(die);
	switch (tag) {
	case DW_TAG_base_type:
		return decode_base(w, die, idx);
	case DW_TAG_pointer_type:
	case DW_TAG_reference_type:
	case DW_TAG_rvalue_reference_type:
		return decode_modifier(w, die, idx, LK_PTR);
	case DW_TAG_ptr_to_member_type:
		return decode_modifier(w, die, idx, LK_PTR_MEMBER);
	case DW_TAG_const_type:
		return decode_modifier(w, die, idx, LK_CONST);
	case DW_TAG_volatile_type:
		return decode_modifier(w, die, idx, LK_VOLATILE);
	case DW_TAG_restrict_type:
		return decode_modifier(w, die, idx, LK_RESTRICT);
	case DW_TAG_atomic_type:
		return decode_modifier(w, die, idx, LK_ATOMIC);
	case DW_TAG_typedef:
		return decode_modifier(w, die, idx, LK_TYPEDEF);
	case DW_TAG_structure_type:
	case DW_TAG_class_type:
	case DW_TAG_interface_type:
		return decode_struct(w, die, idx, LK_STRUCT);
	case DW_TAG_union_type:
		return decode_struct(w, die, idx, LK_UNION);
	case DW_TAG_enumeration_type:
		return decode_enum(w, die, idx);
	case DW_TAG_array_type:
		return decode_array(w, die, idx);
	case DW_TAG_subroutine_type:
		return decode_proto(w, die, idx);
	case DW_TAG_unspecified_type:
		T(w, idx)->kind = LK_VOID;
		return 0;
	default:
		/* Referenced but not a type we know (e.g. DW_TAG_string_type): void. */
		diag__debug(w->diag, "%s: DIE 0x%llx: tag 0x%x encoded as void", w->path,
			    (unsigned long long)dwarf_dieoffset(die), tag);
		T(w, idx)->kind = LK_VOID;
		return 0;
	}
}

int push_order(struct walk *w, uint32_t idx)
{
	struct lcu *cu = w->cu;
	int err;

	err = vec__push_slot(&cu->order, &cu->order_cap, cu->norder);
	if (err)
		return err;
	cu->order[cu->norder++] = idx;
	return 0;
}

int walk_type(struct walk *w, Dwarf_Die *die, uint32_t *idx_out)
{
	uint64_t key = die_key(die);
	uint32_t idx;
	int err;

	if (u64map__get(&w->cu->die2type, key, &idx)) {
		*idx_out = idx;
		if (T(w, idx)->kind != LK_PENDING)
			return 0;
	} else {
		err = new_record(w, LK_PENDING, NULL, dwarf_dieoffset(die), &idx);
		if (!err)
			err = u64map__set(&w->cu->die2type, key, idx);
		if (err)
			return err;
		*idx_out = idx;
	}
	return decode_type(w, die, idx);
}

int drain_pending(struct walk *w)
{
	struct loader_thread *t = w->t;
	int err;

	while (t->npending) {
		struct pending p = t->pending[--t->npending];

		if (T(w, p.idx)->kind != LK_PENDING)
			continue;
		err = decode_type(w, &p.die, p.idx);
		if (!err)
			err = push_order(w, p.idx);
		if (err)
			return err;
	}
	return 0;
}

int decode_func(struct walk *w, Dwarf_Die *die)
{
	struct lcu *cu = w->cu;
	struct lfunc *f;
	Dwarf_Addr pc = 0;
	uint32_t proto, tags, ret;
	uint16_t ntags;
	uint64_t inl = 0;
	int unnamed = 0, err, has_pc;
	Dwarf_Attribute a;

	err = new_record(w, LK_PROTO, NULL, dwarf_dieoffset(die), &proto);
	if (err)
		return err;
	T(w, proto)->flags |= LF_FUNC_PROTO;
	err = ref_type(w, die, &ret);
	T(w, proto)->ref = ret;
	if (!err)
		err = decode_params(w, die, proto, &unnamed);
	if (!err)
		err = collect_decl_tags(w, die, &tags, &ntags);
	if (!err)
		err = vec__push_slot(&cu->funcs, &cu->funcs_cap, cu->nfuncs);
	if (err)
		return err;
	has_pc = dwarf_lowpc(die, &pc) == 0 || dwarf_entrypc(die, &pc) == 0;
	if (dwarf_attr_integrate(die, DW_AT_inline, &a)) {
		Dwarf_Word v;

		if (dwarf_formudata(&a, &v) == 0)
			inl = v;
	}
	f = &cu->funcs[cu->nfuncs++];
	memset(f, 0, sizeof(*f));
	f->name = attr_string(die, DW_AT_name, 1);
	f->die_off = dwarf_dieoffset(die);
	f->low_pc = pc;
	f->has_low_pc = has_pc;
	f->proto = proto;
	f->tags = tags;
	f->ntags = ntags;
	f->external = attr_flag(die, DW_AT_external, 1);
	f->declaration = attr_flag(die, DW_AT_declaration, 0);
	f->inlined = !has_pc && (inl == DW_INL_inlined || inl == DW_INL_declared_inlined);
	f->unnamed_param = unnamed;
	return 0;
}

/* Classifies DW_AT_location of a variable; the address for LVAR_ADDR. */
static int var_location(Dwarf_Die *die, uint64_t *addr)
{
	Dwarf_Attribute a, res;
	Dwarf_Op *ops;
	size_t nops, i;
	Dwarf_Addr v;

	if (!dwarf_attr(die, DW_AT_location, &a))
		return LVAR_NO_LOC;
	if (dwarf_getlocation(&a, &ops, &nops) != 0 || nops == 0)
		return LVAR_OTHER;
	for (i = 0; i < nops; i++)
		if (ops[i].atom == DW_OP_form_tls_address || ops[i].atom == DW_OP_GNU_push_tls_address)
			return LVAR_TLS;
	switch (ops[0].atom) {
	case DW_OP_addr:
		*addr = ops[0].number;
		return LVAR_ADDR;
	case DW_OP_addrx:
	case DW_OP_GNU_addr_index:
		if (dwarf_getlocation_attr(&a, &ops[0], &res) || dwarf_formaddr(&res, &v))
			return LVAR_OTHER;
		*addr = v;
		return LVAR_ADDR;
	default:
		return LVAR_OTHER;
	}
}

int decode_var(struct walk *w, Dwarf_Die *die, int top_level)
{
	struct lcu *cu = w->cu;
	struct lvar *v;
	uint32_t type, tags;
	uint16_t ntags;
	uint64_t addr = 0;
	int err, loc;

	err = ref_type(w, die, &type);
	if (!err)
		err = collect_decl_tags(w, die, &tags, &ntags);
	if (!err)
		err = vec__push_slot(&cu->vars, &cu->vars_cap, cu->nvars);
	if (err)
		return err;
	loc = var_location(die, &addr);
	v = &cu->vars[cu->nvars++];
	memset(v, 0, sizeof(*v));
	v->name = attr_string(die, DW_AT_name, 1);
	v->die_off = dwarf_dieoffset(die);
	v->addr = addr;
	v->type = type;
	v->tags = tags;
	v->ntags = ntags;
	v->loc = loc;
	v->external = attr_flag(die, DW_AT_external, 1);
	v->declaration = attr_flag(die, DW_AT_declaration, 0);
	v->has_spec = dwarf_hasattr(die, DW_AT_specification);
	v->artificial = attr_flag(die, DW_AT_artificial, 0);
	v->own_name = dwarf_hasattr(die, DW_AT_name);
	v->top_level = top_level;
	return 0;
}

enum die_role die_role(int tag)
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
