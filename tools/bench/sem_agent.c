// SPDX-License-Identifier: GPL-2.0-only
/*
 * Semantics agents (sem_agent.h): the child's command loop, and the
 * parent's side, which tells a result from a blocked call.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sem_agent.h"

struct sem_req {
	uint32_t cmd, len;
	char msg[64];
};

/* Closes every descriptor but stdio and the @n in @keep. */
static void close_except(const int *keep, int n)
{
	unsigned int from = 3, next, i;

	for (;;) {
		next = ~0U;
		for (i = 0; i < (unsigned int)n; i++)
			if (keep[i] >= (int)from && (unsigned int)keep[i] < next)
				next = (unsigned int)keep[i];
		if (next > from)
			close_range(from, next - 1, 0);
		if (next == ~0U)
			return;
		from = next + 1;
	}
}

static void serve(struct sem_obj *o, enum sem_role role, int cmd_fd, int res_fd)
{
	/* o->fds is shared: the parent may reset it; these are ours. */
	int keep[4] = { cmd_fd, res_fd, o->fds[0], o->fds[1] };
	struct sem_end e = {
		.o = o, .role = role, .fd = -1, .lfd = -1, .id = -1,
	};
	struct sem_req q;
	struct sem_result r;
	char buf[64];
	uint64_t i;

	/*
	 * Only this process's own end may keep the object alive: the
	 * parent's ends and other agents' pipes go now, the inherited
	 * unnamed ends once the end is open.
	 */
	signal(SIGPIPE, SIG_IGN);
	close_except(keep, 4);
	while (read(cmd_fd, &q, sizeof(q)) == (ssize_t)sizeof(q)) {
		memset(&r, 0, sizeof(r));
		e.nb = q.cmd == SEM_CMD_SEND_NB || q.cmd == SEM_CMD_RECV_NB ||
		       q.cmd == SEM_CMD_FILL;
		switch (q.cmd) {
		case SEM_CMD_OPEN:
		case SEM_CMD_OPEN_NAME:
			r.ret = o->m->open(&e, q.cmd == SEM_CMD_OPEN_NAME);
			if (keep[2] >= 0)
				close(keep[2]);
			if (keep[3] >= 0)
				close(keep[3]);
			keep[2] = keep[3] = -1;
			break;
		case SEM_CMD_ACCEPT:
			r.ret = o->m->accept ? o->m->accept(&e) : 0;
			break;
		case SEM_CMD_SEND:
		case SEM_CMD_SEND_NB:
			r.ret = o->m->send(&e, q.msg, q.len);
			break;
		case SEM_CMD_RECV:
		case SEM_CMD_RECV_NB:
			r.ret = o->m->recv(&e, r.data, sizeof(r.data));
			r.peer = e.peer;
			if (r.ret > 0)
				r.len = (uint32_t)r.ret;
			break;
		case SEM_CMD_FILL:
			for (i = 0; i < SEM_FILL_LIMIT; i++) {
				ssize_t n;

				memset(buf, 'a' + (int)(i % 26), sizeof(buf));
				n = o->m->send(&e, buf, q.len);
				if (n < 0) {
					r.err = -n;
					break;
				}
			}
			r.ret = (int64_t)i;
			break;
		default:
			o->m->close(&e);
			_exit(0);
		}
		if (write(res_fd, &r, sizeof(r)) != (ssize_t)sizeof(r))
			_exit(1);
	}
	o->m->close(&e);
	_exit(0);
}

int sem_agent_start(struct sem_agent *a, struct sem_obj *o, enum sem_role role)
{
	int c[2], r[2];

	if (pipe2(c, O_CLOEXEC))
		return -errno;
	if (pipe2(r, O_CLOEXEC)) {
		close(c[0]);
		close(c[1]);
		return -errno;
	}
	fflush(NULL);
	a->pid = fork();
	if (a->pid < 0) {
		int err = -errno;

		close(c[0]), close(c[1]), close(r[0]), close(r[1]);
		return err;
	}
	if (a->pid == 0) {
		close(c[1]);
		close(r[0]);
		serve(o, role, c[0], r[1]);
	}
	close(c[0]);
	close(r[1]);
	a->cmd_fd = c[1];
	a->res_fd = r[0];
	a->busy = 0;
	return 0;
}

/* 'S': sleeping in the kernel, interruptibly. */
static int sleeping(pid_t pid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	p = strrchr(buf, ')');
	return p && p[1] == ' ' && p[2] == 'S';
}

/*
 * The answer, or SEM_BLOCKED once the agent has slept 50 samples (2 ms
 * apart) in a row without one.  Each sample reads the state before it
 * looks for the answer, so a call that returned is never taken for one
 * that sleeps.
 */
static int64_t answer(struct sem_agent *a, int may_block)
{
	struct pollfd p = { .fd = a->res_fd, .events = POLLIN };
	int asleep = 0, i;

	for (i = 0; i < 5000; i++) {
		int s = may_block && sleeping(a->pid);

		if (poll(&p, 1, 2) == 1) {
			if (read(a->res_fd, &a->last, sizeof(a->last)) !=
			    (ssize_t)sizeof(a->last))
				return SEM_NO_ANSWER;
			a->busy = 0;
			return a->last.ret;
		}
		asleep = s ? asleep + 1 : 0;
		if (asleep >= 50)
			return SEM_BLOCKED;
	}
	return SEM_NO_ANSWER;
}

int64_t sem_agent_do(struct sem_agent *a, enum sem_cmd cmd, const void *msg,
		     uint32_t len)
{
	struct sem_req q = { .cmd = cmd, .len = len };

	if (msg)
		memcpy(q.msg, msg, len < sizeof(q.msg) ? len : sizeof(q.msg));
	memset(&a->last, 0, sizeof(a->last));
	if (write(a->cmd_fd, &q, sizeof(q)) != (ssize_t)sizeof(q))
		return SEM_NO_ANSWER;
	a->busy = 1;
	return answer(a, 1);
}

int64_t sem_agent_wait(struct sem_agent *a)
{
	return answer(a, 0);
}

void sem_agent_stop(struct sem_agent *a)
{
	struct sem_req q = { .cmd = SEM_CMD_EXIT };
	struct pollfd p = { .fd = a->res_fd, .events = POLLIN };

	if (a->pid <= 0)
		return;
	/* An agent still in a call is killed; an idle one closes and exits. */
	if (a->busy || write(a->cmd_fd, &q, sizeof(q)) != (ssize_t)sizeof(q) ||
	    poll(&p, 1, 10000) != 1)
		kill(a->pid, SIGKILL);
	waitpid(a->pid, NULL, 0);
	close(a->cmd_fd);
	close(a->res_fd);
	a->pid = 0;
}
