// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests: btf_encoder/dedup — byte for byte the output of libbpf 1.1.2's
 * btf__dedup(), which is the oracle of every test here.
 *
 * A case is a recipe: a list of types with local IDs from 1, replayed through
 * btf__add_*() twice, once into a standalone BTF (our input) and, for split
 * cases, once into btf__new_empty_split(base) with the IDs moved past the
 * base's (libbpf's input). Both are deduplicated and the blobs compared; a
 * mismatch prints the recipe and the first type that differs.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <bpf/btf.h>
#include <linux/btf.h>

#include "btf_encoder/dedup.h"
#include "btf_reader/typeref.h"
#include "util/vec.h"

#define MAX_VLEN 6

struct rmember {
	const char *name;	/* NULL: anonymous */
	uint32_t type;		/* local ID; DATASEC: the VAR */
	uint32_t off;		/* bit offset; DATASEC: byte offset */
	uint32_t bits;		/* bitfield size; DATASEC: byte size */
	int64_t val;		/* ENUM/ENUM64 value */
};

struct rtype {
	int kind;
	const char *name;
	uint32_t size;		/* INT, FLOAT, ENUM*, STRUCT, UNION, DATASEC */
	uint32_t type;		/* referenced local ID; ARRAY: element */
	uint32_t index;		/* ARRAY index type */
	uint32_t nelems;
	int flag;		/* INT encoding, FWD kind, linkage, DECL_TAG index, ENUM64 sign */
	int vlen;
	struct rmember m[MAX_VLEN];
};

#define INT(n, sz, enc)	{ .kind = BTF_KIND_INT, .name = n, .size = sz, .flag = enc }
#define FLOAT(n, sz)	{ .kind = BTF_KIND_FLOAT, .name = n, .size = sz }
#define PTR(t)		{ .kind = BTF_KIND_PTR, .type = t }
#define CONST(t)	{ .kind = BTF_KIND_CONST, .type = t }
#define VOLATILE(t)	{ .kind = BTF_KIND_VOLATILE, .type = t }
#define RESTRICT(t)	{ .kind = BTF_KIND_RESTRICT, .type = t }
#define TYPEDEF(n, t)	{ .kind = BTF_KIND_TYPEDEF, .name = n, .type = t }
#define TYPE_TAG(n, t)	{ .kind = BTF_KIND_TYPE_TAG, .name = n, .type = t }
#define ARRAY(t, i, n)	{ .kind = BTF_KIND_ARRAY, .type = t, .index = i, .nelems = n }
#define FWD(n, k)	{ .kind = BTF_KIND_FWD, .name = n, .flag = k }
#define FUNC(n, l, t)	{ .kind = BTF_KIND_FUNC, .name = n, .flag = l, .type = t }
#define VAR(n, l, t)	{ .kind = BTF_KIND_VAR, .name = n, .flag = l, .type = t }
#define DECL_TAG(n, t, c) { .kind = BTF_KIND_DECL_TAG, .name = n, .type = t, .flag = c }
#define STRUCT(n, sz, cnt, ...) \
	{ .kind = BTF_KIND_STRUCT, .name = n, .size = sz, .vlen = cnt, .m = { __VA_ARGS__ } }
#define UNION(n, sz, cnt, ...) \
	{ .kind = BTF_KIND_UNION, .name = n, .size = sz, .vlen = cnt, .m = { __VA_ARGS__ } }
#define ENUM(n, sz, cnt, ...) \
	{ .kind = BTF_KIND_ENUM, .name = n, .size = sz, .vlen = cnt, .m = { __VA_ARGS__ } }
#define ENUM64(n, cnt, ...) \
	{ .kind = BTF_KIND_ENUM64, .name = n, .size = 8, .vlen = cnt, .m = { __VA_ARGS__ } }
#define PROTO(ret, cnt, ...) \
	{ .kind = BTF_KIND_FUNC_PROTO, .type = ret, .vlen = cnt, .m = { __VA_ARGS__ } }
#define DATASEC(n, sz, cnt, ...) \
	{ .kind = BTF_KIND_DATASEC, .name = n, .size = sz, .vlen = cnt, .m = { __VA_ARGS__ } }
#define M(n, t, o)	{ .name = n, .type = t, .off = o }
#define V(n, v)		{ .name = n, .val = v }
#define P(n, t)		{ .name = n, .type = t }
#define SEC(t, o, sz)	{ .type = t, .off = o, .bits = sz }
#define N(a)		(sizeof(a) / sizeof((a)[0]))

/* Local ID @id as an ID of a BTF whose own types start after @o others. */
static int at(uint32_t id, uint32_t o)
{
	return id ? (int)(id + o) : 0;
}

static int add_members(struct btf *b, const struct rtype *t, uint32_t o)
{
	const struct rmember *m = t->m;
	int i, err = 0;

	for (i = 0; i < t->vlen && !err; i++, m++) {
		switch (t->kind) {
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
			err = btf__add_field(b, m->name, at(m->type, o), m->off, m->bits);
			break;
		case BTF_KIND_ENUM:
			err = btf__add_enum_value(b, m->name, m->val);
			break;
		case BTF_KIND_ENUM64:
			err = btf__add_enum64_value(b, m->name, (uint64_t)m->val);
			break;
		case BTF_KIND_FUNC_PROTO:
			err = btf__add_func_param(b, m->name, at(m->type, o));
			break;
		case BTF_KIND_DATASEC:
			err = btf__add_datasec_var_info(b, at(m->type, o), m->off, m->bits);
			break;
		default:
			err = -EINVAL;
		}
	}
	return err;
}

/* Adds @t (and its members) to @b; returns its ID or a negative errno. */
static int add_type(struct btf *b, const struct rtype *t, uint32_t o)
{
	int id;

	switch (t->kind) {
	case BTF_KIND_INT:
		return btf__add_int(b, t->name, t->size, t->flag);
	case BTF_KIND_FLOAT:
		return btf__add_float(b, t->name, t->size);
	case BTF_KIND_PTR:
		return btf__add_ptr(b, at(t->type, o));
	case BTF_KIND_CONST:
		return btf__add_const(b, at(t->type, o));
	case BTF_KIND_VOLATILE:
		return btf__add_volatile(b, at(t->type, o));
	case BTF_KIND_RESTRICT:
		return btf__add_restrict(b, at(t->type, o));
	case BTF_KIND_TYPEDEF:
		return btf__add_typedef(b, t->name, at(t->type, o));
	case BTF_KIND_TYPE_TAG:
		return btf__add_type_tag(b, t->name, at(t->type, o));
	case BTF_KIND_ARRAY:
		return btf__add_array(b, at(t->index, o), at(t->type, o), t->nelems);
	case BTF_KIND_FWD:
		return btf__add_fwd(b, t->name, t->flag);
	case BTF_KIND_FUNC:
		return btf__add_func(b, t->name, t->flag, at(t->type, o));
	case BTF_KIND_VAR:
		return btf__add_var(b, t->name, t->flag, at(t->type, o));
	case BTF_KIND_DECL_TAG:
		return btf__add_decl_tag(b, t->name, at(t->type, o), t->flag);
	case BTF_KIND_STRUCT:
		id = btf__add_struct(b, t->name, t->size);
		break;
	case BTF_KIND_UNION:
		id = btf__add_union(b, t->name, t->size);
		break;
	case BTF_KIND_ENUM:
		id = btf__add_enum(b, t->name, t->size);
		break;
	case BTF_KIND_ENUM64:
		id = btf__add_enum64(b, t->name, t->size, t->flag);
		break;
	case BTF_KIND_FUNC_PROTO:
		id = btf__add_func_proto(b, at(t->type, o));
		break;
	case BTF_KIND_DATASEC:
		id = btf__add_datasec(b, t->name, t->size);
		break;
	default:
		return -EINVAL;
	}
	if (id > 0) {
		int err = add_members(b, t, o);

		if (err)
			return err;
	}
	return id;
}

