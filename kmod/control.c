// SPDX-License-Identifier: GPL-2.0-only
/*
 * /dev/ipcmbox/control: the node through which mailboxes are managed.
 */
#include <linux/file.h>
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

	ret = ipcmbox_get_struct(&info, sizeof(info), uarg,
				 IPCMBOX_INFO_SIZE_VER0);
	if (ret)
		return ret;
	usize = info.size;
	info.size = 0;
	if (memchr_inv(&info, 0, sizeof(info)))
		return -EINVAL;

	info = (struct ipcmbox_info) {
		.abi_version	= IPCMBOX_ABI_VERSION,
		.features	= IPCMBOX_FEAT_CREATE | IPCMBOX_FEAT_PAIR |
				  IPCMBOX_FEAT_MSG | IPCMBOX_FEAT_STAT |
				  IPCMBOX_FEAT_CONFIG | IPCMBOX_FEAT_REGION |
				  IPCMBOX_FEAT_BATCH | IPCMBOX_FEAT_URING_CMD |
				  IPCMBOX_FEAT_CREATE_OPEN | IPCMBOX_FEAT_OWNER |
				  IPCMBOX_FEAT_PACKED,
		.max_mailboxes	= ipcmbox_max_mailboxes,
		.nr_mailboxes	= ipcmbox_mbox_count(),
		.name_max	= IPCMBOX_NAME_MAX,
	};
	return ipcmbox_put_struct(uarg, &info, sizeof(info), usize);
}

/**
 * ipcmbox_create_decode() - a struct ipcmbox_create as a mailbox config
 * @c: the structure, copied in
 * @anon: for IPCMBOX_IOC_PAIR: no name, no mode
 * @ctl: the control file: owner, group and exemption come from its
 *	credentials
 * @cfg: out
 *
 * Limits not in @c->set take their defaults; fields not in @c->set must be
 * zero, and a region asked for must have a size.  The limits and the
 * region size themselves are checked by ipcmbox_mbox_create().
 *
 * Return: 0 or -EINVAL.
 */
int ipcmbox_create_decode(const struct ipcmbox_create *c, bool anon,
			  const struct file *ctl,
			  struct ipcmbox_mbox_config *cfg)
{
	u32 known = IPCMBOX_SET_CAPACITY | IPCMBOX_SET_MAX_MSG |
		    IPCMBOX_SET_MAX_BYTES | IPCMBOX_SET_REGION |
		    (anon ? 0 : IPCMBOX_SET_MODE);
	u32 open = IPCMBOX_CREATE_OPEN_RECV | IPCMBOX_CREATE_OPEN_SEND;
	const struct cred *cred = ctl->f_cred;

	/* PAIR checks its flags itself; CREATE's fd flags need an _OPEN_. */
	if (c->set & ~known || c->send_fd || c->recv_fd ||
	    (!anon && (c->flags & ~(open | IPCMBOX_CREATE_CLOEXEC |
				     IPCMBOX_CREATE_NONBLOCK) ||
		       (c->flags && !(c->flags & open)))) ||
	    memchr_inv(c->reserved, 0, sizeof(c->reserved)) ||
	    ipcmbox_check_name(c->name, sizeof(c->name), anon))
		return -EINVAL;
	if ((!(c->set & IPCMBOX_SET_CAPACITY) && c->capacity) ||
	    (!(c->set & IPCMBOX_SET_MAX_MSG) && c->max_msg) ||
	    (!(c->set & IPCMBOX_SET_MAX_BYTES) && c->max_bytes) ||
	    (!(c->set & IPCMBOX_SET_MODE) && c->mode) ||
	    (!(c->set & IPCMBOX_SET_REGION) && c->region_size) ||
	    ((c->set & IPCMBOX_SET_REGION) && !c->region_size))
		return -EINVAL;

	*cfg = (struct ipcmbox_mbox_config) {
		.name		= anon ? NULL : c->name,
		.capacity	= IPCMBOX_DEFAULT_CAPACITY,
		.max_msg	= min_t(u32, IPCMBOX_DEFAULT_MAX_MSG,
					ipcmbox_max_msg_limit),
		.uid		= cred->euid,
		.gid		= cred->egid,
		.mode		= IPCMBOX_DEFAULT_MODE,
		.charge		= true,
		.exempt		= file_ns_capable(ctl, &init_user_ns,
						  CAP_SYS_RESOURCE),
	};
	if (c->set & IPCMBOX_SET_CAPACITY)
		cfg->capacity = c->capacity;
	if (c->set & IPCMBOX_SET_MAX_MSG)
		cfg->max_msg = c->max_msg;
	if (c->set & IPCMBOX_SET_MODE)
		cfg->mode = c->mode;
	if (c->set & IPCMBOX_SET_REGION)
		cfg->region_size = c->region_size;
	cfg->max_bytes_set = c->set & IPCMBOX_SET_MAX_BYTES;
	if (cfg->max_bytes_set)
		cfg->max_bytes = c->max_bytes;
	else
		cfg->max_bytes = ipcmbox_default_max_bytes(cfg->capacity,
							   cfg->max_msg);
	return 0;
}

/*
 * IPCMBOX_IOC_CREATE, and with IPCMBOX_CREATE_OPEN_* an fd on the new
 * mailbox in the same call: the fd number is reserved first; if making the
 * file or writing the result back fails once the mailbox exists, the
 * mailbox is withdrawn (by identity, not by name), so the call either
 * creates and opens or leaves nothing behind.
 */
