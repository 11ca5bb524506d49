// SPDX-License-Identifier: GPL-2.0-only
/*
 * objfile: open and check an ELF image, index its sections and symbols, and
 * make the DWARF of relocatable objects agree with a synthetic section layout
 * (the relocations themselves, and giving pages back: objfile_reloc.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "objfile.h"
#include "objfile_int.h"
#include "util/file.h"
#include "util/vec.h"

#define ET_REL_LAYOUT_BASE 0x10000ULL

/*
 * zlib's deflate gives at most 258 bytes for a 2-bit code (RFC 1951: a length of 258 at a
 * distance, each Huffman code 1 bit at the least): no stream inflates more than 1,032
 * times its size.
 */
#define ZLIB_MAX_RATIO	1032U

/*
 * A compressed section's header says how many bytes it inflates to, and libelf allocates
 * that much before inflating (elf_compress()): a claim zlib cannot make true from the
 * section's bytes is refused here, before anything allocates it. Other compression types
 * are libelf's to accept or refuse.
 */
static int check_compressed(struct objfile *e, Elf_Scn *scn, size_t i, const GElf_Shdr *sh,
			    const char *name, const struct diag *diag)
{
	size_t chdr_size = e->addr_size == 8 ? sizeof(Elf64_Chdr) : sizeof(Elf32_Chdr);
	GElf_Chdr ch;

	if (!gelf_getchdr(scn, &ch)) {
		diag__err(diag, "%s: section %zu (%s): malformed compression header: %s", e->path,
			  i, name, elf_errmsg(-1));
		return -ENOEXEC;
	}
	if (ch.ch_type == ELFCOMPRESS_ZLIB && sh->sh_size >= chdr_size &&
	    ch.ch_size / ZLIB_MAX_RATIO > sh->sh_size - chdr_size) {
		diag__err(diag, "%s: section %zu (%s): says it inflates to %llu bytes, more than "
			  "zlib can give from %llu", e->path, i, name,
			  (unsigned long long)ch.ch_size,
			  (unsigned long long)(sh->sh_size - chdr_size));
		return -ENOEXEC;
	}
	return 0;
}

static int check_header(struct objfile *e, const struct diag *diag)
{
	GElf_Ehdr ehdr;
	size_t shnum, shstrndx, i;
	const char *p = e->path;

	if (e->image_size < EI_NIDENT || memcmp(e->image, ELFMAG, SELFMAG)) {
		diag__err(diag, "%s: not an ELF file", p);
		return -ENOEXEC;
	}
	if (elf_kind(e->elf) != ELF_K_ELF || !gelf_getehdr(e->elf, &ehdr)) {
		diag__err(diag, "%s: malformed ELF header: %s", p, elf_errmsg(-1));
		return -ENOEXEC;
	}
	e->big_endian = ehdr.e_ident[EI_DATA] == ELFDATA2MSB;
	e->addr_size = ehdr.e_ident[EI_CLASS] == ELFCLASS64 ? 8 : 4;
	e->machine = ehdr.e_machine;
	e->e_type = ehdr.e_type;
	/* libelf reports 0 sections when the table lies past the image: check first. */
	if (ehdr.e_shoff && (ehdr.e_shoff > e->image_size || ehdr.e_shentsize == 0 ||
			     (uint64_t)(ehdr.e_shnum ? ehdr.e_shnum : 1) >
			     (e->image_size - ehdr.e_shoff) / ehdr.e_shentsize)) {
		diag__err(diag, "%s: section header table extends past end of file (truncated?)", p);
		return -ENOEXEC;
	}
	if (elf_getshdrnum(e->elf, &shnum) || elf_getshdrstrndx(e->elf, &shstrndx)) {
		diag__err(diag, "%s: malformed section header table: %s", p, elf_errmsg(-1));
		return -ENOEXEC;
	}
	if (shnum && (ehdr.e_shoff > e->image_size ||
		      ehdr.e_shentsize == 0 ||
		      shnum > (e->image_size - ehdr.e_shoff) / ehdr.e_shentsize)) {
		diag__err(diag, "%s: section header table extends past end of file (truncated?)", p);
		return -ENOEXEC;
	}
	e->secs = calloc(shnum ? shnum : 1, sizeof(*e->secs));
	if (!e->secs)
		return -ENOMEM;
	e->nsec = shnum;
	for (i = 1; i < shnum; i++) {
		Elf_Scn *scn = elf_getscn(e->elf, i);
		struct elf_section *s = &e->secs[i];
		GElf_Shdr sh;

		if (!scn || !gelf_getshdr(scn, &sh)) {
			diag__err(diag, "%s: cannot read section header %zu: %s", p, i,
				  elf_errmsg(-1));
			return -ENOEXEC;
		}
		s->name = elf_strptr(e->elf, shstrndx, sh.sh_name);
		if (!s->name)
			s->name = "";
		s->addr = sh.sh_addr;
		s->size = sh.sh_size;
		s->flags = sh.sh_flags;
		s->type = sh.sh_type;
		if (sh.sh_type != SHT_NOBITS && sh.sh_type != SHT_NULL &&
		    (sh.sh_offset > e->image_size || sh.sh_size > e->image_size - sh.sh_offset)) {
			diag__err(diag, "%s: section %zu (%s) extends past end of file (truncated?)",
				  p, i, s->name);
			return -ENOEXEC;
		}
		if ((sh.sh_flags & SHF_COMPRESSED) && sh.sh_type != SHT_NOBITS &&
		    check_compressed(e, scn, i, &sh, s->name, diag))
			return -ENOEXEC;
		if (!strcmp(s->name, ".debug_info") && sh.sh_size)
			e->has_debug_info = 1;
	}
	return 0;
}

