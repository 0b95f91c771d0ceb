// SPDX-License-Identifier: GPL-2.0-only
/*
 * The mailboxes= module parameter: mailboxes created at load time.
 *
 *   insmod ipcmbox.ko mailboxes=jobs:64,sync:0,log:unbounded,frames:8:4M
 *
 * Each item is NAME, NAME:CAPACITY or NAME:CAPACITY:REGION, CAPACITY being
 * 0 (rendezvous), a message count, or "unbounded", and REGION the size of
 * a shared region in bytes with an optional K, M or G suffix.  The owner
 * is root, the group mailbox_group (a gid, default 0) and the mode
 * mailbox_mode, so that an administrator can let one group use them.  A
 * bad item fails the load.
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uidgid.h>
#include <linux/user_namespace.h>

#include "ipcmbox.h"
#include "mbox.h"

static char *mailboxes;
module_param(mailboxes, charp, 0444);
MODULE_PARM_DESC(mailboxes,
		 "Mailboxes to create at load: NAME[:0|N|unbounded[:REGION_BYTES]],...");

static ushort mailbox_mode = 0600;
module_param(mailbox_mode, ushort, 0444);
MODULE_PARM_DESC(mailbox_mode, "Mode of the mailboxes= nodes (default 0600)");

static uint mailbox_group;
module_param(mailbox_group, uint, 0444);
MODULE_PARM_DESC(mailbox_group, "Group id of the mailboxes= nodes (default 0)");

static int ipcmbox_param_capacity(const char *s, u32 *capacity)
{
	if (!strcmp(s, "unbounded")) {
		*capacity = IPCMBOX_UNBOUNDED;
		return 0;
	}
	if (kstrtou32(s, 10, capacity) || *capacity == IPCMBOX_UNBOUNDED)
		return -EINVAL;
	return 0;
}

static int ipcmbox_param_item(char *item, kgid_t gid)
{
	struct ipcmbox_mbox_config cfg = {
		.capacity	= IPCMBOX_DEFAULT_CAPACITY,
		.max_msg	= IPCMBOX_DEFAULT_MAX_MSG,
		.uid		= GLOBAL_ROOT_UID,
		.gid		= gid,
		.mode		= mailbox_mode,
	};
	char *cap = strchr(item, ':'), *region = NULL, *end;
	struct ipcmbox_mbox *mb;
	int ret = 0;

	if (cap) {
		*cap++ = '\0';
		region = strchr(cap, ':');
		if (region)
			*region++ = '\0';
		ret = ipcmbox_param_capacity(cap, &cfg.capacity);
	}
	if (!ret && region) {
		cfg.region_size = memparse(region, &end);
		if (*end || !cfg.region_size)
			ret = -EINVAL;
	}
	if (!ret) {
		cfg.name = item;
		cfg.max_bytes = ipcmbox_default_max_bytes(cfg.capacity,
							  cfg.max_msg);
		mb = ipcmbox_mbox_create(&cfg);
		ret = PTR_ERR_OR_ZERO(mb);
		if (!ret)
			ipcmbox_mbox_put(mb);
	}
	if (ret)
		pr_err("mailboxes: '%s%s%s%s%s': error %d\n", item,
		       cap ? ":" : "", cap ?: "", region ? ":" : "",
		       region ?: "", ret);
	return ret;
}

int ipcmbox_param_create_mailboxes(void)
{
	kgid_t gid = make_kgid(&init_user_ns, mailbox_group);
	char *list, *cur, *item;
	int ret = 0;

	if (!mailboxes || !*mailboxes)
		return 0;
	if (mailbox_mode & ~0777) {
		pr_err("mailbox_mode %#o has bits beyond 0777\n", mailbox_mode);
		return -EINVAL;
	}
	if (!gid_valid(gid)) {
		pr_err("mailbox_group %u is not a valid gid\n", mailbox_group);
		return -EINVAL;
	}
	list = kstrdup(mailboxes, GFP_KERNEL);
	if (!list)
		return -ENOMEM;
	cur = list;
	while ((item = strsep(&cur, ",")) != NULL) {
		ret = ipcmbox_param_item(item, gid);
		if (ret)
			break;
	}
	kfree(list);
	return ret;
}
