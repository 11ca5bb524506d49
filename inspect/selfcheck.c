// SPDX-License-Identifier: GPL-2.0-only
/*
 * The encoder's self-check (contract in selfcheck.h).
 *
 * Problem: a vmlinux defines some 10,000 structs and unions, each repeated
 * in hundreds of units; the encoding holds one copy of each distinct one. A
 * layout the encoder got wrong hides among them, and so does what BTF
 * cannot say at all.
 *
 * Passes: (1) encode the file, and index the BTF's named structs and unions
 * by (name, kind); (2) walk every unit's records once, one unit in memory at
 * a time; a named struct or union definition is flattened into its layout
 * text (size, then per member, anonymous members' own members too with
 * their path and absolute offset: name@bit:width:size); (3) a text seen
 * before is skipped, so each distinct layout is compared once, with the
 * unit that first had it; (4) a BTF candidate of that kind and name with
 * the same text is the layout carried over; none is a bug, detailed member
 * by member against the candidate of the same size, or the first; (5) the
 * DIE's attributes say what BTF lost (selfcheck_loss.c).
 *
 * Example: struct s { char c; int x __attribute__((aligned(8))); } in two
 * units: one layout "struct s 16|c@0:0:1|x@64:0:4", encoded as one STRUCT
 * with the same text: no bug; a loss "member alignment: member x:
 * alignment 8", for BTF keeps x's offset 8 but not why.
 *
 * Invariant: entries are sorted by (kind, name, order found) before they
 * are written, so the output does not depend on hash order or threads.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include <linux/btf.h>

#include "btf_encoder/encoder.h"
#include "dwarf_loader/loader.h"
#include "dwarf_loader/objfile.h"
#include "inspect/json.h"
#include "inspect/selfcheck.h"
#include "inspect/selfcheck_int.h"
#include "util/vec.h"

/* Anonymous members nested deeper than this are not flattened. */
#define FLAT_DEPTH_MAX	16

const char *const selfcheck_loss_names[SC_NR_LOSSES] = {
	[SC_ALIGNMENT] = "alignment", [SC_MEMBER_ALIGNMENT] = "member alignment",
	[SC_PACKED] = "packed", [SC_HOLE] = "hole", [SC_BITFIELD_STORAGE] = "bitfield storage",
	[SC_FLEXIBLE_ARRAY] = "flexible array",
};

/* A growing string. */
struct sbuf {
	char *s;
	size_t len, cap;
	int err;
};

static void sb_printf(struct sbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->err)
		return;
	for (;;) {
		size_t room = b->cap - b->len;

		va_start(ap, fmt);
		n = vsnprintf(b->s ? b->s + b->len : NULL, room, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->err = -EINVAL;
			return;
		}
		if ((size_t)n < room) {
			b->len += (size_t)n;
			return;
		}
		if (vec__reserve((void **)&b->s, &b->cap, b->len + (size_t)n + 64, 1)) {
			b->err = -ENOMEM;
			return;
		}
	}
}

/* One member of a flattened layout. */
struct flat_member {
	char path[256];
	uint64_t bit_off;	/* from the start of the outermost type */
	uint32_t bits;
	long long size;
};

struct flat {
	struct flat_member *m;
	size_t n, cap;
	long long size;
	int err;
};

static struct flat_member *flat_push(struct flat *f)
{
	if (f->err || vec__push_slot(&f->m, &f->cap, f->n)) {
		f->err = -ENOMEM;
		return NULL;
	}
	return memset(&f->m[f->n++], 0, sizeof(*f->m));
}

/* The record an anonymous struct or union member's type is (through qualifiers), or 0. */
static uint32_t rec_anon_composite(const struct cu_records *cu, uint32_t idx)
{
	int hops;

	for (hops = 0; idx && idx < cu->ntypes && hops < FLAT_DEPTH_MAX; hops++) {
		const struct type_rec *r = &cu->types[idx];

		if (r->kind == LK_CONST || r->kind == LK_VOLATILE || r->kind == LK_RESTRICT ||
		    r->kind == LK_ATOMIC) {
			idx = r->ref;
			continue;
		}
		if ((r->kind == LK_STRUCT || r->kind == LK_UNION) && !r->name)
			return idx;
		return 0;
	}
	return 0;
}

