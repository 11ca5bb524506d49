// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_options: the pahole-compatible option parser (options__parse()) on a
 * command line made of the input, its arguments separated by NUL bytes.
 * The parser's messages (its own and getopt's, written to stderr) go to the
 * counting sink, so that fuzz__end() bounds them as it bounds the output
 * and they do not fill libFuzzer's log (one warning per item of a list of
 * unknown --btf_features: 10 GB of log in a 10-minute run). Sanitizer reports
 * write to file descriptor 2 directly and still reach it.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "cli/options.h"

#define MAX_ARGS	64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[MAX_ARGS + 2], *buf = malloc(size + 1), *p, *end;
	char *reset_argv[] = { "btfenc", NULL };
	struct btfenc_opts o;
	FILE *err = stderr;
	int argc = 0;

	if (!buf)
		abort();
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[argc++] = "btfenc";
	for (p = buf, end = buf + size; p <= end && argc <= MAX_ARGS; p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;
	/*
	 * getopt keeps where it was inside a group of short options across calls
	 * (btfenc parses once per process): start it afresh.
	 */
	optind = 0;
	getopt(1, reset_argv, "");
	fuzz__begin();
	stderr = fuzz__sink();
	if (!options__parse(argc, argv, &o)) {
		options__pahole_version(&o);
		if (o.show_help)
			options__help(fuzz__sink());
		if (o.show_supported)
			options__supported_features(fuzz__sink());
	}
	options__free(&o);
	stderr = err;
	fuzz__end("options", size);
	free(buf);
	return 0;
}
