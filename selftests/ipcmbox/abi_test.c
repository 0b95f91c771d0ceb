// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ioctl ABI, called raw: frozen numbers and sizes, size-versioned
 * structures (short, long with zero and non-zero tails), unknown flags and
 * set bits, non-zero reserved and output fields, names that are not
 * NUL-terminated, bad pointers, and calls on the wrong kind of node.
 * Every rejected call must leave the mailbox and its message untouched.
 */
#include <stddef.h>
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "ipcmbox_test.h"

#define M	"abi"

FIXTURE(abi) {
	int ctl;
	int fd;
};

FIXTURE_SETUP(abi)
{
	struct ipcmbox_attr a = { .set = IPCMBOX_SET_CAPACITY, .capacity = 4 };

	self->ctl = self->fd = -1;
	if (getuid() != 0)
		SKIP(return, "needs root to reload the module");
	ASSERT_EQ(0, ipcmbox_test_reload(""));
	self->ctl = ipcmbox_control_open();
	ASSERT_LE(0, self->ctl);
	ASSERT_EQ(0, ipcmbox_create(M, &a));
	self->fd = ipcmbox_open(M, O_RDWR);
	ASSERT_LE(0, self->fd);
	/* The message every rejected call must leave alone. */
	ASSERT_EQ(0, ipcmbox_send(self->fd, "keep", 4, NULL, NULL));
}

FIXTURE_TEARDOWN(abi)
{
	char buf[8];

	if (self->fd >= 0) {
		EXPECT_EQ(1, IPCMBOX_STAT(M, depth));
		EXPECT_EQ(4, read(self->fd, buf, sizeof(buf)));
		EXPECT_EQ(0, memcmp(buf, "keep", 4));
		close(self->fd);
	}
	if (self->ctl >= 0)
		close(self->ctl);
	ipcmbox_remove(M);
}

static void create_init(struct ipcmbox_create *c, const char *name)
{
	memset(c, 0, sizeof(*c));
	c->size = sizeof(*c);
	strcpy(c->name, name);
}

static void io_init(struct ipcmbox_io *io, void *buf, size_t len)
{
	memset(io, 0, sizeof(*io));
	io->size = sizeof(*io);
	io->buf = (uintptr_t)buf;
	io->len = len;
	io->flags = IPCMBOX_IO_NONBLOCK;
}

/* ioctl returning errno, 0 on success. */
static int xioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? errno : 0;
}

