// SPDX-License-Identifier: GPL-2.0-only
/*
 * The library calls of 0.5: version macros and ipcmbox_lib_at_least(),
 * the _at calls through a held control descriptor, ipcmbox_open_attr()
 * (create and open in one call, IPCMBOX_CREATE_OPEN_*), ipcmbox_next_len()
 * (empty against zero-length), and ipcmbox_send_opts()/_recv_opts() with
 * sized options, <time.h> clocks and sized envelopes.
 */
#include <stddef.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "ipcmbox_test.h"

static long long ipcmbox_test_depth(int fd)
{
	struct ipcmbox_stat st;

	return ipcmbox_stat(fd, &st) ? -1LL : (long long)st.depth;
}

TEST(version_macros_match_the_library)
{
	char v[32];

	snprintf(v, sizeof(v), "%d.%d.%d", IPCMBOX_LIB_MAJOR,
		 IPCMBOX_LIB_MINOR, IPCMBOX_LIB_PATCH);
	EXPECT_STREQ(IPCMBOX_VERSION, v);
	EXPECT_STREQ(IPCMBOX_VERSION, ipcmbox_lib_version());
	EXPECT_TRUE(IPCMBOX_LIB_CHECK_VERSION(0, 5));
	EXPECT_FALSE(IPCMBOX_LIB_CHECK_VERSION(0, IPCMBOX_LIB_MINOR + 1));
	EXPECT_TRUE(ipcmbox_lib_at_least(0, 0));
	EXPECT_TRUE(ipcmbox_lib_at_least(IPCMBOX_LIB_MAJOR, IPCMBOX_LIB_MINOR));
	EXPECT_FALSE(ipcmbox_lib_at_least(IPCMBOX_LIB_MAJOR,
					  IPCMBOX_LIB_MINOR + 1));
	EXPECT_FALSE(ipcmbox_lib_at_least(IPCMBOX_LIB_MAJOR + 1, 0));
}

FIXTURE(at) {
	int ctl;
};

FIXTURE_SETUP(at)
{
	ASSERT_EQ(0, ipcmbox_test_reload(""));
	self->ctl = ipcmbox_control_open();
	ASSERT_LE(0, self->ctl);
}

FIXTURE_TEARDOWN(at)
{
	close(self->ctl);
}

TEST_F(at, calls_go_through_the_held_descriptor)
{
	struct ipcmbox_stat st;
	int fds[2];

	ASSERT_EQ(0, ipcmbox_create_at(self->ctl, "held", NULL));
	ASSERT_EQ(0, ipcmbox_stat_name_at(self->ctl, "held", &st));
	EXPECT_STREQ("held", st.name);
	ASSERT_EQ(0, ipcmbox_pair_at(self->ctl, NULL, 0, fds));
	EXPECT_EQ(0, ipcmbox_send(fds[1], "p", 1, NULL, NULL));
	close(fds[0]);
	close(fds[1]);
	EXPECT_EQ(-1, ipcmbox_create_at(self->ctl, "held", NULL));
	EXPECT_EQ(EEXIST, errno);
	ASSERT_EQ(0, ipcmbox_remove_at(self->ctl, "held"));
	EXPECT_EQ(-1, ipcmbox_stat_name_at(self->ctl, "held", &st));
	EXPECT_EQ(ENOENT, errno);
}

TEST_F(at, bad_descriptors_fail_cleanly)
{
	int fds[2], null = open("/dev/null", O_RDWR);

	EXPECT_EQ(-1, ipcmbox_create_at(-1, "x", NULL));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(-1, ipcmbox_remove_at(-1, "x"));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(-1, ipcmbox_pair_at(-1, NULL, 0, fds));
	EXPECT_EQ(EBADF, errno);
	ASSERT_LE(0, null);
	EXPECT_EQ(-1, ipcmbox_create_at(null, "x", NULL));
	EXPECT_EQ(ENOTTY, errno);
	close(null);
	EXPECT_EQ(-1, IPCMBOX_STAT("x", id));
}

/*
 * A process that kept a control descriptor opened as root and then gave
 * up its privileges (a sandbox) still creates and pairs, and what it
 * creates belongs to the descriptor's opener.
 */
