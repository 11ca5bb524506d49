// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests: the dump formats beyond canonical (inspect/dump_raw.c,
 * dump_c.c, layout*.c) and C spelling of types (inspect/ctype.c). Expected
 * texts are what bpftool 7.1 and pahole 1.24 print for the same types.
 */
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
#include "inspect/ctype.h"
#include "inspect/dump.h"
#include "util/diag.h"
#include "blob_builder.h"

/* Runs @fn into a string. */
#define CAPTURE(text, call) do {					\
	size_t len_ = 0;						\
	FILE *out = open_memstream(&(text), &len_);			\
									\
	assert_non_null(out);						\
	assert_int_equal((call), 0);					\
	fclose(out);							\
} while (0)

static void raw_text_as_bpftool(void **state)
{
	struct btf *b = btf__new_empty();
	char *text = NULL;

	btf__add_int(b, "int", 4, BTF_INT_SIGNED);		/* 1 */
	btf__add_struct(b, "s", 8);				/* 2 */
	btf__add_field(b, "a", 1, 0, 0);
	btf__add_field(b, NULL, 1, 32, 0);
	btf__add_enum64(b, "e", 8, true);			/* 3 */
	btf__add_enum64_value(b, "NEG", -2);
	btf__add_func_proto(b, 0);				/* 4 */
	btf__add_func_param(b, "p", 1);
	btf__add_func(b, "f", BTF_FUNC_STATIC, 4);		/* 5 */
	btf__add_var(b, "v", BTF_VAR_GLOBAL_ALLOCATED, 1);	/* 6 */
	btf__add_datasec(b, ".data", 4);			/* 7 */
	btf__add_datasec_var_info(b, 6, 0, 4);
	btf__add_decl_tag(b, "hot", 5, -1);			/* 8 */
	btf__add_fwd(b, "u", BTF_FWD_UNION);			/* 9 */
	CAPTURE(text, dump__raw(b, 1, 0, out));
	assert_string_equal(text,
		"[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n"
		"[2] STRUCT 's' size=8 vlen=2\n"
		"\t'a' type_id=1 bits_offset=0\n"
		"\t'(anon)' type_id=1 bits_offset=32\n"
		"[3] ENUM64 'e' encoding=SIGNED size=8 vlen=1\n"
		"\t'NEG' val=-2LL\n"
		"[4] FUNC_PROTO '(anon)' ret_type_id=0 vlen=1\n"
		"\t'p' type_id=1\n"
		"[5] FUNC 'f' type_id=4 linkage=static\n"
		"[6] VAR 'v' type_id=1, linkage=global\n"
		"[7] DATASEC '.data' size=4 vlen=1\n"
		"\ttype_id=6 offset=0 size=4 (VAR 'v')\n"
		"[8] DECL_TAG 'hot' type_id=5 component_idx=-1\n"
		"[9] FWD 'u' fwd_kind=union\n");
	free(text);
	CAPTURE(text, dump__raw(b, 7, 1, out));
	assert_string_equal(text,
		"{\"types\":[{\"id\":7,\"kind\":\"DATASEC\",\"name\":\".data\",\"size\":4,"
		"\"vlen\":1,\"vars\":[{\"type_id\":6,\"offset\":0,\"size\":4}]},"
		"{\"id\":8,\"kind\":\"DECL_TAG\",\"name\":\"hot\",\"type_id\":5,"
		"\"component_idx\":-1},{\"id\":9,\"kind\":\"FWD\",\"name\":\"u\","
		"\"fwd_kind\":\"union\"}]}\n");
	free(text);
	btf__free(b);
}

/* Unsigned ENUM values stay unsigned 32-bit numbers (bpftool 7.1 sign-extends them). */
static void raw_json_unsigned_enum(void **state)
{
	struct btf *b = btf__new_empty();
	char *text = NULL;

	btf__add_enum(b, "big", 4);
	btf__add_enum_value(b, "TOP", 0xf0000000LL);	/* positive: unsigned enum */
	CAPTURE(text, dump__raw(b, 1, 1, out));
	assert_non_null(strstr(text, "{\"name\":\"TOP\",\"val\":4026531840}"));
	free(text);
	btf__free(b);
}

