// SPDX-License-Identifier: GPL-2.0-only
/*
 * writer_rel: sections of a relocatable object (.o, .ko) replaced or added
 * without reading the object's other sections into memory.
 *
 * libelf lays a relocatable object out again when a section changes size:
 * every section packed in index order. Opened read-write on a file
 * (ELF_C_RDWR), it reads every section that moves into memory to write it
 * back: for a big module (amdgpu.ko, 356 MB, its relocation sections after
 * all the others) that is most of the file, held twice for the relocation
 * tables, and the slowest step of a -J run.
 *
 * Here libelf still decides the layout, on a private read-only mapping of the
 * input (elf_memory(), elf_update(ELF_C_NULL): section data only pointed
 * into, never copied), and the copy is written the way libelf's own writer
 * (elf32_updatefile.c, __elfw2(updatefile)) writes it: the input copied
 * first; then, sections in file order, a section libelf marks dirty (moved,
 * resized or new) written at its new offset -- copied file to file
 * (copy_file_range(), no bytes through user space) where its data lies in
 * the input, written from memory otherwise -- gaps before changed sections
 * filled with zeros, the ELF header and section header table written as
 * libelf would. Several sections are set in as many passes, each written
 * over the last and its dirty flags then cleared, as libelf writes them
 * (writer_elf.c: one elf_update() per section). The bytes are those of
 * elf_update(ELF_C_WRITE) on the copy; a section already where a pass
 * would copy it (from an earlier pass, or a precopy: writer_precopy.c) is
 * not copied again.
 *
 * Used for a native-byte-order ET_REL without program headers; anything else
 * gets -ENOTSUP and goes through libelf's writer (writer_elf.c).
 */
#include <errno.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "writer_int.h"

/* Index of the section named @name, 0 if none (no load segment in an ET_REL to refuse). */
static long find_section(Elf *elf, size_t shstrndx, const char *name)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		const char *s;

		if (gelf_getshdr(scn, &sh) && (s = elf_strptr(elf, shstrndx, sh.sh_name)) &&
		    !strcmp(s, name))
			return (long)elf_ndxscn(scn);
	}
	return 0;
}

int writer_rel__set_section(Elf *elf, size_t shstrndx, const char *secname, long idx,
			    const void *raw, size_t size, void **keep)
{
	Elf_Scn *scn;
	Elf_Data *d;
	GElf_Shdr sh;

	if (idx) {
		scn = elf_getscn(elf, idx);
		d = scn ? elf_getdata(scn, NULL) : NULL;
	} else {
		Elf_Scn *str = elf_getscn(elf, shstrndx);
		Elf_Data *sd = str ? elf_getdata(str, NULL) : NULL;
		GElf_Shdr ssh;
		char *buf;

		if (!sd || !gelf_getshdr(str, &ssh))
			return -EINVAL;
		buf = malloc(sd->d_size + strlen(secname) + 1);
		if (!buf)
			return -ENOMEM;
		memcpy(buf, sd->d_buf, sd->d_size);
		memcpy(buf + sd->d_size, secname, strlen(secname) + 1);
		*keep = buf;
		scn = elf_newscn(elf);
		if (!scn || !gelf_getshdr(scn, &sh))
			return -EINVAL;
		memset(&sh, 0, sizeof(sh));
		sh.sh_name = sd->d_size;
		sh.sh_type = SHT_PROGBITS;
		sh.sh_addralign = 1;
		if (!gelf_update_shdr(scn, &sh))
			return -EINVAL;
		sd->d_buf = buf;
		sd->d_size += strlen(secname) + 1;
		elf_flagdata(sd, ELF_C_SET, ELF_F_DIRTY);
		d = elf_newdata(scn);
	}
	if (!d)
		return -EINVAL;
	d->d_buf = (void *)raw;
	d->d_size = size;
	d->d_type = ELF_T_BYTE;
	d->d_align = 1;
	d->d_off = 0;
	elf_flagdata(d, ELF_C_SET, ELF_F_DIRTY);
	return 0;
}

