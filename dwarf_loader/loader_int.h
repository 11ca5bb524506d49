/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Private to dwarf_loader/: the loader and walk state and the helpers its files
 * share: loader.c (units, the walk of one unit), walk.c (the DIE walk, functions
 * and variables), die_decode.c (one decoder per type tag, the type DIEs the walk
 * meets, the pending queue), records.c (records, references, annotations,
 * errors), attrs.c (a DIE's attributes), param_loc.c (where parameters live),
 * die_scan.c and die_scan_abbrev.c (a unit's DIEs scanned from their bytes;
 * die_scan_int.h is theirs). lang.c (language names) and
 * objfile.c need only their public headers.
 */
#ifndef BTFENC_LOADER_INT_H
#define BTFENC_LOADER_INT_H

#include <elfutils/libdw.h>

#include "loader.h"

/* Not DW_TAG values known to elfutils 0.188's dwarf.h. */
#define TAG_LLVM_ANNOTATION	0x6000
#define TAG_GNU_ANNOTATION	0x6001

/* Kind of a record reserved by a reference but not decoded yet. */
#define LK_PENDING		0xff

struct loader {
	struct objfile *elf;
	const char *info;	/* .debug_info contents */
	size_t info_size;
	const void *abbrev;	/* .debug_abbrev contents */
	size_t abbrev_size;
	const char *str;	/* .debug_str contents, NULL unless NUL-terminated */
	size_t str_size;
	size_t str_idx;		/* its section */
	struct loader_config cfg;
	Dwarf *dwarf;
	struct unit_span *units;
	size_t nunits, units_cap;
	size_t info_idx;	/* section index of .debug_info */
	/*
	 * No abbreviation has a form that reaches into another unit
	 * (DW_FORM_ref_addr, ref_sig8, ...): a unit's bytes are read only while it
	 * is loaded, and libdw's handles read only its header and unit DIE before.
	 */
	int units_apart;
	uint8_t *released;	/* per unit: its relocated bytes were given back */
	int all_released;	/* loader__release_all() gave back relocated bytes */
};

struct pending {
	uint32_t idx;
	Dwarf_Die die;
};

/*
 * The DIE scanner (die_scan.c, die_scan_abbrev.c): the DIEs of the unit being
 * loaded read straight from its .debug_info bytes, its abbreviation table
 * decoded once, with the results of libdw's calls; libdw takes over for
 * anything else (see there).
 */
struct die_scan_attr {
	uint32_t name;		/* DW_AT_* */
	uint16_t form;		/* DW_FORM_* */
	int8_t slot;		/* enum die_attr, SLOT_SIBLING, or -1 */
	uint8_t size;		/* bytes when fixed for the unit, else 0xff */
	/* from here, a run of @run fixed-size values no slot wants: @skip bytes */
	uint16_t run, skip;
	const uint8_t *implicit;	/* DW_FORM_implicit_const: its SLEB128 */
};

/*
 * A fixed-layout abbreviation's plan: each value a slot wants, at its offset
 * from the DIE's first value (what scan_attrs() would find there, in order).
 */
struct die_scan_fill {
	uint32_t name;		/* DW_AT_* */
	uint16_t form;
	int8_t slot;		/* enum die_attr */
	uint8_t pad;
	uint32_t off;
	const uint8_t *implicit;	/* DW_FORM_implicit_const: its SLEB128 */
};

/*
 * The values die_scan__plain() reads from a plain DIE (see plain_plan below):
 * PV_ for "plain value", the struct plain_die.val index and has bit.
 */
enum {
	PV_NAME, PV_TYPE, PV_LOC, PV_DATA_BIT_OFFSET, PV_BIT_SIZE, PV_BYTE_SIZE, PV_CONST_VALUE,
	PV__MAX,
	/* a parameter's DW_AT_location (fixed size): present, not read */
	PV_LOCATION = PV__MAX,
};
#define PV_BIT(x)	(1u << (x))

/* One constant of a plain plan: where, and how wide (0: implicit_const). */
struct die_scan_pval {
	uint8_t x;		/* PV_LOC... */
	uint8_t size;
	uint16_t off;
	uint64_t implicit;	/* size 0: the value, from the abbreviation */
};

struct die_scan_abbrev {
	uint32_t tag;
	uint32_t first, nattrs;	/* in die_scan.attrs */
	int32_t fixed_len;	/* bytes of all values if every form is fixed, else -1 */
	uint8_t has_children;
	uint8_t defined;
	/* with fixed_len >= 0: the plan, and DW_AT_sibling's place (sib_size 0: none) */
	uint8_t sib_size;
	/*
	 * A plain plan: a member, enumerator, parameter, pointer, qualifier or
	 * typedef DIE of fixed layout without children whose only wanted values
	 * are a DW_FORM_strp name, a ref1/2/4/8 type, data1/2/4/8 or
	 * implicit_const location, data bit offset, bit size, byte size and
	 * constant value, and (parameters) a DW_AT_location.
	 * pmask: PV_BIT()s present; name and type at pname_off, ptype_off
	 * (ptype_size bytes); the constants in pv[].
	 */
	uint8_t plain_plan;
	uint32_t sib_off;
	uint32_t ffirst, nfills;	/* in die_scan.fills */
	uint8_t pmask, ptype_size, npv;
	uint16_t pname_off, ptype_off;
	struct die_scan_pval pv[PV__MAX - PV_LOC];
};

struct die_scan {
	Dwarf_CU *cu;		/* the unit scanned here; NULL: all to libdw */
	const uint8_t *start, *end;	/* its bytes, from the unit header on */
	uint64_t start_off;		/* .debug_info offset of start */
	uint64_t first_die;		/* unit-relative offset of the unit DIE */
	const char *str;		/* .debug_str (libdw's data), or NULL */
	size_t str_size;
	uint8_t addr_size, offset_size, version, big_endian;
	/* the decoded table, kept for the next unit when it shares it */
	uint64_t abbrev_off;
	uint32_t abbrev_sizes;
	int table_valid;
	struct die_scan_abbrev *abbrevs;	/* by code */
	size_t nabbrevs, abbrevs_cap;
	struct die_scan_attr *attrs;
	size_t nattrs, attrs_cap;
	struct die_scan_fill *fills;
	size_t nfills, fills_cap;
	/* times a DIE of this unit went to libdw after all (tests expect none) */
	unsigned long fallbacks;
	/* where DIEs whose attributes were read end: die_scan__sibling() needs no rescan */
	struct die_scan_memo {
		const uint8_t *addr, *end;
		uint64_t sibling;	/* DW_AT_sibling, unit-relative; 0: none */
	} memo[64];
};

/* A subprogram's parameter that names another as its abstract origin (param_loc.c). */
struct param_origin {
	uint64_t die_off, origin_off;
};

/* Where a subprogram's parameter is among the unit's records (param_loc.c). */
struct param_place {
	uint32_t sub, func, pos;
};

struct loader_thread {
	struct loader *l;
	Dwarf *dwarf;
	struct die_scan scan;
	struct pending *pending;
	size_t npending, pending_cap;
	/* param_loc.c, per unit: the parameters with an origin, in DIE order */
	struct param_origin *origins;
	size_t norigins, origins_cap;
	/* and, while sharing: every parameter's place, by DIE offset */
	struct param_place *places;
	size_t places_cap;
	struct u64map place_at;
};

struct walk {
	struct loader_thread *t;
	struct cu_records *cu;
	const struct diag *diag;
	const char *path;
	Dwarf_CU *unit;		/* the unit being loaded: its DIEs need no key lookup */
	struct die_scan *scan;	/* t->scan, set up for that unit */
	/* the DIE at plain_die was read by its plan and ends at plain_end */
	const void *plain_die;
	const uint8_t *plain_end;
	unsigned int depth;	/* walk__one() calls under way, at most WALK_MAX_DEPTH */
};

/* DIEs nested inside each other the walk follows (walk.c); deeper is an error. */
#define WALK_MAX_DEPTH	4096U

/*
 * Record @idx and sub-entry @sub of the unit being walked. The arrays move as
 * they grow (walk__new_record(), walk__push_sub()): take the pointer anew
 * after either, never keep it.
 */
static inline struct type_rec *walk__rec(struct walk *w, uint32_t idx)
{
	return &w->cu->types[idx];
}

static inline struct sub_rec *walk__sub(struct walk *w, uint32_t sub)
{
	return &w->cu->subs[sub];
}

/*
 * The attributes the decoders read, collected in one pass over a DIE
 * (dwarf_getattrs): libdw's dwarf_attr() rescans the DIE for every call.
 */
enum die_attr {
	A_NAME, A_TYPE, A_BYTE_SIZE, A_BIT_SIZE, A_ENCODING, A_MEMBER_LOC,
	A_DATA_BIT_OFFSET, A_BIT_OFFSET, A_DECLARATION, A_EXTERNAL, A_UPPER_BOUND,
	A_COUNT, A_CONST_VALUE, A_SPECIFICATION, A_ABSTRACT_ORIGIN, A_LOCATION,
	A_INLINE, A_ARTIFICIAL, A_LOW_PC, A_ENTRY_PC, A_LANGUAGE, A_PRODUCER,
	A_CALLING_CONVENTION,
	A__MAX,
};

struct die_attrs {
	uint32_t present;		/* bit per enum die_attr */
	const struct die_scan *scan;	/* read by this scan (its unit's values), or NULL */
	/* with scan: where the DIE's values end, and whether children follow */
	const uint8_t *end;
	int children;
	Dwarf_Attribute a[A__MAX];
};

#define HAS(d, x) ((d)->present & (1u << (x)))
#define SLOT_SIBLING	A__MAX	/* die_scan.c: DW_AT_sibling, read for skipping only */

/* The die_attr slot of DW_AT_* @name, or -1. */
int die_attrs__slot(unsigned int name);
/* die_attrs__read() through libdw's dwarf_getattrs(): 0, or -1 with libdw's error set. */
int die_attrs__read_libdw(Dwarf_Die *die, struct die_attrs *d);

/*
 * Sets @s up for the unit of @cudie. Returns 0 (s->cu NULL if the scanner does not
 * take the unit: libdw then reads all its DIEs, same results), or -ENOMEM.
 */
int die_scan__begin(struct die_scan *s, Dwarf_Die *cudie, const struct loader *l);
void die_scan__free(struct die_scan *s);
/* libdw's dwarf_tag, dwarf_haschildren, dwarf_child, dwarf_siblingof, same results. */
int die_scan__tag(const struct die_scan *s, Dwarf_Die *die);
int die_scan__haschildren(const struct die_scan *s, Dwarf_Die *die);
int die_scan__child(struct die_scan *s, Dwarf_Die *die, Dwarf_Die *child);
int die_scan__sibling(struct die_scan *s, Dwarf_Die *die, Dwarf_Die *sib);
/* Fills @d: 0, or -1 with libdw's error set. */
int die_scan__attrs(struct die_scan *s, Dwarf_Die *die, struct die_attrs *d);
/*
 * The sibling of a DIE without children whose attributes @d holds (read by
 * die_scan__attrs()): die_scan__sibling()'s result without looking the DIE up again.
 */
int die_scan__sibling_after(struct die_scan *s, const struct die_attrs *d, Dwarf_Die *die,
			    Dwarf_Die *sib);
/* libdw's dwarf_formstring(). */
const char *die_scan__string(const struct die_scan *s, Dwarf_Attribute *a);
/*
 * libdw's dwarf_formudata() for the constant forms of a value of the unit
 * (data1/2, data4/8 from DWARF 4 on, udata, sdata, implicit_const): 1 and
 * *@v, or 0 when libdw must decode it.
 */
int die_scan__udata(const struct die_scan *s, const Dwarf_Attribute *a, uint64_t *v);
/*
 * A reference inside the unit (DW_FORM_ref1/2/4/8/udata) as its .debug_info
 * offset: 1, or 0 when libdw must resolve it (another form, another unit).
 */
int die_scan__ref(const struct die_scan *s, const Dwarf_Attribute *a, uint64_t *die_off);
/* The DIE of the unit at .debug_info offset @die_off (from die_scan__ref()). */
void die_scan__die(const struct die_scan *s, uint64_t die_off, Dwarf_Die *die);

/* A plain DIE as die_scan__plain() reads it. */
struct plain_die {
	const char *name;	/* NULL: none */
	uint64_t type_off;	/* .debug_info offset of the type DIE; 0: none */
	/*
	 * The constants (DW_AT_data_member_location in bytes, ...), valid where
	 * has holds their PV_BIT(), as libdw's dwarf_formudata() gives them:
	 * dataN not sign-extended.
	 */
	uint64_t val[PV__MAX];
	uint32_t has;
	const uint8_t *end;	/* where its values end: the next DIE */
};

/*
 * @die read by its abbreviation's plain plan, straight from its bytes: 1
 * with @m filled, 0 if it must be read the general way (no plan, a value to
 * check with libdw). Same values as die_scan__attrs() and die_scan__string/ref/
 * udata() would give; no other attribute the loader reads is present, and
 * no child.
 */
int die_scan__plain(const struct die_scan *s, const Dwarf_Die *die, struct plain_die *m);
/* The DIE at @next (a DIE's end, as from die_scan__plain()): die_scan__sibling()'s result. */
int die_scan__sibling_at(const struct die_scan *s, const uint8_t *next, Dwarf_Die *sib);

/* libdw's dwarf_dieoffset(), without the call for a DIE of the scanned unit. */
static inline uint64_t die_scan__offset(const struct die_scan *s, Dwarf_Die *die)
{
	if (s->cu && die->cu == s->cu)
		return s->start_off + (uint64_t)((const uint8_t *)die->addr - s->start);
	return dwarf_dieoffset(die);
}

#define die_offset(w, die)		die_scan__offset((w)->scan, (die))
/* Moves @die to its sibling: from where its plan found it ends if it was just read so. */
#define die_next(w, die)						\
	((w)->plain_die == (die)->addr ?				\
	 die_scan__sibling_at((w)->scan, (w)->plain_end, (die)) :		\
	 die_scan__sibling((w)->scan, (die), (die)))
#define die_tag(w, die)			die_scan__tag((w)->scan, (die))
#define die_haschildren(w, die)		die_scan__haschildren((w)->scan, (die))
#define die_child(w, die, child)	die_scan__child((w)->scan, (die), (child))
#define die_sibling(w, die, sib)	die_scan__sibling((w)->scan, (die), (sib))
#define attr_string(w, a)		die_scan__string((w)->scan, (a))

/* Reads @die's attributes into @d; -EINVAL (with a message) if it cannot. */
int die_attrs__read(struct walk *w, Dwarf_Die *die, struct die_attrs *d);
/* Unsigned value of attribute @x, 0 if absent or not a constant. */
uint64_t die_attrs__udata(struct die_attrs *d, int x, int *found);
/* Flag value of attribute @x. */
int die_attrs__flag(struct die_attrs *d, int x);
/* The name: DW_AT_name, followed through specification/origin if absent here. */
const char *die_attrs__name(struct walk *w, struct die_attrs *d, Dwarf_Die *die);

enum die_role {
	ROLE_NONE,	/* read by its parent's decoder, or ignored */
	ROLE_TYPE,	/* becomes a record */
	ROLE_FUNC,	/* DW_TAG_subprogram */
	ROLE_VAR,	/* DW_TAG_variable */
	ROLE_SCOPE,	/* may hold types: lexical blocks, namespaces, inlined code */
};

enum die_role walk__die_role(int tag);

/* Visits every DIE below @die (see walk.c). */
int walk__children(struct walk *w, Dwarf_Die *die, int top_level);
/*
 * Visits one DIE: the dispatch of walk__children(), also used by walk__decode_func().
 * -E2BIG (one message) for a DIE nested more than WALK_MAX_DEPTH levels deep.
 */
int walk__one(struct walk *w, Dwarf_Die *die, int top_level);
/* Decodes a type DIE met by the walk, unless a reference already did; its record. */
int walk__type(struct walk *w, Dwarf_Die *die, uint32_t *idx);
/* Appends record @idx to the unit's emission order. */
int walk__push_order(struct walk *w, uint32_t idx);
int walk__decode_func(struct walk *w, Dwarf_Die *die);
/* Variables below unit level are kept only when they have an address. */
int walk__decode_var(struct walk *w, Dwarf_Die *die, int top_level);
/* Reference from attribute @x of @d (or, through origins, of @die) to a record. */
int walk__ref_attr(struct walk *w, Dwarf_Die *die, struct die_attrs *d, int x, uint32_t *idx);
/* Record index for the type DIE of this unit at .debug_info offset @off, reserved if new. */
int walk__ref_unit_die(struct walk *w, uint64_t off, uint32_t *idx);
/* Appends one zeroed entry to cu->subs; returns its index through @sub. */
int walk__push_sub(struct walk *w, uint32_t *sub);
/* Key of @die in cu_records.die2type: DWARF 4 .debug_types offsets get their own space. */
uint64_t walk__die_key(struct walk *w, Dwarf_Die *die);
/* Appends the btf_type_tag / btf_decl_tag annotations among @die's children. */
int walk__collect_tags(struct walk *w, Dwarf_Die *die, int type_tags, uint32_t *first,
		       uint16_t *cnt);
/*
 * Decl tags of @die, or else of the DIE its specification/origin names.
 * @own 0: @die is known to have no annotation child (its children were seen).
 */
int walk__collect_decl_tags(struct walk *w, Dwarf_Die *die, struct die_attrs *d, int own,
			    uint32_t *first, uint16_t *cnt);
int walk__is_annotation(int tag);
/* Reads one child of a prototype's DIE: 1 parameter (into @out), 2 "...", 0 other. */
int walk__decode_param(struct walk *w, Dwarf_Die *child, uint32_t idx, struct sub_rec *out,
		       int *unnamed);
/*
 * param_loc.c. Where parameter @die of a subprogram lives at entry (LSUB_P_*, value: its
 * DIE offset), from its attributes @d; notes its abstract origin. 0 or -ENOMEM.
 */
int param_loc__read(struct walk *w, Dwarf_Die *die, struct die_attrs *d, struct sub_rec *out);
/*
 * After the unit's walk: each parameter's facts shared with its abstract origin's, and
 * func_rec.reordered set, as pahole master does. 0 or -ENOMEM.
 */
int param_loc__share_origins(struct walk *w);
/* Appends @n parameters to cu->subs as the parameters of record @idx. */
int walk__set_params(struct walk *w, uint32_t idx, const struct sub_rec *p, size_t n);
/* Decodes every record that a reference reserved and nothing decoded yet. */
int walk__drain_pending(struct walk *w);

/* Appends a record; returns its index (>= 0) or a negative errno. */
int walk__new_record(struct walk *w, int kind, const char *name, uint64_t die_off, uint32_t *idx);

/* Writes "FILE: DIE 0x..: WHAT: libdw's reason" and returns -EINVAL. */
int walk__error(struct walk *w, Dwarf_Die *die, const char *what);

#endif
