// SPDX-License-Identifier: GPL-2.0-only
/*
 * btfenc_testmod: an external module for make check-kbuild. Its split BTF carries a struct
 * type (through a global variable) and a per-CPU VAR in the .data..percpu DATASEC; the
 * kernel validates that BTF against vmlinux's when the module is loaded.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/printk.h>

/* The corrupted-BTF run breaks the first member of this struct (tests/kbuild/btf_corrupt.py). */
struct btfenc_testmod_state {
	struct btfenc_testmod_state *next;
	unsigned long loads;
	int last_cpu;
	const char *tag;
};

struct btfenc_testmod_state btfenc_testmod_state = {
	.tag = "btfenc",
};
EXPORT_SYMBOL_GPL(btfenc_testmod_state);

DEFINE_PER_CPU(struct btfenc_testmod_state, btfenc_testmod_pcpu);

static int __init btfenc_testmod_init(void)
{
	struct btfenc_testmod_state *pcpu = get_cpu_ptr(&btfenc_testmod_pcpu);

	pcpu->loads++;
	pcpu->last_cpu = smp_processor_id();
	btfenc_testmod_state.loads = pcpu->loads;
	put_cpu_ptr(&btfenc_testmod_pcpu);
	pr_info("btfenc_testmod: loaded, tag=%s loads=%lu\n", btfenc_testmod_state.tag,
		btfenc_testmod_state.loads);
	return 0;
}

static void __exit btfenc_testmod_exit(void)
{
	pr_info("btfenc_testmod: unloaded\n");
}

module_init(btfenc_testmod_init);
module_exit(btfenc_testmod_exit);
MODULE_DESCRIPTION("btfenc check-kbuild test module");
MODULE_LICENSE("GPL");
