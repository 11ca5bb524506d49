/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * input: the BTF an inspection command reads, as the user names it: a file
 * and its base chain, read through btf_reader (reader.h), so every command
 * takes raw BTF, an ELF's .BTF and /sys/kernel/btf/NAME alike.
 *
 * Bases come root first, from repeated and comma-separated --btf_base
 * options. With no base given, a file /sys/kernel/btf/NAME other than
 * vmlinux (a module's split BTF) gets /sys/kernel/btf/vmlinux as its base,
 * as the kernel built it. A module built with a distilled base (an ELF with
 * .BTF.base) is relocated onto the layers below it as the kernel relocates
 * it onto vmlinux at load (reader__relocate()); with nothing below it, it is
 * read split on its .BTF.base, which becomes a layer of its own, named
 * "FILE (.BTF.base)".
 *
 * Errors: 0 or a negative errno, after one message through @d (see reader.h
 * for what reading and checking report). Thread-safety: no shared state.
 */
#ifndef BTFENC_INPUT_H
#define BTFENC_INPUT_H

#include <stddef.h>

struct diag;
struct btf_chain;

#define INPUT_SYSFS_DIR "/sys/kernel/btf"

/* Base paths, root first. Zero-initialise; free with input__free_bases(). */
struct input_bases {
	char **paths;		/* owned copies */
	size_t n;
};

/* Every layer's bytes, root first: the bases, then the file. */
struct input_layers {
	void **blobs;		/* malloc'd bytes, owned */
	size_t *sizes;
	char **names;		/* the paths, owned copies */
	size_t n;
};

/*
 * input__add_bases - append the comma-separated paths of @list to @b.
 * Returns 0; -EINVAL (with a message) for an empty item, as in "a,,b";
 * -ENOMEM.
 */
int input__add_bases(struct input_bases *b, const char *list, const struct diag *d);

/* input__free_bases - free the paths; @b is left empty. Accepts NULL. */
void input__free_bases(struct input_bases *b);

/*
 * input__auto_base - the base of @file when the user gave none.
 * @sysfs_dir: the kernel's BTF directory, INPUT_SYSFS_DIR (tests pass their own).
 * @buf, @len: receives "@sysfs_dir/vmlinux".
 *
 * Returns 1 when @file resolves (symlinks and relative paths followed) to an
 * entry of @sysfs_dir other than vmlinux and @sysfs_dir/vmlinux exists; 0
 * otherwise (@buf then undefined).
 */
int input__auto_base(const char *file, const char *sysfs_dir, char *buf, size_t len);

/*
 * input__read - read the bytes of the chain @b + @file, unchecked but for
 *	what relocating a module with a distilled base needs (the layers below
 *	it and its own two are checked then).
 * @raw_whole: a file that starts with BTF's magic is read whole as it is, so
 *	a truncated or inconsistent header is left for reader__check() to
 *	report (verify calls that invalid BTF, not an unreadable file); 0: as
 *	reader__read_file(), which refuses such a file.
 * @out: filled on success; free with input__free_layers().
 *
 * Returns 0, reader__read_file()'s error, or reader__relocate()'s.
 */
int input__read(const struct input_bases *b, const char *file, int raw_whole,
		const struct diag *d, struct input_layers *out);

/* input__free_layers - free what input__read() filled. Accepts NULL. */
void input__free_layers(struct input_layers *l);

/*
 * input__load - read, check and flatten the chain @b + @file.
 * @out: a new chain (chain__free()); untouched on error.
 * Returns 0, or input__read()'s or chain__load_mem()'s error.
 */
int input__load(const struct input_bases *b, const char *file, const struct diag *d,
		struct btf_chain **out);

#endif
