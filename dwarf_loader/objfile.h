/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * objfile: one ELF object file (a .o, a .ko, a vmlinux) opened for reading,
 * from a file or a byte buffer ("objfile", as gdb calls one).
 *
 * What it promises:
 *  - The image is checked before anything else walks it: ELF magic and class,
 *    section headers inside the image, section data inside the image
 *    (SHT_NOBITS excepted), a symbol table whose entries are in range.
 *  - Byte order, address size and machine come from the ELF header, never
 *    from the host (objfile->big_endian, objfile->addr_size, objfile->machine).
 *  - Extended section numbering (e_shnum == 0, SHN_XINDEX, .symtab_shndx) and
 *    compressed debug sections (SHF_COMPRESSED) are handled through libelf.
 *  - Relocatable objects (.o, .ko): every SHF_ALLOC section gets a distinct
 *    synthetic address (laid out in section order, aligned), and the
 *    relocations of .debug_* sections are applied to private copies of their
 *    data, so DWARF addresses and section addresses agree the way they do in a
 *    linked file: elf_section.addr and elf_sym.addr hold them. The data is the
 *    file's private mapping, written in place (its unrelocated pages stay the
 *    page cache's); the relocation tables are read a window at a time and
 *    their pages given back as soon as applied. Not relocated,
 *    as the loader never reads them: .debug_line, .debug_frame, .debug_aranges,
 *    .debug_ranges and .debug_rnglists; nor, when the caller says it reads no
 *    location lists (OBJFILE_NO_LOCATION_LISTS), .debug_loc and .debug_loclists.
 *  - Nothing here knows BTF.
 *
 * Ownership: objfile__open*() return an object the caller frees with
 * objfile__free(). Names and symbol strings point into the image and stay valid
 * until then. A buffer passed to objfile__open_mem() is copied.
 *
 * Thread-safety: the object is read-only after opening, except through the
 * Elf handle (libelf is not thread-safe: create every Dwarf handle before
 * starting threads) and objfile__release(), which threads may call at once on
 * data they alone read.
 *
 * Errors: negative errno, with one line written to @diag naming the input:
 * -ENOEXEC not an ELF / malformed, -EINVAL corrupted, -ENOMEM, -errno of the
 * failed system call, -ENOTSUP unsupported relocation.
 */
#ifndef BTFENC_OBJFILE_H
#define BTFENC_OBJFILE_H

#include <stddef.h>
#include <stdint.h>
#include <gelf.h>

#include "util/diag.h"

struct elf_sym {
	const char *name;
	uint64_t addr;		/* st_value, plus the section's address for ET_REL */
	uint64_t size;
	uint32_t shndx;		/* real section index (SHN_XINDEX resolved) */
	uint8_t type;		/* STT_* */
	uint8_t bind;		/* STB_* */
	uint8_t laid_out;	/* addr has its section's synthetic address added (ET_REL) */
};

struct elf_section {
	const char *name;
	uint64_t addr;		/* sh_addr; synthetic layout address for ET_REL */
	uint64_t size;
	uint64_t flags;		/* SHF_* */
	uint32_t type;		/* SHT_* */
	int relocated;		/* objfile__open() wrote relocations into its data */
};

struct objfile {
	const char *path;	/* for messages; owned copy */
	Elf *elf;
	int big_endian;
	int addr_size;		/* 4 or 8 */
	uint16_t machine;	/* EM_* */
	uint16_t e_type;	/* ET_* */
	size_t nsec;		/* including section 0 */
	struct elf_section *secs;
	struct elf_sym *syms;	/* .symtab entries, index 0 excluded */
	size_t nsyms;
	int has_debug_info;
	/* private */
	void *image;
	size_t image_size;
	int image_mmapped;
	int fd;			/* the mapped file, open while mapped (-1: none) */
	unsigned int open_flags;	/* OBJFILE_* given to objfile__open_flags() */
	int rel_debug;		/* a debug section is relocated with REL (addends in place) */
	int relocs_dropped;	/* relocated pages given back: objfile__relocate_again() */
};

/* Opens @path (mmap, private). Returns NULL with errno set and a message. */
struct objfile *objfile__open(const char *path, const struct diag *diag);
/*
 * The caller never reads location lists (DW_AT_location as a list: only a parameter's
 * location at entry needs one): those of a relocatable object are left unrelocated
 * (Debian's 6.1 amdgpu.ko: 5.5 MB of .debug_loclists and 2.5 MB of relocations).
 */
#define OBJFILE_NO_LOCATION_LISTS	(1u << 0)
/* objfile__open() with OBJFILE_* @flags. */
struct objfile *objfile__open_flags(const char *path, unsigned int flags,
				    const struct diag *diag);
/* Same from a buffer (copied); @name is used in messages. */
struct objfile *objfile__open_mem(const void *buf, size_t size, const char *name,
				  const struct diag *diag);
void objfile__free(struct objfile *e);

/* Index of the first section named @name, or 0 if none. */
size_t objfile__find_section(const struct objfile *e, const char *name);

/*
 * Raw contents of section @idx (decompressed if needed), or NULL for
 * SHT_NOBITS / out of range. @size receives the byte count.
 */
const void *objfile__section_data(struct objfile *e, size_t idx, size_t *size);

/*
 * @sym's st_value as the file has it: the section offset for ET_REL, which is what pahole
 * compares DWARF addresses with (its DWARF, read through libdwfl, gets the same synthetic
 * layout as here; its symbol table does not).
 */
static inline uint64_t objfile__sym_value(const struct objfile *e, const struct elf_sym *sym)
{
	return sym->laid_out ? sym->addr - e->secs[sym->shndx].addr : sym->addr;
}

/*
 * Gives back the memory of the pages wholly inside [@p, @p + @len), a range of
 * section @idx's data (as objfile__section_data() returns it) that the caller
 * has done reading: they are dropped from the process and come back from the
 * file if touched again. Data of a relocatable object's debug sections comes
 * back unrelocated: only a caller that reads that range no more may release
 * it, and objfile__relocate_again() makes all of it right again.
 * Returns 0 (clean pages: touching them again is harmless), 1 (relocated
 * pages: the caller must not read the range again before
 * objfile__relocate_again()), or -EBUSY when the range stays (a buffer rather
 * than a mapped file, compressed data, REL relocations, a range outside the
 * mapped file). Calls no libelf function: threads may give back their ranges
 * at once.
 */
int objfile__release(struct objfile *e, size_t idx, const void *p, size_t len);
/*
 * objfile__release() of bytes other threads may still read: refused (-EBUSY) for a
 * section relocations were written into, whose dropped pages would not read the same.
 */
int objfile__release_clean(struct objfile *e, size_t idx, const void *p, size_t len);

/*
 * Applies the debug sections' relocations again if objfile__release() gave
 * back relocated pages (RELA entries give the same bytes every time); 0 or a
 * negative errno as objfile__open(). Not thread-safe.
 */
int objfile__relocate_again(struct objfile *e, const struct diag *diag);

/* Section containing @addr among SHF_ALLOC PROGBITS/NOBITS sections; 0 if none. */
size_t objfile__section_by_addr(const struct objfile *e, uint64_t addr);

#endif
