// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests: btf_builder/rawbtf_add.c against libbpf 1.1.2. Every call is
 * made on both a libbpf BTF and a rawbtf; results must agree (the new ID or
 * the same negative errno) and the bytes must be identical at the end: the
 * chunks of an encoding are built with rawbtf, and the dedup expects what
 * btf__add_*() would have built. Valid and invalid arguments alike, then
 * long random sequences.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <bpf/btf.h>

#include "btf_builder/rawbtf.h"
#include "util/vec.h"

struct pair {
	struct btf *lb;
	struct rawbtf rb;
	size_t calls, errors;
};

static void pair_init(struct pair *p)
{
	memset(p, 0, sizeof(*p));
	p->lb = btf__new_empty();
	assert_non_null(p->lb);
	assert_int_equal(rawbtf__init(&p->rb), 0);
}

/* Both results: equal IDs, or equal errors (libbpf returns -errno too). */
static void same(struct pair *p, int lb, int rb)
{
	p->calls++;
	if (lb < 0)
		p->errors++;
	assert_int_equal(lb, rb);
}

static void pair_check_and_free(struct pair *p)
{
	const void *lraw;
	void *rraw;
	uint32_t lsize;
	size_t rsize;

	assert_int_equal(btf__type_cnt(p->lb), rawbtf__type_cnt(&p->rb));
	lraw = btf__raw_data(p->lb, &lsize);
	rraw = rawbtf__blob(&p->rb, &rsize);
	assert_non_null(lraw);
	assert_non_null(rraw);
	assert_int_equal(lsize, rsize);
	assert_memory_equal(lraw, rraw, rsize);
	free(rraw);
	/* The same blob made out of the builder's own buffers, the builder emptied. */
	rraw = rawbtf__take_blob(&p->rb, &rsize);
	assert_non_null(rraw);
	assert_int_equal(lsize, rsize);
	assert_memory_equal(lraw, rraw, rsize);
	assert_null(p->rb.types);
	assert_null(p->rb.strs);
	assert_int_equal(p->rb.len, 0);
	free(rraw);
	btf__free(p->lb);
	rawbtf__free(&p->rb);
}

static const char *const names[] = { NULL, "", "a", "int", "x", "long unsigned int", "a" };
#define NNAMES (sizeof(names) / sizeof(names[0]))

