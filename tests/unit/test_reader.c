// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests: btf_reader/ (reading files, structural checks, base chains). */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <byteswap.h>
#include <bpf/btf.h>
#include <linux/btf.h>
#include <zlib.h>
#include <cmocka.h>

#include "btf_reader/reader.h"
#include "btf_reader/typeref.h"
#include "inspect/dump.h"
#include "util/diag.h"
#include "blob_builder.h"

struct capture {
	char last[1024];
	int count;
};

static void capture_emit(void *ctx, enum diag_level level, const char *line)
{
	struct capture *c = ctx;

	snprintf(c->last, sizeof(c->last), "%s", line);
	c->count++;
}

#define CAPTURE_DIAG(cap) { .emit = capture_emit, .ctx = &(cap), .max_level = DIAG_WARN }

static void *raw_copy(const struct btf *b, size_t *size)
{
	uint32_t sz;
	const void *raw = btf__raw_data(b, &sz);
	void *copy = malloc(sz);

	assert_non_null(raw);
	memcpy(copy, raw, sz);
	*size = sz;
	return copy;
}

/* Root layer: int, ptr, struct base_s {int x;}, typedef base_t. */
static struct btf *build_root(void)
{
	struct btf *b = btf__new_empty();

	assert_int_equal(btf__add_int(b, "int", 4, BTF_INT_SIGNED), 1);
	assert_int_equal(btf__add_ptr(b, 1), 2);
	assert_int_equal(btf__add_struct(b, "base_s", 4), 3);
	assert_int_equal(btf__add_field(b, "x", 1, 0, 0), 0);
	assert_int_equal(btf__add_typedef(b, "base_t", 3), 4);
	return b;
}

/* A layer with one of each kind the checks look into, IDs 1..10. */
static struct btf *build_victim(void)
{
	struct btf *b = btf__new_empty();

	btf__add_int(b, "int", 4, BTF_INT_SIGNED);		/* 1 */
	btf__add_ptr(b, 1);					/* 2 */
	btf__add_struct(b, "s", 8);				/* 3 */
	btf__add_field(b, "a", 1, 0, 0);
	btf__add_field(b, "b", 1, 32, 0);
	btf__add_typedef(b, "t", 3);				/* 4 */
	btf__add_func_proto(b, 1);				/* 5 */
	btf__add_func_param(b, "x", 1);
	btf__add_func(b, "f", BTF_FUNC_GLOBAL, 5);		/* 6 */
	btf__add_var(b, "v", BTF_VAR_GLOBAL_ALLOCATED, 1);	/* 7 */
	btf__add_datasec(b, ".data", 8);			/* 8 */
	btf__add_datasec_var_info(b, 7, 0, 4);
	btf__add_decl_tag(b, "tag", 6, -1);			/* 9 */
	assert_int_equal(btf__add_enum(b, "e", 4), 10);	/* 10 */
	btf__add_enum_value(b, "A", 1);
	return b;
}

static struct btf_header *hdr_of(void *blob)
{
	return blob;
}

/* The record of type @id (1-based) in a native-order, non-split blob. */
static struct btf_type *rec(void *blob, uint32_t id)
{
	uint8_t *p = (uint8_t *)blob + hdr_of(blob)->hdr_len + hdr_of(blob)->type_off;
	struct btf_type *t = (struct btf_type *)p;

	while (--id) {
		p += sizeof(*t) + typeref__extra_size(t);
		t = (struct btf_type *)p;
	}
	return t;
}

static char *str_sec(void *blob)
{
	return (char *)blob + hdr_of(blob)->hdr_len + hdr_of(blob)->str_off;
}

static void root_layer_loads(void **state)
{
	struct btf *b = build_root();
	struct capture cap = { 0 };
	struct diag d = CAPTURE_DIAG(cap);
	struct btf_chain *c = NULL;
	const char *names[] = { "root.btf" };
	const void *blobs[1];
	size_t size;
	void *blob = raw_copy(b, &size);

	blobs[0] = blob;
	assert_int_equal(chain__load_mem(blobs, &size, names, 1, &d, &c), 0);
	assert_int_equal(cap.count, 0);
	assert_int_equal(c->nlayers, 1);
	assert_string_equal(c->layers[0].path, "root.btf");
	assert_int_equal(c->layers[0].start_id, 1);
	assert_int_equal(c->layers[0].nr_types, 4);
	assert_int_equal(c->layers[0].start_str, 0);
	assert_int_equal(c->layers[0].str_len, hdr_of(blob)->str_len);
	assert_int_equal(c->layers[0].crc, (uint32_t)crc32(0, blob, size));
	assert_int_equal(c->layers[0].big_endian, 0);
	assert_int_equal(btf__type_cnt(c->flat), 5);
	assert_string_equal(btf__name_by_offset(c->flat, btf__type_by_id(c->flat, 4)->name_off),
			    "base_t");
	chain__free(c);
	chain__free(NULL);
	free(blob);
	btf__free(b);
}

/*
 * vmlinux <- mod <- mod-extra: the third layer refers to types and strings of
 * both layers below it, and adds its own. libbpf 1.1.2 gets the string offsets
 * of a split-on-split BTF wrong (fixed in libbpf 1.6, 8df8d67 "libbpf/btf: Fix
 * string handling to support multi-split BTF", and 1.7, 0e14a12 "libbpf: Fix
 * parsing of multi-split BTF"), so the chain below the top is flattened into
 * one base: each layer's type IDs and string offsets continue from the sums
 * of the layers below it, as they do on disk.
 */
static void three_level_chain(void **state)
{
	struct btf *l1 = build_root(), *l2, *l3;
	struct btf_chain *c12 = NULL, *c = NULL;
	const char *names[] = { "vmlinux", "mod", "mod-extra" };
	const struct btf_type *t;
	const struct btf_member *m;
	const void *blobs[3];
	size_t sizes[3];
	void *raw[3];
	int mid, top, i;

	l2 = btf__new_empty_split(l1);
	mid = btf__add_struct(l2, "mid_s", 8);
	assert_int_equal(mid, 5);
	btf__add_field(l2, "b", 4, 0, 0);
	btf__add_field(l2, "mid_field", 1, 32, 0);
	raw[0] = raw_copy(l1, &sizes[0]);
	raw[1] = raw_copy(l2, &sizes[1]);
	for (i = 0; i < 2; i++)
		blobs[i] = raw[i];
	assert_int_equal(chain__load_mem(blobs, sizes, names, 2, NULL, &c12), 0);

	l3 = btf__new_empty_split(c12->flat);
	top = btf__add_struct(l3, "top_s", 12);
	assert_int_equal(top, 6);
	btf__add_field(l3, "mid_field", mid, 0, 0);	/* a name of layer 2 */
	btf__add_field(l3, "top_field", 1, 64, 0);	/* a new name */
	raw[2] = raw_copy(l3, &sizes[2]);
	blobs[2] = raw[2];
	assert_int_equal(chain__load_mem(blobs, sizes, names, 3, NULL, &c), 0);

	assert_int_equal(c->nlayers, 3);
	assert_int_equal(c->layers[1].start_id, 5);
	assert_int_equal(c->layers[2].start_id, 6);
	assert_int_equal(c->layers[2].nr_types, 1);
	assert_int_equal(c->layers[1].start_str, c->layers[0].str_len);
	assert_int_equal(c->layers[2].start_str, c->layers[0].str_len + c->layers[1].str_len);
	assert_int_equal(btf__type_cnt(c->flat), 7);

	t = btf__type_by_id(c->flat, top);
	assert_true(t->name_off >= c->layers[2].start_str);
	assert_string_equal(btf__name_by_offset(c->flat, t->name_off), "top_s");
	m = btf_members(t);
	assert_true(m[0].name_off >= c->layers[1].start_str);
	assert_true(m[0].name_off < c->layers[2].start_str);
	assert_string_equal(btf__name_by_offset(c->flat, m[0].name_off), "mid_field");
	assert_string_equal(btf__name_by_offset(c->flat, m[1].name_off), "top_field");
	t = btf__type_by_id(c->flat, m[0].type);
	assert_string_equal(btf__name_by_offset(c->flat, t->name_off), "mid_s");
	t = btf__type_by_id(c->flat, btf_members(t)[0].type);
	assert_string_equal(btf__name_by_offset(c->flat, t->name_off), "base_t");

	chain__free(c12);
	chain__free(c);
	for (i = 0; i < 3; i++)
		free(raw[i]);
	btf__free(l3);
	btf__free(l2);
	btf__free(l1);
}

