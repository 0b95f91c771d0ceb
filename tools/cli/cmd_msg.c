// SPDX-License-Identifier: GPL-2.0-only
/*
 * ipcmbox send / recv: messages from arguments or stdin lines, and to
 * stdout lines.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define SEND_USAGE "send NAME [--nonblock] [--timeout MS] [--priority P] [--type T] [MESSAGE...]"
#define RECV_USAGE "recv NAME... [--nonblock] [--timeout MS] [--count N] [--type T] [--peek] [--envelope]"

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

/* One received message as a line, after its mailbox's name if @prefix. */
static int print_msg(const char *prefix, char *buf, ssize_t n,
		     const struct ipcmbox_envelope *env)
{
	if (prefix)
		printf("%s: ", prefix);
	if (env)
		print_envelope(env);
	buf[n] = '\n';
	if (fwrite(buf, 1, n + 1, stdout) != (size_t)n + 1 || fflush(stdout))
		return cli_fail("stdout", errno);
	return 0;
}

/*
 * recv on several mailboxes: poll(2) on all of them, then a non-blocking
 * receive from each readable one in turn, so no mailbox is starved.  Each
 * line starts with the mailbox's name.
 */
static int recv_many(char **names, int n, const struct ipcmbox_opts *o,
		     uint64_t count, bool envelope)
{
	struct ipcmbox_opts nb = { .flags = IPCMBOX_IO_NONBLOCK };
	int64_t timeout_ms = o->flags & IPCMBOX_IO_TIMEOUT ?
			     o->timeout_ns / 1000000 : -1;
	struct ipcmbox_envelope env;
	struct pollfd *pfd;
	uint32_t max = 0;
	uint64_t got = 0;
	int i, next = 0, ret = 0;
	char *buf = NULL;

	pfd = calloc(n, sizeof(*pfd));
	if (!pfd)
		return cli_fail("recv", errno);
	for (i = 0; i < n; i++)
		pfd[i].fd = -1;
	for (i = 0; i < n && !ret; i++) {
		struct ipcmbox_stat st;

		pfd[i].fd = ipcmbox_open(names[i], O_RDONLY | O_NONBLOCK);
		pfd[i].events = POLLIN;
		if (pfd[i].fd < 0 || ipcmbox_stat(pfd[i].fd, &st))
			ret = cli_fail(names[i], errno);
		else if (st.max_msg > max)
			max = st.max_msg;
	}
	if (!ret) {
		buf = malloc((size_t)max + 1);
		if (!buf)
			ret = cli_fail("recv", errno);
	}
	while (!ret && got < count) {
		ssize_t len = -1;
		int k, r;

		for (k = 0; k < n && len < 0; k++) {
			i = (next + k) % n;
			len = ipcmbox_recv(pfd[i].fd, buf, max, &nb, &env);
			if (len < 0 && errno != EAGAIN)
				ret = cli_fail(names[i], errno);
			if (ret)
				break;
		}
		if (ret)
			break;
		if (len >= 0) {
			next = i + 1;
			got++;
			ret = print_msg(names[i], buf, len,
					envelope ? &env : NULL);
			continue;
		}
		if (o->flags & IPCMBOX_IO_NONBLOCK) {
			ret = cli_fail(names[0], EAGAIN);
			break;
		}
		r = poll(pfd, n, (int)timeout_ms);
		if (r == 0)
			ret = cli_fail(names[0], ETIMEDOUT);
		else if (r < 0 && errno != EINTR)
			ret = cli_fail("poll", errno);
	}
	free(buf);
	for (i = 0; i < n; i++)
		if (pfd[i].fd >= 0)
			close(pfd[i].fd);
	free(pfd);
	return ret;
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
	if (optind >= argc)
		return cli_usage(RECV_USAGE);
	if (argc - optind > 1) {
		/* Readiness cannot tell a type or keep a peeked message. */
		if (o.type || (o.flags & IPCMBOX_IO_PEEK)) {
			fprintf(stderr, "ipcmbox: recv: --type and --peek take one mailbox\n");
			return 2;
		}
		return recv_many(argv + optind, argc - optind, &o, count,
				 envelope);
	}
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
	for (i = 0; i < count && !ret; i++) {
		n = ipcmbox_recv(fd, buf, st.max_msg, &o, &env);
		if (n < 0)
			ret = cli_fail(name, errno);
		else
			ret = print_msg(NULL, buf, n, envelope ? &env : NULL);
	}
	free(buf);
out:
	close(fd);
	return ret;
}
