// SPDX-License-Identifier: GPL-2.0-only
/*
 * writer_precopy: the head start of writer.h for -J. Writing a big module's output is
 * mostly copying the module (Debian's 6.1 amdgpu.ko: 356 MB copied, then fsynced) and it
 * came last, after the final deduplication, which runs on one thread while the other core
 * idles. Here a thread writes the output as it would be with .BTF (and .BTF.ancestry) of a
 * guessed size: the size they have in the input, or one byte where they are new. The
 * sections before them keep their place whatever the real size (libelf lays a relocatable
 * object out in section order, and new sections come last), so the writer then copies only
 * what lands elsewhere (writer_rel.c: plan__run() over @have), and the writeback of the
 * rest has begun. An executable (the kernel's .tmp_vmlinux.btf: Debian's 6.1 cloud vmlinux
 * is 590 MB with its DWARF) keeps every byte where it is (writer_elf.c), so it is copied
 * whole, and the writer then writes only the section and the headers (after the file's
 * end, or in place where the section fits). A whole copy goes in steps, so that a run that
 * ends without output (no DWARF, an error) stops it early.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/file.h"
#include "writer.h"
#include "writer_int.h"

struct writer_precopy {
	pthread_t tid;
	const char *path;		/* borrowed from the caller */
	int in;				/* the input, open for the copy */
	struct stat in_st;		/* what it was when the copy began */
	int ancestry;			/* .BTF.ancestry is written too */
	int whole;			/* not one writer_rel.c edits: the file copied as it is */
	struct writer_staged st;	/* the copy */
	struct writer_provmap *have;	/* what it holds */
	int err;			/* the copy's error; -ENOTSUP: none made */
	int cancel;			/* set (atomically) when the copy will not be used */
};

/* A whole copy's step: small enough to stop soon, large enough to share whole blocks. */
#define WHOLE_STEP ((off_t)64 << 20)

/*
 * Any other ELF file (a vmlinux): the writer edits a copy of it as it is (writer_elf.c), so
 * the copy is made here, unless -J would refuse the file (a final link) and nothing would
 * use it.
 */
static void copy_whole(struct writer_precopy *pc, const char *const *names, size_t n,
		       const struct diag *quiet)
{
	off_t size = pc->in_st.st_size, off;

	if (writer_elf__refused(pc->in, names, n) ||
	    writer_tmp__create(pc->path, pc->in_st.st_mode & 07777, &pc->st, quiet)) {
		pc->err = -ENOTSUP;
		return;
	}
	for (off = 0; off < size && !pc->err; off += WHOLE_STEP) {
		if (__atomic_load_n(&pc->cancel, __ATOMIC_RELAXED)) {
			pc->err = -ECANCELED;	/* discarded: never taken */
			break;
		}
		pc->err = writer_rel__copy_range(pc->in, off, pc->st.fd, off,
						 (size_t)(size - off < WHOLE_STEP ? size - off :
							  WHOLE_STEP));
	}
}

static void *precopy_main(void *arg)
{
	static const char *const names[2] = { ".BTF", ".BTF.ancestry" };
	struct writer_precopy *pc = arg;
	/* Its messages, if any, are not this run's: the writer may never come (no DWARF). */
	const struct diag quiet = { .emit = diag__drop };
	struct writer_section secs[2];
	size_t sizes[2] = { 0, 0 }, n = pc->ancestry ? 2 : 1, i;
	void *zeros;

	if (pc->whole) {
		copy_whole(pc, names, n, &quiet);
		if (!pc->err)
			(void)sync_file_range(pc->st.fd, 0, 0, SYNC_FILE_RANGE_WRITE);
		return NULL;
	}
	writer_rel__section_sizes(pc->in, names, n, sizes);
	zeros = calloc((sizes[0] > sizes[1] ? sizes[0] : sizes[1]) + 1, 1);
	if (!zeros) {
		pc->err = -ENOMEM;
		return NULL;
	}
	for (i = 0; i < n; i++)
		secs[i] = (struct writer_section){ names[i], zeros, sizes[i] ? sizes[i] : 1 };
	/* No temporary file here (a read-only directory): none for the writer either. */
	if (writer_tmp__create(pc->path, pc->in_st.st_mode & 07777, &pc->st, &quiet))
		pc->err = -ENOTSUP;
	else
		pc->err = writer_rel__edit(pc->in, pc->st.fd, secs, n, NULL, &pc->have);
	free(zeros);
	/* Writeback begins now rather than at the fsync after the final deduplication. */
	if (!pc->err)
		(void)sync_file_range(pc->st.fd, 0, 0, SYNC_FILE_RANGE_WRITE);
	return NULL;
}

