// SPDX-License-Identifier: GPL-2.0-only
/*
 * ipcmbox-callcost: what one send and one receive cost on each mechanism,
 * with nobody waiting: a process queues BATCH messages (a batch row: its
 * batch size, if larger), then takes them back, ROUNDS times, and prints
 * the median round's time per call of each side (the median leaves out
 * the rounds that an interrupt or another task's work landed in).
 * In a guest in instruction-count mode (run-vm.sh --icount, make profile)
 * a nanosecond is one guest instruction, so the table is the number of
 * instructions each call executes, user and kernel, and it repeats
 * exactly; elsewhere it is wall time.  No context switch is involved:
 * this is the per-message part of a mechanism's cost, the part a round
 * trip adds its two sleeps and wake-ups to.
 *
 *   ipcmbox-callcost [-z SIZE] [-r ROUNDS] [-m NAME,...]
 */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/uio.h>
#include <unistd.h>

#include <ipcmbox.h>

#define BATCH		8
#define BATCH_MAX	64

struct cost_ctx {
	int fd[2];
	mqd_t mq;
	size_t size;
	char *buf;
	unsigned int n;		/* messages per round */
	unsigned int per_call;	/* messages per call */
	struct ipcmbox_mmsg mm[BATCH_MAX];
	char *packed;		/* a packed batch's buffer */
	char *frame;		/* pipe-writev: one frame, header and payload */
	size_t packed_len;
};

struct mech {
	const char *name;
	const char *what;
	int (*setup)(struct cost_ctx *c);
	int (*send)(struct cost_ctx *c);	/* a round's messages */
	int (*recv)(struct cost_ctx *c);	/* a round's messages */
	unsigned int per_call;			/* messages per call */
};

static int pipe_setup(struct cost_ctx *c)
{
	return pipe(c->fd);
}

static int fd_send(struct cost_ctx *c)
{
	for (unsigned int i = 0; i < c->n; i++)
		if (write(c->fd[1], c->buf, c->size) != (ssize_t)c->size)
			return -1;
	return 0;
}

static int fd_recv(struct cost_ctx *c)
{
	for (unsigned int i = 0; i < c->n; i++)
		if (read(c->fd[0], c->buf, c->size) != (ssize_t)c->size)
			return -1;
	return 0;
}

/*
 * pipe-writev: a round's messages as length-framed writes of c->per_call
 * frames each, every frame its own iovec (no copy in user space), and
 * reads of as many frames, whose headers are checked.
 */
static int writev_setup(struct cost_ctx *c)
{
	c->packed_len = c->per_call * (sizeof(uint32_t) + c->size);
	uint32_t hdr = (uint32_t)c->size;

	c->packed = malloc(c->packed_len);
	c->frame = calloc(1, sizeof(hdr) + c->size);
	if (!c->packed || !c->frame)
		return -1;
	memcpy(c->frame, &hdr, sizeof(hdr));
	return pipe_setup(c);
}

static int writev_send(struct cost_ctx *c)
{
	struct iovec iov[BATCH_MAX];

	for (unsigned int i = 0; i < c->n; i += c->per_call) {
		for (unsigned int k = 0; k < c->per_call; k++)
			iov[k] = (struct iovec){ .iov_base = c->frame,
						 .iov_len = sizeof(uint32_t) + c->size };
		if (writev(c->fd[1], iov, (int)c->per_call) !=
		    (ssize_t)c->packed_len)
			return -1;
	}
	return 0;
}

static int writev_recv(struct cost_ctx *c)
{
	for (unsigned int i = 0; i < c->n; i += c->per_call) {
		if (read(c->fd[0], c->packed, c->packed_len) !=
		    (ssize_t)c->packed_len)
			return -1;
		for (size_t off = 0; off < c->packed_len;
		     off += sizeof(uint32_t) + c->size) {
			uint32_t hdr;

			memcpy(&hdr, c->packed + off, sizeof(hdr));
			if (hdr != c->size)
				return -1;
		}
	}
	return 0;
}

static int mq_setup(struct cost_ctx *c)
{
	struct mq_attr a = { .mq_maxmsg = BATCH, .mq_msgsize = (long)c->size };
	char name[64];

	snprintf(name, sizeof(name), "/ipcmbox-callcost-%d", getpid());
	c->mq = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &a);
	if (c->mq == (mqd_t)-1)
		return -1;
	mq_unlink(name);
	return 0;
}

static int mq_send_all(struct cost_ctx *c)
{
	for (unsigned int i = 0; i < c->n; i++)
		if (mq_send(c->mq, c->buf, c->size, 0))
			return -1;
	return 0;
}

