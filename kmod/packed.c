// SPDX-License-Identifier: GPL-2.0-only
/*
 * Packed batches (IPCMBOX_BATCH_PACKED): the messages of a batched call
 * lie one after the other in one buffer, each a small header, its payload
 * and padding to IPCMBOX_PACKED_ALIGN, instead of each having a struct
 * ipcmbox_io of 128 bytes and a buffer of its own.  A caller writes or
 * reads its messages in place, and the kernel reads or writes each header
 * once, with no entry array to copy in and out.
 *
 * The batch is run as batch.c runs any other: the same lock holds, the
 * same blocking rules and the same return convention.  A send reads each
 * header once, while it makes that message; a header that is not valid
 * (reserved flags, priority, type, or a message running past the buffer)
 * fails the whole call with EINVAL and sends nothing.  A receive takes
 * messages of any type, as many as fit in the buffer, up to the count:
 * the buffer filling up ends it without an error, and only a first
 * message too long for the whole buffer fails it (EMSGSIZE, its length
 * in the first header's @len).
 */
#include <linux/fs.h>
#include <linux/uaccess.h>
#include <linux/uio.h>

#include "batch.h"
#include "train.h"
#include "ucopy.h"

#define IPCMBOX_PSEND_HDR	sizeof(struct ipcmbox_packed_send)
#define IPCMBOX_PRECV_HDR	sizeof(struct ipcmbox_packed_recv)

/* A packed send header as the two words it is read by. */
union ipcmbox_packed_send_words {
	struct ipcmbox_packed_send h;
	u64 w[sizeof(struct ipcmbox_packed_send) / 8];
};

/* Reads the send header at @p, once, two words.  Return: 0, -EFAULT. */
static int ipcmbox_packed_get(const u8 __user *p,
			      struct ipcmbox_packed_send *h)
{
	const u64 __user *u = (const u64 __user *)p;
	union ipcmbox_packed_send_words k;

	if (!user_read_access_begin(u, sizeof(k)))
		return -EFAULT;
	unsafe_get_user(k.w[0], u, efault);
	unsafe_get_user(k.w[1], u + 1, efault);
	user_read_access_end();
	*h = k.h;
	return 0;
efault:
	user_read_access_end();
	return -EFAULT;
}

/*
 * Makes the messages of a packed send, in order, until one fails.
 * Return: how many were made, with the failure in @r->stop; after an
 * invalid header none (EINVAL), the ones made freed again.
 */
unsigned int ipcmbox_packed_make(struct ipcmbox_batch_run *r)
{
	struct ipcmbox_xfer x = r->wait;
	struct ipcmbox_packed_send h;
	u64 off = 0;
	unsigned int i;
	int ret = 0;

	for (i = 0; i < r->n; i++) {
		struct ipcmbox_msg *msg;

		if (r->len - off < IPCMBOX_PSEND_HDR) {
			ret = -EINVAL;
			break;
		}
		ret = ipcmbox_packed_get(r->uptr + off, &h);
		if (ret)
			break;
		off += IPCMBOX_PSEND_HDR;
		if (h.flags || h.priority > IPCMBOX_PRIO_MAX || h.type < 0 ||
		    h.len > r->len - off) {
			ret = -EINVAL;
			break;
		}
		if (h.len > READ_ONCE(r->mb->max_msg)) {
			ret = -EMSGSIZE;
			break;
		}
		x.type = h.type;
		x.priority = h.priority;
		msg = ipcmbox_msg_from_user(r->mb, &x, r->uptr + off, h.len);
		if (IS_ERR(msg)) {
			ret = PTR_ERR(msg);
			break;
		}
		r->msgs[i] = msg;
		off = min(r->len, off - IPCMBOX_PSEND_HDR +
			  IPCMBOX_PACKED_SIZE(IPCMBOX_PSEND_HDR, h.len));
	}
	r->stop = ret;
	if (ret != -EINVAL) {
		ipcmbox_msg_stamp_run(r->msgs, i);
		return i;
	}
	while (i--)
		ipcmbox_msg_free_to(r->msgs[i], r->file);
	return 0;
}

