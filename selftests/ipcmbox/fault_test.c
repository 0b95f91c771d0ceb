// SPDX-License-Identifier: GPL-2.0-only
/*
 * Systematic fault injection (needs CONFIG_FAULT_INJECTION, FAILSLAB,
 * FAIL_PAGE_ALLOC, FAULT_INJECTION_USERCOPY: the kasan debug kernel).
 *
 * For each entry point, N = 1, 2, ... is written to
 * /proc/thread-self/fail-nth, the call is made once, and the file is read
 * back: 0 means the Nth allocation or user copy of the call was made to
 * fail.  The sweep ends at the first N the call no longer reaches, so every
 * fault site the call passes is hit once.  After each call:
 *   - a call that failed returned ENOMEM or EFAULT and left everything as
 *     it was: the queue holds exactly its messages, in order; no fd, node
 *     or mailbox appeared or disappeared;
 *   - a call that succeeded (a fault can be absorbed, e.g. by a fallback)
 *     did all of what it does, exactly once.
 * Leaks show up in the oracle's kmemleak scan at the end of the run, and
 * per-user byte charges in unbounded_send_keeps_quota.
 */
#include <poll.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/uio.h>

#include <liburing.h>

#include "kselftest_harness.h"
#include "ipcmbox_test.h"
#include "ipcmbox_uring.h"

#define M		"fault"
#define M2		"fault2"
#define MAX_SITES	200
#define DBG		"/sys/kernel/debug/"

/* The knobs fail-nth needs: GFP_KERNEL counts, order 0 counts, silence. */
static const char *const knobs[][2] = {
	{ DBG "failslab/ignore-gfp-wait", "N" },
	{ DBG "fail_page_alloc/ignore-gfp-wait", "N" },
	{ DBG "fail_page_alloc/ignore-gfp-highmem", "N" },
	{ DBG "fail_page_alloc/min-order", "0" },
	{ DBG "failslab/verbose", "0" },
	{ DBG "fail_page_alloc/verbose", "0" },
	{ DBG "fail_usercopy/verbose", "0" },
};

static int write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, val, strlen(val));
	close(fd);
	return n == (ssize_t)strlen(val) ? 0 : -1;
}

struct res {
	ssize_t ret;
	int err;
	char buf[64];
	struct ipcmbox_io io;
	struct ipcmbox_create c;
	struct ipcmbox_stat st;
	struct ipcmbox_info info;
	int nread;
	short revents;
	int fd;
};

/* Each fixture: the fail-nth file, a control fd, an O_RDWR fd on M. */
#define FAULT_FIXTURE_DATA						\
	int nth;							\
	int ctl;							\
	int fd;								\
	uint32_t capacity;						\
	unsigned int sites

/* Sweeps on a bounded and on an unbounded mailbox. */
FIXTURE(fault) {
	FAULT_FIXTURE_DATA;
};

FIXTURE_VARIANT(fault) {
	uint32_t capacity;
};

FIXTURE_VARIANT_ADD(fault, bounded) { .capacity = 8 };
FIXTURE_VARIANT_ADD(fault, unbounded) { .capacity = IPCMBOX_CAP_UNBOUNDED };

/* Sweeps that need one mode only. */
FIXTURE(fault1) {
	FAULT_FIXTURE_DATA;
};

/* Sweeps of the region calls: M bounded, with a region (fresh_region). */
FIXTURE(fault_region) {
	FAULT_FIXTURE_DATA;
};

/* Sweeps of receives from a packed send's train: M bounded (fresh_train). */
FIXTURE(fault_train) {
	FAULT_FIXTURE_DATA;
};

/*
 * Sweeps of a receive that lets a waiting packed send in (fresh_waiter):
 * M full, a child blocked sending six more.
 */
FIXTURE(fault_waiter) {
	FAULT_FIXTURE_DATA;
};

#define PG		4096
/*
 * When non-zero, fresh() gives M a region of this size and, besides
 * "alpha" and "bravo", "delta" sent by reference (priority 2, queued
 * first) in fresh_sent and a chunk holding "echo" that the fd holds,
 * fresh_held.
 */
static uint64_t fresh_region;
static struct ipcmbox_chunk fresh_sent, fresh_held;
/*
 * When set, fresh() also sends "charlie" (type 0) and "delta" (type 7) in
 * one packed send of priority 2, queued first: kept as a train.
 */
static int fresh_train;
/*
 * When set (with fresh_train, capacity 8), fresh() also starts a child,
 * fresh_waiter_pid, that sends "s0" to "s5" in one blocking packed send:
 * four fill M, "s4" waits for room, "s5" after it.
 */
static int fresh_waiter;
static pid_t fresh_waiter_pid = -1;

static long long region_used(int fd)
{
	struct ipcmbox_stat st;

	return ipcmbox_stat(fd, &st) ? -1 : (long long)st.region_used;
}

static int send_str(int fd, const char *s, uint32_t prio)
{
	struct ipcmbox_opts o = { .priority = prio };

	return ipcmbox_send(fd, s, strlen(s), &o, NULL);
}

