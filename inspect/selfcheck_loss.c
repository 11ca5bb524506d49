// SPDX-License-Identifier: GPL-2.0-only
/*
 * What BTF cannot carry of one DWARF struct or union (classes and the
 * natural alignment rule in selfcheck.h).
 *
 * The records give the layout (offsets, widths, types); the attributes they
 * drop are read from the DIEs with libdw: the type's and each member's
 * DW_AT_alignment, and a bitfield's storage unit as DWARF 4 writes it
 * (DW_AT_byte_size, DW_AT_bit_offset, DW_AT_data_member_location; DWARF 5's
 * DW_AT_data_bit_offset names no unit). A bitfield that crosses the unit
 * its type implies (packed structs) is a loss in either version: a reader
 * of BTF that loads whole units cannot place it. The
 * members are the DIE's DW_TAG_member children without DW_AT_external or
 * DW_AT_declaration, in order: the ones the loader makes sub-records of
 * (dwarf_loader/die_decode.c, decode_struct()).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dwarf.h>

#include "inspect/selfcheck_int.h"
#include "util/vec.h"

/* Type chains longer than this are cut (the loader's records hold no loops but arrays). */
#define DEPTH_MAX	32

int selfcheck__add_loss(struct sc_entry *e, enum sc_loss_class cls, const char *member,
			const char *text)
{
	struct sc_loss *l;

	if (vec__push_slot(&e->losses, &e->losses_cap, e->nlosses))
		return -ENOMEM;
	l = &e->losses[e->nlosses++];
	l->cls = cls;
	l->member = member ? strdup(member) : NULL;
	l->text = strdup(text);
	return (member && !l->member) || !l->text ? -ENOMEM : 0;
}

static long long rec_size_depth(const struct cu_records *cu, uint32_t idx, int addr_size,
				int depth)
{
	const struct type_rec *r;
	long long n = 1;
	unsigned int i;

	if (!idx || idx >= cu->ntypes || depth > DEPTH_MAX)
		return 0;
	r = &cu->types[idx];
	switch (r->kind) {
	case LK_PTR:
	case LK_PTR_MEMBER:
		return addr_size;
	case LK_CONST:
	case LK_VOLATILE:
	case LK_RESTRICT:
	case LK_ATOMIC:
	case LK_TYPEDEF:
		return rec_size_depth(cu, r->ref, addr_size, depth + 1);
	case LK_ARRAY:
		for (i = 0; i < r->nsub; i++)
			n *= cu->subs[r->sub + i].flags & LSUB_NO_COUNT ? 0 :
			     (long long)cu->subs[r->sub + i].value;
		return n * rec_size_depth(cu, r->ref, addr_size, depth + 1);
	case LK_PROTO:
	case LK_VOID:
		return 0;
	default:
		return (long long)r->size;
	}
}

long long selfcheck__rec_size(const struct cu_records *cu, uint32_t idx, int addr_size)
{
	return rec_size_depth(cu, idx, addr_size, 0);
}

/* DW_AT_alignment of @die, or 0. */
static unsigned int die_alignment(Dwarf_Die *die)
{
	Dwarf_Attribute attr;
	Dwarf_Word w;

	if (!dwarf_attr(die, DW_AT_alignment, &attr) || dwarf_formudata(&attr, &w))
		return 0;
	return w > 0xffff ? 0xffff : (unsigned int)w;
}

static unsigned int rec_die_alignment(struct sc_dwarf *sd, uint32_t idx)
{
	Dwarf_Die die;

	if (!sd->dw || !dwarf_offdie(sd->dw, sd->cu->types[idx].die_off, &die))
		return 0;
	return die_alignment(&die);
}

static unsigned int max_u(unsigned int a, unsigned int b)
{
	return a > b ? a : b;
}

/* A scalar's natural alignment: its size, a power of two, at most 16. */
static unsigned int scalar_alignment(uint64_t size)
{
	unsigned int a = 1;

	while (a < 16 && a * 2 <= size)
		a *= 2;
	return a;
}

static unsigned int rec_align_depth(struct sc_dwarf *sd, uint32_t idx, int depth);

static unsigned int composite_alignment(struct sc_dwarf *sd, const struct type_rec *r,
					uint32_t idx, int depth)
{
	unsigned int a = max_u(1, rec_die_alignment(sd, idx)), i;

	for (i = 0; i < r->nsub; i++)
		a = max_u(a, rec_align_depth(sd, sd->cu->subs[r->sub + i].type, depth + 1));
	return a;
}

