// SPDX-License-Identifier: GPL-2.0-only
/*
 * C declarators from BTF (contract in ctype.h).
 *
 * The declarator is built from the name outwards, the way C reads it: a
 * pointer prepends '*', an array appends "[N]", a prototype appends its
 * parameter list, and an array or prototype around a pointer first wraps
 * what is there in parentheses ("*fn" -> "(*fn)(int)"). A qualifier of a
 * pointer goes after its '*' ("* const p"), one of a base type before the
 * base ("const char *"). The walk ends at a base type (void, a named or
 * anonymous type), whose spelling goes first.
 *
 * A prototype's parameters are declarators of their own, so the walk
 * recurses there. The kernel accepts BTF in which a parameter or the return
 * type reaches its own prototype again (through a pointer), which C cannot
 * spell: such a prototype, met again in its parameters, is written "(...)"
 * ("int (*)(int (*p)(...))"), and met again in its own return type ends the
 * walk there ("... (*(int p))(...)"). The depth is counted across the
 * recursion, and all of one declaration's walk shares a budget of WALK_STEPS
 * types, so that prototypes whose parameters fan out cannot make the walk
 * exponential; the text ends in "..." where either runs out.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/btf.h>
#include <linux/btf.h>

#include "btf_reader/reader.h"
#include "inspect/ctype.h"

#define MAX_DEPTH	32
#define WALK_STEPS	1024

/* One ctype__decl() call's walk, across its recursion into parameters. */
struct walk {
	uint32_t protos[MAX_DEPTH];	/* the prototypes being spelled, outermost first */
	int nprotos;
	unsigned int steps;		/* types left to visit */
};

/* The declarator being built, in the caller's buffer. */
struct declarator {
	char *s;
	size_t len, cap;	/* cap: bytes available, '\0' excluded */
	size_t name_pos;	/* where the name starts */
	size_t base_len;	/* the base type and its space, once put */
	int full;		/* text was cut */
};

static void prepend(struct declarator *d, const char *s)
{
	size_t n = strlen(s);

	if (d->len + n > d->cap) {
		d->full = 1;
		return;
	}
	memmove(d->s + n, d->s, d->len + 1);
	memcpy(d->s, s, n);
	d->len += n;
	d->name_pos += n;
}

static void append(struct declarator *d, const char *s)
{
	size_t n = strlen(s);

	if (d->len + n > d->cap) {
		n = d->cap - d->len;
		d->full = 1;
	}
	memcpy(d->s + d->len, s, n);
	d->len += n;
	d->s[d->len] = '\0';
}

static void wrap_pointer(struct declarator *d)
{
	if (d->len && d->s[0] == '*') {
		prepend(d, "(");
		append(d, ")");
	}
}

/* Whether the modifiers from @id on lead to a pointer, array or prototype. */
static int qualifies_declarator(const struct btf *btf, uint32_t id, int depth)
{
	const struct btf_type *t;

	for (; depth < MAX_DEPTH; depth++) {
		t = id ? btf__type_by_id(btf, id) : NULL;
		if (!t)
			return 0;
		if (btf_is_ptr(t) || btf_is_array(t) || btf_is_func_proto(t))
			return 1;
		if (!btf_is_mod(t) && !btf_is_type_tag(t))
			return 0;
		id = t->type;
	}
	return 0;
}

static int decl_at(const struct btf *btf, uint32_t id, const char *name, char *buf, size_t len,
		   size_t *name_col, int depth, struct walk *w);

/* Where prototype @id is in the ones being spelled, or -1. */
static int proto_open(const struct walk *w, uint32_t id)
{
	int i;

	for (i = 0; i < w->nprotos; i++)
		if (w->protos[i] == id)
			return i;
	return -1;
}

static int append_params(const struct btf *btf, const struct btf_type *t,
			 struct declarator *d, int depth, struct walk *w)
{
	const struct btf_param *p = btf_params(t);
	unsigned int i, n = btf_vlen(t);
	char param[256];
	int err = 0;

	append(d, "(");
	if (!n)
		append(d, "void");
	for (i = 0; i < n && !d->full; i++) {
		if (i)
			append(d, ", ");
		if (!p[i].type && i + 1 == n) {
			append(d, "...");
			break;
		}
		err |= decl_at(btf, p[i].type, btf__name_by_offset(btf, p[i].name_off),
			       param, sizeof(param), NULL, depth, w);
		append(d, param);
	}
	append(d, ")");
	return err;
}

static const char *base_word(const struct btf_type *t)
{
	switch (btf_kind(t)) {
	case BTF_KIND_STRUCT:
		return "struct ";
	case BTF_KIND_UNION:
		return "union ";
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		return "enum ";
	case BTF_KIND_FWD:
		return btf_kflag(t) ? "union " : "struct ";
	default:
		return "";
	}
}

