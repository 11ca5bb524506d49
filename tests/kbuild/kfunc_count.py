#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""kfunc_count.py VMLINUX: the number of distinct kfuncs the kernel's .BTF_ids lists and
the image has code for (an STT_FUNC symbol of that name, or name.suffix).

A kfunc set is a __BTF_ID__set8__NAME symbol in .BTF_ids whose struct btf_id_set8 flags
(the word after cnt) have BTF_SET8_KFUNCS (1); every __BTF_ID__func__NAME__N symbol inside
its range names a kfunc (the kernel's include/linux/btf_ids.h). Read with readelf, so the
count is the kernel's own, independent of btfenc's reading of the same section."""
import re
import subprocess
import sys


def main(path):
    secs = subprocess.run(['readelf', '-SW', path], capture_output=True, text=True,
                          check=True).stdout
    m = re.search(r'\]\s+\.BTF_ids\s+\S+\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)', secs)
    if not m:
        print(0)
        return
    addr, off, size = (int(x, 16) for x in m.groups())
    idx = re.search(r'\[\s*(\d+)\]\s+\.BTF_ids', secs).group(1)
    with open(path, 'rb') as f:
        f.seek(off)
        data = f.read(size)
    big = open(path, 'rb').read(6)[5] == 2
    syms = []
    funcs = set()
    out = subprocess.run(['readelf', '-sW', path], capture_output=True, text=True,
                         check=True).stdout
    for line in out.splitlines():
        p = line.split()
        if len(p) == 8 and p[6] == idx:
            syms.append((int(p[1], 16), int(p[2], 0), p[7]))
        elif len(p) == 8 and p[3] == 'FUNC':
            funcs.add(p[7].split('.')[0])
    sets = []
    for value, sz, name in syms:
        if name.startswith('__BTF_ID__set8__'):
            o = value - addr + 4
            flags = int.from_bytes(data[o:o + 4], 'big' if big else 'little')
            if flags & 1:
                sets.append((value, value + sz))
    names = set()
    for value, _, name in syms:
        if name.startswith('__BTF_ID__func__') and any(a <= value < b for a, b in sets):
            names.add(re.sub(r'__\d+$', '', name[len('__BTF_ID__func__'):]))
    # A set may list a function this configuration does not build: no FUNC to tag.
    names &= funcs
    print(len(names))


main(sys.argv[1])
