#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Every input a fuzz harness ever failed on (tests/data/fuzz/HARNESS/*) through that
# harness's entry points again, without libFuzzer: FUZZ_REPLAY/HARNESS (tests/fuzz/
# replay.c) must end normally, within 60 s, without a sanitizer report or an output out
# of proportion (the harness aborts on one).
#
# Needs FUZZ_REPLAY (the directory of the replay drivers) in the environment.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
BTFENC=${BTFENC:-unused}
. "$top/tests/lib.sh"
replay=${FUZZ_REPLAY:?set FUZZ_REPLAY to the replay drivers directory}

for dir in "$top"/tests/data/fuzz/*/; do
	h=$(basename "$dir")
	[ -x "$replay/$h" ] || { bad "$h: no replay driver"; continue; }
	for f in "$dir"*; do
		[ -f "$f" ] || continue
		case $f in *README) continue ;; esac
		if out=$(timeout 60 "$replay/$h" "$f" 2>&1); then ok
		else bad "$h: $(basename "$f"): exit $?: $(echo "$out" | grep -m3 -E 'ERROR|SUMMARY|runtime error|fuzz:')"
		fi
	done
done
finish "fuzz replay"
