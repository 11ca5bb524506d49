# SPDX-License-Identifier: GPL-2.0-only
# The skip rule of every test script (sourced; the script keeps the counters skip and fail):
# note REASON says and counts a skip; in CI (CI set), one whose reason does not match
# BTFENC_EXPECTED_SKIPS (an extended regular expression, .ci/run's) also fails the script.
note() {
	skip=$((skip + 1))
	echo "SKIP: $*"
	if [ -n "${CI:-}" ] && ! [[ $* =~ ${BTFENC_EXPECTED_SKIPS:-^$} ]]; then
		fail=$((fail + 1))
		echo "FAIL: a skip CI does not expect (BTFENC_EXPECTED_SKIPS in .ci/run): $*"
	fi
}
