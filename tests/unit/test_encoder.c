// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests: dwarf_loader/ and btf_encoder/ on this test binary's own DWARF
 * (it is built with -g), plus the writers and the encoder's use of btf_dedup/
 * (the base index it keeps across outputs), and the function rules
 * (btf_encoder/func_select.h) on tests/fixtures/func_rules*.c as compiled into
 * tests/data/oracle.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <bpf/btf.h>

#include "dwarf_loader/objfile.h"
#include "dwarf_loader/loader.h"
#include "btf_encoder/encoder.h"
#include "btf_encoder/dedup_bridge.h"
#include "btf_encoder/internals.h"
#include "btf_encoder/writer.h"

/* Types whose encoding the tests check. */
struct test_marker {
	unsigned int a:3, b:7;
	long c;
	struct test_marker *next;
	int arr[2][5];
};

enum test_signed_enum { TSE_NEG = -2, TSE_POS = 9 };

struct test_marker test_marker_instance;
enum test_signed_enum test_enum_instance;

struct captured {
	char last[512];
	int n;
};

static void capture(void *ctx, enum diag_level level, const char *line)
{
	struct captured *c = ctx;

	snprintf(c->last, sizeof(c->last), "%s", line);
	c->n++;
}

static struct objfile *open_self(void)
{
	struct objfile *e = objfile__open("/proc/self/exe", NULL);

	assert_non_null(e);
	return e;
}

static void objfile_reads_own_header(void **state)
{
	struct objfile *e = open_self();
	size_t i;
	int found_main = 0;

	assert_true(e->has_debug_info);
	assert_int_equal(e->addr_size, (int)sizeof(void *));
	assert_int_equal(e->big_endian, __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__);
	for (i = 1; i < e->nsyms; i++)
		if (e->syms[i].type == STT_FUNC && !strcmp(e->syms[i].name, "main"))
			found_main = 1;
	assert_true(found_main);
	assert_true(objfile__find_section(e, ".debug_info") > 0);
	objfile__free(e);
}

/*
 * A relocatable object's debug sections are relocated where a reader looks: never its range
 * lists, its location lists unless the caller reads them (OBJFILE_NO_LOCATION_LISTS).
 */
static void objfile_relocates_what_is_read(void **state)
{
	const char *path = "tests/data/oracle/isra-gcc.o";	/* gcc -O2: both kinds of list */
	unsigned int flags[2] = { 0, OBJFILE_NO_LOCATION_LISTS };
	int k;

	for (k = 0; k < 2; k++) {
		struct objfile *e = objfile__open_flags(path, flags[k], NULL);
		size_t info, loc, rng;

		assert_non_null(e);
		info = objfile__find_section(e, ".debug_info");
		loc = objfile__find_section(e, ".debug_loclists");
		rng = objfile__find_section(e, ".debug_rnglists");
		assert_true(info && loc && rng);
		assert_true(e->secs[info].relocated);
		assert_int_equal(e->secs[loc].relocated, !flags[k]);
		assert_false(e->secs[rng].relocated);
		objfile__free(e);
	}
}

static void objfile_rejects_garbage(void **state)
{
	struct captured c = {};
	struct diag d = { .emit = capture, .ctx = &c };
	static const char junk[] = "definitely not an ELF image";

	errno = 0;
	assert_null(objfile__open_mem(junk, sizeof(junk), "junk.bin", &d));
	assert_int_equal(errno, ENOEXEC);
	assert_string_equal(c.last, "junk.bin: not an ELF file");
	assert_null(objfile__open_mem(junk, 0, "empty.bin", &d));
	assert_non_null(strstr(c.last, "empty.bin: empty file"));
}

static void objfile_rejects_truncated(void **state)
{
	struct captured c = {};
	struct diag d = { .emit = capture, .ctx = &c };
	FILE *f = fopen("/proc/self/exe", "rb");
	char *buf = malloc(1 << 20);
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, 1 << 20, f);
	fclose(f);
	assert_true(n > 8192);
	/* The section headers sit at the end: a 4 KiB prefix cannot hold them. */
	assert_null(objfile__open_mem(buf, 4096, "cut.elf", &d));
	assert_non_null(strstr(c.last, "cut.elf: "));
	assert_non_null(strstr(c.last, "truncated"));
	free(buf);
}

