// SPDX-License-Identifier: GPL-2.0-only
/*
 * replay: a fuzz harness's entry points on the files named on the command line,
 * without libFuzzer (make check builds one per harness, in the normal build and
 * under ASan/UBSan). An input that crashes, trips a sanitizer or writes out of
 * proportion ends the process as it ended the fuzzer.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"

__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	return 0;
}

static int replay(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *data = NULL;
	size_t size = 0, cap = 0, n;

	if (!f) {
		perror(path);
		return 1;
	}
	do {
		uint8_t *p;

		if (size == cap) {
			cap = cap ? cap * 2 : 4096;
			p = realloc(data, cap);
			if (!p)
				abort();
			data = p;
		}
		n = fread(data + size, 1, cap - size, f);
		size += n;
	} while (n);
	fclose(f);
	LLVMFuzzerTestOneInput(data, size);
	free(data);
	return 0;
}

int main(int argc, char **argv)
{
	int i, err = 0;

	LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++)
		err |= replay(argv[i]);
	return err;
}
