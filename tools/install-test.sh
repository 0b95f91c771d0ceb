#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# install-test.sh [KERNEL] - what a user of `make install` gets: installs
# the built tree into a staging DESTDIR (PREFIX=/usr), builds an example
# against the installed headers and library with pkg-config alone (shared
# and static), installs the module with `make modules_install`, then runs
# the installed module, tool and example in a guest of KERNEL (default
# 6.12), renders the installed manual pages with man, completes commands
# with the installed bash completion, and last checks that `make
# uninstall` leaves nothing behind.
# Needs the tree built (make) first.  Ends with "N passed, N failed, N
# skipped".
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
kernel=${1:-6.12}
cd "$top" || exit 1
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
log=$top/build/install-test.log
mkdir -p "$top/build"
: > "$log"
# shellcheck source=tools/tap.sh
. "$top/tools/tap.sh"
# shellcheck disable=SC2034 # read by result() in tools/tap.sh
tap_fail_note="see $log"

kver=$(tools/kver.sh "$kernel") || { echo "install-test.sh: no $kernel headers" >&2; exit 1; }

make -s install DESTDIR="$dest" PREFIX=/usr >>"$log" 2>&1
result $? "make install DESTDIR=... PREFIX=/usr"

want="usr/bin/ipcmbox usr/bin/ipcmbox-bench usr/lib/libipcmbox.so.0
      usr/lib/libipcmbox.so usr/lib/libipcmbox.a usr/include/ipcmbox.h
      usr/include/ipcmbox_uring.h usr/include/ipcmbox/linux/ipcmbox.h
      usr/lib/pkgconfig/libipcmbox.pc usr/share/doc/ipcmbox/COPYING
      usr/share/doc/ipcmbox/LICENSES/GPL-2.0 usr/share/doc/ipcmbox/LICENSES/MIT
      usr/share/doc/ipcmbox/LICENSES/LGPL-2.1
      usr/share/bash-completion/completions/ipcmbox"
