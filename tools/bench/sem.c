// SPDX-License-Identifier: GPL-2.0-only
/*
 * ipcmbox-bench --semantics: the probes.  Each probe makes a fresh object,
 * drives agents (sem_agent.c) and the parent's own end through the
 * mechanism's native calls, and writes what it saw into one cell.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sem_agent.h"
#include "sem_report.h"

static void cell(struct sem_row *r, enum sem_col c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->cell[c], sizeof(r->cell[c]), fmt, ap);
	va_end(ap);
}

/* "EAGAIN", "blocks", ... for a call's result. */
static const char *what(int64_t ret)
{
	static char buf[32];

	if (ret == SEM_BLOCKED)
		return "blocks";
	if (ret == SEM_NO_ANSWER)
		return "no answer in 10 s";
	if (ret >= 0) {
		snprintf(buf, sizeof(buf), "returns %lld", (long long)ret);
		return buf;
	}
	return sem_errno_name((int)-ret);
}

static struct sem_obj *obj_new(const struct sem_mech *m, struct sem_row *r,
			       enum sem_col c)
{
	struct sem_obj *o = mmap(NULL, sizeof(*o), PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int err;

	if (o == MAP_FAILED) {
		cell(r, c, "mmap: %s", strerror(errno));
		return NULL;
	}
	memset(o, 0, sizeof(*o));
	o->m = m;
	o->fds[0] = o->fds[1] = -1;
	o->id = -1;
	err = m->create(o);
	if (err) {
		cell(r, c, "create: %s", sem_errno_name(-err));
		munmap(o, sizeof(*o));
		return NULL;
	}
	return o;
}

/* The parent's copies of unnamed ends and listening sockets. */
static void drop_inherited(struct sem_obj *o)
{
	int i;

	for (i = 0; i < 2; i++) {
		if (o->fds[i] >= 0)
			close(o->fds[i]);
		o->fds[i] = -1;
	}
}

static void obj_free(struct sem_obj *o)
{
	drop_inherited(o);
	if (o->m->destroy)
		o->m->destroy(o);
	munmap(o, sizeof(*o));
}

static void end_init(struct sem_end *e, struct sem_obj *o, enum sem_role role)
{
	memset(e, 0, sizeof(*e));
	e->o = o;
	e->role = role;
	e->fd = e->lfd = -1;
	e->id = -1;
}

/*
 * Non-blocking receive on the parent's end, retried every millisecond for
 * up to 10 s while nothing is there (or, while @pid runs, end of file: a
 * FIFO without a writer yet).
 */
static ssize_t recv_soon(struct sem_end *e, void *buf, size_t cap, pid_t pid)
{
	struct timespec ms = { 0, 1000000 };
	ssize_t n = -EAGAIN;
	int i;

	e->nb = true;
	for (i = 0; i < 10000; i++) {
		siginfo_t si = { 0 };
		int running = pid > 0 &&
			!waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) &&
			!si.si_pid;

		n = e->o->m->recv(e, buf, cap);
		if (n != -EAGAIN && n != -ENOMSG && (n || !running))
			break;
		if (pid > 0 && !running)
			break;
		nanosleep(&ms, NULL);
	}
	return n;
}

/*
 * The parent's receiving end (non-blocking) and a sending agent, both
 * open: the setup of the probes that receive in the parent.
 */
static int rx_here_tx_agent(struct sem_obj *o, struct sem_end *rx,
			    struct sem_agent *tx, struct sem_row *row,
			    enum sem_col c)
{
	int64_t n;

	end_init(rx, o, SEM_RX);
	rx->nb = true;
	if ((n = o->m->open(rx, false)) || (n = sem_agent_start(tx, o, SEM_TX)) ||
	    (n = sem_agent_do(tx, SEM_CMD_OPEN, NULL, 0))) {
		cell(row, c, "open: %s", what(n));
		return -1;
	}
	return 0;
}

