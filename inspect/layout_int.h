/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * layout_int: what the struct layout view's files share. Private to inspect/.
 *
 * layout_scan.c reads a struct's members and finds its holes (the rules are
 * in the design note of layout.c), layout.c prints the text, layout_json.c
 * the JSON. Thread-safety: a struct layout belongs to one call of
 * dump__layout().
 */
#ifndef BTFENC_LAYOUT_INT_H
#define BTFENC_LAYOUT_INT_H

#include <stdint.h>
#include <stdio.h>

struct btf;
struct btf_type;
struct json;

#define MAX_NESTING	8	/* anonymous members spelled out inside each other */

struct lmember {
	const char *name;		/* "" when anonymous */
	uint32_t type_id;
	const struct btf_type *type;	/* after modifiers, before typedefs; NULL: void */
	uint32_t bit_off;		/* from the start of its struct */
	uint32_t bitfield;		/* bits, 0 when not a bitfield */
	uint32_t byte_size;		/* of its type */
	uint32_t byte_off;		/* its start, or its bitfield's storage unit */
	uint32_t hole, bit_hole;	/* after it */
};

struct lclass {
	const struct btf_type *t;
	struct lmember *m;
	unsigned int n;
	uint32_t pre_hole, pre_bit_hole, nr_holes, nr_bit_holes;
	uint32_t padding, bit_padding;
};

struct layout {
	const struct btf *btf;
	FILE *out;
	unsigned int cacheline;
	uint32_t cur_line;		/* the last cacheline a boundary was printed for */
	int name_spacing;		/* NAME_SPACING, or UNION_NAME_SPACING */
	int err;
};


/*
 * layout__scan - read struct or union @t's members into @c and find its
 * holes and padding. @c->m is malloc'd: the caller frees it.
 * Returns 0 or -ENOMEM.
 */
int layout__scan(const struct btf *btf, const struct btf_type *t, struct lclass *c);

/* layout__padding - the padding at the end of struct @t into *@padding: 0 or -ENOMEM. */
int layout__padding(const struct btf *btf, const struct btf_type *t, uint32_t *padding);

/* layout__is_anon - whether @t (may be NULL) is an anonymous struct or union. */
int layout__is_anon(const struct btf *btf, const struct btf_type *t);

/* layout__json_class - the JSON fields of struct or union @c, at @base bytes. */
void layout__json_class(struct layout *l, struct json *j, const struct lclass *c,
			uint32_t base, int depth);

#endif
