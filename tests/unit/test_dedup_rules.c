// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests: btf_dedup's rules of libbpf's later dedup (DEDUP_RULE_*, btf_dedup/dedup.h,
 * btf_dedup/PORTING.md). Each input is one where a rule changes the result: under
 * DEDUP_RULES_F7081A6B the output must be the bytes libbpf at commit f7081a6b gives
 * (its btf__dedup() run on the same input, built the same way; kept below as data,
 * type and string sections), under no rule libbpf 1.1.2's (the libbpf linked here,
 * compared live as in test_dedup.c), and the two must differ.
 */
#include "dedup_recipe.h"

/* Pointers duplicated within a unit (c8a28812). */
static const struct rtype dup_ptrs[] = {
	INT("int", 4, BTF_INT_SIGNED),
	PTR(1),
	STRUCT("s", 16, 2, M("a", 2, 0), M("b", 2, 64)),
	INT("int", 4, BTF_INT_SIGNED),
	PTR(4),
	PTR(4),
	STRUCT("s", 16, 2, M("a", 5, 0), M("b", 6, 64)),
};
/* A const, a prototype behind pointers, duplicated (5ee9fbf7: any kind). */
static const struct rtype dup_other_kinds[] = {
	INT("int", 4, BTF_INT_SIGNED),
	CONST(1),
	PROTO(1, 1, P("x", 1)),
	PTR(3),
	STRUCT("s", 16, 2, M("a", 2, 0), M("b", 2, 32)),
	STRUCT("t", 16, 2, M("f", 4, 0), M("g", 4, 64)),
	INT("int", 4, BTF_INT_SIGNED),
	CONST(7),
	CONST(7),
	STRUCT("s", 16, 2, M("a", 8, 0), M("b", 9, 32)),
	PROTO(7, 1, P("x", 7)),
	PROTO(7, 1, P("x", 7)),
	PTR(11),
	PTR(12),
	STRUCT("t", 16, 2, M("f", 13, 0), M("g", 14, 64)),
};
/* Arrays of one length, other element types: libbpf reads both from the first (5ee9fbf7). */
static const struct rtype array_quirk[] = {
	INT("int", 4, BTF_INT_SIGNED),
	ARRAY(1, 1, 4),
	STRUCT("s", 32, 2, M("a", 2, 0), M("b", 2, 128)),
	INT("int", 4, BTF_INT_SIGNED),
	INT("u32", 4, 0),
	ARRAY(4, 4, 4),
	ARRAY(5, 4, 4),
	STRUCT("s", 32, 2, M("a", 6, 0), M("b", 7, 128)),
};
/* A typedef that refers to itself through a pointer (37027144). */
static const struct rtype recursive_typedef[] = {
	TYPEDEF("rec", 2),
	PTR(1),
	TYPEDEF("rec", 4),
	PTR(3),
};
/* A typedef through a FWD of an ambiguous name meets one through the struct (37027144). */
static const struct rtype typedef_fwd[] = {
	INT("int", 4, BTF_INT_SIGNED),
	STRUCT("s", 4, 1, M("x", 1, 0)),
	STRUCT("s", 4, 1, M("y", 1, 0)),
	PTR(2),
	TYPEDEF("sp", 4),
	FWD("s", 0),
	PTR(6),
	TYPEDEF("sp", 7),
	STRUCT("u", 16, 2, M("a", 5, 0), M("b", 8, 64)),
};
/* The base, and a split input whose typedefs are the base's (5b0f3729). */
static const struct rtype td_base[] = {
	INT("int", 4, BTF_INT_SIGNED),
	STRUCT("s", 4, 1, M("x", 1, 0)),
	PTR(2),
	TYPEDEF("sp", 3),
	TYPEDEF("i_t", 1),
	CONST(5),
};
static const struct rtype td_split[] = {
	INT("int", 4, BTF_INT_SIGNED),
	TYPEDEF("i_t", 1),
	CONST(2),
	FWD("s", 0),
	PTR(4),
	TYPEDEF("sp", 5),
	STRUCT("s", 4, 1, M("y", 1, 0)),
	STRUCT("m", 16, 2, M("a", 3, 0), M("b", 6, 64)),
};

