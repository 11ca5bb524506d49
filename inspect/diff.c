// SPDX-License-Identifier: GPL-2.0-only
/*
 * The name-keyed BTF diff (contract in diff.h).
 *
 * Problem: two encodings of one program number their types differently
 * (another compiler, another order of units, one type more somewhere), so
 * comparing by ID reports everything after the first difference. Comparing
 * the canonical texts line by line (dump.h) is ID-free but says "these
 * lines differ", not "struct sk_buff gained a member".
 *
 * Example: A has struct s { int a; } (ID 5) and func f (ID 9); B has
 * func f (ID 3), struct s { int a; long b; } (ID 4) and struct t (ID 7).
 * Result: "~ struct s" with "+ member b: long int, offset 8, size 8", and
 * "+ struct t"; f is the same.
 *
 * Passes: (1) per side, collect the entities of the compared layer: each
 * named type, FUNC and VAR with its canonical text, the values of the
 * DECL_TAGs that tag it and, for a VAR, the DATASEC it sits in; (2) sort
 * both sides by (class, kind, name, text); (3) walk both in step, one
 * (class, kind, name) group at a time: a group on one side only is added
 * or removed; otherwise the texts both sides share cancel out (a multiset
 * difference of two sorted lists) and what is left is paired in order,
 * each pair detailed by diff_detail.c.
 *
 * Invariants: an entry's name is a copy, so the result outlives both BTFs;
 * entries come out in (class, kind, name) order, which makes the output of
 * two runs on the same input byte-identical.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include <linux/btf.h>

#include "btf_reader/format.h"
#include "btf_reader/reader.h"
#include "inspect/diff_int.h"
#include "inspect/dump.h"
#include "util/vec.h"

/* Which named kinds are entities, and in what class. */
static int classify(const struct btf_type *t, enum diff_class *cls, const char **kind)
{
	static const char *const words[] = {
		[BTF_KIND_INT] = "int", [BTF_KIND_STRUCT] = "struct", [BTF_KIND_UNION] = "union",
		[BTF_KIND_ENUM] = "enum", [BTF_KIND_FWD] = "fwd", [BTF_KIND_TYPEDEF] = "typedef",
		[BTF_KIND_FUNC] = "func", [BTF_KIND_VAR] = "var", [BTF_KIND_DATASEC] = "datasec",
		[BTF_KIND_FLOAT] = "float", [BTF_KIND_ENUM64] = "enum",
	};
	unsigned int k = btf_kind(t);

	if (reader__unknown_kind(t, NULL)) {
		/* A kind btfenc does not know: named by its number, compared by its text. */
		*kind = format__kind_number(reader__kind(t));
		*cls = DIFF_TYPES;
		return 1;
	}
	if (k >= sizeof(words) / sizeof(words[0]) || !words[k])
		return 0;
	*kind = words[k];
	*cls = k == BTF_KIND_FUNC ? DIFF_FUNCS : k == BTF_KIND_VAR ? DIFF_VARS : DIFF_TYPES;
	return 1;
}

/* (target ID, text) pairs: DECL_TAG values, or a VAR's section. */
struct tag_ref {
	uint32_t target;
	const char *text;
	int idx;
};

static int cmp_tag_ref(const void *pa, const void *pb)
{
	const struct tag_ref *a = pa, *b = pb;

	if (a->target != b->target)
		return a->target < b->target ? -1 : 1;
	if (a->idx != b->idx)
		return a->idx < b->idx ? -1 : 1;
	return strcmp(a->text, b->text);
}

/* The DECL_TAGs and DATASEC entries of the side's layer, sorted by target. */
static int collect_refs(const struct side *s, struct tag_ref **tags, size_t *ntags,
			struct tag_ref **secs, size_t *nsecs)
{
	uint32_t id, count = btf__type_cnt(s->btf);
	size_t tcap = 0, scap = 0;
	unsigned int i;

