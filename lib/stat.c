// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * The calls that fill a struct ipcmbox_stat, in two layouts.
 *
 * Library 0.6 appended the last pids and times to struct ipcmbox_stat
 * (IPCMBOX_STAT_SIZE_VER1).  A program built against older headers has
 * room for IPCMBOX_STAT_SIZE_VER0 bytes only, so each call exists twice:
 * the default version, LIBIPCMBOX_0.6, fills the whole structure; the
 * version a program linked before 0.6 binds to (its node is the release
 * that added the call: 0.2, or 0.5 for ipcmbox_stat_name_at()) never
 * writes past the first IPCMBOX_STAT_SIZE_VER0 bytes.  The kernel writes no
 * more than the size it is given, and an older module fills what it
 * knows: the rest stays zero.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "internal.h"

/* Binds @impl to @name@node; "@@" makes it the default version. */
#define IPCMBOX_SYMVER(impl, name, node) \
	__asm__(".symver " #impl ", " #name node)

/* Prepares @st as a @size-byte structure for @flags and @id. */
static int ipcmbox_stat_init(struct ipcmbox_stat *st, size_t size,
			     uint32_t flags, uint32_t id)
{
	if (!st) {
		errno = EINVAL;
		return -1;
	}
	memset(st, 0, size);
	st->size = size;
	st->flags = flags;
	st->id = id;
	return 0;
}

static int ipcmbox_do_stat(int fd, struct ipcmbox_stat *st, size_t size)
{
	if (ipcmbox_stat_init(st, size, 0, 0))
		return -1;
	return ioctl(fd, IPCMBOX_IOC_STAT, st) < 0 ? -1 : 0;
}

static int ipcmbox_do_stat_name(int ctl_fd, const char *name,
				struct ipcmbox_stat *st, size_t size)
{
	if (ipcmbox_stat_init(st, size, 0, 0) ||
	    ipcmbox_set_name(st->name, sizeof(st->name), name))
		return -1;
	return ipcmbox_control_call(ctl_fd, IPCMBOX_IOC_STAT_NAME, st) < 0 ?
	       -1 : 0;
}

static int ipcmbox_do_stat_name_at(int ctl_fd, const char *name,
				   struct ipcmbox_stat *st, size_t size)
{
	if (ctl_fd < 0) {
		errno = EBADF;
		return -1;
	}
	return ipcmbox_do_stat_name(ctl_fd, name, st, size);
}

static int ipcmbox_do_list_next(int ctl_fd, struct ipcmbox_stat *st,
				size_t size)
{
	if (ipcmbox_stat_init(st, size, IPCMBOX_STAT_NEXT, st ? st->id : 0))
		return -1;
	return ioctl(ctl_fd, IPCMBOX_IOC_STAT_NAME, st) < 0 ? -1 : 0;
}

/* The whole structure (0.6). */
IPCMBOX_EXPORT int ipcmbox_stat_v1(int fd, struct ipcmbox_stat *st);
IPCMBOX_EXPORT int ipcmbox_stat_v1(int fd, struct ipcmbox_stat *st)
{
	return ipcmbox_do_stat(fd, st, sizeof(*st));
}
IPCMBOX_SYMVER(ipcmbox_stat_v1, ipcmbox_stat, "@@LIBIPCMBOX_0.6");

IPCMBOX_EXPORT int ipcmbox_stat_name_v1(const char *name,
					struct ipcmbox_stat *st);
IPCMBOX_EXPORT int ipcmbox_stat_name_v1(const char *name,
					struct ipcmbox_stat *st)
{
	return ipcmbox_do_stat_name(CONTROL_FOR_CALL, name, st, sizeof(*st));
}
IPCMBOX_SYMVER(ipcmbox_stat_name_v1, ipcmbox_stat_name, "@@LIBIPCMBOX_0.6");

IPCMBOX_EXPORT int ipcmbox_stat_name_at_v1(int ctl_fd, const char *name,
					   struct ipcmbox_stat *st);
IPCMBOX_EXPORT int ipcmbox_stat_name_at_v1(int ctl_fd, const char *name,
					   struct ipcmbox_stat *st)
{
	return ipcmbox_do_stat_name_at(ctl_fd, name, st, sizeof(*st));
}
IPCMBOX_SYMVER(ipcmbox_stat_name_at_v1, ipcmbox_stat_name_at,
	       "@@LIBIPCMBOX_0.6");

IPCMBOX_EXPORT int ipcmbox_list_next_v1(int ctl_fd, struct ipcmbox_stat *st);
IPCMBOX_EXPORT int ipcmbox_list_next_v1(int ctl_fd, struct ipcmbox_stat *st)
{
	return ipcmbox_do_list_next(ctl_fd, st, sizeof(*st));
}
IPCMBOX_SYMVER(ipcmbox_list_next_v1, ipcmbox_list_next, "@@LIBIPCMBOX_0.6");

/* The first IPCMBOX_STAT_SIZE_VER0 bytes, for programs linked before 0.6. */
IPCMBOX_EXPORT int ipcmbox_stat_v0(int fd, struct ipcmbox_stat *st);
IPCMBOX_EXPORT int ipcmbox_stat_v0(int fd, struct ipcmbox_stat *st)
{
	return ipcmbox_do_stat(fd, st, IPCMBOX_STAT_SIZE_VER0);
}
IPCMBOX_SYMVER(ipcmbox_stat_v0, ipcmbox_stat, "@LIBIPCMBOX_0.2");

IPCMBOX_EXPORT int ipcmbox_stat_name_v0(const char *name,
					struct ipcmbox_stat *st);
IPCMBOX_EXPORT int ipcmbox_stat_name_v0(const char *name,
					struct ipcmbox_stat *st)
{
	return ipcmbox_do_stat_name(CONTROL_FOR_CALL, name, st,
				    IPCMBOX_STAT_SIZE_VER0);
}
IPCMBOX_SYMVER(ipcmbox_stat_name_v0, ipcmbox_stat_name, "@LIBIPCMBOX_0.2");

IPCMBOX_EXPORT int ipcmbox_stat_name_at_v0(int ctl_fd, const char *name,
					   struct ipcmbox_stat *st);
IPCMBOX_EXPORT int ipcmbox_stat_name_at_v0(int ctl_fd, const char *name,
					   struct ipcmbox_stat *st)
{
	return ipcmbox_do_stat_name_at(ctl_fd, name, st,
				       IPCMBOX_STAT_SIZE_VER0);
}
IPCMBOX_SYMVER(ipcmbox_stat_name_at_v0, ipcmbox_stat_name_at,
	       "@LIBIPCMBOX_0.5");

IPCMBOX_EXPORT int ipcmbox_list_next_v0(int ctl_fd, struct ipcmbox_stat *st);
IPCMBOX_EXPORT int ipcmbox_list_next_v0(int ctl_fd, struct ipcmbox_stat *st)
{
	return ipcmbox_do_list_next(ctl_fd, st, IPCMBOX_STAT_SIZE_VER0);
}
IPCMBOX_SYMVER(ipcmbox_list_next_v0, ipcmbox_list_next, "@LIBIPCMBOX_0.2");
