// SPDX-License-Identifier: GPL-2.0-only
/*
 * The data path of named mailboxes created with the mailboxes= module
 * parameter: one whole message per read/write, FIFO, EMSGSIZE, capacity,
 * O_NONBLOCK, poll, rendezvous hand-off, signals, access modes.
 *
 * Each test reloads the module with mailboxes=box:<capacity of the variant>
 * and leaves it loaded with its default parameters.
 */
#include <poll.h>
#include <signal.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "ipcmbox_test.h"

#define BOX		IPCMBOX_DEV_DIR "/box"
#define MAX_MSG		8192	/* the module's default max message size */
#define POLL_MS		20000	/* generous: TCG guests are slow */

/* Reloads the module with @params and opens the mailbox "box". */
static void box_setup(struct __test_metadata *_metadata, int *fd,
		      const char *params)
{
	*fd = -1;
	if (getuid() != 0)
		SKIP(return, "needs root to reload the module");
	if (ipcmbox_test_loaded())
		ASSERT_EQ(0, ipcmbox_test_unload());
	ASSERT_EQ(0, ipcmbox_test_load(params));
	*fd = open(BOX, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, *fd) TH_LOG("open %s: %s", BOX, strerror(errno));
}

/* Leaves the module loaded with its default parameters. */
static void box_teardown(struct __test_metadata *_metadata, int fd)
{
	if (getuid() != 0)
		return;
	if (fd >= 0)
		close(fd);
	if (ipcmbox_test_loaded())
		EXPECT_EQ(0, ipcmbox_test_unload());
	EXPECT_EQ(0, ipcmbox_test_load(""));
}

/* Every capacity mode. */
FIXTURE(mbox) {
	int fd;
};

FIXTURE_VARIANT(mbox) {
	const char *params;
	int rendezvous;
};

FIXTURE_VARIANT_ADD(mbox, rendezvous) {
	.params = "mailboxes=box:0", .rendezvous = 1,
};

FIXTURE_VARIANT_ADD(mbox, bounded) {
	.params = "mailboxes=box:4",
};

FIXTURE_VARIANT_ADD(mbox, unbounded) {
	.params = "mailboxes=box:unbounded",
};

FIXTURE_SETUP(mbox) { box_setup(_metadata, &self->fd, variant->params); }
FIXTURE_TEARDOWN(mbox) { box_teardown(_metadata, self->fd); }

/* The modes that queue messages. */
FIXTURE(queued) {
	int fd;
};

FIXTURE_VARIANT(queued) {
	const char *params;
};

FIXTURE_VARIANT_ADD(queued, bounded) {
	.params = "mailboxes=box:4",
};

FIXTURE_VARIANT_ADD(queued, unbounded) {
	.params = "mailboxes=box:unbounded",
};

FIXTURE_SETUP(queued) { box_setup(_metadata, &self->fd, variant->params); }
FIXTURE_TEARDOWN(queued) { box_teardown(_metadata, self->fd); }

/* The modes whose senders can block. */
FIXTURE(blocking) {
	int fd;
};

FIXTURE_VARIANT(blocking) {
	const char *params;
	int bounded;
};

FIXTURE_VARIANT_ADD(blocking, rendezvous) {
	.params = "mailboxes=box:0",
};

FIXTURE_VARIANT_ADD(blocking, bounded) {
	.params = "mailboxes=box:4", .bounded = 4,
};

FIXTURE_SETUP(blocking) { box_setup(_metadata, &self->fd, variant->params); }
FIXTURE_TEARDOWN(blocking) { box_teardown(_metadata, self->fd); }

#define BOUNDED_CAPACITY 4

FIXTURE(bounded) {
	int fd;
};

FIXTURE_SETUP(bounded) { box_setup(_metadata, &self->fd, "mailboxes=box:4"); }
FIXTURE_TEARDOWN(bounded) { box_teardown(_metadata, self->fd); }

FIXTURE(unbounded) {
	int fd;
};

