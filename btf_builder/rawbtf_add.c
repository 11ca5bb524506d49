// SPDX-License-Identifier: GPL-2.0-only
/*
 * rawbtf_add: typed records appended to a rawbtf, with the argument checks,
 * errors and bytes of libbpf 1.1.2's btf__add_*() on a standalone BTF. A
 * chunk is built here rather than in a libbpf object: no per-string heap
 * entry in libbpf's string set, no copy of the chunk to hand it to the dedup,
 * and strings are interned through strindex (rawbtf.c).
 *
 * Strings are added where libbpf adds them, so the string section comes out
 * in the same order. tests/unit/test_rawbtf.c drives both with the same calls.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <bpf/btf.h>

#include "rawbtf.h"

#define MAX_ID 0x7fffffff	/* libbpf's BTF_MAX_NR_TYPES */

static inline uint32_t info(int kind, uint32_t vlen, int kflag)
{
	return (uint32_t)kflag << 31 | (uint32_t)kind << 24 | (vlen & 0xffff);
}

static int bad_id(int id)
{
	return id < 0 || id > MAX_ID;
}

int rawbtf__type_cnt(const struct rawbtf *r)
{
	return (int)r->nr + 1;
}

/* A record of @extra bytes after its btf_type; its ID, or a negative errno. */
static int add_record(struct rawbtf *r, const char *name, uint32_t inf, uint32_t size_type,
		      size_t extra, void **tail)
{
	struct btf_type *t;
	uint32_t name_off = 0;
	int err;

	if (name && name[0]) {
		err = rawbtf__str(r, name, &name_off);
		if (err)
			return err;
	}
	t = rawbtf__append(r, sizeof(*t) + extra);
	if (!t)
		return -ENOMEM;
	t->name_off = name_off;
	t->info = inf;
	t->size = size_type;
	if (tail) {
		*tail = t + 1;
		memset(t + 1, 0, extra);
	}
	return (int)r->nr;
}

/* Appends @len bytes to the last record (a member, value or parameter). */
static void *add_tail(struct rawbtf *r, const char *name, size_t len, uint32_t *name_off)
{
	void *p;

	*name_off = 0;
	if (name && name[0] && rawbtf__str(r, name, name_off))
		return NULL;
	p = rawbtf__extend(r, len);
	if (p)
		memset(p, 0, len);
	return p;
}

int rawbtf__add_int(struct rawbtf *r, const char *name, size_t byte_sz, int encoding)
{
	uint32_t *x = NULL;
	int id;

	if (!name || !name[0] || !byte_sz || (byte_sz & (byte_sz - 1)) || byte_sz > 16 ||
	    (encoding & ~(BTF_INT_SIGNED | BTF_INT_CHAR | BTF_INT_BOOL)))
		return -EINVAL;
	id = add_record(r, name, info(BTF_KIND_INT, 0, 0), (uint32_t)byte_sz, sizeof(*x),
			(void **)&x);
	if (id > 0)
		*x = (uint32_t)encoding << 24 | (uint32_t)(byte_sz * 8);
	return id;
}

int rawbtf__add_float(struct rawbtf *r, const char *name, size_t byte_sz)
{
	if (!name || !name[0] ||
	    (byte_sz != 2 && byte_sz != 4 && byte_sz != 8 && byte_sz != 12 && byte_sz != 16))
		return -EINVAL;
	return add_record(r, name, info(BTF_KIND_FLOAT, 0, 0), (uint32_t)byte_sz, 0, NULL);
}

static int add_ref(struct rawbtf *r, int kind, const char *name, int ref)
{
	if (bad_id(ref))
		return -EINVAL;
	return add_record(r, name, info(kind, 0, 0), (uint32_t)ref, 0, NULL);
}

int rawbtf__add_ptr(struct rawbtf *r, int ref)
{
	return add_ref(r, BTF_KIND_PTR, NULL, ref);
}

int rawbtf__add_const(struct rawbtf *r, int ref)
{
	return add_ref(r, BTF_KIND_CONST, NULL, ref);
}

int rawbtf__add_volatile(struct rawbtf *r, int ref)
{
	return add_ref(r, BTF_KIND_VOLATILE, NULL, ref);
}

int rawbtf__add_restrict(struct rawbtf *r, int ref)
{
	return add_ref(r, BTF_KIND_RESTRICT, NULL, ref);
}

int rawbtf__add_typedef(struct rawbtf *r, const char *name, int ref)
{
	if (!name || !name[0])
		return -EINVAL;
	return add_ref(r, BTF_KIND_TYPEDEF, name, ref);
}