/* Replays the recipe into @b, whose first own type ID is @o + 1. */
static void build(struct btf *b, const struct rtype *t, size_t n, uint32_t o)
{
	size_t i;

	assert_non_null(b);
	for (i = 0; i < n; i++)
		assert_int_equal(add_type(b, &t[i], o), (int)(i + 1 + o));
}

static void *raw_copy(const struct btf *b, size_t *size)
{
	uint32_t sz;
	const void *raw = btf__raw_data(b, &sz);
	void *copy = malloc(sz);

	assert_non_null(raw);
	assert_non_null(copy);
	memcpy(copy, raw, sz);
	*size = sz;
	return copy;
}

static void print_recipe(const struct rtype *t, size_t n)
{
	size_t i;
	int k;

	for (i = 0; i < n; i++, t++) {
		fprintf(stderr, "  [%zu] kind %d '%s' size %u type %u index %u nelems %u flag %d",
			i + 1, t->kind, t->name ? t->name : "", t->size, t->type, t->index,
			t->nelems, t->flag);
		for (k = 0; k < t->vlen; k++)
			fprintf(stderr, "%s'%s' %u @%u/%u =%lld", k ? ", " : " {",
				t->m[k].name ? t->m[k].name : "", t->m[k].type, t->m[k].off,
				t->m[k].bits, (long long)t->m[k].val);
		fprintf(stderr, "%s\n", t->vlen ? "}" : "");
	}
}

static void print_type(const char *who, const struct btf_type *t, size_t len)
{
	const uint32_t *w = (const uint32_t *)t;
	size_t i;

	fprintf(stderr, "    %-7s kind %u vlen %u kflag %u name_off %u:", who, btf_kind(t),
		btf_vlen(t), btf_kflag(t), t->name_off);
	for (i = 0; i < len / 4; i++)
		fprintf(stderr, " %08x", w[i]);
	fprintf(stderr, "\n");
}

/* Says where two BTF blobs first differ (header, type ID, string offset). */
static void report_diff(const uint8_t *ours, size_t ours_size, const uint8_t *ref,
			size_t ref_size, uint32_t start)
{
	const struct btf_header *ho = (const void *)ours, *hr = (const void *)ref;
	const uint8_t *po = ours + ho->hdr_len + ho->type_off;
	const uint8_t *pr = ref + hr->hdr_len + hr->type_off;
	const uint8_t *eo = po + ho->type_len, *er = pr + hr->type_len;
	const char *so, *sr;
	uint32_t id = start, i;

	fprintf(stderr, "  sizes: ours %zu, libbpf %zu; type_len %u/%u str_len %u/%u\n",
		ours_size, ref_size, ho->type_len, hr->type_len, ho->str_len, hr->str_len);
	for (; po < eo && pr < er; id++) {
		const struct btf_type *to = (const void *)po, *tr = (const void *)pr;
		size_t lo = sizeof(*to) + typeref__extra_size(to);
		size_t lr = sizeof(*tr) + typeref__extra_size(tr);

		if (lo != lr || memcmp(to, tr, lo)) {
			fprintf(stderr, "  first differing type: [%u]\n", id);
			print_type("ours", to, lo);
			print_type("libbpf", tr, lr);
			return;
		}
		po += lo;
		pr += lr;
	}
	if (po < eo || pr < er) {
		fprintf(stderr, "  type [%u]: one side has no more types\n", id);
		return;
	}
	so = (const char *)ours + ho->hdr_len + ho->str_off;
	sr = (const char *)ref + hr->hdr_len + hr->str_off;
	for (i = 0; i < ho->str_len && i < hr->str_len; i++)
		if (so[i] != sr[i])
			break;
	fprintf(stderr, "  strings differ at offset %u\n", i);
}

struct base {
	struct btf *btf;
	void *raw;	/* a copy: adding split strings makes libbpf drop its raw data */
	size_t size;
	struct dedup_base *index;
};

/* The base from @t, deduplicated by libbpf first if @dedup. */
static void base_init(struct base *b, const struct rtype *t, size_t n, bool dedup)
{
	b->btf = btf__new_empty();
	build(b->btf, t, n, 0);
	if (dedup)
		assert_int_equal(btf__dedup(b->btf, NULL), 0);
	b->raw = raw_copy(b->btf, &b->size);
	b->index = dedup_base__new(b->raw, b->size);
	assert_non_null(b->index);
}

static void base_fini(struct base *b)
{
	dedup_base__free(b->index);
	free(b->raw);
	btf__free(b->btf);
}

struct result {
	bool same;		/* same error, or same bytes */
	int err;		/* libbpf's */
	int nr_types;		/* types libbpf's output adds (to the base, if split) */
	bool merged;		/* fewer than in the input */
};

/*
 * Deduplicates the recipe with libbpf and with dedup__run(), standalone or
 * split on @base, and compares. On a mismatch prints @label, the recipe and
 * where the outputs differ.
 */
static struct result run_case(struct base *base, const struct rtype *t, size_t n,
			      const char *label)
{
	uint32_t o = base ? btf__type_cnt(base->btf) - 1 : 0;
	struct btf *mine = btf__new_empty();
	struct btf *ref = base ? btf__new_empty_split(base->btf) : btf__new_empty();
	struct result r = { .same = true };
	size_t in_size, out_size = 0, ref_size = 0;
	void *in, *out = NULL, *ref_raw = NULL;
	int err;

	build(mine, t, n, 0);
	build(ref, t, n, o);
	in = raw_copy(mine, &in_size);
	r.err = btf__dedup(ref, NULL);
	if (!r.err) {
		ref_raw = raw_copy(ref, &ref_size);
		r.nr_types = (int)(btf__type_cnt(ref) - 1 - o);
		r.merged = r.nr_types < (int)n;
	}
	err = dedup__run(base ? base->index : NULL, in, in_size, &out, &out_size);
	if (err != r.err) {
		fprintf(stderr, "%s: dedup__run() returned %d, btf__dedup() %d\n", label, err,
			r.err);
		r.same = false;
	} else if (!err && (out_size != ref_size || memcmp(out, ref_raw, out_size))) {
		fprintf(stderr, "%s: output differs from libbpf's\n", label);
		report_diff(out, out_size, ref_raw, ref_size, o + 1);
		r.same = false;
	}
	if (!r.same) {
		fprintf(stderr, "  input (%s, local IDs):\n", base ? "split" : "standalone");
		print_recipe(t, n);
	}
	free(out);
	free(ref_raw);
	free(in);
	btf__free(ref);
	btf__free(mine);
	return r;
}

