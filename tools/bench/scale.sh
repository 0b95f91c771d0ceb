#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# scale.sh OUTDIR - `make scale`: ipcmbox-scale in a two-CPU 6.12 guest
# (pairs of senders and receivers on distinct mailboxes and on one shared
# mailbox, beside POSIX mq; 10 to 10,000 mailboxes created, used and
# removed, and the kernel memory of an empty one).  Writes OUTDIR/scale.txt
# and OUTDIR/guest.log.  Wall-clock figures: they follow the host's load
# under TCG; compare rows of one run.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
out=${1:?usage: scale.sh OUTDIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)

"$top/tools/vm/run-vm.sh" -k 6.12 --smp 2 --mem 2048 \
	-t "${IPCMBOX_SCALE_TIMEOUT:-1800}" -- \
	"insmod kmod/ipcmbox.ko && ipcmbox-scale ${IPCMBOX_SCALE_ARGS:-}" \
	> "$out/guest.log" 2>&1 || {
	echo "scale.sh: the guest run failed; see $out/guest.log" >&2
	exit 1
}
# The table is what the guest printed from the "# pairs" line on.
sed -n '/^# pairs:/,$p' "$out/guest.log" | sed '/^\[ *[0-9.]*\]/d' > "$out/scale.txt"
[ -s "$out/scale.txt" ] || { echo "scale.sh: no table in $out/guest.log" >&2; exit 1; }
cat "$out/scale.txt"
