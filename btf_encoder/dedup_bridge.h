/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dedup_bridge: btf_dedup/ run on libbpf BTF objects (dedup_bridge.c). Each
 * call works on its own objects; a base index (struct dedup_base) serves one
 * call at a time.
 * Private to btf_encoder/ (and tests/unit/test_encoder.c).
 */
#ifndef BTFENC_ENCODER_DEDUP_BRIDGE_H
#define BTFENC_ENCODER_DEDUP_BRIDGE_H

#include <stddef.h>
#include <stdint.h>

#include "btf_builder/rawbtf.h"
#include "util/diag.h"

struct btf;
struct dedup_base;

/*
 * The dedup rules of a behaviour (DEDUP_RULE_*, btf_dedup/dedup.h): libbpf
 * 1.1.2's under the compatibility behaviour (@compat_124, what pahole 1.24
 * links), else those of libbpf f7081a6b (what pahole master embeds). Every
 * index and run of one encoding takes the same.
 */
unsigned int dedup_bridge__rules(int compat_124);

/*
 * Indexes @base (a flat base chain, btf_reader's) for deduplicating split
 * outputs against it: build once, pass in encoder_internals.base_index for
 * every input of a batch. The index reads @base's bytes in place: free it
 * before @base; if @base is modified meanwhile, the encoder notices and
 * indexes it anew for that call. Returns NULL with errno set. One encode at
 * a time may use an index. Up to @threads threads build it (the same index
 * for any number), for runs under @rules (dedup_bridge__rules()).
 */
struct dedup_base *dedup_bridge__index_base(struct btf *base, int threads, unsigned int rules);
/*
 * The same index made from @raw (@size bytes): the flat base's bytes in host
 * byte order, as btf__raw_data() would give them, which must outlive the
 * index. @raw need not be checked yet (the index bounds its own reads), so
 * this may run beside btf_reader's check of the same bytes; use the index
 * only once that check has passed.
 */
struct dedup_base *dedup_bridge__index_base_raw(const void *raw, size_t size, int threads,
					       unsigned int rules);
/*
 * Moves an index made by dedup_bridge__index_base_raw() onto @base's own bytes
 * (its parse of the same blob), as dedup_bridge__index_base() would have made
 * it: the bytes it was made from may then go. 0, or -EINVAL when @base's
 * bytes are not those (@index unchanged).
 */
int dedup_bridge__rebind_index(struct dedup_base *index, struct btf *base);
void dedup_bridge__free_index(struct dedup_base *index);

/*
 * Replaces *@btf (standalone) by its deduplication with btf_dedup/, split on
 * @base when given (@index: its dedup_bridge__index_base(), or NULL to build one
 * for this call), under @rules (@index's). Keeps *@btf's byte order. On
 * error the message names @path and the type; *@btf may have been freed
 * (then NULL).
 */
int dedup_bridge__btf(struct btf **btf, struct btf *base, struct dedup_base *index,
		      unsigned int rules, const struct diag *diag, const char *path);

/* Native-order bytes of @btf (libbpf's buffer, valid until @btf changes). */
const void *dedup_bridge__native_raw(struct btf *btf, uint32_t *size);

/*
 * The deduplication of @rb (freed, whatever the outcome) as a libbpf BTF in
 * *@out (host byte order), split on @base when given (@index and @rules as
 * for dedup_bridge__btf()), else standalone. Errors as dedup_bridge__btf().
 */
int dedup_bridge__rawbtf(struct rawbtf *rb, struct btf *base, struct dedup_base *index,
			 unsigned int rules, struct btf **out, const struct diag *diag,
			 const char *path);

#endif
