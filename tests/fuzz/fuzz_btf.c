// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_btf: one BTF file (raw, or an ELF with .BTF) through the reader and every
 * read-only command: verify, dump in every format, stats, diff against itself and
 * against a fixed second blob (tests/data/kverdict/base.btf).
 */
#include <stdlib.h>

#include "fuzz.h"
#include "btf_reader/reader.h"
#include "inspect/input.h"

static struct btf_chain *fixed;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct input_bases none = { 0 };

	if (input__load(&none, fuzz__data("kverdict/base.btf"), NULL, &fixed))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input_bases none = { 0 };

	fuzz__inspect(fuzz__file(data, size), &none, fixed, size);
	return 0;
}
