// SPDX-License-Identifier: GPL-2.0-only
/*
 * Batching without io_uring, N messages per system call (N = 1, 8, 64 in
 * the name):
 *
 *   ipcmbox-batch-bN  a bounded mailbox (capacity = depth);
 *                     ipcmbox_send_batch() blocks until all N are in,
 *                     ipcmbox_recv_batch() waits for one and takes up to N
 *   pipe-writev-bN    a pipe; writev(2) of N length-framed messages, and a
 *                     receiver that reads what is there (up to N frames'
 *                     worth) and cuts it into frames.  One sender only: a
 *                     writev over PIPE_BUF may interleave with another.
 *
 * A single send or receive (ping-pong) is a batch of one.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include <ipcmbox.h>

#include "../bench.h"


int bench_frames_init(struct bench_frames *st, size_t msg, unsigned int n)
{
	st->size = (msg + BENCH_FRAME_HDR) * n;
	st->have = 0;
	st->buf = malloc(st->size);
	return st->buf ? 0 : -ENOMEM;
}

size_t bench_frames_room(const struct bench_frames *st)
{
	return st->size - st->have;
}

ssize_t bench_frames_take(struct bench_frames *st, unsigned char *const *bufs,
			  size_t len, unsigned int n)
{
	size_t off = 0, frame = len + BENCH_FRAME_HDR;
	unsigned int k = 0;
	uint32_t hdr;

	while (k < n && st->have - off >= frame) {
		memcpy(&hdr, st->buf + off, BENCH_FRAME_HDR);
		if (hdr != len)
			return -EPROTO;
		memcpy(bufs[k++], st->buf + off + BENCH_FRAME_HDR, len);
		off += frame;
	}
	memmove(st->buf, st->buf + off, st->have - off);
	st->have -= off;
	return k;
}

unsigned int bench_batch_of(const struct bench_chan *ch)
{
	return ch->ad->batch ? ch->ad->batch : 1;
}

size_t bench_batch_max_size(const struct bench_params *p, const char **why)
{
	if (p->size > 65536) {
		*why = "batching is for messages up to 64 KiB";
		return 65536;
	}
	return p->size;
}

int bench_mbox_bounded_setup(struct bench_chan *ch)
{
	struct ipcmbox_attr a = {
		.set = IPCMBOX_SET_CAPACITY | IPCMBOX_SET_MAX_MSG,
		.capacity = ch->p.depth,
		.max_msg = ch->p.size > 8192 ? (uint32_t)ch->p.size : 8192,
	};

	return ipcmbox_pair(&a, IPCMBOX_PAIR_CLOEXEC, ch->fd) ? -errno : 0;
}

static ssize_t mbox_send_batch(struct bench_chan *ch,
			       unsigned char *const *bufs, size_t len,
			       unsigned int n)
{
	struct ipcmbox_mmsg m[BENCH_BATCH_MAX];
	unsigned int k;
	int r;

	memset(m, 0, n * sizeof(m[0]));
	for (k = 0; k < n; k++) {
		m[k].buf = bufs[k];
		m[k].len = len;
	}
	r = BENCH_SYS(ipcmbox_send_batch(ch->fd[1], m, n, NULL, NULL));
	return r < 0 ? -errno : r;
}

static ssize_t mbox_recv_batch(struct bench_chan *ch,
			       unsigned char *const *bufs, size_t cap,
			       unsigned int n)
{
	struct ipcmbox_mmsg m[BENCH_BATCH_MAX];
	unsigned int k;
	int r;

	memset(m, 0, n * sizeof(m[0]));
	for (k = 0; k < n; k++) {
		m[k].buf = bufs[k];
		m[k].len = cap;
	}
	r = BENCH_SYS(ipcmbox_recv_batch(ch->fd[0], m, n, NULL, NULL));
	if (r < 0)
		return -errno;
	for (k = 0; k < (unsigned int)r; k++)
		if (m[k].len != ch->p.size)
			return -EPROTO;
	return r;
}

static ssize_t mbox_send1(struct bench_chan *ch, const void *buf, size_t len)
{
	unsigned char *b = (unsigned char *)buf;
	ssize_t r = mbox_send_batch(ch, &b, len, 1);

	return r < 0 ? r : (ssize_t)len;
}

static ssize_t mbox_recv1(struct bench_chan *ch, void *buf, size_t cap)
{
	unsigned char *b = buf;
	ssize_t r = mbox_recv_batch(ch, &b, cap, 1);

	return r < 0 ? r : (ssize_t)ch->p.size;
}

/* pipe-writev: the receiver's stream state, made in each process. */
struct writev_priv {
	struct bench_frames st;
};

static int writev_setup(struct bench_chan *ch)
{
	ch->priv = calloc(1, sizeof(struct writev_priv));
	if (!ch->priv)
		return -ENOMEM;
	return bench_pipe_setup(ch);
}

