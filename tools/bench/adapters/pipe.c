// SPDX-License-Identifier: GPL-2.0-only
/*
 * pipe(2) and a named FIFO (mkfifo(3)): byte streams, framed by the
 * harness.  The pipe buffer is sized for the run's queue depth
 * (F_SETPIPE_SZ; the kernel's default, 64 KiB, when that is refused).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../bench.h"

struct fifo_priv {
	char dir[64];
	char path[80];
};

static void size_pipe(int fd, const struct bench_params *p)
{
	size_t want = (size_t)p->depth * (p->size + 4);

	if (want < 4096)
		want = 4096;
	if (want > (1U << 30))
		want = 1U << 30;
	/* Best effort: an unprivileged user may be held to pipe-max-size. */
	(void)fcntl(fd, F_SETPIPE_SZ, (int)want);
}

static size_t pipe_max_size(const struct bench_params *p, const char **why)
{
	/* Fan-in keeps frames whole only up to PIPE_BUF. */
	if (p->senders > 1 && p->size + 4 > PIPE_BUF) {
		*why = "fan-in frames over PIPE_BUF interleave";
		return PIPE_BUF - 4;
	}
	return p->size;
}

int bench_pipe_setup(struct bench_chan *ch)
{
	if (pipe2(ch->fd, O_CLOEXEC))
		return -errno;
	size_pipe(ch->fd[1], &ch->p);
	return 0;
}

const struct bench_adapter bench_pipe = {
	.name = "pipe",
	.desc = "pipe(2), length-framed stream",
	.wait = "blocking read/write",
	.copies = 2,
	.copies_how = "sender to kernel, kernel to receiver",
	.caps = BENCH_CAP_STREAM | BENCH_CAP_FANIN | BENCH_CAP_KERNEL,
	.max_size = pipe_max_size,
	.setup = bench_pipe_setup,
	.attach = bench_fd_attach,
	.send = bench_fd_send,
	.recv = bench_fd_recv,
	.teardown = bench_fd_teardown,
};

static int fifo_setup(struct bench_chan *ch)
{
	struct fifo_priv *f = calloc(1, sizeof(*f));

	if (!f)
		return -ENOMEM;
	snprintf(f->dir, sizeof(f->dir), "/tmp/ipcmbox-bench.XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -errno;
	}
	snprintf(f->path, sizeof(f->path), "%s/fifo", f->dir);
	if (mkfifo(f->path, 0600)) {
		int e = errno;

		rmdir(f->dir);
		free(f);
		return -e;
	}
	ch->priv = f;
	ch->fd[0] = ch->fd[1] = -1;
	return 0;
}

/* Opened by name, as unrelated processes would: the open waits for the peer. */
static int fifo_attach(struct bench_chan *ch, enum bench_role role,
		       const struct bench_peers *peers)
{
	struct fifo_priv *f = ch->priv;
	int fd;

	(void)peers;
	fd = open(f->path, (role == BENCH_SENDER ? O_WRONLY : O_RDONLY) |
		  O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ch->fd[role == BENCH_SENDER ? 1 : 0] = fd;
	if (role == BENCH_SENDER)
		size_pipe(fd, &ch->p);
	return 0;
}

static void fifo_teardown(struct bench_chan *ch)
{
	struct fifo_priv *f = ch->priv;

	bench_fd_teardown(ch);
	if (f) {
		unlink(f->path);
		rmdir(f->dir);
		free(f);
		ch->priv = NULL;
	}
}

const struct bench_adapter bench_fifo = {
	.name = "fifo",
	.desc = "named FIFO (mkfifo), length-framed stream",
	.wait = "blocking read/write",
	.copies = 2,
	.copies_how = "sender to kernel, kernel to receiver",
	.caps = BENCH_CAP_STREAM | BENCH_CAP_FANIN | BENCH_CAP_KERNEL,
	.max_size = pipe_max_size,
	.setup = fifo_setup,
	.attach = fifo_attach,
	.send = bench_fd_send,
	.recv = bench_fd_recv,
	.teardown = fifo_teardown,
};
