#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make check-kbuild: btfenc as PAHOLE in a real Linux build (Debian's kernel source packages),
# the kernel booted under qemu (TCG) with a busybox initramfs, and the kernel's verdict on
# the vmlinux BTF and on an external module's split BTF. A second boot with a deliberately
# corrupted module BTF must be refused, so the check is known to be able to fail. The
# vmlinux and module BTF are also compared with what Debian's pahole 1.24 makes of the same
# inputs (ID-independent canonical dumps).
#
# One run builds one variant, KBUILD_VARIANT=SOURCE-TOOLCHAIN[-alt|-y|-m]: SOURCE 6.1 or 6.12 (Debian's
# linux-source-6.1 and linux-source-6.12 packages), TOOLCHAIN gcc or llvm (LLVM=1: clang,
# ld.lld and the llvm binutils; ld.lld leaves an empty allocated .BTF in .tmp_vmlinux.btf,
# and clang's DWARF gives TYPE_TAGs and ENUM64s gcc's lacks). Default: 6.1-gcc. -alt: the
# second build of that source (kernel-alt.config on top) into which the first build's module
# is loaded (its BTF relocated: 6.12). -y, -m: the CONFIG_DEBUG_INFO_BTF_VARS tristate, a kernel
# patch kept in tests/kbuild/btf-vars (applied to the unpacked source; n, the patch's default,
# is the other variants): y, every global variable in vmlinux's and the modules' BTF; m,
# vmlinux's other variables in the module vmlinux_btf_extra (split on vmlinux), the modules
# with all their own. Every boot also runs BPF programs through libbpf in the guest
# (tests/kbuild/guest): typed __ksym variables (found in vmlinux_btf_extra with m, in vmlinux
# with y, refused with n) and, on 6.12, kfunc calls; and the readers btfenc and bpftool on
# the live /sys/kernel/btf files.
#
# Environment: BTFENC, KLOAD (binaries); BTFENC_CACHE (default ~/.cache/btfenc; the source is
# unpacked in $BTFENC_CACHE/kbuild, each variant's build tree, modules and initramfs live in
# $BTFENC_CACHE/kbuild/VARIANT, so a warm run relinks only when btfenc changed); KBUILD_JOBS
# (default: online CPUs); BTFENC_KB_RELINK=1 forces the vmlinux relink (and so the BTF step)
# even when btfenc did not change.
# shellcheck disable=SC2015 # `A && ok ... || bad ...`: ok() always succeeds
set -u
# Called from make: the kernel build must not inherit that make's flags (-s, for one, sends
# every kbuild command's stdout to /dev/null) nor its jobserver.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES
here=$(cd "$(dirname "$0")" && pwd)
btfenc=${BTFENC:?set BTFENC to the btfenc binary}
kload=${KLOAD:-}
cache=${BTFENC_CACHE:-$HOME/.cache/btfenc}
kb=$cache/kbuild
variant=${KBUILD_VARIANT:-6.1-gcc}
ksrc=${variant%%-*}
toolchain=${variant#*-}
# SOURCE-TOOLCHAIN-alt: a second build of that source (tests/kbuild/kernel-alt.config on top)
# into which the first build's out-of-tree module is loaded.
alt=
# SOURCE-TOOLCHAIN-y, -m: CONFIG_DEBUG_INFO_BTF_VARS=y or m (tests/kbuild/btf-vars).
vars=n
case $toolchain in
*-alt) alt=1; toolchain=${toolchain%-alt} ;;
*-y) vars=y; toolchain=${toolchain%-y} ;;
*-m) vars=m; toolchain=${toolchain%-m} ;;
esac
frags=("$here/kernel.config")
[ -n "$alt" ] && frags+=("$here/kernel-alt.config")
[ "$vars" != n ] && frags+=("$here/btf-vars/vars-$vars.config")
src=$kb/linux-source-$ksrc
vk=$kb/$variant
obj=$vk/build
logs=$vk/logs
jobs=${KBUILD_JOBS:-$(nproc)}
pahole=/usr/bin/pahole
boot_timeout=120
deps=(linux-source-$ksrc bc bison flex libssl-dev libelf-dev cpio kmod qemu-system-x86
      busybox-static dwarves python3 gcc make binutils xz-utils clang libbpf-dev bpftool)
# Arguments of every make call into the kernel tree: the toolchain.
case $toolchain in
gcc) tc=() ;;
llvm) tc=(LLVM=1); deps+=(clang lld llvm) ;;
*) echo "check-kbuild: unknown toolchain in KBUILD_VARIANT $variant (gcc or llvm)"; exit 2 ;;
esac
# 6.12-gcc builds as a distribution does, KBUILD_BUILD_TIMESTAMP set: its Makefile.btf then
# adds "-j --btf_features=+reproducible_build", so -j and --btf_features come twice.
[ "$variant" = 6.12-gcc ] && export KBUILD_BUILD_TIMESTAMP="2026-01-01 00:00:00 UTC"
# 6.1-gcc-y builds with btfenc's compatibility behaviour (it reports v1.24, Kconfig and
# scripts/pahole-flags.sh choose its flags from that): the tristate works whichever version
# btfenc reports.
[ "$variant" = 6.1-gcc-y ] && export BTFENC_PAHOLE_COMPAT=1.24
case $ksrc in
6.1|6.12) ;;
*) echo "check-kbuild: unknown kernel source in KBUILD_VARIANT $variant"; exit 2 ;;
esac

