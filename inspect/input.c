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
		      size_t *size)
{
	int err = raw_whole ? read_raw_whole(path, d, data, size) : 0;

	if (err)
		return err < 0 ? err : 0;
	return reader__read_file(path, d, data, size);
}

int input__read(const struct input_bases *b, const char *file, int raw_whole,
		const struct diag *d, struct input_layers *out)
{
	struct input_layers l = { 0 };
	char auto_base[PATH_MAX];
	size_t i, n = b->n + 1;
	int err = -ENOMEM;

	if (!b->n && input__auto_base(file, INPUT_SYSFS_DIR, auto_base, sizeof(auto_base)))
		n = 2;
	l.blobs = calloc(n, sizeof(*l.blobs));
	l.sizes = calloc(n, sizeof(*l.sizes));
	l.names = calloc(n, sizeof(*l.names));
	if (!l.blobs || !l.sizes || !l.names)
		goto out;
	for (i = 0; i < n; i++) {
		const char *path = i + 1 == n ? file : b->n ? b->paths[i] : auto_base;

		l.names[i] = strdup(path);
		if (!l.names[i]) {
			err = -ENOMEM;
			goto out;
		}
		l.n = i + 1;
		err = read_layer(path, raw_whole, d, &l.blobs[i], &l.sizes[i]);
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