/* Whether the packed send @r goes as a train (train.c). */
bool ipcmbox_packed_train(const struct ipcmbox_batch_run *r)
{
	u32 capacity = READ_ONCE(r->mb->capacity);

	return r->n > 1 && r->len <= IPCMBOX_TRAIN_MAX && capacity &&
	       capacity != IPCMBOX_UNBOUNDED;
}

/**
 * ipcmbox_packed_send() - a packed send batch as a train
 * @r: the batch, ipcmbox_packed_train()
 *
 * The messages are read into a train (checked as ipcmbox_packed_make()
 * checks them), queued in runs as records while they go in without
 * waiting, and otherwise made messages of their own and sent one by one,
 * waiting as the batch allows, as ipcmbox_batch_send() does.
 *
 * Return: the number of messages sent, or a negative errno.
 */
long ipcmbox_packed_send(struct ipcmbox_batch_run *r)
{
	struct ipcmbox_xfer x = r->wait;
	struct ipcmbox_train_rest rest;
	struct ipcmbox_train *t;
	struct ipcmbox_msg *msg;
	unsigned int i = 0, made;
	long ret = 0;
	u32 off = 0;
	int stop;

	t = ipcmbox_train_new(r->mb, r->uptr, r->len, r->n, &stop);
	made = t ? t->count : 0;
	while (i < made) {
		i += ipcmbox_train_send(r->mb, t, &off, made - i);
		if (i == made)
			break;
		/*
		 * It would wait, or a receiver waits for it: it goes alone,
		 * and if it waits, the receiver that lets it in queues what
		 * of the rest fits after it.
		 */
		msg = ipcmbox_train_msg(r->mb, t, off);
		if (!msg) {
			ret = -ENOMEM;
			atomic64_inc(&r->mb->send_failed);
			break;
		}
		rest = (struct ipcmbox_train_rest){
			.train	= t,
			.off	= ipcmbox_train_next(off, msg->len),
			.n	= made - i - 1,
		};
		ret = ipcmbox_send_made(r->mb, &x, &msg, &rest);
		if (msg)
			ipcmbox_msg_free(msg);
		if (ret)
			break;
		i += 1 + rest.done;
		off = rest.off;
	}
	/* A message that could not be made failed the entry reaching it. */
	if (i == made && stop) {
		ret = stop;
		atomic64_inc(&r->mb->send_failed);
	}
	if (t)
		ipcmbox_train_put(t);
	r->stop = ret;
	return i ? i : ret;
}

/**
 * ipcmbox_packed_try() - a blocking packed send, all of it now or none
 * @r: the batch, ipcmbox_packed_train(), tried without sleeping (io_uring's
 *	first issue of a command)
 *
 * A train the mailbox takes whole at once, under one lock hold, is sent;
 * otherwise nothing is, and io_uring issues the batch again from a worker,
 * where it is sent as the ioctl sends it.
 *
 * Return: the number of messages sent (all of them), or -EAGAIN.
 */
long ipcmbox_packed_try(struct ipcmbox_batch_run *r)
{
	struct ipcmbox_train *t;
	unsigned int sent = 0;
	int stop;

	t = ipcmbox_train_new(r->mb, r->uptr, r->len, r->n, &stop);
	if (!t)
		return -EAGAIN;
	if (t->count == r->n)
		sent = ipcmbox_train_send_whole(r->mb, t);
	ipcmbox_train_put(t);
	return sent ?: -EAGAIN;
}

/*
 * What a packed receive works out once for its messages: the offset of
 * the real-time clock, and the sender ids last written with the message
 * they are of.  A packed receive's messages mostly come from one sender,
 * whose ids are then translated into the receiver's namespaces once.  @of
 * is a message the batch still holds, so the pids it is compared by are
 * still referenced.
 */
