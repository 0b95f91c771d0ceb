// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ipcmbox character-device region and device class.
 *
 * Every node under /dev/ipcmbox/ belongs to one cdev.  open() chooses the
 * file_operations of the node type by minor and swaps them in, as the misc
 * core does, so each node type keeps its own small fops table and the
 * module reference taken for the file follows the new table.
 */
#include <linux/cdev.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/pm.h>
#include <linux/slab.h>

#include "ipcmbox.h"
#include "mbox.h"

static dev_t ipcmbox_devt;
static struct cdev ipcmbox_cdev;
static struct class *ipcmbox_class;

static int ipcmbox_chrdev_open(struct inode *inode, struct file *file)
{
	const struct file_operations *fops;

	switch (iminor(inode)) {
	case IPCMBOX_CONTROL_MINOR:
		fops = &ipcmbox_control_fops;
		break;
	default:
		fops = &ipcmbox_mbox_fops;
		break;
	}
	fops = fops_get(fops);
	if (!fops)
		return -ENODEV;
	replace_fops(file, fops);
	if (file->f_op->open)
		return file->f_op->open(inode, file);
	return 0;
}

static const struct file_operations ipcmbox_chrdev_fops = {
	.owner	= THIS_MODULE,
	.open	= ipcmbox_chrdev_open,
	.llseek	= noop_llseek,
};

/**
 * ipcmbox_node_path() - devtmpfs path of an ipcmbox node
 * @dev: the node's device
 *
 * For device_type.devnode callbacks: every node lives in /dev/ipcmbox/.
 * The driver core ignores a NULL here: devtmpfs would then silently make
 * no node for a mailbox that exists, or, worse, leave the node of a
 * removed one behind for the next mailbox that gets its minor.  The string
 * is a few dozen bytes, so it is allocated with __GFP_NOFAIL (found by
 * fail-nth injection in fault_test).
 *
 * Return: a kmalloc'ed path relative to /dev.
 */
char *ipcmbox_node_path(IPCMBOX_DEVNODE_CONST struct device *dev)
{
	return kasprintf(GFP_KERNEL | __GFP_NOFAIL, "ipcmbox/%s", dev_name(dev));
}

/**
 * ipcmbox_node_add() - make a device node visible
 * @dev: device set up with device_initialize() and a release callback
 * @minor: minor number inside the ipcmbox region
 * @type: device type; its devnode callback sets the node's mode and owner
 * @name: node name below /dev/ipcmbox/
 *
 * On failure the caller still owns @dev and drops it with put_device().
 *
 * Return: 0 or a negative errno.
 */
int ipcmbox_node_add(struct device *dev, unsigned int minor,
		     const struct device_type *type, const char *name)
{
	int ret;

	if (minor >= IPCMBOX_MINORS)
		return -EINVAL;
	dev->class = ipcmbox_class;
	dev->type = type;
	dev->devt = MKDEV(MAJOR(ipcmbox_devt), minor);
	/*
	 * No power management: without it the driver core makes no power/
	 * directory (six sysfs files, about 1 KiB per mailbox).
	 */
	device_set_pm_not_required(dev);
	ret = dev_set_name(dev, "%s", name);
	if (ret)
		return ret;
	return device_add(dev);
}

int ipcmbox_chrdev_init(void)
{
	int ret;

	ret = alloc_chrdev_region(&ipcmbox_devt, 0, IPCMBOX_MINORS, "ipcmbox");
	if (ret)
		return ret;

	cdev_init(&ipcmbox_cdev, &ipcmbox_chrdev_fops);
	ipcmbox_cdev.owner = THIS_MODULE;
	ret = cdev_add(&ipcmbox_cdev, ipcmbox_devt, IPCMBOX_MINORS);
	if (ret)
		goto err_region;

	ipcmbox_class = ipcmbox_class_create("ipcmbox");
	if (IS_ERR(ipcmbox_class)) {
		ret = PTR_ERR(ipcmbox_class);
		goto err_cdev;
	}
	return 0;

err_cdev:
	cdev_del(&ipcmbox_cdev);
err_region:
	unregister_chrdev_region(ipcmbox_devt, IPCMBOX_MINORS);
	return ret;
}

void ipcmbox_chrdev_exit(void)
{
	class_destroy(ipcmbox_class);
	cdev_del(&ipcmbox_cdev);
	unregister_chrdev_region(ipcmbox_devt, IPCMBOX_MINORS);
}