/*
 * Structs nested by value NESTED_LEVELS deep (n0 holds n1 ... holds an int), the chain
 * twice in one unit: struct s holds two copies of n0 where the first unit's s holds one
 * twice (5ee9fbf7: identical only down to 16 levels).
 */
#define NESTED_LEVELS	18
#define NESTED_TYPES	(3 * NESTED_LEVELS + 4)

static char nested_names[NESTED_LEVELS][8];

/* Levels at IDs @first.., the last holding @bottom. */
static void nested_chain(struct rtype *t, uint32_t first, uint32_t bottom)
{
	uint32_t k;

	for (k = 0; k < NESTED_LEVELS; k++) {
		uint32_t next = k + 1 < NESTED_LEVELS ? first + k + 1 : bottom;

		t[first + k - 1] = (struct rtype)STRUCT(nested_names[k], 4, 1, M("m", next, 0));
	}
}

static void nested_recipe(struct rtype *t)
{
	const uint32_t c1 = 2, s1 = c1 + NESTED_LEVELS, i2 = s1 + 1, s2 = i2 + 1;
	const uint32_t c2 = s2 + 1, c3 = c2 + NESTED_LEVELS;
	uint32_t k;

	for (k = 0; k < NESTED_LEVELS; k++)
		snprintf(nested_names[k], sizeof(nested_names[k]), "n%u", k);
	t[0] = (struct rtype)INT("int", 4, BTF_INT_SIGNED);
	nested_chain(t, c1, 1);
	t[s1 - 1] = (struct rtype)STRUCT("s", 8, 2, M("a", c1, 0), M("b", c1, 32));
	t[i2 - 1] = (struct rtype)INT("int", 4, BTF_INT_SIGNED);
	/* before its chains: met while they are not deduplicated yet */
	t[s2 - 1] = (struct rtype)STRUCT("s", 8, 2, M("a", c2, 0), M("b", c3, 32));
	nested_chain(t, c2, i2);
	nested_chain(t, c3, i2);
}

/*
 * libbpf f7081a6b's btf__dedup() on the inputs above: the type section (split: the
 * split types, IDs continuing the base's) and the string section (split: the split
 * strings, offsets continuing the base's).
 */
