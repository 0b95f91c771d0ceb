// SPDX-License-Identifier: GPL-2.0-only
/*
 * One run: set the channels up in the parent, fork one process per role,
 * pin each, let each attach to its channel ends, start them together,
 * wait (with a time limit), and add up what they measured.  Processes,
 * not threads, for every mechanism: the lecture's setting, and what most
 * of these mechanisms are for.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run.h"
#include "workload.h"

const char *const bench_scenario_names[BENCH_NR_SCENARIOS] = {
	[BENCH_PINGPONG] = "pingpong",
	[BENCH_STREAM] = "stream",
	[BENCH_OPENLOOP] = "openloop",
	[BENCH_FANIN] = "fanin",
};

struct shared {
	struct bench_peers peers[2];	/* per channel */
	int64_t t0;
	struct bench_proc proc[BENCH_MAX_PROCS + 1];
};

static volatile sig_atomic_t timed_out;

static void on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
}

static int64_t ru_ns(const struct timeval *tv)
{
	return (int64_t)tv->tv_sec * 1000000000 + (int64_t)tv->tv_usec * 1000;
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	(void)sched_setaffinity(0, sizeof(set), &set);
}

/* The CPU of process @i of @n, by the spec's placement. */
static int cpu_of(const struct bench_spec *s, unsigned int i, unsigned int n)
{
	if (!s->cross)
		return s->cpu[0];
	/* The receiver of a fan-in on one CPU, its senders on the other. */
	if (s->sc == BENCH_FANIN)
		return i == n - 1 ? s->cpu[0] : s->cpu[1];
	return s->cpu[i & 1];
}

static int read_byte(int fd)
{
	char b;
	ssize_t n;

	do
		n = read(fd, &b, 1);
	while (n < 0 && errno == EINTR && !timed_out);
	return n == 1 ? 0 : -1;
}

static void write_bytes(int fd, unsigned int n)
{
	char b = 0;

	while (n) {
		if (write(fd, &b, 1) == 1)
			n--;
		else if (errno != EINTR)
			return;
	}
}

/* Roles of process @i: which channel it sends on and receives on. */
static void roles(const struct bench_spec *s, unsigned int i, unsigned int n,
		  struct bench_chan *ch, struct bench_ctx *c)
{
	c->out = c->in = NULL;
	c->sid = 0;
	c->nsenders = 1;
	if (s->sc == BENCH_PINGPONG) {
		c->out = &ch[i];	/* 0: client -> server, 1: back */
		c->in = &ch[!i];
		return;
	}
	if (i == n - 1) {
		c->in = &ch[0];
		c->nsenders = n - 1;
	} else {
		c->out = &ch[0];
		c->sid = i;
	}
}

static int attach(struct bench_chan *ch, enum bench_role role,
		  const struct bench_peers *peers)
{
	ch->role = role;
	return ch->ad->attach(ch, role, peers);
}

static void child(const struct bench_spec *s, unsigned int i, unsigned int n,
		  struct bench_chan *ch, unsigned int nch, struct shared *sh,
		  int go1, int ready, int go2)
{
	struct bench_proc *res = &sh->proc[i];
	struct bench_ctx c;
	struct rusage r0, r1;
	unsigned int k;
	int e = 0;

	pin(cpu_of(s, i, n));
	hist_init(&res->lat);
	memset(&c, 0, sizeof(c));
	c.res = res;
	roles(s, i, n, ch, &c);
	e = bench_ctx_init(&c, s);
	if (read_byte(go1))
		_exit(2);
	/* Attach in channel order in every process: FIFO opens pair up. */
	for (k = 0; !e && k < nch; k++) {
		if (&ch[k] == c.out)
			e = attach(&ch[k], BENCH_SENDER, &sh->peers[k]);
		else if (&ch[k] == c.in)
			e = attach(&ch[k], BENCH_RECEIVER, &sh->peers[k]);
	}
	if (e) {
		res->err = e;
		snprintf(res->what, sizeof(res->what), "attach");
	}
	write_bytes(ready, 1);
	if (e || read_byte(go2))
		_exit(2);
	c.t0 = sh->t0;
	bench_syscalls = 0;
	getrusage(RUSAGE_SELF, &r0);
	if (s->sc == BENCH_PINGPONG)
		e = i == 0 ? bench_pingpong_client(&c) :
			     bench_pingpong_server(&c);
	else if (c.out)
		e = bench_stream_sender(&c);
	else
		e = bench_stream_receiver(&c);
	getrusage(RUSAGE_SELF, &r1);
	res->cpu_ns = ru_ns(&r1.ru_utime) - ru_ns(&r0.ru_utime) +
		      ru_ns(&r1.ru_stime) - ru_ns(&r0.ru_stime);
	res->ctxsw = (r1.ru_nvcsw - r0.ru_nvcsw) + (r1.ru_nivcsw - r0.ru_nivcsw);
	res->syscalls = bench_syscalls;
	bench_ctx_free(&c);
	_exit(e ? 1 : 0);
}

