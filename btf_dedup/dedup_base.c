// SPDX-License-Identifier: GPL-2.0-only
/*
 * dedup_base: the base index of the dedup module (types, strings, struct
 * names, the base's candidate table) and the struct-name map. The candidate
 * table itself is dedup_cands.c.
 *
 * Mirrors, in libbpf v1.1.2's src/btf.c (commit c504f22), libbpf -> here,
 * what each btf__dedup() of a split BTF redoes for the base and what is done
 * here once per base:
 *  - btf_dedup_prep() (the base's types as candidates, in ID order) ->
 *    index_types(); under DEDUP_RULE_TYPEDEF its TYPEDEFs are hashed as
 *    libbpf commit 5b0f3729 does (btf_hash_typedef());
 *  - btf__find_str() on the base, from strs_dedup_remap_str_off() (libbpf's
 *    strset keeps the first of equal strings) -> index_strings(),
 *    dedup_base__find_str();
 *  - btf_dedup_fill_unique_names_map() (hashmap__add(), then hashmap__set()
 *    to 0 on -EEXIST), the base's share -> dedup_names__note(), dedup_names__get().
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>

#include "dedup_int.h"
#include "btf_reader/typeref.h"
#include "util/vec.h"

static inline size_t mix32(uint64_t x)
{
	return (size_t)((x * 0x9e3779b97f4a7c15ull) >> 32);
}

static int names_grow(struct dedup_names *m)
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
int dedup_names__note(struct dedup_names *m, uint32_t name_off, uint32_t id)
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

int dedup_names__get(const struct dedup_names *m, uint32_t name_off, uint32_t *id)
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

void dedup_names__free(struct dedup_names *m)
{
	free(m->slots);
	memset(m, 0, sizeof(*m));
}

/*
 * The base's string index hashes whole words (a vmlinux has 2 MB of
 * strings); any hash does, as long as lookups use the same one.
 */
