// SPDX-License-Identifier: GPL-2.0-only
/*
 * ipcmbox: an anonymous mailbox (ipcmbox_pair()) per channel, in each
 * capacity mode, through read(2)/write(2) or through the SEND/RECV ioctls
 * (ipcmbox_send()/ipcmbox_recv()).  Bounded mailboxes hold the run's queue
 * depth.  An unbounded mailbox is limited only by the per-user byte quota
 * (ENOBUFS): a sender that meets it yields and retries.
 */
#include <errno.h>
#include <sched.h>
#include <unistd.h>

#include <ipcmbox.h>

#include "../bench.h"

static size_t mbox_max_size(const struct bench_params *p, const char **why)
{
	size_t max = bench_read_ulong("/sys/module/ipcmbox/parameters/msg_size_max",
				      1UL << 20);

	if (p->size > max) {
		*why = "above the module's msg_size_max";
		return max;
	}
	return p->size;
}

static int mbox_setup(struct bench_chan *ch, uint32_t capacity)
{
	struct ipcmbox_attr a = {
		.set = IPCMBOX_SET_CAPACITY | IPCMBOX_SET_MAX_MSG,
		.capacity = capacity,
		.max_msg = ch->p.size > 8192 ? (uint32_t)ch->p.size : 8192,
	};

	return ipcmbox_pair(&a, IPCMBOX_PAIR_CLOEXEC, ch->fd) ? -errno : 0;
}

static int zero_setup(struct bench_chan *ch)
{
	return mbox_setup(ch, IPCMBOX_CAP_RENDEZVOUS);
}

static int bounded_setup(struct bench_chan *ch)
{
	return mbox_setup(ch, ch->p.depth);
}

static int unbounded_setup(struct bench_chan *ch)
{
	return mbox_setup(ch, IPCMBOX_CAP_UNBOUNDED);
}

static ssize_t rw_send(struct bench_chan *ch, const void *buf, size_t len)
{
	ssize_t n;

	while ((n = BENCH_SYS(write(ch->fd[1], buf, len))) < 0 &&
	       errno == ENOBUFS)
		sched_yield();
	return n < 0 ? -errno : n;
}

static ssize_t ioctl_send(struct bench_chan *ch, const void *buf, size_t len)
{
	int r;

	while ((r = BENCH_SYS(ipcmbox_send(ch->fd[1], buf, len, NULL,
					    NULL))) &&
	       errno == ENOBUFS)
		sched_yield();
	return r ? -errno : (ssize_t)len;
}

static ssize_t ioctl_recv(struct bench_chan *ch, void *buf, size_t cap)
{
	ssize_t n = BENCH_SYS(ipcmbox_recv(ch->fd[0], buf, cap, NULL, NULL));

	return n < 0 ? -errno : n;
}

#define MBOX_ADAPTER(id, nm, what, setupfn, sendfn, recvfn)		\
const struct bench_adapter id = {					\
	.name = nm,							\
	.desc = what,							\
	.wait = "blocking",						\
	.copies = 2,							\
	.copies_how = "sender to kernel, kernel to receiver", \
	.caps = BENCH_CAP_FANIN | BENCH_CAP_KERNEL,			\
	.max_size = mbox_max_size,					\
	.setup = setupfn,						\
	.attach = bench_fd_attach,					\
	.send = sendfn,							\
	.recv = recvfn,							\
	.teardown = bench_fd_teardown,					\
}

MBOX_ADAPTER(bench_mbox_zero, "ipcmbox-zero",
	     "ipcmbox rendezvous (capacity 0), read/write",
	     zero_setup, rw_send, bench_fd_recv);
MBOX_ADAPTER(bench_mbox_bounded, "ipcmbox-bounded",
	     "ipcmbox bounded (capacity = depth), read/write",
	     bounded_setup, rw_send, bench_fd_recv);
MBOX_ADAPTER(bench_mbox_unbounded, "ipcmbox-unbounded",
	     "ipcmbox unbounded, read/write",
	     unbounded_setup, rw_send, bench_fd_recv);
MBOX_ADAPTER(bench_mbox_zero_ioctl, "ipcmbox-zero-ioctl",
	     "ipcmbox rendezvous (capacity 0), SEND/RECV ioctls",
	     zero_setup, ioctl_send, ioctl_recv);
MBOX_ADAPTER(bench_mbox_bounded_ioctl, "ipcmbox-bounded-ioctl",
	     "ipcmbox bounded (capacity = depth), SEND/RECV ioctls",
	     bounded_setup, ioctl_send, ioctl_recv);
MBOX_ADAPTER(bench_mbox_unbounded_ioctl, "ipcmbox-unbounded-ioctl",
	     "ipcmbox unbounded, SEND/RECV ioctls",
	     unbounded_setup, ioctl_send, ioctl_recv);
