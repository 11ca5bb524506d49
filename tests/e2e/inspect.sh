#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# End-to-end tests of the inspection commands: btfenc dump (raw, c, layout), diff, stats
# and verify, on BTF that btfenc encodes from C written here and from tests/fixtures,
# on split chains, on the running kernel's /sys/kernel/btf/vmlinux and, when it is
# cached, on Debian's 6.1 vmlinux. Oracles: bpftool (raw dump), pahole (layout), clang
# (the C header compiles), the running kernel through KLOAD (verify's verdict).
#
# Needs BTFENC (path to the binary) and KLOAD (tests/tools/kload) in the environment.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/lib.sh"
. "$top/tests/kernel/kver.sh"
debian=$kdbg_vmlinux
fetch_it="(make check-kernel fetches it)"
sysbtf=/sys/kernel/btf/vmlinux
has()  { command -v "$1" >/dev/null; }
# status CMD...: runs CMD quietly and prints its exit status.
status() { "$@" >/dev/null 2>&1; echo $?; }

# --- fixtures ---------------------------------------------------------------------------
gcc -g -O0 -o "$work/types" "$fix/types.c" || { echo "cannot build fixtures"; exit 1; }
"$btfenc" --btf_encode_detached="$work/types.btf" "$work/types" || exit 1
cat > "$work/v1.c" <<'EOF'
struct point { int x; int y; };
struct shape { struct point origin; char kind; long area; };
enum colour { RED, GREEN };
int draw(struct shape *s, int flags) { return s->kind + flags; }
int old_api(void) { return 0; }
int counter;
int main(void) { struct shape s = { 0 }; enum colour c = RED; return draw(&s, c) + old_api(); }
EOF
cat > "$work/v2.c" <<'EOF'
struct point { int x; int y; };
struct shape { struct point origin; long area; char kind; short depth; };
enum colour { RED, GREEN, BLUE = 7 };
int draw(struct shape *s, long flags) { return s->kind + flags; }
int new_api(void) { return 0; }
long counter;
int main(void) { struct shape s = { 0 }; enum colour c = BLUE; return draw(&s, c) + new_api(); }
EOF
for v in v1 v2; do
	gcc -g -O0 -o "$work/$v" "$work/$v.c" &&
		"$btfenc" --btf_encode_detached="$work/$v.btf" "$work/$v" || exit 1
done
# A split layer on types.btf, and a third layer on both.
gcc -g -O2 -c "$fix/percpu.c" -o "$work/percpu.o" &&
	"$btfenc" --btf_base="$work/types.btf" --btf_encode_detached="$work/mod.btf" \
		"$work/percpu.o" || exit 1
gcc -g -O0 -c "$work/v1.c" -o "$work/v1.o" &&
	"$btfenc" --btf_base="$work/types.btf,$work/mod.btf" \
		--btf_encode_detached="$work/mod2.btf" "$work/v1.o" || exit 1

# --- dump --format=raw: bpftool's format ----------------------------------------------
if has bpftool; then
	for f in "$work/types.btf" "$work/v2.btf" "$sysbtf"; do
		[ -r "$f" ] || continue
		# bpftool 7.1 does not show kind_flag on tags (a kernel's may have some).
		cmp -s <("$btfenc" dump --format=raw "$f" | sed 's/ kflag=1$//') \
		       <(bpftool btf dump file "$f") && ok ||
			bad "raw dump of $f differs from bpftool's"
		# bpftool -j sign-extends unsigned ENUM values; everything else is the same.
		no_enum='.types[]|select(.kind!="ENUM")|del(.kflag)'
		has jq || { note "jq missing: raw JSON of $f not compared"; continue; }
		cmp -s <("$btfenc" dump --format=raw --json "$f" | jq -c "$no_enum") \
		       <(bpftool -j btf dump file "$f" | jq -c "$no_enum") && ok ||
			bad "raw JSON of $f differs from bpftool -j"
	done
	cmp -s <("$btfenc" dump --format=raw --btf_base="$work/types.btf" "$work/mod.btf") \
	       <(bpftool btf dump file "$work/mod.btf" -B "$work/types.btf") && ok ||
		bad "raw dump of a split layer differs from bpftool -B"
else
	note "bpftool missing: raw dump not compared"
fi
last=$("$btfenc" dump --format=raw --btf_base="$work/types.btf" "$work/mod.btf" |
	grep '^\[' | tail -1 | sed 's/^\[\([0-9]*\)\].*/\1/')
"$btfenc" dump --format=raw --btf_base="$work/types.btf,$work/mod.btf" "$work/mod2.btf" |
	head -1 | grep -q "^\[$((last + 1))\] " && ok ||
	bad "raw dump of a third layer does not start at its first ID"

# --- dump --format=canonical is still the default and unchanged -----------------------
cmp -s <("$btfenc" dump "$work/types.btf") <("$btfenc" dump --format=canonical "$work/types.btf") &&
	ok || bad "dump's default is not canonical"
grep -q '^struct point size=8 kflag=0 {x:int int@0, y:int int@32}$' \
	<("$btfenc" dump --format=canonical "$work/v1.btf") && ok || bad "canonical line format"

# --- dump --format=c: compiles ----------------------------------------------------------
"$btfenc" dump --format=c "$work/types.btf" > "$work/types.h" &&
	grep -q '^#ifndef __VMLINUX_H__$' "$work/types.h" &&
	grep -q 'preserve_access_index' "$work/types.h" && ok || bad "C header frame"
"$btfenc" dump --format=c --guard=TYPES_H "$work/types.btf" | head -2 |
	cmp -s - <(printf '#ifndef TYPES_H\n#define TYPES_H\n') && ok || bad "--guard=NAME"
[ "$(status "$btfenc" dump --format=c --guard=1x "$work/types.btf")" = 2 ] &&
	[ "$(status "$btfenc" dump --guard=X_H "$work/types.btf")" = 2 ] && ok ||
	bad "--guard: not an identifier, or without --format=c: usage error"
# A drop-in for bpftool's vmlinux.h: the same frame (bpf_tracing.h keys on __VMLINUX_H__ to
# use the kernel's struct pt_regs names), so that a kprobe's PT_REGS_PARM1() compiles.
mkdir -p "$work/core"
cat > "$work/ptregs.c" <<'EOF'
typedef unsigned char __u8; typedef unsigned short __u16; typedef unsigned int __u32;
typedef unsigned long long __u64; typedef signed char __s8; typedef short __s16;
typedef int __s32; typedef long long __s64; typedef __u16 __be16; typedef __u32 __be32;
typedef __u32 __wsum;
struct pt_regs {
	unsigned long r15, r14, r13, r12, bp, bx, r11, r10, r9, r8;
	unsigned long ax, cx, dx, si, di, orig_ax, ip, cs, flags, sp, ss;
};
struct pt_regs regs; __u8 u8; __u16 u16; __u32 u32; __u64 u64; __s8 s8; __s16 s16;
__s32 s32; __s64 s64; __be16 be16; __be32 be32; __wsum wsum;
EOF
gcc -g -c "$work/ptregs.c" -o "$work/ptregs.o" &&
	"$btfenc" --btf_encode_detached="$work/ptregs.btf" "$work/ptregs.o" &&
	"$btfenc" dump --format=c "$work/ptregs.btf" > "$work/core/vmlinux.h" || exit 1
