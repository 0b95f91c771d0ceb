/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * ipcmbox - kernel-buffered mailboxes behind /dev/ipcmbox/.
 *
 * This is the kernel ABI.  Rules every structure here follows:
 *  - only fixed-width types, pointers passed as __u64, no implicit padding,
 *    every structure a multiple of 8 bytes;
 *  - extensible structures start with a __u32 size field set by the caller
 *    to sizeof() of the structure it was compiled against; the kernel reads
 *    them with copy_struct_from_user() semantics: a shorter (older) structure
 *    is zero-extended, a longer (newer) one is accepted only if the bytes the
 *    kernel does not know are zero (else E2BIG);
 *  - reserved fields and unknown flag bits must be zero (else EINVAL);
 *  - the size encoded in an ioctl number is that of the first version of
 *    its structure and never changes; the size field is authoritative.
 *
 * Once released, an ioctl number and a structure layout never change
 * meaning.  Documentation/userspace-api.rst describes every call.
 */
#ifndef _UAPI_LINUX_IPCMBOX_H
#define _UAPI_LINUX_IPCMBOX_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* ABI revision reported by IPCMBOX_IOC_INFO; bumped when calls are added. */
#define IPCMBOX_ABI_VERSION	7

/* Maximum length of a mailbox name, not counting the terminating NUL. */
#define IPCMBOX_NAME_MAX	63

/*
 * ioctl type byte.  0xBC is unassigned in the kernel's
 * Documentation/userspace-api/ioctl/ioctl-number.rst of 6.1 and 6.12
 * (`make lint` checks it again).  Numbers 0x00-0x0f are control-node calls,
 * 0x10-0x2f mailbox calls, 0x30-0x3f shared-region calls.
 */
#define IPCMBOX_IOC_MAGIC	0xBC

/**
 * struct ipcmbox_info - module and ABI description (IPCMBOX_IOC_INFO)
 * @size: in: sizeof(struct ipcmbox_info) as the caller knows it, at least
 *	IPCMBOX_INFO_SIZE_VER0; out: number of bytes the kernel filled in.
 * @abi_version: out: IPCMBOX_ABI_VERSION of the running module.
 * @features: out: IPCMBOX_FEAT_* bits the running module supports.
 * @max_mailboxes: out: most mailboxes that can exist at once.
 * @nr_mailboxes: out: mailboxes that exist now.
 * @name_max: out: IPCMBOX_NAME_MAX.
 * @reserved0: must be zero.
 * @reserved: must be zero.
 *
 * Every field but @size is output only and must be zero on input.
 */
struct ipcmbox_info {
	__u32 size;
	__u32 abi_version;
	__u64 features;
	__u32 max_mailboxes;
	__u32 nr_mailboxes;
	__u32 name_max;
	__u32 reserved0;
	__u64 reserved[4];
};

#define IPCMBOX_INFO_SIZE_VER0	64

/* IPCMBOX_IOC_INFO features: the calls this module implements. */
#define IPCMBOX_FEAT_CREATE	(1ULL << 0)	/* CREATE, REMOVE */
#define IPCMBOX_FEAT_PAIR	(1ULL << 1)	/* PAIR */
#define IPCMBOX_FEAT_MSG	(1ULL << 2)	/* SEND, RECV */
#define IPCMBOX_FEAT_STAT	(1ULL << 3)	/* STAT, STAT_NAME */
#define IPCMBOX_FEAT_CONFIG	(1ULL << 4)	/* CONFIG */
#define IPCMBOX_FEAT_REGION	(1ULL << 5)	/* regions: mmap, ALLOC, RELEASE,
						 * REGION_FD, IPCMBOX_IO_REF (v3)
						 */
#define IPCMBOX_FEAT_BATCH	(1ULL << 6)	/* SEND_BATCH, RECV_BATCH (v4) */
#define IPCMBOX_FEAT_URING_CMD	(1ULL << 7)	/* IORING_OP_URING_CMD (v4) */
#define IPCMBOX_FEAT_CREATE_OPEN (1ULL << 8)	/* CREATE with _OPEN_ flags (v5) */
#define IPCMBOX_FEAT_OWNER	(1ULL << 9)	/* SET_OWNER; stat's last pids and
						 * times (v6)
						 */
