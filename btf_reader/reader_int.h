/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * reader_int: what reader.c (files) gives chain.c (chains), and what
 * flatten.c gives chain.c. Private to btf_reader/.
 */
#ifndef BTFENC_READER_INT_H
#define BTFENC_READER_INT_H

#include <stddef.h>
#include <stdint.h>
#include <libelf.h>
#include <linux/btf.h>

#include "btf_reader/check_int.h"

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
	void *dist_base;	/* an ELF's .BTF.base (malloc'd), or NULL */
	size_t dist_base_size;
};

/* reader__read_file()'s reading and checks, the bytes left where they are. */
int layer_bytes__read(const char *path, const struct diag *d, struct layer_bytes *lb);
void layer_bytes__release(struct layer_bytes *lb);

/* A checked layer: its header in native order and what its check learnt. */
struct layer_hdr {
	struct btf_header h;
	uint32_t layout_len;	/* of a 32-byte header (format.h) */
	int swapped;
	struct check_scan scan;
};

/*
 * flatten__bytes - the bytes of the flat BTF of @n checked layers @blobs
 * (see the design note in flatten.c): a 24-byte header in the layers' byte
 * order, every layer's types, every layer's strings, with a stand-in for
 * each record of a kind btfenc does not know.
 * @out: a malloc'd buffer of *@size bytes. Returns 0, -ENOMEM, or -E2BIG
 * when the result would not fit BTF's 32-bit sizes.
 */
int flatten__bytes(const void *const *blobs, const struct layer_hdr *lh, size_t n,
		   uint8_t **out, uint64_t *size);

#endif
