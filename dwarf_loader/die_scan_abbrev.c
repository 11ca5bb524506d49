// SPDX-License-Identifier: GPL-2.0-only
/*
 * die_scan_abbrev: a unit's abbreviation table decoded once for die_scan.c (tag,
 * children flag, per attribute the die_attrs slot it fills and its size when
 * fixed; per fixed-layout abbreviation, the plan of its slot values), and the
 * unit set up for scanning.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <dwarf.h>

#include "loader_int.h"
#include "die_scan_int.h"
#include "util/vec.h"

/* Bytes of a value of @form when fixed for the unit, VAR_SIZE if not, -1 if unknown. */
int die_scan__form_size(const struct die_scan *s, uint64_t form)
{
	switch (form) {
	case DW_FORM_flag_present:
	case DW_FORM_implicit_const:
		return 0;
	case DW_FORM_data1: case DW_FORM_ref1: case DW_FORM_flag: case DW_FORM_strx1:
	case DW_FORM_addrx1:
		return 1;
	case DW_FORM_data2: case DW_FORM_ref2: case DW_FORM_strx2: case DW_FORM_addrx2:
		return 2;
	case DW_FORM_strx3: case DW_FORM_addrx3:
		return 3;
	case DW_FORM_data4: case DW_FORM_ref4: case DW_FORM_strx4: case DW_FORM_addrx4:
	case DW_FORM_ref_sup4:
		return 4;
	case DW_FORM_data8: case DW_FORM_ref8: case DW_FORM_ref_sig8: case DW_FORM_ref_sup8:
		return 8;
	case DW_FORM_data16:
		return 16;
	case DW_FORM_addr:
		return s->addr_size;
	case DW_FORM_ref_addr:
		return s->version == 2 ? s->addr_size : s->offset_size;
	case DW_FORM_strp: case DW_FORM_line_strp: case DW_FORM_sec_offset:
	case DW_FORM_strp_sup: case DW_FORM_GNU_ref_alt: case DW_FORM_GNU_strp_alt:
		return s->offset_size;
	case DW_FORM_sdata: case DW_FORM_udata: case DW_FORM_ref_udata: case DW_FORM_strx:
	case DW_FORM_addrx: case DW_FORM_loclistx: case DW_FORM_rnglistx:
	case DW_FORM_GNU_addr_index: case DW_FORM_GNU_str_index: case DW_FORM_string:
	case DW_FORM_block1: case DW_FORM_block2: case DW_FORM_block4: case DW_FORM_block:
	case DW_FORM_exprloc: case DW_FORM_indirect:
		return VAR_SIZE;
	default:
		return -1;
	}
}

static int slot_of(uint64_t name)
{
	switch (name) {
	case DW_AT_name: return A_NAME;
	case DW_AT_type: return A_TYPE;
	case DW_AT_byte_size: return A_BYTE_SIZE;
	case DW_AT_bit_size: return A_BIT_SIZE;
	case DW_AT_encoding: return A_ENCODING;
	case DW_AT_data_member_location: return A_MEMBER_LOC;
	case DW_AT_data_bit_offset: return A_DATA_BIT_OFFSET;
	case DW_AT_bit_offset: return A_BIT_OFFSET;
	case DW_AT_declaration: return A_DECLARATION;
	case DW_AT_external: return A_EXTERNAL;
	case DW_AT_upper_bound: return A_UPPER_BOUND;
	case DW_AT_count: return A_COUNT;
	case DW_AT_const_value: return A_CONST_VALUE;
	case DW_AT_specification: return A_SPECIFICATION;
	case DW_AT_abstract_origin: return A_ABSTRACT_ORIGIN;
	case DW_AT_location: return A_LOCATION;
	case DW_AT_inline: return A_INLINE;
	case DW_AT_artificial: return A_ARTIFICIAL;
	case DW_AT_low_pc: return A_LOW_PC;
	case DW_AT_entry_pc: return A_ENTRY_PC;
	case DW_AT_language: return A_LANGUAGE;
	case DW_AT_producer: return A_PRODUCER;
	case DW_AT_calling_convention: return A_CALLING_CONVENTION;
	case DW_AT_sibling: return SLOT_SIBLING;
	default: return -1;
	}
}

