/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Mailbox objects, their messages and the waiters blocked on them.
 */
#ifndef _IPCMBOX_MBOX_H
#define _IPCMBOX_MBOX_H

#include <linux/cred.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/math64.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/sched/signal.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include <linux/types.h>
#include <linux/uidgid.h>
#include <linux/uio.h>
#include <linux/wait.h>
#include <linux/ipcmbox.h>

/* capacity value of an unbounded mailbox */
#define IPCMBOX_UNBOUNDED	IPCMBOX_CAP_UNBOUNDED

/* Defaults of a mailbox created without explicit limits. */
#define IPCMBOX_DEFAULT_CAPACITY	64
#define IPCMBOX_DEFAULT_MAX_MSG		8192
#define IPCMBOX_DEFAULT_MODE		0600
/* Largest message (header and payload) carved from a page (frag.c). */
#define IPCMBOX_FRAG_MAX		1024
/* Full pages a mailbox keeps, to carve again once their messages are gone. */
#define IPCMBOX_FRAG_SPARES		3
/* Upper bound of the msg_size_max parameter. */
#define IPCMBOX_MSG_SIZE_LIMIT		(64U << 20)

static inline bool ipcmbox_cap_bounded(u32 capacity)
{
	return capacity != 0 && capacity != IPCMBOX_UNBOUNDED;
}

/* A bounded mailbox's byte limit by default: capacity full-size messages. */
static inline u64 ipcmbox_default_max_bytes(u32 capacity, u32 max_msg)
{
	if (!ipcmbox_cap_bounded(capacity))
		return 0;
	return (u64)capacity * max_msg;
}

struct ipcmbox_region;
struct ipcmbox_swait;

/**
 * struct ipcmbox_frag - the page a mailbox carves small messages from
 * @lock: protects @page, @off and @spare
 * @page: the current page, or NULL
 * @off: where the next message goes in @page
 * @spare: earlier current pages, or NULL: each is carved again from the
 *	top once the messages on it are gone
 */
struct ipcmbox_frag {
	spinlock_t lock;		/* protects the rest */
	struct page *page;
	unsigned int off;
	struct page *spare[IPCMBOX_FRAG_SPARES];
};

/**
 * struct ipcmbox_msg - one message
 * @node: entry in the mailbox's queue, or empty when not queued
 * @sender: rendezvous: the blocked sender waiting for this message to be
 *	taken, or NULL
 * @len: payload length
 * @frag: carved from a page of the mailbox (frag.c), else allocated alone
 * @seq: sequence number, given when the mailbox accepts the message
 * @type: SysV-style type, >= 0
 * @priority: 0..IPCMBOX_PRIO_MAX, higher first
 * @stamp: CLOCK_MONOTONIC time of the send
 * @tgid: sending process
 * @pid: sending thread
 * @uid: sender's effective uid
 * @gid: sender's effective gid
 * @charged: unbounded mailboxes: bytes charged to @charged_uid, or 0
 * @charged_uid: who pays for @charged
 * @region: by reference: the region one of whose chunks holds the payload
 *	(@data is empty); NULL when the payload is in @data
 * @chunk: by reference: the chunk's first page
 * @train: a record of @count messages of one train (train.c), whose
 *	payloads are there, not in @data; NULL for one message
 * @off: a record: where its first message's entry is in @train->data
 * @count: a record: how many messages, one after the other from @off,
 *	with sequence numbers from @seq; @len is their payloads' sum, @type
 *	the first one's, and @priority every one's
 * @data: payload
 */
struct ipcmbox_msg {
	struct list_head node;
	struct ipcmbox_swait *sender;
	size_t len;
	u64 seq;
	s64 type;
	ktime_t stamp;
	struct pid *tgid;
	struct pid *pid;
	size_t charged;
	struct ipcmbox_region *region;
	u32 priority;
	kuid_t uid;
	kgid_t gid;
	kuid_t charged_uid;
	u32 chunk;
	bool frag;
	struct ipcmbox_train *train;
	u32 off;
	u32 count;
	u8 data[] __aligned(8);
};

