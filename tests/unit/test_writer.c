// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests: btf_encoder/writer's committer (outputs fsynced and committed on its thread) and
 * precopy (-J on a relocatable object over a copy made beside the encoding).
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <bpf/btf.h>

#include "btf_encoder/writer.h"

struct seen {
	int errors;
	char last[512];
};

static void capture(void *ctx, enum diag_level level, const char *line)
{
	struct seen *s = ctx;

	if (level == DIAG_ERROR)
		__atomic_add_fetch(&s->errors, 1, __ATOMIC_RELAXED);
	snprintf(s->last, sizeof(s->last), "%s", line);
}

static char *make_dir(void)
{
	char tmpl[] = "/tmp/btfenc-writer-XXXXXX", *d = mkdtemp(tmpl);

	assert_non_null(d);
	return strdup(d);
}

static void remove_dir(const char *dir)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* The bytes of @path, which must be @size long; freed by the caller. */
static void *read_file(const char *path, size_t size)
{
	struct stat st;
	void *buf;
	int fd = open(path, O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal((size_t)st.st_size, size);
	buf = malloc(size ? size : 1);
	assert_non_null(buf);
	assert_int_equal(read(fd, buf, size), (ssize_t)size);
	close(fd);
	return buf;
}

/* More outputs than the committer holds: every one is in place, whole, after finish(). */
static void commits_every_output(void **state)
{
	struct seen s = { 0 };
	struct diag d = { .emit = capture, .ctx = &s };
	struct writer_committer *c;
	char *dir = make_dir(), path[8][600];
	struct btf *btf[8];
	int i;

	(void)state;
	assert_int_equal(writer_committer__start(2, &c, &d), 0);
	assert_non_null(c);
	for (i = 0; i < 8; i++) {
		btf[i] = btf__new_empty();
		assert_non_null(btf[i]);
		/* Different sizes: each file must hold its own output. */
		assert_true(btf__add_int(btf[i], "int", 1 << (i % 4), BTF_INT_SIGNED) > 0);
		snprintf(path[i], sizeof(path[i]), "%s/out%d.btf", dir, i);
		if (i % 2) {	/* an existing target is replaced */
			FILE *f = fopen(path[i], "w");

			assert_non_null(f);
			fputs("old", f);
			fclose(f);
		}
		assert_int_equal(writer__raw_via(btf[i], path[i], c, &d), 0);
	}
	assert_int_equal(writer_committer__finish(c), 0);
	assert_int_equal(s.errors, 0);
	for (i = 0; i < 8; i++) {
		__u32 size;
		const void *raw = btf__raw_data(btf[i], &size);
		void *got = read_file(path[i], size);

		assert_memory_equal(got, raw, size);
		free(got);
		btf__free(btf[i]);
	}
	remove_dir(dir);
	free(dir);
}

/*
 * A commit that fails on the committer's thread (the target's directory is gone): one
 * message naming the output, finish() returns the error, the outputs after it still go in.
 */
static void a_failed_commit_is_reported(void **state)
{
	struct seen s = { 0 };
	struct diag d = { .emit = capture, .ctx = &s };
	struct writer_committer *c;
	struct writer_staged st = WRITER_STAGED_INIT;
	char *dir = make_dir(), good[600];
	struct btf *btf = btf__new_empty();
	__u32 size;
	const void *raw;
	void *got;

	(void)state;
	assert_int_equal(writer_committer__start(1, &c, &d), 0);
	assert_non_null(c);
	assert_non_null(btf);
	assert_true(btf__add_int(btf, "long", 8, BTF_INT_SIGNED) > 0);
	/* Staged by hand: an unnamed file in @dir, to be linked where no directory is. */
	st.fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (st.fd < 0) {
		remove_dir(dir);
		free(dir);
		btf__free(btf);
		writer_committer__finish(c);
		skip();	/* the filesystem of /tmp has no O_TMPFILE */
	}
	assert_int_equal(write(st.fd, "x", 1), 1);
	st.path = "lost.btf";
	snprintf(st.target, sizeof(st.target), "%s/no-such-dir/lost.btf", dir);
	st.unsealed = 1;
	writer_committer__push(c, &st);
	assert_int_equal(st.fd, -1);	/* handed over */
	snprintf(good, sizeof(good), "%s/good.btf", dir);
	assert_int_equal(writer__raw_via(btf, good, c, &d), 0);
	assert_int_equal(writer_committer__finish(c), -ENOENT);
	assert_int_equal(s.errors, 1);
	assert_non_null(strstr(s.last, "lost.btf: cannot write"));
	raw = btf__raw_data(btf, &size);
	got = read_file(good, size);
	assert_memory_equal(got, raw, size);
	free(got);
	btf__free(btf);
	remove_dir(dir);
	free(dir);
}

/* A copy of the relocatable object tests/data/distill/distill_mod.o at @path. */
static void copy_object(const char *path)
{
	char cmd[700];

	snprintf(cmd, sizeof(cmd), "cp tests/data/distill/distill_mod.o '%s'", path);
	assert_int_equal(system(cmd), 0);
}

/* The byte at @off of @path inverted, and its modification time a minute later. */
static void flip_byte(const char *path, off_t off)
{
	struct timespec t[2] = { { 0, UTIME_OMIT } };
	struct stat st;
	unsigned char c;
	int fd = open(path, O_RDWR);

	assert_true(fd >= 0);
	assert_int_equal(pread(fd, &c, 1, off), 1);
	c = (unsigned char)~c;
	assert_int_equal(pwrite(fd, &c, 1, off), 1);
	assert_int_equal(fstat(fd, &st), 0);
	t[1] = st.st_mtim;
	t[1].tv_sec += 60;
	assert_int_equal(futimens(fd, t), 0);
	close(fd);
}

static void *whole_file(const char *path, size_t *size)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	*size = (size_t)st.st_size;
	return read_file(path, *size);
}

