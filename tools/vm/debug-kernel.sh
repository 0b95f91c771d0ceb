#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# debug-kernel.sh FLAVOUR - build (once) a debug guest kernel from Debian's
# linux-source-6.12 and print its build directory.
#
#   FLAVOUR   kasan (KASAN, UBSAN, lockdep, kmemleak, debug objects, fault
#             injection) or kcsan (KCSAN, lockdep)
#
# The configuration is tinyconfig + tools/vm/kconfig/base.config +
# tools/vm/kconfig/FLAVOUR.config; every line of the two fragments must
# survive olddefconfig, or the build stops.  The result is cached outside
# the checkout in $IPCMBOX_CACHE/debug/FLAVOUR-KEY (default cache
# ~/.cache/ipcmbox), KEY being a hash of the fragments, the source package
# version and the compiler, so only the first run pays (~16 min on 2 cores
# per kernel).  The build directory holds arch/x86/boot/bzImage and serves
# as KDIR for the module (make module KDIR=...).  Progress goes to stderr,
# the build log to FLAVOUR-KEY.log beside the directory.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${IPCMBOX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ipcmbox}/debug
flavour=${1:-}
frag_dir=$here/kconfig
tarball=/usr/src/linux-source-6.12.tar.xz

die() { echo "debug-kernel.sh: $*" >&2; exit 1; }
[ -f "$frag_dir/$flavour.config" ] && [ "$flavour" != base ] ||
	die "usage: debug-kernel.sh kasan|kcsan"
[ -r "$tarball" ] || die "$tarball missing (tools/deps.sh build)"

srcver=$(dpkg-query -W -f='${Version}' linux-source-6.12)
key=$({ cat "$frag_dir/base.config" "$frag_dir/$flavour.config"
	echo "$srcver"; gcc --version | head -n 1; } | sha256sum | cut -c1-12)
out=$cache/$flavour-$key
src=$cache/src-$srcver/linux-source-6.12

if [ -f "$out/.ipcmbox-done" ]; then
	echo "$out"
	exit 0
fi
mkdir -p "$cache"
# One lock per flavour, so that the two kernels can build at once (check.sh
# builds the second at low priority while the first one's guest runs), and
# one for the shared source tree.
exec 9>"$cache/.lock-$flavour"
flock 9
# Another build may have finished while we waited.
if [ -f "$out/.ipcmbox-done" ]; then
	echo "$out"
	exit 0
fi

# The source tree of this version is extracted once, under its own lock;
# the builds only read it.
exec 8>"$cache/.lock-src"
flock 8
if [ ! -f "$src/.ipcmbox-extracted" ]; then
	echo "debug-kernel.sh: extracting $tarball ($srcver)" >&2
	rm -rf "$(dirname "$src")"
	mkdir -p "$(dirname "$src")"
	tar -xJf "$tarball" -C "$(dirname "$src")"
	touch "$src/.ipcmbox-extracted"
fi
exec 8>&-

log=$out.log
# Builds of this flavour from other fragments or sources are stale.
rm -rf "$out" "$cache/$flavour"-*
mkdir -p "$out"
echo "debug-kernel.sh: building the $flavour kernel in $out (log $log)" >&2
start=$SECONDS
{
	make -C "$src" O="$out" tinyconfig
	"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" \
		"$frag_dir/base.config" "$frag_dir/$flavour.config"
	make -C "$src" O="$out" olddefconfig
} >"$log" 2>&1 || die "configuration failed; see $log"

# Every fragment line must be in the final .config, as written.
missing=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*) grep -qxF -- "$line" "$out/.config" ;;
	"# CONFIG_"*" is not set")
		opt=${line#\# }; opt=${opt%% *}
		! grep -q "^$opt=" "$out/.config" ;;
	*) continue ;;
	esac || { echo "debug-kernel.sh: lost after olddefconfig: $line" >&2; missing=1; }
done < <(cat "$frag_dir/base.config" "$frag_dir/$flavour.config")
[ $missing = 0 ] || die "fix the fragments (see $out/.config)"

# modules: also writes Module.symvers, which external modules link against.
make -C "$src" O="$out" -j"$(nproc)" bzImage modules >>"$log" 2>&1 ||
	die "kernel build failed; see $log"
touch "$out/.ipcmbox-done"
echo "debug-kernel.sh: $flavour kernel built in $((SECONDS - start)) s" >&2
echo "$out"
