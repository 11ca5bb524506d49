#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# seeds.sh BTFENC DIR: the seed corpora of the fuzz harnesses, from the fixtures
# (tests/fixtures/*.c compiled now with gcc) and the blobs kept under tests/data:
#   DIR/btf      each fixture's BTF (raw, and one ELF .BTF), the single blobs of
#                tests/data/kverdict and tests/data/pahole-master, the inputs kept in
#                tests/data/fuzz/btf
#   DIR/split    each fixture encoded on tests/data/kverdict/base.btf, kverdict's
#                split blobs, tests/data/fuzz/split
#   DIR/elf      each fixture's object at -O0 and -O2 (DWARF 5, and 4 at -O2),
#                tests/data/fuzz/elf
#   DIR/options  pahole command lines, their arguments separated by NUL bytes
set -u
btfenc=${1:?usage: seeds.sh BTFENC DIR}
out=${2:?usage: seeds.sh BTFENC DIR}
top=$(cd "$(dirname "$0")/../.." && pwd)
data=$top/tests/data
base=$data/kverdict/base.btf
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$out"/btf "$out"/split "$out"/elf "$out"/options
for c in "$top"/tests/fixtures/*.c; do
	n=$(basename "$c" .c)
	gcc -g -O0 -c "$c" -o "$out/elf/$n-O0.o" 2>/dev/null || continue
	gcc -g -O2 -c "$c" -o "$out/elf/$n-O2.o" 2>/dev/null
	gcc -gdwarf-4 -O2 -c "$c" -o "$out/elf/$n-O2-dw4.o" 2>/dev/null
	"$btfenc" --btf_encode_detached="$out/btf/$n.btf" "$out/elf/$n-O0.o" 2>/dev/null
	"$btfenc" --btf_base="$base" --btf_encode_detached="$out/split/$n.btf" \
		"$out/elf/$n-O0.o" 2>/dev/null
done
cp "$out/elf/types-O0.o" "$work/types.o" && "$btfenc" -J "$work/types.o" 2>/dev/null &&
	cp "$work/types.o" "$out/btf/types-elf.o"
for f in "$data"/kverdict/*.btf "$data"/pahole-master/*.btf; do
	case $(basename "$f") in
	split-*) cp "$f" "$out/split/" ;;
	*) cp "$f" "$out/btf/" ;;
	esac
done
for h in btf split elf options; do
	[ -d "$data/fuzz/$h" ] && cp "$data/fuzz/$h"/* "$out/$h/" 2>/dev/null
done

i=0
while IFS= read -r line; do
	i=$((i + 1))
	# shellcheck disable=SC2086
	printf '%s\0' $line | head -c -1 >"$out/options/cmd$i"
done <<'LINES'
-J vmlinux
--btf_encode_detached=out.btf -j --btf_features=default,+global_var vmlinux
--btf_base vmlinux --btf_encode_detached=m.btf -j4 --btf_features=encode_force,var,float,enum64,decl_tag,type_tag,optimized_func,consistent_func,decl_tag_kfuncs,distilled_base -J mod.ko
--btf_base=a.btf,b.btf --btf_features_strict=default,-layout --lang_exclude=rust,c++ -V -V x.o
--pahole_compat=1.24 --skip_encoding_btf_vars --skip_encoding_btf_decl_tag --skip_encoding_btf_type_tag --skip_encoding_btf_enum64 -J a b c
--btf_extra_detached=e.btf --btf_extra_elf=e.o --stats --btf_gen_floats --btf_gen_optimized --btf_gen_all -Jj2 x
--version
--numeric_version
--supported_btf_features
--help
LINES
echo "seeds: $(ls "$out/btf" | wc -l) btf, $(ls "$out/split" | wc -l) split," \
	"$(ls "$out/elf" | wc -l) elf, $(ls "$out/options" | wc -l) options"