[[ $btfenc = /* ]] || btfenc=$(cd "$(dirname "$btfenc")" && pwd)/$(basename "$btfenc")
pass=0 fail=0 skip=0
ok()   { pass=$((pass + 1)); echo "PASS: $*"; }
bad()  { fail=$((fail + 1)); echo "FAIL: $*"; }
. "$here/../skips.sh"
info() { echo "check-kbuild [$variant]: $*"; }
finish() {
	[ -n "${timings:-}" ] && printf '%s' "$timings" > "$logs/timings.txt"
	[ -n "${timings:-}" ] && { echo "timings:"; printf '%s' "$timings"; }
	echo "check-kbuild [$variant]: $pass passed, $fail failed, $skip skipped"
	if [ "$skip" -gt 0 ]; then echo "$pass passed, $fail failed, $skip skipped"
	else echo "$pass passed, $fail failed"; fi
	[ "$fail" -eq 0 ]
	exit
}
die() { bad "$*"; finish; }
now() { date +%s%N; }
# secs START_NS [END_NS]: elapsed seconds with millisecond precision
secs() {
	local ms=$(( (${2:-$(now)} - $1) / 1000000 ))
	printf '%d.%03d' $((ms / 1000)) $((ms % 1000))
}
timings=
timing() { timings+="  $*"$'\n'; }
# Prints the last lines of a log when a step fails.
show_tail() { echo "---- last lines of $1"; tail -n "${2:-40}" "$1"; echo "----"; }

# ---- 1. Debian packages ------------------------------------------------------------------
install_deps() {
	"$here/../../scripts/install-deps.sh" "${deps[@]}"
}

# ---- 2. Kernel source, unpacked once per linux-source-$ksrc version ---------------------
# A new source version empties the variants' build trees (their stamps name the version).
unpack_source() {
	local ver tarball=/usr/src/linux-source-$ksrc.tar.xz stamp=$kb/source-$ksrc.stamp
	ver=$(dpkg-query -W -f='${Version}' "linux-source-$ksrc")
	if [ -f "$src/Makefile" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$ver" ]; then
		return 0
	fi
	info "unpacking linux-source-$ksrc $ver into $kb"
	rm -rf "$src" "$kb/unpack.tmp" "$kb/btf-vars-$ksrc.applied" && mkdir -p "$kb/unpack.tmp" &&
		tar -xf "$tarball" -C "$kb/unpack.tmp" &&
		mv "$kb/unpack.tmp/linux-source-$ksrc" "$src" && rmdir "$kb/unpack.tmp" &&
		echo "$ver" > "$stamp"
}

# The CONFIG_DEBUG_INFO_BTF_VARS patch (tests/kbuild/btf-vars/linux-SOURCE.patch) on the
# unpacked source, once; a changed patch replaces the one applied (reversed first, so that
# make sees every file it touched change). Its default, n, leaves the other variants' kernels
# as they were.
patch_source() {
	local p=$here/btf-vars/linux-$ksrc.patch applied=$kb/btf-vars-$ksrc.applied
	cmp -s "$p" "$applied" && return 0
	if [ -f "$applied" ]; then
		info "replacing the btf-vars patch applied to $src"
		patch -d "$src" -p1 -R -s -f < "$applied" > "$logs/patch.log" 2>&1 ||
			{ cat "$logs/patch.log"; return 1; }
	fi
	rm -f "$applied"
	patch -d "$src" -p1 -N -s -f < "$p" > "$logs/patch.log" 2>&1 ||
		{ cat "$logs/patch.log"; return 1; }
	cp "$p" "$applied"
}

# The build tree starts afresh when the source it was built from changed.
check_tree() {
	local ver
	ver=$(cat "$kb/source-$ksrc.stamp")
	if [ "$(cat "$vk/source.stamp" 2>/dev/null)" != "$ver" ]; then
		rm -rf "$obj" "$vk/config.stamp" "$vk/btfenc.stamp"
		mkdir -p "$vk" && echo "$ver" > "$vk/source.stamp"
	fi
}

# config_lost CONFIG: the lines of tests/kbuild/kernel.config that CONFIG does not honour.
config_lost() {
	local line sym
	while read -r line; do
		case $line in
		CONFIG_*=*)
			grep -qx "$line" "$1" || echo "$line" ;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }; sym=${sym%% *}
			! grep -q "^$sym=" "$1" || echo "$line" ;;
		esac
	done < <(cat "${frags[@]}")
}

# ---- 3. Configuration -------------------------------------------------------------------
# tinyconfig + tests/kbuild/kernel.config, redone when that fragment changes; olddefconfig
# with PAHOLE=btfenc every run, then every fragment line must still hold: Kconfig drops the
# BTF options without a word when it does not like `$PAHOLE --version`.
configure() {
	local stamp lost
	stamp=$(cat "${frags[@]}" | sha256sum | cut -c1-16)
	: > "$logs/config.log"
	if [ ! -f "$obj/.config" ] || [ "$(cat "$vk/config.stamp" 2>/dev/null)" != "$stamp" ]
	then
		mkdir -p "$obj"
		rm -f "$vk/config.stamp"
		make -C "$src" O="$obj" "${tc[@]}" PAHOLE="$btfenc" tinyconfig \
			>> "$logs/config.log" 2>&1 || return 1
	fi
	# The fragment again each run: an earlier run whose PAHOLE Kconfig refused left
	# DEBUG_INFO_BTF off in .config, and olddefconfig alone would not turn it back on.
	"$src/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" "${frags[@]}" \
		>> "$logs/config.log" 2>&1 &&
		make -C "$src" O="$obj" "${tc[@]}" PAHOLE="$btfenc" olddefconfig \
			>> "$logs/config.log" 2>&1 || return 1
	echo "$stamp" > "$vk/config.stamp"
	mapfile -t lost < <(config_lost "$obj/.config")
	if [ ${#lost[@]} -gt 0 ]; then
		echo "check-kbuild: olddefconfig dropped: ${lost[*]}"
		echo "check-kbuild: '$btfenc --version' says '$("$btfenc" --version 2>&1)';" \
			"Kconfig read $(grep '^CONFIG_PAHOLE_VERSION=' "$obj/.config")"
		return 1
	fi
}

# The -J calls logged by pahole-timed.sh after line $1 of the log: "seconds argv".
calls_since() { tail -n +"$(($1 + 1))" "$plog" | awk '/ -J /'; }

# ---- 4. Kernel build --------------------------------------------------------------------
build_kernel() {
	nice -n 10 make -C "$src" O="$obj" -j"$jobs" "${tc[@]}" PAHOLE="$bin/pahole-timed.sh" \
		bzImage modules > "$logs/build.log" 2>&1
}

# build_module DIR WRAPPER: the external module in DIR with PAHOLE=WRAPPER. Its .ko is
# removed first so that its BTF is always made again by the btfenc under test.
build_module() {
	rm -f "$1"/*.ko
	nice -n 10 make -C "$obj" M="$1" -j"$jobs" "${tc[@]}" PAHOLE="$2" modules \
		> "$logs/$(basename "$1").log" 2>&1
}

# sync_module NAME [SED]: tests/kbuild/testmod as module NAME in $vk/NAME (its source edited
# by the sed script SED when given), files rewritten only when their content changed (so
# make rebuilds only what changed).
sync_module() {
	local dir=$vk/$1 tmp
	mkdir -p "$dir"
	tmp=$(mktemp -d)
	sed "s/btfenc_testmod\\.o/$1.o/" "$here/testmod/Kbuild" > "$tmp/Kbuild"
	sed "${2:-}" "$here/testmod/btfenc_testmod.c" > "$tmp/$1.c"
	for f in Kbuild "$1.c"; do
		cmp -s "$tmp/$f" "$dir/$f" || cp "$tmp/$f" "$dir/$f"
	done
	rm -rf "$tmp"
}

# raw_btf ELF OUT [SECTION]: the .BTF section (or SECTION) of ELF as raw BTF.
raw_btf() { objcopy --dump-section "${3:-.BTF}=$2" "$1" "$work/objcopy.out" 2>/dev/null; }
# mod_base KO BASE_OUT: the base a module's .BTF is split on, for the host's verdict: its
# distilled .BTF.base when it carries one (distilled_base), else the vmlinux BTF.
mod_base() {
	if readelf -SW "$1" | grep -q ' \.BTF\.base '; then
		raw_btf "$1" "$2" .BTF.base
	else
		cp "$work/vmlinux.btf" "$2"
	fi
}

# ---- 5. initramfs and boot --------------------------------------------------------------
# The guest's tools (tests/kbuild/guest): bpfrun, libbpf 1.1.2 linked statically, and the BPF
# objects it loads, built here; btfenc and Debian's bpftool with the shared libraries they
# need, so that the readers run on the live /sys/kernel/btf. Writes $work/guest.list, the
# initramfs lines every boot gets.
guest_tools() {
	local g=$vk/guest p lib dirs
	mkdir -p "$g"
	gcc -O2 -Wall -static -o "$g/bpfrun" "$here/guest/bpfrun.c" -lbpf -lelf -lz \
		> "$logs/guest.log" 2>&1 || return 1
	for p in ksym_var kfunc_call; do
		clang -O2 -g -target bpf -I"/usr/include/$(gcc -print-multiarch)" \
			-c "$here/guest/$p.bpf.c" -o "$g/$p.bpf.o" >> "$logs/guest.log" 2>&1 || return 1
	done
	{
		for d in /tmp /lib/bpf /lib/extra /lib/btf /lib64; do echo "dir $d 0755 0 0"; done
		echo "file /bin/bpfrun $g/bpfrun 0755 0 0"
		echo "file /lib/bpf/ksym_var.bpf.o $g/ksym_var.bpf.o 0644 0 0"
		# kfunc_call's kfuncs are registered for BPF_PROG_TYPE_SYSCALL from Linux 6.2 on.
		[ "$ksrc" = 6.1 ] ||
			echo "file /lib/bpf/kfunc_call.bpf.o $g/kfunc_call.bpf.o 0644 0 0"
		echo "file /bin/btfenc $btfenc 0755 0 0"
		echo "file /bin/bpftool /usr/sbin/bpftool 0755 0 0"
		# ldd lists "name => /path (addr)" and the loader as "/lib64/ld-linux... (addr)".
		ldd "$btfenc" /usr/sbin/bpftool |
			awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\/.*[^:]$/ { print $1 }' | sort -u \
			> "$work/guest.libs"
		dirs=$(xargs -n1 dirname < "$work/guest.libs" | sort -u | grep -vx /lib64)
		for d in $dirs; do echo "dir $d 0755 0 0"; done
		while read -r lib; do
			echo "file $lib $(readlink -f "$lib") 0755 0 0"
		done < "$work/guest.libs"
	} > "$work/guest.list"
}
# guest_fact NAME: the guest's fact lines "kbuild-guest: NAME ..." of the last boot's log.
guest_fact() {
	sed -n "s/\r\$//; s/.*kbuild-guest: $1 //p" "$logs/boot-$boot_name.log"
}
# guest_verdicts: the guest's facts of the good boot, judged for this variant.
guest_verdicts() {
	local before after sizes line
	# Typed __ksym variables: libbpf 1.1.2 finds a VAR in vmlinux's BTF or a module's.
	before=$(guest_fact "bpf ksym-before:")
	case $vars in
	n|m)
		echo "$before" | grep -q "not found in kernel BTF" && echo "$before" | grep -q 'rc=1' &&
			ok "guest: without the extra layer libbpf refuses the __ksym variables:" \
				"$(echo "$before" | grep -m1 'not found in kernel BTF')" ||
			bad "guest: __ksym program before the extra layer: $(echo "$before" | tail -2)" ;;
	y)
		echo "$before" | grep -q 'read_vars retval 7' &&
			ok "guest: a BPF program reads jiffies_64 and init_task through __ksym" \
				"(in vmlinux's BTF)" ||
			bad "guest: __ksym program: $(echo "$before" | tail -3)" ;;
	esac
	if [ "$vars" = m ]; then
		after=$(guest_fact "bpf ksym-after:")
		echo "$after" | grep -q 'read_vars retval 7' &&
			ok "guest: with vmlinux_btf_extra loaded a BPF program reads jiffies_64 and" \
				"init_task through __ksym (libbpf found them in the module's BTF)" ||
			bad "guest: __ksym program after insmod vmlinux_btf_extra: $(echo "$after" | tail -3)"
		for line in "btfenc-dump jiffies_64:" "btfenc-dump init_task:" \
			"bpftool-dump jiffies_64:" "bpftool-dump init_task:"; do
			case $(guest_fact "$line") in
			"1 ("*) ok "guest: $line $(guest_fact "$line" | cut -c1-90)" ;;
			*) bad "guest: $line $(guest_fact "$line")" ;;
			esac
		done
		case $(guest_fact "chain-dump btfenc_testmod_o2") in
		"rc=0 vars:"*btfenc_testmod_state*)
			ok "guest: btfenc dump reads Option #2's third level on the live chain" \
				"(/sys/kernel/btf/vmlinux -> btfenc_testmod_o2 -> its extra file):" \
				"$(guest_fact "chain-dump btfenc_testmod_o2")" ;;
		*) bad "guest: chain dump of btfenc_testmod_o2's extra layer:" \
			"$(guest_fact "chain-dump btfenc_testmod_o2")" ;;
		esac
		line=$(guest_fact extra-mem | tr '\n' ' ')
		before=$(echo "$line" | sed -n 's/.*before insmod \([0-9]*\) kB, after \([0-9]*\) kB.*/\1 \2/p')
		after=$(echo "$line" | sed -n 's/.*before rmmod \([0-9]*\) kB, after \([0-9]*\) kB.*/\1 \2/p')
		[ -n "$before" ] && [ -n "$after" ] &&
			timing "vmlinux_btf_extra in the booted kernel: MemFree" \
				"$((${before% *} - ${before#* })) kB lower after insmod," \
				"$((${after#* } - ${after% *})) kB higher after rmmod"
		grep -q 'rmmod vmlinux_btf_extra: unloaded' "$logs/boot-$boot_name.log" &&
			ok "guest: vmlinux_btf_extra unloads once the program is gone" ||
			bad "guest: rmmod vmlinux_btf_extra failed"
	fi
	# kfunc calls (Linux 6.12): libbpf checks each extern's prototype against vmlinux's
	# FUNC, the verifier the call against the kfunc's BTF.
	if [ "$ksrc" != 6.1 ]; then
		guest_fact "bpf kfunc:" | grep -q 'call_kfunc retval 1' &&
			ok "guest: a BPF program calling kfuncs bpf_task_from_pid and bpf_task_release" \
				"passes libbpf and the verifier and returns pid 1" ||
			bad "guest: kfunc program: $(guest_fact "bpf kfunc:" | tail -3)"
	fi
	sizes=$(guest_fact sysfs-btf | tr '\n' ' ')
	timing "/sys/kernel/btf (CONFIG_DEBUG_INFO_BTF_VARS=$vars): $sizes"
	echo "$vars $sizes" > "$vk/sysfs-btf.txt"
}
initramfs_extra=()
# make_initramfs OUT EXPECT KO...: busybox, /init (tests/kbuild/init.sh), the modules, and
# /dev/console (so /init's output reaches the serial console before devtmpfs is mounted),
# written by the kernel's own usr/gen_init_cpio: no root or mknod needed.
make_initramfs() {
	local out=$1 expect=$2 list a ko
	shift 2
	list=$work/$(basename "$out").list
	echo "$expect" > "$work/expect-$expect"
	{
		for d in /dev /proc /sys /bin /etc /lib /lib/modules; do
			echo "dir $d 0755 0 0"
		done
		echo "nod /dev/console 0600 0 0 c 5 1"
		echo "file /bin/busybox /bin/busybox 0755 0 0"
		for a in sh mount cat wc basename insmod rmmod dmesg grep sed tr sleep uname \
			poweroff; do
			echo "slink /bin/$a busybox 0777 0 0"
		done
		echo "file /init $here/init.sh 0755 0 0"
		echo "file /etc/kbuild-expect $work/expect-$expect 0644 0 0"
		for ko in "$@"; do
			echo "file /lib/modules/$(basename "$ko") $ko 0644 0 0"
		done
		cat "$work/guest.list" 2>/dev/null
		printf '%s\n' "${initramfs_extra[@]}"
	} > "$list"
	"$obj/usr/gen_init_cpio" "$list" > "$out.tmp" && mv "$out.tmp" "$out"
}

# boot NAME INITRAMFS: boots bzImage under TCG; the serial log goes to $logs/boot-NAME.log.
# Returns once the guest printed its verdict and powered off (qemu is stopped then: without
# ACPI, `poweroff -f` halts the CPU but does not end qemu), or after $boot_timeout seconds.
# Sets boot_secs (qemu start to verdict) and boot_verdict (PASS, FAIL or TIMEOUT).
boot() {
	local log=$logs/boot-$1.log start qpid deadline grace='' verdict
	boot_name=$1
	# Emptied here, not by qemu's redirection: that runs in the background job and could
	# come after the first look for a verdict, which would then read the last run's.
	: > "$log"
	start=$(now)
	deadline=$(($(date +%s) + boot_timeout))
	qemu-system-x86_64 -kernel "$obj/arch/x86/boot/bzImage" -initrd "$2" \
		-append "console=ttyS0 panic=-1" -nographic -no-reboot -m 256M \
		< /dev/null >> "$log" 2>&1 &
	qpid=$!
	boot_verdict=TIMEOUT boot_secs=''
	while :; do
		verdict=$(grep -o -m1 'KBUILD-GUEST: \(PASS\|FAIL\)' "$log")
		if [ -z "$boot_secs" ] && [ -n "$verdict" ]; then
			boot_secs=$(secs "$start")
			boot_verdict=${verdict#KBUILD-GUEST: }
			grace=$(($(date +%s) + 5))
		fi
		kill -0 "$qpid" 2>/dev/null || break
		# The verdict is in: wait (5 s at most) for the kernel's "Power down".
		[ -n "$grace" ] && { grep -q 'reboot: Power down' "$log" ||
			[ "$(date +%s)" -ge "$grace" ]; } && break
		[ "$(date +%s)" -ge "$deadline" ] && break
		sleep 0.1
	done
	kill "$qpid" 2>/dev/null
	wait "$qpid" 2>/dev/null
	[ -n "$boot_secs" ] || boot_secs=$(secs "$start")
	sed -n 's/\r$//; /kbuild-guest:\|KBUILD-GUEST:/p' "$log" | sed 's/^/  guest| /'
}

# compare NAME BASE REF OURS: the canonical dumps of two BTF files (split on BASE when BASE is
# not empty) must be identical; prints a summary of any difference.
compare() {
	local name=$1 d=$logs/$1.canon.diff b=()
	[ -n "$2" ] && b=(--btf_base "$2")
	rm -f "$d"
	if ! "$btfenc" dump --format=canonical "${b[@]}" "$3" > "$work/$name.ref" ||
		! "$btfenc" dump --format=canonical "${b[@]}" "$4" > "$work/$name.ours"; then
		bad "$name: btfenc dump --format=canonical failed"
		return 1
	fi
	if diff "$work/$name.ref" "$work/$name.ours" > "$d"; then
		ok "$name: btfenc --pahole_compat=1.24 gives pahole 1.24's BTF" \
			"($(wc -l < "$work/$name.ours") canonical lines)"
		return 0
	fi
	bad "$name: btfenc --pahole_compat=1.24 differs from pahole 1.24:" \
		"$(grep -c '^<' "$d") lines only in pahole's," \
		"$(grep -c '^>' "$d") only in btfenc's" \
		"(diff in $d)"
	head -n 20 "$d" | sed 's/^/  /'
	return 1
}

# ========================================================================================
mkdir -p "$kb" "$vk" "$logs" || die "cannot create $vk"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
plog=$logs/pahole-calls.log
touch "$plog"
# The log grows by some 40 lines a run: keep the last 2000.
[ "$(wc -l < "$plog")" -gt 4000 ] && tail -n 2000 "$plog" > "$plog.tmp" && mv "$plog.tmp" "$plog"
# The PAHOLE wrappers run from the cache, executable whatever the checkout's file modes.
bin=$kb/bin
mkdir -p "$bin" && install -m 0755 "$here/pahole-timed.sh" "$here/pahole-corrupt.sh" \
	"$here/btf_corrupt.py" "$bin/" || die "cannot install the PAHOLE wrappers in $bin"
export BTFENC_KB_ENCODER=$btfenc BTFENC_KB_LOG=$plog
export BTFENC_KB_CORRUPT_STRUCT=btfenc_testmod_state  # read by pahole-corrupt.sh only
info "btfenc $btfenc ($("$btfenc" --version 2>&1)), cache $kb"

install_deps && ok "Debian packages: ${deps[*]}" || die "could not install the Debian packages"
t0=$(now)
unpack_source || die "could not unpack /usr/src/linux-source-$ksrc.tar.xz into $src"
patch_source || die "could not apply tests/kbuild/btf-vars/linux-$ksrc.patch to $src"
check_tree
info "kernel source: Debian's linux-source-$ksrc $(cat "$kb/source-$ksrc.stamp")," \
	"tests/kbuild/btf-vars/linux-$ksrc.patch applied; CONFIG_DEBUG_INFO_BTF_VARS=$vars"
t_unpack=$(secs "$t0")
t0=$(now)
cold=warm
[ -f "$obj/vmlinux" ] || cold=cold
configure || { show_tail "$logs/config.log" 20; die "configuration: BTF options lost"; }
ok "configuration: every option of tests/kbuild/kernel.config survived olddefconfig" \
	"with PAHOLE=$btfenc ($(grep '^CONFIG_PAHOLE_VERSION=' "$obj/.config"))"
t_config=$(secs "$t0")
# The check above must be able to fail: a PAHOLE that reports v1.20 (too old for DWARF5 BTF)
# on a scratch copy of the configuration must lose DEBUG_INFO_BTF, and config_lost see it.
mkdir -p "$work/oldpahole" && cp "$obj/.config" "$work/oldpahole/.config" &&
	printf '#!/bin/sh\necho v1.20\n' > "$work/pahole-v1.20" && chmod +x "$work/pahole-v1.20" &&
	make -C "$src" O="$work/oldpahole" "${tc[@]}" PAHOLE="$work/pahole-v1.20" olddefconfig \
		> "$work/oldpahole.log" 2>&1 &&
	config_lost "$work/oldpahole/.config" | grep -qx 'CONFIG_DEBUG_INFO_BTF=y' &&
	ok "configuration check: a PAHOLE reporting v1.20 loses DEBUG_INFO_BTF, and it is caught" ||
	bad "configuration check: did not notice DEBUG_INFO_BTF dropped for a v1.20 PAHOLE"

# A changed btfenc must encode again: drop vmlinux so that link-vmlinux.sh runs (and with
# it the BTF step); the in-tree modules then relink against the new vmlinux.
enc_sum=$(sha256sum < "$btfenc" | cut -c1-16)
if [ -f "$obj/vmlinux" ] && { [ "$(cat "$vk/btfenc.stamp" 2>/dev/null)" != "$enc_sum" ] ||
	[ -n "${BTFENC_KB_RELINK:-}" ]; }; then
	info "btfenc changed since the last link (or BTFENC_KB_RELINK): relinking vmlinux"
	rm -f "$obj/vmlinux"
fi
mark=$(wc -l < "$plog")
t0=$(now)
info "building bzImage and modules ($cold, -j$jobs, log $logs/build.log)"
build_kernel || { show_tail "$logs/build.log"; die "kernel build with btfenc"; }
t_build=$(secs "$t0")
echo "$enc_sum" > "$vk/btfenc.stamp"
timing "unpack: $t_unpack s; configure: $t_config s; build bzImage + modules: $t_build s ($cold)"
ok "kernel build: bzImage and modules with PAHOLE=btfenc ($t_build s, $cold)"

# The BTF step of this link, as logged by pahole-timed.sh (absent when nothing relinked):
# -J on the intermediate link, .tmp_vmlinux.btf in 6.1, .tmp_vmlinux1 in 6.12.
vm_re=' \.tmp_vmlinux[^ /]*$'
vm_call=$(calls_since "$mark" | grep -- "$vm_re" | tail -1)
vm_args=$(grep -- " -J .*$vm_re" "$plog" | tail -1)
vm_file=${vm_args##* }
if [ -n "$vm_call" ]; then
	info "link called: ${vm_call#* rc=* }"
	timing "vmlinux BTF step inside the link (btfenc): ${vm_call%% *} s"
elif [ -n "$vm_args" ]; then
	timing "vmlinux BTF step inside the link (btfenc): no relink this run;" \
		"${vm_args%% *} s in the last one"
fi
case $vm_args in
*" rc=0 $btfenc -J "*" .tmp_vmlinux"*) ok "link-vmlinux.sh ran btfenc -J on $vm_file" ;;
*) bad "no successful 'btfenc -J ... .tmp_vmlinux*' call in $plog" ;;
esac
readelf -S "$obj/vmlinux" | grep -q ' \.BTF ' && raw_btf "$obj/vmlinux" "$work/vmlinux.btf" &&
	ok "vmlinux carries .BTF ($(stat -c %s "$work/vmlinux.btf") bytes)" ||
	die "vmlinux has no .BTF section"
# kind_count FILE KIND [BASE]: how many types of KIND the BTF FILE's own layer holds
# (btfenc stats; a split FILE on BASE).
kind_count() {
	local b=()
	[ -n "${3:-}" ] && b=(--btf_base "$3")
	"$btfenc" stats "${b[@]}" "$1" |
		awk -v k="$2" '/^layer / { n = 0 } /^chain / { exit } $1 == k { n = $2 }
			END { print n + 0 }'
}
# clang's DWARF carries btf_type_tag annotations (__user, __rcu, ...) and 64-bit enums that
# gcc 12's lacks: the clang kernel's BTF must have both, and the boot below must accept them.
if [ "$toolchain" = llvm ]; then
	tags=$(kind_count "$work/vmlinux.btf" TYPE_TAG)
	e64=$(kind_count "$work/vmlinux.btf" ENUM64)
	[ "$tags" -gt 0 ] && [ "$e64" -gt 0 ] &&
		ok "the clang kernel's vmlinux BTF has $tags TYPE_TAGs and $e64 ENUM64s" ||
		bad "the clang kernel's vmlinux BTF lacks TYPE_TAGs ($tags) or ENUM64s ($e64)"
fi

# With decl_tag_kfuncs among the kernel's flags (Linux 6.12 sends it to a pahole >= 1.26),
# every kfunc of the kernel's own .BTF_ids kfunc sets gets its "bpf_kfunc" DECL_TAG.
case " $(echo "$vm_args" | sed 's/^[^ ]* rc=[0-9]* [^ ]* //') " in
*decl_tag_kfuncs*)
	want=$(python3 "$here/kfunc_count.py" "$obj/vmlinux")
	have=$("$btfenc" dump --format=canonical "$work/vmlinux.btf" |
		grep -c '^decl_tag(bpf_kfunc)->func ')
	[ "$want" -gt 0 ] && [ "$have" = "$want" ] &&
		ok "vmlinux: a bpf_kfunc DECL_TAG on each of the $want kfuncs of .BTF_ids" ||
		bad "vmlinux: $have bpf_kfunc DECL_TAGs for $want kfuncs in .BTF_ids" ;;