static void flat_dwarf(const struct cu_records *cu, uint32_t idx, const char *prefix,
		       uint64_t base, int depth, int addr_size, struct flat *f)
{
	const struct type_rec *r = &cu->types[idx];
	unsigned int i, anon = 0;

	for (i = 0; i < r->nsub && !f->err; i++) {
		const struct sub_rec *s = &cu->subs[r->sub + i];
		struct flat_member *m = flat_push(f);
		uint32_t inner;

		if (!m)
			return;
		if (s->name)
			snprintf(m->path, sizeof(m->path), "%s%s", prefix, s->name);
		else
			snprintf(m->path, sizeof(m->path), "%s(anonymous #%u)", prefix, ++anon);
		m->bit_off = base + s->value;
		m->bits = s->flags & LSUB_BITFIELD ? s->bit_size : 0;
		m->size = selfcheck__rec_size(cu, s->type, addr_size);
		inner = s->name ? 0 : rec_anon_composite(cu, s->type);
		if (inner && depth < FLAT_DEPTH_MAX) {
			char sub_prefix[sizeof(m->path) + 1];

			snprintf(sub_prefix, sizeof(sub_prefix), "%s.", m->path);
			flat_dwarf(cu, inner, sub_prefix, m->bit_off, depth + 1, addr_size, f);
		}
	}
}

static const struct btf_type *btf_anon_composite(const struct btf *btf, uint32_t id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	int hops;

	for (hops = 0; t && hops < FLAT_DEPTH_MAX && (btf_is_mod(t) || btf_is_type_tag(t));
	     hops++)
		t = btf__type_by_id(btf, t->type);
	return t && btf_is_composite(t) && !t->name_off ? t : NULL;
}

static void flat_btf(const struct btf *btf, const struct btf_type *t, const char *prefix,
		     uint64_t base, int depth, struct flat *f)
{
	const struct btf_member *bm = btf_members(t);
	unsigned int i, anon = 0;

	for (i = 0; i < btf_vlen(t) && !f->err; i++) {
		const char *name = btf__name_by_offset(btf, bm[i].name_off);
		struct flat_member *m = flat_push(f);
		const struct btf_type *inner;
		long long size;

		if (!m)
			return;
		if (name && *name)
			snprintf(m->path, sizeof(m->path), "%s%s", prefix, name);
		else
			snprintf(m->path, sizeof(m->path), "%s(anonymous #%u)", prefix, ++anon);
		m->bit_off = base + btf_member_bit_offset(t, i);
		m->bits = btf_member_bitfield_size(t, i);
		size = btf__resolve_size(btf, bm[i].type);
		m->size = size < 0 ? 0 : size;
		inner = name && *name ? NULL : btf_anon_composite(btf, bm[i].type);
		if (inner && depth < FLAT_DEPTH_MAX) {
			char sub_prefix[sizeof(m->path) + 1];

			snprintf(sub_prefix, sizeof(sub_prefix), "%s.", m->path);
			flat_btf(btf, inner, sub_prefix, m->bit_off, depth + 1, f);
		}
	}
}

/* "SIZE|path@bit:width:size|...": equal texts, equal layouts. Returns a malloc'd string. */
static char *flat_text(const struct flat *f, int *err)
{
	struct sbuf b = { 0 };
	size_t i;

	sb_printf(&b, "%lld", f->size);
	for (i = 0; i < f->n; i++)
		sb_printf(&b, "|%s@%llu:%u:%lld", f->m[i].path, (unsigned long long)f->m[i].bit_off,
			  f->m[i].bits, f->m[i].size);
	*err = b.err;
	if (b.err) {
		free(b.s);
		return NULL;
	}
	return b.s;
}

/* A BTF struct or union by name, for the candidates of a DWARF one. */
struct btf_named {
	const char *name;
	uint32_t id;
	int is_union;
};

