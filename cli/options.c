// SPDX-License-Identifier: GPL-2.0-only
/* options: the option and feature tables, and the parser built from them. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "options.h"
#include "dwarf_loader/loader.h"

struct feature_def {
	const char *name;
	int in_default;		/* part of "default" (pahole 1.31's set) */
	int supported;		/* honoured by this build */
	const char *help;
};

static const struct feature_def features[FEAT__MAX] = {
	[FEAT_ENCODE_FORCE] = { "encode_force", 1, 1, "skip invalid symbols instead of failing" },
	[FEAT_VAR] = { "var", 1, 1, "per-CPU variables: VAR and DATASEC .data..percpu" },
	[FEAT_FLOAT] = { "float", 1, 1, "FLOAT kind (otherwise floats are INT)" },
	[FEAT_DECL_TAG] = { "decl_tag", 1, 1, "DECL_TAG from btf_decl_tag annotations" },
	[FEAT_TYPE_TAG] = { "type_tag", 1, 1, "TYPE_TAG from btf_type_tag annotations" },
	[FEAT_ENUM64] = { "enum64", 1, 1, "ENUM64 for enums wider than 32 bits" },
	[FEAT_OPTIMIZED_FUNC] = { "optimized_func", 1, 1, "match foo.isra.0 symbols to foo" },
	[FEAT_CONSISTENT_FUNC] = { "consistent_func", 1, 1,
				   "drop functions with inconsistent prototypes" },
	[FEAT_DECL_TAG_KFUNCS] = { "decl_tag_kfuncs", 1, 1, "bpf_kfunc DECL_TAGs from .BTF_ids" },
	[FEAT_REPRODUCIBLE_BUILD] = { "reproducible_build", 0, 1,
				      "same output for every -j (always the case)" },
	[FEAT_DISTILLED_BASE] = { "distilled_base", 0, 1,
				  "-J on split output: .BTF split on a distilled base in .BTF.base" },
	[FEAT_GLOBAL_VAR] = { "global_var", 0, 1,
			      "VARs for every file-scope variable, one DATASEC per ELF section" },
	[FEAT_ATTRIBUTES] = { "attributes", 0, 1,
			      "address_space(1) type attributes on arena kfuncs' pointers" },
	[FEAT_TRUE_SIGNATURE] = { "true_signature", 0, 1,
				  "FUNCs of foo.isra.0 clones under their own name and signature" },
	[FEAT_LAYOUT] = { "layout", 0, 1, "base BTF: the kind layout section, 32-byte header" },
};

enum {
	OPT_DETACHED = 256,
	OPT_BASE,
	OPT_GEN_FLOATS,
	OPT_GEN_ALL,
	OPT_SKIP_VARS,
	OPT_ALL_VARS,
	OPT_SKIP_DECL_TAG,
	OPT_SKIP_TYPE_TAG,
	OPT_SKIP_ENUM64,
	OPT_FORCE,
	OPT_LANG_EXCLUDE,
	OPT_FEATURES,
	OPT_FEATURES_STRICT,
	OPT_SUPPORTED,
	OPT_VERSION,
	OPT_NUMERIC_VERSION,
	OPT_INCONSISTENT_PROTO,
	OPT_GEN_OPTIMIZED,
	OPT_REPRODUCIBLE,
	OPT_STATS,
	OPT_EXTRA_DETACHED,
	OPT_EXTRA_ELF,
	OPT_PAHOLE_COMPAT,
};

struct option_def {
	struct option lo;
	const char *arg;	/* placeholder in --help, NULL if none */
	const char *help;
};

