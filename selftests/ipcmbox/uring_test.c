// SPDX-License-Identifier: GPL-2.0-only
/*
 * io_uring reads and writes on mailbox fds (liburing): one whole message
 * per request; a request that would block is parked on poll and retried,
 * never handed to an io-wq worker (no iou-wrk thread appears); removal,
 * end of file, cancellation and ring teardown complete every pending
 * request (EIDRM, 0, ECANCELED), and nothing stays pinned afterwards.
 */
#include <glob.h>
#include <liburing.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "ipcmbox_test.h"
#include "ipcmbox_uring.h"

#define M	"m"
#define NREQ	32

FIXTURE(uring) {
	struct io_uring ring;
	bool ring_up;
	int fd;
};

FIXTURE_SETUP(uring)
{
	self->fd = -1;
	self->ring_up = false;
	if (getuid() != 0)
		SKIP(return, "needs root to reload the module");
	ASSERT_EQ(0, ipcmbox_test_reload(""));
	ASSERT_EQ(0, io_uring_queue_init(2 * NREQ, &self->ring, 0));
	self->ring_up = true;
}

FIXTURE_TEARDOWN(uring)
{
	if (self->ring_up)
		io_uring_queue_exit(&self->ring);
	if (self->fd >= 0)
		close(self->fd);
	ipcmbox_remove(M);
}

/* Threads of this process whose name starts with "iou-wrk". */
static int io_workers(void)
{
	glob_t g;
	int n = 0;

	if (glob("/proc/self/task/*/comm", 0, NULL, &g))
		return -1;
	for (size_t i = 0; i < g.gl_pathc; i++) {
		FILE *f = fopen(g.gl_pathv[i], "re");
		char comm[32] = "";

		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f) && !strncmp(comm, "iou-wrk", 7))
			n++;
		fclose(f);
	}
	globfree(&g);
	return n;
}

static int make(struct __test_metadata *_metadata, uint32_t capacity)
{
	struct ipcmbox_attr a = {
		.set = IPCMBOX_SET_CAPACITY, .capacity = capacity,
	};
	int fd;

	EXPECT_EQ(0, ipcmbox_create(M, &a)) TH_LOG("create: %s", strerror(errno));
	fd = ipcmbox_open(M, O_RDWR);
	EXPECT_LE(0, fd);
	return fd;
}

static struct io_uring_sqe *queue_read(struct io_uring *ring, int fd,
				       void *buf, size_t len, uint64_t tag)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	io_uring_prep_read(sqe, fd, buf, len, 0);
	io_uring_sqe_set_data64(sqe, tag);
	return sqe;
}

static void queue_write(struct io_uring *ring, int fd, const void *buf,
			size_t len, uint64_t tag)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	io_uring_prep_write(sqe, fd, buf, len, 0);
	io_uring_sqe_set_data64(sqe, tag);
}

/* Waits for one completion: its result, and its tag in *@tag. */
static int reap(struct io_uring *ring, uint64_t *tag)
{
	struct io_uring_cqe *cqe;
	int ret = io_uring_wait_cqe(ring, &cqe);

	if (ret)
		return ret - 100000;	/* never a request's result */
	ret = cqe->res;
	if (tag)
		*tag = cqe->user_data;
	io_uring_cqe_seen(ring, cqe);
	return ret;
}

