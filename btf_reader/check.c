// SPDX-License-Identifier: GPL-2.0-only
/*
 * Offline structural check of one BTF layer (contract in reader.h): the
 * layer's frame. The rules for each kind's records are in check_kinds.c,
 * what both files share in check_int.h.
 *
 * The rules follow the kernel's btf_parse() in kernel/bpf/btf.c: the header
 * and section checks of btf_parse_hdr()/btf_check_sec_info(), the string
 * section rules of btf_parse_str_sec(), the per-kind check_meta callbacks
 * run by btf_check_all_metas(), and the rules of the resolve pass that one
 * layer allows (member, element, argument and variable types, FUNC argument
 * names, "Loop detected"). A rule that needs a referenced type (its kind or
 * size) or a string is applied when that type or string is in the layer
 * being checked: the layer's base is not available here.
 *
 * The format is the 2026 UAPI's (format.h): a 32-byte header may place a
 * layout section, checked as the other sections are (the kernel's
 * btf_parse_layout_sec()), and a record of a kind btfenc does not know is
 * stepped over with it, as libbpf's btf_type_size_unknown() does.
 *
 * Passes: (1) header and string section; (2) walk the type section into a
 * native-order copy, recording each record's offset, so that no later pass
 * reads past a record; (3) each record by itself, check__type(); (4)
 * reference loops, by a depth-first walk of the layer's own reference graph.
 */
#include <byteswap.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/btf.h>

#include "btf_reader/check_int.h"
#include "btf_reader/reader.h"
#include "btf_reader/typeref.h"
#include "util/diag.h"
#include "util/vec.h"

int check__fail(const struct check *c, uint32_t id, const struct btf_type *t, const char *fmt,
		...)
{
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (t)
		diag__err(c->d, "%s: type ID %u (%s): %s", c->name, id, check__kind_str(t), what);
	else
		diag__err(c->d, "%s: %s", c->name, what);
	return -EINVAL;
}

/*
 * The kernel's ctype is Latin-1: 0xc0-0xff are letters (but for 0xd7 and
 * 0xf7), 0xa0-0xff printable. It also takes '.' in identifiers (names that
 * compilers make, like "fn.isra.0"). Not isalpha(): the locale must not
 * change the verdict. One table, one lookup per character.
 */
#define CH_FIRST	1	/* may start an identifier */
#define CH_REST		2	/* may continue one */
#define CH_SECTION	4	/* may be in a DATASEC name */

#define CH_ID		(CH_FIRST | CH_REST | CH_SECTION)

static const uint8_t name_chars[256] = {
	[' ' ... '-'] = CH_SECTION,
	['.'] = CH_ID,
	['/'] = CH_SECTION,
	['0' ... '9'] = CH_SECTION | CH_REST,
	[':' ... '@'] = CH_SECTION,
	['A' ... 'Z'] = CH_ID,
	['[' ... '^'] = CH_SECTION,
	['_'] = CH_ID,
	['`'] = CH_SECTION,
	['a' ... 'z'] = CH_ID,
	['{' ... '~'] = CH_SECTION,
	[0xa0 ... 0xbf] = CH_SECTION,
	[0xc0 ... 0xd6] = CH_ID,
	[0xd7] = CH_SECTION,
	[0xd8 ... 0xf6] = CH_ID,
	[0xf7] = CH_SECTION,
	[0xf8 ... 0xff] = CH_ID,
};

static int name_ok(const char *s, enum name_rule rule)
{
	const unsigned char *p = (const unsigned char *)s;

	if (rule == NAME_SET)
		return 1;
	if (rule == NAME_SECTION) {
		for (; *p; p++)
			if (!(name_chars[*p] & CH_SECTION))
				return 0;
		return 1;
	}
	if (*p && !(name_chars[*p++] & CH_FIRST))
		return 0;
	for (; *p; p++)
		if (!(name_chars[*p] & CH_REST))
			return 0;
	return 1;
}

