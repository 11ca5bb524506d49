// SPDX-License-Identifier: GPL-2.0-only
/* dump_cmd: btfenc dump — print BTF (with its base chain) in a stable text form. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "btf_reader/reader.h"
#include "inspect/dump.h"

static int add_paths(const char ***arr, size_t *n, const char *list)
{
	char *copy = strdup(list), *tok, *save = NULL;

	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		const char **p = realloc(*arr, (*n + 2) * sizeof(**arr));

		if (!p) {
			free(copy);
			return -ENOMEM;
		}
		*arr = p;
		(*arr)[(*n)++] = strdup(tok);
	}
	free(copy);
	return 0;
}

int cmd_dump(int argc, char **argv, const struct diag *diag)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "canonical", no_argument, NULL, 'c' },
		{ "btf_base", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char **paths = NULL;
	struct btf_chain *chain = NULL;
	size_t n = 0, i;
	int c, err = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (strcmp(optarg, "canonical")) {
				diag__err(diag, "dump: unknown format '%s' (known: canonical)", optarg);
				err = -EINVAL;
			}
			break;
		case 'c':
			break;
		case 'b':
			err = add_paths(&paths, &n, optarg);
			break;
		case 'h':
			printf("Usage: btfenc dump [--format=canonical] [--btf_base=PATH[,PATH]] FILE\n");
			goto out;
		default:
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
	err = add_paths(&paths, &n, argv[optind]);
	if (err)
		goto out;
	err = chain__load(paths, n, diag, &chain);
	if (err)
		goto out;
	err = dump__canonical(chain->flat, chain->layers[chain->nlayers - 1].start_id, stdout);
	if (err)
		diag__err(diag, "dump: %s", strerror(-err));
out:
	chain__free(chain);
	for (i = 0; i < n; i++)
		free((char *)paths[i]);
	free(paths);
	return err ? (err == -EINVAL ? 2 : 1) : 0;
}
