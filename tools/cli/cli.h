/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef IPCMBOX_CLI_H
#define IPCMBOX_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "ipcmbox.h"

struct cli_command {
	const char *name;
	const char *args;
	const char *help;
	int (*run)(int argc, char **argv);
};

/* Each command's arguments, for its usage line and for "ipcmbox help". */
#define CREATE_ARGS "NAME [-c|--capacity 0|N|unbounded] [-s|--max-msg BYTES] [-b|--max-bytes BYTES] [-m|--mode OCTAL] [-r|--region BYTES]"
#define SEND_ARGS "NAME [-n|--nonblock] [-t|--timeout MS] [-p|--priority P] [-T|--type T] [-f|--file FILE | MESSAGE...]"
#define RECV_ARGS "NAME... [-n|--nonblock] [-t|--timeout MS] [-c|--count N] [-T|--type T] [--peek] [-e|--envelope] [-0|--null | --raw]"
#define LS_ARGS "[-J|--json] [-r|--raw] [-n|--noheadings] [-o|--output COLS|+COLS] [-b|--bytes]"
#define CHMOD_ARGS "OCTAL NAME..."
#define CHOWN_ARGS "USER[:GROUP]|:GROUP NAME..."
#define WATCH_ARGS "NAME... [-i|--interval MS] [-c|--count N]"

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
/* The last --timeout, in ms, for cli_fail()'s "(after N ms)"; 0 if none. */
extern uint64_t cli_timeout_ms;
/* --timeout MS into @o (relative, CLOCK_MONOTONIC); sets cli_timeout_ms. */
int cli_parse_timeout(const char *s, struct ipcmbox_opts *o);

/* One mailbox as "key: value" lines ("stat"). */
void cli_print_stat(const struct ipcmbox_stat *st);

/* Columns of "ls", in order: indexes into the field table (fields.c). */
struct cli_cols {
	unsigned int n;
	unsigned int idx[32];
};

#define CLI_TABLE_JSON		(1U << 0)
#define CLI_TABLE_RAW		(1U << 1)
#define CLI_TABLE_NOHEADINGS	(1U << 2)
#define CLI_TABLE_BYTES		(1U << 3)	/* sizes in bytes, not 64K */

/*
 * "NAME,OWNER" (names or JSON keys, any case) into @cols; NULL for the
 * default columns, "+COLS" for the default and those.  0, or -1 after
 * printing what is wrong.
 */
int cli_cols_parse(const char *spec, struct cli_cols *cols);
/* One JSON object: every field, or those of @cols if not NULL. */
void cli_stat_json(FILE *f, const struct ipcmbox_stat *st,
		   const struct cli_cols *cols);
/* @rows as a table, a --raw table or a JSON array (CLI_TABLE_*). */
int cli_table_print(FILE *f, const struct ipcmbox_stat *rows, size_t nrows,
		    const struct cli_cols *cols, unsigned int flags);
/* "unbounded", "0 (rendezvous)" style capacity text into @buf. */
const char *cli_capacity_str(uint32_t capacity, char *buf, size_t size);
const char *cli_owner_str(uint32_t uid, char *buf, size_t size);
const char *cli_group_str(uint32_t gid, char *buf, size_t size);
/* Seconds since the Epoch as local "YYYY-MM-DD HH:MM:SS", or "-" if 0. */
const char *cli_time_str(int64_t t, char *buf, size_t size);
/* "USER[:GROUP]" or ":GROUP" (names or numbers); -1 for the one left out. */
int cli_parse_owner(const char *s, uid_t *uid, gid_t *gid);

int cmd_info(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_create(int argc, char **argv);
int cmd_rm(int argc, char **argv);
int cmd_chmod(int argc, char **argv);
int cmd_chown(int argc, char **argv);
int cmd_ls(int argc, char **argv);
int cmd_stat(int argc, char **argv);
int cmd_send(int argc, char **argv);
int cmd_recv(int argc, char **argv);
int cmd_watch(int argc, char **argv);

#endif /* IPCMBOX_CLI_H */
