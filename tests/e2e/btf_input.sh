#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# End-to-end tests of -F btf: the fixtures compiled twice with gcc (-g and -gbtf, -O2),
# linked with ld -r, encoded from DWARF and from the compiler's per-object BTF; the
# canonical dumps compared, every difference listed below with its cause. Then -J, a
# split output on a base, layers, and bad input (no .BTF, BTF the reader refuses, two
# objects giving one function different prototypes).
#
# Needs BTFENC (path to the binary) in the environment.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/lib.sh"

if ! echo 'int x;' | gcc -gbtf -x c -c -o "$work/probe.o" - 2>/dev/null; then
	note "gcc without -gbtf (needs gcc 12 or later)"
	finish btf_input
	exit $?
fi

build() {	# name sources... -> $work/NAME.dw.o, $work/NAME.bt.o (ld -r of each object)
	local n=$1 s dw=() bt=()
	shift
	for s in "$@"; do
		gcc -g -O2 -c "$fix/$s" -o "$work/$n.$s.dw.o" 2>/dev/null || return 1
		gcc -gbtf -O2 -c "$fix/$s" -o "$work/$n.$s.bt.o" 2>/dev/null || return 1
		dw+=("$work/$n.$s.dw.o"); bt+=("$work/$n.$s.bt.o")
	done
	ld -r -o "$work/$n.dw.o" "${dw[@]}" && ld -r -o "$work/$n.bt.o" "${bt[@]}"
}

# compare NAME FEATURES EXPECTED: diff of the canonical dumps (DWARF <, BTF >) against
# EXPECTED, whose lines starting with '#' name the cause of the lines after them.
compare() {
	local n=$1 feats=$2 want got
	want=$(grep -v '^#' <<<"$3")
	if ! "$btfenc" $feats --btf_encode_detached "$work/$n.dw.btf" "$work/$n.dw.o" 2>/dev/null ||
	   ! "$btfenc" $feats -F btf --btf_encode_detached "$work/$n.bt.btf" "$work/$n.bt.o"; then
		bad "$n: encoding failed"
		return
	fi
	got=$(diff <(canon "$work/$n.dw.btf") <(canon "$work/$n.bt.btf") | grep '^[<>]')
	if [ "$got" = "$want" ]; then ok; else
		bad "$n: DWARF and compiler BTF differ otherwise than expected"
		diff <(echo "$want") <(echo "$got") | head -20
	fi
	"$btfenc" verify "$work/$n.bt.btf" >/dev/null 2>&1 && ok || bad "$n: output fails verify"
}

build types types.c || bad "types: build"
compare types "" \
'# GCC 12 writes no enumerator whose value does not fit an int (nor ENUM64)
< enum u32max size=4 unsigned {U_MAX=4294967295}
< enum64 big size=8 unsigned {B_HUGE=4294967296, B_ONE=1}
< enum64 bigneg size=8 signed {BN_NEG=-4294967296, BN_POS=2}
> enum u32max size=4 unsigned {}
> enum64 big size=8 unsigned {B_ONE=1}
> enum64 bigneg size=8 unsigned {BN_POS=2}
# GCC 12 writes no type declared inside a function
< struct in_block size=8 kflag=0 {v:typedef blk_t@0}
< struct local size=8 kflag=0 {a:int int@0, b:int int@32}
< typedef blk_t = int long int'

build percpu percpu.c || bad "percpu: build"
compare percpu "" ''
compare percpu "--btf_features=default" ''

# GCC 12 writes a VAR for each per-CPU declaration an object uses (DECLARE_PER_CPU), with
# the linkage of a definition: the first object's VAR of each offset is kept, one VAR and
# one DATASEC entry per variable as from DWARF (a pointer sized as DWARF sizes it), none
# for a declaration nothing defines (each object's VAR had an entry before, which verify
# and the kernel refuse: overlap).
build percpu_decl percpu_decl_a.c percpu_decl_b.c || bad "percpu_decl: build"
compare percpu_decl "" ''
got=$(canon "$work/percpu_decl.bt.btf" | grep -E '^(var|datasec) ')
want='datasec .data..percpu size=32 {pcpu_count@0+4, pcpu_current@8+8, pcpu_debug_store@16+16}
var pcpu_count global int int
var pcpu_current global ptr(struct pcpu_task)
var pcpu_debug_store global struct pcpu_debug_store'
[ "$got" = "$want" ] && ok || { bad "percpu_decl: VARs and entries"; echo "$got"; }
kernel_check percpu_decl "$work/percpu_decl.bt.btf"
for j in 1 3; do
	BTFENC_CHUNK_BYTES=64 "$btfenc" -j$j -F btf --btf_encode_detached "$work/pd$j.btf" \
		"$work/percpu_decl.bt.o" && cmp -s "$work/pd$j.btf" "$work/percpu_decl.bt.btf" &&
		ok || bad "percpu_decl: -j$j, one unit a chunk: other bytes"
