// SPDX-License-Identifier: GPL-2.0-only
/*
 * loader: list units, give each worker its own Dwarf handle, and walk one unit
 * into records (the DIE walk lives in walk.c, the per-tag decoding in
 * die_decode.c).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include <string.h>
#include <dwarf.h>
#include <elfutils/libdw.h>

#include "loader_int.h"

/* Reads a ULEB128 at *@p below @end; 0 and *@p = @end + 1 when it does not end there. */
static uint64_t read_uleb(const unsigned char **p, const unsigned char *end)
{
	uint64_t v = 0;
	unsigned int shift = 0;

	while (*p < end) {
		unsigned char b = *(*p)++;

		if (shift < 64)
			v |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
		if (!(b & 0x80))
			return v;
	}
	*p = end + 1;
	return 0;
}

/*
 * Whether no abbreviation in .debug_abbrev uses a form whose value may lie in
 * another unit (or, DW_FORM_indirect, may be one). 0 when in doubt (a table
 * that does not parse).
 */
static int abbrevs_keep_units_apart(const unsigned char *p, size_t size)
{
	const unsigned char *end;

	if (!p)
		return 0;
	end = p + size;
	while (p < end) {
		uint64_t name, form;

		if (!read_uleb(&p, end))	/* the end of one unit's table */
			continue;
		read_uleb(&p, end);		/* tag */
		p++;				/* DW_CHILDREN_* */
		do {
			name = read_uleb(&p, end);
			form = read_uleb(&p, end);
			if (p > end)
				return 0;
			if (form == DW_FORM_ref_addr || form == DW_FORM_indirect ||
			    form == DW_FORM_ref_sig8 || form == DW_FORM_ref_sup4 ||
			    form == DW_FORM_ref_sup8 || form == DW_FORM_GNU_ref_alt)
				return 0;
			if (form == DW_FORM_implicit_const) {
				while (p < end && (*p & 0x80))
					p++;
				p++;
			}
		} while (name || form);
	}
	return p == end;
}

struct loader *loader__new(struct objfile *elf, const struct loader_config *cfg)
{
	struct loader *l;
	Dwarf_CU *cu = NULL, *next;
	Dwarf_Half version;
	uint8_t unit_type;
	Dwarf_Die cudie, subdie;
	size_t info_size = 0, i;
	int err = 0, r;

	if (!elf->has_debug_info) {
		diag__err(cfg->diag, "%s: no DWARF debug info (.debug_info section)", elf->path);
		errno = ENODATA;
		return NULL;
	}
	l = calloc(1, sizeof(*l));
	if (!l) {
		errno = ENOMEM;
		return NULL;
	}
	l->elf = elf;
	l->cfg = *cfg;
	/* An earlier loader gave back relocated pages of this object. */
	err = objfile__relocate_again(elf, cfg->diag);
	if (err)
		goto fail;
	l->dwarf = dwarf_begin_elf(elf->elf, DWARF_C_READ, NULL);
	if (!l->dwarf) {
		diag__err(cfg->diag, "%s: cannot read DWARF: %s", elf->path, dwarf_errmsg(-1));
		err = -EINVAL;
		goto fail;
	}
	while ((r = dwarf_get_units(l->dwarf, cu, &next, &version, &unit_type, &cudie,
				    &subdie)) == 0) {
		cu = next;
		if (unit_type != DW_UT_compile && unit_type != DW_UT_partial)
			continue;
		if (version < 2 || version > 5) {
			diag__err(cfg->diag, "%s: unit at 0x%llx: unsupported DWARF version %u",
				  elf->path, (unsigned long long)dwarf_dieoffset(&cudie), version);
			err = -ENOTSUP;
			goto fail;
		}
		err = vec__push_slot(&l->units, &l->units_cap, l->nunits);
		if (err)
			goto fail;
		l->units[l->nunits].die_off = dwarf_dieoffset(&cudie);
		l->units[l->nunits].size = 0;
		l->nunits++;
	}
	if (r < 0) {
		diag__err(cfg->diag, "%s: corrupted .debug_info after unit %zu: %s", elf->path,
			  l->nunits, dwarf_errmsg(-1));
		err = -EINVAL;
		goto fail;
	}
	l->info_idx = objfile__find_section(elf, ".debug_info");
	l->info = objfile__section_data(elf, l->info_idx, &info_size);
	l->info_size = info_size;
	l->abbrev = objfile__section_data(elf, objfile__find_section(elf, ".debug_abbrev"),
					  &l->abbrev_size);
	l->str_idx = objfile__find_section(elf, ".debug_str");
	l->str = objfile__section_data(elf, l->str_idx, &l->str_size);
	if (l->str && (!l->str_size || l->str[l->str_size - 1]))
		l->str = NULL;	/* not NUL-terminated: strings are libdw's to check */
	l->units_apart = abbrevs_keep_units_apart(l->abbrev, l->abbrev_size);
	l->released = calloc(l->nunits ? l->nunits : 1, 1);
	if (!l->released) {
		err = -ENOMEM;
		goto fail;
	}
	for (i = 0; i < l->nunits; i++) {
		uint64_t end = i + 1 < l->nunits ? l->units[i + 1].die_off : info_size;

		l->units[i].size = end > l->units[i].die_off ? end - l->units[i].die_off : 0;
	}
	/*
	 * Listing touched the start of every unit, and the kernel maps 64 KB
	 * around each page touched in a file: over vmlinux's 2,172 units that is
	 * some 100 MB of resident pages nobody needs until the unit's turn.
	 * Relocated bytes stay: no unit is loaded yet.
	 */
	/* No bytes of .debug_info here (libdw read the units elsewhere): nothing to give back. */
	if (elf->e_type != ET_REL && l->nunits && l->info)
		objfile__release(elf, l->info_idx, l->info + l->units[0].die_off,
				 l->units[l->nunits - 1].die_off + l->units[l->nunits - 1].size -
				 l->units[0].die_off);
	return l;
fail:
	loader__free(l);
	errno = -err;
	return NULL;
}

