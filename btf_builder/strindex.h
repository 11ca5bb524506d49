/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * strindex: offsets of the strings of a growing string section, by content:
 * what libbpf's strset (src/strset.c, strset__find_str() and
 * strset__add_str()) does for btf__add_str(), without a heap entry per string.
 * rawbtf (rawbtf.h) interns its strings through it; the dedup's frozen index
 * of a base's strings is another one (btf_dedup/dedup_base.c).
 *
 * The section itself is the caller's, passed to each lookup: the index keeps
 * only offsets, so the section may move (grow) between calls. The first of
 * equal strings is the one found, as in libbpf's strset.
 *
 * Ownership: a struct strindex starts zeroed and owns its slots;
 * strindex__free() releases them. Thread-safety: none; one owner (each rawbtf
 * its own). Errors: -ENOMEM; nothing is printed.
 */
#ifndef BTFENC_STRINDEX_H
#define BTFENC_STRINDEX_H

#include <stddef.h>
#include <stdint.h>

struct strindex {
	struct strindex_slot {
		uint32_t off1;	/* string offset + 1, 0: empty */
		uint32_t hash;
	} *slots;
	size_t cap, cnt;
};

/*
 * One probe for find-or-add: strindex__lookup() sets pos->found (offset or
 * -1) and, on a miss, where @s goes; strindex__put() then indexes it at
 * @off, with no other change to @x in between. Lookup: 0 or -ENOMEM.
 */
struct strindex_pos {
	long found;
	size_t slot, len;
	uint32_t hash;
};

int strindex__lookup(struct strindex *x, const char *data, const char *s,
		     struct strindex_pos *pos);
void strindex__put(struct strindex *x, const struct strindex_pos *pos, uint32_t off);
/* Frees @x's slots and zeroes it (reusable). */
void strindex__free(struct strindex *x);

#endif
