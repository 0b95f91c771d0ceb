// SPDX-License-Identifier: GPL-2.0-only
/*
 * Semantics of messages by reference: a named bounded mailbox (capacity
 * 64) with a shared region of 128 pages, so that its queue, not its
 * region, is what fills.  Each end maps the region; a send allocates a
 * chunk, writes the message into it and sends the reference (a chunk
 * that cannot be sent goes back); a receive takes the reference, copies
 * the message out of the chunk and releases it.  The probes then find
 * whether references keep every property of the bounded mailbox.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <ipcmbox.h>

#include "../sem.h"

#define REGION	(128 * 4096)

static int region_create(struct sem_obj *o)
{
	struct ipcmbox_attr a = {
		.set = IPCMBOX_SET_CAPACITY | IPCMBOX_SET_REGION,
		.capacity = 64,
		.region_size = REGION,
	};

	sem_unique(o->name, sizeof(o->name), "");
	return ipcmbox_create(o->name, &a) ? -errno : 0;
}

/* The end's mapping lives in e->id (as the shm mechanism's does). */
static void *base(struct sem_end *e)
{
	return (void *)(uintptr_t)e->id;
}

static int region_open(struct sem_end *e, bool by_name)
{
	void *m;

	(void)by_name;
	e->fd = ipcmbox_open(e->o->name, O_RDWR);
	if (e->fd < 0)
		return -errno;
	m = mmap(NULL, REGION, PROT_READ | PROT_WRITE, MAP_SHARED, e->fd, 0);
	if (m == MAP_FAILED) {
		int err = -errno;

		close(e->fd);
		e->fd = -1;
		return err;
	}
	e->id = (long)(uintptr_t)m;
	return 0;
}

static ssize_t region_send(struct sem_end *e, const void *buf, size_t len)
{
	struct ipcmbox_opts op = { .flags = e->nb ? IPCMBOX_IO_NONBLOCK : 0 };
	struct ipcmbox_chunk c;
	int err;

	if (ipcmbox_alloc(e->fd, len ? len : 1, &c, 1, &op) != 1)
		return -errno;
	memcpy((char *)base(e) + c.offset, buf, len);
	if (!ipcmbox_send_ref(e->fd, &c, len, &op, NULL))
		return (ssize_t)len;
	err = -errno;
	ipcmbox_release(e->fd, &c, 1);
	return err;
}

static ssize_t region_recv(struct sem_end *e, void *buf, size_t cap)
{
	struct ipcmbox_opts op = { .flags = e->nb ? IPCMBOX_IO_NONBLOCK : 0 };
	struct ipcmbox_envelope env;
	struct ipcmbox_chunk c;
	ssize_t n = ipcmbox_recv_ref(e->fd, buf, cap, &op, &env, &c);

	if (n < 0)
		return -errno;
	e->peer = env.pid;
	if (c.offset == IPCMBOX_NO_CHUNK)
		return n;	/* came by copy, already in buf */
	if ((size_t)n > cap)
		n = (ssize_t)cap;	/* the probes' messages always fit */
	memcpy(buf, (char *)base(e) + c.offset, (size_t)n);
	return ipcmbox_release(e->fd, &c, 1) ? -errno : n;
}

static void region_close(struct sem_end *e)
{
	/* Mapped exactly when open. */
	if (e->fd >= 0)
		munmap(base(e), REGION);
	e->id = -1;
	sem_fd_close(e);
}

static void region_destroy(struct sem_obj *o)
{
	ipcmbox_remove(o->name);
}

const struct sem_mech sem_mbox_region = {
	.name = "ipcmbox-region", .row = "ipcmbox region",
	.use = "Large messages, no copy", .naming = "/dev/ipcmbox/NAME",
	.flags = SEM_NAMED,
	.create = region_create,
	.open = region_open,
	.send = region_send,
	.recv = region_recv,
	.pollfd = sem_fd_pollfd,
	.close = region_close,
	.destroy = region_destroy,
};
