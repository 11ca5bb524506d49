// SPDX-License-Identifier: GPL-2.0-only
/* encode_cmd: options -> encoder_config, base chain, one encode per input, write. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <zlib.h>
#include <string.h>
#include <time.h>
#include <bpf/btf.h>

#include "commands.h"
#include "btf_encoder/encoder.h"
#include "btf_encoder/layers.h"
#include "btf_encoder/writer.h"
#include "btf_reader/reader.h"

/*
 * A feature this build cannot honour: an error when named, a warning when it
 * came in through "default" (the set pahole 1.31 has): never dropped silently.
 */
static int check_features(const struct btfenc_opts *o, const struct diag *diag)
{
	int f, err = 0;

	for (f = 0; f < FEAT__MAX; f++) {
		if (!o->features[f] || options__feature_supported(f))
			continue;
		if (o->features_named[f]) {
			diag__err(diag, "BTF feature '%s' was requested but is not supported by "
				  "this build", options__feature_name(f));
			err = -ENOTSUP;
		} else {
			diag__warn(diag, "BTF feature '%s' (in the default set) is not supported by "
				   "this build and not applied", options__feature_name(f));
		}
	}
	return err;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Variables left out, by reason, and the coverage of the data symbols. */
static void print_var_stats(const char *path, const struct encoder_stats *st)
{
	int r, first = 1;

	fprintf(stderr, "%s: global vars: %zu symbols, %zu with VAR, %zu missing\n", path,
		st->data_syms, st->data_syms - st->data_syms_missing, st->data_syms_missing);
	fprintf(stderr, "%s: variables skipped:", path);
	for (r = 0; r < VSKIP__MAX; r++) {
		if (!st->var_skips[r])
			continue;
		fprintf(stderr, "%s %s %zu", first ? "" : ",", encoder__var_skip_name(r),
			st->var_skips[r]);
		first = 0;
	}
	fprintf(stderr, "%s\n", first ? " none" : "");
}

static void print_stats(const char *path, const struct btf *btf, const struct encoder_stats *st,
			const struct encoder_config *cfg, uint32_t base_cnt, double t_open)
{
	__u32 size = 0;

	btf__raw_data(btf, &size);
	fprintf(stderr, "%s: units %zu (skipped %zu) in %zu chunks, %u types, %zu funcs, "
		"%zu vars in %zu datasecs, %u bytes\n", path, st->units, st->units_skipped,
		st->chunks, btf__type_cnt(btf) - base_cnt, st->funcs, st->vars, st->datasecs, size);
	if (cfg->global_vars)
		print_var_stats(path, st);
	fprintf(stderr, "%s: time: open %.3fs setup %.3fs load+encode %.3fs (overlapping) "
		"merge %.3fs finish %.3fs base wait %.3fs dedup %.3fs\n", path, t_open,
		st->t_setup, st->t_encode, st->t_merge, st->t_finish, st->t_base, st->t_dedup);
}

/*
 * The ancestry a split layer written into an ELF carries (.BTF.ancestry):
 * every layer below it, root first: type count, string bytes, crc32, name.
 * @core (NULL: none) is one more layer on top of @chain.
 */
static char *ancestry_text(const struct btf_chain *chain, const struct btf *core,
			   uint32_t core_start, const char *core_name)
{
	size_t len = 64, i;
	char *buf, *p;

	if (!chain)
		return NULL;
	for (i = 0; i < chain->nlayers; i++)
		len += 48 + strlen(chain->layers[i].path);
	len += core_name ? 48 + strlen(core_name) : 0;
	buf = malloc(len);
	if (!buf)
		return NULL;
	p = buf + sprintf(buf, "btfenc-ancestry 1\n");
	for (i = 0; i < chain->nlayers; i++) {
		const struct btf_layer *l = &chain->layers[i];
		const char *slash = strrchr(l->path, '/');

		p += sprintf(p, "%u %u %08x %s\n", l->nr_types, l->str_len, l->crc,
			     slash ? slash + 1 : l->path);
	}
	if (core) {
		const struct btf_header *h;
		const void *raw;
		__u32 size;

		raw = btf__raw_data(core, &size);
		h = raw;
		p += sprintf(p, "%u %u %08lx %s\n", btf__type_cnt(core) - core_start, h->str_len,
			     crc32(crc32(0, Z_NULL, 0), raw, size), core_name);
	}
	return buf;
}

/*
 * Layered output (the "m" of a y/m/n kernel option): @full holds every
 * variable; its core goes where -J / --btf_encode_detached say, the extra layer
 * (split on base chain + core) to --btf_extra_detached / --btf_extra_elf.
 */
static int write_layers(const char *path, const struct btfenc_opts *o,
			const struct encoder_config *cfg, const struct btf_chain *chain,
			const struct btf *full, const struct diag *diag)
{
	struct btf *core, *flat, *extra;
	int err;

	err = layers__split(full, cfg->base, &core, &flat, &extra, diag);
	if (err)
		return err;
	if (o->stats)
		fprintf(stderr, "%s: layers: core %u types, extra %u types\n", path,
			btf__type_cnt(core) - (cfg->base ? btf__type_cnt(cfg->base) : 1),
			btf__type_cnt(extra) - btf__type_cnt(flat));
	/* The extra layer first: if it fails, the main output is left as it was. */
	if (o->extra_detached) {
		err = writer__raw(extra, o->extra_detached, diag);
	} else {
		const char *slash = strrchr(o->detached ? o->detached : path, '/');
		char *anc = ancestry_text(chain, core, cfg->base ? btf__type_cnt(cfg->base) : 1,
					  slash ? slash + 1 : (o->detached ? o->detached : path));

		if (!anc)
			anc = ancestry_text(&(struct btf_chain){ 0 }, core, 1,
					    slash ? slash + 1 : (o->detached ? o->detached : path));
		err = anc ? writer__elf(extra, o->extra_elf, anc, diag) : -ENOMEM;
		free(anc);
	}
	if (!err) {
		char *anc = ancestry_text(chain, NULL, 0, NULL);

		err = o->detached ? writer__raw(core, o->detached, diag) :
				    writer__elf(core, path, anc, diag);
		free(anc);
	}
	btf__free(extra);
	btf__free(flat);
	btf__free(core);
	return err;
}

/*
 * The base chain of a single input is read, checked and indexed on a thread
 * of its own while the input's units are encoded (a module's split BTF: the
 * base is needed only once its units are merged, encoder_config.base_wait).
 */
struct base_job {
	const struct btfenc_opts *o;
	const struct diag *diag;
	int index;		/* build the dedup index too */
	pthread_t tid;
	int started, joined;
	int err;
	double t_read, t_index;
	struct btf_chain *chain;
	struct dedup_base *base_index;
};

/* The base indexed and parsed from the bytes as read, beside their check (load_base()). */
struct index_job {
	const struct chain_files *files;
	const void *raw;
	size_t size;
	int threads;
	struct dedup_base *index;
	struct btf *parsed;
	int err;
};

static void *index_job_main(void *arg)
{
	struct index_job *j = arg;

	j->index = encoder__index_base_raw(j->raw, j->size, j->threads);
	j->err = j->index ? 0 : -errno;
	if (j->index)
		j->parsed = chain_files__parse_flat(j->files);
	return NULL;
}

static int load_base(const struct btfenc_opts *o, int index, const struct diag *d,
		     struct btf_chain **chain, struct dedup_base **base_index,
		     double *t_read, double *t_index)
{
	struct index_job ij = { .threads = o->jobs };
	struct chain_files *files;
	double t0 = now(), t1;
	pthread_t tid;
	int err, early = 0;

	*base_index = NULL;
	err = chain__read(o->bases, o->nbases, d, &files);
	if (err)
		return err;
	/*
	 * With threads to spare, a base that is one layer as the flat BTF is laid
	 * out (vmlinux) is indexed from the bytes as read while they are checked.
	 */
	ij.files = files;
	ij.raw = index && o->jobs > 1 ? chain_files__flat_bytes(files, &ij.size) : NULL;
	if (ij.raw && !pthread_create(&tid, NULL, index_job_main, &ij))
		early = 1;
	/* Read record by record, never walked: the structure is what matters. */
	err = chain__check_files(files, CHECK_STRUCTURE, d);
	if (early)
		pthread_join(tid, NULL);
	if (!err) {
		err = chain__from_files(files, CHECK_STRUCTURE, ij.parsed, d, chain);
	} else {
		btf__free(ij.parsed);
		chain_files__free(files);
	}
	t1 = now();
	*t_read = t1 - t0;
	if (early) {
		if (err)
			encoder__free_base_index(ij.index);
		if (err)
			return err;
		*base_index = ij.index;
		err = ij.err;
	} else if (err) {
		return err;
	} else if (index) {
		/* Indexed once for every input (a module batch). */
		*base_index = encoder__index_base((*chain)->flat, o->jobs);
		err = *base_index ? 0 : -errno;
	}
	if (err) {
		diag__err(d, "%s: indexing the base BTF: %s", o->bases[o->nbases - 1],
			  strerror(-err));
		chain__free(*chain);
		*chain = NULL;
		return err;
	}
	*t_index = now() - t1;
	return 0;
}

static void *base_job_main(void *arg)
{
	struct base_job *j = arg;

	j->err = load_base(j->o, j->index, j->diag, &j->chain, &j->base_index, &j->t_read,
			   &j->t_index);
	return NULL;
}

static int base_job_join(struct base_job *j)
{
	if (j->started && !j->joined) {
		pthread_join(j->tid, NULL);
		j->joined = 1;
	}
	return j->err;
}

static int base_job_wait(void *ctx, struct btf **base, struct dedup_base **index)
{
	struct base_job *j = ctx;
	int err = base_job_join(j);

	if (err)
		return err;
	*base = j->chain->flat;
	*index = j->base_index;
	return 0;
}

static int encode_one(const char *path, const struct btfenc_opts *o,
		      const struct encoder_config *cfg, const struct btf_chain *chain,
		      struct base_job *job, const struct diag *diag)
{
	struct encoder_config late;
	struct encoder_stats st;
	struct btf *btf = NULL;
	struct elfin *elf;
	double t0 = now(), t_open;
	int err;

	elf = elfin__open(path, diag);
	if (!elf)
		return -errno;
	t_open = now() - t0;
	err = encoder__encode(elf, cfg, &btf, &st);
	if (err)
		goto out;
	if (job) {	/* the encoder has waited for it */
		err = base_job_join(job);
		if (err)
			goto out;
		late = *cfg;
		late.base_wait = NULL;
		late.base = job->chain->flat;
		late.base_index = job->base_index;
		cfg = &late;
		chain = job->chain;
	}
	if (o->stats)
		print_stats(path, btf, &st, cfg, cfg->base ? btf__type_cnt(cfg->base) : 1, t_open);
	/* Nothing found: nothing written, as pahole does. */
	if (btf__type_cnt(btf) <= (cfg->base ? btf__type_cnt(cfg->base) : 1)) {
		diag__info(diag, "%s: no types to encode, nothing written", path);
		goto out;
	}
	if (o->extra_detached || o->extra_elf) {
		err = write_layers(path, o, cfg, chain, btf, diag);
		goto out;
	}
	if (o->detached) {
		err = writer__raw(btf, o->detached, diag);
	} else {
		char *anc = ancestry_text(chain, NULL, 0, NULL);

		err = writer__elf(btf, path, anc, diag);
		free(anc);
	}
out:
	btf__free(btf);
	elfin__free(elf);
	return err;
}

/*
 * A batch (several inputs, one base: re-encoding a kernel's modules) runs
 * one input per thread, each input on one thread: most modules are one
 * chunk, so threads inside a module would idle. Every worker has its own
 * index of the base (an index changes during a dedup); the base itself is
 * only read. Each input's bytes do not depend on which worker took it.
 */
struct batch {
	const struct btfenc_opts *o;
	const struct btf_chain *chain;
	const struct diag *diag;
	pthread_mutex_t lock;
	size_t next;		/* next input to take */
	int err;		/* first error */
};

struct batch_worker {
	struct batch *b;
	struct encoder_config cfg;	/* jobs 1, own base_index */
	pthread_t tid;
};

static void *batch_main(void *arg)
{
	struct batch_worker *w = arg;
	struct batch *b = w->b;

	for (;;) {
		size_t i;
		int err;

		pthread_mutex_lock(&b->lock);
		i = b->next++;
		pthread_mutex_unlock(&b->lock);
		if (i >= b->o->ninputs)
			return NULL;
		err = encode_one(b->o->inputs[i], b->o, &w->cfg, b->chain, NULL, b->diag);
		pthread_mutex_lock(&b->lock);
		if (err && !b->err)
			b->err = err;
		pthread_mutex_unlock(&b->lock);
	}
}

static int encode_batch(const struct btfenc_opts *o, const struct encoder_config *cfg,
			const struct btf_chain *chain, int nworkers, const struct diag *diag)
{
	struct batch b = { .o = o, .chain = chain, .diag = diag };
	struct batch_worker *w = calloc(nworkers, sizeof(*w));
	int i, started = 0, err = 0;

	if (!w)
		return -ENOMEM;
	pthread_mutex_init(&b.lock, NULL);
	/* Indexes made here, before any thread: making one reads the shared base. */
	for (i = 0; i < nworkers && !err; i++) {
		w[i].b = &b;
		w[i].cfg = *cfg;
		w[i].cfg.jobs = 1;
		w[i].cfg.base_index = i ? encoder__index_base(cfg->base, cfg->jobs) :
					  cfg->base_index;
		if (!w[i].cfg.base_index) {
			err = -errno;
			diag__err(diag, "%s: indexing the base BTF: %s",
				  o->bases[o->nbases - 1], strerror(errno));
		}
	}
	for (i = 0; i < nworkers && !err; i++, started++) {
		err = -pthread_create(&w[i].tid, NULL, batch_main, &w[i]);
		if (err)
			diag__err(diag, "cannot start a thread: %s", strerror(-err));
	}
	if (err) {	/* the started ones finish the inputs */
		pthread_mutex_lock(&b.lock);
		b.err = err;
		pthread_mutex_unlock(&b.lock);
	}
	for (i = 0; i < started; i++)
		pthread_join(w[i].tid, NULL);
	if (!started && !err)
		err = -EINVAL;
	for (i = 1; i < nworkers; i++)
		encoder__free_base_index(w[i].cfg.base_index);
	pthread_mutex_destroy(&b.lock);
	free(w);
	return b.err ? b.err : err;
}

int cmd_encode(const struct btfenc_opts *o, const struct diag *diag)
{
	struct encoder_config cfg = {
		.diag = diag,
		.jobs = o->jobs,
		.gen_floats = o->features[FEAT_FLOAT],
		/* global_var covers the per-CPU section too (pahole 1.28). */
		.skip_vars = !o->features[FEAT_VAR] && !o->features[FEAT_GLOBAL_VAR],
		.global_vars = o->features[FEAT_GLOBAL_VAR],
		.skip_decl_tag = !o->features[FEAT_DECL_TAG],
		.skip_type_tag = !o->features[FEAT_TYPE_TAG],
		.skip_enum64 = !o->features[FEAT_ENUM64],
		.force = o->features[FEAT_ENCODE_FORCE],
		/* pahole 1.27+ applies its function rules whenever kfuncs are tagged too. */
		.func_rules = o->features[FEAT_OPTIMIZED_FUNC] || o->features[FEAT_CONSISTENT_FUNC] ||
			      o->features[FEAT_DECL_TAG_KFUNCS],
		.decl_tag_kfuncs = o->features[FEAT_DECL_TAG_KFUNCS],
		.consistent_funcs = o->features[FEAT_CONSISTENT_FUNC],
		.lang_exclude = o->lang_exclude,
		.nlang_exclude = o->nlang_exclude,
	};
	struct btf_chain *chain = NULL;
	struct base_job job = { .o = o, .diag = diag };
	const char *chunk = getenv("BTFENC_CHUNK_BYTES");
	size_t i;
	int err;

	/* Testing knob: tiny chunks make -j determinism visible on small inputs. */
	if (chunk)
		cfg.chunk_bytes = strtoull(chunk, NULL, 0);
	/* Testing knob: libbpf's dedup, the oracle btf_dedup/ is compared with. */
	cfg.libbpf_dedup = getenv("BTFENC_DEDUP") && !strcmp(getenv("BTFENC_DEDUP"), "libbpf");

	if (!o->ninputs) {
		diag__err(diag, "no input file (try --help)");
		return -EINVAL;
	}
	if (!o->encode_elf && !o->detached) {
		diag__err(diag, "nothing to do: give -J or --btf_encode_detached=FILE");
		return -EINVAL;
	}
	if (o->detached && o->ninputs > 1) {
		diag__err(diag, "--btf_encode_detached takes one input, %zu given", o->ninputs);
		return -EINVAL;
	}
	if (o->extra_detached && o->extra_elf) {
		diag__err(diag, "give one of --btf_extra_detached and --btf_extra_elf");
		return -EINVAL;
	}
	if ((o->extra_detached || o->extra_elf) && o->ninputs > 1) {
		diag__err(diag, "an extra layer takes one input, %zu given", o->ninputs);
		return -EINVAL;
	}
	if (o->extra_detached || o->extra_elf) {
		/* Layers cut an encoding with every variable. */
		cfg.global_vars = 1;
		cfg.skip_vars = 0;
	}
	err = check_features(o, diag);
	if (err)
		return err;
	/* One input, several threads: the base is made ready beside the encoding. */
	if (o->nbases && o->ninputs == 1 && cfg.jobs > 1 && !cfg.libbpf_dedup) {
		job.index = 1;
		err = -pthread_create(&job.tid, NULL, base_job_main, &job);
		if (!err) {
			job.started = 1;
			cfg.base_wait = base_job_wait;
			cfg.base_ctx = &job;
		}
		/* else: read here, below */
	}
	if (o->nbases && !job.started) {
		err = load_base(o, !cfg.libbpf_dedup, diag, &chain, &cfg.base_index, &job.t_read,
				&job.t_index);
		if (err)
			return err;
		cfg.base = chain->flat;
	}
	if (o->ninputs > 1 && cfg.jobs > 1 && cfg.base_index) {
		err = encode_batch(o, &cfg, chain,
				   cfg.jobs < (int)o->ninputs ? cfg.jobs : (int)o->ninputs, diag);
	} else {
		for (i = 0; i < o->ninputs; i++) {
			int e = encode_one(o->inputs[i], o, &cfg, chain,
					   job.started ? &job : NULL, diag);

			if (e && !err)
				err = e;
		}
	}
	if (job.started) {
		/* Also when the input failed before the encoder waited. */
		base_job_join(&job);
		chain = job.chain;
		cfg.base_index = job.base_index;
	}
	if (o->stats && chain)
		fprintf(stderr, "base: %zu layers, %u types: read+check %.3fs index %.3fs%s\n",
			chain->nlayers, btf__type_cnt(chain->flat) - 1, job.t_read, job.t_index,
			job.started ? " (beside the encoding)" : "");
	encoder__free_base_index(cfg.base_index);
	chain__free(chain);
	return err;
}
