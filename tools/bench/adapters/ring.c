// SPDX-License-Identifier: GPL-2.0-only
/*
 * Shared memory: a single-producer single-consumer ring of depth slots in
 * a MAP_SHARED mapping made before fork.  The payload is copied in by the
 * sender and out by the receiver, as the kernel paths do.  Two ways to
 * wait:
 *
 *   shm-futex    a side that finds the ring empty (full) says so in a flag
 *                and sleeps in FUTEX_WAIT on the index it waits for; the
 *                other side calls FUTEX_WAKE only when that flag is set
 *                (sequentially consistent store, then load, on both sides,
 *                so a waiter is never missed);
 *   shm-eventfd  two EFD_SEMAPHORE eventfds count filled and free slots;
 *                every message costs a read and a write on each side.
 */
#include <errno.h>
#include <linux/futex.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../bench.h"

struct ring {
	_Alignas(64) atomic_uint head;	/* messages published */
	atomic_uint recv_waiting;
	_Alignas(64) atomic_uint tail;	/* messages consumed */
	atomic_uint send_waiting;
	_Alignas(64) uint32_t depth;
	uint32_t slot;			/* bytes per slot, payload after len */
	int items_fd, space_fd;		/* shm-eventfd */
	_Alignas(64) unsigned char data[];
};

static int futex(atomic_uint *uaddr, int op, unsigned int val)
{
	return (int)syscall(SYS_futex, uaddr, op, val, NULL, NULL, 0);
}

static unsigned char *slot_at(struct ring *r, unsigned int i)
{
	return r->data + (size_t)(i % r->depth) * r->slot;
}

static int ring_setup(struct bench_chan *ch, int eventfds)
{
	size_t slot = ((ch->p.size + sizeof(uint64_t) + 63) / 64) * 64;
	size_t len = sizeof(struct ring) + slot * ch->p.depth;
	struct ring *r;

	r = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		 -1, 0);
	if (r == MAP_FAILED)
		return -errno;
	r->depth = ch->p.depth;
	r->slot = (uint32_t)slot;
	r->items_fd = r->space_fd = -1;
	if (eventfds) {
		r->items_fd = eventfd(0, EFD_SEMAPHORE | EFD_CLOEXEC);
		r->space_fd = eventfd(ch->p.depth, EFD_SEMAPHORE | EFD_CLOEXEC);
		if (r->items_fd < 0 || r->space_fd < 0) {
			int e = errno;

			if (r->items_fd >= 0)
				close(r->items_fd);
			munmap(r, len);
			return -e;
		}
	}
	ch->priv = r;
	ch->priv_size = len;
	return 0;
}

static int futex_setup(struct bench_chan *ch)
{
	return ring_setup(ch, 0);
}

static int efd_setup(struct bench_chan *ch)
{
	return ring_setup(ch, 1);
}

static void put(struct ring *r, unsigned int i, const void *buf, size_t len)
{
	unsigned char *s = slot_at(r, i);
	uint64_t l = len;

	memcpy(s, &l, sizeof(l));
	memcpy(s + sizeof(l), buf, len);
}

static ssize_t take(struct ring *r, unsigned int i, void *buf, size_t cap)
{
	unsigned char *s = slot_at(r, i);
	uint64_t l;

	memcpy(&l, s, sizeof(l));
	if (l > cap)
		return -EMSGSIZE;
	memcpy(buf, s + sizeof(l), l);
	return (ssize_t)l;
}

/* Waits until *idx is no longer @seen, saying so in *flag first. */
static void wait_change(atomic_uint *idx, atomic_uint *flag, unsigned int seen)
{
	atomic_store(flag, 1);
	if (atomic_load(idx) == seen)
		BENCH_SYS(futex(idx, FUTEX_WAIT, seen));
	atomic_store(flag, 0);
}

