// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests: dwarf_loader/die_scan.c against libdw, DIE by DIE. The fixtures
 * are compiled here with gcc and clang (each skipped if absent), DWARF 4 and
 * 5, -O0 and -O2, as objects (relocated by the loader) and executables: gcc
 * writes DW_AT_sibling, clang does not, DWARF 5 brings strx / implicit_const.
 * For every DIE the tag, the children flag, the attributes read (slot, form,
 * value pointer, string, reference target) and the child and sibling
 * positions must be libdw's, and the fast path must have been taken for every
 * unit.
 */
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
#include <dwarf.h>

#include "dwarf_loader/loader_int.h"

struct counts {
	size_t dies, units, with_sibling_attr, strings, refs, consts;
	size_t planned_members, planned_modifiers, planned_enumerators, planned_params;
	size_t planned_bits;
};

/* Attribute @name of @die as libdw's unsigned constant: 1 and *@v, 0 if absent. */
static int libdw_udata(Dwarf_Die *die, unsigned int name, Dwarf_Word *v)
{
	Dwarf_Attribute a;

	if (!dwarf_attr(die, name, &a))
		return 0;
	assert_int_equal(dwarf_formudata(&a, v), 0);
	return 1;
}

/* A DIE read by its abbreviation's plain plan: every value is libdw's. */
static void compare_planned_member(struct die_scan *s, Dwarf_Die *die, struct counts *c)
{
	static const unsigned int general[] = {
		DW_AT_external, DW_AT_declaration, DW_AT_bit_offset,
	};
	static const struct { int x; unsigned int name; } values[] = {
		{ PV_LOC, DW_AT_data_member_location }, { PV_DATA_BIT_OFFSET, DW_AT_data_bit_offset },
		{ PV_BIT_SIZE, DW_AT_bit_size }, { PV_BYTE_SIZE, DW_AT_byte_size },
		{ PV_CONST_VALUE, DW_AT_const_value },
	};
	struct plain_die m;
	Dwarf_Attribute a;
	Dwarf_Die target, sib;
	Dwarf_Word v;
	size_t i;
	int r, tag = dwarf_tag(die);

	if (!die_scan__plain(s, die, &m))
		return;
	/* A parameter's location is noted, never read; nothing else has one. */
	assert_int_equal(!!(m.has & PV_BIT(PV_LOCATION)), !!dwarf_hasattr(die, DW_AT_location));
	if (tag != DW_TAG_formal_parameter)
		assert_false(m.has & PV_BIT(PV_LOCATION));
	assert_false(dwarf_hasattr(die, DW_AT_abstract_origin));
	if (tag == DW_TAG_member)
		c->planned_members++;
	else if (tag == DW_TAG_formal_parameter)
		c->planned_params++;
	else if (tag == DW_TAG_enumerator)
		c->planned_enumerators++;
	else
		c->planned_modifiers++;
	assert_true(tag == DW_TAG_member || tag == DW_TAG_enumerator ||
		    tag == DW_TAG_formal_parameter || tag == DW_TAG_pointer_type ||
		    tag == DW_TAG_reference_type || tag == DW_TAG_rvalue_reference_type ||
		    tag == DW_TAG_const_type || tag == DW_TAG_volatile_type ||
		    tag == DW_TAG_restrict_type || tag == DW_TAG_atomic_type ||
		    tag == DW_TAG_typedef);
	assert_false(dwarf_haschildren(die));
	for (i = 0; i < sizeof(general) / sizeof(general[0]); i++)
		assert_false(dwarf_hasattr(die, general[i]));
	if (m.name)
		assert_string_equal(m.name, dwarf_diename(die));
	else
		assert_null(dwarf_diename(die));
	if (m.type_off) {
		assert_non_null(dwarf_formref_die(dwarf_attr(die, DW_AT_type, &a), &target));
		assert_int_equal(m.type_off, dwarf_dieoffset(&target));
	} else {
		assert_false(dwarf_hasattr(die, DW_AT_type));
	}
	assert_false(m.has & ~(uint32_t)(PV_BIT(PV_LOCATION + 1) - 1));
	assert_int_equal(!!m.name, !!(m.has & PV_BIT(PV_NAME)));
	assert_int_equal(!!m.type_off, !!(m.has & PV_BIT(PV_TYPE)));
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		int x = values[i].x;

		assert_int_equal(!!(m.has & PV_BIT(x)), libdw_udata(die, values[i].name, &v));
		if (m.has & PV_BIT(x))
			assert_int_equal(m.val[x], v);
	}
	if (m.has & PV_BIT(PV_BIT_SIZE))
		c->planned_bits++;
	/* Its end is where libdw finds its sibling. */
	r = dwarf_siblingof(die, &sib);
	assert_int_equal(die_scan__sibling_at(s, m.end, &target), r);
	if (!r)
		assert_ptr_equal(target.addr, sib.addr);
}

