/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Trains (train.c): the messages of one packed send, queued in the packed
 * form they were sent in, as records of many messages.
 */
#ifndef _IPCMBOX_TRAIN_H
#define _IPCMBOX_TRAIN_H

#include "mbox.h"

/*
 * The largest packed send kept as a train, whose memory then fits the
 * 8 KiB slab cache; a larger one is sent a message at a time.
 */
#define IPCMBOX_TRAIN_MAX \
	(8192 - offsetof(struct ipcmbox_train, data))

#define IPCMBOX_TRAIN_HDR	sizeof(struct ipcmbox_packed_send)

/* The entry at @off of @t. */
static inline const struct ipcmbox_packed_send *
ipcmbox_train_at(const struct ipcmbox_train *t, u32 off)
{
	return (const struct ipcmbox_packed_send *)(t->data + off);
}

/* The payload of the entry @h. */
static inline const void *ipcmbox_train_payload(const struct ipcmbox_packed_send *h)
{
	return h + 1;
}

/* Where the entry after one of @len payload bytes at @off starts. */
static inline u32 ipcmbox_train_next(u32 off, u32 len)
{
	return off + IPCMBOX_PACKED_SIZE(IPCMBOX_TRAIN_HDR, len);
}

struct ipcmbox_train *ipcmbox_train_new(struct ipcmbox_mbox *mb,
					const u8 __user *src, u32 len,
					unsigned int n, int *stop);
void ipcmbox_train_put(struct ipcmbox_train *t);
void ipcmbox_train_destroy(struct ipcmbox_mbox *mb);
struct ipcmbox_msg *ipcmbox_train_msg(struct ipcmbox_mbox *mb,
				      struct ipcmbox_train *t, u32 off);
struct ipcmbox_msg *ipcmbox_train_record(struct ipcmbox_mbox *mb,
					 struct ipcmbox_train *t, u32 off,
					 unsigned int count, u64 len);
void ipcmbox_train_skip(struct ipcmbox_msg *rec, unsigned int k);
struct ipcmbox_msg *ipcmbox_train_cut(struct ipcmbox_mbox *mb,
				      struct ipcmbox_msg *rec, unsigned int k);
bool ipcmbox_train_match(const struct ipcmbox_msg *rec, s64 sel,
			 unsigned int *j, s64 *type);
struct ipcmbox_msg *ipcmbox_train_extract(struct ipcmbox_mbox *mb,
					  struct ipcmbox_msg *rec,
					  unsigned int j);

/**
 * struct ipcmbox_train_rest - what of a train follows a message made of
 *	one of its entries that is sent alone (packed.c), and may wait
 * @train: the train, which the sender holds
 * @off: the first entry after the message; moved past those queued
 * @n: how many entries there are from @off
 * @done: out: how many of them the receiver that admitted the message
 *	queued after it (ipcmbox_train_admit())
 */
struct ipcmbox_train_rest {
	struct ipcmbox_train *train;
	u32 off;
	unsigned int n;
	unsigned int done;
};

/* send.c */
unsigned int ipcmbox_train_send(struct ipcmbox_mbox *mb,
				struct ipcmbox_train *t, u32 *offp,
				unsigned int n);
unsigned int ipcmbox_train_send_whole(struct ipcmbox_mbox *mb,
				      struct ipcmbox_train *t);
void ipcmbox_train_admit(struct ipcmbox_mbox *mb,
			 struct ipcmbox_train_rest *rest);

/* queue.c */
void ipcmbox_accept_train(struct ipcmbox_mbox *mb, struct ipcmbox_msg *rec);
void ipcmbox_requeue(struct ipcmbox_mbox *mb, struct ipcmbox_msg *rec);

#endif /* _IPCMBOX_TRAIN_H */
