// SPDX-License-Identifier: GPL-2.0-only
/*
 * writer_elf: put BTF into an ELF file's .BTF section, atomically.
 *
 * The input is copied to a temporary file beside it and the copy is edited:
 *  - relocatable objects (.o, .ko): the .BTF data is replaced or a section is
 *    added, and libelf lays the file out again (nothing in a relocatable
 *    object depends on file offsets): writer_rel.c writes that layout with
 *    the sections copied file to file; for a foreign byte order libelf opens
 *    the copy read-write and writes it itself;
 *  - executables and shared objects: no byte of the original moves. The new
 *    .BTF data (and the grown .shstrtab, when the section is new) are appended
 *    after the last byte of the file, followed by a new section header table;
 *    only the ELF header's e_shoff/e_shnum change. A replaced .BTF that fits
 *    is rewritten in place instead, and so is the section header table (the
 *    same BTF again gives the same bytes). Headers are converted to the file's byte
 *    order with libelf's xlate functions. An allocated .BTF is refused when a
 *    load segment maps its bytes, and filled when it is empty (find_section()).
 * A split layer's ancestry (see writer.h) is put the same way into a second
 * section of the same copy. Then the copy is fsynced and put over the input (writer.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/btf.h>

#include "util/file.h"
#include "writer.h"
#include "writer_int.h"

#define BTF_SECTION ".BTF"
#define ANCESTRY_SECTION ".BTF.ancestry"

/* The whole of @in, as large as it is now, into @out (empty), in the kernel where it can. */
static int copy_file(int in, int out)
{
	struct stat st;

	if (fstat(in, &st))
		return -errno;
	return writer_rel__copy_range(in, 0, out, 0, (size_t)st.st_size);
}

/* Whether a load segment maps any of the file bytes [@off, @off + @size). */
static bool loaded_bytes(Elf *elf, uint64_t off, uint64_t size)
{
	size_t phnum, i;

	if (!size || elf_getphdrnum(elf, &phnum))
		return false;
	for (i = 0; i < phnum; i++) {
		GElf_Phdr ph;

		if (gelf_getphdr(elf, (int)i, &ph) && ph.p_type == PT_LOAD &&
		    off < ph.p_offset + ph.p_filesz && ph.p_offset < off + size)
			return true;
	}
	return false;
}

/*
 * Index of the section named @secname, 0 if none; -EPERM if it is allocated and a load
 * segment maps its data.
 *
 * An allocated .BTF whose bytes a load segment maps belongs to a final link (a vmlinux with
 * its BTF linked in): it cannot grow there. An allocated .BTF of size 0 is what ld.lld leaves
 * in the kernel's intermediate link (.tmp_vmlinux.btf): the kernel's linker script keeps the
 * output section for its __start_BTF/__stop_BTF symbols, and where GNU ld drops an empty
 * section lld keeps it, inside a load segment. Nothing is mapped from it, and the kernel
 * only copies the section's bytes out afterwards (link-vmlinux.sh: objcopy
 * --only-section=.BTF), so it is filled as pahole fills it: its data placed after the file's
 * last byte, its address and flags kept. Filled so, it lies outside every segment, and a
 * second -J replaces it.
 */
static long find_section(Elf *elf, size_t shstrndx, const char *secname, const char *path,
			 const struct diag *diag)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		const char *name;

		if (!gelf_getshdr(scn, &sh))
			return -EINVAL;
		name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (!name || strcmp(name, secname))
			continue;
		if ((sh.sh_flags & SHF_ALLOC) && sh.sh_type != SHT_NOBITS &&
		    loaded_bytes(elf, sh.sh_offset, sh.sh_size)) {
			diag__err(diag, "%s: its %s section is allocated in a load segment (a final "
				  "link?) and cannot be rewritten; use --btf_encode_detached", path,
				  secname);
			return -EPERM;
		}
		return (long)elf_ndxscn(scn);
	}
	return 0;
}

/*
 * find_section()'s refusal for each of sections @secs (@n) in ELF file @fd, before anything is
 * copied: -EPERM, with its message to @diag, if -J refuses the file; -ENOEXEC if libelf
 * cannot read it (the edit says why later); else 0.
 */
