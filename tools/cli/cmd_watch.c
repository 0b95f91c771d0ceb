// SPDX-License-Identifier: GPL-2.0-only
/*
 * ipcmbox watch NAME...: one line each time the depth, bytes or waiters of
 * a mailbox change (after the mailbox's name when several are watched).
 * It sleeps in poll(2) on read-only fds, so it wakes at once when one
 * becomes readable or is removed, and looks again at every --interval for
 * changes poll does not signal (waiters, draining).  It never receives,
 * so it does not disturb the mailboxes.
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

#define WATCH_USAGE "watch " WATCH_ARGS

static bool watch_changed(const struct ipcmbox_stat *a,
			  const struct ipcmbox_stat *b)
{
	return a->depth != b->depth || a->bytes != b->bytes ||
	       a->send_waiting != b->send_waiting ||
	       a->recv_waiting != b->recv_waiting || a->sent != b->sent ||
	       a->received != b->received;
}

/* Prints @st's line if it changed since @last; returns lines printed. */
static int watch_one(const char *prefix, const struct ipcmbox_stat *st,
		     struct ipcmbox_stat *last)
{
	if (!watch_changed(st, last))
		return 0;
	if (prefix)
		printf("%s: ", prefix);
	printf("depth=%u bytes=%" PRIu64 " send_waiting=%u recv_waiting=%u sent=%" PRIu64 " received=%" PRIu64 "\n",
	       st->depth, (uint64_t)st->bytes, st->send_waiting,
	       st->recv_waiting, (uint64_t)st->sent, (uint64_t)st->received);
	fflush(stdout);
	*last = *st;
	return 1;
}

int cmd_watch(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "interval", required_argument, NULL, 'i' },
		{ "count", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 }
	};
	uint64_t interval = 500, count = UINT64_MAX, lines = 0;
	struct ipcmbox_stat st, *last = NULL;
	struct pollfd *pfd = NULL;
	int c, i, n, live, ret = 0;
	char **names;

	while ((c = getopt_long(argc, argv, "i:c:", opts, NULL)) != -1) {
		if (c == 'i' && !cli_parse_u64("--interval", optarg, 3600000,
					       &interval))
			continue;
		if (c == 'c' && !cli_parse_u64("--count", optarg, UINT64_MAX,
					       &count))
			continue;
		return c == 'i' || c == 'c' ? 2 : cli_usage(WATCH_USAGE);
	}
	if (optind >= argc || !interval)
		return cli_usage(WATCH_USAGE);
	names = argv + optind;
	n = argc - optind;
	pfd = calloc(n, sizeof(*pfd));
	last = calloc(n, sizeof(*last));
	if (!pfd || !last) {
		ret = cli_fail("watch", errno);
		goto out;
	}
	for (i = 0; i < n; i++)
		pfd[i].fd = -1;
	for (i = 0; i < n && !ret; i++) {
		pfd[i].fd = ipcmbox_open(names[i], O_RDONLY | O_NONBLOCK);
		if (pfd[i].fd < 0)
			ret = cli_fail(names[i], errno);
		memset(&last[i], 0xff, sizeof(last[i]));
	}
	live = n;
	while (!ret && live && lines < count) {
		for (i = 0; i < n && lines < count; i++) {
			if (pfd[i].fd < 0)
				continue;
			if (ipcmbox_stat(pfd[i].fd, &st)) {
				ret = cli_fail(names[i], errno);
				break;
			}
			if (st.state & IPCMBOX_STATE_REMOVED) {
				printf("%s: removed\n", names[i]);
				fflush(stdout);
				close(pfd[i].fd);
				pfd[i].fd = -1;	/* poll skips it */
				live--;
				continue;
			}
			lines += watch_one(n > 1 ? names[i] : NULL, &st,
					   &last[i]);
			/* Readable stays readable: then only wait for removal. */
			pfd[i].events = st.depth ? 0 : POLLIN;
		}
		if (ret || !live || lines >= count)
			break;
		if (poll(pfd, n, (int)interval) < 0 && errno != EINTR)
			ret = cli_fail("poll", errno);
	}
out:
	for (i = 0; pfd && i < n; i++)
		if (pfd[i].fd >= 0)
			close(pfd[i].fd);
	free(pfd);
	free(last);
	return ret;
}
