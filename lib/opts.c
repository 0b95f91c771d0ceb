// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * Calls with struct ipcmbox_msg_opts (0.5): options sized by the caller,
 * timeouts as a <time.h> clock id and a timespec, envelopes written no
 * further than the caller's size; and ipcmbox_next_len(), which tells an
 * empty mailbox from a zero-length message.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>

#include "internal.h"

/* The first version of struct ipcmbox_msg_opts ends after env_sz. */
#define OPTS_SZ_VER0	(offsetof(struct ipcmbox_msg_opts, env_sz) + \
			 sizeof(size_t))

/*
 * The caller's options as this library knows them, in @o (zeroed past the
 * caller's @sz).  EINVAL for a size below the first version, or above
 * this library's with a non-zero byte this library does not know.
 */
static int ipcmbox_opts_get(const struct ipcmbox_msg_opts *opts,
			    struct ipcmbox_msg_opts *o)
{
	const unsigned char *tail;
	size_t i;

	memset(o, 0, sizeof(*o));
	if (!opts)
		return 0;
	if (opts->sz < OPTS_SZ_VER0)
		goto inval;
	tail = (const unsigned char *)opts;
	for (i = sizeof(*o); i < opts->sz; i++)
		if (tail[i])
			goto inval;
	memcpy(o, opts, opts->sz < sizeof(*o) ? opts->sz : sizeof(*o));
	return 0;
inval:
	errno = EINVAL;
	return -1;
}

/* <time.h> clock ids to the ABI's; -1 for one the module does not have. */
static int ipcmbox_clock_of(clockid_t id)
{
	switch (id) {
	case CLOCK_MONOTONIC:
		return IPCMBOX_CLOCK_MONOTONIC;
	case CLOCK_REALTIME:
		return IPCMBOX_CLOCK_REALTIME;
	case CLOCK_BOOTTIME:
		return IPCMBOX_CLOCK_BOOTTIME;
	default:
		return -1;
	}
}

/* Fills @io from the options @o of a send (@send) or a receive. */
static int ipcmbox_opts_io(const struct ipcmbox_msg_opts *o,
			   struct ipcmbox_io *io, const void *buf, size_t len,
			   int send)
{
	uint32_t allowed = IPCMBOX_IO_NONBLOCK | IPCMBOX_IO_ABSTIME |
			   (send ? 0 : IPCMBOX_IO_PEEK | IPCMBOX_IO_TRUNC);
	const struct ipcmbox_opts base = {
		.flags = o->flags, .priority = o->priority, .type = o->type,
	};
	const struct timespec *t = o->timeout;
	int clock;

	if ((o->flags & ~allowed) || o->reserved ||
	    (!t && (o->flags & IPCMBOX_IO_ABSTIME)) ||
	    (!send && o->priority))
		goto inval;
	ipcmbox_io_prep(io, buf, len, &base, send);
	if (!t)
		return 0;
	clock = ipcmbox_clock_of(o->clockid);
	if (clock < 0 || t->tv_sec < 0 || t->tv_nsec < 0 ||
	    t->tv_nsec >= 1000000000L ||
	    t->tv_sec > (INT64_MAX - t->tv_nsec) / 1000000000LL)
		goto inval;
	io->flags |= IPCMBOX_IO_TIMEOUT;
	io->clock = clock;
	io->timeout_ns = (int64_t)t->tv_sec * 1000000000LL + t->tv_nsec;
	return 0;
inval:
	errno = EINVAL;
	return -1;
}

/* The envelope in @io into the caller's, no further than its @env_sz. */
static void ipcmbox_opts_env(const struct ipcmbox_msg_opts *o,
			     const struct ipcmbox_io *io)
{
	struct ipcmbox_envelope env;

	if (!o->env)
		return;
	ipcmbox_io_envelope(io, &env);
	memcpy(o->env, &env, o->env_sz < sizeof(env) ? o->env_sz : sizeof(env));
}

IPCMBOX_EXPORT int ipcmbox_send_opts(int fd, const void *buf, size_t len,
				     const struct ipcmbox_msg_opts *opts)
{
	struct ipcmbox_msg_opts o;
	struct ipcmbox_io io;

	if (ipcmbox_opts_get(opts, &o) || ipcmbox_opts_io(&o, &io, buf, len, 1))
		return -1;
	if (ioctl(fd, IPCMBOX_IOC_SEND, &io) < 0)
		return -1;
	/* A send writes back only its sequence number. */
	if (o.env && o.env_sz >= offsetof(struct ipcmbox_envelope, seq) +
				 sizeof(o.env->seq))
		o.env->seq = io.seq;
	return 0;
}

IPCMBOX_EXPORT ssize_t ipcmbox_recv_opts(int fd, void *buf, size_t len,
					 const struct ipcmbox_msg_opts *opts)
{
	struct ipcmbox_msg_opts o;
	struct ipcmbox_io io;
	int ret;

	if (ipcmbox_opts_get(opts, &o) || ipcmbox_opts_io(&o, &io, buf, len, 0))
		return -1;
	ret = ioctl(fd, IPCMBOX_IOC_RECV, &io) < 0 ? -errno : 0;
	if (ret == 0 || ret == -EMSGSIZE)
		ipcmbox_opts_env(&o, &io);
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return (ssize_t)io.len;
}

IPCMBOX_EXPORT ssize_t ipcmbox_next_len(int fd, int64_t type)
{
	struct ipcmbox_io io;

	/* A peek of nothing, cut to nothing, reports the length it cut. */
	memset(&io, 0, sizeof(io));
	io.size = sizeof(io);
	io.flags = IPCMBOX_IO_PEEK | IPCMBOX_IO_TRUNC | IPCMBOX_IO_NONBLOCK;
	io.type = type;
	if (ioctl(fd, IPCMBOX_IOC_RECV, &io) < 0)
		return -1;
	return (ssize_t)io.msg_len;
}
