// SPDX-License-Identifier: GPL-2.0-only
/*
 * Offline structural check of one BTF layer (contract in reader.h).
 *
 * The rules follow the kernel's btf_parse() in kernel/bpf/btf.c: the header
 * and section checks of btf_parse_hdr()/btf_check_sec_info(), the string
 * section rules of btf_parse_str_sec(), the per-kind check_meta callbacks
 * run by btf_check_all_metas(), and the rules of the resolve pass that can
 * be applied to one layer (member and index types, "Loop detected"). A rule
 * that needs a referenced type (its kind or size) or a string is applied
 * when that type or string is in the layer being checked: the layer's base
 * is not available here.
 *
 * Passes: (1) header and string section; (2) walk the type section into a
 * native-order copy, recording each record's offset, so that no later pass
 * reads past a record; (3) each record by itself; (4) reference loops, by a
 * depth-first walk of the layer's own reference graph.
 */
#include <byteswap.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/btf.h>

#include "btf_reader/reader.h"
#include "btf_reader/typeref.h"
#include "util/diag.h"
#include "util/vec.h"

/* Bits of btf_type.info that carry vlen, kind and kind_flag; the rest are reserved. */
#define INFO_MASK	0x9f00ffffU
/* Bits of an INT's data word the kernel allows (bits 8-15 are unused but tolerated). */
#define INT_DATA_MASK	0x0fffffffU
/* libbpf's MAX_RESOLVE_DEPTH: longer chains of modifiers are refused by libbpf too. */
#define RESOLVE_DEPTH	32

/* What a name must be: the kernel wants C identifiers where C has them. */
enum name_rule {
	NAME_ANY,	/* INT, FLOAT: "long unsigned int" */
	NAME_NONE,	/* modifiers, ARRAY, FUNC_PROTO */
	NAME_SET,	/* DATASEC, tags: non-empty */
	NAME_IDENT,	/* struct, union, enum, members, params: empty or identifier */
	NAME_IDENT_SET,	/* FWD, TYPEDEF, FUNC, VAR, enumerators */
};

struct check {
	const char *name;
	const struct diag *d;
	uint32_t base_types;	/* first type ID of this layer */
	uint32_t base_str_len;	/* first absolute string offset of this layer */
	const char *strs;	/* this layer's string section */
	uint32_t str_len;
	uint8_t *types;		/* native-order copy of the type section */
	uint32_t *offs;		/* offset in types of each of this layer's records */
	size_t nr, cap;
};

struct kind_rule {
	const char *name;
	unsigned char kflag_ok;
	unsigned char vlen_zero;
	unsigned char name_rule;
	int (*check)(const struct check *c, uint32_t id, const struct btf_type *t);
};

static const struct kind_rule *rule_of(unsigned int kind);

static const char *kind_str(const struct btf_type *t)
{
	const struct kind_rule *r = rule_of(BTF_INFO_KIND(t->info));

	return r ? r->name : "unknown kind";
}

static int is_root(const struct check *c)
{
	return c->base_str_len == 0;
}

static const char *missing_base_hint(const struct check *c)
{
	return is_root(c) ? " (is its base missing?)" : " (built on another base?)";
}

__attribute__((format(printf, 4, 5)))
static int type_err(const struct check *c, uint32_t id, const struct btf_type *t,
		    const char *fmt, ...)
{
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	diag__err(c->d, "%s: type ID %u (%s): %s", c->name, id, kind_str(t), what);
	return -EINVAL;
}

__attribute__((format(printf, 2, 3)))
static int layer_err(const struct check *c, const char *fmt, ...)
{
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	diag__err(c->d, "%s: %s", c->name, what);
	return -EINVAL;
}

/* This layer's record of @id, or NULL when @id is void or in a lower layer. */
static const struct btf_type *local_type(const struct check *c, uint32_t id)
{
	if (id < c->base_types || id - c->base_types >= c->nr)
		return NULL;
	return (const struct btf_type *)(c->types + c->offs[id - c->base_types]);
}

/* This layer's string at @off; NULL for a lower layer's (which cannot be looked at). */
static const char *local_str(const struct check *c, uint32_t off)
{
	return off >= c->base_str_len ? c->strs + (off - c->base_str_len) : NULL;
}

