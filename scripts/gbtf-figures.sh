#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make gbtf-figures: what BTF written by the compiler (gcc -gbtf, read with -F btf) would
# save against the DWARF path, on the Linux 6.1 tinyconfig kernel of make check-kbuild.
# Never part of CI: the figures go into the man page's BTF INPUT section.
#
#   bytes    DWARF (.debug_* and their relocations) against .BTF, summed over the objects
#            of vmlinux (built-in.a, lib/lib.a, arch/x86/lib/lib.a) and in vmlinux
#   compile  CPU seconds (user + sys) of SAMPLE objects (default 30, every k-th object of
#            vmlinux) compiled with no debug info, -g (as the kernel does), -gbtf alone and
#            both, median of CC_RUNS (default 1: 120 compiles a run)
#   encode   wall time and peak RSS of the BTF step, kernel 6.1's flags, at -j1 and -j2:
#            from DWARF (a copy of .tmp_vmlinux.btf) against -F btf on the -gbtf vmlinux,
#            runs alternating, median of RUNS
#   diff     canonical dumps of both outputs (btfenc dump --format=canonical), lines only
#            in one or the other; the classes and their causes are in the man page
#
# Needs two trees under BTFENC_CACHE (default ~/.cache/btfenc), both read-only here:
#   kbuild/6.1-gcc/build   the DWARF kernel, made by make check-kbuild
#   btfin/6.1-gbtf         the same configuration, DEBUG_INFO_BTF off, every object with
#                          -gbtf too; made with (S = kbuild/linux-source-6.1):
#       cp kbuild/6.1-gcc/build/.config btfin/6.1-gbtf/.config
#       S/scripts/config --file btfin/6.1-gbtf/.config -d DEBUG_INFO_BTF
#       make -C S O=btfin/6.1-gbtf olddefconfig
#       make -C S O=btfin/6.1-gbtf KCFLAGS=-gbtf vmlinux
#     Without DEBUG_INFO_BTF the linker script has no .BTF output section, so each object's
#     .BTF is an orphan, which ld appends to vmlinux back to back in link order (one
#     "orphan section" warning per object): the blobs -F btf reads.
# Skips with a message when a tree is missing. Environment: RUNS (3), CC_RUNS (1), SAMPLE
# (30), KEEP_DIFF (a file for the diff).
set -euo pipefail
btfenc=${1:?usage: gbtf-figures.sh path/to/btfenc}
cache=${BTFENC_CACHE:-$HOME/.cache/btfenc}
runs=${RUNS:-3}
sample=${SAMPLE:-30}
cc_runs=${CC_RUNS:-1}
dw=$cache/kbuild/6.1-gcc/build
bt=$cache/btfin/6.1-gbtf
for f in "$dw/.tmp_vmlinux.btf" "$dw/built-in.a" "$bt/vmlinux" "$bt/built-in.a"; do
	[ -f "$f" ] || { echo "gbtf-figures: skipped, $f missing (see the header of $0)"; exit 0; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
flags=(--btf_gen_floats --lang_exclude=rust --skip_encoding_btf_inconsistent_proto
	--btf_gen_optimized)

# objects TREE: the objects linked into TREE's vmlinux, relative to TREE.
objects() { (cd "$1" && ar t built-in.a && ar t lib/lib.a && ar t arch/x86/lib/lib.a); }

# secsum FILE...: "DWARF relocations-of-DWARF BTF" bytes summed over the FILEs' sections.
secsum() {
	readelf -SW "$@" 2>/dev/null | sed -n 's/^ *\[ *[0-9]*\] //p' | awk '
	function hex(s,   i, v) {
		v = 0
		for (i = 1; i <= length(s); i++)
			v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
		return v
	}
	$1 ~ /^\.debug_/ { d += hex($5) }
	$1 ~ /^\.rela\.debug_/ { r += hex($5) }
	$1 == ".BTF" { b += hex($5) }
	END { printf "%d %d %d\n", d, r, b }'
}

mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1e6 }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# ---- bytes ------------------------------------------------------------------------------
mapfile -t objs < <(objects "$bt")
read -r o_dw o_rel o_btf < <(cd "$bt" && secsum "${objs[@]}")
read -r v_dw _ v_btf < <(secsum "$bt/vmlinux")
read -r g_dw g_rel _ < <(cd "$dw" && secsum $(objects "$dw"))
echo "gbtf-figures: Linux 6.1 tinyconfig, ${#objs[@]} objects in vmlinux, $(nproc) CPUs"
echo "bytes: objects' DWARF $(mb "$o_dw") + $(mb "$o_rel") of relocations" \
	"(the -g build's: $(mb "$g_dw") + $(mb "$g_rel")); objects' .BTF $(mb "$o_btf")"
echo "bytes: vmlinux's DWARF $(mb "$v_dw"), vmlinux's .BTF (blobs back to back) $(mb "$v_btf")"

