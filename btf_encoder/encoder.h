/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * encoder: DWARF records of one ELF file -> one deduplicated struct btf.
 *
 * Pipeline (design note in encoder.c): units are cut into fixed chunks by
 * .debug_info size (never by thread count); worker threads encode chunks into
 * their own BTF objects (btf_builder/rawbtf.h) and deduplicate them (not for
 * split output: see encoder.c); the calling thread merges the chunk results
 * strictly in chunk order, applies the function rules across chunks
 * (func_select.h), chooses the variables (one VAR per address, vars.c),
 * appends the DATASECs and runs the final dedup (btf_dedup/dedup.h: libbpf
 * f7081a6b's or, under compat_124, libbpf 1.1.2's btf__dedup() results,
 * against the base for split output).
 * Output bytes therefore do not depend on the number of threads.
 *
 * Rules follow pahole master (dwarves 1436daf) by default and pahole 1.24's
 * btf_encoder.c under compat_124; every function rule, with the pahole
 * commit it comes from, is listed in func_select.h.
 *
 * encoder__run() is the whole of a command line's work on top of that: the
 * base chain read once, every input encoded, its outputs written (run.c).
 *
 * Ownership: encoder__encode() returns a struct btf the caller frees with
 * btf__free(); the base (if any) must outlive it.
 * Thread-safety: calls that share no base may run at once (each makes its
 * own threads). A call may touch the base given in encoder_config (libbpf
 * caches its raw bytes in it), so calls on one base go one at a time;
 * encoder__run()'s batch is how several inputs share one.
 * Errors: negative errno with a message naming the input.
 */
#ifndef BTFENC_ENCODER_H
#define BTFENC_ENCODER_H

#include <stdint.h>

#include "dwarf_loader/objfile.h"
#include "util/diag.h"

struct btf;

struct encoder_config {
	const struct diag *diag;
	int jobs;			/* worker threads, >= 1 */
	int gen_floats;			/* FLOAT kind; else floats become INT (pahole) */
	int skip_vars;			/* no VAR / DATASEC at all */
	int global_vars;		/* every file-scope variable (vars.c), not only per-CPU */
	int skip_decl_tag;
	int skip_type_tag;
	int skip_enum64;		/* 64-bit enums as ENUM, values truncated */
	int force;			/* invalid symbol names skipped, not fatal */
	/*
	 * The compatibility behaviour (--pahole_compat=1.24): where pahole changed a
	 * rule after 1.24, keep 1.24's. Otherwise the rules of pahole master at
	 * dwarves commit 1436daf apply (each difference is noted where it is made).
	 */
	int compat_124;
	/*
	 * Function selection (func_select.h): any of these three makes pahole
	 * 1.26+'s rules apply (foo.isra.0 matches foo, one FUNC per name chosen
	 * after all units); consistent_funcs also drops the names whose prototypes
	 * differ (under compat_124, every flagged name).
	 */
	int optimized_funcs;		/* feature optimized_func */
	int consistent_funcs;		/* feature consistent_func */
	int decl_tag_kfuncs;		/* DECL_TAG "bpf_kfunc" on kfuncs (.BTF_ids set8) */
	int attributes;			/* with decl_tag_kfuncs: address_space(1) on arena kfuncs */
	/*
	 * Feature true_signature (pahole master, func_select.h D1-D4), with the rules
	 * above; not applied under compat_124.
	 */
	int true_signature;
	/*
	 * Read the input's .BTF, as a compiler wrote it per object (gcc -gbtf),
	 * instead of its DWARF (btf_loader/btf_loader.h). The rules that need
	 * where parameters live (optimized, unexpected_reg, reordered_parm,
	 * true_signature) have nothing to judge: every candidate keeps the
	 * compiler's prototype, and -V says so once per input.
	 */
	int btf_input;
	const uint32_t *lang_exclude;	/* DW_LANG_* values to skip */
	size_t nlang_exclude;
	struct btf *base;		/* flat base for split output, or NULL */
};

/*
 * Why a variable (global_vars) or a data symbol (coverage) got no VAR.
 * encoder__var_skip_name() spells each one for messages and --stats.
 */
