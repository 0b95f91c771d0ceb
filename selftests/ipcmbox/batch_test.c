// SPDX-License-Identifier: GPL-2.0-only
/*
 * Batches: IPCMBOX_IOC_SEND_BATCH and _RECV_BATCH, through libipcmbox and
 * raw.  The return convention of sendmmsg/recvmmsg (a count, an error
 * only when none was done, the stopping errno in the batch), a receive
 * batch that waits for one message and takes what else is queued, the
 * atomic variant (all or nothing, consecutive sequence numbers, waiting
 * for room), validation before anything is done, and faults part way
 * through that lose no message.
 */
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "ipcmbox_test.h"

#define M	"m"

FIXTURE(batch) {
	int fd;
};

FIXTURE_SETUP(batch)
{
	self->fd = -1;
	if (getuid() != 0)
		SKIP(return, "needs root to reload the module");
	ASSERT_EQ(0, ipcmbox_test_reload(""));
}

FIXTURE_TEARDOWN(batch)
{
	if (self->fd >= 0)
		close(self->fd);
	ipcmbox_remove(M);
}

/* Creates "m" with @capacity and @max_msg (0: default) and opens it. */
static int make(struct __test_metadata *_metadata, uint32_t capacity,
		uint32_t max_msg)
{
	int fd = ipcmbox_test_make(M, capacity, max_msg);

	EXPECT_LE(0, fd) TH_LOG("create and open: %s", strerror(errno));
	return fd;
}

/* Fills @m[0..n-1] to send the strings @s with types and priorities. */
static void fill(struct ipcmbox_mmsg *m, const char *const *s, unsigned int n)
{
	unsigned int i;

	memset(m, 0, n * sizeof(*m));
	for (i = 0; i < n; i++) {
		m[i].buf = (void *)s[i];
		m[i].len = strlen(s[i]);
	}
}

/* Receive entries over @bufs, @size bytes each. */
static void prep_recv(struct ipcmbox_mmsg *m, char (*bufs)[64],
		      unsigned int n, size_t size)
{
	unsigned int i;

	memset(m, 0, n * sizeof(*m));
	for (i = 0; i < n; i++) {
		m[i].buf = bufs[i];
		m[i].len = size;
	}
}

TEST_F(batch, one_call_moves_many_messages_in_contract_order)
{
	static const char *const s[] = { "a", "bb", "ccc", "dddd", "eeeee" };
	struct ipcmbox_mmsg out[5], in[8];
	char bufs[8][64];
	int err = -1, i;

	self->fd = make(_metadata, 16, 0);
	fill(out, s, 5);
	out[2].priority = 7;	/* "ccc" first */
	out[4].type = 9;
	ASSERT_EQ(5, ipcmbox_send_batch(self->fd, out, 5, NULL, &err));
	EXPECT_EQ(0, err);
	for (i = 0; i < 5; i++)
		EXPECT_EQ((uint64_t)i + 1, out[i].env.seq);
	EXPECT_EQ(5, IPCMBOX_STAT(M, depth));

	prep_recv(in, bufs, 8, 64);
	ASSERT_EQ(5, ipcmbox_recv_batch(self->fd, in, 8, NULL, &err));
	EXPECT_EQ(0, err);
	EXPECT_EQ(3, in[0].len);
	EXPECT_EQ(0, memcmp(bufs[0], "ccc", 3));
	EXPECT_EQ(7, in[0].env.priority);
	EXPECT_EQ(3, in[0].env.seq);
	EXPECT_EQ(1, in[1].len);
	EXPECT_EQ(2, in[2].len);
	EXPECT_EQ(4, in[3].len);
	EXPECT_EQ(5, in[4].len);
	EXPECT_EQ(9, in[4].env.type);
	EXPECT_EQ(getpid(), in[4].env.pid);
	EXPECT_EQ(5, in[4].env.msg_len);
	EXPECT_EQ(0, IPCMBOX_STAT(M, depth));
	EXPECT_EQ(5, IPCMBOX_STAT(M, received));
	/* Running out of messages is not a failed receive. */
	EXPECT_EQ(0, IPCMBOX_STAT(M, recv_failed));
}

