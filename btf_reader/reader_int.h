/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * reader_int: what reader.c (files) gives chain.c (chains). Private to
 * btf_reader/.
 */
#ifndef BTFENC_READER_INT_H
#define BTFENC_READER_INT_H

#include <stddef.h>
#include <libelf.h>

struct diag;

/*
 * One layer's bytes as read: inside libelf's mapping of the file (@elf holds
 * it; no copy of a 5 MB vmlinux .BTF), a raw file's mapping (@map), or a
 * malloc'd buffer (@buf).
 */
struct layer_bytes {
	const void *data;
	size_t size;
	void *buf;		/* malloc'd, or NULL */
	Elf *elf;		/* keeps the mapping @data points into, or NULL */
	void *map;		/* a raw file mapped whole (map_len bytes), or NULL */
	size_t map_len;
};

/* reader__read_file()'s reading and checks, the bytes left where they are. */
int read_layer(const char *path, const struct diag *d, struct layer_bytes *lb);
void layer_bytes_release(struct layer_bytes *lb);

#endif