/*
 * -J over a precopy gives writer__elf()'s bytes; and when the object changed after the
 * copy began, the copy is dropped and the object as it is now is written.
 */
static void precopy_gives_the_same_bytes(void **state)
{
	struct seen s = { 0 };
	struct diag d = { .emit = capture, .ctx = &s };
	char *dir = make_dir(), ref[600], pre[600];
	struct btf *btf = btf__new_empty();
	struct writer_precopy *pc;
	size_t n1, n2;
	void *a, *b;

	(void)state;
	assert_non_null(btf);
	assert_true(btf__add_int(btf, "int", 4, BTF_INT_SIGNED) > 0);
	snprintf(ref, sizeof(ref), "%s/ref.o", dir);
	snprintf(pre, sizeof(pre), "%s/pre.o", dir);
	copy_object(ref);
	copy_object(pre);
	assert_int_equal(writer__elf(btf, ref, NULL, &d), 0);
	assert_int_equal(writer__precopy_start(pre, 0, &pc, &d), 0);
	assert_non_null(pc);
	assert_int_equal(writer__elf_precopied(btf, pre, NULL, pc, &d), 0);
	a = whole_file(ref, &n1);
	b = whole_file(pre, &n2);
	assert_int_equal(n1, n2);
	assert_memory_equal(a, b, n1);
	free(b);

	/*
	 * Changed after the copy was made, before the write: the first byte of .text (at 64,
	 * copied as it is), the time of the change set apart from the copy's.
	 */
	copy_object(pre);
	assert_int_equal(writer__precopy_start(pre, 0, &pc, &d), 0);
	assert_non_null(pc);
	usleep(200 * 1000);	/* the copy of 7 kB is done by then */
	flip_byte(pre, 64);
	copy_object(ref);
	flip_byte(ref, 64);
	assert_int_equal(writer__elf(btf, ref, NULL, &d), 0);
	assert_int_equal(writer__elf_precopied(btf, pre, NULL, pc, &d), 0);
	free(a);
	a = whole_file(ref, &n1);
	b = whole_file(pre, &n2);
	assert_int_equal(n1, n2);
	assert_memory_equal(a, b, n1);
	assert_int_equal(s.errors, 0);
	free(a);
	free(b);

	/* Its mode changed meanwhile: the output keeps the mode it has now. */
	assert_int_equal(writer__precopy_start(pre, 0, &pc, &d), 0);
	assert_non_null(pc);
	usleep(50 * 1000);	/* a change time apart from the one the precopy saw */
	assert_int_equal(chmod(pre, 0600), 0);
	assert_int_equal(writer__elf_precopied(btf, pre, NULL, pc, &d), 0);
	{
		struct stat st;

		assert_int_equal(stat(pre, &st), 0);
		assert_int_equal(st.st_mode & 07777, 0600);
	}
	btf__free(btf);
	remove_dir(dir);
	free(dir);
}

/* Not started for what writer_rel.c does not edit: here a raw BTF file. */
static void precopy_only_for_relocatable_objects(void **state)
{
	char *dir = make_dir(), path[600];
	struct writer_precopy *pc = (struct writer_precopy *)path;
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/raw.btf", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("not an ELF file, but longer than an ELF header is: 64 bytes and more, more, more", f);
	fclose(f);
	assert_int_equal(writer__precopy_start(path, 0, &pc, NULL), 0);
	assert_null(pc);
	remove_dir(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(commits_every_output),
		cmocka_unit_test(a_failed_commit_is_reported),
		cmocka_unit_test(precopy_gives_the_same_bytes),
		cmocka_unit_test(precopy_only_for_relocatable_objects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
