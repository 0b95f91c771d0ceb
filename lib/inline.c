// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * The per-message helpers that <ipcmbox.h> defines inline (IPCMBOX_INLINE),
 * compiled once more here as the library's exported symbols, for callers
 * that do not compile the header: bindings of other languages, and
 * programs linked against an older header.
 */
#define IPCMBOX_INLINE __attribute__((visibility("default")))

#include "internal.h"
