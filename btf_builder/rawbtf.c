// SPDX-License-Identifier: GPL-2.0-only
/*
 * rawbtf: a standalone BTF built by appending records (contract in
 * rawbtf.h): a chunk's types (rawbtf_add.c) and the encoder's ordered merge
 * (btf_encoder/merge.c); strings indexed with strindex.c. libbpf's
 * btf__add_type() interns every string occurrence again; here the merge
 * interns each distinct string of a chunk once and copies records as bytes.
 * The string section keeps libbpf's layout: "" at offset 0, then each new
 * string in the order it is first added.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>

#include "rawbtf.h"
#include "btf_reader/typeref.h"
#include "util/vec.h"

int rawbtf__init(struct rawbtf *r)
{
	memset(r, 0, sizeof(*r));
	if (vec__reserve((void **)&r->strs, &r->str_cap, 4096, 1))
		return -ENOMEM;
	r->strs[0] = '\0';
	r->str_len = 1;
	return 0;
}

/* Interns @s by content: its offset, found or newly appended. */
static int str_by_content(struct rawbtf *r, const char *s, uint32_t *off)
{
	struct strindex_pos pos;

	if (!*s) {
		*off = 0;
		return 0;
	}
	if (strindex__lookup(&r->index, r->strs, s, &pos))
		return -ENOMEM;
	if (pos.found >= 0) {
		*off = (uint32_t)pos.found;
		return 0;
	}
	/* libbpf's limit for a string offset (BTF_MAX_STR_OFFSET). */
	if (r->str_len + pos.len + 1 > INT32_MAX ||
	    vec__reserve((void **)&r->strs, &r->str_cap, r->str_len + pos.len + 1, 1))
		return -E2BIG;
	memcpy(r->strs + r->str_len, s, pos.len + 1);
	strindex__put(&r->index, &pos, (uint32_t)r->str_len);
	*off = (uint32_t)r->str_len;
	r->str_len += pos.len + 1;
	return 0;
}

void rawbtf__track_src(struct rawbtf *r, const char *lo, size_t size)
{
	r->src_lo = lo;
	r->src_span = lo ? size : 0;
	r->src_min = r->src_max = NULL;
}

int rawbtf__str(struct rawbtf *r, const char *s, uint32_t *off)
{
	uint32_t v;
	int err;

	if ((uintptr_t)s - (uintptr_t)r->src_lo < r->src_span) {
		if (!r->src_min || s < r->src_min)
			r->src_min = s;
		if (s > r->src_max)
			r->src_max = s;
	}

	/* Strings elsewhere (stored in their DIE) are seldom met twice. */
	if (!r->ptr_offs || (uintptr_t)s - (uintptr_t)r->ptr_lo >= r->ptr_span)
		return str_by_content(r, s, off);
	/* Looked up before the string is read: a hit never touches its bytes. */
	r->ptr_calls++;
	if (u64map__get(r->ptr_offs, (uint64_t)(uintptr_t)s, &v)) {
		r->ptr_hits++;
		*off = v;
		return 0;
	}
	err = str_by_content(r, s, off);
	return err ? err : u64map__set(r->ptr_offs, (uint64_t)(uintptr_t)s, *off);
}

void rawbtf__cache_ptrs(struct rawbtf *r, struct u64map *map, const char *lo, size_t size)
{
	r->ptr_offs = lo && size ? map : NULL;
	r->ptr_lo = lo;
	r->ptr_span = size;
	r->ptr_calls = r->ptr_hits = 0;
}

void *rawbtf__append(struct rawbtf *r, size_t len)
{
	void *p;

	if (r->offs && vec__reserve((void **)&r->offs, &r->offs_cap, (size_t)r->nr + 1,
				    sizeof(*r->offs)))
		return NULL;
	p = rawbtf__extend(r, len);
	if (!p)
		return NULL;
	r->last = (size_t)((uint8_t *)p - r->types);
	if (r->offs)
		r->offs[r->nr] = (uint32_t)r->last;
	r->nr++;
	return p;
}

int rawbtf__index_types(struct rawbtf *r)
{
	size_t off = 0;
	uint32_t i;

	if (r->offs)
		return 0;
	if (vec__reserve((void **)&r->offs, &r->offs_cap, (size_t)r->nr + 1, sizeof(*r->offs)))
		return -ENOMEM;
	/* The records are this module's own: well formed, r->len bytes in all. */
	for (i = 0; i < r->nr; i++) {
		const struct btf_type *t = (const void *)(r->types + off);

		r->offs[i] = (uint32_t)off;
		off += sizeof(*t) + (size_t)typeref__extra_size(t);
	}
	return 0;
}

