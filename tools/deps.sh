#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# deps.sh [GROUP...] - install the Debian packages ipcmbox needs, if missing.
#
# Groups: build (module, library, tools, tests, packages: debian/control's
# Build-Depends, the one list of what the library, tools and manual pages
# need, plus the kernel headers and source, dkms and lintian that the
# module, the selftests and the package tests need), vm (guest runs),
# rt (PREEMPT_RT 6.12 headers), lint (static analysis), debug (debug
# guest kernels, trinity), bench (gnuplot for the plots).  Default: build vm.
# Installs with --no-install-recommends; needs root when something is missing.
set -eu

here=$(cd "$(dirname "$0")" && pwd)

# Build-Depends of debian/control as package names: no versions,
# architectures or alternatives; debhelper-compat is debhelper's.
control_build_deps() {
	awk '/^Build-Depends:/ { on = 1; sub(/^Build-Depends:/, ""); print; next }
	     on && /^[ \t]/ { print; next }
	     { on = 0 }' "$here/../debian/control" |
		tr ',' '\n' | sed -e 's/|.*//' -e 's/(.*)//' -e 's/\[.*\]//' \
			-e 's/[[:space:]]//g' -e 's/^debhelper-compat$/debhelper/' |
		grep -v '^$'
}

pkgs_build="$(control_build_deps | tr '\n' ' ')
	build-essential gcc-multilib xz-utils kmod man-db dkms lintian
	linux-headers-amd64 linux-headers-6.12-amd64 linux-source-6.12"
pkgs_vm="qemu-system-x86 busybox-static cpio"
pkgs_rt="linux-headers-6.12-rt-amd64"
pkgs_lint="sparse cppcheck shellcheck"
pkgs_debug="bc bison flex libelf-dev libssl-dev trinity"
pkgs_bench="gnuplot-nox"

[ $# -gt 0 ] || set -- build vm
want=
for g in "$@"; do
	case "$g" in
	build) want="$want $pkgs_build" ;;
	vm) want="$want $pkgs_vm" ;;
	rt) want="$want $pkgs_rt" ;;
	lint) want="$want $pkgs_lint" ;;
	debug) want="$want $pkgs_debug" ;;
	bench) want="$want $pkgs_bench" ;;
	*) echo "deps.sh: unknown group '$g'" >&2; exit 2 ;;
	esac
done

missing=
for p in $want; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = installed ] || missing="$missing $p"
done
[ -n "$missing" ] || exit 0

echo "deps.sh: installing:$missing"
if [ "$(id -u)" != 0 ]; then
	echo "deps.sh: not root; run: sudo apt-get install --no-install-recommends$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