static void each_argument(void **state)
{
	struct pair p;
	size_t n, sz;
	int k, e;

	(void)state;
	pair_init(&p);
	for (n = 0; n < NNAMES; n++) {
		for (sz = 0; sz <= 17; sz++) {
			for (e = 0; e < 16; e += 3)
				same(&p, btf__add_int(p.lb, names[n], sz, e),
				     rawbtf__add_int(&p.rb, names[n], sz, e));
			same(&p, btf__add_float(p.lb, names[n], sz),
			     rawbtf__add_float(&p.rb, names[n], sz));
			same(&p, btf__add_enum(p.lb, names[n], (uint32_t)sz),
			     rawbtf__add_enum(&p.rb, names[n], (uint32_t)sz));
			same(&p, btf__add_enum64(p.lb, names[n], (uint32_t)sz, sz & 1),
			     rawbtf__add_enum64(&p.rb, names[n], (uint32_t)sz, sz & 1));
		}
		for (k = -1; k <= 3; k++)
			same(&p, btf__add_fwd(p.lb, names[n], k), rawbtf__add_fwd(&p.rb, names[n], k));
		for (k = -1; k <= 3; k++) {
			same(&p, btf__add_func(p.lb, names[n], k, 1),
			     rawbtf__add_func(&p.rb, names[n], k, 1));
			same(&p, btf__add_var(p.lb, names[n], k, 1),
			     rawbtf__add_var(&p.rb, names[n], k, 1));
			same(&p, btf__add_decl_tag(p.lb, names[n], 1, k - 1),
			     rawbtf__add_decl_tag(&p.rb, names[n], 1, k - 1));
		}
		same(&p, btf__add_typedef(p.lb, names[n], 1), rawbtf__add_typedef(&p.rb, names[n], 1));
		/* A DATASEC and its entries: only right after a DATASEC, IDs checked. */
		same(&p, btf__add_datasec_var_info(p.lb, 1, 0, 4),
		     rawbtf__add_datasec_var_info(&p.rb, 1, 0, 4));
		same(&p, btf__add_datasec(p.lb, names[n], 64), rawbtf__add_datasec(&p.rb, names[n], 64));
		for (k = -1; k <= 2; k++)
			same(&p, btf__add_datasec_var_info(p.lb, k ? k : 0x7fffffff, 8 * (uint32_t)(k + 1), 8),
			     rawbtf__add_datasec_var_info(&p.rb, k ? k : 0x7fffffff,
							  8 * (uint32_t)(k + 1), 8));
		same(&p, btf__add_type_tag(p.lb, names[n], 2),
		     rawbtf__add_type_tag(&p.rb, names[n], 2));
	}
	/* IDs out of range. */
	{
		static const int ids[] = { -5, -1, 0, 1, 7, 0x7fffffff };

		for (n = 0; n < sizeof(ids) / sizeof(ids[0]); n++) {
			same(&p, btf__add_ptr(p.lb, ids[n]), rawbtf__add_ptr(&p.rb, ids[n]));
			same(&p, btf__add_const(p.lb, ids[n]), rawbtf__add_const(&p.rb, ids[n]));
			same(&p, btf__add_volatile(p.lb, ids[n]), rawbtf__add_volatile(&p.rb, ids[n]));
			same(&p, btf__add_restrict(p.lb, ids[n]), rawbtf__add_restrict(&p.rb, ids[n]));
			same(&p, btf__add_array(p.lb, ids[n], 1, 3), rawbtf__add_array(&p.rb, ids[n], 1, 3));
			same(&p, btf__add_array(p.lb, 1, ids[n], 0), rawbtf__add_array(&p.rb, 1, ids[n], 0));
			same(&p, btf__add_func_proto(p.lb, ids[n]), rawbtf__add_func_proto(&p.rb, ids[n]));
			same(&p, btf__add_func_param(p.lb, "p", ids[n]),
			     rawbtf__add_func_param(&p.rb, "p", ids[n]));
		}
	}
	/* Members, values and parameters on the wrong kind of last type. */
	same(&p, btf__add_int(p.lb, "i", 4, 0), rawbtf__add_int(&p.rb, "i", 4, 0));
	same(&p, btf__add_field(p.lb, "f", 1, 0, 0), rawbtf__add_field(&p.rb, "f", 1, 0, 0));
	same(&p, btf__add_enum_value(p.lb, "v", 1), rawbtf__add_enum_value(&p.rb, "v", 1));
	same(&p, btf__add_enum64_value(p.lb, "v", 1), rawbtf__add_enum64_value(&p.rb, "v", 1));
	same(&p, btf__add_func_param(p.lb, "p", 1), rawbtf__add_func_param(&p.rb, "p", 1));
	assert_true(p.errors > 100);
	assert_true(p.calls - p.errors > 100);
	pair_check_and_free(&p);
}

