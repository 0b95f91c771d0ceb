/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * libipcmbox - C interface to the ipcmbox kernel mailboxes.
 *
 * Every call returns 0 (or a file descriptor) on success and -1 with errno
 * set on failure, like the system calls it wraps.  The library keeps no
 * global state and is safe to call from any thread.
 */
#ifndef IPCMBOX_H
#define IPCMBOX_H

#include <errno.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>
#include <linux/ipcmbox.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Directory holding the device nodes and the control node's path. */
#define IPCMBOX_DEV_DIR		"/dev/ipcmbox"
#define IPCMBOX_CONTROL_PATH	IPCMBOX_DEV_DIR "/control"

/*
 * The version of these headers; ipcmbox_lib_version() and
 * ipcmbox_lib_at_least() tell that of the library a program runs with,
 * which may be newer.  Calls and fields name the version that added them.
 */
#define IPCMBOX_LIB_MAJOR	0
#define IPCMBOX_LIB_MINOR	7
#define IPCMBOX_LIB_PATCH	0
/* True at compile time when these headers are at least @major.@minor. */
#define IPCMBOX_LIB_CHECK_VERSION(major, minor)				\
	(IPCMBOX_LIB_MAJOR > (major) ||					\
	 (IPCMBOX_LIB_MAJOR == (major) && IPCMBOX_LIB_MINOR >= (minor)))

/* Version of the library as "MAJOR.MINOR.PATCH". */
const char *ipcmbox_lib_version(void);

/* Non-zero when the library running is at least @major.@minor (0.5). */
int ipcmbox_lib_at_least(unsigned int major, unsigned int minor);

/*
 * Opens /dev/ipcmbox/control read-write and close-on-exec.
 * Returns the descriptor, or -1 with errno (ENOENT: module not loaded).
 */
int ipcmbox_control_open(void);

/*
 * Fills @info with the running module's description through the control
 * descriptor @ctl_fd.  The library sets info->size itself.
 */
int ipcmbox_get_info(int ctl_fd, struct ipcmbox_info *info);

/*
 * Limits of a new mailbox (ipcmbox_create(), ipcmbox_pair()) or new limits
 * of a live one (ipcmbox_configure()).  @set holds the IPCMBOX_SET_* bits
 * of the fields given; the others take their defaults (capacity 64,
 * max_msg 8192, max_bytes capacity * max_msg, mode 0600) or stay as they
 * are.  A NULL attr means all defaults.
 */
struct ipcmbox_attr {
	uint32_t set;
	uint32_t capacity;	/* IPCMBOX_CAP_RENDEZVOUS, N, _UNBOUNDED */
	uint32_t max_msg;
	uint32_t mode;		/* create only */
	uint64_t max_bytes;
	/*
	 * Create only, read only with IPCMBOX_SET_REGION (added in 0.3, so
	 * a caller built before it never has it read).
	 */
	uint64_t region_size;
};

/*
 * Options of one send or receive.  A NULL opts means: block, type 0
 * (receive: any type), priority 0, no timeout.
 */
struct ipcmbox_opts {
	uint32_t flags;		/* IPCMBOX_IO_* */
	uint32_t priority;	/* send: 0..IPCMBOX_PRIO_MAX */
	int64_t type;		/* send: >= 0; receive: selector */
	uint32_t clock;		/* IPCMBOX_CLOCK_* */
	int64_t timeout_ns;	/* with IPCMBOX_IO_TIMEOUT */
};

/* What a receive reports besides the payload. */
struct ipcmbox_envelope {
	uint64_t seq;		/* per-mailbox sequence number, from 1 */
	uint64_t msg_len;	/* full length, also after EMSGSIZE */
	int64_t type;
	uint32_t priority;
	pid_t pid;		/* sender's process, 0 if not visible */
	pid_t tid;		/* sender's thread, 0 if not visible */
	uid_t uid;		/* sender's effective uid */
	gid_t gid;		/* sender's effective gid */
	int64_t enqueue_mono_ns;	/* send time, CLOCK_MONOTONIC */
	int64_t enqueue_real_ns;	/* send time, CLOCK_REALTIME */
};

/* Creates the mailbox /dev/ipcmbox/@name, owned by the caller. */
int ipcmbox_create(const char *name, const struct ipcmbox_attr *attr);

