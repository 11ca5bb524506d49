/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vars: which variables become VARs (vars.c, vars_merge.c; design note in
 * vars.c): what a chunk proposes, what the merge chooses, and the three
 * passes. vars_int.h holds the helpers only vars*.c share.
 * Threads: vars__encode_unit() runs on worker threads, on the unit's chunk
 * alone; vars__merge_chunk() and vars__finish() on the merging thread.
 * Private to btf_encoder/.
 */
#ifndef BTFENC_ENCODER_VARS_H
#define BTFENC_ENCODER_VARS_H

#include <stdint.h>

#include "encoder.h"
#include "dwarf_loader/loader.h"

struct chunk_out;
struct merger;
struct symidx;

/* A DATASEC entry whose VAR is the @var_ord-th VAR of its chunk (per-CPU rule). */
struct secinfo {
	uint32_t var_ord;
	uint32_t offset;
	uint32_t size;
};

/*
 * A VAR a chunk proposes (global_vars); the merge picks one per address.
 * VC_DEF: a DWARF definition placed by its ELF symbol. VC_DECL: a top-level
 * declaration of a global data symbol, whose VAR only carries the declared
 * type for symbols that no unit defines (asm-defined data).
 */
enum var_cand_kind { VC_DEF, VC_DECL };

struct var_cand {
	const char *name;	/* DWARF name (a string of the loader's, stable) */
	uint64_t die_off;
	uint32_t var_ord;	/* its VAR is the var_ord-th VAR of the chunk */
	uint32_t shndx;		/* VC_DEF: section, offset, the ELF symbol's size */
	uint32_t offset;
	uint32_t size;
	uint32_t tags;		/* decl tag values: chunk_out.var_tags[tags..+ntags] */
	uint16_t ntags;
	uint8_t kind;		/* enum var_cand_kind */
	uint8_t owner;		/* VC_DEF: the ELF symbol there has its name */
	uint8_t linkage;	/* BTF_VAR_* */
};

/* A variable a chunk left out (global_vars), reported in merge order. */
struct var_skip_rec {
	const char *name;	/* may be NULL */
	uint64_t die_off;
	uint8_t reason;		/* enum var_skip */
};

/* A VAR chosen by the merge (global_vars), written by vars__finish(). */
struct gvar {
	const char *name;
	uint64_t die_off;	/* 0 if declared */
	uint32_t type;		/* final BTF ID */
	uint32_t shndx, offset, size;
	uint32_t tags;		/* decl tag values: merger.gtags[tags..+ntags] */
	uint16_t ntags;
	uint8_t owner;
	uint8_t declared;	/* placed by its symbol, typed from a declaration */
	uint8_t linkage;
	uint8_t drop;		/* 0, or enum var_skip + 1 once vars__finish() drops it */
};

/*
 * Variables (vars.c, vars_merge.c): pahole 1.24's per-CPU rule, or with
 * cfg->global_vars every file-scope variable. The unit step (vars.c) runs on
 * worker threads, the other two (vars_merge.c) on the merging thread.
 */
struct var_unit {
	const struct cu_records *cu;
	const uint32_t *ids;		/* record -> BTF ID in out->btf */
	struct chunk_out *out;
	const struct symidx *syms;
	const struct encoder_config *cfg;
	const char *path;
};

/* Writes the unit's VARs (and their decl tags) into u->out. */
int vars__encode_unit(const struct var_unit *u);
/*
 * Per-CPU rule, before chunk @c is copied: marks in m->var_drop (one byte per VAR
 * ordinal of @c) the VARs whose offset an earlier VAR of @c or of an earlier chunk
 * took. Returns how many, or a negative errno (-EFAULT: a secinfo names no VAR of @c).
 */
int vars__percpu_claim(struct merger *m, const struct chunk_out *c);
/*
 * global_vars: takes chunk @c's candidates in order; @var_type maps a chunk
 * VAR ordinal to the final ID of its type. Reports the chunk's skips (-V).
 */
int vars__merge_chunk(struct merger *m, const struct chunk_out *c, const uint32_t *var_type,
		      const struct symidx *s, const struct diag *diag, const char *path);
/* After the last chunk: writes the VARs and DATASECs, fills the stats. */
int vars__finish(struct merger *m, const struct symidx *s, const struct encoder_config *cfg,
		 const char *path, struct encoder_stats *st);

#endif
