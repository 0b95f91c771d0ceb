// SPDX-License-Identifier: GPL-2.0-only
/*
 * The message queue of a mailbox: send, receive, poll and removal.
 *
 * Locking: mb->lock, a mutex, protects the queue and its counters.  Copies
 * from user space happen before it is taken; copies to user space happen
 * under it, so a receive that faults or finds its buffer too small leaves
 * the message at the head of the queue.  Nobody sleeps holding it.  The
 * counters that sleepers and poll test without the lock are written with
 * WRITE_ONCE() and read with READ_ONCE().
 *
 * Waking: a queued message wakes one receiver (exclusive wait); a receiver
 * that returns without a message while messages remain passes the wake-up
 * on.  Freed space wakes every sender waiting for space, since with a byte
 * limit a freed slot may fit one message and not another.  Removal wakes
 * everybody.  Wake-ups are skipped when nobody waits (wq_has_sleeper()).
 *
 * Rendezvous (capacity 0): a blocking sender queues its message at once, so
 * receivers and poll see that a sender waits, and sleeps until a receiver
 * has taken it.  Interrupted before that, it unlinks the message and fails;
 * after that, the send has succeeded, whatever signal is pending.  A
 * non-blocking sender may queue only while more receivers wait than
 * messages are queued, and a waiting receiver never gives up while
 * messages are queued, so such a message always reaches a receiver that
 * was already waiting.
 */
#include <linux/overflow.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uio.h>

#include "mbox.h"

static bool ipcmbox_is_rendezvous(const struct ipcmbox_mbox *mb)
{
	return READ_ONCE(mb->capacity) == 0;
}

/* Whether a message of @len bytes fits now; any mode but rendezvous. */
static bool ipcmbox_fits(const struct ipcmbox_mbox *mb, size_t len)
{
	u32 capacity = READ_ONCE(mb->capacity);

	if (capacity == IPCMBOX_UNBOUNDED)
		return true;
	return READ_ONCE(mb->depth) < capacity &&
	       READ_ONCE(mb->bytes) + len <= READ_ONCE(mb->max_bytes);
}

static void ipcmbox_wake(wait_queue_head_t *wq, bool all)
{
	if (!wq_has_sleeper(wq))
		return;
	if (all)
		wake_up_all(wq);
	else
		wake_up(wq);
}

/* Frees a message nobody references any more, returning its charge. */
static void ipcmbox_msg_free(struct ipcmbox_msg *msg)
{
	if (msg->charged)
		ipcmbox_quota_uncharge(msg->charged_uid, msg->charged);
	kfree(msg);
}

static void ipcmbox_enqueue(struct ipcmbox_mbox *mb, struct ipcmbox_msg *msg)
{
	lockdep_assert_held(&mb->lock);
	list_add_tail(&msg->node, &mb->queue);
	WRITE_ONCE(mb->depth, mb->depth + 1);
	WRITE_ONCE(mb->bytes, mb->bytes + msg->len);
	ipcmbox_wake(&mb->recv_wq, false);
}

static void ipcmbox_unlink(struct ipcmbox_mbox *mb, struct ipcmbox_msg *msg)
{
	lockdep_assert_held(&mb->lock);
	list_del_init(&msg->node);
	WRITE_ONCE(mb->depth, mb->depth - 1);
	WRITE_ONCE(mb->bytes, mb->bytes - msg->len);
}

/* Sleeps until a message of @len bytes fits; called and returns locked. */
static int ipcmbox_wait_space(struct ipcmbox_mbox *mb, size_t len,
			      bool nonblock)
{
	int ret;

	lockdep_assert_held(&mb->lock);
	while (!mb->dead && !ipcmbox_fits(mb, len)) {
		if (nonblock)
			return -EAGAIN;
		mb->send_waiting++;
		mutex_unlock(&mb->lock);
		ret = wait_event_interruptible(mb->send_wq,
					       READ_ONCE(mb->dead) ||
					       ipcmbox_fits(mb, len));
		mutex_lock(&mb->lock);
		mb->send_waiting--;
		/* Space that appeared meanwhile is used: nothing is lost. */
		if (ret && !mb->dead && !ipcmbox_fits(mb, len))
			return ret;
	}
	return mb->dead ? -EIDRM : 0;
}

