/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef IPCMBOX_CLI_H
#define IPCMBOX_CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "ipcmbox.h"

struct cli_command {
	const char *name;
	const char *args;
	const char *help;
	int (*run)(int argc, char **argv);
};

/* Exit statuses besides 0, 1 (failure) and 2 (usage). */
#define CLI_TIMEDOUT	3	/* a --timeout expired */
#define CLI_WOULDBLOCK	4	/* --nonblock: empty (receive) or full (send) */

/*
 * Prints "ipcmbox: WHAT: strerror(ERR)" (and a hint for some errnos) to
 * stderr and returns the exit status: CLI_TIMEDOUT, CLI_WOULDBLOCK or 1.
 */
int cli_fail(const char *what, int err);
/* Prints "usage: ipcmbox USAGE" to stderr and returns 2. */
int cli_usage(const char *usage);

/* Parsers; each returns 0, or -1 after printing what is wrong. */
int cli_parse_u64(const char *opt, const char *s, uint64_t max,
		  uint64_t *out);
int cli_parse_capacity(const char *s, uint32_t *out);
int cli_parse_mode(const char *s, uint32_t *out);
/* --timeout MS into @o (relative, CLOCK_MONOTONIC). */
int cli_parse_timeout(const char *s, struct ipcmbox_opts *o);

/* One mailbox as text ("stat") or a JSON object ("ls --json", "stat"). */
void cli_print_stat(const struct ipcmbox_stat *st, bool json);
/* "unbounded", "0 (rendezvous)" style capacity text into @buf. */
const char *cli_capacity_str(uint32_t capacity, char *buf, size_t size);
const char *cli_owner_str(uint32_t uid, char *buf, size_t size);

int cmd_info(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_create(int argc, char **argv);
int cmd_rm(int argc, char **argv);
int cmd_ls(int argc, char **argv);
int cmd_stat(int argc, char **argv);
int cmd_send(int argc, char **argv);
int cmd_recv(int argc, char **argv);
int cmd_watch(int argc, char **argv);

#endif /* IPCMBOX_CLI_H */
