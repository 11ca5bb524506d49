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

/* Why a type is left out of the header. */
#define LEFT_UNKNOWN	1	/* it is, or needs, a kind btfenc does not know */
#define LEFT_CYCLE	2	/* it reaches a loop btf_dump cannot take */
#define LEFT_LAYOUT	3	/* it is, or holds, a struct btf_dump cannot lay out */

/* From this size on btf_dump's bit offsets overflow an int (see unlayable()). */
#define LAYOUT_MAX_BYTES	(1U << 28)
/*
 * The padding btf_dump may write for all structs of a header of @btf_bytes of
 * BTF (a line per 8 bytes of a gap), in bytes: past it the header would grow
 * with the sizes a file claims rather than with the file. Real kernels stay
 * far below (Linux 6.18's vmlinux: 5.4 MB of BTF, 12 KiB of padding in
 * struct bpf_ringbuf, three times that with 64 KiB pages).
 */
#define LAYOUT_PAD_BUDGET(btf_bytes)	((512ULL << 10) + 64ULL * (btf_bytes))

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

/* Marks what reaches a type left out (see mark_left()). */
struct reach {
	const struct btf *btf;
	uint8_t *marked;
	uint8_t why;		/* the reason of the last marked type reached */
	int changed;
};

static int reaches_marked(uint32_t *id, void *ctx)
{
	struct reach *r = ctx;

	r->why = r->marked[*id];
	return r->why;
}

/*
 * The bits of padding btf_dump_emit_struct_def() writes for @t: the gaps
 * between one member's end and the next one's offset, and for a struct the
 * one after the last member, counted as it counts them (in 64 bits here).
 */
static unsigned long long pad_bits(const struct btf *btf, const struct btf_type *t)
{
	unsigned long long off = 0, m_off, pad = 0;
	unsigned int i;
	long long size;

	for (i = 0; i < btf_vlen(t); i++) {
		m_off = btf_member_bit_offset(t, i);
		if (m_off > off)
			pad += m_off - off;
		size = btf_member_bitfield_size(t, i);
		if (!size) {
			size = reader__resolve_size(btf, btf_members(t)[i].type);
			size = size > 0 ? size * 8 : 0;
		}
		off = m_off + (unsigned long long)size;
	}
	if (btf_is_struct(t) && (unsigned long long)t->size * 8 > off)
		pad += (unsigned long long)t->size * 8 - off;
	return pad;
}

/*
 * A struct or union that libbpf 1.1.2's btf_dump cannot lay out, though the
 * kernel accepts it: btf_dump_emit_struct_def() keeps bit offsets in an int
 * and passes t->size * 8 as one, so from 256 MiB on its padding arithmetic
 * wraps (hundreds of MB of padding for a 73-byte file); a member's end is
 * such an offset too (m_off + size * 8), and the kernel bounds an int member
 * by its bits, not its size, so a 16-byte struct may hold an int of 304 MB
 * (the same padding); and it divides by a member's alignment
 * (btf__align_of()), which is 0 for an int of size 0 (SIGFPE). Nor one
 * whose padding (pad_bits()) no longer fits in what is left of
 * *@pad_budget (LAYOUT_PAD_BUDGET, taken from in ID order): btf_dump writes
 * a line per 8 bytes of it, 161 MB for a 105-byte file claiming a 112 MB
 * struct. A struct holding such a one by value is left out in its turn.
 */
static int unlayable(const struct btf *btf, const struct btf_type *t,
		     unsigned long long *pad_budget)
{
	unsigned long long pad;
	const struct btf_member *m = btf_members(t);
	const struct btf_type *mt;
	long long size;
	unsigned int i;
	int to;

	if (!btf_is_composite(t))
		return 0;
	if (t->size >= LAYOUT_MAX_BYTES)
		return 1;
	for (i = 0; i < btf_vlen(t); i++) {
		to = btf__resolve_type(btf, m[i].type);
		mt = to > 0 ? btf__type_by_id(btf, (uint32_t)to) : NULL;
		if (mt && !reader__unknown_kind(mt, NULL) && btf_is_int(mt) && !mt->size)
			return 1;
		size = btf_member_bitfield_size(t, i) ? 0 : reader__resolve_size(btf, m[i].type);
		if (size > 0 && btf_member_bit_offset(t, i) + (unsigned long long)size * 8 >=
		    (unsigned long long)LAYOUT_MAX_BYTES * 8)
			return 1;
	}
	pad = pad_bits(btf, t) / 8;
	if (pad > *pad_budget)
		return 1;
	*pad_budget -= pad;
	return 0;
}