esac

# ---- external test module (good) and its corrupted twin --------------------------------
sync_module btfenc_testmod
sync_module btfenc_testmod_bad
mark=$(wc -l < "$plog")
t0=$(now)
build_module "$vk/btfenc_testmod" "$bin/pahole-timed.sh" ||
	{ show_tail "$logs/btfenc_testmod.log"; die "external module build"; }
t_mod=$(secs "$t0")
good_ko=$vk/btfenc_testmod/btfenc_testmod.ko
mod_call=$(calls_since "$mark" | grep -- "--btf_base [^ ]*vmlinux .*btfenc_testmod\.ko$" | tail -1)
if [ -n "$mod_call" ] && raw_btf "$good_ko" "$work/mod.btf"; then
	ok "external module: Makefile.modfinal ran btfenc (${mod_call#* rc=* })," \
		".BTF $(stat -c %s "$work/mod.btf") bytes"
	timing "module BTF (btfenc, btfenc_testmod.ko): ${mod_call%% *} s" \
		"(whole M= build $t_mod s)"
else
	bad "external module: no BTF call logged or no .BTF in $good_ko"
fi
# Linux 6.12 asks a pahole >= 1.26 for a distilled base for out-of-tree modules: the kernel
# relocates the module's BTF onto the vmlinux it runs at load.
case $mod_call in
*distilled_base*)
	raw_btf "$good_ko" "$work/mod.base.btf" .BTF.base &&
		ok "external module: carries .BTF.base, its distilled base" \
			"($(stat -c %s "$work/mod.base.btf") bytes)" ||
		bad "external module: distilled_base asked, no .BTF.base in $good_ko" ;;
