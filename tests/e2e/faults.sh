#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Faults: btfenc fails cleanly. In the test build (make check-san: tests/fault/
# alloc_fault.h), the Nth allocation of btfenc's own code fails, for every N up to the
# total of a whole encode (--btf_encode_detached; -J into an executable and into a
# relocatable object) and of a whole dump of a fixture in four formats and of stats; so
# does the Nth thread creation. A failed allocation fails the run: a message on stderr, a
# non-zero exit, no sanitizer report (a leak included), no output file and no temporary
# file left, the input byte-identical (for -J: the file as it was). No allocation has a
# fallback, so a run whose fault fired and that still exits 0 is a failure swallowed.
# A failed thread creation may also end as without the fault (exit 0, the same bytes):
# the helper threads' work (the base chain, the symbol index) then runs on the calling
# thread. In a build without the hooks these parts are skipped with a note (the product
# has none); make runs this script only in the test build (FAULT=1, check-san).
#
# Needs BTFENC in the environment.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/lib.sh"
export ASAN_OPTIONS=${ASAN_OPTIONS:-exitcode=86} UBSAN_OPTIONS=${UBSAN_OPTIONS:-exitcode=86}

gcc -g -O0 -o "$work/types" "$fix/types.c" || { echo "cannot build fixtures"; exit 1; }
"$btfenc" --btf_encode_detached="$work/ref.btf" "$work/types" || exit 1
gcc -g -O2 -c "$fix/percpu.c" -o "$work/percpu.o" &&
	"$btfenc" --btf_base="$work/ref.btf" --btf_encode_detached="$work/ref-split.btf" \
		"$work/percpu.o" || exit 1
in_md5=$(md5sum <"$work/types")

# count VAR CMD...: how many of VAR's events (allocations, threads) CMD makes.
count() {
	local var=$1 what
	shift
	what=$([ "$var" = BTFENC_FAULT_ALLOC ] && echo allocations || echo threads)
	env "$var=0" "$@" 2>&1 >/dev/null |
		sed -n "s/^btfenc-fault: \([0-9]*\) allocations, \([0-9]*\) threads$/\1 \2/p" |
		{ read -r a t; [ "$what" = allocations ] && echo "${a:-0}" || echo "${t:-0}"; }
}