TEST_F(abi, numbers_and_sizes_are_frozen)
{
	EXPECT_EQ(0xc040bc00UL, (unsigned long)IPCMBOX_IOC_INFO);
	EXPECT_EQ(0x4080bc01UL, (unsigned long)IPCMBOX_IOC_CREATE);
	EXPECT_EQ(0x4048bc02UL, (unsigned long)IPCMBOX_IOC_REMOVE);
	EXPECT_EQ(0xc080bc03UL, (unsigned long)IPCMBOX_IOC_PAIR);
	EXPECT_EQ(0xc0d8bc04UL, (unsigned long)IPCMBOX_IOC_STAT_NAME);
	EXPECT_EQ(0xc080bc10UL, (unsigned long)IPCMBOX_IOC_SEND);
	EXPECT_EQ(0xc080bc11UL, (unsigned long)IPCMBOX_IOC_RECV);
	EXPECT_EQ(0xc0d8bc12UL, (unsigned long)IPCMBOX_IOC_STAT);
	EXPECT_EQ(0x4030bc13UL, (unsigned long)IPCMBOX_IOC_CONFIG);
	EXPECT_EQ(0xc040bc14UL, (unsigned long)IPCMBOX_IOC_SEND_BATCH);
	EXPECT_EQ(0xc040bc15UL, (unsigned long)IPCMBOX_IOC_RECV_BATCH);
	EXPECT_EQ(0xc040bc30UL, (unsigned long)IPCMBOX_IOC_ALLOC);
	EXPECT_EQ(0x4040bc31UL, (unsigned long)IPCMBOX_IOC_RELEASE);
	EXPECT_EQ(0xc020bc32UL, (unsigned long)IPCMBOX_IOC_REGION_FD);
	EXPECT_EQ(128, sizeof(struct ipcmbox_create));
	EXPECT_EQ(72, sizeof(struct ipcmbox_name));
	EXPECT_EQ(48, sizeof(struct ipcmbox_config));
	EXPECT_EQ(248, sizeof(struct ipcmbox_stat));
	/* ABI v6 appended fields; the calls' numbers keep the first size. */
	EXPECT_EQ(IPCMBOX_STAT_SIZE_VER0,
		  offsetof(struct ipcmbox_stat, send_pid));
	EXPECT_EQ(IPCMBOX_STAT_SIZE_VER1, sizeof(struct ipcmbox_stat));
	EXPECT_EQ(224, offsetof(struct ipcmbox_stat, send_time));
	EXPECT_EQ(240, offsetof(struct ipcmbox_stat, change_time));
	EXPECT_EQ(IPCMBOX_OWNER_SIZE_VER0, sizeof(struct ipcmbox_owner));
	EXPECT_EQ(24, sizeof(struct ipcmbox_owner));
	EXPECT_EQ(0x4018bc16UL, (unsigned long)IPCMBOX_IOC_SET_OWNER);
	EXPECT_EQ(128, sizeof(struct ipcmbox_io));
	EXPECT_EQ(152, offsetof(struct ipcmbox_stat, name));
	/* ABI v3 took reserved fields, at their old offsets. */
	EXPECT_EQ(96, offsetof(struct ipcmbox_io, ref_offset));
	EXPECT_EQ(104, offsetof(struct ipcmbox_io, msg_flags));
	EXPECT_EQ(112, offsetof(struct ipcmbox_io, reserved));
	EXPECT_EQ(40, offsetof(struct ipcmbox_create, region_size));
	EXPECT_EQ(120, offsetof(struct ipcmbox_stat, region_size));
	EXPECT_EQ(128, offsetof(struct ipcmbox_stat, region_used));
	EXPECT_EQ(16, sizeof(struct ipcmbox_chunk));
	EXPECT_EQ(IPCMBOX_CHUNKS_SIZE_VER0, sizeof(struct ipcmbox_chunks));
	EXPECT_EQ(IPCMBOX_REGION_FD_SIZE_VER0,
		  sizeof(struct ipcmbox_region_fd));
	EXPECT_EQ(IPCMBOX_BATCH_SIZE_VER0, sizeof(struct ipcmbox_batch));
	EXPECT_EQ(64, sizeof(struct ipcmbox_batch));
	EXPECT_EQ(8, offsetof(struct ipcmbox_batch, msgs));
	EXPECT_EQ(28, offsetof(struct ipcmbox_batch, error));
	EXPECT_EQ(32, offsetof(struct ipcmbox_batch, timeout_ns));
	/* ABI v7 took a reserved field, at its old offset. */
	EXPECT_EQ(40, offsetof(struct ipcmbox_batch, len));
	EXPECT_EQ(48, offsetof(struct ipcmbox_batch, reserved));
	EXPECT_EQ(1U << 17, IPCMBOX_BATCH_PACKED);
	EXPECT_EQ(16, sizeof(struct ipcmbox_packed_send));
	EXPECT_EQ(4, offsetof(struct ipcmbox_packed_send, priority));
	EXPECT_EQ(6, offsetof(struct ipcmbox_packed_send, flags));
	EXPECT_EQ(8, offsetof(struct ipcmbox_packed_send, type));
	EXPECT_EQ(56, sizeof(struct ipcmbox_packed_recv));
	EXPECT_EQ(6, offsetof(struct ipcmbox_packed_recv, msg_flags));
	EXPECT_EQ(16, offsetof(struct ipcmbox_packed_recv, seq));
	EXPECT_EQ(24, offsetof(struct ipcmbox_packed_recv, enqueue_mono_ns));
	EXPECT_EQ(40, offsetof(struct ipcmbox_packed_recv, pid));
	EXPECT_EQ(52, offsetof(struct ipcmbox_packed_recv, gid));
	EXPECT_EQ(8, IPCMBOX_PACKED_ALIGN);
	EXPECT_EQ(24, IPCMBOX_PACKED_SIZE(16, 1));
	EXPECT_EQ(16, IPCMBOX_PACKED_SIZE(16, 0));
	EXPECT_EQ(64, IPCMBOX_PACKED_SIZE(56, 8));
	/* It must fit the 16-byte command area of a 64-byte SQE. */
	EXPECT_EQ(16, sizeof(struct ipcmbox_uring_cmd));
}

