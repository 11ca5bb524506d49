// SPDX-License-Identifier: GPL-2.0-only
/*
 * attrs: the attributes a decoder needs, collected in one dwarf_getattrs()
 * pass over a DIE (libdw's dwarf_attr() rescans the DIE for every call).
 */
#include <dwarf.h>

#include "loader_int.h"

static int attr_slot(unsigned int name)
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
	default: return -1;
	}
}

static int attr_cb(Dwarf_Attribute *attr, void *arg)
{
	struct dattrs *d = arg;
	int slot = attr_slot(dwarf_whatattr(attr));

	if (slot >= 0) {
		d->a[slot] = *attr;
		d->present |= 1u << slot;
	}
	return DWARF_CB_OK;
}

int dattrs__read(struct walk *w, Dwarf_Die *die, struct dattrs *d)
{
	d->present = 0;
	if (dwarf_getattrs(die, attr_cb, d, 0) == -1)
		return walk_error(w, die, "cannot read attributes");
	return 0;
}

uint64_t dattrs__udata(struct dattrs *d, int x, int *found)
{
	Dwarf_Word v;

	if (found)
		*found = 0;
	if (!HAS(d, x) || dwarf_formudata(&d->a[x], &v))
		return 0;
	if (found)
		*found = 1;
	return v;
}

int dattrs__flag(struct dattrs *d, int x)
{
	bool f = false;

	return HAS(d, x) && dwarf_formflag(&d->a[x], &f) == 0 && f;
}

const char *dattrs__name(struct dattrs *d, Dwarf_Die *die)
{
	Dwarf_Attribute a;

	if (HAS(d, A_NAME))
		return dwarf_formstring(&d->a[A_NAME]);
	if (!HAS(d, A_SPECIFICATION) && !HAS(d, A_ABSTRACT_ORIGIN))
		return NULL;
	return dwarf_attr_integrate(die, DW_AT_name, &a) ? dwarf_formstring(&a) : NULL;
}
