#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# kver.sh [SELECTOR] - print the kernel release to build against.
#
#   (none)   the running kernel if its build dir exists, else the newest
#            installed /lib/modules/*/build
#   6.1      newest installed Debian 6.1 generic kernel  (6.1.*-amd64)
#   6.12     newest installed Debian 6.12 generic kernel (6.12.*-amd64)
#   6.12-rt  newest installed Debian 6.12 PREEMPT_RT kernel
#   other    taken as a kernel release as is
#
# Prints nothing and exits 1 when no matching headers are installed.
set -eu

sel=${1:-}
# newest REGEX [EXCLUDE-REGEX]
newest() {
	for d in /lib/modules/*/build; do
		[ -d "$d" ] || continue
		r=${d%/build}
		echo "${r##*/}"
	done | grep -E -e "$1" | grep -vE -e "${2:-^$}" | sort -V | tail -n 1
}

case "$sel" in
"")
	r=$(uname -r)
	if [ -d "/lib/modules/$r/build" ]; then
		echo "$r"
		exit 0
	fi
	# Same release in several flavours: prefer the generic one.
	r=$(newest '.' '-(rt|cloud)-')
	[ -n "$r" ] || r=$(newest '.')
	;;
6.1)	r=$(newest '^6\.1\.[0-9-]+-amd64$' '-(rt|cloud)-') ;;
6.12)	r=$(newest '^6\.12\.[0-9]+\+deb[0-9]+-amd64$') ;;
6.12-rt) r=$(newest '^6\.12\.[0-9]+\+deb[0-9]+-rt-amd64$') ;;
*)	r=$sel ;;
esac
[ -n "$r" ] || exit 1
echo "$r"