static int check_refusal(int fd, const struct writer_section *secs, size_t n, const char *path,
			 const struct diag *diag)
{
	size_t shstrndx, i;
	long idx = 0;
	Elf *elf;

	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF || elf_getshdrstrndx(elf, &shstrndx)) {
		elf_end(elf);
		return -ENOEXEC;
	}
	for (i = 0; i < n && idx >= 0; i++)
		idx = find_section(elf, shstrndx, secs[i].name, path, diag);
	elf_end(elf);
	return idx == -EPERM ? -EPERM : idx < 0 ? -ENOEXEC : 0;
}

int writer__elf_refuses(const char *path, const struct diag *diag)
{
	const struct writer_section sec = { .name = BTF_SECTION };
	struct stat st;
	int fd, err;

	/* A regular file only (util/file.h): the encoder reports anything else itself. */
	fd = file__open_regular(path, &st);
	if (fd < 0)
		return 0;
	err = check_refusal(fd, &sec, 1, path, diag);
	close(fd);
	return err == -EPERM ? err : 0;
}

/* -EACCES, with its message, if -J may not rewrite @path (@st: it, open as @fd). */
static int refuse_read_only(const char *path, int fd, struct stat *st, const struct diag *diag)
{
	/* Root passes access(W_OK) on a 0444 file: the mode bits decide too. */
	if (access(path, W_OK) || fstat(fd, st) || !(st->st_mode & 0222)) {
		diag__err(diag, "%s: read-only, refusing to rewrite it with -J", path);
		return -EACCES;
	}
	return 0;
}

int writer__elf_target_refuses(const char *path, const struct diag *diag)
{
	const struct writer_section sec = { .name = BTF_SECTION };
	struct stat st;
	int fd, err;

	fd = file__open_regular(path, &st);
	if (fd < 0) {
		diag__err(diag, "%s: %s", path, file__strerror(fd, &st));
		return fd;
	}
	err = refuse_read_only(path, fd, &st, diag);
	if (!err)
		err = check_refusal(fd, &sec, 1, path, diag);
	close(fd);
	return err == -ENOEXEC ? 0 : err;
}

int writer_elf__refused(int fd, const char *const *names, size_t n)
{
	const struct diag quiet = { .emit = diag__drop };
	struct writer_section secs[2];
	size_t i;

	if (n > 2)
		return 1;
	for (i = 0; i < n; i++)
		secs[i] = (struct writer_section){ .name = names[i] };
	return check_refusal(fd, secs, n, "", &quiet) != 0;
}

/* Relocatable objects: libelf lays the file out. */
static int edit_rel(Elf *elf, size_t shstrndx, const char *secname, long btf_idx,
		    const void *raw, size_t size, void **keep)
{
	int err = writer_rel__set_section(elf, shstrndx, secname, btf_idx, raw, size, keep);

	if (err)
		return err;
	return elf_update(elf, ELF_C_WRITE) < 0 ? -EIO : 0;
}

/* Writes @n section headers at @off in the file's class and byte order. */
int writer_elf__write_shdrs(int fd, Elf *elf, const GElf_Ehdr *eh, GElf_Shdr *sh, size_t n,
			    off_t off)
{
	int is64 = eh->e_ident[EI_CLASS] == ELFCLASS64;
	size_t esz = is64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr);
	void *src = sh, *out = malloc(n * esz);
	Elf32_Shdr *s32 = NULL;
	Elf_Data from = { .d_type = ELF_T_SHDR, .d_version = EV_CURRENT, .d_size = n * esz };
	Elf_Data to = { .d_buf = out, .d_version = EV_CURRENT, .d_size = n * esz };
	size_t i;
	int err;

	if (!out)
		return -ENOMEM;
	if (!is64) {
		s32 = calloc(n, sizeof(*s32));
		if (!s32) {
			free(out);
			return -ENOMEM;
		}
		for (i = 0; i < n; i++) {
			s32[i].sh_name = sh[i].sh_name;
			s32[i].sh_type = sh[i].sh_type;
			s32[i].sh_flags = sh[i].sh_flags;
			s32[i].sh_addr = sh[i].sh_addr;
			s32[i].sh_offset = sh[i].sh_offset;
			s32[i].sh_size = sh[i].sh_size;
			s32[i].sh_link = sh[i].sh_link;
			s32[i].sh_info = sh[i].sh_info;
			s32[i].sh_addralign = sh[i].sh_addralign;
			s32[i].sh_entsize = sh[i].sh_entsize;
		}
		src = s32;
	}
	from.d_buf = src;
	err = gelf_xlatetof(elf, &to, &from, eh->e_ident[EI_DATA]) ? 0 : -EINVAL;
	if (!err)
		err = writer_tmp__pwrite_all(fd, out, n * esz, off);
	free(out);
	free(s32);
	return err;
}