/* fresh()'s references: "delta" sent, "echo" held (fresh_region). */
static int fresh_refs(int fd)
{
	struct ipcmbox_opts o = { .priority = 2 };
	struct ipcmbox_chunk cs[2];
	char *m;

	if (ipcmbox_alloc(fd, PG, cs, 2, NULL) != 2)
		return -1;
	m = mmap(NULL, fresh_region, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		return -1;
	memcpy(m + cs[0].offset, "delta", 5);
	memcpy(m + cs[1].offset, "echo", 4);
	munmap(m, fresh_region);
	fresh_sent = cs[0];
	fresh_held = cs[1];
	return ipcmbox_send_ref(fd, &fresh_sent, 5, &o, NULL);
}

/* fresh()'s train: "charlie" and "delta", one packed send. */
static int fresh_packed(int fd)
{
	uint64_t buf[8];
	size_t off = 0;

	memcpy(ipcmbox_packed_add(buf, sizeof(buf), &off, 7, 0, 2),
	       "charlie", 7);
	memcpy(ipcmbox_packed_add(buf, sizeof(buf), &off, 5, 7, 2),
	       "delta", 5);
	return ipcmbox_send_packed(fd, buf, off, 2, NULL, NULL) == 2 ? 0 : -1;
}

/* Ends fresh()'s waiting sender, if one is left from a failed round. */
static void waiter_end(void)
{
	if (fresh_waiter_pid > 0) {
		kill(fresh_waiter_pid, SIGKILL);
		waitpid(fresh_waiter_pid, NULL, 0);
	}
	fresh_waiter_pid = -1;
}

/* fresh()'s waiting sender: returns once "s4" waits for room. */
static int fresh_wait(void)
{
	uint64_t buf[32];
	size_t off = 0;
	char s[16];
	void *p;
	int fd;

	for (int i = 0; i < 6; i++) {
		snprintf(s, sizeof(s), "s%d", i);
		p = ipcmbox_packed_add(buf, sizeof(buf), &off, 2, 0, 0);
		if (!p)
			return -1;
		memcpy(p, s, 2);
	}
	fresh_waiter_pid = fork();
	if (fresh_waiter_pid < 0)
		return -1;
	if (!fresh_waiter_pid) {
		fd = ipcmbox_open(M, O_WRONLY);
		_exit(ipcmbox_send_packed(fd, buf, off, 6, NULL, NULL) == 6 ?
		      0 : 1);
	}
	return IPCMBOX_WAIT_FOR(IPCMBOX_STAT(M, send_waiting) == 1) ? 0 : -1;
}

static const char *drain(int fd);

/* What fresh_waiter leaves queued and waiting, in order. */
static const char *const waiter_all[] = {
	"charlie", "delta", "alpha", "bravo", "s0", "s1", "s2", "s3", "s4",
	"s5",
};

/*
 * After a receive took the first @taken of waiter_all[]: the rest come,
 * in order, to blocking receives (the waiting sender finishing its send
 * as room is made), the sender succeeds, and nothing else is left.
 * Return: 0, or the index of the first thing that is not so, plus 1.
 */
static int waiter_rest(int fd, unsigned int taken)
{
	struct ipcmbox_opts o = {
		.flags = IPCMBOX_IO_TIMEOUT, .timeout_ns = 30000000000LL,
	};
	int rfd = ipcmbox_open(M, O_RDONLY), status = -1, bad = 0;
	char b[16];
	ssize_t n;

	for (unsigned int i = taken; i < 10 && !bad; i++) {
		n = ipcmbox_recv(rfd, b, sizeof(b), &o, NULL);
		if (n != (ssize_t)strlen(waiter_all[i]) ||
		    memcmp(b, waiter_all[i], n))
			bad = (int)i + 1;
	}
	close(rfd);
	if (waitpid(fresh_waiter_pid, &status, 0) != fresh_waiter_pid ||
	    !WIFEXITED(status) || WEXITSTATUS(status))
		bad = bad ?: 11;
	fresh_waiter_pid = -1;
	return bad ?: drain(fd)[0] ? 12 : 0;
}

/* M afresh in *@fdp, holding "alpha" (priority 1) then "bravo" (0). */
static int fresh(int *fdp, uint32_t capacity)
{
	struct ipcmbox_attr a = {
		.set = IPCMBOX_SET_CAPACITY | IPCMBOX_SET_MAX_MSG |
		       (fresh_region ? IPCMBOX_SET_REGION : 0),
		.capacity = capacity,
		.max_msg = 64,
		.region_size = fresh_region,
	};

	if (*fdp >= 0)
		close(*fdp);
	ipcmbox_remove(M);
	if (ipcmbox_create(M, &a))
		return -1;
	*fdp = ipcmbox_open(M, O_RDWR | O_NONBLOCK);
	if (*fdp < 0 || send_str(*fdp, "bravo", 0) || send_str(*fdp, "alpha", 1))
		return -1;
	if (fresh_train && fresh_packed(*fdp))
		return -1;
	waiter_end();
	if (fresh_waiter && fresh_wait())
		return -1;
	return fresh_region ? fresh_refs(*fdp) : 0;
}

/* Drains @fd: its messages joined with ',' (then it is empty). */
static const char *drain(int fd)
{
	static char out[256];
	char b[65];
	ssize_t n;

	out[0] = '\0';
	while ((n = ipcmbox_recv(fd, b, 64, NULL, NULL)) >= 0) {
		b[n] = '\0';
		if (out[0])
			strcat(out, ",");
		strncat(out, b, sizeof(out) - strlen(out) - 2);
	}
	if (errno != EAGAIN)
		snprintf(out, sizeof(out), "drain: %s", strerror(errno));
	return out;
}

/* The lowest free descriptor number: a leaked fd moves it. */
static int lowest_free_fd(void)
{
	int fd = dup(0);

	if (fd < 0)
		return -1;
	close(fd);
	/* The number, not the (closed) descriptor. */
	return fd; // cppcheck-suppress deallocret
}

static int nth_set(int nth, unsigned int n)
{
	char b[16];
	int len = snprintf(b, sizeof(b), "%u", n);

	return pwrite(nth, b, len, 0) == len ? 0 : -1;
}

/* Whether the fault set up by nth_set() was injected; disarms it. */
static int nth_fired(int nth)
{
	char b[16] = "";
	ssize_t n = pread(nth, b, sizeof(b) - 1, 0);

	nth_set(nth, 0);
	/* A read that faulted itself consumed the fault: not the call's. */
	return n > 0 && atoi(b) == 0;
}

static int fresh(int *fdp, uint32_t capacity);

#define FAULT_SETUP(cap) do {						\
	size_t i;							\
	self->fd = -1;							\
	self->ctl = -1;							\
	self->capacity = (cap);						\
	self->nth = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC); \
	if (self->nth < 0)						\
		SKIP(return, "no fail-nth: no CONFIG_FAULT_INJECTION");	\
	for (i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++)		\
		if (write_file(knobs[i][0], knobs[i][1]))		\
			SKIP(return, "cannot set %s", knobs[i][0]);	\
	if (access(DBG "fail_usercopy", F_OK))				\
		SKIP(return, "no CONFIG_FAULT_INJECTION_USERCOPY");	\
	ASSERT_EQ(0, ipcmbox_test_reload(""));				\
	self->ctl = ipcmbox_control_open();				\
	ASSERT_LE(0, self->ctl);					\
	ASSERT_EQ(0, fresh(&self->fd, self->capacity));			\
} while (0)

#define FAULT_TEARDOWN() do {						\
	if (self->nth < 0)						\
		return;							\
	if (self->fd >= 0)						\
		close(self->fd);					\
	if (self->ctl >= 0)						\
		close(self->ctl);					\
	ipcmbox_remove(M);						\
	ipcmbox_remove(M2);						\
	close(self->nth);						\
	TH_LOG("%u fault sites injected", self->sites);			\
} while (0)