/* dup_ptrs: err 0, 3 types */
static const uint32_t dup_ptrs_types[] = {
	0x00000001, 0x01000000, 0x00000004, 0x01000020, 0x00000000, 0x02000000,
	0x00000001, 0x00000005, 0x04000002, 0x00000010, 0x00000007, 0x00000002,
	0x00000000, 0x00000009, 0x00000002, 0x00000040,
};
static const char dup_ptrs_strs[] = "\0int\0s\0a\0b";	/* 11 bytes */
/* dup_other_kinds: err 0, 6 types */
static const uint32_t dup_other_kinds_types[] = {
	0x00000001, 0x01000000, 0x00000004, 0x01000020, 0x00000000, 0x0a000000,
	0x00000001, 0x00000000, 0x0d000001, 0x00000001, 0x00000005, 0x00000001,
	0x00000000, 0x02000000, 0x00000003, 0x00000007, 0x04000002, 0x00000010,
	0x00000009, 0x00000002, 0x00000000, 0x0000000b, 0x00000002, 0x00000020,
	0x0000000d, 0x04000002, 0x00000010, 0x0000000f, 0x00000004, 0x00000000,
	0x00000011, 0x00000004, 0x00000040,
};
static const char dup_other_kinds_strs[] = "\0int\0x\0s\0a\0b\0t\0f\0g";	/* 19 bytes */
/* array_quirk: err 0, 5 types */
static const uint32_t array_quirk_types[] = {
	0x00000001, 0x01000000, 0x00000004, 0x01000020, 0x00000000, 0x03000000,
	0x00000000, 0x00000001, 0x00000001, 0x00000004, 0x00000005, 0x04000002,
	0x00000020, 0x00000007, 0x00000002, 0x00000000, 0x00000009, 0x00000002,
	0x00000080, 0x0000000b, 0x01000000, 0x00000004, 0x00000020, 0x00000000,
	0x03000000, 0x00000000, 0x00000004, 0x00000001, 0x00000004,
};
static const char array_quirk_strs[] = "\0int\0s\0a\0b\0u32";	/* 15 bytes */
/* nested: err 0, 21 types */
static const uint32_t nested_types[] = {
	0x00000001, 0x01000000, 0x00000004, 0x01000020, 0x00000005, 0x04000001,
	0x00000004, 0x00000008, 0x00000003, 0x00000000, 0x0000000a, 0x04000001,
	0x00000004, 0x00000008, 0x00000004, 0x00000000, 0x0000000d, 0x04000001,
	0x00000004, 0x00000008, 0x00000005, 0x00000000, 0x00000010, 0x04000001,
	0x00000004, 0x00000008, 0x00000006, 0x00000000, 0x00000013, 0x04000001,
	0x00000004, 0x00000008, 0x00000007, 0x00000000, 0x00000016, 0x04000001,
	0x00000004, 0x00000008, 0x00000008, 0x00000000, 0x00000019, 0x04000001,
	0x00000004, 0x00000008, 0x00000009, 0x00000000, 0x0000001c, 0x04000001,
	0x00000004, 0x00000008, 0x0000000a, 0x00000000, 0x0000001f, 0x04000001,
	0x00000004, 0x00000008, 0x0000000b, 0x00000000, 0x00000022, 0x04000001,
	0x00000004, 0x00000008, 0x0000000c, 0x00000000, 0x00000025, 0x04000001,
	0x00000004, 0x00000008, 0x0000000d, 0x00000000, 0x00000029, 0x04000001,
	0x00000004, 0x00000008, 0x0000000e, 0x00000000, 0x0000002d, 0x04000001,
	0x00000004, 0x00000008, 0x0000000f, 0x00000000, 0x00000031, 0x04000001,
	0x00000004, 0x00000008, 0x00000010, 0x00000000, 0x00000035, 0x04000001,
	0x00000004, 0x00000008, 0x00000011, 0x00000000, 0x00000039, 0x04000001,
	0x00000004, 0x00000008, 0x00000012, 0x00000000, 0x0000003d, 0x04000001,
	0x00000004, 0x00000008, 0x00000013, 0x00000000, 0x00000041, 0x04000001,
	0x00000004, 0x00000008, 0x00000001, 0x00000000, 0x00000045, 0x04000002,
	0x00000008, 0x00000047, 0x00000002, 0x00000000, 0x00000049, 0x00000002,
	0x00000020, 0x00000045, 0x04000002, 0x00000008, 0x00000047, 0x00000002,
	0x00000000, 0x00000049, 0x00000002, 0x00000020,
};
static const char nested_strs[] =	/* 75 bytes */
	"\0int\0n0\0m\0n1\0n2\0n3\0n4\0n5\0n6\0n7\0n8\0n9\0n10\0n11\0n12\0n13\0n14"
	"\0n15\0n16\0n17\0s\0a\0b";
/* recursive_typedef: err 0, 2 types */
static const uint32_t recursive_typedef_types[] = {
	0x00000001, 0x08000000, 0x00000002, 0x00000000, 0x02000000, 0x00000001,
};
static const char recursive_typedef_strs[] = "\0rec";	/* 5 bytes */
/* typedef_fwd: err 0, 6 types */
static const uint32_t typedef_fwd_types[] = {
	0x00000001, 0x01000000, 0x00000004, 0x01000020, 0x00000005, 0x04000001,
	0x00000004, 0x00000007, 0x00000001, 0x00000000, 0x00000005, 0x04000001,
	0x00000004, 0x00000009, 0x00000001, 0x00000000, 0x00000000, 0x02000000,
	0x00000002, 0x0000000b, 0x08000000, 0x00000004, 0x0000000e, 0x04000002,
	0x00000010, 0x00000010, 0x00000005, 0x00000000, 0x00000012, 0x00000005,
	0x00000040,
};
static const char typedef_fwd_strs[] = "\0int\0s\0x\0y\0sp\0u\0a\0b";	/* 20 bytes */
/* td_split: err 0, 2 types */
static const uint32_t td_split_types[] = {
	0x00000005, 0x04000001, 0x00000004, 0x00000010, 0x00000001, 0x00000000,
	0x00000012, 0x04000002, 0x00000010, 0x00000014, 0x00000006, 0x00000000,
	0x00000016, 0x00000004, 0x00000040,
};
static const char td_split_strs[] = "y\0m\0a\0b";	/* 8 bytes */

