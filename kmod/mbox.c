// SPDX-License-Identifier: GPL-2.0-only
/*
 * Mailbox objects: creation, lookup by minor and by name, removal.
 *
 * The registry maps minors to mailboxes (an xarray) and names to mailboxes
 * (a hash table), both under ipcmbox_registry_lock.  It holds one reference
 * on each mailbox it lists; removal takes the mailbox out of both maps,
 * deletes its node, marks its queue dead and drops that reference.  Open
 * files hold their own, so the mailbox is freed at the last close.
 */
#include <linux/ctype.h>
#include <linux/hashtable.h>
#include <linux/ipcmbox.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/xarray.h>

#include "ipcmbox.h"
#include "mbox.h"

static DEFINE_MUTEX(ipcmbox_registry_lock);
static DEFINE_XARRAY_ALLOC(ipcmbox_minors);
static DEFINE_HASHTABLE(ipcmbox_names, 10);
static unsigned int ipcmbox_nr_mailboxes;

static struct ipcmbox_mbox *to_mbox(IPCMBOX_DEVNODE_CONST struct device *dev)
{
	return container_of(dev, struct ipcmbox_mbox, dev);
}

static char *ipcmbox_mbox_devnode(IPCMBOX_DEVNODE_CONST struct device *dev,
				  umode_t *mode, kuid_t *uid, kgid_t *gid)
{
	const struct ipcmbox_mbox *mb = to_mbox(dev);

	if (mode)
		*mode = mb->mode;
	if (uid)
		*uid = mb->uid;
	if (gid)
		*gid = mb->gid;
	return ipcmbox_node_path(dev);
}

static const struct device_type ipcmbox_mbox_type = {
	.name		= "ipcmbox_mailbox",
	.devnode	= ipcmbox_mbox_devnode,
};

static void ipcmbox_mbox_release(struct device *dev)
{
	struct ipcmbox_mbox *mb = to_mbox(dev);

	ipcmbox_queue_free(mb);
	kfree(mb);
}

/*
 * Whether @name may name a mailbox: 1-63 characters of [A-Za-z0-9._-],
 * not starting with '.', not "control".
 */
static bool ipcmbox_name_valid(const char *name)
{
	size_t i, len = strnlen(name, IPCMBOX_NAME_MAX + 1);

	if (len == 0 || len > IPCMBOX_NAME_MAX || name[0] == '.')
		return false;
	for (i = 0; i < len; i++)
		if (!isalnum(name[i]) && !strchr("._-", name[i]))
			return false;
	return strcmp(name, "control") != 0;
}

static struct ipcmbox_mbox *ipcmbox_find_name(const char *name)
{
	struct ipcmbox_mbox *mb;

	lockdep_assert_held(&ipcmbox_registry_lock);
	hash_for_each_possible(ipcmbox_names, mb, hnode,
			       full_name_hash(NULL, name, strlen(name)))
		if (!strcmp(dev_name(&mb->dev), name))
			return mb;
	return NULL;
}

/**
 * ipcmbox_mbox_create() - create a named mailbox and its node
 * @cfg: name, capacity, limits, owner and mode; validated here
 *
 * Return: 0, or -EINVAL (bad name or limits), -EEXIST, -ENOSPC (too many
 * mailboxes), -ENOMEM.
 */
int ipcmbox_mbox_create(const struct ipcmbox_mbox_config *cfg)
{
	struct ipcmbox_mbox *mb;
	u32 minor;
	int ret;

	if (!ipcmbox_name_valid(cfg->name) || !cfg->max_msg ||
	    cfg->max_msg > ipcmbox_max_msg_limit ||
	    (cfg->capacity && cfg->capacity != IPCMBOX_UNBOUNDED &&
	     cfg->max_bytes < cfg->max_msg))
		return -EINVAL;

	mb = kzalloc(sizeof(*mb), GFP_KERNEL_ACCOUNT);
	if (!mb)
		return -ENOMEM;
	ipcmbox_queue_init(mb);
	mb->capacity = cfg->capacity;
	mb->max_msg = cfg->max_msg;
	mb->max_bytes = cfg->max_bytes;
	mb->uid = cfg->uid;
	mb->gid = cfg->gid;
	mb->mode = cfg->mode & 0777;
	device_initialize(&mb->dev);
	mb->dev.release = ipcmbox_mbox_release;

	mutex_lock(&ipcmbox_registry_lock);
	ret = -EEXIST;
	if (ipcmbox_find_name(cfg->name))
		goto err_unlock;
	ret = -ENOSPC;
	if (ipcmbox_nr_mailboxes >= ipcmbox_max_mailboxes)
		goto err_unlock;
	ret = xa_alloc(&ipcmbox_minors, &minor, mb,
		       XA_LIMIT(1, IPCMBOX_MINORS - 1), GFP_KERNEL);
	if (ret)
		goto err_unlock;
	mb->minor = minor;
	ret = ipcmbox_node_add(&mb->dev, minor, &ipcmbox_mbox_type, cfg->name);
	if (ret)
		goto err_erase;
	hash_add(ipcmbox_names, &mb->hnode,
		 full_name_hash(NULL, cfg->name, strlen(cfg->name)));
	WRITE_ONCE(ipcmbox_nr_mailboxes, ipcmbox_nr_mailboxes + 1);
	mutex_unlock(&ipcmbox_registry_lock);
	return 0;

err_erase:
	xa_erase(&ipcmbox_minors, minor);
err_unlock:
	mutex_unlock(&ipcmbox_registry_lock);
	put_device(&mb->dev);
	return ret;
}

/* Takes @mb out of the registry; registry lock held. */
static void ipcmbox_mbox_unlist(struct ipcmbox_mbox *mb)
{
	lockdep_assert_held(&ipcmbox_registry_lock);
	hash_del(&mb->hnode);
	xa_erase(&ipcmbox_minors, mb->minor);
	WRITE_ONCE(ipcmbox_nr_mailboxes, ipcmbox_nr_mailboxes - 1);
	device_del(&mb->dev);
	ipcmbox_queue_kill(mb);
}

/**
 * ipcmbox_mbox_get_minor() - the mailbox behind a minor, referenced
 * @minor: minor number of an opened node
 *
 * Return: the mailbox with a reference the caller drops with
 * ipcmbox_mbox_put(), or NULL when none (removed meanwhile).
 */
struct ipcmbox_mbox *ipcmbox_mbox_get_minor(unsigned int minor)
{
	struct ipcmbox_mbox *mb;

	mutex_lock(&ipcmbox_registry_lock);
	mb = xa_load(&ipcmbox_minors, minor);
	if (mb)
		ipcmbox_mbox_get(mb);
	mutex_unlock(&ipcmbox_registry_lock);
	return mb;
}

unsigned int ipcmbox_mbox_count(void)
{
	return READ_ONCE(ipcmbox_nr_mailboxes);
}

/* Removes every mailbox; module exit, when no file can be open. */
void ipcmbox_mbox_remove_all(void)
{
	struct ipcmbox_mbox *mb;
	unsigned long minor;

	mutex_lock(&ipcmbox_registry_lock);
	xa_for_each(&ipcmbox_minors, minor, mb) {
		ipcmbox_mbox_unlist(mb);
		ipcmbox_mbox_put(mb);
	}
	mutex_unlock(&ipcmbox_registry_lock);
}