TEST_F(uring, reads_and_writes_keep_message_boundaries)
{
	static const char *const s[] = { "a", "bb", "ccc" };
	char bufs[3][64];
	uint64_t tag;
	int i, res;

	self->fd = make(_metadata, 8);
	for (i = 0; i < 3; i++)
		queue_write(&self->ring, self->fd, s[i], strlen(s[i]), i);
	ASSERT_EQ(3, io_uring_submit(&self->ring));
	for (i = 0; i < 3; i++) {
		res = reap(&self->ring, &tag);
		EXPECT_EQ((int)strlen(s[tag]), res);
	}
	EXPECT_EQ(3, IPCMBOX_STAT(M, depth));
	/*
	 * Issued in order (not linked: a message shorter than the buffer is
	 * a short read, which breaks a link), each read takes the oldest
	 * whole message.
	 */
	for (i = 0; i < 3; i++)
		queue_read(&self->ring, self->fd, bufs[i], sizeof(bufs[i]), i);
	ASSERT_EQ(3, io_uring_submit(&self->ring));
	for (i = 0; i < 3; i++) {
		res = reap(&self->ring, &tag);
		ASSERT_EQ((int)strlen(s[tag]), res);
		EXPECT_EQ(0, memcmp(bufs[tag], s[tag], res));
	}
	EXPECT_EQ(0, IPCMBOX_STAT(M, depth));
	EXPECT_EQ(0, io_workers());
}

TEST_F(uring, many_pending_reads_park_on_poll_without_workers)
{
	uint32_t bufs[NREQ], seen = 0;
	uint64_t tag;
	int i;

	self->fd = make(_metadata, 64);
	for (i = 0; i < NREQ; i++)
		queue_read(&self->ring, self->fd, &bufs[i], sizeof(bufs[i]), i);
	ASSERT_EQ(NREQ, io_uring_submit(&self->ring));
	/* Parked on poll: none of them sleeps in a receive, no worker. */
	EXPECT_EQ(0, IPCMBOX_STAT(M, recv_waiting));
	EXPECT_EQ(0, io_workers());
	for (i = 0; i < NREQ; i++) {
		uint32_t v = i;

		ASSERT_EQ(0, ipcmbox_send(self->fd, &v, sizeof(v), NULL, NULL));
	}
	for (i = 0; i < NREQ; i++) {
		ASSERT_EQ(4, reap(&self->ring, &tag));
		ASSERT_GT(NREQ, bufs[tag]);
		seen |= 1U << bufs[tag];
	}
	EXPECT_EQ(0xffffffffU, seen);	/* each message exactly once */
	EXPECT_EQ(0, IPCMBOX_STAT(M, depth));
	EXPECT_EQ(0, io_workers());
}

TEST_F(uring, writes_park_on_a_full_mailbox_without_workers)
{
	uint32_t vals[4] = { 10, 11, 12, 13 }, v;
	int i;

	self->fd = make(_metadata, 2);
	ASSERT_EQ(0, ipcmbox_send(self->fd, "x", 1, NULL, NULL));
	ASSERT_EQ(0, ipcmbox_send(self->fd, "y", 1, NULL, NULL));
	for (i = 0; i < 4; i++)
		queue_write(&self->ring, self->fd, &vals[i], 4, i);
	ASSERT_EQ(4, io_uring_submit(&self->ring));
	EXPECT_EQ(2, IPCMBOX_STAT(M, depth));
	EXPECT_EQ(0, IPCMBOX_STAT(M, send_waiting));
	EXPECT_EQ(0, io_workers());
	ASSERT_EQ(1, ipcmbox_recv(self->fd, &v, sizeof(v), NULL, NULL));
	ASSERT_EQ(1, ipcmbox_recv(self->fd, &v, sizeof(v), NULL, NULL));
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(4, ipcmbox_recv(self->fd, &v, sizeof(v), NULL, NULL));
		EXPECT_LE(10, v);
		EXPECT_GE(13, v);
	}
	for (i = 0; i < 4; i++)
		EXPECT_EQ(4, reap(&self->ring, NULL));
	EXPECT_EQ(0, io_workers());
}

TEST_F(uring, removal_completes_pending_reads_with_eidrm)
{
	char bufs[8][16];
	int i;

	self->fd = make(_metadata, 8);
	for (i = 0; i < 8; i++)
		queue_read(&self->ring, self->fd, bufs[i], sizeof(bufs[i]), i);
	ASSERT_EQ(8, io_uring_submit(&self->ring));
	ASSERT_EQ(0, ipcmbox_remove(M));
	for (i = 0; i < 8; i++)
		EXPECT_EQ(-EIDRM, reap(&self->ring, NULL));
}

