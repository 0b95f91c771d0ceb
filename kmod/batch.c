// SPDX-License-Identifier: GPL-2.0-only
/*
 * Many messages in one call: IPCMBOX_IOC_SEND_BATCH and _RECV_BATCH.
 *
 * The entries are copied in once, all of them, and each is validated as
 * IPCMBOX_IOC_SEND or _RECV validates its structure, before anything is
 * sent or received: a bad entry fails the call and nothing is done.  Then
 * the messages move one after the other through the single-message paths,
 * and the call returns how many were done, as sendmmsg() and recvmmsg()
 * do: an error only when none was, else the count, with the errno that
 * stopped the batch in the batch's @error.
 *
 * Blocking and the deadline belong to the batch.  A send waits for each
 * message in turn (until the deadline); a receive waits only for the
 * first, then takes what is queued, up to the count, without waiting.
 * IPCMBOX_BATCH_ATOMIC sends the whole batch or nothing, its messages one
 * after the other in the queue (ipcmbox_send_all()).
 *
 * Each entry done is written back with its outputs (a send's: its seq);
 * a received message whose entry cannot be written back is put back and
 * ends the batch, as a single receive does.  The entries' size fields are
 * left as they are, so the array can be used again.
 */
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/uio.h>

#include "mbox.h"

#define IPCMBOX_BATCH_WAIT_FLAGS \
	(IPCMBOX_IO_NONBLOCK | IPCMBOX_IO_TIMEOUT | IPCMBOX_IO_ABSTIME)
/* What an entry's flags may hold; the rest belongs to the batch. */
#define IPCMBOX_BATCH_SEND_ENTRY	IPCMBOX_IO_REF
#define IPCMBOX_BATCH_RECV_ENTRY	(IPCMBOX_IO_REF | IPCMBOX_IO_TRUNC)

/**
 * struct ipcmbox_batch_run - one batched call
 * @file: the mailbox file
 * @mb: its mailbox
 * @send: a send batch, else a receive batch
 * @n: entries
 * @stride: bytes between entries in user memory
 * @uptr: user address of the first entry
 * @ios: kernel copies of the entries
 * @wait: the batch's blocking flags and deadline, for every entry
 * @stop: why the batch stopped before its last entry: an error, or 0
 */
struct ipcmbox_batch_run {
	struct file *file;
	struct ipcmbox_mbox *mb;
	bool send;
	unsigned int n;
	u32 stride;
	u8 __user *uptr;
	struct ipcmbox_io *ios;
	struct ipcmbox_xfer wait;
	long stop;
};

static int ipcmbox_batch_check(const struct ipcmbox_batch *b, bool send)
{
	u32 flags = IPCMBOX_BATCH_WAIT_FLAGS |
		    (send ? IPCMBOX_BATCH_ATOMIC : 0);

	if ((b->flags & ~flags) || b->error ||
	    memchr_inv(b->reserved, 0, sizeof(b->reserved)))
		return -EINVAL;
	if (!b->count || b->count > IPCMBOX_BATCH_MAX)
		return -EINVAL;
	if (b->stride < IPCMBOX_IO_SIZE_VER0 || b->stride % 8)
		return -EINVAL;
	if (b->stride > PAGE_SIZE)
		return -E2BIG;
	return 0;
}

/* Decodes entry @i into @x, with the batch's blocking and deadline. */
static int ipcmbox_batch_entry(struct ipcmbox_batch_run *r, unsigned int i,
			       struct ipcmbox_xfer *x, struct iov_iter *iter)
{
	int ret;

	ret = ipcmbox_io_decode(r->file, &r->ios[i], r->send,
				r->send ? IPCMBOX_BATCH_SEND_ENTRY :
					  IPCMBOX_BATCH_RECV_ENTRY, x, iter);
	if (ret)
		return ret;
	x->flags |= r->wait.flags & IPCMBOX_IO_NONBLOCK;
	x->probe = r->wait.probe;
	x->deadline_set = r->wait.deadline_set;
	x->clock = r->wait.clock;
	x->deadline = r->wait.deadline;
	x->restart = r->wait.restart;
	return 0;
}

