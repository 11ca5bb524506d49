// SPDX-License-Identifier: GPL-2.0-only
/*
 * cu_encode: one unit's records -> BTF types appended to its chunk's BTF.
 *
 * Design note. BTF IDs must be known before a type is written (a struct's
 * members name their types, which may come later), so the unit is encoded in
 * three passes:
 *  1. selection: which subprograms become FUNCs (func_select__unit(); every
 *     rule is listed in func_select.h); the variables are vars.c's;
 *  2. numbering: each record gets the ID of its first BTF type; a record
 *     yields 0 types (void, _Atomic: aliases of another ID), 1 type, or a
 *     pointer plus one TYPE_TAG per btf_type_tag;
 *  3. emission, in record order, then the array index type, the struct and
 *     typedef DECL_TAGs, the functions (FUNC_PROTO, FUNC, DECL_TAGs) and the
 *     variables (VAR, DECL_TAGs; vars.c), the order pahole 1.24 writes a unit in.
 * Invariant checked after emission: the chunk's type count equals the count
 * pass 2 predicted, so every reference written in pass 3 points where meant.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dwarf.h>
#include <bpf/btf.h>

#include "chunk.h"
#include "btf_reader/typeref.h"
#include "func_select.h"
#include "symbols.h"
#include "vars.h"

struct cu_ctx {
	const struct cu_records *cu;
	struct chunk_out *out;
	struct cu_scratch *s;
	const struct symidx *syms;
	const struct encoder_config *cfg;
	const char *path;
	struct rawbtf *rb;	/* the chunk's types */
	uint32_t index_type;	/* BTF ID of the array index type, 0 if none yet */
	int need_index;
};

static int add_failed(struct cu_ctx *c, uint64_t die_off, const char *what, const char *name,
		      int err)
{
	diag__err(c->cfg->diag, "%s: DIE 0x%llx: cannot encode %s '%s': %s", c->path,
		  (unsigned long long)die_off, what, name ? name : "(anon)", strerror(-err));
	return err < 0 ? err : -EINVAL;
}

/*
 * BTF counts members, enumerators and parameters in 16 bits (the kernel's BTF_MAX_VLEN):
 * @n of them in record @r is an error past 65,535, with one message.
 */
static int vlen_check(struct cu_ctx *c, const struct type_rec *r, const char *what,
		      const char *items, size_t n)
{
	if (n <= 0xffff)
		return 0;
	diag__err(c->cfg->diag, "%s: DIE 0x%llx: %s '%s' has %zu %s, more than the 65535 BTF "
		  "can count", c->path, (unsigned long long)r->die_off, what,
		  r->name ? r->name : "(anon)", n, items);
	return -E2BIG;
}

/* Number of BTF types record @r yields. */
static uint32_t record_width(const struct cu_ctx *c, const struct type_rec *r)
{
	switch (r->kind) {
	case LK_VOID:
	case LK_ATOMIC:
		return 0;
	case LK_PROTO:
		return (r->flags & LF_FUNC_PROTO) ? 0 : 1;
	case LK_PTR:
		return 1 + (c->cfg->skip_type_tag ? 0 : r->ntags);
	default:
		return 1;
	}
}

/* BTF ID that a reference to record @idx stands for. */
static uint32_t resolve(const struct cu_ctx *c, uint32_t idx)
{
	return cu__btf_id(c->cu, c->s->ids, idx);
}

static int is_float_encoding(int enc)
{
	return enc == DW_ATE_float || enc == DW_ATE_complex_float ||
	       enc == DW_ATE_imaginary_float || enc == DW_ATE_decimal_float;
}

/* pahole 1.24's base type rules (btf_encoder__add_base_type). */
static int emit_base(struct cu_ctx *c, const struct type_rec *r)
{
	const char *name = r->name ? r->name : "";
	uint32_t size = (uint32_t)r->size;
	int enc = 0, id;

	if (c->cfg->gen_floats && r->encoding == DW_ATE_float)
		id = rawbtf__add_float(c->rb, name, size);
	else {
		if (c->cfg->gen_floats && is_float_encoding(r->encoding))
			diag__info(c->cfg->diag, "%s: DIE 0x%llx: '%s': BTF has no complex or "
				   "imaginary float kind, encoded as INT", c->path,
				   (unsigned long long)r->die_off, name);
		if (r->encoding == DW_ATE_signed || r->encoding == DW_ATE_signed_char)
			enc = BTF_INT_SIGNED;
		else if (r->encoding == DW_ATE_boolean)
			enc = BTF_INT_BOOL;
		/* Sizes BTF cannot hold (DWARF 5 DW_OP_convert helpers such as
		 * DW_ATE_unsigned_24) become a 4-byte placeholder, as in pahole. */
		if (!size || (size & (size - 1)) || size > 16) {
			name = "__SANITIZED_FAKE_INT__";
			size = 4;
		}
		id = rawbtf__add_int(c->rb, name, size, enc);
	}
	return id < 0 ? add_failed(c, r->die_off, "base type", name, id) : 0;
}

