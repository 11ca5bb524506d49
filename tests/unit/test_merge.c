// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests: btf_encoder/merge (the ordered merge, design note in merge.c) on chunk
 * results built here with libbpf: type IDs remapped chunk after chunk, the bytes the same
 * whether the merge copies through libbpf or appends raw records, a FUNC whose name an
 * earlier chunk took dropped with its prototype and DECL_TAGs (func_select.h A5, A6),
 * held candidates (B5), per-CPU entries, and chunks the merge refuses.
 * test_encoder.c checks the whole pipeline gives the same bytes for every -j.
 */
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

#include "btf_encoder/chunk.h"
#include "btf_encoder/func_select.h"
#include "btf_encoder/merge.h"
#include "btf_encoder/symbols.h"
#include "btf_encoder/vars.h"

struct captured {
	char last[256];
	int n;
};

static void capture(void *ctx, enum diag_level level, const char *line)
{
	struct captured *c = ctx;

	snprintf(c->last, sizeof(c->last), "%s", line);
	c->n++;
}

static struct captured cap;
static const struct diag test_diag = { .emit = capture, .ctx = &cap, .max_level = DIAG_INFO };
static const struct symidx no_syms;

/* A chunk result around @btf, as a worker leaves it: every string one the units gave. */
static void chunk_init(struct chunk_out *c, struct btf *btf)
{
	uint32_t size;
	const struct btf_header *h;

	memset(c, 0, sizeof(*c));
	c->btf = btf;
	h = btf__raw_data(btf, &size);
	assert_non_null(h);
	c->strs_units = h->str_len;
}

static void chunk_free(struct chunk_out *c)
{
	btf__free(c->btf);
	free(c->vsi);
	free(c->fn_facts);
	memset(c, 0, sizeof(*c));
}

/* Chunk A: int (1), int * (2), struct s { int a; int *p; } (3). */
static struct btf *chunk_a(void)
{
	struct btf *b = btf__new_empty();

	assert_non_null(b);
	assert_int_equal(btf__add_int(b, "int", 4, BTF_INT_SIGNED), 1);
	assert_int_equal(btf__add_ptr(b, 1), 2);
	assert_int_equal(btf__add_struct(b, "s", 16), 3);
	assert_int_equal(btf__add_field(b, "a", 1, 0, 0), 0);
	assert_int_equal(btf__add_field(b, "p", 2, 64, 0), 0);
	return b;
}

/* Chunk B: long (1), long * (2), typedef lp -> 2 (3). */
static struct btf *chunk_b(void)
{
	struct btf *b = btf__new_empty();

	assert_non_null(b);
	assert_int_equal(btf__add_int(b, "long", 8, BTF_INT_SIGNED), 1);
	assert_int_equal(btf__add_ptr(b, 1), 2);
	assert_int_equal(btf__add_typedef(b, "lp", 2), 3);
	return b;
}

/* A merger as encoder__encode_with() makes one; @raw: several chunks (raw_mode). */
static void merger_init(struct merger *m, int raw)
{
	memset(m, 0, sizeof(*m));
	m->btf = btf__new_empty();
	assert_non_null(m->btf);
	if (raw) {
		m->raw_mode = 1;
		assert_int_equal(rawbtf__init(&m->raw), 0);
	}
}

static int add(struct merger *m, struct btf *btf)
{
	struct chunk_out c;
	int err;

	chunk_init(&c, btf);
	err = merger__add(m, &c, &no_syms, &test_diag, "test.o");
	chunk_free(&c);
	return err;
}

/* The merged BTF's bytes (a copy), after merger__finish_raw(). */
static void *merged_bytes(struct merger *m, uint32_t *size)
{
	const void *raw;
	void *copy;

	assert_int_equal(merger__finish_raw(m), 0);
	raw = btf__raw_data(m->btf, size);
	assert_non_null(raw);
	copy = malloc(*size);
	assert_non_null(copy);
	memcpy(copy, raw, *size);
	return copy;
}

static void merger_done(struct merger *m)
{
	btf__free(m->btf);
	merger__free(m);
}

