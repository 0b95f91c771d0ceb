// SPDX-License-Identifier: GPL-2.0-only
/*
 * IPCMBOX_IOC_SET_OWNER: the owner of a named mailbox (or CAP_SYS_ADMIN)
 * gives it another owner, group or mode, as msgctl(IPC_SET) does for a
 * SysV queue.
 *
 * A named mailbox's permissions live in two places: the module's record
 * (what stat reports, and whom removal and reconfiguration answer to) and
 * the inode of its node, which the VFS checks at open.  The call changes
 * both, the inode first: the fd must have been opened through the node,
 * so that file_inode() is that inode.  notify_change() runs with
 * ATTR_FORCE because the permission check is the module's own (the
 * owner may hand the mailbox to any user and group, as with IPC_SET,
 * which chown(2) would refuse); the inode lock serialises two callers,
 * and the record is written under it and mb->lock.  If the inode cannot
 * be changed, the record is not either.
 */
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "mbox.h"

/* The new attributes, checked and mapped into kernel ids. */
struct ipcmbox_owner_change {
	unsigned int set;
	kuid_t uid;
	kgid_t gid;
	umode_t mode;
};

static int ipcmbox_owner_decode(const struct ipcmbox_owner *o,
				struct ipcmbox_owner_change *c)
{
	struct user_namespace *ns = current_user_ns();
	const u32 known = IPCMBOX_SET_UID | IPCMBOX_SET_GID | IPCMBOX_SET_MODE;

	if (!o->set || o->set & ~known || o->reserved)
		return -EINVAL;
	if ((!(o->set & IPCMBOX_SET_UID) && o->uid) ||
	    (!(o->set & IPCMBOX_SET_GID) && o->gid) ||
	    (!(o->set & IPCMBOX_SET_MODE) && o->mode) || o->mode & ~0777)
		return -EINVAL;
	c->set = o->set;
	c->uid = make_kuid(ns, o->uid);
	c->gid = make_kgid(ns, o->gid);
	c->mode = o->mode;
	if ((c->set & IPCMBOX_SET_UID && !uid_valid(c->uid)) ||
	    (c->set & IPCMBOX_SET_GID && !gid_valid(c->gid)))
		return -EINVAL;
	return 0;
}

/* Whether @file was opened through @mb's node (not a PAIR or CREATE fd). */
static bool ipcmbox_on_node(const struct ipcmbox_mbox *mb,
			    const struct file *file)
{
	const struct inode *inode = file_inode(file);

	/*
	 * Without the inode lock: a concurrent change of this node's mode
	 * rewrites i_mode, but never its file type bits, which are all that
	 * is looked at (as the VFS's own S_ISREG() tests do).
	 */
	return !mb->anon && S_ISCHR(data_race(inode->i_mode)) &&
	       inode->i_rdev == mb->dev.devt;
}

/* Changes the node's inode; called with its lock held. */
static int ipcmbox_owner_inode(struct file *file,
			       const struct ipcmbox_owner_change *c)
{
	struct dentry *dentry = file->f_path.dentry;
	struct inode *inode = d_inode(dentry);
	struct iattr attr = { .ia_valid = ATTR_CTIME | ATTR_FORCE };

	if (c->set & IPCMBOX_SET_MODE) {
		attr.ia_valid |= ATTR_MODE;
		attr.ia_mode = c->mode | (inode->i_mode & S_IFMT);
	}
	if (c->set & IPCMBOX_SET_UID) {
		attr.ia_valid |= ATTR_UID;
		attr.ia_vfsuid = make_vfsuid(ipcmbox_file_idmap(file),
					     i_user_ns(inode), c->uid);
	}
	if (c->set & IPCMBOX_SET_GID) {
		attr.ia_valid |= ATTR_GID;
		attr.ia_vfsgid = make_vfsgid(ipcmbox_file_idmap(file),
					     i_user_ns(inode), c->gid);
	}
	return notify_change(ipcmbox_file_idmap(file), dentry, &attr, NULL);
}

static void ipcmbox_owner_record(struct ipcmbox_mbox *mb,
				 const struct ipcmbox_owner_change *c)
{
	mutex_lock(&mb->lock);
	if (c->set & IPCMBOX_SET_UID)
		WRITE_ONCE(mb->uid, c->uid);
	if (c->set & IPCMBOX_SET_GID)
		mb->gid = c->gid;
	if (c->set & IPCMBOX_SET_MODE)
		mb->mode = c->mode;
	mb->change_time = ipcmbox_now();
	mutex_unlock(&mb->lock);
}

/**
 * ipcmbox_ioctl_set_owner() - IPCMBOX_IOC_SET_OWNER
 * @file: a mailbox fd opened through the mailbox's node
 * @uarg: struct ipcmbox_owner
 *
 * Return: 0; -EINVAL (bad structure, ids that do not map, mode above
 * 0777, an anonymous mailbox or an fd not opened through the node),
 * -EPERM (neither the owner nor CAP_SYS_ADMIN), -EIDRM (removed),
 * -EFAULT, -E2BIG, or what notify_change() returns (e.g. -EROFS).
 */
long ipcmbox_ioctl_set_owner(struct file *file,
			     struct ipcmbox_owner __user *uarg)
{
	struct ipcmbox_mbox *mb = file->private_data;
	struct ipcmbox_owner_change c;
	struct ipcmbox_owner o;
	struct inode *inode;
	int ret;

	ret = ipcmbox_get_struct(&o, sizeof(o), uarg, IPCMBOX_OWNER_SIZE_VER0);
	if (ret)
		return ret;
	ret = ipcmbox_owner_decode(&o, &c);
	if (ret)
		return ret;
	if (!ipcmbox_on_node(mb, file))
		return -EINVAL;

	ret = mnt_want_write(file->f_path.mnt);
	if (ret)
		return ret;
	inode = file_inode(file);
	inode_lock(inode);
	/* Checked under the lock: a concurrent change of owner is seen. */
	if (!ipcmbox_may_admin(mb, file))
		ret = -EPERM;
	else if (READ_ONCE(mb->dead))
		ret = -EIDRM;
	else
		ret = ipcmbox_owner_inode(file, &c);
	if (!ret)
		ipcmbox_owner_record(mb, &c);
	inode_unlock(inode);
	mnt_drop_write(file->f_path.mnt);
	return ret;
}
