// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests: inspect/verify. Deliberately broken BTF blobs, one per kernel
 * rule, built with libbpf and byte patching: verify's offline verdict must
 * be "invalid" for each, and equal to the running kernel's (BPF_BTF_LOAD)
 * where this process may ask it; valid controls must pass both.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <bpf/btf.h>
#include <linux/btf.h>
#include <cmocka.h>

#include "btf_reader/reader.h"
#include "inspect/verify.h"
#include "util/diag.h"
#include "blob_builder.h"

/* btf_type.info of @kind with @kflag and @vlen (linux/btf.h has no encoder). */
#define INFO(kind, kflag, vlen) ((uint32_t)(kflag) << 31 | (uint32_t)(kind) << 24 | (vlen))

struct capture {
	char first[1024];
	int count;
};

static void capture_emit(void *ctx, enum diag_level level, const char *line)
{
	struct capture *c = ctx;

	if (!c->count++)
		snprintf(c->first, sizeof(c->first), "%s", line);
}

struct blob {
	uint8_t *data;
	size_t size;
};

static struct blob raw_of(struct btf *b)
{
	uint32_t sz;
	const void *raw = btf__raw_data(b, &sz);
	struct blob bl = { malloc(sz + 64), sz };

	assert_non_null(raw);
	memcpy(bl.data, raw, sz);
	btf__free(b);
	return bl;
}

static struct btf_header *hdr(struct blob *bl)
{
	return (struct btf_header *)bl->data;
}

static char *strs(struct blob *bl)
{
	return (char *)bl->data + hdr(bl)->hdr_len + hdr(bl)->str_off;
}

static size_t record_size(const struct btf_type *t)
{
	size_t vlen = BTF_INFO_VLEN(t->info);

	switch (BTF_INFO_KIND(t->info)) {
	case BTF_KIND_INT: case BTF_KIND_VAR: case BTF_KIND_DECL_TAG:
		return sizeof(*t) + 4;
	case BTF_KIND_ARRAY:
		return sizeof(*t) + sizeof(struct btf_array);
	case BTF_KIND_STRUCT: case BTF_KIND_UNION: case BTF_KIND_DATASEC:
	case BTF_KIND_ENUM64:
		return sizeof(*t) + vlen * 12;
	case BTF_KIND_ENUM: case BTF_KIND_FUNC_PROTO:
		return sizeof(*t) + vlen * 8;
	default:
		return sizeof(*t);
	}
}

/* The record of type @id (1-based) in a single-layer blob. */
static struct btf_type *rec(struct blob *bl, uint32_t id)
{
	uint8_t *p = bl->data + hdr(bl)->hdr_len + hdr(bl)->type_off;

	while (--id)
		p += record_size((struct btf_type *)p);
	return (struct btf_type *)p;
}

/*
 * The valid sample every case starts from:
 *  1 int  2 struct s {int a; int b;}  3 ptr->2  4 int[4]  5 proto int(p: 3)
 *  6 func f  7 var v  8 datasec .data {v}  9 enum e  10 typedef t = int
 *  11 decl_tag "tag" on s.a  12 type_tag "tt" -> int  13 ptr->12  14 float
 */
static struct btf *sample(void)
{
	struct btf *b = btf__new_empty();

	assert_int_equal(btf__add_int(b, "int", 4, BTF_INT_SIGNED), 1);
	assert_int_equal(btf__add_struct(b, "s", 8), 2);
	btf__add_field(b, "a", 1, 0, 0);
	btf__add_field(b, "b", 1, 32, 0);
	assert_int_equal(btf__add_ptr(b, 2), 3);
	assert_int_equal(btf__add_array(b, 1, 1, 4), 4);
	assert_int_equal(btf__add_func_proto(b, 1), 5);
	btf__add_func_param(b, "p", 3);
	assert_int_equal(btf__add_func(b, "f", BTF_FUNC_GLOBAL, 5), 6);
	assert_int_equal(btf__add_var(b, "v", BTF_VAR_GLOBAL_ALLOCATED, 1), 7);
	assert_int_equal(btf__add_datasec(b, ".data", 4), 8);
	btf__add_datasec_var_info(b, 7, 0, 4);
	assert_int_equal(btf__add_enum(b, "e", 4), 9);
	btf__add_enum_value(b, "E1", 1);
	assert_int_equal(btf__add_typedef(b, "t", 1), 10);
	assert_int_equal(btf__add_decl_tag(b, "tag", 2, 0), 11);
	assert_int_equal(btf__add_type_tag(b, "tt", 1), 12);
	assert_int_equal(btf__add_ptr(b, 12), 13);
	assert_int_equal(btf__add_float(b, "float", 4), 14);
	return b;
}