TEST_F(abi, info_reports_every_feature)
{
	struct ipcmbox_info info;

	ASSERT_EQ(0, ipcmbox_get_info(self->ctl, &info));
	EXPECT_EQ(IPCMBOX_ABI_VERSION, info.abi_version);
	EXPECT_EQ(7, info.abi_version);
	EXPECT_EQ(IPCMBOX_FEAT_CREATE | IPCMBOX_FEAT_PAIR | IPCMBOX_FEAT_MSG |
		  IPCMBOX_FEAT_STAT | IPCMBOX_FEAT_CONFIG | IPCMBOX_FEAT_REGION |
		  IPCMBOX_FEAT_BATCH | IPCMBOX_FEAT_URING_CMD |
		  IPCMBOX_FEAT_CREATE_OPEN | IPCMBOX_FEAT_OWNER |
		  IPCMBOX_FEAT_PACKED, info.features);
	EXPECT_EQ(1ULL << 8, IPCMBOX_FEAT_CREATE_OPEN);
	EXPECT_EQ(1ULL << 9, IPCMBOX_FEAT_OWNER);
	EXPECT_EQ(1ULL << 10, IPCMBOX_FEAT_PACKED);
	EXPECT_EQ(1U << 2, IPCMBOX_CREATE_OPEN_RECV);
	EXPECT_EQ(1U << 3, IPCMBOX_CREATE_OPEN_SEND);
	EXPECT_EQ(1, info.nr_mailboxes);
}

TEST_F(abi, create_rejects_bad_structures)
{
	struct {
		struct ipcmbox_create c;
		uint64_t tail;
	} big;
	struct ipcmbox_create c;

	create_init(&c, "x");
	c.size = IPCMBOX_CREATE_SIZE_VER0 - 8;
	EXPECT_EQ(EINVAL, xioctl(self->ctl, IPCMBOX_IOC_CREATE, &c));
	create_init(&c, "x");
	c.size = 8192;
	EXPECT_EQ(E2BIG, xioctl(self->ctl, IPCMBOX_IOC_CREATE, &c));
	create_init(&c, "x");
	c.reserved[1] = 1;
	EXPECT_EQ(EINVAL, xioctl(self->ctl, IPCMBOX_IOC_CREATE, &c));
	create_init(&c, "x");
	c.region_size = 4096;	/* without IPCMBOX_SET_REGION */
	EXPECT_EQ(EINVAL, xioctl(self->ctl, IPCMBOX_IOC_CREATE, &c));
	create_init(&c, "x");
	c.set = IPCMBOX_SET_REGION;	/* without a size */
	EXPECT_EQ(EINVAL, xioctl(self->ctl, IPCMBOX_IOC_CREATE, &c));
	create_init(&c, "x");
	c.set = 1U << 7;
	EXPECT_EQ(EINVAL, xioctl(self->ctl, IPCMBOX_IOC_CREATE, &c));
	create_init(&c, "x");
	c.capacity = 3;		/* without IPCMBOX_SET_CAPACITY */
	EXPECT_EQ(EINVAL, xioctl(self->ctl, IPCMBOX_IOC_CREATE, &c));
	create_init(&c, "x");
	c.flags = IPCMBOX_PAIR_CLOEXEC;	/* pair-only flag */
	EXPECT_EQ(EINVAL, xioctl(self->ctl, IPCMBOX_IOC_CREATE, &c));
	create_init(&c, "x");
	c.send_fd = 3;
	EXPECT_EQ(EINVAL, xioctl(self->ctl, IPCMBOX_IOC_CREATE, &c));
	create_init(&c, "x");
	c.set = IPCMBOX_SET_MODE;
	c.mode = 01777;
	EXPECT_EQ(EINVAL, xioctl(self->ctl, IPCMBOX_IOC_CREATE, &c));
	create_init(&c, "x");
	c.set = IPCMBOX_SET_CAPACITY | IPCMBOX_SET_MAX_BYTES;
	c.capacity = 0;
	c.max_bytes = 100;	/* only bounded mailboxes have a byte limit */
	EXPECT_EQ(EINVAL, xioctl(self->ctl, IPCMBOX_IOC_CREATE, &c));
	create_init(&c, "x");
	c.set = IPCMBOX_SET_MAX_MSG;
	c.max_msg = (1U << 20) + 1;	/* above msg_size_max */
	EXPECT_EQ(EINVAL, xioctl(self->ctl, IPCMBOX_IOC_CREATE, &c));
	create_init(&c, "x");
	memset(c.name, 'n', sizeof(c.name));	/* no NUL */
	EXPECT_EQ(EINVAL, xioctl(self->ctl, IPCMBOX_IOC_CREATE, &c));
	create_init(&c, "x");
	c.name[10] = 'y';	/* garbage after the NUL */
	EXPECT_EQ(EINVAL, xioctl(self->ctl, IPCMBOX_IOC_CREATE, &c));
	create_init(&c, M);
	EXPECT_EQ(EEXIST, xioctl(self->ctl, IPCMBOX_IOC_CREATE, &c));
	

	/* A longer structure: zero tail accepted, non-zero tail E2BIG. */
	create_init(&big.c, "longer");
	big.c.size = sizeof(big);
	big.tail = 1;
	EXPECT_EQ(E2BIG, xioctl(self->ctl, IPCMBOX_IOC_CREATE, &big));
	big.tail = 0;
	EXPECT_EQ(0, xioctl(self->ctl, IPCMBOX_IOC_CREATE, &big));
	EXPECT_EQ(0, ipcmbox_remove("longer"));
}

