// SPDX-License-Identifier: GPL-2.0-only
/*
 * ipcmbox: kernel-buffered mailboxes behind /dev/ipcmbox/.
 *
 * Module entry points and parameters.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#include "ipcmbox.h"
#include "mbox.h"

unsigned int ipcmbox_max_mailboxes = 16384;
module_param_named(max_mailboxes, ipcmbox_max_mailboxes, uint, 0444);
MODULE_PARM_DESC(max_mailboxes,
		 "Most mailboxes that may exist at once (1-65535, default 16384)");

unsigned int ipcmbox_max_msg_limit = 1U << 20;
module_param_named(msg_size_max, ipcmbox_max_msg_limit, uint, 0444);
MODULE_PARM_DESC(msg_size_max,
		 "Largest message size a mailbox may allow (bytes, default 1 MiB, at most 64 MiB)");

static int __init ipcmbox_init(void)
{
	int ret;

	if (ipcmbox_max_mailboxes < 1 ||
	    ipcmbox_max_mailboxes > IPCMBOX_MINORS - 1) {
		pr_err("max_mailboxes must be 1-%u\n", IPCMBOX_MINORS - 1);
		return -EINVAL;
	}
	if (ipcmbox_max_msg_limit < IPCMBOX_DEFAULT_MAX_MSG ||
	    ipcmbox_max_msg_limit > IPCMBOX_MSG_SIZE_LIMIT) {
		pr_err("msg_size_max must be %u-%u\n", IPCMBOX_DEFAULT_MAX_MSG,
		       IPCMBOX_MSG_SIZE_LIMIT);
		return -EINVAL;
	}

	ipcmbox_frag_setup();
	ret = ipcmbox_mbox_cache_init();
	if (ret)
		return ret;
	ret = ipcmbox_chrdev_init();
	if (ret)
		goto err_cache;
	ret = ipcmbox_control_init();
	if (ret)
		goto err_chrdev;
	ret = ipcmbox_param_create_mailboxes();
	if (ret)
		goto err_mailboxes;
	pr_info("version %s loaded\n", IPCMBOX_VERSION);
	return 0;

err_mailboxes:
	ipcmbox_mbox_remove_all();
	ipcmbox_control_exit();
err_chrdev:
	ipcmbox_chrdev_exit();
err_cache:
	ipcmbox_mbox_cache_exit();
	return ret;
}

static void __exit ipcmbox_exit(void)
{
	ipcmbox_mbox_remove_all();
	ipcmbox_control_exit();
	ipcmbox_chrdev_exit();
	ipcmbox_mbox_cache_exit();
	pr_info("unloaded\n");
}

module_init(ipcmbox_init);
module_exit(ipcmbox_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The ipcmbox authors");
MODULE_DESCRIPTION("Kernel-buffered mailboxes for inter-process communication");
MODULE_VERSION(IPCMBOX_VERSION);
