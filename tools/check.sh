#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# check.sh KERNEL... - build everything with -Werror, then run the whole
# selftest suite in a guest of each KERNEL: 6.1, 6.12, 6.12-rt (Debian's
# kernels; the first one also runs the guest harness's own tests,
# tools/install-test.sh, tools/dkms-test.sh and tools/deb-test.sh), asan (6.12 with the userspace built with ASan
# and UBSan by tools/asan-tree.sh), or kasan, kcsan (debug kernels built
# once by tools/vm/debug-kernel.sh; the module is built against their
# trees, the run ends with oracle.sh, and the stress and fuzz tests use the
# profile in $IPCMBOX_DEBUG_PROFILE, default long on kasan and short on
# kcsan).
# Prints each guest's output, a summary per kernel, and last the plain
# line "N passed, N failed, N skipped" summed over all kernels.
# Exit status 0 only when every kernel ran its suite with nothing failed.
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top" || exit 1
[ $# -gt 0 ] || set -- 6.1 6.12
out=$top/build/check
mkdir -p "$out"

make -s lib tools examples selftests WERROR=1 || { echo "0 passed, 1 failed, 0 skipped"; exit 1; }

tp=0 tf=0 ts=0 summary=()

# A debug kernel that is not the first on the list is built at the lowest
# CPU priority from the start, so that its build runs in what the guests
# before it leave idle; its turn in the loop below then waits for it.
first=
for k in "$@"; do
	case "$k" in
	kasan|kcsan)
		if [ -z "$first" ]; then
			first=$k
		else
			nice -n 19 tools/vm/debug-kernel.sh "$k" >/dev/null 2>&1 &
		fi
		;;
	esac
done

# Adds up a log's last "N passed, N failed, N skipped" line; sets $line.
add_totals() {
	local p f s
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$1" | tail -n 1)
	[ -n "$line" ] || return 1
	read -r p _ f _ s _ <<<"$line"
	tp=$((tp + p)) tf=$((tf + f)) ts=$((ts + s))
}

case "$1" in
kasan|kcsan|asan) ;;	# check-debug: the harness was tested by make check
*)
	echo "=== the guest harness itself"
	tools/vm/selftest.sh "${1}" 2>&1 | tee "$out/harness.log"
	add_totals "$out/harness.log" || { tf=$((tf + 1)); line="no totals"; }
	summary+=("harness ($1): $line")
	echo "=== make install, pkg-config and modules_install"
	tools/install-test.sh "${1}" 2>&1 | tee "$out/install.log"
	add_totals "$out/install.log" || { tf=$((tf + 1)); line="no totals"; }
	summary+=("install ($1): $line")
	echo "=== DKMS"
	tools/dkms-test.sh 2>&1 | tee "$out/dkms.log"
	add_totals "$out/dkms.log" || { tf=$((tf + 1)); line="no totals"; }
	summary+=("dkms: $line")
	echo "=== Debian packages"
	tools/deb-test.sh 2>&1 | tee "$out/deb.log"
	add_totals "$out/deb.log" || { tf=$((tf + 1)); line="no totals"; }
	summary+=("deb: $line")
	;;
esac
for k in "$@"; do
	t0=$SECONDS
	vm_args=() guest_env='' vm=tools/vm/run-vm.sh
	case "$k" in
	asan)
		kver=$(tools/kver.sh 6.12) || {
			summary+=("$k: no 6.12 headers installed"); tf=$((tf + 1)); continue; }
		tree=$(tools/asan-tree.sh) || {
			summary+=("$k: sanitizer build failed"); tf=$((tf + 1)); continue; }
		mk=(KVER="$kver")
		vm=$tree/tools/vm/run-vm.sh
		guest_env="ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1"
		vm_args=(-k "$kver")
		;;
	kasan|kcsan)
		kdir=$(tools/vm/debug-kernel.sh "$k") || {
			summary+=("$k: debug kernel build failed"); tf=$((tf + 1)); continue; }
		kver=$(cat "$kdir/include/config/kernel.release")
		mk=(KDIR="$kdir")
		profile=${IPCMBOX_DEBUG_PROFILE:-$([ "$k" = kasan ] && echo long || echo short)}
		guest_env="IPCMBOX_ORACLE=1 IPCMBOX_PROFILE=$profile"
		vm_args=(-k "$kdir" --mem 2048 -t 5400 --append "kasan_multi_shot slub_debug=P")
		# fuzz_test.sh runs trinity (tools/deps.sh debug) on KASAN, in
		# a time box; IPCMBOX_TRINITY=0 leaves it out.
		if [ "$k" = kasan ] && [ "${IPCMBOX_TRINITY:-1}" = 1 ] &&
		   trinity=$(command -v trinity); then
			vm_args+=(-c "$trinity:/ipcmbox/bin/trinity")
		fi
		;;
	*)
		kver=$(tools/kver.sh "$k") || {
			summary+=("$k: no headers installed"); tf=$((tf + 1)); continue; }
		mk=(KVER="$kver")
		vm_args=(-k "$kver")
		;;
	esac
	# Kbuild's clean deletes every *.ko below the tree, so each kernel's
	# module is built and used before the next one is built.
	ko=$top/kmod/ipcmbox.ko
	# Debug kernels share their release: keep their logs apart.
	logdir=$out/$kver
	case "$k" in kasan|kcsan|asan) logdir=$out/$k ;; esac
	mkdir -p "$logdir"
	echo "=== $k ($kver): building the module with -Werror"
	make -s module-clean "${mk[@]}" >/dev/null
	if ! make -s module "${mk[@]}" WERROR=1; then
		summary+=("$k: module build failed")
		tf=$((tf + 1))
		continue
	fi

	echo "=== $k ($kver): selftests in the guest"
	t1=$SECONDS
	log=$logdir/selftests.log
	"$vm" "${vm_args[@]}" -m "$ko" -- \
		$guest_env selftests/run_tests.sh 2>&1 |
		tee "$log" | grep --line-buffered -v '^\[ *[0-9.]*\] '
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
	summary+=("$k ($kver): $line (guest run $((SECONDS - t1)) s, all $((SECONDS - t0)) s)")
done

wait
echo "=== summary"
printf '%s\n' "${summary[@]}"
echo "$tp passed, $tf failed, $ts skipped"
[ "$tf" = 0 ]
