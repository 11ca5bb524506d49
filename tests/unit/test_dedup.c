// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests: btf_dedup/ — hand-written cases, each compared byte for
 * byte with libbpf 1.1.2's btf__dedup() (see dedup_recipe.h for how); random
 * type graphs are compared by tests/tools/dedup_diff.c.
 */
#include <pthread.h>

#include "dedup_recipe.h"

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
 * Anonymous enums share one candidate list (libbpf hashes an enum by its name
 * alone): most candidates are ruled out by their signature (dedup_enum_sig()),
 * the base's and the input's own. Equal ones still merge, near misses (a value,
 * a value's name, the size, the sign, ENUM against ENUM64) stay apart, and a
 * declaration without values still meets every candidate.
 */
static void anonymous_enums_by_signature(void **state)
{
	static const struct rtype base_t[] = {
		ENUM(NULL, 4, 2, V("A", 1), V("B", 2)),
		ENUM(NULL, 4, 2, V("A", 1), V("B", 3)),
		ENUM(NULL, 2, 2, V("A", 1), V("B", 2)),
		ENUM(NULL, 4, 2, V("A", -1), V("B", 2)),
		ENUM64(NULL, 2, V("A", 1), V("B", 2)),
		ENUM64(NULL, 1, V("A", 1ll << 40)),
		ENUM("e", 4, 0),
	};
	static const struct rtype mod[] = {
		ENUM(NULL, 4, 2, V("A", 1), V("B", 3)),		/* -> base 2 */
		ENUM64(NULL, 1, V("A", 1ll << 40)),		/* -> base 6 */
		ENUM(NULL, 4, 2, V("A", 1), V("C", 2)),		/* 3: new */
		ENUM(NULL, 4, 2, V("A", 1), V("B", 4)),		/* 4: new */
		ENUM(NULL, 4, 2, V("A", 1), V("C", 2)),		/* -> 3 */
		ENUM(NULL, 8, 2, V("A", 1), V("B", 2)),		/* 6: new */
		ENUM(NULL, 4, 2, V("A", 1), V("B", 4)),		/* -> 4 */
		ENUM(NULL, 4, 2, V("A", -1), V("B", 2)),	/* -> base 4 */
		ENUM(NULL, 4, 0),				/* 9: declaration -> a candidate */
		PTR(9),
		ENUM("e", 4, 1, V("Z", 0)),			/* the base's declaration -> here */
		PTR(11),
		ENUM64(NULL, 2, V("A", 1), V("B", 2)),		/* -> base 5 */
		ENUM(NULL, 4, 2, V("A", 1), V("B", 2)),		/* -> base 1 */
	};
	struct base b;

	base_init(&b, base_t, N(base_t), false);
	EXPECT_SPLIT(&b, mod, 6);
	EXPECT(mod, 11);
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

/* Malformed blobs are refused, not read out of bounds (libbpf is no oracle here). */
static void malformed_input(void **state)
{
	static const struct rtype dangling[] = {
		INT("int", 4, BTF_INT_SIGNED),
		PTR(7),			/* no type 7 */
	};
	struct btf *b = btf__new_empty();
	struct dedup_report rep = {};
	size_t size;
	void *raw, *copy, *out = (void *)1;
	size_t out_size = 1;

	build(b, dangling, N(dangling), 0);
	raw = raw_copy(b, &size);
	assert_int_equal(dedup__run(NULL, raw, size, &out, &out_size), -EINVAL);
	assert_null(out);
	assert_int_equal(out_size, 0);
	/* The first type with an ID past the last is the one reported. */
	copy = malloc(size);
	assert_non_null(copy);
	memcpy(copy, raw, size);
	assert_int_equal(dedup__run_inplace(NULL, copy, size, NULL, &out, &out_size, &rep),
			 -EINVAL);
	assert_int_equal(rep.type_id, 2);
	assert_string_equal(rep.what, "refers to a type ID beyond the input");
	free(copy);
	assert_int_equal(dedup__run(NULL, raw, size - 1, &out, &out_size), -EINVAL);
	((struct btf_header *)raw)->magic = 0;
	assert_int_equal(dedup__run(NULL, raw, size, &out, &out_size), -EINVAL);
	errno = 0;
	assert_null(dedup_base__new(raw, size));
	assert_int_equal(errno, EINVAL);
	free(raw);
	btf__free(b);
}

/*
 * A hostile base that passed the structural check: a chain of N structs named
 * like the input's self-referencing one makes the equivalence walk recurse
 * about 2N deep. It must fail cleanly (-ELOOP, a message-worthy report), not
 * run out of stack; the base index stays usable. Run on a thread with a known
 * stack, so the verdict does not depend on ulimit or on ASan's frame sizes.
 */
#define CHAIN_LEN 12000

struct deep_args {
	struct dedup_base *index;
	void *in;
	size_t in_size;
	int err;
	struct dedup_report report;
};

static void *deep_run(void *arg)
{
	struct deep_args *a = arg;
	void *copy = malloc(a->in_size), *out = NULL;
	size_t out_size;

	memcpy(copy, a->in, a->in_size);
	a->err = dedup__run_inplace(a->index, copy, a->in_size, NULL, &out, &out_size,
				    &a->report);
	free(out);
	free(copy);
	return NULL;
}

static void hostile_deep_base(void **state)
{
	struct btf *base = btf__new_empty(), *in = btf__new_empty();
	struct deep_args a = { 0 };
	void *base_raw, *out = NULL;
	size_t base_size, out_size;
	pthread_attr_t attr;
	pthread_t tid;
	int k, s_id;

	/* struct s { struct s *next; } N times, each pointing at the next copy. */
	for (k = 0; k < CHAIN_LEN; k++) {
		s_id = btf__add_struct(base, "s", 8);
		assert_int_equal(s_id, 2 * k + 1);
		assert_int_equal(btf__add_field(base, "next", 2 * k + 2, 0, 0), 0);
		assert_int_equal(btf__add_ptr(base, k + 1 < CHAIN_LEN ? 2 * k + 3 : 1), 2 * k + 2);
	}
	assert_int_equal(btf__add_struct(in, "s", 8), 1);
	assert_int_equal(btf__add_field(in, "next", 2, 0, 0), 0);
	assert_int_equal(btf__add_ptr(in, 1), 2);
	base_raw = raw_copy(base, &base_size);
	a.in = raw_copy(in, &a.in_size);
	a.index = dedup_base__new(base_raw, base_size);
	assert_non_null(a.index);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 << 20);
	assert_int_equal(pthread_create(&tid, &attr, deep_run, &a), 0);
	pthread_join(tid, NULL);
	pthread_attr_destroy(&attr);
	assert_int_equal(a.err, -ELOOP);
	assert_int_equal(a.report.type_id, 1);
	assert_non_null(strstr(a.report.what, "too deep"));
	/* The index is back to its state: another input gives what a fresh one gives. */
	{
		struct btf *other = btf__new_empty();
		struct dedup_base *fresh = dedup_base__new(base_raw, base_size);
		void *other_raw, *out2 = NULL;
		size_t other_size, out2_size;

		assert_non_null(fresh);
		assert_int_equal(btf__add_int(other, "int", 4, BTF_INT_SIGNED), 1);
		assert_int_equal(btf__add_ptr(other, 1), 2);
		other_raw = raw_copy(other, &other_size);
		assert_int_equal(dedup__run(a.index, other_raw, other_size, &out, &out_size), 0);
		assert_int_equal(dedup__run(fresh, other_raw, other_size, &out2, &out2_size), 0);
		assert_int_equal(out_size, out2_size);
		assert_memory_equal(out, out2, out_size);
		free(out);
		free(out2);
		free(other_raw);
		dedup_base__free(fresh);
		btf__free(other);
	}
	dedup_base__free(a.index);
	free(base_raw);
	free(a.in);
	btf__free(base);
	btf__free(in);
}

/*
 * A split input's records are found, checked and remapped in one walk (dedup_load.c):
 * what the walk can only judge at the end (an ID past the last type) and what it meets
 * on the way (a record that overruns the section, a string offset outside the strings)
 * are refused; the base is left as it was, and an ID to the last type is fine.
 */
static void malformed_split_input(void **state)
{
	static const struct rtype base_t[] = {
		INT("int", 4, BTF_INT_SIGNED),
		PTR(1),
	};
	static const struct rtype last_id[] = {
		INT("long", 8, BTF_INT_SIGNED),
		PTR(3),			/* the last type */
		CONST(1),
	};
	static const struct rtype past_last[] = {
		INT("long", 8, BTF_INT_SIGNED),
		PTR(4),			/* one past the last */
		CONST(1),
	};
	static const struct rtype two[] = {
		INT("long", 8, BTF_INT_SIGNED),
		STRUCT("s", 8, 1, M("a", 1, 0)),
	};
	struct dedup_report rep = {};
	struct btf_header *h;
	struct btf_type *t;
	void *raw, *out = (void *)1;
	size_t size, out_size = 1;
	struct base b;
	int k;

	base_init(&b, base_t, N(base_t), false);
	EXPECT_SPLIT(&b, last_id, 3);
	for (k = 0; k < 3; k++) {
		struct btf *in = btf__new_empty();

		build(in, k ? two : past_last, k ? N(two) : N(past_last), 0);
		raw = raw_copy(in, &size);
		h = raw;
		t = (struct btf_type *)((char *)raw + h->hdr_len + h->type_off +
					sizeof(struct btf_type) + 4);	/* the second */
		if (k == 1)
			t->info = (uint32_t)BTF_KIND_STRUCT << 24 | 2;	/* overruns the section */
		if (k == 2)
			t->name_off = h->str_len + 5;
		assert_int_equal(dedup__run(b.index, raw, size, &out, &out_size), -EINVAL);
		assert_null(out);
		assert_int_equal(out_size, 0);
		/* Refused as it is read, as when the records were counted first. */
		assert_int_equal(dedup__run_inplace(b.index, raw, size, NULL, &out, &out_size,
						    &rep), -EINVAL);
		assert_string_equal(rep.what, "malformed input");
		free(raw);
		btf__free(in);
	}
	EXPECT_SPLIT(&b, last_id, 3);	/* the base's table came back */
	base_fini(&b);
}

/* The index checks what it reads: a base ID past the base is refused. */
static void base_id_outside(void **state)
{
	struct btf *base = btf__new_empty();
	void *raw;
	size_t size;

	assert_int_equal(btf__add_int(base, "int", 4, BTF_INT_SIGNED), 1);
	assert_int_equal(btf__add_ptr(base, 1), 2);
	raw = raw_copy(base, &size);
	((struct btf_type *)((char *)raw + sizeof(struct btf_header) +
			     sizeof(struct btf_type) + 4))->type = 1000;
	errno = 0;
	assert_null(dedup_base__new(raw, size));
	assert_int_equal(errno, EINVAL);
	free(raw);
	btf__free(base);
}

/*
 * An index moved onto a copy of its blob runs from the copy once the original
 * is gone (scribbled over here), and refuses bytes that differ.
 */
/*
 * Offsets the caller kept (dedup_opts.offs, rawbtf__index_types()): the same output as
 * the run's own walk, split or not; offsets that do not fit the blob are refused.
 */
static void given_offsets(void **state)
{
	struct btf *base = btf__new_empty(), *in = btf__new_empty();
	uint32_t offs[4] = { 0, 16, 40, 52 }, bad[4];
	void *raw, *in_raw, *copy, *out, *out2;
	size_t size, in_size, out_size, out2_size;
	struct dedup_base *index;
	struct dedup_opts opts = { .offs = offs, .nr = 4 };
	int split, k;

	(void)state;
	assert_int_equal(btf__add_int(base, "int", 4, BTF_INT_SIGNED), 1);
	/* int (16 bytes), struct s { int *p; } (24), int * (12), int * (12) */
	assert_int_equal(btf__add_int(in, "int", 4, BTF_INT_SIGNED), 1);
	assert_int_equal(btf__add_struct(in, "s", 8), 2);
	assert_int_equal(btf__add_field(in, "p", 3, 0, 0), 0);
	assert_int_equal(btf__add_ptr(in, 1), 3);
	assert_int_equal(btf__add_ptr(in, 1), 4);
	raw = raw_copy(base, &size);
	in_raw = raw_copy(in, &in_size);
	index = dedup_base__new(raw, size);
	assert_non_null(index);
	for (split = 0; split < 2; split++) {
		struct dedup_base *b = split ? index : NULL;

		assert_int_equal(dedup__run(b, in_raw, in_size, &out, &out_size), 0);
		copy = malloc(in_size);
		memcpy(copy, in_raw, in_size);
		assert_int_equal(dedup__run_inplace(b, copy, in_size, &opts, &out2, &out2_size,
						    NULL), 0);
		assert_int_equal(out_size, out2_size);
		assert_memory_equal(out, out2, out_size);
		free(out);
		free(out2);
		free(copy);
	}
	/* Not from 0, out of order, past the end, the last record not ending the section. */
	for (k = 0; k < 4; k++) {
		struct dedup_opts o = { .offs = bad, .nr = 4 };

		memcpy(bad, offs, sizeof(bad));
		if (k == 0)
			bad[0] = 4;
		else if (k == 1)
			bad[2] = 12;
		else if (k == 2)
			bad[3] = 1000;
		else
			o.nr = 3;
		copy = malloc(in_size);
		memcpy(copy, in_raw, in_size);
		out = NULL;
		assert_int_equal(dedup__run_inplace(index, copy, in_size, &o, &out, &out_size,
						    NULL), -EINVAL);
		assert_null(out);
		free(copy);
	}
	dedup_base__free(index);
	free(raw);
	free(in_raw);
	btf__free(base);
	btf__free(in);
}

static void rebind_to_copy(void **state)
{
	struct btf *base = btf__new_empty(), *in = btf__new_empty();
	void *raw, *copy, *in_raw, *out = NULL, *out2 = NULL;
	size_t size, in_size, out_size, out2_size;
	struct dedup_base *index, *fresh;

	assert_int_equal(btf__add_int(base, "int", 4, BTF_INT_SIGNED), 1);
	assert_int_equal(btf__add_struct(base, "s", 8), 2);
	assert_int_equal(btf__add_field(base, "p", 3, 0, 0), 0);
	assert_int_equal(btf__add_ptr(base, 2), 3);
	assert_int_equal(btf__add_int(in, "int", 4, BTF_INT_SIGNED), 1);
	assert_int_equal(btf__add_struct(in, "s", 8), 2);
	assert_int_equal(btf__add_field(in, "p", 3, 0, 0), 0);
	assert_int_equal(btf__add_ptr(in, 2), 3);
	assert_int_equal(btf__add_ptr(in, 1), 4);
	raw = raw_copy(base, &size);
	copy = malloc(size);
	memcpy(copy, raw, size);
	in_raw = raw_copy(in, &in_size);
	index = dedup_base__new(raw, size);
	fresh = dedup_base__new(copy, size);
	assert_non_null(index);
	assert_non_null(fresh);

	/* Other bytes (one string differs; a shorter blob): refused, still on @raw. */
	((char *)copy)[size - 2] ^= 1;
	assert_int_equal(dedup_base__rebind(index, copy, size), -EINVAL);
	((char *)copy)[size - 2] ^= 1;
	assert_int_equal(dedup_base__rebind(index, copy, size - 1), -EINVAL);
	assert_ptr_equal(dedup_base__strs(index),
			 (char *)raw + size - ((struct btf_header *)raw)->str_len);

	assert_int_equal(dedup_base__rebind(index, copy, size), 0);
	assert_ptr_equal(dedup_base__strs(index),
			 (char *)copy + size - ((struct btf_header *)copy)->str_len);
	memset(raw, 0xa5, size);
	assert_int_equal(dedup__run(index, in_raw, in_size, &out, &out_size), 0);
	assert_int_equal(dedup__run(fresh, in_raw, in_size, &out2, &out2_size), 0);
	assert_int_equal(out_size, out2_size);
	assert_memory_equal(out, out2, out_size);
	/* Only the new pointer: void and int, s and its pointer all in the base. */
	assert_int_equal(((struct btf_header *)out)->type_len, sizeof(struct btf_type));
	free(out);
	free(out2);
	dedup_base__free(index);
	dedup_base__free(fresh);
	free(raw);
	free(copy);
	free(in_raw);
	btf__free(base);
	btf__free(in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ints_and_floats),
		cmocka_unit_test(enums_equal_and_different),
		cmocka_unit_test(enum_fwd_standalone),
		cmocka_unit_test(enum_fwd_split),
		cmocka_unit_test(anonymous_enums_by_signature),
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
		cmocka_unit_test(malformed_split_input),
		cmocka_unit_test(several_inputs_one_base),
		cmocka_unit_test(hostile_deep_base),
		cmocka_unit_test(base_id_outside),
		cmocka_unit_test(rebind_to_copy),
		cmocka_unit_test(given_offsets),
	};

	return cmocka_run_group_tests_name("dedup", tests, NULL, NULL);
}