int die_attrs__slot(unsigned int name)
{
	int slot = slot_of(name);

	return slot == SLOT_SIBLING ? -1 : slot;
}

/* Runs of fixed-size attributes that fill no slot, from each one to the run's end. */
static void mark_runs(struct die_scan_attr *at, uint32_t n)
{
	uint32_t i;

	for (i = n; i-- > 0;) {
		int idle = at[i].slot < 0 && at[i].size != VAR_SIZE;
		int chain = idle && i + 1 < n && at[i + 1].run &&
			    at[i + 1].run < UINT16_MAX && at[i + 1].skip + at[i].size < UINT16_MAX;

		at[i].run = idle ? (uint16_t)(chain ? at[i + 1].run + 1 : 1) : 0;
		at[i].skip = idle ? (uint16_t)(at[i].size + (chain ? at[i + 1].skip : 0)) : 0;
	}
}

/*
 * The plan of fixed-layout abbreviation @a: the slot values and the sibling
 * in attribute order (a name given twice: the last one counts, as in
 * scan_attrs()). 1, or -ENOMEM.
 */
static int make_plan(struct die_scan *s, struct die_scan_abbrev *a)
{
	/* An abbreviation without attributes: s->attrs may still be NULL. */
	const struct die_scan_attr *at = a->nattrs ? &s->attrs[a->first] : NULL;
	uint32_t i, off = 0;

	a->ffirst = (uint32_t)s->nfills;
	a->nfills = 0;
	a->sib_size = 0;
	for (i = 0; i < a->nattrs; off += at[i].size, i++) {
		struct die_scan_fill *f;

		if (at[i].slot == SLOT_SIBLING) {
			int ref = at[i].form == DW_FORM_ref1 || at[i].form == DW_FORM_ref2 ||
				  at[i].form == DW_FORM_ref4 || at[i].form == DW_FORM_ref8;

			/* Another form leaves what a sibling before it gave. */
			if (ref) {
				a->sib_size = at[i].size;
				a->sib_off = off;
			}
			continue;
		}
		if (at[i].slot < 0)
			continue;
		if (vec__push_slot(&s->fills, &s->fills_cap, s->nfills))
			return -ENOMEM;
		f = &s->fills[s->nfills++];
		f->name = at[i].name;
		f->form = at[i].form;
		f->slot = at[i].slot;
		f->pad = 0;
		f->off = off;
		f->implicit = at[i].form == DW_FORM_implicit_const ? at[i].implicit : NULL;
		a->nfills++;
	}
	return 1;
}

/* Tags a plain plan is made for. */
static int plain_tag(uint32_t tag)
{
	switch (tag) {
	case DW_TAG_member:
	case DW_TAG_enumerator:
	case DW_TAG_formal_parameter:
	case DW_TAG_pointer_type:
	case DW_TAG_reference_type:
	case DW_TAG_rvalue_reference_type:
	case DW_TAG_const_type:
	case DW_TAG_volatile_type:
	case DW_TAG_restrict_type:
	case DW_TAG_atomic_type:
	case DW_TAG_typedef:
		return 1;
	default:
		return 0;
	}
}

