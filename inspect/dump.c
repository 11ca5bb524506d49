// SPDX-License-Identifier: GPL-2.0-only
/*
 * The canonical dump (format and contract in dump.h).
 *
 * All lines are built one after the other in one text buffer, each ending in
 * '\0'; then pointers to them are sorted with strcmp() (bytewise, as
 * unsigned char) and written out.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include <linux/btf.h>

#include "btf_reader/format.h"
#include "btf_reader/reader.h"
#include "inspect/dump.h"
#include "util/vec.h"

/* Nested inline expansions; valid BTF stays far below (see reader.h on loops). */
#define MAX_DEPTH	32
/* A line longer than this stops expanding: corrupted BTF could fan out exponentially. */
#define LINE_CAP	(1U << 20)
/*
 * So does the whole dump past 512 KiB + 1 KiB per type: a few hundred bytes of BTF
 * could otherwise fill every line to LINE_CAP (a fuzzer's 1 KiB made 6 MB). Real BTF
 * stays far below (Debian's 6.1 vmlinux: under 200 bytes of text per type).
 */
#define DUMP_BUDGET(ntypes)	((size_t)(512U << 10) + (size_t)(ntypes) * 1024U)

struct dumper {
	const struct btf *btf;
	uint32_t nr_types;	/* btf__type_cnt(): IDs below it resolve */
	char *buf;		/* all lines so far, each ending in '\0' */
	size_t len, cap;
	size_t line_start;	/* where the line being built starts in buf */
	size_t budget;		/* past this length nothing more is expanded */
	int err;
};

static void put(struct dumper *dp, const char *s, size_t n)
{
	if (dp->err)
		return;
	if (vec__reserve((void **)&dp->buf, &dp->cap, dp->len + n + 1, 1)) {
		dp->err = -ENOMEM;
		return;
	}
	memcpy(dp->buf + dp->len, s, n);
	dp->len += n;
}

static void put_str(struct dumper *dp, const char *s)
{
	put(dp, s, strlen(s));
}

