// SPDX-License-Identifier: MIT
/*
 * signal_vs_sigio - notification.  A child tells its parent "three things
 * happened", first with three SIGUSR1s, then with three messages to a
 * mailbox whose owner gets SIGIO.
 *
 * Standard signals do not queue: the three SIGUSR1s sent while the parent
 * has the signal blocked arrive as one, and carry nothing.  SIGIO does not
 * queue either, but it only says "look": the three messages wait in the
 * mailbox, whole, and the parent reads them all (O_NONBLOCK until EAGAIN).
 *
 * Build: cc -o signal_vs_sigio signal_vs_sigio.c -lipcmbox
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ipcmbox.h>

static int wait_child(pid_t pid)
{
	int status;

	return waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	       !WEXITSTATUS(status) ? 0 : -1;
}

/* Takes every pending @sig without waiting; returns how many. */
static int drain_signal(int sig)
{
	struct timespec zero = { 0, 0 };
	sigset_t set;
	int n = 0;

	sigemptyset(&set);
	sigaddset(&set, sig);
	while (sigtimedwait(&set, NULL, &zero) == sig)
		n++;
	return n;
}

static int signal_scene(void)
{
	pid_t parent = getpid(), pid;
	int i;

	puts("signals: the child sends SIGUSR1 three times");
	pid = fork();
	if (pid == 0) {
		for (i = 0; i < 3; i++)
			if (kill(parent, SIGUSR1))
				_exit(1);
		_exit(0);
	}
	if (pid < 0 || wait_child(pid))
		return -1;
	printf("  parent: %d SIGUSR1 delivered (no data with it)\n",
	       drain_signal(SIGUSR1));
	return 0;
}

static int sigio_scene(void)
{
	char buf[64];
	ssize_t n;
	pid_t pid;
	int fds[2], i, got = 0;

	if (ipcmbox_pair(NULL, IPCMBOX_PAIR_CLOEXEC, fds))
		return -1;
	/* fds[0]: receive end, owned by us, O_ASYNC: SIGIO when filled. */
	if (fcntl(fds[0], F_SETOWN, getpid()) ||
	    fcntl(fds[0], F_SETFL, O_ASYNC | O_NONBLOCK))
		return -1;
	puts("mailbox + SIGIO: the child sends three messages");
	pid = fork();
	if (pid == 0) {
		static const char *const ev[] = { "disk full", "job done", "user left" };

		close(fds[0]);
		for (i = 0; i < 3; i++)
			if (write(fds[1], ev[i], strlen(ev[i])) < 0)
				_exit(1);
		_exit(0);
	}
	close(fds[1]);
	if (pid < 0 || wait_child(pid))
		return -1;
	printf("  parent: %d SIGIO delivered\n", drain_signal(SIGIO));
	while ((n = read(fds[0], buf, sizeof(buf))) > 0)
		printf("  parent: message %d: '%.*s'\n", ++got, (int)n, buf);
	printf("  parent: then read(): %s\n",
	       n == 0 ? "end of file (the child is gone)" : strerror(errno));
	close(fds[0]);
	return 0;
}

int main(void)
{
	sigset_t set;

	/* One line at a time: children print, then _exit(). */
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* Blocked, so that they stay pending until we look. */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGIO);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (signal_scene() || sigio_scene())
		return perror("signal_vs_sigio"), 1;
	return 0;
}
