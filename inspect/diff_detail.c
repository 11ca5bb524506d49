// SPDX-License-Identifier: GPL-2.0-only
/*
 * What differs inside a changed entity of the diff (contract in diff_int.h):
 * one function per kind, each adding "subject: field old -> new" details.
 * When a kind's own rules find nothing (a change they do not name), the two
 * canonical texts are the detail, so a changed entity always says why.
 *
 * A member that is an anonymous struct or union has no name of its own to
 * compare it by elsewhere, so the diff descends into it (and into the
 * anonymous ones inside it) and names what changed by its path,
 * "member (anonymous #1).whole", with offsets relative to the anonymous
 * member, whose own offset and size are reported once.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include <linux/btf.h>

#include "btf_reader/reader.h"
#include "inspect/ctype.h"
#include "inspect/diff_int.h"
#include "inspect/dump.h"
#include "util/vec.h"

#define TEXT_MAX	512
#define SUBJECT_MAX	256
/* Anonymous members nested deeper than this are reported as "(changed inside)". */
#define ANON_DEPTH_MAX	16

int diff__add_detail(struct diff_entry *e, const char *subject, const char *field,
		     const char *old_val, const char *new_val)
{
	struct diff_detail *dd;

	if (vec__push_slot(&e->details, &e->cap, e->ndetails))
		return -ENOMEM;
	dd = &e->details[e->ndetails];
	dd->subject = strdup(subject);
	dd->field = field ? strdup(field) : NULL;
	dd->old_val = old_val ? strdup(old_val) : NULL;
	dd->new_val = new_val ? strdup(new_val) : NULL;
	e->ndetails++;
	if (!dd->subject || (field && !dd->field) || (old_val && !dd->old_val) ||
	    (new_val && !dd->new_val))
		return -ENOMEM;
	return 0;
}

static int add_num(struct diff_entry *e, const char *subject, const char *field,
		   long long old_val, long long new_val)
{
	char o[32], n[32];

	if (old_val == new_val)
		return 0;
	snprintf(o, sizeof(o), "%lld", old_val);
	snprintf(n, sizeof(n), "%lld", new_val);
	return diff__add_detail(e, subject, field, o, n);
}

static int add_str(struct diff_entry *e, const char *subject, const char *field,
		   const char *old_val, const char *new_val)
{
	if (!strcmp(old_val ? old_val : "", new_val ? new_val : ""))
		return 0;
	return diff__add_detail(e, subject, field, old_val ? old_val : "(none)",
				new_val ? new_val : "(none)");
}

/* A member of a struct or union, as the diff compares it. */
struct dmember {
	char key[80];		/* its name, or "(anonymous #N)" */
	uint32_t type_id;
	uint32_t bit_off, bits;	/* bits: bitfield size, 0 if none */
	long long size;
	char type[TEXT_MAX];
};

static int read_members(const struct btf *btf, const struct btf_type *t, struct dmember **out)
{
	const struct btf_member *m = btf_members(t);
	unsigned int i, anon = 0, kflag = btf_kflag(t);
	struct dmember *dm = calloc(btf_vlen(t) + 1, sizeof(*dm));
	int err = 0;

	if (!dm)
		return -ENOMEM;
	for (i = 0; i < btf_vlen(t); i++) {
		const char *name = btf__name_by_offset(btf, m[i].name_off);

		if (name && *name)
			snprintf(dm[i].key, sizeof(dm[i].key), "%s", name);
		else
			snprintf(dm[i].key, sizeof(dm[i].key), "(anonymous #%u)", ++anon);
		dm[i].type_id = m[i].type;
		dm[i].bit_off = kflag ? BTF_MEMBER_BIT_OFFSET(m[i].offset) : m[i].offset;
		dm[i].bits = kflag ? BTF_MEMBER_BITFIELD_SIZE(m[i].offset) : 0;
		dm[i].size = reader__resolve_size(btf, m[i].type);
		err |= ctype__decl(btf, m[i].type, NULL, dm[i].type, sizeof(dm[i].type), NULL);
	}
	*out = dm;
	return err ? -EINVAL : 0;
}

