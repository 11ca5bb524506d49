// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests: util/ (growth helper, maps, diagnostics sink). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util/diag.h"
#include "util/vec.h"

static void reserve_grows_and_keeps(void **state)
{
	int *arr = NULL;
	size_t cap = 0, i;

	for (i = 0; i < 1000; i++) {
		assert_int_equal(vec__push_slot(&arr, &cap, i), 0);
		arr[i] = (int)i;
	}
	assert_true(cap >= 1000);
	for (i = 0; i < 1000; i++)
		assert_int_equal(arr[i], (int)i);
	free(arr);
}

static void reserve_refuses_overflow(void **state)
{
	char *arr = NULL;
	size_t cap = 0;

	assert_int_equal(vec__reserve((void **)&arr, &cap, SIZE_MAX / 2 + 2, 4), -ENOMEM);
	assert_null(arr);
	assert_int_equal(cap, 0);
}

static void u64map_set_get_clear(void **state)
{
	struct u64map m = {};
	uint32_t v;
	uint64_t k;

	for (k = 0; k < 5000; k++)
		assert_int_equal(u64map__set(&m, k * 7919, (uint32_t)k), 0);
	for (k = 0; k < 5000; k++) {
		assert_true(u64map__get(&m, k * 7919, &v));
		assert_int_equal(v, k);
	}
	assert_false(u64map__get(&m, 3, &v));
	assert_int_equal(u64map__set(&m, 7919, 42), 0);
	assert_true(u64map__get(&m, 7919, &v));
	assert_int_equal(v, 42);
	assert_int_equal(u64map__set(&m, UINT64_MAX, 1), -EINVAL);
	u64map__clear(&m);
	assert_false(u64map__get(&m, 7919, &v));
	u64map__free(&m);
}

static void strmap_first_wins(void **state)
{
	struct strmap m = {};
	char names[300][16];
	uint32_t v;
	int i;

	for (i = 0; i < 300; i++) {
		snprintf(names[i], sizeof(names[i]), "fn_%d", i);
		assert_int_equal(strmap__add(&m, names[i], i), 1);
	}
	assert_int_equal(strmap__add(&m, "fn_7", 99), 0);
	assert_true(strmap__get(&m, "fn_7", &v));
	assert_int_equal(v, 7);
	assert_false(strmap__get(&m, "fn_300", &v));
	strmap__free(&m);
}

struct captured {
	char line[256];
	enum diag_level level;
	int n;
};

static void capture(void *ctx, enum diag_level level, const char *line)
{
	struct captured *c = ctx;

	snprintf(c->line, sizeof(c->line), "%s", line);
	c->level = level;
	c->n++;
}

static void diag_filters_by_level(void **state)
{
	struct captured c = {};
	struct diag d = { .emit = capture, .ctx = &c, .max_level = DIAG_WARN };

	diag__err(&d, "%s: DIE 0x%x: broken\n", "file.o", 0x2a);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.line, "file.o: DIE 0x2a: broken");
	assert_int_equal(c.level, DIAG_ERROR);
	diag__info(&d, "hidden");
	assert_int_equal(c.n, 1);
	d.max_level = DIAG_INFO;
	diag__info(&d, "shown");
	assert_int_equal(c.n, 2);
	assert_string_equal(c.line, "shown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reserve_grows_and_keeps),
		cmocka_unit_test(reserve_refuses_overflow),
		cmocka_unit_test(u64map_set_get_clear),
		cmocka_unit_test(strmap_first_wins),
		cmocka_unit_test(diag_filters_by_level),
	};

	return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
