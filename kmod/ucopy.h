/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copies of small payloads between kernel memory and a plain user buffer,
 * inlined into the message and train code that bounds them.
 */
#ifndef _IPCMBOX_UCOPY_H
#define _IPCMBOX_UCOPY_H

#include <linux/types.h>
#include <linux/uaccess.h>

/*
 * A small payload to or from a plain user buffer (ITER_UBUF: read(),
 * write(), the ioctls, packed batches): 32 bytes a round, then 8, then
 * bytes, in one user-access section, all or nothing.  This skips the
 * iov_iter walk and hardened usercopy's object check, whose bounds are
 * the caller's: a message carved from a page lies within its page
 * (frag.c), a train's entries within the train (train.c), and @len within
 * either; the kernel side is 8-byte aligned.  About 150 instructions less
 * per copy of 64 bytes than the page helpers, and 40 less than a word a
 * round.  ipcmbox_words_get() and ipcmbox_words_put() are the copies
 * alone, for a caller that has opened the user-access section itself.
 */
static __always_inline bool ipcmbox_words_get(void *dst, const u8 __user *src,
					      size_t len)
{
	const u64 __user *s = (const u64 __user *)src;
	u64 *d = dst;
	u8 *b;

	for (; len >= 32; len -= 32, s += 4, d += 4) {
		unsafe_get_user(d[0], s, efault);
		unsafe_get_user(d[1], s + 1, efault);
		unsafe_get_user(d[2], s + 2, efault);
		unsafe_get_user(d[3], s + 3, efault);
	}
	for (; len >= 8; len -= 8, s++, d++)
		unsafe_get_user(*d, s, efault);
	for (src = (const u8 __user *)s, b = (u8 *)d; len; len--, src++, b++)
		unsafe_get_user(*b, src, efault);
	return true;
efault:
	return false;
}

static __always_inline bool ipcmbox_words_from_user(void *dst,
						    const u8 __user *src,
						    size_t len)
{
	bool ok;

	if (!user_read_access_begin(src, len))
		return false;
	ok = ipcmbox_words_get(dst, src, len);
	user_read_access_end();
	return ok;
}

static __always_inline bool ipcmbox_words_put(u8 __user *dst, const void *src,
					      size_t len)
{
	u64 __user *d = (u64 __user *)dst;
	const u64 *s = src;

	for (; len >= 32; len -= 32, s += 4, d += 4) {
		unsafe_put_user(s[0], d, efault);
		unsafe_put_user(s[1], d + 1, efault);
		unsafe_put_user(s[2], d + 2, efault);
		unsafe_put_user(s[3], d + 3, efault);
	}
	unsafe_copy_to_user((u8 __user *)d, (const u8 *)s, len, efault);
	return true;
efault:
	return false;
}

static __always_inline bool ipcmbox_words_to_user(u8 __user *dst,
						  const void *src, size_t len)
{
	bool ok;

	if (!user_write_access_begin(dst, len))
		return false;
	ok = ipcmbox_words_put(dst, src, len);
	user_write_access_end();
	return ok;
}

#endif /* _IPCMBOX_UCOPY_H */
