// SPDX-License-Identifier: GPL-2.0-only
/*
 * A receive takes its message out of the queue and then copies it to the
 * caller, outside the mailbox lock; a send copies its payload in before it
 * takes the lock.  These tests hold such a copy in a page fault
 * (userfaultfd), change the mailbox meanwhile, and then let the copy fail
 * (the page made inaccessible: EFAULT, and a received message goes back)
 * or finish.  No sleeps: the fault event on the userfaultfd is the
 * handshake for "the call is copying".
 *
 * Each test runs twice: with read(2)/write(2) and with the ioctls.
 */
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "ipcmbox_test.h"

#define M	"copy"

/* A call on its own thread whose buffer is a page userfaultfd holds. */
struct held {
	int fd;			/* the sending or receiving file */
	int uffd;
	int use_read;		/* read(2)/write(2), not the ioctls */
	int send;		/* a send of @len bytes, not a receive */
	size_t len;
	char *page;
	size_t page_size;
	pthread_t thread;
	ssize_t ret;
	int err;
	struct ipcmbox_envelope env;
};

FIXTURE(copy) {
	int fd;			/* the test's own file */
	struct held h;
};

FIXTURE_VARIANT(copy) {
	int use_read;
};

FIXTURE_VARIANT_ADD(copy, read) { .use_read = 1 };
FIXTURE_VARIANT_ADD(copy, ioctl) { .use_read = 0 };

FIXTURE_SETUP(copy)
{
	struct ipcmbox_attr a = {
		.set = IPCMBOX_SET_CAPACITY, .capacity = 8,
	};
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	struct held *h = &self->h;

	self->fd = -1;
	memset(h, 0, sizeof(*h));
	h->fd = -1;
	h->page = MAP_FAILED;
	h->use_read = variant->use_read;
	if (getuid() != 0)
		SKIP(return, "needs root: userfaultfd for kernel-mode faults");
	h->uffd = syscall(SYS_userfaultfd, O_CLOEXEC);
	if (h->uffd < 0 && errno == ENOSYS)
		SKIP(return, "kernel without userfaultfd (CONFIG_USERFAULTFD)");
	ASSERT_LE(0, h->uffd) TH_LOG("userfaultfd: %s", strerror(errno));
	ASSERT_EQ(0, ioctl(h->uffd, UFFDIO_API, &api));

	h->page_size = sysconf(_SC_PAGESIZE);
	h->page = mmap(NULL, h->page_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, h->page);
	reg.range.start = (unsigned long)h->page;
	reg.range.len = h->page_size;
	ASSERT_EQ(0, ioctl(h->uffd, UFFDIO_REGISTER, &reg));

	ipcmbox_remove(M);
	ASSERT_EQ(0, ipcmbox_create(M, &a));
	self->fd = ipcmbox_open(M, O_RDWR);
	ASSERT_LE(0, self->fd);
	h->fd = ipcmbox_open(M, O_RDWR);
	ASSERT_LE(0, h->fd);
}

FIXTURE_TEARDOWN(copy)
{
	if (self->h.page != MAP_FAILED)
		munmap(self->h.page, self->h.page_size);
	if (self->h.uffd > 0)
		close(self->h.uffd);
	if (self->h.fd >= 0)
		close(self->h.fd);
	if (self->fd >= 0)
		close(self->fd);
	ipcmbox_remove(M);
}

static void *call(void *arg)
{
	struct held *h = arg;

	if (h->send && h->use_read)
		h->ret = write(h->fd, h->page, h->len);
	else if (h->send)
		h->ret = ipcmbox_send(h->fd, h->page, h->len, NULL, NULL) ?:
			 (ssize_t)h->len;
	else if (h->use_read)
		h->ret = read(h->fd, h->page, h->page_size);
	else
		h->ret = ipcmbox_recv(h->fd, h->page, h->page_size, NULL,
				      &h->env);
	h->err = h->ret < 0 ? errno : 0;
	return NULL;
}