struct ipcmbox_packed_ids {
	ktime_t real_offset;
	const struct ipcmbox_msg *of;
	struct ipcmbox_ids ids;
};

/*
 * A message's receive header, as ipcmbox_packed_hdr() writes it: what
 * every message of one record or one sender shares, and its own fields.
 */
struct ipcmbox_packed_fields {
	u32 len;
	u16 priority;
	u16 flags;
	s64 type;
	u64 seq;
	s64 mono;
	s64 real;
};

/*
 * Writes a receive header at @u, inside the caller's user-access section.
 * Return: whether it was written.
 */
static __always_inline bool
ipcmbox_packed_hdr(struct ipcmbox_packed_recv __user *u,
		   const struct ipcmbox_packed_fields *f,
		   const struct ipcmbox_ids *ids)
{
	unsafe_put_user(f->len, &u->len, efault);
	unsafe_put_user(f->priority, &u->priority, efault);
	unsafe_put_user(f->flags, &u->msg_flags, efault);
	unsafe_put_user(f->type, &u->type, efault);
	unsafe_put_user(f->seq, &u->seq, efault);
	unsafe_put_user(f->mono, &u->enqueue_mono_ns, efault);
	unsafe_put_user(f->real, &u->enqueue_real_ns, efault);
	unsafe_put_user(ids->pid, &u->pid, efault);
	unsafe_put_user(ids->tid, &u->tid, efault);
	unsafe_put_user(ids->uid, &u->uid, efault);
	unsafe_put_user(ids->gid, &u->gid, efault);
	return true;
efault:
	return false;
}

/* The sender ids of @msg, worked out again only for another sender. */
static __always_inline void ipcmbox_packed_sender(struct ipcmbox_packed_ids *pi,
						  const struct ipcmbox_msg *msg)
{
	if (!pi->of || !ipcmbox_msg_same_sender(pi->of, msg)) {
		ipcmbox_msg_ids(msg, &pi->ids);
		pi->of = msg;
	}
}

/*
 * Writes the header at @off of a message of @msg (itself, or one of its
 * record's): @len payload bytes, @type, @seq.  Return: 0, -EFAULT.
 */
static __always_inline int
ipcmbox_packed_put(struct ipcmbox_batch_run *r, u64 off,
		   const struct ipcmbox_msg *msg, size_t len, s64 type, u64 seq,
		   struct ipcmbox_packed_ids *pi)
{
	struct ipcmbox_packed_recv __user *u = (void __user *)(r->uptr + off);
	struct ipcmbox_packed_fields f = {
		.len		= len,
		.priority	= msg->priority,
		.flags		= msg->region ? IPCMBOX_MSG_REF : 0,
		.type		= type,
		.seq		= seq,
		.mono		= ktime_to_ns(msg->stamp),
		.real		= ktime_to_ns(ktime_add(msg->stamp,
							pi->real_offset)),
	};
	bool ok;

	ipcmbox_packed_sender(pi, msg);
	if (!user_write_access_begin(u, sizeof(*u)))
		return -EFAULT;
	ok = ipcmbox_packed_hdr(u, &f, &pi->ids);
	user_write_access_end();
	return ok ? 0 : -EFAULT;
}

/* Points @iter at the room for a message at @off of the packed buffer. */
static void ipcmbox_packed_room(struct ipcmbox_batch_run *r, u64 off,
				struct iov_iter *iter)
{
	u64 room = r->len - off - IPCMBOX_PRECV_HDR;

	iov_iter_ubuf(iter, ITER_DEST, r->uptr + off + IPCMBOX_PRECV_HDR,
		      min_t(u64, room, MAX_RW_COUNT));
}

/* Where the message after one of @len bytes at @off starts. */
static u64 ipcmbox_packed_after(u64 off, size_t len)
{
	return off + IPCMBOX_PACKED_SIZE(IPCMBOX_PRECV_HDR, len);
}

