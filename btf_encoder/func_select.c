// SPDX-License-Identifier: GPL-2.0-only
/*
 * func_select: which subprograms become FUNCs. func_select.h lists every rule
 * (pahole 1.24's A*, pahole 1.26+'s B*, pahole master's C*) and where each is
 * applied; func_params.c computes a candidate's flags.
 *
 * Design note (pahole 1.26+'s rules).
 * Problem: a function appears in many units (inline copies, static functions
 * of the same name, foo.isra.0 clones, a __weak definition beside the strong
 * one); BTF can carry one FUNC per name, and it must only carry one whose
 * prototype is what callers really pass.
 * Example: gcc clones static int scaled(int unused, int v) into
 * scaled.constprop.0 without its first parameter. Its DWARF has an abstract
 * DIE scaled(unused, v) and a concrete one at the clone's address whose
 * parameters name the abstract ones as their origin, v first, unused (no
 * location) last. pahole 1.31 writes scaled(unused, v): a caller of the BTF
 * would pass v in the wrong register. pahole master drops it: its parameters
 * are reordered (C2); were they not, its optimized-out parameter and the
 * .constprop symbol at its address would (C3).
 * Passes:
 *  1. ELF table (once): STT_FUNC symbols grouped by the name up to the first
 *     '.', leaving out ".cold" and ".part" pieces; a group whose symbols have
 *     more than one address is ambiguous.
 *  2. per unit (worker threads): every defined subprogram with all parameters
 *     named whose name is a group becomes a FUNC candidate, with its own flags
 *     (func_params.c): where its parameters live at entry, and whether its
 *     address is a symbol's of its name.
 *  3. merge (in chunk order): candidate FUNCs are held back, not copied, each
 *     with its flags; their prototypes are copied as ordinary types.
 *  4. finish: candidates sorted by name (stable: unit order); per name the
 *     flags are ORed and the first candidate's prototype compared with the
 *     others': different ones are "inconsistent_proto". pahole 1.31: unless
 *     consistent_func is off, a flagged name gets no FUNC, and the first
 *     candidate's prototype is used. pahole master: the canonical candidate is
 *     chosen (the strong definition, the one at the name's address), and a
 *     name gets no FUNC when flagged, or when the canonical candidate has
 *     optimized-out parameters in a changed signature. Each drop is reported
 *     under -V with its reason. FUNCs are written sorted by name, so the
 *     output does not depend on -j. With true_signature (pahole master,
 *     func_select.h D1-D4) a name with a candidate at a clone's address (the
 *     DWARF of scaled.constprop.0 above) gets that candidate's FUNC under the
 *     clone's name instead, whatever the flags but an unexpected register or a
 *     packed struct on the stack.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>

#include "chunk.h"
#include "func_select.h"
#include "merge.h"
#include "symbols.h"

/* ---- pahole 1.24's rules (A*), and which functions are candidates (B2) ---------- */

int func_select__unit(const struct cu_records *cu, struct cu_scratch *s, const struct symidx *syms,
		      const struct encoder_config *cfg)
{
	size_t i;
	int err;

	err = vec__reserve((void **)&s->selected, &s->sel_cap, cu->nfuncs, 1);
	if (err)
		return err;
	if (cu->nfuncs)
		memset(s->selected, 0, cu->nfuncs);
	for (i = 0; i < cu->nfuncs; i++) {
		const struct func_rec *f = &cu->funcs[i];

		if (f->declaration || f->unnamed_param || !f->name)	/* A1, A2 */
			continue;
		if (func_select__new_rules(cfg)) {
			/* B2: every unit's instance is a candidate. */
			if (strmap__get(&syms->func_groups, f->name, NULL))
				s->selected[i] = 1;
			continue;
		}
		if (syms->nfuncs) {
			if (!strmap__get(&syms->funcs, f->name, NULL))	/* A3 */
				continue;
			err = strmap__add(&s->chunk_funcs, f->name, 0);
			if (err < 0)
				return err;
			if (err == 0)
				continue;	/* A5: an earlier unit of this chunk has it */
		} else if (!f->external) {	/* A4 */
			continue;
		}
		s->selected[i] = 1;
	}
	return 0;
}

