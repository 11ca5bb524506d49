/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * options: pahole-compatible command line -> one explicit struct btfenc_opts.
 *
 * Options and --btf_features names come from tables in options.c that also
 * generate --help and --supported_btf_features. Order matters as in pahole:
 * the first --btf_features resets every feature to off, so a legacy flag
 * given before it is overridden.
 */
#ifndef BTFENC_OPTIONS_H
#define BTFENC_OPTIONS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * The pahole versions btfenc stands in for; --version reports one of them, and the kernel's
 * scripts (scripts/pahole-version.sh) choose the flags they send from it.
 *  - The default behaviour: the pahole version whose every flag btfenc honours.
 *  - The compatibility behaviour, --pahole_compat=1.24 or BTFENC_PAHOLE_COMPAT=1.24 in the
 *    environment (which reaches btfenc through a kernel build's PAHOLE calls; the option
 *    wins): Debian bookworm's pahole 1.24 with libbpf 1.1.2, for rebuilding the BTF of an
 *    old kernel as it was shipped.
 */
#define PAHOLE_DEFAULT_NUMERIC 131
#define PAHOLE_COMPAT_NUMERIC 124
#define PAHOLE_COMPAT_ENV "BTFENC_PAHOLE_COMPAT"

enum feature {
	FEAT_ENCODE_FORCE,
	FEAT_VAR,
	FEAT_FLOAT,
	FEAT_DECL_TAG,
	FEAT_TYPE_TAG,
	FEAT_ENUM64,
	FEAT_OPTIMIZED_FUNC,
	FEAT_CONSISTENT_FUNC,
	FEAT_DECL_TAG_KFUNCS,
	FEAT_REPRODUCIBLE_BUILD,
	FEAT_DISTILLED_BASE,
	FEAT_GLOBAL_VAR,
	FEAT_ATTRIBUTES,
	FEAT_TRUE_SIGNATURE,
	FEAT_LAYOUT,
	FEAT__MAX,
};

struct btfenc_opts {
	int encode_elf;			/* -J */
	const char *detached;		/* --btf_encode_detached=FILE */
	const char **bases;		/* --btf_base chain, root first */
	size_t nbases;
	int jobs;			/* threads; 1 unless -j */
	int btf_input;			/* -F btf: the compiler's .BTF, not DWARF */
	int features[FEAT__MAX];	/* requested */
	int features_named[FEAT__MAX];	/* requested by name (not via "default") */
	int features_given;		/* some --btf_features seen */
	int features_strict;
	uint32_t lang_exclude[64];
	size_t nlang_exclude;
	int pahole_compat;		/* PAHOLE_COMPAT_NUMERIC in the compatibility behaviour, or 0 */
	int verbose;
	int stats;
	const char *extra_detached;	/* --btf_extra_detached: extra layer, raw */
	const char *extra_elf;		/* --btf_extra_elf: extra layer into an ELF */
	int show_version, show_numeric_version, show_supported, show_help;
	const char **inputs;
	size_t ninputs;
};

/*
 * Parses @argv into @o. Returns 0, or -EINVAL after printing the reason to
 * stderr (the caller exits with pahole's usage status, 64).
 */
int options__parse(int argc, char **argv, struct btfenc_opts *o);
void options__free(struct btfenc_opts *o);

/* The pahole version @o stands in for, as a number (124 for v1.24). */
int options__pahole_version(const struct btfenc_opts *o);

/* Writes the encoder's --help text. */
void options__help(FILE *out);
/* The comma-separated features this build honours (--supported_btf_features). */
void options__supported_features(FILE *out);
/* Name of feature @f. */
const char *options__feature_name(enum feature f);
/* Whether feature @f is implemented (a request for one that is not is an error). */
int options__feature_supported(enum feature f);

#endif