static const char *name_of(const struct btf *b, uint32_t id)
{
	return btf__name_by_offset(b, btf__type_by_id(b, id)->name_off);
}

static void ids_follow_chunk_order(void **state)
{
	void *bytes[2];
	uint32_t size[2];
	int raw;

	for (raw = 0; raw < 2; raw++) {
		struct merger m;
		const struct btf_type *t;

		merger_init(&m, raw);
		assert_int_equal(add(&m, chunk_a()), 0);
		assert_int_equal(add(&m, chunk_b()), 0);
		bytes[raw] = merged_bytes(&m, &size[raw]);
		/* A's types keep their IDs, B's follow, their references rewritten. */
		assert_int_equal(btf__type_cnt(m.btf), 7);
		assert_string_equal(name_of(m.btf, 1), "int");
		assert_string_equal(name_of(m.btf, 3), "s");
		assert_int_equal(btf_members(btf__type_by_id(m.btf, 3))[1].type, 2);
		assert_string_equal(name_of(m.btf, 4), "long");
		t = btf__type_by_id(m.btf, 5);
		assert_true(btf_is_ptr(t));
		assert_int_equal(t->type, 4);
		t = btf__type_by_id(m.btf, 6);
		assert_string_equal(name_of(m.btf, 6), "lp");
		assert_int_equal(t->type, 5);
		merger_done(&m);
	}
	/* Copies through libbpf and raw appends give the same bytes. */
	assert_int_equal(size[0], size[1]);
	assert_memory_equal(bytes[0], bytes[1], size[0]);
	free(bytes[0]);
	free(bytes[1]);
}

static void merged_bytes_depend_on_chunk_order_only(void **state)
{
	struct btf *a1, *b1, *a2, *b2;
	struct merger m1, m2, m3;
	void *x, *y, *z;
	uint32_t sx, sy, sz;

	/* The chunks finish in either order; the merge takes them in chunk order. */
	a1 = chunk_a();
	b1 = chunk_b();
	b2 = chunk_b();
	a2 = chunk_a();
	merger_init(&m1, 1);
	assert_int_equal(add(&m1, a1), 0);
	assert_int_equal(add(&m1, b1), 0);
	x = merged_bytes(&m1, &sx);
	merger_init(&m2, 1);
	assert_int_equal(add(&m2, a2), 0);
	assert_int_equal(add(&m2, b2), 0);
	y = merged_bytes(&m2, &sy);
	assert_int_equal(sx, sy);
	assert_memory_equal(x, y, sx);
	/* Another chunk order is another output: the order is what fixes the bytes. */
	merger_init(&m3, 1);
	assert_int_equal(add(&m3, chunk_b()), 0);
	assert_int_equal(add(&m3, chunk_a()), 0);
	z = merged_bytes(&m3, &sz);
	assert_string_equal(name_of(m3.btf, 1), "long");
	assert_true(sz != sx || memcmp(x, z, sx));
	free(x);
	free(y);
	free(z);
	merger_done(&m1);
	merger_done(&m2);
	merger_done(&m3);
}

/*
 * int (1), proto int(int @param) (2), FUNC @fn (3), DECL_TAG "tag" on it (4); with @other,
 * FUNC @other (5) of its own prototype int(void) (6), and a VAR (7) when @var.
 */
static struct btf *chunk_funcs_p(const char *fn, const char *param, const char *other, int var)
{
	struct btf *b = btf__new_empty();

	assert_non_null(b);
	assert_int_equal(btf__add_int(b, "int", 4, BTF_INT_SIGNED), 1);
	assert_int_equal(btf__add_func_proto(b, 1), 2);
	assert_int_equal(btf__add_func_param(b, param, 1), 0);
	assert_int_equal(btf__add_func(b, fn, BTF_FUNC_STATIC, 2), 3);
	assert_int_equal(btf__add_decl_tag(b, "tag", 3, -1), 4);
	if (other) {
		assert_int_equal(btf__add_func(b, other, BTF_FUNC_STATIC, 6), 5);
		assert_int_equal(btf__add_func_proto(b, 1), 6);
	}
	if (var)
		assert_true(btf__add_var(b, "v", BTF_VAR_STATIC, 1) > 0);
	return b;
}

