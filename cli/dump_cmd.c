// SPDX-License-Identifier: GPL-2.0-only
/* dump_cmd: btfenc dump — print BTF (with its base chain) in one of several forms. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "btf_reader/reader.h"
#include "inspect/dump.h"
#include "inspect/input.h"

enum dump_format { FMT_CANONICAL, FMT_C, FMT_RAW, FMT_LAYOUT };

static const char *const format_names[] = {
	[FMT_CANONICAL] = "canonical", [FMT_C] = "c", [FMT_RAW] = "raw", [FMT_LAYOUT] = "layout",
};

static const char usage[] =
	"Usage: btfenc dump [--format=canonical|c|raw|layout] [--json] [-C NAME[,NAME]]\n"
	"                   [--guard=NAME] [--btf_base=PATH[,PATH]]... FILE\n";

/*
 * bpftool writes __VMLINUX_H__ whatever the file, and libbpf's bpf_tracing.h
 * tests that macro to pick the kernel's struct pt_regs field names (di, si,
 * ...) over the UAPI ones: a header that a CO-RE program includes in place of
 * bpftool's must define it.
 */
#define DEFAULT_GUARD	"__VMLINUX_H__"

/* Whether @name can be a macro name: a C identifier. */
static int is_identifier(const char *name)
{
	const char *p;

	if (!*name || isdigit((unsigned char)*name))
		return 0;
	for (p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_')
			return 0;
	return 1;
}

static int run_dump(const struct btf_chain *chain, enum dump_format fmt, int json,
		    struct layout_opts *lo, const char *guard)
{
	uint32_t top = chain->layers[chain->nlayers - 1].start_id;

	switch (fmt) {
	case FMT_C:
		return dump__c(chain->flat, top, guard, stdout);
	case FMT_RAW:
		return dump__raw(chain->flat, top, json, stdout);
	case FMT_LAYOUT:
		lo->json = json;
		return dump__layout(chain->flat, top, lo, stdout);
	default:
		return dump__canonical(chain->flat, top, stdout);
	}
}

int cmd_dump(int argc, char **argv, const struct diag *diag)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "canonical", no_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "class_name", required_argument, NULL, 'C' },
		{ "btf_base", required_argument, NULL, 'b' },
		{ "guard", required_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct input_bases bases = { 0 }, names = { 0 };
	struct layout_opts lo = { .diag = diag };
	enum dump_format fmt = FMT_CANONICAL;
	const char *guard = NULL;
	struct btf_chain *chain = NULL;
	int c, json = 0, err = 0, status = 2;	/* 2 until the command line is good */
	size_t i;

	optind = 1;
	opterr = 0;	/* the message goes through @diag */
	while ((c = getopt_long(argc, argv, "hjC:", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			for (i = 0; i < sizeof(format_names) / sizeof(format_names[0]); i++)
				if (!strcmp(optarg, format_names[i]))
					break;
			if (i == sizeof(format_names) / sizeof(format_names[0])) {
				diag__err(diag, "dump: unknown format '%s' (known: canonical, "
					  "c, raw, layout)", optarg);
				err = -EINVAL;
			}
			fmt = (enum dump_format)i;
			break;
		case 'c':
			fmt = FMT_CANONICAL;
			break;
		case 'j':
			json = 1;
			break;
		case 'C':
			/* A comma list of names parses as one of paths. */
			err = input__add_bases(&names, optarg, diag);
			break;
		case 'b':
			err = input__add_bases(&bases, optarg, diag);
			break;
		case 'g':
			guard = optarg;
			if (!is_identifier(guard)) {
				diag__err(diag, "dump: --guard=%s is not a C identifier", guard);
				err = -EINVAL;
			}
			break;
		case 'h':
			fputs(usage, stdout);
			status = 0;
			goto out;
		default:
			diag__err(diag, "dump: unknown option, or one without its value: %s",
				  argv[optind - 1]);
			err = -EINVAL;
		}
		if (err)
			goto out;
	}
	if (optind + 1 != argc) {
		diag__err(diag, "dump: give exactly one BTF file (raw, ELF or /sys/kernel/btf/*)");
		err = -EINVAL;
		goto out;
	}
	if (json && fmt != FMT_RAW && fmt != FMT_LAYOUT) {
		diag__err(diag, "dump: --json goes with --format=raw or --format=layout");
		err = -EINVAL;
		goto out;
	}
	if (names.n && fmt != FMT_LAYOUT) {
		diag__err(diag, "dump: -C goes with --format=layout");
		err = -EINVAL;
		goto out;
	}
	if (guard && fmt != FMT_C) {
		diag__err(diag, "dump: --guard goes with --format=c");
		err = -EINVAL;
		goto out;
	}
	lo.names = (const char *const *)names.paths;
	lo.nnames = names.n;
	err = input__load(&bases, argv[optind], diag, &chain);
	if (err && !diag__errors(diag))		/* e.g. memory, where nothing said so */
		diag__err(diag, "%s: %s", argv[optind], strerror(-err));
	if (!err) {
		err = run_dump(chain, fmt, json, &lo, guard ? guard : DEFAULT_GUARD);
		/* dump__layout() names what it did not find. */
		if (err && err != -ENOENT)
			diag__err(diag, "dump: %s", strerror(-err));
	}
	status = err ? 1 : 0;
out:
	chain__free(chain);
	input__free_bases(&bases);
	input__free_bases(&names);
	return status;
}
