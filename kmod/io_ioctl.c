// SPDX-License-Identifier: GPL-2.0-only
/*
 * One message through an ioctl: IPCMBOX_IOC_SEND and IPCMBOX_IOC_RECV,
 * and the decoding and reporting of a struct ipcmbox_io that the batched
 * calls (batch.c) share.
 *
 * Every structure is copied in once and fully validated before the
 * mailbox is touched: unknown flags, out-of-range values, output fields
 * and reserved fields that are not zero fail with EINVAL and change
 * nothing.
 */
#include <linux/fs.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/uio.h>

#include "mbox.h"

/*
 * Whether the output-only fields of @io are all zero, and its reserved
 * ones; @ref_offset is an input of a send by reference only.
 */
static bool ipcmbox_io_outputs_zero(const struct ipcmbox_io *io, bool send)
{
	bool ref_in = send && (io->flags & IPCMBOX_IO_REF);

	return !io->msg_len && !io->seq && !io->enqueue_mono_ns &&
	       !io->enqueue_real_ns && !io->pid && !io->tid && !io->uid &&
	       !io->gid && (send || !io->priority) &&
	       (ref_in || !io->ref_offset) && !io->msg_flags &&
	       !io->reserved0 &&
	       !memchr_inv(io->reserved, 0, sizeof(io->reserved));
}

/**
 * ipcmbox_io_decode() - validate @io and turn it into a transfer
 * @file: the mailbox file
 * @io: the caller's structure, already copied in
 * @send: a send, else a receive
 * @allowed: the IPCMBOX_IO_* flags this call takes
 * @x: out: the transfer
 * @iter: out: its payload or buffer, which @x points to
 *
 * Return: 0, -EBADF (wrong direction), -EINVAL, -EMSGSIZE, -EFAULT.
 */
int ipcmbox_io_decode(struct file *file, const struct ipcmbox_io *io,
		      bool send, u32 allowed, struct ipcmbox_xfer *x,
		      struct iov_iter *iter)
{
	void __user *buf = u64_to_user_ptr(io->buf);
	size_t len = io->len;

	if (!(file->f_mode & (send ? FMODE_WRITE : FMODE_READ)))
		return -EBADF;
	if (io->flags & ~allowed)
		return -EINVAL;
	if (!ipcmbox_io_outputs_zero(io, send))
		return -EINVAL;
	if (send ? io->type < 0 || io->priority > IPCMBOX_PRIO_MAX :
		   io->type == S64_MIN)
		return -EINVAL;
	/* A send by reference names a chunk, not a buffer; a peek copies. */
	if ((io->flags & IPCMBOX_IO_REF) &&
	    (send ? io->buf : io->flags & IPCMBOX_IO_PEEK))
		return -EINVAL;
	if (io->len != len || (send && len > MAX_RW_COUNT))
		return -EMSGSIZE;
	*x = (struct ipcmbox_xfer) { .file = file };
	if (send && (io->flags & IPCMBOX_IO_REF)) {
		x->ref_offset = io->ref_offset;
		x->msg_len = len;
		len = 0;
	}
	len = min_t(size_t, len, MAX_RW_COUNT);
	if (!access_ok(buf, len))
		return -EFAULT;
	iov_iter_ubuf(iter, send ? ITER_SOURCE : ITER_DEST, buf, len);

	x->iter = iter;
	x->flags = io->flags;
	if (ipcmbox_file_nonblock(file))
		x->flags |= IPCMBOX_IO_NONBLOCK;
	x->type = io->type;
	x->priority = io->priority;
	x->cred = file->f_cred;
	return ipcmbox_xfer_deadline(x, io->clock, io->timeout_ns);
}

/**
 * ipcmbox_io_report() - the outputs of a receive, into @io
 * @io: the caller's structure, to be copied back
 * @x: the receive
 * @ret: its result: a length, or -EMSGSIZE
 *
 * A send's one output, seq, is written back alone (ipcmbox_ioctl_io(),
 * and the batch's ipcmbox_batch_put_seq()).
 */
void ipcmbox_io_report(struct ipcmbox_io *io, const struct ipcmbox_xfer *x,
		       ssize_t ret)
{
	io->seq = x->seq;
	io->len = ret < 0 ? 0 : ret;
	io->msg_len = x->msg_len;
	io->type = x->out_type;
	io->priority = x->out_priority;
	io->enqueue_mono_ns = ktime_to_ns(x->stamp);
	io->enqueue_real_ns = ktime_to_ns(ktime_mono_to_real(x->stamp));
	io->pid = x->pid;
	io->tid = x->tid;
	io->uid = x->uid;
	io->gid = x->gid;
	io->msg_flags = x->msg_flags;
	io->ref_offset = x->ref_offset;
}

/* Whether a failed transfer still has something to report: EMSGSIZE. */
bool ipcmbox_io_reportable(const struct ipcmbox_xfer *x, ssize_t ret,
			   bool send)
{
	return ret >= 0 || (ret == -EMSGSIZE && !send && x->msg_len);
}

/**
 * ipcmbox_ioctl_io() - IPCMBOX_IOC_SEND or _RECV
 * @file: the mailbox file
 * @uarg: the caller's struct ipcmbox_io
 * @send: a send, else a receive
 * @probe: try without blocking, and do not count EAGAIN as a failure:
 *	io_uring's first attempt, repeated from a worker if it would block
 *
 * Return: 0 or a negative errno, as the ioctl returns.
 */
long ipcmbox_ioctl_io(struct file *file, struct ipcmbox_io __user *uarg,
		      bool send, bool probe)
{
	struct ipcmbox_mbox *mb = file->private_data;
	struct ipcmbox_xfer x;
	struct ipcmbox_io io;
	struct iov_iter iter;
	ssize_t ret;
	u32 usize;

	ret = ipcmbox_get_struct(&io, sizeof(io), uarg, IPCMBOX_IO_SIZE_VER0);
	if (ret)
		return ret;
	usize = io.size;
	ret = ipcmbox_io_decode(file, &io, send,
				send ? IPCMBOX_IO_SEND_FLAGS :
				       IPCMBOX_IO_RECV_FLAGS, &x, &iter);
	if (ret)
		return ret;
	x.hold = !send;
	if (probe) {
		x.flags |= IPCMBOX_IO_NONBLOCK;
		x.probe = true;
	}

	ret = send ? ipcmbox_send(mb, &x) : ipcmbox_receive(mb, &x);
	if (!ipcmbox_io_reportable(&x, ret, send))
		return ret;
	/*
	 * A send is done once its message is queued: a fault here only
	 * loses seq.  Its one output and the size field are all it writes
	 * back; the rest would be the caller's own bytes again.
	 */
	if (send) {
		if (!put_user(min_t(u32, usize, sizeof(io)), &uarg->size))
			put_user(x.seq, &uarg->seq);
		return 0;
	}
	ipcmbox_io_report(&io, &x, ret);
	/* A receive whose result cannot be written back is undone. */
	if (ipcmbox_put_struct(uarg, &io, sizeof(io), usize)) {
		ipcmbox_receive_done(mb, &x, false);
		return -EFAULT;
	}
	ipcmbox_receive_done(mb, &x, true);
	return ret < 0 ? ret : 0;
}
