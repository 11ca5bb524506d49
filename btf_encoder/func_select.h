/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * func_select: which DWARF subprograms become BTF FUNCs. Every rule is listed
 * here with its reason and the function that applies it; most live in
 * func_select.c (the design note of pahole 1.26+'s passes is there) and
 * func_params.c (a candidate's flags), the rest where the data they need is at
 * hand. Two rule sets, chosen by the features
 * (func_select__new_rules()):
 *
 * pahole 1.24's rules (none of those features on; the oracle is Debian's
 * pahole 1.24, dwarves btf_encoder.c btf_encoder__encode_cu()):
 *  A1. A declaration (DW_AT_declaration) gets no FUNC: it has no code here.
 *      func_select__unit()
 *  A2. A subprogram with an unnamed parameter, or without a name, gets none:
 *      pahole leaves them out. func_select__unit(); unnamed_param is
 *      recorded by the loader (dwarf_loader/walk.c walk__decode_func()).
 *  A3. Its name must be an STT_FUNC symbol of the ELF file, exactly (no
 *      foo.isra.0 for foo): BTF describes functions the image has code for.
 *      func_select__unit(), on symidx.funcs (symbols.c).
 *  A4. An ELF file without any function symbol: only external functions.
 *      func_select__unit()
 *  A5. One FUNC per name, the first unit in .debug_info order wins (pahole
 *      marks a symbol's function as generated): within a chunk through
 *      cu_scratch.chunk_funcs in func_select__unit(), across chunks through
 *      func_select__take_name() in the merge (merge.c merge_chunk() step 1),
 *      so that -j changes nothing.
 *  A6. A FUNC_PROTO that only a FUNC dropped by A5 referred to is dropped
 *      with it: a serial run would not have written it. merge.c
 *      merge_chunk() step 2
 *  A7. FUNC linkage is always static; a FUNC's DECL_TAGs (on the function
 *      and its parameters) follow it unless decl_tag is off. cu_encode.c
 *      emit_funcs()
 *
 * pahole 1.26+'s rules (features optimized_func, consistent_func; pahole
 * 1.27 applies them whenever decl_tag_kfuncs is on too; dwarves btf_encoder.c
 * elf_functions__collect(), btf_encoder__add_saved_funcs()):
 *  B1. ELF table: STT_FUNC symbols grouped by their name up to the first '.',
 *      so foo.isra.0 and foo.constprop.0 stand for foo; foo.cold.N and
 *      foo.part.N are pieces of foo, not functions. A group whose symbols
 *      have more than one address is ambiguous. func_select__build_table()
 *  B2. A1 and A2 hold; every unit's instance whose name is a group is a
 *      candidate (no first-unit rule). func_select__unit()
 *  B3. Flags from where the parameters live at entry, for those below the
 *      ABI's register count (x86_64 6, arm64 8, s390 5): no location or a
 *      constant value is "optimized" (never excludes on its own); another
 *      register than the ABI's is "unexpected_reg", unless a struct is
 *      passed by value (it shifts the registers). The loader records the
 *      locations only under these rules (loader_config.param_locations).
 *      func_select__flags() (func_params.c), kept per candidate by cu_encode.c
 *      hold_candidate()
 *  B4. pahole 1.31's uncertain_parm_loc (dwarves 4a1f0c9): a packed struct
 *      passed on the stack past the registers has no location a caller
 *      could rely on. func_select__flags()
 *  B5. The merge holds candidate FUNCs back instead of copying them, with
 *      their prototypes' content; a prototype no kept type of the units
 *      refers to is not copied, and every chosen FUNC gets its FUNC_PROTO
 *      written just before it (pahole saves a function's state and writes
 *      its prototype with it: no output holds a prototype only a dropped
 *      function had). merge.c hold_funcs(), fix_held_protos(),
 *      func_select__finish()
 *  B6. After the last chunk, candidates sorted by name (stable: unit order);
 *      per name the flags are ORed and the prototypes compared (parameter
 *      count, return and parameter types by kind and name, const ignored, a
 *      FWD equal to its struct or union): a difference is
 *      "inconsistent_proto". func_select__finish(), protos_match()
 *  B7. With consistent_func, a name flagged ambiguous, inconsistent_proto,
 *      unexpected_reg or uncertain_parm_loc gets no FUNC; each drop is
 *      reported under -V with its reason. Otherwise the first candidate's
 *      prototype is used. func_select__finish(), func_select__drop_reason()
 *  B8. FUNCs are written sorted by name, after all units, so the output does
 *      not depend on -j. func_select__finish()
 *  B9. decl_tag_kfuncs (pahole 1.27): a FUNC named by a __BTF_ID__func__
 *      symbol inside a BTF_SET8 of .BTF_ids whose flags have BTF_SET8_KFUNCS
 *      gets a DECL_TAG "bpf_kfunc". func_select__build_kfuncs(),
 *      func_select__finish()
 * Not modelled: the rules pahole added after 1.31 (strong over weak
 * definitions, reordered parameters, optimized parameters only when the ABI
 * changed).
 *
 * Threads: the tables are built once, before the units, into the symbol
 * index; func_select__unit() and func_select__flags() run on worker threads;
 * the rest on the merging thread.
 * Private to btf_encoder/.
 */
