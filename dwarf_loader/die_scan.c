// SPDX-License-Identifier: GPL-2.0-only
/*
 * die_scan: the DIEs of the unit being loaded, scanned straight from its bytes.
 *
 * libdw decodes a DIE's abbreviation anew for every call (dwarf_tag,
 * dwarf_getattrs, dwarf_siblingof each walk the attribute list, reading name
 * and form as LEB128 and sizing every form through a function call), and
 * dwarf_siblingof re-reads a DIE's attributes just to find where it ends.
 * Here the unit's abbreviation table is decoded once into arrays (tag,
 * children flag, per attribute: the die_attrs slot it fills and its size when
 * fixed), so a DIE costs one LEB128 read for its code and one pass over its
 * attribute bytes.
 *
 * The results are libdw's: Dwarf_Die and Dwarf_Attribute values built here
 * carry the same addr / cu / form / valp libdw would put there, so every other
 * libdw call works on them. Only DIEs of the unit being loaded take this path
 * (die->cu == the unit's); anything this scanner does not accept (an unknown
 * form, a code outside the table, bytes past the unit) is handed to libdw,
 * which then either reads it or reports its own error. So the scanner needs
 * to be right when it succeeds, never complete.
 */
#include <stdlib.h>
#include <string.h>
#include <dwarf.h>

#include "loader_int.h"
#include "die_scan_int.h"

/* Skips a value of variable-size @form at *@p. 0 on anything malformed. */
static int skip_var(const struct die_scan *s, unsigned int form, const uint8_t **p)
{
	const uint8_t *q = *p, *end = s->end;
	uint64_t len;

	switch (form) {
	case DW_FORM_string: {
		const uint8_t *nul = memchr(q, 0, (size_t)(end - q));

		if (!nul)
			return 0;
		*p = nul + 1;
		return 1;
	}
	case DW_FORM_block1:
		if (end - q < 1)
			return 0;
		len = q[0];
		q += 1;
		break;
	case DW_FORM_block2:
		if (end - q < 2)
			return 0;
		len = read_uint(q, 2, s->big_endian);
		q += 2;
		break;
	case DW_FORM_block4:
		if (end - q < 4)
			return 0;
		len = read_uint(q, 4, s->big_endian);
		q += 4;
		break;
	case DW_FORM_block:
	case DW_FORM_exprloc:
		if (!uleb(&q, end, &len))
			return 0;
		break;
	default:	/* the LEB128 forms */
		return skip_leb(p, end);
	}
	if (len > (uint64_t)(end - q))
		return 0;
	*p = q + len;
	return 1;
}

/* The abbreviation of the DIE at @p (NULL: code 0 or unknown); *@attrs: its values. */
static inline const struct die_scan_abbrev *abbrev_at(const struct die_scan *s, const uint8_t *p,
						    const uint8_t **attrs)
{
	uint64_t code;

	if (p < s->start || p >= s->end)
		return NULL;
	if (*p < 0x80) {	/* the usual one-byte code */
		code = *p;
		*attrs = p + 1;
	} else if (!uleb(&p, s->end, &code)) {
		return NULL;
	} else {
		*attrs = p;
	}
	if (!code || code >= s->nabbrevs || !s->abbrevs[code].defined)
		return NULL;
	return &s->abbrevs[code];
}

/*
 * Walks the values of abbreviation @a from @p; fills @d (if not NULL) and
 * *@sibling (CU-relative, 0 if none). Returns the DIE's end, NULL if malformed.
 * scan_attrs() below: the same, by the plan when every value has a fixed size.
 */
