// SPDX-License-Identifier: GPL-2.0-only
/*
 * Base chains: layers read (reader.c), checked, flattened into one struct btf,
 * their ancestry checked (contract in reader.h).
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
#include <bpf/btf.h>
#include <linux/btf.h>
#include <zlib.h>

#include "btf_reader/reader.h"
#include "btf_reader/reader_int.h"
#include "btf_reader/check_int.h"
#include "btf_reader/format.h"
#include "btf_reader/typeref.h"
#include "util/diag.h"

static void layer_hdr_read(const void *blob, size_t size, struct layer_hdr *lh)
{
	struct full_header full;

	lh->swapped = format__read_header(blob, size, &full) == 1;
	lh->h = full.base;
	lh->layout_len = full.layout_len;
}

static void layer_hdrs_free(struct layer_hdr *lh, size_t n)
{
	size_t i;

	for (i = 0; lh && i < n; i++)
		free(lh[i].scan.unknown);
	free(lh);
}

static int host_big_endian(void)
{
	return __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;
}

/* Chain flattening: flatten.c. */
/* A header (native order) already laid out as the flat BTF's: header, types, strings. */
static int flat_layout(const struct btf_header *h)
{
	return h->hdr_len == sizeof(*h) && !h->type_off && h->str_off == h->type_len;
}

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
	uint64_t size;
	uint8_t *flat;
	int err;

	if (c->nlayers == 1 && flat_layout(&lh[0].h) && !lh[0].scan.nunknown) {
		/* One layer laid out as the flat BTF would be: parsed as it is. */
		if (parsed) {
			c->flat = parsed;
			return 0;
		}
		return parse_flat(c, blobs[0], sizeof(lh[0].h) + lh[0].h.type_len +
				  lh[0].h.str_len, d);
	}
	btf__free(parsed);	/* not of these bytes */
	err = flatten__bytes(blobs, lh, c->nlayers, &flat, &size);
	if (err == -E2BIG) {
		diag__err(d, "%s: chain too large (%llu bytes)", c->layers[c->nlayers - 1].path,
			  (unsigned long long)size);
		return -EINVAL;
	}
	if (err)
		return err;
	err = parse_flat(c, flat, size, d);
	free(flat);
	return err;
}

/* Keeps a copy of the layout section that applies to layer @l's records. */
static int keep_layout(struct btf_layer *l, const struct kind_layout *layout, uint32_t nr)
{
	if (!layout)
		return 0;
	l->layout = malloc(nr * sizeof(*layout));
	if (!l->layout)
		return -ENOMEM;
	memcpy(l->layout, layout, nr * sizeof(*layout));
	l->nr_layout = nr;
	return 0;
}

/* Pass 1 of load_mem(): every layer checked on the ones below it and described. */
static int check_layers(const void *const *blobs, const size_t *sizes, const char *const *names,
			size_t n, enum check_level level, const struct diag *d,
			struct btf_chain **cp, struct layer_hdr **lhp)
{
	uint32_t base_types = 1, base_str_len = 0, nr_layout = 0;
	const struct kind_layout *layout = NULL;
	struct layer_hdr *lh = NULL;
	struct check_base base;
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
		base = (struct check_base){ .types = base_types, .str_len = base_str_len,
					    .strs = strs, .lower = c->layers, .nlower = i,
					    .layout = layout, .nr_layout = nr_layout };
		err = check__layer(blobs[i], sizes[i], &base, level, l->path, d, &lh[i].scan);
		if (err)
			goto out;
		layer_hdr_read(blobs[i], sizes[i], &lh[i]);
		/* A split layer without a layout section steps over kinds with its base's. */
		if (lh[i].scan.layout) {
			layout = lh[i].scan.layout;
			nr_layout = lh[i].scan.nr_layout;
		}
		err = keep_layout(l, layout, nr_layout);
		if (err)
			goto out;
		layout = l->layout;	/* an aligned copy: the layer's own may not be */
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
		l->nr_types = lh[i].scan.nr_types;
		l->start_str = base_str_len;
		l->str_len = lh[i].h.str_len;
		l->hdr_len = lh[i].h.hdr_len;
		l->layout_len = lh[i].layout_len;
		l->crc = (uint32_t)crc32_z(crc32_z(0, Z_NULL, 0), blobs[i], sizes[i]);
		l->big_endian = host_big_endian() != lh[i].swapped;
		/* reader__check() bounds both sums (BTF_MAX_TYPE, UINT32_MAX). */
		base_types += l->nr_types;
		base_str_len += l->str_len;
	}
