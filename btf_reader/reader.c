// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reading BTF bytes from files, and loading base chains (contract in reader.h).
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
#include <zlib.h>

#include "btf_reader/reader.h"
#include "btf_reader/check_int.h"
#include "btf_reader/typeref.h"
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

/*
 * One layer's bytes as read: inside libelf's mapping of the file (@elf holds
 * it; no copy of a 5 MB vmlinux .BTF) or in a malloc'd buffer (@buf).
 */
struct layer_bytes {
	const void *data;
	size_t size;
	void *buf;		/* malloc'd, or NULL */
	Elf *elf;		/* keeps the mapping @data points into, or NULL */
	void *map;		/* a raw file mapped whole (map_len bytes), or NULL */
	size_t map_len;
};

static void layer_bytes_release(struct layer_bytes *lb)
{
	free(lb->buf);
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
 * The .BTF section of @elf, a file of @file_len bytes, in *@data (libelf's
 * memory: valid until elf_end()). Only the section headers, their names and
 * .BTF are read, so a vmlinux with DWARF (hundreds of MB) costs about as much
 * as its .BTF.
 */
static int elf_btf(const char *path, Elf *elf, size_t file_len, const struct diag *d,
		   const void **data, size_t *size)
{
	Elf_Scn *scn = NULL, *btf_scn = NULL;
	int has_base = 0;
	size_t shstrndx;
	GElf_Shdr shdr;
	Elf_Data *ed;

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
			has_base = 1;
	}
	if (!btf_scn) {
		diag__err(d, "%s: ELF without a .BTF section", path);
		return -EINVAL;
	}
	if (has_base) {
		diag__err(d, "%s: .BTF is split on a distilled base (.BTF.base), %s", path,
			  "which needs libbpf >= 1.5 to relocate");
		return -ENOTSUP;
	}
	gelf_getshdr(btf_scn, &shdr);
	if (shdr.sh_type == SHT_NOBITS || shdr.sh_offset > file_len ||
	    shdr.sh_size > file_len - shdr.sh_offset) {
		diag__err(d, "%s: .BTF section truncated (%llu bytes at %llu, file has %zu)", path,
			  (unsigned long long)shdr.sh_size, (unsigned long long)shdr.sh_offset,
			  file_len);
		return -EINVAL;
	}
	if ((shdr.sh_flags & SHF_COMPRESSED) && elf_compress(btf_scn, 0, 0) < 0) {
		diag__err(d, "%s: cannot decompress .BTF: %s", path, elf_errmsg(-1));
		return -ENOTSUP;
	}
	ed = elf_getdata(btf_scn, NULL);
	if (!ed || !ed->d_buf || !ed->d_size) {
		diag__err(d, "%s: empty or unreadable .BTF section: %s", path, elf_errmsg(-1));
		return -EINVAL;
	}
	*data = ed->d_buf;
	*size = ed->d_size;
	return 0;
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
	const void *data;
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
	err = elf_btf(path, elf, len, d, &data, &size);
	if (!err && mapped && (uintptr_t)data % 4 == 0) {
		/* Everything is read: the descriptor may go, the mapping stays. */
		elf_cntl(elf, ELF_C_FDDONE);
		*lb = (struct layer_bytes){ .data = data, .size = size, .elf = elf };
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
	elf_end(elf);
	return err;
}

/* Catches a short raw file early, with a message about the file rather than its header. */
static int raw_btf_complete(const char *path, const uint8_t *buf, size_t len,
			    const struct diag *d)
{
	struct btf_header h;
	uint64_t end;

	if (len < sizeof(h)) {
		diag__err(d, "%s: truncated BTF (%zu bytes, the header alone is %zu)", path, len,
			  sizeof(h));
		return -EINVAL;
	}
	memcpy(&h, buf, sizeof(h));
	if (h.magic != BTF_MAGIC) {
		h.hdr_len = bswap_32(h.hdr_len);
		h.type_off = bswap_32(h.type_off);
		h.type_len = bswap_32(h.type_len);
		h.str_off = bswap_32(h.str_off);
		h.str_len = bswap_32(h.str_len);
	}
	end = (uint64_t)h.hdr_len + h.str_off + h.str_len;
	if ((uint64_t)h.hdr_len + h.type_off + h.type_len > end)
		end = (uint64_t)h.hdr_len + h.type_off + h.type_len;
	if (end > len) {
		diag__err(d, "%s: truncated BTF (header describes %llu bytes, file has %zu)", path,
			  (unsigned long long)end, len);
		return -EINVAL;
	}
	return 0;
}

static int read_layer(const char *path, const struct diag *d, struct layer_bytes *lb)
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
			layer_bytes_release(lb);
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

int reader__read_file(const char *path, const struct diag *d, void **data, size_t *size)
{
	struct layer_bytes lb;
	int err = read_layer(path, d, &lb);

	if (err)
		return err;
	if (!lb.buf) {	/* mapped bytes: the caller gets its own copy */
		lb.buf = malloc(lb.size);
		if (!lb.buf) {
			layer_bytes_release(&lb);
			return -ENOMEM;
		}
		memcpy(lb.buf, lb.data, lb.size);
	}
	*data = lb.buf;
	*size = lb.size;
	lb.buf = NULL;
	layer_bytes_release(&lb);
	return 0;
}

/* A checked layer's header, in native order. */
struct layer_hdr {
	struct btf_header h;
	int swapped;
};

static void layer_hdr_read(const void *blob, struct layer_hdr *lh)
{
	memcpy(&lh->h, blob, sizeof(lh->h));
	lh->swapped = lh->h.magic != BTF_MAGIC;
	if (lh->swapped) {
		lh->h.hdr_len = bswap_32(lh->h.hdr_len);
		lh->h.type_off = bswap_32(lh->h.type_off);
		lh->h.type_len = bswap_32(lh->h.type_len);
		lh->h.str_off = bswap_32(lh->h.str_off);
		lh->h.str_len = bswap_32(lh->h.str_len);
	}
}

/* Number of records in a type section that reader__check() accepted. */
static uint32_t count_types(const uint8_t *sec, uint32_t len, int swapped)
{
	struct btf_type t;
	uint32_t pos = 0, nr = 0;

	while (pos < len) {
		memcpy(&t, sec + pos, sizeof(t));
		if (swapped)
			t.info = bswap_32(t.info);
		pos += sizeof(t) + (uint32_t)typeref__extra_size(&t);
		nr++;
	}
	return nr;
}

static int host_big_endian(void)
{
	return __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;
}

/*
 * Chain flattening (REFERENCE §4c).
 *
 * Problem: layer k is split BTF whose type IDs continue from the type count
 * of layers 0..k-1 and whose string offsets continue from their summed
 * string lengths. libbpf 1.1.2 resolves the string offsets of a split BTF
 * whose base is itself split wrongly (§4b), and has no btf__new_split().
 *
 * Example: A (100 types + void, 1000 string bytes) <- B (20 types, 50 bytes)
 * <- C. B's types are IDs 101..120 and its strings offsets 1000..1049; C's
 * first type is ID 121 and its first string offset 1050.
 *
 * Passes: (1) check each layer on the sums of the layers below it and record
 * those sums; (2) write one header with the summed lengths, then every
 * layer's type section, then every layer's string section, each copied
 * byte for byte in the byte order they came in; (3) btf__new() once.
 *
 * Invariant: in the result, layer k's records sit exactly at its own IDs and
 * its strings at its own absolute offsets, so no record needs rewriting. The
 * root's string section starts with the '\0' that offset 0 needs.
 */
static int parse_flat(struct btf_chain *c, const void *flat, uint64_t size, const struct diag *d)
{
	int err = 0;

	c->flat = btf__new(flat, (uint32_t)size);
	if (!c->flat) {
		err = errno ? -errno : -EINVAL;
		diag__err(d, "%s: libbpf cannot parse the flattened chain: %s",
			  c->layers[c->nlayers - 1].path, strerror(-err));
	}
	return err;
}

static int flatten(struct btf_chain *c, const void *const *blobs, const struct layer_hdr *lh,
		   struct btf *parsed, const struct diag *d)
{
	uint64_t types_len = 0, strs_len = 0, size;
	struct btf_header h = { .magic = BTF_MAGIC, .version = BTF_VERSION,
				.hdr_len = sizeof(h) };
	uint8_t *flat, *p;
	size_t i;
	int err = 0;

	for (i = 0; i < c->nlayers; i++) {
		types_len += lh[i].h.type_len;
		strs_len += lh[i].h.str_len;
	}
	size = sizeof(h) + types_len + strs_len;
	if (size > UINT32_MAX) {
		diag__err(d, "%s: chain too large (%llu bytes)", c->layers[c->nlayers - 1].path,
			  (unsigned long long)size);
		return -EINVAL;
	}
	h.type_len = (uint32_t)types_len;
	h.str_off = (uint32_t)types_len;
	h.str_len = (uint32_t)strs_len;
	if (lh[0].swapped) {
		h.magic = bswap_16(h.magic);
		h.hdr_len = bswap_32(h.hdr_len);
		h.type_len = bswap_32(h.type_len);
		h.str_off = bswap_32(h.str_off);
		h.str_len = bswap_32(h.str_len);
	}
	if (c->nlayers == 1 && lh[0].h.hdr_len == sizeof(h) && !lh[0].h.type_off &&
	    lh[0].h.str_off == lh[0].h.type_len) {
		/* One layer laid out as the flat BTF would be: parsed as it is. */
		if (parsed) {
			c->flat = parsed;
			return 0;
		}
		return parse_flat(c, blobs[0], size, d);
	}
	btf__free(parsed);	/* not of these bytes */
	flat = malloc(size);
	if (!flat)
		return -ENOMEM;
	memcpy(flat, &h, sizeof(h));
	p = flat + sizeof(h);
	for (i = 0; i < c->nlayers; i++) {
		memcpy(p, (const uint8_t *)blobs[i] + lh[i].h.hdr_len + lh[i].h.type_off,
		       lh[i].h.type_len);
		p += lh[i].h.type_len;
	}
	for (i = 0; i < c->nlayers; i++) {
		memcpy(p, (const uint8_t *)blobs[i] + lh[i].h.hdr_len + lh[i].h.str_off,
		       lh[i].h.str_len);
		p += lh[i].h.str_len;
	}
	err = parse_flat(c, flat, size, d);
	free(flat);
	return err;
}

/* Pass 1 of load_mem(): every layer checked on the ones below it and described. */
static int check_layers(const void *const *blobs, const size_t *sizes, const char *const *names,
			size_t n, enum check_level level, const struct diag *d,
			struct btf_chain **cp, struct layer_hdr **lhp)
{
	uint32_t base_types = 1, base_str_len = 0;
	struct layer_hdr *lh = NULL;
	char *strs = NULL;
	struct btf_chain *c;
	size_t i;
	int err = -ENOMEM;

	if (!n) {
		diag__err(d, "empty BTF chain");
		return -EINVAL;
	}
	c = calloc(1, sizeof(*c));
	lh = calloc(n, sizeof(*lh));
	if (!c || !lh || !(c->layers = calloc(n, sizeof(*c->layers))))
		goto out;
	for (i = 0; i < n; i++) {
		struct btf_layer *l = &c->layers[i];
		char fallback[32];
		const char *name = names ? names[i] : NULL;

		snprintf(fallback, sizeof(fallback), "layer %zu", i);
		l->path = strdup(name ? name : fallback);
		if (!l->path)
			goto out;
		c->nlayers++;
		err = check__layer(blobs[i], sizes[i], base_types, base_str_len, strs, c->layers, i,
				   level, l->path, d);
		if (err)
			goto out;
		layer_hdr_read(blobs[i], &lh[i]);
		/* Keep this layer's strings for checking the layers above it. */
		if (i + 1 < n) {
			char *grown = realloc(strs, (size_t)base_str_len + lh[i].h.str_len);

			err = -ENOMEM;
			if (!grown)
				goto out;
			strs = grown;
			memcpy(strs + base_str_len, (const char *)blobs[i] + lh[i].h.hdr_len +
			       lh[i].h.str_off, lh[i].h.str_len);
			err = 0;
		}
		if (lh[i].swapped != lh[0].swapped) {
			diag__err(d, "%s: byte order differs from %s's (one chain, one order)",
				  l->path, c->layers[0].path);
			err = -EINVAL;
			goto out;
		}
		l->start_id = base_types;
		l->nr_types = count_types((const uint8_t *)blobs[i] + lh[i].h.hdr_len +
					  lh[i].h.type_off, lh[i].h.type_len, lh[i].swapped);
		l->start_str = base_str_len;
		l->str_len = lh[i].h.str_len;
		l->crc = (uint32_t)crc32_z(crc32_z(0, Z_NULL, 0), blobs[i], sizes[i]);
		l->big_endian = host_big_endian() != lh[i].swapped;
		/* reader__check() bounds both sums (BTF_MAX_TYPE, UINT32_MAX). */
		base_types += l->nr_types;
		base_str_len += l->str_len;
	}
out:
	free(strs);
	if (err) {
		free(lh);
		chain__free(c);
		return err;
	}
	*cp = c;
	*lhp = lh;
	return 0;
}

static int load_mem(const void *const *blobs, const size_t *sizes, const char *const *names,
		    size_t n, enum check_level level, const struct diag *d,
		    struct btf_chain **out)
{
	struct layer_hdr *lh;
	struct btf_chain *c;
	int err = check_layers(blobs, sizes, names, n, level, d, &c, &lh);

	if (err)
		return err;
	err = flatten(c, blobs, lh, NULL, d);
	free(lh);
	if (err) {
		chain__free(c);
		return err;
	}
	*out = c;
	return 0;
}

int chain__load_mem(const void *const *blobs, const size_t *sizes, const char *const *names,
		    size_t n, const struct diag *d, struct btf_chain **out)
{
	return load_mem(blobs, sizes, names, n, CHECK_FULL, d, out);
}

/* The .BTF.ancestry text of an ELF file, NUL-terminated; NULL if none or not an ELF. */
static char *read_ancestry(const char *path)
{
	unsigned char magic[SELFMAG];
	Elf_Scn *scn = NULL;
	char *text = NULL;
	size_t shstrndx;
	Elf *elf;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (pread(fd, magic, SELFMAG, 0) != SELFMAG || memcmp(magic, ELFMAG, SELFMAG)) {
		close(fd);
		return NULL;
	}
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (elf && elf_getshdrstrndx(elf, &shstrndx) == 0) {
		while ((scn = elf_nextscn(elf, scn))) {
			GElf_Shdr sh;
			const char *name;
			Elf_Data *ed;

			if (!gelf_getshdr(scn, &sh))
				break;
			name = elf_strptr(elf, shstrndx, sh.sh_name);
			if (!name || strcmp(name, ".BTF.ancestry") || sh.sh_type == SHT_NOBITS)
				continue;
			ed = elf_getdata(scn, NULL);
			if (ed && ed->d_buf && ed->d_size < (1 << 20) && (text = malloc(ed->d_size + 1))) {
				memcpy(text, ed->d_buf, ed->d_size);
				text[ed->d_size] = 0;
			}
			break;
		}
	}
	if (elf)
		elf_end(elf);
	close(fd);
	return text;
}

/*
 * A layer written by btfenc into an ELF records the layers it was made on
 * (.BTF.ancestry: type count, string bytes, crc32 of each, root first); here
 * they must be exactly the layers below it in the chain given.
 */
static int check_ancestry(const struct btf_chain *c, size_t i, const char *text,
			  const struct diag *d)
{
	const struct btf_layer *l = &c->layers[i];
	const char *p = strchr(text, '\n');
	size_t j = 0;

	if (strncmp(text, "btfenc-ancestry 1\n", 18) || !p)
		return 0;	/* not a format we know: nothing to check */
	for (p++; *p; j++) {
		unsigned int types, strs, crc;
		char name[256] = "";

		if (sscanf(p, "%u %u %x %255s", &types, &strs, &crc, name) < 3)
			break;
		if (j >= i) {
			diag__err(d, "%s: made on more layers than the %zu below it in this chain "
				  "(missing %s)", l->path, i, name);
			return -EINVAL;
		}
		if (types != c->layers[j].nr_types || strs != c->layers[j].str_len ||
		    crc != c->layers[j].crc) {
			diag__err(d, "%s: made on %s (%u types, crc %08x) as layer %zu, but the chain "
				  "has %s (%u types, crc %08x) there", l->path, name, types, crc, j + 1,
				  c->layers[j].path, c->layers[j].nr_types, c->layers[j].crc);
			return -EINVAL;
		}
		p = strchr(p, '\n');
		if (!p)
			break;
		p++;
	}
	if (j != i) {
		diag__err(d, "%s: made on %zu base layers, but the chain gives %zu", l->path, j, i);
		return -EINVAL;
	}
	return 0;
}

int chain__check_ancestry(const struct btf_chain *c, const struct diag *d)
{
	size_t i;
	int err = 0;

	for (i = 1; !err && i < c->nlayers; i++) {
		char *anc = read_ancestry(c->layers[i].path);

		if (anc)
			err = check_ancestry(c, i, anc, d);
		free(anc);
	}
	return err;
}

int chain__load(const char *const *paths, size_t n, const struct diag *d,
		struct btf_chain **out)
{
	return chain__load_level(paths, n, CHECK_FULL, d, out);
}

/* Layers read, not yet checked (reader.h). */
struct chain_files {
	size_t n;
	struct layer_bytes *lbs;
	const void **blobs;
	size_t *sizes;
	const char *const *paths;
	struct btf_chain *checked;	/* chain__check_files(): layers described, no flat BTF */
	struct layer_hdr *lh;
};

void chain_files__free(struct chain_files *f)
{
	size_t i;

	if (!f)
		return;
	for (i = 0; f->lbs && i < f->n; i++)
		layer_bytes_release(&f->lbs[i]);
	chain__free(f->checked);
	free(f->lh);
	free(f->lbs);
	free(f->blobs);
	free(f->sizes);
	free(f);
}

int chain__read(const char *const *paths, size_t n, const struct diag *d,
		struct chain_files **out)
{
	struct chain_files *f = calloc(1, sizeof(*f));
	size_t i;
	int err;

	if (!f || !(f->lbs = calloc(n ? n : 1, sizeof(*f->lbs))) ||
	    !(f->blobs = calloc(n ? n : 1, sizeof(*f->blobs))) ||
	    !(f->sizes = calloc(n ? n : 1, sizeof(*f->sizes)))) {
		chain_files__free(f);
		return -ENOMEM;
	}
	f->paths = paths;
	for (i = 0; i < n; i++) {
		err = read_layer(paths[i], d, &f->lbs[i]);
		if (err) {
			chain_files__free(f);
			return err;
		}
		f->n++;
		f->blobs[i] = f->lbs[i].data;
		f->sizes[i] = f->lbs[i].size;
	}
	*out = f;
	return 0;
}

const void *chain_files__flat_bytes(const struct chain_files *f, size_t *size)
{
	struct btf_header h;

	if (f->n != 1 || f->sizes[0] < sizeof(h))
		return NULL;
	memcpy(&h, f->blobs[0], sizeof(h));
	if (h.magic != BTF_MAGIC || h.hdr_len != sizeof(h) || h.type_off ||
	    h.str_off != h.type_len || (uint64_t)h.hdr_len + h.type_len + h.str_len != f->sizes[0])
		return NULL;
	*size = f->sizes[0];
	return f->blobs[0];
}

int chain__check_files(struct chain_files *f, enum check_level level, const struct diag *d)
{
	if (f->checked)
		return 0;
	return check_layers(f->blobs, f->sizes, f->paths, f->n, level, d, &f->checked, &f->lh);
}

struct btf *chain_files__parse_flat(const struct chain_files *f)
{
	size_t size;
	const void *raw = chain_files__flat_bytes(f, &size);

	if (!raw) {
		errno = EINVAL;
		return NULL;
	}
	return btf__new(raw, (uint32_t)size);
}

int chain__from_files(struct chain_files *f, enum check_level level, struct btf *parsed,
		      const struct diag *d, struct btf_chain **out)
{
	struct btf_chain *c;
	int err = chain__check_files(f, level, d);

	if (!err) {
		c = f->checked;
		f->checked = NULL;
		err = flatten(c, f->blobs, f->lh, parsed, d);
		parsed = NULL;
		if (!err)
			err = chain__check_ancestry(c, d);
		if (err)
			chain__free(c);
	}
	btf__free(parsed);
	if (err) {
		chain_files__free(f);
		return err;
	}
	c->files = f;
	*out = c;
	return 0;
}

int chain__load_level(const char *const *paths, size_t n, enum check_level level,
		      const struct diag *d, struct btf_chain **out)
{
	struct chain_files *f;
	int err = chain__read(paths, n, d, &f);

	return err ? err : chain__from_files(f, level, NULL, d, out);
}

void chain__free(struct btf_chain *c)
{
	size_t i;

	if (!c)
		return;
	btf__free(c->flat);
	chain_files__free(c->files);
	for (i = 0; i < c->nlayers; i++)
		free(c->layers[i].path);
	free(c->layers);
	free(c);
}
