// SPDX-License-Identifier: GPL-2.0-only
/*
 * Semantics of pipes and FIFOs, and the helpers of every mechanism whose
 * end is one file descriptor.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../sem.h"

void sem_fd_nb(int fd, bool nb)
{
	int fl = fcntl(fd, F_GETFL);

	/* Not cached: a child may share the open file description. */
	if (fl >= 0 && !!(fl & O_NONBLOCK) != nb)
		(void)fcntl(fd, F_SETFL, nb ? fl | O_NONBLOCK : fl & ~O_NONBLOCK);
}

ssize_t sem_fd_send(struct sem_end *e, const void *buf, size_t len)
{
	ssize_t n;

	sem_fd_nb(e->fd, e->nb);
	n = write(e->fd, buf, len);
	return n < 0 ? -errno : n;
}

ssize_t sem_fd_recv(struct sem_end *e, void *buf, size_t cap)
{
	ssize_t n;

	sem_fd_nb(e->fd, e->nb);
	n = read(e->fd, buf, cap);
	return n < 0 ? -errno : n;
}

int sem_fd_pollfd(struct sem_end *e)
{
	return e->fd;
}

int sem_no_pollfd(struct sem_end *e)
{
	(void)e;
	return -ENOTSUP;
}

void sem_fd_close(struct sem_end *e)
{
	if (e->fd >= 0)
		close(e->fd);
	if (e->lfd >= 0)
		close(e->lfd);
	e->fd = e->lfd = -1;
}

void sem_unique(char *buf, size_t len, const char *prefix)
{
	static unsigned int n;

	snprintf(buf, len, "%sipcmbox-sem-%d-%u", prefix, (int)getpid(), n++);
}

static int pipe_create(struct sem_obj *o)
{
	return pipe2(o->fds, O_CLOEXEC) ? -errno : 0;
}

/* Unnamed ends exist only where they were inherited. */
int sem_inherited_open(struct sem_end *e, bool by_name)
{
	int fd = e->o->fds[e->role == SEM_TX];

	if (by_name)
		return -ENOENT;
	e->fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	return e->fd < 0 ? -errno : 0;
}

const struct sem_mech sem_pipe = {
	.name = "pipe", .row = "Pipe", .use = "Simple data flow",
	.naming = "none",
	.create = pipe_create,
	.open = sem_inherited_open,
	.send = sem_fd_send,
	.recv = sem_fd_recv,
	.pollfd = sem_fd_pollfd,
	.close = sem_fd_close,
};

static int fifo_create(struct sem_obj *o)
{
	sem_unique(o->name, sizeof(o->name), "/tmp/");
	return mkfifo(o->name, 0600) ? -errno : 0;
}

/*
 * A reader opens without waiting for a writer.  A writer opens blocking
 * (it waits for a reader; the probes open the reader first), or with
 * O_NONBLOCK, which fails with ENXIO while there is no reader.
 */
static int fifo_open(struct sem_end *e, bool by_name)
{
	int fl = e->role == SEM_RX ? O_RDONLY | O_NONBLOCK : O_WRONLY;

	(void)by_name;
	if (e->nb)
		fl |= O_NONBLOCK;
	e->fd = open(e->o->name, fl | O_CLOEXEC);
	return e->fd < 0 ? -errno : 0;
}

static void fifo_destroy(struct sem_obj *o)
{
	unlink(o->name);
}

const struct sem_mech sem_fifo = {
	.name = "fifo", .row = "Named Pipe", .use = "Simple IPC, unrelated",
	.naming = "path",
	.flags = SEM_NAMED,
	.create = fifo_create,
	.open = fifo_open,
	.send = sem_fd_send,
	.recv = sem_fd_recv,
	.pollfd = sem_fd_pollfd,
	.close = sem_fd_close,
	.destroy = fifo_destroy,
};