/* "offset 8" or "bit 67": bytes when the member is a whole-byte, non-bitfield one. */
static void offset_text(const struct dmember *m, char *buf, size_t len)
{
	if (!m->bits && !(m->bit_off % 8))
		snprintf(buf, len, "%u", m->bit_off / 8);
	else
		snprintf(buf, len, "bit %u", m->bit_off);
}

static void member_text(const struct dmember *m, char *buf, size_t len)
{
	char off[32];

	offset_text(m, off, sizeof(off));
	if (m->bits)
		snprintf(buf, len, "%s:%u, offset %s", m->type, m->bits, off);
	else
		snprintf(buf, len, "%s, offset %s, size %lld", m->type, off, m->size);
}

/*
 * The type of a member changed in place when its C spelling did or, for an
 * anonymous struct, union or enum (spelled "{...}"), its canonical text did.
 */
static int type_changed(const struct side *a, const struct dmember *ma, const struct side *b,
			const struct dmember *mb, int *changed)
{
	char *ta = NULL, *tb = NULL;
	int err;

	*changed = strcmp(ma->type, mb->type) != 0;
	if (*changed || !strstr(ma->type, "{...}"))
		return 0;
	err = dump__type_text(a->btf, ma->type_id, &ta);
	if (!err)
		err = dump__type_text(b->btf, mb->type_id, &tb);
	if (!err)
		*changed = strcmp(ta, tb) != 0;
	free(ta);
	free(tb);
	return err;
}

/*
 * The anonymous type that type @id is, through its qualifiers and type tags (a
 * bounded walk: the reader rejects loops, this does not rely on it), when it is a
 * struct or union (@want_enum 0) or an enum or enum64 (@want_enum 1); else NULL.
 */
static const struct btf_type *anon_type(const struct btf *btf, uint32_t id, int want_enum)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	int hops;

	for (hops = 0; t && hops < ANON_DEPTH_MAX; hops++) {
		if (!btf_is_mod(t) && !btf_is_type_tag(t))
			break;
		t = btf__type_by_id(btf, t->type);
	}
	if (!t || t->name_off || !(want_enum ? btf_is_any_enum(t) : btf_is_composite(t)))
		return NULL;
	return t;
}

static int compare_members(struct diff_entry *e, const char *prefix, unsigned int depth,
			   const struct side *a, const struct btf_type *ta,
			   const struct side *b, const struct btf_type *tb);
static int enum_side(struct diff_entry *e, const char *prefix, const struct side *s,
		     const struct btf_type *t, const struct side *other,
		     const struct btf_type *ot, int removed);

/*
 * Member @ma of @a and @mb of @b, anonymous structs or unions of one kind, or
 * anonymous enums, whose text changed: what changed inside them (members, or
 * enumerators as "member PATH, enumerator NAME"), under @subject's path.
 * Sets *@named when that named anything.
 */
static int compare_inside(struct diff_entry *e, const char *subject, unsigned int depth,
			  const struct side *a, const struct dmember *ma,
			  const struct side *b, const struct dmember *mb, int *named)
{
	const struct btf_type *ca = anon_type(a->btf, ma->type_id, 0);
	const struct btf_type *cb = anon_type(b->btf, mb->type_id, 0);
	const struct btf_type *ea = anon_type(a->btf, ma->type_id, 1);
	const struct btf_type *eb = anon_type(b->btf, mb->type_id, 1);
	size_t before = e->ndetails;
	char prefix[SUBJECT_MAX + 2];
	int err;

	*named = 0;
	if (ea && eb) {
		snprintf(prefix, sizeof(prefix), "%s, ", subject);
		err = enum_side(e, prefix, a, ea, b, eb, 1);
		if (!err)
			err = enum_side(e, prefix, b, eb, a, ea, 0);
		*named = e->ndetails > before;
		return err;
	}
	if (!ca || !cb || btf_kind(ca) != btf_kind(cb) || depth >= ANON_DEPTH_MAX)
		return 0;
	/* "member " off the subject: the path so far. */
	snprintf(prefix, sizeof(prefix), "%s.", subject + strlen("member "));
	err = compare_members(e, prefix, depth + 1, a, ca, b, cb);
	*named = e->ndetails > before;
	return err;
}

