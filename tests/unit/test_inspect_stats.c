// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests: inspect/stats (counts and bytes per kind and layer), and the
 * pieces every inspection command shares: inspect/input (base lists, the
 * sysfs base rule, reading) and inspect/json (the writer).
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>
#include <linux/btf.h>
#include <cmocka.h>

#include "btf_reader/reader.h"
#include "inspect/input.h"
#include "inspect/json.h"
#include "inspect/stats.h"
#include "util/diag.h"
#include "blob_builder.h"

static void *raw_copy(const struct btf *b, size_t *size)
{
	uint32_t sz;
	const void *raw = btf__raw_data(b, &sz);
	void *copy = malloc(sz);

	memcpy(copy, raw, sz);
	*size = sz;
	return copy;
}

/* base: int, ptr, struct s {int a;}; top: struct s again, struct t, func proto. */
static struct btf_chain *two_layers(void)
{
	struct btf *base = btf__new_empty(), *top;
	struct btf_chain *c = NULL;
	const void *blobs[2];
	size_t sizes[2];
	void *b0, *b1;

	btf__add_int(base, "int", 4, BTF_INT_SIGNED);
	btf__add_ptr(base, 1);
	btf__add_struct(base, "s", 4);
	btf__add_field(base, "a", 1, 0, 0);
	top = btf__new_empty_split(base);
	btf__add_struct(top, "s", 4);
	btf__add_field(top, "a", 1, 0, 0);
	btf__add_struct(top, "t", 8);
	btf__add_field(top, "p", 2, 0, 0);
	btf__add_func_proto(top, 1);
	btf__add_func_param(top, "x", 1);
	blobs[0] = b0 = raw_copy(base, &sizes[0]);
	blobs[1] = b1 = raw_copy(top, &sizes[1]);
	assert_int_equal(chain__load_mem(blobs, sizes, NULL, 2, NULL, &c), 0);
	free(b0);
	free(b1);
	btf__free(top);
	btf__free(base);
	return c;
}

static void per_layer_counts(void **state)
{
	struct btf_chain *c = two_layers();
	struct layer_stats *ls;

	assert_int_equal(stats__collect(c, &ls), 0);
	assert_int_equal(ls[0].nr_types, 3);
	assert_int_equal(ls[0].kinds[BTF_KIND_INT].count, 1);
	assert_int_equal(ls[0].kinds[BTF_KIND_INT].bytes, 16);
	assert_int_equal(ls[0].kinds[BTF_KIND_STRUCT].bytes, 12 + 12);
	assert_int_equal(ls[0].type_bytes, 16 + 12 + 24);
	assert_int_equal(ls[0].str_bytes, c->layers[0].str_len);
	assert_int_equal(ls[0].dup_names, 0);
	assert_int_equal(ls[1].start_id, 4);
	assert_int_equal(ls[1].kinds[BTF_KIND_STRUCT].count, 2);
	assert_int_equal(ls[1].kinds[BTF_KIND_FUNC_PROTO].bytes, 12 + 8);
	assert_int_equal(ls[1].dup_names, 1);	/* struct s again */
	assert_int_equal(ls[2].nr_types, 6);
	assert_int_equal(ls[2].type_bytes, ls[0].type_bytes + ls[1].type_bytes);
	assert_int_equal(ls[2].hdr_bytes, 48);
	free(ls);
	chain__free(c);
}

static void json_has_every_kind(void **state)
{
	struct btf_chain *c = two_layers();
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	assert_int_equal(stats__print(c, 1, out), 0);
	fclose(out);
	assert_non_null(strstr(text, "{\"layers\":[{\"path\":\"layer 0\",\"start_id\":1,"
				     "\"types\":3,\"bytes\":"));
	assert_non_null(strstr(text, "\"ENUM64\":{\"count\":0,\"bytes\":0}"));
	assert_non_null(strstr(text, "],\"total\":{\"start_id\":1,\"types\":6,"));
	assert_non_null(strstr(text, "\"duplicate_names\":1,"));
	free(text);
	chain__free(c);
}

static void text_table(void **state)
{
	struct btf_chain *c = two_layers();
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	assert_int_equal(stats__print(c, 0, out), 0);
	fclose(out);
	assert_non_null(strstr(text, "layer 1: layer 1\n  type IDs 4..6: 3 types\n"));
	assert_non_null(strstr(text, "  STRUCT                2           48\n"));
	assert_non_null(strstr(text, "chain of 2 layers:\n"));
	assert_null(strstr(text, "ENUM64"));	/* kinds without types are left out */
	free(text);
	chain__free(c);
}

static void keep_line(void *ctx, enum diag_level level, const char *line)
{
	snprintf(ctx, 256, "%s", line);
}

