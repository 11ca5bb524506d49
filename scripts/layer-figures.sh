#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make layer-figures: bytes of BTF per layer on Debian's cloud kernel (vmlinux and its
# modules, all of them unless MODULES=N) for the variable options a distribution can
# choose from, so it can decide with numbers:
#   n         per-CPU variables only (today's kernels)
#   y         every variable in vmlinux's and each module's BTF
#   m, opt 1  vmlinux core + vmlinux-btf-extra; modules with all their variables
#   m, opt 2  vmlinux core + vmlinux-btf-extra; module core + module-btf-extra
# Flags are kernel 6.1's (--btf_gen_floats --lang_exclude=rust).
set -euo pipefail
btfenc=${1:?usage: layer-figures.sh path/to/btfenc}
. "$(dirname "$0")/../tests/kernel/kver.sh"
vmlinux=$kdbg_vmlinux
moddir=$kdbg_moddir
[ -f "$vmlinux" ] || { echo "layer-figures: run make check-kernel first (fetches $kver)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
flags=(--btf_gen_floats --lang_exclude=rust -j)
gv=(--btf_features=encode_force,var,float,decl_tag,type_tag,enum64,global_var)
size() { stat -c %s "$1" 2>/dev/null || echo 0; }

"$btfenc" "${flags[@]}" --btf_encode_detached="$work/v-n.btf" "$vmlinux"
"$btfenc" "${flags[@]}" "${gv[@]}" --btf_encode_detached="$work/v-y.btf" "$vmlinux"
"$btfenc" "${flags[@]}" --btf_encode_detached="$work/v-core.btf" \
	--btf_extra_detached="$work/v-extra.btf" "$vmlinux"

find "$moddir" -name '*.ko' | sort > "$work/mods"
[ -n "${MODULES:-}" ] && head -n "$MODULES" "$work/mods" > "$work/m2" && mv "$work/m2" "$work/mods"
# One line per module: n, y, option 1, option 2 core, option 2 extra (bytes).
encode_module() {
	local ko=$1 b
	b=$work/$(basename "$ko" .ko)
	"$btfenc" "${flags[@]}" --btf_base "$work/v-n.btf" --btf_encode_detached="$b.n" "$ko" \
		2>/dev/null
	"$btfenc" "${flags[@]}" "${gv[@]}" --btf_base "$work/v-y.btf" \
		--btf_encode_detached="$b.y" "$ko" 2>/dev/null
	"$btfenc" "${flags[@]}" "${gv[@]}" --btf_base "$work/v-core.btf" \
		--btf_encode_detached="$b.o1" "$ko" 2>/dev/null
	"$btfenc" "${flags[@]}" --btf_base "$work/v-core.btf" --btf_encode_detached="$b.o2c" \
		--btf_extra_detached="$b.o2x" "$ko" 2>/dev/null
	echo "$(size "$b.n") $(size "$b.y") $(size "$b.o1") $(size "$b.o2c") $(size "$b.o2x")"
	rm -f "$b".*
}
export -f encode_module size
export btfenc work
export flags_s="${flags[*]}" gv_s="${gv[*]}"
while read -r ko; do encode_module "$ko"; done < "$work/mods" > "$work/sizes"

awk -v vn="$(size "$work/v-n.btf")" -v vy="$(size "$work/v-y.btf")" \
    -v vc="$(size "$work/v-core.btf")" -v vx="$(size "$work/v-extra.btf")" \
    -v nmods="$(wc -l < "$work/mods")" '
{ n += $1; y += $2; o1 += $3; o2c += $4; o2x += $5 }
function row(name, vcore, vextra, mcore, mextra,   t) {
	t = vcore + vextra + mcore + mextra
	printf "| %-9s | %12d | %13d | %16d | %17d | %12d | %+7.1f%% |\n", name, vcore, vextra,
		mcore, mextra, t, 100 * (t - base) / base
}
END {
	base = vn + n
	printf "Debian %s cloud kernel: vmlinux + %d modules, bytes of BTF\n", "6.1", nmods
	print "| option    | vmlinux core | vmlinux extra | all module cores | all module extras |        total | over n   |"
	print "| --------- | ------------ | ------------- | ---------------- | ----------------- | ------------ | -------- |"
	row("n", vn, 0, n, 0)
	row("y", vy, 0, y, 0)
	row("m, opt 1", vc, vx, o1, 0)
	row("m, opt 2", vc, vx, o2c, o2x)
}' "$work/sizes"
