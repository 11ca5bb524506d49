/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * internals: what encoder__encode() keeps from its public callers, for
 * encoder__run() (run.c) and the tests: the base's dedup index made once for
 * many inputs, a base read beside the encoding, and the testing knobs.
 * Private to btf_encoder/ (and tests/unit/test_encoder.c).
 */
#ifndef BTFENC_ENCODER_INTERNALS_H
#define BTFENC_ENCODER_INTERNALS_H

#include <stdint.h>

#include "encoder.h"

struct btf;
struct dedup_base;
struct writer_committer;

struct encoder_internals {
	/* dedup_bridge__index_base(cfg->base), built once for many inputs; NULL: per call */
	struct dedup_base *base_index;
	/*
	 * A base still being read on another thread (cfg->base NULL then): the
	 * output is split, and base_wait() is called once the units are merged,
	 * which is the first time the base is needed. It returns 0 with the base
	 * (never NULL) and its index (NULL: built here), or a negative errno it
	 * has already reported. Not with libbpf_dedup.
	 */
	int (*base_wait)(void *ctx, struct btf **base, struct dedup_base **index);
	void *base_ctx;
	int libbpf_dedup;		/* testing: libbpf 1.1.2's btf__dedup() (compat_124's) */
	uint64_t chunk_bytes;		/* .debug_info bytes per chunk; 0 = default */
	/* run.c: a batch's committer (writer.h), which finishes its plain outputs; NULL: none */
	struct writer_committer *committer;
};

/* encoder__encode() with @in (NULL: all defaults, as encoder__encode()). */
int encoder__encode_with(struct objfile *elf, const struct encoder_config *cfg,
			 const struct encoder_internals *in, struct btf **out,
			 struct encoder_stats *stats);

#endif
