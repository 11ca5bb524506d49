/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * typeref: visit every type-ID field (or string offset field) of one BTF
 * type record, per kind.
 * Used to remap IDs when copying types between BTF objects, to count
 * references, and by the structural checks. Callers must have checked that
 * the record's vlen fits its buffer. Thread-safe (no state).
 */
#ifndef BTFENC_TYPEREF_H
#define BTFENC_TYPEREF_H

#include <stdint.h>
#include <linux/btf.h>

/* Called with a pointer to each type-ID field; may rewrite *id. Non-zero stops. */
typedef int (*typeref_fn)(uint32_t *id, void *ctx);

/* Visits the ID fields of @t. Returns the callback's first non-zero result, or 0. */
int typeref__for_each(struct btf_type *t, typeref_fn fn, void *ctx);

/*
 * Visits the string offset fields of @t: its name, then its members',
 * enumerators' or parameters' names (libbpf's order). Same contract.
 */
int typeref__for_each_str(struct btf_type *t, typeref_fn fn, void *ctx);

/* Bytes that follow struct btf_type for @t's kind and vlen; -1 for an unknown kind. */
long typeref__extra_size(const struct btf_type *t);

#endif