TEST_F(uring, the_last_sender_closing_completes_pending_reads_with_eof)
{
	char bufs[8][16];
	int fds[2], i;

	ASSERT_EQ(0, ipcmbox_pair(NULL, IPCMBOX_PAIR_CLOEXEC, fds));
	for (i = 0; i < 8; i++)
		queue_read(&self->ring, fds[0], bufs[i], sizeof(bufs[i]), i);
	ASSERT_EQ(8, io_uring_submit(&self->ring));
	close(fds[1]);
	for (i = 0; i < 8; i++)
		EXPECT_EQ(0, reap(&self->ring, NULL));
	close(fds[0]);
}

TEST_F(uring, removal_and_the_last_receiver_end_pending_writes)
{
	int fds[2], i;

	self->fd = make(_metadata, 1);
	ASSERT_EQ(0, ipcmbox_send(self->fd, "full", 4, NULL, NULL));
	for (i = 0; i < 4; i++)
		queue_write(&self->ring, self->fd, "w", 1, i);
	ASSERT_EQ(4, io_uring_submit(&self->ring));
	ASSERT_EQ(0, ipcmbox_remove(M));
	for (i = 0; i < 4; i++)
		EXPECT_EQ(-EIDRM, reap(&self->ring, NULL));

	/* A pair: parked writes fail like a pipe's with no reader left. */
	ASSERT_EQ(0, ipcmbox_pair(&(struct ipcmbox_attr){
		.set = IPCMBOX_SET_CAPACITY, .capacity = 1 },
		IPCMBOX_PAIR_CLOEXEC, fds));
	ASSERT_EQ(0, ipcmbox_send(fds[1], "full", 4, NULL, NULL));
	for (i = 0; i < 4; i++)
		queue_write(&self->ring, fds[1], "w", 1, i);
	ASSERT_EQ(4, io_uring_submit(&self->ring));
	close(fds[0]);
	for (i = 0; i < 4; i++)
		EXPECT_EQ(-EPIPE, reap(&self->ring, NULL));
	close(fds[1]);
	EXPECT_EQ(0, io_workers());
}

TEST_F(uring, a_cancelled_read_takes_nothing)
{
	struct io_uring_sqe *sqe;
	int res, got_read = 0, got_cancel = 0;
	uint64_t tag;
	char buf[16];

	self->fd = make(_metadata, 8);
	queue_read(&self->ring, self->fd, buf, sizeof(buf), 1);
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	sqe = io_uring_get_sqe(&self->ring);
	io_uring_prep_cancel64(sqe, 1, 0);
	io_uring_sqe_set_data64(sqe, 2);
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	for (int i = 0; i < 2; i++) {
		res = reap(&self->ring, &tag);
		if (tag == 1) {
			EXPECT_EQ(-ECANCELED, res);
			got_read++;
		} else {
			EXPECT_EQ(0, res);
			got_cancel++;
		}
	}
	EXPECT_EQ(1, got_read);
	EXPECT_EQ(1, got_cancel);
	ASSERT_EQ(0, ipcmbox_send(self->fd, "kept", 4, NULL, NULL));
	EXPECT_EQ(1, IPCMBOX_STAT(M, depth));
}

TEST_F(uring, a_nowait_read_of_an_empty_mailbox_fails_with_eagain)
{
	struct io_uring_sqe *sqe;
	char buf[16];

	self->fd = make(_metadata, 8);
	sqe = io_uring_get_sqe(&self->ring);
	io_uring_prep_read(sqe, self->fd, buf, sizeof(buf), 0);
	sqe->rw_flags = RWF_NOWAIT;
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	EXPECT_EQ(-EAGAIN, reap(&self->ring, NULL));
	EXPECT_EQ(0, io_workers());
}

