/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * format: the parts of BTF's on-disk format that Debian's <linux/btf.h>
 * (Linux 6.1's UAPI) and libbpf 1.1.2 predate. Private to btf_reader/ and
 * its users in inspect/.
 *
 * - The info word of struct btf_type as the 2026 UAPI lays it out (libbpf
 *   commit 9801e029, "bpf: Extend BTF UAPI vlen, kinds to use unused bits"):
 *   bits 0-23 vlen, bits 24-30 kind, bit 31 kind_flag. Every bit is used:
 *   there are no reserved bits left to refuse. The old macros read 16 and 5
 *   bits; a record of a known kind keeps its meaning under both as long as
 *   its vlen fits 16 bits.
 * - The 32-byte header of Linux 7.1 (libbpf commits 462733ec, 87896082):
 *   struct btf_header followed by layout_off and layout_len, which place the
 *   layout section (relative to the end of the header, as the others). The
 *   layout section is an array of struct kind_layout, one per kind the
 *   writer knew, indexed by kind: how many bytes follow struct btf_type
 *   (info_sz) and how many each of its vlen elements takes (elem_sz), so
 *   that a reader can step over a kind it does not know. libbpf writes it
 *   after the types and before the strings, 4-byte aligned, and adds it to
 *   base BTF only; split BTF written by a current libbpf has the 32-byte
 *   header with both layout fields 0.
 *
 * Thread-safety: no state.
 */
#ifndef BTFENC_FORMAT_H
#define BTFENC_FORMAT_H

#include <stddef.h>
#include <stdint.h>
#include <linux/btf.h>

#define INFO_KIND(info)		(((info) >> 24) & 0x7fU)
#define INFO_VLEN(info)		((info) & 0xffffffU)
#define INFO_KFLAG(info)	((info) >> 31)

/* The largest vlen libbpf 1.1.2's btf_vlen() (16 bits) reads whole. */
#define LIBBPF_MAX_VLEN		0xffffU
/* Kinds 1..KNOWN_KINDS - 1 are the ones btfenc knows (INT..ENUM64). */
#define KNOWN_KINDS		20U
#define MAX_KINDS		128U	/* what 7 bits of kind can number */

/* struct btf_header as the 2026 UAPI has it; the first 24 bytes are Linux 6.1's. */
struct full_header {
	struct btf_header base;
	uint32_t layout_off;
	uint32_t layout_len;
};

#define FULL_HDR_LEN	((uint32_t)sizeof(struct full_header))	/* 32 */

/* One entry of the layout section (the UAPI's struct btf_layout). */
struct kind_layout {
	uint8_t info_sz;	/* bytes after struct btf_type */
	uint8_t elem_sz;	/* bytes per vlen element */
	uint16_t flags;		/* unused so far */
};

/*
 * format__read_header - the header of @blob (@size bytes), in host order.
 * Reads min(hdr_len, 32, @size) bytes; fields the header does not reach are
 * 0, and so are the layout fields of a header shorter than 32 bytes (the
 * kernel ignores them there). Checks nothing but the magic.
 * Returns 1 when the blob is in the other byte order, 0 when in the host's,
 * -1 when @size is too small for the magic or the magic is not BTF's.
 */
int format__read_header(const void *blob, size_t size, struct full_header *h);

/*
 * format__kind_number - "kind N" for @kind below MAX_KINDS, for messages
 * about kinds btfenc does not know; format__unknown_kind_name - the
 * upper-case spelling, "UNKNOWN_KIND_N", for listings in bpftool's manner.
 * Static strings; "kind ?" and "UNKNOWN_KIND" past MAX_KINDS.
 */
const char *format__kind_number(unsigned int kind);
const char *format__unknown_kind_name(unsigned int kind);

#endif
