// SPDX-License-Identifier: GPL-2.0-only
/*
 * The raw dump: one entry per type with its ID, in bpftool 7.1's format
 * (`bpftool btf dump file F`, and its -j document), so that tools and eyes
 * used to bpftool read it unchanged. Contract in dump.h.
 *
 * Each kind's fields go through one table of (text, JSON) writers: the
 * caller's struct raw_out says which one is on.
 */
#include <errno.h>
#include <stdio.h>
#include <bpf/btf.h>
#include <linux/btf.h>

#include "btf_reader/format.h"
#include "btf_reader/reader.h"
#include "inspect/dump.h"
#include "inspect/json.h"

struct raw_out {
	const struct btf *btf;
	FILE *out;
	struct json *json;	/* NULL: text */
};

static const char *const kind_names[] = {
	[BTF_KIND_UNKN] = "UNKNOWN", [BTF_KIND_INT] = "INT", [BTF_KIND_PTR] = "PTR",
	[BTF_KIND_ARRAY] = "ARRAY", [BTF_KIND_STRUCT] = "STRUCT", [BTF_KIND_UNION] = "UNION",
	[BTF_KIND_ENUM] = "ENUM", [BTF_KIND_FWD] = "FWD", [BTF_KIND_TYPEDEF] = "TYPEDEF",
	[BTF_KIND_VOLATILE] = "VOLATILE", [BTF_KIND_CONST] = "CONST",
	[BTF_KIND_RESTRICT] = "RESTRICT", [BTF_KIND_FUNC] = "FUNC",
	[BTF_KIND_FUNC_PROTO] = "FUNC_PROTO", [BTF_KIND_VAR] = "VAR",
	[BTF_KIND_DATASEC] = "DATASEC", [BTF_KIND_FLOAT] = "FLOAT",
	[BTF_KIND_DECL_TAG] = "DECL_TAG", [BTF_KIND_TYPE_TAG] = "TYPE_TAG",
	[BTF_KIND_ENUM64] = "ENUM64",
};

const char *dump__kind_name(unsigned int kind)
{
	if (kind >= sizeof(kind_names) / sizeof(kind_names[0]))
		return format__unknown_kind_name(kind);
	return kind_names[kind];
}

/* bpftool's btf_str(): "(anon)" for offset 0. */
static const char *name_of(const struct raw_out *r, uint32_t off)
{
	const char *s;

	if (!off)
		return "(anon)";
	s = btf__name_by_offset(r->btf, off);
	return s ? s : "(invalid)";
}

static void field_u(const struct raw_out *r, const char *key, const char *fmt, uint64_t val)
{
	if (r->json)
		json__uint(r->json, key, val);
	else
		fprintf(r->out, fmt, key, (unsigned long long)val);
}

static void field_s(const struct raw_out *r, const char *key, const char *val)
{
	if (r->json)
		json__str(r->json, key, val);
	else
		fprintf(r->out, " %s=%s", key, val);
}

static void raw_int(const struct raw_out *r, const struct btf_type *t)
{
	static const char *const encs[] = { "(none)", "SIGNED", "CHAR", "UNKN", "BOOL" };
	uint32_t v = *(const uint32_t *)(t + 1), enc = BTF_INT_ENCODING(v);

	field_u(r, "size", " %s=%llu", t->size);
	field_u(r, "bits_offset", " %s=%llu", BTF_INT_OFFSET(v));
	field_u(r, "nr_bits", " %s=%llu", BTF_INT_BITS(v));
	field_s(r, "encoding", enc < 5 ? encs[enc] : "UNKN");
}

static void raw_ref(const struct raw_out *r, const struct btf_type *t)
{
	field_u(r, "type_id", " %s=%llu", t->type);
}

static void raw_array(const struct raw_out *r, const struct btf_type *t)
{
	const struct btf_array *a = btf_array(t);

	field_u(r, "type_id", " %s=%llu", a->type);
	field_u(r, "index_type_id", " %s=%llu", a->index_type);
	field_u(r, "nr_elems", " %s=%llu", a->nelems);
}

/* The start of a list of parts: "size=S vlen=N" and the JSON array @key. */
static void begin_parts(const struct raw_out *r, const struct btf_type *t, const char *key)
{
	field_u(r, "vlen", " %s=%llu", btf_vlen(t));
	if (r->json)
		json__begin_arr(r->json, key);
}

static void end_parts(const struct raw_out *r)
{
	if (r->json)
		json__end(r->json);
}

