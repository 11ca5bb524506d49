#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# PAHOLE for the check-kbuild kernel build: runs $BTFENC_KB_ENCODER with exactly the arguments
# the kernel's scripts gave, and appends one line per call to $BTFENC_KB_LOG:
#   <seconds> rc=<status> <encoder> <argv...>
# Output and exit status are the encoder's own, so Kconfig and pahole-flags.sh see the
# version it reports.
enc=${BTFENC_KB_ENCODER:?BTFENC_KB_ENCODER: the encoder to run}
start=$(date +%s%N)
"$enc" "$@"
rc=$?
end=$(date +%s%N)
if [ -n "${BTFENC_KB_LOG:-}" ]; then
	ms=$(( (end - start) / 1000000 ))
	printf '%d.%03d rc=%d %s %s\n' $((ms / 1000)) $((ms % 1000)) "$rc" "$enc" "$*" \
		>> "$BTFENC_KB_LOG"
fi
exit $rc
