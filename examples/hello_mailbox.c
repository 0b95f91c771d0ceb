// SPDX-License-Identifier: MIT
/*
 * hello_mailbox - ipcmbox from C, in two short scenes.
 *
 * 1. A named mailbox between a parent and a child: the parent sends three
 *    messages with different priorities; the child receives them, highest
 *    priority first, and prints who sent each.
 * 2. An anonymous mailbox as a pipe: the child writes, the parent reads
 *    until end of file.
 *
 * Build, against an installed libipcmbox (make install):
 *   cc -o hello_mailbox hello_mailbox.c $(pkg-config --cflags --libs libipcmbox)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ipcmbox.h>

static int fail(const char *what)
{
	fprintf(stderr, "hello_mailbox: %s: %s\n", what, strerror(errno));
	return 1;
}

static int named_scene(void)
{
	static const struct { const char *text; unsigned int prio; } msgs[] = {
		{ "routine", 0 }, { "urgent", 9 }, { "important", 5 },
	};
	struct ipcmbox_attr attr = {
		.set = IPCMBOX_SET_CAPACITY, .capacity = 4,
	};
	int fd, status, i;
	pid_t child;

	if (ipcmbox_create("hello", &attr))
		return fail("create hello");
	fd = ipcmbox_open("hello", O_RDWR);
	if (fd < 0)
		return fail("open hello");
	for (i = 0; i < 3; i++) {
		struct ipcmbox_opts o = { .priority = msgs[i].prio };

		if (ipcmbox_send(fd, msgs[i].text, strlen(msgs[i].text), &o,
				 NULL))
			return fail("send");
		printf("parent %d sent '%s' (priority %u)\n", (int)getpid(),
		       msgs[i].text, msgs[i].prio);
	}
	child = fork();
	if (child == 0) {
		struct ipcmbox_envelope env;
		char buf[64];
		ssize_t n;

		for (i = 0; i < 3; i++) {
			n = ipcmbox_recv(fd, buf, sizeof(buf) - 1, NULL, &env);
			if (n < 0)
				_exit(fail("recv"));
			buf[n] = '\0';
			printf("child got '%s': seq %llu, priority %u, from pid %d uid %u\n",
			       buf, (unsigned long long)env.seq, env.priority,
			       (int)env.pid, (unsigned int)env.uid);
		}
		_exit(0);
	}
	waitpid(child, &status, 0);
	close(fd);
	if (ipcmbox_remove("hello"))
		return fail("remove hello");
	return status != 0;
}

static int pair_scene(void)
{
	char buf[64];
	int fds[2], status, n = 0;
	ssize_t len;
	pid_t child;

	if (ipcmbox_pair(NULL, IPCMBOX_PAIR_CLOEXEC, fds))
		return fail("pair");
	child = fork();
	if (child == 0) {
		close(fds[0]);
		for (n = 1; n <= 3; n++) {
			len = snprintf(buf, sizeof(buf), "line %d", n);
			if (write(fds[1], buf, len) != len)
				_exit(fail("write"));
		}
		_exit(0);	/* closing the send end means end of file */
	}
	close(fds[1]);
	while ((len = read(fds[0], buf, sizeof(buf) - 1)) > 0) {
		buf[len] = '\0';
		printf("parent read '%s'\n", buf);
		n++;
	}
	if (len < 0)
		return fail("read");
	printf("parent: end of file after %d messages\n", n);
	close(fds[0]);
	waitpid(child, &status, 0);
	return status != 0;
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	return named_scene() || pair_scene();
}
