/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fuzz: what btfenc's fuzz harnesses share (tests/fuzz/fuzz_*.c).
 *
 * Each harness defines libFuzzer's LLVMFuzzerTestOneInput() (and may define
 * LLVMFuzzerInitialize()); `make fuzz` links it with clang's libFuzzer, and
 * the suite links the same file with replay.c, which calls the same entry
 * points on the inputs kept under tests/data/fuzz/HARNESS/ (make check).
 *
 * An entry point returns 0 whatever the input does to btfenc (refusing it is
 * fine); it aborts when an output is out of proportion to the input
 * (FUZZ_OUT_LIMIT), so that a replay fails on it as a crash would. Sanitizer
 * reports and crashes end the process on their own.
 *
 * Not thread-safe: one input at a time, as libFuzzer runs them.
 */
#ifndef BTFENC_FUZZ_H
#define BTFENC_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct diag;
struct input_bases;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/*
 * The most one command may write (its output and its messages together) for
 * an input of @size bytes: a generous fixed allowance and 1 KiB per input
 * byte (a 12-byte struct record may claim 8 KiB of padding, which the C
 * header writes as 1024 lines; the raw JSON of a record is about 150 bytes).
 * An output that grows with what the input claims rather than with the input
 * (a struct's size, a type written once per path that reaches it) ends past
 * it on inputs of a few hundred bytes.
 */
#define FUZZ_OUT_LIMIT(size)	((size_t)(1 << 20) + 1024 * (size_t)(size))

/* A FILE that counts what is written to it and throws it away. */
FILE *fuzz__sink(void);

/* A diag sink that counts its lines' bytes the same way and prints nothing. */
const struct diag *fuzz__diag(void);

/*
 * fuzz__begin - starts counting a command's output; fuzz__end - aborts with a
 * message naming @what if it wrote more than FUZZ_OUT_LIMIT(@in_size).
 */
void fuzz__begin(void);
void fuzz__end(const char *what, size_t in_size);

/*
 * fuzz__file - @data as a file the path-based readers can open: a memfd
 * named by /proc/self/fd/N, rewritten on each call (one per process; the
 * path stays valid until the next call).
 */
const char *fuzz__file(const void *data, size_t size);

/* Path of @name under tests/data (the harnesses' fixed blobs). */
const char *fuzz__data(const char *name);

/*
 * fuzz__inspect - every read-only command's library calls on @path over the
 * chain @bases, as the commands make them: verify's read and verdict, then
 * the chain dump, stats and diff read and, if it loads, dump in every format,
 * stats in text and JSON, diff against itself and against @fixed (a chain
 * loaded once; NULL: none), each checked with fuzz__end().
 */
struct btf_chain;
void fuzz__inspect(const char *path, const struct input_bases *bases,
		   const struct btf_chain *fixed, size_t in_size);

#endif
