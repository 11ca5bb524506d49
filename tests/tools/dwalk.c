// SPDX-License-Identifier: GPL-2.0-only
/*
 * dwalk: the floor for any DWARF reader — visit every DIE of every unit with
 * libdw (tag and name only), on N threads with one Dwarf handle each, all
 * made from one Elf. Usage: dwalk FILE [THREADS]. Prints the DIE count.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <elfutils/libdw.h>

struct job {
	Dwarf *dw;
	Dwarf_Off *units;
	size_t nunits, first, step;
	unsigned long dies;
	pthread_t tid;
};

static void walk(Dwarf_Die *die, unsigned long *n)
{
	Dwarf_Die child;

	if (dwarf_child(die, &child) != 0)
		return;
	do {
		(*n)++;
		(void)dwarf_tag(&child);
		(void)dwarf_diename(&child);
		if (dwarf_haschildren(&child))
			walk(&child, n);
	} while (dwarf_siblingof(&child, &child) == 0);
}

static void *run(void *arg)
{
	struct job *j = arg;
	size_t i;

	for (i = j->first; i < j->nunits; i += j->step) {
		Dwarf_Die cu;

		if (dwarf_offdie(j->dw, j->units[i], &cu))
			walk(&cu, &j->dies);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	int fd, i, nthreads = argc > 2 ? atoi(argv[2]) : 1;
	Dwarf_Off off = 0, next, *units = NULL;
	size_t hsize, n = 0, cap = 0;
	unsigned long total = 0;
	struct job *jobs;
	Dwarf *dw;
	Elf *elf;

	if (argc < 2 || nthreads < 1)
		return fprintf(stderr, "usage: dwalk FILE [THREADS]\n"), 2;
	elf_version(EV_CURRENT);
	fd = open(argv[1], O_RDONLY);
	elf = fd < 0 ? NULL : elf_begin(fd, ELF_C_READ_MMAP, NULL);
	dw = elf ? dwarf_begin_elf(elf, DWARF_C_READ, NULL) : NULL;
	if (!dw)
		return fprintf(stderr, "dwalk: %s: cannot read DWARF\n", argv[1]), 1;
	while (dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		if (n == cap) {
			cap = cap ? 2 * cap : 1024;
			units = realloc(units, cap * sizeof(*units));
		}
		units[n++] = off + hsize;
		off = next;
	}
	jobs = calloc(nthreads, sizeof(*jobs));
	for (i = 0; i < nthreads; i++) {
		jobs[i] = (struct job){ .dw = i ? dwarf_begin_elf(elf, DWARF_C_READ, NULL) : dw,
					.units = units, .nunits = n, .first = i, .step = nthreads };
	}
	for (i = 0; i < nthreads; i++)
		pthread_create(&jobs[i].tid, NULL, run, &jobs[i]);
	for (i = 0; i < nthreads; i++) {
		pthread_join(jobs[i].tid, NULL);
		total += jobs[i].dies;
	}
	printf("%zu units, %lu DIEs\n", n, total);
	return 0;
}