static void members_values_params(void **state)
{
	static const uint32_t offs[] = { 0, 1, 7, 8, 12, 64, 0xffffff, 0x1000000 };
	static const uint32_t bits[] = { 0, 1, 3, 8, 255, 256 };
	static const int64_t vals[] = { 0, 1, -1, INT_MIN, (int64_t)INT_MIN - 1, INT_MAX,
					UINT_MAX, (int64_t)UINT_MAX + 1, INT64_MIN, INT64_MAX };
	struct pair p;
	size_t i, j, n;

	(void)state;
	pair_init(&p);
	same(&p, btf__add_int(p.lb, "int", 4, BTF_INT_SIGNED),
	     rawbtf__add_int(&p.rb, "int", 4, BTF_INT_SIGNED));
	for (n = 0; n < 2; n++) {
		if (n)
			same(&p, btf__add_union(p.lb, "u", 8), rawbtf__add_union(&p.rb, "u", 8));
		else
			same(&p, btf__add_struct(p.lb, NULL, 8), rawbtf__add_struct(&p.rb, NULL, 8));
		for (i = 0; i < sizeof(offs) / sizeof(offs[0]); i++)
			for (j = 0; j < sizeof(bits) / sizeof(bits[0]); j++)
				same(&p, btf__add_field(p.lb, names[(i + j) % NNAMES], 1, offs[i], bits[j]),
				     rawbtf__add_field(&p.rb, names[(i + j) % NNAMES], 1, offs[i],
						       bits[j]));
	}
	same(&p, btf__add_enum(p.lb, "e", 4), rawbtf__add_enum(&p.rb, "e", 4));
	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++)
		for (n = 0; n < NNAMES; n++)
			same(&p, btf__add_enum_value(p.lb, names[n], vals[i]),
			     rawbtf__add_enum_value(&p.rb, names[n], vals[i]));
	same(&p, btf__add_enum64(p.lb, "e64", 8, 0), rawbtf__add_enum64(&p.rb, "e64", 8, 0));
	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++)
		for (n = 0; n < NNAMES; n++)
			same(&p, btf__add_enum64_value(p.lb, names[n], (uint64_t)vals[i]),
			     rawbtf__add_enum64_value(&p.rb, names[n], (uint64_t)vals[i]));
	same(&p, btf__add_func_proto(p.lb, 1), rawbtf__add_func_proto(&p.rb, 1));
	for (n = 0; n < NNAMES; n++)
		same(&p, btf__add_func_param(p.lb, names[n], (int)n),
		     rawbtf__add_func_param(&p.rb, names[n], (int)n));
	same(&p, btf__add_func_param(p.lb, NULL, 0), rawbtf__add_func_param(&p.rb, NULL, 0));
	pair_check_and_free(&p);
}

/*
 * rawbtf__type_by_id() and rawbtf__str_by_offset() against btf__type_by_id() and
 * btf__str_by_offset(): the same record bytes for every ID, void for 0, NULL past the
 * last; the same string for every name.
 */
static void check_index(struct pair *p)
{
	uint32_t n = btf__type_cnt(p->lb), id;
	const struct btf_type *v = rawbtf__type_by_id(&p->rb, 0);

	assert_non_null(v);
	assert_int_equal(v->name_off | v->info | v->size, 0);
	assert_null(rawbtf__type_by_id(&p->rb, n));
	for (id = 1; id < n; id++) {
		const struct btf_type *a = btf__type_by_id(p->lb, id);
		const struct btf_type *b = rawbtf__type_by_id(&p->rb, id);
		const struct btf_type *next = id + 1 < n ? btf__type_by_id(p->lb, id + 1) : NULL;
		size_t len = next ? (size_t)((const char *)next - (const char *)a) : sizeof(*a);

		assert_non_null(b);
		assert_memory_equal(a, b, len);
		assert_string_equal(btf__str_by_offset(p->lb, a->name_off),
				    rawbtf__str_by_offset(&p->rb, b->name_off));
	}
	assert_null(rawbtf__str_by_offset(&p->rb, (uint32_t)p->rb.str_len));
}

