// SPDX-License-Identifier: GPL-2.0-only
/*
 * Timeouts while the wall clock is set: an absolute CLOCK_REALTIME
 * deadline follows the clock (a jump past it ends the wait at once), an
 * interval does not (a relative timeout, whichever clock it names, and an
 * absolute CLOCK_MONOTONIC deadline, end when they would have).
 *
 * A child blocks in a receive; the parent sees it waiting (recv_waiting),
 * sets CLOCK_REALTIME, and waits for the child, which exits 0 only on
 * ETIMEDOUT.  A wait that moved with the clock would outlast the harness
 * timeout.  Teardown puts the clock back by the same amount.
 */
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "ipcmbox_test.h"

#define M	"clk"
#define HOUR	3600000000000LL

FIXTURE(clk) {
	int fd;
	long long shifted;	/* ns CLOCK_REALTIME was moved by */
};

FIXTURE_SETUP(clk)
{
	struct ipcmbox_attr a = {
		.set = IPCMBOX_SET_CAPACITY, .capacity = 1,
	};

	self->fd = -1;
	self->shifted = 0;
	if (getuid() != 0)
		SKIP(return, "needs root to reload the module and set the clock");
	ASSERT_EQ(0, ipcmbox_test_reload(""));
	ASSERT_EQ(0, ipcmbox_create(M, &a));
	self->fd = ipcmbox_open(M, O_RDWR);
	ASSERT_LE(0, self->fd);
}

/* Moves CLOCK_REALTIME by @ns; returns 0 or -1. */
static int shift_realtime(long long ns)
{
	long long t = ipcmbox_test_now_ns(CLOCK_REALTIME) + ns;
	struct timespec ts = {
		.tv_sec = t / 1000000000LL, .tv_nsec = t % 1000000000LL,
	};

	return clock_settime(CLOCK_REALTIME, &ts);
}

FIXTURE_TEARDOWN(clk)
{
	if (self->shifted)
		shift_realtime(-self->shifted);
	if (self->fd >= 0)
		close(self->fd);
	ipcmbox_remove(M);
}

/*
 * Starts a child that receives from @fd with @o and exits 0 on ETIMEDOUT,
 * 1 on anything else; returns once the child waits in the mailbox.
 */
static pid_t blocked_receiver(struct __test_metadata *_metadata, int fd,
			      const struct ipcmbox_opts *o)
{
	pid_t child = fork();
	char buf[8];

	if (child == 0)
		_exit(ipcmbox_recv(fd, buf, sizeof(buf), o, NULL) == -1 &&
		      errno == ETIMEDOUT ? 0 : 1);
	EXPECT_LE(0, child);
	EXPECT_TRUE(IPCMBOX_WAIT_FOR(IPCMBOX_STAT(M, recv_waiting) == 1));
	return child;
}

TEST_F(clk, realtime_deadline_ends_when_the_clock_jumps_past_it)
{
	struct ipcmbox_opts o = {
		.flags = IPCMBOX_IO_TIMEOUT | IPCMBOX_IO_ABSTIME,
		.clock = IPCMBOX_CLOCK_REALTIME,
		.timeout_ns = ipcmbox_test_now_ns(CLOCK_REALTIME) + HOUR,
	};
	pid_t child = blocked_receiver(_metadata, self->fd, &o);

	ASSERT_EQ(0, shift_realtime(2 * HOUR));
	self->shifted = 2 * HOUR;
	EXPECT_EQ(0, ipcmbox_test_child_status(child));
}

/* Each of these waits 1 s on its own clock, while the wall clock goes back. */
static void interval_survives_a_jump_back(struct __test_metadata *_metadata,
					  FIXTURE_DATA(clk) *self,
					  uint32_t clock, clockid_t id,
					  bool absolute)
{
	struct ipcmbox_opts o = {
		.flags = IPCMBOX_IO_TIMEOUT, .clock = clock,
		.timeout_ns = 1000000000LL,
	};
	pid_t child;

	if (absolute) {
		o.flags |= IPCMBOX_IO_ABSTIME;
		o.timeout_ns += ipcmbox_test_now_ns(id);
	}
	child = blocked_receiver(_metadata, self->fd, &o);
	ASSERT_EQ(0, shift_realtime(-HOUR));
	self->shifted = -HOUR;
	EXPECT_EQ(0, ipcmbox_test_child_status(child));
}

TEST_F(clk, relative_realtime_timeout_is_an_interval)
{
	interval_survives_a_jump_back(_metadata, self, IPCMBOX_CLOCK_REALTIME,
				      CLOCK_REALTIME, false);
}

TEST_F(clk, relative_monotonic_timeout_ignores_the_wall_clock)
{
	interval_survives_a_jump_back(_metadata, self, IPCMBOX_CLOCK_MONOTONIC,
				      CLOCK_MONOTONIC, false);
}

TEST_F(clk, absolute_monotonic_deadline_ignores_the_wall_clock)
{
	interval_survives_a_jump_back(_metadata, self, IPCMBOX_CLOCK_MONOTONIC,
				      CLOCK_MONOTONIC, true);
}

TEST_F(clk, relative_boottime_timeout_ignores_the_wall_clock)
{
	interval_survives_a_jump_back(_metadata, self, IPCMBOX_CLOCK_BOOTTIME,
				      CLOCK_BOOTTIME, false);
}

TEST_HARNESS_MAIN
