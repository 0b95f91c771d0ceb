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
 * ipcmbox_io_check() - validate @io for a transfer
 * @file: the mailbox file
 * @io: the caller's structure, already copied in
 * @send: a send, else a receive
 * @allowed: the IPCMBOX_IO_* flags this call takes
 *
 * Return: 0, -EBADF (wrong direction), -EINVAL, -EMSGSIZE, -EFAULT.
 */
int ipcmbox_io_check(const struct file *file, const struct ipcmbox_io *io,
		     bool send, u32 allowed)
{
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
	/* No timeout fields without a timeout (a batch's entries take none). */
	if (!(io->flags & IPCMBOX_IO_TIMEOUT) && (io->clock || io->timeout_ns))
		return -EINVAL;
	if (send && (io->flags & IPCMBOX_IO_REF))
		len = 0;
	if (!access_ok(u64_to_user_ptr(io->buf), min_t(size_t, len,
						       MAX_RW_COUNT)))
		return -EFAULT;
	return 0;
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
	return ipcmbox_io_check(file, io, send, allowed) ?:
	       ipcmbox_io_xfer(file, io, send, x, iter) ?:
	       ipcmbox_xfer_deadline(x, io->clock, io->timeout_ns);
}

/**
 * ipcmbox_io_xfer() - a transfer from @io, which ipcmbox_io_check() has
 *	validated, without its deadline: what a batch builds for each entry
 *	it moves
 * @file: the mailbox file
 * @io: the structure
 * @send: a send, else a receive
 * @x: out: the transfer
 * @iter: out: its payload or buffer, which @x points to
 *
 * Return: 0, or -EFAULT.
 */
int ipcmbox_io_xfer(struct file *file, const struct ipcmbox_io *io, bool send,
		    struct ipcmbox_xfer *x, struct iov_iter *iter)
{
	void __user *buf = u64_to_user_ptr(io->buf);
	size_t len = io->len;

	*x = (struct ipcmbox_xfer) { .file = file, .restart = true };
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
	return 0;
}

/**
 * ipcmbox_io_put_report() - write a receive's outputs to the caller
 * @u: the caller's struct ipcmbox_io (IPCMBOX_IOC_RECV's, or a batch entry)
 * @x: the receive
 * @ret: its result: a length, or -EMSGSIZE
 *
 * Only the output fields are written, one store each: the caller's inputs
 * and the size field stay as they are.  A send's one output, seq, is
 * written back alone (ipcmbox_ioctl_io(), ipcmbox_batch_put_seq()).
 *
 * Return: 0, or -EFAULT.
 */
int ipcmbox_io_put_report(struct ipcmbox_io __user *u,
			  const struct ipcmbox_xfer *x, ssize_t ret)
{
	s64 mono = ktime_to_ns(x->stamp);
	s64 real = ktime_to_ns(ktime_mono_to_real(x->stamp));
	u64 len = ret < 0 ? 0 : ret;

	if (!user_write_access_begin(u, sizeof(*u)))
		return -EFAULT;
	unsafe_put_user(len, &u->len, efault);
	unsafe_put_user((u64)x->msg_len, &u->msg_len, efault);
	unsafe_put_user(x->out_type, &u->type, efault);
	unsafe_put_user(x->out_priority, &u->priority, efault);
	unsafe_put_user(x->seq, &u->seq, efault);
	unsafe_put_user(mono, &u->enqueue_mono_ns, efault);
	unsafe_put_user(real, &u->enqueue_real_ns, efault);
	unsafe_put_user(x->pid, &u->pid, efault);
	unsafe_put_user(x->tid, &u->tid, efault);
	unsafe_put_user(x->uid, &u->uid, efault);
	unsafe_put_user(x->gid, &u->gid, efault);
	unsafe_put_user(x->ref_offset, &u->ref_offset, efault);
	unsafe_put_user(x->msg_flags, &u->msg_flags, efault);
	user_write_access_end();
	return 0;
efault:
	user_write_access_end();
	return -EFAULT;
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
	/* A receive whose result cannot be written back is undone. */
	if (put_user(min_t(u32, usize, sizeof(io)), &uarg->size) ||
	    ipcmbox_io_put_report(uarg, &x, ret)) {
		ipcmbox_receive_done(mb, &x, false);
		return -EFAULT;
	}
	ipcmbox_receive_done(mb, &x, true);
	return ret < 0 ? ret : 0;
}
