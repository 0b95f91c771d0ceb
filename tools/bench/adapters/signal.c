// SPDX-License-Identifier: GPL-2.0-only
/*
 * Real-time signals: sigqueue(3) carries up to 8 bytes in its sigval; the
 * receiver takes them with sigwaitinfo(2), and checks si_pid is a sender
 * of the run.  The harness blocks SIGRTMIN..SIGRTMIN+7 in every process
 * before it forks; each channel takes one of them.  There is no way to wait
 * for room in the queue (RLIMIT_SIGPENDING): a sender that gets EAGAIN
 * yields and retries.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "../bench.h"

#define SIG_PAYLOAD	sizeof(union sigval)

struct sig_chan {
	int signo;
	pid_t target;
	struct bench_peers peers;
};

static struct sig_chan sig_chans[8];
static unsigned int sig_next;

static size_t sig_max_size(const struct bench_params *p, const char **why)
{
	if (p->size > SIG_PAYLOAD) {
		*why = "a sigval holds 8 bytes";
		return SIG_PAYLOAD;
	}
	return p->size;
}

static int sig_setup(struct bench_chan *ch)
{
	struct sig_chan *s;

	if (sig_next >= 8)
		sig_next = 0;
	s = &sig_chans[sig_next];
	s->signo = SIGRTMIN + (int)sig_next++;
	ch->priv = s;
	return 0;
}

static int sig_attach(struct bench_chan *ch, enum bench_role role,
		      const struct bench_peers *peers)
{
	struct sig_chan *s = ch->priv;

	(void)role;
	s->target = peers->receiver;
	s->peers = *peers;
	return 0;
}

static ssize_t sig_send(struct bench_chan *ch, const void *buf, size_t len)
{
	struct sig_chan *s = ch->priv;
	union sigval v;

	memset(&v, 0, sizeof(v));
	memcpy(&v, buf, len);
	while (BENCH_SYS(sigqueue(s->target, s->signo, v))) {
		if (errno != EAGAIN)
			return -errno;
		sched_yield();
	}
	return (ssize_t)len;
}

static ssize_t sig_recv(struct bench_chan *ch, void *buf, size_t cap)
{
	struct sig_chan *s = ch->priv;
	siginfo_t si;
	sigset_t set;
	unsigned int i;

	sigemptyset(&set);
	sigaddset(&set, s->signo);
	if (BENCH_SYS(sigwaitinfo(&set, &si)) < 0)
		return -errno;
	for (i = 0; i < s->peers.nsenders; i++)
		if (si.si_pid == s->peers.senders[i])
			break;
	if (i == s->peers.nsenders || si.si_code != SI_QUEUE)
		return -EPROTO;	/* not from a sender of this run */
	if (cap > SIG_PAYLOAD)
		cap = SIG_PAYLOAD;
	memcpy(buf, &si.si_value, cap < ch->p.size ? cap : ch->p.size);
	return (ssize_t)ch->p.size;
}

static void sig_teardown(struct bench_chan *ch)
{
	ch->priv = NULL;
}

const struct bench_adapter bench_rt_signal = {
	.name = "rt-signal",
	.desc = "real-time signal, sigqueue payload (up to 8 bytes)",
	.wait = "sigwaitinfo; sender yields on EAGAIN",
	.copies = 2,
	.copies_how = "the value into the kernel's siginfo, siginfo to receiver",
	.caps = BENCH_CAP_FANIN | BENCH_CAP_KERNEL,
	.max_size = sig_max_size,
	.setup = sig_setup,
	.attach = sig_attach,
	.send = sig_send,
	.recv = sig_recv,
	.teardown = sig_teardown,
};