int writer_elf__write_ehdr(int fd, Elf *elf, GElf_Ehdr *eh)
{
	int is64 = eh->e_ident[EI_CLASS] == ELFCLASS64;
	unsigned char out[sizeof(Elf64_Ehdr)];
	Elf32_Ehdr e32;
	Elf_Data from = { .d_type = ELF_T_EHDR, .d_version = EV_CURRENT };
	Elf_Data to = { .d_buf = out, .d_version = EV_CURRENT };

	if (is64) {
		from.d_buf = eh;
		from.d_size = to.d_size = sizeof(Elf64_Ehdr);
	} else {
		memcpy(e32.e_ident, eh->e_ident, EI_NIDENT);
		e32.e_type = eh->e_type;
		e32.e_machine = eh->e_machine;
		e32.e_version = eh->e_version;
		e32.e_entry = eh->e_entry;
		e32.e_phoff = eh->e_phoff;
		e32.e_shoff = eh->e_shoff;
		e32.e_flags = eh->e_flags;
		e32.e_ehsize = eh->e_ehsize;
		e32.e_phentsize = eh->e_phentsize;
		e32.e_phnum = eh->e_phnum;
		e32.e_shentsize = eh->e_shentsize;
		e32.e_shnum = eh->e_shnum;
		e32.e_shstrndx = eh->e_shstrndx;
		from.d_buf = &e32;
		from.d_size = to.d_size = sizeof(e32);
	}
	if (!gelf_xlatetof(elf, &to, &from, eh->e_ident[EI_DATA]))
		return -EINVAL;
	return writer_tmp__pwrite_all(fd, out, to.d_size, 0);
}

/* Executables and shared objects: append, keep every existing offset. */
static int edit_linked(int fd, Elf *elf, size_t shstrndx, const char *secname, long btf_idx,
		       const void *raw, size_t size, uint64_t file_size)
{
	GElf_Ehdr eh;
	GElf_Shdr *sh;
	size_t shnum, n, i;
	uint64_t end = file_size, shoff;
	char *newstr = NULL;
	int err = 0;

	if (!gelf_getehdr(elf, &eh) || elf_getshdrnum(elf, &shnum))
		return -EINVAL;
	sh = calloc(shnum + 1, sizeof(*sh));
	if (!sh)
		return -ENOMEM;
	for (i = 0; i < shnum; i++)
		if (!gelf_getshdr(elf_getscn(elf, i), &sh[i])) {
			err = -EINVAL;
			goto out;
		}
	n = shnum;
	if (!btf_idx) {
		Elf_Data *sd = elf_getdata(elf_getscn(elf, shstrndx), NULL);

		if (!sd) {
			err = -EINVAL;
			goto out;
		}
		newstr = malloc(sd->d_size + strlen(secname) + 1);
		if (!newstr) {
			err = -ENOMEM;
			goto out;
		}
		memcpy(newstr, sd->d_buf, sd->d_size);
		memcpy(newstr + sd->d_size, secname, strlen(secname) + 1);
		btf_idx = n++;
		memset(&sh[btf_idx], 0, sizeof(sh[btf_idx]));
		sh[btf_idx].sh_name = sd->d_size;
		sh[btf_idx].sh_type = SHT_PROGBITS;
		sh[btf_idx].sh_addralign = 1;
		sh[shstrndx].sh_offset = end;
		sh[shstrndx].sh_size = sd->d_size + strlen(secname) + 1;
		err = writer_tmp__pwrite_all(fd, newstr, sh[shstrndx].sh_size, end);
		end += sh[shstrndx].sh_size;
	} else if (sh[btf_idx].sh_type != SHT_NOBITS && sh[btf_idx].sh_size >= size) {
		/* Fits where it is: rewrite in place, zero what is left of the old data. */
		uint64_t old = sh[btf_idx].sh_size;
		char *zero = calloc(1, old - size + 1);

		err = zero ? writer_tmp__pwrite_all(fd, zero, old - size,
						    sh[btf_idx].sh_offset + size) : -ENOMEM;
		free(zero);
		end = 0;
	}
	if (!err) {
		if (end) {
			/* A NOBITS .BTF (no bytes in the file) gets some. */
			sh[btf_idx].sh_type = SHT_PROGBITS;
			sh[btf_idx].sh_offset = end;
			end += size;
		}
		sh[btf_idx].sh_size = size;
		err = writer_tmp__pwrite_all(fd, raw, size, sh[btf_idx].sh_offset);
	}
	if (err)
		goto out;
	/*
	 * Nothing appended (the new .BTF fit where the old one was): the section header table
	 * is rewritten where it is, so that a second -J with the same result gives the same
	 * bytes instead of one more table at the end of the file each time.
	 */
	shoff = end ? (end + 7) & ~7ULL : eh.e_shoff;
	if (n >= SHN_LORESERVE) {
		eh.e_shnum = 0;
		sh[0].sh_size = n;
	} else {
		eh.e_shnum = n;
	}
	eh.e_shoff = shoff;
	err = writer_elf__write_shdrs(fd, elf, &eh, sh, n, shoff);
	if (!err)
		err = writer_elf__write_ehdr(fd, elf, &eh);
out:
	free(newstr);
	free(sh);
	return err;
}

