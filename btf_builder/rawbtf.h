/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rawbtf: a standalone BTF built by appending records to plain arrays, with
 * the rules of libbpf 1.1.2's btf__add_*() (src/btf.c at libbpf commit
 * c504f22): the same argument checks, errors, record bytes and string order,
 * so a chunk built here is byte for byte what libbpf would have built, and
 * what btf_dedup/ expects as input. It saves what libbpf's object costs: a
 * heap entry per string in its strset, and a copy to hand the types to the
 * dedup. The encoder builds each chunk's types here (btf_encoder/cu_encode.c,
 * vars.c) and appends chunks as bytes in the ordered merge (merge.c).
 *
 * Mirrors, libbpf -> here: btf__add_int(), btf__add_float(), btf__add_ptr(),
 * btf__add_const(), btf__add_volatile(), btf__add_restrict(),
 * btf__add_typedef(), btf__add_type_tag(), btf__add_fwd(), btf__add_struct(),
 * btf__add_union(), btf__add_field(), btf__add_enum(), btf__add_enum64(),
 * btf__add_enum_value(), btf__add_enum64_value(), btf__add_array(),
 * btf__add_func_proto(), btf__add_func_param(), btf__add_func(),
 * btf__add_var(), btf__add_datasec(), btf__add_datasec_var_info(),
 * btf__add_decl_tag() -> rawbtf__add_*() (rawbtf_add.c); btf__add_str() ->
 * rawbtf__str(); btf__type_cnt() -> rawbtf__type_cnt(); btf__raw_data() ->
 * rawbtf__blob() (rawbtf.c). The string section keeps libbpf's layout: "" at
 * offset 0, then each new string in the order it is first added.
 * tests/unit/test_rawbtf.c makes every call on both and compares.
 *
 * Ownership: a struct rawbtf owns its records, strings and string index
 * (rawbtf__init() .. rawbtf__free()); rawbtf__blob() and rawbtf__to_btf()
 * return copies the caller frees (free(), btf__free()). A pointer into the
 * records (rawbtf__last(), rawbtf__append(), rawbtf__extend()) is valid until
 * the next addition. The pointer cache map (rawbtf__cache_ptrs()) is borrowed.
 * Fields: a user may read nr (records so far) and read or reset ptr_calls and
 * ptr_hits; the rest is the module's.
 *
 * Thread-safety: none; one owner per rawbtf (the encoder gives each chunk its
 * own). Errors: negative errno as libbpf's btf__add_*() return them (-EINVAL
 * for a bad argument or a call out of order, -ENOMEM, -E2BIG for a value or
 * size past BTF's limits, and for a member, enumerator, parameter or DATASEC
 * entry past the 65,535 a 16-bit vlen counts, where libbpf 1.1.2 lets the
 * count wrap); pointers NULL (with errno set where said). Nothing is printed.
 *
 * Depends on util/vec.h (growth helper, u64map), btf_reader/typeref.h (record sizes, for
 * rawbtf__index_types()) and libbpf (btf.h accessors; btf__new() in rawbtf__to_btf());
 * never on btf_encoder/.
 */
#ifndef BTFENC_RAWBTF_H
#define BTFENC_RAWBTF_H

#include <stddef.h>
#include <stdint.h>
#include <linux/btf.h>

#include "strindex.h"

struct btf;
struct u64map;

struct rawbtf {
	uint8_t *types;
	size_t len, cap;
	size_t last;		/* offset of record nr */
	uint32_t nr;		/* records: type IDs 1..nr */
	char *strs;
	size_t str_len, str_cap;
	struct strindex index;
	/*
	 * Optional (rawbtf__cache_ptrs()), borrowed: string pointer -> offset
	 * for strings inside [ptr_lo, ptr_lo + ptr_span), which stay where they
	 * are, unchanged, while it is set: then a pointer seen before costs one
	 * lookup, without hashing or even reading the string. ptr_calls and
	 * ptr_hits count its lookups, for judging whether it pays.
	 */
	struct u64map *ptr_offs;
	const char *ptr_lo;
	size_t ptr_span;
	size_t ptr_calls, ptr_hits;
	/*
	 * Optional (rawbtf__track_src()): the lowest and highest string pointers added
	 * from inside [src_lo, src_lo + src_span), e.g. the part of a mapped string
	 * section a chunk of units used.
	 */
	const char *src_lo;
	size_t src_span;
	const char *src_min, *src_max;
	/* Optional (rawbtf__index_types()): record offsets by ID - 1, kept as records come. */
	uint32_t *offs;
	size_t offs_cap;
};

/* Tracks the strings added from inside [@lo, @lo + @size) from now on (@lo NULL: off). */
void rawbtf__track_src(struct rawbtf *r, const char *lo, size_t size);

/* An empty BTF: no record, the string section holding "". 0 or -ENOMEM. */
int rawbtf__init(struct rawbtf *r);
/*
 * Offset of @s, added if new (btf__add_str()). 0, -ENOMEM, or -E2BIG past
 * libbpf's largest string offset.
 */
int rawbtf__str(struct rawbtf *r, const char *s, uint32_t *off);
/*
 * From now on strings inside [@lo, @lo + @size) (a mapped string section)
 * are looked up by pointer in @map first, and added to it. @map NULL: off.
 */
void rawbtf__cache_ptrs(struct rawbtf *r, struct u64map *map, const char *lo, size_t size);
/*
 * From now on records can be read by ID (rawbtf__type_by_id()): an index of the
 * offsets of the records so far, kept up to date as records are added (4 bytes a
 * record). 0 or -ENOMEM; rawbtf__take_blob() and rawbtf__free() drop it.
 */