/* Removes the mailbox @name (its owner or CAP_SYS_ADMIN only). */
int ipcmbox_remove(const char *name);

/*
 * The calls that name a mailbox or make a pair, through a control
 * descriptor the caller holds (ipcmbox_control_open()) instead of one they
 * open for the call: for a process that may no longer open
 * /dev/ipcmbox/control (a sandbox), and for many calls in a row.  The
 * owner of what they create is whoever opened @ctl_fd (0.5).
 */
int ipcmbox_create_at(int ctl_fd, const char *name,
		      const struct ipcmbox_attr *attr);
int ipcmbox_remove_at(int ctl_fd, const char *name);
int ipcmbox_pair_at(int ctl_fd, const struct ipcmbox_attr *attr, int flags,
		    int fds[2]);
int ipcmbox_stat_name_at(int ctl_fd, const char *name,
			 struct ipcmbox_stat *st);

/*
 * Opens the mailbox @name; @flags is O_RDONLY (receive only), O_WRONLY
 * (send only) or O_RDWR, optionally with O_NONBLOCK.  Always O_CLOEXEC.
 */
int ipcmbox_open(const char *name, int flags);

/*
 * Opens the mailbox @name as mq_open(3) opens a queue (0.5): @oflag is
 * O_RDONLY, O_WRONLY or O_RDWR, optionally O_NONBLOCK, and O_CREAT to
 * create it with @attr (may be NULL) when it does not exist, O_CREAT |
 * O_EXCL to fail with EEXIST when it does.  A mailbox it creates is
 * opened in the same system call (module ABI v5), so no other process can
 * remove or replace it in between; the creator gets the access asked for
 * whatever @attr's mode says.  Always O_CLOEXEC.  Returns the descriptor,
 * or -1 with errno as ipcmbox_create() and ipcmbox_open().
 */
int ipcmbox_open_attr(const char *name, int oflag,
		      const struct ipcmbox_attr *attr);
/* The same, creating through the control descriptor @ctl_fd (0.5). */
int ipcmbox_open_attr_at(int ctl_fd, const char *name, int oflag,
			 const struct ipcmbox_attr *attr);

/*
 * Creates an anonymous mailbox: @fds[0] receives, @fds[1] sends, like
 * pipe(2).  @flags: IPCMBOX_PAIR_CLOEXEC, IPCMBOX_PAIR_NONBLOCK.
 */
int ipcmbox_pair(const struct ipcmbox_attr *attr, int flags, int fds[2]);

/* Changes the limits of the mailbox behind @fd (owner or CAP_SYS_ADMIN). */
int ipcmbox_configure(int fd, const struct ipcmbox_attr *attr);

/*
 * Give the named mailbox behind @fd another mode (at most 0777), or
 * another owner and group (-1 leaves one as it is; EINVAL when both are),
 * as msgctl(IPC_SET) does: the owner or CAP_SYS_ADMIN may, and the node's
 * inode changes with what ipcmbox_stat() reports.  @fd must have been
 * opened through the node (ipcmbox_open()); EINVAL for an anonymous
 * mailbox or a descriptor from ipcmbox_open_attr() with O_CREAT.  Module
 * ABI v6 (IPCMBOX_FEAT_OWNER); older modules fail with ENOTTY (0.6).
 */
int ipcmbox_chmod(int fd, mode_t mode);
int ipcmbox_chown(int fd, uid_t owner, gid_t group);

/*
 * Sends one message of @len bytes.  Returns 0, or -1 with errno.  When
 * @seq is not NULL it receives the message's sequence number.
 */
int ipcmbox_send(int fd, const void *buf, size_t len,
		 const struct ipcmbox_opts *opts, uint64_t *seq);

/*
 * Receives one message into @buf.  Returns the bytes copied, or -1 with
 * errno: EMSGSIZE (buffer too small, message kept, @env->msg_len tells
 * its length), EAGAIN, ETIMEDOUT, EIDRM (removed), EPIPE (anonymous
 * mailbox, every send fd closed and nothing left).  @env may be NULL.
 */
ssize_t ipcmbox_recv(int fd, void *buf, size_t len,
		     const struct ipcmbox_opts *opts,
		     struct ipcmbox_envelope *env);

/* Length of the next message, 0 when none; -1 with errno on error. */
ssize_t ipcmbox_next_size(int fd);

