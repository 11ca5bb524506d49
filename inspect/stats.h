/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * stats: what a BTF chain is made of, per layer: types and bytes per kind,
 * string bytes, and how many named types repeat a kind and name seen before
 * in the chain (what dedup or a split against the right base would remove).
 *
 * Thread-safety: no shared state; the chain is only read.
 */
#ifndef BTFENC_STATS_H
#define BTFENC_STATS_H

#include <stdint.h>
#include <stdio.h>
#include <linux/btf.h>

struct btf_chain;

/* Kinds 1..ENUM64 and, past them, kinds btfenc does not know (7 bits of kind). */
#define STATS_NR_KINDS	128

struct kind_stats {
	uint32_t count;
	uint64_t bytes;		/* records: struct btf_type and what follows it */
};

/* One layer's numbers; the last entry of stats__collect()'s array is the whole chain. */
struct layer_stats {
	const char *path;	/* the layer's name (the chain's); NULL for the total */
	uint32_t start_id;	/* first type ID */
	uint32_t nr_types;
	uint64_t type_bytes;	/* the type section */
	uint64_t str_bytes;	/* the string section */
	uint64_t hdr_bytes;	/* BTF headers: 24 bytes each, 32 in Linux 7.1's format */
	uint64_t layout_bytes;	/* layout sections (Linux 7.1's format) */
	uint32_t dup_names;	/* named types whose kind and name an earlier type has */
	struct kind_stats kinds[STATS_NR_KINDS];
};

/*
 * stats__collect - count @c per layer.
 * @out: receives a malloc'd array of @c->nlayers + 1 entries (the caller
 *	frees it), the layers root first and the chain's total last.
 * Counted kinds are BTF's kinds 1..ENUM64 and the kinds btfenc does not know
 * that a layout section stepped over (reader.h), each under its own number,
 * with the bytes their records have in the file.
 * Returns 0 or -ENOMEM.
 */
int stats__collect(const struct btf_chain *c, struct layer_stats **out);

/*
 * stats__print - stats__collect() and write the numbers.
 * @json: 0: a table per layer and one for the chain (the total only when it
 *	has more than one layer), kinds without types left out;
 *	1: {"layers":[L,...],"total":L} where L is {"path","start_id","types",
 *	"bytes","header_bytes","type_bytes","layout_bytes","string_bytes",
 *	"duplicate_names",
 *	"kinds":{"INT":{"count","bytes"},...}} with every kind btfenc knows and
 *	"UNKNOWN_KIND_N" for each other kind present; "path" only in layers.
 * Returns 0, -ENOMEM, or -EIO when writing failed.
 */
int stats__print(const struct btf_chain *c, int json, FILE *out);

#endif
