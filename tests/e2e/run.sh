#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# End-to-end tests: C fixtures compiled now with gcc and clang (-O0/-O2, DWARF 4/5),
# encoded by btfenc and by pahole 1.24 (the oracle, run without -j), compared through
# `btfenc dump --format=canonical` (ID-independent). Every known difference from pahole
# is asserted and explained here. Also: determinism across -j, -J in place, bad input,
# and the running kernel's verdict (BPF_BTF_LOAD) where permitted.
#
# Needs BTFENC (path to the binary) and KLOAD (tests/tools/kload) in the environment.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/lib.sh"

# --- 1. fixture matrix against pahole -----------------------------------------------

# Known, explained differences, applied to pahole's canonical text before comparing:
#  * atomic.c: pahole 1.24 does not know DW_TAG_atomic_type and turns every reference
#    to it into void; btfenc encodes _Atomic T as T (BTF has no atomic kind).
expect_same() {	# name pahole.btf btfenc.btf
	if ! canon "$2" > "$work/$1.p.txt" || ! canon "$3" > "$work/$1.b.txt" ||
	   [ ! -s "$work/$1.b.txt" ]; then
		bad "$1: cannot dump"; return
	fi
	if diff -u "$work/$1.p.txt" "$work/$1.b.txt" > "$work/$1.diff"; then
		ok
	else
		bad "$1: btfenc and pahole differ"; head -20 "$work/$1.diff"
	fi
}


build() {	# cc opt dwarf out sources... (links unless out ends in .o)
	local cc=$1 opt=$2 dw=$3 out=$4; shift 4
	local extra=()
	[ "$cc" = clang ] && extra=(-Wno-unknown-attributes)
	case $out in
	*.o) if [ $# -gt 1 ]; then
		local objs=() s
		for s in "$@"; do
			$cc -g -gdwarf-$dw $opt "${extra[@]}" -c "$s" -o "$out.$(basename "$s").o" || return 1
			objs+=("$out.$(basename "$s").o")
		done
		ld -r -o "$out" "${objs[@]}"
	     else
		$cc -g -gdwarf-$dw $opt "${extra[@]}" -c "$1" -o "$out"
	     fi ;;
	*) $cc -g -gdwarf-$dw $opt "${extra[@]}" -o "$out" "$@" ;;
	esac
}

flagsets=("" "--btf_gen_floats" "--skip_encoding_btf_enum64" \
	  "--skip_encoding_btf_type_tag --skip_encoding_btf_decl_tag --skip_encoding_btf_vars")
for cc in gcc clang; do
	for opt in -O0 -O2; do
		for dw in 4 5; do
			id=$cc$opt-dw$dw
			build $cc $opt $dw "$work/types-$id" "$fix/types.c" || { bad "build types $id"; continue; }
			build $cc $opt $dw "$work/types-$id.o" "$fix/types.c" || { bad "build $id.o"; continue; }
			build $cc $opt $dw "$work/percpu-$id.o" "$fix/percpu.c" "$fix/types.c" \
				"$fix/percpu_local.c" ||
				{ bad "build percpu $id"; continue; }
			build $cc $opt $dw "$work/dup-$id" "$fix/dup_a.c" "$fix/dup_b.c" ||
				{ bad "build dup $id"; continue; }
			inputs=(types-$id types-$id.o percpu-$id.o dup-$id)
			if [ $cc = clang ]; then
				build $cc $opt $dw "$work/tags-$id" "$fix/tags.c" || { bad "build tags"; continue; }
				inputs+=(tags-$id)
			fi
			for in in "${inputs[@]}"; do
				for fi_ in "${!flagsets[@]}"; do
					fl=${flagsets[$fi_]}
					p=$work/$in.f$fi_.pahole.btf b=$work/$in.f$fi_.btfenc.btf
					# shellcheck disable=SC2086
					pahole -J $fl --btf_encode_detached="$p" "$work/$in" >/dev/null 2>&1 ||
						{ bad "pahole failed on $in $fl"; continue; }
					# shellcheck disable=SC2086
					BTFENC_PAHOLE_COMPAT=1.24 "$btfenc" -J $fl \
						--btf_encode_detached="$b" "$work/$in" ||
						{ bad "btfenc failed on $in $fl"; continue; }
					expect_same "$in.f$fi_" "$p" "$b"
				done
				kernel_check "$in" "$work/$in.f1.btfenc.btf"
			done
		done
	done
done

# The default behaviour against the compatibility one, where pahole changed a rule after
# 1.24: a function-local per-CPU static is no VAR (pahole 1.26+: not a top-level variable).
if "$btfenc" --btf_encode_detached="$work/pcpu-default.btf" "$work/percpu-gcc-O2-dw5.o"; then
	canon "$work/pcpu-default.btf" | grep -q 'fn_static' && bad "default: fn_static.0 kept" ||
		ok
	canon "$work/percpu-gcc-O2-dw5.o.f0.btfenc.btf" | grep -q 'fn_static\.0@' && ok ||
		bad "compatibility: fn_static.0 missing"
else
	bad "default behaviour on percpu-gcc-O2-dw5.o failed"
fi

# _Atomic: the one asserted difference.
build gcc -O0 5 "$work/atomic" "$fix/atomic.c"
pahole -J --btf_encode_detached="$work/atomic.p.btf" "$work/atomic" >/dev/null 2>&1
"$btfenc" --btf_encode_detached="$work/atomic.b.btf" "$work/atomic"
# pahole's output has a void-typed member, which the kernel (and btfenc's reader) refuse.
if ! canon "$work/atomic.p.btf" >/dev/null 2>&1 &&
   canon "$work/atomic.b.btf" | grep -q 'counter:int int' ; then ok
else bad "atomic: expected pahole's void member rejected and btfenc 'counter:int int'"; fi
kernel_check atomic "$work/atomic.b.btf"

# First unit wins for a duplicated static function name (dup_a.c's 'dup(int a)').
if canon "$work/dup-gcc-O0-dw5.f0.btfenc.btf" | grep -E '^func dup ' | grep -q 'a: int int' &&
   [ "$(canon "$work/dup-gcc-O0-dw5.f0.btfenc.btf" | grep -c '^func dup ')" = 1 ]; then ok
else bad "dup: expected exactly one FUNC dup, from the first unit"; fi

# Per-CPU variables of a relocatable object land at their section offsets.
if canon "$work/percpu-gcc-O2-dw5.o.f0.btfenc.btf" | grep -q '^datasec .data..percpu'; then ok
else bad "percpu: no .data..percpu DATASEC"; fi

