// SPDX-License-Identifier: GPL-2.0-only
/* The struct layout view's scan: members, holes, padding (rules in layout.c). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include <linux/btf.h>

#include "btf_reader/reader.h"
#include "inspect/layout_int.h"

static const struct btf_type *skip_mods(const struct btf *btf, uint32_t id)
{
	const struct btf_type *t = id ? btf__type_by_id(btf, id) : NULL;
	int depth;

	for (depth = 0; t && depth < 32 && (btf_is_mod(t) || btf_is_type_tag(t)); depth++)
		t = t->type ? btf__type_by_id(btf, t->type) : NULL;
	return t;
}

int layout__is_anon(const struct btf *btf, const struct btf_type *t)
{
	const char *name;

	if (!t || !btf_is_composite(t))
		return 0;
	name = btf__name_by_offset(btf, t->name_off);
	return !name || !*name;
}

/* Pass 1: the members of @t, with pahole's storage units for bitfields. */
static int scan_members(const struct btf *btf, const struct btf_type *t, struct lclass *c)
{
	const struct btf_member *bm = btf_members(t);
	unsigned int i, kflag = btf_kflag(t);

	memset(c, 0, sizeof(*c));
	c->t = t;
	c->n = btf_vlen(t);
	c->m = calloc(c->n ? c->n : 1, sizeof(*c->m));
	if (!c->m)
		return -ENOMEM;
	for (i = 0; i < c->n; i++) {
		struct lmember *m = &c->m[i];
		const struct btf_type *rt;
		long long size;

		m->name = btf__name_by_offset(btf, bm[i].name_off);
		m->name = m->name ? m->name : "";
		m->type_id = bm[i].type;
		m->type = skip_mods(btf, bm[i].type);
		m->bit_off = kflag ? BTF_MEMBER_BIT_OFFSET(bm[i].offset) : bm[i].offset;
		m->bitfield = kflag ? BTF_MEMBER_BITFIELD_SIZE(bm[i].offset) : 0;
		size = reader__resolve_size(btf, bm[i].type);
		m->byte_size = size > 0 ? (uint32_t)size : 0;
		rt = btf__type_by_id(btf, btf__resolve_type(btf, bm[i].type));
		/* Without kind_flag a bitfield is an int narrower than its size. */
		if (!kflag && rt && btf_is_int(rt) && btf_int_bits(rt) != (uint64_t)rt->size * 8) {
			m->bitfield = btf_int_bits(rt);
			m->bit_off += btf_int_offset(rt);
		}
		m->byte_off = m->bit_off / 8;
		if (m->bitfield && m->byte_size)
			m->byte_off = (uint32_t)(m->bit_off / (m->byte_size * 8ULL) * m->byte_size);
	}
	return 0;
}

/*
 * Pass 2: holes, padding and bit padding, as pahole's class__find_holes().
 * Offsets in bits are 64-bit: a struct or member of 512 MiB or more has more
 * bits than 32 bits count.
 */
static void find_holes(struct lclass *c)
{
	uint64_t size_bits = c->t->size * 8ULL, last_seen = 0, unit_end = size_bits, unit_bits = 0;
	int in_bitfield = 0;
	unsigned int i;

	if (!btf_is_struct(c->t))
		return;
	for (i = 0; i < c->n; i++) {
		struct lmember *m = &c->m[i];
		uint64_t start = m->bit_off, bytes = 0, bits = 0;
		uint64_t end = start + (m->bitfield ? m->bitfield : m->byte_size * 8ULL);

		if (in_bitfield) {
			uint64_t stop = start < unit_end ? start : unit_end;

			bits = stop > last_seen ? stop - last_seen : 0;
			last_seen = stop > last_seen ? stop : last_seen;
		}
		if (m->bitfield) {
			uint64_t aligned = m->byte_off * 8ULL;

			if (last_seen < aligned && aligned <= start) {
				bytes = m->byte_off - last_seen / 8;
				last_seen = aligned;
			}
			bits += start > last_seen ? start - last_seen : 0;
		} else if (start / 8 > last_seen / 8) {
			bytes = start / 8 - last_seen / 8;
		}
		last_seen = end;
		if (m->bitfield) {
			in_bitfield = 1;
			if (end > unit_end || m->byte_size * 8ULL > unit_bits) {
				unit_bits = m->byte_size * 8ULL;
				unit_end = m->byte_off * 8ULL + unit_bits;
				if (end > unit_end)
					unit_end += unit_bits;
			}
		} else {
			in_bitfield = 0;
			unit_bits = 0;
			unit_end = end;
		}
		if (i) {
			c->m[i - 1].hole = (uint32_t)bytes;
			c->m[i - 1].bit_hole = (uint32_t)bits;
		} else {
			c->pre_hole = (uint32_t)bytes;
			c->pre_bit_hole = (uint32_t)bits;
		}
		c->nr_bit_holes += bits != 0;
		c->nr_holes += bytes != 0;
	}
	if (in_bitfield) {
		uint64_t stop = size_bits < unit_end ? size_bits : unit_end;

		c->bit_padding = (uint32_t)(stop > last_seen ? stop - last_seen : 0);
		last_seen = stop > last_seen ? stop : last_seen;
	}
	c->padding = c->t->size > last_seen / 8 ? c->t->size - (uint32_t)(last_seen / 8) : 0;
}

int layout__scan(const struct btf *btf, const struct btf_type *t, struct lclass *c)
{
	int err = scan_members(btf, t, c);

	if (!err)
		find_holes(c);
	return err;
}

/* Padding at the end of struct @t: for "XXX last struct has N bytes of padding". */
int layout__padding(const struct btf *btf, const struct btf_type *t, uint32_t *padding)
{
	struct lclass c;
	int err = layout__scan(btf, t, &c);

	if (err)
		return err;
	*padding = c.padding;
	free(c.m);
	return 0;
}

