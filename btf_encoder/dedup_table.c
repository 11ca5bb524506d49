// SPDX-License-Identifier: GPL-2.0-only
/*
 * dedup_table: the containers of the dedup module and the base index.
 *
 * The candidate table mirrors libbpf 1.1.2's hashmap (src/hashmap.c) in the
 * one thing results depend on, the order of a chain: capacity doubles from 4
 * when (n + 1) * 4 / 3 > cap; a bucket is the top `bits` bits of
 * key * 11400714819323198485; a new entry goes to the head of its bucket; a
 * grow walks the old buckets in order and moves each entry, in chain order, to
 * the head of its new bucket. Entries sit in one array and link by index.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>

#include "dedup_int.h"
#include "btf_reader/typeref.h"
#include "util/vec.h"

static inline size_t bucket_of(uint64_t key, int bits)
{
	return bits ? (size_t)((key * 11400714819323198485ull) >> (64 - bits)) : 0;
}

static int table_grow(struct dd_table *t)
{
	int bits = t->bits + 1 < 2 ? 2 : t->bits + 1;
	size_t cap = (size_t)1 << bits, b;
	uint32_t *nb = calloc(cap, sizeof(*nb));

	if (!nb)
		return -ENOMEM;
	for (b = 0; b < t->cap; b++) {
		uint32_t cur = t->buckets[b];

		while (cur) {
			struct dd_entry *e = &t->e[cur - 1];
			uint32_t next = e->next;
			size_t h = bucket_of(e->key, bits);

			e->next = nb[h];
			nb[h] = cur;
			cur = next;
		}
	}
	free(t->buckets);
	t->buckets = nb;
	t->cap = cap;
	t->bits = bits;
	return 0;
}

int dd_table__add(struct dd_table *t, uint64_t key, uint32_t id)
{
	size_t h;
	int err;

	if (t->n >= UINT32_MAX - 1)
		return -E2BIG;
	if (!t->cap || (t->n + 1) * 4 / 3 > t->cap) {
		err = table_grow(t);
		if (err)
			return err;
	}
	err = vec__reserve((void **)&t->e, &t->ecap, t->n + 1, sizeof(*t->e));
	if (err)
		return err;
	h = bucket_of(key, t->bits);
	t->e[t->n] = (struct dd_entry){ .key = key, .id = id, .next = t->buckets[h] };
	t->buckets[h] = (uint32_t)++t->n;
	return 0;
}

uint32_t dd_table__chain(const struct dd_table *t, uint64_t key)
{
	return t->cap ? t->buckets[bucket_of(key, t->bits)] : 0;
}

void dd_table__free(struct dd_table *t)
{
	free(t->buckets);
	free(t->e);
	memset(t, 0, sizeof(*t));
}

int dd_table__snap(const struct dd_table *t, struct dd_table_snap *s)
{
	size_t i;

	s->buckets = malloc((t->cap ? t->cap : 1) * sizeof(*s->buckets));
	s->next = malloc((t->n ? t->n : 1) * sizeof(*s->next));
	if (!s->buckets || !s->next)
		return -ENOMEM;
	memcpy(s->buckets, t->buckets, t->cap * sizeof(*s->buckets));
	for (i = 0; i < t->n; i++)
		s->next[i] = t->e[i].next;
	s->cap = t->cap;
	s->bits = t->bits;
	s->n = t->n;
	return 0;
}

/*
 * Entries added since the snapshot go; links a grow changed come back. A
 * table only grows during a run, so its bucket array holds the snapshot's:
 * nothing to allocate, nothing that can fail.
 */
void dd_table__restore(struct dd_table *t, const struct dd_table_snap *s)
{
	size_t i;

	t->cap = s->cap;
	t->bits = s->bits;
	memcpy(t->buckets, s->buckets, s->cap * sizeof(*t->buckets));
	for (i = 0; i < s->n; i++)
		t->e[i].next = s->next[i];
	t->n = s->n;
}

void dd_table_snap__free(struct dd_table_snap *s)
{
	free(s->buckets);
	free(s->next);
	memset(s, 0, sizeof(*s));
}

static inline size_t mix32(uint64_t x)
{
	return (size_t)((x * 0x9e3779b97f4a7c15ull) >> 32);
}

