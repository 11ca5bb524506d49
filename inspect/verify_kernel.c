// SPDX-License-Identifier: GPL-2.0-only
/*
 * The running kernel's verdict on BTF (contract in verify.h): BPF_BTF_LOAD
 * through libbpf's bpf_btf_load(), on raw bytes, so that bytes libbpf could
 * not parse safely (REFERENCE §13) never go through btf__new().
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

#include "inspect/verify.h"

#define LOG_SIZE	(1U << 20)

int verify__concat(const void *const *blobs, const size_t *sizes, size_t n, void **out,
		   size_t *out_size)
{
	struct btf_header h = { 0 }, *lh = calloc(n ? n : 1, sizeof(*lh));
	uint64_t types = 0, strs = 0, size;
	uint8_t *p, *blob;
	size_t i;
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
	for (i = 0; i < n; i++) {
		if (sizes[i] < sizeof(lh[i]))
			goto bad;
		memcpy(&lh[i], blobs[i], sizeof(lh[i]));
		if (!i)
			swapped = lh[i].magic == bswap_16(BTF_MAGIC);
		if ((lh[i].magic == bswap_16(BTF_MAGIC)) != swapped)
			goto bad;
		if (swapped) {
			lh[i].hdr_len = bswap_32(lh[i].hdr_len);
			lh[i].type_off = bswap_32(lh[i].type_off);
			lh[i].type_len = bswap_32(lh[i].type_len);
			lh[i].str_off = bswap_32(lh[i].str_off);
			lh[i].str_len = bswap_32(lh[i].str_len);
		}
		if ((uint64_t)lh[i].hdr_len + lh[i].type_off + lh[i].type_len > sizes[i] ||
		    (uint64_t)lh[i].hdr_len + lh[i].str_off + lh[i].str_len > sizes[i])
			goto bad;
		types += lh[i].type_len;
		strs += lh[i].str_len;
	}
	size = sizeof(h) + types + strs;
	if (!n || size > UINT32_MAX)
		goto bad;
	blob = malloc(size);
	if (!blob) {
		free(lh);
		return -ENOMEM;
	}
	h.magic = BTF_MAGIC;
	h.version = BTF_VERSION;
	h.hdr_len = sizeof(h);
	h.type_len = (uint32_t)types;
	h.str_off = (uint32_t)types;
	h.str_len = (uint32_t)strs;
	if (swapped) {
		h.magic = bswap_16(h.magic);
		h.hdr_len = bswap_32(h.hdr_len);
		h.type_len = bswap_32(h.type_len);
		h.str_off = bswap_32(h.str_off);
		h.str_len = bswap_32(h.str_len);
	}
	memcpy(blob, &h, sizeof(h));
	p = blob + sizeof(h);
	for (i = 0; i < n; i++) {
		memcpy(p, (const uint8_t *)blobs[i] + lh[i].hdr_len + lh[i].type_off,
		       lh[i].type_len);
		p += lh[i].type_len;
	}
	for (i = 0; i < n; i++) {
		memcpy(p, (const uint8_t *)blobs[i] + lh[i].hdr_len + lh[i].str_off,
		       lh[i].str_len);
		p += lh[i].str_len;
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