static void loader_lists_units_and_records(void **state)
{
	struct objfile *e = open_self();
	struct loader_config cfg = {};
	struct loader *l = loader__new(e, &cfg);
	struct loader_thread *t;
	const struct unit_span *u;
	struct cu_records cu = {};
	size_t n, i, j;
	int found = 0;

	assert_non_null(l);
	u = loader__units(l, &n);
	assert_true(n >= 1);
	t = loader__thread_new(l);
	assert_non_null(t);
	for (i = 0; i < n && !found; i++) {
		assert_true(loader__load_unit(t, &u[i], &cu) >= 0);
		for (j = 1; j < cu.ntypes; j++) {
			const struct type_rec *r = &cu.types[j];

			if (r->kind != LK_STRUCT || !r->name || strcmp(r->name, "test_marker"))
				continue;
			found = 1;
			assert_int_equal(r->nsub, 5);
			assert_string_equal(cu.subs[r->sub].name, "a");
			assert_int_equal(cu.subs[r->sub].bit_size, 3);
			assert_int_equal(cu.subs[r->sub + 1].value, 3);	/* b's bit offset */
			assert_int_equal(cu.subs[r->sub + 2].value, 64);
			assert_int_equal(cu.types[cu.subs[r->sub + 2].type].kind, LK_BASE);
			/* next points back to the struct itself through a pointer. */
			assert_int_equal(cu.types[cu.types[cu.subs[r->sub + 3].type].ref].kind,
					 LK_STRUCT);
		}
	}
	assert_true(found);
	cu_records__free(&cu);
	loader__thread_free(t);
	loader__free(l);
	objfile__free(e);
}

static struct btf *encode_self(int jobs, uint64_t chunk_bytes)
{
	struct objfile *e = open_self();
	struct encoder_config cfg = { .jobs = jobs, .gen_floats = 1 };
	struct encoder_internals in = { .chunk_bytes = chunk_bytes };
	struct btf *btf = NULL;

	assert_int_equal(encoder__encode_with(e, &cfg, &in, &btf, NULL), 0);
	objfile__free(e);
	return btf;
}

static const struct btf_type *find(const struct btf *btf, const char *name, int kind)
{
	int id = btf__find_by_name_kind(btf, name, kind);

	assert_true(id > 0);
	return btf__type_by_id(btf, id);
}

static void encoder_output_is_right(void **state)
{
	struct btf *btf = encode_self(1, 0);
	const struct btf_type *t;
	const struct btf_member *m;
	const struct btf_array *arr;

	t = find(btf, "test_marker", BTF_KIND_STRUCT);
	assert_int_equal(btf_vlen(t), 5);
	assert_true(btf_kflag(t));
	m = btf_members(t);
	assert_int_equal(btf_member_bitfield_size(t, 0), 3);
	assert_int_equal(btf_member_bit_offset(t, 1), 3);
	assert_int_equal(btf_member_bit_offset(t, 2), 64);
	/* int arr[2][5] is one ARRAY of 10 ints, as pahole writes it. */
	arr = btf_array(btf__type_by_id(btf, m[4].type));
	assert_int_equal(arr->nelems, 10);
	t = find(btf, "test_signed_enum", BTF_KIND_ENUM);
	assert_true(btf_kflag(t));
	assert_int_equal(btf_enum(t)[0].val, -2);
	t = find(btf, "main", BTF_KIND_FUNC);
	assert_int_equal(btf_vlen(t), BTF_FUNC_STATIC);	/* FUNC linkage lives in vlen */
	btf__free(btf);
}

static void encoder_is_deterministic_across_jobs(void **state)
{
	struct btf *a = encode_self(1, 4096), *b = encode_self(3, 4096), *c = encode_self(1, 0);
	const void *ra, *rb;
	__u32 sa, sb;

	ra = btf__raw_data(a, &sa);
	rb = btf__raw_data(b, &sb);
	assert_int_equal(sa, sb);
	assert_memory_equal(ra, rb, sa);
	/* Chunking changes order, never the set of types. */
	assert_int_equal(btf__type_cnt(a), btf__type_cnt(c));
	btf__free(a);
	btf__free(b);
	btf__free(c);
}

