// SPDX-License-Identifier: GPL-2.0-only
/*
 * The scenarios' loops.  Every message starts with a word holding the
 * sender's id (bits 48-63) and its sequence number (bits 0-47); the other
 * bytes are a fixed pattern.  The receiver touches every byte (a 64-bit
 * word sum) inside the timed loop, and compares the sum and the sequence
 * with what it expects: a lost, duplicated, reordered or corrupted message
 * is counted, and any count fails the run.  Messages shorter than 8 bytes
 * carry the low bytes of that word only; 0-byte messages are counted.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "workload.h"

#define SEQ_BITS	48
#define SEQ_MASK	((1ULL << SEQ_BITS) - 1)

int64_t bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Sum of the little-endian 64-bit words of @p, the last one zero-padded. */
static uint64_t touch(const unsigned char *p, size_t len)
{
	uint64_t sum = 0, w;
	size_t i;

	for (i = 0; i + 8 <= len; i += 8) {
		memcpy(&w, p + i, 8);
		sum += w;
	}
	if (i < len) {
		w = 0;
		memcpy(&w, p + i, len - i);
		sum += w;
	}
	return sum;
}

static size_t head_len(size_t size)
{
	return size < 8 ? size : 8;
}

/* A send and a receive buffer per message of a batch, like sbuf and rbuf. */
static int batch_bufs_init(struct bench_ctx *c)
{
	size_t one = BENCH_HEADROOM + c->cap;
	unsigned int k;

	c->sbufs = calloc(c->batch, sizeof(*c->sbufs));
	c->rbufs = calloc(c->batch, sizeof(*c->rbufs));
	if (!c->sbufs || !c->rbufs)
		return -ENOMEM;
	for (k = 0; k < c->batch; k++) {
		c->sbufs[k] = aligned_alloc(64, one);
		c->rbufs[k] = aligned_alloc(64, one);
		if (!c->sbufs[k] || !c->rbufs[k])
			return -ENOMEM;
		memcpy(c->sbufs[k], c->sbase, one);
		c->sbufs[k] += BENCH_HEADROOM;
		c->rbufs[k] += BENCH_HEADROOM;
	}
	return 0;
}

static void batch_bufs_free(struct bench_ctx *c)
{
	unsigned int k;

	for (k = 0; k < c->batch; k++) {
		if (c->sbufs && c->sbufs[k])
			free(c->sbufs[k] - BENCH_HEADROOM);
		if (c->rbufs && c->rbufs[k])
			free(c->rbufs[k] - BENCH_HEADROOM);
	}
	free(c->sbufs);
	free(c->rbufs);
	c->sbufs = c->rbufs = NULL;
}

int bench_ctx_init(struct bench_ctx *c, const struct bench_spec *s)
{
	size_t j;

	c->s = s;
	c->cap = ((s->size + 63) / 64) * 64;
	if (c->cap < 64)
		c->cap = 64;
	c->sbase = aligned_alloc(64, BENCH_HEADROOM + c->cap);
	c->rbase = aligned_alloc(64, BENCH_HEADROOM + c->cap);
	if (!c->sbase || !c->rbase) {
		bench_ctx_free(c);
		return -ENOMEM;
	}
	c->sbuf = c->sbase + BENCH_HEADROOM;
	c->rbuf = c->rbase + BENCH_HEADROOM;
	memset(c->sbuf, 0, c->cap);
	for (j = 8; j < s->size; j++)
		c->sbuf[j] = (unsigned char)(j * 31 + 7);
	c->body_sum = touch(c->sbuf, s->size);
	memset(c->rbuf, 0, c->cap);
	memset(c->next, 0, sizeof(c->next));
	c->batch = s->ad->batch > 1 ? s->ad->batch : 1;
	if (c->batch > 1)
		return batch_bufs_init(c);
	return 0;
}

void bench_ctx_free(struct bench_ctx *c)
{
	batch_bufs_free(c);
	free(c->sbase);
	free(c->rbase);
	c->sbase = c->rbase = c->sbuf = c->rbuf = NULL;
}

/* The sequence number that the i-th message sent carries. */
static uint64_t seq_of(const struct bench_ctx *c, uint64_t i)
{
	uint64_t k = (c->s->warmup + c->s->count) / 2;

	switch (c->s->inject) {
	case INJECT_SKIP:
		return i >= k ? i + 1 : i;
	case INJECT_DUP:
		return i > k ? i - 1 : i;
	default:
		return i;
	}
}