/* Long random call sequences, as an encoding would make them. */
static void random_sequences(void **state)
{
	static const char *const pool[] = { "next", "prev", "list_head", "int", "char", "u32",
					    "task_struct", "x", "y", "__u64", "ops", "val" };
	unsigned int seed = 12345;
	int round;

	(void)state;
	for (round = 0; round < 20; round++) {
		struct pair p;
		int step;

		pair_init(&p);
		/* Records indexed from the start, from halfway (kept up as they come), or never. */
		if (round % 3 == 1)
			assert_int_equal(rawbtf__index_types(&p.rb), 0);
		for (step = 0; step < 3000; step++) {
			int op = rand_r(&seed) % 16, id = rand_r(&seed) % (rawbtf__type_cnt(&p.rb) + 1);
			const char *nm = pool[rand_r(&seed) % (sizeof(pool) / sizeof(pool[0]))];
			uint32_t v = (uint32_t)rand_r(&seed);

			if (round % 3 == 2 && step == 1500)
				assert_int_equal(rawbtf__index_types(&p.rb), 0);

			switch (op) {
			case 0: same(&p, btf__add_int(p.lb, nm, 1u << (v % 5), v % 5 == 0 ? BTF_INT_BOOL : 0),
				     rawbtf__add_int(&p.rb, nm, 1u << (v % 5), v % 5 == 0 ? BTF_INT_BOOL : 0)); break;
			case 1: same(&p, btf__add_ptr(p.lb, id), rawbtf__add_ptr(&p.rb, id)); break;
			case 2: same(&p, btf__add_struct(p.lb, v & 1 ? nm : NULL, v % 64),
				     rawbtf__add_struct(&p.rb, v & 1 ? nm : NULL, v % 64)); break;
			case 3: same(&p, btf__add_field(p.lb, nm, id, v % 512, v % 3 ? 0 : v % 9),
				     rawbtf__add_field(&p.rb, nm, id, v % 512, v % 3 ? 0 : v % 9)); break;
			case 4: same(&p, btf__add_enum(p.lb, v & 1 ? nm : NULL, 4),
				     rawbtf__add_enum(&p.rb, v & 1 ? nm : NULL, 4)); break;
			case 5: same(&p, btf__add_enum_value(p.lb, nm, (int32_t)v),
				     rawbtf__add_enum_value(&p.rb, nm, (int32_t)v)); break;
			case 6: same(&p, btf__add_typedef(p.lb, nm, id), rawbtf__add_typedef(&p.rb, nm, id)); break;
			case 7: same(&p, btf__add_func_proto(p.lb, id), rawbtf__add_func_proto(&p.rb, id)); break;
			case 8: same(&p, btf__add_func_param(p.lb, v & 1 ? nm : NULL, id),
				     rawbtf__add_func_param(&p.rb, v & 1 ? nm : NULL, id)); break;
			case 9: same(&p, btf__add_func(p.lb, nm, BTF_FUNC_STATIC, id),
				     rawbtf__add_func(&p.rb, nm, BTF_FUNC_STATIC, id)); break;
			case 10: same(&p, btf__add_array(p.lb, id, id, v % 100),
				      rawbtf__add_array(&p.rb, id, id, v % 100)); break;
			case 11: same(&p, btf__add_var(p.lb, nm, BTF_VAR_GLOBAL_ALLOCATED, id),
				      rawbtf__add_var(&p.rb, nm, BTF_VAR_GLOBAL_ALLOCATED, id)); break;
			case 12: same(&p, btf__add_decl_tag(p.lb, nm, id, (int)(v % 4) - 1),
				      rawbtf__add_decl_tag(&p.rb, nm, id, (int)(v % 4) - 1)); break;
			case 13: same(&p, btf__add_datasec(p.lb, v & 1 ? nm : NULL, v % 4096),
				      rawbtf__add_datasec(&p.rb, v & 1 ? nm : NULL, v % 4096)); break;
			case 14: same(&p, btf__add_datasec_var_info(p.lb, v % 5 ? id : -1, v % 256, v % 64),
				      rawbtf__add_datasec_var_info(&p.rb, v % 5 ? id : -1, v % 256,
								   v % 64)); break;
			default: same(&p, btf__add_const(p.lb, id), rawbtf__add_const(&p.rb, id)); break;
			}
		}
		if (round % 3)
			check_index(&p);
		pair_check_and_free(&p);
	}
}

/* A chunk whose units gave no type (all skipped, corrupt input): header and "" only. */
static void empty_builder(void **state)
{
	struct pair p;

	(void)state;
	pair_init(&p);
	assert_int_equal(rawbtf__type_cnt(&p.rb), 1);
	assert_null(rawbtf__last(&p.rb));
	pair_check_and_free(&p);
}

/*
 * A 16-bit vlen counts 65,535 entries: the next member, enumerator, parameter or DATASEC
 * entry is -E2BIG, and the record keeps its 65,535 (libbpf 1.1.2 wraps the count to 0).
 */
