#!/bin/sh
# tests/man_fields.sh -- the field lists in the man pages are what the
# field catalogue gives: every section between ".\" BEGIN GENERATED:"
# and ".\" END GENERATED:" markers must equal man/mkfields' output for
# it, and every section mkfields knows must appear in some page.  When
# this fails after a catalogue change, run "make update-man".
: "${top_builddir:=.}" "${top_srcdir:=.}"
MK="$top_builddir/man/mkfields"
MAN="$top_srcdir/man"
PAGES="flowq.1 flowkit-filter.7 flowkit-file.5 flowcapd.8"
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT INT TERM

if [ ! -x "$MK" ]; then
	echo "1..1"
	echo "not ok 1 - $MK not built"
	exit 0
fi
"$MK" -l >"$T/sections" || exit 1
# section and page of every marker
for p in $PAGES; do
	sed -n 's/^\.\\" BEGIN GENERATED: \([a-z-]*\) .*/\1/p' "$MAN/$p" |
	    while read -r s; do echo "$s $p"; done
done >"$T/found"
n=$(($(wc -l <"$T/found") + $(wc -l <"$T/sections")))
echo "1..$n"
i=0
while read -r s p; do
	i=$((i + 1))
	awk -v s="$s" '
	$0 ~ "^\\.\\\\\" END GENERATED: " s "$" { on = 0 }
	on { print }
	$0 ~ "^\\.\\\\\" BEGIN GENERATED: " s " " { on = 1 }
	' "$MAN/$p" >"$T/have"
	"$MK" "$s" >"$T/want" 2>&1
	if cmp -s "$T/have" "$T/want"; then
		echo "ok $i - $p: $s is the catalogue's"
	else
		echo "not ok $i - $p: $s differs from man/mkfields $s (make update-man)"
		diff "$T/want" "$T/have" | sed 's/^/# /' | head -20
	fi
done <"$T/found"
while read -r s; do
	i=$((i + 1))
	if grep -q "^$s " "$T/found"; then
		echo "ok $i - section $s is in a page"
	else
		echo "not ok $i - section $s is in no page"
	fi
done <"$T/sections"
