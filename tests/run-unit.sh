#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Runs each cmocka unit test binary given; fails if any fails.
set -u
fail=0
for t in "$@"; do
	"$t" || { echo "FAILED: $t"; fail=1; }
done
exit $fail