/* Writes message @i's header into @buf (batches: no injection). */
static void stamp_to(struct bench_ctx *c, uint64_t i, unsigned char *buf)
{
	uint64_t w = ((uint64_t)c->sid << SEQ_BITS) | (seq_of(c, i) & SEQ_MASK);

	memcpy(buf, &w, head_len(c->s->size));
}

static void stamp(struct bench_ctx *c, uint64_t i)
{
	uint64_t w = ((uint64_t)c->sid << SEQ_BITS) | (seq_of(c, i) & SEQ_MASK);

	memcpy(c->sbuf, &w, head_len(c->s->size));
	if (c->s->inject == INJECT_CORRUPT && c->s->size > 8) {
		/* Flip one body byte of one message, put it back after. */
		if (i == (c->s->warmup + c->s->count) / 2)
			c->sbuf[c->s->size - 1] ^= 0x40;
		else if (i == (c->s->warmup + c->s->count) / 2 + 1)
			c->sbuf[c->s->size - 1] ^= 0x40;
	}
}

/*
 * Checks one received message of @n bytes at @data (in rbuf, or lent in
 * place by the adapter).  Returns the sequence number it carries (for
 * sizes under 8 bytes: what is left of it).
 */
static uint64_t check(struct bench_ctx *c, const unsigned char *data,
		      ssize_t n)
{
	size_t size = c->s->size, hl = head_len(size);
	uint64_t w = 0, sum, sid, seq, want, mask;

	if ((size_t)n != size) {
		c->res->corrupt++;
		return 0;
	}
	sum = touch(data, size);
	memcpy(&w, data, hl);
	if (sum - w != c->body_sum)
		c->res->corrupt++;
	sid = size >= 8 ? w >> SEQ_BITS : 0;
	seq = w & SEQ_MASK;
	if (sid >= c->nsenders) {
		c->res->corrupt++;
		return seq;
	}
	mask = hl == 8 ? SEQ_MASK : (1ULL << (8 * hl)) - 1;
	want = c->next[sid] & mask;
	if (seq == want) {
		c->next[sid]++;
	} else if (seq > want) {
		c->res->lost += seq - want;
		c->next[sid] += seq - want + 1;
	} else {
		c->res->dup++;
	}
	return seq;
}

static int failed(struct bench_ctx *c, const char *what, int err)
{
	c->res->err = err;
	snprintf(c->res->what, sizeof(c->res->what), "%s", what);
	return err;
}

int bench_pingpong_client(struct bench_ctx *c)
{
	const struct bench_spec *s = c->s;
	uint64_t i, total = s->warmup + s->count;
	const unsigned char *data;
	int64_t t;
	ssize_t n;
	int e;

	c->nsenders = 1;
	for (i = 0; i < total; i++) {
		if (i == s->warmup)
			c->res->t_start = bench_now();
		t = bench_now();
		stamp(c, i);
		e = bench_send_msg(c->out, c->sbuf, s->size);
		if (e)
			return failed(c, "send", e);
		n = bench_recv_view(c->in, c->rbuf, c->cap, &data);
		if (n < 0)
			return failed(c, "receive", (int)n);
		if (i >= s->warmup)
			hist_add(&c->res->lat, (uint64_t)(bench_now() - t));
		check(c, data, n);
		e = bench_recv_done(c->in);
		if (e)
			return failed(c, "release", e);
		c->res->msgs++;
	}
	c->res->t_end = bench_now();
	if (c->next[0] != total)
		c->res->lost += total - c->next[0];
	return 0;
}

/* Echoes every message back unchanged, after checking it. */
int bench_pingpong_server(struct bench_ctx *c)
{
	const struct bench_spec *s = c->s;
	uint64_t i, total = s->warmup + s->count;
	const unsigned char *data;
	ssize_t n;
	int e;

	c->nsenders = 1;
	for (i = 0; i < total; i++) {
		n = bench_recv_view(c->in, c->rbuf, c->cap, &data);
		if (n < 0)
			return failed(c, "receive", (int)n);
		check(c, data, n);
		/*
		 * A lent message (never a stream's, which needs headroom in
		 * front) is echoed from where it lies.
		 */
		e = bench_send_msg(c->out, (void *)data, (size_t)n);
		if (!e)
			e = bench_recv_done(c->in);
		if (e)
			return failed(c, "send", e);
		c->res->msgs++;
	}
	if (c->next[0] != total)
		c->res->lost += total - c->next[0];
	return 0;
}

