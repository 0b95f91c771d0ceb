#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# compat_test.sh - runs compat32, the ABI tests built as a 32-bit static
# program, and passes its TAP and exit status through.  A kernel without
# IA32 emulation cannot exec it (the shell reports 126 before the program
# prints anything): then the whole test is skipped, and says why.
dir=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp)
trap 'rm -f "$out"' EXIT

[ -x "$dir/compat32" ] || { echo "1..0 # SKIP compat32 not built"; exit 4; }
"$dir/compat32" > "$out" 2>&1
rc=$?
if [ $rc = 126 ] && ! grep -q '^TAP version' "$out"; then
	sed 's/^/# /' "$out"
	echo "1..0 # SKIP this kernel does not run 32-bit programs"
	exit 4
fi
cat "$out"
exit $rc
