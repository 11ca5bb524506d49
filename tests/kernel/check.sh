#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make check-kernel: btfenc on Debian's 6.1 cloud kernel, judged against the .BTF that
# Debian's build (pahole 1.24) embedded in vmlinux and in every module, and by the
# running kernel (BPF_BTF_LOAD).
#
# Rules: every non-FUNC type, VAR and DATASEC identical (ID-independent dump);
# the set of FUNC names identical, one FUNC per name, each FUNC (name + prototype) also in
# the embedded BTF (Debian ran pahole with -j, which left same-name duplicates there).
# Known exceptions: the modules in KNOWN_DEDUP_PLACEMENT, where serial pahole 1.24 itself
# differs from Debian's -j output only in which types were deduplicated into vmlinux
# (measured on 6.1.0-56: e.g. Debian's lockd BTF keeps its own struct module, a serial
# run resolves it to vmlinux's); for those the check is "identical to serial pahole 1.24".
#
# Environment: BTFENC, KLOAD (binaries); BTFENC_CACHE (default ~/.cache/btfenc; the
# version fetched is recorded in its kdbg/KVER, which tests/kernel/kver.sh reads);
# BTFENC_MODULES = all | N (a deterministic sample of N modules; default 150).
# btfenc runs in its compatibility behaviour (pahole 1.24, libbpf 1.1.2): that is what
# Debian's build used.
set -u
export BTFENC_PAHOLE_COMPAT=1.24
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/lib.sh"
. "$top/tests/kernel/kver.sh"
cache=$kdbg_cache
pkg=linux-image-$kver-dbg
sample=${BTFENC_MODULES:-150}
KNOWN_DEDUP_PLACEMENT=" lockd nfsd blocklayoutdriver smc "