static int cmp_named(const void *pa, const void *pb)
{
	const struct btf_named *a = pa, *b = pb;
	int r = strcmp(a->name, b->name);

	if (r)
		return r;
	if (a->is_union != b->is_union)
		return a->is_union - b->is_union;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* The whole check's state. */
struct check {
	const struct selfcheck_opts *o;
	struct objfile *elf;
	const struct btf *btf;
	struct btf *encoded;	/* ours to free */
	struct btf_named *named;
	size_t nnamed;
	char **btf_text;	/* per BTF type ID, made when first a candidate */
	struct strmap seen;	/* DWARF layout texts compared (keys in @texts) */
	char **texts;
	size_t ntexts, texts_cap;
	struct sc_entry *ents;
	size_t nents, ents_cap;
	size_t layouts;
	struct sc_dwarf sd;
};

static int index_btf(struct check *c)
{
	uint32_t id, n = btf__type_cnt(c->btf);

	c->named = calloc(n, sizeof(*c->named));
	c->btf_text = calloc(n, sizeof(*c->btf_text));
	if (!c->named || !c->btf_text)
		return -ENOMEM;
	for (id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(c->btf, id);
		const char *name = btf__name_by_offset(c->btf, t->name_off);

		if (!btf_is_composite(t) || !name || !*name)
			continue;
		c->named[c->nnamed++] = (struct btf_named){ name, id, btf_is_union(t) };
	}
	qsort(c->named, c->nnamed, sizeof(*c->named), cmp_named);
	return 0;
}

/* The BTF layout text of type @id (cached). */
static const char *btf_text(struct check *c, uint32_t id, int *err)
{
	const struct btf_type *t = btf__type_by_id(c->btf, id);
	struct flat f = { 0 };

	*err = 0;
	if (c->btf_text[id])
		return c->btf_text[id];
	f.size = t->size;
	flat_btf(c->btf, t, "", 0, 0, &f);
	c->btf_text[id] = f.err ? NULL : flat_text(&f, err);
	if (f.err)
		*err = f.err;
	free(f.m);
	return c->btf_text[id];
}

static struct sc_entry *new_entry(struct check *c, const struct type_rec *r)
{
	struct sc_entry *e;

	if (vec__push_slot(&c->ents, &c->ents_cap, c->nents))
		return NULL;
	e = memset(&c->ents[c->nents], 0, sizeof(*e));
	e->kind = r->kind == LK_UNION ? "union" : "struct";
	e->name = strdup(r->name);
	if (!e->name)
		return NULL;
	e->order = c->nents++;
	return e;
}

static int add_bug(struct sc_entry *e, const char *member, const char *field, const char *dwarf,
		   const char *btf)
{
	struct sc_bug *b;

	if (vec__push_slot(&e->bugs, &e->bugs_cap, e->nbugs))
		return -ENOMEM;
	b = &e->bugs[e->nbugs++];
	b->member = member ? strdup(member) : NULL;
	b->field = field ? strdup(field) : NULL;
	b->dwarf = dwarf ? strdup(dwarf) : NULL;
	b->btf = btf ? strdup(btf) : NULL;
	if ((member && !b->member) || (field && !b->field) || (dwarf && !b->dwarf) ||
	    (btf && !b->btf))
		return -ENOMEM;
	return 0;
}

static int add_num_bug(struct sc_entry *e, const char *member, const char *field,
		       long long dwarf, long long btf)
{
	char a[32], b[32];

	if (dwarf == btf)
		return 0;
	snprintf(a, sizeof(a), "%lld", dwarf);
	snprintf(b, sizeof(b), "%lld", btf);
	return add_bug(e, member, field, a, b);
}

static void member_text(const struct flat_member *m, char *buf, size_t len)
{
	snprintf(buf, len, "bit %llu, %u bits, size %lld", (unsigned long long)m->bit_off, m->bits,
		 m->size);
}

static const struct flat_member *find_path(const struct flat *f, const char *path)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (!strcmp(f->m[i].path, path))
			return &f->m[i];
	return NULL;
}

/* The bugs of DWARF layout @fd against BTF type @id: member by member, by path. */
static int detail_bugs(struct check *c, const struct flat *fd, uint32_t id, struct sc_entry *e)
{
	const struct btf_type *t = btf__type_by_id(c->btf, id);
	struct flat fb = { .size = t->size };
	char text[128];
	size_t i;
	int err;

	flat_btf(c->btf, t, "", 0, 0, &fb);
	err = fb.err ? fb.err : add_num_bug(e, NULL, "size", fd->size, fb.size);
	for (i = 0; !err && i < fd->n; i++) {
		const struct flat_member *md = &fd->m[i], *mb = find_path(&fb, md->path);

		if (!mb) {
			member_text(md, text, sizeof(text));
			err = add_bug(e, md->path, NULL, text, NULL);
			continue;
		}
		err = add_num_bug(e, md->path, "offset", md->bit_off, mb->bit_off);
		if (!err)
			err = add_num_bug(e, md->path, "bits", md->bits, mb->bits);
		if (!err)
			err = add_num_bug(e, md->path, "size", md->size, mb->size);
	}
	for (i = 0; !err && i < fb.n; i++) {
		if (find_path(fd, fb.m[i].path))
			continue;
		member_text(&fb.m[i], text, sizeof(text));
		err = add_bug(e, fb.m[i].path, NULL, NULL, text);
	}
	/* Same members, offsets and sizes, yet another text: the order differs. */
	if (!err && !e->nbugs)
		err = add_bug(e, NULL, "member order", "(DWARF's)", "(another)");
	free(fb.m);
	return err;
}