/* Two sends of 3 and 5 bytes; how does one reader see them? */
static void probe_boundaries(const struct sem_mech *m, struct sem_row *row)
{
	struct sem_obj *o = obj_new(m, row, SEM_COL_BOUNDARIES);
	struct sem_agent tx = { 0 };
	struct sem_end rx;
	char buf[64], seen[96] = "";
	size_t used = 0;
	ssize_t n;
	int k;

	if (!o)
		return;
	if (rx_here_tx_agent(o, &rx, &tx, row, SEM_COL_BOUNDARIES))
		goto out;
	for (k = 0; k < 2; k++) {
		int64_t s = sem_agent_do(&tx, SEM_CMD_SEND, k ? "defgh" : "abc",
					 k ? 5 : 3);

		if (s == SEM_BLOCKED) {	/* rendezvous: take it now */
			n = recv_soon(&rx, buf, sizeof(buf), 0);
			if (n > 0)
				used += snprintf(seen + used, sizeof(seen) - used,
						 "%s%zd B", used ? ", " : "", n);
			s = sem_agent_wait(&tx);
		}
		if (s < 0) {
			cell(row, SEM_COL_BOUNDARIES, "send: %s", what(s));
			goto out;
		}
	}
	while (used < sizeof(seen) - 16 && (n = m->recv(&rx, buf, sizeof(buf))) > 0)
		used += snprintf(seen + used, sizeof(seen) - used, "%s%zd B",
				 used ? ", " : "", n);
	if (!strcmp(seen, "3 B, 5 B"))
		cell(row, SEM_COL_BOUNDARIES, "kept: reads of 3 B, 5 B");
	else if (!strcmp(seen, "8 B"))
		cell(row, SEM_COL_BOUNDARIES, "merged: one read of 8 B");
	else if (!strcmp(seen, "5 B"))
		cell(row, SEM_COL_BOUNDARIES, "overwritten: one read, the 5 B");
	else
		cell(row, SEM_COL_BOUNDARIES, "reads: %s", used ? seen : "none");
out:
	sem_agent_stop(&tx);
	m->close(&rx);
	obj_free(o);
}

/*
 * Fill without blocking until a send fails; then one blocking send; then
 * drain and count what comes back.
 */
static void probe_capacity(const struct sem_mech *m, struct sem_row *row)
{
	uint32_t size = m->max_msg && m->max_msg < 64 ? (uint32_t)m->max_msg : 64;
	struct sem_obj *o = obj_new(m, row, SEM_COL_CAPACITY);
	struct sem_agent tx = { 0 };
	struct sem_end rx;
	int64_t filled, err, more;
	char buf[64];
	uint64_t got = 0, bytes = 0;
	ssize_t n;

	if (!o)
		return;
	if (rx_here_tx_agent(o, &rx, &tx, row, SEM_COL_CAPACITY))
		goto out;
	filled = sem_agent_do(&tx, SEM_CMD_FILL, NULL, size);
	err = tx.last.err;
	if (filled < 0) {
		cell(row, SEM_COL_CAPACITY, "fill: %s", what(filled));
		goto out;
	}
	more = err ? sem_agent_do(&tx, SEM_CMD_SEND, "x", 1) : 0;
	sem_agent_stop(&tx);
	while ((n = m->recv(&rx, buf, sizeof(buf))) > 0 && got < 2 * SEM_FILL_LIMIT)
		got++, bytes += (uint64_t)n;
	if (!err) {
		cell(row, SEM_COL_CAPACITY, "no limit met: %lld x %u B sent",
		     (long long)filled, size);
		cell(row, SEM_COL_FULL_NB, "never full (%d sends)", SEM_FILL_LIMIT);
		cell(row, SEM_COL_FULL_BLOCK, "never full");
	} else {
		cell(row, SEM_COL_CAPACITY, "%lld x %u B", (long long)filled, size);
		cell(row, SEM_COL_FULL_NB, "%s", sem_errno_name((int)err));
		cell(row, SEM_COL_FULL_BLOCK, "%s", more >= 0 ? "accepted" : what(more));
	}
	/* What came back, when it is not what went in. */
	if (bytes != (uint64_t)filled * size && more != SEM_BLOCKED)
		snprintf(row->cell[SEM_COL_CAPACITY] + strlen(row->cell[SEM_COL_CAPACITY]),
			 SEM_CELL - strlen(row->cell[SEM_COL_CAPACITY]),
			 "; %llu B came back", (unsigned long long)bytes);
out:
	sem_agent_stop(&tx);
	m->close(&rx);
	obj_free(o);
}