/* The name of the lower layer whose strings hold absolute offset @off. */
static const char *lower_layer_name(const struct check *c, uint32_t off)
{
	size_t i;

	for (i = c->nlower; i-- > 0;)
		if (off >= c->lower[i].start_str)
			return c->lower[i].path;
	return "the base";
}

enum name_verdict {
	NV_OK,
	NV_BEYOND,
	NV_NAMED,	/* must be anonymous */
	NV_MIDDLE,	/* into the middle of a lower layer's string */
	NV_EMPTY_OFF,
	NV_NO_NAME,
	NV_INVALID,
};

static enum name_verdict name_verdict(const struct check *c, uint32_t off, enum name_rule rule)
{
	uint32_t local;
	const char *s;

	if ((uint64_t)off >= (uint64_t)c->base_str_len + c->str_len)
		return NV_BEYOND;
	if (rule == NAME_NONE && off)
		return NV_NAMED;
	/*
	 * A reference into a lower layer must start a string there: libbpf only
	 * ever reuses whole strings of the base. Anything else means the layer
	 * was built on other bytes: another build's vmlinux, a missing layer.
	 * Not a rule of the kernel's, which reads whatever string is there.
	 */
	if (off && off < c->base_str_len && c->base_strs && c->base_strs[off - 1] &&
	    !c->kernel_rules)
		return NV_MIDDLE;
	if (rule == NAME_ANY || rule == NAME_NONE)
		return NV_OK;
	/* A lower layer's string is checked when its bytes are at hand; 0 is the empty string. */
	if (off && off < c->base_str_len) {
		if (!c->base_strs)
			return NV_OK;
		s = c->base_strs + off;
		if (!*s)
			return NV_EMPTY_OFF;
		return name_ok(s, rule) ? NV_OK : NV_INVALID;
	}
	s = off ? c->strs + (off - c->base_str_len) : "";
	if (!*s && off)
		return NV_EMPTY_OFF;
	if (!*s && rule != NAME_IDENT)
		return NV_NO_NAME;
	if (rule != NAME_IDENT && rule != NAME_IDENT_SET)
		return name_ok(s, rule) ? NV_OK : NV_INVALID;
	/* Identifiers repeat (member names): each string is scanned once. */
	local = off - c->base_str_len;
	if (off && c->ident_ok && c->ident_ok[local / 8] & (1u << (local % 8)))
		return NV_OK;
	if (!name_ok(s, rule))
		return NV_INVALID;
	if (off && c->ident_ok)
		c->ident_ok[local / 8] |= (uint8_t)(1u << (local % 8));
	return NV_OK;
}

int check__name(const struct check *c, uint32_t id, const struct btf_type *t, const char *part,
		uint32_t off, enum name_rule rule)
{
	switch (name_verdict(c, off, rule)) {
	case NV_OK:
		return 0;
	case NV_BEYOND:
		return check__fail(c, id, t,
				   "%sname offset %u beyond this chain's strings (%llu bytes)%s",
				   part, off, (unsigned long long)c->base_str_len + c->str_len,
				   check__base_hint(c));
	case NV_NAMED:
		return check__fail(c, id, t, "%shas a name, must be anonymous", part);
	case NV_MIDDLE:
		return check__fail(c, id, t, "%sname offset %u points into the middle of a "
				   "string of %s: built on another base?", part, off,
				   lower_layer_name(c, off));
	case NV_EMPTY_OFF:
		return check__fail(c, id, t, "%sname offset %u is an empty string", part, off);
	case NV_NO_NAME:
		return check__fail(c, id, t, "%shas no name", part);
	default:
		return check__fail(c, id, t, "%sinvalid name \"%.64s\"", part,
				   off < c->base_str_len ? c->base_strs + off :
				   c->strs + (off - c->base_str_len));
	}
}

int check__name_ok(const struct check *c, uint32_t off, enum name_rule rule)
{
	return name_verdict(c, off, rule) == NV_OK;
}

/* A section of the data after the header, for the tiling check. */
struct section {
	const char *name;
	uint32_t off, len;
};