# Mixed C and C++: excluding C++ gives pahole's output; pahole fails on C++ references.
if command -v g++ >/dev/null; then
	gcc -g -O0 -c "$fix/c_main.c" -o "$work/c_main.o" && g++ -g -O0 -c "$fix/cxx.cc" \
		-o "$work/cxx.o" && g++ -o "$work/mixed" "$work/c_main.o" "$work/cxx.o"
	lang=$(readelf --debug-dump=info "$work/cxx.o" 2>/dev/null |
	       awk '/DW_AT_language/ {print $NF; exit}')
	case $lang in *C++14*) cxx=c++14 ;; *C++11*) cxx=c++11 ;; *) cxx=c++ ;; esac
	pahole -J --lang_exclude=$cxx --btf_encode_detached="$work/mixed.p.btf" "$work/mixed" \
		>/dev/null 2>&1
	"$btfenc" -J --lang_exclude=$cxx --btf_encode_detached="$work/mixed.b.btf" "$work/mixed"
	expect_same mixed-lang-exclude "$work/mixed.p.btf" "$work/mixed.b.btf"
	canon "$work/mixed.b.btf" | grep -q '^struct Derived' && bad "--lang_exclude kept C++" || ok
	"$btfenc" -J --btf_encode_detached="$work/mixed.all.btf" "$work/mixed" &&
		canon "$work/mixed.all.btf" | grep -q '^struct Derived' && ok ||
		bad "C++ unit not encoded"
	kernel_check mixed "$work/mixed.all.btf"
else
	note "g++ missing: mixed C/C++ test"
fi

# Compressed debug sections (SHF_COMPRESSED) give the same BTF as plain ones.
gcc -g -O2 -gz=zlib -c "$fix/types.c" -o "$work/types-z.o"
gcc -g -O2 -c "$fix/types.c" -o "$work/types-plain.o"
if readelf -SW "$work/types-z.o" | grep -q ' C '; then
	"$btfenc" --btf_encode_detached="$work/z.btf" "$work/types-z.o" &&
	"$btfenc" --btf_encode_detached="$work/plain.btf" "$work/types-plain.o" &&
	cmp -s "$work/z.btf" "$work/plain.btf" && ok || bad "compressed DWARF gives other BTF"
	# Its header then made to claim 64 GiB (ch_size, 8 bytes into an Elf64_Chdr): refused
	# before libelf allocates that much.
	cp "$work/types-z.o" "$work/types-zbomb.o"
	off=$(readelf -SW "$work/types-z.o" | sed 's/^ *\[ *[0-9]*\] *//' |
		awk '$1==".debug_info" {print $4}')
	printf '\0\0\0\0\20\0\0\0' |
		dd of="$work/types-zbomb.o" bs=1 seek=$((0x$off + 8)) conv=notrunc status=none
	out=$("$btfenc" --btf_encode_detached="$work/zbomb.btf" "$work/types-zbomb.o" 2>&1)
	[ $? -eq 1 ] && grep -q 'says it inflates to 68719476736 bytes' <<<"$out" &&
		[ ! -e "$work/zbomb.btf" ] && ok || bad "compressed section claiming 64 GiB: $out"
else
	note "gcc -gz made no compressed sections"
fi

# More than 65535 sections (extended numbering), read and rewritten with -J.
python3 -c "
for i in range(66000): print(f'int v{i} = {i};')
print('int main(void) { return v1; }')" > "$work/many.c"
gcc -g -fdata-sections -c "$work/many.c" -o "$work/many.o"
"$btfenc" -J "$work/many.o" && [ "$(readelf -h "$work/many.o" | awk '/Number of section/ {print $6}')" = \
	"(66023)" ] && canon "$work/many.o" | grep -q '^func main' && ok ||
	bad "extended section numbering"

# --- 2. determinism across -j -------------------------------------------------------
big=$work/big.o
build gcc -O2 5 "$big" "$fix/types.c" "$fix/percpu.c" "$fix/dup_a.c" "$fix/tags.c" 2>/dev/null ||
	build gcc -O2 5 "$big" "$fix/types.c" "$fix/percpu.c" "$fix/dup_a.c"
for j in 1 2 3 8; do
	BTFENC_CHUNK_BYTES=64 "$btfenc" -j$j --btf_encode_detached="$work/det-$j.btf" "$big" ||
		bad "btfenc -j$j failed"
done
for j in 2 3 8; do
	cmp -s "$work/det-1.btf" "$work/det-$j.btf" && ok || bad "-j$j output differs from -j1"
done
"$btfenc" -j2 --btf_encode_detached="$work/det-onechunk.btf" "$big"
if diff <(canon "$work/det-1.btf") <(canon "$work/det-onechunk.btf") >/dev/null; then ok
else bad "small chunks change the types (canonical dump differs)"; fi

# A relocatable object's units are given back as they are encoded (their relocated pages
# dropped, each unit's header kept for the other threads' libdw): four units of many
# pages, a unit per chunk on three threads, give the bytes of the same DWARF compressed,
# which is decompressed into memory and never given back.
for u in 0 1 2 3; do
	python3 -c "
for i in range(150):
    print(f'struct s{$u}_{i} {{', ' '.join(f'long m{k}_{i};' for k in range(24)), '};')
    print(f'int f{$u}_{i}(struct s{$u}_{i} *p) {{ return (int)p->m3_{i}; }}')" > "$work/rel$u.c"
	gcc -g -O2 -c "$work/rel$u.c" -o "$work/rel$u.o"
done
ld -r -o "$work/rel.o" "$work"/rel[0-3].o
objcopy --compress-debug-sections=zlib "$work/rel.o" "$work/relz.o"
BTFENC_CHUNK_BYTES=64 "$btfenc" -j3 --btf_encode_detached="$work/rel.btf" "$work/rel.o" &&
	"$btfenc" -j1 --btf_encode_detached="$work/relz.btf" "$work/relz.o" &&
	cmp -s "$work/rel.btf" "$work/relz.btf" && canon "$work/rel.btf" | grep -q '^func f3_149 ' &&
	ok || bad "units given back change a relocatable object's BTF"

