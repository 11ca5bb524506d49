// SPDX-License-Identifier: GPL-2.0-only
/*
 * encoder: the parallel, deterministic pipeline from units to one BTF.
 *
 * Design note.
 * Problem: encode thousands of units on N threads and get the same bytes for
 * every N, without holding every unit in memory.
 * Passes:
 *  1. chunking: units are grouped into consecutive chunks of about
 *     chunk_bytes of .debug_info. Boundaries depend on the input only.
 *  2. workers (N threads) take the next chunk number from a shared counter,
 *     load its units one at a time (per-unit records are reused, so memory
 *     stays flat), encode them into the chunk's own BTF and deduplicate it.
 *     A worker does not run more than 2N chunks ahead of the merge, which
 *     bounds the finished-but-unmerged results held in memory.
 *  3. the calling thread merges chunk results strictly in chunk order
 *     (merge.c), freeing each as soon as it is merged, then writes the
 *     variables' DATASECs (vars.c: the cross-chunk choices among variables are
 *     made there) and deduplicates the whole (against the base if any) with
 *     btf_dedup/, which gives libbpf 1.1.2's btf__dedup() bytes.
 * Memory: a chunk's .debug_info pages are dropped once it is encoded (those of
 * a relocatable file where its units do not refer to each other), every debug
 * section's once all are (loader__release_all()); at most
 * 2N chunk results wait for the merge; libbpf's copy of the merged BTF is
 * freed before the dedup runs on its bytes.
 * Invariant: the merged type sequence is a function of the chunk sequence
 * alone, hence of the input alone.
 */
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <bpf/btf.h>

#include "btf_loader/btf_loader.h"
#include "chunk.h"
#include "dedup_bridge.h"
#include "func_select.h"
#include "internals.h"
#include "merge.h"
#include "symbols.h"
#include "vars.h"

#define DEFAULT_CHUNK_BYTES (4u << 20)
#define SPLIT_CHUNK_BYTES (1u << 20)
#define WORKER_STACK (16u << 20)

struct chunk {
	size_t first, count;	/* units */
	struct chunk_out out;
	int done;
};

struct pipeline {
	struct objfile *elf;
	const struct encoder_config *cfg;
	const struct encoder_internals *in;
	struct loader *loader;
	struct btf_loader *bload;	/* btf_input: units are .BTF blobs, not DWARF units */
	const struct unit_span *units;
	struct symidx syms;
	struct chunk *chunks;
	size_t nchunks;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	size_t next_chunk;	/* next chunk a worker takes */
	size_t merged;		/* chunks merged so far */
	int failed;		/* stop taking work */
	int jobs;
};

