// SPDX-License-Identifier: GPL-2.0-only
/*
 * Anonymous mailboxes (IPCMBOX_IOC_PAIR): pipe-like ends, end of file
 * after the last send fd closes and the queue drains, EPIPE and SIGPIPE
 * after the last receive fd closes, poll HUP/ERR, flags, and stat.
 */
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "ipcmbox_test.h"

FIXTURE(pair) {
	int fds[2];	/* [0] receives, [1] sends */
};

FIXTURE_VARIANT(pair) {
	uint32_t capacity;
};

FIXTURE_VARIANT_ADD(pair, rendezvous) { .capacity = 0 };
FIXTURE_VARIANT_ADD(pair, bounded) { .capacity = 8 };
FIXTURE_VARIANT_ADD(pair, unbounded) { .capacity = IPCMBOX_CAP_UNBOUNDED };

FIXTURE_SETUP(pair)
{
	struct ipcmbox_attr a = {
		.set = IPCMBOX_SET_CAPACITY, .capacity = variant->capacity,
	};

	self->fds[0] = self->fds[1] = -1;
	if (!ipcmbox_test_loaded())
		ASSERT_EQ(0, ipcmbox_test_load(""));
	ASSERT_EQ(0, ipcmbox_pair(&a, IPCMBOX_PAIR_CLOEXEC, self->fds));
}

FIXTURE_TEARDOWN(pair)
{
	if (self->fds[0] >= 0)
		close(self->fds[0]);
	if (self->fds[1] >= 0)
		close(self->fds[1]);
}

static void close_end(int *fd)
{
	close(*fd);
	*fd = -1;
}

TEST_F(pair, ends_are_one_way_and_cloexec)
{
	char buf[4];

	EXPECT_EQ(O_RDONLY, fcntl(self->fds[0], F_GETFL) & O_ACCMODE);
	EXPECT_EQ(O_WRONLY, fcntl(self->fds[1], F_GETFL) & O_ACCMODE);
	EXPECT_EQ(FD_CLOEXEC, fcntl(self->fds[0], F_GETFD));
	EXPECT_EQ(FD_CLOEXEC, fcntl(self->fds[1], F_GETFD));
	EXPECT_EQ(-1, write(self->fds[0], "x", 1));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(-1, read(self->fds[1], buf, sizeof(buf)));
	EXPECT_EQ(EBADF, errno);
}

TEST_F(pair, parent_reads_what_the_child_wrote_then_eof)
{
	char buf[16];
	pid_t child;
	int i, n = 0;

	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		close(self->fds[0]);
		for (i = 0; i < 5; i++)
			if (write(self->fds[1], buf, snprintf(buf, sizeof(buf),
					"m%d", i)) < 0)
				_exit(1);
		_exit(0);
	}
	close_end(&self->fds[1]);
	for (;;) {
		ssize_t len = read(self->fds[0], buf, sizeof(buf) - 1);

		ASSERT_LE(0, len);
		if (len == 0)
			break;
		buf[len] = '\0';
		EXPECT_EQ(n, atoi(buf + 1));
		n++;
	}
	EXPECT_EQ(5, n);
	EXPECT_EQ(0, ipcmbox_test_child_status(child));
	/* Through the ioctl, end of file is EPIPE: 0 bytes is a message. */
	EXPECT_EQ(-1, ipcmbox_recv(self->fds[0], buf, sizeof(buf), NULL, NULL));
	EXPECT_EQ(EPIPE, errno);
}

TEST_F(pair, blocked_receiver_sees_eof_when_last_sender_closes)
{
	char buf[4];
	pid_t child;
	int dup_fd;

	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		close(self->fds[1]);
		_exit(read(self->fds[0], buf, sizeof(buf)) == 0 ? 0 : 1);
	}
	ASSERT_TRUE(IPCMBOX_WAIT_FOR(({
		struct ipcmbox_stat st;
		!ipcmbox_stat(self->fds[0], &st) && st.recv_waiting == 1; })));
	/* A duplicate is the same open file: closing it changes nothing. */
	dup_fd = dup(self->fds[1]);
	ASSERT_LE(0, dup_fd);
	close(dup_fd);
	close_end(&self->fds[1]);
	EXPECT_EQ(0, ipcmbox_test_child_status(child));
}

