#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# /init of the check-kbuild initramfs (busybox). /etc/kbuild-expect says what the host
# expects of the modules in /lib/modules: "accept" (each loads and gets
# /sys/kernel/btf/<name>) or "reject" (the kernel refuses each module's BTF). The last line
# before poweroff is the verdict: "KBUILD-GUEST: PASS" or "KBUILD-GUEST: FAIL". Before it,
# the optional steps print facts the host judges: BPF programs run with bpfrun (typed
# __ksym variables, kfunc calls), the extra layer's module vmlinux_btf_extra (/lib/extra)
# loaded, read by btfenc and bpftool and unloaded, modules' extra layers (/lib/btf) read on
# the live chain, and the size of every /sys/kernel/btf file.
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

# ---- optional steps: each runs when the host put its files in the initramfs -------------
# A fact line per result ("kbuild-guest: NAME ..."); the host judges them (tests/kbuild/run.sh).
mem_kb() { sed -n "s/^$1: *\([0-9]*\) kB/\1/p" /proc/meminfo; }
# bpf LABEL OBJECT PROGRAM: tests/kbuild/guest/bpfrun on the object; its lines and exit status.
bpf() {
	[ -x /bin/bpfrun ] && [ -f "$2" ] || return 0
	/bin/bpfrun "$2" "$3" > /tmp/bpfrun.out 2>&1
	rc=$?
	while read -r line; do say "bpf $1: $line"; done < /tmp/bpfrun.out
	say "bpf $1: rc=$rc"
}
mount -t tmpfs tmpfs /tmp 2>/dev/null
bpf ksym-before /lib/bpf/ksym_var.bpf.o read_vars
bpf kfunc /lib/bpf/kfunc_call.bpf.o call_kfunc
# The extra layer's module: what it costs while loaded, and the readers that find its
# variables (btfenc finds /sys/kernel/btf/vmlinux as the base of a module's BTF by itself).
extra=/lib/extra/vmlinux_btf_extra.ko
if [ "$expect" = accept ] && [ -f "$extra" ]; then
	before=$(mem_kb MemFree)
	if insmod "$extra"; then say "insmod vmlinux_btf_extra: loaded"
	else fail "vmlinux_btf_extra did not load"; fi
	after=$(mem_kb MemFree)
	say "extra-mem MemFree before insmod ${before} kB, after ${after} kB"
	if [ -e /sys/kernel/btf/vmlinux_btf_extra ]; then
		say "sysfs-btf vmlinux_btf_extra $(wc -c < /sys/kernel/btf/vmlinux_btf_extra)"
	else
		fail "no /sys/kernel/btf/vmlinux_btf_extra"
	fi
	dmesg | grep -q 'failed to validate module \[vmlinux_btf_extra\] BTF' &&
		fail "the kernel rejected vmlinux_btf_extra's BTF"
	for var in jiffies_64 init_task; do
		/bin/btfenc dump /sys/kernel/btf/vmlinux_btf_extra > /tmp/dump 2>&1
		say "btfenc-dump $var: $(grep -c "^var $var " /tmp/dump) ($(grep -m1 "^var $var " /tmp/dump))"
		/bin/bpftool btf dump file /sys/kernel/btf/vmlinux_btf_extra \
			-B /sys/kernel/btf/vmlinux > /tmp/dump 2>&1
		say "bpftool-dump $var: $(grep -c "] VAR '$var'" /tmp/dump) ($(grep -m1 "] VAR '$var'" /tmp/dump))"
	done
	bpf ksym-after /lib/bpf/ksym_var.bpf.o read_vars
	# The program's reference on the module goes when the program is freed (after RCU).
	sleep 1
	before=$(mem_kb MemFree)
	if rmmod vmlinux_btf_extra; then say "rmmod vmlinux_btf_extra: unloaded"
	else say "rmmod vmlinux_btf_extra: refused"; fi
	sleep 1
	say "extra-mem MemFree before rmmod ${before} kB, after $(mem_kb MemFree) kB"
fi
# A module's own extra layer (Option #2's third level) is a file beside the module: the
# kernel loads split BTF on vmlinux only, user space reads the chain from the live files.
for f in /lib/btf/*.extra.btf; do
	[ -f "$f" ] || continue
	name=$(basename "$f" .extra.btf)
	/bin/btfenc dump --btf_base "/sys/kernel/btf/vmlinux,/sys/kernel/btf/$name" "$f" \
		> /tmp/dump 2>&1
	rc=$?
	say "chain-dump $name rc=$rc vars: $(sed -n 's/^var \([^ ]*\) .*/\1/p' /tmp/dump | tr '\n' ' ')"
	grep -m3 -i 'error\|btfenc:' /tmp/dump | while read -r line; do say "chain-dump $name: $line"; done
done
for f in /sys/kernel/btf/*; do say "sysfs-btf $(basename "$f") $(wc -c < "$f")"; done

if [ "$expect" = accept ] && dmesg | grep -q 'failed to validate'; then
	fail "the kernel refused some BTF"
fi
dmesg | grep -E 'failed to validate|BTF|BPF:|btfenc_testmod' | while read -r line; do
	say "dmesg: $line"
done
[ $ok = 1 ] && echo "KBUILD-GUEST: PASS" || echo "KBUILD-GUEST: FAIL"
poweroff -f
