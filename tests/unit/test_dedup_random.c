// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests: btf_dedup/ on seeded random type graphs, standalone and
 * split on a base, each compared byte for byte with libbpf 1.1.2's
 * btf__dedup() (see dedup_recipe.h).
 */
#include "dedup_recipe.h"
#include "util/vec.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(random_graphs),
	};

	return cmocka_run_group_tests_name("dedup_random", tests, NULL, NULL);
}