static int names_grow(struct dd_names *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64, i;
	uint64_t *slots = calloc(cap, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	for (i = 0; i < m->cap; i++) {
		size_t h;

		if (!m->slots[i])
			continue;
		for (h = mix32(m->slots[i] >> 32) & (cap - 1); slots[h]; h = (h + 1) & (cap - 1))
			;
		slots[h] = m->slots[i];
	}
	free(m->slots);
	m->slots = slots;
	m->cap = cap;
	return 0;
}

/*
 * A slot is (name_off + 1) << 32 | id, 0 when empty: string offsets stay below
 * 2^31 (libbpf's limit), so the key never wraps, and anonymous types count too
 * (libbpf keys its map by the bare offset).
 * First sight of @name_off records @id; a second one makes the name ambiguous.
 */
int dd_names__note(struct dd_names *m, uint32_t name_off, uint32_t id)
{
	uint64_t key = (uint64_t)name_off + 1;
	size_t h;

	if ((m->cnt + 1) * 2 > m->cap && names_grow(m))
		return -ENOMEM;
	for (h = mix32(key) & (m->cap - 1); m->slots[h]; h = (h + 1) & (m->cap - 1)) {
		if (m->slots[h] >> 32 == key) {
			m->slots[h] = key << 32;	/* id 0: not unique */
			return 0;
		}
	}
	m->slots[h] = key << 32 | id;
	m->cnt++;
	return 0;
}

int dd_names__get(const struct dd_names *m, uint32_t name_off, uint32_t *id)
{
	uint64_t key = (uint64_t)name_off + 1;
	size_t h;

	if (!m->cap)
		return 0;
	for (h = mix32(key) & (m->cap - 1); m->slots[h]; h = (h + 1) & (m->cap - 1)) {
		if (m->slots[h] >> 32 == key) {
			*id = (uint32_t)m->slots[h];
			return 1;
		}
	}
	return 0;
}

void dd_names__free(struct dd_names *m)
{
	free(m->slots);
	memset(m, 0, sizeof(*m));
}

/* Every string start of the base; the first of equal strings wins (libbpf's strset). */
static int index_strings(struct dedup_base *b)
{
	size_t len;
	uint32_t off;
	int err;

	/* About one string per 16 bytes in a kernel's BTF: rarely a grow. */
	if (strindex__reserve(&b->strs_index, b->str_len / 16))
		return -ENOMEM;
	for (off = 0; off < b->str_len; off += (uint32_t)len + 1) {
		err = strindex__note(&b->strs_index, b->strs, off, &len);
		if (err < 0)
			return err;
	}
	return 0;
}

long dedup_base__find_str(const struct dedup_base *b, const char *s)
{
	return strindex__find(&b->strs_index, b->strs, s);
}

/* libbpf's prep: every base type but VAR/DATASEC is a candidate, in ID order. */
static int index_types(struct dedup_base *b)
{
	uint32_t id;
	int err;

	for (id = 1; id < b->cnt; id++) {
		const struct btf_type *t = (const void *)(b->types + b->offs[id]);
		int kind = btf_kind(t);

		if (kind == BTF_KIND_VAR || kind == BTF_KIND_DATASEC)
			continue;
		err = dd_table__add(&b->table, dd_hash(t), id);
		if (!err && (kind == BTF_KIND_STRUCT || kind == BTF_KIND_UNION))
			err = dd_names__note(&b->names, t->name_off, id);
		if (err)
			return err;
	}
	return dd_table__snap(&b->table, &b->snap);
}

static int id_inside(uint32_t *id, void *ctx)
{
	return *id >= *(const uint32_t *)ctx;
}

struct dedup_base *dedup_base__new(const void *raw, size_t size)
{
	const struct btf_header *h = raw;
	struct dedup_base *b;
	size_t cap = 0, off;
	uint32_t id;
	int err = -EINVAL;

	if (size < sizeof(*h) || h->magic != BTF_MAGIC || h->hdr_len > size ||
	    (uint64_t)h->hdr_len + h->type_off + h->type_len > size ||
	    (uint64_t)h->hdr_len + h->str_off + h->str_len > size || !h->str_len ||
	    ((const char *)raw)[h->hdr_len + h->str_off + h->str_len - 1]) {
		errno = EINVAL;
		return NULL;
	}
	b = calloc(1, sizeof(*b));
	if (!b) {
		errno = ENOMEM;
		return NULL;
	}
	if (((uintptr_t)raw + h->hdr_len + h->type_off) % 4) {
		errno = EINVAL;
		free(b);
		return NULL;
	}
	b->types = (const uint8_t *)raw + h->hdr_len + h->type_off;
	b->strs = (const char *)raw + h->hdr_len + h->str_off;
	b->str_len = h->str_len;
	b->cnt = 1;
	/* A record is at least 12 bytes: one allocation holds every offset. */
	if (vec__reserve((void **)&b->offs, &cap, h->type_len / sizeof(struct btf_type) + 1,
			 sizeof(*b->offs)))
		goto nomem;
	b->offs[0] = 0;
	for (off = 0; off < h->type_len;) {
		const struct btf_type *t = (const void *)(b->types + off);
		long extra;

		if (h->type_len - off < sizeof(*t))
			goto out;
		extra = typeref__extra_size(t);
		if (extra < 0 || h->type_len - off - sizeof(*t) < (size_t)extra)
			goto out;
		b->offs[b->cnt++] = (uint32_t)off;
		off += sizeof(*t) + extra;
	}
	/* Every reference inside the base: dd_type() takes larger IDs for split ones. */
	for (id = 1; id < b->cnt; id++)
		if (typeref__for_each((struct btf_type *)(b->types + b->offs[id]), id_inside,
				      &b->cnt))
			goto out;
	err = index_strings(b);
	if (!err)
		err = vec__reserve((void **)&b->table.e, &b->table.ecap, b->cnt, sizeof(*b->table.e));
	if (!err)
		err = index_types(b);
	if (!err)
		return b;
	goto out;
nomem:
	err = -ENOMEM;
out:
	dedup_base__free(b);
	errno = -err;
	return NULL;
}

void dedup_base__own(struct dedup_base *b, void *raw)
{
	b->owned = raw;
}

void dedup_base__free(struct dedup_base *b)
{
	if (!b)
		return;
	free(b->owned);
	free(b->offs);
	strindex__free(&b->strs_index);
	dd_table__free(&b->table);
	dd_table_snap__free(&b->snap);
	dd_names__free(&b->names);
	free(b);
}