TEST_F(batch, each_entry_has_its_own_type_selector)
{
	static const char *const s[] = { "x1", "y2", "x3" };
	struct ipcmbox_mmsg out[3], in[2];
	char bufs[2][64];

	self->fd = make(_metadata, 16, 0);
	fill(out, s, 3);
	out[0].type = 1;
	out[1].type = 2;
	out[2].type = 1;
	ASSERT_EQ(3, ipcmbox_send_batch(self->fd, out, 3, NULL, NULL));
	prep_recv(in, bufs, 2, 64);
	in[0].type = 2;
	in[1].type = 2;
	/* The second entry finds no type 2 left: the batch stops there. */
	ASSERT_EQ(1, ipcmbox_recv_batch(self->fd, in, 2, NULL, NULL));
	EXPECT_EQ(0, memcmp(bufs[0], "y2", 2));
	EXPECT_EQ(2, IPCMBOX_STAT(M, depth));
}

TEST_F(batch, an_empty_mailbox_fails_the_first_entry)
{
	struct ipcmbox_opts nb = { .flags = IPCMBOX_IO_NONBLOCK };
	struct ipcmbox_opts to = {
		.flags = IPCMBOX_IO_TIMEOUT, .timeout_ns = 20000000,
	};
	struct ipcmbox_mmsg in[4];
	char bufs[4][64];
	int err = -1;

	self->fd = make(_metadata, 4, 0);
	prep_recv(in, bufs, 4, 64);
	EXPECT_EQ(-1, ipcmbox_recv_batch(self->fd, in, 4, &nb, &err));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(0, err);
	EXPECT_EQ(-1, ipcmbox_recv_batch(self->fd, in, 4, &to, NULL));
	EXPECT_EQ(ETIMEDOUT, errno);
}

TEST_F(batch, a_blocked_receive_batch_returns_with_the_first_message)
{
	pid_t pid;

	self->fd = make(_metadata, 4, 0);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct ipcmbox_mmsg in[8];
		char bufs[8][64];
		int n;

		prep_recv(in, bufs, 8, 64);
		n = ipcmbox_recv_batch(self->fd, in, 8, NULL, NULL);
		_exit(n == 1 && in[0].len == 5 && !memcmp(bufs[0], "hello", 5) ?
		      0 : 10 + n);
	}
	ASSERT_TRUE(IPCMBOX_WAIT_FOR(IPCMBOX_STAT(M, recv_waiting) == 1));
	ASSERT_EQ(0, ipcmbox_send(self->fd, "hello", 5, NULL, NULL));
	EXPECT_EQ(0, ipcmbox_test_child_status(pid));
}

TEST_F(batch, a_nonblocking_send_batch_stops_when_full)
{
	static const char *const s[] = { "1", "2", "3", "4", "5", "6" };
	struct ipcmbox_opts nb = { .flags = IPCMBOX_IO_NONBLOCK };
	struct ipcmbox_mmsg out[6];
	int err = -1;

	self->fd = make(_metadata, 4, 0);
	fill(out, s, 6);
	ASSERT_EQ(4, ipcmbox_send_batch(self->fd, out, 6, &nb, &err));
	EXPECT_EQ(EAGAIN, err);
	EXPECT_EQ(4, IPCMBOX_STAT(M, depth));
	EXPECT_EQ(-1, ipcmbox_send_batch(self->fd, out + 4, 2, &nb, &err));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(0, err);
}

/*
 * A blocking send batch larger than the capacity: runs that fit go in
 * together, the message that would wait waits alone, and the batch goes
 * on after it.  A receiver draining the mailbox meanwhile gets every
 * message once, in order, with the sequence numbers the batch reported.
 */
