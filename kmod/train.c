// SPDX-License-Identifier: GPL-2.0-only
/*
 * Trains: a packed send (packed.c) to a bounded mailbox keeps its messages
 * in the form it sent them, one buffer of entries (header and payload),
 * copied in once and checked there.  What the queue takes of them goes in
 * as records (struct ipcmbox_msg with @train set), each standing for a
 * run of consecutive messages of one priority, with consecutive sequence
 * numbers.  A packed receive takes records whole, or cuts one, and copies
 * the entries straight out: no kernel object per message is made, queued,
 * taken or freed.  The train is freed with its last record.
 *
 * Every other use of a queued message wants one message: the queue then
 * makes one out of the record's entry (ipcmbox_train_extract(), through
 * ipcmbox_find()), a copy in the mailbox's memory with the same envelope,
 * at the same place in the queue.  That allocates, under mb->lock, and so
 * may fail with ENOMEM, which leaves the queue as it was.  A message the
 * queue does not take at once (it would wait, or a receiver waits for it)
 * is made the same way and sent alone, as packed.c's send did for each.
 *
 * Every message of a train has one envelope, the send's: one time, one
 * sender.  A train's memory is charged to the sender's memory cgroup, and
 * stays while any of its records does: at most IPCMBOX_TRAIN_MAX bytes
 * for a send of two messages or more.
 */
#include <linux/cred.h>
#include <linux/overflow.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "train.h"
#include "ucopy.h"

/*
 * Memory for a train of @len bytes: the mailbox's spare if it is large
 * enough, else new.  A send that repeats itself allocates nothing, and
 * pays no zeroing of new memory (init_on_alloc, on by default in
 * distribution kernels): every byte of a train that is read was written
 * by the send that made it.
 */
static struct ipcmbox_train *ipcmbox_train_alloc(struct ipcmbox_mbox *mb,
						 u32 len)
{
	struct ipcmbox_train *t = xchg(&mb->train_spare, NULL);

	if (t && t->size >= len)
		goto found;
	kvfree(t);
	t = kvmalloc(struct_size(t, data, len), GFP_KERNEL_ACCOUNT);
	if (!t)
		return NULL;
	t->size = len;
found:
	t->mb = mb;
	return t;
}

/* Keeps @t's memory as the mailbox's spare, or frees it if it has one. */
static void ipcmbox_train_recycle(struct ipcmbox_train *t)
{
	if (cmpxchg(&t->mb->train_spare, NULL, t))
		kvfree(t);
}

/*
 * Checks the entry at @off of the @len bytes of @t, which are in kernel
 * memory up to its payload, as a packed send checks its headers.  Return:
 * the next entry's offset, or -EINVAL (a bad header) or -EMSGSIZE.
 */
static __always_inline s64 ipcmbox_train_check(const struct ipcmbox_mbox *mb,
					       const struct ipcmbox_train *t,
					       u32 len, u32 off)
{
	const struct ipcmbox_packed_send *h = ipcmbox_train_at(t, off);

	if (len - off < IPCMBOX_TRAIN_HDR)
		return -EINVAL;
	off += IPCMBOX_TRAIN_HDR;
	if (h->flags || h->priority > IPCMBOX_PRIO_MAX || h->type < 0 ||
	    h->len > len - off)
		return -EINVAL;
	if (h->len > READ_ONCE(mb->max_msg))
		return -EMSGSIZE;
	return min_t(u64, len, ipcmbox_train_next(off - IPCMBOX_TRAIN_HDR,
						  h->len));
}

/* Counts the checked entry at @off into @t's totals. */
static __always_inline void ipcmbox_train_add(struct ipcmbox_train *t, u32 off)
{
	const struct ipcmbox_packed_send *h = ipcmbox_train_at(t, off);

	t->total += h->len;
	t->max_len = max(t->max_len, h->len);
	if (h->priority != ipcmbox_train_at(t, 0)->priority)
		t->one_priority = false;
}

/*
 * Checks the first @n entries of @t, whose @len bytes were all copied in.
 * Return: how many are good, the first not in *@stop and the end of the
 * last good one in *@endp.
 */
static unsigned int ipcmbox_train_check_all(const struct ipcmbox_mbox *mb,
					    struct ipcmbox_train *t, u32 len,
					    unsigned int n, int *stop,
					    u32 *endp)
{
	unsigned int i;
	s64 next;
	u32 off = 0;

	for (i = 0; i < n; i++) {
		next = ipcmbox_train_check(mb, t, len, off);
		if (next < 0) {
			*stop = next;
			break;
		}
		ipcmbox_train_add(t, off);
		off = next;
	}
	*endp = off;
	return i;
}