/**
 * struct ipcmbox_train - the messages of one packed send, as it sent them
 * @ref: references: the send making it, and each record (train.c)
 * @mb: the mailbox, which outlives it: every reference is the mailbox's
 *	(queued records) or held by a caller with the mailbox open
 * @size: bytes of @data allocated
 * @len: bytes of @data in use
 * @count: messages in @data
 * @total: their payload bytes
 * @max_len: the longest payload
 * @one_priority: all of one priority
 * @stamp: its messages' send time
 * @tgid: sending process, referenced
 * @pid: sending thread, referenced
 * @uid: sender's effective uid
 * @gid: sender's effective gid
 * @data: the packed send's entries (struct ipcmbox_packed_send and
 *	payload, each at an IPCMBOX_PACKED_ALIGN offset), checked, and not
 *	changed again
 */
struct ipcmbox_train {
	refcount_t ref;
	struct ipcmbox_mbox *mb;
	u32 size;
	u32 len;
	u32 count;
	u32 max_len;
	u64 total;
	bool one_priority;
	ktime_t stamp;
	struct pid *tgid;
	struct pid *pid;
	kuid_t uid;
	kgid_t gid;
	u8 data[] __aligned(8);
};

/* How many messages @msg holds: a train's record holds many. */
static inline unsigned int ipcmbox_msg_count(const struct ipcmbox_msg *msg)
{
	return unlikely(msg->train) ? msg->count : 1;
}

/*
 * Whether a message of @type is selected by @sel: 0 any type, > 0 exactly
 * @sel, < 0 any type <= -@sel (the lowest of those is chosen by the
 * caller).  @sel is never S64_MIN: the ioctl rejects it.
 */
static inline bool ipcmbox_type_match(s64 sel, s64 type)
{
	if (sel == 0)
		return true;
	if (sel > 0)
		return type == sel;
	return type <= -sel;
}

/**
 * struct ipcmbox_ids - who sent a message, as the receiving task sees it
 * @pid: the sending process in the receiver's pid namespace, or 0
 * @tid: the sending thread, likewise
 * @uid: the sender's effective uid in the receiver's user namespace
 * @gid: the sender's effective gid, likewise
 */
struct ipcmbox_ids {
	pid_t pid;
	pid_t tid;
	uid_t uid;
	gid_t gid;
};

/**
 * struct ipcmbox_rwait - a receiver blocked in a receive (on its stack)
 * @node: entry in mb->receivers, FIFO; empty once woken by a sender
 * @task: the receiver
 * @type: its type selector
 * @room: largest message it takes (SIZE_MAX when it truncates)
 * @ref: it takes messages by reference whatever their length
 * @msg: the message a sender handed over, now the receiver's: stored
 *	last, with release semantics, by a sender that has done the rest
 *	of the receive's work, so the receiver may return without mb->lock
 */
struct ipcmbox_rwait {
	struct list_head node;
	struct task_struct *task;
	s64 type;
	size_t room;
	bool ref;
	struct ipcmbox_msg *msg;
};

/**
 * struct ipcmbox_swait - a sender blocked in a send (on its stack)
 * @node: entry in mb->senders while waiting for space, FIFO
 * @task: the sender
 * @msg: the sender's message while the sender may still withdraw it:
 *	waiting for space (on mb->senders), or queued in a rendezvous
 *	mailbox with msg->sender pointing back here.  NULL once the mailbox
 *	or a receiver owns it.
 * @seq: the message's sequence number, once @done
 * @done: the send has succeeded
 * @wq: what the sender sleeps on, alone, woken with the sync hint
 * @rest: when @msg is a message of a train, what of the train follows it
 *	(train.h), for the receiver that admits @msg to queue; else NULL
 */
