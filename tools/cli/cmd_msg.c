// SPDX-License-Identifier: GPL-2.0-only
/*
 * ipcmbox send / recv: messages from arguments, stdin lines or a whole file,
 * and to stdout as lines, NUL-terminated records or raw bytes.
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

#define SEND_USAGE "send " SEND_ARGS
#define RECV_USAGE "recv " RECV_ARGS

/* How recv ends each message: a newline, a NUL, or nothing (--raw). */
#define RECV_END_NONE	(-1)

struct recv_fmt {
	bool envelope;
	int end;
};

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
	case 'T':
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

/*
 * send --file: the whole of @path ("-": stdin) as one message.  At most
 * the mailbox's largest message is read, so a file too long for it fails
 * with EMSGSIZE before anything is sent.
 */
static int send_file(int fd, const char *name, const char *path,
		     const struct ipcmbox_opts *o)
{
	struct ipcmbox_stat st;
	bool is_stdin = !strcmp(path, "-");
	size_t len = 0;
	int in, ret = 0;
	ssize_t n;
	char *buf;

	if (ipcmbox_stat(fd, &st))
		return cli_fail(name, errno);
	in = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return cli_fail(path, errno);
	buf = malloc((size_t)st.max_msg + 1);
	if (!buf) {
		ret = cli_fail(name, errno);
		goto out;
	}
	while (len <= st.max_msg) {
		n = read(in, buf + len, (size_t)st.max_msg + 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = cli_fail(path, errno);
			goto out;
		}
		if (!n)
			break;
		len += n;
	}
	if (len > st.max_msg) {
		fprintf(stderr, "ipcmbox: %s: longer than the largest message of %s (%u bytes)\n",
			path, name, st.max_msg);
		ret = 1;
		goto out;
	}
	ret = send_one(fd, name, buf, len, o);
out:
	free(buf);
	if (!is_stdin)
		close(in);
	return ret;
}

int cmd_send(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "nonblock", no_argument, NULL, 'n' },
		{ "timeout", required_argument, NULL, 't' },
		{ "priority", required_argument, NULL, 'p' },
		{ "type", required_argument, NULL, 'T' },
		{ "file", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	struct ipcmbox_opts o = { 0 };
	const char *file = NULL;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int c, fd, i, ret = 0;
	const char *name;

	while ((c = getopt_long(argc, argv, "nt:p:T:f:", opts, NULL)) != -1) {
		if (c == 'f') {
			file = optarg;
			continue;
		}
		ret = msg_option(c, &o, false);
		if (ret)
			return ret;
	}
	if (optind >= argc || (file && optind + 1 < argc))
		return cli_usage(SEND_USAGE);
	name = argv[optind++];
	fd = ipcmbox_open(name, O_WRONLY);
	if (fd < 0)
		return cli_fail(name, errno);
	if (file) {
		ret = send_file(fd, name, file, &o);
	} else if (optind < argc) {
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

/*
 * One received message, after its mailbox's name if @prefix and its
 * envelope if asked, ended as @fmt says.  @buf has room for one more byte.
 */
static int print_msg(const char *prefix, char *buf, ssize_t n,
		     const struct ipcmbox_envelope *env,
		     const struct recv_fmt *fmt)
{
	if (prefix)
		printf("%s: ", prefix);
	if (fmt->envelope)
		print_envelope(env);
	if (fmt->end != RECV_END_NONE)
		buf[n++] = fmt->end;
	if (fwrite(buf, 1, n, stdout) != (size_t)n || fflush(stdout))
		return cli_fail("stdout", errno);
	return 0;
}

/*
 * recv on several mailboxes: poll(2) on all of them, then a non-blocking
 * receive from each readable one in turn, so no mailbox is starved.  Each
 * line starts with the mailbox's name.
 */
static int recv_many(char **names, int n, const struct ipcmbox_opts *o,
		     uint64_t count, const struct recv_fmt *fmt)
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
			ret = print_msg(names[i], buf, len, &env, fmt);
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
		{ "type", required_argument, NULL, 'T' },
		{ "peek", no_argument, NULL, 'k' },
		{ "envelope", no_argument, NULL, 'e' },
		{ "null", no_argument, NULL, '0' },
		{ "raw", no_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	struct recv_fmt fmt = { .end = '\n' };
	struct ipcmbox_opts o = { 0 };
	struct ipcmbox_envelope env;
	struct ipcmbox_stat st;
	uint64_t count = 1, i;
	int c, fd, ret = 0, ends = 0;
	const char *name;
	char *buf;
	ssize_t n;

	while ((c = getopt_long(argc, argv, "nt:c:T:e0", opts, NULL)) != -1) {
		if (c == 'c') {
			if (cli_parse_u64("--count", optarg, UINT64_MAX, &count))
				return 2;
		} else if (c == 'k') {
			o.flags |= IPCMBOX_IO_PEEK;
		} else if (c == 'e') {
			fmt.envelope = true;
		} else if (c == '0' || c == 'r') {
			fmt.end = c == '0' ? '\0' : RECV_END_NONE;
			ends++;
		} else {
			ret = msg_option(c, &o, true);
			if (ret)
				return ret;
		}
	}
	/* Raw bytes carry no envelope text and no mailbox name. */
	if (optind >= argc || ends > 1 ||
	    (fmt.end == RECV_END_NONE && (fmt.envelope || argc - optind > 1)))
		return cli_usage(RECV_USAGE);
	if (argc - optind > 1) {
		/* Readiness cannot tell a type or keep a peeked message. */
		if (o.type || (o.flags & IPCMBOX_IO_PEEK)) {
			fprintf(stderr, "ipcmbox: recv: --type and --peek take one mailbox\n");
			return 2;
		}
		return recv_many(argv + optind, argc - optind, &o, count,
				 &fmt);
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
			ret = print_msg(NULL, buf, n, &env, &fmt);
	}
	free(buf);
out:
	close(fd);
	return ret;
}
