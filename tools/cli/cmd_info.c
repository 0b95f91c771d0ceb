// SPDX-License-Identifier: GPL-2.0-only
/*
 * ipcmbox info / version: what is loaded and what this tool is.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ipcmbox.h"
#include "cli.h"

int cmd_info(int argc, char **argv)
{
	struct ipcmbox_info info;
	int json = 0, fd, err;

	if (argc == 2 && !strcmp(argv[1], "--json"))
		json = 1;
	else if (argc != 1)
		return fprintf(stderr, "usage: ipcmbox info [--json]\n"), 2;

	fd = ipcmbox_control_open();
	if (fd < 0)
		return cli_fail(IPCMBOX_CONTROL_PATH, errno);
	err = ipcmbox_get_info(fd, &info) ? errno : 0;
	close(fd);
	if (err)
		return cli_fail("IPCMBOX_IOC_INFO", err);

	if (json)
		printf("{\"abi_version\":%u,\"features\":%llu,"
		       "\"max_mailboxes\":%u,\"nr_mailboxes\":%u,\"name_max\":%u}\n",
		       info.abi_version, (unsigned long long)info.features,
		       info.max_mailboxes, info.nr_mailboxes, info.name_max);
	else
		printf("abi_version:   %u\nfeatures:      %#llx\n"
		       "max_mailboxes: %u\nnr_mailboxes:  %u\nname_max:      %u\n",
		       info.abi_version, (unsigned long long)info.features,
		       info.max_mailboxes, info.nr_mailboxes, info.name_max);
	return 0;
}

int cmd_version(int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return fprintf(stderr, "usage: ipcmbox version\n"), 2;
	printf("ipcmbox %s (libipcmbox %s)\n", IPCMBOX_TOOL_VERSION,
	       ipcmbox_lib_version());
	return 0;
}
