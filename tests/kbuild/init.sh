#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# /init of the check-kbuild initramfs (busybox). /etc/kbuild-expect says what the host
# expects of the modules in /lib/modules: "accept" (each loads and gets
# /sys/kernel/btf/<name>) or "reject" (the kernel refuses each module's BTF). The last line
# before poweroff is the verdict: "KBUILD-GUEST: PASS" or "KBUILD-GUEST: FAIL".
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
say() { echo "kbuild-guest: $*"; }
ok=1
fail() { say "FAIL: $*"; ok=0; }
expect=$(cat /etc/kbuild-expect)
say "kernel $(uname -r), expecting modules to be ${expect}ed"

if [ -r /sys/kernel/btf/vmlinux ]; then
	say "vmlinux-btf-size $(wc -c < /sys/kernel/btf/vmlinux)"
else
	fail "no /sys/kernel/btf/vmlinux"
fi

for ko in /lib/modules/*.ko; do
	name=$(basename "$ko" .ko)
	if insmod "$ko"; then loaded=1; else loaded=0; fi
	say "insmod $name: $([ $loaded = 1 ] && echo loaded || echo refused)"
	if [ -e "/sys/kernel/btf/$name" ]; then
		say "module-btf-size $name $(wc -c < "/sys/kernel/btf/$name")"
		has_btf=1
	else
		say "no /sys/kernel/btf/$name"
		has_btf=0
	fi
	if dmesg | grep -q "failed to validate module \[$name\] BTF"; then rejected=1
	else rejected=0; fi
	if [ "$expect" = accept ]; then
		[ $loaded = 1 ] || fail "$name did not load"
		[ $has_btf = 1 ] || fail "$name has no BTF in sysfs"
		[ $rejected = 0 ] || fail "the kernel rejected $name's BTF"
		dmesg | grep -q "btfenc_testmod: loaded" || fail "$name's init did not run"
	else
		[ $loaded = 0 ] || [ $has_btf = 0 ] || fail "$name loaded with its BTF"
		[ $rejected = 1 ] || fail "no 'failed to validate module [$name] BTF' in dmesg"
	fi
done

if [ "$expect" = accept ] && dmesg | grep -q 'failed to validate'; then
	fail "the kernel refused some BTF"
fi
dmesg | grep -E 'failed to validate|BTF|BPF:|btfenc_testmod' | while read -r line; do
	say "dmesg: $line"
done
[ $ok = 1 ] && echo "KBUILD-GUEST: PASS" || echo "KBUILD-GUEST: FAIL"
poweroff -f
