// SPDX-License-Identifier: GPL-2.0-only
/*
 * dedup_diff: the differential test of btf_dedup/ against libbpf's
 * btf__dedup(). Per seed, random type graphs (dedup_gen.h) are deduplicated
 * by both, standalone and split on a base, and the outputs compared: the
 * error, else the type section and the string section byte for byte.
 *
 * Usage: dedup_diff [--rules=NAME] [--seeds=N] [--first-seed=S]
 *                   [--mode=single|split|both] [--show=N]
 *   --rules   btf_dedup's rule set (btf_dedup/dedup.h): 1.1.2 (none, the
 *             default), identical (DEDUP_RULE_IDENTICAL), typedef
 *             (DEDUP_RULE_TYPEDEF), f7081a6b (DEDUP_RULES_F7081A6B)
 *   --seeds   seeds to run (default 1000), from --first-seed (default 1)
 *   --mode    standalone cases, split cases, or both per seed (default)
 *   --show    mismatches printed with their inputs (default 3); every
 *             mismatch gets a line with its seed
 * Exit: 0 no mismatch, 1 mismatches, 2 usage or setup error.
 *
 * The libbpf is the one linked: Debian's (1.1.2) by default, or the build
 * that `make LIBBPF_DIR=...` names; its version is printed first, with the
 * rule set, so that a log says what was compared with what.
 *
 * Both sides get the same input, replayed through the linked libbpf's
 * btf__add_*(): btf_dedup a standalone BTF (as the encoder gives it), libbpf
 * the same types added to btf__new_empty_split(base) when split. libbpf
 * skips its string pass on a BTF built that way (its strings are unique
 * already: btf_dedup_strings() returns early on strs_deduped), and so does
 * btf_dedup: the string sections keep the order of addition (split: the
 * strings the base lacks), so they are compared as bytes, not canonically.
 * A BTF libbpf parses from bytes would get its strings rebuilt in order of
 * use, unused ones dropped; btf_dedup never sees such input. Headers are not
 * compared: libbpf from commit 87896082 writes 32 bytes (layout fields).
 */
#include <errno.h>
#include <getopt.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/btf.h>

#include "btf_dedup/dedup.h"
#include "btf_reader/typeref.h"
#include "dedup_gen.h"

#ifndef LIBBPF_ORIGIN
#define LIBBPF_ORIGIN "system"
#endif

static const struct {
	const char *name;
	unsigned int rules;
} rule_sets[] = {
	{ "1.1.2", 0 },
	{ "identical", DEDUP_RULE_IDENTICAL },
	{ "typedef", DEDUP_RULE_TYPEDEF },
	{ "f7081a6b", DEDUP_RULES_F7081A6B },
};

struct config {
	unsigned int rules;
	const char *rules_name;
	uint64_t seeds, first_seed;
	bool single, split;
	int show;
};

struct stats {
	long cases, runs, merged, refused, mismatches, hangs;
};

/* One side's result: an error, or a blob (malloc'd). */
struct output {
	int err;
	void *raw;
	size_t size;
};

static int add_members(struct btf *b, const struct gen_type *t, int o)
{
	const struct gen_member *m = t->m;
	int i, err = 0;

	for (i = 0; i < t->vlen && !err; i++, m++) {
		int type = m->type ? (int)m->type + o : 0;

		switch (t->kind) {
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
			err = btf__add_field(b, m->name, type, m->off, m->bits);
			break;
		case BTF_KIND_ENUM:
			err = btf__add_enum_value(b, m->name, m->val);
			break;
		case BTF_KIND_ENUM64:
			err = btf__add_enum64_value(b, m->name, (uint64_t)m->val);
			break;
		case BTF_KIND_FUNC_PROTO:
			err = btf__add_func_param(b, m->name, type);
			break;
		case BTF_KIND_DATASEC:
			err = btf__add_datasec_var_info(b, type, m->off, m->bits);
			break;
		}
	}
	return err;
}

