/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * layout: the BTF "layout" section (--btf_features=layout, pahole after 1.31, commit 178b769;
 * Linux 7.1+ asks for it): a table that tells a reader, for each kind the writer knew, how many
 * bytes follow struct btf_type (info_sz) and how many each of its vlen elements takes
 * (elem_sz), so that a reader can step over kinds it does not know. It needs the header that
 * libbpf commit 462733ec added to the UAPI: struct btf_header grows from 24 to 32 bytes with
 * __u32 layout_off and layout_len after str_len. The table has one struct btf_layout
 * { __u8 info_sz; __u8 elem_sz; __u16 flags; } per kind, UNKN to ENUM64 (flags 0), and
 * libbpf (btf__new_empty_opts() with add_layout, src/btf.c at commit f7081a6b) places it
 * after the types and before the strings. pahole adds it to base BTF only.
 *
 * layout__add() rewrites a blob as libbpf writes it with the layout: same types and strings,
 * the 32-byte header, the table. Thread-safety: no state. Errors: -EINVAL for a blob that is
 * not BTF of the one-header-types-strings shape btf__raw_data() gives (or already has a
 * layout), -ENOMEM. Nothing is printed.
 */
#ifndef BTFENC_LAYOUT_H
#define BTFENC_LAYOUT_H

#include <stddef.h>

/*
 * @raw, @size: a BTF blob in either byte order (as btf__raw_data() returns it for the
 * output's byte order). On success *out (malloc'd, the caller frees it) and *out_size hold
 * the same BTF, in the same byte order, with the layout section.
 */
int layout__add(const void *raw, size_t size, void **out, size_t *out_size);

#endif