int writer_rel__copy_range(int in, off_t off_in, int out, off_t off_out, size_t len)
{
	char buf[1 << 16];
	int err;

	while (len) {
		ssize_t n = copy_file_range(in, &off_in, out, &off_out, len, 0);

		if (n > 0) {
			len -= n;
			continue;
		}
		/* The input's end, or a filesystem that copies nothing so: the buffer tells. */
		if (n == 0)
			break;
		if (errno == EINTR)
			continue;
		if (errno != EXDEV && errno != ENOSYS && errno != EINVAL && errno != EOPNOTSUPP)
			return -errno;
		break;
	}
	while (len) {
		ssize_t n = pread(in, buf, len < sizeof(buf) ? len : sizeof(buf), off_in);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n ? -errno : -EIO;
		err = writer_tmp__pwrite_all(out, buf, n, off_out);
		if (err)
			return err;	/* its own errno: a full disk says so */
		off_in += n;
		off_out += n;
		len -= n;
	}
	return 0;
}

/*
 * One write of a pass, recorded before any is made: the input is copied only
 * where no write of any pass lands, rather than in full first.
 */
enum op_kind { OP_ZERO, OP_FILE, OP_MEM, OP_EHDR, OP_SHDRS, OP_TRUNC };

struct op {
	enum op_kind kind;
	off_t at;		/* OP_TRUNC: the pass's file size */
	size_t len;
	off_t from;		/* OP_FILE: offset in the input */
	const void *mem;	/* OP_MEM */
	GElf_Ehdr eh;		/* OP_EHDR, OP_SHDRS */
	GElf_Shdr *sh;		/* OP_SHDRS: owned */
	size_t nsh;
};

struct plan {
	struct op *ops;
	size_t n, cap;
};

static struct op *plan__add(struct plan *pl, enum op_kind kind, off_t at, size_t len)
{
	struct op *o;

	if (pl->n == pl->cap) {
		size_t cap = pl->cap ? 2 * pl->cap : 64;
		struct op *ops = realloc(pl->ops, cap * sizeof(*ops));

		if (!ops)
			return NULL;
		pl->ops = ops;
		pl->cap = cap;
	}
	o = &pl->ops[pl->n++];
	memset(o, 0, sizeof(*o));
	o->kind = kind;
	o->at = at;
	o->len = len;
	return o;
}

static void plan__free(struct plan *pl)
{
	size_t i;

	for (i = 0; i < pl->n; i++)
		free(pl->ops[i].sh);
	free(pl->ops);
}

static int fill_zeros(int out, off_t from, off_t to)
{
	static const char zeros[4096];
	int err = 0;

	while (!err && from < to) {
		size_t n = to - from < (off_t)sizeof(zeros) ? (size_t)(to - from) : sizeof(zeros);

		err = writer_tmp__pwrite_all(out, zeros, n, from);
		from += n;
	}
	return err;
}

static int by_at(const void *a, const void *b)
{
	const struct op *x = *(const struct op *const *)a, *y = *(const struct op *const *)b;

	return x->at < y->at ? -1 : x->at > y->at;
}

static int is_write(const struct op *o)
{
	return o->kind != OP_TRUNC && o->len;
}

/*
 * writer_provmap: which bytes of an output file hold which bytes of the input, as a run
 * of a plan left them: [a, b) holds the input's [a + delta, b + delta). Sorted, disjoint.
 */
struct writer_provmap {
	struct prov {
		off_t a, b, delta;
	} *v;
	size_t n;
};

void writer_provmap__free(struct writer_provmap *m)
{
	if (m)
		free(m->v);
	free(m);
}

static int by_prov(const void *x, const void *y)
{
	const struct prov *a = x, *b = y;

	return a->a < b->a ? -1 : a->a > b->a;
}

