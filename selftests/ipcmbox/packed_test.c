// SPDX-License-Identifier: GPL-2.0-only
/*
 * Packed batches (IPCMBOX_BATCH_PACKED): many messages in one buffer and
 * one call.  The envelope and order of each message, single calls and
 * packed ones on the same mailbox, validation of every header before
 * anything is sent, a receive that stops where the buffer is full, and
 * faults part way through that lose no message.
 */
#include <sys/mman.h>
#include <sys/syscall.h>

#include "kselftest_harness.h"
#include "ipcmbox_test.h"

#define M	"m"
#define HDR	sizeof(struct ipcmbox_packed_recv)

FIXTURE(packed) {
	int fd;
};

FIXTURE_SETUP(packed)
{
	self->fd = -1;
	if (getuid() != 0)
		SKIP(return, "needs root to reload the module");
	ASSERT_EQ(0, ipcmbox_test_reload(""));
}

FIXTURE_TEARDOWN(packed)
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

/* Appends @s to the packed send buffer @buf; returns its header. */
static struct ipcmbox_packed_send *add(void *buf, size_t size, size_t *off,
				       const char *s, int64_t type,
				       unsigned int priority)
{
	char *p = ipcmbox_packed_add(buf, size, off, strlen(s), type, priority);

	if (!p)
		return NULL;
	memcpy(p, s, strlen(s));
	return (struct ipcmbox_packed_send *)p - 1;
}

/* Whether the received message at *@off is @s; moves past it. */
static int is(const void *buf, size_t *off, const char *s)
{
	const struct ipcmbox_packed_recv *h = ipcmbox_packed_next(buf, off);

	return h->len == strlen(s) && !memcmp(ipcmbox_packed_data(h), s, h->len);
}

TEST_F(packed, one_call_moves_many_messages_with_their_envelopes)
{
	static const char *const s[] = { "a", "", "hello, world" };
	uint64_t out[64], in[128];
	const struct ipcmbox_packed_recv *h;
	long long t0, t1;
	size_t off = 0;
	int err = -1;

	self->fd = make(_metadata, 8, 0);
	for (int i = 0; i < 3; i++)
		ASSERT_NE(NULL, add(out, sizeof(out), &off, s[i], i + 1, 0));
	t0 = ipcmbox_test_now_ns(CLOCK_MONOTONIC);
	ASSERT_EQ(3, ipcmbox_send_packed(self->fd, out, off, 3, NULL, &err));
	t1 = ipcmbox_test_now_ns(CLOCK_MONOTONIC);
	EXPECT_EQ(0, err);
	EXPECT_EQ(3, IPCMBOX_STAT(M, depth));

	memset(in, 0xa5, sizeof(in));
	ASSERT_EQ(3, ipcmbox_recv_packed(self->fd, in, sizeof(in), 8, NULL,
					 &err));
	EXPECT_EQ(0, err);
	off = 0;
	for (int i = 0; i < 3; i++) {
		size_t at = off;

		EXPECT_TRUE(is(in, &off, s[i])) TH_LOG("message %d", i);
		h = (const void *)((const char *)in + at);
		EXPECT_EQ(i + 1, h->type);
		EXPECT_EQ(0, h->priority);
		EXPECT_EQ(0, h->msg_flags);
		EXPECT_EQ((uint64_t)i + 1, h->seq);
		EXPECT_EQ(getpid(), h->pid);
		EXPECT_EQ(syscall(SYS_gettid), h->tid);
		EXPECT_EQ(geteuid(), h->uid);
		EXPECT_EQ(getegid(), h->gid);
		EXPECT_LE(t0, h->enqueue_mono_ns);
		EXPECT_GE(t1, h->enqueue_mono_ns);
		EXPECT_LT(0, h->enqueue_real_ns);
		/* Each message starts 8-byte aligned after the one before. */
		EXPECT_EQ(0, at % IPCMBOX_PACKED_ALIGN);
	}
	EXPECT_EQ(HDR + 8 + HDR + 0 + HDR + 16, off);
	EXPECT_EQ(0, IPCMBOX_STAT(M, depth));
	EXPECT_EQ(3, IPCMBOX_STAT(M, received));
	EXPECT_EQ(0, IPCMBOX_STAT(M, recv_failed));
}

TEST_F(packed, priorities_order_the_messages_of_a_packed_batch)
{
	static const char *const s[] = { "p1", "p5", "q1", "p9" };
	static const unsigned int prio[] = { 1, 5, 1, 9 };
	static const char *const want[] = { "p9", "p5", "p1", "q1" };
	uint64_t out[32], in[64];
	size_t off = 0;

	self->fd = make(_metadata, 8, 0);
	for (int i = 0; i < 4; i++)
		ASSERT_NE(NULL, add(out, sizeof(out), &off, s[i], 0, prio[i]));
	ASSERT_EQ(4, ipcmbox_send_packed(self->fd, out, off, 4, NULL, NULL));
	ASSERT_EQ(4, ipcmbox_recv_packed(self->fd, in, sizeof(in), 4, NULL,
					 NULL));
	off = 0;
	for (int i = 0; i < 4; i++) {
		EXPECT_TRUE(is(in, &off, want[i])) TH_LOG("message %d", i);
	}
}

TEST_F(packed, packed_and_single_calls_share_one_queue)
{
	struct ipcmbox_envelope env;
	uint64_t out[32], in[64];
	char buf[16];
	size_t off = 0;

	self->fd = make(_metadata, 8, 0);
	add(out, sizeof(out), &off, "one", 4, 0);
	add(out, sizeof(out), &off, "two", 5, 3);
	ASSERT_EQ(2, ipcmbox_send_packed(self->fd, out, off, 2, NULL, NULL));
	ASSERT_EQ(3, ipcmbox_recv(self->fd, buf, sizeof(buf), NULL, &env));
	EXPECT_EQ(0, memcmp(buf, "two", 3));
	EXPECT_EQ(5, env.type);
	EXPECT_EQ(3, env.priority);
	EXPECT_EQ(2, env.seq);
	ASSERT_EQ(3, read(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "one", 3));

	ASSERT_EQ(0, ipcmbox_send(self->fd, "three", 5, NULL, NULL));
	ASSERT_EQ(4, write(self->fd, "four", 4));
	ASSERT_EQ(2, ipcmbox_recv_packed(self->fd, in, sizeof(in), 8, NULL,
					 NULL));
	off = 0;
	EXPECT_TRUE(is(in, &off, "three"));
	EXPECT_TRUE(is(in, &off, "four"));
}

