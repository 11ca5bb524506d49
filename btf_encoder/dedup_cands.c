// SPDX-License-Identifier: GPL-2.0-only
/*
 * dedup_cands: the candidate table (type signature hash -> type IDs) of the
 * dedup, giving the candidates of a hash in the order libbpf 1.1.2's hashmap
 * (src/hashmap.c) gives them, without its buckets.
 *
 * Why the order is what it is. libbpf puts a new entry at the head of its
 * bucket's chain, and grows (capacity 4, 8, 16, ...: before an insert, when
 * (n + 1) * 4 / 3 > capacity) by walking the chains in order and putting each
 * entry at the head of its new chain, which reverses every chain. A lookup
 * filters its chain by key, so only the order among entries of one key
 * matters, and a grow reverses each key's entries as a whole.
 *
 * Model. Per key, a deque: with p the number of grows so far, an entry added
 * while p is even goes to the front, while p is odd to the back; the chain
 * order is the deque front to back for an even p, back to front for an odd
 * one. A grow only flips p. The deque is two lists, "even" (entries added at
 * even p, newest first) and "odd" (newest first), so:
 *   p even: even newest -> oldest, then odd oldest -> newest;
 *   p odd:  odd newest -> oldest, then even oldest -> newest.
 * Example: a, b, c added (p = 1 from the first insert's grow), then d after
 * the second grow (p = 0): libbpf's chain is d a b c; here even = [d], odd =
 * [c b a]: d, then a b c.
 *
 * Undo: the base's entries come first; a run's entries and keys are removed
 * newest first, which restores every list head and the key index exactly.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dedup_int.h"
#include "util/vec.h"

static inline size_t key_slot(uint64_t key, size_t cap)
{
	return (size_t)((key * 0x9e3779b97f4a7c15ull) >> 32) & (cap - 1);
}

/* Index of the key record of @key + 1, or 0; *@slot: where it is or would go. */
static uint32_t find_key(const struct dd_table *t, uint64_t key, size_t *slot)
{
	size_t h;

	if (!t->kcap) {
		*slot = 0;
		return 0;
	}
	for (h = key_slot(key, t->kcap); t->kslots[h]; h = (h + 1) & (t->kcap - 1)) {
		if (t->keys[t->kslots[h] - 1].key == key) {
			*slot = h;
			return t->kslots[h];
		}
	}
	*slot = h;
	return 0;
}

/* Rehash in key record order (so newest-first removal stays exact). */
static int keys_grow(struct dd_table *t)
{
	size_t cap = t->kcap ? t->kcap * 2 : 1024, i, h;
	uint32_t *slots = calloc(cap, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	for (i = 0; i < t->nkeys; i++) {
		for (h = key_slot(t->keys[i].key, cap); slots[h]; h = (h + 1) & (cap - 1))
			;
		slots[h] = (uint32_t)i + 1;
		t->keys[i].slot = (uint32_t)h;
	}
	free(t->kslots);
	t->kslots = slots;
	t->kcap = cap;
	return 0;
}

int dd_table__reserve(struct dd_table *t, size_t n)
{
	if (vec__reserve((void **)&t->e, &t->ecap, n, sizeof(*t->e)) ||
	    vec__reserve((void **)&t->keys, &t->keys_cap, n, sizeof(*t->keys)))
		return -ENOMEM;
	while (t->kcap < 2 * n)
		if (keys_grow(t))
			return -ENOMEM;
	return 0;
}

int dd_table__add(struct dd_table *t, uint64_t key, uint32_t id)
{
	struct dd_key *k;
	struct dd_entry *e;
	uint32_t ki, *head, *tail;
	size_t slot;

	if (t->n >= UINT32_MAX - 1)
		return -E2BIG;
	/* libbpf's grow rule, before the insert. */
	if (!t->cap || (t->n + 1) * 4 / 3 > t->cap) {
		t->cap = t->cap ? t->cap * 2 : 4;
		t->odd ^= 1;
	}
	if (vec__reserve((void **)&t->e, &t->ecap, t->n + 1, sizeof(*t->e)))
		return -ENOMEM;
	ki = find_key(t, key, &slot);
	if (!ki) {
		if ((t->nkeys + 1) * 2 > t->kcap) {
			if (keys_grow(t))
				return -ENOMEM;
			find_key(t, key, &slot);
		}
		if (vec__push_slot(&t->keys, &t->keys_cap, t->nkeys))
			return -ENOMEM;
		t->keys[t->nkeys] = (struct dd_key){ .key = key, .slot = (uint32_t)slot };
		ki = (uint32_t)++t->nkeys;
		t->kslots[slot] = ki;
	}
	k = &t->keys[ki - 1];
	head = t->odd ? &k->odd : &k->even;
	tail = t->odd ? &k->odd_tail : &k->even_tail;
	e = &t->e[t->n];
	*e = (struct dd_entry){ .id = id, .older = *head, .key = ki, .odd = (uint8_t)t->odd };
	t->n++;
	if (*head)
		t->e[*head - 1].newer = (uint32_t)t->n;
	else
		*tail = (uint32_t)t->n;
	*head = (uint32_t)t->n;
	return 0;
}

void dd_iter_init(struct dd_iter *it, const struct dd_table *t, uint64_t key)
{
	size_t slot;
	uint32_t ki = find_key(t, key, &slot);

	memset(it, 0, sizeof(*it));
	it->t = t;
	if (!ki) {
		it->phase = 2;
		return;
	}
	it->k = &t->keys[ki - 1];
	/* First list newest to oldest: the one grows have not reversed. */
	it->cur = t->odd ? it->k->odd : it->k->even;
}

int dd_iter_next(struct dd_iter *it)
{
	const struct dd_table *t = it->t;

	for (;;) {
		if (it->phase == 2)
			return 0;
		if (it->cur) {
			const struct dd_entry *e = &t->e[it->cur - 1];

			it->id = e->id;
			it->cur = it->phase ? e->newer : e->older;
			return 1;
		}
		if (it->phase == 1) {
			it->phase = 2;
			return 0;
		}
		/* Then the other list, oldest to newest. */
		it->phase = 1;
		it->cur = t->odd ? it->k->even_tail : it->k->odd_tail;
	}
}

void dd_table__mark(const struct dd_table *t, struct dd_table_mark *m)
{
	m->n = t->n;
	m->nkeys = t->nkeys;
	m->cap = t->cap;
	m->odd = t->odd;
}

void dd_table__undo(struct dd_table *t, const struct dd_table_mark *m)
{
	while (t->n > m->n) {
		struct dd_entry *e = &t->e[--t->n];
		struct dd_key *k = &t->keys[e->key - 1];
		uint32_t *head = e->odd ? &k->odd : &k->even;
		uint32_t *tail = e->odd ? &k->odd_tail : &k->even_tail;

		/* The newest entry of the table is the newest of its list. */
		*head = e->older;
		if (*head)
			t->e[*head - 1].newer = 0;
		else
			*tail = 0;
	}
	while (t->nkeys > m->nkeys) {
		struct dd_key *k = &t->keys[--t->nkeys];

		t->kslots[k->slot] = 0;
	}
	t->cap = m->cap;
	t->odd = m->odd;
}

void dd_table__free(struct dd_table *t)
{
	free(t->e);
	free(t->keys);
	free(t->kslots);
	memset(t, 0, sizeof(*t));
}