#define IPCMBOX_FEAT_PACKED	(1ULL << 10)	/* IPCMBOX_BATCH_PACKED (v7) */

/* Capacity values with a meaning of their own; any other is a count. */
#define IPCMBOX_CAP_RENDEZVOUS	0U
#define IPCMBOX_CAP_UNBOUNDED	0xffffffffU

/* Which limits a struct ipcmbox_create or ipcmbox_config sets. */
#define IPCMBOX_SET_CAPACITY	(1U << 0)
#define IPCMBOX_SET_MAX_MSG	(1U << 1)
#define IPCMBOX_SET_MAX_BYTES	(1U << 2)
#define IPCMBOX_SET_MODE	(1U << 3)	/* create only */
#define IPCMBOX_SET_REGION	(1U << 4)	/* create only (ABI v3) */
/* Which of owner, group and mode a struct ipcmbox_owner sets (ABI v6). */
#define IPCMBOX_SET_UID		(1U << 5)
#define IPCMBOX_SET_GID		(1U << 6)
/* and IPCMBOX_SET_MODE */

/* struct ipcmbox_create flags: IPCMBOX_IOC_PAIR's. */
#define IPCMBOX_PAIR_CLOEXEC	(1U << 0)
#define IPCMBOX_PAIR_NONBLOCK	(1U << 1)
/*
 * IPCMBOX_IOC_CREATE's (ABI v5, IPCMBOX_FEAT_CREATE_OPEN): also open the new
 * mailbox, in the same call, for receiving, sending or both (O_RDONLY,
 * O_WRONLY, O_RDWR), with O_CLOEXEC and O_NONBLOCK as the other two say;
 * the descriptor comes back in @recv_fd when it may receive and in
 * @send_fd when it may send (both for O_RDWR), the other one being -1.  The creator gets it
 * whatever @mode says, as open(2) with O_CREAT.
 */
#define IPCMBOX_CREATE_CLOEXEC		IPCMBOX_PAIR_CLOEXEC
#define IPCMBOX_CREATE_NONBLOCK		IPCMBOX_PAIR_NONBLOCK
#define IPCMBOX_CREATE_OPEN_RECV	(1U << 2)
#define IPCMBOX_CREATE_OPEN_SEND	(1U << 3)

/**
 * struct ipcmbox_create - a new mailbox (IPCMBOX_IOC_CREATE, IPCMBOX_IOC_PAIR)
 * @size: sizeof(struct ipcmbox_create), at least IPCMBOX_CREATE_SIZE_VER0
 * @set: IPCMBOX_SET_* bits of the fields given; the others take defaults
 * @capacity: IPCMBOX_CAP_RENDEZVOUS, a message count, or IPCMBOX_CAP_UNBOUNDED
 * @max_msg: largest message in bytes
 * @max_bytes: bounded mailboxes: most payload bytes queued
 * @mode: permission bits (at most 0777) of the node, named only; default 0600
 * @flags: IPCMBOX_PAIR_* (PAIR), IPCMBOX_CREATE_* (CREATE)
 * @send_fd: PAIR out: descriptor that may only send; CREATE with
 *	IPCMBOX_CREATE_OPEN_SEND out: the new descriptor
 * @recv_fd: PAIR out: descriptor that may only receive; CREATE with
 *	IPCMBOX_CREATE_OPEN_RECV out: the new descriptor
 * @region_size: with IPCMBOX_SET_REGION: bytes of shared region, rounded
 *	up to whole pages (ABI v3; older modules reject it as reserved)
 * @reserved: must be zero
 * @name: CREATE: NUL-terminated name; PAIR: must be empty
 */
struct ipcmbox_create {
	__u32 size;
	__u32 set;
	__u32 capacity;
	__u32 max_msg;
	__u64 max_bytes;
	__u32 mode;
	__u32 flags;
	__s32 send_fd;
	__s32 recv_fd;
	__u64 region_size;
	__u64 reserved[2];
	char name[IPCMBOX_NAME_MAX + 1];
};

#define IPCMBOX_CREATE_SIZE_VER0	128

/**
 * struct ipcmbox_name - a mailbox by name (IPCMBOX_IOC_REMOVE)
 * @size: sizeof(struct ipcmbox_name), at least IPCMBOX_NAME_SIZE_VER0
 * @flags: must be zero
 * @name: NUL-terminated name
 */