/* An IORING_OP_URING_CMD of @op on @fd for the ioctl structure @arg. */
static struct io_uring_sqe *queue_cmd(struct io_uring *ring, int fd,
				      uint32_t op, void *arg, uint64_t tag)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	struct ipcmbox_uring_cmd *cmd = (void *)sqe->cmd;

	io_uring_prep_rw(IORING_OP_URING_CMD, sqe, fd, NULL, 0, 0);
	sqe->cmd_op = op;
	cmd->arg = (uintptr_t)arg;
	cmd->reserved = 0;
	io_uring_sqe_set_data64(sqe, tag);
	return sqe;
}

static void io_init(struct ipcmbox_io *io, void *buf, size_t len)
{
	memset(io, 0, sizeof(*io));
	io->size = sizeof(*io);
	io->buf = (uintptr_t)buf;
	io->len = len;
}

TEST_F(uring, commands_carry_types_priorities_and_the_envelope)
{
	struct ipcmbox_io sio, rio;
	char buf[16];

	self->fd = make(_metadata, 8);
	ASSERT_EQ(0, ipcmbox_send(self->fd, "other", 5, NULL, NULL));
	io_init(&sio, "typed", 5);
	sio.type = 5;
	sio.priority = 9;
	queue_cmd(&self->ring, self->fd, IPCMBOX_IOC_SEND, &sio, 1);
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	ASSERT_EQ(0, reap(&self->ring, NULL));
	EXPECT_EQ(2, sio.seq);

	io_init(&rio, buf, sizeof(buf));
	rio.type = 5;
	queue_cmd(&self->ring, self->fd, IPCMBOX_IOC_RECV, &rio, 2);
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	ASSERT_EQ(0, reap(&self->ring, NULL));
	EXPECT_EQ(5, rio.len);
	EXPECT_EQ(0, memcmp(buf, "typed", 5));
	EXPECT_EQ(5, rio.type);
	EXPECT_EQ(9, rio.priority);
	EXPECT_EQ(2, rio.seq);
	EXPECT_EQ(getpid(), rio.pid);
	EXPECT_EQ(1, IPCMBOX_STAT(M, depth));
	/* A bad structure fails the command as it fails the ioctl. */
	io_init(&rio, buf, sizeof(buf));
	rio.reserved[0] = 1;
	queue_cmd(&self->ring, self->fd, IPCMBOX_IOC_RECV, &rio, 3);
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	EXPECT_EQ(-EINVAL, reap(&self->ring, NULL));
	queue_cmd(&self->ring, self->fd, IPCMBOX_IOC_STAT, &rio, 4);
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	EXPECT_EQ(-EOPNOTSUPP, reap(&self->ring, NULL));
	EXPECT_EQ(1, IPCMBOX_STAT(M, depth));
	EXPECT_EQ(0, io_workers());
}

TEST_F(uring, command_batches_move_many_messages_per_request)
{
	struct ipcmbox_io ios[8];
	struct ipcmbox_batch b;
	uint32_t vals[8];
	int i;

	self->fd = make(_metadata, 16);
	for (i = 0; i < 8; i++) {
		vals[i] = 100 + i;
		io_init(&ios[i], &vals[i], 4);
	}
	memset(&b, 0, sizeof(b));
	b.size = sizeof(b);
	b.msgs = (uintptr_t)ios;
	b.count = 8;
	b.stride = sizeof(ios[0]);
	queue_cmd(&self->ring, self->fd, IPCMBOX_IOC_SEND_BATCH, &b, 1);
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	ASSERT_EQ(8, reap(&self->ring, NULL));
	EXPECT_EQ(8, IPCMBOX_STAT(M, depth));
	for (i = 0; i < 8; i++)
		io_init(&ios[i], &vals[i], 4);
	memset(vals, 0, sizeof(vals));
	queue_cmd(&self->ring, self->fd, IPCMBOX_IOC_RECV_BATCH, &b, 2);
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	ASSERT_EQ(8, reap(&self->ring, NULL));
	for (i = 0; i < 8; i++)
		EXPECT_EQ(100U + i, vals[i]);
	EXPECT_EQ(0, IPCMBOX_STAT(M, depth));
	EXPECT_EQ(0, IPCMBOX_STAT(M, recv_failed));
}