/*
 * Types whose C text btf_dump cannot write: those of a kind btfenc does not
 * know (a stand-in, reader.h), which it cannot spell (LEFT_UNKNOWN); the
 * structs and unions it cannot lay out (unlayable(), LEFT_LAYOUT); and every
 * type that refers to a marked one other than through a pointer to a struct
 * or union (btf_dump only forward-declares those), for the reason of what
 * it reaches. A fixpoint over the IDs, run only when there is a type to
 * leave out. NULL when there is none (or on ENOMEM, when those alone are
 * left out).
 */
static uint8_t *mark_left(const struct btf *btf)
{
	uint32_t id, count = btf__type_cnt(btf), btf_bytes = 0;
	struct reach r = { .btf = btf };
	unsigned long long budget;
	const struct btf_type *t;
	int any = 0;

	btf__raw_data(btf, &btf_bytes);
	/* Both passes take from a fresh budget in ID order: the same types fail it. */
	budget = LAYOUT_PAD_BUDGET(btf_bytes);
	for (id = 1; id < count && !any; id++) {
		t = btf__type_by_id(btf, id);
		any = reader__unknown_kind(t, NULL) || unlayable(btf, t, &budget);
	}
	if (!any || !(r.marked = calloc(count, 1)))
		return NULL;
	budget = LAYOUT_PAD_BUDGET(btf_bytes);
	for (id = 1; id < count; id++) {
		t = btf__type_by_id(btf, id);
		r.marked[id] = reader__unknown_kind(t, NULL) ? LEFT_UNKNOWN :
			       unlayable(btf, t, &budget) ? LEFT_LAYOUT : 0;
	}
	do {
		r.changed = 0;
		for (id = 1; id < count; id++) {
			const struct btf_type *to;

			t = btf__type_by_id(btf, id);
			if (r.marked[id])
				continue;
			to = btf_is_ptr(t) ? btf__type_by_id(btf, t->type) : NULL;
			if (to && (btf_is_composite(to) || btf_is_fwd(to)))
				continue;
			/* typeref only reads here: @t is libbpf's, not ours to write. */
			if (typeref__for_each((struct btf_type *)t, reaches_marked, &r)) {
				r.marked[id] = r.why;
				r.changed = 1;
			}
		}
	} while (r.changed);
	return r.marked;
}

/*
 * Reference cycles that btf_dump cannot take. The kernel accepts a loop of
 * references when it passes through a FUNC_PROTO (it sizes neither a
 * pointer's target nor a prototype's parameters), e.g. a prototype whose
 * parameter points to that same prototype. C has no spelling for such a
 * type unless the loop passes through a named struct or union reached by a
 * pointer, which a forward declaration breaks -- and that is the only loop
 * libbpf 1.1.2's btf_dump breaks: its ordering pass (btf_dump_order_type())
 * stops at a named struct or union reached through a pointer, fails with
 * -ELOOP at a typedef or anonymous struct met again, and recurses without
 * end through pointers, qualifiers, arrays and prototypes.
 *
 * So the walk btf_dump would make is modelled as a graph of states (type
 * ID, whether a pointer was crossed since the last struct or array) with
 * the edges btf_dump_order_type() follows, and the states from which no
 * loop can be reached are peeled off until none is left to peel (a
 * fixpoint: a state goes when every state it leads to has gone). A type
 * whose top-level state stays reaches a loop, and is left out of the header.
 */
struct cycle_walk {
	const struct btf *btf;
	const uint8_t *alive;	/* [2 * id + through_ptr] */
};

/* Whether state (@id, @through_ptr) is still alive: 0 (void) never is. */
static int state_alive(const struct cycle_walk *cw, uint32_t id, int through_ptr)
{
	return id && cw->alive[2 * (size_t)id + !!through_ptr];
}

