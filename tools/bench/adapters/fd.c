// SPDX-License-Identifier: GPL-2.0-only
/*
 * Helpers for adapters whose channel is two file descriptors: ch->fd[0]
 * is the receiving end, ch->fd[1] the sending end (-1 when unused).
 */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "../bench.h"

ssize_t bench_fd_send(struct bench_chan *ch, const void *buf, size_t len)
{
	ssize_t n = BENCH_SYS(write(ch->fd[1], buf, len));

	return n < 0 ? -errno : n;
}

ssize_t bench_fd_recv(struct bench_chan *ch, void *buf, size_t cap)
{
	ssize_t n = BENCH_SYS(read(ch->fd[0], buf, cap));

	return n < 0 ? -errno : n;
}

/* Keeps the end of @role and closes the other. */
int bench_fd_attach(struct bench_chan *ch, enum bench_role role,
		    const struct bench_peers *peers)
{
	int drop = role == BENCH_SENDER ? 0 : 1;

	(void)peers;
	if (ch->fd[drop] >= 0 && ch->fd[drop] != ch->fd[!drop])
		close(ch->fd[drop]);
	ch->fd[drop] = -1;
	return 0;
}

void bench_fd_teardown(struct bench_chan *ch)
{
	if (ch->fd[0] >= 0)
		close(ch->fd[0]);
	if (ch->fd[1] >= 0 && ch->fd[1] != ch->fd[0])
		close(ch->fd[1]);
	ch->fd[0] = ch->fd[1] = -1;
}

int bench_attach_none(struct bench_chan *ch, enum bench_role role,
		      const struct bench_peers *peers)
{
	(void)ch;
	(void)role;
	(void)peers;
	return 0;
}

size_t bench_no_limit(const struct bench_params *p, const char **why)
{
	(void)why;
	return p->size;
}

unsigned long bench_read_ulong(const char *path, unsigned long dflt)
{
	FILE *f = fopen(path, "r");
	unsigned long v;

	if (!f)
		return dflt;
	if (fscanf(f, "%lu", &v) != 1)
		v = dflt;
	fclose(f);
	return v;
}