struct ipcmbox_swait {
	struct list_head node;
	struct task_struct *task;
	struct ipcmbox_msg *msg;
	u64 seq;
	bool done;
	wait_queue_head_t wq;
	struct ipcmbox_train_rest *rest;
};

/**
 * struct ipcmbox_mbox - one mailbox
 * @dev: named: its node /dev/ipcmbox/NAME; anonymous: initialised, never
 *	added.  The device's reference count is the mailbox's: each open
 *	file holds one, the registry holds one until removal, and the last
 *	put frees the mailbox.
 * @hnode: entry in the registry's name hash
 * @minor: minor number inside the ipcmbox region, 0 when anonymous
 * @uid: owner
 * @gid: group of the node
 * @mode: permission bits of the node
 * @anon: created by IPCMBOX_IOC_PAIR
 * @region: the shared region, or NULL; set at creation, freed with @mb
 * @charged_uid: creator whose per-user mailbox count this one is in
 * @charged: @charged_uid is valid
 * @fasync: SIGIO listeners
 * @rpoll: pollers waiting for readability, and peeking receivers
 * @wpoll: pollers waiting for writability
 * @frag: the page small messages are carved from, with its own lock
 * @train_spare: the memory of the last train freed, kept for the next
 *	packed send (train.c), or NULL; swapped atomically
 * @lock: protects every field below it
 * @queue: queued messages, highest priority first, FIFO within one
 * @receivers: blocked receivers (struct ipcmbox_rwait), FIFO
 * @senders: senders blocked for space (struct ipcmbox_swait), FIFO
 * @depth: messages in @queue
 * @bytes: payload bytes in @queue
 * @capacity: most messages (0: rendezvous, IPCMBOX_UNBOUNDED: no limit)
 * @max_bytes: most payload bytes queued (bounded mailboxes)
 * @max_bytes_set: @max_bytes was given, rather than derived from the
 *	capacity and @max_msg; a derived one follows their changes
 * @max_msg: largest message accepted
 * @nr_receivers: entries in @receivers
 * @nr_peekers: receivers blocked in a peek
 * @nr_batchers: atomic batch senders blocked for room (on @wpoll)
 * @nr_senders: blocked senders (in @senders or rendezvous)
 * @readers: anonymous: open files that may receive
 * @writers: anonymous: open files that may send
 * @dead: removed; every operation fails with EIDRM
 * @seq: last sequence number given
 * @depth_high: largest @depth seen
 * @bytes_high: largest @bytes seen
 * @sent: messages accepted
 * @received: messages received
 * @send_tgid: process that last sent a message, or NULL (a reference)
 * @recv_tgid: process that last received one, or NULL (a reference)
 * @send_jiffies: jiffies at the last send; 0 if none (ipcmbox_when())
 * @recv_jiffies: jiffies at the last receive; 0 if none
 * @change_time: real time of creation or of the last change of limits,
 *	owner, group or mode
 * @send_failed: failed sends
 * @recv_failed: failed receives
 */
struct ipcmbox_mbox {
	struct device dev;
	struct hlist_node hnode;
	unsigned int minor;
	u64 serial;
	kuid_t uid;
	kgid_t gid;
	umode_t mode;
	bool anon;
	bool charged;
	kuid_t charged_uid;
	struct ipcmbox_region *region;
	struct fasync_struct *fasync;
	wait_queue_head_t rpoll;
	wait_queue_head_t wpoll;
	struct ipcmbox_frag frag;
	struct ipcmbox_train *train_spare;

