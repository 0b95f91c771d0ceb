// SPDX-License-Identifier: GPL-2.0-only
/*
 * Messages through IPCMBOX_IOC_SEND/_RECV (via libipcmbox): priorities,
 * types and selective receive, peek, truncation, the next-size query, the
 * envelope (also when a message's memory is recycled), timeouts on each
 * clock, byte and count limits at the limit and one past, live limit
 * changes, and the counters in stat, sysfs and fdinfo.  Each test starts from a freshly loaded module and a mailbox "m"
 * created through the control node.
 */
#include <poll.h>
#include <pthread.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "ipcmbox_test.h"

#define M	"m"

FIXTURE(msg) {
	int fd;
};

FIXTURE_SETUP(msg)
{
	self->fd = -1;
	if (getuid() != 0)
		SKIP(return, "needs root to reload the module");
	ASSERT_EQ(0, ipcmbox_test_reload(""));
}

FIXTURE_TEARDOWN(msg)
{
	if (self->fd >= 0)
		close(self->fd);
	ipcmbox_remove(M);
}

/* Creates "m" with @capacity (and @max_msg, @max_bytes when non-zero). */
static int make(struct __test_metadata *_metadata, uint32_t capacity,
		uint32_t max_msg, uint64_t max_bytes)
{
	struct ipcmbox_attr a = {
		.set = IPCMBOX_SET_CAPACITY, .capacity = capacity,
	};
	int fd;

	if (max_msg) {
		a.set |= IPCMBOX_SET_MAX_MSG;
		a.max_msg = max_msg;
	}
	if (max_bytes) {
		a.set |= IPCMBOX_SET_MAX_BYTES;
		a.max_bytes = max_bytes;
	}
	EXPECT_EQ(0, ipcmbox_create(M, &a)) TH_LOG("create: %s", strerror(errno));
	fd = ipcmbox_open(M, O_RDWR);
	EXPECT_LE(0, fd);
	return fd;
}

static int send_str(int fd, const char *s, uint32_t prio, int64_t type)
{
	struct ipcmbox_opts o = { .priority = prio, .type = type };

	return ipcmbox_send(fd, s, strlen(s), &o, NULL);
}

/* Receives one message as a string with @flags and selector @type. */
static ssize_t recv_str(int fd, char *buf, size_t size, uint32_t flags,
			int64_t type)
{
	struct ipcmbox_opts o = {
		.flags = flags | IPCMBOX_IO_NONBLOCK, .type = type,
	};
	ssize_t n = ipcmbox_recv(fd, buf, size - 1, &o, NULL);

	if (n >= 0)
		buf[n] = '\0';
	return n;
}

TEST_F(msg, priority_order_fifo_within_priority)
{
	static const struct { const char *s; uint32_t p; } in[] = {
		{ "a0", 0 }, { "b5", 5 }, { "c0", 0 }, { "d9", 9 },
		{ "e5", 5 }, { "f255", 255 }, { "g9", 9 },
	};
	static const char *const out[] = {
		"f255", "d9", "g9", "b5", "e5", "a0", "c0",
	};
	char buf[16];
	size_t i;

	self->fd = make(_metadata, 16, 0, 0);
	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		ASSERT_EQ(0, send_str(self->fd, in[i].s, in[i].p, 0));
	for (i = 0; i < sizeof(out) / sizeof(out[0]); i++) {
		ASSERT_LE(0, recv_str(self->fd, buf, sizeof(buf), 0, 0));
		EXPECT_STREQ(out[i], buf);
	}
	EXPECT_EQ(-1, recv_str(self->fd, buf, sizeof(buf), 0, 0));
	EXPECT_EQ(EAGAIN, errno);
}

