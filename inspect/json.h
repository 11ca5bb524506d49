/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * json: a small streaming JSON writer for the inspection commands' --json.
 * Private to inspect/.
 *
 * Contract: the caller opens and closes objects and arrays in order; the
 * writer puts the commas, quotes and escapes. Inside an object every value
 * takes a key, inside an array @key must be NULL. Output is compact, one
 * document per json__end() and a final '\n'. Strings are written as UTF-8
 * bytes as stored, with '"', '\\' and bytes below 0x20 escaped, so a BTF name
 * that is not valid UTF-8 still gives the same bytes back. Errors of the
 * stream are left in the FILE (check ferror()). Nesting is limited to
 * JSON_MAX_DEPTH; deeper opens are ignored (a programming error).
 *
 * Thread-safety: a struct json belongs to one thread.
 */
#ifndef BTFENC_JSON_H
#define BTFENC_JSON_H

#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

struct json {
	FILE *out;
	int depth;
	int ignored;		/* opens past JSON_MAX_DEPTH not written, to match their ends */
	unsigned char has_items[JSON_MAX_DEPTH];	/* a value was written at this level */
	char closer[JSON_MAX_DEPTH];			/* '}' or ']' that ends this level */
};

/* Starts a document on @out. */
void json__init(struct json *j, FILE *out);
/* Opens an object or array, as the value of @key (NULL in an array or at the top). */
void json__begin_obj(struct json *j, const char *key);
void json__begin_arr(struct json *j, const char *key);
/* Closes the innermost object or array; closing the top level writes '\n'. */
void json__end(struct json *j);
void json__str(struct json *j, const char *key, const char *val);
void json__uint(struct json *j, const char *key, uint64_t val);
void json__int(struct json *j, const char *key, int64_t val);
void json__bool(struct json *j, const char *key, int val);
/* A string, or null when @val is NULL. */
void json__str_or_null(struct json *j, const char *key, const char *val);

#endif
