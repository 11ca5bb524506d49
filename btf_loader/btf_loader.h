/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * btf_loader: the .BTF a compiler wrote into an ELF file (gcc -gbtf) turned
 * into the loader's records (dwarf_loader/loader.h), so that the encoder's
 * pipeline -- function and variable rules, merge, dedup, layers, writers --
 * runs on it as on DWARF. pahole's counterpart is its BTF loader (-F btf).
 *
 * Units. An object file's .BTF is one BTF blob; the linker concatenates the
 * .BTF sections of its inputs, so a linked file (ld -r, an executable, a
 * vmlinux built with -gbtf) holds one blob per object, back to back. Each
 * blob is a unit: btfload__units() lists them in section order, as
 * loader__units() lists DWARF units, and its size is the blob's.
 *
 * Untrusted input. A unit is checked by btf_reader/ before any record of it
 * is read: first its structure (CHECK_STRUCTURE: record sizes, IDs and
 * names in range), then, once the records the encoder rebuilds from the ELF
 * file are set aside (design note in btf_fixup.c), every rule of the kernel's
 * (CHECK_FULL). A unit that fails either check fails the input, with the
 * reader's message naming the file, the unit and the type ID.
 *
 * Records. Type record k of a unit is BTF type ID k of its blob (0 void), so
 * messages that name a record's die_off name the blob's type ID. FUNCs
 * become func_recs, VARs var_recs; their addresses, and whether a function is
 * external, come from the ELF symbol table by name, since BTF has neither, and
 * for a static whose name several objects' local symbols bear, from the local
 * symbols of the object's STT_FILE (btf_records.c says which name finds which
 * symbol). Parameter locations are
 * unknown: sub_rec.flags carry no LSUB_P_* fact.
 *
 * Thread-safety: after btfload__new() the loader is read-only but for each
 * unit's own slot, so btfload__load_unit() may run on several threads at
 * once, for distinct units.
 * Ownership: strings in the records point into the loader, which must
 * outlive them; the objfile must outlive the loader.
 * Errors: negative errno, after one line naming the file (and unit, type ID).
 */
#ifndef BTFENC_BTF_LOADER_H
#define BTFENC_BTF_LOADER_H

#include <stddef.h>
#include <stdint.h>

#include "dwarf_loader/loader.h"
#include "dwarf_loader/objfile.h"
#include "util/diag.h"

struct btf_loader;

/*
 * Makes a loader over @elf's .BTF. Returns NULL with errno set after a
 * message: ENODATA when @elf has no .BTF section or an empty one, EINVAL
 * when the section is not a sequence of BTF blobs, ENOMEM.
 */
struct btf_loader *btfload__new(struct objfile *elf, const struct diag *diag);
/* Frees @l and every record string it holds. Accepts NULL. */
void btfload__free(struct btf_loader *l);

/* The units (one per blob), in section order; die_off is the blob's index. */
const struct unit_span *btfload__units(const struct btf_loader *l, size_t *cnt);

/*
 * Checks unit @u and loads it into @cu (reset first; memory reused).
 * Returns 0 or a negative errno (-EINVAL: the unit failed a check).
 */
int btfload__load_unit(struct btf_loader *l, const struct unit_span *u, struct cu_records *cu);

/*
 * One line under -V (DIAG_INFO) per kind of change made to the compiler's
 * BTF across the units loaded, with its count and cause (what GCC writes
 * that the kernel refuses, what the ELF symbols could not place). Call once
 * the units are loaded; prints nothing when nothing was changed.
 */
void btfload__report(const struct btf_loader *l);

#endif