TEST_F(batch, a_blocking_send_batch_larger_than_the_mailbox_sends_it_all)
{
	enum { N = 64 };
	struct ipcmbox_mmsg out[N];
	char payload[N][4];
	int err = -1, i;
	pid_t pid;

	self->fd = make(_metadata, 4, 0);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct ipcmbox_envelope env;
		char buf[8];

		for (i = 0; i < N; i++) {
			ssize_t n = ipcmbox_recv(self->fd, buf, sizeof(buf),
						 NULL, &env);

			if (n != 3 || buf[0] != 'm' || buf[1] != '0' + i / 10 ||
			    buf[2] != '0' + i % 10 || env.seq != (uint64_t)i + 1)
				_exit(10 + (i % 100));
		}
		_exit(0);
	}
	memset(out, 0, sizeof(out));
	for (i = 0; i < N; i++) {
		payload[i][0] = 'm';
		payload[i][1] = '0' + i / 10;
		payload[i][2] = '0' + i % 10;
		payload[i][3] = '\0';
		out[i].buf = payload[i];
		out[i].len = 3;
	}
	ASSERT_EQ(N, ipcmbox_send_batch(self->fd, out, N, NULL, &err));
	EXPECT_EQ(0, err);
	for (i = 0; i < N; i++)
		EXPECT_EQ((uint64_t)i + 1, out[i].env.seq);
	EXPECT_EQ(0, ipcmbox_test_child_status(pid));
	EXPECT_EQ(N, IPCMBOX_STAT(M, sent));
	EXPECT_EQ(N, IPCMBOX_STAT(M, received));
	EXPECT_EQ(0, IPCMBOX_STAT(M, send_failed));
	EXPECT_EQ(0, IPCMBOX_STAT(M, depth));
}

TEST_F(batch, a_send_batch_timeout_covers_the_whole_call)
{
	static const char *const s[] = { "1", "2" };
	struct ipcmbox_opts to = {
		.flags = IPCMBOX_IO_TIMEOUT, .timeout_ns = 20000000,
	};
	struct ipcmbox_mmsg out[2];
	int err = -1;

	self->fd = make(_metadata, 1, 0);
	fill(out, s, 2);
	ASSERT_EQ(1, ipcmbox_send_batch(self->fd, out, 2, &to, &err));
	EXPECT_EQ(ETIMEDOUT, err);
	EXPECT_EQ(1, IPCMBOX_STAT(M, depth));
	EXPECT_EQ(0, IPCMBOX_STAT(M, send_waiting));
}

static void on_usr1(int sig)
{
	(void)sig;
}

TEST_F(batch, a_signal_after_some_messages_returns_the_count_and_eintr)
{
	pid_t pid;

	self->fd = make(_metadata, 1, 0);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		static const char *const s[] = { "1", "2" };
		struct sigaction sa = { .sa_handler = on_usr1 };
		struct ipcmbox_mmsg out[2];
		int n, err = -1;

		sigaction(SIGUSR1, &sa, NULL);	/* no SA_RESTART */
		fill(out, s, 2);
		n = ipcmbox_send_batch(self->fd, out, 2, NULL, &err);
		_exit(n == 1 && err == EINTR ? 0 : 10 + n);
	}
	ASSERT_TRUE(IPCMBOX_WAIT_FOR(IPCMBOX_STAT(M, send_waiting) == 1));
	ASSERT_EQ(0, kill(pid, SIGUSR1));
	EXPECT_EQ(0, ipcmbox_test_child_status(pid));
	EXPECT_EQ(1, IPCMBOX_STAT(M, depth));
	EXPECT_EQ(0, IPCMBOX_STAT(M, send_waiting));
}