TEST_F(msg, priority_above_max_is_einval_and_queues_nothing)
{
	self->fd = make(_metadata, 4, 0, 0);
	EXPECT_EQ(-1, send_str(self->fd, "x", IPCMBOX_PRIO_MAX + 1, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, IPCMBOX_STAT(M, depth));
}

TEST_F(msg, type_selection_any_equal_lowest)
{
	char buf[16];

	self->fd = make(_metadata, 16, 0, 0);
	ASSERT_EQ(0, send_str(self->fd, "t3a", 0, 3));
	ASSERT_EQ(0, send_str(self->fd, "t1", 0, 1));
	ASSERT_EQ(0, send_str(self->fd, "t5", 0, 5));
	ASSERT_EQ(0, send_str(self->fd, "t2", 0, 2));
	ASSERT_EQ(0, send_str(self->fd, "t3b", 0, 3));

	/* Equal: the first of that type. */
	ASSERT_LE(0, recv_str(self->fd, buf, sizeof(buf), 0, 3));
	EXPECT_STREQ("t3a", buf);
	/* None of type 4. */
	EXPECT_EQ(-1, recv_str(self->fd, buf, sizeof(buf), 0, 4));
	EXPECT_EQ(EAGAIN, errno);
	/* Lowest type <= 4: t1, then t2, then t3b. */
	ASSERT_LE(0, recv_str(self->fd, buf, sizeof(buf), 0, -4));
	EXPECT_STREQ("t1", buf);
	ASSERT_LE(0, recv_str(self->fd, buf, sizeof(buf), 0, -4));
	EXPECT_STREQ("t2", buf);
	ASSERT_LE(0, recv_str(self->fd, buf, sizeof(buf), 0, -4));
	EXPECT_STREQ("t3b", buf);
	EXPECT_EQ(-1, recv_str(self->fd, buf, sizeof(buf), 0, -4));
	EXPECT_EQ(EAGAIN, errno);
	/* Any: what is left. */
	ASSERT_LE(0, recv_str(self->fd, buf, sizeof(buf), 0, 0));
	EXPECT_STREQ("t5", buf);
}

TEST_F(msg, lowest_type_prefers_priority_within_a_type)
{
	char buf[16];

	self->fd = make(_metadata, 16, 0, 0);
	ASSERT_EQ(0, send_str(self->fd, "low", 0, 2));
	ASSERT_EQ(0, send_str(self->fd, "high", 7, 2));
	ASSERT_LE(0, recv_str(self->fd, buf, sizeof(buf), 0, -2));
	EXPECT_STREQ("high", buf);
}

TEST_F(msg, negative_send_type_is_einval)
{
	self->fd = make(_metadata, 4, 0, 0);
	EXPECT_EQ(-1, send_str(self->fd, "x", 0, -1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, IPCMBOX_STAT(M, depth));
}

TEST_F(msg, peek_leaves_the_message_queued)
{
	char buf[16];

	self->fd = make(_metadata, 4, 0, 0);
	ASSERT_EQ(0, send_str(self->fd, "first", 0, 0));
	ASSERT_EQ(0, send_str(self->fd, "second", 0, 0));
	ASSERT_EQ(5, recv_str(self->fd, buf, sizeof(buf), IPCMBOX_IO_PEEK, 0));
	EXPECT_STREQ("first", buf);
	ASSERT_EQ(5, recv_str(self->fd, buf, sizeof(buf), IPCMBOX_IO_PEEK, 0));
	EXPECT_EQ(2, IPCMBOX_STAT(M, depth));
	EXPECT_EQ(0, IPCMBOX_STAT(M, received));
	ASSERT_EQ(5, recv_str(self->fd, buf, sizeof(buf), 0, 0));
	EXPECT_STREQ("first", buf);
	ASSERT_EQ(6, recv_str(self->fd, buf, sizeof(buf), 0, 0));
}

TEST_F(msg, short_buffer_emsgsize_reports_length_and_keeps_message)
{
	struct ipcmbox_envelope env = { 0 };
	char buf[8];

	self->fd = make(_metadata, 4, 0, 0);
	ASSERT_EQ(0, send_str(self->fd, "0123456789", 0, 0));
	EXPECT_EQ(-1, ipcmbox_recv(self->fd, buf, 4, NULL, &env));
	EXPECT_EQ(EMSGSIZE, errno);
	EXPECT_EQ(10, env.msg_len);
	EXPECT_EQ(1, IPCMBOX_STAT(M, depth));
	EXPECT_EQ(10, IPCMBOX_STAT(M, next_len));
}

TEST_F(msg, truncate_on_request_consumes_and_reports_full_length)
{
	struct ipcmbox_opts o = { .flags = IPCMBOX_IO_TRUNC };
	struct ipcmbox_envelope env = { 0 };
	char buf[8] = { 0 };

	self->fd = make(_metadata, 4, 0, 0);
	ASSERT_EQ(0, send_str(self->fd, "0123456789", 0, 0));
	EXPECT_EQ(4, ipcmbox_recv(self->fd, buf, 4, &o, &env));
	EXPECT_EQ(0, memcmp(buf, "0123", 4));
	EXPECT_EQ(10, env.msg_len);
	EXPECT_EQ(0, IPCMBOX_STAT(M, depth));
}

TEST_F(msg, next_size_query)
{
	self->fd = make(_metadata, 4, 0, 0);
	EXPECT_EQ(0, ipcmbox_next_size(self->fd));
	ASSERT_EQ(0, send_str(self->fd, "abc", 0, 0));
	ASSERT_EQ(0, send_str(self->fd, "toplong", 3, 0));
	EXPECT_EQ(7, ipcmbox_next_size(self->fd));
	EXPECT_EQ(7, IPCMBOX_STAT(M, next_len));
	EXPECT_EQ(2, IPCMBOX_STAT(M, depth));
}

TEST_F(msg, envelope_identifies_sender_and_time)
{
	struct ipcmbox_envelope env = { 0 };
	long long before, after;
	uint64_t seq1, seq2;
	char buf[16];
	pid_t child;
	int status;

	self->fd = make(_metadata, 4, 0, 0);
	before = ipcmbox_test_now_ns(CLOCK_MONOTONIC);
	ASSERT_EQ(0, ipcmbox_send(self->fd, "x", 1, NULL, &seq1));
	after = ipcmbox_test_now_ns(CLOCK_MONOTONIC);
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0)
		_exit(ipcmbox_send(self->fd, "y", 1, NULL, NULL) ? 1 : 0);
	ASSERT_EQ(child, waitpid(child, &status, 0));
	ASSERT_EQ(0, status);

	ASSERT_EQ(1, ipcmbox_recv(self->fd, buf, sizeof(buf), NULL, &env));
	EXPECT_EQ(seq1, env.seq);
	EXPECT_EQ(getpid(), env.pid);
	EXPECT_EQ(gettid(), env.tid);
	EXPECT_EQ(geteuid(), env.uid);
	EXPECT_EQ(getegid(), env.gid);
	EXPECT_LE(before, env.enqueue_mono_ns);
	EXPECT_GE(after, env.enqueue_mono_ns);
	EXPECT_GT(env.enqueue_real_ns, 1600000000LL * 1000000000LL);

	ASSERT_EQ(1, ipcmbox_recv(self->fd, buf, sizeof(buf), NULL, &env));
	seq2 = env.seq;
	EXPECT_EQ(seq1 + 1, seq2);
	EXPECT_EQ(child, env.pid);
	EXPECT_EQ(child, env.tid);
}

static void *send_from_thread(void *arg)
{
	int *fd = arg;

	return (void *)(intptr_t)(ipcmbox_send(*fd, "t", 1, NULL, NULL) ? -1 :
				  gettid());
}

/* Receives one message of @len bytes, all of them @c, and its envelope. */
static void recv_exact(struct __test_metadata *_metadata, int fd, size_t len,
		       char c, struct ipcmbox_envelope *env)
{
	char buf[512];
	size_t i;

	memset(buf, '?', sizeof(buf));
	ASSERT_EQ((ssize_t)len, ipcmbox_recv(fd, buf, sizeof(buf), NULL, env));
	for (i = 0; i < len; i++)
		ASSERT_EQ(c, buf[i]) TH_LOG("byte %zu", i);
	ASSERT_EQ('?', buf[len]);
}

/*
 * A small message's memory is reused by the next send once it is freed
 * (frag.c starts its page again at the top): each message still names its
 * own sender, whoever used the memory before, and carries its own bytes
 * only.
 */
TEST_F(msg, envelope_names_each_sender_when_memory_is_recycled)
{
	struct ipcmbox_envelope env = { 0 };
	char big[300], small[3];
	pthread_t thread;
	void *tid;
	pid_t child;
	int status;

	self->fd = make(_metadata, 4, 0, 0);
	memset(big, 'B', sizeof(big));
	memset(small, 's', sizeof(small));
	for (int round = 0; round < 3; round++) {
		ASSERT_EQ(0, ipcmbox_send(self->fd, big, sizeof(big), NULL, NULL));
		recv_exact(_metadata, self->fd, sizeof(big), 'B', &env);
		EXPECT_EQ(getpid(), env.pid);
		EXPECT_EQ(gettid(), env.tid);

		/* Another process sends into the memory this one freed. */
		child = fork();
		ASSERT_LE(0, child);
		if (child == 0)
			_exit(ipcmbox_send(self->fd, small, sizeof(small),
					   NULL, NULL) ? 1 : 0);
		ASSERT_EQ(child, waitpid(child, &status, 0));
		ASSERT_EQ(0, status);
		recv_exact(_metadata, self->fd, sizeof(small), 's', &env);
		EXPECT_EQ(child, env.pid);
		EXPECT_EQ(child, env.tid);

		/* Then this process again, and one of its threads. */
		ASSERT_EQ(0, ipcmbox_send(self->fd, small, 1, NULL, NULL));
		recv_exact(_metadata, self->fd, 1, 's', &env);
		EXPECT_EQ(getpid(), env.pid);
		EXPECT_EQ(gettid(), env.tid);
		ASSERT_EQ(0, pthread_create(&thread, NULL, send_from_thread,
					    &self->fd));
		ASSERT_EQ(0, pthread_join(thread, &tid));
		ASSERT_LT(0, (intptr_t)tid);
		recv_exact(_metadata, self->fd, 1, 't', &env);
		EXPECT_EQ(getpid(), env.pid);
		EXPECT_EQ((pid_t)(intptr_t)tid, env.tid);
		EXPECT_NE(gettid(), env.tid);
	}
}

static const size_t frag_sizes[] = { 1, 63, 64, 200, 500, 900, 7, 4000 };

static void frag_fill(char *buf, int i)
{
	size_t len = frag_sizes[i % 8];

	for (size_t k = 0; k < len; k++)
		buf[k] = (char)(i * 31 + k);
}

static void frag_send(struct __test_metadata *_metadata, int fd, int i)
{
	struct ipcmbox_opts o = { .type = 1 + i % 3 };
	char buf[4096];

	frag_fill(buf, i);
	ASSERT_EQ(0, ipcmbox_send(fd, buf, frag_sizes[i % 8], &o, NULL));
}

/* Receives with selector @type and checks that it is message @i. */
static void frag_recv(struct __test_metadata *_metadata, int fd, int64_t type,
		      int i)
{
	struct ipcmbox_opts o = { .type = type, .flags = IPCMBOX_IO_NONBLOCK };
	char want[4096], got[4096];
	size_t len = frag_sizes[i % 8];

	frag_fill(want, i);
	ASSERT_EQ((ssize_t)len, ipcmbox_recv(fd, got, sizeof(got), &o, NULL))
		TH_LOG("message %d", i);
	ASSERT_EQ(0, memcmp(want, got, len)) TH_LOG("message %d", i);
}

/*
 * Small messages share pages (header and payload carved one after the
 * other); received out of order, with new ones carved while older ones
 * are still queued, each keeps its own bytes.
 */
TEST_F(msg, small_messages_sharing_pages_stay_intact_out_of_order)
{
	int i, sent = 0;

	self->fd = make(_metadata, 64, 0, 0);
	for (int round = 0; round < 4; round++) {
		int first = sent;

		for (i = 0; i < 40; i++)
			frag_send(_metadata, self->fd, sent++);
		/* Type 2 first, in order: frees messages mid-page. */
		for (i = first; i < sent; i++)
			if (1 + i % 3 == 2)
				frag_recv(_metadata, self->fd, 2, i);
		/* New ones go into pages whose other messages are queued. */
		for (i = 0; i < 20; i++)
			frag_send(_metadata, self->fd, sent++);
		for (i = first; i < sent; i++)
			if (1 + i % 3 != 2 || i >= first + 40)
				frag_recv(_metadata, self->fd, 0, i);
	}
	EXPECT_EQ(0, ipcmbox_next_size(self->fd));
}

TEST_F(msg, relative_timeout_monotonic_receive)
{
	struct ipcmbox_opts o = {
		.flags = IPCMBOX_IO_TIMEOUT, .timeout_ns = 50000000,
	};
	long long t0, t1;
	char buf[4];

	self->fd = make(_metadata, 4, 0, 0);
	t0 = ipcmbox_test_now_ns(CLOCK_MONOTONIC);
	EXPECT_EQ(-1, ipcmbox_recv(self->fd, buf, sizeof(buf), &o, NULL));
	EXPECT_EQ(ETIMEDOUT, errno);
	t1 = ipcmbox_test_now_ns(CLOCK_MONOTONIC);
	EXPECT_LE(50000000, t1 - t0);
	EXPECT_EQ(1, IPCMBOX_STAT(M, recv_failed));
}

TEST_F(msg, absolute_timeout_each_clock)
{
	static const struct { uint32_t clock; clockid_t id; } clocks[] = {
		{ IPCMBOX_CLOCK_MONOTONIC, CLOCK_MONOTONIC },
		{ IPCMBOX_CLOCK_REALTIME, CLOCK_REALTIME },
		{ IPCMBOX_CLOCK_BOOTTIME, CLOCK_BOOTTIME },
	};
	struct ipcmbox_opts o = {
		.flags = IPCMBOX_IO_TIMEOUT | IPCMBOX_IO_ABSTIME,
	};
	long long deadline;
	char buf[4];
	size_t i;

	self->fd = make(_metadata, 4, 0, 0);
	for (i = 0; i < 3; i++) {
		o.clock = clocks[i].clock;
		deadline = ipcmbox_test_now_ns(clocks[i].id) + 30000000;
		o.timeout_ns = deadline;
		EXPECT_EQ(-1, ipcmbox_recv(self->fd, buf, sizeof(buf), &o,
					   NULL));
		EXPECT_EQ(ETIMEDOUT, errno);
		EXPECT_LE(deadline, ipcmbox_test_now_ns(clocks[i].id));
	}
	/* A deadline in the past still takes a queued message. */
	ASSERT_EQ(0, send_str(self->fd, "ok", 0, 0));
	o.clock = IPCMBOX_CLOCK_MONOTONIC;
	o.timeout_ns = 1;
	EXPECT_EQ(2, ipcmbox_recv(self->fd, buf, sizeof(buf), &o, NULL));
}

TEST_F(msg, zero_timeout_polls_once)
{
	struct ipcmbox_opts o = { .flags = IPCMBOX_IO_TIMEOUT };
	char buf[4];

	self->fd = make(_metadata, 1, 0, 0);
	EXPECT_EQ(-1, ipcmbox_recv(self->fd, buf, sizeof(buf), &o, NULL));
	EXPECT_EQ(ETIMEDOUT, errno);
	ASSERT_EQ(0, send_str(self->fd, "a", 0, 0));
	/* Full: a send with a timeout times out and queues nothing. */
	o.timeout_ns = 20000000;
	EXPECT_EQ(-1, ipcmbox_send(self->fd, "b", 1, &o, NULL));
	EXPECT_EQ(ETIMEDOUT, errno);
	EXPECT_EQ(1, IPCMBOX_STAT(M, depth));
	EXPECT_EQ(0, IPCMBOX_STAT(M, send_waiting));
}

TEST_F(msg, bad_timeouts_are_einval)
{
	struct ipcmbox_opts o = {
		.flags = IPCMBOX_IO_TIMEOUT, .timeout_ns = -1,
	};
	char buf[4];

	self->fd = make(_metadata, 1, 0, 0);
	EXPECT_EQ(-1, ipcmbox_recv(self->fd, buf, sizeof(buf), &o, NULL));
	EXPECT_EQ(EINVAL, errno);
	o.timeout_ns = 0;
	o.clock = 3;
	EXPECT_EQ(-1, ipcmbox_recv(self->fd, buf, sizeof(buf), &o, NULL));
	EXPECT_EQ(EINVAL, errno);
	/* Timeout fields without IPCMBOX_IO_TIMEOUT. */
	o.flags = IPCMBOX_IO_NONBLOCK;
	o.clock = 0;
	o.timeout_ns = 5;
	EXPECT_EQ(-1, ipcmbox_recv(self->fd, buf, sizeof(buf), &o, NULL));
	EXPECT_EQ(EINVAL, errno);
	o.flags = IPCMBOX_IO_ABSTIME;
	o.timeout_ns = 0;
	EXPECT_EQ(-1, ipcmbox_recv(self->fd, buf, sizeof(buf), &o, NULL));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(msg, count_and_byte_limits_at_and_one_past)
{
	struct ipcmbox_opts nb = { .flags = IPCMBOX_IO_NONBLOCK };
	char big[100];

	memset(big, 'x', sizeof(big));
	/* 3 messages, 250 bytes: two 100-byte messages fit, a third not. */
	self->fd = make(_metadata, 3, 100, 250);
	ASSERT_EQ(0, ipcmbox_send(self->fd, big, 100, &nb, NULL));
	ASSERT_EQ(0, ipcmbox_send(self->fd, big, 100, &nb, NULL));
	EXPECT_EQ(-1, ipcmbox_send(self->fd, big, 51, &nb, NULL));
	EXPECT_EQ(EAGAIN, errno);
	/* Exactly at the byte limit. */
	ASSERT_EQ(0, ipcmbox_send(self->fd, big, 50, &nb, NULL));
	EXPECT_EQ(250, IPCMBOX_STAT(M, bytes));
	/* At the count limit even a 0-byte message waits. */
	EXPECT_EQ(-1, ipcmbox_send(self->fd, big, 0, &nb, NULL));
	EXPECT_EQ(EAGAIN, errno);
	/* Over max_msg: EMSGSIZE, nothing queued. */
	EXPECT_EQ(-1, ipcmbox_send(self->fd, big, 101, &nb, NULL));
	EXPECT_EQ(EMSGSIZE, errno);
	EXPECT_EQ(3, IPCMBOX_STAT(M, depth));
	EXPECT_EQ(3, IPCMBOX_STAT(M, send_failed));
}

TEST_F(msg, raising_capacity_admits_a_blocked_sender)
{
	struct ipcmbox_attr a = {
		.set = IPCMBOX_SET_CAPACITY, .capacity = 2,
	};
	pid_t child;
	int status;

	self->fd = make(_metadata, 1, 0, 0);
	ASSERT_EQ(0, send_str(self->fd, "a", 0, 0));
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0)
		_exit(send_str(self->fd, "b", 0, 0) ? 1 : 0);
	ASSERT_TRUE(IPCMBOX_WAIT_FOR(IPCMBOX_STAT(M, send_waiting) == 1));
	ASSERT_EQ(0, ipcmbox_configure(self->fd, &a));
	ASSERT_EQ(child, waitpid(child, &status, 0));
	EXPECT_EQ(0, status);
	EXPECT_EQ(2, IPCMBOX_STAT(M, depth));
	EXPECT_EQ(2, IPCMBOX_STAT(M, capacity));
}

TEST_F(msg, leaving_rendezvous_completes_waiting_senders)
{
	struct ipcmbox_attr a = {
		.set = IPCMBOX_SET_CAPACITY, .capacity = 8,
	};
	char buf[4];
	pid_t child;
	int status;

	self->fd = make(_metadata, 0, 0, 0);
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0)
		_exit(send_str(self->fd, "r", 0, 0) ? 1 : 0);
	ASSERT_TRUE(IPCMBOX_WAIT_FOR(IPCMBOX_STAT(M, send_waiting) == 1));
	ASSERT_EQ(0, ipcmbox_configure(self->fd, &a));
	ASSERT_EQ(child, waitpid(child, &status, 0));
	EXPECT_EQ(0, status);
	ASSERT_EQ(1, recv_str(self->fd, buf, sizeof(buf), 0, 0));
	EXPECT_STREQ("r", buf);
}

