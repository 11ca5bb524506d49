// SPDX-License-Identifier: GPL-2.0-only
/*
 * The running kernel's verdict on BTF (contract in verify.h): BPF_BTF_LOAD
 * through libbpf's bpf_btf_load(), on raw bytes, so that bytes libbpf could
 * not parse safely (libbpf 1.1.2 has no sanity pass; see reader.h) never go
 * through btf__new().
 *
 * The first load has no log: a log of level 1 lists every type, and a full
 * log buffer fails the load with ENOSPC whatever the BTF. Only a rejected
 * blob is loaded again with a log, whose end (where the kernel says what it
 * refused) is kept.
 */
#include <byteswap.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <linux/btf.h>

#include "btf_reader/format.h"
#include "inspect/verify.h"

#define LOG_SIZE	(1U << 20)

/* The bytes of section [@off, @off + @len) of layer @i. */
static const uint8_t *sec_of(const void *const *blobs, const struct full_header *lh, size_t i,
			     uint32_t off)
{
	return (const uint8_t *)blobs[i] + lh[i].base.hdr_len + off;
}

static void put_word(uint8_t **p, uint32_t w, int swapped)
{
	w = swapped ? bswap_32(w) : w;
	memcpy(*p, &w, sizeof(w));
	*p += sizeof(w);
}

/*
 * The kernel's header for the concatenation: Linux 6.1's 24 bytes, or the
 * 32 of Linux 7.1 carrying the lowest layer's layout section (split BTF
 * steps over kinds it does not know with its base's layout) between the
 * types and the strings, where libbpf puts it.
 */
static uint8_t *concat_header(uint8_t *p, uint64_t types, uint64_t strs, uint32_t layout_len,
			      int swapped)
{
	uint16_t magic = swapped ? bswap_16(BTF_MAGIC) : BTF_MAGIC;

	memcpy(p, &magic, sizeof(magic));
	p[2] = BTF_VERSION;
	p[3] = 0;
	p += 4;
	put_word(&p, layout_len ? FULL_HDR_LEN : sizeof(struct btf_header), swapped);
	put_word(&p, 0, swapped);
	put_word(&p, (uint32_t)types, swapped);
	put_word(&p, (uint32_t)types + layout_len, swapped);
	put_word(&p, (uint32_t)strs, swapped);
	if (layout_len) {
		put_word(&p, (uint32_t)types, swapped);
		put_word(&p, layout_len, swapped);
	}
	return p;
}

int verify__concat(const void *const *blobs, const size_t *sizes, size_t n, void **out,
		   size_t *out_size)
{
	struct full_header *lh = calloc(n ? n : 1, sizeof(*lh));
	uint64_t types = 0, strs = 0, size;
	size_t i, layout_from = n;
	uint32_t layout_len = 0;
	uint8_t *p, *blob;
	int swapped = 0;

	if (!lh)
		return -ENOMEM;
	if (n == 1) {
		/* One layer: exactly its bytes, whatever its header says. */
		free(lh);
		*out = malloc(sizes[0] ? sizes[0] : 1);
		if (!*out)
			return -ENOMEM;
		memcpy(*out, blobs[0], sizes[0]);
		*out_size = sizes[0];
		return 0;
	}
	if (!n)
		goto bad;
	for (i = 0; i < n; i++) {
		int order = format__read_header(blobs[i], sizes[i], &lh[i]);

		if (order < 0 || sizes[i] < sizeof(struct btf_header) || (i && order != swapped))
			goto bad;
		swapped = order;
		if ((uint64_t)lh[i].base.hdr_len + lh[i].base.type_off + lh[i].base.type_len >
		    sizes[i] ||
		    (uint64_t)lh[i].base.hdr_len + lh[i].base.str_off + lh[i].base.str_len >
		    sizes[i] ||
		    (uint64_t)lh[i].base.hdr_len + lh[i].layout_off + lh[i].layout_len > sizes[i])
			goto bad;
		if (lh[i].layout_len && layout_from == n) {
			layout_from = i;
			layout_len = lh[i].layout_len;
		}
		types += lh[i].base.type_len;
		strs += lh[i].base.str_len;
	}
	size = (layout_len ? FULL_HDR_LEN : sizeof(struct btf_header)) + types + layout_len + strs;
	if (size > UINT32_MAX)
		goto bad;
	blob = malloc(size);
	if (!blob) {
		free(lh);
		return -ENOMEM;
	}
	p = concat_header(blob, types, strs, layout_len, swapped);
	for (i = 0; i < n; i++) {
		memcpy(p, sec_of(blobs, lh, i, lh[i].base.type_off), lh[i].base.type_len);
		p += lh[i].base.type_len;
	}
	if (layout_len) {
		memcpy(p, sec_of(blobs, lh, layout_from, lh[layout_from].layout_off), layout_len);
		p += layout_len;
	}
	for (i = 0; i < n; i++) {
		memcpy(p, sec_of(blobs, lh, i, lh[i].base.str_off), lh[i].base.str_len);
		p += lh[i].base.str_len;
	}
	free(lh);
	*out = blob;
	*out_size = size;
	return 0;
bad:
	free(lh);
	return -EINVAL;
}

/* Keeps the last lines of the log that fit in @log. */
static void keep_tail(const char *buf, char *log, size_t log_len)
{
	size_t len = strnlen(buf, LOG_SIZE);
	const char *start = buf;

	if (len >= log_len) {
		start = buf + len - (log_len - 1);
		while (*start && *start != '\n')
			start++;
		start += *start == '\n';
	}
	snprintf(log, log_len, "%s", start);
}

int verify__kernel(const void *data, size_t size, char *log, size_t log_len)
{
	LIBBPF_OPTS(bpf_btf_load_opts, opts);
	int fd, err;
	char *buf;

	if (log && log_len)
		log[0] = '\0';
	fd = bpf_btf_load(data, size, NULL);
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	err = fd;
	if (err == -EPERM || err == -EACCES || err == -ENOSYS || !log || log_len < 2)
		return err;
	buf = calloc(1, LOG_SIZE);
	if (!buf)
		return err;
	opts.log_buf = buf;
	opts.log_size = LOG_SIZE;
	opts.log_level = 1;
	fd = bpf_btf_load(data, size, &opts);
	if (fd >= 0)
		close(fd);	/* accepted the second time: keep the first verdict */
	keep_tail(buf, log, log_len);
	free(buf);
	return err;
}
