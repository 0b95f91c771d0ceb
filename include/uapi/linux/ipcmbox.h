/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * ipcmbox - kernel-buffered mailboxes behind /dev/ipcmbox/.
 *
 * This is the kernel ABI.  Rules every structure here follows:
 *  - only fixed-width types, pointers passed as __u64, no implicit padding,
 *    every structure a multiple of 8 bytes;
 *  - extensible structures start with a __u32 size field set by the caller
 *    to sizeof() of the structure it was compiled against; the kernel reads
 *    them with copy_struct_from_user() semantics: a shorter (older) structure
 *    is zero-extended, a longer (newer) one is accepted only if the bytes the
 *    kernel does not know are zero (else E2BIG);
 *  - reserved fields and unknown flag bits must be zero (else EINVAL);
 *  - the size encoded in an ioctl number is that of the first version of
 *    its structure and never changes; the size field is authoritative.
 *
 * Once released, an ioctl number and a structure layout never change
 * meaning.  Documentation/userspace-api.rst describes every call.
 */
#ifndef _UAPI_LINUX_IPCMBOX_H
#define _UAPI_LINUX_IPCMBOX_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* ABI revision reported by IPCMBOX_IOC_INFO; bumped when calls are added. */
#define IPCMBOX_ABI_VERSION	1

/* Maximum length of a mailbox name, not counting the terminating NUL. */
#define IPCMBOX_NAME_MAX	63

/*
 * ioctl type byte.  0xBC is unassigned in the kernel's
 * Documentation/userspace-api/ioctl/ioctl-number.rst of 6.1 and 6.12
 * (`make lint` checks it again).  Numbers 0x00-0x0f are control-node calls,
 * 0x10-0x2f mailbox calls, 0x30-0x3f shared-region calls.
 */
#define IPCMBOX_IOC_MAGIC	0xBC

/**
 * struct ipcmbox_info - module and ABI description (IPCMBOX_IOC_INFO)
 * @size: in: sizeof(struct ipcmbox_info) as the caller knows it, at least
 *	IPCMBOX_INFO_SIZE_VER0; out: number of bytes the kernel filled in.
 * @abi_version: out: IPCMBOX_ABI_VERSION of the running module.
 * @features: out: IPCMBOX_FEAT_* bits the running module supports.
 * @max_mailboxes: out: most mailboxes that can exist at once.
 * @nr_mailboxes: out: mailboxes that exist now.
 * @name_max: out: IPCMBOX_NAME_MAX.
 * @reserved0: must be zero.
 * @reserved: must be zero.
 *
 * Every field but @size is output only and must be zero on input.
 */
struct ipcmbox_info {
	__u32 size;
	__u32 abi_version;
	__u64 features;
	__u32 max_mailboxes;
	__u32 nr_mailboxes;
	__u32 name_max;
	__u32 reserved0;
	__u64 reserved[4];
};

#define IPCMBOX_INFO_SIZE_VER0	64

/* Control node (/dev/ipcmbox/control). */
#define IPCMBOX_IOC_INFO	_IOWR(IPCMBOX_IOC_MAGIC, 0x00, struct ipcmbox_info)

#endif /* _UAPI_LINUX_IPCMBOX_H */
