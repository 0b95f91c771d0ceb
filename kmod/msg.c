// SPDX-License-Identifier: GPL-2.0-only
/*
 * Messages: allocation with the sender's envelope, and the envelope as the
 * receiver sees it.
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
	const struct cred *cred = current_cred();
	struct ipcmbox_msg *msg;

	msg = kvmalloc(struct_size(msg, data, len),
		       GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!msg)
		return ERR_PTR(-ENOMEM);
	*msg = (struct ipcmbox_msg) {
		.len		= len,
		.type		= x->type,
		.priority	= x->priority,
		.uid		= cred->euid,
		.gid		= cred->egid,
	};
	INIT_LIST_HEAD(&msg->node);
	if (!copy_from_iter_full(msg->data, len, x->iter)) {
		kvfree(msg);
		return ERR_PTR(-EFAULT);
	}
	msg->stamp = ktime_get();
	msg->tgid = get_pid(task_tgid(current));
	msg->pid = get_pid(task_pid(current));
	return msg;
}

/* Frees a message nobody references any more, returning its charge. */
void ipcmbox_msg_free(struct ipcmbox_msg *msg)
{
	if (msg->charged)
		ipcmbox_quota_uncharge(msg->charged_uid, msg->charged);
	put_pid(msg->tgid);
	put_pid(msg->pid);
	kvfree(msg);
}

/* Fills the receive's output fields from @msg, as the caller sees them. */
void ipcmbox_msg_envelope(const struct ipcmbox_msg *msg,
			  struct ipcmbox_xfer *x)
{
	struct pid_namespace *pidns = task_active_pid_ns(current);
	struct user_namespace *userns = current_user_ns();

	x->msg_len = msg->len;
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