TEST_F(pair, poll_reports_hup_and_err)
{
	struct pollfd p[2] = {
		{ .fd = self->fds[0], .events = POLLIN },
		{ .fd = self->fds[1], .events = POLLOUT },
	};
	int rfd = self->fds[0];

	close_end(&self->fds[1]);
	ASSERT_EQ(1, poll(p, 1, 0));
	EXPECT_EQ(POLLHUP, p[0].revents);

	ASSERT_EQ(0, ipcmbox_pair(NULL, IPCMBOX_PAIR_CLOEXEC, self->fds));
	close(rfd);
	p[1].fd = self->fds[1];
	close_end(&self->fds[0]);
	ASSERT_EQ(1, poll(&p[1], 1, 0));
	EXPECT_EQ(POLLERR, p[1].revents);
}

TEST_F(pair, send_without_receivers_is_epipe_and_sigpipe)
{
	sigset_t set, oldset;
	int sig = 0;

	close_end(&self->fds[0]);
	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	/* Blocked, the SIGPIPE stays pending for sigwait(). */
	sigprocmask(SIG_BLOCK, &set, &oldset);
	EXPECT_EQ(-1, write(self->fds[1], "x", 1));
	EXPECT_EQ(EPIPE, errno);
	EXPECT_EQ(0, sigwait(&set, &sig));
	EXPECT_EQ(SIGPIPE, sig);
	/* The ioctl path reports EPIPE without a signal. */
	EXPECT_EQ(-1, ipcmbox_send(self->fds[1], "x", 1, NULL, NULL));
	EXPECT_EQ(EPIPE, errno);
	sigprocmask(SIG_SETMASK, &oldset, NULL);
}

TEST_F(pair, blocked_sender_withdraws_with_epipe)
{
	pid_t child;
	int i;

	/* Fill a bounded pair; rendezvous blocks at once; unbounded never. */
	if (variant->capacity == IPCMBOX_CAP_UNBOUNDED) {
		close_end(&self->fds[0]);
		EXPECT_EQ(-1, ipcmbox_send(self->fds[1], "x", 1, NULL, NULL));
		EXPECT_EQ(EPIPE, errno);
		return;
	}
	for (i = 0; i < (int)variant->capacity; i++)
		ASSERT_EQ(1, write(self->fds[1], "f", 1));
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		close(self->fds[0]);
		signal(SIGPIPE, SIG_IGN);
		_exit(write(self->fds[1], "b", 1) == -1 && errno == EPIPE ? 0 : 1);
	}
	ASSERT_TRUE(IPCMBOX_WAIT_FOR(({
		struct ipcmbox_stat st;
		!ipcmbox_stat(self->fds[1], &st) && st.send_waiting == 1; })));
	close_end(&self->fds[0]);
	EXPECT_EQ(0, ipcmbox_test_child_status(child));
}

TEST_F(pair, nonblock_flag_and_stat)
{
	struct ipcmbox_stat st;
	char path[64], line[128];
	int fds[2], anon = 0;
	FILE *f;

	ASSERT_EQ(0, ipcmbox_pair(NULL, IPCMBOX_PAIR_NONBLOCK, fds));
	EXPECT_TRUE(fcntl(fds[0], F_GETFL) & O_NONBLOCK);
	EXPECT_TRUE(fcntl(fds[1], F_GETFL) & O_NONBLOCK);
	EXPECT_EQ(0, fcntl(fds[0], F_GETFD));
	EXPECT_EQ(-1, read(fds[0], line, sizeof(line)));
	EXPECT_EQ(EAGAIN, errno);

	ASSERT_EQ(0, ipcmbox_stat(fds[1], &st));
	EXPECT_EQ(IPCMBOX_STATE_ANON, st.state);
	EXPECT_EQ(0, st.id);
	EXPECT_STREQ("", st.name);
	EXPECT_EQ(getuid(), st.uid);
	close(fds[0]);
	ASSERT_EQ(0, ipcmbox_stat(fds[1], &st));
	EXPECT_EQ(IPCMBOX_STATE_ANON | IPCMBOX_STATE_NO_RECEIVERS, st.state);

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fds[1]);
	f = fopen(path, "re");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f))
		anon += !strcmp(line, "ipcmbox-name:\t[anonymous]\n");
	fclose(f);
	EXPECT_EQ(1, anon);
	close(fds[1]);
}

TEST_HARNESS_MAIN