static int mq_recv_all(struct cost_ctx *c)
{
	for (unsigned int i = 0; i < c->n; i++)
		if (mq_receive(c->mq, c->buf, c->size, NULL) != (ssize_t)c->size)
			return -1;
	return 0;
}

static int pair_setup(struct cost_ctx *c, uint32_t capacity)
{
	struct ipcmbox_attr a = {
		.set = IPCMBOX_SET_CAPACITY,
		.capacity = capacity,
	};

	return ipcmbox_pair(&a, 0, c->fd);
}

static int bounded_setup(struct cost_ctx *c)
{
	return pair_setup(c, 64);
}

static int unbounded_setup(struct cost_ctx *c)
{
	return pair_setup(c, IPCMBOX_CAP_UNBOUNDED);
}

static int ioctl_send(struct cost_ctx *c)
{
	for (unsigned int i = 0; i < c->n; i++)
		if (ipcmbox_send(c->fd[1], c->buf, c->size, NULL, NULL))
			return -1;
	return 0;
}

static int ioctl_recv(struct cost_ctx *c)
{
	for (unsigned int i = 0; i < c->n; i++)
		if (ipcmbox_recv(c->fd[0], c->buf, c->size, NULL, NULL) !=
		    (ssize_t)c->size)
			return -1;
	return 0;
}

/* A round's messages in batches of c->per_call, sent or received. */
static int batch_round(struct cost_ctx *c, int send)
{
	for (unsigned int i = 0; i < c->n; i += c->per_call) {
		int done;

		for (unsigned int k = 0; k < c->per_call; k++)
			c->mm[k] = (struct ipcmbox_mmsg){ .buf = c->buf,
							  .len = c->size };
		done = send ? ipcmbox_send_batch(c->fd[1], c->mm, c->per_call,
						 NULL, NULL) :
			      ipcmbox_recv_batch(c->fd[0], c->mm, c->per_call,
						 NULL, NULL);
		if (done != (int)c->per_call)
			return -1;
	}
	return 0;
}

static int batch_send(struct cost_ctx *c)
{
	return batch_round(c, 1);
}

static int batch_recv(struct cost_ctx *c)
{
	return batch_round(c, 0);
}

/* A packed batch's buffer: room for c->per_call messages of c->size. */
static int packed_setup(struct cost_ctx *c)
{
	c->packed_len = c->per_call *
		IPCMBOX_PACKED_SIZE(sizeof(struct ipcmbox_packed_recv), c->size);
	c->packed = malloc(c->packed_len);
	return c->packed ? bounded_setup(c) : -1;
}

/* A round's messages in packed batches: built and sent, or taken and read. */
static int packed_round(struct cost_ctx *c, int send)
{
	for (unsigned int i = 0; i < c->n; i += c->per_call) {
		size_t off = 0;
		int done;

		for (unsigned int k = 0; send && k < c->per_call; k++) {
			void *p = ipcmbox_packed_add(c->packed, c->packed_len,
						     &off, c->size, 0, 0);

			if (!p)
				return -1;
			memcpy(p, c->buf, c->size);
		}
		done = send ? ipcmbox_send_packed(c->fd[1], c->packed, off,
						  c->per_call, NULL, NULL) :
			      ipcmbox_recv_packed(c->fd[0], c->packed,
						  c->packed_len, c->per_call,
						  NULL, NULL);
		for (int k = 0; !send && k < done; k++) {
			const struct ipcmbox_packed_recv *h =
				ipcmbox_packed_next(c->packed, &off);

			if (h->len != c->size)
				return -1;
		}
		if (done != (int)c->per_call)
			return -1;
	}
	return 0;
}

static int packed_send(struct cost_ctx *c)
{
	return packed_round(c, 1);
}

static int packed_recv(struct cost_ctx *c)
{
	return packed_round(c, 0);
}

