// SPDX-License-Identifier: GPL-2.0-only
/*
 * The C header dump (contract in dump.h): libbpf's btf_dump, framed as
 * bpftool frames vmlinux.h.
 *
 * Order: btf_dump__dump_type() emits, before a type, every type it needs
 * by value and a forward declaration of every one it reaches through a
 * pointer, and remembers what it has emitted; so asking for each type of
 * the top layer in ID order gives a header in which each definition comes
 * after what it needs, whatever the IDs' order.
 *
 * libbpf 1.1.2 writes a prototype without parameters as "()" (fixed in
 * 1.5.0, commit 205e86de): C without a prototype, which -Wstrict-prototypes
 * flags. The output passes through a filter that writes "(void)" instead:
 * btf_dump writes "()" nowhere else (names cannot hold parentheses and its
 * attributes are "((...))"), and the filter holds back one '(' to see what
 * follows it, across btf_dump's separate printf calls.
 *
 * A TYPE_TAG with kind_flag 1 carries the body of an __attribute__ (pahole's
 * "attributes", libbpf 1.6's btf__add_type_attr(); libbpf commit 2b8b896b),
 * which libbpf 1.1.2's btf_dump writes as btf_type_tag("...") all the same.
 * So btf_dump gets a copy of the BTF in which each such tag's name is its
 * text behind a mark byte that tag strings do not hold, and the filter
 * writes a marked tag as __attribute__((TEXT)) (as libbpf 1.6 does).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>

#include "btf_reader/format.h"
#include "btf_reader/reader.h"
#include "btf_reader/typeref.h"
#include "inspect/dump.h"

struct c_out {
	FILE *out;
	int open_paren;		/* a '(' held back */
};

/* What btf_dump prints a TYPE_TAG with: libbpf 1.1.2's format, and 1.6's for kind_flag 1. */
static const char *const tag_formats[] = {
	" __attribute__((btf_type_tag(\"%s\")))", " __attribute__((%s))",
};

#define ATTR_MARK	'\x01'

/* A marked tag's text (see above), or NULL when @fmt and @args print something else. */
static const char *marked_attr(const char *fmt, va_list args)
{
	const char *text;
	va_list copy;

	if (strcmp(fmt, tag_formats[0]) && strcmp(fmt, tag_formats[1]))
		return NULL;
	va_copy(copy, args);
	text = va_arg(copy, const char *);
	va_end(copy);
	return text && text[0] == ATTR_MARK ? text + 1 : NULL;
}

static void filter(struct c_out *co, const char *text)
{
	const char *p;

	for (p = text; *p; p++) {
		if (co->open_paren) {
			co->open_paren = 0;
			fputs(*p == ')' ? "(void" : "(", co->out);
		}
		if (*p == '(')
			co->open_paren = 1;
		else
			fputc(*p, co->out);
	}
}

static void print_filtered(void *ctx, const char *fmt, va_list args)
{
	const char *attr = marked_attr(fmt, args);
	struct c_out *co = ctx;
	char stack_buf[256], *text = stack_buf;
	va_list copy;
	int n;

	if (attr) {
		filter(co, " __attribute__((");
		filter(co, attr);
		filter(co, "))");
		return;
	}
	va_copy(copy, args);
	n = vsnprintf(stack_buf, sizeof(stack_buf), fmt, copy);
	va_end(copy);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(stack_buf)) {
		text = malloc((size_t)n + 1);
		if (!text) {
			vfprintf(co->out, fmt, args);	/* unfiltered beats nothing */
			return;
		}
		vsnprintf(text, (size_t)n + 1, fmt, args);
	}
	filter(co, text);
	if (text != stack_buf)
		free(text);
}

/*
 * The copy of @btf that btf_dump gets when it holds a TYPE_TAG with
 * kind_flag 1 (see above); NULL with errno 0 when it holds none, NULL with
 * errno set on failure.
 */
static struct btf *mark_attributes(const struct btf *btf)
{
	uint32_t id, count = btf__type_cnt(btf), size;
	struct btf *copy = NULL;
	const void *raw;
	char *marked;
	int off;

	for (id = 1; id < count; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const char *text = btf__name_by_offset(btf, t->name_off);

		if (!btf_is_type_tag(t) || !btf_kflag(t))
			continue;
		if (!copy) {
			raw = btf__raw_data(btf, &size);
			copy = raw ? btf__new(raw, size) : NULL;
			if (!copy)
				return NULL;
		}
		marked = malloc(strlen(text) + 2);
		if (!marked) {
			btf__free(copy);
			errno = ENOMEM;
			return NULL;
		}
		marked[0] = ATTR_MARK;
		strcpy(marked + 1, text);
		off = btf__add_str(copy, marked);
		free(marked);
		if (off < 0) {
			btf__free(copy);
			errno = -off;
			return NULL;
		}
		/* btf__add_str() made the copy's types its own, and writable. */
		((struct btf_type *)btf__type_by_id(copy, id))->name_off = (uint32_t)off;
	}
	errno = 0;
	return copy;
}