struct worker {
	struct pipeline *p;
	struct loader_thread *lt;
	pthread_t tid;
	int started;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int make_chunks(struct pipeline *p, size_t nunits)
{
	/*
	 * Split output merges chunks undeduplicated (see chunk_finish), so their
	 * size changes nothing but how evenly the threads are loaded: small ones.
	 */
	uint64_t target = p->in->chunk_bytes ? p->in->chunk_bytes :
			  p->cfg->base || p->in->base_wait ? SPLIT_CHUNK_BYTES :
			  DEFAULT_CHUNK_BYTES;
	size_t cap = 0, i = 0;
	int err;

	while (i < nunits) {
		uint64_t bytes = 0;
		size_t first = i;

		while (i < nunits && (i == first || bytes + p->units[i].size <= target))
			bytes += p->units[i++].size;
		err = vec__push_slot(&p->chunks, &cap, p->nchunks);
		if (err)
			return err;
		memset(&p->chunks[p->nchunks], 0, sizeof(p->chunks[0]));
		p->chunks[p->nchunks].first = first;
		p->chunks[p->nchunks].count = i - first;
		p->nchunks++;
	}
	return 0;
}

/*
 * The chunk's records become the BTF the merge reads. Deduplicating a chunk
 * shrinks what the merge copies. It is skipped when the final dedup has the
 * whole input anyway (one chunk), and for split output: resolved within a
 * chunk first, a forward declaration can let a type match the base that
 * pahole's single dedup keeps (nfsv4.ko's copy of struct module), and the
 * output must be what pahole writes.
 */
static int chunk_finish(struct pipeline *p, struct chunk_out *out)
{
	int dedup = p->nchunks > 1 && !p->cfg->base && !p->in->base_wait &&
		    rawbtf__type_cnt(&out->rb) > 1;
	int err = 0;

	if (dedup && !p->in->libbpf_dedup) {
		err = dedup_bridge__rawbtf(&out->rb, NULL, NULL,
					   dedup_bridge__rules(p->cfg->compat_124), &out->btf,
					   p->cfg->diag, p->elf->path);
	} else {
		out->btf = p->in->libbpf_dedup ? rawbtf__to_btf_scratch(&out->rb) :
						 rawbtf__to_btf(&out->rb);
		rawbtf__free(&out->rb);
		if (!out->btf) {
			err = errno ? -errno : -ENOMEM;
			diag__err(p->cfg->diag, "%s: reading back a chunk: %s", p->elf->path,
				  strerror(-err));
		} else if (dedup && btf__dedup(out->btf, NULL)) {
			err = -EINVAL;
			diag__err(p->cfg->diag, "%s: deduplicating a chunk failed", p->elf->path);
		}
	}
	out->deduped = dedup;
	if (!err)
		btf__set_endianness(out->btf, p->elf->big_endian ? BTF_BIG_ENDIAN :
								   BTF_LITTLE_ENDIAN);
	return err;
}

static int encode_chunk(struct pipeline *p, struct loader_thread *lt, struct chunk *ch)
{
	struct chunk_out *out = &ch->out;
	struct cu_scratch scratch = {};
	struct cu_records cu = {};
	const char *str;
	size_t i, str_size;
	int err = 0;

	err = rawbtf__init(&out->rb);
	if (err)
		return err;
	/*
	 * Names in .debug_str: equal pointers are equal strings (cu__encode()). Not for a
	 * relocatable file: a module linked with ld -r keeps each unit's strings apart,
	 * and the few names a unit repeats do not pay for the map (Debian's 6.1 modules:
	 * 5 to 7 % less user time without it, the same bytes).
	 */
	str = p->bload ? NULL : loader__debug_str(p->loader, &str_size);
	str_size = p->bload ? 0 : str_size;
	rawbtf__cache_ptrs(&out->rb, &scratch.strs, p->elf->e_type == ET_REL ? NULL : str,
			   str_size);
	rawbtf__track_src(&out->rb, str, str_size);
	for (i = 0; i < ch->count && !err; i++) {
		err = p->bload ? btfload__load_unit(p->bload, &p->units[ch->first + i], &cu) :
				 loader__load_unit(lt, &p->units[ch->first + i], &cu);
		if (err == 1) {
			out->units_skipped++;
			err = 0;
			continue;
		}
		if (!err) {
			out->units++;
			err = cu__encode(&cu, out, &scratch, &p->syms, p->cfg, p->elf->path);
		}
	}
	cu_records__free(&cu);
	rawbtf__cache_ptrs(&out->rb, NULL, NULL, 0);	/* the map is scratch's */
	cu_scratch__free(&scratch);
	out->strs_units = (uint32_t)out->rb.str_len;
	out->src_min = out->rb.src_min;
	out->src_max = out->rb.src_max;
	if (out->fn_rb.src_min && (!out->src_min || out->fn_rb.src_min < out->src_min))
		out->src_min = out->fn_rb.src_min;
	if (out->fn_rb.src_max > out->src_max)
		out->src_max = out->fn_rb.src_max;
	if (!err)
		err = cu__append_funcs(out);
	if (!err)
		err = chunk_finish(p, out);
	return err;
}

/*
 * A module linked with ld -r keeps each unit's .debug_str part apart, in unit order, so
 * the strings a chunk's units name are a stretch of it no later chunk reads: its pages are
 * dropped once the chunk is encoded (the chunk's BTF has copies). Debian's 6.1 amdgpu.ko
 * has 76 MB of .debug_str, which otherwise stays mapped until the final deduplication.
 * A page read again (a name kept by pointer, a later unit naming an earlier string) comes
 * back from the file.
 */
static void release_chunk_strs(struct pipeline *p, const struct chunk_out *o)
{
	loader__release_strs(p->loader, o->src_min, o->src_max);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct pipeline *p = w->p;

	for (;;) {
		struct chunk *ch;
		size_t k;
		int err;

		pthread_mutex_lock(&p->lock);
		while (!p->failed && p->next_chunk < p->nchunks &&
		       p->next_chunk >= p->merged + 2 * (size_t)p->jobs)
			pthread_cond_wait(&p->cond, &p->lock);
		if (p->failed || p->next_chunk >= p->nchunks) {
			pthread_mutex_unlock(&p->lock);
			return NULL;
		}
		k = p->next_chunk++;
		pthread_mutex_unlock(&p->lock);

		ch = &p->chunks[k];
		err = encode_chunk(p, w->lt, ch);
		/* Its DWARF is done with: drop those pages (re-read if ever needed). */
		if (p->loader)
			loader__release_units(p->loader, &p->units[ch->first], ch->count);
		if (p->loader && p->nchunks > 1 && p->elf->e_type == ET_REL)
			release_chunk_strs(p, &ch->out);

		pthread_mutex_lock(&p->lock);
		ch->out.err = err;
		ch->done = 1;
		if (err)
			p->failed = 1;
		pthread_cond_broadcast(&p->cond);
		pthread_mutex_unlock(&p->lock);
	}
}

static void chunk_out__free(struct chunk_out *o)
{
	rawbtf__free(&o->rb);
	rawbtf__free(&o->fn_rb);
	btf__free(o->btf);
	free(o->vsi);
	free(o->cands);
	free(o->var_tags);
	free(o->skips);
	strmap__free(&o->decl_names);
	free(o->fn_facts);
	memset(o, 0, sizeof(*o));
}

/* Runs the workers and merges their chunks in order on the calling thread. */
static int run_pipeline(struct pipeline *p, struct merger *m, struct encoder_stats *st)
{
	struct worker *workers;
	pthread_attr_t attr;
	int i, err = 0;
	size_t k;
	double t0 = now(), tm = 0;

	workers = calloc(p->jobs, sizeof(*workers));
	if (!workers)
		return -ENOMEM;
	/* Every Dwarf handle before any thread starts: libelf is not thread-safe. */
	for (i = 0; i < p->jobs; i++) {
		workers[i].p = p;
		if (p->bload)
			continue;
		workers[i].lt = loader__thread_new(p->loader);
		if (!workers[i].lt) {
			err = -errno;
			goto out;
		}
	}
	/* Deep type graphs recurse (btf_dedup/dedup_types.c): a stack that does not depend on ulimit. */
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, WORKER_STACK);
	for (i = 0; i < p->jobs; i++) {
		err = -pthread_create(&workers[i].tid, &attr, worker_main, &workers[i]);
		if (err) {
			diag__err(p->cfg->diag, "cannot start a thread: %s", strerror(-err));
			pthread_mutex_lock(&p->lock);
			p->failed = 1;
			pthread_cond_broadcast(&p->cond);
			pthread_mutex_unlock(&p->lock);
			break;
		}
		workers[i].started = 1;
	}
	for (k = 0; !err && k < p->nchunks; k++) {
		struct chunk *ch = &p->chunks[k];
		double t1;

		pthread_mutex_lock(&p->lock);
		while (!ch->done && !p->failed)
			pthread_cond_wait(&p->cond, &p->lock);
		pthread_mutex_unlock(&p->lock);
		if (!ch->done || ch->out.err) {
			err = ch->done ? ch->out.err : -ECANCELED;
			break;
		}
		t1 = now();
		err = merger__add(m, &ch->out, &p->syms, p->cfg->diag, p->elf->path);
		tm += now() - t1;
		st->units += ch->out.units;
		st->units_skipped += ch->out.units_skipped;
		st->vars += ch->out.vars;
		chunk_out__free(&ch->out);
		pthread_mutex_lock(&p->lock);
		p->merged = k + 1;
		if (err)
			p->failed = 1;
		pthread_cond_broadcast(&p->cond);
		pthread_mutex_unlock(&p->lock);
	}
	pthread_attr_destroy(&attr);
out:
	if (err) {
		pthread_mutex_lock(&p->lock);
		p->failed = 1;
		pthread_cond_broadcast(&p->cond);
		pthread_mutex_unlock(&p->lock);
	}
	for (i = 0; i < p->jobs; i++) {
		if (workers[i].started)
			pthread_join(workers[i].tid, NULL);
		loader__thread_free(workers[i].lt);
	}
	/* A chunk that failed after an earlier error may still be reported here. */
	for (k = 0; k < p->nchunks; k++) {
		if ((!err || err == -ECANCELED) && p->chunks[k].out.err)
			err = p->chunks[k].out.err;
		chunk_out__free(&p->chunks[k].out);
	}
	free(workers);
	st->t_encode = now() - t0 - tm;
	st->t_merge = tm;
	return err;
}

