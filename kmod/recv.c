// SPDX-License-Identifier: GPL-2.0-only
/*
 * Receiving one message, or peeking at it.
 *
 * A receive takes the first queued message its type selector matches,
 * else the oldest matching message of a sender blocked for space, else
 * joins the FIFO of blocked receivers, where a sender hands it a message
 * directly.  The message leaves the queue before it is copied, outside the
 * lock; if the copy faults it is put back at its place (its sequence
 * number keeps the order) and the receive fails with EFAULT.  A buffer
 * too small for the message fails with EMSGSIZE before anything is taken,
 * unless the caller asked for truncation.
 *
 * A peek copies the message under mb->lock and leaves it queued.  Peeks
 * are not counted as receives and never take a hand-off.
 *
 * A message sent by reference is copied out of its chunk like any other,
 * and its chunk returns to the region; a receive with IPCMBOX_IO_REF
 * instead takes the chunk (whatever its length), which its file then
 * holds until it releases it.
 */
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/uio.h>

#include "train.h"

/* Why a receive that found nothing may not wait, or 0. */
static int ipcmbox_recv_error(const struct ipcmbox_mbox *mb,
			      const struct ipcmbox_xfer *x)
{
	if (mb->dead)
		return -EIDRM;
	if (mb->anon && !mb->writers)
		return -EPIPE;	/* end of file */
	if (x->flags & IPCMBOX_IO_NONBLOCK)
		return -EAGAIN;
	return 0;
}

/*
 * Takes the message a receive of @x with @room bytes gets now, into @msgp.
 * Return: 0, -EMSGSIZE (too long, left in place), -EAGAIN (none), -ENOMEM
 * (a train's message could not be made, left in place).
 */
static __always_inline int ipcmbox_take(struct ipcmbox_mbox *mb,
					struct ipcmbox_xfer *x, size_t room,
					struct ipcmbox_msg **msgp)
{
	bool was_writable = ipcmbox_writable(mb);
	bool ref = x->flags & IPCMBOX_IO_REF;
	struct ipcmbox_swait *sw;
	struct ipcmbox_msg *msg;

	lockdep_assert_held(&mb->lock);
	msg = ipcmbox_find(mb, x->type);
	if (IS_ERR(msg))
		return PTR_ERR(msg);
	if (msg) {
		x->msg_len = msg->len;
		if (!ipcmbox_msg_fits(msg, room, ref))
			return -EMSGSIZE;
		ipcmbox_unlink(mb, msg);
		ipcmbox_sender_done(mb, msg);
		goto taken;
	}
	/* The queue is full of other types: look at blocked senders. */
	list_for_each_entry(sw, &mb->senders, node) {
		msg = sw->msg;
		if (!ipcmbox_type_match(x->type, msg->type))
			continue;
		x->msg_len = msg->len;
		if (!ipcmbox_msg_fits(msg, room, ref))
			return -EMSGSIZE;
		list_del_init(&sw->node);
		msg->seq = ++mb->seq;
		ipcmbox_swait_done(mb, sw, msg);
		goto taken;
	}
	return -EAGAIN;

taken:
	WRITE_ONCE(mb->received, mb->received + 1);
	ipcmbox_note(&mb->recv_tgid, &mb->recv_jiffies);
	ipcmbox_space_freed(mb, was_writable);
	*msgp = msg;
	return 0;
}

/*
 * Waits in the receivers' FIFO for a hand-off; called locked.  Return: 1
 * when handed a message, which the sender has counted, without the lock;
 * else 0 (look again) or an error, locked.
 */
static int ipcmbox_recv_wait(struct ipcmbox_mbox *mb, struct ipcmbox_xfer *x,
			     struct ipcmbox_rwait *rw, bool *expired)
{
	int ret = 0;

	list_add_tail(&rw->node, &mb->receivers);
	WRITE_ONCE(mb->nr_receivers, mb->nr_receivers + 1);
	/* A waiting receiver makes a rendezvous mailbox writable. */
	if (mb->capacity == 0 && mb->nr_receivers == 1)
		ipcmbox_became_writable(mb);
	/* Removal and end of file unlist us; a hand-off does too. */
	while (!list_empty(&rw->node)) {
		ret = ipcmbox_sleep_handoff(&mb->lock, x, &rw->msg, expired);
		if (ret)
			break;
	}
	if (ret > 0)
		return ret;
	if (!list_empty(&rw->node)) {
		list_del_init(&rw->node);
		WRITE_ONCE(mb->nr_receivers, mb->nr_receivers - 1);
	}
	/* Handed over while we woke for something else: it is ours. */
	return rw->msg ? 0 : ret;
}

