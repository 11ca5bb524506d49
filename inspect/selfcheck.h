/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * selfcheck: `btfenc diff --dwarf ELF`, a check of the encoder itself in the
 * manner of dwarves' btfdiff script (which compares `pahole -F dwarf` with
 * `pahole -F btf` on one file): the struct and union layouts btfenc encodes
 * from ELF's DWARF against the layouts that DWARF describes.
 *
 * Two sides. BTF: encoder__encode() on the file, as `btfenc
 * --btf_encode_detached` would encode it with the default features, or a
 * BTF the caller gives (another encoder's, to check it the same way). DWARF:
 * the loader's records of every unit (dwarf_loader/loader.h), plus the
 * attributes the records do not keep, read with libdw from the same DIEs
 * (DW_AT_alignment, a bitfield's DW_AT_byte_size, DW_AT_bit_offset and
 * DW_AT_data_member_location).
 *
 * Compared: every named struct and union the DWARF defines (declarations
 * and anonymous ones aside; an anonymous struct or union member is compared
 * inside its parent), each distinct layout once however many units repeat it.
 * Its layout is its size and, per member in order, its name, bit offset,
 * bitfield width and size. BTF must hold a struct or union of that kind and
 * name with the same layout; one that does not is a bug of the encoder,
 * reported member by member against the BTF candidate of the same size (or
 * the first): "offset", "size", "bits", a member only one side has, or the
 * type missing altogether.
 *
 * Losses, what BTF cannot carry (kernel Documentation/bpf/btf.rst: a member
 * is a name, a type and a bit offset with an optional bitfield width; a
 * struct has a size), each listed by type and member, none a bug:
 *   alignment        DW_AT_alignment on the struct or union (__aligned(N))
 *   member alignment DW_AT_alignment on a member
 *   packed           a member below its natural alignment, or a size that is
 *                    not a multiple of it (__packed; DWARF has no attribute,
 *                    so this is inferred as pahole infers it)
 *   hole             a hole before a member, or padding at the end, that
 *                    natural alignment and the alignments above do not
 *                    explain (BTF keeps the offsets, not why)
 *   bitfield storage a bitfield that crosses the storage unit its type's
 *                    size, naturally aligned, implies; or a DWARF 4 one whose
 *                    unit (DW_AT_byte_size at DW_AT_data_member_location) is
 *                    another (BTF keeps a bit offset and width only)
 *   flexible array   a member T x[]: BTF writes an array of 0 elements, as
 *                    for T x[0]
 * Natural alignment: a scalar's is its size (at most 16), a pointer's the
 * address size, an array's its element's, a struct's or union's the largest
 * of its members' and its DW_AT_alignment, as on LP64 ABIs (x86-64, arm64).
 *
 * Thread-safety: no shared state; the encoding runs on @o->jobs threads.
 */
#ifndef BTFENC_SELFCHECK_H
#define BTFENC_SELFCHECK_H

#include <stdio.h>

struct diag;

struct selfcheck_opts {
	const struct diag *diag;	/* messages: the file, what failed */
	int jobs;			/* encoder threads, >= 1 */
	int json;
	/*
	 * The BTF side: NULL to encode the file; else this BTF (a chain's flat
	 * BTF, e.g. pahole's encoding or the file's own .BTF) is compared
	 * instead, its structs and unions from every layer.
	 */
	const struct btf *btf;
	struct btf *base;		/* encoding only: split on this flat base (a module's) */
};

/*
 * selfcheck__run - check the encoding of the ELF file @path (format below).
 * Text: "--- DWARF of PATH" / "+++ BTF btfenc encodes from it", the summary
 *	line (below), then each type with a bug, "! KIND NAME" and its details
 *	("\tbug: member M: FIELD DWARF -> BTF", "\tbug: - member M: ...",
 *	"\tbug: + member M: ...", "\tbug: not encoded (defined) -> (none)"),
 *	then each type with a loss, "~ KIND NAME" and "\tloss: CLASS: member
 *	M: what" (or without the member), and the summary line again, last:
 *	"summary: N layouts compared, B with bugs, L losses (CLASS n, ...)",
 *	the classes in the order above.
 * JSON: {"elf":PATH,"layouts":N,"bugs":B,"losses":{"CLASS":n,...},
 *	"entries":[{"kind","name","bugs":[{"member","field","dwarf","btf"}],
 *	"losses":[{"class","member","text"}]}]}, a missing value as null.
 * Entries come in (kind, name) order, the same bytes for every run.
 * @bugs: receives the number of layouts with a bug.
 * Returns 0; the error of objfile__open(), loader__new() or
 * encoder__encode() (-ENODATA: no DWARF), after their message; -ENOMEM;
 * -EIO when writing to @out failed.
 */
int selfcheck__run(const char *path, const struct selfcheck_opts *o, FILE *out,
		   unsigned int *bugs);

#endif