static const struct option_def option_defs[] = {
	{ { "btf_encode", no_argument, NULL, 'J' }, NULL,
	  "encode BTF into the input ELF's .BTF section (replaced atomically)" },
	{ { "btf_encode_detached", required_argument, NULL, OPT_DETACHED }, "FILE",
	  "write raw BTF to FILE instead; the input is left untouched" },
	{ { "btf_base", required_argument, NULL, OPT_BASE }, "PATH[,PATH...]",
	  "base BTF (raw, ELF .BTF or /sys/kernel/btf/*); repeated or a comma list: a chain, "
	  "root first; the output is split BTF on it" },
	{ { "format_path", required_argument, NULL, 'F' }, "dwarf|btf",
	  "what to read from the input: its DWARF (default), or the .BTF its compiler "
	  "wrote per object (gcc -gbtf), merged and deduplicated" },
	{ { "jobs", optional_argument, NULL, 'j' }, "[N]",
	  "N threads (attached: -j4, --jobs=4); bare -j: all online CPUs" },
	{ { "btf_gen_floats", no_argument, NULL, OPT_GEN_FLOATS }, NULL,
	  "encode floating-point types as FLOAT" },
	{ { "btf_gen_all", no_argument, NULL, OPT_GEN_ALL }, NULL,
	  "all optional encodings (floats); see BUGS for pahole >= 1.27" },
	{ { "skip_encoding_btf_vars", no_argument, NULL, OPT_SKIP_VARS }, NULL,
	  "no VAR or DATASEC" },
	{ { "encode_all_btf_vars", no_argument, NULL, OPT_ALL_VARS }, NULL,
	  "VARs for every file-scope variable, not only per-CPU ones (= feature global_var)" },
	{ { "skip_encoding_btf_decl_tag", no_argument, NULL, OPT_SKIP_DECL_TAG }, NULL,
	  "no DECL_TAG" },
	{ { "skip_encoding_btf_type_tag", no_argument, NULL, OPT_SKIP_TYPE_TAG }, NULL,
	  "no TYPE_TAG" },
	{ { "skip_encoding_btf_enum64", no_argument, NULL, OPT_SKIP_ENUM64 }, NULL,
	  "64-bit enums as ENUM, values truncated to 32 bits" },
	{ { "btf_encode_force", no_argument, NULL, OPT_FORCE }, NULL,
	  "skip symbols with invalid names and void-typed variables instead of failing" },
	{ { "lang_exclude", required_argument, NULL, OPT_LANG_EXCLUDE }, "L1,L2",
	  "skip compile units of these languages (pahole's names: c89, c++, rust, ...)" },
	{ { "btf_features", required_argument, NULL, OPT_FEATURES }, "LIST",
	  "features to encode: names, default, all, +name (default plus), -name (default minus)" },
	{ { "btf_features_strict", required_argument, NULL, OPT_FEATURES_STRICT }, "LIST",
	  "as --btf_features, but an unknown name is an error" },
	{ { "supported_btf_features", no_argument, NULL, OPT_SUPPORTED }, NULL,
	  "print the features this build honours and exit" },
	{ { "skip_encoding_btf_inconsistent_proto", no_argument, NULL, OPT_INCONSISTENT_PROTO },
	  NULL, "same as feature consistent_func" },
	{ { "btf_gen_optimized", no_argument, NULL, OPT_GEN_OPTIMIZED }, NULL,
	  "same as feature optimized_func" },
	{ { "reproducible_build", no_argument, NULL, OPT_REPRODUCIBLE }, NULL,
	  "accepted; output is always the same for every -j" },
	{ { "verbose", no_argument, NULL, 'V' }, NULL, "more messages (twice: debug)" },
	{ { "btf_extra_detached", required_argument, NULL, OPT_EXTRA_DETACHED }, "FILE",
	  "layers: all variables, the per-CPU ones in the main output, every other one in an "
	  "extra layer split on it, written to FILE (raw)" },
	{ { "btf_extra_elf", required_argument, NULL, OPT_EXTRA_ELF }, "ELF",
	  "the same, the extra layer written into ELF's .BTF section" },
	{ { "stats", no_argument, NULL, OPT_STATS }, NULL, "print counts and per-phase times" },
	{ { "pahole_compat", required_argument, NULL, OPT_PAHOLE_COMPAT }, "1.24",
	  "behave as pahole 1.24 with libbpf 1.1.2 and report v1.24 "
	  "(also " PAHOLE_COMPAT_ENV "=1.24)" },
	{ { "version", no_argument, NULL, OPT_VERSION }, NULL,
	  "print the pahole version btfenc stands in for" },
	{ { "numeric_version", no_argument, NULL, OPT_NUMERIC_VERSION }, NULL,
	  "the same as a number" },
	{ { "help", no_argument, NULL, 'h' }, NULL, "this text" },
};

