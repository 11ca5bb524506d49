#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Layers and base chains (man/btfenc.1, LAYERS): vmlinux -> vmlinux-btf-extra -> module ->
# module-btf-extra, each split BTF on the ones below. A fixture "vmlinux" (the
# relocatable link of percpu.c and globals_*.c) and a fixture module
# (module.c) stand in for the kernel; the running kernel judges every stacked chain.
# Needs BTFENC and KLOAD in the environment.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/lib.sh"

for src in percpu globals_a globals_b module; do
	gcc -g -O2 -c "$fix/$src.c" -o "$work/$src.o" || bad "build $src"
done
ld -r -o "$work/vmlinux" "$work/percpu.o" "$work/globals_a.o" \
	"$work/globals_b.o"
cp "$work/module.o" "$work/module.ko"
v=$work/vmlinux m=$work/module.ko

# --- vmlinux: n, y, m ------------------------------------------------------------------
"$btfenc" --btf_encode_detached="$work/n.btf" "$v" || bad "n encoding"
"$btfenc" --btf_features=+global_var --btf_encode_detached="$work/y.btf" "$v" || bad "y encoding"
"$btfenc" --btf_encode_detached="$work/core.btf" --btf_extra_detached="$work/extra.btf" "$v" ||
	bad "m encoding"
# The union of core and extra is, type for type, the y encoding.
if diff <(canon "$work/y.btf") <({ canon "$work/core.btf"; canon --btf_base "$work/core.btf" \
	"$work/extra.btf"; } | LC_ALL=C sort) >/dev/null; then ok
else bad "core + extra differs from the y encoding"; fi
# The core keeps the per-CPU variables only; the extra layer holds only variables.
[ "$(canon "$work/core.btf" | grep '^datasec' | awk '{print $2}')" = .data..percpu ] && ok ||
	bad "core has DATASECs other than .data..percpu"
canon "$work/core.btf" | grep -q '^var g_data ' && bad "core holds a non-per-CPU VAR" || ok
[ -z "$(canon --btf_base "$work/core.btf" "$work/extra.btf" | grep -v -E '^(var|datasec|decl_tag|array)')" ] &&
	ok || bad "extra layer holds more than variables"
canon --btf_base "$work/core.btf" "$work/extra.btf" | grep -q '^var g_point global struct point' &&
	ok || bad "extra VAR does not resolve to the core's struct point"
kernel_check "core+extra" "$work/extra.btf" "$work/core.btf"
# Same bytes for every -j (small chunks so the merge has work).
BTFENC_CHUNK_BYTES=64 "$btfenc" -j3 --btf_encode_detached="$work/core3.btf" \
	--btf_extra_detached="$work/extra3.btf" "$v"
cmp -s "$work/core.btf" "$work/core3.btf" && cmp -s "$work/extra.btf" "$work/extra3.btf" && ok ||
	bad "layers differ between -j1 and -j3"

# The extra layer written into an ELF (an empty module carrying vmlinux-btf-extra).
echo 'int vmlinux_btf_extra_placeholder;' > "$work/empty.c"
gcc -c "$work/empty.c" -o "$work/vmlinux_btf_extra.ko"
"$btfenc" --btf_encode_detached="$work/core-e.btf" --btf_extra_elf="$work/vmlinux_btf_extra.ko" \
	"$v" && readelf -SW "$work/vmlinux_btf_extra.ko" | grep -q ' \.BTF ' &&
	diff <(canon --btf_base "$work/core.btf" "$work/vmlinux_btf_extra.ko") \
	     <(canon --btf_base "$work/core.btf" "$work/extra.btf") >/dev/null && ok ||
	bad "extra layer in an ELF"

# --- module, Option #1: all its variables, split on vmlinux core (depth 1) ---------------
"$btfenc" --btf_features=+global_var --btf_base "$work/core.btf" \
	--btf_encode_detached="$work/m1.btf" "$m" || bad "module option 1"
canon --btf_base "$work/core.btf" "$work/m1.btf" > "$work/m1.txt" || bad "m1 unreadable"
grep -q '^var mod_state_global global struct mod_state' "$work/m1.txt" && ok ||
	bad "option 1: module VAR missing"
grep -q '^struct point ' "$work/m1.txt" && bad "option 1: struct point not deduplicated" || ok
kernel_check "option 1" "$work/m1.btf" "$work/core.btf"