static int compare_member(struct diff_entry *e, const char *prefix, unsigned int depth,
			  const struct side *a, const struct dmember *ma,
			  const struct side *b, const struct dmember *mb)
{
	char subject[SUBJECT_MAX], o[TEXT_MAX + 16], n[TEXT_MAX + 16];
	int err, changed, named = 0;

	snprintf(subject, sizeof(subject), "member %s%s", prefix, ma->key);
	offset_text(ma, o, sizeof(o));
	offset_text(mb, n, sizeof(n));
	e->layout.moved += strcmp(o, n) != 0;
	e->layout.resized += ma->size != mb->size || ma->bits != mb->bits;
	err = add_str(e, subject, "offset", o, n);
	if (!err)
		err = add_num(e, subject, "size", ma->size, mb->size);
	if (!err)
		err = add_num(e, subject, "bits", ma->bits, mb->bits);
	if (!err)
		err = type_changed(a, ma, b, mb, &changed);
	if (!err && changed && !strcmp(ma->type, mb->type))
		err = compare_inside(e, subject, depth, a, ma, b, mb, &named);
	if (!err && changed && !named)
		err = diff__add_detail(e, subject, "type", ma->type,
				       strcmp(ma->type, mb->type) ? mb->type : "(changed inside)");
	return err;
}

static const struct dmember *find_member(const struct dmember *dm, unsigned int n,
					 const char *key)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!strcmp(dm[i].key, key))
			return &dm[i];
	return NULL;
}

/*
 * Members by name: removed, changed, then added, each in its side's order;
 * @prefix before each name ("" at the top, the anonymous member's path
 * inside one, @depth deep).
 */
static int compare_members(struct diff_entry *e, const char *prefix, unsigned int depth,
			   const struct side *a, const struct btf_type *ta,
			   const struct side *b, const struct btf_type *tb)
{
	struct dmember *ma = NULL, *mb = NULL;
	unsigned int i, na = btf_vlen(ta), nb = btf_vlen(tb);
	char subject[SUBJECT_MAX], text[TEXT_MAX + 64];
	const struct dmember *other;
	int err = read_members(a->btf, ta, &ma);

	if (!err)
		err = read_members(b->btf, tb, &mb);
	for (i = 0; !err && i < na; i++) {
		other = find_member(mb, nb, ma[i].key);
		if (other) {
			err = compare_member(e, prefix, depth, a, &ma[i], b, other);
			continue;
		}
		snprintf(subject, sizeof(subject), "member %s%s", prefix, ma[i].key);
		member_text(&ma[i], text, sizeof(text));
		e->layout.removed++;
		err = diff__add_detail(e, subject, NULL, text, NULL);
	}
	for (i = 0; !err && i < nb; i++) {
		if (find_member(ma, na, mb[i].key))
			continue;
		snprintf(subject, sizeof(subject), "member %s%s", prefix, mb[i].key);
		member_text(&mb[i], text, sizeof(text));
		e->layout.added++;
		err = diff__add_detail(e, subject, NULL, NULL, text);
	}
	free(ma);
	free(mb);
	return err;
}

