/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * func_select: which DWARF subprograms become BTF FUNCs. Every rule is listed
 * here with its reason and the function that applies it; most live in
 * func_select.c (the design note of pahole 1.26+'s passes is there; the
 * candidates, and the FUNCs written), func_table.c (the ELF tables),
 * func_params.c (a candidate's flags) and func_judge.c (the candidates of a
 * name judged), the rest where the data they need is at hand. Two rule sets,
 * chosen by the features (func_select__new_rules()):
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
 * elf_functions__collect(), btf_encoder__add_saved_funcs()). B3, B6 and B7 are
 * pahole 1.26 to 1.31's: the compatibility behaviour (encoder_config.compat_124)
 * keeps them; the default behaviour, pahole master's, has C1 to C6 instead.
 *  B1. ELF table: STT_FUNC symbols grouped by their name up to the first '.',
 *      so foo.isra.0 and foo.constprop.0 stand for foo; foo.cold.N and
 *      foo.part.N are pieces of foo, not functions. A group is ambiguous when
 *      a symbol has another st_value than the one before it (not counting one
 *      at 0: elf_function__has_ambiguous_address()); pahole never checks the
 *      alphabetically last group, btfenc checks every one.
 *      func_select__build_table()
 *  B2. A1 and A2 hold; every unit's instance whose name is a group is a
 *      candidate (no first-unit rule). func_select__unit()
 *  B3. Flags from where the parameters live at entry, for those below the
 *      ABI's register count (x86_64 6, arm64 8, s390 5): no location or a
 *      constant value is "optimized" (never excludes on its own); another
 *      register than the ABI's is "unexpected_reg", unless a struct is
 *      passed by value (it shifts the registers). The loader records the
 *      locations only under these rules (loader_config.param_locations).
 *      func_select__flags() (func_params.c flags_131())
 *  B4. pahole 1.31's uncertain_parm_loc (dwarves 4a1f0c9): a packed struct
 *      passed on the stack past the registers has no location a caller
 *      could rely on. func_select__flags()
 *  B5. The merge holds candidate FUNCs back instead of copying them, with
 *      their prototypes' content and each its own flags (chunk_out.fn_facts);
 *      a prototype no kept type of the units refers to is not copied, and
 *      every chosen FUNC gets its FUNC_PROTO written just before it (pahole
 *      saves a function's state and writes its prototype with it: no output
 *      holds a prototype only a dropped function had). cu_encode.c
 *      hold_candidate(), merge.c hold_funcs(), fix_held_protos(),
 *      func_select__finish()
 *  B6. After the last chunk, candidates sorted by name (stable: unit order);
 *      per name the flags are ORed and the prototypes compared (parameter
 *      count, return and parameter types by kind and name, const ignored, a
 *      FWD equal to its struct or union): a difference is
 *      "inconsistent_proto". func_select__finish(), func_judge__131()
 *  B7. With consistent_func, a name flagged ambiguous, inconsistent_proto,
 *      unexpected_reg or uncertain_parm_loc gets no FUNC; each drop is
 *      reported under -V with its reason. Otherwise the first candidate's
 *      prototype is used. func_select__finish(), func_select__drop_reason()
 *  B8. FUNCs are written sorted by name, after all units, so the output does
 *      not depend on -j. func_select__finish()
 *  B9. decl_tag_kfuncs (pahole 1.27): a FUNC named by a __BTF_ID__func__
 *      symbol inside a BTF_SET8 of .BTF_ids whose flags have BTF_SET8_KFUNCS
 *      gets a DECL_TAG "bpf_kfunc", and "bpf_fastcall" when its flags have
 *      KF_FASTCALL (pahole 1.28); master writes the function's own DECL_TAGs
 *      before these, 1.31 after (dwarves 8b536f4). func_select__build_kfuncs(),
 *      func_select__finish(), add_func_tags()
 *  B10. attributes (pahole 1.30): a pointer an arena kfunc returns or takes
 *      (flags KF_ARENA_RET, KF_ARENA_ARG1/2) points to a TYPE_TAG
 *      "address_space(1)" with kind_flag 1 on its pointee. arena_ptr()
 *
 * pahole master's rules (dwarves 1436daf; the default behaviour):
 *  C1. Parameter locations as master reads them (dwarf_loader/param_loc.c:
 *      the whole location list, the first register it names, shared with the
 *      abstract origin's parameter) and judges them
 *      (function__analyze_parameter_locations(): register slots counted by
 *      size, an aggregate of up to twice the address size in two, a bigger one
 *      in memory; for clang without a changed signature, registers only): a
 *      parameter without a location, or whose location names no register, is
 *      "optimized"; one in another register than the convention's is
 *      "unexpected_reg", unless a struct is passed by value.
 *      func_select__flags() (func_params.c flags_master())
 *  C2. reordered_parm (dwarves 109e5e4): a parameter whose abstract origin is
 *      at another position among its function's (gcc lists the parameters a
 *      clone dropped last) marks the function; its prototype leaves out the
 *      parameters optimized out or without a location. dwarf_loader/param_loc.c,
 *      cu_encode.c emit_funcs()
 *  C3. Optimized parameters exclude only when the signature changed (dwarves
 *      fb8328e): clang's DW_CC_nocall on the subprogram or its origin
 *      (func_rec.signature_changed), or a .isra/.constprop symbol at the
 *      function's address. func_select__flags() (symbol_flags())
 *  C4. The candidate whose prototype is written (dwarves faaa3f1, the strong
 *      definition over a weak one): the first whose address (DW_AT_low_pc; in
 *      a relocatable file the DWARF's, laid out as libdwfl lays sections out,
 *      against the symbols' st_value) is that of one of the name's symbols,
 *      preferring one C3 does not exclude; else the first. C3 is judged on it.
 *      func_select__finish(), func_judge.c canonical()
 *  C5. The first candidate's prototype compared with each other's in turn as
 *      pahole's types__match() does (dwarves 2f9a77e: a prototype's parameter
 *      types too, not its return type again), until a flag is set.
 *      func_judge__master(), func_judge.c types_match_master()
 *  C6. A name gets no FUNC, with or without consistent_func, for the last of
 *      these that applies: unexpected_reg, inconsistent_proto (only with
 *      consistent_func), uncertain_parm_loc, reordered_parm, optimized
 *      parameters (C3), ambiguous address; each drop is reported under -V.
 *      func_select__drop_reason()
 *
 * true_signature (pahole master, off by default; dwarves c4685c3 and fb8328e; the
 * compatibility behaviour ignores it):
 *  D1. A candidate's clone symbol: the first symbol of its name's group, in table order,
 *      at its (non-zero) address whose name has a '.' (foo.isra.0, foo.constprop.0):
 *      the DWARF at that address is that clone's. func_select__flags()
 *      (func_params.c symbol_flags())
 *  D2. A name whose candidates include one with a clone symbol gets the FUNC of the
 *      first such candidate not flagged unexpected_reg or uncertain_parm_loc (the flags
 *      of the candidates up to it ORed, of all of them for the first, as pahole's
 *      saved_functions_combine() leaves them), named after the clone symbol, with that
 *      candidate's prototype and DECL_TAGs (no kfunc tags): C6 does not apply to it (an
 *      ambiguous address, inconsistent prototypes, reordered or optimized-out
 *      parameters do not drop it; C2 still leaves the parameters out of a reordered
 *      prototype). func_select__finish(), func_judge__clone()
 *  D3. Otherwise C3 never applies: optimized-out parameters drop no name, and C4 takes
 *      the first candidate at one of the name's symbols. optimized_abi()
 *  D4. A candidate clang marks DW_CC_nocall (C3) gets the prototype of the parameters it
 *      really receives (dwarves e962904, 5b8a2ca): those optimized out (the first
 *      location a constant; no location, unless the next parameter is in the register
 *      the convention gives it after this one's) left out; one on the stack that is no
 *      aggregate passed in memory, in no register or another one, is in an unexpected
 *      register. An aggregate passed in pieces is kept whole when both its registers
 *      are used or the next parameter is where the convention puts it after the
 *      aggregate's slots; else, when its one piece in one register is a member, it is
 *      written as that member: named PARAM__MEMBER, of the member's type (the name is
 *      PARAM__MEMBER whenever such a member was found, unless the next parameter kept
 *      the aggregate whole, as pahole master's btf_encoder__save_func() names it). The
 *      loader reads the whole location list in clang's units for it
 *      (dwarf_loader/param_loc.c). func_select__flags() (func_params.c
 *      flags_true_sig()), func_select__member(), cu_encode.c param_name()
 *  Each name D2 renames, D3 keeps and D4 rewrites is reported under -V.
 *
 * Threads: the tables are built once, before the units, into the symbol
 * index; func_select__unit() and func_select__flags() run on worker threads;
 * the rest on the merging thread.
 * Private to btf_encoder/.
 */
#ifndef BTFENC_FUNC_SELECT_H
#define BTFENC_FUNC_SELECT_H

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
	FN_OPTIMIZED		= 1 << 0,	/* a parameter optimized out (C3) */
	FN_UNEXPECTED_REG	= 1 << 1,
	FN_INCONSISTENT		= 1 << 2,
	FN_AMBIGUOUS		= 1 << 3,
	FN_UNCERTAIN_LOC	= 1 << 4,	/* packed struct on the stack (pahole 1.31) */
	FN_REORDERED		= 1 << 5,	/* C2 */
	FN_SIG_CHANGED		= 1 << 6,	/* C3: clang's DW_CC_nocall */
	FN_OPT_SYMBOL		= 1 << 7,	/* C3: a .isra/.constprop symbol at its address */
	FN_AT_SYMBOL		= 1 << 8,	/* C4: its address is a symbol's of its name */
	FN_OPTIMIZED_ABI	= 1 << 9,	/* C3 applies to the name's canonical candidate */
	FN_TRUE_SIG		= 1 << 10,	/* D4: its prototype is what @leave says */
	FN_TS_LEFT_OUT		= 1 << 11,	/* D4 left a parameter out */
	FN_TS_MEMBER		= 1 << 12,	/* D4 wrote a parameter as its member */
};

