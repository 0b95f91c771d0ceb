#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# targets.sh OUTDIR        `make bench-targets`: run the rows the project's
#                          performance targets name, in instruction-count
#                          mode, and judge each target
# targets.sh --eval DIR    judge the targets from an earlier run's
#                          results.csv (any mode; the verdict says which)
#
# The rows: 64-byte messages, one CPU (same), ping-pong round trip and
# streaming, for pipe, POSIX mq and ipcmbox (rendezvous, bounded and
# unbounded by read/write, bounded by the SEND/RECV ioctls).  Each target
# is a ratio of two rows from the same run (Documentation/benchmarks.rst,
# "Targets"); OUTDIR/targets.txt gets the verdicts.  Exit status 0 when
# the rows ran, whatever the verdicts: a benchmark is not a test.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if [ "${1:-}" = --eval ]; then
	out=${2:?usage: targets.sh --eval DIR}
else
	out=${1:?usage: targets.sh OUTDIR | targets.sh --eval DIR}
	IPCMBOX_BENCH_ICOUNT=1 "$here/run-guest.sh" "$out" \
		-m pipe,posix-mq,ipcmbox-zero,ipcmbox-bounded,ipcmbox-unbounded,ipcmbox-bounded-ioctl \
		-s pingpong,stream -p same -z 64 -n "${IPCMBOX_TARGETS_COUNT:-2000}"
fi
csv=$out/results.csv
[ -s "$csv" ] || { echo "targets.sh: no $csv" >&2; exit 1; }
timing=$(sed -n "s/^timing: *//p" "$out/env.txt" 2>/dev/null | head -n 1)

# target: scenario mechanism reference relation bound
awk -F, -v timing="${timing:-unknown}" '
	NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	$col["size"] == 64 && $col["placement"] == "same" && $col["status"] == "ok" {
		key = $col["scenario"] "/" $col["mechanism"]
		rtt[key] = $col["p50_ns"]
		rate[key] = $col["msgs_per_s"]
	}
	function judge(name, scen, mech, ref, le, bound,    a, b, r, ok) {
		a = scen == "pingpong" ? rtt[scen "/" mech] : rate[scen "/" mech]
		b = scen == "pingpong" ? rtt[scen "/" ref] : rate[scen "/" ref]
		if (a == "" || b == "" || b == 0) {
			printf "%-48s %8s %8s  %s\n", name, "-", (le ? "<= " : ">= ") sprintf("%.1f", bound), "no data"
			missing++
			return
		}
		r = a / b
		ok = le ? r <= bound : r >= bound
		printf "%-48s %8.3f %8s  %s\n", name, r, (le ? "<= " : ">= ") sprintf("%.1f", bound), ok ? "met" : "missed"
		if (ok) met++; else missed++
	}
	END {
		printf "targets (64 B, one CPU; %s)\n", timing
		printf "%-48s %8s %8s  %s\n", "target", "ratio", "bound", "verdict"
		judge("bounded r/w round trip / pipe", "pingpong", "ipcmbox-bounded", "pipe", 1, 0.9)
		judge("bounded r/w round trip / POSIX mq", "pingpong", "ipcmbox-bounded", "posix-mq", 1, 0.8)
		judge("unbounded r/w round trip / pipe", "pingpong", "ipcmbox-unbounded", "pipe", 1, 0.9)
		judge("unbounded r/w round trip / POSIX mq", "pingpong", "ipcmbox-unbounded", "posix-mq", 1, 0.8)
		judge("ioctl round trip / pipe", "pingpong", "ipcmbox-bounded-ioctl", "pipe", 1, 1.0)
		judge("rendezvous round trip / pipe", "pingpong", "ipcmbox-zero", "pipe", 1, 1.2)
		judge("bounded streaming msg/s / pipe", "stream", "ipcmbox-bounded", "pipe", 0, 1.0)
		printf "%d met, %d missed, %d without data\n", met, missed, missing
	}
' "$csv" | tee "$out/targets.txt"
