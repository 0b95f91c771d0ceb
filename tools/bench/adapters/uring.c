// SPDX-License-Identifier: GPL-2.0-only
/*
 * io_uring (liburing), N requests per io_uring_enter(2) (N = 1, 8, 64 in
 * the name).  Each process makes its own ring when it attaches.
 *
 *   ipcmbox-uring-bN      a bounded mailbox; N linked writes (one message
 *                         each, in order), N linked reads of exactly one
 *                         message's size, one submit-and-wait
 *   ipcmbox-uring-cmd-bN  a bounded mailbox; a poll linked to one
 *                         non-blocking SEND_BATCH or RECV_BATCH command
 *                         of up to N messages (IORING_OP_URING_CMD)
 *   ipcmbox-uring-packed-bN  the same with a packed batch: the messages
 *                         copied into one buffer, and out of it
 *   pipe-uring-bN         a pipe; N linked writes of one frame each, and
 *                         a receiver that reads up to N frames' worth
 *                         with one read and cuts it into frames
 *
 * A request that would block parks on poll inside the kernel; no io-wq
 * worker runs.  A single send or receive (ping-pong) is a batch of one.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include <liburing.h>
#include <ipcmbox.h>
#include <ipcmbox_uring.h>

#include "../bench.h"


struct uring_priv {
	struct io_uring ring;
	struct bench_frames st;		/* pipe-uring receiver */
	struct ipcmbox_io ios[BENCH_BATCH_MAX];
	struct ipcmbox_mmsg m[BENCH_BATCH_MAX];
	struct ipcmbox_batch b;
	unsigned char *pk;		/* a packed batch's buffer */
	size_t pk_size;
};

static int uring_attach(struct bench_chan *ch, enum bench_role role,
			const struct bench_peers *peers)
{
	struct uring_priv *u = calloc(1, sizeof(*u));
	int e;

	bench_fd_attach(ch, role, peers);
	if (!u)
		return -ENOMEM;
	e = io_uring_queue_init(2 * BENCH_BATCH_MAX, &u->ring, 0);
	if (e) {
		free(u);
		return e;
	}
	ch->priv = u;
	return 0;
}

/* uring-packed: a buffer for N messages of the run's size. */
static int packed_attach(struct bench_chan *ch, enum bench_role role,
			 const struct bench_peers *peers)
{
	struct uring_priv *u;
	int e = uring_attach(ch, role, peers);

	if (e)
		return e;
	u = ch->priv;
	u->pk_size = bench_batch_of(ch) *
		     IPCMBOX_PACKED_SIZE(sizeof(struct ipcmbox_packed_recv),
					 ch->p.size);
	u->pk = malloc(u->pk_size);
	return u->pk ? 0 : -ENOMEM;
}

/* pipe-uring: a receiver also keeps the stream it cuts into frames. */
static int pipe_attach(struct bench_chan *ch, enum bench_role role,
		       const struct bench_peers *peers)
{
	struct uring_priv *u;
	int e = uring_attach(ch, role, peers);

	if (e || role != BENCH_RECEIVER)
		return e;
	u = ch->priv;
	return bench_frames_init(&u->st, ch->p.size, bench_batch_of(ch));
}

/* One frame per write, whole: at most PIPE_BUF bytes. */
static size_t pipe_max_size(const struct bench_params *p, const char **why)
{
	if (p->size + BENCH_FRAME_HDR > PIPE_BUF) {
		*why = "a frame per write, up to PIPE_BUF";
		return PIPE_BUF - BENCH_FRAME_HDR;
	}
	return p->size;
}

/*
 * Submits what is queued and waits for @n completions with one
 * io_uring_enter(2); then collects them in submission order of their
 * user_data (0..n-1) into @res.
 */
static int submit_wait(struct io_uring *ring, unsigned int n, int *res)
{
	struct io_uring_cqe *cqe;
	unsigned int got = 0;
	int e;

	e = BENCH_SYS(io_uring_submit_and_wait(ring, n));
	if (e < 0)
		return e;
	while (got < n) {
		e = io_uring_peek_cqe(ring, &cqe);
		if (e == -EAGAIN)
			e = BENCH_SYS(io_uring_wait_cqe(ring, &cqe));
		if (e)
			return e;
		res[cqe->user_data] = cqe->res;
		io_uring_cqe_seen(ring, cqe);
		got++;
	}
	return 0;
}

