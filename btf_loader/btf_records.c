// SPDX-License-Identifier: GPL-2.0-only
/*
 * btf_records: a checked unit's BTF as the loader's records.
 *
 * Types. Record k is type ID k, kind for kind, with what the DWARF loader
 * would have recorded for the same C type, so that cu_encode.c writes what
 * pahole writes from DWARF:
 *  - PTR: the file's address size, which BTF does not hold (the variable
 *    rules size a variable by its type);
 *  - INT: its encoding as a DW_ATE_* (CHAR alone is unsigned char: pahole
 *    writes no CHAR encoding); FLOAT: DW_ATE_float (an INT without float);
 *  - FWD: a struct or union declaration;
 *  - ARRAY: an ARRAY whose element is an ARRAY becomes one record with both
 *    dimensions, and the inner one is not emitted on its own when nothing
 *    else refers to it: pahole writes a multi-dimensional array as one ARRAY
 *    of all its elements (GCC as nested ARRAYs);
 *  - ENUM: values read as signed 32-bit: GCC 12 writes only the enumerators
 *    that fit an int (the others are missing from its BTF), so a value of
 *    2^32 - 1 is -1, as DWARF has it;
 *  - TYPE_TAG: passed through to its type (not carried over yet);
 *  - FUNC_PROTO: listed for emission only when a type other than a FUNC
 *    refers to it; each FUNC gets its own copy (LF_FUNC_PROTO), as the DWARF
 *    loader gives each subprogram its own prototype.
 * Functions and variables. A FUNC or a VAR takes its address from the ELF
 * symbol of its name: a global or weak one if there is one, else the one
 * local one. Several local symbols of one name (two objects' statics): BTF
 * does not say which object is which, but the symbol table lists each
 * object's local symbols after an STT_FILE symbol, so the unit's file is the
 * one most of its statics point to, among those whose name one local symbol
 * bears (unit_file()); the local symbol of that file is taken, and with no
 * such file, or none of the name there, none (no address).
 * GCC 12 writes every FUNC with static linkage, so a function is external
 * when its symbol is global or weak. A VAR of extern linkage is a
 * declaration, and so is the second VAR of one name in a unit: GCC 12 writes
 * a declaration and its definition both with global linkage.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <dwarf.h>
#include <bpf/btf.h>

#include "btf_loader_int.h"
#include "btf_reader/reader.h"
#include "btf_reader/typeref.h"

#define ARRAY_DEPTH 64

struct conv {
	struct btf_loader *l;
	struct unit_slot *s;
	const struct btf *btf;
	struct cu_records *cu;
	uint32_t *refs;		/* per ID: references from types other than FUNCs and ARRAYs */
	struct strmap var_names;	/* VARs of the unit so far */
	uint32_t file;		/* the unit's STT_FILE ordinal (unit_file()), 0: unknown */
};

static const char *name_of(const struct btf *btf, uint32_t off)
{
	return off ? btf__name_by_offset(btf, off) : NULL;
}

static int new_rec(struct cu_records *cu, int kind, const char *name, uint64_t id,
		   uint32_t *idx)
{
	int err = vec__push_slot(&cu->types, &cu->types_cap, cu->ntypes);

	if (err)
		return err;
	memset(&cu->types[cu->ntypes], 0, sizeof(cu->types[0]));
	cu->types[cu->ntypes].kind = kind;
	cu->types[cu->ntypes].name = name;
	cu->types[cu->ntypes].die_off = id;
	*idx = (uint32_t)cu->ntypes++;
	return 0;
}

static int new_sub(struct cu_records *cu, const char *name, uint64_t value, uint32_t type,
		   uint32_t bit_size, uint16_t flags)
{
	int err = vec__push_slot(&cu->subs, &cu->subs_cap, cu->nsubs);

	if (err)
		return err;
	memset(&cu->subs[cu->nsubs], 0, sizeof(cu->subs[0]));
	cu->subs[cu->nsubs].name = name;
	cu->subs[cu->nsubs].value = value;
	cu->subs[cu->nsubs].type = type;
	cu->subs[cu->nsubs].bit_size = bit_size;
	cu->subs[cu->nsubs].flags = flags;
	cu->nsubs++;
	return 0;
}