static const uint8_t *scan_var_attrs(const struct die_scan *s, const struct die_scan_abbrev *a,
				     const uint8_t *p, struct die_attrs *d, uint64_t *sibling)
{
	const struct die_scan_attr *at = &s->attrs[a->first], *last = at + a->nattrs;

	for (; at < last; at++) {
		unsigned int form = at->form;
		const uint8_t *val = p;

		/* A run of fixed-size values nobody reads: one step. */
		if (at->run > 1) {
			if (at->skip > s->end - p)
				return NULL;
			p += at->skip;
			at += at->run - 1;
			continue;
		}
		if (at->size != VAR_SIZE) {
			if (at->size > s->end - p)
				return NULL;
			p += at->size;
		} else {
			if (form == DW_FORM_indirect) {
				uint64_t f;
				int size;

				if (!uleb(&p, s->end, &f) || f == DW_FORM_indirect ||
				    f == DW_FORM_implicit_const ||
				    (size = die_scan__form_size(s, f)) < 0)
					return NULL;
				form = (unsigned int)f;
				val = p;
				if (size != VAR_SIZE) {
					if (size > s->end - p)
						return NULL;
					p += size;
				} else if (!skip_var(s, form, &p)) {
					return NULL;
				}
			} else if (!skip_var(s, form, &p)) {
				return NULL;
			}
		}
		if (at->slot < 0)
			continue;
		if (at->slot == SLOT_SIBLING) {
			if (sibling && (form == DW_FORM_ref1 || form == DW_FORM_ref2 ||
					form == DW_FORM_ref4 || form == DW_FORM_ref8))
				*sibling = read_uint(val, (unsigned int)(p - val), s->big_endian);
			else if (sibling && form == DW_FORM_ref_udata)
				uleb(&val, p, sibling);
			continue;
		}
		if (d) {
			Dwarf_Attribute *x = &d->a[at->slot];

			x->code = at->name;
			x->form = form;
			x->valp = (unsigned char *)(form == DW_FORM_implicit_const ? at->implicit : val);
			x->cu = s->cu;
			d->present |= 1u << at->slot;
		}
	}
	return p;
}

static inline const uint8_t *scan_attrs(const struct die_scan *s, const struct die_scan_abbrev *a,
					const uint8_t *p, struct die_attrs *d, uint64_t *sibling)
{
	const struct die_scan_fill *f, *fend;

	if (a->fixed_len < 0)
		return scan_var_attrs(s, a, p, d, sibling);
	/* Every value at a known offset: the plan, not a walk over them. */
	if (a->fixed_len > s->end - p)
		return NULL;
	if (sibling && a->sib_size)
		*sibling = read_uint(p + a->sib_off, a->sib_size, s->big_endian);
	/* No fills: s->fills may still be NULL, and no offset may be taken on it. */
	if (!d || !a->nfills)
		return p + a->fixed_len;
	for (f = &s->fills[a->ffirst], fend = f + a->nfills; f < fend; f++) {
		Dwarf_Attribute *x = &d->a[f->slot];

		x->code = f->name;
		x->form = f->form;
		x->valp = (unsigned char *)(f->implicit ? f->implicit : p + f->off);
		x->cu = s->cu;
		d->present |= 1u << f->slot;
	}
	return p + a->fixed_len;
}

static inline int ours(const struct die_scan *s, const Dwarf_Die *die)
{
	return s->cu && die->cu == s->cu;
}

int die_scan__tag(const struct die_scan *s, Dwarf_Die *die)
{
	const struct die_scan_abbrev *a;
	const uint8_t *attrs;

	if (ours(s, die) && (a = abbrev_at(s, die->addr, &attrs)))
		return (int)a->tag;
	return dwarf_tag(die);
}

int die_scan__haschildren(const struct die_scan *s, Dwarf_Die *die)
{
	const struct die_scan_abbrev *a;
	const uint8_t *attrs;

	if (ours(s, die) && (a = abbrev_at(s, die->addr, &attrs)))
		return a->has_children;
	return dwarf_haschildren(die);
}

static inline struct die_scan_memo *memo_slot(struct die_scan *s, const void *addr)
{
	return &s->memo[((uintptr_t)addr >> 1) % (sizeof(s->memo) / sizeof(s->memo[0]))];
}

int die_scan__attrs(struct die_scan *s, Dwarf_Die *die, struct die_attrs *d)
{
	const struct die_scan_abbrev *a;
	const uint8_t *attrs, *end;
	uint64_t sibling = 0;

	d->present = 0;
	d->scan = s;
	if (ours(s, die) && (a = abbrev_at(s, die->addr, &attrs)) &&
	    (end = scan_attrs(s, a, attrs, d, &sibling))) {
		struct die_scan_memo *m = memo_slot(s, die->addr);

		m->addr = die->addr;
		m->end = end;
		m->sibling = sibling;
		d->end = end;
		d->children = a->has_children;
		return 0;
	}
	s->fallbacks += ours(s, die);
	d->present = 0;
	d->scan = NULL;
	d->end = NULL;
	return die_attrs__read_libdw(die, d);
}

