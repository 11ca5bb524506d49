// SPDX-License-Identifier: GPL-2.0-only
/*
 * func_table: the tables pahole 1.26+'s function rules read from the ELF file,
 * built once before any unit into the symbol index (symbols.h): STT_FUNC symbols
 * grouped by the name up to the first '.' (func_select.h B1), and the kfuncs
 * .BTF_ids lists (B9). Read-only once built.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "func_select.h"
#include "symbols.h"

static int group_of(const char *name, size_t len)
{
	const char *dot = memchr(name, '.', len);

	/* foo.cold.1 and foo.part.0 are pieces of foo, not functions. */
	return !dot || (!strstr(dot, ".cold") && !strstr(dot, ".part"));
}

int func_select__build_table(struct symidx *s, const struct objfile *elf)
{
	size_t i, cap = 0;
	int err;

	s->group_next = calloc(elf->nsyms ? elf->nsyms : 1, sizeof(*s->group_next));
	if (!s->group_next)
		return -ENOMEM;
	for (i = 1; i < elf->nsyms; i++) {
		const struct elf_sym *sym = &elf->syms[i];
		size_t len = strcspn(sym->name, ".");
		uint64_t value = objfile__sym_value(elf, sym);
		struct fn_group *grp;
		uint32_t g;
		char *key;

		if (sym->type != STT_FUNC || !len || !group_of(sym->name, strlen(sym->name)))
			continue;
		key = strndup(sym->name, len);
		if (!key)
			return -ENOMEM;
		if (strmap__get(&s->func_groups, key, &g)) {
			/*
			 * pahole's elf_function__has_ambiguous_address(), on st_value: a
			 * symbol at another address than the one before it, unless that one
			 * was at 0.
			 */
			grp = &s->groups[g];
			if (grp->addr && grp->addr != value)
				grp->ambiguous = 1;
			grp->addr = value;
			s->group_next[grp->last_sym] = (uint32_t)i;
			grp->last_sym = (uint32_t)i;
			free(key);
			continue;
		}
		err = vec__reserve((void **)&s->groups, &cap, s->ngroups + 1, sizeof(*s->groups));
		if (!err)
			err = strmap__add(&s->func_groups, key, (uint32_t)s->ngroups);
		if (err < 0) {
			free(key);
			return err;
		}
		grp = &s->groups[s->ngroups++];
		grp->addr = value;
		grp->ambiguous = 0;
		grp->first_sym = grp->last_sym = (uint32_t)i;
	}
	return 0;
}

#define SET8_PREFIX "__BTF_ID__set8__"
#define FUNC_PREFIX "__BTF_ID__func__"
#define SET8_KFUNCS 1	/* btf_id_set8.flags: the set lists kfuncs */

struct addr_range {
	uint64_t start, end;
};

/* A u32 of the ELF's byte order at @off of section data @d, 0 past its end. */
static uint32_t read_u32(const uint8_t *d, size_t size, uint64_t off, int big)
{
	if (off + 4 > size)
		return 0;
	return big ? (uint32_t)d[off] << 24 | d[off + 1] << 16 | d[off + 2] << 8 | d[off + 3] :
		     (uint32_t)d[off + 3] << 24 | d[off + 2] << 16 | d[off + 1] << 8 | d[off];
}

/*
 * kfuncs (pahole 1.27's decl_tag_kfuncs): in .BTF_ids, each BTF_SET8 whose
 * flags have BTF_SET8_KFUNCS spans [symbol, symbol + size); every
 * __BTF_ID__func__NAME__N symbol inside one names a kfunc.
 */
int func_select__build_kfuncs(struct symidx *s, struct objfile *elf)
{
	size_t shndx = objfile__find_section(elf, ".BTF_ids"), i, n = 0, cap = 0, dsize;
	const uint8_t *data;
	struct addr_range *sets = NULL;
	int err = 0;

	if (!shndx)
		return 0;
	data = objfile__section_data(elf, shndx, &dsize);
	for (i = 1; data && i < elf->nsyms; i++) {
		const struct elf_sym *sym = &elf->syms[i];
		uint64_t off = sym->addr - elf->secs[shndx].addr;

		if (sym->shndx != shndx || strncmp(sym->name, SET8_PREFIX, strlen(SET8_PREFIX)))
			continue;
		if (!(read_u32(data, dsize, off + 4, elf->big_endian) & SET8_KFUNCS))
			continue;
		err = vec__reserve((void **)&sets, &cap, n + 1, sizeof(*sets));
		if (err)
			goto out;
		sets[n].start = sym->addr;
		sets[n].end = sym->addr + sym->size;
		n++;
	}
	for (i = 1; n && i < elf->nsyms; i++) {
		const struct elf_sym *sym = &elf->syms[i];
		const char *name = sym->name + strlen(FUNC_PREFIX), *end;
		size_t k;
		char *copy;

		if (sym->shndx != shndx || strncmp(sym->name, FUNC_PREFIX, strlen(FUNC_PREFIX)))
			continue;
		for (k = 0; k < n; k++)
			if (sym->addr >= sets[k].start && sym->addr < sets[k].end)
				break;
		end = strstr(name, "__");
		while (end && strstr(end + 2, "__"))
			end = strstr(end + 2, "__");
		if (k == n || !end || end == name)
			continue;
		copy = strndup(name, end - name);
		if (!copy) {
			err = -ENOMEM;
			goto out;
		}
		/* The set's flags for this kfunc follow its ID (struct btf_id_set8's pairs);
		 * in several sets, the last symbol's, as pahole reads them. */
		err = strmap__set(&s->kfuncs, copy,
				  read_u32(data, dsize, sym->addr - elf->secs[shndx].addr + 4,
					   elf->big_endian));
		if (err <= 0)
			free(copy);
		if (err < 0)
			goto out;
		err = 0;
	}
out:
	free(sets);
	return err;
}

void func_select__free_table(struct symidx *s)
{
	size_t i;

	for (i = 0; i < s->kfuncs.cap; i++)
		free((char *)s->kfuncs.keys[i]);
	strmap__free(&s->kfuncs);

	for (i = 0; i < s->func_groups.cap; i++)
		free((char *)s->func_groups.keys[i]);
	strmap__free(&s->func_groups);
	free(s->groups);
	free(s->group_next);
}
