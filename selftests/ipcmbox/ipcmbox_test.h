/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers shared by the ipcmbox selftests.
 */
#ifndef IPCMBOX_TEST_H
#define IPCMBOX_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
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

#endif /* IPCMBOX_TEST_H */