int rawbtf__add_type_tag(struct rawbtf *r, const char *value, int ref)
{
	if (!value || !value[0])
		return -EINVAL;
	return add_ref(r, BTF_KIND_TYPE_TAG, value, ref);
}

static int add_enum_common(struct rawbtf *r, const char *name, uint32_t byte_sz, int is_signed,
			   int kind)
{
	if (!byte_sz || (byte_sz & (byte_sz - 1)) || byte_sz > 8)
		return -EINVAL;
	return add_record(r, name, info(kind, 0, !!is_signed), byte_sz, 0, NULL);
}

int rawbtf__add_fwd(struct rawbtf *r, const char *name, int fwd_kind)
{
	if (!name || !name[0])
		return -EINVAL;
	switch (fwd_kind) {
	case BTF_FWD_STRUCT:
	case BTF_FWD_UNION:
		return add_record(r, name, info(BTF_KIND_FWD, 0, fwd_kind == BTF_FWD_UNION), 0, 0,
				  NULL);
	case BTF_FWD_ENUM:
		return add_enum_common(r, name, sizeof(int), 0, BTF_KIND_ENUM);
	default:
		return -EINVAL;
	}
}

int rawbtf__add_struct(struct rawbtf *r, const char *name, uint32_t byte_sz)
{
	return add_record(r, name, info(BTF_KIND_STRUCT, 0, 0), byte_sz, 0, NULL);
}

int rawbtf__add_union(struct rawbtf *r, const char *name, uint32_t byte_sz)
{
	return add_record(r, name, info(BTF_KIND_UNION, 0, 0), byte_sz, 0, NULL);
}

static void inc_vlen(struct btf_type *t, int kflag)
{
	t->info = info(btf_kind(t), btf_vlen(t) + 1, kflag);
}

/* Whether @t's vlen has no room for one more entry (libbpf 1.1.2 would wrap it to 0). */
static int vlen_full(const struct btf_type *t)
{
	return btf_vlen(t) == 0xffff;
}

int rawbtf__add_field(struct rawbtf *r, const char *name, int type, uint32_t bit_offset,
		      uint32_t bit_size)
{
	struct btf_type *t = rawbtf__last(r);
	struct btf_member *m;
	uint32_t name_off;
	int bitfield;

	if (!t || !btf_is_composite(t) || bad_id(type))
		return -EINVAL;
	bitfield = bit_size || (bit_offset % 8);
	if (bitfield && (!bit_size || bit_size > 255 || bit_offset > 0xffffff))
		return -EINVAL;
	if (btf_is_union(t) && bit_offset)
		return -EINVAL;
	if (vlen_full(t))
		return -E2BIG;
	m = add_tail(r, name, sizeof(*m), &name_off);
	if (!m)
		return -ENOMEM;
	m->name_off = name_off;
	m->type = (uint32_t)type;
	m->offset = bit_offset | bit_size << 24;
	t = rawbtf__last(r);
	inc_vlen(t, bitfield || btf_kflag(t));
	return 0;
}

int rawbtf__add_enum(struct rawbtf *r, const char *name, uint32_t byte_sz)
{
	return add_enum_common(r, name, byte_sz, 0, BTF_KIND_ENUM);
}

int rawbtf__add_enum64(struct rawbtf *r, const char *name, uint32_t byte_sz, int is_signed)
{
	return add_enum_common(r, name, byte_sz, is_signed, BTF_KIND_ENUM64);
}

int rawbtf__add_enum_value(struct rawbtf *r, const char *name, int64_t value)
{
	struct btf_type *t = rawbtf__last(r);
	struct btf_enum *v;
	uint32_t name_off;

	if (!t || !btf_is_enum(t) || !name || !name[0])
		return -EINVAL;
	if (value < INT_MIN || value > UINT_MAX)
		return -E2BIG;
	if (vlen_full(t))
		return -E2BIG;
	v = add_tail(r, name, sizeof(*v), &name_off);
	if (!v)
		return -ENOMEM;
	v->name_off = name_off;
	v->val = (int32_t)value;
	t = rawbtf__last(r);
	inc_vlen(t, value < 0 || btf_kflag(t));
	return 0;
}

