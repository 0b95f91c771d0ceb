// SPDX-License-Identifier: GPL-2.0-only
/*
 * ipcmbox create / rm / ls / stat: managing mailboxes by name.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define CREATE_USAGE "create NAME [--capacity 0|N|unbounded] [--max-msg BYTES] [--max-bytes BYTES] [--mode OCTAL] [--region BYTES]"

int cmd_create(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "capacity", required_argument, NULL, 'c' },
		{ "max-msg", required_argument, NULL, 'm' },
		{ "max-bytes", required_argument, NULL, 'b' },
		{ "mode", required_argument, NULL, 'o' },
		{ "region", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	struct ipcmbox_attr attr = { 0 };
	uint64_t v;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			if (cli_parse_capacity(optarg, &attr.capacity))
				return 2;
			attr.set |= IPCMBOX_SET_CAPACITY;
			break;
		case 'm':
			if (cli_parse_u64("--max-msg", optarg, UINT32_MAX, &v))
				return 2;
			attr.max_msg = v;
			attr.set |= IPCMBOX_SET_MAX_MSG;
			break;
		case 'b':
			if (cli_parse_u64("--max-bytes", optarg, UINT64_MAX,
					  &attr.max_bytes))
				return 2;
			attr.set |= IPCMBOX_SET_MAX_BYTES;
			break;
		case 'o':
			if (cli_parse_mode(optarg, &attr.mode))
				return 2;
			attr.set |= IPCMBOX_SET_MODE;
			break;
		case 'r':
			if (cli_parse_u64("--region", optarg, UINT64_MAX,
					  &attr.region_size))
				return 2;
			attr.set |= IPCMBOX_SET_REGION;
			break;
		default:
			return cli_usage(CREATE_USAGE);
		}
	}
	if (optind != argc - 1)
		return cli_usage(CREATE_USAGE);
	if (ipcmbox_create(argv[optind], &attr))
		return cli_fail(argv[optind], errno);
	return 0;
}

int cmd_rm(int argc, char **argv)
{
	int i, ret = 0;

	if (argc < 2)
		return cli_usage("rm NAME...");
	for (i = 1; i < argc; i++)
		if (ipcmbox_remove(argv[i]))
			ret = cli_fail(argv[i], errno);
	return ret;
}

static bool cli_json_flag(int argc, char **argv, int first, const char *usage,
			  int *err)
{
	*err = 0;
	if (argc == first)
		return false;
	if (argc == first + 1 && !strcmp(argv[first], "--json"))
		return true;
	*err = cli_usage(usage);
	return false;
}

int cmd_ls(int argc, char **argv)
{
	struct ipcmbox_stat st = { 0 };
	char cap[16], owner[64];
	int fd, n = 0, err;
	bool json = cli_json_flag(argc, argv, 1, "ls [--json]", &err);

	if (err)
		return err;
	fd = ipcmbox_control_open();
	if (fd < 0)
		return cli_fail(IPCMBOX_CONTROL_PATH, errno);
	if (json)
		printf("[");
	else
		printf("%-24s %-10s %-5s %-10s %8s %10s %6s %6s %10s\n", "NAME",
		       "OWNER", "MODE", "CAPACITY", "DEPTH", "BYTES", "SEND_W",
		       "RECV_W", "REGION");
	while (!ipcmbox_list_next(fd, &st)) {
		if (json) {
			printf(n ? "," : "");
			cli_print_stat(&st, true);
		} else {
			printf("%-24s %-10s %04o  %-10s %8u %10llu %6u %6u %10llu\n",
			       st.name, cli_owner_str(st.uid, owner, sizeof(owner)),
			       st.mode, cli_capacity_str(st.capacity, cap, sizeof(cap)),
			       st.depth, (unsigned long long)st.bytes,
			       st.send_waiting, st.recv_waiting,
			       (unsigned long long)st.region_size);
		}
		n++;
	}
	err = errno;
	close(fd);
	if (json)
		printf("]\n");
	if (err != ENOENT)
		return cli_fail("list", err);
	return 0;
}

int cmd_stat(int argc, char **argv)
{
	struct ipcmbox_stat st;
	int err;
	bool json = cli_json_flag(argc, argv, 2, "stat NAME [--json]", &err);

	if (argc < 2)
		return cli_usage("stat NAME [--json]");
	if (err)
		return err;
	if (ipcmbox_stat_name(argv[1], &st))
		return cli_fail(argv[1], errno);
	cli_print_stat(&st, json);
	if (json)
		printf("\n");
	return 0;
}
