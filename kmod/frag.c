// SPDX-License-Identifier: GPL-2.0-only
/*
 * The page store of small messages: each mailbox carves its small messages
 * (header and payload) one after the other out of a page of its own, as a
 * pipe merges small writes into its page, instead of allocating each from
 * the slab.  A message holds a reference on its page; the last one frees
 * it.  When every message carved from the mailbox's current page has been
 * freed, the next one starts again at the top of that page.  A full page
 * is kept as a spare (up to IPCMBOX_FRAG_SPARES of them) and becomes the
 * current page again once its messages are gone, so a steady stream of
 * small messages allocates nothing at all, also when several pages' worth
 * of them are queued at a time (a batch of 64 fills about three).
 *
 * Being page memory, not slab objects, their payloads are copied without
 * hardened usercopy's object check (msg.c: word by word to and from a
 * plain user buffer, else with the page copy helpers): the bounds are
 * this file's, a message never crosses its page.
 * Pages are charged to the memory cgroup of the sender that made the
 * mailbox take a new one.  A page stays allocated while any message carved
 * from it is queued or being received, so a mailbox pins at most one page
 * per such message, and its current page and spares while it lives.
 *
 * Locking: f->lock, a spinlock, protects the current page and offset; a
 * new page is allocated outside it.  A message is freed without it
 * (put_page()): only carving takes references, so a reference count of
 * one seen under the lock means that no message is left on the page.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/spinlock.h>
/* After gfp.h: 6.1's fault-inject.h uses gfp_t without including it. */
#include <linux/fault-inject.h>

#include "mbox.h"

#ifdef CONFIG_FAULT_INJECTION
/*
 * Carving is an allocation that rarely reaches the page allocator: on a
 * kernel with fault injection, /proc/PID/fail-nth counts every carve as a
 * fault site of its own, so that the selftests' sweeps reach the paths
 * that handle its failure.  Its probability is 0: only fail-nth fails it.
 */
static DECLARE_FAULT_ATTR(ipcmbox_fail_frag);

/* Quiet, as the selftests make failslab and fail_page_alloc. */
void __init ipcmbox_frag_setup(void)
{
	ipcmbox_fail_frag.verbose = 0;
}

static bool ipcmbox_frag_should_fail(size_t size)
{
	return should_fail(&ipcmbox_fail_frag, size);
}
#else
void __init ipcmbox_frag_setup(void)
{
}

static bool ipcmbox_frag_should_fail(size_t size)
{
	return false;
}
#endif

void ipcmbox_frag_init(struct ipcmbox_frag *f)
{
	*f = (struct ipcmbox_frag) {};
	spin_lock_init(&f->lock);
}

/* Drops the store's references on its pages: at the mailbox's end. */
void ipcmbox_frag_destroy(struct ipcmbox_frag *f)
{
	unsigned int i;

	if (f->page)
		put_page(f->page);
	f->page = NULL;
	for (i = 0; i < IPCMBOX_FRAG_SPARES; i++) {
		if (f->spare[i])
			put_page(f->spare[i]);
		f->spare[i] = NULL;
	}
}

/* @size bytes of the current page, or NULL; called with f->lock held. */
static void *ipcmbox_frag_carve(struct ipcmbox_frag *f, unsigned int size)
{
	void *p;

	lockdep_assert_held(&f->lock);
	if (!f->page)
		return NULL;
	if (page_ref_count(f->page) == 1)
		f->off = 0;
	if (f->off + size > PAGE_SIZE)
		return NULL;
	p = page_address(f->page) + f->off;
	f->off += size;
	get_page(f->page);
	return p;
}

/*
 * Makes a spare whose messages are all gone the current page, the full
 * current page taking its place; called with f->lock held.  Return:
 * whether there was one.
 */
static bool ipcmbox_frag_reuse(struct ipcmbox_frag *f)
{
	unsigned int i;

	lockdep_assert_held(&f->lock);
	for (i = 0; i < IPCMBOX_FRAG_SPARES; i++) {
		if (f->spare[i] && page_ref_count(f->spare[i]) == 1) {
			swap(f->page, f->spare[i]);
			f->off = 0;
			return true;
		}
	}
	return false;
}

/*
 * Makes @page the current page; the old one becomes a spare if there is
 * a free slot.  Called with f->lock held.  Return: a page to put, or NULL.
 */
static struct page *ipcmbox_frag_install(struct ipcmbox_frag *f,
					 struct page *page)
{
	struct page *old = f->page;
	unsigned int i;

	lockdep_assert_held(&f->lock);
	f->page = page;
	f->off = 0;
	for (i = 0; old && i < IPCMBOX_FRAG_SPARES; i++) {
		if (!f->spare[i]) {
			f->spare[i] = old;
			return NULL;
		}
	}
	return old;
}

/**
 * ipcmbox_frag_alloc() - memory for a small message
 * @f: the mailbox's store
 * @size: bytes, at most IPCMBOX_FRAG_MAX
 *
 * Return: @size bytes inside one page, aligned for struct ipcmbox_msg and
 * not initialised, or NULL (no memory).
 */
void *ipcmbox_frag_alloc(struct ipcmbox_frag *f, size_t size)
{
	unsigned int sz = ALIGN(size, __alignof__(struct ipcmbox_msg));
	struct page *page, *old;
	void *p;

	if (WARN_ON_ONCE(size > IPCMBOX_FRAG_MAX) ||
	    ipcmbox_frag_should_fail(size))
		return NULL;
	spin_lock(&f->lock);
	p = ipcmbox_frag_carve(f, sz);
	if (!p && ipcmbox_frag_reuse(f))
		p = ipcmbox_frag_carve(f, sz);
	spin_unlock(&f->lock);
	if (p)
		return p;

	page = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!page)
		return NULL;
	spin_lock(&f->lock);
	old = ipcmbox_frag_install(f, page);
	p = ipcmbox_frag_carve(f, sz);
	spin_unlock(&f->lock);
	if (old)
		put_page(old);
	return p;
}

/* Frees memory from ipcmbox_frag_alloc(). */
void ipcmbox_frag_free(void *p)
{
	ipcmbox_frag_put(ipcmbox_frag_page(p), 1);
}

/* The page a message from ipcmbox_frag_alloc() lies on. */
struct page *ipcmbox_frag_page(const void *p)
{
	return virt_to_page(p);
}

/*
 * Frees @n messages carved from @page at once, as @n ipcmbox_frag_free()
 * would: all but one of the references can never be the last.
 */
void ipcmbox_frag_put(struct page *page, unsigned int n)
{
	if (n > 1)
		page_ref_sub(page, n - 1);
	if (n)
		put_page(page);
}
