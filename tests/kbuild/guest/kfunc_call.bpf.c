// SPDX-License-Identifier: GPL-2.0-only
/*
 * Calls two kfuncs of Linux 6.12's generic set (kernel/bpf/helpers.c, registered for
 * BPF_PROG_TYPE_SYSCALL). libbpf 1.1.2 resolves each extern against the FUNC of that name in
 * /sys/kernel/btf/vmlinux and refuses the object when the prototypes differ ("func_proto ...
 * incompatible with vmlinux"); the verifier then checks the call against the kfunc's BTF
 * prototype and its flags (KF_ACQUIRE | KF_RET_NULL, KF_RELEASE). Returns the pid of task 1
 * (the initramfs's /init), read through the BTF's task_struct.
 */
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

struct task_struct {
	int pid;
} __attribute__((preserve_access_index));

extern struct task_struct *bpf_task_from_pid(int pid) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;

SEC("syscall")
int call_kfunc(void *ctx)
{
	struct task_struct *p = bpf_task_from_pid(1);
	int pid;

	if (!p)
		return -1;
	pid = p->pid;
	bpf_task_release(p);
	return pid;
}

char LICENSE[] SEC("license") = "GPL";
