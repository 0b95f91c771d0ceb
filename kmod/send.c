// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sending one message.
 *
 * The payload is copied from user space once, before any lock.  Then, under
 * mb->lock: a blocked receiver whose selector matches takes the message at
 * once in every mode; otherwise a bounded mailbox queues it if it fits and
 * no blocked sender is ahead, an unbounded one queues it if the sender's
 * user is under its byte limit, and a rendezvous mailbox queues it only
 * for a blocking sender, who then waits until a receiver takes it.  A
 * sender that must wait for space joins the FIFO of blocked senders and
 * is admitted by the receiver that frees the space.  A signal, a timeout,
 * removal or (anonymous mailboxes) the last receive fd closing makes a
 * sender withdraw its message, unless the mailbox has already taken it: a
 * send either succeeds whole or leaves nothing behind.
 *
 * A send by reference (IPCMBOX_IO_REF) copies nothing: its message takes
 * a chunk of the region that the sending file holds, and a failed send
 * gives the chunk back to that file.
 */
#include <linux/overflow.h>
#include <linux/sched.h>

#include "train.h"

/* Charges an unbounded mailbox's message to the sending file's uid. */
static int ipcmbox_charge(struct ipcmbox_msg *msg, const struct cred *cred)
{
	size_t size = ipcmbox_msg_size(msg);
	int ret = ipcmbox_quota_charge(cred->uid, size);

	if (!ret) {
		msg->charged = size;
		msg->charged_uid = cred->uid;
	}
	return ret;
}

/* Why a send cannot go on, or 0. */
static int ipcmbox_send_error(const struct ipcmbox_mbox *mb)
{
	if (mb->dead)
		return -EIDRM;
	if (mb->anon && !mb->readers)
		return -EPIPE;
	return 0;
}

/* Blocks until the mailbox takes @sw->msg; called and returns locked. */
static int ipcmbox_send_wait(struct ipcmbox_mbox *mb, struct ipcmbox_xfer *x,
			     struct ipcmbox_swait *sw)
{
	struct ipcmbox_msg *msg = sw->msg;
	bool expired = false;
	int ret = 0;

	WRITE_ONCE(mb->nr_senders, mb->nr_senders + 1);
	if (mb->capacity == 0) {
		msg->sender = sw;
		ipcmbox_accept(mb, msg);
	} else {
		list_add_tail(&sw->node, &mb->senders);
	}
	while (!sw->done && !ipcmbox_send_error(mb)) {
		ret = ipcmbox_sleep(mb, x, &sw->wq, &expired);
		if (ret)
			break;
	}
	if (sw->done)
		return 0;

	/* Withdraw: the message is still ours (removal unqueued it). */
	if (!list_empty(&sw->node)) {
		list_del_init(&sw->node);
	} else if (sw->msg && !list_empty(&msg->node)) {
		msg->sender = NULL;
		ipcmbox_unlink(mb, msg);
	}
	WRITE_ONCE(mb->nr_senders, mb->nr_senders - 1);
	/* A withdrawn sender may have held up the ones behind it. */
	ipcmbox_space_freed(mb, false);
	return ipcmbox_send_error(mb) ?: ret;
}

/*
 * Queues @msg (@len bytes) if the mailbox takes it without waiting: a
 * blocked receiver takes it, or it fits.  Called with mb->lock held.
 * Return: 0, -EAGAIN (it would wait), -EIDRM, -EPIPE, -EMSGSIZE, -ENOBUFS.
 */
static __always_inline int ipcmbox_send_now(struct ipcmbox_mbox *mb,
					    struct ipcmbox_xfer *x,
					    struct ipcmbox_msg *msg, size_t len)
{
	int ret;

	lockdep_assert_held(&mb->lock);
	ret = ipcmbox_send_error(mb);
	if (ret)
		return ret;
	if (len > mb->max_msg)
		return -EMSGSIZE;
	if (mb->capacity == IPCMBOX_UNBOUNDED) {
		ret = ipcmbox_charge(msg, x->cred);
		if (!ret)
			ipcmbox_accept(mb, msg);
		return ret;
	}
	if (mb->capacity && !mb->nr_senders && ipcmbox_fits(mb, len)) {
		ipcmbox_accept(mb, msg);
		return 0;
	}
	return ipcmbox_offer(mb, msg) ? 0 : -EAGAIN;
}

/* A send that failed with @ret; a call that will be repeated has not. */
static void ipcmbox_send_failed(struct ipcmbox_mbox *mb,
				const struct ipcmbox_xfer *x, int ret)
{
	if (ret != -ERESTARTSYS && !(ret == -EAGAIN && x->probe))
		atomic64_inc(&mb->send_failed);
}