/* Puts a received @msg back at its place (its sequence number keeps it). */
void ipcmbox_put_back(struct ipcmbox_mbox *mb, struct ipcmbox_msg *msg)
{
	mutex_lock(&mb->lock);
	if (!mb->dead) {
		WRITE_ONCE(mb->received,
			   mb->received - ipcmbox_msg_count(msg));
		if (unlikely(msg->train))
			ipcmbox_requeue(mb, msg);
		else
			ipcmbox_deliver(mb, msg);
		msg = NULL;
	}
	mutex_unlock(&mb->lock);
	if (msg)
		ipcmbox_msg_free(msg);
}

/*
 * Copies @msg out, or puts it back if that faults.  With @x->hold (the
 * ioctls, whose callers get the envelope) the message is kept in @x->held
 * for ipcmbox_receive_done(), which also hands its chunk to a receive by
 * reference (nothing is copied then); read() reports no envelope, and so
 * does not pay for one.
 */
static __always_inline ssize_t ipcmbox_copy_out(struct ipcmbox_mbox *mb,
						struct ipcmbox_xfer *x,
						struct ipcmbox_msg *msg)
{
	size_t n = min(msg->len, iov_iter_count(x->iter));

	if (x->hold)
		ipcmbox_msg_envelope(msg, x);
	if (msg->region && (x->flags & IPCMBOX_IO_REF) && x->hold) {
		x->ref_offset = (u64)msg->chunk << PAGE_SHIFT;
		x->held = msg;
		return msg->len;
	}
	if (ipcmbox_msg_copy(msg, n, x->iter) != n) {
		ipcmbox_put_back(mb, msg);
		return -EFAULT;
	}
	if (x->hold)
		x->held = msg;
	else
		ipcmbox_msg_free(msg);
	return n;
}

/**
 * ipcmbox_receive_done() - complete a receive made with @x->hold
 * @mb: the mailbox
 * @x: the receive
 * @reported: whether its result reached the caller
 *
 * A receive whose result (length, envelope) could not be written back is
 * undone: the message goes back to its place and the caller gets EFAULT,
 * so a message is never consumed without its receiver knowing.
 */
void ipcmbox_receive_done(struct ipcmbox_mbox *mb, struct ipcmbox_xfer *x,
			  bool reported)
{
	struct ipcmbox_msg *msg = x->held;

	if (!msg)
		return;
	x->held = NULL;
	if (reported) {
		ipcmbox_msg_free_to(msg, x->flags & IPCMBOX_IO_REF ?
				    x->file : NULL);
		return;
	}
	ipcmbox_put_back(mb, msg);
	atomic64_inc(&mb->recv_failed);
}

static ssize_t ipcmbox_peek(struct ipcmbox_mbox *mb, struct ipcmbox_xfer *x)
{
	size_t room = iov_iter_count(x->iter);
	struct ipcmbox_msg *msg;
	bool expired = false;
	ssize_t ret;

	mutex_lock(&mb->lock);
	for (;;) {
		msg = ipcmbox_find(mb, x->type);
		if (IS_ERR(msg)) {
			ret = PTR_ERR(msg);
			break;
		}
		if (msg) {
			size_t n = min(msg->len, room);

			ipcmbox_msg_envelope(msg, x);
			if (n < msg->len && !(x->flags & IPCMBOX_IO_TRUNC))
				ret = -EMSGSIZE;
			else if (ipcmbox_msg_copy(msg, n, x->iter) != n)
				ret = -EFAULT;
			else
				ret = n;
			break;
		}
		ret = ipcmbox_recv_error(mb, x);
		if (ret)
			break;
		WRITE_ONCE(mb->nr_peekers, mb->nr_peekers + 1);
		ret = ipcmbox_sleep(mb, x, &mb->rpoll, &expired);
		WRITE_ONCE(mb->nr_peekers, mb->nr_peekers - 1);
		if (ret)
			break;
	}
	mutex_unlock(&mb->lock);
	return ret;
}