if has bpftool; then
	bpftool btf dump file "$work/ptregs.btf" format c > "$work/ptregs-bpftool.h" &&
		cmp -s <(head -6 "$work/core/vmlinux.h") <(head -6 "$work/ptregs-bpftool.h") &&
		cmp -s <(tail -5 "$work/core/vmlinux.h") <(tail -5 "$work/ptregs-bpftool.h") &&
		ok || bad "C header's first and last lines differ from bpftool's"
else
	note "bpftool missing: C header's frame not compared"
fi
if has clang && [ -r /usr/include/bpf/bpf_tracing.h ]; then
	cat > "$work/core/kprobe.c" <<'EOF'
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

SEC("kprobe/do_unlinkat")
int probe(struct pt_regs *ctx)
{
	return PT_REGS_PARM1(ctx) != 0;
}

char LICENSE[] SEC("license") = "GPL";
EOF
	clang -O2 -g -target bpf -D__TARGET_ARCH_x86 -c "$work/core/kprobe.c" \
		-o "$work/core/kprobe.o" && ok ||
		bad "a kprobe using PT_REGS_PARM1() does not compile against the C header"
else
	note "clang or libbpf-dev missing: CO-RE program not compiled"
fi
if has clang; then
	clang -target bpf -fsyntax-only -Wstrict-prototypes -Werror "$work/types.h" && ok ||
		bad "C header of types.btf does not compile"
	"$btfenc" dump --format=c --btf_base="$work/types.btf" "$work/mod.btf" > "$work/mod.h" &&
		clang -target bpf -fsyntax-only "$work/mod.h" && grep -q 'struct pcpu_stats {' \
		"$work/mod.h" && ok || bad "C header of a split layer does not compile on its own"
	"$btfenc" dump --format=c "$sysbtf" > "$work/vmlinux.h" &&
		clang -target bpf -fsyntax-only "$work/vmlinux.h" && ok ||
		bad "C header of the running kernel does not compile"
	if [ -r "$debian" ]; then
		"$btfenc" dump --format=c "$debian" > "$work/deb.h" &&
			clang -target bpf -fsyntax-only -Wstrict-prototypes "$work/deb.h" && ok ||
			bad "C header of Debian's 6.1 vmlinux does not compile"
	else
		note "Debian 6.1 vmlinux not cached: $debian $fetch_it"
	fi
else
	note "clang missing: C headers not compiled"
fi

# --- dump --format=layout: pahole's view ----------------------------------------------
if has pahole; then
	for s in list_node bits anon arrays flex local; do
		cmp -s <("$btfenc" dump --format=layout -C "$s" "$work/types.btf") \
		       <(pahole -F btf -C "$s" "$work/types.btf") && ok ||
			bad "layout of struct $s differs from pahole's"
	done
else
	note "pahole missing: layouts not compared"
fi
"$btfenc" dump --format=layout -C shape,point "$work/v2.btf" > "$work/layout.txt" &&
	[ "$(grep -c '^struct ' "$work/layout.txt")" = 2 ] &&
	grep -q 'XXX 1 byte hole, try to pack' "$work/layout.txt" && ok ||
	bad "layout -C with two names"
[ "$(status "$btfenc" dump --format=layout -C no_such "$work/v2.btf")" = 1 ] &&
	"$btfenc" dump --format=layout -C no_such "$work/v2.btf" 2>&1 |
	grep -q "no struct or union" && ok || bad "layout -C of an unknown name: exit 1, a message"
if has jq; then
	"$btfenc" dump --format=layout --json -C shape "$work/v2.btf" |
		jq -e '.types[0].members[2] ==
		       {"name":"kind","type":"char","offset":16,"size":1,"hole_after":1}' \
		>/dev/null && ok || bad "layout JSON"
else
	note "jq missing: layout JSON not checked"
fi
[ "$(status "$btfenc" dump --format=c --json "$work/v2.btf")" = 2 ] && ok ||
	bad "--json with --format=c is a usage error"

# --- stats ----------------------------------------------------------------------------
size=$(stat -c %s "$work/types.btf")
n=$("$btfenc" dump --format=raw "$work/types.btf" | grep -c '^\[')
if has jq; then
	"$btfenc" stats --json "$work/types.btf" |
		jq -e ".total.bytes == $size and .total.types == $n and
		       ([.total.kinds[].count] | add) == $n" >/dev/null && ok ||
		bad "stats: bytes and counts do not add up to the file"
else
	grep -q "bytes: $size = " <("$btfenc" stats "$work/types.btf") && ok ||
		bad "stats: bytes do not add up to the file"
fi
"$btfenc" stats --btf_base="$work/types.btf" "$work/mod.btf" > "$work/stats.txt" &&
	grep -q '^layer 1: ' "$work/stats.txt" && grep -q '^chain of 2 layers:' "$work/stats.txt" &&
	ok || bad "stats of a chain: per layer and total"

# --- diff -----------------------------------------------------------------------------
[ "$(status "$btfenc" diff "$work/types.btf" "$work/types.btf")" = 0 ] && ok ||
	bad "diff of a file with itself: exit 0"
gcc -g -O2 -o "$work/types-O2" "$fix/types.c" &&
	"$btfenc" --btf_encode_detached="$work/types-O2.btf" "$work/types-O2" &&
	"$btfenc" diff "$work/types.btf" "$work/types-O2.btf" > "$work/o2.diff"; rc=$?
[ $rc -le 1 ] && tail -1 "$work/o2.diff" | grep -q '^summary: types +0 -0 ~0' && ok ||
	bad "-O0 and -O2 builds differ in types: $(tail -1 "$work/o2.diff")"
"$btfenc" diff "$work/v1.btf" "$work/v2.btf" > "$work/v.diff"; rc=$?
[ $rc = 1 ] && ok || bad "diff of different files: exit $rc, not 1"
for want in '~ struct shape' '	member kind: offset 8 -> 16' \
	    '	member area: offset 16 -> 8' \
	    '	+ member depth: short int, offset 18, size 2' '	+ enumerator BLUE: 7' \
	    '	prototype: int draw(struct shape *s, int flags) -> '\
'int draw(struct shape *s, long int flags)' \
	    '- func old_api' '+ func new_api' '+ int short int' \
	    'summary: types +1 -0 ~2, functions +1 -1 ~1, variables +0 -0 ~0'; do
	grep -qxF -- "$want" "$work/v.diff" && ok || bad "diff v1 v2 lacks '$want'"
