/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * loader: DWARF compile units turned into plain records (types, functions,
 * variables) that the encoder can read without knowing DWARF.
 *
 * Model. A unit's records sit in one struct cu_records: one type_rec per type
 * DIE, keyed by DIE offset, and the functions (func_rec), variables
 * (var_rec), members/enumerators/parameters/dimensions (sub_rec) and
 * annotations (tag_rec) that refer to them. References between records are
 * record indices within the same struct cu_records (index 0 is "void"). A
 * reference to a DIE outside the unit (DW_FORM_ref_addr, DW_FORM_ref_sig8
 * type units) is decoded into the referring unit's own records, so every unit
 * is self-contained; duplicates across units are the encoder's dedup problem.
 * Strings point into libdw's mapped sections and live as long as the loader.
 * Constants are prefixed L for "loader": LK_ a record's kind, LF_ its flags,
 * LSUB_ a sub-entry's flags, LVAR_ where a variable lives.
 *
 * Work split. loader__units() lists the units once (header reads only).
 * Each worker thread owns one struct loader_thread (its own Dwarf handle made
 * from the shared Elf, so libdw's per-unit caches are never shared); all
 * threads must be created with loader__thread_new() before any of them runs.
 * A struct cu_records is filled by one thread and may then be handed to
 * another.
 *
 * Errors: negative errno with a message naming the file and DIE offset.
 */
#ifndef BTFENC_LOADER_H
#define BTFENC_LOADER_H

#include <stddef.h>
#include <stdint.h>

#include "dwarf_loader/objfile.h"
#include "util/diag.h"
#include "util/vec.h"

enum rec_kind {
	LK_VOID = 0,	/* record 0 of every unit; also DW_TAG_unspecified_type */
	LK_BASE,	/* DW_TAG_base_type */
	LK_PTR,		/* pointer, C++ reference, rvalue reference */
	LK_CONST,
	LK_VOLATILE,
	LK_RESTRICT,
	LK_ATOMIC,
	LK_TYPEDEF,
	LK_STRUCT,	/* structure and class */
	LK_UNION,
	LK_ENUM,
	LK_ARRAY,
	LK_PROTO,	/* subroutine type, or the prototype of a subprogram */
	LK_PTR_MEMBER,	/* C++ pointer to member */
	LK__MAX,
};

enum rec_flag {
	LF_DECL		= 1 << 0,	/* DW_AT_declaration: incomplete struct/union/enum */
	LF_VARIADIC	= 1 << 1,	/* prototype ends with unspecified parameters */
	LF_SIGNED	= 1 << 2,	/* enum with a signed underlying type or negative values */
	LF_FUNC_PROTO	= 1 << 3,	/* prototype synthesized from a subprogram */
	LF_NESTED	= 1 << 4,	/* has child DIEs the walk must visit (nested types) */
};

/* A member, enumerator, parameter or array dimension, in cu_records->subs. */
struct sub_rec {
	const char *name;
	uint64_t value;		/* member: bit offset; enumerator: value; dim: count;
				 * parameter of a subprogram: its DIE offset (param_locations) */
	uint32_t type;		/* member/param: record index */
	uint32_t bit_size;	/* member: bitfield width, 0 if none; parameter
				 * (param_locations): registers and a member offset
				 * packed, read with LSUB_P_REG_*() and
				 * LSUB_P_MEMBER_AT() */
	uint32_t tags;		/* first annotation in cu_records->tags */
	uint16_t ntags;
	uint16_t flags;		/* LSUB_* */
};

#define LSUB_NO_COUNT	1	/* dim: flexible or unknown count */
#define LSUB_BITFIELD	2	/* member: bit_size holds the width */
/*
 * Where a parameter of a subprogram lives at entry, when loader_config.param_locations is
 * set (dwarf_loader/param_loc.c), as each pahole reads it. pahole 1.26 to 1.31:
 */
#define LSUB_P_NOLOC	4	/* no DW_AT_location, or a DW_AT_const_value: optimized out */
#define LSUB_P_REG	8	/* first location is DW_OP_regN or DW_OP_entry_value(regN):
				 * N in LSUB_P_REG_131(bit_size) */
/*
 * pahole master (dwarves 1436daf dwarf_loader.c parameter__new(),
 * ftype__recode_dwarf_types()): what the DIE has, or a concrete instance of it (a
 * parameter that names it as its abstract origin) has.
 */
#define LSUB_P_LOC	16	/* a DW_AT_location */
#define LSUB_P_CONST	32	/* a DW_AT_const_value */
/*
 * pahole master's facts for true_signature (dwarves 5239db9 parameter__decode_location()):
 * the first location is a constant (DW_OP_litN, DW_OP_constu, DW_OP_consts first), or on
 * the stack (DW_OP_fbreg alone); some location's expression passes a piece (a DW_OP_piece
 * after its first operation, not after a constant) that starts below the address size
 * (_LO: first_reg_fields) or at or above it (_HI: second_reg_fields), as read for an
 * aggregate bigger than the address size; the pieces are one, in one register, and the
 * parameter has a name and a type of its own: the member at byte offset
 * LSUB_P_MEMBER_AT(bit_size) of its type is what it passes (true_sig_member_name). The
 * pieces in clang's units only (signature_changed is clang's), where the whole location
 * list is read.
 */
#define LSUB_P_LOC_CONST	64
#define LSUB_P_LOC_STACK	128
#define LSUB_P_PIECES_LO	256
#define LSUB_P_PIECES_HI	512
#define LSUB_P_MEMBER		1024
#define LSUB_P_MEMBER_AT(b)	((uint32_t)(b) >> 24)
/*
 * pahole master: the register the location names first (DWARF number; -1 none), as read
 * for a parameter of at most the address size and as read for a bigger aggregate, passed
 * in pieces (parameter__decode_location()).
 */
#define LSUB_P_REG_131(b)	((int)((b) & 0xff))
#define LSUB_P_REG_SCALAR(b)	((int)(((b) >> 8) & 0xff) - 1)
#define LSUB_P_REG_PIECES(b)	((int)(((b) >> 16) & 0xff) - 1)

/* A DW_TAG_LLVM_annotation: btf_type_tag or btf_decl_tag. */
struct tag_rec {
	const char *value;
	int is_type_tag;
};

struct type_rec {
	const char *name;	/* NULL when anonymous */
	uint64_t die_off;
	uint64_t size;		/* bytes; base: DW_AT_byte_size */
	uint32_t ref;		/* referenced record (0 = void) */
	uint32_t sub;		/* first of nsub entries in cu_records->subs */
	uint32_t nsub;
	uint32_t tags;		/* annotations: type tags (pointers) or decl tags */
	uint16_t ntags;
	uint16_t bit_size;	/* base: DW_AT_bit_size, 0 if absent */
	uint8_t kind;		/* enum rec_kind */
	uint8_t encoding;	/* base: DW_ATE_* */
	uint8_t flags;		/* enum rec_flag */
};

struct func_rec {
	const char *name;	/* after following abstract origin / specification */
	uint64_t die_off;
	uint64_t low_pc;
	uint32_t proto;		/* LK_PROTO record */
	uint32_t tags;		/* decl tags */
	uint16_t ntags;
	uint8_t external;
	uint8_t declaration;
	uint8_t has_low_pc;
	uint8_t inlined;	/* DW_AT_inline says inlined, no code of its own */
	uint8_t unnamed_param;	/* some parameter has no name */
	/* param_locations only, pahole master's facts (dwarves 1436daf dwarf_loader.c): */
	uint8_t reordered;	/* a parameter's abstract origin is at another position
				 * among its function's (ftype__recode_dwarf_types()) */
	uint8_t signature_changed;	/* clang: DW_CC_nocall here, or on the abstract
					 * origin (function__signature_changed()) */
};

enum var_loc {
	LVAR_NO_LOC,		/* no DW_AT_location */
	LVAR_ADDR,		/* first op DW_OP_addr / DW_OP_addrx */
	LVAR_TLS,		/* thread-local */
	LVAR_OTHER,		/* register, stack, list... */
};

struct var_rec {
	const char *name;
	uint64_t die_off;
	uint64_t addr;
	uint32_t type;		/* record index */
	uint32_t tags;
	uint16_t ntags;
	uint8_t loc;		/* enum var_loc */
	uint8_t external;
	uint8_t declaration;	/* a declaration with no location of its own */
	uint8_t has_spec;	/* completes an earlier declaration */
	uint8_t artificial;
	uint8_t own_name;	/* DW_AT_name on this DIE, not via its specification */
	uint8_t top_level;	/* a direct child of the unit */
};

/* One compile unit's records. */
struct cu_records {
	uint64_t die_off;
	const char *name;
	uint32_t lang;		/* DW_LANG_* */
	int producer_clang;	/* DW_AT_producer names clang */
	struct type_rec *types;
	size_t ntypes, types_cap;
	struct sub_rec *subs;
	size_t nsubs, subs_cap;
	struct tag_rec *tags;
	size_t ntags, tags_cap;
	struct func_rec *funcs;
	size_t nfuncs, funcs_cap;
	struct var_rec *vars;
	size_t nvars, vars_cap;
	struct u64map die2type;	/* DIE offset -> record index */
	/*
	 * Emission order: every type record once, in pahole's order (DIE
	 * pre-order, but a type's nested types before the type itself), then
	 * the records of DIEs outside the unit in the order they were decoded.
	 * Prototypes of subprograms are not listed (the encoder writes them
	 * with their functions).
	 */
	uint32_t *order;
	size_t norder, order_cap;
};

/* A unit as listed by loader__units(). */
struct unit_span {
	uint64_t die_off;	/* offset of the unit DIE */
	uint64_t size;		/* bytes of .debug_info it spans */
};

struct loader_config {
	const struct diag *diag;
	/* DW_LANG_* values whose units are skipped; terminated by 0. */
	const uint32_t *lang_exclude;
	size_t nlang_exclude;
	/* Read where subprogram parameters live (LSUB_P_*) and the facts pahole master's
	 * function rules need (func_rec.reordered, signature_changed), for the rules of
	 * optimized_func and consistent_func; costs a location lookup per parameter. */
	int param_locations;
};

struct loader;
struct loader_thread;

/*
 * Makes a loader over @elf (which must outlive it). Returns NULL with errno set
 * (ENODATA: no DWARF, with a message) on failure.
 */
struct loader *loader__new(struct objfile *elf, const struct loader_config *cfg);
void loader__free(struct loader *l);

/* The compile and partial units, in .debug_info order (type units excluded). */
const struct unit_span *loader__units(const struct loader *l, size_t *cnt);

/*
 * The .debug_str bytes names point into (DW_FORM_strp/strx), *@size of them,
 * or NULL. A name outside them is stored in the DIE itself (DW_FORM_string).
 */
const char *loader__debug_str(const struct loader *l, size_t *size);

/*
 * Drops the pages of .debug_str wholly inside [@lo, @hi) (of loader__debug_str()) from
 * memory: they are read no more for now, and come back from the file, unchanged, if they
 * are. For a relocatable file (a module linked with ld -r keeps each unit's strings
 * apart, in unit order), once a chunk of units is encoded. Thread-safe.
 */
void loader__release_strs(struct loader *l, const char *lo, const char *hi);

/*
 * Tells the kernel that the .debug_info bytes of @count units from @first
 * (units of loader__units()) are read no more: their pages are dropped from
 * memory. A linked file's come back from the file if touched again. A
 * relocatable file's relocated bytes would come back unrelocated: they are
 * given back only when no unit refers into another (no DW_FORM_ref_addr,
 * ref_sig8, ...), each unit's header and unit DIE kept for libdw, and
 * loader__load_unit() refuses such a unit afterwards (-ESTALE); a new loader
 * on the same object relocates again. A no-op for data in memory (a buffer,
 * decompressed sections) and REL relocations. Thread-safe for distinct units.
 */
void loader__release_units(struct loader *l, const struct unit_span *first, size_t count);

/*
 * Gives back the pages of every debug section once all units are loaded (the
 * strings of records already made stay readable: they come back from the
 * file). Afterwards no unit of a relocatable file loads (-ESTALE). Not
 * thread-safe.
 */
void loader__release_all(struct loader *l);

/* A worker context with its own Dwarf handle. Create all before threads run. */
struct loader_thread *loader__thread_new(struct loader *l);
void loader__thread_free(struct loader_thread *t);

/*
 * Loads unit @u into @cu (reset first; memory reused). Returns 0, 1 if the unit
 * was skipped by the language filter (cu left empty), or a negative errno.
 */
int loader__load_unit(struct loader_thread *t, const struct unit_span *u, struct cu_records *cu);

/* Empties @cu but keeps its arrays for reuse; cu_records__free() releases them. */
void cu_records__reset(struct cu_records *cu);
void cu_records__free(struct cu_records *cu);

/* Name of a DW_LANG_* value as pahole spells it ("c89", "rust"), or NULL. */
const char *loader__lang_name(uint32_t lang);
/* DW_LANG_* for a pahole language name, or 0 if unknown. */
uint32_t loader__lang_code(const char *name);

#endif