enum var_skip {
	VSKIP_LOCAL,		/* function-local static */
	VSKIP_TLS,		/* thread-local storage */
	VSKIP_NO_ADDR,		/* no DW_OP_addr location: optimized out, register */
	VSKIP_ARTIFICIAL,	/* DW_AT_artificial */
	VSKIP_NO_NAME,
	VSKIP_NAME_FILTER,	/* pahole's prefixes: __UNIQUE_ID, __tpstrtab_, ... */
	VSKIP_BAD_NAME,		/* not a C identifier (the kernel requires one) */
	VSKIP_NO_SECTION,	/* not in an allocated PROGBITS/NOBITS section */
	VSKIP_SECTION_NAME,	/* the section's name is no valid DATASEC name */
	VSKIP_INIT,		/* init/exit data, freed after boot */
	VSKIP_ADDR0,		/* address 0 without an ELF symbol of that name */
	VSKIP_NO_SYMBOL,	/* no ELF data symbol at its address */
	VSKIP_VOID,		/* void type */
	VSKIP_ZERO_SIZE,	/* zero-sized or incomplete type */
	VSKIP_TOO_BIG,		/* type larger than its ELF symbol */
	VSKIP_DUPLICATE,	/* another definition owns the same address */
	VSKIP_OVERLAP,		/* overlaps the previous entry of its section */
	VSKIP_IN_BASE,		/* the base BTF has it already */
	VSKIP_NO_DWARF,		/* coverage only: no definition or declaration in DWARF */
	VSKIP__MAX,
};

struct encoder_stats {
	size_t units, units_skipped, chunks;
	size_t funcs, vars, datasecs;
	/* global_vars only: */
	size_t var_skips[VSKIP__MAX];	/* DWARF variables left out, by reason */
	size_t data_syms;		/* data symbols that should get a VAR */
	size_t data_syms_missing;	/* of those, how many got none */
	/* seconds: setup (units, symbols), load+encode (workers, less the merge
	 * done meanwhile), merge, finish (functions, variables), base (waiting
	 * for a base read beside the encoding), dedup */
	double t_setup, t_encode, t_merge, t_finish, t_base, t_dedup;
};

/* Short text for @r ("TLS", "function-local static"), never NULL. */
const char *encoder__var_skip_name(enum var_skip r);

/*
 * Encodes the DWARF of @elf. On success returns 0 and sets *@out (which may
 * hold only the void type if nothing was found). -ENODATA: no DWARF.
 */
int encoder__encode(struct objfile *elf, const struct encoder_config *cfg, struct btf **out,
		    struct encoder_stats *stats);

/*
 * What encoder__run() reports for each input (--stats), once it is encoded and
 * before its outputs are written. Pointers are valid during the call only.
 */
struct encoder_report {
	const char *path;
	const struct encoder_stats *stats;
	uint32_t types;		/* types encoded, the base's not counted */
	uint32_t bytes;		/* the encoding's raw BTF size */
	double t_open;		/* seconds opening the ELF file */
	int global_vars;	/* the variable rule was global_vars (stats' var_skips apply) */
	int layered;		/* split in two layers: */
	uint32_t core_types, extra_types;
};

/* The base chain as encoder__run() read it (--stats); layers 0: no base. */
struct encoder_base_report {
	size_t layers;
	uint32_t types;		/* in the flat base, void not counted */
	double t_read, t_index;	/* seconds: read and check, index for the dedup */
	int beside;		/* read on its own thread beside the encoding */
};

/*
 * A whole run, as pahole -J runs in a kernel build: the base chain read once,
 * then every input encoded and written (run.c).
 */
struct encoder_job {
	struct encoder_config cfg;	/* the rules; base is the run's */
	const char *const *inputs;	/* ELF files */
	size_t ninputs;
	const char *const *bases;	/* --btf_base chain, root first; must outlive the run */
	size_t nbases;
	/*
	 * Outputs. detached: the one input's BTF as a raw file (the input is not
	 * touched); else each input's .BTF section is replaced (writer.h).
	 * extra_detached / extra_elf (one input, at most one of them): the
	 * encoding with every variable is cut into a core layer, written as just
	 * said, and an extra layer split on it (layers.h), written as a raw file
	 * or into that ELF file's .BTF with its ancestry.
	 */
	const char *detached;
	const char *extra_detached;
	const char *extra_elf;
	/*
	 * Output shapes of later pahole, each skipped (noted under -V) where it does
	 * not apply, as pahole skips it: distilled_base (1.28) for a split output
	 * written into an ELF file (-J with a base; not detached, not layered); layout
	 * (after 1.31) for a base output (no --btf_base).
	 */
	int distilled_base;
	int layout;
	/*
	 * Called for each input before its outputs are written, or NULL. With
	 * several inputs and jobs it runs on worker threads, several at a time.
	 */
	void (*report)(void *ctx, const struct encoder_report *r);
	void *report_ctx;
};

/*
 * Encodes every input of @job and writes its outputs. An input with nothing
 * to encode is left alone (as pahole does). The encoding of an input does not
 * depend on cfg.jobs, nor, in a batch (several inputs, jobs > 1: one input
 * per thread), on which thread took it. Testing hooks are read from the
 * environment: BTFENC_CHUNK_BYTES, BTFENC_DEDUP=libbpf (man page, ENVIRONMENT).
 * Returns 0 or the negative errno of the first error met (with several
 * threads, not necessarily the first input's; the other inputs are still
 * encoded); fills *@base_report (NULL: not wanted).
 */
int encoder__run(const struct encoder_job *job, struct encoder_base_report *base_report);

#endif
