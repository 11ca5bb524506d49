// SPDX-License-Identifier: GPL-2.0-only
/* writer: raw BTF files and .BTF sections, each replaced atomically. */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/btf.h>

#include "writer.h"
#include "writer_int.h"

#define BTF_SECTION ".BTF"

/* A temporary file beside @path: "<dir>/.<name>.btfenc-XXXXXX". */
int writer_tmp__create(const char *path, char *tmp, size_t len, const struct diag *diag)
{
	char *d = strdup(path), *b = strdup(path);
	int fd = -1;

	if (!d || !b) {
		free(d);
		free(b);
		return -ENOMEM;
	}
	if ((size_t)snprintf(tmp, len, "%s/.%s.btfenc-XXXXXX", dirname(d), basename(b)) >= len) {
		fd = -ENAMETOOLONG;
	} else {
		fd = mkostemp(tmp, O_CLOEXEC);
		if (fd < 0) {
			fd = -errno;
			diag__err(diag, "%s: cannot create a temporary file beside it: %s", path,
				  strerror(errno));
		}
	}
	free(d);
	free(b);
	return fd;
}

/* Mode for the new file: the target's if it exists, else 0644 less the umask. */
mode_t writer_tmp__mode(const char *path)
{
	struct stat st;
	mode_t mask;

	if (stat(path, &st) == 0)
		return st.st_mode & 07777;
	mask = umask(0);
	umask(mask);
	return 0644 & ~mask;
}

int writer_tmp__write_all(int fd, const void *buf, size_t size)
{
	const char *p = buf;

	while (size) {
		ssize_t n = write(fd, p, size);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		size -= n;
	}
	return 0;
}

int writer_tmp__seal(int fd, const char *tmp, const char *path, const struct diag *diag)
{
	int err = 0;

	if (fsync(fd))
		err = -errno;
	if (close(fd) && !err)
		err = -errno;
	if (err) {
		diag__err(diag, "%s: cannot write: %s", path, strerror(-err));
		unlink(tmp);
	}
	return err;
}

/* Renames @tmp over @path; on failure @tmp is removed. */
static int tmp_rename(const char *tmp, const char *path, const struct diag *diag)
{
	int err = rename(tmp, path) ? -errno : 0;

	if (err) {
		diag__err(diag, "%s: cannot write: %s", path, strerror(-err));
		unlink(tmp);
	}
	return err;
}

/* fsync, close and rename @tmp over @path; on failure @tmp is removed. */
int writer_tmp__commit(int fd, const char *tmp, const char *path, const struct diag *diag)
{
	int err = writer_tmp__seal(fd, tmp, path, diag);

	return err ? err : tmp_rename(tmp, path, diag);
}

/* @data in a sealed temporary file beside @path, named in @tmp. */
static int bytes_stage(const void *data, size_t size, const char *path, char *tmp, size_t len,
		       const struct diag *diag)
{
	struct stat st;
	int fd, err;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		diag__err(diag, "%s: is a directory", path);
		return -EISDIR;
	}
	fd = writer_tmp__create(path, tmp, len, diag);
	if (fd < 0)
		return fd;
	err = fchmod(fd, writer_tmp__mode(path)) ? -errno : 0;
	if (!err)
		err = writer_tmp__write_all(fd, data, size);
	if (err) {
		diag__err(diag, "%s: cannot write: %s", path, strerror(-err));
		close(fd);
		unlink(tmp);
		return err;
	}
	return writer_tmp__seal(fd, tmp, path, diag);
}

int writer__bytes(const void *data, size_t size, const char *path, const struct diag *diag)
{
	char tmp[PATH_MAX];
	int err = bytes_stage(data, size, path, tmp, sizeof(tmp), diag);

	return err ? err : tmp_rename(tmp, path, diag);
}

int writer__raw(const struct btf *btf, const char *path, const struct diag *diag)
{
	struct writer_staged st;
	int err = writer__stage_raw(btf, path, &st, diag);

	return err ? err : writer__stage_commit(&st, diag);
}

int writer__stage_raw(const struct btf *btf, const char *path, struct writer_staged *st,
		      const struct diag *diag)
{
	const void *raw;
	__u32 size;
	int err;

	st->tmp[0] = '\0';
	st->path = path;
	raw = btf__raw_data(btf, &size);
	if (!raw) {
		diag__err(diag, "%s: cannot serialize BTF", path);
		return -ENOMEM;
	}
	err = bytes_stage(raw, size, path, st->tmp, sizeof(st->tmp), diag);
	if (err)
		st->tmp[0] = '\0';
	return err;
}

int writer__stage_commit(struct writer_staged *st, const struct diag *diag)
{
	int err;

	if (!st->tmp[0])
		return -EINVAL;
	err = tmp_rename(st->tmp, st->path, diag);
	st->tmp[0] = '\0';
	return err;
}

void writer__stage_discard(struct writer_staged *st)
{
	if (st->tmp[0])
		unlink(st->tmp);
	st->tmp[0] = '\0';
}

