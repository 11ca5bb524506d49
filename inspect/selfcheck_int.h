/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * selfcheck_int: what selfcheck's files share. Private to inspect/.
 *
 * selfcheck.c runs the check (encode, walk the units, compare layouts) and
 * writes the report; selfcheck_loss.c finds what BTF cannot carry of one
 * DWARF struct or union. Thread-safety: the objects belong to one
 * selfcheck__run() call.
 */
#ifndef BTFENC_SELFCHECK_INT_H
#define BTFENC_SELFCHECK_INT_H

#include <stddef.h>
#include <stdint.h>
#include <elfutils/libdw.h>

#include "dwarf_loader/loader.h"

/* The classes of loss, in the order selfcheck.h lists them. */
enum sc_loss_class {
	SC_ALIGNMENT,
	SC_MEMBER_ALIGNMENT,
	SC_PACKED,
	SC_HOLE,
	SC_BITFIELD_STORAGE,
	SC_FLEXIBLE_ARRAY,
	SC_NR_LOSSES,
};

extern const char *const selfcheck_loss_names[SC_NR_LOSSES];

struct sc_loss {
	enum sc_loss_class cls;
	char *member;		/* path, "a" or "(anonymous #1).b"; NULL: the type itself */
	char *text;
};

struct sc_bug {
	char *member;		/* NULL: the type itself */
	char *field;		/* "offset", "size", "bits", NULL: a member only one side has */
	char *dwarf, *btf;	/* NULL: that side has none */
};

/* A type with bugs or losses. */
struct sc_entry {
	const char *kind;	/* "struct" or "union" */
	char *name;
	size_t order;		/* when it was found: ties keep unit order */
	struct sc_bug *bugs;
	size_t nbugs, bugs_cap;
	struct sc_loss *losses;
	size_t nlosses, losses_cap;
};

/* What selfcheck_loss.c reads beside the records. */
struct sc_dwarf {
	Dwarf *dw;		/* libdw's own handle on the file, for the attributes */
	int addr_size;
	const struct cu_records *cu;	/* the unit being read */
	uint16_t *align;	/* per record of @cu: natural alignment + 1, 0 unknown yet */
	size_t align_cap;
};

/*
 * selfcheck__losses - append to @e what BTF cannot carry of struct or union
 * record @idx of @sd->cu (classes in selfcheck.h). Returns 0 or -ENOMEM.
 */
int selfcheck__losses(struct sc_dwarf *sd, uint32_t idx, struct sc_entry *e);

/* selfcheck__rec_size - the size in bytes of record @idx of @cu, as BTF sizes it. */
long long selfcheck__rec_size(const struct cu_records *cu, uint32_t idx, int addr_size);

/* selfcheck__add_loss - append a loss to @e (strings copied). Returns 0 or -ENOMEM. */
int selfcheck__add_loss(struct sc_entry *e, enum sc_loss_class cls, const char *member,
			const char *text);

#endif
