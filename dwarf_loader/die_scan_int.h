/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * die_scan_int: what die_scan.c (DIEs) and die_scan_abbrev.c (abbreviation tables)
 * share: bounded LEB128 and fixed-width reads, and form sizes. Private to
 * dwarf_loader/.
 */
#ifndef BTFENC_DIE_SCAN_INT_H
#define BTFENC_DIE_SCAN_INT_H

#include <stdint.h>
#include <string.h>

#include "loader_int.h"

#define MAX_CODE	(1u << 16)	/* denser tables than this are libdw's */
#define VAR_SIZE	0xff

/* Reads an unsigned LEB128 at *@p below @end; 0 if it runs past @end or overflows. */
static inline int uleb(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
	const uint8_t *q = *p;
	uint64_t r = 0;
	unsigned int shift = 0;

	while (q < end) {
		uint8_t b = *q++;

		if (shift < 64)
			r |= (uint64_t)(b & 0x7f) << shift;
		else if (b & 0x7f)
			return 0;
		shift += 7;
		if (!(b & 0x80)) {
			*p = q;
			*v = r;
			return 1;
		}
	}
	return 0;
}

/*
 * A signed LEB128 of at most nine bytes (longer ones are left to libdw, which
 * has its own rule for bits past 64); 0 if it runs past @end or is longer.
 */
static inline int sleb(const uint8_t **p, const uint8_t *end, int64_t *v)
{
	const uint8_t *q = *p;
	uint64_t r = 0;
	unsigned int shift = 0;
	uint8_t b;

	do {
		if (q >= end || shift >= 63)
			return 0;
		b = *q++;
		r |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
	} while (b & 0x80);
	if (shift < 64 && (b & 0x40))
		r |= ~(uint64_t)0 << shift;
	*p = q;
	*v = (int64_t)r;
	return 1;
}

static inline int skip_leb(const uint8_t **p, const uint8_t *end)
{
	const uint8_t *q = *p;

	while (q < end) {
		if (!(*q++ & 0x80)) {
			*p = q;
			return 1;
		}
	}
	return 0;
}

static inline uint64_t read_uint(const uint8_t *p, unsigned int n, int big_endian)
{
	const int swap = big_endian != (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__);
	uint64_t v = 0;
	unsigned int i;

	/* The common widths as one load each. */
	if (n == 4) {
		uint32_t w;

		memcpy(&w, p, 4);
		return swap ? __builtin_bswap32(w) : w;
	}
	if (n == 8) {
		memcpy(&v, p, 8);
		return swap ? __builtin_bswap64(v) : v;
	}
	if (n == 1)
		return p[0];
	if (big_endian)
		for (i = 0; i < n; i++)
			v = v << 8 | p[i];
	else
		for (i = n; i-- > 0;)
			v = v << 8 | p[i];
	return v;
}

/* Bytes of a value of @form when fixed for the unit, VAR_SIZE if not, -1 if unknown. */
int die_scan__form_size(const struct die_scan *s, uint64_t form);

#endif