/* Gives each allocated section of a relocatable object its own address range. */
static void layout_et_rel(struct objfile *e)
{
	uint64_t addr = ET_REL_LAYOUT_BASE;
	size_t i;

	for (i = 1; i < e->nsec; i++) {
		struct elf_section *s = &e->secs[i];
		GElf_Shdr sh;
		uint64_t align;

		if (!(s->flags & SHF_ALLOC))
			continue;
		gelf_getshdr(elf_getscn(e->elf, i), &sh);
		align = sh.sh_addralign > 1 ? sh.sh_addralign : 1;
		if (align & (align - 1))
			align = 1;
		addr = (addr + align - 1) & ~(align - 1);
		s->addr = addr;
		addr += s->size;
	}
}

static int load_symbols(struct objfile *e, const struct diag *diag)
{
	size_t symtab = 0, shndx_sec = 0, i, n;
	Elf_Data *data, *xdata = NULL;
	GElf_Shdr sh;

	for (i = 1; i < e->nsec; i++)
		if (e->secs[i].type == SHT_SYMTAB) {
			symtab = i;
			break;
		}
	if (!symtab)
		return 0;
	for (i = 1; i < e->nsec; i++) {
		if (e->secs[i].type != SHT_SYMTAB_SHNDX)
			continue;
		gelf_getshdr(elf_getscn(e->elf, i), &sh);
		if (sh.sh_link == symtab)
			shndx_sec = i;
	}
	gelf_getshdr(elf_getscn(e->elf, symtab), &sh);
	data = elf_getdata(elf_getscn(e->elf, symtab), NULL);
	if (!data || !sh.sh_entsize) {
		diag__err(diag, "%s: cannot read symbol table: %s", e->path, elf_errmsg(-1));
		return -ENOEXEC;
	}
	if (shndx_sec)
		xdata = elf_getdata(elf_getscn(e->elf, shndx_sec), NULL);
	n = data->d_size / sh.sh_entsize;
	e->syms = calloc(n ? n : 1, sizeof(*e->syms));
	if (!e->syms)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		struct elf_sym *s = &e->syms[i];
		GElf_Sym sym;
		Elf32_Word xndx = 0;

		if (!gelf_getsymshndx(data, xdata, i, &sym, &xndx)) {
			diag__err(diag, "%s: malformed symbol %zu: %s", e->path, i, elf_errmsg(-1));
			return -ENOEXEC;
		}
		s->name = elf_strptr(e->elf, sh.sh_link, sym.st_name);
		if (!s->name)
			s->name = "";
		s->shndx = sym.st_shndx == SHN_XINDEX ? xndx : sym.st_shndx;
		s->type = GELF_ST_TYPE(sym.st_info);
		s->bind = GELF_ST_BIND(sym.st_info);
		s->size = sym.st_size;
		s->addr = sym.st_value;
		if (e->e_type == ET_REL && s->shndx && s->shndx < e->nsec &&
		    (sym.st_shndx < SHN_LORESERVE || sym.st_shndx == SHN_XINDEX)) {
			s->addr += e->secs[s->shndx].addr;
			s->laid_out = 1;
		}
	}
	e->nsyms = n;
	return 0;
}

