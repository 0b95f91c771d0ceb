#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# man.sh OUTDIR VERSION SRC.rst... - the manual pages, from their RST
# sources (Documentation/man/), with rst2man (Debian: python3-docutils).
# man.sh --list SRC.rst... - only print what it would write, as
# manSECTION/PAGE, without rst2man.
#
# NAME.SECTION.rst becomes OUTDIR/manSECTION/NAME.SECTION, @VERSION@
# replaced in the page.  A source may name more functions in a comment at its top:
#   .. man-names: a, b    the NAME line lists them, each gets a link page
#   .. man-links: c, d    only link pages (".so manS/NAME.S")
# (continued on indented lines).  Prints the pages it wrote, one per line.
set -eu

# The comma-separated words of the ".. KEY:" comment and its indented
# continuation lines.
names() {
	awk -v key=".. $2:" '
		index($0, key) == 1 { on = 1; sub(key, ""); print; next }
		on && /^   / { print; next }
		{ on = 0 }' "$1" | tr ',' '\n' | tr -d ' \t' | grep -v '^$' || true
}

if [ "${1:-}" = --list ]; then
	shift
	for src in "$@"; do
		base=$(basename "$src" .rst) && name=${base%.*} sec=${base##*.}
		echo "man$sec/$base"
		for link in $(names "$src" man-names) $(names "$src" man-links); do
			[ "$link" = "$name" ] || echo "man$sec/$link.$sec"
		done
	done
	exit 0
fi

out=$1 version=$2
shift 2
command -v rst2man >/dev/null 2>&1 || {
	echo "man.sh: rst2man not found (Debian: apt install python3-docutils;" \
	     "or make install MAN=0 to install without manual pages)" >&2
	exit 1
}

for src in "$@"; do
	base=$(basename "$src" .rst)		# NAME.SECTION
	name=${base%.*} sec=${base##*.}
	mkdir -p "$out/man$sec"
	page=$out/man$sec/$base
	rst2man --strict "$src" > "$page.tmp" || { rm -f "$page.tmp"; exit 1; }
	sed -i "s/@VERSION@/$version/g" "$page.tmp"
	all=$(names "$src" man-names | paste -s -d, - | sed 's/,/, /g')
	if [ -n "$all" ]; then
		# NAME's line is "name \- summary"; list every name instead.
		sed -i "/^\\.SH NAME\$/,/^\\.SH /s/^$name \\\\-/$all \\\\-/" \
			"$page.tmp"
	fi
	mv "$page.tmp" "$page"
	echo "$page"
	for link in $(names "$src" man-names) $(names "$src" man-links); do
		[ "$link" = "$name" ] && continue
		echo ".so man$sec/$base" > "$out/man$sec/$link.$sec"
		echo "$out/man$sec/$link.$sec"
	done
done
