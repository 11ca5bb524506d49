/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * verify: the kernel's structural rules for BTF, offline, on a chain of
 * layers; and the running kernel's own verdict (BPF_BTF_LOAD).
 *
 * The offline verdict is meant to be the kernel's: what a kernel loading the
 * chain concatenated (as BPF_BTF_LOAD takes it) would accept or reject. It
 * is reader__check() on every layer (reader.h), then the rules that a check
 * of one layer cannot apply or that reader__check() relaxes for BPF objects
 * (see verify.c). Formats newer than some kernels (a layout section,
 * kind_flag tags) are checked by their published rules; verify__formats_*()
 * below say which a chain uses and whether the running kernel reads them.
 * Records of kinds btfenc does not know are stepped over, not checked.
 * The chain is loaded at CHECK_KERNEL (reader.h): a name pointing into the
 * middle of a lower layer's string, which the other commands refuse as a
 * sign of a layer built on another base, passes, as in the kernel; and the
 * kernel's resolve pass runs on the layers concatenated. A pointer's size
 * is the BTF's own (its long), else the machine's. Differences from the
 * kernel are found with tests/tools/kverdict (mutants, BPF_BTF_LOAD) and
 * kept in tests/data/kverdict once fixed.
 *
 * Errors: invalid BTF is -EINVAL, after a message per problem found through
 * @d ("NAME: type ID N (kind): what"); anything else (-ENOMEM) is trouble
 * of our own. Thread-safety: no shared state.
 */
#ifndef BTFENC_VERIFY_H
#define BTFENC_VERIFY_H

#include <stddef.h>
#include <stdint.h>

struct diag;
struct btf_chain;

/* Messages pass 2 writes before it only counts the rest. */
#define VERIFY_MAX_MSGS	20

/*
 * verify__layers - the offline verdict on a chain of raw layers.
 * @blobs, @sizes, @names: @n layers, root first (see chain__load_mem());
 *	@names may be NULL.
 * @d: where each problem is reported.
 * @chain: if not NULL, receives the loaded chain when every layer passed
 *	reader__check() (even if pass 2 then found a problem), for the caller
 *	to free with chain__free(); NULL otherwise.
 * Returns 0 when the chain is valid, -EINVAL when it is not, -ENOMEM.
 */
int verify__layers(const void *const *blobs, const size_t *sizes, const char *const *names,
		   size_t n, const struct diag *d, struct btf_chain **chain);

/*
 * verify__chain_rules - pass 2 alone, on a chain that chain__load*() built.
 * @first_id: first type ID to check (1: all layers).
 * Returns 0, or -EINVAL after a message per problem (see VERIFY_MAX_MSGS).
 */
int verify__chain_rules(const struct btf_chain *c, uint32_t first_id, const struct diag *d);

/*
 * verify__concat - the layers as the one blob BPF_BTF_LOAD takes: a header,
 * every layer's types, the lowest layer's layout section if one has any
 * (then under Linux 7.1's 32-byte header), then every layer's strings, root
 * first; for one layer, a copy of its bytes as they are (a broken header
 * included).
 * @out, @out_size: a malloc'd blob the caller frees.
 * Of several layers, each header must describe sections inside its layer.
 * Returns 0, -EINVAL (a header that does not, or mixed byte orders), -ENOMEM.
 */
int verify__concat(const void *const *blobs, const size_t *sizes, size_t n, void **out,
		   size_t *out_size);

/*
 * verify__kernel - offer @data to the running kernel (BPF_BTF_LOAD) and
 * unload it again.
 * @log, @log_len: on rejection, the end of the kernel's verifier log,
 *	'\0'-terminated (empty when the kernel wrote none); may be NULL.
 * Returns 0 when the kernel accepted it; -EPERM, -EACCES or -ENOSYS when
 * this process may not load BTF (no verdict); otherwise the kernel's
 * rejection (-EINVAL, -E2BIG, ...).
 */
int verify__kernel(const void *data, size_t size, char *log, size_t log_len);

/*
 * Formats newer than some kernels. The offline verdict checks a file by the
 * rules of the kernel verify runs on as far as that kernel knows them, and
 * by their published rules where the file is newer than it (verify.c);
 * these say which such formats a chain uses and which ones the running
 * kernel reads, so that verify can say where the kernel would differ.
 */
enum verify_format {
	VF_LAYOUT	= 1 << 0,	/* a layout section (Linux 7.1) */
	VF_ATTR_TAGS	= 1 << 1,	/* kind_flag 1 on a TYPE_TAG or DECL_TAG (6.14) */
	VF_NEW_KINDS	= 1 << 2,	/* kinds btfenc does not know */
};

/*
 * verify__formats_used - the VF_* a loaded chain uses; *@max_kind gets the
 * highest kind btfenc does not know among its records (0: none).
 */
unsigned int verify__formats_used(const struct btf_chain *c, unsigned int *max_kind);

/*
 * verify__formats_read - the VF_* a kernel reads: from its BTF (NULL when it
 * is not at hand: then by @release, "7.1.0..." style, where it can tell) and
 * its release. VF_NEW_KINDS when its enum of BTF kinds goes past @max_kind.
 */
unsigned int verify__formats_read(const struct btf *kernel_btf, const char *release,
				  unsigned int max_kind);

/*
 * verify__kernel_reads - verify__formats_read() of the running kernel: its
 * BTF from @vmlinux (/sys/kernel/btf/vmlinux; unreadable: by release alone),
 * its release from uname(2), copied into @release (@len bytes).
 */
unsigned int verify__kernel_reads(const char *vmlinux, unsigned int max_kind, char *release,
				  size_t len);

/* verify__format_text - a VF_* in words, "a layout section (Linux 7.1 and later)". */
const char *verify__format_text(unsigned int format);

#endif