for p in $(tools/man.sh --list Documentation/man/*.rst); do
	want="$want usr/share/man/$p"
done
bad=0
for f in $want; do
	[ -e "$dest/$f" ] || { echo "# missing: $f"; bad=1; }
done
for f in usr/bin/ipcmbox usr/bin/ipcmbox-bench; do
	if readelf -d "$dest/$f" | grep -qE 'RPATH|RUNPATH'; then
		echo "# $f keeps a RUNPATH"; bad=1
	fi
done
result $bad "the installed tree: library, headers, pkg-config file, programs without RUNPATH, manual pages, completion, licences"

# Every page renders; tbl's complaints about wide table cells are the
# only warnings allowed.
bad=0
for p in "$dest"/usr/share/man/man*/*; do
	grep -q '^\.so ' "$p" && continue
	if ! out=$(MANWIDTH=80 man --warnings -l "$p" 2>"$dest/man.err") ||
	   ! grep -q '^NAME' <<<"$out"; then
		echo "# $p does not render"; bad=1
	fi
	if grep -v -e 'cannot adjust line' -e 'character above first line discarded' \
	     "$dest/man.err" | grep -q .; then
		echo "# $p:"; sed 's/^/#   /' "$dest/man.err"; bad=1
	fi
done
result $bad "man -l renders every installed page without warnings"

out=$(MANWIDTH=80 man -M "$dest/usr/share/man" 3 ipcmbox_send 2>&1)
grep -q '^LIBIPCMBOX(3)' <<<"$out" &&
	grep -q 'ipcmbox_send(int fd' <<<"$out" &&
	MANWIDTH=80 man -M "$dest/usr/share/man" 3 ipcmbox_recv_batch 2>&1 |
	grep -q '^ *ipcmbox_send_batch, *ipcmbox_recv_batch - '
result $? "man finds each function's page (ipcmbox_send, ipcmbox_recv_batch)"

# What bash offers, from the installed completion file.
complete_words() {
	# shellcheck disable=SC1091
	bash -c '. "$0"; COMP_WORDS=("${@}"); COMP_CWORD=$(($# - 1))
		 _ipcmbox; echo "${COMPREPLY[*]}"' \
		"$dest/usr/share/bash-completion/completions/ipcmbox" "$@"
}
mb=$(mktemp -d -p "$dest")
touch "$mb/control" "$mb/jobs" "$mb/log"
[ "$(complete_words ipcmbox re)" = recv ] &&
	[ "$(complete_words ipcmbox ls --no)" = --noheadings ] &&
	[ "$(IPCMBOX_DEV_DIR=$mb complete_words ipcmbox send '')" = "jobs log" ]
result $? "bash completion offers commands, options and mailbox names"

make -s install DESTDIR="$dest/noman" PREFIX=/usr MAN=0 >>"$log" 2>&1 &&
	[ -e "$dest/noman/usr/bin/ipcmbox" ] && [ ! -e "$dest/noman/usr/share/man" ]
result $? "make install MAN=0 installs everything but the manual pages"
rm -rf "$dest/noman"

# pkg-config sees the staged tree as if it were /.
pc() {
	PKG_CONFIG_SYSROOT_DIR=$dest PKG_CONFIG_LIBDIR=$dest/usr/lib/pkgconfig \
		pkg-config "$@" libipcmbox
}
ver=$(pc --modversion 2>>"$log")
[ "$ver" = "$(cat VERSION)" ]
result $? "pkg-config --modversion libipcmbox is $(cat VERSION) (got '$ver')"

# shellcheck disable=SC2046
cc -std=c11 -Wall -Wextra -Werror -o "$dest/hello" examples/hello_mailbox.c \
	$(pc --cflags --libs) >>"$log" 2>&1
result $? "an example builds with only pkg-config --cflags --libs libipcmbox"

# shellcheck disable=SC2046
cc -std=c11 -Wall -Wextra -Werror -o "$dest/hello-static" examples/hello_mailbox.c \
	$(pc --cflags) -L"$dest/usr/lib" -Wl,-Bstatic -lipcmbox -Wl,-Bdynamic >>"$log" 2>&1 &&
	! readelf -d "$dest/hello-static" | grep -q 'libipcmbox'
result $? "and links statically against the installed libipcmbox.a"

# The program of Documentation/first-program.rst, as a reader types it.
awk '/^``first.c``::/ { on = 1; next } on && /^[^ \t]/ && NF { exit }
     on { sub(/^   /, ""); print }' Documentation/first-program.rst > "$dest/first.c"
# shellcheck disable=SC2046
grep -q 'int main' "$dest/first.c" &&
	cc -std=c11 -Wall -o "$dest/first" "$dest/first.c" $(pc --cflags --libs) >>"$log" 2>&1
result $? "first-program.rst's program builds with its own command line"

# Compressed as the kernel's own modules are (ipcmbox.ko.xz on Debian).
make -s modules_install KVER="$kver" INSTALL_MOD_PATH="$dest" >>"$log" 2>&1 &&
	ko=$(find "$dest/lib/modules/$kver/extra" -name 'ipcmbox.ko*') &&
	[ -n "$ko" ] && ! grep -q 'sign-file' "$log"
result $? "make modules_install puts the module in lib/modules/$kver/extra, unsigned without a key"

# In a guest: the installed module, the installed tool, the example built
# against the installed tree, with the installed library only.
guest='set -e
export LD_LIBRARY_PATH=/inst/usr/lib PATH=/inst/usr/bin:$PATH
ko=$(find /inst/lib/modules -name "ipcmbox.ko*")
case "$ko" in
*.xz) unxz -c "$ko" > /tmp/ipcmbox.ko; ko=/tmp/ipcmbox.ko ;;
esac
insmod "$ko"
ipcmbox version
ipcmbox create installed
ipcmbox send installed "from the installed tool"
ipcmbox recv installed
/inst/hello
/inst/hello-static
/inst/first
ipcmbox rm installed
echo INSTALLED-TREE-OK'
tools/vm/run-vm.sh -k "$kernel" -m '' -c "$dest:/inst" -t 300 -- "$guest" \
	>>"$log" 2>&1 && grep -q '^INSTALLED-TREE-OK' "$log" &&
	grep -q 'from the installed tool' "$log" &&
	grep -q "^'hello' (message 1, from pid [0-9]*)" "$log"
result $? "in a $kernel guest, the installed module, tool, example and first program work"

make -s uninstall DESTDIR="$dest" PREFIX=/usr >>"$log" 2>&1
left=$(cd "$dest" && find usr -type f -o -type l)
[ -z "$left" ] || echo "# left behind: $left"
[ -z "$left" ]
result $? "make uninstall removes every file it installed"

tap_totals
