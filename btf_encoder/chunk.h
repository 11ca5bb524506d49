/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * chunk: what a worker thread makes of one chunk of units (encoder.c's
 * pipeline): the chunk's BTF and what it leaves to the merge (per-CPU
 * secinfos, variable candidates, function flags; their element types are in
 * vars.h), and the encoding of one unit into it (cu_encode.c). A chunk_out is
 * filled by one worker, then owned by the merging thread (merge.h).
 * Private to btf_encoder/.
 */
#ifndef BTFENC_ENCODER_CHUNK_H
#define BTFENC_ENCODER_CHUNK_H

#include <stddef.h>
#include <stdint.h>

#include "encoder.h"
#include "btf_builder/rawbtf.h"
#include "dwarf_loader/loader.h"
#include "util/vec.h"

struct symidx;

/* The result of one chunk of units, owned by the merging thread once done. */
struct chunk_out {
	struct rawbtf rb;		/* built by the units (cu_encode.c, vars.c) */
	/*
	 * func_select.h B5: the FUNC_PROTOs, FUNCs and their DECL_TAGs of the
	 * chunk's candidates, built apart and appended to rb after the last unit
	 * (cu__append_funcs()), so that the chunk's dedup finds every prototype
	 * the units' types have where the types have it, as pahole does.
	 */
	struct rawbtf fn_rb;
	/*
	 * Bytes of rb's string section the units interned, in the order they did
	 * (before fn_rb's FUNC names): the merge interns all of them, in that
	 * order, whether a kept type refers to them or not. pahole's BTF is built
	 * from scratch, so libbpf's dedup leaves its string section as it was
	 * written: every string pahole was given, in the order first given.
	 */
	uint32_t strs_units;
	/* The stretch of .debug_str its units' names came from (NULL: none known). */
	const char *src_min, *src_max;
	struct btf *btf;		/* then, for the merge: rb deduplicated or as is */
	struct secinfo *vsi;
	size_t nvsi, vsi_cap;
	struct var_cand *cands;
	size_t ncands, cands_cap;
	const char **var_tags;
	size_t nvar_tags, var_tags_cap;
	struct var_skip_rec *skips;
	size_t nskips, skips_cap;
	struct strmap decl_names;	/* names given a VC_DECL in this chunk */
	/*
	 * func_select.h B5: the FN_* flags (and D1's clone symbol) of each candidate,
	 * in the order its FUNC is in btf. A candidate's FUNC carries its ordinal among
	 * the chunk's candidates of its name in its vlen until the merge has read it:
	 * the chunk's dedup then never merges two candidates, each keeps its own facts.
	 */
	struct fn_facts *fn_facts;
	size_t nfn_facts, fn_facts_cap;
	size_t held_first;		/* merge: this chunk's first state in merger.fstates */
	size_t units, units_skipped, funcs, vars;
	int deduped;			/* btf went through a chunk dedup */
	int err;
};

/* Per-thread scratch reused across units. */
struct cu_scratch {
	struct u64map strs;	/* the chunk BTF's ptr_offs while it pays (cu__encode()) */
	size_t units;			/* units encoded in this chunk */
	uint32_t *ids;		/* record -> first BTF ID */
	size_t ids_cap;
	uint8_t *selected;	/* function -> chosen */
	size_t sel_cap;
	struct strmap chunk_funcs;	/* names already given a FUNC in this chunk */
	struct strmap fn_ordinals;	/* B5: candidates of each name so far in this chunk */
	uint8_t *leave;		/* C2: a candidate's parameters left out of its prototype */
	size_t leave_cap;
};

/* BTF ID a reference to record @idx of @cu stands for (_Atomic T is T, void 0). */
static inline uint32_t cu__btf_id(const struct cu_records *cu, const uint32_t *ids, uint32_t idx)
{
	unsigned int guard = 0;

	while (idx && idx < cu->ntypes && guard++ < 64) {
		const struct type_rec *r = &cu->types[idx];

		if (r->kind == LK_VOID)
			return 0;
		if (r->kind != LK_ATOMIC)
			return ids[idx];
		idx = r->ref;	/* BTF has no atomic kind */
	}
	return 0;
}

/* Encodes one loaded unit into @out->btf. */
int cu__encode(const struct cu_records *cu, struct chunk_out *out, struct cu_scratch *s,
	       const struct symidx *syms, const struct encoder_config *cfg, const char *path);
/* After the chunk's last unit: @out->fn_rb appended to @out->rb, and freed. 0 or -errno. */
int cu__append_funcs(struct chunk_out *out);
void cu_scratch__free(struct cu_scratch *s);

#endif
