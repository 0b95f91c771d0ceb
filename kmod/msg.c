// SPDX-License-Identifier: GPL-2.0-only
/*
 * Messages: allocation with the sender's envelope, and the envelope as the
 * receiver sees it.  A message carries its payload in its own memory: a
 * small one (header and payload up to IPCMBOX_FRAG_MAX bytes) is carved
 * from its mailbox's page (frag.c), a larger one allocated alone; or, sent
 * by reference, in a chunk of its mailbox's shared region (chunk.c).
 *
 * The envelope records who sent the message (the calling thread, its
 * process, and its effective uid and gid) and when.  It is reported, not
 * used to decide anything: permission and limit decisions use the file's
 * credentials.  Ids are translated into the receiver's namespaces at
 * receive time; an id the receiver cannot see reads as 0 (pids) or the
 * overflow id (uids, gids).
 */
#include <linux/cred.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/uio.h>

#include "mbox.h"
#include "region.h"
#include "train.h"
#include "ucopy.h"

/*
 * Memory for a message with room for @room payload bytes: carved from the
 * mailbox's page when small (*@frag), else allocated alone.
 */
static __always_inline struct ipcmbox_msg *
ipcmbox_msg_mem(struct ipcmbox_mbox *mb, size_t room, bool *frag)
{
	size_t size = struct_size_t(struct ipcmbox_msg, data, room);

	*frag = size <= IPCMBOX_FRAG_MAX;
	if (*frag)
		return ipcmbox_frag_alloc(&mb->frag, size);
	return kvmalloc(size, GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
}

/* A message with room for @room payload bytes and the sender's ids. */
static __always_inline struct ipcmbox_msg *
ipcmbox_msg_alloc(struct ipcmbox_mbox *mb, struct ipcmbox_xfer *x, size_t len,
		  size_t room)
{
	const struct cred *cred = current_cred();
	struct ipcmbox_msg *msg;
	bool frag;

	msg = ipcmbox_msg_mem(mb, room, &frag);
	if (!msg)
		return NULL;
	*msg = (struct ipcmbox_msg) {
		.len		= len,
		.frag		= frag,
		.type		= x->type,
		.priority	= x->priority,
		.uid		= cred->euid,
		.gid		= cred->egid,
	};
	INIT_LIST_HEAD(&msg->node);
	return msg;
}

/**
 * ipcmbox_msg_of_train() - a message of @t, with room for @room bytes
 * @mb: the mailbox, whose memory it takes
 * @t: the train, whose envelope it gets (the pids referenced again)
 * @room: payload bytes, 0 for a record
 *
 * Return: the message, not queued, its length, type, priority and
 * sequence number 0; or NULL (no memory).
 */
struct ipcmbox_msg *ipcmbox_msg_of_train(struct ipcmbox_mbox *mb,
					 const struct ipcmbox_train *t,
					 size_t room)
{
	struct ipcmbox_msg *msg;
	bool frag;

	msg = ipcmbox_msg_mem(mb, room, &frag);
	if (!msg)
		return NULL;
	*msg = (struct ipcmbox_msg) {
		.frag	= frag,
		.stamp	= t->stamp,
		.tgid	= get_pid(t->tgid),
		.pid	= get_pid(t->pid),
		.uid	= t->uid,
		.gid	= t->gid,
	};
	INIT_LIST_HEAD(&msg->node);
	return msg;
}

/* Frees @msg's memory and its references to the sender's pids. */
static void ipcmbox_msg_release(struct ipcmbox_msg *msg)
{
	put_pid(msg->tgid);
	put_pid(msg->pid);
	if (msg->frag)
		ipcmbox_frag_free(msg);
	else
		kvfree(msg);
}

/* Stamps @msg with the time and the sending thread, once it is whole. */
static struct ipcmbox_msg *ipcmbox_msg_stamp(struct ipcmbox_msg *msg)
{
	msg->stamp = ktime_get();
	msg->tgid = get_pid(task_tgid(current));
	msg->pid = get_pid(task_pid(current));
	return msg;
}

/* Where in the user buffer of a ITER_UBUF @iter the next byte goes. */
static u8 __user *ipcmbox_iter_ubuf(const struct iov_iter *iter)
{
	return (u8 __user *)iter->ubuf + iter->iov_offset;
}

/* Copies @len payload bytes in from @iter; returns whether all came. */
static bool ipcmbox_msg_fill(struct ipcmbox_msg *msg, size_t len,
			     struct iov_iter *iter)
{
	size_t n;

	if (!len)
		return true;
	if (!msg->frag)
		return copy_from_iter_full(msg->data, len, iter);
	if (iter_is_ubuf(iter) && iov_iter_count(iter) >= len) {
		if (!ipcmbox_words_from_user(msg->data, ipcmbox_iter_ubuf(iter),
					     len))
			return false;
		iov_iter_advance(iter, len);
		return true;
	}
	n = copy_page_from_iter(virt_to_page(msg->data),
				offset_in_page(msg->data), len, iter);
	if (n == len)
		return true;
	iov_iter_revert(iter, n);	/* as copy_from_iter_full() does */
	return false;
}

/**
 * ipcmbox_msg_new() - a message of @len bytes copied from @x->iter
 * @mb: the mailbox, whose page a small message is carved from
 * @x: the send; gives the payload, type and priority
 * @len: payload length, already checked against the mailbox's limit
 *
 * The user data is copied here, once, before any lock is taken.
 *
 * Return: the message, or ERR_PTR(-ENOMEM) or ERR_PTR(-EFAULT).
 */
struct ipcmbox_msg *ipcmbox_msg_new(struct ipcmbox_mbox *mb,
				    struct ipcmbox_xfer *x, size_t len)
{
	struct ipcmbox_msg *msg = ipcmbox_msg_alloc(mb, x, len, len);

	if (!msg)
		return ERR_PTR(-ENOMEM);
	if (!ipcmbox_msg_fill(msg, len, x->iter)) {
		ipcmbox_msg_release(msg);
		return ERR_PTR(-EFAULT);
	}
	return ipcmbox_msg_stamp(msg);
}

/**
 * ipcmbox_msg_from_user() - a message of @len bytes at @src, not stamped
 * @mb: the mailbox
 * @x: the send: type and priority
 * @src: the payload, in user memory
 * @len: payload length, already checked against the mailbox's limit
 *
 * As ipcmbox_msg_new(), from a plain user address, and without the time
 * and sender: for a call that makes many messages and stamps them all at
 * once with ipcmbox_msg_stamp_run(), before any is sent.  An unstamped
 * message may be freed.
 *
 * Return: the message, or ERR_PTR(-ENOMEM) or ERR_PTR(-EFAULT).
 */
struct ipcmbox_msg *ipcmbox_msg_from_user(struct ipcmbox_mbox *mb,
					  struct ipcmbox_xfer *x,
					  const void __user *src, size_t len)
{
	struct ipcmbox_msg *msg = ipcmbox_msg_alloc(mb, x, len, len);
	bool ok;

	if (!msg)
		return ERR_PTR(-ENOMEM);
	if (msg->frag)
		ok = ipcmbox_words_from_user(msg->data, src, len);
	else
		ok = !copy_from_user(msg->data, src, len);
	if (!ok) {
		ipcmbox_msg_release(msg);
		return ERR_PTR(-EFAULT);
	}
	return msg;
}

/**
 * ipcmbox_msg_stamp_run() - stamp the messages of one call alike
 * @msgs: @n messages from ipcmbox_msg_from_user()
 * @n: how many
 *
 * They get one time, the call's, and the calling thread and process as
 * their sender, whose references are taken @n at a time: about 70
 * instructions a message less than stamping each, as ipcmbox_msg_new()
 * does.
 */
void ipcmbox_msg_stamp_run(struct ipcmbox_msg **msgs, unsigned int n)
{
	struct pid *tgid = task_tgid(current);
	struct pid *pid = task_pid(current);
	ktime_t now = ktime_get();
	unsigned int i;

	if (!n)
		return;
	/* get_pid() @n times; the caller's own pids are never NULL. */
	refcount_add(n, &tgid->count);
	refcount_add(n, &pid->count);
	for (i = 0; i < n; i++) {
		msgs[i]->stamp = now;
		msgs[i]->tgid = tgid;
		msgs[i]->pid = pid;
	}
}

/**
 * ipcmbox_msg_new_ref() - a message by reference to a chunk of @mb's region
 * @mb: the mailbox
 * @x: the send: @x->file must hold the chunk at @x->ref_offset
 * @len: message length, at most the chunk's, already checked against the
 *	mailbox's limit
 *
 * The message takes the chunk from the sending file; ipcmbox_msg_free_to()
 * gives it back if the send fails.  Nothing is copied.
 *
 * Return: the message, or ERR_PTR of -ENOMEM, -ENODEV (no region),
 * -EINVAL or -ENOENT (see ipcmbox_chunk_take()).
 */
struct ipcmbox_msg *ipcmbox_msg_new_ref(struct ipcmbox_mbox *mb,
					struct ipcmbox_xfer *x, size_t len)
{
	struct ipcmbox_msg *msg = ipcmbox_msg_alloc(mb, x, len, 0);
	int ret;

	if (!msg)
		return ERR_PTR(-ENOMEM);
	ret = ipcmbox_chunk_take(mb->region, x->file, x->ref_offset, len,
				 &msg->chunk);
	if (ret) {
		ipcmbox_msg_release(msg);
		return ERR_PTR(ret);
	}
	msg->region = mb->region;
	return ipcmbox_msg_stamp(msg);
}

/* Bytes of kernel memory @msg takes (what an unbounded mailbox charges). */
size_t ipcmbox_msg_size(const struct ipcmbox_msg *msg)
{
	return struct_size(msg, data, msg->region ? 0 : msg->len);
}

/* Whether a receive with @room bytes (@ref: taking references) takes @msg. */
bool ipcmbox_msg_fits(const struct ipcmbox_msg *msg, size_t room, bool ref)
{
	return (ref && msg->region) || msg->len <= room;
}

/* Copies the first @len bytes of @msg's payload; returns bytes copied. */
size_t ipcmbox_msg_copy(struct ipcmbox_msg *msg, size_t len,
			struct iov_iter *iter)
{
	if (msg->region)
		return ipcmbox_chunk_copy(msg->region, msg->chunk, len, iter);
	if (!msg->frag)
		return copy_to_iter(msg->data, len, iter);
	if (!len)
		return 0;
	if (iter_is_ubuf(iter) && iov_iter_count(iter) >= len) {
		if (!ipcmbox_words_to_user(ipcmbox_iter_ubuf(iter), msg->data,
					   len))
			return 0;
		iov_iter_advance(iter, len);
		return len;
	}
	return copy_page_to_iter(virt_to_page(msg->data),
				 offset_in_page(msg->data), len, iter);
}

/* ipcmbox_msg_to_user() of a message by reference, apart from the rest. */
static noinline bool ipcmbox_chunk_to_user(struct ipcmbox_msg *msg,
					   void __user *dst)
{
	struct iov_iter iter;

	iov_iter_ubuf(&iter, ITER_DEST, dst, msg->len);
	return ipcmbox_msg_copy(msg, msg->len, &iter) == msg->len;
}

/**
 * ipcmbox_msg_to_user() - copy all of @msg's payload to a plain user address
 * @msg: the message
 * @dst: where its @msg->len bytes go, in user memory
 *
 * ipcmbox_msg_copy() for a caller that has an address, not an iov_iter:
 * a packed receive.
 *
 * Return: whether every byte was copied.
 */
bool ipcmbox_msg_to_user(struct ipcmbox_msg *msg, void __user *dst)
{
	/* The payload of a message by reference is in its chunk, not @data. */
	if (unlikely(msg->region))
		return ipcmbox_chunk_to_user(msg, dst);
	if (msg->frag)
		return !msg->len || ipcmbox_words_to_user(dst, msg->data,
							  msg->len);
	return !copy_to_user(dst, msg->data, msg->len);
}

/*
 * Frees a message nobody references any more, returning its charge, and
 * its chunk to @file (a failed send's sender, or a receiver by reference)
 * or, when @file is NULL, to the region.
 */
void ipcmbox_msg_free_to(struct ipcmbox_msg *msg, const struct file *file)
{
	if (msg->region) {
		if (file)
			ipcmbox_chunk_hold(msg->region, msg->chunk, file);
		else
			ipcmbox_chunk_free(msg->region, msg->chunk);
	}
	if (msg->charged)
		ipcmbox_quota_uncharge(msg->charged_uid, msg->charged);
	if (msg->train)
		ipcmbox_train_put(msg->train);
	ipcmbox_msg_release(msg);
}

void ipcmbox_msg_free(struct ipcmbox_msg *msg)
{
	ipcmbox_msg_free_to(msg, NULL);
}

/*
 * Drops @n references to @pid at once, as @n put_pid() would: all but
 * one can never be the last, since the caller holds @n.
 */
static void ipcmbox_put_pids(struct pid *pid, unsigned int n)
{
	if (pid && n > 1)
		WARN_ON_ONCE(refcount_sub_and_test(n - 1, &pid->count));
	if (n)
		put_pid(pid);
}

/**
 * ipcmbox_msg_free_run() - free received messages, as ipcmbox_msg_free()
 * @msgs: @n messages nobody references any more
 * @n: how many
 *
 * The references a run of messages holds on one sender's pids, and on
 * the page they were carved from, are dropped once for the run: the
 * messages of a batch mostly come from one sender and lie on a few pages.
 */
void ipcmbox_msg_free_run(struct ipcmbox_msg **msgs, unsigned int n)
{
	struct pid *tgid = NULL, *pid = NULL;
	unsigned int ntgid = 0, npid = 0, npage = 0;
	struct page *page = NULL;
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct ipcmbox_msg *msg = msgs[i];

		if (!msg->frag || msg->region || msg->charged || msg->train) {
			ipcmbox_msg_free(msg);
			continue;
		}
		if (msg->tgid != tgid) {
			ipcmbox_put_pids(tgid, ntgid);
			tgid = msg->tgid;
			ntgid = 0;
		}
		if (msg->pid != pid) {
			ipcmbox_put_pids(pid, npid);
			pid = msg->pid;
			npid = 0;
		}
		if (ipcmbox_frag_page(msg) != page) {
			ipcmbox_frag_put(page, npage);
			page = ipcmbox_frag_page(msg);
			npage = 0;
		}
		ntgid++;
		npid++;
		npage++;
	}
	ipcmbox_put_pids(tgid, ntgid);
	ipcmbox_put_pids(pid, npid);
	ipcmbox_frag_put(page, npage);
}

/* @msg's sender as the calling task sees it. */
void ipcmbox_msg_ids(const struct ipcmbox_msg *msg, struct ipcmbox_ids *ids)
{
	struct pid_namespace *pidns = task_active_pid_ns(current);
	struct user_namespace *userns = current_user_ns();

	ids->pid = pid_nr_ns(msg->tgid, pidns);
	ids->tid = pid_nr_ns(msg->pid, pidns);
	ids->uid = from_kuid_munged(userns, msg->uid);
	ids->gid = from_kgid_munged(userns, msg->gid);
}

/* Fills the receive's output fields from @msg, as the caller sees them. */
void ipcmbox_msg_envelope(const struct ipcmbox_msg *msg,
			  struct ipcmbox_xfer *x)
{
	struct ipcmbox_ids ids;

	x->msg_len = msg->len;
	x->msg_flags = msg->region ? IPCMBOX_MSG_REF : 0;
	x->seq = msg->seq;
	x->out_type = msg->type;
	x->out_priority = msg->priority;
	x->stamp = msg->stamp;
	ipcmbox_msg_ids(msg, &ids);
	x->pid = ids.pid;
	x->tid = ids.tid;
	x->uid = ids.uid;
	x->gid = ids.gid;
}