	struct mutex lock;		/* protects the fields below */
	struct list_head queue;
	struct list_head receivers;
	struct list_head senders;
	u32 depth;
	u64 bytes;
	u32 capacity;
	u64 max_bytes;
	bool max_bytes_set;
	u32 max_msg;
	u32 nr_receivers;
	u32 nr_peekers;
	u32 nr_batchers;
	u32 nr_senders;
	u32 readers;
	u32 writers;
	bool dead;
	u64 seq;
	u32 depth_high;
	u64 bytes_high;
	u64 sent;
	u64 received;
	struct pid *send_tgid;
	struct pid *recv_tgid;
	u64 send_jiffies;
	u64 recv_jiffies;
	time64_t change_time;
	atomic64_t send_failed;
	atomic64_t recv_failed;
};

/* What a new mailbox is made of; validated by ipcmbox_mbox_create(). */
struct ipcmbox_mbox_config {
	const char *name;		/* NULL: anonymous */
	u32 capacity;
	u32 max_msg;
	u64 max_bytes;
	bool max_bytes_set;
	kuid_t uid;
	kgid_t gid;
	umode_t mode;
	u64 region_size;		/* 0: no shared region */
	bool charge;			/* count it against @uid's limit */
	bool exempt;			/* @uid has CAP_SYS_RESOURCE */
};

/**
 * struct ipcmbox_xfer - one send or receive, decoded from read/write or
 *	from struct ipcmbox_io
 * @iter: payload (send) or buffer (receive)
 * @flags: IPCMBOX_IO_* (NONBLOCK also from O_NONBLOCK and IOCB_NOWAIT)
 * @type: send: the type; receive: the selector
 * @priority: send: the priority
 * @deadline_set: a timeout applies
 * @clock: clock of @deadline
 * @deadline: absolute expiry on @clock
 * @restart: an interrupted call may be restarted (-ERESTARTSYS)
 * @cred: credentials of the file (per-user limits)
 * @file: the file, as the holder of region chunks (compared only)
 * @msg_len: send by reference (IPCMBOX_IO_REF): the message length;
 *	receive out: the message's full length (also on EMSGSIZE)
 * @ref_offset: with IPCMBOX_IO_REF: send: the chunk to send; receive out:
 *	the chunk received
 * @msg_flags: out: receive: IPCMBOX_MSG_*
 * @seq: out: sequence number
 * @out_type: out: receive: the message's type
 * @out_priority: out: receive: the message's priority
 * @stamp: out: receive: send time (CLOCK_MONOTONIC)
 * @pid: out: receive: sender's tgid as the receiver sees it
 * @tid: out: receive: sender's pid as the receiver sees it
 * @uid: out: receive: sender's euid in the receiver's user namespace
 * @gid: out: receive: sender's egid in the receiver's user namespace
 */
struct ipcmbox_xfer {
	struct iov_iter *iter;
	u32 flags;
	s64 type;
	u32 priority;
	bool deadline_set;
	bool restart;
	clockid_t clock;
	ktime_t deadline;
	const struct cred *cred;
	const struct file *file;
	u64 ref_offset;
	u32 msg_flags;
	size_t msg_len;
	u64 seq;
	s64 out_type;
	u32 out_priority;
	ktime_t stamp;
	pid_t pid;
	pid_t tid;
	uid_t uid;
	gid_t gid;
	bool hold;			/* keep the message in @held */
	bool probe;			/* a try that ends a batch or will be
					 * repeated: EAGAIN is no failure
					 */
	struct ipcmbox_msg *held;	/* received, not yet reported */
};

/* Whether @a and @b, both still referenced, have one sender. */
static inline bool ipcmbox_msg_same_sender(const struct ipcmbox_msg *a,
					   const struct ipcmbox_msg *b)
{
	return a->tgid == b->tgid && a->pid == b->pid &&
	       uid_eq(a->uid, b->uid) && gid_eq(a->gid, b->gid);
}

/* O_NONBLOCK of an open file, read without the lock fcntl() takes */
static inline bool ipcmbox_file_nonblock(const struct file *file)
{
	/*
	 * fcntl(F_SETFL) rewrites f_flags with a plain store under f_lock,
	 * which readers of f_flags never take: a call racing with it may run
	 * in either mode, so the race is intended.  READ_ONCE keeps the load
	 * whole.
	 */
	return data_race(READ_ONCE(file->f_flags)) & O_NONBLOCK;
}

