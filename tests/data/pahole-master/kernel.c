// SPDX-License-Identifier: GPL-2.0-only
/* A "vmlinux" for the distilled-base test data (README). */
struct list_head { struct list_head *next, *prev; };
enum task_state { TASK_RUNNING, TASK_STOPPED = 4 };
union key { int id; char name[8]; };
typedef unsigned long ulong;
struct task_struct {
	int pid;
	enum task_state state;
	struct list_head tasks;
	union key key;
	ulong flags;
};
struct task_struct init_task;
int task_count(struct task_struct *t) { return t->pid; }
int main(void) { return task_count(&init_task); }