#if defined(__SANITIZE_ADDRESS__)
#define BTFENC_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BTFENC_ASAN 1
#endif
#endif

/*
 * The workers' malloc arenas keep what they freed resident through the dedup's
 * peak: glibc's malloc_trim() gives it back, for an input of at least
 * TRIM_CHUNKS chunks (a batch of small modules would pay a walk of every arena
 * per module for little). Not under AddressSanitizer, whose allocator replaces
 * glibc's: there malloc_trim() walks arenas it never set up.
 */
#define TRIM_CHUNKS 8

static void give_back_freed_memory(void)
{
#ifndef BTFENC_ASAN
	malloc_trim(0);
#endif
}

/* symidx__build() on its own thread, beside loader__new(). */
struct syms_job {
	struct symidx *syms;
	struct objfile *elf;
	const struct encoder_config *cfg;
	int err;
};

static void *syms_main(void *arg)
{
	struct syms_job *j = arg;

	j->err = symidx__build(j->syms, j->elf, j->cfg);
	return NULL;
}

/*
 * The symbol index reads only what objfile__open() read, except the kfunc sets
 * (.BTF_ids, through libelf, which is not thread-safe); listing the units
 * reads sections, and decompressing one rewrites its flags, which the index
 * also reads: beside each other only without kfunc sets and when no section
 * is compressed.
 */