static inline struct ipcmbox_mbox *ipcmbox_mbox_get(struct ipcmbox_mbox *mb)
{
	get_device(&mb->dev);
	return mb;
}

static inline void ipcmbox_mbox_put(struct ipcmbox_mbox *mb)
{
	put_device(&mb->dev);
}

/* Whether @file may remove or reconfigure @mb: owner or CAP_SYS_ADMIN. */
bool ipcmbox_may_admin(const struct ipcmbox_mbox *mb, const struct file *file);

/* mbox.c */
struct ipcmbox_mbox *ipcmbox_mbox_create(const struct ipcmbox_mbox_config *cfg);
int ipcmbox_mbox_remove(const char *name, const struct file *file);
void ipcmbox_mbox_withdraw(struct ipcmbox_mbox *mb);
struct ipcmbox_mbox *ipcmbox_mbox_get_minor(unsigned int minor);
struct ipcmbox_mbox *ipcmbox_mbox_get_name(const char *name);
struct ipcmbox_mbox *ipcmbox_mbox_get_next(u32 *id);
unsigned int ipcmbox_mbox_count(void);
void ipcmbox_mbox_remove_all(void);
int ipcmbox_mbox_cache_init(void);
void ipcmbox_mbox_cache_exit(void);
bool ipcmbox_name_valid(const char *name);

/* mbox_fops.c */
extern const struct file_operations ipcmbox_mbox_fops;
void ipcmbox_file_setup(struct file *file);

/* mbox_ioctl.c */
long ipcmbox_mbox_ioctl(struct file *file, unsigned int cmd,
			unsigned long arg);
void ipcmbox_fill_stat(struct ipcmbox_mbox *mb, struct ipcmbox_stat *st);

/* io_ioctl.c */
#define IPCMBOX_IO_SEND_FLAGS \
	(IPCMBOX_IO_NONBLOCK | IPCMBOX_IO_TIMEOUT | IPCMBOX_IO_ABSTIME | \
	 IPCMBOX_IO_REF)
#define IPCMBOX_IO_RECV_FLAGS \
	(IPCMBOX_IO_SEND_FLAGS | IPCMBOX_IO_PEEK | IPCMBOX_IO_TRUNC)

int ipcmbox_io_decode(struct file *file, const struct ipcmbox_io *io,
		      bool send, u32 allowed, struct ipcmbox_xfer *x,
		      struct iov_iter *iter);
int ipcmbox_io_check(const struct file *file, const struct ipcmbox_io *io,
		     bool send, u32 allowed);
int ipcmbox_io_xfer(struct file *file, const struct ipcmbox_io *io, bool send,
		    struct ipcmbox_xfer *x, struct iov_iter *iter);
int ipcmbox_io_put_report(struct ipcmbox_io __user *u,
			  const struct ipcmbox_xfer *x, ssize_t ret);
bool ipcmbox_io_reportable(const struct ipcmbox_xfer *x, ssize_t ret,
			   bool send);
long ipcmbox_ioctl_io(struct file *file, struct ipcmbox_io __user *uarg,
		      bool send, bool probe);

/* batch.c */
long ipcmbox_ioctl_batch(struct file *file, struct ipcmbox_batch __user *uarg,
			 bool send, bool probe);

/* uring.c */
struct io_uring_cmd;
int ipcmbox_mbox_uring_cmd(struct io_uring_cmd *ioucmd,
			   unsigned int issue_flags);

/* control.c */
int ipcmbox_create_decode(const struct ipcmbox_create *c, bool anon,
			  const struct file *ctl,
			  struct ipcmbox_mbox_config *cfg);