static void vlen_limit(void **state)
{
	struct rawbtf rb;
	int id, i;

	(void)state;
	assert_int_equal(rawbtf__init(&rb), 0);
	id = rawbtf__add_int(&rb, "int", 4, BTF_INT_SIGNED);
	assert_true(id > 0);
	assert_true(rawbtf__add_struct(&rb, "s", 4) > 0);
	for (i = 0; i < 0xffff; i++)
		assert_int_equal(rawbtf__add_field(&rb, NULL, id, 0, 0), 0);
	assert_int_equal(rawbtf__add_field(&rb, NULL, id, 0, 0), -E2BIG);
	assert_int_equal(btf_vlen(rawbtf__last(&rb)), 0xffff);
	assert_true(rawbtf__add_enum(&rb, "e", 4) > 0);
	for (i = 0; i < 0xffff; i++)
		assert_int_equal(rawbtf__add_enum_value(&rb, "v", i), 0);
	assert_int_equal(rawbtf__add_enum_value(&rb, "v", 0), -E2BIG);
	assert_true(rawbtf__add_func_proto(&rb, id) > 0);
	for (i = 0; i < 0xffff; i++)
		assert_int_equal(rawbtf__add_func_param(&rb, NULL, id), 0);
	assert_int_equal(rawbtf__add_func_param(&rb, NULL, id), -E2BIG);
	assert_int_equal(btf_vlen(rawbtf__last(&rb)), 0xffff);
	rawbtf__free(&rb);
}

/*
 * Names inside the cached range are looked up by pointer (a hit does not read
 * them); names elsewhere by content every time, so a buffer reused for
 * another name gets that name. Offsets equal libbpf's throughout.
 */
static void pointer_cache(void **state)
{
	static const char sec[] = "alpha\0beta\0gamma\0beta\0";
	char elsewhere[8] = "delta";
	struct u64map map = {};
	struct pair p;
	int id;

	(void)state;
	pair_init(&p);
	rawbtf__cache_ptrs(&p.rb, &map, sec, sizeof(sec));
	id = btf__add_int(p.lb, "int", 4, BTF_INT_SIGNED);
	same(&p, id, rawbtf__add_int(&p.rb, "int", 4, BTF_INT_SIGNED));
	same(&p, btf__add_typedef(p.lb, sec, id), rawbtf__add_typedef(&p.rb, sec, id));
	same(&p, btf__add_typedef(p.lb, sec + 6, id), rawbtf__add_typedef(&p.rb, sec + 6, id));
	assert_int_equal(p.rb.ptr_calls, 2);
	assert_int_equal(p.rb.ptr_hits, 0);
	/* Seen pointers hit; another copy of "beta" is found by content. */
	same(&p, btf__add_typedef(p.lb, sec, id), rawbtf__add_typedef(&p.rb, sec, id));
	same(&p, btf__add_typedef(p.lb, sec + 17, id), rawbtf__add_typedef(&p.rb, sec + 17, id));
	same(&p, btf__add_typedef(p.lb, sec + 17, id), rawbtf__add_typedef(&p.rb, sec + 17, id));
	assert_int_equal(p.rb.ptr_calls, 5);
	assert_int_equal(p.rb.ptr_hits, 2);
	/* Outside the range: not cached, so the rewritten buffer is a new name. */
	same(&p, btf__add_typedef(p.lb, elsewhere, id), rawbtf__add_typedef(&p.rb, elsewhere, id));
	memcpy(elsewhere, "omega", 6);
	same(&p, btf__add_typedef(p.lb, elsewhere, id), rawbtf__add_typedef(&p.rb, elsewhere, id));
	assert_int_equal(p.rb.ptr_calls, 5);
	/* Off again: by content only. */
	rawbtf__cache_ptrs(&p.rb, NULL, NULL, 0);
	same(&p, btf__add_typedef(p.lb, sec + 12, id), rawbtf__add_typedef(&p.rb, sec + 12, id));
	assert_int_equal(p.rb.ptr_calls, 0);
	assert_int_equal(map.cnt, 3);
	u64map__free(&map);
	pair_check_and_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(empty_builder),
		cmocka_unit_test(each_argument),
		cmocka_unit_test(members_values_params),
		cmocka_unit_test(random_sequences),
		cmocka_unit_test(pointer_cache),
		cmocka_unit_test(vlen_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
