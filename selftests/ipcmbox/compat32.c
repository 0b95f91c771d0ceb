// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ABI from a 32-bit process: built with -m32 -static, it makes every
 * ioctl with the structures of include/uapi/linux/ipcmbox.h as i386 lays
 * them out (__u64 aligned to 4), through the kernel's compat entry points.
 * The ioctl numbers encode the structure sizes, so a layout that differs
 * between the ABIs fails here with ENOTTY; pointers are __u64 and must
 * reach the kernel whole.  Raw system calls only: libipcmbox is built for
 * 64 bits.  compat_test.sh runs it, and skips when the kernel runs no
 * 32-bit programs (the exec fails before main).
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include <linux/ipcmbox.h>

#define CONTROL	"/dev/ipcmbox/control"
#define NAME	"compat32"
#define NODE	"/dev/ipcmbox/" NAME

_Static_assert(sizeof(void *) == 4, "compat32 must be built with -m32");
_Static_assert(sizeof(struct ipcmbox_info) == IPCMBOX_INFO_SIZE_VER0, "info layout");
_Static_assert(sizeof(struct ipcmbox_create) == IPCMBOX_CREATE_SIZE_VER0, "create layout");
_Static_assert(sizeof(struct ipcmbox_name) == IPCMBOX_NAME_SIZE_VER0, "name layout");
_Static_assert(sizeof(struct ipcmbox_config) == IPCMBOX_CONFIG_SIZE_VER0, "config layout");
_Static_assert(sizeof(struct ipcmbox_stat) == IPCMBOX_STAT_SIZE_VER1, "stat layout");
_Static_assert(offsetof(struct ipcmbox_stat, send_time) == 224, "stat v1 layout");
_Static_assert(sizeof(struct ipcmbox_owner) == IPCMBOX_OWNER_SIZE_VER0, "owner layout");
_Static_assert(sizeof(struct ipcmbox_io) == IPCMBOX_IO_SIZE_VER0, "io layout");
_Static_assert(sizeof(struct ipcmbox_batch) == IPCMBOX_BATCH_SIZE_VER0, "batch layout");

static uint64_t ptr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

FIXTURE(compat) {
	int control;
	int fd;
};