/* Adds @t to @b, its local IDs moved up by @o; returns its ID or a negative errno. */
static int add_type(struct btf *b, const struct gen_type *t, int o)
{
	int type = t->type ? (int)t->type + o : 0, id, err;

	switch (t->kind) {
	case BTF_KIND_INT:
		return btf__add_int(b, t->name, t->size, t->flag);
	case BTF_KIND_FLOAT:
		return btf__add_float(b, t->name, t->size);
	case BTF_KIND_PTR:
		return btf__add_ptr(b, type);
	case BTF_KIND_CONST:
		return btf__add_const(b, type);
	case BTF_KIND_VOLATILE:
		return btf__add_volatile(b, type);
	case BTF_KIND_RESTRICT:
		return btf__add_restrict(b, type);
	case BTF_KIND_TYPEDEF:
		return btf__add_typedef(b, t->name, type);
	case BTF_KIND_TYPE_TAG:
		return btf__add_type_tag(b, t->name, type);
	case BTF_KIND_ARRAY:
		return btf__add_array(b, t->index ? (int)t->index + o : 0, type, t->nelems);
	case BTF_KIND_FWD:
		return btf__add_fwd(b, t->name, t->flag);
	case BTF_KIND_FUNC:
		return btf__add_func(b, t->name, t->flag, type);
	case BTF_KIND_VAR:
		return btf__add_var(b, t->name, t->flag, type);
	case BTF_KIND_DECL_TAG:
		return btf__add_decl_tag(b, t->name, type, t->flag);
	case BTF_KIND_STRUCT:
		id = btf__add_struct(b, t->name, t->size);
		break;
	case BTF_KIND_UNION:
		id = btf__add_union(b, t->name, t->size);
		break;
	case BTF_KIND_ENUM:
		id = btf__add_enum(b, t->name, t->size);
		break;
	case BTF_KIND_ENUM64:
		id = btf__add_enum64(b, t->name, t->size, t->flag);
		break;
	case BTF_KIND_FUNC_PROTO:
		id = btf__add_func_proto(b, type);
		break;
	case BTF_KIND_DATASEC:
		id = btf__add_datasec(b, t->name, t->size);
		break;
	default:
		return -EINVAL;
	}
	if (id < 0)
		return id;
	err = add_members(b, t, o);
	return err ? err : id;
}

/* A new BTF (split on @base if non-NULL) holding @ts; NULL if libbpf refuses a type. */
static struct btf *build(const struct gen_types *ts, struct btf *base)
{
	struct btf *b = base ? btf__new_empty_split(base) : btf__new_empty();
	int o = base ? (int)btf__type_cnt(base) - 1 : 0;
	size_t i;

	for (i = 0; b && i < ts->n; i++) {
		int id = add_type(b, &ts->t[i], o);

		if (id != (int)i + 1 + o) {
			fprintf(stderr, "dedup_diff: libbpf refused generated type [%zu]: %d\n",
				i + 1, id);
			btf__free(b);
			return NULL;
		}
	}
	return b;
}

static void *raw_copy(const struct btf *b, size_t *size)
{
	uint32_t sz;
	const void *raw = btf__raw_data(b, &sz);
	void *copy = raw ? malloc(sz) : NULL;

	if (!copy)
		abort();
	memcpy(copy, raw, sz);
	*size = sz;
	return copy;
}

static const uint8_t *section(const void *raw, uint32_t off)
{
	const struct btf_header *h = raw;

	return (const uint8_t *)raw + h->hdr_len + off;
}

static bool same_section(const void *a, uint32_t a_off, uint32_t a_len, const void *b,
			 uint32_t b_off, uint32_t b_len)
{
	return a_len == b_len && !memcmp(section(a, a_off), section(b, b_off), a_len);
}

static bool same_output(const struct output *ours, const struct output *ref)
{
	const struct btf_header *ho = ours->raw, *hr = ref->raw;

	if (ours->err || ref->err)
		return ours->err == ref->err;
	return same_section(ho, ho->type_off, ho->type_len, hr, hr->type_off, hr->type_len) &&
	       same_section(ho, ho->str_off, ho->str_len, hr, hr->str_off, hr->str_len);
}

