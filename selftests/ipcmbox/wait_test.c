// SPDX-License-Identifier: GPL-2.0-only
/*
 * Waiting: rendezvous hand-off with poll on both sides, signals during a
 * blocked send and receive (nothing lost, nothing duplicated, SA_RESTART),
 * removal while senders, receivers and pollers are blocked, blocked typed
 * and short-buffer receivers, SIGIO to several listeners, and F_SETSIG's
 * siginfo (reason, band, fd).
 *
 * Children block in the mailbox; the parent learns that they do from the
 * mailbox's waiter counters (or /proc/PID/wchan for poll), never from a
 * delay.
 */
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "ipcmbox_test.h"

#define M	"w"

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	(void)sig;
	got_signal++;
}

static void catch(int sig, int flags)
{
	struct sigaction sa = { .sa_handler = on_signal, .sa_flags = flags };

	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

FIXTURE(wait) {
	int fd;
};

FIXTURE_VARIANT(wait) {
	uint32_t capacity;
};

FIXTURE_VARIANT_ADD(wait, rendezvous) { .capacity = 0 };
FIXTURE_VARIANT_ADD(wait, bounded) { .capacity = 1 };

FIXTURE_SETUP(wait)
{
	struct ipcmbox_attr a = {
		.set = IPCMBOX_SET_CAPACITY, .capacity = variant->capacity,
	};

	self->fd = -1;
	if (getuid() != 0)
		SKIP(return, "needs root to reload the module");
	ASSERT_EQ(0, ipcmbox_test_reload(""));
	ASSERT_EQ(0, ipcmbox_create(M, &a));
	self->fd = ipcmbox_open(M, O_RDWR);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(wait)
{
	if (self->fd >= 0)
		close(self->fd);
	ipcmbox_remove(M);
}

/* Makes the next send block: fills a bounded mailbox; rendezvous blocks. */
static void fill(struct __test_metadata *_metadata, int fd, uint32_t cap)
{
	if (cap)
		ASSERT_EQ(0, ipcmbox_send(fd, "fill", 4, NULL, NULL));
}

TEST_F(wait, signal_interrupts_blocked_send_with_nothing_sent)
{
	pid_t child;

	fill(_metadata, self->fd, variant->capacity);
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		catch(SIGUSR1, 0);
		if (write(self->fd, "lost?", 5) != -1 || errno != EINTR)
			_exit(1);
		_exit(got_signal == 1 ? 0 : 2);
	}
	ASSERT_TRUE(IPCMBOX_WAIT_FOR(IPCMBOX_STAT(M, send_waiting) == 1));
	kill(child, SIGUSR1);
	EXPECT_EQ(0, ipcmbox_test_child_status(child));
	EXPECT_EQ(0, IPCMBOX_STAT(M, send_waiting));
	EXPECT_EQ(variant->capacity ? 1 : 0, IPCMBOX_STAT(M, depth));
	EXPECT_EQ(variant->capacity ? 1 : 0, IPCMBOX_STAT(M, sent));
}

TEST_F(wait, signal_interrupts_blocked_receive_with_nothing_taken)
{
	char buf[8];
	pid_t child;

	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		catch(SIGUSR1, 0);
		if (read(self->fd, buf, sizeof(buf)) != -1 || errno != EINTR)
			_exit(1);
		_exit(0);
	}
	ASSERT_TRUE(IPCMBOX_WAIT_FOR(IPCMBOX_STAT(M, recv_waiting) == 1));
	kill(child, SIGUSR1);
	EXPECT_EQ(0, ipcmbox_test_child_status(child));
	EXPECT_EQ(0, IPCMBOX_STAT(M, recv_waiting));
	EXPECT_EQ(0, IPCMBOX_STAT(M, received));
}

TEST_F(wait, sa_restart_resumes_and_delivers_exactly_once)
{
	char buf[8];
	pid_t child;

	fill(_metadata, self->fd, variant->capacity);
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		catch(SIGUSR1, SA_RESTART);
		if (write(self->fd, "once", 4) != 4)
			_exit(1);
		_exit(got_signal == 1 ? 0 : 2);
	}
	ASSERT_TRUE(IPCMBOX_WAIT_FOR(IPCMBOX_STAT(M, send_waiting) == 1));
	kill(child, SIGUSR1);
	/* Restarted: it blocks again. */
	ASSERT_TRUE(IPCMBOX_WAIT_FOR(IPCMBOX_STAT(M, send_waiting) == 1 &&
				     IPCMBOX_STAT(M, send_failed) == 0));
	if (variant->capacity)
		ASSERT_EQ(4, read(self->fd, buf, sizeof(buf)));
	ASSERT_EQ(4, read(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "once", 4));
	EXPECT_EQ(0, ipcmbox_test_child_status(child));
	EXPECT_EQ(-1, ipcmbox_recv(self->fd, buf, sizeof(buf),
				   &(struct ipcmbox_opts){ .flags = IPCMBOX_IO_NONBLOCK },
				   NULL));
	EXPECT_EQ(EAGAIN, errno);
}

