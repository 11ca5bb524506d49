// SPDX-License-Identifier: GPL-2.0-only
/*
 * The summary diff__print() writes before a diff's details (format in
 * diff.h): counts by kind, changed prototypes, changed layouts and the most
 * changed entities, each list cut to the first @top. It is made from the
 * entries and their details alone, so the summary and the details never
 * disagree; the lists are ranked so that the first screen shows what a
 * reviewer would look at first (the largest size change, the most details),
 * ties in the entries' own (class, kind, name) order.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inspect/diff_int.h"
#include "inspect/json.h"

static const char *const change_words[] = { "added", "removed", "changed" };

/* The prototype detail of a changed function, or NULL. */
static const struct diff_detail *prototype_detail(const struct diff_entry *e)
{
	size_t k;

	if (e->cls != DIFF_FUNCS || e->change != DIFF_CHANGED)
		return NULL;
	for (k = 0; k < e->ndetails; k++)
		if (!strcmp(e->details[k].subject, "prototype") && e->details[k].old_val &&
		    e->details[k].new_val)
			return &e->details[k];
	return NULL;
}

static unsigned int member_changes(const struct diff_layout *l)
{
	return l->added + l->removed + l->moved + l->resized;
}

/* A changed struct or union whose size or members' places changed. */
static int layout_changed(const struct diff_entry *e)
{
	return e->has_layout && (e->layout.old_size != e->layout.new_size ||
				 member_changes(&e->layout));
}

static long long size_delta(const struct diff_entry *e)
{
	return (long long)e->layout.new_size - (long long)e->layout.old_size;
}

/* Entries of the diff @d, as indexes, in the order a list shows them. */
struct ranking {
	const struct btf_diff *d;
	size_t *idx;
	size_t n;
};

static int cmp_size(size_t ia, size_t ib, const struct btf_diff *d)
{
	const struct diff_entry *a = &d->entries[ia], *b = &d->entries[ib];
	long long da = llabs(size_delta(a)), db = llabs(size_delta(b));

	if (da != db)
		return da > db ? -1 : 1;
	if (member_changes(&a->layout) != member_changes(&b->layout))
		return member_changes(&a->layout) > member_changes(&b->layout) ? -1 : 1;
	return ia < ib ? -1 : ia > ib;
}

static int cmp_details(size_t ia, size_t ib, const struct btf_diff *d)
{
	size_t na = d->entries[ia].ndetails, nb = d->entries[ib].ndetails;

	if (na != nb)
		return na > nb ? -1 : 1;
	return ia < ib ? -1 : ia > ib;
}

/*
 * Sorting with a comparator that needs the diff: qsort() has no context
 * argument, so a merge sort of our own, which is stable and keeps the
 * summary free of shared state.
 */
static int rank(struct ranking *r, int (*cmp)(size_t, size_t, const struct btf_diff *))
{
	size_t *tmp, width, lo, i, j, k, mid, hi;

	if (r->n < 2)
		return 0;
	tmp = malloc(r->n * sizeof(*tmp));
	if (!tmp)
		return -ENOMEM;
	for (width = 1; width < r->n; width *= 2) {
		for (lo = 0; lo < r->n; lo += 2 * width) {
			mid = lo + width < r->n ? lo + width : r->n;
			hi = lo + 2 * width < r->n ? lo + 2 * width : r->n;
			for (i = lo, j = mid, k = lo; k < hi; k++)
				tmp[k] = j >= hi || (i < mid && cmp(r->idx[i], r->idx[j], r->d) <= 0) ?
					 r->idx[i++] : r->idx[j++];
		}
		memcpy(r->idx, tmp, r->n * sizeof(*tmp));
	}
	free(tmp);
	return 0;
}

/* The entries @keep accepts, ranked by @cmp (NULL: in entry order). */
static int select_ranked(const struct btf_diff *d, int (*keep)(const struct diff_entry *),
			 int (*cmp)(size_t, size_t, const struct btf_diff *), struct ranking *r)
{
	size_t i;

	r->d = d;
	r->n = 0;
	r->idx = malloc((d->n + 1) * sizeof(*r->idx));
	if (!r->idx)
		return -ENOMEM;
	for (i = 0; i < d->n; i++)
		if (keep(&d->entries[i]))
			r->idx[r->n++] = i;
	return cmp ? rank(r, cmp) : 0;
}

static int has_prototype(const struct diff_entry *e)
{
	return prototype_detail(e) != NULL;
}

static int is_changed(const struct diff_entry *e)
{
	return e->change == DIFF_CHANGED;
}

/* The three lists of the summary. */
struct summary {
	struct ranking protos, layouts, most;
};

static void summary_free(struct summary *s)
{
	free(s->protos.idx);
	free(s->layouts.idx);
	free(s->most.idx);
}

static int summary_make(const struct btf_diff *d, struct summary *s)
{
	int err;

	memset(s, 0, sizeof(*s));
	err = select_ranked(d, has_prototype, NULL, &s->protos);
	if (!err)
		err = select_ranked(d, layout_changed, cmp_size, &s->layouts);
	if (!err)
		err = select_ranked(d, is_changed, cmp_details, &s->most);
	if (err)
		summary_free(s);
	return err;
}

/* Calls @fn for each (class, kind) run of the entries with its counts. */
static void for_each_kind(const struct btf_diff *d,
			  void (*fn)(const char *kind, const unsigned int counts[], void *arg),
			  void *arg)
{
	unsigned int counts[DIFF_NR_CHANGES];
	size_t i = 0, j;

	while (i < d->n) {
		memset(counts, 0, sizeof(counts));
		for (j = i; j < d->n && d->entries[j].cls == d->entries[i].cls &&
		     !strcmp(d->entries[j].kind, d->entries[i].kind); j++)
			counts[d->entries[j].change]++;
		fn(d->entries[i].kind, counts, arg);
		i = j;
	}
}