TEST_F(packed, a_bad_header_or_field_fails_the_call_and_sends_nothing)
{
	struct ipcmbox_packed_send *h;
	struct ipcmbox_batch b;
	uint64_t out[32];
	size_t off = 0;

	self->fd = make(_metadata, 8, 0);
	add(out, sizeof(out), &off, "ok", 0, 0);
	add(out, sizeof(out), &off, "fine", 0, 0);
	h = add(out, sizeof(out), &off, "bad", 0, 0);
	ASSERT_NE(NULL, h);
#define EXPECT_SEND_FAILS(len, count, err) do {				\
		EXPECT_EQ(-1, ipcmbox_send_packed(self->fd, out, len,	\
						  count, NULL, NULL));	\
		EXPECT_EQ(err, errno);					\
		EXPECT_EQ(0, IPCMBOX_STAT(M, depth));			\
	} while (0)
	/* The third message's header is bad: not even the first goes. */
	h->flags = 1;
	EXPECT_SEND_FAILS(off, 3, EINVAL);
	h->flags = 0;
	h->priority = IPCMBOX_PRIO_MAX + 1;
	EXPECT_SEND_FAILS(off, 3, EINVAL);
	h->priority = 0;
	h->type = -1;
	EXPECT_SEND_FAILS(off, 3, EINVAL);
	h->type = 0;
	h->len = 9;			/* runs past the buffer */
	EXPECT_SEND_FAILS(off, 3, EINVAL);
	h->len = 3;
	/* The last message may end without its padding, not short of it. */
	EXPECT_SEND_FAILS(off - 6, 3, EINVAL);
	EXPECT_SEND_FAILS(off, 4, EINVAL);	/* more than it holds */

	/* The batch's own fields. */
	ASSERT_EQ(0, ipcmbox_packed_prep(&b, out, off, 3, NULL));
	b.stride = sizeof(struct ipcmbox_io);
	EXPECT_EQ(-1, ioctl(self->fd, IPCMBOX_IOC_SEND_BATCH, &b));
	EXPECT_EQ(EINVAL, errno);
	ipcmbox_packed_prep(&b, out, off, 3, NULL);
	b.len = sizeof(struct ipcmbox_packed_send) - 1;
	EXPECT_EQ(-1, ioctl(self->fd, IPCMBOX_IOC_SEND_BATCH, &b));
	EXPECT_EQ(EINVAL, errno);
	ipcmbox_packed_prep(&b, out, off, 3, NULL);
	b.len = HDR - 8;		/* no room for one received header */
	EXPECT_EQ(-1, ioctl(self->fd, IPCMBOX_IOC_RECV_BATCH, &b));
	EXPECT_EQ(EINVAL, errno);
	ipcmbox_packed_prep(&b, out, off, 3, NULL);
	b.len = 1ULL << 40;
	EXPECT_EQ(-1, ioctl(self->fd, IPCMBOX_IOC_SEND_BATCH, &b));
	EXPECT_EQ(E2BIG, errno);
	ipcmbox_packed_prep(&b, out, off, 3, NULL);
	b.reserved[1] = 1;
	EXPECT_EQ(-1, ioctl(self->fd, IPCMBOX_IOC_SEND_BATCH, &b));
	EXPECT_EQ(EINVAL, errno);
	ipcmbox_packed_prep(&b, out, off, 3, NULL);
	b.flags &= ~IPCMBOX_BATCH_PACKED;	/* @len without the flag */
	b.stride = sizeof(struct ipcmbox_io);
	EXPECT_EQ(-1, ioctl(self->fd, IPCMBOX_IOC_SEND_BATCH, &b));
	EXPECT_EQ(EINVAL, errno);
	ipcmbox_packed_prep(&b, NULL + 4096, off, 3, NULL);
	EXPECT_EQ(-1, ioctl(self->fd, IPCMBOX_IOC_SEND_BATCH, &b));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(0, IPCMBOX_STAT(M, depth));
	/* And the same buffer, whole, goes. */
	EXPECT_EQ(3, ipcmbox_send_packed(self->fd, out, off, 3, NULL, NULL));
#undef EXPECT_SEND_FAILS
}

TEST_F(packed, a_message_over_the_limit_stops_the_send_with_emsgsize)
{
	uint64_t out[32];
	size_t off = 0;
	int err = -1;

	self->fd = make(_metadata, 8, 16);
	add(out, sizeof(out), &off, "small", 0, 0);
	add(out, sizeof(out), &off, "seventeen bytes!!", 0, 0);
	add(out, sizeof(out), &off, "after", 0, 0);
	EXPECT_EQ(1, ipcmbox_send_packed(self->fd, out, off, 3, NULL, &err));
	EXPECT_EQ(EMSGSIZE, err);
	EXPECT_EQ(1, IPCMBOX_STAT(M, depth));
	off = 0;
	add(out, sizeof(out), &off, "seventeen bytes!!", 0, 0);
	EXPECT_EQ(-1, ipcmbox_send_packed(self->fd, out, off, 1, NULL, &err));
	EXPECT_EQ(EMSGSIZE, errno);
	EXPECT_EQ(0, err);
	EXPECT_EQ(1, IPCMBOX_STAT(M, depth));
}

TEST_F(packed, a_receive_stops_without_error_where_the_buffer_is_full)
{
	uint64_t out[64], in[64];
	size_t off = 0;
	int err = -1;

	self->fd = make(_metadata, 8, 0);
	add(out, sizeof(out), &off, "0123456789abcdef", 0, 0);
	add(out, sizeof(out), &off, "0123456789ABCDEF", 0, 0);
	add(out, sizeof(out), &off, "tail", 0, 0);
	ASSERT_EQ(3, ipcmbox_send_packed(self->fd, out, off, 3, NULL, NULL));
	/* Room for two 16-byte messages, and 8 bytes more. */
	EXPECT_EQ(2, ipcmbox_recv_packed(self->fd, in, 2 * (HDR + 16) + 8, 8,
					 NULL, &err));
	EXPECT_EQ(0, err);
	EXPECT_EQ(1, IPCMBOX_STAT(M, depth));
	EXPECT_EQ(0, IPCMBOX_STAT(M, recv_failed));
	/* The count bounds it too. */
	ASSERT_EQ(0, ipcmbox_send(self->fd, "more", 4, NULL, NULL));
	EXPECT_EQ(1, ipcmbox_recv_packed(self->fd, in, sizeof(in), 1, NULL,
					 NULL));
	off = 0;
	EXPECT_TRUE(is(in, &off, "tail"));
	EXPECT_EQ(1, IPCMBOX_STAT(M, depth));
	/* Room for the next header but not its payload: full, no failure. */
	ASSERT_EQ(0, ipcmbox_send(self->fd, "0123456789abcdef", 16, NULL,
				  NULL));
	EXPECT_EQ(1, ipcmbox_recv_packed(self->fd, in, (HDR + 8) + HDR + 8, 8,
					 NULL, &err));
	EXPECT_EQ(0, err);
	off = 0;
	EXPECT_TRUE(is(in, &off, "more"));
	EXPECT_EQ(1, IPCMBOX_STAT(M, depth));
	EXPECT_EQ(0, IPCMBOX_STAT(M, recv_failed));
}

TEST_F(packed, a_first_message_too_long_for_the_buffer_stays_queued)
{
	struct ipcmbox_packed_recv *h;
	char big[100];
	uint64_t in[64];

	self->fd = make(_metadata, 8, 0);
	memset(big, 'b', sizeof(big));
	ASSERT_EQ(0, ipcmbox_send(self->fd, big, sizeof(big), NULL, NULL));
	memset(in, 0, sizeof(in));
	EXPECT_EQ(-1, ipcmbox_recv_packed(self->fd, in, HDR + 96, 8, NULL,
					  NULL));
	EXPECT_EQ(EMSGSIZE, errno);
	h = (struct ipcmbox_packed_recv *)in;
	EXPECT_EQ(sizeof(big), h->len);
	EXPECT_EQ(1, IPCMBOX_STAT(M, depth));
	EXPECT_EQ(1, ipcmbox_recv_packed(self->fd, in, HDR + 104, 8, NULL,
					 NULL));
	EXPECT_EQ(sizeof(big), h->len);
	EXPECT_EQ(0, memcmp(h + 1, big, sizeof(big)));
}