TEST_F(batch, a_long_message_stops_a_receive_batch_and_stays_queued)
{
	char big[100], bufs[4][64];
	struct ipcmbox_mmsg in[4];
	int err = -1;

	self->fd = make(_metadata, 4, 0);
	memset(big, 'b', sizeof(big));
	ASSERT_EQ(0, ipcmbox_send(self->fd, "small", 5, NULL, NULL));
	ASSERT_EQ(0, ipcmbox_send(self->fd, big, sizeof(big), NULL, NULL));
	prep_recv(in, bufs, 4, 50);
	ASSERT_EQ(1, ipcmbox_recv_batch(self->fd, in, 4, NULL, &err));
	EXPECT_EQ(EMSGSIZE, err);
	EXPECT_EQ(100, in[1].env.msg_len);
	EXPECT_EQ(1, IPCMBOX_STAT(M, depth));
	/* First entry: the call fails, and still tells the length. */
	prep_recv(in, bufs, 4, 50);
	EXPECT_EQ(-1, ipcmbox_recv_batch(self->fd, in, 4, NULL, &err));
	EXPECT_EQ(EMSGSIZE, errno);
	EXPECT_EQ(100, in[0].env.msg_len);
	EXPECT_EQ(1, IPCMBOX_STAT(M, depth));
	/* Truncation is per entry. */
	prep_recv(in, bufs, 4, 50);
	in[0].flags = IPCMBOX_IO_TRUNC;
	EXPECT_EQ(1, ipcmbox_recv_batch(self->fd, in, 4, NULL, NULL));
	EXPECT_EQ(50, in[0].len);
	EXPECT_EQ(100, in[0].env.msg_len);
}

TEST_F(batch, end_of_file_stops_a_receive_batch_with_epipe)
{
	static const char *const s[] = { "1", "2" };
	struct ipcmbox_mmsg out[2], in[4];
	char bufs[4][64];
	int fds[2], err = -1;

	ASSERT_EQ(0, ipcmbox_pair(NULL, IPCMBOX_PAIR_CLOEXEC, fds));
	fill(out, s, 2);
	ASSERT_EQ(2, ipcmbox_send_batch(fds[1], out, 2, NULL, NULL));
	close(fds[1]);
	prep_recv(in, bufs, 4, 64);
	EXPECT_EQ(2, ipcmbox_recv_batch(fds[0], in, 4, NULL, &err));
	EXPECT_EQ(EPIPE, err);
	EXPECT_EQ(-1, ipcmbox_recv_batch(fds[0], in, 4, NULL, &err));
	EXPECT_EQ(EPIPE, errno);
	close(fds[0]);
}

TEST_F(batch, an_atomic_batch_is_all_or_nothing)
{
	static const char *const s[] = { "1", "2", "3", "4", "5" };
	struct ipcmbox_opts at = {
		.flags = IPCMBOX_BATCH_ATOMIC | IPCMBOX_IO_NONBLOCK,
	};
	struct ipcmbox_mmsg out[5];

	self->fd = make(_metadata, 4, 0);
	fill(out, s, 5);
	ASSERT_EQ(0, ipcmbox_send(self->fd, "q", 1, NULL, NULL));
	ASSERT_EQ(0, ipcmbox_send(self->fd, "q", 1, NULL, NULL));
	/* Room for two, not three: nothing goes in. */
	EXPECT_EQ(-1, ipcmbox_send_batch(self->fd, out, 3, &at, NULL));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(2, IPCMBOX_STAT(M, depth));
	/* More than the capacity can never go in. */
	EXPECT_EQ(-1, ipcmbox_send_batch(self->fd, out, 5, &at, NULL));
	EXPECT_EQ(EMSGSIZE, errno);
	ASSERT_EQ(2, ipcmbox_send_batch(self->fd, out, 2, &at, NULL));
	EXPECT_EQ(3, out[0].env.seq);
	EXPECT_EQ(4, out[1].env.seq);
	EXPECT_EQ(4, IPCMBOX_STAT(M, depth));
}