TEST_F(msg, bad_config_is_einval_and_changes_nothing)
{
	struct ipcmbox_attr a = {
		.set = IPCMBOX_SET_MAX_BYTES, .max_bytes = 10,
	};

	self->fd = make(_metadata, 4, 100, 0);
	/* max_bytes below max_msg */
	EXPECT_EQ(-1, ipcmbox_configure(self->fd, &a));
	EXPECT_EQ(EINVAL, errno);
	a.set = IPCMBOX_SET_MAX_MSG;
	a.max_msg = 0;
	EXPECT_EQ(-1, ipcmbox_configure(self->fd, &a));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(4, IPCMBOX_STAT(M, capacity));
	EXPECT_EQ(100, IPCMBOX_STAT(M, max_msg));
	EXPECT_EQ(400, IPCMBOX_STAT(M, max_bytes));
}

TEST_F(msg, config_wakes_pollers)
{
	struct ipcmbox_attr a = {
		.set = IPCMBOX_SET_CAPACITY, .capacity = 2,
	};
	struct pollfd p;
	pid_t child;
	int status;

	self->fd = make(_metadata, 1, 0, 0);
	ASSERT_EQ(0, send_str(self->fd, "a", 0, 0));
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		p = (struct pollfd) { .fd = self->fd, .events = POLLOUT };
		_exit(poll(&p, 1, 30000) == 1 && (p.revents & POLLOUT) ? 0 : 1);
	}
	ASSERT_TRUE(IPCMBOX_WAIT_FOR(ipcmbox_test_sleeps_in(child, "poll")));
	ASSERT_EQ(0, ipcmbox_configure(self->fd, &a));
	ASSERT_EQ(child, waitpid(child, &status, 0));
	EXPECT_EQ(0, status);
}