TEST_F(packed, an_empty_mailbox_fails_a_nonblocking_or_timed_receive)
{
	struct ipcmbox_opts nb = { .flags = IPCMBOX_IO_NONBLOCK };
	struct ipcmbox_opts to = {
		.flags = IPCMBOX_IO_TIMEOUT, .timeout_ns = 20000000,
	};
	uint64_t in[16];
	int err = -1;

	self->fd = make(_metadata, 4, 0);
	EXPECT_EQ(-1, ipcmbox_recv_packed(self->fd, in, sizeof(in), 4, &nb,
					  &err));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(0, err);
	EXPECT_EQ(-1, ipcmbox_recv_packed(self->fd, in, sizeof(in), 4, &to,
					  NULL));
	EXPECT_EQ(ETIMEDOUT, errno);
}

TEST_F(packed, a_blocked_packed_receive_returns_with_the_first_message)
{
	pid_t pid;

	self->fd = make(_metadata, 4, 0);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		uint64_t in[64];
		size_t off = 0;
		int n;

		n = ipcmbox_recv_packed(self->fd, in, sizeof(in), 8, NULL, NULL);
		_exit(n == 1 && is(in, &off, "hello") ? 0 : 10 + n);
	}
	ASSERT_TRUE(IPCMBOX_WAIT_FOR(IPCMBOX_STAT(M, recv_waiting) == 1));
	ASSERT_EQ(0, ipcmbox_send(self->fd, "hello", 5, NULL, NULL));
	EXPECT_EQ(0, ipcmbox_test_child_status(pid));
}

TEST_F(packed, an_atomic_packed_send_is_all_or_nothing)
{
	struct ipcmbox_opts nb = {
		.flags = IPCMBOX_IO_NONBLOCK | IPCMBOX_BATCH_ATOMIC,
	};
	uint64_t out[32];
	size_t off = 0;

	self->fd = make(_metadata, 4, 0);
	ASSERT_EQ(0, ipcmbox_send(self->fd, "x", 1, NULL, NULL));
	ASSERT_EQ(0, ipcmbox_send(self->fd, "y", 1, NULL, NULL));
	for (int i = 0; i < 3; i++)
		add(out, sizeof(out), &off, "z", 0, 0);
	EXPECT_EQ(-1, ipcmbox_send_packed(self->fd, out, off, 3, &nb, NULL));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(2, IPCMBOX_STAT(M, depth));
	ASSERT_EQ(1, read(self->fd, out + 16, 8));
	EXPECT_EQ(3, ipcmbox_send_packed(self->fd, out, off, 3, &nb, NULL));
	EXPECT_EQ(4, IPCMBOX_STAT(M, depth));
}

/* A header that cannot be written back: its message and the rest stay. */
TEST_F(packed, a_receive_that_cannot_report_a_message_keeps_it)
{
	long page = sysconf(_SC_PAGESIZE);
	uint64_t out[32];
	size_t off = 0;
	char *mem;
	int err = -1;

	self->fd = make(_metadata, 8, 0);
	add(out, sizeof(out), &off, "first", 0, 0);
	add(out, sizeof(out), &off, "second", 0, 0);
	add(out, sizeof(out), &off, "third", 0, 0);
	ASSERT_EQ(3, ipcmbox_send_packed(self->fd, out, off, 3, NULL, NULL));
	/* Room for the first message just before a read-only page. */
	mem = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, mem);
	ASSERT_EQ(0, mprotect(mem + page, page, PROT_READ));
	EXPECT_EQ(1, ipcmbox_recv_packed(self->fd, mem + page - (HDR + 8),
					 HDR + 8 + page, 8, NULL, &err));
	EXPECT_EQ(EFAULT, err);
	EXPECT_EQ(2, IPCMBOX_STAT(M, depth));
	off = 0;
	EXPECT_TRUE(is(mem + page - (HDR + 8), &off, "first"));
	/* The others come next, in order. */
	EXPECT_EQ(2, ipcmbox_recv_packed(self->fd, mem, page, 8, NULL, NULL));
	off = 0;
	EXPECT_TRUE(is(mem, &off, "second"));
	EXPECT_TRUE(is(mem, &off, "third"));
	munmap(mem, 2 * page);
}

/* A send whose buffer faults part way sends what came before. */
TEST_F(packed, a_send_that_faults_part_way_sends_the_messages_before)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t off = 0;
	char *mem, *buf;
	int err = -1;

	self->fd = make(_metadata, 8, 0);
	mem = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, mem);
	/* The first message fills the first page; the second lies beyond. */
	buf = mem + page - 32;
	ASSERT_NE(NULL, add(buf, 64, &off, "0123456789abcdef", 0, 0));
	ASSERT_EQ(32, off);
	ASSERT_NE(NULL, add(buf, 64, &off, "gone", 0, 0));
	ASSERT_EQ(0, mprotect(mem + page, page, PROT_NONE));
	EXPECT_EQ(1, ipcmbox_send_packed(self->fd, buf, off, 2, NULL, &err));
	EXPECT_EQ(EFAULT, err);
	EXPECT_EQ(1, IPCMBOX_STAT(M, depth));
	munmap(mem, 2 * page);
}

/*
 * A payload that faults after its header was read: the message before is
 * sent, this one is not, and nothing of it is queued.
 */
TEST_F(packed, a_send_whose_payload_faults_sends_the_messages_before)
{
	long page = sysconf(_SC_PAGESIZE);
	uint64_t out[32];
	size_t off = 0;
	char *mem, *buf;
	int err = -1;

	self->fd = make(_metadata, 8, 0);
	mem = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, mem);
	/* The second header ends the first page; its payload is beyond. */
	buf = mem + page - 48;
	ASSERT_NE(NULL, add(buf, 64, &off, "0123456789", 0, 0));
	ASSERT_EQ(32, off);
	ASSERT_NE(NULL, add(buf, 64, &off, "gone", 0, 0));
	ASSERT_EQ(0, mprotect(mem + page, page, PROT_NONE));
	EXPECT_EQ(1, ipcmbox_send_packed(self->fd, buf, off, 2, NULL, &err));
	EXPECT_EQ(EFAULT, err);
	EXPECT_EQ(1, IPCMBOX_STAT(M, depth));
	EXPECT_EQ(1, IPCMBOX_STAT(M, send_failed));
	off = 0;
	ASSERT_EQ(1, ipcmbox_recv_packed(self->fd, out, sizeof(out), 8, NULL,
					 NULL));
	EXPECT_TRUE(is(out, &off, "0123456789"));
	munmap(mem, 2 * page);
}

/*
 * A buffer longer than its messages, whose tail cannot be read: the
 * kernel reads only the messages asked for, and all of them go.
 */