FIXTURE_SETUP(fault) { FAULT_SETUP(variant->capacity); }
FIXTURE_TEARDOWN(fault) { FAULT_TEARDOWN(); }
FIXTURE_SETUP(fault1) { FAULT_SETUP(8); }
FIXTURE_TEARDOWN(fault1) { FAULT_TEARDOWN(); }
FIXTURE_SETUP(fault_region) { fresh_region = 4 * PG; FAULT_SETUP(8); }
FIXTURE_TEARDOWN(fault_region) { FAULT_TEARDOWN(); fresh_region = 0; }
FIXTURE_SETUP(fault_train) { fresh_train = 1; FAULT_SETUP(8); }
FIXTURE_TEARDOWN(fault_train) { FAULT_TEARDOWN(); fresh_train = 0; }
FIXTURE_SETUP(fault_waiter)
{
	fresh_train = 1;
	fresh_waiter = 1;
	FAULT_SETUP(8);
}
FIXTURE_TEARDOWN(fault_waiter)
{
	waiter_end();
	FAULT_TEARDOWN();
	fresh_train = 0;
	fresh_waiter = 0;
}

/*
 * The sweep: @call (an expression using self and r) made with the Nth
 * fault, for N = 1, 2, ...; then @ok (on success) or @intact (on ENOMEM or
 * EFAULT) must hold.  Each round starts from fresh().
 */
#define SWEEP(call, ok, intact) do {					\
	unsigned int n;							\
	int fired = 1;							\
	for (n = 1; fired && n <= MAX_SITES; n++) {			\
		struct res r = { .fd = -1 };				\
		ASSERT_EQ(0, fresh(&self->fd, self->capacity));		\
		ASSERT_EQ(0, nth_set(self->nth, n));			\
		r.ret = (call);						\
		r.err = errno;						\
		fired = nth_fired(self->nth);				\
		self->sites += fired;					\
		if (r.ret >= 0) {					\
			ok;						\
		} else {						\
			if (!fired || (r.err != ENOMEM && r.err != EFAULT)) \
				TH_LOG("fault %u: %s", n, strerror(r.err)); \
			ASSERT_TRUE(fired);				\
			ASSERT_TRUE(r.err == ENOMEM || r.err == EFAULT);	\
			intact;						\
		}							\
		if (r.fd >= 0)						\
			close(r.fd);					\
	}								\
	ASSERT_FALSE(fired) TH_LOG("more than %d fault sites", MAX_SITES); \
} while (0)

#define QUEUE_IS(expect)	ASSERT_STREQ(expect, drain(self->fd))

TEST_F(fault, write)
{
	SWEEP(write(self->fd, "charlie", 7),
	      ({ ASSERT_EQ(7, r.ret); QUEUE_IS("alpha,bravo,charlie"); }),
	      QUEUE_IS("alpha,bravo"));
}

TEST_F(fault, writev)
{
	struct iovec iov[2] = {
		{ .iov_base = "char", .iov_len = 4 },
		{ .iov_base = "lie", .iov_len = 3 },
	};

	SWEEP(writev(self->fd, iov, 2),
	      ({ ASSERT_EQ(7, r.ret); QUEUE_IS("alpha,bravo,charlie"); }),
	      QUEUE_IS("alpha,bravo"));
}

static ssize_t io_call(int fd, unsigned long cmd, struct ipcmbox_io *io,
		       void *buf, size_t len, uint32_t flags, uint32_t prio)
{
	memset(io, 0, sizeof(*io));
	io->size = sizeof(*io);
	io->buf = (uintptr_t)buf;
	io->len = len;
	io->flags = flags;
	io->priority = prio;
	return ioctl(fd, cmd, io);
}

TEST_F(fault, ioctl_send)
{
	SWEEP(io_call(self->fd, IPCMBOX_IOC_SEND, &r.io, "charlie", 7, 0, 2),
	      ({ ASSERT_EQ(0, r.ret); QUEUE_IS("charlie,alpha,bravo"); }),
	      QUEUE_IS("alpha,bravo"));
}

/*
 * A batch of @n entries over @ios: sends of the strings @bufs, or with
 * @room, receives into @bufs of @room bytes each.
 */
static ssize_t batch_call(int fd, unsigned long cmd, struct ipcmbox_batch *b,
			  struct ipcmbox_io *ios, const char *const *bufs,
			  size_t room, unsigned int n, uint32_t flags)
{
	unsigned int k;

	for (k = 0; k < n; k++) {
		memset(&ios[k], 0, sizeof(ios[k]));
		ios[k].size = sizeof(ios[k]);
		ios[k].buf = (uintptr_t)bufs[k];
		ios[k].len = room ? room : strlen(bufs[k]);
	}
	memset(b, 0, sizeof(*b));
	b->size = sizeof(*b);
	b->flags = flags;
	b->msgs = (uintptr_t)ios;
	b->count = n;
	b->stride = sizeof(ios[0]);
	return ioctl(fd, cmd, b);
}

static const char *const batch_msgs[] = { "charlie", "delta" };

/* A batch of batch_msgs after a fault: the first sent, or both. */
#define SENT_ONE_OR_BOTH(r, b) ({					\
	if ((r).ret == 1) {						\
		ASSERT_TRUE((b).error == ENOMEM || (b).error == EFAULT);	\
		QUEUE_IS("alpha,bravo,charlie");			\
	} else {							\
		ASSERT_EQ(2, (r).ret);					\
		ASSERT_EQ(0, (b).error);				\
		QUEUE_IS("alpha,bravo,charlie,delta");			\
	} })

/*
 * A fault part way through a send batch stops it there: what it reports
 * sent is queued, in order, and nothing else; its error says why.
 */
TEST_F(fault, send_batch)
{
	struct ipcmbox_batch b;
	struct ipcmbox_io ios[2];

	SWEEP(batch_call(self->fd, IPCMBOX_IOC_SEND_BATCH, &b, ios, batch_msgs,
			 0, 2, IPCMBOX_IO_NONBLOCK),
	      SENT_ONE_OR_BOTH(r, b),
	      QUEUE_IS("alpha,bravo"));
}

/* An atomic batch under a fault: both messages or neither. */
TEST_F(fault, send_batch_atomic)
{
	struct ipcmbox_batch b;
	struct ipcmbox_io ios[2];

	SWEEP(batch_call(self->fd, IPCMBOX_IOC_SEND_BATCH, &b, ios, batch_msgs,
			 0, 2, IPCMBOX_IO_NONBLOCK | IPCMBOX_BATCH_ATOMIC),
	      ({ ASSERT_EQ(2, r.ret);
		 /* A fault writing a seq back loses only that seq. */
		 if (ios[0].seq && ios[1].seq)
			ASSERT_EQ(ios[0].seq + 1, ios[1].seq);
		 QUEUE_IS("alpha,bravo,charlie,delta"); }),
	      QUEUE_IS("alpha,bravo"));
}

