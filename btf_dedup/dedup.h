/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * btf_dedup: BTF type deduplication, a port of libbpf's btf__dedup()
 * (src/btf.c) that gives the results of libbpf v1.1.2 (libbpf/libbpf commit
 * c504f22, "libbpf: bump version to v1.1.2"): what pahole 1.24 calls, so what
 * the kernel build expects; or, under DEDUP_RULES_F7081A6B, those of libbpf
 * at commit f7081a6b (what pahole master embeds). The same passes, hashes,
 * equality rules and candidate order; each file names the libbpf functions it mirrors, and
 * btf_dedup/PORTING.md lists libbpf's later dedup commits and whether they
 * are ported.
 *
 * Why a port and not btf__dedup() itself: speed. The base is indexed once per
 * batch, not once per output:
 *  - a batch of modules hashes vmlinux's 95k types once (libbpf re-hashes
 *    them, with a heap allocation per entry, on every call);
 *  - the output of a split encoding never makes libbpf build its string index
 *    of the base (about 2 MB of strings re-hashed per module);
 *  - the base's index is frozen: its candidates and strings sit in arrays
 *    grouped by hash bucket (built by one counting sort, no hash table), and
 *    a run's own candidates go to a small table on top of it.
 * libbpf's btf__dedup() stays the oracle: the unit tests (test_dedup*.c), the
 * random differential test (tests/tools/dedup_diff.c) and BTFENC_DEDUP=libbpf
 * in the end-to-end tests compare the bytes.
 *
 * Input: a standalone BTF blob as btf__add_*() build it (native byte order,
 * every string once, type IDs from 1): trusted, it comes from our own encoder.
 * libbpf skips string deduplication for such a BTF, and so does this module:
 * the string section keeps its order; with a base, strings the base holds
 * become the base's offsets and only the others stay in the output.
 * Output: a new blob, deduplicated; with a base, split on it (IDs continue
 * the base's, string offsets continue the base's string section).
 *
 * Identical results include the order in which candidates of equal hash are
 * tried, which in libbpf follows its hash map's bucket chains; the tables here
 * give them in the same order (dedup_cands.c).
 *
 * Ownership: a dedup_base borrows the base blob (never copied, never written)
 * and owns its index; dedup__run*() return a malloc'd blob the caller frees.
 * Nothing here keeps a pointer into a run's input or output.
 *
 * Thread-safety: a dedup_base's run table is changed during dedup__run() and
 * emptied before it returns, so one run at a time per base; runs without a
 * base share nothing and may go in parallel. The index itself is read-only
 * after dedup_base__new*() (which may start one thread of its own and joins
 * it before returning). No global state.
 *
 * Errors: negative errno (pointers: NULL with errno set). Nothing is printed:
 * dedup__run_inplace() reports which type failed and why, for the caller's
 * message.
 *
 * Files: dedup.c (the passes), dedup_types.c (hashes, equality, type graph
 * equivalence), dedup_cands.c (candidate table), dedup_base.c (the base's
 * index), dedup_int.h (private to them). They use util/vec.h,
 * btf_reader/typeref.h and libbpf's inline accessors from <bpf/btf.h> (no
 * libbpf function is called), never btf_encoder/: the encoder's bridge
 * (btf_encoder/dedup_bridge.c) runs this module on libbpf BTF objects.
 */
#ifndef BTFENC_DEDUP_H
#define BTFENC_DEDUP_H

#include <stddef.h>
#include <stdint.h>

struct dedup_base;

/*
 * Rules of libbpf's later dedup (btf_dedup/PORTING.md), each off by default:
 * with none, libbpf v1.1.2's results; with DEDUP_RULES_F7081A6B, those of
 * libbpf at commit f7081a6b (what pahole master embeds).
 *  - DEDUP_RULE_IDENTICAL: libbpf commits c8a28812 and 5ee9fbf7. When the
 *    graph equivalence check meets a second candidate type for one canonical
 *    type, the two may still count as one if they are structurally identical
 *    (any kind, compared recursively up to 16 levels), not only identical
 *    arrays and structs.
 *  - DEDUP_RULE_TYPEDEF: libbpf commits 37027144 and 5b0f3729. TYPEDEFs are
 *    deduplicated in the struct pass (hashed by name and info, then graph
 *    equivalence), not in the reference pass; the base's TYPEDEFs are indexed
 *    under that hash, so a base index serves the runs of its own rules only.
 */
