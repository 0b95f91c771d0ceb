// SPDX-License-Identifier: GPL-2.0-only
/*
 * The message queue of a mailbox: ordering, hand-off, admission of blocked
 * senders, readiness, limit changes and removal.
 *
 * Locking: mb->lock, a mutex, protects the queue, the waiter lists and the
 * counters.  User memory is copied outside it, except by a peek, which
 * copies a message that stays queued.  Nobody sleeps holding it.  The
 * fields poll and sysfs read without it are written with WRITE_ONCE().
 *
 * Ownership: a message belongs to its sender until the mailbox accepts it
 * (ipcmbox_accept() gives it a sequence number), then to the queue, then
 * to the one receiver that takes it.  A blocked rendezvous sender's
 * message is queued at once but stays withdrawable: msg->sender points to
 * the sender until a receiver takes it.
 *
 * Hand-off: an accepted message goes straight to the first blocked
 * receiver whose type selector matches (ipcmbox_deliver()), and only when
 * there is none is it queued.  So a blocked receiver never has a matching
 * message queued, and each message wakes exactly one task.  Freed space is
 * handed to blocked senders in FIFO order (ipcmbox_admit()): the receiver
 * that frees it moves their messages in, so they never race for it.
 * Pollers and peekers are woken on readiness transitions only; removal,
 * end of file and limit changes wake everybody.
 */
#include <linux/fs.h>
#include <linux/poll.h>
#include <linux/sched.h>
#include <linux/sched/task.h>

#include "ipcmbox.h"
#include "mbox.h"
#include "region.h"
#include "train.h"

static bool ipcmbox_is_rendezvous(const struct ipcmbox_mbox *mb)
{
	return mb->capacity == 0;
}

/* Whether a message of @len bytes fits in the queue now. */
bool ipcmbox_fits(const struct ipcmbox_mbox *mb, size_t len)
{
	u32 capacity = READ_ONCE(mb->capacity);

	if (capacity == IPCMBOX_UNBOUNDED)
		return true;
	if (capacity == 0)
		return false;
	return ipcmbox_fits_after(mb, READ_ONCE(mb->depth),
				  READ_ONCE(mb->bytes), len);
}

/*
 * Whether a send would not block now: a receiver waits (rendezvous), or a
 * message of the largest allowed size fits and no blocked sender is ahead.
 */
bool ipcmbox_writable(const struct ipcmbox_mbox *mb)
{
	if (READ_ONCE(mb->capacity) == 0)
		return READ_ONCE(mb->nr_receivers) > 0;
	return ipcmbox_fits(mb, READ_ONCE(mb->max_msg)) &&
	       (READ_ONCE(mb->capacity) == IPCMBOX_UNBOUNDED ||
		!READ_ONCE(mb->nr_senders));
}

static void ipcmbox_wake_wq(wait_queue_head_t *wq)
{
	if (wq_has_sleeper(wq))
		wake_up_interruptible_all(wq);
}

/* The mailbox became readable, or a peeker may find its message. */
static void ipcmbox_readable(struct ipcmbox_mbox *mb, bool transition)
{
	if (transition || mb->nr_peekers)
		ipcmbox_wake_wq(&mb->rpoll);
	if (transition)
		kill_fasync(&mb->fasync, SIGIO, POLL_IN);
}

void ipcmbox_became_writable(struct ipcmbox_mbox *mb)
{
	ipcmbox_wake_wq(&mb->wpoll);
	kill_fasync(&mb->fasync, SIGIO, POLL_OUT);
}

/*
 * Queues @msg at its place: after every message of higher or equal
 * priority with a lower sequence number.  A new message walks back from
 * the tail only past messages of lower priority, so equal priorities cost
 * O(1); a message put back after a failed copy goes before later ones.
 */
static __always_inline void ipcmbox_link(struct ipcmbox_mbox *mb,
					 struct ipcmbox_msg *msg)
{
	struct ipcmbox_msg *pos;

	list_for_each_entry_reverse(pos, &mb->queue, node) {
		if (pos->priority > msg->priority ||
		    (pos->priority == msg->priority && pos->seq < msg->seq))
			break;
	}
	list_add(&msg->node, &pos->node);
}

/* @n messages, @bytes of payload, were linked into a queue @was_empty. */
static void ipcmbox_queued(struct ipcmbox_mbox *mb, unsigned int n, u64 bytes,
			   bool was_empty)
{
	WRITE_ONCE(mb->depth, mb->depth + n);
	WRITE_ONCE(mb->bytes, mb->bytes + bytes);
	if (mb->depth > mb->depth_high)
		WRITE_ONCE(mb->depth_high, mb->depth);
	if (mb->bytes > mb->bytes_high)
		WRITE_ONCE(mb->bytes_high, mb->bytes);
	ipcmbox_readable(mb, was_empty);
}