int func_select__take_name(struct merger *m, const char *name)
{
	char *copy;
	int err;

	if (strmap__get(&m->func_names, name, NULL))
		return 0;
	copy = strdup(name);
	if (!copy)
		return -ENOMEM;
	err = strmap__add(&m->func_names, copy, 0);
	if (err < 0) {
		free(copy);
		return err;
	}
	return 1;
}

/* ---- pahole 1.26+'s rules (B*) ------------------------------------------------ */

static int group_of(const char *name, size_t len)
{
	const char *dot = memchr(name, '.', len);

	/* foo.cold.1 and foo.part.0 are pieces of foo, not functions. */
	return !dot || (!strstr(dot, ".cold") && !strstr(dot, ".part"));
}

int func_select__build_table(struct symidx *s, const struct objfile *elf)
{
	size_t i, cap = 0;
	int err;

	s->group_next = calloc(elf->nsyms ? elf->nsyms : 1, sizeof(*s->group_next));
	if (!s->group_next)
		return -ENOMEM;
	for (i = 1; i < elf->nsyms; i++) {
		const struct elf_sym *sym = &elf->syms[i];
		size_t len = strcspn(sym->name, ".");
		uint64_t value = objfile__sym_value(elf, sym);
		struct fn_group *grp;
		uint32_t g;
		char *key;

		if (sym->type != STT_FUNC || !len || !group_of(sym->name, strlen(sym->name)))
			continue;
		key = strndup(sym->name, len);
		if (!key)
			return -ENOMEM;
		if (strmap__get(&s->func_groups, key, &g)) {
			/*
			 * pahole's elf_function__has_ambiguous_address(), on st_value: a
			 * symbol at another address than the one before it, unless that one
			 * was at 0.
			 */
			grp = &s->groups[g];
			if (grp->addr && grp->addr != value)
				grp->ambiguous = 1;
			grp->addr = value;
			s->group_next[grp->last_sym] = (uint32_t)i;
			grp->last_sym = (uint32_t)i;
			free(key);
			continue;
		}
		err = vec__reserve((void **)&s->groups, &cap, s->ngroups + 1, sizeof(*s->groups));
		if (!err)
			err = strmap__add(&s->func_groups, key, (uint32_t)s->ngroups);
		if (err < 0) {
			free(key);
			return err;
		}
		grp = &s->groups[s->ngroups++];
		grp->addr = value;
		grp->ambiguous = 0;
		grp->first_sym = grp->last_sym = (uint32_t)i;
	}
	return 0;
}

#define SET8_PREFIX "__BTF_ID__set8__"
#define FUNC_PREFIX "__BTF_ID__func__"
#define SET8_KFUNCS 1	/* btf_id_set8.flags: the set lists kfuncs */

struct addr_range {
	uint64_t start, end;
};

/* A u32 of the ELF's byte order at @off of section data @d, 0 past its end. */
static uint32_t read_u32(const uint8_t *d, size_t size, uint64_t off, int big)
{
	if (off + 4 > size)
		return 0;
	return big ? (uint32_t)d[off] << 24 | d[off + 1] << 16 | d[off + 2] << 8 | d[off + 3] :
		     (uint32_t)d[off + 3] << 24 | d[off + 2] << 16 | d[off + 1] << 8 | d[off];
}

/*
 * kfuncs (pahole 1.27's decl_tag_kfuncs): in .BTF_ids, each BTF_SET8 whose
 * flags have BTF_SET8_KFUNCS spans [symbol, symbol + size); every
 * __BTF_ID__func__NAME__N symbol inside one names a kfunc.
 */