# btfenc's own dedup (btf_dedup/) against libbpf's btf__dedup(), its oracle:
# chunks deduplicated one by one and merged, one chunk, and split on a base. The libbpf
# linked is 1.1.2: the compatibility behaviour's dedup rules (the default behaviour's,
# libbpf f7081a6b's, are held to pahole master's bytes in oracle.sh and check-kernel).
for chunk in 64 0; do
	BTFENC_PAHOLE_COMPAT=1.24 BTFENC_CHUNK_BYTES=$chunk "$btfenc" -j3 \
		--btf_encode_detached="$work/dd-own.btf" "$big"
	BTFENC_PAHOLE_COMPAT=1.24 BTFENC_DEDUP=libbpf BTFENC_CHUNK_BYTES=$chunk "$btfenc" -j3 \
		--btf_encode_detached="$work/dd-lib.btf" "$big"
	cmp -s "$work/dd-own.btf" "$work/dd-lib.btf" && ok ||
		bad "dedup differs from libbpf's (chunk bytes $chunk)"
done
for src in dup_b tags types; do
	for cc in gcc clang; do
		$cc -g -O2 -c "$fix/$src.c" -o "$work/dd-$src.o" 2>/dev/null || continue
		BTFENC_PAHOLE_COMPAT=1.24 "$btfenc" --btf_base "$work/det-1.btf" \
			--btf_encode_detached="$work/dd-own.btf" "$work/dd-$src.o"
		BTFENC_PAHOLE_COMPAT=1.24 BTFENC_DEDUP=libbpf "$btfenc" \
			--btf_base "$work/det-1.btf" --btf_encode_detached="$work/dd-lib.btf" \
			"$work/dd-$src.o"
		cmp -s "$work/dd-own.btf" "$work/dd-lib.btf" && ok ||
			bad "split dedup differs from libbpf's ($src.c, $cc)"
	done
done

# One split input with -j: its base is read on a thread of its own while its units are
# encoded. Same bytes as the serial run, tiny chunks included.
for src in dup_b tags types; do
	for cc in gcc clang; do
		$cc -g -O2 -c "$fix/$src.c" -o "$work/dj-$src.o" 2>/dev/null || continue
		"$btfenc" -j1 --btf_base "$work/det-1.btf" --btf_encode_detached="$work/dj-1.btf" \
			"$work/dj-$src.o"
		BTFENC_CHUNK_BYTES=64 "$btfenc" -j3 --btf_base "$work/det-1.btf" \
			--btf_encode_detached="$work/dj-3.btf" "$work/dj-$src.o"
		cmp -s "$work/dj-1.btf" "$work/dj-3.btf" && ok ||
			bad "split output differs between -j1 and -j3 ($src.c, $cc)"
	done
done

# A batch: several inputs on one base, one input per thread with -j. Each output must be
# the bytes a run of its own gives; a broken input fails alone, leaving the rest written.
mkdir -p "$work/batch1" "$work/batchj"
n=0
for src in dup_b tags types percpu; do
	for cc in gcc clang; do
		$cc -g -O2 -c "$fix/$src.c" -o "$work/batch1/$cc-$src.o" 2>/dev/null || continue
		cp "$work/batch1/$cc-$src.o" "$work/batchj/"
		"$btfenc" --btf_base "$work/det-1.btf" --btf_encode_detached="$work/alone-$cc-$src.btf" \
			"$work/batch1/$cc-$src.o"
		n=$((n + 1))
	done
