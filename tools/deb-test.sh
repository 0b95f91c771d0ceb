#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# deb-test.sh - the Debian packages: builds ipcmbox-dkms, libipcmbox0,
# libipcmbox-dev and ipcmbox-tools with `dpkg-buildpackage -us -uc -b` in
# a copy of the checkout, runs lintian on them, then (as root, when no
# ipcmbox package is installed already) installs them on this machine,
# checks what they put there (the tool, pkg-config, a manual page, the
# DKMS source, which dkms then builds for Debian's 6.1 and 6.12 headers)
# and purges them.  Ends with "N passed, N failed, N skipped".
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top" || exit 1
tmp=$(mktemp -d)
log=$top/build/deb-test.log
mkdir -p "$top/build"
: > "$log"
# shellcheck source=tools/tap.sh
. "$top/tools/tap.sh"
# shellcheck disable=SC2034 # read by result() in tools/tap.sh
tap_fail_note="see $log"

ver=$(cat VERSION)
arch=$(dpkg --print-architecture)
pkgs=(ipcmbox-dkms libipcmbox0 libipcmbox-dev ipcmbox-tools)
installed=0
cleanup() {
	if [ $installed = 1 ]; then
		dpkg --purge "${pkgs[@]}" >>"$log" 2>&1
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

# The checkout's files (tracked, and new ones not ignored), nothing built.
src=$tmp/ipcmbox-$ver
mkdir -p "$src"
git ls-files -z --cached --others --exclude-standard |
	while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
	cpio -pdm0 --quiet "$src"
(cd "$src" && dpkg-buildpackage -us -uc -b) >>"$log" 2>&1
result $? "dpkg-buildpackage -us -uc -b"

bad=0
for p in ipcmbox-dkms_"$ver"_all libipcmbox0_"$ver"_"$arch" \
	 libipcmbox-dev_"$ver"_"$arch" ipcmbox-tools_"$ver"_"$arch"; do
	[ -f "$tmp/$p.deb" ] || { echo "# missing $p.deb"; bad=1; }
done
result $bad "it makes the four packages"

changes=$tmp/ipcmbox_"$ver"_"$arch".changes
lintian --fail-on error "$changes" >"$tmp/lintian" 2>&1
rc=$?
cat "$tmp/lintian" >>"$log"
echo "# lintian: $(grep -c '^E:' "$tmp/lintian") errors, $(grep -c '^W:' "$tmp/lintian") warnings"
result $rc "lintian finds no error"

if [ "$(id -u)" != 0 ]; then
	tap_skip "installing the packages needs root"
elif dpkg-query -W -f='${db:Status-Status}\n' "${pkgs[@]}" 2>/dev/null | grep -q installed; then
	tap_skip "an ipcmbox package is installed already: not replaced"
else
	installed=1
	dpkg -i "$tmp"/ipcmbox-dkms_"$ver"_all.deb \
		"$tmp"/{libipcmbox0,libipcmbox-dev,ipcmbox-tools}_"$ver"_"$arch".deb \
		>>"$log" 2>&1
	result $? "dpkg -i of the four packages"

	# (Outputs captured first: grep -q may stop reading early, and
	# pipefail would count the writer's SIGPIPE.)
	{
		out=$(/usr/bin/ipcmbox --version)
		grep -q "^ipcmbox $ver " <<<"$out" || echo "# ipcmbox --version"
		[ "$(pkg-config --modversion libipcmbox)" = "$ver" ] ||
			echo "# pkg-config"
		man -w ipcmbox_send >/dev/null || echo "# man ipcmbox_send"
		[ -f "/usr/src/ipcmbox-$ver/dkms.conf" ] || echo "# no dkms.conf"
		out=$(dkms status -m ipcmbox -v "$ver" 2>/dev/null)
		grep -q "^ipcmbox/$ver" <<<"$out" || echo "# not in dkms status"
	} > "$tmp/bad"
	cat "$tmp/bad"
	[ ! -s "$tmp/bad" ]
	result $? "installed: the tool, pkg-config, the manual, the DKMS source"

	for k in 6.1 6.12; do
		kver=$(tools/kver.sh "$k") || { result 1 "no $k headers"; continue; }
		# The package's postinst builds for every kernel with headers
		# (dkms autoinstall); build only what it did not.
		st=$(dkms status -m ipcmbox -v "$ver" -k "$kver" 2>/dev/null)
		if grep -Eq ": (built|installed)" <<<"$st"; then
			echo "# $st" >>"$log"
		else
			dkms build -m ipcmbox -v "$ver" -k "$kver" >>"$log" 2>&1
		fi
		st=$(dkms status -m ipcmbox -v "$ver" -k "$kver" 2>/dev/null)
		grep -Eq ": (built|installed)" <<<"$st"
		result $? "the installed ipcmbox-dkms is built for $kver"
	done

	dpkg --purge "${pkgs[@]}" >>"$log" 2>&1 && installed=0 &&
		[ ! -e "/usr/src/ipcmbox-$ver" ] && [ ! -e /usr/bin/ipcmbox ] &&
		[ -z "$(dkms status -m ipcmbox 2>/dev/null)" ]
	result $? "dpkg --purge removes them, and the module from DKMS"
fi

tap_totals