/* String offset of @str (NULL: none) in the chunk's BTF. */
static int str_off(struct cu_ctx *c, const char *str, uint32_t *off)
{
	*off = 0;
	return str ? rawbtf__str(c->rb, str, off) : 0;
}

static int emit_struct(struct cu_ctx *c, const struct type_rec *r)
{
	uint32_t i, off;
	int id, err;

	if (r->flags & LF_DECL) {
		if (r->name) {
			id = rawbtf__add_fwd(c->rb, r->name,
					  r->kind == LK_UNION ? BTF_FWD_UNION : BTF_FWD_STRUCT);
			return id < 0 ? add_failed(c, r->die_off, "declaration", r->name, id) : 0;
		}
		/* An anonymous declaration cannot be a FWD: an empty struct. */
	}
	err = vlen_check(c, r, r->kind == LK_UNION ? "union" : "struct", "members", r->nsub);
	if (err)
		return err;
	err = str_off(c, r->name, &off);
	if (err)
		return add_failed(c, r->die_off, "struct/union", r->name, err);
	if (r->kind == LK_UNION)
		id = rawbtf__add_union(c->rb, NULL, (uint32_t)r->size);
	else
		id = rawbtf__add_struct(c->rb, NULL, (uint32_t)r->size);
	if (id < 0)
		return add_failed(c, r->die_off, "struct/union", r->name, id);
	rawbtf__last(c->rb)->name_off = off;
	for (i = 0; i < r->nsub; i++) {
		const struct sub_rec *m = &c->cu->subs[r->sub + i];
		struct btf_type *t;

		err = str_off(c, m->name, &off);
		if (!err)
			err = rawbtf__add_field(c->rb, NULL, resolve(c, m->type),
					     (uint32_t)m->value, m->bit_size);
		if (err)
			return add_failed(c, r->die_off, "member of", r->name, err);
		t = rawbtf__last(c->rb);
		btf_members(t)[btf_vlen(t) - 1].name_off = off;
	}
	return 0;
}

static int emit_enum(struct cu_ctx *c, const struct type_rec *r)
{
	uint32_t size = (uint32_t)r->size, i;
	int enum32 = size <= 4 || c->cfg->skip_enum64;
	int id, err = vlen_check(c, r, "enum", "enumerators", r->nsub);

	if (err)
		return err;

	if (enum32)
		id = rawbtf__add_enum(c->rb, r->name, size);
	else
		id = rawbtf__add_enum64(c->rb, r->name, size, !!(r->flags & LF_SIGNED));
	if (id < 0)
		return add_failed(c, r->die_off, "enum", r->name, id);
	for (i = 0; i < r->nsub && !err; i++) {
		const struct sub_rec *e = &c->cu->subs[r->sub + i];
		int64_t v = (int64_t)e->value;

		if (c->cfg->skip_enum64)
			err = rawbtf__add_enum_value(c->rb, e->name, (uint32_t)v);
		else if (!enum32)
			err = rawbtf__add_enum64_value(c->rb, e->name, (uint64_t)v);
		else
			err = rawbtf__add_enum_value(c->rb, e->name, v);
	}
	return err ? add_failed(c, r->die_off, "enumerator of", r->name, err) : 0;
}

static int emit_array(struct cu_ctx *c, const struct type_rec *r)
{
	uint32_t nelems = 1, i;
	int id;

	/* pahole writes one ARRAY with the product of all dimensions. */
	for (i = 0; i < r->nsub; i++)
		nelems *= (uint32_t)c->cu->subs[r->sub + i].value;
	c->need_index = 1;
	id = rawbtf__add_array(c->rb, c->index_type, resolve(c, r->ref), nelems);
	return id < 0 ? add_failed(c, r->die_off, "array", r->name, id) : 0;
}

