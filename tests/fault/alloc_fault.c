// SPDX-License-Identifier: GPL-2.0-only
/* alloc_fault: the counters behind alloc_fault.h (test build only). */
#include <errno.h>

#include "alloc_fault.h"

/* This file calls the real ones (the build force-includes the header here too). */
#undef malloc
#undef calloc
#undef realloc
#undef strdup
#undef strndup
#undef asprintf
#undef pthread_create

/* The sanitizers' runtime, where the test build has one: the failing call's stack. */
void __sanitizer_print_stack_trace(void) __attribute__((weak));

static unsigned long fail_alloc, fail_thread;	/* set once, before main() */
static int trace;				/* BTFENC_FAULT_TRACE: print where */
static unsigned long nr_alloc, nr_thread;	/* atomics: any thread allocates */

static void report(void)
{
	fprintf(stderr, "btfenc-fault: %lu allocations, %lu threads\n",
		__atomic_load_n(&nr_alloc, __ATOMIC_RELAXED),
		__atomic_load_n(&nr_thread, __ATOMIC_RELAXED));
}

__attribute__((constructor)) static void fault_init(void)
{
	const char *a = getenv("BTFENC_FAULT_ALLOC"), *t = getenv("BTFENC_FAULT_THREAD");

	fail_alloc = a ? strtoul(a, NULL, 10) : 0;
	fail_thread = t ? strtoul(t, NULL, 10) : 0;
	trace = !!getenv("BTFENC_FAULT_TRACE");
	if (a || t)
		atexit(report);
}

/* Whether this allocation is the one to fail. */
static int alloc_fails(void)
{
	if (__atomic_add_fetch(&nr_alloc, 1, __ATOMIC_RELAXED) != fail_alloc)
		return 0;
	if (trace && __sanitizer_print_stack_trace)
		__sanitizer_print_stack_trace();
	return 1;
}

void *fault__malloc(size_t size)
{
	if (alloc_fails()) {
		errno = ENOMEM;
		return NULL;
	}
	return malloc(size);
}

void *fault__calloc(size_t n, size_t size)
{
	if (alloc_fails()) {
		errno = ENOMEM;
		return NULL;
	}
	return calloc(n, size);
}

void *fault__realloc(void *p, size_t size)
{
	if (alloc_fails()) {
		errno = ENOMEM;
		return NULL;
	}
	return realloc(p, size);
}

char *fault__strdup(const char *s)
{
	if (alloc_fails()) {
		errno = ENOMEM;
		return NULL;
	}
	return strdup(s);
}

char *fault__strndup(const char *s, size_t n)
{
	if (alloc_fails()) {
		errno = ENOMEM;
		return NULL;
	}
	return strndup(s, n);
}

int fault__asprintf(char **out, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (alloc_fails()) {
		errno = ENOMEM;
		return -1;
	}
	va_start(ap, fmt);
	n = vasprintf(out, fmt, ap);
	va_end(ap);
	return n;
}

int fault__pthread_create(pthread_t *t, const pthread_attr_t *attr, void *(*fn)(void *),
			  void *arg)
{
	if (__atomic_add_fetch(&nr_thread, 1, __ATOMIC_RELAXED) == fail_thread) {
		if (trace && __sanitizer_print_stack_trace)
			__sanitizer_print_stack_trace();
		return EAGAIN;
	}
	return pthread_create(t, attr, fn, arg);
}