/*
 * Starts the call and returns once its copy is held in the fault: a
 * receive's message is out of the queue, not yet with the caller; a send
 * has not taken the mailbox lock yet.
 */
static void hold(struct __test_metadata *_metadata, struct held *h)
{
	struct pollfd p = { .fd = h->uffd, .events = POLLIN };
	struct uffd_msg msg;

	ASSERT_EQ(0, pthread_create(&h->thread, NULL, call, h));
	ASSERT_EQ(1, poll(&p, 1, 30000)) TH_LOG("the copy never faulted");
	ASSERT_EQ((ssize_t)sizeof(msg), read(h->uffd, &msg, sizeof(msg)));
	ASSERT_EQ(UFFD_EVENT_PAGEFAULT, msg.event);
	ASSERT_EQ((unsigned long)h->page,
		  msg.arg.pagefault.address & ~(h->page_size - 1));
}

/* Lets the held copy fault for good; returns what the receive returned. */
static ssize_t fail_copy(struct __test_metadata *_metadata, struct held *h)
{
	struct uffdio_range wake = {
		.start = (unsigned long)h->page, .len = h->page_size,
	};

	EXPECT_EQ(0, mprotect(h->page, h->page_size, PROT_NONE));
	EXPECT_EQ(0, ioctl(h->uffd, UFFDIO_WAKE, &wake));
	EXPECT_EQ(0, pthread_join(h->thread, NULL));
	return h->ret;
}

/* Maps a zeroed page, so the held copy finishes. */
static ssize_t finish_copy(struct __test_metadata *_metadata, struct held *h)
{
	struct uffdio_zeropage zp = {
		.range = { .start = (unsigned long)h->page,
			   .len = h->page_size },
	};

	EXPECT_EQ(0, ioctl(h->uffd, UFFDIO_ZEROPAGE, &zp));
	EXPECT_EQ(0, pthread_join(h->thread, NULL));
	return h->ret;
}

static void send_str(struct __test_metadata *_metadata, int fd,
		     const char *s, uint64_t *seq)
{
	ASSERT_EQ(0, ipcmbox_send(fd, s, strlen(s), NULL, seq));
}

/* Receives one message from @fd and checks its text and sequence. */
static void expect_msg(struct __test_metadata *_metadata, int fd,
		       const char *s, uint64_t seq)
{
	struct ipcmbox_opts o = { .flags = IPCMBOX_IO_NONBLOCK };
	struct ipcmbox_envelope env;
	char buf[64] = "";

	ASSERT_EQ((ssize_t)strlen(s), ipcmbox_recv(fd, buf, sizeof(buf), &o,
						   &env));
	EXPECT_STREQ(s, buf);
	EXPECT_EQ(seq, env.seq);
}

TEST_F(copy, a_failed_copy_puts_the_message_back_before_later_ones)
{
	uint64_t s1, s2, s3;

	send_str(_metadata, self->fd, "first", &s1);
	send_str(_metadata, self->fd, "second", &s2);
	hold(_metadata, &self->h);
	/* "first" is out of the queue while it is being copied. */
	EXPECT_EQ(1, IPCMBOX_STAT(M, depth));
	expect_msg(_metadata, self->fd, "second", s2);
	send_str(_metadata, self->fd, "third", &s3);

	EXPECT_EQ(-1, fail_copy(_metadata, &self->h));
	EXPECT_EQ(EFAULT, self->h.err);
	EXPECT_EQ(2, IPCMBOX_STAT(M, depth));
	EXPECT_EQ(1, IPCMBOX_STAT(M, received));
	EXPECT_EQ(1, IPCMBOX_STAT(M, recv_failed));
	expect_msg(_metadata, self->fd, "first", s1);
	expect_msg(_metadata, self->fd, "third", s3);
}