TEST_F(packed, a_send_reads_no_further_than_its_messages_need)
{
	long page = sysconf(_SC_PAGESIZE);
	uint64_t out[32];
	size_t off = 0;
	char *mem, *buf;
	int err = -1;

	self->fd = make(_metadata, 8, 0);
	mem = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, mem);
	buf = mem + page - 64;
	ASSERT_NE(NULL, add(buf, 64, &off, "one", 0, 0));
	ASSERT_NE(NULL, add(buf, 64, &off, "two", 0, 0));
	ASSERT_EQ(48, off);
	ASSERT_EQ(0, mprotect(mem + page, page, PROT_NONE));
	EXPECT_EQ(2, ipcmbox_send_packed(self->fd, buf, 256, 2, NULL, &err));
	EXPECT_EQ(0, err);
	EXPECT_EQ(2, IPCMBOX_STAT(M, depth));
	EXPECT_EQ(0, IPCMBOX_STAT(M, send_failed));
	off = 0;
	ASSERT_EQ(2, ipcmbox_recv_packed(self->fd, out, sizeof(out), 8, NULL,
					 NULL));
	EXPECT_TRUE(is(out, &off, "one"));
	EXPECT_TRUE(is(out, &off, "two"));
	munmap(mem, 2 * page);
}

/* A buffer the kernel cannot write: the first message stays queued. */
TEST_F(packed, a_receive_that_cannot_write_its_first_message_fails)
{
	long page = sysconf(_SC_PAGESIZE);
	uint64_t out[32];
	size_t off = 0;
	char *mem;

	self->fd = make(_metadata, 8, 0);
	add(out, sizeof(out), &off, "first", 0, 0);
	add(out, sizeof(out), &off, "second", 0, 0);
	ASSERT_EQ(2, ipcmbox_send_packed(self->fd, out, off, 2, NULL, NULL));
	mem = mmap(NULL, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, mem);
	EXPECT_EQ(-1, ipcmbox_recv_packed(self->fd, mem, page, 8, NULL, NULL));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(2, IPCMBOX_STAT(M, depth));
	EXPECT_EQ(1, IPCMBOX_STAT(M, recv_failed));
	munmap(mem, page);
}

/* The messages of one packed send carry one time, the call's. */
TEST_F(packed, one_packed_send_stamps_its_messages_alike)
{
	const struct ipcmbox_packed_recv *h[4];
	uint64_t out[32], in[64];
	size_t off = 0;

	self->fd = make(_metadata, 8, 0);
	for (int i = 0; i < 3; i++)
		ASSERT_NE(NULL, add(out, sizeof(out), &off, "x", 0, 0));
	ASSERT_EQ(3, ipcmbox_send_packed(self->fd, out, off, 3, NULL, NULL));
	ASSERT_EQ(0, ipcmbox_send(self->fd, "later", 5, NULL, NULL));
	ASSERT_EQ(4, ipcmbox_recv_packed(self->fd, in, sizeof(in), 8, NULL,
					 NULL));
	off = 0;
	for (int i = 0; i < 4; i++)
		h[i] = ipcmbox_packed_next(in, &off);
	EXPECT_EQ(h[0]->enqueue_mono_ns, h[1]->enqueue_mono_ns);
	EXPECT_EQ(h[0]->enqueue_mono_ns, h[2]->enqueue_mono_ns);
	EXPECT_EQ(h[0]->enqueue_real_ns, h[2]->enqueue_real_ns);
	EXPECT_LT(h[2]->enqueue_mono_ns, h[3]->enqueue_mono_ns);
	/* Each real time is its monotonic one moved by one offset. */
	EXPECT_EQ(h[0]->enqueue_real_ns - h[0]->enqueue_mono_ns,
		  h[3]->enqueue_real_ns - h[3]->enqueue_mono_ns);
}

/* Each message keeps its own sender's ids, in a receive of several. */
TEST_F(packed, messages_of_several_senders_keep_their_own_ids)
{
	static const char *const s[] = { "p1", "c1", "p2", "p3" };
	uint64_t out[16], in[64];
	size_t off = 0;
	pid_t pid;

	self->fd = make(_metadata, 8, 0);
	ASSERT_EQ(0, ipcmbox_send(self->fd, "p1", 2, NULL, NULL));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(ipcmbox_send(self->fd, "c1", 2, NULL, NULL) ? 1 : 0);
	ASSERT_EQ(0, ipcmbox_test_child_status(pid));
	add(out, sizeof(out), &off, "p2", 0, 0);
	add(out, sizeof(out), &off, "p3", 0, 0);
	ASSERT_EQ(2, ipcmbox_send_packed(self->fd, out, off, 2, NULL, NULL));
	ASSERT_EQ(4, ipcmbox_recv_packed(self->fd, in, sizeof(in), 8, NULL,
					 NULL));
	off = 0;
	for (int i = 0; i < 4; i++) {
		const struct ipcmbox_packed_recv *h = (const void *)
			((const char *)in + off);

		EXPECT_TRUE(is(in, &off, s[i])) TH_LOG("message %d", i);
		/* The child is gone; its number is still what it was. */
		EXPECT_EQ(i == 1 ? pid : getpid(), h->pid) TH_LOG("message %d", i);
	}
	EXPECT_EQ(0, IPCMBOX_STAT(M, depth));
}

/* Room made by a receive lets a blocked sender in, in the same call. */
TEST_F(packed, a_receive_takes_what_blocked_senders_bring_in)
{
	uint64_t out[16], in[64];
	size_t off = 0;
	pid_t pid;

	self->fd = make(_metadata, 2, 0);
	add(out, sizeof(out), &off, "a", 0, 0);
	add(out, sizeof(out), &off, "b", 0, 0);
	ASSERT_EQ(2, ipcmbox_send_packed(self->fd, out, off, 2, NULL, NULL));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(ipcmbox_send(self->fd, "c", 1, NULL, NULL) ? 1 : 0);
	ASSERT_TRUE(IPCMBOX_WAIT_FOR(IPCMBOX_STAT(M, send_waiting) == 1));
	ASSERT_EQ(3, ipcmbox_recv_packed(self->fd, in, sizeof(in), 8, NULL,
					 NULL));
	EXPECT_EQ(0, ipcmbox_test_child_status(pid));
	off = 0;
	EXPECT_TRUE(is(in, &off, "a"));
	EXPECT_TRUE(is(in, &off, "b"));
	EXPECT_TRUE(is(in, &off, "c"));
	EXPECT_EQ(0, IPCMBOX_STAT(M, depth));
	EXPECT_EQ(3, IPCMBOX_STAT(M, received));
}

/* A rendezvous mailbox's blocked senders all succeed in one receive. */
TEST_F(packed, a_receive_completes_blocked_rendezvous_senders)
{
	uint64_t in[64];
	pid_t pid[2];
	size_t off = 0;

	self->fd = make(_metadata, 0, 0);
	for (int i = 0; i < 2; i++) {
		pid[i] = fork();
		ASSERT_LE(0, pid[i]);
		if (pid[i] == 0)
			_exit(ipcmbox_send(self->fd, i ? "two" : "one", 3, NULL,
					   NULL) ? 1 : 0);
		ASSERT_TRUE(IPCMBOX_WAIT_FOR(IPCMBOX_STAT(M, send_waiting) ==
					     (uint32_t)i + 1));
	}
	ASSERT_EQ(2, ipcmbox_recv_packed(self->fd, in, sizeof(in), 8, NULL,
					 NULL));
	for (int i = 0; i < 2; i++)
		EXPECT_EQ(0, ipcmbox_test_child_status(pid[i]));
	EXPECT_TRUE(is(in, &off, "one"));
	EXPECT_TRUE(is(in, &off, "two"));
	EXPECT_EQ(0, IPCMBOX_STAT(M, send_waiting));
}

