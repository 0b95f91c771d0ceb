// SPDX-License-Identifier: GPL-2.0-only
/*
 * Anonymous mailboxes (IPCMBOX_IOC_PAIR): no name, no node, two fds.
 *
 * The send fd is opened write-only and the receive fd read-only; both can
 * be inherited and passed like pipe ends.  The mailbox counts the open
 * files of each side.  Once every send fd is closed, a receive that finds
 * no message reports end of file (read returns 0, IPCMBOX_IOC_RECV fails
 * with EPIPE).  Once every receive fd is closed, sends fail with EPIPE
 * (write(2) also raises SIGPIPE) and blocked senders withdraw.
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/uaccess.h>

#include "mbox.h"

/*
 * A file on @mb with no node behind it (an end of a pair, or the fd of
 * IPCMBOX_IOC_CREATE with _OPEN_); takes its own reference on @mb.
 */
struct file *ipcmbox_mbox_file(struct ipcmbox_mbox *mb, int flags)
{
	struct file *file;

	file = anon_inode_getfile("[ipcmbox]", &ipcmbox_mbox_fops,
				  ipcmbox_mbox_get(mb), flags);
	if (IS_ERR(file)) {
		ipcmbox_mbox_put(mb);
		return file;
	}
	ipcmbox_file_setup(file);
	return file;
}

/**
 * ipcmbox_ioctl_pair() - IPCMBOX_IOC_PAIR: an anonymous mailbox
 * @ctl: the control file; its credentials own and are charged
 * @uarg: struct ipcmbox_create with an empty name
 *
 * Return: 0 with send_fd and recv_fd filled in, or -EINVAL, -EDQUOT,
 * -EMFILE, -ENFILE, -ENOMEM, -EFAULT.
 */
long ipcmbox_ioctl_pair(struct file *ctl, struct ipcmbox_create __user *uarg)
{
	struct ipcmbox_mbox_config cfg;
	struct file *rfile, *wfile;
	struct ipcmbox_create c;
	struct ipcmbox_mbox *mb;
	int rfd, wfd, fdflags, flags;
	long ret;

	ret = ipcmbox_get_struct(&c, sizeof(c), uarg,
				 IPCMBOX_CREATE_SIZE_VER0);
	if (ret)
		return ret;
	if (c.flags & ~(IPCMBOX_PAIR_CLOEXEC | IPCMBOX_PAIR_NONBLOCK))
		return -EINVAL;
	ret = ipcmbox_create_decode(&c, true, ctl, &cfg);
	if (ret)
		return ret;
	fdflags = c.flags & IPCMBOX_PAIR_CLOEXEC ? O_CLOEXEC : 0;
	flags = c.flags & IPCMBOX_PAIR_NONBLOCK ? O_NONBLOCK : 0;

	mb = ipcmbox_mbox_create(&cfg);
	if (IS_ERR(mb))
		return PTR_ERR(mb);
	mb->readers = 1;
	mb->writers = 1;

	rfd = get_unused_fd_flags(fdflags);
	if (rfd < 0) {
		ret = rfd;
		goto put_mb;
	}
	wfd = get_unused_fd_flags(fdflags);
	if (wfd < 0) {
		ret = wfd;
		goto put_rfd;
	}
	rfile = ipcmbox_mbox_file(mb, O_RDONLY | flags);
	if (IS_ERR(rfile)) {
		ret = PTR_ERR(rfile);
		goto put_wfd;
	}
	wfile = ipcmbox_mbox_file(mb, O_WRONLY | flags);
	if (IS_ERR(wfile)) {
		ret = PTR_ERR(wfile);
		goto put_rfile;
	}
	c.recv_fd = rfd;
	c.send_fd = wfd;
	if (ipcmbox_put_struct(uarg, &c, sizeof(c), c.size)) {
		ret = -EFAULT;
		goto put_wfile;
	}
	fd_install(rfd, rfile);
	fd_install(wfd, wfile);
	ipcmbox_mbox_put(mb);
	return 0;

put_wfile:
	fput(wfile);
put_rfile:
	fput(rfile);
put_wfd:
	put_unused_fd(wfd);
put_rfd:
	put_unused_fd(rfd);
put_mb:
	ipcmbox_mbox_put(mb);
	return ret;
}

/* The last close of one end of an anonymous mailbox wakes the other. */
void ipcmbox_anon_release(struct ipcmbox_mbox *mb, fmode_t mode)
{
	bool changed = false;

	mutex_lock(&mb->lock);
	if ((mode & FMODE_READ) && mb->readers) {
		WRITE_ONCE(mb->readers, mb->readers - 1);
		if (!mb->readers) {
			ipcmbox_wake_senders(mb);
			changed = true;
		}
	}
	if ((mode & FMODE_WRITE) && mb->writers) {
		WRITE_ONCE(mb->writers, mb->writers - 1);
		if (!mb->writers) {
			ipcmbox_wake_receivers(mb);
			changed = true;
		}
	}
	if (changed)
		ipcmbox_wake_all(mb);
	mutex_unlock(&mb->lock);
}
