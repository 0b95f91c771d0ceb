// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-user limits: the memory queued in unbounded mailboxes, the memory of
 * shared regions, and the number of mailboxes a user has created through
 * the control node.
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
 *
 * Each shared region counts, at its size in whole pages, against its
 * creator's uid from creation until it is freed; past user_region_bytes_max
 * the creation fails with ENOBUFS, unless the creator has CAP_SYS_RESOURCE.
 * The pages are charged to the creator's memory cgroup as well.
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

static unsigned long ipcmbox_user_region_bytes_max = 256UL << 20;
module_param_named(user_region_bytes_max, ipcmbox_user_region_bytes_max,
		   ulong, 0644);
MODULE_PARM_DESC(user_region_bytes_max,
		 "Bytes of shared regions one user may have created (default 256 MiB; CAP_SYS_RESOURCE is exempt)");

/* What one user is charged with; each limit applies to its own field. */
struct ipcmbox_charge {
	u64 bytes;
	u64 region_bytes;
	u32 mailboxes;
};

struct ipcmbox_user {
	struct hlist_node node;
	kuid_t uid;
	struct ipcmbox_charge c;
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
	if (u->c.bytes || u->c.region_bytes || u->c.mailboxes)
		return NULL;
	hash_del(&u->node);
	return u;
}

/*
 * Adds @add to @uid's account if it stays within the limits; the region
 * and mailbox limits apply only when @limit.  Return: 0, -ENOBUFS (bytes,
 * region bytes), -EDQUOT (mailboxes), -ENOMEM.
 */
static int ipcmbox_quota_add(kuid_t uid, const struct ipcmbox_charge *add,
			     bool limit)
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
	/*
	 * Only the limits of what is added apply, so a lowered one does not
	 * refuse charges of another kind.
	 */
	if (add->bytes &&
	    u->c.bytes + add->bytes > READ_ONCE(ipcmbox_user_bytes_max))
		ret = -ENOBUFS;
	else if (limit && add->region_bytes && u->c.region_bytes +
		 add->region_bytes > READ_ONCE(ipcmbox_user_region_bytes_max))
		ret = -ENOBUFS;
	else if (limit && add->mailboxes && u->c.mailboxes + add->mailboxes >
		 READ_ONCE(ipcmbox_user_mailboxes_max))
		ret = -EDQUOT;
	if (ret) {
		unused = ipcmbox_user_unused(u);
	} else {
		u->c.bytes += add->bytes;
		u->c.region_bytes += add->region_bytes;
		u->c.mailboxes += add->mailboxes;
	}
	spin_unlock(&ipcmbox_users_lock);
	kfree(fresh);
	kfree(unused);
	return ret;
}

static void ipcmbox_quota_sub(kuid_t uid, const struct ipcmbox_charge *sub)
{
	struct ipcmbox_user *u, *unused = NULL;

	spin_lock(&ipcmbox_users_lock);
	u = ipcmbox_user_find(uid);
	if (!WARN_ON_ONCE(!u || u->c.bytes < sub->bytes ||
			  u->c.region_bytes < sub->region_bytes ||
			  u->c.mailboxes < sub->mailboxes)) {
		u->c.bytes -= sub->bytes;
		u->c.region_bytes -= sub->region_bytes;
		u->c.mailboxes -= sub->mailboxes;
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
	struct ipcmbox_charge c = { .bytes = bytes };

	return ipcmbox_quota_add(uid, &c, false);
}

/* Returns @bytes charged by ipcmbox_quota_charge() to @uid. */
void ipcmbox_quota_uncharge(kuid_t uid, size_t bytes)
{
	struct ipcmbox_charge c = { .bytes = bytes };

	ipcmbox_quota_sub(uid, &c);
}

/**
 * ipcmbox_quota_region_charge() - count a new region of @bytes for @uid
 * @uid: the creator
 * @bytes: the region's size in whole pages
 * @exempt: the creator has CAP_SYS_RESOURCE: counted, never refused
 *
 * Return: 0, -ENOBUFS over user_region_bytes_max, -ENOMEM.
 */
int ipcmbox_quota_region_charge(kuid_t uid, u64 bytes, bool exempt)
{
	struct ipcmbox_charge c = { .region_bytes = bytes };

	return ipcmbox_quota_add(uid, &c, !exempt);
}

void ipcmbox_quota_region_uncharge(kuid_t uid, u64 bytes)
{
	struct ipcmbox_charge c = { .region_bytes = bytes };

	ipcmbox_quota_sub(uid, &c);
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
	struct ipcmbox_charge c = { .mailboxes = 1 };

	return ipcmbox_quota_add(uid, &c, !exempt);
}

void ipcmbox_quota_mbox_uncharge(kuid_t uid)
{
	struct ipcmbox_charge c = { .mailboxes = 1 };

	ipcmbox_quota_sub(uid, &c);
}
