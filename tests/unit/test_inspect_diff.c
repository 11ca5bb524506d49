// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests: inspect/diff (name-keyed BTF diff) on hand-built pairs. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include <linux/btf.h>
#include <cmocka.h>

#include "btf_reader/reader.h"
#include "inspect/diff.h"
#include "blob_builder.h"

static struct btf_diff *compare(const struct btf *a, const struct btf *b)
{
	struct btf_diff *d = NULL;

	assert_int_equal(diff__compute(a, 1, b, 1, &d), 0);
	assert_non_null(d);
	return d;
}

static char *text_of(const struct btf_diff *d, int json)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct diff_print_opts o = { .name_a = "A", .name_b = "B", .json = json };

	assert_int_equal(diff__print(d, &o, f), 0);
	fclose(f);
	return text;
}

static char *summary_of(const struct btf_diff *d, int json, unsigned int top, int only)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct diff_print_opts o = { .name_a = "A", .name_b = "B", .json = json, .summary = 1,
				     .top = top, .summary_only = only };

	assert_int_equal(diff__print(d, &o, f), 0);
	fclose(f);
	return text;
}

static void assert_text(const struct btf_diff *d, const char *expected)
{
	char *text = text_of(d, 0);

	assert_string_equal(text, expected);
	free(text);
}

/* int, long, struct s {int a; long b;} and func f(struct s *p): IDs from @order. */
static struct btf *build(int order)
{
	struct btf *b = btf__new_empty();
	int i_int, i_long, i_s, i_ptr, i_proto;

	if (order) {
		btf__add_float(b, "double", 8);	/* unrelated filler shifts every ID */
		i_long = btf__add_int(b, "long", 8, BTF_INT_SIGNED);
		i_int = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	} else {
		i_int = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
		i_long = btf__add_int(b, "long", 8, BTF_INT_SIGNED);
		btf__add_float(b, "double", 8);
	}
	i_s = btf__add_struct(b, "s", 16);
	btf__add_field(b, "a", i_int, 0, 0);
	btf__add_field(b, "b", i_long, 64, 0);
	i_ptr = btf__add_ptr(b, i_s);
	i_proto = btf__add_func_proto(b, i_int);
	btf__add_func_param(b, "p", i_ptr);
	btf__add_func(b, "f", BTF_FUNC_GLOBAL, i_proto);
	return b;
}

static void ids_and_order_do_not_matter(void **state)
{
	struct btf *a = build(0), *b = build(1);
	struct btf_diff *d = compare(a, b);

	assert_true(diff__same(d));
	assert_text(d, "--- A\n+++ B\nsummary: types +0 -0 ~0, functions +0 -0 ~0, "
		    "variables +0 -0 ~0\n");
	diff__free(d);
	btf__free(a);
	btf__free(b);
}

static void struct_members_in_detail(void **state)
{
	struct btf *a = btf__new_empty(), *b = btf__new_empty();
	struct btf_diff *d;

	/* A: struct s { int a; int gone; char c; }   B: struct s { long a; char c; int new; } */
	btf__add_int(a, "int", 4, BTF_INT_SIGNED);
	btf__add_int(a, "char", 1, BTF_INT_CHAR);
	btf__add_struct(a, "s", 12);
	btf__add_field(a, "a", 1, 0, 0);
	btf__add_field(a, "gone", 1, 32, 0);
	btf__add_field(a, "c", 2, 64, 0);
	btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	btf__add_int(b, "char", 1, BTF_INT_CHAR);
	btf__add_int(b, "long", 8, BTF_INT_SIGNED);
	btf__add_struct(b, "s", 16);
	btf__add_field(b, "a", 3, 0, 0);
	btf__add_field(b, "c", 2, 64, 0);
	btf__add_field(b, "new", 1, 96, 0);
	d = compare(a, b);
	assert_false(diff__same(d));
	assert_int_equal(d->counts[DIFF_TYPES][DIFF_CHANGED], 1);
	assert_int_equal(d->counts[DIFF_TYPES][DIFF_ADDED], 1);	/* int long */
	assert_text(d, "--- A\n+++ B\n"
		    "+ int long\n"
		    "~ struct s\n"
		    "\tsize: 12 -> 16\n"
		    "\tmember a: size 4 -> 8\n"
		    "\tmember a: type int -> long\n"
		    "\t- member gone: int, offset 4, size 4\n"
		    "\t+ member new: int, offset 12, size 4\n"
		    "summary: types +1 -0 ~1, functions +0 -0 ~0, variables +0 -0 ~0\n");
	diff__free(d);
	btf__free(a);
	btf__free(b);
}