/* A split layer given as a chain's root, or on a too small base, is named as such. */
static void split_layer_without_base(void **state)
{
	struct btf *l1 = build_root(), *l2 = btf__new_empty_split(l1);
	struct capture cap = { 0 };
	struct diag d = CAPTURE_DIAG(cap);
	const char *name = "mod.btf";
	struct btf_chain *c = NULL;
	const void *blob;
	size_t size;
	void *raw;

	btf__add_struct(l2, "mid_s", 4);
	btf__add_field(l2, "x", 4, 0, 0);
	raw = raw_copy(l2, &size);
	blob = raw;
	assert_int_equal(chain__load_mem(&blob, &size, &name, 1, &d, &c), -EINVAL);
	assert_null(c);
	assert_non_null(strstr(cap.last, "mod.btf: "));
	assert_non_null(strstr(cap.last, "is its base missing?"));

	/* Strings that happen to start with '\0': the type ID gives it away. */
	str_sec(raw)[0] = '\0';
	assert_int_equal(reader__check(raw, size, 1, 0, "mod.btf", &d), -EINVAL);
	assert_string_equal(cap.last,
			    "mod.btf: type ID 1 (struct): refers to ID 4 beyond this chain "
			    "(is its base missing?)");
	free(raw);
	btf__free(l2);
	btf__free(l1);
}

struct corruption {
	const char *what;
	void (*mutate)(void *blob, size_t *size);
	const char *expect;
	int structural;		/* CHECK_STRUCTURE refuses it too */
};

static void bad_magic(void *b, size_t *s) { hdr_of(b)->magic = 0x1234; }
static void bad_version(void *b, size_t *s) { hdr_of(b)->version = 2; }
static void short_header(void *b, size_t *s) { *s = 10; }
static void types_past_end(void *b, size_t *s) { hdr_of(b)->type_len += 64; }
static void unknown_kind(void *b, size_t *s) { rec(b, 2)->info = 25U << 24; }
static void name_off_range(void *b, size_t *s) { rec(b, 3)->name_off = 100000; }
static void id_range(void *b, size_t *s) { rec(b, 2)->type = 999; }
static void vlen_past_end(void *b, size_t *s) { rec(b, 10)->info = BTF_KIND_ENUM << 24 | 500; }
static void str_no_nul(void *b, size_t *s) { str_sec(b)[hdr_of(b)->str_len - 1] = 'x'; }
static void int_too_wide(void *b, size_t *s) { *(uint32_t *)(rec(b, 1) + 1) = 40; }
static void int_kflag(void *b, size_t *s) { rec(b, 1)->info |= 1U << 31; }
static void typedef_loop(void *b, size_t *s) { rec(b, 4)->type = 4; }
static void member_past_end(void *b, size_t *s) { btf_members(rec(b, 3))[1].offset = 64; }
static void datasec_overlap(void *b, size_t *s) { btf_var_secinfos(rec(b, 8))[0].size = 16; }
static void decl_tag_idx(void *b, size_t *s) { btf_decl_tag(rec(b, 9))->component_idx = -2; }
static void func_not_proto(void *b, size_t *s) { rec(b, 6)->type = 1; }
static void member_name_range(void *b, size_t *s) { btf_members(rec(b, 3))[0].name_off = ~0U; }
static void not_ident(void *b, size_t *s) { str_sec(b)[rec(b, 3)->name_off] = '-'; }
static void func_arg_unnamed(void *b, size_t *s) { btf_params(rec(b, 5))[0].name_off = 0; }
static void trailing_data(void *b, size_t *s) { *s += 4; }
static void var_of_func(void *b, size_t *s) { rec(b, 7)->type = 6; }

static const struct corruption corruptions[] = {
	{ "bad magic", bad_magic, "bad.btf: bad magic 0x1234, not BTF", 1 },
	{ "version", bad_version, "bad.btf: unsupported BTF version 2", 1 },
	{ "short header", short_header, "bad.btf: truncated BTF header", 1 },
	{ "types past end", types_past_end, "bad.btf: type section", 1 },
	{ "unknown kind", unknown_kind, "bad.btf: type ID 2 (kind 25): unknown kind", 1 },
	{ "name_off", name_off_range, "bad.btf: type ID 3 (struct): name offset 100000 beyond", 1 },
	{ "type ID", id_range, "bad.btf: type ID 2 (ptr): refers to ID 999 beyond this chain", 1 },
	{ "vlen", vlen_past_end, "bad.btf: type ID 10 (enum): vlen 500 runs past end", 1 },
	{ "no NUL", str_no_nul, "bad.btf: string section does not end with '\\0'", 1 },
	{ "int bits", int_too_wide, "bad.btf: type ID 1 (int): offset 0 + nr_bits 40 exceeds", 0 },
	{ "int kflag", int_kflag, "bad.btf: type ID 1 (int): kind_flag set", 0 },
	{ "loop", typedef_loop, "bad.btf: type ID 4 (typedef): reference loop", 0 },
	{ "member end", member_past_end, "bad.btf: type ID 3 (struct): member 1: ends at bit 96", 0 },
	{ "datasec", datasec_overlap, "bad.btf: type ID 8 (datasec): entry 0 (offset 0, size 16)", 0 },
	{ "decl_tag", decl_tag_idx, "bad.btf: type ID 9 (decl_tag): component_idx -2 < -1", 0 },
	{ "func type", func_not_proto, "bad.btf: type ID 6 (func): type ID 1 is int", 0 },
	{ "member name", member_name_range, "bad.btf: type ID 3 (struct): member 0: name offset", 1 },
	{ "identifier", not_ident, "bad.btf: type ID 3 (struct): invalid name \"-\"", 0 },
	{ "func arg", func_arg_unnamed, "bad.btf: type ID 6 (func): param 0 has no name", 0 },
	{ "trailing", trailing_data, "bad.btf: 4 bytes of unknown data after the sections", 1 },
	{ "var type", var_of_func, "bad.btf: type ID 7 (var): type: type ID 6 is func, which has", 0 },
};

/* Each corrupted copy is refused by the check and by the chain loader, with one message. */
static void corrupted_blobs_rejected(void **state)
{
	struct btf *b = build_victim();
	const char *name = "bad.btf";
	size_t good_size, i;
	void *good = raw_copy(b, &good_size);
	struct capture cap = { 0 };
	struct diag d = CAPTURE_DIAG(cap);

	assert_int_equal(reader__check(good, good_size, 1, 0, name, &d), 0);
	assert_int_equal(cap.count, 0);
	for (i = 0; i < sizeof(corruptions) / sizeof(corruptions[0]); i++) {
		const struct corruption *k = &corruptions[i];
		struct btf_chain *c = NULL;
		size_t size = good_size;
		void *blob = calloc(1, size + 16);
		const void *cblob = blob;

		memcpy(blob, good, size);
		k->mutate(blob, &size);
		cap.count = 0;
		if (reader__check(blob, size, 1, 0, name, &d) != -EINVAL)
			fail_msg("%s: accepted", k->what);
		if (!strstr(cap.last, k->expect))
			fail_msg("%s: got \"%s\", want \"%s\"", k->what, cap.last, k->expect);
		assert_int_equal(cap.count, 1);
		assert_int_equal(chain__load_mem(&cblob, &size, &name, 1, &d, &c), -EINVAL);
		assert_null(c);
		free(blob);
	}
	free(good);
	btf__free(b);
}

static void mixed_endian_chain_rejected(void **state)
{
	struct btf *l1 = build_root(), *l2 = btf__new_empty_split(l1);
	const char *names[] = { "be.btf", "le.btf" };
	struct capture cap = { 0 };
	struct diag d = CAPTURE_DIAG(cap);
	struct btf_chain *c = NULL;
	const void *blobs[2];
	size_t sizes[2];
	void *raw[2];

	btf__add_ptr(l2, 3);
	raw[1] = raw_copy(l2, &sizes[1]);
	assert_int_equal(btf__set_endianness(l1, BTF_BIG_ENDIAN), 0);
	raw[0] = raw_copy(l1, &sizes[0]);
	blobs[0] = raw[0];
	blobs[1] = raw[1];
	assert_int_equal(chain__load_mem(blobs, sizes, names, 2, &d, &c), -EINVAL);
	assert_null(c);
	assert_non_null(strstr(cap.last, "le.btf: byte order differs from be.btf's"));
	free(raw[0]);
	free(raw[1]);
	btf__free(l2);
	btf__free(l1);
}

static char *dump_to_string(const struct btf *b, uint32_t start_id)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_int_equal(dump__canonical(b, start_id, f), 0);
	fclose(f);
	return text;
}