TEST_F(msg, counters_in_stat_sysfs_and_fdinfo)
{
	char path[64], line[256], buf[4];
	int found = 0;
	FILE *f;

	self->fd = make(_metadata, 4, 0, 0);
	ASSERT_EQ(0, send_str(self->fd, "abc", 0, 0));
	ASSERT_EQ(0, send_str(self->fd, "de", 0, 0));
	ASSERT_EQ(3, recv_str(self->fd, buf, sizeof(buf), 0, 0));
	EXPECT_EQ(2, IPCMBOX_STAT(M, sent));
	EXPECT_EQ(1, IPCMBOX_STAT(M, received));
	EXPECT_EQ(2, IPCMBOX_STAT(M, depth_high));
	EXPECT_EQ(5, IPCMBOX_STAT(M, bytes_high));
	EXPECT_EQ(2, ipcmbox_test_read_ull("/sys/class/ipcmbox/m/sent"));
	EXPECT_EQ(1, ipcmbox_test_read_ull("/sys/class/ipcmbox/m/depth"));
	EXPECT_EQ(2, ipcmbox_test_read_ull("/sys/class/ipcmbox/m/bytes"));
	EXPECT_EQ(4, ipcmbox_test_read_ull("/sys/class/ipcmbox/m/capacity"));

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", self->fd);
	f = fopen(path, "re");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f)) {
		found += !strcmp(line, "ipcmbox-name:\tm\n");
		found += !strcmp(line, "ipcmbox-depth:\t1\n");
		found += !strcmp(line, "ipcmbox-sent:\t2\n");
	}
	fclose(f);
	EXPECT_EQ(3, found);
}

TEST_HARNESS_MAIN
