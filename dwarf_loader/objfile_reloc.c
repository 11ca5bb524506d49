// SPDX-License-Identifier: GPL-2.0-only
/*
 * objfile_reloc: the relocations of a relocatable object's debug sections,
 * written where objfile__open() mapped the file (contract in objfile.h: the
 * synthetic section layout, objfile__release(), objfile__relocate_again()).
 * Relocated sections are first read into private memory (privatise()); the
 * relocation tables are read a window at a time and given back.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "objfile.h"
#include "objfile_int.h"

/* Width in bytes written by relocation @type of machine @m, 0: none, -1: unsupported. */
static int reloc_width(uint16_t m, uint32_t type)
{
	switch (m) {
	case EM_X86_64:
		return type == R_X86_64_64 || type == R_X86_64_DTPOFF64 ? 8 :
		       type == R_X86_64_32 || type == R_X86_64_32S || type == R_X86_64_DTPOFF32 ? 4 :
		       type == R_X86_64_NONE ? 0 : -1;
	case EM_AARCH64:
		return type == R_AARCH64_ABS64 ? 8 : type == R_AARCH64_ABS32 ? 4 :
		       type == R_AARCH64_NONE || type == 256 ? 0 : -1;
	case EM_386:
		return type == R_386_32 ? 4 : type == R_386_NONE ? 0 : -1;
	case EM_S390:
		return type == R_390_64 ? 8 : type == R_390_32 ? 4 : type == R_390_NONE ? 0 : -1;
	case EM_PPC64:
		return type == R_PPC64_ADDR64 ? 8 : type == R_PPC64_ADDR32 ? 4 :
		       type == R_PPC64_NONE ? 0 : -1;
	default:
		return -1;
	}
}

/* Relocations whose value is an offset in the thread-local block. */
static int is_tls_offset(uint16_t m, uint32_t type)
{
	return m == EM_X86_64 && (type == R_X86_64_DTPOFF64 || type == R_X86_64_DTPOFF32);
}

static uint64_t read_uint(const unsigned char *p, int width, int big)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < width; i++)
		v |= (uint64_t)p[big ? width - 1 - i : i] << (8 * i);
	return v;
}

static void write_uint(unsigned char *p, int width, int big, uint64_t v)
{
	const uint16_t one = 1;
	int i;

	/* A little-endian file on a little-endian host: the value's low bytes as they are. */
	if (!big && *(const uint8_t *)&one) {
		memcpy(p, &v, (size_t)width);
		return;
	}

	for (i = 0; i < width; i++)
		p[big ? width - 1 - i : i] = (unsigned char)(v >> (8 * i));
}

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ	22
#define MADV_POPULATE_WRITE	23
#endif

/*
 * Maps a range of the file image in one call rather than a page fault per
 * page: the relocations of a big module read 17 MB and write 11 MB of it.
 * Only an optimisation: a kernel before 5.14 refuses it, and then the pages
 * fault in as they are touched.
 */
static void prefault(const struct objfile *e, const void *p, size_t len, int write)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE), start, end;

	if (!e->image_mmapped || !len || (const char *)p < (const char *)e->image ||
	    (const char *)p + len > (const char *)e->image + e->image_size || !page)
		return;
	start = (uintptr_t)p & ~(page - 1);
	end = (uintptr_t)p + len;
	madvise((void *)start, end - start, write ? MADV_POPULATE_WRITE : MADV_POPULATE_READ);
}

/*
 * Drops the pages wholly inside [@p, @p + @len) of the mapped image: a clean
 * page comes back from the file when touched again, a written one (a relocated
 * debug section) comes back as the file has it, unrelocated.
 */
static void drop_pages(const struct objfile *e, const void *p, size_t len)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE), start, end;

	if (!e->image_mmapped || !len || !page || (const char *)p < (const char *)e->image ||
	    (const char *)p + len > (const char *)e->image + e->image_size)
		return;
	start = ((uintptr_t)p + page - 1) & ~(page - 1);
	end = ((uintptr_t)p + len) & ~(page - 1);
	if (end > start)
		madvise((void *)start, end - start, MADV_DONTNEED);
}