/* A message sent by reference is copied out of its chunk, which is freed. */
TEST_F(packed, a_receive_copies_messages_sent_by_reference)
{
	struct ipcmbox_attr a = {
		.set = IPCMBOX_SET_CAPACITY | IPCMBOX_SET_REGION,
		.capacity = 8, .region_size = 65536,
	};
	const struct ipcmbox_packed_recv *h;
	struct ipcmbox_chunk c;
	struct ipcmbox_map map;
	static char in[2 * (HDR + 3000)];
	size_t off = 0;

	ASSERT_EQ(0, ipcmbox_create(M, &a));
	self->fd = ipcmbox_open(M, O_RDWR);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, ipcmbox_region_map(self->fd, &map));
	ASSERT_EQ(1, ipcmbox_alloc(self->fd, 3000, &c, 1, NULL));
	memset(ipcmbox_chunk_ptr(&map, &c), 'r', 3000);
	ASSERT_EQ(0, ipcmbox_send_ref(self->fd, &c, 3000, NULL, NULL));
	ASSERT_EQ(0, ipcmbox_send(self->fd, "copied", 6, NULL, NULL));
	ASSERT_EQ(2, ipcmbox_recv_packed(self->fd, in, sizeof(in), 8, NULL,
					 NULL));
	h = ipcmbox_packed_next(in, &off);
	EXPECT_EQ(3000, h->len);
	EXPECT_EQ(IPCMBOX_MSG_REF, h->msg_flags);
	EXPECT_EQ('r', ((const char *)ipcmbox_packed_data(h))[0]);
	EXPECT_EQ('r', ((const char *)ipcmbox_packed_data(h))[2999]);
	EXPECT_TRUE(is(in, &off, "copied"));
	EXPECT_EQ(0, IPCMBOX_STAT(M, region_used));
	ipcmbox_region_unmap(&map);
}

/* An unbounded mailbox charges each message; the one refused stops it. */
TEST_F(packed, a_send_past_the_per_user_limit_stops_with_enobufs)
{
	static char out[4 * (16 + 1000)], in[4 * (HDR + 1000)];
	size_t off = 0;
	int err = -1;

	self->fd = make(_metadata, IPCMBOX_CAP_UNBOUNDED, 0);
	ASSERT_EQ(0, ipcmbox_test_set_param("user_bytes_max", 3500));
	for (int i = 0; i < 4; i++)
		ASSERT_NE(NULL, ipcmbox_packed_add(out, sizeof(out), &off,
						   1000, 0, 0));
	EXPECT_EQ(3, ipcmbox_send_packed(self->fd, out, off, 4, NULL, &err));
	EXPECT_EQ(ENOBUFS, err);
	EXPECT_EQ(3, IPCMBOX_STAT(M, depth));
	EXPECT_EQ(3, ipcmbox_recv_packed(self->fd, in, sizeof(in), 4, NULL,
					 NULL));
	/* The receive gave the charge back. */
	EXPECT_EQ(3, ipcmbox_send_packed(self->fd, out, off, 3, NULL, NULL));
}

/* Packs @n messages "m<i>" (i from 0) of type i + 1 into @out. */
static size_t pack_numbered(void *out, size_t size, unsigned int n)
{
	size_t off = 0;
	char s[8];

	for (unsigned int i = 0; i < n; i++) {
		snprintf(s, sizeof(s), "m%u", i);
		if (!add(out, size, &off, s, i + 1, 0))
			return 0;
	}
	return off;
}

/* Whether the received message at *@off is "m<i>", sequence number i + 1. */
static int is_numbered(const void *buf, size_t *off, unsigned int i)
{
	const struct ipcmbox_packed_recv *h =
		(const void *)((const char *)buf + *off);
	char s[8];

	snprintf(s, sizeof(s), "m%u", i);
	return is(buf, off, s) && h->seq == i + 1 && h->type == i + 1;
}

/*
 * Single receives of any kind take one message at a time out of a packed
 * send (kept as one train in the kernel), at its place in the queue.
 */
TEST_F(packed, single_typed_and_peeking_receives_take_from_a_packed_send)
{
	struct ipcmbox_opts o = { 0 };
	struct ipcmbox_envelope env;
	uint64_t out[64], in[128];
	size_t off;
	char buf[16];
	int n = -1;

	self->fd = make(_metadata, 8, 0);
	off = pack_numbered(out, sizeof(out), 6);
	ASSERT_EQ(6, ipcmbox_send_packed(self->fd, out, off, 6, NULL, NULL));
	EXPECT_EQ(6, IPCMBOX_STAT(M, depth));
	EXPECT_EQ(2, IPCMBOX_STAT(M, next_len));
	ASSERT_EQ(0, ioctl(self->fd, FIONREAD, &n));
	EXPECT_EQ(2, n);
	/* From the middle, by type. */
	o.type = 4;
	ASSERT_EQ(2, ipcmbox_recv(self->fd, buf, sizeof(buf), &o, &env));
	EXPECT_EQ(0, memcmp(buf, "m3", 2));
	EXPECT_EQ(4, env.seq);
	EXPECT_EQ(4, env.type);
	EXPECT_EQ(getpid(), env.pid);
	/* The lowest type up to 6, by a negative selector: the first. */
	o.type = -6;
	o.flags = IPCMBOX_IO_PEEK;
	ASSERT_EQ(2, ipcmbox_recv(self->fd, buf, sizeof(buf), &o, &env));
	EXPECT_EQ(0, memcmp(buf, "m0", 2));
	EXPECT_EQ(1, env.seq);
	/* The last, by type. */
	o.type = 6;
	o.flags = 0;
	ASSERT_EQ(2, ipcmbox_recv(self->fd, buf, sizeof(buf), &o, &env));
	EXPECT_EQ(0, memcmp(buf, "m5", 2));
	EXPECT_EQ(6, env.seq);
	/* The head, by read(). */
	ASSERT_EQ(2, read(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "m0", 2));
	EXPECT_EQ(3, IPCMBOX_STAT(M, depth));
	/* The rest keep their order and numbers. */
	ASSERT_EQ(3, ipcmbox_recv_packed(self->fd, in, sizeof(in), 8, NULL,
					 NULL));
	off = 0;
	EXPECT_TRUE(is_numbered(in, &off, 1));
	EXPECT_TRUE(is_numbered(in, &off, 2));
	EXPECT_TRUE(is_numbered(in, &off, 4));
	EXPECT_EQ(0, IPCMBOX_STAT(M, depth));
	EXPECT_EQ(0, IPCMBOX_STAT(M, bytes));
	EXPECT_EQ(6, IPCMBOX_STAT(M, received));
}