/* An extra type added after the sample, by libbpf: the rules libbpf does not refuse. */
static struct blob with(int (*add)(struct btf *b))
{
	struct btf *b = sample();

	assert_true(add(b) > 0);
	return raw_of(b);
}

static int add_extern_func(struct btf *b) { return btf__add_func(b, "g", BTF_FUNC_EXTERN, 5); }
static int add_extern_var(struct btf *b) { return btf__add_var(b, "x", BTF_VAR_GLOBAL_EXTERN, 1); }
static int add_func_not_proto(struct btf *b) { return btf__add_func(b, "g", BTF_FUNC_GLOBAL, 1); }
static int add_tag_on_int(struct btf *b) { return btf__add_decl_tag(b, "x", 1, -1); }
static int add_tag_idx_past(struct btf *b) { return btf__add_decl_tag(b, "x", 2, 2); }
static int add_ptr_to_var(struct btf *b) { return btf__add_ptr(b, 7); }
static int add_typedef_loop(struct btf *b) { return btf__add_typedef(b, "loop", 15); }

static int add_datasec_size0(struct btf *b)
{
	int id = btf__add_datasec(b, ".bss", 0);

	btf__add_var(b, "w", BTF_VAR_GLOBAL_ALLOCATED, 1);
	return id;
}

static int add_datasec_func(struct btf *b)
{
	int id = btf__add_datasec(b, ".ksyms", 4);

	btf__add_datasec_var_info(b, 6, 0, 4);
	return id;
}

static int add_datasec_overlap(struct btf *b)
{
	int w = btf__add_var(b, "w", BTF_VAR_GLOBAL_ALLOCATED, 1);
	int id = btf__add_datasec(b, ".bss", 8);

	btf__add_datasec_var_info(b, 7, 0, 4);
	btf__add_datasec_var_info(b, w, 2, 4);
	return id;
}

static int add_tag_after_const(struct btf *b)
{
	return btf__add_const(b, btf__add_type_tag(b, "late", 1));
}

