// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-kind rules of reader__check() (contract in reader.h, shared state in
 * check_int.h): one table row per BTF kind, and for each kind the function
 * that checks what its record holds, after the kernel's check_meta
 * callbacks and the resolve-pass rules one layer allows (member, element,
 * argument and variable types, FUNC argument names).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/btf.h>

#include "btf_reader/check_int.h"
#include "btf_reader/format.h"
#include "btf_reader/typeref.h"

/* Bits of an INT's data word the kernel allows (bits 8-15 are unused but tolerated). */
#define INT_DATA_MASK	0x0fffffffU
/* libbpf's MAX_RESOLVE_DEPTH: longer chains of modifiers are refused by libbpf too. */
#define RESOLVE_DEPTH	32

/* How a kind resolves to a size, as the kernel's btf_type_id_size(); sizeless ones last. */
enum kind_class {
	K_SIZED,	/* size in the record */
	K_REF,		/* typedef and modifiers: the size of what they refer to */
	K_PTR,		/* the target's pointer size, unknown offline */
	K_ARRAY,	/* element size times count */
	K_UNKNOWN,	/* a kind btfenc does not know: nothing can be said */
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

const char *check__kind_str(const struct btf_type *t)
{
	const struct kind_rule *r = rule_of(KIND(t));

	return r ? r->name : format__kind_number(KIND(t));
}

static enum kind_class class_of(const struct btf_type *t)
{
	const struct kind_rule *r = rule_of(KIND(t));

