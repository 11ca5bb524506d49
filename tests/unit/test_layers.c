// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests: btf_encoder/layers — core and extra layers of one encoding. */
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

#include "btf_encoder/layers.h"
#include "btf_reader/reader.h"

/* An encoding "with all variables": per-CPU and .data variables, a decl tag. */
static struct btf *make_full(struct btf *base)
{
	struct btf *b = base ? btf__new_empty_split(base) : btf__new_empty();
	int i32, st, pv, dv, dv2;

	assert_non_null(b);
	i32 = base ? 1 : btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	st = btf__add_struct(b, "stats", 8);
	btf__add_field(b, "a", i32, 0, 0);
	btf__add_field(b, "b", i32, 32, 0);
	pv = btf__add_var(b, "pcpu_stats", BTF_VAR_GLOBAL_ALLOCATED, st);
	dv = btf__add_var(b, "global_counter", BTF_VAR_GLOBAL_ALLOCATED, i32);
	btf__add_decl_tag(b, "tagged", dv, -1);
	dv2 = btf__add_var(b, "static_stats", BTF_VAR_STATIC, st);
	btf__add_datasec(b, ".data..percpu", 8);
	btf__add_datasec_var_info(b, pv, 0, 8);
	btf__add_datasec(b, ".data", 16);
	btf__add_datasec_var_info(b, dv, 0, 4);
	btf__add_datasec_var_info(b, dv2, 8, 8);
	return b;
}

static void count_kinds(const struct btf *b, uint32_t from, int *vars, int *secs, int *tags)
{
	uint32_t i;

	*vars = *secs = *tags = 0;
	for (i = from; i < btf__type_cnt(b); i++) {
		const struct btf_type *t = btf__type_by_id(b, i);

		*vars += btf_is_var(t);
		*secs += btf_is_datasec(t);
		*tags += btf_is_decl_tag(t);
	}
}

static void split_and_stack(struct btf *base)
{
	struct btf *full = make_full(base), *core, *flat, *extra;
	uint32_t start = base ? btf__type_cnt(base) : 1;
	const void *blobs[3];
	size_t sizes[3];
	const char *names[3] = { "base", "core", "extra" };
	struct btf_chain *chain = NULL;
	int vars, secs, tags, id, n = 0;
	__u32 sz;

	assert_int_equal(layers__split(full, base, &core, &flat, &extra, NULL), 0);
	count_kinds(core, start, &vars, &secs, &tags);
	assert_int_equal(vars, 1);
	assert_int_equal(secs, 1);
	assert_int_equal(tags, 0);
	assert_true(btf__find_by_name_kind(core, "stats", BTF_KIND_STRUCT) > 0);
	count_kinds(extra, btf__type_cnt(core), &vars, &secs, &tags);
	assert_int_equal(vars, 2);
	assert_int_equal(secs, 1);
	assert_int_equal(tags, 1);
	/* Nothing lost, nothing doubled. */
	assert_int_equal(btf__type_cnt(extra) - start, btf__type_cnt(full) - start);
	/* The layers stack: read back as a chain, the extra VAR's type is core's struct. */
	if (base) {
		blobs[n] = btf__raw_data(base, &sz);
		sizes[n++] = sz;
	}
	blobs[n] = btf__raw_data(core, &sz);
	sizes[n++] = sz;
	blobs[n] = btf__raw_data(extra, &sz);
	sizes[n++] = sz;
	assert_int_equal(chain__load_mem(blobs, sizes, names + (base ? 0 : 1), n, NULL, &chain), 0);
	id = btf__find_by_name_kind(chain->flat, "static_stats", BTF_KIND_VAR);
	assert_true(id >= (int)chain->layers[n - 1].start_id);
	assert_string_equal(btf__name_by_offset(chain->flat,
			    btf__type_by_id(chain->flat, btf__type_by_id(chain->flat, id)->type)->name_off),
			    "stats");
	chain__free(chain);
	btf__free(extra);
	btf__free(flat);
	btf__free(core);
	btf__free(full);
}

static void layers_of_a_root(void **state)
{
	split_and_stack(NULL);
}

static void layers_on_a_base(void **state)
{
	struct btf *base = btf__new_empty();

	btf__add_int(base, "int", 4, BTF_INT_SIGNED);
	split_and_stack(base);
	btf__free(base);
}

static void no_extra_variables(void **state)
{
	struct btf *full = btf__new_empty(), *core, *flat, *extra;

	btf__add_int(full, "int", 4, BTF_INT_SIGNED);
	assert_int_equal(layers__split(full, NULL, &core, &flat, &extra, NULL), 0);
	assert_int_equal(btf__type_cnt(core), 2);
	assert_int_equal(btf__type_cnt(extra), 2);	/* empty layer on top */
	btf__free(extra);
	btf__free(flat);
	btf__free(core);
	btf__free(full);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(layers_of_a_root),
		cmocka_unit_test(layers_on_a_base),
		cmocka_unit_test(no_extra_variables),
	};

	return cmocka_run_group_tests_name("layers", tests, NULL, NULL);
}
