# SPDX-License-Identifier: GPL-2.0-only
# accel.sh - which QEMU accelerator run-vm.sh uses (sourced, bash).
#
# vm_accel CHOICE [CPUINFO [KVMDEV]] prints kvm or tcg.  CHOICE is kvm,
# tcg or auto (the default, from IPCMBOX_ACCEL or --accel).  auto picks KVM
# when the CPU offers hardware virtualisation (vmx or svm among the flags of
# CPUINFO, default /proc/cpuinfo: a guest without nested virtualisation
# lacks them even when it has a /dev/kvm) and KVMDEV (default /dev/kvm) is
# a character device this user can read and write; TCG otherwise.  Returns
# 1, printing nothing, for an unknown CHOICE or kvm without a usable device.

vm_kvm_usable() {
	local cpuinfo=$1 dev=$2
	grep -qwE 'vmx|svm' "$cpuinfo" 2>/dev/null || return 1
	[ -c "$dev" ] && [ -r "$dev" ] && [ -w "$dev" ]
}

vm_accel() {
	local choice=${1:-auto} cpuinfo=${2:-/proc/cpuinfo} dev=${3:-/dev/kvm}
	case "$choice" in
	tcg) echo tcg ;;
	kvm)
		[ -c "$dev" ] && [ -r "$dev" ] && [ -w "$dev" ] || return 1
		echo kvm ;;
	auto)
		if vm_kvm_usable "$cpuinfo" "$dev"; then echo kvm; else echo tcg; fi ;;
	*) return 1 ;;
	esac
}
