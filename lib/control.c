// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * Control-node calls: opening /dev/ipcmbox/control and module information.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>

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
