/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * writer: put encoded BTF on disk, all or nothing.
 *
 * Both writers build the complete result in a temporary file in the target's
 * own directory, fsync it, and put it over the target in one step. On any failure
 * the temporary file is removed and the target is byte-for-byte what it was (or
 * still absent). The target's permission bits are kept when it exists.
 * Where the filesystem supports O_TMPFILE the temporary file has no name until
 * the commit, so even a process killed meanwhile (a signal, libdw's exit on its
 * own allocation failure) leaves no file behind; the commit links it to the
 * target's name (to a temporary name renamed over the target, when there is
 * one: linkat() does not replace). Elsewhere it is a named file,
 * "<dir>/.<name>.btfenc-XXXXXX", which only such a kill leaves.
 * A target that is a symbolic link stays one: the file it points to is
 * replaced (a link to nothing is an error). A device or FIFO target
 * (/dev/null, a pipe) cannot be renamed over: it is written in place at the
 * stage, with no temporary file.
 *
 * Split BTF (a struct btf made on a base) is written as its own part only:
 * header, its types, its strings, as libbpf's btf__raw_data() gives it.
 *
 * Thread-safety: none needed; each call works on its own files.
 * Errors: negative errno and one message naming the file.
 */
#ifndef BTFENC_WRITER_H
#define BTFENC_WRITER_H

#include <stddef.h>

#include "util/diag.h"

struct btf;

/* Writes raw BTF (the --btf_encode_detached format) to @path. */
int writer__raw(const struct btf *btf, const char *path, const struct diag *diag);

/* Writes raw bytes to @path atomically (shared by the BTF writers). */
int writer__bytes(const void *data, size_t size, const char *path, const struct diag *diag);

/*
 * Replaces the .BTF section of the ELF file @path with @btf, or adds one
 * (SHT_PROGBITS, no flags, alignment 1, as objcopy --add-section makes it).
 * @ancestry (NULL: none) is a split layer's record of the layers it was made
 * on, written as the text of a .BTF.ancestry section beside it: one line
 * "btfenc-ancestry 1", then per base layer, root first, "TYPES STRLEN CRC32 NAME"
 * (btf_reader checks it when the file is read on a chain).
 * Relocatable objects are laid out by libelf; executables and shared objects
 * keep every existing offset and get the new data appended. A .BTF whose
 * bytes a load segment maps (a final vmlinux) is refused: -EPERM. An allocated
 * but empty .BTF (what ld.lld leaves in a kernel's .tmp_vmlinux.btf) is filled
 * as pahole fills it, its address and flags kept.
 */
int writer__elf(const struct btf *btf, const char *path, const char *ancestry,
		const struct diag *diag);

/* One section for writer__elf_sections(): its name and bytes. */
struct writer_section {
	const char *name;
	const void *data;
	size_t size;
};

/*
 * Replaces or adds each of the @n sections @secs in the ELF file @path, all in one atomic
 * rewrite, as writer__elf() does for .BTF (same rules, same errors): e.g. .BTF with a
 * layout section, or .BTF with the distilled base it is split on in .BTF.base.
 */
int writer__elf_sections(const char *path, const struct writer_section *secs, size_t n,
			 const struct diag *diag);

/*
 * Two outputs that belong together (a core layer and its extra layer) are staged
 * first, each complete and fsynced in its temporary file, and put in place only when
 * both are: a failure before that leaves every target as it was. A staged output is
 * either committed (given its target's name) or discarded (its temporary file closed
 * and removed), exactly once. Its descriptor stays open until then. Initialise with
 * WRITER_STAGED_INIT before a stage call that may not happen.
 */
struct writer_staged {
	int fd;			/* the temporary file, complete and fsynced; -1 when none */
	char tmp[4096];		/* its name; "" while it has none (O_TMPFILE) */
	const char *path;	/* the target as the caller names it (messages), borrowed */
	char target[4096];	/* the name replaced: @path, or the file a symbolic link
				 * at @path points to (the link stays) */
	int direct;		/* @path is a device or FIFO: written in place at the
				 * stage, nothing to commit */
	int unsealed;		/* not fsynced yet: the commit does it first (an output
				 * handed to a committer) */
};

