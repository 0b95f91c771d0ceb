// SPDX-License-Identifier: MIT
/*
 * socket_vs_mailbox - request and reply.  A server adds two numbers for
 * two clients, first over a Unix stream socket, then over two mailboxes.
 *
 * Socket: the server listens on a path, accepts one connection per client
 * and answers on that connection; the connection is the reply address.
 * Mailboxes: clients send requests to "calc-req"; the server learns each
 * sender's pid from the message's envelope and sends the reply to
 * "calc-rep" with that pid as the message type; each client receives only
 * its own type.  No connection, no accept, and the kernel, not the client,
 * says who asked.
 *
 * Build: cc -o socket_vs_mailbox socket_vs_mailbox.c -lipcmbox
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ipcmbox.h>

#define SOCK	"/tmp/socket_vs_mailbox.sock"
#define REQ	"calc-req"
#define REP	"calc-rep"
#define CLIENTS	2

static int wait_child(pid_t pid)
{
	int status;

	return waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	       !WEXITSTATUS(status) ? 0 : -1;
}

static void answer(const char *req, char *rep, size_t len)
{
	int a = 0, b = 0;

	if (sscanf(req, "%d+%d", &a, &b) == 2)
		snprintf(rep, len, "%d", a + b);
	else
		snprintf(rep, len, "?");
}

static void socket_client(int i)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	char req[32], rep[32];
	ssize_t n;
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	strcpy(a.sun_path, SOCK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)))
		_exit(1);
	snprintf(req, sizeof(req), "%d+%d", i, 10 * i);
	if (write(fd, req, strlen(req)) < 0)
		_exit(1);
	n = read(fd, rep, sizeof(rep));
	if (n <= 0)
		_exit(1);
	printf("  client %d: %s = %.*s\n", (int)getpid(), req, (int)n, rep);
	_exit(0);
}

static int socket_scene(void)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	char req[32], rep[32];
	pid_t pid[CLIENTS];
	int l, c, i, bad = 0;
	ssize_t n;

	strcpy(a.sun_path, SOCK);
	unlink(SOCK);
	l = socket(AF_UNIX, SOCK_STREAM, 0);
	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 4))
		return -1;
	puts("Unix stream socket " SOCK ": one connection per client");
	for (i = 0; i < CLIENTS; i++) {
		pid[i] = fork();
		if (pid[i] == 0)
			socket_client(i + 1);
	}
	for (i = 0; i < CLIENTS; i++) {
		c = accept(l, NULL, NULL);
		if (c < 0)
			return -1;
		n = read(c, req, sizeof(req) - 1);
		if (n <= 0)
			return -1;
		req[n] = '\0';
		answer(req, rep, sizeof(rep));
		if (write(c, rep, strlen(rep)) < 0)
			return -1;
		close(c);
	}
	for (i = 0; i < CLIENTS; i++)
		bad |= wait_child(pid[i]);
	close(l);
	unlink(SOCK);
	return bad;
}

static void mbox_client(int i)
{
	struct ipcmbox_opts mine = { .type = getpid() };
	char req[32], rep[32];
	int q = ipcmbox_open(REQ, O_WRONLY), r = ipcmbox_open(REP, O_RDONLY);
	ssize_t n;

	if (q < 0 || r < 0)
		_exit(1);
	snprintf(req, sizeof(req), "%d+%d", i, 10 * i);
	if (ipcmbox_send(q, req, strlen(req), NULL, NULL))
		_exit(1);
	/* Only the reply whose type is this process's pid. */
	n = ipcmbox_recv(r, rep, sizeof(rep), &mine, NULL);
	if (n < 0)
		_exit(1);
	printf("  client %d: %s = %.*s\n", (int)getpid(), req, (int)n, rep);
	_exit(0);
}

static int mbox_scene(void)
{
	struct ipcmbox_envelope env;
	char req[32], rep[32];
	pid_t pid[CLIENTS];
	int q, r, i, bad = 0;
	ssize_t n;

	if (ipcmbox_create(REQ, NULL) || ipcmbox_create(REP, NULL))
		return -1;
	q = ipcmbox_open(REQ, O_RDONLY);
	r = ipcmbox_open(REP, O_WRONLY);
	if (q < 0 || r < 0)
		return -1;
	puts("mailboxes " REQ " and " REP ": replies typed by the asker's pid");
	for (i = 0; i < CLIENTS; i++) {
		pid[i] = fork();
		if (pid[i] == 0)
			mbox_client(i + 1);
	}
	for (i = 0; i < CLIENTS; i++) {
		struct ipcmbox_opts to = { 0 };

		n = ipcmbox_recv(q, req, sizeof(req) - 1, NULL, &env);
		if (n < 0)
			return -1;
		req[n] = '\0';
		answer(req, rep, sizeof(rep));
		to.type = env.pid;
		printf("  server: '%s' from pid %d\n", req, (int)env.pid);
		if (ipcmbox_send(r, rep, strlen(rep), &to, NULL))
			return -1;
	}
	for (i = 0; i < CLIENTS; i++)
		bad |= wait_child(pid[i]);
	close(q);
	close(r);
	return bad || ipcmbox_remove(REQ) || ipcmbox_remove(REP);
}

int main(void)
{
	/* One line at a time: children print, then _exit(). */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (socket_scene())
		return perror("socket"), 1;
	if (mbox_scene()) {
		perror("mailbox");
		ipcmbox_remove(REQ);
		ipcmbox_remove(REP);
		return 1;
	}
	return 0;
}
