// SPDX-License-Identifier: GPL-2.0-only
/*
 * Messages: allocation with the sender's envelope, and the envelope as the
 * receiver sees it.  A message carries its payload in its own memory, or,
 * sent by reference, a chunk of its mailbox's shared region (chunk.c).
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
static struct ipcmbox_msg *ipcmbox_msg_alloc(struct ipcmbox_xfer *x,
					     size_t len, size_t room)
{
	const struct cred *cred = current_cred();
	struct ipcmbox_msg *msg;

	msg = kvmalloc(struct_size(msg, data, room),
		       GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!msg)
		return NULL;
	*msg = (struct ipcmbox_msg) {
		.len		= len,
		.type		= x->type,
		.priority	= x->priority,
		.uid		= cred->euid,
		.gid		= cred->egid,
	};
	INIT_LIST_HEAD(&msg->node);
	return msg;
}

/* Stamps @msg with the time and the sending thread, once it is whole. */
static struct ipcmbox_msg *ipcmbox_msg_stamp(struct ipcmbox_msg *msg)
{
	msg->stamp = ktime_get();
	msg->tgid = get_pid(task_tgid(current));
	msg->pid = get_pid(task_pid(current));
	return msg;
}

/**
 * ipcmbox_msg_new() - a message of @len bytes copied from @x->iter
 * @x: the send; gives the payload, type and priority
 * @len: payload length, already checked against the mailbox's limit
 *
 * The user data is copied here, once, before any lock is taken.
 *
 * Return: the message, or ERR_PTR(-ENOMEM) or ERR_PTR(-EFAULT).
 */
struct ipcmbox_msg *ipcmbox_msg_new(struct ipcmbox_xfer *x, size_t len)
{
	struct ipcmbox_msg *msg = ipcmbox_msg_alloc(x, len, len);

	if (!msg)
		return ERR_PTR(-ENOMEM);
	if (!copy_from_iter_full(msg->data, len, x->iter)) {
		kvfree(msg);
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
	struct ipcmbox_msg *msg = ipcmbox_msg_alloc(x, len, 0);
	int ret;

	if (!msg)
		return ERR_PTR(-ENOMEM);
	ret = ipcmbox_chunk_take(mb->region, x->file, x->ref_offset, len,
				 &msg->chunk);
	if (ret) {
		kvfree(msg);
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
	put_pid(msg->tgid);
	put_pid(msg->pid);
	kvfree(msg);
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
