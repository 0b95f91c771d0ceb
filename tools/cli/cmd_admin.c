// SPDX-License-Identifier: GPL-2.0-only
/*
 * ipcmbox create / rm / ls / stat: managing mailboxes by name.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

int cmd_create(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "capacity", required_argument, NULL, 'c' },
		{ "max-msg", required_argument, NULL, 's' },
		{ "max-bytes", required_argument, NULL, 'b' },
		{ "mode", required_argument, NULL, 'm' },
		{ "region", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	struct ipcmbox_attr attr = { 0 };
	uint64_t v;
	int c;

	while ((c = getopt_long(argc, argv, "c:s:b:m:r:", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			if (cli_parse_capacity(optarg, &attr.capacity))
				return 2;
			attr.set |= IPCMBOX_SET_CAPACITY;
			break;
		case 's':
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
		case 'm':
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
			return cli_usage("create " CREATE_ARGS);
		}
	}
	if (optind != argc - 1)
		return cli_usage("create " CREATE_ARGS);
	if (ipcmbox_create(argv[optind], &attr))
		return cli_fail(argv[optind], errno);
	return 0;
}

/* Opens @name through its node, for receiving if allowed, else sending. */
static int open_node(const char *name)
{
	int fd = ipcmbox_open(name, O_RDONLY | O_NONBLOCK);

	if (fd < 0 && errno == EACCES)
		fd = ipcmbox_open(name, O_WRONLY | O_NONBLOCK);
	return fd;
}

/* ipcmbox chmod MODE NAME... / chown OWNER[:GROUP] NAME... */
static int set_owner(int argc, char **argv, bool mode)
{
	uid_t uid = (uid_t)-1;
	gid_t gid = (gid_t)-1;
	uint32_t m = 0;
	int i, fd, ret = 0;

	if (argc < 3)
		return cli_usage(mode ? "chmod " CHMOD_ARGS :
				 "chown " CHOWN_ARGS);
	if (mode ? cli_parse_mode(argv[1], &m) :
		   cli_parse_owner(argv[1], &uid, &gid))
		return 2;
	for (i = 2; i < argc; i++) {
		fd = open_node(argv[i]);
		if (fd < 0) {
			ret = cli_fail(argv[i], errno);
			continue;
		}
		if (mode ? ipcmbox_chmod(fd, m) : ipcmbox_chown(fd, uid, gid))
			ret = cli_fail(argv[i], errno);
		close(fd);
	}
	return ret;
}

int cmd_chmod(int argc, char **argv)
{
	return set_owner(argc, argv, true);
}

int cmd_chown(int argc, char **argv)
{
	return set_owner(argc, argv, false);
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

int cmd_ls(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "raw", no_argument, NULL, 'r' },
		{ "noheadings", no_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'o' },
		{ "bytes", no_argument, NULL, 'b' },
		{ NULL, 0, NULL, 0 }
	};
	struct ipcmbox_stat *rows = NULL, *more;
	const char *output = NULL;
	unsigned int flags = 0;
	size_t n = 0, cap = 0;
	struct cli_cols cols;
	int c, fd, err;

	while ((c = getopt_long(argc, argv, "Jrno:b", opts, NULL)) != -1) {
		switch (c) {
		case 'J':
			flags |= CLI_TABLE_JSON;
			break;
		case 'r':
			flags |= CLI_TABLE_RAW;
			break;
		case 'n':
			flags |= CLI_TABLE_NOHEADINGS;
			break;
		case 'b':
			flags |= CLI_TABLE_BYTES;
			break;
		case 'o':
			output = optarg;
			break;
		default:
			return cli_usage("ls " LS_ARGS);
		}
	}
	if (optind != argc)
		return cli_usage("ls " LS_ARGS);
	if (cli_cols_parse(output, &cols))
		return 2;
	fd = ipcmbox_control_open();
	if (fd < 0)
		return cli_fail(IPCMBOX_CONTROL_PATH, errno);
	for (;;) {
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			more = realloc(rows, cap * sizeof(*rows));
			if (!more) {
				err = errno;
				break;
			}
			rows = more;
		}
		/* ipcmbox_list_next() goes on from the id in the struct. */
		rows[n] = n ? rows[n - 1] : (struct ipcmbox_stat){ 0 };
		if (ipcmbox_list_next(fd, &rows[n])) {
			err = errno;
			break;
		}
		n++;
	}
	close(fd);
	if (err == ENOENT)
		/* --json without --output: every field, as stat --json. */
		err = cli_table_print(stdout, rows, n,
				      (flags & CLI_TABLE_JSON) && !output ?
				      NULL : &cols, flags) ? errno : 0;
	free(rows);
	return err ? cli_fail("list", err) : 0;
}

int cmd_stat(int argc, char **argv)
{
	struct ipcmbox_stat st;
	bool json = argc == 3 && !strcmp(argv[2], "--json");

	if (argc != 2 && !json)
		return cli_usage("stat NAME [--json]");
	if (ipcmbox_stat_name(argv[1], &st))
		return cli_fail(argv[1], errno);
	if (json) {
		cli_stat_json(stdout, &st, NULL);
		putchar('\n');
	} else {
		cli_print_stat(&st);
	}
	return 0;
}
