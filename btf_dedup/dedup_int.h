/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Private to the dedup module (dedup.c, dedup_load.c, dedup_cands.c, dedup_base.c,
 * dedup_types.c): one run is a struct dedup_run; its helpers are dedup_*().
 */
#ifndef BTFENC_DEDUP_INT_H
#define BTFENC_DEDUP_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/btf.h>

#include "dedup.h"

#define DEDUP_UNPROCESSED	UINT32_MAX		/* libbpf's BTF_UNPROCESSED_ID */
#define DEDUP_IN_PROGRESS	(UINT32_MAX - 1)	/* libbpf's BTF_IN_PROGRESS_ID */
#define DEDUP_MAX_ID	0x7fffffffu	/* libbpf's BTF_MAX_NR_TYPES: above it, a marker */

/*
 * Candidate table (dedup_cands.c): type signature hash -> type IDs, tried in
 * the order libbpf's hashmap gives them (model there). Entries and keys sit in
 * arrays and link by index + 1 (0: none).
 */
struct dedup_entry {
	uint32_t id;
	uint32_t older, newer;	/* neighbours in its key's list */
	uint32_t key;		/* its key record + 1 */
	uint32_t sig;		/* with has_sig: an enum's dedup_enum_sig() */
	uint8_t odd;		/* in the key's odd list */
	uint8_t has_sig;
};

struct dedup_key {
	uint64_t key;
	uint32_t even, even_tail;	/* newest and oldest entry + 1 */
	uint32_t odd, odd_tail;
	uint32_t slot;			/* in kslots */
};

/*
 * The base's entries, frozen once indexed: an array grouped by bucket (@bits
 * bits of the mixed key), each bucket in insertion (= ID) order, so a lookup reads
 * one directory word and a few neighbouring entries. Read-only after
 * dedup_frozen__build().
 */
#define DEDUP_FODD 0x80000000u	/* in dedup_fentry.id: added while libbpf's grows were odd */

struct dedup_fentry {
	uint32_t hi, lo;	/* the key */
	uint32_t id;		/* type ID | DEDUP_FODD */
	uint32_t sig;		/* struct/union: dedup_sig_step() of its members' type names;
				 * enum/enum64: dedup_enum_sig() */
};

/*
 * The member signature: a hash of the names (string offsets) of the types a
 * struct's members have, member by member. Unequal signatures mean unequal
 * names at some member, which dedup_members_differ() rejects (see there).
 */
static inline uint32_t dedup_sig_step(uint32_t h, uint32_t name_off)
{
	return (h ^ name_off) * 0x9e3779b1u + 0x7f4a7c15u;
}

struct dedup_frozen {
	struct dedup_fentry *e;
	uint32_t *dir;		/* (1 << bits) + 1 bucket starts */
	unsigned int bits;
	size_t n;		/* entries, as libbpf counts them after the base */
	size_t cap;		/* libbpf's capacity after them, for its grow rule */
	int odd;		/* its number of grows so far is odd */
};

/*
 * Freezes @n entries @in (keys and IDs in insertion order; their DEDUP_FODD bits
 * are set here) into @f; @in is not kept. 0 or -ENOMEM.
 */
int dedup_frozen__build(struct dedup_frozen *f, struct dedup_fentry *in, size_t n);
/* Bucket bits for @n entries of a frozen index (dedup_frozen, dedup_fstrs). */
unsigned int dedup_bucket_bits(size_t n);
void dedup_frozen__free(struct dedup_frozen *f);

/*
 * The table a run adds to: its own entries, after those of @frozen if set
 * (dedup_table__init_on()).
 */
struct dedup_table {
	const struct dedup_frozen *frozen;	/* entries before this table's, or NULL */
	size_t n0;			/* how many: they count for libbpf's grow rule */
	struct dedup_entry *e;
	size_t n, ecap;
	struct dedup_key *keys;
	size_t nkeys, keys_cap;
	uint32_t *kslots;		/* open addressing: key record + 1 */
	size_t kcap;
	size_t cap;			/* libbpf's capacity, for its grow rule */
	int odd;			/* number of grows so far is odd */
};

/* An empty table continuing @f's entries. */
void dedup_table__init_on(struct dedup_table *t, const struct dedup_frozen *f);
int dedup_table__add(struct dedup_table *t, uint64_t key, uint32_t id);
/* dedup_table__add() of an enum with its signature, which the iterator then reports. */
int dedup_table__add_sig(struct dedup_table *t, uint64_t key, uint32_t id, uint32_t sig);
void dedup_table__free(struct dedup_table *t);