static void offsets_and_bitfields(void **state)
{
	struct btf *a = btf__new_empty(), *b = btf__new_empty();
	struct btf_diff *d;

	btf__add_int(a, "unsigned int", 4, 0);
	btf__add_struct(a, "flags", 8);
	btf__add_field(a, "x", 1, 0, 3);
	btf__add_field(a, "y", 1, 32, 0);
	btf__add_int(b, "unsigned int", 4, 0);
	btf__add_struct(b, "flags", 8);
	btf__add_field(b, "x", 1, 1, 5);
	btf__add_field(b, "y", 1, 0 + 32, 0);
	d = compare(a, b);
	assert_text(d, "--- A\n+++ B\n"
		    "~ struct flags\n"
		    "\tmember x: offset bit 0 -> bit 1\n"
		    "\tmember x: bits 3 -> 5\n"
		    "summary: types +0 -0 ~1, functions +0 -0 ~0, variables +0 -0 ~0\n");
	diff__free(d);
	btf__free(a);
	btf__free(b);
}

/* A change inside struct inner is reported for inner, not again for outer. */
static void named_member_types_by_name(void **state)
{
	struct btf *a = btf__new_empty(), *b = btf__new_empty();
	struct btf_diff *d;

	btf__add_int(a, "int", 4, BTF_INT_SIGNED);
	btf__add_struct(a, "inner", 4);
	btf__add_field(a, "v", 1, 0, 0);
	btf__add_struct(a, "outer", 8);
	btf__add_field(a, "in", 2, 0, 0);
	btf__add_field(a, "p", btf__add_ptr(a, 2), 0, 0);
	btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	btf__add_struct(b, "inner", 4);
	btf__add_field(b, "w", 1, 0, 0);
	btf__add_struct(b, "outer", 8);
	btf__add_field(b, "in", 2, 0, 0);
	btf__add_field(b, "p", btf__add_ptr(b, 2), 0, 0);
	d = compare(a, b);
	assert_int_equal(d->n, 1);
	assert_string_equal(d->entries[0].name, "inner");
	diff__free(d);
	btf__free(a);
	btf__free(b);
}

/* An anonymous member's type is compared by its whole text. */
static void anonymous_member_changed_inside(void **state)
{
	struct btf *a = btf__new_empty(), *b = btf__new_empty();
	struct btf_diff *d;

	btf__add_int(a, "int", 4, BTF_INT_SIGNED);
	btf__add_union(a, NULL, 4);
	btf__add_field(a, "i", 1, 0, 0);
	btf__add_struct(a, "s", 4);
	btf__add_field(a, NULL, 2, 0, 0);
	btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	btf__add_union(b, NULL, 4);
	btf__add_field(b, "j", 1, 0, 0);
	btf__add_struct(b, "s", 4);
	btf__add_field(b, NULL, 2, 0, 0);
	d = compare(a, b);
	assert_text(d, "--- A\n+++ B\n"
		    "~ struct s\n"
		    "\t- member (anonymous #1).i: int, offset 0, size 4\n"
		    "\t+ member (anonymous #1).j: int, offset 0, size 4\n"
		    "summary: types +0 -0 ~1, functions +0 -0 ~0, variables +0 -0 ~0\n");
	diff__free(d);
	btf__free(a);
	btf__free(b);
}

