// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * Shared regions: mapping a mailbox's region, and its chunks.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"

/* A descriptor that can map @fd's region; *@owned when it is a new one. */
static int ipcmbox_region_map_fd(int fd, int accmode, int *owned)
{
	struct ipcmbox_region_fd rf;

	*owned = 0;
	if (accmode != O_WRONLY)
		return fd;
	/* The VFS maps only descriptors open for reading. */
	memset(&rf, 0, sizeof(rf));
	rf.size = sizeof(rf);
	rf.flags = IPCMBOX_REGION_CLOEXEC;
	if (ioctl(fd, IPCMBOX_IOC_REGION_FD, &rf) < 0)
		return -1;
	*owned = 1;
	return rf.fd;
}

IPCMBOX_EXPORT int ipcmbox_region_map(int fd, struct ipcmbox_map *map)
{
	struct ipcmbox_stat st;
	int flags, mfd, owned, err;
	void *base;

	if (!map) {
		errno = EINVAL;
		return -1;
	}
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || ipcmbox_stat(fd, &st))
		return -1;
	if (!st.region_size) {
		errno = ENODEV;
		return -1;
	}
	mfd = ipcmbox_region_map_fd(fd, flags & O_ACCMODE, &owned);
	if (mfd < 0)
		return -1;
	map->writable = (flags & O_ACCMODE) != O_RDONLY;
	base = mmap(NULL, st.region_size,
		    PROT_READ | (map->writable ? PROT_WRITE : 0), MAP_SHARED,
		    mfd, 0);
	err = errno;
	if (owned)
		close(mfd);
	if (base == MAP_FAILED) {
		errno = err;
		return -1;
	}
	map->base = base;
	map->size = st.region_size;
	return 0;
}

IPCMBOX_EXPORT int ipcmbox_region_unmap(struct ipcmbox_map *map)
{
	int ret;

	if (!map || !map->base) {
		errno = EINVAL;
		return -1;
	}
	ret = munmap(map->base, map->size);
	if (!ret)
		memset(map, 0, sizeof(*map));
	return ret;
}

IPCMBOX_EXPORT int ipcmbox_alloc(int fd, size_t len,
				 struct ipcmbox_chunk *chunks,
				 unsigned int count,
				 const struct ipcmbox_opts *opts)
{
	struct ipcmbox_chunks c;

	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	c.chunks = (uintptr_t)chunks;
	c.count = count;
	c.len = len;
	if (opts) {
		c.flags = opts->flags;
		c.clock = opts->clock;
		c.timeout_ns = opts->timeout_ns;
	}
	if (ioctl(fd, IPCMBOX_IOC_ALLOC, &c) < 0)
		return -1;
	return (int)c.count;
}

IPCMBOX_EXPORT int ipcmbox_release(int fd, const struct ipcmbox_chunk *chunks,
				   unsigned int count)
{
	struct ipcmbox_chunks c;

	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	c.chunks = (uintptr_t)chunks;
	c.count = count;
	return ioctl(fd, IPCMBOX_IOC_RELEASE, &c) < 0 ? -1 : 0;
}