#define WRITER_STAGED_INIT { .fd = -1 }

/* writer__raw()'s and writer__elf()'s work but the commit: @st holds the result. */
int writer__stage_raw(const struct btf *btf, const char *path, struct writer_staged *st,
		      const struct diag *diag);
int writer__stage_elf(const struct btf *btf, const char *path, const char *ancestry,
		      struct writer_staged *st, const struct diag *diag);
/*
 * Gives the staged file its target's name, replacing the target atomically (one message on
 * failure, the temporary file removed, the target as it was).
 */
int writer__stage_commit(struct writer_staged *st, const struct diag *diag);
/* Closes and removes the staged file; a no-op once committed or discarded. */
void writer__stage_discard(struct writer_staged *st);

/*
 * A committer finishes outputs on a thread of its own: the fsync of the complete
 * temporary file and its commit, which is where a writer waits for the disk (and, on ext4
 * without a journal, for the discard of the replaced file's blocks at the rename). A batch
 * hands each input's output over and goes on encoding the next. Every output is still
 * all or nothing on its own: a failed fsync or commit leaves that target as it was, with
 * one message, and the others go on. At most @depth outputs wait; a push beyond that waits
 * for room. Thread-safety: push from any thread; start and finish from one.
 */
struct writer_committer;

/*
 * 0 with *@c set, or NULL when its thread cannot start (no message: the caller then
 * commits in place); -ENOMEM with one message.
 */
int writer_committer__start(unsigned int depth, struct writer_committer **c,
			    const struct diag *diag);
/* Hands the staged output @st over (@st is left empty; discarding it is a no-op). */
void writer_committer__push(struct writer_committer *c, struct writer_staged *st);
/* Waits until every output handed over is committed; frees @c. The first error, or 0. */
int writer_committer__finish(struct writer_committer *c);

/*
 * A head start for -J on an ELF file: a thread writes the output's temporary file while
 * the caller still encodes the input and asks for its writeback to begin. A native-byte-
 * order ET_REL without program headers (a module; what writer_rel.c edits) is written as it
 * will be but for the bytes of .BTF (and .BTF.ancestry when @ancestry); any other ELF file
 * (a vmlinux) is copied as it is, unless -J would refuse it. writer__elf_precopied() then
 * writes over it what differs (those sections, the headers, any section that lands
 * elsewhere): the same bytes as writer__elf(). 0 with *@pc set, or NULL (no message) for a
 * file that is not ELF or when the thread cannot start (the writer then works as without);
 * -ENOMEM with one message.
 */
struct writer_precopy;

int writer__precopy_start(const char *path, int ancestry, struct writer_precopy **pc,
			  const struct diag *diag);
/* Waits for the copy and removes it; a no-op on NULL. */
void writer__precopy_discard(struct writer_precopy *pc);
/* writer__elf() over @pc's copy (consumed; NULL: writer__elf()). */
int writer__elf_precopied(const struct btf *btf, const char *path, const char *ancestry,
			  struct writer_precopy *pc, const struct diag *diag);

/*
 * -J's refusal of ELF file @path asked before it is encoded: -EPERM with writer__elf()'s
 * message if its .BTF is allocated where a load segment maps it (a final link), else 0
 * (a file that cannot be read is left for the encoder and the writer to report).
 */
int writer__elf_refuses(const char *path, const struct diag *diag);
/*
 * The same for an ELF file that only takes a section (--btf_extra_elf), with what the
 * writer would refuse before writing it too, each with its message: not a regular file
 * (or not there), read-only, a final link. 0 when the writer may go on (a file libelf
 * cannot read is left for the writer to say so), else the negative errno.
 */
int writer__elf_target_refuses(const char *path, const struct diag *diag);

/* writer__raw() and writer__elf() with the fsync and the commit done by @c (NULL: here). */
int writer__raw_via(const struct btf *btf, const char *path, struct writer_committer *c,
		    const struct diag *diag);
int writer__elf_via(const struct btf *btf, const char *path, const char *ancestry,
		    struct writer_committer *c, const struct diag *diag);

#endif
