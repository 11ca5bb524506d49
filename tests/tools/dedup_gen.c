// SPDX-License-Identifier: GPL-2.0-only
/*
 * dedup_gen: seeded random BTF type graphs for the dedup differential test
 * (contract in dedup_gen.h).
 *
 * A unit is made in two steps: every type gets its kind first (so that a
 * pointer or a member may refer to a type further on), then each is filled
 * in ID order. A type marked as a twin copies the one before it once that
 * one is filled; references are then spread over the two. Self-referring
 * typedefs and nested struct chains are added to a unit after that.
 */
#include <stdlib.h>
#include <string.h>
#include <linux/btf.h>

#include "dedup_gen.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define ANY(g, a) ((a)[pick(g, N(a))])

/* What a unit may hold besides its random types, chosen per unit. */
struct unit_features {
	bool twins;		/* types defined twice in a row */
	bool chains;		/* references mostly to the type just before */
	bool rec_typedefs;	/* typedefs referring to themselves through a pointer */
	bool nested;		/* two chains of structs nested by value */
};

struct gen {
	uint64_t s;			/* splitmix64 state */
	struct unit_features f;
	bool *twin;			/* twin[id]: type id copies type id - 1 */
	size_t twin_cap;
	uint32_t nested_first;		/* the unit's nested group from this ID; 0: none */
};

