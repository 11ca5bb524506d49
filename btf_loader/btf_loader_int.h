/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * btf_loader internals: a unit's slot, the symbol lookups, and the two passes
 * a unit goes through (btf_fixup.c: checks; btf_records.c: records).
 * Private to btf_loader/.
 */
#ifndef BTFENC_BTF_LOADER_INT_H
#define BTFENC_BTF_LOADER_INT_H

#include "btf_loader.h"
#include "util/vec.h"

struct btf;
struct btf_chain;

/* What was changed in a unit's BTF, or could not be placed: btfload__report(). */
enum fix_kind {
	FIX_SIGNED_CHAR,	/* INT encoding SIGNED|CHAR written SIGNED */
	FIX_FWD_TYPE,		/* FWD with a non-zero size/type field, zeroed */
	FIX_FWD_ENUM,		/* FWD marked as CTF's enum kind: an enum declaration */
	FIX_ANON_FUNC,		/* FUNC without a name (GCC 12: one per function type) */
	FIX_FUNC_UNNAMED,	/* FUNC with an unnamed parameter (GCC 12: a declaration) */
	FIX_ARRAY_INDEX,	/* ARRAY without an index type: one added */
	FIX_VAR_INCOMPLETE,	/* VAR of an incomplete type (a declaration) set aside */
	FIX_VAR_TWICE,		/* a second VAR of one name in a unit: a declaration */
	FIX_DATASEC,		/* DATASEC set aside: rebuilt from the ELF symbols */
	FIX_DECL_TAG,		/* DECL_TAG not carried over */
	FIX_TYPE_TAG,		/* TYPE_TAG not carried over: its type is used */
	FIX_FUNC_NO_SYM,	/* FUNC whose name no function symbol bears */
	FIX_FUNC_AMBIGUOUS,	/* FUNC whose name several local function symbols bear */
	FIX_VAR_NO_SYM,		/* VAR defined here whose name no data symbol bears */
	FIX_VAR_AMBIGUOUS,	/* static VAR whose name several local data symbols bear */
	FIX_FUNC_BY_FILE,	/* FUNC of several local symbols' name, placed by its file */
	FIX_VAR_BY_FILE,	/* the same for a static VAR */
	FIX__MAX,
};

struct unit_slot {
	size_t offset, size;		/* the blob in the .BTF section */
	struct btf_chain *chain;	/* checked, as btf_reader/ flattened it */
	uint8_t *set_aside;		/* per type ID: not a type of the records */
	uint32_t fixes[FIX__MAX];
};

/*
 * A name's symbols: the first global or weak one, the first local one and its file,
 * how many locals. A local symbol's file is the ordinal (from 1) of the STT_FILE
 * symbol before it in the symbol table, 0 if none: a linker lists each object's
 * local symbols after the STT_FILE symbol of its source.
 */
struct sym_pick {
	uint32_t global;		/* index into elf->syms + 1, 0: none */
	uint32_t local;
	uint32_t local_file;
	uint32_t nlocal;		/* local symbols of the name at distinct addresses */
};

struct btf_loader {
	struct objfile *elf;
	const struct diag *diag;
	const uint8_t *sec;		/* the .BTF section */
	size_t sec_size;
	struct unit_span *units;
	struct unit_slot *slots;
	size_t nunits;
	struct strmap func_syms;	/* STT_FUNC name -> picks index */
	struct strmap data_syms;	/* STT_OBJECT/STT_TLS name -> picks index */
	struct sym_pick *picks;
	size_t npicks, picks_cap;
	struct u64map file_locals;	/* file << 32 | picks index -> its local symbol + 1 */
};

/*
 * btf_fixup.c: checks the blob of @slot (unit @k) with btf_reader/, sets aside
 * what the records do not take, and fills slot->chain and slot->set_aside.
 */
int btffix__check_unit(struct btf_loader *l, size_t k);

/* btf_records.c: the records of a checked unit. */
int btfrec__load(struct btf_loader *l, size_t k, struct cu_records *cu);

#endif