/*
 * The name a candidate's prototype gives parameter @prm, into @rb: its own, or
 * PARAM__MEMBER as @fate asks (func_select.h D4). *@type: the record of its type.
 */
static int param_name(const struct cu_records *cu, struct rawbtf *rb, const struct sub_rec *prm,
		      uint8_t fate, uint32_t *off, uint32_t *type)
{
	const struct sub_rec *m = fate ? func_select__member(cu, prm) : NULL;
	char *name;
	int err;

	*off = 0;
	*type = m && (fate & PARAM_MEMBER_TYPE) ? m->type : prm->type;
	if (!prm->name)
		return 0;
	if (!m || !(fate & PARAM_MEMBER_NAME))
		return rawbtf__str(rb, prm->name, off);
	name = malloc(strlen(prm->name) + strlen(m->name) + 3);
	if (!name)
		return -ENOMEM;
	sprintf(name, "%s__%s", prm->name, m->name);
	err = rawbtf__str(rb, name, off);
	free(name);
	return err;
}

/*
 * A prototype; its parameters @leave marks (NULL: none) left out (func_select.h C2, D4),
 * or written as the member they pass (D4).
 */
static int emit_proto(struct cu_ctx *c, const struct type_rec *r, const uint8_t *leave)
{
	uint32_t i, type;
	size_t n = !!(r->flags & LF_VARIADIC);
	int id, err;

	for (i = 0; i < r->nsub; i++)
		n += !(leave && (leave[i] & PARAM_LEAVE_OUT));
	err = vlen_check(c, r, "prototype", "parameters", n);
	if (err)
		return err;
	id = rawbtf__add_func_proto(c->rb, resolve(c, r->ref));
	if (id < 0)
		return add_failed(c, r->die_off, "prototype", r->name, id);
	for (i = 0; i < r->nsub; i++) {
		const struct sub_rec *p = &c->cu->subs[r->sub + i];
		struct btf_type *t;
		uint32_t off;

		if (leave && (leave[i] & PARAM_LEAVE_OUT))
			continue;

		err = param_name(c->cu, c->rb, p, leave ? leave[i] : 0, &off, &type);
		if (!err)
			err = rawbtf__add_func_param(c->rb, NULL, resolve(c, type));
		if (err)
			return add_failed(c, r->die_off, "parameter of", r->name, err);
		t = rawbtf__last(c->rb);
		btf_params(t)[btf_vlen(t) - 1].name_off = off;
	}
	if (r->flags & LF_VARIADIC) {
		err = rawbtf__add_func_param(c->rb, NULL, 0);
		if (err)
			return add_failed(c, r->die_off, "parameter of", r->name, err);
	}
	return 0;
}

/* A pointer and its type tags: tags in DWARF order first, then the pointer,
 * chained pointer -> last tag -> ... -> first tag -> pointee (pahole 1.24). */
static int emit_ptr(struct cu_ctx *c, const struct type_rec *r, uint32_t first_id)
{
	uint32_t target = resolve(c, r->ref), i, n = c->cfg->skip_type_tag ? 0 : r->ntags;
	int id;

	for (i = 0; i < n; i++) {
		id = rawbtf__add_type_tag(c->rb, c->cu->tags[r->tags + i].value, target);
		if (id < 0)
			return add_failed(c, r->die_off, "type tag", c->cu->tags[r->tags + i].value, id);
		target = first_id + i;
	}
	id = rawbtf__add_ptr(c->rb, target);
	return id < 0 ? add_failed(c, r->die_off, "pointer", NULL, id) : 0;
}

static int emit_record(struct cu_ctx *c, uint32_t idx)
{
	const struct type_rec *r = &c->cu->types[idx];
	uint32_t ref;
	int id;

	switch (r->kind) {
	case LK_VOID:
	case LK_ATOMIC:
		return 0;
	case LK_BASE:
		return emit_base(c, r);
	case LK_PTR:
	case LK_PTR_MEMBER:
		if (r->kind == LK_PTR)
			return emit_ptr(c, r, c->s->ids[idx] - (c->cfg->skip_type_tag ? 0 : r->ntags));
		id = rawbtf__add_ptr(c->rb, resolve(c, r->ref));
		break;
	case LK_CONST:
		id = rawbtf__add_const(c->rb, resolve(c, r->ref));
		break;
	case LK_VOLATILE:
		id = rawbtf__add_volatile(c->rb, resolve(c, r->ref));
		break;
	case LK_RESTRICT:
		id = rawbtf__add_restrict(c->rb, resolve(c, r->ref));
		break;
	case LK_TYPEDEF:
		ref = resolve(c, r->ref);
		id = rawbtf__add_typedef(c->rb, r->name ? r->name : "", ref);
		break;
	case LK_STRUCT:
	case LK_UNION:
		return emit_struct(c, r);
	case LK_ENUM:
		return emit_enum(c, r);
	case LK_ARRAY:
		return emit_array(c, r);
	case LK_PROTO:
		return (r->flags & LF_FUNC_PROTO) ? 0 : emit_proto(c, r, NULL);
	default:
		return add_failed(c, r->die_off, "record of unknown kind", r->name, -EINVAL);
	}
	return id < 0 ? add_failed(c, r->die_off, "type", r->name, id) : 0;
}