#define DEDUP_RULE_IDENTICAL	(1u << 0)
#define DEDUP_RULE_TYPEDEF	(1u << 1)
#define DEDUP_RULES_F7081A6B	(DEDUP_RULE_IDENTICAL | DEDUP_RULE_TYPEDEF)

/* A run's options; a NULL pointer is all zero (libbpf v1.1.2's results). */
struct dedup_opts {
	unsigned int rules;	/* DEDUP_RULE_* */
	/*
	 * Optional: the offset of each of the input's @nr records in its type section,
	 * in ID order (a builder that kept them, such as rawbtf__index_types()), so that
	 * the run does not walk the records to find them. Borrowed for the run. They
	 * must match the blob: the first is 0 and the last record ends the section,
	 * else -EINVAL.
	 */
	const uint32_t *offs;
	uint32_t nr;
};

/*
 * Indexes the base BTF blob @raw (@size bytes, native byte order, its type
 * section 4-byte aligned). @raw must outlive the index. The blob should have
 * passed btf_reader's check (CHECK_STRUCTURE at least); the index checks
 * again what its own reads rely on: whole records of known kinds, every type
 * ID inside the base, a NUL-terminated string section. Nothing else about the
 * base is trusted: the walks over it are bounded (dedup_types.c).
 * Returns NULL with errno set (ENOMEM; EINVAL for a malformed blob).
 */
struct dedup_base *dedup_base__new(const void *raw, size_t size);
/*
 * The same, built by up to @threads threads (the index does not depend on
 * it), for runs under @rules (DEDUP_RULE_*; dedup_base__new(): 0).
 */
struct dedup_base *dedup_base__new_mt(const void *raw, size_t size, int threads,
				      unsigned int rules);
/*
 * Moves @b onto @raw (@size bytes): a copy of the blob it was made from, which
 * may then go (a base read from a file, indexed while libbpf parsed its own
 * copy: one copy stays). Returns 0, or -EINVAL (and @b unchanged) when the
 * bytes differ.
 */
int dedup_base__rebind(struct dedup_base *b, const void *raw, size_t size);
/* The string section of the blob @b was made from. */
const char *dedup_base__strs(const struct dedup_base *b);
/* An opaque word for the caller (who lent the blob); NULL until set. */
void dedup_base__set_tag(struct dedup_base *b, const void *tag);
const void *dedup_base__tag(const struct dedup_base *b);
/* Frees @b and what it owns. Accepts NULL. */
void dedup_base__free(struct dedup_base *b);

/*
 * Deduplicates the standalone blob @raw of @size bytes, split on @base if
 * non-NULL. On success returns 0 and sets *@out (malloc'd, the caller frees)
 * and *@out_size. Errors: -ENOMEM, -EINVAL (malformed input: an ID out of
 * range, an unknown kind), -E2BIG (more types or string bytes than BTF holds),
 * -ELOOP (a reference cycle without a struct or union, or a type graph too
 * deep to compare). Under libbpf v1.1.2's rules.
 */
int dedup__run(struct dedup_base *base, const void *raw, size_t size, void **out,
	       size_t *out_size);
/*
 * dedup__run() under @opts (NULL: libbpf v1.1.2's rules). -EINVAL also when
 * @base was indexed for other DEDUP_RULE_TYPEDEF rules than @opts asks.
 */
int dedup__run_opts(struct dedup_base *base, const void *raw, size_t size,
		    const struct dedup_opts *opts, void **out, size_t *out_size);

/* Where a dedup failed, for the caller's message. */
struct dedup_report {
	uint32_t type_id;	/* the input's own type ID, 0 if none applies */
	const char *what;	/* static text, e.g. "reference loop without a struct or union" */
};

/*
 * dedup__run_inplace - dedup__run() that works in @raw itself (4-byte
 * aligned types; its bytes are undefined afterwards) instead of a copy:
 * one copy of the input less at the peak of memory. On error, *@report
 * (if non-NULL) says which type and why. @opts as for dedup__run_opts().
 */
int dedup__run_inplace(struct dedup_base *base, void *raw, size_t size,
		       const struct dedup_opts *opts, void **out, size_t *out_size,
		       struct dedup_report *report);

#endif
