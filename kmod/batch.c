// SPDX-License-Identifier: GPL-2.0-only
/*
 * Many messages in one call: IPCMBOX_IOC_SEND_BATCH and _RECV_BATCH.
 *
 * The entries are copied in once, all of them, and each is validated as
 * IPCMBOX_IOC_SEND or _RECV validates its structure, before anything is
 * sent or received: a bad entry fails the call and nothing is done.  The
 * call returns how many were done, as sendmmsg() and recvmmsg() do: an
 * error only when none was, else the count, with the errno that stopped
 * the batch in the batch's @error.
 *
 * A send batch first makes every message (copies it in, or takes its
 * chunk), then the mailbox takes them in runs, one lock hold per run, for
 * as long as each goes in without waiting; the first that would wait goes
 * through the single-message path alone.  A receive batch's first entry is
 * a single receive; the others take what is queued then in one lock hold,
 * and are copied out and written back after it.  Either way each message
 * is decided as a single call would decide it, in order.
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

#include "batch.h"

#define IPCMBOX_BATCH_WAIT_FLAGS \
	(IPCMBOX_IO_NONBLOCK | IPCMBOX_IO_TIMEOUT | IPCMBOX_IO_ABSTIME)
/* What an entry's flags may hold; the rest belongs to the batch. */
#define IPCMBOX_BATCH_SEND_ENTRY	IPCMBOX_IO_REF
#define IPCMBOX_BATCH_RECV_ENTRY	(IPCMBOX_IO_REF | IPCMBOX_IO_TRUNC)

static int ipcmbox_batch_check(const struct ipcmbox_batch *b, bool send)
{
	u32 flags = IPCMBOX_BATCH_WAIT_FLAGS | IPCMBOX_BATCH_PACKED |
		    (send ? IPCMBOX_BATCH_ATOMIC : 0);

	if ((b->flags & ~flags) || b->error ||
	    memchr_inv(b->reserved, 0, sizeof(b->reserved)))
		return -EINVAL;
	if (!b->count || b->count > IPCMBOX_BATCH_MAX)
		return -EINVAL;
	if (b->flags & IPCMBOX_BATCH_PACKED) {
		/* Room for one header at least. */
		if (b->stride || b->len < (send ?
		    sizeof(struct ipcmbox_packed_send) :
		    sizeof(struct ipcmbox_packed_recv)))
			return -EINVAL;
		return b->len > MAX_RW_COUNT ? -E2BIG : 0;
	}
	if (b->len)
		return -EINVAL;
	if (b->stride < IPCMBOX_IO_SIZE_VER0 || b->stride % 8)
		return -EINVAL;
	if (b->stride > PAGE_SIZE)
		return -E2BIG;
	return 0;
}

/* Copies every entry in and validates it; nothing is done yet. */
static int ipcmbox_batch_load(struct ipcmbox_batch_run *r)
{
	u32 allowed = r->send ? IPCMBOX_BATCH_SEND_ENTRY :
				IPCMBOX_BATCH_RECV_ENTRY;
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
		ret = ipcmbox_io_check(r->file, io, r->send, allowed);
		if (ret)
			return ret;
	}
	return 0;
}

/* Validated entry @i as a transfer, with the batch's blocking and deadline. */
static int ipcmbox_batch_entry(struct ipcmbox_batch_run *r, unsigned int i,
			       struct ipcmbox_xfer *x, struct iov_iter *iter)
{
	int ret = ipcmbox_io_xfer(r->file, &r->ios[i], r->send, x, iter);

	x->flags |= r->wait.flags & IPCMBOX_IO_NONBLOCK;
	x->probe = r->wait.probe;
	x->deadline_set = r->wait.deadline_set;
	x->clock = r->wait.clock;
	x->deadline = r->wait.deadline;
	x->restart = r->wait.restart;
	return ret;
}

/* The user's entry @i. */
static struct ipcmbox_io __user *ipcmbox_batch_uentry(struct ipcmbox_batch_run *r,
						      unsigned int i)
{
	return (struct ipcmbox_io __user *)(r->uptr + (size_t)i * r->stride);
}

/* A send's one output: its sequence number. */
static int ipcmbox_batch_put_seq(struct ipcmbox_batch_run *r, unsigned int i,
				 u64 seq)
{
	/* A packed send has nowhere to say it. */
	if (r->packed)
		return 0;
	return put_user(seq, &ipcmbox_batch_uentry(r, i)->seq);
}

/*
 * Makes the messages of the send entries, in order, until one fails.
 * Return: how many were made, with the failure in @r->stop.
 */
static unsigned int ipcmbox_batch_make(struct ipcmbox_batch_run *r)
{
	struct ipcmbox_xfer x;
	struct iov_iter iter;
	unsigned int i;
	int ret = 0;

	for (i = 0; i < r->n; i++) {
		struct ipcmbox_msg *msg;

		ret = ipcmbox_batch_entry(r, i, &x, &iter);
		if (ret)
			break;
		msg = ipcmbox_send_make(r->mb, &x);
		if (IS_ERR(msg)) {
			ret = PTR_ERR(msg);
			break;
		}
		r->msgs[i] = msg;
	}
	r->stop = ret;
	return i;
}

