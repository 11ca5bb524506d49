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
 */
#ifndef BTFENC_FORMAT_H
#define BTFENC_FORMAT_H

#include <stdint.h>

#define INFO_KIND(info)		(((info) >> 24) & 0x7fU)
#define INFO_VLEN(info)		((info) & 0xffffffU)
#define INFO_KFLAG(info)	((info) >> 31)

/* The largest vlen libbpf 1.1.2's btf_vlen() (16 bits) reads whole. */
#define LIBBPF_MAX_VLEN		0xffffU

#endif
