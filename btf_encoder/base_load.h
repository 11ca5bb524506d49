/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * base_load: the --btf_base chain of a run (run.c) read, checked and indexed
 * for the dedup (base_load.c).
 *
 * The chain is read with btf_reader and checked record by record
 * (CHECK_STRUCTURE: never walked, the structure is what matters). With
 * several jobs, a base that is one layer laid out as its flat BTF (vmlinux)
 * is indexed from the bytes as read while they are checked; otherwise the
 * index is built from the flat base once the chain is made.
 *
 * base_load__start() does all that on a thread of its own, beside the
 * encoding of a single input: a split output needs its base only once its
 * units are merged, when the encoder calls base_load__wait() (its
 * encoder_internals.base_wait hook, internals.h).
 *
 * Ownership: the chain and the index belong to the caller once loaded: free
 * the index (dedup_bridge__free_index()) before the chain (chain__free()).
 * Errors: negative errno, reported to @diag.
 * Private to btf_encoder/.
 */
#ifndef BTFENC_ENCODER_BASE_LOAD_H
#define BTFENC_ENCODER_BASE_LOAD_H

#include <pthread.h>
#include <stddef.h>

#include "util/diag.h"

struct btf;
struct btf_chain;
struct dedup_base;

struct base_load {
	/* in */
	const char *const *paths;	/* the chain, root first; must outlive the chain */
	size_t npaths;
	int jobs;			/* threads the index may use */
	int index;			/* build the dedup index too */
	unsigned int rules;		/* for dedup runs under these (dedup_bridge__rules()) */
	const struct diag *diag;
	/* out */
	int err;
	double t_read, t_index;		/* seconds: read and check, index */
	struct btf_chain *chain;
	struct dedup_base *base_index;
	/* base_load__start() */
	pthread_t tid;
	int started, joined;
};

/* Loads @b on the calling thread: 0 or a negative errno (also in b->err). */
int base_load__run(struct base_load *b);
/* Loads @b on a thread of its own: 0 when it started, else a negative errno. */
int base_load__start(struct base_load *b);
/* Waits for a started load (once; later calls return at once): its b->err. */
int base_load__join(struct base_load *b);
/*
 * The encoder's base_wait hook (@ctx: a started struct base_load): joins it,
 * then gives its flat base and index.
 */
int base_load__wait(void *ctx, struct btf **base, struct dedup_base **index);

#endif