TEST_F(abi, remove_rejects_bad_structures)
{
	struct ipcmbox_name n;

	memset(&n, 0, sizeof(n));
	n.size = sizeof(n);
	strcpy(n.name, "nosuch");
	EXPECT_EQ(ENOENT, xioctl(self->ctl, IPCMBOX_IOC_REMOVE, &n));
	n.flags = 1;
	strcpy(n.name, M);
	EXPECT_EQ(EINVAL, xioctl(self->ctl, IPCMBOX_IOC_REMOVE, &n));
	n.flags = 0;
	n.size = 8;
	EXPECT_EQ(EINVAL, xioctl(self->ctl, IPCMBOX_IOC_REMOVE, &n));
	n.size = sizeof(n);
	strcpy(n.name, "control");
	EXPECT_EQ(EINVAL, xioctl(self->ctl, IPCMBOX_IOC_REMOVE, &n));
}

TEST_F(abi, pair_rejects_names_modes_and_unknown_flags)
{
	struct ipcmbox_create c;

	create_init(&c, "named");
	EXPECT_EQ(EINVAL, xioctl(self->ctl, IPCMBOX_IOC_PAIR, &c));
	create_init(&c, "");
	c.set = IPCMBOX_SET_MODE;
	c.mode = 0600;
	EXPECT_EQ(EINVAL, xioctl(self->ctl, IPCMBOX_IOC_PAIR, &c));
	create_init(&c, "");
	c.flags = 1U << 5;
	EXPECT_EQ(EINVAL, xioctl(self->ctl, IPCMBOX_IOC_PAIR, &c));
	create_init(&c, "");
	c.recv_fd = 7;
	EXPECT_EQ(EINVAL, xioctl(self->ctl, IPCMBOX_IOC_PAIR, &c));
}