static int emit_decl_tags(struct cu_ctx *c, uint32_t target, uint32_t first, uint16_t n,
			  int component, uint64_t die_off)
{
	uint16_t i;
	int id;

	if (c->cfg->skip_decl_tag)
		return 0;
	for (i = 0; i < n; i++) {
		const char *v = c->cu->tags[first + i].value;

		id = rawbtf__add_decl_tag(c->rb, v, target, component);
		if (id < 0)
			return add_failed(c, die_off, "decl tag", v, id);
	}
	return 0;
}

/* DECL_TAGs of structs, unions (and their members) and typedefs. */
static int emit_type_decl_tags(struct cu_ctx *c)
{
	size_t i;
	uint32_t j;
	int err;

	if (c->cfg->skip_decl_tag)
		return 0;
	for (i = 0; i < c->cu->norder; i++) {
		uint32_t idx = c->cu->order[i];
		const struct type_rec *r = &c->cu->types[idx];

		if (r->kind != LK_STRUCT && r->kind != LK_UNION && r->kind != LK_TYPEDEF)
			continue;
		/* DIE order, as pahole writes them: clang puts a type's own annotations
		 * after its members. */
		for (j = 0; r->kind != LK_TYPEDEF && !(r->flags & LF_DECL) && j < r->nsub; j++) {
			const struct sub_rec *m = &c->cu->subs[r->sub + j];

			if (!m->ntags)	/* nearly every member */
				continue;
			err = emit_decl_tags(c, c->s->ids[idx], m->tags, m->ntags, (int)j, r->die_off);
			if (err)
				return err;
		}
		err = emit_decl_tags(c, c->s->ids[idx], r->tags, r->ntags, -1, r->die_off);
		if (err)
			return err;
	}
	return 0;
}

/*
 * The strings pahole gives a held candidate as it meets it, into the unit's BTF @rb: the
 * names of the parameters its prototype keeps (@leave as for emit_proto()), then the
 * values of its decl tags.
 */
static int intern_func_strs(struct cu_ctx *c, struct rawbtf *rb, const struct type_rec *p,
			    const struct func_rec *f, const uint8_t *leave)
{
	const struct cu_records *cu = c->cu;
	uint32_t j, k, off, type;
	int err = 0;

	for (j = 0; !err && j < p->nsub; j++)
		if (!(leave && (leave[j] & PARAM_LEAVE_OUT)))
			err = param_name(cu, rb, &cu->subs[p->sub + j], leave ? leave[j] : 0,
					 &off, &type);
	if (c->cfg->skip_decl_tag)
		return err;
	for (j = 0; !err && j < p->nsub; j++) {
		const struct sub_rec *prm = &cu->subs[p->sub + j];

		for (k = 0; !err && k < prm->ntags; k++)
			err = rawbtf__str(rb, cu->tags[prm->tags + k].value, &off);
	}
	for (k = 0; !err && k < f->ntags; k++)
		err = rawbtf__str(rb, cu->tags[f->tags + k].value, &off);
	return err;
}

/*
 * Candidate @f's FN_* flags and clone symbol in @facts; *@leave: the parameters its
 * prototype leaves out (func_select.h C2: a reordered one's optimized out; D4), or NULL.
 * 0 or -ENOMEM.
 */