static uint64_t rng_next(struct gen *g)
{
	uint64_t z = (g->s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint32_t pick(struct gen *g, uint32_t n)
{
	return (uint32_t)(rng_next(g) % n);
}

static bool chance(struct gen *g, int pct)
{
	return pick(g, 100) < (uint32_t)pct;
}

static void *xrealloc(void *p, size_t size)
{
	p = realloc(p, size);
	if (!p)
		abort();
	return p;
}

static const char *const tag_names[] = { "foo", "bar", "list_head", "s", "node" };
static const char *const member_names[] = { "a", "b", "next", "x" };
static const char *const int_names[] = { "int", "long", "char" };
static const char *const typedef_names[] = { "foo", "u32", "t" };
static const char *const tag_values[] = { "user", "rcu" };
static const char *const func_names[] = { "f", "g" };
static const char *const var_names[] = { "v", "w" };
static const char *const sec_names[] = { ".data", ".bss" };
static const char *const enum_values[] = { "A", "B", "C" };
static const char *const nest_names[] = {
	"n0", "n1", "n2", "n3", "n4", "n5", "n6", "n7", "n8", "n9",
	"n10", "n11", "n12", "n13", "n14", "n15", "n16", "n17", "n18", "n19",
};

static const struct {
	int kind;
	int weight;
} kind_weights[] = {
	{ BTF_KIND_INT, 10 }, { BTF_KIND_FLOAT, 2 }, { BTF_KIND_PTR, 14 },
	{ BTF_KIND_CONST, 5 }, { BTF_KIND_VOLATILE, 2 }, { BTF_KIND_RESTRICT, 2 },
	{ BTF_KIND_TYPEDEF, 7 }, { BTF_KIND_TYPE_TAG, 3 }, { BTF_KIND_ARRAY, 6 },
	{ BTF_KIND_STRUCT, 16 }, { BTF_KIND_UNION, 4 }, { BTF_KIND_FWD, 8 },
	{ BTF_KIND_ENUM, 5 }, { BTF_KIND_ENUM64, 3 }, { BTF_KIND_FUNC_PROTO, 5 },
	{ BTF_KIND_FUNC, 3 }, { BTF_KIND_VAR, 3 }, { BTF_KIND_DATASEC, 2 },
	{ BTF_KIND_DECL_TAG, 3 },
};

static int random_kind(struct gen *g)
{
	int total = 0, w;
	size_t i;

	for (i = 0; i < N(kind_weights); i++)
		total += kind_weights[i].weight;
	w = (int)pick(g, (uint32_t)total);
	for (i = 0; w >= kind_weights[i].weight; i++)
		w -= kind_weights[i].weight;
	return kind_weights[i].kind;
}

static struct gen_type *push(struct gen_types *ts)
{
	if (ts->n == ts->cap) {
		ts->cap = ts->cap ? 2 * ts->cap : 32;
		ts->t = xrealloc(ts->t, ts->cap * sizeof(*ts->t));
	}
	memset(&ts->t[ts->n], 0, sizeof(ts->t[0]));
	return &ts->t[ts->n++];
}

static int kind_of(const struct gen_types *ts, uint32_t id)
{
	return ts->t[id - 1].kind;
}

/* What a type, a member or a parameter may name: no VAR, DATASEC, FUNC, DECL_TAG. */
static bool is_value_type(int kind)
{
	return kind != BTF_KIND_VAR && kind != BTF_KIND_DATASEC && kind != BTF_KIND_FUNC &&
	       kind != BTF_KIND_DECL_TAG;
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

/*
 * A random type of @ts below @id (IDs from @first) of a kind @ok accepts,
 * or void; under chains, most often the type just before.
 */
static uint32_t back_ref(struct gen *g, const struct gen_types *ts, uint32_t first, uint32_t id,
			 bool (*ok)(int kind))
{
	int tries;

	if (g->f.chains && id > first && chance(g, 50) && ok(kind_of(ts, id - 1)))
		return id - 1;
	for (tries = 0; id > first && tries < 4; tries++) {
		uint32_t j = first + pick(g, id - first);

		if (ok(kind_of(ts, j)))
			return j;
	}
	return 0;
}

/* A pointer's target: an earlier type, or a struct/union/FWD/typedef in (@id, @end]. */
static uint32_t ptr_target(struct gen *g, const struct gen_types *ts, uint32_t first,
			   uint32_t id, uint32_t end)
{
	uint32_t j = first + pick(g, end - first + 1);
	int kind = kind_of(ts, j);

	if (j > id && (kind == BTF_KIND_STRUCT || kind == BTF_KIND_UNION ||
		       kind == BTF_KIND_FWD || kind == BTF_KIND_TYPEDEF))
		return j;
	return back_ref(g, ts, first, id, is_value_type);
}

/* A member's type: an earlier type, or a PTR in (@id, @end]. */
static uint32_t member_type(struct gen *g, const struct gen_types *ts, uint32_t first,
			    uint32_t id, uint32_t end)
{
	uint32_t j;

	if (id < end && chance(g, 30)) {
		j = id + 1 + pick(g, end - id);
		if (kind_of(ts, j) == BTF_KIND_PTR)
			return j;
	}
	return back_ref(g, ts, first, id, is_value_type);
}

static void fill_members(struct gen *g, const struct gen_types *ts, struct gen_type *t,
			 uint32_t first, uint32_t id, uint32_t end)
{
	int k;

	t->vlen = (int)pick(g, 5);
	for (k = 0; k < t->vlen; k++) {
		struct gen_member *m = &t->m[k];

		m->name = chance(g, 10) ? NULL : ANY(g, member_names);
		m->type = member_type(g, ts, first, id, end);
		if (t->kind == BTF_KIND_UNION)
			continue;
		m->off = 32 * (uint32_t)k;
		if (chance(g, 8)) {
			m->off += 1 + pick(g, 7);
			m->bits = 1 + pick(g, 8);
		}
	}
}

/* An enum, an enum64, or (no values) a forward declaration of either. */
static void fill_enum(struct gen *g, struct gen_type *t)
{
	int k;

	t->name = chance(g, 15) ? NULL : ANY(g, tag_names);
	t->vlen = chance(g, 40) ? 0 : 1 + (int)pick(g, 3);
	if (!t->vlen && !t->name)
		t->name = "foo";
	t->size = t->kind == BTF_KIND_ENUM64 || chance(g, 10) ? 8 : 4;
	t->flag = chance(g, 20);	/* ENUM64: signed */
	for (k = 0; k < t->vlen; k++) {
		t->m[k].name = enum_values[k];
		t->m[k].val = (int64_t)pick(g, 3) - (t->kind == BTF_KIND_ENUM && chance(g, 10));
		if (t->kind == BTF_KIND_ENUM64)
			t->m[k].val += (int64_t)pick(g, 2) << 40;
	}
}

static void fill_proto(struct gen *g, const struct gen_types *ts, struct gen_type *t,
		       uint32_t first, uint32_t id)
{
	int k;

	t->type = chance(g, 20) ? 0 : back_ref(g, ts, first, id, is_value_type);
	t->vlen = (int)pick(g, 4);
	for (k = 0; k < t->vlen; k++) {
		t->m[k].name = chance(g, 20) ? NULL : ANY(g, member_names);
		t->m[k].type = back_ref(g, ts, first, id, is_value_type);
	}
	if (t->vlen && chance(g, 10))
		t->m[t->vlen - 1] = (struct gen_member){};	/* varargs */
}

static void fill_datasec(struct gen *g, const struct gen_types *ts, struct gen_type *t,
			 uint32_t first, uint32_t id)
{
	uint32_t k;

	t->name = ANY(g, sec_names);
	t->size = 16;
	for (k = 0; k < 2; k++) {
		uint32_t v = back_ref(g, ts, first, id, is_var);

		if (v)
			t->m[t->vlen++] = (struct gen_member){ .type = v, .off = 8 * k, .bits = 4 };
	}
}

/* Fills type @id, whose kind is set; types @first to @end have their kinds. */
static void fill_type(struct gen *g, struct gen_types *ts, uint32_t first, uint32_t id,
		      uint32_t end)
{
	static const uint32_t int_sizes[] = { 1, 4, 8 }, struct_sizes[] = { 4, 8, 16 };
	struct gen_type *t = &ts->t[id - 1];

	switch (t->kind) {
	case BTF_KIND_INT:
		t->name = ANY(g, int_names);
		t->size = ANY(g, int_sizes);
		t->flag = chance(g, 50) ? BTF_INT_SIGNED : chance(g, 20) ? BTF_INT_CHAR : 0;
		break;
	case BTF_KIND_FLOAT:
		t->name = chance(g, 50) ? "float" : "double";
		t->size = chance(g, 50) ? 4 : 8;
		break;
	case BTF_KIND_PTR:
		t->type = ptr_target(g, ts, first, id, end);
		break;
	case BTF_KIND_TYPEDEF:
		t->name = ANY(g, typedef_names);
		t->type = back_ref(g, ts, first, id, is_value_type);
		break;
	case BTF_KIND_TYPE_TAG:
		t->name = ANY(g, tag_values);
		/* fallthrough */
	case BTF_KIND_CONST:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT:
		t->type = back_ref(g, ts, first, id, is_value_type);
		break;
	case BTF_KIND_ARRAY:
		t->type = back_ref(g, ts, first, id, is_value_type);
		t->index = back_ref(g, ts, first, id, is_value_type);
		t->nelems = pick(g, 3) * 2;
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		t->name = chance(g, 20) ? NULL : ANY(g, tag_names);
		t->size = ANY(g, struct_sizes);
		fill_members(g, ts, t, first, id, end);
		break;
	case BTF_KIND_FWD:
		t->name = ANY(g, tag_names);
		t->flag = chance(g, 20);	/* libbpf's btf_fwd_kind: 1 union */
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		fill_enum(g, t);
		break;
	case BTF_KIND_FUNC_PROTO:
		fill_proto(g, ts, t, first, id);
		break;
	case BTF_KIND_FUNC:
		t->name = ANY(g, func_names);
		t->flag = chance(g, 50) ? BTF_FUNC_STATIC : BTF_FUNC_GLOBAL;
		t->type = back_ref(g, ts, first, id, is_proto);
		break;
	case BTF_KIND_VAR:
		t->name = ANY(g, var_names);
		t->flag = chance(g, 50) ? BTF_VAR_STATIC : BTF_VAR_GLOBAL_ALLOCATED;
		t->type = back_ref(g, ts, first, id, is_value_type);
		break;
	case BTF_KIND_DATASEC:
		fill_datasec(g, ts, t, first, id);
		break;
	case BTF_KIND_DECL_TAG:
		t->name = chance(g, 70) ? "tag" : "other";
		t->type = back_ref(g, ts, first, id, is_any);
		t->flag = (int)pick(g, 3) - 1;
		break;
	}
}

/* A reference from @id to @*ref moves to @*ref's twin half the time, order kept. */
static void spread_ref(struct gen *g, uint32_t id, uint32_t *ref, uint32_t end)
{
	uint32_t twin = *ref + 1;

	if (!*ref || twin > end || !g->twin[twin] || twin == id || !chance(g, 50))
		return;
	if (twin < id || *ref > id)
		*ref = twin;
}

static void spread_refs(struct gen *g, struct gen_types *ts, uint32_t first, uint32_t end)
{
	uint32_t id;
	int k;

	for (id = first; id <= end; id++) {
		struct gen_type *t = &ts->t[id - 1];

		spread_ref(g, id, &t->type, end);
		spread_ref(g, id, &t->index, end);
		for (k = 0; k < t->vlen; k++)
			if (t->kind != BTF_KIND_ENUM && t->kind != BTF_KIND_ENUM64)
				spread_ref(g, id, &t->m[k].type, end);
	}
}

/*
 * A typedef in [@first, @end] made to refer to itself: through a PTR after
 * it (typedef T *T), or through a PTR and a prototype taking a T.
 */
static void add_rec_typedef(struct gen *g, struct gen_types *ts, uint32_t first, uint32_t end)
{
	uint32_t td = first + pick(g, end - first + 1), ptr, proto;
	struct gen_type *q;

	if (kind_of(ts, td) != BTF_KIND_TYPEDEF)
		return;
	for (ptr = td + 1; ptr <= end && kind_of(ts, ptr) != BTF_KIND_PTR; ptr++)
		;
	if (ptr > end)
		return;
	ts->t[td - 1].type = ptr;
	ts->t[ptr - 1].type = td;
	if (!chance(g, 40))
		return;
	for (proto = td + 1; proto <= end && kind_of(ts, proto) != BTF_KIND_FUNC_PROTO; proto++)
		;
	if (proto > end)
		return;
	ts->t[ptr - 1].type = proto;
	q = &ts->t[proto - 1];
	if (!q->vlen)
		q->vlen = 1;
	q->m[0] = (struct gen_member){ .name = "self", .type = td };
}

/* A struct of one member @type named @name. */
static void push_struct1(struct gen_types *ts, const char *name, uint32_t type)
{
	struct gen_type *t = push(ts);

	*t = (struct gen_type){ .kind = BTF_KIND_STRUCT, .name = name, .size = 4, .vlen = 1 };
	t->m[0] = (struct gen_member){ .name = "m", .type = type };
}

/*
 * struct s { n0 a; n0 b; } or { n0 a; n0' b; }: n0 holds n1 ... holds an int,
 * 14 to 20 levels, n0' a separate definition of the same chain. s comes
 * first, so a copy of s meets its chains before they are deduplicated: the
 * group's references by value go up, and a copy's members in it are only
 * retargeted below it (no struct holds itself).
 */
static void add_nested(struct gen *g, struct gen_types *ts)
{
	uint32_t levels = 14 + pick(g, 7), s = (uint32_t)ts->n + 1, a = s + 1, b = a + levels;
	uint32_t bottom = b + levels, k;
	bool two = chance(g, 50);
	struct gen_type *t = push(ts);

	g->nested_first = s;
	*t = (struct gen_type){ .kind = BTF_KIND_STRUCT, .name = "s", .size = 8, .vlen = 2 };
	t->m[0] = (struct gen_member){ .name = "a", .type = a };
	t->m[1] = (struct gen_member){ .name = "b", .type = two ? b : a, .off = 32 };
	for (k = 0; k < levels; k++)
		push_struct1(ts, nest_names[k], k + 1 < levels ? a + k + 1 : bottom);
	for (k = 0; k < levels; k++)
		push_struct1(ts, nest_names[k], k + 1 < levels ? b + k + 1 : bottom);
	*push(ts) = (struct gen_type){ .kind = BTF_KIND_INT, .name = "int", .size = 4,
				       .flag = BTF_INT_SIGNED };
}

/* Appends a random unit of @n types (and its extras) to @ts. */
static void gen_unit(struct gen *g, struct gen_types *ts, uint32_t n)
{
	uint32_t first = (uint32_t)ts->n + 1, end = first + n - 1, id;

	if (end + 1 > g->twin_cap) {
		g->twin = xrealloc(g->twin, (end + 1) * sizeof(*g->twin));
		g->twin_cap = end + 1;
	}
	memset(g->twin + first, 0, n * sizeof(*g->twin));
	for (id = first; id <= end; id++) {
		struct gen_type *t = push(ts);

		if (g->f.twins && id > first && !g->twin[id - 1] && chance(g, 20)) {
			t->kind = kind_of(ts, id - 1);
			g->twin[id] = true;
		} else {
			t->kind = random_kind(g);
		}
	}
	for (id = first; id <= end; id++) {
		if (g->twin[id])
			ts->t[id - 1] = ts->t[id - 2];
		else
			fill_type(g, ts, first, id, end);
	}
	if (g->f.twins)
		spread_refs(g, ts, first, end);
	if (g->f.rec_typedefs)
		for (id = 0; id < 3; id++)
			add_rec_typedef(g, ts, first, end);
	if (g->f.nested)
		add_nested(g, ts);
}

static void shift_ref(uint32_t *ref, uint32_t shift)
{
	if (*ref)
		*ref += shift;
}

/*
 * Appends a copy of @unit to @ts, its IDs moved up, each type changed with
 * a probability of @pct percent: a struct becomes its FWD, an enum its
 * declaration, an INT another size, a member, a pointer or a typedef
 * another target.
 */
static void copy_mutated(struct gen *g, struct gen_types *ts, const struct gen_types *unit,
			 int pct)
{
	uint32_t shift = (uint32_t)ts->n, first = shift + 1, end = shift + (uint32_t)unit->n, id;
	uint32_t nested = g->nested_first ? g->nested_first + shift : 0;
	int k;

	for (id = first; id <= end; id++) {
		struct gen_type *t = push(ts);

		*t = unit->t[id - first];
		shift_ref(&t->type, shift);
		shift_ref(&t->index, shift);
		for (k = 0; k < t->vlen; k++)
			if (t->kind != BTF_KIND_ENUM && t->kind != BTF_KIND_ENUM64)
				shift_ref(&t->m[k].type, shift);
	}
	for (id = first; id <= end; id++) {
		struct gen_type *t = &ts->t[id - 1];

		if (!chance(g, pct))
			continue;
		switch (t->kind) {
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
			if (t->name && chance(g, 60))
				*t = (struct gen_type){ .kind = BTF_KIND_FWD, .name = t->name,
							.flag = t->kind == BTF_KIND_UNION };
			else if (t->vlen && nested && id >= nested)
				t->m[pick(g, t->vlen)].type = back_ref(g, ts, first, nested,
								       is_value_type);
			else if (t->vlen)
				t->m[pick(g, t->vlen)].type = member_type(g, ts, first, id, end);
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
		case BTF_KIND_TYPEDEF:
			t->type = back_ref(g, ts, first, id, is_value_type);
			break;
		default:
			break;
		}
	}
}

/*
 * An input of 1 to 3 copies of @unit, none, 15 or 40 percent of their types
 * mutated, sometimes with a unit of its own.
 */
static void gen_input(struct gen *g, struct gen_types *in, const struct gen_types *unit)
{
	static const int pcts[] = { 0, 15, 15, 40 };
	uint32_t copies = 1 + pick(g, 3), i;
	int pct = ANY(g, pcts);
	struct unit_features f = g->f;

	for (i = 0; i < copies; i++)
		copy_mutated(g, in, unit, pct);
	if (chance(g, 30)) {
		uint32_t nested_first = g->nested_first;

		g->f.nested = false;
		gen_unit(g, in, 3 + pick(g, 6));
		g->f = f;
		g->nested_first = nested_first;
	}
}

void gen__case(uint64_t seed, bool split, struct gen_case *c)
{
	struct gen g = { .s = seed * 2 + split };
	struct gen_types unit = {};
	int i;

	/* a first draw, so that neighbouring seeds start far apart */
	g.s = rng_next(&g);
	g.f.twins = chance(&g, 40);
	g.f.chains = chance(&g, 30);
	g.f.rec_typedefs = chance(&g, 8);
	g.f.nested = chance(&g, 4);
	gen_unit(&g, &unit, chance(&g, 15) ? 20 + pick(&g, 60) : 5 + pick(&g, 16));
	c->split = split;
	if (split) {
		gen_input(&g, &c->base, &unit);
		c->dedup_base = chance(&g, 50);
		c->nr_inputs = 1 + (int)pick(&g, GEN_MAX_INPUTS);
	} else {
		c->nr_inputs = 1;
	}
	for (i = 0; i < c->nr_inputs; i++)
		gen_input(&g, &c->in[i], &unit);
	free(unit.t);
	free(g.twin);
}

void gen__case_free(struct gen_case *c)
{
	int i;

	free(c->base.t);
	for (i = 0; i < GEN_MAX_INPUTS; i++)
		free(c->in[i].t);
	memset(c, 0, sizeof(*c));
}

void gen__print(FILE *f, const struct gen_types *ts)
{
	const struct gen_type *t = ts->t;
	size_t i;
	int k;

	for (i = 0; i < ts->n; i++, t++) {
		fprintf(f, "  [%zu] kind %d '%s' size %u type %u index %u nelems %u flag %d",
			i + 1, t->kind, t->name ? t->name : "", t->size, t->type, t->index,
			t->nelems, t->flag);
		for (k = 0; k < t->vlen; k++)
			fprintf(f, "%s'%s' %u @%u/%u =%lld", k ? ", " : " {",
				t->m[k].name ? t->m[k].name : "", t->m[k].type, t->m[k].off,
				t->m[k].bits, (long long)t->m[k].val);
		fprintf(f, "%s\n", t->vlen ? "}" : "");
	}
}
