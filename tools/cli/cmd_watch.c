// SPDX-License-Identifier: GPL-2.0-only
/*
 * ipcmbox watch NAME: one line each time the depth, bytes or waiters of a
 * mailbox change.  It sleeps in poll(2) on a read-only fd, so it wakes at
 * once when the mailbox becomes readable or is removed, and looks again at
 * every --interval for changes poll does not signal (waiters, draining).
 * It never receives, so it does not disturb the mailbox.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define WATCH_USAGE "watch NAME [--interval MS] [--count N]"

static bool watch_changed(const struct ipcmbox_stat *a,
			  const struct ipcmbox_stat *b)
{
	return a->depth != b->depth || a->bytes != b->bytes ||
	       a->send_waiting != b->send_waiting ||
	       a->recv_waiting != b->recv_waiting || a->sent != b->sent ||
	       a->received != b->received;
}

int cmd_watch(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "interval", required_argument, NULL, 'i' },
		{ "count", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 }
	};
	struct ipcmbox_stat st, last;
	uint64_t interval = 500, count = UINT64_MAX, lines = 0;
	struct pollfd pfd;
	const char *name;
	int c, ret = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'i' && !cli_parse_u64("--interval", optarg, 3600000,
					       &interval))
			continue;
		if (c == 'c' && !cli_parse_u64("--count", optarg, UINT64_MAX,
					       &count))
			continue;
		return c == 'i' || c == 'c' ? 2 : cli_usage(WATCH_USAGE);
	}
	if (optind != argc - 1 || !interval)
		return cli_usage(WATCH_USAGE);
	name = argv[optind];
	pfd.fd = ipcmbox_open(name, O_RDONLY | O_NONBLOCK);
	if (pfd.fd < 0)
		return cli_fail(name, errno);
	memset(&last, 0xff, sizeof(last));
	while (lines < count) {
		if (ipcmbox_stat(pfd.fd, &st)) {
			ret = cli_fail(name, errno);
			break;
		}
		if (st.state & IPCMBOX_STATE_REMOVED) {
			printf("%s: removed\n", name);
			break;
		}
		if (watch_changed(&st, &last)) {
			printf("depth=%u bytes=%" PRIu64 " send_waiting=%u recv_waiting=%u sent=%" PRIu64 " received=%" PRIu64 "\n",
			       st.depth, (uint64_t)st.bytes, st.send_waiting,
			       st.recv_waiting, (uint64_t)st.sent,
			       (uint64_t)st.received);
			fflush(stdout);
			lines++;
			last = st;
		}
		/* Readable stays readable: then only wait for removal. */
		pfd.events = st.depth ? 0 : POLLIN;
		if (poll(&pfd, 1, (int)interval) < 0 && errno != EINTR) {
			ret = cli_fail("poll", errno);
			break;
		}
	}
	close(pfd.fd);
	return ret;
}