/**
 * ipcmbox_send_msg() - send @msg, made by the caller, waiting if allowed
 * @mb: the mailbox
 * @x: the send: flags, deadline, file credentials; out: @x->seq
 * @msgp: the message, @len bytes; set to NULL when it is no longer the
 *	caller's (always on success)
 * @len: its length
 * @rest: for a message of a train, the rest of the train, which the
 *	receiver that admits a waiting @msg queues what it can of; or NULL
 *
 * Return: 0, or an errno of ipcmbox_send().
 */
static __always_inline int ipcmbox_send_msg(struct ipcmbox_mbox *mb,
					    struct ipcmbox_xfer *x,
					    struct ipcmbox_msg **msgp,
					    size_t len,
					    struct ipcmbox_train_rest *rest)
{
	struct ipcmbox_swait sw = { .task = current, .rest = rest };
	struct ipcmbox_msg *msg = *msgp;
	int ret;

	mutex_lock(&mb->lock);
	ret = ipcmbox_send_now(mb, x, msg, len);
	if (ret == -EAGAIN && !(x->flags & IPCMBOX_IO_NONBLOCK)) {
		INIT_LIST_HEAD(&sw.node);
		init_waitqueue_head(&sw.wq);
		sw.msg = msg;
		ret = ipcmbox_send_wait(mb, x, &sw);
		/* Taken by the mailbox (maybe freed already), or by removal. */
		if (ret && !sw.msg)
			*msgp = NULL;
	}
	if (!ret) {
		/*
		 * A receiver handed @msg may have freed it already: its
		 * number is the mailbox's last, since we hold the lock.
		 */
		x->seq = sw.done ? sw.seq : mb->seq;
		WRITE_ONCE(mb->sent, mb->sent + 1);
		ipcmbox_note(&mb->send_tgid, &mb->send_jiffies);
		*msgp = NULL;
	}
	mutex_unlock(&mb->lock);
	return ret;
}

/* The message @x sends, by copy or by reference. */
static __always_inline struct ipcmbox_msg *
__ipcmbox_send_make(struct ipcmbox_mbox *mb, struct ipcmbox_xfer *x)
{
	bool ref = x->flags & IPCMBOX_IO_REF;
	size_t len = ref ? x->msg_len : iov_iter_count(x->iter);

	if (len > READ_ONCE(mb->max_msg))
		return ERR_PTR(-EMSGSIZE);
	return ref ? ipcmbox_msg_new_ref(mb, x, len) :
		     ipcmbox_msg_new(mb, x, len);
}

/**
 * ipcmbox_send_make() - the message @x sends, by copy or by reference
 * @mb: the mailbox
 * @x: the send
 *
 * Return: the message, or ERR_PTR of -EMSGSIZE or an errno of
 * ipcmbox_msg_new() or ipcmbox_msg_new_ref().
 */
struct ipcmbox_msg *ipcmbox_send_make(struct ipcmbox_mbox *mb,
				      struct ipcmbox_xfer *x)
{
	return __ipcmbox_send_make(mb, x);
}

/**
 * ipcmbox_send_made() - send @*msgp, made by ipcmbox_send_make()
 * @mb: the mailbox
 * @x: the send: flags, deadline, file credentials; out: @x->seq
 * @msgp: the message; set to NULL once it is not the caller's any more
 * @rest: NULL, or for a message made of a train's entry, the entries
 *	after it (ipcmbox_train_admit()); @rest->done says how many of them
 *	were sent with it
 *
 * Waits for space or a receiver as ipcmbox_send() does; a message still
 * the caller's after a failure is the caller's to free.
 *
 * Return: 0, or an errno of ipcmbox_send().
 */
int ipcmbox_send_made(struct ipcmbox_mbox *mb, struct ipcmbox_xfer *x,
		      struct ipcmbox_msg **msgp, struct ipcmbox_train_rest *rest)
{
	int ret = ipcmbox_send_msg(mb, x, msgp, (*msgp)->len, rest);

	if (ret)
		ipcmbox_send_failed(mb, x, ret);
	return ret;
}

/*
 * How many of @msgs, from the first, the queue takes now as
 * ipcmbox_send_now() would, with no blocked receiver to hand one to: those
 * that fit, or, when unbounded, whose sender's user can be charged for
 * them (which this does).
 */
static unsigned int ipcmbox_send_fit(struct ipcmbox_mbox *mb,
				     struct ipcmbox_xfer *x,
				     struct ipcmbox_msg **msgs, unsigned int n)
{
	u64 bytes = mb->bytes;
	u32 depth = mb->depth;
	unsigned int i;
	size_t len;