/* Marks what reaches a stand-in (see needs_unknown()). */
struct reach {
	const struct btf *btf;
	uint8_t *marked;
	int changed;
};

static int reaches_marked(uint32_t *id, void *ctx)
{
	return ((struct reach *)ctx)->marked[*id];
}

/*
 * Types whose C text would need one of a kind btfenc does not know (a
 * stand-in, reader.h), which btf_dump cannot spell: the stand-ins, and
 * every type that refers to a marked one other than through a pointer to a
 * struct or union (btf_dump only forward-declares those). A fixpoint over
 * the IDs, run only when there is a stand-in. NULL when there is none
 * (or on ENOMEM, when the stand-ins alone are left out).
 */
static uint8_t *needs_unknown(const struct btf *btf)
{
	uint32_t id, count = btf__type_cnt(btf);
	struct reach r = { .btf = btf };
	int any = 0;

	for (id = 1; id < count && !any; id++)
		any = reader__unknown_kind(btf__type_by_id(btf, id), NULL) != 0;
	if (!any || !(r.marked = calloc(count, 1)))
		return NULL;
	for (id = 1; id < count; id++)
		r.marked[id] = reader__unknown_kind(btf__type_by_id(btf, id), NULL) != 0;
	do {
		r.changed = 0;
		for (id = 1; id < count; id++) {
			struct btf_type *t = (struct btf_type *)btf__type_by_id(btf, id);
			const struct btf_type *to;

			if (r.marked[id])
				continue;
			to = btf_is_ptr(t) ? btf__type_by_id(btf, t->type) : NULL;
			if (to && (btf_is_composite(to) || btf_is_fwd(to)))
				continue;
			/* typeref only reads here: @t is libbpf's, not ours to write. */
			if (typeref__for_each(t, reaches_marked, &r)) {
				r.marked[id] = 1;
				r.changed = 1;
			}
		}
	} while (r.changed);
	return r.marked;
}

/* The comment that stands for type @id, left out of the header. */
static void left_out(const struct btf *btf, uint32_t id, struct c_out *co)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	const char *name = btf__name_by_offset(btf, t->name_off);
	unsigned int kind = reader__unknown_kind(t, NULL);
	/* A name is any string there: it goes into the comment only when it is tame. */
	int named = name && *name && !strstr(name, "*/");

	if (co->open_paren) {
		fputc('(', co->out);
		co->open_paren = 0;
	}
	if (kind)
		fprintf(co->out, "/* type ID %u: %s%s%s%s, which btfenc does not know: left out */"
			"\n\n", id, format__kind_number(kind), named ? " '" : "",
			named ? name : "", named ? "'" : "");
	else
		fprintf(co->out, "/* type ID %u: %s%s%s needs a kind btfenc does not know: left "
			"out */\n\n", id, dump__kind_name(btf_kind(t)), named ? " " : "",
			named ? name : "");
}

int dump__c(const struct btf *btf, uint32_t start_id, const char *guard, FILE *out)
{
	uint32_t id, count = btf__type_cnt(btf);
	struct c_out co = { .out = out };
	struct btf *attrs = mark_attributes(btf);
	struct btf_dump *d;
	uint8_t *unknown;
	int err = 0;

	if (!attrs && errno)
		return -errno;
	d = btf_dump__new(attrs ? attrs : btf, print_filtered, &co, NULL);
	if (!d) {
		err = errno ? -errno : -ENOMEM;
		btf__free(attrs);
		return err;
	}
	unknown = needs_unknown(btf);
	fprintf(out, "#ifndef %s\n#define %s\n\n", guard, guard);
	fprintf(out, "#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n"
		"#pragma clang attribute push (__attribute__((preserve_access_index)), "
		"apply_to = record)\n#endif\n\n");
	for (id = start_id ? start_id : 1; id < count && !err; id++) {
		if ((unknown && unknown[id]) || reader__unknown_kind(btf__type_by_id(btf, id), NULL))
			left_out(btf, id, &co);
		else
			err = btf_dump__dump_type(d, id);
	}
	if (co.open_paren)
		fputc('(', out);
	fprintf(out, "#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n#pragma clang attribute pop\n"
		"#endif\n\n#endif /* %s */\n", guard);
	free(unknown);
	btf_dump__free(d);
	btf__free(attrs);
	if (err)
		return err;
	return fflush(out) || ferror(out) ? -EIO : 0;
}