/* anon.c */
long ipcmbox_ioctl_pair(struct file *ctl, struct ipcmbox_create __user *uarg);
struct file *ipcmbox_mbox_file(struct ipcmbox_mbox *mb, int flags);
void ipcmbox_anon_release(struct ipcmbox_mbox *mb, fmode_t mode);

/* uabi.c */
int ipcmbox_get_struct(void *dst, size_t ksize, const void __user *uarg,
		       size_t min_size);
int ipcmbox_put_struct(void __user *uarg, void *src, size_t ksize, u32 usize);
int ipcmbox_check_name(const char *name, size_t size, bool empty);

/* sysfs.c */
extern const struct attribute_group *ipcmbox_mbox_groups[];

/* quota.c */
int ipcmbox_quota_charge(kuid_t uid, size_t bytes);
void ipcmbox_quota_uncharge(kuid_t uid, size_t bytes);
int ipcmbox_quota_region_charge(kuid_t uid, u64 bytes, bool exempt);
void ipcmbox_quota_region_uncharge(kuid_t uid, u64 bytes);
int ipcmbox_quota_mbox_charge(kuid_t uid, bool exempt);
void ipcmbox_quota_mbox_uncharge(kuid_t uid);

/* msg.c */
struct ipcmbox_msg *ipcmbox_msg_new(struct ipcmbox_mbox *mb,
				    struct ipcmbox_xfer *x, size_t len);
struct ipcmbox_msg *ipcmbox_msg_new_ref(struct ipcmbox_mbox *mb,
					struct ipcmbox_xfer *x, size_t len);
void ipcmbox_msg_free(struct ipcmbox_msg *msg);
struct ipcmbox_msg *ipcmbox_msg_from_user(struct ipcmbox_mbox *mb,
					  struct ipcmbox_xfer *x,
					  const void __user *src, size_t len);
void ipcmbox_msg_stamp_run(struct ipcmbox_msg **msgs, unsigned int n);
struct ipcmbox_msg *ipcmbox_msg_of_train(struct ipcmbox_mbox *mb,
					 const struct ipcmbox_train *t,
					 size_t room);
void ipcmbox_msg_free_run(struct ipcmbox_msg **msgs, unsigned int n);
void ipcmbox_msg_free_to(struct ipcmbox_msg *msg, const struct file *file);

/* frag.c */
void ipcmbox_frag_setup(void);
void ipcmbox_frag_init(struct ipcmbox_frag *f);
void ipcmbox_frag_destroy(struct ipcmbox_frag *f);
void *ipcmbox_frag_alloc(struct ipcmbox_frag *f, size_t size);
void ipcmbox_frag_free(void *p);
struct page *ipcmbox_frag_page(const void *p);
void ipcmbox_frag_put(struct page *page, unsigned int n);
size_t ipcmbox_msg_size(const struct ipcmbox_msg *msg);
size_t ipcmbox_msg_copy(struct ipcmbox_msg *msg, size_t len,
			struct iov_iter *iter);
bool ipcmbox_msg_fits(const struct ipcmbox_msg *msg, size_t room, bool ref);
bool ipcmbox_msg_to_user(struct ipcmbox_msg *msg, void __user *dst);
void ipcmbox_msg_envelope(const struct ipcmbox_msg *msg,
			  struct ipcmbox_xfer *x);
void ipcmbox_msg_ids(const struct ipcmbox_msg *msg, struct ipcmbox_ids *ids);

/* wait.c */
int ipcmbox_xfer_deadline(struct ipcmbox_xfer *x, u32 clock, s64 timeout);
int ipcmbox_sleep_on(struct mutex *lock, struct ipcmbox_xfer *x,
		     wait_queue_head_t *wq, bool *expired);
int ipcmbox_sleep(struct ipcmbox_mbox *mb, struct ipcmbox_xfer *x,
		  wait_queue_head_t *wq, bool *expired);
