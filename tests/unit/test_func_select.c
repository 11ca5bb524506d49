// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests: btf_encoder/func_select (func_select.h's rules) through its API, on records
 * and an ELF symbol table built here: which functions of a unit are candidates (A1-A5,
 * B1, B2), a candidate's flags (B3, C1-C3, D1), why a name is dropped (B7, C6) and what
 * func_select__finish() writes (B6-B8, C4, C5, D2, D3). test_encoder.c drives the same
 * rules through whole compiled programs.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <bpf/btf.h>

#include "btf_encoder/chunk.h"
#include "btf_encoder/func_select.h"
#include "btf_encoder/merge.h"
#include "btf_encoder/symbols.h"

/* ---- an ELF file's symbols ------------------------------------------------------- */

static struct elf_section test_secs[] = {
	{ .name = "" },
	{ .name = ".text", .addr = 0x1000, .size = 0x1000, .type = SHT_PROGBITS },
};

#define FSYM(n, a) { .name = (n), .addr = (a), .size = 16, .shndx = 1, .type = STT_FUNC, \
		     .bind = STB_GLOBAL }

/* Index 0 is the null symbol, as in objfile.syms. */
static struct elf_sym test_syms[] = {
	{ .name = "" },
	FSYM("foo", 0x1000),
	FSYM("foo.isra.0", 0x1000),		/* same address: foo stays unambiguous */
	FSYM("bar", 0x1100),
	FSYM("bar.constprop.0", 0x1200),	/* another address: bar is ambiguous */
	FSYM("baz.cold.1", 0x1300),		/* a piece: makes no group "baz" */
	FSYM("zed", 0),
	FSYM("zed", 0x1400),			/* after one at 0: not ambiguous */
	FSYM("eps", 0x1500),
	FSYM("eps.isra.0", 0x1500),	/* a clone at eps's address */
	FSYM("alpha", 0x1700),
	FSYM("beta", 0x1800),
	FSYM("gamma", 0x1900),
};

#define SYM_EPS_ISRA 9
#define NSYMS (sizeof(test_syms) / sizeof(test_syms[0]))

static struct objfile test_elf = {
	.path = "test.o",
	.addr_size = 8,
	.machine = EM_X86_64,
	.e_type = ET_EXEC,
	.nsec = 2,
	.secs = test_secs,
	.syms = test_syms,
	.nsyms = NSYMS,
};

/* The symbol index of test_elf: exact names (A3) and the groups (B1). */
static void syms_build(struct symidx *s)
{
	size_t i;

	memset(s, 0, sizeof(*s));
	s->elf = &test_elf;
	for (i = 1; i < NSYMS; i++)
		if (strmap__add(&s->funcs, test_syms[i].name, 0) > 0)
			s->nfuncs++;
	assert_int_equal(func_select__build_table(s, &test_elf), 0);
}

static void syms_free(struct symidx *s)
{
	func_select__free_table(s);
	strmap__free(&s->funcs);
}

static int group_ambiguous(const struct symidx *s, const char *name)
{
	uint32_t g;

	if (!strmap__get(&s->func_groups, name, &g))
		return -1;
	return s->groups[g].ambiguous;
}

/* ---- a unit's records ------------------------------------------------------------ */

enum { T_VOID, T_INT, T_PAIR, T_PROTO2, T_PROTO_PAIR, NTYPES };

struct unit {
	struct cu_records cu;
	struct type_rec types[NTYPES];
	struct sub_rec subs[8];
	struct func_rec funcs[8];
};

/*
 * int; struct pair { int a, b; } (8 bytes); proto(int x, int y) (subs 0-1);
 * proto(struct pair p, int y) (subs 2-3); members of pair (subs 4-5).
 */
