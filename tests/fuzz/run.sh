#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# run.sh BUILD HARNESS...: each harness BUILD/fuzz/HARNESS for FUZZ_SECONDS seconds
# (default 60) at nice 19, on its corpus BUILD/fuzz/corpus/HARNESS (kept between runs)
# and the seeds made by seeds.sh; then one line per harness: executions, coverage,
# corpus size, and where a crash was saved. Exit 1 if any harness found one: keep the
# input under tests/data/fuzz/HARNESS/ with the fix (make check replays it).
set -u
build=${1:?usage: run.sh BUILD HARNESS...}
shift
secs=${FUZZ_SECONDS:-60}
here=$(cd "$(dirname "$0")" && pwd)
btfenc=${BTFENC:?set BTFENC to the btfenc binary}
rc=0

rm -rf "$build/fuzz/seeds"
"$here/seeds.sh" "$btfenc" "$build/fuzz/seeds" || exit 1
for h in "$@"; do
	corpus=$build/fuzz/corpus/$h crash=$build/fuzz/crash/$h log=$build/fuzz/$h.log
	mkdir -p "$corpus" "$crash"
	nice -n 19 "$build/fuzz/$h" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$crash/" "$corpus" \
		"$build/fuzz/seeds/$h" >"$log" 2>&1
	status=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -1)
	line="$h: ${execs:-?} executions in ${secs}s, $cov, corpus $(ls "$corpus" | wc -l)"
	if [ "$status" -ne 0 ]; then
		line="$line; FAILED (exit $status): $(grep -m1 -E 'ERROR|SUMMARY|fuzz:' "$log")"
		line="$line; input: $(ls -t "$crash" | head -1 | sed "s|^|$crash/|"), log $log"
		rc=1
	fi
	echo "$line"
done
exit $rc
