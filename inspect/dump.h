/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dump: the canonical, ID-independent text of a BTF.
 *
 * Contract: one line per type, lines sorted bytewise, duplicates kept. A line
 * holds no type ID and no string offset, so two BTFs with the same types in
 * another order, or with other IDs, give byte-identical output; that makes
 * `diff` of two dumps a semantic BTF diff and line counts a per-type count.
 *
 * Thread-safety: no shared state; dumping one struct btf from several threads
 * at once is safe (libbpf's lookups do not write).
 *
 * Line format. Names and string values are written as stored, except that a
 * backslash, bytes below 0x20 and 0x7f are written as \xHH, so one line is one
 * type. A reference to type T, written R below, is:
 *   void                        ID 0
 *   int NAME, float NAME, struct NAME, union NAME, enum NAME, enum64 NAME,
 *   fwd struct NAME, fwd union NAME, typedef NAME, func NAME, var NAME,
 *   datasec NAME                T of that kind with a non-empty name
 *   T's own line text           any other T (PTR, CONST, VOLATILE, RESTRICT,
 *                               TYPE_TAG, ARRAY, FUNC_PROTO, DECL_TAG, and
 *                               anonymous struct/union/enum), expanded inline
 *   ...                         past 32 nested expansions (only odd BTF
 *                               loops through anonymous types; see
 *                               reader.h) or past 1 MiB of line
 * A type's own line, by kind:
 *   int NAME size=S bits=B off=O enc=E      E: none, signed, char, bool, or
 *                                           flags joined by '+'
 *   float NAME size=S
 *   ptr(R)  const(R)  volatile(R)  restrict(R)
 *   type_tag(VALUE)->R                      type_tag(VALUE,attr)->R if kind_flag
 *   array(R,[N],idx=R)
 *   struct NAME size=S kflag=K {M, M, ...}  union alike; an anonymous one has
 *                                           no NAME: "struct size=S kflag=K {...}"
 *     M: NAME:R@BITOFF, or NAME:R@BITOFF:BITS for a bitfield (kflag=1 and
 *     BITS != 0); an anonymous member has an empty NAME
 *   enum NAME size=S unsigned {A=0, B=1}    "signed" if kind_flag, values
 *   enum64 NAME size=S signed {A=-1}        printed with that signedness
 *   fwd struct NAME   fwd union NAME
 *   typedef NAME = R
 *   func NAME LINKAGE R                     LINKAGE: static, global, extern or
 *                                           linkage=N; R is the prototype
 *   proto(R; NAME: R, R, ...)               return type, then parameters; an
 *                                           unnamed one has no "NAME: ",
 *                                           varargs are "...", none: "proto(R;)"
 *   var NAME LINKAGE R                      LINKAGE: static, global, extern
 *   datasec NAME size=S {E, E, ...}         E: VARNAME@OFFSET+SIZE, in stored
 *                                           order; an entry that is not a VAR
 *                                           is written as R
 *   decl_tag(VALUE)->R idx=I                decl_tag(VALUE,attr) if kind_flag;
 *                                           R of a FUNC or VAR target is
 *                                           "func NAME"/"var NAME"
 * Example: "struct list_head size=16 kflag=0 {next:ptr(struct list_head)@0,
 * prev:ptr(struct list_head)@64}".
 */
#ifndef BTFENC_DUMP_H
#define BTFENC_DUMP_H

#include <stdint.h>
#include <stdio.h>

struct btf;

/*
 * dump__canonical - write the canonical text of types @start_id.. of @btf.
 * @btf: any parsed BTF; for a chain, its flat BTF.
 * @start_id: first type ID to write: 1 (or 0) for all; for the top layer of a
 *	chain, layers[n - 1].start_id. Referenced types below it are still
 *	written as references. Past the last ID: no output.
 * @out: stream the lines go to, each ending in '\n'; nothing is written on
 *	an error found before output starts.
 *
 * Returns 0; -EINVAL when a type ID or name offset does not resolve or a kind
 * is unknown (BTF not checked by reader__check()); -ENOMEM; -EIO when
 * writing to @out failed.
 */
int dump__canonical(const struct btf *btf, uint32_t start_id, FILE *out);

#endif