/* Receives smaller than a packed send take it in order, a part each. */
TEST_F(packed, small_receives_take_a_packed_send_in_parts)
{
	uint64_t out[128], in[128];
	size_t off;
	int err = -1;

	self->fd = make(_metadata, 16, 0);
	off = pack_numbered(out, sizeof(out), 10);
	ASSERT_EQ(10, ipcmbox_send_packed(self->fd, out, off, 10, NULL, NULL));
	/* By the count. */
	ASSERT_EQ(3, ipcmbox_recv_packed(self->fd, in, sizeof(in), 3, NULL,
					 &err));
	EXPECT_EQ(0, err);
	off = 0;
	for (unsigned int i = 0; i < 3; i++) {
		EXPECT_TRUE(is_numbered(in, &off, i)) TH_LOG("message %u", i);
	}
	/* By the buffer: room for two 2-byte messages and a little more. */
	ASSERT_EQ(2, ipcmbox_recv_packed(self->fd, in, 2 * (HDR + 8) + 8, 8,
					 NULL, &err));
	EXPECT_EQ(0, err);
	off = 0;
	for (unsigned int i = 3; i < 5; i++) {
		EXPECT_TRUE(is_numbered(in, &off, i)) TH_LOG("message %u", i);
	}
	EXPECT_EQ(5, IPCMBOX_STAT(M, depth));
	EXPECT_EQ(10, IPCMBOX_STAT(M, bytes));
	/* A later send queues behind what is left. */
	off = pack_numbered(out, sizeof(out), 2);
	ASSERT_EQ(2, ipcmbox_send_packed(self->fd, out, off, 2, NULL, NULL));
	ASSERT_EQ(7, ipcmbox_recv_packed(self->fd, in, sizeof(in), 8, NULL,
					 NULL));
	off = 0;
	for (unsigned int i = 5; i < 10; i++) {
		EXPECT_TRUE(is_numbered(in, &off, i)) TH_LOG("message %u", i);
	}
	EXPECT_TRUE(is(in, &off, "m0"));
	EXPECT_TRUE(is(in, &off, "m1"));
	EXPECT_EQ(0, IPCMBOX_STAT(M, depth));
	EXPECT_EQ(0, IPCMBOX_STAT(M, bytes));
	EXPECT_EQ(12, IPCMBOX_STAT(M, received));
}

/*
 * A receive that faults in the middle of a packed send reports what came
 * before and puts the rest back, in order, with their numbers.
 */
TEST_F(packed, a_fault_inside_a_packed_send_puts_the_rest_back)
{
	long page = sysconf(_SC_PAGESIZE);
	uint64_t out[128];
	size_t off;
	char *mem;
	int err = -1;

	self->fd = make(_metadata, 16, 0);
	off = pack_numbered(out, sizeof(out), 8);
	ASSERT_EQ(8, ipcmbox_send_packed(self->fd, out, off, 8, NULL, NULL));
	/* Room for three messages just before a page it cannot write. */
	mem = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, mem);
	ASSERT_EQ(0, mprotect(mem + page, page, PROT_NONE));
	EXPECT_EQ(3, ipcmbox_recv_packed(self->fd, mem + page - 3 * (HDR + 8),
					 3 * (HDR + 8) + page, 8, NULL, &err));
	EXPECT_EQ(EFAULT, err);
	EXPECT_EQ(1, IPCMBOX_STAT(M, recv_failed));
	EXPECT_EQ(5, IPCMBOX_STAT(M, depth));
	EXPECT_EQ(3, IPCMBOX_STAT(M, received));
	off = 0;
	for (unsigned int i = 0; i < 3; i++)
		EXPECT_TRUE(is_numbered(mem + page - 3 * (HDR + 8), &off, i));
	EXPECT_EQ(5, ipcmbox_recv_packed(self->fd, mem, page, 8, NULL, NULL));
	off = 0;
	for (unsigned int i = 3; i < 8; i++) {
		EXPECT_TRUE(is_numbered(mem, &off, i)) TH_LOG("message %u", i);
	}
	EXPECT_EQ(0, IPCMBOX_STAT(M, depth));
	munmap(mem, 2 * page);
}

/*
 * A packed send larger than the room queues what fits; without blocking
 * it stops there (EAGAIN), blocking it waits for each of the rest in turn.
 */
TEST_F(packed, a_packed_send_larger_than_the_room_queues_what_fits)
{
	enum { N = 40 };
	uint64_t out[N * 4], in[N * 12];
	struct ipcmbox_opts nb = { .flags = IPCMBOX_IO_NONBLOCK };
	struct ipcmbox_batch b;
	struct ipcmbox_opts tmo = {
		.flags = IPCMBOX_IO_TIMEOUT, .timeout_ns = 60000000000LL,
	};
	size_t off;
	int err = -1;
	pid_t pid;

	self->fd = make(_metadata, 3, 0);
	off = pack_numbered(out, sizeof(out), 5);
	EXPECT_EQ(3, ipcmbox_send_packed(self->fd, out, off, 5, &nb, &err));
	EXPECT_EQ(EAGAIN, err);
	EXPECT_EQ(3, IPCMBOX_STAT(M, depth));
	EXPECT_EQ(1, IPCMBOX_STAT(M, send_failed));
	/*
	 * Full: the call fails with EAGAIN and writes nothing back, so the
	 * same structure can be submitted again as it is (io_uring).
	 */
	ASSERT_EQ(0, ipcmbox_packed_prep(&b, out, off, 5, &nb));
	EXPECT_EQ(-1, ioctl(self->fd, IPCMBOX_IOC_SEND_BATCH, &b));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(0, b.error);
	EXPECT_EQ(-1, ioctl(self->fd, IPCMBOX_IOC_SEND_BATCH, &b));
	EXPECT_EQ(EAGAIN, errno);
	ASSERT_EQ(3, ipcmbox_recv_packed(self->fd, in, sizeof(in), 8, NULL,
					 NULL));
	/* Anew, so that the numbers start at 1 again. */
	close(self->fd);
	ASSERT_EQ(0, ipcmbox_remove(M));
	self->fd = make(_metadata, 3, 0);

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		unsigned int got = 0;
		size_t at;
		int k;

		while (got < N) {
			k = ipcmbox_recv_packed(self->fd, in, sizeof(in), 2,
						NULL, NULL);
			if (k <= 0)
				_exit(1);
			for (at = 0; k--; got++)
				if (!is_numbered(in, &at, got))
					_exit(10);
		}
		_exit(0);
	}
	off = pack_numbered(out, sizeof(out), N);
	ASSERT_NE(0, off);
	/* Bounded, should the receiver fail. */
	EXPECT_EQ(N, ipcmbox_send_packed(self->fd, out, off, N, &tmo, &err));
	EXPECT_EQ(0, err);
	EXPECT_EQ(0, ipcmbox_test_child_status(pid));
	EXPECT_EQ(0, IPCMBOX_STAT(M, depth));
	EXPECT_EQ(N, IPCMBOX_STAT(M, sent));
	EXPECT_EQ(0, IPCMBOX_STAT(M, send_failed));
}

