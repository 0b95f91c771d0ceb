// SPDX-License-Identifier: GPL-2.0-only
/*
 * File operations of a mailbox fd (/dev/ipcmbox/NAME, or one end of an
 * anonymous pair): one whole message per read or write, poll, SIGIO,
 * fdinfo, mmap of the shared region, and the lifetime of the file's
 * reference on the mailbox and of the region chunks it holds.
 */
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>

#include "ipcmbox.h"
#include "mbox.h"
#include "region.h"

/* Stream semantics, and read/write honour IOCB_NOWAIT (io_uring). */
void ipcmbox_file_setup(struct file *file)
{
	file->f_mode &= ~(FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE);
	file->f_mode |= FMODE_STREAM | FMODE_NOWAIT;
}

static int ipcmbox_mbox_open(struct inode *inode, struct file *file)
{
	struct ipcmbox_mbox *mb = ipcmbox_mbox_get_minor(iminor(inode));

	if (!mb)
		return -ENXIO;
	file->private_data = mb;
	ipcmbox_file_setup(file);
	return 0;
}

static int ipcmbox_mbox_release(struct inode *inode, struct file *file)
{
	struct ipcmbox_mbox *mb = file->private_data;

	ipcmbox_chunk_release_file(mb->region, file);
	if (mb->anon)
		ipcmbox_anon_release(mb, file->f_mode);
	ipcmbox_mbox_put(mb);
	return 0;
}

/* The mailbox's shared region; the mapping's vm_file pins the mailbox. */
static int ipcmbox_mbox_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct ipcmbox_mbox *mb = file->private_data;

	return ipcmbox_region_mmap(mb->region, vma);
}

static void ipcmbox_xfer_init(struct ipcmbox_xfer *x, struct file *file,
			      struct iov_iter *iter, bool nowait)
{
	*x = (struct ipcmbox_xfer) {
		.iter		= iter,
		.restart	= true,
		.cred		= file->f_cred,
		.file		= file,
	};
	if (nowait || ipcmbox_file_nonblock(file))
		x->flags |= IPCMBOX_IO_NONBLOCK;
}

static ssize_t ipcmbox_mbox_recv(struct file *file, struct iov_iter *to,
				 bool nowait)
{
	struct ipcmbox_xfer x;
	ssize_t ret;

	ipcmbox_xfer_init(&x, file, to, nowait);
	ret = ipcmbox_receive(file->private_data, &x);
	/* Anonymous mailbox with every send fd closed: end of file. */
	return ret == -EPIPE ? 0 : ret;
}

static ssize_t ipcmbox_mbox_send(struct file *file, struct iov_iter *from,
				 bool nowait)
{
	struct ipcmbox_xfer x;
	ssize_t ret;

	ipcmbox_xfer_init(&x, file, from, nowait);
	ret = ipcmbox_send(file->private_data, &x);
	/* Like a pipe without readers. */
	if (ret == -EPIPE && !nowait)
		send_sig(SIGPIPE, current, 0);
	return ret;
}

/*
 * read(2) and write(2) come straight here, without the kiocb that
 * read_iter and write_iter take; readv(2), writev(2), preadv2(2) with
 * RWF_NOWAIT and io_uring go through those, with the same semantics.
 */
static ssize_t ipcmbox_mbox_read(struct file *file, char __user *buf,
				 size_t len, loff_t *ppos)
{
	struct iov_iter iter;

	iov_iter_ubuf(&iter, ITER_DEST, buf, len);
	return ipcmbox_mbox_recv(file, &iter, false);
}

static ssize_t ipcmbox_mbox_write(struct file *file, const char __user *buf,
				  size_t len, loff_t *ppos)
{
	struct iov_iter iter;

	iov_iter_ubuf(&iter, ITER_SOURCE, (void __user *)buf, len);
	return ipcmbox_mbox_send(file, &iter, false);
}

static ssize_t ipcmbox_mbox_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	return ipcmbox_mbox_recv(iocb->ki_filp, to,
				 iocb->ki_flags & IOCB_NOWAIT);
}

static ssize_t ipcmbox_mbox_write_iter(struct kiocb *iocb,
				       struct iov_iter *from)
{
	return ipcmbox_mbox_send(iocb->ki_filp, from,
				 iocb->ki_flags & IOCB_NOWAIT);
}

static __poll_t ipcmbox_mbox_poll(struct file *file, poll_table *wait)
{
	struct ipcmbox_mbox *mb = file->private_data;

	/* The wait queues live in the mailbox, which this file pins. */
	if (file->f_mode & FMODE_READ)
		poll_wait(file, &mb->rpoll, wait);
	if (file->f_mode & FMODE_WRITE)
		poll_wait(file, &mb->wpoll, wait);
	return ipcmbox_queue_poll(mb, file->f_mode);
}

static int ipcmbox_mbox_fasync(int fd, struct file *file, int on)
{
	struct ipcmbox_mbox *mb = file->private_data;

	return fasync_helper(fd, file, on, &mb->fasync);
}

/* /proc/PID/fdinfo/FD: the mailbox's attributes and counters. */
static void ipcmbox_mbox_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct ipcmbox_stat st = { };

	ipcmbox_fill_stat(file->private_data, &st);
	seq_printf(m, "ipcmbox-name:\t%s\n",
		   st.state & IPCMBOX_STATE_ANON ? "[anonymous]" : st.name);
	seq_printf(m, "ipcmbox-state:\t%#x\n", st.state);
	seq_printf(m, "ipcmbox-capacity:\t%u\n", st.capacity);
	seq_printf(m, "ipcmbox-max_msg:\t%u\n", st.max_msg);
	seq_printf(m, "ipcmbox-max_bytes:\t%llu\n", st.max_bytes);
	seq_printf(m, "ipcmbox-depth:\t%u\n", st.depth);
	seq_printf(m, "ipcmbox-depth_high:\t%u\n", st.depth_high);
	seq_printf(m, "ipcmbox-bytes:\t%llu\n", st.bytes);
	seq_printf(m, "ipcmbox-bytes_high:\t%llu\n", st.bytes_high);
	seq_printf(m, "ipcmbox-recv_waiting:\t%u\n", st.recv_waiting);
	seq_printf(m, "ipcmbox-send_waiting:\t%u\n", st.send_waiting);
	seq_printf(m, "ipcmbox-sent:\t%llu\n", st.sent);
	seq_printf(m, "ipcmbox-received:\t%llu\n", st.received);
	seq_printf(m, "ipcmbox-send_failed:\t%llu\n", st.send_failed);
	seq_printf(m, "ipcmbox-recv_failed:\t%llu\n", st.recv_failed);
	seq_printf(m, "ipcmbox-region_size:\t%llu\n", st.region_size);
	seq_printf(m, "ipcmbox-region_used:\t%llu\n", st.region_used);
}

const struct file_operations ipcmbox_mbox_fops = {
	.owner		= THIS_MODULE,
	.open		= ipcmbox_mbox_open,
	.release	= ipcmbox_mbox_release,
	.read		= ipcmbox_mbox_read,
	.write		= ipcmbox_mbox_write,
	.read_iter	= ipcmbox_mbox_read_iter,
	.write_iter	= ipcmbox_mbox_write_iter,
	.poll		= ipcmbox_mbox_poll,
	.mmap		= ipcmbox_mbox_mmap,
	.unlocked_ioctl	= ipcmbox_mbox_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.uring_cmd	= ipcmbox_mbox_uring_cmd,
	.fasync		= ipcmbox_mbox_fasync,
	.show_fdinfo	= ipcmbox_mbox_show_fdinfo,
	.llseek		= noop_llseek,
};
