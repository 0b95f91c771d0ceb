/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Differences between the kernels ipcmbox supports (6.1 .. 6.12), as small
 * named helpers.  Nothing outside this file tests LINUX_VERSION_CODE.
 */
#ifndef _IPCMBOX_COMPAT_H
#define _IPCMBOX_COMPAT_H

#include <linux/device.h>
#include <linux/mm.h>
#include <linux/version.h>
/* The uring_cmd API moved to its own header after 6.1 (by 6.8). */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
#include <linux/io_uring/cmd.h>
#else
#include <linux/io_uring.h>
#endif

/* 6.2 made the device_type devnode() callback take a const device. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define IPCMBOX_DEVNODE_CONST const
#else
#define IPCMBOX_DEVNODE_CONST
#endif

/* 6.4 dropped the owner argument of class_create(). */
static inline struct class *ipcmbox_class_create(const char *name)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
	return class_create(name);
#else
	return class_create(THIS_MODULE, name);
#endif
}

/*
 * 6.3 replaced the mount's user namespace with a struct mnt_idmap in the
 * inode attribute calls; notify_change() and make_vfsuid() take either.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
#define ipcmbox_file_idmap(file)	file_mnt_idmap(file)
#else
#define ipcmbox_file_idmap(file)	file_mnt_user_ns(file)
#endif

/* 6.3 made vma->vm_flags read-only: vm_flags_set() changes them. */
static inline void ipcmbox_vm_flags_set(struct vm_area_struct *vma,
					vm_flags_t flags)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	vm_flags_set(vma, flags);
#else
	vma->vm_flags |= flags;
#endif
}

/*
 * After 6.1 (by 6.6) uring_cmd handlers get the whole SQE instead of its
 * command area.  Only 6.1 and 6.12 are built and tested.
 */
static inline const void *ipcmbox_uring_cmd_area(struct io_uring_cmd *ioucmd)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
	return io_uring_sqe_cmd(ioucmd->sqe);
#else
	return ioucmd->cmd;
#endif
}

/*
 * In 6.1 (fixed by 6.6), io_uring took a positive return from a uring_cmd handler
 * run by an io-wq worker for a request still to be completed, and never
 * completed it; the handler completes it itself there.  (Issued inline, a
 * positive result is posted, with the request marked failed, which only
 * matters to IOSQE_IO_LINK chains.)
 */
static inline int ipcmbox_uring_cmd_result(struct io_uring_cmd *ioucmd,
					   long ret, unsigned int issue_flags)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 6, 0)
	if (ret > 0 && !(issue_flags & IO_URING_F_NONBLOCK)) {
		io_uring_cmd_done(ioucmd, ret, 0, issue_flags);
		return -EIOCBQUEUED;
	}
#endif
	return ret;
}

#endif /* _IPCMBOX_COMPAT_H */