fetch() {
	local root=$cache/kdbg
	if [ -f "$root/usr/lib/debug/boot/vmlinux-$kver" ]; then
		[ -s "$root/KVER" ] || echo "$kver" > "$root/KVER"
		return 0
	fi
	mkdir -p "$cache/debs"
	local deb
	deb=$(ls "$cache"/debs/${pkg}_*.deb 2>/dev/null | head -1)
	if [ -z "$deb" ]; then
		echo "check-kernel: downloading $pkg (283 MB) into $cache/debs"
		(cd "$cache/debs" && apt-get download "$pkg" >/dev/null 2>&1) || {
			# The exact version may have left the archive: take the one the
			# metapackage depends on now.
			apt-get update -qq >/dev/null 2>&1
			local dep
			dep=$(apt-cache depends linux-image-cloud-amd64-dbg 2>/dev/null |
			      awk '/Depends: linux-image-.*-dbg/ {print $2; exit}')
			[ -n "$dep" ] || return 1
			pkg=$dep
			kver=${dep#linux-image-}; kver=${kver%-dbg}
			(cd "$cache/debs" && apt-get download "$pkg" >/dev/null 2>&1) || return 1
		}
		deb=$(ls "$cache"/debs/${pkg}_*.deb | head -1)
	fi
	echo "check-kernel: unpacking $(basename "$deb")"
	rm -rf "$root.tmp" && mkdir -p "$root.tmp" && dpkg -x "$deb" "$root.tmp" &&
		echo "$kver" > "$root.tmp/KVER" && rm -rf "$root" && mv "$root.tmp" "$root"
}

fetch || { echo "check-kernel: cannot fetch $pkg"; echo "0 passed, 1 failed"; exit 1; }
. "$top/tests/kernel/kver.sh"	# the version fetched
root=$cache/kdbg
vmlinux=$kdbg_vmlinux
moddir=$kdbg_moddir
echo "check-kernel: Debian $kver"

# compare NAME REF.txt OURS.txt: the rules at the top of this file on two canonical dumps.
compare() {
	local name=$1 ref=$2 ours=$3
	if ! diff <(grep -v -E '^(func |proto\()' "$ref") <(grep -v -E '^(func |proto\()' "$ours") \
		> "$work/$name.typediff"; then
		echo "$name: $(grep -c '^[<>]' "$work/$name.typediff") type lines differ"; return 1
	fi
	grep '^func ' "$ref" | awk '{print $2}' | sort -u > "$work/$name.rn"
	grep '^func ' "$ours" | awk '{print $2}' | sort > "$work/$name.on"
	if ! cmp -s "$work/$name.rn" "$work/$name.on"; then
		echo "$name: FUNC names differ or repeat"; return 1
	fi
	if [ -n "$(comm -13 <(grep '^func ' "$ref" | sort -u) <(grep '^func ' "$ours" | sort))" ]
	then
		echo "$name: a FUNC prototype is not in the reference"; return 1
	fi
	return 0
}

# --- vmlinux ---------------------------------------------------------------------------
flags=(-J -j --btf_gen_floats --lang_exclude=rust)
t0=$(date +%s.%N)
"$btfenc" "${flags[@]}" --btf_encode_detached="$work/vmlinux.btf" "$vmlinux" ||
	bad "vmlinux: encoding failed"
t1=$(date +%s.%N)
echo "check-kernel: vmlinux encoded in $(echo "$t1 - $t0" | bc) s"
canon "$vmlinux" > "$work/vmlinux.ref.txt"
canon "$work/vmlinux.btf" > "$work/vmlinux.ours.txt"
if msg=$(compare vmlinux "$work/vmlinux.ref.txt" "$work/vmlinux.ours.txt"); then ok
else bad "$msg"; fi
echo "check-kernel: vmlinux: $(grep -c '^func ' "$work/vmlinux.ours.txt") FUNC," \
	"$(grep -c '^var ' "$work/vmlinux.ours.txt") VAR, $(stat -c %s "$work/vmlinux.btf") bytes"
kernel_check vmlinux "$work/vmlinux.btf"
"$btfenc" "${flags[@]/-j/-j1}" --btf_encode_detached="$work/vmlinux-j1.btf" "$vmlinux"
cmp -s "$work/vmlinux.btf" "$work/vmlinux-j1.btf" && ok || bad "vmlinux: -j1 and -j differ"
# btfenc's own dedup (btf_dedup/) against libbpf's btf__dedup(), its oracle.
BTFENC_DEDUP=libbpf "$btfenc" "${flags[@]}" --btf_encode_detached="$work/vmlinux-libbpf.btf" \
	"$vmlinux"
cmp -s "$work/vmlinux.btf" "$work/vmlinux-libbpf.btf" && ok ||
	bad "vmlinux: btfenc's dedup and libbpf's differ"
# The embedded vmlinux BTF, raw, as the base of every module.
base=$work/vmlinux.embedded.btf
objcopy -O binary --only-section=.BTF "$vmlinux" "$base" || bad "cannot extract vmlinux .BTF"

# --- the flags Linux 6.12 sends a pahole >= 1.26 ------------------------------------------
# The default behaviour: pahole master's type and string sections (hashes in
# tests/data/oracle/README), vmlinux and four modules split on it; nfsd.ko among them
# needs the dedup rules of master's libbpf (two typedefs, kxdrdproc_t and kxdreproc_t,
# merge into the base: btf_dedup/PORTING.md). The compatibility behaviour keeps pahole
# 1.31's function rules: its FUNCs and prototypes are 1.31's (its variables pahole 1.24's:
# no fixed_percpu_data).
f126=(-J -j --btf_features=encode_force,var,float,enum64,decl_tag,type_tag,optimized_func
      --lang_exclude=rust)
f126[2]+=,consistent_func,decl_tag_kfuncs
oracle_hash() {	# NAME VERSION KIND: a hash from the README
	awk -v n="$1" -v v="$2" -v k="$3" '$1 == n && $2 == v && $3 == k { print $4 }' \
		"$top/tests/data/oracle/README"
}
sections_hash() {	# FILE: sha256 of its type section followed by its string section
	python3 - "$1" <<'PY'
import hashlib, struct, sys
d = open(sys.argv[1], 'rb').read()
_, _, _, hl, to, tl, so, sl = struct.unpack('<HBBIIIII', d[:24])
print(hashlib.sha256(d[hl + to:hl + to + tl] + d[hl + so:hl + so + sl]).hexdigest())
PY
}
# oracle_is GOT NAME VERSION KIND MESSAGE: GOT is the README's hash, else MESSAGE fails;
# the hashes hold for $kver_measured only: on another kernel each is counted in oracle_skips.
oracle_skips=0
oracle_is() {
	if [ "$kver" != "$kver_measured" ]; then oracle_skips=$((oracle_skips + 1)); return; fi
	[ "$1" = "$(oracle_hash "$2" "$3" "$4")" ] && ok || bad "$5"
}
funcs_hash() {	# [--btf_base BASE] FILE: sha256 of the FUNC lines of its canonical dump
	canon "$@" | grep '^func ' | sha256sum | cut -c1-64
}
BTFENC_PAHOLE_COMPAT= "$btfenc" "${f126[@]}" --btf_encode_detached="$work/v126.btf" "$vmlinux"
oracle_is "$(sections_hash "$work/v126.btf")" vmlinux master sections \
	"vmlinux, 6.12's flags: not pahole master's type and string sections"
BTFENC_PAHOLE_COMPAT=1.24 "$btfenc" "${f126[@]}" --btf_encode_detached="$work/v126c.btf" \
	"$vmlinux"
oracle_is "$(funcs_hash "$work/v126c.btf")" vmlinux 1.31 funcs \
	"vmlinux, 6.12's flags, compatibility behaviour: not pahole 1.31's FUNCs"
for m in vsock btrfs xfs nfsd; do
	ko=$(find "$moddir" -name "$m.ko" | head -1)
	BTFENC_PAHOLE_COMPAT= "$btfenc" "${f126[@]}" --btf_base "$work/v126.btf" \
		--btf_encode_detached="$work/m126.btf" "$ko"
	oracle_is "$(sections_hash "$work/m126.btf")" "$m.ko" master sections \
		"$m.ko, 6.12's flags: not pahole master's type and string sections"
	BTFENC_PAHOLE_COMPAT=1.24 "$btfenc" "${f126[@]}" --btf_base "$work/v126c.btf" \
		--btf_encode_detached="$work/m126c.btf" "$ko"
	oracle_is "$(funcs_hash --btf_base "$work/v126c.btf" "$work/m126c.btf")" \
		"$m.ko" 1.31 funcs "$m.ko, 6.12's flags, compatibility behaviour: not pahole 1.31's FUNCs"
done
# true_signature (pahole master, off by default): FUNCs of vmlinux's clones under their
# own names, master's sections; the modules split on that vmlinux.
fts=("${f126[@]}")
fts[2]+=,true_signature
BTFENC_PAHOLE_COMPAT= "$btfenc" "${fts[@]}" --btf_encode_detached="$work/vts.btf" "$vmlinux"
oracle_is "$(sections_hash "$work/vts.btf")" vmlinux master ts-sections \
	"vmlinux, 6.12's flags + true_signature: not pahole master's sections"
for m in vsock btrfs xfs nfsd; do
	ko=$(find "$moddir" -name "$m.ko" | head -1)
	BTFENC_PAHOLE_COMPAT= "$btfenc" "${fts[@]}" --btf_base "$work/vts.btf" \
		--btf_encode_detached="$work/mts.btf" "$ko"
	oracle_is "$(sections_hash "$work/mts.btf")" "$m.ko" master ts-sections \
		"$m.ko, 6.12's flags + true_signature: not pahole master's sections"
done
[ "$oracle_skips" = 0 ] || note "$oracle_skips comparisons with pahole's recorded hashes" \
	"(tests/data/oracle/README): recorded on $kver_measured, this is $kver"
for j in -j1 -j8; do
	BTFENC_PAHOLE_COMPAT= "$btfenc" "${f126[@]/-j/$j}" --btf_encode_detached="$work/vj.btf" \
		"$vmlinux"
	cmp -s "$work/vj.btf" "$work/v126.btf" && ok || bad "vmlinux, 6.12's flags: $j differs from -j"
done

# --- modules ---------------------------------------------------------------------------
find "$moddir" -name '*.ko' | sort > "$work/all-modules"
total=$(wc -l < "$work/all-modules")
if [ "$sample" = all ]; then
	cp "$work/all-modules" "$work/modules"
else
	# Every k-th module, so small and large ones from every subsystem are in.
	awk -v n="$sample" -v t="$total" 'BEGIN {k = t / n; if (k < 1) k = 1}
		NR % int(k) == 0' "$work/all-modules" | head -n "$sample" > "$work/modules"
	for m in nfs vsock btrfs xfs lockd; do
		grep -q "/$m.ko$" "$work/modules" || grep "/$m.ko$" "$work/all-modules" >> "$work/modules"
	done
fi
echo "check-kernel: $(wc -l < "$work/modules") of $total modules"
mod_fail=0 mod_ok=0 mod_known=0
while read -r ko; do
	name=$(basename "$ko" .ko)
	out=$work/m-$name.btf
	if ! "$btfenc" "${flags[@]}" --btf_base "$base" --btf_encode_detached="$out" "$ko"; then
		bad "$name: encoding failed"; mod_fail=$((mod_fail + 1)); continue
	fi
	canon --btf_base "$base" "$ko" > "$work/m-$name.ref.txt" 2>/dev/null ||
		{ note "$name: embedded .BTF unreadable"; continue; }
	canon --btf_base "$base" "$out" > "$work/m-$name.ours.txt"
	if msg=$(compare "$name" "$work/m-$name.ref.txt" "$work/m-$name.ours.txt"); then
		mod_ok=$((mod_ok + 1))
	elif [[ $KNOWN_DEDUP_PLACEMENT == *" $name "* ]]; then
		# Serial pahole 1.24 (the oracle) must agree with us exactly.
		pahole -J --btf_gen_floats --lang_exclude=rust --btf_base "$base" --btf_encode_detached="$out.p" "$ko" \
			>/dev/null 2>&1
		if diff -q <(canon --btf_base "$base" "$out.p") "$work/m-$name.ours.txt" >/dev/null
		then
			mod_known=$((mod_known + 1))
		else
			mod_fail=$((mod_fail + 1)); bad "$name: differs from serial pahole too"
		fi
	else
		mod_fail=$((mod_fail + 1)); bad "$msg"
	fi
	kernel_loads && { "$kload" "$out" "$base" >/dev/null 2>&1 ||
		bad "$name: kernel rejected base+module"; }
	rm -f "$work/m-$name".*
done < "$work/modules"
[ $mod_fail -eq 0 ] && ok
kernel_loads || note "modules: the kernel's verdict not asked: $kernel_why"
echo "check-kernel: modules: $mod_ok identical, $mod_known known dedup-placement" \
	"differences, $mod_fail unexplained"

# One batch over copies of the sample (the base indexed once, restored after each
# module) must write, module for module, the bytes libbpf's dedup gives alone.
mkdir -p "$work/batch"
while read -r ko; do cp "$ko" "$work/batch/"; done < "$work/modules"
t0=$(date +%s.%N)
"$btfenc" "${flags[@]}" --btf_base "$base" "$work"/batch/*.ko || bad "module batch failed"
t1=$(date +%s.%N)
echo "check-kernel: batch of $(wc -l < "$work/modules") modules in $(echo "$t1 - $t0" | bc) s"
batch_diff=0
while read -r ko; do
	name=$(basename "$ko" .ko)
	BTFENC_DEDUP=libbpf "$btfenc" "${flags[@]}" --btf_base "$base" \
		--btf_encode_detached="$work/lib-$name.btf" "$ko" || { batch_diff=$((batch_diff + 1)); continue; }
	# (-O binary would give nothing: a module's .BTF is not allocated.)
	objcopy --dump-section .BTF="$work/own-$name.btf" "$work/batch/$name.ko" "$work/scratch.o"
	if [ ! -s "$work/own-$name.btf" ] || ! cmp -s "$work/own-$name.btf" "$work/lib-$name.btf"
	then
		batch_diff=$((batch_diff + 1)); bad "$name: batch (btfenc's dedup) and libbpf's dedup differ"
	fi
	rm -f "$work/lib-$name.btf" "$work/own-$name.btf" "$work/batch/$name.ko"
done < "$work/modules"
[ $batch_diff -eq 0 ] && ok
echo "check-kernel: batch vs libbpf's dedup: $batch_diff of $(wc -l < "$work/modules") differ"

echo "$pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
