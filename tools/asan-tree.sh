#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# asan-tree.sh - build the library, tools, examples and selftests with
# AddressSanitizer (leak checking included) and UndefinedBehaviorSanitizer
# in a copy of the checkout, build/asan/tree, and print its path.  Its
# tools/vm/run-vm.sh puts those binaries into a guest (tools/check.sh asan).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
tree=$top/build/asan/tree
mkdir -p "$tree"
# The sources as they are now (committed or not), without build output.
(cd "$top" && git ls-files --cached --others --exclude-standard) |
	grep -v '^build/' | (cd "$top" && cpio -pdm --quiet "$tree")
cp -a "$top/build/linux-src" "$tree/build/" 2>/dev/null ||
	{ mkdir -p "$tree/build" && cp -a "$top/build/linux-src" "$tree/build/"; }
san="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all"
make -s -C "$tree" lib tools examples selftests WERROR=1 CFLAGS="$san" >&2
echo "$tree"