esac
bad_ko=$vk/btfenc_testmod_bad/btfenc_testmod_bad.ko
build_module "$vk/btfenc_testmod_bad" "$bin/pahole-corrupt.sh" &&
	grep -q '^btf_corrupt: struct' "$logs/btfenc_testmod_bad.log" &&
	raw_btf "$bad_ko" "$work/mod-bad.btf" &&
	ok "corrupted module: $(grep -o 'btf_corrupt: .*' "$logs/btfenc_testmod_bad.log")" ||
	{ show_tail "$logs/btfenc_testmod_bad.log" 20; bad "corrupted module build"; }

# ---- the running (host) kernel's verdict, when it lets us ask --------------------------
# kload_expect WANT LABEL FILE [BASE]: WANT is 0 (accepted) or 1 (refused: by the kernel,
# exit 1, or already by kload's own reader, exit 2, which checks type references first).
kload_expect() {
	local want=$1 label=$2 rc
	shift 2
	if [ -z "$kload" ]; then note "$label: KLOAD not set"; return; fi
	"$kload" "$@" > "$work/kload.out" 2>&1
	rc=$?
	[ "$want" = 1 ] && [ $rc = 2 ] && grep -q 'type ID' "$work/kload.out" && rc=1
	if [ $rc -eq 77 ]; then note "$label: BPF_BTF_LOAD not permitted here"
	elif [ $rc -eq "$want" ] && [ "$want" = 0 ]; then ok "$label"
	elif [ $rc -eq "$want" ]; then ok "$label: $(grep -v '^$' "$work/kload.out" | tail -1)"
	else bad "$label (kload exit $rc)"; sed 's/^/  /' "$work/kload.out" | tail -5
	fi
}
kload_expect 0 "host kernel accepts the vmlinux BTF" "$work/vmlinux.btf"
mod_base "$good_ko" "$work/mod.on.btf"
kload_expect 0 "host kernel accepts the module BTF" "$work/mod.btf" "$work/mod.on.btf"
[ -f "$work/mod-bad.btf" ] && mod_base "$bad_ko" "$work/mod-bad.on.btf" &&
	kload_expect 1 "host: the corrupted module BTF is refused" "$work/mod-bad.btf" \
		"$work/mod-bad.on.btf"

