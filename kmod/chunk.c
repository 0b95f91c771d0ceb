// SPDX-License-Identifier: GPL-2.0-only
/*
 * Chunks of a shared region: allocation, holders, messages by reference.
 *
 * A chunk is a run of whole pages of the region.  At any time it is free,
 * held by one open file (the fd that allocated it, before it is sent; the
 * fd that received it by reference, until it releases it), or carried by
 * one message.  The kernel keeps that state in its own memory (a bitmap
 * and one slot per page) and checks every offset a caller names against
 * it, so no chunk is handed out twice and nothing read from the shared
 * pages decides anything.  A file's chunks return to the region when it
 * is released (its last close, including a process's death); a message's
 * chunk returns when the message is freed without a receiver (removal).
 *
 * Locking: r->lock, a mutex, nests inside mb->lock.  Allocators sleep on
 * r->space with it dropped; every free wakes them.
 */
#include <linux/bitmap.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/uio.h>

#include "mbox.h"
#include "region.h"

/* Holder of a chunk that an IPCMBOX_IOC_RELEASE call has checked. */
static const char ipcmbox_releasing_mark;
#define IPCMBOX_RELEASING ((const struct file *)&ipcmbox_releasing_mark)

u64 ipcmbox_chunk_used(struct ipcmbox_region *r)
{
	return r ? (u64)READ_ONCE(r->used_pages) << PAGE_SHIFT : 0;
}

/* The mailbox was removed: allocators fail with EIDRM from now on. */
void ipcmbox_region_kill(struct ipcmbox_region *r)
{
	if (!r)
		return;
	mutex_lock(&r->lock);
	r->dead = true;
	wake_up_interruptible_all(&r->space);
	mutex_unlock(&r->lock);
}

static void ipcmbox_chunk_free_locked(struct ipcmbox_region *r, u32 first)
{
	struct ipcmbox_slot *slot = &r->slots[first];

	lockdep_assert_held(&r->lock);
	bitmap_clear(r->used, first, slot->pages);
	WRITE_ONCE(r->used_pages, r->used_pages - slot->pages);
	*slot = (struct ipcmbox_slot) { };
	if (wq_has_sleeper(&r->space))
		wake_up_interruptible_all(&r->space);
}

/* Returns the chunk a message carried to the region. */
void ipcmbox_chunk_free(struct ipcmbox_region *r, u32 first)
{
	mutex_lock(&r->lock);
	WARN_ON_ONCE(r->slots[first].holder);
	ipcmbox_chunk_free_locked(r, first);
	mutex_unlock(&r->lock);
}

/* The chunk at @first, carried by a message, is now held by @file. */
void ipcmbox_chunk_hold(struct ipcmbox_region *r, u32 first,
			const struct file *file)
{
	mutex_lock(&r->lock);
	WARN_ON_ONCE(r->slots[first].holder || !r->slots[first].pages);
	r->slots[first].holder = file;
	mutex_unlock(&r->lock);
}

/*
 * The slot of the chunk starting at @offset if @file holds it and @len
 * fits in it.  Return: the slot's index, -EINVAL (not a page of the region
 * or @len too long) or -ENOENT (no chunk of @file starts there).
 */
static long ipcmbox_chunk_find(struct ipcmbox_region *r,
			       const struct file *file, u64 offset, u64 len)
{
	struct ipcmbox_slot *slot;
	u32 first;

	lockdep_assert_held(&r->lock);
	if (offset & ~PAGE_MASK || offset >= ipcmbox_region_size(r))
		return -EINVAL;
	first = offset >> PAGE_SHIFT;
	slot = &r->slots[first];
	if (!slot->pages || slot->holder != file)
		return -ENOENT;
	if (len > (u64)slot->pages << PAGE_SHIFT)
		return -EINVAL;
	return first;
}

/**
 * ipcmbox_chunk_take() - a send by reference takes @file's chunk
 * @r: the region, or NULL
 * @file: the sending file
 * @offset: the chunk's offset, as the caller named it
 * @len: the message length, at most the chunk's
 * @first: out: the chunk's first page, for the message
 *
 * The chunk is then carried by the message; a send that fails gives it
 * back with ipcmbox_chunk_hold().
 *
 * Return: 0, -ENODEV (no region), -EINVAL, -ENOENT.
 */
int ipcmbox_chunk_take(struct ipcmbox_region *r, const struct file *file,
		       u64 offset, u64 len, u32 *first)
{
	long idx;

	if (!r)
		return -ENODEV;
	mutex_lock(&r->lock);
	idx = ipcmbox_chunk_find(r, file, offset, len);
	if (idx >= 0) {
		r->slots[idx].holder = NULL;
		*first = idx;
	}
	mutex_unlock(&r->lock);
	return idx < 0 ? idx : 0;
}

