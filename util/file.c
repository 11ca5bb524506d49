// SPDX-License-Identifier: GPL-2.0-only
/* file: see file.h. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "file.h"

int file__open_regular(const char *path, struct stat *st)
{
	int fd, flags, err;

	if (stat(path, st)) {
		err = -errno;
		memset(st, 0, sizeof(*st));
		return err;
	}
	if (!S_ISREG(st->st_mode))
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0 && errno == EWOULDBLOCK)
		fd = open(path, O_RDONLY | O_CLOEXEC);	/* a lease being broken */
	if (fd < 0)
		return -errno;
	/* Replaced between the two looks: say what it is now. */
	if (fstat(fd, st) || !S_ISREG(st->st_mode)) {
		err = S_ISREG(st->st_mode) ? -errno : -EINVAL;
		close(fd);
		return err;
	}
	/* Blocking reads, as a plain open() gives them (nothing here relies on either). */
	flags = fcntl(fd, F_GETFL);
	if (flags >= 0 && (flags & O_NONBLOCK))
		(void)fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
	return fd;
}

int file__not_regular(int err, const struct stat *st)
{
	return err == -EINVAL && st->st_mode && !S_ISREG(st->st_mode);
}

const char *file__strerror(int err, const struct stat *st)
{
	if (!file__not_regular(err, st))
		return strerror(-err);
	return S_ISDIR(st->st_mode) ? "is a directory" : "not a regular file";
}
