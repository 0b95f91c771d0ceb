#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# linux-src.sh DESTDIR - extract the few files ipcmbox takes from Debian's
# linux-source-6.12 tarball: the kselftest harness headers and checkpatch.
# They are build inputs, never committed.  Idempotent.
set -eu

dest=$1
tarball=${LINUX_SOURCE_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
[ -f "$dest/.stamp" ] && exit 0
if [ ! -f "$tarball" ]; then
	echo "linux-src.sh: $tarball missing (package linux-source-6.12; run tools/deps.sh)" >&2
	exit 1
fi
top=$(basename "$tarball" .tar.xz)
mkdir -p "$dest"
tar -xJf "$tarball" -C "$dest" --strip-components=1 \
	"$top/tools/testing/selftests/kselftest.h" \
	"$top/tools/testing/selftests/kselftest_harness.h" \
	"$top/scripts/checkpatch.pl" \
	"$top/scripts/spelling.txt" \
	"$top/scripts/const_structs.checkpatch" \
	"$top/Documentation/userspace-api/ioctl/ioctl-number.rst"
touch "$dest/.stamp"
