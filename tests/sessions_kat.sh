#!/bin/sh
# tests/sessions_kat.sh -- the generated known-answer set
# (tests/gen_sessions.py: every flow's user known in advance, every
# boundary case of the issue) joined from its session files (CSV,
# JSON-lines, FreeRADIUS detail) and CGNAT events, as flowq --sessions
# does: every flow must get exactly its user.
: "${top_srcdir:=.}" "${top_builddir:=.}"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
TOOL=$top_builddir/tests/sessjoin_tool
echo "1..3"
python3 "$top_srcdir/tests/gen_sessions.py" "$tmp"
st=$?
[ $st -eq 0 ] && echo "ok 1 - known-answer set generated ($(wc -l <"$tmp/flows.txt") flows)" ||
    echo "not ok 1 - known-answer set generated"
"$TOOL" -i 100.64.0.0/10 -i 10.0.0.0/8 -i 2001:db8::/32 -n "$tmp/nat.txt" \
    -s "$tmp/sessions.csv" -s "$tmp/sessions.jsonl" -s "$tmp/radacct" \
    "$tmp/flows.txt" >"$tmp/got" 2>"$tmp/err"
r=$?
[ -s "$tmp/err" ] && sed 's/^/# /' "$tmp/err"
[ $r -eq 0 ] && [ ! -s "$tmp/err" ]
if [ $? -eq 0 ]; then echo "ok 2 - every session line read"; else echo "not ok 2 - every session line read"; fi
awk '{print $7}' "$tmp/flows.txt" >"$tmp/want"
paste -d' ' "$tmp/flows.txt" "$tmp/got" | awk '$7 != $8' >"$tmp/bad"
if [ ! -s "$tmp/bad" ] && [ "$(wc -l <"$tmp/got")" -eq "$(wc -l <"$tmp/want")" ]; then
	echo "ok 3 - every flow gets its user"
	exit 0
fi
echo "not ok 3 - every flow gets its user ($(wc -l <"$tmp/bad") wrong)"
head -20 "$tmp/bad" | sed 's/^/# first last src sport dst dport want got: /'
exit 1
