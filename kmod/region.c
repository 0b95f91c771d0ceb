// SPDX-License-Identifier: GPL-2.0-only
/*
 * Shared regions: allocation of a mailbox's pages, mmap, and region fds.
 *
 * A region is an array of order-0 pages, allocated zeroed and charged to
 * the creator's memory cgroup (GFP_KERNEL_ACCOUNT) and to the creator's
 * region byte limit, when the mailbox is created.  The pages stay until
 * the mailbox is freed, which happens only after its removal and the
 * release of its last open file.  A mapping holds its file (vm_file), so
 * a mailbox removed or closed while mapped keeps its pages until the last
 * munmap, and the module stays pinned by the file's fops.
 *
 * Mappings are filled by a fault handler, page by page, never with
 * remap_pfn_range(): the pages are ordinary refcounted pages, a zapped
 * range (MADV_DONTNEED) faults back in, and fork() gives the child the
 * same pages through its own faults.  Only MAP_SHARED is accepted, within
 * the region's size, and VM_DONTEXPAND refuses mremap() growth.  The VFS
 * already refuses PROT_WRITE on a descriptor not open for writing and
 * clears VM_MAYWRITE, so mprotect() cannot add it later.
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "ipcmbox.h"
#include "mbox.h"
#include "region.h"

unsigned long ipcmbox_region_size_max = 64UL << 20;
module_param_named(region_size_max, ipcmbox_region_size_max, ulong, 0644);
MODULE_PARM_DESC(region_size_max,
		 "Largest shared region of one mailbox (bytes, default 64 MiB)");

/* Whether @size is a region size a mailbox may have: -EINVAL if not. */
int ipcmbox_region_check_size(u64 size)
{
	if (!size || size > READ_ONCE(ipcmbox_region_size_max) ||
	    size > (u64)U32_MAX << PAGE_SHIFT)
		return -EINVAL;
	return 0;
}

static void ipcmbox_region_put_pages(struct ipcmbox_region *r)
{
	u32 i;

	for (i = 0; i < r->nr_pages; i++)
		if (r->pages[i])
			put_page(r->pages[i]);
}

/**
 * ipcmbox_region_new() - a region of @size bytes, rounded up to pages
 * @size: checked by ipcmbox_region_check_size()
 * @uid: the creator
 * @charge: count the bytes against @uid's user_region_bytes_max
 * @exempt: @uid has CAP_SYS_RESOURCE: counted, never refused
 *
 * Return: the region, or ERR_PTR of -EINVAL, -ENOBUFS (over the creator's
 * limit) or -ENOMEM.
 */
struct ipcmbox_region *ipcmbox_region_new(u64 size, kuid_t uid, bool charge,
					  bool exempt)
{
	struct ipcmbox_region *r;
	int ret;
	u32 i;

	ret = ipcmbox_region_check_size(size);
	if (ret)
		return ERR_PTR(ret);
	r = kzalloc(sizeof(*r), GFP_KERNEL_ACCOUNT);
	if (!r)
		return ERR_PTR(-ENOMEM);
	r->nr_pages = DIV_ROUND_UP(size, PAGE_SIZE);
	mutex_init(&r->lock);
	init_waitqueue_head(&r->space);
	if (charge) {
		ret = ipcmbox_quota_region_charge(uid,
						  ipcmbox_region_size(r),
						  exempt);
		if (ret)
			goto err;
		r->charged = true;
		r->charged_uid = uid;
	}
	ret = -ENOMEM;
	r->pages = kvcalloc(r->nr_pages, sizeof(*r->pages),
			    GFP_KERNEL_ACCOUNT);
	r->slots = kvcalloc(r->nr_pages, sizeof(*r->slots),
			    GFP_KERNEL_ACCOUNT);
	r->used = kvcalloc(BITS_TO_LONGS(r->nr_pages), sizeof(long),
			   GFP_KERNEL_ACCOUNT);
	if (!r->pages || !r->slots || !r->used)
		goto err;
	for (i = 0; i < r->nr_pages; i++) {
		r->pages[i] = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO |
					 __GFP_NOWARN);
		if (!r->pages[i])
			goto err;
		cond_resched();
	}
	return r;

err:
	ipcmbox_region_free(r);
	return ERR_PTR(ret);
}

/* Frees @r: its mailbox is being freed, so nothing maps or uses it. */
void ipcmbox_region_free(struct ipcmbox_region *r)
{
	if (!r)
		return;
	WARN_ON_ONCE(r->used_pages);
	if (r->pages)
		ipcmbox_region_put_pages(r);
	kvfree(r->pages);
	kvfree(r->slots);
	kvfree(r->used);
	if (r->charged)
		ipcmbox_quota_region_uncharge(r->charged_uid,
					      ipcmbox_region_size(r));
	mutex_destroy(&r->lock);
	kfree(r);
}

