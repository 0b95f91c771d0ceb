// SPDX-License-Identifier: GPL-2.0-only
/*
 * io_uring commands on a mailbox fd (IORING_OP_URING_CMD): the four
 * message calls of the ioctl path, with their full structures.  The SQE's
 * cmd_op is the ioctl number and its command area a struct
 * ipcmbox_uring_cmd holding the address of the ioctl's structure; the
 * completion's result is the ioctl's return value.
 *
 * io_uring first issues a command with IO_URING_F_NONBLOCK, from the
 * submitting task: the call is then a probe that never sleeps and does
 * nothing if it would block (a blocking send batch, which could stop part
 * way, only as a packed send that goes whole: ipcmbox_packed_try()).  When
 * it would block, -EAGAIN asks io_uring to issue it again from an io-wq
 * worker, where it blocks as the ioctl does, under its own timeout.
 * io_uring cancels such a worker (request cancellation, ring teardown,
 * exit) with a notification signal, which the sleep sees as a pending
 * signal: the call ends with EINTR, and a send withdraws its message as
 * it does for any signal.  Reads and writes,
 * which park on poll instead, are the worker-free path.
 */
#include <linux/fs.h>

#include "compat.h"
#include "mbox.h"

int ipcmbox_mbox_uring_cmd(struct io_uring_cmd *ioucmd,
			   unsigned int issue_flags)
{
	const struct ipcmbox_uring_cmd *cmd = ipcmbox_uring_cmd_area(ioucmd);
	bool probe = issue_flags & IO_URING_F_NONBLOCK;
	struct file *file = ioucmd->file;
	void __user *arg;
	long ret;

	/* The SQE is shared with user space until io_uring copies it. */
	if (READ_ONCE(cmd->reserved))
		return -EINVAL;
	arg = u64_to_user_ptr(READ_ONCE(cmd->arg));
	switch (ioucmd->cmd_op) {
	case IPCMBOX_IOC_SEND:
		ret = ipcmbox_ioctl_io(file, arg, true, probe);
		break;
	case IPCMBOX_IOC_RECV:
		ret = ipcmbox_ioctl_io(file, arg, false, probe);
		break;
	case IPCMBOX_IOC_SEND_BATCH:
		ret = ipcmbox_ioctl_batch(file, arg, true, probe);
		break;
	case IPCMBOX_IOC_RECV_BATCH:
		ret = ipcmbox_ioctl_batch(file, arg, false, probe);
		break;
	default:
		return -EOPNOTSUPP;
	}
	/* Not restarted: the completion reports the interruption. */
	if (ret == -ERESTARTSYS)
		ret = -EINTR;
	return ipcmbox_uring_cmd_result(ioucmd, ret, issue_flags);
}
