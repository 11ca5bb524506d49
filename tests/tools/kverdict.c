// SPDX-License-Identifier: GPL-2.0-only
/*
 * kverdict: btfenc verify's offline verdict against the running kernel's
 * (BPF_BTF_LOAD), on mutated BTF or on a recorded corpus.
 *
 *   kverdict [--base=FILE] [--seed=N] [--count=N] [--save=DIR] FILE...
 *	Each FILE (raw BTF; split on --base when given) is mutated COUNT times
 *	(default 1000), deterministically from SEED (default 1): bit flips,
 *	random bytes, record fields set to values that sit on the kernel's
 *	limits, a header made longer. With --base only the split layer is
 *	mutated and the kernel is offered the chain concatenated, as verify
 *	--kernel offers it. Every mutant gets verify__layers()'s verdict
 *	(btfenc verify's) and the kernel's; a mutant on which they differ is
 *	reported, and saved into DIR with its kernel verdict appended to
 *	DIR/verdicts (a replay corpus). Needs root: without BPF_BTF_LOAD it
 *	stops with exit 77.
 *   kverdict --replay=DIR
 *	Each line "FILE accepted|rejected [BASE]" of DIR/verdicts: the
 *	offline verdict on DIR/FILE (split on DIR/BASE) against the kernel's,
 *	the running kernel's when it may be asked, else the recorded one (the
 *	verdict of the kernel the corpus was made on; the summary says which).
 *
 * A mutant for which verify has no verdict (valid BTF that libbpf 1.1.2
 * cannot hold, -ENOTSUP; a format the running kernel predates) or that
 * cannot be concatenated is counted as skipped, not compared.
 * Exit: 0 no disagreement, 1 some, 2 bad usage or unreadable input, 77 no
 * kernel to ask (mutation mode).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <bpf/btf.h>
#include <linux/btf.h>

#include "btf_reader/format.h"
#include "btf_reader/reader.h"
#include "btf_reader/typeref.h"
#include "inspect/verify.h"
#include "util/diag.h"

enum verdict { V_ACCEPT, V_REJECT, V_NONE };

struct blob {
	uint8_t *data;
	size_t size;
};

struct run {
	struct blob base;		/* .data NULL: single blobs */
	const char *save_dir;
	unsigned long compared, disagree, skipped, accepted;
	char msgs[2048];		/* the offline verdict's messages, for a report */
	size_t msgs_len;
};

static uint64_t rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);	/* splitmix64 */

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t rng_below(uint64_t *s, uint32_t n)
{
	return n ? (uint32_t)(rng_next(s) % n) : 0;
}