static void unit_init(struct unit *u)
{
	memset(u, 0, sizeof(*u));
	u->types[T_INT] = (struct type_rec){ .name = "int", .kind = LK_BASE, .size = 4 };
	u->types[T_PAIR] = (struct type_rec){ .name = "pair", .kind = LK_STRUCT, .size = 8,
					      .sub = 4, .nsub = 2 };
	u->types[T_PROTO2] = (struct type_rec){ .kind = LK_PROTO, .ref = T_INT, .sub = 0,
						.nsub = 2 };
	u->types[T_PROTO_PAIR] = (struct type_rec){ .kind = LK_PROTO, .ref = T_INT, .sub = 2,
						    .nsub = 2 };
	u->subs[0] = (struct sub_rec){ .name = "x", .type = T_INT };
	u->subs[1] = (struct sub_rec){ .name = "y", .type = T_INT };
	u->subs[2] = (struct sub_rec){ .name = "p", .type = T_PAIR };
	u->subs[3] = (struct sub_rec){ .name = "y", .type = T_INT };
	u->subs[4] = (struct sub_rec){ .name = "a", .type = T_INT, .value = 0 };
	u->subs[5] = (struct sub_rec){ .name = "b", .type = T_INT, .value = 32 };
	u->cu.types = u->types;
	u->cu.ntypes = NTYPES;
	u->cu.subs = u->subs;
	u->cu.nsubs = 6;
	u->cu.funcs = u->funcs;
}

static struct func_rec *add_func(struct unit *u, const char *name, uint64_t low_pc)
{
	struct func_rec *f = &u->funcs[u->cu.nfuncs++];

	*f = (struct func_rec){ .name = name, .proto = T_PROTO2, .external = 1,
				.low_pc = low_pc, .has_low_pc = low_pc != 0 };
	return f;
}

/* func_select__unit() on @u: one byte per function, 1 if selected. */
static const uint8_t *select_unit(struct unit *u, struct cu_scratch *sc, const struct symidx *s,
				  const struct encoder_config *cfg)
{
	assert_int_equal(func_select__unit(&u->cu, sc, s, cfg), 0);
	return sc->selected;
}

/* ---- which functions are candidates -------------------------------------------- */

static void pahole_124_selection(void **state)
{
	struct encoder_config cfg = {};
	struct cu_scratch sc = {};
	struct symidx s;
	struct unit u;
	const uint8_t *sel;

	syms_build(&s);
	unit_init(&u);
	add_func(&u, "foo", 0x1000);			/* 0: kept */
	add_func(&u, "foo", 0x1000);			/* 1: A5, the unit's first has it */
	add_func(&u, "alpha", 0)->declaration = 1;	/* 2: A1 */
	add_func(&u, "beta", 0x1800)->unnamed_param = 1; /* 3: A2 */
	add_func(&u, NULL, 0x1800);			/* 4: A2, no name */
	add_func(&u, "nosym", 0x1f00);			/* 5: A3, no symbol */
	add_func(&u, "foo.isra", 0x1000);		/* 6: A3, names match exactly */
	add_func(&u, "gamma", 0x1900)->external = 0;	/* 7: static, has a symbol: kept */
	sel = select_unit(&u, &sc, &s, &cfg);
	assert_int_equal(sel[0], 1);
	assert_int_equal(sel[1], 0);
	assert_int_equal(sel[2], 0);
	assert_int_equal(sel[3], 0);
	assert_int_equal(sel[4], 0);
	assert_int_equal(sel[5], 0);
	assert_int_equal(sel[6], 0);
	assert_int_equal(sel[7], 1);

	/* A5 holds for the chunk: the next unit of the chunk does not get foo again. */
	sel = select_unit(&u, &sc, &s, &cfg);
	assert_int_equal(sel[0], 0);
	assert_int_equal(sel[7], 0);
	cu_scratch__free(&sc);

	/* A4: an ELF file without function symbols keeps external functions only. */
	strmap__free(&s.funcs);
	memset(&s.funcs, 0, sizeof(s.funcs));
	s.nfuncs = 0;
	memset(&sc, 0, sizeof(sc));
	sel = select_unit(&u, &sc, &s, &cfg);
	assert_int_equal(sel[0], 1);
	assert_int_equal(sel[5], 1);	/* no symbol needed then */
	assert_int_equal(sel[7], 0);	/* static */
	assert_int_equal(sel[2], 0);	/* A1 still */
	cu_scratch__free(&sc);
	syms_free(&s);
}