static void raw_composite(const struct raw_out *r, const struct btf_type *t)
{
	const struct btf_member *m = btf_members(t);
	unsigned int i, kflag = btf_kflag(t);

	field_u(r, "size", " %s=%llu", t->size);
	begin_parts(r, t, "members");
	for (i = 0; i < btf_vlen(t); i++, m++) {
		uint32_t off = kflag ? BTF_MEMBER_BIT_OFFSET(m->offset) : m->offset;
		uint32_t bits = kflag ? BTF_MEMBER_BITFIELD_SIZE(m->offset) : 0;

		if (r->json) {
			json__begin_obj(r->json, NULL);
			json__str(r->json, "name", name_of(r, m->name_off));
			json__uint(r->json, "type_id", m->type);
			json__uint(r->json, "bits_offset", off);
			if (bits)
				json__uint(r->json, "bitfield_size", bits);
			json__end(r->json);
			continue;
		}
		fprintf(r->out, "\n\t'%s' type_id=%u bits_offset=%u", name_of(r, m->name_off),
			m->type, off);
		if (bits)
			fprintf(r->out, " bitfield_size=%u", bits);
	}
	end_parts(r);
}

/* ENUM and ENUM64; bpftool writes ENUM64 values with a C suffix. */
static void raw_enum(const struct raw_out *r, const struct btf_type *t)
{
	int is_signed = btf_kflag(t), is64 = btf_is_enum64(t);
	unsigned int i;

	field_s(r, "encoding", is_signed ? "SIGNED" : "UNSIGNED");
	field_u(r, "size", " %s=%llu", t->size);
	begin_parts(r, t, "values");
	for (i = 0; i < btf_vlen(t); i++) {
		uint32_t name_off = is64 ? btf_enum64(t)[i].name_off : btf_enum(t)[i].name_off;
		uint64_t val = is64 ? btf_enum64_value(btf_enum64(t) + i) :
			       is_signed ? (uint64_t)(int64_t)btf_enum(t)[i].val :
			       (uint32_t)btf_enum(t)[i].val;

		if (r->json) {
			json__begin_obj(r->json, NULL);
			json__str(r->json, "name", name_of(r, name_off));
			if (is_signed)
				json__int(r->json, "val", (int64_t)val);
			else
				json__uint(r->json, "val", val);
			json__end(r->json);
		} else if (is_signed) {
			fprintf(r->out, "\n\t'%s' val=%lld%s", name_of(r, name_off),
				(long long)val, is64 ? "LL" : "");
		} else {
			fprintf(r->out, "\n\t'%s' val=%llu%s", name_of(r, name_off),
				(unsigned long long)val, is64 ? "ULL" : "");
		}
	}
	end_parts(r);
}

static void raw_fwd(const struct raw_out *r, const struct btf_type *t)
{
	field_s(r, "fwd_kind", btf_kflag(t) ? "union" : "struct");
}

static const char *linkage_str(unsigned int linkage)
{
	static const char *const words[] = { "static", "global", "extern" };

	return linkage < 3 ? words[linkage] : "(unknown)";
}

static void raw_func(const struct raw_out *r, const struct btf_type *t)
{
	raw_ref(r, t);
	field_s(r, "linkage", linkage_str(btf_vlen(t)));
}

static void raw_proto(const struct raw_out *r, const struct btf_type *t)
{
	const struct btf_param *p = btf_params(t);
	unsigned int i;

	field_u(r, "ret_type_id", " %s=%llu", t->type);
	begin_parts(r, t, "params");
	for (i = 0; i < btf_vlen(t); i++, p++) {
		if (r->json) {
			json__begin_obj(r->json, NULL);
			json__str(r->json, "name", name_of(r, p->name_off));
			json__uint(r->json, "type_id", p->type);
			json__end(r->json);
		} else {
			fprintf(r->out, "\n\t'%s' type_id=%u", name_of(r, p->name_off), p->type);
		}
	}
	end_parts(r);
}

static void raw_var(const struct raw_out *r, const struct btf_type *t)
{
	/* bpftool writes a comma here. */
	if (r->json) {
		raw_ref(r, t);
		json__str(r->json, "linkage", linkage_str(btf_var(t)->linkage));
	} else {
		fprintf(r->out, " type_id=%u, linkage=%s", t->type,
			linkage_str(btf_var(t)->linkage));
	}
}