/*
 * struct s { int head; union { int u; const struct { short lo; S hi; }; }; }
 * with S short in @a and int in @b: the anonymous struct (behind a const)
 * inside the anonymous union is descended into too.
 */
static struct btf *nested_anon(int wide)
{
	struct btf *b = btf__new_empty();

	btf__add_int(b, "int", 4, BTF_INT_SIGNED);		/* 1 */
	btf__add_int(b, "short", 2, BTF_INT_SIGNED);		/* 2 */
	btf__add_struct(b, NULL, wide ? 8 : 4);			/* 3 */
	btf__add_field(b, "lo", 2, 0, 0);
	btf__add_field(b, "hi", wide ? 1 : 2, wide ? 32 : 16, 0);
	btf__add_const(b, 3);					/* 4 */
	btf__add_union(b, NULL, wide ? 8 : 4);			/* 5 */
	btf__add_field(b, "u", 1, 0, 0);
	btf__add_field(b, NULL, 4, 0, 0);
	btf__add_struct(b, "s", wide ? 12 : 8);			/* 6 */
	btf__add_field(b, "head", 1, 0, 0);
	btf__add_field(b, NULL, 5, 32, 0);
	return b;
}

static void nested_anonymous_members(void **state)
{
	struct btf *a = nested_anon(0), *b = nested_anon(1);
	struct btf_diff *d = compare(a, b);
	char *json;

	assert_text(d, "--- A\n+++ B\n"
		    "~ struct s\n"
		    "\tsize: 8 -> 12\n"
		    "\tmember (anonymous #1): size 4 -> 8\n"
		    "\tmember (anonymous #1).(anonymous #1): size 4 -> 8\n"
		    "\tmember (anonymous #1).(anonymous #1).hi: offset 2 -> 4\n"
		    "\tmember (anonymous #1).(anonymous #1).hi: size 2 -> 4\n"
		    "\tmember (anonymous #1).(anonymous #1).hi: type short -> int\n"
		    "summary: types +0 -0 ~1, functions +0 -0 ~0, variables +0 -0 ~0\n");
	json = text_of(d, 1);
	assert_non_null(strstr(json, "{\"subject\":\"member (anonymous #1).(anonymous #1).hi\","
			       "\"field\":\"type\",\"old\":\"short\",\"new\":\"int\"}"));
	assert_null(strstr(json, "changed inside"));
	free(json);
	diff__free(d);
	btf__free(a);
	btf__free(b);
}

static void functions_and_variables(void **state)
{
	struct btf *a = build(0), *b = build(0);
	struct btf_diff *d;
	int proto;

	/* A: static g(void), var v in .data;  B: f is static, h added, v int in .bss */
	proto = btf__add_func_proto(a, 0);
	btf__add_func(a, "g", BTF_FUNC_STATIC, proto);
	btf__add_var(a, "v", BTF_VAR_GLOBAL_ALLOCATED, 2);
	btf__add_datasec(a, ".data", 8);
	btf__add_datasec_var_info(a, btf__type_cnt(a) - 2, 0, 8);
	btf__free(b);
	b = btf__new_empty();
	btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	btf__add_int(b, "long", 8, BTF_INT_SIGNED);
	btf__add_float(b, "double", 8);
	btf__add_struct(b, "s", 16);
	btf__add_field(b, "a", 1, 0, 0);
	btf__add_field(b, "b", 2, 64, 0);
	btf__add_ptr(b, 4);
	proto = btf__add_func_proto(b, 1);
	btf__add_func_param(b, "q", 5);
	btf__add_func(b, "f", BTF_FUNC_STATIC, proto);
	btf__add_func(b, "h", BTF_FUNC_GLOBAL, proto);
	btf__add_var(b, "v", BTF_VAR_GLOBAL_ALLOCATED, 1);
	btf__add_datasec(b, ".bss", 4);
	btf__add_datasec_var_info(b, btf__type_cnt(b) - 2, 0, 4);
	d = compare(a, b);
	assert_text(d, "--- A\n+++ B\n"
		    "+ datasec .bss\n"
		    "- datasec .data\n"
		    "~ func f\n"
		    "\tlinkage: global -> static\n"
		    "\tprototype: int f(struct s *p) -> int f(struct s *q)\n"
		    "- func g\n"
		    "+ func h\n"
		    "~ var v\n"
		    "\ttype: long -> int\n"
		    "\tsection: .data -> .bss\n"
		    "summary: types +1 -1 ~0, functions +1 -1 ~1, variables +0 -0 ~1\n");
	diff__free(d);
	btf__free(a);
	btf__free(b);
}

