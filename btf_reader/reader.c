// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reading BTF bytes from files (contract in reader.h; base chains: chain.c).
 */
#include <byteswap.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <bpf/btf.h>
#include <linux/btf.h>

#include "btf_reader/format.h"
#include "btf_reader/reader.h"
#include "btf_reader/reader_int.h"
#include "util/diag.h"
#include "util/vec.h"

static int is_btf_magic(const uint8_t *p, size_t len)
{
	uint16_t magic;

	if (len < sizeof(magic))
		return 0;
	memcpy(&magic, p, sizeof(magic));
	return magic == BTF_MAGIC || magic == bswap_16(BTF_MAGIC);
}

/* A file's bytes read so far. */
struct file_buf {
	uint8_t *bytes;		/* malloc'd */
	size_t len, cap;
	int eof;
};

/*
 * Reads @fd on until @fb holds @want bytes or the file ends. sysfs files do
 * not know their size up front (st_size is 0 or 4096), so the end is where
 * read() returns 0, not st_size.
 */
static int read_until(int fd, const char *path, const struct diag *d, struct file_buf *fb,
		      size_t want)
{
	size_t room;
	ssize_t got;
	int err;

	while (fb->len < want && !fb->eof) {
		if (fb->len == fb->cap &&
		    vec__reserve((void **)&fb->bytes, &fb->cap, fb->len + (1 << 16), 1))
			return -ENOMEM;
		room = fb->cap - fb->len;
		got = read(fd, fb->bytes + fb->len, room < want - fb->len ? room : want - fb->len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			err = -errno;
			diag__err(d, "%s: %s", path, strerror(errno));
			return err;
		}
		fb->eof = got == 0;
		fb->len += (size_t)got;
	}
	return 0;
}

/* Reads the rest of @fd, in one read() when its size is known. */
static int read_all(int fd, const char *path, const struct diag *d, struct file_buf *fb)
{
	struct stat st;

	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    vec__reserve((void **)&fb->bytes, &fb->cap, (size_t)st.st_size + 1, 1))
		return -ENOMEM;
	return read_until(fd, path, d, fb, SIZE_MAX);
}

void layer_bytes__release(struct layer_bytes *lb)
{
	free(lb->buf);
	free(lb->dist_base);
	if (lb->elf)
		elf_end(lb->elf);
	if (lb->map)
		munmap(lb->map, lb->map_len);
	memset(lb, 0, sizeof(*lb));
}

/*
 * A raw BTF file that is a regular file is mapped rather than read (a
 * vmlinux BTF is 4 MB). 0, or 1 when it cannot be: then it is read.
 */
static int map_raw(int fd, const struct file_buf *fb, struct layer_bytes *lb)
{
	struct stat st;
	void *map;

	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || (size_t)st.st_size < fb->len ||
	    st.st_size < (off_t)sizeof(struct btf_header))
		return 1;
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		return 1;
	*lb = (struct layer_bytes){ .data = map, .size = (size_t)st.st_size, .map = map,
				    .map_len = (size_t)st.st_size };
	return 0;
}

/*
 * The bytes of section @scn, named @name, of @elf, a file of @file_len bytes
 * (decompressed if SHF_COMPRESSED), in libelf's memory: valid until
 * elf_end(). Returns 0, -EINVAL or -ENOTSUP after a message.
 */
static int section_bytes(const char *path, Elf_Scn *scn, const char *name, size_t file_len,
			 const struct diag *d, const void **data, size_t *size)
{
	GElf_Shdr shdr;
	Elf_Data *ed;

	gelf_getshdr(scn, &shdr);
	if (shdr.sh_type == SHT_NOBITS || shdr.sh_offset > file_len ||
	    shdr.sh_size > file_len - shdr.sh_offset) {
		diag__err(d, "%s: %s section truncated (%llu bytes at %llu, file has %zu)", path,
			  name, (unsigned long long)shdr.sh_size,
			  (unsigned long long)shdr.sh_offset, file_len);
		return -EINVAL;
	}
	if ((shdr.sh_flags & SHF_COMPRESSED) && elf_compress(scn, 0, 0) < 0) {
		diag__err(d, "%s: cannot decompress %s: %s", path, name, elf_errmsg(-1));
		return -ENOTSUP;
	}
	ed = elf_getdata(scn, NULL);
	if (!ed || !ed->d_buf || !ed->d_size) {
		diag__err(d, "%s: empty or unreadable %s section: %s", path, name, elf_errmsg(-1));
		return -EINVAL;
	}
	*data = ed->d_buf;
	*size = ed->d_size;
	return 0;
}

