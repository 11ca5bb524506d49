/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * reader: reading BTF from files and memory, checking it before libbpf sees
 * it, and loading base chains of any depth.
 *
 * Contract: bytes from a file are untrusted. libbpf 1.1.2 has no sanity pass
 * (btf_sanity_check() came in libbpf 1.3.0, commit 2dbdd3b5 "libbpf: Add
 * basic BTF sanity validation"): a corrupted blob can crash any walk of its
 * parse. So every layer goes through reader__check(), which applies the
 * kernel's btf_parse() rules that can be checked offline, before btf__new()
 * ever sees it. A struct btf that this module hands out is safe to walk:
 * every type record lies in its section, every type ID and string offset is
 * in range, and every reference loop passes through a pointer to a struct or
 * union or through a function prototype, as the kernel requires (such a loop
 * can still run through anonymous types only, so recursive walks need a depth
 * limit, as libbpf's have).
 *
 * Chains: layer k of a chain is split BTF on layers 0..k-1. libbpf 1.1.2
 * gets string offsets of split-on-split BTF wrong (a split BTF's strings start
 * after its own base's only; fixed in libbpf 1.6.0, commit 8df8d67f, and for
 * parsing in 1.7.0, commit 0e14a12a), so the chain is flattened into one
 * non-split struct btf: types of all layers concatenated root first, strings
 * concatenated root first, under one new header of 24 bytes (Linux 6.1's,
 * which libbpf 1.1.2 reads in either byte order; a layer's layout section,
 * which only says how long records are, is not carried over: btf_layer keeps
 * its size). Type IDs and string offsets of every layer are then exactly the
 * absolute ones it has on disk. To encode a new layer on top of a chain, use
 * btf__new_empty_split(chain->flat).
 *
 * Formats newer than libbpf 1.1.2. btfenc reads BTF with Debian's libbpf
 * 1.1.2, which predates what Linux 7.x kernels publish; the reader checks
 * those formats by their published rules and hands libbpf a form it parses,
 * keeping every type ID and string offset:
 * - the 32-byte header and its layout section (Linux 7.1; libbpf commits
 *   462733ec, 87896082; format.h) are checked like the other sections and
 *   left out of the flat BTF, whose header has 24 bytes;
 * - the info word is read with a 24-bit vlen and a 7-bit kind (libbpf
 *   commit 9801e029). A known kind's record whose vlen needs more than 16
 *   bits is refused with -ENOTSUP and a message that says it is valid but
 *   beyond libbpf 1.1.2: libbpf would read its vlen short and lose its way;
 * - a record of a kind btfenc does not know (above ENUM64) is stepped over
 *   with the layout section's entry for its kind, the layer's own or else
 *   the nearest lower layer's (libbpf: split BTF uses its base's layout);
 *   without one it is an error, as is kind 0. Nothing in it but its name is
 *   checked (which of its words are type IDs is not known), and in the flat
 *   BTF it becomes a 12-byte stand-in that libbpf parses and no walk looks
 *   into (flatten.c), so that every type ID stays where it was;
 *   reader__unknown_kind() tells a stand-in apart and gives back the
 *   record's kind, kind_flag and vlen, chain__record_bytes() its size, and
 *   the inspection commands name it "kind N" or UNKNOWN_KIND_N;
 * - kind_flag on a DECL_TAG or TYPE_TAG (an __attribute__ body rather than
 *   a btf_decl_tag/btf_type_tag string; libbpf commit 2b8b896b) is valid;
 * - BTF sorted by name (Linux 7.0's resolve_btfids: decl tags before their
 *   targets, references forward) is read as any order: no rule here wants
 *   a referenced type to come first, as none of the kernel's does;
 * - a module whose .BTF is split on a distilled base of its own (.BTF.base,
 *   libbpf 1.5's btf__distill_base()), which libbpf 1.1.2 cannot relocate,
 *   is relocated here as the kernel does it (reader__relocate()) onto the
 *   layers below it in a chain, or read on its .BTF.base without them.
 *
 * Errors: functions return 0 or a negative errno and write one line naming
 * the file (or layer name) and, for bad type records, the type ID and kind to
 * the diag sink @d (NULL: stderr).
 *
 * Thread-safety: no shared state; distinct objects may be used from distinct
 * threads. A struct btf_chain is read-only after chain__load*(), so several
 * threads may read one chain at once (libbpf's lookups do not write). For an
 * ELF, reader__read_file() calls elf_version(EV_CURRENT), which sets libelf's
 * process-wide version to the same value every time.
 */
#ifndef BTFENC_READER_H
#define BTFENC_READER_H

#include <stddef.h>
#include <stdint.h>

struct btf;
struct btf_type;
struct diag;
struct kind_layout;

/* One layer of a chain as it was read. */
struct btf_layer {
	char *path;		/* owned copy of the file path or layer name */
	uint32_t start_id;	/* first type ID of this layer (1 for the root) */
	uint32_t nr_types;	/* types in this layer */
	uint32_t start_str;	/* absolute string offset where this layer's strings start */
	uint32_t str_len;	/* this layer's string section length */
	uint32_t hdr_len;	/* its header's (24, or 32 with a layout section's place) */
	uint32_t layout_len;	/* its layout section's bytes (format.h); 0 if none */
	/* The layout section its records are stepped over with: its own, else the
	 * nearest lower layer's (owned copy), or NULL; nr_layout entries. */
	struct kind_layout *layout;
	uint32_t nr_layout;
	uint32_t crc;		/* zlib crc32 of this layer's raw bytes (header+types+strings) */
	int big_endian;		/* the layer's bytes are big-endian */
};

struct chain_files;

/* BTF layers root first, flattened into one non-split struct btf. */
struct btf_chain {
	struct btf *flat;	/* every layer's types and strings, concatenated; owned */
	struct btf_layer *layers;	/* nlayers entries, root first; owned */
	size_t nlayers;
	struct chain_files *files;	/* the layers' bytes as read (chain__read()), or NULL */
};

/*
 * reader__read_file - read the raw BTF bytes of a file.
 * @path: a raw BTF file (e.g. written by --btf_encode_detached), a sysfs file
 *	such as /sys/kernel/btf/vmlinux (raw), or an ELF file whose .BTF section
 *	is taken (decompressed if SHF_COMPRESSED).
 * @d: diagnostics sink, NULL for stderr.
 * @data, @size: on success, a malloc'd copy of the BTF bytes (the caller
 *	frees it with free()) and its length. Untouched on error.
 *
 * The bytes are checked only for their magic and, for a raw file, that the
 * sections its header describes fit in it; pass them to reader__check() or
 * chain__load_mem(). An ELF with a .BTF.base section (a module's distilled
 * base) is refused here: its .BTF means nothing without that base; see
 * reader__read_file_base().
 *
 * Returns 0; -ENOENT/-EACCES/... (errno of open/read) when the file cannot be
 * read; -EINVAL when it is empty, neither BTF nor ELF, a truncated or corrupt
 * ELF, or an ELF without .BTF; -ENOTSUP for .BTF.base or an unknown
 * compression; -ENOMEM.
 */
int reader__read_file(const char *path, const struct diag *d, void **data, size_t *size);

/*
 * reader__read_file_base - reader__read_file() that also takes a module's
 * distilled base: for an ELF with a .BTF.base section (pahole's
 * distilled_base, libbpf 1.5's btf__distill_base()), *@base receives a
 * malloc'd copy of it and *@base_size its length; otherwise *@base is NULL.
 * The .BTF is split BTF on that base: give both to reader__relocate(), or
 * read the .BTF.base as the layer below it.
 */
int reader__read_file_base(const char *path, const struct diag *d, void **data, size_t *size,
			   void **base, size_t *base_size);

/*
 * reader__check - structural check of one layer's raw bytes.
 * @data, @size: the layer's bytes, in either byte order (not modified).
 * @base_types: number of types, void included, of all lower layers (1 for a
 *	root): the layer's first type ID.
 * @base_str_len: total string bytes of all lower layers (0 for a root): the
 *	layer's first absolute string offset.
 * @name: file or layer name for messages; NULL is printed as "BTF".
 * @d: diagnostics sink, NULL for stderr.
 *
 * Follows the kernel's btf_parse() (kernel/bpf/btf.c) as far as one layer can
 * be checked without its base:
 * - header: magic in either byte order, version 1, flags 0, hdr_len (24, or
 *   Linux 7.1's 32 with layout_off and layout_len; longer only with zeros
 *   past those), type_off and layout_off aligned, the layout section a whole
 *   number of entries, the two or three sections inside the blob, tiling it
 *   in any order without overlap, gap or trailing data;
 * - strings: end with '\0'; a root's start with '\0' and are not empty;
 * - each type record: inside the type section, a known kind (or one that
 *   a layout section steps over: then only its name is checked), vlen and
 *   kind_flag as the kind permits (the info word is read as the 2026 UAPI
 *   has it: 24-bit vlen, 7-bit kind, no reserved bits; format.h), name
 *   absent, present or a C identifier as the kind requires, every name
 *   offset and type ID in range of the chain so far, INT size/bits/encoding,
 *   member offsets, types and bitfields within the struct, ARRAY index and
 *   element types, linkage, FUNC argument names, argument/return/variable
 *   types with a size, DATASEC entries sorted, not overlapping and as large
 *   as their VAR, DECL_TAG component_idx;
 * - no reference loop that does not pass through a struct or union pointer or
 *   a func_proto (the kernel's "Loop detected").
 * A rule that depends on a referenced type (a FUNC's type is a FUNC_PROTO, a
 * member's size) or on a string is checked when that type or string is in
 * this layer. Differences from the kernel: an INT's size must be 1, 2, 4, 8 or
 * 16 (as libbpf's btf__add_int() requires; the kernel only wants it to hold
 * the bits); as in BPF objects before libbpf's fix-ups, a DATASEC may have
 * size 0 and hold FUNCs, and FUNC/VAR linkage may be extern.
 *
 * Returns 0 if the layer passes, or -EINVAL after one message
 * "NAME: what is wrong" (header, strings) or
 * "NAME: type ID N (kind): what is wrong" (a type record); -ENOTSUP, after
 * such a message, for valid BTF that libbpf 1.1.2 cannot represent (a
 * struct, union, enum, prototype or section of more than 65535 elements).
 */
int reader__check(const void *data, size_t size, uint32_t base_types, uint32_t base_str_len,
		  const char *name, const struct diag *d);

/*
 * How much of the kernel's rules a layer is checked against.
 * CHECK_FULL: all of reader__check()'s (what dump, diff and verify need:
 *	they walk type graphs and print names).
 * CHECK_STRUCTURE: only what reading records safely needs: record sizes,
 *	known kinds, IDs and name offsets inside the chain, names of a lower
 *	layer used whole (so a wrong base is still caught). For the encoder's
 *	base, which it reads record by record and never walks recursively
 *	(btf_dedup/ bounds its own walks).
 * CHECK_KERNEL: CHECK_FULL but for the one rule that is btfenc's and not
 *	the kernel's: a name pointing into the middle of a lower layer's
 *	string (a layer built on another base) passes, as the kernel reads
 *	whatever string is there. What verify judges with.
 * At CHECK_FULL and CHECK_KERNEL the chain then goes through the kernel's
 * resolve pass (btf_check_all_types(): every member checked against its
 * struct by what its type resolves to, across layers too).
 */
enum check_level {
	CHECK_FULL,
	CHECK_STRUCTURE,
	CHECK_KERNEL,
};

/*
 * chain__load - read, check and flatten a chain of BTF files.
 * @paths: @n file paths (see reader__read_file()), root first: paths[0] is
 *	non-split BTF (e.g. vmlinux), paths[k] is split BTF on paths[0..k-1].
 * @n: number of layers, at least 1.
 * @d: diagnostics sink, NULL for stderr.
 * @out: on success, a new chain the caller frees with chain__free().
 *	Untouched on error.
 *
 * Returns 0 or a negative errno (see reader__read_file() and
 * chain__load_mem()).
 */
int chain__load(const char *const *paths, size_t n, const struct diag *d,
		struct btf_chain **out);
/* chain__load_level - chain__load() with the layers checked at @level. */
int chain__load_level(const char *const *paths, size_t n, enum check_level level,
		      const struct diag *d, struct btf_chain **out);

/*
 * chain__load_level() in two steps, so that work on the bytes as read can go
 * on beside the check (the encoder indexes a module's base meanwhile).
 * chain__read - read @n files (@paths must outlive the result) without any
 *	check beyond reader__read_file()'s. An ELF's .BTF stays in libelf's
 *	mapping of the file where it is 4-byte aligned. A module with a
 *	distilled base (.BTF.base) is relocated onto the layers before it
 *	(reader__relocate(), which checks them and it), or, as the root, read on
 *	its .BTF.base, a layer of its own ("PATH (.BTF.base)") below it. 0 or
 *	a negative errno.
 * chain_files__flat_bytes - the bytes of the flat BTF the chain will hold,
 *	when a single layer is laid out exactly as that (standard header, types
 *	then strings, host byte order), else NULL. Untrusted: not yet checked.
 *	Valid as long as @f, or the chain made of it, lives.
 * chain_files__parse_flat - btf__new() of those bytes (NULL with errno if
 *	there are none). libbpf only parses them, which is safe unchecked
 *	(libbpf 1.1.2's btf_new() checks the header and each record's size
 *	and follows no reference: it is the walks of a parse that crash), so
 *	this may run beside chain__check_files(); nothing may walk the result
 *	before that check has passed.
 * chain__check_files - chain__load_level()'s checks of every layer of @f.
 * chain__from_files - chain__check_files() unless done, then the flattening;
 *	@parsed (chain_files__parse_flat()'s, or NULL) is used as the flat BTF
 *	instead of a new parse, and is freed if the chain fails or cannot use it.
 *	The chain takes @f (freed with it); on error @f is freed.
 */
int chain__read(const char *const *paths, size_t n, const struct diag *d,
		struct chain_files **out);
const void *chain_files__flat_bytes(const struct chain_files *f, size_t *size);
struct btf *chain_files__parse_flat(const struct chain_files *f);
int chain__check_files(struct chain_files *f, enum check_level level, const struct diag *d);
int chain__from_files(struct chain_files *f, enum check_level level, struct btf *parsed,
		      const struct diag *d, struct btf_chain **out);
void chain_files__free(struct chain_files *f);

/*
 * chain__load_mem - check and flatten a chain of in-memory layers.
 * @blobs, @sizes: @n layers' raw bytes, root first (not kept: copied).
 * @names: @n names for messages and btf_layer.path; NULL, or a NULL entry,
 *	gives "layer K".
 * @n: number of layers, at least 1.
 * @d: diagnostics sink, NULL for stderr.
 * @out: as for chain__load().
 *
 * Each layer is checked with reader__check() on the layers below it; a root
 * that is itself split BTF is reported as such ("is its base missing?").
 * All layers must share one byte order. The flattened BTF keeps that byte
 * order on input and is parsed once with btf__new().
 *
 * Returns 0; -EINVAL for a layer that fails its check, mixed byte orders, a
 * chain beyond BTF's limits (type IDs, string offsets) or @n == 0; -ENOMEM; or
 * btf__new()'s error.
 */
int chain__load_mem(const void *const *blobs, const size_t *sizes, const char *const *names,
		    size_t n, const struct diag *d, struct btf_chain **out);
/* chain__load_mem_level - chain__load_mem() with the layers checked at @level. */
int chain__load_mem_level(const void *const *blobs, const size_t *sizes,
			  const char *const *names, size_t n, enum check_level level,
			  const struct diag *d, struct btf_chain **out);

/*
 * reader__relocate - a module's BTF, split on its distilled base, made split
 * on @base instead, as the kernel relocates a module's BTF onto the running
 * vmlinux at load (kernel/bpf/btf_relocate.c; design note in relocate.c).
 * @base: the chain the module is to sit on (vmlinux; any chain will do).
 * @dist, @dist_size: the module's .BTF.base (reader__read_file_base()).
 * @split, @split_size: its .BTF.
 * @name: the module's file name, for messages and errors.
 * @out, @out_size: on success, the relocated layer, malloc'd (the caller
 *	frees it): a 24-byte header, the module's records with type IDs and
 *	string offsets that continue from @base's, its own strings; in the
 *	module's byte order. It is not checked on @base: load it as a layer.
 *
 * Returns 0; -EINVAL after a message when .BTF.base (named "NAME
 * (.BTF.base)") or .BTF fails reader__check(), or when the distilled base
 * does not match @base: "NAME: .BTF.base does not match BASE: its struct foo
 * (size 24) is not there", or "matches type IDs N and M there"; -ENOTSUP for
 * a record of a kind btfenc does not know in the module (which of its words
 * are IDs is not known); -ENOMEM.
 */
int reader__relocate(const struct btf_chain *base, const void *dist, size_t dist_size,
		     const void *split, size_t split_size, const char *name,
		     const struct diag *d, void **out, size_t *out_size);

/*
 * reader__unknown_kind - for a record of a chain's flat BTF, the kind of the
 * record it stands in for (20..127) when that is a kind btfenc does not
 * know (see "Formats newer than libbpf 1.1.2" above), else 0.
 * @info: if not NULL and @t is a stand-in, receives the record's info word
 *	(its kind, kind_flag and vlen, as format.h reads them).
 */
unsigned int reader__unknown_kind(const struct btf_type *t, uint32_t *info);

/* reader__kind - the kind of @t as its layer has it: btf_kind(), or reader__unknown_kind(). */
unsigned int reader__kind(const struct btf_type *t);

/*
 * reader__resolve_size - btf__resolve_size() for a chain's flat BTF, but
 * -EINVAL where the type is, or is an array of, a kind btfenc does not know
 * (a stand-in's size field is not a size).
 */
long long reader__resolve_size(const struct btf *btf, uint32_t id);

/*
 * chain__record_bytes - bytes of type @id's record in its layer's type
 * section (struct btf_type and what follows it; for a kind btfenc does not
 * know, as its layout entry gives them). 0 when @id is not a type of @c.
 */
uint64_t chain__record_bytes(const struct btf_chain *c, uint32_t id);

/*
 * chain__drop_files - let go of the layers' bytes as read (c->files, kept by
 * chain__from_files()): the flat BTF is libbpf's copy, so only a borrower of
 * those bytes (an index made beside the check) needs them.
 */
void chain__drop_files(struct btf_chain *c);

/* chain__free - free a chain, its flat BTF and its layers. Accepts NULL. */
void chain__free(struct btf_chain *c);

/*
 * chain__check_ancestry - for every layer above the root that is an ELF file
 * carrying a .BTF.ancestry section (written by btfenc with a split layer), check
 * that the layers below it in @c are the ones it was made on (type count, string
 * bytes, crc32 of each). chain__load() does this itself; callers of
 * chain__load_mem() with file names call it. Returns 0 or -EINVAL with a message
 * naming the layer and the base that differs.
 */
int chain__check_ancestry(const struct btf_chain *c, const struct diag *d);

#endif
