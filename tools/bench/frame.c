// SPDX-License-Identifier: GPL-2.0-only
/*
 * Whole messages over every adapter.  A message mechanism sends and
 * receives once per message.  A stream mechanism carries frames: a 4-byte
 * length, then the payload, written with one call so that a pipe keeps
 * frames of up to PIPE_BUF bytes whole when several processes write.  A
 * reader asks for one frame of the run's size at a time, so it never reads
 * into the next frame and needs no copy; a frame of another size is an
 * error (every message of a run has the same size).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "bench.h"


static int send_all(struct bench_chan *ch, const char *p, size_t len)
{
	while (len) {
		ssize_t n = ch->ad->send(ch, p, len);

		if (n == -EINTR)
			continue;
		if (n < 0)
			return (int)n;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int bench_send_msg(struct bench_chan *ch, void *buf, size_t len)
{
	ssize_t n;

	if (ch->ad->caps & BENCH_CAP_STREAM) {
		uint32_t hdr = (uint32_t)len;
		char *frame = (char *)buf - BENCH_FRAME_HDR;

		memcpy(frame, &hdr, BENCH_FRAME_HDR);
		return send_all(ch, frame, len + BENCH_FRAME_HDR);
	}
	do
		n = ch->ad->send(ch, buf, len);
	while (n == -EINTR);
	if (n < 0)
		return (int)n;
	return (size_t)n == len ? 0 : -EPROTO;
}

ssize_t bench_recv_msg(struct bench_chan *ch, void *buf, size_t cap)
{
	char *frame = (char *)buf - BENCH_FRAME_HDR;
	size_t want, got = 0;
	uint32_t hdr;
	ssize_t n;

	if (!(ch->ad->caps & BENCH_CAP_STREAM)) {
		do
			n = ch->ad->recv(ch, buf, cap);
		while (n == -EINTR);
		return n;
	}
	if (ch->p.size > cap)
		return -EMSGSIZE;
	want = ch->p.size + BENCH_FRAME_HDR;
	while (got < want) {
		n = ch->ad->recv(ch, frame + got, want - got);
		if (n == -EINTR)
			continue;
		if (n < 0)
			return n;
		if (n == 0)
			return -EPIPE;	/* end of stream inside a frame */
		got += (size_t)n;
		if (got >= BENCH_FRAME_HDR) {
			memcpy(&hdr, frame, BENCH_FRAME_HDR);
			if (hdr != ch->p.size)
				return -EPROTO;
		}
	}
	return (ssize_t)ch->p.size;
}

ssize_t bench_recv_view(struct bench_chan *ch, void *buf, size_t cap,
			const unsigned char **data)
{
	const void *p;
	ssize_t n;

	if (!ch->ad->recv_view) {
		*data = buf;
		return bench_recv_msg(ch, buf, cap);
	}
	do
		n = ch->ad->recv_view(ch, &p);
	while (n == -EINTR);
	*data = p;
	return n;
}

int bench_recv_done(struct bench_chan *ch)
{
	return ch->ad->recv_done ? ch->ad->recv_done(ch) : 0;
}