static void c_header(void **state)
{
	struct btf *b = btf__new_empty();
	char *text = NULL;

	btf__add_int(b, "int", 4, BTF_INT_SIGNED);		/* 1 */
	btf__add_func_proto(b, 1);				/* 2: int (void) */
	btf__add_ptr(b, 2);					/* 3 */
	btf__add_struct(b, "ops", 8);				/* 4 */
	btf__add_field(b, "init", 3, 0, 0);
	btf__add_typedef(b, "ops_t", 4);			/* 5 */
	CAPTURE(text, dump__c(b, 5, "__T_H__", out));
	assert_string_equal(text,
		"#ifndef __T_H__\n#define __T_H__\n\n"
		"#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n"
		"#pragma clang attribute push (__attribute__((preserve_access_index)), "
		"apply_to = record)\n#endif\n\n"
		"struct ops {\n\tint (*init)(void);\n};\n\n"
		"typedef struct ops ops_t;\n\n"
		"#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n#pragma clang attribute pop\n#endif\n\n"
		"#endif /* __T_H__ */\n");
	free(text);
	btf__free(b);
}

static void decl(const struct btf *b, uint32_t id, const char *name, const char *expected,
		 size_t expected_col)
{
	char buf[256];
	size_t col = 99;

	assert_int_equal(ctype__decl(b, id, name, buf, sizeof(buf), &col), 0);
	assert_string_equal(buf, expected);
	assert_int_equal(col, expected_col);
}

static void c_declarators(void **state)
{
	struct btf *b = btf__new_empty();
	char buf[8];

	btf__add_int(b, "char", 1, BTF_INT_CHAR);		/* 1 */
	btf__add_const(b, 1);					/* 2 const char */
	btf__add_ptr(b, 2);					/* 3 const char * */
	btf__add_const(b, 3);					/* 4 const char *const */
	btf__add_func_proto(b, 3);				/* 5 const char *(int, ...) */
	btf__add_func_param(b, NULL, 1);
	btf__add_func_param(b, NULL, 0);
	btf__add_ptr(b, 5);					/* 6 */
	btf__add_array(b, 1, 6, 3);				/* 7 */
	btf__add_array(b, 1, 1, 0);				/* 8 */
	btf__add_struct(b, NULL, 0);				/* 9 */
	btf__add_type_tag(b, "user", 2);			/* 10 */
	btf__add_ptr(b, 10);					/* 11 const char __user * */
	decl(b, 3, "s", "const char *s", 12);
	/* Type tags are left out: not "restrict" (libbpf's btf_is_mod() takes them in). */
	decl(b, 11, "u", "const char *u", 12);
	decl(b, 4, "s", "const char *const s", 18);
	decl(b, 6, "fn", "const char *(*fn)(char, ...)", 12);
	decl(b, 7, "tab", "const char *(*tab[3])(char, ...)", 12);
	decl(b, 8, "flex", "char flex[0]", 5);
	decl(b, 9, "anon", "struct {...} anon", 13);
	decl(b, 3, NULL, "const char *", 12);
	assert_int_equal(ctype__decl(b, 77, "x", buf, sizeof(buf), NULL), -EINVAL);
	assert_int_equal(ctype__decl(b, 7, "long_name", buf, sizeof(buf), NULL), 0);
	assert_string_equal(buf, "long...");
	btf__free(b);
}