# ---- compile ----------------------------------------------------------------------------
# The gcc command of OBJ's .cmd file, its dependency file and output redirected.
compile_cmd() {
	local cmdf
	cmdf=$bt/$(dirname "$1")/.$(basename "$1").cmd
	[ -f "$cmdf" ] || return 1
	sed -n '1s/^cmd_[^ ]* := //p' "$cmdf" | sed -e 's/;.*//' -e 's/ -Wp,-MMD,[^ ]*//' \
		-e "s# -o [^ ]*# -o $work/sample.o#" | grep '^gcc .*\.c *$'
}
variant() {	# VARIANT CMD: CMD with the debug flags of VARIANT (none, g, gbtf, both)
	local c=" $2 "
	c=${c// -gbtf / }
	case $1 in
	none) c=${c// -g / }; c=${c// -gdwarf-5 / } ;;
	gbtf) c=${c// -g / }; c=${c// -gdwarf-5 / }; c="$c -gbtf" ;;
	both) c="$c -gbtf" ;;
	esac
	echo "$c"
}
mapfile -t cands < <(printf '%s\n' "${objs[@]}" | grep -v '\.S$')
step=$(( ${#cands[@]} / sample )); [ "$step" -ge 1 ] || step=1
cmds=()
for ((i = 0; i < ${#cands[@]} && ${#cmds[@]} < sample; i += step)); do
	c=$(compile_cmd "${cands[$i]}") && cmds+=("$c") || true
done
for ((r = 0; r < cc_runs; r++)); do
	for v in none g gbtf both; do
		t=0
		for c in "${cmds[@]}"; do
			s=$(cd "$bt" && /usr/bin/time -f '%U %S' sh -c "$(variant $v "$c")" 2>&1 \
				>/dev/null | tail -1)
			t=$(awk -v t="$t" -v s="$s" 'BEGIN { split(s, a, " "); print t + a[1] + a[2] }')
		done
		echo "$t" >> "$work/cc.$v"
	done
done
for v in none g gbtf both; do eval "cc_$v=$(median < "$work/cc.$v")"; done
echo "compile: ${#cmds[@]} objects, CPU seconds (median of $cc_runs): no debug info $cc_none," \
	"-g $cc_g, -gbtf $cc_gbtf, -g -gbtf $cc_both"
awk -v n="$cc_none" -v g="$cc_g" -v b="$cc_gbtf" -v gb="$cc_both" 'BEGIN {
	printf "compile: over no debug info: -g %+.1f%%, -gbtf %+.1f%%, -g -gbtf %+.1f%%\n",
		100 * (g - n) / n, 100 * (b - n) / n, 100 * (gb - n) / n }'

# ---- encode -----------------------------------------------------------------------------
cp "$dw/.tmp_vmlinux.btf" "$work/dwarf.elf"
timed() {	# OUT ARGS...: "seconds peak-KB" of btfenc ARGS
	local out=$1
	shift
	/usr/bin/time -f '%e %M' -o "$work/time" "$btfenc" "$@" 2>/dev/null ||
		{ echo "gbtf-figures: btfenc $* failed"; exit 1; }
	cat "$work/time" >> "$out"
}
for j in 1 2; do
	for ((r = 0; r < runs; r++)); do
		timed "$work/t.dw$j" "${flags[@]}" -j$j --btf_encode_detached="$work/dw.btf" \
			"$work/dwarf.elf"
		timed "$work/t.bt$j" "${flags[@]}" -j$j -F btf --btf_encode_detached="$work/bt.btf" \
			"$bt/vmlinux"
	done
	for p in dw bt; do
		eval "${p}_s$j=$(cut -d' ' -f1 "$work/t.$p$j" | median)"
		eval "${p}_m$j=$(cut -d' ' -f2 "$work/t.$p$j" | median)"
	done
done
for j in 1 2; do
	eval "ds=\$dw_s$j dm=\$dw_m$j bs=\$bt_s$j bm=\$bt_m$j"
	awk -v j="$j" -v ds="$ds" -v dm="$dm" -v bs="$bs" -v bm="$bm" 'BEGIN {
		printf "encode -j%d: DWARF %.2f s %d MB, -F btf %.2f s %d MB;" \
			" -F btf/DWARF: time %.2f, peak RSS %.2f\n",
			j, ds, dm / 1024, bs, bm / 1024, bs / ds, bm / dm }'
done
echo "output: DWARF path $(stat -c %s "$work/dw.btf") bytes, -F btf $(stat -c %s "$work/bt.btf")" \
	"bytes"

# ---- diff -------------------------------------------------------------------------------
"$btfenc" "${flags[@]}" -j --btf_encode_detached="$work/dw.btf" "$work/dwarf.elf"
"$btfenc" "${flags[@]}" -j --btf_encode_detached="$work/dwg.btf" "$bt/vmlinux"
"$btfenc" "${flags[@]}" -j -F btf --btf_encode_detached="$work/bt.btf" "$bt/vmlinux" \
	2>/dev/null
for f in dw dwg bt; do "$btfenc" dump --format=canonical "$work/$f.btf" > "$work/$f.txt"; done
cmp -s "$work/dw.txt" "$work/dwg.txt" && same="the same" || same="NOT the same"
diff "$work/dwg.txt" "$work/bt.txt" > "$work/diff" || true
echo "diff: DWARF of the -gbtf build and of the -g build give $same BTF; DWARF path against" \
	"-F btf: $(grep -c '^<' "$work/diff") lines only from DWARF," \
	"$(grep -c '^>' "$work/diff") only from -F btf"
[ -z "${KEEP_DIFF:-}" ] || cp "$work/diff" "$KEEP_DIFF"
