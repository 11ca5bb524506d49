#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The default behaviour against pahole master, and the compatibility behaviour's function
# rules against pahole 1.31, byte for byte, on the objects and outputs kept in
# tests/data/oracle (README there: which pahole, which flags). master: the type and string
# sections (its libbpf writes a 32-byte header); 1.31: the whole file. Where the two pahole
# agree the default behaviour must give 1.31's whole file too; where they differ (master's
# function rules, dwarves commits fb8328e, 109e5e4, faaa3f1, 2f9a77e), the compatibility
# behaviour must give 1.31's. With true_signature (dwarves c4685c3): master's
# NAME.true_signature.master.btf where it changes the output, else NAME.master.btf again.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/lib.sh"
data=$top/tests/data/oracle
features=encode_force,var,float,enum64,decl_tag,type_tag,optimized_func,consistent_func
flags=(-J --btf_features=$features,decl_tag_kfuncs)

# sections FILE: the type and string sections of a raw BTF file, as hex.
sections() {
	python3 - "$1" <<'PY'
import struct, sys
d = open(sys.argv[1], 'rb').read()
magic, _, _, hl, to, tl, so, sl = struct.unpack('<HBBIIIII', d[:24])
sys.stdout.write((d[hl + to:hl + to + tl] + b'|' + d[hl + so:hl + so + sl]).hex())
PY
}