/* Returns every chunk @file holds: its last reference is gone. */
void ipcmbox_chunk_release_file(struct ipcmbox_region *r,
				const struct file *file)
{
	u32 i = 0;

	if (!r)
		return;
	mutex_lock(&r->lock);
	/* The first used page after free space or a chunk starts a chunk. */
	while ((i = find_next_bit(r->used, r->nr_pages, i)) < r->nr_pages) {
		u32 pages = r->slots[i].pages;

		if (r->slots[i].holder == file)
			ipcmbox_chunk_free_locked(r, i);
		i += pages;
	}
	mutex_unlock(&r->lock);
}

/**
 * ipcmbox_chunk_copy() - copy a chunk's first @len bytes to @iter
 * @r: the region
 * @first: the chunk's first page
 * @len: bytes, at most the chunk's length
 * @iter: destination
 *
 * The caller owns the message that carries the chunk, or holds the
 * mailbox lock while the message is queued, so the chunk stays put.
 *
 * Return: bytes copied; fewer than @len when @iter faulted.
 */
size_t ipcmbox_chunk_copy(struct ipcmbox_region *r, u32 first, size_t len,
			  struct iov_iter *iter)
{
	size_t done = 0;

	while (done < len) {
		size_t n = min_t(size_t, len - done, PAGE_SIZE);
		size_t copied;

		copied = copy_page_to_iter(r->pages[first + done / PAGE_SIZE],
					   0, n, iter);
		done += copied;
		if (copied != n)
			break;
	}
	return done;
}

/* Up to @count chunks of @pages pages for @file, next fit; how many. */
static u32 ipcmbox_chunk_alloc_locked(struct ipcmbox_region *r,
				      const struct file *file, u32 pages,
				      u32 count, struct ipcmbox_chunk *out)
{
	unsigned long start;
	u32 n;

	lockdep_assert_held(&r->lock);
	for (n = 0; n < count; n++) {
		start = bitmap_find_next_zero_area(r->used, r->nr_pages, 0,
						   pages, 0);
		if (start + pages > r->nr_pages)
			break;
		bitmap_set(r->used, start, pages);
		r->slots[start] = (struct ipcmbox_slot) {
			.holder	= file,
			.pages	= pages,
		};
		WRITE_ONCE(r->used_pages, r->used_pages + pages);
		out[n] = (struct ipcmbox_chunk) {
			.offset	= (u64)start << PAGE_SHIFT,
			.len	= (u64)pages << PAGE_SHIFT,
		};
	}
	return n;
}

/* Waits until at least one chunk fits, then takes up to @count. */
static int ipcmbox_chunk_alloc(struct ipcmbox_region *r,
			       const struct file *file, u32 pages, u32 count,
			       struct ipcmbox_chunk *out,
			       struct ipcmbox_xfer *x)
{
	bool expired = false;
	int ret;

	mutex_lock(&r->lock);
	for (;;) {
		ret = -EIDRM;
		if (r->dead)
			break;
		ret = ipcmbox_chunk_alloc_locked(r, file, pages, count, out);
		if (ret)
			break;
		ret = -EAGAIN;
		if (x->flags & IPCMBOX_IO_NONBLOCK)
			break;
		ret = ipcmbox_sleep_on(&r->lock, x, &r->space, &expired);
		if (ret)
			break;
	}
	mutex_unlock(&r->lock);
	return ret;
}

/* Gives back chunks an ALLOC could not report, if @file still holds them. */
static void ipcmbox_chunk_unalloc(struct ipcmbox_region *r,
				  const struct file *file,
				  const struct ipcmbox_chunk *chunks, u32 n)
{
	long idx;
	u32 i;

	mutex_lock(&r->lock);
	for (i = 0; i < n; i++) {
		idx = ipcmbox_chunk_find(r, file, chunks[i].offset, 0);
		if (idx >= 0)
			ipcmbox_chunk_free_locked(r, idx);
	}
	mutex_unlock(&r->lock);
}

/* Copies in a struct ipcmbox_chunks and checks what both calls share. */
static int ipcmbox_chunks_get(struct ipcmbox_chunks *c, void __user *uarg,
			      u32 flags)
{
	int ret;

	ret = ipcmbox_get_struct(c, sizeof(*c), uarg,
				 IPCMBOX_CHUNKS_SIZE_VER0);
	if (ret)
		return ret;
	if (c->flags & ~flags || !c->count || c->count > IPCMBOX_CHUNKS_MAX ||
	    memchr_inv(c->reserved, 0, sizeof(c->reserved)))
		return -EINVAL;
	if (!access_ok(u64_to_user_ptr(c->chunks),
		       c->count * sizeof(struct ipcmbox_chunk)))
		return -EFAULT;
	return 0;
}

