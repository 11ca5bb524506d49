/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * blob_builder: raw BTF written word by word, for the tests of formats that
 * libbpf 1.1.2 cannot write (the 2026 info word, the layout section, kinds
 * it does not know). Host byte order. Include after <cmocka.h>.
 *
 * The blob is laid out as libbpf (commit aa9d4c32) writes it: header, types,
 * the layout section (if any), strings. With hdr32 the header has 32 bytes
 * (layout_off and layout_len after str_len), zero layout fields when there is
 * no layout.
 */
#ifndef BTFENC_TEST_BLOB_BUILDER_H
#define BTFENC_TEST_BLOB_BUILDER_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define BB_INFO(kind, kflag, vlen) \
	((uint32_t)(kflag) << 31 | (uint32_t)(kind) << 24 | (uint32_t)(vlen))

struct bb {
	uint32_t *words;		/* the type section */
	size_t nwords, cap;
	uint32_t nr_types;
	char strs[4096];
	size_t str_len;
	uint8_t layout[128][4];		/* info_sz, elem_sz, flags (le16) */
	unsigned int nlayout;		/* entries written; 0: no layout section */
	int hdr32;
	int split;			/* strings do not start with "\0" of their own */
};

static inline void bb_init(struct bb *b, int hdr32)
{
	memset(b, 0, sizeof(*b));
	b->str_len = 1;
	b->hdr32 = hdr32;
}

/* A split layer's strings: no leading '\0' (offset @base_str_len is its first). */
static inline void bb_init_split(struct bb *b, int hdr32)
{
	bb_init(b, hdr32);
	b->str_len = 0;
	b->split = 1;
}

static inline void bb_free(struct bb *b)
{
	free(b->words);
	b->words = NULL;
}

/* Offset of @s in this layer's strings (+@base for a split layer). */
static inline uint32_t bb_str_at(struct bb *b, const char *s, uint32_t base)
{
	uint32_t off = (uint32_t)b->str_len;
	size_t len = strlen(s) + 1;

	assert_true(b->str_len + len <= sizeof(b->strs));
	memcpy(b->strs + b->str_len, s, len);
	b->str_len += len;
	return off + base;
}

static inline uint32_t bb_str(struct bb *b, const char *s)
{
	return bb_str_at(b, s, 0);
}

static inline void bb_word(struct bb *b, uint32_t w)
{
	if (b->nwords == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 64;
		b->words = realloc(b->words, b->cap * sizeof(*b->words));
		assert_non_null(b->words);
	}
	b->words[b->nwords++] = w;
}

/* Starts a record (struct btf_type); its trailing words follow with bb_word(). */
static inline void bb_type(struct bb *b, uint32_t name_off, uint32_t info, uint32_t size_or_type)
{
	bb_word(b, name_off);
	bb_word(b, info);
	bb_word(b, size_or_type);
	b->nr_types++;
}

/* Layout entries for kinds 0..19 as libbpf's table has them, and room up to @nkinds. */
static inline void bb_layout_std(struct bb *b, unsigned int nkinds)
{
	static const uint8_t sizes[20][2] = {
		[1] = { 4, 0 }, [3] = { 12, 0 }, [4] = { 0, 12 }, [5] = { 0, 12 },
		[6] = { 0, 8 }, [13] = { 0, 8 }, [14] = { 4, 0 }, [15] = { 0, 12 },
		[17] = { 4, 0 }, [19] = { 0, 12 },
	};
	unsigned int k;

	b->nlayout = nkinds;
	for (k = 0; k < nkinds && k < 20; k++) {
		b->layout[k][0] = sizes[k][0];
		b->layout[k][1] = sizes[k][1];
	}
}

static inline void bb_layout_set(struct bb *b, unsigned int kind, uint8_t info_sz,
				 uint8_t elem_sz)
{
	b->layout[kind][0] = info_sz;
	b->layout[kind][1] = elem_sz;
	if (kind >= b->nlayout)
		b->nlayout = kind + 1;
}

/* The blob, malloc'd (exactly @size bytes). */
static inline void *bb_blob(const struct bb *b, size_t *size)
{
	uint32_t hdr_len = b->hdr32 ? 32 : 24, type_len = (uint32_t)(b->nwords * 4);
	uint32_t layout_len = b->nlayout * 4, str_len = (uint32_t)b->str_len;
	struct {
		uint16_t magic;
		uint8_t version, flags;
		uint32_t hdr_len, type_off, type_len, str_off, str_len, layout_off, layout_len;
	} h = { 0xeB9F, 1, 0, hdr_len, 0, type_len, type_len + layout_len, str_len,
		b->nlayout ? type_len : 0, layout_len };
	uint8_t *p;

	assert_true(b->hdr32 || !b->nlayout);
	*size = hdr_len + type_len + layout_len + str_len;
	p = malloc(*size);
	assert_non_null(p);
	memcpy(p, &h, hdr_len);
	memcpy(p + hdr_len, b->words, type_len);
	memcpy(p + hdr_len + type_len, b->layout, layout_len);
	memcpy(p + hdr_len + type_len + layout_len, b->strs, str_len);
	return p;
}

