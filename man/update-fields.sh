#!/bin/sh
# man/update-fields.sh MKFIELDS PAGE... -- rewrite the generated field
# lists of the man pages in place: the lines between
#   .\" BEGIN GENERATED: SECTION (man/mkfields)
#   .\" END GENERATED: SECTION
# become the output of "MKFIELDS SECTION" (man/mkfields.c, from the
# field catalogue).  Run by "make update-man"; tests/man_fields.sh
# checks that the committed pages are up to date.
set -e
mk=$1
shift
for page in "$@"; do
	tmp="$page.tmp.$$"
	awk -v mk="$mk" '
	/^\.\\" BEGIN GENERATED: / {
		print
		cmd = mk " " $4
		while ((cmd | getline line) > 0)
			print line
		if (close(cmd) != 0) {
			print "update-fields: " cmd " failed" > "/dev/stderr"
			exit 1
		}
		skip = 1
		next
	}
	/^\.\\" END GENERATED: / { skip = 0 }
	!skip { print }
	' "$page" >"$tmp"
	if cmp -s "$tmp" "$page"; then
		rm -f "$tmp"
	else
		mv "$tmp" "$page"
		echo "update-fields: rewrote $page"
	fi
done