/* A message too long to be made is reported after one that waited. */
TEST_F(packed, a_long_message_after_a_waiting_one_is_reported)
{
	uint64_t out[32];
	size_t off = 0;
	int err = -1;
	pid_t pid;

	self->fd = make(_metadata, 1, 16);
	/* Makes room once "two" waits for it. */
	pid = ipcmbox_test_read_when_sender_waits(M, self->fd, 3);
	ASSERT_LE(0, pid);
	add(out, sizeof(out), &off, "one", 0, 0);
	add(out, sizeof(out), &off, "two", 0, 0);
	add(out, sizeof(out), &off, "seventeen bytes!!", 0, 0);
	EXPECT_EQ(2, ipcmbox_send_packed(self->fd, out, off, 3, NULL, &err));
	EXPECT_EQ(EMSGSIZE, err);
	EXPECT_EQ(0, ipcmbox_test_child_status(pid));
	EXPECT_EQ(2, IPCMBOX_STAT(M, sent));
	EXPECT_EQ(1, IPCMBOX_STAT(M, depth));
	EXPECT_EQ(1, IPCMBOX_STAT(M, send_failed));
}

/* Packs "m<first>" .. "m<first + n - 1>", of types first + 1 on. */
static size_t pack_numbered_from(void *out, size_t size, unsigned int first,
				 unsigned int n)
{
	size_t off = 0;
	char s[16];

	for (unsigned int i = first; i < first + n; i++) {
		snprintf(s, sizeof(s), "m%u", i);
		if (!add(out, size, &off, s, i + 1, 0))
			return 0;
	}
	return off;
}

/* A child that sends "m<first>" on, @n of them, in one blocking packed send. */
static pid_t send_numbered_in_child(int fd, unsigned int first, unsigned int n)
{
	uint64_t out[64];
	pid_t pid = fork();
	size_t off;
	int err = -1;

	if (pid)
		return pid;
	off = pack_numbered_from(out, sizeof(out), first, n);
	_exit(ipcmbox_send_packed(fd, out, off, n, NULL, &err) == (int)n &&
	      !err ? 0 : 1);
}

/*
 * A packed send that waits for room: the receiver that lets its waiting
 * message in also queues what of the rest fits, under the same lock hold,
 * so a receive of 8 from a full mailbox of 4 gets all 8 without the
 * sender running in between.
 */
TEST_F(packed, the_receiver_that_lets_a_packed_send_in_queues_its_rest)
{
	uint64_t out[64], in[128];
	size_t off;
	int err = -1;
	pid_t pid;

	self->fd = make(_metadata, 4, 0);
	off = pack_numbered(out, sizeof(out), 4);
	ASSERT_EQ(4, ipcmbox_send_packed(self->fd, out, off, 4, NULL, NULL));
	pid = send_numbered_in_child(self->fd, 4, 4);
	ASSERT_LE(0, pid);
	ASSERT_TRUE(IPCMBOX_WAIT_FOR(IPCMBOX_STAT(M, send_waiting) == 1));
	EXPECT_EQ(8, ipcmbox_recv_packed(self->fd, in, sizeof(in), 8, NULL,
					 &err));
	EXPECT_EQ(0, err);
	off = 0;
	for (unsigned int i = 0; i < 8; i++)
		EXPECT_TRUE(is_numbered(in, &off, i));
	EXPECT_EQ(0, ipcmbox_test_child_status(pid));
	EXPECT_EQ(8, IPCMBOX_STAT(M, sent));
	EXPECT_EQ(0, IPCMBOX_STAT(M, depth));
}

/*
 * The rest of a waiting packed send does not pass a sender that waits
 * behind it: the one message that waited goes in, then the other
 * sender's, then the rest, when the packed sender sends it.
 */
TEST_F(packed, the_rest_of_a_waiting_packed_send_keeps_behind_later_senders)
{
	uint64_t out[64], in[128];
	const struct ipcmbox_packed_recv *h;
	struct ipcmbox_opts o = { .type = 100 };
	pid_t a, b;
	size_t off;
	int err = -1;

	self->fd = make(_metadata, 4, 0);
	off = pack_numbered(out, sizeof(out), 4);
	ASSERT_EQ(4, ipcmbox_send_packed(self->fd, out, off, 4, NULL, NULL));
	a = send_numbered_in_child(self->fd, 4, 3);
	ASSERT_LE(0, a);
	ASSERT_TRUE(IPCMBOX_WAIT_FOR(IPCMBOX_STAT(M, send_waiting) == 1));
	b = fork();
	ASSERT_LE(0, b);
	if (!b)
		_exit(ipcmbox_send(self->fd, "b", 1, &o, NULL) ? 1 : 0);
	ASSERT_TRUE(IPCMBOX_WAIT_FOR(IPCMBOX_STAT(M, send_waiting) == 2));
	ASSERT_EQ(6, ipcmbox_recv_packed(self->fd, in, sizeof(in), 8, NULL,
					 &err));
	EXPECT_EQ(0, err);
	off = 0;
	for (unsigned int i = 0; i < 5; i++)
		EXPECT_TRUE(is_numbered(in, &off, i));
	h = ipcmbox_packed_next(in, &off);
	EXPECT_EQ(100, h->type);
	EXPECT_EQ(6, h->seq);
	EXPECT_EQ(0, ipcmbox_test_child_status(b));
	EXPECT_EQ(0, ipcmbox_test_child_status(a));
	ASSERT_EQ(2, ipcmbox_recv_packed(self->fd, in, sizeof(in), 8, NULL,
					 NULL));
	off = 0;
	EXPECT_TRUE(is(in, &off, "m5"));
	EXPECT_TRUE(is(in, &off, "m6"));
	EXPECT_EQ(0, IPCMBOX_STAT(M, depth));
}

/*
 * Queued packed sends survive a change of the limits, and removal frees
 * them (KASAN and kmemleak watch that).
 */
