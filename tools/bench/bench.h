/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ipcmbox-bench: one harness, one adapter per IPC mechanism.
 *
 * An adapter moves messages over one unidirectional channel.  The harness
 * creates the channel in the parent (setup), forks the processes that use
 * it, lets each attach to its end, and then only calls send and recv.
 * Stream mechanisms are framed by the harness (frame.c), so every adapter
 * delivers whole messages of exactly the size sent.
 */
#ifndef IPCMBOX_BENCH_H
#define IPCMBOX_BENCH_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define BENCH_MAX_PROCS		16
/*
 * Every message buffer the harness passes has this many writable bytes in
 * front of it, for a frame or type header (stream framing, SysV mtype).
 */
#define BENCH_HEADROOM		64

/* A stream frame's length header (frame.c and the batching adapters). */
#define BENCH_FRAME_HDR		sizeof(uint32_t)
/* The most messages a batching adapter moves per call. */
#define BENCH_BATCH_MAX		64

/* Adapter capabilities (struct bench_adapter.caps). */
#define BENCH_CAP_STREAM	(1U << 0)	/* byte stream: the harness frames */
#define BENCH_CAP_FANIN		(1U << 1)	/* several senders, one receiver */
#define BENCH_CAP_KERNEL	(1U << 2)	/* a message crosses the kernel */

/*
 * System calls this process made through an adapter: every adapter counts
 * each call it makes with BENCH_SYS(), so syscalls per message are exact.
 */
extern uint64_t bench_syscalls;
#define BENCH_SYS(call)		(bench_syscalls++, (call))

enum bench_role { BENCH_SENDER, BENCH_RECEIVER };

/* What a channel must carry: known before setup. */
struct bench_params {
	size_t size;		/* payload bytes of every message */
	unsigned int depth;	/* messages the channel should hold */
	unsigned int senders;	/* processes sending on the channel */
};

/* The pids of every process of a run, known when ends attach. */
struct bench_peers {
	pid_t receiver;
	pid_t senders[BENCH_MAX_PROCS];
	unsigned int nsenders;
};

struct bench_chan;

struct bench_adapter {
	const char *name;	/* as given to --mech */
	const char *desc;	/* one line, for --list and the report */
	const char *wait;	/* how a receiver waits: "blocking read" ... */
	/* Copies of a message's payload, from the design, and which. */
	unsigned int copies;
	const char *copies_how;
	unsigned int caps;	/* BENCH_CAP_* */
	/*
	 * Largest payload (bytes) for these params, 0 when none fits; sets
	 * *why to a short reason when it is smaller than asked.
	 */
	size_t (*max_size)(const struct bench_params *p, const char **why);
	/* In the parent, before fork.  Returns 0 or -errno. */
	int (*setup)(struct bench_chan *ch);
	/* In a child, after fork: keep one end.  Returns 0 or -errno. */
	int (*attach)(struct bench_chan *ch, enum bench_role role,
		      const struct bench_peers *peers);
	/* One message (stream: some bytes).  Returns bytes or -errno. */
	ssize_t (*send)(struct bench_chan *ch, const void *buf, size_t len);
	/* One message (stream: some bytes).  Returns bytes or -errno. */
	ssize_t (*recv)(struct bench_chan *ch, void *buf, size_t cap);
	/*
	 * Optional, for mechanisms that lend the receiver the message in
	 * place (shared-region references) instead of copying it: one
	 * message, *data pointing at its bytes until recv_done().  Returns
	 * bytes or -errno.
	 */
	ssize_t (*recv_view)(struct bench_chan *ch, const void **data);
	/* Gives back what recv_view() lent.  Returns 0 or -errno. */
	int (*recv_done)(struct bench_chan *ch);
	/*
	 * Batching mechanisms: the most messages one call moves (0 or 1:
	 * none), and the calls.  send_batch() sends bufs[0..n-1], @len bytes
	 * each (with headroom in front), and returns how many it sent (>= 1)
	 * or -errno; recv_batch() waits for at least one message and returns
	 * how many (1..n) it received into bufs[], each whole, or -errno.
	 */
	unsigned int batch;
	ssize_t (*send_batch)(struct bench_chan *ch, unsigned char *const *bufs,
			      size_t len, unsigned int n);
	ssize_t (*recv_batch)(struct bench_chan *ch, unsigned char *const *bufs,
			      size_t cap, unsigned int n);
	/* In the parent, after every child exited. */
	void (*teardown)(struct bench_chan *ch);
};