/*
 * Counts a failed receive.  End of file, a call that will be restarted,
 * and a probe that found nothing (a batch's later receive, io_uring's
 * first try) are not failures.
 */
static void ipcmbox_recv_failed(struct ipcmbox_mbox *mb,
				const struct ipcmbox_xfer *x, ssize_t ret)
{
	if (ret < 0 && ret != -EPIPE && ret != -ERESTARTSYS &&
	    !(ret == -EAGAIN && x->probe))
		atomic64_inc(&mb->recv_failed);
}

/* The most a receive of @x takes, in bytes. */
static size_t ipcmbox_recv_room(const struct ipcmbox_xfer *x)
{
	return x->flags & IPCMBOX_IO_TRUNC ? SIZE_MAX : iov_iter_count(x->iter);
}

/**
 * ipcmbox_receive_take() - take the message a receive gets now, no waiting
 * @mb: the mailbox, locked: a batch takes many in one lock hold
 * @x: the receive (not a peek)
 * @msgp: out: the message, the caller's until ipcmbox_receive_taken()
 *
 * Return: 0; or -EMSGSIZE (@x->msg_len set, message kept), -EAGAIN,
 * -EIDRM, -EPIPE (anonymous, end of file).
 */
int ipcmbox_receive_take(struct ipcmbox_mbox *mb, struct ipcmbox_xfer *x,
			 struct ipcmbox_msg **msgp)
{
	int ret = ipcmbox_take(mb, x, ipcmbox_recv_room(x), msgp);

	if (ret == -EAGAIN)
		ret = ipcmbox_recv_error(mb, x) ?: -EAGAIN;
	ipcmbox_recv_failed(mb, x, ret);
	return ret;
}

/**
 * ipcmbox_receive_taken() - copy out a message from ipcmbox_receive_take()
 * @mb: the mailbox, not locked
 * @x: the receive; with @x->hold, complete it with ipcmbox_receive_done()
 * @msg: the message, which this consumes (or puts back on a fault)
 *
 * Return: bytes copied, with the envelope in @x; or -EFAULT (put back).
 */
ssize_t ipcmbox_receive_taken(struct ipcmbox_mbox *mb, struct ipcmbox_xfer *x,
			      struct ipcmbox_msg *msg)
{
	ssize_t ret = ipcmbox_copy_out(mb, x, msg);

	ipcmbox_recv_failed(mb, x, ret);
	return ret;
}

/**
 * ipcmbox_receive() - receive (or peek at) one message into @x->iter
 * @mb: the mailbox
 * @x: the receive: buffer, type selector, flags, deadline
 *
 * Return: bytes copied (the message length unless truncated), with the
 * envelope in @x; or -EMSGSIZE (@x->msg_len set, message kept), -EFAULT
 * (message kept), -EAGAIN, -ETIMEDOUT, -EIDRM, -EPIPE (anonymous, end of
 * file), -EINTR, -ERESTARTSYS.
 */
ssize_t ipcmbox_receive(struct ipcmbox_mbox *mb, struct ipcmbox_xfer *x)
{
	struct ipcmbox_rwait rw = {
		.task	= current,
		.type	= x->type,
		.room	= ipcmbox_recv_room(x),
		.ref	= x->flags & IPCMBOX_IO_REF,
	};
	struct ipcmbox_msg *msg = NULL;
	bool expired = false;
	ssize_t ret;

	if (x->flags & IPCMBOX_IO_PEEK) {
		ret = ipcmbox_peek(mb, x);
		goto out;
	}
	INIT_LIST_HEAD(&rw.node);
	mutex_lock(&mb->lock);
	for (;;) {
		ret = ipcmbox_take(mb, x, rw.room, &msg);
		if (ret != -EAGAIN)
			break;
		ret = ipcmbox_recv_error(mb, x);
		if (ret)
			break;
		ret = ipcmbox_recv_wait(mb, x, &rw, &expired);
		msg = rw.msg;
		if (ret > 0) {
			ret = 0;
			goto handed;
		}
		if (ret || msg)
			break;
	}
	mutex_unlock(&mb->lock);
handed:
	if (!ret)
		ret = ipcmbox_copy_out(mb, x, msg);
out:
	ipcmbox_recv_failed(mb, x, ret);
	return ret;
}