done
# A member renamed inside anonymous unions and structs, nested: named by its path.
for v in 1 2; do
	[ $v = 1 ] && inner='int whole; struct { short lo; union { char x; int deep; }; };' ||
		inner='long whole_renamed; struct { short lo; union { char x; long deeper; }; };'
	printf 'struct anon { int head; union { %s }; int tail; };\nstruct anon var;\n' \
		"$inner" > "$work/anon$v.c"
	gcc -g -c "$work/anon$v.c" -o "$work/anon$v.o" &&
		"$btfenc" --btf_encode_detached="$work/anon$v.btf" "$work/anon$v.o" || exit 1
done
"$btfenc" diff "$work/anon1.btf" "$work/anon2.btf" > "$work/anon.diff"
for want in '	- member (anonymous #1).whole: int, offset 0, size 4' \
	    '	+ member (anonymous #1).whole_renamed: long int, offset 0, size 8' \
	    '	- member (anonymous #1).(anonymous #1).(anonymous #1).deep: int, offset 0, size 4' \
	    '	+ member (anonymous #1).(anonymous #1).(anonymous #1).deeper: long int, offset 0,'\
' size 8'; do
	grep -qxF -- "$want" "$work/anon.diff" && ok || bad "diff of anonymous members lacks '$want'"
done
! grep -q 'changed inside' "$work/anon.diff" && ok ||
	bad "diff of anonymous members stops at one: $(grep 'changed inside' "$work/anon.diff")"
# Anonymous enums as member types, also inside an anonymous union: the enumerator named.
for v in 1 2; do
	[ $v = 1 ] && e1='RED, GREEN' e2='UP = 1, DOWN' || e1='RED, GREEN, BLUE' e2='UP = 2, DOWN'
	printf 'struct en { int x; enum { %s } state; union { enum { %s } dir; long raw; }; };
%s
' \
		"$e1" "$e2" 'struct en en_var;' > "$work/en$v.c"
	gcc -g -c "$work/en$v.c" -o "$work/en$v.o" &&
		"$btfenc" --btf_encode_detached="$work/en$v.btf" "$work/en$v.o" || exit 1
done
"$btfenc" diff "$work/en1.btf" "$work/en2.btf" > "$work/en.diff"
for want in '	+ member state, enumerator BLUE: 2' \
	    '	member (anonymous #1).dir, enumerator UP: value 1 -> 2' \
	    '	member (anonymous #1).dir, enumerator DOWN: value 2 -> 3'; do
	grep -qxF -- "$want" "$work/en.diff" && ok || bad "diff of anonymous enums lacks '$want'"
done
! grep -q 'changed inside' "$work/en.diff" && ok ||
	bad "diff of anonymous enums stops at the member: $(grep 'changed inside' "$work/en.diff")"
if has jq; then
	"$btfenc" diff --json "$work/anon1.btf" "$work/anon2.btf" |
		jq -e '[.entries[] | select(.name == "anon") | .details[] |
			select(.subject == "member (anonymous #1).whole_renamed")] |
		       . == [{"subject":"member (anonymous #1).whole_renamed","field":null,
			      "old":null,"new":"long int, offset 0, size 8"}]' \
		>/dev/null && ok || bad "diff --json of anonymous members"
	"$btfenc" diff --json --summary "$work/v1.btf" "$work/v2.btf" |
		jq -e '.summary.kinds.struct == {"added":0,"removed":0,"changed":1} and
		       .summary.prototypes.top[0].name == "draw" and
		       .summary.layouts.top == [{"kind":"struct","name":"shape","old_size":24,
			"new_size":24,"members_added":1,"members_removed":0,"members_moved":2,
			"members_resized":0}] and (has("entries") | not)' \
		>/dev/null && ok || bad "diff --json --summary"
	"$btfenc" diff --json "$work/v1.btf" "$work/v2.btf" |
		jq -e '.same == false and .summary.functions.removed == 1 and
		       (.entries[] | select(.name == "shape") | .details | length) >= 3' \
		>/dev/null && ok || bad "diff --json"
else
	note "jq missing: diff --json not checked"
fi
[ "$(status "$btfenc" diff --btf_base="$work/types.btf" "$work/mod.btf" "$work/mod.btf")" = 0 ] &&
	ok || bad "diff of a split layer with itself on one --btf_base"
"$btfenc" diff --base-a="$work/types.btf" --base-b="$work/types.btf,$work/mod.btf" \
	"$work/mod.btf" "$work/mod2.btf" > "$work/layers.diff"; rc=$?
[ $rc = 1 ] && grep -q '^+ struct shape$' "$work/layers.diff" &&
	! grep -q 'struct list_node' "$work/layers.diff" && ok ||
	bad "diff of two split layers with their own bases"
# The summary comes first: counts by kind, changed prototypes and layouts, then the details.
sed -n '3p;/^changed prototypes: /p;/^changed layouts: /p;/^details:$/=' "$work/v.diff" |
	cmp -s - <(printf '%s\n' 'summary: types +1 -0 ~2, functions +1 -1 ~1, variables +0 -0 ~0' \
		   'changed prototypes: 1' 'changed layouts: 1' 17) && ok ||
	bad "diff v1 v2: the summary is not first: $(head -20 "$work/v.diff")"
grep -qxF '  struct shape: size 24, members +1 -0, 2 moved, 0 resized' "$work/v.diff" &&
	grep -qxF '  struct           0       0       1' "$work/v.diff" && ok ||
	bad "diff v1 v2: the summary lacks struct shape's layout or the count by kind"
"$btfenc" diff --summary --top=0 "$work/v1.btf" "$work/v2.btf" > "$work/vs.diff"; rc=$?
[ $rc = 1 ] && ! grep -q '^[-+~] ' "$work/vs.diff" &&
	grep -qxF '  ... and 1 more' "$work/vs.diff" && ok || bad "diff --summary --top=0: exit $rc"
[ "$(status "$btfenc" diff --top=-1 "$work/v1.btf" "$work/v2.btf")" = 2 ] && ok ||
	bad "diff --top=-1: not a usage error"
"$btfenc" diff "$work/v1.btf" "$work/v2.btf" > /dev/full 2>/dev/null; rc=$?
[ $rc = 2 ] && ok || bad "diff whose output cannot be written: exit $rc, not 2"
# A module built against each of two kernels, each split on its own: only the module's
# own types are compared, the kernels' types only as far as the module uses them.
for v in 1 2; do
	[ $v = 1 ] && dev='int id;' || dev='long id; int flags;'
	printf 'struct dev { %s };\nstruct dev devices[4];\nint main(void) { return 0; }\n' \
		"$dev" > "$work/kern$v.c"
	printf 'struct dev { %s };\nstruct kmod_state { struct dev d; int users; } st;\n' \
		"$dev" > "$work/kmod$v.c"
	gcc -g -o "$work/kern$v" "$work/kern$v.c" && gcc -g -c "$work/kmod$v.c" -o "$work/kmod$v.o" &&
		"$btfenc" --btf_encode_detached="$work/kern$v.btf" "$work/kern$v" &&
		"$btfenc" --btf_base="$work/kern$v.btf" --btf_encode_detached="$work/kmod$v.btf" \
			"$work/kmod$v.o" || bad "encode kmod$v"