/* Big-endian BTF (a cross build's) is read as such and gives the same types. */
static void big_endian_accepted(void **state)
{
	struct btf *b = build_victim();
	struct capture cap = { 0 };
	struct diag d = CAPTURE_DIAG(cap);
	struct btf_chain *le = NULL, *be = NULL;
	const void *blob;
	char *le_text, *be_text;
	size_t le_size, be_size;
	void *le_raw = raw_copy(b, &le_size), *be_raw;

	assert_int_equal(btf__set_endianness(b, BTF_BIG_ENDIAN), 0);
	be_raw = raw_copy(b, &be_size);
	assert_int_equal(((uint8_t *)be_raw)[0], 0xeb);
	blob = be_raw;
	assert_int_equal(chain__load_mem(&blob, &be_size, NULL, 1, NULL, &be), 0);
	assert_int_equal(be->layers[0].big_endian, 1);
	assert_string_equal(be->layers[0].path, "layer 0");
	assert_int_equal(be->layers[0].nr_types, 10);
	blob = le_raw;
	assert_int_equal(chain__load_mem(&blob, &le_size, NULL, 1, NULL, &le), 0);
	le_text = dump_to_string(le->flat, 1);
	be_text = dump_to_string(be->flat, 1);
	assert_string_equal(le_text, be_text);

	/* The checks see through the byte order: a bad kind is still caught. */
	((struct btf_type *)((uint8_t *)be_raw + 24 + 16))->info = bswap_32(25U << 24);
	assert_int_equal(reader__check(be_raw, be_size, 1, 0, "be", &d), -EINVAL);
	assert_string_equal(cap.last, "be: type ID 2 (kind 25): unknown kind, and no layout "
			    "section says how long its record is");
	free(le_text);
	free(be_text);
	free(le_raw);
	free(be_raw);
	chain__free(le);
	chain__free(be);
	btf__free(b);
}

/* A big-endian chain: the flattened header keeps its byte order. */
static void big_endian_chain(void **state)
{
	struct btf *l1 = build_root(), *l2 = btf__new_empty_split(l1);
	const struct btf_type *t;
	struct btf_chain *c = NULL;
	const void *blobs[2];
	size_t sizes[2];
	void *raw[2];

	btf__add_typedef(l2, "top_t", 3);
	assert_int_equal(btf__set_endianness(l1, BTF_BIG_ENDIAN), 0);
	assert_int_equal(btf__set_endianness(l2, BTF_BIG_ENDIAN), 0);
	raw[0] = raw_copy(l1, &sizes[0]);
	raw[1] = raw_copy(l2, &sizes[1]);
	blobs[0] = raw[0];
	blobs[1] = raw[1];
	assert_int_equal(chain__load_mem(blobs, sizes, NULL, 2, NULL, &c), 0);
	assert_int_equal(c->layers[1].big_endian, 1);
	assert_int_equal(c->layers[1].start_id, 5);
	t = btf__type_by_id(c->flat, 5);
	assert_string_equal(btf__name_by_offset(c->flat, t->name_off), "top_t");
	t = btf__type_by_id(c->flat, t->type);
	assert_string_equal(btf__name_by_offset(c->flat, t->name_off), "base_s");
	chain__free(c);
	free(raw[0]);
	free(raw[1]);
	btf__free(l2);
	btf__free(l1);
}

static void write_file(const char *path, const void *data, size_t size)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, size, f), size);
	fclose(f);
}

/*
 * A minimal relocatable ELF holding @btf as .BTF, optionally SHF_COMPRESSED;
 * with @pad, a 4-byte section before it and no alignment, so that .BTF lies at
 * an odd file offset here (returned: the caller asserts it).
 */
static size_t write_elf_base(const char *path, const void *btf, size_t size, int compress,
			     int pad, const void *base, size_t base_size);

static size_t write_elf_pad(const char *path, const void *btf, size_t size, int compress,
			    int pad)
{
	return write_elf_base(path, btf, size, compress, pad, NULL, 0);
}

/* write_elf_pad() with, if @base is not NULL, a .BTF.base section (a distilled base) too. */
static size_t write_elf_base(const char *path, const void *btf, size_t size, int compress,
			     int pad, const void *base, size_t base_size)
{
	static const char shstrtab[] = "\0.shstrtab\0.BTF\0.pad\0.BTF.base";
	Elf_Scn *str_scn, *btf_scn, *pad_scn;
	size_t off;
	Elf64_Shdr *sh;
	Elf64_Ehdr *eh;
	Elf_Data *ed;
	int fd;
	Elf *e;

	assert_int_not_equal(elf_version(EV_CURRENT), EV_NONE);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	e = elf_begin(fd, ELF_C_WRITE, NULL);
	eh = elf64_newehdr(e);
	eh->e_ident[EI_DATA] = __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__ ? ELFDATA2MSB : ELFDATA2LSB;
	eh->e_type = ET_REL;
	eh->e_version = EV_CURRENT;
	str_scn = elf_newscn(e);
	ed = elf_newdata(str_scn);
	ed->d_buf = (void *)shstrtab;
	ed->d_size = sizeof(shstrtab);
	sh = elf64_getshdr(str_scn);
	sh->sh_name = 1;
	sh->sh_type = SHT_STRTAB;
	if (pad) {
		pad_scn = elf_newscn(e);
		ed = elf_newdata(pad_scn);
		ed->d_buf = (void *)"abcd";
		ed->d_size = 4;
		ed->d_align = 1;
		sh = elf64_getshdr(pad_scn);
		sh->sh_name = 16;
		sh->sh_type = SHT_PROGBITS;
		sh->sh_addralign = 1;
	}
	btf_scn = elf_newscn(e);
	ed = elf_newdata(btf_scn);
	ed->d_buf = (void *)btf;
	ed->d_size = size;
	ed->d_align = pad ? 1 : 4;
	sh = elf64_getshdr(btf_scn);
	sh->sh_name = 11;
	sh->sh_type = SHT_PROGBITS;
	sh->sh_addralign = pad ? 1 : 4;
	if (base) {
		Elf_Scn *base_scn = elf_newscn(e);

		ed = elf_newdata(base_scn);
		ed->d_buf = (void *)base;
		ed->d_size = base_size;
		ed->d_align = 1;
		sh = elf64_getshdr(base_scn);
		sh->sh_name = 21;
		sh->sh_type = SHT_PROGBITS;
		sh->sh_addralign = 1;
	}
	eh->e_shstrndx = elf_ndxscn(str_scn);
	if (compress)
		assert_int_equal(elf_compress(btf_scn, ELFCOMPRESS_ZLIB, ELF_CHF_FORCE), 1);
	assert_true(elf_update(e, ELF_C_WRITE) > 0);
	off = elf64_getshdr(btf_scn)->sh_offset;
	elf_end(e);
	close(fd);
	return off;
}

static void write_elf(const char *path, const void *btf, size_t size, int compress)
{
	write_elf_pad(path, btf, size, compress, 0);
}

static void read_files(void **state)
{
	struct btf *b = build_victim();
	char dir[] = "/tmp/test_reader.XXXXXX", path[300];
	struct capture cap = { 0 };
	struct diag d = CAPTURE_DIAG(cap);
	const char *paths[1] = { path };
	struct btf_chain *c = NULL;
	size_t size, got_size;
	void *blob = raw_copy(b, &size), *got;
	int compress;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/raw.btf", dir);
	write_file(path, blob, size);
	assert_int_equal(reader__read_file(path, &d, &got, &got_size), 0);
	assert_int_equal(got_size, size);
	assert_memory_equal(got, blob, size);
	free(got);
	assert_int_equal(chain__load(paths, 1, &d, &c), 0);
	assert_int_equal(c->layers[0].nr_types, 10);
	assert_string_equal(c->layers[0].path, path);
	chain__free(c);
	c = NULL;

	for (compress = 0; compress < 2; compress++) {
		snprintf(path, sizeof(path), "%s/obj%d.o", dir, compress);
		write_elf(path, blob, size, compress);
		assert_int_equal(reader__read_file(path, &d, &got, &got_size), 0);
		assert_int_equal(got_size, size);
		assert_memory_equal(got, blob, size);
		free(got);
	}

	snprintf(path, sizeof(path), "%s/short.btf", dir);
	write_file(path, blob, 30);
	assert_int_equal(reader__read_file(path, &d, &got, &got_size), -EINVAL);
	assert_non_null(strstr(cap.last, "truncated"));
	assert_non_null(strstr(cap.last, path));

	write_file(path, "hello world", 11);
	assert_int_equal(reader__read_file(path, &d, &got, &got_size), -EINVAL);
	assert_non_null(strstr(cap.last, "neither BTF nor ELF"));

	assert_int_equal(reader__read_file("/proc/self/exe", &d, &got, &got_size), -EINVAL);
	assert_string_equal(cap.last, "/proc/self/exe: ELF without a .BTF section");

	snprintf(path, sizeof(path), "%s/absent.btf", dir);
	assert_int_equal(reader__read_file(path, &d, &got, &got_size), -ENOENT);
	assert_non_null(strstr(cap.last, path));
	assert_int_equal(chain__load(paths, 1, &d, &c), -ENOENT);
	assert_null(c);

	for (compress = 0; compress < 4; compress++) {
		static const char *const files[] = { "raw.btf", "obj0.o", "obj1.o", "short.btf" };

		snprintf(path, sizeof(path), "%s/%s", dir, files[compress]);
		assert_int_equal(unlink(path), 0);
	}
	assert_int_equal(rmdir(dir), 0);
	free(blob);
	btf__free(b);
}