struct ipcmbox_name {
	__u32 size;
	__u32 flags;
	char name[IPCMBOX_NAME_MAX + 1];
};

#define IPCMBOX_NAME_SIZE_VER0	72

/**
 * struct ipcmbox_config - change a live mailbox's limits (IPCMBOX_IOC_CONFIG)
 * @size: sizeof(struct ipcmbox_config), at least IPCMBOX_CONFIG_SIZE_VER0
 * @set: IPCMBOX_SET_CAPACITY, _MAX_MSG, _MAX_BYTES: the fields to change
 * @capacity: as in struct ipcmbox_create
 * @max_msg: as in struct ipcmbox_create
 * @max_bytes: as in struct ipcmbox_create
 * @reserved: must be zero
 */
struct ipcmbox_config {
	__u32 size;
	__u32 set;
	__u32 capacity;
	__u32 max_msg;
	__u64 max_bytes;
	__u64 reserved[3];
};

#define IPCMBOX_CONFIG_SIZE_VER0	48

/* struct ipcmbox_stat flags (in) and state (out). */
#define IPCMBOX_STAT_NEXT	(1U << 0)	/* STAT_NAME: next after @id */
#define IPCMBOX_STATE_ANON	(1U << 0)	/* anonymous (PAIR) mailbox */
#define IPCMBOX_STATE_REMOVED	(1U << 1)	/* removed, fds still open */
#define IPCMBOX_STATE_NO_SENDERS (1U << 2)	/* anonymous, send fds closed */
#define IPCMBOX_STATE_NO_RECEIVERS (1U << 3)	/* anonymous, recv fds closed */

/**
 * struct ipcmbox_stat - attributes and counters of one mailbox
 *	(IPCMBOX_IOC_STAT on a mailbox fd, IPCMBOX_IOC_STAT_NAME on control)
 * @size: sizeof(struct ipcmbox_stat), at least IPCMBOX_STAT_SIZE_VER0
 * @flags: in: IPCMBOX_STAT_NEXT (STAT_NAME only), else 0
 * @id: in (STAT_NEXT): the previous @id, 0 to start; out: the mailbox's id
 *	(its minor number, 0 when anonymous)
 * @state: out: IPCMBOX_STATE_* bits
 * @capacity: out
 * @max_msg: out
 * @max_bytes: out (0 unless bounded)
 * @mode: out: permission bits of the node
 * @uid: out: owner, as seen from the caller's user namespace
 * @gid: out: group, likewise
 * @depth: out: messages queued
 * @depth_high: out: largest @depth seen
 * @bytes: out: payload bytes queued
 * @bytes_high: out: largest @bytes seen
 * @recv_waiting: out: receivers blocked in a receive
 * @send_waiting: out: senders blocked in a send
 * @sent: out: messages accepted
 * @received: out: messages received (peeks not counted)
 * @send_failed: out: sends that failed (any errno)
 * @recv_failed: out: receives that failed (any errno)
 * @next_len: out: length of the message a receive would take, 0 if none
 * @serial: out: unique to this mailbox while the module stays loaded
 *	(never reused, unlike @id): tells a recreated name apart (ABI v2;
 *	older modules leave it zero)
 * @region_size: out: bytes of shared region, 0 when none (ABI v3)
 * @region_used: out: bytes of the region in chunks, held or queued (v3)
 * @reserved: must be zero
 * @name: STAT_NAME in: the name (unless STAT_NEXT); out: the name, empty
 *	when anonymous
 * @send_pid: out: process (thread group) that last sent a message, as
 *	seen from the caller's pid namespace; 0 if none yet or not visible
 *	(ABI v6, IPCMBOX_STAT_SIZE_VER1)
 * @recv_pid: out: likewise, the last process that received one
 * @send_time: out: when a message was last sent, in seconds since the
 *	Epoch (CLOCK_REALTIME); 0 if never
 * @recv_time: out: likewise, when one was last received
 * @change_time: out: when the mailbox was created or last had its limits,
 *	owner, group or mode changed
 *
 * Every field the caller does not pass in must be zero.  A caller that
 * passes IPCMBOX_STAT_SIZE_VER0 gets the fields before @send_pid.
 */