/* Same bytes as libbpf, and libbpf's output has @nr_types types. */
static void expect_types(struct base *base, const struct rtype *t, size_t n, int nr_types,
			 const char *test, const char *input)
{
	struct result r;
	char label[128];

	snprintf(label, sizeof(label), "%s, %s", test, input);
	r = run_case(base, t, n, label);

	assert_true(r.same);
	assert_int_equal(r.err, 0);
	assert_int_equal(r.nr_types, nr_types);
}

#define EXPECT(t, nr)		expect_types(NULL, t, N(t), nr, __func__, #t)
#define EXPECT_SPLIT(b, t, nr)	expect_types(b, t, N(t), nr, __func__, #t)

/* Equal INTs and FLOATs merge; a different size, encoding or name does not. */
static void ints_and_floats(void **state)
{
	static const struct rtype t[] = {
		INT("int", 4, BTF_INT_SIGNED),
		INT("int", 4, BTF_INT_SIGNED),	/* = 1 */
		INT("int", 4, 0),
		INT("long", 8, BTF_INT_SIGNED),
		FLOAT("double", 8),
		FLOAT("double", 8),		/* = 5 */
		FLOAT("double", 4),
		INT("int", 8, BTF_INT_SIGNED),
		INT("_Bool", 1, BTF_INT_BOOL),
		INT("_Bool", 1, BTF_INT_BOOL),	/* = 9 */
	};

	EXPECT(t, 7);
}

/* Enums merge when name, size, kind and every value are equal. */
static void enums_equal_and_different(void **state)
{
	static const struct rtype t[] = {
		ENUM("e", 4, 2, V("A", 0), V("B", 1)),
		ENUM("e", 4, 2, V("A", 0), V("B", 1)),	/* = 1 */
		ENUM("e", 4, 2, V("A", 0), V("B", 2)),
		ENUM("e", 4, 1, V("A", 0)),
		ENUM64("e", 1, V("A", 0)),
		ENUM64("e", 1, V("A", 0)),		/* = 5 */
		ENUM64("e", 1, V("A", 1ll << 40)),
		ENUM(NULL, 4, 1, V("X", 1)),
		ENUM(NULL, 4, 1, V("X", 1)),		/* = 8 */
		ENUM("f", 4, 2, V("A", 0), V("B", 1)),
		ENUM("neg", 4, 1, V("M", -1)),
		ENUM("neg", 4, 1, V("M", -1)),		/* = 11 */
	};

	EXPECT(t, 8);
}

/*
 * An enum forward declaration (ENUM with vlen 0) merges into a full enum or
 * enum64 of its name, whichever comes first; with several full ones, the
 * declaration takes the first candidate in the table's order.
 */
static void enum_fwd_standalone(void **state)
{
	static const struct rtype t[] = {
		FWD("e", BTF_FWD_ENUM),			/* 1: -> 2 */
		PTR(1),
		ENUM("e", 4, 1, V("A", 0)),
		PTR(3),					/* = 2 */
		ENUM("g", 4, 1, V("A", 0)),		/* 5 */
		FWD("g", BTF_FWD_ENUM),			/* -> 5 */
		PTR(6),
		FWD("h", BTF_FWD_ENUM),			/* 8: -> 9 */
		ENUM64("h", 1, V("A", 1ll << 40)),
		ENUM64("k", 1, V("A", 1ll << 41)),	/* 10 */
		FWD("k", BTF_FWD_ENUM),			/* -> 10 */
		ENUM64("m", 0),				/* 12: enum64 declaration -> 13 */
		ENUM("m", 4, 1, V("A", 0)),
		FWD("n", BTF_FWD_ENUM),
		FWD("n", BTF_FWD_ENUM),			/* = 14 */
		ENUM("p", 4, 1, V("A", 0)),		/* 16 */
		ENUM("p", 4, 1, V("A", 1)),		/* 17 */
		FWD("p", BTF_FWD_ENUM),			/* -> 17, the newer candidate */
		PTR(18),
		FWD("q", BTF_FWD_ENUM),			/* 20: -> 21, then 22 */
		ENUM("q", 4, 1, V("A", 0)),
		ENUM("q", 4, 1, V("A", 1)),
		PTR(20),
	};

	EXPECT(t, 14);
}

/* The same declarations and definitions across a base and a split input. */
static void enum_fwd_split(void **state)
{
	static const struct rtype base_t[] = {
		ENUM("e", 4, 1, V("A", 0)),
		ENUM64("big", 1, V("A", 1ll << 40)),
		FWD("f", BTF_FWD_ENUM),
		INT("int", 4, BTF_INT_SIGNED),
	};
	static const struct rtype mod[] = {
		FWD("e", BTF_FWD_ENUM),			/* -> base e */
		PTR(1),
		FWD("big", BTF_FWD_ENUM),		/* -> base enum64 */
		PTR(3),
		ENUM("f", 4, 1, V("B", 1)),		/* the base's declaration -> here */
		PTR(5),
		FWD("f", BTF_FWD_ENUM),			/* -> 5, the newer candidate */
		PTR(7),					/* = 6 */
	};
	struct base b;

	base_init(&b, base_t, N(base_t), false);
	EXPECT_SPLIT(&b, mod, 4);
	base_fini(&b);
}

/*
 * FWDs resolve to the one struct/union of their name and flavour in the same
 * input (the pass after the struct phase); a FWD union stays when the name is
 * a struct.
 */
static void fwd_to_struct_same_input(void **state)
{
	static const struct rtype t[] = {
		INT("int", 4, BTF_INT_SIGNED),
		STRUCT("foo", 4, 1, M("x", 1, 0)),
		FWD("foo", BTF_FWD_STRUCT),		/* -> 2 */
		PTR(3),
		STRUCT("bar", 8, 1, M("p", 4, 0)),
		FWD("u", BTF_FWD_UNION),		/* -> 7 */
		UNION("u", 4, 2, M("x", 1, 0), M("y", 1, 0)),
		PTR(6),
		FWD("foo", BTF_FWD_UNION),		/* stays */
		PTR(2),					/* = 4 */
	};

	EXPECT(t, 7);
}

/* The struct phase resolves a FWD through graph equivalence even if its name is ambiguous. */
static void fwd_resolved_by_equivalence(void **state)
{
	static const struct rtype t[] = {
		INT("int", 4, BTF_INT_SIGNED),
		STRUCT("s", 8, 1, M("p", 3, 0)),
		PTR(4),
		FWD("baz", BTF_FWD_STRUCT),		/* -> 7 */
		STRUCT("s", 8, 1, M("p", 6, 0)),	/* = 2 */
		PTR(7),					/* = 3 */
		STRUCT("baz", 4, 1, M("x", 1, 0)),
		STRUCT("baz", 4, 1, M("y", 1, 0)),
	};

	EXPECT(t, 5);
}

/* Two different structs of one name: a FWD of the name is left alone. */
static void fwd_ambiguous_left_alone(void **state)
{
	static const struct rtype t[] = {
		INT("int", 4, BTF_INT_SIGNED),
		INT("long", 8, BTF_INT_SIGNED),
		STRUCT("foo", 8, 1, M("x", 1, 0)),
		STRUCT("foo", 8, 1, M("x", 2, 0)),
		FWD("foo", BTF_FWD_STRUCT),
		PTR(5),
	};
	static const struct rtype base_t[] = {
		INT("int", 4, BTF_INT_SIGNED),
		STRUCT("foo", 4, 1, M("x", 1, 0)),
	};
	static const struct rtype mod[] = {
		INT("long", 8, BTF_INT_SIGNED),
		STRUCT("foo", 8, 1, M("x", 1, 0)),	/* a second foo: split and base */
		FWD("foo", BTF_FWD_STRUCT),
		PTR(3),
	};
	struct base b;

	EXPECT(t, 6);
	base_init(&b, base_t, N(base_t), false);
	EXPECT_SPLIT(&b, mod, 4);
	base_fini(&b);
}

