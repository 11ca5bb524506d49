// SPDX-License-Identifier: GPL-2.0-only
/* The 2026 BTF header (contract in format.h). */
#include <byteswap.h>
#include <string.h>

#include "btf_reader/format.h"

int format__read_header(const void *blob, size_t size, struct full_header *h)
{
	size_t len;
	uint32_t *w;
	int swapped;

	memset(h, 0, sizeof(*h));
	if (size < sizeof(h->base.magic))
		return -1;
	memcpy(&h->base.magic, blob, sizeof(h->base.magic));
	if (h->base.magic != BTF_MAGIC && h->base.magic != bswap_16(BTF_MAGIC))
		return -1;
	swapped = h->base.magic != BTF_MAGIC;
	len = size < sizeof(*h) ? size : sizeof(*h);
	memcpy(h, blob, len);
	/* Every field after magic, version and flags is a 32-bit word. */
	for (w = &h->base.hdr_len; swapped && (uint8_t *)w < (uint8_t *)h + len; w++)
		*w = bswap_32(*w);
	h->base.magic = BTF_MAGIC;
	len = h->base.hdr_len < len ? h->base.hdr_len : len;
	if (len < sizeof(*h))
		memset((uint8_t *)h + (len > 8 ? len : 8), 0, sizeof(*h) - (len > 8 ? len : 8));
	if (h->base.hdr_len < sizeof(*h))
		h->layout_off = h->layout_len = 0;
	return swapped;
}
