/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared by the dedup unit tests (test_dedup.c, test_dedup_rules.c), not a
 * module header: btf_dedup's output compared byte for byte with
 * libbpf 1.1.2's btf__dedup(), the oracle of every test.
 *
 * A case is a recipe: a list of types with local IDs from 1, replayed through
 * btf__add_*() twice, once into a standalone BTF (our input) and, for split
 * cases, once into btf__new_empty_split(base) with the IDs moved past the
 * base's (libbpf's input). Both are deduplicated and the blobs compared; a
 * mismatch prints the recipe and the first type that differs.
 *
 * The functions are static inline so that a test file that does not use one
 * of them builds without -Wunused-function warnings.
 */
#ifndef BTFENC_TESTS_DEDUP_RECIPE_H
#define BTFENC_TESTS_DEDUP_RECIPE_H

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

#include "btf_dedup/dedup.h"
#include "btf_reader/typeref.h"

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
static inline int at(uint32_t id, uint32_t o)
{
	return id ? (int)(id + o) : 0;
}

static inline int add_members(struct btf *b, const struct rtype *t, uint32_t o)
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
static inline int add_type(struct btf *b, const struct rtype *t, uint32_t o)
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
static inline void build(struct btf *b, const struct rtype *t, size_t n, uint32_t o)
{
	size_t i;

	assert_non_null(b);
	for (i = 0; i < n; i++)
		assert_int_equal(add_type(b, &t[i], o), (int)(i + 1 + o));
}

static inline void *raw_copy(const struct btf *b, size_t *size)
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

static inline void print_recipe(const struct rtype *t, size_t n)
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

static inline void print_type(const char *who, const struct btf_type *t, size_t len)
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
static inline void report_diff(const uint8_t *ours, size_t ours_size, const uint8_t *ref,
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
static inline void base_init(struct base *b, const struct rtype *t, size_t n, bool dedup)
{
	b->btf = btf__new_empty();
	build(b->btf, t, n, 0);
	if (dedup)
		assert_int_equal(btf__dedup(b->btf, NULL), 0);
	b->raw = raw_copy(b->btf, &b->size);
	b->index = dedup_base__new(b->raw, b->size);
	assert_non_null(b->index);
}

static inline void base_fini(struct base *b)
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
static inline struct result run_case(struct base *base, const struct rtype *t, size_t n,
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
static inline void expect_types(struct base *base, const struct rtype *t, size_t n, int nr_types,
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

#endif /* BTFENC_TESTS_DEDUP_RECIPE_H */
