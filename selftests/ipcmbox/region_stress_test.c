// SPDX-License-Identifier: GPL-2.0-only
/*
 * Messages by reference under kill -9.  Four producer and four consumer
 * processes share a bounded mailbox with a region, each through an fd of
 * its own.  A producer allocates a chunk, writes a message (its id, a
 * sequence number, a length and a checksum over a random payload) and
 * sends it by reference; a consumer receives by reference, checks the
 * message in place, and releases the chunk, sometimes only after holding
 * a few.  Meanwhile the parent kills a random participant with SIGKILL
 * every few tens of milliseconds (wherever it is: blocked in ALLOC or a
 * send, holding chunks, between a receive and its release) and starts a
 * new one.  At the end every participant is killed too.
 *
 * Then: no message was torn, in place or copied out; the parent drains
 * the queue by copy, checking each message; and the region is free
 * again: every chunk a killed process held came back.  Progress is
 * required too (leaked chunks would starve the producers).  The run is
 * bounded by time: 8 s, or 20 s with IPCMBOX_PROFILE=long.
 */
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "ipcmbox_test.h"

#define M		"rstress"
#define PG		4096
#define REGION		(32 * PG)
#define PRODUCERS	4
#define CONSUMERS	4
#define MAGIC		0x6673657274736572ULL
#define HELD_MAX	3

struct msg_hdr {
	uint64_t magic;
	uint32_t producer;
	uint32_t seq;
	uint32_t len;		/* of the whole message */
	uint32_t sum;
};

struct shared {
	atomic_ulong sent, received, torn, errors, drained;
	atomic_int last_errno;
};

static struct shared *sh;