TEST_F(wait, poll_both_sides_of_a_hand_off)
{
	struct pollfd p = { .fd = self->fd, .events = POLLIN | POLLOUT };
	char buf[8];
	pid_t child;

	/* Nobody waits: a rendezvous mailbox is neither readable nor
	 * writable; an empty bounded one is writable only. */
	ASSERT_EQ(variant->capacity ? 1 : 0, poll(&p, 1, 0));
	EXPECT_EQ(variant->capacity ? POLLOUT : 0, p.revents);

	/* A receiver blocks: writable (rendezvous: a receiver waits). */
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0)
		_exit(read(self->fd, buf, sizeof(buf)) == 2 &&
		      !memcmp(buf, "hi", 2) ? 0 : 1);
	ASSERT_TRUE(IPCMBOX_WAIT_FOR(IPCMBOX_STAT(M, recv_waiting) == 1));
	p.events = POLLOUT;
	ASSERT_EQ(1, poll(&p, 1, 0));
	EXPECT_EQ(POLLOUT, p.revents);
	/* So a non-blocking send succeeds, straight to that receiver. */
	ASSERT_EQ(0, ipcmbox_send(self->fd, "hi", 2,
				  &(struct ipcmbox_opts){ .flags = IPCMBOX_IO_NONBLOCK },
				  NULL));
	EXPECT_EQ(0, ipcmbox_test_child_status(child));
	EXPECT_EQ(0, IPCMBOX_STAT(M, depth));

	/* A sender blocks (rendezvous) or queues: readable. */
	fill(_metadata, self->fd, variant->capacity);
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0)
		_exit(write(self->fd, "yo", 2) == 2 ? 0 : 1);
	ASSERT_TRUE(IPCMBOX_WAIT_FOR(IPCMBOX_STAT(M, send_waiting) == 1));
	p.events = POLLIN | POLLOUT;
	ASSERT_EQ(1, poll(&p, 1, 0));
	EXPECT_EQ(POLLIN, p.revents);
	if (variant->capacity)
		ASSERT_EQ(4, read(self->fd, buf, sizeof(buf)));
	ASSERT_EQ(2, read(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(0, ipcmbox_test_child_status(child));
}

TEST_F(wait, poller_is_woken_by_a_waiting_receiver_or_a_message)
{
	struct pollfd p = { .fd = self->fd };
	char buf[8];
	pid_t poller, receiver;

	fill(_metadata, self->fd, variant->capacity);
	poller = fork();
	ASSERT_LE(0, poller);
	if (poller == 0) {
		p.events = POLLOUT;
		_exit(poll(&p, 1, 60000) == 1 && p.revents == POLLOUT ? 0 : 1);
	}
	ASSERT_TRUE(IPCMBOX_WAIT_FOR(ipcmbox_test_sleeps_in(poller, "poll")));
	/* Rendezvous: a receiver starts waiting; bounded: space frees. */
	receiver = fork();
	ASSERT_LE(0, receiver);
	if (receiver == 0)
		_exit(read(self->fd, buf, sizeof(buf)) >= 0 ? 0 : 1);
	EXPECT_EQ(0, ipcmbox_test_child_status(poller));
	if (!variant->capacity)
		ASSERT_EQ(0, ipcmbox_send(self->fd, "z", 1, NULL, NULL));
	EXPECT_EQ(0, ipcmbox_test_child_status(receiver));
}

TEST_F(wait, removal_wakes_senders_receivers_and_pollers_with_eidrm)
{
	pid_t sender, receiver, poller;
	int rfd;

	/* A second mailbox fd for the receiver: the fill keeps "w" full. */
	fill(_metadata, self->fd, variant->capacity);
	sender = fork();
	ASSERT_LE(0, sender);
	if (sender == 0)
		_exit(write(self->fd, "s", 1) == -1 && errno == EIDRM ? 0 : 1);
	ASSERT_TRUE(IPCMBOX_WAIT_FOR(IPCMBOX_STAT(M, send_waiting) == 1));

	ASSERT_EQ(0, ipcmbox_create("w2", NULL));
	rfd = ipcmbox_open("w2", O_RDWR);
	ASSERT_LE(0, rfd);
	receiver = fork();
	ASSERT_LE(0, receiver);
	if (receiver == 0) {
		char buf[8];

		_exit(read(rfd, buf, sizeof(buf)) == -1 && errno == EIDRM ? 0 : 1);
	}
	ASSERT_TRUE(IPCMBOX_WAIT_FOR(IPCMBOX_STAT("w2", recv_waiting) == 1));
	poller = fork();
	ASSERT_LE(0, poller);
	if (poller == 0) {
		struct pollfd p = { .fd = rfd, .events = POLLIN };

		_exit(poll(&p, 1, 60000) == 1 &&
		      p.revents == (POLLERR | POLLHUP) ? 0 : 1);
	}
	ASSERT_TRUE(IPCMBOX_WAIT_FOR(ipcmbox_test_sleeps_in(poller, "poll")));

	ASSERT_EQ(0, ipcmbox_remove(M));
	ASSERT_EQ(0, ipcmbox_remove("w2"));
	/* The names are gone at once. */
	EXPECT_EQ(-1, access(IPCMBOX_DEV_DIR "/" M, F_OK));
	EXPECT_EQ(-1, ipcmbox_stat_name("w2", &(struct ipcmbox_stat){ 0 }));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(0, ipcmbox_test_child_status(sender));
	EXPECT_EQ(0, ipcmbox_test_child_status(receiver));
	EXPECT_EQ(0, ipcmbox_test_child_status(poller));

	/* Later calls on the open fds: EIDRM. */
	EXPECT_EQ(-1, write(self->fd, "x", 1));
	EXPECT_EQ(EIDRM, errno);
	EXPECT_EQ(-1, read(rfd, (char[4]){ 0 }, 4));
	EXPECT_EQ(EIDRM, errno);
	close(rfd);
}

TEST_F(wait, blocked_short_buffer_receiver_gets_emsgsize)
{
	pid_t child;

	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		char buf[2];

		_exit(read(self->fd, buf, sizeof(buf)) == -1 &&
		      errno == EMSGSIZE ? 0 : 1);
	}
	ASSERT_TRUE(IPCMBOX_WAIT_FOR(IPCMBOX_STAT(M, recv_waiting) == 1));
	if (variant->capacity) {
		ASSERT_EQ(0, ipcmbox_send(self->fd, "long", 4, NULL, NULL));
		EXPECT_EQ(0, ipcmbox_test_child_status(child));
		EXPECT_EQ(1, IPCMBOX_STAT(M, depth));
	} else {
		/* Rendezvous: the long message waits for a fitting receiver. */
		pid_t sender = fork();

		ASSERT_LE(0, sender);
		if (sender == 0)
			_exit(write(self->fd, "long", 4) == 4 ? 0 : 1);
		EXPECT_EQ(0, ipcmbox_test_child_status(child));
		ASSERT_TRUE(IPCMBOX_WAIT_FOR(IPCMBOX_STAT(M, send_waiting) == 1));
		ASSERT_EQ(4, read(self->fd, (char[8]){ 0 }, 8));
		EXPECT_EQ(0, ipcmbox_test_child_status(sender));
	}
}