/*
 * Length of the next message a receive with selector @type would take,
 * leaving it queued; -1 with errno EAGAIN when there is none (so an empty
 * mailbox and a zero-length message differ, unlike ipcmbox_next_size()),
 * EPIPE at the end of an anonymous mailbox, or the errors of a receive
 * (0.5).  Never blocks.
 */
ssize_t ipcmbox_next_len(int fd, int64_t type);

/*
 * Options of ipcmbox_send_opts() and ipcmbox_recv_opts() (0.5), in the
 * style of libbpf's: @sz is set to sizeof(struct ipcmbox_msg_opts) by the
 * caller (IPCMBOX_MSG_OPTS() does it), so that fields added later need no
 * new calls.  A library reads the fields the caller's @sz covers (the
 * others count as zero) and fails with EINVAL when the caller's structure
 * is longer than it knows and the bytes it does not know are not zero.
 */
struct ipcmbox_msg_opts {
	size_t sz;
	uint32_t flags;		/* IPCMBOX_IO_NONBLOCK; receive: _PEEK, _TRUNC;
				 * with @timeout: IPCMBOX_IO_ABSTIME
				 */
	uint32_t priority;	/* send: 0..IPCMBOX_PRIO_MAX */
	int64_t type;		/* send: the type, >= 0; receive: selector */
	/*
	 * Timeout, as mq_timedsend(3) and pthread_cond_timedwait(3) take
	 * one: @timeout on the <time.h> clock @clockid (CLOCK_MONOTONIC,
	 * CLOCK_REALTIME or CLOCK_BOOTTIME), relative, or absolute with
	 * IPCMBOX_IO_ABSTIME.  NULL: no timeout.
	 */
	clockid_t clockid;
	uint32_t reserved;	/* zero */
	const struct timespec *timeout;
	/*
	 * Out, when not NULL: a receive's envelope (also on EMSGSIZE, where
	 * only msg_len is meaningful), a send's env->seq.  The library
	 * writes at most @env_sz bytes of it, so a caller built with an older,
	 * shorter envelope is never written past.
	 */
	struct ipcmbox_envelope *env;
	size_t env_sz;
};

/* Declares and zeroes @name with its size set, and the fields given. */
#define IPCMBOX_MSG_OPTS(name, ...)					\
	struct ipcmbox_msg_opts name = {				\
		.sz = sizeof(struct ipcmbox_msg_opts), __VA_ARGS__	\
	}

/*
 * As ipcmbox_send() and ipcmbox_recv(), with struct ipcmbox_msg_opts
 * (may be NULL).  EINVAL also for an unknown clock, a timespec out of
 * range, IPCMBOX_IO_ABSTIME without a timeout, IPCMBOX_IO_TIMEOUT or
 * _REF in @flags, or @sz too small or past what the library knows with
 * non-zero bytes there (0.5).
 */
int ipcmbox_send_opts(int fd, const void *buf, size_t len,
		      const struct ipcmbox_msg_opts *opts);
ssize_t ipcmbox_recv_opts(int fd, void *buf, size_t len,
			  const struct ipcmbox_msg_opts *opts);

/*
 * Attributes and counters of the mailbox behind @fd.  From 0.6 they
 * include the last sender's and receiver's pids and the times (the
 * fields after @name); a module older than ABI v6 leaves them zero and
 * sets st->size to IPCMBOX_STAT_SIZE_VER0.  Programs linked against an
 * older library keep the older, shorter structure.
 */
int ipcmbox_stat(int fd, struct ipcmbox_stat *st);

/* Attributes and counters of the mailbox @name, without opening it. */
int ipcmbox_stat_name(const char *name, struct ipcmbox_stat *st);

/*
 * Walks every named mailbox: start with st->id = 0; each call fills @st
 * with the next one and returns 0, until -1 with errno ENOENT.
 */
int ipcmbox_list_next(int ctl_fd, struct ipcmbox_stat *st);

/*
 * Shared regions and messages by reference (module ABI v3,
 * IPCMBOX_FEAT_REGION).  See Documentation/userspace-api.rst, "Shared
 * regions", for the rules a sender and a receiver follow.
 */

/* A mapping of a mailbox's whole region. */
struct ipcmbox_map {
	void *base;		/* first byte of the region */
	size_t size;		/* its size in bytes */
	int writable;		/* mapped PROT_READ|PROT_WRITE */
};

