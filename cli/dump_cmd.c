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
	"                   [--btf_base=PATH[,PATH]]... FILE\n";

/* "__VMLINUX_H__" for .../vmlinux: the file's base name, upper case, as a C identifier. */
static void guard_of(const char *path, char *buf, size_t len)
{
	const char *base = strrchr(path, '/');
	size_t n = 0;

	base = base ? base + 1 : path;
	n += snprintf(buf, len, "__");
	for (; *base && n + 5 < len; base++)
		buf[n++] = isalnum((unsigned char)*base) ? toupper((unsigned char)*base) : '_';
	snprintf(buf + n, len - n, "_H__");
}

static int run_dump(const struct btf_chain *chain, enum dump_format fmt, int json,
		    struct layout_opts *lo, const char *file)
{
	uint32_t top = chain->layers[chain->nlayers - 1].start_id;
	char guard[128];

	switch (fmt) {
	case FMT_C:
		guard_of(file, guard, sizeof(guard));
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
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct input_bases bases = { 0 }, names = { 0 };
	struct layout_opts lo = { .diag = diag };
	enum dump_format fmt = FMT_CANONICAL;
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
	lo.names = (const char *const *)names.paths;
	lo.nnames = names.n;
	err = input__load(&bases, argv[optind], diag, &chain);
	if (!err) {
		err = run_dump(chain, fmt, json, &lo, argv[optind]);
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
