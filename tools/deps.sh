#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# deps.sh [GROUP...] - install the Debian packages ipcmbox needs, if missing.
#
# Groups: build (module, library, tools, tests), vm (guest runs),
# rt (PREEMPT_RT 6.12 headers), lint (static analysis), debug (debug
# guest kernels, trinity), bench (gnuplot for the plots).  Default: build vm.
# Installs with --no-install-recommends; needs root when something is missing.
set -eu

pkgs_build="build-essential gcc-multilib pkg-config xz-utils kmod liburing-dev
	python3-docutils man-db dkms
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