int rawbtf__index_types(struct rawbtf *r);
/*
 * Record @id after rawbtf__index_types(), as libbpf's btf__type_by_id() gives it: ID 0
 * is void (a zeroed record), an ID past the last NULL. Valid until the next addition.
 */
const struct btf_type *rawbtf__type_by_id(const struct rawbtf *r, uint32_t id);
/*
 * The index of rawbtf__index_types(), handed over (the caller frees it; NULL when
 * there is none), its count in *@nr: record offsets in the type section of
 * rawbtf__take_blob()'s blob, for the dedup (btf_dedup/dedup.h, dedup_opts.offs).
 */
uint32_t *rawbtf__take_offsets(struct rawbtf *r, uint32_t *nr);
/* The string at @off (btf__str_by_offset()), NULL past the end. */
const char *rawbtf__str_by_offset(const struct rawbtf *r, uint32_t off);
/* Room for one record of @len bytes at the end (the next type ID), or NULL. */
void *rawbtf__append(struct rawbtf *r, size_t len);
/* Room for @len more bytes of the last record, or NULL. */
void *rawbtf__extend_grow(struct rawbtf *r, size_t len);
static inline void *rawbtf__extend(struct rawbtf *r, size_t len)
{
	void *p;

	/* The has-room case inline (every member); the grow path refuses > 4 GiB. */
	if (len > r->cap - r->len || r->len + len > UINT32_MAX)
		return rawbtf__extend_grow(r, len);
	p = r->types + r->len;
	r->len += len;
	return p;
}
/* The records and strings as one native-order BTF blob (malloc'd); NULL, errno set. */
void *rawbtf__blob(struct rawbtf *r, size_t *size);
/*
 * The same blob made out of @r's own buffers, @r emptied (rawbtf__free()) either way:
 * the records and strings are never held twice (the merged records of a big module
 * before its final deduplication). NULL, errno set.
 */
void *rawbtf__take_blob(struct rawbtf *r, size_t *size);
/* A libbpf BTF of the records and strings so far; NULL with errno set. */
struct btf *rawbtf__to_btf(struct rawbtf *r);
/*
 * The same, built with btf__add_str() and btf__add_type() on btf__new_empty() (slower): a
 * BTF libbpf holds as made from scratch, so that its btf__dedup() keeps the string section
 * as it is (every string, in its order), as it does for pahole. For libbpf as the oracle of
 * btf_dedup/ (which keeps the strings of its input likewise).
 */
struct btf *rawbtf__to_btf_scratch(struct rawbtf *r);
/* Frees what @r owns and zeroes it. */
void rawbtf__free(struct rawbtf *r);

/*
 * rawbtf_add.c: libbpf 1.1.2's btf__add_*() on a rawbtf (same checks, errors,
 * bytes and string order): each returns the new type ID or a negative errno;
 * the *_field, *_value, *_param and *_var_info calls extend the last record
 * and return 0 (-EINVAL if there is none or it is of another kind). IDs count
 * from 1; a pointer from rawbtf__last() is valid until the next addition.
 */
int rawbtf__type_cnt(const struct rawbtf *r);
static inline struct btf_type *rawbtf__last(struct rawbtf *r)
{
	return r->nr ? (struct btf_type *)(r->types + r->last) : NULL;
}
int rawbtf__add_int(struct rawbtf *r, const char *name, size_t byte_sz, int encoding);
int rawbtf__add_datasec(struct rawbtf *r, const char *name, uint32_t byte_sz);
int rawbtf__add_datasec_var_info(struct rawbtf *r, int var_type_id, uint32_t offset,
				 uint32_t byte_sz);
int rawbtf__add_float(struct rawbtf *r, const char *name, size_t byte_sz);
int rawbtf__add_ptr(struct rawbtf *r, int ref);
int rawbtf__add_const(struct rawbtf *r, int ref);
int rawbtf__add_volatile(struct rawbtf *r, int ref);
int rawbtf__add_restrict(struct rawbtf *r, int ref);
int rawbtf__add_typedef(struct rawbtf *r, const char *name, int ref);
int rawbtf__add_type_tag(struct rawbtf *r, const char *value, int ref);
int rawbtf__add_fwd(struct rawbtf *r, const char *name, int fwd_kind);
int rawbtf__add_struct(struct rawbtf *r, const char *name, uint32_t byte_sz);
int rawbtf__add_union(struct rawbtf *r, const char *name, uint32_t byte_sz);
int rawbtf__add_field(struct rawbtf *r, const char *name, int type, uint32_t bit_offset,
		      uint32_t bit_size);
int rawbtf__add_enum(struct rawbtf *r, const char *name, uint32_t byte_sz);
int rawbtf__add_enum64(struct rawbtf *r, const char *name, uint32_t byte_sz, int is_signed);
int rawbtf__add_enum_value(struct rawbtf *r, const char *name, int64_t value);
int rawbtf__add_enum64_value(struct rawbtf *r, const char *name, uint64_t value);
int rawbtf__add_array(struct rawbtf *r, int index_type, int elem_type, uint32_t nelems);
int rawbtf__add_func_proto(struct rawbtf *r, int ret);
int rawbtf__add_func_param(struct rawbtf *r, const char *name, int type);
int rawbtf__add_func(struct rawbtf *r, const char *name, int linkage, int proto);
int rawbtf__add_var(struct rawbtf *r, const char *name, int linkage, int type);
int rawbtf__add_decl_tag(struct rawbtf *r, const char *value, int ref, int component_idx);

#endif
