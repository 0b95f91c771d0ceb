#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# fuzz_test.sh - the project's fuzzer (fuzz.c), then trinity when it is
# in the guest (the kasan one), against the device nodes; the kernel-log
# oracle is run_tests.sh's.  Profile from $IPCMBOX_PROFILE: short (default,
# 20 s; trinity 60 s), long (1,000,000 calls or 5 min; trinity 120 s): the
# CI budget holds the long profile to time boxes.
# Trinity is boxed by time, not calls: under TCG on a KASAN kernel it makes
# only a few calls a second.  The seed is
# $IPCMBOX_FUZZ_SEED, else random, and printed: rerun with
# IPCMBOX_FUZZ_SEED=0x... (and fuzz -r for one thread).  Prints TAP and a
# "# Totals:" line.
dir=$(cd "$(dirname "$0")" && pwd)
PATH=$dir:$dir/../bin:$PATH
pass=0 fail=0 n=0

[ "$(id -u)" -eq 0 ] || { echo "1..0 # SKIP needs root"; exit 4; }
seed=${IPCMBOX_FUZZ_SEED:-0x$(od -An -N8 -tx8 /dev/urandom | tr -d ' \n')}
# fuzz_limit: a fuzzer still running then is hung, and fails with its seed
# and output, inside the program's own timeout (settings).
case "${IPCMBOX_PROFILE:-short}" in
long) fuzz_args="-n 1000000 -t 300" fuzz_limit=1000 trinity_secs=120 ;;
*) fuzz_args="-t 20" fuzz_limit=300 trinity_secs=60 ;;
esac

result() {	# result STATUS NAME
	n=$((n + 1))
	case "$1" in
	0) pass=$((pass + 1)); echo "ok $n $2" ;;
	*) fail=$((fail + 1)); echo "not ok $n $2 # exit $1" ;;
	esac
}

reload() {
	if [ -e /sys/module/ipcmbox ]; then
		rmmod ipcmbox || exit 1
	fi
	insmod "${IPCMBOX_KO:-/ipcmbox/kmod/ipcmbox.ko}" || exit 1
}

out=$(mktemp)
trap 'rm -f "$out"' EXIT

echo "TAP version 13"
reload
# Every fuzz task's state, wait channel and kernel stack: what a hung
# run was doing, printed before it is killed.
dump_tasks() {
	for d in /proc/[0-9]*; do
		[ "$(cat "$d/comm" 2>/dev/null)" = fuzz ] || continue
		for t in "$d"/task/*; do
			echo "# task ${t#/proc/}: state $(cut -d' ' -f3 "$t/stat" 2>/dev/null), wchan $(cat "$t/wchan" 2>/dev/null)"
			sed 's/^/#   /' "$t/stack" 2>/dev/null
		done
	done
}

# shellcheck disable=SC2086
fuzz -s "$seed" $fuzz_args > "$out" 2>&1 &
pid=$!
waited=0
while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt "$fuzz_limit" ]; do
	sleep 1
	waited=$((waited + 1))
done
if kill -0 "$pid" 2>/dev/null; then
	dump_tasks
	pkill -KILL -x fuzz 2>/dev/null || kill -KILL "$pid"
fi
wait "$pid"
rc=$?
sed 's/^/# /' "$out"
case $rc in
0) ;;
137) echo "# fuzz: still running after $fuzz_limit s: hung (seed $seed)" ;;
*)	# Again at the end, where a log's tail shows it: what failed.
	grep -m 3 -E 'FINDING|runtime error|ERROR: [A-Za-z]*Sanitizer' "$out" |
		sed 's/^/# fuzz: failed on: /' ;;
esac
result $rc "fuzz -s $seed $fuzz_args"

# trinity: generic odd-argument calls on the device files, as nobody.
if command -v trinity > /dev/null; then
	reload
	for m in fz0 fz1; do
		ipcmbox create $m --mode 0666 --capacity 4 || exit 1
	done
	ipcmbox create fz2 --mode 0666 --capacity 0 || exit 1
	cd /tmp || exit 1
	# trinity -X becomes nobody; a bare guest has no passwd file.
	[ -f /etc/passwd ] || {
		mkdir -p /etc
		echo 'root:x:0:0:root:/root:/bin/sh' > /etc/passwd
		echo 'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' >> /etc/passwd
		echo 'nogroup:x:65534:' > /etc/group
	}
	tseed=$(( $(od -An -N2 -tu2 /dev/urandom) ))
	# Trinity's provider of files under -V is named "pseudo"; every
	# other provider is off, so each fd it passes is one of ours (a
	# tinyconfig kernel lacks most of the others, and trinity then
	# spins looking for an fd).  SIGINT at the end of the box: trinity
	# stops its children and prints its per-call statistics (--stats).
	other_fds=sockets,pipes,perf,epoll,eventfd,timerfd,testfile,memfd,drm
	other_fds=$other_fds,inotify,userfaultfd,fanotify,bpf
	timeout -s INT -k 60 "$trinity_secs" \
	trinity -q -l off -X --dangerous -C 2 -N 10000000 -s "$tseed" --stats \
		-V /dev/ipcmbox --disable-fds=$other_fds \
		-c read -c write -c readv -c writev -c pread64 -c pwrite64 \
		-c ioctl -c poll -c mmap -c close -c dup -c fcntl -c lseek \
		> "$out" 2>&1
	rc=$?
	# 124: the time box ended it, as intended.
	[ $rc = 124 ] && rc=0
	calls=$(sed -n 's/.*(attempted:\([0-9]*\)\..*/\1/p' "$out" | awk '{ n += $1 } END { print n + 0 }')
	ok=$(sed -n 's/.*(attempted:[0-9]*\. success:\([0-9]*\)\..*/\1/p' "$out" | awk '{ n += $1 } END { print n + 0 }')
	grep -E '^[a-z0-9_]+: \(attempted' "$out" | head -n 26 | sed 's/^/# /'
	echo "# trinity: $calls calls ($ok succeeded) in at most $trinity_secs s, seed $tseed"
	# No call, or none that succeeded (only our files are open, and
	# some reads, writes and polls on them must work): trinity did not
	# reach the device.
	if [ "$calls" -eq 0 ] || [ "$ok" -eq 0 ]; then
		grep -E 'fd providers|Ran [0-9]+ syscalls' "$out" | sed 's/^/# /'
		tail -n 20 "$out" | sed 's/^/# /'
		rc=1
	fi
	result $rc "trinity for $trinity_secs s (-s $tseed) on /dev/ipcmbox"
	for m in fz0 fz1 fz2; do
		ipcmbox rm $m || result 1 "mailbox $m survives trinity"
	done
else
	echo "# trinity: not in this guest (tools/check.sh puts it into the kasan one)"
fi

echo "# Totals: pass:$pass fail:$fail xfail:0 xpass:0 skip:0 error:0"
[ "$fail" = 0 ]