static vm_fault_t ipcmbox_region_fault(struct vm_fault *vmf)
{
	struct ipcmbox_region *r = vmf->vma->vm_private_data;
	struct page *page;

	if (vmf->pgoff >= r->nr_pages)
		return VM_FAULT_SIGBUS;
	page = r->pages[vmf->pgoff];
	get_page(page);
	vmf->page = page;
	return 0;
}

static const struct vm_operations_struct ipcmbox_region_vm_ops = {
	.fault	= ipcmbox_region_fault,
};

/**
 * ipcmbox_region_mmap() - map (part of) region @r into @vma
 * @r: the mailbox's region, or NULL
 * @vma: the new mapping; its file pins the mailbox and so @r
 *
 * Return: 0, -ENODEV (no region), -EINVAL (not MAP_SHARED, or beyond the
 * region's end).
 */
int ipcmbox_region_mmap(struct ipcmbox_region *r, struct vm_area_struct *vma)
{
	unsigned long pages = vma_pages(vma);

	if (!r)
		return -ENODEV;
	/* A shared mapping of a read-only fd has VM_MAYSHARE only. */
	if (!(vma->vm_flags & VM_MAYSHARE))
		return -EINVAL;
	if (vma->vm_pgoff >= r->nr_pages ||
	    pages > r->nr_pages - vma->vm_pgoff)
		return -EINVAL;
	ipcmbox_vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP);
	vma->vm_ops = &ipcmbox_region_vm_ops;
	vma->vm_private_data = r;
	return 0;
}

/* A region fd: maps the region of the mailbox it pins, and nothing else. */
static int ipcmbox_region_fd_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct ipcmbox_mbox *mb = file->private_data;

	return ipcmbox_region_mmap(mb->region, vma);
}

static int ipcmbox_region_fd_release(struct inode *inode, struct file *file)
{
	ipcmbox_mbox_put(file->private_data);
	return 0;
}

static const struct file_operations ipcmbox_region_fops = {
	.owner		= THIS_MODULE,
	.mmap		= ipcmbox_region_fd_mmap,
	.release	= ipcmbox_region_fd_release,
	.llseek		= noop_llseek,
};

/**
 * ipcmbox_ioctl_region_fd() - IPCMBOX_IOC_REGION_FD
 * @file: a mailbox fd
 * @uarg: struct ipcmbox_region_fd
 *
 * A write-only mailbox fd (the send end of a pair) cannot be mmap'ed at
 * all: the VFS maps only files open for reading.  The region fd can: it
 * is read-write when @file may send, read-only otherwise.
 *
 * Return: 0 with the new fd in @uarg, or -ENODEV (no region), -EINVAL,
 * -EMFILE, -ENFILE, -ENOMEM, -EFAULT.
 */
long ipcmbox_ioctl_region_fd(struct file *file, void __user *uarg)
{
	struct ipcmbox_mbox *mb = file->private_data;
	struct ipcmbox_region_fd rf;
	struct file *rfile;
	int fd, ret;

	ret = ipcmbox_get_struct(&rf, sizeof(rf), uarg,
				 IPCMBOX_REGION_FD_SIZE_VER0);
	if (ret)
		return ret;
	if (rf.flags & ~IPCMBOX_REGION_CLOEXEC || rf.fd || rf.reserved0 ||
	    memchr_inv(rf.reserved, 0, sizeof(rf.reserved)))
		return -EINVAL;
	if (!mb->region)
		return -ENODEV;
	fd = get_unused_fd_flags(rf.flags & IPCMBOX_REGION_CLOEXEC ?
				 O_CLOEXEC : 0);
	if (fd < 0)
		return fd;
	rfile = anon_inode_getfile("[ipcmbox-region]", &ipcmbox_region_fops,
				   ipcmbox_mbox_get(mb),
				   file->f_mode & FMODE_WRITE ? O_RDWR :
								O_RDONLY);
	if (IS_ERR(rfile)) {
		ipcmbox_mbox_put(mb);
		put_unused_fd(fd);
		return PTR_ERR(rfile);
	}
	rf.fd = fd;
	if (ipcmbox_put_struct(uarg, &rf, sizeof(rf), rf.size)) {
		fput(rfile);
		put_unused_fd(fd);
		return -EFAULT;
	}
	fd_install(fd, rfile);
	return 0;
}
