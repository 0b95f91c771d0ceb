// SPDX-License-Identifier: GPL-2.0-only
/*
 * ipcmbox - command-line front end of libipcmbox.
 *
 * Each subcommand is one entry of the table below; the commands of the
 * user-visible contract are added as the kernel gains the calls they need.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const struct cli_command commands[] = {
	{ "info", "[--json]", "describe the loaded module", cmd_info },
	{ "version", "", "print the tool and library versions", cmd_version },
};

static void usage(FILE *out)
{
	size_t i;

	fprintf(out, "usage: ipcmbox COMMAND [ARGS]\n\ncommands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-8s %-10s %s\n", commands[i].name,
			commands[i].args, commands[i].help);
}

int cli_fail(const char *what, int err)
{
	fprintf(stderr, "ipcmbox: %s: %s\n", what, strerror(err));
	return 1;
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
