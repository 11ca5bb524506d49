// SPDX-License-Identifier: GPL-2.0-only
/* base_load: the base chain read, checked and indexed, here or beside the encoding. */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <time.h>
#include <bpf/btf.h>

#include "base_load.h"
#include "dedup_bridge.h"
#include "btf_reader/reader.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The base indexed and parsed from the bytes as read, beside their check (load()). */
struct index_job {
	const struct chain_files *files;
	const void *raw;
	size_t size;
	int threads;
	unsigned int rules;
	struct dedup_base *index;
	struct btf *parsed;
	int err;
};

static void *index_job_main(void *arg)
{
	struct index_job *j = arg;

	j->index = dedup_bridge__index_base_raw(j->raw, j->size, j->threads, j->rules);
	j->err = j->index ? 0 : -errno;
	if (j->index)
		j->parsed = chain_files__parse_flat(j->files);
	return NULL;
}

static int load(struct base_load *b)
{
	struct index_job ij = { .threads = b->jobs, .rules = b->rules };
	const struct diag *d = b->diag;
	struct chain_files *files;
	double t0 = now(), t1;
	pthread_t tid;
	int err, early = 0;

	b->base_index = NULL;
	err = chain__read(b->paths, b->npaths, d, &files);
	if (err)
		return err;
	/*
	 * With threads to spare, a base that is one layer as the flat BTF is laid
	 * out (vmlinux) is indexed from the bytes as read while they are checked.
	 */
	ij.files = files;
	ij.raw = b->index && b->jobs > 1 ? chain_files__flat_bytes(files, &ij.size) : NULL;
	if (ij.raw && !pthread_create(&tid, NULL, index_job_main, &ij))
		early = 1;
	/* Read record by record, never walked: the structure is what matters. */
	err = chain__check_files(files, CHECK_STRUCTURE, d);
	if (early)
		pthread_join(tid, NULL);
	if (!err) {
		err = chain__from_files(files, CHECK_STRUCTURE, ij.parsed, d, &b->chain);
	} else {
		btf__free(ij.parsed);
		chain_files__free(files);
	}
	t1 = now();
	b->t_read = t1 - t0;
	if (early) {
		if (err)
			dedup_bridge__free_index(ij.index);
		if (err)
			return err;
		b->base_index = ij.index;
		err = ij.err;
	} else if (err) {
		return err;
	} else if (b->index) {
		/* Indexed once for every input (a module batch). */
		b->base_index = dedup_bridge__index_base(b->chain->flat, b->jobs, b->rules);
		err = b->base_index ? 0 : -errno;
	}
	if (err) {
		diag__err(d, "%s: indexing the base BTF: %s", b->paths[b->npaths - 1],
			  strerror(-err));
		chain__free(b->chain);
		b->chain = NULL;
		return err;
	}
	/*
	 * The bytes as read (a raw file mapped, or a vmlinux .BTF: 4.4 MB for
	 * Debian's) go once nothing borrows them: libbpf's parse is a copy, and an
	 * index made from them beside the check moves onto that copy.
	 */
	if (!early || !dedup_bridge__rebind_index(b->base_index, b->chain->flat))
		chain__drop_files(b->chain);
	b->t_index = now() - t1;
	return 0;
}

int base_load__run(struct base_load *b)
{
	b->err = load(b);
	return b->err;
}

static void *base_load_main(void *arg)
{
	base_load__run(arg);
	return NULL;
}

int base_load__start(struct base_load *b)
{
	int err = -pthread_create(&b->tid, NULL, base_load_main, b);

	b->started = !err;
	return err;
}

int base_load__join(struct base_load *b)
{
	if (b->started && !b->joined) {
		pthread_join(b->tid, NULL);
		b->joined = 1;
	}
	return b->err;
}

int base_load__wait(void *ctx, struct btf **base, struct dedup_base **index)
{
	struct base_load *b = ctx;
	int err = base_load__join(b);

	if (err)
		return err;
	*base = b->chain->flat;
	*index = b->base_index;
	return 0;
}