struct expected {
	const uint32_t *types;
	size_t types_len;
	const char *strs;
	size_t strs_len;
	int nr_types;
};

#define EXPECTED(name, nr) { name##_types, sizeof(name##_types), name##_strs, \
			     sizeof(name##_strs), nr }

static int count_types(const uint8_t *types, size_t len)
{
	size_t off = 0;
	int n = 0;

	while (off < len) {
		off += sizeof(struct btf_type) +
		       typeref__extra_size((const struct btf_type *)(types + off));
		n++;
	}
	return n;
}

/* dedup__run_opts() under @rules on @t (split on @b if non-NULL) gives @e's bytes. */
static void expect_rules(struct base *b, const struct rtype *t, size_t n, unsigned int rules,
			 const struct expected *e)
{
	struct dedup_opts opts = { .rules = rules };
	struct btf *in = btf__new_empty();
	const struct btf_header *h;
	size_t in_size, out_size;
	void *raw, *out = NULL;
	const uint8_t *p;

	build(in, t, n, 0);
	raw = raw_copy(in, &in_size);
	assert_int_equal(dedup__run_opts(b ? b->index : NULL, raw, in_size, &opts, &out,
					 &out_size), 0);
	h = out;
	p = (const uint8_t *)out + h->hdr_len;
	assert_int_equal(count_types(p + h->type_off, h->type_len), e->nr_types);
	assert_int_equal(h->type_len, e->types_len);
	assert_memory_equal(p + h->type_off, e->types, e->types_len);
	assert_int_equal(h->str_len, e->strs_len);
	assert_memory_equal(p + h->str_off, e->strs, e->strs_len);
	free(out);
	free(raw);
	btf__free(in);
}

/* libbpf 1.1.2's result (checked live) has @nr_112 types where f7081a6b's has others. */
static void expect_112(struct base *b, const struct rtype *t, size_t n, int err_112,
		       int nr_112, const struct expected *e, const char *label)
{
	struct result r = run_case(b, t, n, label);

	assert_true(r.same);
	assert_int_equal(r.err, err_112);
	if (!err_112) {
		assert_int_equal(r.nr_types, nr_112);
		assert_int_not_equal(r.nr_types, e->nr_types);
	}
}

/* c8a28812: a struct whose two members point to one type through two PTRs merges. */
static void identical_pointers(void **state)
{
	static const struct expected e = EXPECTED(dup_ptrs, 3);

	(void)state;
	expect_rules(NULL, dup_ptrs, N(dup_ptrs), DEDUP_RULES_F7081A6B, &e);
	expect_rules(NULL, dup_ptrs, N(dup_ptrs), DEDUP_RULE_IDENTICAL, &e);
	expect_112(NULL, dup_ptrs, N(dup_ptrs), 0, 4, &e, "dup_ptrs");
}

/* 5ee9fbf7: duplicated CONSTs, and PTRs to duplicated prototypes, count as one too. */
static void identical_other_kinds(void **state)
{
	static const struct expected e = EXPECTED(dup_other_kinds, 6);

	(void)state;
	expect_rules(NULL, dup_other_kinds, N(dup_other_kinds), DEDUP_RULES_F7081A6B, &e);
	expect_rules(NULL, dup_other_kinds, N(dup_other_kinds), DEDUP_RULE_IDENTICAL, &e);
	expect_112(NULL, dup_other_kinds, N(dup_other_kinds), 0, 8, &e, "dup_other_kinds");
}

/*
 * 5ee9fbf7's ARRAY case reads both arrays from the first type: int[4] and u32[4] count
 * as identical, so the second struct s (members int[4] and u32[4]) merges into the first
 * (two int[4]).
 */
static void identical_arrays_first_type(void **state)
{
	static const struct expected e = EXPECTED(array_quirk, 5);

	(void)state;
	expect_rules(NULL, array_quirk, N(array_quirk), DEDUP_RULES_F7081A6B, &e);
	expect_112(NULL, array_quirk, N(array_quirk), 0, 6, &e, "array_quirk");
}

/*
 * 5ee9fbf7 in the other direction: two copies of an 18-level chain of structs, met while
 * not yet deduplicated, are identical for libbpf 1.1.2 (no depth limit) and not beyond
 * 16 levels: the second struct s stays.
 */
static void identical_depth_limit(void **state)
{
	static const struct expected e = EXPECTED(nested, NESTED_LEVELS + 3);
	static struct rtype nested[NESTED_TYPES];

	(void)state;
	nested_recipe(nested);
	expect_rules(NULL, nested, NESTED_TYPES, DEDUP_RULES_F7081A6B, &e);
	expect_rules(NULL, nested, NESTED_TYPES, DEDUP_RULE_IDENTICAL, &e);
	expect_112(NULL, nested, NESTED_TYPES, 0, NESTED_LEVELS + 2, &e, "nested");
}

/* 37027144: a typedef that refers to itself through a pointer is no reference loop. */
static void recursive_typedefs(void **state)
{
	static const struct expected e = EXPECTED(recursive_typedef, 2);

	(void)state;
	expect_rules(NULL, recursive_typedef, N(recursive_typedef), DEDUP_RULES_F7081A6B, &e);
	expect_rules(NULL, recursive_typedef, N(recursive_typedef), DEDUP_RULE_TYPEDEF, &e);
	expect_112(NULL, recursive_typedef, N(recursive_typedef), -ELOOP, 0, &e,
		   "recursive_typedef");
}

/*
 * 37027144: typedefs compared by graph equivalence, so a typedef through a FWD whose
 * name two structs have meets the typedef through one of them, and the FWD resolves.
 */
static void typedefs_by_equivalence(void **state)
{
	static const struct expected e = EXPECTED(typedef_fwd, 6);

	(void)state;
	expect_rules(NULL, typedef_fwd, N(typedef_fwd), DEDUP_RULES_F7081A6B, &e);
	expect_rules(NULL, typedef_fwd, N(typedef_fwd), DEDUP_RULE_TYPEDEF, &e);
	expect_112(NULL, typedef_fwd, N(typedef_fwd), 0, 9, &e, "typedef_fwd");
}

/*
 * 5b0f3729 with 37027144: split typedefs (one through a FWD the split's own struct
 * makes ambiguous) merge into the base's, which are indexed under the typedef hash;
 * a base index made for other rules is refused.
 */
static void typedefs_into_base(void **state)
{
	static const struct expected e = EXPECTED(td_split, 2);
	struct dedup_opts opts = { .rules = DEDUP_RULES_F7081A6B };
	struct base b, b112;
	size_t in_size, out_size;
	void *raw, *out = NULL;
	struct btf *in;

	(void)state;
	base_init(&b, td_base, N(td_base), false);
	dedup_base__free(b.index);
	b.index = dedup_base__new_mt(b.raw, b.size, 1, DEDUP_RULES_F7081A6B);
	assert_non_null(b.index);
	expect_rules(&b, td_split, N(td_split), DEDUP_RULES_F7081A6B, &e);
	expect_rules(&b, td_split, N(td_split), DEDUP_RULE_TYPEDEF, &e);
	base_init(&b112, td_base, N(td_base), false);
	expect_112(&b112, td_split, N(td_split), 0, 5, &e, "td_split");

	in = btf__new_empty();
	build(in, td_split, N(td_split), 0);
	raw = raw_copy(in, &in_size);
	assert_int_equal(dedup__run_opts(b112.index, raw, in_size, &opts, &out, &out_size),
			 -EINVAL);
	assert_int_equal(dedup__run_opts(b.index, raw, in_size, NULL, &out, &out_size), -EINVAL);
	free(raw);
	btf__free(in);
	base_fini(&b112);
	base_fini(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(identical_pointers),
		cmocka_unit_test(identical_other_kinds),
		cmocka_unit_test(identical_arrays_first_type),
		cmocka_unit_test(identical_depth_limit),
		cmocka_unit_test(recursive_typedefs),
		cmocka_unit_test(typedefs_by_equivalence),
		cmocka_unit_test(typedefs_into_base),
	};

	return cmocka_run_group_tests_name("dedup_rules", tests, NULL, NULL);
}