/* The plain plan of abbreviation @a (its fills made), if it qualifies. */
static void make_plain_plan(const struct die_scan *s, struct die_scan_abbrev *a)
{
	const struct die_scan_fill *f;
	uint32_t i;

	a->plain_plan = 0;
	a->pmask = 0;
	a->npv = 0;
	/* No plan, no fills: s->fills may still be NULL. */
	if (!plain_tag(a->tag) || a->has_children || a->fixed_len < 0)
		return;
	f = a->nfills ? &s->fills[a->ffirst] : NULL;	/* no offset on a NULL array */
	for (i = 0; i < a->nfills; i++, f++) {
		int size = f->form == DW_FORM_data1 || f->form == DW_FORM_ref1 ? 1 :
			   f->form == DW_FORM_data2 || f->form == DW_FORM_ref2 ? 2 :
			   f->form == DW_FORM_data4 || f->form == DW_FORM_ref4 ? 4 :
			   f->form == DW_FORM_data8 || f->form == DW_FORM_ref8 ? 8 :
			   f->form == DW_FORM_implicit_const ? 0 : -1;
		int data = size >= 0 && (f->form < DW_FORM_ref1 || f->form > DW_FORM_ref8);
		int ref = size > 0 && !data;
		struct die_scan_pval *v;
		int x;

		switch (f->slot) {
		case A_NAME: x = f->form == DW_FORM_strp ? PV_NAME : -1; break;
		case A_TYPE: x = ref ? PV_TYPE : -1; break;
		case A_MEMBER_LOC: x = data ? PV_LOC : -1; break;
		case A_DATA_BIT_OFFSET: x = data ? PV_DATA_BIT_OFFSET : -1; break;
		case A_BIT_SIZE: x = data ? PV_BIT_SIZE : -1; break;
		case A_BYTE_SIZE: x = data ? PV_BYTE_SIZE : -1; break;
		case A_CONST_VALUE: x = data ? PV_CONST_VALUE : -1; break;
		case A_LOCATION: x = a->tag == DW_TAG_formal_parameter ? PV_LOCATION : -1; break;
		default: x = -1; break;	/* a flag, DW_AT_bit_offset...: the general way */
		}
		if (x < 0 || f->off > UINT16_MAX)
			return;
		a->pmask |= PV_BIT(x);
		/* A name given twice: the last one counts, as in the fills. */
		if (x == PV_NAME) {
			a->pname_off = (uint16_t)f->off;
			continue;
		}
		if (x == PV_LOCATION)
			continue;
		if (x == PV_TYPE) {
			a->ptype_off = (uint16_t)f->off;
			a->ptype_size = (uint8_t)size;
			continue;
		}
		if (a->npv == PV__MAX - PV_LOC)
			return;
		v = &a->pv[a->npv++];
		v->x = (uint8_t)x;
		v->size = (uint8_t)size;
		v->off = (uint16_t)f->off;
		v->implicit = 0;
		if (!size) {
			const uint8_t *q = f->implicit;
			int64_t iv;

			/* die_scan__udata()'s reading of the abbreviation's SLEB128. */
			if (!sleb(&q, q + 10, &iv))
				return;
			v->implicit = (uint64_t)iv;
		}
	}
	a->plain_plan = 1;
}

/*
 * Decodes the abbreviation table at @off of @data into @s. 1 if done; 0 if the
 * table is one this decoder does not take (libdw then reads the unit, and
 * decides); -ENOMEM if out of memory, which is an error, not a reason to hand
 * the unit to libdw: libdw ends the process when its own allocation fails.
 */
static int read_table(struct die_scan *s, const uint8_t *data, size_t size, uint64_t off)
{
	const uint8_t *p, *end;
	uint64_t code, tag, name, form, ndefined = 0;

	s->nattrs = 0;
	s->nfills = 0;
	if (s->nabbrevs)
		memset(s->abbrevs, 0, s->nabbrevs * sizeof(*s->abbrevs));
	s->nabbrevs = 0;
	if (!data || off >= size)
		return 0;
	end = data + size;
	p = data + off;
	for (;;) {
		struct die_scan_abbrev *a;
		int fixed = 0;

		if (!uleb(&p, end, &code))
			return 0;
		if (!code)
			return 1;
		/*
		 * Codes index an array, so a sparse table (compilers number codes from 1 up)
		 * is libdw's: the array, cleared for every unit, stays proportional to the
		 * entries the table really holds, whatever code a file claims.
		 */
		if (code >= MAX_CODE || code > 4 * ndefined + 1024 || !uleb(&p, end, &tag) ||
		    p >= end || tag > UINT32_MAX)
			return 0;
		ndefined++;
		if (code >= s->nabbrevs) {
			size_t n = s->nabbrevs;

			if (vec__reserve((void **)&s->abbrevs, &s->abbrevs_cap, code + 1,
					 sizeof(*s->abbrevs)))
				return -ENOMEM;
			memset(s->abbrevs + n, 0, (code + 1 - n) * sizeof(*s->abbrevs));
			s->nabbrevs = code + 1;
		}
		a = &s->abbrevs[code];
		if (a->defined)
			return 0;	/* a code twice: libdw decides */
		a->defined = 1;
		a->tag = (uint32_t)tag;
		a->has_children = *p++ == DW_CHILDREN_yes;
		a->first = (uint32_t)s->nattrs;
		for (;;) {
			struct die_scan_attr *at;
			int size;

			if (!uleb(&p, end, &name) || !uleb(&p, end, &form))
				return 0;
			if (!name && !form)
				break;
			size = die_scan__form_size(s, form);
			if (size < 0 || name > UINT32_MAX)
				return 0;
			if (vec__push_slot(&s->attrs, &s->attrs_cap, s->nattrs))
				return -ENOMEM;
			at = &s->attrs[s->nattrs++];
			at->name = (uint32_t)name;
			at->form = (uint16_t)form;
			at->slot = (int8_t)slot_of(name);
			at->size = (uint8_t)size;
			at->implicit = NULL;
			if (form == DW_FORM_implicit_const) {
				at->implicit = p;
				if (!skip_leb(&p, end))
					return 0;
			}
			if (size == VAR_SIZE)
				fixed = -1;
			else if (fixed >= 0)
				fixed += size;
		}
		a->nattrs = (uint32_t)(s->nattrs - a->first);
		a->fixed_len = fixed;
		if (a->nattrs)
			mark_runs(&s->attrs[a->first], a->nattrs);
		if (fixed >= 0 && make_plan(s, a) < 0)
			return -ENOMEM;
		make_plain_plan(s, a);
	}
}

