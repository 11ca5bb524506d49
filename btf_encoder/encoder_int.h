/* SPDX-License-Identifier: GPL-2.0-only */
/* Private to btf_encoder/: symbol index, per-chunk output, merge. */
#ifndef BTFENC_ENCODER_INT_H
#define BTFENC_ENCODER_INT_H

#include <bpf/btf.h>

#include "encoder.h"
#include "dwarf_loader/loader.h"
#include "util/vec.h"

/* A per-CPU ELF symbol, offset relative to its section. */
struct percpu_sym {
	uint64_t offset;
	uint64_t size;
	const char *name;
};

/* What the selection rules need from the ELF file, built once, read-only. */
struct symidx {
	struct strmap funcs;		/* STT_FUNC names */
	size_t nfuncs;
	size_t percpu_shndx;		/* 0: no .data..percpu */
	uint64_t percpu_addr, percpu_size;
	struct percpu_sym *percpu;	/* sorted by offset */
	size_t npercpu;
};

int symidx__build(struct symidx *s, const struct elfin *elf, const struct encoder_config *cfg);
void symidx__free(struct symidx *s);

/* A DATASEC entry whose VAR is the @var_ord-th VAR of its chunk. */
struct secinfo {
	uint32_t var_ord;
	uint32_t offset;
	uint32_t size;
};

/* The result of one chunk of units, owned by the merging thread once done. */
struct chunk_out {
	struct btf *btf;
	struct secinfo *vsi;
	size_t nvsi, vsi_cap;
	size_t units, units_skipped, funcs, vars;
	int err;
};

/* Per-thread scratch reused across units. */
struct cu_scratch {
	uint32_t *ids;		/* record -> first BTF ID */
	size_t ids_cap;
	uint8_t *selected;	/* function -> chosen */
	size_t sel_cap;
	struct strmap chunk_funcs;	/* names already given a FUNC in this chunk */
};

/* Encodes one loaded unit into @out->btf. */
int cu__encode(const struct lcu *cu, struct chunk_out *out, struct cu_scratch *s,
	       const struct symidx *syms, const struct encoder_config *cfg, const char *path);
void cu_scratch__free(struct cu_scratch *s);

/* Global state of the ordered merge. */
struct merger {
	struct btf *btf;		/* final (split on cfg->base if set) */
	struct strmap func_names;	/* FUNC names already in btf; keys owned */
	struct btf_var_secinfo *vsi;	/* per-CPU entries, final IDs */
	size_t nvsi, vsi_cap;
	uint32_t *map;			/* scratch: chunk ID -> final ID */
	size_t map_cap;
	uint32_t *refs;
	size_t refs_cap;
	size_t funcs_dropped;
};

/* Appends chunk @c to the merged BTF, dropping FUNCs whose name is taken. */
int merger__add(struct merger *m, struct chunk_out *c, const struct diag *diag, const char *path);
void merger__free(struct merger *m);

#endif
