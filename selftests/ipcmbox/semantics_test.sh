#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# semantics_test.sh - ipcmbox-bench --semantics measures what the textbooks
# and the ipcmbox contract say: each line below is one fact a probe must
# find (a pipe merges writes and ends in EOF and EPIPE; a POSIX queue
# holds 10 messages by default and outlives its processes; a bounded
# mailbox holds its capacity, blocks a full sender and tells the receiver
# the sender's pid ...).  A probe that saw anything else fails.  With the
# guest's default IPC limits.  On debug kernels (IPCMBOX_ORACLE=1) only
# pipe and the ipcmbox mechanisms run.  Prints TAP and a "# Totals:" line.
dir=$(cd "$(dirname "$0")" && pwd)
PATH=$dir:$dir/../bin:$dir/../tools/bench:$PATH
pass=0 fail=0 n=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT

command -v ipcmbox-bench > /dev/null ||
	{ echo "1..0 # SKIP ipcmbox-bench not built"; exit 4; }
[ -d /dev/ipcmbox ] || { echo "1..0 # SKIP ipcmbox module not loaded"; exit 4; }

mechs=pipe,fifo,unix-stream,unix-dgram,unix-seqpacket,posix-mq,sysv-msg,shm,rt-signal
[ -e /proc/net/tcp ] && mechs=$mechs,tcp
[ "${IPCMBOX_ORACLE:-0}" = 1 ] && mechs=pipe
mechs=$mechs,ipcmbox-zero,ipcmbox-bounded,ipcmbox-unbounded,ipcmbox-pair,ipcmbox-region

echo "TAP version 13"
ipcmbox-bench --semantics -m "$mechs" > "$out" 2> /dev/null
rc=$?
n=1
if [ $rc = 0 ]; then
	pass=1
	echo "ok 1 ipcmbox-bench --semantics -m $mechs"
else
	fail=1
	echo "not ok 1 ipcmbox-bench --semantics exits $rc"
fi
sed 's/^/# /' "$out"

# fact MECH LABEL EXPECTED: the cell LABEL of MECH starts with EXPECTED.
fact() {
	got=$(sed -n "/^$1 (/,/^\$/p" "$out" | grep "^  $2 " | cut -c41-)
	n=$((n + 1))
	case "$got" in
	"$3"*) pass=$((pass + 1)); echo "ok $n $1: $2: $3" ;;
	*) fail=$((fail + 1)); echo "not ok $n $1: $2: '$got', not '$3...'" ;;
	esac
}
has() { case ",$mechs," in *",$1,"*) return 0 ;; esac; return 1; }

B="message boundaries" CAP="capacity (filled until a send fails)"
FNB="full, non-blocking sender gets" FB="full, blocking sender"
WG="reader, after the writer exited" RG="writer, after the reader exited"
P="after every process exited" U="unrelated process (exec'd, no fds)"
POLL="poll(2) on the receiving end" ID="receiver told the sender's pid"
DIR="direction on one object"

fact pipe "$B" "merged: one read of 8 B"
fact pipe "$CAP" "1024 x 64 B"
fact pipe "$FNB" "EAGAIN"
fact pipe "$FB" "blocks"
fact pipe "$WG" "end of file"
fact pipe "$RG" "EPIPE"
fact pipe "$P" "gone with its last descriptor"
fact pipe "$U" "no"
fact pipe "$POLL" "yes"
fact pipe "$ID" "no"
fact pipe "$DIR" "one-way"
if has fifo; then
	fact fifo "$B" "merged"
	fact fifo "$P" "name kept, message lost"
	fact fifo "$U" "yes, by path"
	fact unix-stream "$B" "merged"
	fact unix-stream "$ID" "yes: its pid"
	fact unix-stream "$RG" "EPIPE"
	fact unix-dgram "$B" "kept: reads of 3 B, 5 B"
	fact unix-seqpacket "$B" "kept: reads of 3 B, 5 B"
	fact unix-seqpacket "$DIR" "two-way"
	fact posix-mq "$B" "kept"
	fact posix-mq "$CAP" "10 x 64 B"
	fact posix-mq "$FB" "blocks"
	fact posix-mq "$P" "message kept until removed"
	fact posix-mq "$U" "yes, by /name"
	fact posix-mq "$POLL" "yes"
	fact posix-mq "$ID" "no"
	fact sysv-msg "$CAP" "256 x 64 B"
	fact sysv-msg "$P" "message kept until removed"
	fact sysv-msg "$POLL" "no descriptor"
	fact shm "$B" "overwritten"
	fact shm "$FNB" "never full"
	fact shm "$POLL" "always readable"
	fact shm "$P" "message kept until removed"
	fact rt-signal "$B" "kept"
	fact rt-signal "$FNB" "EAGAIN"
	fact rt-signal "$RG" "ESRCH"
	fact rt-signal "$ID" "yes: its pid"
	fact rt-signal "$P" "gone"
