/* SPDX-License-Identifier: GPL-2.0-only */
/* Private to btf_encoder/: the temp-file-and-rename steps both writers share. */
#ifndef BTFENC_WRITER_INT_H
#define BTFENC_WRITER_INT_H

#include <stddef.h>
#include <sys/types.h>

#include <gelf.h>

#include "util/diag.h"
#include "writer.h"

/* @st for @path with no file yet: what every stage step starts from. */
static inline void writer_staged__start(struct writer_staged *st, const char *path)
{
	st->fd = -1;
	st->tmp[0] = '\0';
	st->path = path;
	st->direct = 0;
	st->unsealed = 0;
}

/*
 * Opens @st's temporary file beside @path with permission bits @mode (writer.c's design
 * note: unnamed where the filesystem can, else "<dir>/.<name>.btfenc-XXXXXX"). 0 or -errno
 * (one message).
 */
int writer_tmp__create(const char *path, mode_t mode, struct writer_staged *st,
		       const struct diag *diag);
/*
 * The end of writer__raw_via() and writer__elf_via(): @st, staged with result @err (sealed
 * when @c is NULL), committed here or handed to @c.
 */
int writer_staged__finish(int err, struct writer_staged *st, struct writer_committer *c,
			  const struct diag *diag);
/* The target's permission bits if it exists, else 0644 less the umask. */
mode_t writer_tmp__mode(const char *path);
int writer_tmp__write_all(int fd, const void *buf, size_t size);
/* @size bytes at @off of @fd, short writes resumed: 0, or -errno (-EIO for a write of 0). */
int writer_tmp__pwrite_all(int fd, const void *buf, size_t size, off_t off);
/* fsyncs @st's file, kept open for the commit; on failure one message, @st discarded. */
int writer_tmp__seal(struct writer_staged *st, const struct diag *diag);
/*
 * The ELF rewrite of writer__elf_sections() up to a complete temporary file, in @st:
 * sealed when @seal, else left for the commit to fsync (st->unsealed).
 */
struct writer_section;
int writer__elf_sections_stage(const char *path, const struct writer_section *secs, size_t n,
			       struct writer_staged *st, int seal, const struct diag *diag);
/* The same over @pc's copy of the input (consumed; NULL: as above). */
int writer__elf_sections_stage_pc(const char *path, const struct writer_section *secs, size_t n,
				  struct writer_staged *st, int seal, struct writer_precopy *pc,
				  const struct diag *diag);
/*
 * writer_rel.c: which bytes of an output hold which of the input, as a run of
 * writer_rel__edit() left them (its @record; the @have of a later run on that output).
 */
struct writer_provmap;
void writer_provmap__free(struct writer_provmap *m);
/*
 * writer_precopy.c: @pc's copy taken as @st, if it is one of @in (0): with what it holds
 * in *@have (a relocatable object laid out), or, *@whole set, the whole of @in as it is
 * (*@have NULL); else 1 (none, @pc gone) or -errno (one message).
 */
int writer_precopy__take(struct writer_precopy *pc, int in, struct writer_staged *st,
			 struct writer_provmap **have, int *whole, const struct diag *diag);
/*
 * writer_rel.c: @len bytes of @in at @off_in to @out at @off_out, in the kernel where it can
 * (copy_file_range(), which shares the input's blocks on XFS and btrfs where the ranges
 * allow), else through a buffer. 0 or -errno.
 */
int writer_rel__copy_range(int in, off_t off_in, int out, off_t off_out, size_t len);

/*
 * writer_elf.c: whether -J would refuse ELF file @fd (one of the sections @names, @n of
 * them, allocated where a load segment maps it: a final link), or cannot read it.
 */
int writer_elf__refused(int fd, const char *const *names, size_t n);
/* writer_elf.c: the ELF header / @n section headers at @off, in the file's class and order. */
int writer_elf__write_ehdr(int fd, Elf *elf, GElf_Ehdr *eh);
int writer_elf__write_shdrs(int fd, Elf *elf, const GElf_Ehdr *eh, GElf_Shdr *sh, size_t n,
			    off_t off);

/*
 * writer_rel.c: section @secname's data set to @size bytes at @raw (kept by the
 * caller until the Elf is written), in section @idx or, 0, in a new section
 * named in a grown .shstrtab (*@keep: its buffer, for the caller to free).
 */
int writer_rel__set_section(Elf *elf, size_t shstrndx, const char *secname, long idx,
			    const void *raw, size_t size, void **keep);
/*
 * writer_rel.c: @out (empty) made the copy of relocatable object @in with
 * @n sections set, the bytes libelf's writer would give, no section read into
 * memory. @have (NULL: @out is empty): what @out holds already, from an earlier
 * run on it (a precopy), whose bytes are not written again; @record (NULL: not
 * wanted): set to what this run leaves in @out. -ENOTSUP (nothing written) for
 * other files: not ET_REL, foreign byte order, program headers.
 */
int writer_rel__edit(int in, int out, const struct writer_section *secs, size_t n,
		     const struct writer_provmap *have, struct writer_provmap **record);
/* writer_rel.c: the sizes of the sections @names of the ELF file @in (0: none, or unreadable). */
void writer_rel__section_sizes(int in, const char *const *names, size_t n, size_t *sizes);
#endif