/*
 * A fault part way through a receive batch of @count entries: the
 * messages it reports are received, the rest stay queued, none is lost.
 */
static void recv_batch_sweep(struct __test_metadata *_metadata,
			     FIXTURE_DATA(fault) *self, unsigned int count)
{
	static struct ipcmbox_io ios[64];
	static char bufs[64][16];
	const char *to[64];
	struct ipcmbox_batch b;

	for (unsigned int k = 0; k < count; k++)
		to[k] = bufs[k];
	SWEEP(batch_call(self->fd, IPCMBOX_IOC_RECV_BATCH, &b, ios, to,
			 sizeof(bufs[0]), count, IPCMBOX_IO_NONBLOCK),
	      ({ ASSERT_EQ(0, memcmp(bufs[0], "alpha", 5));
		 ASSERT_EQ(5, ios[0].len);
		 if (r.ret == 1) {
			ASSERT_TRUE(b.error == ENOMEM || b.error == EFAULT);
			QUEUE_IS("bravo");
		 } else {
			ASSERT_EQ(2, r.ret);
			ASSERT_EQ(0, b.error);
			ASSERT_EQ(0, memcmp(bufs[1], "bravo", 5));
			QUEUE_IS("");
		 } }),
	      QUEUE_IS("alpha,bravo"));
}

TEST_F(fault, recv_batch)
{
	recv_batch_sweep(_metadata, self, 3);
}

/*
 * 64 entries: the kernel allocates the entries and the message pointers
 * apart (8 KiB and 512 bytes); either failing fails the call.
 */
TEST_F(fault, recv_batch_of_64)
{
	recv_batch_sweep(_metadata, self, 64);
}

/* A packed batch of the strings @s[0..@n-1] (send), or into @buf (receive). */
static ssize_t packed_call(int fd, unsigned long cmd, struct ipcmbox_batch *b,
			   uint64_t *buf, size_t size,
			   const char *const *s, unsigned int n, uint32_t flags)
{
	struct ipcmbox_opts o = { .flags = flags };
	size_t off = 0;

	for (unsigned int k = 0; s && k < n; k++)
		memcpy(ipcmbox_packed_add(buf, size, &off, strlen(s[k]), 0, 0),
		       s[k], strlen(s[k]));
	if (ipcmbox_packed_prep(b, buf, s ? off : size, n, &o))
		return -1;
	return ioctl(fd, cmd, b);
}

/* A packed send batch under a fault, as an entry batch. */
TEST_F(fault, send_packed)
{
	struct ipcmbox_batch b;
	uint64_t buf[16];

	SWEEP(packed_call(self->fd, IPCMBOX_IOC_SEND_BATCH, &b, buf,
			  sizeof(buf), batch_msgs, 2, IPCMBOX_IO_NONBLOCK),
	      SENT_ONE_OR_BOTH(r, b),
	      QUEUE_IS("alpha,bravo"));
}

/* A packed receive batch under a fault: what it reports, and no loss. */
TEST_F(fault, recv_packed)
{
	const struct ipcmbox_packed_recv *h;
	struct ipcmbox_batch b;
	uint64_t buf[64];
	size_t off;

	SWEEP(packed_call(self->fd, IPCMBOX_IOC_RECV_BATCH, &b, buf,
			  sizeof(buf), NULL, 8, IPCMBOX_IO_NONBLOCK),
	      ({ off = 0;
		 h = ipcmbox_packed_next(buf, &off);
		 ASSERT_EQ(5, h->len);
		 ASSERT_EQ(0, memcmp(ipcmbox_packed_data(h), "alpha", 5));
		 ASSERT_EQ(getpid(), h->pid);
		 if (r.ret == 1) {
			ASSERT_TRUE(b.error == ENOMEM || b.error == EFAULT);
			QUEUE_IS("bravo");
		 } else {
			ASSERT_EQ(2, r.ret);
			ASSERT_EQ(0, b.error);
			h = ipcmbox_packed_next(buf, &off);
			ASSERT_EQ(0, memcmp(ipcmbox_packed_data(h), "bravo",
					    5));
			QUEUE_IS("");
		 } }),
	      QUEUE_IS("alpha,bravo"));
}

#define TRAIN_QUEUE	"charlie,delta,alpha,bravo"

/* The head of a train made a message of its own, and read. */
TEST_F(fault_train, read)
{
	SWEEP(read(self->fd, r.buf, sizeof(r.buf)),
	      ({ ASSERT_EQ(7, r.ret); ASSERT_EQ(0, memcmp(r.buf, "charlie", 7));
		 QUEUE_IS("delta,alpha,bravo"); }),
	      QUEUE_IS(TRAIN_QUEUE));
}

/* A train's second message, taken by its type: the train cut around it. */
TEST_F(fault_train, recv_typed)
{
	struct ipcmbox_opts o = { .type = 7 };
	struct ipcmbox_envelope env;

	SWEEP(ipcmbox_recv(self->fd, r.buf, sizeof(r.buf), &o, &env),
	      ({ ASSERT_EQ(5, r.ret); ASSERT_EQ(0, memcmp(r.buf, "delta", 5));
		 ASSERT_EQ(7, env.type); ASSERT_EQ(2, env.priority);
		 ASSERT_EQ(4, env.seq); ASSERT_EQ(getpid(), env.pid);
		 QUEUE_IS("charlie,alpha,bravo"); }),
	      QUEUE_IS(TRAIN_QUEUE));
}

TEST_F(fault_train, recv_peek)
{
	SWEEP(io_call(self->fd, IPCMBOX_IOC_RECV, &r.io, r.buf, sizeof(r.buf),
		      IPCMBOX_IO_PEEK, 0),
	      ({ ASSERT_EQ(0, r.ret); ASSERT_EQ(7, r.io.len);
		 ASSERT_EQ(0, memcmp(r.buf, "charlie", 7));
		 QUEUE_IS(TRAIN_QUEUE); }),
	      QUEUE_IS(TRAIN_QUEUE));
}

/* A packed receive of part of a train: the train cut, or one message. */
TEST_F(fault_train, recv_packed_part)
{
	const struct ipcmbox_packed_recv *h;
	struct ipcmbox_batch b;
	uint64_t buf[64];
	size_t off;

	SWEEP(packed_call(self->fd, IPCMBOX_IOC_RECV_BATCH, &b, buf,
			  sizeof(buf), NULL, 1, IPCMBOX_IO_NONBLOCK),
	      ({ off = 0;
		 ASSERT_EQ(1, r.ret);
		 ASSERT_EQ(0, b.error);
		 h = ipcmbox_packed_next(buf, &off);
		 ASSERT_EQ(7, h->len);
		 ASSERT_EQ(0, memcmp(ipcmbox_packed_data(h), "charlie", 7));
		 ASSERT_EQ(3, h->seq);
		 QUEUE_IS("delta,alpha,bravo"); }),
	      QUEUE_IS(TRAIN_QUEUE));
}

