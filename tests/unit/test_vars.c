// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests: btf_encoder/vars (vars.c, vars_merge.c; design note in vars.c) on variable
 * records and an ELF file built here, run the way the pipeline runs them: each unit's
 * variables into its chunk (vars__encode_unit()), the chunks merged in order
 * (merger__add()), then vars__finish(). pahole 1.24's per-CPU rule, and global_vars:
 * duplicates across units, asm-defined data typed by a declaration, the section and
 * offset rules.
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
#include "btf_encoder/merge.h"
#include "btf_encoder/symbols.h"
#include "btf_encoder/vars.h"

/* ---- the ELF file ---------------------------------------------------------------- */

enum { S_PERCPU = 1, S_DATA, S_INIT, S_BSS, S_BAD, S_TLS, NSECS };

#define SEC(n, a, t, f) { .name = (n), .addr = (a), .size = 0x100, .type = (t), \
			  .flags = SHF_ALLOC | SHF_WRITE | (f) }

static struct elf_section test_secs[NSECS] = {
	{ .name = "" },
	[S_PERCPU] = SEC(".data..percpu", 0, SHT_PROGBITS, 0),
	[S_DATA] = SEC(".data", 0x2000, SHT_PROGBITS, 0),
	[S_INIT] = SEC(".init.data", 0x3000, SHT_PROGBITS, 0),
	[S_BSS] = SEC(".bss", 0x4000, SHT_NOBITS, 0),
	[S_BAD] = SEC(".data$odd", 0x5000, SHT_PROGBITS, 0),
	[S_TLS] = SEC(".tdata", 0x6000, SHT_PROGBITS, SHF_TLS),
};

#define OSYM(n, sec, a, sz, b) { .name = (n), .addr = (a), .size = (sz), .shndx = (sec), \
				 .type = STT_OBJECT, .bind = (b) }

static struct elf_sym test_syms[] = {
	{ .name = "" },
	OSYM("fixed", S_PERCPU, 0, 8, STB_GLOBAL),
	OSYM("pcpu_a", S_PERCPU, 0x10, 4, STB_GLOBAL),
	OSYM("pcpu_b", S_PERCPU, 0x20, 8, STB_GLOBAL),
	OSYM("gv", S_DATA, 0x2000, 4, STB_GLOBAL),
	OSYM("strong", S_DATA, 0x2010, 4, STB_GLOBAL),
	OSYM("asm_data", S_DATA, 0x2020, 8, STB_GLOBAL),
	OSYM("small", S_DATA, 0x2030, 2, STB_LOCAL),
	OSYM("ov1", S_DATA, 0x2040, 8, STB_LOCAL),
	OSYM("ov2", S_DATA, 0x2044, 4, STB_LOCAL),
	OSYM("__UNIQUE_ID_x", S_DATA, 0x2050, 4, STB_LOCAL),
	OSYM("init_v", S_INIT, 0x3000, 4, STB_GLOBAL),
	OSYM("zeroed", S_BSS, 0x4010, 4, STB_LOCAL),
	OSYM("odd", S_BAD, 0x5000, 4, STB_GLOBAL),
};

static struct objfile test_elf = {
	.path = "test.o",
	.addr_size = 8,
	.machine = EM_X86_64,
	.e_type = ET_EXEC,
	.nsec = NSECS,
	.secs = test_secs,
	.syms = test_syms,
	.nsyms = sizeof(test_syms) / sizeof(test_syms[0]),
};

/* ---- units, chunks and the merge --------------------------------------------------- */

enum { T_VOID, T_INT, T_LONG, T_EMPTY, NTYPES };

struct unit {
	struct cu_records cu;
	struct type_rec types[NTYPES];
	struct var_rec vars[16];
	uint32_t ids[NTYPES];
};

static void unit_init(struct unit *u)
{
	memset(u, 0, sizeof(*u));
	u->types[T_INT] = (struct type_rec){ .name = "int", .kind = LK_BASE, .size = 4 };
	u->types[T_LONG] = (struct type_rec){ .name = "long", .kind = LK_BASE, .size = 8 };
	u->types[T_EMPTY] = (struct type_rec){ .name = "empty", .kind = LK_STRUCT };
	u->cu.types = u->types;
	u->cu.ntypes = NTYPES;
	u->cu.vars = u->vars;
}

/* A top-level definition at @addr, as the loader records one. */
static struct var_rec *def(struct unit *u, const char *name, uint64_t addr, uint32_t type)
{
	struct var_rec *v = &u->vars[u->cu.nvars++];

