#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# demo.sh - what ipcmbox does today, run inside a guest by `make demo`.
# Each step prints the command it runs, as a user would type it.
set -e
run() { echo; echo "\$ $1"; eval "$1"; }

echo "=== ipcmbox demo on Linux $(uname -r)"
run 'insmod /ipcmbox/kmod/ipcmbox.ko mailboxes=jobs:4,sync:0'
run 'ls -l /dev/ipcmbox/'
run 'ipcmbox version'
run 'ipcmbox info'

echo
echo "# A bounded mailbox keeps each write as one message, in order."
echo "# dd reads one message per block (8192 bytes: the largest message)."
run 'echo "first job" > /dev/ipcmbox/jobs'
run 'printf "second job" > /dev/ipcmbox/jobs'
run 'dd if=/dev/ipcmbox/jobs bs=8192 count=1 2>/dev/null'
run 'dd if=/dev/ipcmbox/jobs bs=8192 count=1 2>/dev/null; echo'

echo
echo "# A rendezvous mailbox (capacity 0) holds nothing: a send waits until"
echo "# a receiver has taken the message."
run 'dd if=/dev/ipcmbox/sync bs=8192 count=1 2>/dev/null > /tmp/got & reader=$!'
run 'echo "hand-off" > /dev/ipcmbox/sync'
run 'wait $reader; cat /tmp/got'

echo
echo "# The ipcmbox command: create, send, inspect, receive, remove."
run 'ipcmbox create tasks --capacity 8 --mode 0660'
run 'ipcmbox send tasks --priority 1 "wash up" "buy milk"'
run 'ipcmbox send tasks --priority 9 "fix the leak"'
run 'ipcmbox ls'
run 'ipcmbox recv tasks --count 3 --envelope'
run 'ipcmbox recv tasks --timeout 200 || echo "(exit status $?)"'
run 'ipcmbox rm tasks'

echo
echo "# From C (examples/hello_mailbox.c): priorities, sender identity, and an"
echo "# anonymous mailbox used like a pipe between parent and child."
run 'hello_mailbox'

echo
echo "# The lecture's scenes, each with the classic mechanism first and a"
echo "# mailbox second (examples/*_vs_*.c)."
echo "# Parent and child: a pipe is a byte stream, a mailbox keeps messages."
run 'pipe_vs_mailbox'
echo "# Unrelated processes by name: a FIFO holds nothing; a mailbox persists."
run 'fifo_vs_named'
echo "# Typed messages: System V msgrcv against the mailbox's type selector."
run 'mq_vs_mailbox'
echo "# Notification: signals coalesce and carry nothing; SIGIO + messages."
run 'signal_vs_sigio'
echo "# Request and reply: a Unix socket server against two mailboxes."
run 'socket_vs_mailbox'
echo "# Producer and consumer in shared memory: the notes' shmget bounded"
echo "# buffer (busy wait, a shared count that races), then the buffer in a"
echo "# mailbox's shared region, with the mailbox as the synchronisation."
run 'shm_vs_region'

echo
echo "# A mailbox with a shared region, from the shell: the size is rounded"
echo "# up to pages; messages sent by reference are copied out for readers"
echo "# that do not map the region (see Documentation/userspace-api.rst)."
run 'ipcmbox create frames --capacity 8 --region 1M'
run 'ipcmbox ls'
run 'ipcmbox stat frames | grep region'
run 'ipcmbox rm frames'

echo
echo "# While a process holds a node open, the module stays:"
exec 3</dev/ipcmbox/control
echo "\$ rmmod ipcmbox    # with fd 3 open on /dev/ipcmbox/control"
if rmmod ipcmbox; then
	echo "demo: unexpected: module unloaded while in use" >&2
	exit 1
fi
exec 3<&-
run 'rmmod ipcmbox'
run 'ls /dev/ipcmbox 2>&1 || true'
echo
echo "=== demo done"