static void print_type(const char *who, const struct btf_type *t, size_t len)
{
	const uint32_t *w = (const uint32_t *)t;
	size_t i;

	fprintf(stderr, "    %-7s kind %u vlen %u kflag %u name_off %u:", who, btf_kind(t),
		btf_vlen(t), btf_kflag(t), t->name_off);
	for (i = 0; i < len / 4; i++)
		fprintf(stderr, " %08x", w[i]);
	fprintf(stderr, "\n");
}

/* One line: what differs first (error, type ID with both kinds, or string offset). */
static void describe_diff(const struct output *ours, const struct output *ref, uint32_t start,
			  bool verbose)
{
	const struct btf_header *ho = ours->raw, *hr = ref->raw;
	const uint8_t *po, *pr, *eo, *er;
	uint32_t id = start, i;
	const char *so, *sr;

	if (ours->err || ref->err) {
		fprintf(stderr, "btf_dedup %d, libbpf %d\n", ours->err, ref->err);
		return;
	}
	po = section(ho, ho->type_off);
	pr = section(hr, hr->type_off);
	eo = po + ho->type_len;
	er = pr + hr->type_len;
	for (; po < eo && pr < er; id++) {
		const struct btf_type *to = (const void *)po, *tr = (const void *)pr;
		size_t lo = sizeof(*to) + typeref__extra_size(to);
		size_t lr = sizeof(*tr) + typeref__extra_size(tr);

		if (lo != lr || memcmp(to, tr, lo)) {
			fprintf(stderr, "type [%u] differs: kind %u here, %u in libbpf's "
				"(type_len %u/%u)\n", id, btf_kind(to), btf_kind(tr),
				ho->type_len, hr->type_len);
			if (verbose) {
				print_type("ours", to, lo);
				print_type("libbpf", tr, lr);
			}
			return;
		}
		po += lo;
		pr += lr;
	}
	if (po < eo || pr < er) {
		fprintf(stderr, "type [%u]: %s has no more types (type_len %u/%u)\n", id,
			po < eo ? "libbpf" : "btf_dedup", ho->type_len, hr->type_len);
		return;
	}
	so = (const char *)section(ho, ho->str_off);
	sr = (const char *)section(hr, hr->str_off);
	for (i = 0; i < ho->str_len && i < hr->str_len && so[i] == sr[i]; i++)
		;
	fprintf(stderr, "strings differ at offset %u (str_len %u/%u)\n", i, ho->str_len,
		hr->str_len);
}

/*
 * libbpf's btf__dedup() under a time limit. From libbpf 1.6 (5ee9fbf7) to
 * f7081a6b at least, btf_dedup_identical_types() follows a chain of
 * reference kinds (goto recur) without counting depth, so two typedefs that
 * refer to themselves through a pointer (valid since 37027144) make it loop
 * for ever. btf_dedup ends such a chain after 4096 links ("not identical").
 * Such an input is reported and counted, not compared; the dedup state
 * libbpf was working on is leaked.
 */
static sigjmp_buf dedup_timeout;

static void on_alarm(int sig)
{
	siglongjmp(dedup_timeout, 1);
}

static int libbpf_dedup(struct btf *btf, bool *hung)
{
	struct itimerval limit = { .it_value = { .tv_sec = 2 } }, off = {};
	int err;

	*hung = false;
	if (sigsetjmp(dedup_timeout, 1)) {
		*hung = true;
		return -ETIME;
	}
	signal(SIGALRM, on_alarm);
	setitimer(ITIMER_REAL, &limit, NULL);
	err = btf__dedup(btf, NULL);
	setitimer(ITIMER_REAL, &off, NULL);
	return err;
}

struct base {
	struct btf *btf;		/* libbpf's */
	void *raw;			/* btf_dedup's: a copy of its bytes */
	size_t size;
	struct dedup_base *index;
};

