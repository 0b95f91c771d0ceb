/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef IPCMBOX_TOOLS_JSON_H
#define IPCMBOX_TOOLS_JSON_H

#include <stdio.h>

/*
 * Writes @s as a JSON string, quoted: '"' and '\\' escaped, control
 * characters as \uXXXX, other bytes (UTF-8 included) as they are.  The one
 * escaper of the tools (the CLI and ipcmbox-bench).
 */
void json_str(FILE *f, const char *s);

#endif /* IPCMBOX_TOOLS_JSON_H */