#define NOPTS (sizeof(option_defs) / sizeof(option_defs[0]))

const char *options__feature_name(enum feature f)
{
	return features[f].name;
}

int options__feature_supported(enum feature f)
{
	return features[f].supported;
}

void options__supported_features(FILE *out)
{
	int i, first = 1;

	for (i = 0; i < FEAT__MAX; i++) {
		if (!features[i].supported)
			continue;
		fprintf(out, "%s%s", first ? "" : ",", features[i].name);
		first = 0;
	}
	fputc('\n', out);
}

void options__help(FILE *out)
{
	size_t i;
	int f;

	fprintf(out, "Usage: btfenc [OPTION...] FILE...\n"
		"       btfenc dump [--format=canonical|raw|c|layout] [--btf_base=PATH] FILE\n"
		"       btfenc diff A B | stats FILE | verify [--kernel] FILE  (see btfenc(1))\n"
		"Encode the DWARF of ELF files as BTF, a drop-in for pahole -J (btfenc %s).\n\n",
		BTFENC_VERSION);
	for (i = 0; i < NOPTS; i++) {
		const struct option_def *d = &option_defs[i];
		char left[64];
		int isshort = d->lo.val < 256;

		snprintf(left, sizeof(left), "%c%c%s--%s%s%s", isshort ? '-' : ' ',
			 isshort ? d->lo.val : ' ', isshort ? ", " : "  ", d->lo.name,
			 d->arg ? (d->lo.has_arg == optional_argument ? "" : "=") : "",
			 d->arg ? d->arg : "");
		fprintf(out, "  %-36s %s\n", left, d->help);
	}
	fprintf(out, "\nFeatures for --btf_features (* = in default):\n");
	for (f = 0; f < FEAT__MAX; f++)
		fprintf(out, "  %-20s %s %s%s\n", features[f].name, features[f].in_default ? "*" : " ",
			features[f].help, features[f].supported ? "" : " (not supported yet)");
	fprintf(out, "\nSee btfenc(1).\n");
}

/* pahole's defaults without --btf_features: vars, decl_tag, type_tag, enum64. */
static void set_legacy_defaults(struct btfenc_opts *o)
{
	memset(o->features, 0, sizeof(o->features));
	o->features[FEAT_VAR] = 1;
	o->features[FEAT_DECL_TAG] = 1;
	o->features[FEAT_TYPE_TAG] = 1;
	o->features[FEAT_ENUM64] = 1;
	o->features[FEAT_REPRODUCIBLE_BUILD] = 1;
}

static void set_default_features(struct btfenc_opts *o, int on)
{
	int f;

	for (f = 0; f < FEAT__MAX; f++)
		if (features[f].in_default)
			o->features[f] = on;
}

static int find_feature(const char *name)
{
	int f;

	for (f = 0; f < FEAT__MAX; f++)
		if (!strcmp(features[f].name, name))
			return f;
	return -1;
}

static int parse_features(struct btfenc_opts *o, const char *list, int strict)
{
	char *copy = strdup(list), *tok, *save = NULL;
	int err = 0;

	if (!copy)
		return -ENOMEM;
	if (!o->features_given) {
		/* The first --btf_features starts from nothing, as in pahole. */
		memset(o->features, 0, sizeof(o->features));
		o->features[FEAT_REPRODUCIBLE_BUILD] = 1;
		o->features_given = 1;
	}
	o->features_strict |= strict;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int on = 1, f;

		if (*tok == '+' || *tok == '-') {
			on = *tok == '+';
			set_default_features(o, 1);
			tok++;
		}
		if (!strcmp(tok, "default") || !strcmp(tok, "all")) {
			set_default_features(o, 1);
			continue;
		}
		f = find_feature(tok);
		if (f < 0) {
			if (strict) {
				fprintf(stderr, "btfenc: unknown BTF feature '%s' "
					"(see --supported_btf_features)\n", tok);
				err = -EINVAL;
				break;
			}
			fprintf(stderr, "btfenc: warning: unknown BTF feature '%s' ignored\n", tok);
			continue;
		}
		o->features[f] = on;
		o->features_named[f] = on;
	}
	free(copy);
	return err;
}