static int add_long_name(struct btf *b)
{
	char name[600];

	memset(name, 'x', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	return btf__add_struct(b, name, 0);
}

static int add_member_of_proto(struct btf *b)
{
	int id = btf__add_struct(b, "holds_proto", 8);

	btf__add_field(b, "fn", 5, 0, 0);
	return id;
}

static int add_bitfield_of_struct(struct btf *b)
{
	int id = btf__add_struct(b, "bits", 8);

	btf__add_field(b, "x", 2, 0, 3);
	return id;
}

static int add_array_of_fwd(struct btf *b)
{
	return btf__add_array(b, 1, btf__add_fwd(b, "later", BTF_FWD_STRUCT), 2);
}

static int add_unnamed_func_param(struct btf *b)
{
	int proto = btf__add_func_proto(b, 1);

	btf__add_func_param(b, NULL, 1);
	return btf__add_func(b, "h", BTF_FUNC_GLOBAL, proto);
}

/* Patches of the raw sample. */
static struct blob patched(void (*patch)(struct blob *bl))
{
	struct blob bl = raw_of(sample());

	patch(&bl);
	return bl;
}

static void bad_magic(struct blob *bl) { hdr(bl)->magic = 0xbeef; }
static void bad_version(struct blob *bl) { hdr(bl)->version = 2; }
static void bad_flags(struct blob *bl) { hdr(bl)->flags = 1; }
static void hdr_len_past_end(struct blob *bl) { hdr(bl)->hdr_len = bl->size + 4; }
static void str_len_past_end(struct blob *bl) { hdr(bl)->str_len += 8; }
static void str_no_nul_end(struct blob *bl) { strs(bl)[hdr(bl)->str_len - 1] = 'x'; }
static void str_no_nul_start(struct blob *bl) { strs(bl)[0] = 'x'; }
static void unknown_kind(struct blob *bl) { rec(bl, 14)->info = INFO(25, 0, 0); }
static void reserved_info(struct blob *bl) { rec(bl, 1)->info |= 1U << 20; }
static void name_past_strings(struct blob *bl) { rec(bl, 2)->name_off = 1U << 20; }
static void id_out_of_range(struct blob *bl) { rec(bl, 3)->type = 9999; }
static void kflag_on_ptr(struct blob *bl) { rec(bl, 3)->info |= 1U << 31; }
static void vlen_on_fwd(struct blob *bl) { rec(bl, 10)->info = INFO(BTF_KIND_FWD, 0, 1); }
static void int_bits_past_size(struct blob *bl) { *(uint32_t *)(rec(bl, 1) + 1) = 40; }
static void int_bad_encoding(struct blob *bl) { *(uint32_t *)(rec(bl, 1) + 1) = 3U << 24 | 32; }
static void member_past_size(struct blob *bl)
{
	((struct btf_member *)(rec(bl, 2) + 1))[1].offset = 64;
}
static void union_member_offset(struct blob *bl)
{
	rec(bl, 2)->info = INFO(BTF_KIND_UNION, 0, 2);
}
static void struct_bad_name(struct blob *bl) { memcpy(strs(bl) + rec(bl, 2)->name_off, "1", 1); }
static void ptr_has_name(struct blob *bl) { rec(bl, 3)->name_off = rec(bl, 2)->name_off; }
static void array_no_index(struct blob *bl)
{
	((struct btf_array *)(rec(bl, 4) + 1))->index_type = 0;
}
static void array_index_ptr(struct blob *bl)
{
	((struct btf_array *)(rec(bl, 4) + 1))->index_type = 3;
}
static void decl_tag_idx_neg(struct blob *bl) { *(int32_t *)(rec(bl, 11) + 1) = -2; }
static void enum_size_3(struct blob *bl) { rec(bl, 9)->size = 3; }
static void float_size_3(struct blob *bl) { rec(bl, 14)->size = 3; }
static void func_has_kflag(struct blob *bl) { rec(bl, 6)->info |= 1U << 31; }
static void var_is_void(struct blob *bl) { rec(bl, 7)->type = 0; }
static void datasec_entry_short(struct blob *bl)
{
	((struct btf_var_secinfo *)(rec(bl, 8) + 1))->size = 2;
}
static void datasec_entry_past(struct blob *bl)
{
	((struct btf_var_secinfo *)(rec(bl, 8) + 1))->offset = 4;
}
static void types_misaligned(struct blob *bl) { hdr(bl)->type_off = 2; }

/* The type section moved behind the strings (padded to keep it aligned). */
static void strings_first(struct blob *bl)
{
	struct btf_header *h = hdr(bl);
	uint8_t *copy = malloc(bl->size);
	uint32_t tlen = h->type_len, slen = h->str_len, pad = (4 - slen % 4) % 4;

	memcpy(copy, bl->data, bl->size);
	memcpy(bl->data + h->hdr_len, copy + h->hdr_len + h->str_off, slen);
	memset(bl->data + h->hdr_len + slen, 0, pad);
	memcpy(bl->data + h->hdr_len + slen + pad, copy + h->hdr_len + h->type_off, tlen);
	h->str_off = 0;
	h->str_len = slen + pad;
	h->type_off = slen + pad;
	bl->size += pad;
	free(copy);
}

/* No types at all: a header and one "\0". */
static struct blob no_types(void)
{
	return raw_of(btf__new_empty());
}

struct verify_case {
	const char *rule;
	struct blob (*build)(void);
	void (*patch)(struct blob *bl);
	int (*add)(struct btf *b);
};

#define PATCH(rule, fn) { rule, NULL, fn, NULL }
#define ADD(rule, fn) { rule, NULL, NULL, fn }

static const struct verify_case broken[] = {
	PATCH("header: bad magic", bad_magic),
	PATCH("header: version", bad_version),
	PATCH("header: flags", bad_flags),
	PATCH("header: hdr_len past the data", hdr_len_past_end),
	PATCH("header: string section past the data", str_len_past_end),
	PATCH("header: type section not 4-byte aligned", types_misaligned),
	PATCH("header: strings before types", strings_first),
	{ "types: none", no_types, NULL, NULL },
	PATCH("strings: no final NUL", str_no_nul_end),
	PATCH("strings: no leading NUL", str_no_nul_start),
	PATCH("kind: unknown", unknown_kind),
	PATCH("info: reserved bits", reserved_info),
	PATCH("info: kind_flag on a ptr", kflag_on_ptr),
	PATCH("info: vlen on a fwd", vlen_on_fwd),
	PATCH("name: offset past the strings", name_past_strings),
	PATCH("name: not an identifier", struct_bad_name),
	PATCH("name: on a ptr", ptr_has_name),
	ADD("name: longer than KSYM_NAME_LEN", add_long_name),
	PATCH("type ID: out of range", id_out_of_range),
	PATCH("int: bits past its size", int_bits_past_size),
	PATCH("int: encoding", int_bad_encoding),
	PATCH("enum: size 3", enum_size_3),
	PATCH("float: size 3", float_size_3),
	PATCH("struct: member past its size", member_past_size),
	PATCH("union: member at an offset", union_member_offset),
	ADD("struct: member without size", add_member_of_proto),
	ADD("struct: bitfield of a struct", add_bitfield_of_struct),
	PATCH("array: no index type", array_no_index),
	PATCH("array: index not an int", array_index_ptr),
	ADD("array: element without size", add_array_of_fwd),
	ADD("ptr: to a var", add_ptr_to_var),
	ADD("typedef: loop", add_typedef_loop),
	ADD("type_tag: after a modifier", add_tag_after_const),
	ADD("func: extern linkage", add_extern_func),
	ADD("func: type not a func_proto", add_func_not_proto),
	ADD("func: unnamed param", add_unnamed_func_param),
	PATCH("func: kind_flag", func_has_kflag),
	ADD("var: extern linkage", add_extern_var),
	PATCH("var: void", var_is_void),
	ADD("datasec: size 0", add_datasec_size0),
	ADD("datasec: a func entry", add_datasec_func),
	ADD("datasec: entries overlap", add_datasec_overlap),
	PATCH("datasec: entry smaller than its var", datasec_entry_short),
	PATCH("datasec: entry past the section", datasec_entry_past),
	ADD("decl_tag: on an int", add_tag_on_int),
	ADD("decl_tag: component_idx past the members", add_tag_idx_past),
	PATCH("decl_tag: component_idx below -1", decl_tag_idx_neg),
};

static struct blob build_case(const struct verify_case *vc)
{
	if (vc->build)
		return vc->build();
	if (vc->add)
		return with(vc->add);
	return patched(vc->patch);
}

/* The offline verdict: 0 valid, 1 invalid. */
static int offline(const struct blob *bl, struct capture *cap)
{
	struct diag d = { .emit = capture_emit, .ctx = cap, .max_level = DIAG_WARN };
	const void *data = bl->data;
	const char *name = "case";
	int err = verify__layers(&data, &bl->size, &name, 1, &d, NULL);

	assert_true(err == 0 || err == -EINVAL);
	if (err)
		assert_true(cap->count > 0);	/* an invalid verdict always says why */
	return err ? 1 : 0;
}

/* The kernel's verdict: 0 accepted, 1 rejected, -1 cannot ask. */
static int kernel(const struct blob *bl, char *log, size_t len)
{
	int err = verify__kernel(bl->data, bl->size, log, len);

	if (err == -EPERM || err == -EACCES || err == -ENOSYS)
		return -1;
	return err ? 1 : 0;
}

static void each_broken_blob_matches_the_kernel(void **state)
{
	size_t i, n = sizeof(broken) / sizeof(broken[0]), compared = 0;

	assert_true(n >= 20);
	for (i = 0; i < n; i++) {
		struct blob bl = build_case(&broken[i]);
		struct capture cap = { 0 };
		char log[1024];
		int ours = offline(&bl, &cap), theirs = kernel(&bl, log, sizeof(log));

		if (ours != 1 || (theirs >= 0 && theirs != ours))
			fail_msg("%s: offline %s (%s), kernel %s: %s", broken[i].rule,
				 ours ? "invalid" : "valid", cap.first,
				 theirs < 0 ? "not asked" : theirs ? "rejects" : "accepts", log);
		compared += theirs >= 0;
		/* VERIFY_DEBUG=1 lists each case's two verdicts. */
		if (getenv("VERIFY_DEBUG"))
			print_message("%-45s %s | %s\n", broken[i].rule, cap.first,
				      strrchr(log, '\n') ? log : log);
		free(bl.data);
	}
	if (!compared)
		print_message("SKIP: BPF_BTF_LOAD not permitted here: offline verdicts only\n");
	else
		assert_int_equal(compared, n);
}

static void valid_sample_passes_both(void **state)
{
	struct blob bl = raw_of(sample());
	struct capture cap = { 0 };
	char log[1024];
	int theirs = kernel(&bl, log, sizeof(log));

	assert_int_equal(offline(&bl, &cap), 0);
	assert_int_equal(cap.count, 0);
	if (theirs >= 0)
		assert_int_equal(theirs, 0);
	free(bl.data);
}

/*
 * Loops of references through a FUNC_PROTO, after the sample (IDs from 15):
 * the kernel sizes neither a pointer's target nor a prototype's parameters,
 * so it accepts each, and so must verify.
 */
static int add_proto_param_loop(struct btf *b)
{
	btf__add_ptr(b, 16);					/* 15 */
	btf__add_func_proto(b, 1);				/* 16 int (int (*p)(...)) */
	return btf__add_func_param(b, "p", 15) ? -1 : 16;
}

static int add_proto_ret_loop(struct btf *b)
{
	btf__add_ptr(b, 16);					/* 15 */
	btf__add_func_proto(b, 15);				/* 16 returns 15 */
	return btf__add_func_param(b, "p", 1) ? -1 : 16;
}

static int add_proto_tag_typedef_loop(struct btf *b)
{
	btf__add_typedef(b, "cb", 16);				/* 15 */
	btf__add_ptr(b, 17);					/* 16 */
	btf__add_type_tag(b, "user", 18);			/* 17 */
	btf__add_func_proto(b, 1);				/* 18 int (cb p) */
	return btf__add_func_param(b, "p", 15) ? -1 : 18;
}

static void valid_loops_through_prototypes(void **state)
{
	static int (*const adds[])(struct btf *b) = {
		add_proto_param_loop, add_proto_ret_loop, add_proto_tag_typedef_loop,
	};
	size_t i;

	for (i = 0; i < sizeof(adds) / sizeof(adds[0]); i++) {
		struct blob bl = with(adds[i]);
		struct capture cap = { 0 };
		char log[1024];
		int theirs = kernel(&bl, log, sizeof(log));

		assert_int_equal(offline(&bl, &cap), 0);
		assert_int_equal(cap.count, 0);
		if (theirs >= 0)
			assert_int_equal(theirs, 0);
		free(bl.data);
	}
}

/* kind_flag bitfields and a vararg prototype are fine, offline and in the kernel. */
static void valid_bitfields_and_varargs(void **state)
{
	struct btf *b = sample();
	struct capture cap = { 0 };
	struct blob bl;
	char log[256];
	int proto, theirs;

	btf__add_struct(b, "bits", 4);
	btf__add_field(b, "lo", 1, 0, 3);
	btf__add_field(b, "hi", 1, 3, 29);
	proto = btf__add_func_proto(b, 0);
	btf__add_func_param(b, "fmt", 3);
	btf__add_func_param(b, NULL, 0);
	btf__add_func(b, "printk", BTF_FUNC_STATIC, proto);
	bl = raw_of(b);
	theirs = kernel(&bl, log, sizeof(log));
	assert_int_equal(offline(&bl, &cap), 0);
	if (theirs >= 0)
		assert_int_equal(theirs, 0);
	free(bl.data);
}

/*
 * A split layer whose struct holds a member of a base FUNC_PROTO: one layer
 * alone cannot see it (reader__check() passes), the chain rules do, and so
 * does the kernel on the concatenated chain.
 */
static void cross_layer_rule(void **state)
{
	struct btf *base = sample(), *top = btf__new_empty_split(base);
	struct capture quiet = { 0 };
	struct diag d = { .emit = capture_emit, .ctx = &quiet, .max_level = DIAG_WARN };
	struct blob bb, tb;
	const void *blobs[2];
	size_t sizes[2], size;
	void *flat;
	uint32_t sz;
	const void *raw;
	int theirs;

	btf__add_struct(top, "holds_proto", 8);
	btf__add_field(top, "fn", 5, 0, 0);
	raw = btf__raw_data(top, &sz);
	tb.data = malloc(sz);
	memcpy(tb.data, raw, sz);
	tb.size = sz;
	btf__free(top);
	bb = raw_of(base);
	blobs[0] = bb.data;
	blobs[1] = tb.data;
	sizes[0] = bb.size;
	sizes[1] = tb.size;
	assert_int_equal(reader__check(tb.data, tb.size, 15, hdr(&bb)->str_len, "top", &d), 0);
	assert_int_equal(verify__layers(blobs, sizes, NULL, 2, &d, NULL), -EINVAL);
	assert_int_equal(verify__concat(blobs, sizes, 2, &flat, &size), 0);
	theirs = kernel(&(struct blob){ flat, size }, NULL, 0);
	if (theirs >= 0)
		assert_int_equal(theirs, 1);
	free(flat);
	free(bb.data);
	free(tb.data);
}

/* The concatenated chain is the chain: a valid split layer stays valid. */
static void concat_of_valid_chain(void **state)
{
	struct btf *base = sample(), *top = btf__new_empty_split(base);
	struct capture quiet = { 0 };
	struct diag d = { .emit = capture_emit, .ctx = &quiet, .max_level = DIAG_WARN };
	struct btf_chain *c = NULL;
	const void *blobs[2];
	size_t sizes[2], size;
	struct blob bb, tb;
	const void *raw;
	void *flat;
	uint32_t sz;

	btf__add_struct(top, "top_s", 8);
	btf__add_field(top, "p", 3, 0, 0);
	raw = btf__raw_data(top, &sz);
	tb.data = malloc(sz);
	memcpy(tb.data, raw, sz);
	tb.size = sz;
	btf__free(top);
	bb = raw_of(base);
	blobs[0] = bb.data;
	blobs[1] = tb.data;
	sizes[0] = bb.size;
	sizes[1] = tb.size;
	assert_int_equal(verify__layers(blobs, sizes, NULL, 2, &d, &c), 0);
	assert_non_null(c);
	assert_int_equal(c->nlayers, 2);
	assert_int_equal(verify__concat(blobs, sizes, 2, &flat, &size), 0);
	assert_int_equal(size, 24 + hdr(&bb)->type_len + hdr(&tb)->type_len +
			 hdr(&bb)->str_len + hdr(&tb)->str_len);
	if (kernel(&(struct blob){ flat, size }, NULL, 0) >= 0)
		assert_int_equal(kernel(&(struct blob){ flat, size }, NULL, 0), 0);
	chain__free(c);
	free(flat);
	free(bb.data);
	free(tb.data);
}

/* Pass 2 names every problem it finds, not only the first. */
static void reports_each_problem(void **state)
{
	struct btf *b = sample();
	struct capture cap = { 0 };
	struct blob bl;

	btf__add_func(b, "g1", BTF_FUNC_EXTERN, 5);
	btf__add_var(b, "x1", BTF_VAR_GLOBAL_EXTERN, 1);
	bl = raw_of(b);
	assert_int_equal(offline(&bl, &cap), 1);
	assert_int_equal(cap.count, 2);
	assert_non_null(strstr(cap.first, "case: type ID 15 (func): linkage 2"));
	free(bl.data);
}

/*
 * Records of kinds btfenc does not know, stepped over with the layout
 * section, are neither refused nor checked: verify says so in one line. A
 * FUNC whose type is one of them is still refused (it must be a FUNC_PROTO).
 */
static void unknown_kinds_not_checked(void **state)
{
	struct capture cap = { 0 };
	struct diag d = { .emit = capture_emit, .ctx = &cap, .max_level = DIAG_WARN };
	const char *name = "new.btf";
	size_t size;
	void *blob = bb_unknown_sample("loc", &size);
	const void *data = blob;
	struct btf_chain *c = NULL;
	struct bb b;

	assert_int_equal(verify__layers(&data, &size, &name, 1, &d, &c), 0);
	assert_int_equal(cap.count, 1);
	assert_string_equal(cap.first, "new.btf: 2 types of kinds btfenc does not know (kind 25, "
			    "kind 26), stepped over with the layout section, not checked");
	chain__free(c);
	free(blob);

	bb_init(&b, 1);
	bb_type(&b, bb_str(&b, "f"), INFO(BTF_KIND_FUNC, 0, BTF_FUNC_GLOBAL), 2);
	bb_type(&b, 0, INFO(25, 0, 0), 0);
	bb_layout_std(&b, 20);
	bb_layout_set(&b, 25, 0, 0);
	blob = bb_blob(&b, &size);
	data = blob;
	cap.count = 0;
	assert_int_equal(verify__layers(&data, &size, &name, 1, &d, NULL), -EINVAL);
	assert_string_equal(cap.first, "new.btf: type ID 1 (func): type ID 2 is kind 25, must be "
			    "func_proto");
	free(blob);
	bb_free(&b);
}

/* The running kernel's release is at least @major.@minor. */
static int kernel_at_least(unsigned int major, unsigned int minor)
{
	unsigned int ma = 0, mi = 0;
	struct utsname u;

	return !uname(&u) && sscanf(u.release, "%u.%u", &ma, &mi) == 2 &&
	       (ma > major || (ma == major && mi >= minor));
}

/*
 * kind_flag 1 on a TYPE_TAG and a DECL_TAG (an __attribute__ body; kernels
 * 6.14 and later take them, libbpf commit 2b8b896b): valid, offline and, on
 * such a kernel, for the kernel too.
 */
static void attribute_tags_valid(void **state)
{
	struct blob bl = raw_of(sample());
	struct capture cap = { 0 };
	char log[1024];
	int theirs;

	rec(&bl, 11)->info |= 1U << 31;		/* decl_tag "tag" on s.a */
	rec(&bl, 12)->info |= 1U << 31;		/* type_tag "tt" */
	assert_int_equal(offline(&bl, &cap), 0);
	assert_int_equal(cap.count, 0);
	theirs = kernel_at_least(6, 14) ? kernel(&bl, log, sizeof(log)) : -1;
	if (theirs > 0)
		fail_msg("the kernel rejects kind_flag tags: %s", log);
	free(bl.data);
}

/*
 * Linux 7.0 sorts vmlinux BTF by name (resolve_btfids), so a DECL_TAG may
 * come before its target and any reference may point forward: valid, as
 * for the kernel, which resolves types in any order.
 */
static void forward_references_valid(void **state)
{
	struct capture cap = { 0 };
	struct blob bl;
	char log[1024];

	bl.data = bb_sorted_sample(&bl.size);
	assert_int_equal(offline(&bl, &cap), 0);
	assert_int_equal(cap.count, 0);
	if (kernel(&bl, log, sizeof(log)) > 0)
		fail_msg("the kernel rejects forward references: %s", log);
	/* Still checked: a forward decl tag's component_idx past its target's members. */
	*(uint32_t *)(bl.data + 24 + 12) = 2;
	assert_int_equal(offline(&bl, &cap), 1);
	assert_string_equal(cap.first, "case: type ID 1 (decl_tag): component_idx 2 past the "
			    "target's 2 members/params");
	free(bl.data);
}

/*
 * Which formats newer than some kernels a chain uses, and which ones a
 * kernel reads: from its own BTF (struct btf_header's layout_off, the enum
 * of kinds) and its release.
 */
static void formats_used_and_read(void **state)
{
	struct btf *k = btf__new_empty();
	struct btf_chain *c = NULL;
	unsigned int max_kind;
	size_t size;
	const void *blob = bb_unknown_sample("loc", &size);
	struct blob bl = raw_of(sample());

	assert_int_equal(chain__load_mem(&blob, &size, NULL, 1, NULL, &c), 0);
	assert_int_equal(verify__formats_used(c, &max_kind), VF_LAYOUT | VF_NEW_KINDS);
	assert_int_equal(max_kind, 26);
	chain__free(c);
	free((void *)blob);
	rec(&bl, 12)->info |= 1U << 31;		/* type_tag "tt": an attribute */
	blob = bl.data;
	size = bl.size;
	assert_int_equal(chain__load_mem(&blob, &size, NULL, 1, NULL, &c), 0);
	assert_int_equal(verify__formats_used(c, &max_kind), VF_ATTR_TAGS);
	assert_int_equal(max_kind, 0);
	chain__free(c);
	free(bl.data);

	/* A kernel of the 2026 UAPI that knows 30 kinds. */
	btf__add_int(k, "unsigned int", 4, 0);
	btf__add_struct(k, "btf_header", 32);
	btf__add_field(k, "hdr_len", 1, 32, 0);
	btf__add_field(k, "layout_off", 1, 192, 0);
	btf__add_enum(k, NULL, 4);
	btf__add_enum_value(k, "BTF_KIND_ENUM64", 19);
	btf__add_enum_value(k, "NR_BTF_KINDS", 30);
	assert_int_equal(verify__formats_read(k, "7.2.0", 26), VF_LAYOUT | VF_ATTR_TAGS |
			 VF_NEW_KINDS);
	assert_int_equal(verify__formats_read(k, "7.2.0", 30), VF_LAYOUT | VF_ATTR_TAGS);
	btf__free(k);
	/* Linux 6.18's: kind_flag tags, nothing newer. */
	k = btf__new_empty();
	btf__add_int(k, "unsigned int", 4, 0);
	btf__add_struct(k, "btf_header", 24);
	btf__add_field(k, "hdr_len", 1, 32, 0);
	btf__add_enum(k, NULL, 4);
	btf__add_enum_value(k, "NR_BTF_KINDS", 20);
	assert_int_equal(verify__formats_read(k, "6.18.44-cloud", 25), VF_ATTR_TAGS);
	btf__free(k);
	/* Without the kernel's BTF, by its release. */
	assert_int_equal(verify__formats_read(NULL, "6.13.7", 0), 0);
	assert_int_equal(verify__formats_read(NULL, "7.1.0-rc2", 25), VF_LAYOUT | VF_ATTR_TAGS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(unknown_kinds_not_checked),
		cmocka_unit_test(attribute_tags_valid),
		cmocka_unit_test(forward_references_valid),
		cmocka_unit_test(formats_used_and_read),
		cmocka_unit_test(valid_sample_passes_both),
		cmocka_unit_test(valid_bitfields_and_varargs),
		cmocka_unit_test(each_broken_blob_matches_the_kernel),
		cmocka_unit_test(cross_layer_rule),
		cmocka_unit_test(concat_of_valid_chain),
		cmocka_unit_test(reports_each_problem),
		cmocka_unit_test(valid_loops_through_prototypes),
	};

	return cmocka_run_group_tests_name("inspect/verify", tests, NULL, NULL);
}
