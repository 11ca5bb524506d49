// SPDX-License-Identifier: GPL-2.0-only
/*
 * rawbtf: a standalone BTF built by appending whole records, for the ordered
 * merge (merge.c). libbpf's btf__add_type() interns every string occurrence
 * again; here the merge interns each distinct string of a chunk once and
 * copies records as bytes. The string section keeps libbpf's layout: "" at
 * offset 0, then each new string in the order it is first added.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>

#include "encoder_int.h"

static inline uint32_t text_hash(const char *s, size_t *len)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t h = 2166136261u;

	for (; *p; p++)
		h = (h ^ *p) * 16777619u;
	*len = (size_t)(p - (const unsigned char *)s);
	return h;
}

static int slots_grow(struct rawbtf *r)
{
	size_t cap = r->scap ? r->scap * 2 : 4096, i, h;
	struct rawbtf_slot *slots = calloc(cap, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	for (i = 0; i < r->scap; i++) {
		if (!r->slots[i].off1)
			continue;
		for (h = r->slots[i].hash & (cap - 1); slots[h].off1; h = (h + 1) & (cap - 1))
			;
		slots[h] = r->slots[i];
	}
	free(r->slots);
	r->slots = slots;
	r->scap = cap;
	return 0;
}

int rawbtf__init(struct rawbtf *r)
{
	memset(r, 0, sizeof(*r));
	if (vec__reserve((void **)&r->strs, &r->str_cap, 4096, 1))
		return -ENOMEM;
	r->strs[0] = '\0';
	r->str_len = 1;
	return 0;
}

int rawbtf__str(struct rawbtf *r, const char *s, uint32_t *off)
{
	size_t len, h;
	uint32_t hash = text_hash(s, &len);

	if (!len) {
		*off = 0;
		return 0;
	}
	if ((r->scnt + 1) * 10 > r->scap * 7 && slots_grow(r))
		return -ENOMEM;
	for (h = hash & (r->scap - 1); r->slots[h].off1; h = (h + 1) & (r->scap - 1)) {
		if (r->slots[h].hash == hash && !strcmp(r->strs + r->slots[h].off1 - 1, s)) {
			*off = r->slots[h].off1 - 1;
			return 0;
		}
	}
	if (r->str_len + len + 1 > INT32_MAX ||
	    vec__reserve((void **)&r->strs, &r->str_cap, r->str_len + len + 1, 1))
		return -ENOMEM;
	memcpy(r->strs + r->str_len, s, len + 1);
	r->slots[h].off1 = (uint32_t)r->str_len + 1;
	r->slots[h].hash = hash;
	r->scnt++;
	*off = (uint32_t)r->str_len;
	r->str_len += len + 1;
	return 0;
}

void *rawbtf__append(struct rawbtf *r, size_t len)
{
	void *p;

	if (vec__reserve((void **)&r->types, &r->cap, r->len + len, 1))
		return NULL;
	p = r->types + r->len;
	r->len += len;
	r->nr++;
	return p;
}

struct btf *rawbtf__to_btf(const struct rawbtf *r)
{
	struct btf_header h = { .magic = BTF_MAGIC, .version = BTF_VERSION,
				.hdr_len = sizeof(h), .type_len = (uint32_t)r->len,
				.str_off = (uint32_t)r->len, .str_len = (uint32_t)r->str_len };
	size_t size = sizeof(h) + r->len + r->str_len;
	uint8_t *blob = malloc(size);
	struct btf *btf;

	if (!blob) {
		errno = ENOMEM;
		return NULL;
	}
	memcpy(blob, &h, sizeof(h));
	memcpy(blob + sizeof(h), r->types, r->len);
	memcpy(blob + sizeof(h) + r->len, r->strs, r->str_len);
	btf = btf__new(blob, (uint32_t)size);
	free(blob);
	return btf;
}

void rawbtf__free(struct rawbtf *r)
{
	free(r->types);
	free(r->strs);
	free(r->slots);
	memset(r, 0, sizeof(*r));
}