TEST_F(abi, io_rejects_bad_flags_and_fields)
{
	struct ipcmbox_io io;
	char buf[16];

	io_init(&io, "x", 1);
	io.flags |= IPCMBOX_IO_PEEK;	/* receive-only flag */
	EXPECT_EQ(EINVAL, xioctl(self->fd, IPCMBOX_IOC_SEND, &io));
	io_init(&io, "x", 1);
	io.flags |= 1U << 20;
	EXPECT_EQ(EINVAL, xioctl(self->fd, IPCMBOX_IOC_SEND, &io));
	io_init(&io, "x", 1);
	io.seq = 5;			/* output field */
	EXPECT_EQ(EINVAL, xioctl(self->fd, IPCMBOX_IOC_SEND, &io));
	io_init(&io, "x", 1);
	io.reserved[1] = 1;
	EXPECT_EQ(EINVAL, xioctl(self->fd, IPCMBOX_IOC_SEND, &io));
	io_init(&io, "x", 1);
	io.reserved0 = 1;
	EXPECT_EQ(EINVAL, xioctl(self->fd, IPCMBOX_IOC_SEND, &io));
	io_init(&io, "x", 1);
	io.msg_flags = IPCMBOX_MSG_REF;	/* output field */
	EXPECT_EQ(EINVAL, xioctl(self->fd, IPCMBOX_IOC_SEND, &io));
	io_init(&io, "x", 1);
	io.ref_offset = 4096;		/* without IPCMBOX_IO_REF */
	EXPECT_EQ(EINVAL, xioctl(self->fd, IPCMBOX_IOC_SEND, &io));
	io_init(&io, "x", 1);
	io.flags |= IPCMBOX_IO_REF;	/* a buffer with a reference */
	EXPECT_EQ(EINVAL, xioctl(self->fd, IPCMBOX_IOC_SEND, &io));
	io_init(&io, "x", 1);
	io.size = IPCMBOX_IO_SIZE_VER0 - 8;
	EXPECT_EQ(EINVAL, xioctl(self->fd, IPCMBOX_IOC_SEND, &io));

	io_init(&io, buf, sizeof(buf));
	io.priority = 1;		/* output of a receive */
	EXPECT_EQ(EINVAL, xioctl(self->fd, IPCMBOX_IOC_RECV, &io));
	io_init(&io, buf, sizeof(buf));
	io.type = INT64_MIN;
	EXPECT_EQ(EINVAL, xioctl(self->fd, IPCMBOX_IOC_RECV, &io));
	io_init(&io, buf, sizeof(buf));
	io.pid = 1;
	EXPECT_EQ(EINVAL, xioctl(self->fd, IPCMBOX_IOC_RECV, &io));
	EXPECT_EQ(1, IPCMBOX_STAT(M, depth));
}

TEST_F(abi, bad_pointers_fault_and_lose_nothing)
{
	/* An inaccessible page: a valid user address that faults. */
	char *bad = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
			 -1, 0);
	struct ipcmbox_io io;

	ASSERT_NE(MAP_FAILED, bad);
	io_init(&io, bad, 4);
	EXPECT_EQ(EFAULT, xioctl(self->fd, IPCMBOX_IOC_SEND, &io));
	EXPECT_EQ(1, IPCMBOX_STAT(M, depth));
	/* A receive into a bad buffer keeps the message. */
	io_init(&io, bad, 16);
	EXPECT_EQ(EFAULT, xioctl(self->fd, IPCMBOX_IOC_RECV, &io));
	EXPECT_EQ(1, IPCMBOX_STAT(M, depth));
	EXPECT_EQ(EFAULT, xioctl(self->fd, IPCMBOX_IOC_RECV, bad));
	EXPECT_EQ(-1, read(self->fd, bad, 16));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, write(self->fd, bad, 16));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(1, IPCMBOX_STAT(M, depth));
	EXPECT_EQ(0, IPCMBOX_STAT(M, received));
	munmap(bad, 4096);
}