/* Step 4 for one new layout: the BTF candidates, and bugs when none matches. */
static int compare_layout(struct check *c, const struct type_rec *r, const struct flat *fd,
			  const char *text, struct sc_entry **entry)
{
	struct btf_named key = { .name = r->name, .is_union = r->kind == LK_UNION, .id = 0 };
	size_t lo = 0, hi = c->nnamed, i, best = SIZE_MAX;
	int err = 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cmp_named(&c->named[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < c->nnamed && !strcmp(c->named[i].name, r->name) &&
	     c->named[i].is_union == key.is_union; i++) {
		const char *bt = btf_text(c, c->named[i].id, &err);

		if (err)
			return err;
		if (!strcmp(bt, text))
			return 0;
		if (best == SIZE_MAX ||
		    (btf__type_by_id(c->btf, c->named[i].id)->size == (uint32_t)fd->size &&
		     btf__type_by_id(c->btf, c->named[best].id)->size != (uint32_t)fd->size))
			best = i;
	}
	*entry = new_entry(c, r);
	if (!*entry)
		return -ENOMEM;
	if (best == SIZE_MAX)
		return add_bug(*entry, NULL, "not encoded", "(defined)", NULL);
	return detail_bugs(c, fd, c->named[best].id, *entry);
}

/* Moves the losses of @from into @to, which has none. */
static void take_losses(struct sc_entry *to, struct sc_entry *from)
{
	to->losses = from->losses;
	to->nlosses = from->nlosses;
	to->losses_cap = from->losses_cap;
	memset(from, 0, sizeof(*from));
}

static void free_entry(struct sc_entry *e)
{
	size_t i;

	for (i = 0; i < e->nbugs; i++) {
		free(e->bugs[i].member);
		free(e->bugs[i].field);
		free(e->bugs[i].dwarf);
		free(e->bugs[i].btf);
	}
	for (i = 0; i < e->nlosses; i++) {
		free(e->losses[i].member);
		free(e->losses[i].text);
	}
	free(e->bugs);
	free(e->losses);
	free(e->name);
}

/* Steps 2 to 5 for struct or union record @idx of the unit in @c->sd. */
static int check_record(struct check *c, uint32_t idx)
{
	const struct type_rec *r = &c->sd.cu->types[idx];
	struct flat fd = { .size = (long long)r->size };
	struct sc_entry *e = NULL, losses = { 0 };
	char *text = NULL, *key = NULL;
	int err = 0, added;

	flat_dwarf(c->sd.cu, idx, "", 0, 0, c->sd.addr_size, &fd);
	if (!fd.err)
		text = flat_text(&fd, &err);
	err = fd.err ? fd.err : err;
	if (!err && asprintf(&key, "%s %s %s", r->kind == LK_UNION ? "union" : "struct", r->name,
			     text) < 0)
		err = -ENOMEM;
	added = err ? 0 : strmap__add(&c->seen, key, 0);
	if (added > 0 && vec__push_slot(&c->texts, &c->texts_cap, c->ntexts))
		added = -ENOMEM;
	if (added > 0) {
		c->texts[c->ntexts++] = key;
		key = NULL;
		c->layouts++;
		err = compare_layout(c, r, &fd, text, &e);
		if (!err)
			err = selfcheck__losses(&c->sd, idx, &losses);
		if (!err && !e && losses.nlosses)
			e = new_entry(c, r);
		if (!err && losses.nlosses && !e)
			err = -ENOMEM;
		if (!err && e)
			take_losses(e, &losses);
	} else if (added < 0) {
		err = added;
	}
	free_entry(&losses);
	free(key);
	free(text);
	free(fd.m);
	return err;
}

/* The units one at a time, in order: their struct and union definitions. */
static int walk_units(struct check *c, struct loader *l)
{
	struct loader_thread *lt = loader__thread_new(l);
	struct cu_records cu = { 0 };
	const struct unit_span *units;
	size_t n, u;
	uint32_t idx;
	int err = lt ? 0 : -ENOMEM;

	units = loader__units(l, &n);
	for (u = 0; !err && u < n; u++) {
		err = loader__load_unit(lt, &units[u], &cu);
		if (err) {
			err = err > 0 ? 0 : err;	/* 1: skipped by language */
			continue;
		}
		c->sd.cu = &cu;
		if (vec__reserve((void **)&c->sd.align, &c->sd.align_cap, cu.ntypes,
				 sizeof(*c->sd.align))) {
			err = -ENOMEM;
			break;
		}
		memset(c->sd.align, 0, cu.ntypes * sizeof(*c->sd.align));
		for (idx = 1; !err && idx < cu.ntypes; idx++) {
			const struct type_rec *r = &cu.types[idx];

			if ((r->kind == LK_STRUCT || r->kind == LK_UNION) && r->name &&
			    !(r->flags & LF_DECL))
				err = check_record(c, idx);
		}
	}
	cu_records__free(&cu);
	loader__thread_free(lt);
	return err;
}

static int cmp_entry(const void *pa, const void *pb)
{
	const struct sc_entry *a = pa, *b = pb;
	int r = strcmp(a->kind, b->kind);

	if (!r)
		r = strcmp(a->name, b->name);
	return r ? r : a->order < b->order ? -1 : a->order > b->order;
}

static void count(const struct check *c, unsigned int *bugs, unsigned int *losses,
		  unsigned int by_class[SC_NR_LOSSES])
{
	size_t i, k;

	*bugs = *losses = 0;
	memset(by_class, 0, SC_NR_LOSSES * sizeof(*by_class));
	for (i = 0; i < c->nents; i++) {
		*bugs += c->ents[i].nbugs > 0;
		*losses += c->ents[i].nlosses;
		for (k = 0; k < c->ents[i].nlosses; k++)
			by_class[c->ents[i].losses[k].cls]++;
	}
}

static void summary_line(const struct check *c, FILE *out)
{
	unsigned int bugs, losses, by_class[SC_NR_LOSSES];
	int k, first = 1;

	count(c, &bugs, &losses, by_class);
	fprintf(out, "summary: %zu layouts compared, %u with bugs, %u losses (", c->layouts, bugs,
		losses);
	for (k = 0; k < SC_NR_LOSSES; k++) {
		fprintf(out, "%s%s %u", first ? "" : ", ", selfcheck_loss_names[k], by_class[k]);
		first = 0;
	}
	fprintf(out, ")\n");
}

static void print_text(const struct check *c, const char *path, FILE *out)
{
	size_t i, k;
	int pass;

	fprintf(out, "--- DWARF of %s\n+++ BTF btfenc encodes from it\n", path);
	summary_line(c, out);
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < c->nents; i++) {
			const struct sc_entry *e = &c->ents[i];

			if (pass ? !e->nlosses : !e->nbugs)
				continue;
			fprintf(out, "%c %s %s\n", pass ? '~' : '!', e->kind, e->name);
			for (k = 0; !pass && k < e->nbugs; k++) {
				const struct sc_bug *b = &e->bugs[k];

				if (b->field)
					fprintf(out, "\tbug: %s%s%s%s %s -> %s\n",
						b->member ? "member " : "", b->member ? b->member : "",
						b->member ? ": " : "", b->field,
						b->dwarf ? b->dwarf : "(none)", b->btf ? b->btf : "(none)");
				else
					fprintf(out, "\tbug: %c member %s: %s\n", b->dwarf ? '-' : '+',
						b->member, b->dwarf ? b->dwarf : b->btf);
			}
			for (k = 0; pass && k < e->nlosses; k++) {
				const struct sc_loss *l = &e->losses[k];

				fprintf(out, "\tloss: %s: %s%s%s%s\n", selfcheck_loss_names[l->cls],
					l->member ? "member " : "", l->member ? l->member : "",
					l->member ? ": " : "", l->text);
			}
		}
	}
	summary_line(c, out);
}