static struct btf *chunk_funcs(const char *fn, const char *other, int var)
{
	return chunk_funcs_p(fn, "x", other, var);
}

/* Whether @s is in @b's string section. */
static int has_str(const struct btf *b, const char *s)
{
	const struct btf_header *h;
	const char *strs;
	uint32_t size, off;

	h = btf__raw_data(b, &size);
	assert_non_null(h);
	strs = (const char *)h + h->hdr_len + h->str_off;
	for (off = 0; off < h->str_len; off += strlen(strs + off) + 1)
		if (!strcmp(strs + off, s))
			return 1;
	return 0;
}

static int count_kind(const struct btf *b, int kind)
{
	uint32_t i;
	int n = 0;

	for (i = 1; i < btf__type_cnt(b); i++)
		n += btf_kind(btf__type_by_id(b, i)) == kind;
	return n;
}

static void first_chunk_keeps_a_function_name(void **state)
{
	int raw;

	for (raw = 0; raw < 2; raw++) {
		struct merger m;

		merger_init(&m, raw);
		assert_int_equal(add(&m, chunk_funcs("foo", NULL, 0)), 0);
		/* A5: foo again is dropped with its DECL_TAG, A6: and its prototype; bar stays. */
		assert_int_equal(add(&m, chunk_funcs_p("foo", "only_dropped", "bar", 0)), 0);
		assert_int_equal(merger__finish_raw(&m), 0);
		/* pahole never wrote the dropped records, so never their strings. */
		assert_false(has_str(m.btf, "only_dropped"));
		assert_true(has_str(m.btf, "bar"));
		assert_int_equal(m.funcs_dropped, 1);
		assert_int_equal(count_kind(m.btf, BTF_KIND_FUNC), 2);
		assert_int_equal(count_kind(m.btf, BTF_KIND_DECL_TAG), 1);
		assert_int_equal(count_kind(m.btf, BTF_KIND_FUNC_PROTO), 2);
		/* chunk 2's kept types: int (5), bar (6), its prototype (7) */
		assert_int_equal(btf__type_cnt(m.btf), 8);
		assert_string_equal(name_of(m.btf, 6), "bar");
		assert_int_equal(btf__type_by_id(m.btf, 6)->type, 7);
		assert_int_equal(btf__type_by_id(m.btf, 7)->type, 5);
		assert_int_equal(btf_params(btf__type_by_id(m.btf, 2))[0].type, 1);
		assert_int_equal(m.func_names.cnt, 2);
		merger_done(&m);
	}
}

/*
 * What the function rules do after the last chunk, on the merged records themselves
 * (merger__index_raw()) and on libbpf's object of them (merger__finish_raw() first):
 * the same lookups, the same IDs and errors, the same bytes.
 */
