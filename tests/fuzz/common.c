// SPDX-License-Identifier: GPL-2.0-only
/* common: the sinks, the memfd and the inspection walk the fuzz harnesses share (fuzz.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "fuzz.h"
#include "btf_reader/reader.h"
#include "inspect/diff.h"
#include "inspect/dump.h"
#include "inspect/input.h"
#include "inspect/stats.h"
#include "inspect/verify.h"
#include "util/diag.h"

#ifndef FUZZ_DATA_DIR
#error "FUZZ_DATA_DIR: the Makefile passes tests/data's absolute path"
#endif

static size_t written;

static ssize_t sink_write(void *cookie, const char *buf, size_t len)
{
	written += len;
	return (ssize_t)len;
}

FILE *fuzz__sink(void)
{
	static FILE *sink;

	if (!sink) {
		sink = fopencookie(NULL, "w", (cookie_io_functions_t){ .write = sink_write });
		if (!sink)
			abort();
	}
	return sink;
}

static void diag_count(void *ctx, enum diag_level level, const char *line)
{
	written += strlen(line) + 1;
}

const struct diag *fuzz__diag(void)
{
	static const struct diag d = { .emit = diag_count, .max_level = DIAG_DEBUG };

	return &d;
}

/*
 * libbpf's messages (btf_dump's "unexpected type in decl chain", ...), which
 * btfenc routes into its diag (cli/main.c): counted the same way, not printed
 * (libbpf's default hook writes them to stderr, 1,300 lines in a 10-minute
 * run of fuzz_split, uncounted).
 */
static int libbpf_count(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	int n = vsnprintf(NULL, 0, fmt, ap);

	if (n > 0)
		written += (size_t)n;
	return 0;
}

__attribute__((constructor)) static void fuzz__libbpf_print(void)
{
	libbpf_set_print(libbpf_count);
}

void fuzz__begin(void)
{
	fflush(fuzz__sink());
	written = 0;
}

void fuzz__end(const char *what, size_t in_size)
{
	fflush(fuzz__sink());
	if (written > FUZZ_OUT_LIMIT(in_size)) {
		fprintf(stderr, "fuzz: %s wrote %zu bytes for an input of %zu (limit %zu)\n",
			what, written, in_size, FUZZ_OUT_LIMIT(in_size));
		abort();
	}
}

const char *fuzz__file(const void *data, size_t size)
{
	static char path[64];
	static int fd = -1;

	if (fd < 0) {
		fd = memfd_create("fuzz-input", 0);
		if (fd < 0) {
			perror("fuzz: memfd_create");
			abort();
		}
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) || (size && pwrite(fd, data, size, 0) != (ssize_t)size)) {
		perror("fuzz: memfd");
		abort();
	}
	return path;
}

const char *fuzz__data(const char *name)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s/%s", FUZZ_DATA_DIR, name);
	return path;
}

/* verify: the file read whole, every layer's verdict, what --kernel would be offered. */
static void inspect_verify(const char *path, const struct input_bases *bases, size_t in_size)
{
	const struct diag *d = fuzz__diag();
	struct btf_chain *c = NULL;
	struct input_layers l;
	unsigned int max_kind;
	size_t size;
	void *blob;

	fuzz__begin();
	if (input__read(bases, path, 1, d, &l))
		return;
	verify__layers((const void *const *)l.blobs, l.sizes, (const char *const *)l.names, l.n,
		       d, &c);
	if (c)
		verify__formats_used(c, &max_kind);
	if (!verify__concat((const void *const *)l.blobs, l.sizes, l.n, &blob, &size))
		free(blob);
	chain__free(c);
	input__free_layers(&l);
	fuzz__end("verify", in_size);
}

static void inspect_diff(const struct btf_chain *a, const struct btf_chain *b, size_t in_size)
{
	struct diff_print_opts po = { .name_a = "a", .name_b = "b", .summary = 1, .top = 5 };
	struct btf_diff *d = NULL;

	if (diff__compute(a->flat, a->layers[a->nlayers - 1].start_id, b->flat,
			  b->layers[b->nlayers - 1].start_id, &d))
		return;
	for (po.json = 0; po.json <= 1; po.json++) {
		fuzz__begin();
		diff__print(d, &po, fuzz__sink());
		fuzz__end(po.json ? "diff --json" : "diff", in_size);
	}
	diff__same(d);
	diff__free(d);
}

void fuzz__inspect(const char *path, const struct input_bases *bases,
		   const struct btf_chain *fixed, size_t in_size)
{
	struct layout_opts lo = { .diag = fuzz__diag() };
	struct btf_chain *c = NULL;
	FILE *out = fuzz__sink();
	uint32_t top;

	inspect_verify(path, bases, in_size);
	if (input__load(bases, path, fuzz__diag(), &c))
		return;
	top = c->layers[c->nlayers - 1].start_id;
#define RUN(what, call) do { fuzz__begin(); call; fuzz__end(what, in_size); } while (0)
	RUN("dump --format=canonical", dump__canonical(c->flat, top, out));
	RUN("dump --format=raw", dump__raw(c->flat, top, 0, out));
	RUN("dump --format=raw --json", dump__raw(c->flat, top, 1, out));
	RUN("dump --format=c", dump__c(c->flat, top, "__VMLINUX_H__", out));
	RUN("dump --format=layout", dump__layout(c->flat, top, &lo, out));
	lo.json = 1;
	RUN("dump --format=layout --json", dump__layout(c->flat, top, &lo, out));
	RUN("stats", stats__print(c, 0, out));
	RUN("stats --json", stats__print(c, 1, out));
#undef RUN
	inspect_diff(c, c, in_size);
	if (fixed) {
		inspect_diff(fixed, c, in_size);
		inspect_diff(c, fixed, in_size);
	}
	chain__free(c);
}
