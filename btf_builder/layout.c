// SPDX-License-Identifier: GPL-2.0-only
/*
 * layout: a BTF blob rewritten with the layout section (contract in layout.h). The table is
 * libbpf's `layouts[NR_BTF_KINDS]` (src/btf.c at commit f7081a6b), bytes after struct
 * btf_type and bytes per vlen element for each kind, and the placement is that of
 * btf_get_raw_data(): header, types, layout, strings.
 */
#include <byteswap.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/btf.h>

#include "layout.h"

#define BTF_HDR_LEN_V1	24	/* struct btf_header before the layout fields */
#define BTF_HDR_LEN	32	/* ... with __u32 layout_off, layout_len */
#define LAYOUT_KINDS	20	/* BTF_KIND_UNKN .. BTF_KIND_ENUM64 */
#define LAYOUT_ENTRY	4	/* struct btf_layout: info_sz, elem_sz, __u16 flags */

/* { info_sz, elem_sz } per kind; flags are 0 (unused in the UAPI). */
static const uint8_t kind_layout[LAYOUT_KINDS][2] = {
	[BTF_KIND_INT] = { 4, 0 },		/* the encoding word */
	[BTF_KIND_ARRAY] = { 12, 0 },		/* struct btf_array */
	[BTF_KIND_STRUCT] = { 0, 12 },		/* struct btf_member each */
	[BTF_KIND_UNION] = { 0, 12 },
	[BTF_KIND_ENUM] = { 0, 8 },		/* struct btf_enum each */
	[BTF_KIND_FUNC_PROTO] = { 0, 8 },	/* struct btf_param each */
	[BTF_KIND_VAR] = { 4, 0 },		/* struct btf_var */
	[BTF_KIND_DATASEC] = { 0, 12 },		/* struct btf_var_secinfo each */
	[BTF_KIND_DECL_TAG] = { 4, 0 },		/* struct btf_decl_tag */
	[BTF_KIND_ENUM64] = { 0, 12 },		/* struct btf_enum64 each */
};

static uint32_t get32(const uint8_t *p, int swap)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return swap ? bswap_32(v) : v;
}

static void put32(uint8_t *p, uint32_t v, int swap)
{
	v = swap ? bswap_32(v) : v;
	memcpy(p, &v, sizeof(v));
}

int layout__add(const void *raw, size_t size, void **out, size_t *out_size)
{
	const uint8_t *in = raw;
	uint32_t hdr_len, type_off, type_len, str_off, str_len, layout_len;
	uint16_t magic;
	uint8_t *o;
	int swap, k;

	if (size < BTF_HDR_LEN_V1)
		return -EINVAL;
	memcpy(&magic, in, sizeof(magic));
	if (magic != BTF_MAGIC && magic != bswap_16(BTF_MAGIC))
		return -EINVAL;
	swap = magic != BTF_MAGIC;
	hdr_len = get32(in + 4, swap);
	type_off = get32(in + 8, swap);
	type_len = get32(in + 12, swap);
	str_off = get32(in + 16, swap);
	str_len = get32(in + 20, swap);
	/* Header, types, strings, back to back; a longer header only with no layout yet. */
	if ((hdr_len != BTF_HDR_LEN_V1 && hdr_len != BTF_HDR_LEN) || hdr_len > size ||
	    type_off || str_off != type_len || type_len % 4 ||
	    (uint64_t)hdr_len + type_len + str_len != size)
		return -EINVAL;
	if (hdr_len == BTF_HDR_LEN && (get32(in + 24, swap) || get32(in + 28, swap)))
		return -EINVAL;
	layout_len = LAYOUT_KINDS * LAYOUT_ENTRY;
	*out_size = BTF_HDR_LEN + (size_t)type_len + layout_len + str_len;
	o = calloc(1, *out_size);
	if (!o)
		return -ENOMEM;
	memcpy(o, in, 4);	/* magic, version, flags */
	put32(o + 4, BTF_HDR_LEN, swap);
	put32(o + 8, 0, swap);
	put32(o + 12, type_len, swap);
	put32(o + 16, type_len + layout_len, swap);
	put32(o + 20, str_len, swap);
	put32(o + 24, type_len, swap);
	put32(o + 28, layout_len, swap);
	memcpy(o + BTF_HDR_LEN, in + hdr_len, type_len);
	for (k = 0; k < LAYOUT_KINDS; k++) {
		uint8_t *e = o + BTF_HDR_LEN + type_len + LAYOUT_ENTRY * k;

		e[0] = kind_layout[k][0];
		e[1] = kind_layout[k][1];	/* e[2..3]: flags, 0 in either byte order */
	}
	memcpy(o + BTF_HDR_LEN + type_len + layout_len, in + hdr_len + type_len, str_len);
	*out = o;
	return 0;
}