/*
 * The .BTF section of @elf, a file of @file_len bytes, in *@data, and its
 * .BTF.base (a distilled base) in *@base if it has one, else NULL; both in
 * libelf's memory. Only the section headers, their names and these
 * sections are read, so a vmlinux with DWARF (hundreds of MB) costs about
 * as much as its .BTF.
 */
static int elf_btf(const char *path, Elf *elf, size_t file_len, const struct diag *d,
		   const void **data, size_t *size, const void **base, size_t *base_size)
{
	Elf_Scn *scn = NULL, *btf_scn = NULL, *base_scn = NULL;
	size_t shstrndx;
	GElf_Shdr shdr;
	int err;

	*base = NULL;
	*base_size = 0;
	if (!elf || elf_kind(elf) != ELF_K_ELF || elf_getshdrstrndx(elf, &shstrndx)) {
		diag__err(d, "%s: truncated or corrupt ELF: %s", path, elf_errmsg(-1));
		return -EINVAL;
	}
	while ((scn = elf_nextscn(elf, scn))) {
		const char *name;

		if (!gelf_getshdr(scn, &shdr))
			continue;
		name = elf_strptr(elf, shstrndx, shdr.sh_name);
		if (name && !strcmp(name, ".BTF"))
			btf_scn = scn;
		else if (name && !strcmp(name, ".BTF.base"))
			base_scn = scn;
	}
	if (!btf_scn) {
		diag__err(d, "%s: ELF without a .BTF section", path);
		return -EINVAL;
	}
	err = section_bytes(path, btf_scn, ".BTF", file_len, d, data, size);
	if (!err && base_scn)
		err = section_bytes(path, base_scn, ".BTF.base", file_len, d, base, base_size);
	return err;
}

/*
 * An ELF file: a regular one is mapped, not read, so that only the pages
 * elf_btf() looks at are read from disk, and its .BTF is used where it lies
 * when it is 4-byte aligned (type records are read in place). Anything else
 * (a pipe, a procfs file without a size) cannot be mapped and is read whole;
 * @fb holds what was read of it so far.
 */
static int elf_file(const char *path, int fd, struct file_buf *fb, const struct diag *d,
		    struct layer_bytes *lb)
{
	const void *data, *base;
	size_t base_size;
	struct stat st;
	size_t len, size;
	int mapped = 0;
	Elf *elf;
	int err;

	if (elf_version(EV_CURRENT) == EV_NONE) {
		diag__err(d, "%s: libelf: %s", path, elf_errmsg(-1));
		return -EINVAL;
	}
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size >= fb->len) {
		/* libelf maps from offset 0 and takes the size from fstat(). */
		elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
		len = (size_t)st.st_size;
		mapped = 1;
	} else {
		err = read_all(fd, path, d, fb);
		if (err)
			return err;
		elf = elf_memory((char *)fb->bytes, fb->len);
		len = fb->len;
	}
	err = elf_btf(path, elf, len, d, &data, &size, &base, &base_size);
	if (!err && base) {
		/* A distilled base is small: always a copy of its own. */
		lb->dist_base = malloc(base_size);
		if (!lb->dist_base) {
			elf_end(elf);
			return -ENOMEM;
		}
		memcpy(lb->dist_base, base, base_size);
		lb->dist_base_size = base_size;
	}
	if (!err && mapped && (uintptr_t)data % 4 == 0) {
		/* Everything is read: the descriptor may go, the mapping stays. */
		elf_cntl(elf, ELF_C_FDDONE);
		lb->data = data;
		lb->size = size;
		lb->elf = elf;
		return 0;
	}
	if (!err) {
		lb->buf = malloc(size);
		if (lb->buf) {
			memcpy(lb->buf, data, size);
			lb->data = lb->buf;
			lb->size = size;
		} else {
			err = -ENOMEM;
		}
	}
	if (err) {
		free(lb->dist_base);
		lb->dist_base = NULL;
	}
	elf_end(elf);
	return err;
}