const struct btf_type *rawbtf__type_by_id(const struct rawbtf *r, uint32_t id)
{
	static const struct btf_type void_type;

	if (!id)
		return &void_type;
	if (!r->offs || id > r->nr)
		return NULL;
	return (const void *)(r->types + r->offs[id - 1]);
}

uint32_t *rawbtf__take_offsets(struct rawbtf *r, uint32_t *nr)
{
	uint32_t *offs = r->offs;

	*nr = offs ? r->nr : 0;
	r->offs = NULL;
	r->offs_cap = 0;
	return offs;
}

const char *rawbtf__str_by_offset(const struct rawbtf *r, uint32_t off)
{
	return off < r->str_len ? r->strs + off : NULL;
}

void *rawbtf__extend_grow(struct rawbtf *r, size_t len)
{
	void *p;

	if (r->len + len > UINT32_MAX ||
	    vec__reserve((void **)&r->types, &r->cap, r->len + len, 1))
		return NULL;
	p = r->types + r->len;
	r->len += len;
	return p;
}

/* The header of @r's blob in @h, its size in *@size; -E2BIG past 4 GB. */
static int blob_header(const struct rawbtf *r, struct btf_header *h, size_t *size)
{
	*h = (struct btf_header){ .magic = BTF_MAGIC, .version = BTF_VERSION,
				  .hdr_len = sizeof(*h), .type_len = (uint32_t)r->len,
				  .str_off = (uint32_t)r->len, .str_len = (uint32_t)r->str_len };
	*size = 0;
	if ((uint64_t)r->len + r->str_len > UINT32_MAX - sizeof(*h))
		return -E2BIG;
	*size = sizeof(*h) + r->len + r->str_len;
	return 0;
}

void *rawbtf__blob(struct rawbtf *r, size_t *size)
{
	struct btf_header h;
	uint8_t *blob;

	if (blob_header(r, &h, size)) {
		errno = E2BIG;
		return NULL;
	}
	blob = malloc(*size);
	if (!blob) {
		errno = ENOMEM;
		return NULL;
	}
	memcpy(blob, &h, sizeof(h));
	if (r->len)	/* no record yet: no types array either */
		memcpy(blob + sizeof(h), r->types, r->len);
	memcpy(blob + sizeof(h) + r->len, r->strs, r->str_len);
	return blob;
}

struct btf *rawbtf__to_btf(struct rawbtf *r)
{
	size_t size;
	struct btf *btf;
	uint8_t *blob = rawbtf__blob(r, &size);

	if (!blob)
		return NULL;
	btf = btf__new(blob, (uint32_t)size);
	free(blob);
	return btf;
}

struct btf *rawbtf__to_btf_scratch(struct rawbtf *r)
{
	struct btf *src = rawbtf__to_btf(r), *btf = src ? btf__new_empty() : NULL;
	size_t off;
	uint32_t i;
	int err = 0;

	if (!btf) {
		err = -errno;
		goto out;
	}
	/* Every string first, in order: the records then find theirs where they are. */
	for (off = 1; off < r->str_len && !err; off += strlen(r->strs + off) + 1) {
		int s = btf__add_str(btf, r->strs + off);

		err = s < 0 ? s : 0;
	}
	for (i = 1; i <= r->nr && !err; i++) {
		int id = btf__add_type(btf, src, btf__type_by_id(src, i));

		err = id < 0 ? id : 0;
	}
out:
	btf__free(src);
	if (err) {
		btf__free(btf);
		errno = -err;
		return NULL;
	}
	return btf;
}

void *rawbtf__take_blob(struct rawbtf *r, size_t *size)
{
	struct btf_header h;
	size_t len = r->len, total;
	uint8_t *blob;

	*size = 0;
	if (blob_header(r, &h, &total)) {
		rawbtf__free(r);
		errno = E2BIG;
		return NULL;
	}
	/* The indexes first: not part of the blob, and a big part of the builder. */
	strindex__free(&r->index);
	free(r->offs);
	r->offs = NULL;
	/* A big buffer grows where it is (mremap): no second copy of the types. */
	blob = realloc(r->types, total);
	if (!blob) {
		rawbtf__free(r);
		errno = ENOMEM;
		return NULL;
	}
	r->types = NULL;
	if (len)
		memmove(blob + sizeof(h), blob, len);
	memcpy(blob, &h, sizeof(h));
	memcpy(blob + sizeof(h) + len, r->strs, r->str_len);
	*size = total;
	rawbtf__free(r);
	return blob;
}

void rawbtf__free(struct rawbtf *r)
{
	free(r->offs);
	free(r->types);
	free(r->strs);
	strindex__free(&r->index);
	memset(r, 0, sizeof(*r));
}