n=0
for obj in "$data"/*.o "$data"/*.elf; do
	name=$(basename "$obj")
	name=${name%.*}
	out=$work/$name.btf
	if ! BTFENC_PAHOLE_COMPAT= "$btfenc" "${flags[@]}" --btf_encode_detached="$out" "$obj"; then
		bad "$name: btfenc failed"
		continue
	fi
	n=$((n + 1))
	master=$(sections "$data/$name.master.btf")
	[ "$(sections "$out")" = "$master" ] && ok ||
		bad "$name: differs from pahole master's type and string sections"
	# Where the two pahole agree, every byte is 1.31's; where they do not, the
	# compatibility behaviour keeps 1.31's function rules: its bytes.
	if [ "$(sections "$data/$name.131.btf")" = "$master" ]; then
		cmp -s "$out" "$data/$name.131.btf" && ok || bad "$name: differs from pahole 1.31's"
	else
		BTFENC_PAHOLE_COMPAT=1.24 "$btfenc" "${flags[@]}" --btf_encode_detached="$out" \
			"$obj" && cmp -s "$out" "$data/$name.131.btf" && ok ||
			bad "$name: compatibility behaviour differs from pahole 1.31's"
	fi
	# true_signature: FUNCs of clones under their own names, DW_CC_nocall functions with
	# the parameters they receive (func_select.h D1-D4).
	ts=$data/$name.true_signature.master.btf
	[ -f "$ts" ] || ts=$data/$name.master.btf
	"$btfenc" "${flags[@]}" --btf_features=+true_signature --btf_encode_detached="$out" \
		"$obj" && [ "$(sections "$out")" = "$(sections "$ts")" ] &&
		ok || bad "$name: true_signature differs from pahole master's"
	# attributes (pahole 1.30): address_space(1) on arena kfuncs, as master writes it.
	[ -f "$data/$name.attributes.master.btf" ] || continue
	"$btfenc" "${flags[@]}" --btf_features=+attributes --btf_encode_detached="$out" "$obj" &&
		[ "$(sections "$out")" = "$(sections "$data/$name.attributes.master.btf")" ] &&
		ok || bad "$name: attributes differ from pahole master's"
done
[ "$n" -ge 17 ] && ok || bad "only $n oracle inputs encoded"

# distilled_base: -J on a module split on a base writes .BTF split on a distilled .BTF.base,
# the sections pahole master + libbpf f7081a6b wrote (tests/data/distill/README).
dist=$top/tests/data/distill
cp "$dist/distill_mod.o" "$work/dmod.o"
if "$btfenc" "${flags[@]}" --btf_features=+distilled_base --btf_base "$dist/base.btf" \
	"$work/dmod.o" && objcopy --dump-section .BTF="$work/d.split" \
	--dump-section .BTF.base="$work/d.base" "$work/dmod.o" "$work/dmod.out"; then
	[ "$(sections "$work/d.split")" = "$(sections "$dist/dist.split.btf")" ] && ok ||
		bad "distilled_base: .BTF differs from pahole master's"
	[ "$(sections "$work/d.base")" = "$(sections "$dist/dist.base.btf")" ] && ok ||
		bad "distilled_base: .BTF.base differs from pahole master's"
else
	bad "distilled_base: -J failed or wrote no .BTF.base"
fi
# ... and is skipped, noted under -V, for a detached output.
out=$("$btfenc" -V "${flags[@]}" --btf_features=+distilled_base --btf_base "$dist/base.btf" \
	--btf_encode_detached="$work/d.det" "$dist/distill_mod.o" 2>&1)
grep -q "distilled_base .*skipped" <<<"$out" &&
	[ "$(sections "$work/d.det")" = "$(sections "$dist/mod.split.btf")" ] &&
	ok || bad "distilled_base with a detached output: $out"

# layout: a base output gets the layout section and the 32-byte header, every byte as
# pahole master + libbpf f7081a6b wrote them, detached and into the ELF file.
lay=$top/tests/data/layout
"$btfenc" "${flags[@]}" --btf_features=+layout --btf_encode_detached="$work/l.btf" \
	"$lay/distill_base.o" && cmp -s "$work/l.btf" "$lay/layout.btf" && ok ||
	bad "layout: detached output differs from pahole master's"
cp "$lay/distill_base.o" "$work/lay.o"
"$btfenc" "${flags[@]}" --btf_features=+layout "$work/lay.o" &&
	objcopy --dump-section .BTF="$work/l.elf.btf" "$work/lay.o" "$work/lay.out" &&
	cmp -s "$work/l.elf.btf" "$lay/layout.btf" && ok ||
	bad "layout: .BTF written into the ELF file differs from pahole master's"
out=$("$btfenc" -V "${flags[@]}" --btf_features=+layout --btf_base "$dist/base.btf" \
	--btf_encode_detached="$work/l.split" "$dist/distill_mod.o" 2>&1)
grep -q "layout applies to base BTF" <<<"$out" && ok || bad "layout on split BTF: $out"

# true_signature under -V: each FUNC it renames, and what the name got without it; each
# DW_CC_nocall function it rewrites; not applied, with a -V line, under the compatibility
# behaviour (pahole 1.31's bytes).
tsin=$data/true_sig-gcc.elf
out=$("$btfenc" -V "${flags[@]}" --btf_features=+true_signature \
	--btf_encode_detached="$work/t.btf" "$tsin" 2>&1)
grep -q "function 'drop_mode' written as 'drop_mode.constprop.0', .*without it: left out: \
optimized-out parameters" <<<"$out" &&
	grep -q "function 'drop_last' written as 'drop_last.constprop.0', .*without it: left \
out: several addresses" <<<"$out" && ok || bad "true_signature under -V: $out"
out=$(BTFENC_PAHOLE_COMPAT=1.24 "$btfenc" -V "${flags[@]}" --btf_features=+true_signature \
	--btf_encode_detached="$work/t.btf" "$tsin" 2>&1)
grep -q "true_signature .*not applied under --pahole_compat=1.24" <<<"$out" &&
	cmp -s "$work/t.btf" "$data/true_sig-gcc.131.btf" && ok ||
	bad "true_signature under the compatibility behaviour: $out"
out=$("$btfenc" -V "${flags[@]}" --btf_features=+true_signature \
	--btf_encode_detached="$work/t.btf" "$data/true_sig_nocall-clang.o" 2>&1)
grep -q "function 'pair_one' written with the parameters it receives .*an aggregate \
written as the member it passes" <<<"$out" &&
	grep -q "function 'mid_unused' written with .*optimized-out ones left out; without \
it: left out: optimized-out" <<<"$out" && ok || bad "true_signature on DW_CC_nocall: $out"
finish oracle
