/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dump: BTF as text, for btfenc dump's formats: the canonical text
 * (dump.c), bpftool's raw listing (dump_raw.c), a C header (dump_c.c) and
 * pahole's struct layout (layout*.c). Each function below states its own
 * format; this comment is the canonical one's.
 *
 * Canonical contract: one line per type, lines sorted bytewise, duplicates kept. A line
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
 *   kindK NAME vlen=V kflag=F               a record of kind K, one btfenc
 *                                           does not know (stepped over with
 *                                           a layout section, reader.h): what
 *                                           its struct btf_type says; referred
 *                                           to as "kindK NAME" when named
 * Example: "struct list_head size=16 kflag=0 {next:ptr(struct list_head)@0,
 * prev:ptr(struct list_head)@64}".
 */
#ifndef BTFENC_DUMP_H
#define BTFENC_DUMP_H

#include <stdint.h>
#include <stdio.h>

struct btf;
struct diag;

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

/*
 * dump__type_text - the canonical line of the one type @id, as
 * dump__canonical() writes it (without the '\n').
 * @text: receives a malloc'd string the caller frees; untouched on error.
 * Returns 0, or dump__canonical()'s errors (-EINVAL, -ENOMEM).
 */
int dump__type_text(const struct btf *btf, uint32_t id, char **text);

/*
 * dump__kind_name - bpftool's upper-case name of a BTF kind ("STRUCT");
 * "UNKNOWN_KIND_N" for a kind btfenc does not know (N up to 127, as 7 bits
 * of kind number them); "UNKNOWN" for 0.
 */
const char *dump__kind_name(unsigned int kind);

/*
 * dump__raw - types @start_id.. with their IDs, in bpftool 7.1's raw format.
 * @json: 0 for text: "[ID] KIND 'NAME' field=value..." with members,
 *	parameters, enumerators and section entries on the following lines,
 *	each after a tab; "(anon)" for no name. 1 for bpftool -j's document:
 *	{"types":[{"id":ID,"kind":"KIND","name":"NAME",...},...]} on one line,
 *	the same fields as in the text (an unsigned ENUM value is written as
 *	an unsigned 32-bit number, where bpftool sign-extends it). A TYPE_TAG
 *	or DECL_TAG with kind_flag 1 (an __attribute__ body) ends in "kflag=1"
 *	("kflag":1), which bpftool 7.1 does not write.
 * @btf must have passed reader__check() (the chain of reader.h).
 * Returns 0, or -EIO when writing to @out failed.
 */
int dump__raw(const struct btf *btf, uint32_t start_id, int json, FILE *out);

/*
 * dump__c - a C header that declares types @start_id.. and every type they
 * use, from lower layers too (libbpf's btf_dump, as `bpftool btf dump
 * format c` does), so that it compiles on its own:
 *   #ifndef GUARD / #define GUARD, then BPF CO-RE's
 *   #pragma clang attribute push (__attribute__((preserve_access_index)),
 *   apply_to = record) unless BPF_NO_PRESERVE_ACCESS_INDEX is defined, the
 *   types in an order C accepts (btf_dump emits what a type needs before
 *   it, forward-declaring what is reached through pointers), and the
 *   matching pop and #endif. A TYPE_TAG is written
 *   __attribute__((btf_type_tag("TEXT"))), or __attribute__((TEXT)) when its
 *   kind_flag is 1.
 * @guard: the include guard macro; bpftool always writes "__VMLINUX_H__".
 * FUNC, VAR, DATASEC and DECL_TAG have no C text here (btf_dump types only).
 * A type of a kind btfenc does not know (reader.h), and one whose C text
 * would need such a type, are left out, each with a comment that says so;
 * so is a type from which libbpf's btf_dump would reach a loop of references
 * (one the kernel accepts, through a FUNC_PROTO) that is not broken by a
 * named struct or union reached through a pointer: C cannot spell it, and
 * btf_dump would recurse without end; and so is a struct or union btf_dump
 * cannot lay out (of 256 MiB or more, or with a member of an int of size 0),
 * and what holds one by value.
 * Returns 0, btf_dump's error (-ENOMEM, -EINVAL), or -EIO.
 */
int dump__c(const struct btf *btf, uint32_t start_id, const char *guard, FILE *out);

/* What dump__layout() prints, and how. */
struct layout_opts {
	const char *const *names;	/* only structs and unions of these names; NULL: all */
	size_t nnames;
	unsigned int cacheline;		/* cacheline size in bytes; 0: 64 */
	int json;			/* one JSON document instead of the text */
	const struct diag *diag;	/* for the -ENOENT message; NULL: stderr */
};

/*
 * dump__layout - pahole's classic view of structs and unions: each member
 * with its offset and size, holes, padding and cacheline boundaries; see
 * layout.c's design note for the rules.
 * @start_id: first type ID for the unfiltered listing (the top layer);
 *	@o->names are looked up in the whole chain.
 * Writes every named struct and union from @start_id on, in ID order, or
 * every one named in @o->names.
 * @o->json: {"cacheline":64,"types":[{"name","id","cachelines","kind","size",
 *	"padding","bit_padding","members":[{"name","type","offset","size",
 *	and for a bitfield "bit_offset","bitfield_size", "hole_after" and
 *	"bit_hole_after" when not 0, "kind","members"... for an anonymous
 *	struct or union}]}]}; offsets in bytes from the outermost struct.
 * Returns 0; -ENOENT (with no output, after a message naming it) when a
 * name in @o->names matches no struct or union; -EINVAL for a type that
 * does not resolve; -ENOMEM; -EIO.
 */
int dump__layout(const struct btf *btf, uint32_t start_id, const struct layout_opts *o,
		 FILE *out);

#endif