static const struct mech mechs[] = {
	{ "pipe", "write(2) / read(2)", pipe_setup, fd_send, fd_recv, 1 },
	{ "posix-mq", "mq_send(3) / mq_receive(3)", mq_setup, mq_send_all,
	  mq_recv_all, 1 },
	{ "pipe-writev-b8", "writev(2) of 8 frames / read(2)", writev_setup,
	  writev_send, writev_recv, 8 },
	{ "pipe-writev-b64", "writev(2) of 64 frames / read(2)", writev_setup,
	  writev_send, writev_recv, 64 },
	{ "ipcmbox-bounded", "write(2) / read(2)", bounded_setup, fd_send,
	  fd_recv, 1 },
	{ "ipcmbox-unbounded", "write(2) / read(2)", unbounded_setup, fd_send,
	  fd_recv, 1 },
	{ "ipcmbox-bounded-ioctl", "ipcmbox_send(3) / ipcmbox_recv(3)",
	  bounded_setup, ioctl_send, ioctl_recv, 1 },
	{ "ipcmbox-batch-b1", "ipcmbox_send_batch(3) / _recv_batch(3), 1",
	  bounded_setup, batch_send, batch_recv, 1 },
	{ "ipcmbox-batch-b8", "ipcmbox_send_batch(3) / _recv_batch(3), 8",
	  bounded_setup, batch_send, batch_recv, 8 },
	{ "ipcmbox-batch-b64", "ipcmbox_send_batch(3) / _recv_batch(3), 64",
	  bounded_setup, batch_send, batch_recv, 64 },
	{ "ipcmbox-packed-b8", "ipcmbox_send_packed(3) / _recv_packed(3), 8",
	  packed_setup, packed_send, packed_recv, 8 },
	{ "ipcmbox-packed-b64", "ipcmbox_send_packed(3) / _recv_packed(3), 64",
	  packed_setup, packed_send, packed_recv, 64 },
};

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

/* The median of @n samples; sorts them. */
static long long median(long long *v, long n)
{
	qsort(v, n, sizeof(*v), cmp_ll);
	return v[n / 2];
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int selected(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *p = list;

	if (!list)
		return 1;
	while ((p = strstr(p, name))) {
		if ((p == list || p[-1] == ',') && (p[n] == ',' || !p[n]))
			return 1;
		p += n;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *only = NULL;
	long rounds = 2000;
	size_t size = 64;
	int opt, bad = 0;

	while ((opt = getopt(argc, argv, "z:r:m:")) != -1) {
		switch (opt) {
		case 'z':
			size = strtoul(optarg, NULL, 0);
			break;
		case 'r':
			rounds = strtol(optarg, NULL, 0);
			break;
		case 'm':
			only = optarg;
			break;
		default:
			fprintf(stderr,
				"usage: %s [-z SIZE] [-r ROUNDS] [-m NAME,...]\n",
				argv[0]);
			return 2;
		}
	}
	if (!size || size > 4096 || rounds < 1) {
		fprintf(stderr, "%s: SIZE 1..4096, ROUNDS >= 1\n", argv[0]);
		return 2;
	}

	printf("%zu-byte messages, %d (a larger batch: its size) queued then taken, median of %ld rounds; ns per call (instructions under icount)\n",
	       size, BATCH, rounds);
	printf("%-24s %10s %10s %10s  %s\n", "mechanism", "send", "receive",
	       "per msg", "calls");
	for (size_t m = 0; m < sizeof(mechs) / sizeof(mechs[0]); m++) {
		const struct mech *k = &mechs[m];
		struct cost_ctx c = {
			.size = size,
			.n = k->per_call > BATCH ? k->per_call : BATCH,
			.per_call = k->per_call,
		};
		long long *ts, *tr, t, sm, rm;
		int failed = 0;
		double calls;

		if (!selected(only, k->name))
			continue;
		c.buf = calloc(1, size);
		ts = calloc(rounds, sizeof(*ts));
		tr = calloc(rounds, sizeof(*tr));
		if (!c.buf || !ts || !tr || k->setup(&c)) {
			printf("%-24s setup failed: %s\n", k->name,
			       strerror(errno));
			bad = 1;
			free(c.buf);
			free(c.packed);
			free(c.frame);
			free(ts);
			free(tr);
			continue;
		}
		/* One round first, so that nothing is measured cold. */
		for (long r = -1; r < rounds && !failed; r++) {
			t = now_ns();
			failed = k->send(&c);
			if (r >= 0)
				ts[r] = now_ns() - t;
			t = now_ns();
			failed = failed ?: k->recv(&c);
			if (r >= 0)
				tr[r] = now_ns() - t;
		}
		calls = (double)c.n / k->per_call;
		if (failed) {
			printf("%-24s failed: %s\n", k->name, strerror(errno));
			bad = 1;
		} else {
			sm = median(ts, rounds);
			rm = median(tr, rounds);
			printf("%-24s %10.0f %10.0f %10.0f  %s\n", k->name,
			       sm / calls, rm / calls,
			       (double)(sm + rm) / c.n, k->what);
		}
		free(ts);
		free(tr);
		if (k->setup == mq_setup) {
			mq_close(c.mq);
		} else {
			close(c.fd[0]);
			close(c.fd[1]);
		}
		free(c.buf);
		free(c.packed);
		free(c.frame);
	}
	return bad;
}
