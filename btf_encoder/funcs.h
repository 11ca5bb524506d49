/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * funcs: pahole 1.26+'s function rules (funcs.c, design note there): the
 * flags a unit gives a function, the candidates the merge holds back, and
 * the FUNCs written after the last chunk. The tables are built once (before
 * the units) into the symbol index; the flags are computed on worker
 * threads; the rest runs on the merging thread.
 * Private to btf_encoder/.
 */
#ifndef BTFENC_ENCODER_FUNCS_H
#define BTFENC_ENCODER_FUNCS_H

#include <stddef.h>
#include <stdint.h>

#include "encoder.h"
#include "dwarf_loader/loader.h"

struct merger;
struct symidx;

enum fn_flag {
	FN_OPTIMIZED		= 1 << 0,	/* a parameter optimized out: never excludes */
	FN_UNEXPECTED_REG	= 1 << 1,
	FN_INCONSISTENT		= 1 << 2,
	FN_AMBIGUOUS		= 1 << 3,
	FN_UNCERTAIN_LOC	= 1 << 4,	/* packed struct on the stack (pahole 1.31) */
};

/* One FUNC candidate held back by the merge. */
struct fn_state {
	char *name;		/* owned */
	uint32_t proto;		/* final ID of its FUNC_PROTO */
	unsigned int flags;
	size_t order;		/* merge order, for a stable sort */
	uint32_t tags, ntags;	/* its DECL_TAGs in merger.ftags */
};

struct fn_tag {
	char *value;		/* owned */
	int component;
};

/* Groups STT_FUNC symbols by the name up to the first '.' (once, before units). */
int funcs__build_table(struct symidx *s, const struct elfin *elf);
void funcs__free_table(struct symidx *s);
/* Names of the kfuncs listed in .BTF_ids (decl_tag_kfuncs). */
int funcs__build_kfuncs(struct symidx *s, struct elfin *elf);
/* FN_* flags of function @f of @cu from its parameters' locations. */
unsigned int funcs__flags(const struct lcu *cu, const struct lfunc *f, uint16_t machine);
/* Why a name with @flags gets no FUNC under consistent_func, or NULL. */
const char *funcs__drop_reason(unsigned int flags);
/* Writes the FUNCs of the held candidates, sorted by name; *@emitted counts them. */
int funcs__finish(struct merger *m, const struct symidx *s, const struct encoder_config *cfg,
		  const char *path, size_t *emitted);
void funcs__free_states(struct merger *m);

#endif
