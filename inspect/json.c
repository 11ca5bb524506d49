// SPDX-License-Identifier: GPL-2.0-only
/* The streaming JSON writer (contract in json.h). */
#include <inttypes.h>

#include "inspect/json.h"

void json__init(struct json *j, FILE *out)
{
	j->out = out;
	j->depth = 0;
	j->ignored = 0;
	j->has_items[0] = 0;
}

static void put_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	for (; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

/* The comma and key before a value at the current level. */
static void put_key(struct json *j, const char *key)
{
	if (j->has_items[j->depth])
		fputc(',', j->out);
	j->has_items[j->depth] = 1;
	if (key) {
		put_string(j->out, key);
		fputc(':', j->out);
	}
}

static void begin(struct json *j, const char *key, char open, char close)
{
	if (j->ignored || j->depth + 1 >= JSON_MAX_DEPTH) {
		j->ignored++;
		return;
	}
	put_key(j, key);
	fputc(open, j->out);
	j->has_items[++j->depth] = 0;
	j->closer[j->depth] = close;
}

void json__begin_obj(struct json *j, const char *key)
{
	begin(j, key, '{', '}');
}

void json__begin_arr(struct json *j, const char *key)
{
	begin(j, key, '[', ']');
}

void json__end(struct json *j)
{
	if (j->ignored) {
		j->ignored--;
		return;
	}
	if (!j->depth)
		return;
	fputc(j->closer[j->depth--], j->out);
	if (!j->depth) {
		fputc('\n', j->out);
		j->has_items[0] = 0;
	}
}

void json__str(struct json *j, const char *key, const char *val)
{
	put_key(j, key);
	put_string(j->out, val ? val : "");
}

void json__uint(struct json *j, const char *key, uint64_t val)
{
	put_key(j, key);
	fprintf(j->out, "%" PRIu64, val);
}

void json__int(struct json *j, const char *key, int64_t val)
{
	put_key(j, key);
	fprintf(j->out, "%" PRId64, val);
}

void json__bool(struct json *j, const char *key, int val)
{
	put_key(j, key);
	fputs(val ? "true" : "false", j->out);
}

void json__str_or_null(struct json *j, const char *key, const char *val)
{
	if (val) {
		json__str(j, key, val);
		return;
	}
	put_key(j, key);
	fputs("null", j->out);
}
