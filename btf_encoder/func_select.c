// SPDX-License-Identifier: GPL-2.0-only
/*
 * func_select: which subprograms become FUNCs. func_select.h lists every rule
 * (pahole 1.24's A*, pahole 1.26+'s B*, pahole master's C*, true_signature's D*)
 * and where each is applied. This file: which functions of a unit are
 * candidates, and after the last chunk what is written for each name (the FUNC,
 * its FUNC_PROTO, its DECL_TAGs). func_table.c builds the ELF tables the rules
 * read, func_params.c computes a candidate's flags, func_judge.c judges the
 * candidates of a name.
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
#include "func_judge.h"
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

/* ---- after the last chunk: the FUNCs written (B5, B8-B10, D2) ------------------- */

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
	const struct btf_type *ptr = merger__type_by_id(m, *type);
	int id;

	if (!ptr || !btf_is_ptr(ptr))
		return -EINVAL;
	id = merger__add_type_tag(m, ARENA_ATTR, (int)ptr->type);
	if (id < 0)
		return id;
	/* kind_flag: libbpf 1.1.2 has no btf__add_type_attr() */
	merger__last(m)->info |= 1u << 31;
	id = merger__add_ptr(m, id);
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
	id = merger__add_func_proto(m, (int)ret);
	for (i = 0; id > 0 && i < st->nparams; i++) {
		const struct fn_param *p = &m->fparams[st->params + i];

		err = merger__add_func_param(m, m->fname_pool + p->name,
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
			err = merger__add_decl_tag(m, "bpf_kfunc", id, -1);
			if (err >= 0 && (kflags & KF_FASTCALL))
				err = merger__add_decl_tag(m, "bpf_fastcall", id, -1);
			err = err < 0 ? err : 0;
		} else if (pass != own_first) {
			for (k = 0; k < st->ntags && !err; k++) {
				const struct fn_tag *t = &m->ftags[st->tags + k];

				err = merger__add_decl_tag(m, t->value, id, t->component);
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

/* Whether the true_signature rules (D1-D4) apply. */
static int true_sig(const struct encoder_config *cfg)
{
	return cfg->true_signature && !cfg->compat_124;
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

	*chosen = func_judge__master(m, st, n, &flags, 0);
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
		id = merger__add_func(m, name, BTF_FUNC_STATIC, id);
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
	else if (!func_judge__protos_match(m, was, first))
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
		clone = true_sig(cfg) ? func_judge__clone(head, j - i) : NULL;
		if (clone) {
			err = add_clone(m, s, cfg, path, head, j - i, clone);
			if (err)
				return err;
			(*emitted)++;
			i = j;
			continue;
		}
		first = cfg->compat_124 ? func_judge__131(m, head, j - i, &flags) :
					  func_judge__master(m, head, j - i, &flags, true_sig(cfg));
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
			id = merger__add_func(m, first->name, BTF_FUNC_STATIC, id);
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
