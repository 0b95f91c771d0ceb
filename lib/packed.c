// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * Packed batches (IPCMBOX_BATCH_PACKED): many messages in one buffer and
 * one system call, each a header, its payload and padding.  A sender
 * builds the buffer with ipcmbox_packed_add(); a receiver walks what it
 * got with ipcmbox_packed_next().
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "internal.h"

IPCMBOX_EXPORT int ipcmbox_packed_prep(struct ipcmbox_batch *b,
				       const void *buf, size_t len,
				       unsigned int count,
				       const struct ipcmbox_opts *opts)
{
	if (!b || !buf || !len || !count || count > IPCMBOX_BATCH_MAX ||
	    (opts && (opts->type || opts->priority))) {
		errno = EINVAL;
		return -1;
	}
	memset(b, 0, sizeof(*b));
	b->size = sizeof(*b);
	b->flags = IPCMBOX_BATCH_PACKED;
	b->msgs = (uintptr_t)buf;
	b->count = count;
	b->len = len;
	if (opts) {
		b->flags |= opts->flags;
		b->clock = opts->clock;
		b->timeout_ns = opts->timeout_ns;
	}
	return 0;
}

static int ipcmbox_packed_call(int fd, unsigned long cmd, const void *buf,
			       size_t len, unsigned int count,
			       const struct ipcmbox_opts *opts, int *error)
{
	struct ipcmbox_batch b;
	int ret;

	if (error)
		*error = 0;
	if (ipcmbox_packed_prep(&b, buf, len, count, opts))
		return -1;
	ret = ioctl(fd, cmd, &b);
	if (ret > 0 && error)
		*error = (int)b.error;
	return ret;
}

IPCMBOX_EXPORT int ipcmbox_send_packed(int fd, const void *buf, size_t len,
				       unsigned int count,
				       const struct ipcmbox_opts *opts,
				       int *error)
{
	return ipcmbox_packed_call(fd, IPCMBOX_IOC_SEND_BATCH, buf, len, count,
				   opts, error);
}

IPCMBOX_EXPORT int ipcmbox_recv_packed(int fd, void *buf, size_t len,
				       unsigned int count,
				       const struct ipcmbox_opts *opts,
				       int *error)
{
	return ipcmbox_packed_call(fd, IPCMBOX_IOC_RECV_BATCH, buf, len, count,
				   opts, error);
}