static void compare_die(struct die_scan *s, Dwarf_Die *die, struct counts *c)
{
	struct die_attrs fast, slow;
	Dwarf_Attribute a;
	int i;

	c->dies++;
	assert_int_equal(die_scan__offset(s, die), dwarf_dieoffset(die));
	assert_int_equal(die_scan__tag(s, die), dwarf_tag(die));
	assert_int_equal(die_scan__haschildren(s, die), dwarf_haschildren(die));
	assert_int_equal(die_scan__attrs(s, die, &fast), 0);
	assert_int_equal(die_attrs__read_libdw(die, &slow), 0);
	assert_int_equal(fast.present, slow.present);
	/* The end the scan reports is where libdw finds a childless DIE's sibling. */
	assert_non_null(fast.end);
	assert_int_equal(fast.children, dwarf_haschildren(die));
	if (!fast.children) {
		Dwarf_Die ms, ls;
		int rm = die_scan__sibling_after(s, &fast, die, &ms);
		int rl = dwarf_siblingof(die, &ls);

		assert_int_equal(rm, rl);
		if (!rm)
			assert_ptr_equal(ms.addr, ls.addr);
	}
	for (i = 0; i < A__MAX; i++) {
		Dwarf_Die target;
		uint64_t off;

		if (!HAS(&fast, i))
			continue;
		assert_int_equal(fast.a[i].code, slow.a[i].code);
		assert_int_equal(fast.a[i].form, slow.a[i].form);
		assert_ptr_equal(fast.a[i].valp, slow.a[i].valp);
		assert_ptr_equal(fast.a[i].cu, slow.a[i].cu);
		/* Strings: the same text (pointers may differ: compressed sections). */
		if (dwarf_formstring(&slow.a[i])) {
			assert_non_null(die_scan__string(s, &fast.a[i]));
			assert_string_equal(die_scan__string(s, &fast.a[i]),
					    dwarf_formstring(&slow.a[i]));
			c->strings++;
		}
		/* Constants: libdw's value whenever the scan decodes one itself. */
		{
			Dwarf_Word lv;
			uint64_t mv;

			if (die_scan__udata(s, &fast.a[i], &mv)) {
				assert_int_equal(dwarf_formudata(&slow.a[i], &lv), 0);
				assert_int_equal(mv, lv);
				c->consts++;
			}
			/* Flags: die_attrs__flag() decides these two forms itself. */
			if (fast.a[i].form == DW_FORM_flag || fast.a[i].form == DW_FORM_flag_present) {
				bool f;

				assert_int_equal(dwarf_formflag(&slow.a[i], &f), 0);
				assert_int_equal(die_attrs__flag(&fast, i), f);
			}
		}
		/* References inside the unit: libdw's target DIE. */
		if (die_scan__ref(s, &fast.a[i], &off)) {
			Dwarf_Die mine;

			assert_non_null(dwarf_formref_die(&slow.a[i], &target));
			assert_int_equal(off, dwarf_dieoffset(&target));
			die_scan__die(s, off, &mine);
			assert_ptr_equal(mine.addr, target.addr);
			assert_ptr_equal(mine.cu, target.cu);
			c->refs++;
		}
	}
	if (dwarf_attr(die, DW_AT_sibling, &a))
		c->with_sibling_attr++;
	compare_planned_member(s, die, c);
}

/* Children of @die, recursively, with both readers side by side. */
static void compare_tree(struct die_scan *s, Dwarf_Die *die, struct counts *c)
{
	Dwarf_Die f, l, fn, ln;
	int rf, rl;

	rf = die_scan__child(s, die, &f);
	rl = dwarf_child(die, &l);
	assert_int_equal(rf, rl);
	while (rf == 0) {
		assert_ptr_equal(f.addr, l.addr);
		compare_die(s, &f, c);
		if (dwarf_haschildren(&f))
			compare_tree(s, &f, c);
		rf = die_scan__sibling(s, &f, &fn);
		rl = dwarf_siblingof(&l, &ln);
		assert_int_equal(rf, rl);
		f = fn;
		l = ln;
	}
}

