// SPDX-License-Identifier: GPL-2.0-only
/*
 * ipcmbox-region: messages by reference through a bounded anonymous
 * mailbox's shared region.  The sender allocates a chunk (blocking while
 * the region is full), writes the whole message into it and sends the
 * reference; the receiver gets the reference, and the harness reads and
 * verifies every byte where it lies, then the chunk is released.  So each
 * message is written once by its producer and read once by its consumer,
 * as in the copying rows, and the kernel copies nothing.
 *
 * The region holds a chunk for every queued message, every sender and
 * the receiver, up to the module's region_size_max; a smaller region
 * only makes senders wait in ALLOC sooner.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ipcmbox.h>

#include "../bench.h"

#define PARAMS	"/sys/module/ipcmbox/parameters/"

struct region {
	struct ipcmbox_map smap;	/* send end's, read-write */
	struct ipcmbox_map rmap;	/* receive end's, read-only */
	struct ipcmbox_chunk held;	/* what the receiver holds */
};

static size_t page_round(size_t n)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);

	return ((n ? n : 1) + pg - 1) / pg * pg;
}

static size_t region_max_size(const struct bench_params *p, const char **why)
{
	size_t max = bench_read_ulong(PARAMS "msg_size_max", 1UL << 20);
	size_t region = bench_read_ulong(PARAMS "region_size_max", 64UL << 20);

	if (region < max)
		max = region;
	if (p->size > max) {
		*why = "above the module's msg_size_max or region_size_max";
		return max;
	}
	return p->size;
}

static int region_setup(struct bench_chan *ch)
{
	size_t chunk = page_round(ch->p.size);
	size_t want = chunk * (ch->p.depth + ch->p.senders + 1);
	size_t max = bench_read_ulong(PARAMS "region_size_max", 64UL << 20);
	struct ipcmbox_attr a = {
		.set = IPCMBOX_SET_CAPACITY | IPCMBOX_SET_MAX_MSG |
		       IPCMBOX_SET_REGION,
		.capacity = ch->p.depth,
		.max_msg = ch->p.size > 8192 ? (uint32_t)ch->p.size : 8192,
		.region_size = want < max ? want : max / chunk * chunk,
	};
	struct region *r = calloc(1, sizeof(*r));
	int err;

	if (!r)
		return -ENOMEM;
	if (ipcmbox_pair(&a, IPCMBOX_PAIR_CLOEXEC, ch->fd))
		goto fail;
	/* Mapped before the fork: every process inherits both mappings. */
	if (ipcmbox_region_map(ch->fd[1], &r->smap) ||
	    ipcmbox_region_map(ch->fd[0], &r->rmap))
		goto fail;
	ch->priv = r;
	return 0;
fail:
	err = -errno;
	if (r->smap.base)
		ipcmbox_region_unmap(&r->smap);
	free(r);
	return err;
}

static ssize_t region_send(struct bench_chan *ch, const void *buf, size_t len)
{
	struct region *r = ch->priv;
	struct ipcmbox_chunk c;
	int err;

	if (BENCH_SYS(ipcmbox_alloc(ch->fd[1], len ? len : 1, &c, 1, NULL)) != 1)
		return -errno;
	memcpy(ipcmbox_chunk_ptr(&r->smap, &c), buf, len);
	if (!BENCH_SYS(ipcmbox_send_ref(ch->fd[1], &c, len, NULL, NULL)))
		return (ssize_t)len;
	err = -errno;
	BENCH_SYS(ipcmbox_release(ch->fd[1], &c, 1));
	return err;
}

static ssize_t region_recv_view(struct bench_chan *ch, const void **data)
{
	struct region *r = ch->priv;
	ssize_t n;

	n = BENCH_SYS(ipcmbox_recv_ref(ch->fd[0], NULL, 0, NULL, NULL,
					&r->held));
	if (n < 0)
		return -errno;
	if (r->held.offset == IPCMBOX_NO_CHUNK)
		return -EPROTO;		/* every message is sent by reference */
	*data = ipcmbox_chunk_ptr(&r->rmap, &r->held);
	return n;
}

static int region_recv_done(struct bench_chan *ch)
{
	struct region *r = ch->priv;

	return BENCH_SYS(ipcmbox_release(ch->fd[0], &r->held, 1)) ? -errno : 0;
}

/* The harness receives through recv_view; a plain receive copies. */
static ssize_t region_recv(struct bench_chan *ch, void *buf, size_t cap)
{
	ssize_t n = BENCH_SYS(ipcmbox_recv(ch->fd[0], buf, cap, NULL, NULL));

	return n < 0 ? -errno : n;
}

static void region_teardown(struct bench_chan *ch)
{
	struct region *r = ch->priv;

	if (r) {
		ipcmbox_region_unmap(&r->smap);
		ipcmbox_region_unmap(&r->rmap);
		free(r);
		ch->priv = NULL;
	}
	bench_fd_teardown(ch);
}

const struct bench_adapter bench_mbox_region = {
	.name = "ipcmbox-region",
	.desc = "ipcmbox bounded, by reference through its shared region",
	.wait = "blocking",
	.copies = 1,
	.copies_how = "sender into the region; the receiver reads in place",
	.caps = BENCH_CAP_FANIN | BENCH_CAP_KERNEL,
	.max_size = region_max_size,
	.setup = region_setup,
	.attach = bench_fd_attach,
	.send = region_send,
	.recv = region_recv,
	.recv_view = region_recv_view,
	.recv_done = region_recv_done,
	.teardown = region_teardown,
};