TEST_F(packed, packed_sends_stay_queued_across_changes_and_go_at_removal)
{
	struct ipcmbox_attr a = {
		.set = IPCMBOX_SET_CAPACITY, .capacity = IPCMBOX_CAP_UNBOUNDED,
	};
	struct ipcmbox_opts o = { .type = 3 };
	uint64_t out[64], in[64];
	size_t off;
	char buf[8];

	self->fd = make(_metadata, 16, 0);
	off = pack_numbered(out, sizeof(out), 6);
	ASSERT_EQ(6, ipcmbox_send_packed(self->fd, out, off, 6, NULL, NULL));
	/* Taken from the middle: the rest lies before and after it. */
	ASSERT_EQ(2, ipcmbox_recv(self->fd, buf, sizeof(buf), &o, NULL));
	EXPECT_EQ(0, memcmp(buf, "m2", 2));
	ASSERT_EQ(6, ipcmbox_send_packed(self->fd, out, off, 6, NULL, NULL));
	ASSERT_EQ(0, ipcmbox_configure(self->fd, &a));
	ASSERT_EQ(2, read(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "m0", 2));
	ASSERT_EQ(2, ipcmbox_recv_packed(self->fd, in, sizeof(in), 2, NULL,
					 NULL));
	off = 0;
	EXPECT_TRUE(is_numbered(in, &off, 1));
	EXPECT_TRUE(is_numbered(in, &off, 3));
	EXPECT_EQ(8, IPCMBOX_STAT(M, depth));
	ASSERT_EQ(0, ipcmbox_remove(M));
	EXPECT_EQ(-1, read(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(EIDRM, errno);
}

/*
 * Race: packed senders against every kind of receiver at once.  Three
 * producers send numbered messages (type: producer + 1, priority 0 or 1)
 * in packed sends of 1 to 8; one consumer takes packed batches of 1 to 8,
 * one reads single messages, one takes its own producer's by type (from
 * the middle of other producers' sends).  Every message must arrive once,
 * whole, and each producer's messages of one priority in order.
 */
#define RACE_PRODUCERS	3
#define RACE_PER	1500

struct race {
	uint32_t got;			/* messages received, all consumers */
	uint32_t errors;
	uint8_t seen[RACE_PRODUCERS][RACE_PER];
};

struct race_msg {
	uint32_t producer;
	uint32_t seq;
	uint32_t prio;
	uint32_t check;
};

static uint32_t race_check(const struct race_msg *m)
{
	return (m->producer * 2654435761u) ^ (m->seq * 40503u) ^ m->prio;
}

static int race_produce(int fd, uint32_t id)
{
	uint64_t buf[8 * (sizeof(struct race_msg) + 16) / 8];
	uint32_t state = id * 7919 + 1, seq = 0;

	while (seq < RACE_PER) {
		unsigned int k = 1 + (state >> 7) % 8, i;
		size_t off = 0;

		state = state * 1103515245u + 12345u;
		if (k > RACE_PER - seq)
			k = RACE_PER - seq;
		for (i = 0; i < k; i++) {
			struct race_msg m = {
				.producer = id, .seq = seq + i,
				.prio = (state >> (9 + i)) & 1,
			};
			void *p;

			m.check = race_check(&m);
			p = ipcmbox_packed_add(buf, sizeof(buf), &off,
					       sizeof(m), id + 1, m.prio);
			if (!p)
				return 1;
			memcpy(p, &m, sizeof(m));
		}
		if (ipcmbox_send_packed(fd, buf, off, k, NULL, NULL) != (int)k)
			return 2;
		seq += k;
	}
	return 0;
}

/* Records one received message; 0, or -1 if it is not one of ours. */
static int race_got(struct race *rc, const void *p, size_t len, int64_t type,
		    int64_t last[RACE_PRODUCERS][2])
{
	struct race_msg m;

	if (len != sizeof(m))
		return -1;
	memcpy(&m, p, sizeof(m));
	if (m.producer >= RACE_PRODUCERS || m.seq >= RACE_PER || m.prio > 1 ||
	    m.check != race_check(&m) || type != m.producer + 1)
		return -1;
	if ((int64_t)m.seq <= last[m.producer][m.prio])
		return -1;
	last[m.producer][m.prio] = m.seq;
	__atomic_fetch_add(&rc->seen[m.producer][m.seq], 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&rc->got, 1, __ATOMIC_RELAXED);
	return 0;
}

static int race_consume(int fd, struct race *rc, int how)
{
	struct ipcmbox_opts o = {
		.flags = IPCMBOX_IO_TIMEOUT, .timeout_ns = 50000000,
		.type = how == 2 ? 1 : 0,
	};
	uint64_t buf[8 * (sizeof(struct race_msg) + HDR) / 8];
	int64_t last[RACE_PRODUCERS][2];
	struct ipcmbox_envelope env;
	uint32_t state = 77 + how;

	memset(last, 0xff, sizeof(last));
	while (__atomic_load_n(&rc->got, __ATOMIC_RELAXED) <
	       RACE_PRODUCERS * RACE_PER) {
		if (how == 0) {
			struct ipcmbox_opts po = o;
			size_t off = 0;
			int n;

			po.type = 0;
			state = state * 1103515245u + 12345u;
			n = ipcmbox_recv_packed(fd, buf, sizeof(buf),
						1 + (state >> 9) % 8, &po,
						NULL);
			if (n < 0 && errno != ETIMEDOUT)
				return 1;
			for (int k = 0; k < n; k++) {
				const struct ipcmbox_packed_recv *h =
					ipcmbox_packed_next(buf, &off);

				if (race_got(rc, ipcmbox_packed_data(h), h->len,
					     h->type, last))
					return 2;
			}
		} else {
			/* how 1: any type; how 2: producer 0's, by type. */
			ssize_t n = ipcmbox_recv(fd, buf, sizeof(buf), &o,
						 &env);

			if (n < 0 && errno != ETIMEDOUT)
				return 3;
			if (n >= 0 && race_got(rc, buf, n, env.type, last))
				return 4;
		}
	}
	return 0;
}

TEST_F_TIMEOUT(packed, packed_senders_race_every_kind_of_receiver, 600)
{
	struct race *rc;
	pid_t pid[RACE_PRODUCERS + 3];
	int i;

	self->fd = make(_metadata, 16, 0);
	rc = mmap(NULL, sizeof(*rc), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, rc);
	for (i = 0; i < RACE_PRODUCERS + 3; i++) {
		pid[i] = fork();
		ASSERT_LE(0, pid[i]);
		if (pid[i] == 0)
			_exit(i < RACE_PRODUCERS ?
			      race_produce(self->fd, i) :
			      race_consume(self->fd, rc, i - RACE_PRODUCERS));
	}
	for (i = 0; i < RACE_PRODUCERS + 3; i++)
		EXPECT_EQ(0, ipcmbox_test_child_status(pid[i]))
			TH_LOG("%s %d", i < RACE_PRODUCERS ? "producer" :
			       "consumer", i);
	EXPECT_EQ(RACE_PRODUCERS * RACE_PER, rc->got);
	for (i = 0; i < RACE_PRODUCERS; i++) {
		for (int s = 0; s < RACE_PER; s++) {
			ASSERT_EQ(1, rc->seen[i][s])
				TH_LOG("producer %d message %d", i, s);
		}
	}
	EXPECT_EQ(0, IPCMBOX_STAT(M, depth));
	EXPECT_EQ(RACE_PRODUCERS * RACE_PER, IPCMBOX_STAT(M, sent));
	EXPECT_EQ(RACE_PRODUCERS * RACE_PER, IPCMBOX_STAT(M, received));
	munmap(rc, sizeof(*rc));
}

TEST(the_library_packs_what_fits_and_refuses_the_rest)
{
	uint64_t buf[8];
	size_t off = 0;

	/* 16-byte header, 40 bytes: 56 of 64. */
	ASSERT_NE(NULL, ipcmbox_packed_add(buf, sizeof(buf), &off, 40, 1, 2));
	EXPECT_EQ(56, off);
	EXPECT_EQ(NULL, ipcmbox_packed_add(buf, sizeof(buf), &off, 1, 0, 0));
	EXPECT_EQ(ENOSPC, errno);
	EXPECT_EQ(56, off);
	off = 0;
	EXPECT_EQ(NULL, ipcmbox_packed_add(buf, sizeof(buf), &off, 1, -1, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(NULL, ipcmbox_packed_add(buf, sizeof(buf), &off, 1, 0,
					   IPCMBOX_PRIO_MAX + 1));
	EXPECT_EQ(EINVAL, errno);
	off = 4;
	EXPECT_EQ(NULL, ipcmbox_packed_add(buf, sizeof(buf), &off, 1, 0, 0));
	EXPECT_EQ(EINVAL, errno);
	/* Exactly full: the offset stops at the end. */
	off = 0;
	ASSERT_NE(NULL, ipcmbox_packed_add(buf, sizeof(buf), &off, 48, 0, 0));
	EXPECT_EQ(64, off);
}

TEST_HARNESS_MAIN
