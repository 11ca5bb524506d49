// SPDX-License-Identifier: GPL-2.0-only
/* inspect_cmd: btfenc diff, stats and verify — option parsing around inspect/. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>

#include "commands.h"
#include "btf_reader/reader.h"
#include "inspect/diff.h"
#include "inspect/input.h"
#include "inspect/selfcheck.h"
#include "inspect/stats.h"
#include "inspect/verify.h"

/* Options the three commands share. */
enum { OPT_JSON = 'j', OPT_BASE = 'b', OPT_BASE_A = 'A', OPT_BASE_B = 'B', OPT_KERNEL = 'k',
       OPT_HELP = 'h', OPT_TOP = 't', OPT_SUMMARY = 's', OPT_DWARF = 'D' };

static const struct option all_options[] = {
	{ "json", no_argument, NULL, OPT_JSON },
	{ "btf_base", required_argument, NULL, OPT_BASE },
	{ "base-a", required_argument, NULL, OPT_BASE_A },
	{ "base-b", required_argument, NULL, OPT_BASE_B },
	{ "kernel", no_argument, NULL, OPT_KERNEL },
	{ "top", required_argument, NULL, OPT_TOP },
	{ "summary", no_argument, NULL, OPT_SUMMARY },
	{ "dwarf", required_argument, NULL, OPT_DWARF },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

struct inspect_args {
	struct input_bases base, base_a, base_b;
	int json, kernel, help, summary_only;
	unsigned int top;
	const char *files[2];
	const char *dwarf;		/* diff --dwarf=ELF */
	int nfiles;
};

static void free_args(struct inspect_args *a)
{
	input__free_bases(&a->base);
	input__free_bases(&a->base_a);
	input__free_bases(&a->base_b);
}

/* --top=N: a count of names, 0 to 100000. */
static int parse_top(const char *arg, const char *cmd, unsigned int *top,
		     const struct diag *diag)
{
	char *end;
	long n = strtol(arg, &end, 10);

	if (!*arg || *end || n < 0 || n > 100000) {
		diag__err(diag, "%s: --top wants a number from 0 to 100000, not '%s'", cmd, arg);
		return -EINVAL;
	}
	*top = (unsigned int)n;
	return 0;
}

/*
 * Parses the options @allowed (a string of option letters) and @nfiles
 * files. Returns 0, or -EINVAL after a message.
 */
static int parse_args(int argc, char **argv, const char *cmd, const char *allowed, int nfiles,
		      const char *usage, struct inspect_args *a, const struct diag *diag)
{
	int c, err = 0;

	memset(a, 0, sizeof(*a));
	a->top = 5;	/* the summary of two kernels fits a 40-line screen */
	optind = 1;
	opterr = 0;	/* the message goes through @diag */
	while (!err && (c = getopt_long(argc, argv, "h", all_options, NULL)) != -1) {
		if (c == '?' || !strchr(allowed, c)) {
			diag__err(diag, "%s: %s %s", cmd, c == '?' ?
				  "unknown option, or one without its value:" :
				  "option does not apply:", argv[optind - 1]);
			err = -EINVAL;
		} else if (c == OPT_JSON) {
			a->json = 1;
		} else if (c == OPT_KERNEL) {
			a->kernel = 1;
		} else if (c == OPT_HELP) {
			a->help = 1;
		} else if (c == OPT_SUMMARY) {
			a->summary_only = 1;
		} else if (c == OPT_DWARF) {
			a->dwarf = optarg;
		} else if (c == OPT_TOP) {
			err = parse_top(optarg, cmd, &a->top, diag);
		} else {
			err = input__add_bases(c == OPT_BASE ? &a->base : c == OPT_BASE_A ?
					       &a->base_a : &a->base_b, optarg, diag);
		}
	}
	if (a->help) {
		fputs(usage, stdout);
		return 0;
	}
	/* diff: two files; with --dwarf, none or one. */
	if (nfiles == 2 && a->dwarf)
		nfiles = argc - optind > 1 ? 1 : argc - optind;
	if (!err && argc - optind != nfiles) {
		diag__err(diag, "%s: give %s", cmd, nfiles == 1 ? "one BTF file" :
			  nfiles ? "two BTF files" : "at most one BTF file beside --dwarf=ELF");
		err = -EINVAL;
	}
	for (c = 0; !err && c < nfiles; c++)
		a->files[a->nfiles++] = argv[optind + c];
	if (err)
		fputs(usage, stderr);
	return err;
}

int cmd_stats(int argc, char **argv, const struct diag *diag)
{
	static const char usage[] =
		"Usage: btfenc stats [--json] [--btf_base=PATH[,PATH]]... FILE\n";
	struct btf_chain *chain = NULL;
	struct inspect_args a;
	int err;

	if (parse_args(argc, argv, "stats", "jbh", 1, usage, &a, diag)) {
		free_args(&a);
		return 2;
	}
	err = a.help ? 0 : input__load(&a.base, a.files[0], diag, &chain);
	if (err && !diag__errors(diag))
		diag__err(diag, "stats: %s: %s", a.files[0], strerror(-err));
	if (!err && !a.help) {
		err = stats__print(chain, a.json, stdout);
		if (err)
			diag__err(diag, "stats: %s", strerror(-err));
	}
	chain__free(chain);
	free_args(&a);
	return err ? 1 : 0;
}

/*
 * diff --dwarf=ELF [BTF]: the exit status of selfcheck__run(), on BTF (with
 * --btf_base under it) or on the encoding of ELF (split on --btf_base).
 */
static int diff_dwarf(const struct inspect_args *a, const struct diag *diag)
{
	struct selfcheck_opts o = { .diag = diag, .json = a->json };
	struct btf_chain *chain = NULL, *base = NULL;
	unsigned int bugs = 0;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int err = 0;

	if (a->base_a.n || a->base_b.n || a->summary_only) {
		diag__err(diag, "diff: --dwarf takes neither --base-a, --base-b nor --summary");
		return 2;
	}
	o.jobs = cpus > 0 ? (int)cpus : 1;
	if (a->nfiles)
		err = input__load(&a->base, a->files[0], diag, &chain);
	else if (a->base.n) {
		/* The base chain alone: its last layer as the file, the ones before as bases. */
		struct input_bases below = { .paths = a->base.paths, .n = a->base.n - 1 };

		err = input__load(&below, a->base.paths[a->base.n - 1], diag, &base);
	}
	if (err)
		return 2;
	o.btf = chain ? chain->flat : NULL;
	o.base = base ? base->flat : NULL;
	err = selfcheck__run(a->dwarf, &o, stdout, &bugs);
	chain__free(chain);
	chain__free(base);
	if (err == -EIO || err == -ENOMEM)
		diag__err(diag, "diff: %s", strerror(-err));
	return err ? 2 : bugs ? 1 : 0;
}

int cmd_diff(int argc, char **argv, const struct diag *diag)
{
	static const char usage[] =
		"Usage: btfenc diff [--json] [--summary] [--top=N] [--btf_base=PATH[,PATH]]...\n"
		"                   [--base-a=PATH[,PATH]]... [--base-b=PATH[,PATH]]... A B\n"
		"       btfenc diff [--json] --dwarf=ELF [--btf_base=PATH[,PATH]]... [BTF]\n"
		"Exit status: 0 same, 1 different, 2 error.\n";
	struct btf_chain *ca = NULL, *cb = NULL;
	struct btf_diff *d = NULL;
	struct diff_print_opts po;
	struct inspect_args a;
	int err;

	if (parse_args(argc, argv, "diff", "jbABhtsD", 2, usage, &a, diag)) {
		free_args(&a);
		return 2;
	}
	if (a.help || a.dwarf) {
		err = a.help ? 0 : diff_dwarf(&a, diag);
		free_args(&a);
		return err;
	}
	/* --base-a/--base-b, where given, replace --btf_base for their side. */
	err = input__load(a.base_a.n ? &a.base_a : &a.base, a.files[0], diag, &ca);
	if (!err)
		err = input__load(a.base_b.n ? &a.base_b : &a.base, a.files[1], diag, &cb);
	if (!err)
		err = diff__compute(ca->flat, ca->layers[ca->nlayers - 1].start_id, cb->flat,
				    cb->layers[cb->nlayers - 1].start_id, &d);
	po = (struct diff_print_opts){ .name_a = a.files[0], .name_b = a.files[1], .json = a.json,
				       .summary = 1, .top = a.top, .summary_only = a.summary_only };
	if (!err)
		err = diff__print(d, &po, stdout);
	if (err && ((ca && cb) || !diag__errors(diag)))
		diag__err(diag, "diff: %s", strerror(-err));
	if (!err)
		err = diff__same(d) ? 0 : 1;
	else
		err = 2;
	diff__free(d);
	chain__free(ca);
	chain__free(cb);
	free_args(&a);
	return err;
}

/* The running kernel's verdict, printed; 0 accepted, 1 rejected, -1 no verdict. */
static int kernel_verdict(const struct input_layers *l, const char *file)
{
	char log[4096], *line, *save = NULL;
	size_t size;
	void *blob;
	int err = verify__concat((const void *const *)l->blobs, l->sizes, l->n, &blob, &size);

	if (err) {
		printf("%s: kernel: not offered (its headers do not describe a chain)\n", file);
		return -1;
	}
	err = verify__kernel(blob, size, log, sizeof(log));
	free(blob);
	if (!err) {
		printf("%s: kernel: accepted\n", file);
		return 0;
	}
	if (err == -EPERM || err == -EACCES || err == -ENOSYS) {
		printf("%s: kernel: not asked, BPF_BTF_LOAD is not permitted here (%s)\n", file,
		       strerror(-err));
		return -1;
	}
	printf("%s: kernel: rejected (%s)\n", file, strerror(-err));
	for (line = strtok_r(log, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		printf("%s: kernel: %s\n", file, line);
	return 1;
}

/*
 * A note per format the chain uses that some kernels predate: checked by its
 * published rules, and whether the running kernel reads it. Returns the
 * formats it uses that the running kernel does not read.
 */
static unsigned int format_notes(const struct btf_chain *chain, const char *file)
{
	unsigned int used, reads, max_kind, f;
	char release[128];

	used = verify__formats_used(chain, &max_kind);
	if (!used)
		return 0;
	reads = verify__kernel_reads(INPUT_SYSFS_DIR "/vmlinux", max_kind, release,
				     sizeof(release));
	for (f = 1; f <= used; f <<= 1) {
		if (!(used & f))
			continue;
		printf("%s: uses %s: %s; this kernel (%s) %s\n", file, verify__format_text(f),
		       f == VF_NEW_KINDS ? "not checked" : "checked by its published rules",
		       release, reads & f ? "reads it" : "would refuse it");
	}
	return used & ~reads;
}

int cmd_verify(int argc, char **argv, const struct diag *diag)
{
	static const char usage[] =
		"Usage: btfenc verify [--kernel] [--btf_base=PATH[,PATH]]... FILE\n"
		"Exit status: 0 valid, 1 invalid, 2 trouble.\n";
	struct btf_chain *chain = NULL;
	struct input_layers l = { 0 };
	unsigned int too_new = 0;
	struct inspect_args a;
	int err, kernel = -1, status;

	if (parse_args(argc, argv, "verify", "bkh", 1, usage, &a, diag)) {
		free_args(&a);
		return 2;
	}
	if (a.help) {
		free_args(&a);
		return 0;
	}
	err = input__read(&a.base, a.files[0], 1, diag, &l);
	if (err && !diag__errors(diag))
		diag__err(diag, "verify: %s: %s", a.files[0], strerror(-err));
	if (err) {
		free_args(&a);
		return 2;
	}
	err = verify__layers((const void *const *)l.blobs, l.sizes, (const char *const *)l.names,
			     l.n, diag, &chain);
	if (err && err != -EINVAL) {
		diag__err(diag, "verify: %s", strerror(-err));
		status = 2;
	} else if (err) {
		printf("%s: invalid\n", a.files[0]);
		status = 1;
	} else {
		printf("%s: valid (%u types in %zu layer%s)\n", a.files[0],
		       btf__type_cnt(chain->flat) - 1, chain->nlayers,
		       chain->nlayers > 1 ? "s" : "");
		status = 0;
	}
	if (chain)
		too_new = format_notes(chain, a.files[0]);
	if (a.kernel && status != 2)
		kernel = kernel_verdict(&l, a.files[0]);
	if (kernel == 1 && status == 0 && too_new) {
		printf("%s: kernel: a rejection to expect, as it predates what the file uses\n",
		       a.files[0]);
		kernel = -1;
	}
	if (kernel >= 0 && kernel != status) {
		diag__warn(diag, "%s: the kernel's verdict differs from the offline one",
			   a.files[0]);
		status = 1;
	}
	chain__free(chain);
	input__free_layers(&l);
	free_args(&a);
	return status;
}