static long ipcmbox_ioctl_create(struct file *file,
				 struct ipcmbox_create __user *uarg)
{
	struct ipcmbox_mbox_config cfg;
	struct file *mfile = NULL;
	struct ipcmbox_create c;
	struct ipcmbox_mbox *mb;
	int ret, fd = -1, oflags = 0;

	ret = ipcmbox_get_struct(&c, sizeof(c), uarg,
				 IPCMBOX_CREATE_SIZE_VER0);
	if (ret)
		return ret;
	ret = ipcmbox_create_decode(&c, false, file, &cfg);
	if (ret)
		return ret;
	if (c.flags) {
		if (c.flags & IPCMBOX_CREATE_OPEN_RECV)
			oflags = c.flags & IPCMBOX_CREATE_OPEN_SEND ?
				 O_RDWR : O_RDONLY;
		else
			oflags = O_WRONLY;
		if (c.flags & IPCMBOX_CREATE_NONBLOCK)
			oflags |= O_NONBLOCK;
		fd = get_unused_fd_flags(c.flags & IPCMBOX_CREATE_CLOEXEC ?
					 O_CLOEXEC : 0);
		if (fd < 0)
			return fd;
	}
	mb = ipcmbox_mbox_create(&cfg);
	if (IS_ERR(mb)) {
		ret = PTR_ERR(mb);
		goto put_fd;
	}
	if (fd >= 0) {
		mfile = ipcmbox_mbox_file(mb, oflags);
		if (IS_ERR(mfile)) {
			ret = PTR_ERR(mfile);
			mfile = NULL;
			goto withdraw;
		}
		c.recv_fd = c.flags & IPCMBOX_CREATE_OPEN_RECV ? fd : -1;
		c.send_fd = c.flags & IPCMBOX_CREATE_OPEN_SEND ? fd : -1;
		if (ipcmbox_put_struct(uarg, &c, sizeof(c), c.size)) {
			ret = -EFAULT;
			goto withdraw;
		}
		fd_install(fd, mfile);
	}
	ipcmbox_mbox_put(mb);
	return 0;

withdraw:
	if (mfile)
		fput(mfile);
	ipcmbox_mbox_withdraw(mb);
	ipcmbox_mbox_put(mb);
put_fd:
	if (fd >= 0)
		put_unused_fd(fd);
	return ret;
}

static long ipcmbox_ioctl_remove(struct file *file,
				 struct ipcmbox_name __user *uarg)
{
	struct ipcmbox_name n;
	int ret;

	ret = ipcmbox_get_struct(&n, sizeof(n), uarg, IPCMBOX_NAME_SIZE_VER0);
	if (ret)
		return ret;
	if (n.flags || ipcmbox_check_name(n.name, sizeof(n.name), false))
		return -EINVAL;
	return ipcmbox_mbox_remove(n.name, file);
}

/*
 * IPCMBOX_IOC_STAT_NAME: any user may read any mailbox's attributes and
 * counters, as with /proc/sysvipc/msg; names are public in /dev anyway.
 */
static long ipcmbox_ioctl_stat_name(struct ipcmbox_stat __user *uarg)
{
	struct ipcmbox_mbox *mb;
	struct ipcmbox_stat st;
	bool next;
	u32 usize, id;
	int ret;

	ret = ipcmbox_get_struct(&st, sizeof(st), uarg,
				 IPCMBOX_STAT_SIZE_VER0);
	if (ret)
		return ret;
	usize = st.size;
	next = st.flags & IPCMBOX_STAT_NEXT;
	id = st.id;
	if (st.flags & ~IPCMBOX_STAT_NEXT ||
	    ipcmbox_check_name(st.name, sizeof(st.name), next))
		return -EINVAL;
	if (!next && id)
		return -EINVAL;
	if (next) {
		mb = ipcmbox_mbox_get_next(&id);
	} else {
		if (!ipcmbox_name_valid(st.name))
			return -EINVAL;
		mb = ipcmbox_mbox_get_name(st.name);
	}
	/* Every other field is output and must have been zero. */
	memset(st.name, 0, sizeof(st.name));
	st.size = 0;
	st.flags = 0;
	st.id = 0;
	if (memchr_inv(&st, 0, sizeof(st))) {
		ret = -EINVAL;
		goto out;
	}
	if (!mb)
		return -ENOENT;
	ipcmbox_fill_stat(mb, &st);
	st.flags = next ? IPCMBOX_STAT_NEXT : 0;
	ret = ipcmbox_put_struct(uarg, &st, sizeof(st), usize);
out:
	if (mb)
		ipcmbox_mbox_put(mb);
	return ret;
}

static long ipcmbox_control_ioctl(struct file *file, unsigned int cmd,
				  unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case IPCMBOX_IOC_INFO:
		return ipcmbox_ioctl_info(uarg);
	case IPCMBOX_IOC_CREATE:
		return ipcmbox_ioctl_create(file, uarg);
	case IPCMBOX_IOC_REMOVE:
		return ipcmbox_ioctl_remove(file, uarg);
	case IPCMBOX_IOC_PAIR:
		return ipcmbox_ioctl_pair(file, uarg);
	case IPCMBOX_IOC_STAT_NAME:
		return ipcmbox_ioctl_stat_name(uarg);
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