/* Reads the one-file chain @paths: its flat bytes must be @blob's @size bytes, 4-aligned. */
static const void *read_flat(const char **paths, struct diag *d, struct chain_files **f,
			     const void *blob, size_t size)
{
	const void *flat;
	size_t got_size;

	assert_int_equal(chain__read(paths, 1, d, f), 0);
	flat = chain_files__flat_bytes(*f, &got_size);
	assert_non_null(flat);
	assert_int_equal(got_size, size);
	assert_memory_equal(flat, blob, size);
	assert_int_equal((uintptr_t)flat % 4, 0);
	return flat;
}

/*
 * A base's .BTF is used where libelf maps it (a 5 MB vmlinux .BTF is not
 * copied) when it is 4-byte aligned, and copied when it is not; a raw BTF
 * file is mapped whole; either way
 * the chain is the same, whether libbpf's parse is made beside the check
 * (chain_files__parse_flat()) or by chain__from_files() itself.
 */
static void elf_btf_in_place(void **state)
{
	struct btf *b = build_victim();
	char dir[] = "/tmp/test_reader.XXXXXX", path[300];
	struct capture cap = { 0 };
	struct diag d = CAPTURE_DIAG(cap);
	const char *paths[1] = { path };
	size_t size, off;
	void *blob = raw_copy(b, &size);
	int pad, preparse;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/obj.o", dir);
	for (pad = 0; pad < 2; pad++) {
		for (preparse = 0; preparse < 2; preparse++) {
			struct chain_files *f = NULL;
			struct btf_chain *c = NULL;
			struct btf *parsed = NULL;
			const void *flat;

			off = write_elf_pad(path, blob, size, 0, pad);
			assert_int_equal(off % 2, pad);	/* the layout this case is about */
			flat = read_flat(paths, &d, &f, blob, size);
			/* In place: where the file's page is mapped; else a copy. */
			if (!pad)
				assert_int_equal((uintptr_t)flat % 4096, off % 4096);
			if (preparse) {
				parsed = chain_files__parse_flat(f);
				assert_non_null(parsed);
			}
			assert_int_equal(chain__from_files(f, CHECK_FULL, parsed, &d, &c), 0);
			if (preparse)
				assert_ptr_equal(c->flat, parsed);
			assert_int_equal(c->layers[0].nr_types, 10);
			assert_int_equal(btf__type_cnt(c->flat), 11);
			assert_string_equal(btf__name_by_offset(c->flat, btf__type_by_id(c->flat,
								  3)->name_off),
					    btf__name_by_offset(b, btf__type_by_id(b, 3)->name_off));
			chain__free(c);
		}
	}
	/* A raw file is mapped whole: its bytes start on a page. */
	{
		struct chain_files *f = NULL;
		struct btf_chain *c = NULL;
		const void *flat;

		write_file(path, blob, size);
		flat = read_flat(paths, &d, &f, blob, size);
		assert_int_equal((uintptr_t)flat % 4096, 0);
		assert_int_equal(chain__from_files(f, CHECK_FULL, NULL, &d, &c), 0);
		assert_int_equal(btf__type_cnt(c->flat), 11);
		chain__free(c);
	}
	/* A chain that fails its check frees what it was given. */
	{
		struct chain_files *f = NULL;
		struct btf_chain *c = NULL;
		struct btf_header *h = blob;

		h->version = 2;
		write_elf_pad(path, blob, size, 0, 0);
		h->version = 1;
		assert_int_equal(chain__read(paths, 1, &d, &f), 0);
		assert_int_equal(chain__from_files(f, CHECK_FULL, chain_files__parse_flat(f), &d,
						   &c), -EINVAL);
		assert_null(c);
	}
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
	free(blob);
	btf__free(b);
}

/*
 * An ELF is mapped, and only its .BTF is copied: a vmlinux with DWARF is
 * hundreds of MB. A 1 TiB sparse file (its tail unwritten) reads in no time;
 * read whole, it would not fit in memory.
 */
/*
 * The encoder loads its base at CHECK_STRUCTURE: what a record-by-record
 * reader needs is refused, the kernel's semantic rules are not applied.
 */
static void structure_level(void **state)
{
	struct btf *b = build_victim();
	char dir[] = "/tmp/test_reader.XXXXXX", path[300];
	const char *paths[1] = { path };
	size_t good_size, i;
	void *good = raw_copy(b, &good_size);
	struct capture cap = { 0 };
	struct diag d = CAPTURE_DIAG(cap);

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/bad.btf", dir);
	for (i = 0; i < sizeof(corruptions) / sizeof(corruptions[0]); i++) {
		const struct corruption *k = &corruptions[i];
		struct btf_chain *c = NULL;
		size_t size = good_size;
		void *blob = calloc(1, size + 16);
		int err;

		memcpy(blob, good, size);
		k->mutate(blob, &size);
		write_file(path, blob, size);
		cap.count = 0;
		err = chain__load_level(paths, 1, CHECK_STRUCTURE, &d, &c);
		if (k->structural && err != -EINVAL)
			fail_msg("%s: accepted at CHECK_STRUCTURE", k->what);
		if (!k->structural && err)
			fail_msg("%s: refused at CHECK_STRUCTURE: %s", k->what, cap.last);
		if (k->structural)
			assert_int_equal(cap.count, 1);
		chain__free(c);
		c = NULL;
		assert_int_equal(chain__load_level(paths, 1, CHECK_FULL, &d, &c), -EINVAL);
		assert_null(c);
		free(blob);
	}
	unlink(path);
	rmdir(dir);
	free(good);
	btf__free(b);
}

static void huge_elf_read_in_part(void **state)
{
	struct btf *b = build_victim();
	char dir[] = "/tmp/test_reader.XXXXXX", path[300];
	struct capture cap = { 0 };
	struct diag d = CAPTURE_DIAG(cap);
	size_t size, got_size;
	void *blob = raw_copy(b, &size), *got;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/huge.o", dir);
	write_elf(path, blob, size, 0);
	if (truncate(path, 1LL << 40)) {
		unlink(path);
		rmdir(dir);
		free(blob);
		btf__free(b);
		skip();
	}
	assert_int_equal(reader__read_file(path, &d, &got, &got_size), 0);
	assert_int_equal(cap.count, 0);
	assert_int_equal(got_size, size);
	assert_memory_equal(got, blob, size);
	free(got);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
	free(blob);
	btf__free(b);
}

/* The running kernel's BTF, when there is one, passes the checks. */
static void running_kernel_btf(void **state)
{
	const char *paths[] = { "/sys/kernel/btf/vmlinux" };
	struct btf_chain *c = NULL;

	if (access(paths[0], R_OK))
		skip();
	assert_int_equal(chain__load(paths, 1, NULL, &c), 0);
	assert_true(c->layers[0].nr_types > 1000);
	assert_int_equal(btf__type_cnt(c->flat), c->layers[0].nr_types + 1);
	chain__free(c);
}

/* One type of every kind the checks and the dump look into; returns its raw bytes. */
static void *build_all_kinds(size_t *size, int big_endian)
{
	struct btf *b = btf__new_empty();
	int i_int, i_uchar, i_bits, i_list, i_ptr, i_tag, i_arr, i_proto, i_func, i_var;
	void *raw;

	i_int = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	i_uchar = btf__add_int(b, "unsigned char", 1, 0);
	i_bits = btf__add_struct(b, "bits", 12);		/* bitfields: kind_flag */
	btf__add_field(b, "a", i_int, 0, 3);
	btf__add_field(b, "b", i_int, 3, 5);
	btf__add_field(b, "c", i_uchar, 8, 0);
	btf__add_field(b, "d", i_int, 32, 0);
	i_list = btf__add_struct(b, "list", 8);		/* a loop through a pointer */
	btf__add_field(b, "next", i_list + 1, 0, 0);
	btf__add_ptr(b, i_list);
	btf__add_union(b, "u", 4);
	btf__add_field(b, "f", btf__add_float(b, "float", 4), 0, 0);
	btf__add_enum(b, "color", 4);
	btf__add_enum_value(b, "RED", 0);
	btf__add_enum_value(b, "BLUE", 7);
	btf__add_enum64(b, "big", 8, true);
	btf__add_enum64_value(b, "HUGE", 1ULL << 40);
	btf__add_enum64_value(b, "NEG", (uint64_t)-1);
	i_ptr = btf__add_ptr(b, btf__add_const(b, i_int));	/* const int * */
	i_tag = btf__add_ptr(b, btf__add_type_tag(b, "user", i_int));
	i_arr = btf__add_array(b, i_int, i_uchar, 4);
	btf__add_typedef(b, "bits_t", i_bits);
	btf__add_fwd(b, "opaque", BTF_FWD_STRUCT);
	i_proto = btf__add_func_proto(b, i_int);
	btf__add_func_param(b, "p", i_ptr);
	btf__add_func_param(b, "q", i_tag);
	i_func = btf__add_func(b, "fn", BTF_FUNC_GLOBAL, i_proto);
	i_var = btf__add_var(b, "v", BTF_VAR_GLOBAL_ALLOCATED, i_arr);
	btf__add_datasec(b, ".data", 16);
	btf__add_datasec_var_info(b, i_var, 0, 16);
	btf__add_decl_tag(b, "fn_tag", i_func, -1);
	btf__add_decl_tag(b, "arg_tag", i_func, 1);
	assert_true(btf__add_decl_tag(b, "member_tag", i_bits, 3) > 0);
	if (big_endian)
		assert_int_equal(btf__set_endianness(b, BTF_BIG_ENDIAN), 0);
	raw = raw_copy(b, size);
	btf__free(b);
	return raw;
}

