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
 * Undo: the base's entries are frozen apart (below); a run's entries and keys
 * are removed newest first, which restores every list head and the key index
 * exactly.
 *
 * Mirrors, in libbpf v1.1.2 (commit c504f22), libbpf -> here: src/btf.c's
 * btf_dedup_table_add() (hashmap__append()) and for_each_dedup_cand()
 * (hashmap__for_each_key_entry()), in the order src/hashmap.c's
 * hashmap_insert(), hashmap_needs_to_grow() and hashmap_grow() give them ->
 * dedup_table__add(), dedup_iter_init(), dedup_iter_next(). The frozen part stands for
 * the entries btf_dedup_prep() adds for the base; the undo has no libbpf
 * counterpart (libbpf builds a new table per call).
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
static uint32_t find_key(const struct dedup_table *t, uint64_t key, size_t *slot)
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
static int keys_grow(struct dedup_table *t)
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

void dedup_table__init_on(struct dedup_table *t, const struct dedup_frozen *f)
{
	memset(t, 0, sizeof(*t));
	t->frozen = f;
	t->n0 = f->n;
	t->cap = f->cap;
	t->odd = f->odd;
}

/*
 * Frozen part. The parity of each entry is libbpf's number of grows before
 * its insert, which depends only on how many entries came before it; so the
 * base's entries are numbered once and the lists of the model above are
 * found again by filtering a bucket: the even (odd) list's base part is the
 * bucket's even (odd) entries of the key, in ID order.
 */
/* libbpf's hashes are sums (h * 31 + v): the bucket comes from all 64 bits, mixed. */
static inline size_t frozen_bucket(uint32_t hi, uint32_t lo, unsigned int bits)
{
	return (size_t)((((uint64_t)hi << 32 | lo) * 0x9e3779b97f4a7c15ull) >> (64 - bits));
}

unsigned int dedup_bucket_bits(size_t n)
{
	unsigned int bits = 1;

	/* About two entries per bucket. */
	while (bits < 24 && ((size_t)2 << bits) < n)
		bits++;
	return bits;
}

int dedup_frozen__build(struct dedup_frozen *f, struct dedup_fentry *in, size_t n)
{
	size_t i, cap = 0, nb;
	unsigned int bits = dedup_bucket_bits(n);
	int odd = 0;

	memset(f, 0, sizeof(*f));
	nb = (size_t)1 << bits;
	f->dir = calloc(nb + 1, sizeof(*f->dir));
	f->e = malloc((n ? n : 1) * sizeof(*f->e));
	if (!f->dir || !f->e) {
		dedup_frozen__free(f);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		/* libbpf's grow rule, before the insert. */
		if (!cap || (i + 1) * 4 / 3 > cap) {
			cap = cap ? cap * 2 : 4;
			odd ^= 1;
		}
		if (odd)
			in[i].id |= DEDUP_FODD;
		f->dir[frozen_bucket(in[i].hi, in[i].lo, bits) + 1]++;
	}
	for (i = 0; i < nb; i++)
		f->dir[i + 1] += f->dir[i];
	/* Stable: each bucket keeps the insertion order. dir[b] ends as bucket b's start. */
	for (i = 0; i < n; i++)
		f->e[f->dir[frozen_bucket(in[i].hi, in[i].lo, bits)]++] = in[i];
	memmove(f->dir + 1, f->dir, nb * sizeof(*f->dir));
	f->dir[0] = 0;
	f->bits = bits;
	f->n = n;
	f->cap = cap;
	f->odd = odd;
	return 0;
}

void dedup_frozen__free(struct dedup_frozen *f)
{
	free(f->e);
	free(f->dir);
	memset(f, 0, sizeof(*f));
}

static int add_entry(struct dedup_table *t, uint64_t key, uint32_t id, int has_sig, uint32_t sig)
{
	struct dedup_key *k;
	struct dedup_entry *e;
	uint32_t ki, *head, *tail;
	size_t slot;

	if (t->n >= UINT32_MAX - 1)
		return -E2BIG;
	/* libbpf's grow rule, before the insert. */
	if (!t->cap || (t->n0 + t->n + 1) * 4 / 3 > t->cap) {
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
		t->keys[t->nkeys] = (struct dedup_key){ .key = key, .slot = (uint32_t)slot };
		ki = (uint32_t)++t->nkeys;
		t->kslots[slot] = ki;
	}
	k = &t->keys[ki - 1];
	head = t->odd ? &k->odd : &k->even;
	tail = t->odd ? &k->odd_tail : &k->even_tail;
	e = &t->e[t->n];
	*e = (struct dedup_entry){ .id = id, .older = *head, .key = ki, .odd = (uint8_t)t->odd,
				   .sig = sig, .has_sig = (uint8_t)has_sig };
	t->n++;
	if (*head)
		t->e[*head - 1].newer = (uint32_t)t->n;
	else
		*tail = (uint32_t)t->n;
	*head = (uint32_t)t->n;
	return 0;
}

