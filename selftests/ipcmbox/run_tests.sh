#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# run_tests.sh [PROGRAM...] - run the ipcmbox selftests, in a guest or on a
# machine where the module may be loaded.
#
# Loads the module from $IPCMBOX_KO (default /ipcmbox/kmod/ipcmbox.ko) when
# it is not loaded.  Prints TAP: one result per program, its output
# indented with "# " and a "# NAME ran for N s" line, then a last plain
# line "N passed, N failed, N skipped" counting the test cases of all
# programs.  A program fails as a whole when it crashes, times out
# (settings: timeout=), exits non-zero, or when the kernel log gains a
# BUG/WARNING/Oops/lockdep/KASAN report while it runs (a KCSAN report
# counts unless kcsan-triage finds it has no ipcmbox frame).
# settings: timeout= per program, timeout_long= with IPCMBOX_PROFILE=long.
# With IPCMBOX_ORACLE=1 (debug kernels) oracle.sh checks the kernel after
# the last program (module unloads, lockdep on, taint, kmemleak); each of
# its checks counts as one test case.
# Exit status: 0 when nothing failed.
dir=$(cd "$(dirname "$0")" && pwd)
ko=${IPCMBOX_KO:-/ipcmbox/kmod/ipcmbox.ko}
timeout=$(sed -n 's/^timeout=//p' "$dir/settings" 2>/dev/null)
timeout=${timeout:-300}
# The long stress and fuzz profile (IPCMBOX_PROFILE=long) runs for longer.
if [ "${IPCMBOX_PROFILE:-}" = long ]; then
	t=$(sed -n 's/^timeout_long=//p' "$dir/settings" 2>/dev/null)
	timeout=${t:-$timeout}
fi
# One extended regular expression per line: kernel-log lines that fail a run.
splat=$(paste -s -d '|' "$dir/splat-patterns")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ $# -eq 0 ]; then
	for p in "$dir"/*_test "$dir"/*_test.sh; do
		[ -x "$p" ] && set -- "$@" "$p"
	done
fi

if [ ! -e /sys/module/ipcmbox ]; then
	if ! insmod "$ko"; then
		echo "Bail out! cannot load $ko"
		echo "0 passed, 1 failed, 0 skipped"
		exit 1
	fi
fi

kmsg() { echo "ipcmbox-selftest: $*" > /dev/kmsg; }

oracle=${IPCMBOX_ORACLE:-0}

echo "TAP version 13"
plan=$#
[ "$oracle" = 1 ] && plan=$((plan + 4))
echo "1..$plan"
if [ "$oracle" = 1 ] && ! "$dir/oracle.sh" begin; then
	echo "Bail out! oracle.sh begin failed"
	echo "0 passed, 1 failed, 0 skipped"
	exit 1
fi
n=0 passed=0 failed=0 skipped=0 bad=
for prog in "$@"; do
	n=$((n + 1))
	name=$(basename "$prog")
	echo "# selftests: ipcmbox: $name"
	kmsg "begin $n $name"
	t0=$(date +%s)
	{
		timeout "$timeout" "$prog" 2>&1
		echo $? > "$tmp/rc"
	} | tee "$tmp/out" | sed 's/^/# /'
	rc=$(cat "$tmp/rc")
	echo "# $name ran for $(($(date +%s) - t0)) s"
	# The kernel log from this program's begin marker on, KCSAN reports
	# with no ipcmbox frame renamed (kcsan-triage).
	dmesg | sed -n "/ipcmbox-selftest: begin $n $name\$/,\$p" |
		"$dir/kcsan-triage" > "$tmp/dmesg"
	grep 'kcsan-triage: ' "$tmp/dmesg" | sed 's/^/# not counted: /'

	# The harness's "# Totals: pass:P fail:F xfail:X xpass:XP skip:S error:E"
	totals=$(grep '^# Totals: ' "$tmp/out" | tail -n 1)
	p=0 f=0 s=0
	if [ -n "$totals" ]; then
		eval "$(echo "$totals" | sed -E 's/^# Totals: pass:([0-9]+) fail:([0-9]+) xfail:([0-9]+) xpass:([0-9]+) skip:([0-9]+) error:([0-9]+).*/p=$((\1+\3)) f=$((\2+\4+\6)) s=\5/')"
	fi
	why=
	if grep -qE "$splat" "$tmp/dmesg"; then
		why="kernel reported a problem"
		grep -E -A 8 "$splat" "$tmp/dmesg" | head -n 40 | sed 's/^/# dmesg: /'
	elif [ -z "$totals" ] && [ "$rc" != 4 ]; then
		why="exit=$rc, no results"
		[ "$rc" = 124 ] || [ "$rc" = 143 ] && why="TIMEOUT $timeout seconds"
	elif [ "$rc" != 0 ] && [ "$rc" != 4 ] && [ "$f" = 0 ]; then
		why="exit=$rc"
	elif [ "$f" != 0 ]; then
		why="exit=$rc"
	fi
	if [ -n "$why" ]; then
		[ "$f" = 0 ] && f=1
		echo "not ok $n selftests: ipcmbox: $name # $why"
		bad="$bad $name"
	elif [ "$rc" = 4 ]; then
		[ "$s" = 0 ] && s=1
		echo "ok $n selftests: ipcmbox: $name # SKIP"
	else
		echo "ok $n selftests: ipcmbox: $name"
	fi
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
done

if [ "$oracle" = 1 ]; then
	ORACLE_FIRST=$((n + 1)) "$dir/oracle.sh" end > "$tmp/oracle"
	cat "$tmp/oracle"
	p=$(grep -c '^ok ' "$tmp/oracle")
	s=$(grep -c '^ok .*# SKIP' "$tmp/oracle")
	f=$(grep -c '^not ok ' "$tmp/oracle")
	passed=$((passed + p - s)) failed=$((failed + f)) skipped=$((skipped + s))
	[ "$f" = 0 ] || bad="$bad oracle"
fi
[ -n "$bad" ] && echo "# failed programs:$bad"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