TEST_F(uring, packed_command_batches_move_many_messages_per_request)
{
	struct ipcmbox_opts nb = { .flags = IPCMBOX_IO_NONBLOCK };
	const struct ipcmbox_packed_recv *h;
	uint64_t out[64], in[128];
	struct ipcmbox_batch b;
	struct io_uring_sqe *sqe;
	size_t off = 0;
	int i;

	self->fd = make(_metadata, 16);
	for (i = 0; i < 8; i++) {
		uint32_t v = 100 + i;

		memcpy(ipcmbox_packed_add(out, sizeof(out), &off, 4, i, 0), &v,
		       4);
	}
	/* Non-blocking: a blocking one that must wait goes to a worker. */
	ASSERT_EQ(0, ipcmbox_packed_prep(&b, out, off, 8, &nb));
	sqe = io_uring_get_sqe(&self->ring);
	ASSERT_NE(NULL, sqe);
	ipcmbox_prep_send_batch(sqe, self->fd, &b);
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	ASSERT_EQ(8, reap(&self->ring, NULL));
	EXPECT_EQ(8, IPCMBOX_STAT(M, depth));

	ASSERT_EQ(0, ipcmbox_packed_prep(&b, in, sizeof(in), 8, NULL));
	sqe = io_uring_get_sqe(&self->ring);
	ASSERT_NE(NULL, sqe);
	ipcmbox_prep_recv_batch(sqe, self->fd, &b);
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	ASSERT_EQ(8, reap(&self->ring, NULL));
	off = 0;
	for (i = 0; i < 8; i++) {
		uint32_t v;

		h = ipcmbox_packed_next(in, &off);
		ASSERT_EQ(4, h->len);
		memcpy(&v, ipcmbox_packed_data(h), 4);
		EXPECT_EQ(100U + i, v);
		EXPECT_EQ(i, h->type);
		EXPECT_EQ((uint64_t)i + 1, h->seq);
	}
	EXPECT_EQ(0, IPCMBOX_STAT(M, depth));
	EXPECT_EQ(0, io_workers());
}

/*
 * A blocking packed send command that the mailbox takes whole completes
 * in the submitting task; one that must wait is issued again from a
 * worker and completes, whole, once room is made.
 */
TEST_F(uring, a_blocking_packed_send_that_fits_needs_no_worker)
{
	const struct ipcmbox_packed_recv *h;
	uint64_t out[64], in[256];
	struct ipcmbox_batch b;
	struct io_uring_sqe *sqe;
	size_t off = 0;
	int i;

	self->fd = make(_metadata, 12);
	for (i = 0; i < 8; i++) {
		uint32_t v = 100 + i;

		memcpy(ipcmbox_packed_add(out, sizeof(out), &off, 4, 0, 0), &v,
		       4);
	}
	ASSERT_EQ(0, ipcmbox_packed_prep(&b, out, off, 8, NULL));
	sqe = io_uring_get_sqe(&self->ring);
	ASSERT_NE(NULL, sqe);
	ipcmbox_prep_send_batch(sqe, self->fd, &b);
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	ASSERT_EQ(8, reap(&self->ring, NULL));
	EXPECT_EQ(8, IPCMBOX_STAT(M, depth));
	EXPECT_EQ(0, io_workers());

	/* Room for 4 of 8: the probe sends none, the worker 4, then waits. */
	ASSERT_EQ(0, ipcmbox_packed_prep(&b, out, off, 8, NULL));
	sqe = io_uring_get_sqe(&self->ring);
	ASSERT_NE(NULL, sqe);
	ipcmbox_prep_send_batch(sqe, self->fd, &b);
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	ASSERT_TRUE(IPCMBOX_WAIT_FOR(IPCMBOX_STAT(M, send_waiting) == 1));
	EXPECT_EQ(12, IPCMBOX_STAT(M, depth));
	EXPECT_LE(1, io_workers());
	EXPECT_EQ(16, ipcmbox_recv_packed(self->fd, in, sizeof(in), 16, NULL,
					  NULL));
	ASSERT_EQ(8, reap(&self->ring, NULL));
	EXPECT_EQ(0, IPCMBOX_STAT(M, depth));
	EXPECT_EQ(16, IPCMBOX_STAT(M, sent));
	off = 0;
	for (i = 0; i < 16; i++) {
		uint32_t v;

		h = ipcmbox_packed_next(in, &off);
		ASSERT_EQ(4, h->len);
		memcpy(&v, ipcmbox_packed_data(h), 4);
		EXPECT_EQ(100U + i % 8, v);
		EXPECT_EQ((uint64_t)i + 1, h->seq);
	}
}