/*
 * Bytes >= 0x80 pass: C allows extended characters, the kernel Latin-1
 * letters. The kernel also takes '.' (section-like and compiler-made names).
 */
static int ident_char(unsigned char ch, int first)
{
	return ch >= 0x80 || ch == '_' || ch == '.' || (first ? isalpha(ch) : isalnum(ch));
}

static int is_identifier(const char *s)
{
	if (!ident_char(*s, 1))
		return 0;
	while (*++s)
		if (!ident_char(*s, 0))
			return 0;
	return 1;
}

/*
 * The name at @off of the type itself (@what NULL) or of its @what number
 * @idx (member, param, enumerator), under @rule.
 */
static int check_name(const struct check *c, uint32_t id, const struct btf_type *t,
		      const char *what, unsigned int idx, uint32_t off, enum name_rule rule)
{
	const char *s;
	char prefix[32] = "";

	if (what)
		snprintf(prefix, sizeof(prefix), "%s %u: ", what, idx);
	if ((uint64_t)off >= (uint64_t)c->base_str_len + c->str_len)
		return type_err(c, id, t, "%sname offset %u beyond this chain's strings (%llu bytes)%s",
				prefix, off, (unsigned long long)c->base_str_len + c->str_len,
				missing_base_hint(c));
	s = off ? local_str(c, off) : "";
	if (rule == NAME_NONE && off)
		return type_err(c, id, t, "%shas a name, must be anonymous", prefix);
	if (!s || rule == NAME_ANY || rule == NAME_NONE)
		return 0;
	if (!*s && (rule == NAME_SET || rule == NAME_IDENT_SET))
		return type_err(c, id, t, "%shas no name", prefix);
	if (*s && rule >= NAME_IDENT && !is_identifier(s))
		return type_err(c, id, t, "%sname \"%.64s\" is not an identifier", prefix, s);
	return 0;
}

/*
 * Size in bytes of @id after modifiers and typedefs. *@last gets the type
 * reached, NULL when the way leaves this layer. Returns -1 when unknown.
 */
static long long resolve(const struct check *c, uint32_t id, int depth,
			 const struct btf_type **last)
{
	const struct btf_type *t, *elem_type;
	long long elem;

	*last = NULL;
	for (; depth < RESOLVE_DEPTH; depth++) {
		t = local_type(c, id);
		if (!t)
			return -1;
		*last = t;
		switch (BTF_INFO_KIND(t->info)) {
		case BTF_KIND_TYPEDEF:
		case BTF_KIND_VOLATILE:
		case BTF_KIND_CONST:
		case BTF_KIND_RESTRICT:
		case BTF_KIND_TYPE_TAG:
			id = t->type;
			continue;
		case BTF_KIND_INT:
		case BTF_KIND_ENUM:
		case BTF_KIND_ENUM64:
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
		case BTF_KIND_FLOAT:
			return t->size;
		case BTF_KIND_ARRAY:
			elem = resolve(c, ((const struct btf_array *)(t + 1))->type, depth + 1,
				       &elem_type);
			if (elem < 0 || (elem && ((const struct btf_array *)(t + 1))->nelems >
					 UINT32_MAX / elem))
				return -1;
			return elem * ((const struct btf_array *)(t + 1))->nelems;
		default:
			/* PTR: the pointer size is not known offline. */
			return -1;
		}
	}
	return -1;
}

static int is_sized_kind(unsigned int kind)
{
	return kind != BTF_KIND_FUNC && kind != BTF_KIND_FUNC_PROTO && kind != BTF_KIND_VAR &&
	       kind != BTF_KIND_DATASEC && kind != BTF_KIND_DECL_TAG && kind != BTF_KIND_FWD;
}