/*
 * libbpf's and btf_dedup's dedup of @in (split on @b if non-NULL): 0 the
 * same, 1 a mismatch (printed), -EINVAL if libbpf refused to build @in.
 */
static int compare_one(const struct config *cfg, struct base *b, const struct gen_types *in,
			struct stats *st, const char *label, bool show)
{
	struct dedup_opts opts = { .rules = cfg->rules };
	struct output ours = {}, ref = {};
	struct btf *mine = build(in, NULL), *theirs = build(in, b ? b->btf : NULL);
	uint32_t start = b ? btf__type_cnt(b->btf) : 1;
	size_t in_size;
	void *raw;
	bool same, hung;

	if (!mine || !theirs) {
		btf__free(mine);
		btf__free(theirs);
		return -EINVAL;
	}
	raw = raw_copy(mine, &in_size);
	ref.err = libbpf_dedup(theirs, &hung);
	if (hung) {
		st->hangs++;
		fprintf(stderr, "LIBBPF HANG %s: btf__dedup() did not return in 2 s\n", label);
		if (show)
			gen__print(stderr, in);
		free(raw);
		btf__free(mine);
		return 0;	/* @theirs leaked: libbpf was inside it */
	}
	if (!ref.err)
		ref.raw = raw_copy(theirs, &ref.size);
	ours.err = dedup__run_opts(b ? b->index : NULL, raw, in_size, &opts, &ours.raw,
				   &ours.size);
	same = same_output(&ours, &ref);
	st->runs++;
	st->refused += ref.err != 0;
	st->merged += !ref.err && btf__type_cnt(theirs) - start < in->n;
	if (!same) {
		st->mismatches++;
		fprintf(stderr, "MISMATCH %s: ", label);
		describe_diff(&ours, &ref, start, show);
		if (show) {
			fprintf(stderr, "  input (local IDs):\n");
			gen__print(stderr, in);
		}
	}
	free(ours.raw);
	free(ref.raw);
	free(raw);
	btf__free(theirs);
	btf__free(mine);
	return same ? 0 : 1;
}

/* The base of @c for both sides, deduplicated first if the case says so (and both can). */
static int base_init(const struct config *cfg, const struct gen_case *c, struct base *b)
{
	bool hung;

	b->btf = build(&c->base, NULL);
	if (!b->btf)
		return -EINVAL;
	if (c->dedup_base && libbpf_dedup(b->btf, &hung)) {
		if (!hung)
			btf__free(b->btf);	/* refused (a typedef loop): used as it is */
		b->btf = build(&c->base, NULL);
		if (!b->btf)
			return -EINVAL;
	}
	b->raw = raw_copy(b->btf, &b->size);
	b->index = dedup_base__new_mt(b->raw, b->size, 1, cfg->rules);
	return b->index ? 0 : -errno;
}

static void base_fini(struct base *b)
{
	dedup_base__free(b->index);
	free(b->raw);
	btf__free(b->btf);
}

static int run_single(const struct config *cfg, uint64_t seed, struct stats *st)
{
	struct gen_case c = {};
	char label[64];
	bool show = st->mismatches < cfg->show;
	int err;

	gen__case(seed, false, &c);
	snprintf(label, sizeof(label), "seed %llu single", (unsigned long long)seed);
	st->cases++;
	err = compare_one(cfg, NULL, &c.in[0], st, label, show);
	gen__case_free(&c);
	return err < 0 ? err : 0;
}

