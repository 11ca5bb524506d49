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

/*
 * Temporary files. Where the filesystem can, the result is written to an O_TMPFILE file in
 * the target's directory: a file without a name, which the kernel frees with its last
 * descriptor, so a run that ends in any way before its commit (a signal, libdw's exit on its
 * own allocation failure) leaves nothing in the directory. The commit names it with
 * linkat() through /proc/self/fd (no privilege needed, unlike AT_EMPTY_PATH): straight to
 * the target when there is none, or, since linkat() never replaces a name, to a temporary
 * name renamed over the target. Where O_TMPFILE is not supported (EOPNOTSUPP: the
 * filesystem; EISDIR or EINVAL: a kernel older than 3.11) or /proc is not mounted, the
 * temporary file is named from the start, "<dir>/.<name>.btfenc-XXXXXX", and only a
 * kill before the commit leaves it.
 */

/* The directory and file name of @path, in @dir and @base (each PATH_MAX bytes). */
static int split_path(const char *path, char *dir, char *base)
{
	char *d = strdup(path), *b = strdup(path);
	int err = 0;

	if (!d || !b)
		err = -ENOMEM;
	else if ((size_t)snprintf(dir, PATH_MAX, "%s", dirname(d)) >= PATH_MAX ||
		 (size_t)snprintf(base, PATH_MAX, "%s", basename(b)) >= PATH_MAX)
		err = -ENAMETOOLONG;
	free(d);
	free(b);
	return err;
}

/* "/proc/self/fd/@fd" in @buf: the name linkat() gives an O_TMPFILE file by. */
static void fd_path(int fd, char *buf, size_t len)
{
	snprintf(buf, len, "/proc/self/fd/%d", fd);
}

/* An O_TMPFILE file in @dir, or -errno; -EOPNOTSUPP when it could not be linked later. */
static int tmp_anonymous(const char *dir)
{
	char proc[64];
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);

	if (fd < 0)
		return errno == EISDIR || errno == EINVAL ? -EOPNOTSUPP : -errno;
	fd_path(fd, proc, sizeof(proc));
	if (access(proc, F_OK)) {
		close(fd);
		return -EOPNOTSUPP;
	}
	return fd;
}

/*
 * The name @st's file will replace, in st->target: @path itself, or, where @path is a
 * symbolic link, the file it points to, so that the link stays a link (as when pahole
 * opens the file to write it). A link pointing nowhere is an error: there is no directory
 * known to be the right one for the file.
 */
static int resolve_target(const char *path, struct writer_staged *st, const struct diag *diag)
{
	struct stat sb;
	char *real;

	if (lstat(path, &sb) || !S_ISLNK(sb.st_mode)) {
		if ((size_t)snprintf(st->target, sizeof(st->target), "%s", path) <
		    sizeof(st->target))
			return 0;
		diag__err(diag, "%s: %s", path, strerror(ENAMETOOLONG));
		return -ENAMETOOLONG;
	}
	real = realpath(path, NULL);
	if (!real || strlen(real) >= sizeof(st->target)) {
		int err = real ? -ENAMETOOLONG : -errno;

		diag__err(diag, "%s: a symbolic link btfenc cannot follow: %s", path,
			  strerror(-err));
		free(real);
		return err;
	}
	strcpy(st->target, real);
	free(real);
	return 0;
}

int writer_tmp__create(const char *path, mode_t mode, struct writer_staged *st,
		       const struct diag *diag)
{
	char dir[PATH_MAX], base[PATH_MAX];
	int fd, err;

	writer_staged__start(st, path);
	err = resolve_target(path, st, diag);
	if (err)
		return err;
	fd = split_path(st->target, dir, base);
	if (!fd)
		fd = tmp_anonymous(dir);
	if (fd == -EOPNOTSUPP) {
		if ((size_t)snprintf(st->tmp, sizeof(st->tmp), "%s/.%s.btfenc-XXXXXX", dir,
				     base) >= sizeof(st->tmp))
			fd = -ENAMETOOLONG;
		else if ((fd = mkostemp(st->tmp, O_CLOEXEC)) < 0)
			fd = -errno;
		if (fd < 0)
			st->tmp[0] = '\0';
	}
	if (fd < 0) {
		diag__err(diag, "%s: cannot create a temporary file beside it: %s", path,
			  strerror(-fd));
		return fd;
	}
	st->fd = fd;
	if (fchmod(fd, mode)) {
		err = -errno;
		diag__err(diag, "%s: cannot write: %s", path, strerror(-err));
		writer__stage_discard(st);
		return err;
	}
	return 0;
}

