/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Private to btf_encoder/: the symbol index (symbols.c), a unit's encoding
 * (cu_encode.c), per-chunk output and the ordered merge (encoder.c, merge.c),
 * function rules (funcs.c), variables (vars.c, vars_merge.c; vars_int.h) and
 * the dedup bridge (dedup_bridge.c). Chunks are built with btf_builder/rawbtf.h
 * and deduplicated with btf_dedup/dedup.h.
 */
#ifndef BTFENC_ENCODER_INT_H
#define BTFENC_ENCODER_INT_H

#include <bpf/btf.h>

#include "encoder.h"
#include "btf_builder/rawbtf.h"
#include "dwarf_loader/loader.h"
#include "util/vec.h"

/* A per-CPU ELF symbol, offset relative to its section. */
struct percpu_sym {
	uint64_t offset;
	uint64_t size;
	const char *name;
};

/* An allocated data section a global variable can live in (global_vars). */
struct data_sec {
	uint64_t addr, size;
	uint32_t shndx;
};

/* Classes of ELF sections for the variable rules (symidx.sec_class). */
enum sec_class {
	SEC_NONE,	/* not allocated PROGBITS/NOBITS, TLS, or empty */
	SEC_DATA,	/* VARs go into a DATASEC of its name */
	SEC_INIT,	/* freed after boot: .init.*, .exit.*, or inside __init_begin/end */
	SEC_BAD_NAME,	/* a name the kernel refuses for a DATASEC */
};

/* An STT_OBJECT symbol in a data section (global_vars). */
struct data_sym {
	const char *name;
	uint64_t offset;	/* from its section's start */
	uint64_t size;
	uint32_t shndx;
	uint8_t bind;		/* STB_* */
};

/* What the selection rules need from the ELF file, built once, read-only. */
struct symidx {
	const struct elfin *elf;
	struct strmap funcs;		/* STT_FUNC names */
	size_t nfuncs;
	size_t percpu_shndx;		/* 0: no .data..percpu */
	uint64_t percpu_addr, percpu_size;
	struct percpu_sym *percpu;	/* sorted by offset */
	size_t npercpu;
	/* global_vars only: */
	uint8_t *sec_class;		/* enum sec_class per ELF section */
	struct data_sec *dsecs;		/* SEC_DATA/INIT/BAD_NAME sections, by address */
	size_t ndsecs;
	struct data_sym *dsyms;		/* by (shndx, offset, name) */
	size_t ndsyms;
	struct strmap globals;		/* global/weak sized data symbol -> dsyms index */
	/* pahole 1.26+ function rules only (funcs.c): */
	struct strmap func_groups;	/* name up to the first '.' -> groups index; keys owned */
	struct fn_group {
		uint64_t addr;
		int ambiguous;		/* symbols of the group at several addresses */
	} *groups;
	size_t ngroups;
	struct strmap kfuncs;		/* names in a kfunc set8 of .BTF_ids; keys owned */
};

int symidx__build(struct symidx *s, struct elfin *elf, const struct encoder_config *cfg);
void symidx__free(struct symidx *s);
/* Section index of the data section holding @addr, or 0. */
uint32_t symidx__data_section(const struct symidx *s, uint64_t addr);
/* The data symbols at @offset of section @shndx: first one, *@n of them (NULL, 0: none). */
const struct data_sym *symidx__data_syms_at(const struct symidx *s, uint32_t shndx,
					    uint64_t offset, size_t *n);

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

/* The result of one chunk of units, owned by the merging thread once done. */
struct chunk_out {
	struct rawbtf rb;		/* built by the units (cu_encode.c, vars.c) */
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
	struct strmap fn_flags;		/* funcs.c: FUNC name -> ORed FN_* flags */
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
};