done
"$btfenc" -V -F btf --btf_encode_detached "$work/t.btf" "$work/percpu_decl.bt.o" 2>&1 |
	grep -q "3 per-CPU VARs left out" && ok || bad "-V: per-CPU declarations not counted"
compare percpu_decl "--btf_features=default" ''
compare percpu_decl "--btf_features=+global_var" ''

build dup dup_a.c dup_b.c || bad "dup: build"
compare dup "" ''
compare dup "--btf_features=default" ''

# GCC 12 writes an incomplete enum as a FWD (its kind in the size field): read as the
# enum declaration DWARF gives, so a prototype may return it and the dedup finds its
# definition in the other object; its VAR for an extern declaration of an incomplete
# type (which the kernel refuses) is left out
build fwd fwd_decl_a.c fwd_decl_b.c || bad "fwd: build"
compare fwd "" ''
compare fwd "--btf_features=default" ''
"$btfenc" -V -F btf --btf_encode_detached "$work/t.btf" "$work/fwd.bt.o" 2>&1 |
	grep -q "FWDs of an enum" && ok || bad "-V: enum FWD not counted"
"$btfenc" -V -F btf --btf_encode_detached "$work/t.btf" "$work/fwd.bt.o" 2>&1 |
	grep -q "VARs of an incomplete type" && ok || bad "-V: incomplete VAR not counted"

build func_rules func_rules.c func_rules_b.c || bad "func_rules: build"
compare func_rules "" ''

build globals globals_a.c globals_b.c || bad "globals: build"
compare globals "--btf_features=+global_var" \
'# GCC 12 writes an extern declaration as a VAR of global linkage, so a declaration in
# another object than the definition reads as one: asm-defined data typed by its
# declaration is judged as a definition (int[] zero-sized, struct gdt_like larger than
# its symbol), and the types only they used go with them
< array(const(int int),[3],idx=int int)
< array(int int,[4],idx=int int)
< const(array(const(int int),[3],idx=int int))
< datasec .data size=92 {asm_obj@0+4, asm_arr@4+16, asm_small@32+6, g_point@64+8, s_data@72+4, g_data@76+4, s_data@80+4, b_only@84+4, weak_var@88+4}
> datasec .data size=92 {asm_obj@0+4, g_point@64+8, s_data@72+4, g_data@76+4, s_data@80+4, b_only@84+4, weak_var@88+4}
# GCC 12 writes no VAR for a static defined after a tentative declaration (tentative)
< datasec .rodata size=28 {s_rodata@0+7, g_rodata@8+4, tentative@16+12}
> datasec .rodata size=28 {s_rodata@0+7, g_rodata@8+4}
< var asm_arr global array(int int,[4],idx=int int)
< var asm_small global struct gdt_like
< var tentative static const(array(const(int int),[3],idx=int int))'

# -V says what was changed in GCC's BTF and which rules had nothing to judge.
msgs=$("$btfenc" --btf_features=default -V -F btf --btf_encode_detached "$work/t.btf" \
	"$work/types.bt.o" 2>&1)
for m in "INTs with encoding SIGNED|CHAR" "FWDs with a non-zero size" \
	 "FUNCs without a name" "DATASECs left out" "no parameter locations"; do
	grep -qF "$m" <<<"$msgs" && ok || bad "-V: no line about '$m'"
done
[ "$(grep -c 'no parameter locations' <<<"$msgs")" = 1 ] && ok || bad "-V: location note not once"
msgs=$("$btfenc" --btf_features=+global_var -V -F btf --btf_encode_detached "$work/t.btf" \
	"$work/globals.bt.o" 2>&1)
# Two objects define a static s_data: each takes the symbol of its object's file, the
# one its other statics' symbols follow (in the diff above: both s_data as from DWARF).
grep -q "2 static VARs whose name several local data symbols bear placed by" <<<"$msgs" &&
	ok || bad "-V: statics placed by their file not counted"
# With no other static in either object, no file is known: neither s_twin gets a VAR.
build twin twin_a.c twin_b.c || bad "twin: build"
compare twin "--btf_features=+global_var" \
'# two objects define a static s_twin and nothing else static: which is which is not
# known, so neither gets a VAR (said under -V)
< datasec .data size=8 {s_twin@0+4, s_twin@4+4}
< var s_twin static int int
< var s_twin static int int'
msgs=$("$btfenc" --btf_features=+global_var -V -F btf --btf_encode_detached "$work/t.btf" \
	"$work/twin.bt.o" 2>&1)
grep -q "2 static VARs whose name several local data symbols bear, none" <<<"$msgs" &&
	ok || bad "-V: ambiguous static not named"