/* xorshift64 (Marsaglia): a fixed seed gives the same mutations on every run. */
static uint64_t next_rand(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *state = x;
}

/* One random edit of @blob (either byte order), mostly of whole words of the type section. */
static void mutate(uint8_t *blob, size_t *size, uint64_t *rng)
{
	static const uint32_t words[] = { 0, 1, 2, 3, 5, 8, 16, 31, 0x7f, 0xffff, 0x10000,
					  0x80000000, 0xffffffff, 0x1000000, 0x4000003 };
	uint64_t r = next_rand(rng);
	struct btf_header h = { 0 };
	size_t pos, type_words;
	int swapped;
	uint32_t w;

	switch (r % 8) {
	case 0:		/* a bit anywhere */
		pos = (r >> 8) % (*size * 8);
		blob[pos / 8] ^= 1 << (pos % 8);
		return;
	case 1:		/* a byte anywhere */
		blob[(r >> 8) % *size] = (uint8_t)(r >> 40);
		return;
	case 2:		/* cut the blob short */
		if ((r >> 8) % 8 == 0)
			*size = (r >> 16) % *size + 1;
		return;
	}
	if (*size >= sizeof(h))
		memcpy(&h, blob, sizeof(h));
	swapped = h.magic == bswap_16(BTF_MAGIC);
	if (swapped) {
		h.hdr_len = bswap_32(h.hdr_len);
		h.type_off = bswap_32(h.type_off);
		h.type_len = bswap_32(h.type_len);
		h.str_len = bswap_32(h.str_len);
	} else if (h.magic != BTF_MAGIC) {
		return;
	}
	type_words = h.type_len / 4;
	if (!type_words || *size < (uint64_t)h.hdr_len + h.type_off + type_words * 4)
		return;
	pos = h.hdr_len + h.type_off + (r >> 8) % type_words * 4;
	switch (r % 8) {
	case 3:		/* an info word: kind, kind_flag, vlen */
		w = (uint32_t)((r >> 32) % 21) << 24 | (uint32_t)((r >> 40) % 6);
		if (r & (1ULL << 60))
			w |= 1U << 31;
		break;
	case 4:		/* a small number: a type ID, a size, a vlen */
		w = (uint32_t)((r >> 32) % 40);
		break;
	case 5:		/* a string offset */
		w = (uint32_t)((r >> 32) % (h.str_len + 4ULL));
		break;
	default:	/* an edge value */
		w = words[(r >> 32) % (sizeof(words) / sizeof(words[0]))];
		break;
	}
	if (swapped)
		w = bswap_32(w);
	memcpy(blob + pos, &w, sizeof(w));
}

/*
 * Random corruptions of valid BTF: chain__load_mem() refuses a blob with
 * one message of its own (libbpf never gets to refuse it), and every blob it
 * accepts is safe to walk, so its dump runs to the end and succeeds. The
 * suite runs under ASan/UBSan too, which turns a stray read into a failure.
 */
static void mutated_blobs_load_or_fail_cleanly(void **state)
{
	struct capture cap = { 0 };
	struct diag d = CAPTURE_DIAG(cap);
	size_t sizes[3], size, accepted = 0, i;
	void *valid[3] = { build_all_kinds(&sizes[0], 0), build_all_kinds(&sizes[1], 1),
			   bb_unknown_sample("loc", &sizes[2]) };
	uint64_t rng = 0x9e3779b97f4a7c15ULL;
	struct btf_chain *c = NULL;

	for (i = 0; i < 3; i++) {
		assert_int_equal(chain__load_mem((const void *const *)&valid[i], &sizes[i], NULL, 1,
						 &d, &c), 0);
		chain__free(c);
	}
	for (i = 0; i < 2000; i++) {
		/* A quarter big-endian, one in eight of Linux 7.x's format (layout, new kinds). */
		int edits, order = i % 8 == 5 ? 2 : i % 4 == 3;
		uint8_t *blob;
		char *text = NULL;
		size_t text_len = 0;
		FILE *f;

		size = sizes[order];
		blob = malloc(size);	/* exact size: ASan catches a read past it */
		assert_non_null(blob);
		memcpy(blob, valid[order], size);
		for (edits = 1 + (int)(next_rand(&rng) % 3); edits > 0; edits--)
			mutate(blob, &size, &rng);
		cap.count = 0;
		c = NULL;
		if (chain__load_mem((const void *const *)&blob, &size, NULL, 1, &d, &c)) {
			/* Refused by the checks, with one message, before libbpf parses it. */
			assert_int_equal(cap.count, 1);
			assert_null(strstr(cap.last, "libbpf cannot parse"));
			assert_null(c);
			free(blob);
			continue;
		}
		accepted++;
		f = open_memstream(&text, &text_len);
		assert_non_null(f);
		if (dump__canonical(c->flat, 1, f))
			fail_msg("mutation %zu: accepted, but the dump fails", i);
		fclose(f);
		assert_true(text_len > 0);
		free(text);
		chain__free(c);
		free(blob);
	}
	/* Neither all refused (nothing reaches the dump) nor all taken (the edits miss). */
	if (accepted < 100 || accepted > 1900)
		fail_msg("%zu of 2000 mutations accepted", accepted);
	free(valid[0]);
	free(valid[1]);
	free(valid[2]);
}

/* int, struct s { int a; }, ptr to s: the same types under either header. */
static void *small_layer(int hdr32, int layout, size_t *size)
{
	struct bb b;
	void *blob;

	bb_init(&b, hdr32);
	bb_type(&b, bb_str(&b, "int"), BB_INFO(BTF_KIND_INT, 0, 0), 4);
	bb_word(&b, BTF_INT_SIGNED << 24 | 32);
	bb_type(&b, bb_str(&b, "s"), BB_INFO(BTF_KIND_STRUCT, 0, 1), 4);
	bb_word(&b, bb_str(&b, "a"));
	bb_word(&b, 1);
	bb_word(&b, 0);
	bb_type(&b, 0, BB_INFO(BTF_KIND_PTR, 0, 0), 2);
	if (layout)
		bb_layout_std(&b, 20);
	blob = bb_blob(&b, size);
	bb_free(&b);
	return blob;
}

/* Every 32-bit word of @blob's header (past magic), types and layout swapped. */
static void swap_blob(uint8_t *blob, size_t size)
{
	uint32_t *w = (uint32_t *)blob, hdr_len = w[1], type_len = w[3], i;
	uint32_t layout_len = hdr_len >= 32 ? w[7] : 0;

	blob[0] = 0xeb;
	blob[1] = 0x9f;
	for (i = 1; i < (hdr_len + type_len) / 4; i++)
		w[i] = bswap_32(w[i]);
	/* struct kind_layout: two bytes and a 16-bit flags field. */
	for (i = 0; i < layout_len / 4; i++)
		*(uint16_t *)(blob + hdr_len + type_len + 4 * i + 2) =
			bswap_16(*(uint16_t *)(blob + hdr_len + type_len + 4 * i + 2));
	assert_true(size >= hdr_len + type_len + layout_len);
}

static struct btf_chain *load_one(const void *blob, size_t size, const char *name,
				  struct diag *d, int want)
{
	struct btf_chain *c = NULL;

	assert_int_equal(chain__load_mem(&blob, &size, &name, 1, d, &c), want);
	return c;
}

/*
 * Linux 7.1's 32-byte header (libbpf commit 87896082) with a layout section
 * between the types and the strings, as libbpf writes it, or with both
 * layout fields 0: read as the same types, in either byte order, the header
 * and layout bytes kept for stats. A split layer may have the long header.
 */
