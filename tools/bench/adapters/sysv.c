// SPDX-License-Identifier: GPL-2.0-only
/*
 * System V message queue (msgget(2)): a private queue per channel, removed
 * at teardown.  The mtype goes into the harness's headroom.  A message may
 * not exceed kernel.msgmax (8192 by default, for root too); msg_qbytes is
 * raised for the queue depth, above kernel.msgmnb only with
 * CAP_SYS_RESOURCE.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/msg.h>

#include "../bench.h"

static size_t sysv_max_size(const struct bench_params *p, const char **why)
{
	size_t max = bench_read_ulong("/proc/sys/kernel/msgmax", 8192);

	if (p->size > max) {
		*why = "above kernel.msgmax";
		return max;
	}
	return p->size;
}

static int sysv_setup(struct bench_chan *ch)
{
	struct msqid_ds ds;
	int id = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	size_t want = (size_t)ch->p.depth * (ch->p.size ? ch->p.size : 1);

	if (id < 0)
		return -errno;
	if (want < ch->p.size + 16384)
		want = ch->p.size + 16384;
	if (!msgctl(id, IPC_STAT, &ds) && ds.msg_qbytes < want) {
		ds.msg_qbytes = want;
		/* Best effort: without CAP_SYS_RESOURCE, msgmnb holds. */
		(void)msgctl(id, IPC_SET, &ds);
	}
	ch->fd[0] = id;
	return 0;
}

static ssize_t sysv_send(struct bench_chan *ch, const void *buf, size_t len)
{
	char *m = (char *)buf - sizeof(long);
	long type = 1;

	memcpy(m, &type, sizeof(type));
	return BENCH_SYS(msgsnd(ch->fd[0], m, len, 0)) ? -errno : (ssize_t)len;
}

static ssize_t sysv_recv(struct bench_chan *ch, void *buf, size_t cap)
{
	ssize_t n = BENCH_SYS(msgrcv(ch->fd[0], (char *)buf - sizeof(long),
				      cap, 0, 0));

	return n < 0 ? -errno : n;
}

static void sysv_teardown(struct bench_chan *ch)
{
	if (ch->fd[0] >= 0)
		msgctl(ch->fd[0], IPC_RMID, NULL);
	ch->fd[0] = -1;
}

const struct bench_adapter bench_sysv_msg = {
	.name = "sysv-msg",
	.desc = "System V message queue (msgsnd/msgrcv)",
	.wait = "blocking msgrcv/msgsnd",
	.copies = 2,
	.copies_how = "sender to kernel, kernel to receiver",
	.caps = BENCH_CAP_FANIN | BENCH_CAP_KERNEL,
	.max_size = sysv_max_size,
	.setup = sysv_setup,
	.attach = bench_attach_none,
	.send = sysv_send,
	.recv = sysv_recv,
	.teardown = sysv_teardown,
};