/* Natural alignment of record @idx (selfcheck.h), memoised per unit. */
static unsigned int rec_align_depth(struct sc_dwarf *sd, uint32_t idx, int depth)
{
	const struct type_rec *r;
	unsigned int a;

	if (!idx || idx >= sd->cu->ntypes || depth > DEPTH_MAX)
		return 1;
	if (sd->align[idx])
		return sd->align[idx] - 1u;
	r = &sd->cu->types[idx];
	switch (r->kind) {
	case LK_PTR:
	case LK_PTR_MEMBER:
		a = (unsigned int)sd->addr_size;
		break;
	case LK_CONST:
	case LK_VOLATILE:
	case LK_RESTRICT:
	case LK_ATOMIC:
	case LK_ARRAY:
		a = rec_align_depth(sd, r->ref, depth + 1);
		break;
	case LK_TYPEDEF:
		a = max_u(rec_align_depth(sd, r->ref, depth + 1), rec_die_alignment(sd, idx));
		break;
	case LK_STRUCT:
	case LK_UNION:
		a = composite_alignment(sd, r, idx, depth);
		break;
	case LK_BASE:
	case LK_ENUM:
		a = scalar_alignment(r->size);
		break;
	default:
		a = 1;
		break;
	}
	sd->align[idx] = (uint16_t)(a + 1);
	return a;
}

/* What a member's DIE says beyond its record. */
struct member_attrs {
	unsigned int alignment;		/* DW_AT_alignment, 0 if none */
	int dwarf4_bitfield;		/* DW_AT_bit_offset present */
	uint64_t byte_size;		/* DW_AT_byte_size, the storage unit */
	uint64_t location;		/* DW_AT_data_member_location (a constant), in bytes */
};

static uint64_t attr_udata(Dwarf_Die *die, unsigned int name, int *found)
{
	Dwarf_Attribute attr;
	Dwarf_Word w = 0;

	*found = dwarf_attr(die, name, &attr) && !dwarf_formudata(&attr, &w);
	return w;
}

/* The attributes of @n members of the struct DIE at @die_off; zeros where unknown. */
static void read_member_attrs(struct sc_dwarf *sd, uint64_t die_off, struct member_attrs *ma,
			      unsigned int n)
{
	Dwarf_Die die, child;
	Dwarf_Attribute attr;
	unsigned int i = 0;
	int found, r;

	if (!sd->dw || !dwarf_offdie(sd->dw, die_off, &die) || dwarf_child(&die, &child))
		return;
	for (r = 0; r == 0 && i < n; r = dwarf_siblingof(&child, &child)) {
		if (dwarf_tag(&child) != DW_TAG_member || dwarf_hasattr(&child, DW_AT_external) ||
		    dwarf_hasattr(&child, DW_AT_declaration))
			continue;
		ma[i].alignment = die_alignment(&child);
		ma[i].dwarf4_bitfield = dwarf_attr(&child, DW_AT_bit_offset, &attr) != NULL;
		ma[i].byte_size = attr_udata(&child, DW_AT_byte_size, &found);
		ma[i].location = attr_udata(&child, DW_AT_data_member_location, &found);
		i++;
	}
}

/* The array record a member's type is, through qualifiers and typedefs, if flexible. */
static int is_flexible_array(const struct cu_records *cu, uint32_t idx)
{
	int hops;

	for (hops = 0; idx && idx < cu->ntypes && hops < DEPTH_MAX; hops++) {
		const struct type_rec *r = &cu->types[idx];
		unsigned int i;

		if (r->kind == LK_ARRAY) {
			for (i = 0; i < r->nsub; i++)
				if (cu->subs[r->sub + i].flags & LSUB_NO_COUNT)
					return 1;
			return 0;
		}
		if (r->kind != LK_CONST && r->kind != LK_VOLATILE && r->kind != LK_TYPEDEF &&
		    r->kind != LK_RESTRICT && r->kind != LK_ATOMIC)
			return 0;
		idx = r->ref;
	}
	return 0;
}

/* State of the walk over one type's members. */
struct walk {
	struct sc_dwarf *sd;
	const struct type_rec *r;
	struct sc_entry *e;
	const char *prefix;
	int packed;		/* found below its alignment: holes are not judged */
	uint64_t end_bits;	/* end of the members so far */
	char path[256], text[256];
};