/* Whether any state that (@id, @through_ptr) leads to in btf_dump's ordering is alive. */
static int leads_to_alive(const struct cycle_walk *cw, uint32_t id, int through_ptr)
{
	const struct btf_type *t = btf__type_by_id(cw->btf, id);
	unsigned int i, n = btf_vlen(t);

	if (reader__unknown_kind(t, NULL))
		return 0;
	switch (btf_kind(t)) {
	case BTF_KIND_PTR:
		return state_alive(cw, t->type, 1);
	case BTF_KIND_ARRAY:
		return state_alive(cw, btf_array(t)->type, 0);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		if (through_ptr && t->name_off)
			return 0;	/* forward-declared */
		for (i = 0; i < n; i++)
			if (state_alive(cw, btf_members(t)[i].type, 0))
				return 1;
		return 0;
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_CONST:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
		return state_alive(cw, t->type, through_ptr);
	case BTF_KIND_FUNC_PROTO:
		if (state_alive(cw, t->type, through_ptr))
			return 1;
		for (i = 0; i < n; i++)
			if (state_alive(cw, btf_params(t)[i].type, through_ptr))
				return 1;
		return 0;
	default:
		return 0;	/* INT, ENUM, FWD, FLOAT; btf_dump orders FUNC, VAR... alone */
	}
}

/*
 * Marks in @left (1 a type) each type from which btf_dump's walk reaches a
 * loop (see above) with LEFT_CYCLE. Returns 0 or -ENOMEM.
 */
static int mark_cycles(const struct btf *btf, uint8_t *left)
{
	uint32_t id, count = btf__type_cnt(btf);
	struct cycle_walk cw = { .btf = btf };
	uint8_t *alive = malloc(2 * (size_t)count);
	int changed, tp;

	if (!alive)
		return -ENOMEM;
	memset(alive, 1, 2 * (size_t)count);
	cw.alive = alive;
	do {
		changed = 0;
		for (id = 1; id < count; id++)
			for (tp = 0; tp < 2; tp++) {
				if (!alive[2 * id + tp] || leads_to_alive(&cw, id, tp))
					continue;
				alive[2 * id + tp] = 0;
				changed = 1;
			}
	} while (changed);
	for (id = 1; id < count; id++)
		if (alive[2 * id] && !left[id])
			left[id] = LEFT_CYCLE;
	free(alive);
	return 0;
}

/* The comment that stands for type @id, left out of the header. */
static void left_out(const struct btf *btf, uint32_t id, int why, struct c_out *co)
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
	if (why == LEFT_CYCLE)
		fprintf(co->out, "/* type ID %u: %s%s%s reaches a reference loop that C cannot "
			"spell (not through a named struct or union): left out */\n\n", id,
			dump__kind_name(btf_kind(t)), named ? " " : "", named ? name : "");
	else if (why == LEFT_LAYOUT)
		fprintf(co->out, "/* type ID %u: %s%s%s is or holds a struct of 256 MiB or more, or "
			"with more padding than the file's size allows, or a member that ends past "
			"256 MiB or of a zero-size int, which "
			"libbpf's btf_dump cannot lay out: left out */\n\n", id,
			dump__kind_name(btf_kind(t)), named ? " " : "", named ? name : "");
	else if (kind)
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
	uint8_t *left;
	int err = 0;

	if (!attrs && errno)
		return -errno;
	left = mark_left(btf);
	if (!left)
		left = calloc(count, 1);
	err = left ? mark_cycles(btf, left) : -ENOMEM;
	if (err) {
		free(left);
		btf__free(attrs);
		return err;
	}
	d = btf_dump__new(attrs ? attrs : btf, print_filtered, &co, NULL);
	if (!d) {
		err = errno ? -errno : -ENOMEM;
		free(left);
		btf__free(attrs);
		return err;
	}
	fprintf(out, "#ifndef %s\n#define %s\n\n", guard, guard);
	fprintf(out, "#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n"
		"#pragma clang attribute push (__attribute__((preserve_access_index)), "
		"apply_to = record)\n#endif\n\n");
	for (id = start_id ? start_id : 1; id < count && !err; id++) {
		if (left[id] || reader__unknown_kind(btf__type_by_id(btf, id), NULL))
			left_out(btf, id, left[id], &co);
		else
			err = btf_dump__dump_type(d, id);
	}
	if (co.open_paren)
		fputc('(', out);
	fprintf(out, "#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n#pragma clang attribute pop\n"
		"#endif\n\n#endif /* %s */\n", guard);
	free(left);
	btf_dump__free(d);
	btf__free(attrs);
	if (err)
		return err;
	return fflush(out) || ferror(out) ? -EIO : 0;
}