done
echo "not an ELF file" > "$work/batchj/broken.o"
"$btfenc" -J -j1 --btf_base "$work/det-1.btf" "$work"/batch1/*.o || bad "batch -j1 failed"
"$btfenc" -J -j3 --btf_base "$work/det-1.btf" "$work"/batchj/*.o 2>"$work/batch.err" &&
	bad "batch with a broken input exited 0"
grep -q "broken.o" "$work/batch.err" && ok || bad "batch: the broken input is not named"
[ "$(cat "$work/batchj/broken.o")" = "not an ELF file" ] && ok || bad "batch: broken input changed"
# The .BTF an ELF got, or nothing (an input the base covers entirely gets none).
btf_of() {
	rm -f "$2"
	objcopy --dump-section .BTF="$2" "$1" "$work/scratch.o" 2>/dev/null
	[ -f "$2" ] || : > "$2"
}
same=0
for f in "$work"/batch1/*.o; do
	b=$(basename "$f" .o)
	btf_of "$f" "$work/b1.btf"
	btf_of "$work/batchj/$b.o" "$work/bj.btf"
	[ -f "$work/alone-$b.btf" ] || : > "$work/alone-$b.btf"
	if cmp -s "$work/b1.btf" "$work/alone-$b.btf" && cmp -s "$work/bj.btf" "$work/alone-$b.btf"
	then same=$((same + 1))
	else echo "batch: $b differs from its own run"; fi
done
[ "$same" -eq "$n" ] && [ "$n" -ge 4 ] && ok ||
	bad "batch outputs differ from single runs ($same of $n the same)"

# --- 3. -J writes .BTF into the ELF, atomically ----------------------------------------
cp "$work/types-gcc-O0-dw5" "$work/inplace"
chmod 751 "$work/inplace"
"$btfenc" -J "$work/inplace" && ok || bad "-J on an executable failed"
readelf -SW "$work/inplace" | grep -q ' \.BTF ' && ok || bad "-J: no .BTF section added"
[ "$(stat -c %a "$work/inplace")" = 751 ] && ok || bad "-J: file mode not kept"
"$work/inplace" >/dev/null; rc=$?
"$work/types-gcc-O0-dw5" >/dev/null; [ $rc -eq $? ] && ok || bad "-J: executable runs differently"
diff <(canon "$work/inplace") <(canon "$work/types-gcc-O0-dw5.f0.btfenc.btf") >/dev/null &&
	ok || bad "-J: .BTF differs from the detached output"
cp "$work/inplace" "$work/inplace.once"
"$btfenc" -J "$work/inplace" && ok || bad "-J: replacing an existing .BTF failed"
[ "$(readelf -SW "$work/inplace" | grep -c ' \.BTF ')" = 1 ] && ok || bad "-J: two .BTF sections"
# The same BTF again: the same bytes (not one more section header table each time).
cmp -s "$work/inplace" "$work/inplace.once" && ok || bad "-J a second time changed the file"
cp "$work/types-gcc-O0-dw5.o" "$work/inplace.o"
"$btfenc" -J "$work/inplace.o" && readelf -SW "$work/inplace.o" | grep -q ' \.BTF ' && ok ||
	bad "-J on a relocatable object failed"
cp "$work/inplace.o" "$work/inplace.once.o"
"$btfenc" -J "$work/inplace.o" && cmp -s "$work/inplace.o" "$work/inplace.once.o" && ok ||
	bad "-J a second time changed the relocatable object"
# With -j2 the object is copied into the output beside the encoding and only what changes is
# written over the copy: the same bytes as -j1, for a new .BTF, an equal one, and one whose
# size changes so that the sections after it move.
cp "$work/types-gcc-O0-dw5.o" "$work/precopy.o"
"$btfenc" -J -j2 "$work/precopy.o" && cmp -s "$work/precopy.o" "$work/inplace.once.o" && ok ||
	bad "-J -j2 on a relocatable object: other bytes than -j1"
"$btfenc" -J -j2 "$work/precopy.o" && cmp -s "$work/precopy.o" "$work/inplace.once.o" && ok ||
	bad "-J -j2 a second time changed the relocatable object"
cp "$work/precopy.o" "$work/precopy1.o"
"$btfenc" -J -j1 --btf_gen_floats "$work/precopy1.o" &&
	"$btfenc" -J -j2 --btf_gen_floats "$work/precopy.o" &&
	! cmp -s "$work/precopy.o" "$work/inplace.once.o" &&
	cmp -s "$work/precopy.o" "$work/precopy1.o" && ok ||
	bad "-J -j2 with a .BTF of another size: other bytes than -j1"
# ld.lld keeps the kernel's empty .BTF output section (kept for its __start_BTF/__stop_BTF
# symbols), allocated, inside a load segment: the shape of a clang kernel's .tmp_vmlinux.btf.
# -J fills it as pahole does; link-vmlinux.sh then copies .BTF out with objcopy, so what that
# copy holds is what counts. A final link whose loaded .BTF holds data stays refused.
cat > "$work/kernel.lds" <<'LDS'
SECTIONS {
	. = 0x1000000 + SIZEOF_HEADERS;
	.text : { *(.text .text.*) }
	.rodata : { *(.rodata .rodata.*) }
	.BTF : { __start_BTF = .; KEEP(*(.BTF)) __stop_BTF = .; }
	.data : { *(.data .data.*) }
	.bss : { *(.bss .bss.*) }
}
LDS
btf_shape() {	# ELF: size and flags of its .BTF
	readelf -SW "$1" | awk '{ for (i = 1; i < NF; i++) if ($i == ".BTF") print $(i + 4), $(i + 6) }'
}
ld.lld -e 0 -T "$work/kernel.lds" "$work/types-clang-O2-dw5.o" -o "$work/lld" &&
	[ "$(btf_shape "$work/lld")" = "000000 AX" ] && ok ||
	bad "ld.lld did not leave an empty allocated .BTF: $(btf_shape "$work/lld")"
cp "$work/lld" "$work/lld.pahole"
pahole -J "$work/lld.pahole" >/dev/null 2>&1 || bad "pahole -J on the ld.lld link failed"
out_of_link() {	# ELF RAW: .BTF as link-vmlinux.sh (LLVM=1) takes it out
	llvm-objcopy --only-section=.BTF --set-section-flags .BTF=alloc,readonly --strip-all \
		"$1" "$1.only" && llvm-objcopy --dump-section .BTF="$2" "$1.only"
}
"$btfenc" --btf_encode_detached="$work/lld.det.btf" "$work/types-clang-O2-dw5.o" ||
	bad "cannot encode types-clang-O2-dw5.o"
if "$btfenc" -J "$work/lld" && out_of_link "$work/lld" "$work/lld.btf" &&
	out_of_link "$work/lld.pahole" "$work/lld.pahole.btf"; then
	cmp -s "$work/lld.btf" "$work/lld.pahole.btf" && ok ||
		bad "-J on the ld.lld link: .BTF differs from pahole's"
	cmp -s "$work/lld.btf" "$work/lld.det.btf" && ok ||
		bad "-J on the ld.lld link: .BTF differs from the detached output of its object"
	"$btfenc" -J "$work/lld" && out_of_link "$work/lld" "$work/lld.again.btf" &&
		cmp -s "$work/lld.btf" "$work/lld.again.btf" && ok ||
		bad "-J on the ld.lld link a second time"
else
	bad "-J on an ld.lld link with an empty allocated .BTF failed"
fi
llvm-objcopy --add-section .BTF="$work/lld.det.btf" --set-section-flags .BTF=alloc,readonly \
	"$work/types-clang-O2-dw5.o" "$work/final.o" &&
	ld.lld -e 0 -T "$work/kernel.lds" "$work/final.o" -o "$work/final" &&
	[ "$(btf_shape "$work/final" | cut -c1-6)" != 000000 ] && cp "$work/final" "$work/final.orig" ||
	bad "cannot link a final executable with its BTF loaded"
out=$("$btfenc" -J "$work/final" 2>&1)
[ $? = 1 ] && grep -q "allocated in a load segment" <<<"$out" && cmp -s "$work/final" \
	"$work/final.orig" && ok || bad "-J on a final link with a loaded .BTF: $out"
# Refused before it is read: without its DWARF the refusal is still what is said.
objcopy --strip-debug "$work/final.orig" "$work/final.nodw" && cp "$work/final.nodw" "$work/final"
out=$("$btfenc" -J -j2 "$work/final" 2>&1)
[ $? = 1 ] && [ "$(grep -c . <<<"$out")" = 1 ] && grep -q "allocated in a load segment" <<<"$out" &&
	cmp -s "$work/final" "$work/final.nodw" && ok ||
	bad "-J on a final link without DWARF: not refused first: $out"
# Nothing is written (not even a copy) before a refusal, for the extra layer's ELF too
# (tests/tools/io_fault.c counts every write call).
gcc -shared -fPIC -O2 -o "$work/io_fault.so" "$top/tests/tools/io_fault.c" -ldl ||
	bad "cannot build tests/tools/io_fault.c"
cp "$work/types-gcc-O0-dw5" "$work/core" && cp "$work/core" "$work/core.orig"
for args in "-J -j2 $work/final" "-J --btf_extra_elf=$work/final $work/core"; do
	# shellcheck disable=SC2086 # the arguments, split on spaces
	out=$(env ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
		LD_PRELOAD="$work/io_fault.so" IO_FAULT_AT=0 "$btfenc" $args 2>&1)
	[ $? = 1 ] && grep -q "allocated in a load segment" <<<"$out" &&
		grep -q "^io-fault: 0 calls$" <<<"$out" && cmp -s "$work/final" "$work/final.nodw" &&
		cmp -s "$work/core" "$work/core.orig" && ok ||
		bad "btfenc $args: wrote before its refusal: $out"
done
# A read-only extra layer's ELF is refused before the input is read: an input without
# DWARF, which the encoding would report, is not what is said.
cp "$work/types-gcc-O0-dw5" "$work/ro-extra" && chmod 0444 "$work/ro-extra"
gcc -c -o "$work/nodwarf.o" "$fix/atomic.c" && cp "$work/nodwarf.o" "$work/nodwarf.o.orig"
out=$("$btfenc" -J --btf_extra_elf="$work/ro-extra" "$work/nodwarf.o" 2>&1)
[ $? = 1 ] && [ "$(grep -c . <<<"$out")" = 1 ] && grep -q "ro-extra: read-only, refusing" <<<"$out" &&
	cmp -s "$work/nodwarf.o" "$work/nodwarf.o.orig" && ok ||
	bad "--btf_extra_elf on a read-only file: not refused before encoding: $out"
cp "$work/types-gcc-O0-dw5" "$work/both"
cp "$work/both" "$work/both.orig"
"$btfenc" -J --btf_encode_detached="$work/both.btf" "$work/both" && cmp -s "$work/both" \
	"$work/both.orig" && [ -s "$work/both.btf" ] && ok ||
	bad "-J with --btf_encode_detached must leave the input untouched"
printf 'stale trailing garbage %.0s' $(seq 1 2000) > "$work/stale.btf"
"$btfenc" --btf_encode_detached="$work/stale.btf" "$work/atomic" &&
	cmp -s "$work/stale.btf" "$work/atomic.b.btf" && ok || bad "detached output not truncated"

# --- 4. bad input: one-line error naming the file, non-zero exit, nothing left -----------
expect_error() {	# name expected-text args...
	local name=$1 text=$2; shift 2
	local out rc
	out=$("$btfenc" "$@" 2>&1); rc=$?
	if [ $rc -eq 0 ]; then bad "$name: exit 0"; return; fi
	if [ $rc -ge 128 ]; then bad "$name: crashed (status $rc): $out"; return; fi
	grep -q -- "$text" <<<"$out" && ok || bad "$name: message lacks '$text': $out"
	[ "$(wc -l <<<"$out")" -le 2 ] || bad "$name: more than two lines of error: $out"
}
nodir=$work/out; mkdir -p "$nodir"
echo 'not an elf file at all' > "$work/text"
: > "$work/empty"
head -c 3000 "$work/types-gcc-O0-dw5" > "$work/truncated"
gcc -o "$work/nodwarf" "$fix/atomic.c"
cp "$work/types-gcc-O0-dw5" "$work/corrupt"
off=$(readelf -SW "$work/corrupt" | awk '$2==".debug_info" {print $5}')
printf '\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff' |
	dd of="$work/corrupt" bs=1 seek=$((16#$off)) conv=notrunc 2>/dev/null
expect_error "not ELF" "$work/text: not an ELF file" --btf_encode_detached="$nodir/a" "$work/text"
expect_error "empty" "$work/empty: empty file" --btf_encode_detached="$nodir/a" "$work/empty"
expect_error "truncated" "$work/truncated" --btf_encode_detached="$nodir/a" "$work/truncated"
expect_error "directory" "is a directory" --btf_encode_detached="$nodir/a" "$work"
# Inputs that are not regular files are refused without being opened: a FIFO's and a
# device's size of 0 is not "empty", and a FIFO with no writer must not make btfenc wait
# (pahole 1.24 waits on one). The same for the ELF file --btf_extra_elf names, before
# anything is encoded.
mkfifo "$work/in-fifo"
ln -s in-fifo "$work/in-fifo-link"
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' \
	"$work/in-sock" || bad "cannot make a socket"
timeout 5 dd if="$work/types-gcc-O0-dw5" of="$work/in-fifo" 2>/dev/null & writer=$!
expect_error "FIFO input" "$work/in-fifo: not a regular file" \
	--btf_encode_detached="$nodir/a" "$work/in-fifo"
kill "$writer" 2>/dev/null; wait "$writer" 2>/dev/null
cp "$work/types-gcc-O0-dw5" "$work/in-reg"
for args in "-J $work/in-fifo" "-J -j2 $work/in-fifo-link" "-J $work/in-sock" \
	    "-J --btf_extra_elf=$work/in-fifo $work/in-reg" \
	    "--btf_encode_detached=$nodir/a --btf_extra_elf=$work/in-fifo-link $work/in-reg"; do
	# shellcheck disable=SC2086
	out=$(timeout 5 "$btfenc" $args 2>&1); rc=$?
	[ $rc -ne 0 ] && [ $rc -ne 124 ] && [ $rc -lt 128 ] &&
		grep -q -- "$work/in-[a-z-]*: not a regular file" <<<"$out" && ok ||
		bad "btfenc $args: status $rc: $out"
done
cmp -s "$work/in-reg" "$work/types-gcc-O0-dw5" || bad "--btf_extra_elf on a FIFO: input changed"
# A regular input under a write lease (a Samba or NFS server's): btfenc waits for the
# holder to let go, as any reader does, rather than failing with EWOULDBLOCK.
if [ "$(cat /proc/sys/fs/leases-enable 2>/dev/null)" = 1 ]; then
	cp "$work/types-gcc-O0-dw5" "$work/leased"
	python3 - "$work/leased" > "$work/lease.out" <<'EOF_PY' &
import fcntl, os, signal, sys, time
fd = os.open(sys.argv[1], os.O_RDWR)
broken = []
signal.signal(signal.SIGIO, lambda sig, frame: broken.append(1))
fcntl.fcntl(fd, fcntl.F_SETLEASE, fcntl.F_WRLCK)
print("held", flush=True)
end = time.monotonic() + 20
while not broken and time.monotonic() < end:
    time.sleep(0.01)
time.sleep(0.5)
fcntl.fcntl(fd, fcntl.F_SETLEASE, fcntl.F_UNLCK)
print("broken" if broken else "never broken", flush=True)
EOF_PY
	holder=$!
	for _ in $(seq 200); do grep -q held "$work/lease.out" && break; sleep 0.05; done
	out=$(timeout 20 "$btfenc" --btf_encode_detached="$work/leased.btf" "$work/leased" 2>&1) &&
		[ -s "$work/leased.btf" ] && ok || bad "input under a lease: $out"
	wait "$holder"
	grep -q '^broken' "$work/lease.out" && ok ||
		bad "input under a lease: btfenc never broke it ($(cat "$work/lease.out"))"
else
	note "input under a lease: leases are disabled (/proc/sys/fs/leases-enable)"
fi
expect_error "device input" "/dev/zero: not a regular file" --btf_encode_detached="$nodir/a" \
	/dev/zero
expect_error "missing" "No such file" --btf_encode_detached="$nodir/a" "$work/missing"
expect_error "no DWARF" "no DWARF" --btf_encode_detached="$nodir/a" "$work/nodwarf"
expect_error "corrupt .debug_info" "$work/corrupt" --btf_encode_detached="$nodir/a" "$work/corrupt"
# A million lexical blocks nested in 2 MB of .debug_info: an error, not a stack overflow.
{ printf '%s\n' '.section .debug_abbrev,"",@progbits' 'abbrev: .uleb128 1, 0x11' '.byte 1' \
	'.uleb128 0x13, 0x0b' '.byte 0, 0' '.uleb128 2, 0x0b' '.byte 1, 0, 0, 0' \
	'.section .debug_info,"",@progbits' '.long 2f - 1f' '1: .short 4' '.long abbrev' \
	'.byte 8, 1, 0x0c' '.rept 1000000' '.byte 2' '.endr' '.fill 1000001, 1, 0' '2:'
} | as -o "$work/nested.o" - || bad "cannot assemble the nested DWARF"
expect_error "nested DIEs" "nested more than 4096 levels deep" \
	--btf_encode_detached="$nodir/a" "$work/nested.o"
# A struct of 65,540 members: BTF's 16-bit vlen cannot count them (it must not wrap).
{ echo 'struct big {'; seq -f ' char m%g;' 0 65539; echo '} big_var;'; } >"$work/wide.c"
gcc -g -O0 -c "$work/wide.c" -o "$work/wide.o" || bad "cannot build the 65,540-member struct"
expect_error "65,540 members" "struct 'big' has 65540 members, more than the 65535" \
	--btf_encode_detached="$nodir/a" "$work/wide.o"
expect_error "unwritable output" "$work/nodir/x" --btf_encode_detached="$work/nodir/x" \
	"$work/atomic"
expect_error "output is a directory" "is a directory" --btf_encode_detached="$nodir" "$work/atomic"
# Targets that are not regular files. A device or FIFO is written in place: a rename over
# /dev/null (as root) would leave a regular file where the device was.
mkdir -p "$work/special/real"
"$btfenc" --btf_encode_detached="$work/special/ref.btf" "$work/atomic" || bad "detached output"
if mknod -m 666 "$work/special/null" c 1 3 2>/dev/null; then
	"$btfenc" --btf_encode_detached="$work/special/null" "$work/atomic" &&
		[ -c "$work/special/null" ] && ok || bad "detached output replaced a device"
else
	note "detached output to a device: mknod not permitted here"
fi
mkfifo "$work/special/fifo"
timeout 20 cat "$work/special/fifo" > "$work/special/from-fifo" &
"$btfenc" --btf_encode_detached="$work/special/fifo" "$work/atomic" || bad "output to a FIFO"
wait
[ -p "$work/special/fifo" ] && cmp -s "$work/special/from-fifo" "$work/special/ref.btf" && ok ||
	bad "output to a FIFO: not the bytes, or the FIFO replaced"
# A symbolic link stays a link: the file it points to is replaced, for detached and -J.
echo old > "$work/special/real/out.btf"
ln -s real/out.btf "$work/special/link.btf"
"$btfenc" --btf_encode_detached="$work/special/link.btf" "$work/atomic" &&
	[ -L "$work/special/link.btf" ] &&
	cmp -s "$work/special/real/out.btf" "$work/special/ref.btf" && ok ||
	bad "detached output through a symbolic link"
cp "$work/atomic" "$work/special/real/obj"; ln -s real/obj "$work/special/link.obj"
cp "$work/atomic" "$work/special/plain.obj"
"$btfenc" -J "$work/special/plain.obj" && "$btfenc" -J "$work/special/link.obj" &&
	[ -L "$work/special/link.obj" ] && cmp -s "$work/special/real/obj" "$work/special/plain.obj" &&
	ok || bad "-J through a symbolic link"
ln -s nowhere "$work/special/dangling"
expect_error "dangling link" "a symbolic link btfenc cannot follow" \
	--btf_encode_detached="$work/special/dangling" "$work/atomic"
[ -z "$(ls -A "$work/special" | grep btfenc)" ] && ok || bad "a temporary file was left"
cp "$work/atomic" "$work/readonly"; chmod 444 "$work/readonly"
cp "$work/readonly" "$work/readonly.orig"
expect_error "read-only -J" "read-only" -J "$work/readonly"
cmp -s "$work/readonly" "$work/readonly.orig" && ok || bad "read-only input was modified"
cp "$work/corrupt" "$work/corrupt.orig"
expect_error "corrupt -J" "$work/corrupt" -J "$work/corrupt"
cmp -s "$work/corrupt" "$work/corrupt.orig" && ok || bad "-J on bad input modified it"
expect_error "two inputs, detached" "takes one input" --btf_encode_detached="$nodir/a" \
	"$work/atomic" "$work/atomic"
expect_error "unknown flag" "unrecognized option" --no-such-flag "$work/atomic"
expect_error "unknown language" "unknown language" --lang_exclude=klingon -J "$work/atomic"
"$btfenc" --supported_btf_features | tr , '\n' | grep -qx true_signature && ok ||
	bad "true_signature not in --supported_btf_features"
# A broken base: refused before libbpf reads it.
cp "$work/types-gcc-O0-dw5.f0.btfenc.btf" "$work/broken-base.btf"
printf '\xff\xff\xff\x7f' | dd of="$work/broken-base.btf" bs=1 seek=40 conv=notrunc 2>/dev/null
expect_error "broken base" "broken-base.btf" --btf_base "$work/broken-base.btf" \
	--btf_encode_detached="$nodir/a" "$work/atomic"
expect_error "base is not BTF" "$work/text" --btf_base "$work/text" \
	--btf_encode_detached="$nodir/a" "$work/atomic"
# The same with -j, where the base is read beside the encoding.
expect_error "broken base, -j2" "broken-base.btf" -j2 --btf_base "$work/broken-base.btf" \
	--btf_encode_detached="$nodir/a" "$work/atomic"
expect_error "missing base, -j2" "No such file" -j2 --btf_base "$work/missing.btf" \
	--btf_encode_detached="$nodir/a" "$work/atomic"
cp "$work/atomic" "$work/atomic-j"
expect_error "broken base, -J -j2" "broken-base.btf" -J -j2 --btf_base "$work/broken-base.btf" \
	"$work/atomic-j"
cmp -s "$work/atomic" "$work/atomic-j" && ok || bad "-J -j2 on a broken base modified the input"
[ -z "$(ls -A "$nodir")" ] && ok || bad "error paths left files behind: $(ls -A "$nodir")"
[ -z "$(ls -A "$work" | grep btfenc-)" ] && ok || bad "temporary files left behind"

# --- 5. pahole-compatible CLI ----------------------------------------------------------
[ "$(BTFENC_PAHOLE_COMPAT= "$btfenc" --version)" = v1.31 ] && ok || bad "--version is not v1.31"
[ "$(BTFENC_PAHOLE_COMPAT= "$btfenc" --numeric_version)" = 131 ] && ok ||
	bad "--numeric_version is not 131"
[ "$(BTFENC_PAHOLE_COMPAT=1.24 "$btfenc" --version)" = v1.24 ] && ok ||
	bad "--version is not v1.24 in the compatibility behaviour"
[ "$("$btfenc" --pahole_compat=1.24 --numeric_version)" = 124 ] && ok ||
	bad "--pahole_compat=1.24 --numeric_version is not 124"
"$btfenc" -j --btf_gen_floats --lang_exclude=rust --btf_encode_detached="$work/k61.btf" \
	"$work/types-gcc-O2-dw5" && ok || bad "kernel 6.1 vmlinux flags rejected"
"$btfenc" --supported_btf_features | grep -q '^encode_force,var,float' && ok ||
	bad "--supported_btf_features"
"$btfenc" --btf_features=default --btf_encode_detached="$work/feat.btf" "$work/types-gcc-O0-dw5" &&
	canon "$work/feat.btf" | grep -q '^float double' && ok ||
	bad "--btf_features=default must include float"
"$btfenc" --btf_gen_floats --btf_features=var --btf_encode_detached="$work/feat2.btf" \
	"$work/types-gcc-O0-dw5" && ! canon "$work/feat2.btf" | grep -q '^float ' && ok ||
	bad "--btf_features must reset flags given before it (pahole's order rule)"

# pahole 1.26+ function rules: optimized_func matches foo.isra.0 / foo.constprop.0 to foo
# (pahole 1.31: the compatibility behaviour); pahole master drops it when the clone left
# a parameter out (its signature changed), and says why under -V. consistent_func drops
# a name whose units disagree on its prototype (dup(int) vs dup(long, long); here also
# at two addresses), and says why under -V.
gcc -g -O2 -o "$work/isra" "$fix/isra.c"
if nm "$work/isra" | grep -q ' scaled\.'; then
	out=$("$btfenc" -V --btf_features=var,optimized_func \
		--btf_encode_detached="$work/isra-master.btf" "$work/isra" 2>&1)
	"$btfenc" --btf_encode_detached="$work/isra124.btf" "$work/isra" &&
	"$btfenc" --pahole_compat=1.24 --btf_features=var,optimized_func \
		--btf_encode_detached="$work/isra131.btf" "$work/isra" &&
	! canon "$work/isra124.btf" | grep -q '^func scaled ' &&
	canon "$work/isra131.btf" | grep -q '^func scaled ' && ok ||
		bad "optimized_func (compatibility) does not match scaled.isra/constprop to scaled"
	grep -q "function 'scaled' left out: optimized-out parameters in a changed signature" \
		<<<"$out" && ! canon "$work/isra-master.btf" | grep -q '^func scaled ' &&
		canon "$work/isra-master.btf" | grep -q '^func use_scaled ' && ok ||
		bad "optimized_func: scaled.constprop.0 dropped an argument, scaled kept: $out"
else
	note "gcc made no suffixed clone of scaled()"
fi
gcc -g -O2 -o "$work/dup-o2" "$fix/dup_a.c" "$fix/dup_b.c"
out=$("$btfenc" -V --btf_features=var,optimized_func,consistent_func \
	--btf_encode_detached="$work/cons.btf" "$work/dup-o2" 2>&1)
grep -q "function 'dup' left out: " <<<"$out" &&
	! canon "$work/cons.btf" | grep -q '^func dup ' && canon "$work/cons.btf" | grep -q '^func from_a ' &&
	ok || bad "consistent_func: dup() with two prototypes not left out with its reason"
# Without consistent_func pahole 1.31 writes every name; pahole master still drops one
# whose symbols have several addresses.
"$btfenc" --pahole_compat=1.24 --btf_features=var,optimized_func \
	--btf_encode_detached="$work/opt.btf" "$work/dup-o2" &&
	[ "$(canon "$work/opt.btf" | grep -c '^func dup ')" = 1 ] && ok ||
	bad "optimized_func alone (compatibility): expected one FUNC dup"
"$btfenc" --btf_features=var,optimized_func --btf_encode_detached="$work/opt.btf" "$work/dup-o2" &&
	[ "$(canon "$work/opt.btf" | grep -c '^func dup ')" = 0 ] && ok ||
	bad "optimized_func alone: dup at two addresses kept"
for j in 1 3; do
	BTFENC_CHUNK_BYTES=64 "$btfenc" -j$j --btf_features=default \
		--btf_encode_detached="$work/cf-$j.btf" "$big" 2>/dev/null
done
cmp -s "$work/cf-1.btf" "$work/cf-3.btf" && ok || bad "consistent_func output depends on -j"
kernel_check consistent "$work/cf-3.btf"

# The function rules and global variables read and extend the merged records themselves
# (btf_encoder/merge.h, merger__type_by_id()), in one chunk or several; with libbpf's
# dedup (BTFENC_DEDUP=libbpf, libbpf 1.1.2's rules: the compatibility behaviour), a
# libbpf object of them. The same bytes: arena kfuncs' attribute types, kfunc tags, every
# global variable and a module split on a base included.
fr=encode_force,var,float,enum64,decl_tag,type_tag,optimized_func,consistent_func
# fr_same NAME A B: both outputs written (exit 0) and equal; both removed.
fr_same() {
	[ "$2" = 0 ] && [ "$3" = 0 ] && cmp -s "$work/fr-a.btf" "$work/fr-b.btf" && ok || bad "$1"
	rm -f "$work/fr-a.btf" "$work/fr-b.btf"
}
for cc in gcc clang; do
	if ! { $cc -g -O2 -c "$fix/kfuncs_arena.c" -o "$work/fr-a.o" 2>/dev/null &&
		$cc -g -O2 -c "$fix/func_rules.c" -o "$work/fr-b.o" &&
		$cc -g -O2 -c "$fix/dup_a.c" -o "$work/fr-c.o" &&
		ld -r -o "$work/fr.o" "$work/fr-a.o" "$work/fr-b.o" "$work/fr-c.o"; }; then
		bad "function rules: cannot build the object ($cc)"
		continue
	fi
	for feats in $fr $fr,decl_tag_kfuncs,attributes,true_signature $fr,global_var; do
		for base in "" "$work/det-1.btf"; do
			args=(--btf_features=$feats ${base:+--btf_base "$base"})
			what="$cc, $feats${base:+, split}"
			"$btfenc" "${args[@]}" --btf_encode_detached="$work/fr-a.btf" "$work/fr.o"
			a=$?
			chunks=$(BTFENC_CHUNK_BYTES=64 "$btfenc" -j2 --stats "${args[@]}" \
				--btf_encode_detached="$work/fr-b.btf" "$work/fr.o" 2>&1 |
				sed -n 's/.* in \([0-9]*\) chunks.*/\1/p')
			[ "${chunks:-0}" -gt 1 ] && b=0 || b=1
			fr_same "function rules, $chunks chunks ($what)" $a $b
			for cb in 64 0; do
				c124=(env BTFENC_PAHOLE_COMPAT=1.24 BTFENC_CHUNK_BYTES=$cb)
				"${c124[@]}" "$btfenc" -j2 "${args[@]}" \
					--btf_encode_detached="$work/fr-a.btf" "$work/fr.o" \
					2>/dev/null
				a=$?
				"${c124[@]}" BTFENC_DEDUP=libbpf "$btfenc" -j2 "${args[@]}" \
					--btf_encode_detached="$work/fr-b.btf" "$work/fr.o" \
					2>/dev/null
				fr_same "function rules, libbpf's object, $cb ($what)" $a $?
			done
		done
	done