static int member_losses(struct walk *w, const struct sub_rec *s, const struct member_attrs *ma,
			 unsigned int anon)
{
	const struct cu_records *cu = w->sd->cu;
	unsigned int natural = rec_align_depth(w->sd, s->type, 0);
	unsigned int align = max_u(natural, ma->alignment);
	long long size = selfcheck__rec_size(cu, s->type, w->sd->addr_size);
	uint64_t off = s->value / 8, expect;
	int err = 0;

	if (s->name)
		snprintf(w->path, sizeof(w->path), "%s%s", w->prefix, s->name);
	else
		snprintf(w->path, sizeof(w->path), "%s(anonymous #%u)", w->prefix, anon);
	if (ma->alignment) {
		snprintf(w->text, sizeof(w->text), "alignment %u (DW_AT_alignment)", ma->alignment);
		err = selfcheck__add_loss(w->e, SC_MEMBER_ALIGNMENT, w->path, w->text);
	}
	if (!err && is_flexible_array(cu, s->type))
		err = selfcheck__add_loss(w->e, SC_FLEXIBLE_ARRAY, w->path,
					  "T x[], which BTF writes as T x[0]");
	if (!err && s->flags & LSUB_BITFIELD && size > 0) {
		uint64_t unit = (uint64_t)size, at = s->value / (unit * 8) * unit;

		if (s->value % (unit * 8) + s->bit_size > unit * 8) {
			snprintf(w->text, sizeof(w->text), "bits %llu to %llu cross the %llu-byte "
				 "unit at byte %llu that its type implies",
				 (unsigned long long)s->value,
				 (unsigned long long)(s->value + s->bit_size - 1),
				 (unsigned long long)unit, (unsigned long long)at);
			err = selfcheck__add_loss(w->e, SC_BITFIELD_STORAGE, w->path, w->text);
		} else if (ma->dwarf4_bitfield && (ma->byte_size != unit || ma->location != at)) {
			snprintf(w->text, sizeof(w->text), "%llu-byte unit at byte %llu (DWARF), "
				 "BTF implies %llu bytes at %llu", (unsigned long long)ma->byte_size,
				 (unsigned long long)ma->location, (unsigned long long)unit,
				 (unsigned long long)at);
			err = selfcheck__add_loss(w->e, SC_BITFIELD_STORAGE, w->path, w->text);
		}
	}
	if (s->flags & LSUB_BITFIELD) {
		w->end_bits = s->value + s->bit_size > w->end_bits ? s->value + s->bit_size :
			      w->end_bits;
		return err;
	}
	if (!err && (s->value % 8 || off % natural)) {
		w->packed = 1;
		snprintf(w->text, sizeof(w->text), "at offset %llu, below its alignment %u",
			 (unsigned long long)off, natural);
		err = selfcheck__add_loss(w->e, SC_PACKED, w->path, w->text);
	}
	expect = (w->end_bits + 7) / 8;
	expect = (expect + align - 1) / align * align;
	if (!err && !w->packed && w->r->kind == LK_STRUCT && off > expect) {
		snprintf(w->text, sizeof(w->text), "%llu bytes before it that its alignment %u "
			 "does not explain", (unsigned long long)(off - expect), align);
		err = selfcheck__add_loss(w->e, SC_HOLE, w->path, w->text);
	}
	expect = s->value + (uint64_t)(size > 0 ? size : 0) * 8;
	w->end_bits = expect > w->end_bits ? expect : w->end_bits;
	return err;
}

/* The type's own losses: its alignment, a size its alignment does not explain. */
static int type_losses(struct walk *w, uint32_t idx)
{
	unsigned int own = rec_die_alignment(w->sd, idx);
	unsigned int align = rec_align_depth(w->sd, idx, 0);
	uint64_t size = w->r->size, expect = (w->end_bits + 7) / 8;
	int err = 0;

	if (own) {
		snprintf(w->text, sizeof(w->text), "%u (DW_AT_alignment)", own);
		err = selfcheck__add_loss(w->e, SC_ALIGNMENT, NULL, w->text);
	}
	if (!err && size % align) {
		w->packed = 1;
		snprintf(w->text, sizeof(w->text), "size %llu, not a multiple of its alignment %u",
			 (unsigned long long)size, align);
		err = selfcheck__add_loss(w->e, SC_PACKED, NULL, w->text);
	}
	expect = (expect + align - 1) / align * align;
	if (!err && !w->packed && size > expect) {
		snprintf(w->text, sizeof(w->text), "%llu bytes of padding at the end that its "
			 "alignment %u does not explain", (unsigned long long)(size - expect), align);
		err = selfcheck__add_loss(w->e, SC_HOLE, NULL, w->text);
	}
	return err;
}

int selfcheck__losses(struct sc_dwarf *sd, uint32_t idx, struct sc_entry *e)
{
	const struct type_rec *r = &sd->cu->types[idx];
	struct walk w = { .sd = sd, .r = r, .e = e, .prefix = "" };
	struct member_attrs *ma = calloc(r->nsub + 1, sizeof(*ma));
	unsigned int i, anon = 0;
	int err = ma ? 0 : -ENOMEM;

	if (!err)
		read_member_attrs(sd, r->die_off, ma, r->nsub);
	for (i = 0; !err && i < r->nsub; i++) {
		const struct sub_rec *s = &sd->cu->subs[r->sub + i];

		err = member_losses(&w, s, &ma[i], s->name ? anon : ++anon);
	}
	if (!err)
		err = type_losses(&w, idx);
	free(ma);
	return err;
}
