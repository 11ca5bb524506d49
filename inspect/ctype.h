/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ctype: the C spelling of a BTF type, for layout and diff output. Private to
 * inspect/.
 *
 * Named types are spelled by kind and name ("struct list_head", "u32"),
 * anonymous structs, unions and enums as "struct {...}", pointers, arrays
 * and function prototypes as C declarators: "void (*fn)(struct sk_buff *)",
 * "char comm[16]". Type tags are left out (C has no place for them). A type
 * of a kind btfenc does not know (reader.h) is "kindN NAME", as in the
 * canonical dump. A
 * declarator nested deeper than 32 types (counted into parameters too), or
 * longer than the buffer, ends in "...". A prototype that reaches itself
 * again (a loop the kernel accepts) is written "(...)" where it recurs in
 * its parameters, and "... " replaces the return type that recurs.
 *
 * Thread-safety: no shared state.
 */
#ifndef BTFENC_CTYPE_H
#define BTFENC_CTYPE_H

#include <stddef.h>
#include <stdint.h>

struct btf;

/*
 * ctype__decl - the C declaration of @name as type @id.
 * @name: the declared name; NULL or "" for the type alone ("int *").
 * @buf, @len: receives the text, always '\0'-terminated (@len >= 4).
 * @name_col: if not NULL, receives where pahole's name column starts in
 *	@buf: after the base type and the '*'s and qualifiers that bind
 *	directly to the name ("struct list_head *|next"), at the declarator
 *	otherwise ("void |(*fn)(int)").
 *
 * Returns 0, or -EINVAL when a type ID does not resolve (the text then
 * holds "?" in its place).
 */
int ctype__decl(const struct btf *btf, uint32_t id, const char *name, char *buf, size_t len,
		size_t *name_col);

#endif
