// SPDX-License-Identifier: GPL-2.0-only
/*
 * Semantics of message queues: POSIX (mq_open(3), default attributes) and
 * System V (msgget(2) with a key, default msg_qbytes).  Both ends open the
 * queue read-write, as its users do.  Neither tells a receiver who sent a
 * message (System V keeps only the queue's last sender, msg_lspid).
 */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/msg.h>
#include <time.h>
#include <unistd.h>

#include "../sem.h"

static int mq_create(struct sem_obj *o)
{
	mqd_t q;

	sem_unique(o->name, sizeof(o->name), "/");
	q = mq_open(o->name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600, NULL);
	if (q == (mqd_t)-1)
		return -errno;
	mq_close(q);
	return 0;
}

static int mq_open_end(struct sem_end *e, bool by_name)
{
	(void)by_name;
	e->fd = mq_open(e->o->name, O_RDWR | O_CLOEXEC);
	return e->fd < 0 ? -errno : 0;
}

static void mq_nb(struct sem_end *e)
{
	struct mq_attr a = { .mq_flags = e->nb ? O_NONBLOCK : 0 };

	(void)mq_setattr(e->fd, &a, NULL);
}

static ssize_t mq_send_msg(struct sem_end *e, const void *buf, size_t len)
{
	mq_nb(e);
	return mq_send(e->fd, buf, len, 0) ? -errno : (ssize_t)len;
}

static ssize_t mq_recv_msg(struct sem_end *e, void *buf, size_t cap)
{
	char big[8192];
	ssize_t n;

	/* mq_receive wants room for the queue's largest message. */
	mq_nb(e);
	n = mq_receive(e->fd, big, sizeof(big), NULL);
	if (n < 0)
		return -errno;
	if ((size_t)n > cap)
		return -EMSGSIZE;
	memcpy(buf, big, (size_t)n);
	e->peer = 0;
	return n;
}

static void mq_close_end(struct sem_end *e)
{
	if (e->fd >= 0)
		mq_close(e->fd);
	e->fd = -1;
}

static void mq_destroy(struct sem_obj *o)
{
	mq_unlink(o->name);
}

const struct sem_mech sem_posix_mq = {
	.name = "posix-mq", .row = "Message Queue", .use = "Structured messages",
	.naming = "/name",
	.flags = SEM_NAMED,
	.create = mq_create,
	.open = mq_open_end,
	.send = mq_send_msg,
	.recv = mq_recv_msg,
	.pollfd = sem_fd_pollfd,
	.close = mq_close_end,
	.destroy = mq_destroy,
};

static int sysv_create(struct sem_obj *o)
{
	key_t key = (key_t)(0x1b0c0000 | (getpid() & 0xffff));
	int id;

	while ((id = msgget(key, IPC_CREAT | IPC_EXCL | 0600)) < 0 &&
	       errno == EEXIST)
		key++;
	if (id < 0)
		return -errno;
	snprintf(o->name, sizeof(o->name), "key 0x%x", (unsigned int)key);
	o->id = id;
	return 0;
}

static int sysv_open(struct sem_end *e, bool by_name)
{
	unsigned int key;

	(void)by_name;
	if (sscanf(e->o->name, "key 0x%x", &key) != 1)
		return -EINVAL;
	e->id = msgget((key_t)key, 0);
	return e->id < 0 ? -errno : 0;
}

struct sysv_buf {
	long mtype;
	char mtext[8192];
};

static ssize_t sysv_send(struct sem_end *e, const void *buf, size_t len)
{
	struct sysv_buf m = { .mtype = 1 };

	if (len > sizeof(m.mtext))
		return -EMSGSIZE;
	memcpy(m.mtext, buf, len);
	return msgsnd((int)e->id, &m, len, e->nb ? IPC_NOWAIT : 0) ?
		-errno : (ssize_t)len;
}

static ssize_t sysv_recv(struct sem_end *e, void *buf, size_t cap)
{
	struct sysv_buf m;
	ssize_t n;

	n = msgrcv((int)e->id, &m, cap < sizeof(m.mtext) ? cap : sizeof(m.mtext),
		   0, e->nb ? IPC_NOWAIT : 0);
	if (n < 0)
		return -errno;	/* ENOMSG: empty, with IPC_NOWAIT */
	memcpy(buf, m.mtext, (size_t)n);
	e->peer = 0;
	return n;
}

static void sysv_close(struct sem_end *e)
{
	e->id = -1;
}

static void sysv_destroy(struct sem_obj *o)
{
	msgctl((int)o->id, IPC_RMID, NULL);
}

const struct sem_mech sem_sysv_msg = {
	.name = "sysv-msg", .row = "Message Queue", .use = "Structured messages",
	.naming = "IPC key",
	.flags = SEM_NAMED,
	.create = sysv_create,
	.open = sysv_open,
	.send = sysv_send,
	.recv = sysv_recv,
	.pollfd = sem_no_pollfd,
	.close = sysv_close,
	.destroy = sysv_destroy,
};
