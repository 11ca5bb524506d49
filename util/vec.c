// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vec.h"

int vec__grow(void **arr, size_t *cap, size_t need, size_t elem_size)
{
	size_t new_cap;
	void *p;

	if (need <= *cap)
		return 0;
	new_cap = *cap ? *cap : 16;
	while (new_cap < need) {
		if (new_cap > SIZE_MAX / 2)
			return -ENOMEM;
		new_cap *= 2;
	}
	if (elem_size && new_cap > SIZE_MAX / elem_size)
		return -ENOMEM;
	p = realloc(*arr, new_cap * elem_size);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = new_cap;
	return 0;
}


static int u64map__grow(struct u64map *m)
{
	size_t new_cap = m->cap ? m->cap * 2 : 64, i;
	struct u64map_slot *slots;

	if (new_cap > SIZE_MAX / sizeof(*slots))
		return -ENOMEM;
	slots = malloc(new_cap * sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	for (i = 0; i < new_cap; i++)
		slots[i].key = UINT64_MAX;
	for (i = 0; i < m->cap; i++) {
		size_t j;

		if (m->slots[i].key == UINT64_MAX)
			continue;
		j = u64map__mix(m->slots[i].key) & (new_cap - 1);
		while (slots[j].key != UINT64_MAX)
			j = (j + 1) & (new_cap - 1);
		slots[j] = m->slots[i];
	}
	free(m->slots);
	m->slots = slots;
	m->cap = new_cap;
	return 0;
}

int u64map__set(struct u64map *m, uint64_t key, uint32_t val)
{
	size_t j;

	if (key == UINT64_MAX)
		return -EINVAL;
	/* At most half full: a miss then probes 2.5 slots on average, not 8.5 at 3/4. */
	if ((m->cnt + 1) * 2 > m->cap) {
		int err = u64map__grow(m);

		if (err)
			return err;
	}
	j = u64map__mix(key) & (m->cap - 1);
	while (m->slots[j].key != UINT64_MAX && m->slots[j].key != key)
		j = (j + 1) & (m->cap - 1);
	if (m->slots[j].key == UINT64_MAX) {
		m->slots[j].key = key;
		m->cnt++;
	}
	m->slots[j].val = val;
	return 0;
}

void u64map__clear(struct u64map *m)
{
	size_t i;

	/* Grown for a big unit, used for small ones: start small again. */
	if (m->cap > 4096 && m->cnt * 16 < m->cap) {
		u64map__free(m);
		return;
	}
	for (i = 0; i < m->cap; i++)
		m->slots[i].key = UINT64_MAX;
	m->cnt = 0;
}

void u64map__free(struct u64map *m)
{
	free(m->slots);
	memset(m, 0, sizeof(*m));
}

uint64_t strmap__hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (*s) {
		h ^= (unsigned char)*s++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static int strmap__grow(struct strmap *m)
{
	size_t new_cap = m->cap ? m->cap * 2 : 64, i;
	const char **keys;
	uint32_t *vals;

	if (new_cap > SIZE_MAX / sizeof(*keys))
		return -ENOMEM;
	keys = calloc(new_cap, sizeof(*keys));
	vals = malloc(new_cap * sizeof(*vals));
	if (!keys || !vals) {
		free(keys);
		free(vals);
		return -ENOMEM;
	}
	for (i = 0; i < m->cap; i++) {
		size_t j;

		if (!m->keys[i])
			continue;
		j = u64map__mix(strmap__hash(m->keys[i])) & (new_cap - 1);
		while (keys[j])
			j = (j + 1) & (new_cap - 1);
		keys[j] = m->keys[i];
		vals[j] = m->vals[i];
	}
	free(m->keys);
	free(m->vals);
	m->keys = keys;
	m->vals = vals;
	m->cap = new_cap;
	return 0;
}

int strmap__add(struct strmap *m, const char *key, uint32_t val)
{
	size_t j;

	/* At most half full: a miss then probes 2.5 slots on average, not 8.5 at 3/4. */
	if ((m->cnt + 1) * 2 > m->cap) {
		int err = strmap__grow(m);

		if (err)
			return err;
	}
	j = u64map__mix(strmap__hash(key)) & (m->cap - 1);
	while (m->keys[j]) {
		if (!strcmp(m->keys[j], key))
			return 0;
		j = (j + 1) & (m->cap - 1);
	}
	m->keys[j] = key;
	m->vals[j] = val;
	m->cnt++;
	return 1;
}

int strmap__get(const struct strmap *m, const char *key, uint32_t *val)
{
	size_t j;

	if (!m->cap)
		return 0;
	j = u64map__mix(strmap__hash(key)) & (m->cap - 1);
	while (m->keys[j]) {
		if (!strcmp(m->keys[j], key)) {
			if (val)
				*val = m->vals[j];
			return 1;
		}
		j = (j + 1) & (m->cap - 1);
	}
	return 0;
}

int strmap__or(struct strmap *m, const char *key, uint32_t bits)
{
	size_t j;
	int err;

	if (m->cap) {
		j = u64map__mix(strmap__hash(key)) & (m->cap - 1);
		while (m->keys[j]) {
			if (!strcmp(m->keys[j], key)) {
				m->vals[j] |= bits;
				return 0;
			}
			j = (j + 1) & (m->cap - 1);
		}
	}
	err = strmap__add(m, key, bits);
	return err < 0 ? err : 0;
}

int strmap__set(struct strmap *m, const char *key, uint32_t val)
{
	size_t j;

	if (m->cap) {
		j = u64map__mix(strmap__hash(key)) & (m->cap - 1);
		while (m->keys[j]) {
			if (!strcmp(m->keys[j], key)) {
				m->vals[j] = val;
				return 0;
			}
			j = (j + 1) & (m->cap - 1);
		}
	}
	return strmap__add(m, key, val);
}

void strmap__free(struct strmap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}