/*
 * A: struct s {int a; long b;} (16), struct t {int x;} (4), union u {int i;},
 *    func f(struct s *p), func g(int n)
 * B: struct s {long a; int c; long b;} (24), struct t {int x;} with x renamed
 *    to y, union u {int i; long l;} (8), func f(struct s *q, int n), g as in A
 */
static void summary_first(void **state)
{
	struct btf *a = build(0), *b = build(0);
	struct btf_diff *d;
	char *text;
	int proto;

	btf__add_struct(a, "t", 4);
	btf__add_field(a, "x", 1, 0, 0);
	btf__add_union(a, "u", 4);
	btf__add_field(a, "i", 1, 0, 0);
	proto = btf__add_func_proto(a, 1);
	btf__add_func_param(a, "n", 1);
	btf__add_func(a, "g", BTF_FUNC_GLOBAL, proto);
	btf__free(b);
	b = btf__new_empty();
	btf__add_int(b, "int", 4, BTF_INT_SIGNED);		/* 1 */
	btf__add_int(b, "long", 8, BTF_INT_SIGNED);		/* 2 */
	btf__add_struct(b, "s", 24);				/* 3 */
	btf__add_field(b, "a", 2, 0, 0);
	btf__add_field(b, "c", 1, 64, 0);
	btf__add_field(b, "b", 2, 128, 0);
	btf__add_ptr(b, 3);					/* 4 */
	proto = btf__add_func_proto(b, 1);			/* 5 */
	btf__add_func_param(b, "q", 4);
	btf__add_func_param(b, "n", 1);
	btf__add_func(b, "f", BTF_FUNC_GLOBAL, proto);
	btf__add_float(b, "double", 8);
	btf__add_struct(b, "t", 4);
	btf__add_field(b, "y", 1, 0, 0);
	btf__add_union(b, "u", 8);
	btf__add_field(b, "i", 1, 0, 0);
	btf__add_field(b, "l", 2, 0, 0);
	proto = btf__add_func_proto(b, 1);
	btf__add_func_param(b, "n", 1);
	btf__add_func(b, "g", BTF_FUNC_GLOBAL, proto);
	d = compare(a, b);
	text = summary_of(d, 0, 2, 0);
	assert_string_equal(text,
		"--- A\n+++ B\n"
		"summary: types +0 -0 ~3, functions +0 -0 ~1, variables +0 -0 ~0\n"
		"by kind:       added removed changed\n"
		"  struct           0       0       2\n"
		"  union            0       0       1\n"
		"  func             0       0       1\n"
		"changed prototypes: 1\n"
		"  int f(struct s *p) -> int f(struct s *q, int n)\n"
		"changed layouts: 3\n"
		"  struct s: size 16 -> 24 (+8), members +1 -0, 1 moved, 1 resized\n"
		"  union u: size 4 -> 8 (+4), members +1 -0, 0 moved, 0 resized\n"
		"  ... and 1 more\n"
		"most changed:\n"
		"  struct s: 5 details\n"
		"  struct t: 2 details\n"
		"  ... and 2 more\n"
		"details:\n"
		"~ struct s\n"
		"\tsize: 16 -> 24\n"
		"\tmember a: size 4 -> 8\n"
		"\tmember a: type int -> long\n"
		"\tmember b: offset 8 -> 16\n"
		"\t+ member c: int, offset 8, size 4\n"
		"~ struct t\n"
		"\t- member x: int, offset 0, size 4\n"
		"\t+ member y: int, offset 0, size 4\n"
		"~ union u\n"
		"\tsize: 4 -> 8\n"
		"\t+ member l: long, offset 0, size 8\n"
		"~ func f\n"
		"\tprototype: int f(struct s *p) -> int f(struct s *q, int n)\n"
		"summary: types +0 -0 ~3, functions +0 -0 ~1, variables +0 -0 ~0\n");
	free(text);
	/* The same summary in JSON, without the entries. */
	text = summary_of(d, 1, 1, 1);
	assert_string_equal(text,
		"{\"a\":\"A\",\"b\":\"B\",\"same\":false,\"summary\":{\"types\":{\"added\":0,"
		"\"removed\":0,\"changed\":3},\"functions\":{\"added\":0,\"removed\":0,"
		"\"changed\":1},\"variables\":{\"added\":0,\"removed\":0,\"changed\":0},"
		"\"kinds\":{\"struct\":{\"added\":0,\"removed\":0,\"changed\":2},"
		"\"union\":{\"added\":0,\"removed\":0,\"changed\":1},"
		"\"func\":{\"added\":0,\"removed\":0,\"changed\":1}},"
		"\"prototypes\":{\"changed\":1,\"top\":[{\"name\":\"f\","
		"\"old\":\"int f(struct s *p)\",\"new\":\"int f(struct s *q, int n)\"}]},"
		"\"layouts\":{\"changed\":3,\"top\":[{\"kind\":\"struct\",\"name\":\"s\","
		"\"old_size\":16,\"new_size\":24,\"members_added\":1,\"members_removed\":0,"
		"\"members_moved\":1,\"members_resized\":1}]},"
		"\"most_changed\":[{\"kind\":\"struct\",\"name\":\"s\",\"details\":5}]}}\n");
	free(text);
	diff__free(d);
	btf__free(a);
	btf__free(b);
}

