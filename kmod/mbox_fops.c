// SPDX-License-Identifier: GPL-2.0-only
/*
 * File operations of /dev/ipcmbox/NAME: one whole message per read or
 * write, poll, and the lifetime of the file's reference on the mailbox.
 */
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/poll.h>

#include "ipcmbox.h"
#include "mbox.h"

static int ipcmbox_mbox_open(struct inode *inode, struct file *file)
{
	struct ipcmbox_mbox *mb = ipcmbox_mbox_get_minor(iminor(inode));

	if (!mb)
		return -ENXIO;
	file->private_data = mb;
	stream_open(inode, file);
	/* read/write honour IOCB_NOWAIT, so io_uring need not punt them. */
	file->f_mode |= FMODE_NOWAIT;
	return 0;
}

static int ipcmbox_mbox_release(struct inode *inode, struct file *file)
{
	ipcmbox_mbox_put(file->private_data);
	return 0;
}

static bool ipcmbox_nonblock(const struct kiocb *iocb)
{
	return (iocb->ki_flags & IOCB_NOWAIT) ||
	       (iocb->ki_filp->f_flags & O_NONBLOCK);
}

static ssize_t ipcmbox_mbox_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	return ipcmbox_receive(iocb->ki_filp->private_data, to,
			       ipcmbox_nonblock(iocb));
}

static ssize_t ipcmbox_mbox_write_iter(struct kiocb *iocb,
				       struct iov_iter *from)
{
	struct file *file = iocb->ki_filp;

	return ipcmbox_send(file->private_data, from, ipcmbox_nonblock(iocb),
			    file->f_cred);
}

static __poll_t ipcmbox_mbox_poll(struct file *file, poll_table *wait)
{
	struct ipcmbox_mbox *mb = file->private_data;

	/* Both queues live in the mailbox, which this file pins. */
	poll_wait(file, &mb->recv_wq, wait);
	poll_wait(file, &mb->send_wq, wait);
	return ipcmbox_queue_poll(mb);
}

const struct file_operations ipcmbox_mbox_fops = {
	.owner		= THIS_MODULE,
	.open		= ipcmbox_mbox_open,
	.release	= ipcmbox_mbox_release,
	.read_iter	= ipcmbox_mbox_read_iter,
	.write_iter	= ipcmbox_mbox_write_iter,
	.poll		= ipcmbox_mbox_poll,
	.llseek		= noop_llseek,
};