/* Frees the messages @from to @to that a send batch still holds. */
static void ipcmbox_batch_unmake(struct ipcmbox_batch_run *r,
				 unsigned int from, unsigned int to)
{
	for (; from < to; from++)
		if (r->msgs[from])
			ipcmbox_msg_free_to(r->msgs[from], r->file);
}

/*
 * Every message is made first (copied in, or its chunk taken).  Runs of
 * them go in under one lock hold while they go in without waiting; the
 * first that would wait is sent alone, waiting as the batch allows.
 */
static long ipcmbox_batch_send(struct ipcmbox_batch_run *r)
{
	unsigned int i = 0, k, made = r->packed ? ipcmbox_packed_make(r) :
						  ipcmbox_batch_make(r);
	struct ipcmbox_xfer x = r->wait;
	long ret = 0;
	u64 seq;

	while (i < made) {
		k = ipcmbox_send_run(r->mb, &r->wait, &r->msgs[i], made - i,
				     &seq);
		/* Sent is sent: a fault here only loses the seq. */
		for (; k; k--, i++, seq++)
			ipcmbox_batch_put_seq(r, i, seq);
		if (i == made)
			break;
		ret = ipcmbox_send_made(r->mb, &x, &r->msgs[i], NULL);
		if (ret)
			break;
		ipcmbox_batch_put_seq(r, i++, x.seq);
	}
	/* A message that could not be made failed the entry reaching it. */
	if (i == made && r->stop) {
		ret = r->stop;
		atomic64_inc(&r->mb->send_failed);
	}
	ipcmbox_batch_unmake(r, i, made);
	r->stop = ret;
	return i ? i : ret;
}

/* IPCMBOX_BATCH_ATOMIC: every message is made first, then sent at once. */
static long ipcmbox_batch_send_all(struct ipcmbox_batch_run *r)
{
	unsigned int i, made = r->packed ? ipcmbox_packed_make(r) :
					   ipcmbox_batch_make(r);
	long ret = r->stop;
	u64 seq;

	if (ret)
		atomic64_inc(&r->mb->send_failed);
	else
		ret = ipcmbox_send_all(r->mb, r->msgs, r->n, &r->wait, &seq);
	if (ret) {
		ipcmbox_batch_unmake(r, 0, made);
		return ret;
	}
	for (i = 0; i < r->n; i++)
		ipcmbox_batch_put_seq(r, i, seq + i);
	return r->n;
}

/*
 * Writes receive @i's outputs back (ret: its result), or undoes it: a
 * message is never consumed without its receiver knowing.
 */
static ssize_t ipcmbox_batch_report(struct ipcmbox_batch_run *r,
				    unsigned int i, struct ipcmbox_xfer *x,
				    ssize_t ret)
{
	bool reported;

	if (!ipcmbox_io_reportable(x, ret, false))
		return ret;
	reported = !ipcmbox_io_put_report(ipcmbox_batch_uentry(r, i), x, ret);
	ipcmbox_receive_done(r->mb, x, reported);
	return reported ? ret : -EFAULT;
}

/*
 * Takes, in one lock hold, what entries @from on get of the queue now,
 * without waiting.  Return: how many were taken, into @r->msgs; why the
 * next one got nothing in @r->stop, and its length (EMSGSIZE) in
 * @r->ios[its entry].msg_len.
 */
static unsigned int ipcmbox_batch_take(struct ipcmbox_batch_run *r,
				       unsigned int from)
{
	struct ipcmbox_xfer x;
	struct iov_iter iter;
	unsigned int i;
	int ret = 0;

	mutex_lock(&r->mb->lock);
	for (i = from; i < r->n; i++) {
		ret = ipcmbox_batch_entry(r, i, &x, &iter);
		if (ret)
			break;
		x.flags |= IPCMBOX_IO_NONBLOCK;
		x.probe = true;
		ret = ipcmbox_receive_take(r->mb, &x, &r->msgs[i]);
		if (ret) {
			r->ios[i].msg_len = x.msg_len;
			break;
		}
	}
	mutex_unlock(&r->mb->lock);
	r->stop = ret;
	return i - from;
}

/*
 * The first entry waits as the batch allows, as one receive does; the
 * others take, in one lock hold, what is queued then, and are copied out
 * after it.  A message taken but not reported is put back at its place.
 */