TEST_F(batch, an_atomic_batch_waits_for_room_for_all)
{
	char buf[8];
	pid_t pid;

	self->fd = make(_metadata, 4, 0);
	for (int i = 0; i < 4; i++)
		ASSERT_EQ(0, ipcmbox_send(self->fd, "q", 1, NULL, NULL));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		static const char *const s[] = { "a", "b", "c" };
		struct ipcmbox_opts at = { .flags = IPCMBOX_BATCH_ATOMIC };
		struct ipcmbox_mmsg out[3];
		int n;

		fill(out, s, 3);
		n = ipcmbox_send_batch(self->fd, out, 3, &at, NULL);
		_exit(n == 3 && out[1].env.seq == out[0].env.seq + 1 &&
		      out[2].env.seq == out[0].env.seq + 2 ? 0 : 10 + n);
	}
	ASSERT_TRUE(IPCMBOX_WAIT_FOR(IPCMBOX_STAT(M, send_waiting) == 1));
	/* One free slot is not enough: still nothing of the batch queued. */
	ASSERT_EQ(1, ipcmbox_recv(self->fd, buf, sizeof(buf), NULL, NULL));
	ASSERT_EQ(1, ipcmbox_recv(self->fd, buf, sizeof(buf), NULL, NULL));
	EXPECT_EQ(2, IPCMBOX_STAT(M, depth));
	EXPECT_EQ(1, IPCMBOX_STAT(M, send_waiting));
	ASSERT_EQ(1, ipcmbox_recv(self->fd, buf, sizeof(buf), NULL, NULL));
	EXPECT_EQ(0, ipcmbox_test_child_status(pid));
	EXPECT_EQ(4, IPCMBOX_STAT(M, depth));
	EXPECT_EQ(0, IPCMBOX_STAT(M, send_waiting));
}

TEST_F(batch, an_atomic_batch_on_a_rendezvous_mailbox_is_refused)
{
	static const char *const s[] = { "1" };
	struct ipcmbox_opts at = { .flags = IPCMBOX_BATCH_ATOMIC };
	struct ipcmbox_mmsg out[1];

	self->fd = make(_metadata, IPCMBOX_CAP_RENDEZVOUS, 0);
	fill(out, s, 1);
	EXPECT_EQ(-1, ipcmbox_send_batch(self->fd, out, 1, &at, NULL));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, IPCMBOX_STAT(M, depth));
}

TEST_F(batch, an_atomic_batch_is_charged_all_or_nothing)
{
	struct ipcmbox_opts at = { .flags = IPCMBOX_BATCH_ATOMIC };
	static char payload[1000];
	struct ipcmbox_mmsg out[4];

	self->fd = make(_metadata, IPCMBOX_CAP_UNBOUNDED, 0);
	ASSERT_EQ(0, ipcmbox_test_set_param("user_bytes_max", 3500));
	memset(out, 0, sizeof(out));
	for (int i = 0; i < 4; i++) {
		out[i].buf = payload;
		out[i].len = sizeof(payload);
	}
	EXPECT_EQ(-1, ipcmbox_send_batch(self->fd, out, 4, &at, NULL));
	EXPECT_EQ(ENOBUFS, errno);
	EXPECT_EQ(0, IPCMBOX_STAT(M, depth));
	/* The three charged before the refusal were given back. */
	EXPECT_EQ(3, ipcmbox_send_batch(self->fd, out, 3, &at, NULL));
}

/* A raw batch of @n entries over @ios. */
static struct ipcmbox_batch raw(struct ipcmbox_io *ios, unsigned int n)
{
	struct ipcmbox_batch b = {
		.size = sizeof(b), .msgs = (uintptr_t)ios, .count = n,
		.stride = sizeof(*ios),
	};
	return b;
}

static void raw_entries(struct ipcmbox_io *ios, unsigned int n, void *buf)
{
	memset(ios, 0, n * sizeof(*ios));
	for (unsigned int i = 0; i < n; i++) {
		ios[i].size = sizeof(*ios);
		ios[i].buf = (uintptr_t)buf;
		ios[i].len = 1;
	}
}