/* N writes of @len bytes at bufs[k] - @head, linked so they stay in order. */
static ssize_t write_batch(struct bench_chan *ch, unsigned char *const *bufs,
			   size_t len, size_t head, unsigned int n)
{
	struct uring_priv *u = ch->priv;
	int res[BENCH_BATCH_MAX];
	unsigned int k;
	int e;

	for (k = 0; k < n; k++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&u->ring);

		io_uring_prep_write(sqe, ch->fd[1], bufs[k] - head,
				    (unsigned int)(len + head), 0);
		io_uring_sqe_set_data64(sqe, k);
		if (k + 1 < n)
			io_uring_sqe_set_flags(sqe, IOSQE_IO_LINK);
	}
	e = submit_wait(&u->ring, n, res);
	if (e)
		return e;
	for (k = 0; k < n; k++)
		if (res[k] != (int)(len + head))
			return res[k] < 0 ? res[k] : -EPROTO;
	return n;
}

static ssize_t mbox_write_batch(struct bench_chan *ch,
				unsigned char *const *bufs, size_t len,
				unsigned int n)
{
	return write_batch(ch, bufs, len, 0, n);
}

static ssize_t mbox_read_batch(struct bench_chan *ch,
			       unsigned char *const *bufs, size_t cap,
			       unsigned int n)
{
	struct uring_priv *u = ch->priv;
	int res[BENCH_BATCH_MAX];
	unsigned int k;
	int e;

	/*
	 * Linked, so that they take messages in order; each asks for the
	 * run's exact size, so no read is short and no link breaks.
	 */
	(void)cap;
	for (k = 0; k < n; k++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&u->ring);

		io_uring_prep_read(sqe, ch->fd[0], bufs[k],
				   (unsigned int)ch->p.size, 0);
		io_uring_sqe_set_data64(sqe, k);
		if (k + 1 < n)
			io_uring_sqe_set_flags(sqe, IOSQE_IO_LINK);
	}
	e = submit_wait(&u->ring, n, res);
	if (e)
		return e;
	for (k = 0; k < n; k++)
		if (res[k] != (int)ch->p.size)
			return res[k] < 0 ? res[k] : -EPROTO;
	return n;
}

/* Fills u->b with an entry batch over @bufs. */
static int entry_prep(struct uring_priv *u, unsigned char *const *bufs,
		      size_t len, unsigned int n, int send)
{
	struct ipcmbox_opts nb = { .flags = IPCMBOX_IO_NONBLOCK };
	unsigned int k;

	memset(u->m, 0, n * sizeof(u->m[0]));
	for (k = 0; k < n; k++) {
		u->m[k].buf = bufs[k];
		u->m[k].len = len;
	}
	return ipcmbox_batch_prep(&u->b, u->ios, u->m, n, &nb, send) ? -errno : 0;
}

/* Fills u->b with a packed batch: @bufs copied into u->pk for a send. */
static int packed_prep(struct uring_priv *u, unsigned char *const *bufs,
		       size_t len, unsigned int n, int send)
{
	struct ipcmbox_opts nb = { .flags = IPCMBOX_IO_NONBLOCK };
	size_t off = 0;
	unsigned int k;

	for (k = 0; send && k < n; k++) {
		void *p = ipcmbox_packed_add(u->pk, u->pk_size, &off, len, 0, 0);

		if (!p)
			return -errno;
		memcpy(p, bufs[k], len);
	}
	return ipcmbox_packed_prep(&u->b, u->pk, send ? off : u->pk_size, n,
				   &nb) ? -errno : 0;
}

/* What a packed receive of @got messages took: copied out into @bufs. */
static ssize_t packed_result(struct bench_chan *ch, unsigned char *const *bufs,
			     int got)
{
	struct uring_priv *u = ch->priv;
	size_t off = 0;
	int k;

	for (k = 0; k < got; k++) {
		const struct ipcmbox_packed_recv *h =
			ipcmbox_packed_next(u->pk, &off);

		if (h->len != ch->p.size)
			return -EPROTO;
		memcpy(bufs[k], ipcmbox_packed_data(h), h->len);
	}
	return got;
}