# --- module, Option #2: core on vmlinux core, extra on both (depths 1 and 2) ------------
"$btfenc" --btf_base "$work/core.btf" --btf_encode_detached="$work/mcore.btf" \
	--btf_extra_detached="$work/mextra.btf" "$m" || bad "module option 2"
canon --btf_base "$work/core.btf,$work/mcore.btf" "$work/mextra.btf" > "$work/mextra.txt" ||
	bad "option 2: module extra unreadable on its chain"
grep -q '^var mod_state_global global struct mod_state' "$work/mextra.txt" && ok ||
	bad "option 2: module extra VAR does not resolve into the module core"
canon --btf_base "$work/core.btf" "$work/mcore.btf" | grep -q '^var mod_pcpu_hits ' && ok ||
	bad "option 2: per-CPU VAR not in the module core"
kernel_check "option 2" "$work/mextra.btf" "$work/core.btf" "$work/mcore.btf"

# --- the variant whose chain includes vmlinux-extra (depths 2 and 3) ---------------------
"$btfenc" --btf_base "$work/core.btf,$work/extra.btf" --btf_encode_detached="$work/mcore2.btf" \
	--btf_extra_detached="$work/mextra2.btf" "$m" || bad "module on vmlinux core+extra"
chain3="$work/core.btf,$work/extra.btf,$work/mcore2.btf"
canon --btf_base "$chain3" "$work/mextra2.btf" > "$work/mextra2.txt" ||
	bad "depth 3: unreadable on its chain"
# A VAR of layer 4 typed by layer 3 (struct mod_state) and one typed by layer 1 (char array).
grep -q '^var mod_state_global global struct mod_state' "$work/mextra2.txt" &&
	grep -q '^var mod_name ' "$work/mextra2.txt" && ok || bad "depth 3: names do not resolve"
kernel_check "depth 3" "$work/mextra2.btf" "$work/core.btf" "$work/extra.btf" "$work/mcore2.btf"
# IDs continue from the sum of the layers below.
ids() { "$btfenc" dump --format=canonical "$@" | wc -l; }
n1=$(ids "$work/core.btf"); n2=$(ids --btf_base "$work/core.btf" "$work/extra.btf")
n3=$(ids --btf_base "$work/core.btf,$work/extra.btf" "$work/mcore2.btf")
total=$(ids --btf_base "$chain3" "$work/mextra2.btf")
[ "$n1" -gt 0 ] && [ "$n2" -gt 0 ] && [ "$n3" -gt 0 ] && [ "$total" -gt 0 ] && ok ||
	bad "empty layer in the depth-3 chain"

# --- wrong bases are detected, never read silently wrong --------------------------------
expect_refused() {	# name text args...
	local name=$1 text=$2 out; shift 2
	if out=$(canon "$@" 2>&1); then bad "$name: accepted"; return; fi
	grep -q -- "$text" <<<"$out" && ok || bad "$name: message lacks '$text': $out"
}
expect_refused "missing middle layer" "mcore2.btf\|beyond\|another base" \
	--btf_base "$work/core.btf,$work/mcore2.btf" "$work/mextra2.btf"
expect_refused "another build's base" "another base\|beyond" --btf_base "$work/y.btf" \
	"$work/extra.btf"
expect_refused "no base at all" "base" "$work/mcore.btf"
# An ELF layer records its ancestry (.BTF.ancestry): a base with the same strings and
# types but other bytes is caught too, naming the base.
readelf -p .BTF.ancestry "$work/vmlinux_btf_extra.ko" | grep -q 'btfenc-ancestry 1' && ok ||
	bad "no .BTF.ancestry in the ELF extra layer"
python3 - "$work/core.btf" "$work/core-other.btf" <<'PY'
import sys
b = bytearray(open(sys.argv[1], 'rb').read())
b[-2] = ord('x') if b[-2] != ord('x') else ord('y')	# one character of the last string
open(sys.argv[2], 'wb').write(b)
PY
expect_refused "ancestry" "made on core-e.btf" --btf_base "$work/core-other.btf" \
	"$work/vmlinux_btf_extra.ko"
out=$("$btfenc" --btf_base "$work/core.btf,$work/mcore2.btf" \
	--btf_encode_detached="$work/x.btf" "$m" 2>&1) && bad "encoding on a broken chain accepted" ||
	{ grep -q "mcore2.btf" <<<"$out" && ok || bad "broken chain message: $out"; }

finish layers