TEST_F(batch, a_bad_entry_or_field_fails_the_call_and_sends_nothing)
{
	struct ipcmbox_io ios[3];
	struct ipcmbox_batch b;
	char c = 'x';
	int ro;

	self->fd = make(_metadata, 8, 0);
#define EXPECT_BATCH_FAILS(cmd, err) do {				\
		EXPECT_EQ(-1, ioctl(self->fd, cmd, &b));		\
		EXPECT_EQ(err, errno);					\
		EXPECT_EQ(0, IPCMBOX_STAT(M, depth));			\
	} while (0)
	raw_entries(ios, 3, &c);
	b = raw(ios, 3);
	ios[2].flags = IPCMBOX_IO_PEEK;
	EXPECT_BATCH_FAILS(IPCMBOX_IOC_SEND_BATCH, EINVAL);
	ios[2].flags = IPCMBOX_IO_NONBLOCK;	/* belongs to the batch */
	EXPECT_BATCH_FAILS(IPCMBOX_IOC_SEND_BATCH, EINVAL);
	ios[2].flags = 0;
	ios[2].timeout_ns = 1;
	EXPECT_BATCH_FAILS(IPCMBOX_IOC_SEND_BATCH, EINVAL);
	ios[2].timeout_ns = 0;
	ios[2].seq = 1;				/* an output */
	EXPECT_BATCH_FAILS(IPCMBOX_IOC_SEND_BATCH, EINVAL);
	ios[2].seq = 0;
	ios[2].size = sizeof(ios[2]) + 8;	/* not the stride */
	EXPECT_BATCH_FAILS(IPCMBOX_IOC_SEND_BATCH, EINVAL);
	ios[2].size = sizeof(ios[2]);
	ios[2].type = -1;
	EXPECT_BATCH_FAILS(IPCMBOX_IOC_SEND_BATCH, EINVAL);
	ios[2].type = 0;

	b.count = 0;
	EXPECT_BATCH_FAILS(IPCMBOX_IOC_SEND_BATCH, EINVAL);
	b.count = IPCMBOX_BATCH_MAX + 1;
	EXPECT_BATCH_FAILS(IPCMBOX_IOC_SEND_BATCH, EINVAL);
	b = raw(ios, 3);
	b.stride = IPCMBOX_IO_SIZE_VER0 - 8;
	EXPECT_BATCH_FAILS(IPCMBOX_IOC_SEND_BATCH, EINVAL);
	b.stride = sizeof(ios[0]) + 4;
	EXPECT_BATCH_FAILS(IPCMBOX_IOC_SEND_BATCH, EINVAL);
	b.stride = 2 * 4096;
	EXPECT_BATCH_FAILS(IPCMBOX_IOC_SEND_BATCH, E2BIG);
	b = raw(ios, 3);
	b.reserved[1] = 1;
	EXPECT_BATCH_FAILS(IPCMBOX_IOC_SEND_BATCH, EINVAL);
	b = raw(ios, 3);
	b.error = EAGAIN;
	EXPECT_BATCH_FAILS(IPCMBOX_IOC_SEND_BATCH, EINVAL);
	b = raw(ios, 3);
	b.flags = 1U << 30;
	EXPECT_BATCH_FAILS(IPCMBOX_IOC_SEND_BATCH, EINVAL);
	b.flags = IPCMBOX_BATCH_ATOMIC;		/* send only */
	EXPECT_BATCH_FAILS(IPCMBOX_IOC_RECV_BATCH, EINVAL);
	b = raw(ios, 3);
	b.clock = 1;				/* without a timeout */
	EXPECT_BATCH_FAILS(IPCMBOX_IOC_SEND_BATCH, EINVAL);
	b = raw(NULL, 3);
	EXPECT_BATCH_FAILS(IPCMBOX_IOC_SEND_BATCH, EFAULT);
	b = raw(ios, 3);
	ios[1].buf = 0;				/* a fault on copy */
	ios[1].len = 1;
	EXPECT_EQ(1, ioctl(self->fd, IPCMBOX_IOC_SEND_BATCH, &b));
	EXPECT_EQ(EFAULT, b.error);
	EXPECT_EQ(1, IPCMBOX_STAT(M, depth));

	ro = ipcmbox_open(M, O_RDONLY);
	ASSERT_LE(0, ro);
	raw_entries(ios, 3, &c);
	b = raw(ios, 3);
	EXPECT_EQ(-1, ioctl(ro, IPCMBOX_IOC_SEND_BATCH, &b));
	EXPECT_EQ(EBADF, errno);
	close(ro);
