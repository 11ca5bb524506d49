// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests: inspect/dump (the canonical, ID-independent text). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/btf.h>
#include <cmocka.h>

#include "btf_reader/reader.h"
#include "inspect/dump.h"

static char *dump(const struct btf *b, uint32_t start_id, int expect_err)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	assert_int_equal(dump__canonical(b, start_id, f), expect_err);
	fclose(f);
	return text;
}

static size_t count_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* struct foo { int a; union { int u1; }; struct foo *next; }, b's offset moved by @shift. */
static void add_foo(struct btf *b, int i_int, int i_anon, int i_ptr, unsigned int shift)
{
	btf__add_struct(b, "foo", 16);
	btf__add_field(b, "a", i_int, 0, 0);
	btf__add_field(b, NULL, i_anon, 32 + shift, 0);
	btf__add_field(b, "next", i_ptr, 64, 0);
}

/*
 * The same C types added in two orders: @order 0 leaves first, 1 users
 * first (references point forward). Returns the BTF; 16 types.
 */
static struct btf *build_sample(int order, unsigned int shift)
{
	struct btf *b = btf__new_empty();
	int i_int, i_ptr, i_func, i_var, i_arr, i_anon, i_proto;

	if (order == 0) {
		i_int = btf__add_int(b, "int", 4, BTF_INT_SIGNED);	/* 1 */
		i_anon = btf__add_union(b, NULL, 4);			/* 2 */
		btf__add_field(b, "u1", i_int, 0, 0);
		i_ptr = btf__add_ptr(b, 4);				/* 3 */
		add_foo(b, i_int, i_anon, i_ptr, shift);		/* 4 */
		i_arr = btf__add_array(b, i_int, i_int, 16);		/* 5 */
		btf__add_typedef(b, "foo_t", 4);
		i_proto = btf__add_func_proto(b, i_int);
		btf__add_func_param(b, "p", i_ptr);
		btf__add_func_param(b, NULL, 0);
		i_func = btf__add_func(b, "fn", BTF_FUNC_GLOBAL, i_proto);
		i_var = btf__add_var(b, "gv", BTF_VAR_GLOBAL_ALLOCATED, i_arr);
		btf__add_datasec(b, ".bss", 64);
		btf__add_datasec_var_info(b, i_var, 0, 64);
		btf__add_decl_tag(b, "hot", i_func, -1);
		btf__add_enum(b, "e", 4);
		btf__add_enum_value(b, "E1", -1);
		btf__add_fwd(b, "later", BTF_FWD_UNION);
		btf__add_type_tag(b, "user", i_ptr);
		btf__add_ptr(b, i_int);
		btf__add_float(b, "double", 8);
	} else {
		btf__add_float(b, "double", 8);			/* 1 */
		btf__add_type_tag(b, "user", 9);			/* 2 */
		btf__add_fwd(b, "later", BTF_FWD_UNION);		/* 3 */
		btf__add_enum(b, "e", 4);				/* 4 */
		btf__add_enum_value(b, "E1", -1);
		btf__add_decl_tag(b, "hot", 6, -1);			/* 5 */
		btf__add_func(b, "fn", BTF_FUNC_GLOBAL, 8);		/* 6 */
		btf__add_datasec(b, ".bss", 64);			/* 7 */
		btf__add_datasec_var_info(b, 10, 0, 64);
		btf__add_func_proto(b, 15);				/* 8 */
		btf__add_func_param(b, "p", 9);
		btf__add_func_param(b, NULL, 0);
		btf__add_ptr(b, 12);					/* 9 */
		btf__add_var(b, "gv", BTF_VAR_GLOBAL_ALLOCATED, 14);	/* 10 */
		btf__add_typedef(b, "foo_t", 12);			/* 11 */
		add_foo(b, 15, 16, 9, shift);				/* 12 */
		btf__add_ptr(b, 15);					/* 13 */
		btf__add_array(b, 15, 15, 16);				/* 14 */
		btf__add_int(b, "int", 4, BTF_INT_SIGNED);		/* 15 */
		assert_int_equal(btf__add_union(b, NULL, 4), 16);	/* 16 */
		btf__add_field(b, "u1", 15, 0, 0);
	}
	assert_int_equal(btf__type_cnt(b), 17);
	return b;
}

/* What a reader of the format (dump.h) expects for the sample. */
static const char *const sample_lines =
	"array(int int,[16],idx=int int)\n"
	"datasec .bss size=64 {gv@0+64}\n"
	"decl_tag(hot)->func fn idx=-1\n"
	"enum e size=4 signed {E1=-1}\n"
	"float double size=8\n"
	"func fn global proto(int int; p: ptr(struct foo), ...)\n"
	"fwd union later\n"
	"int int size=4 bits=32 off=0 enc=signed\n"
	"proto(int int; p: ptr(struct foo), ...)\n"
	"ptr(int int)\n"
	"ptr(struct foo)\n"
	"struct foo size=16 kflag=0 {a:int int@0, :union size=4 kflag=0 {u1:int int@0}@32, "
	"next:ptr(struct foo)@64}\n"
	"type_tag(user)->ptr(struct foo)\n"
	"typedef foo_t = struct foo\n"
	"union size=4 kflag=0 {u1:int int@0}\n"
	"var gv global array(int int,[16],idx=int int)\n";

static void format_as_documented(void **state)
{
	struct btf *b = build_sample(0, 0);
	char *text = dump(b, 1, 0);

	assert_string_equal(text, sample_lines);
	free(text);
	btf__free(b);
}

static void order_does_not_matter(void **state)
{
	struct btf *b0 = build_sample(0, 0), *b1 = build_sample(1, 0);
	char *t0 = dump(b0, 1, 0), *t1 = dump(b1, 1, 0);

	assert_string_equal(t0, t1);
	assert_int_equal(count_lines(t0), 16);
	free(t0);
	free(t1);
	btf__free(b0);
	btf__free(b1);
}