/* Charges an unbounded mailbox's message to the sender's uid. */
static int ipcmbox_charge(struct ipcmbox_msg *msg, const struct cred *cred)
{
	size_t size = struct_size(msg, data, msg->len);
	int ret = ipcmbox_quota_charge(cred->uid, size);

	if (!ret) {
		msg->charged = size;
		msg->charged_uid = cred->uid;
	}
	return ret;
}

/* Rendezvous send; called and returns locked; 0 when a receiver has it. */
static int ipcmbox_send_rendezvous(struct ipcmbox_mbox *mb,
				   struct ipcmbox_msg *msg, bool nonblock)
{
	int ret;

	lockdep_assert_held(&mb->lock);
	if (nonblock) {
		if (mb->recv_waiting <= mb->depth)
			return -EAGAIN;
		ipcmbox_enqueue(mb, msg);
		return 0;
	}

	msg->sender_owns = true;
	ipcmbox_enqueue(mb, msg);
	mb->send_waiting++;
	mutex_unlock(&mb->lock);
	ret = wait_event_interruptible(mb->send_wq,
				       READ_ONCE(msg->taken) ||
				       READ_ONCE(mb->dead));
	mutex_lock(&mb->lock);
	mb->send_waiting--;
	if (msg->taken)
		return 0;
	/* Removal may have unlinked it already. */
	if (!list_empty(&msg->node))
		ipcmbox_unlink(mb, msg);
	return mb->dead ? -EIDRM : ret;
}

/**
 * ipcmbox_send() - send one message made of all of @from
 * @mb: the mailbox
 * @from: the message
 * @nonblock: fail with -EAGAIN instead of sleeping
 * @cred: credentials of the sending file; unbounded mailboxes charge its uid
 *
 * Return: the message length, or -EMSGSIZE, -ENOMEM, -EFAULT, -EAGAIN,
 * -ENOBUFS (per-user limit), -EIDRM, -ERESTARTSYS; nothing is queued on
 * failure.
 */
ssize_t ipcmbox_send(struct ipcmbox_mbox *mb, struct iov_iter *from,
		     bool nonblock, const struct cred *cred)
{
	size_t len = iov_iter_count(from);
	struct ipcmbox_msg *msg;
	int ret;

	if (len > READ_ONCE(mb->max_msg))
		return -EMSGSIZE;
	msg = kmalloc(struct_size(msg, data, len),
		      GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!msg)
		return -ENOMEM;
	*msg = (struct ipcmbox_msg) { .len = len };
	INIT_LIST_HEAD(&msg->node);
	if (!copy_from_iter_full(msg->data, len, from)) {
		kfree(msg);
		return -EFAULT;
	}

	mutex_lock(&mb->lock);
	if (mb->dead)
		ret = -EIDRM;
	else if (len > mb->max_msg)
		ret = -EMSGSIZE;
	else if (ipcmbox_is_rendezvous(mb))
		ret = ipcmbox_send_rendezvous(mb, msg, nonblock);
	else if (mb->capacity == IPCMBOX_UNBOUNDED)
		ret = ipcmbox_charge(msg, cred);
	else
		ret = ipcmbox_wait_space(mb, len, nonblock);
	if (!ret && !msg->sender_owns && list_empty(&msg->node))
		ipcmbox_enqueue(mb, msg);
	mutex_unlock(&mb->lock);

	/* A rendezvous sender owns its message, taken or not. */
	if (ret || msg->sender_owns)
		ipcmbox_msg_free(msg);
	return ret ? ret : len;
}

/* Takes the head message into @to; called locked with a non-empty queue. */
static ssize_t ipcmbox_take(struct ipcmbox_mbox *mb, struct iov_iter *to)
{
	struct ipcmbox_msg *msg;
	size_t len;

	lockdep_assert_held(&mb->lock);
	msg = list_first_entry(&mb->queue, struct ipcmbox_msg, node);
	len = msg->len;
	if (len > iov_iter_count(to))
		return -EMSGSIZE;
	if (copy_to_iter(msg->data, len, to) != len)
		return -EFAULT;

	ipcmbox_unlink(mb, msg);
	if (msg->sender_owns) {
		WRITE_ONCE(msg->taken, true);
		/* The sender may free @msg as soon as it sees @taken. */
		ipcmbox_wake(&mb->send_wq, true);
	} else {
		ipcmbox_msg_free(msg);
		if (!ipcmbox_is_rendezvous(mb))
			ipcmbox_wake(&mb->send_wq, true);
	}
	return len;
}

