// SPDX-License-Identifier: MIT
/*
 * uring_server: one process serves 100 mailboxes through one io_uring.
 *
 * The server creates 100 anonymous mailboxes and forks a client that
 * sends MSGS messages to each, in turns, with a priority and a type, then
 * closes them.  For every mailbox the server keeps one request in the
 * ring: a poll for readability, and once it completes, a non-blocking
 * receive command (<ipcmbox_uring.h>) that brings the message with its
 * envelope.  A completed receive is counted and the poll queued again;
 * end of file (EPIPE) retires the mailbox.  Nothing waits in a worker
 * thread: the server checks at the end that no iou-wrk thread ever
 * appeared.
 *
 * The command is not linked behind the poll: io_uring of Linux 6.12 reads
 * a linked command's SQE only when it runs, by which time this loop may
 * have reused its slot for another mailbox's request.
 *
 * Build: cc uring_server.c $(pkg-config --cflags --libs liburing) -lipcmbox
 */
#include <errno.h>
#include <glob.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <liburing.h>
#include <ipcmbox.h>
#include <ipcmbox_uring.h>

#define NBOX	100
#define MSGS	20

struct box {
	int fd[2];			/* [0] receives, [1] sends */
	struct ipcmbox_io io;		/* the receive in flight */
	char buf[64];
	unsigned int got;
	int open;
};

static struct box boxes[NBOX];

/* user_data: the box's index, and whether it is the poll or the receive. */
#define TAG(i, recv)	(((uint64_t)(i) << 1) | (recv))

static int iou_workers(void)
{
	glob_t g;
	int n = 0;

	if (glob("/proc/self/task/*/comm", 0, NULL, &g))
		return 0;
	for (size_t i = 0; i < g.gl_pathc; i++) {
		char comm[32] = "";
		FILE *f = fopen(g.gl_pathv[i], "re");

		if (f && fgets(comm, sizeof(comm), f) &&
		    !strncmp(comm, "iou-wrk", 7))
			n++;
		if (f)
			fclose(f);
	}
	globfree(&g);
	return n;
}

/* Queues box @i's poll for readability. */
static void arm(struct io_uring *ring, int i)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	io_uring_prep_poll_add(sqe, boxes[i].fd[0], POLLIN);
	io_uring_sqe_set_data64(sqe, TAG(i, 0));
}

/* Queues box @i's non-blocking receive: its poll said it is readable. */
static void take(struct io_uring *ring, int i)
{
	struct ipcmbox_opts nb = { .flags = IPCMBOX_IO_NONBLOCK };
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	ipcmbox_io_prep(&boxes[i].io, boxes[i].buf, sizeof(boxes[i].buf),
			&nb, 0);
	ipcmbox_prep_recv(sqe, boxes[i].fd[0], &boxes[i].io);
	io_uring_sqe_set_data64(sqe, TAG(i, 1));
}

static void client(void)
{
	char msg[64];
	int i, k;

	for (i = 0; i < NBOX; i++)
		close(boxes[i].fd[0]);
	for (k = 0; k < MSGS; k++) {
		for (i = 0; i < NBOX; i++) {
			struct ipcmbox_opts o = {
				.priority = (uint32_t)(k % 3), .type = i + 1,
			};
			int len = snprintf(msg, sizeof(msg), "box %d msg %d",
					   i, k);

			if (ipcmbox_send(boxes[i].fd[1], msg, len, &o, NULL)) {
				perror("client: send");
				_exit(1);
			}
		}
	}
	_exit(0);
}

int main(void)
{
	struct ipcmbox_attr attr = {
		.set = IPCMBOX_SET_CAPACITY, .capacity = 4,
	};
	unsigned int served = 0, open = NBOX, bad = 0;
	struct ipcmbox_envelope env;
	struct io_uring ring;
	int i, status;
	pid_t pid;

	for (i = 0; i < NBOX; i++) {
		if (ipcmbox_pair(&attr, IPCMBOX_PAIR_CLOEXEC, boxes[i].fd)) {
			perror("ipcmbox_pair (is the module loaded?)");
			return 1;
		}
		boxes[i].open = 1;
	}
	if (io_uring_queue_init(4 * NBOX, &ring, 0)) {
		fprintf(stderr, "io_uring_queue_init failed\n");
		return 1;
	}
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0)
		client();
	for (i = 0; i < NBOX; i++)
		close(boxes[i].fd[1]);

	for (i = 0; i < NBOX; i++)
		arm(&ring, i);
	io_uring_submit(&ring);
	while (open) {
		struct io_uring_cqe *cqe;
		uint64_t tag;
		int res;

		if (io_uring_wait_cqe(&ring, &cqe))
			return 1;
		tag = cqe->user_data;
		res = cqe->res;
		io_uring_cqe_seen(&ring, cqe);
		i = (int)(tag >> 1);
		if (!(tag & 1)) {
			/* Readable, or hung up: the receive tells which. */
			if (res < 0) {
				fprintf(stderr, "box %d: poll: %s\n", i,
					strerror(-res));
				return 1;
			}
			take(&ring, i);
			io_uring_submit(&ring);
			continue;
		}
		if (ipcmbox_io_result(res, &boxes[i].io, &env) >= 0) {
			served++;
			boxes[i].got++;
			if (env.type != i + 1 || env.pid != pid)
				bad++;
		} else if (errno == EPIPE) {
			boxes[i].open = 0;
			open--;
			continue;
		} else if (errno != EAGAIN && errno != ECANCELED) {
			fprintf(stderr, "box %d: %s\n", i, strerror(errno));
			return 1;
		}
		arm(&ring, i);
		io_uring_submit(&ring);
	}
	waitpid(pid, &status, 0);
	for (i = 0; i < NBOX; i++)
		if (boxes[i].got != MSGS)
			bad++;
	printf("served %u messages from %d mailboxes through one ring\n",
	       served, NBOX);
	printf("every mailbox: %d messages, types and sender pid as sent: %s\n",
	       MSGS, bad ? "NO" : "yes");
	printf("io-wq worker threads: %d\n", iou_workers());
	io_uring_queue_exit(&ring);
	return bad || !WIFEXITED(status) || WEXITSTATUS(status);
}