FIXTURE_SETUP(compat)
{
	struct ipcmbox_create c = {
		.size = sizeof(c), .set = IPCMBOX_SET_CAPACITY, .capacity = 4,
		.name = NAME,
	};

	self->fd = -1;
	self->control = open(CONTROL, O_RDWR | O_CLOEXEC);
	if (self->control < 0)
		SKIP(return, "no %s: module not loaded", CONTROL);
	ASSERT_EQ(0, ioctl(self->control, IPCMBOX_IOC_CREATE, &c));
	self->fd = open(NODE, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(compat)
{
	struct ipcmbox_name n = { .size = sizeof(n), .name = NAME };

	if (self->fd >= 0)
		close(self->fd);
	if (self->control >= 0) {
		ioctl(self->control, IPCMBOX_IOC_REMOVE, &n);
		close(self->control);
	}
}

TEST_F(compat, info_reports_the_abi)
{
	struct ipcmbox_info info = { .size = sizeof(info) };

	ASSERT_EQ(0, ioctl(self->control, IPCMBOX_IOC_INFO, &info));
	EXPECT_EQ(IPCMBOX_ABI_VERSION, info.abi_version);
	EXPECT_EQ(IPCMBOX_NAME_MAX, info.name_max);
	EXPECT_LE(1, info.nr_mailboxes);
}

/* Every field of a send and a receive crosses intact, envelope included. */
TEST_F(compat, send_and_receive_with_envelope)
{
	static const char msg[] = "from 32 bits";
	struct ipcmbox_io s = {
		.size = sizeof(s), .buf = ptr(msg), .len = sizeof(msg),
		.type = 7, .priority = 3,
	};
	char buf[64] = { 0 };
	struct ipcmbox_io r = {
		.size = sizeof(r), .buf = ptr(buf), .len = sizeof(buf),
		.flags = IPCMBOX_IO_TIMEOUT, .timeout_ns = 5000000000LL,
		.clock = IPCMBOX_CLOCK_MONOTONIC,
	};

	ASSERT_EQ(0, ioctl(self->fd, IPCMBOX_IOC_SEND, &s));
	EXPECT_LT(0, s.seq);
	ASSERT_EQ(0, ioctl(self->fd, IPCMBOX_IOC_RECV, &r));
	EXPECT_EQ(sizeof(msg), r.msg_len);
	EXPECT_EQ(0, memcmp(buf, msg, sizeof(msg)));
	EXPECT_EQ(s.seq, r.seq);
	EXPECT_EQ(7, r.type);
	EXPECT_EQ(3, r.priority);
	EXPECT_EQ(getpid(), r.pid);
	EXPECT_EQ(getuid(), r.uid);
	EXPECT_LT(0, r.enqueue_mono_ns);
	EXPECT_LT(0, r.enqueue_real_ns);
}

/* The 64-bit pointer is taken whole: high bits set is a bad address. */
TEST_F(compat, pointer_with_high_bits_is_efault)
{
	char buf[8] = "abc";
	struct ipcmbox_io s = {
		.size = sizeof(s), .buf = ptr(buf) | (1ULL << 40), .len = 3,
	};
	struct ipcmbox_stat st = { .size = sizeof(st) };

	ASSERT_EQ(-1, ioctl(self->fd, IPCMBOX_IOC_SEND, &s));
	EXPECT_EQ(EFAULT, errno);
	ASSERT_EQ(0, ioctl(self->fd, IPCMBOX_IOC_STAT, &st));
	EXPECT_EQ(0, st.depth);
}

TEST_F(compat, stat_config_and_fionread)
{
	struct ipcmbox_config cfg = {
		.size = sizeof(cfg), .set = IPCMBOX_SET_CAPACITY, .capacity = 9,
	};
	struct ipcmbox_stat st = { .size = sizeof(st) };
	int next = -1;

	ASSERT_EQ(0, ioctl(self->fd, IPCMBOX_IOC_CONFIG, &cfg));
	ASSERT_EQ(5, write(self->fd, "hello", 5));
	ASSERT_EQ(0, ioctl(self->fd, FIONREAD, &next));
	EXPECT_EQ(5, next);
	ASSERT_EQ(0, ioctl(self->fd, IPCMBOX_IOC_STAT, &st));
	EXPECT_EQ(9, st.capacity);
	EXPECT_EQ(1, st.depth);
	EXPECT_EQ(5, st.bytes);
	EXPECT_EQ(5, st.next_len);
	EXPECT_EQ(1, st.sent);
	EXPECT_STREQ(NAME, st.name);

	memset(&st, 0, sizeof(st));
	st.size = sizeof(st);
	strcpy(st.name, NAME);
	ASSERT_EQ(0, ioctl(self->control, IPCMBOX_IOC_STAT_NAME, &st));
	EXPECT_EQ(1, st.depth);
}

TEST_F(compat, pair_returns_two_working_fds)
{
	struct ipcmbox_create c = { .size = sizeof(c) };	/* fds: out */
	char buf[8];

	ASSERT_EQ(0, ioctl(self->control, IPCMBOX_IOC_PAIR, &c));
	ASSERT_LE(0, c.send_fd);
	ASSERT_LE(0, c.recv_fd);
	ASSERT_EQ(2, write(c.send_fd, "hi", 2));
	close(c.send_fd);
	ASSERT_EQ(2, read(c.recv_fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "hi", 2));
	EXPECT_EQ(0, read(c.recv_fd, buf, sizeof(buf)));	/* end of file */
	close(c.recv_fd);
}

/* Create and open in one call (ABI 5): the fd comes back in both fields. */
TEST_F(compat, create_opens_in_the_same_call)
{
	struct ipcmbox_create c = {
		.size = sizeof(c), .name = NAME "-fd",
		.flags = IPCMBOX_CREATE_OPEN_RECV | IPCMBOX_CREATE_OPEN_SEND |
			 IPCMBOX_CREATE_CLOEXEC,
	};
	struct ipcmbox_name n = { .size = sizeof(n), .name = NAME "-fd" };
	char buf[8] = { 0 };

	ASSERT_EQ(0, ioctl(self->control, IPCMBOX_IOC_CREATE, &c));
	ASSERT_LE(0, c.recv_fd);
	EXPECT_EQ(c.recv_fd, c.send_fd);
	EXPECT_EQ(2, write(c.send_fd, "fd", 2));
	EXPECT_EQ(2, read(c.recv_fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "fd", 2));
	close(c.recv_fd);
	EXPECT_EQ(0, ioctl(self->control, IPCMBOX_IOC_REMOVE, &n));
}

/*
 * Batches: the array of entries is reached through a __u64, and each
 * entry's outputs come back to the 32-bit array in place.
 */
TEST_F(compat, batches_cross_whole)
{
	static const char *const text[3] = { "one", "two", "three" };
	struct ipcmbox_io s[3], r[4];
	char buf[4][16];
	struct ipcmbox_batch b = {
		.size = sizeof(b), .msgs = ptr(s), .count = 3,
		.stride = sizeof(s[0]),
	};
	int i;

	memset(s, 0, sizeof(s));
	memset(r, 0, sizeof(r));
	for (i = 0; i < 3; i++) {
		s[i].size = sizeof(s[i]);
		s[i].buf = ptr(text[i]);
		s[i].len = strlen(text[i]);
		s[i].type = 10 + i;
	}
	ASSERT_EQ(3, ioctl(self->fd, IPCMBOX_IOC_SEND_BATCH, &b));
	EXPECT_EQ(0, b.error);
	EXPECT_EQ(s[0].seq + 2, s[2].seq);
	for (i = 0; i < 4; i++) {
		r[i].size = sizeof(r[i]);
		r[i].buf = ptr(buf[i]);
		r[i].len = sizeof(buf[i]);
	}
	b.msgs = ptr(r);
	b.count = 4;
	b.flags = IPCMBOX_IO_NONBLOCK;
	ASSERT_EQ(3, ioctl(self->fd, IPCMBOX_IOC_RECV_BATCH, &b));
	EXPECT_EQ(0, b.error);
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(strlen(text[i]), r[i].len);
		EXPECT_EQ(0, memcmp(buf[i], text[i], r[i].len));
		EXPECT_EQ(10 + i, r[i].type);
		EXPECT_EQ(s[i].seq, r[i].seq);
		EXPECT_EQ(getpid(), r[i].pid);
	}
	/* A high bit in the array's address is EFAULT, nothing moved. */
	b.msgs = ptr(r) | (1ULL << 40);
	b.flags = 0;
	b.count = 1;
	EXPECT_EQ(-1, ioctl(self->fd, IPCMBOX_IOC_SEND_BATCH, &b));
	EXPECT_EQ(EFAULT, errno);
}

TEST_HARNESS_MAIN