static ssize_t futex_send(struct bench_chan *ch, const void *buf, size_t len)
{
	struct ring *r = ch->priv;
	unsigned int h = atomic_load_explicit(&r->head, memory_order_relaxed);
	unsigned int t;

	while (h - (t = atomic_load_explicit(&r->tail, memory_order_acquire)) >=
	       r->depth)
		wait_change(&r->tail, &r->send_waiting, t);
	put(r, h, buf, len);
	atomic_store(&r->head, h + 1);
	if (atomic_load(&r->recv_waiting))
		BENCH_SYS(futex(&r->head, FUTEX_WAKE, 1));
	return (ssize_t)len;
}

static ssize_t futex_recv(struct bench_chan *ch, void *buf, size_t cap)
{
	struct ring *r = ch->priv;
	unsigned int t = atomic_load_explicit(&r->tail, memory_order_relaxed);
	ssize_t n;

	while (atomic_load_explicit(&r->head, memory_order_acquire) == t)
		wait_change(&r->head, &r->recv_waiting, t);
	n = take(r, t, buf, cap);
	atomic_store(&r->tail, t + 1);
	if (atomic_load(&r->send_waiting))
		BENCH_SYS(futex(&r->tail, FUTEX_WAKE, 1));
	return n;
}

static int efd_take(int fd)
{
	uint64_t v;

	return BENCH_SYS(read(fd, &v, sizeof(v))) == sizeof(v) ? 0 : -errno;
}

static int efd_give(int fd)
{
	uint64_t v = 1;

	return BENCH_SYS(write(fd, &v, sizeof(v))) == sizeof(v) ? 0 : -errno;
}

static ssize_t efd_send(struct bench_chan *ch, const void *buf, size_t len)
{
	struct ring *r = ch->priv;
	unsigned int h;
	int e = efd_take(r->space_fd);

	if (e)
		return e;
	h = atomic_load_explicit(&r->head, memory_order_relaxed);
	put(r, h, buf, len);
	atomic_store_explicit(&r->head, h + 1, memory_order_release);
	e = efd_give(r->items_fd);
	return e ? e : (ssize_t)len;
}

static ssize_t efd_recv(struct bench_chan *ch, void *buf, size_t cap)
{
	struct ring *r = ch->priv;
	unsigned int t;
	ssize_t n;
	int e = efd_take(r->items_fd);

	if (e)
		return e;
	t = atomic_load_explicit(&r->tail, memory_order_relaxed);
	n = take(r, t, buf, cap);
	atomic_store_explicit(&r->tail, t + 1, memory_order_release);
	e = efd_give(r->space_fd);
	return e ? e : n;
}

static void ring_teardown(struct bench_chan *ch)
{
	struct ring *r = ch->priv;

	if (!r)
		return;
	if (r->items_fd >= 0)
		close(r->items_fd);
	if (r->space_fd >= 0)
		close(r->space_fd);
	munmap(r, ch->priv_size);
	ch->priv = NULL;
}

const struct bench_adapter bench_shm_futex = {
	.name = "shm-futex",
	.desc = "shared-memory ring, futex wait/wake only when a side sleeps",
	.wait = "futex, wake on demand",
	.copies = 2,
	.copies_how = "sender into the shared ring, ring to receiver (no kernel copy)",
	.caps = 0,
	.max_size = bench_no_limit,
	.setup = futex_setup,
	.attach = bench_attach_none,
	.send = futex_send,
	.recv = futex_recv,
	.teardown = ring_teardown,
};

const struct bench_adapter bench_shm_eventfd = {
	.name = "shm-eventfd",
	.desc = "shared-memory ring, eventfd semaphores for items and space",
	.wait = "blocking eventfd read",
	.copies = 2,
	.copies_how = "sender into the shared ring, ring to receiver (no kernel copy)",
	.caps = 0,
	.max_size = bench_no_limit,
	.setup = efd_setup,
	.attach = bench_attach_none,
	.send = efd_send,
	.recv = efd_recv,
	.teardown = ring_teardown,
};
