// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * Batches: many messages per system call (IPCMBOX_IOC_SEND_BATCH and
 * IPCMBOX_IOC_RECV_BATCH), and the preparation and decoding of their
 * structures that io_uring callers share.  The ioctl entries live on the
 * stack for small batches and on the heap for large ones.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "internal.h"

/* Batches up to this size need no allocation. */
#define IPCMBOX_BATCH_STACK	16

IPCMBOX_EXPORT int ipcmbox_batch_prep(struct ipcmbox_batch *b,
				      struct ipcmbox_io *ios,
				      const struct ipcmbox_mmsg *msgs,
				      unsigned int count,
				      const struct ipcmbox_opts *opts, int send)
{
	unsigned int i;

	if (!b || !ios || !msgs || !count || count > IPCMBOX_BATCH_MAX ||
	    (opts && (opts->type || opts->priority))) {
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < count; i++) {
		struct ipcmbox_io *io = &ios[i];
		const struct ipcmbox_mmsg *m = &msgs[i];

		memset(io, 0, sizeof(*io));
		io->size = sizeof(*io);
		io->flags = m->flags;
		io->buf = (uintptr_t)m->buf;
		io->len = m->len;
		io->type = m->type;
		if (send) {
			io->priority = m->priority;
			if (m->flags & IPCMBOX_IO_REF)
				io->ref_offset = m->ref_offset;
		}
	}
	memset(b, 0, sizeof(*b));
	b->size = sizeof(*b);
	b->msgs = (uintptr_t)ios;
	b->count = count;
	b->stride = sizeof(*ios);
	if (opts) {
		b->flags = opts->flags;
		b->clock = opts->clock;
		b->timeout_ns = opts->timeout_ns;
	}
	return 0;
}

static void ipcmbox_mmsg_result(struct ipcmbox_mmsg *m,
				const struct ipcmbox_io *io, int send)
{
	if (send) {
		m->env.seq = io->seq;
		return;
	}
	m->len = io->len;
	m->msg_flags = io->msg_flags;
	m->ref_offset = io->ref_offset;
	ipcmbox_io_envelope(io, &m->env);
}

IPCMBOX_EXPORT int ipcmbox_batch_result(int res, const struct ipcmbox_batch *b,
					const struct ipcmbox_io *ios,
					struct ipcmbox_mmsg *msgs, int send,
					int *error)
{
	unsigned int i;

	if (error)
		*error = res > 0 ? (int)b->error : 0;
	for (i = 0; res > 0 && i < (unsigned int)res; i++)
		ipcmbox_mmsg_result(&msgs[i], &ios[i], send);
	/*
	 * A receive that failed with EMSGSIZE, or that a long message
	 * stopped, still tells that message's length.
	 */
	if (!send && res == -EMSGSIZE)
		msgs[0].env.msg_len = ios[0].msg_len;
	if (!send && res > 0 && (unsigned int)res < b->count &&
	    b->error == EMSGSIZE)
		msgs[res].env.msg_len = ios[res].msg_len;
	if (res < 0) {
		errno = -res;
		return -1;
	}
	return res;
}

static int ipcmbox_batch_call(int fd, int send, struct ipcmbox_mmsg *msgs,
			      unsigned int count,
			      const struct ipcmbox_opts *opts, int *error)
{
	struct ipcmbox_io stack[IPCMBOX_BATCH_STACK], *ios = stack;
	struct ipcmbox_batch b;
	int ret;

	if (error)
		*error = 0;
	if (!msgs || !count || count > IPCMBOX_BATCH_MAX) {
		errno = EINVAL;
		return -1;
	}
	if (count > IPCMBOX_BATCH_STACK) {
		/* ipcmbox_batch_prep() clears each entry it fills. */
		ios = malloc(count * sizeof(*ios));
		if (!ios)
			return -1;
	}
	ret = ipcmbox_batch_prep(&b, ios, msgs, count, opts, send);
	if (!ret) {
		ret = ioctl(fd, send ? IPCMBOX_IOC_SEND_BATCH :
			    IPCMBOX_IOC_RECV_BATCH, &b);
		ret = ipcmbox_batch_result(ret < 0 ? -errno : ret, &b, ios,
					   msgs, send, error);
	}
	if (ios != stack) {
		int err = errno;

		free(ios);
		errno = err;
	}
	return ret;
}

IPCMBOX_EXPORT int ipcmbox_send_batch(int fd, struct ipcmbox_mmsg *msgs,
				      unsigned int count,
				      const struct ipcmbox_opts *opts,
				      int *error)
{
	return ipcmbox_batch_call(fd, true, msgs, count, opts, error);
}

IPCMBOX_EXPORT int ipcmbox_recv_batch(int fd, struct ipcmbox_mmsg *msgs,
				      unsigned int count,
				      const struct ipcmbox_opts *opts,
				      int *error)
{
	return ipcmbox_batch_call(fd, false, msgs, count, opts, error);
}