static int edit_copy(int fd, const char *secname, const void *raw, size_t size,
		     const char *path, const struct diag *diag)
{
	void *keep = NULL;
	GElf_Ehdr eh;
	struct stat st;
	size_t shstrndx;
	long btf_idx;
	Elf *elf;
	int err;

	if (fstat(fd, &st))
		return -errno;
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_RDWR, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &eh) ||
	    elf_getshdrstrndx(elf, &shstrndx)) {
		diag__err(diag, "%s: not an ELF file we can rewrite: %s", path, elf_errmsg(-1));
		err = -ENOEXEC;
		goto out;
	}
	btf_idx = find_section(elf, shstrndx, secname, path, diag);
	if (btf_idx < 0) {
		err = (int)btf_idx;
		goto out;
	}
	if (eh.e_type == ET_REL)
		err = edit_rel(elf, shstrndx, secname, btf_idx, raw, size, &keep);
	else
		err = edit_linked(fd, elf, shstrndx, secname, btf_idx, raw, size, st.st_size);
	if (err && err != -EPERM) {
		/* -EIO: libelf's elf_update() failed (its message), or a write did (errno's). */
		const char *why = err == -EIO ? elf_errmsg(0) : NULL;

		diag__err(diag, "%s: cannot write the %s section: %s", path, secname,
			  why ? why : strerror(-err));
	}
out:
	if (elf)
		elf_end(elf);
	free(keep);
	return err;
}

int writer__elf(const struct btf *btf, const char *path, const char *ancestry,
		const struct diag *diag)
{
	return writer__elf_via(btf, path, ancestry, NULL, diag);
}

int writer__elf_sections(const char *path, const struct writer_section *secs, size_t n,
			 const struct diag *diag)
{
	struct writer_staged st;
	int err = writer__elf_sections_stage(path, secs, n, &st, 1, diag);

	return err ? err : writer__stage_commit(&st, diag);
}

static int elf_stage(const struct btf *btf, const char *path, const char *ancestry,
		     struct writer_staged *st, int seal, const struct diag *diag)
{
	struct writer_section secs[2] = { { BTF_SECTION }, { ANCESTRY_SECTION, ancestry } };
	__u32 size;

	writer_staged__start(st, path);
	secs[0].data = btf__raw_data(btf, &size);
	if (!secs[0].data) {
		diag__err(diag, "%s: cannot serialize BTF", path);
		return -ENOMEM;
	}
	secs[0].size = size;
	secs[1].size = ancestry ? strlen(ancestry) : 0;
	return writer__elf_sections_stage(path, secs, ancestry ? 2 : 1, st, seal, diag);
}

int writer__stage_elf(const struct btf *btf, const char *path, const char *ancestry,
		      struct writer_staged *st, const struct diag *diag)
{
	return elf_stage(btf, path, ancestry, st, 1, diag);
}

int writer__elf_via(const struct btf *btf, const char *path, const char *ancestry,
		    struct writer_committer *c, const struct diag *diag)
{
	struct writer_staged st;