static int cmp_section(const void *a, const void *b)
{
	const struct section *x = a, *y = b;

	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	return x->len < y->len ? -1 : x->len > y->len;
}

/*
 * As btf_check_sec_info(): the sections (types, strings and, with a 32-byte
 * header, a non-empty layout section) tile the data after the header in
 * some order, without overlap, gap or trailing bytes.
 */
static int check_tiling(const struct check *c, const struct full_header *h, size_t size)
{
	struct section secs[3] = {
		{ "type", h->base.type_off, h->base.type_len },
		{ "string", h->base.str_off, h->base.str_len },
		{ "layout", h->layout_off, h->layout_len },
	};
	size_t i, n = h->layout_len ? 3 : 2;
	uint64_t total = 0;

	for (i = 0; i < n; i++)
		if ((uint64_t)secs[i].off + secs[i].len > size)
			return check__fail(c, 0, NULL, "%s section (%u bytes at %u) past end of data "
					   "(%zu)", secs[i].name, secs[i].len, secs[i].off, size);
	qsort(secs, n, sizeof(secs[0]), cmp_section);
	for (i = 0; i < n; i++) {
		if (secs[i].off < total)
			return check__fail(c, 0, NULL, "%s and %s sections overlap",
					   secs[i - 1].name, secs[i].name);
		if (secs[i].off > total)
			return check__fail(c, 0, NULL, "gap of unknown data before offset %u",
					   (uint32_t)total);
		total += secs[i].len;
	}
	if (total != size)
		return check__fail(c, 0, NULL, "%zu bytes of unknown data after the sections",
				   size - (size_t)total);
	return 0;
}

/*
 * Reads and checks the header into *@h in host order: the 24 bytes of
 * Linux 6.1's header or the 32 of Linux 7.1's (format.h), zeros past what
 * either knows. Returns 1 if swapped, 0, -EINVAL.
 */
static int check_header(struct check *c, const uint8_t *data, size_t size,
			struct full_header *h)
{
	const size_t fixed = offsetof(struct btf_header, type_off);
	const struct btf_header *b = &h->base;
	int swapped;
	size_t i;

	if (size < fixed)
		return check__fail(c, 0, NULL, "truncated BTF header (%zu bytes)", size);
	swapped = format__read_header(data, size, h);
	if (swapped < 0) {
		uint16_t magic;

		memcpy(&magic, data, sizeof(magic));
		return check__fail(c, 0, NULL, "bad magic 0x%04x, not BTF", magic);
	}
	if (b->version != BTF_VERSION)
		return check__fail(c, 0, NULL, "unsupported BTF version %u", b->version);
	if (b->flags)
		return check__fail(c, 0, NULL, "unsupported header flags 0x%x", b->flags);
	if (b->hdr_len < sizeof(*b) || b->hdr_len > size)
		return check__fail(c, 0, NULL, "truncated BTF header (hdr_len %u, %zu bytes)",
				   b->hdr_len, size);
	/* The kernel takes a longer header of a newer format only if the rest is zero. */
	for (i = FULL_HDR_LEN; i < b->hdr_len; i++)
		if (data[i])
			return check__fail(c, 0, NULL, "unsupported header: non-zero byte at %zu",
					   i);
	size -= b->hdr_len;
	if (b->type_off % 4)
		return check__fail(c, 0, NULL, "type section offset %u not 4-byte aligned",
				   b->type_off);
	if (h->layout_len && h->layout_off % 4)
		return check__fail(c, 0, NULL, "layout section offset %u not 4-byte aligned",
				   h->layout_off);
	if (h->layout_len % sizeof(struct kind_layout))
		return check__fail(c, 0, NULL, "layout section of %u bytes, not a multiple of %zu",
				   h->layout_len, sizeof(struct kind_layout));
	if (check_tiling(c, h, size))
		return -EINVAL;
	if (h->layout_len) {
		c->layout = (const struct kind_layout *)(data + b->hdr_len + h->layout_off);
		c->nr_layout = h->layout_len / sizeof(struct kind_layout);
	}
	return swapped;
}