FIXTURE_SETUP(unbounded)
{
	/* Every user may open it: the per-user limit is tested with two. */
	box_setup(_metadata, &self->fd,
		  "mailboxes=box:unbounded mailbox_mode=0666");
}

FIXTURE_TEARDOWN(unbounded) { box_teardown(_metadata, self->fd); }

FIXTURE(rendezvous) {
	int fd;
};

FIXTURE_SETUP(rendezvous) { box_setup(_metadata, &self->fd, "mailboxes=box:0"); }
FIXTURE_TEARDOWN(rendezvous) { box_teardown(_metadata, self->fd); }

static short poll_one(int fd, short events, int ms)
{
	struct pollfd p = { .fd = fd, .events = events };

	if (poll(&p, 1, ms) < 0)
		return -1;
	return p.revents;
}

/* Waits until poll reports @events on @fd; the handshake with a child. */
static int wait_for(int fd, short events)
{
	short r = poll_one(fd, events, POLL_MS);

	return r > 0 && (r & events) == events ? 0 : -1;
}

/* Fork a child that receives one message into a buffer of @room bytes
 * and exits 0 when it equals @want (of @len bytes).
 */
static pid_t child_receive(const char *want, size_t len, size_t room)
{
	pid_t pid = fork();

	if (pid == 0) {
		char buf[MAX_MSG + 1];
		int fd = open(BOX, O_RDONLY);
		ssize_t n;

		if (fd < 0)
			_exit(10);
		n = read(fd, buf, room);
		if (n != (ssize_t)len)
			_exit(11);
		_exit(memcmp(buf, want, len) ? 12 : 0);
	}
	return pid;
}