	*v = (struct var_rec){ .name = name, .die_off = 0x100 + u->cu.nvars, .addr = addr,
			       .type = type, .loc = LVAR_ADDR, .external = 1, .own_name = 1,
			       .top_level = 1 };
	return v;
}

/* A top-level `extern` declaration. */
static struct var_rec *decl(struct unit *u, const char *name, uint32_t type)
{
	struct var_rec *v = def(u, name, 0, type);

	v->loc = LVAR_NO_LOC;
	v->declaration = 1;
	return v;
}

struct run {
	struct captured { char lines[32][200]; int n; } cap;
	struct diag diag;
	struct encoder_config cfg;
	struct symidx syms;
	struct merger m;
	struct encoder_stats st;
};

static void capture(void *ctx, enum diag_level level, const char *line)
{
	struct captured *c = ctx;

	if (c->n < 32)
		snprintf(c->lines[c->n++], sizeof(c->lines[0]), "%s", line);
}

static int said(const struct run *r, const char *needle)
{
	int i;

	for (i = 0; i < r->cap.n; i++)
		if (strstr(r->cap.lines[i], needle))
			return 1;
	return 0;
}

static void run_init(struct run *r, int global_vars, int compat)
{
	memset(r, 0, sizeof(*r));
	r->diag = (struct diag){ .emit = capture, .ctx = &r->cap, .max_level = DIAG_INFO };
	r->cfg = (struct encoder_config){ .diag = &r->diag, .jobs = 1,
					  .global_vars = global_vars, .compat_124 = compat };
	assert_int_equal(symidx__build(&r->syms, &test_elf, &r->cfg), 0);
	r->m.btf = btf__new_empty();
	assert_non_null(r->m.btf);
	r->m.global_vars = global_vars;
}

static void run_free(struct run *r)
{
	btf__free(r->m.btf);
	merger__free(&r->m);
	symidx__free(&r->syms);
}

static void chunk_free(struct chunk_out *c)
{
	rawbtf__free(&c->rb);
	btf__free(c->btf);
	free(c->vsi);
	free(c->cands);
	free(c->var_tags);
	free(c->skips);
	strmap__free(&c->decl_names);
}

/* One chunk of units @u[0..@n), encoded, then merged: vars__encode_unit()'s result. */
static int chunk(struct run *r, struct unit *u, size_t n)
{
	struct chunk_out c = {};
	size_t k;
	int err = 0;

	assert_int_equal(rawbtf__init(&c.rb), 0);
	for (k = 0; k < n && !err; k++) {
		struct var_unit vu = { .cu = &u[k].cu, .ids = u[k].ids, .out = &c,
				       .syms = &r->syms, .cfg = &r->cfg, .path = "test.o" };

		u[k].ids[T_INT] = (uint32_t)rawbtf__add_int(&c.rb, "int", 4, BTF_INT_SIGNED);
		u[k].ids[T_LONG] = (uint32_t)rawbtf__add_int(&c.rb, "long", 8, BTF_INT_SIGNED);
		u[k].ids[T_EMPTY] = (uint32_t)rawbtf__add_struct(&c.rb, "empty", 0);
		err = vars__encode_unit(&vu);
	}
	if (!err) {
		c.strs_units = (uint32_t)c.rb.str_len;
		c.btf = rawbtf__to_btf(&c.rb);
		assert_non_null(c.btf);
		err = merger__add(&r->m, &c, &r->syms, &r->diag, "test.o");
	}
	chunk_free(&c);
	return err;
}

/*
 * The VARs and DATASECs written, in ID order: "name:linkage:type-name" for a VAR,
 * "[SEC size: entry-name@offset+size ...]" for a DATASEC.
 */
static void written(const struct btf *b, char *buf, size_t len)
{
	uint32_t i;
	uint16_t j;

	buf[0] = 0;
	for (i = 1; i < btf__type_cnt(b); i++) {
		const struct btf_type *t = btf__type_by_id(b, i);
		size_t n = strlen(buf);

		if (btf_is_var(t)) {
			snprintf(buf + n, len - n, "%s:%u:%s ", btf__name_by_offset(b, t->name_off),
				 btf_var(t)->linkage,
				 btf__name_by_offset(b, btf__type_by_id(b, t->type)->name_off));
		} else if (btf_is_datasec(t)) {
			const struct btf_var_secinfo *vsi = btf_var_secinfos(t);

			snprintf(buf + n, len - n, "[%s %u:", btf__name_by_offset(b, t->name_off),
				 t->size);
			for (j = 0; j < btf_vlen(t); j++) {
				const struct btf_type *v = btf__type_by_id(b, vsi[j].type);

				n = strlen(buf);
				snprintf(buf + n, len - n, " %s@%#x+%u",
					 btf__name_by_offset(b, v->name_off), vsi[j].offset,
					 vsi[j].size);
			}
			n = strlen(buf);
			snprintf(buf + n, len - n, "] ");
		}
	}
}