TEST_F(at, a_dropped_process_creates_through_a_kept_descriptor)
{
	struct stat st;
	pid_t child = fork();

	ASSERT_LE(0, child);
	if (child == 0) {
		int fds[2], ok;

		if (ipcmbox_test_drop_privileges())
			_exit(200);
		ok = !ipcmbox_create_at(self->ctl, "kept", NULL) &&
		     !ipcmbox_pair_at(self->ctl, NULL, 0, fds) &&
		     !ipcmbox_send(fds[1], "k", 1, NULL, NULL);
		_exit(ok ? 0 : errno);
	}
	ASSERT_EQ(0, ipcmbox_test_child_status(child));
	ASSERT_EQ(0, stat(IPCMBOX_DEV_DIR "/kept", &st));
	EXPECT_EQ(0, st.st_uid);
	EXPECT_EQ(0, ipcmbox_remove("kept"));
}

static int nr_open_fds(void)
{
	int n = 0, fd;

	for (fd = 0; fd < 1024; fd++)
		n += fcntl(fd, F_GETFD) >= 0;
	return n;
}

TEST_F(at, open_attr_creates_and_opens_as_mq_open_does)
{
	struct ipcmbox_attr a = { .set = IPCMBOX_SET_CAPACITY, .capacity = 3 };
	char buf[4];
	int fd, fd2;

	fd = ipcmbox_open_attr("oa", O_RDWR | O_CREAT | O_EXCL, &a);
	ASSERT_LE(0, fd) TH_LOG("%s", strerror(errno));
	EXPECT_EQ(FD_CLOEXEC, fcntl(fd, F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(O_RDWR, fcntl(fd, F_GETFL) & O_ACCMODE);
	EXPECT_EQ(3, IPCMBOX_STAT("oa", capacity));
	ASSERT_EQ(0, ipcmbox_send(fd, "oa", 2, NULL, NULL));
	EXPECT_EQ(2, ipcmbox_recv(fd, buf, sizeof(buf), NULL, NULL));
	EXPECT_EQ(-1, ipcmbox_open_attr("oa", O_RDWR | O_CREAT | O_EXCL, &a));
	EXPECT_EQ(EEXIST, errno);
	/* O_CREAT alone opens the one there; its attributes stay. */
	a.capacity = 9;
	fd2 = ipcmbox_open_attr("oa", O_WRONLY | O_CREAT | O_NONBLOCK, &a);
	ASSERT_LE(0, fd2);
	EXPECT_EQ(3, IPCMBOX_STAT("oa", capacity));
	EXPECT_EQ(O_WRONLY | O_NONBLOCK,
		  fcntl(fd2, F_GETFL) & (O_ACCMODE | O_NONBLOCK));
	EXPECT_EQ(-1, ipcmbox_recv(fd2, buf, sizeof(buf), NULL, NULL));
	EXPECT_EQ(EBADF, errno);
	close(fd2);
	close(fd);
	EXPECT_EQ(-1, ipcmbox_open_attr("none", O_RDWR, NULL));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-1, ipcmbox_open_attr("none", O_RDWR | O_EXCL, NULL));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ipcmbox_open_attr("none", O_ACCMODE | O_CREAT, NULL));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ipcmbox_open_attr("none", O_RDWR | O_CREAT | O_TRUNC,
					NULL));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, IPCMBOX_STAT("none", id));
	/* Created for receiving only. */
	fd = ipcmbox_open_attr("oa2", O_RDONLY | O_CREAT, NULL);
	ASSERT_LE(0, fd);
	EXPECT_EQ(O_RDONLY, fcntl(fd, F_GETFL) & O_ACCMODE);
	EXPECT_EQ(-1, ipcmbox_send(fd, "x", 1, NULL, NULL));
	EXPECT_EQ(EBADF, errno);
	close(fd);
	fd = ipcmbox_open_attr_at(self->ctl, "oa3", O_RDWR | O_CREAT | O_EXCL,
				  NULL);
	ASSERT_LE(0, fd);
	close(fd);
	EXPECT_EQ(-1, ipcmbox_open_attr_at(-1, "oa4", O_RDWR | O_CREAT, NULL));
	EXPECT_EQ(EBADF, errno);
}

/*
 * As open(2) with O_CREAT: the creator's descriptor has the access it
 * asked for even when the mode it gives denies it; a later open by path
 * is held to the mode.
 */
