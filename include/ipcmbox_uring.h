/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * libipcmbox on io_uring: helpers in liburing's style that prepare an SQE
 * for a mailbox call (IORING_OP_URING_CMD) and decode its completion.
 * Include after <liburing.h>; link with -lipcmbox and liburing's flags
 * (pkg-config liburing).  Needs module ABI 4 (IPCMBOX_FEAT_URING_CMD).
 *
 * The struct ipcmbox_io or ipcmbox_batch a command points to, the entries
 * of a batch and every buffer must stay in place until its completion.
 * A command that can complete at once does so when submitted; one that
 * must wait does so in an io-wq worker.  To wait without one, link it
 * after an IORING_OP_POLL_ADD on the fd and make it non-blocking
 * (Documentation/userspace-api.rst, "io_uring").
 */
#ifndef IPCMBOX_URING_H
#define IPCMBOX_URING_H

#include <stdint.h>
#include <liburing.h>
#include <ipcmbox.h>

#ifdef __cplusplus
extern "C" {
#endif

/* An IORING_OP_URING_CMD of ioctl number @op on @fd, for @arg. */
static inline void ipcmbox_prep_cmd(struct io_uring_sqe *sqe, int fd,
				    unsigned int op, const void *arg)
{
	struct ipcmbox_uring_cmd *cmd;

	io_uring_prep_rw(IORING_OP_URING_CMD, sqe, fd, NULL, 0, 0);
	sqe->cmd_op = op;
	cmd = (struct ipcmbox_uring_cmd *)sqe->cmd;
	cmd->arg = (uint64_t)(uintptr_t)arg;
	cmd->reserved = 0;
}

/* A send of the message ipcmbox_io_prep(@io, ..., 1) describes. */
static inline void ipcmbox_prep_send(struct io_uring_sqe *sqe, int fd,
				     struct ipcmbox_io *io)
{
	ipcmbox_prep_cmd(sqe, fd, IPCMBOX_IOC_SEND, io);
}

/* A receive into the buffer ipcmbox_io_prep(@io, ..., 0) describes. */
static inline void ipcmbox_prep_recv(struct io_uring_sqe *sqe, int fd,
				     struct ipcmbox_io *io)
{
	ipcmbox_prep_cmd(sqe, fd, IPCMBOX_IOC_RECV, io);
}

/* A batch prepared by ipcmbox_batch_prep(@b, ..., 1), or a packed send. */
static inline void ipcmbox_prep_send_batch(struct io_uring_sqe *sqe, int fd,
					   struct ipcmbox_batch *b)
{
	ipcmbox_prep_cmd(sqe, fd, IPCMBOX_IOC_SEND_BATCH, b);
}

/* A batch prepared by ipcmbox_batch_prep(@b, ..., 0), or a packed receive. */
static inline void ipcmbox_prep_recv_batch(struct io_uring_sqe *sqe, int fd,
					   struct ipcmbox_batch *b)
{
	ipcmbox_prep_cmd(sqe, fd, IPCMBOX_IOC_RECV_BATCH, b);
}

/*
 * The completion @cqe of a send or receive on @io: the bytes moved, or -1
 * with errno; @env as for ipcmbox_io_result().
 */
static inline ssize_t ipcmbox_cqe_io(const struct io_uring_cqe *cqe,
				     const struct ipcmbox_io *io,
				     struct ipcmbox_envelope *env)
{
	return ipcmbox_io_result(cqe->res, io, env);
}

/*
 * The completion @cqe of a batch: the count done, with @msgs filled, or
 * -1 with errno; *@error as for ipcmbox_send_batch().
 */
static inline int ipcmbox_cqe_batch(const struct io_uring_cqe *cqe,
				    const struct ipcmbox_batch *b,
				    const struct ipcmbox_io *ios,
				    struct ipcmbox_mmsg *msgs, int send,
				    int *error)
{
	return ipcmbox_batch_result(cqe->res, b, ios, msgs, send, error);
}

#ifdef __cplusplus
}
#endif

#endif /* IPCMBOX_URING_H */