/*
 * The process's umask, read without changing it (Linux 4.7 and later show it in
 * /proc/self/status): umask() can only be read by setting it, and a batch's threads
 * doing so at once could leave it at 0. Where /proc does not say, set and restored.
 */
static mode_t current_umask(void)
{
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	char buf[4096], *p;
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	mode_t old;

	if (fd >= 0)
		close(fd);
	if (n > 0) {	/* "Umask:" comes early: the first page holds it */
		buf[n] = '\0';
		p = strstr(buf, "\nUmask:");
		if (p)
			return (mode_t)strtoul(p + 7, NULL, 8) & 0777;
	}
	old = umask(022);
	umask(old);
	return old;
}

/* Mode for the new file: the target's if it exists, else 0644 less the umask. */
mode_t writer_tmp__mode(const char *path)
{
	struct stat st;

	if (stat(path, &st) == 0)
		return st.st_mode & 07777;
	return 0644 & ~current_umask();
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

int writer_tmp__pwrite_all(int fd, const void *buf, size_t size, off_t off)
{
	const char *p = buf;

	while (size) {
		ssize_t n = pwrite(fd, p, size, off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n ? -errno : -EIO;
		p += n;
		size -= n;
		off += n;
	}
	return 0;
}

int writer_tmp__seal(struct writer_staged *st, const struct diag *diag)
{
	int err = fsync(st->fd) ? -errno : 0;

	st->unsealed = 0;
	if (err) {
		diag__err(diag, "%s: cannot write: %s", st->path, strerror(-err));
		writer__stage_discard(st);
	}
	return err;
}

/* A fresh name "<dir>/.<name>.btfenc-XXXXXX" linked to the anonymous file of @st, in @tmp. */
static int link_tmp_name(const struct writer_staged *st, const char *proc, char *tmp)
{
	char dir[PATH_MAX], base[PATH_MAX];
	int err = split_path(st->target, dir, base), i;

	for (i = 0; !err && i < 100; i++) {
		if ((size_t)snprintf(tmp, PATH_MAX, "%s/.%s.btfenc-%06lx", dir, base,
				     (random() ^ (long)getpid() << 8) & 0xffffff) >= PATH_MAX)
			return -ENAMETOOLONG;
		if (!linkat(AT_FDCWD, proc, AT_FDCWD, tmp, AT_SYMLINK_FOLLOW))
			return 0;
		err = errno == EEXIST ? 0 : -errno;
	}
	return err ? err : -EEXIST;
}

/*
 * Gives the sealed file of @st the name of its target: linkat() when the target does not
 * exist, else a temporary name then rename(). On failure the temporary name is removed.
 */
static int tmp_publish(struct writer_staged *st)
{
	char proc[64], tmp[PATH_MAX];
	int err;

	if (st->tmp[0])
		return rename(st->tmp, st->target) ? -errno : 0;
	fd_path(st->fd, proc, sizeof(proc));
	if (!linkat(AT_FDCWD, proc, AT_FDCWD, st->target, AT_SYMLINK_FOLLOW))
		return 0;
	if (errno != EEXIST)
		return -errno;
	err = link_tmp_name(st, proc, tmp);
	if (!err && rename(tmp, st->target)) {
		err = -errno;
		unlink(tmp);
	}
	return err;
}

int writer__stage_commit(struct writer_staged *st, const struct diag *diag)
{
	int err;

	if (st->direct) {	/* written at the stage */
		st->direct = 0;
		return 0;
	}
	if (st->fd < 0)
		return -EINVAL;
	if (st->unsealed) {
		err = writer_tmp__seal(st, diag);
		if (err)
			return err;
	}
	err = tmp_publish(st);
	if (err)
		diag__err(diag, "%s: cannot write: %s", st->path, strerror(-err));
	else
		st->tmp[0] = '\0';	/* it is the target now */
	writer__stage_discard(st);
	return err;
}

void writer__stage_discard(struct writer_staged *st)
{
	if (st->fd >= 0)
		close(st->fd);
	if (st->tmp[0])
		unlink(st->tmp);
	st->fd = -1;
	st->tmp[0] = '\0';
	st->direct = 0;
	st->unsealed = 0;
}

/*
 * @data written straight into the device or FIFO @path (/dev/null, /dev/stdout, a pipe):
 * such a file cannot be replaced by a rename, and renaming over it would put a regular file
 * where the device was.
 */
static int bytes_direct(const void *data, size_t size, const char *path, struct writer_staged *st,
			const struct diag *diag)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), err;

	err = fd < 0 ? -errno : writer_tmp__write_all(fd, data, size);
	if (fd >= 0 && close(fd) && !err)
		err = -errno;
	if (err) {
		diag__err(diag, "%s: cannot write: %s", path, strerror(-err));
		return err;
	}
	st->direct = 1;
	return 0;
}

