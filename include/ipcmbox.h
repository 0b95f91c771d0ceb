/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * libipcmbox - C interface to the ipcmbox kernel mailboxes.
 *
 * Every call returns 0 (or a file descriptor) on success and -1 with errno
 * set on failure, like the system calls it wraps.  The library keeps no
 * global state and is safe to call from any thread.
 */
#ifndef IPCMBOX_H
#define IPCMBOX_H

#include <linux/ipcmbox.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Directory holding the device nodes and the control node's path. */
#define IPCMBOX_DEV_DIR		"/dev/ipcmbox"
#define IPCMBOX_CONTROL_PATH	IPCMBOX_DEV_DIR "/control"

/* Version of the library as "MAJOR.MINOR.PATCH". */
const char *ipcmbox_lib_version(void);

/*
 * Opens /dev/ipcmbox/control read-write and close-on-exec.
 * Returns the descriptor, or -1 with errno (ENOENT: module not loaded).
 */
int ipcmbox_control_open(void);

/*
 * Fills @info with the running module's description through the control
 * descriptor @ctl_fd.  The library sets info->size itself.
 */
int ipcmbox_get_info(int ctl_fd, struct ipcmbox_info *info);

#ifdef __cplusplus
}
#endif

#endif /* IPCMBOX_H */
