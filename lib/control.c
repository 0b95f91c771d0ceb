// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * Control-node calls: opening /dev/ipcmbox/control and module information.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "internal.h"

IPCMBOX_EXPORT const char *ipcmbox_lib_version(void)
{
	return IPCMBOX_LIB_VERSION;
}

IPCMBOX_EXPORT int ipcmbox_control_open(void)
{
	return open(IPCMBOX_CONTROL_PATH, O_RDWR | O_CLOEXEC);
}

IPCMBOX_EXPORT int ipcmbox_get_info(int ctl_fd, struct ipcmbox_info *info)
{
	if (!info) {
		errno = EINVAL;
		return -1;
	}
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	return ioctl(ctl_fd, IPCMBOX_IOC_INFO, info) < 0 ? -1 : 0;
}

/* Runs @cmd on a fresh control descriptor. */
static int ipcmbox_control_call(unsigned long cmd, void *arg)
{
	int fd = ipcmbox_control_open();
	int ret, err;

	if (fd < 0)
		return -1;
	ret = ioctl(fd, cmd, arg);
	err = errno;
	close(fd);
	errno = err;
	return ret < 0 ? -1 : ret;
}

/* Copies @name into a name field; ENAMETOOLONG when it does not fit. */
static int ipcmbox_set_name(char *dst, size_t size, const char *name)
{
	if (!name) {
		errno = EINVAL;
		return -1;
	}
	if (strlen(name) >= size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(dst, name);
	return 0;
}

static void ipcmbox_attr_to_create(const struct ipcmbox_attr *attr,
				   struct ipcmbox_create *c)
{
	memset(c, 0, sizeof(*c));
	c->size = sizeof(*c);
	if (!attr)
		return;
	c->set = attr->set;
	c->capacity = attr->capacity;
	c->max_msg = attr->max_msg;
	c->max_bytes = attr->max_bytes;
	c->mode = attr->mode;
	/* Read only when set: older callers' structures end before it. */
	if (attr->set & IPCMBOX_SET_REGION)
		c->region_size = attr->region_size;
}

IPCMBOX_EXPORT int ipcmbox_create(const char *name,
				  const struct ipcmbox_attr *attr)
{
	struct ipcmbox_create c;

	ipcmbox_attr_to_create(attr, &c);
	if (ipcmbox_set_name(c.name, sizeof(c.name), name))
		return -1;
	return ipcmbox_control_call(IPCMBOX_IOC_CREATE, &c);
}

IPCMBOX_EXPORT int ipcmbox_remove(const char *name)
{
	struct ipcmbox_name n;

	memset(&n, 0, sizeof(n));
	n.size = sizeof(n);
	if (ipcmbox_set_name(n.name, sizeof(n.name), name))
		return -1;
	return ipcmbox_control_call(IPCMBOX_IOC_REMOVE, &n);
}

IPCMBOX_EXPORT int ipcmbox_pair(const struct ipcmbox_attr *attr, int flags,
				int fds[2])
{
	struct ipcmbox_create c;

	if (!fds) {
		errno = EINVAL;
		return -1;
	}
	ipcmbox_attr_to_create(attr, &c);
	c.flags = flags;
	if (ipcmbox_control_call(IPCMBOX_IOC_PAIR, &c))
		return -1;
	fds[0] = c.recv_fd;
	fds[1] = c.send_fd;
	return 0;
}

IPCMBOX_EXPORT int ipcmbox_stat_name(const char *name,
				     struct ipcmbox_stat *st)
{
	if (!st) {
		errno = EINVAL;
		return -1;
	}
	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	if (ipcmbox_set_name(st->name, sizeof(st->name), name))
		return -1;
	return ipcmbox_control_call(IPCMBOX_IOC_STAT_NAME, st);
}

IPCMBOX_EXPORT int ipcmbox_list_next(int ctl_fd, struct ipcmbox_stat *st)
{
	uint32_t id;

	if (!st) {
		errno = EINVAL;
		return -1;
	}
	id = st->id;
	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	st->flags = IPCMBOX_STAT_NEXT;
	st->id = id;
	return ioctl(ctl_fd, IPCMBOX_IOC_STAT_NAME, st) < 0 ? -1 : 0;
}
