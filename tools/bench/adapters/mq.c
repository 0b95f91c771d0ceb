// SPDX-License-Identifier: GPL-2.0-only
/*
 * POSIX message queue (mq_overview(7)): one queue per channel, named
 * /ipcmbox-bench.PID.N, unlinked at teardown; maxmsg is the queue depth and
 * msgsize the run's size.  Above fs.mqueue.msgsize_max and msg_max only
 * with CAP_SYS_RESOURCE.
 */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../bench.h"

struct mq_priv {
	char name[64];
	mqd_t q;
};

static int mq_setup(struct bench_chan *ch)
{
	static unsigned int serial;
	struct mq_attr a = {
		.mq_maxmsg = ch->p.depth,
		.mq_msgsize = ch->p.size ? (long)ch->p.size : 1,
	};
	struct mq_priv *m = calloc(1, sizeof(*m));

	if (!m)
		return -ENOMEM;
	snprintf(m->name, sizeof(m->name), "/ipcmbox-bench.%d.%u",
		 (int)getpid(), serial++);
	m->q = mq_open(m->name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600,
		       &a);
	if (m->q == (mqd_t)-1) {
		int e = errno;

		free(m);
		return -e;
	}
	ch->priv = m;
	return 0;
}

static ssize_t mq_bsend(struct bench_chan *ch, const void *buf, size_t len)
{
	struct mq_priv *m = ch->priv;

	return BENCH_SYS(mq_send(m->q, buf, len, 0)) ? -errno : (ssize_t)len;
}

static ssize_t mq_brecv(struct bench_chan *ch, void *buf, size_t cap)
{
	struct mq_priv *m = ch->priv;
	ssize_t n = BENCH_SYS(mq_receive(m->q, buf, cap, NULL));

	return n < 0 ? -errno : n;
}

static void mq_teardown(struct bench_chan *ch)
{
	struct mq_priv *m = ch->priv;

	if (m) {
		mq_close(m->q);
		mq_unlink(m->name);
		free(m);
		ch->priv = NULL;
	}
}

const struct bench_adapter bench_posix_mq = {
	.name = "posix-mq",
	.desc = "POSIX message queue (mq_send/mq_receive)",
	.wait = "blocking mq_receive/mq_send",
	.copies = 2,
	.copies_how = "sender to kernel, kernel to receiver",
	.caps = BENCH_CAP_FANIN | BENCH_CAP_KERNEL,
	.max_size = bench_no_limit,
	.setup = mq_setup,
	.attach = bench_attach_none,
	.send = mq_bsend,
	.recv = mq_brecv,
	.teardown = mq_teardown,
};
