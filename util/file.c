// SPDX-License-Identifier: GPL-2.0-only
/* file: see file.h. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "file.h"

int file__open_regular(const char *path, struct stat *st)
{
	int fd, flags;

	if (stat(path, st))
		return -errno;
	if (!S_ISREG(st->st_mode))
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0 && (errno == EWOULDBLOCK || errno == EAGAIN))
		fd = open(path, O_RDONLY | O_CLOEXEC);	/* a lease being broken */
	if (fd < 0)
		return -errno;
	/* Replaced between the two looks: say what it is now. */
	if (fstat(fd, st) || !S_ISREG(st->st_mode)) {
		int err = S_ISREG(st->st_mode) ? -errno : -EINVAL;

		close(fd);
		return err;
	}
	/* Back to blocking reads, as a plain open() gives (none is made today). */
	flags = fcntl(fd, F_GETFL);
	if (flags >= 0 && (flags & O_NONBLOCK))
		(void)fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
	return fd;
}

const char *file__strerror(int err, const struct stat *st)
{
	if (err != -EINVAL)
		return strerror(-err);
	return S_ISDIR(st->st_mode) ? "is a directory" : "not a regular file";
}
