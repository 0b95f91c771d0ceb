// SPDX-License-Identifier: GPL-2.0-only
/*
 * Semantics of the mechanisms without a queue of their own: POSIX shared
 * memory (one message slot, a futex to wait on, no flow control) and
 * real-time signals (sigqueue(3), up to 7 bytes and a length in the
 * sigval; the receiver blocks the signal and takes it with sigwaitinfo).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "../sem.h"

struct shm_slot {
	_Atomic uint32_t len;	/* message length + 1; 0: empty */
	char data[4096];
};

static int shm_create(struct sem_obj *o)
{
	int fd;

	sem_unique(o->name, sizeof(o->name), "/");
	fd = shm_open(o->name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (ftruncate(fd, sizeof(struct shm_slot))) {
		int err = -errno;

		close(fd);
		shm_unlink(o->name);
		return err;
	}
	close(fd);
	return 0;
}

static int shm_open_end(struct sem_end *e, bool by_name)
{
	void *p;

	(void)by_name;
	e->fd = shm_open(e->o->name, O_RDWR | O_CLOEXEC, 0);
	if (e->fd < 0)
		return -errno;
	p = mmap(NULL, sizeof(struct shm_slot), PROT_READ | PROT_WRITE,
		 MAP_SHARED, e->fd, 0);
	if (p == MAP_FAILED) {
		int err = -errno;

		close(e->fd);
		e->fd = -1;
		return err;
	}
	e->id = (long)(uintptr_t)p;
	return 0;
}

static struct shm_slot *slot(struct sem_end *e)
{
	return (struct shm_slot *)(uintptr_t)e->id;
}

/* A write never waits: it overwrites what is there. */
static ssize_t shm_send(struct sem_end *e, const void *buf, size_t len)
{
	struct shm_slot *s = slot(e);

	if (len > sizeof(s->data))
		return -EMSGSIZE;
	memcpy(s->data, buf, len);
	atomic_store(&s->len, (uint32_t)len + 1);
	syscall(SYS_futex, &s->len, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
	return (ssize_t)len;
}

static ssize_t shm_recv(struct sem_end *e, void *buf, size_t cap)
{
	struct shm_slot *s = slot(e);
	uint32_t v;

	while (!(v = atomic_exchange(&s->len, 0))) {
		if (e->nb)
			return -EAGAIN;
		syscall(SYS_futex, &s->len, FUTEX_WAIT, 0, NULL, NULL, 0);
	}
	if (v - 1 > cap)
		return -EMSGSIZE;
	memcpy(buf, s->data, v - 1);
	e->peer = 0;
	return v - 1;
}

static void shm_close(struct sem_end *e)
{
	if (e->id > 0)		/* mapped: open set it */
		munmap(slot(e), sizeof(struct shm_slot));
	sem_fd_close(e);
	e->id = 0;
}

static void shm_destroy(struct sem_obj *o)
{
	shm_unlink(o->name);
}

const struct sem_mech sem_shm = {
	.name = "shm", .row = "Shared Memory", .use = "Large data, fast",
	.naming = "/name",
	.flags = SEM_NAMED,
	.create = shm_create,
	.open = shm_open_end,
	.send = shm_send,
	.recv = shm_recv,
	.pollfd = sem_fd_pollfd,
	.close = shm_close,
	.destroy = shm_destroy,
};

static void block_signal(int signo)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, signo);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

static int sig_create(struct sem_obj *o)
{
	o->id = SIGRTMIN + 3;
	/* Blocked before any fork: a pending signal waits for sigwaitinfo. */
	block_signal((int)o->id);
	o->rx_pid = getpid();
	snprintf(o->name, sizeof(o->name), "pid %d signal %ld", (int)o->rx_pid, o->id);
	return 0;
}

/*
 * A receiver is a process: the one that opens it takes the name over.
 * One that inherited nothing can only be the old receiver, if alive.
 */
static int sig_open(struct sem_end *e, bool by_name)
{
	struct sem_obj *o = e->o;
	int pid;

	if (sscanf(o->name, "pid %d signal %ld", &pid, &o->id) != 2)
		return -EINVAL;
	block_signal((int)o->id);
	if (e->role == SEM_TX) {
		e->reply_to = pid;
		return 0;
	}
	if (by_name)
		return kill(pid, 0) ? -errno : -EBUSY;
	o->rx_pid = getpid();
	snprintf(o->name, sizeof(o->name), "pid %d signal %ld", (int)o->rx_pid, o->id);
	return 0;
}

static ssize_t sig_send(struct sem_end *e, const void *buf, size_t len)
{
	union sigval v = { 0 };
	unsigned char b[sizeof(v)] = { 0 };

	if (len >= sizeof(b))
		return -EMSGSIZE;
	b[0] = (unsigned char)len;
	memcpy(b + 1, buf, len);
	memcpy(&v, b, sizeof(v));
	/* Never waits: a full queue (RLIMIT_SIGPENDING) is EAGAIN. */
	return sigqueue(e->reply_to, (int)e->o->id, v) ? -errno : (ssize_t)len;
}

static ssize_t sig_recv(struct sem_end *e, void *buf, size_t cap)
{
	static const struct timespec zero;
	unsigned char b[sizeof(union sigval)];
	sigset_t set;
	siginfo_t si;
	int r;

	sigemptyset(&set);
	sigaddset(&set, (int)e->o->id);
	r = e->nb ? sigtimedwait(&set, &si, &zero) : sigwaitinfo(&set, &si);
	if (r < 0)
		return -errno;
	memcpy(b, &si.si_value, sizeof(b));
	if (b[0] > cap)
		return -EMSGSIZE;
	memcpy(buf, b + 1, b[0]);
	e->peer = si.si_pid;
	e->reply_to = si.si_pid;	/* a reply goes back by pid */
	return b[0];
}

static void sig_close(struct sem_end *e)
{
	(void)e;
}

const struct sem_mech sem_rt_signal = {
	.name = "rt-signal", .row = "Signals", .use = "Events, interrupts",
	.naming = "pid",
	.flags = SEM_NAMED,
	.max_msg = 7,
	.create = sig_create,
	.open = sig_open,
	.send = sig_send,
	.recv = sig_recv,
	.pollfd = sem_no_pollfd,
	.close = sig_close,
};