struct ipcmbox_stat {
	__u32 size;
	__u32 flags;
	__u32 id;
	__u32 state;
	__u32 capacity;
	__u32 max_msg;
	__u64 max_bytes;
	__u32 mode;
	__u32 uid;
	__u32 gid;
	__u32 depth;
	__u32 depth_high;
	__u32 recv_waiting;
	__u64 bytes;
	__u64 bytes_high;
	__u32 send_waiting;
	__u32 next_len;
	__u64 sent;
	__u64 received;
	__u64 send_failed;
	__u64 recv_failed;
	__u64 serial;
	__u64 region_size;
	__u64 region_used;
	__u64 reserved[2];
	char name[IPCMBOX_NAME_MAX + 1];
	__u32 send_pid;
	__u32 recv_pid;
	__s64 send_time;
	__s64 recv_time;
	__s64 change_time;
};

#define IPCMBOX_STAT_SIZE_VER0	216
#define IPCMBOX_STAT_SIZE_VER1	248	/* + pids and times (ABI v6) */

/**
 * struct ipcmbox_owner - change a mailbox's owner, group or mode
 *	(IPCMBOX_IOC_SET_OWNER on a mailbox fd opened through its node;
 *	ABI v6, IPCMBOX_FEAT_OWNER)
 * @size: sizeof(struct ipcmbox_owner), at least IPCMBOX_OWNER_SIZE_VER0
 * @set: IPCMBOX_SET_UID, _GID, _MODE: the fields to change, at least one
 * @uid: new owner, in the caller's user namespace
 * @gid: new group, likewise
 * @mode: new permission bits, at most 0777
 * @reserved: must be zero
 *
 * A field not in @set must be zero.  The mailbox's record and its node's
 * inode change together, or neither does.
 */
struct ipcmbox_owner {
	__u32 size;
	__u32 set;
	__u32 uid;
	__u32 gid;
	__u32 mode;
	__u32 reserved;
};

#define IPCMBOX_OWNER_SIZE_VER0	24

/* Message priorities: 0 (default) to IPCMBOX_PRIO_MAX, higher first. */
#define IPCMBOX_PRIO_MAX	255

/* struct ipcmbox_io flags */
#define IPCMBOX_IO_NONBLOCK	(1U << 0)	/* fail with EAGAIN, never sleep */
#define IPCMBOX_IO_PEEK		(1U << 1)	/* recv: copy, leave it queued */
#define IPCMBOX_IO_TRUNC	(1U << 2)	/* recv: cut a long message */
#define IPCMBOX_IO_TIMEOUT	(1U << 3)	/* @timeout_ns is valid */
#define IPCMBOX_IO_ABSTIME	(1U << 4)	/* @timeout_ns is absolute */
#define IPCMBOX_IO_REF		(1U << 5)	/* by reference (ABI v3) */

/* struct ipcmbox_io msg_flags (receive out) */
#define IPCMBOX_MSG_REF		(1U << 0)	/* the message is a chunk */

/* struct ipcmbox_io clock */
#define IPCMBOX_CLOCK_MONOTONIC	0
#define IPCMBOX_CLOCK_REALTIME	1
#define IPCMBOX_CLOCK_BOOTTIME	2

/**
 * struct ipcmbox_io - one message (IPCMBOX_IOC_SEND, IPCMBOX_IOC_RECV)
 * @size: sizeof(struct ipcmbox_io), at least IPCMBOX_IO_SIZE_VER0
 * @flags: IPCMBOX_IO_*
 * @buf: user address of the payload (send) or of the buffer (recv)
 * @len: send: message length; recv in: buffer size, out: bytes copied
 * @msg_len: recv out: the message's full length (also on EMSGSIZE)
 * @type: send: message type, >= 0; recv: 0 any type, > 0 exactly @type,
 *	< 0 the lowest type <= -@type; out: the message's type
 * @priority: send: 0..IPCMBOX_PRIO_MAX; recv out: the message's priority
 * @clock: IPCMBOX_CLOCK_* of @timeout_ns
 * @timeout_ns: with IPCMBOX_IO_TIMEOUT: nanoseconds to wait, or with
 *	IPCMBOX_IO_ABSTIME the time on @clock at which to give up (ETIMEDOUT)
 * @seq: out: the message's sequence number in its mailbox (from 1)
 * @enqueue_mono_ns: recv out: CLOCK_MONOTONIC time the message was sent
 * @enqueue_real_ns: recv out: the same instant on CLOCK_REALTIME
 * @pid: recv out: sender's process id in the receiver's pid namespace,
 *	0 if not visible there
 * @tid: recv out: sender's thread id, likewise
 * @uid: recv out: sender's effective uid in the receiver's user namespace
 * @gid: recv out: sender's effective gid, likewise
 * @ref_offset: send with IPCMBOX_IO_REF: offset in the region of a chunk
 *	the sending fd holds, whose first @len bytes are the message (@buf
 *	must be 0); recv out, when @msg_flags has IPCMBOX_MSG_REF: the offset
 *	of the chunk the receiving fd now holds (ABI v3)
 * @msg_flags: recv out: IPCMBOX_MSG_REF when the message came by
 *	reference: with IPCMBOX_IO_REF the caller now holds its chunk and
 *	@buf was not written; without, its bytes were copied to @buf (v3)
 * @reserved0: must be zero
 * @reserved: must be zero
 *
 * Every output field must be zero on input.
 */