static int writev_attach(struct bench_chan *ch, enum bench_role role,
			 const struct bench_peers *peers)
{
	struct writev_priv *w = ch->priv;

	bench_fd_attach(ch, role, peers);
	if (role != BENCH_RECEIVER)
		return 0;
	return bench_frames_init(&w->st, ch->p.size, bench_batch_of(ch));
}

static ssize_t writev_send_batch(struct bench_chan *ch,
				 unsigned char *const *bufs, size_t len,
				 unsigned int n)
{
	size_t frame = len + BENCH_FRAME_HDR, done, part;
	uint32_t hdr = (uint32_t)len;
	struct iovec iov[BENCH_BATCH_MAX];
	unsigned int k;
	ssize_t w;

	for (k = 0; k < n; k++) {
		memcpy(bufs[k] - BENCH_FRAME_HDR, &hdr, BENCH_FRAME_HDR);
		iov[k].iov_base = bufs[k] - BENCH_FRAME_HDR;
		iov[k].iov_len = frame;
	}
	w = BENCH_SYS(writev(ch->fd[1], iov, (int)n));
	if (w < 0)
		return -errno;
	/* Interrupted part way: finish the frame it cut. */
	done = (size_t)w / frame;
	part = (size_t)w % frame;
	while (part) {
		w = BENCH_SYS(write(ch->fd[1], bufs[done] - BENCH_FRAME_HDR + part,
				    frame - part));
		if (w < 0 && errno != EINTR)
			return -errno;
		if (w > 0)
			part = (part + (size_t)w) % frame;
		if (!part)
			done++;
	}
	return (ssize_t)done;
}

static ssize_t writev_recv_batch(struct bench_chan *ch,
				 unsigned char *const *bufs, size_t cap,
				 unsigned int n)
{
	struct writev_priv *w = ch->priv;
	ssize_t got, r;

	(void)cap;
	for (;;) {
		got = bench_frames_take(&w->st, bufs, ch->p.size, n);
		if (got)
			return got;
		r = BENCH_SYS(read(ch->fd[0], w->st.buf + w->st.have,
				   bench_frames_room(&w->st)));
		if (r < 0)
			return -errno;
		if (r == 0)
			return -EPIPE;
		w->st.have += (size_t)r;
	}
}

static ssize_t writev_send1(struct bench_chan *ch, const void *buf, size_t len)
{
	unsigned char *b = (unsigned char *)buf;
	ssize_t r = writev_send_batch(ch, &b, len, 1);

	return r < 0 ? r : (ssize_t)len;
}

static ssize_t writev_recv1(struct bench_chan *ch, void *buf, size_t cap)
{
	unsigned char *b = buf;
	ssize_t r = writev_recv_batch(ch, &b, cap, 1);

	return r < 0 ? r : (ssize_t)ch->p.size;
}

static void writev_teardown(struct bench_chan *ch)
{
	bench_fd_teardown(ch);
	free(ch->priv);
	ch->priv = NULL;
}

#define MBOX_BATCH(id, n)						\
const struct bench_adapter id = {					\
	.name = "ipcmbox-batch-b" #n,					\
	.desc = "ipcmbox bounded, IPCMBOX_IOC_SEND/RECV_BATCH, " #n " per call", \
	.wait = "blocking batch ioctls",				\
	.copies = 2,							\
	.copies_how = "sender to kernel, kernel to receiver",		\
	.caps = BENCH_CAP_FANIN | BENCH_CAP_KERNEL,			\
	.max_size = bench_batch_max_size,						\
	.setup = bench_mbox_bounded_setup,					\
	.attach = bench_fd_attach,					\
	.send = mbox_send1,						\
	.recv = mbox_recv1,						\
	.batch = n,							\
	.send_batch = mbox_send_batch,					\
	.recv_batch = mbox_recv_batch,					\
	.teardown = bench_fd_teardown,					\
}

#define PIPE_WRITEV(id, n)						\
const struct bench_adapter id = {					\
	.name = "pipe-writev-b" #n,					\
	.desc = "pipe(2), writev of " #n " length-framed messages, reads cut into frames", \
	.wait = "blocking read/writev",					\
	.copies = 2,							\
	.copies_how = "sender to kernel, kernel to receiver",		\
	.caps = BENCH_CAP_KERNEL,					\
	.max_size = bench_batch_max_size,					\
	.setup = writev_setup,						\
	.attach = writev_attach,					\
	.send = writev_send1,						\
	.recv = writev_recv1,						\
	.batch = n,							\
	.send_batch = writev_send_batch,				\
	.recv_batch = writev_recv_batch,				\
	.teardown = writev_teardown,					\
}

MBOX_BATCH(bench_mbox_batch1, 1);
MBOX_BATCH(bench_mbox_batch8, 8);
MBOX_BATCH(bench_mbox_batch64, 64);
PIPE_WRITEV(bench_pipe_writev1, 1);
PIPE_WRITEV(bench_pipe_writev8, 8);
PIPE_WRITEV(bench_pipe_writev64, 64);
