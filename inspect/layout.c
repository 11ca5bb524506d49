// SPDX-License-Identifier: GPL-2.0-only
/*
 * pahole's classic struct view from BTF (contract in dump.h).
 *
 * Problem: show where each member of a struct sits, and the bytes and bits
 * that nothing uses, the way `pahole -C NAME` does, which is what kernel
 * developers read. Only BTF is at hand: no alignment attributes, so
 * pahole's inferred __packed__/__aligned__ notes and its "Force alignment"
 * filler lines are not printed.
 *
 * Example: struct s { char c; unsigned a:3; long l; } (x86-64):
 *	char                       c;                    /(*     0     1 *)
 *
 *	(* XXX 3 bytes hole, try to pack *)
 *
 *	unsigned int               a:3;                  /(*     4: 0  4 *)
 *
 *	(* XXX 29 bits hole, try to pack *)
 *
 *	long int                   l;                    /(*     8     8 *)
 *
 * Passes, per struct: (1) scan its members into struct lmember: a
 * bitfield's storage unit is its type's size, aligned down to that size
 * (pahole's byte_offset), its bit offset is counted from the unit; (2) find
 * holes as pahole's class__find_holes() does: a bit hole is what a run of
 * bitfields leaves of its unit, or leaves before the next bitfield; a byte
 * hole is the whole bytes between the end of the last member seen and the
 * next one's start (its unit for a bitfield); the end of the last member
 * against the struct's size gives padding and, after a bitfield,
 * bit_padding; (3) print, expanding anonymous struct and union members
 * inline, 8 columns narrower per level, with offsets counted from the
 * outermost struct.
 *
 * Invariants: offsets and sizes come from checked BTF (reader.h), so a
 * member ends within its struct; holes are never negative (a member that
 * starts before the end of the previous one, as in a union or an
 * overlapping bitfield, makes no hole). Cacheline boundaries are printed
 * before the first member that starts in a new line, for the outermost
 * struct's offsets; inside a union each member starts from the same line.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include <linux/btf.h>

#include "inspect/ctype.h"
#include "inspect/dump.h"
#include "inspect/json.h"
#include "inspect/layout_int.h"
#include "util/diag.h"

#define TYPE_SPACING	26	/* pahole's type column */
#define NAME_SPACING	23	/* pahole's name column, ';' included */
#define UNION_NAME_SPACING 21	/* the same in a union printed on its own */

static const char tabs[] = "\t\t\t\t\t\t\t\t\t\t";

/* A pahole note on a line of its own after the line it follows: "XXX 4 bytes hole, ...". */
__attribute__((format(printf, 4, 5)))
static void put_note(struct layout *l, int indent, int *newline, const char *fmt, ...)
{
	va_list ap;

	if (!(*newline)++)
		fputc('\n', l->out);
	fprintf(l->out, "\n%.*s/* XXX ", indent, tabs);
	va_start(ap, fmt);
	vfprintf(l->out, fmt, ap);
	va_end(ap);
	fputs(" */", l->out);
}

static void put_hole(struct layout *l, int indent, int *newline, uint32_t n, const char *unit)
{
	put_note(l, indent, newline, "%u %s%s hole, try to pack", n, unit, n != 1 ? "s" : "");
}

static void put_boundary(struct layout *l, int indent, uint32_t offset)
{
	uint32_t line = offset / l->cacheline, pos = offset % l->cacheline;

	if (line <= l->cur_line)
		return;
	if (pos)
		fprintf(l->out, "/* --- cacheline %u boundary (%u bytes) was %u byte%s ago"
			" --- */\n", line, offset - pos, pos, pos != 1 ? "s" : "");
	else
		fprintf(l->out, "/* --- cacheline %u boundary (%u bytes) --- */\n", line, offset);
	fprintf(l->out, "%.*s", indent, tabs);
	l->cur_line = line;
}

/* "/(*   OFF[:BIT]  SIZE *)" after @printed columns of a line whose columns end at @spacing. */
static void put_offset(struct layout *l, int spacing, const struct lmember *m, uint32_t offset)
{
	fprintf(l->out, "%*s/* %5u", spacing > 0 ? spacing : 0, " ", offset);
	if (m->bitfield)
		fprintf(l->out, ":%2u %2u */", m->bit_off - m->byte_off * 8, m->byte_size);
	else
		fprintf(l->out, " %5u */", m->byte_size);
}

static void print_body(struct layout *l, const struct lclass *c, int indent, uint32_t base,
		       int type_spacing, int top);