/* A receiver and a sender, both open (and connected); the parent holds none. */
static int pair_up(struct sem_obj *o, struct sem_agent *rx, struct sem_agent *tx,
		   struct sem_row *row, enum sem_col c)
{
	int64_t n;

	if ((n = sem_agent_start(rx, o, SEM_RX)) ||
	    (n = sem_agent_do(rx, SEM_CMD_OPEN, NULL, 0)) ||
	    (n = sem_agent_start(tx, o, SEM_TX)) ||
	    (n = sem_agent_do(tx, SEM_CMD_OPEN, NULL, 0)) ||
	    (n = sem_agent_do(rx, SEM_CMD_ACCEPT, NULL, 0))) {
		cell(row, c, "open: %s", what(n));
		return -1;
	}
	drop_inherited(o);
	return 0;
}

static void probe_peer_gone(const struct sem_mech *m, struct sem_row *row,
			    enum sem_role gone)
{
	enum sem_col c = gone == SEM_TX ? SEM_COL_WRITER_GONE : SEM_COL_READER_GONE;
	struct sem_obj *o = obj_new(m, row, c);
	struct sem_agent rx = { 0 }, tx = { 0 };
	int64_t a, b;

	if (!o)
		return;
	if (pair_up(o, &rx, &tx, row, c))
		goto out;
	if (gone == SEM_TX) {
		sem_agent_stop(&tx);
		a = sem_agent_do(&rx, SEM_CMD_RECV, NULL, 0);
		cell(row, c, "%s", a == 0 ? "end of file (0)" : what(a));
	} else {
		sem_agent_stop(&rx);
		a = sem_agent_do(&tx, SEM_CMD_SEND, "lost?", 5);
		/* TCP: the first send is accepted, the reset comes later. */
		b = a < 0 ? 0 : sem_agent_do(&tx, SEM_CMD_SEND, "lost?", 5);
		if (a < 0)
			cell(row, c, "%s", what(a));
		else if (b < 0)
			cell(row, c, "accepted, then %s", what(b));
		else
			cell(row, c, "accepted");
	}
out:
	sem_agent_stop(&rx);
	sem_agent_stop(&tx);
	obj_free(o);
}

/* A message sent; every process exits; is it there for a new one? */
static void probe_persistence(const struct sem_mech *m, struct sem_row *row)
{
	struct sem_obj *o = obj_new(m, row, SEM_COL_PERSIST);
	struct sem_agent rx = { 0 }, tx = { 0 }, late = { 0 };
	int64_t sent, r;

	if (!o)
		return;
	if (pair_up(o, &rx, &tx, row, SEM_COL_PERSIST))
		goto out;
	sent = sem_agent_do(&tx, SEM_CMD_SEND_NB, "kept?", 5);
	sem_agent_stop(&tx);
	sem_agent_stop(&rx);
	if (!(m->flags & SEM_NAMED)) {
		cell(row, SEM_COL_PERSIST, "gone with its last descriptor (no name)");
		goto out;
	}
	if ((r = sem_agent_start(&late, o, SEM_RX)) ||
	    (r = sem_agent_do(&late, SEM_CMD_OPEN_NAME, NULL, 0))) {
		cell(row, SEM_COL_PERSIST, "gone: a new process's open: %s", what(r));
		goto out;
	}
	r = sem_agent_do(&late, SEM_CMD_RECV_NB, NULL, 0);
	if (sent < 0)
		cell(row, SEM_COL_PERSIST, "name kept; the send had failed (%s)",
		     what(sent));
	else if (r == 5 && !memcmp(late.last.data, "kept?", 5))
		cell(row, SEM_COL_PERSIST, "message kept until removed");
	else
		cell(row, SEM_COL_PERSIST, "name kept, message lost (%s)",
		     r == 0 ? "end of file" : what(r));
out:
	sem_agent_stop(&late);
	sem_agent_stop(&rx);
	sem_agent_stop(&tx);
	obj_free(o);
}

/*
 * A process that inherited nothing (exec'd, every other descriptor closed)
 * opens the object by name and sends; the parent receives.
 */
