// SPDX-License-Identifier: GPL-2.0-only
/*
 * bpfrun: loads a BPF object with libbpf (Debian's libbpf 1.1.2, linked statically so that it
 * runs in the check-kbuild initramfs) and runs one of its programs once with
 * BPF_PROG_TEST_RUN. Used inside the booted test kernel: libbpf resolves the object's __ksym
 * externs against the kernel's BTF (/sys/kernel/btf/vmlinux and the module BTF files), the
 * kernel's verifier then checks the program against that BTF.
 *
 * Usage: bpfrun OBJECT PROGRAM
 * Prints "bpfrun: PROGRAM retval N" and exits 0, or prints libbpf's messages and the reason
 * and exits 1 (load refused) or 2 (usage, object unreadable, run failed).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

/* libbpf's warnings and the verifier log it prints on a refused load, on stdout, each line
 * prefixed so that the host can pick them out of the serial log. */
static int print_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char line[1024];
	char *p, *nl;

	if (level == LIBBPF_DEBUG)
		return 0;
	vsnprintf(line, sizeof(line), fmt, ap);
	for (p = line; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl) {
			printf("bpfrun: %s\n", p);
			break;
		}
		*nl = '\0';
		if (*p)
			printf("bpfrun: %s\n", p);
	}
	return 0;
}

int main(int argc, char **argv)
{
	LIBBPF_OPTS(bpf_test_run_opts, run);
	struct bpf_object *obj;
	struct bpf_program *prog;
	int err;

	if (argc != 3) {
		fprintf(stderr, "usage: bpfrun OBJECT PROGRAM\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	libbpf_set_print(print_libbpf);
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj) {
		printf("bpfrun: %s: cannot open: %s\n", argv[1], strerror(errno));
		return 2;
	}
	prog = bpf_object__find_program_by_name(obj, argv[2]);
	if (!prog) {
		printf("bpfrun: %s: no program %s\n", argv[1], argv[2]);
		bpf_object__close(obj);
		return 2;
	}
	err = bpf_object__load(obj);
	if (err) {
		printf("bpfrun: %s: load refused: %s\n", argv[2], strerror(-err));
		bpf_object__close(obj);
		return 1;
	}
	err = bpf_prog_test_run_opts(bpf_program__fd(prog), &run);
	if (err) {
		printf("bpfrun: %s: BPF_PROG_TEST_RUN failed: %s\n", argv[2], strerror(errno));
		bpf_object__close(obj);
		return 2;
	}
	printf("bpfrun: %s retval %d\n", argv[2], (int)run.retval);
	bpf_object__close(obj);
	return 0;
}
