#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Runs each cmocka unit test binary given; fails if any fails. The closing line counts
# binaries and tests (from cmocka's own summary lines); a binary that ends without one
# (a crash, a sanitizer report) is named and fails the run.
set -u
fail=0 passed=0 failed=0 crashed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for t in "$@"; do
	"$t" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test(s)\.$/\1/p' "$log")
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test(s), listed below:$/\1/p' "$log")
	passed=$((passed + ${p:-0})) failed=$((failed + ${f:-0}))
	if [ "$rc" -ne 0 ]; then
		fail=1
		if [ -n "$f" ]; then echo "FAILED: $t"
		else crashed=$((crashed + 1)); echo "FAILED: $t (exit $rc, no cmocka summary)"; fi
	fi
done
more=
[ $crashed -eq 0 ] || more=", $crashed binaries ended without a summary"
echo "unit: $# binaries, $passed tests passed, $failed failed$more"
exit $fail
