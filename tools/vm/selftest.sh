#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# selftest.sh [KERNEL] - tests of the guest harness itself: the splat
# patterns match what kernels print, kcsan-triage lets only core-kernel
# KCSAN reports through, and run-vm.sh returns the command's
# status, fails a successful command whose guest kernel logged a warning,
# and stops a guest at its timeout; the accelerator choice takes KVM only
# where the CPU and /dev/kvm offer it.  Ends with "N passed, N failed, N skipped".
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
kernel=${1:-6.12}
# shellcheck source=tools/tap.sh
. "$top/tools/tap.sh"

splat=$(paste -s -d '|' "$top/selftests/ipcmbox/splat-patterns")
# What kernels print for each class of problem (one sample per pattern).
samples=(
	'[    3.33] WARNING: CPU: 1 PID: 160 at kmod/control.c:56 f+0x30/0x150 [ipcmbox]'
	'[    3.34] BUG: KASAN: slab-use-after-free in ipcmbox_release+0x1c/0x60'
	'[    3.35] BUG: kernel NULL pointer dereference, address: 0000000000000008'
	'[    3.36] Oops: 0002 [#1] PREEMPT SMP NOPTI'
	'[    3.37] Call Trace:'
	'[    3.38] kernel BUG at kmod/mbox.c:120!'
	'[    3.39] general protection fault, probably for non-canonical address'
	'[    3.40] UBSAN: shift-out-of-bounds in kmod/mbox.c:10:3'
	'[    3.41] BUG: KCSAN: data-race in ipcmbox_send / ipcmbox_recv'
	'[    3.42] WARNING: possible circular locking dependency detected'
	'[    3.43] WARNING: possible recursive locking detected'
	'[    3.44] WARNING: inconsistent lock state'
	'[    3.45] WARNING: suspicious RCU usage'
	'[    3.46] BUG: sleeping function called from invalid context at mm/slab.h:1'
	'[  123.47] INFO: task ipcmbox:77 blocked for more than 120 seconds.'
	'[    3.48] refcount_t: underflow; use-after-free.'
	'[    3.49] list_del corruption. next->prev should be ffff0000, but was dead'
	'unreferenced object 0xffff888003a4c000 (size 64):'
)
bad=0
for s in "${samples[@]}"; do
	grep -qE "$splat" <<<"$s" || { echo "# pattern misses: $s"; bad=1; }
done
result $bad "splat patterns match every sample report"

benign=(
	'[    2.83] ipcmbox: loading out-of-tree module taints kernel.'
	'[    0.84] mtrr: your CPUs had inconsistent fixed MTRR settings'
	'[    3.00] ipcmbox-selftest: begin 1 control_test'
)
bad=0
for s in "${benign[@]}"; do
	grep -qE "$splat" <<<"$s" && { echo "# pattern hits benign line: $s"; bad=1; }
done
result $bad "splat patterns ignore benign lines"

# kcsan-triage: a KCSAN report counts when it has an ipcmbox frame, or is
# cut off; one without is renamed, but nothing else inside it is hidden.
triage="$top/selftests/ipcmbox/kcsan-triage"
kcsan_report() {	# kcsan_report FRAME [EXTRA-LINE] [CLOSE]
	printf '%s\n' \
		'[  273.80] ==================================================================' \
		'[  273.80] BUG: KCSAN: data-race in inode_needs_update_time / inode_set_ctime_current' \
		'[  273.80] ' \
		'[  273.80] write to 0xff110000004d8050 of 8 bytes by task 764 on cpu 0:' \
		'[  273.80]  inode_set_ctime_current+0x30/0x53' \
		"[  273.80]  $1" \
		${2:+"[  273.81] $2"} \
		'[  273.81] Reported by Kernel Concurrency Sanitizer on:' \
		'[  273.81] CPU: 0 UID: 0 PID: 764 Comm: ipcmbox-bench Not tainted 6.12.57 #1'
	[ "${3:-close}" = close ] && echo '[  273.81] =================================================================='
	echo '[  273.82] ipcmbox-selftest: begin 2 msg_test'
}
out=$(kcsan_report 'pipe_write+0x5a1/0x5e0' | "$triage")
! grep -qE "$splat" <<<"$out" && grep -q 'kcsan-triage: core kernel' <<<"$out" &&
	grep -q 'begin 2 msg_test' <<<"$out"
result $? "kcsan-triage renames a KCSAN report with no ipcmbox frame"
out=$(kcsan_report 'ipcmbox_sleep+0x4b/0x90 [ipcmbox]' | "$triage")
grep -qE "$splat" <<<"$out"
result $? "kcsan-triage keeps a KCSAN report with an ipcmbox frame"
out=$(kcsan_report 'pipe_write+0x5a1/0x5e0' 'WARNING: CPU: 1 PID: 9 at mm/slub.c:1' | "$triage")
grep -qE "$splat" <<<"$out"
result $? "kcsan-triage hides no other report printed inside a KCSAN report"
out=$(kcsan_report 'pipe_write+0x5a1/0x5e0' '' open | "$triage")
grep -qE "$splat" <<<"$out"
result $? "kcsan-triage keeps a KCSAN report that is cut off"

# shellcheck source=tools/vm/accel.sh
. "$here/accel.sh"
cpu=$(mktemp)
echo 'flags		: fpu vme de pse tsc msr pae vmx ssse3' > "$cpu"
a=$(vm_accel auto "$cpu" /dev/null)
[ "$a" = kvm ]; result $? "auto takes KVM with vmx and a usable device (got $a)"
a=$(vm_accel auto "$cpu" /nonexistent)
[ "$a" = tcg ]; result $? "auto takes TCG without a device (got $a)"
echo 'flags		: fpu vme de pse tsc msr pae hypervisor ssse3' > "$cpu"
a=$(vm_accel auto "$cpu" /dev/null)
[ "$a" = tcg ]; result $? "auto takes TCG when the CPU lacks vmx/svm (got $a)"
echo 'flags		: fpu svm' > "$cpu"
a=$(vm_accel tcg "$cpu" /dev/null)
[ "$a" = tcg ]; result $? "tcg is TCG even where KVM would work (got $a)"
! vm_accel kvm "$cpu" /nonexistent >/dev/null && ! vm_accel qqq "$cpu" /dev/null
result $? "kvm without a device, and an unknown choice, are refused"
rm -f "$cpu"

vm() { "$here/run-vm.sh" -k "$kernel" -m '' "$@" >"$top/build/vm-selftest.log" 2>&1; }
mkdir -p "$top/build"

vm -- 'exit 3'
rc=$?
[ $rc = 3 ]; result $? "run-vm.sh returns the command's status (got $rc, want 3)"

vm -- 'echo "WARNING: harness self-test" > /dev/kmsg; exit 0'
rc=$?
[ $rc = 1 ]; result $? "run-vm.sh fails a run whose kernel log has a WARNING (got $rc, want 1)"

vm -t 15 -- 'sleep 600'
rc=$?
[ $rc = 124 ]; result $? "run-vm.sh stops the guest at its timeout (got $rc, want 124)"

tap_totals