done

# A 32-bit input: a pointer is 4 bytes, the ELF's class, on every path (libbpf guesses
# from a type named long, or takes the host's): its pointer globals are kept, with the
# same bytes for -j1 and -j2, one chunk and several, records and libbpf's objects.
printf 'long l;\nint x;\nint *gp = &x;\nchar *names[3];\nint f(void) { return *gp + l; }\n' \
	> "$work/p32a.c"
printf 'int y;\nint *gq = &y;\nint g(void) { return *gq; }\n' > "$work/p32b.c"
if clang --target=i386-linux-gnu -g -O2 -c "$work/p32a.c" -o "$work/p32a.o" &&
	clang --target=i386-linux-gnu -g -O2 -c "$work/p32b.c" -o "$work/p32b.o" &&
	ld -m elf_i386 -r -o "$work/p32.o" "$work/p32a.o" "$work/p32b.o"; then
	"$btfenc" --btf_features=default,global_var --btf_encode_detached="$work/fr-a.btf" \
		"$work/p32.o"
	a=$?
	canon "$work/fr-a.btf" | grep -q '^var names ' && ok ||
		bad "32-bit input: pointer global 'names' left out"
	BTFENC_CHUNK_BYTES=64 "$btfenc" -j2 --btf_features=default,global_var \
		--btf_encode_detached="$work/fr-b.btf" "$work/p32.o"
	fr_same "32-bit input: -j2 over small chunks" $a $?
	for cb in 64 0; do
		c124=(env BTFENC_PAHOLE_COMPAT=1.24 BTFENC_CHUNK_BYTES=$cb)
		"${c124[@]}" "$btfenc" --btf_features=default,global_var \
			--btf_encode_detached="$work/fr-a.btf" "$work/p32.o" 2>/dev/null
		a=$?
		"${c124[@]}" BTFENC_DEDUP=libbpf "$btfenc" --btf_features=default,global_var \
			--btf_encode_detached="$work/fr-b.btf" "$work/p32.o" 2>/dev/null
		fr_same "32-bit input: libbpf's object, chunks of $cb" $a $?
	done