	lockdep_assert_held(&mb->lock);
	if (!list_empty(&mb->receivers) || ipcmbox_send_error(mb))
		return 0;
	if (mb->capacity == IPCMBOX_UNBOUNDED) {
		for (i = 0; i < n; i++)
			if (msgs[i]->len > mb->max_msg ||
			    ipcmbox_charge(msgs[i], x->cred))
				break;
		return i;
	}
	if (!mb->capacity || mb->nr_senders)
		return 0;
	for (i = 0; i < n; i++, depth++) {
		len = msgs[i]->len;
		if (len > mb->max_msg || !ipcmbox_fits_after(mb, depth, bytes, len))
			break;
		bytes += len;
	}
	return i;
}

/**
 * ipcmbox_send_run() - send made messages under one lock hold
 * @mb: the mailbox
 * @x: the batch: file credentials
 * @msgs: @n messages from ipcmbox_send_make(), in order; each sent one
 *	is the mailbox's and set to NULL
 * @n: how many, at least 1
 * @seq: out: the first one's sequence number; the others follow it
 *
 * Sends from the first as long as each goes in without waiting (a blocked
 * receiver takes it, or it fits): what ipcmbox_send() does for each, with
 * one lock round for all, and one change of the queue's counters and
 * readiness for the messages queued together.  The first that would wait,
 * or fail, is left to ipcmbox_send_made(), which waits or says why.
 *
 * Return: how many were sent.
 */
unsigned int ipcmbox_send_run(struct ipcmbox_mbox *mb, struct ipcmbox_xfer *x,
			      struct ipcmbox_msg **msgs, unsigned int n,
			      u64 *seq)
{
	unsigned int i = 0, k;

	mutex_lock(&mb->lock);
	*seq = mb->seq + 1;
	while (i < n) {
		/* Those nobody waits for go in together; a hand-off alone. */
		k = ipcmbox_send_fit(mb, x, &msgs[i], n - i);
		if (k) {
			ipcmbox_accept_run(mb, &msgs[i], k);
			memset(&msgs[i], 0, k * sizeof(*msgs));
			i += k;
			continue;
		}
		if (ipcmbox_send_now(mb, x, msgs[i], msgs[i]->len))
			break;
		msgs[i++] = NULL;
	}
	if (i) {
		WRITE_ONCE(mb->sent, mb->sent + i);
		ipcmbox_note(&mb->send_tgid, &mb->send_jiffies);
	}
	mutex_unlock(&mb->lock);
	return i;
}

/**
 * ipcmbox_send() - send one message made of all of @x->iter
 * @mb: the mailbox
 * @x: the send: payload, type, priority, flags, deadline, file credentials
 *
 * Return: the message length, with @x->seq set; or -EMSGSIZE, -ENOMEM,
 * -EFAULT, -EAGAIN, -ENOBUFS (per-user limit), -ETIMEDOUT, -EPIPE
 * (anonymous, no receive fd left), -EIDRM, -EINTR, -ERESTARTSYS, and by
 * reference -ENODEV, -EINVAL, -ENOENT (bad reference).  Nothing is queued
 * on failure, and a chunk sent by reference is still the sender's.
 */
ssize_t ipcmbox_send(struct ipcmbox_mbox *mb, struct ipcmbox_xfer *x)
{
	struct ipcmbox_msg *msg;
	size_t len;
	int ret;

	msg = __ipcmbox_send_make(mb, x);
	if (IS_ERR(msg)) {
		ret = PTR_ERR(msg);
		ipcmbox_send_failed(mb, x, ret);
		return ret;
	}
	len = msg->len;
	ret = ipcmbox_send_msg(mb, x, &msg, len, NULL);
	if (!ret)
		return len;
	if (msg)
		ipcmbox_msg_free_to(msg, x->file);
	ipcmbox_send_failed(mb, x, ret);
	return ret;
}

/*
 * Whether all of @msgs (@total bytes) go in now, charging them to @cred's
 * uid when unbounded.  Return: 0, -EAGAIN (not yet), -EMSGSIZE (never:
 * one is too long, or the batch exceeds the limits), -EINVAL (rendezvous),
 * -ENOBUFS (per-user limit).
 */
