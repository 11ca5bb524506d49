// SPDX-License-Identifier: GPL-2.0-only
/*
 * run: encoder__run(), a whole run as pahole -J makes one in a kernel build:
 * the base chain read once, every input encoded, its outputs written.
 *
 * Threads. One input with several jobs: the base chain is read, checked and
 * indexed on a thread of its own (base_load.h) while the input's units are
 * encoded; a split output needs its base only once its units are merged.
 * Several inputs with several jobs and one base (a kernel's modules on
 * vmlinux: a batch): each worker thread takes the next input and encodes it
 * alone, since most modules are one chunk and threads inside a module would
 * idle. Every batch worker has its own index of the base (a dedup run
 * changes the index it uses); the base itself is only read. Each input's
 * bytes do not depend on which worker took it.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>
#include <bpf/btf.h>

#include "base_load.h"
#include "dedup_bridge.h"
#include "encoder.h"
#include "func_select.h"
#include "internals.h"
#include "layers.h"
#include "writer.h"
#include "btf_builder/distill.h"
#include "btf_builder/layout.h"
#include "btf_reader/reader.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
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
 * Layered output (the "m" of a y/m/n kernel option): @core goes where -J /
 * --btf_encode_detached say, @extra (split on base chain + core) to
 * --btf_extra_detached / --btf_extra_elf. Both are staged before either target
 * changes, so a failure while writing leaves both as they were. Then the extra layer is
 * put in place, then the core; should the core's commit fail, the new extra layer is
 * removed again (an extra layer beside a core it was not made on would be worse than none).
 */
static int write_layers(const char *path, const struct encoder_job *job,
			const struct encoder_config *cfg, const struct btf_chain *chain,
			const struct btf *core, const struct btf *extra, const struct diag *diag)
{
	struct writer_staged xs = WRITER_STAGED_INIT, cs = WRITER_STAGED_INIT;
	const char *core_path = job->detached ? job->detached : path;
	char *anc;
	int err;

	if (job->extra_detached) {
		err = writer__stage_raw(extra, job->extra_detached, &xs, diag);
	} else {
		const char *slash = strrchr(core_path, '/');

		anc = ancestry_text(chain, core, cfg->base ? btf__type_cnt(cfg->base) : 1,
				    slash ? slash + 1 : core_path);
		if (!anc)
			anc = ancestry_text(&(struct btf_chain){ 0 }, core, 1,
					    slash ? slash + 1 : core_path);
		err = anc ? writer__stage_elf(extra, job->extra_elf, anc, &xs, diag) : -ENOMEM;
		free(anc);
	}
	if (!err) {
		anc = ancestry_text(chain, NULL, 0, NULL);
		err = job->detached ? writer__stage_raw(core, job->detached, &cs, diag) :
				      writer__stage_elf(core, path, anc, &cs, diag);
		free(anc);
	}
	if (!err)
		err = writer__stage_commit(&xs, diag);
	if (!err) {
		err = writer__stage_commit(&cs, diag);
		if (err && unlink(xs.path) == 0)
			diag__err(diag, "%s: removed: %s, the core it was made on, could not be "
				  "written", xs.path, core_path);
	}
	writer__stage_discard(&xs);
	writer__stage_discard(&cs);
	return err;
}

/*
 * --btf_features=layout: a base output gets the layout section (btf_builder/layout.h), as
 * pahole after 1.31 writes it; a split one is written as it is, as pahole does.
 */
static int write_with_layout(const char *path, const struct encoder_job *job,
			     const struct btf *btf, const char *ancestry, const struct diag *diag)
{
	struct writer_section sec = { ".BTF" };
	const void *raw;
	void *out = NULL;
	__u32 size;
	int err;

	raw = btf__raw_data(btf, &size);
	if (!raw)
		return -ENOMEM;
	err = layout__add(raw, size, &out, &sec.size);
	if (err) {
		diag__err(diag, "%s: cannot add the layout section: %s", path, strerror(-err));
		return err;
	}
	sec.data = out;
	if (job->detached) {
		err = writer__bytes(out, sec.size, job->detached, diag);
	} else {
		struct writer_section secs[2] = { sec, { ".BTF.ancestry", ancestry } };

		secs[1].size = ancestry ? strlen(ancestry) : 0;
		err = writer__elf_sections(path, secs, ancestry ? 2 : 1, diag);
	}
	free(out);
	return err;
}