/* chunk->offset of a received message that came by copy. */
#define IPCMBOX_NO_CHUNK	UINT64_MAX

/* Where @chunk lives in the mapping @map. */
static inline void *ipcmbox_chunk_ptr(const struct ipcmbox_map *map,
				      const struct ipcmbox_chunk *chunk)
{
	return (char *)map->base + chunk->offset;
}

/*
 * Maps the whole region of the mailbox behind @fd, shared, read-write when
 * @fd may send and read-only when it may only receive (a send-only fd is
 * mapped through IPCMBOX_IOC_REGION_FD).  ENODEV: no region.
 */
int ipcmbox_region_map(int fd, struct ipcmbox_map *map);

/* Unmaps what ipcmbox_region_map() mapped; @map is cleared. */
int ipcmbox_region_unmap(struct ipcmbox_map *map);

/*
 * Allocates up to @count chunks of at least @len bytes each for the
 * sender @fd, into @chunks.  Blocks until at least one fits (opts: flags
 * IPCMBOX_IO_NONBLOCK, _TIMEOUT, _ABSTIME, clock, timeout_ns), then takes
 * as many as fit.  Returns how many (>= 1), or -1 with errno.
 */
int ipcmbox_alloc(int fd, size_t len, struct ipcmbox_chunk *chunks,
		  unsigned int count, const struct ipcmbox_opts *opts);

/*
 * Returns @count chunks that @fd holds to the region, all or none
 * (ENOENT: one is not held by @fd, or named twice).
 */
int ipcmbox_release(int fd, const struct ipcmbox_chunk *chunks,
		    unsigned int count);

/*
 * Sends the first @len bytes of @chunk, which @fd holds, as one message.
 * On success the chunk belongs to the message; on failure @fd still holds
 * it.  Otherwise as ipcmbox_send().
 */
int ipcmbox_send_ref(int fd, const struct ipcmbox_chunk *chunk, size_t len,
		     const struct ipcmbox_opts *opts, uint64_t *seq);

/*
 * Receives one message, taking it by reference when it came by reference:
 * then @chunk describes it (@chunk->len is the message length), @fd holds
 * the chunk until ipcmbox_release(), and @buf is untouched.  A message
 * that came by copy is copied into @buf as by ipcmbox_recv(), and
 * @chunk->offset is IPCMBOX_NO_CHUNK.  Returns the message length, or -1
 * with errno as ipcmbox_recv().
 */
ssize_t ipcmbox_recv_ref(int fd, void *buf, size_t len,
			 const struct ipcmbox_opts *opts,
			 struct ipcmbox_envelope *env,
			 struct ipcmbox_chunk *chunk);

/*
 * Messages of at least this many bytes are cheaper to move by reference
 * (measured by ipcmbox-bench; Documentation/benchmarks.rst).
 */
#define IPCMBOX_REF_THRESHOLD	4096

/*
 * Sends @len bytes from @buf: by copy below IPCMBOX_REF_THRESHOLD, or when
 * @map is NULL, read-only or smaller than @len; else by reference, through
 * a chunk it allocates (as @opts allow) and fills from @buf, and releases
 * if the send fails.  Otherwise as ipcmbox_send().
 */
int ipcmbox_send_auto(int fd, const struct ipcmbox_map *map, const void *buf,
		      size_t len, const struct ipcmbox_opts *opts,
		      uint64_t *seq);

/*
 * Batches (module ABI v4, IPCMBOX_FEAT_BATCH; library 0.4): many messages
 * in one system call.
 */

/* One message of a batch. */
struct ipcmbox_mmsg {
	void *buf;		/* send: payload; receive: buffer */
	size_t len;		/* send: length; receive: in, buffer size;
				 * out, bytes copied
				 */
	int64_t type;		/* send: type >= 0; receive: selector */
	uint32_t priority;	/* send: 0..IPCMBOX_PRIO_MAX */
	uint32_t flags;		/* IPCMBOX_IO_REF; receive: IPCMBOX_IO_TRUNC */
	uint64_t ref_offset;	/* send with IPCMBOX_IO_REF: the chunk;
				 * receive out with IPCMBOX_MSG_REF: the chunk
				 */
	uint32_t msg_flags;	/* receive out: IPCMBOX_MSG_REF */
	uint32_t reserved;	/* set to zero */
	struct ipcmbox_envelope env;	/* receive out; send out: env.seq */
};

