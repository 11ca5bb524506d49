// SPDX-License-Identifier: GPL-2.0-only
/*
 * kload: offer BTF to the running kernel (BPF_BTF_LOAD) and report its verdict.
 * Usage: kload FILE [BASE...]   (bases root first; the chain is concatenated)
 * Exit: 0 accepted, 1 rejected (kernel log printed), 77 cannot try here
 * (not permitted, no BPF), 2 bad usage or unreadable input.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "btf_reader/reader.h"
#include "util/diag.h"

/* libbpf prints the kernel's verifier log at warning level: keep that. */
static int print_warnings(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

int main(int argc, char **argv)
{
	struct diag diag = { .max_level = DIAG_WARN, .prog = "kload" };
	const char **paths;
	struct btf_chain *chain = NULL;
	int i, n = argc - 1, err;

	if (argc < 2) {
		fprintf(stderr, "usage: kload FILE [BASE...]\n");
		return 2;
	}
	libbpf_set_print(print_warnings);
	paths = calloc(n, sizeof(*paths));
	for (i = 0; i < n - 1; i++)
		paths[i] = argv[i + 2];
	paths[n - 1] = argv[1];
	err = chain__load(paths, n, &diag, &chain);
	free(paths);
	if (err)
		return 2;
	err = btf__load_into_kernel(chain->flat);
	if (err) {
		int e = -err;

		if (e == EPERM || e == ENOSYS || e == EACCES) {
			fprintf(stderr, "kload: kernel refuses BPF_BTF_LOAD here (%s)\n", strerror(e));
			chain__free(chain);
			return 77;
		}
		fprintf(stderr, "kload: %s: rejected by the kernel: %s\n", argv[1], strerror(e));
		chain__free(chain);
		return 1;
	}
	chain__free(chain);
	return 0;
}
