/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers shared by the ipcmbox selftests.
 */
#ifndef IPCMBOX_TEST_H
#define IPCMBOX_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ipcmbox.h"

#define IPCMBOX_MODULE_NAME	"ipcmbox"
#define IPCMBOX_SYSFS_MODULE	"/sys/module/" IPCMBOX_MODULE_NAME

/* The module file the tests (re)load; the guest keeps it here. */
static inline const char *ipcmbox_test_ko(void)
{
	const char *ko = getenv("IPCMBOX_KO");

	return ko ? ko : "/ipcmbox/kmod/ipcmbox.ko";
}

static inline int ipcmbox_test_loaded(void)
{
	return access(IPCMBOX_SYSFS_MODULE, F_OK) == 0;
}

/* finit_module(2) of the test module with @params; returns 0 or errno. */
static inline int ipcmbox_test_load(const char *params)
{
	int fd, ret;

	fd = open(ipcmbox_test_ko(), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	ret = syscall(SYS_finit_module, fd, params, 0) ? errno : 0;
	close(fd);
	return ret;
}

/* delete_module(2) without waiting; returns 0 or errno. */
static inline int ipcmbox_test_unload(void)
{
	return syscall(SYS_delete_module, IPCMBOX_MODULE_NAME, O_NONBLOCK) ?
	       errno : 0;
}

/* Reads one unsigned integer from a sysfs file; -1 on error. */
static inline long long ipcmbox_test_read_ull(const char *path)
{
	unsigned long long v;
	FILE *f = fopen(path, "re");
	int n;

	if (!f)
		return -1;
	n = fscanf(f, "%llu", &v);
	fclose(f);
	return n == 1 ? (long long)v : -1;
}

/* Sets the module parameter @param to @value; 0 or -1. */
static inline int ipcmbox_test_set_param(const char *param,
					 unsigned long long value)
{
	char path[128];
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), IPCMBOX_SYSFS_MODULE "/parameters/%s",
		 param);
	f = fopen(path, "we");
	if (!f)
		return -1;
	ret = fprintf(f, "%llu\n", value) > 0 ? 0 : -1;
	return fclose(f) || ret ? -1 : 0;
}

/* Reaps @pid: its exit status, 128 + the signal that killed it, or -1. */
static inline int ipcmbox_test_child_status(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* FNV-1a over @len bytes at @p: the checksum the tests' messages carry. */
static inline uint32_t ipcmbox_test_fnv1a(const void *p, size_t len)
{
	const unsigned char *b = p;
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ b[i]) * 16777619u;
	return h;
}

/* The unprivileged user tests drop to. */
#define IPCMBOX_TEST_NOBODY	65534

/* Becomes uid and gid IPCMBOX_TEST_NOBODY for good; 0 or -1. */
static inline int ipcmbox_test_drop_privileges(void)
{
	return setresgid(IPCMBOX_TEST_NOBODY, IPCMBOX_TEST_NOBODY,
			 IPCMBOX_TEST_NOBODY) ||
	       setresuid(IPCMBOX_TEST_NOBODY, IPCMBOX_TEST_NOBODY,
			 IPCMBOX_TEST_NOBODY) ? -1 : 0;
}

/* Runs @fn(@arg) as IPCMBOX_TEST_NOBODY in a child; its errno, or 0. */
static inline int ipcmbox_test_as_nobody(int (*fn)(const void *),
					 const void *arg)
{
	pid_t child = fork();

	if (child == 0) {
		if (ipcmbox_test_drop_privileges())
			_exit(200);
		_exit(fn(arg) ? errno : 0);
	}
	return child < 0 ? -1 : ipcmbox_test_child_status(child);
}

/* Reloads the module with @params (default parameters when ""). */
static inline int ipcmbox_test_reload(const char *params)
{
	int ret;

	if (ipcmbox_test_loaded()) {
		ret = ipcmbox_test_unload();
		if (ret)
			return ret;
	}
	return ipcmbox_test_load(params);
}

static inline long long ipcmbox_test_now_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/*
 * Waits until @cond holds, re-evaluating it every millisecond, for at most
 * 30 s (TCG guests are slow); evaluates to whether it held.  For waiting
 * on state another process makes observable (waiter counts, depth), never
 * as a delay.
 */
#define IPCMBOX_WAIT_FOR(cond) ({					\
	long long __end = ipcmbox_test_now_ns(CLOCK_MONOTONIC) +	\
			  30000000000LL;				\
	int __ok;							\
	while (!(__ok = !!(cond)) &&					\
	       ipcmbox_test_now_ns(CLOCK_MONOTONIC) < __end)		\
		usleep(1000);						\
	__ok;								\
})

/*
 * Whether @pid sleeps in a kernel function whose name contains @what
 * (/proc/PID/wchan), e.g. "poll": the handshake for "the child is now
 * blocked in poll(2)", which no counter shows.
 */
static inline int ipcmbox_test_sleeps_in(pid_t pid, const char *what)
{
	char path[64], wchan[128] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/wchan", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (!fgets(wchan, sizeof(wchan), f))
		wchan[0] = '\0';
	fclose(f);
	return strstr(wchan, what) != NULL;
}

/*
 * Creates @name with @capacity and @max_msg (0: the default) and opens it
 * for both directions.  Returns the descriptor, or -1 with errno.
 */
static inline int ipcmbox_test_make(const char *name, uint32_t capacity,
				    uint32_t max_msg)
{
	struct ipcmbox_attr a = {
		.set = IPCMBOX_SET_CAPACITY, .capacity = capacity,
	};

	if (max_msg) {
		a.set |= IPCMBOX_SET_MAX_MSG;
		a.max_msg = max_msg;
	}
	if (ipcmbox_create(name, &a))
		return -1;
	return ipcmbox_open(name, O_RDWR);
}

/* One field of the named mailbox's stat, or -1. */
#define IPCMBOX_STAT(name, field) ({					\
	struct ipcmbox_stat __st;					\
	ipcmbox_stat_name(name, &__st) ? -1LL : (long long)__st.field;	\
})

/*
 * Forks a child that, once a sender waits on @name, reads one message from
 * @fd and exits 0 if it had @len bytes (1 if not, 2 if no sender waited):
 * the receiver that lets a waiting sender in.  Returns its pid, or -1.
 */
static inline pid_t ipcmbox_test_read_when_sender_waits(const char *name,
							int fd, ssize_t len)
{
	pid_t pid = fork();
	char buf[64];

	if (pid)
		return pid;
	if (!IPCMBOX_WAIT_FOR(IPCMBOX_STAT(name, send_waiting) == 1))
		_exit(2);
	_exit(read(fd, buf, sizeof(buf)) == len ? 0 : 1);
}

#endif /* IPCMBOX_TEST_H */