/* A split FWD resolves to the base's struct or union of its name. */
static void fwd_to_base_struct(void **state)
{
	static const struct rtype base_t[] = {
		INT("int", 4, BTF_INT_SIGNED),
		STRUCT("foo", 4, 1, M("x", 1, 0)),
		UNION("u", 4, 1, M("x", 1, 0)),
		PTR(2),
	};
	static const struct rtype mod[] = {
		FWD("foo", BTF_FWD_STRUCT),		/* -> base foo */
		PTR(1),					/* -> base ptr */
		FWD("u", BTF_FWD_UNION),		/* -> base u */
		PTR(3),
		FWD("foo", BTF_FWD_UNION),		/* stays */
		INT("int", 4, BTF_INT_SIGNED),		/* -> base int */
		STRUCT("holder", 8, 2, M("f", 2, 0), M("g", 6, 32)),
	};
	struct base b;

	base_init(&b, base_t, N(base_t), false);
	EXPECT_SPLIT(&b, mod, 3);
	base_fini(&b);
}

/*
 * libbpf's hypot_adjust_canon case: the split struct s equals the base's s
 * only if the base's FWD foo became the split struct foo. The base cannot
 * change, so s stays in the split BTF, but the base FWD now stands for the
 * split foo: split FWDs of foo resolve to it.
 */
static void base_fwd_struct_in_split(void **state)
{
	static const struct rtype base_t[] = {
		INT("int", 4, BTF_INT_SIGNED),
		FWD("foo", BTF_FWD_STRUCT),
		PTR(2),
		STRUCT("s", 8, 1, M("p", 3, 0)),
	};
	static const struct rtype mod[] = {
		INT("int", 4, BTF_INT_SIGNED),
		STRUCT("foo", 4, 1, M("x", 1, 0)),
		PTR(2),
		STRUCT("s", 8, 1, M("p", 3, 0)),
		FWD("foo", BTF_FWD_STRUCT),
		PTR(5),					/* = 3 */
		STRUCT("t", 8, 1, M("q", 6, 0)),
	};
	struct base b;

	base_init(&b, base_t, N(base_t), false);
	EXPECT_SPLIT(&b, mod, 4);
	base_fini(&b);
}

/*
 * A compiler sometimes emits one array or struct twice in a unit; libbpf
 * accepts such identical copies against one canonical type.
 */
static void identical_arrays_and_structs(void **state)
{
	static const struct rtype arrays[] = {
		INT("int", 4, BTF_INT_SIGNED),
		ARRAY(1, 1, 4),
		STRUCT("s", 32, 2, M("a", 2, 0), M("b", 2, 128)),
		INT("int", 4, BTF_INT_SIGNED),
		ARRAY(4, 4, 4),
		ARRAY(4, 4, 4),
		STRUCT("s", 32, 2, M("a", 5, 0), M("b", 6, 128)),	/* = 3 */
	};
	static const struct rtype structs[] = {
		INT("int", 4, BTF_INT_SIGNED),
		STRUCT("in", 4, 1, M("x", 1, 0)),
		STRUCT("out", 8, 2, M("a", 2, 0), M("b", 2, 32)),
		INT("int", 4, BTF_INT_SIGNED),
		STRUCT("out", 8, 2, M("a", 6, 0), M("b", 7, 32)),	/* = 3 */
		STRUCT("in", 4, 1, M("x", 4, 0)),
		STRUCT("in", 4, 1, M("x", 4, 0)),
	};
	static const struct rtype different[] = {
		INT("int", 4, BTF_INT_SIGNED),
		INT("u32", 4, 0),
		STRUCT("in", 4, 1, M("x", 1, 0)),
		STRUCT("out", 8, 2, M("a", 3, 0), M("b", 3, 32)),
		INT("int", 4, BTF_INT_SIGNED),
		STRUCT("out", 8, 2, M("a", 7, 0), M("b", 8, 32)),	/* differs */
		STRUCT("in", 4, 1, M("x", 5, 0)),
		STRUCT("in", 4, 1, M("x", 2, 0)),
	};

	EXPECT(arrays, 3);
	EXPECT(structs, 3);
	EXPECT(different, 6);
}

/* Self-referential structs through pointers, one of them seen through a FWD. */
static void list_head(void **state)
{
	static const struct rtype t[] = {
		INT("int", 4, BTF_INT_SIGNED),
		STRUCT("list_head", 16, 2, M("next", 3, 0), M("prev", 3, 64)),
		PTR(2),
		STRUCT("user", 24, 2, M("l", 2, 0), M("v", 1, 128)),
		PTR(6),						/* = 3 */
		STRUCT("list_head", 16, 2, M("next", 5, 0), M("prev", 5, 64)),
		INT("int", 4, BTF_INT_SIGNED),
		STRUCT("user", 24, 2, M("l", 6, 0), M("v", 7, 128)),
		FWD("list_head", BTF_FWD_STRUCT),
		PTR(9),
		STRUCT("holder", 8, 1, M("h", 10, 0)),
		STRUCT("holder", 8, 1, M("h", 3, 0)),		/* = 11 */
	};
	static const struct rtype base_t[] = {
		STRUCT("list_head", 16, 2, M("next", 2, 0), M("prev", 2, 64)),
		PTR(1),
	};
	static const struct rtype mod[] = {
		PTR(2),
		STRUCT("list_head", 16, 2, M("next", 1, 0), M("prev", 1, 64)),
		STRUCT("m", 16, 1, M("l", 2, 0)),
	};
	struct base b;

	EXPECT(t, 5);
	base_init(&b, base_t, N(base_t), false);
	EXPECT_SPLIT(&b, mod, 1);
	base_fini(&b);
}

/* typedef/const/volatile/restrict/type_tag chains merge from the bottom up. */
static void modifier_chains(void **state)
{
	static const struct rtype t[] = {
		INT("int", 4, BTF_INT_SIGNED),
		CONST(1),
		VOLATILE(2),
		TYPEDEF("t", 3),
		RESTRICT(6),
		PTR(1),
		TYPE_TAG("user", 6),
		PTR(7),
		INT("int", 4, BTF_INT_SIGNED),		/* the same again */
		CONST(9),
		VOLATILE(10),
		TYPEDEF("t", 11),
		RESTRICT(14),
		PTR(9),
		TYPE_TAG("user", 14),
		PTR(15),
		INT("long", 8, BTF_INT_SIGNED),		/* differs at the bottom */
		CONST(17),
		VOLATILE(18),
		TYPEDEF("t", 19),
		TYPE_TAG("rcu", 14),			/* differs in the tag */
		CONST(0),				/* const void */
		CONST(0),
	};

	EXPECT(t, 14);
}

