#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# compat_test.sh - runs compat32, the ABI tests (batches and create-open
# included) built as a 32-bit static
# program, and passes its TAP and exit status through.  A kernel built
# without IA32 emulation (no /proc/sys/abi/vsyscall32, which only
# CONFIG_COMPAT_32 registers: the debug kernels) cannot exec it, and then
# the whole test is skipped and says why.  On any other kernel a compat32
# that does not run is a failure.
dir=$(cd "$(dirname "$0")" && pwd)

[ -x "$dir/compat32" ] || { echo "1..0 # SKIP compat32 not built"; exit 4; }
if [ ! -e /proc/sys/abi/vsyscall32 ]; then
	echo "1..0 # SKIP this kernel has no IA32 emulation (no /proc/sys/abi/vsyscall32)"
	exit 4
fi
exec "$dir/compat32"