/* struct bits of tests/fixtures/types.c, as pahole 1.24 prints it. */
static void layout_bitfields_as_pahole(void **state)
{
	struct layout_opts o = { 0 };
	struct btf *b = btf__new_empty();
	char *text = NULL;

	btf__add_int(b, "unsigned int", 4, 0);			/* 1 */
	btf__add_int(b, "signed char", 1, BTF_INT_SIGNED);	/* 2 */
	btf__add_int(b, "_Bool", 1, BTF_INT_BOOL);		/* 3 */
	btf__add_int(b, "long long unsigned int", 8, 0);	/* 4 */
	btf__add_int(b, "int", 4, BTF_INT_SIGNED);		/* 5 */
	btf__add_struct(b, "bits", 24);
	btf__add_field(b, "a", 1, 0, 3);
	btf__add_field(b, "b", 1, 3, 5);
	btf__add_field(b, "c", 1, 8, 24);
	btf__add_field(b, "sc", 2, 32, 4);
	btf__add_field(b, "flag", 3, 36, 1);
	btf__add_field(b, "wide", 4, 64, 40);
	btf__add_field(b, "full", 5, 128, 32);
	btf__add_field(b, "plain", 5, 160, 0);
	CAPTURE(text, dump__layout(b, 1, &o, out));
	assert_string_equal(text,
	"struct bits {\n"
	"\tunsigned int               a:3;                  /*     0: 0  4 */\n"
	"\tunsigned int               b:5;                  /*     0: 3  4 */\n"
	"\tunsigned int               c:24;                 /*     0: 8  4 */\n"
	"\tsigned char                sc:4;                 /*     4: 0  1 */\n"
	"\t_Bool                      flag:1;               /*     4: 4  1 */\n"
	"\n"
	"\t/* XXX 3 bits hole, try to pack */\n"
	"\t/* XXX 3 bytes hole, try to pack */\n"
	"\n"
	"\t/* Force alignment to the next boundary: */\n"
	"\tlong long unsigned int     :0;\n"
	"\n"
	"\tlong long unsigned int     wide:40;              /*     8: 0  8 */\n"
	"\n"
	"\t/* XXX 24 bits hole, try to pack */\n"
	"\n"
	"\t/* Force alignment to the next boundary: */\n"
	"\tint                        :0;\n"
	"\n"
	"\tint                        full:32;              /*    16: 0  4 */\n"
	"\tint                        plain;                /*    20     4 */\n"
	"\n"
	"\t/* size: 24, cachelines: 1, members: 8 */\n"
	"\t/* sum members: 4, holes: 1, sum holes: 3 */\n"
	"\t/* sum bitfield members: 109 bits, bit holes: 2, sum bit holes: 27 bits */\n"
	"\t/* last cacheline: 24 bytes */\n"
	"};\n");
	free(text);
	btf__free(b);
}

/* struct anon of tests/fixtures/types.c: anonymous members spelled out in place. */
static void layout_anonymous_members(void **state)
{
	const char *names[] = { "anon" };
	struct layout_opts o = { .names = names, .nnames = 1 };
	struct btf *b = btf__new_empty();
	char *text = NULL;

	btf__add_int(b, "int", 4, BTF_INT_SIGNED);		/* 1 */
	btf__add_float(b, "float", 4);				/* 2 */
	btf__add_int(b, "short int", 2, BTF_INT_SIGNED);	/* 3 */
	btf__add_int(b, "char", 1, BTF_INT_CHAR);		/* 4 */
	btf__add_struct(b, NULL, 4);				/* 5 */
	btf__add_field(b, "lo", 3, 0, 0);
	btf__add_field(b, "hi", 3, 16, 0);
	btf__add_union(b, NULL, 4);				/* 6 */
	btf__add_field(b, "i", 1, 0, 0);
	btf__add_field(b, "f", 2, 0, 0);
	btf__add_field(b, NULL, 5, 0, 0);
	btf__add_struct(b, NULL, 1);				/* 7 */
	btf__add_field(b, "x", 4, 0, 0);
	btf__add_struct(b, "anon", 12);				/* 8 */
	btf__add_field(b, "kind", 1, 0, 0);
	btf__add_field(b, NULL, 6, 32, 0);
	btf__add_field(b, "named_anon", 7, 64, 0);
	btf__add_struct(b, "other", 0);
	CAPTURE(text, dump__layout(b, 8, &o, out));
	assert_string_equal(text,
	"struct anon {\n"
	"\tint                        kind;                 /*     0     4 */\n"
	"\tunion {\n"
	"\t\tint                i;                    /*     4     4 */\n"
	"\t\tfloat              f;                    /*     4     4 */\n"
	"\t\tstruct {\n"
	"\t\t\tshort int  lo;                   /*     4     2 */\n"
	"\t\t\tshort int  hi;                   /*     6     2 */\n"
	"\t\t};                                       /*     4     4 */\n"
	"\t};                                               /*     4     4 */\n"
	"\tstruct {\n"
	"\t\tchar               x;                    /*     8     1 */\n"
	"\t} named_anon;                                    /*     8     1 */\n"
	"\n"
	"\t/* size: 12, cachelines: 1, members: 3 */\n"
	"\t/* padding: 3 */\n"
	"\t/* last cacheline: 12 bytes */\n"
	"};\n");
	free(text);
	btf__free(b);
}

