#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# PAHOLE for the corrupted-BTF run of check-kbuild: runs the encoder through
# pahole-timed.sh, then, for a module (`--btf_base` given), breaks one type reference in the
# .BTF it produced: the first member of struct $BTFENC_KB_CORRUPT_STRUCT gets an out-of-range
# type ID. The kernel must then refuse to load the module.
here=$(dirname "$0")
"$here/pahole-timed.sh" "$@" || exit
base='' ko=''
while [ $# -gt 0 ]; do
	case $1 in
	--btf_base) base=$2; shift ;;
	--btf_base=*) base=${1#--btf_base=} ;;
	-*) ;;
	*) ko=$1 ;;
	esac
	shift
done
[ -n "$base" ] && [ -n "$ko" ] || exit 0
objcopy=${LLVM_OBJCOPY:-objcopy}
tmp=$(mktemp -d) || exit
trap 'rm -rf "$tmp"' EXIT
# The module's BTF is split on its distilled base when it has one (distilled_base), else on
# vmlinux's.
{ { "$objcopy" --dump-section .BTF.base="$tmp/base.btf" "$ko" "$tmp/base.elf" 2>/dev/null &&
	[ -s "$tmp/base.btf" ]; } ||
	"$objcopy" --dump-section .BTF="$tmp/base.btf" "$base" "$tmp/base.elf"; } &&
"$objcopy" --dump-section .BTF="$tmp/mod.btf" "$ko" "$tmp/mod.elf" &&
python3 "$here/btf_corrupt.py" "$tmp/mod.btf" "$tmp/base.btf" \
	"${BTFENC_KB_CORRUPT_STRUCT:?BTFENC_KB_CORRUPT_STRUCT: the struct to break}" &&
"$objcopy" --update-section .BTF="$tmp/mod.btf" "$ko"