static void member_offset_matters(void **state)
{
	struct btf *b0 = build_sample(0, 0), *b1 = build_sample(1, 8);
	char *t0 = dump(b0, 1, 0), *t1 = dump(b1, 1, 0);

	assert_string_not_equal(t0, t1);
	assert_non_null(strstr(t1, "{u1:int int@0}@40, next:"));
	free(t0);
	free(t1);
	btf__free(b0);
	btf__free(b1);
}

/* Identical types give identical lines, and each one counts. */
static void duplicates_kept(void **state)
{
	struct btf *b = btf__new_empty();
	char *text;

	btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	btf__add_ptr(b, 1);
	btf__add_ptr(b, 1);
	btf__add_struct(b, "s", 0);
	btf__add_struct(b, "s", 0);
	text = dump(b, 1, 0);
	assert_string_equal(text, "int int size=4 bits=32 off=0 enc=signed\n"
			    "ptr(int int)\nptr(int int)\n"
			    "struct s size=0 kflag=0 {}\nstruct s size=0 kflag=0 {}\n");
	free(text);
	btf__free(b);
}

/* Bitfields, enum64, const/volatile chains, and from which ID on. */
static void details_and_start_id(void **state)
{
	struct btf *b = btf__new_empty();
	char *text;

	btf__add_int(b, "unsigned int", 4, 0);			/* 1 */
	btf__add_struct(b, "bits", 4);				/* 2 */
	btf__add_field(b, "lo", 1, 0, 3);
	btf__add_field(b, "hi", 1, 3, 5);
	btf__add_enum64(b, "big", 8, true);			/* 3 */
	btf__add_enum64_value(b, "NEG", -2);
	btf__add_volatile(b, 1);				/* 4 */
	btf__add_const(b, 4);					/* 5 */
	btf__add_restrict(b, 5);				/* 6 */
	text = dump(b, 3, 0);
	assert_string_equal(text, "const(volatile(int unsigned int))\n"
			    "enum64 big size=8 signed {NEG=-2}\n"
			    "restrict(const(volatile(int unsigned int)))\n"
			    "volatile(int unsigned int)\n");
	free(text);
	text = dump(b, 2, 0);
	assert_non_null(strstr(text, "struct bits size=4 kflag=1 {lo:int unsigned int@0:3, "
			       "hi:int unsigned int@3:5}\n"));
	free(text);
	text = dump(b, 7, 0);
	assert_string_equal(text, "");
	free(text);
	btf__free(b);
}

/* A name cannot break a line. */
static void names_escaped(void **state)
{
	struct btf *b = btf__new_empty();
	char *text;

	btf__add_struct(b, "two\nlines\\", 0);
	text = dump(b, 1, 0);
	assert_string_equal(text, "struct two\\x0alines\\x5c size=0 kflag=0 {}\n");
	free(text);
	btf__free(b);
}

/* A pointer to itself (only corrupted BTF does that) is cut off, not followed forever. */
static void loops_cut_off(void **state)
{
	struct btf *b = btf__new_empty();
	char *text;

	assert_int_equal(btf__add_ptr(b, 1), 1);
	text = dump(b, 1, 0);
	assert_int_equal(count_lines(text), 1);
	assert_non_null(strstr(text, "ptr(ptr(ptr("));
	assert_non_null(strstr(text, "(...)"));
	free(text);
	btf__free(b);
}

static int quiet_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

/* Unchecked BTF with a dangling type ID is refused, not dumped half-way. */
static void dangling_id_refused(void **state)
{
	struct btf *b = btf__new_empty(), *parsed;
	const void *raw;
	uint32_t size;
	char *text;

	btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	btf__add_ptr(b, 1);
	raw = btf__raw_data(b, &size);
	/* The ptr's target: header (24) + int record (16) + name_off and info (8). */
	((uint32_t *)raw)[(24 + 16 + 8) / 4] = 77;
	libbpf_set_print(quiet_print);
	parsed = btf__new(raw, size);
	libbpf_set_print(NULL);
	if (!parsed)
		skip();	/* a libbpf that checks before parsing */
	text = dump(parsed, 1, -EINVAL);
	assert_string_equal(text, "");
	free(text);
	btf__free(parsed);
	btf__free(b);
}

/* The dump of a chain's top layer only lists that layer, referring below by name. */
static void chain_top_layer(void **state)
{
	struct btf *root = build_sample(0, 0), *top = btf__new_empty_split(root);
	struct btf_chain *c = NULL;
	const void *blobs[2];
	size_t sizes[2];
	uint32_t sz;
	char *text;

	btf__add_typedef(top, "foo_alias", 4);
	blobs[0] = btf__raw_data(root, &sz);
	sizes[0] = sz;
	blobs[1] = btf__raw_data(top, &sz);
	sizes[1] = sz;
	assert_int_equal(chain__load_mem(blobs, sizes, NULL, 2, NULL, &c), 0);
	text = dump(c->flat, c->layers[1].start_id, 0);
	assert_string_equal(text, "typedef foo_alias = struct foo\n");
	free(text);
	chain__free(c);
	btf__free(top);
	btf__free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(format_as_documented),
		cmocka_unit_test(order_does_not_matter),
		cmocka_unit_test(member_offset_matters),
		cmocka_unit_test(duplicates_kept),
		cmocka_unit_test(details_and_start_id),
		cmocka_unit_test(names_escaped),
		cmocka_unit_test(loops_cut_off),
		cmocka_unit_test(dangling_id_refused),
		cmocka_unit_test(chain_top_layer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
