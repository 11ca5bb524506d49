// SPDX-License-Identifier: GPL-2.0-only
/*
 * dedup_bridge: runs the dedup module (btf_dedup/dedup.h) on libbpf BTF objects, for the
 * encoder: a chunk's BTF, the merged BTF (standalone, or split on the base).
 *
 * The dedup module works on native-order blobs; a BTF object that writes the
 * other byte order is read with the host's and given its own order back.
 * libbpf 1.1.2 exports no btf__new_split(), so a split result becomes a BTF
 * object through btf__parse_raw_split() on a memory file (a temporary file
 * where memfd or /proc is missing).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <bpf/btf.h>

#include "dedup_bridge.h"
#include "encoder.h"
#include "btf_dedup/dedup.h"

static enum btf_endianness host_endian(void)
{
	const uint16_t one = 1;

	return *(const uint8_t *)&one ? BTF_LITTLE_ENDIAN : BTF_BIG_ENDIAN;
}

unsigned int dedup_bridge__rules(int compat_124)
{
	return compat_124 ? 0 : DEDUP_RULES_F7081A6B;
}

const void *dedup_bridge__native_raw(struct btf *btf, uint32_t *size)
{
	enum btf_endianness e = btf__endianness(btf);
	const void *raw;

	btf__set_endianness(btf, host_endian());
	raw = btf__raw_data(btf, size);
	btf__set_endianness(btf, e);
	return raw;
}

/*
 * The index reads @base's bytes where libbpf keeps them, without a copy
 * (5 MB for vmlinux). libbpf frees that buffer if @base is ever modified
 * (btf__add_*, or btf__find_str() from libbpf's own dedup), so every use
 * checks first that the bytes are still the ones indexed (index_current()).
 */
struct dedup_base *dedup_bridge__index_base(struct btf *base, int threads, unsigned int rules)
{
	uint32_t size;
	const void *raw = dedup_bridge__native_raw(base, &size);
	struct dedup_base *b;

	if (!raw)
		return NULL;
	b = dedup_base__new_mt(raw, size, threads, rules);
	if (b)
		dedup_base__set_tag(b, base);	/* lent by libbpf's object @base */
	return b;
}

struct dedup_base *dedup_bridge__index_base_raw(const void *raw, size_t size, int threads,
					       unsigned int rules)
{
	return dedup_base__new_mt(raw, size, threads, rules);
}

int dedup_bridge__rebind_index(struct dedup_base *index, struct btf *base)
{
	uint32_t size;
	const void *raw = dedup_bridge__native_raw(base, &size);
	int err = raw ? dedup_base__rebind(index, raw, size) : -EINVAL;

	if (!err)
		dedup_base__set_tag(index, base);	/* lent by libbpf's object @base */
	return err;
}

/*
 * An index of bytes libbpf lent is stale once libbpf has let them go: then
 * its string section is elsewhere. Asked without writing to @base (batch
 * workers share it; btf__raw_data() and btf__set_endianness() write).
 */
static int index_current(struct dedup_base *index, struct btf *base)
{
	return dedup_base__tag(index) != base ||
	       dedup_base__strs(index) == btf__str_by_offset(base, 0);
}

void dedup_bridge__free_index(struct dedup_base *index)
{
	dedup_base__free(index);
}

static int write_all(int fd, const void *buf, size_t size)
{
	const char *p = buf;

	while (size) {
		ssize_t n = write(fd, p, size);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -errno ? -errno : -EIO;
		p += n;
		size -= n;
	}
	return 0;
}

static struct btf *parse_split_via(int fd, const char *path, const void *raw, size_t size,
				   struct btf *base)
{
	struct btf *btf = NULL;
	int err = write_all(fd, raw, size);

	if (!err)
		btf = btf__parse_raw_split(path, base);
	else
		errno = -err;
	return btf;
}

static struct btf *split_from_raw(const void *raw, size_t size, struct btf *base)
{
	char path[64];
	struct btf *btf = NULL;
	int fd = memfd_create("btfenc-split", MFD_CLOEXEC);

	if (fd >= 0) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		if (access(path, R_OK) == 0)
			btf = parse_split_via(fd, path, raw, size, base);
		close(fd);
		if (btf)
			return btf;
	}
	{
		const char *dir = getenv("TMPDIR");
		char tmp[4096];
		int e;

		snprintf(tmp, sizeof(tmp), "%s/btfenc-split.XXXXXX", dir && *dir ? dir : "/tmp");
		fd = mkstemp(tmp);
		if (fd < 0)
			return NULL;
		btf = parse_split_via(fd, tmp, raw, size, base);
		e = errno;
		unlink(tmp);
		close(fd);
		errno = e;
	}
	return btf;
}

