// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

int diag__enabled(const struct diag *d, enum diag_level level)
{
	enum diag_level max = d ? d->max_level : DIAG_WARN;

	return level <= max;
}

void diag__vmsg(const struct diag *d, enum diag_level level, const char *fmt, va_list ap)
{
	char line[1024];
	int n;

	if (!diag__enabled(d, level))
		return;
	if (level == DIAG_ERROR && d && d->errors)
		__atomic_add_fetch(d->errors, 1, __ATOMIC_RELAXED);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	/* One line per message: strip a trailing newline the caller may have added. */
	if (n > 0 && (size_t)n < sizeof(line) && line[n - 1] == '\n')
		line[n - 1] = '\0';
	if (d && d->emit) {
		d->emit(d->ctx, level, line);
		return;
	}
	{
		char out[1100];
		const char *prog = d && d->prog ? d->prog : "btfenc";
		const char *tag = level == DIAG_WARN ? "warning: " : "";

		snprintf(out, sizeof(out), "%s: %s%s\n", prog, tag, line);
		fputs(out, stderr);
	}
}

void diag__msg(const struct diag *d, enum diag_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag__vmsg(d, level, fmt, ap);
	va_end(ap);
}

void diag__drop(void *ctx, enum diag_level level, const char *line)
{
	(void)ctx;
	(void)level;
	(void)line;
}
