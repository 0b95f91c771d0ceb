// SPDX-License-Identifier: MIT
/*
 * mq_vs_mailbox - typed messages: a System V message queue, then a
 * mailbox, used the same way.  A parent queues three jobs of types 3, 1
 * and 2; a child takes the type-2 job first, then, twice, the job of the
 * lowest type up to 3 (SysV msgrcv's negative msgtyp; the mailbox's
 * negative type selector).
 *
 * What differs: the SysV queue lives until IPC_RMID and is found by a
 * numeric key; its messages carry no sender.  The mailbox has a name in
 * /dev/ipcmbox, file permissions, poll, and each message says who sent it.
 *
 * Build: cc -o mq_vs_mailbox mq_vs_mailbox.c -lipcmbox
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/msg.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ipcmbox.h>

#define MBOX	"mq-vs-mailbox"

static const struct { long type; const char *text; } jobs[] = {
	{ 3, "resize the images" }, { 1, "answer the customer" },
	{ 2, "rotate the logs" },
};
/* What the child asks for: type 2 exactly, then the lowest up to 3. */
static const long wants[] = { 2, -3, -3 };

struct sysv_msg {
	long mtype;
	char mtext[64];
};

static int wait_child(pid_t pid)
{
	int status;

	return waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	       !WEXITSTATUS(status) ? 0 : -1;
}

static int sysv_scene(void)
{
	struct sysv_msg m;
	unsigned int i;
	pid_t pid;
	ssize_t n;
	int id = msgget(IPC_PRIVATE, IPC_CREAT | 0600);

	if (id < 0)
		return -1;
	for (i = 0; i < 3; i++) {
		m.mtype = jobs[i].type;
		strcpy(m.mtext, jobs[i].text);
		if (msgsnd(id, &m, strlen(m.mtext), 0))
			return -1;
	}
	puts("System V queue: parent queued types 3, 1, 2");
	pid = fork();
	if (pid == 0) {
		for (i = 0; i < 3; i++) {
			n = msgrcv(id, &m, sizeof(m.mtext), wants[i], 0);
			if (n < 0)
				_exit(1);
			printf("  child msgrcv(msgtyp %ld): type %ld '%.*s' (sender: not recorded)\n",
			       wants[i], m.mtype, (int)n, m.mtext);
		}
		_exit(0);
	}
	if (pid < 0 || wait_child(pid))
		return -1;
	return msgctl(id, IPC_RMID, NULL);
}

static int mbox_scene(void)
{
	struct ipcmbox_envelope env;
	unsigned int i;
	char buf[64];
	pid_t pid;
	ssize_t n;
	int fd;

	if (ipcmbox_create(MBOX, NULL))
		return -1;
	fd = ipcmbox_open(MBOX, O_RDWR);
	if (fd < 0)
		return -1;
	for (i = 0; i < 3; i++) {
		struct ipcmbox_opts o = { .type = jobs[i].type };

		if (ipcmbox_send(fd, jobs[i].text, strlen(jobs[i].text), &o,
				 NULL))
			return -1;
	}
	puts("mailbox /dev/ipcmbox/" MBOX ": parent queued types 3, 1, 2");
	pid = fork();
	if (pid == 0) {
		for (i = 0; i < 3; i++) {
			struct ipcmbox_opts o = { .type = wants[i] };

			n = ipcmbox_recv(fd, buf, sizeof(buf), &o, &env);
			if (n < 0)
				_exit(1);
			printf("  child recv(type %ld): type %lld '%.*s' from pid %d uid %u\n",
			       wants[i], (long long)env.type, (int)n, buf,
			       (int)env.pid, (unsigned int)env.uid);
		}
		_exit(0);
	}
	if (pid < 0 || wait_child(pid))
		return -1;
	close(fd);
	return ipcmbox_remove(MBOX);
}

int main(void)
{
	/* One line at a time: children print, then _exit(). */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (sysv_scene())
		return perror("sysv"), 1;
	if (mbox_scene()) {
		perror("mailbox");
		ipcmbox_remove(MBOX);
		return 1;
	}
	return 0;
}