int rawbtf__add_enum64_value(struct rawbtf *r, const char *name, uint64_t value)
{
	struct btf_type *t = rawbtf__last(r);
	struct btf_enum64 *v;
	uint32_t name_off;

	if (!t || !btf_is_enum64(t) || !name || !name[0])
		return -EINVAL;
	if (vlen_full(t))
		return -E2BIG;
	v = add_tail(r, name, sizeof(*v), &name_off);
	if (!v)
		return -ENOMEM;
	v->name_off = name_off;
	v->val_lo32 = (uint32_t)value;
	v->val_hi32 = (uint32_t)(value >> 32);
	t = rawbtf__last(r);
	inc_vlen(t, btf_kflag(t));
	return 0;
}

int rawbtf__add_array(struct rawbtf *r, int index_type, int elem_type, uint32_t nelems)
{
	struct btf_array *a = NULL;
	int id;

	if (bad_id(index_type) || bad_id(elem_type))
		return -EINVAL;
	id = add_record(r, NULL, info(BTF_KIND_ARRAY, 0, 0), 0, sizeof(*a), (void **)&a);
	if (id > 0) {
		a->type = (uint32_t)elem_type;
		a->index_type = (uint32_t)index_type;
		a->nelems = nelems;
	}
	return id;
}

int rawbtf__add_func_proto(struct rawbtf *r, int ret)
{
	return add_ref(r, BTF_KIND_FUNC_PROTO, NULL, ret);
}

int rawbtf__add_func_param(struct rawbtf *r, const char *name, int type)
{
	struct btf_type *t = rawbtf__last(r);
	struct btf_param *p;
	uint32_t name_off;

	if (bad_id(type) || !t || !btf_is_func_proto(t))
		return -EINVAL;
	if (vlen_full(t))
		return -E2BIG;
	p = add_tail(r, name, sizeof(*p), &name_off);
	if (!p)
		return -ENOMEM;
	p->name_off = name_off;
	p->type = (uint32_t)type;
	t = rawbtf__last(r);
	inc_vlen(t, btf_kflag(t));
	return 0;
}

int rawbtf__add_func(struct rawbtf *r, const char *name, int linkage, int proto)
{
	if (!name || !name[0] || (linkage != BTF_FUNC_STATIC && linkage != BTF_FUNC_GLOBAL &&
				  linkage != BTF_FUNC_EXTERN) || bad_id(proto))
		return -EINVAL;
	return add_record(r, name, info(BTF_KIND_FUNC, (uint32_t)linkage, 0), (uint32_t)proto,
			  0, NULL);
}

int rawbtf__add_var(struct rawbtf *r, const char *name, int linkage, int type)
{
	struct btf_var *v = NULL;
	int id;

	if (!name || !name[0] || (linkage != BTF_VAR_STATIC &&
				  linkage != BTF_VAR_GLOBAL_ALLOCATED &&
				  linkage != BTF_VAR_GLOBAL_EXTERN) || bad_id(type))
		return -EINVAL;
	id = add_record(r, name, info(BTF_KIND_VAR, 0, 0), (uint32_t)type, sizeof(*v),
			(void **)&v);
	if (id > 0)
		v->linkage = (uint32_t)linkage;
	return id;
}

int rawbtf__add_datasec(struct rawbtf *r, const char *name, uint32_t byte_sz)
{
	if (!name || !name[0])
		return -EINVAL;
	return add_record(r, name, info(BTF_KIND_DATASEC, 0, 0), byte_sz, 0, NULL);
}

int rawbtf__add_datasec_var_info(struct rawbtf *r, int var_type_id, uint32_t offset,
				 uint32_t byte_sz)
{
	struct btf_type *t = rawbtf__last(r);
	struct btf_var_secinfo *v;
	uint32_t name_off;

	if (!t || !btf_is_datasec(t) || bad_id(var_type_id))
		return -EINVAL;
	if (vlen_full(t))
		return -E2BIG;
	v = add_tail(r, NULL, sizeof(*v), &name_off);
	if (!v)
		return -ENOMEM;
	v->type = (uint32_t)var_type_id;
	v->offset = offset;
	v->size = byte_sz;
	t = rawbtf__last(r);
	inc_vlen(t, btf_kflag(t));
	return 0;
}

int rawbtf__add_decl_tag(struct rawbtf *r, const char *value, int ref, int component_idx)
{
	struct btf_decl_tag *d = NULL;
	int id;

	if (!value || !value[0] || component_idx < -1 || bad_id(ref))
		return -EINVAL;
	id = add_record(r, value, info(BTF_KIND_DECL_TAG, 0, 0), (uint32_t)ref, sizeof(*d),
			(void **)&d);
	if (id > 0)
		d->component_idx = component_idx;
	return id;
}