/*
 * What ipcmbox_train_check_all() does, for a packed send that could not
 * be copied in whole: each entry's header, then its payload, is copied
 * in before it is checked and counted, and the first that cannot be read
 * stops the train with -EFAULT.  A loop of its own: folded into the one
 * above, its tests and calls cost every packed send 7 instructions a
 * message.
 */
static unsigned int ipcmbox_train_load_each(const struct ipcmbox_mbox *mb,
					    struct ipcmbox_train *t,
					    const u8 __user *src, u32 len,
					    unsigned int n, int *stop,
					    u32 *endp)
{
	unsigned int i;
	s64 next;
	u32 off = 0;

	for (i = 0; i < n; i++) {
		next = -EFAULT;
		if (len - off >= IPCMBOX_TRAIN_HDR &&
		    copy_from_user(t->data + off, src + off, IPCMBOX_TRAIN_HDR))
			break;
		next = ipcmbox_train_check(mb, t, len, off);
		if (next < 0)
			break;
		if (copy_from_user(t->data + off + IPCMBOX_TRAIN_HDR,
				   src + off + IPCMBOX_TRAIN_HDR,
				   ipcmbox_train_at(t, off)->len)) {
			next = -EFAULT;
			break;
		}
		ipcmbox_train_add(t, off);
		off = next;
	}
	if (i < n)
		*stop = next;
	*endp = off;
	return i;
}

/**
 * ipcmbox_train_new() - a train of the packed send at @src
 * @mb: the mailbox
 * @src: the packed buffer, in user memory
 * @len: its bytes, at most IPCMBOX_TRAIN_MAX
 * @n: how many messages it holds
 * @stop: out: why not all were made (0 when all were): -EINVAL (a bad
 *	header: none are made), -EMSGSIZE, -EFAULT, -ENOMEM
 *
 * The buffer is copied in whole, in one user-access section, and each
 * entry is checked in the copy, so every header is read from user memory
 * once.  The messages get the caller's envelope and the time of this
 * call.
 *
 * Return: the train, with @count messages made, the caller's reference;
 * or NULL when none was made.
 */
struct ipcmbox_train *ipcmbox_train_new(struct ipcmbox_mbox *mb,
					const u8 __user *src, u32 len,
					unsigned int n, int *stop)
{
	const struct cred *cred = current_cred();
	struct ipcmbox_train *t;
	unsigned int made;
	u32 end;

	*stop = 0;
	t = ipcmbox_train_alloc(mb, len);
	if (!t) {
		*stop = -ENOMEM;
		return NULL;
	}
	t->total = 0;
	t->max_len = 0;
	t->one_priority = true;
	if (ipcmbox_words_from_user(t->data, src, len))
		made = ipcmbox_train_check_all(mb, t, len, n, stop, &end);
	else
		made = ipcmbox_train_load_each(mb, t, src, len, n, stop, &end);
	if (!made || *stop == -EINVAL)
		goto none;
	refcount_set(&t->ref, 1);
	t->count = made;
	t->len = end;
	t->stamp = ktime_get();
	t->tgid = get_pid(task_tgid(current));
	t->pid = get_pid(task_pid(current));
	t->uid = cred->euid;
	t->gid = cred->egid;
	return t;
none:
	ipcmbox_train_recycle(t);
	return NULL;
}

void ipcmbox_train_put(struct ipcmbox_train *t)
{
	if (!refcount_dec_and_test(&t->ref))
		return;
	put_pid(t->tgid);
	put_pid(t->pid);
	ipcmbox_train_recycle(t);
}

/* Frees the memory kept for the next train: at the mailbox's end. */
void ipcmbox_train_destroy(struct ipcmbox_mbox *mb)
{
	kvfree(xchg(&mb->train_spare, NULL));
}

/**
 * ipcmbox_train_msg() - one message made of the entry at @off of @t
 * @mb: the mailbox, whose memory it takes
 * @t: the train
 * @off: the entry
 *
 * The copy has the entry's length, type and priority and the train's
 * envelope; its sequence number is the caller's to set.
 *
 * Return: the message, or NULL (no memory).
 */
struct ipcmbox_msg *ipcmbox_train_msg(struct ipcmbox_mbox *mb,
				      struct ipcmbox_train *t, u32 off)
{
	const struct ipcmbox_packed_send *h = ipcmbox_train_at(t, off);
	struct ipcmbox_msg *msg = ipcmbox_msg_of_train(mb, t, h->len);

	if (!msg)
		return NULL;
	memcpy(msg->data, ipcmbox_train_payload(h), h->len);
	msg->len = h->len;
	msg->type = h->type;
	msg->priority = h->priority;
	return msg;
}

/**
 * ipcmbox_train_record() - a record of @count entries of @t from @off
 * @mb: the mailbox, whose memory it takes
 * @t: the train, which the record references
 * @off: the first entry
 * @count: how many, at least 1, all of one priority
 * @len: their payloads' sum
 *
 * Return: the record, its sequence number the caller's to set, or NULL.
 */
