/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * file: opening a file that must be a regular one (a DWARF input, an ELF file -J
 * rewrites) without side effects on anything else.
 *
 * Why: open() on a FIFO waits for a writer (forever, if none comes) and wakes one that
 * is waiting; open() on a device may act on the device. Such a path is looked at with
 * stat() and not opened at all. A regular file is opened with O_NONBLOCK first, so that
 * a FIFO put in its place between the stat() and the open() cannot make it wait; only a
 * regular file under a lease answers that with EWOULDBLOCK, and is opened again the
 * usual way (waiting for the lease's holder, as any reader does).
 *
 * No state; safe from any thread. Nothing is printed: the caller words the error.
 */
#ifndef BTFENC_FILE_H
#define BTFENC_FILE_H

#include <sys/stat.h>

/*
 * Opens @path read-only (close-on-exec) if it is a regular file, and fills *@st with
 * what it is. Returns the descriptor, or -errno: stat()'s or open()'s error, or -EINVAL
 * when @path is not a regular file (*@st then says what it is: S_ISDIR(), ...).
 */
int file__open_regular(const char *path, struct stat *st);
/* The words for file__open_regular()'s error @err, *@st as it left it. */
const char *file__strerror(int err, const struct stat *st);

#endif
