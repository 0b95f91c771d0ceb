/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * Private helpers of libipcmbox; not installed.
 */
#ifndef IPCMBOX_INTERNAL_H
#define IPCMBOX_INTERNAL_H

#include "ipcmbox.h"

/* Symbols are hidden by default; this marks the public ones. */
#define IPCMBOX_EXPORT __attribute__((visibility("default")))

/* Copies the envelope a receive wrote into @io to @env. */
void ipcmbox_io_envelope(const struct ipcmbox_io *io,
			 struct ipcmbox_envelope *env);

#endif /* IPCMBOX_INTERNAL_H */
