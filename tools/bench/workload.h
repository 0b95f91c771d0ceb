/* SPDX-License-Identifier: GPL-2.0-only */
/* The scenarios' loops and the message format they check. */
#ifndef IPCMBOX_BENCH_WORKLOAD_H
#define IPCMBOX_BENCH_WORKLOAD_H

#include "run.h"

/* What one process of a run works with. */
struct bench_ctx {
	const struct bench_spec *s;
	struct bench_chan *out;		/* channel it sends on, or NULL */
	struct bench_chan *in;		/* channel it receives on, or NULL */
	unsigned int sid;		/* sender id (fan-in) */
	unsigned int nsenders;		/* senders on @in */
	int64_t t0;			/* open loop: time of message 0 */
	struct bench_proc *res;
	unsigned char *sbuf, *rbuf;	/* payloads, headroom in front */
	unsigned char *sbase, *rbase;	/* their allocations */
	size_t cap;			/* bytes rbuf holds */
	uint64_t body_sum;		/* checksum of the fixed bytes */
	uint64_t next[BENCH_MAX_PROCS];	/* next sequence per sender */
	unsigned int batch;		/* messages per batch call, or 1 */
	unsigned char **sbufs, **rbufs;	/* batch: a buffer per message */
};

/* Allocates the buffers and fills the fixed bytes.  0 or -ENOMEM. */
int bench_ctx_init(struct bench_ctx *c, const struct bench_spec *s);
void bench_ctx_free(struct bench_ctx *c);

/* The loops; each returns 0 or -errno (and fills c->res). */
int bench_pingpong_client(struct bench_ctx *c);
int bench_pingpong_server(struct bench_ctx *c);
int bench_stream_sender(struct bench_ctx *c);
int bench_stream_receiver(struct bench_ctx *c);

int64_t bench_now(void);

#endif /* IPCMBOX_BENCH_WORKLOAD_H */
