// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-user limits: the memory queued in unbounded mailboxes, and the number
 * of mailboxes a user has created through the control node.
 *
 * Each message sent to an unbounded mailbox is charged, at its allocated
 * size, to the uid of the sending file's credentials until it is received
 * or dropped.  A send that would take a user past user_bytes_max fails
 * with ENOBUFS and queues nothing.  The memory itself is also charged to
 * the sender's memory cgroup (GFP_KERNEL_ACCOUNT).
 *
 * Each mailbox created through IPCMBOX_IOC_CREATE or _PAIR counts against
 * the creator's uid (the control file's credentials) from creation until it
 * is freed; past user_mailboxes_max the creation fails with EDQUOT, unless
 * the creator has CAP_SYS_RESOURCE.
 */
#include <linux/hashtable.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "mbox.h"

static unsigned long ipcmbox_user_bytes_max = 64UL << 20;
module_param_named(user_bytes_max, ipcmbox_user_bytes_max, ulong, 0644);
MODULE_PARM_DESC(user_bytes_max,
		 "Bytes one user may have queued in unbounded mailboxes (default 64 MiB)");

static unsigned int ipcmbox_user_mailboxes_max = 256;
module_param_named(user_mailboxes_max, ipcmbox_user_mailboxes_max, uint,
		   0644);
MODULE_PARM_DESC(user_mailboxes_max,
		 "Mailboxes one user may have created (default 256; CAP_SYS_RESOURCE is exempt)");

struct ipcmbox_user {
	struct hlist_node node;
	kuid_t uid;
	u64 bytes;
	u32 mailboxes;
};

static DEFINE_SPINLOCK(ipcmbox_users_lock);
static DEFINE_HASHTABLE(ipcmbox_users, 6);

static struct ipcmbox_user *ipcmbox_user_find(kuid_t uid)
{
	struct ipcmbox_user *u;

	lockdep_assert_held(&ipcmbox_users_lock);
	hash_for_each_possible(ipcmbox_users, u, node, __kuid_val(uid))
		if (uid_eq(u->uid, uid))
			return u;
	return NULL;
}

/* Drops @u from the table when it accounts for nothing; returns it to free. */
static struct ipcmbox_user *ipcmbox_user_unused(struct ipcmbox_user *u)
{
	lockdep_assert_held(&ipcmbox_users_lock);
	if (u->bytes || u->mailboxes)
		return NULL;
	hash_del(&u->node);
	return u;
}

/*
 * Adds @bytes and @mailboxes to @uid's account if both stay within the
 * limits (@mbox_limit: the mailbox limit applies).  Return: 0, -ENOBUFS
 * (bytes), -EDQUOT (mailboxes), -ENOMEM.
 */
static int ipcmbox_quota_add(kuid_t uid, size_t bytes, u32 mailboxes,
			     bool mbox_limit)
{
	struct ipcmbox_user *u, *fresh = NULL, *unused = NULL;
	int ret = 0;

	for (;;) {
		spin_lock(&ipcmbox_users_lock);
		u = ipcmbox_user_find(uid);
		if (u || fresh)
			break;
		spin_unlock(&ipcmbox_users_lock);
		fresh = kzalloc(sizeof(*fresh), GFP_KERNEL_ACCOUNT);
		if (!fresh)
			return -ENOMEM;
		fresh->uid = uid;
	}
	if (!u) {
		u = fresh;
		fresh = NULL;
		hash_add(ipcmbox_users, &u->node, __kuid_val(uid));
	}
	if (u->bytes + bytes > READ_ONCE(ipcmbox_user_bytes_max))
		ret = -ENOBUFS;
	else if (mbox_limit && u->mailboxes + mailboxes >
		 READ_ONCE(ipcmbox_user_mailboxes_max))
		ret = -EDQUOT;
	if (ret) {
		unused = ipcmbox_user_unused(u);
	} else {
		u->bytes += bytes;
		u->mailboxes += mailboxes;
	}
	spin_unlock(&ipcmbox_users_lock);
	kfree(fresh);
	kfree(unused);
	return ret;
}

static void ipcmbox_quota_sub(kuid_t uid, size_t bytes, u32 mailboxes)
{
	struct ipcmbox_user *u, *unused = NULL;

	spin_lock(&ipcmbox_users_lock);
	u = ipcmbox_user_find(uid);
	if (!WARN_ON_ONCE(!u || u->bytes < bytes ||
			  u->mailboxes < mailboxes)) {
		u->bytes -= bytes;
		u->mailboxes -= mailboxes;
		unused = ipcmbox_user_unused(u);
	}
	spin_unlock(&ipcmbox_users_lock);
	kfree(unused);
}

/**
 * ipcmbox_quota_charge() - charge @bytes to @uid
 * @uid: the sender
 * @bytes: allocated size of the message
 *
 * Return: 0, -ENOBUFS over the limit, -ENOMEM.
 */
int ipcmbox_quota_charge(kuid_t uid, size_t bytes)
{
	return ipcmbox_quota_add(uid, bytes, 0, false);
}

/* Returns @bytes charged by ipcmbox_quota_charge() to @uid. */
void ipcmbox_quota_uncharge(kuid_t uid, size_t bytes)
{
	ipcmbox_quota_sub(uid, bytes, 0);
}

/**
 * ipcmbox_quota_mbox_charge() - count one more mailbox for @uid
 * @uid: the creator
 * @exempt: the creator has CAP_SYS_RESOURCE: counted, never refused
 *
 * Return: 0, -EDQUOT over user_mailboxes_max, -ENOMEM.
 */
int ipcmbox_quota_mbox_charge(kuid_t uid, bool exempt)
{
	return ipcmbox_quota_add(uid, 0, 1, !exempt);
}

void ipcmbox_quota_mbox_uncharge(kuid_t uid)
{
	ipcmbox_quota_sub(uid, 0, 1);
}