static void writer_is_all_or_nothing(void **state)
{
	char dir[] = "/tmp/btfenc-writer-XXXXXX", path[256], bad[300];
	struct captured c = {};
	struct diag d = { .emit = capture, .ctx = &c };
	struct btf *btf = btf__new_empty();
	struct stat st;
	FILE *f;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/out.btf", dir);
	f = fopen(path, "w");
	fputs("an old, longer file that must disappear entirely", f);
	fclose(f);
	chmod(path, 0600);
	assert_true(btf__add_int(btf, "int", 4, BTF_INT_SIGNED) > 0);
	assert_int_equal(writer__raw(btf, path, &d), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 24 + 16 + 5);	/* header, INT, "\0int\0" */
	assert_int_equal(st.st_mode & 0777, 0600);
	snprintf(bad, sizeof(bad), "%s/no/such/dir/out.btf", dir);
	assert_true(writer__raw(btf, bad, &d) < 0);
	assert_non_null(strstr(c.last, bad));
	assert_int_equal(writer__raw(btf, dir, &d), -EISDIR);
	unlink(path);
	assert_int_equal(rmdir(dir), 0);	/* no temporary file left */
	btf__free(btf);
}

/* xorshift64: a fixed sequence, so a failure reproduces. */
static uint64_t next_rand(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static void quiet(void *ctx, enum diag_level level, const char *line)
{
	int *n = ctx;

	(*n)++;
}

/*
 * The whole pipeline driven from a buffer, as a fuzzer would: an object's
 * .debug_info with random bytes overwritten must give BTF or a clean error,
 * never a crash (the suite also runs under ASan/UBSan).
 */
static void corrupted_dwarf_fails_cleanly(void **state)
{
	FILE *f = fopen("/proc/self/exe", "rb");
	struct objfile *probe;
	char *image, *copy;
	size_t size, info, info_size, i;
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	int messages = 0, failures = 0;
	struct diag d = { .emit = quiet, .ctx = &messages, .max_level = DIAG_DEBUG };

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	size = (size_t)ftell(f);
	rewind(f);
	image = malloc(size);
	copy = malloc(size);
	assert_int_equal(fread(image, 1, size, f), size);
	fclose(f);
	probe = objfile__open_mem(image, size, "self", &d);
	assert_non_null(probe);
	info = objfile__find_section(probe, ".debug_info");
	assert_true(info > 0);
	{
		GElf_Shdr sh;

		gelf_getshdr(elf_getscn(probe->elf, info), &sh);
		info = sh.sh_offset;
		info_size = sh.sh_size;
	}
	objfile__free(probe);
	for (i = 0; i < 400; i++) {
		struct encoder_config cfg = { .jobs = 1 + (int)(i % 2), .diag = &d };
		struct encoder_internals in = { .chunk_bytes = 8192 };
		struct btf *btf = NULL;
		struct objfile *e;
		int k, err;

		memcpy(copy, image, size);
		for (k = 0; k < 1 + (int)(i % 8); k++) {
			uint64_t r = next_rand(&seed);

			copy[info + r % info_size] = (char)(r >> 32);
		}
		e = objfile__open_mem(copy, size, "mutated", &d);
		if (!e)
			continue;
		err = encoder__encode_with(e, &cfg, &in, &btf, NULL);
		assert_true(err <= 0);
		if (err)
			failures++;
		btf__free(btf);
		objfile__free(e);
	}
	/* Some mutations must have been caught, with a message each time. */
	assert_true(failures > 0);
	assert_true(messages >= failures);
	free(image);
	free(copy);
}

/*
 * dedup_bridge__index_base() reads the base's bytes where libbpf keeps them. Once
 * libbpf lets them go (the base modified), the split dedup must notice and
 * index the base anew: not read freed memory (ASan), not miss the new type.
 */
static void stale_base_index_rebuilt(void **state)
{
	struct btf *base = btf__new_empty(), *m;
	struct dedup_base *index;

	assert_true(btf__add_int(base, "int", 4, BTF_INT_SIGNED) > 0);
	index = dedup_bridge__index_base(base, 1, 0);
	assert_non_null(index);

	/* Still current: used as it is. */
	m = btf__new_empty();
	assert_true(btf__add_int(m, "int", 4, BTF_INT_SIGNED) > 0);
	assert_int_equal(dedup_bridge__btf(&m, base, index, 0, NULL, "m1"), 0);
	assert_int_equal(btf__type_cnt(m), 2);	/* void, int: all the base's */
	btf__free(m);

	/* The base grows: libbpf frees the bytes the index was made of. */
	assert_true(btf__add_int(base, "long", 8, BTF_INT_SIGNED) > 0);
	m = btf__new_empty();
	assert_true(btf__add_int(m, "long", 8, BTF_INT_SIGNED) > 0);
	assert_true(btf__add_int(m, "short", 2, BTF_INT_SIGNED) > 0);
	assert_int_equal(dedup_bridge__btf(&m, base, index, 0, NULL, "m2"), 0);
	assert_int_equal(btf__type_cnt(m), 4);	/* void, int, long; short is its own */
	assert_string_equal(btf__name_by_offset(m, btf__type_by_id(m, 3)->name_off), "short");
	btf__free(m);
	dedup_bridge__free_index(index);
	btf__free(base);
}

#define FUNC_RULES_O	"tests/data/oracle/func_rules-gcc.o"
#define FUNC_RULES_ELF	"tests/data/oracle/func_rules_linked-gcc.elf"
#define FUNC_RULES_CLANG	"tests/data/oracle/func_rules-clang.o"
#define FUNC_RULES_NOCALL	"tests/data/oracle/func_rules_nocall-clang.o"
#define TRUE_SIG_ELF		"tests/data/oracle/true_sig-gcc.elf"
#define TRUE_SIG_NOCALL		"tests/data/oracle/true_sig_nocall-clang.o"

/* The functions named @name in @cu: the concrete instance (with an address) and the other. */
static void find_funcs(const struct cu_records *cu, const char *name,
		       const struct func_rec **concrete, const struct func_rec **other)
{
	size_t i;

	*concrete = *other = NULL;
	for (i = 0; i < cu->nfuncs; i++) {
		const struct func_rec *f = &cu->funcs[i];

		if (f->name && !strcmp(f->name, name)) {
			if (f->has_low_pc)
				*concrete = f;
			else
				*other = f;
		}
	}
	assert_non_null(*concrete);
	assert_non_null(*other);
}

/*
 * gcc's clone scaled.constprop.0 lists v, then the dropped unused: its parameters'
 * origins are at other positions (reordered), and the abstract scaled(unused, v) gets
 * what the concrete v has, a location in rdi (pahole master's ftype__recode_dwarf_types()).
 * tail.constprop.0 dropped its last parameter: same order.
 */
static void loader_reads_master_parameter_facts(void **state)
{
	struct objfile *e = objfile__open(FUNC_RULES_O, NULL);
	struct loader_config cfg = { .param_locations = 1 };
	const struct func_rec *concrete, *abstract;
	const struct sub_rec *v;
	struct cu_records cu = {};
	const struct unit_span *u;
	struct loader_thread *t;
	struct loader *l;
	size_t n;

	assert_non_null(e);
	l = loader__new(e, &cfg);
	assert_non_null(l);
	u = loader__units(l, &n);
	assert_int_equal(n, 1);
	t = loader__thread_new(l);
	assert_int_equal(loader__load_unit(t, &u[0], &cu), 0);
	assert_false(cu.producer_clang);

	find_funcs(&cu, "scaled", &concrete, &abstract);
	assert_true(concrete->reordered);
	assert_false(abstract->reordered);
	assert_false(concrete->signature_changed);
	v = &cu.subs[cu.types[concrete->proto].sub];
	assert_string_equal(v->name, "v");
	assert_true(v->flags & LSUB_P_LOC);
	assert_int_equal(LSUB_P_REG_SCALAR(v->bit_size), 5);	/* rdi */
	v = &cu.subs[cu.types[abstract->proto].sub + 1];
	assert_string_equal(v->name, "v");
	assert_true(v->flags & LSUB_P_LOC);			/* shared */
	assert_true(v->flags & LSUB_P_NOLOC);			/* pahole 1.31: not shared */
	assert_int_equal(LSUB_P_REG_SCALAR(v->bit_size), 5);

	find_funcs(&cu, "tail", &concrete, &abstract);
	assert_false(concrete->reordered);
	assert_int_equal(cu.types[concrete->proto].nsub, 2);

	cu_records__free(&cu);
	loader__thread_free(t);
	loader__free(l);
	objfile__free(e);
}

struct rule_run {
	struct btf *btf;
	struct captured said;	/* the last -V line, and how many */
	char log[4096];		/* every "left out" or true_signature line, joined */
};

static void capture_left_out(void *ctx, enum diag_level level, const char *line)
{
	struct rule_run *r = ctx;

	capture(&r->said, level, line);
	if (strstr(line, " left out: ") || strstr(line, "true_signature"))
		snprintf(r->log + strlen(r->log), sizeof(r->log) - strlen(r->log), "%s\n", line);
}

/* Encodes @path as Linux 6.12 asks (+ @compat, - consistent_func if !@consistent). */
static void encode_rules_ts(struct rule_run *r, const char *path, int compat, int consistent,
			    int jobs, uint64_t chunk_bytes, int true_sig)
{
	struct diag d = { .emit = capture_left_out, .ctx = r, .max_level = DIAG_INFO };
	struct encoder_config cfg = { .jobs = jobs, .gen_floats = 1, .optimized_funcs = 1,
				      .consistent_funcs = consistent, .decl_tag_kfuncs = 1,
				      .compat_124 = compat, .true_signature = true_sig,
				      .diag = &d };
	struct encoder_internals in = { .chunk_bytes = chunk_bytes };
	struct objfile *e = objfile__open(path, NULL);

	memset(r, 0, sizeof(*r));
	assert_non_null(e);
	assert_int_equal(encoder__encode_with(e, &cfg, &in, &r->btf, NULL), 0);
	objfile__free(e);
}

static void encode_rules(struct rule_run *r, const char *path, int compat, int consistent,
			 int jobs, uint64_t chunk_bytes)
{
	encode_rules_ts(r, path, compat, consistent, jobs, chunk_bytes, 0);
}

/* Whether @a and @b hold the same bytes. */
static int same_bytes(const struct btf *a, const struct btf *b)
{
	const void *ra, *rb;
	__u32 sa, sb;

	ra = btf__raw_data(a, &sa);
	rb = btf__raw_data(b, &sb);
	return sa == sb && !memcmp(ra, rb, sa);
}

static int has_func(const struct btf *btf, const char *name)
{
	return btf__find_by_name_kind(btf, name, BTF_KIND_FUNC) > 0;
}

/* The FUNC_PROTO of FUNC @name. */
static const struct btf_type *find_proto(const struct btf *btf, const char *name)
{
	return btf__type_by_id(btf, find(btf, name, BTF_KIND_FUNC)->type);
}

/* The name of parameter @i of FUNC @name. */
static const char *param_name(const struct btf *btf, const char *name, int i)
{
	const struct btf_type *fn = find(btf, name, BTF_KIND_FUNC);
	const struct btf_type *proto = btf__type_by_id(btf, fn->type);

	assert_true(btf_vlen(proto) > i);
	return btf__name_by_offset(btf, btf_params(proto)[i].name_off);
}

/*
 * pahole master on a linked program: tail.constprop.0 dropped a parameter and sits at
 * tail's address (the signature changed: dwarves fb8328e); scaled's parameters are
 * reordered too (109e5e4); apply's callbacks take other parameters in the two units
 * (2f9a77e: pahole 1.31 compared their return types only); pick()'s prototype is the
 * strong definition's, not the __weak one met first (faaa3f1).
 */
static void master_rules_on_linked_program(void **state)
{
	struct rule_run r;

	encode_rules(&r, FUNC_RULES_ELF, 0, 1, 1, 0);
	assert_false(has_func(r.btf, "tail"));
	assert_false(has_func(r.btf, "scaled"));
	assert_false(has_func(r.btf, "apply"));
	assert_true(has_func(r.btf, "use_a"));
	assert_string_equal(param_name(r.btf, "pick", 0), "regs");
	assert_non_null(strstr(r.log, "function 'tail' left out: optimized-out parameters in a "
				      "changed signature"));
	assert_non_null(strstr(r.log, "function 'scaled' left out: optimized-out parameters"));
	assert_non_null(strstr(r.log, "function 'apply' left out: inconsistent prototypes"));
	btf__free(r.btf);

	/* Without consistent_func only apply's differing prototypes are forgiven. */
	encode_rules(&r, FUNC_RULES_ELF, 0, 0, 1, 0);
	assert_false(has_func(r.btf, "tail"));
	assert_false(has_func(r.btf, "scaled"));
	assert_true(has_func(r.btf, "apply"));
	btf__free(r.btf);
}

/* The compatibility behaviour keeps pahole 1.26 to 1.31's rules: all four written. */
static void compat_keeps_131_function_rules(void **state)
{
	struct rule_run r;

	encode_rules(&r, FUNC_RULES_ELF, 1, 1, 1, 0);
	assert_true(has_func(r.btf, "tail"));
	assert_true(has_func(r.btf, "scaled"));
	assert_true(has_func(r.btf, "apply"));
	assert_string_equal(param_name(r.btf, "pick", 0), "__unused");
	assert_string_equal(param_name(r.btf, "scaled", 0), "unused");
	assert_int_equal(r.log[0], 0);
	btf__free(r.btf);
}

/*
 * In a relocatable file pahole's DWARF addresses (sections laid out by libdwfl) never
 * equal its symbols' values (section offsets): tail stays, with its declared prototype;
 * scaled goes for its reordered parameters.
 */
static void relocatable_addresses_never_match(void **state)
{
	struct rule_run r;

	encode_rules(&r, FUNC_RULES_O, 0, 1, 1, 0);
	assert_true(has_func(r.btf, "tail"));
	assert_string_equal(param_name(r.btf, "tail", 1), "unused");
	assert_false(has_func(r.btf, "scaled"));
	assert_non_null(strstr(r.log, "function 'scaled' left out: parameters reordered"));
	btf__free(r.btf);
}

/*
 * Each unit its own chunk, deduplicated on its own: tail's abstract DIE and its clone
 * have equal prototypes but not the same facts (only the clone is at tail's address), so
 * the chunk's dedup must not merge their FUNCs; the bytes are those of one chunk.
 */
static void rules_do_not_depend_on_chunks(void **state)
{
	struct rule_run a, b;
	const void *ra, *rb;
	__u32 sa, sb;

	encode_rules(&a, FUNC_RULES_ELF, 0, 1, 1, 0);
	encode_rules(&b, FUNC_RULES_ELF, 0, 1, 3, 1);
	assert_false(has_func(b.btf, "tail"));
	ra = btf__raw_data(a.btf, &sa);
	rb = btf__raw_data(b.btf, &sb);
	assert_int_equal(sa, sb);
	assert_memory_equal(ra, rb, sa);
	btf__free(a.btf);
	btf__free(b.btf);
}

/*
 * clang marks a function whose signature it changed DW_CC_nocall (dwarves fb8328e's other
 * sign; the fixture's tail() carries it by hand, clang 14 does not write it): its
 * optimized-out parameter then drops it, in a relocatable file too. Unmarked, clang's
 * tail() is judged by its registers only and stays.
 */
static void clang_nocall_is_a_changed_signature(void **state)
{
	struct objfile *e = objfile__open(FUNC_RULES_NOCALL, NULL);
	struct loader_config cfg = { .param_locations = 1 };
	struct loader *l = loader__new(e, &cfg);
	struct loader_thread *t = loader__thread_new(l);
	const struct func_rec *tail = NULL;
	const struct unit_span *u;
	struct cu_records cu = {};
	struct rule_run r;
	size_t n, i;

	u = loader__units(l, &n);
	assert_int_equal(loader__load_unit(t, &u[0], &cu), 0);
	assert_true(cu.producer_clang);
	for (i = 0; i < cu.nfuncs; i++) {
		if (cu.funcs[i].name && !strcmp(cu.funcs[i].name, "tail"))
			tail = &cu.funcs[i];
		else
			assert_false(cu.funcs[i].signature_changed);
	}
	assert_non_null(tail);
	assert_true(tail->signature_changed);
	cu_records__free(&cu);
	loader__thread_free(t);
	loader__free(l);
	objfile__free(e);

	encode_rules(&r, FUNC_RULES_CLANG, 0, 1, 1, 0);
	assert_true(has_func(r.btf, "tail"));
	btf__free(r.btf);
	encode_rules(&r, FUNC_RULES_NOCALL, 0, 1, 1, 0);
	assert_false(has_func(r.btf, "tail"));
	assert_non_null(strstr(r.log, "function 'tail' left out: optimized-out parameters in a "
				      "changed signature"));
	btf__free(r.btf);
	encode_rules(&r, FUNC_RULES_NOCALL, 1, 1, 1, 0);
	assert_true(has_func(r.btf, "tail"));
	btf__free(r.btf);
}

/*
 * true_signature (func_select.h D1-D3) on tests/fixtures/true_sig*.c, linked:
 * drop_mode.constprop.0 at drop_mode's address, with its declared prototype, instead of
 * nothing (its optimized-out parameter); drop_last.constprop.0 although another static
 * drop_last() has another address; drop_first and first_only stay out (their abstract
 * DIEs' parameters in unexpected registers); the bytes do not depend on chunks.
 */
static void true_signature_names_clones(void **state)
{
	struct rule_run r, b;

	encode_rules(&r, TRUE_SIG_ELF, 0, 1, 1, 0);
	assert_false(has_func(r.btf, "drop_mode") || has_func(r.btf, "drop_mode.constprop.0"));
	assert_false(has_func(r.btf, "drop_last") || has_func(r.btf, "drop_last.constprop.0"));
	btf__free(r.btf);

	encode_rules_ts(&r, TRUE_SIG_ELF, 0, 1, 1, 0, 1);
	assert_true(has_func(r.btf, "drop_mode.constprop.0"));
	assert_string_equal(param_name(r.btf, "drop_mode.constprop.0", 2), "mode");
	assert_true(has_func(r.btf, "drop_last.constprop.0"));
	assert_string_equal(param_name(r.btf, "drop_last.constprop.0", 1), "unused");
	assert_false(has_func(r.btf, "drop_mode") || has_func(r.btf, "drop_last"));
	assert_false(has_func(r.btf, "drop_first") || has_func(r.btf, "drop_first.constprop.0"));
	assert_false(has_func(r.btf, "first_only") || has_func(r.btf, "first_only.isra.0"));
	assert_true(has_func(r.btf, "keep"));
	assert_non_null(strstr(r.log, "function 'drop_mode' written as 'drop_mode.constprop.0', "
				      "the clone at its address, with that clone's prototype "
				      "(true_signature; without it: left out: optimized-out "
				      "parameters in a changed signature)"));
	assert_non_null(strstr(r.log, "function 'drop_last' written as 'drop_last.constprop.0'"));
	assert_non_null(strstr(r.log, "without it: left out: several addresses for one name"));

	encode_rules_ts(&b, TRUE_SIG_ELF, 0, 1, 3, 1, 1);
	assert_true(same_bytes(r.btf, b.btf));
	btf__free(r.btf);
	btf__free(b.btf);

	/* pahole master's rules otherwise: tail.constprop.0 of func_rules*.c. */
	encode_rules_ts(&r, FUNC_RULES_ELF, 0, 1, 1, 0, 1);
	assert_true(has_func(r.btf, "tail.constprop.0"));
	assert_string_equal(param_name(r.btf, "tail.constprop.0", 1), "unused");
	assert_false(has_func(r.btf, "tail") || has_func(r.btf, "scaled"));
	btf__free(r.btf);
}

/* The compatibility behaviour does not apply true_signature: pahole 1.31's rules, bytes. */
static void true_signature_not_in_compat(void **state)
{
	struct rule_run r, b;

	encode_rules(&r, TRUE_SIG_ELF, 1, 1, 1, 0);
	encode_rules_ts(&b, TRUE_SIG_ELF, 1, 1, 1, 0, 1);
	assert_true(has_func(b.btf, "drop_mode"));
	assert_false(has_func(b.btf, "drop_mode.constprop.0"));
	assert_true(same_bytes(r.btf, b.btf));
	btf__free(r.btf);
	btf__free(b.btf);
}

/*
 * func_select.h D4 on tests/fixtures/true_sig_nocall.c (every static function marked
 * DW_CC_nocall by hand): the loader's facts (pair_one's p passed in one piece, its member
 * at offset 0; pair_both's in two), and the prototypes pahole master writes: the
 * optimized-out parameters left out, pair_one's p written as its member a.
 */
static void true_signature_for_nocall(void **state)
{
	struct objfile *e = objfile__open(TRUE_SIG_NOCALL, NULL);
	struct loader_config cfg = { .param_locations = 1 };
	struct loader *l = loader__new(e, &cfg);
	struct loader_thread *t = loader__thread_new(l);
	const struct func_rec *one = NULL, *both = NULL;
	const struct unit_span *u;
	struct cu_records cu = {};
	const struct sub_rec *p;
	struct rule_run r;
	size_t n, i;

	u = loader__units(l, &n);
	assert_int_equal(loader__load_unit(t, &u[0], &cu), 0);
	for (i = 0; i < cu.nfuncs; i++) {
		if (cu.funcs[i].name && !strcmp(cu.funcs[i].name, "pair_one"))
			one = &cu.funcs[i];
		if (cu.funcs[i].name && !strcmp(cu.funcs[i].name, "pair_both"))
			both = &cu.funcs[i];
	}
	assert_non_null(one);
	assert_non_null(both);
	assert_true(one->signature_changed);
	p = &cu.subs[cu.types[one->proto].sub];
	assert_int_equal(p->flags & (LSUB_P_PIECES_LO | LSUB_P_PIECES_HI | LSUB_P_MEMBER),
			 LSUB_P_PIECES_LO | LSUB_P_MEMBER);
	assert_int_equal(LSUB_P_MEMBER_AT(p->bit_size), 0);
	p = &cu.subs[cu.types[both->proto].sub];
	assert_int_equal(p->flags & (LSUB_P_PIECES_LO | LSUB_P_PIECES_HI | LSUB_P_MEMBER),
			 LSUB_P_PIECES_LO | LSUB_P_PIECES_HI);
	cu_records__free(&cu);
	loader__thread_free(t);
	loader__free(l);
	objfile__free(e);

	encode_rules_ts(&r, TRUE_SIG_NOCALL, 0, 1, 1, 0, 1);
	assert_int_equal(btf_vlen(find_proto(r.btf, "mid_unused")), 2);
	assert_string_equal(param_name(r.btf, "mid_unused", 1), "b");
	assert_int_equal(btf_vlen(find_proto(r.btf, "last_unused")), 1);
	assert_string_equal(param_name(r.btf, "pair_one", 0), "p__a");
	assert_string_equal(param_name(r.btf, "pair_both", 0), "p");
	assert_non_null(strstr(r.log, "function 'pair_one' written with the parameters it "
				      "receives"));
	btf__free(r.btf);

	/* Without true_signature the optimized-out parameters drop them (C3). */
	encode_rules(&r, TRUE_SIG_NOCALL, 0, 1, 1, 0);
	assert_false(has_func(r.btf, "mid_unused") || has_func(r.btf, "last_unused"));
	assert_string_equal(param_name(r.btf, "pair_one", 0), "p");
	btf__free(r.btf);

	/* func_rules_nocall-clang.o's tail(v, unused): tail(v). */
	encode_rules_ts(&r, FUNC_RULES_NOCALL, 0, 1, 1, 0, 1);
	assert_int_equal(btf_vlen(find_proto(r.btf, "tail")), 1);
	btf__free(r.btf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(objfile_reads_own_header),
		cmocka_unit_test(objfile_relocates_what_is_read),
		cmocka_unit_test(objfile_rejects_garbage),
		cmocka_unit_test(objfile_rejects_truncated),
		cmocka_unit_test(loader_lists_units_and_records),
		cmocka_unit_test(encoder_output_is_right),
		cmocka_unit_test(encoder_is_deterministic_across_jobs),
		cmocka_unit_test(writer_is_all_or_nothing),
		cmocka_unit_test(corrupted_dwarf_fails_cleanly),
		cmocka_unit_test(stale_base_index_rebuilt),
		cmocka_unit_test(loader_reads_master_parameter_facts),
		cmocka_unit_test(master_rules_on_linked_program),
		cmocka_unit_test(compat_keeps_131_function_rules),
		cmocka_unit_test(relocatable_addresses_never_match),
		cmocka_unit_test(rules_do_not_depend_on_chunks),
		cmocka_unit_test(clang_nocall_is_a_changed_signature),
		cmocka_unit_test(true_signature_names_clones),
		cmocka_unit_test(true_signature_not_in_compat),
		cmocka_unit_test(true_signature_for_nocall),
	};

	(void)test_marker_instance;
	(void)test_enum_instance;
	return cmocka_run_group_tests_name("encoder", tests, NULL, NULL);
}