/* Puts the base type @t (NULL: void) and the qualifiers @quals in front. */
static void put_base(const struct btf *btf, const struct btf_type *t, const char *quals,
		     struct declarator *d)
{
	const char *name = t ? btf__name_by_offset(btf, t->name_off) : "void";
	size_t before = d->len;
	char base[256];

	if (d->len && d->s[0] != '[')
		prepend(d, " ");
	if (t && reader__unknown_kind(t, NULL))	/* no C for it: as the canonical dump has it */
		snprintf(base, sizeof(base), "%skind%u %s", quals, reader__kind(t),
			 name && *name ? name : "{...}");
	else if (t && (!name || !*name))
		snprintf(base, sizeof(base), "%s%s{...}", quals, base_word(t));
	else
		snprintf(base, sizeof(base), "%s%s%s", quals, t ? base_word(t) : "", name);
	prepend(d, base);
	d->base_len = d->len - before;
}

/* ctype__decl(), @depth types deep already (in the prototypes around it). */
static int decl_at(const struct btf *btf, uint32_t id, const char *name, char *buf, size_t len,
		   size_t *name_col, int depth, struct walk *w)
{
	struct declarator d = { .s = buf, .cap = len - 1 };
	uint32_t count = btf__type_cnt(btf);
	const struct btf_type *t = NULL;
	char quals[64] = "", tmp[32];
	int own = w->nprotos, open, err = 0;
	int ended = 0;		/* at a base type, or at an ID that does not resolve */

	buf[0] = '\0';
	append(&d, name ? name : "");
	for (; depth < MAX_DEPTH && w->steps && !d.full; depth++) {
		w->steps--;
		t = id && id < count ? btf__type_by_id(btf, id) : NULL;
		if (id && !t) {
			err = -EINVAL;
			prepend(&d, d.len ? "? " : "?");
			ended = 1;
			break;
		}
		if (!t || !(btf_is_ptr(t) || btf_is_mod(t) || btf_is_type_tag(t) ||
			    btf_is_array(t) || btf_is_func_proto(t))) {
			put_base(btf, t, quals, &d);
			ended = 1;
			break;
		}
		if (btf_is_ptr(t)) {
			prepend(&d, "*");
		} else if (btf_is_array(t)) {
			wrap_pointer(&d);
			snprintf(tmp, sizeof(tmp), "[%u]", btf_array(t)->nelems);
			append(&d, tmp);
			id = btf_array(t)->type;
			continue;
		} else if (btf_is_func_proto(t)) {
			wrap_pointer(&d);
			open = proto_open(w, id);
			if (open >= own || (open < 0 && w->nprotos == MAX_DEPTH)) {
				/* Its own return type: the walk would not end. */
				append(&d, "(...)");
				prepend(&d, d.len ? "... " : "...");
				ended = 1;
				break;
			}
			if (open >= 0) {
				append(&d, "(...)");	/* a parameter of itself */
			} else {
				w->protos[w->nprotos++] = id;
				err |= append_params(btf, t, &d, depth + 1, w);
			}
		} else if (btf_is_type_tag(t)) {
			/* Left out; libbpf's btf_is_mod() counts it among the qualifiers. */
		} else if (btf_is_mod(t)) {
			const char *word = btf_is_const(t) ? "const" :
					   btf_is_volatile(t) ? "volatile" : "restrict";

			if (qualifies_declarator(btf, t->type, depth + 1)) {
				prepend(&d, d.len ? " " : "");
				prepend(&d, word);
			} else if (strlen(quals) + strlen(word) + 2 < sizeof(quals)) {
				strcat(quals, word);
				strcat(quals, " ");
			}
		}
		id = t->type;
	}
	w->nprotos = own;
	if (!ended || d.full) {
		d.len = d.len > d.cap - 3 ? d.cap - 3 : d.len;
		d.s[d.len] = '\0';
		append(&d, "...");
	}
	if (d.name_pos > d.len)
		d.name_pos = d.len;
	/* pahole's type column takes the '*'s and qualifiers before a plain name. */
	if (name_col && memchr(d.s + d.base_len, '(', d.name_pos - d.base_len)) {
		/* "struct page *|(*fn)(void)": a returned pointer's '*' stays with the type. */
		*name_col = d.base_len;
		while (d.s[*name_col] == '*')
			(*name_col)++;
	} else if (name_col) {
		*name_col = d.name_pos;
	}
	return err ? -EINVAL : 0;
}

int ctype__decl(const struct btf *btf, uint32_t id, const char *name, char *buf, size_t len,
		size_t *name_col)
{
	struct walk w = { .steps = WALK_STEPS };

	return decl_at(btf, id, name, buf, len, name_col, 0, &w);
}