static int check_strings(const struct check *c)
{
	if (check__is_root(c) && (!c->str_len || c->strs[0]))
		return check__fail(c, 0, NULL, "string section does not start with '\\0': "
				   "split BTF (is its base missing?)");
	if (c->str_len && c->strs[c->str_len - 1])
		return check__fail(c, 0, NULL, "string section does not end with '\\0'");
	if (c->str_len > BTF_MAX_NAME_OFFSET + 1U ||
	    (uint64_t)c->base_str_len + c->str_len > UINT32_MAX)
		return check__fail(c, 0, NULL, "string section too large (%u bytes)", c->str_len);
	return 0;
}

/*
 * Bytes after struct btf_type of @t, a record of a kind btfenc does not
 * know, from the layout section (the layer's own, else its base's), as
 * libbpf's btf_type_size_unknown() steps over it. Returns 0 or -EINVAL.
 */
static int unknown_extra(const struct check *c, uint32_t id, const struct btf_type *t,
			 uint64_t *extra)
{
	const struct kind_layout *layout = c->layout ? c->layout : c->base_layout;
	uint32_t nr = c->layout ? c->nr_layout : c->nr_base_layout;
	struct kind_layout entry, *l = &entry;

	if (!KIND(t))
		return check__fail(c, 0, NULL, "type ID %u: kind 0 (BTF_KIND_UNKN), never valid",
				   id);
	if (!layout)
		return check__fail(c, 0, NULL, "type ID %u (kind %u): unknown kind, and no layout "
				   "section says how long its record is", id, KIND(t));
	if (KIND(t) >= nr)
		return check__fail(c, 0, NULL, "type ID %u (kind %u): unknown kind, past the %u "
				   "kinds of the layout section", id, KIND(t), nr);
	/* Copied: after a header of odd length the section is not 2-byte aligned. */
	memcpy(&entry, (const uint8_t *)layout + KIND(t) * sizeof(entry), sizeof(entry));
	if (l->info_sz % 4 || l->elem_sz % 4)
		return check__fail(c, 0, NULL, "type ID %u (kind %u): layout entry info_sz %u, "
				   "elem_sz %u, not multiples of 4", id, KIND(t), l->info_sz,
				   l->elem_sz);
	*extra = l->info_sz + (uint64_t)VLEN(t) * l->elem_sz;
	return 0;
}

/* Notes record @id at @pos, of @len bytes, as one of a kind btfenc does not know. */
static int note_unknown(struct check *c, uint32_t pos, uint64_t len)
{
	if (vec__push_slot(&c->unknown, &c->unknown_cap, c->nunknown))
		return -ENOMEM;
	c->unknown[c->nunknown++] = (struct unknown_rec){ pos, (uint32_t)len };
	return 0;
}

/*
 * Points c->types at the type section in native order (a swapped copy if it
 * came in the other order) and records each record's offset. A record of a
 * kind btfenc does not know is stepped over with the layout section; only
 * its struct btf_type is swapped, as what follows it means nothing here.
 */
