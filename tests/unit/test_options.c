// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests: cli/options — pahole's flag forms, feature rules, man page coverage. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "cli/options.h"

/* What the last parse() printed on stderr (the option parser's messages), for assertions. */
static char said[1024];

/*
 * Parses the arguments after "btfenc" with stderr captured into said[]: an expected
 * error is asserted on rather than printed among the results, where it would look like
 * a failure.
 */
static int parse(struct btfenc_opts *o, const char *first, ...)
{
	char *argv[32];
	int argc = 0, err, saved;
	const char *a;
	FILE *capture = tmpfile();
	size_t n = 0;
	va_list ap;

	argv[argc++] = "btfenc";
	va_start(ap, first);
	for (a = first; a; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;
	assert_non_null(capture);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	assert_true(saved >= 0 && dup2(fileno(capture), STDERR_FILENO) >= 0);
	err = options__parse(argc, argv, o);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(capture);
	n = fread(said, 1, sizeof(said) - 1, capture);
	said[n] = '\0';
	fclose(capture);
	return err;
}

/* The last parse() printed @line (a whole line, "btfenc: " and all). */
static void assert_said(const char *line)
{
	char want[512];

	snprintf(want, sizeof(want), "%s\n", line);
	if (!strstr(said, want))
		fail_msg("expected on stderr: %s\ngot: %s", line, said);
}

static void jobs_forms_as_argp(void **state)
{
	struct btfenc_opts o;

	assert_int_equal(parse(&o, "-j4", "f", NULL), 0);
	assert_int_equal(o.jobs, 4);
	assert_int_equal(o.ninputs, 1);
	options__free(&o);
	assert_int_equal(parse(&o, "--jobs=3", "f", NULL), 0);
	assert_int_equal(o.jobs, 3);
	options__free(&o);
	/* "-j 4": the 4 is an input file, as with pahole's argp. */
	assert_int_equal(parse(&o, "-j", "4", "f", NULL), 0);
	assert_true(o.jobs >= 1);
	assert_int_equal(o.ninputs, 2);
	assert_string_equal(o.inputs[0], "4");
	options__free(&o);
	assert_int_equal(parse(&o, "-j0", "f", NULL), -EINVAL);
	assert_said("btfenc: invalid number of jobs '0'");
	options__free(&o);
}

static void legacy_defaults_are_pahole_124(void **state)
{
	struct btfenc_opts o;

	assert_int_equal(parse(&o, "-J", "f", NULL), 0);
	assert_true(o.features[FEAT_VAR] && o.features[FEAT_DECL_TAG] &&
		    o.features[FEAT_TYPE_TAG] && o.features[FEAT_ENUM64]);
	assert_false(o.features[FEAT_FLOAT] || o.features[FEAT_ENCODE_FORCE]);
	options__free(&o);
	assert_int_equal(parse(&o, "--btf_gen_floats", "--skip_encoding_btf_vars",
			       "--skip_encoding_btf_enum64", "f", NULL), 0);
	assert_true(o.features[FEAT_FLOAT]);
	assert_false(o.features[FEAT_VAR] || o.features[FEAT_ENUM64]);
	options__free(&o);
}

static void btf_features_reset_then_add(void **state)
{
	struct btfenc_opts o;

	/* A legacy flag before the first --btf_features is overridden (pahole's rule). */
	assert_int_equal(parse(&o, "--btf_gen_floats", "--btf_features=var", "f", NULL), 0);
	assert_false(o.features[FEAT_FLOAT]);
	assert_true(o.features[FEAT_VAR]);
	assert_false(o.features[FEAT_DECL_TAG]);
	options__free(&o);
	assert_int_equal(parse(&o, "--btf_features=default", "f", NULL), 0);
	assert_true(o.features[FEAT_FLOAT] && o.features[FEAT_CONSISTENT_FUNC]);
	assert_false(o.features[FEAT_GLOBAL_VAR]);
	options__free(&o);
	assert_int_equal(parse(&o, "--btf_features=+global_var", "f", NULL), 0);
	assert_true(o.features[FEAT_GLOBAL_VAR] && o.features[FEAT_FLOAT]);
	options__free(&o);
	assert_int_equal(parse(&o, "--btf_features=-float", "f", NULL), 0);
	assert_false(o.features[FEAT_FLOAT]);
	assert_true(o.features[FEAT_VAR]);
	options__free(&o);
	assert_int_equal(parse(&o, "--btf_features=nonsense", "f", NULL), 0);
	assert_said("btfenc: warning: unknown BTF feature 'nonsense' ignored");
	options__free(&o);
	assert_int_equal(parse(&o, "--btf_features_strict=nonsense", "f", NULL), -EINVAL);
	assert_said("btfenc: unknown BTF feature 'nonsense' (see --supported_btf_features)");
	options__free(&o);
}

static void base_chain_accumulates(void **state)
{
	struct btfenc_opts o;

	assert_int_equal(parse(&o, "--btf_base", "a.btf", "--btf_base=b.btf,c.btf", "f", NULL), 0);
	assert_int_equal(o.nbases, 3);
	assert_string_equal(o.bases[0], "a.btf");
	assert_string_equal(o.bases[2], "c.btf");
	options__free(&o);
}

static void languages_by_pahole_name(void **state)
{
	struct btfenc_opts o;

	assert_int_equal(parse(&o, "--lang_exclude=rust,c++14", "f", NULL), 0);
	assert_int_equal(o.nlang_exclude, 2);
	options__free(&o);
	assert_int_equal(parse(&o, "--lang_exclude=klingon", "f", NULL), -EINVAL);
	assert_said("btfenc: unknown language 'klingon' in --lang_exclude");
	options__free(&o);
}

/* --pahole_compat and BTFENC_PAHOLE_COMPAT: the option wins, a bad value is an error. */
static void pahole_compat_option_and_environment(void **state)
{
	struct btfenc_opts o;

	unsetenv(PAHOLE_COMPAT_ENV);
	assert_int_equal(parse(&o, "f", NULL), 0);
	assert_int_equal(o.pahole_compat, 0);
	assert_int_equal(options__pahole_version(&o), PAHOLE_DEFAULT_NUMERIC);
	options__free(&o);
	assert_int_equal(parse(&o, "--pahole_compat=v1.24", "f", NULL), 0);
	assert_int_equal(options__pahole_version(&o), 124);
	options__free(&o);
	assert_int_equal(parse(&o, "--pahole_compat=1.31", "f", NULL), -EINVAL);
	assert_said("btfenc: --pahole_compat: unsupported pahole compatibility '1.31' "
		    "(known: 1.24)");
	options__free(&o);
	setenv(PAHOLE_COMPAT_ENV, "1.24", 1);
	assert_int_equal(parse(&o, "f", NULL), 0);
	assert_int_equal(o.pahole_compat, 124);
	options__free(&o);
	setenv(PAHOLE_COMPAT_ENV, "1.2", 1);
	assert_int_equal(parse(&o, "f", NULL), -EINVAL);
	assert_said("btfenc: BTFENC_PAHOLE_COMPAT: unsupported pahole compatibility '1.2' "
		    "(known: 1.24)");
	options__free(&o);
	/* A bad environment value is an error even with the option: it names a mistake. */
	assert_int_equal(parse(&o, "--pahole_compat=1.24", "f", NULL), -EINVAL);
	assert_said("btfenc: BTFENC_PAHOLE_COMPAT: unsupported pahole compatibility '1.2' "
		    "(known: 1.24)");
	options__free(&o);
	setenv(PAHOLE_COMPAT_ENV, "", 1);
	assert_int_equal(parse(&o, "f", NULL), 0);
	assert_int_equal(o.pahole_compat, 0);
	options__free(&o);
	unsetenv(PAHOLE_COMPAT_ENV);
}

/* Every option in --help appears in the man page. */
static void man_page_covers_options(void **state)
{
	char *help = NULL, *man = NULL, *line, *save = NULL;
	size_t hn = 0, mn = 0;
	FILE *h = open_memstream(&help, &hn), *m;
	int missing = 0;

	options__help(h);
	fclose(h);
	m = fopen("man/btfenc.1", "r");
	assert_non_null(m);
	man = calloc(1, 1 << 20);
	mn = fread(man, 1, (1 << 20) - 1, m);
	fclose(m);
	assert_true(mn > 0);
	for (line = strtok_r(help, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *dd = strstr(line, "--"), name[64];
		size_t k = 0;

		if (!dd || line[0] != ' ')
			continue;
		dd += 2;
		while (dd[k] && (dd[k] == '_' || (dd[k] >= 'a' && dd[k] <= 'z')) && k < 63) {
			name[k] = dd[k];
			k++;
		}
		name[k] = 0;
		if (k && !strstr(man, name)) {
			fprintf(stderr, "man page lacks --%s\n", name);
			missing++;
		}
	}
	assert_int_equal(missing, 0);
	free(help);
	free(man);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(jobs_forms_as_argp),
		cmocka_unit_test(legacy_defaults_are_pahole_124),
		cmocka_unit_test(btf_features_reset_then_add),
		cmocka_unit_test(base_chain_accumulates),
		cmocka_unit_test(languages_by_pahole_name),
		cmocka_unit_test(pahole_compat_option_and_environment),
		cmocka_unit_test(man_page_covers_options),
	};

	return cmocka_run_group_tests_name("options", tests, NULL, NULL);
}
