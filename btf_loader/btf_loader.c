// SPDX-License-Identifier: GPL-2.0-only
/*
 * btf_loader: a compiler's per-object .BTF as units of records (contract in
 * btf_loader.h): the .BTF section cut into its blobs, the symbol lookups the
 * records need, and the report of what was changed.
 */
#include <byteswap.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/btf.h>

#include "btf_loader_int.h"
#include "btf_reader/reader.h"

#define BTF_HDR_MIN 24u

static uint32_t rd32(const uint8_t *p, int swap)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return swap ? bswap_32(v) : v;
}

/*
 * Bytes of the blob at @off: its header's length plus the end of its furthest
 * section (btf_header: magic, version, flags, hdr_len, type_off, type_len,
 * str_off, str_len). 0 after a message when there is no whole blob there.
 */
static size_t blob_size(const struct btf_loader *l, size_t off)
{
	const uint8_t *p = l->sec + off;
	size_t left = l->sec_size - off;
	uint16_t magic;
	uint64_t hdr_len, t_end, s_end, end;
	int swap;

	memcpy(&magic, p, sizeof(magic));
	if (left < BTF_HDR_MIN || (magic != BTF_MAGIC && magic != bswap_16(BTF_MAGIC))) {
		diag__err(l->diag, "%s: .BTF at byte %zu: no BTF header (object %zu)",
			  l->elf->path, off, l->nunits);
		return 0;
	}
	swap = magic != BTF_MAGIC;
	hdr_len = rd32(p + 4, swap);
	t_end = (uint64_t)rd32(p + 8, swap) + rd32(p + 12, swap);
	s_end = (uint64_t)rd32(p + 16, swap) + rd32(p + 20, swap);
	end = hdr_len + (t_end > s_end ? t_end : s_end);
	if (hdr_len < BTF_HDR_MIN || end > left) {
		diag__err(l->diag, "%s: .BTF at byte %zu: object %zu's BTF header says %llu bytes, "
			  "%zu are left", l->elf->path, off, l->nunits, (unsigned long long)end,
			  left);
		return 0;
	}
	return (size_t)end;
}

static int cut_units(struct btf_loader *l)
{
	size_t off = 0, cap = 0, scap = 0, n;
	int err;

	while (off < l->sec_size) {
		/* Alignment padding a linker may leave between two objects' sections. */
		if (!l->sec[off]) {
			off++;
			continue;
		}
		n = blob_size(l, off);
		if (!n)
			return -EINVAL;
		err = vec__push_slot(&l->units, &cap, l->nunits);
		if (!err)
			err = vec__push_slot(&l->slots, &scap, l->nunits);
		if (err)
			return err;
		l->units[l->nunits] = (struct unit_span){ .die_off = l->nunits, .size = n };
		memset(&l->slots[l->nunits], 0, sizeof(l->slots[0]));
		l->slots[l->nunits].offset = off;
		l->slots[l->nunits].size = n;
		l->nunits++;
		off += n;
	}
	return 0;
}

/* Records @sym (index @i, a local one of file @file) under its name in @m. */
static int add_sym(struct btf_loader *l, struct strmap *m, const struct elf_sym *sym, uint32_t i,
		   uint32_t file)
{
	struct sym_pick *p;
	uint32_t k, first;
	int err;

	if (!strmap__get(m, sym->name, &k)) {
		err = vec__push_slot(&l->picks, &l->picks_cap, l->npicks);
		if (!err)
			err = strmap__add(m, sym->name, (uint32_t)l->npicks);
		if (err < 0)
			return err;
		k = (uint32_t)l->npicks++;
		memset(&l->picks[k], 0, sizeof(l->picks[k]));
	}
	p = &l->picks[k];
	if (sym->bind == STB_LOCAL) {
		if (!p->local || l->elf->syms[p->local - 1].addr != sym->addr)
			p->nlocal++;
		if (!p->local) {
			p->local = i + 1;
			p->local_file = file;
		}
		if (file && !u64map__get(&l->file_locals, (uint64_t)file << 32 | k, &first))
			return u64map__set(&l->file_locals, (uint64_t)file << 32 | k, i + 1);
	} else if (!p->global) {
		p->global = i + 1;
	}
	return 0;
}

static int index_symbols(struct btf_loader *l)
{
	uint32_t file = 0;
	size_t i;
	int err = 0;

	for (i = 0; i < l->elf->nsyms && !err; i++) {
		const struct elf_sym *s = &l->elf->syms[i];
		uint32_t f = s->bind == STB_LOCAL ? file : 0;

		if (s->type == STT_FILE && s->bind == STB_LOCAL && file < UINT32_MAX) {
			file++;
			continue;
		}
		if (!s->name || !*s->name || s->shndx == SHN_UNDEF || s->shndx >= SHN_LORESERVE)
			continue;
		if (s->type == STT_FUNC)
			err = add_sym(l, &l->func_syms, s, (uint32_t)i, f);
		else if (s->type == STT_OBJECT || s->type == STT_TLS)
			err = add_sym(l, &l->data_syms, s, (uint32_t)i, f);
	}
	return err;
}