TEST_F(abi, stat_rejects_nonzero_outputs)
{
	struct ipcmbox_stat st;

	memset(&st, 0, sizeof(st));
	st.size = sizeof(st);
	st.depth = 1;
	EXPECT_EQ(EINVAL, xioctl(self->fd, IPCMBOX_IOC_STAT, &st));
	memset(&st, 0, sizeof(st));
	st.size = sizeof(st);
	strcpy(st.name, M);
	st.id = 3;		/* a cursor without IPCMBOX_STAT_NEXT */
	EXPECT_EQ(EINVAL, xioctl(self->ctl, IPCMBOX_IOC_STAT_NAME, &st));
	st.id = 0;
	st.flags = 1U << 4;
	EXPECT_EQ(EINVAL, xioctl(self->ctl, IPCMBOX_IOC_STAT_NAME, &st));
	st.flags = 0;
	st.sent = 1;
	EXPECT_EQ(EINVAL, xioctl(self->ctl, IPCMBOX_IOC_STAT_NAME, &st));
	st.sent = 0;
	st.change_time = 1;	/* ABI v6's outputs too */
	EXPECT_EQ(EINVAL, xioctl(self->ctl, IPCMBOX_IOC_STAT_NAME, &st));
	st.change_time = 0;
	EXPECT_EQ(0, xioctl(self->ctl, IPCMBOX_IOC_STAT_NAME, &st));
	EXPECT_EQ(1, st.depth);
	EXPECT_EQ(4, st.capacity);
	EXPECT_STREQ(M, st.name);
	strcpy(st.name, "nosuch");
	memset(&st, 0, offsetof(struct ipcmbox_stat, name));
	memset(&st.send_pid, 0, sizeof(st) - IPCMBOX_STAT_SIZE_VER0);
	st.size = sizeof(st);
	EXPECT_EQ(ENOENT, xioctl(self->ctl, IPCMBOX_IOC_STAT_NAME, &st));
}

TEST_F(abi, config_rejects_unknown_bits)
{
	struct ipcmbox_config c;

	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	c.set = IPCMBOX_SET_MODE;
	EXPECT_EQ(EINVAL, xioctl(self->fd, IPCMBOX_IOC_CONFIG, &c));
	c.set = 0;
	c.reserved[0] = 1;
	EXPECT_EQ(EINVAL, xioctl(self->fd, IPCMBOX_IOC_CONFIG, &c));
	c.reserved[0] = 0;
	c.max_msg = 9;		/* without IPCMBOX_SET_MAX_MSG */
	EXPECT_EQ(EINVAL, xioctl(self->fd, IPCMBOX_IOC_CONFIG, &c));
	EXPECT_EQ(4, IPCMBOX_STAT(M, capacity));
}

TEST_F(abi, calls_on_the_wrong_node_are_enotty)
{
	struct ipcmbox_io io;
	struct ipcmbox_create c;

	io_init(&io, "x", 1);
	EXPECT_EQ(ENOTTY, xioctl(self->ctl, IPCMBOX_IOC_SEND, &io));
	create_init(&c, "y");
	EXPECT_EQ(ENOTTY, xioctl(self->fd, IPCMBOX_IOC_CREATE, &c));
	EXPECT_EQ(ENOTTY, xioctl(self->fd, _IO(IPCMBOX_IOC_MAGIC, 0x2f), NULL));
}

TEST_F(abi, direction_of_the_fd_is_enforced_for_ioctls)
{
	struct ipcmbox_io io;
	char buf[8];
	int ro, wo;

	ro = ipcmbox_open(M, O_RDONLY);
	wo = ipcmbox_open(M, O_WRONLY);
	ASSERT_LE(0, ro);
	ASSERT_LE(0, wo);
	io_init(&io, "x", 1);
	EXPECT_EQ(EBADF, xioctl(ro, IPCMBOX_IOC_SEND, &io));
	io_init(&io, buf, sizeof(buf));
	EXPECT_EQ(EBADF, xioctl(wo, IPCMBOX_IOC_RECV, &io));
	EXPECT_EQ(-1, ipcmbox_next_size(wo));
	EXPECT_EQ(EBADF, errno);
	close(ro);
	close(wo);
}

TEST_F(abi, listing_walks_every_mailbox_once)
{
	struct ipcmbox_stat st = { 0 };
	char name[16];
	int i, n = 0, seen = 0;

	for (i = 0; i < 5; i++) {
		snprintf(name, sizeof(name), "l%d", i);
		ASSERT_EQ(0, ipcmbox_create(name, NULL));
	}
	while (!ipcmbox_list_next(self->ctl, &st)) {
		n++;
		seen += st.name[0] == 'l';
	}
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(6, n);
	EXPECT_EQ(5, seen);
	for (i = 0; i < 5; i++) {
		snprintf(name, sizeof(name), "l%d", i);
		EXPECT_EQ(0, ipcmbox_remove(name));
	}
}

TEST_HARNESS_MAIN