int func_select__build_kfuncs(struct symidx *s, struct objfile *elf)
{
	size_t shndx = objfile__find_section(elf, ".BTF_ids"), i, n = 0, cap = 0, dsize;
	const uint8_t *data;
	struct addr_range *sets = NULL;
	int err = 0;

	if (!shndx)
		return 0;
	data = objfile__section_data(elf, shndx, &dsize);
	for (i = 1; data && i < elf->nsyms; i++) {
		const struct elf_sym *sym = &elf->syms[i];
		uint64_t off = sym->addr - elf->secs[shndx].addr;

		if (sym->shndx != shndx || strncmp(sym->name, SET8_PREFIX, strlen(SET8_PREFIX)))
			continue;
		if (!(read_u32(data, dsize, off + 4, elf->big_endian) & SET8_KFUNCS))
			continue;
		err = vec__reserve((void **)&sets, &cap, n + 1, sizeof(*sets));
		if (err)
			goto out;
		sets[n].start = sym->addr;
		sets[n].end = sym->addr + sym->size;
		n++;
	}
	for (i = 1; n && i < elf->nsyms; i++) {
		const struct elf_sym *sym = &elf->syms[i];
		const char *name = sym->name + strlen(FUNC_PREFIX), *end;
		size_t k;
		char *copy;

		if (sym->shndx != shndx || strncmp(sym->name, FUNC_PREFIX, strlen(FUNC_PREFIX)))
			continue;
		for (k = 0; k < n; k++)
			if (sym->addr >= sets[k].start && sym->addr < sets[k].end)
				break;
		end = strstr(name, "__");
		while (end && strstr(end + 2, "__"))
			end = strstr(end + 2, "__");
		if (k == n || !end || end == name)
			continue;
		copy = strndup(name, end - name);
		if (!copy) {
			err = -ENOMEM;
			goto out;
		}
		/* The set's flags for this kfunc follow its ID (struct btf_id_set8's pairs);
		 * in several sets, the last symbol's, as pahole reads them. */
		err = strmap__set(&s->kfuncs, copy,
				  read_u32(data, dsize, sym->addr - elf->secs[shndx].addr + 4,
					   elf->big_endian));
		if (err <= 0)
			free(copy);
		if (err < 0)
			goto out;
		err = 0;
	}
out:
	free(sets);
	return err;
}

void func_select__free_table(struct symidx *s)
{
	size_t i;

	for (i = 0; i < s->kfuncs.cap; i++)
		free((char *)s->kfuncs.keys[i]);
	strmap__free(&s->kfuncs);

	for (i = 0; i < s->func_groups.cap; i++)
		free((char *)s->func_groups.keys[i]);
	strmap__free(&s->func_groups);
	free(s->groups);
	free(s->group_next);
}

const char *func_select__drop_reason(unsigned int flags, const struct encoder_config *cfg)
{
	if (cfg->compat_124 && !cfg->consistent_funcs)
		return NULL;
	if (flags & FN_AMBIGUOUS)
		return "several addresses for one name";
	if (cfg->compat_124) {
		if (flags & FN_INCONSISTENT)
			return "inconsistent prototypes across units";
		if (flags & FN_UNEXPECTED_REG)
			return "a parameter in an unexpected register";
		if (flags & FN_UNCERTAIN_LOC)
			return "a packed struct passed on the stack";
		return NULL;
	}
	/* pahole master's order: the last reason that applies wins. */
	if (flags & FN_OPTIMIZED_ABI)
		return "optimized-out parameters in a changed signature";
	if (flags & FN_REORDERED)
		return "parameters reordered by the compiler";
	if (flags & FN_UNCERTAIN_LOC)
		return "a packed struct passed on the stack";
	if ((flags & FN_INCONSISTENT) && cfg->consistent_funcs)
		return "inconsistent prototypes across units";
	if (flags & FN_UNEXPECTED_REG)
		return "a parameter in an unexpected register";
	return NULL;
}