/* An anonymous enum's enumerators, names padded to the longest, as pahole lists them. */
static void print_enumerators(struct layout *l, const struct btf_type *t, int indent)
{
	unsigned int i, n = btf_vlen(t), width = 0;
	const char *name;

	for (i = 0; i < n; i++) {
		name = btf__name_by_offset(l->btf, btf_is_enum(t) ? btf_enum(t)[i].name_off :
					   btf_enum64(t)[i].name_off);
		if (name && strlen(name) > width)
			width = strlen(name);
	}
	for (i = 0; i < n; i++) {
		uint64_t val = btf_is_enum(t) ? (uint64_t)(int64_t)btf_enum(t)[i].val :
			       btf_enum64_value(btf_enum64(t) + i);

		name = btf__name_by_offset(l->btf, btf_is_enum(t) ? btf_enum(t)[i].name_off :
					   btf_enum64(t)[i].name_off);
		if (btf_kflag(t) || btf_is_enum(t))
			fprintf(l->out, "%.*s%-*s = %lld,\n", indent, tabs, width, name ? name : "",
				btf_kflag(t) ? (long long)val : (long long)(uint32_t)val);
		else
			fprintf(l->out, "%.*s%-*s = %llu,\n", indent, tabs, width, name ? name : "",
				(unsigned long long)val);
	}
}

/* An anonymous struct, union or enum member, spelled out; 0 if @m is none. */
static int print_anon(struct layout *l, const struct lmember *m, int indent, uint32_t offset,
		      int type_spacing)
{
	const struct btf_type *t = m->type;
	int slen = *m->name ? (int)strlen(m->name) : -1;
	const char *name = t ? btf__name_by_offset(l->btf, t->name_off) : NULL;
	struct lclass inner;

	if (!t || !(btf_is_composite(t) || btf_is_any_enum(t)) || (name && *name) ||
	    indent >= MAX_NESTING)
		return 0;
	if (btf_is_any_enum(t)) {
		fprintf(l->out, "enum {\n");
		print_enumerators(l, t, indent + 1);
	} else if (layout__scan(l->btf, t, &inner)) {
		l->err = -ENOMEM;
		return 1;
	} else {
		fprintf(l->out, "%s {\n", btf_is_union(t) ? "union" : "struct");
		print_body(l, &inner, indent + 1, offset, type_spacing - 8, 0);
		free(inner.m);
	}
	fprintf(l->out, "%.*s}%s%s", indent, tabs, *m->name ? " " : "", m->name);
	if (m->bitfield)
		fprintf(l->out, ":%u", m->bitfield);
	fputc(';', l->out);
	put_offset(l, type_spacing + l->name_spacing - slen - 3, m, offset);
	return 1;
}

/* One member's line; an anonymous struct or union is expanded in place. */
static void print_member(struct layout *l, const struct lmember *m, int indent, uint32_t base,
			 int type_spacing, int flex)
{
	uint32_t offset = base + m->byte_off;
	char decl[512], *name;
	size_t name_col;
	int printed;

	put_boundary(l, indent, offset);
	if (print_anon(l, m, indent, offset, type_spacing))
		return;
	if (ctype__decl(l->btf, m->type_id, m->name, decl, sizeof(decl), &name_col))
		l->err = -EINVAL;
	name = decl + name_col;
	/* pahole writes an outermost last member of length 0 as a flexible array. */
	if (flex && strlen(name) > 3 && !strcmp(name + strlen(name) - 3, "[0]"))
		strcpy(name + strlen(name) - 2, "]");
	while (name_col && decl[name_col - 1] == ' ')
		name_col--;
	printed = fprintf(l->out, "%-*.*s %s", type_spacing, (int)name_col, decl, name);
	if (m->bitfield)
		printed += fprintf(l->out, ":%u", m->bitfield);
	printed += fprintf(l->out, ";");
	put_offset(l, type_spacing + l->name_spacing - printed, m, offset);
}

/*
 * What pahole writes before member @i of a struct: after a bit hole, the
 * filler bitfield that would make it explicit ("int :0;" when the next unit
 * starts elsewhere); and where a bitfield shares bytes with a neighbour.
 */
