// SPDX-License-Identifier: GPL-2.0-only
/*
 * Mailbox objects: creation, lookup by minor and by name, removal.
 *
 * Anonymous mailboxes (anon.c) are made here too but never listed: their
 * device is initialised for its reference count and never added.
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
#include "region.h"

static DEFINE_MUTEX(ipcmbox_registry_lock);
static DEFINE_XARRAY_ALLOC(ipcmbox_minors);
static DEFINE_HASHTABLE(ipcmbox_names, 10);
static unsigned int ipcmbox_nr_mailboxes;
/* Creation serial numbers: unique while the module is loaded. */
static atomic64_t ipcmbox_serial = ATOMIC64_INIT(0);

/*
 * Mailboxes come from a cache of their own: at 1,152 bytes (most of it the
 * struct device) a kmalloc() would round each up to 2 KiB.
 */
static struct kmem_cache *ipcmbox_mbox_cache;

int ipcmbox_mbox_cache_init(void)
{
	ipcmbox_mbox_cache = KMEM_CACHE(ipcmbox_mbox, SLAB_ACCOUNT);
	return ipcmbox_mbox_cache ? 0 : -ENOMEM;
}

/* After the last mailbox is freed: at unload, every one was removed. */
void ipcmbox_mbox_cache_exit(void)
{
	kmem_cache_destroy(ipcmbox_mbox_cache);
}

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
	.groups		= ipcmbox_mbox_groups,
};

static void ipcmbox_mbox_release(struct device *dev)
{
	struct ipcmbox_mbox *mb = to_mbox(dev);

	ipcmbox_queue_free(mb);
	ipcmbox_region_free(mb->region);
	put_pid(mb->send_tgid);
	put_pid(mb->recv_tgid);
	if (mb->charged)
		ipcmbox_quota_mbox_uncharge(mb->charged_uid);
	kmem_cache_free(ipcmbox_mbox_cache, mb);
}

bool ipcmbox_may_admin(const struct ipcmbox_mbox *mb, const struct file *file)
{
	return uid_eq(file->f_cred->euid, READ_ONCE(mb->uid)) ||
	       file_ns_capable(file, &init_user_ns, CAP_SYS_ADMIN);
}

/*
 * Whether @name may name a mailbox: 1-63 characters of [A-Za-z0-9._-],
 * not starting with '.', not "control".
 */
bool ipcmbox_name_valid(const char *name)
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

/* Lists @mb under @name with a node; registry lock held. */
static int ipcmbox_mbox_list(struct ipcmbox_mbox *mb, const char *name)
{
	u32 minor;
	int ret;

	lockdep_assert_held(&ipcmbox_registry_lock);
	if (ipcmbox_find_name(name))
		return -EEXIST;
	if (ipcmbox_nr_mailboxes >= ipcmbox_max_mailboxes)
		return -ENOSPC;
	ret = xa_alloc(&ipcmbox_minors, &minor, mb,
		       XA_LIMIT(1, IPCMBOX_MINORS - 1), GFP_KERNEL);
	if (ret)
		return ret;
	mb->minor = minor;
	ret = ipcmbox_node_add(&mb->dev, minor, &ipcmbox_mbox_type, name);
	if (ret) {
		xa_erase(&ipcmbox_minors, minor);
		return ret;
	}
	hash_add(ipcmbox_names, &mb->hnode,
		 full_name_hash(NULL, name, strlen(name)));
	WRITE_ONCE(ipcmbox_nr_mailboxes, ipcmbox_nr_mailboxes + 1);
	/* The registry's reference. */
	ipcmbox_mbox_get(mb);
	return 0;
}

/**
 * ipcmbox_mbox_create() - create a mailbox, and its node if named
 * @cfg: name (NULL: anonymous), capacity, limits, owner, mode; validated
 *
 * Return: the mailbox with a reference for the caller, or ERR_PTR of
 * -EINVAL (bad name, limits or region size), -EEXIST, -ENOSPC (too many
 * mailboxes), -EDQUOT (too many for the creator), -ENOBUFS (region bytes
 * over the creator's limit), -ENOMEM.
 */
struct ipcmbox_mbox *ipcmbox_mbox_create(const struct ipcmbox_mbox_config *cfg)
{
	struct ipcmbox_mbox *mb;
	int ret;

	if ((cfg->name && !ipcmbox_name_valid(cfg->name)) || !cfg->max_msg ||
	    cfg->max_msg > ipcmbox_max_msg_limit || cfg->mode & ~0777 ||
	    (ipcmbox_cap_bounded(cfg->capacity) ?
	     cfg->max_bytes < cfg->max_msg : cfg->max_bytes) ||
	    (cfg->region_size && ipcmbox_region_check_size(cfg->region_size)))
		return ERR_PTR(-EINVAL);

