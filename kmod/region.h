/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared regions: the pages of a mailbox that its processes map, and the
 * chunks of it that messages by reference carry.
 */
#ifndef _IPCMBOX_REGION_H
#define _IPCMBOX_REGION_H

#include <linux/fs.h>
#include <linux/mm_types.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/uidgid.h>
#include <linux/uio.h>
#include <linux/wait.h>

struct ipcmbox_mbox;
struct ipcmbox_xfer;

/**
 * struct ipcmbox_slot - bookkeeping of one page of a region
 * @holder: for the first page of a chunk: the open file that holds the
 *	chunk, or NULL while a message carries it.  Only compared, never
 *	dereferenced: a file's chunks are returned when it is released.
 * @pages: for the first page of a chunk: its length in pages; else 0
 */
struct ipcmbox_slot {
	const struct file *holder;
	u32 pages;
};

/**
 * struct ipcmbox_region - the shared region of one mailbox
 * @pages: the region's pages, zeroed at allocation, fixed for its life
 * @nr_pages: entries in @pages
 * @charged_uid: who the region's bytes are charged to, when @charged
 * @charged: counted in @charged_uid's region byte limit
 * @space: chunk allocators waiting for free pages
 * @lock: protects the fields below; nests inside mb->lock
 * @used: one bit per page: part of a chunk
 * @slots: one per page, see struct ipcmbox_slot
 * @used_pages: bits set in @used
 * @dead: the mailbox was removed: no more chunks are handed out
 *
 * Every decision about a chunk is made from @used and @slots, never from
 * the shared pages, which any process that maps them may change.
 */
struct ipcmbox_region {
	struct page **pages;
	u32 nr_pages;
	kuid_t charged_uid;
	bool charged;
	wait_queue_head_t space;

	struct mutex lock;	/* protects the fields below */
	unsigned long *used;
	struct ipcmbox_slot *slots;
	u32 used_pages;
	bool dead;
};

static inline u64 ipcmbox_region_size(const struct ipcmbox_region *r)
{
	return r ? (u64)r->nr_pages << PAGE_SHIFT : 0;
}

/* region.c */
extern unsigned long ipcmbox_region_size_max;
int ipcmbox_region_check_size(u64 size);
struct ipcmbox_region *ipcmbox_region_new(u64 size, kuid_t uid, bool charge,
					  bool exempt);
void ipcmbox_region_free(struct ipcmbox_region *r);
int ipcmbox_region_mmap(struct ipcmbox_region *r, struct vm_area_struct *vma);
long ipcmbox_ioctl_region_fd(struct file *file, void __user *uarg);

/* chunk.c */
u64 ipcmbox_chunk_used(struct ipcmbox_region *r);
void ipcmbox_region_kill(struct ipcmbox_region *r);
int ipcmbox_chunk_take(struct ipcmbox_region *r, const struct file *file,
		       u64 offset, u64 len, u32 *first);
void ipcmbox_chunk_hold(struct ipcmbox_region *r, u32 first,
			const struct file *file);
void ipcmbox_chunk_free(struct ipcmbox_region *r, u32 first);
void ipcmbox_chunk_release_file(struct ipcmbox_region *r,
				const struct file *file);
size_t ipcmbox_chunk_copy(struct ipcmbox_region *r, u32 first, size_t len,
			  struct iov_iter *iter);
long ipcmbox_ioctl_alloc(struct file *file, void __user *uarg);
long ipcmbox_ioctl_release(struct file *file, void __user *uarg);

#endif /* _IPCMBOX_REGION_H */
