// SPDX-License-Identifier: GPL-2.0-only
/*
 * btfenc: command line entry. Parses options into one config, then calls the
 * library: encode (the default, pahole-compatible) or a subcommand.
 */
#include <errno.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "options.h"
#include "commands.h"

/* The one process-wide setting: libbpf's print hook, routed into our sink. */
static const struct diag *libbpf_sink;

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	diag__vmsg(libbpf_sink, level == LIBBPF_WARN ? DIAG_INFO : DIAG_DEBUG, fmt, ap);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long errors = 0;
	struct diag diag = { .max_level = DIAG_WARN, .prog = "btfenc", .errors = &errors };
	struct btfenc_opts o;
	int err;

	libbpf_sink = &diag;
	libbpf_set_print(libbpf_print);
	/*
	 * Chunk BTFs and dedup arrays come and go on worker threads. Below 4 MB
	 * they are reused from the heap (the trim threshold keeps freed memory
	 * there: refaulting it cost vmlinux 0.4 s of system time); larger ones
	 * are mmapped, so freeing one returns it. A fixed threshold also stops
	 * glibc from raising it after the first free.
	 */
	mallopt(M_MMAP_THRESHOLD, 4 << 20);
	mallopt(M_TRIM_THRESHOLD, 128 << 20);
	/*
	 * One arena for every thread. malloc_trim() (btf_encoder/encoder.c, after
	 * the workers) gives back the free pages of every arena but the top of a
	 * thread's own, which the trim threshold keeps: Debian's radeon.ko then
	 * held 13 MB of free worker arenas through the final deduplication. A run
	 * makes a few thousand allocations (the loader reuses its records), so the
	 * threads seldom wait on the lock: a single module takes the same time, a
	 * batch of 300 small modules about 3 % more for 15 % less peak memory.
	 */
	mallopt(M_ARENA_MAX, 1);
	if (argc > 1 && !strcmp(argv[1], "dump"))
		return cmd_dump(argc - 1, argv + 1, &diag);
	else if (argc > 1 && !strcmp(argv[1], "diff"))
		return cmd_diff(argc - 1, argv + 1, &diag);
	else if (argc > 1 && !strcmp(argv[1], "stats"))
		return cmd_stats(argc - 1, argv + 1, &diag);
	else if (argc > 1 && !strcmp(argv[1], "verify"))
		return cmd_verify(argc - 1, argv + 1, &diag);
	err = options__parse(argc, argv, &o);
	if (err) {
		options__free(&o);
		return 64;	/* pahole's (argp's) status for usage errors */
	}
	if (o.verbose)
		diag.max_level = o.verbose > 1 ? DIAG_DEBUG : DIAG_INFO;
	if (o.show_help) {
		options__help(stdout);
		err = 0;
	} else if (o.show_version) {
		printf("v%d.%d\n", options__pahole_version(&o) / 100, options__pahole_version(&o) % 100);
		err = 0;
	} else if (o.show_numeric_version) {
		printf("%d\n", options__pahole_version(&o));
		err = 0;
	} else if (o.show_supported) {
		options__supported_features(stdout);
		err = 0;
	} else {
		err = cmd_encode(&o, &diag);
	}
	options__free(&o);
	return err ? 1 : 0;
}
