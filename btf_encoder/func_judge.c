// SPDX-License-Identifier: GPL-2.0-only
/*
 * func_judge: how the candidates of one name are judged after the last chunk
 * (func_select.h B6, B7, C3-C6, D2, D3): why a name gets no FUNC, the prototype
 * comparisons of pahole 1.26 to 1.31 and of pahole master, the canonical
 * candidate, and the clone candidate of true_signature. func_select.c's
 * func_select__finish() asks these and writes what they chose. Merging thread only.
 */
#include <stdio.h>
#include <string.h>
#include <bpf/btf.h>

#include "func_judge.h"
#include "merge.h"

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
static void type_sig(const struct merger *m, uint32_t id, char *buf, size_t len, int depth)
{
	const struct btf_type *t;
	const char *name;
	size_t n;

	buf[0] = 0;
	while (id && depth < 8) {
		t = merger__type_by_id(m, id);
		if (!t)
			return;
		if (btf_is_const(t) || btf_is_volatile(t) || btf_is_restrict(t) ||
		    btf_is_type_tag(t)) {
			id = t->type;
			continue;
		}
		name = merger__name_by_offset(m, t->name_off);
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
static int types_match(const struct merger *m, uint32_t a, uint32_t b)
{
	char sa[256], sb[256];

	if (a == b)
		return 1;
	type_sig(m, a, sa, sizeof(sa), 0);
	type_sig(m, b, sb, sizeof(sb), 0);
	return !strcmp(sa, sb);
}

static int protos_match(const struct merger *m, const struct fn_state *a,
			const struct fn_state *b)
{
	uint32_t i;

	if (a->nparams != b->nparams || !types_match(m, a->ret, b->ret))
		return 0;
	for (i = 0; i < a->nparams; i++)
		if (!types_match(m, m->fparams[a->params + i].type,
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

static int names_match(const struct merger *m, const struct btf_type *a,
		       const struct btf_type *b)
{
	return a->name_off == b->name_off ||
	       !strcmp(merger__name_by_offset(m, a->name_off),
		       merger__name_by_offset(m, b->name_off));
}

/*
 * C5: pahole master's types__match(): names for named kinds, sizes and encodings for
 * numbers, element counts for arrays, then what they refer to; a const on one side
 * only is skipped. The same ID is the same type (it is: the chunks' dedup merged
 * only equal types).
 */
static int types_match_master(const struct merger *m, uint32_t a, uint32_t b, int depth)
{
	while (depth < 64) {
		const struct btf_type *ta, *tb;
		int ka, kb;

		if (a == b)
			return 1;
		if (!a || !b)
			return 0;
		ta = merger__type_by_id(m, a);
		tb = merger__type_by_id(m, b);
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
			       *(const uint32_t *)(tb + 1) && names_match(m, ta, tb);
		case BTF_KIND_FLOAT:
			return ta->size == tb->size && names_match(m, ta, tb);
		case BTF_KIND_TYPEDEF:
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
		case BTF_KIND_ENUM:
		case BTF_KIND_ENUM64:
			return names_match(m, ta, tb);
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

			if (n != btf_vlen(tb) ||
			    !types_match_master(m, ta->type, tb->type, depth + 1))
				return 0;
			for (i = 0; i < n; i++)
				if (!types_match_master(m, pa[i].type, pb[i].type, depth + 1))
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
int func_judge__protos_match(const struct merger *m, const struct fn_state *a,
			       const struct fn_state *b)
{
	uint32_t i;

	if (a->nparams != b->nparams || !types_match_master(m, a->ret, b->ret, 0))
		return 0;
	for (i = 0; i < a->nparams; i++)
		if (!types_match_master(m, m->fparams[a->params + i].type,
				 m->fparams[b->params + i].type, 0))
			return 0;
	return 1;
}

/* B6: the flags of the name of candidates @st[0..@n), all ORed; the first one's prototype. */
struct fn_state *func_judge__131(const struct merger *m, struct fn_state *st, size_t n,
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
struct fn_state *func_judge__master(const struct merger *m, struct fn_state *st, size_t n,
				     unsigned int *flags, int true_sig)
{
	const unsigned int shared = FN_UNEXPECTED_REG | FN_UNCERTAIN_LOC | FN_REORDERED;
	struct fn_state *chosen;
	size_t k;

	*flags = st->flags & shared;
	for (k = 1; k < n; k++) {
		*flags |= st[k].flags & shared;
		if (!(*flags & (FN_UNEXPECTED_REG | FN_INCONSISTENT | FN_REORDERED)) &&
		    !func_judge__protos_match(m, st, &st[k]))
			*flags |= FN_INCONSISTENT;
	}
	chosen = canonical(st, n, true_sig);
	if (optimized_abi(chosen, true_sig))
		*flags |= FN_OPTIMIZED_ABI;
	return chosen;
}

/*
 * D2: the candidate of @st[0..@n) whose FUNC is written under its clone symbol's name, or
 * NULL (pahole master's btf_encoder__add_true_signature()). The flags it reads on each
 * candidate are those saved_functions_combine() leaves there: on the first, every
 * candidate's ORed; on the k-th, those of the first k + 1.
 */
const struct fn_state *func_judge__clone(const struct fn_state *st, size_t n)
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