static void layout_header(void **state)
{
	struct capture cap = { 0 };
	struct diag d = CAPTURE_DIAG(cap);
	size_t plain_size, size, split_size;
	void *plain = small_layer(0, 0, &plain_size), *blob, *split;
	struct btf_chain *c, *ref;
	char *want, *got;
	int hdr32, layout, be;
	struct bb b;

	ref = load_one(plain, plain_size, "plain.btf", &d, 0);
	want = dump_to_string(ref->flat, 1);
	for (hdr32 = 0; hdr32 < 2; hdr32++) {
		for (layout = 0; layout <= hdr32; layout++) {
			for (be = 0; be < 2; be++) {
				blob = small_layer(hdr32, layout, &size);
				if (be)
					swap_blob(blob, size);
				c = load_one(blob, size, "l.btf", &d, 0);
				assert_int_equal(c->layers[0].hdr_len, hdr32 ? 32 : 24);
				assert_int_equal(c->layers[0].layout_len, layout ? 80 : 0);
				assert_int_equal(c->layers[0].nr_types, 3);
				assert_int_equal(c->layers[0].big_endian, be);
				got = dump_to_string(c->flat, 1);
				assert_string_equal(got, want);
				free(got);
				chain__free(c);
				free(blob);
			}
		}
	}

	/* A split layer with a 32-byte header (fields 0) on a base with a layout. */
	blob = small_layer(1, 1, &size);
	bb_init_split(&b, 1);
	bb_type(&b, bb_str_at(&b, "s_t", ref->layers[0].str_len), BB_INFO(BTF_KIND_TYPEDEF, 0, 0),
		2);
	split = bb_blob(&b, &split_size);
	{
		const void *blobs[2] = { blob, split };
		size_t sizes[2] = { size, split_size };
		const char *names[2] = { "vmlinux", "mod" };

		c = NULL;
		assert_int_equal(chain__load_mem(blobs, sizes, names, 2, &d, &c), 0);
		assert_int_equal(c->layers[1].hdr_len, 32);
		assert_int_equal(c->layers[1].start_id, 4);
		assert_string_equal(btf__name_by_offset(c->flat, btf__type_by_id(c->flat,
							  4)->name_off), "s_t");
		chain__free(c);
	}
	free(split);
	bb_free(&b);
	free(blob);
	free(want);
	chain__free(ref);
	free(plain);
}

struct layout_corruption {
	const char *what;
	void (*mutate)(uint8_t *blob, size_t *size);
	const char *expect;
};

static uint32_t *hdr_words(uint8_t *blob)
{
	return (uint32_t *)blob;
}

static void lo_unaligned(uint8_t *b, size_t *s) { hdr_words(b)[6] += 2; }
static void lo_len(uint8_t *b, size_t *s) { hdr_words(b)[7] -= 2; }
static void lo_overlap(uint8_t *b, size_t *s) { hdr_words(b)[7] += 4; }
static void lo_gap(uint8_t *b, size_t *s) { hdr_words(b)[6] += 4; hdr_words(b)[7] -= 4; }
static void lo_past_end(uint8_t *b, size_t *s) { hdr_words(b)[6] += 4096; }
static void lo_extra_hdr(uint8_t *b, size_t *s)
{
	memmove(b + 36, b + 32, *s - 32);
	memset(b + 32, 0, 4);
	b[33] = 1;
	*s += 4;
	hdr_words(b)[1] = 36;
}

static const struct layout_corruption layout_corruptions[] = {
	{ "unaligned", lo_unaligned, "l.btf: layout section offset 54 not 4-byte aligned" },
	{ "length", lo_len, "l.btf: layout section of 78 bytes, not a multiple of 4" },
	{ "overlap", lo_overlap, "l.btf: layout and string sections overlap" },
	{ "gap", lo_gap, "l.btf: gap of unknown data before offset 52" },
	{ "past end", lo_past_end, "l.btf: layout section (80 bytes at 4148) past end of data" },
	{ "header", lo_extra_hdr, "l.btf: unsupported header: non-zero byte at 33" },
};

/* The layout section's place is checked as the kernel checks the others (btf_check_sec_info()). */
static void layout_header_corrupted(void **state)
{
	struct capture cap = { 0 };
	struct diag d = CAPTURE_DIAG(cap);
	size_t good_size, i;
	void *good = small_layer(1, 1, &good_size);

	assert_int_equal(hdr_words(good)[6], 52);	/* the layout follows the 52 bytes of types */
	for (i = 0; i < sizeof(layout_corruptions) / sizeof(layout_corruptions[0]); i++) {
		const struct layout_corruption *k = &layout_corruptions[i];
		size_t size = good_size;
		uint8_t *blob = calloc(1, size + 16);

		memcpy(blob, good, size);
		k->mutate(blob, &size);
		cap.count = 0;
		if (reader__check(blob, size, 1, 0, "l.btf", &d) != -EINVAL)
			fail_msg("%s: accepted", k->what);
		if (!strstr(cap.last, k->expect))
			fail_msg("%s: got \"%s\", want \"%s\"", k->what, cap.last, k->expect);
		assert_int_equal(cap.count, 1);
		free(blob);
	}
	free(good);
}

/*
 * A layer of Linux 7.x's format with records of kinds btfenc does not know:
 * 1 int, 2 kind 25 "loc" (kind_flag, 2 elements of 8 bytes after 4 bytes),
 * 3 ptr -> 1, 4 kind 25 with a 24-bit vlen, 5 typedef t -> 3.
 */
static void *unknown_kinds_layer(int layout, size_t *size)
{
	struct bb b;
	uint32_t i;
	void *blob;

	bb_init(&b, layout);
	bb_type(&b, bb_str(&b, "int"), BB_INFO(BTF_KIND_INT, 0, 0), 4);
	bb_word(&b, BTF_INT_SIGNED << 24 | 32);
	bb_type(&b, bb_str(&b, "loc"), BB_INFO(25, 1, 2), 3);
	for (i = 0; i < 5; i++)
		bb_word(&b, 0xdead0000 + i);	/* what means what is not known */
	bb_type(&b, 0, BB_INFO(BTF_KIND_PTR, 0, 0), 1);
	bb_type(&b, 0, BB_INFO(25, 0, 0x10000), 0);
	for (i = 0; i < 1 + 2 * 0x10000; i++)
		bb_word(&b, i);
	bb_type(&b, bb_str(&b, "t"), BB_INFO(BTF_KIND_TYPEDEF, 0, 0), 3);
	if (layout) {
		bb_layout_std(&b, 20);
		bb_layout_set(&b, 25, 4, 8);
	}
	blob = bb_blob(&b, size);
	bb_free(&b);
	return blob;
}

/*
 * Kinds btfenc does not know are stepped over with the layout section
 * (libbpf's btf_type_size_unknown()), keep their type IDs, and are named by
 * their number; without a layout section they are refused, as is kind 0.
 */
static void unknown_kinds_stepped_over(void **state)
{
	struct capture cap = { 0 };
	struct diag d = CAPTURE_DIAG(cap);
	struct btf_chain *c, *be;
	const struct btf_type *t;
	size_t size;
	void *blob = unknown_kinds_layer(1, &size);
	char *le_text, *be_text;
	uint32_t info;
	int i;

	c = load_one(blob, size, "new.btf", &d, 0);
	assert_int_equal(cap.count, 0);
	assert_int_equal(c->layers[0].nr_types, 5);
	assert_int_equal(btf__type_cnt(c->flat), 6);
	t = btf__type_by_id(c->flat, 2);
	assert_int_equal(reader__unknown_kind(t, &info), 25);
	assert_int_equal(info, BB_INFO(25, 1, 2));
	assert_int_equal(reader__kind(t), 25);
	assert_string_equal(btf__name_by_offset(c->flat, t->name_off), "loc");
	assert_int_equal(chain__record_bytes(c, 2), 12 + 4 + 2 * 8);
	assert_int_equal(chain__record_bytes(c, 4), 12 + 4 + 0x10000 * 8);
	assert_int_equal(chain__record_bytes(c, 1), 16);
	assert_int_equal(reader__unknown_kind(btf__type_by_id(c->flat, 1), NULL), 0);
	assert_int_equal(reader__kind(btf__type_by_id(c->flat, 1)), BTF_KIND_INT);
	t = btf__type_by_id(c->flat, 5);
	assert_string_equal(btf__name_by_offset(c->flat, t->name_off), "t");
	assert_int_equal(btf_kind(btf__type_by_id(c->flat, t->type)), BTF_KIND_PTR);
	assert_int_equal(btf__type_by_id(c->flat, 3)->type, 1);
	le_text = dump_to_string(c->flat, 1);

	/* The same in the other byte order. */
	swap_blob(blob, size);
	be = load_one(blob, size, "be.btf", &d, 0);
	be_text = dump_to_string(be->flat, 1);
	assert_string_equal(le_text, be_text);
	assert_int_equal(reader__unknown_kind(btf__type_by_id(be->flat, 4), &info), 25);
	assert_int_equal(info, BB_INFO(25, 0, 0x10000));
	free(le_text);
	free(be_text);
	chain__free(be);
	chain__free(c);
	free(blob);

	/* No layout section: nothing says how long the record is. */
	blob = unknown_kinds_layer(0, &size);
	assert_int_equal(reader__check(blob, size, 1, 0, "old.btf", &d), -EINVAL);
	assert_string_equal(cap.last, "old.btf: type ID 2 (kind 25): unknown kind, and no layout "
			    "section says how long its record is");
	free(blob);

	/* A kind past the layout's entries, kind 0, an entry that is not whole words. */
	for (i = 0; i < 3; i++) {
		static const char *const want[] = {
			"l.btf: type ID 1 (kind 25): unknown kind, past the 20 kinds of the layout "
			"section",
			"l.btf: type ID 1: kind 0 (BTF_KIND_UNKN), never valid",
			"l.btf: type ID 1 (kind 25): layout entry info_sz 2, elem_sz 2, not multiples "
			"of 4",
		};
		struct bb b;

		bb_init(&b, 1);
		bb_type(&b, bb_str(&b, "x"), BB_INFO(i == 1 ? 0 : 25, 0, 1), 0);
		bb_word(&b, 0);
		bb_layout_std(&b, 20);
		if (i == 2)
			bb_layout_set(&b, 25, 2, 2);
		blob = bb_blob(&b, &size);
		assert_int_equal(reader__check(blob, size, 1, 0, "l.btf", &d), -EINVAL);
		assert_string_equal(cap.last, want[i]);
		free(blob);
		bb_free(&b);
	}
}