__attribute__((format(printf, 3, 4)))
static void set_status(struct bench_result *r, int status, const char *fmt, ...)
{
	va_list ap;

	r->status = status;
	va_start(ap, fmt);
	vsnprintf(r->why, sizeof(r->why), fmt, ap);
	va_end(ap);
}

/*
 * Waits for every child; kills those left when @kill_now is set or once
 * the deadline alarm has fired.  Returns 1 when one did not exit 0.
 */
static int reap(pid_t *pid, unsigned int n, int kill_now)
{
	unsigned int left = n, i;
	int st, bad = 0, killed = 0;
	pid_t p;

	while (left) {
		if ((kill_now || timed_out) && !killed) {
			for (i = 0; i < n; i++)
				if (pid[i] > 0)
					kill(pid[i], SIGKILL);
			killed = 1;
		}
		p = waitpid(-1, &st, 0);
		if (p < 0 && errno == EINTR)
			continue;
		if (p < 0)
			break;
		for (i = 0; i < n; i++) {
			if (pid[i] != p)
				continue;
			pid[i] = 0;
			left--;
			if (!WIFEXITED(st) || WEXITSTATUS(st))
				bad = 1;
		}
	}
	return bad;
}

static void sum_up(const struct bench_spec *s, struct shared *sh,
		   unsigned int n, struct bench_result *r)
{
	const struct bench_proc *m;
	int64_t cpu = 0, sw = 0;
	uint64_t total, warm, sys = 0;
	unsigned int i;

	/* The process that measured: the client, or the receiver. */
	m = s->sc == BENCH_PINGPONG ? &sh->proc[0] : &sh->proc[n - 1];
	for (i = 0; i < n; i++) {
		hist_merge(&r->lat, &sh->proc[i].lat);
		r->lost += sh->proc[i].lost;
		r->dup += sh->proc[i].dup;
		r->corrupt += sh->proc[i].corrupt;
		cpu += sh->proc[i].cpu_ns;
		sw += sh->proc[i].ctxsw;
		sys += sh->proc[i].syscalls;
	}
	total = m->msgs;
	warm = s->warmup * (s->sc == BENCH_FANIN ? n - 1 : 1);
	r->msgs = total > warm ? total - warm : 0;
	r->secs = (double)(m->t_end - m->t_start) / 1e9;
	if (total) {
		r->cpu_us_per_msg = (double)cpu / 1e3 / (double)total;
		r->ctxsw_per_msg = (double)sw / (double)total;
		r->sys_per_msg = (double)sys / (double)total;
	}
}

