// SPDX-License-Identifier: GPL-2.0-only
/* symidx: the ELF section and symbol facts the function and variable rules read. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "func_select.h"
#include "symbols.h"

#define PERCPU_SECTION ".data..percpu"
/* kallsyms' KSYM_NAME_LEN: the longest name pahole accepts for a symbol. */
#define KSYM_NAME_LEN 128

/* A name the kernel accepts in vmlinux BTF (pahole's btf_name_valid rule). */
static int symbol_name_valid(const char *p)
{
	size_t i;

	for (i = 0; p[i]; i++) {
		unsigned char c = (unsigned char)p[i];

		if (i >= KSYM_NAME_LEN)
			return 0;
		if (c == '_' || c == '.')
			continue;
		if (i == 0 ? !isalpha(c) : !isalnum(c))
			return 0;
	}
	return i > 0;
}

static int percpu_cmp(const void *a, const void *b)
{
	const struct percpu_sym *x = a, *y = b;

	if (x->offset != y->offset)
		return x->offset < y->offset ? -1 : 1;
	/* Deterministic among aliases: by name. */
	return strcmp(x->name, y->name);
}

/*
 * The kernel's rule for a DATASEC name (kernel/bpf/btf.c btf_name_valid_section,
 * 6.1): letters, digits, '_' and '.', not starting with a digit.
 */
static int section_name_valid(const char *p)
{
	size_t i;

	for (i = 0; p[i]; i++) {
		unsigned char c = (unsigned char)p[i];

		if (i >= KSYM_NAME_LEN)
			return 0;
		if (c != '_' && c != '.' && (i == 0 ? !isalpha(c) : !isalnum(c)))
			return 0;
	}
	return i > 0;
}

/*
 * Memory the kernel frees after boot: .init.* and .exit.* sections anywhere
 * (modules too), and in a linked kernel every section between the linker
 * symbols __init_begin and __init_end (x86's .x86_cpu_dev.init, .apicdrivers).
 */
static int section_is_init(const struct elf_section *sec, uint64_t init_begin,
			   uint64_t init_end)
{
	if (!strncmp(sec->name, ".init.", 6) || !strncmp(sec->name, ".exit.", 6))
		return 1;
	return init_end > init_begin && sec->addr >= init_begin &&
	       sec->addr + sec->size <= init_end;
}

static int dsec_cmp(const void *a, const void *b)
{
	const struct data_sec *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return x->shndx < y->shndx ? -1 : x->shndx > y->shndx;
}

