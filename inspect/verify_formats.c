// SPDX-License-Identifier: GPL-2.0-only
/*
 * Formats newer than some kernels (contract in verify.h): which ones a chain
 * uses, and which ones the running kernel reads.
 *
 * verify's offline verdict checks what the running kernel knows by the
 * kernel's rules, and what is newer than it by its published rules; so where
 * a file uses a format the running kernel predates, the two verdicts differ
 * and verify says why. What the running kernel reads is read from the
 * kernel itself where it tells: its BTF describes its own struct btf_header
 * (layout_off since Linux 7.1) and its enum of BTF kinds (NR_BTF_KINDS);
 * kind_flag on tags has no such trace and goes by the release (6.14).
 */
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <bpf/btf.h>
#include <linux/btf.h>

#include "btf_reader/format.h"
#include "btf_reader/reader.h"
#include "inspect/verify.h"
#include "util/diag.h"

unsigned int verify__formats_used(const struct btf_chain *c, unsigned int *max_kind)
{
	uint32_t id, count = btf__type_cnt(c->flat);
	unsigned int used = 0;
	size_t i;

	*max_kind = 0;
	for (i = 0; i < c->nlayers; i++)
		if (c->layers[i].layout_len)
			used |= VF_LAYOUT;
	for (id = 1; id < count; id++) {
		const struct btf_type *t = btf__type_by_id(c->flat, id);
		unsigned int kind = reader__unknown_kind(t, NULL);

		if (kind) {
			used |= VF_NEW_KINDS;
			if (kind > *max_kind)
				*max_kind = kind;
		} else if ((btf_is_type_tag(t) || btf_is_decl_tag(t)) && btf_kflag(t)) {
			used |= VF_ATTR_TAGS;
		}
	}
	return used;
}

/* Whether @release ("6.18.44-...") is @major.@minor or later. */
static int release_at_least(const char *release, unsigned int major, unsigned int minor)
{
	unsigned int ma, mi;

	return release && sscanf(release, "%u.%u", &ma, &mi) == 2 &&
	       (ma > major || (ma == major && mi >= minor));
}

/* The value of enumerator @name in @btf's enums, or -1. */
static long long enumerator(const struct btf *btf, const char *name)
{
	uint32_t id, count = btf__type_cnt(btf);
	unsigned int i;

	for (id = 1; id < count; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);

		for (i = 0; btf_is_enum(t) && i < btf_vlen(t); i++)
			if (!strcmp(btf__name_by_offset(btf, btf_enum(t)[i].name_off), name))
				return btf_enum(t)[i].val;
	}
	return -1;
}

static int has_member(const struct btf *btf, const char *type, const char *member)
{
	int id = btf__find_by_name_kind(btf, type, BTF_KIND_STRUCT);
	const struct btf_type *t = id > 0 ? btf__type_by_id(btf, id) : NULL;
	unsigned int i;

	for (i = 0; t && i < btf_vlen(t); i++)
		if (!strcmp(btf__name_by_offset(btf, btf_members(t)[i].name_off), member))
			return 1;
	return 0;
}

unsigned int verify__formats_read(const struct btf *kernel_btf, const char *release,
				  unsigned int max_kind)
{
	unsigned int reads = 0;

	if (kernel_btf ? has_member(kernel_btf, "btf_header", "layout_off") :
	    release_at_least(release, 7, 1))
		reads |= VF_LAYOUT;
	if (release_at_least(release, 6, 14))
		reads |= VF_ATTR_TAGS;
	if (kernel_btf && max_kind && enumerator(kernel_btf, "NR_BTF_KINDS") > (long long)max_kind)
		reads |= VF_NEW_KINDS;
	return reads;
}

static void drop(void *ctx, enum diag_level level, const char *line)
{
}

unsigned int verify__kernel_reads(const char *vmlinux, unsigned int max_kind, char *release,
				  size_t len)
{
	const struct diag quiet = { .emit = drop };
	struct btf_chain *c = NULL;
	struct utsname u;
	unsigned int reads;

	snprintf(release, len, "%s", uname(&u) ? "?" : u.release);
	if (chain__load(&vmlinux, 1, &quiet, &c))
		c = NULL;
	reads = verify__formats_read(c ? c->flat : NULL, release, max_kind);
	chain__free(c);
	return reads;
}

const char *verify__format_text(unsigned int format)
{
	switch (format) {
	case VF_LAYOUT:
		return "a layout section (Linux 7.1 and later)";
	case VF_ATTR_TAGS:
		return "kind_flag on type or decl tags (Linux 6.14 and later)";
	case VF_NEW_KINDS:
		return "kinds btfenc does not know (stepped over with the layout section)";
	default:
		return "?";
	}
}