/* A split layer without a layout section steps over a kind with its base's. */
static void unknown_kind_in_split(void **state)
{
	struct capture cap = { 0 };
	struct diag d = CAPTURE_DIAG(cap);
	size_t sizes[2];
	void *base = unknown_kinds_layer(1, &sizes[0]), *split;
	const void *blobs[2];
	const char *names[2] = { "vmlinux", "mod" };
	struct btf_chain *c = NULL;
	struct bb b;

	bb_init_split(&b, 0);
	bb_type(&b, bb_str_at(&b, "mod_loc", 9), BB_INFO(25, 0, 1), 5);
	bb_word(&b, 1);
	bb_word(&b, 2);
	bb_word(&b, 3);
	bb_type(&b, 0, BB_INFO(BTF_KIND_PTR, 0, 0), 6);
	split = bb_blob(&b, &sizes[1]);
	blobs[0] = base;
	blobs[1] = split;
	assert_int_equal(chain__load_mem(blobs, sizes, names, 2, &d, &c), 0);
	assert_int_equal(c->layers[1].nr_types, 2);
	assert_non_null(c->layers[1].layout);
	assert_int_equal(reader__unknown_kind(btf__type_by_id(c->flat, 6), NULL), 25);
	assert_int_equal(chain__record_bytes(c, 6), 12 + 4 + 8);
	assert_int_equal(btf__type_by_id(c->flat, 7)->type, 6);
	chain__free(c);
	free(split);
	free(base);
	bb_free(&b);
}

/*
 * A module's distilled base (libbpf 1.5's btf__distill_base()):
 *  1 int "int"  2 struct list_head (16, no members)  3 fwd struct task
 *  4 enum e (4, no values)  5 struct solo (4, no members)
 * and its .BTF, split on it:
 *  6 ptr -> task  7 struct mod { int a; struct list_head l; } (embeds 2)
 *  8 typedef "list_head" (a name of the distilled base) -> 2  9 ptr -> solo
 */
static void *distilled_base(size_t *size, struct bb *b)
{
	bb_init(b, 1);
	bb_type(b, bb_str(b, "int"), BB_INFO(BTF_KIND_INT, 0, 0), 4);
	bb_word(b, BTF_INT_SIGNED << 24 | 32);
	bb_type(b, bb_str(b, "list_head"), BB_INFO(BTF_KIND_STRUCT, 0, 0), 16);
	bb_type(b, bb_str(b, "task"), BB_INFO(BTF_KIND_FWD, 0, 0), 0);
	bb_type(b, bb_str(b, "e"), BB_INFO(BTF_KIND_ENUM, 0, 0), 4);
	bb_type(b, bb_str(b, "solo"), BB_INFO(BTF_KIND_STRUCT, 0, 0), 4);
	return bb_blob(b, size);
}

static void *module_split(size_t *size, uint32_t dist_str_len, uint32_t list_head_name)
{
	uint32_t base = dist_str_len;
	struct bb b;
	void *blob;

	bb_init_split(&b, 1);
	bb_type(&b, 0, BB_INFO(BTF_KIND_PTR, 0, 0), 3);
	bb_type(&b, bb_str_at(&b, "mod", base), BB_INFO(BTF_KIND_STRUCT, 0, 2), 24);
	bb_word(&b, bb_str_at(&b, "a", base));
	bb_word(&b, 1);
	bb_word(&b, 0);
	bb_word(&b, bb_str_at(&b, "l", base));
	bb_word(&b, 2);
	bb_word(&b, 64);
	bb_type(&b, list_head_name, BB_INFO(BTF_KIND_TYPEDEF, 0, 0), 2);
	bb_type(&b, 0, BB_INFO(BTF_KIND_PTR, 0, 0), 5);
	blob = bb_blob(&b, size);
	bb_free(&b);
	return blob;
}

/*
 * The vmlinux: 1 char  2 int  3 struct task (100)  4 struct list_head (16)
 * 5 ptr -> 4  6 enum e  7 struct solo (8); @variant 1: no enum e, 2: a
 * list_head of 24 bytes, 3: a second int "int".
 */
static void *vmlinux_for_module(int variant, size_t *size)
{
	struct btf *b = btf__new_empty();
	void *raw;

	btf__add_int(b, "char", 1, BTF_INT_CHAR);
	btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	btf__add_struct(b, "task", 100);
	btf__add_field(b, "pid", 2, 0, 0);
	btf__add_struct(b, "list_head", variant == 2 ? 24 : 16);
	btf__add_field(b, "next", 5, 0, 0);
	btf__add_field(b, "prev", 5, 64, 0);
	btf__add_ptr(b, 4);
	if (variant == 1)
		btf__add_float(b, "double", 8);
	else
		btf__add_enum(b, "e", 4);
	if (variant != 1)
		btf__add_enum_value(b, "A", 0);
	btf__add_struct(b, "solo", 8);
	btf__add_field(b, "x", 2, 0, 0);
	if (variant == 3)
		btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	raw = raw_copy(b, size);
	btf__free(b);
	return raw;
}

static const char *type_name(const struct btf *b, uint32_t id)
{
	return btf__name_by_offset(b, btf__type_by_id(b, id)->name_off);
}

/*
 * A module with a distilled base is relocated onto a vmlinux as the kernel
 * relocates it (kernel/bpf/btf_relocate.c): each distilled type to its one
 * match, the module's IDs after the vmlinux's, its names of distilled types
 * to the vmlinux's strings. A vmlinux without a match, or with two, is
 * refused, the message naming both.
 */