# -J writes the merged BTF in place of the concatenated objects' .BTF.
cp "$work/types.bt.o" "$work/types.j.o"
"$btfenc" -F btf -J "$work/types.j.o" && ok || bad "-J failed"
[ "$(canon "$work/types.j.o")" = "$(canon "$work/types.bt.btf")" ] && ok ||
	bad "-J: .BTF is not the detached output"

# A final link concatenates the objects' .BTF too.
gcc -gbtf -O2 -o "$work/dup.exe" "$work/dup.dup_a.c.bt.o" "$work/dup.dup_b.c.bt.o" &&
	"$btfenc" -F btf --btf_encode_detached "$work/dup.exe.btf" "$work/dup.exe" &&
	canon "$work/dup.exe.btf" | grep -q '^func from_b ' && ok || bad "linked executable"

# Split on a base (the DWARF path's BTF of types.c): what the base has is not repeated.
"$btfenc" -F btf --btf_base "$work/types.dw.btf" --btf_encode_detached "$work/split.btf" \
	"$work/func_rules.bt.o" && ok || bad "split output failed"
"$btfenc" verify --btf_base "$work/types.dw.btf" "$work/split.btf" >/dev/null 2>&1 && ok ||
	bad "split output fails verify"
canon --btf_base "$work/types.dw.btf" "$work/split.btf" | grep -q '^int int ' &&
	bad "split output repeats the base's int" || ok

# Layers: per-CPU variables in the core, the other globals in the extra layer.
"$btfenc" -F btf --btf_features=+global_var --btf_encode_detached "$work/core.btf" \
	--btf_extra_detached "$work/extra.btf" "$work/globals.bt.o" && ok || bad "layers failed"
canon "$work/core.btf" | grep -q '^var g_percpu ' && ok || bad "layers: core lacks g_percpu"
canon --btf_base "$work/core.btf" "$work/extra.btf" | grep -q '^var g_data ' && ok ||
	bad "layers: extra lacks g_data"

# expect_fail NAME OUT WANT ARGS...: exit status non-zero, one line naming WANT, no OUT.
expect_fail() {
	local n=$1 out=$2 want=$3 err rc
	shift 3
	err=$("$btfenc" "$@" 2>&1 >/dev/null); rc=$?
	[ $rc -ne 0 ] && ok || bad "$n: exit status 0"
	[ "$(wc -l <<<"$err")" = 1 ] && grep -qF -- "$want" <<<"$err" && ok ||
		bad "$n: message: $err"
	[ ! -e "$out" ] && ok || bad "$n: output left behind"
}

expect_fail "no .BTF" "$work/none.btf" "$work/dup.dw.o: no .BTF" \
	-F btf --btf_encode_detached "$work/none.btf" "$work/dup.dw.o"

# A PTR's type set past the last type: the reader's structural check names the type ID.
python3 - "$work/types.bt.o" "$work/bad.o" <<'PY'
import struct, subprocess, sys
data = bytearray(open(sys.argv[1], 'rb').read())
out = subprocess.run(['readelf', '-SW', sys.argv[1]], capture_output=True, text=True).stdout
off = next(int(l.split()[l.split().index('.BTF') + 3], 16) for l in out.splitlines() if ' .BTF ' in l)
hl, to, tl = struct.unpack_from('<III', data, off + 4)
p, end, tid = off + hl + to, off + hl + to + tl, 1
while p < end:
    name, info, st = struct.unpack_from('<III', data, p)
    kind, vlen = (info >> 24) & 0x1f, info & 0xffff
    if kind == 2:
        struct.pack_into('<I', data, p + 8, 0xfffff)
        break
    extra = {1: 4, 3: 12, 4: 12 * vlen, 5: 12 * vlen, 6: 8 * vlen, 13: 8 * vlen, 14: 4,
             15: 12 * vlen, 17: 4, 19: 12 * vlen}.get(kind, 0)
    p += 12 + extra
    tid += 1
open(sys.argv[2], 'wb').write(data)
PY
expect_fail "bad BTF" "$work/bad.btf" "type ID" \
	-F btf --btf_encode_detached "$work/bad.btf" "$work/bad.o"
cp "$work/bad.o" "$work/bad_j.o"
"$btfenc" -F btf -J "$work/bad_j.o" 2>/dev/null && bad "bad BTF: -J succeeded" || ok
cmp -s "$work/bad.o" "$work/bad_j.o" && ok || bad "bad BTF: -J changed the input"

# Two objects give static dup() different prototypes: consistent_func leaves it out
# and says why under -V, as from DWARF.
msgs=$("$btfenc" --btf_features=default -V -F btf --btf_encode_detached "$work/d.btf" \
	"$work/dup.bt.o" 2>&1)
grep -q "function 'dup' left out: inconsistent prototypes" <<<"$msgs" && ok ||
	bad "dup: no reason under -V"
canon "$work/d.btf" | grep -q '^func dup ' && bad "dup: FUNC written" || ok

finish btf_input