int bench_run(const struct bench_spec *s, struct bench_result *r)
{
	unsigned int n = s->sc == BENCH_FANIN ? s->senders + 1 : 2;
	unsigned int nch = s->sc == BENCH_PINGPONG ? 2 : 1, i, k;
	struct bench_params p = {
		.size = s->size,
		.depth = s->sc == BENCH_PINGPONG ? 1 : s->depth,
		.senders = s->sc == BENCH_FANIN ? s->senders : 1,
	};
	struct sigaction sa = { .sa_handler = on_alarm }, old_sa;
	pid_t pid[BENCH_MAX_PROCS + 1] = { 0 };
	struct bench_chan ch[2];
	sigset_t rt, old_mask;
	int go1[2] = { -1, -1 }, ready[2] = { -1, -1 }, go2[2] = { -1, -1 };
	const char *why = NULL;
	struct shared *sh;
	int e = 0, bad;

	memset(r, 0, sizeof(*r));
	hist_init(&r->lat);
	if (n > BENCH_MAX_PROCS + 1) {
		set_status(r, -EINVAL, "too many senders");
		return r->status;
	}
	if (s->sc == BENCH_FANIN && !(s->ad->caps & BENCH_CAP_FANIN)) {
		set_status(r, 1, "one receiver, several senders: not supported");
		return 1;
	}
	if (s->inject == INJECT_CORRUPT && s->ad->batch > 1 &&
	    (s->sc == BENCH_STREAM || s->sc == BENCH_FANIN)) {
		set_status(r, 1, "corruption is injected one message at a time");
		return 1;
	}
	if (s->sc == BENCH_FANIN && s->size < 8) {
		set_status(r, 1, "fan-in needs 8 bytes to tell senders apart");
		return 1;
	}
	if (s->ad->max_size(&p, &why) < s->size) {
		set_status(r, 1, "%s", why ? why : "too large");
		return 1;
	}

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		set_status(r, -errno, "mmap: %s", strerror(errno));
		return r->status;
	}
	for (k = 0; k < nch; k++) {
		memset(&ch[k], 0, sizeof(ch[k]));
		ch[k].ad = s->ad;
		ch[k].p = p;
		ch[k].fd[0] = ch[k].fd[1] = -1;
		e = s->ad->setup(&ch[k]);
		if (e) {
			/* A limit of this system, such as a message size. */
			set_status(r, 1, "setup: %s", strerror(-e));
			while (k--)
				s->ad->teardown(&ch[k]);
			munmap(sh, sizeof(*sh));
			return r->status;
		}
	}
	if (pipe2(go1, O_CLOEXEC) || pipe2(ready, O_CLOEXEC) ||
	    pipe2(go2, O_CLOEXEC)) {
		e = -errno;
		for (k = 0; k < 2; k++) {
			if (go1[k] >= 0)
				close(go1[k]);
			if (ready[k] >= 0)
				close(ready[k]);
		}
		goto out_chan;
	}

	/* The real-time signals a channel may use stay blocked in children. */
	sigemptyset(&rt);
	for (i = 0; i < 8; i++)
		sigaddset(&rt, SIGRTMIN + (int)i);
	sigprocmask(SIG_BLOCK, &rt, &old_mask);
	fflush(NULL);
	for (i = 0; i < n; i++) {
		pid[i] = fork();
		if (pid[i] == 0) {
			close(go1[1]);
			close(ready[0]);
			close(go2[1]);
			child(s, i, n, ch, nch, sh, go1[0], ready[1], go2[0]);
		}
		if (pid[i] < 0) {
			e = -errno;
			break;
		}
	}
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	close(go1[0]);
	close(ready[1]);
	close(go2[0]);

	/* The time limit covers attaching too: a FIFO open waits for its peer. */
	timed_out = 0;
	sigaction(SIGALRM, &sa, &old_sa);
	alarm(s->timeout);
	if (!e) {
		/* Who is who, for adapters that address a process. */
		for (k = 0; k < nch; k++) {
			struct bench_peers *pp = &sh->peers[k];

			if (s->sc == BENCH_PINGPONG) {
				pp->receiver = pid[!k];
				pp->senders[0] = pid[k];
				pp->nsenders = 1;
				continue;
			}
			pp->receiver = pid[n - 1];
			pp->nsenders = n - 1;
			for (i = 0; i + 1 < n; i++)
				pp->senders[i] = pid[i];
		}
		write_bytes(go1[1], n);
		for (i = 0; i < n; i++)
			if (read_byte(ready[0]))
				break;
		for (k = 0; k < n; k++)
			if (sh->proc[k].err)
				e = sh->proc[k].err;
		if (i < n && !e)
			e = timed_out ? -ETIMEDOUT : -ECHILD;
	}
	if (!e) {
		sh->t0 = bench_now() + 2000000;	/* open loop starts in 2 ms */
		write_bytes(go2[1], n);
	}
	close(go1[1]);
	close(go2[1]);		/* a child still waiting gives up */
	bad = reap(pid, n, e != 0);
	alarm(0);
	sigaction(SIGALRM, &old_sa, NULL);
	close(ready[0]);

	if (e) {
		set_status(r, e, "%s", strerror(-e));
	} else if (timed_out) {
		set_status(r, -ETIMEDOUT, "no result within %u s", s->timeout);
	} else {
		for (k = 0; k < n; k++) {
			int pe = sh->proc[k].err;

			if (!pe)
				continue;
			/* The mechanism refuses the size: not applicable. */
			set_status(r, pe == -EMSGSIZE ? 1 : pe, "%s: %s",
				   sh->proc[k].what, strerror(-pe));
			break;
		}
		if (!r->status && bad)
			set_status(r, -ECHILD, "a process died");
		sum_up(s, sh, n, r);
		if (!r->status && (r->lost || r->dup || r->corrupt))
			set_status(r, -EBADMSG, "messages lost, duplicated or corrupted");
	}
out_chan:
	for (k = 0; k < nch; k++)
		s->ad->teardown(&ch[k]);
	munmap(sh, sizeof(*sh));
	if (e && !r->status)
		set_status(r, e, "%s", strerror(-e));
	return r->status;
}
