// SPDX-License-Identifier: GPL-2.0-only
/* Counting a BTF chain's types and bytes per layer (contract in stats.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>

#include "btf_reader/reader.h"
#include "inspect/dump.h"
#include "inspect/json.h"
#include "inspect/stats.h"
#include "util/vec.h"

/* Kinds whose name identifies a type (anonymous and modifier kinds are not counted). */
static int names_a_type(const struct btf_type *t)
{
	switch (reader__kind(t)) {
	case BTF_KIND_INT: case BTF_KIND_STRUCT: case BTF_KIND_UNION: case BTF_KIND_ENUM:
	case BTF_KIND_FWD: case BTF_KIND_TYPEDEF: case BTF_KIND_FUNC: case BTF_KIND_VAR:
	case BTF_KIND_DATASEC: case BTF_KIND_FLOAT: case BTF_KIND_ENUM64:
		return 1;
	default:
		return 0;
	}
}

static void add_layer(struct layer_stats *total, const struct layer_stats *l)
{
	unsigned int k;

	total->nr_types += l->nr_types;
	total->type_bytes += l->type_bytes;
	total->str_bytes += l->str_bytes;
	total->hdr_bytes += l->hdr_bytes;
	total->layout_bytes += l->layout_bytes;
	total->dup_names += l->dup_names;
	for (k = 0; k < STATS_NR_KINDS; k++) {
		total->kinds[k].count += l->kinds[k].count;
		total->kinds[k].bytes += l->kinds[k].bytes;
	}
}

int stats__collect(const struct btf_chain *c, struct layer_stats **out)
{
	struct layer_stats *ls = calloc(c->nlayers + 1, sizeof(*ls));
	struct strmap seen[STATS_NR_KINDS] = { { 0 } };	/* names seen, per kind */
	unsigned int k;
	size_t i;
	int err = 0;

	if (!ls)
		return -ENOMEM;
	for (i = 0; i < c->nlayers && !err; i++) {
		const struct btf_layer *layer = &c->layers[i];
		struct layer_stats *l = &ls[i];
		uint32_t id;

		l->path = layer->path;
		l->start_id = layer->start_id;
		l->nr_types = layer->nr_types;
		l->str_bytes = layer->str_len;
		l->hdr_bytes = layer->hdr_len;
		l->layout_bytes = layer->layout_len;
		for (id = layer->start_id; id < layer->start_id + layer->nr_types; id++) {
			const struct btf_type *t = btf__type_by_id(c->flat, id);
			const char *name = btf__name_by_offset(c->flat, t->name_off);
			uint64_t bytes = chain__record_bytes(c, id);
			unsigned int kind = reader__kind(t);
			int added;

			l->kinds[kind].count++;
			l->kinds[kind].bytes += bytes;
			l->type_bytes += bytes;
			if (!names_a_type(t) || !name || !*name)
				continue;
			added = strmap__add(&seen[kind], name, id);
			if (added < 0) {
				err = added;
				break;
			}
			l->dup_names += !added;
		}
		add_layer(&ls[c->nlayers], l);
	}
	for (k = 0; k < STATS_NR_KINDS; k++)
		strmap__free(&seen[k]);
	if (err) {
		free(ls);
		return err;
	}
	ls[c->nlayers].start_id = 1;
	*out = ls;
	return 0;
}

static void pct(FILE *out, uint64_t part, uint64_t whole)
{
	fprintf(out, " (%.1f%%)", whole ? 100.0 * (double)part / (double)whole : 0.0);
}

static void print_text(const struct layer_stats *l, FILE *out)
{
	uint64_t total = l->hdr_bytes + l->type_bytes + l->layout_bytes + l->str_bytes;
	unsigned int k;

	if (l->nr_types)
		fprintf(out, "  type IDs %u..%u: %u types\n", l->start_id,
			l->start_id + l->nr_types - 1, l->nr_types);
	else
		fprintf(out, "  no types\n");
	fprintf(out, "  bytes: %llu = header %llu + types %llu", (unsigned long long)total,
		(unsigned long long)l->hdr_bytes, (unsigned long long)l->type_bytes);
	pct(out, l->type_bytes, total);
	if (l->layout_bytes) {
		fprintf(out, " + layout %llu", (unsigned long long)l->layout_bytes);
		pct(out, l->layout_bytes, total);
	}
	fprintf(out, " + strings %llu", (unsigned long long)l->str_bytes);
	pct(out, l->str_bytes, total);
	fprintf(out, "\n  named types repeating an earlier kind and name: %u\n", l->dup_names);
	fprintf(out, "  %-12s %10s %12s\n", "kind", "count", "bytes");
	for (k = 1; k < STATS_NR_KINDS; k++)
		if (l->kinds[k].count)
			fprintf(out, "  %-12s %10u %12llu\n", dump__kind_name(k), l->kinds[k].count,
				(unsigned long long)l->kinds[k].bytes);
}

static void print_json(struct json *j, const struct layer_stats *l)
{
	unsigned int k;

	json__begin_obj(j, l->path ? NULL : "total");
	if (l->path)
		json__str(j, "path", l->path);
	json__uint(j, "start_id", l->start_id);
	json__uint(j, "types", l->nr_types);
	json__uint(j, "bytes", l->hdr_bytes + l->type_bytes + l->layout_bytes + l->str_bytes);
	json__uint(j, "header_bytes", l->hdr_bytes);
	json__uint(j, "type_bytes", l->type_bytes);
	json__uint(j, "layout_bytes", l->layout_bytes);
	json__uint(j, "string_bytes", l->str_bytes);
	json__uint(j, "duplicate_names", l->dup_names);
	json__begin_obj(j, "kinds");
	for (k = 1; k < STATS_NR_KINDS; k++) {
		if (k > BTF_KIND_ENUM64 && !l->kinds[k].count)
			continue;
		json__begin_obj(j, dump__kind_name(k));
		json__uint(j, "count", l->kinds[k].count);
		json__uint(j, "bytes", l->kinds[k].bytes);
		json__end(j);
	}
	json__end(j);
	json__end(j);
}

int stats__print(const struct btf_chain *c, int json, FILE *out)
{
	struct layer_stats *ls;
	struct json j;
	size_t i;
	int err = stats__collect(c, &ls);

	if (err)
		return err;
	if (json) {
		json__init(&j, out);
		json__begin_obj(&j, NULL);
		json__begin_arr(&j, "layers");
		for (i = 0; i < c->nlayers; i++)
			print_json(&j, &ls[i]);
		json__end(&j);
		print_json(&j, &ls[c->nlayers]);
		json__end(&j);
	} else {
		for (i = 0; i < c->nlayers; i++) {
			fprintf(out, "layer %zu: %s\n", i, ls[i].path);
			print_text(&ls[i], out);
		}
		if (c->nlayers > 1) {
			fprintf(out, "chain of %zu layers:\n", c->nlayers);
			print_text(&ls[c->nlayers], out);
		}
	}
	free(ls);
	return fflush(out) || ferror(out) ? -EIO : 0;
}