	for (id = s->start; id < count; id++) {
		const struct btf_type *t = btf__type_by_id(s->btf, id);
		const char *name = btf__name_by_offset(s->btf, t->name_off);

		if (btf_is_decl_tag(t)) {
			if (vec__push_slot(tags, &tcap, *ntags))
				return -ENOMEM;
			(*tags)[(*ntags)++] = (struct tag_ref){ t->type, name ? name : "",
							       btf_decl_tag(t)->component_idx };
		}
		for (i = 0; btf_is_datasec(t) && i < btf_vlen(t); i++) {
			if (vec__push_slot(secs, &scap, *nsecs))
				return -ENOMEM;
			(*secs)[(*nsecs)++] = (struct tag_ref){ btf_var_secinfos(t)[i].type,
							       name ? name : "", 0 };
		}
	}
	if (*ntags)
		qsort(*tags, *ntags, sizeof(**tags), cmp_tag_ref);
	if (*nsecs)
		qsort(*secs, *nsecs, sizeof(**secs), cmp_tag_ref);
	return 0;
}

/* The first of @refs for @target, or NULL. */
static const struct tag_ref *find_ref(const struct tag_ref *refs, size_t n, uint32_t target)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (refs[mid].target < target)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && refs[lo].target == target ? &refs[lo] : NULL;
}

/* "hot, user@1": the tags of one target, in their sorted order. */
static char *tags_text(const struct tag_ref *first, const struct tag_ref *end)
{
	const struct tag_ref *r;
	size_t len = 1;
	char *s, *p;

	for (r = first; r < end && r->target == first->target; r++)
		len += strlen(r->text) + 16;
	s = p = malloc(len);
	if (!s)
		return NULL;
	*p = '\0';
	for (r = first; r < end && r->target == first->target; r++) {
		p += sprintf(p, "%s%s", r == first ? "" : ", ", r->text);
		if (r->idx >= 0)
			p += sprintf(p, "@%d", r->idx);
	}
	return s;
}

static void free_side(struct side *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->ents[i].text);
		free(s->ents[i].tags);
	}
	free(s->ents);
}

static int cmp_key(const struct entity *a, const struct entity *b)
{
	int r;

	if (a->cls != b->cls)
		return a->cls < b->cls ? -1 : 1;
	r = strcmp(a->kind, b->kind);
	return r ? r : strcmp(a->name, b->name);
}

/* Two definitions are the same when text, tags and section all are. */
static int cmp_def(const struct entity *a, const struct entity *b)
{
	int r = strcmp(a->text, b->text);

	if (!r)
		r = strcmp(a->tags ? a->tags : "", b->tags ? b->tags : "");
	if (!r)
		r = strcmp(a->section ? a->section : "", b->section ? b->section : "");
	return r;
}

static int cmp_entity(const void *pa, const void *pb)
{
	const struct entity *a = pa, *b = pb;
	int r = cmp_key(a, b);

	return r ? r : cmp_def(a, b);
}

/* Pass 1 for one side. */
static int collect(struct side *s)
{
	struct tag_ref *tags = NULL, *secs = NULL;
	uint32_t id, count = btf__type_cnt(s->btf);
	size_t ntags = 0, nsecs = 0;
	int err = collect_refs(s, &tags, &ntags, &secs, &nsecs);

	for (id = s->start; id < count && !err; id++) {
		const struct btf_type *t = btf__type_by_id(s->btf, id);
		const char *name = btf__name_by_offset(s->btf, t->name_off);
		const struct tag_ref *ref;
		struct entity *e;

		if (!name || !*name)
			continue;
		if (vec__push_slot(&s->ents, &s->cap, s->n)) {
			err = -ENOMEM;
			break;
		}
		e = &s->ents[s->n];
		memset(e, 0, sizeof(*e));
		if (!classify(t, &e->cls, &e->kind))
			continue;
		e->name = name;
		e->id = id;
		err = dump__type_text(s->btf, id, &e->text);
		if (err)
			break;
		s->n++;
		ref = find_ref(tags, ntags, id);
		if (ref && !(e->tags = tags_text(ref, tags + ntags)))
			err = -ENOMEM;
		ref = find_ref(secs, nsecs, id);
		e->section = ref ? ref->text : NULL;
	}
	free(tags);
	free(secs);
	if (!err && s->n)
		qsort(s->ents, s->n, sizeof(*s->ents), cmp_entity);
	return err;
}

static struct diff_entry *new_entry(struct btf_diff *d, const struct entity *e,
				    enum diff_change change)
{
	struct diff_entry *de;

