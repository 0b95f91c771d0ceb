// SPDX-License-Identifier: GPL-2.0-only
/*
 * ipcmbox - command-line front end of libipcmbox.
 *
 * Each subcommand is one entry of the table below.  Exit status: 0 on
 * success, 1 with a one-line "ipcmbox: WHAT: errno text" on failure, 2 on
 * a usage error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const struct cli_command commands[] = {
	{ "create", "NAME [--capacity 0|N|unbounded] [--max-msg BYTES] [--max-bytes BYTES] [--mode OCTAL]",
	  "create a mailbox", cmd_create },
	{ "rm", "NAME...", "remove mailboxes", cmd_rm },
	{ "ls", "[--json]", "list the mailboxes", cmd_ls },
	{ "stat", "NAME [--json]", "attributes and counters of a mailbox",
	  cmd_stat },
	{ "send", "NAME [--nonblock] [--timeout MS] [--priority P] [--type T] [MESSAGE...]",
	  "send each MESSAGE, or each line of stdin", cmd_send },
	{ "recv", "NAME [--nonblock] [--timeout MS] [--count N] [--type T] [--peek] [--envelope]",
	  "receive and print messages, one per line", cmd_recv },
	{ "watch", "NAME [--interval MS] [--count N]",
	  "print depth and waiters as they change", cmd_watch },
	{ "info", "[--json]", "describe the loaded module", cmd_info },
	{ "version", "", "print the tool and library versions", cmd_version },
};

static void usage(FILE *out)
{
	size_t i;

	fprintf(out, "usage: ipcmbox COMMAND [ARGS]\n\ncommands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %s %s\n      %s\n", commands[i].name,
			commands[i].args, commands[i].help);
}

int cli_fail(const char *what, int err)
{
	fprintf(stderr, "ipcmbox: %s: %s\n", what, strerror(err));
	return 1;
}

int cli_usage(const char *usage)
{
	fprintf(stderr, "usage: ipcmbox %s\n", usage);
	return 2;
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "ipcmbox: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
