#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# dkms-test.sh - the DKMS route: `make dkms-source` into a staging tree,
# `dkms add` and `dkms build` against Debian's 6.1 and 6.12 headers (in a
# private DKMS tree: the host's /var/lib/dkms and /usr/src are not
# touched), and the module DKMS built for 6.12 loaded and used in a 6.12
# guest.  Ends with "N passed, N failed, N skipped".
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
log=$top/build/dkms-test.log
mkdir -p "$top/build"
: > "$log"
# shellcheck source=tools/tap.sh
. "$top/tools/tap.sh"
# shellcheck disable=SC2034 # read by result() in tools/tap.sh
tap_fail_note="see $log"

ver=$(cat VERSION)
host_before=$(find /var/lib/dkms /usr/src -maxdepth 2 -name 'ipcmbox*' 2>/dev/null)
command -v dkms >/dev/null || { echo "dkms-test.sh: dkms not installed (tools/deps.sh build)" >&2; exit 1; }
mkdir -p "$tmp/dkms"
dk() { dkms "$@" -m ipcmbox -v "$ver" --sourcetree "$tmp/src" --dkmstree "$tmp/dkms" >>"$log" 2>&1; }

make -s dkms-source DESTDIR="$tmp" DKMS_SRC=/src/ipcmbox-"$ver" >>"$log" 2>&1 &&
	grep -q "^PACKAGE_VERSION=\"$ver\"\$" "$tmp/src/ipcmbox-$ver/dkms.conf" &&
	dk add
result $? "make dkms-source gives a tree with dkms.conf $ver that dkms add takes"

for k in 6.1 6.12; do
	kver=$(tools/kver.sh "$k") || { result 1 "no $k headers"; continue; }
	dk build -k "$kver" &&
		ko=$(find "$tmp/dkms/ipcmbox/$ver/$kver" -name 'ipcmbox.ko*' | head -n 1) &&
		[ -n "$ko" ] &&
		[ "$(modinfo -F vermagic "$ko" | cut -d' ' -f1)" = "$kver" ]
	result $? "dkms build for $kver gives a module with vermagic $kver"
done

kver=$(tools/kver.sh 6.12)
ko=$(find "$tmp/dkms/ipcmbox/$ver/$kver" -name 'ipcmbox.ko*' | head -n 1)
case "$ko" in
*.xz) xz -dc "$ko" > "$tmp/ipcmbox.ko" ;;
*) cp "$ko" "$tmp/ipcmbox.ko" 2>/dev/null ;;
esac
tools/vm/run-vm.sh -k 6.12 -m "$tmp/ipcmbox.ko" -t 300 -- \
	'insmod kmod/ipcmbox.ko && ipcmbox create dk && ipcmbox send dk built-by-dkms && ipcmbox recv dk' \
	>>"$log" 2>&1 && grep -q '^built-by-dkms' "$log"
result $? "the module DKMS built for 6.12 loads and moves a message in a guest"

[ "$(find /var/lib/dkms /usr/src -maxdepth 2 -name 'ipcmbox*' 2>/dev/null)" = "$host_before" ]
result $? "the host's /var/lib/dkms and /usr/src are untouched"

tap_totals