static void layout_cachelines_and_padding_notes(void **state)
{
	struct layout_opts o = { .cacheline = 32 };
	struct btf *b = btf__new_empty();
	char *text = NULL;

	btf__add_int(b, "long", 8, BTF_INT_SIGNED);		/* 1 */
	btf__add_int(b, "char", 1, BTF_INT_CHAR);		/* 2 */
	btf__add_struct(b, "pad", 16);				/* 3 */
	btf__add_field(b, "l", 1, 0, 0);
	btf__add_field(b, "c", 2, 64, 0);
	btf__add_struct(b, "big", 48);				/* 4 */
	btf__add_field(b, "p", 3, 0, 0);
	btf__add_field(b, "q", 3, 128, 0);
	btf__add_field(b, "r", 2, 320, 0);
	CAPTURE(text, dump__layout(b, 4, &o, out));
	assert_string_equal(text,
	"struct big {\n"
	"\tstruct pad                 p;                    /*     0    16 */\n"
	"\n"
	"\t/* XXX last struct has 7 bytes of padding */\n"
	"\n"
	"\tstruct pad                 q;                    /*    16    16 */\n"
	"\n"
	"\t/* XXX last struct has 7 bytes of padding */\n"
	"\t/* XXX 8 bytes hole, try to pack */\n"
	"\n"
	"\t/* --- cacheline 1 boundary (32 bytes) was 8 bytes ago --- */\n"
	"\tchar                       r;                    /*    40     1 */\n"
	"\n"
	"\t/* size: 48, cachelines: 2, members: 3 */\n"
	"\t/* sum members: 33, holes: 1, sum holes: 8 */\n"
	"\t/* padding: 7 */\n"
	"\t/* paddings: 2, sum paddings: 14 */\n"
	"\t/* last cacheline: 16 bytes */\n"
	"};\n");
	free(text);
	btf__free(b);
}

static void emit_to(void *ctx, enum diag_level level, const char *line)
{
	snprintf(ctx, 256, "%s", line);
}

static void layout_unknown_name(void **state)
{
	const char *names[] = { "nope" };
	char msg[256] = "";
	struct diag d = { .emit = emit_to, .ctx = msg, .max_level = DIAG_WARN };
	struct layout_opts o = { .names = names, .nnames = 1, .diag = &d };
	struct btf *b = btf__new_empty();
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	btf__add_int(b, "nope", 4, 0);	/* an int of that name is no struct */
	assert_int_equal(dump__layout(b, 1, &o, out), -ENOENT);
	fclose(out);
	assert_string_equal(text, "");
	assert_string_equal(msg, "no struct or union named 'nope'");
	free(text);
	btf__free(b);
}

static void layout_json(void **state)
{
	struct layout_opts o = { .json = 1 };
	struct btf *b = btf__new_empty();
	char *text = NULL;

	btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	btf__add_int(b, "long", 8, BTF_INT_SIGNED);
	btf__add_struct(b, "s", 16);
	btf__add_field(b, "a", 1, 0, 0);
	btf__add_field(b, "b", 2, 64, 0);
	CAPTURE(text, dump__layout(b, 1, &o, out));
	assert_string_equal(text,
		"{\"cacheline\":64,\"types\":[{\"name\":\"s\",\"id\":3,\"cachelines\":1,"
		"\"kind\":\"struct\",\"size\":16,\"padding\":0,\"bit_padding\":0,\"members\":["
		"{\"name\":\"a\",\"type\":\"int\",\"offset\":0,\"size\":4,\"hole_after\":4},"
		"{\"name\":\"b\",\"type\":\"long\",\"offset\":8,\"size\":8}]}]}\n");
	free(text);
	btf__free(b);
}

/*
 * Kinds btfenc does not know (a layout section steps over them) are listed
 * by number: bpftool's manner in the raw dump, "kindN" in the canonical one,
 * a comment in the C header; a type that refers to one names it.
 */