TEST_F(at, the_creator_gets_its_access_whatever_the_mode)
{
	pid_t child = fork();

	ASSERT_LE(0, child);
	if (child == 0) {
		/* Read-only, even for the owner. */
		struct ipcmbox_attr a = {
			.set = IPCMBOX_SET_MODE, .mode = 0400,
		};
		char buf[4];
		int fd;

		if (ipcmbox_test_drop_privileges())
			_exit(200);
		fd = ipcmbox_open_attr("m4", O_RDWR | O_CREAT | O_EXCL, &a);
		if (fd < 0)
			_exit(errno);
		if (ipcmbox_send(fd, "m", 1, NULL, NULL) ||
		    ipcmbox_recv(fd, buf, sizeof(buf), NULL, NULL) != 1)
			_exit(100);
		if (ipcmbox_open("m4", O_RDWR) >= 0 || errno != EACCES)
			_exit(101);
		fd = ipcmbox_open("m4", O_RDONLY);
		_exit(fd >= 0 ? 0 : 102);
	}
	ASSERT_EQ(0, ipcmbox_test_child_status(child));
	EXPECT_EQ(IPCMBOX_TEST_NOBODY, IPCMBOX_STAT("m4", uid));
	EXPECT_EQ(0400, IPCMBOX_STAT("m4", mode));
}

/* The ioctl itself: flag rules, -1 for the side not opened. */
TEST_F(at, create_open_flags_are_checked)
{
	struct ipcmbox_info info;
	struct ipcmbox_create c;

	ASSERT_EQ(0, ipcmbox_get_info(self->ctl, &info));
	EXPECT_TRUE(info.features & IPCMBOX_FEAT_CREATE_OPEN);
	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	strcpy(c.name, "cf");
	c.flags = IPCMBOX_CREATE_CLOEXEC;
	EXPECT_EQ(-1, ioctl(self->ctl, IPCMBOX_IOC_CREATE, &c));
	EXPECT_EQ(EINVAL, errno);
	c.flags = IPCMBOX_CREATE_OPEN_SEND | (1U << 4);
	EXPECT_EQ(-1, ioctl(self->ctl, IPCMBOX_IOC_CREATE, &c));
	EXPECT_EQ(EINVAL, errno);
	c.flags = IPCMBOX_CREATE_OPEN_SEND;
	c.recv_fd = 5;
	EXPECT_EQ(-1, ioctl(self->ctl, IPCMBOX_IOC_CREATE, &c));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, IPCMBOX_STAT("cf", id));
	c.recv_fd = 0;
	ASSERT_EQ(0, ioctl(self->ctl, IPCMBOX_IOC_CREATE, &c));
	EXPECT_EQ(-1, c.recv_fd);
	ASSERT_LE(0, c.send_fd);
	EXPECT_EQ(0, fcntl(c.send_fd, F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(0, ipcmbox_send(c.send_fd, "s", 1, NULL, NULL));
	EXPECT_EQ(1, IPCMBOX_STAT("cf", depth));
	close(c.send_fd);
}

/*
 * A create whose result cannot be written back (the structure is
 * read-only) fails with EFAULT and leaves neither the mailbox nor a
 * descriptor behind.
 */
TEST_F(at, a_failed_create_open_leaves_nothing)
{
	struct ipcmbox_create *c;
	int before = nr_open_fds();

	c = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, c);
	c->size = sizeof(*c);
	c->flags = IPCMBOX_CREATE_OPEN_RECV | IPCMBOX_CREATE_OPEN_SEND;
	strcpy(c->name, "ro");
	ASSERT_EQ(0, mprotect(c, 4096, PROT_READ));
	EXPECT_EQ(-1, ioctl(self->ctl, IPCMBOX_IOC_CREATE, c));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, IPCMBOX_STAT("ro", id));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(before, nr_open_fds());
	/* The name is free again. */
	EXPECT_EQ(0, ipcmbox_create("ro", NULL));
	munmap(c, 4096);
}

FIXTURE(mb) {
	int fds[2];
};

FIXTURE_SETUP(mb)
{
	ASSERT_EQ(0, ipcmbox_test_reload(""));
	ASSERT_EQ(0, ipcmbox_pair(NULL, IPCMBOX_PAIR_CLOEXEC, self->fds));
}