static void first_chunk_takes_a_name(void **state)
{
	struct merger m = {};

	/* A5 across chunks: the merge gives a name to the first chunk that asks. */
	assert_int_equal(func_select__take_name(&m, "foo"), 1);
	assert_int_equal(func_select__take_name(&m, "bar"), 1);
	assert_int_equal(func_select__take_name(&m, "foo"), 0);
	assert_int_equal(m.func_names.cnt, 2);
	merger__free(&m);
}

static void groups_of_symbols(void **state)
{
	struct symidx s;

	syms_build(&s);
	/* B1: foo.isra.0 and foo.constprop.0 stand for foo; pieces make no group. */
	assert_int_equal(group_ambiguous(&s, "foo"), 0);
	assert_int_equal(group_ambiguous(&s, "bar"), 1);
	assert_int_equal(group_ambiguous(&s, "baz"), -1);
	assert_int_equal(group_ambiguous(&s, "zed"), 0);
	assert_int_equal(group_ambiguous(&s, "foo.isra"), -1);
	syms_free(&s);
}

static void new_rules_every_instance_is_a_candidate(void **state)
{
	struct encoder_config cfg = { .optimized_funcs = 1 };
	struct cu_scratch sc = {};
	struct symidx s;
	struct unit u;
	const uint8_t *sel;

	syms_build(&s);
	unit_init(&u);
	add_func(&u, "foo", 0x1000);
	add_func(&u, "foo", 0x1000);			/* B2: no first-unit rule */
	add_func(&u, "bar", 0x1200);			/* a group by bar.constprop.0 too */
	add_func(&u, "baz", 0x1300);			/* only baz.cold.1: no group */
	add_func(&u, "alpha", 0)->declaration = 1;	/* A1 holds */
	add_func(&u, "beta", 0x1800)->unnamed_param = 1; /* A2 holds */
	sel = select_unit(&u, &sc, &s, &cfg);
	assert_int_equal(sel[0], 1);
	assert_int_equal(sel[1], 1);
	assert_int_equal(sel[2], 1);
	assert_int_equal(sel[3], 0);
	assert_int_equal(sel[4], 0);
	assert_int_equal(sel[5], 0);
	cu_scratch__free(&sc);
	syms_free(&s);
}

/* ---- a candidate's flags --------------------------------------------------------- */

/* pahole 1.26-1.31's reading of parameter @i: in DWARF register @reg, or none (-1). */
static void loc_131(struct unit *u, int i, int reg)
{
	u->subs[i].flags = reg < 0 ? LSUB_P_NOLOC : LSUB_P_REG;
	u->subs[i].bit_size = reg < 0 ? 0 : (uint32_t)reg;
}

/* pahole master's reading of parameter @i: a location in register @reg, or none (-1). */
static void loc_master(struct unit *u, int i, int reg)
{
	u->subs[i].flags = reg < 0 ? 0 : LSUB_P_LOC;
	u->subs[i].bit_size = reg < 0 ? 0 : (uint32_t)(reg + 1) << 8;
}

static unsigned int flags_of(struct unit *u, struct func_rec *f, const struct symidx *s,
			     const struct encoder_config *cfg, uint8_t *leave, uint32_t *clone)
{
	uint32_t ignored;

	return func_select__flags(&u->cu, f, s, cfg, leave, clone ? clone : &ignored);
}

static void compat_parameter_flags(void **state)
{
	struct encoder_config cfg = { .optimized_funcs = 1, .compat_124 = 1 };
	struct symidx s;
	struct unit u;
	struct func_rec *f;

	syms_build(&s);
	unit_init(&u);
	f = add_func(&u, "foo", 0x1000);
	/* x86_64: rdi (5), rsi (4). */
	loc_131(&u, 0, 5);
	loc_131(&u, 1, 4);
	assert_int_equal(flags_of(&u, f, &s, &cfg, NULL, NULL), 0);
	/* B3: optimized out. */
	loc_131(&u, 1, -1);
	assert_int_equal(flags_of(&u, f, &s, &cfg, NULL, NULL), FN_OPTIMIZED);
	/* B3: another register than the ABI's. */
	loc_131(&u, 1, 1);
	assert_int_equal(flags_of(&u, f, &s, &cfg, NULL, NULL), FN_UNEXPECTED_REG);
	/* ... unless a struct passed by value shifts the registers. */
	f->proto = T_PROTO_PAIR;
	loc_131(&u, 2, 5);
	loc_131(&u, 3, 1);
	assert_int_equal(flags_of(&u, f, &s, &cfg, NULL, NULL), 0);
	/* The compatibility behaviour knows no address rules (C3, C4) or clones (D1). */
	f->proto = T_PROTO2;
	f->reordered = f->signature_changed = 1;
	loc_131(&u, 1, 4);
	assert_int_equal(flags_of(&u, f, &s, &cfg, NULL, NULL), 0);
	syms_free(&s);
}