static uint64_t period_ns(const struct bench_spec *s)
{
	return (uint64_t)(1e9 / s->rate);
}

/* Streaming through a batching adapter: c->batch messages per call. */
static int stream_send_batches(struct bench_ctx *c)
{
	const struct bench_spec *s = c->s;
	uint64_t i = 0, total = s->warmup + s->count;
	unsigned int k, n;
	ssize_t r;

	c->res->t_start = bench_now();
	while (i < total) {
		n = total - i < c->batch ? (unsigned int)(total - i) : c->batch;
		for (k = 0; k < n; k++)
			stamp_to(c, i + k, c->sbufs[k]);
		for (k = 0; k < n; k += (unsigned int)r) {
			r = c->out->ad->send_batch(c->out, c->sbufs + k, s->size,
						   n - k);
			if (r == -EINTR) {
				r = 0;
				continue;
			}
			if (r <= 0)
				return failed(c, "send", r ? (int)r : -EPROTO);
		}
		i += n;
		c->res->msgs += n;
	}
	c->res->t_end = bench_now();
	return 0;
}

static int stream_recv_batches(struct bench_ctx *c)
{
	const struct bench_spec *s = c->s;
	uint64_t i = 0, per = s->warmup + s->count, total = per * c->nsenders;
	uint64_t warm = s->warmup * c->nsenders;
	unsigned int k, n;
	ssize_t r;

	while (i < total) {
		n = total - i < c->batch ? (unsigned int)(total - i) : c->batch;
		r = c->in->ad->recv_batch(c->in, c->rbufs, c->cap, n);
		if (r == -EINTR)
			continue;
		if (r <= 0)
			return failed(c, "receive", r ? (int)r : -EPROTO);
		for (k = 0; k < (unsigned int)r; k++, i++) {
			if (i == warm)
				c->res->t_start = bench_now();
			check(c, c->rbufs[k], (ssize_t)s->size);
			c->res->msgs++;
		}
	}
	c->res->t_end = bench_now();
	for (k = 0; k < c->nsenders; k++)
		if (c->next[k] < per)
			c->res->lost += per - c->next[k];
	return 0;
}

int bench_stream_sender(struct bench_ctx *c)
{
	const struct bench_spec *s = c->s;
	uint64_t i, total = s->warmup + s->count;
	struct timespec ts;
	int64_t due;
	int e;

	if (c->batch > 1 && s->sc != BENCH_OPENLOOP)
		return stream_send_batches(c);
	c->res->t_start = bench_now();
	for (i = 0; i < total; i++) {
		if (s->sc == BENCH_OPENLOOP) {
			due = c->t0 + (int64_t)(i * period_ns(s));
			ts.tv_sec = due / 1000000000;
			ts.tv_nsec = due % 1000000000;
			while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME,
					       &ts, NULL) == EINTR)
				;
		}
		stamp(c, i);
		e = bench_send_msg(c->out, c->sbuf, s->size);
		if (e)
			return failed(c, "send", e);
		c->res->msgs++;
	}
	c->res->t_end = bench_now();
	return 0;
}

int bench_stream_receiver(struct bench_ctx *c)
{
	const struct bench_spec *s = c->s;
	uint64_t i, per = s->warmup + s->count, total = per * c->nsenders;
	uint64_t warm = s->warmup * c->nsenders, seq;
	const unsigned char *data;
	unsigned int k;
	int64_t now;
	ssize_t n;
	int e;

	if (c->batch > 1 && s->sc != BENCH_OPENLOOP)
		return stream_recv_batches(c);
	for (i = 0; i < total; i++) {
		if (i == warm)
			c->res->t_start = bench_now();
		n = bench_recv_view(c->in, c->rbuf, c->cap, &data);
		if (n < 0)
			return failed(c, "receive", (int)n);
		seq = check(c, data, n);
		e = bench_recv_done(c->in);
		if (e)
			return failed(c, "release", e);
		if (s->sc == BENCH_OPENLOOP) {
			/* From the time the message was due, not sent. */
			if (s->size < 8)
				seq = i;
			now = bench_now();
			if (seq >= s->warmup)
				hist_add(&c->res->lat, (uint64_t)(now - c->t0 -
					 (int64_t)(seq * period_ns(s))));
		}
		c->res->msgs++;
	}
	c->res->t_end = bench_now();
	for (k = 0; k < c->nsenders; k++)
		if (c->next[k] < per)
			c->res->lost += per - c->next[k];
	return 0;
}
