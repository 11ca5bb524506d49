/* SPDX-License-Identifier: GPL-2.0-only */
/* Private to the dedup module (dedup.c, dedup_table.c, dedup_types.c). */
#ifndef BTFENC_DEDUP_INT_H
#define BTFENC_DEDUP_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/btf.h>

#include "dedup.h"
#include "encoder_int.h"

#define DD_UNPROCESSED	UINT32_MAX
#define DD_IN_PROGRESS	(UINT32_MAX - 1)
#define DD_MAX_ID	0x7fffffffu	/* libbpf's BTF_MAX_NR_TYPES: above it, a marker */

/*
 * Candidate table: type signature hash -> type IDs, a chained hash table that
 * keeps each chain in the order libbpf's hashmap does (new entries first; a
 * grow walks buckets in order and re-links each entry at the head of its new
 * bucket), so candidates of one hash are tried in libbpf's order. Entries
 * live in one array: no allocation per entry.
 */
struct dd_entry {
	uint64_t key;
	uint32_t id;
	uint32_t next;		/* entry index + 1; 0 ends the chain */
};

struct dd_table {
	uint32_t *buckets;	/* entry index + 1, 0: empty */
	size_t cap;		/* 1 << bits, or 0 */
	int bits;
	struct dd_entry *e;
	size_t n, ecap;
};

int dd_table__add(struct dd_table *t, uint64_t key, uint32_t id);
/* First entry (index + 1) of the chain @key hashes to, 0 if none. */
uint32_t dd_table__chain(const struct dd_table *t, uint64_t key);
void dd_table__free(struct dd_table *t);

/* A state of a table to come back to (the base's, after each run). */
struct dd_table_snap {
	uint32_t *buckets;
	uint32_t *next;		/* of the first n entries */
	size_t cap, n;
	int bits;
};

int dd_table__snap(const struct dd_table *t, struct dd_table_snap *s);
/* Back to @s, taken of @t before it grew; cannot fail. */
void dd_table__restore(struct dd_table *t, const struct dd_table_snap *s);
void dd_table_snap__free(struct dd_table_snap *s);

/* name_off -> ID, or 0 when several types have the name (FWD resolution). */
struct dd_names {
	uint64_t *slots;	/* (name_off + 1) << 32 | id; 0: empty */
	size_t cap, cnt;
};

int dd_names__note(struct dd_names *m, uint32_t name_off, uint32_t id);
/* 1 and *@id (0: not unique) when present, else 0. */
int dd_names__get(const struct dd_names *m, uint32_t name_off, uint32_t *id);
void dd_names__free(struct dd_names *m);

struct dedup_base {
	void *owned;		/* the indexed blob, if handed over */
	const uint8_t *types;
	uint32_t *offs;		/* type ID -> offset into types; [0] unused */
	uint32_t cnt;		/* type count including void = first split ID */
	const char *strs;
	uint32_t str_len;
	struct strindex strs_index;	/* offsets of strs by content */
	struct dd_table table;	/* every base type but VAR/DATASEC, as libbpf's prep adds them */
	struct dd_table_snap snap;
	struct dd_names names;	/* canonical STRUCT/UNION names of the base */
};

/* Offset of string @s in the base, or -1. */
long dedup_base__find_str(const struct dedup_base *b, const char *s);

/* One run. Split types have IDs start .. start + nr - 1. */
struct dd {
	struct dedup_base *base;	/* NULL: standalone */
	uint32_t start;
	uint32_t nr;
	uint8_t *types;			/* split types, mutable copy */
	uint32_t *offs;			/* split ID - start -> offset into types */
	struct dd_table *table;		/* the base's, or own_table */
	struct dd_table own_table;
	uint32_t *map;			/* canonical map, start + nr entries */
	uint32_t *hypot;		/* hypothetical map, start + nr entries */
	uint32_t *hlist;
	size_t hcnt, hcap;
	bool adjust_canon;
	unsigned int depth, max_depth;	/* dd_is_equiv() recursion */
	uint32_t err_id;		/* the type an error is about, with err_what */
	const char *err_what;
};

/* Type @id; 0 is void (all zero: kind UNKN, as libbpf's btf_void). */
static inline struct btf_type *dd_type(const struct dd *d, uint32_t id)
{
	static const struct btf_type void_type;

	if (!id)
		return (struct btf_type *)&void_type;
	if (id < d->start)
		return (struct btf_type *)(d->base->types + d->base->offs[id]);
	return (struct btf_type *)(d->types + d->offs[id - d->start]);
}

static inline bool dd_is_mapped(const struct dd *d, uint32_t id)
{
	return d->map[id] <= DD_MAX_ID;
}

/* dedup_types.c: libbpf's per-kind signature hashes and equality tests. */
uint64_t dd_hash(const struct btf_type *t);	/* the hash the kind is tabled under */
uint64_t dd_hash_common(const struct btf_type *t);
uint64_t dd_hash_int_tag(const struct btf_type *t);
uint64_t dd_hash_enum(const struct btf_type *t);
uint64_t dd_hash_struct(const struct btf_type *t);
uint64_t dd_hash_array(const struct btf_type *t);
uint64_t dd_hash_fnproto(const struct btf_type *t);
bool dd_equal_common(const struct btf_type *a, const struct btf_type *b);
bool dd_equal_int_tag(const struct btf_type *a, const struct btf_type *b);
bool dd_equal_enum(const struct btf_type *a, const struct btf_type *b);
bool dd_compat_enum(const struct btf_type *a, const struct btf_type *b);
bool dd_is_enum_fwd(const struct btf_type *t);
bool dd_shallow_equal_struct(const struct btf_type *a, const struct btf_type *b);
bool dd_equal_array(const struct btf_type *a, const struct btf_type *b);
bool dd_equal_fnproto(const struct btf_type *a, const struct btf_type *b);
/* Type graph equivalence (struct phase): 1, 0, or a negative errno. */
int dd_is_equiv(struct dd *d, uint32_t cand_id, uint32_t canon_id);
void dd_merge_hypot(struct dd *d);
void dd_clear_hypot(struct dd *d);
uint32_t dd_resolve(const struct dd *d, uint32_t id);

#endif