static void print_json(const struct check *c, const char *path, FILE *out)
{
	unsigned int bugs, losses, by_class[SC_NR_LOSSES];
	struct json j;
	size_t i, k;
	int cls;

	count(c, &bugs, &losses, by_class);
	json__init(&j, out);
	json__begin_obj(&j, NULL);
	json__str(&j, "elf", path);
	json__uint(&j, "layouts", c->layouts);
	json__uint(&j, "bugs", bugs);
	json__begin_obj(&j, "losses");
	for (cls = 0; cls < SC_NR_LOSSES; cls++)
		json__uint(&j, selfcheck_loss_names[cls], by_class[cls]);
	json__end(&j);
	json__begin_arr(&j, "entries");
	for (i = 0; i < c->nents; i++) {
		const struct sc_entry *e = &c->ents[i];

		json__begin_obj(&j, NULL);
		json__str(&j, "kind", e->kind);
		json__str(&j, "name", e->name);
		json__begin_arr(&j, "bugs");
		for (k = 0; k < e->nbugs; k++) {
			json__begin_obj(&j, NULL);
			json__str_or_null(&j, "member", e->bugs[k].member);
			json__str_or_null(&j, "field", e->bugs[k].field);
			json__str_or_null(&j, "dwarf", e->bugs[k].dwarf);
			json__str_or_null(&j, "btf", e->bugs[k].btf);
			json__end(&j);
		}
		json__end(&j);
		json__begin_arr(&j, "losses");
		for (k = 0; k < e->nlosses; k++) {
			json__begin_obj(&j, NULL);
			json__str(&j, "class", selfcheck_loss_names[e->losses[k].cls]);
			json__str_or_null(&j, "member", e->losses[k].member);
			json__str(&j, "text", e->losses[k].text);
			json__end(&j);
		}
		json__end(&j);
		json__end(&j);
	}
	json__end(&j);
	json__end(&j);
}