/*
 * Puts private copies of the file's own bytes under [@p, @p + @len), rounded out to whole
 * pages, for relocations to be written into: the range is mapped from the file anew,
 * private and writable, and populated at once, which copies each page from the page cache
 * in the one call. Writing into the image's mapping instead copies each page at its first
 * write, a fault each, and a page already mapped for reading is unmapped again first: with
 * more than one thread that is a TLB shootdown on every CPU the process runs on (a quarter
 * of a module batch's system time). Fresh anonymous pages and a pread() would be zeroed
 * first, then written (Debian's amdgpu.ko: 94 MB). Done for every relocated section
 * before any relocation is written, so that a page two sections share is copied while it
 * still holds the file's bytes. 0 when done or not possible (a buffer, not a mapped file:
 * the relocations then go where the bytes are), -errno when the range could not be mapped.
 */
static int privatise(const struct objfile *e, const void *p, size_t len)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE), start, end;
	void *m;

	if (!e->image_mmapped || e->fd < 0 || !len || !page || (const char *)p < (const char *)e->image ||
	    (const char *)p + len > (const char *)e->image + e->image_size)
		return 0;
	start = (uintptr_t)p & ~(page - 1);
	end = ((uintptr_t)p + len + page - 1) & ~(page - 1);
	/* The last page may reach past the end of the file: it maps what there is. */
	if (end > (uintptr_t)e->image + e->image_size)
		end = (uintptr_t)e->image + e->image_size;
	m = mmap((void *)start, end - start, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_FIXED | MAP_POPULATE, e->fd, (off_t)(start - (uintptr_t)e->image));
	/* A failed MAP_FIXED may have unmapped the range already: an error, not a retry. */
	return m == MAP_FAILED ? -errno : 0;
}

/*
 * Debug sections no reader of this image looks at (line tables, call frame
 * information, address ranges by unit, range lists: nothing calls dwarf_ranges()),
 * and location lists when the caller reads none: their relocations are left undone
 * (a big module's .debug_line alone has half a megabyte of them).
 */
static int unread_debug_section(const struct objfile *e, const char *name)
{
	if ((e->open_flags & OBJFILE_NO_LOCATION_LISTS) &&
	    (!strcmp(name, ".debug_loclists") || !strcmp(name, ".debug_loc")))
		return 1;
	return !strcmp(name, ".debug_line") || !strcmp(name, ".debug_frame") ||
	       !strcmp(name, ".debug_aranges") || !strcmp(name, ".debug_rnglists") ||
	       !strcmp(name, ".debug_ranges");
}

/* One relocation @r (an addend from the target itself when !@is_rela): 0, 1 malformed, -ENOTSUP. */
static int apply_rel(struct objfile *e, unsigned char *tgt, size_t tsize, const GElf_Rela *r,
		     int is_rela, size_t rsec, const struct diag *diag)
{
	uint64_t s = 0, a;
	size_t symi;
	int w = reloc_width(e->machine, GELF_R_TYPE(r->r_info));

	if (w < 0) {
		diag__err(diag, "%s: unsupported relocation type %u (machine %u) in %s", e->path,
			  (unsigned)GELF_R_TYPE(r->r_info), e->machine, e->secs[rsec].name);
		return -ENOTSUP;
	}
	if (w == 0)
		return 0;
	if (r->r_offset > tsize || tsize - r->r_offset < (size_t)w)
		return 1;
	symi = GELF_R_SYM(r->r_info);
	if (symi >= e->nsyms && symi)
		return 1;
	if (symi) {
		const struct elf_sym *sym = &e->syms[symi];

		s = sym->addr;
		/* TLS offsets are relative to the symbol's section. */
		if (is_tls_offset(e->machine, GELF_R_TYPE(r->r_info)) && sym->shndx &&
		    sym->shndx < e->nsec)
			s -= e->secs[sym->shndx].addr;
	}
	a = is_rela ? (uint64_t)r->r_addend : read_uint(tgt + r->r_offset, w, e->big_endian);
	write_uint(tgt + r->r_offset, w, e->big_endian, s + a);
	return 0;
}

/*
 * The common case in one tight loop: x86-64 RELA read in place, a
 * little-endian file on a little-endian host, R_X86_64_64/32/32S against a
 * symbol in range (a big module has 750,000 of them). Anything else goes
 * through apply_rel(), entry by entry, with the same result.
 */