/*
 * @m after the writes @w (sorted, disjoint; those with @keep set, or all when @keep is
 * NULL, copy the input at their delta, the others write something else): every byte a
 * write covers now comes from that write.
 */
static int provmap__overwrite(struct writer_provmap *m, const struct prov *w, const int *keep,
			      size_t nw)
{
	/* Each write splits at most one interval in two, and may be kept itself. */
	struct prov *v = malloc((m->n + 2 * nw + 1) * sizeof(*v));
	size_t i, j = 0, n = 0;

	if (!v)
		return -ENOMEM;
	for (i = 0; i < m->n; i++) {
		off_t a = m->v[i].a, b = m->v[i].b;

		/* The writes before this interval cannot cut it: skip them. */
		while (j < nw && w[j].b <= a)
			j++;
		for (size_t k = j; k < nw && w[k].a < b && a < b; k++) {
			if (w[k].a > a)
				v[n++] = (struct prov){ a, w[k].a, m->v[i].delta };
			a = w[k].b > a ? w[k].b : a;
		}
		if (a < b)
			v[n++] = (struct prov){ a, b, m->v[i].delta };
	}
	for (i = 0; i < nw; i++)
		if (!keep || keep[i])
			v[n++] = w[i];
	qsort(v, n, sizeof(*v), by_prov);
	free(m->v);
	m->v = v;
	m->n = n;
	return 0;
}

/* @m after a truncation to @size. */
static void provmap__cut(struct writer_provmap *m, off_t size)
{
	size_t i, n = 0;

	for (i = 0; i < m->n; i++) {
		if (m->v[i].a >= size)
			continue;
		m->v[n] = m->v[i];
		if (m->v[n].b > size)
			m->v[n].b = size;
		n++;
	}
	m->n = n;
}