/* FUNC_PROTO, FUNC and DECL_TAG (on the function and on its components). */
static void funcs_and_decl_tags(void **state)
{
	static const struct rtype t[] = {
		INT("int", 4, BTF_INT_SIGNED),
		PTR(1),
		PROTO(1, 2, P("a", 1), P("b", 2)),
		FUNC("f", BTF_FUNC_GLOBAL, 3),
		DECL_TAG("tag", 4, -1),
		DECL_TAG("tag", 4, 0),
		DECL_TAG("tag", 4, 1),
		STRUCT("s", 8, 2, M("x", 1, 0), M("y", 1, 32)),
		DECL_TAG("tag", 8, 1),
		INT("int", 4, BTF_INT_SIGNED),		/* the same again */
		PTR(10),
		PROTO(10, 2, P("a", 10), P("b", 11)),
		FUNC("f", BTF_FUNC_GLOBAL, 12),
		DECL_TAG("tag", 13, -1),
		DECL_TAG("tag", 13, 0),
		PROTO(10, 2, P("a", 10), P("c", 11)),	/* another parameter name */
		FUNC("f", BTF_FUNC_STATIC, 12),		/* another linkage */
		DECL_TAG("tag", 13, 1),
		DECL_TAG("other", 13, -1),
		PROTO(0, 1, P(NULL, 0)),		/* void (...) */
		PROTO(0, 0),				/* void (void) */
		PROTO(0, 0),
		STRUCT("s", 8, 2, M("x", 10, 0), M("y", 10, 32)),
		DECL_TAG("tag", 23, 1),
		DECL_TAG("tag", 23, 0),
	};

	EXPECT(t, 15);
}

/* VAR and DATASEC are never merged, though what they reference is. */
static void vars_and_datasecs(void **state)
{
	static const struct rtype t[] = {
		INT("int", 4, BTF_INT_SIGNED),
		VAR("v", BTF_VAR_GLOBAL_ALLOCATED, 1),
		VAR("v", BTF_VAR_GLOBAL_ALLOCATED, 1),
		DATASEC(".data", 8, 2, SEC(2, 0, 4), SEC(3, 4, 4)),
		DATASEC(".data", 8, 2, SEC(2, 0, 4), SEC(3, 4, 4)),
		INT("int", 4, BTF_INT_SIGNED),
		VAR("w", BTF_VAR_STATIC, 6),
		DECL_TAG("tag", 2, -1),
		DECL_TAG("tag", 3, -1),
		DECL_TAG("tag", 2, -1),			/* = 8 */
	};
	static const struct rtype base_t[] = {
		INT("int", 4, BTF_INT_SIGNED),
		VAR("v", BTF_VAR_GLOBAL_ALLOCATED, 1),
		DATASEC(".data", 4, 1, SEC(2, 0, 4)),
	};
	static const struct rtype mod[] = {
		INT("int", 4, BTF_INT_SIGNED),
		VAR("v", BTF_VAR_GLOBAL_ALLOCATED, 1),
		DATASEC(".data", 4, 1, SEC(2, 0, 4)),
	};
	struct base b;

	EXPECT(t, 8);
	base_init(&b, base_t, N(base_t), false);
	EXPECT_SPLIT(&b, mod, 2);
	base_fini(&b);
}

/* Anonymous structs and unions, alone and as anonymous members. */
static void anonymous_structs(void **state)
{
	static const struct rtype t[] = {
		INT("int", 4, BTF_INT_SIGNED),
		STRUCT(NULL, 4, 1, M("x", 1, 0)),
		STRUCT(NULL, 4, 1, M("x", 1, 0)),		/* = 2 */
		UNION(NULL, 4, 2, M("a", 1, 0), M("b", 1, 0)),
		UNION(NULL, 4, 2, M("a", 1, 0), M("b", 1, 0)),	/* = 4 */
		TYPEDEF("t", 2),
		TYPEDEF("t", 3),				/* = 6 */
		STRUCT("outer", 8, 2, M(NULL, 4, 0), M("y", 1, 32)),
		STRUCT("outer", 8, 2, M(NULL, 5, 0), M("y", 1, 32)),	/* = 8 */
		STRUCT(NULL, 4, 1, M("y", 1, 0)),
		STRUCT(NULL, 4, 1, M(NULL, 1, 0)),
		STRUCT("bits", 4, 2, M("a", 1, 0), { .name = "b", .type = 1, .off = 3, .bits = 5 }),
		STRUCT("bits", 4, 2, M("a", 1, 0), { .name = "b", .type = 1, .off = 3, .bits = 5 }),
	};

	EXPECT(t, 8);
}

/*
 * Structs of equal hash (same name, member names and offsets) that differ in
 * member types: a struct whose member points to a FWD is equivalent to each
 * of them, so it takes the first candidate in libbpf's chain order; a table
 * grow reverses the chains, so that is not always the newest. The same for an
 * enum declaration among enums of its name. @nfill types of other hashes
 * between the candidates and the lookups make the table grow there or not.
 */
static size_t gen_candidate_order(struct rtype *t, size_t nfill)
{
	static const char *const ints[] = { "i0", "i1", "i2", "i3", "i4", "i5", "i6", "i7" };
	static const uint32_t fill_sizes[] = { 1, 2, 8, 16 };
	size_t n = 0, k;
	uint32_t id;

	for (k = 0; k < N(ints); k++) {
		/* int i_k; struct foo { i_k x; }; struct foo *; struct s { struct foo *p; } */
		id = n + 1;
		t[n++] = (struct rtype)INT(ints[k], 4, 0);
		t[n++] = (struct rtype)STRUCT("foo", 4, 1, M("x", id, 0));
		t[n++] = (struct rtype)PTR(id + 1);
		t[n++] = (struct rtype)STRUCT("s", 8, 1, M("p", id + 2, 0));
		t[n++] = (struct rtype)ENUM("e", 4, 1, V("A", (int64_t)k));
	}
	for (k = 0; k < nfill; k++) {
		/* an INT for the primitive phase, a struct for the struct phase */
		t[n++] = (struct rtype)INT(ints[k % N(ints)], fill_sizes[k / N(ints)], 0);
		t[n++] = (struct rtype)STRUCT("fill", (uint32_t)k + 1, 0);
	}
	id = n + 1;
	t[n++] = (struct rtype)FWD("foo", BTF_FWD_STRUCT);
	t[n++] = (struct rtype)PTR(id);
	t[n++] = (struct rtype)STRUCT("s", 8, 1, M("p", id + 1, 0));
	t[n++] = (struct rtype)FWD("e", BTF_FWD_ENUM);
	t[n++] = (struct rtype)PTR(id + 3);
	return n;
}

static void equal_hash_candidate_order(void **state)
{
	struct rtype t[5 * 8 + 2 * 32 + 5];
	char label[64];
	size_t nfill, n;

	for (nfill = 0; nfill <= 32; nfill++) {
		memset(t, 0, sizeof(t));
		n = gen_candidate_order(t, nfill);
		assert_true(n <= N(t));
		snprintf(label, sizeof(label), "candidate order, %zu fillers", nfill);
		assert_true(run_case(NULL, t, n, label).same);
	}
}

/*
 * A loop of reference types without a struct: both refuse it with -ELOOP.
 * Split, the failed run leaves the base's index as it was.
 */
