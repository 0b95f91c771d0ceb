#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# oracle.sh begin|end - the debug-kernel oracle around a selftest run.
#
#   begin  forget the kernel's own boot-time kmemleak reports, so that only
#          what happens after this counts; on KCSAN kernels, filter out
#          the reviewed core-kernel races listed in kcsan-known
#   end    unload the module and check, printing one TAP line per check:
#          the module unloads; lockdep is still enabled (it turns itself
#          off after its first report); no bad taint bit (MCE, BAD_PAGE,
#          DIE, WARN, SOFTLOCKUP, FORCED_RMMOD); kmemleak finds nothing
#          after two scans.  Checks whose kernel feature is missing are
#          reported as skipped.  Exit status: the number of failed checks.
#
# TAP numbering starts at $ORACLE_FIRST (default 1).
kmemleak=/sys/kernel/debug/kmemleak
kcsan=/sys/kernel/debug/kcsan
dir=$(cd "$(dirname "$0")" && pwd)

case "${1:-}" in
begin)
	if [ -w $kmemleak ]; then
		echo scan > $kmemleak
		echo clear > $kmemleak
	fi
	if [ -w $kcsan ]; then
		sed -e '/^#/d' -e '/^[[:space:]]*$/d' -e 's/[[:space:]].*//' \
			"$dir/kcsan-known" | while read -r f; do
			echo "!$f" > $kcsan || exit 1
			echo "# kcsan: not reporting races in $f (kcsan-known)"
		done || exit 1
	fi
	exit 0
	;;
end) ;;
*) echo "usage: oracle.sh begin|end" >&2; exit 2 ;;
esac

n=$((${ORACLE_FIRST:-1} - 1)) failed=0
check() {	# check OK|FAIL|SKIP DESCRIPTION [DETAIL]
	n=$((n + 1))
	case "$1" in
	OK) echo "ok $n oracle: $2" ;;
	SKIP) echo "ok $n oracle: $2 # SKIP $3" ;;
	*) echo "not ok $n oracle: $2${3:+ # $3}"; failed=$((failed + 1)) ;;
	esac
}

if [ ! -e /sys/module/ipcmbox ] || rmmod ipcmbox; then
	check OK "module unloads"
else
	check FAIL "module unloads" "$(cat /sys/module/ipcmbox/refcnt 2>/dev/null) references"
fi

if [ -r /proc/lockdep_stats ]; then
	if grep -q 'debug_locks: *1' /proc/lockdep_stats; then
		check OK "lockdep still enabled"
	else
		check FAIL "lockdep still enabled" "lockdep turned itself off: it reported something"
	fi
else
	check SKIP "lockdep still enabled" "no lockdep in this kernel"
fi

# FORCED_RMMOD 3, MCE 4, BAD_PAGE 5, DIE 7, WARN 9, SOFTLOCKUP 14.
taint=$(cat /proc/sys/kernel/tainted)
if [ $((taint & 17080)) = 0 ]; then
	check OK "no bad taint bits (tainted=$taint)"
else
	check FAIL "no bad taint bits" "tainted=$taint"
fi

if [ -w $kmemleak ]; then
	echo scan > $kmemleak
	echo scan > $kmemleak
	leaks=$(grep -c '^unreferenced object' $kmemleak)
	if [ "$leaks" = 0 ]; then
		check OK "kmemleak empty after rmmod and two scans"
	else
		head -n 60 $kmemleak | sed 's/^/# /'
		check FAIL "kmemleak empty after rmmod and two scans" "$leaks leaks"
	fi
else
	check SKIP "kmemleak empty after rmmod and two scans" "no kmemleak in this kernel"
fi
exit $failed