	return r ? r->class : K_UNKNOWN;
}

static long long resolve_walk(const struct check *c, uint32_t id, int depth,
			      const struct btf_type **last);

long long check__resolve(const struct check *c, uint32_t id, int depth,
			 const struct btf_type **last)
{
	struct check_size *memo = NULL;
	long long size;

	if (!depth && c->sizes && id >= c->base_types && id - c->base_types < c->nr) {
		memo = &c->sizes[id - c->base_types];
		if (memo->size != SIZE_UNKNOWN) {
			*last = memo->last;
			return memo->size;
		}
	}
	size = resolve_walk(c, id, depth, last);
	if (memo) {
		memo->size = size;
		memo->last = *last;
	}
	return size;
}

/* check__resolve() without the memo. */
static long long resolve_walk(const struct check *c, uint32_t id, int depth,
			      const struct btf_type **last)
{
	const struct btf_type *t, *elem_type;
	const struct btf_array *a;
	long long elem;

	*last = NULL;
	for (; depth < RESOLVE_DEPTH; depth++) {
		t = check__local_type(c, id);
		if (!t || class_of(t) == K_UNKNOWN)
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
			elem = check__resolve(c, a->type, depth + 1, &elem_type);
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
/*
 * "<prefix><i><suffix>" into @buf (32 bytes): labels for messages, built for
 * every member checked, so without printf's cost.
 */
static const char *label(char *buf, const char *prefix, unsigned int i, const char *suffix)
{
	char digits[12];
	int n = 0;
	size_t len;

	do {
		digits[n++] = (char)('0' + i % 10);
		i /= 10;
	} while (i);
	len = strlen(prefix);
	memcpy(buf, prefix, len);
	while (n)
		buf[len++] = digits[--n];
	strcpy(buf + len, suffix);
	return buf;
}

static int check_sized(const struct check *c, uint32_t id, const struct btf_type *t,
		       const char *what, uint32_t ref, int void_ok)
{
	const struct btf_type *r;

	if (!ref)
		return void_ok ? 0 : check__fail(c, id, t, "%s is void", what);
	check__resolve(c, ref, 0, &r);
	if (r && class_of(r) >= K_NOSIZE)
		return check__fail(c, id, t, "%s: type ID %u is %s, which has no size", what, ref,
				   check__kind_str(r));
	return 0;
}

/* check_sized() for part @i ("member 3"), the label made only for a message. */
static int check_sized_at(const struct check *c, uint32_t id, const struct btf_type *t,
			  const char *prefix, unsigned int i, uint32_t ref)
{
	const struct btf_type *r;
	char what[32];

	if (ref) {
		check__resolve(c, ref, 0, &r);
		if (!r || class_of(r) < K_NOSIZE)
			return 0;
	}
	return check_sized(c, id, t, label(what, prefix, i, ""), ref, 0);
}

/* check__name() for part @i ("member 3: "), the label made only for a message. */
static int check_name_at(const struct check *c, uint32_t id, const struct btf_type *t,
			 const char *prefix, unsigned int i, uint32_t off, enum name_rule rule)
{
	char part[32];

	if (check__name_ok(c, off, rule))
		return 0;
	return check__name(c, id, t, label(part, prefix, i, ": "), off, rule);
}

static int check_int(const struct check *c, uint32_t id, const struct btf_type *t)
{
	uint32_t data = *(const uint32_t *)(t + 1);
	uint32_t bits = BTF_INT_BITS(data), off = BTF_INT_OFFSET(data);
	uint32_t enc = BTF_INT_ENCODING(data);

	if (data & ~INT_DATA_MASK)
		return check__fail(c, id, t, "reserved bits set in int data 0x%08x", data);
	/* The kernel's rule (btf_int_check_meta): any size that holds the bits. */
	if (bits > 128 || off + bits > 128)
		return check__fail(c, id, t, "nr_bits %u (at offset %u) exceeds 128", bits, off);
	if ((uint64_t)off + bits > (uint64_t)t->size * 8)
		return check__fail(c, id, t, "offset %u + nr_bits %u exceeds size %u*8", off, bits,
				   t->size);
	if (enc && enc != BTF_INT_SIGNED && enc != BTF_INT_CHAR && enc != BTF_INT_BOOL)
		return check__fail(c, id, t, "unsupported encoding 0x%x", enc);
	return 0;
}

static int check_float(const struct check *c, uint32_t id, const struct btf_type *t)
{
	if (t->size != 2 && t->size != 4 && t->size != 8 && t->size != 12 && t->size != 16)
		return check__fail(c, id, t, "size %u not 2, 4, 8, 12 or 16", t->size);
	return 0;
}

static int check_fwd(const struct check *c, uint32_t id, const struct btf_type *t)
{
	if (t->type)
		return check__fail(c, id, t, "size/type field %u, must be 0", t->type);
	return 0;
}

/* PTR, TYPEDEF, modifiers, TYPE_TAG: to a type (the kernel lets a FUNC pass), not a variable. */
static int check_ref(const struct check *c, uint32_t id, const struct btf_type *t)
{
	const struct btf_type *target = check__local_type(c, t->type);

	if (target && KIND(target) != BTF_KIND_FUNC && class_of(target) == K_NOTYPE)
		return check__fail(c, id, t, "type ID %u is %s", t->type, check__kind_str(target));
	return 0;
}

static int check_array(const struct check *c, uint32_t id, const struct btf_type *t)
{
	const struct btf_array *a = (const struct btf_array *)(t + 1);
	const struct btf_type *index, *elem;
	long long elem_size;

	if (t->size)
		return check__fail(c, id, t, "size %u, must be 0", t->size);
	if (!a->index_type)
		return check__fail(c, id, t, "no index type");
	check__resolve(c, a->index_type, 0, &index);
	if (index && KIND(index) != BTF_KIND_INT)
		return check__fail(c, id, t, "index type ID %u is %s, not an int", a->index_type,
				   check__kind_str(index));
	elem_size = check__resolve(c, a->type, 0, &elem);
	if (elem && KIND(elem) == BTF_KIND_INT && !check__int_is_regular(elem))
		return check__fail(c, id, t, "array of an irregular int (bit offset or size)");
	if (elem_size > 0 && a->nelems > UINT32_MAX / elem_size)
		return check__fail(c, id, t, "%u elements of %lld bytes overflow 32 bits",
				   a->nelems, elem_size);
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
	long long size;
	int err;

	err = check_sized_at(c, id, t, "member ", i, m->type);
	if (err)
		return err;
	if (KIND(t) == BTF_KIND_UNION && bit_off)
		return check__fail(c, id, t, "member %u at bit %u of a union", i, bit_off);
	size = check__resolve(c, m->type, 0, &mt);
	if (mt)
		kind = KIND(mt);
	if (kind == BTF_KIND_INT && KFLAG(t) && !check__int_is_regular(mt))
		return check__fail(c, id, t, "member %u: kind_flag member of an irregular int", i);
	if (bits) {
		if (mt && kind != BTF_KIND_INT && kind != BTF_KIND_ENUM && kind != BTF_KIND_ENUM64)
			return check__fail(c, id, t, "member %u: bitfield of a %s", i,
					   check__kind_str(mt));
		if (bits > 128 || (size >= 0 && bits > size * 8))
			return check__fail(c, id, t, "member %u: bitfield of %u bits too wide", i,
					   bits);
		end = (uint64_t)bit_off + bits;
	} else if (mt && bit_off % 8 && (kind != BTF_KIND_INT || KFLAG(t))) {
		return check__fail(c, id, t, "member %u: offset %u bits not byte aligned", i,
				   bit_off);
	} else if (kind == BTF_KIND_INT) {
		/* The INT says which bits: without kind_flag it may be a bitfield itself. */
		uint32_t data = *(const uint32_t *)(mt + 1);

		end = (uint64_t)bit_off + BTF_INT_OFFSET(data) + BTF_INT_BITS(data);
	} else {
		end = size >= 0 ? bit_off + (uint64_t)size * 8 : bit_off;
	}
	if (end > struct_bits)
		return check__fail(c, id, t, "member %u: ends at bit %llu, past size %u", i,
				   (unsigned long long)end, t->size);
	return 0;
}

static int check_composite(const struct check *c, uint32_t id, const struct btf_type *t)
{
	const struct btf_member *m = (const struct btf_member *)(t + 1);
	unsigned int i, n = VLEN(t), kflag = KFLAG(t);
	uint32_t prev = 0, bit_off;
	int err = 0;

	for (i = 0; i < n && !err; i++) {
		err = check_name_at(c, id, t, "member ", i, m[i].name_off, NAME_IDENT);
		if (err)
			break;
		bit_off = kflag ? BTF_MEMBER_BIT_OFFSET(m[i].offset) : m[i].offset;
		/* The kernel wants a struct's members in offset order. */
		if (bit_off < prev)
			return check__fail(c, id, t,
					   "member %u at bit %u before the previous one (%u)", i,
					   bit_off, prev);
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
	int err = 0;

	if (t->size != 1 && t->size != 2 && t->size != 4 && t->size != 8)
		return check__fail(c, id, t, "size %u not 1, 2, 4 or 8", t->size);
	for (i = 0; i < n && !err; i++) {
		err = check_name_at(c, id, t, "enumerator ", i, *(const uint32_t *)(e + i * stride),
				    NAME_IDENT_SET);
	}
	return err;
}

/* A FUNC's prototype names every argument (the kernel's btf_func_check()). */
static int check_func(const struct check *c, uint32_t id, const struct btf_type *t)
{
	const struct btf_type *proto = check__local_type(c, t->type);
	const struct btf_param *p;
	unsigned int i;

	if (VLEN(t) > BTF_FUNC_EXTERN)
		return check__fail(c, id, t, "unknown linkage %u", VLEN(t));
	if (!t->type)
		return check__fail(c, id, t, "type is void, must be a FUNC_PROTO");
	if (!proto)
		return 0;
	if (KIND(proto) != BTF_KIND_FUNC_PROTO)
		return check__fail(c, id, t, "type ID %u is %s, must be func_proto", t->type,
				   check__kind_str(proto));
	p = (const struct btf_param *)(proto + 1);
	for (i = 0; i < VLEN(proto); i++)
		if (p[i].type && !p[i].name_off)
			return check__fail(c, id, t, "param %u has no name", i);
	return 0;
}

static int check_proto(const struct check *c, uint32_t id, const struct btf_type *t)
{
	const struct btf_param *p = (const struct btf_param *)(t + 1);
	unsigned int i, n = VLEN(t);
	int err = check_sized(c, id, t, "return type", t->type, 1);

	for (i = 0; i < n && !err; i++) {
		err = check_name_at(c, id, t, "param ", i, p[i].name_off, NAME_IDENT);
		/* Only a last, unnamed param may be void: it means "...". */
		if (!err && (p[i].type || i + 1 < n || p[i].name_off))
			err = check_sized_at(c, id, t, "param ", i, p[i].type);
	}
	return err;
}

static int check_var(const struct check *c, uint32_t id, const struct btf_type *t)
{
	const struct btf_var *v = (const struct btf_var *)(t + 1);

	if (v->linkage > BTF_VAR_GLOBAL_EXTERN)
		return check__fail(c, id, t, "unknown linkage %u", v->linkage);
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
		vt = check__local_type(c, v[i].type);
		if (!v[i].type)
			return check__fail(c, id, t, "entry %u has type void", i);
		if (vt && KIND(vt) != BTF_KIND_VAR && KIND(vt) != BTF_KIND_FUNC)
			return check__fail(c, id, t, "entry %u is %s, not a var", i,
					   check__kind_str(vt));
		if (!v[i].size || (vt && KIND(vt) == BTF_KIND_VAR &&
				   check__resolve(c, vt->type, 0, &type) > (long long)v[i].size))
			return check__fail(c, id, t, "entry %u: size %u smaller than its var", i,
					   v[i].size);
		if (v[i].offset < last_end)
			return check__fail(c, id, t,
					   "entry %u at offset %u overlaps the previous one", i,
					   v[i].offset);
		last_end = (uint64_t)v[i].offset + v[i].size;
		if (t->size && last_end > t->size)
			return check__fail(c, id, t,
					   "entry %u (offset %u, size %u) past section size %u", i,
					   v[i].offset, v[i].size, t->size);
	}
	return 0;
}

static int check_decl_tag(const struct check *c, uint32_t id, const struct btf_type *t)
{
	int idx = ((const struct btf_decl_tag *)(t + 1))->component_idx;
	const struct btf_type *target = check__local_type(c, t->type);

	if (idx < -1)
		return check__fail(c, id, t, "component_idx %d < -1", idx);
	if (!t->type)
		return check__fail(c, id, t, "target is void");
	if (idx == -1 || !target)
		return 0;
	if (KIND(target) == BTF_KIND_FUNC)
		target = check__local_type(c, target->type);
	else if (KIND(target) != BTF_KIND_STRUCT && KIND(target) != BTF_KIND_UNION)
		return check__fail(c, id, t, "component_idx %d on a %s", idx,
				   check__kind_str(target));
	if (target && (unsigned int)idx >= VLEN(target))
		return check__fail(c, id, t, "component_idx %d past the target's %u members/params",
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

/* Offsets of the names in @t's trailing data (members, enumerators, params). */
static int check_part_names(const struct check *c, uint32_t id, const struct btf_type *t)
{
	size_t stride;
	unsigned int i, n = VLEN(t);
	const uint8_t *p = (const uint8_t *)(t + 1);
	int err = 0;

	switch (KIND(t)) {
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		stride = sizeof(struct btf_member);
		break;
	case BTF_KIND_ENUM:
		stride = sizeof(struct btf_enum);
		break;
	case BTF_KIND_ENUM64:
		stride = sizeof(struct btf_enum64);
		break;
	case BTF_KIND_FUNC_PROTO:
		stride = sizeof(struct btf_param);
		break;
	default:
		return 0;
	}
	/* Every one of these starts with its name_off. */
	for (i = 0; i < n && !err; i++)
		err = check_name_at(c, id, t, "part ", i, *(const uint32_t *)(p + i * stride),
				    NAME_ANY);
	return err;
}

int check__libbpf_vlen(const struct check *c, uint32_t id, const struct btf_type *t)
{
	const struct kind_rule *r = rule_of(KIND(t));

	if (!r || r->vlen_zero || KIND(t) == BTF_KIND_FUNC || VLEN(t) <= LIBBPF_MAX_VLEN)
		return 0;
	check__fail(c, id, t, "vlen %u: valid since the 24-bit vlen (libbpf commit 9801e029), "
		    "but libbpf 1.1.2, which btfenc reads BTF with, stops at %u", VLEN(t),
		    LIBBPF_MAX_VLEN);
	return -ENOTSUP;
}

int check__structure(const struct check *c, uint32_t id, struct btf_type *t)
{
	const struct kind_rule *r = rule_of(KIND(t));
	struct id_range range = { .limit = c->base_types + (uint32_t)c->nr };
	int err;

	/* A kind btfenc does not know: which of its words are IDs is unknown. */
	if (!r)
		return check__name(c, id, t, "", t->name_off, NAME_ANY);

	if (VLEN(t) && r->vlen_zero)
		return check__fail(c, id, t, "vlen %u, must be 0", VLEN(t));
	if (typeref__for_each(t, id_out_of_range, &range))
		return check__fail(c, id, t, "refers to ID %u beyond this chain%s", range.bad,
				   check__base_hint(c));
	err = check__name(c, id, t, "", t->name_off, NAME_ANY);
	return err ? err : check_part_names(c, id, t);
}

int check__type(const struct check *c, uint32_t id, struct btf_type *t)
{
	const struct kind_rule *r = rule_of(KIND(t));
	struct id_range range = { .limit = c->base_types + (uint32_t)c->nr };
	int err;

	if (!r)
		return check__structure(c, id, t);

	if (KFLAG(t) && !r->kflag_ok)
		return check__fail(c, id, t, "kind_flag set, not allowed for this kind");
	if (VLEN(t) && r->vlen_zero)
		return check__fail(c, id, t, "vlen %u, must be 0", VLEN(t));
	if (typeref__for_each(t, id_out_of_range, &range))
		return check__fail(c, id, t, "refers to ID %u beyond this chain%s", range.bad,
				   check__base_hint(c));
	err = check__name(c, id, t, "", t->name_off, r->name_rule);
	if (!err && r->check)
		err = r->check(c, id, t);
	return err;
}