static void unknown_kinds_named(void **state)
{
	struct btf_chain *c = NULL;
	char *text = NULL;
	size_t size;
	const void *blob = bb_unknown_sample("loc", &size);

	assert_int_equal(chain__load_mem(&blob, &size, NULL, 1, NULL, &c), 0);
	CAPTURE(text, dump__raw(c->flat, 1, 0, out));
	assert_string_equal(text,
		"[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n"
		"[2] UNKNOWN_KIND_25 'loc' kflag=1 vlen=2\n"
		"[3] PTR '(anon)' type_id=1\n"
		"[4] TYPEDEF 'loc_t' type_id=2\n"
		"[5] UNKNOWN_KIND_26 '(anon)' kflag=0 vlen=0\n");
	free(text);
	CAPTURE(text, dump__raw(c->flat, 2, 1, out));
	assert_non_null(strstr(text, "{\"types\":[{\"id\":2,\"kind\":\"UNKNOWN_KIND_25\","
				     "\"name\":\"loc\",\"kflag\":1,\"vlen\":2},"));
	free(text);
	CAPTURE(text, dump__canonical(c->flat, 1, out));
	assert_string_equal(text,
		"int int size=4 bits=32 off=0 enc=signed\n"
		"kind25 loc vlen=2 kflag=1\n"
		"kind26 vlen=0 kflag=0\n"
		"ptr(int int)\n"
		"typedef loc_t = kind25 loc\n");
	free(text);
	CAPTURE(text, dump__c(c->flat, 1, "__T_H__", out));
	assert_non_null(strstr(text, "/* type ID 2: kind 25 'loc', which btfenc does not know: "
				     "left out */\n"));
	assert_non_null(strstr(text, "/* type ID 5: kind 26, which btfenc does not know: "
				     "left out */\n"));
	assert_non_null(strstr(text, "/* type ID 4: TYPEDEF loc_t needs a kind btfenc does not "
				     "know: left out */\n"));
	assert_null(strstr(text, "typedef"));
	free(text);
	chain__free(c);
	free((void *)blob);
}

/*
 * kind_flag 1 on a TYPE_TAG makes its text an __attribute__ body (libbpf
 * commit 2b8b896b; pahole's "attributes" writes address_space(1) so): the C
 * header has __attribute__((address_space(1))) where libbpf 1.1.2's btf_dump
 * would write btf_type_tag("address_space(1)"). A kind_flag 0 tag of the
 * same text keeps its form; the raw dump shows kflag=1.
 */
static void attribute_tags(void **state)
{
	struct btf *b = btf__new_empty();
	struct btf_chain *c = NULL;
	char *text = NULL;
	const void *blob;
	uint32_t sz;
	size_t size;
	void *raw;

	btf__add_int(b, "int", 4, BTF_INT_SIGNED);			/* 1 */
	btf__add_type_tag(b, "address_space(1)", 1);			/* 2: kind_flag below */
	btf__add_ptr(b, 2);						/* 3 */
	btf__add_type_tag(b, "address_space(1)", 1);			/* 4: kind_flag 0 */
	btf__add_ptr(b, 4);						/* 5 */
	btf__add_struct(b, "s", 16);					/* 6 */
	btf__add_field(b, "arena", 3, 0, 0);
	btf__add_field(b, "tagged", 5, 64, 0);
	btf__add_decl_tag(b, "noinline", 6, -1);			/* 7: kind_flag below */
	blob = btf__raw_data(b, &sz);
	size = sz;
	raw = malloc(size);
	memcpy(raw, blob, size);
	/* libbpf 1.1.2 has no btf__add_type_attr(): the flag is set in the bytes. */
	((struct btf_type *)((uint8_t *)raw + 24 + 16))->info |= 1U << 31;
	((struct btf_type *)((uint8_t *)raw + 24 + 16 + 12 * 4 + 36))->info |= 1U << 31;
	blob = raw;
	assert_int_equal(chain__load_mem(&blob, &size, NULL, 1, NULL, &c), 0);
	assert_true(btf_kflag(btf__type_by_id(c->flat, 2)));
	assert_true(btf_kflag(btf__type_by_id(c->flat, 7)));
	CAPTURE(text, dump__c(c->flat, 1, "__T_H__", out));
	assert_non_null(strstr(text, "struct s {\n"
				     "\tint __attribute__((address_space(1))) *arena;\n"
				     "\tint __attribute__((btf_type_tag(\"address_space(1)\"))) *tagged;\n"
				     "};\n"));
	free(text);
	CAPTURE(text, dump__raw(c->flat, 1, 0, out));
	assert_non_null(strstr(text, "[2] TYPE_TAG 'address_space(1)' type_id=1 kflag=1\n"
				     "[3] PTR '(anon)' type_id=2\n"
				     "[4] TYPE_TAG 'address_space(1)' type_id=1\n"));
	assert_non_null(strstr(text, "[7] DECL_TAG 'noinline' type_id=6 component_idx=-1 "
				     "kflag=1\n"));
	free(text);
	CAPTURE(text, dump__canonical(c->flat, 1, out));
	assert_non_null(strstr(text, "type_tag(address_space(1),attr)->int int\n"));
	assert_non_null(strstr(text, "decl_tag(noinline,attr)->struct s idx=-1\n"));
	free(text);
	chain__free(c);
	free(raw);
	btf__free(b);
}