static void master_parameter_flags(void **state)
{
	struct encoder_config cfg = { .optimized_funcs = 1 };
	uint8_t leave[2] = { 0, 0 };
	struct symidx s;
	struct unit u;
	struct func_rec *f;
	uint32_t clone = 99;

	syms_build(&s);
	unit_init(&u);
	f = add_func(&u, "bar", 0x1100);
	loc_master(&u, 0, 5);
	loc_master(&u, 1, 4);
	/* C4: at one of its name's symbols. */
	assert_int_equal(flags_of(&u, f, &s, &cfg, leave, &clone), FN_AT_SYMBOL);
	assert_int_equal(clone, 0);
	/* C1: no location is "optimized", and C2 leaves that parameter out. */
	loc_master(&u, 1, -1);
	assert_int_equal(flags_of(&u, f, &s, &cfg, leave, NULL), FN_AT_SYMBOL | FN_OPTIMIZED);
	assert_int_equal(leave[0], 0);
	assert_int_equal(leave[1], 1);
	/* C1: another register than the convention's. */
	loc_master(&u, 1, 1);
	assert_int_equal(flags_of(&u, f, &s, &cfg, NULL, NULL), FN_AT_SYMBOL | FN_UNEXPECTED_REG);
	loc_master(&u, 1, 4);
	/* C2, C3: the loader's facts become flags. */
	f->reordered = 1;
	f->signature_changed = 1;
	assert_int_equal(flags_of(&u, f, &s, &cfg, NULL, NULL),
			 FN_AT_SYMBOL | FN_REORDERED | FN_SIG_CHANGED);
	f->reordered = f->signature_changed = 0;
	/* C3: at a .constprop symbol's address; D1 off: no clone symbol. */
	f->low_pc = 0x1200;
	assert_int_equal(flags_of(&u, f, &s, &cfg, NULL, &clone), FN_AT_SYMBOL | FN_OPT_SYMBOL);
	assert_int_equal(clone, 0);
	/* D1: with true_signature, the clone symbol at its address. */
	cfg.true_signature = 1;
	f->name = "eps";
	f->low_pc = 0x1500;
	assert_int_equal(flags_of(&u, f, &s, &cfg, NULL, &clone), FN_AT_SYMBOL | FN_OPT_SYMBOL);
	assert_int_equal(clone, SYM_EPS_ISRA);
	/* Nowhere near a symbol of its name. */
	f->low_pc = 0x1f00;
	assert_int_equal(flags_of(&u, f, &s, &cfg, NULL, &clone), 0);
	assert_int_equal(clone, 0);
	syms_free(&s);
}

/* ---- why a name is dropped ------------------------------------------------------- */

