// SPDX-License-Identifier: GPL-2.0-only
/*
 * kload: offer BTF to the running kernel (BPF_BTF_LOAD) and report its verdict.
 * Usage: kload FILE [BASE...]   (bases root first; the chain is concatenated)
 *        kload --probe          (only whether this user may offer BTF at all)
 * Exit: 0 accepted (--probe: permitted), 1 rejected (kernel log printed), 77 cannot
 * try here (not permitted, no BPF), 2 bad usage or unreadable input. Permission is
 * asked first, so an unreadable FILE where the kernel cannot be asked is 77, not 2.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "btf_reader/reader.h"
#include "util/diag.h"

/*
 * libbpf prints the kernel's verifier log at warning level: keep that, but held until
 * the verdict is known. Where the kernel does not let us ask, libbpf's "BTF loading
 * error: -1" only repeats the one line kload prints, so it is dropped then.
 */
static FILE *held;

static int hold_warnings(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level != LIBBPF_WARN)
		return 0;
	return vfprintf(held ? held : stderr, fmt, ap);
}

static int not_permitted(int e)
{
	return e == EPERM || e == ENOSYS || e == EACCES;
}

/* The line of exit 77: why the kernel cannot be asked here, and what would let it. */
static int refused(int e)
{
	fprintf(stderr, "kload: kernel refuses BPF_BTF_LOAD here (%s%s)\n", strerror(e),
		e == ENOSYS ? "" : ": needs root or CAP_BPF");
	return 77;
}

/* 0 if this process may load BTF, else the positive errno of the smallest load's refusal. */
static int probe(void)
{
	struct btf *btf = btf__new_empty();
	const void *raw;
	__u32 size;
	int fd, e = 0;

	if (!btf || btf__add_int(btf, "int", 4, BTF_INT_SIGNED) < 0) {
		btf__free(btf);
		return ENOMEM;
	}
	raw = btf__raw_data(btf, &size);
	fd = raw ? bpf_btf_load(raw, size, NULL) : -ENOMEM;
	if (fd < 0)
		e = -fd;
	else
		close(fd);
	btf__free(btf);
	return e;
}

int main(int argc, char **argv)
{
	struct diag diag = { .max_level = DIAG_WARN, .prog = "kload" };
	const char **paths;
	struct btf_chain *chain = NULL;
	char *held_text = NULL;
	size_t held_size = 0;
	int i, n = argc - 1, err, e;

	if (argc < 2) {
		fprintf(stderr, "usage: kload FILE [BASE...] | kload --probe\n");
		return 2;
	}
	e = probe();
	if (e && not_permitted(e))
		return refused(e);
	if (e && !strcmp(argv[1], "--probe")) {
		fprintf(stderr, "kload: the smallest BTF is rejected: %s\n", strerror(e));
		return 1;
	}
	if (!strcmp(argv[1], "--probe"))
		return 0;
	held = open_memstream(&held_text, &held_size);
	libbpf_set_print(hold_warnings);
	paths = calloc(n, sizeof(*paths));
	for (i = 0; i < n - 1; i++)
		paths[i] = argv[i + 2];
	paths[n - 1] = argv[1];
	err = chain__load(paths, n, &diag, &chain);
	free(paths);
	e = err ? 0 : -btf__load_into_kernel(chain->flat);
	if (held)
		fclose(held);
	held = NULL;
	if (held_text && !not_permitted(e))
		fputs(held_text, stderr);
	free(held_text);
	chain__free(chain);
	if (err)
		return 2;
	if (not_permitted(e))
		return refused(e);
	if (e) {
		fprintf(stderr, "kload: %s: rejected by the kernel: %s\n", argv[1], strerror(e));
		return 1;
	}
	return 0;
}