/*
 * A poll for @events linked to a non-blocking batch command, of entries
 * or (@packed) packed.  Linking is safe here only because no SQE is taken
 * before both have completed: on Linux 6.12 a linked command reads its
 * SQE when it runs.
 */
static ssize_t cmd_batch(struct bench_chan *ch, unsigned char *const *bufs,
			 size_t len, unsigned int n, int send, int packed)
{
	struct uring_priv *u = ch->priv;
	int fd = ch->fd[send ? 1 : 0], res[2], e, err;
	struct io_uring_sqe *sqe;
	unsigned int k;

	e = packed ? packed_prep(u, bufs, len, n, send) :
		     entry_prep(u, bufs, len, n, send);
	if (e)
		return e;
	for (;;) {
		sqe = io_uring_get_sqe(&u->ring);
		io_uring_prep_poll_add(sqe, fd, send ? POLLOUT : POLLIN);
		io_uring_sqe_set_flags(sqe, IOSQE_IO_LINK);
		io_uring_sqe_set_data64(sqe, 0);
		sqe = io_uring_get_sqe(&u->ring);
		if (send)
			ipcmbox_prep_send_batch(sqe, fd, &u->b);
		else
			ipcmbox_prep_recv_batch(sqe, fd, &u->b);
		io_uring_sqe_set_data64(sqe, 1);
		e = submit_wait(&u->ring, 2, res);
		if (e)
			return e;
		/* Readiness can be gone by the time the command runs. */
		if (res[1] != -EAGAIN)
			break;
	}
	if (res[1] < 0)
		return res[1];
	if (packed)
		return send ? res[1] : packed_result(ch, bufs, res[1]);
	e = ipcmbox_batch_result(res[1], &u->b, u->ios, u->m, send, &err);
	for (k = 0; !send && k < (unsigned int)e; k++)
		if (u->m[k].len != ch->p.size)
			return -EPROTO;
	return e;
}

static ssize_t cmd_send_batch(struct bench_chan *ch,
			      unsigned char *const *bufs, size_t len,
			      unsigned int n)
{
	return cmd_batch(ch, bufs, len, n, 1, 0);
}

static ssize_t cmd_recv_batch(struct bench_chan *ch,
			      unsigned char *const *bufs, size_t cap,
			      unsigned int n)
{
	return cmd_batch(ch, bufs, cap, n, 0, 0);
}

static ssize_t packed_send_batch(struct bench_chan *ch,
				 unsigned char *const *bufs, size_t len,
				 unsigned int n)
{
	return cmd_batch(ch, bufs, len, n, 1, 1);
}

static ssize_t packed_recv_batch(struct bench_chan *ch,
				 unsigned char *const *bufs, size_t cap,
				 unsigned int n)
{
	return cmd_batch(ch, bufs, cap, n, 0, 1);
}

static ssize_t pipe_write_batch(struct bench_chan *ch,
				unsigned char *const *bufs, size_t len,
				unsigned int n)
{
	uint32_t hdr = (uint32_t)len;
	unsigned int k;

	for (k = 0; k < n; k++)
		memcpy(bufs[k] - BENCH_FRAME_HDR, &hdr, BENCH_FRAME_HDR);
	return write_batch(ch, bufs, len, BENCH_FRAME_HDR, n);
}

static ssize_t pipe_read_batch(struct bench_chan *ch,
			       unsigned char *const *bufs, size_t cap,
			       unsigned int n)
{
	struct uring_priv *u = ch->priv;
	struct io_uring_sqe *sqe;
	ssize_t got;
	int res, e;

	(void)cap;
	for (;;) {
		got = bench_frames_take(&u->st, bufs, ch->p.size, n);
		if (got)
			return got;
		sqe = io_uring_get_sqe(&u->ring);
		io_uring_prep_read(sqe, ch->fd[0], u->st.buf + u->st.have,
				   (unsigned int)bench_frames_room(&u->st), 0);
		io_uring_sqe_set_data64(sqe, 0);
		e = submit_wait(&u->ring, 1, &res);
		if (e)
			return e;
		if (res < 0)
			return res;
		if (res == 0)
			return -EPIPE;
		u->st.have += (size_t)res;
	}
}