#ifndef BTFENC_ENCODER_FUNCS_H
#define BTFENC_ENCODER_FUNCS_H

#include <stddef.h>
#include <stdint.h>

#include "encoder.h"
#include "dwarf_loader/loader.h"

struct cu_scratch;
struct merger;
struct symidx;

/* Whether pahole 1.26+'s rules apply (B*), else pahole 1.24's (A*). */
static inline int func_select__new_rules(const struct encoder_config *cfg)
{
	return cfg->optimized_funcs || cfg->consistent_funcs || cfg->decl_tag_kfuncs;
}

/*
 * A1-A5, B2: marks in s->selected (one byte per function of @cu, resized
 * here) the functions of @cu that get a FUNC. 0 or -ENOMEM.
 */
int func_select__unit(const struct cu_records *cu, struct cu_scratch *s, const struct symidx *syms,
		      const struct encoder_config *cfg);
/*
 * A5 across chunks: 1 if no earlier chunk gave a FUNC to @name (now taken:
 * the merger keeps a copy), 0 if one did, or -ENOMEM.
 */
int func_select__take_name(struct merger *m, const char *name);

enum fn_flag {
	FN_OPTIMIZED		= 1 << 0,	/* a parameter optimized out: never excludes */
	FN_UNEXPECTED_REG	= 1 << 1,
	FN_INCONSISTENT		= 1 << 2,
	FN_AMBIGUOUS		= 1 << 3,
	FN_UNCERTAIN_LOC	= 1 << 4,	/* packed struct on the stack (pahole 1.31) */
};

/*
 * One FUNC candidate held back by the merge, with its prototype's content (B5): the
 * FUNC_PROTO is written with the FUNC if it is chosen, as pahole 1.26+ writes it.
 */
struct fn_state {
	char *name;		/* owned */
	uint32_t ret;		/* final ID of the return type (0: void) */
	uint32_t params, nparams;	/* its parameters in merger.fparams */
	unsigned int flags;
	size_t order;		/* merge order, for a stable sort */
	uint32_t tags, ntags;	/* its DECL_TAGs in merger.ftags */
};

/* A held prototype's parameter: name in merger.fname_pool, type's final ID (0: "..."). */
struct fn_param {
	uint32_t name;
	uint32_t type;
};

struct fn_tag {
	char *value;		/* owned */
	int component;
};

/* Groups STT_FUNC symbols by the name up to the first '.' (once, before units). */
int func_select__build_table(struct symidx *s, const struct objfile *elf);
void func_select__free_table(struct symidx *s);
/* Names of the kfuncs listed in .BTF_ids (decl_tag_kfuncs). */
int func_select__build_kfuncs(struct symidx *s, struct objfile *elf);
/* FN_* flags of function @f of @cu from its parameters' locations. */
unsigned int func_select__flags(const struct cu_records *cu, const struct func_rec *f,
				uint16_t machine);
/* Why a name with @flags gets no FUNC under consistent_func, or NULL. */
const char *func_select__drop_reason(unsigned int flags);
/* Writes the FUNCs of the held candidates, sorted by name; *@emitted counts them. */
int func_select__finish(struct merger *m, const struct symidx *s, const struct encoder_config *cfg,
			const char *path, size_t *emitted);
void func_select__free_states(struct merger *m);

#endif
