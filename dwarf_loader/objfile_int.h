/* SPDX-License-Identifier: GPL-2.0-only */
/* Private to dwarf_loader/objfile*.c: what objfile.c and objfile_reloc.c share. */
#ifndef BTFENC_OBJFILE_INT_H
#define BTFENC_OBJFILE_INT_H

#include "objfile.h"
#include "util/diag.h"

/*
 * Applies the relocations of every debug section a reader of @e looks at, into private
 * copies of their pages (objfile_reloc.c). 0, or -errno with one message naming the file.
 */
int objfile_reloc__apply(struct objfile *e, const struct diag *diag);

#endif