/* Whether a message of @len bytes fits the buffer at @off. */
static bool ipcmbox_packed_fits(const struct ipcmbox_batch_run *r, u64 off,
				size_t len)
{
	return off <= r->len && r->len - off >= IPCMBOX_PRECV_HDR &&
	       len <= r->len - off - IPCMBOX_PRECV_HDR;
}

/* A receive into the packed buffer at @off, as the batch waits. */
static void ipcmbox_packed_xfer(struct ipcmbox_batch_run *r, u64 off,
				struct ipcmbox_xfer *x, struct iov_iter *iter)
{
	*x = r->wait;
	x->iter = iter;
	ipcmbox_packed_room(r, off, iter);
}

/*
 * What a packed receive has taken: @recs messages or records of a train
 * in @r->msgs, holding @msgs messages, which go in the buffer up to @off;
 * @err: -ENOMEM when a record could not be cut, else 0.
 */
struct ipcmbox_packed_got {
	unsigned int recs;
	unsigned int msgs;
	u64 off;
	int err;
};

/*
 * How many messages of the record @rec, at most @max, fit in the buffer
 * from *@offp, which moves past them.
 */
static unsigned int ipcmbox_packed_fit_train(const struct ipcmbox_batch_run *r,
					     const struct ipcmbox_msg *rec,
					     unsigned int max, u64 *offp)
{
	u32 e = rec->off;
	unsigned int i;
	u32 len;

	for (i = 0; i < rec->count && i < max; i++) {
		len = ipcmbox_train_at(rec->train, e)->len;
		if (!ipcmbox_packed_fits(r, *offp, len))
			break;
		*offp = ipcmbox_packed_after(*offp, len);
		e = ipcmbox_train_next(e, len);
	}
	return i;
}

/*
 * Takes the record @rec of a train, or as many of its first messages as
 * fit (cut off it), into @g.  Return: whether all of it was taken.
 */
static bool ipcmbox_packed_take_train(struct ipcmbox_batch_run *r,
				      struct ipcmbox_msg *rec,
				      struct ipcmbox_packed_got *g)
{
	u64 off = g->off;
	unsigned int k = ipcmbox_packed_fit_train(r, rec, r->n - g->msgs, &off);
	bool all = k == rec->count;

	if (!k)
		return false;
	if (all) {
		list_del_init(&rec->node);
	} else {
		rec = ipcmbox_train_cut(r->mb, rec, k);
		if (!rec) {
			g->err = -ENOMEM;
			return false;
		}
	}
	r->msgs[g->recs++] = rec;
	g->msgs += k;
	g->off = off;
	return all;
}

/*
 * Takes messages from the head of the queue, in order, while the next
 * fits the buffer: what ipcmbox_receive_take() does for each of any type,
 * with one change of the queue's counters and one admission of blocked
 * senders for all.  A train's record is taken whole, or cut.  Called with
 * the mailbox locked.  Return: how many messages were taken, into @g.
 */
static unsigned int ipcmbox_packed_take_run(struct ipcmbox_batch_run *r,
					    struct ipcmbox_packed_got *g)
{
	struct ipcmbox_mbox *mb = r->mb;
	bool was_writable = ipcmbox_writable(mb);
	unsigned int recs = g->recs, msgs = g->msgs, i;
	struct ipcmbox_msg *msg, *tmp;
	u64 bytes = 0;

	lockdep_assert_held(&mb->lock);
	list_for_each_entry_safe(msg, tmp, &mb->queue, node) {
		if (g->msgs == r->n)
			break;
		if (unlikely(msg->train)) {
			if (!ipcmbox_packed_take_train(r, msg, g))
				break;
			continue;
		}
		if (!ipcmbox_packed_fits(r, g->off, msg->len))
			break;
		list_del_init(&msg->node);
		if (unlikely(msg->sender))
			ipcmbox_sender_done(mb, msg);
		r->msgs[g->recs++] = msg;
		g->msgs++;
		g->off = ipcmbox_packed_after(g->off, msg->len);
	}
	if (g->msgs == msgs)
		return 0;
	for (i = recs; i < g->recs; i++)
		bytes += r->msgs[i]->len;
	ipcmbox_unqueued(mb, g->msgs - msgs, bytes);
	WRITE_ONCE(mb->received, mb->received + (g->msgs - msgs));
	ipcmbox_note(&mb->recv_tgid, &mb->recv_jiffies);
	ipcmbox_space_freed(mb, was_writable);
	return g->msgs - msgs;
}

