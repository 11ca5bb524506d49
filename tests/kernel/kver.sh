# SPDX-License-Identifier: GPL-2.0-only
# Which Debian 6.1 cloud kernel the tests and scripts use, said in one place (sourced).
# tests/kernel/check.sh fetches linux-image-KVER-dbg, unpacks it in $BTFENC_CACHE/kdbg
# and records KVER in $BTFENC_CACHE/kdbg/KVER; everything else reads it from there, so
# all follow when the archive has moved on to a newer ABI. A tree unpacked before KVER
# was recorded is known by its one vmlinux.
# Sets: kdbg_cache, kver (e.g. 6.1.0-56-cloud-amd64), kdbg_vmlinux, kdbg_moddir, and
# kver_measured, the version the committed expected hashes were recorded on.
kver_measured=6.1.0-56-cloud-amd64
kdbg_cache=${BTFENC_CACHE:-$HOME/.cache/btfenc}
if [ -s "$kdbg_cache/kdbg/KVER" ]; then
	kver=$(cat "$kdbg_cache/kdbg/KVER")
else
	for kver in "$kdbg_cache"/kdbg/usr/lib/debug/boot/vmlinux-*-cloud-amd64; do break; done
	[ -f "$kver" ] && kver=${kver##*/vmlinux-} || kver=$kver_measured
fi
kdbg_vmlinux=$kdbg_cache/kdbg/usr/lib/debug/boot/vmlinux-$kver
kdbg_moddir=$kdbg_cache/kdbg/usr/lib/debug/lib/modules/$kver