/**
 * ipcmbox_ioctl_alloc() - IPCMBOX_IOC_ALLOC: chunks for a sender
 * @file: a mailbox fd that may send
 * @uarg: struct ipcmbox_chunks
 *
 * Blocks (unless non-blocking) until at least one chunk of the asked
 * length fits, then allocates as many as fit, up to @count.
 *
 * Return: 0 with @count and the chunks filled in, or -EINVAL, -EBADF,
 * -ENODEV, -EAGAIN, -ETIMEDOUT, -EINTR, -ERESTARTSYS, -EIDRM, -ENOMEM,
 * -EFAULT (nothing allocated).
 */
long ipcmbox_ioctl_alloc(struct file *file, void __user *uarg)
{
	struct ipcmbox_mbox *mb = file->private_data;
	struct ipcmbox_region *r = mb->region;
	struct ipcmbox_xfer x = { };
	struct ipcmbox_chunks c;
	struct ipcmbox_chunk *out;
	u32 usize;
	int n, ret;

	ret = ipcmbox_chunks_get(&c, uarg, IPCMBOX_IO_NONBLOCK |
				 IPCMBOX_IO_TIMEOUT | IPCMBOX_IO_ABSTIME);
	if (ret)
		return ret;
	usize = c.size;
	if (!c.len)
		return -EINVAL;
	if (!(file->f_mode & FMODE_WRITE))
		return -EBADF;
	if (!r)
		return -ENODEV;
	if (c.len > ipcmbox_region_size(r))
		return -EINVAL;
	x.flags = c.flags;
	if (ipcmbox_file_nonblock(file))
		x.flags |= IPCMBOX_IO_NONBLOCK;
	ret = ipcmbox_xfer_deadline(&x, c.clock, c.timeout_ns);
	if (ret)
		return ret;

	out = kvmalloc_array(c.count, sizeof(*out), GFP_KERNEL);
	if (!out)
		return -ENOMEM;
	n = ipcmbox_chunk_alloc(r, file, DIV_ROUND_UP(c.len, PAGE_SIZE),
				c.count, out, &x);
	if (n < 0) {
		ret = n;
		goto out;
	}
	c.count = n;
	if (copy_to_user(u64_to_user_ptr(c.chunks), out, n * sizeof(*out)) ||
	    ipcmbox_put_struct(uarg, &c, sizeof(c), usize)) {
		ipcmbox_chunk_unalloc(r, file, out, n);
		ret = -EFAULT;
	}
out:
	kvfree(out);
	return ret;
}

/**
 * ipcmbox_ioctl_release() - IPCMBOX_IOC_RELEASE: give chunks back
 * @file: the mailbox fd that holds them
 * @uarg: struct ipcmbox_chunks; each @len at most its chunk's length
 *
 * All or nothing: every entry must name a different chunk @file holds.
 *
 * Return: 0, -EINVAL, -ENOENT (an entry is not a chunk @file holds, or is
 * named twice), -ENODEV, -ENOMEM, -EFAULT.
 */
long ipcmbox_ioctl_release(struct file *file, void __user *uarg)
{
	struct ipcmbox_mbox *mb = file->private_data;
	struct ipcmbox_region *r = mb->region;
	struct ipcmbox_chunk *in;
	struct ipcmbox_chunks c;
	long idx = 0;
	u32 i, j;
	int ret;

	ret = ipcmbox_chunks_get(&c, uarg, 0);
	if (ret)
		return ret;
	if (c.len || c.clock || c.timeout_ns)
		return -EINVAL;
	if (!r)
		return -ENODEV;
	in = memdup_user(u64_to_user_ptr(c.chunks), c.count * sizeof(*in));
	if (IS_ERR(in))
		return PTR_ERR(in);

	mutex_lock(&r->lock);
	for (i = 0; i < c.count; i++) {
		idx = ipcmbox_chunk_find(r, file, in[i].offset, in[i].len);
		if (idx < 0)
			break;
		/* Marked, so that a second entry for it fails. */
		r->slots[idx].holder = IPCMBOX_RELEASING;
	}
	for (j = 0; j < i; j++) {
		u32 first = in[j].offset >> PAGE_SHIFT;

		if (idx < 0)
			r->slots[first].holder = file;
		else
			ipcmbox_chunk_free_locked(r, first);
	}
	mutex_unlock(&r->lock);
	kfree(in);
	return idx < 0 ? idx : 0;
}
