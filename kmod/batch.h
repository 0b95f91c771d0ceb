/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One batched call (IPCMBOX_IOC_SEND_BATCH, _RECV_BATCH) as batch.c runs
 * it, shared with the packed form of its messages (packed.c).
 */
#ifndef _IPCMBOX_BATCH_H
#define _IPCMBOX_BATCH_H

#include "mbox.h"

/* Messages of a packed batch whose pointers stay on the stack. */
#define IPCMBOX_BATCH_STACK	16

/**
 * struct ipcmbox_batch_run - one batched call
 * @file: the mailbox file
 * @mb: its mailbox
 * @send: a send batch, else a receive batch
 * @packed: IPCMBOX_BATCH_PACKED: @uptr is a packed buffer of @len bytes
 * @train: a packed send that goes as a train (train.c), with no @msgs
 * @n: entries, or (packed) messages
 * @stride: bytes between entries in user memory
 * @len: bytes of the packed buffer
 * @uptr: user address of the first entry, or of the packed buffer
 * @ios: kernel copies of the entries; NULL when packed
 * @msgs: the messages made for a send batch, or taken by a receive batch,
 *	one per entry, not yet the mailbox's or the caller's: in @stack, in
 *	@ios's allocation (@one) or allocated alone
 * @one: @msgs lies in @ios's allocation
 * @stack: room for a small packed batch's @msgs
 * @wait: the batch's blocking flags and deadline, for every entry
 * @stop: why the batch stopped before its last entry: an error, or 0
 */
struct ipcmbox_batch_run {
	struct file *file;
	struct ipcmbox_mbox *mb;
	bool send;
	bool packed;
	bool train;
	unsigned int n;
	u32 stride;
	u64 len;
	u8 __user *uptr;
	struct ipcmbox_io *ios;
	struct ipcmbox_msg **msgs;
	bool one;
	struct ipcmbox_msg *stack[IPCMBOX_BATCH_STACK];
	struct ipcmbox_xfer wait;
	long stop;
};

/* packed.c */
unsigned int ipcmbox_packed_make(struct ipcmbox_batch_run *r);
long ipcmbox_packed_recv(struct ipcmbox_batch_run *r);
bool ipcmbox_packed_train(const struct ipcmbox_batch_run *r);
long ipcmbox_packed_send(struct ipcmbox_batch_run *r);
long ipcmbox_packed_try(struct ipcmbox_batch_run *r);

#endif /* _IPCMBOX_BATCH_H */