static int dedup_failed(const struct diag *diag, const char *path,
			const struct dedup_report *report, int err)
{
	if (report->type_id)
		diag__err(diag, "%s: deduplicating: type ID %u (before dedup): %s", path,
			  report->type_id, report->what);
	else
		diag__err(diag, "%s: deduplicating: %s", path, report->what);
	return err;
}

/* The index to run against @base: @dbase if still current, else *@own built here. */
static struct dedup_base *run_index(struct btf *base, struct dedup_base *dbase,
				    unsigned int rules, struct dedup_base **own,
				    const struct diag *diag, const char *path, int *err)
{
	*own = NULL;
	*err = 0;
	if (!base)
		return NULL;
	if (dbase && index_current(dbase, base))
		return dbase;
	/* None given, or libbpf has rewritten the base since: index it anew. */
	*own = dedup_bridge__index_base(base, 1, rules);
	if (!*own) {
		*err = errno ? -errno : -EINVAL;
		diag__err(diag, "%s: indexing the base BTF: %s", path, strerror(-*err));
	}
	return *own;
}

/* The deduplicated blob @out as a libbpf BTF, split on @base if given; @out is freed. */
static int read_back(void *out, size_t out_size, struct btf *base, struct btf **res,
		     const struct diag *diag, const char *path)
{
	int err;

	*res = base ? split_from_raw(out, out_size, base) : btf__new(out, (uint32_t)out_size);
	err = *res ? 0 : (errno ? -errno : -EINVAL);
	free(out);
	if (err)
		diag__err(diag, "%s: reading back the deduplicated BTF: %s", path, strerror(-err));
	return err;
}

int dedup_bridge__btf(struct btf **btf, struct btf *base, struct dedup_base *dbase,
		      unsigned int rules, const struct diag *diag, const char *path)
{
	struct dedup_opts opts = { .rules = rules };
	struct dedup_report report = { 0 };
	enum btf_endianness e = btf__endianness(*btf);
	struct dedup_base *own;
	struct btf *res;
	const void *raw;
	uint32_t size;
	size_t out_size;
	void *out, *copy;
	int err;

	dbase = run_index(base, dbase, rules, &own, diag, path, &err);
	if (err)
		return err;
	raw = dedup_bridge__native_raw(*btf, &size);
	copy = raw ? malloc(size) : NULL;
	if (!copy) {
		dedup_base__free(own);
		diag__err(diag, "%s: deduplicating: out of memory", path);
		return -ENOMEM;
	}
	/* libbpf's object goes before the dedup: one copy of the input at a time. */
	memcpy(copy, raw, size);
	btf__free(*btf);
	*btf = NULL;
	err = dedup__run_inplace(dbase, copy, size, &opts, &out, &out_size, &report);
	free(copy);
	dedup_base__free(own);
	if (err)
		return dedup_failed(diag, path, &report, err);
	err = read_back(out, out_size, base, &res, diag, path);
	if (err)
		return err;
	btf__set_endianness(res, e);
	*btf = res;
	return 0;
}

int dedup_bridge__rawbtf(struct rawbtf *rb, struct btf *base, struct dedup_base *dbase,
			 unsigned int rules, struct btf **out, const struct diag *diag,
			 const char *path)
{
	struct dedup_opts opts = { .rules = rules };
	struct dedup_report report = { 0 };
	struct dedup_base *own;
	size_t size, out_size;
	uint32_t *offs;
	void *blob, *res;
	int err;

	*out = NULL;
	dbase = run_index(base, dbase, rules, &own, diag, path, &err);
	if (err) {
		rawbtf__free(rb);
		return err;
	}
	/* Records indexed for the rules after the last chunk: the dedup need not walk them. */
	offs = rawbtf__take_offsets(rb, &opts.nr);
	opts.offs = offs;
	/* The builder becomes the dedup's input: one copy of it at a time. */
	blob = rawbtf__take_blob(rb, &size);
	if (!blob) {
		free(offs);
		dedup_base__free(own);
		diag__err(diag, "%s: deduplicating: out of memory", path);
		return -ENOMEM;
	}
	err = dedup__run_inplace(dbase, blob, size, &opts, &res, &out_size, &report);
	free(offs);
	free(blob);
	dedup_base__free(own);
	if (err)
		return dedup_failed(diag, path, &report, err);
	return read_back(res, out_size, base, out, diag, path);
}