#undef EXPECT_BATCH_FAILS
}

TEST_F(batch, an_entry_that_cannot_be_written_back_keeps_its_message)
{
	static const char *const s[] = { "1", "2", "3" };
	long page = sysconf(_SC_PAGESIZE);
	struct ipcmbox_mmsg out[3];
	struct ipcmbox_batch b;
	struct ipcmbox_io *ios;
	char bufs[3][8];
	char *mem;

	self->fd = make(_metadata, 8, 0);
	fill(out, s, 3);
	ASSERT_EQ(3, ipcmbox_send_batch(self->fd, out, 3, NULL, NULL));
	/* Entry 0 at the end of a writable page, entry 1 on a read-only one. */
	mem = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, mem);
	ios = (struct ipcmbox_io *)(mem + page - sizeof(*ios));
	memset(ios, 0, 3 * sizeof(*ios));
	for (int i = 0; i < 3; i++) {
		ios[i].size = sizeof(*ios);
		ios[i].buf = (uintptr_t)bufs[i];
		ios[i].len = sizeof(bufs[i]);
	}
	ASSERT_EQ(0, mprotect(mem + page, page, PROT_READ));
	b = raw(ios, 3);
	EXPECT_EQ(1, ioctl(self->fd, IPCMBOX_IOC_RECV_BATCH, &b));
	EXPECT_EQ(EFAULT, b.error);
	EXPECT_EQ(1, ios[0].seq);
	EXPECT_EQ(2, IPCMBOX_STAT(M, depth));
	EXPECT_EQ(1, ipcmbox_recv(self->fd, bufs[0], 8, NULL, NULL));
	EXPECT_EQ('2', bufs[0][0]);
	EXPECT_EQ(1, ipcmbox_recv(self->fd, bufs[0], 8, NULL, NULL));
	EXPECT_EQ('3', bufs[0][0]);
	munmap(mem, 2 * page);
}

/*
 * A later entry's buffer that faults: the entries before it are done, its
 * message and every message after it stay queued in order, and the
 * batch's error says EFAULT.  Sending, a payload that faults stops the
 * batch there and nothing of it or after it is queued.
 */
TEST_F(batch, a_buffer_that_faults_mid_batch_stops_it_and_loses_nothing)
{
	static const char *const s[] = { "1", "2", "3", "4" };
	long page = sysconf(_SC_PAGESIZE);
	struct ipcmbox_mmsg m[4];
	char bufs[4][64];
	int error = 0;
	char *ro;

	self->fd = make(_metadata, 8, 0);
	ro = mmap(NULL, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);

	fill(m, s, 4);
	m[2].buf = (void *)(uintptr_t)1;	/* not mapped */
	EXPECT_EQ(2, ipcmbox_send_batch(self->fd, m, 4, NULL, &error));
	EXPECT_EQ(EFAULT, error);
	EXPECT_EQ(2, IPCMBOX_STAT(M, depth));
	EXPECT_EQ(1, IPCMBOX_STAT(M, send_failed));
	fill(m, s + 2, 2);
	EXPECT_EQ(2, ipcmbox_send_batch(self->fd, m, 2, NULL, NULL));

	prep_recv(m, bufs, 4, sizeof(bufs[0]));
	m[1].buf = ro;				/* cannot be written */
	EXPECT_EQ(1, ipcmbox_recv_batch(self->fd, m, 4, NULL, &error));
	EXPECT_EQ(EFAULT, error);
	EXPECT_EQ('1', bufs[0][0]);
	EXPECT_EQ(3, IPCMBOX_STAT(M, depth));
	EXPECT_EQ(1, IPCMBOX_STAT(M, recv_failed));
	prep_recv(m, bufs, 4, sizeof(bufs[0]));
	EXPECT_EQ(3, ipcmbox_recv_batch(self->fd, m, 4,
					&(struct ipcmbox_opts){
						.flags = IPCMBOX_IO_NONBLOCK },
					&error));
	EXPECT_EQ(0, error);
	EXPECT_EQ('2', bufs[0][0]);
	EXPECT_EQ('3', bufs[1][0]);
	EXPECT_EQ('4', bufs[2][0]);
	EXPECT_EQ(m[0].env.seq + 1, m[1].env.seq);
	munmap(ro, page);
}