static void drop_reasons(void **state)
{
	struct encoder_config c131 = { .compat_124 = 1, .optimized_funcs = 1 };
	struct encoder_config c131c = { .compat_124 = 1, .consistent_funcs = 1 };
	struct encoder_config master = { .optimized_funcs = 1 };
	struct encoder_config masterc = { .optimized_funcs = 1, .consistent_funcs = 1 };
	const unsigned int all = FN_AMBIGUOUS | FN_INCONSISTENT | FN_UNEXPECTED_REG |
				 FN_UNCERTAIN_LOC | FN_OPTIMIZED_ABI | FN_REORDERED;

	/* B7: without consistent_func, pahole 1.26-1.31 drop nothing. */
	assert_null(func_select__drop_reason(all, &c131));
	assert_null(func_select__drop_reason(0, &c131c));
	assert_string_equal(func_select__drop_reason(FN_INCONSISTENT, &c131c),
			    "inconsistent prototypes across units");
	assert_string_equal(func_select__drop_reason(FN_UNEXPECTED_REG, &c131c),
			    "a parameter in an unexpected register");
	assert_string_equal(func_select__drop_reason(FN_UNCERTAIN_LOC, &c131c),
			    "a packed struct passed on the stack");
	assert_string_equal(func_select__drop_reason(FN_AMBIGUOUS | FN_INCONSISTENT, &c131c),
			    "several addresses for one name");
	/* ... and optimized parameters never drop there (B3). */
	assert_null(func_select__drop_reason(FN_OPTIMIZED | FN_OPTIMIZED_ABI | FN_REORDERED,
					     &c131c));

	/* C6: with or without consistent_func, except inconsistent_proto. */
	assert_null(func_select__drop_reason(0, &master));
	assert_null(func_select__drop_reason(FN_INCONSISTENT | FN_OPTIMIZED, &master));
	assert_string_equal(func_select__drop_reason(FN_INCONSISTENT, &masterc),
			    "inconsistent prototypes across units");
	assert_string_equal(func_select__drop_reason(FN_UNEXPECTED_REG, &master),
			    "a parameter in an unexpected register");
	assert_string_equal(func_select__drop_reason(FN_REORDERED, &master),
			    "parameters reordered by the compiler");
	assert_string_equal(func_select__drop_reason(FN_OPTIMIZED_ABI, &master),
			    "optimized-out parameters in a changed signature");
	/* C6: the last that applies in its list wins. */
	assert_string_equal(func_select__drop_reason(FN_UNEXPECTED_REG | FN_INCONSISTENT,
						     &masterc),
			    "inconsistent prototypes across units");
	assert_string_equal(func_select__drop_reason(FN_UNCERTAIN_LOC | FN_REORDERED, &master),
			    "parameters reordered by the compiler");
	assert_string_equal(func_select__drop_reason(all & ~FN_AMBIGUOUS, &masterc),
			    "optimized-out parameters in a changed signature");
	assert_string_equal(func_select__drop_reason(all, &master),
			    "several addresses for one name");
}

/* ---- what func_select__finish() writes ------------------------------------------- */

struct captured {
	char lines[16][256];
	int n;
};

static void capture(void *ctx, enum diag_level level, const char *line)
{
	struct captured *c = ctx;

	if (c->n < 16)
		snprintf(c->lines[c->n++], sizeof(c->lines[0]), "%s", line);
}

static int captured_has(const struct captured *c, const char *needle)
{
	int i;

	for (i = 0; i < c->n; i++)
		if (strstr(c->lines[i], needle))
			return 1;
	return 0;
}

/* A merger whose final BTF has int (1) and long (2), with no held candidate yet. */
static void merger_init(struct merger *m)
{
	memset(m, 0, sizeof(*m));
	m->btf = btf__new_empty();
	assert_non_null(m->btf);
	assert_int_equal(btf__add_int(m->btf, "int", 4, BTF_INT_SIGNED), 1);
	assert_int_equal(btf__add_int(m->btf, "long", 8, BTF_INT_SIGNED), 2);
	m->func_rules = 1;
}

/* Holds a candidate "int NAME(T x)" (B5) with @flags and clone symbol @clone. */
static void hold(struct merger *m, const char *name, uint32_t param_type, unsigned int flags,
		 uint32_t clone)
{
	struct fn_state *st;

	assert_int_equal(vec__push_slot(&m->fstates, &m->fstates_cap, m->nfstates), 0);
	assert_int_equal(vec__push_slot(&m->fparams, &m->fparams_cap, m->nfparams), 0);
	assert_int_equal(vec__reserve((void **)&m->fname_pool, &m->fname_cap, m->fname_len + 2, 1),
			 0);
	memcpy(m->fname_pool + m->fname_len, "x", 2);
	m->fparams[m->nfparams] = (struct fn_param){ .name = (uint32_t)m->fname_len,
						     .type = param_type };
	m->fname_len += 2;
	st = &m->fstates[m->nfstates];
	*st = (struct fn_state){ .name = strdup(name), .ret = 1, .params = (uint32_t)m->nfparams,
				 .nparams = 1, .flags = flags, .clone_sym = clone,
				 .order = m->nfstates };
	assert_non_null(st->name);
	m->nfparams++;
	m->nfstates++;
}