#define SINGLE(pfx)							\
static ssize_t pfx##_send1(struct bench_chan *ch, const void *buf,	\
			   size_t len)					\
{									\
	unsigned char *b = (unsigned char *)buf;			\
	ssize_t r = pfx##_send_batch(ch, &b, len, 1);			\
									\
	return r < 0 ? r : (ssize_t)len;				\
}									\
static ssize_t pfx##_recv1(struct bench_chan *ch, void *buf, size_t cap) \
{									\
	unsigned char *b = buf;						\
	ssize_t r = pfx##_recv_batch(ch, &b, cap, 1);			\
									\
	return r < 0 ? r : (ssize_t)ch->p.size;				\
}

#define mbox_rw_send_batch mbox_write_batch
#define mbox_rw_recv_batch mbox_read_batch
#define pipe_rw_send_batch pipe_write_batch
#define pipe_rw_recv_batch pipe_read_batch
SINGLE(mbox_rw)
SINGLE(cmd)
SINGLE(packed)
SINGLE(pipe_rw)

#define URING_ADAPTER(id, nm, n, what, caps_, maxfn, setupfn, attachfn, pfx) \
const struct bench_adapter id = {					\
	.name = nm "-b" #n,						\
	.desc = what,							\
	.wait = "io_uring_enter, requests parked on poll",		\
	.copies = 2,							\
	.copies_how = "sender to kernel, kernel to receiver",		\
	.caps = caps_,							\
	.max_size = maxfn,						\
	.setup = setupfn,						\
	.attach = attachfn,						\
	.send = pfx##_send1,						\
	.recv = pfx##_recv1,						\
	.batch = n,							\
	.send_batch = pfx##_send_batch,					\
	.recv_batch = pfx##_recv_batch,					\
	.teardown = bench_fd_teardown,	/* rings live in the children */ \
}

#define MBOX_URING(id, n)						\
	URING_ADAPTER(id, "ipcmbox-uring", n,				\
		      "ipcmbox bounded, io_uring read/write, " #n " per enter", \
		      BENCH_CAP_FANIN | BENCH_CAP_KERNEL, bench_batch_max_size,	\
		      bench_mbox_bounded_setup, uring_attach, mbox_rw)
#define MBOX_URING_CMD(id, n)						\
	URING_ADAPTER(id, "ipcmbox-uring-cmd", n,			\
		      "ipcmbox bounded, poll + uring_cmd batch of up to " #n, \
		      BENCH_CAP_FANIN | BENCH_CAP_KERNEL, bench_batch_max_size,	\
		      bench_mbox_bounded_setup, uring_attach, cmd)
#define MBOX_URING_PACKED(id, n)					\
	URING_ADAPTER(id, "ipcmbox-uring-packed", n,			\
		      "ipcmbox bounded, poll + packed uring_cmd batch of up to " #n, \
		      BENCH_CAP_FANIN | BENCH_CAP_KERNEL, bench_batch_max_size,	\
		      bench_mbox_bounded_setup, packed_attach, packed)
#define PIPE_URING(id, n)						\
	URING_ADAPTER(id, "pipe-uring", n,				\
		      "pipe(2), io_uring: " #n " framed writes per enter, reads cut into frames", \
		      BENCH_CAP_KERNEL, pipe_max_size, bench_pipe_setup,	\
		      pipe_attach, pipe_rw)

MBOX_URING(bench_mbox_uring1, 1);
MBOX_URING(bench_mbox_uring8, 8);
MBOX_URING(bench_mbox_uring64, 64);
MBOX_URING_CMD(bench_mbox_uring_cmd1, 1);
MBOX_URING_CMD(bench_mbox_uring_cmd8, 8);
MBOX_URING_CMD(bench_mbox_uring_cmd64, 64);
MBOX_URING_PACKED(bench_mbox_uring_packed1, 1);
MBOX_URING_PACKED(bench_mbox_uring_packed8, 8);
MBOX_URING_PACKED(bench_mbox_uring_packed64, 64);
PIPE_URING(bench_pipe_uring1, 1);
PIPE_URING(bench_pipe_uring8, 8);
PIPE_URING(bench_pipe_uring64, 64);
