/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dedup_gen: seeded random BTF type graphs that stress deduplication, for
 * the differential test of btf_dedup/ against libbpf's btf__dedup()
 * (dedup_diff.c). A seed always gives the same graphs (splitmix64, no other
 * source of randomness), so a mismatch is replayed from its seed alone.
 *
 * A case is one or more inputs made of mutated copies of one random unit (5
 * to 20 types, sometimes up to 80), as a compiler emits one header's types
 * in every compilation unit, plus, for split cases, a base made the same way. Within a unit, with a chance each:
 *  - types defined twice in a row, and references spread over both copies
 *    (identical but separately defined: what libbpf's "identical types"
 *    rules, c8a28812 and 5ee9fbf7, are about);
 *  - chains of modifiers and typedefs (each type likely to refer to the one
 *    before it);
 *  - typedefs that refer to themselves through a pointer (Go's `type T *T`,
 *    libbpf 37027144), alone or through a prototype's parameter;
 *  - two separately defined chains of 14 to 20 structs nested by value
 *    (the depth limit of 5ee9fbf7's comparison).
 * Every unit mixes every kind libbpf 1.1.2 can add: INT, FLOAT, PTR, CONST,
 * VOLATILE, RESTRICT, TYPE_TAG, TYPEDEF, ARRAY, STRUCT, UNION (with
 * bitfields), FWD, ENUM, ENUM64 (and their forward declarations),
 * FUNC_PROTO (varargs too), FUNC, VAR, DATASEC, DECL_TAG. Names come from
 * small pools, so hashes collide and FWDs find one or several structs.
 * The copies mutate: a struct becomes its FWD, an enum its declaration, a
 * member or a pointer another target, an INT another size.
 *
 * Validity: the graphs are what libbpf's btf__add_*() accept. Upward
 * references (to a higher ID) go only from a PTR (to a struct, union, FWD,
 * typedef or prototype), from a member to a PTR, from a self-referring
 * typedef to its PTR, and within a nested group by value (never back into
 * it); so every cycle passes through a PTR and a struct, a union or a
 * typedef, and no struct holds itself by value. A cycle through a typedef
 * and no struct is a loop for libbpf 1.1.2 (-ELOOP): both sides must then
 * fail alike.
 *
 * Not thread-safe per case; no global state. Allocation failure aborts (a
 * test tool).
 */
#ifndef BTFENC_TESTS_DEDUP_GEN_H
#define BTFENC_TESTS_DEDUP_GEN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define GEN_MAX_VLEN	6
#define GEN_MAX_INPUTS	3

struct gen_member {
	const char *name;	/* NULL: anonymous */
	uint32_t type;		/* local ID; DATASEC: the VAR */
	uint32_t off;		/* bit offset; DATASEC: byte offset */
	uint32_t bits;		/* bitfield size; DATASEC: byte size */
	int64_t val;		/* ENUM/ENUM64 value */
};

/* One type, its references as local IDs (from 1 in its list; 0 is void). */
struct gen_type {
	int kind;		/* BTF_KIND_* */
	const char *name;	/* static storage */
	uint32_t size;		/* INT, FLOAT, ENUM*, STRUCT, UNION, DATASEC */
	uint32_t type;		/* referenced ID; ARRAY: element */
	uint32_t index;		/* ARRAY index type */
	uint32_t nelems;
	int flag;		/* INT encoding, FWD kind, linkage, DECL_TAG index, ENUM64 sign */
	int vlen;
	struct gen_member m[GEN_MAX_VLEN];
};

struct gen_types {
	struct gen_type *t;
	size_t n, cap;
};

/* What one seed gives: a standalone input, or a base and inputs split on it. */
struct gen_case {
	bool split;
	bool dedup_base;	/* split: deduplicate the base (with libbpf) before use */
	struct gen_types base;	/* split only */
	int nr_inputs;		/* 1 standalone; 1 to GEN_MAX_INPUTS split */
	struct gen_types in[GEN_MAX_INPUTS];
};

/*
 * Fills @c (zeroed by the caller) with seed @seed's standalone case
 * (@split false) or split case. The two kinds draw from separate streams:
 * seed s's split case does not depend on its standalone one.
 */
void gen__case(uint64_t seed, bool split, struct gen_case *c);
/* Frees what @c holds (not @c). */
void gen__case_free(struct gen_case *c);
/* Prints @ts one type a line, local IDs, to @f (for a mismatch report). */
void gen__print(FILE *f, const struct gen_types *ts);

#endif