/*
 * BTF as Linux 7.0's resolve_btfids leaves it, sorted by name: every
 * reference points forward, decl tags come before what they tag. Every
 * dump takes it as it takes any order.
 */
static void forward_references(void **state)
{
	struct btf_chain *c = NULL;
	char *text = NULL;
	size_t size;
	const void *blob = bb_sorted_sample(&size);
	struct layout_opts lo = { 0 };
	const char *names[] = { "s" };

	assert_int_equal(chain__load_mem(&blob, &size, NULL, 1, NULL, &c), 0);
	CAPTURE(text, dump__canonical(c->flat, 1, out));
	assert_string_equal(text,
		"datasec .data size=4 {v@0+4}\n"
		"decl_tag(arg)->struct s idx=0\n"
		"decl_tag(bpf_kfunc)->func f idx=-1\n"
		"decl_tag(p_tag)->func f idx=0\n"
		"decl_tag(v_tag)->var v idx=-1\n"
		"func f global proto(int int; p: ptr(struct s))\n"
		"int int size=4 bits=32 off=0 enc=signed\n"
		"proto(int int; p: ptr(struct s))\n"
		"ptr(struct s)\n"
		"ptr(type_tag(user)->int int)\n"
		"struct s size=16 kflag=0 {a:int int@0, b:ptr(type_tag(user)->int int)@64}\n"
		"type_tag(user)->int int\n"
		"typedef t = struct s\n"
		"var v global int int\n");
	free(text);
	CAPTURE(text, dump__raw(c->flat, 1, 0, out));
	assert_non_null(strstr(text, "[1] DECL_TAG 'arg' type_id=11 component_idx=0\n"));
	free(text);
	CAPTURE(text, dump__c(c->flat, 1, "__T_H__", out));
	assert_non_null(strstr(text, "struct s {\n\tint a;\n"
				     "\tint __attribute__((btf_type_tag(\"user\"))) *b;\n};\n\n"
				     "typedef struct s t;\n"));
	free(text);
	lo.names = names;
	lo.nnames = 1;
	CAPTURE(text, dump__layout(c->flat, 1, &lo, out));
	assert_non_null(strstr(text, "\tint *                      b;"));
	free(text);
	chain__free(c);
	free((void *)blob);
}

/* A member of a kind btfenc does not know has no size it could tell (not its stand-in's). */
static void unknown_kind_member_layout(void **state)
{
	struct btf_chain *c = NULL;
	char *text = NULL;
	const void *blob;
	size_t size;
	struct bb b;

	bb_init(&b, 1);
	bb_type(&b, bb_str(&b, "int"), BB_INFO(BTF_KIND_INT, 0, 0), 4);
	bb_word(&b, 32);
	bb_type(&b, bb_str(&b, "k"), BB_INFO(25, 0, 0), 0);
	bb_type(&b, bb_str(&b, "s"), BB_INFO(BTF_KIND_STRUCT, 0, 2), 16);
	bb_word(&b, bb_str(&b, "a"));
	bb_word(&b, 1);
	bb_word(&b, 0);
	bb_word(&b, bb_str(&b, "b"));
	bb_word(&b, 2);
	bb_word(&b, 64);
	bb_layout_std(&b, 20);
	bb_layout_set(&b, 25, 0, 0);
	blob = bb_blob(&b, &size);
	assert_int_equal(chain__load_mem(&blob, &size, NULL, 1, NULL, &c), 0);
	assert_int_equal(reader__resolve_size(c->flat, 2), -EINVAL);
	assert_int_equal(reader__resolve_size(c->flat, 1), 4);
	CAPTURE(text, dump__layout(c->flat, 1, &(struct layout_opts){ 0 }, out));
	assert_non_null(strstr(text, "\tkind25 k                   b;                    "
				     "/*     8     0 */\n"));
	assert_non_null(strstr(text, "/* sum members: 4, holes: 1, sum holes: 4 */"));
	free(text);
	chain__free(c);
	free((void *)blob);
	bb_free(&b);
}