static void base_lists(void **state)
{
	struct input_bases b = { 0 };
	char msg[256] = "";
	struct diag d = { .emit = keep_line, .ctx = msg, .max_level = DIAG_WARN };

	assert_int_equal(input__add_bases(&b, "vmlinux", NULL), 0);
	assert_int_equal(input__add_bases(&b, "a.ko,b.btf", NULL), 0);
	assert_int_equal(b.n, 3);
	assert_string_equal(b.paths[0], "vmlinux");
	assert_string_equal(b.paths[2], "b.btf");
	assert_int_equal(input__add_bases(&b, "x,,y", &d), -EINVAL);
	assert_string_equal(msg, "empty path in base list 'x,,y'");
	assert_int_equal(input__add_bases(&b, "x,", &d), -EINVAL);
	input__free_bases(&b);
	assert_int_equal(b.n, 0);
	input__free_bases(NULL);
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

/* A module's /sys/kernel/btf/NAME gets NAME's sibling vmlinux as its base. */
static void sysfs_base_rule(void **state)
{
	char dir[] = "/tmp/btfenc-sysfs-XXXXXX", path[PATH_MAX], link[PATH_MAX], base[PATH_MAX];

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/vmlinux", dir);
	write_file(path, "x", 1);
	assert_int_equal(input__auto_base(path, dir, base, sizeof(base)), 0);
	snprintf(path, sizeof(path), "%s/nf_tables", dir);
	write_file(path, "x", 1);
	assert_int_equal(input__auto_base(path, dir, base, sizeof(base)), 1);
	assert_true(!strncmp(base, dir, strlen(dir)) && !strcmp(base + strlen(dir), "/vmlinux"));
	snprintf(link, sizeof(link), "%s.link", dir);
	assert_int_equal(symlink(path, link), 0);	/* followed to the module's file */
	assert_int_equal(input__auto_base(link, dir, base, sizeof(base)), 1);
	assert_int_equal(input__auto_base("/etc/hostname", dir, base, sizeof(base)), 0);
	unlink(link);
	unlink(path);
	snprintf(path, sizeof(path), "%s/vmlinux", dir);
	unlink(path);
	/* No vmlinux next to it: no base. */
	snprintf(path, sizeof(path), "%s/mod", dir);
	write_file(path, "x", 1);
	assert_int_equal(input__auto_base(path, dir, base, sizeof(base)), 0);
	unlink(path);
	rmdir(dir);
}

/* raw_whole: a truncated raw BTF is read as it is, for the check to call invalid. */
static void read_raw_whole(void **state)
{
	struct btf *b = btf__new_empty();
	struct input_bases none = { 0 };
	struct input_layers l;
	char path[] = "/tmp/btfenc-raw-XXXXXX", msg[256] = "";
	struct diag d = { .emit = keep_line, .ctx = msg, .max_level = DIAG_WARN };
	int fd = mkstemp(path);
	size_t size;
	void *raw;

	btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	raw = raw_copy(b, &size);
	assert_true(fd >= 0);
	close(fd);
	write_file(path, raw, size - 3);
	assert_int_equal(input__read(&none, path, 1, NULL, &l), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.sizes[0], size - 3);
	input__free_layers(&l);
	assert_int_equal(input__read(&none, path, 0, &d, &l), -EINVAL);
	assert_non_null(strstr(msg, "truncated BTF"));
	unlink(path);
	free(raw);
	btf__free(b);
}

static void json_writer(void **state)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	struct json j;

	json__init(&j, out);
	json__begin_obj(&j, NULL);
	json__str(&j, "s", "a\"b\\c\n\x01");
	json__begin_arr(&j, "a");
	json__int(&j, NULL, -1);
	json__uint(&j, NULL, 18446744073709551615ULL);
	json__bool(&j, NULL, 1);
	json__str_or_null(&j, NULL, NULL);
	json__end(&j);
	json__begin_obj(&j, "empty");
	json__end(&j);
	json__end(&j);
	fclose(out);
	assert_string_equal(text, "{\"s\":\"a\\\"b\\\\c\\u000a\\u0001\",\"a\":[-1,"
			    "18446744073709551615,true,null],\"empty\":{}}\n");
	free(text);
}

/*
 * Linux 7.1's format: a 32-byte header and a layout section (libbpf commit
 * 87896082) are counted, so that the bytes still add up to the file's.
 */