static uint32_t rnd(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

/* The checksum of a message's bytes after its header. */
static uint32_t sum_of(const unsigned char *p, size_t len)
{
	return ipcmbox_test_fnv1a(p + sizeof(struct msg_hdr), len - sizeof(struct msg_hdr));
}

/* Whether @p holds a whole message of @len bytes. */
static bool whole(const unsigned char *p, size_t len)
{
	struct msg_hdr h;

	if (len < sizeof(h))
		return false;
	memcpy(&h, p, sizeof(h));
	return h.magic == MAGIC && h.len == len && h.producer < PRODUCERS &&
	       h.sum == sum_of(p, len);
}

static void error(int err)
{
	atomic_fetch_add(&sh->errors, 1);
	atomic_store(&sh->last_errno, err);
}

static bool expected(int err)
{
	return err == ETIMEDOUT || err == EINTR || err == EAGAIN;
}

static const struct ipcmbox_opts wait_100ms = {
	.flags = IPCMBOX_IO_TIMEOUT, .timeout_ns = 100000000,
};

static void producer(uint32_t id)
{
	uint32_t seq = 0, s = id * 7919 + (uint32_t)getpid();
	struct ipcmbox_chunk c;
	struct ipcmbox_map map;
	struct msg_hdr h;
	unsigned char *p;
	size_t len, i;
	int fd;

	/* A send-only fd: mapped through a region fd. */
	fd = ipcmbox_open(M, O_WRONLY);
	if (fd < 0 || ipcmbox_region_map(fd, &map))
		_exit(1);
	for (;;) {
		len = sizeof(struct msg_hdr) + rnd(&s) % (3 * PG - 32);
		if (ipcmbox_alloc(fd, len, &c, 1, &wait_100ms) != 1) {
			if (!expected(errno))
				error(errno);
			continue;
		}
		p = ipcmbox_chunk_ptr(&map, &c);
		for (i = sizeof(struct msg_hdr); i < len; i++)
			p[i] = (unsigned char)rnd(&s);
		h = (struct msg_hdr){ .magic = MAGIC, .producer = id,
			.seq = seq, .len = (uint32_t)len,
			.sum = sum_of(p, len) };
		memcpy(p, &h, sizeof(h));
		seq++;
		while (ipcmbox_send_ref(fd, &c, len, &wait_100ms, NULL)) {
			if (!expected(errno)) {
				error(errno);
				ipcmbox_release(fd, &c, 1);
				break;
			}
		}
		atomic_fetch_add(&sh->sent, 1);
	}
}

static void consumer(uint32_t id)
{
	struct ipcmbox_chunk held[HELD_MAX];
	uint32_t s = id * 104729 + (uint32_t)getpid();
	unsigned int nheld = 0;
	struct ipcmbox_map map;
	ssize_t n;
	int fd;

	fd = ipcmbox_open(M, O_RDONLY);
	if (fd < 0 || ipcmbox_region_map(fd, &map))
		_exit(1);
	for (;;) {
		n = ipcmbox_recv_ref(fd, NULL, 0, &wait_100ms, NULL,
				     &held[nheld]);
		if (n < 0) {
			if (!expected(errno))
				error(errno);
			continue;
		}
		if (held[nheld].offset == IPCMBOX_NO_CHUNK ||
		    !whole(ipcmbox_chunk_ptr(&map, &held[nheld]), (size_t)n))
			atomic_fetch_add(&sh->torn, 1);
		else
			atomic_fetch_add(&sh->received, 1);
		/* Hold up to HELD_MAX, then give them all back at once. */
		if (++nheld == HELD_MAX || rnd(&s) % 2) {
			if (ipcmbox_release(fd, held, nheld))
				error(errno);
			nheld = 0;
		}
	}
}

static pid_t spawn(bool is_producer, uint32_t id)
{
	pid_t pid = fork();

	if (pid == 0) {
		if (is_producer)
			producer(id);
		else
			consumer(id);
		_exit(0);
	}
	return pid;
}

static bool long_profile(void)
{
	const char *p = getenv("IPCMBOX_PROFILE");

	return p && !strcmp(p, "long");
}

FIXTURE(rstress) {
	int unused;
};

FIXTURE_SETUP(rstress) { }
FIXTURE_TEARDOWN(rstress) { }

TEST_F_TIMEOUT(rstress, four_by_four_by_reference_under_kill_9, 300)
{
	pid_t pids[PRODUCERS + CONSUMERS];
	struct ipcmbox_attr a = {
		.set = IPCMBOX_SET_CAPACITY | IPCMBOX_SET_MAX_MSG |
		       IPCMBOX_SET_REGION,
		.capacity = 16, .max_msg = 3 * PG, .region_size = REGION,
	};
	const struct ipcmbox_opts nb = {
		.flags = IPCMBOX_IO_NONBLOCK | IPCMBOX_IO_TRUNC,
	};
	static unsigned char buf[3 * PG];
	long long end, kills = 0;
	struct ipcmbox_stat st;
	uint32_t s = (uint32_t)getpid();
	unsigned int i, k;
	ssize_t n;
	int fd;

	if (getuid() != 0)
		SKIP(return, "needs root to load the module");
	if (!ipcmbox_test_loaded())
		ASSERT_EQ(0, ipcmbox_test_load(""));
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, sh);
	ipcmbox_remove(M);
	ASSERT_EQ(0, ipcmbox_create(M, &a));
	/* The parent's own fd never holds a chunk. */
	fd = ipcmbox_open(M, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, fd);

	for (i = 0; i < PRODUCERS + CONSUMERS; i++) {
		pids[i] = spawn(i < PRODUCERS, i % PRODUCERS);
		ASSERT_LT(0, pids[i]);
	}
	end = ipcmbox_test_now_ns(CLOCK_MONOTONIC) +
	      (long_profile() ? 20 : 8) * 1000000000LL;
	while (ipcmbox_test_now_ns(CLOCK_MONOTONIC) < end) {
		usleep(10000 + rnd(&s) % 90000);
		k = rnd(&s) % (PRODUCERS + CONSUMERS);
		kill(pids[k], SIGKILL);
		ASSERT_EQ(128 + SIGKILL, ipcmbox_test_child_status(pids[k]));
		kills++;
		pids[k] = spawn(k < PRODUCERS, k % PRODUCERS);
		ASSERT_LT(0, pids[k]);
	}
	for (i = 0; i < PRODUCERS + CONSUMERS; i++) {
		kill(pids[i], SIGKILL);
		ASSERT_EQ(128 + SIGKILL, ipcmbox_test_child_status(pids[i]));
	}

	/* Whatever is still queued comes out whole, by copy. */
	while ((n = ipcmbox_recv(fd, buf, sizeof(buf), &nb, NULL)) >= 0) {
		if (!whole(buf, (size_t)n))
			atomic_fetch_add(&sh->torn, 1);
		atomic_fetch_add(&sh->drained, 1);
	}
	EXPECT_EQ(EAGAIN, errno);
	ASSERT_EQ(0, ipcmbox_stat(fd, &st));
	TH_LOG("%lld kills; %lu sent, %lu received in place, %lu drained; "
	       "region %llu of %llu bytes in use", kills,
	       atomic_load(&sh->sent), atomic_load(&sh->received),
	       atomic_load(&sh->drained),
	       (unsigned long long)st.region_used,
	       (unsigned long long)st.region_size);
	EXPECT_EQ(0, atomic_load(&sh->torn));
	EXPECT_EQ(0, atomic_load(&sh->errors))
		TH_LOG("last error: %s", strerror(atomic_load(&sh->last_errno)));
	EXPECT_EQ(0, st.depth);
	EXPECT_EQ(0, st.region_used);
	EXPECT_LT(0, atomic_load(&sh->received));
	EXPECT_LT(0, kills);
	/* The region still serves: a chunk of all of it can be had. */
	close(fd);
	fd = ipcmbox_open(M, O_WRONLY);
	ASSERT_LE(0, fd);
	{
		struct ipcmbox_chunk all;

		const struct ipcmbox_opts now = { .flags = IPCMBOX_IO_NONBLOCK };

		EXPECT_EQ(1, ipcmbox_alloc(fd, REGION, &all, 1, &now));
	}
	close(fd);
	EXPECT_EQ(0, ipcmbox_remove(M));
	munmap(sh, sizeof(*sh));
}

TEST_HARNESS_MAIN
