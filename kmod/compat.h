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

#endif /* _IPCMBOX_COMPAT_H */