const void *objfile__section_data(struct objfile *e, size_t idx, size_t *size)
{
	Elf_Scn *scn;
	Elf_Data *data;

	*size = 0;
	if (!idx || idx >= e->nsec || e->secs[idx].type == SHT_NOBITS)
		return NULL;
	scn = elf_getscn(e->elf, idx);
	if (!scn)
		return NULL;
	if (e->secs[idx].flags & SHF_COMPRESSED) {
		if (elf_compress(scn, 0, 0) < 0)
			return NULL;
		e->secs[idx].flags &= ~(uint64_t)SHF_COMPRESSED;
	}
	data = elf_getdata(scn, NULL);
	if (!data)
		return NULL;
	*size = data->d_size;
	return data->d_buf;
}

static struct objfile *objfile__open_image(struct objfile *e, const struct diag *diag)
{
	int err;

	elf_version(EV_CURRENT);
	e->elf = elf_memory(e->image, e->image_size);
	if (!e->elf) {
		diag__err(diag, "%s: cannot open as ELF: %s", e->path, elf_errmsg(-1));
		err = -ENOEXEC;
		goto fail;
	}
	err = check_header(e, diag);
	if (err)
		goto fail;
	if (e->e_type == ET_REL)
		layout_et_rel(e);
	err = load_symbols(e, diag);
	if (err)
		goto fail;
	if (e->e_type == ET_REL) {
		err = objfile_reloc__apply(e, diag);
		if (err)
			goto fail;
	}
	return e;
fail:
	objfile__free(e);
	errno = -err;
	return NULL;
}

struct objfile *objfile__open(const char *path, const struct diag *diag)
{
	return objfile__open_flags(path, 0, diag);
}

struct objfile *objfile__open_flags(const char *path, unsigned int flags,
				    const struct diag *diag)
{
	struct objfile *e = calloc(1, sizeof(*e));
	struct stat st;
	int fd, err;

	if (!e || !(e->path = strdup(path))) {
		free(e);
		errno = ENOMEM;
		return NULL;
	}
	e->fd = -1;
	e->open_flags = flags;
	/* Only a regular file is read (mapped); anything else is not even opened. */
	fd = file__open_regular(path, &st);
	if (fd < 0) {
		diag__err(diag, "%s: %s", path, file__strerror(fd, &st));
		err = !file__not_regular(fd, &st) ? fd : S_ISDIR(st.st_mode) ? -EISDIR : -ENOEXEC;
		goto fail;
	}
	if (st.st_size == 0) {
		diag__err(diag, "%s: empty file, not an ELF file", path);
		close(fd);
		err = -ENOEXEC;
		goto fail;
	}
	e->image_size = st.st_size;
	e->image = mmap(NULL, e->image_size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (e->image == MAP_FAILED) {
		err = -errno;
		close(fd);
		e->image = NULL;
		diag__err(diag, "%s: mmap: %s", path, strerror(-err));
		goto fail;
	}
	e->image_mmapped = 1;
	e->fd = fd;	/* relocated sections are read from it again (privatise()) */
	return objfile__open_image(e, diag);
fail:
	objfile__free(e);
	errno = -err;
	return NULL;
}

struct objfile *objfile__open_mem(const void *buf, size_t size, const char *name,
				  const struct diag *diag)
{
	struct objfile *e = calloc(1, sizeof(*e));

	if (e)
		e->fd = -1;
	if (!e || !(e->path = strdup(name ? name : "<memory>")) ||
	    !(e->image = malloc(size ? size : 1))) {
		objfile__free(e);
		errno = ENOMEM;
		return NULL;
	}
	memcpy(e->image, buf, size);
	e->image_size = size;
	if (!size) {
		diag__err(diag, "%s: empty file, not an ELF file", e->path);
		objfile__free(e);
		errno = ENOEXEC;
		return NULL;
	}
	return objfile__open_image(e, diag);
}

void objfile__free(struct objfile *e)
{
	if (!e)
		return;
	if (e->elf)
		elf_end(e->elf);
	if (e->image_mmapped)
		munmap(e->image, e->image_size);
	else
		free(e->image);
	if (e->fd >= 0)
		close(e->fd);
	free(e->secs);
	free(e->syms);
	free((char *)e->path);
	free(e);
}

size_t objfile__find_section(const struct objfile *e, const char *name)
{
	size_t i;

	for (i = 1; i < e->nsec; i++)
		if (!strcmp(e->secs[i].name, name))
			return i;
	return 0;
}

size_t objfile__section_by_addr(const struct objfile *e, uint64_t addr)
{
	size_t i;

	for (i = 1; i < e->nsec; i++) {
		const struct elf_section *s = &e->secs[i];

		if (!(s->flags & SHF_ALLOC) || (s->type != SHT_PROGBITS && s->type != SHT_NOBITS))
			continue;
		if (addr >= s->addr && addr - s->addr < s->size)
			return i;
	}
	return 0;
}
