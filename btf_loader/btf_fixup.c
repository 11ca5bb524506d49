// SPDX-License-Identifier: GPL-2.0-only
/*
 * btf_fixup: a unit's blob checked by btf_reader/ before its records are read.
 *
 * Design note.
 * Problem: the blob is untrusted and must pass the kernel's rules (reader
 * CHECK_FULL) before the records are made of it, but what GCC 12 writes with
 * -gbtf never does: it encodes char and signed char as INT with encoding
 * SIGNED|CHAR (the kernel takes one of SIGNED, CHAR, BOOL: btf_int_check_meta()
 * "Unsupported encoding"), writes a FUNC without a name for every function
 * type it meets (btf_func_check_meta(): "Invalid name"), FWDs with a size
 * (btf_fwd_check_meta(): "type != 0"; the size/type field holds the kind of
 * the type declared, CTF's numbering: 6 struct, 8 enum), an incomplete enum
 * as a struct FWD (used by value as a function pointer's return type, as in
 * fwnode.h's "enum dev_dma_attr (*device_get_dma_attr)()", the kernel
 * refuses it: btf_func_proto_check() "Invalid return type"), a VAR for an
 * extern declaration whose type is incomplete in the object (as Linux's
 * init_user_ns where struct user_namespace is only declared:
 * btf_var_resolve() "Invalid type"), and, in an object
 * file, DATASECs whose entries all sit at offset 0 (the image's offsets are
 * the linker's; "Invalid offset"). Messages must still name the object's own
 * type IDs.
 * Passes:
 *  1. CHECK_STRUCTURE on the blob as it is: every record lies in the type
 *     section, every ID and name offset is in range, so it can be read.
 *  2. A copy with the same type IDs: the records the encoder does not take
 *     from the blob (DATASECs, rebuilt from the ELF symbols; FUNCs without a
 *     name; VARs of a FWD type, through typedefs and qualifiers, which only a
 *     declaration can have; DECL_TAGs, not carried over yet) are set aside, each replaced by
 *     a pointer to void that nothing refers to; a reference to a FUNC set
 *     aside is made to its FUNC_PROTO (how the kernel's BTF has function
 *     pointers); a FWD marked with CTF's enum kind becomes the ENUM of
 *     size 4 without enumerators that an enum declaration is from DWARF
 *     (libbpf's dedup takes it for the enum's full definition, if any), any
 *     other FWD's size becomes 0; an ARRAY without an index type gets
 *     an INT added after the blob's last type (the encoder writes its own); SIGNED|CHAR becomes SIGNED, as char is on the machines BTF
 *     is made for (pahole writes DW_ATE_signed_char so). Any other reference
 *     to a record set aside fails the unit.
 *  3. CHECK_FULL, and the kernel's resolve pass, on the copy: its flat BTF is
 *     what btf_records.c reads. Each change is counted for btfload__report().
 * Invariant: type ID k of the checked BTF is type ID k of the blob.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>

#include "btf_loader_int.h"
#include "btf_reader/reader.h"
#include "btf_reader/typeref.h"

/* GCC's ctf.h: the kind of a forward declaration, in a FWD's size/type field. */
#define CTF_K_ENUM 8

struct redirect {
	const struct btf *src;
	const uint8_t *aside;
	uint32_t bad;		/* a reference to a record set aside that cannot be redirected */
};

static int redirect_ref(uint32_t *id, void *arg)
{
	struct redirect *r = arg;
	const struct btf_type *t;

	if (!*id || !r->aside[*id])
		return 0;
	t = btf__type_by_id(r->src, *id);
	if (btf_kind(t) == BTF_KIND_FUNC && !r->aside[t->type]) {
		*id = t->type;
		return 0;
	}
	r->bad = *id;
	return 1;
}

static const char *kind_name(const struct btf_type *t)
{
	static const char *const names[] = {
		"void", "INT", "PTR", "ARRAY", "STRUCT", "UNION", "ENUM", "FWD", "TYPEDEF",
		"VOLATILE", "CONST", "RESTRICT", "FUNC", "FUNC_PROTO", "VAR", "DATASEC",
		"FLOAT", "DECL_TAG", "TYPE_TAG", "ENUM64",
	};

	return btf_kind(t) < sizeof(names) / sizeof(names[0]) ? names[btf_kind(t)] : "?";
}

/* Whether prototype @proto has a parameter without a name (not the variadic mark). */
static int unnamed_param(const struct btf *src, uint32_t proto)
{
	const struct btf_type *p = btf__type_by_id(src, proto);
	const struct btf_param *prm;
	uint16_t i;

	if (!p || !btf_is_func_proto(p))
		return 0;	/* CHECK_FULL says what is wrong */
	prm = btf_params(p);
	for (i = 0; i < btf_vlen(p); i++)
		if (!prm[i].name_off && (prm[i].type || i + 1 < btf_vlen(p)))
			return 1;
	return 0;
}

/*
 * Whether type @id is a FWD, through typedefs and qualifiers. The walk is
 * bounded: CHECK_STRUCTURE has not ruled out loops yet.
 */
static int is_fwd(const struct btf *src, uint32_t id)
{
	int depth;

	for (depth = 0; id && depth < 32; depth++) {
		const struct btf_type *t = btf__type_by_id(src, id);

		if (!t)
			return 0;
		switch (btf_kind(t)) {
		case BTF_KIND_FWD:
			return 1;
		case BTF_KIND_TYPEDEF:
		case BTF_KIND_CONST:
		case BTF_KIND_VOLATILE:
		case BTF_KIND_RESTRICT:
		case BTF_KIND_TYPE_TAG:
			id = t->type;
			break;
		default:
			return 0;
		}
	}
	return 0;
}