static int apply_x86_64_native(struct objfile *e, unsigned char *tgt, size_t tsize,
			       const Elf64_Rela *rel, size_t n, size_t rsec,
			       const struct diag *diag)
{
	size_t i;
	int err;

	for (i = 0; i < n; i++) {
		const Elf64_Rela *x = &rel[i];
		uint32_t type = (uint32_t)ELF64_R_TYPE(x->r_info);
		uint64_t symi = ELF64_R_SYM(x->r_info), v;

		if ((type == R_X86_64_64 || type == R_X86_64_32 || type == R_X86_64_32S) &&
		    symi < e->nsyms && tsize >= 8 && x->r_offset <= tsize - 8) {
			v = (symi ? e->syms[symi].addr : 0) + (uint64_t)x->r_addend;
			if (type == R_X86_64_64) {
				memcpy(tgt + x->r_offset, &v, 8);
			} else {
				uint32_t v32 = (uint32_t)v;

				memcpy(tgt + x->r_offset, &v32, 4);
			}
			continue;
		}
		err = apply_rel(e, tgt, tsize, &(GElf_Rela){ .r_offset = x->r_offset,
							      .r_info = x->r_info,
							      .r_addend = x->r_addend },
				1, rsec, diag);
		if (err)
			return err;
	}
	return 0;
}

/* Entries [@first, @first + @count) of @rdata applied to @tgt: 0, 1 malformed, -ENOTSUP. */
static int apply_entries(struct objfile *e, unsigned char *tgt, size_t tsize, Elf_Data *rdata,
			 size_t first, size_t count, int is_rela, int native64, size_t rsec,
			 const struct diag *diag)
{
	const uint16_t one = 1;
	size_t i;
	int err;

	if (native64 && e->machine == EM_X86_64 && !e->big_endian && *(const uint8_t *)&one)
		return apply_x86_64_native(e, tgt, tsize, (const Elf64_Rela *)rdata->d_buf + first,
					   count, rsec, diag);
	for (i = first; i < first + count; i++) {
		GElf_Rela r;

		if (native64) {
			const Elf64_Rela *x = (const Elf64_Rela *)rdata->d_buf + i;

			r.r_offset = x->r_offset;
			r.r_info = x->r_info;
			r.r_addend = x->r_addend;
		} else if (is_rela) {
			if (!gelf_getrela(rdata, i, &r))
				return 1;
		} else {
			GElf_Rel rel;

			if (!gelf_getrel(rdata, i, &rel))
				return 1;
			r.r_offset = rel.r_offset;
			r.r_info = rel.r_info;
			r.r_addend = 0;
		}
		err = apply_rel(e, tgt, tsize, &r, is_rela, rsec, diag);
		if (err)
			return err;
	}
	return 0;
}

/*
 * Relocation entries applied per window of this many bytes, whose pages are
 * given back once applied: a big module's .rela.debug_info (143 MB) is
 * otherwise resident for the whole run beside the relocated .debug_info.
 */
#define RELOC_WINDOW (4u << 20)

static int apply_one_reloc_sec(struct objfile *e, size_t rsec, const struct diag *diag)
{
	Elf_Scn *scn = elf_getscn(e->elf, rsec);
	GElf_Shdr sh;
	Elf_Data *rdata;
	unsigned char *tgt;
	size_t tsize, i, n, cnt, win;
	const char *tname;
	int is_rela, native64, err = 0;

	gelf_getshdr(scn, &sh);
	if (sh.sh_info == 0 || sh.sh_info >= e->nsec)
		return 0;
	tname = e->secs[sh.sh_info].name;
	if (strncmp(tname, ".debug_", 7) || unread_debug_section(e, tname))
		return 0;
	is_rela = sh.sh_type == SHT_RELA;
	rdata = elf_getdata(scn, NULL);
	tgt = (unsigned char *)objfile__section_data(e, sh.sh_info, &tsize);
	if (!rdata || !tgt) {
		diag__err(diag, "%s: cannot read %s or its relocations: %s", e->path, tname,
			  elf_errmsg(-1));
		return -ENOEXEC;
	}
	n = sh.sh_entsize ? rdata->d_size / sh.sh_entsize : 0;
	if (!n)
		return 0;
	if (!is_rela)
		e->rel_debug = 1;
	e->secs[sh.sh_info].relocated = 1;
	prefault(e, tgt, tsize, 1);	/* a no-op where privatise() has run */
	/* libelf gives the entries in memory form: 64-bit ones are read in place. */
	native64 = is_rela && gelf_getclass(e->elf) == ELFCLASS64 && rdata->d_type == ELF_T_RELA &&
		   sh.sh_entsize == sizeof(Elf64_Rela) && n <= rdata->d_size / sizeof(Elf64_Rela) &&
		   (uintptr_t)rdata->d_buf % _Alignof(Elf64_Rela) == 0;
	win = RELOC_WINDOW / sh.sh_entsize ? RELOC_WINDOW / sh.sh_entsize : 1;
	for (i = 0; i < n && !err; i += cnt) {
		cnt = n - i < win ? n - i : win;
		prefault(e, (const char *)rdata->d_buf + i * sh.sh_entsize, cnt * sh.sh_entsize, 0);
		err = apply_entries(e, tgt, tsize, rdata, i, cnt, is_rela, native64, rsec, diag);
		/* Read no more (where they lie in the mapped file, not in libelf's copy). */
		drop_pages(e, rdata->d_buf, (i + cnt) * sh.sh_entsize);
	}
	if (err <= 0)
		return err;
	diag__err(diag, "%s: malformed relocation in %s", e->path, e->secs[rsec].name);
	return -ENOEXEC;
}

