/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * encoder: DWARF records of one ELF file -> one deduplicated struct btf.
 *
 * Pipeline (design note in encoder.c): units are cut into fixed chunks by
 * .debug_info size (never by thread count); worker threads encode chunks into
 * their own BTF objects and deduplicate them; the calling thread merges the
 * chunk results strictly in chunk order, applies the global selection rules
 * (one FUNC per name, first unit wins), appends the DATASECs and runs the final
 * btf__dedup (against the base, for split output). Output bytes therefore do
 * not depend on the number of threads.
 *
 * Rules follow pahole 1.24 unless a field below says otherwise; REFERENCE §2.
 *
 * Ownership: encoder__encode() returns a struct btf the caller frees with
 * btf__free(); the base (if any) must outlive it.
 * Errors: negative errno with a message naming the input.
 */
#ifndef BTFENC_ENCODER_H
#define BTFENC_ENCODER_H

#include <stdint.h>

#include "dwarf_loader/elf_input.h"
#include "util/diag.h"

struct btf;

struct encoder_config {
	const struct diag *diag;
	int jobs;			/* worker threads, >= 1 */
	int gen_floats;			/* FLOAT kind; else floats become INT (pahole) */
	int skip_vars;			/* no VAR / DATASEC at all */
	int skip_decl_tag;
	int skip_type_tag;
	int skip_enum64;		/* 64-bit enums as ENUM, values truncated */
	int force;			/* invalid symbol names skipped, not fatal */
	const uint32_t *lang_exclude;	/* DW_LANG_* values to skip */
	size_t nlang_exclude;
	struct btf *base;		/* flat base for split output, or NULL */
	uint64_t chunk_bytes;		/* .debug_info bytes per chunk; 0 = default */
};

struct encoder_stats {
	size_t units, units_skipped, chunks;
	size_t funcs, vars;
	double t_encode, t_merge, t_dedup;	/* seconds */
};

/*
 * Encodes the DWARF of @elf. On success returns 0 and sets *@out (which may
 * hold only the void type if nothing was found). -ENODATA: no DWARF.
 */
int encoder__encode(struct elfin *elf, const struct encoder_config *cfg, struct btf **out,
		    struct encoder_stats *stats);

#endif
