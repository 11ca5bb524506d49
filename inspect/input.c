// SPDX-License-Identifier: GPL-2.0-only
/* Naming and reading a BTF file with its base chain (contract in input.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/btf.h>

#include "btf_reader/reader.h"
#include "inspect/input.h"
#include "util/diag.h"
#include "util/vec.h"

static int push_path(char ***arr, size_t *n, const char *path, size_t len)
{
	size_t cap = *n;
	char *copy = strndup(path, len);

	if (!copy || vec__push_slot(arr, &cap, *n)) {
		free(copy);
		return -ENOMEM;
	}
	(*arr)[(*n)++] = copy;
	return 0;
}

int input__add_bases(struct input_bases *b, const char *list, const struct diag *d)
{
	const char *p = list, *comma;
	int err;

	for (;;) {
		comma = strchr(p, ',');
		if (comma == p || !*p) {
			diag__err(d, "empty path in base list '%s'", list);
			return -EINVAL;
		}
		err = push_path(&b->paths, &b->n, p, comma ? (size_t)(comma - p) : strlen(p));
		if (err || !comma)
			return err;
		p = comma + 1;
	}
}

void input__free_bases(struct input_bases *b)
{
	size_t i;

	if (!b)
		return;
	for (i = 0; i < b->n; i++)
		free(b->paths[i]);
	free(b->paths);
	b->paths = NULL;
	b->n = 0;
}

int input__auto_base(const char *file, const char *sysfs_dir, char *buf, size_t len)
{
	char file_real[PATH_MAX], dir_real[PATH_MAX];
	const char *slash;
	size_t dir_len;

	if (!realpath(file, file_real) || !realpath(sysfs_dir, dir_real))
		return 0;
	slash = strrchr(file_real, '/');
	dir_len = strlen(dir_real);
	if (!slash || (size_t)(slash - file_real) != dir_len ||
	    strncmp(file_real, dir_real, dir_len) || !strcmp(slash + 1, "vmlinux"))
		return 0;
	if (snprintf(buf, len, "%s/vmlinux", sysfs_dir) >= (int)len)
		return 0;
	return access(buf, R_OK) == 0;
}

/* A file starting with BTF's magic, read whole and unchecked. Returns 1 if it is one. */
static int read_raw_whole(const char *path, const struct diag *d, void **data, size_t *size)
{
	uint8_t *bytes = NULL;
	size_t len = 0, cap = 0;
	uint16_t magic;
	ssize_t got;
	int fd, err = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;	/* reader__read_file() reports it */
	/* Look at the magic first: an ELF (maybe hundreds of MB) is not read here. */
	if (pread(fd, &magic, sizeof(magic), 0) != sizeof(magic) ||
	    (magic != BTF_MAGIC && magic != __builtin_bswap16(BTF_MAGIC))) {
		close(fd);
		return 0;
	}
	for (;;) {
		if (vec__reserve((void **)&bytes, &cap, len + (1 << 16), 1)) {
			err = -ENOMEM;
			break;
		}
		got = read(fd, bytes + len, cap - len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			err = -errno;
			diag__err(d, "%s: %s", path, strerror(errno));
			break;
		}
		if (!got)
			break;
		len += (size_t)got;
	}
	close(fd);
	if (err) {
		free(bytes);
		return err;
	}
	*data = bytes;
	*size = len;
	return 1;
}

static int read_layer(const char *path, int raw_whole, const struct diag *d, void **data,
		      size_t *size, void **dist, size_t *dist_size)
{
	int err = raw_whole ? read_raw_whole(path, d, data, size) : 0;

	*dist = NULL;
	if (err)
		return err < 0 ? err : 0;
	return reader__read_file_base(path, d, data, size, dist, dist_size);
}

