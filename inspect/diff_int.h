/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * diff_int: what the diff's files share. Private to inspect/.
 *
 * diff.c collects each side's entities and pairs them by kind and name;
 * diff_detail.c says what differs inside a pair; diff_print.c writes the
 * result, diff_summary.c its summary. Thread-safety: the objects belong to one diff__compute() call.
 */
#ifndef BTFENC_DIFF_INT_H
#define BTFENC_DIFF_INT_H

#include <stdint.h>
#include <stdio.h>

#include "inspect/diff.h"

struct btf;
struct json;

/* A named type, function or variable of one side. */
struct entity {
	enum diff_class cls;
	const char *kind;	/* static: "struct", "func", ... */
	const char *name;	/* in the side's BTF strings */
	uint32_t id;
	char *text;		/* canonical text (dump.h); owned */
	char *tags;		/* "VALUE, VALUE@2": its DECL_TAGs, sorted; owned; NULL: none */
	const char *section;	/* a VAR's DATASEC name, NULL: none */
};

/* One side's BTF, as far as the diff reads it. */
struct side {
	const struct btf *btf;
	uint32_t start;		/* first type ID compared */
	struct entity *ents;
	size_t n, cap;
};

/*
 * diff__add_detail - append a detail to @e; the strings are copied (NULL
 * stays NULL). Returns 0 or -ENOMEM.
 */
int diff__add_detail(struct diff_entry *e, const char *subject, const char *field,
		     const char *old_val, const char *new_val);

/*
 * diff__details - the details of changed entity @e: what differs between
 * @ea of @a and @eb of @b (same kind and name, different text).
 * Returns 0, -ENOMEM or -EINVAL.
 */
int diff__details(struct diff_entry *e, const struct side *a, const struct entity *ea,
		  const struct side *b, const struct entity *eb);

/* diff__summary_line - "summary: types +A -R ~C, ..." and '\n' (diff_summary.c). */
void diff__summary_line(const struct btf_diff *d, FILE *out);

/*
 * diff__summary_text, diff__summary_json - diff__print()'s summary (diff.h),
 * as text, or as the members it adds to the open "summary" object of @j;
 * @top names per list. Return 0 or -ENOMEM (with nothing written).
 */
int diff__summary_text(const struct btf_diff *d, unsigned int top, FILE *out);
int diff__summary_json(const struct btf_diff *d, unsigned int top, struct json *j);

#endif