static int walk_types(struct check *c, const uint8_t *sec, uint32_t len, int swapped)
{
	uint32_t pos = 0, *w, id;
	struct btf_type *t;
	uint64_t extra, i;
	int err, known;

	/*
	 * A copy when the bytes are swapped, or not 4-byte aligned: the kernel
	 * takes a header of any length past 24 bytes whose extra bytes are zero
	 * (btf_parse_hdr()), so after one of 25 bytes the records sit at odd
	 * addresses.
	 */
	if (swapped || (uintptr_t)sec % sizeof(uint32_t)) {
		c->types_owned = malloc(len ? len : 1);
		if (!c->types_owned)
			return -ENOMEM;
		memcpy(c->types_owned, sec, len);
		c->types = c->types_owned;
	} else {
		c->types = (uint8_t *)sec;	/* read only: nothing to swap, aligned */
	}
	while (pos < len) {
		id = c->base_types + (uint32_t)c->nr;
		if (len - pos < sizeof(*t))
			return check__fail(c, 0, NULL, "type ID %u: record cut off by end of data",
					   id);
		t = (struct btf_type *)(c->types + pos);
		w = (uint32_t *)t;
		for (i = 0; swapped && i < 3; i++)
			w[i] = bswap_32(w[i]);
		known = typeref__extra_size(t) >= 0;
		extra = known ? (uint64_t)typeref__extra_size(t) : 0;
		if (!known && unknown_extra(c, id, t, &extra))
			return -EINVAL;
		if (extra > len - pos - sizeof(*t))
			return check__fail(c, id, t, "vlen %u runs past end of type section",
					   VLEN(t));
		/* Every known kind's trailing data is a sequence of 32-bit words. */
		for (i = 0; known && swapped && i < extra / 4; i++)
			w[3 + i] = bswap_32(w[3 + i]);
		if (id > BTF_MAX_TYPE)
			return check__fail(c, 0, NULL, "more than %u type IDs", BTF_MAX_TYPE);
		err = check__libbpf_vlen(c, id, t);
		if (!err && !known)
			err = note_unknown(c, pos, sizeof(*t) + extra);
		if (err)
			return err;
		if (vec__push_slot(&c->offs, &c->cap, c->nr))
			return -ENOMEM;
		c->offs[c->nr++] = pos;
		pos += sizeof(*t) + (uint32_t)extra;
	}
	return 0;
}

struct edges {
	uint32_t *ids;
	size_t cnt, cap;
	int err;
};

static int collect_edge(uint32_t *id, void *ctx)
{
	struct edges *e = ctx;

	if (vec__push_slot(&e->ids, &e->cap, e->cnt)) {
		e->err = -ENOMEM;
		return 1;
	}
	e->ids[e->cnt++] = *id;
	return 0;
}

/* A type on the walk's stack; its edges are edges.ids[begin..end), next to visit. */
struct frame {
	uint32_t id;
	size_t begin, next, end;
};

static int push_frame(const struct check *c, struct frame **stack, size_t *cap, size_t *depth,
		      struct edges *edges, uint32_t id)
{
	struct btf_type *t = (struct btf_type *)check__local_type(c, id);
	const struct btf_type *pointee = NULL;
	struct frame *f;

	if (vec__push_slot(stack, cap, *depth))
		return -ENOMEM;
	f = &(*stack)[(*depth)++];
	f->id = id;
	f->begin = f->next = edges->cnt;
	/*
	 * A pointer ends the walk at what its target resolves to unless that is
	 * another pointer: btf_ptr_resolve() stops at anything but a modifier
	 * or a pointer (env_type_is_resolve_sink(), RESOLVE_PTR). A target that
	 * leaves the layer cannot lead back into it.
	 */
	if (KIND(t) == BTF_KIND_PTR)
		check__resolve(c, t->type, 0, &pointee);
	if (KIND(t) != BTF_KIND_FUNC_PROTO && !(KIND(t) == BTF_KIND_PTR && pointee &&
	    KIND(pointee) != BTF_KIND_PTR && !check__is_modifier_kind(KIND(pointee))))
		typeref__for_each(t, collect_edge, edges);
	f->end = edges->cnt;
	return edges->err;
}

/*
 * Reference loops, the kernel's "Loop detected". The kernel resolves a
 * pointer to anything but a modifier or pointer (a struct, an array, a FUNC),
 * and a function prototype, lazily, so loops through them are allowed
 * (struct list_head { struct list_head *next; }, a struct holding a pointer
 * to an array of itself).
 * Any other loop, e.g. a typedef or pointer to itself or a struct holding
 * itself, has no size and makes recursive walks run away. Depth-first walk
 * of the layer's own types with three colours, not following those edges.
 * Lower layers cannot point up, so no loop leaves the layer.
 */
