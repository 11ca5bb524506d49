// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_split: a split layer on a fixed base (tests/data/kverdict/base.btf) through
 * the reader and every read-only command, as `btfenc CMD --btf_base=BASE FILE`
 * runs them; diffs against the base alone too.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "btf_reader/reader.h"
#include "inspect/input.h"

static struct btf_chain *fixed;
static char *base_path;
static struct input_bases bases = { .paths = &base_path, .n = 1 };

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct input_bases none = { 0 };

	base_path = strdup(fuzz__data("kverdict/base.btf"));
	if (!base_path)
		abort();
	if (input__load(&none, base_path, NULL, &fixed))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz__inspect(fuzz__file(data, size), &bases, fixed, size);
	return 0;
}