/*
 * --btf_features=distilled_base: the split output re-split on a distilled base, written as
 * .BTF and .BTF.base (btf_builder/distill.h), as pahole 1.28+ writes a module for -J.
 */
static int write_distilled(const char *path, const struct btf *btf, const struct diag *diag)
{
	struct btf *dist_base = NULL, *dist_split = NULL;
	struct writer_section secs[2] = { { ".BTF" }, { ".BTF.base" } };
	uint32_t bad_id, size;
	int err;

	err = distill__split(btf, &dist_base, &dist_split, &bad_id);
	if (err) {
		if (bad_id)
			diag__err(diag, "%s: cannot distill the base: the split BTF refers to base "
				  "type %u, of a kind a distilled base cannot describe", path,
				  bad_id);
		else
			diag__err(diag, "%s: cannot distill the base: %s", path, strerror(-err));
		return err;
	}
	secs[0].data = btf__raw_data(dist_split, &size);
	secs[0].size = size;
	secs[1].data = btf__raw_data(dist_base, &size);
	secs[1].size = size;
	err = secs[0].data && secs[1].data ? writer__elf_sections(path, secs, 2, diag) : -ENOMEM;
	btf__free(dist_split);
	btf__free(dist_base);
	return err;
}

/*
 * One input's BTF, where -J / --btf_encode_detached say, in the shape the features ask.
 * The plain shapes are finished by @committer when there is one (a batch).
 */
static int write_output(const char *path, const struct encoder_job *job,
			const struct encoder_config *cfg, const struct btf_chain *chain,
			const struct btf *btf, struct writer_committer *committer,
			struct writer_precopy **pc, const struct diag *diag)
{
	char *anc = NULL;
	int err;

	if (job->distilled_base && cfg->base && !job->detached)
		return write_distilled(path, btf, diag);
	if (job->distilled_base)
		diag__info(diag, "%s: distilled_base applies to split BTF written into an ELF "
			   "file: skipped", path);
	if (job->layout && cfg->base)
		diag__info(diag, "%s: layout applies to base BTF: skipped for split BTF", path);
	if (!job->detached) {
		anc = ancestry_text(chain, NULL, 0, NULL);
		if (!anc && chain && chain->nlayers)
			return -ENOMEM;
	}
	if (job->layout && !cfg->base)
		err = write_with_layout(path, job, btf, anc, diag);
	else if (job->detached)
		err = writer__raw_via(btf, job->detached, committer, diag);
	else if (*pc) {
		err = writer__elf_precopied(btf, path, anc, *pc, diag);
		*pc = NULL;	/* consumed */
	} else
		err = writer__elf_via(btf, path, anc, committer, diag);
	free(anc);
	return err;
}

