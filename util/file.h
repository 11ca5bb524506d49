/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * file: opening a file that must be a regular one (a DWARF input, an ELF file -J
 * rewrites) without side effects on anything else.
 *
 * Why: open() on a FIFO waits for a writer (forever, if none comes) and wakes one that
 * is waiting; open() on a device may act on the device. Such a path is looked at with
 * stat() and not opened at all. A regular file is opened with O_NONBLOCK first, so that
 * a FIFO put in its place between the stat() and that open() does not make it wait.
 * Only a regular file under a lease (Samba, NFS) answers EWOULDBLOCK; it is opened
 * again the usual way, waiting for the lease's holder as any reader does (a FIFO
 * swapped in during that window is the one case left that could wait).
 *
 * No state; safe from any thread. Nothing is printed: the caller words the error with
 * file__strerror().
 */
#ifndef BTFENC_FILE_H
#define BTFENC_FILE_H

#include <sys/stat.h>

/*
 * Opens @path read-only (close-on-exec, blocking reads) if it is a regular file.
 * Returns the descriptor, with *@st filled by fstat(); or -errno: the error of stat(),
 * open() or fstat() (*@st is then all zero after a failed stat()), or -EINVAL with *@st
 * saying what @path is when it is not a regular file (S_ISDIR(), S_ISFIFO(), ...).
 */
int file__open_regular(const char *path, struct stat *st);
/*
 * The words for file__open_regular()'s error @err, *@st as it left it: "is a
 * directory", "not a regular file", or strerror() (an EINVAL of the system's own too).
 */
const char *file__strerror(int err, const struct stat *st);
/* Whether file__open_regular()'s error @err means "not a regular file" (*@st: see there). */
int file__not_regular(int err, const struct stat *st);

#endif
