/* SPDX-License-Identifier: GPL-2.0-only */
/* Private to dwarf_loader/: the walk state shared by loader.c and die_decode.c. */
#ifndef BTFENC_LOADER_INT_H
#define BTFENC_LOADER_INT_H

#include <elfutils/libdw.h>

#include "loader.h"

/* Not DW_TAG values known to elfutils 0.188's dwarf.h. */
#define TAG_LLVM_ANNOTATION	0x6000
#define TAG_GNU_ANNOTATION	0x6001

/* Kind of a record reserved by a reference but not decoded yet. */
#define LK_PENDING		0xff

struct loader {
	struct elfin *elf;
	struct loader_config cfg;
	Dwarf *dwarf;
	struct lunit *units;
	size_t nunits, units_cap;
};

struct pending {
	uint32_t idx;
	Dwarf_Die die;
};

struct loader_thread {
	struct loader *l;
	Dwarf *dwarf;
	struct pending *pending;
	size_t npending, pending_cap;
};

struct walk {
	struct loader_thread *t;
	struct lcu *cu;
	const struct diag *diag;
	const char *path;
};

enum die_role {
	ROLE_NONE,	/* read by its parent's decoder, or ignored */
	ROLE_TYPE,	/* becomes a record */
	ROLE_FUNC,	/* DW_TAG_subprogram */
	ROLE_VAR,	/* DW_TAG_variable */
	ROLE_SCOPE,	/* may hold types: lexical blocks, namespaces, inlined code */
};

enum die_role die_role(int tag);

/* Decodes a type DIE met by the walk, unless a reference already did; its record. */
int walk_type(struct walk *w, Dwarf_Die *die, uint32_t *idx);
/* Appends record @idx to the unit's emission order. */
int push_order(struct walk *w, uint32_t idx);
int decode_func(struct walk *w, Dwarf_Die *die);
/* Variables below unit level are kept only when they have a location. */
int decode_var(struct walk *w, Dwarf_Die *die, int top_level);
/* Decodes every record that a reference reserved and nothing decoded yet. */
int drain_pending(struct walk *w);

/* Appends a record; returns its index (>= 0) or a negative errno. */
int new_record(struct walk *w, int kind, const char *name, uint64_t die_off, uint32_t *idx);

/* Writes "FILE: DIE 0x..: WHAT: libdw's reason" and returns -EINVAL. */
int walk_error(struct walk *w, Dwarf_Die *die, const char *what);

#endif
