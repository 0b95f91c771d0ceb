// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * Batches: many messages per system call (IPCMBOX_IOC_SEND_BATCH and
 * IPCMBOX_IOC_RECV_BATCH).  The ioctl entries live on the stack for small
 * batches and on the heap for large ones.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "internal.h"

/* Batches up to this size need no allocation. */
#define IPCMBOX_BATCH_STACK	16

static int ipcmbox_batch_call(int fd, bool send, struct ipcmbox_mmsg *msgs,
			      unsigned int count,
			      const struct ipcmbox_opts *opts, int *error)
{
	struct ipcmbox_io stack[IPCMBOX_BATCH_STACK], *ios = stack;
	struct ipcmbox_batch b;
	unsigned int i;
	int ret, err;

	if (!msgs || !count || count > IPCMBOX_BATCH_MAX ||
	    (opts && (opts->type || opts->priority))) {
		errno = EINVAL;
		return -1;
	}
	if (count > IPCMBOX_BATCH_STACK) {
		ios = calloc(count, sizeof(*ios));
		if (!ios)
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
	memset(&b, 0, sizeof(b));
	b.size = sizeof(b);
	b.msgs = (uintptr_t)ios;
	b.count = count;
	b.stride = sizeof(*ios);
	if (opts) {
		b.flags = opts->flags;
		b.clock = opts->clock;
		b.timeout_ns = opts->timeout_ns;
	}
	ret = ioctl(fd, send ? IPCMBOX_IOC_SEND_BATCH : IPCMBOX_IOC_RECV_BATCH,
		    &b);
	err = errno;
	/* A receive that failed with EMSGSIZE still tells the length. */
	for (i = 0; i < (ret > 0 ? (unsigned int)ret :
			 !send && err == EMSGSIZE); i++) {
		const struct ipcmbox_io *io = &ios[i];
		struct ipcmbox_mmsg *m = &msgs[i];

		m->env.seq = io->seq;
		if (send)
			continue;
		m->len = io->len;
		m->msg_flags = io->msg_flags;
		m->ref_offset = io->ref_offset;
		m->env.msg_len = io->msg_len;
		m->env.type = io->type;
		m->env.priority = io->priority;
		m->env.pid = io->pid;
		m->env.tid = io->tid;
		m->env.uid = io->uid;
		m->env.gid = io->gid;
		m->env.enqueue_mono_ns = io->enqueue_mono_ns;
		m->env.enqueue_real_ns = io->enqueue_real_ns;
	}
	/* The entry after the last one done tells the length it needed. */
	if (ret > 0 && (unsigned int)ret < count && b.error == EMSGSIZE)
		msgs[ret].env.msg_len = ios[ret].msg_len;
	if (ios != stack)
		free(ios);
	if (error)
		*error = ret > 0 ? (int)b.error : 0;
	errno = err;
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