static void put_before(struct layout *l, const struct lclass *c, unsigned int i, int indent,
		       int type_spacing, uint32_t last_size, int *newline)
{
	const struct lmember *pos = &c->m[i], *last = i ? &c->m[i - 1] : NULL;
	const char *what = NULL;
	char decl[256];

	if (!last || !last_size || btf_is_union(c->t))
		return;
	if (last->bit_hole && pos->bitfield) {
		uint32_t bits = last->bit_hole;

		if (last->byte_off != pos->byte_off) {
			fprintf(l->out, "\n%.*s/* Force alignment to the next boundary: */\n",
				indent, tabs);
			bits = 0;
		}
		if (ctype__decl(l->btf, pos->type_id, NULL, decl, sizeof(decl), NULL))
			l->err = -EINVAL;
		fprintf(l->out, "%.*s%-*s :%u;\n", indent, tabs, type_spacing, decl, bits);
	}
	if (pos->byte_off < last->byte_off ||
	    (pos->byte_off == last->byte_off && !last->bitfield && pos->bitfield))
		what = "previous";
	else if (pos->byte_off > last->byte_off && pos->byte_off - last->byte_off < last_size)
		what = "next";
	if (!what)
		return;
	if (!(*newline)++)
		fputc('\n', l->out);
	fprintf(l->out, "%.*s/* Bitfield combined with %s fields */\n", indent, tabs, what);
}

/* The members of @c, with their hole notes; and for the outermost struct, its summary. */
static void print_body(struct layout *l, const struct lclass *c, int indent, uint32_t base,
		       int type_spacing, int top)
{
	uint32_t sum_bytes = 0, sum_bits = 0, sum_holes = 0, sum_bit_holes = 0;
	uint32_t nr_paddings = 0, sum_paddings = 0, union_line = l->cur_line, last_size = 0;
	int newline = 0, is_union = btf_is_union(c->t);
	unsigned int i;

	indent = indent < (int)sizeof(tabs) - 1 ? indent : (int)sizeof(tabs) - 1;
	/* A hole before the first member: pahole puts no blank line between the two notes. */
	if (c->pre_bit_hole || c->pre_hole)
		fputc('\n', l->out);
	if (c->pre_bit_hole)
		fprintf(l->out, "%.*s/* XXX %u bit%s hole, try to pack */\n", indent, tabs,
			c->pre_bit_hole, c->pre_bit_hole != 1 ? "s" : "");
	if (c->pre_hole)
		fprintf(l->out, "%.*s/* XXX %u byte%s hole, try to pack */\n", indent, tabs,
			c->pre_hole, c->pre_hole != 1 ? "s" : "");
	newline = c->pre_bit_hole || c->pre_hole;
	sum_bit_holes += c->pre_bit_hole;
	sum_holes += c->pre_hole;
	for (i = 0; i < c->n && !l->err; i++) {
		const struct lmember *m = &c->m[i];

		put_before(l, c, i, indent, type_spacing, last_size, &newline);
		if (newline) {
			fputc('\n', l->out);
			newline = 0;
		}
		fprintf(l->out, "%.*s", indent, tabs);
		print_member(l, m, indent, base, type_spacing, top && i && i + 1 == c->n);
		if (!is_union && m->type && btf_is_struct(m->type)) {
			uint32_t padding = 0;

			/* A struct it cannot scan (no memory) would lose its note. */
			if (layout__padding(l->btf, m->type, &padding))
				l->err = -ENOMEM;
			if (padding) {
				nr_paddings++;
				sum_paddings += padding;
				put_note(l, indent, &newline,
					 "last struct has %u byte%s of padding", padding,
					 padding != 1 ? "s" : "");
			}
		}
		if (m->bit_hole)
			put_hole(l, indent, &newline, m->bit_hole, "bit");
		if (m->hole)
			put_hole(l, indent, &newline, m->hole, "byte");
		fputc('\n', l->out);
		sum_bit_holes += m->bit_hole;
		sum_holes += m->hole;
		if (m->bitfield)
			sum_bits += m->bitfield;
		else
			sum_bytes += m->byte_size;
		if (is_union)
			l->cur_line = union_line;
		/* pahole's "last_size": the size at the last new offset (see put_before()). */
		if (!i || !last_size || c->m[i - 1].byte_off != m->byte_off ||
		    (!c->m[i - 1].bitfield && m->bitfield))
			last_size = m->byte_size;
	}
	/* pahole prints no summary for a union on its own. */
	if (!top || is_union)
		return;
	fprintf(l->out, "\n%.*s/* size: %u, cachelines: %u, members: %u */\n", indent, tabs,
		c->t->size, (c->t->size + l->cacheline - 1) / l->cacheline, c->n);
	if ((sum_holes || sum_bit_holes) && sum_bytes) {
		fprintf(l->out, "%.*s/* sum members: %u", indent, tabs, sum_bytes);
		if (sum_holes)
			fprintf(l->out, ", holes: %u, sum holes: %u", c->nr_holes, sum_holes);
		fprintf(l->out, " */\n");
	}
	if ((sum_holes || sum_bit_holes) && sum_bits) {
		fprintf(l->out, "%.*s/* sum bitfield members: %u bits", indent, tabs, sum_bits);
		if (sum_bit_holes)
			fprintf(l->out, ", bit holes: %u, sum bit holes: %u bits", c->nr_bit_holes,
				sum_bit_holes);
		else
			fprintf(l->out, " (%u bytes)", sum_bits / 8);
		fprintf(l->out, " */\n");
	}
	if (c->padding)
		fprintf(l->out, "%.*s/* padding: %u */\n", indent, tabs, c->padding);
	if (nr_paddings)
		fprintf(l->out, "%.*s/* paddings: %u, sum paddings: %u */\n", indent, tabs,
			nr_paddings, sum_paddings);
	if (c->bit_padding)
		fprintf(l->out, "%.*s/* bit_padding: %u bits */\n", indent, tabs, c->bit_padding);
	if (c->t->size % l->cacheline)
		fprintf(l->out, "%.*s/* last cacheline: %u bytes */\n", indent, tabs,
			c->t->size % l->cacheline);
}