struct ipcmbox_msg *ipcmbox_train_record(struct ipcmbox_mbox *mb,
					 struct ipcmbox_train *t, u32 off,
					 unsigned int count, u64 len)
{
	const struct ipcmbox_packed_send *h = ipcmbox_train_at(t, off);
	struct ipcmbox_msg *rec = ipcmbox_msg_of_train(mb, t, 0);

	if (!rec)
		return NULL;
	refcount_inc(&t->ref);
	rec->train = t;
	rec->off = off;
	rec->count = count;
	rec->len = len;
	rec->type = h->type;
	rec->priority = h->priority;
	return rec;
}

/* Drops the first @k (< its count) messages of the record @rec. */
void ipcmbox_train_skip(struct ipcmbox_msg *rec, unsigned int k)
{
	const struct ipcmbox_packed_send *h;

	for (; k; k--) {
		h = ipcmbox_train_at(rec->train, rec->off);
		rec->len -= h->len;
		rec->off = ipcmbox_train_next(rec->off, h->len);
		rec->seq++;
		rec->count--;
	}
	rec->type = ipcmbox_train_at(rec->train, rec->off)->type;
}

/**
 * ipcmbox_train_cut() - cut the first @k messages off a record
 * @mb: the mailbox
 * @rec: the record, whose first @k (fewer than its count) messages go
 * @k: how many
 *
 * Return: a record of those @k messages, with @rec's place in the
 * sequence, not queued; @rec keeps the rest.  NULL (no memory): @rec is
 * left as it was.
 */
struct ipcmbox_msg *ipcmbox_train_cut(struct ipcmbox_mbox *mb,
				      struct ipcmbox_msg *rec, unsigned int k)
{
	struct ipcmbox_msg *part;
	u32 off = rec->off;
	u64 len = 0;
	unsigned int i;

	for (i = 0; i < k; i++) {
		u32 l = ipcmbox_train_at(rec->train, off)->len;

		len += l;
		off = ipcmbox_train_next(off, l);
	}
	part = ipcmbox_train_record(mb, rec->train, rec->off, k, len);
	if (!part)
		return NULL;
	part->seq = rec->seq;
	ipcmbox_train_skip(rec, k);
	return part;
}

/**
 * ipcmbox_train_match() - the message of a record a type selector picks
 * @rec: the record
 * @sel: the selector, as ipcmbox_type_match() takes it
 * @j: out: the message's index in @rec
 * @type: out: its type
 *
 * Return: whether one matches: the first, or for a negative selector the
 * first of the lowest matching type.
 */
bool ipcmbox_train_match(const struct ipcmbox_msg *rec, s64 sel,
			 unsigned int *j, s64 *type)
{
	const struct ipcmbox_packed_send *h;
	bool found = false;
	u32 off = rec->off;
	unsigned int i;

	for (i = 0; i < rec->count; i++) {
		h = ipcmbox_train_at(rec->train, off);
		off = ipcmbox_train_next(off, h->len);
		if (!ipcmbox_type_match(sel, h->type))
			continue;
		if (found && h->type >= *type)
			continue;
		*j = i;
		*type = h->type;
		found = true;
		if (sel >= 0)
			break;
	}
	return found;
}

/**
 * ipcmbox_train_extract() - make message @j of a queued record a message
 * @mb: the mailbox, locked
 * @rec: the record, queued
 * @j: the message's index in @rec
 *
 * The message takes its place in the queue: the messages of @rec before
 * it stay a record before it, those after it a record after it.  The
 * queue's counters do not change.
 *
 * Return: the message, queued; or ERR_PTR(-ENOMEM), the queue unchanged.
 */
struct ipcmbox_msg *ipcmbox_train_extract(struct ipcmbox_mbox *mb,
					  struct ipcmbox_msg *rec,
					  unsigned int j)
{
	struct ipcmbox_msg *msg, *before = NULL;
	u32 off = rec->off;
	unsigned int i;

	lockdep_assert_held(&mb->lock);
	for (i = 0; i < j; i++)
		off = ipcmbox_train_next(off, ipcmbox_train_at(rec->train,
							       off)->len);
	msg = ipcmbox_train_msg(mb, rec->train, off);
	if (!msg)
		return ERR_PTR(-ENOMEM);
	if (j) {
		before = ipcmbox_train_cut(mb, rec, j);
		if (!before) {
			ipcmbox_msg_free(msg);
			return ERR_PTR(-ENOMEM);
		}
		list_add_tail(&before->node, &rec->node);
	}
	msg->seq = rec->seq;
	list_add_tail(&msg->node, &rec->node);
	if (rec->count == 1) {
		list_del_init(&rec->node);
		ipcmbox_msg_free(rec);
	} else {
		ipcmbox_train_skip(rec, 1);
	}
	return msg;
}