/* Signature of a type for prototype comparison: kind and name, loosely. */
static void type_sig(const struct btf *btf, uint32_t id, char *buf, size_t len, int depth)
{
	const struct btf_type *t;
	const char *name;
	size_t n;

	buf[0] = 0;
	while (id && depth < 8) {
		t = btf__type_by_id(btf, id);
		if (!t)
			return;
		if (btf_is_const(t) || btf_is_volatile(t) || btf_is_restrict(t) ||
		    btf_is_type_tag(t)) {
			id = t->type;
			continue;
		}
		name = btf__name_by_offset(btf, t->name_off);
		n = strlen(buf);
		if (btf_is_ptr(t) || btf_is_array(t)) {
			snprintf(buf + n, len - n, "%s", btf_is_ptr(t) ? "*" : "[]");
			id = btf_is_ptr(t) ? t->type : btf_array(t)->type;
			depth++;
			continue;
		}
		/* A FWD equals its struct or union: compare "struct NAME". */
		if (btf_is_fwd(t))
			snprintf(buf + n, len - n, "%s %s", btf_kflag(t) ? "union" : "struct",
				 name ? name : "");
		else if (btf_is_composite(t))
			snprintf(buf + n, len - n, "%s %s", btf_is_union(t) ? "union" : "struct",
				 name ? name : "");
		else
			snprintf(buf + n, len - n, "%u %s", btf_kind(t), name ? name : "");
		return;
	}
	n = strlen(buf);
	snprintf(buf + n, len - n, "void");
}

/* Whether @a and @b are equal types for B6 (same ID, or same signature). */
static int types_match(const struct btf *btf, uint32_t a, uint32_t b)
{
	char sa[256], sb[256];

	if (a == b)
		return 1;
	type_sig(btf, a, sa, sizeof(sa), 0);
	type_sig(btf, b, sb, sizeof(sb), 0);
	return !strcmp(sa, sb);
}

static int protos_match(const struct merger *m, const struct fn_state *a,
			const struct fn_state *b)
{
	uint32_t i;

	if (a->nparams != b->nparams || !types_match(m->btf, a->ret, b->ret))
		return 0;
	for (i = 0; i < a->nparams; i++)
		if (!types_match(m->btf, m->fparams[a->params + i].type,
				 m->fparams[b->params + i].type))
			return 0;
	return 1;
}

/* A FWD counts as the struct or union it declares (pahole's fwd__kind()). */
static int kind_of(const struct btf_type *t)
{
	if (btf_is_fwd(t))
		return btf_kflag(t) ? BTF_KIND_UNION : BTF_KIND_STRUCT;
	return btf_kind(t);
}

static int names_match(const struct btf *btf, const struct btf_type *a, const struct btf_type *b)
{
	return a->name_off == b->name_off ||
	       !strcmp(btf__name_by_offset(btf, a->name_off), btf__name_by_offset(btf, b->name_off));
}

/*
 * C5: pahole master's types__match(): names for named kinds, sizes and encodings for
 * numbers, element counts for arrays, then what they refer to; a const on one side
 * only is skipped. The same ID is the same type (it is: the chunks' dedup merged
 * only equal types).
 */
static int types_match_master(const struct btf *btf, uint32_t a, uint32_t b, int depth)
{
	while (depth < 64) {
		const struct btf_type *ta, *tb;
		int ka, kb;

		if (a == b)
			return 1;
		if (!a || !b)
			return 0;
		ta = btf__type_by_id(btf, a);
		tb = btf__type_by_id(btf, b);
		if (!ta || !tb)
			return 0;
		ka = kind_of(ta);
		kb = kind_of(tb);
		if (ka != kb) {
			if (ka == BTF_KIND_CONST)
				a = ta->type;
			else if (kb == BTF_KIND_CONST)
				b = tb->type;
			else
				return 0;
			continue;
		}
		switch (ka) {
		case BTF_KIND_INT:
			return ta->size == tb->size && *(const uint32_t *)(ta + 1) ==
			       *(const uint32_t *)(tb + 1) && names_match(btf, ta, tb);
		case BTF_KIND_FLOAT:
			return ta->size == tb->size && names_match(btf, ta, tb);
		case BTF_KIND_TYPEDEF:
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
		case BTF_KIND_ENUM:
		case BTF_KIND_ENUM64:
			return names_match(btf, ta, tb);
		case BTF_KIND_PTR:
		case BTF_KIND_VOLATILE:
		case BTF_KIND_CONST:
		case BTF_KIND_RESTRICT:
		case BTF_KIND_TYPE_TAG:
			a = ta->type;
			b = tb->type;
			break;
		case BTF_KIND_ARRAY:
			if (btf_array(ta)->nelems != btf_array(tb)->nelems)
				return 0;
			a = btf_array(ta)->type;
			b = btf_array(tb)->type;
			break;
		case BTF_KIND_FUNC_PROTO: {
			const struct btf_param *pa = btf_params(ta), *pb = btf_params(tb);
			uint16_t i, n = btf_vlen(ta);

			if (n != btf_vlen(tb) || !types_match_master(btf, ta->type, tb->type, depth + 1))
				return 0;
			for (i = 0; i < n; i++)
				if (!types_match_master(btf, pa[i].type, pb[i].type, depth + 1))
					return 0;
			return 1;
		}
		default:
			return 0;
		}
		depth++;
	}
	return 0;
}

