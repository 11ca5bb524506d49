// SPDX-License-Identifier: GPL-2.0-only
/*
 * Offline verify: the kernel's BTF rules on a chain (contract in verify.h).
 *
 * Problem: reader__check() checks one layer at a time, so a rule whose
 * referenced type lives in a lower layer (a module's member of a vmlinux
 * type that has no size) goes unchecked; and it accepts what BPF object
 * files hold before libbpf fixes them up (DATASEC of size 0 or holding
 * FUNCs, extern linkage), which the kernel refuses.
 *
 * Pass 1: chain__load_mem_level() at CHECK_KERNEL: reader__check() on each
 * layer, then the flattened chain and the kernel's resolve pass on it
 * (btf_reader/resolve.c). Pass 2, over every type of the loaded chain (now every
 * reference resolves), the rules of kernel/bpf/btf.c that pass 1 leaves:
 *  - header: the string section comes after the type section
 *    (btf_parse_str_sec(): "String section is not at the end"); the chain
 *    holds a type (btf_parse_type_sec(): "No type found");
 *  - names: identifiers and section names shorter than KSYM_NAME_LEN (512);
 *  - FUNC linkage static or global, VAR linkage static or global
 *    ("Invalid func linkage", "Linkage not supported");
 *  - DATASEC: size not 0, every entry a VAR at an offset below the size and
 *    as large as its variable, entries within the size in total;
 *  - modifier chains: a TYPE_TAG only before other modifiers
 *    (btf_check_type_tags(): "Type tags don't precede modifiers"), at most
 *    32 modifiers in a row;
 *  - across layers: member, element, argument, return and variable types
 *    with a size; a FUNC's type a FUNC_PROTO with named arguments; a
 *    pointer or modifier not to a VAR, DATASEC or DECL_TAG; a DECL_TAG on a
 *    struct, union, FUNC, VAR or typedef, its component_idx in range.
 *
 * Invariant: pass 2 only runs on a chain pass 1 accepted, so every record is
 * whole and every ID and string offset resolves; it reports each problem it
 * finds (up to VERIFY_MAX_MSGS), pass 1 only the first.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <bpf/btf.h>
#include <linux/btf.h>

#include "btf_reader/format.h"
#include "btf_reader/reader.h"
#include "inspect/dump.h"
#include "inspect/verify.h"
#include "util/diag.h"

#define KSYM_NAME_LEN	512	/* include/linux/kallsyms.h */
#define MAX_CHAIN	32	/* btf_check_type_tags()'s chain_limit */

struct verifier {
	const struct btf_chain *c;
	const struct btf *btf;
	const struct diag *d;
	uint32_t nr_types;
	unsigned int problems;
	uint32_t unknown;		/* records of kinds btfenc does not know */
	uint8_t unknown_kinds[MAX_KINDS];
};

static const char *layer_of(const struct verifier *v, uint32_t id)
{
	size_t i = v->c->nlayers;

	while (i > 1 && id < v->c->layers[i - 1].start_id)
		i--;
	return v->c->layers[i - 1].path;
}

/* The kind as reader__check() names it: "func_proto". */
static const char *kind_str(const struct btf_type *t, char *buf, size_t len)
{
	const char *upper = t ? dump__kind_name(reader__kind(t)) : "?";
	size_t i;

	for (i = 0; upper[i] && i + 1 < len; i++)
		buf[i] = upper[i] >= 'A' && upper[i] <= 'Z' ? upper[i] - 'A' + 'a' : upper[i];
	buf[i] = '\0';
	return buf;
}

__attribute__((format(printf, 3, 4)))
static void problem(struct verifier *v, uint32_t id, const char *fmt, ...)
{
	const struct btf_type *t = btf__type_by_id(v->btf, id);
	char what[512], kind[16];
	va_list ap;

	if (v->problems++ >= VERIFY_MAX_MSGS)
		return;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	diag__err(v->d, "%s: type ID %u (%s): %s", layer_of(v, id), id,
		  kind_str(t, kind, sizeof(kind)), what);
}

static const struct btf_type *type_of(const struct verifier *v, uint32_t id)
{
	return id && id < v->nr_types ? btf__type_by_id(v->btf, id) : NULL;
}

/* A kind btfenc does not know (reader.h): nothing can be said of it, or of a use of it. */
static int unknown(const struct btf_type *t)
{
	return t && reader__unknown_kind(t, NULL);
}

/* Kinds the kernel never takes as the type of a value or a pointer's target. */
static int source_only(const struct btf_type *t)
{
	return !unknown(t) && (btf_is_var(t) || btf_is_datasec(t) || btf_is_decl_tag(t));
}

/* The type a value of type @id has a size: not void, FWD, FUNC, FUNC_PROTO, ... */
static int sized(const struct verifier *v, uint32_t id)
{
	const struct btf_type *t = type_of(v, btf__resolve_type(v->btf, id));

	if (unknown(t))
		return 1;
	return t && !source_only(t) && reader__resolve_size(v->btf, id) >= 0;
}