/**
 * ipcmbox_receive() - receive the oldest message into @to
 * @mb: the mailbox
 * @to: the buffer; too small for the message: -EMSGSIZE, message kept
 * @nonblock: fail with -EAGAIN instead of sleeping
 *
 * Return: the message length, or -EMSGSIZE, -EFAULT, -EAGAIN, -EIDRM,
 * -ERESTARTSYS; on failure the queue is unchanged.
 */
ssize_t ipcmbox_receive(struct ipcmbox_mbox *mb, struct iov_iter *to,
			bool nonblock)
{
	ssize_t ret;
	int err;

	mutex_lock(&mb->lock);
	for (;;) {
		if (mb->dead) {
			ret = -EIDRM;
			break;
		}
		if (mb->depth) {
			ret = ipcmbox_take(mb, to);
			break;
		}
		if (nonblock) {
			ret = -EAGAIN;
			break;
		}
		mb->recv_waiting++;
		/* A waiting receiver makes a rendezvous mailbox writable. */
		if (ipcmbox_is_rendezvous(mb))
			ipcmbox_wake(&mb->send_wq, true);
		mutex_unlock(&mb->lock);
		err = wait_event_interruptible_exclusive(mb->recv_wq,
							 READ_ONCE(mb->depth) ||
							 READ_ONCE(mb->dead));
		mutex_lock(&mb->lock);
		mb->recv_waiting--;
		if (err && !mb->depth && !mb->dead) {
			ret = err;
			break;
		}
	}
	/* Leaving without a message: pass a wake-up meant for us on. */
	if (ret < 0 && mb->depth && !mb->dead)
		ipcmbox_wake(&mb->recv_wq, false);
	mutex_unlock(&mb->lock);
	return ret;
}

/**
 * ipcmbox_queue_poll() - readiness of @mb, without its lock
 * @mb: the mailbox
 *
 * Readable when a receive would not block.  Writable when a send would not
 * block: rendezvous, when more receivers wait than messages are queued;
 * bounded, when a message of the largest allowed size fits; unbounded,
 * always.  A removed mailbox reports EPOLLERR | EPOLLHUP.
 *
 * Return: the poll mask.
 */
__poll_t ipcmbox_queue_poll(struct ipcmbox_mbox *mb)
{
	__poll_t mask = 0;

	if (READ_ONCE(mb->dead))
		return EPOLLERR | EPOLLHUP;
	if (READ_ONCE(mb->depth))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (ipcmbox_is_rendezvous(mb)) {
		if (READ_ONCE(mb->recv_waiting) > READ_ONCE(mb->depth))
			mask |= EPOLLOUT | EPOLLWRNORM;
	} else if (ipcmbox_fits(mb, READ_ONCE(mb->max_msg))) {
		mask |= EPOLLOUT | EPOLLWRNORM;
	}
	return mask;
}

void ipcmbox_queue_init(struct ipcmbox_mbox *mb)
{
	mutex_init(&mb->lock);
	INIT_LIST_HEAD(&mb->queue);
	init_waitqueue_head(&mb->recv_wq);
	init_waitqueue_head(&mb->send_wq);
}

/*
 * Marks @mb removed, drops the messages nobody waits on, and wakes every
 * sleeper and poller.  Blocked rendezvous senders free their own.
 */
void ipcmbox_queue_kill(struct ipcmbox_mbox *mb)
{
	struct ipcmbox_msg *msg, *tmp;

	mutex_lock(&mb->lock);
	WRITE_ONCE(mb->dead, true);
	list_for_each_entry_safe(msg, tmp, &mb->queue, node) {
		ipcmbox_unlink(mb, msg);
		if (!msg->sender_owns)
			ipcmbox_msg_free(msg);
	}
	mutex_unlock(&mb->lock);
	wake_up_all(&mb->recv_wq);
	wake_up_all(&mb->send_wq);
}

/* Frees what is still queued; at the last reference, nobody can sleep. */
void ipcmbox_queue_free(struct ipcmbox_mbox *mb)
{
	struct ipcmbox_msg *msg, *tmp;

	list_for_each_entry_safe(msg, tmp, &mb->queue, node)
		ipcmbox_msg_free(msg);
	mutex_destroy(&mb->lock);
}
