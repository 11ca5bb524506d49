// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests: util/ (growth helper, maps, diagnostics sink, regular files). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/diag.h"
#include "util/file.h"
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

/*
 * file__open_regular(): a regular file is opened; a FIFO (no writer: an open() would
 * wait), a directory and a missing path are not, and say why.
 */
static void open_regular_refuses_the_rest(void **state)
{
	char dir[] = "/tmp/btfenc-test-file-XXXXXX", path[128];
	struct stat st;
	int fd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/reg", dir);
	fd = open(path, O_CREAT | O_WRONLY, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "x", 1), 1);
	close(fd);
	fd = file__open_regular(path, &st);
	assert_true(fd >= 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_size, 1);
	assert_int_equal(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
	close(fd);
	unlink(path);

	snprintf(path, sizeof(path), "%s/fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(file__open_regular(path, &st), -EINVAL);
	assert_true(S_ISFIFO(st.st_mode));
	assert_string_equal(file__strerror(-EINVAL, &st), "not a regular file");
	unlink(path);

	assert_int_equal(file__open_regular(dir, &st), -EINVAL);
	assert_string_equal(file__strerror(-EINVAL, &st), "is a directory");
	snprintf(path, sizeof(path), "%s/missing", dir);
	assert_int_equal(file__open_regular(path, &st), -ENOENT);
	assert_int_equal(st.st_mode, 0);
	assert_string_equal(file__strerror(-ENOENT, &st), strerror(ENOENT));
	/* The system's own EINVAL (a regular file, or no stat at all) is not "not regular". */
	assert_false(file__not_regular(-EINVAL, &st));
	assert_string_equal(file__strerror(-EINVAL, &st), strerror(EINVAL));
	st.st_mode = S_IFREG | 0644;
	assert_string_equal(file__strerror(-EINVAL, &st), strerror(EINVAL));
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reserve_grows_and_keeps),
		cmocka_unit_test(reserve_refuses_overflow),
		cmocka_unit_test(u64map_set_get_clear),
		cmocka_unit_test(strmap_first_wins),
		cmocka_unit_test(diag_filters_by_level),
		cmocka_unit_test(open_regular_refuses_the_rest),
	};

	return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
