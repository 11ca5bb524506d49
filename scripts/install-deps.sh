#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Installs the Debian packages btfenc builds and tests with, when any is missing.
# Usage: install-deps.sh [build|check] [PACKAGE...]
#   build   what make and make demo need: the compiler, the libraries' -dev packages,
#           binutils, GNU time
#   check   (the default) build's and the test tools: cmocka, clang, ld.lld, llvm, g++,
#           bpftool, pahole (dwarves, the oracle), jq, bc, python3, man-db, xfsprogs (a
#           filesystem that shares blocks between files, for the writers' tests)
# Packages named after it are added to the list (tests/kbuild asks for its own).
set -euo pipefail

target=check
case ${1:-} in build|check) target=$1; shift ;; esac
pkgs=(gcc make pkg-config libdw-dev libelf-dev libbpf-dev zlib1g-dev binutils time)
[ "$target" = build ] ||
	pkgs+=(libcmocka-dev clang lld llvm g++ bpftool dwarves jq bc python3 man-db xfsprogs)
pkgs+=("$@")

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: missing for make $target${*:+ (and asked for: $*)}: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: not root; run: sudo apt-get install ${missing[*]}" >&2
	exit 1
fi
echo "install-deps: installing them and what they depend on with apt-get; on a fresh" \
	"Debian this downloads up to a few hundred MB (clang and llvm for make check) and may" \
	"take minutes"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# apt's own lines stay: what it fetches (and how much), what it sets up.
apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "install-deps: installed ${missing[*]}"