static int check_int(const struct check *c, uint32_t id, const struct btf_type *t)
{
	uint32_t data = *(const uint32_t *)(t + 1);
	uint32_t bits = BTF_INT_BITS(data), off = BTF_INT_OFFSET(data), enc = BTF_INT_ENCODING(data);

	if (data & ~INT_DATA_MASK)
		return type_err(c, id, t, "reserved bits set in int data 0x%08x", data);
	if (t->size != 1 && t->size != 2 && t->size != 4 && t->size != 8 && t->size != 16)
		return type_err(c, id, t, "size %u not 1, 2, 4, 8 or 16", t->size);
	if (bits > 128)
		return type_err(c, id, t, "nr_bits %u exceeds 128", bits);
	if (off + bits > t->size * 8)
		return type_err(c, id, t, "offset %u + nr_bits %u exceeds size %u*8", off, bits,
				t->size);
	if (enc && enc != BTF_INT_SIGNED && enc != BTF_INT_CHAR && enc != BTF_INT_BOOL)
		return type_err(c, id, t, "unsupported encoding 0x%x", enc);
	return 0;
}

static int check_float(const struct check *c, uint32_t id, const struct btf_type *t)
{
	if (t->size != 2 && t->size != 4 && t->size != 8 && t->size != 12 && t->size != 16)
		return type_err(c, id, t, "size %u not 2, 4, 8, 12 or 16", t->size);
	return 0;
}

static int check_fwd(const struct check *c, uint32_t id, const struct btf_type *t)
{
	if (t->type)
		return type_err(c, id, t, "size/type field %u, must be 0", t->type);
	return 0;
}

static int check_array(const struct check *c, uint32_t id, const struct btf_type *t)
{
	const struct btf_array *a = (const struct btf_array *)(t + 1);
	const struct btf_type *index;

	if (t->size)
		return type_err(c, id, t, "size %u, must be 0", t->size);
	if (!a->type)
		return type_err(c, id, t, "element type is void");
	if (!a->index_type)
		return type_err(c, id, t, "no index type");
	resolve(c, a->index_type, 0, &index);
	if (index && BTF_INFO_KIND(index->info) != BTF_KIND_INT)
		return type_err(c, id, t, "index type ID %u is %s, not an int", a->index_type,
				kind_str(index));
	return 0;
}

/* Member @i at @bit_off, a bitfield of @bits if non-zero: inside the struct, of a sized type. */
static int check_member(const struct check *c, uint32_t id, const struct btf_type *t,
			unsigned int i, uint32_t bit_off, uint32_t bits)
{
	const struct btf_member *m = (const struct btf_member *)(t + 1) + i;
	uint64_t struct_bits = (uint64_t)t->size * 8, end;
	unsigned int kind = BTF_KIND_UNKN;
	const struct btf_type *mt;
	long long size;

	if (!m->type)
		return type_err(c, id, t, "member %u has type void", i);
	size = resolve(c, m->type, 0, &mt);
	if (mt)
		kind = BTF_INFO_KIND(mt->info);
	if (mt && !is_sized_kind(kind))
		return type_err(c, id, t, "member %u: type is %s", i, kind_str(mt));
	if (bits) {
		if (mt && kind != BTF_KIND_INT && kind != BTF_KIND_ENUM && kind != BTF_KIND_ENUM64)
			return type_err(c, id, t, "member %u: bitfield of a %s", i, kind_str(mt));
		if (bits > 128 || (size >= 0 && bits > size * 8))
			return type_err(c, id, t, "member %u: bitfield of %u bits too wide", i, bits);
		if ((uint64_t)bit_off + bits > struct_bits)
			return type_err(c, id, t, "member %u: bitfield at bit %u of %u bits past size %u",
					i, bit_off, bits, t->size);
		return 0;
	}
	if ((bit_off + 7ULL) / 8 > t->size)
		return type_err(c, id, t, "member %u: offset %u bits past size %u", i, bit_off,
				t->size);
	/* Without kind_flag an INT member may be a bitfield: the INT says which bits. */
	if (kind == BTF_KIND_INT && !BTF_INFO_KFLAG(t->info)) {
		uint32_t data = *(const uint32_t *)(mt + 1);

		end = (uint64_t)bit_off + BTF_INT_OFFSET(data) + BTF_INT_BITS(data);
	} else {
		if (mt && bit_off % 8)
			return type_err(c, id, t, "member %u: offset %u bits not byte aligned", i,
					bit_off);
		end = bit_off + (uint64_t)size * 8;
	}
	if (size >= 0 && end > struct_bits)
		return type_err(c, id, t, "member %u: ends at bit %llu, past size %u", i,
				(unsigned long long)end, t->size);
	return 0;
}