# ---- CONFIG_DEBUG_INFO_BTF_VARS: where the variables are ------------------------------
# has_var FILE BASE NAME: whether FILE's own BTF layer (split on BASE when not empty) has a
# VAR NAME.
has_var() {
	local b=()
	[ -n "$2" ] && b=(--btf_base "$2")
	"$btfenc" dump "${b[@]}" "$1" 2>/dev/null | grep -q "^var $3 "
}
# vars_expect LABEL FILE BASE NAME WANT: WANT 1 (the layer has VAR NAME) or 0.
vars_expect() {
	local have=0
	has_var "$2" "$3" "$4" && have=1
	if [ "$have" = "$5" ]; then
		ok "CONFIG_DEBUG_INFO_BTF_VARS=$vars: $1 $([ "$5" = 1 ] && echo has ||
			echo "has no") VAR $4"
	else
		bad "CONFIG_DEBUG_INFO_BTF_VARS=$vars: $1 $([ "$have" = 1 ] && echo has ||
			echo "has no") VAR $4"
	fi
}
vars_expect "vmlinux's BTF" "$work/vmlinux.btf" "" jiffies_64 "$([ "$vars" = y ] && echo 1 || echo 0)"
vars_expect "btfenc_testmod's BTF" "$work/mod.btf" "$work/mod.on.btf" btfenc_testmod_state \
	"$([ "$vars" = n ] && echo 0 || echo 1)"