static int count_ref(uint32_t *id, void *arg)
{
	((uint32_t *)arg)[*id]++;
	return 0;
}

static void count_refs(struct conv *c, uint32_t n)
{
	uint32_t id;

	for (id = 1; id < n; id++) {
		struct btf_type *t = (struct btf_type *)btf__type_by_id(c->btf, id);

		if (c->s->set_aside[id] || btf_kind(t) == BTF_KIND_FUNC)
			continue;
		if (btf_kind(t) == BTF_KIND_ARRAY)
			c->refs[btf_array(t)->index_type]++;
		else
			typeref__for_each(t, count_ref, c->refs);
	}
}

static int base_rec(struct conv *c, const struct btf_type *t, uint32_t idx)
{
	struct type_rec *r = &c->cu->types[idx];
	uint32_t w, enc;

	r->kind = LK_BASE;
	r->size = t->size;
	if (btf_kind(t) == BTF_KIND_FLOAT) {
		r->encoding = DW_ATE_float;
		return 0;
	}
	w = *(const uint32_t *)(t + 1);
	enc = BTF_INT_ENCODING(w);
	r->encoding = enc & BTF_INT_SIGNED ? DW_ATE_signed :
		      enc & BTF_INT_BOOL ? DW_ATE_boolean :
		      enc & BTF_INT_CHAR ? DW_ATE_unsigned_char : DW_ATE_unsigned;
	if (BTF_INT_BITS(w) != t->size * 8)
		r->bit_size = BTF_INT_BITS(w);
	return 0;
}

static int members_rec(struct conv *c, const struct btf_type *t, uint32_t idx)
{
	const struct btf_member *m = btf_members(t);
	uint32_t i, first = (uint32_t)c->cu->nsubs;
	int err = 0;

	for (i = 0; i < btf_vlen(t) && !err; i++) {
		uint32_t bits = btf_member_bitfield_size(t, i);

		err = new_sub(c->cu, name_of(c->btf, m[i].name_off),
			      btf_member_bit_offset(t, i), m[i].type, bits,
			      bits ? LSUB_BITFIELD : 0);
	}
	c->cu->types[idx].kind = btf_is_union(t) ? LK_UNION : LK_STRUCT;
	c->cu->types[idx].size = t->size;
	c->cu->types[idx].sub = first;
	c->cu->types[idx].nsub = btf_vlen(t);
	return err;
}

static int enum_rec(struct conv *c, const struct btf_type *t, uint32_t idx)
{
	uint32_t i, first = (uint32_t)c->cu->nsubs;
	int err = 0;

	for (i = 0; i < btf_vlen(t) && !err; i++) {
		if (btf_is_enum(t)) {
			const struct btf_enum *e = btf_enum(t) + i;

			err = new_sub(c->cu, name_of(c->btf, e->name_off),
				      (uint64_t)(int64_t)(int32_t)e->val, 0, 0, 0);
		} else {
			const struct btf_enum64 *e = btf_enum64(t) + i;

			err = new_sub(c->cu, name_of(c->btf, e->name_off),
				      btf_enum64_value(e), 0, 0, 0);
		}
	}
	c->cu->types[idx].kind = LK_ENUM;
	c->cu->types[idx].size = t->size;
	c->cu->types[idx].sub = first;
	c->cu->types[idx].nsub = btf_vlen(t);
	if (btf_kflag(t))
		c->cu->types[idx].flags |= LF_SIGNED;
	return err;
}