static void after_the_last_chunk_records_or_libbpf(void **state)
{
	struct merger m[2];
	void *bytes[2];
	uint32_t size[2];
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		const struct btf_type *t;
		int proto, id, i;

		merger_init(&m[k], 1);
		assert_int_equal(add(&m[k], chunk_a()), 0);
		assert_int_equal(add(&m[k], chunk_b()), 0);
		assert_int_equal(k ? merger__finish_raw(&m[k]) : merger__index_raw(&m[k]), 0);
		assert_int_equal(m[k].raw_mode, !k);
		/* Merged: int (1), int * (2), struct s (3), long (4), long * (5), lp (6). */
		t = merger__type_by_id(&m[k], 3);
		assert_non_null(t);
		assert_true(btf_is_struct(t));
		assert_string_equal(merger__name_by_offset(&m[k], btf_members(t)[1].name_off), "p");
		t = merger__type_by_id(&m[k], 6);
		assert_string_equal(merger__name_by_offset(&m[k], t->name_off), "lp");
		assert_int_equal(btf_kind(merger__type_by_id(&m[k], 0)), BTF_KIND_UNKN);
		assert_null(merger__type_by_id(&m[k], 7));
		/* An arena kfunc's pointer: TYPE_TAG with kind_flag, PTR to it; then its FUNC. */
		assert_int_equal(merger__add_type_tag(&m[k], "address_space(1)", 1), 7);
		merger__last(&m[k])->info |= 1u << 31;
		assert_int_equal(merger__add_ptr(&m[k], 7), 8);
		proto = merger__add_func_proto(&m[k], 8);
		assert_int_equal(proto, 9);
		assert_int_equal(merger__add_func_param(&m[k], "x", 5), 0);
		assert_int_equal(merger__add_func_param(&m[k], "p", 2), 0);
		id = merger__add_func(&m[k], "kf", BTF_FUNC_STATIC, proto);
		assert_int_equal(id, 10);
		assert_int_equal(merger__add_decl_tag(&m[k], "bpf_kfunc", id, -1), 11);
		assert_int_equal(merger__add_decl_tag(&m[k], "int", id, 0), 12);
		assert_int_equal(merger__add_func_param(&m[k], "late", 1), -EINVAL);
		assert_int_equal(merger__add_decl_tag(&m[k], "", id, -1), -EINVAL);
		assert_true(btf_kflag(merger__type_by_id(&m[k], 7)));
		assert_int_equal(btf_vlen(merger__type_by_id(&m[k], 9)), 2);
		/* The variables': sizes through typedefs and pointers (8 bytes), then a DATASEC. */
		assert_int_equal(merger__resolve_size(&m[k], 3, 8), 16);
		assert_int_equal(merger__resolve_size(&m[k], 6, 8), 8);
		assert_int_equal(merger__resolve_size(&m[k], 0, 4), -EINVAL);
		assert_int_equal(merger__resolve_size(&m[k], 10, 4), -EINVAL);
		assert_int_equal(merger__resolve_size(&m[k], 99, 4), -EINVAL);
		assert_int_equal(merger__add_var(&m[k], "v", BTF_VAR_GLOBAL_ALLOCATED, 6), 13);
		assert_int_equal(merger__resolve_size(&m[k], 13, 8), 8);
		assert_int_equal(merger__add_datasec(&m[k], ".data", 64), 14);
		assert_int_equal(merger__add_datasec_var_info(&m[k], 13, 8, 8), 0);
		assert_int_equal(merger__add_datasec_var_info(&m[k], 13, 16, 8), 0);
		assert_int_equal(merger__resolve_size(&m[k], 14, 4), 64);
		/* libbpf's limits: 2^28 structs of 16 bytes, 16 of those; 32 steps at most. */
		id = k ? btf__add_array(m[k].btf, 1, 3, 1u << 28) :
			 rawbtf__add_array(&m[k].raw, 1, 3, 1u << 28);
		assert_int_equal(merger__resolve_size(&m[k], (uint32_t)id, 8), -E2BIG);
		id = k ? btf__add_array(m[k].btf, 1, id, 16) :
			 rawbtf__add_array(&m[k].raw, 1, id, 16);
		assert_int_equal(merger__resolve_size(&m[k], (uint32_t)id, 8), -E2BIG);
		for (id = 1, i = 0; i < 32; i++) {
			id = k ? btf__add_const(m[k].btf, id) : rawbtf__add_const(&m[k].raw, id);
			assert_int_equal(merger__resolve_size(&m[k], (uint32_t)id, 8),
					 i < 31 ? 4 : -EINVAL);
		}
		if (!k)
			assert_int_equal(merger__finish_raw(&m[k]), 0);
		bytes[k] = merged_bytes(&m[k], &size[k]);
	}
	assert_int_equal(size[0], size[1]);
	assert_memory_equal(bytes[0], bytes[1], size[0]);
	for (k = 0; k < 2; k++) {
		free(bytes[k]);
		merger_done(&m[k]);
	}
}

/*
 * A pointer's size is the input's on both paths, whatever a type named like long says
 * (libbpf guesses from it on an object made from bytes, takes the host's on one made
 * empty: one chunk and several disagreed on a 32-bit input).
 */
