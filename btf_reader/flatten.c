// SPDX-License-Identifier: GPL-2.0-only
/*
 * Flattening a chain's layers into the bytes of one non-split BTF, in the
 * form libbpf 1.1.2 parses (contract in reader_int.h; the chain in chain.c).
 *
 * Problem: layer k is split BTF whose type IDs continue from the type count
 * of layers 0..k-1 and whose string offsets continue from their summed
 * string lengths. libbpf 1.1.2 resolves the string offsets of a split BTF
 * whose base is itself split wrongly, and has no btf__new_split(). It also
 * predates the formats of Linux 7.x: it refuses records of a kind it does
 * not know, and reads a 32-byte header only in the host's byte order.
 *
 * Example: A (100 types + void, 1000 string bytes) <- B (20 types, 50 bytes)
 * <- C. B's types are IDs 101..120 and its strings offsets 1000..1049; C's
 * first type is ID 121 and its first string offset 1050.
 *
 * Pass: one header of 24 bytes with the summed lengths, then every layer's
 * type section, then every layer's string section, copied byte for byte in
 * the byte order they came in. Layout sections are left out: they only say
 * how long records are. A record of a kind btfenc does not know (stepped
 * over by reader__check() with a layout section) is replaced by a stand-in
 * of 12 bytes that libbpf reads as a kind it knows, so that it keeps its
 * type ID and no walk looks into it:
 *	name_off	the record's own
 *	info		DATASEC, kind_flag 1, vlen 0
 *	size		the record's info word (its kind, kind_flag and vlen)
 * Valid BTF never holds that record (the kernel refuses kind_flag on a
 * DATASEC), libbpf and btf_dump take it for an empty section (deduplication
 * never merges a DATASEC), and reader__unknown_kind() tells it apart.
 *
 * Invariant: in the result, layer k's records sit exactly at its own IDs and
 * its strings at its own absolute offsets, so no record needs rewriting. The
 * root's string section starts with the '\0' that offset 0 needs.
 */
#include <byteswap.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>

#include "btf_reader/format.h"
#include "btf_reader/reader.h"
#include "btf_reader/reader_int.h"
#include "btf_reader/typeref.h"

#define STAND_IN_INFO	(1U << 31 | (uint32_t)BTF_KIND_DATASEC << 24)
#define STAND_IN_LEN	12U

unsigned int reader__unknown_kind(const struct btf_type *t, uint32_t *info)
{
	if (t->info != STAND_IN_INFO || INFO_KIND(t->size) < KNOWN_KINDS)
		return 0;
	if (info)
		*info = t->size;
	return INFO_KIND(t->size);
}

long long reader__resolve_size(const struct btf *btf, uint32_t id)
{
	const struct btf_type *t;
	uint32_t elem = id;
	int depth, to;

	/* Through modifiers, typedefs and arrays: a stand-in there has no size we know. */
	for (depth = 0; depth < 32; depth++) {
		to = btf__resolve_type(btf, elem);
		t = to >= 0 ? btf__type_by_id(btf, (uint32_t)to) : NULL;
		if (!t || reader__unknown_kind(t, NULL))
			return -EINVAL;
		if (!btf_is_array(t))
			break;
		elem = btf_array(t)->type;
	}
	return btf__resolve_size(btf, id);
}

unsigned int reader__kind(const struct btf_type *t)
{
	unsigned int kind = reader__unknown_kind(t, NULL);

	return kind ? kind : BTF_INFO_KIND(t->info);
}

/* Bytes the type section of @lh takes in the flat BTF. */
static uint64_t flat_type_len(const struct layer_hdr *lh)
{
	uint64_t len = lh->h.type_len;
	size_t i;

	for (i = 0; i < lh->scan.nunknown; i++)
		len -= lh->scan.unknown[i].len - STAND_IN_LEN;
	return len;
}

/* The type section @sec of @lh with its unknown records replaced, at @p; returns the end. */
static uint8_t *put_types(uint8_t *p, const uint8_t *sec, const struct layer_hdr *lh)
{
	uint32_t pos = 0, info = STAND_IN_INFO;
	size_t i;

	if (lh->swapped)
		info = bswap_32(info);
	for (i = 0; i < lh->scan.nunknown; i++) {
		const struct unknown_rec *u = &lh->scan.unknown[i];

		memcpy(p, sec + pos, u->off - pos);
		p += u->off - pos;
		memcpy(p, sec + u->off, 4);		/* name_off */
		memcpy(p + 4, &info, 4);
		memcpy(p + 8, sec + u->off + 4, 4);	/* the record's info word */
		p += STAND_IN_LEN;
		pos = u->off + u->len;
	}
	memcpy(p, sec + pos, lh->h.type_len - pos);
	return p + (lh->h.type_len - pos);
}

int flatten__bytes(const void *const *blobs, const struct layer_hdr *lh, size_t n,
		   uint8_t **out, uint64_t *size)
{
	uint64_t types_len = 0, strs_len = 0;
	struct btf_header h = { .magic = BTF_MAGIC, .version = BTF_VERSION,
				.hdr_len = sizeof(h) };
	uint8_t *flat, *p;
	size_t i;

	for (i = 0; i < n; i++) {
		types_len += flat_type_len(&lh[i]);
		strs_len += lh[i].h.str_len;
	}
	*size = sizeof(h) + types_len + strs_len;
	if (*size > UINT32_MAX)
		return -E2BIG;
	h.type_len = (uint32_t)types_len;
	h.str_off = (uint32_t)types_len;
	h.str_len = (uint32_t)strs_len;
	if (n && lh[0].swapped) {
		h.magic = bswap_16(h.magic);
		h.hdr_len = bswap_32(h.hdr_len);
		h.type_len = bswap_32(h.type_len);
		h.str_off = bswap_32(h.str_off);
		h.str_len = bswap_32(h.str_len);
	}
	flat = malloc(*size);
	if (!flat)
		return -ENOMEM;
	memcpy(flat, &h, sizeof(h));
	p = flat + sizeof(h);
	for (i = 0; i < n; i++)
		p = put_types(p, (const uint8_t *)blobs[i] + lh[i].h.hdr_len + lh[i].h.type_off,
			      &lh[i]);
	for (i = 0; i < n; i++) {
		memcpy(p, (const uint8_t *)blobs[i] + lh[i].h.hdr_len + lh[i].h.str_off,
		       lh[i].h.str_len);
		p += lh[i].h.str_len;
	}
	*out = flat;
	return 0;
}

uint64_t chain__record_bytes(const struct btf_chain *c, uint32_t id)
{
	const struct btf_layer *l = NULL;
	const struct btf_type *t;
	uint32_t info;
	unsigned int kind;
	size_t i;

	for (i = 0; i < c->nlayers; i++)
		if (id >= c->layers[i].start_id && id - c->layers[i].start_id < c->layers[i].nr_types)
			l = &c->layers[i];
	t = l ? btf__type_by_id(c->flat, id) : NULL;
	if (!t)
		return 0;
	kind = reader__unknown_kind(t, &info);
	if (!kind)
		return sizeof(*t) + (uint64_t)typeref__extra_size(t);
	/* reader__check() stepped over it with this layout entry. */
	return sizeof(*t) + l->layout[kind].info_sz +
	       (uint64_t)INFO_VLEN(info) * l->layout[kind].elem_sz;
}