static void enumerators(void **state)
{
	struct btf *a = btf__new_empty(), *b = btf__new_empty();
	struct btf_diff *d;

	btf__add_enum(a, "e", 4);
	btf__add_enum_value(a, "X", 1);
	btf__add_enum_value(a, "OLD", 2);
	btf__add_enum64(b, "e", 8, false);
	btf__add_enum64_value(b, "X", 1ULL << 40);
	btf__add_enum64_value(b, "NEW", 3);
	d = compare(a, b);
	assert_text(d, "--- A\n+++ B\n"
		    "~ enum e\n"
		    "\tsize: 4 -> 8\n"
		    "\tkind: enum -> enum64\n"
		    "\tenumerator X: value 1 -> 1099511627776\n"
		    "\t- enumerator OLD: 2\n"
		    "\t+ enumerator NEW: 3\n"
		    "summary: types +0 -0 ~1, functions +0 -0 ~0, variables +0 -0 ~0\n");
	diff__free(d);
	btf__free(a);
	btf__free(b);
}

/* Several definitions of one name: shared ones cancel, the rest are paired. */
static void duplicate_names_as_multiset(void **state)
{
	struct btf *a = btf__new_empty(), *b = btf__new_empty();
	struct btf_diff *d;

	btf__add_int(a, "int", 4, BTF_INT_SIGNED);
	btf__add_struct(a, "dup", 4);
	btf__add_field(a, "x", 1, 0, 0);
	btf__add_struct(a, "dup", 8);
	btf__add_field(a, "y", 1, 32, 0);
	btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	btf__add_struct(b, "dup", 8);
	btf__add_field(b, "y", 1, 32, 0);
	btf__add_struct(b, "dup", 4);
	btf__add_field(b, "x", 1, 0, 0);
	d = compare(a, b);
	assert_true(diff__same(d));
	diff__free(d);
	btf__add_struct(b, "dup", 0);
	d = compare(a, b);
	assert_text(d, "--- A\n+++ B\n"
		    "~ struct dup\n"
		    "\tdefinitions not matched: 0 -> 1\n"
		    "summary: types +0 -0 ~1, functions +0 -0 ~0, variables +0 -0 ~0\n");
	diff__free(d);
	btf__free(a);
	btf__free(b);
}