static int detail_composite(struct diff_entry *e, const struct side *a,
			    const struct btf_type *ta, const struct side *b,
			    const struct btf_type *tb)
{
	int err = add_num(e, "size", NULL, ta->size, tb->size);

	if (!e->has_layout) {
		e->has_layout = 1;
		e->layout.old_size = ta->size;
		e->layout.new_size = tb->size;
	}
	return err ? err : compare_members(e, "", 0, a, ta, b, tb);
}

static int enumerator(const struct btf *btf, const struct btf_type *t, unsigned int i,
		      const char **name, long long *val)
{
	if (btf_is_enum64(t)) {
		*name = btf__name_by_offset(btf, btf_enum64(t)[i].name_off);
		*val = (long long)btf_enum64_value(btf_enum64(t) + i);
	} else {
		*name = btf__name_by_offset(btf, btf_enum(t)[i].name_off);
		*val = btf_kflag(t) ? btf_enum(t)[i].val : (long long)(uint32_t)btf_enum(t)[i].val;
	}
	return *name != NULL;
}

/* The index of enumerator @name in @t, or -1. */
static int find_enumerator(const struct btf *btf, const struct btf_type *t, const char *name,
			   long long *val)
{
	const char *n;
	unsigned int i;

	for (i = 0; i < btf_vlen(t); i++)
		if (enumerator(btf, t, i, &n, val) && !strcmp(n, name))
			return (int)i;
	return -1;
}

/*
 * Enumerators of @t (side @s) that @ot (the other side) lacks, or, when @removed, whose value
 * changed too; each subject is @prefix then "enumerator NAME".
 */
static int enum_side(struct diff_entry *e, const char *prefix, const struct side *s,
		     const struct btf_type *t, const struct side *other,
		     const struct btf_type *ot, int removed)
{
	char subject[SUBJECT_MAX], val_text[32];
	long long val, other_val;
	const char *name;
	unsigned int i;
	int err = 0;

	for (i = 0; !err && i < btf_vlen(t); i++) {
		if (!enumerator(s->btf, t, i, &name, &val))
			continue;
		snprintf(subject, sizeof(subject), "%senumerator %s", prefix, name);
		if (find_enumerator(other->btf, ot, name, &other_val) >= 0) {
			if (removed)
				err = add_num(e, subject, "value", val, other_val);
			continue;
		}
		snprintf(val_text, sizeof(val_text), "%lld", val);
		err = diff__add_detail(e, subject, NULL, removed ? val_text : NULL,
				       removed ? NULL : val_text);
	}
	return err;
}

static int detail_enum(struct diff_entry *e, const struct side *a, const struct btf_type *ta,
		       const struct side *b, const struct btf_type *tb)
{
	int err = add_num(e, "size", NULL, ta->size, tb->size);

	if (!err)
		err = add_str(e, "kind", NULL, btf_is_enum64(ta) ? "enum64" : "enum",
			      btf_is_enum64(tb) ? "enum64" : "enum");
	if (!err)
		err = add_str(e, "signedness", NULL, btf_kflag(ta) ? "signed" : "unsigned",
			      btf_kflag(tb) ? "signed" : "unsigned");
	if (!err)
		err = enum_side(e, "", a, ta, b, tb, 1);
	if (!err)
		err = enum_side(e, "", b, tb, a, ta, 0);
	return err;
}

static const char *linkage_word(unsigned int linkage)
{
	static const char *const words[] = { "static", "global", "extern" };

	return linkage < 3 ? words[linkage] : "unknown";
}