TEST_F(uring, a_blocking_command_waits_and_cancellation_ends_it)
{
	struct io_uring_sqe *sqe;
	struct ipcmbox_io rio;
	int res, seen = 0;
	uint64_t tag;
	char buf[16];

	self->fd = make(_metadata, 8);
	io_init(&rio, buf, sizeof(buf));
	queue_cmd(&self->ring, self->fd, IPCMBOX_IOC_RECV, &rio, 1);
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	/* It blocks in a receive, as the ioctl does. */
	ASSERT_TRUE(IPCMBOX_WAIT_FOR(IPCMBOX_STAT(M, recv_waiting) == 1));
	ASSERT_EQ(0, ipcmbox_send(self->fd, "late", 4, NULL, NULL));
	ASSERT_EQ(0, reap(&self->ring, NULL));
	EXPECT_EQ(4, rio.len);

	io_init(&rio, buf, sizeof(buf));
	queue_cmd(&self->ring, self->fd, IPCMBOX_IOC_RECV, &rio, 2);
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	ASSERT_TRUE(IPCMBOX_WAIT_FOR(IPCMBOX_STAT(M, recv_waiting) == 1));
	sqe = io_uring_get_sqe(&self->ring);
	io_uring_prep_cancel64(sqe, 2, 0);
	io_uring_sqe_set_data64(sqe, 3);
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	for (int i = 0; i < 2; i++) {
		res = reap(&self->ring, &tag);
		if (tag == 2) {
			EXPECT_TRUE(res == -EINTR || res == -ECANCELED)
				TH_LOG("cancelled receive: %d", res);
			seen++;
		}
	}
	EXPECT_EQ(1, seen);
	EXPECT_EQ(0, IPCMBOX_STAT(M, recv_waiting));
	ASSERT_EQ(0, ipcmbox_send(self->fd, "kept", 4, NULL, NULL));
	EXPECT_EQ(1, IPCMBOX_STAT(M, depth));
}

TEST_F(uring, exit_with_a_blocked_command_hangs_nothing)
{
	pid_t pid;

	self->fd = make(_metadata, 8);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct io_uring ring;
		struct ipcmbox_io rio;
		char buf[16];

		if (io_uring_queue_init(4, &ring, 0))
			_exit(10);
		io_init(&rio, buf, sizeof(buf));
		queue_cmd(&ring, self->fd, IPCMBOX_IOC_RECV, &rio, 1);
		if (io_uring_submit(&ring) != 1)
			_exit(11);
		pause();
		_exit(12);
	}
	ASSERT_TRUE(IPCMBOX_WAIT_FOR(IPCMBOX_STAT(M, recv_waiting) == 1));
	ASSERT_EQ(0, kill(pid, SIGKILL));
	EXPECT_EQ(128 + SIGKILL, ipcmbox_test_child_status(pid));
	EXPECT_TRUE(IPCMBOX_WAIT_FOR(IPCMBOX_STAT(M, recv_waiting) == 0));
	ASSERT_EQ(0, ipcmbox_send(self->fd, "kept", 4, NULL, NULL));
	EXPECT_EQ(1, IPCMBOX_STAT(M, depth));
}

