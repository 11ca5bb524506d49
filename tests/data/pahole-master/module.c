// SPDX-License-Identifier: GPL-2.0-only
/* A module on kernel.c's types: a struct embedded, others through pointers (README). */
struct list_head { struct list_head *next, *prev; };
enum task_state { TASK_RUNNING, TASK_STOPPED = 4 };
union key { int id; char name[8]; };
struct task_struct;
typedef unsigned long ulong;
struct mod_entry {
	struct list_head node;		/* embedded: must match in size */
	struct task_struct *owner;	/* through a pointer: a fwd */
	enum task_state state;
	union key *key;
	ulong hits;
};
struct mod_entry mod_entries[4];
int mod_count(struct mod_entry *e) { return (int)e->hits + e->state; }
