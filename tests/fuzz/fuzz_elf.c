// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_elf: an ELF file from a byte buffer through the loader and the encoder
 * (objfile__open_mem(), encoder__encode()), as `btfenc --btf_encode_detached`
 * encodes it, with one worker. The input's length picks the rules: odd, the
 * compatibility behaviour; even, the default one with every feature (global
 * variables, kfunc tags, true_signature).
 */
#include <bpf/btf.h>

#include "fuzz.h"
#include "btf_encoder/encoder.h"
#include "dwarf_loader/objfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct encoder_config cfg = {
		.diag = fuzz__diag(),
		.jobs = 1,
		.gen_floats = 1,
	};
	struct encoder_stats stats;
	struct objfile *elf;
	struct btf *btf = NULL;

	if (size & 1) {
		cfg.compat_124 = 1;
	} else {
		cfg.global_vars = 1;
		cfg.optimized_funcs = 1;
		cfg.consistent_funcs = 1;
		cfg.decl_tag_kfuncs = 1;
		cfg.attributes = 1;
		cfg.true_signature = 1;
	}
	fuzz__begin();
	elf = objfile__open_mem(data, size, "fuzz.o", cfg.diag);
	if (elf && !encoder__encode(elf, &cfg, &btf, &stats))
		btf__free(btf);
	objfile__free(elf);
	fuzz__end("encode", size);
	return 0;
}
