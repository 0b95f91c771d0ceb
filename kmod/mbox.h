/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Mailbox objects and their message queue.
 */
#ifndef _IPCMBOX_MBOX_H
#define _IPCMBOX_MBOX_H

#include <linux/cred.h>
#include <linux/device.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/uidgid.h>
#include <linux/uio.h>
#include <linux/wait.h>

/* capacity value of an unbounded mailbox */
#define IPCMBOX_UNBOUNDED	U32_MAX

/* Defaults of a mailbox created without explicit limits. */
#define IPCMBOX_DEFAULT_CAPACITY	64
#define IPCMBOX_DEFAULT_MAX_MSG		8192
/* Upper bound of the msg_size_max parameter. */
#define IPCMBOX_MSG_SIZE_LIMIT		(64U << 20)

/* A bounded mailbox's byte limit by default: capacity full-size messages. */
static inline u64 ipcmbox_default_max_bytes(u32 capacity, u32 max_msg)
{
	if (capacity == 0 || capacity == IPCMBOX_UNBOUNDED)
		return 0;
	return (u64)capacity * max_msg;
}

struct ipcmbox_msg {
	struct list_head node;
	size_t len;
	/*
	 * Rendezvous: the sender sleeps until a receiver sets @taken; the
	 * sender owns and frees the message.  Without @sender_owns the
	 * receiver frees it.
	 */
	bool sender_owns;
	bool taken;
	/* unbounded mailboxes: bytes charged to @charged_uid, or 0 */
	size_t charged;
	kuid_t charged_uid;
	u8 data[];
};

/**
 * struct ipcmbox_mbox - one mailbox
 * @dev: its node /dev/ipcmbox/NAME; the device's reference count is the
 *	mailbox's: each open file holds one, the registry holds one until
 *	removal, and the last put frees the mailbox.
 * @hnode: entry in the registry's name hash
 * @minor: minor number inside the ipcmbox region
 * @uid: owner of the node
 * @gid: group of the node
 * @mode: permission bits of the node
 * @lock: protects every field below it
 * @queue: queued messages, oldest first
 * @depth: messages in @queue
 * @bytes: payload bytes in @queue
 * @capacity: most messages (0: rendezvous, IPCMBOX_UNBOUNDED: no limit)
 * @max_bytes: most payload bytes queued (bounded mailboxes)
 * @max_msg: largest message accepted
 * @recv_waiting: receivers sleeping in receive
 * @send_waiting: senders sleeping for space or for a hand-off
 * @dead: removed; every operation fails with EIDRM
 * @recv_wq: receivers wait here for a message (exclusive), pollers too
 * @send_wq: senders wait here for space or hand-off, pollers too
 */
struct ipcmbox_mbox {
	struct device dev;
	struct hlist_node hnode;
	unsigned int minor;
	kuid_t uid;
	kgid_t gid;
	umode_t mode;

	struct mutex lock;		/* protects the fields below */
	struct list_head queue;
	u32 depth;
	u64 bytes;
	u32 capacity;
	u64 max_bytes;
	u32 max_msg;
	u32 recv_waiting;
	u32 send_waiting;
	bool dead;

	wait_queue_head_t recv_wq;
	wait_queue_head_t send_wq;
};

/* What a new mailbox is made of. */
struct ipcmbox_mbox_config {
	const char *name;
	u32 capacity;
	u32 max_msg;
	u64 max_bytes;
	kuid_t uid;
	kgid_t gid;
	umode_t mode;
};

static inline struct ipcmbox_mbox *ipcmbox_mbox_get(struct ipcmbox_mbox *mb)
{
	get_device(&mb->dev);
	return mb;
}

static inline void ipcmbox_mbox_put(struct ipcmbox_mbox *mb)
{
	put_device(&mb->dev);
}

/* mbox.c */
int ipcmbox_mbox_create(const struct ipcmbox_mbox_config *cfg);
struct ipcmbox_mbox *ipcmbox_mbox_get_minor(unsigned int minor);
unsigned int ipcmbox_mbox_count(void);
void ipcmbox_mbox_remove_all(void);

/* mbox_fops.c */
extern const struct file_operations ipcmbox_mbox_fops;

/* quota.c */
int ipcmbox_quota_charge(kuid_t uid, size_t bytes);
void ipcmbox_quota_uncharge(kuid_t uid, size_t bytes);

/* queue.c */
void ipcmbox_queue_init(struct ipcmbox_mbox *mb);
void ipcmbox_queue_kill(struct ipcmbox_mbox *mb);
void ipcmbox_queue_free(struct ipcmbox_mbox *mb);
ssize_t ipcmbox_send(struct ipcmbox_mbox *mb, struct iov_iter *from,
		     bool nonblock, const struct cred *cred);
ssize_t ipcmbox_receive(struct ipcmbox_mbox *mb, struct iov_iter *to,
			bool nonblock);
__poll_t ipcmbox_queue_poll(struct ipcmbox_mbox *mb);

#endif /* _IPCMBOX_MBOX_H */