static void check_name(struct verifier *v, uint32_t id, const struct btf_type *t)
{
	const char *name = btf__name_by_offset(v->btf, t->name_off);

	if (name && strlen(name) >= KSYM_NAME_LEN && !btf_is_decl_tag(t) && !btf_is_type_tag(t))
		problem(v, id, "name of %zu bytes, the kernel takes fewer than %u", strlen(name),
			KSYM_NAME_LEN);
}

static void check_members(struct verifier *v, uint32_t id, const struct btf_type *t)
{
	const struct btf_member *m = btf_members(t);
	unsigned int i;

	for (i = 0; i < btf_vlen(t); i++)
		if (!sized(v, m[i].type))
			problem(v, id, "member %u: type ID %u has no size", i, m[i].type);
}

static void check_proto(struct verifier *v, uint32_t id, const struct btf_type *t)
{
	const struct btf_param *p = btf_params(t);
	unsigned int i, n = btf_vlen(t);

	if (t->type && !sized(v, t->type))
		problem(v, id, "return type ID %u has no size", t->type);
	for (i = 0; i < n; i++) {
		if (!p[i].type && i + 1 == n)
			break;	/* "...": checked by reader__check() */
		if (!sized(v, p[i].type))
			problem(v, id, "param %u: type ID %u has no size", i, p[i].type);
	}
}

static void check_func(struct verifier *v, uint32_t id, const struct btf_type *t)
{
	const struct btf_type *proto = type_of(v, t->type);
	unsigned int i;

	if (btf_vlen(t) > BTF_FUNC_GLOBAL)
		problem(v, id, "linkage %u: the kernel takes static or global", btf_vlen(t));
	if (!proto || !btf_is_func_proto(proto)) {
		problem(v, id, "type ID %u is not a func_proto", t->type);
		return;
	}
	for (i = 0; i < btf_vlen(proto); i++)
		if (btf_params(proto)[i].type && !btf_params(proto)[i].name_off)
			problem(v, id, "param %u has no name", i);
}

static void check_var(struct verifier *v, uint32_t id, const struct btf_type *t)
{
	if (btf_var(t)->linkage > BTF_VAR_GLOBAL_ALLOCATED)
		problem(v, id, "linkage %u: the kernel takes static or global",
			btf_var(t)->linkage);
	if (!sized(v, t->type))
		problem(v, id, "type ID %u has no size", t->type);
}

static void check_datasec(struct verifier *v, uint32_t id, const struct btf_type *t)
{
	const struct btf_var_secinfo *s = btf_var_secinfos(t);
	char kind[16];
	uint64_t sum = 0;
	unsigned int i;

	if (!t->size)
		problem(v, id, "size 0 (a BPF object's section before libbpf sizes it)");
	for (i = 0; i < btf_vlen(t); i++) {
		const struct btf_type *vt = type_of(v, s[i].type);
		long long var_size;

		if (!vt || !btf_is_var(vt)) {
			problem(v, id, "entry %u is %s, not a var", i,
				vt ? kind_str(vt, kind, sizeof(kind)) : "void");
			continue;
		}
		if (t->size && s[i].offset >= t->size)
			problem(v, id, "entry %u at offset %u, past size %u", i, s[i].offset,
				t->size);
		var_size = reader__resolve_size(v->btf, vt->type);
		if (var_size > (long long)s[i].size)
			problem(v, id, "entry %u: size %u smaller than its var (%lld)", i,
				s[i].size, var_size);
		sum += s[i].size;
	}
	if (sum > t->size && t->size)
		problem(v, id, "entries of %llu bytes in a section of %u",
			(unsigned long long)sum, t->size);
}

/* PTR, TYPEDEF, CONST, VOLATILE, RESTRICT, TYPE_TAG: what they may refer to. */
static void check_ref(struct verifier *v, uint32_t id, const struct btf_type *t)
{
	const struct btf_type *to = type_of(v, t->type);
	char kind[16];

	if (to && source_only(to))
		problem(v, id, "refers to type ID %u, a %s", t->type,
			kind_str(to, kind, sizeof(kind)));
}

static int is_modifier(const struct btf_type *t)
{
	return btf_is_mod(t) || btf_is_typedef(t) || btf_is_type_tag(t);
}

/* The kernel's btf_check_type_tags(): tags first in a chain of modifiers. */
static void check_tag_order(struct verifier *v, uint32_t id, const struct btf_type *t)
{
	int in_tags = btf_is_type_tag(t), depth;

	for (depth = 0; t && is_modifier(t); depth++) {
		if (depth == MAX_CHAIN) {
			problem(v, id, "more than %d modifiers in a row", MAX_CHAIN);
			return;
		}
		if (btf_is_type_tag(t) && !in_tags) {
			problem(v, id, "a type_tag after a modifier or typedef");
			return;
		}
		in_tags = btf_is_type_tag(t);
		t = type_of(v, t->type);
	}
}