/* What a candidate's prototype does with a parameter (func_select__flags()'s @leave). */
enum param_fate {
	PARAM_LEAVE_OUT		= 1,	/* C2, D4 */
	PARAM_MEMBER_NAME	= 2,	/* D4: named PARAM__MEMBER */
	PARAM_MEMBER_TYPE	= 4,	/* D4: of the member's type */
};

/* What the merge keeps of a candidate beside its FUNC (chunk_out.fn_facts). */
struct fn_facts {
	unsigned int flags;	/* FN_* */
	uint32_t clone_sym;	/* D1: its clone symbol (index in the ELF's symbols), 0: none */
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
	uint32_t clone_sym;	/* D1 */
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
/*
 * FN_* flags of candidate @f of @cu: its parameters' locations (B3, B4 under compat;
 * else C1, C2, B4), its address against its name's symbols (C3, C4); with true_signature,
 * *@clone_sym its clone symbol (D1), else 0. Under pahole master's rules, @leave (one
 * byte per parameter, zeroed by the caller) gets PARAM_LEAVE_OUT for the parameters
 * optimized out or without a location (C2, used with FN_REORDERED), or with FN_TRUE_SIG
 * each parameter's enum param_fate (D4).
 */
unsigned int func_select__flags(const struct cu_records *cu, const struct func_rec *f,
				const struct symidx *syms, const struct encoder_config *cfg,
				uint8_t *leave, uint32_t *clone_sym);
/*
 * D4: the member of parameter @prm's aggregate type that LSUB_P_MEMBER names (pahole's
 * get_member_with_offset(): through types without a size, a struct's member at that
 * byte offset, named and typed), or NULL.
 */
const struct sub_rec *func_select__member(const struct cu_records *cu, const struct sub_rec *prm);
/* Why a name whose candidates add up to @flags gets no FUNC (B7, C6), or NULL. */
const char *func_select__drop_reason(unsigned int flags, const struct encoder_config *cfg);
/* Writes the FUNCs of the held candidates, sorted by name; *@emitted counts them. */
int func_select__finish(struct merger *m, const struct symidx *s, const struct encoder_config *cfg,
			const char *path, size_t *emitted);
void func_select__free_states(struct merger *m);

#endif