vars_expect "btfenc_testmod's BTF" "$work/mod.btf" "$work/mod.on.btf" btfenc_testmod_pcpu 1
extra_ko=$obj/kernel/bpf/vmlinux_btf_extra.ko
o2_ko=
if [ "$vars" = m ]; then
	# The vmlinux link wrote the extra layer, Makefile.modfinal put it in the module.
	if raw_btf "$extra_ko" "$work/extra.btf" && cmp -s "$work/extra.btf" "$obj/.btf.vmlinux.extra"
	then
		ok "vmlinux_btf_extra.ko carries the extra layer the link wrote" \
			"($(stat -c %s "$work/extra.btf") bytes beside vmlinux's $(stat -c %s \
				"$work/vmlinux.btf"); $(kind_count "$work/extra.btf" VAR "$work/vmlinux.btf") VARs)"
		timing "layers (m): vmlinux BTF $(stat -c %s "$work/vmlinux.btf") bytes," \
			"vmlinux_btf_extra $(stat -c %s "$work/extra.btf") bytes"
	else
		bad "no $extra_ko with the link's .btf.vmlinux.extra as its .BTF"
	fi
	vars_expect "vmlinux_btf_extra's BTF" "$work/extra.btf" "$work/vmlinux.btf" jiffies_64 1
	vars_expect "vmlinux_btf_extra's BTF" "$work/extra.btf" "$work/vmlinux.btf" init_task 1
	kload_expect 0 "host kernel accepts vmlinux_btf_extra's BTF" "$work/extra.btf" \
		"$work/vmlinux.btf"
	# The negative control: the extra layer with a VAR's type out of range, in a copy of
	# the module, must be refused by the booted kernel.
	mkdir -p "$vk/extra_bad" && cp "$extra_ko" "$vk/extra_bad/" &&
		cp "$work/extra.btf" "$work/extra-bad.btf" &&
		python3 "$here/btf_corrupt.py" "$work/extra-bad.btf" "$work/vmlinux.btf" \
			var:jiffies_64 2> "$work/corrupt.out" &&
		objcopy --update-section .BTF="$work/extra-bad.btf" \
			"$vk/extra_bad/vmlinux_btf_extra.ko" &&
		ok "corrupted extra layer: $(cat "$work/corrupt.out")" ||
		{ cat "$work/corrupt.out"; bad "could not corrupt a copy of vmlinux_btf_extra.ko"; }
	# Option #2's third level: a module whose BTF holds its types, functions and per-CPU
	# variables, its other variables in a file beside it (split on vmlinux + the module),
	# as a packager would encode it from the built module.
	# (Without the export, which the kernel would refuse as a duplicate of btfenc_testmod's.)
	sync_module btfenc_testmod_o2 '/^EXPORT_SYMBOL_GPL(btfenc_testmod_state);$/d'
	o2_ko=$vk/btfenc_testmod_o2/btfenc_testmod_o2.ko
	o2_extra=$vk/btfenc_testmod_o2/btfenc_testmod_o2.extra.btf
	mod_flags=$(echo "$mod_call" | sed 's/^[^ ]* rc=[0-9]* [^ ]* -J //; s/ --btf_base .*//')
	# shellcheck disable=SC2086 # the kernel's flags, word-split as kbuild does
	if build_module "$vk/btfenc_testmod_o2" "$bin/pahole-timed.sh" &&
		objcopy --remove-section .BTF --remove-section .BTF.base \
			--remove-section .BTF.ancestry "$o2_ko" &&
		"$btfenc" -J $mod_flags --btf_base "$obj/vmlinux" --btf_extra_detached="$o2_extra" \
			"$o2_ko" && raw_btf "$o2_ko" "$work/o2.btf"; then
		mod_base "$o2_ko" "$work/o2.on.btf"
		vars_expect "Option #2: btfenc_testmod_o2's BTF" "$work/o2.btf" "$work/o2.on.btf" \
			btfenc_testmod_state 0
		vars_expect "Option #2: btfenc_testmod_o2's extra layer" "$o2_extra" \
			"$work/o2.on.btf,$work/o2.btf" btfenc_testmod_state 1
	else
		bad "Option #2: could not build and encode btfenc_testmod_o2 (flags: $mod_flags)"
		o2_ko=
	fi