static void probe_unrelated(const struct sem_mech *m, struct sem_row *row)
{
	struct sem_obj *o;
	struct sem_end rx;
	char buf[64], res[64] = "";
	int p[2], st;
	ssize_t n;
	pid_t pid;

	if (!(m->flags & SEM_NAMED)) {
		cell(row, SEM_COL_UNRELATED, "no: no name, inherited only");
		return;
	}
	o = obj_new(m, row, SEM_COL_UNRELATED);
	if (!o)
		return;
	end_init(&rx, o, SEM_RX);
	rx.nb = true;
	if ((n = m->open(&rx, false)) || pipe2(p, O_CLOEXEC)) {
		cell(row, SEM_COL_UNRELATED, "open: %s", what(n ? n : -errno));
		goto out;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		char *argv[] = { "ipcmbox-bench", "--semantics-peer",
				 (char *)m->name, o->name, NULL };

		dup2(p[1], 1);
		close_range(3, ~0U, 0);
		execv("/proc/self/exe", argv);
		_exit(127);
	}
	close(p[1]);
	n = recv_soon(&rx, buf, sizeof(buf), pid);
	if (pid > 0) {
		ssize_t k = read(p[0], res, sizeof(res) - 1);

		res[k > 0 ? k : 0] = 0;
		res[strcspn(res, "\n")] = 0;
		waitpid(pid, &st, 0);
	}
	close(p[0]);
	if (n == 4 && !memcmp(buf, "peer", 4))
		cell(row, SEM_COL_UNRELATED, "yes, by %s", m->naming);
	else
		cell(row, SEM_COL_UNRELATED, "no: %s (peer: %s)", what(n),
		     res[0] ? res : "no report");
out:
	m->close(&rx);
	obj_free(o);
}

/* The exec'd process of probe_unrelated. */
int sem_peer_main(int argc, char **argv)
{
	const struct sem_mech *m = NULL;
	struct sem_obj o = { .fds = { -1, -1 }, .id = -1 };
	struct sem_end e;
	int i, err;

	for (i = 0; argc == 4 && sem_mechs[i]; i++)
		if (!strcmp(sem_mechs[i]->name, argv[2]))
			m = sem_mechs[i];
	if (!m)
		return 2;
	o.m = m;
	snprintf(o.name, sizeof(o.name), "%s", argv[3]);
	end_init(&e, &o, SEM_TX);
	err = m->open(&e, true);
	if (!err) {
		ssize_t r = m->send(&e, "peer", 4);

		err = r < 0 ? (int)r : 0;
	}
	printf("%s\n", err ? sem_errno_name(-err) : "sent");
	m->close(&e);
	return err ? 1 : 0;
}

/* Does poll(2) on the receiving end say when a message waits? */
static void probe_poll(const struct sem_mech *m, struct sem_row *row)
{
	struct sem_obj *o = obj_new(m, row, SEM_COL_POLL);
	struct sem_agent tx = { 0 };
	struct pollfd p = { .events = POLLIN };
	struct sem_end rx;
	int64_t s;
	int n;

	if (!o)
		return;
	if (rx_here_tx_agent(o, &rx, &tx, row, SEM_COL_POLL))
		goto out;
	p.fd = m->pollfd(&rx);
	if (p.fd < 0) {
		cell(row, SEM_COL_POLL, "no descriptor to poll");
		goto out;
	}
	if (poll(&p, 1, 0) == 1 && (p.revents & POLLIN)) {
		cell(row, SEM_COL_POLL, "always readable, message or not");
		goto out;
	}
	s = sem_agent_do(&tx, SEM_CMD_SEND_NB, "poll", 4);
	if (s == -EAGAIN)	/* rendezvous: a sender waits instead */
		s = sem_agent_do(&tx, SEM_CMD_SEND, "poll", 4);
	if (s < 0 && s != SEM_BLOCKED) {
		cell(row, SEM_COL_POLL, "send: %s", what(s));
		goto out;
	}
	p.fd = m->pollfd(&rx);
	n = poll(&p, 1, 10000);
	if (n == 1 && (p.revents & POLLIN))
		cell(row, SEM_COL_POLL, "yes: POLLIN once %s",
		     s == SEM_BLOCKED ? "a sender waits" : "a message waits");
	else
		cell(row, SEM_COL_POLL, "no POLLIN with a message waiting");
out:
	sem_agent_stop(&tx);
	m->close(&rx);
	obj_free(o);
}

