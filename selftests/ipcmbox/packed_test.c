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