fi

# ---- pahole 1.24 on the same inputs ----------------------------------------------------
# The link's BTF step timed on copies of the intermediate vmlinux without .BTF: btfenc with
# the flags the kernel gave it (6.1: scripts/pahole-flags.sh; 6.12: Makefile.btf), and
# Debian's pahole 1.24 beside btfenc's compatibility behaviour with the flags both kernels
# give a PAHOLE reporting v1.24. Then the oracle of that behaviour: pahole 1.24 without -j
# (its -j is not deterministic), detached, against btfenc --pahole_compat=1.24 on the same
# input, vmlinux and module: ID-independent canonical dumps.
# (CONFIG_DEBUG_INFO_BTF_VARS=m's extra layer, written next to the link, goes to $work here.)
flags=$(echo "$vm_args" | sed 's/^[^ ]* rc=[0-9]* [^ ]* -J //; s/ [^ ]*$//;
	s| --btf_extra_detached=[^ ]*| --btf_extra_detached='"$work"'/step.extra|')
flags124="--btf_gen_floats -j --lang_exclude=rust"
objcopy --remove-section .BTF "$obj/$vm_file" "$work/tmp_vmlinux.nobtf" ||
	die "cannot copy $obj/$vm_file"
# step LABEL FLAGS ENCODER [ENV...]: best wall time of 3 runs (the machine may be shared)
# and peak RSS of ENCODER -J FLAGS on the copy.
step() {
	local label=$1 fl=$2 enc=$3 t best='' rss='?' start
	shift 3
	for _ in 1 2 3; do
		cp "$work/tmp_vmlinux.nobtf" "$work/step"
		start=$(now)
		# shellcheck disable=SC2086 # the kernel's flags, word-split as kbuild does
		env "$@" LLVM_OBJCOPY=objcopy /usr/bin/time -f %M -o "$work/rss" \
			"$enc" -J $fl "$work/step" > "$work/step.out" 2>&1 ||
			{ bad "$label -J $fl failed"; cat "$work/step.out"; return; }
		t=$(( ($(now) - start) / 1000000 ))
		[ -z "$best" ] || [ "$t" -lt "$best" ] && best=$t
		[ -s "$work/rss" ] && rss=$(( $(tail -1 "$work/rss") / 1024 ))
	done
	best=$((best / 1000)).$(printf '%03d' $((best % 1000)))
	timing "$(printf '%-14s' "$label") -J $fl $vm_file (best of 3): $best s, peak RSS $rss MB"
}
step "btfenc" "$flags" "$btfenc"
step "pahole 1.24" "$flags124" "$pahole"
step "btfenc (1.24)" "$flags124" "$btfenc" BTFENC_PAHOLE_COMPAT=1.24
serial124=$(echo " $flags124 " | sed 's/ -j / /; s/^ *//; s/ *$//')
t0=$(now)
# shellcheck disable=SC2086
"$pahole" $serial124 --btf_encode_detached="$work/pahole-vmlinux.btf" \
	"$work/tmp_vmlinux.nobtf" > "$work/pahole.out" 2>&1 || cat "$work/pahole.out"
timing "pahole 1.24 $serial124 (serial, detached): $(secs "$t0") s"
# shellcheck disable=SC2086
BTFENC_PAHOLE_COMPAT=1.24 "$btfenc" -J $flags124 --btf_encode_detached="$work/vmlinux124.btf" \
	"$work/tmp_vmlinux.nobtf" || bad "btfenc --pahole_compat=1.24 on $vm_file failed"
compare vmlinux "" "$work/pahole-vmlinux.btf" "$work/vmlinux124.btf"

objcopy --remove-section .BTF --remove-section .BTF.base "$good_ko" "$work/mod.nobtf"
# shellcheck disable=SC2086
"$pahole" $serial124 --btf_base "$work/vmlinux124.btf" \
	--btf_encode_detached="$work/pahole-mod.btf" "$work/mod.nobtf" > "$work/pahole.out" 2>&1 ||
	cat "$work/pahole.out"
# shellcheck disable=SC2086
BTFENC_PAHOLE_COMPAT=1.24 "$btfenc" -J $flags124 --btf_base "$work/vmlinux124.btf" \
	--btf_encode_detached="$work/mod124.btf" "$work/mod.nobtf" ||
	bad "btfenc --pahole_compat=1.24 on the module failed"
compare btfenc_testmod "$work/vmlinux124.btf" "$work/pahole-mod.btf" "$work/mod124.btf"

# ---- boot ------------------------------------------------------------------------------
mkdir -p "$vk/initramfs"
guest_tools || { show_tail "$logs/guest.log" 20; die "could not build the guest's tools"; }
good_mods=("$good_ko")
if [ "$vars" = m ]; then
	initramfs_extra=("file /lib/extra/vmlinux_btf_extra.ko $extra_ko 0644 0 0")
	[ -n "$o2_ko" ] && good_mods+=("$o2_ko") &&
		initramfs_extra+=("file /lib/btf/btfenc_testmod_o2.extra.btf $o2_extra 0644 0 0")
fi
make_initramfs "$vk/initramfs/good.cpio" accept "${good_mods[@]}" ||
	die "cannot write the initramfs (is $obj/usr/gen_init_cpio there?)"
initramfs_extra=()
boot good "$vk/initramfs/good.cpio"
timing "boot to verdict (TCG): $boot_secs s"
size=$(sed -n 's/\r$//; s/.*kbuild-guest: vmlinux-btf-size \([0-9]*\).*/\1/p' \
	"$logs/boot-good.log")
if [ "$boot_verdict" = PASS ] && [ "$size" = "$(stat -c %s "$work/vmlinux.btf")" ]; then
	ok "boot: the kernel accepted the vmlinux BTF ($size bytes in /sys/kernel/btf/vmlinux)" \
		"and the module's ($boot_secs s)"
else
	bad "boot: guest verdict $boot_verdict, /sys/kernel/btf/vmlinux ${size:-?} bytes," \
		"expected $(stat -c %s "$work/vmlinux.btf") (log $logs/boot-good.log)"
	[ "$boot_verdict" = TIMEOUT ] && show_tail "$logs/boot-good.log" 30
fi

guest_verdicts

bad_mods=("$bad_ko")
[ "$vars" = m ] && bad_mods+=("$vk/extra_bad/vmlinux_btf_extra.ko")
if [ -f "$bad_ko" ] && make_initramfs "$vk/initramfs/bad.cpio" reject "${bad_mods[@]}"; then
	boot bad "$vk/initramfs/bad.cpio"
	timing "boot with the corrupted module to verdict: $boot_secs s"
	if [ "$boot_verdict" = PASS ]; then
		ok "boot: the kernel refused the corrupted module BTF" \
			"($(sed -n 's/\r$//; s/.*dmesg: \(.*failed to validate.*\)/\1/p' \
				"$logs/boot-bad.log" | head -1))"
		[ "$vars" = m ] && grep -q 'failed to validate module \[vmlinux_btf_extra\] BTF' \
			"$logs/boot-bad.log" &&
			ok "boot: the kernel refused the corrupted vmlinux_btf_extra layer" \
				"($(sed -n 's/\r$//; s/.*dmesg: \(failed to validate module .vmlinux_btf_extra.*\)/\1/p' \
					"$logs/boot-bad.log" | head -1))"
	else
		bad "boot: the corrupted module BTF was not refused (verdict $boot_verdict," \
			"log $logs/boot-bad.log)"
		[ "$boot_verdict" = TIMEOUT ] && show_tail "$logs/boot-bad.log" 30
	fi
else
	bad "boot: no corrupted module to offer"
fi

# ---- the first build's module in this second build --------------------------------------
# Same release and vermagic, another vmlinux BTF: the module built (with its distilled base)
# for SOURCE-TOOLCHAIN loads into this SOURCE-TOOLCHAIN-alt kernel only if the kernel
# relocates its BTF onto this vmlinux's (Linux 6.11+, kernel/bpf/btf_relocate.c).
if [ -n "$alt" ]; then
	other=$kb/$ksrc-$toolchain/btfenc_testmod/btfenc_testmod.ko
	if [ -f "$other" ] && readelf -SW "$other" | grep -q ' \.BTF\.base ' &&
		raw_btf "$kb/$ksrc-$toolchain/build/vmlinux" "$work/first-vmlinux.btf"; then
		cmp -s "$work/first-vmlinux.btf" "$work/vmlinux.btf" &&
			bad "the two builds have the same vmlinux BTF: nothing to relocate"
		make_initramfs "$vk/initramfs/carried.cpio" accept "$other" &&
			boot carried "$vk/initramfs/carried.cpio"
		if [ "$boot_verdict" = PASS ]; then
			ok "boot: the module built for the $ksrc-$toolchain kernel loads into this one," \
				"its BTF relocated onto another vmlinux BTF" \
				"($(stat -c %s "$work/first-vmlinux.btf") -> $size bytes)"
		else
			bad "boot: the $ksrc-$toolchain build's module in this kernel: verdict" \
				"$boot_verdict (log $logs/boot-carried.log)"
		fi
	else
		bad "no distilled module of the $ksrc-$toolchain build to carry over (build that" \
			"variant first; distilled_base comes with Linux 6.12 and a pahole >= 1.26)"
	fi
fi
finish
