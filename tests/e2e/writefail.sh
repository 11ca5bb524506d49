#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Write failures: every write path (--btf_encode_detached, -J on an executable and on a
# relocatable object, both with -j2 too, which copies the file beside the encoding, the
# layers --btf_encode_detached + --btf_extra_detached, a batch of -J on a base with -j2,
# whose outputs a thread of their own fsyncs and commits) with the Nth write, pwrite,
# fsync, rename or linkat failing with EIO, for
# every N up to the total (tests/tools/io_fault.c, an LD_PRELOAD library); then, as root
# where a mount namespace can be made, the same paths on a full tmpfs (ENOSPC). Each run either
# ends as without the fault (exit 0, the same bytes) or fails with a message on stderr and
# a non-zero exit, every input byte-identical (a batch's inputs each either untouched or
# fully rewritten), no output file and no temporary file left, with O_TMPFILE and with the
# named temporary file used where it is not supported. The same when the process is
# killed (SIGKILL, SIGABRT) at the Nth call instead, where the filesystem has O_TMPFILE.
# On XFS (a loop device, as root), where the copy -J makes shares the input's blocks, the
# same bytes, and the blocks of what did not change still shared.
# Also: an address space limit (ulimit -v) gives one message.
#
# Needs BTFENC in the environment.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/lib.sh"

gcc -shared -fPIC -O2 -o "$work/io_fault.so" "$top/tests/tools/io_fault.c" -ldl ||
	{ echo "cannot build tests/tools/io_fault.c"; exit 1; }
gcc -g -O0 -o "$work/exe" "$fix/types.c" && gcc -g -O2 -c "$fix/percpu.c" -o "$work/rel.o" &&
	"$btfenc" --btf_encode_detached="$work/base.btf" "$work/exe" || exit 1
mkdir -p "$work/ref" "$work/run"

# The cases: NAME, then the command with @D@ for the directory it runs in.
cases=(
	detached "--btf_encode_detached=@D@/out.btf @D@/exe"
	J-exe "-J @D@/exe"
	J-exe-j2 "-J -j2 @D@/exe"
	J-rel "-J @D@/rel.o"
	J-rel-j2 "-J -j2 @D@/rel.o"
	layers "--btf_encode_detached=@D@/core.btf --btf_extra_detached=@D@/extra.btf @D@/exe"
	batch "-J -j2 --btf_base=@D@/base.btf @D@/rel.o @D@/rel2.o"
)
# fresh DIR: the pristine inputs in DIR and nothing else.
fresh() {
	find "$1" -mindepth 1 -delete 2>/dev/null
	cp "$work/exe" "$work/rel.o" "$work/base.btf" "$1/" && cp "$work/rel.o" "$1/rel2.o"
}
# run DIR ARGS [ENV...]: btfenc on DIR; its stderr in $work/stderr, exit status returned.
run() {
	local d=$1 args=$2
	shift 2
	# (An ASan build wants its runtime first among the libraries: not so with LD_PRELOAD.)
	# shellcheck disable=SC2086 # the case's arguments, split on spaces
	env ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" "$@" \
		"$btfenc" ${args//@D@/$d} > /dev/null 2> "$work/stderr"
}
# judge LABEL RC DIR REFDIR: a failed run (RC != 0) left a message, the inputs, no other
# file; a successful one the reference's files.
judge() {
	local label=$1 rc=$2 d=$3 r=$4 f
	if [ "$rc" -eq 0 ]; then
		diff -r "$r" "$d" > /dev/null && return 0
		bad "$label: exit 0 with other files or bytes"; return 1
	fi
	grep -q '^btfenc: ' "$work/stderr" ||
		{ bad "$label: exit $rc without a message"; return 1; }
	for f in exe rel.o rel2.o base.btf; do
		cmp -s "$d/$f" "$work/pristine/$f" && continue
		# A batch commits each input on its own: rewritten whole, or not at all.
		[ "$f" = rel.o ] || [ "$f" = rel2.o ] && cmp -s "$d/$f" "$r/$f" && continue
		bad "$label: exit $rc and $f changed"; return 1
	done
	f=$(ls -A "$d" | grep -v -x -e exe -e rel.o -e rel2.o -e base.btf | tr '\n' ' ')
	[ -z "$f" ] || { bad "$label: exit $rc and left $f"; return 1; }
}
mkdir -p "$work/pristine" && fresh "$work/pristine"

