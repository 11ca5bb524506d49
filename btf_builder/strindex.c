// SPDX-License-Identifier: GPL-2.0-only
/*
 * strindex: string offset lookup by content (contract in strindex.h), for
 * the string section a rawbtf grows (rawbtf.c; the base's strings have their
 * own frozen index, btf_dedup/dedup_base.c).
 *
 * Open addressing; a slot keeps offset + 1 and the string's 32-bit hash, so
 * a probe compares strings only when hashes agree. The probe starts at the
 * top bits of the hash times a 64-bit odd constant, so that no run of low
 * bits alone picks the slot.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "strindex.h"

/*
 * The hash of @s and its length. The length comes from strlen() (glibc's is
 * vectorised), then eight bytes at a time go through a multiply-xorshift mix:
 * a byte-at-a-time hash cost a tenth of a module's encoding (a module linked
 * with ld -r looks every name up by content). Slots depend on the host's byte
 * order through it; offsets, and so the output, never do.
 */
static inline uint32_t text_hash(const char *s, size_t *len)
{
	const uint64_t mul = 0xff51afd7ed558ccdull;
	size_t n = strlen(s), i;
	uint64_t h = 0x9e3779b97f4a7c15ull ^ n, w;

	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		h = (h ^ w) * mul;
		h ^= h >> 32;
	}
	if (i < n) {
		w = 0;
		memcpy(&w, s + i, n - i);
		h = (h ^ w) * mul;
	}
	h ^= h >> 29;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 32;
	*len = n;
	return (uint32_t)h;
}

static inline size_t first_slot(const struct strindex *x, uint32_t hash)
{
	return (size_t)(((uint64_t)hash * 0x9e3779b97f4a7c15ull) >> 32) & (x->cap - 1);
}

static int grow(struct strindex *x)
{
	struct strindex bigger = { .cap = x->cap ? x->cap * 2 : 1024 };
	size_t i, h;

	bigger.slots = calloc(bigger.cap, sizeof(*bigger.slots));
	if (!bigger.slots)
		return -ENOMEM;
	for (i = 0; i < x->cap; i++) {
		if (!x->slots[i].off1)
			continue;
		for (h = first_slot(&bigger, x->slots[i].hash); bigger.slots[h].off1;
		     h = (h + 1) & (bigger.cap - 1))
			;
		bigger.slots[h] = x->slots[i];
	}
	free(x->slots);
	x->slots = bigger.slots;
	x->cap = bigger.cap;
	return 0;
}

/*
 * The slot for @s (hash @hash) in strings @data: its own if present, else the
 * empty one to take. Returns 1 when found.
 */
static int probe(const struct strindex *x, const char *data, const char *s, uint32_t hash,
		 size_t *slot)
{
	size_t h;

	for (h = first_slot(x, hash); x->slots[h].off1; h = (h + 1) & (x->cap - 1)) {
		if (x->slots[h].hash == hash && !strcmp(data + x->slots[h].off1 - 1, s)) {
			*slot = h;
			return 1;
		}
	}
	*slot = h;
	return 0;
}

int strindex__lookup(struct strindex *x, const char *data, const char *s,
		     struct strindex_pos *pos)
{
	long off = -1;

	/* Room first: the slot found stays the one to fill. */
	if ((x->cnt + 1) * 10 > x->cap * 7 && grow(x))
		return -ENOMEM;
	pos->hash = text_hash(s, &pos->len);
	if (probe(x, data, s, pos->hash, &pos->slot))
		off = (long)x->slots[pos->slot].off1 - 1;
	pos->found = off;
	return 0;
}

void strindex__put(struct strindex *x, const struct strindex_pos *pos, uint32_t off)
{
	x->slots[pos->slot].off1 = off + 1;
	x->slots[pos->slot].hash = pos->hash;
	x->cnt++;
}

void strindex__free(struct strindex *x)
{
	free(x->slots);
	memset(x, 0, sizeof(*x));
}