int ipcmbox_sleep_handoff(struct mutex *lock, struct ipcmbox_xfer *x,
			  struct ipcmbox_msg **slot, bool *expired);

/* queue.c */
void ipcmbox_queue_init(struct ipcmbox_mbox *mb);
void ipcmbox_queue_kill(struct ipcmbox_mbox *mb);
void ipcmbox_queue_free(struct ipcmbox_mbox *mb);
void ipcmbox_unlink(struct ipcmbox_mbox *mb, struct ipcmbox_msg *msg);
void ipcmbox_unqueued(struct ipcmbox_mbox *mb, unsigned int n, u64 bytes);
bool ipcmbox_fits(const struct ipcmbox_mbox *mb, size_t len);

/*
 * Whether a message of @len bytes fits a bounded queue that holds @depth
 * messages of @bytes bytes in all: ipcmbox_fits() for the queue as it is,
 * ipcmbox_send_fit() for the queue as a run would leave it.
 */
static inline bool ipcmbox_fits_after(const struct ipcmbox_mbox *mb,
				      u32 depth, u64 bytes, size_t len)
{
	return depth < READ_ONCE(mb->capacity) &&
	       bytes + len <= READ_ONCE(mb->max_bytes);
}

void ipcmbox_accept(struct ipcmbox_mbox *mb, struct ipcmbox_msg *msg);
void ipcmbox_accept_run(struct ipcmbox_mbox *mb, struct ipcmbox_msg **msgs,
			unsigned int n);
void ipcmbox_deliver(struct ipcmbox_mbox *mb, struct ipcmbox_msg *msg);
bool ipcmbox_offer(struct ipcmbox_mbox *mb, struct ipcmbox_msg *msg);
void ipcmbox_swait_done(struct ipcmbox_mbox *mb, struct ipcmbox_swait *sw,
			struct ipcmbox_msg *msg);
void ipcmbox_sender_done(struct ipcmbox_mbox *mb, struct ipcmbox_msg *msg);
void ipcmbox_became_writable(struct ipcmbox_mbox *mb);
void ipcmbox_space_freed(struct ipcmbox_mbox *mb, bool was_writable);
bool ipcmbox_writable(const struct ipcmbox_mbox *mb);
void ipcmbox_wake_all(struct ipcmbox_mbox *mb);
void ipcmbox_wake_receivers(struct ipcmbox_mbox *mb);
void ipcmbox_wake_senders(struct ipcmbox_mbox *mb);
struct ipcmbox_msg *ipcmbox_find_trains(struct ipcmbox_mbox *mb, s64 type);
size_t ipcmbox_next_len(struct ipcmbox_mbox *mb);

/**
 * ipcmbox_find() - the queued message a receive with selector @type takes
 * @mb: the mailbox, locked
 * @type: 0 any, > 0 that type, < 0 the lowest type <= -@type
 *
 * Inline, for the receive paths; a queue that holds records of trains is
 * searched by ipcmbox_find_trains(), which makes the message it picks out
 * of a record a message of its own first (ipcmbox_train_extract()), at
 * its place.
 *
 * Return: the first matching message in queue order (for a negative
 * selector, the first of the lowest matching type), NULL, or
 * ERR_PTR(-ENOMEM) (a train's message could not be made; nothing changed).
 */
static inline struct ipcmbox_msg *ipcmbox_find(struct ipcmbox_mbox *mb,
					       s64 type)
{
	struct ipcmbox_msg *msg, *best = NULL;

	lockdep_assert_held(&mb->lock);
	list_for_each_entry(msg, &mb->queue, node) {
		if (unlikely(msg->train))
			return ipcmbox_find_trains(mb, type);
		if (!ipcmbox_type_match(type, msg->type))
			continue;
		if (type >= 0)
			return msg;
		if (!best || msg->type < best->type)
			best = msg;
	}
	return best;
}

