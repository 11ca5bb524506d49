// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests: btf_builder/layout.c. The layout section added to the oracle's BTF without one
 * must give, byte for byte, what pahole + libbpf f7081a6b wrote with --btf_features=layout
 * (tests/data/layout/README); the other byte order gives the byte-swapped file; shapes other
 * than header-types-strings are refused.
 */
#include <byteswap.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <bpf/btf.h>

#include "btf_builder/layout.h"

#define DATA "tests/data/layout/"

static void *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	void *data;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	data = malloc(n);
	assert_non_null(data);
	assert_int_equal(fread(data, 1, n, f), (size_t)n);
	fclose(f);
	*size = n;
	return data;
}

/* The oracle's file without layout, as libbpf 1.1.2 writes it (24-byte header). */
static void *v1_header(const uint8_t *in, size_t size, size_t *out_size)
{
	struct btf_header h;
	uint8_t *out;

	memcpy(&h, in, 24);
	assert_int_equal(h.hdr_len, 32);
	out = malloc(size - 8);
	assert_non_null(out);
	h.hdr_len = 24;
	memcpy(out, &h, 24);
	memcpy(out + 24, in + 32, size - 32);
	*out_size = size - 8;
	return out;
}

static void same_bytes_as_libbpf(void **state)
{
	size_t nsize, wsize, isize, osize;
	uint8_t *plain = read_file(DATA "nolayout.btf", &nsize);
	uint8_t *want = read_file(DATA "layout.btf", &wsize);
	uint8_t *in = v1_header(plain, nsize, &isize);
	void *out = NULL;
	struct btf *btf, *plain_btf;

	assert_int_equal(layout__add(in, isize, &out, &osize), 0);
	assert_int_equal(osize, wsize);
	assert_memory_equal(out, want, wsize);
	/* libbpf 1.1.2 still reads it (natively): same types. */
	btf = btf__new(out, osize);
	plain_btf = btf__new(in, isize);
	assert_non_null(btf);
	assert_non_null(plain_btf);
	assert_int_equal(btf__type_cnt(btf), btf__type_cnt(plain_btf));
	btf__free(plain_btf);
	btf__free(btf);
	free(out);
	/* A layout is not added twice; a 32-byte header without one is taken. */
	assert_int_equal(layout__add(want, wsize, &out, &osize), -EINVAL);
	assert_int_equal(layout__add(plain, nsize, &out, &osize), 0);
	assert_memory_equal(out, want, wsize);
	free(out);
	free(plain);
	free(want);
	free(in);
}

/* A big-endian blob: each header word swapped, the table's bytes as they are. */
static void other_byte_order(void **state)
{
	struct btf *btf = btf__new_empty();
	const uint8_t *raw;
	uint32_t size, w;
	uint8_t *out;
	size_t osize;
	int i32;

	assert_non_null(btf);
	i32 = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
	assert_true(i32 > 0 && btf__add_ptr(btf, i32) > 0);
	btf__set_endianness(btf, btf__endianness(btf) == BTF_LITTLE_ENDIAN ? BTF_BIG_ENDIAN :
			    BTF_LITTLE_ENDIAN);
	raw = btf__raw_data(btf, &size);
	assert_non_null(raw);
	assert_int_equal(layout__add(raw, size, (void **)&out, &osize), 0);
	assert_int_equal(osize, size + 8 + 80);
	memcpy(&w, out + 4, 4);
	assert_int_equal(bswap_32(w), 32);			/* hdr_len */
	memcpy(&w, out + 24, 4);
	assert_int_equal(bswap_32(w), 16 + 12);		/* layout_off: after INT and PTR */
	assert_int_equal(out[32 + 28 + 4 * BTF_KIND_INT], 4);	/* INT: info_sz 4 */
	assert_int_equal(out[32 + 28 + 4 * BTF_KIND_ENUM64 + 1], 12);
	assert_memory_equal(out + 32, raw + 24, 28);		/* the types, unchanged */
	assert_memory_equal(out + 32 + 28 + 80, raw + 24 + 28, size - 24 - 28);
	free(out);
	btf__free(btf);
}

static void refuses_other_shapes(void **state)
{
	uint8_t junk[64] = { 0 };
	size_t size;
	void *out;

	assert_int_equal(layout__add(junk, sizeof(junk), &out, &size), -EINVAL);
	assert_int_equal(layout__add(junk, 8, &out, &size), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_bytes_as_libbpf),
		cmocka_unit_test(other_byte_order),
		cmocka_unit_test(refuses_other_shapes),
	};

	return cmocka_run_group_tests_name("layout", tests, NULL, NULL);
}