static void distilled_base_relocated(void **state)
{
	struct capture cap = { 0 };
	struct diag d = CAPTURE_DIAG(cap);
	struct btf_chain *vm, *c = NULL;
	struct bb db;
	size_t dist_size, split_size, vm_size, out_size;
	void *dist = distilled_base(&dist_size, &db), *split, *vm_raw, *out;
	const struct btf_type *t;
	const struct btf_member *m;
	const void *blobs[2];
	size_t sizes[2];
	const char *names[2] = { "vmlinux", "mod.ko" };
	int variant;
	static const char *const refused[] = {
		"mod.ko: .BTF.base does not match vmlinux: its enum e (size 4) is not there",
		"mod.ko: .BTF.base does not match vmlinux: its struct list_head (size 16) is not "
		"there (in that size: the module embeds it)",
		"mod.ko: .BTF.base does not match vmlinux: its int int (size 4) matches type IDs 2 "
		"and 8 there",
	};

	split = module_split(&split_size, (uint32_t)db.str_len, 5 /* "list_head" */);
	assert_string_equal(db.strs + 5, "list_head");
	vm_raw = vmlinux_for_module(0, &vm_size);
	vm = load_one(vm_raw, vm_size, "vmlinux", &d, 0);
	assert_int_equal(reader__relocate(vm, dist, dist_size, split, split_size, "mod.ko", &d,
					  &out, &out_size), 0);
	blobs[0] = vm_raw;
	blobs[1] = out;
	sizes[0] = vm_size;
	sizes[1] = out_size;
	assert_int_equal(chain__load_mem(blobs, sizes, names, 2, &d, &c), 0);
	assert_int_equal(c->layers[1].start_id, 8);
	assert_int_equal(c->layers[1].nr_types, 4);
	assert_int_equal(btf__type_by_id(c->flat, 8)->type, 3);		/* ptr -> struct task */
	t = btf__type_by_id(c->flat, 9);
	assert_string_equal(type_name(c->flat, 9), "mod");
	m = btf_members(t);
	assert_int_equal(m[0].type, 2);						/* int */
	assert_int_equal(m[1].type, 4);						/* list_head */
	assert_string_equal(btf__name_by_offset(c->flat, m[1].name_off), "l");
	assert_string_equal(type_name(c->flat, 10), "list_head");	/* the vmlinux's string */
	assert_true(btf__type_by_id(c->flat, 10)->name_off < c->layers[1].start_str);
	assert_int_equal(btf__type_by_id(c->flat, 10)->type, 4);
	assert_int_equal(btf__type_by_id(c->flat, 11)->type, 7);	/* solo: a pointer, any size */
	chain__free(c);
	free(out);
	chain__free(vm);
	free(vm_raw);

	for (variant = 1; variant <= 3; variant++) {
		vm_raw = vmlinux_for_module(variant, &vm_size);
		vm = load_one(vm_raw, vm_size, "vmlinux", &d, 0);
		cap.count = 0;
		assert_int_equal(reader__relocate(vm, dist, dist_size, split, split_size, "mod.ko",
						  &d, &out, &out_size), -EINVAL);
		assert_string_equal(cap.last, refused[variant - 1]);
		assert_int_equal(cap.count, 1);
		chain__free(vm);
		free(vm_raw);
	}

	/* A distilled base holds nothing but named ints, floats, enums, structs, unions, fwds. */
	vm_raw = vmlinux_for_module(0, &vm_size);
	vm = load_one(vm_raw, vm_size, "vmlinux", &d, 0);
	free(dist);
	db.words[7] = 0;				/* 3: fwd task -> ptr to int */
	db.words[8] = BB_INFO(BTF_KIND_PTR, 0, 0);
	db.words[9] = 1;
	dist = bb_blob(&db, &dist_size);
	assert_int_equal(reader__relocate(vm, dist, dist_size, split, split_size, "mod.ko", &d,
					  &out, &out_size), -EINVAL);
	assert_string_equal(cap.last, "mod.ko (.BTF.base): type ID 3 (kind 2) is not a named int, "
			    "float, enum, struct, union or fwd, all that a distilled base holds");
	chain__free(vm);
	free(vm_raw);
	free(split);
	free(dist);
	bb_free(&db);
}

/* An ELF with .BTF.base: its distilled base comes with it; reader__read_file() refuses it. */
static void module_file_read(void **state)
{
	char dir[] = "/tmp/test_reader.XXXXXX", path[300];
	struct capture cap = { 0 };
	struct diag d = CAPTURE_DIAG(cap);
	struct bb db;
	size_t dist_size, split_size, got_size, base_size;
	void *dist = distilled_base(&dist_size, &db), *got, *base;
	void *split = module_split(&split_size, (uint32_t)db.str_len, 5);

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/mod.ko", dir);
	write_elf_base(path, split, split_size, 0, 0, dist, dist_size);
	assert_int_equal(reader__read_file_base(path, &d, &got, &got_size, &base, &base_size), 0);
	assert_int_equal(got_size, split_size);
	assert_memory_equal(got, split, split_size);
	assert_non_null(base);
	assert_int_equal(base_size, dist_size);
	assert_memory_equal(base, dist, dist_size);
	free(got);
	free(base);
	assert_int_equal(reader__read_file(path, &d, &got, &got_size), -ENOTSUP);
	assert_non_null(strstr(cap.last, "mod.ko: .BTF is split on its distilled base (.BTF.base)"));

	/* Chains of files: on its own .BTF.base, or relocated onto the vmlinux before it. */
	{
		char vm_path[320];
		const char *paths[2] = { vm_path, path };
		struct btf_chain *c = NULL;
		size_t vm_size;
		void *vm_raw = vmlinux_for_module(0, &vm_size);

		snprintf(vm_path, sizeof(vm_path), "%s/vmlinux", dir);
		write_file(vm_path, vm_raw, vm_size);
		assert_int_equal(chain__load(&paths[1], 1, &d, &c), 0);
		assert_int_equal(c->nlayers, 2);
		assert_non_null(strstr(c->layers[0].path, "mod.ko (.BTF.base)"));
		assert_int_equal(c->layers[1].start_id, 6);
		chain__free(c);
		assert_int_equal(chain__load(paths, 2, &d, &c), 0);
		assert_int_equal(c->nlayers, 2);
		assert_string_equal(c->layers[0].path, vm_path);
		assert_int_equal(c->layers[1].start_id, 8);
		assert_int_equal(btf_members(btf__type_by_id(c->flat, 9))[1].type, 4);
		chain__free(c);
		free(vm_raw);
		assert_int_equal(unlink(vm_path), 0);
	}
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
	free(split);
	free(dist);
	bb_free(&db);
}

/*
 * The 2026 info word (libbpf commit 9801e029): vlen in bits 0-23, kind in
 * bits 24-30, no reserved bits. A record is sized with the whole vlen; a
 * vlen beyond libbpf 1.1.2's 16 bits is valid BTF that btfenc cannot hand
 * to libbpf (-ENOTSUP, said so), not a corrupt one.
 */
static void info_word_2026(void **state)
{
	struct btf_type t = { .info = BB_INFO(BTF_KIND_STRUCT, 0, 0x10001) };
	struct capture cap = { 0 };
	struct diag d = CAPTURE_DIAG(cap);
	struct bb b;
	uint32_t i, name;
	size_t size;
	void *blob;

	assert_int_equal(typeref__extra_size(&t), 0x10001 * 12);

	/* enum e { 65536 values }: the whole record is walked, then refused for libbpf. */
	bb_init(&b, 0);
	name = bb_str(&b, "A");
	bb_type(&b, bb_str(&b, "int"), BB_INFO(BTF_KIND_INT, 0, 0), 4);
	bb_word(&b, 32);
	bb_type(&b, bb_str(&b, "e"), BB_INFO(BTF_KIND_ENUM, 0, 0x10000), 4);
	for (i = 0; i < 0x10000; i++) {
		bb_word(&b, name);
		bb_word(&b, i);
	}
	blob = bb_blob(&b, &size);
	assert_int_equal(reader__check(blob, size, 1, 0, "big.btf", &d), -ENOTSUP);
	assert_non_null(strstr(cap.last, "big.btf: type ID 2 (enum): vlen 65536: valid since "
				    "the 24-bit vlen"));
	assert_non_null(strstr(cap.last, "libbpf 1.1.2"));
	free(blob);
	bb_free(&b);

	/* Bits 29-30 are kind bits now: kind 36, not a struct with reserved bits set. */
	bb_init(&b, 0);
	bb_type(&b, bb_str(&b, "int"), BB_INFO(BTF_KIND_INT, 0, 0), 4);
	bb_word(&b, 32);
	bb_type(&b, 0, BB_INFO(0x20 | BTF_KIND_STRUCT, 0, 0), 0);
	blob = bb_blob(&b, &size);
	assert_int_equal(reader__check(blob, size, 1, 0, "k.btf", &d), -EINVAL);
	assert_non_null(strstr(cap.last, "k.btf: type ID 2 (kind 36): unknown kind"));
	/* Bits 16-23 are vlen bits: an int with vlen 65536, which must have none. */
	b.words[1] = BB_INFO(BTF_KIND_INT, 0, 0x10000);
	b.words[5] = BB_INFO(BTF_KIND_PTR, 0, 0);
	free(blob);
	blob = bb_blob(&b, &size);
	assert_int_equal(reader__check(blob, size, 1, 0, "k.btf", &d), -EINVAL);
	assert_string_equal(cap.last, "k.btf: type ID 1 (int): vlen 65536, must be 0");
	free(blob);
	bb_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(root_layer_loads),
		cmocka_unit_test(three_level_chain),
		cmocka_unit_test(structure_level),
		cmocka_unit_test(split_layer_without_base),
		cmocka_unit_test(corrupted_blobs_rejected),
		cmocka_unit_test(info_word_2026),
		cmocka_unit_test(layout_header),
		cmocka_unit_test(layout_header_corrupted),
		cmocka_unit_test(unknown_kinds_stepped_over),
		cmocka_unit_test(unknown_kind_in_split),
		cmocka_unit_test(distilled_base_relocated),
		cmocka_unit_test(module_file_read),
		cmocka_unit_test(mixed_endian_chain_rejected),
		cmocka_unit_test(big_endian_accepted),
		cmocka_unit_test(big_endian_chain),
		cmocka_unit_test(read_files),
		cmocka_unit_test(elf_btf_in_place),
		cmocka_unit_test(huge_elf_read_in_part),
		cmocka_unit_test(running_kernel_btf),
		cmocka_unit_test(mutated_blobs_load_or_fail_cleanly),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