# sweep [--recovers] [--in-place=SRC] LABEL VAR OUT REF DIR CMD...: CMD with the Nth event
# failing, N = 1..total. OUT is the file CMD writes (or - for stdout), REF what it holds
# without a fault, DIR the directory that must hold nothing new. --recovers: a run whose
# fault fired may also end as without it; otherwise it must fail. --in-place=SRC: CMD
# rewrites OUT, a fresh copy of SRC before each run, and a failed run leaves it as SRC.
sweep() {
	local recovers=0 src= label var out ref dir total n rc fired bad_runs=0 failed=0
	while :; do
		case $1 in
		--recovers) recovers=1 ;;
		--in-place=*) src=${1#--in-place=} ;;
		*) break ;;
		esac
		shift
	done
	label=$1 var=$2 out=$3 ref=$4 dir=$5
	shift 5
	[ -z "$src" ] || cp "$src" "$out"
	total=$(count "$var" "$@")
	[ "$total" -gt 0 ] || { bad "$label: no events counted"; return; }
	for n in $(seq 1 "$total"); do
		if [ -n "$src" ]; then cp "$src" "$out"; elif [ "$out" != - ]; then rm -f "$out"; fi
		ls -A "$dir" | sort >"$work/before"
		env "$var=$n" "$@" >"$work/stdout" 2>"$work/stderr"
		rc=$?
		[ "$out" = - ] && cp "$work/stdout" "$work/produced" ||
			{ [ -e "$out" ] && cp "$out" "$work/produced" || rm -f "$work/produced"; }
		# Whether the Nth event happened: the run's own count reaches N.
		fired=$(sed -n 's/^btfenc-fault: \([0-9]*\) allocations, \([0-9]*\) threads$/\1 \2/p' \
			"$work/stderr" | { read -r a t
				[ "$var" = BTFENC_FAULT_ALLOC ] && c=${a:-0} || c=${t:-0}
				[ "$c" -ge "$n" ] && echo 1 || echo 0; })
		if grep -qE "ERROR: (Address|Leak)Sanitizer|runtime error" "$work/stderr" ||
		   [ "$rc" -ge 86 ]; then
			bad "$label: $var=$n: sanitizer report: $(grep -m1 -E 'ERROR|runtime' "$work/stderr")"
			bad_runs=$((bad_runs + 1))
		elif [ "$rc" -eq 0 ]; then
			if ! cmp -s "$work/produced" "$ref"; then
				bad "$label: $var=$n: exit 0 with other output"
				bad_runs=$((bad_runs + 1))
			elif [ "$fired" = 1 ] && [ "$recovers" = 0 ]; then
				bad "$label: $var=$n: exit 0 though the event failed (an error dropped)"
				bad_runs=$((bad_runs + 1))
			fi
		else
			failed=$((failed + 1))
			if ! grep -v '^btfenc-fault:' "$work/stderr" | grep -q '^btfenc: '; then
				bad "$label: $var=$n: exit $rc without a message"
				bad_runs=$((bad_runs + 1))
			elif [ -n "$src" ] && ! cmp -s "$out" "$src"; then
				bad "$label: $var=$n: exit $rc and $out changed"
				bad_runs=$((bad_runs + 1))
			elif [ -z "$src" ] && [ "$out" != - ] && [ -e "$out" ]; then
				bad "$label: $var=$n: exit $rc and $out left"
				bad_runs=$((bad_runs + 1))
			fi
		fi
		ls -A "$dir" | sort | grep -v -x -F -f "$work/before" | grep -v -x "$(basename "$out")" \
			>"$work/new"
		if [ -s "$work/new" ]; then
			bad "$label: $var=$n: left $(tr '\n' ' ' <"$work/new")"
			bad_runs=$((bad_runs + 1))
		fi
		[ "$(md5sum <"$work/types")" = "$in_md5" ] ||
			{ bad "$label: $var=$n: input changed"; cp "$work/ref-in" "$work/types" 2>/dev/null; }
		[ "$bad_runs" -gt 20 ] && { bad "$label: giving up after 20"; break; }
	done
	[ "$bad_runs" -eq 0 ] && ok
	echo "$label: $total events, $failed runs failed cleanly, the others as without the fault"
}

if ! BTFENC_FAULT_ALLOC=0 "$btfenc" --version 2>&1 >/dev/null | grep -q '^btfenc-fault:'; then
	note "no fault hooks in this build: allocation and thread sweeps skipped"
else
	mkdir -p "$work/o"
	sweep "encode detached" BTFENC_FAULT_ALLOC "$work/o/t.btf" "$work/ref.btf" "$work/o" \
		"$btfenc" --btf_encode_detached="$work/o/t.btf" "$work/types"
	# -J into the file itself: the result against the same file encoded without a fault.
	# The symbol index is built on a thread of its own beside the unit listing, so which
	# allocation is the Nth can differ from run to run (their total does not); -j1 keeps
	# the number of workers, hence the total, the same on every machine.
	for obj in types percpu.o; do
		cp "$work/$obj" "$work/ref-J" && "$btfenc" -j1 -J "$work/ref-J" || exit 1
		sweep --in-place="$work/$obj" "encode -J $obj" BTFENC_FAULT_ALLOC "$work/o/f" \
			"$work/ref-J" "$work/o" "$btfenc" -j1 -J "$work/o/f"
	done
	sweep --recovers "encode detached, threads" BTFENC_FAULT_THREAD "$work/o/t.btf" \
		"$work/ref-split.btf" "$work/o" "$btfenc" -j2 --btf_base="$work/ref.btf" \
		--btf_encode_detached="$work/o/t.btf" "$work/percpu.o"
	for fmt in canonical c raw layout; do
		"$btfenc" dump --format=$fmt "$work/ref.btf" >"$work/ref.$fmt"
		sweep "dump --format=$fmt" BTFENC_FAULT_ALLOC - "$work/ref.$fmt" "$work/o" \
			"$btfenc" dump --format=$fmt "$work/ref.btf"
	done
	sweep "stats" BTFENC_FAULT_ALLOC - /dev/null "$work/o" \
		sh -c '"$0" stats "$1" >/dev/null' "$btfenc" "$work/ref.btf"
fi
finish "faults"
