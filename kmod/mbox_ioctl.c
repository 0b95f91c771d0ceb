// SPDX-License-Identifier: GPL-2.0-only
/*
 * ioctls on a mailbox fd: IPCMBOX_IOC_STAT, _CONFIG, FIONREAD (length of
 * the next message), and the dispatch of the others: _SEND and _RECV
 * (io_ioctl.c), _SEND_BATCH and _RECV_BATCH (batch.c), and the
 * shared-region calls _ALLOC, _RELEASE (chunk.c) and _REGION_FD (region.c).
 *
 * Every structure is copied in once with ipcmbox_get_struct() and fully
 * validated before the mailbox is touched: unknown flags, out-of-range
 * values, output fields and reserved fields that are not zero fail with
 * EINVAL and change nothing.
 */
#include <linux/fs.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/ioctls.h>

#include "mbox.h"
#include "region.h"

/* Fills @st from @mb, as the caller sees owner and group. */
void ipcmbox_fill_stat(struct ipcmbox_mbox *mb, struct ipcmbox_stat *st)
{
	struct user_namespace *ns = current_user_ns();
	time64_t now;

	mutex_lock(&mb->lock);
	st->id = mb->minor;
	st->state = (mb->anon ? IPCMBOX_STATE_ANON : 0) |
		    (mb->dead ? IPCMBOX_STATE_REMOVED : 0) |
		    (mb->anon && !mb->writers ? IPCMBOX_STATE_NO_SENDERS : 0) |
		    (mb->anon && !mb->readers ? IPCMBOX_STATE_NO_RECEIVERS : 0);
	st->capacity = mb->capacity;
	st->max_msg = mb->max_msg;
	st->max_bytes = mb->max_bytes;
	st->mode = mb->mode;
	st->uid = from_kuid_munged(ns, mb->uid);
	st->gid = from_kgid_munged(ns, mb->gid);
	st->depth = mb->depth;
	st->depth_high = mb->depth_high;
	st->bytes = mb->bytes;
	st->bytes_high = mb->bytes_high;
	st->recv_waiting = mb->nr_receivers + mb->nr_peekers;
	st->send_waiting = mb->nr_senders + mb->nr_batchers;
	st->next_len = ipcmbox_next_len(mb);
	st->sent = mb->sent;
	st->received = mb->received;
	st->send_failed = atomic64_read(&mb->send_failed);
	st->recv_failed = atomic64_read(&mb->recv_failed);
	st->serial = mb->serial;
	st->region_size = ipcmbox_region_size(mb->region);
	st->region_used = ipcmbox_chunk_used(mb->region);
	st->send_pid = pid_vnr(mb->send_tgid);
	st->recv_pid = pid_vnr(mb->recv_tgid);
	now = ipcmbox_now();
	st->send_time = ipcmbox_when(mb->send_jiffies, now);
	st->recv_time = ipcmbox_when(mb->recv_jiffies, now);
	st->change_time = mb->change_time;
	mutex_unlock(&mb->lock);
	if (!mb->anon)
		strscpy(st->name, dev_name(&mb->dev), sizeof(st->name));
}

static long ipcmbox_ioctl_stat(struct file *file,
			       struct ipcmbox_stat __user *uarg)
{
	struct ipcmbox_stat st;
	u32 usize;
	int ret;

	ret = ipcmbox_get_struct(&st, sizeof(st), uarg,
				 IPCMBOX_STAT_SIZE_VER0);
	if (ret)
		return ret;
	usize = st.size;
	st.size = 0;
	if (memchr_inv(&st, 0, sizeof(st)))
		return -EINVAL;
	ipcmbox_fill_stat(file->private_data, &st);
	return ipcmbox_put_struct(uarg, &st, sizeof(st), usize);
}

static long ipcmbox_ioctl_config(struct file *file,
				 struct ipcmbox_config __user *uarg)
{
	struct ipcmbox_mbox *mb = file->private_data;
	struct ipcmbox_config c;
	int ret;

	ret = ipcmbox_get_struct(&c, sizeof(c), uarg,
				 IPCMBOX_CONFIG_SIZE_VER0);
	if (ret)
		return ret;
	if (c.set & ~(IPCMBOX_SET_CAPACITY | IPCMBOX_SET_MAX_MSG |
		      IPCMBOX_SET_MAX_BYTES) ||
	    memchr_inv(c.reserved, 0, sizeof(c.reserved)))
		return -EINVAL;
	if (!(c.set & IPCMBOX_SET_CAPACITY) && c.capacity)
		return -EINVAL;
	if (!(c.set & IPCMBOX_SET_MAX_MSG) && c.max_msg)
		return -EINVAL;
	if (!(c.set & IPCMBOX_SET_MAX_BYTES) && c.max_bytes)
		return -EINVAL;
	if (!ipcmbox_may_admin(mb, file))
		return -EPERM;
	return ipcmbox_configure(mb, &c);
}

/* FIONREAD: the length of the next message, 0 when none (like UDP). */
static long ipcmbox_ioctl_nread(struct file *file, int __user *uarg)
{
	struct ipcmbox_mbox *mb = file->private_data;
	int len;

	if (!(file->f_mode & FMODE_READ))
		return -EBADF;
	mutex_lock(&mb->lock);
	len = ipcmbox_next_len(mb);
	mutex_unlock(&mb->lock);
	return put_user(len, uarg);
}

long ipcmbox_mbox_ioctl(struct file *file, unsigned int cmd,
			unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case IPCMBOX_IOC_SEND:
		return ipcmbox_ioctl_io(file, uarg, true, false);
	case IPCMBOX_IOC_RECV:
		return ipcmbox_ioctl_io(file, uarg, false, false);
	case IPCMBOX_IOC_SEND_BATCH:
		return ipcmbox_ioctl_batch(file, uarg, true, false);
	case IPCMBOX_IOC_RECV_BATCH:
		return ipcmbox_ioctl_batch(file, uarg, false, false);
	case IPCMBOX_IOC_STAT:
		return ipcmbox_ioctl_stat(file, uarg);
	case IPCMBOX_IOC_CONFIG:
		return ipcmbox_ioctl_config(file, uarg);
	case IPCMBOX_IOC_SET_OWNER:
		return ipcmbox_ioctl_set_owner(file, uarg);
	case FIONREAD:
		return ipcmbox_ioctl_nread(file, uarg);
	case IPCMBOX_IOC_ALLOC:
		return ipcmbox_ioctl_alloc(file, uarg);
	case IPCMBOX_IOC_RELEASE:
		return ipcmbox_ioctl_release(file, uarg);
	case IPCMBOX_IOC_REGION_FD:
		return ipcmbox_ioctl_region_fd(file, uarg);
	default:
		return -ENOTTY;
	}
}
