#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# lint.sh LINUX_SRC KERNEL - static checks:
#   checkpatch.pl --strict on kmod/ and the UAPI header,
#   sparse (C=2) over the module against KERNEL's headers (tools/kver.sh),
#   the ioctl type byte against the kernel's ioctl-number registry,
#   cppcheck over the library, tools (cli, bench), examples and selftests,
#   and ShellCheck (warnings and errors) over every shell script.
# LINUX_SRC holds the files tools/linux-src.sh extracted.
set -eu

src=$1
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
kver=$(tools/kver.sh "$2") || { echo "lint: no headers for kernel '$2'" >&2; exit 1; }
kdir=/lib/modules/$kver/build
mkdir -p build
fail=0

checkpatch() {
	perl "$src/scripts/checkpatch.pl" --no-tree --strict --terse \
		--show-types --ignore FILE_PATH_CHANGES "$@"
}
echo "lint: checkpatch --strict"
# Sources only: Kbuild leaves generated *.mod.c beside them.
files=
for f in kmod/*.c kmod/*.h include/uapi/linux/ipcmbox.h; do
	case "$f" in *.mod.c|kmod/compat.h) ;; *) files="$files $f" ;; esac
done
# shellcheck disable=SC2086
checkpatch -f $files || fail=1
# compat.h is the one place allowed to test kernel versions.
checkpatch --ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON -f kmod/compat.h || fail=1

echo "lint: sparse"
command -v sparse >/dev/null || { echo "lint: sparse not installed" >&2; exit 1; }
make -s -C "$kdir" M="$top" clean >/dev/null
if ! make -s -C "$kdir" M="$top" C=2 CF="-D__CHECK_ENDIAN__" modules 2>&1 |
	tee build/sparse.log | grep -E 'warning|error'; then
	:
else
	fail=1
fi
make -s -C "$kdir" M="$top" clean >/dev/null

echo "lint: ioctl type byte against ioctl-number.rst"
magic=$(sed -n 's/^#define IPCMBOX_IOC_MAGIC[[:space:]]*\(0x[0-9A-Fa-f]*\).*/\1/p' \
	include/uapi/linux/ipcmbox.h)
if grep -qiE "^${magic}[[:space:]]" "$src/Documentation/userspace-api/ioctl/ioctl-number.rst"; then
	echo "lint: ioctl type $magic is registered to another driver" >&2
	fail=1
fi

echo "lint: cppcheck (userspace)"
command -v cppcheck >/dev/null || { echo "lint: cppcheck not installed" >&2; exit 1; }
# invalidFunctionArg: cppcheck's POSIX model rejects mmap(..., -1, 0) of
# anonymous mappings.
cppcheck --quiet --library=posix --enable=warning,portability,performance \
	--std=c11 --inline-suppr --error-exitcode=1 -D_GNU_SOURCE -D__GNUC__ \
	-Iinclude -Iinclude/uapi -Ilib -I"$src/tools/testing/selftests" \
	--suppress="*:$src/*" --suppress=invalidFunctionArg \
	lib tools/cli tools/bench examples selftests/ipcmbox || fail=1

echo "lint: shellcheck (every shell script)"
command -v shellcheck >/dev/null || { echo "lint: shellcheck not installed" >&2; exit 1; }
# shellcheck disable=SC2046
shellcheck -S warning $(git ls-files | while read -r f; do
	head -n 1 "$f" 2>/dev/null | grep -qE '^#!/bin/(ba|busybox )?sh' && echo "$f"
done) || fail=1

[ $fail = 0 ] && echo "lint: clean"
exit $fail
