// SPDX-License-Identifier: GPL-2.0-only
/* encode_cmd: options -> the library's encoder_job (btf_encoder/encoder.h), --stats lines. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "btf_encoder/encoder.h"

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

/* One input's --stats lines (encoder_job.report: several threads may call it at once). */
static void print_stats(void *ctx, const struct encoder_report *r)
{
	const struct encoder_stats *st = r->stats;

	fprintf(stderr, "%s: units %zu (skipped %zu) in %zu chunks, %u types, %zu funcs, "
		"%zu vars in %zu datasecs, %u bytes\n", r->path, st->units, st->units_skipped,
		st->chunks, r->types, st->funcs, st->vars, st->datasecs, r->bytes);
	if (r->global_vars)
		print_var_stats(r->path, st);
	fprintf(stderr, "%s: time: open %.3fs setup %.3fs load+encode %.3fs (overlapping) "
		"merge %.3fs finish %.3fs base wait %.3fs dedup %.3fs\n", r->path, r->t_open,
		st->t_setup, st->t_encode, st->t_merge, st->t_finish, st->t_base, st->t_dedup);
	if (r->layered)
		fprintf(stderr, "%s: layers: core %u types, extra %u types\n", r->path,
			r->core_types, r->extra_types);
}

int cmd_encode(const struct btfenc_opts *o, const struct diag *diag)
{
	struct encoder_job job = {
		.cfg = {
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
			.compat_124 = o->pahole_compat == PAHOLE_COMPAT_NUMERIC,
			.optimized_funcs = o->features[FEAT_OPTIMIZED_FUNC],
			.decl_tag_kfuncs = o->features[FEAT_DECL_TAG_KFUNCS],
			.attributes = o->features[FEAT_ATTRIBUTES],
			.consistent_funcs = o->features[FEAT_CONSISTENT_FUNC],
			.true_signature = o->features[FEAT_TRUE_SIGNATURE],
			.btf_input = o->btf_input,
			.lang_exclude = o->lang_exclude,
			.nlang_exclude = o->nlang_exclude,
		},
		.inputs = o->inputs,
		.ninputs = o->ninputs,
		.bases = o->bases,
		.nbases = o->nbases,
		.detached = o->detached,
		.extra_detached = o->extra_detached,
		.extra_elf = o->extra_elf,
		.distilled_base = o->features[FEAT_DISTILLED_BASE],
		.layout = o->features[FEAT_LAYOUT],
		.report = o->stats ? print_stats : NULL,
	};
	struct encoder_base_report base;
	int err;

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
	err = check_features(o, diag);
	if (err)
		return err;
	err = encoder__run(&job, &base);
	/* A failure that left no message below (memory, a thread refused) still gets one. */
	if (err && !diag__errors(diag))
		diag__err(diag, "%s: %s", o->ninputs == 1 ? o->inputs[0] : "encoding failed",
			  strerror(-err));
	if (o->stats && base.layers)
		fprintf(stderr, "base: %zu layers, %u types: read+check %.3fs index %.3fs%s\n",
			base.layers, base.types, base.t_read, base.t_index,
			base.beside ? " (beside the encoding)" : "");
	return err;
}