static void compare_file(const char *path, struct counts *c)
{
	struct loader_config cfg = { 0 };
	struct objfile *elf = objfile__open(path, NULL);
	struct loader *l;
	struct loader_thread *t;
	const struct unit_span *units;
	size_t n, i;

	assert_non_null(elf);
	l = loader__new(elf, &cfg);
	assert_non_null(l);
	t = loader__thread_new(l);
	assert_non_null(t);
	units = loader__units(l, &n);
	assert_true(n > 0);
	for (i = 0; i < n; i++) {
		Dwarf_Die cudie;

		assert_non_null(dwarf_offdie(t->dwarf, units[i].die_off, &cudie));
		assert_int_equal(die_scan__begin(&t->scan, &cudie, l), 0);
		/* The fast path is on: a silent fallback would make this test moot. */
		assert_ptr_equal(t->scan.cu, cudie.cu);
		compare_die(&t->scan, &cudie, c);
		compare_tree(&t->scan, &cudie, c);
		/* Nor for a single DIE: libdw gave the same answers, but the scan gave up. */
		assert_int_equal(t->scan.fallbacks, 0);
		c->units++;
	}
	loader__thread_free(t);
	loader__free(l);
	objfile__free(elf);
}

static int have(const char *cc)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", cc);
	return system(cmd) == 0;
}

/*
 * Builds types.c with @cc @flags (-c if @object) in a temporary directory and
 * compares. Returns 0, or -1 if @may_fail and the compiler refused.
 */
static int run_variant(const char *cc, const char *flags, int object, struct counts *c,
		       int may_fail)
{
	char dir[] = "/tmp/btfenc-die_scan.XXXXXX", cmd[2048], out[512], src[1024];
	const char *here = __FILE__, *slash = strrchr(here, '/');
	int len = slash ? (int)(slash - here) : 1;

	snprintf(src, sizeof(src), "%.*s/../fixtures/types.c", len, slash ? here : ".");
	assert_non_null(mkdtemp(dir));
	snprintf(out, sizeof(out), "%s/%s", dir, object ? "t.o" : "t");
	snprintf(cmd, sizeof(cmd), "%s %s %s -o %s %s 2>/dev/null", cc, flags, object ? "-c" : "",
		 out, src);
	if (system(cmd) != 0) {
		assert_true(may_fail);
		rmdir(dir);
		return -1;
	}
	compare_file(out, c);
	unlink(out);
	rmdir(dir);
	return 0;
}

static void matrix(const char *cc)
{
	static const char *const flags[] = {
		"-g -gdwarf-4 -O0", "-g -gdwarf-5 -O0", "-g -gdwarf-4 -O2", "-g -gdwarf-5 -O2",
	};
	struct counts c = { 0 };
	size_t i;

	if (!have(cc))
		skip();
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		run_variant(cc, flags[i], 1, &c, 0);
		run_variant(cc, flags[i], 0, &c, 0);
	}
	assert_true(c.units >= 8);
	assert_true(c.dies > 1000);
	assert_true(c.strings > 500);
	assert_true(c.refs > 500);
	assert_true(c.consts > 500);	/* sizes, offsets, languages decoded by the scan */
	/* Members by plan (clang's DWARF 5 names are strx, which the plan leaves
	 * to the general way), and gcc's bitfields (clang's DWARF 4 ones have
	 * DW_AT_bit_offset, also the general way). */
	assert_true(c.planned_members > 50);
	assert_true(c.planned_modifiers > 20);	/* pointers, qualifiers, typedefs */
	assert_true(c.planned_params > 5);
	/* gcc's enumerators (clang writes their values as LEB128: no plan). */
	if (!strcmp(cc, "gcc")) {
		assert_true(c.planned_bits > 4);
		assert_true(c.planned_enumerators > 5);
	}
	/* gcc's DWARF has DW_AT_sibling (the jump), clang's none (the skip). */
	if (!strcmp(cc, "gcc"))
		assert_true(c.with_sibling_attr > 0);
	else
		assert_int_equal(c.with_sibling_attr, 0);
}

static void gcc_dies_match_libdw(void **state)
{
	(void)state;
	matrix("gcc");
}

