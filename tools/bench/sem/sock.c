// SPDX-License-Identifier: GPL-2.0-only
/*
 * Semantics of sockets: Unix stream, datagram and seqpacket sockets bound
 * to a path, and TCP over loopback.  The receiver is the bound side; a
 * connection-oriented receiver takes its connection on its first call.
 * Unix sockets pass SO_PASSCRED, so each read carries the sender's pid.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "../sem.h"

struct sock_kind {
	int family, type;
};

static const struct sock_kind *kind(const struct sem_obj *o);

static socklen_t addr_of(const struct sem_obj *o, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (kind(o)->family == AF_UNIX) {
		struct sockaddr_un *un = (struct sockaddr_un *)ss;

		un->sun_family = AF_UNIX;
		snprintf(un->sun_path, sizeof(un->sun_path), "%s", o->name);
		return sizeof(*un);
	} else {
		struct sockaddr_in *in = (struct sockaddr_in *)ss;

		in->sin_family = AF_INET;
		in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		in->sin_port = htons((unsigned short)o->id);
		return sizeof(*in);
	}
}

static int sock_create(struct sem_obj *o)
{
	const struct sock_kind *k = kind(o);
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, err, one = 1;

	if (k->family == AF_UNIX)
		sem_unique(o->name, sizeof(o->name), "/tmp/");
	fd = socket(k->family, k->type | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	len = addr_of(o, &ss);
	if (k->family == AF_UNIX)
		(void)setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one));
	/*
	 * TCP: every probe listens on the same port, and the connections of
	 * the one before may still be in TIME_WAIT on it (EADDRINUSE).
	 */
	if (k->family == AF_INET &&
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)))
		goto fail;
	if (bind(fd, (struct sockaddr *)&ss, len) ||
	    (k->type != SOCK_DGRAM && listen(fd, 8)))
		goto fail;
	if (k->family == AF_INET) {
		if (getsockname(fd, (struct sockaddr *)&ss, &len))
			goto fail;
		o->id = ntohs(((struct sockaddr_in *)&ss)->sin_port);
		snprintf(o->name, sizeof(o->name), "127.0.0.1:%ld", o->id);
	}
	o->fds[0] = fd;
	return 0;
fail:
	err = -errno;
	close(fd);
	return err;
}

/*
 * A sender connects to the name.  The receiver keeps the bound socket it
 * inherited; one that inherited nothing finds only whether something
 * still listens there.
 */
static int sock_open(struct sem_end *e, bool by_name)
{
	const struct sock_kind *k = kind(e->o);
	struct sockaddr_storage ss;
	socklen_t len = addr_of(e->o, &ss);
	int fd, err, one = 1;

	if (e->role == SEM_RX && !by_name) {
		if (k->type == SOCK_DGRAM)
			e->fd = fcntl(e->o->fds[0], F_DUPFD_CLOEXEC, 3);
		else
			e->lfd = fcntl(e->o->fds[0], F_DUPFD_CLOEXEC, 3);
		return e->fd < 0 && e->lfd < 0 ? -errno : 0;
	}
	fd = socket(k->family, k->type | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* Unix: credentials go with each message sent (SCM_CREDENTIALS). */
	if (k->family == AF_UNIX)
		(void)setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one));
	if (connect(fd, (struct sockaddr *)&ss, len)) {
		err = -errno;
		close(fd);
		return err;
	}
	if (e->role == SEM_RX) {	/* someone else holds the name */
		close(fd);
		return -EADDRINUSE;
	}
	e->fd = fd;
	return 0;
}

static int take(struct sem_end *e, bool nb)
{
	int one = 1;

	if (e->fd >= 0)
		return 0;
	e->fd = accept4(e->lfd, NULL, NULL, SOCK_CLOEXEC | (nb ? SOCK_NONBLOCK : 0));
	if (e->fd < 0)
		return -errno;
	if (kind(e->o)->family == AF_UNIX)
		(void)setsockopt(e->fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one));
	return 0;
}

static int sock_accept(struct sem_end *e)
{
	return e->lfd >= 0 ? take(e, false) : 0;
}

static ssize_t sock_send(struct sem_end *e, const void *buf, size_t len)
{
	ssize_t n;
	int err = e->lfd >= 0 ? take(e, e->nb) : 0;

	if (err)
		return err;
	n = send(e->fd, buf, len, MSG_NOSIGNAL | (e->nb ? MSG_DONTWAIT : 0));
	return n < 0 ? -errno : n;
}

static ssize_t sock_recv(struct sem_end *e, void *buf, size_t cap)
{
	char cbuf[CMSG_SPACE(sizeof(struct ucred))];
	struct iovec iov = { .iov_base = buf, .iov_len = cap };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c;
	ssize_t n;
	int err = e->lfd >= 0 ? take(e, e->nb) : 0;

	if (err)
		return err;
	n = recvmsg(e->fd, &mh, e->nb ? MSG_DONTWAIT : 0);
	if (n < 0)
		return -errno;
	e->peer = 0;
	for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		struct ucred uc;

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_CREDENTIALS)
			continue;
		memcpy(&uc, CMSG_DATA(c), sizeof(uc));
		e->peer = uc.pid;
	}
	return n;
}

static int sock_pollfd(struct sem_end *e)
{
	/* A connection not yet taken: a message may wait behind it. */
	if (e->lfd >= 0 && e->fd < 0) {
		struct pollfd p = { .fd = e->lfd, .events = POLLIN };

		if (poll(&p, 1, 0) == 1 && take(e, true))
			return -errno;
		if (e->fd < 0)
			return e->lfd;
	}
	return e->fd;
}

static void sock_destroy(struct sem_obj *o)
{
	if (kind(o)->family == AF_UNIX)
		unlink(o->name);
}

#define SOCK_MECH(id, nm, fam, ty, how)					\
static const struct sock_kind id##_kind = { fam, ty };			\
const struct sem_mech id = {						\
	.name = nm, .row = "Sockets", .use = "Network, client-server",	\
	.naming = how,							\
	.flags = SEM_NAMED,						\
	.create = sock_create,						\
	.open = sock_open,						\
	.accept = sock_accept,						\
	.send = sock_send,						\
	.recv = sock_recv,						\
	.pollfd = sock_pollfd,						\
	.close = sem_fd_close,						\
	.destroy = sock_destroy,					\
}

SOCK_MECH(sem_unix_stream, "unix-stream", AF_UNIX, SOCK_STREAM, "path");
SOCK_MECH(sem_unix_dgram, "unix-dgram", AF_UNIX, SOCK_DGRAM, "path");
SOCK_MECH(sem_unix_seqpacket, "unix-seqpacket", AF_UNIX, SOCK_SEQPACKET,
	  "path");
SOCK_MECH(sem_tcp, "tcp", AF_INET, SOCK_STREAM, "address and port");

static const struct sock_kind *kind(const struct sem_obj *o)
{
	if (o->m == &sem_unix_stream)
		return &sem_unix_stream_kind;
	if (o->m == &sem_unix_dgram)
		return &sem_unix_dgram_kind;
	if (o->m == &sem_unix_seqpacket)
		return &sem_unix_seqpacket_kind;
	return &sem_tcp_kind;
}