/*
 * Makes the mailbox readable with the message "io": queued (bounded), or
 * offered by a blocked sender (rendezvous), whose pid it returns; -1 when
 * there is none.
 */
static pid_t make_readable(struct __test_metadata *_metadata, int fd,
			   uint32_t cap)
{
	pid_t sender = -1;

	if (cap) {
		EXPECT_EQ(0, ipcmbox_send(fd, "io", 2, NULL, NULL));
	} else {
		sender = fork();
		EXPECT_LE(0, sender);
		if (sender == 0)
			_exit(write(fd, "io", 2) == 2 ? 0 : 1);
	}
	return sender;
}

/* Receives make_readable()'s message and reaps its sender, if any. */
static void take_io(struct __test_metadata *_metadata, int fd, pid_t sender)
{
	char buf[8];

	ASSERT_EQ(2, read(fd, buf, sizeof(buf)));
	if (sender > 0)
		EXPECT_EQ(0, ipcmbox_test_child_status(sender));
}

TEST_F(wait, sigio_reaches_every_listener)
{
	int i, fd, ready[2];
	pid_t listener[3], sender;
	char buf[8];
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGIO);
	ASSERT_EQ(0, pipe(ready));
	for (i = 0; i < 3; i++) {
		listener[i] = fork();
		ASSERT_LE(0, listener[i]);
		if (listener[i] == 0) {
			struct timespec ts = { .tv_sec = 60 };
			siginfo_t si;

			sigprocmask(SIG_BLOCK, &set, NULL);
			fd = ipcmbox_open(M, O_RDONLY);
			if (fd < 0 || fcntl(fd, F_SETOWN, getpid()) ||
			    fcntl(fd, F_SETFL, O_ASYNC) ||
			    write(ready[1], "r", 1) != 1)
				_exit(2);
			_exit(sigtimedwait(&set, &si, &ts) == SIGIO ? 0 : 1);
		}
	}
	/* Every listener has armed O_ASYNC. */
	for (i = 0; i < 3; i++)
		ASSERT_EQ(1, read(ready[0], buf, 1));
	sender = make_readable(_metadata, self->fd, variant->capacity);
	for (i = 0; i < 3; i++)
		EXPECT_EQ(0, ipcmbox_test_child_status(listener[i]));
	take_io(_metadata, self->fd, sender);
	close(ready[0]);
	close(ready[1]);
}

