#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Break one type reference in a raw (split) BTF blob, in place.

Usage: btf_corrupt.py SPLIT.btf BASE.btf STRUCT
       btf_corrupt.py SPLIT.btf BASE.btf var:NAME

The first member of struct STRUCT (looked up in SPLIT's own types), or the VAR NAME, gets
type ID BTF_MAX_TYPE + 1. Out of range for any BTF, and rejected by the kernel's meta check
(btf_struct_check_meta, btf_var_check_meta: "Invalid type_id"), the only check a 6.1 kernel applies to vmlinux and
module BTF (btf_parse_module runs btf_check_all_metas, not the type resolution that
BPF_BTF_LOAD does): an ID merely past the last type passes there. Little-endian only (the
x86_64 test kernel).
"""
import struct
import sys

HDR = struct.Struct("<HBBIIIII")
BTF_MAGIC = 0xEB9F
# Bytes that follow struct btf_type, per kind: (fixed, per vlen entry).
TRAILER = {
    1: (4, 0), 2: (0, 0), 3: (12, 0), 4: (0, 12), 5: (0, 12), 6: (0, 8), 7: (0, 0),
    8: (0, 0), 9: (0, 0), 10: (0, 0), 11: (0, 0), 12: (0, 0), 13: (0, 8), 14: (4, 0),
    15: (0, 12), 16: (0, 0), 17: (4, 0), 18: (0, 0), 19: (0, 12),
}
KIND_STRUCT = 4
KIND_VAR = 14
BTF_MAX_TYPE = 0x000FFFFF  # include/uapi/linux/btf.h


def parse(blob, what):
    magic, _ver, _flags, hdr_len, type_off, type_len, str_off, str_len = HDR.unpack_from(blob)
    if magic != BTF_MAGIC:
        sys.exit(f"btf_corrupt: {what}: not little-endian raw BTF (magic {magic:#x})")
    types = hdr_len + type_off
    strs = hdr_len + str_off
    records = []  # (byte offset of struct btf_type, kind, vlen, name_off)
    pos = types
    while pos < types + type_len:
        name_off, info, _ = struct.unpack_from("<III", blob, pos)
        kind, vlen = (info >> 24) & 0x1F, info & 0xFFFF
        if kind not in TRAILER:
            sys.exit(f"btf_corrupt: {what}: unknown kind {kind} at byte {pos}")
        records.append((pos, kind, vlen, name_off))
        fixed, per = TRAILER[kind]
        pos += 12 + fixed + per * vlen
    return records, blob[strs:strs + str_len], str_len


def cstr(table, off):
    end = table.index(b"\0", off)
    return table[off:end].decode()


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    split_path, base_path, target = sys.argv[1:]
    base, base_strs, base_str_len = parse(open(base_path, "rb").read(), base_path)
    blob = bytearray(open(split_path, "rb").read())
    own, own_strs, _ = parse(bytes(blob), split_path)
    start_id = len(base) + 1  # type 0 is void
    bad_id = BTF_MAX_TYPE + 1

    def name(off):
        if off < base_str_len:
            return cstr(base_strs, off)
        return cstr(own_strs, off - base_str_len)

    if target.startswith("var:"):
        var = target[4:]
        for idx, (pos, kind, _vlen, name_off) in enumerate(own):
            if kind != KIND_VAR or name(name_off) != var:
                continue
            v_type = struct.unpack_from("<I", blob, pos + 8)[0]
            struct.pack_into("<I", blob, pos + 8, bad_id)
            open(split_path, "wb").write(blob)
            print(f"btf_corrupt: VAR {var} [id {start_id + idx}]: type {v_type} -> {bad_id}",
                  file=sys.stderr)
            return 0
        sys.exit(f"btf_corrupt: no VAR {var} in {split_path}'s own types")

    for idx, (pos, kind, vlen, name_off) in enumerate(own):
        if kind != KIND_STRUCT or vlen == 0 or name(name_off) != target:
            continue
        member = pos + 12  # struct btf_member {name_off, type, offset}
        m_name, m_type = struct.unpack_from("<II", blob, member)
        struct.pack_into("<I", blob, member + 4, bad_id)
        open(split_path, "wb").write(blob)
        print(f"btf_corrupt: struct {target} [id {start_id + idx}] member "
              f"'{name(m_name)}': type {m_type} -> {bad_id} (last valid id "
              f"{start_id + len(own) - 1})", file=sys.stderr)
        return 0
    sys.exit(f"btf_corrupt: no struct {target} with members in {split_path}'s own types")


if __name__ == "__main__":
    sys.exit(main())