/* pahole master's funcs__match(): parameter count, return type, parameter types. */
static int protos_match_master(const struct merger *m, const struct fn_state *a,
			       const struct fn_state *b)
{
	uint32_t i;

	if (a->nparams != b->nparams || !types_match_master(m->btf, a->ret, b->ret, 0))
		return 0;
	for (i = 0; i < a->nparams; i++)
		if (!types_match_master(m->btf, m->fparams[a->params + i].type,
				 m->fparams[b->params + i].type, 0))
			return 0;
	return 1;
}

/* kfunc flags of a BTF_SET8 entry (the kernel's include/linux/btf.h). */
#define KF_FASTCALL	(1u << 12)
#define KF_ARENA_RET	(1u << 13)
#define KF_ARENA_ARG1	(1u << 14)
#define KF_ARENA_ARG2	(1u << 15)
#define ARENA_ATTR	"address_space(1)"

/*
 * B10, attributes (pahole 1.30): the pointer @*type of an arena kfunc becomes a pointer to
 * a TYPE_TAG "address_space(1)" with kind_flag 1 (an attribute, as libbpf 1.6's
 * btf__add_type_attr() writes it) on its pointee. -EINVAL when @*type is no pointer.
 */
static int arena_ptr(struct merger *m, uint32_t *type)
{
	const struct btf_type *ptr = btf__type_by_id(m->btf, *type);
	struct btf_type *tag;
	int id;

	if (!ptr || !btf_is_ptr(ptr))
		return -EINVAL;
	id = btf__add_type_tag(m->btf, ARENA_ATTR, (int)ptr->type);
	if (id < 0)
		return id;
	tag = (struct btf_type *)btf__type_by_id(m->btf, id);
	tag->info |= 1u << 31;	/* kind_flag: libbpf 1.1.2 has no btf__add_type_attr() */
	id = btf__add_ptr(m->btf, id);
	if (id < 0)
		return id;
	*type = (uint32_t)id;
	return 0;
}

/*
 * The FUNC_PROTO of @st (B5), written just before its FUNC (after the attribute types of an
 * arena kfunc, B10, when @kflags asks): its ID, or a negative errno.
 */
static int add_proto(struct merger *m, const struct fn_state *st, uint32_t kflags)
{
	uint32_t ret = st->ret, types[2] = { 0, 0 }, i;
	int id, err = 0;

	for (i = 0; i < 2 && i < st->nparams; i++)
		types[i] = m->fparams[st->params + i].type;
	if (kflags & KF_ARENA_RET)
		err = arena_ptr(m, &ret);
	if (!err && (kflags & KF_ARENA_ARG1))
		err = st->nparams > 0 ? arena_ptr(m, &types[0]) : -EINVAL;
	if (!err && (kflags & KF_ARENA_ARG2))
		err = st->nparams > 1 ? arena_ptr(m, &types[1]) : -EINVAL;
	if (err)
		return err;
	id = btf__add_func_proto(m->btf, (int)ret);
	for (i = 0; id > 0 && i < st->nparams; i++) {
		const struct fn_param *p = &m->fparams[st->params + i];

		err = btf__add_func_param(m->btf, m->fname_pool + p->name,
					  (int)(i < 2 ? types[i] : p->type));
		if (err)
			return err;
	}
	return id;
}

