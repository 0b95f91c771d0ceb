// SPDX-License-Identifier: GPL-2.0-only
/*
 * ipcmbox send / recv: messages from arguments or stdin lines, and to
 * stdout lines.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define SEND_USAGE "send NAME [--nonblock] [--timeout MS] [--priority P] [--type T] [MESSAGE...]"
#define RECV_USAGE "recv NAME [--nonblock] [--timeout MS] [--count N] [--type T] [--peek] [--envelope]"

/* Options both commands take; returns 0, or the exit status on error. */
static int msg_option(int c, struct ipcmbox_opts *o, bool recv)
{
	uint64_t v;

	switch (c) {
	case 'n':
		o->flags |= IPCMBOX_IO_NONBLOCK;
		return 0;
	case 't':
		return cli_parse_timeout(optarg, o) ? 2 : 0;
	case 'y':
		if (recv && optarg[0] == '-') {
			if (cli_parse_u64("--type", optarg + 1, INT64_MAX, &v))
				return 2;
			o->type = -(int64_t)v;
			return 0;
		}
		if (cli_parse_u64("--type", optarg, INT64_MAX, &v))
			return 2;
		o->type = v;
		return 0;
	case 'p':
		if (cli_parse_u64("--priority", optarg, IPCMBOX_PRIO_MAX, &v))
			return 2;
		o->priority = v;
		return 0;
	}
	return cli_usage(recv ? RECV_USAGE : SEND_USAGE);
}

static int send_one(int fd, const char *name, const char *msg, size_t len,
		    const struct ipcmbox_opts *o)
{
	if (ipcmbox_send(fd, msg, len, o, NULL))
		return cli_fail(name, errno);
	return 0;
}

int cmd_send(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "nonblock", no_argument, NULL, 'n' },
		{ "timeout", required_argument, NULL, 't' },
		{ "priority", required_argument, NULL, 'p' },
		{ "type", required_argument, NULL, 'y' },
		{ NULL, 0, NULL, 0 }
	};
	struct ipcmbox_opts o = { 0 };
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int c, fd, i, ret = 0;
	const char *name;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		ret = msg_option(c, &o, false);
		if (ret)
			return ret;
	}
	if (optind >= argc)
		return cli_usage(SEND_USAGE);
	name = argv[optind++];
	fd = ipcmbox_open(name, O_WRONLY);
	if (fd < 0)
		return cli_fail(name, errno);
	if (optind < argc) {
		for (i = optind; i < argc && !ret; i++)
			ret = send_one(fd, name, argv[i], strlen(argv[i]), &o);
	} else {
		while (!ret && (len = getline(&line, &cap, stdin)) >= 0) {
			if (len && line[len - 1] == '\n')
				len--;
			ret = send_one(fd, name, line, len, &o);
		}
		free(line);
	}
	close(fd);
	return ret;
}

static void print_envelope(const struct ipcmbox_envelope *e)
{
	printf("seq=%" PRIu64 " type=%" PRId64 " priority=%u pid=%d tid=%d uid=%u gid=%u len=%" PRIu64 " time=%" PRId64 ".%09" PRId64 " ",
	       e->seq, e->type, e->priority, (int)e->pid, (int)e->tid,
	       (unsigned int)e->uid, (unsigned int)e->gid, e->msg_len,
	       e->enqueue_real_ns / 1000000000, e->enqueue_real_ns % 1000000000);
}

int cmd_recv(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "nonblock", no_argument, NULL, 'n' },
		{ "timeout", required_argument, NULL, 't' },
		{ "count", required_argument, NULL, 'c' },
		{ "type", required_argument, NULL, 'y' },
		{ "peek", no_argument, NULL, 'k' },
		{ "envelope", no_argument, NULL, 'e' },
		{ NULL, 0, NULL, 0 }
	};
	struct ipcmbox_opts o = { 0 };
	struct ipcmbox_envelope env;
	struct ipcmbox_stat st;
	uint64_t count = 1, i;
	bool envelope = false;
	const char *name;
	char *buf;
	ssize_t n;
	int c, fd, ret = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'c') {
			if (cli_parse_u64("--count", optarg, UINT64_MAX, &count))
				return 2;
		} else if (c == 'k') {
			o.flags |= IPCMBOX_IO_PEEK;
		} else if (c == 'e') {
			envelope = true;
		} else {
			ret = msg_option(c, &o, true);
			if (ret)
				return ret;
		}
	}
	if (optind != argc - 1)
		return cli_usage(RECV_USAGE);
	name = argv[optind];
	fd = ipcmbox_open(name, O_RDONLY);
	if (fd < 0)
		return cli_fail(name, errno);
	if (ipcmbox_stat(fd, &st)) {
		ret = cli_fail(name, errno);
		goto out;
	}
	/* The largest message the mailbox accepts fits; one extra for '\n'. */
	buf = malloc((size_t)st.max_msg + 1);
	if (!buf) {
		ret = cli_fail(name, errno);
		goto out;
	}
	for (i = 0; i < count; i++) {
		n = ipcmbox_recv(fd, buf, st.max_msg, &o, &env);
		if (n < 0) {
			ret = cli_fail(name, errno);
			break;
		}
		if (envelope)
			print_envelope(&env);
		buf[n] = '\n';
		if (fwrite(buf, 1, n + 1, stdout) != (size_t)n + 1 ||
		    fflush(stdout)) {
			ret = cli_fail("stdout", errno);
			break;
		}
	}
	free(buf);
out:
	close(fd);
	return ret;
}