static int check_composite(const struct check *c, uint32_t id, const struct btf_type *t)
{
	const struct btf_member *m = (const struct btf_member *)(t + 1);
	unsigned int i, n = BTF_INFO_VLEN(t->info), kflag = BTF_INFO_KFLAG(t->info);
	uint32_t prev = 0, bit_off;
	int err = 0;

	for (i = 0; i < n && !err; i++) {
		err = check_name(c, id, t, "member", i, m[i].name_off, NAME_IDENT);
		if (err)
			break;
		bit_off = kflag ? BTF_MEMBER_BIT_OFFSET(m[i].offset) : m[i].offset;
		/* The kernel wants a struct's members in offset order. */
		if (BTF_INFO_KIND(t->info) == BTF_KIND_STRUCT && bit_off < prev)
			return type_err(c, id, t, "member %u at bit %u before the previous one (%u)",
					i, bit_off, prev);
		prev = bit_off;
		err = check_member(c, id, t, i, bit_off,
				   kflag ? BTF_MEMBER_BITFIELD_SIZE(m[i].offset) : 0);
	}
	return err;
}

/* ENUM and ENUM64: the enumerators differ in size, each starts with its name_off. */
static int check_enum(const struct check *c, uint32_t id, const struct btf_type *t)
{
	size_t stride = BTF_INFO_KIND(t->info) == BTF_KIND_ENUM ? sizeof(struct btf_enum) :
				sizeof(struct btf_enum64);
	const uint8_t *e = (const uint8_t *)(t + 1);
	unsigned int i, n = BTF_INFO_VLEN(t->info);
	int err = 0;

	if (t->size != 1 && t->size != 2 && t->size != 4 && t->size != 8)
		return type_err(c, id, t, "size %u not 1, 2, 4 or 8", t->size);
	for (i = 0; i < n && !err; i++)
		err = check_name(c, id, t, "enumerator", i, *(const uint32_t *)(e + i * stride),
				 NAME_IDENT_SET);
	return err;
}

static int check_func(const struct check *c, uint32_t id, const struct btf_type *t)
{
	const struct btf_type *proto = local_type(c, t->type);

	if (BTF_INFO_VLEN(t->info) > BTF_FUNC_EXTERN)
		return type_err(c, id, t, "unknown linkage %u", BTF_INFO_VLEN(t->info));
	if (!t->type)
		return type_err(c, id, t, "type is void, must be a FUNC_PROTO");
	if (proto && BTF_INFO_KIND(proto->info) != BTF_KIND_FUNC_PROTO)
		return type_err(c, id, t, "type ID %u is %s, must be func_proto", t->type,
				kind_str(proto));
	return 0;
}

static int check_proto(const struct check *c, uint32_t id, const struct btf_type *t)
{
	const struct btf_param *p = (const struct btf_param *)(t + 1);
	unsigned int i, n = BTF_INFO_VLEN(t->info);
	int err;

	for (i = 0; i < n; i++) {
		err = check_name(c, id, t, "param", i, p[i].name_off, NAME_IDENT);
		if (err)
			return err;
		/* Only a last, unnamed param may be void: it means "...". */
		if (!p[i].type && (i + 1 < n || p[i].name_off))
			return type_err(c, id, t, "param %u has type void", i);
	}
	return 0;
}

static int check_var(const struct check *c, uint32_t id, const struct btf_type *t)
{
	const struct btf_var *v = (const struct btf_var *)(t + 1);

	if (v->linkage > BTF_VAR_GLOBAL_EXTERN)
		return type_err(c, id, t, "unknown linkage %u", v->linkage);
	if (!t->type)
		return type_err(c, id, t, "type is void");
	return 0;
}

/*
 * The kernel wants entries sorted by offset, not overlapping, non-empty and
 * inside the section. A size of 0 is what clang leaves in BPF objects before
 * libbpf fixes it up, so the section bound is checked only for a sized DATASEC.
 */
