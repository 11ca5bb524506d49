/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * diag: the diagnostics sink every module writes its messages to.
 *
 * Contract: a module that detects an error writes one line with its context
 * (file, DIE offset, type ID) through diag__msg() and returns a negative errno.
 * The sink decides where lines go: by default stderr, prefixed with the program
 * name; tests install their own emitter to capture and assert on messages.
 *
 * Thread-safety: diag__msg() may be called from several threads at once; each
 * call formats its line privately and hands it to the emitter in one call, so
 * lines never interleave. The emitter must be thread-safe itself (the default
 * one does one fputs() per line).
 */
#ifndef BTFENC_DIAG_H
#define BTFENC_DIAG_H

#include <stdarg.h>

enum diag_level {
	DIAG_ERROR,	/* the operation fails */
	DIAG_WARN,	/* the operation goes on, the user should know */
	DIAG_INFO,	/* printed with -V */
	DIAG_DEBUG,	/* printed with -V -V */
};

struct diag {
	/* Receives one formatted line without trailing newline; NULL: stderr. */
	void (*emit)(void *ctx, enum diag_level level, const char *line);
	void *ctx;
	/* Lines above this level are dropped (DIAG_WARN by default). */
	enum diag_level max_level;
	/* Prefix of default-emitted lines, e.g. "btfenc". NULL: none. */
	const char *prog;
	/*
	 * If not NULL, counts the DIAG_ERROR lines emitted (atomically): a command
	 * whose operation failed without one says so itself (diag__errors()).
	 */
	unsigned long *errors;
};

/* The DIAG_ERROR lines @d has emitted, if it counts them (else 0). */
static inline unsigned long diag__errors(const struct diag *d)
{
	return d && d->errors ? __atomic_load_n(d->errors, __ATOMIC_RELAXED) : 0;
}

/* Formats a line and hands it to the sink. A NULL @d writes to stderr. */
void diag__msg(const struct diag *d, enum diag_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag__vmsg(const struct diag *d, enum diag_level level, const char *fmt, va_list ap);

/*
 * An emitter that drops every line: a struct diag { .emit = diag__drop } for a check run
 * quietly, whose outcome the caller reports itself (or not at all).
 */
void diag__drop(void *ctx, enum diag_level level, const char *line);

/* Whether a line of @level would be emitted (to skip costly formatting). */
int diag__enabled(const struct diag *d, enum diag_level level);

#define diag__err(d, ...) diag__msg((d), DIAG_ERROR, __VA_ARGS__)
#define diag__warn(d, ...) diag__msg((d), DIAG_WARN, __VA_ARGS__)
#define diag__info(d, ...) diag__msg((d), DIAG_INFO, __VA_ARGS__)
#define diag__debug(d, ...) diag__msg((d), DIAG_DEBUG, __VA_ARGS__)

#endif