done
"$btfenc" diff --base-a="$work/kern1.btf" --base-b="$work/kern2.btf" "$work/kmod1.btf" \
	"$work/kmod2.btf" > "$work/kmod.diff"; rc=$?
[ $rc = 1 ] && grep -qxF '~ struct kmod_state' "$work/kmod.diff" &&
	grep -qxF '	member users: offset 4 -> 16' "$work/kmod.diff" &&
	! grep -q 'struct dev$' "$work/kmod.diff" && ok ||
	bad "diff of one module on two kernels: exit $rc: $(cat "$work/kmod.diff")"
[ "$(status "$btfenc" diff --base-a="$work/kern1.btf" --base-b="$work/kern1.btf" \
	"$work/kmod1.btf" "$work/kmod2.btf")" = 2 ] && ok ||
	bad "a module on the wrong kernel's base: not exit 2"
[ "$(status "$btfenc" diff "$work/v1.btf")" = 2 ] && ok || bad "diff with one file: exit 2"
[ "$(status "$btfenc" diff "$work/v1.btf" "$work/missing")" = 2 ] && ok ||
	bad "diff of a missing file: exit 2"
if [ -r "$debian" ] && [ -r "$sysbtf" ]; then
	"$btfenc" diff "$sysbtf" "$debian" > "$work/kernels.diff"; rc=$?
	[ $rc = 1 ] && grep -q '^~ struct task_struct$' "$work/kernels.diff" && ok ||
		bad "diff of the running kernel and Debian 6.1: exit $rc"
	echo "running kernel vs Debian 6.1: $(tail -1 "$work/kernels.diff")"
	# The summary of two real kernels: its counts add up, and CI can read them.
	if has jq; then
		"$btfenc" diff --json --summary "$sysbtf" "$debian" |
			jq -e '.summary as $s | ([$s.kinds | to_entries[] | .value.changed] | add) ==
			       $s.types.changed + $s.functions.changed + $s.variables.changed and
			       $s.layouts.changed > 0 and ($s.layouts.top | length) == 5 and
			       $s.prototypes.changed > 0' >/dev/null && ok ||
			bad "diff --json --summary of two kernels"
	fi
	[ "$(sed -n '/^details:$/=' "$work/kernels.diff")" -le 40 ] && ok ||
		bad "the summary of two kernels does not fit a screen"
else
	missing=
	[ -r "$sysbtf" ] || missing="$sysbtf unreadable (a kernel without CONFIG_DEBUG_INFO_BTF)"
	[ -r "$debian" ] || missing="${missing:+$missing; }Debian 6.1 vmlinux not cached $fetch_it"
	note "running kernel vs Debian 6.1: $missing"
fi

# --- diff --dwarf: the encoder against the DWARF it reads (dwarves' btfdiff) -----------
# One type per class of loss, and types that lose nothing.
cat > "$work/losses.c" <<'EOF'
struct plain { char c; int x; long l; };
struct al { char c; int x __attribute__((aligned(16))); };
struct __attribute__((aligned(64))) cl { int a; };
struct __attribute__((packed)) pk { char c; int x; short s; };
struct bf { unsigned int a:3, b:7; unsigned char c; unsigned long long d:40; };
struct flex { int n; int data[]; };
struct nest { int h; union { int a; struct { short lo, hi; }; }; };
union un { int i; char c[5]; };
struct __attribute__((packed)) pb { char c[3]; unsigned int x:12; };
struct hp { int a; int :32; };
struct plain p; struct al a; struct cl c; struct pk k; struct bf b; struct flex f;
struct nest n; union un u; struct pb pb; struct hp hp;
int main(void) { return 0; }
EOF
for dw in 4 5; do
	gcc -gdwarf-$dw -O0 -o "$work/losses$dw" "$work/losses.c" || exit 1
	"$btfenc" diff --dwarf="$work/losses$dw" > "$work/losses$dw.txt"; rc=$?
	[ $rc = 0 ] && ! grep -q '^!' "$work/losses$dw.txt" && ok ||
		bad "diff --dwarf (DWARF $dw): exit $rc, or a bug: $(grep -A3 '^!' "$work/losses$dw.txt")"
	for want in '~ struct al' '	loss: member alignment: member x: alignment 16 (DW_AT_alignment)' \
		    '~ struct cl' '	loss: alignment: 64 (DW_AT_alignment)' \
		    '	loss: packed: member x: at offset 1, below its alignment 4' \
		    '	loss: packed: size 7, not a multiple of its alignment 4' \
		    '	loss: flexible array: member data: T x[], which BTF writes as T x[0]' \
		    '	loss: bitfield storage: member x: bits 24 to 35 cross the 4-byte unit at byte 0'\
' that its type implies' \
		    '	loss: hole: 4 bytes of padding at the end that its alignment 4 does not explain' \
		    'summary: 10 layouts compared, 0 with bugs, 10 losses (alignment 2, member alignment 1,'\
' packed 4, hole 1, bitfield storage 1, flexible array 1)'; do
		grep -qxF -- "$want" "$work/losses$dw.txt" && ok ||
			bad "diff --dwarf (DWARF $dw) lacks '$want'"
	done
	! grep -qE '^~ (struct (plain|bf|nest)|union un)$' "$work/losses$dw.txt" && ok ||
		bad "diff --dwarf (DWARF $dw): a loss where BTF keeps everything"
done
# The encoding compared with a BTF that disagrees: struct plain's x moved by a byte, and a
# file whose types are not these at all. Exit 1, the member named.
"$btfenc" --btf_encode_detached="$work/losses.btf" "$work/losses5" || exit 1
[ "$(status "$btfenc" diff --dwarf="$work/losses5" "$work/losses.btf")" = 0 ] && ok ||
	bad "diff --dwarf against btfenc's own encoding, written: not exit 0"
python3 - "$work/losses.btf" "$work/moved.btf" <<'PY'
import struct, sys
b = bytearray(open(sys.argv[1], "rb").read())
hl, to, tl, so = struct.unpack_from("<IIII", b, 4)
strs = b[hl + so:]
pos = hl + to
name_off, info, size = struct.unpack_from("<III", b, pos)
assert strs[name_off:name_off + 6] == b"plain\0" and info >> 24 & 0x1f == 4
struct.pack_into("<I", b, pos + 12 + 12 + 8, 40)	# member 2 (x): bit 32 -> 40
open(sys.argv[2], "wb").write(b)
PY
"$btfenc" diff --dwarf="$work/losses5" "$work/moved.btf" > "$work/moved.txt"; rc=$?
[ $rc = 1 ] && grep -qxF '! struct plain' "$work/moved.txt" &&
	grep -qxF '	bug: member x: offset 32 -> 40' "$work/moved.txt" &&
	[ "$(grep -c '^!' "$work/moved.txt")" = 1 ] && ok ||
	bad "diff --dwarf against a moved member: exit $rc: $(head -5 "$work/moved.txt")"