static int check_loops(const struct check *c)
{
	uint8_t *colour = calloc(c->nr ? c->nr : 1, 1);	/* 0 new, 1 on stack, 2 done */
	struct edges edges = { 0 };
	struct frame *stack = NULL;
	size_t depth, stack_cap = 0, root;
	int err = 0;

	if (!colour)
		return -ENOMEM;
	for (root = 0; root < c->nr && !err; root++) {
		if (colour[root])
			continue;
		depth = 0;
		edges.cnt = 0;
		colour[root] = 1;
		err = push_frame(c, &stack, &stack_cap, &depth, &edges,
				 c->base_types + (uint32_t)root);
		while (depth && !err) {
			struct frame *f = &stack[depth - 1];
			uint32_t to;

			if (f->next == f->end) {
				colour[f->id - c->base_types] = 2;
				edges.cnt = f->begin;
				depth--;
				continue;
			}
			to = edges.ids[f->next++];
			if (to < c->base_types || colour[to - c->base_types] == 2)
				continue;
			if (colour[to - c->base_types] == 1) {
				err = check__fail(c, f->id, check__local_type(c, f->id),
						  "reference loop through type ID %u", to);
				break;
			}
			colour[to - c->base_types] = 1;
			err = push_frame(c, &stack, &stack_cap, &depth, &edges, to);
		}
	}
	free(edges.ids);
	free(stack);
	free(colour);
	return err;
}

int reader__check(const void *data, size_t size, uint32_t base_types, uint32_t base_str_len,
		  const char *name, const struct diag *d)
{
	struct check_base base = { .types = base_types, .str_len = base_str_len };

	return check__layer(data, size, &base, CHECK_FULL, name, d, NULL);
}

int check__layer(const void *data, size_t size, const struct check_base *base,
		 enum check_level level, const char *name, const struct diag *d,
		 struct check_scan *scan)
{
	struct check c = { .name = name ? name : "BTF", .d = d, .base_types = base->types,
			   .base_str_len = base->str_len, .base_strs = base->strs,
			   .lower = base->lower, .nlower = base->nlower,
			   .base_layout = base->layout, .nr_base_layout = base->nr_layout,
			   .kernel_rules = level == CHECK_KERNEL };
	const uint8_t *bytes = data;
	struct full_header full;
	const struct btf_header *hdr = &full.base;
	int swapped, err;
	size_t i;

	if (!c.base_types || (!data && size))
		return check__fail(&c, 0, NULL, "invalid arguments (base of %u types)",
				   c.base_types);
	swapped = check_header(&c, bytes, size, &full);
	if (swapped < 0)
		return swapped;
	c.strs = (const char *)bytes + hdr->hdr_len + hdr->str_off;
	c.str_len = hdr->str_len;
	err = check_strings(&c);
	if (!err)
		err = walk_types(&c, bytes + hdr->hdr_len + hdr->type_off, hdr->type_len, swapped);
	if (!err) {
		c.sizes = malloc((c.nr ? c.nr : 1) * sizeof(*c.sizes));
		c.ident_ok = calloc(c.str_len / 8 + 1, 1);
		if (!c.sizes || !c.ident_ok)
			err = -ENOMEM;
		for (i = 0; !err && i < c.nr; i++)
			c.sizes[i].size = SIZE_UNKNOWN;
	}
	for (i = 0; !err && level == CHECK_STRUCTURE && i < c.nr; i++)
		err = check__structure(&c, c.base_types + (uint32_t)i,
				       (struct btf_type *)(c.types + c.offs[i]));
	for (i = 0; !err && level != CHECK_STRUCTURE && i < c.nr; i++)
		err = check__type(&c, c.base_types + (uint32_t)i,
				 (struct btf_type *)(c.types + c.offs[i]));
	if (!err && level != CHECK_STRUCTURE)
		err = check_loops(&c);
	if (!err && scan) {
		*scan = (struct check_scan){ .nr_types = (uint32_t)c.nr, .unknown = c.unknown,
					     .nunknown = c.nunknown, .layout = c.layout,
					     .nr_layout = c.nr_layout };
		c.unknown = NULL;
	}
	free(c.unknown);
	free(c.types_owned);
	free(c.offs);
	free(c.sizes);
	free(c.ident_ok);
	return err;
}