/* @data in a temporary file beside @path, in @st, fsynced when @seal. */
static int bytes_stage(const void *data, size_t size, const char *path, struct writer_staged *st,
		       int seal, const struct diag *diag)
{
	struct stat sb;
	int err;

	writer_staged__start(st, path);
	if (stat(path, &sb) == 0) {
		if (S_ISDIR(sb.st_mode)) {
			diag__err(diag, "%s: is a directory", path);
			return -EISDIR;
		}
		if (!S_ISREG(sb.st_mode))	/* a device or FIFO */
			return bytes_direct(data, size, path, st, diag);
	}
	err = writer_tmp__create(path, writer_tmp__mode(path), st, diag);
	if (err)
		return err;
	err = writer_tmp__write_all(st->fd, data, size);
	if (err) {
		diag__err(diag, "%s: cannot write: %s", path, strerror(-err));
		writer__stage_discard(st);
		return err;
	}
	if (seal)
		return writer_tmp__seal(st, diag);
	st->unsealed = 1;
	return 0;
}

int writer__bytes(const void *data, size_t size, const char *path, const struct diag *diag)
{
	struct writer_staged st;
	int err = bytes_stage(data, size, path, &st, 1, diag);

	return err ? err : writer__stage_commit(&st, diag);
}

int writer__raw(const struct btf *btf, const char *path, const struct diag *diag)
{
	return writer__raw_via(btf, path, NULL, diag);
}

static int raw_stage(const struct btf *btf, const char *path, struct writer_staged *st, int seal,
		     const struct diag *diag)
{
	const void *raw;
	__u32 size;

	writer_staged__start(st, path);
	raw = btf__raw_data(btf, &size);
	if (!raw) {
		diag__err(diag, "%s: cannot serialize BTF", path);
		return -ENOMEM;
	}
	return bytes_stage(raw, size, path, st, seal, diag);
}

int writer__stage_raw(const struct btf *btf, const char *path, struct writer_staged *st,
		      const struct diag *diag)
{
	return raw_stage(btf, path, st, 1, diag);
}

int writer_staged__finish(int err, struct writer_staged *st, struct writer_committer *c,
			  const struct diag *diag)
{
	if (err)
		return err;
	if (!c)
		return writer__stage_commit(st, diag);
	writer_committer__push(c, st);
	return 0;
}

int writer__raw_via(const struct btf *btf, const char *path, struct writer_committer *c,
		    const struct diag *diag)
{
	struct writer_staged st;

	return writer_staged__finish(raw_stage(btf, path, &st, !c, diag), &st, c, diag);
}