static uint32_t base_str_hash(const char *s, size_t len)
{
	uint64_t h = (uint64_t)len * 0x9e3779b97f4a7c15ull, w;

	for (; len >= 8; s += 8, len -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	if (len) {
		w = 0;
		memcpy(&w, s, len);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
	}
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return (uint32_t)(h >> 32);
}

/* Every string start of the base, grouped by bucket, offset order within. */
static int index_strings(struct dedup_base *b)
{
	struct dedup_fstrs *x = &b->strs_index;
	struct dedup_fstr *in = NULL;
	size_t n = 0, cap = 0, nb, i, len;
	uint32_t off;

	/* About one string per 16 bytes in a kernel's BTF: rarely a grow. */
	if (vec__reserve((void **)&in, &cap, b->str_len / 16 + 1, sizeof(*in)))
		return -ENOMEM;
	for (off = 0; off < b->str_len; off += (uint32_t)len + 1) {
		len = strlen(b->strs + off);
		if (vec__push_slot(&in, &cap, n)) {
			free(in);
			return -ENOMEM;
		}
		in[n++] = (struct dedup_fstr){ .hash = base_str_hash(b->strs + off, len),
					       .off = off };
	}
	x->bits = dedup_bucket_bits(n);
	nb = (size_t)1 << x->bits;
	x->dir = calloc(nb + 1, sizeof(*x->dir));
	x->e = malloc((n ? n : 1) * sizeof(*x->e));
	if (!x->dir || !x->e) {
		free(in);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		x->dir[(in[i].hash >> (32 - x->bits)) + 1]++;
	for (i = 0; i < nb; i++)
		x->dir[i + 1] += x->dir[i];
	for (i = 0; i < n; i++)
		x->e[x->dir[in[i].hash >> (32 - x->bits)]++] = in[i];
	memmove(x->dir + 1, x->dir, nb * sizeof(*x->dir));
	x->dir[0] = 0;
	free(in);
	return 0;
}

long dedup_base__find_str(const struct dedup_base *b, const char *s)
{
	const struct dedup_fstrs *x = &b->strs_index;
	size_t len = strlen(s);
	uint32_t hash = base_str_hash(s, len), i, end;

	if (!x->dir)
		return -1;
	end = x->dir[(hash >> (32 - x->bits)) + 1];
	for (i = x->dir[hash >> (32 - x->bits)]; i < end; i++) {
		uint32_t off = x->e[i].off;

		if (x->e[i].hash == hash && b->str_len - off > len && !memcmp(b->strs + off, s, len + 1))
			return off;
	}
	return -1;
}

/* dedup_member_sig() of a base struct (every ID in it is inside the base). */
static uint32_t member_sig(const struct dedup_base *b, const struct btf_type *t)
{
	const struct btf_member *x = btf_members(t);
	uint32_t i, n = btf_vlen(t), h = 0;

	for (i = 0; i < n; i++, x++) {
		const struct btf_type *m = (const void *)(b->types + b->offs[x->type]);

		h = dedup_sig_step(h, x->type ? m->name_off : 0);
	}
	return h;
}

/* libbpf's prep: every base type but VAR/DATASEC is a candidate, in ID order. */
static int index_types(struct dedup_base *b)
{
	struct dedup_fentry *in = malloc(b->cnt * sizeof(*in));
	size_t n = 0;
	uint32_t id;
	int err = 0;

	if (!in)
		return -ENOMEM;
	for (id = 1; id < b->cnt && !err; id++) {
		const struct btf_type *t = (const void *)(b->types + b->offs[id]);
		int kind = btf_kind(t);
		uint64_t key;

		if (kind == BTF_KIND_VAR || kind == BTF_KIND_DATASEC)
			continue;
		key = dedup_hash(t, b->rules);
		in[n] = (struct dedup_fentry){ .hi = (uint32_t)(key >> 32), .lo = (uint32_t)key,
					    .id = id };
		if (kind == BTF_KIND_STRUCT || kind == BTF_KIND_UNION) {
			in[n].sig = member_sig(b, t);
			err = dedup_names__note(&b->names, t->name_off, id);
		} else if (kind == BTF_KIND_ENUM || kind == BTF_KIND_ENUM64) {
			in[n].sig = dedup_enum_sig(t);
		}
		n++;
	}
	if (!err)
		err = dedup_frozen__build(&b->frozen, in, n);
	free(in);
	if (err)
		return err;
	dedup_table__init_on(&b->table, &b->frozen);
	dedup_table__mark(&b->table, &b->mark);
	return 0;
}

struct strings_job {
	struct dedup_base *b;
	int err;
};

static void *strings_main(void *arg)
{
	struct strings_job *j = arg;

	j->err = index_strings(j->b);
	return NULL;
}

/*
 * The string index and the candidate table share nothing: with @threads > 1
 * and a base worth it (vmlinux: 2 MB of strings), the strings are indexed on
 * a thread of their own. The same index either way.
 */
static int index_both(struct dedup_base *b, int threads)
{
	struct strings_job job = { .b = b };
	pthread_t tid;
	int err;

	if (threads < 2 || b->str_len < (256u << 10) ||
	    pthread_create(&tid, NULL, strings_main, &job)) {
		err = index_strings(b);
		return err ? err : index_types(b);
	}
	err = index_types(b);
	pthread_join(tid, NULL);
	return err ? err : job.err;
}

static int id_inside(uint32_t *id, void *ctx)
{
	return *id >= *(const uint32_t *)ctx;
}

struct dedup_base *dedup_base__new(const void *raw, size_t size)
{
	return dedup_base__new_mt(raw, size, 1, 0);
}

struct dedup_base *dedup_base__new_mt(const void *raw, size_t size, int threads,
				      unsigned int rules)
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
	b->rules = rules;
	b->types = (const uint8_t *)raw + h->hdr_len + h->type_off;
	b->strs = (const char *)raw + h->hdr_len + h->str_off;
	b->str_len = h->str_len;
	b->type_len = h->type_len;
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
	/* Every reference inside the base: dedup_type() takes larger IDs for split ones. */
	for (id = 1; id < b->cnt; id++)
		if (typeref__for_each((struct btf_type *)(b->types + b->offs[id]), id_inside,
				      &b->cnt))
			goto out;
	err = index_both(b, threads);
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

int dedup_base__rebind(struct dedup_base *b, const void *raw, size_t size)
{
	const struct btf_header *h = raw;

	if (size < sizeof(*h) || h->magic != BTF_MAGIC || h->hdr_len > size ||
	    (uint64_t)h->hdr_len + h->type_off + h->type_len > size ||
	    (uint64_t)h->hdr_len + h->str_off + h->str_len > size ||
	    h->type_len != b->type_len || h->str_len != b->str_len ||
	    ((uintptr_t)raw + h->hdr_len + h->type_off) % 4)
		return -EINVAL;
	if (memcmp((const uint8_t *)raw + h->hdr_len + h->type_off, b->types, h->type_len) ||
	    memcmp((const char *)raw + h->hdr_len + h->str_off, b->strs, b->str_len))
		return -EINVAL;
	b->types = (const uint8_t *)raw + h->hdr_len + h->type_off;
	b->strs = (const char *)raw + h->hdr_len + h->str_off;
	return 0;
}

const char *dedup_base__strs(const struct dedup_base *b)
{
	return b->strs;
}

void dedup_base__set_tag(struct dedup_base *b, const void *tag)
{
	b->tag = tag;
}

const void *dedup_base__tag(const struct dedup_base *b)
{
	return b->tag;
}

void dedup_base__free(struct dedup_base *b)
{
	if (!b)
		return;
	free(b->offs);
	free(b->strs_index.e);
	free(b->strs_index.dir);
	dedup_frozen__free(&b->frozen);
	dedup_table__free(&b->table);
	dedup_names__free(&b->names);
	free(b);
}
