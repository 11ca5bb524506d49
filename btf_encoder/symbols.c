// SPDX-License-Identifier: GPL-2.0-only
/* symidx: the ELF symbol facts the function and variable rules read. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "encoder_int.h"

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

int symidx__build(struct symidx *s, const struct elfin *elf, const struct encoder_config *cfg)
{
	size_t i, cap = 0;
	int err;

	memset(s, 0, sizeof(*s));
	s->percpu_shndx = elfin__find_section(elf, PERCPU_SECTION);
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
		if (!s->percpu_shndx || cfg->skip_vars || sym->shndx != s->percpu_shndx ||
		    sym->type != STT_OBJECT || !sym->size)
			continue;
		if (!symbol_name_valid(sym->name)) {
			if (cfg->force) {
				diag__info(cfg->diag, "%s: per-CPU symbol '%s' has an invalid name, ignored",
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
	return 0;
}

void symidx__free(struct symidx *s)
{
	strmap__free(&s->funcs);
	free(s->percpu);
	memset(s, 0, sizeof(*s));
}