/*
 * Types in the order Linux 7.0's resolve_btfids leaves vmlinux BTF, sorted
 * by name, so that every reference points forward, decl tags first:
 *  1 decl_tag "arg" -> s member 0   2 decl_tag "bpf_kfunc" -> f
 *  3 decl_tag "p_tag" -> f param 0  4 decl_tag "v_tag" -> v
 *  5 datasec ".data" {v}  6 func f -> 10  7 int  8 type_tag "user" -> int
 *  9 ptr -> s  10 proto int (p: ptr s)  11 struct s { int a; user int *b; }
 *  12 typedef t -> s  13 var v: int  14 ptr -> 8
 */
static inline void *bb_sorted_sample(size_t *size)
{
	struct bb b;
	uint32_t n_int;
	void *blob;

	bb_init(&b, 0);
	n_int = bb_str(&b, "int");
	bb_type(&b, bb_str(&b, "arg"), BB_INFO(17, 0, 0), 11);		/* DECL_TAG */
	bb_word(&b, 0);
	bb_type(&b, bb_str(&b, "bpf_kfunc"), BB_INFO(17, 0, 0), 6);
	bb_word(&b, (uint32_t)-1);
	bb_type(&b, bb_str(&b, "p_tag"), BB_INFO(17, 0, 0), 6);
	bb_word(&b, 0);
	bb_type(&b, bb_str(&b, "v_tag"), BB_INFO(17, 0, 0), 13);
	bb_word(&b, (uint32_t)-1);
	bb_type(&b, bb_str(&b, ".data"), BB_INFO(15, 0, 1), 4);		/* DATASEC */
	bb_word(&b, 13);
	bb_word(&b, 0);
	bb_word(&b, 4);
	bb_type(&b, bb_str(&b, "f"), BB_INFO(12, 0, 1), 10);		/* FUNC, global */
	bb_type(&b, n_int, BB_INFO(1, 0, 0), 4);			/* INT */
	bb_word(&b, 1U << 24 | 32);
	bb_type(&b, bb_str(&b, "user"), BB_INFO(18, 0, 0), 7);		/* TYPE_TAG */
	bb_type(&b, 0, BB_INFO(2, 0, 0), 11);				/* PTR */
	bb_type(&b, 0, BB_INFO(13, 0, 1), 7);				/* FUNC_PROTO */
	bb_word(&b, bb_str(&b, "p"));
	bb_word(&b, 9);
	bb_type(&b, bb_str(&b, "s"), BB_INFO(4, 0, 2), 16);		/* STRUCT */
	bb_word(&b, bb_str(&b, "a"));
	bb_word(&b, 7);
	bb_word(&b, 0);
	bb_word(&b, bb_str(&b, "b"));
	bb_word(&b, 14);
	bb_word(&b, 64);
	bb_type(&b, bb_str(&b, "t"), BB_INFO(8, 0, 0), 11);		/* TYPEDEF */
	bb_type(&b, bb_str(&b, "v"), BB_INFO(14, 0, 0), 7);		/* VAR */
	bb_word(&b, 1);
	bb_type(&b, 0, BB_INFO(2, 0, 0), 8);				/* PTR */
	blob = bb_blob(&b, size);
	bb_free(&b);
	return blob;
}

/*
 * A layer with kinds btfenc does not know, stepped over with its layout
 * section: 1 int, 2 kind 25 "loc" (kind_flag 1, 4 bytes and 2 elements of 8
 * after struct btf_type), 3 ptr -> int, 4 typedef loc_t -> 2, 5 an anonymous
 * kind 26 with no elements. @loc names record 2.
 */
static inline void *bb_unknown_sample(const char *loc, size_t *size)
{
	struct bb b;
	void *blob;
	int i;

	bb_init(&b, 1);
	bb_type(&b, bb_str(&b, "int"), BB_INFO(1, 0, 0), 4);	/* BTF_KIND_INT */
	bb_word(&b, 1U << 24 | 32);				/* signed, 32 bits */
	bb_type(&b, bb_str(&b, loc), BB_INFO(25, 1, 2), 1);
	for (i = 0; i < 5; i++)
		bb_word(&b, 1);
	bb_type(&b, 0, BB_INFO(2, 0, 0), 1);			/* BTF_KIND_PTR */
	bb_type(&b, bb_str(&b, "loc_t"), BB_INFO(8, 0, 0), 2);	/* BTF_KIND_TYPEDEF */
	bb_type(&b, 0, BB_INFO(26, 0, 0), 0);
	bb_layout_std(&b, 20);
	bb_layout_set(&b, 25, 4, 8);
	bb_layout_set(&b, 26, 0, 4);
	blob = bb_blob(&b, size);
	bb_free(&b);
	return blob;
}

#endif