static void clang_dies_match_libdw(void **state)
{
	(void)state;
	matrix("clang");
}

/*
 * Objects for other machines (clang's cross targets, no libc needed): s390x
 * and ppc64 are big-endian, so every multi-byte value die_scan reads is read in
 * the file's order, not the host's.
 */
static void cross_targets_match_libdw(void **state)
{
	static const char *const targets[] = {
		"s390x-linux-gnu", "powerpc64-linux-gnu", "aarch64-linux-gnu",
	};
	struct counts c = { 0 };
	char flags[128];
	size_t i, v, built = 0;

	(void)state;
	if (!have("clang"))
		skip();
	for (i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		for (v = 4; v <= 5; v++) {
			snprintf(flags, sizeof(flags), "--target=%s -ffreestanding -g -gdwarf-%zu -O2",
				 targets[i], v);
			if (run_variant("clang", flags, 1, &c, 1) == 0)
				built++;
		}
	}
	if (!built)
		skip();
	assert_true(c.dies > 100 * built);
	assert_true(c.refs > 0 && c.strings > 0);
	assert_true(c.planned_members > 0);	/* big-endian values by plan too */
}

/* This binary's own DWARF: libc headers, cmocka, the loader's own units. */
static void own_binary_matches_libdw(void **state)
{
	struct counts c = { 0 };

	(void)state;
	compare_file("/proc/self/exe", &c);
	assert_true(c.units > 10);
#ifndef __clang__
	/* gcc's names are strp; clang's DWARF 5 ones strx, which no plan takes. */
	assert_true(c.planned_members > 100);
	assert_true(c.planned_modifiers > 100);
#endif
}

/*
 * 1 if die_scan took the abbreviation table of the one unit of an object whose
 * only abbreviation has code @code (a childless compile unit), 0 if it left the
 * unit to libdw.
 */
static int table_taken(unsigned int code)
{
	char dir[] = "/tmp/btfenc-die_scan.XXXXXX", cmd[1024], obj[512];
	struct loader_config cfg = { 0 };
	const struct unit_span *units;
	struct loader_thread *t;
	struct objfile *elf;
	struct loader *l;
	Dwarf_Die cudie;
	size_t n;
	int taken;

	assert_non_null(mkdtemp(dir));
	snprintf(obj, sizeof(obj), "%s/sparse.o", dir);
	snprintf(cmd, sizeof(cmd),
		 "printf '%%s\\n' '.section .debug_abbrev,\"\",@progbits' 'abbrev: .uleb128 %u, 0x11'"
		 " '.byte 0, 0, 0, 0' '.section .debug_info,\"\",@progbits' '.long 2f - 1f'"
		 " '1: .short 4' '.long abbrev' '.byte 8' '.uleb128 %u' '2:' | as -o %s -",
		 code, code, obj);
	assert_int_equal(system(cmd), 0);
	elf = objfile__open(obj, NULL);
	assert_non_null(elf);
	l = loader__new(elf, &cfg);
	assert_non_null(l);
	t = loader__thread_new(l);
	assert_non_null(t);
	units = loader__units(l, &n);
	assert_int_equal(n, 1);
	assert_non_null(dwarf_offdie(t->dwarf, units[0].die_off, &cudie));
	assert_int_equal(die_scan__begin(&t->scan, &cudie, l), 0);
	taken = t->scan.table_valid;
	loader__thread_free(t);
	loader__free(l);
	objfile__free(elf);
	unlink(obj);
	rmdir(dir);
	return taken;
}

/*
 * Codes index die_scan's abbreviation array, cleared for every unit: a code far
 * above the entries read so far (past 1,024 + 4 per entry) leaves the unit to
 * libdw, so a tiny table claiming code 60,000 cannot make every unit clear an
 * array of 60,000 entries.
 */
static void sparse_abbrev_codes_go_to_libdw(void **state)
{
	(void)state;
	assert_int_equal(table_taken(1), 1);
	assert_int_equal(table_taken(1024), 1);
	assert_int_equal(table_taken(1025), 0);
	assert_int_equal(table_taken(60000), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(gcc_dies_match_libdw),
		cmocka_unit_test(clang_dies_match_libdw),
		cmocka_unit_test(cross_targets_match_libdw),
		cmocka_unit_test(own_binary_matches_libdw),
		cmocka_unit_test(sparse_abbrev_codes_go_to_libdw),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
