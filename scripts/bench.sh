#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make bench: btfenc against pahole on the same inputs with the same flags, runs
# alternating, RUNS (default 5) each; prints medians and btfenc/pahole ratios of wall
# time and peak RSS (GNU time). Never part of CI: timings depend on the machine.
#
#   (a) Debian cloud vmlinux, kernel 6.1's flags, -j2 and -j1; then -J -j2 on a copy without
#       .BTF, as a kernel build meets it (pahole 1.24 adds the section with objcopy)
#   (b) vmlinux with all global variables (only if PAHOLE supports global_var)
#   (c) vsock.ko, btrfs.ko, xfs.ko split on vmlinux, one process each
#   (d) every module: one pahole process per module vs one btfenc batch process
#   (e) vmlinux with the flags Linux 6.12 sends a pahole >= 1.26 (optimized_func,
#       consistent_func, decl_tag_kfuncs, ...), -j2 and -j1, against pahole 1.31 and pahole
#       master, each when given; also with +global_var (every global variable), -j2 (neither is packaged in Debian 12: build them from the
#       public dwarves repository and name them in PAHOLE_131 and PAHOLE_MASTER)
#   (f) the five biggest modules of Debian's full amd64 flavour (amdgpu, nouveau, i915,
#       mlx5_core, radeon), -J on copies split on that flavour's vmlinux BTF, when its -dbg
#       package is cached (see big_inputs below for how to fetch it): copies that have
#       .BTF (re-encoded: pahole 1.24 rewrites the section in place with libelf; btfenc's
#       encoding alone, written detached, beside it), then
#       copies without (as a kernel build links them: pahole 1.24 adds it with objcopy);
#       those without also under (e)'s flags against pahole 1.31 and master, when given
# Same flags for both: kernel 6.1's, which include -j (here -j2) for modules too.
#   (g) every module of Debian's full amd64 flavour (4,023) split on that flavour's vmlinux
#       BTF: one pahole process per module, one at a time, vs one btfenc batch process (-J on
#       copies, made once in $BTFENC_CACHE/bench-amd64-modules, 5.4 GB); the batch's peak RSS
#       beside the peak of btfenc alone on the biggest module (the bound the man page states)
#   floor: a bare libdw walk over every DIE (tag + name) on 1 and 2 threads, each beside
#       btfenc at the same -j
#
# Environment: PAHOLE (default: pahole on PATH, Debian's 1.24), PAHOLE_131, PAHOLE_MASTER,
# RUNS, BTFENC_CACHE, BENCH (which of a,b,c,d,e,f,g,floor to run; default all).
set -euo pipefail
btfenc=${1:?usage: bench.sh path/to/btfenc}
top=$(cd "$(dirname "$0")/.." && pwd)
dwalk=$(dirname "$btfenc")/dwalk
pahole=${PAHOLE:-pahole}
runs=${RUNS:-5}
cache=${BTFENC_CACHE:-$HOME/.cache/btfenc}
which=${BENCH:-a b c d e f g floor}
. "$top/tests/kernel/kver.sh"
vmlinux=$kdbg_vmlinux
moddir=$kdbg_moddir
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ ! -f "$vmlinux" ]; then
	BTFENC=$btfenc BTFENC_MODULES=0 "$top/tests/kernel/check.sh" >/dev/null 2>&1 || true
	. "$top/tests/kernel/kver.sh"	# the version it fetched
	vmlinux=$kdbg_vmlinux moddir=$kdbg_moddir
fi
[ -f "$vmlinux" ] || { echo "bench: $vmlinux missing (make check-kernel fetches it)"; exit 1; }
echo "bench: pahole = $($pahole --version) ($pahole), btfenc = $btfenc, $runs runs each," \
	"$(nproc) CPUs"

# measure OUT CMD...: one run; appends "wall_s rss_kb" to OUT. Wall time from the
# clock in nanoseconds (GNU time's %e has 10 ms steps: too coarse for small modules).
measure() {
	local out=$1 t0 t1; shift
	t0=$(date +%s%N)
	/usr/bin/time -f "%M" -o "$work/t" "$@" >/dev/null 2>"$work/err" ||
		{ echo "bench: failed: $* ($(tail -1 "$work/err"))"; return 1; }
	t1=$(date +%s%N)
	echo "$(echo "($t1 - $t0) / 1000000000" | bc -l) $(cat "$work/t")" >> "$out"
}

