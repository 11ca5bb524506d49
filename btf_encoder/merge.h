/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * merge: the ordered merge (merge.c, design note there). Chunk results are
 * appended in chunk order on the calling thread; the merger also keeps what
 * is decided after the last chunk: the held FUNC candidates (func_select.h) and
 * the chosen variables (vars.h). One thread only.
 * Private to btf_encoder/.
 */
#ifndef BTFENC_ENCODER_MERGE_H
#define BTFENC_ENCODER_MERGE_H

#include <stddef.h>
#include <stdint.h>

#include "encoder.h"
#include "btf_builder/rawbtf.h"
#include "util/vec.h"

struct btf;
struct btf_var_secinfo;
struct chunk_out;
struct symidx;

/* Global state of the ordered merge. */
struct merger {
	struct btf *btf;		/* final (split on cfg->base if set) */
	/*
	 * raw_mode: chunks are appended to raw, not copied into btf with
	 * btf__add_type(); merger__finish_raw() makes btf of it for libbpf's dedup.
	 */
	int raw_mode;
	struct rawbtf raw;
	/* raw_mode: chunk string offset -> raw's, valid where str_stamp == str_gen */
	uint32_t *str_stamp, *str_map;
	size_t str_stamp_cap, str_map_cap, str_clean;
	uint32_t str_gen;
	int global_vars;		/* VARs are chosen by vars.c, not copied */
	int scratch_btf;		/* merger__finish_raw(): rawbtf__to_btf_scratch() */
	struct strmap func_names;	/* FUNC names already in btf; keys owned */
	struct btf_var_secinfo *vsi;	/* per-CPU entries, final IDs */
	size_t nvsi, vsi_cap;
	struct u64map percpu_at;	/* per-CPU offsets given a VAR (vars__percpu_claim()) */
	uint8_t *var_drop;		/* scratch: per chunk VAR ordinal, left out */
	size_t var_drop_cap;
	size_t percpu_dropped;		/* per-CPU VARs left out: their offset was taken */
	struct gvar *gvars;		/* global_vars: one per (section, offset) */
	size_t ngvars, gvars_cap;
	struct u64map gvar_at;		/* shndx << 32 | offset -> gvars index */
	const char **gtags;
	size_t ngtags, gtags_cap;
	struct strmap decl_types;	/* name -> final type of its first declaration */
	struct strmap skip_reason;	/* name -> first enum var_skip, for coverage */
	size_t var_skips[VSKIP__MAX];
	uint32_t *map;			/* scratch: chunk ID -> final ID */
	size_t map_cap;
	uint32_t *refs;
	size_t refs_cap;
	size_t funcs_dropped;
	int func_rules;			/* func_select.h B5: FUNCs held to the end */
	struct fn_state *fstates;
	size_t nfstates, fstates_cap;
	struct fn_tag *ftags;
	size_t nftags, ftags_cap;
	struct fn_param *fparams;	/* the held FUNCs' prototype parameters */
	size_t nfparams, fparams_cap;
	char *fname_pool;		/* their names, NUL-terminated, by offset */
	size_t fname_len, fname_cap;
	uint8_t *str_marks;		/* scratch: chunk strings only dropped records use */
	size_t str_marks_cap;
	uint32_t str_marks_len;
};

/* raw_mode: the merged records become merger.btf (for libbpf's dedup, BTFENC_DEDUP). */
int merger__finish_raw(struct merger *m);

/*
 * The merged types as what is decided after the last chunk reads and extends them (the
 * function rules, func_select.c and func_judge.c; the variables, vars.c and
 * vars_merge.c): libbpf's object, or in raw_mode the records themselves, indexed by
 * merger__index_raw() (no libbpf copy of them, which would be made modifiable: for a
 * big module two more copies of every record and a heap entry per string). The same
 * IDs, string offsets and bytes either way; each call mirrors the libbpf function of
 * its name (rawbtf.h).
 */
int merger__index_raw(struct merger *m);
const struct btf_type *merger__type_by_id(const struct merger *m, uint32_t id);
const char *merger__name_by_offset(const struct merger *m, uint32_t off);
int merger__add_ptr(struct merger *m, int ref);
int merger__add_type_tag(struct merger *m, const char *value, int ref);
int merger__add_func_proto(struct merger *m, int ret);
int merger__add_func_param(struct merger *m, const char *name, int type);
int merger__add_func(struct merger *m, const char *name, int linkage, int proto);
int merger__add_decl_tag(struct merger *m, const char *value, int ref, int component_idx);
int merger__add_var(struct merger *m, const char *name, int linkage, int type);
int merger__add_datasec(struct merger *m, const char *name, uint32_t byte_sz);
int merger__add_datasec_var_info(struct merger *m, int var, uint32_t offset, uint32_t byte_sz);
/*
 * libbpf 1.1.2's btf__resolve_size() (src/btf.c): the size of type @id, or -EINVAL or
 * -E2BIG, a pointer being @addr_size bytes, the input ELF's (on both paths: libbpf would
 * guess from a type named like long, or take the host's, and those guesses differed
 * between one chunk and several).
 */
long long merger__resolve_size(struct merger *m, uint32_t id, int addr_size);
/* The record of the type just added, to be written (a kind_flag libbpf 1.1.2 cannot set). */
struct btf_type *merger__last(struct merger *m);

/* Appends chunk @c to the merged BTF, dropping FUNCs whose name is taken. */
int merger__add(struct merger *m, struct chunk_out *c, const struct symidx *syms,
		const struct diag *diag, const char *path);
void merger__free(struct merger *m);

#endif