"$btfenc" diff --dwarf="$work/losses5" "$work/v1.btf" > "$work/other.txt"; rc=$?
[ $rc = 1 ] && grep -qxF '	bug: not encoded (defined) -> (none)' "$work/other.txt" && ok ||
	bad "diff --dwarf against another file's BTF: exit $rc"
if has jq; then
	"$btfenc" diff --json --dwarf="$work/losses5" "$work/moved.btf" |
		jq -e '.bugs == 1 and .losses.packed == 4 and
		       (.entries[] | select(.name == "plain") | .bugs) ==
		       [{"member":"x","field":"offset","dwarf":"32","btf":"40"}]' >/dev/null &&
		ok || bad "diff --json --dwarf"
fi
[ "$(status "$btfenc" diff --dwarf="$work/v1.c")" = 2 ] && ok ||
	bad "diff --dwarf of no ELF: exit 2"
[ "$(status "$btfenc" diff --dwarf="$work/losses5" "$work/v1.btf" "$work/v2.btf")" = 2 ] && ok ||
	bad "diff --dwarf with two files: exit 2"
# A module encoded on its base, and the kernel's own encoding, against their DWARF.
if [ -r "$debian" ]; then
	kmods=${debian%/boot/*}/lib/modules/${debian##*/vmlinux-}/kernel
	"$btfenc" diff --dwarf="$debian" "$debian" > "$work/deb-self.txt"; rc=$?
	[ $rc = 0 ] && ok || bad "Debian's 6.1 .BTF against its DWARF: exit $rc:"\
" $(grep -A3 '^!' "$work/deb-self.txt" | head -8)"
	"$btfenc" diff --dwarf="$kmods/net/vmw_vsock/vsock.ko" --btf_base="$debian" \
		> "$work/vsock-self.txt"; rc=$?
	[ $rc = 0 ] && grep -q '^summary: [1-9][0-9]* layouts compared, 0 with bugs' \
		"$work/vsock-self.txt" && ok || bad "vsock.ko encoded on its base: exit $rc"
	echo "Debian 6.1 DWARF vs its .BTF: $(sed -n 3p "$work/deb-self.txt")"
else
	note "Debian 6.1 vmlinux and vsock.ko against their DWARF: not cached $fetch_it"
fi

# --- Linux 7.x formats, as pahole master with libbpf f7081a6b writes them -------------
# (tests/data/pahole-master/README): a 32-byte header, a layout section.
pm=$top/tests/data/pahole-master
cmp -s <("$btfenc" dump "$pm/types.layout.btf") <("$btfenc" dump "$pm/types.btf") &&
	[ -n "$("$btfenc" dump "$pm/types.btf")" ] && ok ||
	bad "a layout section changes the types read"
# Checked by the format's rules, whatever the running kernel reads (said in a note).
out=$("$btfenc" verify --kernel "$pm/types.layout.btf" 2>&1); rc=$?
want=': uses a layout section (Linux 7.1 and later): checked by its published rules; '
[ $rc = 0 ] && grep -q "${want}this kernel (" <<<"$out" && ok ||
	bad "verify of a layout section: exit $rc: $out"
[ "$(status "$btfenc" diff "$pm/types.btf" "$pm/types.layout.btf")" = 0 ] && ok ||
	bad "diff of the same types with and without a layout section"
grep -q "bytes: $(stat -c %s "$pm/types.layout.btf") = header 32 + .* + layout 80 " \
	<("$btfenc" stats "$pm/types.layout.btf") && ok ||
	bad "stats of a layout section: bytes do not add up to the file"
if has bpftool; then
	# libbpf 1.1.2 reads a native 32-byte header and steps over the layout section.
	cmp -s <("$btfenc" dump --format=raw "$pm/types.layout.btf") \
	       <(bpftool btf dump file "$pm/types.layout.btf") && ok ||
		bad "raw dump of a layout section differs from bpftool's"
fi
# The encoder's --btf_base reads it too: a split layer on it has the same bytes as on the
# same types without a layout section.
gcc -g -O2 -c "$fix/module.c" -o "$work/fixmod.o" &&
	"$btfenc" --btf_base="$pm/types.layout.btf" --btf_encode_detached="$work/on-layout.btf" \
		"$work/fixmod.o" &&
	"$btfenc" --btf_base="$pm/types.btf" --btf_encode_detached="$work/on-plain.btf" \
		"$work/fixmod.o" && cmp -s "$work/on-layout.btf" "$work/on-plain.btf" && ok ||
	bad "a split layer encoded on a base with a layout section differs"
