#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The default behaviour against pahole 1.31 and pahole master, byte for byte, on the objects
# and outputs kept in tests/data/oracle (README there: which pahole, which flags). 1.31: the
# whole file; master: the type and string sections (its libbpf writes a 32-byte header).
# Known differences, each asserted so that it is noticed when it goes away:
#  * isra-gcc: master drops functions whose optimized-out parameters changed their ABI
#    (a .isra/.constprop symbol at the address, dwarves commit fb8328e): not yet in btfenc.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/lib.sh"
data=$top/tests/data/oracle
features=encode_force,var,float,enum64,decl_tag,type_tag,optimized_func,consistent_func
flags=(-J --btf_features=$features,decl_tag_kfuncs)

# sections FILE: the type and string sections of a raw BTF file, as hex.
sections() {
	python3 - "$1" <<'PY'
import struct, sys
d = open(sys.argv[1], 'rb').read()
magic, _, _, hl, to, tl, so, sl = struct.unpack('<HBBIIIII', d[:24])
sys.stdout.write((d[hl + to:hl + to + tl] + b'|' + d[hl + so:hl + so + sl]).hex())
PY
}

known_master_diff=" isra-gcc "
n=0
for obj in "$data"/*.o; do
	name=$(basename "$obj" .o)
	out=$work/$name.btf
	if ! BTFENC_PAHOLE_COMPAT= "$btfenc" "${flags[@]}" --btf_encode_detached="$out" "$obj"; then
		bad "$name: btfenc failed"
		continue
	fi
	n=$((n + 1))
	cmp -s "$out" "$data/$name.131.btf" && ok || bad "$name: differs from pahole 1.31's bytes"
	if [ "$(sections "$out")" = "$(sections "$data/$name.master.btf")" ]; then
		[[ $known_master_diff == *" $name "* ]] &&
			bad "$name: now equal to pahole master's: drop it from the known differences" ||
			ok
	else
		[[ $known_master_diff == *" $name "* ]] && ok ||
			bad "$name: differs from pahole master's type and string sections"
	fi
done
[ "$n" -ge 9 ] && ok || bad "only $n oracle inputs encoded"
finish oracle
