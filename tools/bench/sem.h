/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ipcmbox-bench --semantics: what each mechanism does, measured.
 *
 * Unlike the timing adapters (bench.h), which hide differences (framing,
 * a queue sized for the run), a semantics mechanism exposes its native
 * behaviour: a byte stream merges writes, a full queue blocks or fails,
 * a name outlives its processes or not.  Each mechanism is one struct
 * sem_mech in sem/; the probes (sem.c) only go through it.
 */
#ifndef IPCMBOX_BENCH_SEM_H
#define IPCMBOX_BENCH_SEM_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define SEM_NAME_MAX	108

enum sem_role { SEM_TX, SEM_RX };

/* Mechanism flags (struct sem_mech.flags). */
#define SEM_NAMED	(1U << 0)	/* another process can find it by name */

/*
 * One object (a pipe, a queue, a listening socket ...), created by the
 * probe's parent in memory shared with its children.
 */
struct sem_obj {
	const struct sem_mech *m;
	char name[SEM_NAME_MAX];	/* how an unrelated process finds it */
	int fds[2];		/* unnamed ends or a listening socket; -1 */
	long id;		/* System V id, signal number */
	pid_t rx_pid;		/* signals: the receiving process */
	void *shm;		/* shared memory: the mapping */
	size_t shm_size;
};

/* One process's end of an object. */
struct sem_end {
	struct sem_obj *o;
	enum sem_role role;
	bool nb;		/* calls fail with -EAGAIN instead of waiting */
	int fd;			/* -1 when none */
	int lfd;		/* sockets: listening fd not yet accepted on */
	long id;
	pid_t peer;		/* after a receive: the sender's pid, 0 unknown */
	pid_t reply_to;		/* signals: where this end's sends go */
};

struct sem_mech {
	const char *name;	/* as ipcmbox-bench -m names it */
	const char *row;	/* the lecture table's row */
	const char *use;	/* the lecture table's use case */
	const char *naming;	/* how others find it: "path", "IPC key" */
	unsigned int flags;	/* SEM_* */
	size_t max_msg;		/* largest message, 0: 64 bytes fit */
	/* In the parent: make the object.  0 or -errno. */
	int (*create)(struct sem_obj *o);
	/*
	 * Opens @e (role, nb set) on e->o.  @by_name: the process inherited
	 * nothing and finds the object by o->name.  0 or -errno; never waits
	 * for the peer (a FIFO reader opens non-blocking).
	 */
	int (*open)(struct sem_end *e, bool by_name);
	/* Receiver of a connection: take it (blocking).  Optional. */
	int (*accept)(struct sem_end *e);
	/* One message, natively.  Bytes or -errno (-EAGAIN when nb). */
	ssize_t (*send)(struct sem_end *e, const void *buf, size_t len);
	ssize_t (*recv)(struct sem_end *e, void *buf, size_t cap);
	/* A descriptor poll(2) reports messages on, or -errno. */
	int (*pollfd)(struct sem_end *e);
	void (*close)(struct sem_end *e);
	/* In the parent, at the end: remove the name.  Optional. */
	void (*destroy)(struct sem_obj *o);
};

extern const struct sem_mech *const sem_mechs[];

/* sem/fd.c: O_NONBLOCK as e->nb asks, before a call on @fd. */
void sem_fd_nb(int fd, bool nb);
ssize_t sem_fd_send(struct sem_end *e, const void *buf, size_t len);
ssize_t sem_fd_recv(struct sem_end *e, void *buf, size_t cap);
int sem_fd_pollfd(struct sem_end *e);
/* For mechanisms with no descriptor to poll: -ENOTSUP. */
int sem_no_pollfd(struct sem_end *e);
/* An unnamed end, dup'd from the inherited o->fds; -ENOENT by name. */
int sem_inherited_open(struct sem_end *e, bool by_name);
void sem_fd_close(struct sem_end *e);
/* A unique name for this run: "ipcmbox-sem-PID-N". */
void sem_unique(char *buf, size_t len, const char *prefix);

/* ipcmbox-bench --semantics [-m LIST] [-o DIR]; exit status. */
int sem_main(const char *mechs, const char *out);
/* The exec'd unrelated process: --semantics-peer MECH NAME ID. */
int sem_peer_main(int argc, char **argv);

#endif /* IPCMBOX_BENCH_SEM_H */