/* Makes room for one more layer in @l's arrays, at index @at. */
static int insert_layer(struct input_layers *l, size_t at)
{
	void **blobs = realloc(l->blobs, (l->n + 1) * sizeof(*blobs));
	size_t *sizes;
	char **names;

	if (blobs)
		l->blobs = blobs;
	sizes = blobs ? realloc(l->sizes, (l->n + 1) * sizeof(*sizes)) : NULL;
	if (sizes)
		l->sizes = sizes;
	names = sizes ? realloc(l->names, (l->n + 1) * sizeof(*names)) : NULL;
	if (!names)
		return -ENOMEM;
	l->names = names;
	memmove(l->blobs + at + 1, l->blobs + at, (l->n - at) * sizeof(*blobs));
	memmove(l->sizes + at + 1, l->sizes + at, (l->n - at) * sizeof(*sizes));
	memmove(l->names + at + 1, l->names + at, (l->n - at) * sizeof(*names));
	l->n++;
	return 0;
}

/*
 * A module file with a distilled base (.BTF.base, given in @dist): above
 * the root, relocated onto the layers below it as the kernel does at load;
 * as the root, read split on its .BTF.base, which becomes the layer below
 * it. @dist is taken (freed).
 */
static int settle_dist_base(struct input_layers *l, size_t i, void *dist, size_t dist_size,
			    const struct diag *d)
{
	struct btf_chain *lower = NULL;
	size_t size;
	void *moved;
	char *name;
	int err;

	if (!i) {
		if (asprintf(&name, "%s (.BTF.base)", l->names[0]) < 0 || insert_layer(l, 0)) {
			free(dist);
			return -ENOMEM;
		}
		l->blobs[0] = dist;
		l->sizes[0] = dist_size;
		l->names[0] = name;
		return 0;
	}
	err = chain__load_mem((const void *const *)l->blobs, l->sizes,
			      (const char *const *)l->names, i, d, &lower);
	if (!err)
		err = reader__relocate(lower, dist, dist_size, l->blobs[i], l->sizes[i],
				       l->names[i], d, &moved, &size);
	if (!err) {
		free(l->blobs[i]);
		l->blobs[i] = moved;
		l->sizes[i] = size;
	}
	chain__free(lower);
	free(dist);
	return err;
}

int input__read(const struct input_bases *b, const char *file, int raw_whole,
		const struct diag *d, struct input_layers *out)
{
	struct input_layers l = { 0 };
	char auto_base[PATH_MAX];
	size_t i, n = b->n + 1, dist_size;
	int err = -ENOMEM;
	void *dist;

	if (!b->n && input__auto_base(file, INPUT_SYSFS_DIR, auto_base, sizeof(auto_base)))
		n = 2;
	l.blobs = calloc(n, sizeof(*l.blobs));
	l.sizes = calloc(n, sizeof(*l.sizes));
	l.names = calloc(n, sizeof(*l.names));
	if (!l.blobs || !l.sizes || !l.names)
		goto out;
	for (i = 0; i < n; i++) {
		const char *path = i + 1 == n ? file : b->n ? b->paths[i] : auto_base;
		size_t at = l.n;	/* past i when a root brought its distilled base */

		l.names[at] = strdup(path);
		if (!l.names[at]) {
			err = -ENOMEM;
			goto out;
		}
		l.n = at + 1;
		err = read_layer(path, raw_whole, d, &l.blobs[at], &l.sizes[at], &dist, &dist_size);
		if (!err && dist)
			err = settle_dist_base(&l, at, dist, dist_size, d);
		if (err)
			goto out;
	}
	err = 0;
out:
	if (err)
		input__free_layers(&l);
	else
		*out = l;
	return err;
}

void input__free_layers(struct input_layers *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->n; i++) {
		free(l->blobs[i]);
		free(l->names[i]);
	}
	free(l->blobs);
	free(l->sizes);
	free(l->names);
	memset(l, 0, sizeof(*l));
}

int input__load(const struct input_bases *b, const char *file, const struct diag *d,
		struct btf_chain **out)
{
	struct input_layers l;
	int err = input__read(b, file, 0, d, &l);

	if (err)
		return err;
	err = chain__load_mem((const void *const *)l.blobs, l.sizes,
			      (const char *const *)l.names, l.n, d, out);
	if (!err && (err = chain__check_ancestry(*out, d))) {
		chain__free(*out);
		*out = NULL;
	}
	input__free_layers(&l);
	return err;
}