	mb = kmem_cache_zalloc(ipcmbox_mbox_cache, GFP_KERNEL_ACCOUNT);
	if (!mb)
		return ERR_PTR(-ENOMEM);
	ipcmbox_queue_init(mb);
	mb->serial = atomic64_inc_return(&ipcmbox_serial);
	mb->capacity = cfg->capacity;
	mb->max_msg = cfg->max_msg;
	mb->max_bytes = cfg->max_bytes;
	mb->max_bytes_set = cfg->max_bytes_set;
	mb->uid = cfg->uid;
	mb->gid = cfg->gid;
	mb->mode = cfg->mode;
	mb->change_time = ipcmbox_now();
	mb->anon = !cfg->name;
	device_initialize(&mb->dev);
	mb->dev.release = ipcmbox_mbox_release;

	if (cfg->charge) {
		ret = ipcmbox_quota_mbox_charge(cfg->uid, cfg->exempt);
		if (ret)
			goto err_put;
		mb->charged = true;
		mb->charged_uid = cfg->uid;
	}
	if (cfg->region_size) {
		mb->region = ipcmbox_region_new(cfg->region_size, cfg->uid,
						cfg->charge, cfg->exempt);
		if (IS_ERR(mb->region)) {
			ret = PTR_ERR(mb->region);
			mb->region = NULL;
			goto err_put;
		}
	}
	if (cfg->name) {
		mutex_lock(&ipcmbox_registry_lock);
		ret = ipcmbox_mbox_list(mb, cfg->name);
		mutex_unlock(&ipcmbox_registry_lock);
		if (ret)
			goto err_put;
	}
	return mb;

err_put:
	put_device(&mb->dev);
	return ERR_PTR(ret);
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
 * ipcmbox_mbox_remove() - IPCMBOX_IOC_REMOVE: remove the mailbox @name
 * @name: its name, checked for NUL termination by the caller
 * @file: the control file; only the owner or CAP_SYS_ADMIN may remove
 *
 * The node disappears at once; open fds see EIDRM.
 *
 * Return: 0, -EINVAL (bad name), -ENOENT, -EPERM.
 */
int ipcmbox_mbox_remove(const char *name, const struct file *file)
{
	struct ipcmbox_mbox *mb;
	int ret = 0;

	if (!ipcmbox_name_valid(name))
		return -EINVAL;
	mutex_lock(&ipcmbox_registry_lock);
	mb = ipcmbox_find_name(name);
	if (!mb)
		ret = -ENOENT;
	else if (!ipcmbox_may_admin(mb, file))
		ret = -EPERM;
	else
		ipcmbox_mbox_unlist(mb);
	mutex_unlock(&ipcmbox_registry_lock);
	if (!ret)
		ipcmbox_mbox_put(mb);
	return ret;
}

/*
 * ipcmbox_mbox_withdraw() - undo the listing of a mailbox just created
 * @mb: the mailbox, referenced by the caller
 *
 * For a create that fails after ipcmbox_mbox_create(): takes @mb out of
 * the registry, as a removal would, unless someone removed it meanwhile.
 * By identity, so a mailbox of the same name made since is left alone.
 */
void ipcmbox_mbox_withdraw(struct ipcmbox_mbox *mb)
{
	bool listed;

	mutex_lock(&ipcmbox_registry_lock);
	listed = !hlist_unhashed(&mb->hnode);
	if (listed)
		ipcmbox_mbox_unlist(mb);
	mutex_unlock(&ipcmbox_registry_lock);
	if (listed)
		ipcmbox_mbox_put(mb);
}

/* The mailbox named @name, referenced, or NULL. */
struct ipcmbox_mbox *ipcmbox_mbox_get_name(const char *name)
{
	struct ipcmbox_mbox *mb;

	mutex_lock(&ipcmbox_registry_lock);
	mb = ipcmbox_find_name(name);
	if (mb)
		ipcmbox_mbox_get(mb);
	mutex_unlock(&ipcmbox_registry_lock);
	return mb;
}

/* The listed mailbox with the lowest id above *@id, referenced, or NULL. */
struct ipcmbox_mbox *ipcmbox_mbox_get_next(u32 *id)
{
	unsigned long index = *id;
	struct ipcmbox_mbox *mb;

	mutex_lock(&ipcmbox_registry_lock);
	mb = xa_find_after(&ipcmbox_minors, &index, IPCMBOX_MINORS - 1,
			   XA_PRESENT);
	if (mb) {
		ipcmbox_mbox_get(mb);
		*id = index;
	}
	mutex_unlock(&ipcmbox_registry_lock);
	return mb;
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