static void print_class(struct layout *l, struct json *j, uint32_t id, const struct btf_type *t)
{
	const char *name = btf__name_by_offset(l->btf, t->name_off);
	struct lclass c;

	if (layout__scan(l->btf, t, &c)) {
		l->err = -ENOMEM;
		return;
	}
	if (j) {
		json__begin_obj(j, NULL);
		json__str(j, "name", name);
		json__uint(j, "id", id);
		json__uint(j, "cachelines", (t->size + l->cacheline - 1) / l->cacheline);
		layout__json_class(l, j, &c, 0, 0);
		json__end(j);
	} else {
		l->cur_line = 0;
		l->name_spacing = btf_is_union(t) ? UNION_NAME_SPACING : NAME_SPACING;
		fprintf(l->out, "%s %s {\n", btf_is_union(t) ? "union" : "struct", name);
		print_body(l, &c, 1, 0, TYPE_SPACING, 1);
		fprintf(l->out, "};\n");
	}
	free(c.m);
}

/* Whether @t is a struct or union that the listing takes. */
static int selected(const struct btf *btf, const struct btf_type *t, const struct layout_opts *o)
{
	const char *name;
	size_t i;

	if (!btf_is_composite(t))
		return 0;
	name = btf__name_by_offset(btf, t->name_off);
	if (!name || !*name)
		return 0;
	for (i = 0; i < o->nnames; i++)
		if (!strcmp(name, o->names[i]))
			return 1;
	return !o->nnames;
}

/* -ENOENT, after a message, if a name asked for is no struct or union. */
static int check_names(const struct btf *btf, const struct layout_opts *o)
{
	uint32_t id, count = btf__type_cnt(btf);
	struct layout_opts one = *o;
	size_t i;

	for (i = 0; i < o->nnames; i++) {
		one.names = &o->names[i];
		one.nnames = 1;
		for (id = 1; id < count; id++)
			if (selected(btf, btf__type_by_id(btf, id), &one))
				break;
		if (id == count) {
			diag__err(o->diag, "no struct or union named '%s'", o->names[i]);
			return -ENOENT;
		}
	}
	return 0;
}

int dump__layout(const struct btf *btf, uint32_t start_id, const struct layout_opts *o,
		 FILE *out)
{
	struct layout l = { .btf = btf, .out = out, .cacheline = o->cacheline ? o->cacheline : 64 };
	uint32_t id, count = btf__type_cnt(btf);
	struct json j;
	int err = check_names(btf, o);

	if (err)
		return err;
	if (o->json) {
		json__init(&j, out);
		json__begin_obj(&j, NULL);
		json__uint(&j, "cacheline", l.cacheline);
		json__begin_arr(&j, "types");
	}
	for (id = o->nnames ? 1 : start_id ? start_id : 1; id < count && !l.err; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);

		if (selected(btf, t, o))
			print_class(&l, o->json ? &j : NULL, id, t);
	}
	if (o->json) {
		json__end(&j);
		json__end(&j);
	}
	if (l.err)
		return l.err;
	return fflush(out) || ferror(out) ? -EIO : 0;
}

