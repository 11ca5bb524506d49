// SPDX-License-Identifier: GPL-2.0-only
/*
 * io_fault: an LD_PRELOAD library for tests/e2e/writefail.sh. It counts the calls that
 * write to a regular file (write, pwrite, pwrite64, writev, copy_file_range, fsync, fdatasync,
 * ftruncate), rename and linkat, and makes the Nth fail with EIO (or the errno in
 * IO_FAULT_ERRNO), N from IO_FAULT_AT; IO_FAULT_AT=0 only counts. With IO_FAULT_SIGNAL=S the
 * Nth call instead raises signal S (e.g. 9, SIGKILL: the process ends in the middle of a
 * write, as it would when killed, or 6, SIGABRT, as libdw's abort). At exit it prints
 * "io-fault: K calls" on stderr. Writes to anything but a regular file (the terminal,
 * pipes: stdout, stderr) are neither counted nor failed. With IO_FAULT_NO_TMPFILE=1, open()
 * with O_TMPFILE fails with EOPNOTSUPP, as on a filesystem without it (not counted); with
 * IO_FAULT_NO_COPY_RANGE=1, copy_file_range() fails with ENOSYS, as on a kernel without it
 * (not counted), so that copies go through a buffer.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static unsigned long calls;

#define NEXT(name) ((__typeof__(&name))dlsym(RTLD_NEXT, #name))

static int is_regular(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
}

/*
 * Whether this call, to @what, is the one to fail (errno set then); or the signal raised,
 * "io-fault: signal S at WHAT" written first.
 */
static int fault(const char *what)
{
	const char *at = getenv("IO_FAULT_AT");
	const char *e = getenv("IO_FAULT_ERRNO");
	const char *sig = getenv("IO_FAULT_SIGNAL");
	/* Counted once per call whichever thread makes it (a batch writes on several). */
	unsigned long nth = __atomic_add_fetch(&calls, 1, __ATOMIC_RELAXED);

	if (!at || strtoul(at, NULL, 10) != nth)
		return 0;
	if (sig) {
		char line[96];
		int n = snprintf(line, sizeof(line), "io-fault: signal %d at %s\n", atoi(sig), what);

		if (n > 0)
			(void)!NEXT(write)(2, line, (size_t)n);
		raise(atoi(sig));
	}
	errno = e ? atoi(e) : EIO;
	return 1;
}

/* open() and open64(): O_TMPFILE refused under IO_FAULT_NO_TMPFILE. */
static int open_common(int (*next)(const char *, int, ...), const char *path, int flags,
		       va_list ap)
{
	mode_t mode = (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? va_arg(ap, mode_t) : 0;

	if ((flags & O_TMPFILE) == O_TMPFILE && getenv("IO_FAULT_NO_TMPFILE")) {
		errno = EOPNOTSUPP;
		return -1;
	}
	return next(path, flags, mode);
}

int open(const char *path, int flags, ...)
{
	va_list ap;
	int fd;

	va_start(ap, flags);
	fd = open_common(NEXT(open), path, flags, ap);
	va_end(ap);
	return fd;
}

int open64(const char *path, int flags, ...)
{
	va_list ap;
	int fd;

	va_start(ap, flags);
	fd = open_common(NEXT(open64), path, flags, ap);
	va_end(ap);
	return fd;
}

ssize_t write(int fd, const void *buf, size_t n)
{
	if (is_regular(fd) && fault("write"))
		return -1;
	return NEXT(write)(fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	if (is_regular(fd) && fault("pwrite"))
		return -1;
	return NEXT(pwrite)(fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off64_t off)
{
	if (is_regular(fd) && fault("pwrite64"))
		return -1;
	return NEXT(pwrite64)(fd, buf, n, off);
}

ssize_t writev(int fd, const struct iovec *iov, int cnt)
{
	if (is_regular(fd) && fault("writev"))
		return -1;
	return NEXT(writev)(fd, iov, cnt);
}

ssize_t copy_file_range(int in, off64_t *in_off, int out, off64_t *out_off, size_t n,
			unsigned int flags)
{
	if (getenv("IO_FAULT_NO_COPY_RANGE")) {
		errno = ENOSYS;
		return -1;
	}
	if (is_regular(out) && fault("copy_file_range"))
		return -1;
	return NEXT(copy_file_range)(in, in_off, out, out_off, n, flags);
}

int fsync(int fd)
{
	if (is_regular(fd) && fault("fsync"))
		return -1;
	return NEXT(fsync)(fd);
}

int fdatasync(int fd)
{
	if (is_regular(fd) && fault("fdatasync"))
		return -1;
	return NEXT(fdatasync)(fd);
}

int ftruncate(int fd, off_t len)
{
	if (is_regular(fd) && fault("ftruncate"))
		return -1;
	return NEXT(ftruncate)(fd, len);
}

int rename(const char *from, const char *to)
{
	if (fault("rename"))
		return -1;
	return NEXT(rename)(from, to);
}

int linkat(int olddirfd, const char *from, int newdirfd, const char *to, int flags)
{
	if (fault("linkat"))
		return -1;
	return NEXT(linkat)(olddirfd, from, newdirfd, to, flags);
}

__attribute__((destructor)) static void report(void)
{
	char line[64];
	int n = snprintf(line, sizeof(line), "io-fault: %lu calls\n", calls);

	if (n > 0)
		(void)!NEXT(write)(2, line, (size_t)n);
}
