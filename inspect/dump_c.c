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
#include <bpf/btf.h>

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

int dump__c(const struct btf *btf, uint32_t start_id, const char *guard, FILE *out)
{
	uint32_t id, count = btf__type_cnt(btf);
	struct c_out co = { .out = out };
	struct btf_dump *d;
	int err = 0;

	d = btf_dump__new(btf, print_filtered, &co, NULL);
	if (!d)
		return errno ? -errno : -ENOMEM;
	fprintf(out, "#ifndef %s\n#define %s\n\n", guard, guard);
	fprintf(out, "#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n"
		"#pragma clang attribute push (__attribute__((preserve_access_index)), "
		"apply_to = record)\n#endif\n\n");
	for (id = start_id ? start_id : 1; id < count && !err; id++)
		err = btf_dump__dump_type(d, id);
	if (co.open_paren)
		fputc('(', out);
	fprintf(out, "#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n#pragma clang attribute pop\n"
		"#endif\n\n#endif /* %s */\n", guard);
	btf_dump__free(d);
	if (err)
		return err;
	return fflush(out) || ferror(out) ? -EIO : 0;
}