static int encode_one(const char *path, const struct encoder_job *job,
		      const struct encoder_config *cfg, const struct encoder_internals *in,
		      const struct btf_chain *chain, struct base_load *beside,
		      const struct diag *diag)
{
	struct btf *btf = NULL, *core = NULL, *flat = NULL, *extra = NULL;
	struct encoder_report r = { .path = path };
	struct encoder_config late;
	struct encoder_stats st;
	struct writer_precopy *pc = NULL;
	struct objfile *elf;
	double t0 = now(), t_open;
	uint32_t base_cnt;
	int err, empty;

	/*
	 * A file -J would refuse (a final link) is refused before it is encoded. With a base
	 * being read beside, its failure, reported on its own thread, is the one error said.
	 */
	if (!job->detached) {
		const struct diag quiet = { .emit = diag__drop };

		err = writer__elf_refuses(path, beside ? &quiet : diag);
		if (err && beside) {
			err = base_load__join(beside);
			if (!err)
				err = writer__elf_refuses(path, diag);
		}
		if (err)
			return err;
	}
	/*
	 * -J with threads to spare (one input): the input is copied into its output's
	 * temporary file beside the encoding (writer.h). Not in a batch, whose workers
	 * keep every core busy, nor for the shapes written otherwise.
	 */
	if (cfg->jobs > 1 && !in->committer && !job->detached && !job->extra_detached &&
	    !job->extra_elf && !job->distilled_base && !job->layout) {
		err = writer__precopy_start(path, job->nbases > 0, &pc, diag);
		if (err)
			return err;
	}
	/* Location lists are read for the parameters' locations at entry only (loader.h). */
	elf = objfile__open_flags(path, func_select__new_rules(cfg) ? 0 : OBJFILE_NO_LOCATION_LISTS,
				  diag);
	if (!elf) {
		err = -errno;
		writer__precopy_discard(pc);
		return err;
	}
	t_open = now() - t0;
	err = encoder__encode_with(elf, cfg, in, &btf, &st);
	if (err)
		goto out;
	if (beside) {	/* the encoder has waited for it */
		err = base_load__join(beside);
		if (err)
			goto out;
		late = *cfg;
		late.base = beside->chain->flat;
		cfg = &late;
		chain = beside->chain;
	}
	base_cnt = cfg->base ? btf__type_cnt(cfg->base) : 1;
	if (job->report) {
		__u32 size = 0;

		btf__raw_data(btf, &size);
		r.stats = &st;
		r.types = btf__type_cnt(btf) - base_cnt;
		r.bytes = size;
		r.t_open = t_open;
		r.global_vars = cfg->global_vars;
	}
	/* Nothing found: nothing written, as pahole does. */
	empty = btf__type_cnt(btf) <= base_cnt;
	if (!empty && (job->extra_detached || job->extra_elf)) {
		err = layers__split(btf, cfg->base, &core, &flat, &extra, diag);
		if (err)
			goto out;
		r.layered = 1;
		r.core_types = btf__type_cnt(core) - base_cnt;
		r.extra_types = btf__type_cnt(extra) - btf__type_cnt(flat);
	}
	if (job->report)
		job->report(job->report_ctx, &r);
	if (empty) {
		diag__info(diag, "%s: no types to encode, nothing written", path);
		goto out;
	}
	if (extra)
		err = write_layers(path, job, cfg, chain, core, extra, diag);
	else
		err = write_output(path, job, cfg, chain, btf, in->committer, &pc, diag);
out:
	btf__free(extra);
	btf__free(flat);
	btf__free(core);
	btf__free(btf);
	objfile__free(elf);
	writer__precopy_discard(pc);	/* unless the writer took it */
	return err;
}

/* A batch: the inputs of one job, one per worker thread at a time. */
struct batch {
	const struct encoder_job *job;
	const struct btf_chain *chain;
	const struct diag *diag;
	pthread_mutex_t lock;
	size_t next;		/* next input to take */
	int err;		/* first error */
};

struct batch_worker {
	struct batch *b;
	struct encoder_config cfg;	/* jobs 1 */
	struct encoder_internals in;	/* own base_index */
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
		if (i >= b->job->ninputs)
			return NULL;
		err = encode_one(b->job->inputs[i], b->job, &w->cfg, &w->in, b->chain, NULL,
				 b->diag);
		pthread_mutex_lock(&b->lock);
		if (err && !b->err)
			b->err = err;
		pthread_mutex_unlock(&b->lock);
	}
}

