// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-user accounting of the memory queued in unbounded mailboxes.
 *
 * Each message sent to an unbounded mailbox is charged, at its allocated
 * size, to the uid of the sending file's credentials until it is received
 * or dropped.  A send that would take a user past user_bytes_max fails
 * with ENOBUFS and queues nothing.  The memory itself is also charged to
 * the sender's memory cgroup (GFP_KERNEL_ACCOUNT).
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

struct ipcmbox_user {
	struct hlist_node node;
	kuid_t uid;
	u64 bytes;
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

/**
 * ipcmbox_quota_charge() - charge @bytes to @uid
 * @uid: the sender
 * @bytes: allocated size of the message
 *
 * Return: 0, -ENOBUFS over the limit, -ENOMEM.
 */
int ipcmbox_quota_charge(kuid_t uid, size_t bytes)
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
	if (u->bytes + bytes > READ_ONCE(ipcmbox_user_bytes_max)) {
		ret = -ENOBUFS;
		if (!u->bytes) {
			hash_del(&u->node);
			unused = u;
		}
	} else {
		u->bytes += bytes;
	}
	spin_unlock(&ipcmbox_users_lock);
	kfree(fresh);
	kfree(unused);
	return ret;
}

/* Returns @bytes charged by ipcmbox_quota_charge() to @uid. */
void ipcmbox_quota_uncharge(kuid_t uid, size_t bytes)
{
	struct ipcmbox_user *u, *unused = NULL;

	spin_lock(&ipcmbox_users_lock);
	u = ipcmbox_user_find(uid);
	if (!WARN_ON_ONCE(!u || u->bytes < bytes)) {
		u->bytes -= bytes;
		if (!u->bytes) {
			hash_del(&u->node);
			unused = u;
		}
	}
	spin_unlock(&ipcmbox_users_lock);
	kfree(unused);
}
