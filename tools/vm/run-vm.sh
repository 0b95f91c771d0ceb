#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# run-vm.sh - run a command in a QEMU guest of a Debian kernel with the
# ipcmbox module, library, tools and selftests in its initramfs.
#
# usage: run-vm.sh [options] -- COMMAND...
#        run-vm.sh [options] --shell
#
#   -k, --kernel SEL     6.1, 6.12, 6.12-rt, a kernel release, or the build
#                        directory of a kernel (tools/vm/debug-kernel.sh)
#                        (default 6.12)
#   -m, --module KO      module to put at /ipcmbox/kmod/ipcmbox.ko
#                        (default kmod/ipcmbox.ko; it must match the kernel;
#                        an empty KO puts no module in the guest)
#   -c, --copy SRC[:DST] copy a file or directory into the guest, at DST
#                        (default /mnt/BASENAME); repeatable
#   -t, --timeout SECS   give up after SECS seconds (default 900)
#       --mem MB         guest memory (default 1024)
#       --smp N          guest CPUs (default 2)
#       --log FILE       also write the guest console to FILE
#       --append ARGS    more kernel command line arguments
#       --accel A        kvm, tcg or auto (default: $IPCMBOX_ACCEL, else
#                        auto: KVM when the CPU has vmx/svm and /dev/kvm
#                        is usable, TCG emulation otherwise)
#       --icount         instruction-count mode: single-threaded TCG with
#                        -icount shift=0,sleep=off, so guest time counts
#                        instructions (1 ns each) and repeats run to run
#                        (always TCG)
#       --shell          interactive shell instead of a command
#
# COMMAND words are joined with spaces and run by the guest's busybox sh
# in /ipcmbox, with /ipcmbox/bin in PATH (as ssh does with its command).
#
# Exit status: the command's own; 124 on timeout; 125 when the guest died
# before reporting (panic, oops=panic); 126 for a setup error (also: the guest
# brought up fewer CPUs than --smp, or runs on the jiffies clock); and 1 when
# the command succeeded but the guest kernel logged a BUG/WARNING/Oops/
# Call Trace/KASAN/UBSAN/KCSAN/lockdep/hung-task report (a KCSAN report
# with no ipcmbox frame only as a note: selftests/ipcmbox/kcsan-triage).
#
# The guest kernel comes from /boot when installed, else it is fetched
# once with `apt-get download` into $IPCMBOX_CACHE (default
# ~/.cache/ipcmbox), outside the checkout.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
cache=${IPCMBOX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ipcmbox}

kernel=6.12 module=$top/kmod/ipcmbox.ko timeout=900 mem=1024 smp=2
shell=0 log='' extra='' copies=() icount=0 accel=${IPCMBOX_ACCEL:-auto}

die() { echo "run-vm.sh: $*" >&2; exit 126; }
# shellcheck source=tools/vm/accel.sh
. "$here/accel.sh"

while [ $# -gt 0 ]; do
	case "$1" in
	-k|--kernel) kernel=$2; shift 2 ;;
	-m|--module) module=$2; shift 2 ;;
	-c|--copy) copies+=("$2"); shift 2 ;;
	-t|--timeout) timeout=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--smp) smp=$2; shift 2 ;;
	--log) log=$2; shift 2 ;;
	--append) extra="$extra $2"; shift 2 ;;
	--shell) shell=1; shift ;;
	--icount) icount=1; shift ;;
	--accel) accel=$2; shift 2 ;;
	--) shift; break ;;
	-h|--help) sed -n '4,/^set -e/{/^set -e/!p}' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown option '$1' (see --help)" ;;
	esac