static int syms_beside_loader(const struct objfile *elf, const struct encoder_config *cfg)
{
	size_t i;

	if (cfg->decl_tag_kfuncs)
		return 0;
	for (i = 1; i < elf->nsec; i++)
		if (elf->secs[i].flags & SHF_COMPRESSED)
			return 0;
	return 1;
}

/*
 * btf_input: what changed in the compiler's BTF, and the function rules that
 * have no parameter locations to judge, one -V line each (never silently).
 */
static void btf_input_report(const struct btf_loader *bl, const struct encoder_config *cfg,
			     const char *path)
{
	btfload__report(bl);
	if (!func_select__new_rules(cfg))
		return;
	diag__info(cfg->diag, "%s: compiler BTF has no parameter locations: optimized_func's "
		   "and consistent_func's location rules (optimized parameters, unexpected "
		   "register%s) not applied, every function keeps the compiler's prototype",
		   path, cfg->compat_124 ? "" : ", reordered parameters");
	if (cfg->true_signature && !cfg->compat_124)
		diag__info(cfg->diag, "%s: compiler BTF: true_signature not applied (it needs "
			   "DWARF's parameter locations)", path);
}

int encoder__encode(struct objfile *elf, const struct encoder_config *cfg, struct btf **out,
		    struct encoder_stats *stats)
{
	return encoder__encode_with(elf, cfg, NULL, out, stats);
}

int encoder__encode_with(struct objfile *elf, const struct encoder_config *cfg,
			 const struct encoder_internals *in, struct btf **out,
			 struct encoder_stats *stats)
{
	static const struct encoder_internals defaults;
	struct loader_config lcfg = { .diag = cfg->diag, .lang_exclude = cfg->lang_exclude,
				      .nlang_exclude = cfg->nlang_exclude,
				      .param_locations = func_select__new_rules(cfg) };
	struct pipeline p = { .elf = elf, .cfg = cfg };
	struct encoder_stats st_local = {};
	struct encoder_internals late_in;
	struct encoder_config late;
	struct encoder_stats *st = stats ? stats : &st_local;
	struct merger m = {};
	struct syms_job sj;
	pthread_t sj_tid;
	size_t nunits;
	double t;
	int err, raw_dedup, sj_started;

