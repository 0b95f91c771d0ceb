// SPDX-License-Identifier: MIT
/*
 * log_shipper - many small messages, few system calls: packed batches.
 *
 * A child process ships 20,000 log lines through an anonymous mailbox,
 * packing up to 64 into one buffer per ipcmbox_send_packed() call; the
 * parent takes them with ipcmbox_recv_packed(), up to 64 a call, and
 * checks that every line arrives once, whole and in order, with its
 * sequence number and the child's pid.  It prints how many system calls
 * each side made for them.
 *
 * Build, against an installed libipcmbox (make install):
 *   cc -o log_shipper log_shipper.c $(pkg-config --cflags --libs libipcmbox)
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ipcmbox.h>

#define LINES	20000
#define BATCH	64

static int fail(const char *what)
{
	fprintf(stderr, "log_shipper: %s: %s\n", what, strerror(errno));
	return 1;
}

/* The child: LINES lines, BATCH to a buffer, one call per buffer. */
static int ship(int fd)
{
	uint64_t buf[BATCH * 16];	/* 8 KiB, 8-byte aligned */
	unsigned int line = 0, calls = 0;

	while (line < LINES) {
		size_t off = 0;
		unsigned int n = 0;
		int sent;

		for (; n < BATCH && line + n < LINES; n++) {
			char text[64];
			int len = snprintf(text, sizeof(text),
					   "%05u worker[%d]: request done",
					   line + n, (int)getpid());
			void *p = ipcmbox_packed_add(buf, sizeof(buf), &off,
						     (size_t)len, 0, 0);

			if (!p)
				break;		/* buffer full: send these */
			memcpy(p, text, (size_t)len);
		}
		/* A blocking send sends them all, waiting for room. */
		sent = ipcmbox_send_packed(fd, buf, off, n, NULL, NULL);
		if (sent != (int)n)
			return fail("ipcmbox_send_packed");
		line += n;
		calls++;
	}
	printf("shipper: %u lines in %u calls\n", line, calls);
	return 0;
}

int main(void)
{
	struct ipcmbox_attr attr = {
		.set = IPCMBOX_SET_CAPACITY, .capacity = 256,
	};
	uint64_t buf[BATCH * 16];
	unsigned int got = 0, calls = 0, bad = 0;
	uint64_t last_seq = 0;
	int fds[2], status;
	pid_t child;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (ipcmbox_pair(&attr, 0, fds))
		return fail("ipcmbox_pair");
	child = fork();
	if (child < 0)
		return fail("fork");
	if (child == 0) {
		close(fds[0]);
		_exit(ship(fds[1]));
	}
	close(fds[1]);
	for (;;) {
		size_t off = 0;
		int n = ipcmbox_recv_packed(fds[0], buf, sizeof(buf), BATCH,
					    NULL, NULL);

		if (n < 0 && errno == EPIPE)
			break;			/* the shipper is done */
		if (n < 0)
			return fail("ipcmbox_recv_packed");
		calls++;
		for (int i = 0; i < n; i++, got++) {
			const struct ipcmbox_packed_recv *h =
				ipcmbox_packed_next(buf, &off);
			char want[8];

			snprintf(want, sizeof(want), "%05u ", got);
			if (h->len < 6 || memcmp(ipcmbox_packed_data(h), want, 6) ||
			    h->seq != last_seq + 1 || h->pid != child)
				bad++;
			last_seq = h->seq;
		}
	}
	if (waitpid(child, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		return fail("shipper");
	printf("receiver: %u lines in %u calls, %.1f per call\n", got, calls,
	       calls ? (double)got / calls : 0.0);
	printf("receiver: %u of %u lines out of order, torn or misattributed\n",
	       bad, got);
	return got == LINES && !bad ? 0 : 1;
}