/*
 * B9's DECL_TAGs after FUNC @id: "bpf_kfunc" on a kfunc, "bpf_fastcall" on one flagged
 * KF_FASTCALL (pahole 1.28), and the function's own; pahole master writes its own first
 * (dwarves commit 8b536f4), 1.31 the kfunc tags first (kept in the compatibility behaviour).
 */
static int add_func_tags(struct merger *m, const struct encoder_config *cfg,
			 const struct fn_state *st, int id, int is_kfunc, uint32_t kflags)
{
	int own_first = !cfg->compat_124, pass, err = 0;
	size_t k;

	if (cfg->skip_decl_tag)
		return 0;
	for (pass = 0; pass < 2 && !err; pass++) {
		if (pass == own_first && is_kfunc) {
			err = btf__add_decl_tag(m->btf, "bpf_kfunc", id, -1);
			if (err >= 0 && (kflags & KF_FASTCALL))
				err = btf__add_decl_tag(m->btf, "bpf_fastcall", id, -1);
			err = err < 0 ? err : 0;
		} else if (pass != own_first) {
			for (k = 0; k < st->ntags && !err; k++) {
				const struct fn_tag *t = &m->ftags[st->tags + k];

				err = btf__add_decl_tag(m->btf, t->value, id, t->component);
				err = err < 0 ? err : 0;
			}
		}
	}
	return err;
}

static int state_cmp(const void *x, const void *y)
{
	const struct fn_state *a = x, *b = y;
	int c = strcmp(a->name, b->name);

	if (c)
		return c;
	return a->order < b->order ? -1 : a->order > b->order;
}

/* B6: the flags of the name of candidates @st[0..@n), all ORed; the first one's prototype. */
static struct fn_state *judge_131(const struct merger *m, struct fn_state *st, size_t n,
				  unsigned int *flags)
{
	size_t k;

	for (k = 0; k < n; k++) {
		*flags |= st[k].flags;
		if (!protos_match(m, st, &st[k]))
			*flags |= FN_INCONSISTENT;
	}
	return st;
}

/*
 * C3: optimized-out parameters, and the compiler changed the signature; never with
 * @true_sig (D3: pahole master's btf_encoder_func_state__skip_optimized_parms()).
 */
static int optimized_abi(const struct fn_state *st, int true_sig)
{
	return !true_sig && (st->flags & FN_OPTIMIZED) &&
	       (st->flags & (FN_SIG_CHANGED | FN_OPT_SYMBOL));
}

/* C4: pahole master's btf_encoder__select_canonical_state(). */
static struct fn_state *canonical(struct fn_state *st, size_t n, int true_sig)
{
	struct fn_state *at_symbol = NULL;
	size_t k;

	for (k = 0; n > 1 && k < n; k++) {
		if (!(st[k].flags & FN_AT_SYMBOL))
			continue;
		if (!optimized_abi(&st[k], true_sig))
			return &st[k];
		if (!at_symbol)
			at_symbol = &st[k];
	}
	return at_symbol ? at_symbol : st;
}

/*
 * C5, C3: the flags of the name of candidates @st[0..@n) as pahole master's
 * saved_functions_combine() shares them (the first candidate's prototype compared with
 * each other's while no flag says they differ anyway); the canonical candidate. @true_sig:
 * as with true_signature (D3).
 */
static struct fn_state *judge_master(const struct merger *m, struct fn_state *st, size_t n,
				     unsigned int *flags, int true_sig)
{
	const unsigned int shared = FN_UNEXPECTED_REG | FN_UNCERTAIN_LOC | FN_REORDERED;
	struct fn_state *chosen;
	size_t k;

	*flags = st->flags & shared;
	for (k = 1; k < n; k++) {
		*flags |= st[k].flags & shared;
		if (!(*flags & (FN_UNEXPECTED_REG | FN_INCONSISTENT | FN_REORDERED)) &&
		    !protos_match_master(m, st, &st[k]))
			*flags |= FN_INCONSISTENT;
	}
	chosen = canonical(st, n, true_sig);
	if (optimized_abi(chosen, true_sig))
		*flags |= FN_OPTIMIZED_ABI;
	return chosen;
}