/* An ARRAY and the ARRAYs it holds directly: one record, a dimension each. */
static int array_rec(struct conv *c, const struct btf_type *t, uint32_t idx)
{
	uint32_t first = (uint32_t)c->cu->nsubs, n = 0, elem;
	int err = 0;

	for (;;) {
		const struct btf_array *a = btf_array(t);

		err = new_sub(c->cu, NULL, a->nelems, 0, 0, 0);
		if (err)
			return err;
		n++;
		elem = a->type;
		t = btf__type_by_id(c->btf, elem);
		if (!btf_is_array(t) || n >= ARRAY_DEPTH)
			break;
	}
	c->cu->types[idx].kind = LK_ARRAY;
	c->cu->types[idx].ref = elem;
	c->cu->types[idx].sub = first;
	c->cu->types[idx].nsub = n;
	return 0;
}

static int proto_rec(struct conv *c, const struct btf_type *t, uint32_t idx)
{
	const struct btf_param *p = btf_params(t);
	uint32_t i, n = btf_vlen(t), first = (uint32_t)c->cu->nsubs;
	int err = 0;

	if (n && !p[n - 1].type && !p[n - 1].name_off) {
		c->cu->types[idx].flags |= LF_VARIADIC;
		n--;
	}
	for (i = 0; i < n && !err; i++)
		err = new_sub(c->cu, name_of(c->btf, p[i].name_off), 0, p[i].type, 0, 0);
	c->cu->types[idx].kind = LK_PROTO;
	c->cu->types[idx].ref = t->type;
	c->cu->types[idx].sub = first;
	c->cu->types[idx].nsub = n;
	return err;
}

/* Record @id (already pushed, kind LK_VOID) filled from its BTF type. */
static int type_rec(struct conv *c, uint32_t id)
{
	const struct btf_type *t = btf__type_by_id(c->btf, id);
	struct type_rec *r = &c->cu->types[id];

	if (c->s->set_aside[id])
		return 0;
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
	case BTF_KIND_FLOAT:
		return base_rec(c, t, id);
	case BTF_KIND_PTR:
		/* BTF gives a pointer no size; DWARF gives the file's address size. */
		r->kind = LK_PTR;
		r->size = (uint64_t)c->l->elf->addr_size;
		break;
	case BTF_KIND_CONST:
		r->kind = LK_CONST;
		break;
	case BTF_KIND_VOLATILE:
		r->kind = LK_VOLATILE;
		break;
	case BTF_KIND_RESTRICT:
		r->kind = LK_RESTRICT;
		break;
	case BTF_KIND_TYPEDEF:
		r->kind = LK_TYPEDEF;
		break;
	case BTF_KIND_TYPE_TAG:
		/* Not carried over yet: a record the encoder passes through
		 * (cu__btf_id() follows LK_ATOMIC to its type, BTF having no atomic). */
		r->kind = LK_ATOMIC;
		break;
	case BTF_KIND_FWD:
		r->kind = btf_kflag(t) ? LK_UNION : LK_STRUCT;
		r->flags |= LF_DECL;
		return 0;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return members_rec(c, t, id);
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		return enum_rec(c, t, id);
	case BTF_KIND_ARRAY:
		return array_rec(c, t, id);
	case BTF_KIND_FUNC_PROTO:
		return proto_rec(c, t, id);
	default:		/* FUNC, VAR: func_rec, var_rec below */
		return 0;
	}
	r->ref = t->type;
	return 0;
}

/* How pick_sym() found a symbol, or why it found none. */
enum pick_how { PICK_NAME, PICK_FILE, PICK_AMBIGUOUS, PICK_NONE };

/* The symbol @name finds in @m: see the note at the top. NULL: none; *@how says why. */
static const struct elf_sym *pick_sym(const struct conv *c, const struct strmap *m,
				      const char *name, int want_global, enum pick_how *how)
{
	const struct btf_loader *l = c->l;
	const struct sym_pick *p;
	uint32_t k, sym;

	*how = PICK_NONE;
	if (!strmap__get(m, name, &k))
		return NULL;
	p = &l->picks[k];
	*how = PICK_NAME;
	if (want_global && p->global)
		return &l->elf->syms[p->global - 1];
	if (p->nlocal == 1)
		return &l->elf->syms[p->local - 1];
	*how = p->nlocal > 1 ? PICK_AMBIGUOUS : PICK_NONE;
	if (*how == PICK_NONE || !c->file ||
	    !u64map__get(&l->file_locals, (uint64_t)c->file << 32 | k, &sym))
		return NULL;
	*how = PICK_FILE;
	return &l->elf->syms[sym - 1];
}