TEST_F(batch, a_receive_batch_takes_references)
{
	struct ipcmbox_attr a = {
		.set = IPCMBOX_SET_CAPACITY | IPCMBOX_SET_REGION,
		.capacity = 8, .region_size = 4 * 4096,
	};
	struct ipcmbox_chunk ch[2];
	struct ipcmbox_mmsg out[2], in[2];
	struct ipcmbox_map map;
	char bufs[2][64];

	ASSERT_EQ(0, ipcmbox_create(M, &a));
	self->fd = ipcmbox_open(M, O_RDWR);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, ipcmbox_region_map(self->fd, &map));
	ASSERT_EQ(2, ipcmbox_alloc(self->fd, 100, ch, 2, NULL));
	memcpy(ipcmbox_chunk_ptr(&map, &ch[0]), "first", 5);
	memcpy(ipcmbox_chunk_ptr(&map, &ch[1]), "second", 6);
	memset(out, 0, sizeof(out));
	for (int i = 0; i < 2; i++) {
		out[i].flags = IPCMBOX_IO_REF;
		out[i].ref_offset = ch[i].offset;
	}
	out[0].len = 5;
	out[1].len = 6;
	ASSERT_EQ(2, ipcmbox_send_batch(self->fd, out, 2, NULL, NULL));
	prep_recv(in, bufs, 2, 64);
	in[0].flags = IPCMBOX_IO_REF;	/* the second is copied out */
	ASSERT_EQ(2, ipcmbox_recv_batch(self->fd, in, 2, NULL, NULL));
	EXPECT_EQ(IPCMBOX_MSG_REF, in[0].msg_flags);
	EXPECT_EQ(ch[0].offset, in[0].ref_offset);
	EXPECT_EQ(0, memcmp(ipcmbox_chunk_ptr(&map, &ch[0]), "first", 5));
	EXPECT_EQ(IPCMBOX_MSG_REF, in[1].msg_flags);
	EXPECT_EQ(6, in[1].len);
	EXPECT_EQ(0, memcmp(bufs[1], "second", 6));
	/* The first chunk is the receiver's now; the second went back. */
	EXPECT_EQ(4096, IPCMBOX_STAT(M, region_used));
	EXPECT_EQ(0, ipcmbox_release(self->fd, &ch[0], 1));
	EXPECT_EQ(0, IPCMBOX_STAT(M, region_used));
	ipcmbox_region_unmap(&map);
}

/*
 * A message too long to be made stops the batch, and is reported, also
 * after a message before it had to wait for room.
 */
TEST_F(batch, a_long_message_after_a_waiting_one_is_reported)
{
	static const char *const s[] = { "one", "two", "seventeen bytes!!" };
	struct ipcmbox_mmsg out[3];
	int err = -1;
	pid_t pid;

	self->fd = make(_metadata, 1, 16);
	/* Makes room once "two" waits for it. */
	pid = ipcmbox_test_read_when_sender_waits(M, self->fd, 3);
	ASSERT_LE(0, pid);
	fill(out, s, 3);
	EXPECT_EQ(2, ipcmbox_send_batch(self->fd, out, 3, NULL, &err));
	EXPECT_EQ(EMSGSIZE, err);
	EXPECT_EQ(0, ipcmbox_test_child_status(pid));
	EXPECT_EQ(2, IPCMBOX_STAT(M, sent));
	EXPECT_EQ(1, IPCMBOX_STAT(M, depth));
	EXPECT_EQ(1, IPCMBOX_STAT(M, send_failed));
}

TEST_HARNESS_MAIN
