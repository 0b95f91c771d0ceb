/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A semantics agent: a child process holding one end of an object and
 * doing one call at a time when the parent asks (sem_agent.c).  The
 * parent sees each call's result, or that the call blocks: the agent
 * sleeps in the kernel (/proc/PID/stat state S) and has not answered.
 */
#ifndef IPCMBOX_BENCH_SEM_AGENT_H
#define IPCMBOX_BENCH_SEM_AGENT_H

#include <stdint.h>

#include "sem.h"

#define SEM_BLOCKED	(-100000)	/* the call is blocking */
#define SEM_NO_ANSWER	(-100001)	/* neither result nor sleep in 10 s */
#define SEM_FILL_LIMIT	16384		/* messages a fill sends at most */

enum sem_cmd {
	SEM_CMD_OPEN = 'o',	/* open the end (inherited) */
	SEM_CMD_OPEN_NAME = 'n', /* open the end by name */
	SEM_CMD_ACCEPT = 'a',	/* take the connection, where there is one */
	SEM_CMD_SEND = 's',	/* send the command's message, blocking */
	SEM_CMD_SEND_NB = 'S',	/* ... non-blocking */
	SEM_CMD_RECV = 'r',	/* receive, blocking */
	SEM_CMD_RECV_NB = 'R',	/* ... non-blocking */
	SEM_CMD_FILL = 'f',	/* send messages non-blocking until one fails */
	SEM_CMD_EXIT = 'x',	/* close and exit */
};

struct sem_result {
	int64_t ret;		/* bytes / count, or -errno, or SEM_* */
	int64_t err;		/* fill: the errno that stopped it, 0: limit */
	int32_t peer;		/* receive: the sender's pid as reported */
	uint32_t len;
	char data[64];
};

struct sem_agent {
	pid_t pid;
	int cmd_fd, res_fd;
	int busy;		/* a call has not answered yet */
	struct sem_result last;
};

/* Forks an agent for @role of @o.  0 or -errno. */
int sem_agent_start(struct sem_agent *a, struct sem_obj *o, enum sem_role role);
/*
 * Asks for one call (@msg: the message of a send, or the size of a
 * fill's messages in @len) and returns its ret, SEM_BLOCKED or
 * SEM_NO_ANSWER; a->last holds the whole result.
 */
int64_t sem_agent_do(struct sem_agent *a, enum sem_cmd cmd, const void *msg,
		     uint32_t len);
/* After SEM_BLOCKED: the result, once the call returns (10 s at most). */
int64_t sem_agent_wait(struct sem_agent *a);
/* Ends the agent (SIGKILL when it is blocked) and reaps it. */
void sem_agent_stop(struct sem_agent *a);

#endif /* IPCMBOX_BENCH_SEM_AGENT_H */
