// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests: btf_builder/distill.c. The split BTF of a fixture module is distilled and
 * compared with what pahole + libbpf f7081a6b (btf__distill_base()) wrote for the same input
 * (tests/data/distill/README): type and string sections byte for byte, for the distilled
 * base and for the new split. Also the refusals.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <bpf/btf.h>

#include "btf_builder/distill.h"

#define DATA "tests/data/distill/"

struct blob {
	uint8_t *data;
	size_t size;
	const struct btf_header *hdr;
};

static void read_blob(const char *path, struct blob *b)
{
	FILE *f = fopen(path, "rb");
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > (long)sizeof(struct btf_header));
	rewind(f);
	b->data = malloc(n);
	assert_non_null(b->data);
	assert_int_equal(fread(b->data, 1, n, f), (size_t)n);
	fclose(f);
	b->size = n;
	b->hdr = (const void *)b->data;
	assert_int_equal(b->hdr->magic, BTF_MAGIC);
}

static const uint8_t *types_of(const struct btf_header *h)
{
	return (const uint8_t *)h + h->hdr_len + h->type_off;
}

static const uint8_t *strs_of(const struct btf_header *h)
{
	return (const uint8_t *)h + h->hdr_len + h->str_off;
}

/* The same BTF with libbpf 1.1.2's 24-byte header (the oracle's libbpf writes 32 bytes). */
static void *short_header(const struct blob *b, size_t *size)
{
	const struct btf_header *h = b->hdr;
	size_t body = h->type_len + h->str_len;
	struct btf_header *out = malloc(sizeof(*out) + body);

	assert_non_null(out);
	*out = *h;
	out->hdr_len = sizeof(*out);
	out->type_off = 0;
	out->str_off = h->type_len;
	memcpy((uint8_t *)(out + 1), types_of(h), h->type_len);
	memcpy((uint8_t *)(out + 1) + h->type_len, strs_of(h), h->str_len);
	*size = sizeof(*out) + body;
	return out;
}

/* @btf's type and string sections equal @want's (whatever either header's length). */
static void assert_sections_equal(const struct btf *btf, const struct blob *want)
{
	const struct btf_header *h;
	uint32_t size;

	h = btf__raw_data(btf, &size);
	assert_non_null(h);
	assert_int_equal(h->type_len, want->hdr->type_len);
	assert_memory_equal(types_of(h), types_of(want->hdr), h->type_len);
	assert_int_equal(h->str_len, want->hdr->str_len);
	assert_memory_equal(strs_of(h), strs_of(want->hdr), h->str_len);
}

static void same_bytes_as_libbpf(void **state)
{
	struct blob base, split, want_base, want_split;
	struct btf *old_base, *src, *new_base = NULL, *new_split = NULL;
	char path[] = "/tmp/test_distill.XXXXXX";
	void *raw;
	size_t size;
	uint32_t bad = 1;
	int fd;

	read_blob(DATA "base.btf", &base);
	read_blob(DATA "mod.split.btf", &split);
	read_blob(DATA "dist.base.btf", &want_base);
	read_blob(DATA "dist.split.btf", &want_split);
	raw = short_header(&base, &size);
	old_base = btf__new(raw, size);
	free(raw);
	assert_non_null(old_base);
	/* libbpf 1.1.2 reads split BTF from a file only. */
	raw = short_header(&split, &size);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, raw, size), (ssize_t)size);
	close(fd);
	free(raw);
	src = btf__parse_raw_split(path, old_base);
	unlink(path);
	assert_non_null(src);

	assert_int_equal(distill__split(src, &new_base, &new_split, &bad), 0);
	assert_int_equal(bad, 0);
	assert_ptr_equal(btf__base_btf(new_split), new_base);
	/* Some base types went to the new split, so it holds more than the old one. */
	assert_true(btf__type_cnt(new_base) < btf__type_cnt(old_base));
	assert_true(btf__type_cnt(new_split) - btf__type_cnt(new_base) >
		    btf__type_cnt(src) - btf__type_cnt(old_base));
	assert_sections_equal(new_base, &want_base);
	assert_sections_equal(new_split, &want_split);

	btf__free(new_split);
	btf__free(new_base);
	btf__free(src);
	btf__free(old_base);
	free(base.data);
	free(split.data);
	free(want_base.data);
	free(want_split.data);
}

static void refuses_what_it_cannot_describe(void **state)
{
	struct btf *base = btf__new_empty(), *split, *nb = NULL, *ns = NULL;
	uint32_t bad = 0;
	int i32, proto, func;

	assert_non_null(base);
	/* Not split BTF. */
	assert_int_equal(distill__split(base, &nb, &ns, &bad), -EINVAL);
	i32 = btf__add_int(base, "int", 4, BTF_INT_SIGNED);
	proto = btf__add_func_proto(base, i32);
	func = btf__add_func(base, "base_fn", BTF_FUNC_GLOBAL, proto);
	assert_true(i32 > 0 && proto > 0 && func > 0);
	/* A split decl tag on a base FUNC: a distilled base has no FUNC to relocate. */
	split = btf__new_empty_split(base);
	assert_non_null(split);
	assert_true(btf__add_ptr(split, i32) > 0);
	assert_true(btf__add_decl_tag(split, "tagged", func, -1) > 0);
	assert_int_equal(distill__split(split, &nb, &ns, &bad), -EINVAL);
	assert_int_equal(bad, func);
	assert_null(nb);
	assert_null(ns);
	btf__free(split);
	btf__free(base);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_bytes_as_libbpf),
		cmocka_unit_test(refuses_what_it_cannot_describe),
	};

	return cmocka_run_group_tests_name("distill", tests, NULL, NULL);
}
