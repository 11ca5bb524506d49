/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * func_judge: the judgements func_select__finish() makes on the held candidates of one
 * name, sorted by name then merge order (func_judge.c; the rules are func_select.h's).
 * Pure functions of the merger's held states and final BTF. Merging thread only.
 * Private to btf_encoder/func_select*.c, func_judge.c (and their unit tests).
 */
#ifndef BTFENC_ENCODER_FUNC_JUDGE_H
#define BTFENC_ENCODER_FUNC_JUDGE_H

#include <stddef.h>

#include "func_select.h"

struct merger;

/* B6: the flags of the name of candidates @st[0..@n), all ORed into *@flags; the first one. */
struct fn_state *func_judge__131(const struct merger *m, struct fn_state *st, size_t n,
				 unsigned int *flags);
/*
 * C3-C5 (D3 with @true_sig): *@flags as pahole master's saved_functions_combine() leaves
 * them, FN_OPTIMIZED_ABI added when C3 applies to the canonical candidate, which is
 * returned (the candidate whose prototype is written).
 */
struct fn_state *func_judge__master(const struct merger *m, struct fn_state *st, size_t n,
				    unsigned int *flags, int true_sig);
/* D2: the candidate written under its clone symbol's name, or NULL. */
const struct fn_state *func_judge__clone(const struct fn_state *st, size_t n);
/* C5: whether the prototypes of @a and @b match as pahole master's funcs__match() says. */
int func_judge__protos_match(const struct merger *m, const struct fn_state *a,
			     const struct fn_state *b);

#endif