/*
 * Bytes kept of a relocated unit given back: its header (before its DIE) and
 * its unit DIE, which another thread's libdw handle reads when it first looks
 * up a later unit (libdw interns units in order).
 */
#define UNIT_HEAD_BEFORE 64
#define UNIT_HEAD_AFTER 512

void loader__release_units(struct loader *l, const struct unit_span *first, size_t count)
{
	size_t k0, i;

	if (!count || !l->info || first < l->units || first >= l->units + l->nunits)
		return;
	k0 = (size_t)(first - l->units);
	if (count > l->nunits - k0)
		count = l->nunits - k0;
	if (l->elf->e_type != ET_REL) {
		objfile__release(l->elf, l->info_idx, l->info + first->die_off,
				 first[count - 1].die_off + first[count - 1].size - first->die_off);
		return;
	}
	if (!l->units_apart)
		return;
	for (i = k0; i < k0 + count; i++) {
		const struct unit_span *u = &l->units[i];

		if (u->size <= UNIT_HEAD_BEFORE + UNIT_HEAD_AFTER)
			continue;
		if (objfile__release(l->elf, l->info_idx, l->info + u->die_off + UNIT_HEAD_AFTER,
				     u->size - UNIT_HEAD_AFTER - UNIT_HEAD_BEFORE) == 1)
			l->released[i] = 1;
	}
}

void loader__release_all(struct loader *l)
{
	const struct objfile *e = l->elf;
	size_t i;

	for (i = 1; i < e->nsec; i++) {
		const void *data;
		size_t size;

		if (strncmp(e->secs[i].name, ".debug_", 7) || (e->secs[i].flags & SHF_COMPRESSED))
			continue;
		data = objfile__section_data(l->elf, i, &size);
		if (data && objfile__release(l->elf, i, data, size) == 1)
			l->all_released = 1;
	}
}

void loader__free(struct loader *l)
{
	if (!l)
		return;
	if (l->dwarf)
		dwarf_end(l->dwarf);
	free(l->units);
	free(l->released);
	free(l);
}

const struct unit_span *loader__units(const struct loader *l, size_t *cnt)
{
	*cnt = l->nunits;
	return l->units;
}

const char *loader__debug_str(const struct loader *l, size_t *size)
{
	*size = l->str ? l->str_size : 0;
	return l->str;
}

void loader__release_strs(struct loader *l, const char *lo, const char *hi)
{
	if (l->str && lo && hi > lo && lo >= l->str && hi <= l->str + l->str_size)
		objfile__release_clean(l->elf, l->str_idx, lo, (size_t)(hi - lo));
}

struct loader_thread *loader__thread_new(struct loader *l)
{
	struct loader_thread *t = calloc(1, sizeof(*t));