static void ipcmbox_enqueue(struct ipcmbox_mbox *mb, struct ipcmbox_msg *msg)
{
	bool was_empty = !mb->depth;

	lockdep_assert_held(&mb->lock);
	ipcmbox_link(mb, msg);
	ipcmbox_queued(mb, ipcmbox_msg_count(msg), msg->len, was_empty);
}

/* @n messages, @bytes of payload, were taken off the queue (list_del_init). */
void ipcmbox_unqueued(struct ipcmbox_mbox *mb, unsigned int n, u64 bytes)
{
	lockdep_assert_held(&mb->lock);
	WRITE_ONCE(mb->depth, mb->depth - n);
	WRITE_ONCE(mb->bytes, mb->bytes - bytes);
}

/* Takes one message, not a train's record, off the queue. */
void ipcmbox_unlink(struct ipcmbox_mbox *mb, struct ipcmbox_msg *msg)
{
	list_del_init(&msg->node);
	ipcmbox_unqueued(mb, 1, msg->len);
}

/* ipcmbox_find() of a queue that holds records of trains. */
struct ipcmbox_msg *ipcmbox_find_trains(struct ipcmbox_mbox *mb, s64 type)
{
	struct ipcmbox_msg *msg, *best = NULL;
	unsigned int j = 0, best_j = 0;
	s64 t, best_t = 0;

	lockdep_assert_held(&mb->lock);
	list_for_each_entry(msg, &mb->queue, node) {
		t = msg->type;
		j = 0;
		if (msg->train) {
			if (!ipcmbox_train_match(msg, type, &j, &t))
				continue;
		} else if (!ipcmbox_type_match(type, t)) {
			continue;
		}
		if (best && t >= best_t)
			continue;
		best = msg;
		best_j = j;
		best_t = t;
		if (type >= 0)
			break;
	}
	if (best && best->train)
		return ipcmbox_train_extract(mb, best, best_j);
	return best;
}

/* The length of the message a receive of any type takes next, or 0. */
size_t ipcmbox_next_len(struct ipcmbox_mbox *mb)
{
	struct ipcmbox_msg *msg;

	lockdep_assert_held(&mb->lock);
	msg = list_first_entry_or_null(&mb->queue, struct ipcmbox_msg, node);
	if (!msg)
		return 0;
	if (msg->train)
		return ipcmbox_train_at(msg->train, msg->off)->len;
	return msg->len;
}

/* Completes a blocked sender whose message @msg the mailbox now owns. */
void ipcmbox_swait_done(struct ipcmbox_mbox *mb, struct ipcmbox_swait *sw,
			struct ipcmbox_msg *msg)
{
	lockdep_assert_held(&mb->lock);
	msg->sender = NULL;
	sw->msg = NULL;
	sw->seq = msg->seq;
	sw->done = true;
	WRITE_ONCE(mb->nr_senders, mb->nr_senders - 1);
	wake_up_interruptible_sync(&sw->wq);
}

/* A receiver has @msg: its blocked rendezvous sender has succeeded. */
void ipcmbox_sender_done(struct ipcmbox_mbox *mb, struct ipcmbox_msg *msg)
{
	if (msg->sender)
		ipcmbox_swait_done(mb, msg->sender, msg);
}

/*
 * Hands @msg to the first blocked receiver whose selector matches and
 * whose buffer is large enough.  Receivers ahead of it whose buffer is too
 * small are woken to look again: they find @msg queued and fail with
 * EMSGSIZE, as a new receive of theirs would.
 *
 * The receive is complete when @msg is stored in rw->msg: the receiver
 * may then return without mb->lock (ipcmbox_sleep_handoff()), copy @msg
 * out and free it, so everything that touches @msg, or counts the
 * receive, comes before that store, and only the task (its reference
 * held) after it.
 */
