// SPDX-License-Identifier: GPL-2.0-only
/* The struct layout view as JSON (format in dump.h). */
#include <errno.h>
#include <stdlib.h>
#include <bpf/btf.h>
#include <linux/btf.h>

#include "inspect/ctype.h"
#include "inspect/json.h"
#include "inspect/layout_int.h"

/* A member as JSON: offsets in bytes from the outermost struct, bits within the unit. */
static void json_member(struct layout *l, struct json *j, const struct lmember *m,
			uint32_t base, int depth)
{
	char decl[512];

	json__begin_obj(j, NULL);
	json__str(j, "name", m->name);
	if (ctype__decl(l->btf, m->type_id, NULL, decl, sizeof(decl), NULL))
		l->err = -EINVAL;
	json__str(j, "type", decl);
	json__uint(j, "offset", base + m->byte_off);
	json__uint(j, "size", m->byte_size);
	if (m->bitfield) {
		json__uint(j, "bit_offset", m->bit_off - m->byte_off * 8);
		json__uint(j, "bitfield_size", m->bitfield);
	}
	if (m->hole)
		json__uint(j, "hole_after", m->hole);
	if (m->bit_hole)
		json__uint(j, "bit_hole_after", m->bit_hole);
	if (layout__is_anon(l->btf, m->type) && depth < MAX_NESTING) {
		struct lclass inner;

		if (layout__scan(l->btf, m->type, &inner)) {
			l->err = -ENOMEM;
		} else {
			layout__json_class(l, j, &inner, base + m->byte_off, depth + 1);
			free(inner.m);
		}
	}
	json__end(j);
}

void layout__json_class(struct layout *l, struct json *j, const struct lclass *c,
			uint32_t base, int depth)
{
	unsigned int i;

	json__str(j, "kind", btf_is_union(c->t) ? "union" : "struct");
	if (!depth)	/* a member already has its "size" */
		json__uint(j, "size", c->t->size);
	if (c->pre_hole)
		json__uint(j, "hole_before", c->pre_hole);
	if (c->pre_bit_hole)
		json__uint(j, "bit_hole_before", c->pre_bit_hole);
	json__uint(j, "padding", c->padding);
	json__uint(j, "bit_padding", c->bit_padding);
	json__begin_arr(j, "members");
	for (i = 0; i < c->n && !l->err; i++)
		json_member(l, j, &c->m[i], base, depth);
	json__end(j);
}