static void set_die(const struct die_scan *s, Dwarf_Die *die, const uint8_t *p)
{
	memset(die, 0, sizeof(*die));
	die->addr = (void *)p;
	die->cu = s->cu;
}

int die_scan__child(struct die_scan *s, Dwarf_Die *die, Dwarf_Die *child)
{
	const struct die_scan_abbrev *a;
	const uint8_t *attrs, *end = NULL;
	const struct die_scan_memo *m;

	if (!ours(s, die) || !(a = abbrev_at(s, die->addr, &attrs))) {
		s->fallbacks += ours(s, die);
		return dwarf_child(die, child);
	}
	if (!a->has_children)
		return 1;
	/* Values of variable size: their end is known if the attributes were read. */
	m = memo_slot(s, die->addr);
	end = a->fixed_len < 0 && m->addr == die->addr ? m->end :
	      scan_attrs(s, a, attrs, NULL, NULL);
	if (!end) {
		s->fallbacks++;
		return dwarf_child(die, child);
	}
	if (end >= s->end || *end == 0)
		return 1;
	set_die(s, child, end);
	return 0;
}

static int fallback_sibling(struct die_scan *s, Dwarf_Die *die, Dwarf_Die *sib)
{
	s->fallbacks++;
	return dwarf_siblingof(die, sib);
}

int die_scan__sibling(struct die_scan *s, Dwarf_Die *die, Dwarf_Die *sib)
{
	const struct die_scan_abbrev *a;
	const uint8_t *attrs, *p;
	const struct die_scan_memo *m;
	uint64_t sibling = 0;
	size_t depth;

	if (!ours(s, die) || !(a = abbrev_at(s, die->addr, &attrs))) {
		s->fallbacks += ours(s, die);
		return dwarf_siblingof(die, sib);
	}
	m = memo_slot(s, die->addr);
	if (m->addr == die->addr) {
		p = m->end;
		sibling = m->sibling;
	} else {
		p = scan_attrs(s, a, attrs, NULL, a->has_children ? &sibling : NULL);
	}
	if (!p)
		return fallback_sibling(s, die, sib);
	if (a->has_children && sibling) {
		const uint8_t *q = s->start + sibling;

		/* libdw's rule: after the DIE, inside the unit. */
		if (sibling >= (uint64_t)(s->end - s->start) || q <= (const uint8_t *)die->addr)
			return fallback_sibling(s, die, sib);
		p = q;
	} else if (a->has_children) {
		/* No DW_AT_sibling (clang): skip the subtree. */
		for (depth = 1; depth;) {
			const struct die_scan_abbrev *c;

			if (p >= s->end)
				return fallback_sibling(s, die, sib);
			if (*p == 0) {
				p++;
				depth--;
				continue;
			}
			c = abbrev_at(s, p, &attrs);
			if (!c || !(p = scan_attrs(s, c, attrs, NULL, NULL)))
				return fallback_sibling(s, die, sib);
			depth += c->has_children;
		}
	}
	if (p >= s->end || *p == 0)
		return 1;
	set_die(s, sib, p);
	return 0;
}

int die_scan__sibling_at(const struct die_scan *s, const uint8_t *next, Dwarf_Die *sib)
{
	if (next >= s->end || *next == 0)
		return 1;
	set_die(s, sib, next);
	return 0;
}

int die_scan__sibling_after(struct die_scan *s, const struct die_attrs *d, Dwarf_Die *die,
			    Dwarf_Die *sib)
{
	if (!d->scan || d->scan != s || !d->end || d->children)
		return die_scan__sibling(s, die, sib);
	return die_scan__sibling_at(s, d->end, sib);
}