/* Copies every entry in and validates it; nothing is done yet. */
static int ipcmbox_batch_load(struct ipcmbox_batch_run *r)
{
	struct ipcmbox_xfer x;
	struct iov_iter iter;
	unsigned int i;
	int ret;

	/* The common case, entries of this module's size: one copy. */
	if (r->stride == sizeof(*r->ios) &&
	    copy_from_user(r->ios, r->uptr, r->n * sizeof(*r->ios)))
		return -EFAULT;
	for (i = 0; i < r->n; i++) {
		struct ipcmbox_io *io = &r->ios[i];

		if (r->stride != sizeof(*io)) {
			ret = copy_struct_from_user(io, sizeof(*io),
						    r->uptr + (size_t)i * r->stride,
						    r->stride);
			if (ret)
				return ret;
		}
		if (io->size != r->stride)
			return -EINVAL;
		ret = ipcmbox_batch_entry(r, i, &x, &iter);
		if (ret)
			return ret;
	}
	return 0;
}

/* The user's entry @i. */
static struct ipcmbox_io __user *ipcmbox_batch_uentry(struct ipcmbox_batch_run *r,
						      unsigned int i)
{
	return (struct ipcmbox_io __user *)(r->uptr + (size_t)i * r->stride);
}

/*
 * Writes receive entry @i back, outputs included, its size field
 * unchanged.  From a copy on the stack: a user copy from the stack costs
 * less to check than one from the heap (hardened usercopy).
 */
static int ipcmbox_batch_put(struct ipcmbox_batch_run *r, unsigned int i)
{
	size_t len = min_t(size_t, r->stride, sizeof(r->ios[i]));
	struct ipcmbox_io out = r->ios[i];

	if (copy_to_user(ipcmbox_batch_uentry(r, i), &out, len))
		return -EFAULT;
	return 0;
}

/* A send's one output: its sequence number. */
static int ipcmbox_batch_put_seq(struct ipcmbox_batch_run *r, unsigned int i,
				 u64 seq)
{
	return put_user(seq, &ipcmbox_batch_uentry(r, i)->seq);
}

static long ipcmbox_batch_send(struct ipcmbox_batch_run *r)
{
	struct ipcmbox_xfer x;
	struct iov_iter iter;
	unsigned int i;
	ssize_t ret = 0;

	for (i = 0; i < r->n; i++) {
		ret = ipcmbox_batch_entry(r, i, &x, &iter);
		if (!ret)
			ret = ipcmbox_send(r->mb, &x);
		if (ret < 0)
			break;
		/* Sent is sent: a fault here only loses the seq. */
		ipcmbox_batch_put_seq(r, i, x.seq);
	}
	r->stop = ret < 0 ? ret : 0;
	return i ? i : ret;
}

/* IPCMBOX_BATCH_ATOMIC: every message is made first, then sent at once. */
static long ipcmbox_batch_send_all(struct ipcmbox_batch_run *r)
{
	struct ipcmbox_msg **msgs;
	struct ipcmbox_xfer x;
	struct iov_iter iter;
	unsigned int i, made;
	u64 seq;
	int ret = 0;

	msgs = kvmalloc_array(r->n, sizeof(*msgs), GFP_KERNEL_ACCOUNT);
	if (!msgs)
		return -ENOMEM;
	for (made = 0; made < r->n; made++) {
		struct ipcmbox_msg *msg;
		size_t len;

		ret = ipcmbox_batch_entry(r, made, &x, &iter);
		if (ret)
			break;
		len = x.flags & IPCMBOX_IO_REF ? x.msg_len :
						 iov_iter_count(x.iter);
		if (len > READ_ONCE(r->mb->max_msg)) {
			ret = -EMSGSIZE;
			break;
		}
		msg = x.flags & IPCMBOX_IO_REF ?
		      ipcmbox_msg_new_ref(r->mb, &x, len) :
		      ipcmbox_msg_new(r->mb, &x, len);
		if (IS_ERR(msg)) {
			ret = PTR_ERR(msg);
			break;
		}
		msgs[made] = msg;
	}
	if (ret)
		atomic64_inc(&r->mb->send_failed);
	else
		ret = ipcmbox_send_all(r->mb, msgs, r->n, &r->wait, &seq);
	if (ret) {
		for (i = 0; i < made; i++)
			ipcmbox_msg_free_to(msgs[i], r->file);
		kvfree(msgs);
		return ret;
	}
	kvfree(msgs);
	for (i = 0; i < r->n; i++)
		ipcmbox_batch_put_seq(r, i, seq + i);
	return r->n;
}