static int add_list(const char ***arr, size_t *n, const char *list)
{
	char *copy = strdup(list), *tok, *save = NULL;
	const char **p;
	char *item;

	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		p = realloc(*arr, (*n + 1) * sizeof(**arr));
		item = p ? strdup(tok) : NULL;
		if (p)
			*arr = p;
		if (!item) {
			free(copy);
			return -ENOMEM;
		}
		(*arr)[(*n)++] = item;
	}
	free(copy);
	return 0;
}

static int parse_langs(struct btfenc_opts *o, const char *list)
{
	char *copy = strdup(list), *tok, *save = NULL;
	int err = 0;

	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		uint32_t code = loader__lang_code(tok);

		if (!code) {
			fprintf(stderr, "btfenc: unknown language '%s' in --lang_exclude\n", tok);
			err = -EINVAL;
			break;
		}
		if (o->nlang_exclude < sizeof(o->lang_exclude) / sizeof(o->lang_exclude[0]))
			o->lang_exclude[o->nlang_exclude++] = code;
	}
	free(copy);
	return err;
}

/* "1.24" (or "v1.24"): the compatibility behaviour; @from names the source for errors. */
static int parse_compat(struct btfenc_opts *o, const char *arg, const char *from)
{
	if (*arg == 'v')
		arg++;
	if (strcmp(arg, "1.24")) {
		fprintf(stderr, "btfenc: %s: unsupported pahole compatibility '%s' (known: 1.24)\n",
			from, arg);
		return -EINVAL;
	}
	o->pahole_compat = PAHOLE_COMPAT_NUMERIC;
	return 0;
}

int options__pahole_version(const struct btfenc_opts *o)
{
	return o->pahole_compat ? o->pahole_compat : PAHOLE_DEFAULT_NUMERIC;
}

static int parse_jobs(struct btfenc_opts *o, const char *arg)
{
	char *end;
	long n;

	if (!arg) {
		n = sysconf(_SC_NPROCESSORS_ONLN);
		o->jobs = n > 0 ? (int)n : 1;
		return 0;
	}
	n = strtol(arg, &end, 10);
	if (*end || n < 1 || n > 1024) {
		fprintf(stderr, "btfenc: invalid number of jobs '%s'\n", arg);
		return -EINVAL;
	}
	o->jobs = (int)n;
	return 0;
}