static void kind_line(const char *kind, const unsigned int counts[], void *arg)
{
	fprintf(arg, "  %-10s %7u %7u %7u\n", kind, counts[DIFF_ADDED], counts[DIFF_REMOVED],
		counts[DIFF_CHANGED]);
}

static void more_line(size_t n, unsigned int top, FILE *out)
{
	if (n > top)
		fprintf(out, "  ... and %zu more\n", n - top);
}

static void layout_line(const struct diff_entry *e, FILE *out)
{
	const struct diff_layout *l = &e->layout;

	fprintf(out, "  %s %s: size %u", e->kind, e->name, l->old_size);
	if (l->old_size != l->new_size)
		fprintf(out, " -> %u (%+lld)", l->new_size, size_delta(e));
	fprintf(out, ", members +%u -%u, %u moved, %u resized\n", l->added, l->removed,
		l->moved, l->resized);
}

void diff__summary_line(const struct btf_diff *d, FILE *out)
{
	static const char *const class_names[] = { "types", "functions", "variables" };
	int c;

	fprintf(out, "summary:");
	for (c = 0; c < DIFF_NR_CLASSES; c++)
		fprintf(out, "%s %s +%u -%u ~%u", c ? "," : "", class_names[c],
			d->counts[c][DIFF_ADDED], d->counts[c][DIFF_REMOVED],
			d->counts[c][DIFF_CHANGED]);
	fputc('\n', out);
}

int diff__summary_text(const struct btf_diff *d, unsigned int top, FILE *out)
{
	struct summary s;
	size_t i;
	int err = summary_make(d, &s);

	if (err)
		return err;
	diff__summary_line(d, out);
	fprintf(out, "%-12s %7s %7s %7s\n", "by kind:", "added", "removed", "changed");
	for_each_kind(d, kind_line, out);
	fprintf(out, "changed prototypes: %zu\n", s.protos.n);
	for (i = 0; i < s.protos.n && i < top; i++) {
		const struct diff_detail *dd = prototype_detail(&d->entries[s.protos.idx[i]]);

		fprintf(out, "  %s -> %s\n", dd->old_val, dd->new_val);
	}
	more_line(s.protos.n, top, out);
	fprintf(out, "changed layouts: %zu\n", s.layouts.n);
	for (i = 0; i < s.layouts.n && i < top; i++)
		layout_line(&d->entries[s.layouts.idx[i]], out);
	more_line(s.layouts.n, top, out);
	fprintf(out, "most changed:\n");
	for (i = 0; i < s.most.n && i < top; i++) {
		const struct diff_entry *e = &d->entries[s.most.idx[i]];

		fprintf(out, "  %s %s: %zu detail%s\n", e->kind, e->name, e->ndetails,
			e->ndetails == 1 ? "" : "s");
	}
	more_line(s.most.n, top, out);
	summary_free(&s);
	return 0;
}

static void kind_obj(const char *kind, const unsigned int counts[], void *arg)
{
	struct json *j = arg;
	int ch;

	json__begin_obj(j, kind);
	for (ch = 0; ch < DIFF_NR_CHANGES; ch++)
		json__uint(j, change_words[ch], counts[ch]);
	json__end(j);
}

int diff__summary_json(const struct btf_diff *d, unsigned int top, struct json *j)
{
	struct summary s;
	size_t i;
	int err = summary_make(d, &s);

	if (err)
		return err;
	json__begin_obj(j, "kinds");
	for_each_kind(d, kind_obj, j);
	json__end(j);
	json__begin_obj(j, "prototypes");
	json__uint(j, "changed", s.protos.n);
	json__begin_arr(j, "top");
	for (i = 0; i < s.protos.n && i < top; i++) {
		const struct diff_entry *e = &d->entries[s.protos.idx[i]];
		const struct diff_detail *dd = prototype_detail(e);

		json__begin_obj(j, NULL);
		json__str(j, "name", e->name);
		json__str(j, "old", dd->old_val);
		json__str(j, "new", dd->new_val);
		json__end(j);
	}
	json__end(j);
	json__end(j);
	json__begin_obj(j, "layouts");
	json__uint(j, "changed", s.layouts.n);
	json__begin_arr(j, "top");
	for (i = 0; i < s.layouts.n && i < top; i++) {
		const struct diff_entry *e = &d->entries[s.layouts.idx[i]];

		json__begin_obj(j, NULL);
		json__str(j, "kind", e->kind);
		json__str(j, "name", e->name);
		json__uint(j, "old_size", e->layout.old_size);
		json__uint(j, "new_size", e->layout.new_size);
		json__uint(j, "members_added", e->layout.added);
		json__uint(j, "members_removed", e->layout.removed);
		json__uint(j, "members_moved", e->layout.moved);
		json__uint(j, "members_resized", e->layout.resized);
		json__end(j);
	}
	json__end(j);
	json__end(j);
	json__begin_arr(j, "most_changed");
	for (i = 0; i < s.most.n && i < top; i++) {
		const struct diff_entry *e = &d->entries[s.most.idx[i]];

		json__begin_obj(j, NULL);
		json__str(j, "kind", e->kind);
		json__str(j, "name", e->name);
		json__uint(j, "details", e->ndetails);
		json__end(j);
	}
	json__end(j);
	summary_free(&s);
	return 0;
}
