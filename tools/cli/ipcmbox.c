// SPDX-License-Identifier: GPL-2.0-only
/*
 * ipcmbox - command-line front end of libipcmbox.
 *
 * Each subcommand is one entry of the table below.  Exit status: 0 on
 * success, 1 with a one-line "ipcmbox: WHAT: errno text" on failure, 2 on
 * a usage error.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const struct cli_command commands[] = {
	{ "create", CREATE_ARGS,
	  "create a mailbox", cmd_create },
	{ "rm", "NAME...", "remove mailboxes", cmd_rm },
	{ "chmod", CHMOD_ARGS,
	  "change the mode of mailboxes (owner or CAP_SYS_ADMIN)", cmd_chmod },
	{ "chown", CHOWN_ARGS,
	  "change the owner and/or group of mailboxes (owner or CAP_SYS_ADMIN)",
	  cmd_chown },
	{ "ls", LS_ARGS,
	  "list the mailboxes: a table, raw rows or JSON; sizes as 64K unless --bytes",
	  cmd_ls },
	{ "stat", "NAME [--json]", "attributes and counters of a mailbox",
	  cmd_stat },
	{ "send", SEND_ARGS,
	  "send each MESSAGE, each line of stdin, or FILE as one message",
	  cmd_send },
	{ "recv", RECV_ARGS,
	  "receive and print messages, one per line (or NUL-ended, or raw)",
	  cmd_recv },
	{ "watch", WATCH_ARGS,
	  "print depth and waiters as they change", cmd_watch },
	{ "info", "[--json]", "describe the loaded module", cmd_info },
	{ "version", "", "print the tool and library versions", cmd_version },
};

static void usage(FILE *out)
{
	size_t i;

	fprintf(out, "usage: ipcmbox COMMAND [ARGS]\n\ncommands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %s%s%s\n      %s\n", commands[i].name,
			*commands[i].args ? " " : "", commands[i].args,
			commands[i].help);
	fprintf(out, "\nipcmbox help COMMAND, or ipcmbox COMMAND --help: that command's help\n"
		"ipcmbox --version: the versions of the tool and the library\n");
}

/*
 * Prints "ipcmbox: WHAT: errno text", with a hint where the errno alone
 * does not name the cause, and returns the exit status: CLI_TIMEDOUT when
 * a --timeout expired, CLI_WOULDBLOCK when a --nonblock call found the
 * mailbox empty (receive) or full (send), else 1.
 */
uint64_t cli_timeout_ms;

int cli_fail(const char *what, int err)
{
	const char *hint = NULL;
	char after[48];

	if (err == ETIMEDOUT && cli_timeout_ms) {
		snprintf(after, sizeof(after), "after %" PRIu64 " ms",
			 cli_timeout_ms);
		hint = after;
	} else if (err == ENOENT && access(IPCMBOX_CONTROL_PATH, F_OK))
		hint = "no /dev/ipcmbox/control: is the ipcmbox module loaded?";
	else if (err == ENOBUFS)
		hint = "the per-user byte limit of unbounded mailboxes is reached";
	else if (err == EIDRM)
		hint = "the mailbox was removed";
	if (hint)
		fprintf(stderr, "ipcmbox: %s: %s (%s)\n", what, strerror(err), hint);
	else
		fprintf(stderr, "ipcmbox: %s: %s\n", what, strerror(err));
	if (err == ETIMEDOUT)
		return CLI_TIMEDOUT;
	if (err == EAGAIN)
		return CLI_WOULDBLOCK;
	return 1;
}

int cli_usage(const char *usage)
{
	fprintf(stderr, "usage: ipcmbox %s\n", usage);
	return 2;
}

static const struct cli_command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(name, commands[i].name))
			return &commands[i];
	return NULL;
}

/* One command's help, as `ipcmbox help CMD` and `ipcmbox CMD --help` print it. */
static void command_help(const struct cli_command *c)
{
	printf("usage: ipcmbox %s%s%s\n\n%s\n", c->name, *c->args ? " " : "",
	       c->args, c->help);
}

static int is_help(const char *arg)
{
	return !strcmp(arg, "--help") || !strcmp(arg, "-h");
}

int main(int argc, char **argv)
{
	const struct cli_command *c;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))
		return cmd_version(1, argv + 1);
	if (!strcmp(argv[1], "help") || is_help(argv[1])) {
		if (argc == 2) {
			usage(stdout);
			return 0;
		}
		if (argc > 3)
			return cli_usage("help [COMMAND]");
		c = find_command(argv[2]);
		if (!c) {
			fprintf(stderr, "ipcmbox: no command '%s'\n", argv[2]);
			usage(stderr);
			return 2;
		}
		command_help(c);
		return 0;
	}
	c = find_command(argv[1]);
	if (!c) {
		fprintf(stderr, "ipcmbox: unknown command '%s'\n", argv[1]);
		usage(stderr);
		return 2;
	}
	/* `--help` right after the command: that command's help. */
	if (argc > 2 && is_help(argv[2])) {
		command_help(c);
		return 0;
	}
	return c->run(argc - 1, argv + 1);
}
