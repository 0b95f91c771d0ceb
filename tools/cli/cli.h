/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef IPCMBOX_CLI_H
#define IPCMBOX_CLI_H

struct cli_command {
	const char *name;
	const char *args;
	const char *help;
	int (*run)(int argc, char **argv);
};

/* Prints "ipcmbox: WHAT: strerror(ERR)" to stderr and returns 1. */
int cli_fail(const char *what, int err);

int cmd_info(int argc, char **argv);
int cmd_version(int argc, char **argv);

#endif /* IPCMBOX_CLI_H */