/* FUNC: linkage and prototype; VAR: linkage, type; TYPEDEF: type. */
static int detail_typed(struct diff_entry *e, const struct side *a, const struct entity *ea,
			const struct side *b, const struct entity *eb)
{
	const struct btf_type *ta = btf__type_by_id(a->btf, ea->id);
	const struct btf_type *tb = btf__type_by_id(b->btf, eb->id);
	char da[TEXT_MAX], db[TEXT_MAX];
	const char *field = btf_is_func(ta) ? "prototype" : "type";
	int err;

	if (btf_is_func(ta))
		err = add_str(e, "linkage", NULL, linkage_word(btf_vlen(ta)),
			      linkage_word(btf_vlen(tb)));
	else if (btf_is_var(ta))
		err = add_str(e, "linkage", NULL, linkage_word(btf_var(ta)->linkage),
			      linkage_word(btf_var(tb)->linkage));
	else
		err = 0;
	if (!err && (ctype__decl(a->btf, ta->type, btf_is_func(ta) ? ea->name : NULL, da,
				 sizeof(da), NULL) ||
		     ctype__decl(b->btf, tb->type, btf_is_func(tb) ? eb->name : NULL, db,
				 sizeof(db), NULL)))
		err = -EINVAL;
	if (!err)
		err = add_str(e, field, NULL, da, db);
	return err;
}

/* The offset of variable @name in DATASEC @t, or -1. */
static long long var_offset(const struct btf *btf, const struct btf_type *t, const char *name)
{
	const struct btf_var_secinfo *v = btf_var_secinfos(t);
	unsigned int i;

	for (i = 0; i < btf_vlen(t); i++) {
		const struct btf_type *vt = btf__type_by_id(btf, v[i].type);
		const char *vname = vt ? btf__name_by_offset(btf, vt->name_off) : NULL;

		if (vname && !strcmp(vname, name))
			return v[i].offset;
	}
	return -1;
}

/* A section's size and variables; variables added or removed are reported as such. */
static int detail_datasec(struct diff_entry *e, const struct side *a, const struct btf_type *ta,
			  const struct side *b, const struct btf_type *tb)
{
	const struct btf_var_secinfo *v = btf_var_secinfos(ta);
	unsigned int i, moved = 0;
	int err = add_num(e, "size", NULL, ta->size, tb->size);

	if (!err)
		err = add_num(e, "variables", NULL, btf_vlen(ta), btf_vlen(tb));
	for (i = 0; i < btf_vlen(ta); i++) {
		const struct btf_type *vt = btf__type_by_id(a->btf, v[i].type);
		const char *name = vt ? btf__name_by_offset(a->btf, vt->name_off) : NULL;
		long long off = name ? var_offset(b->btf, tb, name) : -1;

		moved += off >= 0 && off != v[i].offset;
	}
	if (!err)
		err = add_num(e, "variables at another offset", NULL, 0, moved);
	return err;
}

int diff__details(struct diff_entry *e, const struct side *a, const struct entity *ea,
		  const struct side *b, const struct entity *eb)
{
	const struct btf_type *ta = btf__type_by_id(a->btf, ea->id);
	const struct btf_type *tb = btf__type_by_id(b->btf, eb->id);
	size_t before = e->ndetails;
	int err = 0;

	if (btf_kind(ta) == btf_kind(tb) && btf_is_composite(ta))
		err = detail_composite(e, a, ta, b, tb);
	else if (btf_is_any_enum(ta) && btf_is_any_enum(tb))
		err = detail_enum(e, a, ta, b, tb);
	else if (btf_kind(ta) == btf_kind(tb) &&
		 (btf_is_func(ta) || btf_is_var(ta) || btf_is_typedef(ta)))
		err = detail_typed(e, a, ea, b, eb);
	else if (btf_is_datasec(ta) && btf_is_datasec(tb) && !reader__unknown_kind(ta, NULL) &&
		 !reader__unknown_kind(tb, NULL))
		err = detail_datasec(e, a, ta, b, tb);
	if (!err)
		err = add_str(e, "decl_tags", NULL, ea->tags, eb->tags);
	if (!err)
		err = add_str(e, "section", NULL, ea->section, eb->section);
	/* Nothing named: the texts say it (e.g. an int's encoding, a section's size). */
	if (!err && e->ndetails == before)
		err = diff__add_detail(e, "definition", NULL, ea->text, eb->text);
	return err;
}
