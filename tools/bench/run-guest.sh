#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# run-guest.sh OUTDIR [ipcmbox-bench options] - `make bench`: run
# ipcmbox-bench in a 6.12 guest (QEMU TCG) with the module loaded, bring
# its results.{csv,json}, env.txt and table.txt back into OUTDIR, and draw
# the plots there (plot.sh).  First, with the guest's default limits, the
# semantics probe (ipcmbox-bench --semantics: semantics.{txt,csv,json});
# then the guest gets the System V and POSIX queue limits raised so that
# those adapters can carry the larger sizes, and RLIMIT_MSGQUEUE lifted;
# the values are recorded in OUTDIR/sysctl.txt.
# IPCMBOX_BENCH_SEMANTICS=only runs the probe alone.  IPCMBOX_BENCH_ICOUNT=1
# runs the guest in instruction-count mode (run-vm.sh --icount): its times
# repeat whatever the host does, and every table says so.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
out=${1:?usage: run-guest.sh OUTDIR [ipcmbox-bench options]}
shift
mkdir -p "$out"
out=$(cd "$out" && pwd)

qemu=$(qemu-system-x86_64 --version | head -n 1)
host="$qemu, TCG (no KVM), on $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) host CPUs"
icount=()
timing="wall clock (QEMU TCG, multi-threaded)"
if [ "${IPCMBOX_BENCH_ICOUNT:-0}" = 1 ]; then
	icount=(--icount)
	timing="instruction count (QEMU icount: -icount shift=0,sleep=off, one TCG thread)"
fi

cat > "$out/guest.sh" <<GUEST
set -e
insmod /ipcmbox/kmod/ipcmbox.ko
mkdir -p /tmp/bench
ipcmbox-bench --semantics -o /tmp/bench
if [ "${IPCMBOX_BENCH_SEMANTICS:-}" = only ]; then
	: > /tmp/sysctl.txt
else
echo 1048576 > /proc/sys/kernel/msgmax
echo 67108864 > /proc/sys/kernel/msgmnb
echo 1048576 > /proc/sys/fs/mqueue/msgsize_max
echo 1024 > /proc/sys/fs/mqueue/msg_max
# A POSIX queue of 64 x 1 MiB needs more than the 800 KiB default.
ulimit -q unlimited
for f in kernel/msgmax kernel/msgmnb fs/mqueue/msgsize_max fs/mqueue/msg_max; do
	echo "\$f = \$(cat /proc/sys/\$f)"
done > /tmp/sysctl.txt
echo "ulimit -q (RLIMIT_MSGQUEUE) = \$(ulimit -q)" >> /tmp/sysctl.txt
IPCMBOX_BENCH_HOST="$host" IPCMBOX_BENCH_TIMING="$timing" ipcmbox-bench -o /tmp/bench $*
fi
cp /tmp/sysctl.txt /tmp/bench/
echo @@IPCMBOX-BENCH-TAR@@
tar -c -C /tmp/bench . | base64
echo @@IPCMBOX-BENCH-END@@
GUEST

"$top/tools/vm/run-vm.sh" -k 6.12 --mem 2048 -t "${IPCMBOX_BENCH_TIMEOUT:-7200}" "${icount[@]}" \
	-c "$out/guest.sh:/ipcmbox/bench.sh" -- sh /ipcmbox/bench.sh |
	tee "$out/guest.log" | sed -u '/^@@IPCMBOX-BENCH-TAR@@$/,/^@@IPCMBOX-BENCH-END@@$/d'
rm -f "$out/guest.sh"
sed -n '/^@@IPCMBOX-BENCH-TAR@@$/,/^@@IPCMBOX-BENCH-END@@$/p' "$out/guest.log" |
	sed '1d;$d' | base64 -d | tar -x -C "$out"
sed -i '/^@@IPCMBOX-BENCH-TAR@@$/,/^@@IPCMBOX-BENCH-END@@$/d' "$out/guest.log"
[ -s "$out/semantics.csv" ] || { echo "run-guest.sh: no semantics came back" >&2; exit 1; }
[ "${IPCMBOX_BENCH_SEMANTICS:-}" = only ] && { echo "run-guest.sh: semantics in $out"; exit 0; }
[ -s "$out/results.csv" ] || { echo "run-guest.sh: no results came back" >&2; exit 1; }
"$here/plot.sh" "$out"
echo "run-guest.sh: results and plots in $out"
