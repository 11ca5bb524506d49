/* SPDX-License-Identifier: GPL-2.0-only */
/* commands: what main() dispatches to. Each returns 0 or a negative errno. */
#ifndef BTFENC_COMMANDS_H
#define BTFENC_COMMANDS_H

#include "options.h"
#include "util/diag.h"

/* The pahole-compatible encoder: every input of @o, as -J / --btf_encode_detached say. */
int cmd_encode(const struct btfenc_opts *o, const struct diag *diag);

/* btfenc dump [--format=canonical] [--btf_base=PATH...] FILE; returns an exit status. */
int cmd_dump(int argc, char **argv, const struct diag *diag);

#endif
