# SPDX-License-Identifier: GPL-2.0-only
# Shared by the test scripts (source it after setting top): the binaries from the
# environment, a scratch directory removed on exit, counters, the canonical dump, the
# running kernel's verdict, the closing line.

btfenc=${BTFENC:?set BTFENC to the btfenc binary}
# Debian installs bpftool in /usr/sbin, which is not on a user's PATH: the oracle is
# there for every user (it only reads files).
case ":$PATH:" in *:/usr/sbin:*) ;; *) PATH=$PATH:/usr/sbin ;; esac
kload=${KLOAD:-}
fix=$top/tests/fixtures
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0 fail=0 skip=0
ok()   { pass=$((pass + 1)); }
bad()  { fail=$((fail + 1)); echo "FAIL: $*"; }
. "$top/tests/skips.sh"
canon() { "${DUMP:-$btfenc}" dump --format=canonical "$@"; }

# kernel_check NAME FILE [BASE...]: the running kernel's verdict (BPF_BTF_LOAD) on FILE
# stacked on its bases (root first), through tests/tools/kload; skipped where the
# kernel does not let us load BTF.
kernel_check() {
	[ -n "${kload:-}" ] || return 0
	local name=$1 file=$2 out rc
	shift 2
	out=$("$kload" "$file" "$@" 2>&1); rc=$?
	case $rc in
	0) ok ;;
	77) note "$name: kernel verdict not asked: ${out#kload: }" ;;
	*) bad "$name: kernel rejected it: $out" ;;
	esac
}

# kernel_loads: true if the running kernel lets this user offer BTF (BPF_BTF_LOAD needs
# root or CAP_BPF), asked once through kload --probe; if not, kernel_why says why.
kernel_loads() {
	if [ -z "${kernel_why+set}" ]; then
		if [ -z "$kload" ]; then kernel_why="KLOAD not set"
		elif kernel_why=$("$kload" --probe 2>&1); then kernel_why=
		else kernel_why=${kernel_why#kload: }; kernel_why=${kernel_why:-kload --probe failed}
		fi
	fi
	[ -z "$kernel_why" ]
}

# finish LABEL: the summary lines CI reads, and the exit status.
finish() {
	echo "$1: $pass passed, $fail failed, $skip skipped"
	# The closing line CI reads: a skip is said there too, never only above it.
	if [ "$skip" -gt 0 ]; then echo "$pass passed, $fail failed, $skip skipped"
	else echo "$pass passed, $fail failed"; fi
	[ "$fail" -eq 0 ]
}
