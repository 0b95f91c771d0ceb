// SPDX-License-Identifier: GPL-2.0-only
/*
 * ioctls on a mailbox fd: IPCMBOX_IOC_SEND, _RECV, _STAT, _CONFIG,
 * FIONREAD (length of the next message), and the shared-region calls
 * _ALLOC, _RELEASE (chunk.c) and _REGION_FD (region.c).
 *
 * Every structure is copied in once with ipcmbox_get_struct() and fully
 * validated before the mailbox is touched: unknown flags, out-of-range
 * values, output fields and reserved fields that are not zero fail with
 * EINVAL and change nothing.
 */
#include <linux/fs.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/uio.h>
#include <asm/ioctls.h>

#include "mbox.h"
#include "region.h"

#define IPCMBOX_IO_SEND_FLAGS \
	(IPCMBOX_IO_NONBLOCK | IPCMBOX_IO_TIMEOUT | IPCMBOX_IO_ABSTIME | \
	 IPCMBOX_IO_REF)
#define IPCMBOX_IO_RECV_FLAGS \
	(IPCMBOX_IO_SEND_FLAGS | IPCMBOX_IO_PEEK | IPCMBOX_IO_TRUNC)

/*
 * Whether the output-only fields of @io are all zero, and its reserved
 * ones; @ref_offset is an input of a send by reference only.
 */
static bool ipcmbox_io_outputs_zero(const struct ipcmbox_io *io, bool send)
{
	bool ref_in = send && (io->flags & IPCMBOX_IO_REF);

	return !io->msg_len && !io->seq && !io->enqueue_mono_ns &&
	       !io->enqueue_real_ns && !io->pid && !io->tid && !io->uid &&
	       !io->gid && (send || !io->priority) &&
	       (ref_in || !io->ref_offset) && !io->msg_flags &&
	       !io->reserved0 &&
	       !memchr_inv(io->reserved, 0, sizeof(io->reserved));
}

static int ipcmbox_io_decode(struct file *file, const struct ipcmbox_io *io,
			     bool send, struct ipcmbox_xfer *x,
			     struct iov_iter *iter)
{
	void __user *buf = u64_to_user_ptr(io->buf);
	size_t len = io->len;

	if (!(file->f_mode & (send ? FMODE_WRITE : FMODE_READ)))
		return -EBADF;
	if (io->flags & ~(send ? IPCMBOX_IO_SEND_FLAGS : IPCMBOX_IO_RECV_FLAGS))
		return -EINVAL;
	if (!ipcmbox_io_outputs_zero(io, send))
		return -EINVAL;
	if (send ? io->type < 0 || io->priority > IPCMBOX_PRIO_MAX :
		   io->type == S64_MIN)
		return -EINVAL;
	/* A send by reference names a chunk, not a buffer; a peek copies. */
	if ((io->flags & IPCMBOX_IO_REF) &&
	    (send ? io->buf : io->flags & IPCMBOX_IO_PEEK))
		return -EINVAL;
	if (io->len != len || (send && len > MAX_RW_COUNT))
		return -EMSGSIZE;
	x->file = file;
	if (send && (io->flags & IPCMBOX_IO_REF)) {
		x->ref_offset = io->ref_offset;
		x->msg_len = len;
		len = 0;
	}
	len = min_t(size_t, len, MAX_RW_COUNT);
	if (!access_ok(buf, len))
		return -EFAULT;
	iov_iter_ubuf(iter, send ? ITER_SOURCE : ITER_DEST, buf, len);

	x->iter = iter;
	x->flags = io->flags;
	if (ipcmbox_file_nonblock(file))
		x->flags |= IPCMBOX_IO_NONBLOCK;
	x->type = io->type;
	x->priority = io->priority;
	x->cred = file->f_cred;
	return ipcmbox_xfer_deadline(x, io->clock, io->timeout_ns);
}

static long ipcmbox_ioctl_io(struct file *file, struct ipcmbox_io __user *uarg,
			     bool send)
{
	struct ipcmbox_mbox *mb = file->private_data;
	struct ipcmbox_xfer x = { };
	struct ipcmbox_io io;
	struct iov_iter iter;
	ssize_t ret;
	u32 usize;

	ret = ipcmbox_get_struct(&io, sizeof(io), uarg, IPCMBOX_IO_SIZE_VER0);
	if (ret)
		return ret;
	usize = io.size;
	ret = ipcmbox_io_decode(file, &io, send, &x, &iter);
	if (ret)
		return ret;
	x.hold = !send;

	ret = send ? ipcmbox_send(mb, &x) : ipcmbox_receive(mb, &x);
	if (ret < 0 && ret != -EMSGSIZE)
		return ret;
	if (ret == -EMSGSIZE && (send || !x.msg_len))
		return ret;

	io.seq = x.seq;
	if (!send) {
		io.len = ret < 0 ? 0 : ret;
		io.msg_len = x.msg_len;
		io.type = x.out_type;
		io.priority = x.out_priority;
		io.enqueue_mono_ns = ktime_to_ns(x.stamp);
		io.enqueue_real_ns = ktime_to_ns(ktime_mono_to_real(x.stamp));
		io.pid = x.pid;
		io.tid = x.tid;
		io.uid = x.uid;
		io.gid = x.gid;
		io.msg_flags = x.msg_flags;
		io.ref_offset = x.ref_offset;
	}
	/*
	 * A receive whose result cannot be written back is undone.  A send
	 * is done once its message is queued: a fault here only loses seq.
	 */
	if (ipcmbox_put_struct(uarg, &io, sizeof(io), usize) && !send) {
		ipcmbox_receive_done(mb, &x, false);
		return -EFAULT;
	}
	ipcmbox_receive_done(mb, &x, true);
	return ret < 0 ? ret : 0;
}

/* Fills @st from @mb, as the caller sees owner and group. */
void ipcmbox_fill_stat(struct ipcmbox_mbox *mb, struct ipcmbox_stat *st)
{
	struct user_namespace *ns = current_user_ns();
	struct ipcmbox_msg *next;

	mutex_lock(&mb->lock);
	next = ipcmbox_find(mb, 0);
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
	st->send_waiting = mb->nr_senders;
	st->next_len = next ? next->len : 0;
	st->sent = mb->sent;
	st->received = mb->received;
	st->send_failed = atomic64_read(&mb->send_failed);
	st->recv_failed = atomic64_read(&mb->recv_failed);
	st->serial = mb->serial;
	st->region_size = ipcmbox_region_size(mb->region);
	st->region_used = ipcmbox_chunk_used(mb->region);
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
	struct ipcmbox_msg *next;
	int len;

	if (!(file->f_mode & FMODE_READ))
		return -EBADF;
	mutex_lock(&mb->lock);
	next = ipcmbox_find(mb, 0);
	len = next ? next->len : 0;
	mutex_unlock(&mb->lock);
	return put_user(len, uarg);
}

long ipcmbox_mbox_ioctl(struct file *file, unsigned int cmd,
			unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case IPCMBOX_IOC_SEND:
		return ipcmbox_ioctl_io(file, uarg, true);
	case IPCMBOX_IOC_RECV:
		return ipcmbox_ioctl_io(file, uarg, false);
	case IPCMBOX_IOC_STAT:
		return ipcmbox_ioctl_stat(file, uarg);
	case IPCMBOX_IOC_CONFIG:
		return ipcmbox_ioctl_config(file, uarg);
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