/*
 * Loops of references the kernel accepts, each through a FUNC_PROTO (it sizes
 * neither a pointer's target nor a prototype's parameters), as hand-built
 * blobs: 1 int, 2 the prototype, then the shape's types, and last a struct s
 * that uses the loop through a pointer member (ID in *@s).
 */
enum loop_shape {
	LOOP_PARAM,	/* 2 int (int (*p)(...)): 3 ptr -> 2 */
	LOOP_RET,	/* 2 ret 3 (int p): 3 ptr -> 2 */
	LOOP_CONST,	/* 2 param 3: 3 const -> 4 ptr -> 2 */
	LOOP_TAG,	/* 2 param 3: 3 ptr -> 4 type_tag -> 2 */
	LOOP_TYPEDEF,	/* 2 param 3: 3 typedef cb -> 4 ptr -> 2 */
	LOOP_FANOUT,	/* 2 eight params 3: 3 ptr -> 2 */
	LOOP_SHAPES,
};

static void *loop_blob(enum loop_shape shape, size_t *size, uint32_t *s)
{
	int params = shape == LOOP_FANOUT ? 8 : 1, i;
	uint32_t ptr = shape == LOOP_TAG ? 3 : shape == LOOP_CONST ? 4 : 3;
	void *blob;
	struct bb b;

	bb_init(&b, 0);
	bb_type(&b, bb_str(&b, "int"), BB_INFO(BTF_KIND_INT, 0, 0), 4);		/* 1 */
	bb_word(&b, 32);
	bb_type(&b, 0, BB_INFO(BTF_KIND_FUNC_PROTO, 0, params), shape == LOOP_RET ? 3 : 1);
	for (i = 0; i < params; i++) {
		bb_word(&b, bb_str(&b, "p"));
		bb_word(&b, shape == LOOP_RET ? 1 : 3);
	}
	switch (shape) {
	case LOOP_CONST:
		bb_type(&b, 0, BB_INFO(BTF_KIND_CONST, 0, 0), 4);
		bb_type(&b, 0, BB_INFO(BTF_KIND_PTR, 0, 0), 2);
		break;
	case LOOP_TAG:
		bb_type(&b, 0, BB_INFO(BTF_KIND_PTR, 0, 0), 4);
		bb_type(&b, bb_str(&b, "user"), BB_INFO(BTF_KIND_TYPE_TAG, 0, 0), 2);
		break;
	case LOOP_TYPEDEF:
		bb_type(&b, bb_str(&b, "cb"), BB_INFO(BTF_KIND_TYPEDEF, 0, 0), 4);
		bb_type(&b, 0, BB_INFO(BTF_KIND_PTR, 0, 0), 2);
		break;
	default:
		bb_type(&b, 0, BB_INFO(BTF_KIND_PTR, 0, 0), 2);
	}
	*s = b.nr_types + 1;
	bb_type(&b, bb_str(&b, "s"), BB_INFO(BTF_KIND_STRUCT, 0, 2), 16);
	bb_word(&b, bb_str(&b, "cb"));
	bb_word(&b, ptr);
	bb_word(&b, 0);
	bb_word(&b, bb_str(&b, "n"));
	bb_word(&b, 1);
	bb_word(&b, 64);
	blob = bb_blob(&b, size);
	bb_free(&b);
	return blob;
}

/*
 * Every dump format on each loop: no endless recursion (in libbpf's btf_dump
 * either), the C header leaves out what reaches the loop and says so, and
 * the declarators write a prototype met again inside itself as "(...)".
 */