/* The candidates of one key, in libbpf's order. */
struct dedup_iter {
	const struct dedup_table *t;
	const struct dedup_key *k;		/* the table's own entries of the key, or NULL */
	uint32_t cur;
	int phase;	/* 0..3: the four runs of dedup_iter_next(), 4: done */
	int odd;	/* the table's grow parity */
	uint32_t hi, lo;
	uint32_t fpos, fbeg, fend;	/* in the frozen bucket */
	uint32_t id;	/* the candidate, after dedup_iter_next() returned 1 */
	/*
	 * The candidate's signature is known: sig is its dedup_fentry.sig (a frozen
	 * entry) or its dedup_entry.sig (an enum added with dedup_table__add_sig()).
	 */
	bool has_sig;
	uint32_t sig;
};

void dedup_iter_init(struct dedup_iter *it, const struct dedup_table *t, uint64_t key);
int dedup_iter_next(struct dedup_iter *it);

/* A table's state to come back to; what was added since goes (cannot fail). */
struct dedup_table_mark {
	size_t n, nkeys, cap;
	int odd;
};

void dedup_table__mark(const struct dedup_table *t, struct dedup_table_mark *m);
void dedup_table__undo(struct dedup_table *t, const struct dedup_table_mark *m);

/* name_off -> ID, or 0 when several types have the name (FWD resolution). */
struct dedup_names {
	uint64_t *slots;	/* (name_off + 1) << 32 | id; 0: empty */
	size_t cap, cnt;
};

int dedup_names__note(struct dedup_names *m, uint32_t name_off, uint32_t id);
/* 1 and *@id (0: not unique) when present, else 0. */
int dedup_names__get(const struct dedup_names *m, uint32_t name_off, uint32_t *id);
void dedup_names__free(struct dedup_names *m);

/*
 * The base's strings by content, frozen: (hash, offset) grouped by bucket
 * (top @bits of the hash), each bucket in offset order, so the first of
 * equal strings is the one found (libbpf's strset keeps the first).
 */
struct dedup_fstrs {
	struct dedup_fstr {
		uint32_t hash, off;
	} *e;
	uint32_t *dir;		/* (1 << bits) + 1 bucket starts */
	unsigned int bits;
};

struct dedup_base {
	const void *tag;	/* dedup_base__set_tag() */
	const uint8_t *types;
	uint32_t *offs;		/* type ID -> offset into types; [0] unused */
	uint32_t cnt;		/* type count including void = first split ID */
	uint32_t type_len;
	const char *strs;
	uint32_t str_len;
	struct dedup_fstrs strs_index;	/* offsets of strs by content */
	/* every base type but VAR/DATASEC, as libbpf's prep adds them */
	struct dedup_frozen frozen;
	struct dedup_table table;	/* a run's entries after them */
	struct dedup_table_mark mark;	/* the table empty */
	struct dedup_names names;	/* canonical STRUCT/UNION names of the base */
	unsigned int rules;		/* DEDUP_RULE_* the index was made for */
};

/* Offset of string @s in the base, or -1. */
long dedup_base__find_str(const struct dedup_base *b, const char *s);

/* One run. Split types have IDs start .. start + nr - 1. */
struct dedup_run {
	struct dedup_base *base;	/* NULL: standalone */
	uint32_t start;
	uint32_t nr;
	uint8_t *types;			/* split types, mutable copy */
	const uint32_t *offs;		/* split ID - start -> offset into types */
	uint32_t *offs_owned;		/* offs when the run made them */
	struct dedup_table *table;		/* the base's, or own_table */
	struct dedup_table own_table;
	/* canonical and hypothetical maps: start + nr entries set (room may be larger) */
	uint32_t *map;
	uint32_t *hypot;
	/*
	 * The split IDs, in ID order, of the kinds the primitive pass takes (INT,
	 * ENUM, ENUM64, FWD, FLOAT) and of those the struct pass takes (STRUCT,
	 * UNION; TYPEDEF under DEDUP_RULE_TYPEDEF): noted as the maps' entries are
	 * set (init_entry()), so that each pass reads only its own records.
	 */
	uint32_t *prims, *comps;
	uint32_t nprims, ncomps;
	uint32_t *hlist;
	size_t hcnt, hcap;
	bool adjust_canon;
	unsigned int rules;		/* DEDUP_RULE_* */
	unsigned int depth, max_depth;	/* dedup_is_equiv() recursion */
	uint32_t err_id;		/* the type an error is about, with err_what */
	const char *err_what;
};

