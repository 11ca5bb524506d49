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

/* Tables of static strings, [n] = PREFIX "n", n = 0..127. */
#define K1(p, n)	[n] = p #n
#define K10(p, t)	K1(p, t##0), K1(p, t##1), K1(p, t##2), K1(p, t##3), K1(p, t##4), \
			K1(p, t##5), K1(p, t##6), K1(p, t##7), K1(p, t##8), K1(p, t##9)
#define K128(p)		K1(p, 0), K1(p, 1), K1(p, 2), K1(p, 3), K1(p, 4), K1(p, 5), \
			K1(p, 6), K1(p, 7), K1(p, 8), K1(p, 9), K10(p, 1), K10(p, 2), \
			K10(p, 3), K10(p, 4), K10(p, 5), K10(p, 6), K10(p, 7), K10(p, 8), \
			K10(p, 9), K10(p, 10), K10(p, 11), K1(p, 120), K1(p, 121), \
			K1(p, 122), K1(p, 123), K1(p, 124), K1(p, 125), K1(p, 126), K1(p, 127)

static const char *const kind_numbers[MAX_KINDS] = { K128("kind ") };
static const char *const unknown_names[MAX_KINDS] = { K128("UNKNOWN_KIND_") };

const char *format__kind_number(unsigned int kind)
{
	return kind < MAX_KINDS ? kind_numbers[kind] : "kind ?";
}

const char *format__unknown_kind_name(unsigned int kind)
{
	return kind < MAX_KINDS ? unknown_names[kind] : "UNKNOWN_KIND";
}