int die_scan__plain(const struct die_scan *s, const Dwarf_Die *die, struct plain_die *m)
{
	const struct die_scan_abbrev *a;
	const uint8_t *p;
	uint64_t off;
	unsigned int i;

	if (!ours(s, die) || !(a = abbrev_at(s, die->addr, &p)) || !a->plain_plan ||
	    a->fixed_len > s->end - p)
		return 0;
	m->has = a->pmask;
	m->name = NULL;
	if (a->pmask & PV_BIT(PV_NAME)) {
		off = read_uint(p + a->pname_off, s->offset_size, s->big_endian);
		if (!s->str || off >= s->str_size)
			return 0;
		m->name = s->str + off;
	}
	m->type_off = 0;
	if (a->pmask & PV_BIT(PV_TYPE)) {
		off = read_uint(p + a->ptype_off, a->ptype_size, s->big_endian);
		/* A DIE of the unit, as die_scan__ref() requires. */
		if (off < s->first_die || off >= (uint64_t)(s->end - s->start))
			return 0;
		m->type_off = s->start_off + off;
	}
	for (i = 0; i < a->npv; i++) {
		const struct die_scan_pval *v = &a->pv[i];

		if (!v->size) {
			m->val[v->x] = v->implicit;
			continue;
		}
		/* die_scan__udata(): before DWARF 4 data4/8 may be offsets, libdw's to check. */
		if (v->size >= 4 && s->version < 4)
			return 0;
		m->val[v->x] = read_uint(p + v->off, v->size, s->big_endian);
	}
	m->end = p + a->fixed_len;
	return 1;
}

int die_scan__udata(const struct die_scan *s, const Dwarf_Attribute *a, uint64_t *v)
{
	const uint8_t *p = a->valp;
	int64_t sv;

	if (!s || !s->cu || a->cu != s->cu)
		return 0;
	switch (a->form) {
	case DW_FORM_data1:
		*v = p[0];
		return 1;
	case DW_FORM_data2:
		*v = read_uint(p, 2, s->big_endian);
		return 1;
	case DW_FORM_data4:
	case DW_FORM_data8:
		/* Before DWARF 4 these may be section offsets, which libdw checks. */
		if (s->version < 4)
			return 0;
		*v = read_uint(p, a->form == DW_FORM_data4 ? 4 : 8, s->big_endian);
		return 1;
	case DW_FORM_udata:
		return uleb(&p, s->end, v);
	case DW_FORM_sdata:
		if (!sleb(&p, s->end, &sv))
			return 0;
		*v = (uint64_t)sv;
		return 1;
	case DW_FORM_implicit_const:
		/* The abbreviation's value: checked when the table was read. */
		if (!sleb(&p, p + 10, &sv))
			return 0;
		*v = (uint64_t)sv;
		return 1;
	default:
		return 0;
	}
}

const char *die_scan__string(const struct die_scan *s, Dwarf_Attribute *a)
{
	if (s->cu && a->cu == s->cu) {
		if (a->form == DW_FORM_string)
			return (const char *)a->valp;	/* its NUL was seen by the scan */
		if (a->form == DW_FORM_strp && s->str) {
			uint64_t off = read_uint(a->valp, s->offset_size, s->big_endian);

			if (off < s->str_size)
				return s->str + off;
		}
	}
	return dwarf_formstring(a);
}

int die_scan__ref(const struct die_scan *s, const Dwarf_Attribute *a, uint64_t *die_off)
{
	const uint8_t *p = a->valp;
	uint64_t off;

	if (!s->cu || a->cu != s->cu)
		return 0;
	switch (a->form) {
	case DW_FORM_ref1: off = p[0]; break;
	case DW_FORM_ref2: off = read_uint(p, 2, s->big_endian); break;
	case DW_FORM_ref4: off = read_uint(p, 4, s->big_endian); break;
	case DW_FORM_ref8: off = read_uint(p, 8, s->big_endian); break;
	case DW_FORM_ref_udata:
		if (!uleb(&p, s->end, &off))
			return 0;
		break;
	default:
		return 0;
	}
	/* A DIE of the unit: from the unit DIE on, before its end. */
	if (off < s->first_die || off >= (uint64_t)(s->end - s->start))
		return 0;
	*die_off = s->start_off + off;
	return 1;
}

void die_scan__die(const struct die_scan *s, uint64_t die_off, Dwarf_Die *die)
{
	set_die(s, die, s->start + (die_off - s->start_off));
}
