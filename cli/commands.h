/* SPDX-License-Identifier: GPL-2.0-only */
/* commands: what main() dispatches to. cmd_encode() returns 0 or a negative errno, the
 * subcommands their exit status. */
#ifndef BTFENC_COMMANDS_H
#define BTFENC_COMMANDS_H

#include "options.h"
#include "util/diag.h"

/* The pahole-compatible encoder: every input of @o, as -J / --btf_encode_detached say. */
int cmd_encode(const struct btfenc_opts *o, const struct diag *diag);

/*
 * btfenc dump [--format=canonical|c|raw|layout] [--json] [-C NAME] [--btf_base=PATH...] FILE.
 * Returns the exit status: 0 done, 1 failed (unreadable or invalid input), 2 usage error.
 */
int cmd_dump(int argc, char **argv, const struct diag *diag);

/*
 * btfenc diff [--json] [--summary] [--top=N] [--btf_base|--base-a|--base-b=PATH...] A B.
 * Returns the exit status: 0 same, 1 different, 2 error (usage, unreadable or invalid
 * input, output not written).
 */
int cmd_diff(int argc, char **argv, const struct diag *diag);

/* btfenc stats [--json] [--btf_base=PATH...] FILE: exit 0 done, 1 failed, 2 usage error. */
int cmd_stats(int argc, char **argv, const struct diag *diag);

/* btfenc verify [--kernel] [--btf_base=PATH...] FILE: exit 0 valid, 1 invalid, 2 trouble. */
int cmd_verify(int argc, char **argv, const struct diag *diag);

#endif