static int check_datasec(const struct check *c, uint32_t id, const struct btf_type *t)
{
	const struct btf_var_secinfo *v = (const struct btf_var_secinfo *)(t + 1);
	unsigned int i, n = BTF_INFO_VLEN(t->info);
	uint64_t last_end = 0;

	for (i = 0; i < n; i++) {
		const struct btf_type *vt = local_type(c, v[i].type);

		if (!v[i].type)
			return type_err(c, id, t, "entry %u has type void", i);
		if (vt && BTF_INFO_KIND(vt->info) != BTF_KIND_VAR &&
		    BTF_INFO_KIND(vt->info) != BTF_KIND_FUNC)
			return type_err(c, id, t, "entry %u is %s, not a var", i, kind_str(vt));
		if (!v[i].size)
			return type_err(c, id, t, "entry %u has size 0", i);
		if (v[i].offset < last_end)
			return type_err(c, id, t, "entry %u at offset %u overlaps the previous one", i,
					v[i].offset);
		last_end = (uint64_t)v[i].offset + v[i].size;
		if (t->size && last_end > t->size)
			return type_err(c, id, t, "entry %u (offset %u, size %u) past section size %u",
					i, v[i].offset, v[i].size, t->size);
	}
	return 0;
}

static int check_decl_tag(const struct check *c, uint32_t id, const struct btf_type *t)
{
	int idx = ((const struct btf_decl_tag *)(t + 1))->component_idx;
	const struct btf_type *target = local_type(c, t->type);
	unsigned int kind;

	if (idx < -1)
		return type_err(c, id, t, "component_idx %d < -1", idx);
	if (!t->type)
		return type_err(c, id, t, "target is void");
	if (idx == -1 || !target)
		return 0;
	kind = BTF_INFO_KIND(target->info);
	if (kind == BTF_KIND_FUNC)
		target = local_type(c, target->type);
	else if (kind != BTF_KIND_STRUCT && kind != BTF_KIND_UNION)
		return type_err(c, id, t, "component_idx %d on a %s", idx, kind_str(target));
	if (target && (unsigned int)idx >= BTF_INFO_VLEN(target->info))
		return type_err(c, id, t, "component_idx %d past the target's %u members/params",
				idx, BTF_INFO_VLEN(target->info));
	return 0;
}

/* Indexed by kind. kind_flag: the kinds that define it (TYPE/DECL_TAG: attributes). */
static const struct kind_rule kind_rules[] = {
	[BTF_KIND_INT]		= { "int",	  0, 1, NAME_ANY,	check_int },
	[BTF_KIND_PTR]		= { "ptr",	  0, 1, NAME_NONE,	NULL },
	[BTF_KIND_ARRAY]	= { "array",	  0, 1, NAME_NONE,	check_array },
	[BTF_KIND_STRUCT]	= { "struct",	  1, 0, NAME_IDENT,	check_composite },
	[BTF_KIND_UNION]	= { "union",	  1, 0, NAME_IDENT,	check_composite },
	[BTF_KIND_ENUM]		= { "enum",	  1, 0, NAME_IDENT,	check_enum },
	[BTF_KIND_FWD]		= { "fwd",	  1, 1, NAME_IDENT_SET,	check_fwd },
	[BTF_KIND_TYPEDEF]	= { "typedef",	  0, 1, NAME_IDENT_SET,	NULL },
	[BTF_KIND_VOLATILE]	= { "volatile",	  0, 1, NAME_NONE,	NULL },
	[BTF_KIND_CONST]	= { "const",	  0, 1, NAME_NONE,	NULL },
	[BTF_KIND_RESTRICT]	= { "restrict",	  0, 1, NAME_NONE,	NULL },
	[BTF_KIND_FUNC]		= { "func",	  0, 0, NAME_IDENT_SET,	check_func },
	[BTF_KIND_FUNC_PROTO]	= { "func_proto", 0, 0, NAME_NONE,	check_proto },
	[BTF_KIND_VAR]		= { "var",	  0, 1, NAME_IDENT_SET,	check_var },
	[BTF_KIND_DATASEC]	= { "datasec",	  0, 0, NAME_SET,	check_datasec },
	[BTF_KIND_FLOAT]	= { "float",	  0, 1, NAME_ANY,	check_float },
	[BTF_KIND_DECL_TAG]	= { "decl_tag",	  1, 1, NAME_SET,	check_decl_tag },
	[BTF_KIND_TYPE_TAG]	= { "type_tag",	  1, 1, NAME_SET,	NULL },
	[BTF_KIND_ENUM64]	= { "enum64",	  1, 0, NAME_IDENT,	check_enum },
};