/*
 * Sender identity: what the receiver is told about the sending process.
 * Direction: can the receiving end answer on the same object?
 */
static void probe_identity(const struct sem_mech *m, struct sem_row *row)
{
	struct sem_obj *o = obj_new(m, row, SEM_COL_SENDER);
	struct sem_agent tx = { 0 };
	struct sem_end rx;
	char buf[64];
	int64_t s, back;
	ssize_t n;

	if (!o)
		return;
	if (rx_here_tx_agent(o, &rx, &tx, row, SEM_COL_SENDER))
		goto out;
	s = sem_agent_do(&tx, SEM_CMD_SEND, "who", 3);
	n = recv_soon(&rx, buf, sizeof(buf), 0);
	if (s == SEM_BLOCKED)
		s = sem_agent_wait(&tx);
	if (n != 3 || s < 0) {
		cell(row, SEM_COL_SENDER, "send: %s, receive: %s", what(s), what(n));
		goto out;
	}
	if (rx.peer == tx.pid)
		cell(row, SEM_COL_SENDER, "yes: its pid, per message");
	else if (rx.peer)
		cell(row, SEM_COL_SENDER, "wrong: pid %d, sender %d", (int)rx.peer,
		     (int)tx.pid);
	else
		cell(row, SEM_COL_SENDER, "no");

	/* The sender waits to receive; the receiver answers on its end. */
	s = sem_agent_do(&tx, SEM_CMD_RECV, NULL, 0);
	if (s != SEM_BLOCKED) {
		cell(row, SEM_COL_DIRECTION, "one-way: the sending end receives: %s",
		     what(s));
		goto out;
	}
	rx.nb = true;
	back = m->send(&rx, "back", 4);
	if (back < 0) {
		cell(row, SEM_COL_DIRECTION, "one-way: the receiving end sends: %s",
		     what(back));
		goto out;
	}
	s = sem_agent_wait(&tx);
	if (s == 4 && !memcmp(tx.last.data, "back", 4))
		cell(row, SEM_COL_DIRECTION, "two-way");
	else
		cell(row, SEM_COL_DIRECTION, "reply sent, sender got: %s", what(s));
out:
	sem_agent_stop(&tx);
	m->close(&rx);
	obj_free(o);
}

static void probe(const struct sem_mech *m, struct sem_row *row)
{
	memset(row, 0, sizeof(*row));
	row->m = m;
	probe_boundaries(m, row);
	probe_capacity(m, row);
	probe_peer_gone(m, row, SEM_TX);
	probe_peer_gone(m, row, SEM_RX);
	probe_persistence(m, row);
	probe_unrelated(m, row);
	probe_poll(m, row);
	probe_identity(m, row);
}

/* Whether the comma-separated @list names @name (NULL: all). */
static int listed(const char *list, const char *name)
{
	size_t len = strlen(name);
	const char *h;

	if (!list)
		return 1;
	for (h = list; (h = strstr(h, name)); h += len)
		if ((h == list || h[-1] == ',') && (h[len] == 0 || h[len] == ','))
			return 1;
	return 0;
}

int sem_main(const char *mechs, const char *out)
{
	struct sem_row rows[32];
	unsigned int n = 0, i;
	char *list = mechs ? strdup(mechs) : NULL, *save = NULL, *t;

	if (mechs && !list)
		return 1;
	for (t = list ? strtok_r(list, ",", &save) : NULL; t;
	     t = strtok_r(NULL, ",", &save)) {
		for (i = 0; sem_mechs[i] && strcmp(sem_mechs[i]->name, t); i++)
			;
		if (!sem_mechs[i]) {
			fprintf(stderr, "ipcmbox-bench: no semantics for '%s'\n", t);
			free(list);
			return 2;
		}
	}
	free(list);
	signal(SIGPIPE, SIG_IGN);
	for (i = 0; sem_mechs[i] && n < 32; i++) {
		if (!listed(mechs, sem_mechs[i]->name))
			continue;
		fprintf(stderr, "\rsemantics: %-20s", sem_mechs[i]->name);
		probe(sem_mechs[i], &rows[n++]);
	}
	fprintf(stderr, "\r%40s\r", "");
	return sem_report(rows, n, out);
}