struct ipcmbox_io {
	__u32 size;
	__u32 flags;
	__u64 buf;
	__u64 len;
	__u64 msg_len;
	__s64 type;
	__u32 priority;
	__u32 clock;
	__s64 timeout_ns;
	__u64 seq;
	__s64 enqueue_mono_ns;
	__s64 enqueue_real_ns;
	__s32 pid;
	__s32 tid;
	__u32 uid;
	__u32 gid;
	__u64 ref_offset;
	__u32 msg_flags;
	__u32 reserved0;
	__u64 reserved[2];
};

#define IPCMBOX_IO_SIZE_VER0	128

/**
 * struct ipcmbox_chunk - one chunk of a shared region
 * @offset: its first byte, from the start of the region (page aligned)
 * @len: ALLOC out: its usable length; RELEASE in: at most its length
 */
struct ipcmbox_chunk {
	__u64 offset;
	__u64 len;
};

/* Most chunks one IPCMBOX_IOC_ALLOC or _RELEASE moves. */
#define IPCMBOX_CHUNKS_MAX	1024

/**
 * struct ipcmbox_chunks - chunks of a region (IPCMBOX_IOC_ALLOC, _RELEASE)
 * @size: sizeof(struct ipcmbox_chunks), at least IPCMBOX_CHUNKS_SIZE_VER0
 * @flags: ALLOC: IPCMBOX_IO_NONBLOCK, _TIMEOUT, _ABSTIME; RELEASE: 0
 * @chunks: user address of an array of @count struct ipcmbox_chunk
 * @count: in: entries in @chunks, 1..IPCMBOX_CHUNKS_MAX; ALLOC out:
 *	entries filled (at least 1)
 * @clock: ALLOC: IPCMBOX_CLOCK_* of @timeout_ns
 * @timeout_ns: ALLOC with IPCMBOX_IO_TIMEOUT, as in struct ipcmbox_io
 * @len: ALLOC: bytes wanted in each chunk (rounded up to pages); RELEASE: 0
 * @reserved: must be zero
 */
struct ipcmbox_chunks {
	__u32 size;
	__u32 flags;
	__u64 chunks;
	__u32 count;
	__u32 clock;
	__s64 timeout_ns;
	__u64 len;
	__u64 reserved[3];
};

#define IPCMBOX_CHUNKS_SIZE_VER0	64

/* struct ipcmbox_region_fd flags */
#define IPCMBOX_REGION_CLOEXEC	(1U << 0)

/**
 * struct ipcmbox_region_fd - a descriptor that maps the region
 *	(IPCMBOX_IOC_REGION_FD)
 * @size: sizeof(struct ipcmbox_region_fd), at least
 *	IPCMBOX_REGION_FD_SIZE_VER0
 * @flags: IPCMBOX_REGION_CLOEXEC
 * @fd: out: the new descriptor; read-write when the mailbox fd may send,
 *	read-only otherwise.  It can only be mmap'ed.
 * @reserved0: must be zero
 * @reserved: must be zero
 */
struct ipcmbox_region_fd {
	__u32 size;
	__u32 flags;
	__s32 fd;
	__u32 reserved0;
	__u64 reserved[2];
};

#define IPCMBOX_REGION_FD_SIZE_VER0	32