/* A packed receive of a whole train and more: nothing to allocate. */
TEST_F(fault_train, recv_packed_all)
{
	const struct ipcmbox_packed_recv *h;
	static const char *const want[] = { "charlie", "delta", "alpha" };
	struct ipcmbox_batch b;
	uint64_t buf[64];
	size_t off;

	SWEEP(packed_call(self->fd, IPCMBOX_IOC_RECV_BATCH, &b, buf,
			  sizeof(buf), NULL, 3, IPCMBOX_IO_NONBLOCK),
	      ({ off = 0;
		 ASSERT_EQ(3, r.ret);
		 ASSERT_EQ(0, b.error);
		 for (int k = 0; k < 3; k++) {
			h = ipcmbox_packed_next(buf, &off);
			ASSERT_EQ(strlen(want[k]), h->len);
			ASSERT_EQ(0, memcmp(ipcmbox_packed_data(h), want[k],
					    h->len));
		 }
		 QUEUE_IS("bravo"); }),
	      QUEUE_IS(TRAIN_QUEUE));
}

/*
 * A packed receive that makes room for a waiting packed send: it lets the
 * waiting message in and queues the rest of its train after it, or, when
 * that cannot be allocated, leaves the rest to the sender.  Either way
 * every message comes once, in order.
 */
TEST_F(fault_waiter, recv_packed_admits_a_waiting_train)
{
	const struct ipcmbox_packed_recv *h;
	struct ipcmbox_batch b;
	uint64_t buf[160];
	size_t off;

	SWEEP(packed_call(self->fd, IPCMBOX_IOC_RECV_BATCH, &b, buf,
			  sizeof(buf), NULL, 16, IPCMBOX_IO_NONBLOCK),
	      ({ off = 0;
		 ASSERT_LE(9, r.ret);
		 ASSERT_EQ(0, b.error);
		 for (int k = 0; k < r.ret; k++) {
			h = ipcmbox_packed_next(buf, &off);
			ASSERT_EQ(strlen(waiter_all[k]), h->len);
			ASSERT_EQ(0, memcmp(ipcmbox_packed_data(h),
					    waiter_all[k], h->len));
		 }
		 ASSERT_EQ(0, waiter_rest(self->fd, r.ret)); }),
	      ASSERT_EQ(0, waiter_rest(self->fd, 0)));
}

TEST_F(fault, read)
{
	SWEEP(read(self->fd, r.buf, sizeof(r.buf)),
	      ({ ASSERT_EQ(5, r.ret); ASSERT_EQ(0, memcmp(r.buf, "alpha", 5));
		 QUEUE_IS("bravo"); }),
	      QUEUE_IS("alpha,bravo"));
}

TEST_F(fault, ioctl_recv)
{
	SWEEP(io_call(self->fd, IPCMBOX_IOC_RECV, &r.io, r.buf, sizeof(r.buf),
		      0, 0),
	      ({ ASSERT_EQ(0, r.ret); ASSERT_EQ(5, r.io.len);
		 ASSERT_EQ(5, r.io.msg_len); ASSERT_EQ(1, r.io.priority);
		 ASSERT_EQ(getpid(), r.io.pid);
		 ASSERT_EQ(0, memcmp(r.buf, "alpha", 5));
		 QUEUE_IS("bravo"); }),
	      QUEUE_IS("alpha,bravo"));
}

TEST_F(fault, ioctl_recv_truncated)
{
	SWEEP(io_call(self->fd, IPCMBOX_IOC_RECV, &r.io, r.buf, 3,
		      IPCMBOX_IO_TRUNC, 0),
	      ({ ASSERT_EQ(0, r.ret); ASSERT_EQ(3, r.io.len);
		 ASSERT_EQ(5, r.io.msg_len);
		 ASSERT_EQ(0, memcmp(r.buf, "alp", 3)); QUEUE_IS("bravo"); }),
	      QUEUE_IS("alpha,bravo"));
}

TEST_F(fault, ioctl_recv_peek)
{
	SWEEP(io_call(self->fd, IPCMBOX_IOC_RECV, &r.io, r.buf, sizeof(r.buf),
		      IPCMBOX_IO_PEEK, 0),
	      ({ ASSERT_EQ(0, r.ret); ASSERT_EQ(5, r.io.len);
		 ASSERT_EQ(0, memcmp(r.buf, "alpha", 5));
		 QUEUE_IS("alpha,bravo"); }),
	      QUEUE_IS("alpha,bravo"));
}

TEST_F(fault, ioctl_recv_short_buffer)
{
	/* EMSGSIZE is this call's success: the length is reported. */
	SWEEP(io_call(self->fd, IPCMBOX_IOC_RECV, &r.io, r.buf, 2, 0, 0) &&
	      errno == EMSGSIZE ? 0 : -1,
	      ({ ASSERT_EQ(5, r.io.msg_len); QUEUE_IS("alpha,bravo"); }),
	      QUEUE_IS("alpha,bravo"));
}

TEST_F(fault, ioctl_stat)
{
	SWEEP(({ memset(&r.st, 0, sizeof(r.st)); r.st.size = sizeof(r.st);
		 ioctl(self->fd, IPCMBOX_IOC_STAT, &r.st); }),
	      ({ ASSERT_EQ(2, r.st.depth); ASSERT_STREQ(M, r.st.name);
		 QUEUE_IS("alpha,bravo"); }),
	      QUEUE_IS("alpha,bravo"));
}

TEST_F(fault, ioctl_config)
{
	struct ipcmbox_config c = {
		.size = sizeof(c),
		.set = IPCMBOX_SET_MAX_MSG,
		.max_msg = 32,
	};

	SWEEP(ioctl(self->fd, IPCMBOX_IOC_CONFIG, &c),
	      ({ ASSERT_EQ(32, IPCMBOX_STAT(M, max_msg));
		 QUEUE_IS("alpha,bravo"); }),
	      ({ ASSERT_EQ(64, IPCMBOX_STAT(M, max_msg));
		 QUEUE_IS("alpha,bravo"); }));
}

static unsigned int node_mode(void)
{
	struct stat st;

	return stat(IPCMBOX_DEV_DIR "/" M, &st) ? 01000 : st.st_mode & 07777;
}