static int candidate_facts(struct cu_ctx *c, const struct func_rec *f, struct fn_facts *facts,
			   const uint8_t **leave)
{
	uint32_t n = c->cu->types[f->proto].nsub;
	int err;

	err = vec__reserve((void **)&c->s->leave, &c->s->leave_cap, n ? n : 1, 1);
	if (err)
		return err;
	memset(c->s->leave, 0, n);
	facts->flags = func_select__flags(c->cu, f, c->syms, c->cfg, c->s->leave,
					  &facts->clone_sym);
	*leave = facts->flags & (FN_REORDERED | FN_TRUE_SIG) ? c->s->leave : NULL;
	return 0;
}

/*
 * func_select.h B5: candidate @f's @facts kept for the merge, and its FUNC (the last type
 * of c->rb) made distinct from every other candidate of its name in the chunk.
 */
static int hold_candidate(struct cu_ctx *c, const struct func_rec *f,
			  const struct fn_facts *facts)
{
	struct chunk_out *out = c->out;
	struct btf_type *t = rawbtf__last(c->rb);
	uint32_t ordinal = 0;
	int err;

	err = vec__push_slot(&out->fn_facts, &out->fn_facts_cap, out->nfn_facts);
	if (err)
		return err;
	out->fn_facts[out->nfn_facts++] = *facts;
	strmap__get(&c->s->fn_ordinals, f->name, &ordinal);
	err = strmap__set(&c->s->fn_ordinals, f->name, ordinal + 1);
	if (err < 0)
		return err;
	t->info = (uint32_t)BTF_KIND_FUNC << 24 | (ordinal & 0xffff);
	return 0;
}

static int emit_funcs(struct cu_ctx *c)
{
	const struct cu_records *cu = c->cu;
	struct rawbtf *unit_rb = c->rb;
	size_t i;
	uint32_t j;
	int err, proto, fn;

	/* B5: candidates go to the chunk's side BTF (their types' IDs are rb's). */
	if (func_select__new_rules(c->cfg)) {
		if (!c->out->fn_rb.strs) {
			err = rawbtf__init(&c->out->fn_rb);
			if (err)
				return err;
			rawbtf__track_src(&c->out->fn_rb, c->out->rb.src_lo, c->out->rb.src_span);
		}
		c->rb = &c->out->fn_rb;
	}
	err = 0;
	for (i = 0; i < cu->nfuncs && !err; i++) {
		const struct func_rec *f = &cu->funcs[i];
		const struct type_rec *p = &cu->types[f->proto];
		const uint8_t *leave = NULL;
		struct fn_facts facts = { 0, 0 };

		if (!c->s->selected[i])
			continue;
		/*
		 * pahole 1.26+ keeps a candidate's parameter names and decl tag values
		 * as it meets the function (btf_encoder__save_func()), its name only
		 * once chosen: the unit's strings, in that order.
		 */
		if (c->rb != unit_rb) {
			err = candidate_facts(c, f, &facts, &leave);
			if (!err)
				err = intern_func_strs(c, unit_rb, p, f, leave);
		}
		if (!err)
			err = emit_proto(c, p, leave);
		if (err)
			break;
		proto = rawbtf__type_cnt(c->rb) - 1;
		fn = rawbtf__add_func(c->rb, f->name, BTF_FUNC_STATIC, proto);
		if (fn < 0) {
			err = add_failed(c, f->die_off, "function", f->name, fn);
			break;
		}
		c->out->funcs++;
		if (c->rb != unit_rb)
			err = hold_candidate(c, f, &facts);
		/* DIE order: clang puts a function's own annotations after its parameters. */
		for (j = 0; !err && j < p->nsub; j++) {
			const struct sub_rec *prm = &cu->subs[p->sub + j];

			err = emit_decl_tags(c, fn, prm->tags, prm->ntags, (int)j, f->die_off);
		}
		if (!err)
			err = emit_decl_tags(c, fn, f->tags, f->ntags, -1, f->die_off);
	}
	c->rb = unit_rb;
	return err;
}

struct side_strs {
	const struct rawbtf *from;
	struct rawbtf *to;
};

static int move_str(uint32_t *off, void *ctx)
{
	struct side_strs *ss = ctx;

	if (!*off)
		return 0;
	return rawbtf__str(ss->to, ss->from->strs + *off, off);
}

