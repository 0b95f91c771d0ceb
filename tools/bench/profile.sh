#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# profile.sh OUTDIR [MECHANISM,...] - `make profile`: where a message's
# instructions go, for pipe, POSIX mq and ipcmbox, in a one-CPU 6.12 guest
# in instruction-count mode (run-vm.sh --icount), so that every figure
# repeats exactly.  Writes to OUTDIR:
#
#   callcost.txt     ipcmbox-callcost: instructions per send and per
#                    receive of each mechanism (64 B, nobody waiting)
#   graph-NAME.txt   ftrace function_graph of the last send and receive of
#                    one round of NAME, to depth $IPCMBOX_PROFILE_DEPTH
#                    (default 4), from the functions in
#                    $IPCMBOX_PROFILE_FUNCS (default the system calls'
#                    entries: ksys_write, ksys_read, __x64_sys_ioctl,
#                    __x64_sys_mq_timedsend and _timedreceive), tracing
#                    only the functions in $IPCMBOX_PROFILE_FILTER when it
#                    is set (each traced call costs the tracer's own
#                    instructions: fewer traced, truer times).  Its times are instructions, but every
#                    traced call adds the tracer's own: read the shares
#                    and the call tree from it, the totals from
#                    callcost.txt.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
out=${1:?usage: profile.sh OUTDIR [MECHANISM,...]}
mechs=${2:-pipe,posix-mq,pipe-writev-b8,pipe-writev-b64,ipcmbox-bounded,ipcmbox-unbounded,ipcmbox-bounded-ioctl,ipcmbox-batch-b1,ipcmbox-batch-b8,ipcmbox-batch-b64,ipcmbox-packed-b8,ipcmbox-packed-b64}
depth=${IPCMBOX_PROFILE_DEPTH:-4}
funcs=${IPCMBOX_PROFILE_FUNCS:-ksys_write ksys_read __x64_sys_ioctl __x64_sys_mq_timedsend __x64_sys_mq_timedreceive}
filter=${IPCMBOX_PROFILE_FILTER:-}
mkdir -p "$out"
out=$(cd "$out" && pwd)

# The system-call entry of each mechanism's send and receive.
cat > "$out/guest.sh" <<'GUEST'
set -e
insmod /ipcmbox/kmod/ipcmbox.ko
mount -t tracefs nodev /sys/kernel/tracing
t=/sys/kernel/tracing
echo "@@callcost"
ipcmbox-callcost -r 500 -m "$MECHS"
for m in $(echo "$MECHS" | tr , ' '); do
	echo 0 > $t/tracing_on
	echo nop > $t/current_tracer
	: > $t/set_graph_function
	for f in $FUNCS; do
		echo $f >> $t/set_graph_function 2>/dev/null ||
			echo "profile: $f cannot be traced" >&2
	done
	: > $t/set_ftrace_filter
	for f in $FILTER; do
		echo $f >> $t/set_ftrace_filter 2>/dev/null ||
			echo "profile: $f cannot be traced" >&2
	done
	echo "$DEPTH" > $t/max_graph_depth
	echo function_graph > $t/current_tracer
	echo funcgraph-proc > $t/trace_options 2>/dev/null || true
	: > $t/trace
	echo 1 > $t/tracing_on
	ipcmbox-callcost -r 1 -m "$m" > /dev/null
	echo 0 > $t/tracing_on
	echo "@@graph $m"
	cat $t/trace
done
echo "@@end"
GUEST

"$top/tools/vm/run-vm.sh" -k 6.12 --smp 1 --icount -t "${IPCMBOX_PROFILE_TIMEOUT:-1800}" \
	-c "$out/guest.sh:/ipcmbox/profile.sh" -- \
	"MECHS=$mechs DEPTH=$depth FUNCS='$funcs' FILTER='$filter' sh /ipcmbox/profile.sh" > "$out/guest.log"
rm -f "$out/guest.sh"

# Split the guest's output; keep of each graph the last send and receive
# (the tail of the round: warm, nothing queued before them).
awk -v out="$out" '
	/^@@callcost/ { f = out "/callcost.txt"; printf "" > f; next }
	/^@@graph / { f = out "/graph-" $2 ".txt"; printf "" > f; next }
	/^@@end/ { f = ""; next }
	f != "" { print > f }
' "$out/guest.log"
[ -s "$out/callcost.txt" ] || { echo "profile.sh: no callcost table; see $out/guest.log" >&2; exit 1; }
cat "$out/callcost.txt"
echo "profile.sh: call graphs in $out/graph-*.txt"