	return writer_staged__finish(elf_stage(btf, path, ancestry, &st, !c, diag), &st, c,
				     diag);
}

int writer__elf_sections_stage(const char *path, const struct writer_section *secs, size_t n,
			       struct writer_staged *stg, int seal, const struct diag *diag)
{
	return writer__elf_sections_stage_pc(path, secs, n, stg, seal, NULL, diag);
}

int writer__elf_precopied(const struct btf *btf, const char *path, const char *ancestry,
			  struct writer_precopy *pc, const struct diag *diag)
{
	struct writer_section secs[2] = { { BTF_SECTION }, { ANCESTRY_SECTION, ancestry } };
	struct writer_staged st = WRITER_STAGED_INIT;
	__u32 size;
	int err;

	st.path = path;
	secs[0].data = btf__raw_data(btf, &size);
	if (!secs[0].data) {
		writer__precopy_discard(pc);
		diag__err(diag, "%s: cannot serialize BTF", path);
		return -ENOMEM;
	}
	secs[0].size = size;
	secs[1].size = ancestry ? strlen(ancestry) : 0;
	err = writer__elf_sections_stage_pc(path, secs, ancestry ? 2 : 1, &st, 1, pc, diag);
	return err ? err : writer__stage_commit(&st, diag);
}

int writer__elf_sections_stage_pc(const char *path, const struct writer_section *secs, size_t n,
				  struct writer_staged *stg, int seal, struct writer_precopy *pc,
				  const struct diag *diag)
{
	struct writer_provmap *have = NULL;
	struct stat st;
	size_t i;
	int in, err, done, prefilled = 0, whole = 0;

	writer_staged__start(stg, path);
	/* Only a regular file holds an ELF to rewrite: a FIFO is not opened (no wait). */
	in = file__open_regular(path, &st);
	if (in < 0) {
		err = in;
		writer__precopy_discard(pc);
		diag__err(diag, "%s: %s", path, file__strerror(err, &st));
		return err;
	}
	err = refuse_read_only(path, in, &st, diag);
	if (err) {
		writer__precopy_discard(pc);
		close(in);
		return err;
	}
	/* The copy made beside the encoding, if it is one of this file (else gone). */
	err = pc ? writer_precopy__take(pc, in, stg, &have, &whole, diag) : 1;
	if (err < 0) {
		close(in);
		return err;
	}
	prefilled = !err;
	err = prefilled ? 0 : writer_tmp__create(path, st.st_mode & 07777, stg, diag);
	if (err) {
		close(in);
		return err;
	}
	/*
	 * A relocatable object: libelf's layout, its sections copied file to file. Another
	 * kind of file, which the precopy copied whole (not one writer_rel.c edits): edited
	 * below as it is.
	 */
	done = whole ? -ENOTSUP : writer_rel__edit(in, stg->fd, secs, n, have, NULL);
	writer_provmap__free(have);
	if (done == -ENOTSUP && prefilled && !whole) {
		/* Not the kind the precopy was started for after all: begin again, empty. */
		if (ftruncate(stg->fd, 0) || lseek(stg->fd, 0, SEEK_SET)) {
			done = -errno;
			diag__err(diag, "%s: cannot write: %s", path, strerror(-done));
			close(in);
			writer__stage_discard(stg);
			return done;
		}
	}
	if (done != -ENOTSUP) {
		err = done;
		if (err)
			diag__err(diag, "%s: cannot write the %s section: %s", path, secs[0].name,
				  strerror(-err));
		close(in);
		goto commit;
	}
	/* A file -J refuses (a final link) is not copied first (the precopy checked it). */
	if (!whole && check_refusal(in, secs, n, path, diag) == -EPERM) {
		close(in);
		writer__stage_discard(stg);
		return -EPERM;
	}
	err = whole ? 0 : copy_file(in, stg->fd);
	close(in);
	if (err)
		diag__err(diag, "%s: cannot copy: %s", path, strerror(-err));
	/* Every section goes into the same copy: the commit makes them appear together. */
	for (i = 0; i < n && !err; i++)
		err = edit_copy(stg->fd, secs[i].name, secs[i].data, secs[i].size, path, diag);
commit:
	if (err) {
		writer__stage_discard(stg);
		return err;
	}
	if (seal)
		return writer_tmp__seal(stg, diag);
	stg->unsealed = 1;
	return 0;
}
