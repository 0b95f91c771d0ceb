#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# examples_test.sh - the lecture-scene examples (examples/*_vs_*.c) run and
# show what they claim: each exits 0 and prints the lines that make its
# point.  Prints TAP and a "# Totals:" line.
dir=$(cd "$(dirname "$0")" && pwd)
PATH=$dir/../bin:$dir/../../examples:$PATH
pass=0 fail=0 n=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT

[ -d /dev/ipcmbox ] || { echo "1..0 # SKIP ipcmbox module not loaded"; exit 4; }
echo "TAP version 13"

# check PROGRAM "WHAT IT SHOWS" PATTERN...: every fixed-string PATTERN is
# a line (part) of its output.
check() {
	prog=$1 what=$2
	shift 2
	n=$((n + 1))
	if ! command -v "$prog" > /dev/null; then
		fail=$((fail + 1))
		echo "not ok $n $prog: not built"
		return
	fi
	"$prog" > "$out" 2>&1
	rc=$?
	bad=
	for p in "$@"; do
		grep -qF -- "$p" "$out" || bad="$bad [$p]"
	done
	if [ $rc = 0 ] && [ -z "$bad" ]; then
		pass=$((pass + 1))
		echo "ok $n $prog: $what"
	else
		fail=$((fail + 1))
		sed 's/^/# /' "$out"
		echo "not ok $n $prog: $what (exit $rc, missing:$bad)"
	fi
}

check pipe_vs_mailbox "a pipe merges writes, a mailbox keeps them" \
	"pipe parent: read() #1 returned 17 bytes: 'alphabravocharlie'" \
	"mailbox parent: read() #3 returned 7 bytes: 'charlie'" \
	"mailbox parent: end of file after 3 reads"
check fifo_vs_named "a FIFO needs a reader, a named mailbox keeps messages" \
	"with no reader: No such device or address" \
	"reader: got 'second' from pid"
check mq_vs_mailbox "type selectors match System V msgtyp" \
	"child msgrcv(msgtyp -3): type 1 'answer the customer'" \
	"child recv(type 2): type 2 'rotate the logs' from pid" \
	"child recv(type -3): type 3 'resize the images' from pid"
check signal_vs_sigio "signals coalesce, messages do not" \
	"parent: 1 SIGUSR1 delivered" "parent: message 3: 'user left'" \
	"end of file (the child is gone)"
check socket_vs_mailbox "request and reply, socket and mailboxes" \
	"client" "1+10 = 11" "2+20 = 22" "server: '1+10' from pid"
check uring_server "one process serves 100 mailboxes through one io_uring, no worker" \
	"served 2000 messages from 100 mailboxes through one ring" \
	"types and sender pid as sent: yes" "io-wq worker threads: 0"
check log_shipper "packed batches: many lines per system call, each whole and in order" \
	"shipper: 20000 lines in 313 calls" \
	"receiver: 20000 lines in" \
	"receiver: 0 of 20000 lines out of order, torn or misattributed"
check shm_vs_region "the notes' shm buffer spins; the region version sleeps and keeps count" \
	"classic: shmget bounded buffer, busy wait, shared count" \
	"both sides spin while they wait" \
	"region: a mailbox with a shared region, one chunk per item" \
	"consumer took 20000 of 20000 items, 0 not the item expected next" \
	"both sides sleep while they wait"

echo "1..$n"
echo "# Totals: pass:$pass fail:$fail xfail:0 xpass:0 skip:0 error:0"
[ "$fail" = 0 ]