static int read_blob(const char *path, struct blob *b)
{
	FILE *f = fopen(path, "rb");
	long len;

	if (!f || fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fprintf(stderr, "kverdict: %s: %s\n", path, strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	b->size = (size_t)len;
	b->data = malloc(b->size ? b->size : 1);
	if (!b->data || fread(b->data, 1, b->size, f) != b->size) {
		fprintf(stderr, "kverdict: %s: cannot read\n", path);
		fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
}

static void keep_msg(void *ctx, enum diag_level level, const char *line)
{
	struct run *r = ctx;
	int n;

	if (r->msgs_len + 2 >= sizeof(r->msgs))
		return;
	n = snprintf(r->msgs + r->msgs_len, sizeof(r->msgs) - r->msgs_len, "  %s\n", line);
	if (n > 0)
		r->msgs_len = r->msgs_len + (size_t)n < sizeof(r->msgs) ? r->msgs_len + (size_t)n :
			      sizeof(r->msgs) - 1;
}

/* btfenc verify's offline verdict on @layer (on r->base if any). */
static enum verdict offline_verdict(struct run *r, const struct blob *layer)
{
	struct diag d = { .emit = keep_msg, .ctx = r, .max_level = DIAG_WARN };
	const void *blobs[2];
	size_t sizes[2], n = 0;
	struct btf_chain *chain = NULL;
	unsigned int max_kind, used;
	int err;

	r->msgs_len = 0;
	r->msgs[0] = '\0';
	if (r->base.data) {
		blobs[n] = r->base.data;
		sizes[n++] = r->base.size;
	}
	blobs[n] = layer->data;
	sizes[n++] = layer->size;
	err = verify__layers(blobs, sizes, NULL, n, &d, &chain);
	/* As btfenc verify: a format the running kernel predates has no verdict to compare. */
	if (chain) {
		char release[128];

		used = verify__formats_used(chain, &max_kind);
		if (used & ~verify__kernel_reads("/sys/kernel/btf/vmlinux", max_kind, release,
						 sizeof(release)))
			err = -ENOTSUP;
	}
	chain__free(chain);
	if (!err)
		return V_ACCEPT;
	return err == -EINVAL ? V_REJECT : V_NONE;
}

/* The running kernel's verdict; -1: it may not be asked here. */
static int kernel_verdict(const struct run *r, const struct blob *layer, enum verdict *v,
			  char *log, size_t log_len)
{
	const void *blobs[2];
	size_t sizes[2], n = 0, size;
	void *cat;
	int err;

	if (r->base.data) {
		blobs[n] = r->base.data;
		sizes[n++] = r->base.size;
	}
	blobs[n] = layer->data;
	sizes[n++] = layer->size;
	if (verify__concat(blobs, sizes, n, &cat, &size)) {
		*v = V_NONE;
		return 0;
	}
	err = verify__kernel(cat, size, log, log_len);
	free(cat);
	if (err == -EPERM || err == -EACCES || err == -ENOSYS)
		return -1;
	*v = err ? V_REJECT : V_ACCEPT;
	return 0;
}

static const char *verdict_word(enum verdict v)
{
	return v == V_ACCEPT ? "accepted" : v == V_REJECT ? "rejected" : "none";
}

/* Saves a disagreeing mutant as DIR/NAME and notes the kernel's verdict in DIR/verdicts. */
static void save(const struct run *r, const struct blob *m, const char *name, enum verdict kv)
{
	char path[4096];
	FILE *f;

	if (!r->save_dir)
		return;
	mkdir(r->save_dir, 0755);
	snprintf(path, sizeof(path), "%s/%s", r->save_dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(m->data, 1, m->size, f) != m->size) {
		fprintf(stderr, "kverdict: cannot write %s\n", path);
		if (f)
			fclose(f);
		return;
	}
	fclose(f);
	snprintf(path, sizeof(path), "%s/verdicts", r->save_dir);
	f = fopen(path, "a");
	if (f) {
		fprintf(f, "%s %s%s\n", name, verdict_word(kv), r->base.data ? " base.btf" : "");
		fclose(f);
	}
}

/* Where the records of an unmutated layer start, from libbpf's parse of it. */
struct records {
	uint32_t *off;		/* blob offset of each record */
	uint32_t *len;		/* its bytes */
	uint32_t n;
};

static int find_records(const struct blob *layer, struct records *rec)
{
	const struct btf_header *h = (const struct btf_header *)layer->data;
	uint32_t pos = h->hdr_len + h->type_off, end = pos + h->type_len, cap = 0;

	if (h->magic != BTF_MAGIC || (uint64_t)end > layer->size || pos % 4)
		return -1;
	while (pos < end) {
		const struct btf_type *t = (const struct btf_type *)(layer->data + pos);
		long extra = end - pos >= sizeof(*t) ? typeref__extra_size(t) : -1;

		if (extra < 0 || extra > end - pos - (long)sizeof(*t))
			return -1;
		if (rec->n == cap) {
			cap = cap ? 2 * cap : 64;
			rec->off = realloc(rec->off, cap * sizeof(*rec->off));
			rec->len = realloc(rec->len, cap * sizeof(*rec->len));
			if (!rec->off || !rec->len)
				return -1;
		}
		rec->off[rec->n] = pos;
		rec->len[rec->n++] = (uint32_t)(sizeof(*t) + extra);
		pos += (uint32_t)(sizeof(*t) + extra);
	}
	return 0;
}

/* Values on the kernel's limits: bit and byte sizes, offsets, IDs, kinds. */
static uint32_t interesting(uint64_t *s, uint32_t nr_types)
{
	static const uint32_t values[] = {
		0, 1, 2, 3, 4, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 63, 64, 65, 127, 128, 129,
		255, 256, 0x7fff, 0xffff, 0x10000, 0x1000000, 0x2000000, 0x8000000,
		0x10000000, 0x20000000, 0x40000000, 0x7fffffff, 0x80000000, 0xffffffff,
		0x01000001, 0x08000008, 0x80000001, 0x81000000, 0x01000080,
	};

	switch (rng_below(s, 4)) {
	case 0:
		return rng_below(s, nr_types + 3);		/* a type ID */
	case 1:
		return (uint32_t)rng_next(s);
	default:
		return values[rng_below(s, sizeof(values) / sizeof(values[0]))];
	}
}

static void set_word(uint8_t *p, uint32_t w)
{
	memcpy(p, &w, sizeof(w));
}

static uint32_t get_word(const uint8_t *p)
{
	uint32_t w;

	memcpy(&w, p, sizeof(w));
	return w;
}

/*
 * One mutation of @m (a copy of the layer, @rec its records). Returns a
 * short name of what was done.
 */
static const char *mutate_once(uint64_t *s, struct blob *m, const struct records *rec,
			       uint32_t nr_types, uint32_t from)
{
	uint32_t what = rng_below(s, 16), i, w, off;
	uint8_t *p;

	if (!rec->n || what < 2) {
		if (m->size <= from)
			return "none";
		if (what == 0) {
			m->data[from + rng_below(s, (uint32_t)m->size - from)] ^=
				(uint8_t)(1u << rng_below(s, 8));
			return "bitflip";
		}
		m->data[from + rng_below(s, (uint32_t)m->size - from)] = (uint8_t)rng_next(s);
		return "byte";
	}
	i = rng_below(s, rec->n);
	p = m->data + rec->off[i];
	w = rng_below(s, rec->len[i] / 4);
	off = w * 4;
	switch (what) {
	case 2:		/* the info word: kind, kind_flag, vlen */
		w = get_word(p + 4);
		switch (rng_below(s, 4)) {
		case 0:
			w ^= 0x80000000;
			break;
		case 1:
			w = (w & 0x80ffffff) | (rng_below(s, 20) << 24);
			break;
		case 2:
			w = (w & 0xffff0000) | ((w + (rng_below(s, 2) ? 1 : 0xffff)) & 0xffff);
			break;
		default:
			w = interesting(s, nr_types);
		}
		set_word(p + 4, w);
		return "info";
	case 3:
	case 4:		/* a member's offset: bit offset, bitfield size */
		if (rec->len[i] >= 24) {
			off = 12 + 12 * rng_below(s, (rec->len[i] - 12) / 12) + 8;
			w = get_word(p + off);
			switch (rng_below(s, 3)) {
			case 0:
				w += rng_below(s, 17) - 8;
				break;
			case 1:
				w = (w & 0xffffff) | (rng_below(s, 130) << 24);
				break;
			default:
				w = interesting(s, nr_types);
			}
			set_word(p + off, w);
			return "member-offset";
		}
		/* fall through */
	case 5:		/* size or type */
		set_word(p + 8, interesting(s, nr_types));
		return "size-type";
	case 6:		/* an INT's data word or the word after the record's head */
		if (rec->len[i] > 12) {
			w = get_word(p + 12);
			switch (rng_below(s, 3)) {
			case 0:	/* the bits */
				w = (w & ~0xffu) | rng_below(s, 256);
				break;
			case 1:	/* the bit offset */
				w = (w & ~0xff0000u) | (rng_below(s, 130) << 16);
				break;
			default:
				w = (w & ~0x0f000000u) | (rng_below(s, 16) << 24);
			}
			set_word(p + 12, w);
			return "int-data";
		}
		set_word(p + off, interesting(s, nr_types));
		return "word";
	case 7:		/* a word copied from another record */
		set_word(p + off, get_word(m->data + rec->off[rng_below(s, rec->n)] +
					   4 * rng_below(s, 3)));
		return "copy";
	default:
		set_word(p + off, interesting(s, nr_types));
		return "word";
	}
}

/* Makes the header @extra bytes longer (zeros), as a newer writer's would be. */
static int grow_header(struct blob *m, uint32_t extra)
{
	struct btf_header *h = (struct btf_header *)m->data;
	uint32_t hdr_len = h->hdr_len;
	uint8_t *grown;

	if (m->size < sizeof(*h) || hdr_len > m->size)
		return 0;
	grown = malloc(m->size + extra);
	if (!grown)
		return -1;
	memcpy(grown, m->data, hdr_len);
	memset(grown + hdr_len, 0, extra);
	memcpy(grown + hdr_len + extra, m->data + hdr_len, m->size - hdr_len);
	((struct btf_header *)grown)->hdr_len = hdr_len + extra;
	free(m->data);
	m->data = grown;
	m->size += extra;
	return 0;
}

/* The last @n lines of the kernel's log, where it says what it refused. */
static void print_tail(const char *log, int n)
{
	const char *p = log + strlen(log);

	while (p > log && p[-1] == '\n')
		p--;
	while (p > log && n) {
		p--;
		if (*p == '\n')
			n--;
	}
	p += *p == '\n';
	printf("  kernel: ");
	for (; *p; p++) {
		putchar(*p);
		if (*p == '\n' && p[1])
			printf("  kernel: ");
	}
	if (p > log && p[-1] != '\n')
		putchar('\n');
}

static int check_one(struct run *r, const struct blob *m, const char *name, const char *how)
{
	enum verdict off, kv;
	char log[1024];

	off = offline_verdict(r, m);
	if (off == V_NONE) {
		r->skipped++;
		return 0;
	}
	if (kernel_verdict(r, m, &kv, log, sizeof(log)) < 0)
		return -1;
	if (kv == V_NONE) {
		r->skipped++;
		return 0;
	}
	r->compared++;
	r->accepted += kv == V_ACCEPT;
	if (off == kv)
		return 0;
	r->disagree++;
	printf("DISAGREE %s (%s): verify %s, kernel %s\n", name, how,
	       off == V_ACCEPT ? "valid" : "invalid", verdict_word(kv));
	if (off == V_REJECT)
		printf("%s", r->msgs);
	else
		print_tail(log, 3);
	save(r, m, name, kv);
	return 0;
}

static int mutate_file(struct run *r, const char *path, unsigned long seed, unsigned long count)
{
	struct records rec = { 0 };
	struct blob orig, m;
	const char *base_name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	unsigned long k;
	char name[512], how[128];
	uint32_t nr_types, from;
	int err = 0;

	if (read_blob(path, &orig))
		return 2;
	if (orig.size < sizeof(struct btf_header) || find_records(&orig, &rec)) {
		fprintf(stderr, "kverdict: %s: not BTF in this machine's byte order with a "
			"4-byte aligned type section\n", path);
		free(orig.data);
		return 2;
	}
	nr_types = rec.n;
	/*
	 * A split layer reaches the kernel concatenated, under a header made for
	 * it: its own header is verify's alone to judge, so it is left whole.
	 */
	from = r->base.data ? ((const struct btf_header *)orig.data)->hdr_len : 0;
	for (k = 0; k < count && !err; k++) {
		uint64_t s = seed * 0x100000001b3ULL + k;
		unsigned int nmut = 1 + rng_below(&s, 3), j;
		size_t len = 0;

		for (j = 0; base_name[j]; j++)	/* the file's name in the stream too */
			s = s * 31 + (unsigned char)base_name[j];
		m.size = orig.size;
		m.data = malloc(m.size);
		if (!m.data)
			return 2;
		memcpy(m.data, orig.data, m.size);
		how[0] = '\0';
		for (j = 0; j < nmut; j++)
			len += (size_t)snprintf(how + len, sizeof(how) - len, "%s%s", j ? "+" : "",
						mutate_once(&s, &m, &rec, nr_types, from));
		if (!r->base.data && !rng_below(&s, 16)) {
			uint32_t extra = 1 + rng_below(&s, 8);

			if (grow_header(&m, extra))
				return 2;
			snprintf(how + len, sizeof(how) - len, "+hdr%+d", (int)extra);
		}
		snprintf(name, sizeof(name), "%s.%lu.%lu.btf", base_name, seed, k);
		err = check_one(r, &m, name, how);
		free(m.data);
	}
	free(rec.off);
	free(rec.len);
	free(orig.data);
	if (err) {
		fprintf(stderr, "kverdict: the kernel may not be asked here (BPF_BTF_LOAD)\n");
		return 77;
	}
	return 0;
}

/* --replay=DIR: each recorded blob's offline verdict against the kernel's. */
static int replay(const char *dir)
{
	unsigned long n = 0, live = 0, recorded = 0, bad = 0;
	char path[4096], line[1024], file[512], word[32], base[512];
	struct utsname u;
	FILE *f;

	snprintf(path, sizeof(path), "%s/verdicts", dir);
	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "kverdict: %s: %s\n", path, strerror(errno));
		return 2;
	}
	while (fgets(line, sizeof(line), f)) {
		struct run r = { 0 };
		struct blob m;
		enum verdict off, kv, rec_v;
		char log[1024];
		int fields;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		base[0] = '\0';
		fields = sscanf(line, "%511s %31s %511s", file, word, base);
		if (fields < 2 || (strcmp(word, "accepted") && strcmp(word, "rejected"))) {
			fprintf(stderr, "kverdict: %s: bad line: %s", path, line);
			fclose(f);
			return 2;
		}
		rec_v = strcmp(word, "accepted") ? V_REJECT : V_ACCEPT;
		snprintf(path, sizeof(path), "%s/%s", dir, file);
		if (read_blob(path, &m))
			return 2;
		if (fields == 3) {
			snprintf(path, sizeof(path), "%s/%s", dir, base);
			if (read_blob(path, &r.base))
				return 2;
		}
		off = offline_verdict(&r, &m);
		if (kernel_verdict(&r, &m, &kv, log, sizeof(log)) == 0 && kv != V_NONE) {
			live++;
		} else {
			kv = rec_v;
			recorded++;
		}
		n++;
		if (off != kv) {
			bad++;
			printf("DISAGREE %s: verify %s, kernel %s\n%s", file,
			       off == V_ACCEPT ? "valid" : off == V_REJECT ? "invalid" : "no verdict",
			       verdict_word(kv), r.msgs);
		}
		free(m.data);
		free(r.base.data);
	}
	fclose(f);
	uname(&u);
	printf("kverdict replay: %lu blobs, %lu disagreements; compared with the running kernel "
	       "(%s) for %lu, with the verdict recorded in the corpus for %lu%s\n", n, bad,
	       u.release, live, recorded, recorded ? " (BPF_BTF_LOAD not permitted here)" : "");
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	unsigned long seed = 1, count = 1000;
	struct run r = { 0 };
	int i, rc = 0, files = 0;

	for (i = 1; i < argc; i++) {
		if (!strncmp(argv[i], "--replay=", 9))
			return replay(argv[i] + 9);
		if (!strncmp(argv[i], "--seed=", 7))
			seed = strtoul(argv[i] + 7, NULL, 0);
		else if (!strncmp(argv[i], "--count=", 8))
			count = strtoul(argv[i] + 8, NULL, 0);
		else if (!strncmp(argv[i], "--save=", 7))
			r.save_dir = argv[i] + 7;
		else if (!strncmp(argv[i], "--base=", 7)) {
			if (read_blob(argv[i] + 7, &r.base))
				return 2;
		} else if (argv[i][0] == '-') {
			fprintf(stderr, "usage: kverdict [--base=FILE] [--seed=N] [--count=N] "
				"[--save=DIR] FILE... | --replay=DIR\n");
			return 2;
		}
	}
	for (i = 1; i < argc && !rc; i++) {
		if (argv[i][0] == '-')
			continue;
		files++;
		rc = mutate_file(&r, argv[i], seed, count);
	}
	if (!rc && r.save_dir && r.base.data && r.disagree) {
		struct blob *b = &r.base;

		save(&(struct run){ .save_dir = r.save_dir }, b, "base.btf", V_ACCEPT);
	}
	printf("kverdict: %d file%s x %lu mutants (seed %lu%s): %lu compared (%lu accepted by "
	       "the kernel), %lu skipped (no verdict), %lu disagreements\n", files,
	       files == 1 ? "" : "s", count, seed, r.base.data ? ", split on the base" : "",
	       r.compared, r.accepted, r.skipped, r.disagree);
	free(r.base.data);
	if (rc)
		return rc;
	return r.disagree ? 1 : 0;
}