static void reference_loop(void **state)
{
	static const struct rtype t[] = {
		FLOAT("x", 4),
		CONST(4),
		INT("x", 4, 0),		/* a candidate before the loop is found */
		PTR(2),
	};
	static const struct rtype base_t[] = {
		INT("int", 4, BTF_INT_SIGNED),
	};
	/* The candidate left in the table would be the second x here, kept instead of the first. */
	static const struct rtype after[] = {
		INT("x", 4, 0),
		INT("q", 4, 0),
		INT("x", 4, 0),
	};
	struct result r = run_case(NULL, t, N(t), "reference_loop");
	struct base b;

	assert_true(r.same);
	assert_int_equal(r.err, -ELOOP);
	base_init(&b, base_t, N(base_t), false);
	r = run_case(&b, t, N(t), "reference_loop, split");
	assert_true(r.same);
	assert_int_equal(r.err, -ELOOP);
	EXPECT_SPLIT(&b, after, 2);
	base_fini(&b);
}

/* No types: a header and the strings (standalone) or nothing (split). */
static void empty_input(void **state)
{
	static const struct rtype none[1];
	static const struct rtype base_t[] = {
		INT("int", 4, BTF_INT_SIGNED),
	};
	struct base b;

	expect_types(NULL, none, 0, 0, __func__, "standalone");
	base_init(&b, base_t, N(base_t), false);
	expect_types(&b, none, 0, 0, __func__, "split");
	base_fini(&b);
}

/*
 * Several inputs in a row against one base index (which each run changes and
 * restores), each compared with libbpf; the first one again at the end.
 */
static void several_inputs_one_base(void **state)
{
	static const struct rtype base_t[] = {
		INT("int", 4, BTF_INT_SIGNED),
		STRUCT("list_head", 16, 2, M("next", 3, 0), M("prev", 3, 64)),
		PTR(2),
		FWD("bar", BTF_FWD_STRUCT),
		PTR(4),
		STRUCT("s", 8, 1, M("p", 5, 0)),
		FWD("e", BTF_FWD_ENUM),
		STRUCT("foo", 4, 1, M("x", 1, 0)),
	};
	static const struct rtype m1[] = {
		INT("int", 4, BTF_INT_SIGNED),
		STRUCT("bar", 4, 1, M("y", 1, 0)),	/* the base's FWD points here */
		PTR(2),
		STRUCT("s", 8, 1, M("p", 3, 0)),
		ENUM("e", 4, 1, V("A", 1)),		/* the base's declaration points here */
		FWD("bar", BTF_FWD_STRUCT),
		PTR(6),
		FWD("e", BTF_FWD_ENUM),
	};
	static const struct rtype m2[] = {
		FWD("bar", BTF_FWD_STRUCT),		/* the base's again */
		PTR(1),
		FWD("e", BTF_FWD_ENUM),
		PTR(3),
		FWD("foo", BTF_FWD_STRUCT),
		PTR(5),
	};
	static const struct rtype m3[] = {
		INT("char", 1, BTF_INT_CHAR),
		STRUCT("c1", 4, 1, M("a", 1, 0)),
		STRUCT("c2", 4, 1, M("a", 1, 0)),
		STRUCT("c3", 4, 1, M("a", 1, 0)),
		STRUCT("c4", 4, 1, M("a", 1, 0)),
		STRUCT("c5", 4, 1, M("a", 1, 0)),
		STRUCT("c6", 4, 1, M("a", 1, 0)),
		STRUCT("c7", 4, 1, M("a", 1, 0)),
		STRUCT("c8", 4, 1, M("a", 1, 0)),	/* enough to grow the base's table */
		STRUCT("bar", 4, 1, M("z", 1, 0)),
		ENUM("e", 4, 1, V("B", 2)),
		PTR(10),
	};
	/* A candidate of m4's left in the table: m5's second x would be kept, not the first. */
	static const struct rtype m4[] = {
		INT("r", 4, 0),
		INT("s", 4, 0),
		INT("x", 4, 0),
	};
	static const struct rtype m5[] = {
		INT("x", 4, 0),
		INT("q", 4, 0),
		INT("x", 4, 0),
	};
	struct base b;
	int i;

	base_init(&b, base_t, N(base_t), false);
	for (i = 0; i < 2; i++) {
		EXPECT_SPLIT(&b, m1, 4);
		EXPECT_SPLIT(&b, m2, 2);
		EXPECT_SPLIT(&b, m3, 12);
		EXPECT_SPLIT(&b, m4, 3);
		EXPECT_SPLIT(&b, m5, 2);
	}
	base_fini(&b);
}

/*
 * Random type graphs. A unit ("CU") of 5 to 20 types is generated, then
 * inputs are made of mutated copies of it, as a compiler emits one header's
 * types in every unit: duplicates, FWDs standing for structs, near misses of
 * equal hash. Upward references (to a higher ID) go only from a PTR to a
 * struct/union/FWD or from a member to a PTR, so every cycle passes through a
 * struct and a pointer, as in C.
 */
struct rng {
	uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);	/* splitmix64 */

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint32_t pick(struct rng *r, uint32_t n)
{
	return (uint32_t)(rng_next(r) % n);
}

static bool chance(struct rng *r, int pct)
{
	return pick(r, 100) < (uint32_t)pct;
}

#define ANY(r, a) ((a)[pick(r, N(a))])

static const char *const tag_names[] = { "foo", "bar", "list_head", "s" };
static const char *const member_names[] = { "a", "b", "next", "x" };
static const char *const int_names[] = { "int", "long", "char" };
static const char *const typedef_names[] = { "foo", "u32" };
static const char *const tag_values[] = { "user", "rcu" };
static const char *const func_names[] = { "f", "g" };
static const char *const var_names[] = { "v", "w" };
static const char *const sec_names[] = { ".data", ".bss" };
static const char *const enum_values[] = { "A", "B", "C" };

static const struct {
	int kind;
	int weight;
} kind_weights[] = {
	{ BTF_KIND_INT, 10 }, { BTF_KIND_FLOAT, 2 }, { BTF_KIND_PTR, 14 },
	{ BTF_KIND_CONST, 5 }, { BTF_KIND_VOLATILE, 2 }, { BTF_KIND_RESTRICT, 2 },
	{ BTF_KIND_TYPEDEF, 6 }, { BTF_KIND_TYPE_TAG, 3 }, { BTF_KIND_ARRAY, 6 },
	{ BTF_KIND_STRUCT, 16 }, { BTF_KIND_UNION, 4 }, { BTF_KIND_FWD, 8 },
	{ BTF_KIND_ENUM, 5 }, { BTF_KIND_ENUM64, 3 }, { BTF_KIND_FUNC_PROTO, 5 },
	{ BTF_KIND_FUNC, 3 }, { BTF_KIND_VAR, 3 }, { BTF_KIND_DATASEC, 2 },
	{ BTF_KIND_DECL_TAG, 3 },
};

static int random_kind(struct rng *r)
{
	int total = 0, w;
	size_t i;

	for (i = 0; i < N(kind_weights); i++)
		total += kind_weights[i].weight;
	w = (int)pick(r, (uint32_t)total);
	for (i = 0; w >= kind_weights[i].weight; i++)
		w -= kind_weights[i].weight;
	return kind_weights[i].kind;
}

struct recipe {
	struct rtype *t;
	size_t n, cap;
};

static struct rtype *recipe_push(struct recipe *rc)
{
	assert_int_equal(vec__push_slot(&rc->t, &rc->cap, rc->n), 0);
	memset(&rc->t[rc->n], 0, sizeof(rc->t[0]));
	return &rc->t[rc->n++];
}

