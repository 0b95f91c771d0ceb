// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * Mailbox-fd calls: open, send, receive, attributes.  No allocation: the
 * ioctl structures live on the caller's stack.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "internal.h"

IPCMBOX_EXPORT int ipcmbox_open(const char *name, int flags)
{
	char path[sizeof(IPCMBOX_DEV_DIR) + IPCMBOX_NAME_MAX + 1];

	if (!name || !*name || strchr(name, '/') ||
	    strlen(name) > IPCMBOX_NAME_MAX) {
		errno = name && strlen(name) > IPCMBOX_NAME_MAX ?
			ENAMETOOLONG : EINVAL;
		return -1;
	}
	if (flags & ~(O_ACCMODE | O_NONBLOCK)) {
		errno = EINVAL;
		return -1;
	}
	snprintf(path, sizeof(path), "%s/%s", IPCMBOX_DEV_DIR, name);
	return open(path, flags | O_CLOEXEC);
}

IPCMBOX_EXPORT void ipcmbox_io_prep(struct ipcmbox_io *io, const void *buf,
				    size_t len,
				    const struct ipcmbox_opts *opts, int send)
{
	memset(io, 0, sizeof(*io));
	io->size = sizeof(*io);
	io->buf = (uintptr_t)buf;
	io->len = len;
	if (opts) {
		io->flags = opts->flags;
		io->type = opts->type;
		/* A receive's priority is output only. */
		io->priority = send ? opts->priority : 0;
		io->clock = opts->clock;
		io->timeout_ns = opts->timeout_ns;
	}
}

void ipcmbox_io_envelope(const struct ipcmbox_io *io,
			 struct ipcmbox_envelope *env)
{
	env->seq = io->seq;
	env->msg_len = io->msg_len;
	env->type = io->type;
	env->priority = io->priority;
	env->pid = io->pid;
	env->tid = io->tid;
	env->uid = io->uid;
	env->gid = io->gid;
	env->enqueue_mono_ns = io->enqueue_mono_ns;
	env->enqueue_real_ns = io->enqueue_real_ns;
}

IPCMBOX_EXPORT ssize_t ipcmbox_io_result(int res, const struct ipcmbox_io *io,
					 struct ipcmbox_envelope *env)
{
	/* Of a send's structure, only seq is an output. */
	if (env && (res == 0 || res == -EMSGSIZE))
		ipcmbox_io_envelope(io, env);
	if (res < 0) {
		errno = -res;
		return -1;
	}
	return (ssize_t)io->len;
}

IPCMBOX_EXPORT int ipcmbox_send(int fd, const void *buf, size_t len,
				const struct ipcmbox_opts *opts, uint64_t *seq)
{
	struct ipcmbox_io io;

	ipcmbox_io_prep(&io, buf, len, opts, 1);
	if (ioctl(fd, IPCMBOX_IOC_SEND, &io) < 0)
		return -1;
	if (seq)
		*seq = io.seq;
	return 0;
}

IPCMBOX_EXPORT int ipcmbox_send_ref(int fd, const struct ipcmbox_chunk *chunk,
				    size_t len, const struct ipcmbox_opts *opts,
				    uint64_t *seq)
{
	struct ipcmbox_io io;

	if (!chunk) {
		errno = EINVAL;
		return -1;
	}
	ipcmbox_io_prep(&io, NULL, len, opts, 1);
	io.flags |= IPCMBOX_IO_REF;
	io.ref_offset = chunk->offset;
	if (ioctl(fd, IPCMBOX_IOC_SEND, &io) < 0)
		return -1;
	if (seq)
		*seq = io.seq;
	return 0;
}

IPCMBOX_EXPORT int ipcmbox_send_auto(int fd, const struct ipcmbox_map *map,
				     const void *buf, size_t len,
				     const struct ipcmbox_opts *opts,
				     uint64_t *seq)
{
	struct ipcmbox_chunk chunk;
	int err;

	if (!map || !map->writable || len < IPCMBOX_REF_THRESHOLD ||
	    len > map->size)
		return ipcmbox_send(fd, buf, len, opts, seq);
	if (ipcmbox_alloc(fd, len, &chunk, 1, opts) < 0)
		return -1;
	memcpy(ipcmbox_chunk_ptr(map, &chunk), buf, len);
	if (!ipcmbox_send_ref(fd, &chunk, len, opts, seq))
		return 0;
	err = errno;
	ipcmbox_release(fd, &chunk, 1);
	errno = err;
	return -1;
}

