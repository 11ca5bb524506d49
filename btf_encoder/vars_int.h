/* SPDX-License-Identifier: GPL-2.0-only */
/* Private to btf_encoder/vars*.c: helpers the unit pass and the merge share. */
#ifndef BTFENC_VARS_INT_H
#define BTFENC_VARS_INT_H

#include "chunk.h"
#include "merge.h"
#include "symbols.h"
#include "vars.h"

/* The most entries one DATASEC can hold (vlen is 16 bits): a section with more
 * variables is written as several DATASECs of its name (vars_merge.c). */
#define DATASEC_MAX_VLEN 0xffff

/* A name pahole's filters leave out (__UNIQUE_ID, __tpstrtab_, ...). */
int vars__name_filtered(const char *name);
/* A C identifier, as the kernel wants VAR names. */
int vars__ident_valid(const char *p);
/* Adds a DECL_TAG @value on @target; messages name @path. */
int vars__add_decl_tag(struct merger *m, const char *value, int target, const char *path,
		       const struct diag *diag);
/* The per-CPU DATASEC of pahole 1.24's rule, from the merged secinfos. */
int vars__add_percpu_datasec(struct merger *m, const struct diag *diag, const char *path,
			     struct encoder_stats *st);

#endif