FIXTURE_TEARDOWN(mb)
{
	close(self->fds[0]);
	close(self->fds[1]);
}

TEST_F(mb, next_len_tells_empty_from_zero_length)
{
	int rx = self->fds[0], tx = self->fds[1];
	struct ipcmbox_opts t3 = { .type = 3 };

	EXPECT_EQ(-1, ipcmbox_next_len(rx, 0));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(0, ipcmbox_next_size(rx));
	ASSERT_EQ(0, ipcmbox_send(tx, "", 0, NULL, NULL));
	EXPECT_EQ(0, ipcmbox_next_len(rx, 0));
	/* ipcmbox_next_size() says 0 both times. */
	EXPECT_EQ(0, ipcmbox_next_size(rx));
	ASSERT_EQ(0, ipcmbox_recv(rx, NULL, 0, NULL, NULL));
	ASSERT_EQ(0, ipcmbox_send(tx, "abc", 3, &t3, NULL));
	EXPECT_EQ(3, ipcmbox_next_len(rx, 0));
	EXPECT_EQ(3, ipcmbox_next_len(rx, 3));
	EXPECT_EQ(3, ipcmbox_next_len(rx, -5));
	EXPECT_EQ(-1, ipcmbox_next_len(rx, 2));
	EXPECT_EQ(EAGAIN, errno);
	/* It only looked. */
	EXPECT_EQ(1, ipcmbox_test_depth(rx));
	EXPECT_EQ(-1, ipcmbox_next_len(tx, 0));
	EXPECT_EQ(EBADF, errno);
	close(tx);
	self->fds[1] = open("/dev/null", O_RDONLY);
	EXPECT_EQ(3, ipcmbox_next_len(rx, 0));
	ASSERT_EQ(3, ipcmbox_recv(rx, (char[4]){ 0 }, 4, NULL, NULL));
	EXPECT_EQ(-1, ipcmbox_next_len(rx, 0));
	EXPECT_EQ(EPIPE, errno);
}

TEST_F(mb, opts_carry_type_priority_and_a_sized_envelope)
{
	struct ipcmbox_envelope env;
	struct {
		uint64_t seq, msg_len;
		uint64_t canary[2];
	} small;
	IPCMBOX_MSG_OPTS(s, .type = 7, .priority = 9, .env = &env,
			 .env_sz = sizeof(env));
	IPCMBOX_MSG_OPTS(r, .env = (struct ipcmbox_envelope *)&small,
			 .env_sz = offsetof(struct ipcmbox_envelope, type));
	char buf[8];

	memset(&env, 0, sizeof(env));
	ASSERT_EQ(0, ipcmbox_send_opts(self->fds[1], "opts", 4, &s));
	EXPECT_EQ(1, env.seq);
	ASSERT_EQ(0, ipcmbox_send_opts(self->fds[1], "x", 1, NULL));
	memset(&small, 0xa5, sizeof(small));
	/* An envelope cut after msg_len: nothing past it is written. */
	ASSERT_EQ(4, ipcmbox_recv_opts(self->fds[0], buf, sizeof(buf), &r));
	EXPECT_EQ(0, memcmp(buf, "opts", 4));
	EXPECT_EQ(1, small.seq);
	EXPECT_EQ(4, small.msg_len);
	EXPECT_EQ(0xa5a5a5a5a5a5a5a5ULL, small.canary[0]);
	EXPECT_EQ(0xa5a5a5a5a5a5a5a5ULL, small.canary[1]);
	r.env = &env;
	r.env_sz = sizeof(env);
	ASSERT_EQ(1, ipcmbox_recv_opts(self->fds[0], buf, sizeof(buf), &r));
	EXPECT_EQ(2, env.seq);
	EXPECT_EQ(0, env.type);
	EXPECT_EQ(getpid(), env.pid);
}