median() {	# file column
	sort -n -k"$2" "$1" |
		awk -v c="$2" '{v[NR]=$c} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'
}

report() {	# label pahole-file btfenc-file
	local pw pr bw br
	pw=$(median "$2" 1); pr=$(median "$2" 2); bw=$(median "$3" 1); br=$(median "$3" 2)
	printf '%-34s pahole %7.3fs %7.0fMB | btfenc %7.3fs %7.0fMB | ratio wall %.2f rss %.2f\n' \
		"$1" "$pw" "$(echo "$pr/1024" | bc -l)" "$bw" "$(echo "$br/1024" | bc -l)" \
		"$(echo "$bw/$pw" | bc -l)" "$(echo "$br/$pr" | bc -l)"
}

# pair LABEL -- PAHOLE-ARGS -- BTFENC-ARGS: alternating runs, then the report.
pair() {
	local label=$1; shift; shift
	local pargs=() bargs=()
	while [ "$1" != -- ]; do pargs+=("$1"); shift; done; shift
	bargs=("$@")
	: > "$work/p" ; : > "$work/b"
	for _ in $(seq "$runs"); do
		measure "$work/p" "${pair_pahole:-$pahole}" "${pargs[@]}"
		measure "$work/b" "$btfenc" "${bargs[@]}"
	done
	report "$label" "$work/p" "$work/b"
}

k61=(-J --btf_gen_floats --lang_exclude=rust)

# pahole_loop OUT BASE MODULE...: one pahole process per module, one at a time, as a build
# without batches runs it; appends "wall_s max_rss_kb" (the largest of the processes) to OUT.
pahole_loop() {
	local out=$1 base=$2 start maxrss=0 ko r; shift 2
	start=$(date +%s.%N)
	for ko in "$@"; do
		/usr/bin/time -f "%M" -o "$work/t" "$pahole" "${k61[@]}" -j2 --btf_base "$base" \
			"$ko" >/dev/null 2>&1 || true
		r=$(cat "$work/t"); [ "$r" -gt "$maxrss" ] && maxrss=$r
	done
	echo "$(echo "$(date +%s.%N) - $start" | bc) $maxrss" >> "$out"
}
objcopy -O binary --only-section=.BTF "$vmlinux" "$work/vmlinux.btf"

if [[ " $which " == *" a "* ]]; then
	pair "(a) vmlinux -j2" -- "${k61[@]}" -j2 --btf_encode_detached="$work/p.btf" "$vmlinux" \
		-- "${k61[@]}" -j2 --btf_encode_detached="$work/b.btf" "$vmlinux"
	pair "(a) vmlinux -j1" -- "${k61[@]}" --btf_encode_detached="$work/p.btf" "$vmlinux" \
		-- "${k61[@]}" -j1 --btf_encode_detached="$work/b.btf" "$vmlinux"
	# As a kernel build meets it: Linux 6.1 to 6.19 run $PAHOLE -J on .tmp_vmlinux.btf,
	# the vmlinux with all its DWARF and no .BTF yet, and pahole 1.24 adds the section
	# with $LLVM_OBJCOPY, which link-vmlinux.sh sets to the kernel's objcopy. Here .BTF
	# is renamed away (objcopy will not remove it: __start_BTF points into it). A fresh
	# copy for every run, written back before it.
	objcopy --rename-section .BTF=.BTF.linked "$vmlinux" "$work/new-vmlinux"
	: > "$work/p"; : > "$work/b"
	for _ in $(seq "$runs"); do
		cp "$work/new-vmlinux" "$work/p-vmlinux" && sync
		LLVM_OBJCOPY=objcopy measure "$work/p" "$pahole" "${k61[@]}" -j2 "$work/p-vmlinux"
		cp "$work/new-vmlinux" "$work/b-vmlinux" && sync
		measure "$work/b" "$btfenc" "${k61[@]}" -j2 "$work/b-vmlinux"
	done
	report "(a) vmlinux -J -j2, no .BTF yet" "$work/p" "$work/b"
	rm -f "$work/new-vmlinux" "$work/p-vmlinux" "$work/b-vmlinux"