__attribute__((format(printf, 2, 3)))
static void put_fmt(struct dumper *dp, const char *fmt, ...)
{
	char tmp[64];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	put(dp, tmp, n < (int)sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

/* A name or tag value; escaped so that a line stays one line. */
static void put_name(struct dumper *dp, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *run = p;

	for (; *p; p++) {
		if (*p >= 0x20 && *p != 0x7f && *p != '\\')
			continue;
		put(dp, (const char *)run, p - run);
		put_fmt(dp, "\\x%02x", *p);
		run = p + 1;
	}
	put(dp, (const char *)run, p - run);
}

static const struct btf_type *type_at(struct dumper *dp, uint32_t id)
{
	const struct btf_type *t = id < dp->nr_types ? btf__type_by_id(dp->btf, id) : NULL;

	if (!t && !dp->err)
		dp->err = -EINVAL;
	return t;
}

static const char *str_at(struct dumper *dp, uint32_t off)
{
	const char *s = btf__name_by_offset(dp->btf, off);

	if (!s && !dp->err)
		dp->err = -EINVAL;
	return s ? s : "";
}

struct kind_fmt;
static void describe(struct dumper *dp, const struct btf_type *t, int depth);
static const struct kind_fmt *fmt_of(const struct btf_type *t);
/* The kind's word in the format; "?" for an unknown kind. */
static const char *kind_word(const struct btf_type *t);

/* Whether a named type of this kind is referred to by kind and name only. */
static int by_name(unsigned int kind)
{
	switch (kind) {
	case BTF_KIND_PTR:
	case BTF_KIND_ARRAY:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_FUNC_PROTO:
	case BTF_KIND_DECL_TAG:
	case BTF_KIND_TYPE_TAG:
		return 0;
	default:
		return 1;
	}
}

/* The reference text of type @id (see dump.h). */
static void ref(struct dumper *dp, uint32_t id, int depth)
{
	const struct btf_type *t;
	const char *name;

	if (depth >= MAX_DEPTH || dp->len - dp->line_start > LINE_CAP || dp->len > dp->budget) {
		put_str(dp, "...");
		return;
	}
	if (!id) {
		put_str(dp, "void");
		return;
	}
	t = type_at(dp, id);
	if (!t)
		return;
	name = str_at(dp, t->name_off);
	if (*name && reader__unknown_kind(t, NULL)) {
		put_fmt(dp, "kind%u ", reader__kind(t));
		put_name(dp, name);
		return;
	}
	if (!*name || !by_name(btf_kind(t)) || !fmt_of(t)) {
		describe(dp, t, depth + 1);
		return;
	}
	if (btf_is_fwd(t))
		put_str(dp, btf_kflag(t) ? "fwd union " : "fwd struct ");
	else
		put_fmt(dp, "%s ", kind_word(t));
	put_name(dp, name);
}

/* "KIND NAME", or "KIND" for an anonymous type. */
static void put_head(struct dumper *dp, const struct btf_type *t)
{
	const char *name = str_at(dp, t->name_off);

	put_str(dp, kind_word(t));
	if (*name) {
		put_str(dp, " ");
		put_name(dp, name);
	}
}

static void desc_int(struct dumper *dp, const struct btf_type *t, int depth)
{
	static const char *const enc_words[] = { "signed", "char", "bool" };
	unsigned int enc = btf_int_encoding(t), i, n = 0;

	put_head(dp, t);
	put_fmt(dp, " size=%u bits=%u off=%u enc=", t->size, btf_int_bits(t), btf_int_offset(t));
	for (i = 0; i < 3; i++) {
		if (!(enc & (1U << i)))
			continue;
		put_fmt(dp, "%s%s", n++ ? "+" : "", enc_words[i]);
	}
	if (enc & ~7U)
		put_fmt(dp, "%s0x%x", n++ ? "+" : "", enc & ~7U);
	if (!n)
		put_str(dp, "none");
}

static void desc_float(struct dumper *dp, const struct btf_type *t, int depth)
{
	put_head(dp, t);
	put_fmt(dp, " size=%u", t->size);
}

static void desc_modifier(struct dumper *dp, const struct btf_type *t, int depth)
{
	put_fmt(dp, "%s(", kind_word(t));
	ref(dp, t->type, depth);
	put_str(dp, ")");
}

/* type_tag and decl_tag: "KIND(VALUE)->R" or "KIND(VALUE,attr)->R". */
static void put_tag(struct dumper *dp, const struct btf_type *t, int depth)
{
	put_fmt(dp, "%s(", kind_word(t));
	put_name(dp, str_at(dp, t->name_off));
	put_str(dp, btf_kflag(t) ? ",attr)->" : ")->");
	ref(dp, t->type, depth);
}

static void desc_type_tag(struct dumper *dp, const struct btf_type *t, int depth)
{
	put_tag(dp, t, depth);
}

static void desc_decl_tag(struct dumper *dp, const struct btf_type *t, int depth)
{
	put_tag(dp, t, depth);
	put_fmt(dp, " idx=%d", btf_decl_tag(t)->component_idx);
}

static void desc_array(struct dumper *dp, const struct btf_type *t, int depth)
{
	const struct btf_array *a = btf_array(t);

	put_str(dp, "array(");
	ref(dp, a->type, depth);
	put_fmt(dp, ",[%u],idx=", a->nelems);
	ref(dp, a->index_type, depth);
	put_str(dp, ")");
}

static void desc_composite(struct dumper *dp, const struct btf_type *t, int depth)
{
	const struct btf_member *m = btf_members(t);
	unsigned int i, n = btf_vlen(t), kflag = btf_kflag(t);

	put_head(dp, t);
	put_fmt(dp, " size=%u kflag=%u {", t->size, kflag);
	for (i = 0; i < n && !dp->err; i++) {
		uint32_t bits = kflag ? BTF_MEMBER_BITFIELD_SIZE(m[i].offset) : 0;

		if (i)
			put_str(dp, ", ");
		put_name(dp, str_at(dp, m[i].name_off));
		put_str(dp, ":");
		ref(dp, m[i].type, depth);
		put_fmt(dp, "@%u", kflag ? BTF_MEMBER_BIT_OFFSET(m[i].offset) : m[i].offset);
		if (bits)
			put_fmt(dp, ":%u", bits);
	}
	put_str(dp, "}");
}

static void put_enumerator(struct dumper *dp, unsigned int i, uint32_t name_off, uint64_t val,
			   int is_signed)
{
	if (i)
		put_str(dp, ", ");
	put_name(dp, str_at(dp, name_off));
	if (is_signed)
		put_fmt(dp, "=%lld", (long long)val);
	else
		put_fmt(dp, "=%llu", (unsigned long long)val);
}

static void desc_enum(struct dumper *dp, const struct btf_type *t, int depth)
{
	unsigned int i, n = btf_vlen(t), is_signed = btf_kflag(t);

	put_head(dp, t);
	put_fmt(dp, " size=%u %s {", t->size, is_signed ? "signed" : "unsigned");
	for (i = 0; i < n && !dp->err; i++) {
		if (btf_is_enum64(t)) {
			const struct btf_enum64 *e = btf_enum64(t) + i;

			put_enumerator(dp, i, e->name_off, btf_enum64_value(e), is_signed);
		} else {
			const struct btf_enum *e = btf_enum(t) + i;

			put_enumerator(dp, i, e->name_off,
				       is_signed ? (uint64_t)(int64_t)e->val : (uint32_t)e->val,
				       is_signed);
		}
	}
	put_str(dp, "}");
}

static void desc_fwd(struct dumper *dp, const struct btf_type *t, int depth)
{
	put_str(dp, btf_kflag(t) ? "fwd union " : "fwd struct ");
	put_name(dp, str_at(dp, t->name_off));
}

static void desc_typedef(struct dumper *dp, const struct btf_type *t, int depth)
{
	put_head(dp, t);
	put_str(dp, " = ");
	ref(dp, t->type, depth);
}

/* FUNC linkage is the vlen, VAR linkage in btf_var; both number static, global, extern. */
static void put_linkage(struct dumper *dp, unsigned int linkage)
{
	static const char *const words[] = { "static", "global", "extern" };

	if (linkage < 3)
		put_fmt(dp, " %s ", words[linkage]);
	else
		put_fmt(dp, " linkage=%u ", linkage);
}

static void desc_func(struct dumper *dp, const struct btf_type *t, int depth)
{
	put_head(dp, t);
	put_linkage(dp, btf_vlen(t));
	ref(dp, t->type, depth);
}

static void desc_var(struct dumper *dp, const struct btf_type *t, int depth)
{
	put_head(dp, t);
	put_linkage(dp, btf_var(t)->linkage);
	ref(dp, t->type, depth);
}

static void desc_proto(struct dumper *dp, const struct btf_type *t, int depth)
{
	const struct btf_param *p = btf_params(t);
	unsigned int i, n = btf_vlen(t);

	put_str(dp, "proto(");
	ref(dp, t->type, depth);
	put_str(dp, ";");
	for (i = 0; i < n && !dp->err; i++) {
		const char *name = str_at(dp, p[i].name_off);

		put_str(dp, i ? ", " : " ");
		if (!p[i].type && !*name && i + 1 == n) {
			put_str(dp, "...");
			break;
		}
		if (*name) {
			put_name(dp, name);
			put_str(dp, ": ");
		}
		ref(dp, p[i].type, depth);
	}
	put_str(dp, ")");
}

static void desc_datasec(struct dumper *dp, const struct btf_type *t, int depth)
{
	const struct btf_var_secinfo *v = btf_var_secinfos(t);
	unsigned int i, n = btf_vlen(t);

	put_head(dp, t);
	put_fmt(dp, " size=%u {", t->size);
	for (i = 0; i < n && !dp->err; i++) {
		const struct btf_type *vt = v[i].type ? type_at(dp, v[i].type) : NULL;

		if (i)
			put_str(dp, ", ");
		if (vt && btf_is_var(vt))
			put_name(dp, str_at(dp, vt->name_off));
		else
			ref(dp, v[i].type, depth);
		put_fmt(dp, "@%u+%u", v[i].offset, v[i].size);
	}
	put_str(dp, "}");
}

struct kind_fmt {
	const char *word;
	void (*describe)(struct dumper *dp, const struct btf_type *t, int depth);
};

static const struct kind_fmt kind_fmts[] = {
	[BTF_KIND_INT]		= { "int",	desc_int },
	[BTF_KIND_PTR]		= { "ptr",	desc_modifier },
	[BTF_KIND_ARRAY]	= { "array",	desc_array },
	[BTF_KIND_STRUCT]	= { "struct",	desc_composite },
	[BTF_KIND_UNION]	= { "union",	desc_composite },
	[BTF_KIND_ENUM]		= { "enum",	desc_enum },
	[BTF_KIND_FWD]		= { "fwd",	desc_fwd },
	[BTF_KIND_TYPEDEF]	= { "typedef",	desc_typedef },
	[BTF_KIND_VOLATILE]	= { "volatile",	desc_modifier },
	[BTF_KIND_CONST]	= { "const",	desc_modifier },
	[BTF_KIND_RESTRICT]	= { "restrict",	desc_modifier },
	[BTF_KIND_FUNC]		= { "func",	desc_func },
	[BTF_KIND_FUNC_PROTO]	= { "proto",	desc_proto },
	[BTF_KIND_VAR]		= { "var",	desc_var },
	[BTF_KIND_DATASEC]	= { "datasec",	desc_datasec },
	[BTF_KIND_FLOAT]	= { "float",	desc_float },
	[BTF_KIND_DECL_TAG]	= { "decl_tag",	desc_decl_tag },
	[BTF_KIND_TYPE_TAG]	= { "type_tag",	desc_type_tag },
	[BTF_KIND_ENUM64]	= { "enum64",	desc_enum },
};

static const struct kind_fmt *fmt_of(const struct btf_type *t)
{
	unsigned int kind = btf_kind(t);

	if (kind >= sizeof(kind_fmts) / sizeof(kind_fmts[0]) || !kind_fmts[kind].word)
		return NULL;
	return &kind_fmts[kind];
}

static const char *kind_word(const struct btf_type *t)
{
	const struct kind_fmt *f = fmt_of(t);

	return f ? f->word : "?";
}

/* A record of a kind btfenc does not know: what its struct btf_type says of it. */
static void desc_unknown(struct dumper *dp, const struct btf_type *t, uint32_t info)
{
	const char *name = str_at(dp, t->name_off);

	put_fmt(dp, "kind%u", INFO_KIND(info));
	if (*name) {
		put_str(dp, " ");
		put_name(dp, name);
	}
	put_fmt(dp, " vlen=%u kflag=%u", INFO_VLEN(info), INFO_KFLAG(info));
}

static void describe(struct dumper *dp, const struct btf_type *t, int depth)
{
	const struct kind_fmt *f = fmt_of(t);
	uint32_t info;

	if (reader__unknown_kind(t, &info)) {
		desc_unknown(dp, t, info);
		return;
	}

	if (!f) {
		if (!dp->err)
			dp->err = -EINVAL;
		return;
	}
	f->describe(dp, t, depth);
}

static int cmp_lines(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int dump__canonical(const struct btf *btf, uint32_t start_id, FILE *out)
{
	struct dumper dp = { .btf = btf, .nr_types = btf__type_cnt(btf),
			     .budget = DUMP_BUDGET(btf__type_cnt(btf)) };
	size_t *starts = NULL, nlines = 0, starts_cap = 0, i;
	const struct btf_type *t;
	char **lines = NULL;
	uint32_t id;
	int err;

	for (id = start_id ? start_id : 1; id < dp.nr_types && !dp.err; id++) {
		if (vec__push_slot(&starts, &starts_cap, nlines)) {
			dp.err = -ENOMEM;
			break;
		}
		starts[nlines++] = dp.line_start = dp.len;
		t = type_at(&dp, id);
		if (t)
			describe(&dp, t, 0);
		put(&dp, "", 1);
	}
	err = dp.err;
	if (!err && nlines && !(lines = malloc(nlines * sizeof(*lines))))
		err = -ENOMEM;
	if (!err) {
		for (i = 0; i < nlines; i++)
			lines[i] = dp.buf + starts[i];
		if (nlines)
			qsort(lines, nlines, sizeof(*lines), cmp_lines);
		for (i = 0; i < nlines; i++) {
			fputs(lines[i], out);
			fputc('\n', out);
		}
		if (fflush(out) || ferror(out))
			err = -EIO;
	}
	free(lines);
	free(starts);
	free(dp.buf);
	return err;
}

int dump__type_text(const struct btf *btf, uint32_t id, char **text)
{
	struct dumper dp = { .btf = btf, .nr_types = btf__type_cnt(btf),
			     .budget = DUMP_BUDGET(btf__type_cnt(btf)) };
	const struct btf_type *t = type_at(&dp, id);

	if (t)
		describe(&dp, t, 0);
	put(&dp, "", 1);
	if (dp.err) {
		free(dp.buf);
		return dp.err;
	}
	*text = dp.buf;
	return 0;
}