TEST_F(mb, timeouts_take_time_h_clocks)
{
	struct timespec rel = { 0, 20 * 1000 * 1000 }, now, abs;
	IPCMBOX_MSG_OPTS(o, .clockid = CLOCK_MONOTONIC, .timeout = &rel);
	long long t0 = ipcmbox_test_now_ns(CLOCK_MONOTONIC);
	char buf[4];

	EXPECT_EQ(-1, ipcmbox_recv_opts(self->fds[0], buf, sizeof(buf), &o));
	EXPECT_EQ(ETIMEDOUT, errno);
	EXPECT_LE(20 * 1000 * 1000LL,
		  ipcmbox_test_now_ns(CLOCK_MONOTONIC) - t0);
	o.clockid = CLOCK_BOOTTIME;
	EXPECT_EQ(-1, ipcmbox_recv_opts(self->fds[0], buf, sizeof(buf), &o));
	EXPECT_EQ(ETIMEDOUT, errno);
	/* Absolute on CLOCK_REALTIME, as mq_timedreceive() takes it. */
	clock_gettime(CLOCK_REALTIME, &now);
	abs = now;
	abs.tv_nsec += 20 * 1000 * 1000;
	if (abs.tv_nsec >= 1000000000L) {
		abs.tv_sec++;
		abs.tv_nsec -= 1000000000L;
	}
	o.clockid = CLOCK_REALTIME;
	o.timeout = &abs;
	o.flags = IPCMBOX_IO_ABSTIME;
	EXPECT_EQ(-1, ipcmbox_recv_opts(self->fds[0], buf, sizeof(buf), &o));
	EXPECT_EQ(ETIMEDOUT, errno);
	/* A message there: no wait at all. */
	ASSERT_EQ(0, ipcmbox_send(self->fds[1], "m", 1, NULL, NULL));
	EXPECT_EQ(1, ipcmbox_recv_opts(self->fds[0], buf, sizeof(buf), &o));
}

TEST_F(mb, bad_options_fail_with_einval_and_move_nothing)
{
	struct timespec ts = { 0, 1000 }, bad = { 0, 1000000000L };
	struct {
		struct ipcmbox_msg_opts o;
		uint64_t later;
	} big;
	IPCMBOX_MSG_OPTS(o);
	char buf[4];

	ASSERT_EQ(0, ipcmbox_send(self->fds[1], "q", 1, NULL, NULL));
#define BAD(call) do {							\
		errno = 0;						\
		EXPECT_EQ(-1, call);					\
		EXPECT_EQ(EINVAL, errno);				\
		EXPECT_EQ(1, ipcmbox_test_depth(self->fds[0]));	\
	} while (0)
	o.timeout = &ts;
	o.clockid = CLOCK_PROCESS_CPUTIME_ID;
	BAD(ipcmbox_recv_opts(self->fds[0], buf, sizeof(buf), &o));
	BAD(ipcmbox_send_opts(self->fds[1], "n", 1, &o));
	o.clockid = CLOCK_MONOTONIC;
	o.timeout = &bad;
	BAD(ipcmbox_recv_opts(self->fds[0], buf, sizeof(buf), &o));
	bad.tv_nsec = -1;
	BAD(ipcmbox_recv_opts(self->fds[0], buf, sizeof(buf), &o));
	o.timeout = NULL;
	o.flags = IPCMBOX_IO_ABSTIME;
	BAD(ipcmbox_recv_opts(self->fds[0], buf, sizeof(buf), &o));
	o.flags = IPCMBOX_IO_TIMEOUT;
	BAD(ipcmbox_recv_opts(self->fds[0], buf, sizeof(buf), &o));
	o.flags = IPCMBOX_IO_PEEK;
	BAD(ipcmbox_send_opts(self->fds[1], "n", 1, &o));
	o.flags = 0;
	o.priority = 1;
	BAD(ipcmbox_recv_opts(self->fds[0], buf, sizeof(buf), &o));
	o.priority = 0;
	o.reserved = 1;
	BAD(ipcmbox_send_opts(self->fds[1], "n", 1, &o));
	o.reserved = 0;
	o.sz = 8;
	BAD(ipcmbox_recv_opts(self->fds[0], buf, sizeof(buf), &o));
	/* A newer caller's longer struct: fine while the rest is zero. */
	memset(&big, 0, sizeof(big));
	big.o.sz = sizeof(big);
	big.later = 1;
	BAD(ipcmbox_send_opts(self->fds[1], "n", 1, &big.o));
	big.later = 0;
	EXPECT_EQ(0, ipcmbox_send_opts(self->fds[1], "n", 1, &big.o));
	EXPECT_EQ(2, ipcmbox_test_depth(self->fds[0]));
#undef BAD
}

TEST_HARNESS_MAIN