static void finish(struct run *r, char *buf, size_t len)
{
	assert_int_equal(vars__finish(&r->m, &r->syms, &r->cfg, "test.o", &r->st), 0);
	written(r->m.btf, buf, len);
}

/* ---- pahole 1.24's per-CPU rule ----------------------------------------------------- */

static void percpu_rule(void **state)
{
	struct unit u[2];
	struct run r;
	char out[512];

	run_init(&r, 0, 0);
	unit_init(&u[0]);
	def(&u[0], "pcpu_b", 0x20, T_LONG);
	def(&u[0], "renamed", 0x10, T_INT)->external = 0;	/* named after its symbol */
	def(&u[0], "nosym", 0x30, T_INT);			/* no per-CPU symbol there */
	def(&u[0], "gv", 0x2000, T_INT);			/* not per-CPU */
	def(&u[0], "local", 0x20, T_INT)->top_level = 0;	/* a function's static */
	decl(&u[0], "pcpu_a", T_INT);				/* declarations are no VARs */
	def(&u[0], "empty", 0x20, T_EMPTY);			/* zero-sized: left out */
	unit_init(&u[1]);
	def(&u[1], "other", 0, T_LONG);		/* offset 0: only under a symbol's name */
	def(&u[1], "fixed", 0, T_LONG)->own_name = 0;	/* named by its declaration */
	assert_int_equal(chunk(&r, &u[0], 1), 0);
	assert_int_equal(chunk(&r, &u[1], 1), 0);
	finish(&r, out, sizeof(out));
	/* Sorted by offset across chunks; as large as its last entry's end. */
	assert_string_equal(out, "pcpu_b:1:long pcpu_a:0:int fixed:1:long "
			    "[.data..percpu 40: fixed@0+8 pcpu_a@0x10+4 pcpu_b@0x20+8] ");
	assert_int_equal(r.st.datasecs, 1);
	assert_true(said(&r, "zero-sized per-CPU variable 'pcpu_b' skipped"));
	run_free(&r);
}

static void percpu_rule_compat(void **state)
{
	struct unit u;
	struct run r;
	char out[512];

	/* pahole 1.24: a function's static counts; offset 0 needs the DIE's own name. */
	run_init(&r, 0, 1);
	unit_init(&u);
	def(&u, "local", 0x10, T_INT)->top_level = 0;
	def(&u, "fixed", 0, T_LONG)->own_name = 0;
	assert_int_equal(chunk(&r, &u, 1), 0);
	finish(&r, out, sizeof(out));
	assert_string_equal(out, "pcpu_a:1:int [.data..percpu 20: pcpu_a@0x10+4] ");
	run_free(&r);

	/* A per-CPU variable of void type is an error, unless forced. */
	run_init(&r, 0, 0);
	unit_init(&u);
	def(&u, "pcpu_a", 0x10, T_VOID);
	assert_int_equal(chunk(&r, &u, 1), -EINVAL);
	assert_true(said(&r, "per-CPU variable 'pcpu_a' has void type"));
	run_free(&r);
	run_init(&r, 0, 0);
	r.cfg.force = 1;
	unit_init(&u);
	def(&u, "pcpu_a", 0x10, T_VOID);
	assert_int_equal(chunk(&r, &u, 1), 0);
	finish(&r, out, sizeof(out));
	assert_string_equal(out, "");
	run_free(&r);
}

/* ---- global_vars -------------------------------------------------------------------- */

static void global_vars_duplicates_across_units(void **state)
{
	struct unit u[3];
	struct run r;
	char out[512];

	run_init(&r, 1, 0);
	/* Chunk 1: gv; a __weak definition at strong's address (the symbol is not its). */
	unit_init(&u[0]);
	def(&u[0], "gv", 0x2000, T_INT);
	def(&u[0], "weak_alias", 0x2010, T_INT);
	/* Chunk 2: gv again (the first owner stays), then strong's owner (takes over). */
	unit_init(&u[1]);
	def(&u[1], "gv", 0x2000, T_INT)->external = 0;
	unit_init(&u[2]);
	def(&u[2], "strong", 0x2010, T_INT);
	assert_int_equal(chunk(&r, &u[0], 1), 0);
	assert_int_equal(chunk(&r, &u[1], 2), 0);
	finish(&r, out, sizeof(out));
	assert_string_equal(out, "gv:1:int strong:1:int [.data 256: gv@0+4 strong@0x10+4] ");
	assert_int_equal(r.st.var_skips[VSKIP_DUPLICATE], 2);
	assert_true(said(&r, "variable 'gv' (DIE 0x101) skipped: .data+0x0 belongs to 'gv'"));
	assert_true(said(&r, "variable 'weak_alias' (DIE 0x102) skipped: .data+0x10 belongs to "
			 "'strong'"));
	run_free(&r);
}

