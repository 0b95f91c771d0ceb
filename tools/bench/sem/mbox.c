// SPDX-License-Identifier: GPL-2.0-only
/*
 * Semantics of ipcmbox: a named mailbox (/dev/ipcmbox/NAME) in each
 * capacity mode, with its defaults otherwise, through the SEND/RECV
 * ioctls; and an anonymous bounded one (ipcmbox_pair()), which, like a
 * pipe, exists only where its descriptors were inherited.  Each message
 * carries its sender's pid (struct ipcmbox_envelope).
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <ipcmbox.h>

#include "../sem.h"

static int mbox_create(struct sem_obj *o, uint32_t capacity)
{
	struct ipcmbox_attr a = {
		.set = IPCMBOX_SET_CAPACITY,
		.capacity = capacity,
	};

	sem_unique(o->name, sizeof(o->name), "");
	return ipcmbox_create(o->name, &a) ? -errno : 0;
}

static int zero_create(struct sem_obj *o)
{
	return mbox_create(o, IPCMBOX_CAP_RENDEZVOUS);
}

static int bounded_create(struct sem_obj *o)
{
	return mbox_create(o, 64);
}

static int unbounded_create(struct sem_obj *o)
{
	return mbox_create(o, IPCMBOX_CAP_UNBOUNDED);
}

static int pair_create(struct sem_obj *o)
{
	return ipcmbox_pair(NULL, IPCMBOX_PAIR_CLOEXEC, o->fds) ? -errno : 0;
}

static int named_open(struct sem_end *e, bool by_name)
{
	(void)by_name;
	e->fd = ipcmbox_open(e->o->name, O_RDWR);
	return e->fd < 0 ? -errno : 0;
}

static ssize_t mbox_send(struct sem_end *e, const void *buf, size_t len)
{
	struct ipcmbox_opts op = { .flags = e->nb ? IPCMBOX_IO_NONBLOCK : 0 };

	return ipcmbox_send(e->fd, buf, len, &op, NULL) ? -errno : (ssize_t)len;
}

static ssize_t mbox_recv(struct sem_end *e, void *buf, size_t cap)
{
	struct ipcmbox_opts op = { .flags = e->nb ? IPCMBOX_IO_NONBLOCK : 0 };
	struct ipcmbox_envelope env;
	ssize_t n = ipcmbox_recv(e->fd, buf, cap, &op, &env);

	if (n < 0)
		return -errno;
	e->peer = env.pid;
	return n;
}

static void mbox_destroy(struct sem_obj *o)
{
	ipcmbox_remove(o->name);
}

#define MBOX_MECH(id, nm, fl, createfn, openfn, destroyfn)		\
const struct sem_mech id = {						\
	.name = nm, .row = "ipcmbox", .use = "Messages, any processes",	\
	.naming = "/dev/ipcmbox/NAME",					\
	.flags = fl,							\
	.create = createfn,						\
	.open = openfn,							\
	.send = mbox_send,						\
	.recv = mbox_recv,						\
	.pollfd = sem_fd_pollfd,					\
	.close = sem_fd_close,						\
	.destroy = destroyfn,						\
}

MBOX_MECH(sem_mbox_zero, "ipcmbox-zero", SEM_NAMED, zero_create,
	  named_open, mbox_destroy);
MBOX_MECH(sem_mbox_bounded, "ipcmbox-bounded", SEM_NAMED, bounded_create,
	  named_open, mbox_destroy);
MBOX_MECH(sem_mbox_unbounded, "ipcmbox-unbounded", SEM_NAMED,
	  unbounded_create, named_open, mbox_destroy);
MBOX_MECH(sem_mbox_pair, "ipcmbox-pair", 0, pair_create,
	  sem_inherited_open, NULL);