# Twice: with O_TMPFILE where the filesystem has it, and with the named temporary file
# btfenc falls back to where it has not (IO_FAULT_NO_TMPFILE: O_TMPFILE refused).
for notmp in "" 1; do
	i=0
	while [ $i -lt ${#cases[@]} ]; do
		name=${cases[$i]}${notmp:+, named temporary} args=${cases[$((i + 1))]}
		i=$((i + 2))
		fresh "$work/ref"
		run "$work/ref" "$args" ||
			{ bad "$name: fails without a fault: $(cat "$work/stderr")"; continue; }
		fresh "$work/run"
		run "$work/run" "$args" LD_PRELOAD="$work/io_fault.so" IO_FAULT_AT=0 \
			${notmp:+IO_FAULT_NO_TMPFILE=1}
		total=$(sed -n 's/^io-fault: \([0-9]*\) calls$/\1/p' "$work/stderr")
		[ "${total:-0}" -gt 0 ] || { bad "$name: no write counted"; continue; }
		failed=0 bad_runs=0
		for n in $(seq 1 "$total"); do
			fresh "$work/run"
			run "$work/run" "$args" LD_PRELOAD="$work/io_fault.so" IO_FAULT_AT="$n" \
				${notmp:+IO_FAULT_NO_TMPFILE=1}
			rc=$?
			[ $rc -ne 0 ] && failed=$((failed + 1))
			judge "$name: EIO at call $n" $rc "$work/run" "$work/ref" ||
				bad_runs=$((bad_runs + 1))
		done
		[ $bad_runs -eq 0 ] && ok
		echo "writefail: $name: $total write calls, EIO at each: $failed runs failed cleanly"
	done
done

# Killed in the middle: the same cases with the process ended by SIGKILL (as by the OOM
# killer) or SIGABRT (as libdw's abort on its own allocation failure) at the Nth write
# call, for every N. Nothing can clean up after that: where the filesystem has O_TMPFILE
# the temporary file has no name until the commit, so the directory holds exactly what it
# did, each output absent or complete (the reference's bytes; a batch's or the layers'
# outputs each on its own), every input as it was or, for -J, complete. The one exception
# is the commit over an existing target, two calls (linkat() never replaces a name): a kill
# between its linkat() to ".NAME.btfenc-XXXXXX" and the rename() over NAME leaves that
# file, complete. In a batch a thread of its own commits while the workers write, so the
# kill that finds a commit there can come from any call.
# judge_kill LABEL RC SIG DIR REFDIR [any]: "any": the kill may come from any call
judge_kill() {
	local label=$1 rc=$2 sig=$3 d=$4 r=$5 any=${6:-} f t
	[ "$rc" -eq $((128 + sig)) ] || { bad "$label: exit $rc, not killed"; return 1; }
	for f in $(ls -A "$d"); do
		t=$(echo "$f" | sed -n 's/^\.\(.*\)\.btfenc-[0-9a-zA-Z]\{6\}$/\1/p')
		if [ -n "$t" ] && { [ -n "$any" ] ||
		   grep -q '^io-fault: signal [0-9]* at rename$' "$work/stderr"; } &&
		   cmp -s "$d/$f" "$r/$t"; then
			continue
		fi
		[ -e "$r/$f" ] || { bad "$label: left $f"; return 1; }
		cmp -s "$d/$f" "$r/$f" && continue
		[ -e "$work/pristine/$f" ] && cmp -s "$d/$f" "$work/pristine/$f" && continue
		bad "$label: $f neither as it was nor complete"; return 1
	done
	for f in exe rel.o rel2.o base.btf; do
		[ -e "$d/$f" ] || { bad "$label: $f gone"; return 1; }
	done
}
printf '%s\n' '#define _GNU_SOURCE' '#include <fcntl.h>' \
	'int main(int c, char **v) { return c < 2 || open(v[1], O_TMPFILE | O_RDWR, 0600) < 0; }' \
	>"$work/tmpfile.c"
if ! gcc -o "$work/tmpfile" "$work/tmpfile.c" || ! "$work/tmpfile" "$work"; then
	note "killed: no O_TMPFILE in $work (a kill there leaves the named temporary file)"
else
	i=0
	while [ $i -lt ${#cases[@]} ]; do
		name=${cases[$i]} args=${cases[$((i + 1))]}
		i=$((i + 2))
		fresh "$work/ref"
		run "$work/ref" "$args" || continue
		fresh "$work/run"
		run "$work/run" "$args" LD_PRELOAD="$work/io_fault.so" IO_FAULT_AT=0
		total=$(sed -n 's/^io-fault: \([0-9]*\) calls$/\1/p' "$work/stderr")
		[ "${total:-0}" -gt 0 ] || { bad "$name: killed: no write counted"; continue; }
		bad_runs=0
		for sig in 9 6; do
			for n in $(seq 1 "$total"); do
				fresh "$work/run"
				# (The shell's "Killed" line about the child: not ours to show.)
				(ulimit -c 0; run "$work/run" "$args" LD_PRELOAD="$work/io_fault.so" \
					IO_FAULT_AT="$n" IO_FAULT_SIGNAL=$sig) 2>/dev/null
				rc=$? any=
				[ "$name" = batch ] && any=any
				judge_kill "$name: signal $sig at call $n" $rc $sig "$work/run" "$work/ref" \
					$any || bad_runs=$((bad_runs + 1))
			done
		done
		[ $bad_runs -eq 0 ] && ok
		echo "writefail: $name: killed (SIGKILL, SIGABRT) at each of $total write calls"
	done
fi

# ENOSPC: the same cases on a tmpfs filled up, in a mount namespace of our own; then again
# with copy_file_range() unavailable (copies through a buffer, whose full disk must be
# reported as such too).
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
	mkdir -p "$work/enospc"
	i=0
	while [ $i -lt $((2 * ${#cases[@]})) ]; do
		name=${cases[$((i % ${#cases[@]}))]} args=${cases[$((i % ${#cases[@]} + 1))]}
		nocr=
		[ $i -ge ${#cases[@]} ] && nocr=1 name+=", no copy_file_range"
		i=$((i + 2))
		fresh "$work/ref"
		run "$work/ref" "$args" || continue
		# shellcheck disable=SC2016 # expanded by the inner shell
		unshare -m bash -c '
			mount -t tmpfs -o size=8m tmpfs "$1" && cp -a "$2"/. "$1"/ &&
			{ dd if=/dev/zero of="$1/fill" bs=64k 2>/dev/null; true; } &&
			{ env ${7:+LD_PRELOAD="$7" IO_FAULT_AT=0 IO_FAULT_NO_COPY_RANGE=1} \
				ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
				"$3" ${4//@D@/$1} > /dev/null 2> "$5"; rc=$?; } &&
			rm -f "$1/fill" && cp -a "$1"/. "$6"/ && exit $rc' \
			_ "$work/run" "$work/pristine" "$btfenc" "$args" "$work/stderr" "$work/enospc" \
			"${nocr:+$work/io_fault.so}"
		rc=$?
		rm -rf "$work/enospc.d" && mkdir -p "$work/enospc.d"
		[ -d "$work/enospc" ] && cp -a "$work/enospc"/. "$work/enospc.d"/ 2>/dev/null
		rm -rf "$work/enospc" && mkdir -p "$work/enospc"
		if [ $rc -eq 0 ]; then bad "$name: ENOSPC: exit 0"
		else
			grep -q 'No space left on device' "$work/stderr" &&
				judge "$name: ENOSPC" $rc "$work/enospc.d" "$work/ref" && ok &&
				echo "writefail: $name: ENOSPC: $(grep -m1 '^btfenc: ' "$work/stderr")" ||
				bad "$name: ENOSPC: $(head -2 "$work/stderr")"
		fi
	done
else
	note "ENOSPC: needs root and a mount namespace (unshare -m)"
fi
# A filesystem that shares blocks between files (XFS with reflink): -J copies the input
# into its temporary file with copy_file_range(), which shares the blocks it can there
# rather than copying them. A loop device in a mount namespace of our own; a 1 MB
# executable, so that most of its blocks hold bytes no rewrite changes. Each case gives
# the bytes it gives here, and the executable's output still shares blocks with a clone
# of the input made before the run.
printf '%s\n' 'struct pair { int a; long b; };' 'static char pad[1 << 20] = { 1 };' \
	'struct pair g;' 'int main(void) { return pad[0] + g.a; }' > "$work/big.c"
if [ "$(id -u)" != 0 ] || ! unshare -m true 2>/dev/null; then
	note "reflink: needs root and a mount namespace (unshare -m)"
elif ! command -v mkfs.xfs > /dev/null || ! command -v filefrag > /dev/null; then
	note "reflink: no mkfs.xfs (xfsprogs) or filefrag (e2fsprogs)"
elif ! gcc -g -O0 -o "$work/big" "$work/big.c" || ! truncate -s 300M "$work/xfs.img" ||
     ! mkfs.xfs -q -m reflink=1 "$work/xfs.img"; then
	bad "reflink: cannot make the executable or the filesystem"
else
	mkdir -p "$work/xfs" "$work/xfs.out"
	for args in "-J @D@/big" "-J -j2 @D@/big" "-J @D@/rel.o" "-J -j2 @D@/rel.o"; do
		fresh "$work/ref" && cp "$work/big" "$work/ref/"
		run "$work/ref" "$args" || { bad "reflink: $args: fails on $work"; continue; }
		rm -rf "$work/xfs.out" && mkdir -p "$work/xfs.out" && : > "$work/stderr"
		# shellcheck disable=SC2016 # expanded by the inner shell
		unshare -m bash -c '
			rc=1
			mount -o loop "$1" "$2" 2> "$7" || exit 77
			find "$2" -mindepth 1 -delete && cp -a "$3"/. "$4" "$2"/ &&
			cp --reflink=always "$2/big" "$2/big.orig" &&
			{ "$5" ${6//@D@/$2} > /dev/null 2> "$7"; rc=$?; } &&
			filefrag -v "$2/big" | grep -c shared > "$8/.shared"
			rm -f "$2/big.orig" && cp -a "$2"/. "$8"/ && exit $rc' \
			_ "$work/xfs.img" "$work/xfs" "$work/pristine" "$work/big" "$btfenc" "$args" \
			"$work/stderr" "$work/xfs.out"
		rc=$?
		if [ $rc -eq 77 ]; then
			note "reflink: cannot mount XFS on a loop device: $(head -1 "$work/stderr")"
			break
		elif [ $rc -ne 0 ]; then bad "reflink: $args: exit $rc: $(head -2 "$work/stderr")"
		elif ! diff -r -x .shared "$work/ref" "$work/xfs.out" > /dev/null; then
			bad "reflink: $args: other bytes on XFS"
		elif [[ $args == *big ]] && ! [ "$(cat "$work/xfs.out/.shared")" -gt 0 ]; then
			bad "reflink: $args: no block shared with the input"
		else
			ok
			shared=
			[[ $args == *big ]] && shared=", $(cat "$work/xfs.out/.shared") extent(s) shared"
			echo "writefail: reflink: $args: same bytes$shared"
		fi
	done
fi
# Address space limits (ulimit -v): whatever step runs out first (the input's mapping, a
# thread's stack, an allocation), one message, a non-zero exit, no output. Not in an ASan
# build, whose shadow memory needs more address space than any such limit leaves.
if ldd "$btfenc" 2>/dev/null | grep -q libasan; then
	echo "writefail: ulimit -v: not checked in the ASan build"
else
	for lim in 20000 60000 100000; do
		fresh "$work/run"
		(ulimit -v $lim; "$btfenc" -j2 --btf_encode_detached="$work/run/out.btf" \
			"$work/run/exe" > /dev/null 2> "$work/stderr")
		rc=$?
		[ $rc -eq 0 ] && continue
		[ "$(grep -c '^btfenc: ' "$work/stderr")" -eq 1 ] && [ ! -e "$work/run/out.btf" ] &&
			ok || bad "ulimit -v $lim: exit $rc, $(head -2 "$work/stderr")"
		echo "writefail: ulimit -v $lim: $(grep -m1 '^btfenc: ' "$work/stderr")"
	done
fi
finish writefail
