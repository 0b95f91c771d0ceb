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

/* Writes @msg's header at @off, @len payload bytes.  Return: 0, -EFAULT. */
static __always_inline int
ipcmbox_packed_put(struct ipcmbox_batch_run *r, u64 off,
		   const struct ipcmbox_msg *msg, size_t len,
		   struct ipcmbox_packed_ids *pi)
{
	struct ipcmbox_packed_recv __user *u = (void __user *)(r->uptr + off);
	s64 mono = ktime_to_ns(msg->stamp);
	s64 real = ktime_to_ns(ktime_add(msg->stamp, pi->real_offset));
	u16 flags = msg->region ? IPCMBOX_MSG_REF : 0;

	if (!pi->of || !ipcmbox_msg_same_sender(pi->of, msg)) {
		ipcmbox_msg_ids(msg, &pi->ids);
		pi->of = msg;
	}
	if (!user_write_access_begin(u, sizeof(*u)))
		return -EFAULT;
	unsafe_put_user((u32)len, &u->len, efault);
	unsafe_put_user((u16)msg->priority, &u->priority, efault);
	unsafe_put_user(flags, &u->msg_flags, efault);
	unsafe_put_user(msg->type, &u->type, efault);
	unsafe_put_user(msg->seq, &u->seq, efault);
	unsafe_put_user(mono, &u->enqueue_mono_ns, efault);
	unsafe_put_user(real, &u->enqueue_real_ns, efault);
	unsafe_put_user(pi->ids.pid, &u->pid, efault);
	unsafe_put_user(pi->ids.tid, &u->tid, efault);
	unsafe_put_user(pi->ids.uid, &u->uid, efault);
	unsafe_put_user(pi->ids.gid, &u->gid, efault);
	user_write_access_end();
	return 0;
efault:
	user_write_access_end();
	return -EFAULT;
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

/* A receive into the packed buffer at @off, as the batch waits. */
static void ipcmbox_packed_xfer(struct ipcmbox_batch_run *r, u64 off,
				struct ipcmbox_xfer *x, struct iov_iter *iter)
{
	*x = r->wait;
	x->iter = iter;
	ipcmbox_packed_room(r, off, iter);
}

/*
 * Takes messages from the head of the queue, in order, while the next
 * fits the buffer from *@offp: what ipcmbox_receive_take() does for each
 * of any type, with one change of the queue's counters and one admission
 * of blocked senders for all.  Called with the mailbox locked.  Return:
 * how many were taken, into @r->msgs from @from; *@offp is where the next
 * would go.
 */
static unsigned int ipcmbox_packed_take_run(struct ipcmbox_batch_run *r,
					    unsigned int from, u64 *offp)
{
	struct ipcmbox_mbox *mb = r->mb;
	bool was_writable = ipcmbox_writable(mb);
	struct ipcmbox_msg *msg, *tmp;
	unsigned int i = from;
	u64 off = *offp, bytes = 0;

	lockdep_assert_held(&mb->lock);
	list_for_each_entry_safe(msg, tmp, &mb->queue, node) {
		if (i == r->n || off > r->len ||
		    r->len - off < IPCMBOX_PRECV_HDR ||
		    msg->len > r->len - off - IPCMBOX_PRECV_HDR)
			break;
		list_del_init(&msg->node);
		bytes += msg->len;
		if (unlikely(msg->sender))
			ipcmbox_sender_done(mb, msg);
		r->msgs[i++] = msg;
		off = ipcmbox_packed_after(off, msg->len);
	}
	if (i == from)
		return 0;
	ipcmbox_unqueued(mb, i - from, bytes);
	WRITE_ONCE(mb->received, mb->received + (i - from));
	ipcmbox_note(&mb->recv_tgid, &mb->recv_jiffies);
	ipcmbox_space_freed(mb, was_writable);
	*offp = off;
	return i - from;
}

/*
 * Takes, in one lock hold, what messages @from on fit in the buffer from
 * @off, without waiting: the queued ones, then those of blocked senders
 * that the room made lets in, and, once a batch that has a message finds
 * the queue empty, what ipcmbox_receive_take() finds elsewhere.  Return:
 * how many were taken, into @r->msgs; why the next was not in @r->stop.
 */
static unsigned int ipcmbox_packed_take(struct ipcmbox_batch_run *r,
					unsigned int from, u64 off)
{
	struct ipcmbox_xfer x;
	struct iov_iter iter;
	unsigned int i = from, k;
	int ret = 0;

	ipcmbox_packed_xfer(r, off, &x, &iter);
	x.flags |= IPCMBOX_IO_NONBLOCK;
	x.probe = true;
	mutex_lock(&r->mb->lock);
	while ((k = ipcmbox_packed_take_run(r, i, &off)))
		i += k;
	/* The first message is for ipcmbox_packed_first() to find. */
	for (; i && i < r->n && list_empty(&r->mb->queue); i++) {
		if (off > r->len || r->len - off < IPCMBOX_PRECV_HDR)
			break;
		ipcmbox_packed_room(r, off, &iter);
		ret = ipcmbox_receive_take(r->mb, &x, &r->msgs[i]);
		if (ret)
			break;
		off = ipcmbox_packed_after(off, r->msgs[i]->len);
	}
	mutex_unlock(&r->mb->lock);
	/* A full buffer or an empty queue ends a receive batch, no error. */
	r->stop = ret == -EMSGSIZE ? 0 : ret;
	return i - from;
}

/* Copies taken @msg out at @off, payload and header.  Return: 0, -EFAULT. */
static int ipcmbox_packed_copy(struct ipcmbox_batch_run *r, u64 off,
			       struct ipcmbox_msg *msg,
			       struct ipcmbox_packed_ids *pi)
{
	if (!ipcmbox_msg_to_user(msg, r->uptr + off + IPCMBOX_PRECV_HDR))
		return -EFAULT;
	return ipcmbox_packed_put(r, off, msg, msg->len, pi);
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
	if (ipcmbox_packed_put(r, 0, x.held, ret, pi)) {
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
	unsigned int i, k, first = 0, taken;
	ssize_t ret;
	u64 off;

	taken = ipcmbox_packed_take(r, 0, 0);
	if (!taken) {
		ret = ipcmbox_packed_first(r, &pi);
		if (ret < 0)
			return ret;
		first = 1;
		taken = 1;
		off = ipcmbox_packed_after(0, ret);
		if (r->n > 1)
			taken += ipcmbox_packed_take(r, 1, off);
	}
	off = 0;
	for (i = 0; i < taken; i++) {
		ret = i < first ? 0 : ipcmbox_packed_copy(r, off, r->msgs[i],
							   &pi);
		if (ret) {
			r->stop = ret;
			atomic64_inc(&r->mb->recv_failed);
			/* It and the rest go back in order, oldest first. */
			for (k = i; k < taken; k++)
				ipcmbox_put_back(r->mb, r->msgs[k]);
			break;
		}
		off = ipcmbox_packed_after(off, r->msgs[i]->len);
	}
	ipcmbox_msg_free_run(r->msgs, i);
	return i ?: r->stop;
}
