#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# make demo: encode the built-in default input and print a summary.
# The default input is tests/fixtures/{types,percpu}.c built with gcc -g into one
# relocatable object (so per-CPU variables survive). If Debian's cloud vmlinux is
# already cached (make check-kernel fetches it), it is encoded too.
set -euo pipefail
btfenc=${1:?usage: demo.sh path/to/btfenc}
top=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cc=${CC:-gcc}
$cc -g -O2 -c "$top/tests/fixtures/types.c" -o "$work/types.o"
$cc -g -O2 -c "$top/tests/fixtures/percpu.c" -o "$work/percpu.o"
ld -r -o "$work/demo.o" "$work/types.o" "$work/percpu.o"

echo "== btfenc --version (the pahole version it stands in for): $("$btfenc" --version)"
echo "== encoding demo.o (DWARF from $cc) into demo.btf"
"$btfenc" -J -j --stats --btf_encode_detached="$work/demo.btf" "$work/demo.o"
echo "== what demo.btf holds (btfenc stats):"
"$btfenc" stats "$work/demo.btf"
echo "== a few types (btfenc dump --format=canonical, ID-independent):"
"$btfenc" dump --format=canonical "$work/demo.btf" | grep -E '^(struct bits|var |datasec |func take_all)' | cut -c1-160
echo "== struct bits as pahole would show it (btfenc dump --format=layout -C bits):"
"$btfenc" dump --format=layout -C bits "$work/demo.btf"
echo "== -J: the same BTF written into a copy of the object's .BTF section"
cp "$work/demo.o" "$work/demo-J.o"
"$btfenc" -J "$work/demo-J.o"
readelf -SW "$work/demo-J.o" | grep -E ' \.BTF ' || { echo "no .BTF section?"; exit 1; }

. "$top/tests/kernel/kver.sh"
if [ -f "$kdbg_vmlinux" ]; then
	echo "== Debian cloud vmlinux $kver with kernel 6.1's flags" \
		"(-j --btf_gen_floats --lang_exclude=rust)"
	/usr/bin/time -f "wall %es, peak RSS %MKB" "$btfenc" -J -j --btf_gen_floats \
		--lang_exclude=rust --stats --btf_encode_detached="$work/vmlinux.btf" "$kdbg_vmlinux"
else
	echo "== Debian cloud vmlinux: not cached ($kdbg_vmlinux), left out;" \
		"make check-kernel fetches it (283 MB), then make demo encodes it too"
fi
echo "demo: ok"
