// SPDX-License-Identifier: GPL-2.0-only
/*
 * dscan: the DIEs of the unit being loaded, scanned straight from its bytes.
 *
 * libdw decodes a DIE's abbreviation anew for every call (dwarf_tag,
 * dwarf_getattrs, dwarf_siblingof each walk the attribute list, reading name
 * and form as LEB128 and sizing every form through a function call), and
 * dwarf_siblingof re-reads a DIE's attributes just to find where it ends.
 * Here the unit's abbreviation table is decoded once into arrays (tag,
 * children flag, per attribute: the dattrs slot it fills and its size when
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
#include "util/vec.h"

#define MAX_CODE	(1u << 16)	/* denser tables than this are libdw's */
#define VAR_SIZE	0xff

/* Reads an unsigned LEB128 at *@p below @end; 0 if it runs past @end or overflows. */
static inline int uleb(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
	const uint8_t *q = *p;
	uint64_t r = 0;
	unsigned int shift = 0;

	while (q < end) {
		uint8_t b = *q++;

		if (shift < 64)
			r |= (uint64_t)(b & 0x7f) << shift;
		else if (b & 0x7f)
			return 0;
		shift += 7;
		if (!(b & 0x80)) {
			*p = q;
			*v = r;
			return 1;
		}
	}
	return 0;
}

/*
 * A signed LEB128 of at most nine bytes (longer ones are left to libdw, which
 * has its own rule for bits past 64); 0 if it runs past @end or is longer.
 */
static inline int sleb(const uint8_t **p, const uint8_t *end, int64_t *v)
{
	const uint8_t *q = *p;
	uint64_t r = 0;
	unsigned int shift = 0;
	uint8_t b;

	do {
		if (q >= end || shift >= 63)
			return 0;
		b = *q++;
		r |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
	} while (b & 0x80);
	if (shift < 64 && (b & 0x40))
		r |= ~(uint64_t)0 << shift;
	*p = q;
	*v = (int64_t)r;
	return 1;
}

static inline int skip_leb(const uint8_t **p, const uint8_t *end)
{
	const uint8_t *q = *p;

	while (q < end) {
		if (!(*q++ & 0x80)) {
			*p = q;
			return 1;
		}
	}
	return 0;
}

static inline uint64_t read_uint(const uint8_t *p, unsigned int n, int big_endian)
{
	const int swap = big_endian != (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__);
	uint64_t v = 0;
	unsigned int i;

	/* The common widths as one load each. */
	if (n == 4) {
		uint32_t w;

		memcpy(&w, p, 4);
		return swap ? __builtin_bswap32(w) : w;
	}
	if (n == 8) {
		memcpy(&v, p, 8);
		return swap ? __builtin_bswap64(v) : v;
	}
	if (n == 1)
		return p[0];
	if (big_endian)
		for (i = 0; i < n; i++)
			v = v << 8 | p[i];
	else
		for (i = n; i-- > 0;)
			v = v << 8 | p[i];
	return v;
}

/* Bytes of a value of @form when fixed for the unit, VAR_SIZE if not, -1 if unknown. */
static int form_size(const struct dscan *s, uint64_t form)
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

/* Skips a value of variable-size @form at *@p. 0 on anything malformed. */
static int skip_var(const struct dscan *s, unsigned int form, const uint8_t **p)
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
	case DW_AT_sibling: return SLOT_SIBLING;
	default: return -1;
	}
}

int dattr_slot(unsigned int name)
{
	int slot = slot_of(name);

	return slot == SLOT_SIBLING ? -1 : slot;
}

/* Runs of fixed-size attributes that fill no slot, from each one to the run's end. */
static void mark_runs(struct dscan_attr *at, uint32_t n)
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
 * scan_attrs()). 0 if out of memory.
 */