/* Whether the true_signature rules (D1-D4) apply. */
static int true_sig(const struct encoder_config *cfg)
{
	return cfg->true_signature && !cfg->compat_124;
}

/*
 * D2: the candidate of @st[0..@n) whose FUNC is written under its clone symbol's name, or
 * NULL (pahole master's btf_encoder__add_true_signature()). The flags it reads on each
 * candidate are those saved_functions_combine() leaves there: on the first, every
 * candidate's ORed; on the k-th, those of the first k + 1.
 */
static const struct fn_state *clone_candidate(const struct fn_state *st, size_t n)
{
	const unsigned int untrusted = FN_UNEXPECTED_REG | FN_UNCERTAIN_LOC;
	unsigned int all = 0, upto = 0;
	size_t k;

	for (k = 0; k < n; k++)
		all |= st[k].flags;
	for (k = 0; k < n; k++) {
		upto |= st[k].flags;
		if (st[k].clone_sym && !((k ? upto : all) & untrusted))
			return &st[k];
	}
	return NULL;
}

/*
 * What the name of candidates @st[0..@n) gets without true_signature, for -V: the reason
 * it is left out, or NULL with *@chosen the candidate whose prototype is written.
 */
static const char *without_true_sig(const struct merger *m, const struct symidx *s,
				    const struct encoder_config *cfg, struct fn_state *st,
				    size_t n, struct fn_state **chosen)
{
	unsigned int flags = 0;
	uint32_t g;

	*chosen = judge_master(m, st, n, &flags, 0);
	if (strmap__get(&s->func_groups, st->name, &g) && s->groups[g].ambiguous)
		flags |= FN_AMBIGUOUS;
	return func_select__drop_reason(flags, cfg);
}

/* D2: @clone's FUNC_PROTO, its FUNC named after its clone symbol, its own DECL_TAGs. */
static int add_clone(struct merger *m, const struct symidx *s, const struct encoder_config *cfg,
		     const char *path, struct fn_state *st, size_t n,
		     const struct fn_state *clone)
{
	const char *name = s->elf->syms[clone->clone_sym].name;
	struct fn_state *was;
	const char *why;
	int id;

	if (diag__enabled(cfg->diag, DIAG_INFO)) {
		why = without_true_sig(m, s, cfg, st, n, &was);
		diag__info(cfg->diag, "%s: function '%s' written as '%s', the clone at its "
			   "address, with that clone's prototype (true_signature; without it: "
			   "%s%s%s)", path, st->name, name, why ? "left out: " : "written as '",
			   why ? why : st->name, why ? "" : "'");
	}
	id = add_proto(m, clone, 0);
	if (id > 0)
		id = btf__add_func(m->btf, name, BTF_FUNC_STATIC, id);
	if (id < 0) {
		diag__err(cfg->diag, "%s: cannot encode function '%s': %s", path, name,
			  strerror(-id));
		return id;
	}
	return add_func_tags(m, cfg, clone, id, 0, 0);
}

/*
 * D3, D4 under -V: what true_signature changed for the name of @st[0..@n), written from
 * @first. For D4 the prototype without it is not at hand: what D4 did is said instead.
 */
static void report_true_sig(const struct merger *m, const struct symidx *s,
			    const struct encoder_config *cfg, const char *path,
			    struct fn_state *st, size_t n, const struct fn_state *first)
{
	unsigned int d4 = first->flags & (FN_TS_LEFT_OUT | FN_TS_MEMBER);
	struct fn_state *was;
	const char *why;