TEST_F(copy, a_failed_copy_hands_the_message_to_a_blocked_receiver)
{
	struct ipcmbox_envelope env;
	char buf[64] = "";
	uint64_t s1;
	pid_t child;
	int status;

	send_str(_metadata, self->fd, "first", &s1);
	hold(_metadata, &self->h);
	EXPECT_EQ(0, IPCMBOX_STAT(M, depth));
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		ssize_t n = ipcmbox_recv(self->fd, buf, sizeof(buf), NULL,
					 &env);

		_exit(n == 5 && !strcmp(buf, "first") && env.seq == s1 ? 0 : 1);
	}
	ASSERT_TRUE(IPCMBOX_WAIT_FOR(IPCMBOX_STAT(M, recv_waiting) == 1));

	EXPECT_EQ(-1, fail_copy(_metadata, &self->h));
	EXPECT_EQ(EFAULT, self->h.err);
	ASSERT_EQ(child, waitpid(child, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	EXPECT_EQ(0, IPCMBOX_STAT(M, depth));
	EXPECT_EQ(1, IPCMBOX_STAT(M, received));
}

TEST_F(copy, removal_during_a_copy_that_then_fails_frees_the_message)
{
	char buf[8];

	send_str(_metadata, self->fd, "first", NULL);
	send_str(_metadata, self->fd, "second", NULL);
	hold(_metadata, &self->h);
	ASSERT_EQ(0, ipcmbox_remove(M));
	EXPECT_EQ(-1, IPCMBOX_STAT(M, depth));
	EXPECT_EQ(-1, read(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(EIDRM, errno);

	/* Nowhere to put it back: the message goes with the mailbox. */
	EXPECT_EQ(-1, fail_copy(_metadata, &self->h));
	EXPECT_EQ(EFAULT, self->h.err);
	EXPECT_EQ(-1, read(self->h.fd, buf, sizeof(buf)));
	EXPECT_EQ(EIDRM, errno);
}

TEST_F(copy, removal_during_a_copy_that_then_finishes_delivers_the_message)
{
	uint64_t s1;

	send_str(_metadata, self->fd, "first", &s1);
	hold(_metadata, &self->h);
	ASSERT_EQ(0, ipcmbox_remove(M));

	/* The receive took its message before the removal: it has it. */
	EXPECT_EQ(5, finish_copy(_metadata, &self->h));
	EXPECT_EQ(0, memcmp(self->h.page, "first", 5));
	if (!self->h.use_read)
		EXPECT_EQ(s1, self->h.env.seq);
}

TEST_F(copy, removal_during_a_send_copy_fails_the_send_with_eidrm)
{
	self->h.send = 1;
	self->h.len = 5;
	hold(_metadata, &self->h);
	ASSERT_EQ(0, ipcmbox_remove(M));

	EXPECT_EQ(-1, finish_copy(_metadata, &self->h));
	EXPECT_EQ(EIDRM, self->h.err);
}

TEST_F(copy, a_limit_lowered_during_a_send_copy_holds_for_that_send)
{
	struct ipcmbox_attr a = { .set = IPCMBOX_SET_MAX_MSG, .max_msg = 4 };

	self->h.send = 1;
	self->h.len = 5;
	hold(_metadata, &self->h);
	ASSERT_EQ(0, ipcmbox_configure(self->fd, &a));

	EXPECT_EQ(-1, finish_copy(_metadata, &self->h));
	EXPECT_EQ(EMSGSIZE, self->h.err);
	EXPECT_EQ(0, IPCMBOX_STAT(M, depth));
	EXPECT_EQ(1, IPCMBOX_STAT(M, send_failed));
	/* The message it would have been is not there; a short one fits. */
	send_str(_metadata, self->fd, "four", NULL);
	expect_msg(_metadata, self->fd, "four", 1);
}

TEST_F(copy, a_send_whose_copy_faults_queues_nothing)
{
	self->h.send = 1;
	self->h.len = 5;
	hold(_metadata, &self->h);

	EXPECT_EQ(-1, fail_copy(_metadata, &self->h));
	EXPECT_EQ(EFAULT, self->h.err);
	EXPECT_EQ(0, IPCMBOX_STAT(M, depth));
	send_str(_metadata, self->fd, "next", NULL);
	expect_msg(_metadata, self->fd, "next", 1);
}

TEST_HARNESS_MAIN