/* The file of a static @name of the unit: its local symbol's, when it is the only one. */
static uint32_t static_file(const struct btf_loader *l, const struct strmap *m, const char *name)
{
	const struct sym_pick *p;
	uint32_t k;

	if (!name || !strmap__get(m, name, &k))
		return 0;
	p = &l->picks[k];
	return !p->global && p->nlocal == 1 ? p->local_file : 0;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The unit's file: the STT_FILE ordinal most of its FUNCs and static VARs point to
 * through a name one local symbol bears (GCC 12 writes every FUNC as static); 0 when
 * none does or two files tie. -ENOMEM.
 */
static int unit_file(struct conv *c, uint32_t n)
{
	uint32_t *votes, id, nvotes = 0, i, run, best = 0, best_run = 0, tie = 0;

	votes = malloc(n * sizeof(*votes));
	if (!votes)
		return -ENOMEM;
	for (id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(c->btf, id);
		const char *name = name_of(c->btf, t->name_off);
		uint32_t f = 0;

		if (c->s->set_aside[id])
			continue;
		if (btf_kind(t) == BTF_KIND_FUNC)
			f = static_file(c->l, &c->l->func_syms, name);
		else if (btf_kind(t) == BTF_KIND_VAR && btf_var(t)->linkage == BTF_VAR_STATIC)
			f = static_file(c->l, &c->l->data_syms, name);
		if (f)
			votes[nvotes++] = f;
	}
	qsort(votes, nvotes, sizeof(*votes), cmp_u32);
	for (i = 0; i < nvotes; i += run) {
		for (run = 1; i + run < nvotes && votes[i + run] == votes[i]; run++)
			;
		if (run > best_run) {
			best = votes[i];
			best_run = run;
			tie = 0;
		} else if (run == best_run) {
			tie = 1;
		}
	}
	free(votes);
	c->file = tie ? 0 : best;
	return 0;
}

static int func_rec(struct conv *c, uint32_t id)
{
	const struct btf_type *t = btf__type_by_id(c->btf, id);
	const struct type_rec *p = &c->cu->types[t->type];
	struct cu_records *cu = c->cu;
	const struct elf_sym *sym;
	struct func_rec *f;
	uint32_t proto, i;
	enum pick_how how;
	int err;

	err = new_rec(cu, LK_PROTO, NULL, t->type, &proto);
	if (err)
		return err;
	p = &cu->types[t->type];
	cu->types[proto] = *p;
	cu->types[proto].flags |= LF_FUNC_PROTO;
	err = vec__push_slot(&cu->funcs, &cu->funcs_cap, cu->nfuncs);
	if (err)
		return err;
	f = &cu->funcs[cu->nfuncs++];
	memset(f, 0, sizeof(*f));
	f->name = name_of(c->btf, t->name_off);
	f->die_off = id;
	f->proto = proto;
	f->declaration = btf_vlen(t) == BTF_FUNC_EXTERN;
	for (i = 0; i < p->nsub; i++)
		if (!cu->subs[p->sub + i].name)
			f->unnamed_param = 1;
	if (f->declaration)
		return 0;
	sym = pick_sym(c, &c->l->func_syms, f->name, 1, &how);
	if (sym) {
		f->external = sym->bind != STB_LOCAL;
		f->low_pc = sym->addr;
		f->has_low_pc = 1;
	}
	if (how != PICK_NAME)
		c->s->fixes[how == PICK_FILE ? FIX_FUNC_BY_FILE :
			    how == PICK_AMBIGUOUS ? FIX_FUNC_AMBIGUOUS : FIX_FUNC_NO_SYM]++;
	return 0;
}

static int var_rec(struct conv *c, uint32_t id)
{
	const struct btf_type *t = btf__type_by_id(c->btf, id);
	uint32_t linkage = btf_var(t)->linkage;
	const struct elf_sym *sym;
	struct var_rec *v;
	enum pick_how how;
	int err;

	err = vec__push_slot(&c->cu->vars, &c->cu->vars_cap, c->cu->nvars);
	if (err)
		return err;
	v = &c->cu->vars[c->cu->nvars++];
	memset(v, 0, sizeof(*v));
	v->name = name_of(c->btf, t->name_off);
	v->die_off = id;
	v->type = t->type;
	v->external = linkage != BTF_VAR_STATIC;
	v->declaration = linkage == BTF_VAR_GLOBAL_EXTERN;
	v->own_name = 1;
	v->top_level = 1;
	v->loc = LVAR_NO_LOC;
	err = v->name ? strmap__add(&c->var_names, v->name, id) : 1;
	if (err < 0)
		return err;
	if (!err && !v->declaration) {
		v->declaration = 1;
		c->s->fixes[FIX_VAR_TWICE]++;
	}
	if (v->declaration)
		return 0;
	sym = pick_sym(c, &c->l->data_syms, v->name, v->external, &how);
	if (how != PICK_NAME)
		c->s->fixes[how == PICK_FILE ? FIX_VAR_BY_FILE :
			    how == PICK_AMBIGUOUS ? FIX_VAR_AMBIGUOUS : FIX_VAR_NO_SYM]++;
	if (!sym)
		return 0;
	v->loc = sym->type == STT_TLS ? LVAR_TLS : LVAR_ADDR;
	v->addr = sym->addr;
	return 0;
}

/* Whether record @id is written in its own right (cu_records.order). */
static int listed(const struct conv *c, uint32_t id)
{
	const struct btf_type *t = btf__type_by_id(c->btf, id);

	if (c->s->set_aside[id])
		return 0;
	switch (btf_kind(t)) {
	case BTF_KIND_FUNC:
	case BTF_KIND_VAR:
	case BTF_KIND_DATASEC:
	case BTF_KIND_DECL_TAG:
		return 0;
	case BTF_KIND_FUNC_PROTO:
	case BTF_KIND_ARRAY:
		return c->refs[id] > 0;
	default:
		return 1;
	}
}

int btfrec__load(struct btf_loader *l, size_t k, struct cu_records *cu)
{
	struct conv c = { .l = l, .s = &l->slots[k], .cu = cu };
	uint32_t id, n, idx;
	int err = 0;

	c.btf = c.s->chain->flat;
	n = btf__type_cnt(c.btf);
	c.refs = calloc(n, sizeof(*c.refs));
	if (!c.refs)
		return -ENOMEM;
	count_refs(&c, n);
	err = unit_file(&c, n);
	if (err) {
		free(c.refs);
		return err;
	}
	cu->die_off = k;
	cu->lang = DW_LANG_C99;
	for (id = 0; id < n && !err; id++) {
		const struct btf_type *t = btf__type_by_id(c.btf, id);

		err = new_rec(cu, LK_VOID, id ? name_of(c.btf, t->name_off) : NULL, id, &idx);
		if (!err && id)
			err = type_rec(&c, id);
	}
	for (id = 1; id < n && !err; id++) {
		const struct btf_type *t = btf__type_by_id(c.btf, id);

		if (c.s->set_aside[id])
			continue;
		if (btf_kind(t) == BTF_KIND_FUNC)
			err = func_rec(&c, id);
		else if (btf_kind(t) == BTF_KIND_VAR)
			err = var_rec(&c, id);
		else if (listed(&c, id)) {
			err = vec__push_slot(&cu->order, &cu->order_cap, cu->norder);
			if (!err)
				cu->order[cu->norder++] = id;
		}
	}
	free(c.refs);
	strmap__free(&c.var_names);
	if (err)
		diag__err(l->diag, "%s: .BTF of object %zu: %s", l->elf->path, k, strerror(-err));
	return err;
}