static void kernel_valid_loops(void **state)
{
	static const char *const decl_of_2[LOOP_SHAPES] = {
		[LOOP_PARAM] = "int (int (*p)(...))",
		[LOOP_RET] = "... (*(int p))(...)",
		[LOOP_CONST] = "int (int (*const p)(...))",
		[LOOP_TAG] = "int (int (*p)(...))",
		[LOOP_TYPEDEF] = "int (cb p)",
	};
	enum loop_shape shape;

	for (shape = 0; shape < LOOP_SHAPES; shape++) {
		struct layout_opts lo = { 0 };
		struct btf_chain *c = NULL;
		char *text = NULL, decl[512], want[160];
		const void *blob;
		size_t size;
		uint32_t s;

		blob = loop_blob(shape, &size, &s);
		assert_int_equal(chain__load_mem(&blob, &size, NULL, 1, NULL, &c), 0);
		CAPTURE(text, dump__c(c->flat, 1, "H", out));
		snprintf(want, sizeof(want), "/* type ID %u: STRUCT s reaches a reference loop that "
			 "C cannot spell (not through a named struct or union): left out */", s);
		assert_non_null(strstr(text, want));
		assert_non_null(strstr(text, "/* type ID 2: FUNC_PROTO reaches a reference loop"));
		assert_null(strstr(text, "struct s {"));
		assert_non_null(strstr(text, "#endif /* H */\n"));
		free(text);
		CAPTURE(text, dump__canonical(c->flat, 1, out));
		assert_non_null(strstr(text, "struct s "));
		free(text);
		CAPTURE(text, dump__raw(c->flat, 1, 0, out));
		free(text);
		CAPTURE(text, dump__raw(c->flat, 1, 1, out));
		free(text);
		CAPTURE(text, dump__layout(c->flat, 1, &lo, out));
		/* LOOP_TYPEDEF's member is "cb cb": by name. */
		assert_true(shape == LOOP_TYPEDEF || strstr(text, "(...)"));
		free(text);
		lo.json = 1;
		CAPTURE(text, dump__layout(c->flat, 1, &lo, out));
		free(text);
		assert_int_equal(ctype__decl(c->flat, 2, NULL, decl, sizeof(decl), NULL), 0);
		if (decl_of_2[shape])
			assert_string_equal(decl, decl_of_2[shape]);
		assert_true(shape == LOOP_TYPEDEF || strstr(decl, "(...)"));
		chain__free(c);
		free((void *)blob);
	}
}

/* A loop through a named struct reached by a pointer is C, and stays in the header. */
static void loop_through_named_struct(void **state)
{
	struct btf_chain *c = NULL;
	char *text = NULL;
	const void *blob;
	size_t size;
	struct bb b;

	bb_init(&b, 0);
	bb_type(&b, bb_str(&b, "int"), BB_INFO(BTF_KIND_INT, 0, 0), 4);		/* 1 */
	bb_word(&b, 32);
	bb_type(&b, bb_str(&b, "s"), BB_INFO(BTF_KIND_STRUCT, 0, 1), 8);		/* 2 */
	bb_word(&b, bb_str(&b, "cb"));
	bb_word(&b, 3);
	bb_word(&b, 0);
	bb_type(&b, 0, BB_INFO(BTF_KIND_PTR, 0, 0), 4);				/* 3 */
	bb_type(&b, 0, BB_INFO(BTF_KIND_FUNC_PROTO, 0, 1), 1);			/* 4 */
	bb_word(&b, bb_str(&b, "p"));
	bb_word(&b, 5);
	bb_type(&b, 0, BB_INFO(BTF_KIND_PTR, 0, 0), 2);				/* 5 */
	blob = bb_blob(&b, &size);
	assert_int_equal(chain__load_mem(&blob, &size, NULL, 1, NULL, &c), 0);
	CAPTURE(text, dump__c(c->flat, 1, "H", out));
	assert_non_null(strstr(text, "struct s {\n\tint (*cb)(struct s *p);\n};\n"));
	assert_null(strstr(text, "left out"));
	free(text);
	chain__free(c);
	free((void *)blob);
	bb_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(raw_text_as_bpftool),
		cmocka_unit_test(raw_json_unsigned_enum),
		cmocka_unit_test(unknown_kinds_named),
		cmocka_unit_test(attribute_tags),
		cmocka_unit_test(forward_references),
		cmocka_unit_test(unknown_kind_member_layout),
		cmocka_unit_test(c_header),
		cmocka_unit_test(c_declarators),
		cmocka_unit_test(layout_bitfields_as_pahole),
		cmocka_unit_test(layout_anonymous_members),
		cmocka_unit_test(layout_cachelines_and_padding_notes),
		cmocka_unit_test(layout_unknown_name),
		cmocka_unit_test(layout_json),
		cmocka_unit_test(kernel_valid_loops),
		cmocka_unit_test(loop_through_named_struct),
	};

	return cmocka_run_group_tests_name("inspect/dump formats", tests, NULL, NULL);
}