/* Catches a short raw file early, with a message about the file rather than its header. */
static int raw_btf_complete(const char *path, const uint8_t *buf, size_t len,
			    const struct diag *d)
{
	struct full_header h;
	const struct btf_header *b = &h.base;
	uint64_t end, sec_end[3];
	size_t i;

	if (len < sizeof(*b)) {
		diag__err(d, "%s: truncated BTF (%zu bytes, the header alone is %zu)", path, len,
			  sizeof(*b));
		return -EINVAL;
	}
	format__read_header(buf, len, &h);
	sec_end[0] = (uint64_t)b->type_off + b->type_len;
	sec_end[1] = (uint64_t)b->str_off + b->str_len;
	sec_end[2] = (uint64_t)h.layout_off + h.layout_len;
	end = 0;
	for (i = 0; i < 3; i++)
		if (sec_end[i] > end)
			end = sec_end[i];
	end += b->hdr_len;
	if (end > len) {
		diag__err(d, "%s: truncated BTF (header describes %llu bytes, file has %zu)", path,
			  (unsigned long long)end, len);
		return -EINVAL;
	}
	return 0;
}

int layer_bytes__read(const char *path, const struct diag *d, struct layer_bytes *lb)
{
	struct file_buf fb = { 0 };
	int fd, err;

	memset(lb, 0, sizeof(*lb));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		diag__err(d, "%s: %s", path, strerror(errno));
		return err;
	}
	/* The magic says how to read the rest: raw BTF whole, an ELF only in part. */
	err = read_until(fd, path, d, &fb, SELFMAG);
	if (err)
		goto out;
	if (!fb.len) {
		diag__err(d, "%s: empty file", path);
		err = -EINVAL;
	} else if (is_btf_magic(fb.bytes, fb.len) && !map_raw(fd, &fb, lb)) {
		err = raw_btf_complete(path, lb->data, lb->size, d);
		if (err)
			layer_bytes__release(lb);
	} else if (is_btf_magic(fb.bytes, fb.len)) {
		err = read_all(fd, path, d, &fb);
		if (!err)
			err = raw_btf_complete(path, fb.bytes, fb.len, d);
		if (!err) {
			lb->data = lb->buf = fb.bytes;
			lb->size = fb.len;
			fb.bytes = NULL;
		}
	} else if (fb.len >= SELFMAG && !memcmp(fb.bytes, ELFMAG, SELFMAG)) {
		err = elf_file(path, fd, &fb, d, lb);
	} else {
		diag__err(d, "%s: neither BTF nor ELF", path);
		err = -EINVAL;
	}
out:
	free(fb.bytes);
	close(fd);
	return err;
}

int reader__read_file_base(const char *path, const struct diag *d, void **data, size_t *size,
			   void **base, size_t *base_size)
{
	struct layer_bytes lb;
	int err = layer_bytes__read(path, d, &lb);

	if (err)
		return err;
	if (!lb.buf) {	/* mapped bytes: the caller gets its own copy */
		lb.buf = malloc(lb.size);
		if (!lb.buf) {
			layer_bytes__release(&lb);
			return -ENOMEM;
		}
		memcpy(lb.buf, lb.data, lb.size);
	}
	*data = lb.buf;
	*size = lb.size;
	*base = lb.dist_base;
	*base_size = lb.dist_base_size;
	lb.buf = NULL;
	lb.dist_base = NULL;
	layer_bytes__release(&lb);
	return 0;
}

int reader__read_file(const char *path, const struct diag *d, void **data, size_t *size)
{
	void *base;
	size_t base_size;
	int err = reader__read_file_base(path, d, data, size, &base, &base_size);

	if (!err && base) {
		diag__err(d, "%s: .BTF is split on its distilled base (.BTF.base): read it with "
			  "that base or relocated onto vmlinux", path);
		free(*data);
		free(base);
		return -ENOTSUP;
	}
	return err;
}