static void raw_datasec(const struct raw_out *r, const struct btf_type *t)
{
	const struct btf_var_secinfo *v = btf_var_secinfos(t);
	unsigned int i;

	field_u(r, "size", " %s=%llu", t->size);
	begin_parts(r, t, "vars");
	for (i = 0; i < btf_vlen(t); i++, v++) {
		const struct btf_type *vt;

		if (r->json) {
			json__begin_obj(r->json, NULL);
			json__uint(r->json, "type_id", v->type);
			json__uint(r->json, "offset", v->offset);
			json__uint(r->json, "size", v->size);
			json__end(r->json);
			continue;
		}
		fprintf(r->out, "\n\ttype_id=%u offset=%u size=%u", v->type, v->offset, v->size);
		vt = v->type < btf__type_cnt(r->btf) ? btf__type_by_id(r->btf, v->type) : NULL;
		if (vt)
			fprintf(r->out, " (%s '%s')", dump__kind_name(reader__kind(vt)),
				name_of(r, vt->name_off));
	}
	end_parts(r);
}

static void raw_float(const struct raw_out *r, const struct btf_type *t)
{
	field_u(r, "size", " %s=%llu", t->size);
}

/* kind_flag 1 on a tag: its text is an __attribute__ body (bpftool 7.1 has no field for it). */
static void tag_kflag(const struct raw_out *r, const struct btf_type *t)
{
	if (btf_kflag(t))
		field_u(r, "kflag", " %s=%llu", 1);
}

static void raw_type_tag(const struct raw_out *r, const struct btf_type *t)
{
	raw_ref(r, t);
	tag_kflag(r, t);
}

static void raw_decl_tag(const struct raw_out *r, const struct btf_type *t)
{
	int idx = btf_decl_tag(t)->component_idx;

	raw_ref(r, t);
	if (r->json)
		json__int(r->json, "component_idx", idx);
	else
		fprintf(r->out, " component_idx=%d", idx);
	tag_kflag(r, t);
}

static void (*const raw_fields[])(const struct raw_out *r, const struct btf_type *t) = {
	[BTF_KIND_INT] = raw_int, [BTF_KIND_PTR] = raw_ref, [BTF_KIND_ARRAY] = raw_array,
	[BTF_KIND_STRUCT] = raw_composite, [BTF_KIND_UNION] = raw_composite,
	[BTF_KIND_ENUM] = raw_enum, [BTF_KIND_FWD] = raw_fwd, [BTF_KIND_TYPEDEF] = raw_ref,
	[BTF_KIND_VOLATILE] = raw_ref, [BTF_KIND_CONST] = raw_ref,
	[BTF_KIND_RESTRICT] = raw_ref, [BTF_KIND_FUNC] = raw_func,
	[BTF_KIND_FUNC_PROTO] = raw_proto, [BTF_KIND_VAR] = raw_var,
	[BTF_KIND_DATASEC] = raw_datasec, [BTF_KIND_FLOAT] = raw_float,
	[BTF_KIND_DECL_TAG] = raw_decl_tag, [BTF_KIND_TYPE_TAG] = raw_type_tag,
	[BTF_KIND_ENUM64] = raw_enum,
};

int dump__raw(const struct btf *btf, uint32_t start_id, int json, FILE *out)
{
	struct raw_out r = { .btf = btf, .out = out };
	uint32_t id, count = btf__type_cnt(btf);
	struct json j;

	if (json) {
		json__init(&j, out);
		r.json = &j;
		json__begin_obj(&j, NULL);
		json__begin_arr(&j, "types");
	}
	for (id = start_id ? start_id : 1; id < count; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		unsigned int kind = reader__kind(t);
		uint32_t info;

		if (json) {
			json__begin_obj(&j, NULL);
			json__uint(&j, "id", id);
			json__str(&j, "kind", dump__kind_name(kind));
			json__str(&j, "name", name_of(&r, t->name_off));
		} else {
			fprintf(out, "[%u] %s '%s'", id, dump__kind_name(kind),
				name_of(&r, t->name_off));
		}
		if (reader__unknown_kind(t, &info)) {
			/* A kind btfenc does not know: what its struct btf_type says. */
			field_u(&r, "kflag", " %s=%llu", INFO_KFLAG(info));
			field_u(&r, "vlen", " %s=%llu", INFO_VLEN(info));
		} else if (kind < sizeof(raw_fields) / sizeof(raw_fields[0]) && raw_fields[kind]) {
			raw_fields[kind](&r, t);
		}
		if (json)
			json__end(&j);
		else
			fputc('\n', out);
	}
	if (json) {
		json__end(&j);
		json__end(&j);
	}
	return fflush(out) || ferror(out) ? -EIO : 0;
}
