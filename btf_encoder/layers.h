/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * layers: cut one encoding with all global variables into a core layer and an
 * extra layer split on it: the "m" of a y/m/n choice between per-CPU
 * variables only (pahole's default) and every variable in one BTF (pahole
 * 1.28's global_var). The layer tree, with Option #1 and Option #2 for
 * modules, is described in man/btfenc.1, LAYERS.
 *
 * The core holds every type and function and the per-CPU variables: exactly
 * what the default (per-CPU only) encoding holds. The extra layer holds every
 * other VAR, the DATASECs they sit in and the DECL_TAGs naming them; its type
 * IDs and string offsets continue the core's (on top of the base chain, if the
 * input was split). So the union of core and extra is, type for type, the
 * encoding with all variables, and the core is what a kernel without the extra
 * layer would carry.
 *
 * Ownership: the returned core (split on @base if given) and extra (split on
 * *@extra_base, a flat copy of base chain + core, also returned) belong to the
 * caller: free extra, then extra_base, then core, with btf__free().
 * Thread-safety: none needed. Errors: negative errno with a message.
 */
#ifndef BTFENC_LAYERS_H
#define BTFENC_LAYERS_H

#include "util/diag.h"

struct btf;

/* The DATASEC whose variables stay in the core layer. */
#define LAYERS_CORE_DATASEC ".data..percpu"

/*
 * Splits @full (non-split, or split on @base) into *@core and *@extra.
 * A VAR belongs to the extra layer when it sits in a DATASEC other than
 * LAYERS_CORE_DATASEC; such DATASECs move whole.
 */
int layers__split(const struct btf *full, const struct btf *base, struct btf **core,
		  struct btf **extra_base, struct btf **extra, const struct diag *diag);

#endif