static int dsym_cmp(const void *a, const void *b)
{
	const struct data_sym *x = a, *y = b;

	if (x->shndx != y->shndx)
		return x->shndx < y->shndx ? -1 : 1;
	if (x->offset != y->offset)
		return x->offset < y->offset ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Sections and STT_OBJECT symbols for the global variable rules. */
static int index_data(struct symidx *s, const struct objfile *elf)
{
	uint64_t init_begin = 0, init_end = 0;
	size_t i, cap = 0;
	int err;

	for (i = 1; elf->e_type != ET_REL && i < elf->nsyms; i++) {
		if (!strcmp(elf->syms[i].name, "__init_begin"))
			init_begin = elf->syms[i].addr;
		else if (!strcmp(elf->syms[i].name, "__init_end"))
			init_end = elf->syms[i].addr;
	}
	s->sec_class = calloc(elf->nsec ? elf->nsec : 1, 1);
	s->dsecs = calloc(elf->nsec ? elf->nsec : 1, sizeof(*s->dsecs));
	if (!s->sec_class || !s->dsecs)
		return -ENOMEM;
	for (i = 1; i < elf->nsec; i++) {
		const struct elf_section *sec = &elf->secs[i];

		/* TLS sections overlap the address space of the others: their
		 * variables have DW_OP_form_tls_address locations, never an address. */
		/* A DATASEC's size is 32 bits. */
		if (!(sec->flags & SHF_ALLOC) || (sec->flags & SHF_TLS) || !sec->size ||
		    sec->size > UINT32_MAX || (sec->type != SHT_PROGBITS && sec->type != SHT_NOBITS))
			continue;
		if (section_is_init(sec, init_begin, init_end))
			s->sec_class[i] = SEC_INIT;
		else if (!section_name_valid(sec->name))
			s->sec_class[i] = SEC_BAD_NAME;
		else
			s->sec_class[i] = SEC_DATA;
		s->dsecs[s->ndsecs].addr = sec->addr;
		s->dsecs[s->ndsecs].size = sec->size;
		s->dsecs[s->ndsecs].shndx = (uint32_t)i;
		s->ndsecs++;
	}
	if (s->ndsecs > 1)
		qsort(s->dsecs, s->ndsecs, sizeof(*s->dsecs), dsec_cmp);
	for (i = 1; i < elf->nsyms; i++) {
		const struct elf_sym *sym = &elf->syms[i];
		struct data_sym *d;

		if (sym->type != STT_OBJECT || !sym->name[0] || sym->shndx >= elf->nsec ||
		    s->sec_class[sym->shndx] == SEC_NONE || sym->addr < elf->secs[sym->shndx].addr)
			continue;
		err = vec__push_slot(&s->dsyms, &cap, s->ndsyms);
		if (err)
			return err;
		d = &s->dsyms[s->ndsyms++];
		d->name = sym->name;
		d->offset = sym->addr - elf->secs[sym->shndx].addr;
		d->size = sym->size;
		d->shndx = sym->shndx;
		d->bind = sym->bind;
	}
	if (s->ndsyms)
		qsort(s->dsyms, s->ndsyms, sizeof(*s->dsyms), dsym_cmp);
	for (i = 0; i < s->ndsyms; i++) {
		const struct data_sym *d = &s->dsyms[i];

		if (!d->size || (d->bind != STB_GLOBAL && d->bind != STB_WEAK))
			continue;
		err = strmap__add(&s->globals, d->name, (uint32_t)i);
		if (err < 0)
			return err;
	}
	return 0;
}

uint32_t symidx__data_section(const struct symidx *s, uint64_t addr)
{
	size_t lo = 0, hi = s->ndsecs;

	/* The last section starting at or below @addr; they do not overlap. */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (s->dsecs[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || addr - s->dsecs[lo - 1].addr >= s->dsecs[lo - 1].size)
		return 0;
	return s->dsecs[lo - 1].shndx;
}

const struct data_sym *symidx__data_syms_at(const struct symidx *s, uint32_t shndx,
					    uint64_t offset, size_t *n)
{
	size_t lo = 0, hi = s->ndsyms, end;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct data_sym *d = &s->dsyms[mid];

		if (d->shndx < shndx || (d->shndx == shndx && d->offset < offset))
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo; end < s->ndsyms && s->dsyms[end].shndx == shndx &&
	     s->dsyms[end].offset == offset; end++)
		;
	*n = end - lo;
	return *n ? &s->dsyms[lo] : NULL;
}

int symidx__build(struct symidx *s, struct objfile *elf, const struct encoder_config *cfg)
{
	size_t i, cap = 0;
	int err;

	memset(s, 0, sizeof(*s));
	s->elf = elf;
	if (cfg->global_vars) {
		err = index_data(s, elf);
		if (err)
			return err;
	}
	s->percpu_shndx = objfile__find_section(elf, PERCPU_SECTION);
	if (s->percpu_shndx) {
		s->percpu_addr = elf->secs[s->percpu_shndx].addr;
		s->percpu_size = elf->secs[s->percpu_shndx].size;
	}
	for (i = 1; i < elf->nsyms; i++) {
		const struct elf_sym *sym = &elf->syms[i];

		if (sym->type == STT_FUNC && sym->name[0]) {
			err = strmap__add(&s->funcs, sym->name, 0);
			if (err < 0)
				return err;
			s->nfuncs++;
			continue;
		}
		if (!s->percpu_shndx || cfg->skip_vars || cfg->global_vars ||
		    sym->shndx != s->percpu_shndx ||
		    sym->type != STT_OBJECT || !sym->size)
			continue;
		if (!symbol_name_valid(sym->name)) {
			if (cfg->force) {
				diag__info(cfg->diag,
					   "%s: per-CPU symbol '%s' has an invalid name, ignored",
					   elf->path, sym->name);
				continue;
			}
			diag__err(cfg->diag, "%s: per-CPU symbol '%s' has a name BTF cannot hold "
				  "(use --btf_encode_force to skip it)", elf->path, sym->name);
			return -EINVAL;
		}
		err = vec__reserve((void **)&s->percpu, &cap, s->npercpu + 1, sizeof(*s->percpu));
		if (err)
			return err;
		s->percpu[s->npercpu].offset = sym->addr - s->percpu_addr;
		s->percpu[s->npercpu].size = sym->size;
		s->percpu[s->npercpu].name = sym->name;
		s->npercpu++;
	}
	if (s->npercpu)
		qsort(s->percpu, s->npercpu, sizeof(*s->percpu), percpu_cmp);
	err = func_select__new_rules(cfg) ? func_select__build_table(s, elf) : 0;
	if (!err && cfg->decl_tag_kfuncs)
		err = func_select__build_kfuncs(s, elf);
	return err;
}

void symidx__free(struct symidx *s)
{
	func_select__free_table(s);
	strmap__free(&s->funcs);
	free(s->percpu);
	free(s->sec_class);
	free(s->dsecs);
	free(s->dsyms);
	strmap__free(&s->globals);
	memset(s, 0, sizeof(*s));
}