static int ipcmbox_room_for_all(struct ipcmbox_mbox *mb,
				struct ipcmbox_msg **msgs, unsigned int n,
				size_t total, const struct cred *cred)
{
	unsigned int i;
	int ret = 0;

	lockdep_assert_held(&mb->lock);
	for (i = 0; i < n; i++)
		if (msgs[i]->len > mb->max_msg)
			return -EMSGSIZE;
	if (mb->capacity == 0)
		return -EINVAL;
	if (mb->capacity != IPCMBOX_UNBOUNDED) {
		if (n > mb->capacity || total > mb->max_bytes)
			return -EMSGSIZE;
		if (mb->nr_senders || mb->depth + n > mb->capacity ||
		    mb->bytes + total > mb->max_bytes)
			return -EAGAIN;
		return 0;
	}
	for (i = 0; i < n && !ret; i++)
		ret = ipcmbox_charge(msgs[i], cred);
	if (ret) {
		while (--i > 0) {
			ipcmbox_quota_uncharge(cred->uid, msgs[i - 1]->charged);
			msgs[i - 1]->charged = 0;
		}
	}
	return ret;
}

/**
 * ipcmbox_send_all() - send @n messages, all or none, one after the other
 * @mb: the mailbox
 * @msgs: the messages, made by the caller; on success the mailbox's
 * @n: how many, at least 1
 * @x: the batch: flags (NONBLOCK), deadline, file credentials
 * @seq: out: the first message's sequence number; the others follow it
 *
 * The messages get consecutive sequence numbers: nothing comes between
 * them.  A bounded mailbox takes them when it has room for all of them
 * and no blocked sender is ahead; until then the caller waits, and single
 * sends may pass it.  An unbounded one charges all or none.
 *
 * Return: 0; or -EAGAIN, -ETIMEDOUT, -EINTR, -ERESTARTSYS, -EIDRM, -EPIPE,
 * -ENOBUFS, -EMSGSIZE (never fits), -EINVAL (rendezvous), with the
 * messages still the caller's.
 */
int ipcmbox_send_all(struct ipcmbox_mbox *mb, struct ipcmbox_msg **msgs,
		     unsigned int n, struct ipcmbox_xfer *x, u64 *seq)
{
	bool expired = false;
	size_t total = 0;
	unsigned int i;
	int ret;

	for (i = 0; i < n; i++)
		total += msgs[i]->len;
	mutex_lock(&mb->lock);
	for (;;) {
		ret = ipcmbox_send_error(mb);
		if (ret)
			break;
		ret = ipcmbox_room_for_all(mb, msgs, n, total, x->cred);
		if (ret != -EAGAIN || (x->flags & IPCMBOX_IO_NONBLOCK))
			break;
		WRITE_ONCE(mb->nr_batchers, mb->nr_batchers + 1);
		ret = ipcmbox_sleep(mb, x, &mb->wpoll, &expired);
		WRITE_ONCE(mb->nr_batchers, mb->nr_batchers - 1);
		if (ret)
			break;
	}
	if (!ret) {
		*seq = mb->seq + 1;
		for (i = 0; i < n; i++)
			ipcmbox_accept(mb, msgs[i]);
		WRITE_ONCE(mb->sent, mb->sent + n);
		ipcmbox_note(&mb->send_tgid, &mb->send_jiffies);
	}
	mutex_unlock(&mb->lock);
	if (ret && ret != -ERESTARTSYS && !(ret == -EAGAIN && x->probe))
		atomic64_inc(&mb->send_failed);
	return ret;
}

/*
 * How many of @t's messages from @off on, at most @n, of @off's priority,
 * a bounded queue holding @depth messages of @bytes bytes takes now;
 * @lenp: out, their payloads' sum; @endp: out, where the next starts.
 */
static unsigned int ipcmbox_train_fit(struct ipcmbox_mbox *mb,
				      const struct ipcmbox_train *t, u32 off,
				      unsigned int n, u32 depth, u64 bytes,
				      u64 *lenp, u32 *endp)
{
	u16 priority = ipcmbox_train_at(t, off)->priority;
	const struct ipcmbox_packed_send *h;
	unsigned int i;
	u64 len = 0;

	for (i = 0; i < n; i++) {
		h = ipcmbox_train_at(t, off);
		if (h->priority != priority || h->len > mb->max_msg ||
		    !ipcmbox_fits_after(mb, depth + i, bytes + len, h->len))
			break;
		len += h->len;
		off = ipcmbox_train_next(off, h->len);
	}
	*lenp = len;
	*endp = off;
	return i;
}

/*
 * Whether all of @t goes in at once, as ipcmbox_train_fit() would find
 * message by message: one priority, each within the size limit, and room
 * for all.
 */
static bool ipcmbox_train_fits(const struct ipcmbox_mbox *mb,
			       const struct ipcmbox_train *t)
{
	return t->one_priority && t->max_len <= mb->max_msg &&
	       (u64)mb->depth + t->count <= mb->capacity &&
	       mb->bytes + t->total <= mb->max_bytes;
}

