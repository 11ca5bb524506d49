/* SPDX-License-Identifier: GPL-2.0-only */
/* Private to btf_encoder/: the temp-file-and-rename steps both writers share. */
#ifndef BTFENC_WRITER_INT_H
#define BTFENC_WRITER_INT_H

#include <stddef.h>
#include <sys/types.h>

#include "util/diag.h"

/* Creates "<dir>/.<name>.btfenc-XXXXXX" beside @path; returns its fd or -errno. */
int writer_tmp__create(const char *path, char *tmp, size_t len, const struct diag *diag);
/* The target's permission bits if it exists, else 0644 less the umask. */
mode_t writer_tmp__mode(const char *path);
int writer_tmp__write_all(int fd, const void *buf, size_t size);
/* fsync, close and rename @tmp over @path; on failure @tmp is removed. */
int writer_tmp__commit(int fd, const char *tmp, const char *path, const struct diag *diag);
/* fsync and close @fd (@tmp, for @path); on failure @tmp is removed. */
int writer_tmp__seal(int fd, const char *tmp, const char *path, const struct diag *diag);
/* The ELF rewrite of writer__elf_sections() up to a sealed temporary file, in @tmp. */
struct writer_section;
int writer__elf_sections_stage(const char *path, const struct writer_section *secs, size_t n,
			       char *tmp, size_t len, const struct diag *diag);

#endif