/* One channel: the adapter's state lives in priv. */
struct bench_chan {
	const struct bench_adapter *ad;
	struct bench_params p;
	enum bench_role role;
	int fd[2];		/* generic: [0] receive end, [1] send end */
	void *priv;		/* adapter's own, allocated in setup */
	size_t priv_size;	/* when priv is a shared mapping */
};

extern const struct bench_adapter *const bench_adapters[];

const struct bench_adapter *bench_adapter_find(const char *name);

/*
 * Whole-message I/O over any adapter (frame.c): stream adapters get a
 * 4-byte length header in the headroom.  @buf has BENCH_HEADROOM writable
 * bytes before it.  Return 0 / the length, or -errno (-EPROTO: a frame of
 * another size than ch->p.size).
 */
int bench_send_msg(struct bench_chan *ch, void *buf, size_t len);
ssize_t bench_recv_msg(struct bench_chan *ch, void *buf, size_t cap);
/*
 * One whole message, in place when the adapter lends it (recv_view), else
 * received into @buf: *@data points at its bytes until bench_recv_done().
 */
ssize_t bench_recv_view(struct bench_chan *ch, void *buf, size_t cap,
			const unsigned char **data);
int bench_recv_done(struct bench_chan *ch);

/* Helpers for file-descriptor adapters (adapter_fd.c). */
ssize_t bench_fd_send(struct bench_chan *ch, const void *buf, size_t len);
ssize_t bench_fd_recv(struct bench_chan *ch, void *buf, size_t cap);
int bench_fd_attach(struct bench_chan *ch, enum bench_role role,
		    const struct bench_peers *peers);
void bench_fd_teardown(struct bench_chan *ch);
/* A pipe sized for the run's queue depth (pipe.c). */
int bench_pipe_setup(struct bench_chan *ch);
/*
 * Length-framed messages in a byte stream that arrives in pieces (batch.c):
 * @st holds what was read and not yet taken.
 */
struct bench_frames {
	unsigned char *buf;
	size_t size, have;
};
int bench_frames_init(struct bench_frames *st, size_t msg, unsigned int n);
/* Room to read into: st->buf + st->have, this many bytes. */
size_t bench_frames_room(const struct bench_frames *st);
/*
 * Takes up to @n whole frames of @len-byte messages out of @st into
 * bufs[]; returns how many, or -EPROTO for a frame of another length.
 */
ssize_t bench_frames_take(struct bench_frames *st, unsigned char *const *bufs,
			  size_t len, unsigned int n);

/*
 * Batching adapters (batch.c): messages per call, a size limit, and a
 * bounded anonymous mailbox (capacity = depth).
 */
unsigned int bench_batch_of(const struct bench_chan *ch);
size_t bench_batch_max_size(const struct bench_params *p, const char **why);
int bench_mbox_bounded_setup(struct bench_chan *ch);

/* For channels that every process uses as set up (queues, rings). */
int bench_attach_none(struct bench_chan *ch, enum bench_role role,
		      const struct bench_peers *peers);
size_t bench_no_limit(const struct bench_params *p, const char **why);
/* The number in the file @path (a sysctl, a module parameter), or @dflt. */
unsigned long bench_read_ulong(const char *path, unsigned long dflt);

#endif /* IPCMBOX_BENCH_H */
