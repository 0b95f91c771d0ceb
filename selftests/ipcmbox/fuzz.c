// SPDX-License-Identifier: GPL-2.0-only
/*
 * ipcmbox-fuzz: a structure-aware random fuzzer of the ipcmbox ABI.
 *
 *   fuzz [-s SEED] [-t SECONDS] [-n CALLS] [-p PROCS] [-j THREADS] [-x OP]
 *        [-r] [-q]
 *
 * PROCS processes (default 2) of THREADS threads (default 3) share a pool
 * of fds per process and make random calls on a few named and anonymous
 * mailboxes: every control and mailbox ioctl with fields drawn from valid,
 * edge (0, 1, -1, limits +-1, page +-1, 2^31, 2^32) and random values and
 * sizes; read, write, readv, writev, poll, mmap, close, dup, fcntl
 * (O_NONBLOCK, O_ASYNC, F_SETSIG); bit-flipped ioctl numbers; forked
 * children that inherit the fds and are sometimes killed.  Some mailboxes
 * have shared regions: threads allocate chunks, send and receive them by
 * reference, release them (also stale, invalid and duplicate ones), take
 * region fds, and map regions while others close, remove, fork and
 * munmap, mremap, madvise and mprotect those mappings.  Buffers are
 * valid, NULL, unmapped, read-only, straddling a PROT_NONE page, or kernel
 * addresses.  An extra thread per process sends SIGUSR1 every few ms, so
 * blocked calls are interrupted and nothing hangs.
 *
 * Oracles here: every errno is one the ABI documents (never ERESTART*);
 * results have the shape they must (lengths within the buffer, chunks
 * page aligned); every message the fuzzer sent whole by copy comes back
 * whole (a magic, a length and a checksum per message); a region mapping
 * never grows and never gains PROT_WRITE on a read-only fd; at the end
 * every named mailbox, drained, has no chunk in use, every mailbox can be
 * removed and the module reports none left.  Messages by reference carry
 * a magic of their own and are counted, not checked: threads share fds,
 * so the fuzzer itself may write into or release a chunk another thread
 * uses (allowed, and exactly what the kernel must survive).  The kernel's own oracles (KASAN, lockdep,
 * kmemleak, ...) are read by the test runner.
 *
 * Reproducing: the run prints its seed; each thread's random stream is
 * derived from the seed and its process and thread index.  -x OP leaves
 * out one kind of call (repeatable; to narrow a finding down).  -r runs one
 * process with one thread, which replays a seed's sequence of calls (the
 * outcome of races cannot be replayed).  Ends with a summary line
 * "fuzz: N calls ..." and exits 1 when a finding was printed.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ipcmbox_test.h"
#include <liburing.h>
#include "ipcmbox_uring.h"

#define NAMES		4
#define POOL		24
#define PAGE		4096
#define BUF_SIZE	(128 * 1024)
#define MAGIC		0x7a7a75666d626f78ULL	/* "xobmfuzz" */
#define MAGIC_REF	0x7a7a756666657278ULL	/* "xreffuzz" */
#define HELD		8
#define MAX_FINDINGS	20

enum op {
	OP_OPEN, OP_CLOSE, OP_DUP, OP_CREATE, OP_REMOVE, OP_PAIR, OP_STAT_NAME,
	OP_INFO, OP_SEND, OP_RECV, OP_READ, OP_WRITE, OP_READV, OP_WRITEV,
	OP_POLL, OP_MMAP, OP_CONFIG, OP_STAT, OP_FIONREAD, OP_BAD_IOCTL,
	OP_FCNTL, OP_FORK, OP_ALLOC, OP_RELEASE, OP_REGION_FD, OP_REF_SEND,
	OP_REF_RECV, OP_SEND_BATCH, OP_RECV_BATCH, OP_URING, OP_OWNER,
	OP_SEND_PACKED, OP_RECV_PACKED, NR_OPS
};

static const char *const op_names[NR_OPS] = {
	"open", "close", "dup", "create", "remove", "pair", "stat_name",
	"info", "send", "recv", "read", "write", "readv", "writev", "poll",
	"mmap", "config", "stat", "fionread", "bad_ioctl", "fcntl", "fork",
	"alloc", "release", "region_fd", "ref_send", "ref_recv",
	"send_batch", "recv_batch", "uring", "owner", "send_packed",
	"recv_packed",
};

/*
 * Relative frequencies: message traffic dominates.  Creating, removing
 * and opening nodes and forking cost milliseconds on a debug kernel under
 * TCG, so they are rarer; a pool slot keeps its fd for a while.
 */
static const unsigned int op_weight[NR_OPS] = {
	[OP_OPEN] = 10, [OP_CLOSE] = 6, [OP_DUP] = 3, [OP_CREATE] = 3,
	[OP_REMOVE] = 2, [OP_PAIR] = 3, [OP_STAT_NAME] = 20, [OP_INFO] = 5,
	[OP_SEND] = 140, [OP_RECV] = 140, [OP_READ] = 100, [OP_WRITE] = 100,
	[OP_READV] = 20, [OP_WRITEV] = 20, [OP_POLL] = 50, [OP_MMAP] = 20,
	[OP_CONFIG] = 20, [OP_STAT] = 30, [OP_FIONREAD] = 20,
	[OP_BAD_IOCTL] = 30, [OP_FCNTL] = 15, [OP_FORK] = 1,
	[OP_ALLOC] = 40, [OP_RELEASE] = 20, [OP_REGION_FD] = 3,
	[OP_REF_SEND] = 40, [OP_REF_RECV] = 40,
	[OP_SEND_BATCH] = 15, [OP_RECV_BATCH] = 15, [OP_URING] = 20,
	[OP_OWNER] = 5, [OP_SEND_PACKED] = 10, [OP_RECV_PACKED] = 10,
};

/* Counters shared by all processes (MAP_SHARED). */
struct world {
	atomic_ulong calls[NR_OPS];
	atomic_ulong ok[NR_OPS];
	atomic_ulong errs[NR_OPS][134];	/* by errno */
	atomic_ulong whole;		/* fuzzer messages received whole */
	atomic_ulong by_ref;		/* ... of them received by reference */
	atomic_uint findings;
	atomic_bool stop;
	unsigned long max_calls;
	int64_t deadline_ns;
};

static struct world *w;
static int ctl = -1;
static atomic_int pool[POOL];
static char *ro_page, *none_page, *straddle;
static bool quiet;
static uint64_t excluded;	/* -x: ops never picked, a bit per op */
_Static_assert(NR_OPS <= 64, "a bit per op in excluded");
static bool in_child;	/* a do_fork() child: no further forks */

/*
 * A thread's receive and send buffers.  Mostly BUF_SIZE bytes are used,
 * but a mutated ipcmbox_io may give any length with them, so each has
 * room for the largest message the module takes (msg_size_max) and a
 * page: the kernel then never writes past a receive buffer into another
 * thread's (a torn message the fuzzer itself made), and a send of up to
 * max_msg bytes from one reads the fuzzer's own memory.
 */
struct thr {
	uint64_t rng;
	pthread_t tid;
	char *buf;
	char *msg;
	/* Chunks this thread allocated or received, by fd number. */
	struct held {
		int fd;
		struct ipcmbox_chunk c;
	} held[HELD];
	unsigned int nheld;
	struct uring_fuzz *u;	/* this thread's ring, made on first use */
	struct uring_fuzz *retired[4];	/* rings torn down, kept a while */
	unsigned int nretired;
};

static size_t room;	/* size of each buffer: msg_size_max + PAGE */

static uint64_t next(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545f4914f6cdd1dULL;
}

