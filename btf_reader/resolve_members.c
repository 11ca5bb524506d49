// SPDX-License-Identifier: GPL-2.0-only
/*
 * resolve_members: the kernel's check_member and check_kflag_member
 * callbacks (kernel/bpf/btf.c), by the kind of the member's type, for the
 * resolve pass (resolve.c's design note): each member of a struct or union
 * checked against its struct's size once its type is resolved.
 */
#include <errno.h>
#include <stdint.h>
#include <bpf/btf.h>
#include <linux/btf.h>

#include "btf_reader/resolve_int.h"

/* btf_int_check_member() and btf_int_check_kflag_member() */
static int int_member(struct resolver *r, const struct btf_type *st, const struct btf_type *mt,
		      uint32_t off, int kflag)
{
	uint32_t data = *(const uint32_t *)(mt + 1), bits_off, nr_bits, bytes_off, copy_bits;

	if (kflag) {
		if (!check__int_is_regular(mt))
			return resolve__fail(r, st, "kind_flag member of an irregular int (the kernel's "
				    "\"Invalid member base type\")");
		nr_bits = BTF_MEMBER_BITFIELD_SIZE(off);
		bits_off = BTF_MEMBER_BIT_OFFSET(off);
		if (!nr_bits) {
			if (bits_off % 8)
				return resolve__fail(r, st, "member at bit %u, not byte aligned", bits_off);
			nr_bits = BTF_INT_BITS(data);
		} else if (nr_bits > BTF_INT_BITS(data)) {
			return resolve__fail(r, st, "bitfield of %u bits in an int of %u", nr_bits,
				    BTF_INT_BITS(data));
		}
	} else {
		if (UINT32_MAX - off < BTF_INT_OFFSET(data))
			return resolve__fail(r, st, "member bit offset %u + int offset %u exceeds 32 bits",
				    off, BTF_INT_OFFSET(data));
		bits_off = off + BTF_INT_OFFSET(data);
		nr_bits = BTF_INT_BITS(data);
	}
	bytes_off = bits_off / 8;
	copy_bits = nr_bits + bits_off % 8;
	if (copy_bits > BITS_PER_U128)
		return resolve__fail(r, st, "int member at bit %u: %u bits to copy, more than 128",
			    bits_off, copy_bits);
	if (st->size < bytes_off || st->size - bytes_off < (copy_bits + 7) / 8)
		return resolve__fail(r, st, "int member at bit %u of %u bits ends past size %u", bits_off,
			    nr_bits, st->size);
	return 0;
}

/* btf_enum_check_member() and btf_enum_check_kflag_member(): a 32-bit int's room with kind_flag. */
static int enum_member(struct resolver *r, const struct btf_type *st, const struct btf_type *mt,
		       uint32_t off, int kflag)
{
	uint32_t bits_off = kflag ? BTF_MEMBER_BIT_OFFSET(off) : off, nr_bits;

	if (!kflag || !BTF_MEMBER_BITFIELD_SIZE(off)) {
		if (bits_off % 8)
			return resolve__fail(r, st, "member at bit %u, not byte aligned", bits_off);
	}
	if (!kflag) {
		if (st->size - bits_off / 8 < mt->size)
			return resolve__fail(r, st, "member at bit %u of %u bytes ends past size %u",
				    bits_off, mt->size, st->size);
		return 0;
	}
	nr_bits = BTF_MEMBER_BITFIELD_SIZE(off) ? BTF_MEMBER_BITFIELD_SIZE(off) : 32;
	if (nr_bits > 32)
		return resolve__fail(r, st, "bitfield of %u bits in an enum (the kernel takes 32)",
			    nr_bits);
	if (st->size < (bits_off + nr_bits + 7) / 8)
		return resolve__fail(r, st, "enum member at bit %u of %u bits ends past size %u", bits_off,
			    nr_bits, st->size);
	return 0;
}

/*
 * btf_ptr_check_member(), btf_array_check_member(), btf_struct_check_member():
 * byte aligned, @size bytes of room from the member's byte on (the kernel's
 * unsigned subtraction: a member starting past the end wraps and passes,
 * which btf_struct_check_meta() has refused already).
 */
static int sized_member(struct resolver *r, const struct btf_type *st, uint32_t off,
			uint32_t size)
{
	if (off % 8)
		return resolve__fail(r, st, "member at bit %u, not byte aligned", off);
	if (st->size - off / 8 < size)
		return resolve__fail(r, st, "member at byte %u of %u bytes ends past size %u", off / 8,
			    size, st->size);
	return 0;
}

/* btf_float_check_member(): aligned to min(pointer size, its size). */
static int float_member(struct resolver *r, const struct btf_type *st, const struct btf_type *mt,
			uint32_t off)
{
	uint64_t align_bits = (uint64_t)(mt->size < r->ptr_size ? mt->size : r->ptr_size) * 8;

	if (align_bits && off % align_bits)
		return resolve__fail(r, st, "float member at bit %u, not aligned to %llu bits", off,
			    (unsigned long long)align_bits);
	if ((uint64_t)off / 8 + mt->size > st->size)
		return resolve__fail(r, st, "member at byte %u of %u bytes ends past size %u", off / 8,
			    mt->size, st->size);
	return 0;
}

/* btf_modifier_check_member() and its kflag twin: the type the modifier resolved to. */
static int modifier_member(struct resolver *r, const struct btf_type *st, uint32_t type,
			   uint32_t off, int kflag)
{
	uint32_t id = type;

	if (!resolve__id_size(r, &id, NULL))
		return resolve__unknown_target(r, type) ? 0 :
		       resolve__fail(r, st, "member of type ID %u, which resolves to no size", type);
	return resolve__member(r, st, id, off, kflag);
}

int resolve__member(struct resolver *r, const struct btf_type *st, uint32_t type,
			uint32_t off, int kflag)
{
	const struct btf_type *mt = type_by_id(r, type);
	uint32_t size = 0, id = type;

	if (is_modifier(mt))
		return modifier_member(r, st, type, off, kflag);
	if (is_kind(mt, BTF_KIND_INT))
		return int_member(r, st, mt, off, kflag);
	if (is_kind(mt, BTF_KIND_ENUM) || is_kind(mt, BTF_KIND_ENUM64))
		return enum_member(r, st, mt, off, kflag);
	if (is_unknown(mt))
		return 0;
	/* btf_generic_check_kflag_member(): no bitfield, then the plain callback. */
	if (kflag && BTF_MEMBER_BITFIELD_SIZE(off))
		return resolve__fail(r, st, "bitfield of a %s", resolve__kind_name(mt));
	if (kflag)
		off = BTF_MEMBER_BIT_OFFSET(off);
	if (is_ptr(mt))
		return sized_member(r, st, off, r->ptr_size);
	if (is_kind(mt, BTF_KIND_ARRAY)) {
		resolve__id_size(r, &id, &size);
		return sized_member(r, st, off, size);
	}
	if (is_struct(mt))
		return sized_member(r, st, off, mt->size);
	if (is_kind(mt, BTF_KIND_FLOAT))
		return float_member(r, st, mt, off);
	return resolve__fail(r, st, "member of a %s (the kernel's \"Unsupported check_member\")",
		    resolve__kind_name(mt));
}