TEST_F(fault, ioctl_set_owner)
{
	SWEEP(ipcmbox_chmod(self->fd, 0640),
	      ({ ASSERT_EQ(0640, IPCMBOX_STAT(M, mode));
		 ASSERT_EQ(0640, node_mode()); QUEUE_IS("alpha,bravo"); }),
	      ({ ASSERT_EQ(0600, IPCMBOX_STAT(M, mode));
		 ASSERT_EQ(0600, node_mode()); QUEUE_IS("alpha,bravo"); }));
}

enum uring_op { URING_READ, URING_WRITE, URING_CMD_RECV };

/*
 * One io_uring request on @fd, through a ring made for it and torn down
 * after, so that a fault anywhere (the ring's setup and mappings, the
 * request's allocation, the file's read or write) leaves nothing queued
 * for the next round.  io_uring reports a request it could not allocate
 * as EAGAIN from the submit: that is the fault's ENOMEM.
 */
static ssize_t uring_once(int fd, enum uring_op op, char *buf, size_t len)
{
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	struct ipcmbox_io io;
	ssize_t ret;
	int err = 0;

	ret = io_uring_queue_init(4, &ring, 0);
	if (ret) {
		errno = -ret;
		return -1;
	}
	sqe = io_uring_get_sqe(&ring);
	if (op == URING_READ) {
		io_uring_prep_read(sqe, fd, buf, len, 0);
	} else if (op == URING_WRITE) {
		io_uring_prep_write(sqe, fd, buf, len, 0);
	} else {
		ipcmbox_io_prep(&io, buf, len, NULL, 0);
		ipcmbox_prep_recv(sqe, fd, &io);
	}
	ret = io_uring_submit(&ring);
	if (ret != 1) {
		err = ret == -EAGAIN ? ENOMEM : ret < 0 ? -ret : EIO;
	} else if ((ret = io_uring_wait_cqe(&ring, &cqe))) {
		err = -ret;
	} else {
		if (op == URING_CMD_RECV) {
			ret = ipcmbox_cqe_io(cqe, &io, NULL);
			err = ret < 0 ? errno : 0;
		} else {
			ret = cqe->res;
			err = ret < 0 ? -ret : 0;
		}
		io_uring_cqe_seen(&ring, cqe);
	}
	io_uring_queue_exit(&ring);
	errno = err;
	return err ? -1 : ret;
}

TEST_F(fault1, uring_read)
{
	SWEEP(uring_once(self->fd, URING_READ, r.buf, sizeof(r.buf)),
	      ({ ASSERT_EQ(5, r.ret); ASSERT_EQ(0, memcmp(r.buf, "alpha", 5));
		 QUEUE_IS("bravo"); }),
	      QUEUE_IS("alpha,bravo"));
}

TEST_F(fault1, uring_write)
{
	SWEEP(uring_once(self->fd, URING_WRITE, "charlie", 7),
	      ({ ASSERT_EQ(7, r.ret); QUEUE_IS("alpha,bravo,charlie"); }),
	      QUEUE_IS("alpha,bravo"));
}

TEST_F(fault1, uring_cmd_recv)
{
	SWEEP(uring_once(self->fd, URING_CMD_RECV, r.buf, sizeof(r.buf)),
	      ({ ASSERT_EQ(5, r.ret); ASSERT_EQ(0, memcmp(r.buf, "alpha", 5));
		 QUEUE_IS("bravo"); }),
	      QUEUE_IS("alpha,bravo"));
}

TEST_F(fault, fionread)
{
	SWEEP(ioctl(self->fd, FIONREAD, &r.nread),
	      ({ ASSERT_EQ(5, r.nread); QUEUE_IS("alpha,bravo"); }),
	      QUEUE_IS("alpha,bravo"));
}

static int poll_once(int fd, short *revents)
{
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLOUT };
	int n = poll(&p, 1, 0);

	*revents = p.revents;
	return n;
}

TEST_F(fault, poll)
{
	SWEEP(poll_once(self->fd, &r.revents),
	      ({ ASSERT_EQ(1, r.ret);
		 ASSERT_EQ(POLLIN | POLLOUT, r.revents);
		 QUEUE_IS("alpha,bravo"); }),
	      QUEUE_IS("alpha,bravo"));
}

TEST_F(fault1, mmap)
{
	/* M has no region here: ENODEV is the call's result. */
	SWEEP(({ void *p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, self->fd, 0);
		 p == MAP_FAILED && errno == ENODEV ? 0 :
		 p == MAP_FAILED ? -1 : (munmap(p, 4096), 1); }),
	      ({ ASSERT_EQ(0, r.ret); QUEUE_IS("alpha,bravo"); }),
	      QUEUE_IS("alpha,bravo"));
}

TEST_F(fault1, open)
{
	int lowest = lowest_free_fd();

	SWEEP((r.fd = open("/dev/ipcmbox/" M, O_RDWR | O_CLOEXEC)),
	      ({ ASSERT_EQ(lowest, r.fd);
		 ASSERT_EQ(0, send_str(r.fd, "charlie", 0));
		 QUEUE_IS("alpha,bravo,charlie"); }),
	      ({ ASSERT_EQ(lowest, lowest_free_fd());
		 QUEUE_IS("alpha,bravo"); }));
}

TEST_F(fault1, control_info)
{
	SWEEP(({ memset(&r.info, 0, sizeof(r.info));
		 r.info.size = sizeof(r.info);
		 ioctl(self->ctl, IPCMBOX_IOC_INFO, &r.info); }),
	      ({ ASSERT_EQ(IPCMBOX_ABI_VERSION, r.info.abi_version);
		 ASSERT_EQ(1, r.info.nr_mailboxes); }),
	      ASSERT_EQ(0, 0));
}

static void create_args(struct ipcmbox_create *c)
{
	memset(c, 0, sizeof(*c));
	c->size = sizeof(*c);
	c->set = IPCMBOX_SET_CAPACITY;
	c->capacity = 4;
	strcpy(c->name, M2);
}

TEST_F(fault1, control_create)
{
	SWEEP(({ create_args(&r.c); ioctl(self->ctl, IPCMBOX_IOC_CREATE, &r.c); }),
	      ({ ASSERT_EQ(4, IPCMBOX_STAT(M2, capacity));
		 ASSERT_EQ(0, access("/dev/ipcmbox/" M2, F_OK));
		 ASSERT_EQ(0, ipcmbox_remove(M2)); }),
	      ({ ASSERT_EQ(-1, IPCMBOX_STAT(M2, capacity));
		 ASSERT_EQ(ENOENT, errno);
		 ASSERT_EQ(0, ipcmbox_create(M2, NULL));
		 ASSERT_EQ(0, ipcmbox_remove(M2)); }));
}