static long ipcmbox_batch_recv(struct ipcmbox_batch_run *r)
{
	struct ipcmbox_xfer x;
	struct iov_iter iter;
	unsigned int i;
	ssize_t ret = 0;

	for (i = 0; i < r->n; i++) {
		ret = ipcmbox_batch_entry(r, i, &x, &iter);
		if (ret)
			break;
		/* Only the first receive waits; the rest take what is there. */
		if (i) {
			x.flags |= IPCMBOX_IO_NONBLOCK;
			x.probe = true;
		}
		x.hold = true;
		ret = ipcmbox_receive(r->mb, &x);
		if (ipcmbox_io_reportable(&x, ret, false)) {
			ipcmbox_io_report(&r->ios[i], &x, ret);
			if (ipcmbox_batch_put(r, i)) {
				ipcmbox_receive_done(r->mb, &x, false);
				ret = -EFAULT;
			} else {
				ipcmbox_receive_done(r->mb, &x, true);
			}
		}
		if (ret < 0)
			break;
	}
	r->stop = ret < 0 ? ret : 0;
	return i ? i : ret;
}

/* The error a batch that did some messages reports for the one it did not. */
static long ipcmbox_batch_error(long stop, bool send)
{
	/* A receive batch takes what is there: running out is no error. */
	if (stop >= 0 || (!send && stop == -EAGAIN))
		return 0;
	if (stop == -ERESTARTSYS)
		return -EINTR;
	return stop;
}

/**
 * ipcmbox_ioctl_batch() - IPCMBOX_IOC_SEND_BATCH or _RECV_BATCH
 * @file: the mailbox file
 * @uarg: the caller's struct ipcmbox_batch
 * @send: a send batch, else a receive batch
 * @probe: try without blocking and without counting EAGAIN as a failure
 *	(io_uring's first attempt, repeated from a worker if it would block);
 *	a blocking send batch, which could stop part way, is not tried
 *
 * Return: the number of messages done, or a negative errno.
 */
long ipcmbox_ioctl_batch(struct file *file, struct ipcmbox_batch __user *uarg,
			 bool send, bool probe)
{
	struct ipcmbox_batch_run r = {
		.file	= file,
		.mb	= file->private_data,
		.send	= send,
	};
	struct ipcmbox_batch b;
	long ret;
	u32 err;

	ret = ipcmbox_get_struct(&b, sizeof(b), uarg, IPCMBOX_BATCH_SIZE_VER0);
	if (ret)
		return ret;
	ret = ipcmbox_batch_check(&b, send);
	if (ret)
		return ret;
	if (!(file->f_mode & (send ? FMODE_WRITE : FMODE_READ)))
		return -EBADF;
	r.n = b.count;
	r.stride = b.stride;
	r.uptr = u64_to_user_ptr(b.msgs);
	r.wait.flags = b.flags & IPCMBOX_BATCH_WAIT_FLAGS;
	if (ipcmbox_file_nonblock(file))
		r.wait.flags |= IPCMBOX_IO_NONBLOCK;
	ret = ipcmbox_xfer_deadline(&r.wait, b.clock, b.timeout_ns);
	if (ret)
		return ret;
	if (probe) {
		if (send && !(r.wait.flags & IPCMBOX_IO_NONBLOCK) &&
		    !(b.flags & IPCMBOX_BATCH_ATOMIC))
			return -EAGAIN;
		r.wait.flags |= IPCMBOX_IO_NONBLOCK;
		r.wait.probe = true;
	}
	r.wait.cred = file->f_cred;
	r.wait.file = file;
	if (!access_ok(r.uptr, (size_t)r.n * r.stride))
		return -EFAULT;
	r.ios = kvmalloc_array(r.n, sizeof(*r.ios), GFP_KERNEL_ACCOUNT);
	if (!r.ios)
		return -ENOMEM;
	ret = ipcmbox_batch_load(&r);
	if (ret)
		goto out;

	if (!send)
		ret = ipcmbox_batch_recv(&r);
	else if (b.flags & IPCMBOX_BATCH_ATOMIC)
		ret = ipcmbox_batch_send_all(&r);
	else
		ret = ipcmbox_batch_send(&r);
	err = ret > 0 ? -ipcmbox_batch_error(r.stop, send) : 0;
	/* Done is done: a fault here loses @error, not the messages. */
	if (err)
		put_user(err, &uarg->error);
out:
	kvfree(r.ios);
	return ret;
}