static const struct kind_rule *rule_of(unsigned int kind)
{
	if (kind >= sizeof(kind_rules) / sizeof(kind_rules[0]) || !kind_rules[kind].name)
		return NULL;
	return &kind_rules[kind];
}

struct id_range {
	uint32_t limit;		/* first ID past the chain so far */
	uint32_t bad;
};

static int id_out_of_range(uint32_t *id, void *ctx)
{
	struct id_range *r = ctx;

	if (*id < r->limit)
		return 0;
	r->bad = *id;
	return 1;
}

static int check_type(const struct check *c, uint32_t id, struct btf_type *t)
{
	const struct kind_rule *r = rule_of(BTF_INFO_KIND(t->info));
	struct id_range range = { .limit = c->base_types + (uint32_t)c->nr };
	int err;

	if (t->info & ~INFO_MASK)
		return type_err(c, id, t, "reserved bits set in info 0x%08x", t->info);
	if (BTF_INFO_KFLAG(t->info) && !r->kflag_ok)
		return type_err(c, id, t, "kind_flag set, not allowed for this kind");
	if (BTF_INFO_VLEN(t->info) && r->vlen_zero)
		return type_err(c, id, t, "vlen %u, must be 0", BTF_INFO_VLEN(t->info));
	if (typeref__for_each(t, id_out_of_range, &range))
		return type_err(c, id, t, "refers to ID %u beyond this chain%s", range.bad,
				missing_base_hint(c));
	err = check_name(c, id, t, NULL, 0, t->name_off, r->name_rule);
	if (!err && r->check)
		err = r->check(c, id, t);
	return err;
}

/* Reads and checks the header into *@hdr in native order. Returns 1 if swapped, 0, -EINVAL. */
static int check_header(const struct check *c, const uint8_t *data, size_t size,
			struct btf_header *hdr)
{
	const size_t fixed = offsetof(struct btf_header, type_off);
	size_t i;
	int swapped;

	if (size < fixed)
		return layer_err(c, "truncated BTF header (%zu bytes)", size);
	memcpy(hdr, data, fixed);
	swapped = hdr->magic == bswap_16(BTF_MAGIC);
	if (hdr->magic != BTF_MAGIC && !swapped)
		return layer_err(c, "bad magic 0x%04x, not BTF", hdr->magic);
	if (swapped)
		hdr->hdr_len = bswap_32(hdr->hdr_len);
	if (hdr->version != BTF_VERSION)
		return layer_err(c, "unsupported BTF version %u", hdr->version);
	if (hdr->flags)
		return layer_err(c, "unsupported header flags 0x%x", hdr->flags);
	if (hdr->hdr_len < sizeof(*hdr) || hdr->hdr_len > size)
		return layer_err(c, "truncated BTF header (hdr_len %u, %zu bytes)", hdr->hdr_len,
				 size);
	/* The kernel takes a longer header of a newer format only if the rest is zero. */
	for (i = sizeof(*hdr); i < hdr->hdr_len; i++)
		if (data[i])
			return layer_err(c, "unsupported header: non-zero byte at %zu", i);
	memcpy(hdr, data, sizeof(*hdr));
	/* hdr_len and the four section fields are consecutive 32-bit words. */
	for (i = 0; swapped && i < 5; i++)
		(&hdr->hdr_len)[i] = bswap_32((&hdr->hdr_len)[i]);
	size -= hdr->hdr_len;
	if ((uint64_t)hdr->type_off + hdr->type_len > size)
		return layer_err(c, "type section (offset %u, %u bytes) past end of data (%zu bytes)",
				 hdr->type_off, hdr->type_len, size);
	if ((uint64_t)hdr->str_off + hdr->str_len > size)
		return layer_err(c, "string section (offset %u, %u bytes) past end of data (%zu bytes)",
				 hdr->str_off, hdr->str_len, size);
	if (hdr->type_off % 4)
		return layer_err(c, "type section offset %u not 4-byte aligned", hdr->type_off);
	if (hdr->type_len && hdr->str_len && hdr->type_off < hdr->str_off + hdr->str_len &&
	    hdr->str_off < hdr->type_off + hdr->type_len)
		return layer_err(c, "type and string sections overlap");
	return swapped;
}