/* Whether the 64 bytes at @h begin an ELF file writer_rel.c edits: native ET_REL, no phdrs. */
static int editable(const unsigned char *h, size_t len)
{
	const uint16_t one = 1;
	int native_lsb = *(const uint8_t *)&one == 1;
	uint16_t type, phnum;

	if (len < sizeof(Elf64_Ehdr) || memcmp(h, ELFMAG, SELFMAG) ||
	    (h[EI_DATA] == ELFDATA2LSB) != native_lsb ||
	    (h[EI_DATA] != ELFDATA2LSB && h[EI_DATA] != ELFDATA2MSB))
		return 0;
	memcpy(&type, h + offsetof(Elf64_Ehdr, e_type), sizeof(type));
	if (h[EI_CLASS] == ELFCLASS64)
		memcpy(&phnum, h + offsetof(Elf64_Ehdr, e_phnum), sizeof(phnum));
	else if (h[EI_CLASS] == ELFCLASS32)
		memcpy(&phnum, h + offsetof(Elf32_Ehdr, e_phnum), sizeof(phnum));
	else
		return 0;
	return type == ET_REL && phnum == 0;
}

int writer__precopy_start(const char *path, int ancestry, struct writer_precopy **out,
			  const struct diag *diag)
{
	unsigned char h[sizeof(Elf64_Ehdr)];
	struct writer_precopy *pc;
	struct stat lst, st;
	int in;

	*out = NULL;
	/* A link is left to the writer (it replaces what the link points to). */
	if (lstat(path, &lst) || !S_ISREG(lst.st_mode) || access(path, W_OK) ||
	    !(lst.st_mode & 0222))
		return 0;
	in = file__open_regular(path, &st);
	if (in < 0)
		return 0;	/* the writer says why, if it still cannot */
	if (pread(in, h, sizeof(h), 0) != (ssize_t)sizeof(h) || memcmp(h, ELFMAG, SELFMAG)) {
		close(in);
		return 0;
	}
	pc = calloc(1, sizeof(*pc));
	if (!pc) {
		close(in);
		diag__err(diag, "%s: %s", path, strerror(ENOMEM));
		return -ENOMEM;
	}
	pc->in_st = st;
	pc->path = path;
	pc->ancestry = ancestry;
	pc->whole = !editable(h, sizeof(h));
	elf_version(EV_CURRENT);	/* libelf's one global, set before the thread uses it */
	pc->in = in;
	pc->st = (struct writer_staged)WRITER_STAGED_INIT;
	if (pthread_create(&pc->tid, NULL, precopy_main, pc)) {
		free(pc);
		close(in);
		return 0;	/* the writer copies as it would have */
	}
	*out = pc;
	return 0;
}

static void precopy_free(struct writer_precopy *pc)
{
	writer__stage_discard(&pc->st);
	writer_provmap__free(pc->have);
	close(pc->in);
	free(pc);
}

void writer__precopy_discard(struct writer_precopy *pc)
{
	if (!pc)
		return;
	__atomic_store_n(&pc->cancel, 1, __ATOMIC_RELAXED);
	pthread_join(pc->tid, NULL);
	precopy_free(pc);
}

int writer_precopy__take(struct writer_precopy *pc, int in, struct writer_staged *st,
			 struct writer_provmap **have, int *whole, const struct diag *diag)
{
	struct stat now;
	int err;

	pthread_join(pc->tid, NULL);
	/*
	 * Replaced or changed since the copy began (contents: size and modification time;
	 * mode or owner: the change time): the copy is not of this file as it is now.
	 * Not a file writer_rel.c edits after all, one -J refuses (not copied), or no
	 * temporary file (-ENOTSUP): the writer does as without a precopy, and says why if
	 * it fails.
	 */
	if (pc->err == -ENOTSUP || fstat(in, &now) || now.st_dev != pc->in_st.st_dev ||
	    now.st_ino != pc->in_st.st_ino || now.st_size != pc->in_st.st_size ||
	    now.st_mtim.tv_sec != pc->in_st.st_mtim.tv_sec ||
	    now.st_mtim.tv_nsec != pc->in_st.st_mtim.tv_nsec ||
	    now.st_ctim.tv_sec != pc->in_st.st_ctim.tv_sec ||
	    now.st_ctim.tv_nsec != pc->in_st.st_ctim.tv_nsec) {
		precopy_free(pc);
		return 1;
	}
	err = pc->err;
	if (err) {
		diag__err(diag, "%s: cannot copy: %s", pc->path, strerror(-err));
		precopy_free(pc);
		return err;
	}
	*st = pc->st;
	st->path = pc->path;
	*have = pc->have;
	*whole = pc->whole;
	pc->have = NULL;
	pc->st = (struct writer_staged)WRITER_STAGED_INIT;
	precopy_free(pc);
	return 0;
}
