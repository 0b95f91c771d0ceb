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
#include <linux/uio.h>

#include "mbox.h"
#include "region.h"

/* A message with room for @room payload bytes and the sender's ids. */
static struct ipcmbox_msg *ipcmbox_msg_alloc(struct ipcmbox_mbox *mb,
					     struct ipcmbox_xfer *x,
					     size_t len, size_t room)
{
	const struct cred *cred = current_cred();
	size_t size = struct_size_t(struct ipcmbox_msg, data, room);
	bool frag = size <= IPCMBOX_FRAG_MAX;
	struct ipcmbox_msg *msg;

	if (frag)
		msg = ipcmbox_frag_alloc(&mb->frag, size);
	else
		msg = kvmalloc(size, GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
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

/* Copies @len payload bytes in from @iter; returns whether all came. */
static bool ipcmbox_msg_fill(struct ipcmbox_msg *msg, size_t len,
			     struct iov_iter *iter)
{
	size_t n;

	if (!len)
		return true;
	if (!msg->frag)
		return copy_from_iter_full(msg->data, len, iter);
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
	if (msg->frag)
		return len ? copy_page_to_iter(virt_to_page(msg->data),
					       offset_in_page(msg->data), len,
					       iter) : 0;
	return copy_to_iter(msg->data, len, iter);
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
	ipcmbox_msg_release(msg);
}

void ipcmbox_msg_free(struct ipcmbox_msg *msg)
{
	ipcmbox_msg_free_to(msg, NULL);
}

/* Fills the receive's output fields from @msg, as the caller sees them. */
void ipcmbox_msg_envelope(const struct ipcmbox_msg *msg,
			  struct ipcmbox_xfer *x)
{
	struct pid_namespace *pidns = task_active_pid_ns(current);
	struct user_namespace *userns = current_user_ns();

	x->msg_len = msg->len;
	x->msg_flags = msg->region ? IPCMBOX_MSG_REF : 0;
	x->seq = msg->seq;
	x->out_type = msg->type;
	x->out_priority = msg->priority;
	x->stamp = msg->stamp;
	x->pid = pid_nr_ns(msg->tgid, pidns);
	x->tid = pid_nr_ns(msg->pid, pidns);
	x->uid = from_kuid_munged(userns, msg->uid);
	x->gid = from_kgid_munged(userns, msg->gid);
}

/*
 * Whether a message of @type is selected by @sel: 0 any type, > 0 exactly
 * @sel, < 0 any type <= -@sel (the lowest of those is chosen by the
 * caller).  @sel is never S64_MIN: the ioctl rejects it.
 */
bool ipcmbox_type_match(s64 sel, s64 type)
{
	if (sel == 0)
		return true;
	if (sel > 0)
		return type == sel;
	return type <= -sel;
}