int dedup_table__add(struct dedup_table *t, uint64_t key, uint32_t id)
{
	return add_entry(t, key, id, 0, 0);
}

int dedup_table__add_sig(struct dedup_table *t, uint64_t key, uint32_t id, uint32_t sig)
{
	return add_entry(t, key, id, 1, sig);
}

/*
 * The model's first list is the table's own entries of the current parity,
 * newest first, then the frozen ones of that parity, newest first; the second
 * list the frozen ones of the other parity, oldest first, then the table's
 * own, oldest first.
 */
void dedup_iter_init(struct dedup_iter *it, const struct dedup_table *t, uint64_t key)
{
	size_t slot;
	uint32_t ki = find_key(t, key, &slot);

	memset(it, 0, sizeof(*it));
	it->t = t;
	it->odd = t->odd;
	it->hi = (uint32_t)(key >> 32);
	it->lo = (uint32_t)key;
	if (ki) {
		it->k = &t->keys[ki - 1];
		it->cur = t->odd ? it->k->odd : it->k->even;
	}
	if (t->frozen && t->frozen->n) {
		const struct dedup_frozen *f = t->frozen;
		size_t b = frozen_bucket(it->hi, it->lo, f->bits);

		it->fbeg = f->dir[b];
		it->fend = f->dir[b + 1];
	}
}

static int frozen_match(const struct dedup_iter *it, const struct dedup_fentry *fe, int odd)
{
	return fe->hi == it->hi && fe->lo == it->lo && !(fe->id & DEDUP_FODD) == !odd;
}

static int take_frozen(struct dedup_iter *it, const struct dedup_fentry *fe)
{
	it->id = fe->id & ~DEDUP_FODD;
	it->has_sig = true;
	it->sig = fe->sig;
	return 1;
}

int dedup_iter_next(struct dedup_iter *it)
{
	const struct dedup_table *t = it->t;
	const struct dedup_fentry *fe;

	for (;;) {
		switch (it->phase) {
		case 0:		/* own entries, first list, newest to oldest */
			if (it->cur) {
				const struct dedup_entry *e = &t->e[it->cur - 1];

				it->id = e->id;
				it->has_sig = e->has_sig;
				it->sig = e->sig;
				it->cur = e->older;
				return 1;
			}
			it->phase = 1;
			it->fpos = it->fend;
			break;
		case 1:		/* frozen, first list's parity, newest to oldest */
			while (it->fpos > it->fbeg) {
				fe = &t->frozen->e[--it->fpos];
				if (frozen_match(it, fe, it->odd))
					return take_frozen(it, fe);
			}
			it->phase = 2;
			it->fpos = it->fbeg;
			break;
		case 2:		/* frozen, the other parity, oldest to newest */
			while (it->fpos < it->fend) {
				fe = &t->frozen->e[it->fpos++];
				if (frozen_match(it, fe, !it->odd))
					return take_frozen(it, fe);
			}
			it->phase = 3;
			it->cur = !it->k ? 0 : it->odd ? it->k->even_tail : it->k->odd_tail;
			break;
		case 3:		/* own entries, second list, oldest to newest */
			if (it->cur) {
				const struct dedup_entry *e = &t->e[it->cur - 1];

				it->id = e->id;
				it->has_sig = e->has_sig;
				it->sig = e->sig;
				it->cur = e->newer;
				return 1;
			}
			it->phase = 4;
			break;
		default:
			return 0;
		}
	}
}

void dedup_table__mark(const struct dedup_table *t, struct dedup_table_mark *m)
{
	m->n = t->n;
	m->nkeys = t->nkeys;
	m->cap = t->cap;
	m->odd = t->odd;
}

void dedup_table__undo(struct dedup_table *t, const struct dedup_table_mark *m)
{
	while (t->n > m->n) {
		struct dedup_entry *e = &t->e[--t->n];
		struct dedup_key *k = &t->keys[e->key - 1];
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
		struct dedup_key *k = &t->keys[--t->nkeys];

		t->kslots[k->slot] = 0;
	}
	t->cap = m->cap;
	t->odd = m->odd;
}

void dedup_table__free(struct dedup_table *t)
{
	free(t->e);
	free(t->keys);
	free(t->kslots);
	memset(t, 0, sizeof(*t));
}