static void free_check(struct check *c)
{
	uint32_t id, n = c->btf ? btf__type_cnt(c->btf) : 0;
	size_t i;

	for (i = 0; i < c->nents; i++)
		free_entry(&c->ents[i]);
	free(c->ents);
	for (i = 0; i < c->ntexts; i++)
		free(c->texts[i]);
	free(c->texts);
	strmap__free(&c->seen);
	for (id = 0; c->btf_text && id < n; id++)
		free(c->btf_text[id]);
	free(c->btf_text);
	free(c->named);
	free(c->sd.align);
	if (c->sd.dw)
		dwarf_end(c->sd.dw);
	btf__free(c->encoded);
}

int selfcheck__run(const char *path, const struct selfcheck_opts *o, FILE *out,
		   unsigned int *bugs)
{
	/* Layouts do not depend on the features; variables and functions are not compared. */
	struct encoder_config cfg = { .diag = o->diag, .jobs = o->jobs > 0 ? o->jobs : 1,
				      .gen_floats = 1, .skip_vars = 1, .base = o->base };
	struct loader_config lcfg = { .diag = o->diag };
	struct check c = { .o = o };
	struct loader *l = NULL;
	struct objfile *elf;
	unsigned int losses, by_class[SC_NR_LOSSES];
	int err;

	elf = objfile__open(path, o->diag);
	if (!elf)
		return -errno;
	c.btf = o->btf;
	err = o->btf ? 0 : encoder__encode(elf, &cfg, &c.encoded, NULL);
	if (!o->btf)
		c.btf = c.encoded;
	if (!err)
		err = index_btf(&c);
	if (!err) {
		l = loader__new(elf, &lcfg);
		err = l ? 0 : -errno;
	}
	if (!err) {
		/* Its own handle, made after the encoder's threads are gone (objfile.h). */
		c.sd.dw = dwarf_begin_elf(elf->elf, DWARF_C_READ, NULL);
		c.sd.addr_size = elf->addr_size;
		err = walk_units(&c, l);
	}
	if (!err) {
		if (c.nents)
			qsort(c.ents, c.nents, sizeof(*c.ents), cmp_entry);
		if (o->json)
			print_json(&c, path, out);
		else
			print_text(&c, path, out);
		count(&c, bugs, &losses, by_class);
		err = fflush(out) || ferror(out) ? -EIO : 0;
	}
	free_check(&c);
	loader__free(l);
	objfile__free(elf);
	return err;
}
