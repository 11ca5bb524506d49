// SPDX-License-Identifier: GPL-2.0-only
/*
 * records: a unit's records and the references between them, and the
 * annotations (btf_type_tag / btf_decl_tag) DIEs carry as children.
 *
 * References (DW_AT_type) are resolved to record indices at once: a DIE not
 * seen yet gets a reserved record of kind LK_PENDING and is queued; the walk
 * decodes it when it gets there, walk__drain_pending() decodes the rest (DIEs in
 * other units or type units). No recursion, so deep type graphs cannot
 * exhaust a thread's stack, and a cycle (struct s { struct s *next; }) ends
 * at the reserved record.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <dwarf.h>

#include "loader_int.h"

int walk__error(struct walk *w, Dwarf_Die *die, const char *what)
{
	int e = dwarf_errno();

	diag__err(w->diag, "%s: DIE 0x%llx: %s%s%s", w->path,
		  (unsigned long long)(die ? dwarf_dieoffset(die) : 0), what,
		  e ? ": " : "", e ? dwarf_errmsg(e) : "");
	return -EINVAL;
}

int walk__new_record(struct walk *w, int kind, const char *name, uint64_t die_off, uint32_t *idx)
{
	struct cu_records *cu = w->cu;
	struct type_rec *t;
	int err;

	err = vec__push_slot(&cu->types, &cu->types_cap, cu->ntypes);
	if (err)
		return err;
	if (cu->ntypes >= UINT32_MAX)
		return -E2BIG;
	t = &cu->types[cu->ntypes];
	memset(t, 0, sizeof(*t));
	t->kind = kind;
	t->name = name;
	t->die_off = die_off;
	if (idx)
		*idx = (uint32_t)cu->ntypes;
	cu->ntypes++;
	return 0;
}

uint64_t walk__die_key(struct walk *w, Dwarf_Die *die)
{
	Dwarf_Half version = 0;
	uint8_t unit_type = 0;
	uint64_t off = die_offset(w, die);

	if (die->cu == w->unit)
		return off;
	if (dwarf_cu_info(die->cu, &version, &unit_type, NULL, NULL, NULL, NULL, NULL) == 0 &&
	    unit_type == DW_UT_type && version < 5)
		off |= 1ULL << 63;
	return off;
}

/* Reserves (and queues) a record for the type DIE @target, map key @key (walk__die_key()). */
static int reserve_die(struct walk *w, Dwarf_Die *target, uint64_t key, uint32_t *idx)
{
	struct loader_thread *t = w->t;
	int err;

	err = walk__new_record(w, LK_PENDING, NULL, die_offset(w, target), idx);
	if (!err)
		err = u64map__set(&w->cu->die2type, key, *idx);
	if (!err)
		err = vec__push_slot(&t->pending, &t->pending_cap, t->npending);
	if (err)
		return err;
	t->pending[t->npending].idx = *idx;
	t->pending[t->npending].die = *target;
	t->npending++;
	return 0;
}

/* Record index for the type DIE @target, reserved if new. */
static int ref_die(struct walk *w, Dwarf_Die *target, uint32_t *idx)
{
	uint64_t key = walk__die_key(w, target);

	if (u64map__get(&w->cu->die2type, key, idx))
		return 0;
	return reserve_die(w, target, key, idx);
}

int walk__ref_unit_die(struct walk *w, uint64_t off, uint32_t *idx)
{
	Dwarf_Die target;

	if (u64map__get(&w->cu->die2type, off, idx))
		return 0;
	die_scan__die(w->scan, off, &target);
	return reserve_die(w, &target, off, idx);
}

int walk__ref_attr(struct walk *w, Dwarf_Die *die, struct die_attrs *d, int x, uint32_t *idx)
{
	Dwarf_Attribute a, *ap = NULL;
	Dwarf_Die target;
	uint64_t off;

	*idx = 0;
	if (HAS(d, x))
		ap = &d->a[x];
	else if (x == A_TYPE && (HAS(d, A_SPECIFICATION) || HAS(d, A_ABSTRACT_ORIGIN)))
		ap = dwarf_attr_integrate(die, DW_AT_type, &a);
	if (!ap)
		return 0;
	/* A reference inside the unit: most often a record made already. */
	if (die_scan__ref(w->scan, ap, &off))
		return walk__ref_unit_die(w, off, idx);
	if (!dwarf_formref_die(ap, &target))
		return walk__error(w, die, "bad DW_AT_type reference");
	return ref_die(w, &target, idx);
}

int walk__is_annotation(int tag)
{
	return tag == TAG_LLVM_ANNOTATION || tag == TAG_GNU_ANNOTATION;
}

/* Appends one annotation DIE to cu->tags if it is of the wanted kind. */
static int add_tag(struct walk *w, Dwarf_Die *ann, int type_tags, uint16_t *cnt)
{
	const char *want = type_tags ? "btf_type_tag" : "btf_decl_tag";
	struct cu_records *cu = w->cu;
	struct die_attrs d;
	const char *name, *value;
	int err;

	err = die_attrs__read(w, ann, &d);
	if (err)
		return err;
	name = HAS(&d, A_NAME) ? attr_string(w, &d.a[A_NAME]) : NULL;
	value = HAS(&d, A_CONST_VALUE) ? attr_string(w, &d.a[A_CONST_VALUE]) : NULL;
	if (!name || !value || strcmp(name, want))
		return 0;
	err = vec__push_slot(&cu->tags, &cu->tags_cap, cu->ntags);
	if (err)
		return err;
	cu->tags[cu->ntags].value = value;
	cu->tags[cu->ntags].is_type_tag = type_tags;
	cu->ntags++;
	(*cnt)++;
	return 0;
}

int walk__collect_tags(struct walk *w, Dwarf_Die *die, int type_tags, uint32_t *first,
		       uint16_t *cnt)
{
	Dwarf_Die child;
	int r, err;

	*first = (uint32_t)w->cu->ntags;
	*cnt = 0;
	if (!die_haschildren(w, die))
		return 0;
	for (r = die_child(w, die, &child); r == 0; r = die_sibling(w, &child, &child)) {
		if (!walk__is_annotation(die_tag(w, &child)))
			continue;
		err = add_tag(w, &child, type_tags, cnt);
		if (err)
			return err;
	}
	return r < 0 ? walk__error(w, die, "cannot read children") : 0;
}

int walk__collect_decl_tags(struct walk *w, Dwarf_Die *die, struct die_attrs *d, int own,
			    uint32_t *first, uint16_t *cnt)
{
	static const int links[] = { A_SPECIFICATION, A_ABSTRACT_ORIGIN };
	size_t i;
	int err = 0;

	*first = (uint32_t)w->cu->ntags;
	*cnt = 0;
	if (own)
		err = walk__collect_tags(w, die, 0, first, cnt);
	for (i = 0; !err && !*cnt && i < sizeof(links) / sizeof(links[0]); i++) {
		Dwarf_Die other;

		if (HAS(d, links[i]) && dwarf_formref_die(&d->a[links[i]], &other))
			err = walk__collect_tags(w, &other, 0, first, cnt);
	}
	return err;
}

int walk__push_sub(struct walk *w, uint32_t *sub)
{
	struct cu_records *cu = w->cu;
	int err;

	err = vec__push_slot(&cu->subs, &cu->subs_cap, cu->nsubs);
	if (err)
		return err;
	memset(&cu->subs[cu->nsubs], 0, sizeof(cu->subs[0]));
	*sub = (uint32_t)cu->nsubs++;
	return 0;
}