	if (vec__push_slot(&d->entries, &d->cap, d->n))
		return NULL;
	de = &d->entries[d->n];
	memset(de, 0, sizeof(*de));
	de->name = strdup(e->name);
	if (!de->name)
		return NULL;
	d->n++;
	de->cls = e->cls;
	de->kind = e->kind;
	de->change = change;
	d->counts[e->cls][change]++;
	return de;
}

/* Pass 3 for one group of both sides: [ai, an) of @a and [bi, bn) of @b, one key. */
static int compare_group(struct btf_diff *d, const struct side *a, size_t ai, size_t an,
			 const struct side *b, size_t bi, size_t bn)
{
	size_t *ua = malloc((an - ai + bn - bi + 1) * sizeof(*ua)), *ub, nua = 0, nub = 0, k;
	struct diff_entry *e = NULL;
	char old_n[24], new_n[24];
	int err = 0, r;

	if (!ua)
		return -ENOMEM;
	ub = ua + (an - ai);
	/* Sorted by definition within the group: a merge cancels what both have. */
	while (ai < an || bi < bn) {
		r = ai == an ? 1 : bi == bn ? -1 : cmp_def(&a->ents[ai], &b->ents[bi]);
		if (r < 0)
			ua[nua++] = ai++;
		else if (r > 0)
			ub[nub++] = bi++;
		else
			ai++, bi++;
	}
	if (nua || nub)
		e = new_entry(d, nua ? &a->ents[ua[0]] : &b->ents[ub[0]], DIFF_CHANGED);
	if ((nua || nub) && !e)
		err = -ENOMEM;
	for (k = 0; !err && k < nua && k < nub; k++)
		err = diff__details(e, a, &a->ents[ua[k]], b, &b->ents[ub[k]]);
	if (!err && nua != nub) {
		snprintf(old_n, sizeof(old_n), "%zu", nua);
		snprintf(new_n, sizeof(new_n), "%zu", nub);
		err = diff__add_detail(e, "definitions not matched", NULL, old_n, new_n);
	}
	free(ua);
	return err;
}

/* Pass 3: both sorted sides in step, one key at a time. */
static int compare(struct btf_diff *d, const struct side *a, const struct side *b)
{
	size_t ai = 0, bi = 0, an, bn;
	int err = 0, r;

	while (!err && (ai < a->n || bi < b->n)) {
		r = ai == a->n ? 1 : bi == b->n ? -1 : cmp_key(&a->ents[ai], &b->ents[bi]);
		for (an = ai; r <= 0 && an < a->n && !cmp_key(&a->ents[an], &a->ents[ai]); an++)
			;
		for (bn = bi; r >= 0 && bn < b->n && !cmp_key(&b->ents[bn], &b->ents[bi]); bn++)
			;
		if (r < 0 && !new_entry(d, &a->ents[ai], DIFF_REMOVED))
			err = -ENOMEM;
		else if (r > 0 && !new_entry(d, &b->ents[bi], DIFF_ADDED))
			err = -ENOMEM;
		else if (!r)
			err = compare_group(d, a, ai, an, b, bi, bn);
		ai = r <= 0 ? an : ai;
		bi = r >= 0 ? bn : bi;
	}
	return err;
}

int diff__compute(const struct btf *a, uint32_t a_start, const struct btf *b, uint32_t b_start,
		  struct btf_diff **out)
{
	struct side sa = { .btf = a, .start = a_start ? a_start : 1 };
	struct side sb = { .btf = b, .start = b_start ? b_start : 1 };
	struct btf_diff *d = calloc(1, sizeof(*d));
	int err = d ? 0 : -ENOMEM;

	if (!err)
		err = collect(&sa);
	if (!err)
		err = collect(&sb);
	if (!err)
		err = compare(d, &sa, &sb);
	free_side(&sa);
	free_side(&sb);
	if (err) {
		diff__free(d);
		return err;
	}
	*out = d;
	return 0;
}

void diff__free(struct btf_diff *d)
{
	size_t i, k;

	if (!d)
		return;
	for (i = 0; i < d->n; i++) {
		struct diff_entry *e = &d->entries[i];

		for (k = 0; k < e->ndetails; k++) {
			free(e->details[k].subject);
			free(e->details[k].field);
			free(e->details[k].old_val);
			free(e->details[k].new_val);
		}
		free(e->details);
		free(e->name);
	}
	free(d->entries);
	free(d);
}

int diff__same(const struct btf_diff *d)
{
	return d->n == 0;
}
