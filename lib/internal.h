/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * Private helpers of libipcmbox; not installed.
 */
#ifndef IPCMBOX_INTERNAL_H
#define IPCMBOX_INTERNAL_H

#include <limits.h>
#include <stddef.h>

#include "ipcmbox.h"

/* Symbols are hidden by default; this marks the public ones. */
#define IPCMBOX_EXPORT __attribute__((visibility("default")))

/* Copies the envelope a receive wrote into @io to @env. */
void ipcmbox_io_envelope(const struct ipcmbox_io *io,
			 struct ipcmbox_envelope *env);

/*
 * Runs @cmd on @ctl_fd, or, when @ctl_fd is CONTROL_FOR_CALL, on a control
 * descriptor opened for the call (the calls without _at).
 */
#define CONTROL_FOR_CALL INT_MIN
int ipcmbox_control_call(int ctl_fd, unsigned long cmd, void *arg);

/* Copies @name into a name field; ENAMETOOLONG when it does not fit. */
int ipcmbox_set_name(char *dst, size_t size, const char *name);

#endif /* IPCMBOX_INTERNAL_H */
