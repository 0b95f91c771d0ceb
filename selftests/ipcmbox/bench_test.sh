#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# bench_test.sh - every adapter of ipcmbox-bench moves messages correctly:
# ping-pong, streaming and (where the mechanism allows several senders)
# fan-in, at 0, 8 and 4096 bytes, on one CPU and across two, with its
# loss/duplicate/corruption checks on (--verify).  Then the checks
# themselves: a sender told to skip, repeat or corrupt one message must
# fail the run; repeated runs (-R) add up and fail as one row.  On debug
# kernels (IPCMBOX_ORACLE=1) only pipe and the ipcmbox adapters run: the
# others' kernel paths are not this project's.
# Prints TAP and a "# Totals:" line.
dir=$(cd "$(dirname "$0")" && pwd)
PATH=$dir:$dir/../bin:$dir/../tools/bench:$PATH
pass=0 fail=0 skip=0 n=0
out=$(mktemp)
res=$(mktemp -d)
trap 'rm -rf "$out" "$res"' EXIT

command -v ipcmbox-bench > /dev/null ||
	{ echo "1..0 # SKIP ipcmbox-bench not built"; exit 4; }
[ -d /dev/ipcmbox ] || { echo "1..0 # SKIP ipcmbox module not loaded"; exit 4; }

ok() { n=$((n + 1)); pass=$((pass + 1)); echo "ok $n $1"; }
notok() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n $1"; }
skipped() { n=$((n + 1)); skip=$((skip + 1)); echo "ok $n $1 # SKIP $2"; }

# Rows that must have been measured (status ok in results.csv), on every
# placement this machine has (cross needs two CPUs; ipcmbox-bench leaves
# it out on one): scenario,mechanism,size,placement,rate,senders,depth,...
places=same
[ "$(grep -c '^processor' /proc/cpuinfo)" -ge 2 ] && places="same cross"
measured() {	# measured MECH SCENARIO SIZE...
	m=$1 s=$2
	shift 2
	for z in "$@"; do
		for p in $places; do
			grep -q "^$s,$m,$z,$p,[^,]*,[^,]*,[^,]*,[^,]*,ok," \
				"$res/results.csv" || return 1
		done
	done
	return 0
}

# One batch size per batching adapter: -b1 and -b64 share -b8's code.
mechs=$(ipcmbox-bench --list | cut -d' ' -f1 | grep -vE -- '-b(1|64)$')
inject="pipe posix-mq ipcmbox-bounded shm-futex"
if [ "${IPCMBOX_ORACLE:-0}" = 1 ]; then
	# Debug kernels: the io_uring rows' kernel paths are uring_test's and
	# the fuzzer's there; the batch ioctl row stays.
	mechs=$(echo "$mechs" | grep -E '^(pipe|ipcmbox-)' | grep -vE -- '-uring|-writev')
	inject="ipcmbox-bounded"
fi

echo "TAP version 13"
echo "# placements: $places"
# Every mechanism states how many times it copies a payload, and why.
if ipcmbox-bench --list | grep -vqE '; copies: [0-9]+ \(.+\)$'; then
	notok "--list states every mechanism's copies"
	ipcmbox-bench --list | grep -vE '; copies: [0-9]+ \(.+\)$' | sed 's/^/#   /'
else
	ok "--list states every mechanism's copies"
fi
for m in $mechs; do
	if [ "$m" = tcp ] && [ ! -e /proc/net/tcp ]; then
		skipped "$m moves every message intact" "no IPv4 in this kernel"
		continue
	fi
	ipcmbox-bench -q --verify -m "$m" -s pingpong,stream,fanin \
		-z 0,8,4K -n 300 -S 3 -t 60 -o "$res" > "$out" 2>&1
	rc=$?
	grep -E "^$m +8 +same " "$out" | sed 's/^/# /'
	if [ $rc != 0 ] || grep -q FAILED "$out"; then
		grep -E "FAILED" "$out" | sed 's/^/# /'
		notok "$m moves every message intact (exit $rc)"
	elif ! measured "$m" pingpong 0 8; then
		notok "$m measured ping-pong at 0 and 8 bytes"
	else
		ok "$m moves every message intact"
	fi
done

# Repeated runs (-R 3): every row ran three times, its count is the three
# runs' messages, and its value lies within their spread: pooled p50 for
# ping-pong, the median of the rates for streaming (CSV columns: 8 count,
# 10 p50_ns, 16 msgs_per_s, 24 runs, 25 run_min, 26 run_max).
ipcmbox-bench -q --verify -m pipe,ipcmbox-bounded -s pingpong,stream \
	-p same -z 64 -n 200 -R 3 -t 60 -o "$res" > "$out" 2>&1
rc=$?
bad=$(awk -F, 'NR > 1 {
	v = $1 == "pingpong" ? $10 : $16
	if ($9 != "ok" || $24 != 3 || $8 != 600 || v + 0 < $25 - 0.5 || v + 0 > $26 + 0.5)
		print
}' "$res/results.csv")
rows=$(($(wc -l < "$res/results.csv") - 1))
if [ $rc = 0 ] && [ "$rows" = 4 ] && [ -z "$bad" ] &&
   grep -q "^4 rows of 3 runs each, 0 failed$" "$out"; then
	ok "-R 3: each row is three runs, its value within their spread"
else
	echo "$bad" | sed 's/^/# /'
	tail -n 3 "$out" | sed 's/^/# /'
	notok "-R 3: each row is three runs, its value within their spread (exit $rc, $rows rows)"
fi

# The checks catch a misbehaving sender, on a stream and a message mechanism.
for m in $inject; do
	for kind in skip dup corrupt; do
		ipcmbox-bench -q --verify --inject $kind -m "$m" -s stream \
			-p same -z 64 -n 200 -t 60 > "$out" 2>&1
		rc=$?
		if [ $rc = 1 ] && grep -q "FAILED: messages lost, duplicated or corrupted" "$out"; then
			ok "$m: a sender that does '$kind' fails the run"
		else
			sed 's/^/# /' "$out" | tail -n 5
			notok "$m: a sender that does '$kind' fails the run (exit $rc)"
		fi
	done
done

# A run that loses a message fails its row, which then runs no more (the
# progress lines, on stderr when not a terminal, count the runs made).
ipcmbox-bench --verify --inject skip -m pipe -s stream -p same -z 64 \
	-n 200 -R 2 -t 60 > "$out" 2>&1
rc=$?
if [ $rc = 1 ] && grep -q "FAILED: messages lost, duplicated or corrupted" "$out" &&
   grep -q "(run 1/2)" "$out" && ! grep -q "(run 2/2)" "$out"; then
	ok "-R 2: a run that loses a message fails the row, not run again"
else
	tail -n 5 "$out" | sed 's/^/# /'
	notok "-R 2: a run that loses a message fails the row, not run again (exit $rc)"
fi

echo "1..$n"
echo "# Totals: pass:$pass fail:$fail xfail:0 xpass:0 skip:$skip error:0"
[ "$fail" = 0 ]