static void decl_tags_count(void **state)
{
	struct btf *a = build(0), *b = build(1);
	struct btf_diff *d;

	btf__add_decl_tag(b, "bpf_kfunc", btf__type_cnt(b) - 1, -1);
	btf__add_decl_tag(b, "user", btf__type_cnt(b) - 2, 0);
	d = compare(a, b);
	assert_text(d, "--- A\n+++ B\n"
		    "~ func f\n"
		    "\tdecl_tags: (none) -> bpf_kfunc, user@0\n"
		    "summary: types +0 -0 ~0, functions +0 -0 ~1, variables +0 -0 ~0\n");
	diff__free(d);
	btf__free(a);
	btf__free(b);
}

/* Split BTF: only the top layers are compared; base types name what they use. */
static void top_layers_only(void **state)
{
	struct btf *base_a = build(0), *base_b = build(1), *a, *b;
	struct btf_diff *d = NULL;

	btf__add_float(base_b, "extra_in_base", 4);	/* not compared: not in the top layer */
	a = btf__new_empty_split(base_a);
	b = btf__new_empty_split(base_b);
	btf__add_struct(a, "mod", 8);
	btf__add_field(a, "s", btf__add_ptr(a, 4), 0, 0);
	btf__add_struct(b, "mod", 8);
	btf__add_field(b, "s", btf__add_ptr(b, 4), 0, 0);
	assert_int_not_equal(btf__type_cnt(a), btf__type_cnt(b));
	assert_int_equal(diff__compute(a, btf__type_cnt(base_a), b, btf__type_cnt(base_b), &d), 0);
	assert_true(diff__same(d));
	diff__free(d);
	btf__free(a);
	btf__free(b);
	btf__free(base_a);
	btf__free(base_b);
}

static void json_document(void **state)
{
	struct btf *a = build(0), *b = build(0);
	struct btf_diff *d;
	char *text;

	btf__add_func(b, "h", BTF_FUNC_GLOBAL, 6);
	d = compare(a, b);
	text = text_of(d, 1);
	assert_string_equal(text,
		"{\"a\":\"A\",\"b\":\"B\",\"same\":false,\"summary\":{\"types\":{\"added\":0,"
		"\"removed\":0,\"changed\":0},\"functions\":{\"added\":1,\"removed\":0,"
		"\"changed\":0},\"variables\":{\"added\":0,\"removed\":0,\"changed\":0}},"
		"\"entries\":[{\"class\":\"function\",\"change\":\"added\",\"kind\":\"func\","
		"\"name\":\"h\",\"details\":[]}]}\n");
	free(text);
	diff__free(d);
	btf__free(a);
	btf__free(b);
}

static struct btf_chain *load_blob(const void *blob, size_t size)
{
	struct btf_chain *c = NULL;

	assert_int_equal(chain__load_mem(&blob, &size, NULL, 1, NULL, &c), 0);
	return c;
}

/* A named type of a kind btfenc does not know is an entity, "kind N NAME". */
static void unknown_kinds(void **state)
{
	size_t sa, sb;
	void *a = bb_unknown_sample("loc", &sa), *b = bb_unknown_sample("where", &sb);
	struct btf_chain *ca = load_blob(a, sa), *cb = load_blob(b, sb);
	struct btf_diff *d = compare(ca->flat, cb->flat);

	assert_text(d, "--- A\n+++ B\n"
		    "- kind 25 loc\n"
		    "+ kind 25 where\n"
		    "~ typedef loc_t\n"
		    "\ttype: kind25 loc -> kind25 where\n"
		    "summary: types +1 -1 ~1, functions +0 -0 ~0, variables +0 -0 ~0\n");
	diff__free(d);
	d = compare(ca->flat, ca->flat);
	assert_true(diff__same(d));
	diff__free(d);
	chain__free(ca);
	chain__free(cb);
	free(a);
	free(b);
}