/* What a type, a member or a parameter may name: no VAR, DATASEC, FUNC, DECL_TAG. */
static bool is_value_type(int kind)
{
	return kind != BTF_KIND_VAR && kind != BTF_KIND_DATASEC && kind != BTF_KIND_FUNC &&
	       kind != BTF_KIND_DECL_TAG;
}

/* A random earlier type of @rc (local IDs below @id) of a kind @ok accepts, or void. */
static uint32_t back_ref(struct rng *r, const struct recipe *rc, uint32_t id,
			 bool (*ok)(int kind))
{
	int tries;

	for (tries = 0; id > 1 && tries < 4; tries++) {
		uint32_t j = 1 + pick(r, id - 1);

		if (ok(rc->t[j - 1].kind))
			return j;
	}
	return 0;
}

static bool is_any(int kind)
{
	return true;
}

static bool is_var(int kind)
{
	return kind == BTF_KIND_VAR;
}

static bool is_proto(int kind)
{
	return kind == BTF_KIND_FUNC_PROTO;
}

/* A pointer's target: any earlier type, or a struct/union/FWD anywhere in [1, @end]. */
static uint32_t ptr_target(struct rng *r, const struct recipe *rc, uint32_t id, uint32_t end)
{
	uint32_t j = 1 + pick(r, end);
	int kind = rc->t[j - 1].kind;

	if (j > id && (kind == BTF_KIND_STRUCT || kind == BTF_KIND_UNION || kind == BTF_KIND_FWD))
		return j;
	return back_ref(r, rc, id, is_value_type);
}

/* A member's type: an earlier type, or a PTR in (@id, @end]. */
static uint32_t member_type(struct rng *r, const struct recipe *rc, uint32_t id, uint32_t end)
{
	uint32_t j;

	if (id < end && chance(r, 30)) {
		j = id + 1 + pick(r, end - id);
		if (rc->t[j - 1].kind == BTF_KIND_PTR)
			return j;
	}
	return back_ref(r, rc, id, is_value_type);
}

static void fill_members(struct rng *r, const struct recipe *rc, struct rtype *t, uint32_t id,
			 uint32_t end)
{
	int k;

	t->vlen = (int)pick(r, 5);
	for (k = 0; k < t->vlen; k++) {
		struct rmember *m = &t->m[k];

		m->name = chance(r, 10) ? NULL : ANY(r, member_names);
		m->type = member_type(r, rc, id, end);
		if (t->kind == BTF_KIND_UNION)
			continue;
		m->off = 32 * (uint32_t)k;
		if (chance(r, 8)) {
			m->off += 1 + pick(r, 7);
			m->bits = 1 + pick(r, 8);
		}
	}
}

static void fill_enum(struct rng *r, struct rtype *t)
{
	int k;

	t->name = chance(r, 15) ? NULL : ANY(r, tag_names);
	t->vlen = chance(r, 40) ? 0 : 1 + (int)pick(r, 3);
	if (!t->vlen && !t->name)
		t->name = "foo";
	t->size = t->kind == BTF_KIND_ENUM64 || chance(r, 10) ? 8 : 4;
	t->flag = chance(r, 20);	/* ENUM64: signed */
	for (k = 0; k < t->vlen; k++) {
		t->m[k].name = enum_values[k];
		t->m[k].val = (int64_t)pick(r, 3) - (t->kind == BTF_KIND_ENUM && chance(r, 10));
		if (t->kind == BTF_KIND_ENUM64)
			t->m[k].val += (int64_t)pick(r, 2) << 40;
	}
}

/* Fills type @id (local, 1-based) whose kind is set; types up to @end have their kinds. */
static void fill_type(struct rng *r, struct recipe *rc, uint32_t id, uint32_t end)
{
	static const uint32_t int_sizes[] = { 1, 4, 8 }, struct_sizes[] = { 4, 8, 16 };
	struct rtype *t = &rc->t[id - 1];
	uint32_t k;

	switch (t->kind) {
	case BTF_KIND_INT:
		t->name = ANY(r, int_names);
		t->size = ANY(r, int_sizes);
		t->flag = chance(r, 50) ? BTF_INT_SIGNED : chance(r, 20) ? BTF_INT_CHAR : 0;
		break;
	case BTF_KIND_FLOAT:
		t->name = chance(r, 50) ? "float" : "double";
		t->size = chance(r, 50) ? 4 : 8;
		break;
	case BTF_KIND_PTR:
		t->type = ptr_target(r, rc, id, end);
		break;
	case BTF_KIND_TYPEDEF:
		t->name = ANY(r, typedef_names);
		t->type = back_ref(r, rc, id, is_value_type);
		break;
	case BTF_KIND_TYPE_TAG:
		t->name = ANY(r, tag_values);
		/* fallthrough */
	case BTF_KIND_CONST:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT:
		t->type = back_ref(r, rc, id, is_value_type);
		break;
	case BTF_KIND_ARRAY:
		t->type = back_ref(r, rc, id, is_value_type);
		t->index = back_ref(r, rc, id, is_value_type);
		t->nelems = pick(r, 3) * 2;
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		t->name = chance(r, 20) ? NULL : ANY(r, tag_names);
		t->size = ANY(r, struct_sizes);
		fill_members(r, rc, t, id, end);
		break;
	case BTF_KIND_FWD:
		t->name = ANY(r, tag_names);
		t->flag = chance(r, 20) ? BTF_FWD_UNION : BTF_FWD_STRUCT;
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		fill_enum(r, t);
		break;
	case BTF_KIND_FUNC_PROTO:
		t->type = back_ref(r, rc, id, is_value_type);
		t->vlen = (int)pick(r, 4);
		for (k = 0; k < (uint32_t)t->vlen; k++) {
			t->m[k].name = chance(r, 20) ? NULL : ANY(r, member_names);
			t->m[k].type = back_ref(r, rc, id, is_value_type);
		}
		break;
	case BTF_KIND_FUNC:
		t->name = ANY(r, func_names);
		t->flag = chance(r, 50) ? BTF_FUNC_STATIC : BTF_FUNC_GLOBAL;
		t->type = back_ref(r, rc, id, is_proto);
		break;
	case BTF_KIND_VAR:
		t->name = ANY(r, var_names);
		t->flag = chance(r, 50) ? BTF_VAR_STATIC : BTF_VAR_GLOBAL_ALLOCATED;
		t->type = back_ref(r, rc, id, is_value_type);
		break;
	case BTF_KIND_DATASEC:
		t->name = ANY(r, sec_names);
		t->size = 16;
		for (k = 0; k < 2; k++) {
			uint32_t v = back_ref(r, rc, id, is_var);

			if (v)
				t->m[t->vlen++] = (struct rmember)SEC(v, 8 * k, 4);
		}
		break;
	case BTF_KIND_DECL_TAG:
		t->name = chance(r, 70) ? "tag" : "other";
		t->type = back_ref(r, rc, id, is_any);
		t->flag = (int)pick(r, 3) - 1;
		break;
	}
}

/* Appends a random unit of @n types to @rc. */
static void gen_unit(struct rng *r, struct recipe *rc, uint32_t n)
{
	uint32_t first = (uint32_t)rc->n + 1, end = first + n - 1, id;

	for (id = first; id <= end; id++)
		recipe_push(rc)->kind = random_kind(r);
	for (id = first; id <= end; id++)
		fill_type(r, rc, id, end);
}

