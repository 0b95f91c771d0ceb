// SPDX-License-Identifier: MIT
/*
 * pipe_vs_mailbox - a child sends three records to its parent, first over a
 * pipe, then over an anonymous mailbox (ipcmbox_pair), the same way: three
 * write()s, exit; the parent waits for the child, then reads to the end.
 *
 * The pipe is a byte stream: one read() returns the three records run
 * together, so real programs must add framing.  The mailbox keeps each
 * write() as one message: each read() returns exactly one record.  Both
 * report end of file once the last writer is gone.
 *
 * Build: cc -o pipe_vs_mailbox pipe_vs_mailbox.c -lipcmbox
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ipcmbox.h>

static const char *const records[] = { "alpha", "bravo", "charlie" };

/* The parent: read until end of file, printing what each read() returned. */
static void reader(const char *what, int fd)
{
	char buf[256];
	ssize_t n;
	int reads = 0;

	while ((n = read(fd, buf, sizeof(buf))) > 0)
		printf("  %s parent: read() #%d returned %zd bytes: '%.*s'\n",
		       what, ++reads, n, (int)n, buf);
	if (n < 0)
		printf("  %s parent: read: %s\n", what, strerror(errno));
	else
		printf("  %s parent: end of file after %d reads\n", what, reads);
}

/* fds[0] reads, fds[1] writes, for both kinds. */
static int scene(const char *what, int fds[2])
{
	unsigned int i;
	pid_t child;
	int status;

	child = fork();
	if (child < 0)
		return -1;
	if (child == 0) {
		close(fds[0]);
		for (i = 0; i < 3; i++)
			if (write(fds[1], records[i], strlen(records[i])) < 0)
				_exit(1);
		_exit(0);
	}
	close(fds[1]);
	/* The child has written everything once it has exited. */
	if (waitpid(child, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		return -1;
	reader(what, fds[0]);
	close(fds[0]);
	return 0;
}

int main(void)
{
	int fds[2];

	/* One line at a time: children print, then _exit(). */
	setvbuf(stdout, NULL, _IOLBF, 0);
	puts("pipe: the child makes three write()s, of 5, 5 and 7 bytes");
	if (pipe(fds) || scene("pipe", fds))
		return perror("pipe"), 1;

	puts("anonymous mailbox: the same three write()s");
	if (ipcmbox_pair(NULL, IPCMBOX_PAIR_CLOEXEC, fds) ||
	    scene("mailbox", fds))
		return perror("mailbox"), 1;
	return 0;
}