/*
 * Takes, in one lock hold, what messages fit in the buffer after those in
 * @g, without waiting: the queued ones, then those of blocked senders
 * that the room made lets in, and, once a batch that has a message finds
 * the queue empty, what ipcmbox_receive_take() finds elsewhere.  Why the
 * next was not taken goes in @r->stop.
 */
static void ipcmbox_packed_take(struct ipcmbox_batch_run *r,
				struct ipcmbox_packed_got *g)
{
	struct ipcmbox_xfer x;
	struct iov_iter iter;
	int ret = 0;

	ipcmbox_packed_xfer(r, g->off, &x, &iter);
	x.flags |= IPCMBOX_IO_NONBLOCK;
	x.probe = true;
	mutex_lock(&r->mb->lock);
	while (ipcmbox_packed_take_run(r, g))
		;
	/* The first message is for ipcmbox_packed_first() to find. */
	while (g->msgs && g->msgs < r->n && list_empty(&r->mb->queue)) {
		if (g->off > r->len || r->len - g->off < IPCMBOX_PRECV_HDR)
			break;
		ipcmbox_packed_room(r, g->off, &iter);
		ret = ipcmbox_receive_take(r->mb, &x, &r->msgs[g->recs]);
		if (ret)
			break;
		g->off = ipcmbox_packed_after(g->off, r->msgs[g->recs]->len);
		g->recs++;
		g->msgs++;
	}
	mutex_unlock(&r->mb->lock);
	/* A full buffer or an empty queue ends a receive batch, no error. */
	r->stop = g->err ?: ret == -EMSGSIZE ? 0 : ret;
}

/* Copies taken @msg out at @off, payload and header.  Return: 0, -EFAULT. */
static int ipcmbox_packed_copy(struct ipcmbox_batch_run *r, u64 off,
			       struct ipcmbox_msg *msg,
			       struct ipcmbox_packed_ids *pi)
{
	if (!ipcmbox_msg_to_user(msg, r->uptr + off + IPCMBOX_PRECV_HDR))
		return -EFAULT;
	return ipcmbox_packed_put(r, off, msg, msg->len, msg->type, msg->seq,
				  pi);
}

/*
 * Copies the messages of the taken record @rec out from *@offp, which
 * moves past them: in one user-access section, each payload then its
 * header, whose fields but the length, type and sequence number are the
 * record's.  Return: how many were copied; fewer than its count on a
 * fault.
 */
static unsigned int ipcmbox_packed_copy_train(struct ipcmbox_batch_run *r,
					      u64 *offp,
					      const struct ipcmbox_msg *rec,
					      struct ipcmbox_packed_ids *pi)
{
	struct ipcmbox_packed_fields f = {
		.priority	= rec->priority,
		.mono		= ktime_to_ns(rec->stamp),
		.real		= ktime_to_ns(ktime_add(rec->stamp,
							pi->real_offset)),
	};
	const struct ipcmbox_packed_send *h;
	struct ipcmbox_packed_recv __user *u;
	u64 off = *offp;
	u32 e = rec->off;
	unsigned int i;

