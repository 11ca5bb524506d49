// SPDX-License-Identifier: GPL-2.0-only
/*
 * attrs: the attributes a decoder needs, collected in one pass over a DIE
 * (libdw's dwarf_attr() rescans the DIE for every call): die_scan.c's for the
 * unit being loaded, dwarf_getattrs() for DIEs elsewhere.
 */
#include <dwarf.h>

#include "loader_int.h"

static int attr_cb(Dwarf_Attribute *attr, void *arg)
{
	struct die_attrs *d = arg;
	int slot = die_attrs__slot(dwarf_whatattr(attr));

	if (slot >= 0) {
		d->a[slot] = *attr;
		d->present |= 1u << slot;
	}
	return DWARF_CB_OK;
}

int die_attrs__read_libdw(Dwarf_Die *die, struct die_attrs *d)
{
	d->present = 0;
	d->scan = NULL;
	d->end = NULL;
	return dwarf_getattrs(die, attr_cb, d, 0) == -1 ? -1 : 0;
}

int die_attrs__read(struct walk *w, Dwarf_Die *die, struct die_attrs *d)
{
	if (die_scan__attrs(w->scan, die, d))
		return walk__error(w, die, "cannot read attributes");
	return 0;
}

uint64_t die_attrs__udata(struct die_attrs *d, int x, int *found)
{
	Dwarf_Word v;
	uint64_t u;

	if (found)
		*found = 0;
	if (!HAS(d, x))
		return 0;
	/* The usual constant forms without a call into libdw (same values). */
	if (die_scan__udata(d->scan, &d->a[x], &u)) {
		if (found)
			*found = 1;
		return u;
	}
	if (dwarf_formudata(&d->a[x], &v))
		return 0;
	if (found)
		*found = 1;
	return v;
}

int die_attrs__flag(struct die_attrs *d, int x)
{
	bool f = false;

	if (!HAS(d, x))
		return 0;
	/* libdw's dwarf_formflag() on the two flag forms. */
	if (d->a[x].form == DW_FORM_flag_present)
		return 1;
	if (d->a[x].form == DW_FORM_flag)
		return d->a[x].valp[0] != 0;
	return dwarf_formflag(&d->a[x], &f) == 0 && f;
}

const char *die_attrs__name(struct walk *w, struct die_attrs *d, Dwarf_Die *die)
{
	Dwarf_Attribute a;

	if (HAS(d, A_NAME))
		return attr_string(w, &d->a[A_NAME]);
	if (!HAS(d, A_SPECIFICATION) && !HAS(d, A_ABSTRACT_ORIGIN))
		return NULL;
	return dwarf_attr_integrate(die, DW_AT_name, &a) ? dwarf_formstring(&a) : NULL;
}