/* BTF ID a reference to record @idx of @cu stands for (_Atomic T is T, void 0). */
static inline uint32_t lcu__btf_id(const struct lcu *cu, const uint32_t *ids, uint32_t idx)
{
	unsigned int guard = 0;

	while (idx && idx < cu->ntypes && guard++ < 64) {
		const struct ltype *r = &cu->types[idx];

		if (r->kind == LK_VOID)
			return 0;
		if (r->kind != LK_ATOMIC)
			return ids[idx];
		idx = r->ref;	/* BTF has no atomic kind */
	}
	return 0;
}

/* Encodes one loaded unit into @out->btf. */
int cu__encode(const struct lcu *cu, struct chunk_out *out, struct cu_scratch *s,
	       const struct symidx *syms, const struct encoder_config *cfg, const char *path);
void cu_scratch__free(struct cu_scratch *s);

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

/* Global state of the ordered merge. */
struct merger {
	struct btf *btf;		/* final (split on cfg->base if set) */
	/*
	 * raw_mode: chunks are appended to raw, not copied into btf with
	 * btf__add_type(); merger__finish_raw() makes btf of it after the last.
	 */
	int raw_mode;
	struct rawbtf raw;
	/* raw_mode: chunk string offset -> raw's, valid where str_stamp == str_gen */
	uint32_t *str_stamp, *str_map;
	size_t str_stamp_cap, str_map_cap, str_clean;
	uint32_t str_gen;
	int global_vars;		/* VARs are chosen by vars.c, not copied */
	struct strmap func_names;	/* FUNC names already in btf; keys owned */
	struct btf_var_secinfo *vsi;	/* per-CPU entries, final IDs */
	size_t nvsi, vsi_cap;
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
	int func_rules;			/* funcs.c: FUNCs held back, written at the end */
	struct fn_state *fstates;
	size_t nfstates, fstates_cap;
	struct fn_tag *ftags;
	size_t nftags, ftags_cap;
};

/* funcs.c: pahole 1.26+ function rules. */
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

/*
 * dedup_bridge.c: replaces *@btf (standalone) by its deduplication with
 * btf_dedup/, split on @base when given (@index: its encoder__index_base(), or
 * NULL to build one for this call). Keeps *@btf's byte order. On error the
 * message names @path and the type; *@btf may have been freed (then NULL).
 */
int dedup_bridge__btf(struct btf **btf, struct btf *base, struct dedup_base *index,
		      const struct diag *diag, const char *path);

/* dedup_bridge.c: native-order bytes of @btf (libbpf's buffer, valid until @btf changes). */
const void *dedup_bridge__native_raw(struct btf *btf, uint32_t *size);

/*
 * dedup_bridge.c: the deduplication of @rb (freed, whatever the outcome) as a
 * libbpf BTF in *@out (host byte order), split on @base when given (@index
 * as for dedup_bridge__btf()), else standalone. Errors as dedup_bridge__btf().
 */
int dedup_bridge__rawbtf(struct rawbtf *rb, struct btf *base, struct dedup_base *index,
			 struct btf **out, const struct diag *diag, const char *path);

/* raw_mode: the merged records become merger.btf (before funcs/vars finish). */
int merger__finish_raw(struct merger *m);

/* Appends chunk @c to the merged BTF, dropping FUNCs whose name is taken. */
int merger__add(struct merger *m, struct chunk_out *c, const struct symidx *syms,
		const struct diag *diag, const char *path);
void merger__free(struct merger *m);

/*
 * Variables (vars.c, vars_merge.c): pahole 1.24's per-CPU rule, or with
 * cfg->global_vars every file-scope variable. The unit step (vars.c) runs on
 * worker threads, the other two (vars_merge.c) on the merging thread.
 */
struct var_unit {
	const struct lcu *cu;
	const uint32_t *ids;		/* record -> BTF ID in out->btf */
	struct chunk_out *out;
	const struct symidx *syms;
	const struct encoder_config *cfg;
	const char *path;
};

/* Writes the unit's VARs (and their decl tags) into u->out. */
int vars__encode_unit(const struct var_unit *u);
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
