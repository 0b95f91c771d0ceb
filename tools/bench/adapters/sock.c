// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sockets: Unix stream (framed), datagram and seqpacket socket pairs, and
 * TCP over loopback (framed, TCP_NODELAY).  Buffers are sized for the
 * run's queue depth; as root with SO_SNDBUFFORCE/SO_RCVBUFFORCE, else
 * within net.core.[rw]mem_max.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../bench.h"

static void size_buffers(int fd, const struct bench_params *p)
{
	/* A queued skb costs its payload plus about 1 KiB of overhead. */
	size_t want = (size_t)p->depth * (p->size + 1024);
	int v;

	if (want > (1U << 30))
		want = 1U << 30;
	v = (int)want;
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &v, sizeof(v)))
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v));
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &v, sizeof(v)))
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v));
}

static int pair_setup(struct bench_chan *ch, int type)
{
	if (socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, ch->fd))
		return -errno;
	size_buffers(ch->fd[0], &ch->p);
	size_buffers(ch->fd[1], &ch->p);
	return 0;
}

static int stream_setup(struct bench_chan *ch)
{
	return pair_setup(ch, SOCK_STREAM);
}

static int dgram_setup(struct bench_chan *ch)
{
	return pair_setup(ch, SOCK_DGRAM);
}

static int seqpacket_setup(struct bench_chan *ch)
{
	return pair_setup(ch, SOCK_SEQPACKET);
}

const struct bench_adapter bench_unix_stream = {
	.name = "unix-stream",
	.desc = "Unix stream socketpair, length-framed",
	.wait = "blocking read/write",
	.copies = 2,
	.copies_how = "sender to kernel, kernel to receiver",
	.caps = BENCH_CAP_STREAM | BENCH_CAP_KERNEL,
	.max_size = bench_no_limit,
	.setup = stream_setup,
	.attach = bench_fd_attach,
	.send = bench_fd_send,
	.recv = bench_fd_recv,
	.teardown = bench_fd_teardown,
};

const struct bench_adapter bench_unix_dgram = {
	.name = "unix-dgram",
	.desc = "Unix datagram socketpair",
	.wait = "blocking read/write",
	.copies = 2,
	.copies_how = "sender to kernel, kernel to receiver",
	.caps = BENCH_CAP_FANIN | BENCH_CAP_KERNEL,
	.max_size = bench_no_limit,
	.setup = dgram_setup,
	.attach = bench_fd_attach,
	.send = bench_fd_send,
	.recv = bench_fd_recv,
	.teardown = bench_fd_teardown,
};

const struct bench_adapter bench_unix_seqpacket = {
	.name = "unix-seqpacket",
	.desc = "Unix seqpacket socketpair",
	.wait = "blocking read/write",
	.copies = 2,
	.copies_how = "sender to kernel, kernel to receiver",
	.caps = BENCH_CAP_FANIN | BENCH_CAP_KERNEL,
	.max_size = bench_no_limit,
	.setup = seqpacket_setup,
	.attach = bench_fd_attach,
	.send = bench_fd_send,
	.recv = bench_fd_recv,
	.teardown = bench_fd_teardown,
};

/* A listener on 127.0.0.1, an ephemeral port; connect, accept, close it. */
static int tcp_setup(struct bench_chan *ch)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);
	int l, c = -1, s = -1, one = 1, e;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (l < 0)
		return -errno;
	if (bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 1) ||
	    getsockname(l, (struct sockaddr *)&a, &alen))
		goto fail;
	c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c < 0)
		goto fail;
	size_buffers(c, &ch->p);
	if (connect(c, (struct sockaddr *)&a, sizeof(a)))
		goto fail;
	s = accept4(l, NULL, NULL, SOCK_CLOEXEC);
	if (s < 0)
		goto fail;
	size_buffers(s, &ch->p);
	if (setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)))
		goto fail;
	close(l);
	ch->fd[0] = s;
	ch->fd[1] = c;
	return 0;
fail:
	e = errno;
	if (s >= 0)
		close(s);
	if (c >= 0)
		close(c);
	close(l);
	return -e;
}

const struct bench_adapter bench_tcp = {
	.name = "tcp",
	.desc = "TCP over 127.0.0.1, TCP_NODELAY, length-framed",
	.wait = "blocking read/write",
	.copies = 2,
	.copies_how = "sender to kernel, kernel to receiver",
	.caps = BENCH_CAP_STREAM | BENCH_CAP_KERNEL,
	.max_size = bench_no_limit,
	.setup = tcp_setup,
	.attach = bench_fd_attach,
	.send = bench_fd_send,
	.recv = bench_fd_recv,
	.teardown = bench_fd_teardown,
};
