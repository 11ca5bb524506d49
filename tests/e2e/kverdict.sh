#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# verify's verdict against the kernel's, and the inspection commands on BTF that once
# crashed them. tests/data/kverdict holds blobs on which verify and BPF_BTF_LOAD once
# disagreed (mutants of the fixtures' BTF made by tests/tools/kverdict, single and split
# on base.btf) and hand-made shapes (a pointer member past its struct, a 128-bit int
# member at bit 1, a typedef of void as a member, a member of a zero-size int, a
# struct of 256 MiB, an int of 2^29 bytes, a header of 25 bytes), each with the verdict
# of the kernel it was made on (verdicts). KVERDICT replays them: against the running
# kernel where BPF_BTF_LOAD is permitted, else against those recorded verdicts (its
# summary line says which). Then every read-only command runs on each blob: no crash,
# no sanitizer report, no output out of proportion.
#
# Needs BTFENC and KVERDICT (tests/tools/kverdict) in the environment.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/lib.sh"
kverdict=${KVERDICT:?set KVERDICT to tests/tools/kverdict}
corpus=$top/tests/data/kverdict

# --- verify = the kernel, on the corpus -----------------------------------------------
if out=$("$kverdict" --replay="$corpus" 2>&1); then ok; else bad "replay: $out"; fi
echo "$out" | tail -1

# --- every read-only command survives every blob ----------------------------------------
# run_all FILE [--btf_base=B]: exit status 0-2, no sanitizer report, under 1 MB of output.
run_all() {
	local f=$1 base=${2:-} args rc size
	for args in "dump --format=raw" "dump --format=c" "dump --format=layout" \
		    "dump --format=layout --json" "dump --format=canonical" "stats" "stats --json" \
		    "verify"; do
		# shellcheck disable=SC2086
		timeout 60 "$btfenc" $args $base "$f" > "$work/out" 2> "$work/err"; rc=$?
		size=$(stat -c %s "$work/out")
		if [ $rc -gt 2 ] || [ "$size" -gt 1000000 ] ||
		   grep -q "runtime error\|AddressSanitizer" "$work/err"; then
			bad "$args $(basename "$f"): exit $rc, $size bytes: $(head -c 300 "$work/err")"
			return
		fi
	done
	# shellcheck disable=SC2086
	timeout 60 "$btfenc" diff $base "$f" "$f" > /dev/null 2> "$work/err"; rc=$?
	if [ $rc -gt 2 ] || grep -q "runtime error\|AddressSanitizer" "$work/err"; then
		bad "diff $(basename "$f"): exit $rc: $(head -c 300 "$work/err")"
		return
	fi
	ok
}
while read -r file _ base; do
	[ "${file#\#}" = "$file" ] || continue
	run_all "$corpus/$file" ${base:+--btf_base=$corpus/$base}
done < "$corpus/verdicts"

# --- shapes libbpf's btf_dump cannot lay out: left out, with a comment ------------------
for s in int0_char off256m; do
	out=$("$btfenc" dump --format=c "$corpus/shape-$s.btf" 2>&1); rc=$?
	if [ $rc -eq 0 ] && [ ${#out} -lt 2000 ] &&
	   echo "$out" | grep -q "type ID [0-9]*: STRUCT s .*cannot lay out: left out"; then ok
	else bad "dump --format=c $s: exit $rc, ${#out} bytes: $(echo "$out" | head -c 300)"; fi
done
# An int of 2^29 bytes: its bits no longer wrap 32 bits in the layout view.
for j in "" --json; do
	# shellcheck disable=SC2086
	if out=$("$btfenc" dump --format=layout $j "$corpus/shape-int2p29.btf" 2>&1) &&
	   echo "$out" | grep -q "536870912"; then ok
	else bad "dump --format=layout $j int2p29: $out"; fi
done
# What verify rejects, no inspection command walks: one line naming the file and type ID.
for args in "dump --format=c" "dump --format=layout" "stats"; do
	# shellcheck disable=SC2086
	out=$("$btfenc" $args "$corpus/shape-tdvoid.btf" 2>&1 >/dev/null); rc=$?
	if [ $rc -ne 0 ] && [ "$(echo "$out" | wc -l)" -eq 1 ] &&
	   echo "$out" | grep -q "shape-tdvoid.btf: type ID 3 (struct)"; then ok
	else bad "$args on a typedef of void: exit $rc: $out"; fi
done
# A header of 25 bytes (the kernel takes it; its extra byte is 0): read, not misread.
out=$("$btfenc" verify "$corpus/shape-hdr25.btf" 2>&1)
if echo "$out" | grep -q "valid (86 types in 1 layer)" &&
   "$btfenc" dump --format=canonical "$corpus/shape-hdr25.btf" | grep -q "^struct "; then ok
else bad "a 25-byte header: $out"; fi

finish "kverdict"
