/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * alloc_fault: allocation and thread-creation failure injected into btfenc's
 * own code, for the test build only. The sanitizer build (make check-san)
 * force-includes this header into every file (-include), so that btfenc's
 * calls to malloc(), calloc(), realloc(), strdup(), strndup(), asprintf() and
 * pthread_create() go through the counters of alloc_fault.c; libbpf, libdw,
 * libelf and libc allocate as they always do. The product build has neither.
 *
 * From the environment, read once at start:
 *   BTFENC_FAULT_ALLOC=N   the Nth allocation (from 1, over all threads) fails
 *                          with ENOMEM; 0 fails none
 *   BTFENC_FAULT_THREAD=N  the Nth pthread_create() fails with EAGAIN
 *   BTFENC_FAULT_TRACE=1   the failing call's stack printed (sanitizer builds)
 * With either set, the counts are printed at exit to stderr as
 * "btfenc-fault: A allocations, T threads", so a test learns how far to go.
 */
#ifndef BTFENC_ALLOC_FAULT_H
#define BTFENC_ALLOC_FAULT_H

#include <malloc.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *fault__malloc(size_t size);
void *fault__calloc(size_t n, size_t size);
void *fault__realloc(void *p, size_t size);
char *fault__strdup(const char *s);
char *fault__strndup(const char *s, size_t n);
int fault__asprintf(char **out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int fault__pthread_create(pthread_t *t, const pthread_attr_t *attr, void *(*fn)(void *),
			  void *arg);

#undef strdup
#undef strndup
#define malloc(size)		fault__malloc(size)
#define calloc(n, size)		fault__calloc(n, size)
#define realloc(p, size)	fault__realloc(p, size)
#define strdup(s)		fault__strdup(s)
#define strndup(s, n)		fault__strndup(s, n)
#define asprintf(...)		fault__asprintf(__VA_ARGS__)
#define pthread_create(...)	fault__pthread_create(__VA_ARGS__)

#endif