TEST_F(uring, library_helpers_prepare_and_decode_commands)
{
	static const char *const s[] = { "one", "two", "three" };
	struct ipcmbox_opts opts = { .priority = 3, .type = 7 };
	struct ipcmbox_mmsg out[3], in[4];
	struct ipcmbox_envelope env;
	struct io_uring_cqe *cqe;
	struct ipcmbox_batch b;
	struct ipcmbox_io io, ios[4];
	char buf[16], bufs[4][16];
	int err = -1, i;

	self->fd = make(_metadata, 8);
	ipcmbox_io_prep(&io, "hello", 5, &opts, 1);
	ipcmbox_prep_send(io_uring_get_sqe(&self->ring), self->fd, &io);
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	ASSERT_EQ(0, io_uring_wait_cqe(&self->ring, &cqe));
	EXPECT_EQ(5, ipcmbox_cqe_io(cqe, &io, &env));
	EXPECT_EQ(1, env.seq);
	io_uring_cqe_seen(&self->ring, cqe);

	memset(out, 0, sizeof(out));
	for (i = 0; i < 3; i++) {
		out[i].buf = (void *)s[i];
		out[i].len = strlen(s[i]);
	}
	ASSERT_EQ(0, ipcmbox_batch_prep(&b, ios, out, 3, NULL, 1));
	ipcmbox_prep_send_batch(io_uring_get_sqe(&self->ring), self->fd, &b);
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	ASSERT_EQ(0, io_uring_wait_cqe(&self->ring, &cqe));
	EXPECT_EQ(3, ipcmbox_cqe_batch(cqe, &b, ios, out, 1, &err));
	EXPECT_EQ(0, err);
	EXPECT_EQ(4, out[2].env.seq);
	io_uring_cqe_seen(&self->ring, cqe);

	/* The first message alone, with its envelope. */
	ipcmbox_io_prep(&io, buf, sizeof(buf), NULL, 0);
	ipcmbox_prep_recv(io_uring_get_sqe(&self->ring), self->fd, &io);
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	ASSERT_EQ(0, io_uring_wait_cqe(&self->ring, &cqe));
	EXPECT_EQ(5, ipcmbox_cqe_io(cqe, &io, &env));
	EXPECT_EQ(7, env.type);
	EXPECT_EQ(3, env.priority);
	EXPECT_EQ(getpid(), env.pid);
	io_uring_cqe_seen(&self->ring, cqe);

	memset(in, 0, sizeof(in));
	for (i = 0; i < 4; i++) {
		in[i].buf = bufs[i];
		in[i].len = sizeof(bufs[i]);
	}
	ASSERT_EQ(0, ipcmbox_batch_prep(&b, ios, in, 4, NULL, 0));
	ipcmbox_prep_recv_batch(io_uring_get_sqe(&self->ring), self->fd, &b);
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	ASSERT_EQ(0, io_uring_wait_cqe(&self->ring, &cqe));
	EXPECT_EQ(3, ipcmbox_cqe_batch(cqe, &b, ios, in, 0, &err));
	EXPECT_EQ(0, err);
	EXPECT_EQ(5, in[2].len);
	EXPECT_EQ(0, memcmp(bufs[2], "three", 5));
	EXPECT_EQ(4, in[2].env.seq);
	io_uring_cqe_seen(&self->ring, cqe);

	/* An empty mailbox: a non-blocking receive decodes to EAGAIN. */
	opts = (struct ipcmbox_opts){ .flags = IPCMBOX_IO_NONBLOCK };
	ipcmbox_io_prep(&io, buf, sizeof(buf), &opts, 0);
	ipcmbox_prep_recv(io_uring_get_sqe(&self->ring), self->fd, &io);
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	ASSERT_EQ(0, io_uring_wait_cqe(&self->ring, &cqe));
	EXPECT_EQ(-1, ipcmbox_cqe_io(cqe, &io, NULL));
	EXPECT_EQ(EAGAIN, errno);
	io_uring_cqe_seen(&self->ring, cqe);
	/* Tried and repeated once, counted once. */
	EXPECT_EQ(1, IPCMBOX_STAT(M, recv_failed));
}

