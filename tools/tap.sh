# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# tap.sh - sourced by the host-side test scripts (tools/install-test.sh,
# tools/vm/selftest.sh): TAP lines and the totals line tools/check.sh
# adds up.
#
#   result STATUS NAME   "ok N NAME" when STATUS is 0, else "not ok N NAME"
#                        (followed by " ($tap_fail_note)" when that is set)
#   tap_totals           "N passed, N failed, 0 skipped"; returns 0 only
#                        when nothing failed
pass=0 fail=0 n=0

result() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		pass=$((pass + 1)); echo "ok $n $2"
	else
		fail=$((fail + 1)); echo "not ok $n $2${tap_fail_note:+ ($tap_fail_note)}"
	fi
}

tap_totals() {
	echo "$pass passed, $fail failed, 0 skipped"
	[ "$fail" = 0 ]
}
