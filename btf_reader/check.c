// SPDX-License-Identifier: GPL-2.0-only
/*
 * Offline structural check of one BTF layer (contract in reader.h).
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
 * Passes: (1) header and string section; (2) walk the type section into a
 * native-order copy, recording each record's offset, so that no later pass
 * reads past a record; (3) each record by itself; (4) reference loops, by a
 * depth-first walk of the layer's own reference graph.
 */
#include <byteswap.h>
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
#define KIND(t)		BTF_INFO_KIND((t)->info)
#define VLEN(t)		BTF_INFO_VLEN((t)->info)
#define KFLAG(t)	BTF_INFO_KFLAG((t)->info)

/* What a name must be: the kernel wants C identifiers where C has them. */
enum name_rule {
	NAME_ANY,	/* INT, FLOAT: "long unsigned int" */
	NAME_NONE,	/* modifiers, ARRAY, FUNC_PROTO */
	NAME_SET,	/* tags: non-empty */
	NAME_SECTION,	/* DATASEC: non-empty, no control characters */
	NAME_IDENT,	/* struct, union, enum, members, params: none or an identifier */
	NAME_IDENT_SET,	/* FWD, TYPEDEF, FUNC, VAR, enumerators: an identifier */
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

/* How a kind resolves to a size, as the kernel's btf_type_id_size(); sizeless ones last. */
enum kind_class {
	K_SIZED,	/* size in the record */
	K_REF,		/* typedef and modifiers: the size of what they refer to */
	K_PTR,		/* the target's pointer size, unknown offline */
	K_ARRAY,	/* element size times count */
	K_NOSIZE,	/* FWD, FUNC_PROTO: a type without size */
	K_NOTYPE,	/* FUNC, VAR, DATASEC, DECL_TAG: not the type of a value */
};

struct kind_rule {
	const char *name;
	unsigned char kflag_ok;
	unsigned char vlen_zero;
	unsigned char name_rule;
	unsigned char class;
	int (*check)(const struct check *c, uint32_t id, const struct btf_type *t);
};

static const struct kind_rule *rule_of(unsigned int kind);

static const char *kind_str(const struct btf_type *t)
{
	const struct kind_rule *r = rule_of(KIND(t));

	return r ? r->name : "unknown kind";
}

/* Types whose kind is known: every record passed walk_types(). */
static enum kind_class class_of(const struct btf_type *t)
{
	return rule_of(KIND(t))->class;
}

static int is_root(const struct check *c)
{
	return c->base_str_len == 0;
}

static const char *missing_base_hint(const struct check *c)
{
	return is_root(c) ? " (is its base missing?)" : " (built on another base?)";
}

/* One message "NAME: [type ID N (kind): ]what"; @t NULL for the layer itself. Returns -EINVAL. */
__attribute__((format(printf, 4, 5)))
static int fail(const struct check *c, uint32_t id, const struct btf_type *t, const char *fmt,
		...)
{
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (t)
		diag__err(c->d, "%s: type ID %u (%s): %s", c->name, id, kind_str(t), what);
	else
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

/*
 * The kernel's ctype is Latin-1: 0xc0-0xff are letters (but for 0xd7 and
 * 0xf7), 0xa0-0xff printable. It also takes '.' in identifiers (names that
 * compilers make, like "fn.isra.0").
 */
static int name_char_ok(unsigned char ch, int first, enum name_rule rule)
{
	if (rule == NAME_SECTION)
		return ch >= 0xa0 || (ch >= ' ' && ch < 0x7f);
	if (ch >= 0xc0)
		return ch != 0xd7 && ch != 0xf7;
	/* Not isalpha(): the locale must not change the verdict. */
	return ch == '_' || ch == '.' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (!first && ch >= '0' && ch <= '9');
}

/* Name at @off of the type itself, or of one of its parts (@part: "member 2: "). */
static int check_name(const struct check *c, uint32_t id, const struct btf_type *t,
		      const char *part, uint32_t off, enum name_rule rule)
{
	const char *s, *p;

	if ((uint64_t)off >= (uint64_t)c->base_str_len + c->str_len)
		return fail(c, id, t, "%sname offset %u beyond this chain's strings (%llu bytes)%s",
			    part, off, (unsigned long long)c->base_str_len + c->str_len,
			    missing_base_hint(c));
	if (rule == NAME_NONE && off)
		return fail(c, id, t, "%shas a name, must be anonymous", part);
	/* Lower layers' strings cannot be looked at; offset 0 is the empty string. */
	if (rule == NAME_ANY || rule == NAME_NONE || (off && off < c->base_str_len))
		return 0;
	s = off ? c->strs + (off - c->base_str_len) : "";
	if (!*s && off)
		return fail(c, id, t, "%sname offset %u is an empty string", part, off);
	if (!*s && rule != NAME_IDENT)
		return fail(c, id, t, "%shas no name", part);
	for (p = s; *p && rule != NAME_SET; p++)
		if (!name_char_ok(*p, p == s, rule))
			return fail(c, id, t, "%sinvalid name \"%.64s\"", part, s);
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
	const struct btf_array *a;
	long long elem;

	*last = NULL;
	for (; depth < RESOLVE_DEPTH; depth++) {
		t = local_type(c, id);
		if (!t)
			return -1;
		*last = t;
		switch (class_of(t)) {
		case K_REF:
			id = t->type;
			continue;
		case K_SIZED:
			return t->size;
		case K_ARRAY:
			a = (const struct btf_array *)(t + 1);
			elem = resolve(c, a->type, depth + 1, &elem_type);
			if (elem < 0 || (elem && a->nelems > UINT32_MAX / elem))
				return -1;
			return elem * a->nelems;
		default:
			return -1;
		}
	}
	return -1;
}

/* @ref, the type of a member, element, argument or variable, has a size (or is void, @void_ok). */
static int check_sized(const struct check *c, uint32_t id, const struct btf_type *t,
		       const char *what, uint32_t ref, int void_ok)
{
	const struct btf_type *r;

	if (!ref)
		return void_ok ? 0 : fail(c, id, t, "%s is void", what);
	resolve(c, ref, 0, &r);
	if (r && class_of(r) >= K_NOSIZE)
		return fail(c, id, t, "%s: type ID %u is %s, which has no size", what, ref,
			    kind_str(r));
	return 0;
}

/* As the kernel's btf_type_int_is_regular(): what kind_flag bitfields and arrays may use. */
static int int_is_regular(const struct btf_type *t)
{
	uint32_t data = *(const uint32_t *)(t + 1), bits = BTF_INT_BITS(data);

	return !BTF_INT_OFFSET(data) && !(bits % 8) &&
	       (bits == 8 || bits == 16 || bits == 32 || bits == 64 || bits == 128);
}

static int check_int(const struct check *c, uint32_t id, const struct btf_type *t)
{
	uint32_t data = *(const uint32_t *)(t + 1);
	uint32_t bits = BTF_INT_BITS(data), off = BTF_INT_OFFSET(data);
	uint32_t enc = BTF_INT_ENCODING(data);

	if (data & ~INT_DATA_MASK)
		return fail(c, id, t, "reserved bits set in int data 0x%08x", data);
	if (t->size != 1 && t->size != 2 && t->size != 4 && t->size != 8 && t->size != 16)
		return fail(c, id, t, "size %u not 1, 2, 4, 8 or 16", t->size);
	if (bits > 128)
		return fail(c, id, t, "nr_bits %u exceeds 128", bits);
	if (off + bits > t->size * 8)
		return fail(c, id, t, "offset %u + nr_bits %u exceeds size %u*8", off, bits,
			    t->size);
	if (enc && enc != BTF_INT_SIGNED && enc != BTF_INT_CHAR && enc != BTF_INT_BOOL)
		return fail(c, id, t, "unsupported encoding 0x%x", enc);
	return 0;
}

static int check_float(const struct check *c, uint32_t id, const struct btf_type *t)
{
	if (t->size != 2 && t->size != 4 && t->size != 8 && t->size != 12 && t->size != 16)
		return fail(c, id, t, "size %u not 2, 4, 8, 12 or 16", t->size);
	return 0;
}

static int check_fwd(const struct check *c, uint32_t id, const struct btf_type *t)
{
	if (t->type)
		return fail(c, id, t, "size/type field %u, must be 0", t->type);
	return 0;
}

/* PTR, TYPEDEF, modifiers, TYPE_TAG: to a type (the kernel lets a FUNC pass), not a variable. */
static int check_ref(const struct check *c, uint32_t id, const struct btf_type *t)
{
	const struct btf_type *target = local_type(c, t->type);

	if (target && KIND(target) != BTF_KIND_FUNC && class_of(target) == K_NOTYPE)
		return fail(c, id, t, "type ID %u is %s", t->type, kind_str(target));
	return 0;
}

static int check_array(const struct check *c, uint32_t id, const struct btf_type *t)
{
	const struct btf_array *a = (const struct btf_array *)(t + 1);
	const struct btf_type *index, *elem;
	long long elem_size;

	if (t->size)
		return fail(c, id, t, "size %u, must be 0", t->size);
	if (!a->index_type)
		return fail(c, id, t, "no index type");
	resolve(c, a->index_type, 0, &index);
	if (index && KIND(index) != BTF_KIND_INT)
		return fail(c, id, t, "index type ID %u is %s, not an int", a->index_type,
			    kind_str(index));
	elem_size = resolve(c, a->type, 0, &elem);
	if (elem && KIND(elem) == BTF_KIND_INT && !int_is_regular(elem))
		return fail(c, id, t, "array of an irregular int (bit offset or size)");
	if (elem_size > 0 && a->nelems > UINT32_MAX / elem_size)
		return fail(c, id, t, "%u elements of %lld bytes overflow 32 bits", a->nelems,
			    elem_size);
	return check_sized(c, id, t, "element type", a->type, 0);
}

/*
 * Member @i at @bit_off, a kind_flag bitfield of @bits if non-zero: of a
 * sized type, inside the struct, a bitfield of an int or enum narrow enough.
 */
static int check_member(const struct check *c, uint32_t id, const struct btf_type *t,
			unsigned int i, uint32_t bit_off, uint32_t bits)
{
	const struct btf_member *m = (const struct btf_member *)(t + 1) + i;
	uint64_t struct_bits = (uint64_t)t->size * 8, end;
	unsigned int kind = BTF_KIND_UNKN;
	const struct btf_type *mt;
	char what[32];
	long long size;
	int err;

	snprintf(what, sizeof(what), "member %u", i);
	err = check_sized(c, id, t, what, m->type, 0);
	if (err)
		return err;
	if (KIND(t) == BTF_KIND_UNION && bit_off)
		return fail(c, id, t, "member %u at bit %u of a union", i, bit_off);
	size = resolve(c, m->type, 0, &mt);
	if (mt)
		kind = KIND(mt);
	if (kind == BTF_KIND_INT && KFLAG(t) && !int_is_regular(mt))
		return fail(c, id, t, "member %u: kind_flag member of an irregular int", i);
	if (bits) {
		if (mt && kind != BTF_KIND_INT && kind != BTF_KIND_ENUM && kind != BTF_KIND_ENUM64)
			return fail(c, id, t, "member %u: bitfield of a %s", i, kind_str(mt));
		if (bits > 128 || (size >= 0 && bits > size * 8))
			return fail(c, id, t, "member %u: bitfield of %u bits too wide", i, bits);
		end = (uint64_t)bit_off + bits;
	} else if (mt && bit_off % 8 && (kind != BTF_KIND_INT || KFLAG(t))) {
		return fail(c, id, t, "member %u: offset %u bits not byte aligned", i, bit_off);
	} else if (kind == BTF_KIND_INT) {
		/* The INT says which bits: without kind_flag it may be a bitfield itself. */
		uint32_t data = *(const uint32_t *)(mt + 1);

		end = (uint64_t)bit_off + BTF_INT_OFFSET(data) + BTF_INT_BITS(data);
	} else {
		end = size >= 0 ? bit_off + (uint64_t)size * 8 : bit_off;
	}
	if (end > struct_bits)
		return fail(c, id, t, "member %u: ends at bit %llu, past size %u", i,
			    (unsigned long long)end, t->size);
	return 0;
}

static int check_composite(const struct check *c, uint32_t id, const struct btf_type *t)
{
	const struct btf_member *m = (const struct btf_member *)(t + 1);
	unsigned int i, n = VLEN(t), kflag = KFLAG(t);
	uint32_t prev = 0, bit_off;
	char part[32];
	int err = 0;

	for (i = 0; i < n && !err; i++) {
		snprintf(part, sizeof(part), "member %u: ", i);
		err = check_name(c, id, t, part, m[i].name_off, NAME_IDENT);
		if (err)
			break;
		bit_off = kflag ? BTF_MEMBER_BIT_OFFSET(m[i].offset) : m[i].offset;
		/* The kernel wants a struct's members in offset order. */
		if (bit_off < prev)
			return fail(c, id, t, "member %u at bit %u before the previous one (%u)",
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
	size_t stride = KIND(t) == BTF_KIND_ENUM ? sizeof(struct btf_enum) :
			sizeof(struct btf_enum64);
	const uint8_t *e = (const uint8_t *)(t + 1);
	unsigned int i, n = VLEN(t);
	char part[32];
	int err = 0;

	if (t->size != 1 && t->size != 2 && t->size != 4 && t->size != 8)
		return fail(c, id, t, "size %u not 1, 2, 4 or 8", t->size);
	for (i = 0; i < n && !err; i++) {
		snprintf(part, sizeof(part), "enumerator %u: ", i);
		err = check_name(c, id, t, part, *(const uint32_t *)(e + i * stride),
				 NAME_IDENT_SET);
	}
	return err;
}

/* A FUNC's prototype names every argument (the kernel's btf_func_check()). */
static int check_func(const struct check *c, uint32_t id, const struct btf_type *t)
{
	const struct btf_type *proto = local_type(c, t->type);
	const struct btf_param *p;
	unsigned int i;

	if (VLEN(t) > BTF_FUNC_EXTERN)
		return fail(c, id, t, "unknown linkage %u", VLEN(t));
	if (!t->type)
		return fail(c, id, t, "type is void, must be a FUNC_PROTO");
	if (!proto)
		return 0;
	if (KIND(proto) != BTF_KIND_FUNC_PROTO)
		return fail(c, id, t, "type ID %u is %s, must be func_proto", t->type,
			    kind_str(proto));
	p = (const struct btf_param *)(proto + 1);
	for (i = 0; i < VLEN(proto); i++)
		if (p[i].type && !p[i].name_off)
			return fail(c, id, t, "param %u has no name", i);
	return 0;
}

static int check_proto(const struct check *c, uint32_t id, const struct btf_type *t)
{
	const struct btf_param *p = (const struct btf_param *)(t + 1);
	unsigned int i, n = VLEN(t);
	char part[32];
	int err = check_sized(c, id, t, "return type", t->type, 1);

	for (i = 0; i < n && !err; i++) {
		snprintf(part, sizeof(part), "param %u: ", i);
		err = check_name(c, id, t, part, p[i].name_off, NAME_IDENT);
		/* Only a last, unnamed param may be void: it means "...". */
		if (!err && (p[i].type || i + 1 < n || p[i].name_off)) {
			snprintf(part, sizeof(part), "param %u", i);
			err = check_sized(c, id, t, part, p[i].type, 0);
		}
	}
	return err;
}

static int check_var(const struct check *c, uint32_t id, const struct btf_type *t)
{
	const struct btf_var *v = (const struct btf_var *)(t + 1);

	if (v->linkage > BTF_VAR_GLOBAL_EXTERN)
		return fail(c, id, t, "unknown linkage %u", v->linkage);
	return check_sized(c, id, t, "type", t->type, 0);
}

/*
 * The kernel wants entries sorted by offset, not overlapping, non-empty, as
 * large as their variable and inside the section. A size of 0 is what clang
 * leaves in BPF objects before libbpf fixes it up, so the section bound is
 * checked only for a sized DATASEC; FUNC entries (BPF objects' .ksyms) pass.
 */
static int check_datasec(const struct check *c, uint32_t id, const struct btf_type *t)
{
	const struct btf_var_secinfo *v = (const struct btf_var_secinfo *)(t + 1);
	unsigned int i, n = VLEN(t);
	const struct btf_type *vt, *type;
	uint64_t last_end = 0;

	for (i = 0; i < n; i++) {
		vt = local_type(c, v[i].type);
		if (!v[i].type)
			return fail(c, id, t, "entry %u has type void", i);
		if (vt && KIND(vt) != BTF_KIND_VAR && KIND(vt) != BTF_KIND_FUNC)
			return fail(c, id, t, "entry %u is %s, not a var", i, kind_str(vt));
		if (!v[i].size || (vt && KIND(vt) == BTF_KIND_VAR &&
				   resolve(c, vt->type, 0, &type) > (long long)v[i].size))
			return fail(c, id, t, "entry %u: size %u smaller than its var", i,
				    v[i].size);
		if (v[i].offset < last_end)
			return fail(c, id, t, "entry %u at offset %u overlaps the previous one", i,
				    v[i].offset);
		last_end = (uint64_t)v[i].offset + v[i].size;
		if (t->size && last_end > t->size)
			return fail(c, id, t, "entry %u (offset %u, size %u) past section size %u",
				    i, v[i].offset, v[i].size, t->size);
	}
	return 0;
}

static int check_decl_tag(const struct check *c, uint32_t id, const struct btf_type *t)
{
	int idx = ((const struct btf_decl_tag *)(t + 1))->component_idx;
	const struct btf_type *target = local_type(c, t->type);

	if (idx < -1)
		return fail(c, id, t, "component_idx %d < -1", idx);
	if (!t->type)
		return fail(c, id, t, "target is void");
	if (idx == -1 || !target)
		return 0;
	if (KIND(target) == BTF_KIND_FUNC)
		target = local_type(c, target->type);
	else if (KIND(target) != BTF_KIND_STRUCT && KIND(target) != BTF_KIND_UNION)
		return fail(c, id, t, "component_idx %d on a %s", idx, kind_str(target));
	if (target && (unsigned int)idx >= VLEN(target))
		return fail(c, id, t, "component_idx %d past the target's %u members/params",
			    idx, VLEN(target));
	return 0;
}

/*
 * Indexed by kind: name, kind_flag allowed (TYPE/DECL_TAG: attributes), vlen
 * must be 0, name rule, size class, per-kind check.
 */
static const struct kind_rule kind_rules[] = {
	[BTF_KIND_INT]	     = { "int",	       0, 1, NAME_ANY,	     K_SIZED,  check_int },
	[BTF_KIND_PTR]	     = { "ptr",	       0, 1, NAME_NONE,	     K_PTR,    check_ref },
	[BTF_KIND_ARRAY]     = { "array",      0, 1, NAME_NONE,	     K_ARRAY,  check_array },
	[BTF_KIND_STRUCT]    = { "struct",     1, 0, NAME_IDENT,     K_SIZED,  check_composite },
	[BTF_KIND_UNION]     = { "union",      1, 0, NAME_IDENT,     K_SIZED,  check_composite },
	[BTF_KIND_ENUM]	     = { "enum",       1, 0, NAME_IDENT,     K_SIZED,  check_enum },
	[BTF_KIND_FWD]	     = { "fwd",	       1, 1, NAME_IDENT_SET, K_NOSIZE, check_fwd },
	[BTF_KIND_TYPEDEF]   = { "typedef",    0, 1, NAME_IDENT_SET, K_REF,    check_ref },
	[BTF_KIND_VOLATILE]  = { "volatile",   0, 1, NAME_NONE,	     K_REF,    check_ref },
	[BTF_KIND_CONST]     = { "const",      0, 1, NAME_NONE,	     K_REF,    check_ref },
	[BTF_KIND_RESTRICT]  = { "restrict",   0, 1, NAME_NONE,	     K_REF,    check_ref },
	[BTF_KIND_FUNC]	     = { "func",       0, 0, NAME_IDENT_SET, K_NOTYPE, check_func },
	[BTF_KIND_FUNC_PROTO] = { "func_proto", 0, 0, NAME_NONE,     K_NOSIZE, check_proto },
	[BTF_KIND_VAR]	     = { "var",	       0, 1, NAME_IDENT_SET, K_NOTYPE, check_var },
	[BTF_KIND_DATASEC]   = { "datasec",    0, 0, NAME_SECTION,   K_NOTYPE, check_datasec },
	[BTF_KIND_FLOAT]     = { "float",      0, 1, NAME_ANY,	     K_SIZED,  check_float },
	[BTF_KIND_DECL_TAG]  = { "decl_tag",   1, 1, NAME_SET,	     K_NOTYPE, check_decl_tag },
	[BTF_KIND_TYPE_TAG]  = { "type_tag",   1, 1, NAME_SET,	     K_REF,    check_ref },
	[BTF_KIND_ENUM64]    = { "enum64",     1, 0, NAME_IDENT,     K_SIZED,  check_enum },
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
	const struct kind_rule *r = rule_of(KIND(t));
	struct id_range range = { .limit = c->base_types + (uint32_t)c->nr };
	int err;

	if (t->info & ~INFO_MASK)
		return fail(c, id, t, "reserved bits set in info 0x%08x", t->info);
	if (KFLAG(t) && !r->kflag_ok)
		return fail(c, id, t, "kind_flag set, not allowed for this kind");
	if (VLEN(t) && r->vlen_zero)
		return fail(c, id, t, "vlen %u, must be 0", VLEN(t));
	if (typeref__for_each(t, id_out_of_range, &range))
		return fail(c, id, t, "refers to ID %u beyond this chain%s", range.bad,
			    missing_base_hint(c));
	err = check_name(c, id, t, "", t->name_off, r->name_rule);
	if (!err && r->check)
		err = r->check(c, id, t);
	return err;
}

/* Reads and checks the header into *@hdr in native order. Returns 1 if swapped, 0, -EINVAL. */
static int check_header(const struct check *c, const uint8_t *data, size_t size,
			struct btf_header *hdr)
{
	const size_t fixed = offsetof(struct btf_header, type_off);
	uint32_t off[2], len[2], total = 0;
	size_t i;
	int swapped;

	if (size < fixed)
		return fail(c, 0, NULL, "truncated BTF header (%zu bytes)", size);
	memcpy(hdr, data, fixed);
	swapped = hdr->magic == bswap_16(BTF_MAGIC);
	if (hdr->magic != BTF_MAGIC && !swapped)
		return fail(c, 0, NULL, "bad magic 0x%04x, not BTF", hdr->magic);
	if (swapped)
		hdr->hdr_len = bswap_32(hdr->hdr_len);
	if (hdr->version != BTF_VERSION)
		return fail(c, 0, NULL, "unsupported BTF version %u", hdr->version);
	if (hdr->flags)
		return fail(c, 0, NULL, "unsupported header flags 0x%x", hdr->flags);
	if (hdr->hdr_len < sizeof(*hdr) || hdr->hdr_len > size)
		return fail(c, 0, NULL, "truncated BTF header (hdr_len %u, %zu bytes)",
			    hdr->hdr_len, size);
	/* The kernel takes a longer header of a newer format only if the rest is zero. */
	for (i = sizeof(*hdr); i < hdr->hdr_len; i++)
		if (data[i])
			return fail(c, 0, NULL, "unsupported header: non-zero byte at %zu", i);
	memcpy(hdr, data, sizeof(*hdr));
	/* hdr_len and the four section fields are consecutive 32-bit words. */
	for (i = 0; swapped && i < 5; i++)
		(&hdr->hdr_len)[i] = bswap_32((&hdr->hdr_len)[i]);
	size -= hdr->hdr_len;
	if ((uint64_t)hdr->type_off + hdr->type_len > size)
		return fail(c, 0, NULL, "type section (%u bytes at %u) past end of data (%zu)",
			    hdr->type_len, hdr->type_off, size);
	if ((uint64_t)hdr->str_off + hdr->str_len > size)
		return fail(c, 0, NULL, "string section (%u bytes at %u) past end of data (%zu)",
			    hdr->str_len, hdr->str_off, size);
	if (hdr->type_off % 4)
		return fail(c, 0, NULL, "type section offset %u not 4-byte aligned", hdr->type_off);
	/* As btf_check_sec_info(): the two sections tile the data, in either order. */
	i = hdr->str_off < hdr->type_off;
	off[i] = hdr->type_off;
	len[i] = hdr->type_len;
	off[!i] = hdr->str_off;
	len[!i] = hdr->str_len;
	for (i = 0; i < 2; i++) {
		if (off[i] != total)
			return fail(c, 0, NULL, off[i] < total ? "type and string sections overlap"
				    : "gap of unknown data before offset %u", total);
		total += len[i];
	}
	if (total != size)
		return fail(c, 0, NULL, "%zu bytes of unknown data after the sections",
			    size - total);
	return swapped;
}

static int check_strings(const struct check *c)
{
	if (is_root(c) && (!c->str_len || c->strs[0]))
		return fail(c, 0, NULL, "string section does not start with '\\0': "
			    "split BTF (is its base missing?)");
	if (c->str_len && c->strs[c->str_len - 1])
		return fail(c, 0, NULL, "string section does not end with '\\0'");
	if (c->str_len > BTF_MAX_NAME_OFFSET + 1U ||
	    (uint64_t)c->base_str_len + c->str_len > UINT32_MAX)
		return fail(c, 0, NULL, "string section too large (%u bytes)", c->str_len);
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
			return fail(c, 0, NULL, "type ID %u: record cut off by end of data", id);
		t = (struct btf_type *)(c->types + pos);
		w = (uint32_t *)t;
		for (i = 0; swapped && i < 3; i++)
			w[i] = bswap_32(w[i]);
		extra = typeref__extra_size(t);
		if (extra < 0)
			return fail(c, 0, NULL, "type ID %u (kind %u): unknown kind", id, KIND(t));
		if ((uint64_t)extra > len - pos - sizeof(*t))
			return fail(c, id, t, "vlen %u runs past end of type section", VLEN(t));
		/* Every kind's trailing data is a sequence of 32-bit words. */
		for (i = 0; swapped && i < extra / 4; i++)
			w[3 + i] = bswap_32(w[3 + i]);
		if (id > BTF_MAX_TYPE)
			return fail(c, 0, NULL, "more than %u type IDs", BTF_MAX_TYPE);
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
	const struct btf_type *pointee = NULL;
	struct frame *f;

	if (vec__push_slot(stack, cap, *depth))
		return -ENOMEM;
	f = &(*stack)[(*depth)++];
	f->id = id;
	f->begin = f->next = edges->cnt;
	if (KIND(t) == BTF_KIND_PTR)
		resolve(c, t->type, 0, &pointee);
	if (KIND(t) != BTF_KIND_FUNC_PROTO && !(KIND(t) == BTF_KIND_PTR && pointee &&
	    (KIND(pointee) == BTF_KIND_STRUCT || KIND(pointee) == BTF_KIND_UNION)))
		typeref__for_each(t, collect_edge, edges);
	f->end = edges->cnt;
	return edges->err;
}

/*
 * Reference loops, the kernel's "Loop detected". The kernel resolves a
 * pointer to a struct or union, and a function prototype, lazily, so loops
 * through them are allowed (struct list_head { struct list_head *next; }).
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
				err = fail(c, f->id, local_type(c, f->id),
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
		return fail(&c, 0, NULL, "invalid arguments (base of %u types)", base_types);
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
