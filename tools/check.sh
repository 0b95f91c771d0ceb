#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# check.sh KERNEL... - build everything with -Werror, then run the whole
# selftest suite in a guest of each KERNEL (6.1, 6.12, 6.12-rt).  Prints
# each guest's output, a summary per kernel, and last the plain line
# "N passed, N failed, N skipped" summed over all kernels.
# Exit status 0 only when every kernel ran its suite with nothing failed.
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top" || exit 1
[ $# -gt 0 ] || set -- 6.1 6.12
out=$top/build/check
mkdir -p "$out"

make -s lib tools examples selftests WERROR=1 || { echo "0 passed, 1 failed, 0 skipped"; exit 1; }

tp=0 tf=0 ts=0 summary=()

# Adds up a log's last "N passed, N failed, N skipped" line; sets $line.
add_totals() {
	local p f s
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$1" | tail -n 1)
	[ -n "$line" ] || return 1
	read -r p _ f _ s _ <<<"$line"
	tp=$((tp + p)) tf=$((tf + f)) ts=$((ts + s))
}

echo "=== the guest harness itself"
tools/vm/selftest.sh "${1}" 2>&1 | tee "$out/harness.log"
add_totals "$out/harness.log" || { tf=$((tf + 1)); line="no totals"; }
summary+=("harness ($1): $line")
for k in "$@"; do
	kver=$(tools/kver.sh "$k") || { summary+=("$k: no headers installed"); tf=$((tf + 1)); continue; }
	# Kbuild's clean deletes every *.ko below the tree, so each kernel's
	# module is built and used before the next one is built.
	ko=$top/kmod/ipcmbox.ko
	mkdir -p "$out/$kver"
	echo "=== $k ($kver): building the module with -Werror"
	make -s module-clean KVER="$kver" >/dev/null
	if ! make -s module KVER="$kver" WERROR=1; then
		summary+=("$k: module build failed")
		tf=$((tf + 1))
		continue
	fi

	echo "=== $k ($kver): selftests in the guest"
	t0=$SECONDS
	log=$out/$kver/selftests.log
	tools/vm/run-vm.sh -k "$kver" -m "$ko" -- selftests/run_tests.sh 2>&1 |
		tee "$log" | grep -v '^\[ *[0-9.]*\] '
	rc=${PIPESTATUS[0]}
	if ! add_totals "$log"; then
		summary+=("$k: guest run failed before the totals (run-vm.sh exit $rc)")
		tf=$((tf + 1))
		continue
	fi
	if [ "$rc" != 0 ] && grep -qE '^[0-9]+ passed, 0 failed' <<<"$line"; then
		# The suite passed but run-vm.sh failed the run (kernel splat).
		tf=$((tf + 1))
		line="$line; run-vm.sh exit $rc"
	fi
	summary+=("$k ($kver): $line (guest run $((SECONDS - t0)) s)")
done

echo "=== summary"
printf '%s\n' "${summary[@]}"
echo "$tp passed, $tf failed, $ts skipped"
[ "$tf" = 0 ]