static bool ipcmbox_handoff(struct ipcmbox_mbox *mb, struct ipcmbox_msg *msg)
{
	struct ipcmbox_rwait *rw, *tmp;
	struct task_struct *task;

	list_for_each_entry_safe(rw, tmp, &mb->receivers, node) {
		if (!ipcmbox_type_match(rw->type, msg->type))
			continue;
		list_del_init(&rw->node);
		WRITE_ONCE(mb->nr_receivers, mb->nr_receivers - 1);
		if (!ipcmbox_msg_fits(msg, rw->room, rw->ref)) {
			/* It needs mb->lock to look again: rw stays. */
			wake_up_process(rw->task);
			continue;
		}
		ipcmbox_sender_done(mb, msg);
		WRITE_ONCE(mb->received, mb->received + 1);
		ipcmbox_note_task(&mb->recv_tgid, &mb->recv_jiffies, rw->task);
		task = get_task_struct(rw->task);
		/* Pairs with ipcmbox_sleep_handoff()'s smp_load_acquire(). */
		smp_store_release(&rw->msg, msg);
		wake_up_process(task);
		put_task_struct(task);
		return true;
	}
	return false;
}

/**
 * ipcmbox_deliver() - hand @msg to a blocked receiver, or queue it
 * @mb: the mailbox, locked
 * @msg: an accepted message; the caller must not touch it afterwards,
 *	since a receiver may already have taken and freed it
 *
 * A rendezvous sender whose message is handed over has succeeded.
 */
void ipcmbox_deliver(struct ipcmbox_mbox *mb, struct ipcmbox_msg *msg)
{
	lockdep_assert_held(&mb->lock);
	if (!ipcmbox_handoff(mb, msg))
		ipcmbox_enqueue(mb, msg);
}

/* The mailbox takes @msg: it gets its sequence number and is delivered. */
void ipcmbox_accept(struct ipcmbox_mbox *mb, struct ipcmbox_msg *msg)
{
	lockdep_assert_held(&mb->lock);
	msg->seq = ++mb->seq;
	ipcmbox_deliver(mb, msg);
}

/**
 * ipcmbox_accept_run() - the mailbox takes messages nobody waits for
 * @mb: the mailbox, locked, with no blocked receiver
 * @msgs: @n messages that fit, in order; each gets its sequence number and
 *	is queued, as ipcmbox_accept() would do one after the other
 * @n: how many
 *
 * The queue's counters and readiness change once for all of them.
 */
void ipcmbox_accept_run(struct ipcmbox_mbox *mb, struct ipcmbox_msg **msgs,
			unsigned int n)
{
	bool was_empty = !mb->depth;
	u64 bytes = 0;
	unsigned int i;

	lockdep_assert_held(&mb->lock);
	for (i = 0; i < n; i++) {
		msgs[i]->seq = ++mb->seq;
		ipcmbox_link(mb, msgs[i]);
		bytes += msgs[i]->len;
	}
	ipcmbox_queued(mb, n, bytes, was_empty);
}

/*
 * The mailbox takes the record @rec of a train, nobody waiting for its
 * messages: they get the next sequence numbers and are queued together.
 */
void ipcmbox_accept_train(struct ipcmbox_mbox *mb, struct ipcmbox_msg *rec)
{
	lockdep_assert_held(&mb->lock);
	rec->seq = mb->seq + 1;
	mb->seq += rec->count;
	ipcmbox_enqueue(mb, rec);
}

/*
 * Puts a train's record a packed receive took back at its place.  It is
 * no message to hand over: the blocked receivers look at the queue again.
 */
void ipcmbox_requeue(struct ipcmbox_mbox *mb, struct ipcmbox_msg *rec)
{
	lockdep_assert_held(&mb->lock);
	ipcmbox_enqueue(mb, rec);
	ipcmbox_wake_receivers(mb);
}

/*
 * Accepts @msg only if a blocked receiver takes it at once: what a send
 * that must not wait for space, or a rendezvous send, tries first.
 */
bool ipcmbox_offer(struct ipcmbox_mbox *mb, struct ipcmbox_msg *msg)
{
	lockdep_assert_held(&mb->lock);
	msg->seq = mb->seq + 1;
	if (!ipcmbox_handoff(mb, msg))
		return false;
	mb->seq++;
	return true;
}

/*
 * Moves blocked senders' messages in while they fit, oldest sender first;
 * the first that does not fit keeps its place, so big messages are not
 * starved.  After a change to rendezvous, their messages are queued and
 * they wait for a receiver like any rendezvous sender.
 */