done
[ $shell = 1 ] || [ $# -gt 0 ] || die "no command given (see --help)"

if [ -d "$kernel" ]; then
	kver=$(cat "$kernel/include/config/kernel.release" 2>/dev/null) ||
		die "$kernel is not a kernel build directory"
else
	kver=$("$top/tools/kver.sh" "$kernel") ||
		die "no headers installed for kernel '$kernel'"
fi

# The kernel image: /boot if the image package is installed, else the cache.
fetch_kernel() {
	local k=$1 dir=$cache/kernels/$1 tmp pkg
	if [ -r "/boot/vmlinuz-$k" ]; then
		echo "/boot/vmlinuz-$k"
		return
	fi
	if [ ! -s "$dir/vmlinuz" ]; then
		echo "run-vm.sh: fetching the $k kernel into $dir" >&2
		tmp=$(mktemp -d)
		chmod 755 "$tmp"
		for pkg in "linux-image-$k-unsigned" "linux-image-$k"; do
			(cd "$tmp" && apt-get download -q "$pkg" >&2 2>/dev/null) && break
		done
		ls "$tmp"/*.deb >/dev/null 2>&1 || die "apt-get download linux-image-$k failed"
		dpkg-deb --fsys-tarfile "$tmp"/*.deb |
			tar -x -C "$tmp" "./boot/vmlinuz-$k"
		mkdir -p "$dir"
		mv "$tmp/boot/vmlinuz-$k" "$dir/vmlinuz.part"
		mv "$dir/vmlinuz.part" "$dir/vmlinuz"
		rm -rf "$tmp"
	fi
	echo "$dir/vmlinuz"
}
if [ -d "$kernel" ]; then
	vmlinuz=$kernel/arch/x86/boot/bzImage
	[ -f "$vmlinuz" ] || die "$vmlinuz not built"
else
	vmlinuz=$(fetch_kernel "$kver")
fi

if [ -n "$module" ]; then
	[ -f "$module" ] || die "module '$module' not found (run make)"
	if command -v modinfo >/dev/null; then
		vm=$(modinfo -F vermagic "$module" | cut -d' ' -f1)
		[ "$vm" = "$kver" ] || die "$module was built for $vm, not $kver"
	fi
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/ipcmbox-vm.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root"/{bin,ipcmbox/{bin,lib,kmod,selftests},mnt}

cp /bin/busybox "$root/bin/busybox" 2>/dev/null ||
	die "busybox-static is not installed (run tools/deps.sh)"
ldd /bin/busybox >/dev/null 2>&1 &&
	die "/bin/busybox is dynamic; install busybox-static"
install -m 0755 "$here/init" "$root/init"
[ -z "$module" ] || cp "$module" "$root/ipcmbox/kmod/ipcmbox.ko"
cp -a "$top"/lib/libipcmbox.so* "$root/ipcmbox/lib/" 2>/dev/null || true
[ -x "$top/tools/ipcmbox" ] && cp "$top/tools/ipcmbox" "$root/ipcmbox/bin/"
for t in ipcmbox-bench ipcmbox-callcost ipcmbox-scale; do
	if [ -x "$top/tools/bench/$t" ]; then
		cp "$top/tools/bench/$t" "$root/ipcmbox/bin/"
	fi
done
find "$top/examples" -maxdepth 1 -type f -perm -u+x \
	-exec cp {} "$root/ipcmbox/bin/" \; 2>/dev/null || true
if [ -d "$top/selftests/ipcmbox" ]; then
	find "$top/selftests/ipcmbox" -maxdepth 1 -type f \
		\( -perm -u+x -o -name settings -o -name splat-patterns \
		   -o -name kcsan-known \) \
		-exec cp {} "$root/ipcmbox/selftests/" \;
fi
for c in "${copies[@]}"; do
	src=${c%%:*} dst=/mnt/$(basename "${c%%:*}")
	[ "$src" != "$c" ] && dst=${c#*:}
	[ -e "$src" ] || die "--copy: '$src' does not exist"
	mkdir -p "$root$(dirname "$dst")"
	cp -a "$src" "$root$dst"
done

# Shared libraries of every dynamic ELF in the guest, at their host paths.
find "$root" -type f -perm -u+x -o -type f -name '*.so*' | while read -r f; do
	ldd "$f" 2>/dev/null | grep -oE '/[^ ]+' || true
done | sort -u | while read -r lib; do
	[ -e "$root$lib" ] || { mkdir -p "$root$(dirname "$lib")"; cp -L "$lib" "$root$lib"; }
done

if [ $shell = 1 ]; then
	touch "$root/ipcmbox/shell"
else
	printf '%s\n' "$*" > "$root/ipcmbox/cmd"
fi

(cd "$root" && find . | cpio -o -H newc --quiet) | gzip -1 > "$work/initramfs.gz"

# One CPU per socket: SeaBIOS's MP table lists one CPU per package, and the
# debug kernels (no ACPI) would boot one.  TCG's TSC is one host clock, but
# the boot-time sync check can fail under emulation; a kernel without
# HPET/ACPI timers then falls back to jiffies (4 ms, no hrtimers).  The
# guest init refuses to run the command with fewer CPUs or on jiffies.
append="console=ttyS0 loglevel=5 panic=-1 oops=panic rdinit=/init edd=off"
append="$append tsc=reliable ipcmbox_cpus=$smp$extra"
# -icount needs one TCG thread; with sleep=off an idle guest's clock jumps
# to its next timer, so waiting costs no instructions and no host time.
[ $icount = 0 ] || accel=tcg
accel=$(vm_accel "$accel") ||
	die "--accel must be kvm, tcg or auto; kvm needs a usable /dev/kvm"
# Commas separate QEMU's sub-options, not array elements.
# shellcheck disable=SC2054
case "$accel/$icount" in
kvm/0) qemu=(qemu-system-x86_64 -accel kvm -cpu host); mode=KVM ;;
tcg/0) qemu=(qemu-system-x86_64 -accel tcg,thread=multi -cpu max); mode=TCG ;;
*) qemu=(qemu-system-x86_64 -accel tcg,thread=single -cpu max
	-icount shift=0,sleep=off); mode="TCG icount" ;;
esac
# shellcheck disable=SC2054
qemu+=(-smp "$smp,sockets=$smp,cores=1,threads=1" -m "$mem"
	-nodefaults -nographic -no-reboot -fw_cfg name=etc/sercon-port,string=0
	-kernel "$vmlinuz" -initrd "$work/initramfs.gz" -append "$append")

if [ $shell = 1 ]; then
	"${qemu[@]}" -serial mon:stdio -serial "file:$work/result"
	exit 0
fi

# Boots the guest once; qemu's exit status in $qrc.
boot() {
	: > "$work/result"
	set +e
	# The console (ttyS0, kernel messages) and the command's output
	# (ttyS1, up to the exit marker) both stream to standard output.
	(
		set -o pipefail
		timeout -k 10 "$timeout" "${qemu[@]}" -serial stdio \
			-serial "file:$work/result" </dev/null |
			tr -d '\r' | tee "$work/console" ${log:+"$log"}
	) &
	qpid=$!
	tail -n +1 -f --pid=$qpid "$work/result" |
		sed -u -e 's/\r$//' -e '/^IPCMBOX-VM-EXIT /,$d'
	wait $qpid
	qrc=$?
	set -e
}

# Whether the last boot's command reported its exit status.
exited() {
	grep -q '^IPCMBOX-VM-EXIT ' "$work/result" 2>/dev/null
}

# Whether the last boot was stopped by the timeout.
timed_out() {
	[ "$qrc" = 124 ] || [ "$qrc" = 137 ]
}

echo "run-vm.sh: booting $kver ($mode, ${smp} CPUs, ${mem} MiB, timeout ${timeout}s)" >&2
boot
# A guest that died before its command began ran nothing of ours: the
# distribution kernel itself failed to boot, as 6.12 once did under TCG
# with two CPUs (an int3 oops in sched_clock_cpu(), no module loaded).
# Boot it once more; a second failure is reported as before.
if ! exited && ! timed_out &&
	! grep -q 'ipcmbox-vm: command begins' "$work/console" 2>/dev/null; then
	echo "run-vm.sh: the guest died before its command began (qemu exit $qrc); booting it again" >&2
	boot
fi

if ! exited; then
	if timed_out; then
		echo "run-vm.sh: guest timed out after ${timeout}s" >&2
		exit 124
	fi
	echo "run-vm.sh: guest died before reporting (qemu exit $qrc)" >&2
	exit 125
fi
rc=$(sed -n 's/^IPCMBOX-VM-EXIT \([0-9]*\).*/\1/p' "$work/result" | head -n 1)

splat=$(paste -s -d '|' "$top/selftests/ipcmbox/splat-patterns")
# KCSAN reports with no ipcmbox frame are renamed, and do not count.
tr -d '\r' < "$work/result" | sed -n '/^IPCMBOX-VM-DMESG$/,/^IPCMBOX-VM-END$/p' |
	"$top/selftests/ipcmbox/kcsan-triage" > "$work/all"
# Only what the kernel logged once the command began counts (tools/vm/init
# marks it); a report during boot, before any module, is only mentioned.
sed -n '/ipcmbox-vm: command begins$/,$p' "$work/all" > "$work/dmesg"
[ -s "$work/dmesg" ] || cp "$work/all" "$work/dmesg"
if ! grep -qE "$splat" "$work/dmesg" && grep -qE "$splat" "$work/all"; then
	echo "run-vm.sh: note: the kernel reported a problem while booting," \
		"before the command (not counted):" >&2
	grep -E "$splat" "$work/all" | head -n 3 >&2 || true
fi
if grep -q 'kcsan-triage: ' "$work/dmesg"; then
	echo "run-vm.sh: note: KCSAN reports without an ipcmbox frame" \
		"(core kernel, not counted):" >&2
	grep 'kcsan-triage: ' "$work/dmesg" | sed 's/^\[[^]]*\] *//' |
		sort | uniq -c >&2 || true
fi
if grep -qE "$splat" "$work/dmesg"; then
	echo "run-vm.sh: the guest kernel reported problems:" >&2
	grep -E -A 12 "$splat" "$work/dmesg" | head -n 60 >&2 || true
	[ "$rc" != 0 ] || rc=1
fi
exit "$rc"