static int make_plan(struct dscan *s, struct dscan_abbrev *a)
{
	const struct dscan_attr *at = &s->attrs[a->first];
	uint32_t i, off = 0;

	a->ffirst = (uint32_t)s->nfills;
	a->nfills = 0;
	a->sib_size = 0;
	for (i = 0; i < a->nattrs; off += at[i].size, i++) {
		struct dscan_fill *f;

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
			return 0;
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

/* Decodes the abbreviation table at @off of @data into @s. 0 if it cannot. */
static int read_table(struct dscan *s, const uint8_t *data, size_t size, uint64_t off)
{
	const uint8_t *p, *end;
	uint64_t code, tag, name, form;

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
		struct dscan_abbrev *a;
		int fixed = 0;

		if (!uleb(&p, end, &code))
			return 0;
		if (!code)
			return 1;
		if (code >= MAX_CODE || !uleb(&p, end, &tag) || p >= end || tag > UINT32_MAX)
			return 0;
		if (code >= s->nabbrevs) {
			size_t n = s->nabbrevs;

			if (vec__reserve((void **)&s->abbrevs, &s->abbrevs_cap, code + 1,
					 sizeof(*s->abbrevs)))
				return 0;
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
			struct dscan_attr *at;
			int size;

			if (!uleb(&p, end, &name) || !uleb(&p, end, &form))
				return 0;
			if (!name && !form)
				break;
			size = form_size(s, form);
			if (size < 0 || name > UINT32_MAX)
				return 0;
			if (vec__push_slot(&s->attrs, &s->attrs_cap, s->nattrs))
				return 0;
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
		mark_runs(&s->attrs[a->first], a->nattrs);
		if (fixed >= 0 && !make_plan(s, a))
			return 0;
	}
}

void dscan__begin(struct dscan *s, Dwarf_Die *cudie, const struct loader *l)
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

	s->cu = NULL;
	if (cuoff == (Dwarf_Off)-1 || !ibase || !cudie->addr ||
	    !dwarf_cu_die(cudie->cu, &d, &version, &abbrev_off, &addr_size, &offset_size,
			  NULL, NULL))
		return;
	hdr = (const uint8_t *)cudie->addr - cuoff;
	if (hdr < ibase || hdr >= ibase + info_size || (size_t)(ibase + info_size - hdr) < 4)
		return;
	len = read_uint(hdr, 4, big_endian);
	start = hdr + 4;
	if (len == 0xffffffffu) {
		if ((size_t)(ibase + info_size - hdr) < 12)
			return;
		len = read_uint(hdr + 4, 8, big_endian);
		start = hdr + 12;
	}
	if (len > (uint64_t)(ibase + info_size - start) ||
	    (const uint8_t *)cudie->addr >= start + len)
		return;
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
		return;
	}
	s->abbrev_off = abbrev_off;
	s->abbrev_sizes = (uint32_t)addr_size << 16 | (uint32_t)offset_size << 8 | version;
	s->table_valid = read_table(s, abbrev, abbrev_size, abbrev_off);
	if (s->table_valid)
		s->cu = cudie->cu;
}

void dscan__free(struct dscan *s)
{
	free(s->abbrevs);
	free(s->attrs);
	free(s->fills);
	memset(s, 0, sizeof(*s));
}