int cu__append_funcs(struct chunk_out *out)
{
	struct rawbtf *side = &out->fn_rb;
	struct side_strs ss = { .from = side, .to = &out->rb };
	uint32_t base = out->rb.nr, i;
	size_t pos = 0;
	int err = 0;

	for (i = 1; i <= side->nr && !err; i++) {
		const struct btf_type *src = (const void *)(side->types + pos);
		size_t len = sizeof(*src) + typeref__extra_size(src);
		struct btf_type *dst = rawbtf__append(&out->rb, len);

		if (!dst) {
			err = -ENOMEM;
			break;
		}
		memcpy(dst, src, len);
		err = typeref__for_each_str(dst, move_str, &ss);
		/* A FUNC names its prototype and a DECL_TAG its FUNC, both in side IDs;
		 * a prototype's types are the units' and keep their IDs. */
		if (btf_is_func(dst) || btf_is_decl_tag(dst))
			dst->type += base;
		pos += len;
	}
	rawbtf__free(side);
	return err;
}

/* The first base type named "int" in emission order: pahole's array index type. */
static uint32_t find_int(const struct cu_records *cu)
{
	size_t i;

	for (i = 0; i < cu->norder; i++) {
		const struct type_rec *r = &cu->types[cu->order[i]];

		if (r->kind == LK_BASE && r->name && !strcmp(r->name, "int"))
			return cu->order[i];
	}
	return 0;
}

int cu__encode(const struct cu_records *cu, struct chunk_out *out, struct cu_scratch *s,
	       const struct symidx *syms, const struct encoder_config *cfg, const char *path)
{
	struct cu_ctx c = { .cu = cu, .out = out, .s = s, .syms = syms, .cfg = cfg,
			    .path = path, .rb = &out->rb };
	uint32_t next, int_rec;
	size_t i;
	int err;

	/*
	 * The chunk's BTF looks names in .debug_str up by pointer before
	 * content (encode_chunk()). That pays when units share their strings (a
	 * linked vmlinux: nine lookups in ten hit); a module linked with ld -r
	 * keeps each unit's .debug_str apart and few hit (encode_chunk() does not
	 * set the map up for a relocatable file). Judged on a chunk's
	 * second unit, the first to meet names an earlier unit has seen: under
	 * one hit in four, the map goes for the rest of the chunk. The offsets
	 * are the same either way.
	 */
	if (s->units++ == 2 && c.rb->ptr_calls >= 1024 && c.rb->ptr_hits * 4 < c.rb->ptr_calls)
		rawbtf__cache_ptrs(c.rb, NULL, NULL, 0);
	c.rb->ptr_calls = c.rb->ptr_hits = 0;
	err = func_select__unit(cu, s, syms, cfg);
	if (err)
		return err;
	err = vec__reserve((void **)&s->ids, &s->ids_cap, cu->ntypes, sizeof(*s->ids));
	if (err)
		return err;
	next = rawbtf__type_cnt(c.rb);
	memset(s->ids, 0, cu->ntypes * sizeof(*s->ids));
	for (i = 0; i < cu->norder; i++) {
		uint32_t idx = cu->order[i];
		uint32_t w = idx ? record_width(&c, &cu->types[idx]) : 0;

		/* A pointer's own ID comes after its type tags. */
		s->ids[idx] = w ? next + w - 1 : 0;
		next += w;
	}
	int_rec = find_int(cu);
	c.index_type = int_rec ? resolve(&c, int_rec) : next;
	for (i = 0; i < cu->norder; i++) {
		err = emit_record(&c, cu->order[i]);
		if (err)
			return err;
	}
	if ((uint32_t)rawbtf__type_cnt(c.rb) != next) {
		diag__err(cfg->diag, "%s: unit at DIE 0x%llx: internal error: %u types written, "
			  "%u expected", path, (unsigned long long)cu->die_off,
			  rawbtf__type_cnt(c.rb), next);
		return -EFAULT;
	}
	if (c.need_index && !int_rec) {
		int id = rawbtf__add_int(c.rb, "int", 4, BTF_INT_SIGNED);

		if (id < 0)
			return add_failed(&c, cu->die_off, "array index type", "int", id);
	}
	err = emit_type_decl_tags(&c);
	if (!err)
		err = emit_funcs(&c);
	if (!err)
		err = vars__encode_unit(&(struct var_unit){ .cu = cu, .ids = s->ids, .out = out,
							     .syms = syms, .cfg = cfg, .path = path });
	return err;
}

void cu_scratch__free(struct cu_scratch *s)
{
	u64map__free(&s->strs);
	free(s->ids);
	free(s->selected);
	free(s->leave);
	strmap__free(&s->chunk_funcs);
	strmap__free(&s->fn_ordinals);
	memset(s, 0, sizeof(*s));
}