/*
 * Whether the queue takes a train's messages as records now, as
 * ipcmbox_send_run() takes messages together: no receiver is blocked,
 * the mailbox is bounded and live, and no blocked sender is ahead.
 */
static bool ipcmbox_train_may_queue(const struct ipcmbox_mbox *mb)
{
	return list_empty(&mb->receivers) && !ipcmbox_send_error(mb) &&
	       mb->capacity && mb->capacity != IPCMBOX_UNBOUNDED &&
	       !mb->nr_senders;
}

/*
 * Queues messages of @t from *@offp, at most @n, as records of one
 * priority each, while each fits; moves *@offp past them.  Called with
 * mb->lock held, when ipcmbox_train_may_queue().  Return: how many.
 */
static unsigned int ipcmbox_train_queue(struct ipcmbox_mbox *mb,
					struct ipcmbox_train *t, u32 *offp,
					unsigned int n)
{
	struct ipcmbox_msg *rec;
	unsigned int i = 0, k;
	u32 off = *offp, end;
	u64 len;

	lockdep_assert_held(&mb->lock);
	while (i < n) {
		if (!off && n == t->count && ipcmbox_train_fits(mb, t)) {
			k = n;
			len = t->total;
			end = t->len;
		} else {
			k = ipcmbox_train_fit(mb, t, off, n - i, mb->depth,
					      mb->bytes, &len, &end);
		}
		if (!k)
			break;
		rec = ipcmbox_train_record(mb, t, off, k, len);
		if (!rec)
			break;
		ipcmbox_accept_train(mb, rec);
		i += k;
		off = end;
	}
	if (i) {
		WRITE_ONCE(mb->sent, mb->sent + i);
		ipcmbox_note(&mb->send_tgid, &mb->send_jiffies);
	}
	*offp = off;
	return i;
}

/**
 * ipcmbox_train_send() - queue messages of a train under one lock hold
 * @mb: the mailbox
 * @t: the train
 * @offp: the first message's entry; out: the next one's
 * @n: how many there are from it, at least 1
 *
 * Queues from the first, as records of one priority each, as long as
 * ipcmbox_send_run() would queue them together: no receiver is blocked,
 * the mailbox is bounded, no blocked sender is ahead, and each fits.  The
 * first that would wait, be handed over or fail is left to the caller,
 * who sends it alone (ipcmbox_train_msg(), ipcmbox_send_made()).
 *
 * Return: how many were sent.
 */
unsigned int ipcmbox_train_send(struct ipcmbox_mbox *mb,
				struct ipcmbox_train *t, u32 *offp,
				unsigned int n)
{
	unsigned int i = 0;

	mutex_lock(&mb->lock);
	if (ipcmbox_train_may_queue(mb))
		i = ipcmbox_train_queue(mb, t, offp, n);
	mutex_unlock(&mb->lock);
	return i;
}

/**
 * ipcmbox_train_send_whole() - queue all of a train now, or none of it
 * @mb: the mailbox
 * @t: the train, none of it sent
 *
 * As ipcmbox_train_send() when the mailbox takes every message of @t at
 * once: one priority, each within the size limit, room for all.
 *
 * Return: @t->count, or 0 when nothing was sent.
 */
unsigned int ipcmbox_train_send_whole(struct ipcmbox_mbox *mb,
				      struct ipcmbox_train *t)
{
	unsigned int i = 0;
	u32 off = 0;

	mutex_lock(&mb->lock);
	if (ipcmbox_train_may_queue(mb) && ipcmbox_train_fits(mb, t))
		i = ipcmbox_train_queue(mb, t, &off, t->count);
	mutex_unlock(&mb->lock);
	return i;
}

/**
 * ipcmbox_train_admit() - queue the rest of a train after its message
 * @mb: the mailbox, locked
 * @rest: what follows a message of a train that waited for space and
 *	has just been admitted (ipcmbox_admit())
 *
 * The receiver that admits the message queues after it what of the rest
 * goes in now, as the sender would once awake (ipcmbox_train_send()), so
 * that a stream of packed sends to a full mailbox moves as trains, not a
 * message at a time.  The sender, which holds the train and cannot run
 * before mb->lock is released, learns how many in @rest->done.
 */
void ipcmbox_train_admit(struct ipcmbox_mbox *mb,
			 struct ipcmbox_train_rest *rest)
{
	lockdep_assert_held(&mb->lock);
	if (rest->n && ipcmbox_train_may_queue(mb))
		rest->done = ipcmbox_train_queue(mb, rest->train, &rest->off,
						 rest->n);
}