static void check_decl_tag(struct verifier *v, uint32_t id, const struct btf_type *t)
{
	const struct btf_type *to = type_of(v, t->type), *proto;
	int idx = btf_decl_tag(t)->component_idx;

	if (unknown(to))
		return;
	if (!to || !(btf_is_composite(to) || btf_is_func(to) || btf_is_var(to) ||
		     btf_is_typedef(to))) {
		problem(v, id, "tags type ID %u, not a struct, union, func, var or typedef",
			t->type);
		return;
	}
	if (idx == -1)
		return;
	proto = btf_is_func(to) ? type_of(v, to->type) : to;
	if (btf_is_var(to) || btf_is_typedef(to) || !proto || (unsigned int)idx >= btf_vlen(proto))
		problem(v, id, "component_idx %d does not name a member or param", idx);
}

/* One line for the records stepped over: "N types of kinds ... (kind 20, kind 25) ...". */
static void warn_unknown(const struct verifier *v)
{
	char kinds[128] = "";
	unsigned int k, nkinds = 0;
	size_t len = 0;

	for (k = KNOWN_KINDS; k < MAX_KINDS && len + 12 < sizeof(kinds); k++)
		if (v->unknown_kinds[k] && ++nkinds)
			len += (size_t)snprintf(kinds + len, sizeof(kinds) - len, "%s%s",
						len ? ", " : "", format__kind_number(k));
	diag__warn(v->d, "%s: %u type%s of %s btfenc does not know (%s), stepped over with "
		   "the layout section, not checked", v->c->layers[v->c->nlayers - 1].path,
		   v->unknown, v->unknown > 1 ? "s" : "", nkinds > 1 ? "kinds" : "a kind", kinds);
}

int verify__chain_rules(const struct btf_chain *c, uint32_t first_id, const struct diag *d)
{
	struct verifier v = { .c = c, .btf = c->flat, .d = d, .nr_types = btf__type_cnt(c->flat) };
	uint32_t id;

	if (v.nr_types <= 1) {
		diag__err(d, "%s: no types (the kernel wants at least one)",
			  c->layers[c->nlayers - 1].path);
		return -EINVAL;
	}
	for (id = first_id ? first_id : 1; id < v.nr_types; id++) {
		const struct btf_type *t = btf__type_by_id(v.btf, id);

		if (unknown(t)) {
			v.unknown++;
			v.unknown_kinds[reader__kind(t)] = 1;
			continue;
		}

		check_name(&v, id, t);
		if (is_modifier(t) || btf_is_ptr(t))
			check_ref(&v, id, t);
		if (is_modifier(t))
			check_tag_order(&v, id, t);
		if (btf_is_composite(t))
			check_members(&v, id, t);
		else if (btf_is_array(t) && !sized(&v, btf_array(t)->type))
			problem(&v, id, "element type ID %u has no size", btf_array(t)->type);
		else if (btf_is_func_proto(t))
			check_proto(&v, id, t);
		else if (btf_is_func(t))
			check_func(&v, id, t);
		else if (btf_is_var(t))
			check_var(&v, id, t);
		else if (btf_is_datasec(t))
			check_datasec(&v, id, t);
		else if (btf_is_decl_tag(t))
			check_decl_tag(&v, id, t);
	}
	if (v.problems > VERIFY_MAX_MSGS)
		diag__err(d, "%s: and %u more problems", c->layers[c->nlayers - 1].path,
			  v.problems - VERIFY_MAX_MSGS);
	if (v.unknown)
		warn_unknown(&v);
	return v.problems ? -EINVAL : 0;
}

/*
 * The kernel wants the strings last ("String section is not at the end")
 * when the header is Linux 6.1's; with the 32-byte header of Linux 7.1 any
 * order of the sections will do (btf_parse_str_sec()).
 */
static int check_section_order(const void *blob, size_t size, const char *name,
			       const struct diag *d)
{
	struct full_header h;

	format__read_header(blob, size, &h);
	if (h.base.hdr_len >= FULL_HDR_LEN || h.base.str_off >= h.base.type_off)
		return 0;
	diag__err(d, "%s: string section before the type section (the kernel wants it last)",
		  name);
	return -EINVAL;
}

int verify__layers(const void *const *blobs, const size_t *sizes, const char *const *names,
		   size_t n, const struct diag *d, struct btf_chain **chain)
{
	struct btf_chain *c = NULL;
	int err, order_err = 0;
	size_t i;

	if (chain)
		*chain = NULL;
	err = chain__load_mem_level(blobs, sizes, names, n, CHECK_KERNEL, d, &c);
	if (err)
		return err;
	for (i = 0; i < n; i++)
		order_err |= check_section_order(blobs[i], sizes[i], c->layers[i].path, d);
	err = verify__chain_rules(c, 1, d);
	if (!err)
		err = order_err;
	if (chain)
		*chain = c;
	else
		chain__free(c);
	return err;
}