static int handle(struct btfenc_opts *o, int c, const char *arg)
{
	switch (c) {
	case 'J':
		o->encode_elf = 1;
		return 0;
	case OPT_DETACHED:
		o->detached = arg;
		return 0;
	case OPT_BASE:
		return add_list(&o->bases, &o->nbases, arg);
	case 'j':
		return parse_jobs(o, arg);
	case 'F':
		/* pahole's -F takes a list of loaders to try in turn; btfenc one of two. */
		if (strcmp(arg, "dwarf") && strcmp(arg, "btf")) {
			fprintf(stderr, "btfenc: -F/--format_path: '%s': dwarf or btf\n", arg);
			return -EINVAL;
		}
		o->btf_input = !strcmp(arg, "btf");
		return 0;
	case OPT_GEN_FLOATS:
		o->features[FEAT_FLOAT] = 1;
		return 0;
	case OPT_GEN_ALL:
		/* pahole <= 1.26 meaning: every optional encoding on. */
		o->features[FEAT_FLOAT] = 1;
		return 0;
	case OPT_SKIP_VARS:
		o->features[FEAT_VAR] = 0;
		o->features[FEAT_GLOBAL_VAR] = 0;
		return 0;
	case OPT_ALL_VARS:
		o->features[FEAT_GLOBAL_VAR] = 1;
		o->features_named[FEAT_GLOBAL_VAR] = 1;
		return 0;
	case OPT_SKIP_DECL_TAG:
		o->features[FEAT_DECL_TAG] = 0;
		return 0;
	case OPT_SKIP_TYPE_TAG:
		o->features[FEAT_TYPE_TAG] = 0;
		return 0;
	case OPT_SKIP_ENUM64:
		o->features[FEAT_ENUM64] = 0;
		return 0;
	case OPT_FORCE:
		o->features[FEAT_ENCODE_FORCE] = 1;
		return 0;
	case OPT_LANG_EXCLUDE:
		return parse_langs(o, arg);
	case OPT_FEATURES:
		return parse_features(o, arg, 0);
	case OPT_FEATURES_STRICT:
		return parse_features(o, arg, 1);
	case OPT_SUPPORTED:
		o->show_supported = 1;
		return 0;
	case OPT_INCONSISTENT_PROTO:
		o->features[FEAT_CONSISTENT_FUNC] = 1;
		o->features_named[FEAT_CONSISTENT_FUNC] = 1;
		return 0;
	case OPT_GEN_OPTIMIZED:
		o->features[FEAT_OPTIMIZED_FUNC] = 1;
		o->features_named[FEAT_OPTIMIZED_FUNC] = 1;
		return 0;
	case OPT_REPRODUCIBLE:
		return 0;
	case 'V':
		o->verbose++;
		return 0;
	case OPT_EXTRA_DETACHED:
		o->extra_detached = arg;
		return 0;
	case OPT_EXTRA_ELF:
		o->extra_elf = arg;
		return 0;
	case OPT_STATS:
		o->stats = 1;
		return 0;
	case OPT_PAHOLE_COMPAT:
		return parse_compat(o, arg, "--pahole_compat");
	case OPT_VERSION:
		o->show_version = 1;
		return 0;
	case OPT_NUMERIC_VERSION:
		o->show_numeric_version = 1;
		return 0;
	case 'h':
		o->show_help = 1;
		return 0;
	default:
		return -EINVAL;
	}
}

int options__parse(int argc, char **argv, struct btfenc_opts *o)
{
	const char *compat = getenv(PAHOLE_COMPAT_ENV);
	struct option longopts[NOPTS + 1];
	size_t i;
	int c, err;

	memset(o, 0, sizeof(*o));
	o->jobs = 1;
	set_legacy_defaults(o);
	/* The environment first: --pahole_compat, parsed after it, wins. */
	if (compat && *compat && parse_compat(o, compat, PAHOLE_COMPAT_ENV))
		return -EINVAL;
	for (i = 0; i < NOPTS; i++)
		longopts[i] = option_defs[i].lo;
	memset(&longopts[NOPTS], 0, sizeof(longopts[NOPTS]));
	optind = 1;
	opterr = 1;
	while ((c = getopt_long(argc, argv, "JF:j::Vh", longopts, NULL)) != -1) {
		if (c == '?' || c == ':') {
			fprintf(stderr, "Try 'btfenc --help' for more information.\n");
			return -EINVAL;
		}
		err = handle(o, c, optarg);
		if (err == -ENOMEM)	/* the other errors were explained where found */
			fprintf(stderr, "btfenc: %s\n", strerror(ENOMEM));
		if (err)
			return err;
	}
	for (; optind < argc; optind++) {
		const char **p = realloc(o->inputs, (o->ninputs + 1) * sizeof(*p));

		if (!p) {
			fprintf(stderr, "btfenc: %s\n", strerror(ENOMEM));
			return -ENOMEM;
		}
		o->inputs = p;
		o->inputs[o->ninputs++] = argv[optind];
	}
	return 0;
}

void options__free(struct btfenc_opts *o)
{
	size_t i;

	for (i = 0; i < o->nbases; i++)
		free((char *)o->bases[i]);
	free(o->bases);
	free(o->inputs);
	memset(o, 0, sizeof(*o));
}
