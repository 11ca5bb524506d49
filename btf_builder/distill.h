/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * distill: a module's split BTF re-split on a distilled base, the pair pahole writes as .BTF
 * and .BTF.base for --btf_features=distilled_base (pahole 1.28; the kernel's Makefile.modfinal
 * asks for it for out-of-tree modules, M=). At load, a kernel since 6.11 relocates such a
 * module's BTF onto the vmlinux it runs (kernel/bpf/btf_relocate.c), so the module survives a
 * vmlinux whose BTF changed.
 *
 * This is libbpf's btf__distill_base() (libbpf 1.5; src/btf.c at libbpf commit f7081a6b:
 * btf_add_distilled_type_ids(), btf_add_distilled_types(), btf_update_distilled_type_ids()),
 * written with the btf__add_*() calls of Debian's libbpf 1.1.2, which lacks it. The result
 * is the same records and strings, in the same order:
 *  1. every base type the split refers to, directly or through other base types, is marked;
 *     a named STRUCT or UNION stops the walk (the distilled base keeps no members), and a
 *     reference to a base type of another kind than INT, FLOAT, FWD, ARRAY, STRUCT, UNION,
 *     TYPEDEF, ENUM, ENUM64, PTR, CONST, VOLATILE, RESTRICT, FUNC_PROTO or TYPE_TAG is an
 *     error;
 *  2. the new base gets, in base ID order, the marked named INT, FLOAT and FWD as they are,
 *     each marked named STRUCT/UNION as one of the same name and size without members, each
 *     named ENUM/ENUM64 as an ENUM of that name and size without values;
 *  3. the new split gets the old split's types, then, in base ID order, copies of the other
 *     marked base types (the reference kinds, and anonymous STRUCT/UNION/ENUM/ENUM64);
 *  4. every type ID is rewritten: a marked base type to its new place, a split type shifted
 *     down by the number of base types left out.
 * Strings go through btf__add_str() as in libbpf: the new split's own strings are those the
 * new base does not hold, in the order first met.
 *
 * Ownership: *new_base and *new_split are the caller's (btf__free()); *new_split is split on
 * *new_base, so free it first. Both take @split's byte order. Thread-safety: none needed (no
 * state); @split is only read. Errors: 0, -ENOMEM, -EINVAL when @split is not split BTF, or
 * refers to a base type of a kind a distilled base cannot describe (that type's ID in
 * *bad_id, else 0). Nothing is printed.
 */
#ifndef BTFENC_DISTILL_H
#define BTFENC_DISTILL_H

#include <stdint.h>

struct btf;

int distill__split(const struct btf *split, struct btf **new_base, struct btf **new_split,
		   uint32_t *bad_id);

#endif