/* Whether [@a, @b) holds the input's bytes at @delta, all of it. */
static int provmap__has(const struct writer_provmap *m, off_t a, off_t b, off_t delta)
{
	size_t lo = 0, hi = m->n;

	while (lo < hi) {	/* the first interval ending after @a */
		size_t mid = lo + (hi - lo) / 2;

		if (m->v[mid].b <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < m->n && a < b; lo++) {
		if (m->v[lo].a > a || m->v[lo].delta != delta)
			return 0;
		a = m->v[lo].b;
	}
	return a >= b;
}

/* A write of a pass: its range, and whether it copies the input (at p.delta). */
struct pass_write {
	struct prov p;
	int copies;
};

static int by_write(const void *x, const void *y)
{
	const struct pass_write *a = x, *b = y;

	return a->p.a < b->p.a ? -1 : a->p.a > b->p.a;
}

/* The writes of @ops[@from, @to) applied to @m (the end of a pass, before its truncation). */
static int provmap__pass(struct writer_provmap *m, const struct op *ops, size_t from, size_t to)
{
	struct pass_write *pw = malloc((to - from + 1) * sizeof(*pw));
	struct prov *w = malloc((to - from + 1) * sizeof(*w));
	int *keep = malloc((to - from + 1) * sizeof(*keep)), err;
	size_t i, n = 0, far;

	if (!pw || !w || !keep) {
		free(pw);
		free(w);
		free(keep);
		return -ENOMEM;
	}
	for (i = from; i < to; i++) {
		if (!is_write(&ops[i]))
			continue;
		pw[n].p = (struct prov){ ops[i].at, ops[i].at + (off_t)ops[i].len,
					 ops[i].kind == OP_FILE ? ops[i].from - ops[i].at : 0 };
		pw[n++].copies = ops[i].kind == OP_FILE;
	}
	/*
	 * A pass's writes do not overlap (a layout). Should they in a malformed file, which
	 * of two overlapping writes is left depends on their order: neither is kept.
	 */
	qsort(pw, n, sizeof(*pw), by_write);
	for (i = 0; i < n; i++) {
		w[i] = pw[i].p;
		keep[i] = pw[i].copies;
	}
	for (i = 1, far = 0; i < n; i++) {
		if (w[i].a < w[far].b)
			keep[i] = keep[far] = 0;
		if (w[i].b > w[far].b)
			far = i;
	}
	err = provmap__overwrite(m, w, keep, n);
	free(pw);
	free(w);
	free(keep);
	return err;
}

struct write_at {
	off_t a, b;
	size_t idx;
};

static int by_write_at(const void *x, const void *y)
{
	const struct write_at *a = x, *b = y;

	return a->a < b->a ? -1 : a->a > b->a;
}

/*
 * Marks in @crowded[] the writes of @pl that overlap another write of their pass (none
 * should: a pass is a layout). Such a write is always made: what its range holds before
 * the pass says nothing of what it holds when the write comes. 0 or -ENOMEM.
 */
static int mark_crowded(const struct plan *pl, char *crowded)
{
	struct write_at *w = malloc((pl->n + 1) * sizeof(*w));
	size_t i, start = 0, n, k, far;

	if (!w)
		return -ENOMEM;
	for (i = 0; i <= pl->n; i++) {
		if (i < pl->n && pl->ops[i].kind != OP_TRUNC)
			continue;
		for (k = start, n = 0; k < i; k++)
			if (is_write(&pl->ops[k]))
				w[n++] = (struct write_at){ pl->ops[k].at,
							    pl->ops[k].at + (off_t)pl->ops[k].len, k };
		qsort(w, n, sizeof(*w), by_write_at);
		for (k = 1, far = 0; k < n; k++) {
			if (w[k].a < w[far].b)
				crowded[w[k].idx] = crowded[w[far].idx] = 1;
			if (w[k].b > w[far].b)
				far = k;
		}
		start = i + 1;
	}
	free(w);
	return 0;
}

/*
 * The copy: the input's bytes where no write lands below the smallest size a
 * pass truncates to (beyond it they would be gone), then every write in order.
 *
 * A copy of the input is left out where @out holds those bytes already: what @out
 * holds is followed through the run, from @have (an earlier run's record, a
 * precopy; NULL: @out is empty), every write and truncation in order. That leaves out
 * the sections a later pass writes again where an earlier one put them (libelf marks
 * every section dirty when one is added), and over a precopy every section that did
 * not move. A pass's writes do not overlap (they are a layout), so what @out holds at
 * the start of a pass is what each of its writes finds. @record (NULL: none) receives
 * what @out holds at the end.
 */
static int plan__run(const struct plan *pl, Elf *elf, int in, int out, off_t in_size,
		     const struct writer_provmap *have, struct writer_provmap *record)
{
	struct op **sorted = calloc(pl->n ? pl->n : 1, sizeof(*sorted));
	struct prov *ids = calloc(pl->n + 1, sizeof(*ids));
	char *crowded = calloc(pl->n + 1, 1);
	struct writer_provmap cur = { 0 };
	off_t keep = in_size, pos = 0;
	size_t i, n = 0, pass = 0, nids = 0;
	int err = 0;

	if (have && (cur.v = malloc((have->n + 1) * sizeof(*cur.v)))) {
		memcpy(cur.v, have->v, have->n * sizeof(*cur.v));
		cur.n = have->n;
	}
	if (!sorted || !ids || !crowded || (have && !cur.v)) {
		err = -ENOMEM;
		goto out;
	}
	err = mark_crowded(pl, crowded);
	if (err)
		goto out;
	for (i = 0; i < pl->n; i++) {
		if (pl->ops[i].kind == OP_TRUNC)
			keep = pl->ops[i].at < keep ? pl->ops[i].at : keep;
		else if (pl->ops[i].len)
			sorted[n++] = &pl->ops[i];
	}
	qsort(sorted, n, sizeof(*sorted), by_at);
	/*
	 * Over an earlier run's file, what lies past @keep goes first: on an empty file the
	 * bytes there that no write covers are zeros (every truncation is at or past @keep).
	 */
	if (have) {
		err = ftruncate(out, keep) ? -errno : 0;
		provmap__cut(&cur, keep);
	}
	for (i = 0; i <= n && !err && pos < keep; i++) {
		off_t next = i < n ? sorted[i]->at : keep;

		if (next > keep)
			next = keep;
		if (next > pos && !provmap__has(&cur, pos, next, 0))
			err = writer_rel__copy_range(in, pos, out, pos, next - pos);
		if (next > pos)
			ids[nids++] = (struct prov){ pos, next, 0 };
		if (i < n && sorted[i]->at + (off_t)sorted[i]->len > pos)
			pos = sorted[i]->at + sorted[i]->len;
	}
	if (!err)
		err = provmap__overwrite(&cur, ids, NULL, nids);
	for (i = 0; i < pl->n && !err; i++) {
		const struct op *o = &pl->ops[i];

		switch (o->kind) {
		case OP_ZERO:
			err = fill_zeros(out, o->at, o->at + o->len);
			break;
		case OP_FILE:
			if (!crowded[i] &&
			    provmap__has(&cur, o->at, o->at + (off_t)o->len, o->from - o->at))
				break;	/* there already */
			err = writer_rel__copy_range(in, o->from, out, o->at, o->len);
			break;
		case OP_MEM:
			err = writer_tmp__pwrite_all(out, o->mem, o->len, o->at);
			break;
		case OP_EHDR:
			err = writer_elf__write_ehdr(out, elf, (GElf_Ehdr *)&o->eh);
			break;
		case OP_SHDRS:
			err = writer_elf__write_shdrs(out, elf, &o->eh, o->sh, o->nsh, o->at);
			break;
		case OP_TRUNC:	/* the end of a pass */
			err = ftruncate(out, o->at) ? -errno : 0;
			if (!err)
				err = provmap__pass(&cur, pl->ops, pass, i);
			if (!err)
				provmap__cut(&cur, o->at);
			pass = i + 1;
			break;
		}
	}
	if (!err && record) {
		free(record->v);
		*record = cur;
		cur.v = NULL;
	}
out:
	free(cur.v);
	free(sorted);
	free(ids);
	free(crowded);
	return err;
}

struct placed {
	Elf_Scn *scn;
	GElf_Shdr sh;
};

static int by_offset(const void *a, const void *b)
{
	const struct placed *x = a, *y = b;

	if (x->sh.sh_offset != y->sh.sh_offset)
		return x->sh.sh_offset < y->sh.sh_offset ? -1 : 1;
	if (x->sh.sh_size != y->sh.sh_size)
		return x->sh.sh_size < y->sh.sh_size ? -1 : 1;
	return elf_ndxscn(x->scn) < elf_ndxscn(y->scn) ? -1 : 1;
}

static int dirty(unsigned int flags)
{
	return (flags & ELF_F_DIRTY) != 0;
}

/*
 * The writes of one pass: the sections and header of @elf (laid out by
 * elf_update(ELF_C_NULL) over @map, the image of the input) as
 * __elfw2(updatefile) writes them over the last pass's file.
 */
static int plan_layout(struct plan *pl, Elf *elf, const char *map, size_t map_size,
		       int64_t new_size)
{
	int elf_dirty = dirty(elf_flagelf(elf, ELF_C_SET, 0));
	int prev_changed = 0, shdrs_dirty = elf_dirty, err = 0;
	size_t ehdr_size = gelf_fsize(elf, ELF_T_EHDR, 1, EV_CURRENT);
	struct placed *scns;
	size_t shnum, i;
	struct op *o;
	GElf_Ehdr eh;
	off_t last;

	if (!gelf_getehdr(elf, &eh) || elf_getshdrnum(elf, &shnum))
		return -EINVAL;
	if (dirty(elf_flagehdr(elf, ELF_C_SET, 0)) || elf_dirty) {
		o = plan__add(pl, OP_EHDR, 0, ehdr_size);
		if (!o)
			return -ENOMEM;
		o->eh = eh;
		prev_changed = 1;	/* no program header */
	}
	last = ehdr_size;
	scns = calloc(shnum ? shnum : 1, sizeof(*scns));
	if (!scns)
		return -ENOMEM;
	for (i = 0; i < shnum && !err; i++) {
		scns[i].scn = elf_getscn(elf, i);
		if (!scns[i].scn || !gelf_getshdr(scns[i].scn, &scns[i].sh))
			err = -EINVAL;
	}
	if (!err)
		qsort(scns, shnum, sizeof(*scns), by_offset);
	for (i = 0; i < shnum && !err; i++) {
		Elf_Scn *scn = scns[i].scn;
		const GElf_Shdr *sh = &scns[i].sh;
		off_t start = sh->sh_offset;
		Elf_Data *d = NULL;
		int changed = 0;

		shdrs_dirty |= dirty(elf_flagshdr(scn, ELF_C_SET, 0));
		if (elf_ndxscn(scn) == 0 || sh->sh_type == SHT_NOBITS)
			continue;
		/* Points into @map unless set here or converted (the input is native). */
		for (d = elf_getdata(scn, NULL); d && !err; d = elf_getdata(scn, d)) {
			int d_dirty = dirty(elf_flagscn(scn, ELF_C_SET, 0) |
					    elf_flagdata(d, ELF_C_SET, 0)) || elf_dirty;
			off_t at = start + d->d_off;
			const char *p = d->d_buf;

			if (at > last && ((prev_changed && d->d_off == 0) || d_dirty) &&
			    !plan__add(pl, OP_ZERO, last, at - last))
				err = -ENOMEM;
			last = at;
			if (!err && d_dirty && d->d_size) {
				if (p < map || p >= map + map_size) {
					o = plan__add(pl, OP_MEM, at, d->d_size);
					if (o)
						o->mem = p;
				} else if (d->d_size <= map_size &&
					   (size_t)(p - map) <= map_size - d->d_size) {
					o = plan__add(pl, OP_FILE, at, d->d_size);
					if (o)
						o->from = p - map;
				} else {
					o = NULL;
					err = -EINVAL;	/* libelf checked it against the file */
				}
				if (!o && !err)
					err = -ENOMEM;
			}
			changed |= d_dirty;
			last += d->d_size;
		}
		if (!err && !changed) {
			if (start > last && prev_changed && !plan__add(pl, OP_ZERO, last, start - last))
				err = -ENOMEM;
			last = start + sh->sh_size;
		}
		prev_changed = changed;
	}
	free(scns);
	if (!err && elf_dirty && last < (off_t)eh.e_shoff &&
	    !plan__add(pl, OP_ZERO, last, eh.e_shoff - last))
		err = -ENOMEM;
	if (!err && shdrs_dirty) {
		o = plan__add(pl, OP_SHDRS, eh.e_shoff, shnum * gelf_fsize(elf, ELF_T_SHDR, 1,
									   EV_CURRENT));
		if (o) {
			o->eh = eh;
			o->nsh = shnum;
			o->sh = calloc(shnum ? shnum : 1, sizeof(*o->sh));
		}
		if (!o || !o->sh)
			err = -ENOMEM;
		for (i = 0; !err && i < shnum; i++)
			if (!gelf_getshdr(elf_getscn(elf, i), &o->sh[i]))
				err = -EINVAL;
	}
	if (!err && !plan__add(pl, OP_TRUNC, new_size, 0))
		err = -ENOMEM;
	return err;
}

/* What libelf's writer clears once it has written: the next pass starts clean. */
static void written(Elf *elf)
{
	Elf_Scn *scn = NULL;

	elf_flagelf(elf, ELF_C_CLR, ELF_F_DIRTY);
	elf_flagehdr(elf, ELF_C_CLR, ELF_F_DIRTY);
	while ((scn = elf_nextscn(elf, scn))) {
		Elf_Data *d = NULL;

		elf_flagscn(scn, ELF_C_CLR, ELF_F_DIRTY);
		elf_flagshdr(scn, ELF_C_CLR, ELF_F_DIRTY);
		while ((d = elf_getdata(scn, d)))
			elf_flagdata(d, ELF_C_CLR, ELF_F_DIRTY);
	}
}

void writer_rel__section_sizes(int in, const char *const *names, size_t n, size_t *sizes)
{
	size_t shstrndx, i;
	Elf *elf;

	for (i = 0; i < n; i++)
		sizes[i] = 0;
	elf_version(EV_CURRENT);
	elf = elf_begin(in, ELF_C_READ_MMAP, NULL);
	if (!elf)
		return;
	if (elf_kind(elf) == ELF_K_ELF && !elf_getshdrstrndx(elf, &shstrndx)) {
		for (i = 0; i < n; i++) {
			long idx = find_section(elf, shstrndx, names[i]);
			GElf_Shdr sh;

			if (idx > 0 && gelf_getshdr(elf_getscn(elf, idx), &sh))
				sizes[i] = sh.sh_size;
		}
	}
	elf_end(elf);
}

int writer_rel__edit(int in, int out, const struct writer_section *secs, size_t n,
		     const struct writer_provmap *have, struct writer_provmap **record)
{
	const uint16_t one = 1;
	void **keep = calloc(n ? n : 1, sizeof(*keep));
	char *map = MAP_FAILED;
	struct stat st;
	size_t shstrndx, phnum, i;
	int64_t new_size;
	struct plan pl = {};
	Elf *elf = NULL;
	GElf_Ehdr eh;
	int err = -ENOTSUP;

	if (record)
		*record = NULL;
	if (!keep)
		return -ENOMEM;
	if (fstat(in, &st) || st.st_size <= 0)
		goto out;
	map = mmap(NULL, st.st_size, PROT_READ | PROT_WRITE, MAP_PRIVATE, in, 0);
	if (map == MAP_FAILED)
		goto out;
	elf_version(EV_CURRENT);
	elf = elf_memory(map, st.st_size);
	if (!elf || elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &eh) ||
	    eh.e_type != ET_REL || elf_getphdrnum(elf, &phnum) || phnum ||
	    elf_getshdrstrndx(elf, &shstrndx) ||
	    (eh.e_ident[EI_DATA] == ELFDATA2LSB) != (*(const uint8_t *)&one == 1))
		goto out;
	/* One pass per section, as elf_update() on the copy once per section. */
	err = 0;
	for (i = 0; i < n && !err; i++) {
		err = writer_rel__set_section(elf, shstrndx, secs[i].name,
					      find_section(elf, shstrndx, secs[i].name),
					      secs[i].data, secs[i].size, &keep[i]);
		new_size = err ? 0 : elf_update(elf, ELF_C_NULL);
		if (new_size < 0)
			err = -EIO;
		if (!err)
			err = plan_layout(&pl, elf, map, st.st_size, new_size);
		if (!err)
			written(elf);
	}
	if (!err && record && !(*record = calloc(1, sizeof(**record))))
		err = -ENOMEM;
	if (!err)
		err = plan__run(&pl, elf, in, out, st.st_size, have, record ? *record : NULL);
	if (err && record) {
		writer_provmap__free(*record);
		*record = NULL;
	}
out:
	if (elf)
		elf_end(elf);
	if (map != MAP_FAILED)
		munmap(map, st.st_size);
	plan__free(&pl);
	for (i = 0; i < n; i++)
		free(keep[i]);
	free(keep);
	return err;
}