static uint32_t below(uint64_t *s, uint32_t n)
{
	return (uint32_t)(next(s) % n);
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void finding(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void finding(const char *fmt, ...)
{
	va_list ap;

	if (atomic_fetch_add(&w->findings, 1) >= MAX_FINDINGS)
		return;
	va_start(ap, fmt);
	fprintf(stderr, "fuzz: FINDING: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* Edge and random values for a 32-bit field. */
static uint32_t pick_u32(uint64_t *s)
{
	static const uint32_t edge[] = {
		0, 1, 2, 3, 7, 8, 15, 16, 63, 64, 65, 255, 256, 4095, 4096,
		4097, 65535, 65536, 1U << 20, INT32_MAX, 1U << 31, UINT32_MAX,
		UINT32_MAX - 1,
	};

	if (below(s, 4))
		return edge[below(s, sizeof(edge) / sizeof(edge[0]))];
	return (uint32_t)next(s);
}

static uint64_t pick_u64(uint64_t *s)
{
	switch (below(s, 6)) {
	case 0:
		return next(s);
	case 1:
		return 1ULL << below(s, 64);
	case 2:
		return (1ULL << below(s, 64)) - 1;
	case 3:
		return UINT64_MAX - below(s, 3);
	default:
		return pick_u32(s);
	}
}

/* A structure size: mostly right, sometimes short, long or absurd. */
static uint32_t pick_size(uint64_t *s, uint32_t right)
{
	switch (below(s, 12)) {
	case 0:
		return right - 8;
	case 1:
		return right + 8;
	case 2:
		return PAGE + 8;
	case 3:
		return pick_u32(s);
	default:
		return right;
	}
}

/* A user buffer: valid mostly, else NULL, unmapped, read-only, ... */
static void *pick_buf(struct thr *t, size_t *len, bool out)
{
	uint64_t *s = &t->rng;

	*len = below(s, 3) ? below(s, 600) : pick_u32(s) % (BUF_SIZE + 2);
	switch (below(s, 16)) {
	case 0:
		return NULL;
	case 1:
		return none_page;
	case 2:
		return ro_page;		/* EFAULT for a receive */
	case 3:
		/* The last few bytes before a PROT_NONE page. */
		return straddle + PAGE - below(s, 64);
	case 4:
		return (void *)0xffffffff81000000UL;
	case 5:
		return t->buf + 1 + below(s, 7);	/* misaligned */
	default:
		return out ? t->buf : t->msg;
	}
}

static bool errno_documented(int e)
{
	switch (e) {
	case EAGAIN: case EINTR: case ETIMEDOUT: case EIDRM: case EPIPE:
	case EBADF: case EFAULT: case EINVAL: case EMSGSIZE: case ENOENT:
	case EEXIST: case ENOSPC: case ENOBUFS: case EDQUOT: case EPERM:
	case EACCES: case ENOTTY: case E2BIG: case ENOMEM: case ENAMETOOLONG:
	case EMFILE: case ENODEV: case ENXIO: case EISDIR:
	case ECANCELED: case EOPNOTSUPP:	/* io_uring */
		return true;
	default:
		return false;
	}
}

/* Counts a call's result; CALL() evaluates errno after the call. */
#define CALL(op, expr) ({ long __r = (expr); result(op, __r, errno); __r; })

static void result(enum op op, long ret, int err)
{
	atomic_fetch_add(&w->calls[op], 1);
	if (ret >= 0) {
		atomic_fetch_add(&w->ok[op], 1);
		return;
	}
	if (err > 0 && err < 134)
		atomic_fetch_add(&w->errs[op][err], 1);
	if (!errno_documented(err))
		finding("%s failed with errno %d (%s), not in the ABI",
			op_names[op], err, strerror(err));
}

static int pool_get(uint64_t *s)
{
	unsigned int i, start = below(s, POOL);
	int fd = -1;

	/* Now and then a number that is not (or no longer) ours. */
	if (!below(s, 50))
		return below(s, 2) ? -1 : 1000 + (int)below(s, 10);
	for (i = 0; i < POOL && fd < 0; i++)
		fd = atomic_load(&pool[(start + i) % POOL]);
	return fd;
}

static void pool_put(uint64_t *s, int fd)
{
	int old = atomic_exchange(&pool[below(s, POOL)], fd);

	if (old >= 0)
		close(old);
}

static void name_of(uint64_t *s, char *name, size_t size)
{
	switch (below(s, 20)) {
	case 0:
		snprintf(name, size, "%s", "bad/name");
		break;
	case 1:
		memset(name, 'n', size - 1);	/* too long */
		name[size - 1] = '\0';
		break;
	case 2:
		name[0] = '\0';
		break;
	default:
		snprintf(name, size, "fz%u", below(s, NAMES));
	}
}

/* A message of the fuzzer's own: magic, length, checksum, payload. */
struct hdr {
	uint64_t magic;
	uint32_t len;
	uint32_t sum;
};

/* The checksum of a message's bytes after its header. */
static uint32_t sum_of(const unsigned char *p, size_t len)
{
	return ipcmbox_test_fnv1a(p + sizeof(struct hdr), len - sizeof(struct hdr));
}

/* A message of ours into @p (by reference: @magic MAGIC_REF). */
static size_t make_msg_at(struct thr *t, char *p, uint64_t magic)
{
	size_t len = sizeof(struct hdr) + below(&t->rng, 700);
	struct hdr h = { .magic = magic, .len = (uint32_t)len };
	size_t i;

	for (i = sizeof(h); i < len; i++)
		p[i] = (char)next(&t->rng);
	h.sum = sum_of((unsigned char *)p, len);
	memcpy(p, &h, sizeof(h));
	return len;
}

static size_t make_msg(struct thr *t)
{
	return make_msg_at(t, t->msg, MAGIC);
}

/* A received (untruncated) @n bytes in @p: a fuzzer message is whole. */
static void check_msg(const void *p, size_t n)
{
	struct hdr h;

	if (n < sizeof(h))
		return;
	memcpy(&h, p, sizeof(h));
	if ((h.magic != MAGIC && h.magic != MAGIC_REF) || h.len != n)
		return;	/* not one of ours, or a garbage prefix of one */
	if (h.sum == sum_of(p, n)) {
		atomic_fetch_add(&w->whole, 1);
		if (h.magic == MAGIC_REF)
			atomic_fetch_add(&w->by_ref, 1);
	} else if (h.magic == MAGIC) {
		finding("message of %zu bytes received torn", n);
	}
}

/*
 * Structures are built valid, then (one time in three) one or two fields
 * are replaced with edge or random values: most calls get past validation
 * and reach the queue, the rest probe each check.
 */
static bool mutate(uint64_t *s)
{
	return !below(s, 3);
}

static void io_init(struct thr *t, struct ipcmbox_io *io, bool send)
{
	uint64_t *s = &t->rng;
	unsigned int k;
	size_t len;

	memset(io, 0, sizeof(*io));
	io->size = sizeof(*io);
	if (send) {
		io->buf = (uintptr_t)t->msg;
		io->len = make_msg(t);
		io->type = below(s, 4);
		io->priority = below(s, 4);
	} else {
		io->buf = (uintptr_t)t->buf;
		io->len = below(s, 8) ? BUF_SIZE : below(s, 64);
		io->type = (int64_t)below(s, 7) - 3;
		io->flags = below(s, 6) ? 0 : (below(s, 2) ? IPCMBOX_IO_PEEK :
						     IPCMBOX_IO_TRUNC);
	}
	if (below(s, 2))
		io->flags |= IPCMBOX_IO_NONBLOCK;
	if (!below(s, 4)) {
		io->flags |= IPCMBOX_IO_TIMEOUT;
		io->clock = below(s, 3);
		io->timeout_ns = below(s, 2000000);
	}
	for (k = below(s, 2) + 1; mutate(s) && k; k--) {
		switch (below(s, 9)) {
		case 0: io->size = pick_size(s, sizeof(*io)); break;
		case 1: io->buf = (uintptr_t)pick_buf(t, &len, !send); io->len = len; break;
		case 2: io->len = pick_u64(s); break;
		case 3: io->flags = pick_u32(s); break;
		case 4: io->type = (int64_t)pick_u64(s); break;
		case 5: io->priority = pick_u32(s); break;
		case 6: io->clock = pick_u32(s); break;
		case 7: io->flags |= IPCMBOX_IO_TIMEOUT |
				     (below(s, 2) ? IPCMBOX_IO_ABSTIME : 0);
			io->timeout_ns = (int64_t)pick_u64(s);
			break;
		default:	/* an output or reserved field set: EINVAL */
			if (below(s, 2))
				io->seq = pick_u64(s);
			else
				io->reserved[below(s, 2)] = pick_u64(s);
		}
	}
}

static void do_create(struct thr *t, bool pair)
{
	static const uint32_t caps[] = { 0, 1, 4, 64, IPCMBOX_CAP_UNBOUNDED };
	uint64_t *s = &t->rng;
	struct ipcmbox_create c;
	unsigned int k;
	long ret;

	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	c.set = IPCMBOX_SET_CAPACITY | IPCMBOX_SET_MAX_MSG |
		(pair ? 0 : IPCMBOX_SET_MODE);
	c.capacity = caps[below(s, 5)];
	c.max_msg = below(s, 2) ? 1024 : 1 + below(s, BUF_SIZE);
	c.mode = pair ? 0 : 0666;
	/* CREATE: half the time also opened (_OPEN_RECV/_SEND, fd flags). */
	c.flags = pair ? below(s, 4) : below(s, 2) ? 0 : 4 + below(s, 12);
	if (!pair)
		name_of(s, c.name, sizeof(c.name));
	if (below(s, 2)) {
		c.set |= IPCMBOX_SET_REGION;
		c.region_size = PAGE * (1 + below(s, 16)) - below(s, 2);
	}
	for (k = below(s, 2) + 1; mutate(s) && k; k--) {
		switch (below(s, 9)) {
		case 0: c.size = pick_size(s, sizeof(c)); break;
		case 1: c.set = pick_u32(s); break;
		case 2: c.capacity = pick_u32(s); break;
		case 3: c.max_msg = pick_u32(s); break;
		case 4: c.set |= IPCMBOX_SET_MAX_BYTES; c.max_bytes = pick_u64(s); break;
		case 5: c.mode = pick_u32(s); break;
		case 6: c.flags = pick_u32(s); break;
		case 7:
			if (below(s, 2))
				c.set |= IPCMBOX_SET_REGION;
			c.region_size = pick_u64(s);
			break;
		default: c.reserved[below(s, 2)] = pick_u64(s);
		}
	}
	ret = CALL(pair ? OP_PAIR : OP_CREATE,
		   ioctl(ctl, pair ? IPCMBOX_IOC_PAIR : IPCMBOX_IOC_CREATE, &c));
	if (pair && ret == 0) {
		pool_put(s, c.recv_fd);
		pool_put(s, c.send_fd);
	} else if (ret == 0 && (c.flags & (IPCMBOX_CREATE_OPEN_RECV |
					   IPCMBOX_CREATE_OPEN_SEND))) {
		int fd = c.flags & IPCMBOX_CREATE_OPEN_RECV ? c.recv_fd :
							      c.send_fd;

		if (fd < 0 || ((c.flags & IPCMBOX_CREATE_OPEN_RECV) &&
			       (c.flags & IPCMBOX_CREATE_OPEN_SEND) &&
			       c.send_fd != c.recv_fd))
			finding("create-open: fds %d %d for flags %#x",
				c.recv_fd, c.send_fd, c.flags);
		else
			pool_put(s, fd);
	}
}

static void do_mbox_ioctl(struct thr *t, enum op op)
{
	uint64_t *s = &t->rng;
	int fd = pool_get(s);
	struct ipcmbox_io io;
	long ret;

	if (op == OP_SEND || op == OP_RECV) {
		io_init(t, &io, op == OP_SEND);
		ret = CALL(op, ioctl(fd, op == OP_SEND ? IPCMBOX_IOC_SEND :
					 IPCMBOX_IOC_RECV, below(s, 40) ? (void *)&io :
					 pick_buf(t, &(size_t){0}, true)));
		if (op == OP_RECV && ret == 0 && io.buf == (uintptr_t)t->buf) {
			if (io.len > io.msg_len)
				finding("recv: len %llu > msg_len %llu",
					(unsigned long long)io.len,
					(unsigned long long)io.msg_len);
			if (io.len == io.msg_len && !(io.flags & IPCMBOX_IO_PEEK))
				check_msg(t->buf, io.len);
		}
	} else if (op == OP_STAT) {
		struct ipcmbox_stat st;

		memset(&st, 0, sizeof(st));
		st.size = below(s, 8) ? sizeof(st) : pick_size(s, sizeof(st));
		if (!below(s, 10))
			st.flags = pick_u32(s);
		ret = CALL(op, ioctl(fd, IPCMBOX_IOC_STAT, &st));
		if (ret == 0 && st.size == sizeof(st) && !memchr(st.name, 0, sizeof(st.name)))
			finding("stat: name not terminated");
	} else if (op == OP_CONFIG) {
		struct ipcmbox_config c;

		memset(&c, 0, sizeof(c));
		c.size = sizeof(c);
		c.set = below(s, 4);
		if (c.set & IPCMBOX_SET_CAPACITY)
			c.capacity = (uint32_t[]){ 0, 2, 64, UINT32_MAX }[below(s, 4)];
		if (c.set & IPCMBOX_SET_MAX_MSG)
			c.max_msg = 16 + below(s, 2048);
		if (mutate(s)) {
			switch (below(s, 5)) {
			case 0: c.size = pick_size(s, sizeof(c)); break;
			case 1: c.set = pick_u32(s); break;
			case 2: c.capacity = pick_u32(s); break;
			case 3: c.max_msg = pick_u32(s); break;
			default:
				c.set |= IPCMBOX_SET_MAX_BYTES;
				c.max_bytes = pick_u64(s);
			}
		}
		CALL(op, ioctl(fd, IPCMBOX_IOC_CONFIG, &c));
	} else if (op == OP_OWNER) {
		/* Root stays able to open whatever mode and owner result. */
		struct ipcmbox_owner o;

		memset(&o, 0, sizeof(o));
		o.size = sizeof(o);
		o.set = 1 + below(s, 7);
		o.set = (o.set & 1 ? IPCMBOX_SET_UID : 0) |
			(o.set & 2 ? IPCMBOX_SET_GID : 0) |
			(o.set & 4 ? IPCMBOX_SET_MODE : 0);
		if (o.set & IPCMBOX_SET_UID)
			o.uid = below(s, 2) ? 0 : 65534;
		if (o.set & IPCMBOX_SET_GID)
			o.gid = below(s, 2) ? 0 : 65534;
		if (o.set & IPCMBOX_SET_MODE)
			o.mode = below(s, 0777 + 1);
		if (mutate(s)) {
			switch (below(s, 4)) {
			case 0: o.size = pick_size(s, sizeof(o)); break;
			case 1: o.set = pick_u32(s); break;
			case 2: o.uid = pick_u32(s); break;
			default: o.mode = pick_u32(s);
			}
		}
		CALL(op, ioctl(fd, IPCMBOX_IOC_SET_OWNER, &o));
	} else if (op == OP_FIONREAD) {
		int n = -1;

		ret = CALL(op, ioctl(fd, FIONREAD,
				     below(s, 10) ? (void *)&n : (void *)ro_page));
		if (ret == 0 && n < 0)
			finding("FIONREAD gave %d", n);
	} else {
		/* A real command number with its size, direction or nr flipped. */
		static const unsigned long cmds[] = {
			IPCMBOX_IOC_INFO, IPCMBOX_IOC_CREATE, IPCMBOX_IOC_REMOVE,
			IPCMBOX_IOC_PAIR, IPCMBOX_IOC_STAT_NAME, IPCMBOX_IOC_SEND,
			IPCMBOX_IOC_RECV, IPCMBOX_IOC_STAT, IPCMBOX_IOC_CONFIG,
			IPCMBOX_IOC_SEND_BATCH, IPCMBOX_IOC_RECV_BATCH,
			IPCMBOX_IOC_SET_OWNER,
		};
		unsigned long cmd = cmds[below(s, sizeof(cmds) / sizeof(cmds[0]))];

		cmd ^= 1UL << below(s, 32);
		CALL(op, ioctl(below(s, 2) ? fd : ctl, cmd, t->buf));
	}
}

#define FUZZ_BATCH	8
#define FUZZ_BATCH_BIG	64

/* A batch's own blocking: non-blocking, a timeout, atomic, or none. */
static void batch_wait(uint64_t *s, struct ipcmbox_batch *b, bool send)
{
	if (below(s, 2))
		b->flags |= IPCMBOX_IO_NONBLOCK;
	if (!below(s, 4)) {
		b->flags |= IPCMBOX_IO_TIMEOUT;
		b->clock = below(s, 3);
		b->timeout_ns = below(s, 2000000);
	}
	if (send && !below(s, 4))
		b->flags |= IPCMBOX_BATCH_ATOMIC;
}

/*
 * A batch of up to FUZZ_BATCH entries made like single calls' structures,
 * most of them valid (the batch's own flags and timeout moved to the
 * batch), each receive entry on its own slice of the thread's buffer.
 * One in 16 has 56 to 64 entries: past 60 the kernel allocates its copy
 * of the entries apart from the message pointers (batch.c).
 */
static void do_batch(struct thr *t, bool send)
{
	const uint32_t moved = IPCMBOX_IO_NONBLOCK | IPCMBOX_IO_TIMEOUT |
			       IPCMBOX_IO_ABSTIME | IPCMBOX_IO_PEEK;
	struct ipcmbox_io ios[FUZZ_BATCH_BIG];
	uint64_t *s = &t->rng;
	struct ipcmbox_batch b;
	unsigned int n = below(s, 16) ? 1 + below(s, FUZZ_BATCH) :
					FUZZ_BATCH_BIG - 8 + below(s, 9);
	size_t slice = BUF_SIZE / (n > FUZZ_BATCH ? FUZZ_BATCH_BIG : FUZZ_BATCH);
	unsigned int k;
	int fd = pool_get(s);
	long ret;

	/* Entries past @n are zero (invalid), so no count reaches past them. */
	memset(ios, 0, sizeof(ios));
	for (k = 0; k < n; k++) {
		struct ipcmbox_io *io = &ios[k];

		io_init(t, io, send);
		if (below(s, 8)) {
			io->flags &= ~moved;
			io->clock = 0;
			io->timeout_ns = 0;
		}
		/* A receive entry never reaches past its slice. */
		if (!send && io->buf == (uintptr_t)t->buf) {
			io->buf += k * slice;
			if (io->len > slice)
				io->len = slice;
		}
	}
	memset(&b, 0, sizeof(b));
	b.size = sizeof(b);
	b.msgs = (uintptr_t)ios;
	b.count = n;
	b.stride = sizeof(ios[0]);
	batch_wait(s, &b, send);
	if (mutate(s)) {
		switch (below(s, 8)) {
		case 0: b.size = pick_size(s, sizeof(b)); break;
		case 1: b.flags = pick_u32(s); break;
		case 2:	/* none, into the zero entries, or over the limit */
			b.count = (uint32_t[]){ 0, n + 1 + below(s, FUZZ_BATCH),
				IPCMBOX_BATCH_MAX + 1 + pick_u32(s) % 4096 }[below(s, 3)];
			if (b.count > FUZZ_BATCH_BIG &&
			    b.count <= IPCMBOX_BATCH_MAX)
				b.count = FUZZ_BATCH_BIG;
			break;
		case 3: b.stride = pick_u32(s); break;
		case 4: b.msgs = (uintptr_t)pick_buf(t, &(size_t){0}, !send); break;
		case 5: b.error = pick_u32(s); break;
		case 6:	/* a reserved field, or a packed batch's length */
			if (below(s, 3))
				b.reserved[below(s, 2)] = pick_u64(s);
			else
				b.len = pick_u64(s);
			break;
		default: b.clock = pick_u32(s); break;
		}
	}
	ret = CALL(send ? OP_SEND_BATCH : OP_RECV_BATCH,
		   ioctl(fd, send ? IPCMBOX_IOC_SEND_BATCH :
			 IPCMBOX_IOC_RECV_BATCH, &b));
	if (ret > (long)n)
		finding("%s batch of %u did %ld", send ? "send" : "recv", n,
			ret);
	if (ret > 0 && b.error && !errno_documented((int)b.error))
		finding("batch error %u not in the ABI", b.error);
	for (k = 0; !send && ret > 0 && k < (unsigned int)ret; k++) {
		const struct ipcmbox_io *io = &ios[k];

		if (io->len > io->msg_len)
			finding("recv batch: len %llu > msg_len %llu",
				(unsigned long long)io->len,
				(unsigned long long)io->msg_len);
		if (io->len == io->msg_len && io->buf >= (uintptr_t)t->buf &&
		    io->buf < (uintptr_t)t->buf + BUF_SIZE &&
		    !(io->msg_flags & IPCMBOX_MSG_REF))
			check_msg((const void *)(uintptr_t)io->buf, io->len);
	}
}

#define FUZZ_PACKED	8192

/*
 * A packed batch (IPCMBOX_BATCH_PACKED): a send of up to FUZZ_BATCH
 * fuzzer messages in one buffer, or a receive of up to 64 into the
 * thread's buffer; one time in three a header or a batch field is
 * replaced.  A receive's messages must lie inside the buffer and be whole.
 */
static void do_packed(struct thr *t, bool send)
{
	uint64_t pk[FUZZ_PACKED / sizeof(uint64_t)];
	struct ipcmbox_packed_send *h[FUZZ_BATCH];
	unsigned int n = 0, k;
	uint64_t *s = &t->rng;
	struct ipcmbox_batch b;
	void *buf = t->buf;
	size_t off = 0, len = BUF_SIZE;
	int fd = pool_get(s);
	long ret;

	if (send) {
		unsigned int want = 1 + below(s, FUZZ_BATCH);

		for (; n < want; n++) {
			size_t at = off, mlen = make_msg(t);
			char *p;

			p = ipcmbox_packed_add(pk, sizeof(pk), &off, mlen,
					       below(s, 3), below(s, 4));
			if (!p)
				break;
			memcpy(p, t->msg, mlen);
			h[n] = (struct ipcmbox_packed_send *)((char *)pk + at);
		}
		if (!n)
			return;
		buf = pk;
		len = off;
	}
	ipcmbox_packed_prep(&b, buf, len, send ? n : 1 + below(s, 64), NULL);
	batch_wait(s, &b, send);
	if (mutate(s)) {
		switch (below(s, 10)) {
		case 0: b.flags = pick_u32(s); break;
		case 1: b.count = (uint32_t[]){ 0, b.count + 1,
				IPCMBOX_BATCH_MAX + 1 }[below(s, 3)]; break;
		case 2: b.len = (uint64_t[]){ 0, b.len - 1 - below(s, 64),
				pick_u64(s), 1ULL << 31 }[below(s, 4)];
			/* A receive writes no further than BUF_SIZE. */
			if (b.len > len && (!send || below(s, 2)))
				b.len = len;
			break;
		case 3: b.stride = pick_u32(s); break;
		case 4: b.msgs = (uintptr_t)pick_buf(t, &(size_t){0}, !send);
			break;
		case 5: b.reserved[below(s, 2)] = pick_u64(s); break;
		default:
			if (!send)
				break;
			k = below(s, n);
			switch (below(s, 4)) {
			case 0: h[k]->flags = (uint16_t)pick_u32(s); break;
			case 1: h[k]->priority = (uint16_t)pick_u32(s); break;
			case 2: h[k]->type = (int64_t)pick_u64(s); break;
			default: h[k]->len = pick_u32(s); break;
			}
		}
	}
	ret = CALL(send ? OP_SEND_PACKED : OP_RECV_PACKED,
		   ioctl(fd, send ? IPCMBOX_IOC_SEND_BATCH :
			 IPCMBOX_IOC_RECV_BATCH, &b));
	if (ret > (long)b.count)
		finding("packed %s of %u did %ld", send ? "send" : "recv",
			b.count, ret);
	if (ret > 0 && b.error && !errno_documented((int)b.error))
		finding("packed error %u not in the ABI", b.error);
	if (send || ret <= 0 || b.msgs != (uintptr_t)t->buf)
		return;
	for (off = 0, k = 0; k < (unsigned int)ret; k++) {
		const struct ipcmbox_packed_recv *r;
		size_t at = off;

		if (at + sizeof(*r) > b.len) {
			finding("packed recv: message %u of %ld past the buffer",
				k, ret);
			return;
		}
		r = ipcmbox_packed_next(t->buf, &off);
		if (at + sizeof(*r) + r->len > b.len) {
			finding("packed recv: %u bytes past the buffer", r->len);
			return;
		}
		check_msg(ipcmbox_packed_data(r), r->len);
	}
}

/*
 * io_uring: a ring per thread with its own request slots, since a request
 * in flight writes into its buffer whenever it completes.  A slot is
 * reused only after its completion is reaped (or the ring torn down).
 */
#define URING_SLOTS	16
#define URING_BUF	4096

struct uring_fuzz {
	struct io_uring ring;
	bool busy[URING_SLOTS];
	struct ipcmbox_io io[URING_SLOTS][FUZZ_BATCH];
	struct ipcmbox_batch b[URING_SLOTS];
	char buf[URING_SLOTS][URING_BUF];
};

/* Tag of a request: its slot, and whether its buffer holds a message. */
#define URING_TAG(slot, kind)	((uint64_t)(slot) << 8 | (kind))
enum { UK_NONE, UK_READ, UK_RECV, UK_RECV_BATCH };

static void uring_reap(struct thr *t, bool wait)
{
	struct uring_fuzz *u = t->u;
	struct __kernel_timespec ts = { .tv_nsec = 1000000 };
	struct io_uring_cqe *cqe;
	unsigned int slot, kind, k;
	int res;

	for (;;) {
		res = wait ? io_uring_wait_cqe_timeout(&u->ring, &cqe, &ts) :
			     io_uring_peek_cqe(&u->ring, &cqe);
		if (res)
			return;
		wait = false;
		slot = cqe->user_data >> 8;
		kind = cqe->user_data & 0xff;
		res = cqe->res;
		io_uring_cqe_seen(&u->ring, cqe);
		if (slot >= URING_SLOTS)
			continue;	/* a cancel or a poll */
		result(OP_URING, res < 0 ? -1 : 0, -res);
		if (kind == UK_READ && res > 0)
			check_msg(u->buf[slot], res);
		if (kind == UK_RECV && !res &&
		    u->io[slot][0].len == u->io[slot][0].msg_len &&
		    !(u->io[slot][0].msg_flags & IPCMBOX_MSG_REF))
			check_msg(u->buf[slot], u->io[slot][0].len);
		for (k = 0; kind == UK_RECV_BATCH && res > 0 && k < (unsigned int)res &&
			    k < FUZZ_BATCH; k++) {
			const struct ipcmbox_io *io = &u->io[slot][k];

			if (io->len > io->msg_len)
				finding("uring recv batch: len %llu > msg_len %llu",
					(unsigned long long)io->len,
					(unsigned long long)io->msg_len);
		}
		u->busy[slot] = false;
	}
}

/*
 * One request on a free slot, of a random kind.  Return: its SQE, or NULL
 * when the ring has none free.
 */
static struct io_uring_sqe *uring_prep_one(struct thr *t, unsigned int slot)
{
	static const unsigned int cmds[] = {
		IPCMBOX_IOC_SEND, IPCMBOX_IOC_RECV, IPCMBOX_IOC_SEND_BATCH,
		IPCMBOX_IOC_RECV_BATCH,
	};
	struct uring_fuzz *u = t->u;
	struct io_uring_sqe *sqe = io_uring_get_sqe(&u->ring);
	uint64_t *s = &t->rng;
	int fd = pool_get(s), kind = UK_NONE;
	unsigned int cmd, k;
	size_t len;

	if (!sqe)
		return NULL;
	switch (below(s, 4)) {
	case 0:
		io_uring_prep_read(sqe, fd, u->buf[slot],
				   below(s, 8) ? URING_BUF : below(s, 64), 0);
		if (!below(s, 8))
			sqe->rw_flags = RWF_NOWAIT;
		kind = UK_READ;
		break;
	case 1:
		len = make_msg(t);
		if (len > URING_BUF)
			len = URING_BUF;
		memcpy(u->buf[slot], t->msg, len);
		io_uring_prep_write(sqe, fd, u->buf[slot], len, 0);
		break;
	default:
		cmd = cmds[below(s, 4)];
		if (cmd == IPCMBOX_IOC_SEND || cmd == IPCMBOX_IOC_RECV) {
			bool send = cmd == IPCMBOX_IOC_SEND;

			io_init(t, &u->io[slot][0], send);
			/* Its own buffer, whatever io_init() chose. */
			if (send) {
				len = u->io[slot][0].len > URING_BUF ?
				      URING_BUF : u->io[slot][0].len;
				memcpy(u->buf[slot], t->msg, len);
				u->io[slot][0].len = len;
			} else if (u->io[slot][0].len > URING_BUF) {
				u->io[slot][0].len = URING_BUF;
			}
			u->io[slot][0].buf = (uintptr_t)u->buf[slot];
			ipcmbox_prep_cmd(sqe, fd, cmd, &u->io[slot][0]);
			kind = send ? UK_NONE : UK_RECV;
		} else {
			bool send = cmd == IPCMBOX_IOC_SEND_BATCH;
			unsigned int n = 1 + below(s, FUZZ_BATCH);
			size_t part = URING_BUF / FUZZ_BATCH;

			memset(u->io[slot], 0, sizeof(u->io[slot]));
			for (k = 0; k < n; k++) {
				struct ipcmbox_io *io = &u->io[slot][k];
				char *p = u->buf[slot] + k * part;

				io->size = sizeof(*io);
				io->buf = (uintptr_t)p;
				io->len = part;
				if (send) {
					len = make_msg(t);
					io->len = len > part ? part : len;
					memcpy(p, t->msg, io->len);
				}
			}
			memset(&u->b[slot], 0, sizeof(u->b[slot]));
			u->b[slot].size = sizeof(u->b[slot]);
			u->b[slot].msgs = (uintptr_t)u->io[slot];
			u->b[slot].count = n;
			u->b[slot].stride = sizeof(u->io[slot][0]);
			u->b[slot].flags = below(s, 2) ? IPCMBOX_IO_NONBLOCK : 0;
			if (send && !below(s, 4))
				u->b[slot].flags |= IPCMBOX_BATCH_ATOMIC;
			if (mutate(s))
				u->b[slot].reserved[0] = pick_u64(s);
			ipcmbox_prep_cmd(sqe, fd, cmd, &u->b[slot]);
			kind = send ? UK_NONE : UK_RECV_BATCH;
		}
		if (!below(s, 16))
			sqe->cmd_op = pick_u32(s);
		if (!below(s, 16))
			((struct ipcmbox_uring_cmd *)sqe->cmd)->reserved = 1;
	}
	/* Sometimes straight to a worker, sometimes linked to the next. */
	if (!below(s, 8))
		sqe->flags |= IOSQE_ASYNC;
	if (!below(s, 8))
		sqe->flags |= IOSQE_IO_LINK;
	io_uring_sqe_set_data64(sqe, URING_TAG(slot, kind));
	u->busy[slot] = true;
	return sqe;
}

/*
 * Tears the thread's ring down.  io_uring finishes that after
 * io_uring_queue_exit() has returned, and a request still running in a
 * worker then may yet write its results into the ring's buffers: they are
 * freed only four teardowns later, not reused at once by the next ring.
 */
static void uring_retire(struct thr *t)
{
	unsigned int i = t->nretired++ % 4;

	io_uring_queue_exit(&t->u->ring);
	free(t->retired[i]);
	t->retired[i] = t->u;
	t->u = NULL;
}

/*
 * Submits up to four requests on free slots; then reaps, cancels all, or
 * tears the ring down with requests in flight.
 */
static void do_uring(struct thr *t)
{
	uint64_t *s = &t->rng;
	struct io_uring_sqe *sqe, *prev = NULL;
	unsigned int slot, n = 1 + below(s, 4);
	int ret;

	if (in_child)
		return;		/* the ring is the parent's */
	if (!t->u) {
		t->u = calloc(1, sizeof(*t->u));
		if (!t->u || io_uring_queue_init(2 * URING_SLOTS, &t->u->ring, 0)) {
			free(t->u);
			t->u = NULL;
			return;
		}
	}
	/*
	 * io_uring of Linux 6.12 (6.1 is not affected) reads a uring_cmd's
	 * SQE when the command runs.  One linked behind another request runs
	 * after io_uring_submit() has returned and liburing has handed its
	 * SQ slot out again, so with a later SQE's argument (another slot's
	 * structure), and a chain left open at the end of a submission goes
	 * to a worker whole, its SQEs not copied: neither is a fault of the
	 * module (Documentation/userspace-api.rst tells users the same).  So
	 * no command is linked behind a request, and every chain ends here.
	 */
	for (slot = 0; slot < URING_SLOTS && n; slot++) {
		if (t->u->busy[slot])
			continue;
		n--;
		sqe = uring_prep_one(t, slot);
		if (!sqe)
			continue;
		if (prev && sqe->opcode == IORING_OP_URING_CMD)
			prev->flags &= ~IOSQE_IO_LINK;
		prev = sqe;
	}
	if (prev)
		prev->flags &= ~IOSQE_IO_LINK;
	ret = io_uring_submit(&t->u->ring);
	if (ret < 0 && ret != -EINTR && ret != -EBUSY && ret != -EAGAIN)
		finding("io_uring_submit: %s", strerror(-ret));
	switch (below(s, 16)) {
	case 0:		/* cancel everything in flight */
		sqe = io_uring_get_sqe(&t->u->ring);
		if (sqe) {
			io_uring_prep_cancel64(sqe, 0, IORING_ASYNC_CANCEL_ANY);
			io_uring_sqe_set_data64(sqe, URING_TAG(URING_SLOTS, 0));
			io_uring_submit(&t->u->ring);
		}
		uring_reap(t, true);
		break;
	case 1:		/* teardown with requests in flight */
		uring_retire(t);
		break;
	default:
		uring_reap(t, below(s, 4) == 0);
	}
}

/* The worker's end: its rings' buffers stay until the process exits. */
static void uring_close(struct thr *t)
{
	if (t->u)
		uring_retire(t);
}

/*
 * A pool number read by one thread may be closed by another and reused
 * for any new fd, this process's io_uring rings included.  A step that
 * looks at an object and then maps it works on a duplicate, so both look
 * at one object: -1 (errno set) when @fd is no open fd.
 */
static int pin(int fd)
{
	return fcntl(fd, F_DUPFD_CLOEXEC, 0);
}

/* The size of @fd's region, 0 when none (or not a mailbox fd). */
static size_t region_size_of(int fd)
{
	struct ipcmbox_stat st;

	return ipcmbox_stat(fd, &st) ? 0 : (size_t)st.region_size;
}

/* Whether @fd is one of the module's: a mailbox fd or a region fd. */
static bool is_ipcmbox_fd(int fd)
{
	static const char region[] = "anon_inode:[ipcmbox-region]";
	struct ipcmbox_stat st;
	char path[64], link[sizeof(region) + 1];
	ssize_t n;

	if (!ipcmbox_stat(fd, &st))
		return true;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, link, sizeof(link));
	return n == (ssize_t)sizeof(region) - 1 && !memcmp(link, region, (size_t)n);
}

/* All of @fd's region mapped shared, or NULL; *@size its length. */
static void *map_region(int fd, bool write, size_t *size)
{
	void *m = MAP_FAILED;
	int d = pin(fd);

	*size = region_size_of(d);
	if (*size)
		m = mmap(NULL, *size, PROT_READ | (write ? PROT_WRITE : 0),
			 MAP_SHARED, d, 0);
	if (d >= 0)
		close(d);
	/* The caller unmaps it. */
	return m == MAP_FAILED ? NULL : m; // cppcheck-suppress memleak
}

/* Remembers a chunk @fd now holds; the oldest is released for room. */
static void hold(struct thr *t, int fd, const struct ipcmbox_chunk *c)
{
	struct held *h;

	if (t->nheld == HELD) {
		h = &t->held[0];
		ipcmbox_release(h->fd, &h->c, 1);
		memmove(h, h + 1, (HELD - 1) * sizeof(*h));
		t->nheld--;
	}
	t->held[t->nheld++] = (struct held){ .fd = fd, .c = *c };
}

static void unhold(struct thr *t, unsigned int i)
{
	memmove(&t->held[i], &t->held[i + 1],
		(t->nheld - i - 1) * sizeof(t->held[0]));
	t->nheld--;
}

static void do_alloc(struct thr *t)
{
	/* The kernel may write up to 1024 entries: t->buf has the room. */
	struct ipcmbox_chunk *out = (struct ipcmbox_chunk *)t->buf;
	uint64_t *s = &t->rng;
	int fd = pool_get(s);
	struct ipcmbox_chunks c;
	bool plain = true;
	unsigned int k;
	size_t len;
	long ret;

	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	c.chunks = (uintptr_t)out;
	c.count = 1 + below(s, 4);
	c.len = PAGE * (1 + below(s, 3)) - below(s, 2);
	c.flags = below(s, 4) ? IPCMBOX_IO_NONBLOCK : 0;
	if (!below(s, 4)) {
		c.flags |= IPCMBOX_IO_TIMEOUT;
		c.clock = below(s, 3);
		c.timeout_ns = below(s, 2000000);
	}
	for (k = below(s, 2) + 1; mutate(s) && k; k--) {
		plain = false;
		switch (below(s, 7)) {
		case 0: c.size = pick_size(s, sizeof(c)); break;
		case 1: c.flags = pick_u32(s); break;
		case 2: c.count = pick_u32(s) % (IPCMBOX_CHUNKS_MAX + 2); break;
		case 3: c.len = pick_u64(s); break;
		case 4: c.chunks = (uintptr_t)pick_buf(t, &len, true); break;
		case 5: c.timeout_ns = (int64_t)pick_u64(s); break;
		default: c.reserved[below(s, 3)] = pick_u64(s);
		}
	}
	ret = CALL(OP_ALLOC, ioctl(fd, IPCMBOX_IOC_ALLOC, &c));
	if (ret || !plain)
		return;
	if (!c.count || c.count > 4)
		finding("alloc: %u chunks", c.count);
	for (k = 0; k < c.count && k < 4; k++) {
		if (out[k].offset % PAGE || out[k].len % PAGE ||
		    out[k].len < PAGE)
			finding("alloc: chunk %llu+%llu",
				(unsigned long long)out[k].offset,
				(unsigned long long)out[k].len);
		hold(t, fd, &out[k]);
	}
}

static void do_release(struct thr *t)
{
	struct ipcmbox_chunk list[HELD + 1];
	uint64_t *s = &t->rng;
	unsigned int n = 0, k, first = 0;
	bool ours = false, twice = false;
	struct ipcmbox_chunks c;
	int fd;
	long ret;

	if (!t->nheld || !below(s, 8)) {
		/* Nothing of ours: offsets no chunk can start at. */
		fd = pool_get(s);
		list[n++] = (struct ipcmbox_chunk){
			.offset = below(s, 2) ? pick_u64(s) | 1 : UINT64_MAX & ~(PAGE - 1ULL),
			.len = pick_u64(s),
		};
	} else {
		first = below(s, t->nheld);
		fd = t->held[first].fd;
		for (k = first; k < t->nheld && t->held[k].fd == fd &&
		     n < 1 + below(s, 3); k++)
			list[n++] = t->held[k].c;
		ours = true;
		twice = !below(s, 10);
		if (twice)
			list[n++] = list[0];	/* named twice: ENOENT, none freed */
	}
	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	c.chunks = (uintptr_t)list;
	c.count = n;
	if (mutate(s) && !below(s, 3))
		c.reserved[0] = 1;
	ret = CALL(OP_RELEASE, ioctl(fd, IPCMBOX_IOC_RELEASE, &c));
	if (ret == 0 && twice)
		finding("release: a chunk named twice was released");
	else if (ret == 0 && ours)
		for (k = 0; k < n; k++)
			unhold(t, first);
}

static void do_ref_send(struct thr *t)
{
	uint64_t *s = &t->rng;
	struct ipcmbox_io io;
	unsigned int i;
	size_t size, len = sizeof(struct hdr);
	struct held h;
	char *m;
	long ret;

	if (!t->nheld) {
		/* A reference to nothing held. */
		memset(&io, 0, sizeof(io));
		io.size = sizeof(io);
		io.flags = IPCMBOX_IO_REF | IPCMBOX_IO_NONBLOCK;
		io.ref_offset = below(s, 2) ? PAGE * below(s, 20) : pick_u64(s);
		io.len = below(s, 2) ? 1 : pick_u64(s);
		CALL(OP_REF_SEND, ioctl(pool_get(s), IPCMBOX_IOC_SEND, &io));
		return;
	}
	i = below(s, t->nheld);
	h = t->held[i];
	m = map_region(h.fd, true, &size);
	if (m && h.c.offset + PAGE <= size) {
		len = make_msg_at(t, m + h.c.offset, MAGIC_REF);
		/* Sometimes the mapping goes away only after the send. */
		if (below(s, 2)) {
			munmap(m, size);
			m = NULL;
		}
	}
	memset(&io, 0, sizeof(io));
	io.size = sizeof(io);
	io.flags = IPCMBOX_IO_REF | (below(s, 2) ? IPCMBOX_IO_NONBLOCK : 0);
	io.ref_offset = h.c.offset;
	io.len = len;
	io.type = below(s, 4);
	io.priority = below(s, 4);
	if (mutate(s)) {
		switch (below(s, 5)) {
		case 0: io.ref_offset += below(s, 2) ? 1 : PAGE; break;
		case 1: io.len = h.c.len + 1; break;
		case 2: io.len = pick_u64(s); break;
		case 3: io.buf = (uintptr_t)t->msg; break;
		default: io.msg_flags = 1;
		}
	}
	ret = CALL(OP_REF_SEND, ioctl(h.fd, IPCMBOX_IOC_SEND, &io));
	if (m)
		munmap(m, size);
	if (ret == 0 && i < t->nheld && t->held[i].c.offset == h.c.offset)
		unhold(t, i);
}

static void do_ref_recv(struct thr *t)
{
	uint64_t *s = &t->rng;
	int fd = pool_get(s), d = pin(fd);	/* received from and mapped */
	struct ipcmbox_chunk c;
	struct ipcmbox_io io;
	size_t size;
	char *m;
	long ret;

	io_init(t, &io, false);
	if (!mutate(s))
		io.flags &= ~IPCMBOX_IO_PEEK;
	io.flags |= IPCMBOX_IO_REF;
	ret = CALL(OP_REF_RECV, ioctl(d, IPCMBOX_IOC_RECV, &io));
	if (ret || io.buf != (uintptr_t)t->buf) {
		if (d >= 0)
			close(d);
		return;
	}
	if (!(io.msg_flags & IPCMBOX_MSG_REF)) {
		if (io.len == io.msg_len)
			check_msg(t->buf, io.len);
		return;
	}
	if (io.ref_offset % PAGE || io.len != io.msg_len)
		finding("ref_recv: chunk at %llu, len %llu of %llu",
			(unsigned long long)io.ref_offset,
			(unsigned long long)io.len,
			(unsigned long long)io.msg_len);
	c = (struct ipcmbox_chunk){ .offset = io.ref_offset, .len = io.len };
	m = map_region(d, false, &size);
	if (m) {
		if (c.offset + c.len <= size)
			check_msg(m + c.offset, c.len);
		else
			finding("ref_recv: chunk %llu+%llu past a %zu-byte region",
				(unsigned long long)c.offset,
				(unsigned long long)c.len, size);
		munmap(m, size);
	}
	if (below(s, 2))
		CALL(OP_RELEASE, ipcmbox_release(d, &c, 1));
	else
		hold(t, fd, &c);	/* by number, like every pool fd */
	close(d);
}

static void do_region_fd(struct thr *t)
{
	uint64_t *s = &t->rng;
	struct ipcmbox_region_fd rf;
	size_t size;
	void *m;
	long ret;

	memset(&rf, 0, sizeof(rf));
	rf.size = sizeof(rf);
	rf.flags = below(s, 2) ? IPCMBOX_REGION_CLOEXEC : 0;
	if (mutate(s)) {
		switch (below(s, 4)) {
		case 0: rf.size = pick_size(s, sizeof(rf)); break;
		case 1: rf.flags = pick_u32(s); break;
		case 2: rf.fd = (int32_t)pick_u32(s); break;
		default: rf.reserved[below(s, 2)] = pick_u64(s);
		}
	}
	ret = CALL(OP_REGION_FD, ioctl(pool_get(s), IPCMBOX_IOC_REGION_FD, &rf));
	if (ret)
		return;
	if (below(s, 2)) {
		pool_put(s, rf.fd);	/* every other op gets to try it */
		return;
	}
	size = PAGE;
	m = mmap(NULL, size, PROT_READ, MAP_SHARED, rf.fd, 0);
	close(rf.fd);	/* the mapping keeps the mailbox */
	if (m != MAP_FAILED)
		munmap(m, size);
}

/*
 * A mapping of some fd's region, used and then undone in one of many ways.
 * Only a mapping of the module's own object is used: the fd may have
 * become another thread's io_uring ring, whose mapping has no fault
 * handler, so a page zapped by MADV_DONTNEED and touched again is a
 * SIGBUS that says nothing about ipcmbox.
 */
static void do_mmap(struct thr *t)
{
	uint64_t *s = &t->rng;
	int fd = pin(pool_get(s)), fl = fcntl(fd, F_GETFL);
	size_t size = PAGE * (1 + below(s, 4)), i;
	int prot = below(s, 2) ? PROT_READ : PROT_READ | PROT_WRITE;
	bool ours = fd >= 0 && is_ipcmbox_fd(fd);
	volatile char *m;
	void *r;
	int err;

	m = mmap(NULL, size, prot, below(s, 10) ? MAP_SHARED : MAP_PRIVATE, fd,
		 PAGE * below(s, 3));
	err = errno;
	if (fd >= 0)
		close(fd);	/* the mapping keeps the file */
	result(OP_MMAP, m == MAP_FAILED ? -1 : 0, err);
	if (m == MAP_FAILED)
		return;
	if (!ours) {
		munmap((void *)m, size);
		return;
	}
	for (i = 0; i < size; i += PAGE)
		(void)m[i];
	if (prot & PROT_WRITE)
		m[below(s, (uint32_t)size)] = (char)next(s);
	switch (below(s, 6)) {
	case 0:	/* grown: VM_DONTEXPAND refuses, in place or moved */
		r = mremap((void *)m, size, size + PAGE,
			   below(s, 2) ? MREMAP_MAYMOVE : 0);
		if (r != MAP_FAILED) {
			finding("mremap grew a region mapping");
			m = r;
			size += PAGE;
		}
		break;
	case 1:	/* moved */
		r = mremap((void *)m, size, size, MREMAP_MAYMOVE);
		if (r != MAP_FAILED)
			m = r;
		(void)m[0];
		break;
	case 2:	/* dropped and faulted back */
		madvise((void *)m, size, MADV_DONTNEED);
		for (i = 0; i < size; i += PAGE)
			(void)m[i];
		break;
	case 3:	/* write added to a read-only fd's mapping */
		if (!mprotect((void *)m, size, PROT_READ | PROT_WRITE) &&
		    fl >= 0 && (fl & O_ACCMODE) == O_RDONLY)
			finding("mprotect gave PROT_WRITE on an O_RDONLY fd's mapping");
		break;
	default:
		break;
	}
	munmap((void *)m, size);
}

static void do_rw(struct thr *t, enum op op)
{
	uint64_t *s = &t->rng;
	int fd = pool_get(s);
	struct iovec iov[3];
	size_t len;
	void *p;
	ssize_t n;

	switch (op) {
	case OP_READ:
		p = pick_buf(t, &len, true);
		n = CALL(op, read(fd, p, len));
		if (n > (ssize_t)len)
			finding("read returned %zd > %zu", n, len);
		if (n > 0 && p == t->buf)
			check_msg(p, n);
		break;
	case OP_WRITE:
		if (below(s, 2)) {
			p = t->msg;
			len = make_msg(t);
		} else {
			p = pick_buf(t, &len, false);
		}
		n = CALL(op, write(fd, p, len));
		if (n >= 0 && (size_t)n != len)
			finding("write of %zu wrote %zd: not one whole message", len, n);
		break;
	default:
		len = make_msg(t);
		iov[0] = (struct iovec){ t->msg, len / 3 };
		iov[1] = (struct iovec){ t->msg + len / 3, 0 };
		iov[2] = (struct iovec){ t->msg + len / 3, len - len / 3 };
		if (!below(s, 8))
			iov[1].iov_base = pick_buf(t, &iov[1].iov_len, op == OP_READV);
		if (op == OP_READV) {
			iov[0].iov_base = t->buf;
			iov[2].iov_base = t->buf + len / 3;
			iov[2].iov_len = BUF_SIZE - len / 3;
			n = CALL(op, readv(fd, iov, 3));
		} else {
			n = CALL(op, writev(fd, iov, 3));
		}
		if (op == OP_READV && n > 0 && iov[1].iov_len == 0)
			check_msg(t->buf, n);
	}
}

static void do_misc(struct thr *t, enum op op)
{
	uint64_t *s = &t->rng;
	char name[IPCMBOX_NAME_MAX + 1];
	long ret;
	int fd;

	switch (op) {
	case OP_OPEN: {
		static const int modes[] = { O_RDONLY, O_WRONLY, O_RDWR, O_RDWR };
		char path[128];

		name_of(s, name, sizeof(name));
		snprintf(path, sizeof(path), "/dev/ipcmbox/%s", name);
		fd = CALL(op, open(path, modes[below(s, 4)] | O_CLOEXEC |
				   (below(s, 4) ? O_NONBLOCK : 0)));
		if (fd >= 0)
			pool_put(s, fd);
		break;
	}
	case OP_CLOSE:
		fd = atomic_exchange(&pool[below(s, POOL)], -1);
		if (fd >= 0)
			CALL(op, close(fd));
		break;
	case OP_DUP:
		fd = CALL(op, dup(pool_get(s)));
		if (fd >= 0)
			pool_put(s, fd);
		break;
	case OP_REMOVE: {
		struct ipcmbox_name n;

		memset(&n, 0, sizeof(n));
		n.size = below(s, 8) ? sizeof(n) : pick_size(s, sizeof(n));
		n.flags = below(s, 10) ? 0 : pick_u32(s);
		name_of(s, n.name, sizeof(n.name));
		CALL(op, ioctl(ctl, IPCMBOX_IOC_REMOVE, &n));
		break;
	}
	case OP_STAT_NAME: {
		struct ipcmbox_stat st;

		memset(&st, 0, sizeof(st));
		st.size = below(s, 8) ? sizeof(st) : pick_size(s, sizeof(st));
		if (below(s, 2)) {
			st.flags = IPCMBOX_STAT_NEXT;
			st.id = below(s, 4) ? below(s, 8) : pick_u32(s);
		} else {
			name_of(s, st.name, sizeof(st.name));
		}
		CALL(op, ioctl(ctl, IPCMBOX_IOC_STAT_NAME, &st));
		break;
	}
	case OP_INFO: {
		struct ipcmbox_info info;

		memset(&info, 0, sizeof(info));
		info.size = below(s, 4) ? sizeof(info) : pick_size(s, sizeof(info));
		ret = CALL(op, ioctl(ctl, IPCMBOX_IOC_INFO, &info));
		if (ret == 0 && info.abi_version != IPCMBOX_ABI_VERSION)
			finding("info: abi_version %u", info.abi_version);
		break;
	}
	case OP_POLL: {
		struct pollfd p[3];
		int i;

		for (i = 0; i < 3; i++)
			p[i] = (struct pollfd){ pool_get(s), (short)next(s), 0 };
		CALL(op, poll(p, 3, below(s, 3)));
		break;
	}
	case OP_MMAP:
		do_mmap(t);
		break;
	case OP_FCNTL:
		fd = pool_get(s);
		switch (below(s, 4)) {
		case 0:
			ret = fcntl(fd, F_SETFL, below(s, 2) ? O_NONBLOCK : 0);
			break;
		case 1:
			ret = fcntl(fd, F_SETFL, O_ASYNC | O_NONBLOCK);
			if (ret == 0)
				ret = fcntl(fd, F_SETOWN, getpid());
			break;
		case 2:
			ret = fcntl(fd, F_SETSIG, SIGURG);
			break;
		default:
			ret = fcntl(fd, F_SETFL, 0);
		}
		result(op, ret, errno);	/* errno right after the fcntl */
		break;
	default:
		break;
	}
}

static void one_call(struct thr *t);

static void sig_noop(int sig)
{
	(void)sig;
}

/* A child that inherits the fds, makes a few calls, exits or is killed. */
static void do_fork(struct thr *t)
{
	struct itimerval it = { { 0, 3000 }, { 0, 3000 } };
	uint64_t seed = next(&t->rng);
	pid_t pid = fork();
	int i, err = errno;

	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		in_child = true;
		t->rng = seed | 1;
		setitimer(ITIMER_REAL, &it, NULL);
		for (i = 0; i < 20; i++)
			one_call(t);
		_exit(0);
	}
	result(OP_FORK, pid, err);
	if (pid > 0) {
		if (!below(&t->rng, 3))
			kill(pid, SIGKILL);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
}

/* The sum of op_weight[], set by main() before any worker starts. */
static unsigned int op_total;

static enum op pick_op(uint64_t *s)
{
	unsigned int r, i;

	do {
		r = below(s, op_total);
		for (i = 0; r >= op_weight[i]; i++)
			r -= op_weight[i];
	} while (excluded & (1ULL << i));
	return (enum op)i;
}

/* The operation each worker thread is in, for the fault reporter. */
static _Thread_local volatile int current_op = -1;

/*
 * A SIGBUS or SIGSEGV is a finding: says which operation took it and at
 * what address, with async-signal-safe calls only, then dies of it.
 */
static void fault_report(int sig, siginfo_t *si, void *uc)
{
	static const char hex[] = "0123456789abcdef";
	uintptr_t a = (uintptr_t)si->si_addr;
	char msg[160], *p = msg;
	const char *name = current_op >= 0 && current_op < NR_OPS ?
			   op_names[current_op] : "?";
	int i;

	(void)uc;
	for (const char *q = "fuzz: FINDING: fault signal "; *q; q++)
		*p++ = *q;
	*p++ = sig == SIGBUS ? 'B' : 'S';
	for (const char *q = " in op "; *q; q++)
		*p++ = *q;
	for (i = 0; i < 16 && name[i]; i++)
		*p++ = name[i];
	for (const char *q = " at 0x"; *q; q++)
		*p++ = *q;
	for (i = 60; i >= 0; i -= 4)
		*p++ = hex[(a >> i) & 0xf];
	*p++ = '\n';
	if (write(STDERR_FILENO, msg, (size_t)(p - msg)) < 0)
		p = msg;
	signal(sig, SIG_DFL);
	raise(sig);
}

static void one_call(struct thr *t)
{
	enum op op = pick_op(&t->rng);

	current_op = op;

	switch (op) {
	case OP_CREATE:
	case OP_PAIR:
		do_create(t, op == OP_PAIR);
		break;
	case OP_SEND: case OP_RECV: case OP_STAT: case OP_CONFIG:
	case OP_FIONREAD: case OP_BAD_IOCTL: case OP_OWNER:
		do_mbox_ioctl(t, op);
		break;
	case OP_READ: case OP_WRITE: case OP_READV: case OP_WRITEV:
		do_rw(t, op);
		break;
	case OP_FORK:
		if (!in_child)
			do_fork(t);
		break;
	case OP_ALLOC:
		do_alloc(t);
		break;
	case OP_RELEASE:
		do_release(t);
		break;
	case OP_REF_SEND:
		do_ref_send(t);
		break;
	case OP_REF_RECV:
		do_ref_recv(t);
		break;
	case OP_REGION_FD:
		do_region_fd(t);
		break;
	case OP_SEND_BATCH:
	case OP_RECV_BATCH:
		do_batch(t, op == OP_SEND_BATCH);
		break;
	case OP_URING:
		do_uring(t);
		break;
	case OP_SEND_PACKED:
	case OP_RECV_PACKED:
		do_packed(t, op == OP_SEND_PACKED);
		break;
	default:
		do_misc(t, op);
	}
}

static unsigned long total_calls(void)
{
	unsigned long n = 0;
	int i;

	for (i = 0; i < NR_OPS; i++)
		n += atomic_load(&w->calls[i]);
	return n;
}

/* This process's workers that have not returned yet. */
static atomic_uint running;

static void *worker(void *arg)
{
	struct thr *t = arg;
	unsigned int i = 0;

	while (!atomic_load(&w->stop)) {
		one_call(t);
		if (++i % 64 == 0 && (now_ns() > w->deadline_ns ||
				      (w->max_calls && total_calls() >= w->max_calls)))
			atomic_store(&w->stop, true);
	}
	uring_close(t);
	atomic_fetch_sub(&running, 1);
	return NULL;
}

/*
 * Interrupts the workers every few ms so no blocked call hangs the run,
 * until the last one has returned: a worker that read "not stopped" just
 * before another set it may still make one blocking call (a receive from
 * a mailbox nobody sends to any more) after the stop.
 */
static void *interrupter(void *arg)
{
	struct thr **ts = arg;
	unsigned int i;

	while (atomic_load(&running)) {
		usleep(4000);
		for (i = 0; ts[i]; i++)
			pthread_kill(ts[i]->tid, SIGUSR1);
	}
	return NULL;
}

static int run_process(uint64_t seed, unsigned int proc, unsigned int nthreads)
{
	struct thr **ts = calloc(nthreads + 1, sizeof(*ts));
	struct sigaction sa = { .sa_handler = sig_noop };	/* no SA_RESTART */
	pthread_t irq;
	unsigned int i;
	char *m;

	struct sigaction fault = {
		.sa_sigaction = fault_report, .sa_flags = SA_SIGINFO,
	};

	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	sigaction(SIGBUS, &fault, NULL);
	sigaction(SIGSEGV, &fault, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGIO, SIG_IGN);
	signal(SIGURG, SIG_IGN);
	m = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!ts || m == MAP_FAILED)
		return 2;
	ro_page = m;
	none_page = m + PAGE;
	straddle = m + 2 * PAGE;
	mprotect(ro_page, PAGE, PROT_READ);
	mprotect(none_page, PAGE, PROT_NONE);
	mprotect(straddle + PAGE, PAGE, PROT_NONE);
	for (i = 0; i < POOL; i++)
		atomic_init(&pool[i], -1);
	ctl = ipcmbox_control_open();
	if (ctl < 0) {
		perror("fuzz: " IPCMBOX_CONTROL_PATH);
		return 2;
	}
	atomic_store(&running, nthreads);
	for (i = 0; i < nthreads; i++) {
		ts[i] = calloc(1, sizeof(**ts));
		if (!ts[i])
			return 2;
		ts[i]->buf = mmap(NULL, 2 * room, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (ts[i]->buf == MAP_FAILED)
			return 2;
		ts[i]->msg = ts[i]->buf + room;
		ts[i]->rng = (seed ^ (0x9e3779b97f4a7c15ULL * (proc * 64 + i + 1))) | 1;
		if (pthread_create(&ts[i]->tid, NULL, worker, ts[i]))
			return 2;
	}
	if (pthread_create(&irq, NULL, interrupter, ts))
		return 2;
	/*
	 * The interrupter first: it signals each worker until all have
	 * returned, and a thread's id is valid for pthread_kill() until it
	 * is joined.
	 */
	pthread_join(irq, NULL);
	for (i = 0; i < nthreads; i++)
		pthread_join(ts[i]->tid, NULL);
	return 0;
}

/* The module's largest message (its msg_size_max parameter). */
static size_t msg_size_max(void)
{
	long long max = ipcmbox_test_read_ull(IPCMBOX_SYSFS_MODULE
					      "/parameters/msg_size_max");

	if (max < 0)
		return 1U << 20;	/* the module's default */
	return max < BUF_SIZE ? BUF_SIZE : (size_t)max;
}

/*
 * Every fuzzing process has exited, so no file holds a chunk: once the
 * queue of @name is drained, none of its region may be in use.
 */
static void drained_region_is_free(const char *name)
{
	const struct ipcmbox_opts o = {
		.flags = IPCMBOX_IO_NONBLOCK | IPCMBOX_IO_TRUNC,
	};
	struct ipcmbox_stat st;
	char buf[64];
	int fd = ipcmbox_open(name, O_RDONLY | O_NONBLOCK);

	if (fd < 0)
		return;
	while (ipcmbox_recv(fd, buf, sizeof(buf), &o, NULL) >= 0)
		;
	if (!ipcmbox_stat(fd, &st) && st.region_used)
		finding("%s: %llu bytes of its region in use after the run",
			name, (unsigned long long)st.region_used);
	close(fd);
}

/* Removes every mailbox; the module must then report none. */
static void cleanup(void)
{
	struct ipcmbox_stat st = { .size = sizeof(st) };
	struct ipcmbox_info info;
	int fd = ipcmbox_control_open();

	if (fd < 0) {
		finding("cannot open the control node after the run: %s", strerror(errno));
		return;
	}
	st.id = 0;
	while (ipcmbox_list_next(fd, &st) == 0) {
		drained_region_is_free(st.name);
		if (ipcmbox_remove(st.name))
			finding("cannot remove %s: %s", st.name, strerror(errno));
	}
	if (ipcmbox_get_info(fd, &info))
		finding("info after the run: %s", strerror(errno));
	else if (info.nr_mailboxes)
		finding("%u mailboxes left after removing all", info.nr_mailboxes);
	close(fd);
}

/* One op's counts and its three most frequent errnos. */
static void print_op(unsigned int op)
{
	unsigned long top[3] = { 0 }, n;
	int e, k, id[3] = { 0 };

	for (e = 1; e < 134; e++) {
		n = atomic_load(&w->errs[op][e]);
		for (k = 0; k < 3; k++) {
			if (n > top[k]) {
				memmove(&top[k + 1], &top[k], (2 - k) * sizeof(top[0]));
				memmove(&id[k + 1], &id[k], (2 - k) * sizeof(id[0]));
				top[k] = n;
				id[k] = e;
				break;
			}
		}
	}
	printf("fuzz:   %-10s %9lu calls, %9lu ok", op_names[op],
	       atomic_load(&w->calls[op]), atomic_load(&w->ok[op]));
	for (k = 0; k < 3 && top[k]; k++)
		printf(", %s %lu", strerrorname_np(id[k]), top[k]);
	printf("\n");
}

int main(int argc, char **argv)
{
	unsigned int procs = 2, threads = 3, i, seconds = 10;
	uint64_t seed = (uint64_t)now_ns() ^ ((uint64_t)getpid() << 32);
	unsigned long max_calls = 0;
	int opt, status, bad = 0;
	int64_t t0;
	pid_t *pids;

	while ((opt = getopt(argc, argv, "s:t:n:p:j:x:rq")) != -1) {
		switch (opt) {
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 't': seconds = strtoul(optarg, NULL, 0); break;
		case 'n': max_calls = strtoul(optarg, NULL, 0); break;
		case 'p': procs = strtoul(optarg, NULL, 0); break;
		case 'j': threads = strtoul(optarg, NULL, 0); break;
		case 'r': procs = 1; threads = 1; break;
		case 'q': quiet = true; break;
		case 'x':
			for (i = 0; i < NR_OPS && strcmp(optarg, op_names[i]); i++)
				;
			if (i == NR_OPS || i == OP_SEND) {
				fprintf(stderr, "fuzz: -x: no op '%s' to exclude\n", optarg);
				return 2;
			}
			excluded |= 1ULL << i;
			break;
		default:
			fprintf(stderr, "usage: fuzz [-s SEED] [-t SECONDS] [-n CALLS] [-p PROCS] [-j THREADS] [-x OP] [-r] [-q]\n");
			return 2;
		}
	}
	if (!procs || !threads || procs > 16 || threads > 16) {
		fprintf(stderr, "fuzz: 1..16 processes and threads\n");
		return 2;
	}
	for (i = 0; i < NR_OPS; i++)
		op_total += op_weight[i];
	room = msg_size_max() + PAGE;
	/* A runner that kills its script (a timeout) ends the fuzzer too. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	w = mmap(NULL, sizeof(*w), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pids = calloc(procs, sizeof(*pids));
	if (w == MAP_FAILED || !pids)
		return 2;
	w->max_calls = max_calls;
	t0 = now_ns();
	w->deadline_ns = t0 + (int64_t)seconds * 1000000000LL;
	printf("fuzz: seed 0x%016" PRIx64 ", %u processes x %u threads, %u s%s\n",
	       seed, procs, threads, seconds, max_calls ? " or the call limit" : "");
	fflush(stdout);

	for (i = 0; i < procs; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			return 2;
		if (pids[i] == 0) {
			/* Nothing outlives the run, whatever kills it. */
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			_exit(run_process(seed, i, threads));
		}
	}
	for (i = 0; i < procs; i++) {
		if (waitpid(pids[i], &status, 0) != pids[i] || !WIFEXITED(status) ||
		    WEXITSTATUS(status)) {
			finding("process %u ended with status 0x%x", i, status);
			bad = 1;
		}
	}
	free(pids);
	cleanup();

	if (!quiet)
		for (i = 0; i < NR_OPS; i++)
			print_op(i);
	printf("fuzz: %lu calls in %.1f s, %lu messages checked whole (%lu by reference), %u findings, seed 0x%016" PRIx64 "\n",
	       total_calls(), (now_ns() - t0) / 1e9, atomic_load(&w->whole),
	       atomic_load(&w->by_ref), atomic_load(&w->findings), seed);
	return bad || atomic_load(&w->findings) ? 1 : 0;
}