static long ipcmbox_batch_recv(struct ipcmbox_batch_run *r)
{
	unsigned int i, done, taken = 0;
	struct ipcmbox_xfer x;
	struct iov_iter iter;
	ssize_t ret;

	ret = ipcmbox_batch_entry(r, 0, &x, &iter);
	if (ret)
		return ret;
	x.hold = true;
	ret = ipcmbox_batch_report(r, 0, &x, ipcmbox_receive(r->mb, &x));
	if (ret < 0)
		return ret;
	if (r->n > 1)
		taken = ipcmbox_batch_take(r, 1);
	for (i = 1; i <= taken; i++) {
		ret = ipcmbox_batch_entry(r, i, &x, &iter);
		if (ret) {
			ipcmbox_put_back(r->mb, r->msgs[i]);
		} else {
			x.hold = true;
			ret = ipcmbox_receive_taken(r->mb, &x, r->msgs[i]);
			ret = ipcmbox_batch_report(r, i, &x, ret);
		}
		if (ret < 0) {
			r->stop = ret;
			/* The rest go back in order, oldest first. */
			for (done = i; ++i <= taken;)
				ipcmbox_put_back(r->mb, r->msgs[i]);
			return done;
		}
	}
	/* The entry that stopped the run tells a too-long message's length. */
	if (r->stop == -EMSGSIZE) {
		memset(&x, 0, sizeof(x));
		x.msg_len = r->ios[i].msg_len;
		ipcmbox_io_put_report(ipcmbox_batch_uentry(r, i), &x,
				      -EMSGSIZE);
	}
	return i;
}

/*
 * The kernel copies of the entries, and the message pointers: one
 * allocation while both fit a slab object, else two, so that a batch of
 * 64 (8 KiB of entries) takes its entries from the 8 KiB slab cache, not
 * an order-2 page from the page allocator, about 17,000 instructions per
 * call.  A packed batch of up to IPCMBOX_BATCH_STACK messages has no
 * entries and keeps its pointers in @r itself, on the stack, which saves
 * an allocation and its free (about 320 instructions a call); a packed
 * send that goes as a train has no pointers at all.
 */
static int ipcmbox_batch_alloc(struct ipcmbox_batch_run *r)
{
	size_t ios = r->packed ? 0 : array_size(r->n, sizeof(*r->ios));
	size_t msgs = array_size(r->n, sizeof(*r->msgs));

	if (!ios && (r->n <= ARRAY_SIZE(r->stack) || r->train)) {
		r->msgs = r->stack;
		return 0;
	}
	if (ios + msgs <= KMALLOC_MAX_CACHE_SIZE) {
		r->ios = kmalloc(ios + msgs, GFP_KERNEL_ACCOUNT);
		if (!r->ios)
			return -ENOMEM;
		r->msgs = (struct ipcmbox_msg **)((u8 *)r->ios + ios);
		r->one = true;
		return 0;
	}
	r->ios = kvmalloc(ios, GFP_KERNEL_ACCOUNT);
	r->msgs = kvmalloc(msgs, GFP_KERNEL_ACCOUNT);
	if (r->ios && r->msgs)
		return 0;
	kvfree(r->ios);
	kvfree(r->msgs);
	return -ENOMEM;
}

static void ipcmbox_batch_free(struct ipcmbox_batch_run *r)
{
	if (r->msgs != r->stack && !r->one)
		kvfree(r->msgs);
	kvfree(r->ios);
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
	bool whole = false;
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
	r.packed = b.flags & IPCMBOX_BATCH_PACKED;
	r.len = b.len;
	r.uptr = u64_to_user_ptr(b.msgs);
	r.wait.flags = b.flags & IPCMBOX_BATCH_WAIT_FLAGS;
	if (ipcmbox_file_nonblock(file))
		r.wait.flags |= IPCMBOX_IO_NONBLOCK;
	ret = ipcmbox_xfer_deadline(&r.wait, b.clock, b.timeout_ns);
	if (ret)
		return ret;
	if (probe) {
		/* A blocking send batch could stop part way: see below. */
		whole = send && !(r.wait.flags & IPCMBOX_IO_NONBLOCK) &&
			!(b.flags & IPCMBOX_BATCH_ATOMIC);
		r.wait.flags |= IPCMBOX_IO_NONBLOCK;
		r.wait.probe = true;
	}
	r.wait.cred = file->f_cred;
	r.wait.file = file;
	if (!access_ok(r.uptr, r.packed ? r.len : (size_t)r.n * r.stride))
		return -EFAULT;
	r.train = send && r.packed && !(b.flags & IPCMBOX_BATCH_ATOMIC) &&
		  ipcmbox_packed_train(&r);
	/*
	 * A blocking send batch's probe must neither sleep nor send part of
	 * it, which the worker issuing it again would send again: a train
	 * the mailbox takes whole now is sent; anything else is left to the
	 * worker.
	 */
	if (whole)
		return r.train ? ipcmbox_packed_try(&r) : -EAGAIN;
	ret = ipcmbox_batch_alloc(&r);
	if (ret)
		return ret;
	ret = r.packed ? 0 : ipcmbox_batch_load(&r);
	if (ret)
		goto out;

	if (!send)
		ret = r.packed ? ipcmbox_packed_recv(&r) :
				 ipcmbox_batch_recv(&r);
	else if (b.flags & IPCMBOX_BATCH_ATOMIC)
		ret = ipcmbox_batch_send_all(&r);
	else if (r.train)
		ret = ipcmbox_packed_send(&r);
	else
		ret = ipcmbox_batch_send(&r);
	err = ret > 0 ? -ipcmbox_batch_error(r.stop, send) : 0;
	/* Done is done: a fault here loses @error, not the messages. */
	if (err)
		put_user(err, &uarg->error);
out:
	ipcmbox_batch_free(&r);
	return ret;
}
