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
 * 1.5.0, REFERENCE §5): C without a prototype, which -Wstrict-prototypes
 * flags. The output passes through a filter that writes "(void)" instead:
 * btf_dump writes "()" nowhere else (names cannot hold parentheses and its
 * attributes are "((...))"), and the filter holds back one '(' to see what
 * follows it, across btf_dump's separate printf calls.
 */
#include <errno.h>
#include <stdarg.h>
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

static void print_filtered(void *ctx, const char *fmt, va_list args)
{
	struct c_out *co = ctx;
	char stack_buf[256], *text = stack_buf, *p;
	va_list copy;
	int n;

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
	if (text != stack_buf)
		free(text);
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
	struct btf_dump *d;
	uint8_t *unknown;
	int err = 0;

	d = btf_dump__new(btf, print_filtered, &co, NULL);
	if (!d)
		return errno ? -errno : -ENOMEM;
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
	if (err)
		return err;
	return fflush(out) || ferror(out) ? -EIO : 0;
}