TEST_F(uring, a_poll_linked_to_a_nonblocking_command_waits_without_workers)
{
	struct ipcmbox_opts nb = { .flags = IPCMBOX_IO_NONBLOCK };
	struct ipcmbox_envelope env;
	struct io_uring_sqe *sqe;
	struct ipcmbox_io io;
	char buf[16];
	uint64_t tag;
	int res;

	self->fd = make(_metadata, 8);
	sqe = io_uring_get_sqe(&self->ring);
	io_uring_prep_poll_add(sqe, self->fd, POLLIN);
	io_uring_sqe_set_flags(sqe, IOSQE_IO_LINK);
	io_uring_sqe_set_data64(sqe, 1);
	ipcmbox_io_prep(&io, buf, sizeof(buf), &nb, 0);
	sqe = io_uring_get_sqe(&self->ring);
	ipcmbox_prep_recv(sqe, self->fd, &io);
	io_uring_sqe_set_data64(sqe, 2);
	ASSERT_EQ(2, io_uring_submit(&self->ring));
	EXPECT_EQ(0, IPCMBOX_STAT(M, recv_waiting));
	ASSERT_EQ(0, ipcmbox_send(self->fd, "ping", 4, NULL, NULL));
	for (int i = 0; i < 2; i++) {
		res = reap(&self->ring, &tag);
		if (tag == 1) {
			EXPECT_TRUE(res & POLLIN);
		} else {
			EXPECT_EQ(0, res);
		}
	}
	EXPECT_EQ(4, ipcmbox_io_result(0, &io, &env));
	EXPECT_EQ(0, memcmp(buf, "ping", 4));
	EXPECT_EQ(0, io_workers());
	EXPECT_EQ(0, IPCMBOX_STAT(M, recv_failed));
}

/* A child with requests in flight exits without tearing its ring down. */
TEST_F(uring, exit_with_requests_in_flight_hangs_nothing_and_leaks_nothing)
{
	pid_t pid;

	self->fd = make(_metadata, 2);
	ASSERT_EQ(0, ipcmbox_send(self->fd, "x", 1, NULL, NULL));
	ASSERT_EQ(0, ipcmbox_send(self->fd, "y", 1, NULL, NULL));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		static char bufs[NREQ][16];
		struct io_uring ring;
		int fd = ipcmbox_open(M, O_RDWR), i;

		if (fd < 0 || io_uring_queue_init(2 * NREQ, &ring, 0))
			_exit(10);
		/*
		 * Writes that wait for room, and more reads than there will be
		 * messages: some of each are pending when the process exits.
		 */
		for (i = 0; i < 4; i++)
			queue_write(&ring, fd, "w", 1, i);
		for (i = 0; i < NREQ; i++)
			queue_read(&ring, fd, bufs[i], sizeof(bufs[i]), i);
		_exit(io_uring_submit(&ring) == 4 + NREQ ? 0 : 11);
	}
	EXPECT_EQ(0, ipcmbox_test_child_status(pid));
	/* Every message sent was received or is still queued. */
	EXPECT_EQ(IPCMBOX_STAT(M, sent),
		  IPCMBOX_STAT(M, received) + IPCMBOX_STAT(M, depth));
	close(self->fd);
	self->fd = -1;
	ASSERT_EQ(0, ipcmbox_remove(M));
	/* Every file the ring held is released: the module can go. */
	EXPECT_TRUE(IPCMBOX_WAIT_FOR(ipcmbox_test_unload() == 0));
}

TEST_HARNESS_MAIN