/* The written FUNCs, in ID order, as "name(param type name)" joined by spaces. */
static void written(const struct merger *m, char *buf, size_t len)
{
	uint32_t i;

	buf[0] = 0;
	for (i = 1; i < btf__type_cnt(m->btf); i++) {
		const struct btf_type *t = btf__type_by_id(m->btf, i), *proto;
		size_t n = strlen(buf);

		if (!btf_is_func(t))
			continue;
		proto = btf__type_by_id(m->btf, t->type);
		assert_true(btf_is_func_proto(proto));
		/* B5: each FUNC_PROTO right before its FUNC */
		assert_int_equal(t->type, i - 1);
		snprintf(buf + n, len - n, "%s%s(%s)", n ? " " : "",
			 btf__name_by_offset(m->btf, t->name_off),
			 btf__name_by_offset(m->btf, btf__type_by_id(m->btf,
					     btf_params(proto)[0].type)->name_off));
	}
}

/* func_select__finish() on the candidates set up by @setup under @cfg. */
static void finish(const struct encoder_config *cfg, void (*setup)(struct merger *),
		   char *out, size_t len, size_t *dropped, struct captured *cap)
{
	struct diag d = { .emit = capture, .ctx = cap, .max_level = DIAG_INFO };
	struct encoder_config c = *cfg;
	struct symidx s;
	struct merger m;
	size_t emitted;

	memset(cap, 0, sizeof(*cap));
	c.diag = &d;
	syms_build(&s);
	merger_init(&m);
	setup(&m);
	assert_int_equal(func_select__finish(&m, &s, &c, "test.o", &emitted), 0);
	written(&m, out, len);
	*dropped = m.funcs_dropped;
	btf__free(m.btf);
	merger__free(&m);
	syms_free(&s);
}

/* beta before alpha; alpha's two candidates disagree on their parameter's type. */
static void setup_inconsistent(struct merger *m)
{
	hold(m, "beta", 1, 0, 0);
	hold(m, "alpha", 1, 0, 0);
	hold(m, "alpha", 2, FN_AT_SYMBOL, 0);
	hold(m, "gamma", 1, 0, 0);
	hold(m, "gamma", 1, FN_UNEXPECTED_REG, 0);
}

static void finish_sorts_and_judges_prototypes(void **state)
{
	struct encoder_config c131 = { .compat_124 = 1, .optimized_funcs = 1 };
	struct encoder_config c131c = { .compat_124 = 1, .optimized_funcs = 1,
					.consistent_funcs = 1 };
	struct encoder_config master = { .optimized_funcs = 1 };
	struct encoder_config masterc = { .optimized_funcs = 1, .consistent_funcs = 1 };
	struct captured cap;
	size_t dropped;
	char out[256];

	/* B6, B8: sorted by name; the first candidate's prototype; nothing dropped (B7). */
	finish(&c131, setup_inconsistent, out, sizeof(out), &dropped, &cap);
	assert_string_equal(out, "alpha(int) beta(int) gamma(int)");
	assert_int_equal(dropped, 0);
	/* B6, B7: flags ORed per name, prototypes compared; -V says why. */
	finish(&c131c, setup_inconsistent, out, sizeof(out), &dropped, &cap);
	assert_string_equal(out, "beta(int)");
	assert_int_equal(dropped, 2);
	assert_true(captured_has(&cap, "function 'alpha' left out: inconsistent prototypes"));
	assert_true(captured_has(&cap, "function 'gamma' left out: a parameter in an "
				 "unexpected register"));
	/* C4: the candidate at its name's symbol is written; C5, C6: without
	 * consistent_func an inconsistent prototype drops nothing. */
	finish(&master, setup_inconsistent, out, sizeof(out), &dropped, &cap);
	assert_string_equal(out, "alpha(long) beta(int)");
	assert_int_equal(dropped, 1);
	finish(&masterc, setup_inconsistent, out, sizeof(out), &dropped, &cap);
	assert_string_equal(out, "beta(int)");
	assert_int_equal(dropped, 2);
}