static void pointer_size_is_the_inputs(void **state)
{
	int raw;

	(void)state;
	for (raw = 0; raw < 2; raw++) {
		struct merger m;

		merger_init(&m, 1);
		assert_int_equal(add(&m, chunk_a()), 0);
		assert_int_equal(add(&m, chunk_b()), 0);	/* long: 8 bytes */
		assert_int_equal(raw ? merger__index_raw(&m) : merger__finish_raw(&m), 0);
		assert_int_equal(merger__resolve_size(&m, 2, 4), 4);
		assert_int_equal(merger__resolve_size(&m, 6, 4), 4);
		assert_int_equal(merger__resolve_size(&m, 5, 8), 8);
		assert_int_equal(merger__resolve_size(&m, 3, 4), 16);
		merger_done(&m);
	}
}

static void held_candidates_keep_their_facts(void **state)
{
	struct fn_facts facts[2] = { { .flags = FN_OPTIMIZED }, { .flags = FN_AT_SYMBOL,
								  .clone_sym = 7 } };
	struct merger m;
	struct chunk_out c;
	const struct fn_state *st;

	merger_init(&m, 1);
	m.func_rules = 1;
	chunk_init(&c, chunk_funcs("foo", NULL, 0));
	c.fn_facts = malloc(sizeof(facts));
	assert_non_null(c.fn_facts);
	memcpy(c.fn_facts, facts, sizeof(facts));
	c.nfn_facts = 1;
	assert_int_equal(merger__add(&m, &c, &no_syms, &test_diag, "test.o"), 0);
	chunk_free(&c);
	/* B5: a second chunk's foo is held too (no first-chunk rule); its int is ID 2. */
	chunk_init(&c, chunk_funcs("foo", NULL, 0));
	c.fn_facts = malloc(sizeof(facts));
	assert_non_null(c.fn_facts);
	memcpy(c.fn_facts, &facts[1], sizeof(facts[1]));
	c.nfn_facts = 1;
	assert_int_equal(merger__add(&m, &c, &no_syms, &test_diag, "test.o"), 0);
	chunk_free(&c);
	assert_int_equal(merger__finish_raw(&m), 0);
	/* Neither FUNC, prototype nor DECL_TAG is copied: only the two ints. */
	assert_int_equal(btf__type_cnt(m.btf), 3);
	assert_int_equal(m.nfstates, 2);
	st = &m.fstates[0];
	assert_string_equal(st->name, "foo");
	assert_int_equal(st->flags, FN_OPTIMIZED);
	assert_int_equal(st->ret, 1);
	assert_int_equal(st->nparams, 1);
	assert_int_equal(m.fparams[st->params].type, 1);
	assert_string_equal(m.fname_pool + m.fparams[st->params].name, "x");
	assert_int_equal(st->ntags, 1);
	assert_string_equal(m.ftags[st->tags].value, "tag");
	assert_int_equal(m.ftags[st->tags].component, -1);
	st = &m.fstates[1];
	assert_int_equal(st->flags, FN_AT_SYMBOL);
	assert_int_equal(st->clone_sym, 7);
	assert_int_equal(st->ret, 2);
	assert_int_equal(m.fparams[st->params].type, 2);
	assert_true(m.fstates[0].order < m.fstates[1].order);
	merger_done(&m);
}