/* Create and open in one call: every failure leaves no mailbox, no fd. */
TEST_F(fault1, control_create_open)
{
	int lowest = lowest_free_fd();

	SWEEP(({ create_args(&r.c);
		 r.c.flags = IPCMBOX_CREATE_OPEN_RECV |
			     IPCMBOX_CREATE_OPEN_SEND | IPCMBOX_CREATE_CLOEXEC;
		 ioctl(self->ctl, IPCMBOX_IOC_CREATE, &r.c); }),
	      ({ ASSERT_EQ(lowest, r.c.recv_fd);
		 ASSERT_EQ(lowest, r.c.send_fd);
		 ASSERT_EQ(0, send_str(r.c.send_fd, "delta", 0));
		 ASSERT_EQ(1, IPCMBOX_STAT(M2, depth));
		 ASSERT_EQ(0, close(r.c.recv_fd));
		 ASSERT_EQ(0, ipcmbox_remove(M2)); }),
	      ({ ASSERT_EQ(-1, IPCMBOX_STAT(M2, capacity));
		 ASSERT_EQ(ENOENT, errno);
		 ASSERT_EQ(lowest, lowest_free_fd());
		 ASSERT_EQ(0, ipcmbox_create(M2, NULL));
		 ASSERT_EQ(0, ipcmbox_remove(M2)); }));
}

TEST_F(fault1, control_remove)
{
	SWEEP(({ struct ipcmbox_name nm = { .size = sizeof(nm), .name = M };
		 ioctl(self->ctl, IPCMBOX_IOC_REMOVE, &nm); }),
	      ({ ASSERT_EQ(-1, IPCMBOX_STAT(M, depth));
		 ASSERT_EQ(EIDRM, ({ char b[8]; read(self->fd, b, 8) < 0 ?
					errno : 0; })); }),
	      ({ ASSERT_EQ(2, IPCMBOX_STAT(M, depth));
		 QUEUE_IS("alpha,bravo"); }));
}

TEST_F(fault1, control_pair)
{
	int lowest = lowest_free_fd();

	SWEEP(({ memset(&r.c, 0, sizeof(r.c)); r.c.size = sizeof(r.c);
		 r.c.flags = IPCMBOX_PAIR_CLOEXEC;
		 ioctl(self->ctl, IPCMBOX_IOC_PAIR, &r.c); }),
	      ({ char b[8];
		 ASSERT_EQ(0, send_str(r.c.send_fd, "x", 0));
		 ASSERT_EQ(1, read(r.c.recv_fd, b, sizeof(b)));
		 close(r.c.send_fd);
		 ASSERT_EQ(0, read(r.c.recv_fd, b, sizeof(b)));
		 close(r.c.recv_fd);
		 ASSERT_EQ(lowest, lowest_free_fd()); }),
	      ASSERT_EQ(lowest, lowest_free_fd()));
}

TEST_F(fault1, control_stat_name)
{
	SWEEP(({ memset(&r.st, 0, sizeof(r.st)); r.st.size = sizeof(r.st);
		 strcpy(r.st.name, M);
		 ioctl(self->ctl, IPCMBOX_IOC_STAT_NAME, &r.st); }),
	      ({ ASSERT_EQ(2, r.st.depth); QUEUE_IS("alpha,bravo"); }),
	      QUEUE_IS("alpha,bravo"));
}

TEST_F(fault1, control_stat_next)
{
	SWEEP(({ memset(&r.st, 0, sizeof(r.st)); r.st.size = sizeof(r.st);
		 r.st.flags = IPCMBOX_STAT_NEXT;
		 ioctl(self->ctl, IPCMBOX_IOC_STAT_NAME, &r.st); }),
	      ({ ASSERT_STREQ(M, r.st.name); QUEUE_IS("alpha,bravo"); }),
	      QUEUE_IS("alpha,bravo"));
}

/* How many 64-byte messages fit in the empty unbounded M; drains it. */
static int fill_count(int fd)
{
	static const char big[64];
	int n = 0;

	while (write(fd, big, sizeof(big)) == sizeof(big))
		n++;
	if (errno != ENOBUFS)
		return -1;
	while (ipcmbox_recv(fd, NULL, 0, &(struct ipcmbox_opts){
			.flags = IPCMBOX_IO_TRUNC }, NULL) == 0)
		;
	return n;
}

/*
 * A faulted send into an unbounded mailbox gives its byte charge back:
 * with user_bytes_max at 4096, as many messages fit after the sweep as
 * before it.
 */
TEST_F(fault1, unbounded_send_keeps_quota)
{
	const char *param = IPCMBOX_SYSFS_MODULE "/parameters/user_bytes_max";
	static char big[64];
	int before, after;

	memset(big, 'q', sizeof(big));
	self->capacity = IPCMBOX_CAP_UNBOUNDED;
	ASSERT_EQ(0, fresh(&self->fd, self->capacity));
	QUEUE_IS("alpha,bravo");
	ASSERT_EQ(0, write_file(param, "4096"));
	before = fill_count(self->fd);
	ASSERT_LT(0, before);
	SWEEP(write(self->fd, big, sizeof(big)),
	      ASSERT_EQ(64, r.ret), QUEUE_IS("alpha,bravo"));
	ASSERT_EQ(0, fresh(&self->fd, self->capacity));
	QUEUE_IS("alpha,bravo");
	after = fill_count(self->fd);
	ASSERT_EQ(0, write_file(param, "67108864"));
	ASSERT_EQ(before, after);
}

/* A receiver thread blocked on a rendezvous mailbox for a faulted send. */
struct rcv {
	int fd;
	ssize_t n;
	char buf[16];
};

static void *receiver(void *arg)
{
	struct rcv *rc = arg;

	rc->n = read(rc->fd, rc->buf, sizeof(rc->buf) - 1);
	if (rc->n >= 0)
		rc->buf[rc->n] = '\0';
	return NULL;
}

