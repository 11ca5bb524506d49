#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# End-to-end tests of the variable rules: --btf_features=+global_var and
# --encode_all_btf_vars on tests/fixtures/globals*.c, compiled now with gcc and clang
# (-O0/-O2, DWARF 4/5) as executables and as relocatable objects. Asserts the VAR and
# DATASEC set through `btfenc dump --format=canonical`, the reasons printed under -V and
# the coverage under --stats, determinism across -j with tiny chunks, split output on a
# base, and the running kernel's verdict (BPF_BTF_LOAD) where permitted.
#
# Needs BTFENC (path to the binary) and KLOAD (tests/tools/kload) in the environment.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/lib.sh"

gv() { "$btfenc" --btf_features=+global_var "$@" 2> >(grep -v 'not supported by this build' >&2); }


# "SECTION VAR" for each DATASEC entry of a BTF, sorted.
entries() {
	canon "$@" | awk '/^datasec / {
		sec = $2; s = $0; sub(/^[^{]*\{/, "", s); sub(/\}$/, "", s)
		n = split(s, e, ", ")
		for (i = 1; i <= n; i++) { split(e[i], p, "@"); print sec, p[1] }
	}' | sort
}

expect_eq() {	# name expected actual
	if [ "$2" = "$3" ]; then ok; else
		bad "$1"; diff <(echo "$2") <(echo "$3") | head -20
	fi
}

build() {	# cc opt dwarf out sources... (ld -r when out ends in .o)
	local cc=$1 opt=$2 dw=$3 out=$4; shift 4
	local objs=() s
	for s in "$@"; do
		$cc -g -gdwarf-$dw $opt -c "$s" -o "$out.$(basename "$s").o" 2>/dev/null || return 1
		objs+=("$out.$(basename "$s").o")
	done
	case $out in
	*.o) ld -r -o "$out" "${objs[@]}" ;;
	*) $cc -o "$out" "${objs[@]}" ;;
	esac
}

# What the fixtures must give in a relocatable object (sections kept apart).
obj_common=".bss g_bss
.bss s_bss
.data b_only
.data g_data
.data g_point
.data s_data
.data s_data
.data weak_var
.data..percpu g_percpu
.data..ro_after_init g_ro_after_init
.data.custom g_custom
.rodata g_rodata
.rodata s_rodata
.rodata tentative
my_sec g_mysec"
# Data defined in assembly, typed by its C declaration: gcc only, clang writes no DWARF
# for extern declarations.
obj_asm=".data asm_arr
.data asm_obj
.data asm_small"

# --- 1. the fixture matrix ------------------------------------------------------------
for cc in gcc clang; do
	for opt in -O0 -O2; do
		for dw in 4 5; do
			id=$cc$opt-dw$dw
			o=$work/g-$id.o x=$work/g-$id
			build $cc $opt $dw "$o" "$fix/globals_a.c" "$fix/globals_b.c" ||
				{ bad "build $id.o"; continue; }
			build $cc $opt $dw "$x" "$fix/globals_a.c" "$fix/globals_b.c" \
				"$fix/globals_tls.c" || { bad "build $id"; continue; }
			want=$obj_common missing=asm_small_base
			if [ $cc = gcc ]; then
				want=$(printf '%s\n%s\n' "$obj_common" "$obj_asm" | sort)
			else
				missing=$(printf 'asm_arr\nasm_obj\nasm_small\nasm_small_base')
			fi

			# Relocatable object: exact (section, VAR) set, reasons, coverage.
			gv -V --stats --btf_encode_detached="$o.btf" "$o" 2> "$o.log" ||
				{ bad "$id.o: btfenc failed: $(head -3 "$o.log")"; continue; }
			expect_eq "$id.o: DATASEC entries" "$want" "$(entries "$o.btf")"
			for r in "'zero_sized'.*zero-sized type" "'__UNIQUE_ID_filtered1'.*name filter" \
				 "'init_var'.*init data" "'local_counter'.*function-local static" \
				 "'weak_var'.*belongs to 'weak_var'"; do
				grep -q "$r" "$o.log" && ok ||
					bad "$id.o: -V lacks a line matching \"$r\""
			done
			expect_eq "$id.o: data symbols without VAR" "$missing" \
				"$(sed -n "s/.*data symbol '\([^']*\)'.*has no VAR.*/\1/p" "$o.log" | sort)"
			n=$(grep -c . <<<"$want")
			grep -q "global vars: $((n + $(grep -c . <<<"$missing"))) symbols, $n with VAR," \
				"$o.log" && ok || bad "$id.o: --stats coverage line: $(grep 'global vars' "$o.log")"
			canon "$o.btf" | grep -qx 'var weak_var global int int' && ok ||
				bad "$id.o: weak_var is not one global int"
			canon "$o.btf" | grep -qx 'var s_data static int int' && ok ||
				bad "$id.o: static linkage"
			canon "$o.btf" | grep -q '^var tentative static .*array(const(int int),\[3\]' &&
				ok || bad "$id.o: array of unknown bound not sized from its symbol"
			if [ $cc = gcc ]; then
				canon "$o.btf" | grep -qx 'var asm_arr global array(int int,\[4\],idx=int int)' &&
					ok || bad "$id.o: asm_arr not typed int[4] from 'extern int asm_arr[]'"
				canon "$o.btf" | grep -q '^datasec .data .*asm_small@[0-9]*+6[,}]' && ok ||
					bad "$id.o: asm_small not widened to its declared 6 bytes"
			fi
			kernel_check "$id.o" "$o.btf"

			# Executable: the linker merges .data.* into .data; same variables.
			gv -V --btf_encode_detached="$x.btf" "$x" 2> "$x.log" ||
				{ bad "$id: btfenc failed: $(head -3 "$x.log")"; continue; }
			expect_eq "$id: VAR names" \
				"$(printf '%s\nx plain_next_to_tls\n' "$want" | awk '{print $2}' | sort)" \
				"$(entries "$x.btf" | awk '{print $2}' | sort)"
			grep -q "'tls_var'.*skipped: TLS" "$x.log" && ok || bad "$id: no TLS reason"
			# Only the C runtime's own symbols (leading '_') may lack a VAR besides ours.
			expect_eq "$id: data symbols without VAR" "$missing" \
				"$(sed -n "s/.*data symbol '\([^_'][^']*\)'.*has no VAR.*/\1/p" "$x.log" |
				   sort)"
			kernel_check "$id" "$x.btf"
		done
	done