static int encode_batch(const struct encoder_job *job, const struct encoder_config *cfg,
			const struct encoder_internals *in, const struct btf_chain *chain,
			int nworkers, const struct diag *diag)
{
	struct batch b = { .job = job, .chain = chain, .diag = diag };
	struct batch_worker *w = calloc(nworkers, sizeof(*w));
	struct writer_committer *committer;
	int i, started = 0, err = 0, cerr;

	if (!w)
		return -ENOMEM;
	pthread_mutex_init(&b.lock, NULL);
	/*
	 * The fsyncs and commits go to a thread of their own (writer.h), a few outputs
	 * deep. Should it not start, each worker commits its own outputs, as one input does.
	 */
	err = writer_committer__start(2 * (unsigned int)nworkers, &committer, diag);
	/* Indexes made here, before any thread: making one reads the shared base. */
	for (i = 0; i < nworkers && !err; i++) {
		w[i].b = &b;
		w[i].cfg = *cfg;
		w[i].cfg.jobs = 1;
		w[i].in = *in;
		w[i].in.committer = committer;
		w[i].in.base_index = i ? dedup_bridge__index_base(cfg->base, cfg->jobs,
						dedup_bridge__rules(cfg->compat_124)) :
					 in->base_index;
		if (!w[i].in.base_index) {
			err = -errno;
			diag__err(diag, "%s: indexing the base BTF: %s",
				  job->bases[job->nbases - 1], strerror(errno));
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
	cerr = committer ? writer_committer__finish(committer) : 0;
	if (cerr && !b.err)
		b.err = cerr;
	if (!started && !err)
		err = -EINVAL;
	for (i = 1; i < nworkers; i++)
		dedup_bridge__free_index(w[i].in.base_index);
	pthread_mutex_destroy(&b.lock);
	free(w);
	return b.err ? b.err : err;
}

int encoder__run(const struct encoder_job *job, struct encoder_base_report *base_report)
{
	struct encoder_config cfg = job->cfg;
	struct encoder_internals in = { 0 };
	const struct diag *diag = cfg.diag;
	struct base_load base = { .paths = job->bases, .npaths = job->nbases, .jobs = cfg.jobs,
				  .rules = dedup_bridge__rules(cfg.compat_124), .diag = diag };
	struct btf_chain *chain = NULL;
	const char *chunk = getenv("BTFENC_CHUNK_BYTES");
	size_t i;
	int err = 0;

	if (base_report)
		memset(base_report, 0, sizeof(*base_report));
	cfg.base = NULL;
	/* Testing knob: tiny chunks make -j determinism visible on small inputs. */
	if (chunk)
		in.chunk_bytes = strtoull(chunk, NULL, 0);
	/* Testing knob: libbpf's dedup, the oracle btf_dedup/ is compared with. */
	in.libbpf_dedup = getenv("BTFENC_DEDUP") && !strcmp(getenv("BTFENC_DEDUP"), "libbpf");
	if (cfg.true_signature && cfg.compat_124) {
		diag__info(diag, "true_signature is pahole master's: not applied under "
			   "--pahole_compat=1.24");
		cfg.true_signature = 0;
	}
	if (job->extra_detached || job->extra_elf) {
		/* Layers cut an encoding with every variable. */
		cfg.global_vars = 1;
		cfg.skip_vars = 0;
	}
	/* The ELF file that takes the extra layer, looked at before anything is encoded. */
	if (job->extra_elf) {
		err = writer__elf_target_refuses(job->extra_elf, diag);
		if (err)
			return err;
	}
	/* One input, several threads: the base is made ready beside the encoding. */
	if (job->nbases && job->ninputs == 1 && cfg.jobs > 1 && !in.libbpf_dedup) {
		base.index = 1;
		if (!base_load__start(&base)) {
			in.base_wait = base_load__wait;
			in.base_ctx = &base;
		}
		/* else: read here, below */
	}
	if (job->nbases && !base.started) {
		base.index = !in.libbpf_dedup;
		err = base_load__run(&base);
		if (err)
			return err;
		chain = base.chain;
		cfg.base = chain->flat;
		in.base_index = base.base_index;
	}
	if (job->ninputs > 1 && cfg.jobs > 1 && in.base_index) {
		err = encode_batch(job, &cfg, &in, chain,
				   cfg.jobs < (int)job->ninputs ? cfg.jobs : (int)job->ninputs,
				   diag);
	} else {
		for (i = 0; i < job->ninputs; i++) {
			int e = encode_one(job->inputs[i], job, &cfg, &in, chain,
					   base.started ? &base : NULL, diag);

			if (e && !err)
				err = e;
		}
	}
	if (base.started) {
		/* Also when the input failed before the encoder waited. */
		base_load__join(&base);
		chain = base.chain;
		in.base_index = base.base_index;
	}
	if (base_report && chain) {
		base_report->layers = chain->nlayers;
		base_report->types = btf__type_cnt(chain->flat) - 1;
		base_report->t_read = base.t_read;
		base_report->t_index = base.t_index;
		base_report->beside = base.started;
	}
	dedup_bridge__free_index(in.base_index);
	chain__free(chain);
	return err;
}