# A record of kind 25, which btfenc does not know, appended to that file (named "newkind",
# kind_flag 1, 4 bytes and 2 elements of 8 after struct btf_type), with a layout entry for
# it; and the same without a layout section (a 24-byte header), where nothing says how long
# the record is.
add_kind25() {	# IN OUT LAYOUT(0|1)
	python3 - "$@" <<'PY'
import struct, sys
src, dst, with_layout = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
b = open(src, "rb").read()
magic, ver, flags, hl, to, tl, so, sl, lo, ll = struct.unpack("<HBBIIIIIII", b[:32])
types, strs = b[hl + to:hl + to + tl], b[hl + so:hl + so + sl]
layout = bytearray(b[hl + lo:hl + lo + ll]) + bytes(4 * (26 - ll // 4))
layout[25 * 4:25 * 4 + 2] = bytes([4, 8])
types += struct.pack("<III", len(strs), 1 << 31 | 25 << 24 | 2, 7) + bytes(20)
strs += b"newkind\0"
if not with_layout:
	layout = b""
hl = 32 if with_layout else 24
hdr = struct.pack("<HBBIIIII", magic, ver, flags, hl, 0, len(types), len(types) + len(layout),
		  len(strs))
if with_layout:
	hdr += struct.pack("<II", len(types), len(layout))
open(dst, "wb").write(hdr + types + bytes(layout) + strs)
PY
}
add_kind25 "$pm/types.layout.btf" "$work/kind25.btf" 1 &&
	add_kind25 "$pm/types.layout.btf" "$work/kind25-nolayout.btf" 0 || bad "cannot write kind 25"
grep -qx 'kind25 newkind vlen=2 kflag=1' <("$btfenc" dump "$work/kind25.btf") && ok ||
	bad "canonical dump of an unknown kind"
grep -q "^\[87\] UNKNOWN_KIND_25 'newkind' kflag=1 vlen=2$" \
	<("$btfenc" dump --format=raw "$work/kind25.btf") && ok || bad "raw dump of an unknown kind"
grep -q '^  UNKNOWN_KIND_25 *1 *32$' <("$btfenc" stats "$work/kind25.btf") &&
	grep -q "bytes: $(stat -c %s "$work/kind25.btf") = " <("$btfenc" stats "$work/kind25.btf") &&
	ok || bad "stats of an unknown kind"
"$btfenc" diff "$pm/types.layout.btf" "$work/kind25.btf" > "$work/kind25.diff"; rc=$?
[ $rc = 1 ] && grep -qx '+ kind 25 newkind' "$work/kind25.diff" && ok ||
	bad "diff of an unknown kind: exit $rc"
out=$("$btfenc" verify "$work/kind25.btf" 2>&1); rc=$?
[ $rc = 0 ] && grep -q '1 type of a kind btfenc does not know (kind 25), stepped over' <<<"$out" &&
	ok || bad "verify of an unknown kind with a layout section: exit $rc: $out"
out=$("$btfenc" verify "$work/kind25-nolayout.btf" 2>&1); rc=$?
[ $rc = 1 ] && grep -q 'type ID 87 (kind 25): unknown kind, and no layout section' <<<"$out" &&
	ok || bad "verify of an unknown kind without a layout section: exit $rc: $out"
[ "$(status "$btfenc" dump "$work/kind25-nolayout.btf")" = 1 ] && ok ||
	bad "dump of an unknown kind without a layout section"
"$btfenc" --btf_base="$work/kind25.btf" --btf_encode_detached="$work/on-kind25.btf" \
	"$work/fixmod.o" && [ "$(status "$btfenc" verify --btf_base="$work/kind25.btf" \
	"$work/on-kind25.btf")" = 0 ] && "$btfenc" dump --format=raw --btf_base="$work/kind25.btf" \
	"$work/on-kind25.btf" | head -1 | grep -q '^\[88\] ' && ok ||
	bad "a split layer encoded on a base with an unknown kind"
if has clang; then
	"$btfenc" dump --format=c "$work/kind25.btf" > "$work/kind25.h" &&
		grep -q "/\* type ID 87: kind 25 'newkind', which btfenc does not know" \
		"$work/kind25.h" && clang -target bpf -fsyntax-only "$work/kind25.h" && ok ||
		bad "C header with an unknown kind"
fi
if has clang; then
	"$btfenc" dump --format=c "$pm/types.layout.btf" > "$work/layout.h" &&
		clang -target bpf -fsyntax-only "$work/layout.h" && ok ||
		bad "C header of a layout section does not compile"
fi

# --- modules with a distilled base (.BTF.base), relocated as the kernel relocates them -----
# pahole master's .BTF and .BTF.base of tests/data/pahole-master/module.c, put back into an
# ELF; the base it was built on (kernel.btf), the same base encoded by btfenc now (other
# type IDs), and one whose struct list_head, which the module embeds, has grown.
echo 'int mod_placeholder;' > "$work/modelf.c"
gcc -c -o "$work/modelf.o" "$work/modelf.c" &&
	objcopy --add-section .BTF="$pm/module.BTF" --add-section .BTF.base="$pm/module.BTF.base" \
		"$work/modelf.o" "$work/mod.ko" || bad "cannot build a module ELF with .BTF.base"
gcc -g -O0 -o "$work/kernel" "$pm/kernel.c" &&
	"$btfenc" --btf_encode_detached="$work/kernel.btf" "$work/kernel" || bad "encode kernel.c"
sed 's/struct list_head \*next, \*prev;/struct list_head *next, *prev, *last;/' "$pm/kernel.c" \
	> "$work/kernel-grown.c" && gcc -g -O0 -o "$work/kernel-grown" "$work/kernel-grown.c" &&
	"$btfenc" --btf_encode_detached="$work/kernel-grown.btf" "$work/kernel-grown" ||
	bad "encode kernel-grown.c"
line=$(grep '^struct mod_entry ' \
	<("$btfenc" dump --btf_base="$pm/kernel.btf" "$pm/module.direct.btf"))
for base in "$pm/kernel.btf" "$work/kernel.btf"; do
	grep -qxF "$line" <("$btfenc" dump --btf_base="$base" "$work/mod.ko") && [ -n "$line" ] &&
		ok || bad "module relocated onto $base: not the types it was built with"
	n=$("$btfenc" stats --json "$base" | jq .total.types 2>/dev/null ||
	    "$btfenc" dump --format=raw "$base" | grep -c '^\[')
	"$btfenc" dump --format=raw --btf_base="$base" "$work/mod.ko" | head -1 |
		grep -q "^\[$((n + 1))\] " && ok || bad "relocated module IDs do not follow $base's"
	[ "$(status "$btfenc" verify --btf_base="$base" "$work/mod.ko")" = 0 ] && ok ||
		bad "verify of a module relocated onto $base"
	[ "$(status "$btfenc" diff --btf_base="$base" "$work/mod.ko" "$work/mod.ko")" = 0 ] && ok ||
		bad "diff of a relocated module with itself"
done
if has clang; then
	"$btfenc" dump --format=c --btf_base="$pm/kernel.btf" "$work/mod.ko" > "$work/mod-rel.h" &&
		clang -target bpf -fsyntax-only "$work/mod-rel.h" &&
		grep -q 'struct list_head node;' "$work/mod-rel.h" && ok ||
		bad "C header of a relocated module"
fi
# No base: read split on its own .BTF.base.
"$btfenc" stats "$work/mod.ko" > "$work/mod-stats.txt" &&
	grep -q "^layer 0: $work/mod.ko (.BTF.base)$" "$work/mod-stats.txt" &&
	grep -q "^layer 1: $work/mod.ko$" "$work/mod-stats.txt" && ok ||
	bad "a module without a base is not read on its .BTF.base"
[ "$(status "$btfenc" verify "$work/mod.ko")" = 0 ] && ok ||
	bad "verify of a module on its .BTF.base"
# A base that does not match: refused, both files named.
out=$("$btfenc" dump --btf_base="$work/kernel-grown.btf" "$work/mod.ko" 2>&1); rc=$?
want="$work/mod.ko: .BTF.base does not match $work/kernel-grown.btf: its struct list_head"
[ $rc = 1 ] && grep -qF "$want (size 16) is not there" <<<"$out" && ok ||
	bad "a .BTF.base that does not match its base: exit $rc: $out"
[ "$(status "$btfenc" verify --btf_base="$work/kernel-grown.btf" "$work/mod.ko")" = 2 ] && ok ||
	bad "verify of a module on a base that does not match: not exit 2"

# --- kind_flag 1 tags: __attribute__ bodies (pahole's "attributes", kernels >= 6.14) ---------
# int; type_tag address_space(1) (kind_flag 1) -> int; ptr; type_tag "user" -> int; ptr;
# struct s { arena, tagged }; decl_tag noinline (kind_flag 1) on s.
python3 - "$work/attr.btf" <<'PY'
import struct, sys
strs = b"\0int\0address_space(1)\0user\0s\0arena\0tagged\0noinline\0"
off = lambda s: strs.index(b"\0" + s + b"\0") + 1
info = lambda kind, vlen=0, kflag=0: kflag << 31 | kind << 24 | vlen
t = struct.pack("<IIII", off(b"int"), info(1), 4, 1 << 24 | 32)
t += struct.pack("<III", off(b"address_space(1)"), info(18, kflag=1), 1)
t += struct.pack("<III", 0, info(2), 2)
t += struct.pack("<III", off(b"user"), info(18), 1)
t += struct.pack("<III", 0, info(2), 4)
t += struct.pack("<III", off(b"s"), info(4, 2), 16)
t += struct.pack("<III", off(b"arena"), 3, 0) + struct.pack("<III", off(b"tagged"), 5, 64)
t += struct.pack("<IIIi", off(b"noinline"), info(17, kflag=1), 6, -1)
hdr = struct.pack("<HBBIIIII", 0xeb9f, 1, 0, 24, 0, len(t), len(t), len(strs))
open(sys.argv[1], "wb").write(hdr + t + strs)
PY
[ "$(status "$btfenc" verify "$work/attr.btf")" = 0 ] && ok || bad "verify of kind_flag tags"
grep -q "^\[2\] TYPE_TAG 'address_space(1)' type_id=1 kflag=1$" \
	<("$btfenc" dump --format=raw "$work/attr.btf") && ok || bad "raw dump of a kind_flag tag"
grep -qx 'decl_tag(noinline,attr)->struct s idx=-1' <("$btfenc" dump "$work/attr.btf") && ok ||
	bad "canonical dump of a kind_flag decl tag"
"$btfenc" dump --format=c "$work/attr.btf" > "$work/attr.h" &&
	grep -q 'int __attribute__((address_space(1))) \*arena;' "$work/attr.h" &&
	grep -q 'int __attribute__((btf_type_tag("user"))) \*tagged;' "$work/attr.h" && ok ||
	bad "C header of kind_flag tags: $(grep -A3 'struct s {' "$work/attr.h")"
if has clang; then
	clang -target bpf -fsyntax-only "$work/attr.h" && ok ||
		bad "C header of kind_flag tags does not compile"
fi

# --- verify ---------------------------------------------------------------------------
[ "$(status "$btfenc" verify "$work/types.btf")" = 0 ] && ok || bad "verify of valid BTF"
[ "$(status "$btfenc" verify --btf_base="$work/types.btf,$work/mod.btf" "$work/mod2.btf")" = 0 ] &&
	ok || bad "verify of a 3-layer chain"
[ "$(status "$btfenc" verify "$sysbtf")" = 0 ] && ok || bad "verify of $sysbtf"
head -c 100 "$work/types.btf" > "$work/short.btf"
[ "$(status "$btfenc" verify "$work/short.btf")" = 1 ] && ok || bad "truncated BTF: not exit 1"
[ "$(status "$btfenc" verify "$work/missing")" = 2 ] && ok || bad "missing file: not exit 2"
[ "$(status "$btfenc" verify "$work/v1.c")" = 2 ] && ok || bad "not BTF: not exit 2"
[ "$(status "$btfenc" verify --json "$work/types.btf")" = 2 ] && ok || bad "usage: not exit 2"
[ "$(status "$btfenc" verify "$work/mod.btf")" = 1 ] && ok ||
	bad "a split layer without its base is invalid"
# Type 1 turned into kind 25: both verify and the kernel must refuse it.
cp "$work/types.btf" "$work/bad.btf"
printf '\x19' | dd of="$work/bad.btf" bs=1 seek=$((24 + 7)) conv=notrunc 2>/dev/null
out=$("$btfenc" verify --kernel "$work/bad.btf" 2>&1); rc=$?
[ $rc = 1 ] && grep -q 'type ID 1 (kind 25): unknown kind' <<<"$out" && ok ||
	bad "verify of an unknown kind: exit $rc: $out"
# The kernel's verdict, through kload and through verify --kernel: only where it can be asked.
kernel_loads || note "kernel verdicts (kload, verify --kernel) on types.btf, bad.btf," \
	"short.btf not compared: $kernel_why"
for f in "$work/types.btf" "$work/bad.btf" "$work/short.btf"; do
	kernel_loads || break
	"$kload" "$f" >/dev/null 2>&1; k=$?
	v=$(status "$btfenc" verify "$f")
	[ $k = 2 ] && k=1	# kload cannot even read it: invalid too
	[ "$v" = "$k" ] && ok || bad "$(basename "$f"): verify says $v, kernel (kload) says $k"
	out=$("$btfenc" verify --kernel "$f" 2>&1)
	if [ "$v" = 0 ]; then
		grep -q ': kernel: accepted$' <<<"$out" && ok || bad "verify --kernel: $out"
	else
		grep -q ': kernel: rejected' <<<"$out" && ok || bad "verify --kernel: $out"
	fi
done

# --- the sysfs base rule --------------------------------------------------------------
mod=$(ls /sys/kernel/btf 2>/dev/null | grep -v '^vmlinux$' | head -1)
if [ -n "$mod" ]; then
	[ "$(status "$btfenc" verify "/sys/kernel/btf/$mod")" = 0 ] && ok ||
		bad "/sys/kernel/btf/$mod without --btf_base"
else
	note "no module BTF in /sys/kernel/btf: the automatic vmlinux base is not exercised"
fi

# --- loops the kernel accepts: every command ends, none overflows its stack ----------
# Each loop passes through a FUNC_PROTO (the kernel sizes neither a pointer's target nor
# a prototype's parameters): a parameter or the return type pointing back at its own
# prototype, through a const, a type tag or a typedef, eight such parameters, an anonymous
# struct on the loop, and a named struct (s) that reaches the loop through a member.
python3 - "$work" <<'PY'
import struct, sys
K = dict(INT=1, PTR=2, STRUCT=4, TYPEDEF=8, CONST=10, FUNC=12, PROTO=13, TAG=18)
def blob(types):
    strs, words = b"\0", b""
    def s(x):
        nonlocal strs
        if not x:
            return 0
        strs += x.encode() + b"\0"
        return len(strs) - len(x) - 1
    for kind, name, ref, *rest in types:
        extra = rest[0] if rest else []
        words += struct.pack("<III", s(name), K[kind] << 24 | len(extra), ref)
        if kind == "INT":
            words += struct.pack("<I", 32)
        for e in extra:
            words += struct.pack("<" + "I" * len(e), *(v if isinstance(v, int) else s(v)
                                                        for v in e))
    return struct.pack("<HBBIIIII", 0xeB9F, 1, 0, 24, 0, len(words), len(words),
                       len(strs)) + words + strs
S = ("STRUCT", "s", 8, [("cb", 3, 0)])
shapes = {
    "param": [("INT", "int", 4), ("PROTO", "", 1, [("p", 3)]), ("PTR", "", 2), S],
    "ret": [("INT", "int", 4), ("PROTO", "", 3, [("p", 1)]), ("PTR", "", 2), S],
    "const": [("INT", "int", 4), ("PROTO", "", 1, [("p", 3)]), ("CONST", "", 4),
              ("PTR", "", 2), S],
    "tag": [("INT", "int", 4), ("PROTO", "", 1, [("p", 3)]), ("PTR", "", 4),
            ("TAG", "user", 2), S],
    "typedef": [("INT", "int", 4), ("PROTO", "", 1, [("p", 3)]), ("TYPEDEF", "cb", 4),
                ("PTR", "", 2), S],
    "fanout": [("INT", "int", 4), ("PROTO", "", 1, [("p%d" % i, 3) for i in range(8)]),
               ("PTR", "", 2), S, ("FUNC", "f", 2)],
    "anon": [("INT", "int", 4), ("STRUCT", "", 8, [("cb", 3, 0)]), ("PTR", "", 4),
             ("PROTO", "", 1, [("p", 5)]), ("PTR", "", 2), ("STRUCT", "s", 8, [("a", 2, 0)])],
}
for name, types in shapes.items():
    open("%s/loop-%s.btf" % (sys.argv[1], name), "wb").write(blob(types))
PY
for f in "$work"/loop-*.btf; do
	n=$(basename "$f" .btf)
	[ "$(status "$btfenc" verify "$f")" = 0 ] && ok || bad "$n: verify does not say valid"
	if kernel_loads; then
		"$kload" "$f" >/dev/null 2>&1; k=$?
		[ $k = 0 ] && ok || bad "$n: the kernel (kload) rejects it: $k"
	fi
	for cmd in "dump" "dump --format=raw" "dump --format=raw --json" "dump --format=c" \
		   "dump --format=layout" "dump --format=layout --json" "stats" "stats --json" \
		   "diff $f" "diff --json $f" "diff $work/loop-fanout.btf" \
		   "diff --json $work/loop-param.btf"; do
		# shellcheck disable=SC2086
		rc=$(status "$btfenc" $cmd "$f")
		[ "$rc" -le 1 ] && ok || bad "$n: btfenc $cmd: exit $rc"
	done
	"$btfenc" dump --format=c "$f" > "$work/$n.h" &&
		grep -q '^/\* type ID [0-9]*: STRUCT s reaches a reference loop' "$work/$n.h" && ok ||
		bad "$n: the C header does not leave struct s out with a comment"
	if has clang; then
		clang -target bpf -fsyntax-only "$work/$n.h" 2>/dev/null && ok ||
			bad "$n: the C header does not compile"
	fi
done
kernel_loads || note "kernel verdicts on loop-*.btf not asked: $kernel_why"
params=$(for i in 0 1 2 3 4 5 6 7; do printf 'int (*p%d)(...), ' $i; done)
"$btfenc" diff "$work/loop-param.btf" "$work/loop-fanout.btf" |
	grep -qxF "	member cb: type int (*)(int (*p)(...)) -> int (*)(${params%, })" &&
	ok || bad "diff of two prototype loops does not name the member"

# --- robustness: mutated BTF through every read-only command and output format -------
# 300 seeded random corruptions (a bit, a byte, a cut, or a word of the type section set to
# a kind, a small number, a string offset or an edge value, as test_reader.c's mutations)
# of four valid files: the fixture, a prototype loop, a layout section with a kind btfenc
# does not know, a split layer (its base given). Every command must end (no hang: 20 s
# each) with its own exit status (no signal, no sanitizer report; the sanitizer build sets
# the exit code such a report gives apart from 1 and 2).
export ASAN_OPTIONS=${ASAN_OPTIONS:-exitcode=86} UBSAN_OPTIONS=${UBSAN_OPTIONS:-exitcode=86}
mkdir -p "$work/mut"
python3 - "$work/mut" "$work/types.btf" "$work/loop-fanout.btf" "$work/kind25.btf" \
	"$work/mod.btf" <<'PY'
import struct, sys
out, srcs = sys.argv[1], sys.argv[2:]
state = 0x9e3779b97f4a7c15
def rnd():
    global state
    x = state
    x ^= (x << 13) & (2**64 - 1)
    x ^= x >> 7
    x ^= (x << 17) & (2**64 - 1)
    state = x
    return x
edges = [0, 1, 2, 3, 5, 8, 16, 31, 0x7f, 0xffff, 0x10000, 0x80000000, 0xffffffff, 0x1000000,
         0x4000003]
def mutate(b):
    r = rnd()
    if r % 8 == 0:
        pos = (r >> 8) % (len(b) * 8)
        b[pos // 8] ^= 1 << (pos % 8)
        return b
    if r % 8 == 1:
        b[(r >> 8) % len(b)] = (r >> 40) & 0xff
        return b
    if r % 8 == 2:
        return b[:(r >> 16) % len(b) + 1] if (r >> 8) % 8 == 0 else b
    hl, to, tl, so, sl = struct.unpack_from("<IIIII", b, 4)
    words = tl // 4
    if not words or len(b) < hl + to + words * 4:
        return b
    pos = hl + to + (r >> 8) % words * 4
    if r % 8 == 3:
        w = ((r >> 32) % 21) << 24 | (r >> 40) % 6 | (1 << 31 if r & (1 << 60) else 0)
    elif r % 8 == 4:
        w = (r >> 32) % 40
    elif r % 8 == 5:
        w = (r >> 32) % (sl + 4)
    else:
        w = edges[(r >> 32) % len(edges)]
    struct.pack_into("<I", b, pos, w)
    return b
for i in range(300):
    src = srcs[i % len(srcs)]
    b = bytearray(open(src, "rb").read())
    for _ in range(1 + rnd() % 3):
        b = mutate(b)
    open("%s/%03d-%d.btf" % (out, i, i % len(srcs)), "wb").write(b)
PY
crashes=0 hangs=0 runs=0
for f in "$work"/mut/*.btf; do
	# The split layer's mutations (suffix 3) read on its base.
	case $f in *-3.btf) base=--btf_base="$work/types.btf"; ref=$work/mod.btf ;;
		   *) base=--btf_base=; ref=$work/types.btf ;; esac
	[ "$base" = --btf_base= ] && base=
	for cmd in "dump" "dump --format=raw" "dump --format=raw --json" "dump --format=c" \
		   "dump --format=layout" "dump --format=layout --json" "stats" "stats --json" \
		   "verify" "diff $ref" "diff --json $ref" "diff --summary --top=3 $ref"; do
		# shellcheck disable=SC2086
		timeout 20 "$btfenc" $cmd $base "$f" >/dev/null 2>"$work/mut.err"; rc=$?
		runs=$((runs + 1))
		if [ $rc = 124 ]; then
			hangs=$((hangs + 1)); bad "hang: btfenc $cmd $base $f"
		elif [ $rc -gt 2 ] || grep -q 'runtime error\|Sanitizer' "$work/mut.err"; then
			crashes=$((crashes + 1))
			bad "crash (exit $rc): btfenc $cmd $base $f: $(head -3 "$work/mut.err")"
			cp "$f" "${TMPDIR:-/tmp}/btfenc-crash-$(basename "$f")"
		fi
	done
done
[ $crashes = 0 ] && [ $hangs = 0 ] && ok
echo "mutations: 300 files, $runs runs, $crashes crashes, $hangs hangs"

finish inspect
