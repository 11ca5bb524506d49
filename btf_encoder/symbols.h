/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * symbols: what the function and variable rules need from the ELF file
 * (symbols.c), built once per input before any unit is encoded and read-only
 * after: the worker threads share it without a lock. Function names and the
 * per-CPU symbols always; data sections and data symbols with global_vars;
 * the function groups and kfunc names of pahole 1.26+'s rules (built by
 * func_table.c). Strings point into the objfile, which must outlive the index.
 * Private to btf_encoder/.
 */
#ifndef BTFENC_ENCODER_SYMBOLS_H
#define BTFENC_ENCODER_SYMBOLS_H

#include <stddef.h>
#include <stdint.h>

#include "encoder.h"
#include "dwarf_loader/objfile.h"
#include "util/vec.h"

/* A per-CPU ELF symbol, offset relative to its section. */
struct percpu_sym {
	uint64_t offset;
	uint64_t size;
	const char *name;
};

/* An allocated data section a global variable can live in (global_vars). */
struct data_sec {
	uint64_t addr, size;
	uint32_t shndx;
};

/* Classes of ELF sections for the variable rules (symidx.sec_class). */
enum sec_class {
	SEC_NONE,	/* not allocated PROGBITS/NOBITS, TLS, or empty */
	SEC_DATA,	/* VARs go into a DATASEC of its name */
	SEC_INIT,	/* freed after boot: .init.*, .exit.*, or inside __init_begin/end */
	SEC_BAD_NAME,	/* a name the kernel refuses for a DATASEC */
};

/* An STT_OBJECT symbol in a data section (global_vars). */
struct data_sym {
	const char *name;
	uint64_t offset;	/* from its section's start */
	uint64_t size;
	uint32_t shndx;
	uint8_t bind;		/* STB_* */
};

/* What the selection rules need from the ELF file, built once, read-only. */
struct symidx {
	const struct objfile *elf;
	struct strmap funcs;		/* STT_FUNC names */
	size_t nfuncs;
	size_t percpu_shndx;		/* 0: no .data..percpu */
	uint64_t percpu_addr, percpu_size;
	struct percpu_sym *percpu;	/* sorted by offset */
	size_t npercpu;
	/* global_vars only: */
	uint8_t *sec_class;		/* enum sec_class per ELF section */
	struct data_sec *dsecs;		/* SEC_DATA/INIT/BAD_NAME sections, by address */
	size_t ndsecs;
	struct data_sym *dsyms;		/* by (shndx, offset, name) */
	size_t ndsyms;
	struct strmap globals;		/* global/weak sized data symbol -> dsyms index */
	/* pahole 1.26+ function rules only (func_table.c): */
	struct strmap func_groups;	/* name up to the first '.' -> groups index; keys owned */
	struct fn_group {
		uint64_t addr;		/* st_value of the last symbol seen */
		int ambiguous;		/* symbols of the group at several addresses */
		uint32_t first_sym, last_sym;	/* its symbols (elf->syms), in table order */
	} *groups;
	size_t ngroups;
	uint32_t *group_next;		/* elf->syms index -> next symbol of its group, 0: end */
	struct strmap kfuncs;		/* names in a kfunc set8 of .BTF_ids; keys owned */
};

int symidx__build(struct symidx *s, struct objfile *elf, const struct encoder_config *cfg);
void symidx__free(struct symidx *s);
/* Section index of the data section holding @addr, or 0. */
uint32_t symidx__data_section(const struct symidx *s, uint64_t addr);
/* The data symbols at @offset of section @shndx: first one, *@n of them (NULL, 0: none). */
const struct data_sym *symidx__data_syms_at(const struct symidx *s, uint32_t shndx,
					    uint64_t offset, size_t *n);

#endif