/*
 * Sends @msgs[0..@count-1] (@count 1..IPCMBOX_BATCH_MAX) in order.
 * @opts: flags IPCMBOX_IO_NONBLOCK, _TIMEOUT, _ABSTIME and
 * IPCMBOX_BATCH_ATOMIC (all or nothing, one after the other in the queue;
 * not on rendezvous mailboxes), clock, timeout_ns for the whole call; its
 * type and priority must be 0 (each message has its own).  Blocks for
 * each message in turn unless non-blocking.
 *
 * Returns how many were sent, from the first on; -1 with errno only when
 * none was.  When fewer than @count were sent, *@error (if not NULL) gets
 * the errno that stopped the batch, else 0.
 */
int ipcmbox_send_batch(int fd, struct ipcmbox_mmsg *msgs, unsigned int count,
		       const struct ipcmbox_opts *opts, int *error);

/*
 * Receives up to @count messages: waits for the first as ipcmbox_recv()
 * would (@opts: flags IPCMBOX_IO_NONBLOCK, _TIMEOUT, _ABSTIME, clock,
 * timeout_ns; type and priority must be 0), then takes what is queued,
 * up to @count, without waiting.  Each entry's type is its own selector.
 *
 * Returns how many were received; -1 with errno only when none was
 * (EMSGSIZE: the first message is longer than msgs[0].len, and
 * msgs[0].env.msg_len tells its length).  *@error (if not NULL) gets the
 * errno that stopped the batch early (EMSGSIZE for the entry after the
 * last received, EPIPE at end of file), or 0 when the queue ran out.
 */
int ipcmbox_recv_batch(int fd, struct ipcmbox_mmsg *msgs, unsigned int count,
		       const struct ipcmbox_opts *opts, int *error);

/*
 * The ioctl structures of one call, for callers that issue it themselves
 * (io_uring: <ipcmbox_uring.h>).  Each structure must stay in place, and
 * the buffers it points to, until the call completes.
 */

/*
 * Fills @io for a send (@send non-zero) or a receive of @len bytes at @buf
 * with @opts (may be NULL), as ipcmbox_send() and ipcmbox_recv() do.
 */
void ipcmbox_io_prep(struct ipcmbox_io *io, const void *buf, size_t len,
		     const struct ipcmbox_opts *opts, int send);

/*
 * The outcome of a call made with @io whose raw result is @res (0 or a
 * negative errno, as io_uring reports it): returns the bytes received
 * (receive) or sent (send), or -1 with errno set to -@res.  @env (may be
 * NULL) gets the envelope of a receive, also on EMSGSIZE (then only
 * msg_len is meaningful); of a send, only env->seq is meaningful.
 */
ssize_t ipcmbox_io_result(int res, const struct ipcmbox_io *io,
			  struct ipcmbox_envelope *env);

/*
 * Fills @b and @ios[0..@count-1] for a batch over @msgs, as
 * ipcmbox_send_batch() (@send non-zero) or ipcmbox_recv_batch() does.
 * Returns 0, or -1 with errno EINVAL (count, opts type or priority).
 */
int ipcmbox_batch_prep(struct ipcmbox_batch *b, struct ipcmbox_io *ios,
		       const struct ipcmbox_mmsg *msgs, unsigned int count,
		       const struct ipcmbox_opts *opts, int send);

/*
 * The outcome of a batch prepared by ipcmbox_batch_prep() whose raw
 * result is @res (a count, or a negative errno): copies what was done
 * into @msgs and returns the count, or -1 with errno set to -@res.
 * *@error (may be NULL) as for ipcmbox_send_batch().
 */
int ipcmbox_batch_result(int res, const struct ipcmbox_batch *b,
			 const struct ipcmbox_io *ios,
			 struct ipcmbox_mmsg *msgs, int send, int *error);

/*
 * Packed batches (module ABI v7, IPCMBOX_FEAT_PACKED; library 0.7): the
 * messages of one call lie one after the other in one buffer, each a
 * header, its payload and padding to IPCMBOX_PACKED_ALIGN; the headers
 * are <linux/ipcmbox.h>'s struct ipcmbox_packed_send and _recv.  Cheaper
 * per message than ipcmbox_send_batch() and ipcmbox_recv_batch(): no
 * 128-byte structure per message, and nothing copied between arrays.
 */