static void layout_bytes_counted(void **state)
{
	struct btf_chain *c = NULL;
	struct layer_stats *ls;
	char *text = NULL;
	size_t len = 0, size;
	const void *blob;
	FILE *out;
	struct bb b;

	bb_init(&b, 1);
	bb_type(&b, bb_str(&b, "int"), BB_INFO(BTF_KIND_INT, 0, 0), 4);
	bb_word(&b, 32);
	bb_layout_std(&b, 20);
	blob = bb_blob(&b, &size);
	assert_int_equal(chain__load_mem(&blob, &size, NULL, 1, NULL, &c), 0);
	assert_int_equal(stats__collect(c, &ls), 0);
	assert_int_equal(ls[0].hdr_bytes, 32);
	assert_int_equal(ls[0].layout_bytes, 80);
	assert_int_equal(ls[0].hdr_bytes + ls[0].type_bytes + ls[0].layout_bytes +
			 ls[0].str_bytes, size);
	free(ls);
	out = open_memstream(&text, &len);
	assert_int_equal(stats__print(c, 0, out), 0);
	fclose(out);
	assert_non_null(strstr(text, "  bytes: 133 = header 32 + types 16 (12.0%) + layout 80 "
				     "(60.2%) + strings 5 (3.8%)\n"));
	free(text);
	chain__free(c);
	free((void *)blob);
	bb_free(&b);
}

/* Kinds btfenc does not know are counted under their number, with their records' bytes. */
static void unknown_kinds_counted(void **state)
{
	struct btf_chain *c = NULL;
	struct layer_stats *ls;
	char *text = NULL;
	size_t len = 0, size;
	const void *blob = bb_unknown_sample("loc", &size);
	FILE *out;

	assert_int_equal(chain__load_mem(&blob, &size, NULL, 1, NULL, &c), 0);
	assert_int_equal(stats__collect(c, &ls), 0);
	assert_int_equal(ls[0].kinds[25].count, 1);
	assert_int_equal(ls[0].kinds[25].bytes, 12 + 4 + 2 * 8);
	assert_int_equal(ls[0].kinds[26].count, 1);
	assert_int_equal(ls[0].kinds[26].bytes, 12);
	assert_int_equal(ls[0].kinds[BTF_KIND_DATASEC].count, 0);
	assert_int_equal(ls[0].type_bytes, 16 + 32 + 12 + 12 + 12);
	assert_int_equal(ls[0].hdr_bytes + ls[0].type_bytes + ls[0].layout_bytes +
			 ls[0].str_bytes, size);
	free(ls);
	out = open_memstream(&text, &len);
	assert_int_equal(stats__print(c, 1, out), 0);
	fclose(out);
	assert_non_null(strstr(text, "\"ENUM64\":{\"count\":0,\"bytes\":0},"
				     "\"UNKNOWN_KIND_25\":{\"count\":1,\"bytes\":32},"
				     "\"UNKNOWN_KIND_26\":{\"count\":1,\"bytes\":12}}"));
	assert_null(strstr(text, "UNKNOWN_KIND_27"));
	free(text);
	text = NULL;
	out = open_memstream(&text, &len);
	assert_int_equal(stats__print(c, 0, out), 0);
	fclose(out);
	assert_non_null(strstr(text, "  UNKNOWN_KIND_25          1           32\n"));
	free(text);
	chain__free(c);
	free((void *)blob);
}

/* A prototype whose parameter points back to it (a loop the kernel accepts) is counted. */
static void prototype_loop(void **state)
{
	struct btf_chain *c = NULL;
	char *text = NULL;
	size_t len = 0, size;
	const void *blob;
	int json;
	FILE *out;
	struct bb b;

	bb_init(&b, 0);
	bb_type(&b, bb_str(&b, "int"), BB_INFO(BTF_KIND_INT, 0, 0), 4);	/* 1 */
	bb_word(&b, 32);
	bb_type(&b, 0, BB_INFO(BTF_KIND_FUNC_PROTO, 0, 1), 1);		/* 2 */
	bb_word(&b, bb_str(&b, "p"));
	bb_word(&b, 3);
	bb_type(&b, 0, BB_INFO(BTF_KIND_PTR, 0, 0), 2);			/* 3 */
	blob = bb_blob(&b, &size);
	assert_int_equal(chain__load_mem(&blob, &size, NULL, 1, NULL, &c), 0);
	for (json = 0; json < 2; json++) {
		out = open_memstream(&text, &len);
		assert_int_equal(stats__print(c, json, out), 0);
		fclose(out);
		assert_non_null(strstr(text, json ? "\"FUNC_PROTO\"" : "FUNC_PROTO"));
		free(text);
		text = NULL;
	}
	chain__free(c);
	free((void *)blob);
	bb_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(per_layer_counts),
		cmocka_unit_test(layout_bytes_counted),
		cmocka_unit_test(unknown_kinds_counted),
		cmocka_unit_test(json_has_every_kind),
		cmocka_unit_test(text_table),
		cmocka_unit_test(base_lists),
		cmocka_unit_test(sysfs_base_rule),
		cmocka_unit_test(read_raw_whole),
		cmocka_unit_test(json_writer),
		cmocka_unit_test(prototype_loop),
	};

	return cmocka_run_group_tests_name("inspect/stats, input, json", tests, NULL, NULL);
}