fi
if has tcp; then
	fact tcp "$B" "merged"
	fact tcp "$RG" "accepted, then EPIPE"
fi
fact ipcmbox-zero "$B" "kept: reads of 3 B, 5 B"
fact ipcmbox-zero "$CAP" "0 x 64 B"
fact ipcmbox-zero "$FNB" "EAGAIN"
fact ipcmbox-zero "$FB" "blocks"
fact ipcmbox-zero "$RG" "blocks"
fact ipcmbox-zero "$POLL" "yes: POLLIN once a sender waits"
fact ipcmbox-zero "$ID" "yes: its pid"
fact ipcmbox-bounded "$B" "kept: reads of 3 B, 5 B"
fact ipcmbox-bounded "$CAP" "64 x 64 B"
fact ipcmbox-bounded "$FNB" "EAGAIN"
fact ipcmbox-bounded "$FB" "blocks"
fact ipcmbox-bounded "$WG" "blocks"
fact ipcmbox-bounded "$RG" "accepted"
fact ipcmbox-bounded "$P" "message kept until removed"
fact ipcmbox-bounded "$U" "yes, by /dev/ipcmbox/NAME"
fact ipcmbox-bounded "$POLL" "yes: POLLIN once a message waits"
fact ipcmbox-bounded "$ID" "yes: its pid, per message"
fact ipcmbox-bounded "$DIR" "two-way"
fact ipcmbox-unbounded "$CAP" "no limit met"
fact ipcmbox-unbounded "$FNB" "never full"
fact ipcmbox-unbounded "$P" "message kept until removed"
fact ipcmbox-pair "$B" "kept"
fact ipcmbox-pair "$WG" "EPIPE"
fact ipcmbox-pair "$RG" "EPIPE"
fact ipcmbox-pair "$P" "gone with its last descriptor"
fact ipcmbox-pair "$U" "no"
fact ipcmbox-pair "$DIR" "one-way"
# By reference, a bounded mailbox keeps every one of its properties.
fact ipcmbox-region "$B" "kept: reads of 3 B, 5 B"
fact ipcmbox-region "$CAP" "64 x 64 B"
fact ipcmbox-region "$FNB" "EAGAIN"
fact ipcmbox-region "$FB" "blocks"
fact ipcmbox-region "$WG" "blocks"
fact ipcmbox-region "$RG" "accepted"
fact ipcmbox-region "$P" "message kept until removed"
fact ipcmbox-region "$U" "yes, by /dev/ipcmbox/NAME"
fact ipcmbox-region "$POLL" "yes: POLLIN once a message waits"
fact ipcmbox-region "$ID" "yes: its pid, per message"
fact ipcmbox-region "$DIR" "two-way"
# Every probe ran: no cell is empty or a setup failure.
n=$((n + 1))
if grep -E '^  [a-z].{36} (-|create: |open: |fill: )' "$out" > /dev/null; then
	fail=$((fail + 1))
	echo "not ok $n every probe ran (a cell is empty or failed at setup)"
else
	pass=$((pass + 1))
	echo "ok $n every probe ran"
fi
# No mailbox is left behind.
n=$((n + 1))
left=$(find /dev/ipcmbox -name 'ipcmbox-sem-*' | tr '\n' ' ')
if [ -n "$left" ]; then
	fail=$((fail + 1))
	echo "not ok $n no mailbox left behind: $left"
else
	pass=$((pass + 1))
	echo "ok $n no mailbox left behind"
fi

echo "1..$n"
echo "# Totals: pass:$pass fail:$fail xfail:0 xpass:0 skip:0 error:0"
[ "$fail" = 0 ]
