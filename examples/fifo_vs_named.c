// SPDX-License-Identifier: MIT
/*
 * fifo_vs_named - two processes that share only a name: a named FIFO,
 * then a named mailbox.
 *
 * A FIFO holds no data of its own: a writer cannot even open it while no
 * reader has it open (ENXIO with O_NONBLOCK, else the open waits), and
 * what is written lives only while both ends are open.  A named mailbox
 * exists on its own: a writer may send and exit before any reader
 * arrives, and the messages wait, in order, until a reader opens the name
 * or the mailbox is removed.
 *
 * Build: cc -o fifo_vs_named fifo_vs_named.c -lipcmbox
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ipcmbox.h>

#define FIFO	"/tmp/fifo_vs_named.fifo"
#define MBOX	"fifo-vs-named"

static int run_child(void (*fn)(void))
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		fn();
		_exit(0);
	}
	return waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	       !WEXITSTATUS(status) ? 0 : -1;
}

static void fifo_writer(void)
{
	const char msg[] = "hello through the FIFO";
	int fd = open(FIFO, O_WRONLY | O_NONBLOCK);

	if (fd < 0) {
		printf("  writer: open(O_WRONLY|O_NONBLOCK) with no reader: %s\n",
		       strerror(errno));
		return;
	}
	if (write(fd, msg, sizeof(msg) - 1) < 0)
		_exit(1);
	close(fd);
}

static void mbox_writer(void)
{
	static const char *const msgs[] = { "first", "second" };
	int fd = ipcmbox_open(MBOX, O_WRONLY), i;

	if (fd < 0)
		_exit(1);
	for (i = 0; i < 2; i++) {
		if (write(fd, msgs[i], strlen(msgs[i])) < 0)
			_exit(1);
		printf("  writer %d: sent '%s', nobody reading yet\n",
		       (int)getpid(), msgs[i]);
	}
	close(fd);
}

static int fifo_scene(void)
{
	char buf[64];
	ssize_t n;
	int fd;

	unlink(FIFO);
	if (mkfifo(FIFO, 0600))
		return -1;
	puts("named FIFO " FIFO ": the writer comes first and exits");
	if (run_child(fifo_writer))
		return -1;
	/* Now a reader that keeps it open, and the writer again. */
	puts("  reader opens first (O_NONBLOCK), then the writer runs");
	fd = open(FIFO, O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		return -1;
	n = run_child(fifo_writer) ? -1 : read(fd, buf, sizeof(buf));
	if (n < 0) {
		close(fd);
		return -1;
	}
	printf("  reader: got '%.*s'\n", (int)n, buf);
	n = read(fd, buf, sizeof(buf));
	printf("  reader: then read() returns %zd: end of file, the writer is gone\n",
	       n);
	close(fd);
	unlink(FIFO);
	return 0;
}

static int mbox_scene(void)
{
	struct ipcmbox_envelope env;
	char buf[64];
	ssize_t n;
	int fd, i;

	if (ipcmbox_create(MBOX, NULL))
		return -1;
	puts("named mailbox /dev/ipcmbox/" MBOX ": the writer comes first and exits");
	if (run_child(mbox_writer))
		return -1;
	fd = ipcmbox_open(MBOX, O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		return -1;
	for (i = 0; i < 2; i++) {
		n = ipcmbox_recv(fd, buf, sizeof(buf), NULL, &env);
		if (n < 0)
			return -1;
		printf("  reader: got '%.*s' from pid %d, which has exited\n",
		       (int)n, buf, (int)env.pid);
	}
	n = ipcmbox_recv(fd, buf, sizeof(buf), NULL, NULL);
	printf("  reader: then: %s (empty; no end of file: the name stays)\n",
	       n < 0 ? strerror(errno) : "a message?");
	close(fd);
	return ipcmbox_remove(MBOX);
}

int main(void)
{
	/* One line at a time: children print, then _exit(). */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (fifo_scene())
		return perror("fifo"), 1;
	if (mbox_scene()) {
		perror("mailbox");
		ipcmbox_remove(MBOX);
		return 1;
	}
	return 0;
}
