// SPDX-License-Identifier: GPL-2.0-only
#include <stddef.h>

#include "format.h"
#include "typeref.h"

#define KIND(t) INFO_KIND((t)->info)
#define VLEN(t) INFO_VLEN((t)->info)

int typeref__for_each(struct btf_type *t, typeref_fn fn, void *ctx)
{
	unsigned int i, n = VLEN(t);
	int r;

	switch (KIND(t)) {
	case BTF_KIND_PTR:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_FUNC:
	case BTF_KIND_VAR:
	case BTF_KIND_DECL_TAG:
	case BTF_KIND_TYPE_TAG:
		return fn(&t->type, ctx);
	case BTF_KIND_ARRAY: {
		struct btf_array *a = (struct btf_array *)(t + 1);

		r = fn(&a->type, ctx);
		return r ? r : fn(&a->index_type, ctx);
	}
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION: {
		struct btf_member *m = (struct btf_member *)(t + 1);

		for (i = 0; i < n; i++)
			if ((r = fn(&m[i].type, ctx)))
				return r;
		return 0;
	}
	case BTF_KIND_FUNC_PROTO: {
		struct btf_param *p = (struct btf_param *)(t + 1);

		if ((r = fn(&t->type, ctx)))
			return r;
		for (i = 0; i < n; i++)
			if ((r = fn(&p[i].type, ctx)))
				return r;
		return 0;
	}
	case BTF_KIND_DATASEC: {
		struct btf_var_secinfo *v = (struct btf_var_secinfo *)(t + 1);

		for (i = 0; i < n; i++)
			if ((r = fn(&v[i].type, ctx)))
				return r;
		return 0;
	}
	default:
		return 0;
	}
}

int typeref__for_each_str(struct btf_type *t, typeref_fn fn, void *ctx)
{
	unsigned int i, n = VLEN(t);
	size_t stride;
	uint8_t *p = (uint8_t *)(t + 1);
	int r = fn(&t->name_off, ctx);

	if (r)
		return r;
	switch (KIND(t)) {
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		stride = sizeof(struct btf_member);
		break;
	case BTF_KIND_ENUM:
		stride = sizeof(struct btf_enum);
		break;
	case BTF_KIND_ENUM64:
		stride = sizeof(struct btf_enum64);
		break;
	case BTF_KIND_FUNC_PROTO:
		stride = sizeof(struct btf_param);
		break;
	default:
		return 0;
	}
	/* Each of these starts with its name_off. */
	for (i = 0; i < n; i++)
		if ((r = fn((uint32_t *)(p + i * stride), ctx)))
			return r;
	return 0;
}

long typeref__extra_size(const struct btf_type *t)
{
	long n = VLEN(t);

	switch (KIND(t)) {
	case BTF_KIND_INT:
		return 4;
	case BTF_KIND_PTR:
	case BTF_KIND_FWD:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_FUNC:
	case BTF_KIND_FLOAT:
	case BTF_KIND_TYPE_TAG:
		return 0;
	case BTF_KIND_ARRAY:
		return sizeof(struct btf_array);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return n * (long)sizeof(struct btf_member);
	case BTF_KIND_ENUM:
		return n * (long)sizeof(struct btf_enum);
	case BTF_KIND_ENUM64:
		return n * (long)sizeof(struct btf_enum64);
	case BTF_KIND_FUNC_PROTO:
		return n * (long)sizeof(struct btf_param);
	case BTF_KIND_VAR:
		return sizeof(struct btf_var);
	case BTF_KIND_DATASEC:
		return n * (long)sizeof(struct btf_var_secinfo);
	case BTF_KIND_DECL_TAG:
		return sizeof(struct btf_decl_tag);
	default:
		return -1;
	}
}