/* struct ipcmbox_batch flags, besides IPCMBOX_IO_NONBLOCK, _TIMEOUT, _ABSTIME */
#define IPCMBOX_BATCH_ATOMIC	(1U << 16)	/* send: all or nothing */
#define IPCMBOX_BATCH_PACKED	(1U << 17)	/* @msgs: a packed buffer (v7) */

/* Most messages one IPCMBOX_IOC_SEND_BATCH or _RECV_BATCH moves. */
#define IPCMBOX_BATCH_MAX	1024

/**
 * struct ipcmbox_batch - many messages in one call (IPCMBOX_IOC_SEND_BATCH,
 *	IPCMBOX_IOC_RECV_BATCH; ABI v4)
 * @size: sizeof(struct ipcmbox_batch), at least IPCMBOX_BATCH_SIZE_VER0
 * @flags: IPCMBOX_IO_NONBLOCK, _TIMEOUT, _ABSTIME for the whole call;
 *	send: IPCMBOX_BATCH_ATOMIC
 * @msgs: user address of @count struct ipcmbox_io, @stride bytes apart.
 *	Each entry is one message as for IPCMBOX_IOC_SEND or _RECV, but its
 *	flags may only hold IPCMBOX_IO_REF (and on receive IPCMBOX_IO_TRUNC)
 *	and its @clock and @timeout_ns must be zero: blocking and the
 *	timeout belong to the batch.  Outputs are written to each entry done.
 * @count: entries in @msgs, 1..IPCMBOX_BATCH_MAX
 * @stride: sizeof(struct ipcmbox_io) as the caller knows it, at least
 *	IPCMBOX_IO_SIZE_VER0; every entry's @size must equal it
 * @clock: IPCMBOX_CLOCK_* of @timeout_ns
 * @error: out: 0, or the positive errno that stopped the call after it
 *	had done at least one message (the entry after the last one done)
 * @timeout_ns: with IPCMBOX_IO_TIMEOUT, as in struct ipcmbox_io, for the
 *	whole call
 * @len: with IPCMBOX_BATCH_PACKED, the bytes at @msgs; else 0 (ABI v7)
 * @reserved: must be zero
 *
 * The ioctl returns the number of messages done, from the first entry on;
 * it fails only when none was done, with the errno of the first entry.
 *
 * With IPCMBOX_BATCH_PACKED (ABI v7, IPCMBOX_FEAT_PACKED), @msgs is instead
 * the user address of a buffer of @len bytes holding messages one after
 * the other, each a header, its payload, and padding to
 * IPCMBOX_PACKED_ALIGN; @stride must be 0.  A send takes @count messages,
 * each after a struct ipcmbox_packed_send, and writes nothing back; a
 * receive takes up to @count messages of any type, as many as the buffer
 * holds, and writes each after a struct ipcmbox_packed_recv.
 */
struct ipcmbox_batch {
	__u32 size;
	__u32 flags;
	__u64 msgs;
	__u32 count;
	__u32 stride;
	__u32 clock;
	__u32 error;
	__s64 timeout_ns;
	__u64 len;
	__u64 reserved[2];
};

#define IPCMBOX_BATCH_SIZE_VER0	64

/* Headers and messages in a packed buffer start at multiples of this. */
#define IPCMBOX_PACKED_ALIGN	8
/* Bytes a packed message takes: its @hdr-byte header, @len bytes, padding. */
#define IPCMBOX_PACKED_SIZE(hdr, len) \
	(((__u64)(hdr) + (len) + IPCMBOX_PACKED_ALIGN - 1) & \
	 ~(__u64)(IPCMBOX_PACKED_ALIGN - 1))

/**
 * struct ipcmbox_packed_send - one message of a packed send (ABI v7)
 * @len: payload bytes, which follow this header
 * @priority: 0..IPCMBOX_PRIO_MAX
 * @flags: must be zero
 * @type: message type, >= 0
 */
struct ipcmbox_packed_send {
	__u32 len;
	__u16 priority;
	__u16 flags;
	__s64 type;
};

/**
 * struct ipcmbox_packed_recv - one message of a packed receive (ABI v7);
 *	the fields mean what struct ipcmbox_io's of the same names do
 * @len: payload bytes, which follow this header (the message's length)
 * @priority: its priority
 * @msg_flags: IPCMBOX_MSG_REF: it was sent by reference (and copied here)
 * @type: its type
 * @seq: its sequence number
 * @enqueue_mono_ns: when it was sent, CLOCK_MONOTONIC
 * @enqueue_real_ns: the same instant on CLOCK_REALTIME
 * @pid: sender's process id in the receiver's pid namespace, or 0
 * @tid: sender's thread id, likewise
 * @uid: sender's effective uid in the receiver's user namespace
 * @gid: sender's effective gid, likewise
 */