else
	bad "32-bit input: cannot build it with clang --target=i386-linux-gnu"
fi

# uncertain_parm_loc: a packed struct passed on the stack past the registers.
gcc -g -O2 -o "$work/packed_arg" "$fix/packed_arg.c"
out=$("$btfenc" -V --btf_features=var,consistent_func --btf_encode_detached="$work/pk.btf" \
	"$work/packed_arg" 2>&1)
grep -q "'takes_packed' left out: a packed struct passed on the stack" <<<"$out" &&
	canon "$work/pk.btf" | grep -q '^func takes_plain ' && ok ||
	bad "consistent_func: takes_packed(..., struct pk) not left out: $out"

# An object without a function under the function rules: nothing to sort (under UBSan, the
# sanitizer build of this suite, qsort() of a NULL array stopped it), and no FUNC.
printf 'int only_a_variable = 42;\n' > "$work/nofunc.c"
gcc -g -c "$work/nofunc.c" -o "$work/nofunc.o" &&
	"$btfenc" --btf_features=optimized_func,consistent_func \
		--btf_encode_detached="$work/nofunc.btf" "$work/nofunc.o" &&
	! canon "$work/nofunc.btf" | grep -q '^func ' && ok ||
	bad "function rules on an object without functions"

# decl_tag_kfuncs: "bpf_kfunc" on the functions of a kfunc set8 in .BTF_ids, not others;
# none without decl_tag (pahole writes kfunc tags only when it writes DECL_TAGs).
gcc -g -O2 -o "$work/kfuncs" "$fix/kfuncs.c"
"$btfenc" --btf_features=var,decl_tag_kfuncs --btf_encode_detached="$work/kf.btf" "$work/kfuncs"
canon "$work/kf.btf" | grep -q 'decl_tag(bpf_kfunc)' && bad "bpf_kfunc tags without decl_tag" || ok
"$btfenc" --btf_features=var,decl_tag,decl_tag_kfuncs --btf_encode_detached="$work/kf.btf" \
	"$work/kfuncs"
[ "$(canon "$work/kf.btf" | grep -c '^decl_tag(bpf_kfunc)->func bpf_kfunc_[ab] ')" = 2 ] &&
	! canon "$work/kf.btf" | grep -q 'bpf_kfunc)->func plain_func' && ok ||
	bad "decl_tag_kfuncs: expected bpf_kfunc tags on bpf_kfunc_a and bpf_kfunc_b only"
"$btfenc" --btf_features=var --btf_encode_detached="$work/kf0.btf" "$work/kfuncs" &&
	! canon "$work/kf0.btf" | grep -q 'decl_tag(bpf_kfunc)' && ok ||
	bad "bpf_kfunc tags without decl_tag_kfuncs"
kernel_check kfuncs "$work/kf.btf"

finish e2e