/* Decl tags before their targets (Linux 7.0's sorted BTF) belong to them all the same. */
static void forward_decl_tags(void **state)
{
	size_t sa, sb;
	void *a = bb_sorted_sample(&sa), *b = bb_sorted_sample(&sb);
	struct btf_chain *ca, *cb;
	struct btf_diff *d;
	char *s;

	/* "bpf_kfunc" on f becomes "bpf_kfunX" in b. */
	s = memmem((char *)b + sb - 64, 64, "bpf_kfunc", 9);
	assert_non_null(s);
	s[8] = 'X';
	ca = load_blob(a, sa);
	cb = load_blob(b, sb);
	d = compare(ca->flat, cb->flat);
	assert_text(d, "--- A\n+++ B\n"
		    "~ func f\n"
		    "\tdecl_tags: bpf_kfunc, p_tag@0 -> bpf_kfunX, p_tag@0\n"
		    "summary: types +0 -0 ~0, functions +0 -0 ~1, variables +0 -0 ~0\n");
	diff__free(d);
	chain__free(ca);
	chain__free(cb);
	free(a);
	free(b);
}

/*
 * struct s { int (*cb)(...); } whose prototype has @params parameters, each a
 * pointer to that same prototype: a loop the kernel accepts.
 */
static struct btf *proto_loop(int params)
{
	struct btf *b = btf__new_empty();
	int i;

	btf__add_int(b, "int", 4, BTF_INT_SIGNED);	/* 1 */
	assert_int_equal(btf__add_ptr(b, 3), 2);
	assert_int_equal(btf__add_func_proto(b, 1), 3);
	for (i = 0; i < params; i++)
		assert_int_equal(btf__add_func_param(b, "p", 2), 0);
	btf__add_struct(b, "s", 8);
	btf__add_field(b, "cb", 2, 0, 0);
	btf__add_func(b, "f", BTF_FUNC_GLOBAL, 3);
	return b;
}

static void prototype_loops(void **state)
{
	struct btf *a = proto_loop(1), *b = proto_loop(8);
	struct btf_diff *d = compare(a, b);
	char *text = text_of(d, 0), *json = text_of(d, 1);

	assert_non_null(strstr(text, "\tmember cb: type int (*)(int (*p)(...)) -> int (*)("
			       "int (*p)(...), int (*p)(...), "));
	assert_non_null(strstr(text, "\tprototype: int f(int (*p)(...)) -> int f("));
	assert_non_null(strstr(json, "\"old\":\"int (*)(int (*p)(...))\""));
	free(text);
	free(json);
	diff__free(d);
	btf__free(a);
	btf__free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ids_and_order_do_not_matter),
		cmocka_unit_test(struct_members_in_detail),
		cmocka_unit_test(offsets_and_bitfields),
		cmocka_unit_test(named_member_types_by_name),
		cmocka_unit_test(anonymous_member_changed_inside),
		cmocka_unit_test(nested_anonymous_members),
		cmocka_unit_test(functions_and_variables),
		cmocka_unit_test(summary_first),
		cmocka_unit_test(enumerators),
		cmocka_unit_test(duplicate_names_as_multiset),
		cmocka_unit_test(decl_tags_count),
		cmocka_unit_test(top_layers_only),
		cmocka_unit_test(json_document),
		cmocka_unit_test(unknown_kinds),
		cmocka_unit_test(forward_decl_tags),
		cmocka_unit_test(prototype_loops),
	};

	return cmocka_run_group_tests_name("inspect/diff", tests, NULL, NULL);
}