static void ipcmbox_admit(struct ipcmbox_mbox *mb)
{
	struct ipcmbox_train_rest *rest;
	struct ipcmbox_swait *sw, *tmp;
	struct ipcmbox_msg *msg;

	lockdep_assert_held(&mb->lock);
	if (mb->dead)
		return;
	list_for_each_entry_safe(sw, tmp, &mb->senders, node) {
		msg = sw->msg;
		if (ipcmbox_is_rendezvous(mb)) {
			list_del_init(&sw->node);
			msg->sender = sw;
			ipcmbox_accept(mb, msg);
			continue;
		}
		if (!ipcmbox_fits(mb, msg->len))
			break;
		list_del_init(&sw->node);
		/*
		 * As ipcmbox_accept(); the sender is done before @msg goes,
		 * but cannot run before mb->lock is released: @sw and the
		 * rest of its train are still there.
		 */
		rest = sw->rest;
		msg->seq = ++mb->seq;
		ipcmbox_swait_done(mb, sw, msg);
		ipcmbox_deliver(mb, msg);
		if (unlikely(rest))
			ipcmbox_train_admit(mb, rest);
	}
}

/*
 * A receive removed a message from the queue: blocked senders get the
 * space, and pollers learn that the mailbox became writable.
 */
void ipcmbox_space_freed(struct ipcmbox_mbox *mb, bool was_writable)
{
	lockdep_assert_held(&mb->lock);
	if (ipcmbox_is_rendezvous(mb))
		return;
	ipcmbox_admit(mb);
	if (!was_writable && ipcmbox_writable(mb))
		ipcmbox_became_writable(mb);
	else if (mb->nr_batchers)
		ipcmbox_wake_wq(&mb->wpoll);
}

/* Wakes every poller, peeker and SIGIO listener: removal, EOF, changes. */
void ipcmbox_wake_all(struct ipcmbox_mbox *mb)
{
	ipcmbox_wake_wq(&mb->rpoll);
	ipcmbox_wake_wq(&mb->wpoll);
	kill_fasync(&mb->fasync, SIGIO, mb->dead ? POLL_HUP : POLL_MSG);
}

/**
 * ipcmbox_configure() - change a live mailbox's limits
 * @mb: the mailbox
 * @c: IPCMBOX_SET_CAPACITY, _MAX_MSG, _MAX_BYTES and their values
 *
 * Queued messages stay, even beyond the new limits.  Blocked senders are
 * admitted in FIFO order if the new limits let them in; rendezvous senders
 * whose messages are queued succeed when the mailbox stops being
 * rendezvous.  Pollers are woken.
 *
 * Return: 0, -EINVAL (bad limits), -EIDRM.
 */
int ipcmbox_configure(struct ipcmbox_mbox *mb, const struct ipcmbox_config *c)
{
	struct ipcmbox_msg *msg;
	u32 capacity, max_msg;
	bool max_bytes_set;
	u64 max_bytes;
	int ret = 0;

	mutex_lock(&mb->lock);
	if (mb->dead) {
		ret = -EIDRM;
		goto out;
	}
	capacity = c->set & IPCMBOX_SET_CAPACITY ? c->capacity : mb->capacity;
	max_msg = c->set & IPCMBOX_SET_MAX_MSG ? c->max_msg : mb->max_msg;
	/* A given byte limit stays while bounded; a derived one follows. */
	max_bytes_set = (c->set & IPCMBOX_SET_MAX_BYTES) ||
			(mb->max_bytes_set && ipcmbox_cap_bounded(capacity));
	if (c->set & IPCMBOX_SET_MAX_BYTES)
		max_bytes = c->max_bytes;
	else if (max_bytes_set)
		max_bytes = max_t(u64, mb->max_bytes, max_msg);
	else
		max_bytes = ipcmbox_default_max_bytes(capacity, max_msg);
	if (!max_msg || max_msg > READ_ONCE(ipcmbox_max_msg_limit) ||
	    (ipcmbox_cap_bounded(capacity) ? max_bytes < max_msg : max_bytes)) {
		ret = -EINVAL;
		goto out;
	}

	if (ipcmbox_is_rendezvous(mb) && capacity) {
		list_for_each_entry(msg, &mb->queue, node)
			ipcmbox_sender_done(mb, msg);
	}
	WRITE_ONCE(mb->capacity, capacity);
	WRITE_ONCE(mb->max_msg, max_msg);
	WRITE_ONCE(mb->max_bytes, max_bytes);
	mb->max_bytes_set = max_bytes_set;
	mb->change_time = ipcmbox_now();
	ipcmbox_admit(mb);
	ipcmbox_wake_all(mb);
out:
	mutex_unlock(&mb->lock);
	return ret;
}