__poll_t ipcmbox_queue_poll(struct ipcmbox_mbox *mb, fmode_t mode);
int ipcmbox_configure(struct ipcmbox_mbox *mb, const struct ipcmbox_config *c);

/**
 * ipcmbox_now() - the real time in seconds, for stat's times
 *
 * The coarse clock, read under the timekeeper's seqcount:
 * ktime_get_real_seconds() is a little cheaper, but its unsynchronised
 * load of xtime_sec races with every tick's update under KCSAN.
 */
static inline time64_t ipcmbox_now(void)
{
	struct timespec64 ts;

	ktime_get_coarse_real_ts64(&ts);
	return ts.tv_sec;
}

/*
 * The real time, in seconds, of the moment ipcmbox_note() stored as
 * @j jiffies: @now (ipcmbox_now()), less the jiffies gone since; 0 for
 * never.  One @now for all of a stat's times keeps them in step.
 */
static inline time64_t ipcmbox_when(u64 j, time64_t now)
{
	return j ? now - div_u64(get_jiffies_64() - j, HZ) : 0;
}

/**
 * ipcmbox_note_task() - record @task's process and the time as the last
 *	to send or to receive, as SysV's msg_lspid/msg_stime do
 * @tgid: &mb->send_tgid or &mb->recv_tgid; mb->lock held
 * @when: &mb->send_jiffies or &mb->recv_jiffies
 * @task: the caller, or a receiver blocked in this mailbox
 *
 * The reference changes only when another process calls.  The time is
 * jiffies, one load, made a real time only when stat asks
 * (ipcmbox_when()); jiffies 0 is a moment ago, not never.
 */
static inline void ipcmbox_note_task(struct pid **tgid, u64 *when,
				     struct task_struct *task)
{
	struct pid *it = task_tgid(task);

	if (*tgid != it) {
		put_pid(*tgid);
		*tgid = get_pid(it);
	}
	*when = get_jiffies_64() ?: 1;
}

/* ipcmbox_note_task() for the calling task. */
static inline void ipcmbox_note(struct pid **tgid, u64 *when)
{
	ipcmbox_note_task(tgid, when, current);
}

/* owner.c */
long ipcmbox_ioctl_set_owner(struct file *file,
			     struct ipcmbox_owner __user *uarg);

/* send.c, recv.c */
ssize_t ipcmbox_send(struct ipcmbox_mbox *mb, struct ipcmbox_xfer *x);
struct ipcmbox_msg *ipcmbox_send_make(struct ipcmbox_mbox *mb,
				      struct ipcmbox_xfer *x);
int ipcmbox_send_made(struct ipcmbox_mbox *mb, struct ipcmbox_xfer *x,
		      struct ipcmbox_msg **msgp, struct ipcmbox_train_rest *rest);
unsigned int ipcmbox_send_run(struct ipcmbox_mbox *mb, struct ipcmbox_xfer *x,
			      struct ipcmbox_msg **msgs, unsigned int n,
			      u64 *seq);
int ipcmbox_send_all(struct ipcmbox_mbox *mb, struct ipcmbox_msg **msgs,
		     unsigned int n, struct ipcmbox_xfer *x, u64 *seq);
ssize_t ipcmbox_receive(struct ipcmbox_mbox *mb, struct ipcmbox_xfer *x);
int ipcmbox_receive_take(struct ipcmbox_mbox *mb, struct ipcmbox_xfer *x,
			 struct ipcmbox_msg **msgp);
ssize_t ipcmbox_receive_taken(struct ipcmbox_mbox *mb, struct ipcmbox_xfer *x,
			      struct ipcmbox_msg *msg);
void ipcmbox_put_back(struct ipcmbox_mbox *mb, struct ipcmbox_msg *msg);
void ipcmbox_receive_done(struct ipcmbox_mbox *mb, struct ipcmbox_xfer *x,
			  bool reported);

#endif /* _IPCMBOX_MBOX_H */