struct ipcmbox_packed_recv {
	__u32 len;
	__u16 priority;
	__u16 msg_flags;
	__s64 type;
	__u64 seq;
	__s64 enqueue_mono_ns;
	__s64 enqueue_real_ns;
	__s32 pid;
	__s32 tid;
	__u32 uid;
	__u32 gid;
};

/**
 * struct ipcmbox_uring_cmd - the command area of an IORING_OP_URING_CMD
 *	SQE on a mailbox fd (ABI v4); the SQE's cmd_op is IPCMBOX_IOC_SEND,
 *	_RECV, _SEND_BATCH or _RECV_BATCH, and the completion's result is
 *	what that ioctl returns (0 or the count, else a negative errno)
 * @arg: user address of the struct ipcmbox_io or ipcmbox_batch that the
 *	ioctl takes; it must stay valid until the completion
 * @reserved: must be zero
 */
struct ipcmbox_uring_cmd {
	__u64 arg;
	__u64 reserved;
};

/* Control node (/dev/ipcmbox/control), 0x00-0x0f. */
#define IPCMBOX_IOC_INFO	_IOWR(IPCMBOX_IOC_MAGIC, 0x00, struct ipcmbox_info)
#define IPCMBOX_IOC_CREATE	_IOW(IPCMBOX_IOC_MAGIC, 0x01, struct ipcmbox_create)
#define IPCMBOX_IOC_REMOVE	_IOW(IPCMBOX_IOC_MAGIC, 0x02, struct ipcmbox_name)
#define IPCMBOX_IOC_PAIR	_IOWR(IPCMBOX_IOC_MAGIC, 0x03, struct ipcmbox_create)
/*
 * The number of a call on a size-versioned structure holds the size of its
 * first version, so that the number stays when the structure grows (its
 * size field tells versions apart): struct ipcmbox_stat's calls keep 216.
 */
#define IPCMBOX_IOC_STAT_NAME	_IOC(_IOC_READ | _IOC_WRITE, IPCMBOX_IOC_MAGIC, \
				     0x04, IPCMBOX_STAT_SIZE_VER0)

/* Mailbox fds, 0x10-0x2f. */
#define IPCMBOX_IOC_SEND	_IOWR(IPCMBOX_IOC_MAGIC, 0x10, struct ipcmbox_io)
#define IPCMBOX_IOC_RECV	_IOWR(IPCMBOX_IOC_MAGIC, 0x11, struct ipcmbox_io)
#define IPCMBOX_IOC_STAT	_IOC(_IOC_READ | _IOC_WRITE, IPCMBOX_IOC_MAGIC, \
				     0x12, IPCMBOX_STAT_SIZE_VER0)
#define IPCMBOX_IOC_CONFIG	_IOW(IPCMBOX_IOC_MAGIC, 0x13, struct ipcmbox_config)
#define IPCMBOX_IOC_SEND_BATCH	_IOWR(IPCMBOX_IOC_MAGIC, 0x14, struct ipcmbox_batch)
#define IPCMBOX_IOC_RECV_BATCH	_IOWR(IPCMBOX_IOC_MAGIC, 0x15, struct ipcmbox_batch)
#define IPCMBOX_IOC_SET_OWNER	_IOW(IPCMBOX_IOC_MAGIC, 0x16, struct ipcmbox_owner)

/* Shared regions, on mailbox fds, 0x30-0x3f (ABI v3). */
#define IPCMBOX_IOC_ALLOC	_IOWR(IPCMBOX_IOC_MAGIC, 0x30, struct ipcmbox_chunks)
#define IPCMBOX_IOC_RELEASE	_IOW(IPCMBOX_IOC_MAGIC, 0x31, struct ipcmbox_chunks)
#define IPCMBOX_IOC_REGION_FD	_IOWR(IPCMBOX_IOC_MAGIC, 0x32, struct ipcmbox_region_fd)

#endif /* _UAPI_LINUX_IPCMBOX_H */