/*
 * With F_SETSIG a listener gets the signal it chose, queued per event, with
 * the reason (POLL_IN), the band and the fd in its siginfo.  The listener
 * reports through its exit status which check failed.
 */
TEST_F(wait, sigio_with_f_setsig_tells_poll_in_and_the_fd)
{
	int fd, ready[2], sig = SIGRTMIN + 1;
	pid_t listener, sender;
	char buf[8];
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	ASSERT_EQ(0, pipe(ready));
	listener = fork();
	ASSERT_LE(0, listener);
	if (listener == 0) {
		struct timespec ts = { .tv_sec = 60 };
		siginfo_t si;

		sigprocmask(SIG_BLOCK, &set, NULL);
		fd = ipcmbox_open(M, O_RDONLY);
		if (fd < 0 || fcntl(fd, F_SETOWN, getpid()) ||
		    fcntl(fd, F_SETSIG, sig) ||
		    fcntl(fd, F_SETFL, O_ASYNC) ||
		    write(ready[1], "r", 1) != 1)
			_exit(2);
		if (sigtimedwait(&set, &si, &ts) != sig)
			_exit(3);
		if (si.si_code != POLL_IN)
			_exit(4);
		if (si.si_fd != fd)
			_exit(5);
		if (!(si.si_band & POLLIN))
			_exit(6);
		_exit(0);
	}
	ASSERT_EQ(1, read(ready[0], buf, 1));
	sender = make_readable(_metadata, self->fd, variant->capacity);
	EXPECT_EQ(0, ipcmbox_test_child_status(listener));
	take_io(_metadata, self->fd, sender);
	close(ready[0]);
	close(ready[1]);
}

TEST(blocked_typed_receiver_gets_only_its_type)
{
	struct ipcmbox_opts t2 = { .type = 2 };
	struct ipcmbox_attr a = { .set = IPCMBOX_SET_CAPACITY, .capacity = 1 };
	char buf[8];
	pid_t child;
	int fd;

	ASSERT_EQ(0, ipcmbox_test_reload(""));
	ASSERT_EQ(0, ipcmbox_create(M, &a));
	fd = ipcmbox_open(M, O_RDWR);
	ASSERT_LE(0, fd);
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		ssize_t n = ipcmbox_recv(fd, buf, sizeof(buf), &t2, NULL);

		_exit(n == 3 && !memcmp(buf, "two", 3) ? 0 : 1);
	}
	ASSERT_TRUE(IPCMBOX_WAIT_FOR(IPCMBOX_STAT(M, recv_waiting) == 1));
	ASSERT_EQ(0, ipcmbox_send(fd, "one", 3,
				  &(struct ipcmbox_opts){ .type = 1 }, NULL));
	/* Type 1 was queued, the receiver still waits. */
	EXPECT_EQ(1, IPCMBOX_STAT(M, depth));
	EXPECT_EQ(1, IPCMBOX_STAT(M, recv_waiting));
	/* The queue is full; a type-2 send goes straight to the receiver. */
	ASSERT_EQ(0, ipcmbox_send(fd, "two", 3, &t2, NULL));
	EXPECT_EQ(0, ipcmbox_test_child_status(child));
	EXPECT_EQ(1, IPCMBOX_STAT(M, depth));
	close(fd);
	EXPECT_EQ(0, ipcmbox_remove(M));
}

TEST_HARNESS_MAIN