/* Type @id; 0 is void (all zero: kind UNKN, as libbpf's btf_void). */
static inline struct btf_type *dedup_type(const struct dedup_run *d, uint32_t id)
{
	static const struct btf_type void_type;

	if (!id)
		return (struct btf_type *)&void_type;
	if (id < d->start)
		return (struct btf_type *)(d->base->types + d->base->offs[id]);
	return (struct btf_type *)(d->types + d->offs[id - d->start]);
}

static inline bool dedup_is_mapped(const struct dedup_run *d, uint32_t id)
{
	return d->map[id] <= DEDUP_MAX_ID;
}

/* Records what went wrong with type @id (a split ID when there is a base): @err. */
static inline int dedup_fail(struct dedup_run *d, uint32_t id, const char *what, int err)
{
	if (!d->err_what) {
		d->err_id = id;
		d->err_what = what;
	}
	return err;
}

/*
 * dedup_load.c: reads the input blob @raw in place (its IDs and strings are modified):
 * finds and checks its records, makes its strings and IDs split ones when there is a
 * base, sets up the maps and kind lists and d->nr. *@strs: the output's string section,
 * malloc'd (*@strs_owned) or inside @raw. 0, or -EINVAL / -E2BIG / -ENOMEM.
 */
int dedup_load_input(struct dedup_run *d, void *raw, size_t size, const char **strs,
		     uint32_t *str_len, char **strs_owned);

/* dedup_types.c: libbpf's per-kind signature hashes and equality tests. */
/* The hash the kind is tabled under by btf_dedup_prep() under @rules. */
uint64_t dedup_hash(const struct btf_type *t, unsigned int rules);
uint64_t dedup_hash_typedef(const struct btf_type *t);
uint64_t dedup_hash_common(const struct btf_type *t);
uint64_t dedup_hash_int_tag(const struct btf_type *t);
uint64_t dedup_hash_enum(const struct btf_type *t);
uint64_t dedup_hash_struct(const struct btf_type *t);
uint64_t dedup_hash_array(const struct btf_type *t);
uint64_t dedup_hash_fnproto(const struct btf_type *t);
bool dedup_equal_common(const struct btf_type *a, const struct btf_type *b);
bool dedup_equal_int_tag(const struct btf_type *a, const struct btf_type *b);
bool dedup_equal_enum(const struct btf_type *a, const struct btf_type *b);
bool dedup_compat_enum(const struct btf_type *a, const struct btf_type *b);
bool dedup_is_enum_fwd(const struct btf_type *t);
bool dedup_shallow_equal_struct(const struct btf_type *a, const struct btf_type *b);
bool dedup_equal_array(const struct btf_type *a, const struct btf_type *b);
bool dedup_equal_fnproto(const struct btf_type *a, const struct btf_type *b);
bool dedup_equal_typedef(const struct btf_type *a, const struct btf_type *b);
/* True if no equivalence walk from struct @t to @c can succeed (a cheap test). */
bool dedup_members_differ(const struct dedup_run *d, const struct btf_type *t,
			  const struct btf_type *c);
/*
 * An enum's signature: DEDUP_SIG_ENUM_FWD for a forward declaration (no values),
 * else a hash of what dedup_equal_enum() compares but the name (kind, size, each
 * value's name and value), never DEDUP_SIG_ENUM_FWD. Unequal signatures of two
 * enums that are not forward declarations mean unequal enums, and so
 * incompatible ones (dedup_compat_enum()).
 */
#define DEDUP_SIG_ENUM_FWD 0xffffffffu
uint32_t dedup_enum_sig(const struct btf_type *t);

/* @t's member signature (dedup_sig_step() over its members' types' names). */
uint32_t dedup_member_sig(const struct dedup_run *d, const struct btf_type *t);
/* Type graph equivalence (struct phase): 1, 0, or a negative errno. */
int dedup_is_equiv(struct dedup_run *d, uint32_t cand_id, uint32_t canon_id);
void dedup_merge_hypot(struct dedup_run *d);
void dedup_clear_hypot(struct dedup_run *d);
uint32_t dedup_resolve(const struct dedup_run *d, uint32_t id);

#endif