fi
if [[ " $which " == *" b "* ]]; then
	if "$pahole" --supported_btf_features 2>/dev/null | grep -q global_var; then
		pair "(b) vmlinux +global_var -j2" -- "${k61[@]}" -j2 --btf_features=default,global_var \
			--btf_encode_detached="$work/p.btf" "$vmlinux" -- "${k61[@]}" -j2 \
			--btf_features=default,global_var --btf_encode_detached="$work/b.btf" "$vmlinux"
	else
		echo "(b) skipped: $pahole has no global_var (set PAHOLE to pahole >= 1.28)"
	fi
fi
if [[ " $which " == *" c "* ]]; then
	for m in vsock btrfs xfs; do
		ko=$(find "$moddir" -name "$m.ko" | head -1)
		pair "(c) $m.ko" -- "${k61[@]}" -j2 --btf_base "$work/vmlinux.btf" \
			--btf_encode_detached="$work/p.btf" "$ko" -- "${k61[@]}" -j2 \
			--btf_base "$work/vmlinux.btf" --btf_encode_detached="$work/b.btf" "$ko"
	done
fi
if [[ " $which " == *" d "* ]]; then
	# Both rewrite .BTF in copies of the modules (made once, outside the timing).
	copies=$cache/bench-modules
	if [ ! -d "$copies" ]; then
		mkdir -p "$copies.tmp" && find "$moddir" -name '*.ko' -exec cp {} "$copies.tmp/" \; &&
			mv "$copies.tmp" "$copies"
	fi
	mods=("$copies"/*.ko)
	: > "$work/p"; : > "$work/b"
	for _ in $(seq "$runs"); do
		pahole_loop "$work/p" "$work/vmlinux.btf" "${mods[@]}"
		measure "$work/b" "$btfenc" "${k61[@]}" -j2 --btf_base "$work/vmlinux.btf" "${mods[@]}"
	done
	report "(d) ${#mods[@]} modules (batch)" "$work/p" "$work/b"
fi
feats=encode_force,var,float,enum64,decl_tag,type_tag
feats+=,optimized_func,consistent_func,decl_tag_kfuncs
k612=(-J --btf_features=$feats --lang_exclude=rust)
k612g=(-J --btf_features=$feats,global_var --lang_exclude=rust)
if [[ " $which " == *" e "* ]]; then
	for v in 131 MASTER; do
		pv=PAHOLE_$v
		pair_pahole=${!pv:-}
		if [ -z "$pair_pahole" ] || ! "$pair_pahole" --version >/dev/null 2>&1; then
			echo "(e) pahole ${v,,}: skipped (set $pv to that pahole)"
			continue
		fi
		for j in 2 1; do
			pair "(e) vmlinux 6.12 flags -j$j, ${v,,}" -- "${k612[@]}" -j$j \
				--btf_encode_detached="$work/p.btf" "$vmlinux" -- "${k612[@]}" -j$j \
				--btf_encode_detached="$work/b.btf" "$vmlinux"
		done
		pair "(e) vmlinux 6.12 +global_var -j2, ${v,,}" -- "${k612g[@]}" -j2 \
			--btf_encode_detached="$work/p.btf" "$vmlinux" -- "${k612g[@]}" -j2 \
			--btf_encode_detached="$work/b.btf" "$vmlinux"
	done
	pair_pahole=
fi
# big_inputs: the five modules and vmlinux of Debian's full amd64 flavour, extracted once
# from its -dbg package (858 MB) into $cache/amd64dbg; 1 with a message when not cached.
bigver=${kver%-cloud-amd64}-amd64
bigmods=(gpu/drm/amd/amdgpu/amdgpu gpu/drm/nouveau/nouveau gpu/drm/i915/i915
	 net/ethernet/mellanox/mlx5/core/mlx5_core gpu/drm/radeon/radeon)
bigroot=$cache/amd64dbg/usr/lib/debug
big_inputs() {
	local deb paths=(./usr/lib/debug/boot/vmlinux-$bigver) m
	for m in "${bigmods[@]}"; do
		paths+=(./usr/lib/debug/lib/modules/$bigver/kernel/drivers/$m.ko)
	done
	[ -f "$bigroot/boot/vmlinux-$bigver" ] && return 0
	deb=$(ls "$cache"/debs/linux-image-$bigver-dbg_*.deb 2>/dev/null | head -1)
	if [ -z "$deb" ]; then
		echo "(f) skipped: linux-image-$bigver-dbg is not cached; fetch it with" \
			"(cd $cache/debs && apt-get download linux-image-$bigver-dbg)"
		return 1
	fi
	rm -rf "$cache/amd64dbg.tmp" && mkdir -p "$cache/amd64dbg.tmp" &&
		dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$cache/amd64dbg.tmp" "${paths[@]}" &&
		mv "$cache/amd64dbg.tmp" "$cache/amd64dbg" ||
		{ echo "(f) skipped: cannot extract $deb"; return 1; }
}
if [[ " $which " == *" f "* ]] && big_inputs; then
	# Both rewrite .BTF in copies of the modules (made once, outside the timing).
	objcopy -O binary --only-section=.BTF "$bigroot/boot/vmlinux-$bigver" "$work/big.btf"
	for m in "${bigmods[@]}"; do
		n=$(basename "$m")
		cp "$bigroot/lib/modules/$bigver/kernel/drivers/$m.ko" "$work/p-$n.ko"
		cp "$work/p-$n.ko" "$work/b-$n.ko"
		pair "(f) $n.ko (amd64) -J" -- "${k61[@]}" -j2 --btf_base "$work/big.btf" \
			"$work/p-$n.ko" -- "${k61[@]}" -j2 --btf_base "$work/big.btf" "$work/b-$n.ko"
		# What the all-or-nothing replacement costs: the same encoding written detached,
		# the module left as it is, against the pahole runs just made (not alternating).
		: > "$work/b"
		for _ in $(seq "$runs"); do
			measure "$work/b" "$btfenc" "${k61[@]}" -j2 --btf_base "$work/big.btf" \
				--btf_encode_detached="$work/b.btf" "$work/b-$n.ko"
		done
		report "(f) $n.ko same, detached" "$work/p" "$work/b"
		# As a kernel build meets the module: no .BTF yet. pahole 1.24 then adds it
		# with $LLVM_OBJCOPY, which Linux's scripts/Makefile.modfinal sets to its
		# objcopy. A fresh copy for every run, written back before it.
		objcopy --remove-section=.BTF "$work/p-$n.ko" "$work/new-$n.ko"
		: > "$work/p"; : > "$work/b"
		for _ in $(seq "$runs"); do
			cp "$work/new-$n.ko" "$work/p-$n.ko" && sync
			LLVM_OBJCOPY=objcopy measure "$work/p" "$pahole" "${k61[@]}" -j2 \
				--btf_base "$work/big.btf" "$work/p-$n.ko"
			cp "$work/new-$n.ko" "$work/b-$n.ko" && sync
			measure "$work/b" "$btfenc" "${k61[@]}" -j2 --btf_base "$work/big.btf" \
				"$work/b-$n.ko"
		done
		report "(f) $n.ko (amd64) -J, no .BTF yet" "$work/p" "$work/b"
		# The same under the flags Linux 6.12 sends a pahole >= 1.26, against pahole
		# 1.31 and master when given (both add .BTF to the module themselves).
		for v in 131 MASTER; do
			pv=PAHOLE_$v
			[ -n "${!pv:-}" ] && "${!pv}" --version >/dev/null 2>&1 || continue
			: > "$work/p"; : > "$work/b"
			for _ in $(seq "$runs"); do
				cp "$work/new-$n.ko" "$work/p-$n.ko" && sync
				measure "$work/p" "${!pv}" "${k612[@]}" -j2 \
					--btf_base "$work/big.btf" "$work/p-$n.ko"
				cp "$work/new-$n.ko" "$work/b-$n.ko" && sync
				measure "$work/b" "$btfenc" "${k612[@]}" -j2 \
					--btf_base "$work/big.btf" "$work/b-$n.ko"
			done
			report "(f) $n.ko 6.12 flags, no .BTF, ${v,,}" "$work/p" "$work/b"
		done
		rm -f "$work/p-$n.ko" "$work/b-$n.ko" "$work/new-$n.ko"
	done
fi
# full_flavour: every module of the full amd64 flavour, copied once (the -J target).
full_flavour() {
	local deb copies=$cache/bench-amd64-modules
	[ -d "$copies" ] && return 0
	deb=$(ls "$cache"/debs/linux-image-$bigver-dbg_*.deb 2>/dev/null | head -1)
	if [ -z "$deb" ]; then
		echo "(g) skipped: linux-image-$bigver-dbg is not cached; fetch it with" \
			"(cd $cache/debs && apt-get download linux-image-$bigver-dbg)"
		return 1
	fi
	rm -rf "$copies.tmp" && mkdir -p "$copies.tmp/x" &&
		dpkg-deb --fsys-tarfile "$deb" |
		tar -x -C "$copies.tmp/x" --wildcards "./usr/lib/debug/lib/modules/$bigver/*.ko" &&
		find "$copies.tmp/x" -name '*.ko' -exec mv {} "$copies.tmp/" \; &&
		rm -rf "$copies.tmp/x" && mv "$copies.tmp" "$copies" ||
		{ echo "(g) skipped: cannot extract $deb"; return 1; }
}
if [[ " $which " == *" g "* ]] && big_inputs && full_flavour; then
	objcopy -O binary --only-section=.BTF "$bigroot/boot/vmlinux-$bigver" "$work/big.btf"
	mods=("$cache"/bench-amd64-modules/*.ko)
	: > "$work/p"; : > "$work/b"; : > "$work/one"
	for _ in $(seq "$runs"); do
		pahole_loop "$work/p" "$work/big.btf" "${mods[@]}"
		measure "$work/b" "$btfenc" "${k61[@]}" -j2 --btf_base "$work/big.btf" "${mods[@]}"
		measure "$work/one" "$btfenc" "${k61[@]}" -j2 --btf_base "$work/big.btf" \
			"$cache"/bench-amd64-modules/amdgpu.ko
	done
	report "(g) ${#mods[@]} modules, full flavour" "$work/p" "$work/b"
	printf '%-34s btfenc batch peak %5.0fMB | amdgpu.ko alone %5.0fMB\n' "(g) RSS bound" \
		"$(echo "$(median "$work/b" 2)/1024" | bc -l)" \
		"$(echo "$(median "$work/one" 2)/1024" | bc -l)"
fi
if [[ " $which " == *" floor "* ]] && [ -x "$dwalk" ]; then
	# Each thread count against btfenc -jN at the same count, runs alternating (the
	# machine's speed drifts); the target: -j1 <= 1.1x, -j2 <= 1.05x the walk.
	for j in 1 2; do
		: > "$work/f$j"; : > "$work/b$j"
	done
	for _ in $(seq "$runs"); do
		for j in 1 2; do
			measure "$work/f$j" "$dwalk" "$vmlinux" "$j"
			measure "$work/b$j" "$btfenc" "${k61[@]}" -j"$j" \
				--btf_encode_detached="$work/b.btf" "$vmlinux"
		done
	done
	for j in 1 2; do
		fw=$(median "$work/f$j" 1) bw=$(median "$work/b$j" 1)
		printf '%-34s libdw walk %5.2fs %5.0fMB | btfenc -j%d %5.2fs | btfenc/walk %.2f\n' \
			"floor: every DIE, $j thread(s)" "$fw" \
			"$(echo "$(median "$work/f$j" 2)/1024" | bc -l)" "$j" "$bw" \
			"$(echo "$bw/$fw" | bc -l)"
	done
fi