/* The base (itself compared as a standalone input when deduplicated), then each input. */
static int run_split(const struct config *cfg, uint64_t seed, struct stats *st)
{
	long mismatches = st->mismatches;
	bool show = mismatches < cfg->show;
	struct gen_case c = {};
	struct base b = {};
	char label[96];
	int i, err = 0;

	gen__case(seed, true, &c);
	st->cases++;
	if (c.dedup_base) {
		snprintf(label, sizeof(label), "seed %llu split base", (unsigned long long)seed);
		err = compare_one(cfg, NULL, &c.base, st, label, show);
	}
	if (err >= 0)
		err = base_init(cfg, &c, &b);
	for (i = 0; err >= 0 && i < c.nr_inputs; i++) {
		snprintf(label, sizeof(label), "seed %llu split input %d%s",
			 (unsigned long long)seed, i, c.dedup_base ? " (base deduplicated)" : "");
		err = compare_one(cfg, &b, &c.in[i], st, label, show);
	}
	err = err < 0 ? err : 0;
	if (!err && show && st->mismatches > mismatches) {
		fprintf(stderr, "  base (local IDs)%s:\n",
			c.dedup_base ? ", deduplicated by libbpf first" : "");
		gen__print(stderr, &c.base);
	}
	base_fini(&b);
	gen__case_free(&c);
	if (err)
		fprintf(stderr, "dedup_diff: seed %llu split: %s\n", (unsigned long long)seed,
			strerror(-err));
	return err;
}

static int quiet_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: dedup_diff [--rules=1.1.2|identical|typedef|f7081a6b] "
		"[--seeds=N] [--first-seed=S] [--mode=single|split|both] [--show=N]\n");
	return 2;
}

static int parse_args(int argc, char **argv, struct config *cfg)
{
	static const struct option longopts[] = {
		{ "rules", required_argument, NULL, 'r' },
		{ "seeds", required_argument, NULL, 'n' },
		{ "first-seed", required_argument, NULL, 'f' },
		{ "mode", required_argument, NULL, 'm' },
		{ "show", required_argument, NULL, 's' },
		{}
	};
	size_t i;
	int c;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			for (i = 0; i < sizeof(rule_sets) / sizeof(rule_sets[0]); i++)
				if (!strcmp(optarg, rule_sets[i].name))
					break;
			if (i == sizeof(rule_sets) / sizeof(rule_sets[0]))
				return -EINVAL;
			cfg->rules = rule_sets[i].rules;
			cfg->rules_name = rule_sets[i].name;
			break;
		case 'n':
			cfg->seeds = strtoull(optarg, NULL, 0);
			break;
		case 'f':
			cfg->first_seed = strtoull(optarg, NULL, 0);
			break;
		case 'm':
			cfg->single = strcmp(optarg, "split");
			cfg->split = strcmp(optarg, "single");
			if (!cfg->single && !cfg->split)
				return -EINVAL;
			break;
		case 's':
			cfg->show = atoi(optarg);
			break;
		default:
			return -EINVAL;
		}
	}
	return optind == argc ? 0 : -EINVAL;
}

static void print_stats(const char *what, const struct stats *st)
{
	printf("dedup_diff: %s: %ld seeds, %ld dedups (%ld merged types, %ld refused by "
	       "libbpf), %ld mismatches, %ld libbpf hangs\n", what, st->cases, st->runs,
	       st->merged, st->refused, st->mismatches, st->hangs);
}

int main(int argc, char **argv)
{
	struct config cfg = { .rules_name = "1.1.2", .seeds = 1000, .first_seed = 1,
			      .single = true, .split = true, .show = 3 };
	struct stats single = {}, split = {};
	uint64_t seed;
	int err = 0;

	if (parse_args(argc, argv, &cfg))
		return usage();
	libbpf_set_print(quiet_print);
	printf("dedup_diff: libbpf %u.%u (%s) against btf_dedup's rules %s, seeds %llu..%llu\n",
	       libbpf_major_version(), libbpf_minor_version(), LIBBPF_ORIGIN, cfg.rules_name,
	       (unsigned long long)cfg.first_seed,
	       (unsigned long long)(cfg.first_seed + cfg.seeds - 1));
	fflush(stdout);
	for (seed = cfg.first_seed; !err && seed < cfg.first_seed + cfg.seeds; seed++) {
		if (cfg.single)
			err = run_single(&cfg, seed, &single);
		if (!err && cfg.split)
			err = run_split(&cfg, seed, &split);
	}
	if (cfg.single)
		print_stats("single", &single);
	if (cfg.split)
		print_stats("split", &split);
	if (err)
		return 2;
	return single.mismatches || split.mismatches ? 1 : 0;
}
