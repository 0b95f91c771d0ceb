// SPDX-License-Identifier: GPL-2.0-only
/*
 * Packed batches, N messages per system call (N = 1, 8, 64 in the name):
 *
 *   ipcmbox-packed-bN  a bounded mailbox (capacity = depth);
 *                      ipcmbox_send_packed() of N messages copied into
 *                      one buffer (blocking until all N are in), and
 *                      ipcmbox_recv_packed(), which waits for one and
 *                      takes up to N, copied out of its buffer after.
 *
 * Both copies in user space are the adapter's, as pipe-writev-bN's
 * receiver copies frames out of what it read: the workload hands over
 * separate buffers.  A program that builds its messages in the packed
 * buffer does not pay them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <ipcmbox.h>

#include "../bench.h"

struct packed_priv {
	unsigned char *buf;
	size_t size;
};

static int packed_setup(struct bench_chan *ch)
{
	ch->priv = calloc(1, sizeof(struct packed_priv));
	if (!ch->priv)
		return -ENOMEM;
	return bench_mbox_bounded_setup(ch);
}

static int packed_attach(struct bench_chan *ch, enum bench_role role,
			 const struct bench_peers *peers)
{
	struct packed_priv *pp = ch->priv;

	bench_fd_attach(ch, role, peers);
	pp->size = bench_batch_of(ch) *
		   IPCMBOX_PACKED_SIZE(sizeof(struct ipcmbox_packed_recv),
				       ch->p.size);
	pp->buf = malloc(pp->size);
	return pp->buf ? 0 : -ENOMEM;
}

static ssize_t packed_send_batch(struct bench_chan *ch,
				 unsigned char *const *bufs, size_t len,
				 unsigned int n)
{
	struct packed_priv *pp = ch->priv;
	size_t off = 0;
	unsigned int k;
	int r;

	for (k = 0; k < n; k++) {
		void *p = ipcmbox_packed_add(pp->buf, pp->size, &off, len, 0, 0);

		if (!p)
			return -errno;
		memcpy(p, bufs[k], len);
	}
	r = BENCH_SYS(ipcmbox_send_packed(ch->fd[1], pp->buf, off, n, NULL,
					  NULL));
	return r < 0 ? -errno : r;
}

static ssize_t packed_recv_batch(struct bench_chan *ch,
				 unsigned char *const *bufs, size_t cap,
				 unsigned int n)
{
	struct packed_priv *pp = ch->priv;
	size_t off = 0;
	int k, r;

	r = BENCH_SYS(ipcmbox_recv_packed(ch->fd[0], pp->buf, pp->size, n,
					  NULL, NULL));
	if (r < 0)
		return -errno;
	for (k = 0; k < r; k++) {
		const struct ipcmbox_packed_recv *h =
			ipcmbox_packed_next(pp->buf, &off);

		if (h->len != ch->p.size || h->len > cap)
			return -EPROTO;
		memcpy(bufs[k], ipcmbox_packed_data(h), h->len);
	}
	return r;
}

static ssize_t packed_send1(struct bench_chan *ch, const void *buf, size_t len)
{
	unsigned char *b = (unsigned char *)buf;
	ssize_t r = packed_send_batch(ch, &b, len, 1);

	return r < 0 ? r : (ssize_t)len;
}

static ssize_t packed_recv1(struct bench_chan *ch, void *buf, size_t cap)
{
	unsigned char *b = buf;
	ssize_t r = packed_recv_batch(ch, &b, cap, 1);

	return r < 0 ? r : (ssize_t)ch->p.size;
}

static void packed_teardown(struct bench_chan *ch)
{
	struct packed_priv *pp = ch->priv;

	bench_fd_teardown(ch);
	if (pp)
		free(pp->buf);
	free(pp);
	ch->priv = NULL;
}

#define MBOX_PACKED(id, n)						\
const struct bench_adapter id = {					\
	.name = "ipcmbox-packed-b" #n,					\
	.desc = "ipcmbox bounded, packed IPCMBOX_IOC_SEND/RECV_BATCH, " #n " per call", \
	.wait = "blocking batch ioctls",				\
	.copies = 2,							\
	.copies_how = "sender to kernel, kernel to receiver",		\
	.caps = BENCH_CAP_FANIN | BENCH_CAP_KERNEL,			\
	.max_size = bench_batch_max_size,				\
	.setup = packed_setup,						\
	.attach = packed_attach,					\
	.send = packed_send1,						\
	.recv = packed_recv1,						\
	.batch = n,							\
	.send_batch = packed_send_batch,				\
	.recv_batch = packed_recv_batch,				\
	.teardown = packed_teardown,					\
}

MBOX_PACKED(bench_mbox_packed1, 1);
MBOX_PACKED(bench_mbox_packed8, 8);
MBOX_PACKED(bench_mbox_packed64, 64);