/*
 * How the library's few per-message helpers are defined: inline, so that
 * a loop over a batch pays no call per message.  The library also
 * exports each (the same code), for callers that cannot inline a C
 * header, such as other languages' bindings.
 */
#ifndef IPCMBOX_INLINE
#define IPCMBOX_INLINE static inline
#endif

/*
 * Appends a message of @len bytes, @type (>= 0) and @priority to the send
 * buffer @buf of @size bytes at *@off (0 for the first; 8-byte aligned),
 * and moves *@off past it.  Returns where its payload goes (the caller
 * copies it there), or NULL with errno ENOSPC (it does not fit: *@off is
 * unchanged) or EINVAL.
 */
IPCMBOX_INLINE void *ipcmbox_packed_add(void *buf, size_t size, size_t *off,
					size_t len, int64_t type,
					unsigned int priority);
IPCMBOX_INLINE void *ipcmbox_packed_add(void *buf, size_t size, size_t *off,
					size_t len, int64_t type,
					unsigned int priority)
{
	struct ipcmbox_packed_send *h;
	size_t at, next;

	if (!buf || !off || type < 0 || priority > IPCMBOX_PRIO_MAX ||
	    len > UINT32_MAX || (*off % IPCMBOX_PACKED_ALIGN)) {
		errno = EINVAL;
		return NULL;
	}
	at = *off;
	if (at > size || size - at < sizeof(*h) ||
	    size - at - sizeof(*h) < len) {
		errno = ENOSPC;
		return NULL;
	}
	h = (struct ipcmbox_packed_send *)((char *)buf + at);
	h->len = (uint32_t)len;
	h->priority = (uint16_t)priority;
	h->flags = 0;
	h->type = type;
	next = at + IPCMBOX_PACKED_SIZE(sizeof(*h), len);
	*off = next < size ? next : size;
	return h + 1;
}

/*
 * Sends the first @count messages of the packed buffer @buf (@len bytes),
 * in order, as ipcmbox_send_batch() sends its entries (@opts, return value
 * and *@error alike), but reports no sequence numbers.  A header that is
 * not valid (its reserved flags, type, priority, or a message running past
 * @len) fails the whole call with EINVAL and sends nothing.
 */
int ipcmbox_send_packed(int fd, const void *buf, size_t len,
			unsigned int count, const struct ipcmbox_opts *opts,
			int *error);

/*
 * Receives up to @count messages of any type into @buf (@len bytes),
 * each after its struct ipcmbox_packed_recv: waits for the first as
 * ipcmbox_recv() would (@opts as for ipcmbox_recv_batch()), then takes
 * what is queued, up to @count, while it fits.  Returns how many were
 * received (walk them with ipcmbox_packed_next()); -1 with errno only
 * when none was (EMSGSIZE: the first message does not fit in @len; the
 * first header's len then tells its length).  *@error (may be NULL) gets
 * the errno that stopped the batch early (EPIPE at end of file), or 0.
 */
int ipcmbox_recv_packed(int fd, void *buf, size_t len, unsigned int count,
			const struct ipcmbox_opts *opts, int *error);

/* The received message at *@off of @buf (0 for the first); moves past it. */
static inline const struct ipcmbox_packed_recv *
ipcmbox_packed_next(const void *buf, size_t *off)
{
	const struct ipcmbox_packed_recv *h =
		(const struct ipcmbox_packed_recv *)((const char *)buf + *off);

	*off += IPCMBOX_PACKED_SIZE(sizeof(*h), h->len);
	return h;
}

/* The payload of a received message, h->len bytes. */
static inline const void *
ipcmbox_packed_data(const struct ipcmbox_packed_recv *h)
{
	return h + 1;
}

/*
 * Fills @b for a packed send or receive of @count messages in @buf (@len
 * bytes) with @opts (may be NULL; type and priority must be 0), as
 * ipcmbox_send_packed() and ipcmbox_recv_packed() do (io_uring:
 * <ipcmbox_uring.h>).  Returns 0, or -1 with errno EINVAL.
 */
int ipcmbox_packed_prep(struct ipcmbox_batch *b, const void *buf, size_t len,
			unsigned int count, const struct ipcmbox_opts *opts);

#ifdef __cplusplus
}
#endif

#endif /* IPCMBOX_H */