/* Whether objfile__open() writes relocations into section @idx's data. */
static int relocated_section(const struct objfile *e, size_t idx)
{
	const char *name = e->secs[idx].name;

	return e->e_type == ET_REL && !strncmp(name, ".debug_", 7) && !unread_debug_section(e, name);
}

/* Whether a relocation section of @e writes into section @target. */
static int has_relocs(const struct objfile *e, size_t target)
{
	size_t i;

	for (i = 1; i < e->nsec; i++) {
		Elf_Scn *scn;
		GElf_Shdr sh;

		if (e->secs[i].type != SHT_RELA && e->secs[i].type != SHT_REL)
			continue;
		scn = elf_getscn(e->elf, i);
		if (scn && gelf_getshdr(scn, &sh) && sh.sh_info == target && sh.sh_entsize &&
		    sh.sh_size >= sh.sh_entsize)
			return 1;
	}
	return 0;
}

/* privatise() for every debug section relocations are written into (first: see there). */
static int privatise_targets(struct objfile *e, const struct diag *diag)
{
	size_t i, size;
	int err = 0;

	for (i = 1; i < e->nsec && !err; i++) {
		const void *data;

		if (!relocated_section(e, i) || e->secs[i].type == SHT_NOBITS ||
		    (e->secs[i].flags & SHF_COMPRESSED) || !has_relocs(e, i))
			continue;
		data = objfile__section_data(e, i, &size);
		err = data ? privatise(e, data, size) : 0;
		if (err)
			diag__err(diag, "%s: cannot map %s again: %s", e->path, e->secs[i].name,
				  strerror(-err));
	}
	return err;
}

int objfile_reloc__apply(struct objfile *e, const struct diag *diag)
{
	size_t i;
	int err;

	err = privatise_targets(e, diag);
	if (err)
		return err;
	for (i = 1; i < e->nsec; i++) {
		if (e->secs[i].type != SHT_RELA && e->secs[i].type != SHT_REL)
			continue;
		err = apply_one_reloc_sec(e, i, diag);
		if (err)
			return err;
	}
	return 0;
}

int objfile__release_clean(struct objfile *e, size_t idx, const void *p, size_t len)
{
	if (idx && idx < e->nsec && e->secs[idx].relocated)
		return -EBUSY;	/* others may still read it: never zeros or unrelocated bytes */
	return objfile__release(e, idx, p, len);
}

int objfile__release(struct objfile *e, size_t idx, const void *p, size_t len)
{
	const char *image = e->image;

	/* No libelf call: worker threads give back their units at once. */
	if (!e->image_mmapped || !idx || idx >= e->nsec || (e->secs[idx].flags & SHF_COMPRESSED) ||
	    (const char *)p < image || len > e->image_size ||
	    (size_t)((const char *)p - image) > e->image_size - len)
		return -EBUSY;
	/* Bytes as the file has them (.debug_str, say) come back as they were. */
	if (!relocated_section(e, idx) || !e->secs[idx].relocated) {
		drop_pages(e, p, len);
		return 0;
	}
	/* REL addends live in the bytes themselves: applying them twice adds twice. */
	if (e->rel_debug)
		return -EBUSY;
	__atomic_store_n(&e->relocs_dropped, 1, __ATOMIC_RELAXED);
	drop_pages(e, p, len);
	return 1;
}

int objfile__relocate_again(struct objfile *e, const struct diag *diag)
{
	int err;

	if (!__atomic_load_n(&e->relocs_dropped, __ATOMIC_RELAXED))
		return 0;
	err = objfile_reloc__apply(e, diag);
	if (!err)
		e->relocs_dropped = 0;
	return err;
}