/**
 * ipcmbox_queue_poll() - readiness of @mb, without its lock
 * @mb: the mailbox
 * @mode: the polling file's FMODE_READ and FMODE_WRITE
 *
 * Readable when a receive would not block, writable when a send would not
 * block (see ipcmbox_writable()).  A removed mailbox reports EPOLLERR |
 * EPOLLHUP.  Anonymous mailboxes: the receive side reports EPOLLHUP once
 * every send fd is closed (receives then return end of file when the queue
 * is empty); the send side reports EPOLLERR once every receive fd is
 * closed.  Each side reports only its own direction.
 *
 * Return: the poll mask.
 */
__poll_t ipcmbox_queue_poll(struct ipcmbox_mbox *mb, fmode_t mode)
{
	__poll_t mask = 0;

	if (READ_ONCE(mb->dead))
		return EPOLLERR | EPOLLHUP;
	if (mode & FMODE_READ) {
		if (READ_ONCE(mb->depth))
			mask |= EPOLLIN | EPOLLRDNORM;
		if (mb->anon && !READ_ONCE(mb->writers))
			mask |= EPOLLHUP;
	}
	if (mode & FMODE_WRITE) {
		if (mb->anon && !READ_ONCE(mb->readers))
			mask |= EPOLLERR;
		else if (ipcmbox_writable(mb))
			mask |= EPOLLOUT | EPOLLWRNORM;
	}
	return mask;
}

void ipcmbox_queue_init(struct ipcmbox_mbox *mb)
{
	mutex_init(&mb->lock);
	INIT_LIST_HEAD(&mb->queue);
	INIT_LIST_HEAD(&mb->receivers);
	INIT_LIST_HEAD(&mb->senders);
	init_waitqueue_head(&mb->rpoll);
	init_waitqueue_head(&mb->wpoll);
	ipcmbox_frag_init(&mb->frag);
	atomic64_set(&mb->send_failed, 0);
	atomic64_set(&mb->recv_failed, 0);
}

/* Unlists and wakes every blocked receiver, to look at the state again. */
void ipcmbox_wake_receivers(struct ipcmbox_mbox *mb)
{
	struct ipcmbox_rwait *rw, *tmp;

	lockdep_assert_held(&mb->lock);
	list_for_each_entry_safe(rw, tmp, &mb->receivers, node) {
		list_del_init(&rw->node);
		wake_up_process(rw->task);
	}
	WRITE_ONCE(mb->nr_receivers, 0);
}

/* Wakes every blocked sender, to look at the state again. */
void ipcmbox_wake_senders(struct ipcmbox_mbox *mb)
{
	struct ipcmbox_swait *sw;
	struct ipcmbox_msg *msg;

	lockdep_assert_held(&mb->lock);
	list_for_each_entry(sw, &mb->senders, node)
		wake_up_process(sw->task);
	list_for_each_entry(msg, &mb->queue, node)
		if (msg->sender)
			wake_up_process(msg->sender->task);
}

/*
 * Marks @mb removed, frees the queued messages (their chunks return to the
 * region), and wakes every blocked sender and receiver (they fail with
 * EIDRM), every poller and every chunk allocator.  Blocked senders, those
 * waiting for space and rendezvous senders whose message is queued, still
 * own their messages: they withdraw them and get their chunks back.
 */
void ipcmbox_queue_kill(struct ipcmbox_mbox *mb)
{
	struct ipcmbox_msg *msg, *tmp;

	mutex_lock(&mb->lock);
	WRITE_ONCE(mb->dead, true);
	ipcmbox_wake_receivers(mb);
	ipcmbox_wake_senders(mb);
	list_for_each_entry_safe(msg, tmp, &mb->queue, node) {
		list_del_init(&msg->node);
		ipcmbox_unqueued(mb, ipcmbox_msg_count(msg), msg->len);
		if (msg->sender) {
			msg->sender = NULL;
			continue;
		}
		ipcmbox_msg_free(msg);
	}
	ipcmbox_region_kill(mb->region);
	ipcmbox_wake_all(mb);
	mutex_unlock(&mb->lock);
}

/* Frees what is still queued; at the last reference, nobody can sleep. */
void ipcmbox_queue_free(struct ipcmbox_mbox *mb)
{
	struct ipcmbox_msg *msg, *tmp;

	WARN_ON_ONCE(!list_empty(&mb->receivers) ||
		     !list_empty(&mb->senders));
	list_for_each_entry_safe(msg, tmp, &mb->queue, node)
		ipcmbox_msg_free(msg);
	ipcmbox_train_destroy(mb);
	ipcmbox_frag_destroy(&mb->frag);
	mutex_destroy(&mb->lock);
}
