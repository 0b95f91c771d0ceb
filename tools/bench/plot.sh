#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# plot.sh DIR - draw DIR/results.csv of ipcmbox-bench with gnuplot
# (tools/deps.sh bench): for each placement, the ping-pong round trip
# (p50) and the streaming throughput against the message size, one line
# per mechanism, log scales (so size 0 is left out).  Writes
# DIR/{latency,throughput}-{same,cross}.{svg,png}.
set -euo pipefail
dir=${1:?usage: plot.sh DIR}
csv=$dir/results.csv
[ -r "$csv" ] || { echo "plot.sh: no $csv" >&2; exit 1; }
command -v gnuplot > /dev/null ||
	{ echo "plot.sh: gnuplot is missing (tools/deps.sh bench)" >&2; exit 1; }
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
emulated=$(grep -q '"emulated": true' "$dir/results.json" 2>/dev/null && echo 1 || echo 0)
note=
[ "$emulated" = 1 ] && note='\nQEMU TCG: emulated, times not those of hardware'

# plot SCENARIO PLACEMENT COLUMN SCALE YLABEL NAME TITLE
plot() {
	local sc=$1 pl=$2 col=$3 scale=$4 ylabel=$5 name=$6 title=$7 m lines=
	for m in $(awk -F, -v s="$sc" -v p="$pl" 'NR > 1 && $1 == s && $4 == p && $9 == "ok" && $3 > 0 { print $2 }' "$csv" | awk '!seen[$0]++'); do
		awk -F, -v s="$sc" -v p="$pl" -v m="$m" -v c="$col" -v k="$scale" \
			'NR > 1 && $1 == s && $4 == p && $2 == m && $9 == "ok" && $3 > 0 { print $3, $c / k }' \
			"$csv" > "$data/$m"
		lines="$lines${lines:+, }'$data/$m' using 1:2 with linespoints title '$m'"
	done
	[ -n "$lines" ] || return 0
	# One size alone is an empty x range to gnuplot: widen it by 2x.
	local xrange='' sizes
	sizes=$(awk -F, -v s="$sc" -v p="$pl" 'NR > 1 && $1 == s && $4 == p && $9 == "ok" && $3 > 0 { print $3 }' "$csv" | sort -un)
	[ "$(wc -l <<<"$sizes")" = 1 ] && xrange="set xrange [$sizes / 2.0:$sizes * 2.0]"
	for term in svg png; do
		local t="svg size 1000,650 dynamic"
		[ $term = png ] && t="pngcairo size 1000,650"
		gnuplot <<GP
set terminal $t
set output '$dir/$name-$pl.$term'
set title "$title, $pl CPU placement$note" noenhanced
set logscale xy
$xrange
set xlabel 'message size (bytes)'
set ylabel '$ylabel'
set key outside right top noenhanced
set grid
plot $lines
GP
	done
}

plot pingpong same 10 1000 'round trip p50 (us)' latency 'Ping-pong round trip'
plot pingpong cross 10 1000 'round trip p50 (us)' latency 'Ping-pong round trip'
plot stream same 17 1000000 'throughput (MB/s)' throughput 'One-way streaming'
plot stream cross 17 1000000 'throughput (MB/s)' throughput 'One-way streaming'
ls "$dir"/*.svg > /dev/null 2>&1 || { echo "plot.sh: nothing to plot" >&2; exit 1; }