	if (!t) {
		errno = ENOMEM;
		return NULL;
	}
	t->l = l;
	t->dwarf = dwarf_begin_elf(l->elf->elf, DWARF_C_READ, NULL);
	if (!t->dwarf) {
		diag__err(l->cfg.diag, "%s: cannot read DWARF: %s", l->elf->path,
			  dwarf_errmsg(-1));
		free(t);
		errno = EINVAL;
		return NULL;
	}
	return t;
}

void loader__thread_free(struct loader_thread *t)
{
	if (!t)
		return;
	if (t->dwarf)
		dwarf_end(t->dwarf);
	die_scan__free(&t->scan);
	free(t->pending);
	free(t->origins);
	free(t->places);
	u64map__free(&t->place_at);
	free(t);
}

void cu_records__reset(struct cu_records *cu)
{
	cu->die_off = 0;
	cu->name = NULL;
	cu->lang = 0;
	cu->producer_clang = 0;
	cu->ntypes = cu->nsubs = cu->ntags = cu->nfuncs = cu->nvars = cu->norder = 0;
	u64map__clear(&cu->die2type);
}

void cu_records__free(struct cu_records *cu)
{
	if (!cu)
		return;
	free(cu->types);
	free(cu->subs);
	free(cu->tags);
	free(cu->funcs);
	free(cu->vars);
	free(cu->order);
	u64map__free(&cu->die2type);
	memset(cu, 0, sizeof(*cu));
}

static int lang_excluded(const struct loader_config *cfg, uint32_t lang)
{
	size_t i;

	for (i = 0; i < cfg->nlang_exclude; i++)
		if (cfg->lang_exclude[i] == lang)
			return 1;
	return 0;
}

int loader__load_unit(struct loader_thread *t, const struct unit_span *u, struct cu_records *cu)
{
	struct walk w = { .t = t, .cu = cu, .diag = t->l->cfg.diag, .path = t->l->elf->path };
	Dwarf_Die cudie;
	Dwarf_Word lang;
	int err;

	cu_records__reset(cu);
	t->npending = 0;
	t->norigins = 0;
	if (t->l->all_released ||
	    (u >= t->l->units && u < t->l->units + t->l->nunits && t->l->released[u - t->l->units])) {
		diag__err(w.diag, "%s: DIE 0x%llx: unit loaded again after its relocated bytes "
			  "were given back", w.path, (unsigned long long)u->die_off);
		return -ESTALE;
	}
	if (!dwarf_offdie(t->dwarf, u->die_off, &cudie)) {
		diag__err(w.diag, "%s: DIE 0x%llx: cannot read unit: %s", w.path,
			  (unsigned long long)u->die_off, dwarf_errmsg(-1));
		return -EINVAL;
	}
	cu->die_off = u->die_off;
	w.unit = cudie.cu;
	err = die_scan__begin(&t->scan, &cudie, t->l);
	if (err) {
		diag__err(w.diag, "%s: DIE 0x%llx: reading the unit's abbreviations: %s", w.path,
			  (unsigned long long)u->die_off, strerror(-err));
		return err;
	}
	w.scan = &t->scan;
	/*
	 * Name and language from the unit's DIE as die_scan reads it: libdw's
	 * dwarf_attr() would first load its own copy of the unit's abbreviations
	 * (gcc gives the unit's DIE one of the last codes).
	 */
	{
		struct die_attrs d;

		err = die_attrs__read(&w, &cudie, &d);
		if (err)
			return err;
		cu->name = HAS(&d, A_NAME) ? attr_string(&w, &d.a[A_NAME]) : dwarf_diename(&cudie);
		lang = die_attrs__udata(&d, A_LANGUAGE, NULL);
		if (HAS(&d, A_PRODUCER)) {
			const char *producer = attr_string(&w, &d.a[A_PRODUCER]);

			cu->producer_clang = producer && strstr(producer, "clang");
		}
	}
	cu->lang = (uint32_t)lang;
	if (lang_excluded(&t->l->cfg, cu->lang))
		return 1;
	/* Record 0 is void. */
	err = walk__new_record(&w, LK_VOID, NULL, 0, NULL);
	if (err < 0)
		return err;
	err = walk__children(&w, &cudie, 1);
	if (!err)
		err = walk__drain_pending(&w);
	if (!err && t->l->cfg.param_locations)
		err = param_loc__share_origins(&w);
	return err;
}
