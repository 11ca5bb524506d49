/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vec: the one overflow-checked growth helper for dynamic arrays, and a few
 * small containers built on it.
 *
 * Not thread-safe: each object belongs to one thread at a time.
 */
#ifndef BTFENC_VEC_H
#define BTFENC_VEC_H

#include <stddef.h>
#include <stdint.h>

/*
 * Makes room for @need elements of @elem_size bytes in *@arr, whose capacity
 * is *@cap elements. Grows geometrically; new memory is not zeroed.
 * Returns 0, or -ENOMEM (also on size overflow) leaving *@arr untouched.
 */
int vec__grow(void **arr, size_t *cap, size_t need, size_t elem_size);

/* The room-already-there case inline: it is nearly every call. */
static inline int vec__reserve(void **arr, size_t *cap, size_t need, size_t elem_size)
{
	return need <= *cap ? 0 : vec__grow(arr, cap, need, elem_size);
}

/* Typed convenience: reserve one more slot past @cnt. */
#define vec__push_slot(arrp, capp, cnt) \
	vec__reserve((void **)(arrp), (capp), (size_t)(cnt) + 1, sizeof(**(arrp)))

/*
 * u64 -> u32 open-addressing hash map (keys: DIE offsets, addresses).
 * Key UINT64_MAX is reserved. Owner frees with u64map__free().
 */
struct u64map_slot {
	uint64_t key;
	uint32_t val;
};

/* Keys and values side by side: a lookup touches one cache line. */
struct u64map {
	struct u64map_slot *slots;
	size_t cap;	/* power of two, or 0 */
	size_t cnt;
};

/* Inserts or overwrites. Returns 0 or -ENOMEM. */
int u64map__set(struct u64map *m, uint64_t key, uint32_t val);

/* The slot hash (vec.c places keys with it too). */
static inline size_t u64map__mix(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	return (size_t)k;
}

/* Returns 1 and sets *@val when found, 0 otherwise (inline: the loader's hot lookup). */
static inline int u64map__get(const struct u64map *m, uint64_t key, uint32_t *val)
{
	size_t j;

	if (!m->cap)
		return 0;
	j = u64map__mix(key) & (m->cap - 1);
	while (m->slots[j].key != UINT64_MAX) {
		if (m->slots[j].key == key) {
			*val = m->slots[j].val;
			return 1;
		}
		j = (j + 1) & (m->cap - 1);
	}
	return 0;
}
/* Empties the map, keeping its memory. */
void u64map__clear(struct u64map *m);
void u64map__free(struct u64map *m);

/*
 * A set of strings (not copied: the caller keeps them alive) with a u32
 * payload each, e.g. function name -> index.
 */
struct strmap {
	const char **keys;
	uint32_t *vals;
	size_t cap;
	size_t cnt;
};

/* Inserts @key if absent. Returns 1 if inserted, 0 if present (*@val kept), -ENOMEM. */
int strmap__add(struct strmap *m, const char *key, uint32_t val);
int strmap__get(const struct strmap *m, const char *key, uint32_t *val);
/* ORs @bits into @key's payload, inserting the key (payload @bits) if absent. 0 or -ENOMEM. */
int strmap__or(struct strmap *m, const char *key, uint32_t bits);
/* Sets @key's payload to @val. Returns 1 if @key was inserted, 0 if present, -ENOMEM. */
int strmap__set(struct strmap *m, const char *key, uint32_t val);
void strmap__free(struct strmap *m);

/* FNV-1a-like string hash, stable across runs and hosts. */
uint64_t strmap__hash(const char *s);

#endif