	if (!diag__enabled(cfg->diag, DIAG_INFO))
		return;
	why = without_true_sig(m, s, cfg, st, n, &was);
	if (d4)
		diag__info(cfg->diag, "%s: function '%s' written with the parameters it receives "
			   "(true_signature, clang's DW_CC_nocall: %s%s%s; without it: %s%s)", path,
			   st->name, d4 & FN_TS_LEFT_OUT ? "optimized-out ones left out" : "",
			   d4 == (FN_TS_LEFT_OUT | FN_TS_MEMBER) ? ", " : "",
			   d4 & FN_TS_MEMBER ? "an aggregate written as the member it passes" : "",
			   why ? "left out: " : "its declared prototype", why ? why : "");
	else if (why)
		diag__info(cfg->diag, "%s: function '%s' written (true_signature; without it: "
			   "left out: %s)", path, st->name, why);
	else if (!protos_match_master(m, was, first))
		diag__info(cfg->diag, "%s: function '%s' written with another definition's "
			   "prototype (true_signature: a .isra/.constprop clone's optimized-out "
			   "parameters no longer set it aside)", path, st->name);
}

int func_select__finish(struct merger *m, const struct symidx *s, const struct encoder_config *cfg,
			const char *path, size_t *emitted)
{
	size_t i = 0, j;
	int err = 0;

	*emitted = 0;
	if (m->nfstates > 1)	/* qsort() takes no NULL array, even of 0 elements */
		qsort(m->fstates, m->nfstates, sizeof(*m->fstates), state_cmp);
	while (i < m->nfstates) {
		/* @first: the candidate whose prototype and tags are written (B7, C4) */
		struct fn_state *head = &m->fstates[i], *first;
		const struct fn_state *clone;
		unsigned int flags = 0;
		const char *why;
		uint32_t g, kflags;
		int id, is_kfunc;

		for (j = i; j < m->nfstates && !strcmp(m->fstates[j].name, head->name); j++)
			;
		clone = true_sig(cfg) ? clone_candidate(head, j - i) : NULL;
		if (clone) {
			err = add_clone(m, s, cfg, path, head, j - i, clone);
			if (err)
				return err;
			(*emitted)++;
			i = j;
			continue;
		}
		first = cfg->compat_124 ? judge_131(m, head, j - i, &flags) :
					  judge_master(m, head, j - i, &flags, true_sig(cfg));
		if (strmap__get(&s->func_groups, head->name, &g) && s->groups[g].ambiguous)
			flags |= FN_AMBIGUOUS;
		why = func_select__drop_reason(flags, cfg);
		if (!why && true_sig(cfg))
			report_true_sig(m, s, cfg, path, head, j - i, first);
		if (why) {
			diag__info(cfg->diag, "%s: function '%s' left out: %s", path, head->name,
				   why);
			m->funcs_dropped++;
			i = j;
			continue;
		}
		kflags = 0;
		is_kfunc = cfg->decl_tag_kfuncs && strmap__get(&s->kfuncs, first->name, &kflags);
		id = add_proto(m, first, is_kfunc && cfg->attributes ? kflags : 0);
		if (id == -EINVAL && is_kfunc && cfg->attributes)
			diag__err(cfg->diag, "%s: arena kfunc '%s': a type its flags name is no "
				  "pointer", path, first->name);
		if (id > 0)
			id = btf__add_func(m->btf, first->name, BTF_FUNC_STATIC, id);
		if (id < 0) {
			if (id != -EINVAL || !is_kfunc || !cfg->attributes)
				diag__err(cfg->diag, "%s: cannot encode function '%s': %s", path,
					  first->name, strerror(-id));
			return id;
		}
		err = add_func_tags(m, cfg, first, id, is_kfunc, kflags);
		if (err)
			return err;
		(*emitted)++;
		i = j;
	}
	return 0;
}

void func_select__free_states(struct merger *m)
{
	size_t i;

	for (i = 0; i < m->nfstates; i++)
		free(m->fstates[i].name);
	free(m->fstates);
	for (i = 0; i < m->nftags; i++)
		free(m->ftags[i].value);
	free(m->ftags);
}