/*
 * Appends a copy of @unit to @rc, its IDs moved up, each type changed with a
 * probability of @pct percent: a struct becomes its FWD, an enum its
 * declaration, an INT another size, a member or a pointer another target.
 */
static void copy_mutated(struct rng *r, struct recipe *rc, const struct recipe *unit, int pct)
{
	uint32_t shift = (uint32_t)rc->n, end = shift + (uint32_t)unit->n, id;
	int k;

	for (id = shift + 1; id <= end; id++) {
		struct rtype *t = recipe_push(rc);

		*t = unit->t[id - shift - 1];
		t->type += t->type ? shift : 0;
		t->index += t->index ? shift : 0;
		for (k = 0; k < t->vlen; k++)
			t->m[k].type += t->m[k].type ? shift : 0;
	}
	for (id = shift + 1; id <= end; id++) {
		struct rtype *t = &rc->t[id - 1];

		if (!chance(r, pct))
			continue;
		switch (t->kind) {
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
			if (t->name && chance(r, 60))
				*t = (struct rtype)FWD(t->name, t->kind == BTF_KIND_UNION ?
							  BTF_FWD_UNION : BTF_FWD_STRUCT);
			else if (t->vlen)
				t->m[pick(r, t->vlen)].type = member_type(r, rc, id, end);
			break;
		case BTF_KIND_ENUM:
		case BTF_KIND_ENUM64:
			if (t->name)
				t->vlen = 0;
			break;
		case BTF_KIND_INT:
			t->size = t->size == 4 ? 8 : 4;
			break;
		case BTF_KIND_PTR:
			t->type = back_ref(r, rc, id, is_value_type);
			break;
		default:
			break;
		}
	}
}

struct round_stats {
	int runs, split_runs, merged, errors, mismatches;
};

/* An input of 1 to 3 mutated copies of @unit, sometimes with a unit of its own. */
static void gen_input(struct rng *r, struct recipe *in, const struct recipe *unit)
{
	uint32_t copies = 1 + pick(r, 3), i;
	int pct = chance(r, 25) ? 0 : 15;

	in->n = 0;
	for (i = 0; i < copies; i++)
		copy_mutated(r, in, unit, pct);
	if (chance(r, 30))
		gen_unit(r, in, 3 + pick(r, 6));
}

static void count(struct round_stats *st, struct result res, bool split)
{
	st->runs++;
	st->split_runs += split;
	st->merged += res.merged;
	st->errors += res.err != 0;
	st->mismatches += !res.same;
}

/* One seed: a standalone input, or a base with up to three inputs split on it. */
static void random_round(uint64_t seed, struct round_stats *st)
{
	struct rng r = { .s = seed };
	struct recipe unit = {}, in = {}, base_in = {};
	char label[64];
	int i, inputs, mismatches = st->mismatches;
	bool dedup_base;
	struct base b;

	gen_unit(&r, &unit, 5 + pick(&r, 16));
	if (chance(&r, 50)) {
		gen_input(&r, &in, &unit);
		snprintf(label, sizeof(label), "seed %llu", (unsigned long long)seed);
		count(st, run_case(NULL, in.t, in.n, label), false);
	} else {
		gen_input(&r, &base_in, &unit);
		dedup_base = chance(&r, 50);
		base_init(&b, base_in.t, base_in.n, dedup_base);
		inputs = 1 + (int)pick(&r, 3);
		for (i = 0; i < inputs; i++) {
			gen_input(&r, &in, &unit);
			snprintf(label, sizeof(label), "seed %llu, split input %d",
				 (unsigned long long)seed, i);
			count(st, run_case(&b, in.t, in.n, label), true);
		}
		if (st->mismatches > mismatches) {
			fprintf(stderr, "  base%s:\n", dedup_base ? ", deduplicated first" : "");
			print_recipe(base_in.t, base_in.n);
		}
		base_fini(&b);
	}
	free(unit.t);
	free(in.t);
	free(base_in.t);
}

/* Longer soaks: -DRANDOM_ROUNDS=n -DRANDOM_FIRST_SEED=s. */
#ifndef RANDOM_ROUNDS
#define RANDOM_ROUNDS 10000
#endif
#ifndef RANDOM_FIRST_SEED
#define RANDOM_FIRST_SEED 1
#endif

/* Thousands of random graphs, standalone and split, against libbpf. */
static void random_graphs(void **state)
{
	struct round_stats st = {};
	uint64_t seed;

	for (seed = RANDOM_FIRST_SEED; seed < RANDOM_FIRST_SEED + RANDOM_ROUNDS; seed++) {
		random_round(seed, &st);
		if (st.mismatches >= 3)
			break;
	}
	print_message("%d runs (%d split), %d merged something, %d refused by both\n", st.runs,
		      st.split_runs, st.merged, st.errors);
	assert_int_equal(st.mismatches, 0);
	/* the generator makes inputs worth deduplicating */
	assert_true(st.split_runs > st.runs / 3);
	assert_true(st.merged > st.runs * 3 / 4);
}

/* Malformed blobs are refused, not read out of bounds (libbpf is no oracle here). */
static void malformed_input(void **state)
{
	static const struct rtype dangling[] = {
		INT("int", 4, BTF_INT_SIGNED),
		PTR(7),			/* no type 7 */
	};
	struct btf *b = btf__new_empty();
	size_t size;
	void *raw, *out = (void *)1;
	size_t out_size = 1;

	build(b, dangling, N(dangling), 0);
	raw = raw_copy(b, &size);
	assert_int_equal(dedup__run(NULL, raw, size, &out, &out_size), -EINVAL);
	assert_null(out);
	assert_int_equal(out_size, 0);
	assert_int_equal(dedup__run(NULL, raw, size - 1, &out, &out_size), -EINVAL);
	((struct btf_header *)raw)->magic = 0;
	assert_int_equal(dedup__run(NULL, raw, size, &out, &out_size), -EINVAL);
	errno = 0;
	assert_null(dedup_base__new(raw, size));
	assert_int_equal(errno, EINVAL);
	free(raw);
	btf__free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ints_and_floats),
		cmocka_unit_test(enums_equal_and_different),
		cmocka_unit_test(enum_fwd_standalone),
		cmocka_unit_test(enum_fwd_split),
		cmocka_unit_test(fwd_to_struct_same_input),
		cmocka_unit_test(fwd_resolved_by_equivalence),
		cmocka_unit_test(fwd_ambiguous_left_alone),
		cmocka_unit_test(fwd_to_base_struct),
		cmocka_unit_test(base_fwd_struct_in_split),
		cmocka_unit_test(identical_arrays_and_structs),
		cmocka_unit_test(list_head),
		cmocka_unit_test(modifier_chains),
		cmocka_unit_test(funcs_and_decl_tags),
		cmocka_unit_test(vars_and_datasecs),
		cmocka_unit_test(anonymous_structs),
		cmocka_unit_test(equal_hash_candidate_order),
		cmocka_unit_test(reference_loop),
		cmocka_unit_test(empty_input),
		cmocka_unit_test(malformed_input),
		cmocka_unit_test(several_inputs_one_base),
		cmocka_unit_test(random_graphs),
	};

	return cmocka_run_group_tests_name("dedup", tests, NULL, NULL);
}