/* The abbreviation of the DIE at @p (NULL: code 0 or unknown); *@attrs: its values. */
static inline const struct dscan_abbrev *abbrev_at(const struct dscan *s, const uint8_t *p,
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
static const uint8_t *scan_var_attrs(const struct dscan *s, const struct dscan_abbrev *a,
				     const uint8_t *p, struct dattrs *d, uint64_t *sibling)
{
	const struct dscan_attr *at = &s->attrs[a->first], *last = at + a->nattrs;

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
				    f == DW_FORM_implicit_const || (size = form_size(s, f)) < 0)
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

static inline const uint8_t *scan_attrs(const struct dscan *s, const struct dscan_abbrev *a,
					const uint8_t *p, struct dattrs *d, uint64_t *sibling)
{
	const struct dscan_fill *f, *fend;

	if (a->fixed_len < 0)
		return scan_var_attrs(s, a, p, d, sibling);
	/* Every value at a known offset: the plan, not a walk over them. */
	if (a->fixed_len > s->end - p)
		return NULL;
	if (sibling && a->sib_size)
		*sibling = read_uint(p + a->sib_off, a->sib_size, s->big_endian);
	for (f = &s->fills[a->ffirst], fend = f + a->nfills; d && f < fend; f++) {
		Dwarf_Attribute *x = &d->a[f->slot];

		x->code = f->name;
		x->form = f->form;
		x->valp = (unsigned char *)(f->implicit ? f->implicit : p + f->off);
		x->cu = s->cu;
		d->present |= 1u << f->slot;
	}
	return p + a->fixed_len;
}

static inline int ours(const struct dscan *s, const Dwarf_Die *die)
{
	return s->cu && die->cu == s->cu;
}

int dscan__tag(const struct dscan *s, Dwarf_Die *die)
{
	const struct dscan_abbrev *a;
	const uint8_t *attrs;

	if (ours(s, die) && (a = abbrev_at(s, die->addr, &attrs)))
		return (int)a->tag;
	return dwarf_tag(die);
}

int dscan__haschildren(const struct dscan *s, Dwarf_Die *die)
{
	const struct dscan_abbrev *a;
	const uint8_t *attrs;

	if (ours(s, die) && (a = abbrev_at(s, die->addr, &attrs)))
		return a->has_children;
	return dwarf_haschildren(die);
}

static inline struct dscan_memo *memo_slot(struct dscan *s, const void *addr)
{
	return &s->memo[((uintptr_t)addr >> 1) % (sizeof(s->memo) / sizeof(s->memo[0]))];
}

int dscan__attrs(struct dscan *s, Dwarf_Die *die, struct dattrs *d)
{
	const struct dscan_abbrev *a;
	const uint8_t *attrs, *end;
	uint64_t sibling = 0;

	d->present = 0;
	d->scan = s;
	if (ours(s, die) && (a = abbrev_at(s, die->addr, &attrs)) &&
	    (end = scan_attrs(s, a, attrs, d, &sibling))) {
		struct dscan_memo *m = memo_slot(s, die->addr);

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
	return dattrs__read_libdw(die, d);
}

static void set_die(const struct dscan *s, Dwarf_Die *die, const uint8_t *p)
{
	memset(die, 0, sizeof(*die));
	die->addr = (void *)p;
	die->cu = s->cu;
}

int dscan__child(struct dscan *s, Dwarf_Die *die, Dwarf_Die *child)
{
	const struct dscan_abbrev *a;
	const uint8_t *attrs, *end = NULL;
	const struct dscan_memo *m;

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

static int fallback_sibling(struct dscan *s, Dwarf_Die *die, Dwarf_Die *sib)
{
	s->fallbacks++;
	return dwarf_siblingof(die, sib);
}

int dscan__sibling(struct dscan *s, Dwarf_Die *die, Dwarf_Die *sib)
{
	const struct dscan_abbrev *a;
	const uint8_t *attrs, *p;
	const struct dscan_memo *m;
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
			const struct dscan_abbrev *c;

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

int dscan__sibling_after(struct dscan *s, const struct dattrs *d, Dwarf_Die *die,
			 Dwarf_Die *sib)
{
	const uint8_t *p = d->end;

	if (!d->scan || d->scan != s || !p || d->children)
		return dscan__sibling(s, die, sib);
	if (p >= s->end || *p == 0)
		return 1;
	set_die(s, sib, p);
	return 0;
}

int dscan__udata(const struct dscan *s, const Dwarf_Attribute *a, uint64_t *v)
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

const char *dscan__string(const struct dscan *s, Dwarf_Attribute *a)
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

int dscan__ref(const struct dscan *s, const Dwarf_Attribute *a, uint64_t *die_off)
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

void dscan__die(const struct dscan *s, uint64_t die_off, Dwarf_Die *die)
{
	set_die(s, die, s->start + (die_off - s->start_off));
}