/* bar's symbols are at two addresses; eps has a clone and optimized-out parameters. */
static void setup_clone(struct merger *m)
{
	hold(m, "eps", 1, FN_OPTIMIZED | FN_SIG_CHANGED, 0);
	hold(m, "eps", 2, FN_AT_SYMBOL | FN_OPT_SYMBOL | FN_OPTIMIZED, SYM_EPS_ISRA);
	hold(m, "bar", 1, 0, 0);
}

static void finish_optimized_and_true_signature(void **state)
{
	struct encoder_config master = { .optimized_funcs = 1 };
	struct encoder_config ts = { .optimized_funcs = 1, .true_signature = 1 };
	struct encoder_config c131 = { .compat_124 = 1, .optimized_funcs = 1,
				       .true_signature = 1 };
	struct captured cap;
	size_t dropped;
	char out[256];

	/* C3 on the canonical candidate (C4), B1's ambiguous address (C6). */
	finish(&master, setup_clone, out, sizeof(out), &dropped, &cap);
	assert_string_equal(out, "");
	assert_int_equal(dropped, 2);
	assert_true(captured_has(&cap, "function 'eps' left out: optimized-out parameters"));
	assert_true(captured_has(&cap, "function 'bar' left out: several addresses"));
	/* D2: the clone's FUNC under its symbol's name, with its prototype, whatever C6
	 * says; the ambiguous name without a clone is still dropped. */
	finish(&ts, setup_clone, out, sizeof(out), &dropped, &cap);
	assert_string_equal(out, "eps.isra.0(long)");
	assert_int_equal(dropped, 1);
	assert_true(captured_has(&cap, "function 'eps' written as 'eps.isra.0'"));
	/* The compatibility behaviour ignores true_signature. */
	finish(&c131, setup_clone, out, sizeof(out), &dropped, &cap);
	assert_string_equal(out, "bar(int) eps(int)");
	assert_int_equal(dropped, 0);
}

/* A clone candidate in an unexpected register is no clone to trust (D2). */
static void setup_untrusted_clone(struct merger *m)
{
	hold(m, "eps", 2, FN_AT_SYMBOL | FN_UNEXPECTED_REG, SYM_EPS_ISRA);
}

/* D3: without a clone, true_signature lets optimized-out parameters drop no name. */
static void setup_optimized(struct merger *m)
{
	hold(m, "foo", 1, FN_OPTIMIZED, 0);
	hold(m, "foo", 1, FN_AT_SYMBOL | FN_OPT_SYMBOL | FN_OPTIMIZED, 0);
}

static void finish_true_signature_limits(void **state)
{
	struct encoder_config master = { .optimized_funcs = 1 };
	struct encoder_config ts = { .optimized_funcs = 1, .true_signature = 1 };
	struct captured cap;
	size_t dropped;
	char out[256];

	finish(&ts, setup_untrusted_clone, out, sizeof(out), &dropped, &cap);
	assert_string_equal(out, "");
	assert_int_equal(dropped, 1);
	finish(&master, setup_optimized, out, sizeof(out), &dropped, &cap);
	assert_string_equal(out, "");
	finish(&ts, setup_optimized, out, sizeof(out), &dropped, &cap);
	assert_string_equal(out, "foo(int)");
	assert_int_equal(dropped, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pahole_124_selection),
		cmocka_unit_test(first_chunk_takes_a_name),
		cmocka_unit_test(groups_of_symbols),
		cmocka_unit_test(new_rules_every_instance_is_a_candidate),
		cmocka_unit_test(compat_parameter_flags),
		cmocka_unit_test(master_parameter_flags),
		cmocka_unit_test(drop_reasons),
		cmocka_unit_test(finish_sorts_and_judges_prototypes),
		cmocka_unit_test(finish_optimized_and_true_signature),
		cmocka_unit_test(finish_true_signature_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