	ipcmbox_packed_sender(pi, rec);
	/* Every message taken lies within the buffer (access_ok()'d). */
	if (!user_write_access_begin(r->uptr + off, r->len - off))
		return 0;
	for (i = 0; i < rec->count; i++) {
		h = ipcmbox_train_at(rec->train, e);
		u = (void __user *)(r->uptr + off);
		f.len = h->len;
		f.type = h->type;
		f.seq = rec->seq + i;
		if (!ipcmbox_words_put((u8 __user *)(u + 1),
				       ipcmbox_train_payload(h), h->len) ||
		    !ipcmbox_packed_hdr(u, &f, &pi->ids))
			break;
		off = ipcmbox_packed_after(off, h->len);
		e = ipcmbox_train_next(e, h->len);
	}
	user_write_access_end();
	*offp = off;
	return i;
}

/*
 * The first message as one receive takes it, waiting as the batch allows,
 * when none was queued: its payload and header written at the start of
 * the buffer.  Return: its length, or a negative errno.
 */
static ssize_t ipcmbox_packed_first(struct ipcmbox_batch_run *r,
				    struct ipcmbox_packed_ids *pi)
{
	struct ipcmbox_xfer x;
	struct iov_iter iter;
	ssize_t ret;

	ipcmbox_packed_xfer(r, 0, &x, &iter);
	x.hold = true;
	ret = ipcmbox_receive(r->mb, &x);
	if (ret == -EMSGSIZE) {
		/* Its length, in the header it would have had. */
		put_user((u32)min_t(size_t, x.msg_len, U32_MAX),
			 &((struct ipcmbox_packed_recv __user *)r->uptr)->len);
	}
	if (ret < 0)
		return ret;
	if (ipcmbox_packed_put(r, 0, x.held, ret, x.held->type, x.held->seq,
			       pi)) {
		ipcmbox_receive_done(r->mb, &x, false);
		return -EFAULT;
	}
	/* Held to the end: later messages compare their sender with it. */
	r->msgs[0] = x.held;
	return ret;
}

/**
 * ipcmbox_packed_recv() - a packed receive batch
 * @r: the batch
 *
 * What is queued is taken in one lock hold, as much as fits, and copied
 * out after it.  When nothing is, the first message waits as the batch
 * allows, as one receive does, and the others are what is queued then.
 * The batch holds every message it reports until the end, and puts back,
 * at their places, the first it cannot report and all after.
 *
 * Return: the number of messages received, or a negative errno.
 */
long ipcmbox_packed_recv(struct ipcmbox_batch_run *r)
{
	struct ipcmbox_packed_ids pi = {
		.real_offset = ktime_mono_to_real(0),
	};
	struct ipcmbox_packed_got g = {};
	unsigned int i, k, first = 0, done = 0;
	struct ipcmbox_msg *msg;
	ssize_t ret = 0;
	u64 off = 0;

	ipcmbox_packed_take(r, &g);
	if (!g.msgs) {
		ret = ipcmbox_packed_first(r, &pi);
		if (ret < 0)
			return ret;
		r->stop = 0;
		g.err = 0;
		first = 1;
		g.recs = 1;
		g.msgs = 1;
		g.off = ipcmbox_packed_after(0, ret);
		if (r->n > 1)
			ipcmbox_packed_take(r, &g);
	}
	for (i = 0; i < g.recs; i++) {
		msg = r->msgs[i];
		if (unlikely(msg->train)) {
			k = ipcmbox_packed_copy_train(r, &off, msg, &pi);
			done += k;
			if (k == msg->count)
				continue;
			/* The rest of it goes back, from the one that failed. */
			if (k)
				ipcmbox_train_skip(msg, k);
			ret = -EFAULT;
			break;
		}
		ret = i < first ? 0 : ipcmbox_packed_copy(r, off, msg, &pi);
		if (ret)
			break;
		off = ipcmbox_packed_after(off, msg->len);
		done++;
	}
	if (ret) {
		r->stop = ret;
		atomic64_inc(&r->mb->recv_failed);
		/* It and the rest go back in order, oldest first. */
		for (k = i; k < g.recs; k++)
			ipcmbox_put_back(r->mb, r->msgs[k]);
	}
	ipcmbox_msg_free_run(r->msgs, i);
	return done ?: r->stop;
}