static void percpu_entries_get_final_ids(void **state)
{
	struct merger m;
	struct chunk_out c;
	int raw;

	for (raw = 0; raw < 2; raw++) {
		merger_init(&m, raw);
		chunk_init(&c, chunk_funcs("foo", NULL, 1));	/* VAR v is ID 5 */
		c.vars = 1;
		assert_int_equal(vec__push_slot(&c.vsi, &c.vsi_cap, 0), 0);
		c.vsi[0] = (struct secinfo){ .var_ord = 0, .offset = 16, .size = 4 };
		c.nvsi = 1;
		assert_int_equal(merger__add(&m, &c, &no_syms, &test_diag, "test.o"), 0);
		chunk_free(&c);
		/* foo is dropped in the second chunk: its VAR moves up from 5 to 7. */
		chunk_init(&c, chunk_funcs("foo", NULL, 1));
		c.vars = 1;
		assert_int_equal(vec__push_slot(&c.vsi, &c.vsi_cap, 0), 0);
		c.vsi[0] = (struct secinfo){ .var_ord = 0, .offset = 0, .size = 4 };
		c.nvsi = 1;
		assert_int_equal(merger__add(&m, &c, &no_syms, &test_diag, "test.o"), 0);
		chunk_free(&c);
		assert_int_equal(merger__finish_raw(&m), 0);
		assert_int_equal(m.nvsi, 2);
		assert_int_equal(m.vsi[0].type, 5);
		assert_int_equal(m.vsi[0].offset, 16);
		assert_int_equal(m.vsi[1].type, 7);
		assert_true(btf_is_var(btf__type_by_id(m.btf, 7)));
		merger_done(&m);
	}
}

static void refused_chunks(void **state)
{
	struct fn_facts facts = { 0 };
	struct merger m;
	struct chunk_out c;
	struct btf *b;
	int raw;

	for (raw = 0; raw < 2; raw++) {
		/* A reference past the chunk's types: -EFAULT, said, nothing leaks. */
		merger_init(&m, raw);
		assert_int_equal(add(&m, chunk_a()), 0);
		b = chunk_b();
		assert_int_equal(btf__add_ptr(b, 42), 4);
		memset(&cap, 0, sizeof(cap));
		assert_int_equal(add(&m, b), -EFAULT);
		assert_non_null(strstr(cap.last, "test.o: merging type 4: reference to a dropped "
					"type"));
		merger_done(&m);
	}

	/* A per-CPU entry that names no VAR of its chunk. */
	merger_init(&m, 0);
	chunk_init(&c, chunk_a());
	assert_int_equal(vec__push_slot(&c.vsi, &c.vsi_cap, 0), 0);
	c.vsi[0] = (struct secinfo){ .var_ord = 0, .offset = 0, .size = 4 };
	c.nvsi = 1;
	assert_int_equal(merger__add(&m, &c, &no_syms, &test_diag, "test.o"), -EFAULT);
	chunk_free(&c);
	merger_done(&m);

	/* B5: a chunk whose candidates and flags differ in number. */
	merger_init(&m, 1);
	m.func_rules = 1;
	chunk_init(&c, chunk_funcs("foo", "bar", 0));
	c.fn_facts = malloc(sizeof(facts));
	assert_non_null(c.fn_facts);
	c.nfn_facts = 1;	/* two FUNCs */
	memset(&cap, 0, sizeof(cap));
	assert_int_equal(merger__add(&m, &c, &no_syms, &test_diag, "test.o"), -EFAULT);
	assert_non_null(strstr(cap.last, "internal error"));
	chunk_free(&c);
	merger_done(&m);

	/* ... more flags than candidates. */
	merger_init(&m, 1);
	m.func_rules = 1;
	chunk_init(&c, chunk_funcs("foo", NULL, 0));
	c.fn_facts = calloc(2, sizeof(facts));
	assert_non_null(c.fn_facts);
	c.nfn_facts = 2;	/* one FUNC */
	memset(&cap, 0, sizeof(cap));
	assert_int_equal(merger__add(&m, &c, &no_syms, &test_diag, "test.o"), -EFAULT);
	assert_non_null(strstr(cap.last, "internal error"));
	chunk_free(&c);
	merger_done(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ids_follow_chunk_order),
		cmocka_unit_test(merged_bytes_depend_on_chunk_order_only),
		cmocka_unit_test(first_chunk_keeps_a_function_name),
		cmocka_unit_test(held_candidates_keep_their_facts),
		cmocka_unit_test(after_the_last_chunk_records_or_libbpf),
		cmocka_unit_test(pointer_size_is_the_inputs),
		cmocka_unit_test(percpu_entries_get_final_ids),
		cmocka_unit_test(refused_chunks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