static int check_strings(const struct check *c)
{
	if (is_root(c) && (!c->str_len || c->strs[0]))
		return layer_err(c, "string section does not start with '\\0': split BTF (is its base missing?)");
	if (c->str_len && c->strs[c->str_len - 1])
		return layer_err(c, "string section does not end with '\\0'");
	if (c->str_len > BTF_MAX_NAME_OFFSET + 1U ||
	    (uint64_t)c->base_str_len + c->str_len > UINT32_MAX)
		return layer_err(c, "string section too large (%u bytes)", c->str_len);
	return 0;
}

/* Copies the type section to c->types in native order and records each record's offset. */
static int walk_types(struct check *c, const uint8_t *sec, uint32_t len, int swapped)
{
	uint32_t pos = 0, *w, id;
	struct btf_type *t;
	long extra, i;

	c->types = malloc(len ? len : 1);
	if (!c->types)
		return -ENOMEM;
	memcpy(c->types, sec, len);
	while (pos < len) {
		id = c->base_types + (uint32_t)c->nr;
		if (len - pos < sizeof(*t))
			return layer_err(c, "type ID %u: record truncated at end of type section", id);
		t = (struct btf_type *)(c->types + pos);
		w = (uint32_t *)t;
		for (i = 0; swapped && i < 3; i++)
			w[i] = bswap_32(w[i]);
		extra = typeref__extra_size(t);
		if (extra < 0)
			return layer_err(c, "type ID %u (kind %u): unknown kind", id,
					 BTF_INFO_KIND(t->info));
		if ((uint64_t)extra > len - pos - sizeof(*t))
			return type_err(c, id, t, "vlen %u runs past end of type section",
					BTF_INFO_VLEN(t->info));
		/* Every kind's trailing data is a sequence of 32-bit words. */
		for (i = 0; swapped && i < extra / 4; i++)
			w[3 + i] = bswap_32(w[3 + i]);
		if (id > BTF_MAX_TYPE)
			return layer_err(c, "more than %u type IDs", BTF_MAX_TYPE);
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
	struct btf_type *t = (struct btf_type *)local_type(c, id);
	unsigned int kind = BTF_INFO_KIND(t->info);
	struct frame *f;

	if (vec__push_slot(stack, cap, *depth))
		return -ENOMEM;
	f = &(*stack)[(*depth)++];
	f->id = id;
	f->begin = f->next = edges->cnt;
	if (kind != BTF_KIND_STRUCT && kind != BTF_KIND_UNION && kind != BTF_KIND_FUNC_PROTO)
		typeref__for_each(t, collect_edge, edges);
	f->end = edges->cnt;
	return edges->err;
}

/*
 * Reference loops, the kernel's "Loop detected". The kernel resolves what a
 * struct, union or function prototype refers to lazily, so loops through
 * them are allowed (struct list_head { struct list_head *next; }). Any other
 * loop, e.g. a typedef or pointer to itself, has no size and makes recursive
 * walks run away. Depth-first walk of the layer's own types with three
 * colours, not following the edges of those three kinds. Lower layers cannot
 * point up, so no loop leaves the layer.
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
				err = type_err(c, f->id, local_type(c, f->id),
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
	struct check c = { .name = name ? name : "BTF", .d = d, .base_types = base_types,
			   .base_str_len = base_str_len };
	const uint8_t *bytes = data;
	struct btf_header hdr;
	int swapped, err;
	size_t i;

	if (!base_types || (!data && size))
		return layer_err(&c, "invalid arguments (base of %u types)", base_types);
	swapped = check_header(&c, bytes, size, &hdr);
	if (swapped < 0)
		return swapped;
	c.strs = (const char *)bytes + hdr.hdr_len + hdr.str_off;
	c.str_len = hdr.str_len;
	err = check_strings(&c);
	if (!err)
		err = walk_types(&c, bytes + hdr.hdr_len + hdr.type_off, hdr.type_len, swapped);
	for (i = 0; !err && i < c.nr; i++)
		err = check_type(&c, c.base_types + (uint32_t)i,
				 (struct btf_type *)(c.types + c.offs[i]));
	if (!err)
		err = check_loops(&c);
	free(c.types);
	free(c.offs);
	return err;
}