TEST_F(fault1, rendezvous_hand_off)
{
	unsigned int n;
	int fired = 1;

	for (n = 1; fired && n <= MAX_SITES; n++) {
		struct ipcmbox_attr a = { .set = IPCMBOX_SET_CAPACITY };
		struct rcv rc = { .n = -2 };
		pthread_t t;
		ssize_t ret;
		int err;

		ipcmbox_remove(M2);
		ASSERT_EQ(0, ipcmbox_create(M2, &a));
		rc.fd = ipcmbox_open(M2, O_RDWR);
		ASSERT_LE(0, rc.fd);
		ASSERT_EQ(0, pthread_create(&t, NULL, receiver, &rc));
		ASSERT_TRUE(IPCMBOX_WAIT_FOR(IPCMBOX_STAT(M2, recv_waiting) == 1));
		ASSERT_EQ(0, nth_set(self->nth, n));
		ret = write(rc.fd, "handed", 6);
		err = errno;
		fired = nth_fired(self->nth);
		self->sites += fired;
		if (ret < 0) {
			ASSERT_TRUE(fired && (err == ENOMEM || err == EFAULT));
			/* Not sent: the receiver still waits, and gets the next. */
			ASSERT_EQ(1, IPCMBOX_STAT(M2, recv_waiting));
			ASSERT_EQ(6, write(rc.fd, "second", 6));
			pthread_join(t, NULL);
			ASSERT_STREQ("second", rc.buf);
		} else {
			pthread_join(t, NULL);
			ASSERT_STREQ("handed", rc.buf);
		}
		ASSERT_EQ(0, IPCMBOX_STAT(M2, depth));
		close(rc.fd);
	}
	ASSERT_FALSE(fired);
}

/*
 * The region sweeps.  The state fresh() makes: queue "delta" (by
 * reference), "alpha", "bravo"; two pages in chunks, one carried by
 * "delta", one (fresh_held) held by the fd.
 */
#define REFS_INTACT() do {						\
	ASSERT_EQ(2 * PG, region_used(self->fd));			\
	QUEUE_IS("delta,alpha,bravo");					\
	ASSERT_EQ(PG, region_used(self->fd));				\
	ASSERT_EQ(0, ipcmbox_release(self->fd, &fresh_held, 1));	\
	ASSERT_EQ(0, region_used(self->fd));				\
} while (0)

TEST_F(fault_region, create_with_region)
{
	SWEEP(({ create_args(&r.c); r.c.set |= IPCMBOX_SET_REGION;
		 r.c.region_size = 8 * PG;
		 ioctl(self->ctl, IPCMBOX_IOC_CREATE, &r.c); }),
	      ({ ASSERT_EQ(8 * PG, IPCMBOX_STAT(M2, region_size));
		 ASSERT_EQ(0, ipcmbox_remove(M2)); REFS_INTACT(); }),
	      ({ ASSERT_EQ(-1, IPCMBOX_STAT(M2, region_size));
		 ASSERT_EQ(ENOENT, errno); REFS_INTACT(); }));
}

TEST_F(fault_region, alloc)
{
	struct ipcmbox_chunk cs[2];

	SWEEP(ipcmbox_alloc(self->fd, PG, cs, 2, NULL),
	      ({ ASSERT_EQ(2, r.ret); ASSERT_EQ(4 * PG, region_used(self->fd));
		 ASSERT_EQ(0, ipcmbox_release(self->fd, cs, 2));
		 REFS_INTACT(); }),
	      REFS_INTACT());
}

TEST_F(fault_region, send_by_reference)
{
	SWEEP(ipcmbox_send_ref(self->fd, &fresh_held, 4, NULL, NULL),
	      ({ ASSERT_EQ(0, r.ret); QUEUE_IS("delta,alpha,bravo,echo");
		 ASSERT_EQ(0, region_used(self->fd)); }),
	      REFS_INTACT());
}

TEST_F(fault_region, receive_by_reference)
{
	struct ipcmbox_chunk got;

	SWEEP(ipcmbox_recv_ref(self->fd, NULL, 0, NULL, NULL, &got),
	      ({ ASSERT_EQ(5, r.ret); ASSERT_EQ(fresh_sent.offset, got.offset);
		 ASSERT_EQ(2 * PG, region_used(self->fd));
		 QUEUE_IS("alpha,bravo");
		 ASSERT_EQ(0, ipcmbox_release(self->fd, &got, 1));
		 ASSERT_EQ(0, ipcmbox_release(self->fd, &fresh_held, 1));
		 ASSERT_EQ(0, region_used(self->fd)); }),
	      REFS_INTACT());
}

TEST_F(fault_region, read_copies_a_reference)
{
	SWEEP(read(self->fd, r.buf, sizeof(r.buf)),
	      ({ ASSERT_EQ(5, r.ret); ASSERT_EQ(0, memcmp(r.buf, "delta", 5));
		 ASSERT_EQ(PG, region_used(self->fd));
		 QUEUE_IS("alpha,bravo"); }),
	      REFS_INTACT());
}

TEST_F(fault_region, release)
{
	SWEEP(ipcmbox_release(self->fd, &fresh_held, 1),
	      ({ ASSERT_EQ(0, r.ret); ASSERT_EQ(PG, region_used(self->fd));
		 QUEUE_IS("delta,alpha,bravo");
		 ASSERT_EQ(0, region_used(self->fd)); }),
	      REFS_INTACT());
}

TEST_F(fault_region, region_fd)
{
	int lowest = lowest_free_fd();

	SWEEP(({ struct ipcmbox_region_fd rf = { .size = sizeof(rf) };
		 ioctl(self->fd, IPCMBOX_IOC_REGION_FD, &rf) ? -1 :
		 (r.fd = rf.fd); }),
	      ({ void *p = mmap(NULL, PG, PROT_READ, MAP_SHARED, r.fd, 0);
		 ASSERT_NE(MAP_FAILED, p);
		 munmap(p, PG);
		 REFS_INTACT(); }),
	      ({ ASSERT_EQ(lowest, lowest_free_fd()); REFS_INTACT(); }));
}

TEST_F(fault_region, mmap)
{
	char *p = MAP_FAILED;

	/*
	 * Only the mmap is swept: a failed page-table allocation in a
	 * fault would be the OOM path's, not the module's.
	 */
	SWEEP(({ p = mmap(NULL, 4 * PG, PROT_READ, MAP_SHARED, self->fd, 0);
		 p == MAP_FAILED ? -1 : 0; }),
	      ({ ASSERT_EQ(0, memcmp(p + fresh_held.offset, "echo", 4));
		 ASSERT_EQ(0, munmap(p, 4 * PG)); REFS_INTACT(); }),
	      REFS_INTACT());
}

int main(int argc, char **argv)
{
	/* One skip for the program, not one per case, on stock kernels. */
	if (access("/proc/self/fail-nth", F_OK)) {
		ksft_print_header();
		ksft_exit_skip("no fail-nth: kernel without CONFIG_FAULT_INJECTION\n");
	}
	return test_harness_run(argc, argv);
}
