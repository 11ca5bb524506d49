/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * diff: what differs between two BTFs, by name, whatever their type IDs and
 * order: types, functions and variables added, removed or changed, with
 * member-level detail for a changed struct or union.
 *
 * An entity is a named type (struct, union, enum (ENUM and ENUM64), typedef,
 * fwd, int, float, datasec, or a kind btfenc does not know, as "kind N"), a
 * function (FUNC) or a variable (VAR), keyed by its kind and name. Two
 * entities are the same when their canonical text (dump.h) is: named types
 * they use are compared by kind and name (a change inside "struct b" is
 * reported once, for "struct b", not again for every struct holding one),
 * anonymous ones by their whole text. A DECL_TAG
 * counts as part of what it tags, a variable's section as part of it.
 * Anonymous types by themselves (pointers, arrays, prototypes...) are not
 * entities: they differ only through a named one that uses them.
 * A name defined more than once on a side (two static functions, two
 * structs of one name) is compared as a multiset: the definitions both
 * sides have cancel out, the rest is paired in order for details.
 *
 * Thread-safety: no shared state; both BTFs are only read.
 */
#ifndef BTFENC_DIFF_H
#define BTFENC_DIFF_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct btf;

enum diff_class { DIFF_TYPES, DIFF_FUNCS, DIFF_VARS, DIFF_NR_CLASSES };
enum diff_change { DIFF_ADDED, DIFF_REMOVED, DIFF_CHANGED, DIFF_NR_CHANGES };

/*
 * One difference inside a changed entity, e.g. subject "member next",
 * field "offset", old "0", new "8". A member or enumerator that only one
 * side has has no @field and only @old (removed) or only @new (added).
 */
struct diff_detail {
	char *subject;
	char *field;		/* NULL: the subject as a whole */
	char *old_val;		/* NULL: added */
	char *new_val;		/* NULL: removed */
};

/*
 * What a changed struct or union's details say of its layout, its nested
 * anonymous members included (a group of several definitions: its pairs
 * summed, the sizes of the first).
 */
struct diff_layout {
	uint32_t old_size, new_size;
	unsigned int added, removed;	/* members */
	unsigned int moved, resized;	/* members at another offset; of another size or width */
};

struct diff_entry {
	enum diff_class cls;
	enum diff_change change;
	const char *kind;	/* "struct", "union", "enum", "typedef", "fwd", "int", "float",
				 * "datasec", "func", "var", "kind N" (static strings) */
	char *name;
	struct diff_detail *details;	/* DIFF_CHANGED only */
	size_t ndetails, cap;
	int has_layout;			/* a changed struct or union: @layout is set */
	struct diff_layout layout;
};

struct btf_diff {
	struct diff_entry *entries;	/* by class, kind, name */
	size_t n, cap;
	uint32_t counts[DIFF_NR_CLASSES][DIFF_NR_CHANGES];
};

/*
 * diff__compute - compare types @a_start.. of @a with types @b_start.. of @b.
 * @a_start, @b_start: the first type ID of the layer to compare (the top
 *	layer of a chain: its own types; its bases only name what it uses).
 * @out: receives a new struct btf_diff (diff__free()); untouched on error.
 * Both BTFs must have passed reader__check().
 * Returns 0, -ENOMEM, or -EINVAL when a type does not resolve.
 */
int diff__compute(const struct btf *a, uint32_t a_start, const struct btf *b, uint32_t b_start,
		  struct btf_diff **out);

/* diff__free - free @d and everything in it. Accepts NULL. */
void diff__free(struct btf_diff *d);

/* How diff__print() writes a diff. */
struct diff_print_opts {
	const char *name_a, *name_b;	/* what the two sides are called in the output */
	int json;
	/*
	 * 1: a summary before the details (below); 0: the details only. The
	 * summary is made from the details alone, so it never disagrees with them.
	 */
	int summary;
	unsigned int top;	/* names the summary lists per section; 0: none */
	int summary_only;	/* the summary without the details (text and JSON) */
};

/*
 * diff__print - write @d as @o says.
 *
 * Text: "--- A" / "+++ B", then with @o->summary a summary that fits a
 *	screen for @o->top up to about 10:
 *	  "summary: types +A -R ~C, functions +A -R ~C, variables +A -R ~C",
 *	  "by kind: added removed changed" and a line per kind that has any
 *	  ("  struct 12 3 40", in diff.h's kind words),
 *	  "changed prototypes: N", then up to @o->top functions whose prototype
 *	  changed, "  func NAME: OLD -> NEW", by name,
 *	  "changed layouts: N", then up to @o->top structs and unions whose
 *	  size changed or which gained, lost, moved or resized a member (a
 *	  member whose type changed in place is not a layout change), largest
 *	  size change first: "  struct NAME: size OLD -> NEW (+D), members
 *	  +A -R, M moved, S resized",
 *	  "most changed:", then up to @o->top entities with the most details,
 *	  "  KIND NAME: N details",
 *	  a list cut short ending in "  ... and N more", and "details:";
 *	then (unless @o->summary_only) one line per entity, "+ KIND NAME"
 *	(added), "- KIND NAME" (removed) or "~ KIND NAME" (changed), the
 *	details of a changed one indented by a tab ("SUBJECT: FIELD OLD -> NEW",
 *	"+ SUBJECT: NEW", "- SUBJECT: OLD"), and a last line "summary: ..." as
 *	above (scripts read it with tail -1).
 * JSON: {"a":A,"b":B,"same":bool,"summary":{"types":{"added","removed",
 *	"changed"},"functions":{...},"variables":{...}},"entries":[{"class":
 *	"type"|"function"|"variable","change":"added"|"removed"|"changed",
 *	"kind","name","details":[{"subject","field","old","new"}]}]}, a
 *	missing field or value as null. With @o->summary, "summary" also holds
 *	"kinds":{"KIND":{"added","removed","changed"},...},
 *	"prototypes":{"changed":N,"top":[{"name","old","new"}]},
 *	"layouts":{"changed":N,"top":[{"kind","name","old_size","new_size",
 *	"members_added","members_removed","members_moved","members_resized"}]}
 *	and "most_changed":[{"kind","name","details"}]; with @o->summary_only
 *	there is no "entries".
 * Returns 0, -ENOMEM or -EIO.
 */
int diff__print(const struct btf_diff *d, const struct diff_print_opts *o, FILE *out);

/* diff__same - 1 if @d holds no difference, 0 otherwise. */
int diff__same(const struct btf_diff *d);

#endif