done

# TLS in a relocatable object (its DWARF carries R_X86_64_DTPOFF relocations).
gcc -g -O2 -c "$fix/globals_tls.c" -o "$work/tls.o"
if out=$(gv -V --btf_encode_detached="$work/tls.btf" "$work/tls.o" 2>&1); then
	grep -q "'tls_var'.*skipped: TLS" <<<"$out" && ok || bad "tls.o: no TLS reason"
	expect_eq "tls.o: DATASEC entries" ".data plain_next_to_tls" "$(entries "$work/tls.btf")"
elif grep -q "unsupported relocation" <<<"$out"; then
	note "tls.o: the loader does not apply TLS relocations yet ($out)"
else
	bad "tls.o: $out"
fi

# --- 2. one VAR per address whatever the unit order ---------------------------------------
build gcc -O2 5 "$work/rev.o" "$fix/globals_b.c" "$fix/globals_a.c" || bad "build rev.o"
gv --btf_encode_detached="$work/rev.btf" "$work/rev.o"
[ "$(entries "$work/rev.btf" | grep -c ' weak_var$')" = 1 ] && ok ||
	bad "strong unit first: weak_var is not exactly one DATASEC entry"
kernel_check rev "$work/rev.btf"

# --- 3. determinism across -j and chunk sizes ---------------------------------------------
big=$work/big.o
build gcc -O2 5 "$big" "$fix/globals_a.c" "$fix/globals_b.c" "$fix/percpu.c" \
	"$fix/percpu_local.c" "$fix/dup_a.c" || bad "build big.o"
for j in 1 2 3 8; do
	BTFENC_CHUNK_BYTES=64 gv -j$j --btf_encode_detached="$work/det-$j.btf" "$big" ||
		bad "-j$j failed"
done
for j in 2 3 8; do
	cmp -s "$work/det-1.btf" "$work/det-$j.btf" && ok || bad "-j$j output differs from -j1"
done
gv -j2 --btf_encode_detached="$work/det-one.btf" "$big"
diff <(canon "$work/det-1.btf") <(canon "$work/det-one.btf") >/dev/null && ok ||
	bad "one chunk per unit changes the variables (canonical dump differs)"
[ "$(entries "$work/det-1.btf" | grep -c ' weak_var$')" = 1 ] && ok ||
	bad "weak and strong definitions in two chunks: not one VAR"
entries "$work/det-1.btf" | grep -qx '.data asm_obj' && ok ||
	bad "declaration and asm symbol in two chunks: asm_obj not placed"

# --- 4. option spellings and the default rule ---------------------------------------------
o=$work/g-gcc-O2-dw5.o
"$btfenc" --encode_all_btf_vars --btf_encode_detached="$work/all.btf" "$o" &&
	"$btfenc" --btf_features=var,decl_tag,type_tag,enum64,global_var \
		--btf_encode_detached="$work/feat.btf" "$o" 2>/dev/null &&
	cmp -s "$work/all.btf" "$work/feat.btf" && ok ||
	bad "--encode_all_btf_vars is not --btf_features=...,global_var"
"$btfenc" --help | grep -q -- '--encode_all_btf_vars' && ok || bad "--help lacks --encode_all_btf_vars"
"$btfenc" --supported_btf_features | tr , '\n' | grep -qx global_var && ok ||
	bad "global_var not in --supported_btf_features"
"$btfenc" --btf_encode_detached="$work/default.btf" "$o"
expect_eq "default: per-CPU variables only" ".data..percpu g_percpu" "$(entries "$work/default.btf")"
gv --skip_encoding_btf_vars --btf_encode_detached="$work/none.btf" "$o"
[ -z "$(entries "$work/none.btf")" ] && ok || bad "--skip_encoding_btf_vars after global_var"

# --- 5. split output: a layer leaves out what its base has --------------------------------
gv --btf_base="$work/default.btf" --btf_encode_detached="$work/extra.btf" "$o"
expect_eq "extra layer on the per-CPU base" \
	"$(printf '%s\n%s\n' "$obj_common" "$obj_asm" | grep -v g_percpu | sort)" \
	"$(entries --btf_base="$work/default.btf" "$work/extra.btf")"
kernel_check extra "$work/extra.btf" "$work/default.btf"
gv --btf_encode_detached="$work/full.btf" "$o"
gv --btf_base="$work/full.btf" --btf_encode_detached="$work/again.btf" "$o"
[ -z "$(entries --btf_base="$work/full.btf" "$work/again.btf" 2>/dev/null)" ] && ok ||
	bad "a layer on a base that has every variable repeats some"

finish vars