static int child_status(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Sends @msg: directly, or through a receiving child in rendezvous mode. */
static int send_one(int fd, int rendezvous, const char *msg, size_t len)
{
	pid_t pid;

	if (!rendezvous)
		return write(fd, msg, len) == (ssize_t)len ? 0 : -1;
	pid = child_receive(msg, len, MAX_MSG);
	if (pid < 0 || wait_for(fd, POLLOUT))
		return -1;
	if (write(fd, msg, len) != (ssize_t)len)
		return -1;
	return child_status(pid);
}

TEST_F(mbox, node_and_info)
{
	struct ipcmbox_info info;
	struct stat st;
	int ctl;

	ASSERT_EQ(0, stat(BOX, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0600, st.st_mode & 07777);	/* mailbox_mode's default */
	EXPECT_EQ(0, st.st_uid);
	EXPECT_NE(0, minor(st.st_rdev));
	ctl = ipcmbox_control_open();
	ASSERT_LE(0, ctl);
	ASSERT_EQ(0, ipcmbox_get_info(ctl, &info));
	EXPECT_EQ(1, info.nr_mailboxes);
	close(ctl);
}

TEST_F(mbox, messages_keep_boundaries_and_order)
{
	static const char *msgs[] = { "a", "second message", "3rd" };
	char buf[MAX_MSG];
	size_t i;

	if (variant->rendezvous) {
		/* One message per hand-off; order and size still hold. */
		for (i = 0; i < 3; i++)
			ASSERT_EQ(0, send_one(self->fd, 1, msgs[i],
					      strlen(msgs[i])));
		return;
	}
	for (i = 0; i < 3; i++)
		ASSERT_EQ((ssize_t)strlen(msgs[i]),
			  write(self->fd, msgs[i], strlen(msgs[i])));
	for (i = 0; i < 3; i++) {
		ASSERT_EQ((ssize_t)strlen(msgs[i]), read(self->fd, buf, sizeof(buf)));
		EXPECT_EQ(0, memcmp(buf, msgs[i], strlen(msgs[i])));
	}
}

TEST_F(queued, writev_is_one_message)
{
	struct iovec iov[3] = {
		{ .iov_base = "ab", .iov_len = 2 },
		{ .iov_base = "", .iov_len = 0 },
		{ .iov_base = "cde", .iov_len = 3 },
	};
	char buf[16];

	ASSERT_EQ(5, writev(self->fd, iov, 3));
	ASSERT_EQ(5, read(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "abcde", 5));
}

TEST_F(mbox, too_long_message_is_refused_whole)
{
	static char big[MAX_MSG + 1];
	int nb = open(BOX, O_RDWR | O_NONBLOCK);
	char buf[8];

	ASSERT_LE(0, nb);
	EXPECT_EQ(-1, write(self->fd, big, sizeof(big)));
	EXPECT_EQ(EMSGSIZE, errno);
	/* Nothing was queued. */
	EXPECT_EQ(-1, read(nb, buf, sizeof(buf)));
	EXPECT_EQ(EAGAIN, errno);
	/* The largest allowed size passes. */
	EXPECT_EQ(0, send_one(self->fd, variant->rendezvous, big, MAX_MSG));
	close(nb);
}

TEST_F(queued, short_read_buffer_keeps_the_message)
{
	char buf[64];

	ASSERT_EQ(20, write(self->fd, "0123456789abcdefghij", 20));
	EXPECT_EQ(-1, read(self->fd, buf, 19));
	EXPECT_EQ(EMSGSIZE, errno);
	ASSERT_EQ(20, read(self->fd, buf, 20));
	EXPECT_EQ(0, memcmp(buf, "0123456789abcdefghij", 20));
}

TEST_F(mbox, nonblocking_receive_on_empty_is_eagain)
{
	int nb = open(BOX, O_RDONLY | O_NONBLOCK);
	char buf[8];

	ASSERT_LE(0, nb);
	EXPECT_EQ(-1, read(nb, buf, sizeof(buf)));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(0, poll_one(nb, POLLIN, 0));
	close(nb);
}

TEST_F(bounded, bounded_capacity_and_poll)
{
	char buf[8];
	int i, nb;

	nb = open(BOX, O_WRONLY | O_NONBLOCK);
	ASSERT_LE(0, nb);
	EXPECT_EQ(POLLOUT, poll_one(self->fd, POLLIN | POLLOUT, 0));
	for (i = 0; i < BOUNDED_CAPACITY; i++)
		ASSERT_EQ(1, write(nb, "x", 1)) TH_LOG("message %d", i);
	/* Full: one past the limit fails and is not queued. */
	EXPECT_EQ(-1, write(nb, "y", 1));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(POLLIN, poll_one(self->fd, POLLIN | POLLOUT, 0));
	ASSERT_EQ(1, read(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(POLLIN | POLLOUT, poll_one(self->fd, POLLIN | POLLOUT, 0));
	EXPECT_EQ(1, write(nb, "z", 1));
	for (i = 0; i < BOUNDED_CAPACITY; i++)
		ASSERT_EQ(1, read(self->fd, buf, sizeof(buf)));
	EXPECT_EQ('z', buf[0]);
	close(nb);
}

TEST_F(bounded, bounded_blocked_sender_resumes_after_receive)
{
	char buf[8];
	pid_t pid;
	int i;

	for (i = 0; i < BOUNDED_CAPACITY; i++)
		ASSERT_EQ(1, write(self->fd, "a", 1));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(write(self->fd, "b", 1) == 1 ? 0 : 1);
	ASSERT_EQ(1, read(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(0, child_status(pid));
	for (i = 0; i < BOUNDED_CAPACITY; i++)
		ASSERT_EQ(1, read(self->fd, buf, sizeof(buf)));
	EXPECT_EQ('b', buf[0]);
}

TEST_F(unbounded, unbounded_never_blocks)
{
	int i, nb;

	nb = open(BOX, O_WRONLY | O_NONBLOCK);
	ASSERT_LE(0, nb);
	for (i = 0; i < 1000; i++)
		ASSERT_EQ(4, write(nb, &i, 4)) TH_LOG("message %d", i);
	EXPECT_EQ(POLLIN | POLLOUT, poll_one(self->fd, POLLIN | POLLOUT, 0));
	for (i = 0; i < 1000; i++) {
		int v;

		ASSERT_EQ(4, read(self->fd, &v, sizeof(v)));
		ASSERT_EQ(i, v);
	}
	close(nb);
}

/* Sends 1000-byte messages on @fd until one fails; returns how many fit. */
static int fill_until_refused(int fd, int *err)
{
	static char msg[1000];
	int n = 0;

	while (n < 100000 && write(fd, msg, sizeof(msg)) == sizeof(msg))
		n++;
	*err = errno;
	return n;
}

TEST_F(unbounded, unbounded_per_user_limit)
{
	char buf[MAX_MSG];
	int n, again, err, status;
	pid_t pid;

	ASSERT_EQ(0, ipcmbox_test_set_param("user_bytes_max", 10000));

	/* Message size plus bookkeeping is charged: fewer than 10 fit. */
	n = fill_until_refused(self->fd, &err);
	EXPECT_EQ(ENOBUFS, err);
	EXPECT_LT(0, n);
	EXPECT_GT(10, n);

	/* Another user has a limit of its own. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int fd, m;

		if (setgid(65534) || setuid(65534))
			_exit(100);
		fd = open(BOX, O_WRONLY);
		if (fd < 0)
			_exit(101);
		m = fill_until_refused(fd, &err);
		_exit(err == ENOBUFS ? m : 102);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(n, WEXITSTATUS(status));

	/* Receiving returns the charge: exactly one more fits again. */
	ASSERT_EQ(1000, read(self->fd, buf, sizeof(buf)));
	again = fill_until_refused(self->fd, &err);
	EXPECT_EQ(1, again);
	EXPECT_EQ(ENOBUFS, err);

	/* Nothing was lost: every accepted message is still there. */
	for (again = 0; again < 2 * n; again++)
		ASSERT_EQ(1000, read(self->fd, buf, sizeof(buf))) TH_LOG("message %d", again);
}

TEST_F(rendezvous, rendezvous_needs_a_waiting_receiver)
{
	pid_t pid;
	int nb;

	nb = open(BOX, O_WRONLY | O_NONBLOCK);
	ASSERT_LE(0, nb);
	/* Nobody receives: not writable, a non-blocking send fails. */
	EXPECT_EQ(0, poll_one(nb, POLLOUT, 0));
	EXPECT_EQ(-1, write(nb, "m", 1));
	EXPECT_EQ(EAGAIN, errno);
	/* A receiver waits: writable, and the send hands the message over. */
	pid = child_receive("hand-off", 8, 64);
	ASSERT_LE(0, pid);
	ASSERT_EQ(0, wait_for(nb, POLLOUT));
	EXPECT_EQ(8, write(nb, "hand-off", 8));
	EXPECT_EQ(0, child_status(pid));
	EXPECT_EQ(0, poll_one(nb, POLLOUT, 0));
	close(nb);
}

TEST_F(rendezvous, rendezvous_waiting_sender_makes_readable)
{
	char buf[16];
	pid_t pid;
	int nb;

	nb = open(BOX, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, nb);
	EXPECT_EQ(0, poll_one(nb, POLLIN, 0));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(write(self->fd, "offer", 5) == 5 ? 0 : 1);
	ASSERT_EQ(0, wait_for(nb, POLLIN));
	/* A non-blocking receive takes the waiting sender's message. */
	ASSERT_EQ(5, read(nb, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "offer", 5));
	EXPECT_EQ(0, child_status(pid));
	close(nb);
}

static void on_sigusr1(int sig)
{
	(void)sig;
}

/* A child blocked in @op (read or write) gets SIGUSR1 without SA_RESTART. */
static pid_t child_blocked_op(int fd, int do_write)
{
	pid_t pid = fork();

	if (pid == 0) {
		struct sigaction sa = { .sa_handler = on_sigusr1 };
		char buf[16];
		ssize_t n;

		sigaction(SIGUSR1, &sa, NULL);
		n = do_write ? write(fd, "late", 4) : read(fd, buf, sizeof(buf));
		_exit(n == -1 && errno == EINTR ? 0 : 1);
	}
	return pid;
}

TEST_F(rendezvous, signal_interrupts_blocked_receive)
{
	pid_t pid;
	int nb;

	nb = open(BOX, O_RDWR | O_NONBLOCK);
	ASSERT_LE(0, nb);
	pid = child_blocked_op(self->fd, 0);
	ASSERT_LE(0, pid);
	ASSERT_EQ(0, wait_for(nb, POLLOUT));
	ASSERT_EQ(0, kill(pid, SIGUSR1));
	EXPECT_EQ(0, child_status(pid));
	/* The receiver is gone: nobody to hand a message to. */
	EXPECT_EQ(-1, write(nb, "m", 1));
	EXPECT_EQ(EAGAIN, errno);
	close(nb);
}

TEST_F(blocking, signal_interrupts_blocked_send_without_queueing)
{
	char buf[16];
	pid_t pid;
	int nb;

	nb = open(BOX, O_RDWR | O_NONBLOCK);
	ASSERT_LE(0, nb);
	if (variant->bounded) {
		int i;

		for (i = 0; i < variant->bounded; i++)
			ASSERT_EQ(1, write(nb, "f", 1));
	}
	pid = child_blocked_op(self->fd, 1);
	ASSERT_LE(0, pid);
	if (!variant->bounded) {
		ASSERT_EQ(0, wait_for(nb, POLLIN));
	} else {
		/* No handshake shows a sender sleeping on a full queue yet;
		 * the child is checked to be asleep in the kernel instead.
		 */
		char path[64], state = 0;
		int tries;

		snprintf(path, sizeof(path), "/proc/%d/stat", pid);
		for (tries = 0; tries < 2000 && state != 'S'; tries++) {
			FILE *f = fopen(path, "r");

			ASSERT_NE(NULL, f);
			ASSERT_EQ(1, fscanf(f, "%*d %*s %c", &state));
			fclose(f);
			if (state != 'S')
				usleep(1000);
		}
		ASSERT_EQ('S', state);
	}
	ASSERT_EQ(0, kill(pid, SIGUSR1));
	EXPECT_EQ(0, child_status(pid));
	if (!variant->bounded) {
		/* The offer was withdrawn. */
		EXPECT_EQ(-1, read(nb, buf, sizeof(buf)));
		EXPECT_EQ(EAGAIN, errno);
	} else {
		int i;

		for (i = 0; i < variant->bounded; i++) {
			ASSERT_EQ(1, read(nb, buf, sizeof(buf)));
			EXPECT_EQ('f', buf[0]);
		}
		EXPECT_EQ(-1, read(nb, buf, sizeof(buf)));
		EXPECT_EQ(EAGAIN, errno);
	}
	close(nb);
}

TEST_F(mbox, access_mode_limits_direction)
{
	int ro = open(BOX, O_RDONLY), wo = open(BOX, O_WRONLY);
	char buf[8];

	ASSERT_LE(0, ro);
	ASSERT_LE(0, wo);
	EXPECT_EQ(-1, write(ro, "x", 1));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(-1, read(wo, buf, sizeof(buf)));
	EXPECT_EQ(EBADF, errno);
	close(ro);
	close(wo);
}

TEST_F(queued, messages_persist_across_close)
{
	char buf[8];
	int fd;

	ASSERT_EQ(4, write(self->fd, "kept", 4));
	close(self->fd);
	fd = open(BOX, O_RDWR);
	ASSERT_LE(0, fd);
	self->fd = fd;
	ASSERT_EQ(4, read(fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "kept", 4));
}

TEST_F(mbox, open_fd_pins_module)
{
	EXPECT_EQ(EWOULDBLOCK, ipcmbox_test_unload());
	EXPECT_TRUE(ipcmbox_test_loaded());
}

TEST_F(mbox, other_users_are_refused_by_mode)
{
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (setgid(65534) || setuid(65534))
			_exit(10);
		int fd = open(BOX, O_RDWR);

		_exit(fd == -1 && errno == EACCES ? 0 : 1);
	}
	EXPECT_EQ(0, child_status(pid));
}

TEST_HARNESS_MAIN