int die_scan__begin(struct die_scan *s, Dwarf_Die *cudie, const struct loader *l)
{
	const void *abbrev = l->abbrev;
	size_t abbrev_size = l->abbrev_size, info_size = l->info_size;
	int big_endian = l->elf->big_endian;
	const uint8_t *hdr, *start, *ibase = (const uint8_t *)l->info;
	Dwarf_Off abbrev_off, cuoff = dwarf_cuoffset(cudie);
	Dwarf_Half version;
	uint8_t addr_size, offset_size;
	uint64_t len;
	Dwarf_Die d;
	int err;

	s->cu = NULL;
	if (cuoff == (Dwarf_Off)-1 || !ibase || !cudie->addr ||
	    !dwarf_cu_die(cudie->cu, &d, &version, &abbrev_off, &addr_size, &offset_size,
			  NULL, NULL))
		return 0;
	hdr = (const uint8_t *)cudie->addr - cuoff;
	if (hdr < ibase || hdr >= ibase + info_size || (size_t)(ibase + info_size - hdr) < 4)
		return 0;
	len = read_uint(hdr, 4, big_endian);
	start = hdr + 4;
	if (len == 0xffffffffu) {
		if ((size_t)(ibase + info_size - hdr) < 12)
			return 0;
		len = read_uint(hdr + 4, 8, big_endian);
		start = hdr + 12;
	}
	if (len > (uint64_t)(ibase + info_size - start) ||
	    (const uint8_t *)cudie->addr >= start + len)
		return 0;
	memset(s->memo, 0, sizeof(s->memo));
	s->fallbacks = 0;
	s->start = hdr;
	s->end = start + len;
	s->start_off = (uint64_t)(hdr - ibase);
	s->first_die = cuoff;
	s->str = l->str;
	s->str_size = l->str_size;
	s->version = (uint8_t)version;
	s->addr_size = addr_size;
	s->offset_size = offset_size;
	s->big_endian = big_endian;
	if (s->table_valid && s->abbrev_off == abbrev_off && s->abbrev_sizes ==
	    ((uint32_t)addr_size << 16 | (uint32_t)offset_size << 8 | version)) {
		s->cu = cudie->cu;
		return 0;
	}
	s->abbrev_off = abbrev_off;
	s->abbrev_sizes = (uint32_t)addr_size << 16 | (uint32_t)offset_size << 8 | version;
	err = read_table(s, abbrev, abbrev_size, abbrev_off);
	s->table_valid = err > 0;
	if (s->table_valid)
		s->cu = cudie->cu;
	return err < 0 ? err : 0;
}

void die_scan__free(struct die_scan *s)
{
	free(s->abbrevs);
	free(s->attrs);
	free(s->fills);
	memset(s, 0, sizeof(*s));
}
