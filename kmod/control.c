// SPDX-License-Identifier: GPL-2.0-only
/*
 * /dev/ipcmbox/control: the node through which mailboxes are managed.
 */
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/ipcmbox.h>

#include "ipcmbox.h"
#include "mbox.h"

static struct device *ipcmbox_control_dev;

static long ipcmbox_ioctl_info(struct ipcmbox_info __user *uarg)
{
	struct ipcmbox_info info;
	u32 usize;
	int ret;

	if (get_user(usize, &uarg->size))
		return -EFAULT;
	if (usize < IPCMBOX_INFO_SIZE_VER0)
		return -EINVAL;
	ret = copy_struct_from_user(&info, sizeof(info), uarg, usize);
	if (ret)
		return ret;
	/* The size was read twice; a caller racing with itself gets EINVAL. */
	if (info.size != usize)
		return -EINVAL;
	info.size = 0;
	if (memchr_inv(&info, 0, sizeof(info)))
		return -EINVAL;

	info = (struct ipcmbox_info) {
		.size		= min_t(u32, usize, sizeof(info)),
		.abi_version	= IPCMBOX_ABI_VERSION,
		.features	= 0,
		.max_mailboxes	= ipcmbox_max_mailboxes,
		.nr_mailboxes	= ipcmbox_mbox_count(),
		.name_max	= IPCMBOX_NAME_MAX,
	};
	if (copy_to_user(uarg, &info, info.size))
		return -EFAULT;
	return 0;
}

static long ipcmbox_control_ioctl(struct file *file, unsigned int cmd,
				  unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case IPCMBOX_IOC_INFO:
		return ipcmbox_ioctl_info(uarg);
	default:
		return -ENOTTY;
	}
}

static int ipcmbox_control_open(struct inode *inode, struct file *file)
{
	return nonseekable_open(inode, file);
}

const struct file_operations ipcmbox_control_fops = {
	.owner		= THIS_MODULE,
	.open		= ipcmbox_control_open,
	.unlocked_ioctl	= ipcmbox_control_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

static char *ipcmbox_control_devnode(IPCMBOX_DEVNODE_CONST struct device *dev,
				     umode_t *mode, kuid_t *uid, kgid_t *gid)
{
	if (mode)
		*mode = 0666;
	return ipcmbox_node_path(dev);
}

static const struct device_type ipcmbox_control_type = {
	.name		= "ipcmbox_control",
	.devnode	= ipcmbox_control_devnode,
};

static void ipcmbox_control_release(struct device *dev)
{
	kfree(dev);
}

int ipcmbox_control_init(void)
{
	struct device *dev;
	int ret;

	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return -ENOMEM;
	device_initialize(dev);
	dev->release = ipcmbox_control_release;
	ret = ipcmbox_node_add(dev, IPCMBOX_CONTROL_MINOR,
			       &ipcmbox_control_type, "control");
	if (ret) {
		put_device(dev);
		return ret;
	}
	ipcmbox_control_dev = dev;
	return 0;
}

void ipcmbox_control_exit(void)
{
	device_unregister(ipcmbox_control_dev);
	ipcmbox_control_dev = NULL;
}