out:
	free(strs);
	if (err) {
		layer_hdrs_free(lh, n);
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
	if (!err && level != CHECK_STRUCTURE)
		err = check__resolve_chain(c, d);
	layer_hdrs_free(lh, n);
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

int chain__load_mem_level(const void *const *blobs, const size_t *sizes,
			  const char *const *names, size_t n, enum check_level level,
			  const struct diag *d, struct btf_chain **out)
{
	return load_mem(blobs, sizes, names, n, level, d, out);
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
	struct layer_bytes *lbs;	/* room for one more than the paths: a root's .BTF.base */
	const void **blobs;
	size_t *sizes;
	const char *const *paths;	/* names: the caller's paths, and base_name */
	const char **names;
	char *base_name;		/* "PATH (.BTF.base)" of a root with a distilled base */
	struct btf_chain *checked;	/* chain__check_files(): layers described, no flat BTF */
	struct layer_hdr *lh;
};

void chain_files__free(struct chain_files *f)
{
	size_t i;

	if (!f)
		return;
	for (i = 0; f->lbs && i < f->n; i++)
		layer_bytes__release(&f->lbs[i]);
	chain__free(f->checked);
	layer_hdrs_free(f->lh, f->n);
	free(f->lbs);
	free(f->blobs);
	free(f->sizes);
	free(f->names);
	free(f->base_name);
	free(f);
}

static void files_set(struct chain_files *f, size_t i)
{
	f->blobs[i] = f->lbs[i].data;
	f->sizes[i] = f->lbs[i].size;
}

/*
 * Layer @i came with a distilled base (.BTF.base): above the root, it is
 * relocated onto the layers below it, as the kernel relocates a module onto
 * vmlinux (reader__relocate(), which checks them); as the root, its
 * .BTF.base becomes a layer of its own below it.
 */
static int settle_dist_base(struct chain_files *f, size_t i, const struct diag *d)
{
	struct layer_bytes *lb = &f->lbs[i];
	struct btf_chain *lower = NULL;
	size_t size;
	void *moved;
	int err;

	if (!i) {
		if (asprintf(&f->base_name, "%s (.BTF.base)", f->names[0]) < 0) {
			f->base_name = NULL;
			return -ENOMEM;
		}
		f->lbs[1] = f->lbs[0];
		f->lbs[0] = (struct layer_bytes){ .data = lb->dist_base, .size = lb->dist_base_size,
						  .buf = lb->dist_base };
		f->lbs[1].dist_base = NULL;
		f->names[1] = f->names[0];
		f->names[0] = f->base_name;
		f->n++;
		files_set(f, 0);
		files_set(f, 1);
		return 0;
	}
	err = chain__load_mem(f->blobs, f->sizes, f->names, i, d, &lower);
	if (!err)
		err = reader__relocate(lower, lb->dist_base, lb->dist_base_size, lb->data, lb->size,
				       f->names[i], d, &moved, &size);
	chain__free(lower);
	if (err)
		return err;
	layer_bytes__release(lb);
	*lb = (struct layer_bytes){ .data = moved, .size = size, .buf = moved };
	files_set(f, i);
	return 0;
}

int chain__read(const char *const *paths, size_t n, const struct diag *d,
		struct chain_files **out)
{
	struct chain_files *f = calloc(1, sizeof(*f));
	size_t i, at;
	int err;

	if (!f || !(f->lbs = calloc(n + 1, sizeof(*f->lbs))) ||
	    !(f->blobs = calloc(n + 1, sizeof(*f->blobs))) ||
	    !(f->sizes = calloc(n + 1, sizeof(*f->sizes))) ||
	    !(f->names = calloc(n + 1, sizeof(*f->names)))) {
		chain_files__free(f);
		return -ENOMEM;
	}
	f->paths = f->names;
	for (i = 0; i < n; i++) {
		at = f->n;	/* past i once a root brought its distilled base */
		err = layer_bytes__read(paths[i], d, &f->lbs[at]);
		if (!err) {
			f->names[at] = paths[i];
			f->n++;
			files_set(f, at);
			if (f->lbs[at].dist_base)
				err = settle_dist_base(f, at, d);
		}
		if (err) {
			chain_files__free(f);
			return err;
		}
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
	if (h.magic != BTF_MAGIC || !flat_layout(&h) ||
	    (uint64_t)h.hdr_len + h.type_len + h.str_len != f->sizes[0])
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
		if (!err && level != CHECK_STRUCTURE)
			err = check__resolve_chain(c, d);
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

void chain__drop_files(struct btf_chain *c)
{
	chain_files__free(c->files);
	c->files = NULL;
}

void chain__free(struct btf_chain *c)
{
	size_t i;

	if (!c)
		return;
	btf__free(c->flat);
	chain_files__free(c->files);
	for (i = 0; i < c->nlayers; i++) {
		free(c->layers[i].path);
		free(c->layers[i].layout);
	}
	free(c->layers);
	free(c);
}
