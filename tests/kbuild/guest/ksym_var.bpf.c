// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reads two of vmlinux's global variables through typed __ksym externs: libbpf 1.1.2 looks
 * each up by name among the VARs of /sys/kernel/btf/vmlinux, then of every module's BTF
 * (so also of vmlinux_btf_extra's), checks the declared type against the BTF's, and the
 * verifier checks every access against it. Returns 1 | 2 | 4 when all three reads agree with
 * what a booted kernel holds.
 */
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

struct task_struct {
	int pid;
	char comm[16];
} __attribute__((preserve_access_index));

extern __u64 jiffies_64 __ksym;
extern struct task_struct init_task __ksym;

SEC("syscall")
int read_vars(void *ctx)
{
	int ret = 0;

	if (jiffies_64 != 0)
		ret |= 1;
	if (init_task.pid == 0)
		ret |= 2;
	/* "swapper/0" */
	if (init_task.comm[0] == 's' && init_task.comm[1] == 'w')
		ret |= 4;
	return ret;
}

char LICENSE[] SEC("license") = "GPL";
