#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# demo.sh - what ipcmbox does today, run inside a guest by `make demo`.
# Each step prints the command it runs, as a user would type it.
set -e
step() { echo; echo "\$ $*"; "$@"; }

echo "=== ipcmbox demo on Linux $(uname -r)"
step insmod /ipcmbox/kmod/ipcmbox.ko
step ls -l /dev/ipcmbox/
step ipcmbox version
step ipcmbox info
step cat /sys/module/ipcmbox/parameters/max_mailboxes

echo
echo "# While a process holds the control node open, the module stays:"
exec 3</dev/ipcmbox/control
echo "\$ rmmod ipcmbox    # with fd 3 open"
if rmmod ipcmbox; then
	echo "demo: unexpected: module unloaded while in use" >&2
	exit 1
fi
exec 3<&-
step rmmod ipcmbox
step ls /dev/ipcmbox 2>&1 || true
echo
echo "=== demo done"