struct btf_loader *btfload__new(struct objfile *elf, const struct diag *diag)
{
	struct btf_loader *l = calloc(1, sizeof(*l));
	size_t idx;
	int err;

	if (!l) {
		errno = ENOMEM;
		return NULL;
	}
	l->elf = elf;
	l->diag = diag;
	idx = objfile__find_section(elf, ".BTF");
	l->sec = idx ? objfile__section_data(elf, idx, &l->sec_size) : NULL;
	if (!l->sec || !l->sec_size) {
		diag__err(diag, "%s: no .BTF to read (objects compiled without gcc -gbtf?)",
			  elf->path);
		err = -ENODATA;
		goto fail;
	}
	err = cut_units(l);
	if (!err)
		err = index_symbols(l);
	if (!err)
		return l;
fail:
	btfload__free(l);
	errno = -err;
	return NULL;
}

void btfload__free(struct btf_loader *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->nunits; i++) {
		chain__free(l->slots[i].chain);
		free(l->slots[i].set_aside);
	}
	free(l->slots);
	free(l->units);
	strmap__free(&l->func_syms);
	strmap__free(&l->data_syms);
	free(l->picks);
	u64map__free(&l->file_locals);
	free(l);
}

const struct unit_span *btfload__units(const struct btf_loader *l, size_t *cnt)
{
	*cnt = l->nunits;
	return l->units;
}

int btfload__load_unit(struct btf_loader *l, const struct unit_span *u, struct cu_records *cu)
{
	size_t k = (size_t)u->die_off;
	int err;

	cu_records__reset(cu);
	if (k >= l->nunits)
		return -EINVAL;
	err = btffix__check_unit(l, k);
	if (!err)
		err = btfrec__load(l, k, cu);
	return err;
}

static const char *const fix_text[FIX__MAX] = {
	[FIX_SIGNED_CHAR] = "INTs with encoding SIGNED|CHAR (GCC's char and signed char) read "
			    "as SIGNED: the kernel refuses the pair",
	[FIX_FWD_TYPE] = "FWDs with a non-zero size/type field (GCC 12 writes one) read with "
			 "0: the kernel refuses any other",
	[FIX_FWD_ENUM] = "FWDs of an enum (GCC 12 marks them with CTF's enum kind in the "
			 "size/type field) read as an enum declaration, as from DWARF",
	[FIX_ANON_FUNC] = "FUNCs without a name (GCC 12 writes one per function type) left "
			  "out: the kernel refuses them",
	[FIX_FUNC_UNNAMED] = "FUNCs with an unnamed parameter (GCC 12 writes one for a function "
			     "declaration) left out: the kernel refuses them, pahole writes none",
	[FIX_ARRAY_INDEX] = "ARRAYs without an index type (GCC 12) checked with one: the "
			    "encoder writes its own, as from DWARF",
	[FIX_VAR_INCOMPLETE] = "VARs of an incomplete type (GCC 12 writes an extern declaration "
			       "as a VAR) left out: the kernel refuses them, none is a definition",
	[FIX_VAR_TWICE] = "VARs a unit writes twice under one name (GCC 12: a declaration "
			  "and its definition, both global linkage) taken once",
	[FIX_DATASEC] = "DATASECs left out: their offsets are the object's, not the image's; "
			"variables are placed by the ELF symbols",
	[FIX_DECL_TAG] = "DECL_TAGs not carried over (not yet read from compiler BTF)",
	[FIX_TYPE_TAG] = "TYPE_TAGs not carried over (not yet read from compiler BTF): the "
			 "tagged type is used",
	[FIX_FUNC_NO_SYM] = "FUNCs whose name no function symbol of the file bears (no FUNC, "
			    "as from DWARF)",
	[FIX_FUNC_AMBIGUOUS] = "FUNCs whose name several local function symbols bear, none "
			       "in their object's file or that file not found: no address (the "
			       "BTF does not say which object's is which)",
	[FIX_VAR_NO_SYM] = "VARs whose name no data symbol of the file bears: no address",
	[FIX_VAR_AMBIGUOUS] = "static VARs whose name several local data symbols bear, none "
			      "in their object's file or that file not found: no address, no VAR "
			      "(the BTF does not say which object's is which)",
	[FIX_FUNC_BY_FILE] = "FUNCs whose name several local function symbols bear placed by "
			     "the one of their object's file (STT_FILE), the file its statics "
			     "of a name only one local symbol bears point to",
	[FIX_VAR_BY_FILE] = "static VARs whose name several local data symbols bear placed by "
			    "the one of their object's file (STT_FILE), the file its statics "
			    "of a name only one local symbol bears point to",
};

void btfload__report(const struct btf_loader *l)
{
	uint64_t sum[FIX__MAX] = {};
	size_t i, f;

	for (i = 0; i < l->nunits; i++)
		for (f = 0; f < FIX__MAX; f++)
			sum[f] += l->slots[i].fixes[f];
	for (f = 0; f < FIX__MAX; f++)
		if (sum[f])
			diag__info(l->diag, "%s: compiler BTF: %llu %s", l->elf->path,
				   (unsigned long long)sum[f], fix_text[f]);
}
