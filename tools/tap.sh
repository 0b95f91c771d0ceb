# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# tap.sh - sourced by the host-side test scripts (tools/install-test.sh,
# tools/dkms-test.sh, tools/deb-test.sh, tools/vm/selftest.sh): TAP lines and the totals line tools/check.sh
# adds up.
#
#   result STATUS NAME   "ok N NAME" when STATUS is 0, else "not ok N NAME"
#                        (followed by " ($tap_fail_note)" when that is set)
#   tap_skip REASON      "ok N # SKIP REASON", counted as skipped
#   tap_totals           "N passed, N failed, N skipped"; returns 0 only
#                        when nothing failed
pass=0 fail=0 skip=0 n=0

result() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		pass=$((pass + 1)); echo "ok $n $2"
	else
		fail=$((fail + 1)); echo "not ok $n $2${tap_fail_note:+ ($tap_fail_note)}"
	fi
}

tap_skip() {
	n=$((n + 1)) skip=$((skip + 1))
	echo "ok $n # SKIP $1"
}

tap_totals() {
	echo "$pass passed, $fail failed, $skip skipped"
	[ "$fail" = 0 ]
}
