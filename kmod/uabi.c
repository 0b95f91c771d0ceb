// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reading the ABI's size-versioned structures from user space.
 */
#include <linux/string.h>
#include <linux/uaccess.h>

#include "mbox.h"

/* Largest structure size a caller may claim; far beyond any version. */
#define IPCMBOX_STRUCT_SIZE_MAX	PAGE_SIZE

/**
 * ipcmbox_get_struct() - copy a size-versioned structure in, once
 * @dst: kernel copy, @ksize bytes
 * @ksize: sizeof the structure the module knows
 * @uarg: user address; its first __u32 is the caller's size
 * @min_size: size of the structure's first version
 *
 * A shorter structure is zero-extended; a longer one must have zeros
 * beyond @ksize.  The size is read twice (once to learn it, once as part
 * of the copy); a caller that changes it in between gets EINVAL.
 *
 * Return: 0, -EFAULT, -EINVAL (size below @min_size or changed), -E2BIG
 * (non-zero bytes beyond @ksize, or a size above a page).
 */
int ipcmbox_get_struct(void *dst, size_t ksize, const void __user *uarg,
		       size_t min_size)
{
	u32 usize;
	int ret;

	if (get_user(usize, (const u32 __user *)uarg))
		return -EFAULT;
	if (usize < min_size)
		return -EINVAL;
	if (usize > IPCMBOX_STRUCT_SIZE_MAX)
		return -E2BIG;
	ret = copy_struct_from_user(dst, ksize, uarg, usize);
	if (ret)
		return ret;
	if (*(u32 *)dst != usize)
		return -EINVAL;
	return 0;
}

/**
 * ipcmbox_put_struct() - copy a size-versioned structure back out
 * @uarg: user address the structure was read from
 * @src: kernel copy; its first __u32 is overwritten with the size written
 * @ksize: sizeof the structure the module knows
 * @usize: the caller's size, as read by ipcmbox_get_struct()
 *
 * Writes the bytes both sides know, min(@usize, @ksize), and reports that
 * number in the size field; bytes beyond stay as the caller left them.
 *
 * Return: 0 or -EFAULT.
 */
int ipcmbox_put_struct(void __user *uarg, void *src, size_t ksize, u32 usize)
{
	u32 size = min_t(u32, usize, ksize);

	*(u32 *)src = size;
	return copy_to_user(uarg, src, size) ? -EFAULT : 0;
}

/**
 * ipcmbox_check_name() - check a name field of @size bytes
 * @name: the field
 * @size: its size
 * @empty: whether the name must be empty
 *
 * The name must end with a NUL inside the field and every byte after the
 * NUL must be zero, so those bytes can carry meaning later.
 *
 * Return: 0 or -EINVAL.
 */
int ipcmbox_check_name(const char *name, size_t size, bool empty)
{
	size_t len = strnlen(name, size);

	if (len == size || memchr_inv(name + len, 0, size - len))
		return -EINVAL;
	if (empty && len)
		return -EINVAL;
	return 0;
}