static void global_vars_asm_data_takes_a_declaration(void **state)
{
	struct unit u[2];
	struct run r;
	char out[512];

	run_init(&r, 1, 0);
	/* asm_data has a symbol and no DWARF definition: its first declaration types it. */
	unit_init(&u[0]);
	decl(&u[0], "asm_data", T_LONG);
	unit_init(&u[1]);
	decl(&u[1], "asm_data", T_INT);
	decl(&u[1], "not_a_symbol", T_INT);
	assert_int_equal(chunk(&r, &u[0], 1), 0);
	assert_int_equal(chunk(&r, &u[1], 1), 0);
	finish(&r, out, sizeof(out));
	assert_string_equal(out, "asm_data:1:long [.data 256: asm_data@0x20+8] ");
	run_free(&r);
}

static void global_vars_section_and_offset_rules(void **state)
{
	struct unit u;
	struct run r;
	char out[512];

	run_init(&r, 1, 0);
	unit_init(&u);
	def(&u, "init_v", 0x3000, T_INT);			/* VSKIP_INIT */
	def(&u, "odd", 0x5000, T_INT);				/* VSKIP_SECTION_NAME */
	def(&u, "nowhere", 0x9000, T_INT);			/* VSKIP_NO_SECTION */
	def(&u, "small", 0x2030, T_INT);			/* VSKIP_TOO_BIG */
	def(&u, "ov1", 0x2040, T_LONG)->external = 0;
	def(&u, "ov2", 0x2044, T_INT)->external = 0;		/* VSKIP_OVERLAP */
	def(&u, "__UNIQUE_ID_x", 0x2050, T_INT);		/* VSKIP_NAME_FILTER */
	def(&u, "tls", 0x6000, T_INT)->loc = LVAR_TLS;		/* VSKIP_TLS */
	def(&u, "local", 0x2000, T_INT)->top_level = 0;	/* VSKIP_LOCAL */
	def(&u, "unnamed", 0x4010, T_EMPTY);			/* VSKIP_ZERO_SIZE */
	def(&u, "zeroed", 0x4010, T_INT)->external = 0;	/* .bss: a DATASEC too */
	def(&u, "gv", 0x2000, T_INT);
	assert_int_equal(chunk(&r, &u, 1), 0);
	finish(&r, out, sizeof(out));
	/* VARs and DATASECs by (section, offset); a DATASEC as large as its section. */
	assert_string_equal(out, "gv:1:int ov1:0:long zeroed:0:int "
			    "[.data 256: gv@0+4 ov1@0x40+8] [.bss 256: zeroed@0x10+4] ");
	assert_int_equal(r.st.vars, 3);
	assert_int_equal(r.st.datasecs, 2);
	assert_int_equal(r.st.var_skips[VSKIP_INIT], 1);
	assert_int_equal(r.st.var_skips[VSKIP_SECTION_NAME], 1);
	assert_int_equal(r.st.var_skips[VSKIP_NO_SECTION], 1);
	assert_int_equal(r.st.var_skips[VSKIP_TOO_BIG], 1);
	assert_int_equal(r.st.var_skips[VSKIP_OVERLAP], 1);
	assert_int_equal(r.st.var_skips[VSKIP_NAME_FILTER], 1);
	assert_int_equal(r.st.var_skips[VSKIP_TLS], 1);
	assert_int_equal(r.st.var_skips[VSKIP_LOCAL], 1);
	assert_int_equal(r.st.var_skips[VSKIP_ZERO_SIZE], 1);
	/* Coverage: every wanted data symbol without a VAR is counted, with its reason. */
	assert_true(said(&r, "data symbol 'strong' (.data+0x10, 4 bytes) has no VAR: no DWARF"));
	assert_true(said(&r, "data symbol 'small' (.data+0x30, 2 bytes) has no VAR: type "
			 "larger than its symbol"));
	assert_true(said(&r, "data symbol 'odd' (.data$odd+0x0, 4 bytes) has no VAR: section "
			 "name invalid"));
	run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(percpu_rule),
		cmocka_unit_test(percpu_rule_compat),
		cmocka_unit_test(global_vars_duplicates_across_units),
		cmocka_unit_test(global_vars_asm_data_takes_a_declaration),
		cmocka_unit_test(global_vars_section_and_offset_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
