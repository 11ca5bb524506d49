// SPDX-License-Identifier: GPL-2.0-only
/* Writing a BTF diff as text or JSON (formats in diff.h). */
#include <errno.h>
#include <stdio.h>

#include "inspect/diff_int.h"
#include "inspect/json.h"

static const char *const class_names[] = { "types", "functions", "variables" };
static const char *const class_words[] = { "type", "function", "variable" };
static const char *const change_words[] = { "added", "removed", "changed" };
static const char change_marks[] = { '+', '-', '~' };

static void print_detail_text(const struct diff_detail *dd, FILE *out)
{
	if (dd->old_val && dd->new_val)
		fprintf(out, "\t%s: %s%s%s -> %s\n", dd->subject, dd->field ? dd->field : "",
			dd->field ? " " : "", dd->old_val, dd->new_val);
	else
		fprintf(out, "\t%c %s: %s\n", dd->new_val ? '+' : '-', dd->subject,
			dd->new_val ? dd->new_val : dd->old_val);
}

static int print_text(const struct btf_diff *d, const struct diff_print_opts *o, FILE *out)
{
	size_t i, k;
	int err;

	fprintf(out, "--- %s\n+++ %s\n", o->name_a, o->name_b);
	if (o->summary) {
		err = diff__summary_text(d, o->top, out);
		if (err || o->summary_only)
			return err;
		fprintf(out, "details:\n");
	}
	for (i = 0; i < d->n; i++) {
		const struct diff_entry *e = &d->entries[i];

		fprintf(out, "%c %s %s\n", change_marks[e->change], e->kind, e->name);
		for (k = 0; k < e->ndetails; k++)
			print_detail_text(&e->details[k], out);
	}
	diff__summary_line(d, out);
	return 0;
}

static void print_entry_json(const struct diff_entry *e, struct json *j)
{
	size_t k;

	json__begin_obj(j, NULL);
	json__str(j, "class", class_words[e->cls]);
	json__str(j, "change", change_words[e->change]);
	json__str(j, "kind", e->kind);
	json__str(j, "name", e->name);
	json__begin_arr(j, "details");
	for (k = 0; k < e->ndetails; k++) {
		const struct diff_detail *dd = &e->details[k];

		json__begin_obj(j, NULL);
		json__str(j, "subject", dd->subject);
		json__str_or_null(j, "field", dd->field);
		json__str_or_null(j, "old", dd->old_val);
		json__str_or_null(j, "new", dd->new_val);
		json__end(j);
	}
	json__end(j);
	json__end(j);
}

static int print_json(const struct btf_diff *d, const struct diff_print_opts *o, FILE *out)
{
	struct json j;
	size_t i;
	int c, ch, err = 0;

	json__init(&j, out);
	json__begin_obj(&j, NULL);
	json__str(&j, "a", o->name_a);
	json__str(&j, "b", o->name_b);
	json__bool(&j, "same", diff__same(d));
	json__begin_obj(&j, "summary");
	for (c = 0; c < DIFF_NR_CLASSES; c++) {
		json__begin_obj(&j, class_names[c]);
		for (ch = 0; ch < DIFF_NR_CHANGES; ch++)
			json__uint(&j, change_words[ch], d->counts[c][ch]);
		json__end(&j);
	}
	if (o->summary)
		err = diff__summary_json(d, o->top, &j);
	json__end(&j);
	if (!o->summary || !o->summary_only) {
		json__begin_arr(&j, "entries");
		for (i = 0; i < d->n; i++)
			print_entry_json(&d->entries[i], &j);
		json__end(&j);
	}
	json__end(&j);
	return err;
}

int diff__print(const struct btf_diff *d, const struct diff_print_opts *o, FILE *out)
{
	int err = o->json ? print_json(d, o, out) : print_text(d, o, out);

	if (err)
		return err;
	return fflush(out) || ferror(out) ? -EIO : 0;
}
