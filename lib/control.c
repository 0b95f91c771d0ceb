// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * Control-node calls: opening /dev/ipcmbox/control, module information,
 * and creating, removing, pairing and looking up mailboxes, each through a
 * control descriptor the caller holds (_at) or one opened for the call.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "internal.h"

IPCMBOX_EXPORT const char *ipcmbox_lib_version(void)
{
	return IPCMBOX_LIB_VERSION;
}

IPCMBOX_EXPORT int ipcmbox_lib_at_least(unsigned int major,
					unsigned int minor)
{
	static const unsigned int lib_major = IPCMBOX_LIB_MAJOR;
	static const unsigned int lib_minor = IPCMBOX_LIB_MINOR;

	return lib_major > major || (lib_major == major && lib_minor >= minor);
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

int ipcmbox_control_call(int ctl_fd, unsigned long cmd, void *arg)
{
	int fd = ctl_fd == CONTROL_FOR_CALL ? ipcmbox_control_open() : ctl_fd;
	int ret, err;

	if (fd < 0 && ctl_fd == CONTROL_FOR_CALL)
		return -1;
	ret = ioctl(fd, cmd, arg);
	if (ctl_fd == CONTROL_FOR_CALL) {
		err = errno;
		close(fd);
		errno = err;
	}
	return ret < 0 ? -1 : ret;
}

int ipcmbox_set_name(char *dst, size_t size, const char *name)
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

static int ipcmbox_do_create(int ctl_fd, const char *name,
			     const struct ipcmbox_attr *attr)
{
	struct ipcmbox_create c;

	ipcmbox_attr_to_create(attr, &c);
	if (ipcmbox_set_name(c.name, sizeof(c.name), name))
		return -1;
	return ipcmbox_control_call(ctl_fd, IPCMBOX_IOC_CREATE, &c);
}

IPCMBOX_EXPORT int ipcmbox_create_at(int ctl_fd, const char *name,
				     const struct ipcmbox_attr *attr)
{
	if (ctl_fd < 0) {
		errno = EBADF;
		return -1;
	}
	return ipcmbox_do_create(ctl_fd, name, attr);
}

IPCMBOX_EXPORT int ipcmbox_create(const char *name,
				  const struct ipcmbox_attr *attr)
{
	return ipcmbox_do_create(CONTROL_FOR_CALL, name, attr);
}

static int ipcmbox_do_remove(int ctl_fd, const char *name)
{
	struct ipcmbox_name n;

	memset(&n, 0, sizeof(n));
	n.size = sizeof(n);
	if (ipcmbox_set_name(n.name, sizeof(n.name), name))
		return -1;
	return ipcmbox_control_call(ctl_fd, IPCMBOX_IOC_REMOVE, &n);
}

IPCMBOX_EXPORT int ipcmbox_remove_at(int ctl_fd, const char *name)
{
	if (ctl_fd < 0) {
		errno = EBADF;
		return -1;
	}
	return ipcmbox_do_remove(ctl_fd, name);
}

IPCMBOX_EXPORT int ipcmbox_remove(const char *name)
{
	return ipcmbox_do_remove(CONTROL_FOR_CALL, name);
}

static int ipcmbox_do_pair(int ctl_fd, const struct ipcmbox_attr *attr,
			   int flags, int fds[2])
{
	struct ipcmbox_create c;

	if (!fds) {
		errno = EINVAL;
		return -1;
	}
	ipcmbox_attr_to_create(attr, &c);
	c.flags = flags;
	if (ipcmbox_control_call(ctl_fd, IPCMBOX_IOC_PAIR, &c))
		return -1;
	fds[0] = c.recv_fd;
	fds[1] = c.send_fd;
	return 0;
}

IPCMBOX_EXPORT int ipcmbox_pair_at(int ctl_fd,
				   const struct ipcmbox_attr *attr, int flags,
				   int fds[2])
{
	if (ctl_fd < 0) {
		errno = EBADF;
		return -1;
	}
	return ipcmbox_do_pair(ctl_fd, attr, flags, fds);
}

IPCMBOX_EXPORT int ipcmbox_pair(const struct ipcmbox_attr *attr, int flags,
				int fds[2])
{
	return ipcmbox_do_pair(CONTROL_FOR_CALL, attr, flags, fds);
}

/*
 * CREATE with the _OPEN_ flags (module ABI v5): the new mailbox and an fd
 * on it in one call.  A module without them refuses the flags with
 * EINVAL; then, and only then, the mailbox is created and opened in two
 * steps.
 */
static int ipcmbox_create_fd(int ctl_fd, const char *name, int oflag,
			     const struct ipcmbox_attr *attr)
{
	int acc = oflag & O_ACCMODE, ctl = ctl_fd, fd = -1, err = 0;
	struct ipcmbox_info info;
	struct ipcmbox_create c;

	ipcmbox_attr_to_create(attr, &c);
	if (ipcmbox_set_name(c.name, sizeof(c.name), name))
		return -1;
	c.flags = IPCMBOX_CREATE_CLOEXEC |
		  (oflag & O_NONBLOCK ? IPCMBOX_CREATE_NONBLOCK : 0) |
		  (acc != O_WRONLY ? IPCMBOX_CREATE_OPEN_RECV : 0) |
		  (acc != O_RDONLY ? IPCMBOX_CREATE_OPEN_SEND : 0);
	if (ctl_fd == CONTROL_FOR_CALL) {
		ctl = ipcmbox_control_open();
		if (ctl < 0)
			return -1;
	}
	if (ioctl(ctl, IPCMBOX_IOC_CREATE, &c) == 0) {
		fd = acc == O_WRONLY ? c.send_fd : c.recv_fd;
	} else {
		err = errno;
		if (err == EINVAL && !ipcmbox_get_info(ctl, &info) &&
		    !(info.features & IPCMBOX_FEAT_CREATE_OPEN)) {
			c.flags = 0;
			err = 0;
			if (ioctl(ctl, IPCMBOX_IOC_CREATE, &c))
				err = errno;
			else
				fd = ipcmbox_open(name, oflag &
						  (O_ACCMODE | O_NONBLOCK));
			if (fd < 0 && !err)
				err = errno;
		}
	}
	if (ctl_fd == CONTROL_FOR_CALL)
		close(ctl);
	if (fd < 0)
		errno = err;
	return fd;
}

/* Rounds of create-or-open a removal racing with O_CREAT may cost. */
#define OPEN_CREATE_TRIES 16

static int ipcmbox_do_open_attr(int ctl_fd, const char *name, int oflag,
				const struct ipcmbox_attr *attr)
{
	int fd, i;

	if (oflag & ~(O_ACCMODE | O_NONBLOCK | O_CREAT | O_EXCL | O_CLOEXEC) ||
	    (oflag & O_ACCMODE) == O_ACCMODE ||
	    ((oflag & O_EXCL) && !(oflag & O_CREAT))) {
		errno = EINVAL;
		return -1;
	}
	if (!(oflag & O_CREAT))
		return ipcmbox_open(name, oflag & (O_ACCMODE | O_NONBLOCK));
	if (oflag & O_EXCL)
		return ipcmbox_create_fd(ctl_fd, name, oflag, attr);
	/* Create it, or open the one there; it may go in between. */
	for (i = 0; i < OPEN_CREATE_TRIES; i++) {
		fd = ipcmbox_create_fd(ctl_fd, name, oflag, attr);
		if (fd >= 0 || errno != EEXIST)
			return fd;
		fd = ipcmbox_open(name, oflag & (O_ACCMODE | O_NONBLOCK));
		if (fd >= 0 || errno != ENOENT)
			return fd;
	}
	return -1;
}

IPCMBOX_EXPORT int ipcmbox_open_attr_at(int ctl_fd, const char *name,
					int oflag,
					const struct ipcmbox_attr *attr)
{
	if (ctl_fd < 0) {
		errno = EBADF;
		return -1;
	}
	return ipcmbox_do_open_attr(ctl_fd, name, oflag, attr);
}

IPCMBOX_EXPORT int ipcmbox_open_attr(const char *name, int oflag,
				     const struct ipcmbox_attr *attr)
{
	return ipcmbox_do_open_attr(CONTROL_FOR_CALL, name, oflag, attr);
}