/* One receive; with @chunk, messages by reference are taken as such. */
static ssize_t ipcmbox_recv_io(int fd, void *buf, size_t len,
			       const struct ipcmbox_opts *opts,
			       struct ipcmbox_envelope *env,
			       struct ipcmbox_chunk *chunk)
{
	struct ipcmbox_io io;
	ssize_t ret;

	ipcmbox_io_prep(&io, buf, len, opts, 0);
	if (chunk)
		io.flags |= IPCMBOX_IO_REF;
	ret = ioctl(fd, IPCMBOX_IOC_RECV, &io);
	ret = ipcmbox_io_result(ret < 0 ? -errno : 0, &io, env);
	if (chunk && ret >= 0) {
		chunk->offset = io.msg_flags & IPCMBOX_MSG_REF ?
				io.ref_offset : IPCMBOX_NO_CHUNK;
		chunk->len = io.msg_flags & IPCMBOX_MSG_REF ? io.len : 0;
	}
	return ret;
}

IPCMBOX_EXPORT ssize_t ipcmbox_recv(int fd, void *buf, size_t len,
				    const struct ipcmbox_opts *opts,
				    struct ipcmbox_envelope *env)
{
	return ipcmbox_recv_io(fd, buf, len, opts, env, NULL);
}

IPCMBOX_EXPORT ssize_t ipcmbox_recv_ref(int fd, void *buf, size_t len,
					const struct ipcmbox_opts *opts,
					struct ipcmbox_envelope *env,
					struct ipcmbox_chunk *chunk)
{
	if (!chunk) {
		errno = EINVAL;
		return -1;
	}
	return ipcmbox_recv_io(fd, buf, len, opts, env, chunk);
}

IPCMBOX_EXPORT ssize_t ipcmbox_next_size(int fd)
{
	int len;

	if (ioctl(fd, FIONREAD, &len) < 0)
		return -1;
	return len;
}

IPCMBOX_EXPORT int ipcmbox_configure(int fd, const struct ipcmbox_attr *attr)
{
	struct ipcmbox_config c;

	if (!attr || (attr->set & IPCMBOX_SET_MODE)) {
		errno = EINVAL;
		return -1;
	}
	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	c.set = attr->set;
	c.capacity = attr->capacity;
	c.max_msg = attr->max_msg;
	c.max_bytes = attr->max_bytes;
	return ioctl(fd, IPCMBOX_IOC_CONFIG, &c) < 0 ? -1 : 0;
}

/* Sends a struct ipcmbox_owner with @set and the given fields. */
static int ipcmbox_set_owner(int fd, uint32_t set, uint32_t uid, uint32_t gid,
			     uint32_t mode)
{
	struct ipcmbox_owner o;

	memset(&o, 0, sizeof(o));
	o.size = sizeof(o);
	o.set = set;
	o.uid = uid;
	o.gid = gid;
	o.mode = mode;
	return ioctl(fd, IPCMBOX_IOC_SET_OWNER, &o) < 0 ? -1 : 0;
}

IPCMBOX_EXPORT int ipcmbox_chmod(int fd, mode_t mode)
{
	if (mode & ~(mode_t)0777) {
		errno = EINVAL;
		return -1;
	}
	return ipcmbox_set_owner(fd, IPCMBOX_SET_MODE, 0, 0, mode);
}

IPCMBOX_EXPORT int ipcmbox_chown(int fd, uid_t owner, gid_t group)
{
	uint32_t set = 0;

	if (owner != (uid_t)-1)
		set |= IPCMBOX_SET_UID;
	if (group != (gid_t)-1)
		set |= IPCMBOX_SET_GID;
	if (!set) {
		errno = EINVAL;
		return -1;
	}
	return ipcmbox_set_owner(fd, set, set & IPCMBOX_SET_UID ? owner : 0,
				 set & IPCMBOX_SET_GID ? group : 0, 0);
}