/* Pass 1's result: which records are set aside, counted in @s. */
static void set_aside(const struct btf *src, struct unit_slot *s, uint8_t *aside)
{
	uint32_t id, n = btf__type_cnt(src);

	for (id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(src, id);

		switch (btf_kind(t)) {
		case BTF_KIND_DATASEC:
			aside[id] = 1;
			s->fixes[FIX_DATASEC]++;
			break;
		case BTF_KIND_FUNC:
			if (!t->name_off) {
				aside[id] = 1;
				s->fixes[FIX_ANON_FUNC]++;
			} else if (unnamed_param(src, t->type)) {
				aside[id] = 1;
				s->fixes[FIX_FUNC_UNNAMED]++;
			}
			break;
		case BTF_KIND_VAR:
			if (is_fwd(src, t->type)) {
				aside[id] = 1;
				s->fixes[FIX_VAR_INCOMPLETE]++;
			}
			break;
		case BTF_KIND_DECL_TAG:
			aside[id] = 1;
			s->fixes[FIX_DECL_TAG]++;
			break;
		case BTF_KIND_TYPE_TAG:
			s->fixes[FIX_TYPE_TAG]++;
			break;
		}
	}
}

/* Pass 2: the copy with the same IDs. */
static int make_copy(const struct btf *src, struct unit_slot *s, uint8_t *aside,
		     const char *name, const struct diag *d, struct btf **out)
{
	struct redirect r = { .src = src, .aside = aside };
	uint32_t id, n = btf__type_cnt(src), no_index = 0;
	struct btf *dst = btf__new_empty();
	int nid;

	if (!dst)
		return -ENOMEM;
	for (id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(src, id);
		struct btf_type *c;

		nid = aside[id] ? btf__add_ptr(dst, 0) : btf__add_type(dst, src, t);
		if (nid < 0)
			goto fail;
		if (aside[id])
			continue;
		c = (struct btf_type *)btf__type_by_id(dst, nid);
		if (typeref__for_each(c, redirect_ref, &r)) {
			diag__err(d, "%s: type ID %u (%s): refers to type ID %u, a %s the encoder "
				  "does not take from compiler BTF", name, id, kind_name(t), r.bad,
				  kind_name(btf__type_by_id(src, r.bad)));
			btf__free(dst);
			return -EINVAL;
		}
		if (btf_is_array(c) && !btf_array(c)->index_type)
			no_index++;
		if (btf_kind(c) == BTF_KIND_FWD && !btf_kflag(c) && c->size == CTF_K_ENUM) {
			/* vlen 0, kflag 0 (unsigned), as the declaration is from DWARF */
			c->info = (uint32_t)BTF_KIND_ENUM << 24;
			c->size = 4;
			s->fixes[FIX_FWD_ENUM]++;
		} else if (btf_kind(c) == BTF_KIND_FWD && c->size) {
			c->size = 0;
			s->fixes[FIX_FWD_TYPE]++;
		}
		if (btf_kind(c) == BTF_KIND_INT) {
			uint32_t *w = (uint32_t *)(c + 1);

			if (BTF_INT_ENCODING(*w) == (BTF_INT_SIGNED | BTF_INT_CHAR)) {
				*w = (*w & ~0x0f000000u) | ((uint32_t)BTF_INT_SIGNED << 24);
				s->fixes[FIX_SIGNED_CHAR]++;
			}
		}
	}
	/* After every type of the blob, so that no ID moves; set aside (ID n). */
	if (no_index) {
		nid = btf__add_int(dst, "__ARRAY_SIZE_TYPE__", 4, 0);
		if (nid < 0)
			goto fail;
		aside[n] = 1;
		for (id = 1; id < n; id++) {
			struct btf_type *c = (struct btf_type *)btf__type_by_id(dst, id);

			if (btf_is_array(c) && !btf_array(c)->index_type)
				btf_array(c)->index_type = nid;
		}
		s->fixes[FIX_ARRAY_INDEX] += no_index;
	}
	*out = dst;
	return 0;
fail:
	diag__err(d, "%s: type ID %u: cannot copy: %s", name, id, strerror(-nid));
	btf__free(dst);
	return nid;
}

int btffix__check_unit(struct btf_loader *l, size_t k)
{
	struct unit_slot *s = &l->slots[k];
	const void *blob = l->sec + s->offset;
	struct btf_chain *raw = NULL;
	struct btf *copy = NULL;
	const void *bytes;
	const char *names[1];
	char name[512];
	size_t size = s->size;
	__u32 copy_size;
	int err;

	snprintf(name, sizeof(name), "%s (.BTF of object %zu at byte %zu)", l->elf->path, k,
		 s->offset);
	names[0] = name;
	err = chain__load_mem_level(&blob, &size, names, 1, CHECK_STRUCTURE, l->diag, &raw);
	if (err)
		return err;
	/* One more: the index type make_copy() may add. */
	s->set_aside = calloc(btf__type_cnt(raw->flat) + 1, 1);
	if (!s->set_aside) {
		err = -ENOMEM;
		goto out;
	}
	set_aside(raw->flat, s, s->set_aside);
	err = make_copy(raw->flat, s, s->set_aside, name, l->diag, &copy);
	if (err)
		goto out;
	bytes = btf__raw_data(copy, &copy_size);
	if (!bytes) {
		err = -ENOMEM;
		goto out;
	}
	size = copy_size;
	err = chain__load_mem(&bytes, &size, names, 1, l->diag, &s->chain);
out:
	btf__free(copy);
	chain__free(raw);
	return err;
}