	*out = NULL;
	memset(st, 0, sizeof(*st));
	if (!in)
		in = &defaults;
	p.in = in;
	t = now();
	p.jobs = cfg->jobs > 0 ? cfg->jobs : 1;
	pthread_mutex_init(&p.lock, NULL);
	pthread_cond_init(&p.cond, NULL);
	sj = (struct syms_job){ .syms = &p.syms, .elf = elf, .cfg = cfg };
	/* vmlinux: 15 ms of symbols beside the 10-17 ms of listing units. */
	sj_started = syms_beside_loader(elf, cfg) && !pthread_create(&sj_tid, NULL, syms_main, &sj);
	if (cfg->btf_input) {
		p.bload = btfload__new(elf, cfg->diag);
		err = p.bload ? 0 : -errno;
	} else {
		p.loader = loader__new(elf, &lcfg);
		err = p.loader ? 0 : -errno;
	}
	if (sj_started)
		pthread_join(sj_tid, NULL);
	else if (!err)
		syms_main(&sj);
	if (!err)
		err = sj.err;
	if (err)
		goto out;
	p.units = p.bload ? btfload__units(p.bload, &nunits) : loader__units(p.loader, &nunits);
	err = make_chunks(&p, nunits);
	if (err)
		goto out;
	st->chunks = p.nchunks;
	if (p.jobs > (int)p.nchunks)
		p.jobs = p.nchunks ? (int)p.nchunks : 1;
	/*
	 * btf_dedup/ takes the merged types standalone and splits them on the base
	 * itself; libbpf's dedup needs them split from the start.
	 */
	m.btf = cfg->base && in->libbpf_dedup ? btf__new_empty_split(cfg->base) : btf__new_empty();
	if (!m.btf) {
		err = -ENOMEM;
		goto out;
	}
	btf__set_endianness(m.btf, elf->big_endian ? BTF_BIG_ENDIAN : BTF_LITTLE_ENDIAN);
	m.global_vars = cfg->global_vars;
	m.func_rules = func_select__new_rules(cfg);
	m.scratch_btf = in->libbpf_dedup;
	/*
	 * Several chunks: appended as bytes (merge.c), unless split for libbpf's dedup. So
	 * is one whose FUNCs or VARs are decided after it (function rules, global_var): it
	 * cannot be taken whole as the merged BTF, and copying it into a libbpf object
	 * interns every string there (a sixth of a batch of small modules' time).
	 */
	if ((p.nchunks > 1 || m.func_rules || cfg->global_vars) &&
	    !(cfg->base && in->libbpf_dedup)) {
		m.raw_mode = 1;
		err = rawbtf__init(&m.raw);
		if (err)
			goto out;
	}
	st->t_setup = now() - t;
	err = run_pipeline(&p, &m, st);
	if (!err && p.bload)
		btf_input_report(p.bload, cfg, elf->path);
	/* Every unit is loaded: the DWARF's pages go before the dedup's peak. */
	if (p.loader)
		loader__release_all(p.loader);
	if (p.nchunks >= TRIM_CHUNKS)
		give_back_freed_memory();
	t = now();
	/* The base, read meanwhile on another thread, is needed from here on. */
	if (!err && in->base_wait) {
		late = *cfg;
		late_in = *in;
		late_in.base_wait = NULL;
		err = in->base_wait(in->base_ctx, &late.base, &late_in.base_index);
		if (!err && !late.base)
			err = -EINVAL;
		cfg = &late;
		in = &late_in;
		p.cfg = cfg;
		p.in = in;
	}
	st->t_base = now() - t;
	t = now();
	/*
	 * The functions chosen across chunks (pahole 1.26's rules) and the variables
	 * (the per-CPU DATASEC, or every global variable) go onto the merged records as
	 * they are (merge.h, merger__type_by_id()), and the dedup takes them from there.
	 * A libbpf object in between would copy them twice and hash every string (made
	 * modifiable by the first addition): for Debian's mlx5_core.ko under kernel
	 * 6.12's flags, half the peak memory and a fifth of the time.
	 */
	raw_dedup = m.raw_mode && !in->libbpf_dedup;
	if (!err && raw_dedup && (func_select__new_rules(cfg) || cfg->global_vars))
		err = merger__index_raw(&m);
	if (!err && !raw_dedup)
		err = merger__finish_raw(&m);
	if (!err && func_select__new_rules(cfg))
		err = func_select__finish(&m, &p.syms, cfg, elf->path, &st->funcs);
	if (!err)
		err = vars__finish(&m, &p.syms, cfg, elf->path, st);
	if (err)
		goto out;
	if (!func_select__new_rules(cfg))
		st->funcs = m.func_names.cnt;
	st->t_finish = now() - t;
	t = now();
	if (in->libbpf_dedup) {
		err = btf__type_cnt(m.btf) > (cfg->base ? btf__type_cnt(cfg->base) : 1) &&
		      btf__dedup(m.btf, NULL) ? -EINVAL : 0;
		if (err)
			diag__err(cfg->diag, "%s: BTF deduplication failed", elf->path);
	} else if (raw_dedup) {
		struct btf *res;

		m.raw_mode = 0;
		err = dedup_bridge__rawbtf(&m.raw, cfg->base, in->base_index,
					   dedup_bridge__rules(cfg->compat_124), &res, cfg->diag,
					   elf->path);
		if (!err) {
			btf__set_endianness(res, btf__endianness(m.btf));
			btf__free(m.btf);
			m.btf = res;
		}
	} else {
		err = dedup_bridge__btf(&m.btf, cfg->base, in->base_index,
					dedup_bridge__rules(cfg->compat_124), cfg->diag, elf->path);
	}
	if (err)
		goto out;
	st->t_dedup = now() - t;
	*out = m.btf;
	m.btf = NULL;
out:
	btf__free(m.btf);
	merger__free(&m);
	symidx__free(&p.syms);
	free(p.chunks);
	loader__free(p.loader);
	btfload__free(p.bload);
	pthread_mutex_destroy(&p.lock);
	pthread_cond_destroy(&p.cond);
	return err;
}
