#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Installs the Debian packages btfenc builds and tests with, when any is missing;
# packages named as arguments are added to the list (tests/kbuild asks for its own).
set -euo pipefail

pkgs=(gcc clang make pkg-config libdw-dev libelf-dev libbpf-dev zlib1g-dev libcmocka-dev
      dwarves bpftool time man-db binutils jq bc python3 lld llvm g++ "$@")

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: not root; run: sudo apt-get install ${missing[*]}" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
