#!/bin/sh
# tests/sessions_kat.sh -- the generated known-answer set
# (tests/gen_sessions.py: every flow's user known in advance, every
# boundary case of the issue) joined from its session files (CSV,
# JSON-lines, FreeRADIUS detail) and CGNAT port blocks: by the join
# itself (sessjoin_tool), by flowq --sessions over files flowcapd wrote
# without sessions, and by flowcapd at ingest; the flows and the NAT
# events reach flowcapd as IPFIX.  Every flow must get exactly its user.
: "${top_srcdir:=.}" "${top_builddir:=.}"
tmp=$(mktemp -d) || exit 1
. "$top_srcdir/tests/flowcapd_lib.sh"
trap cleanup EXIT
trap 'exit 1' INT TERM
TOOL=$top_builddir/tests/sessjoin_tool
FLOWQ=$top_builddir/query/flowq
INSIDE="--inside 100.64.0.0/10 --inside 10.0.0.0/8 --inside 2001:db8::/32"
SESS="--sessions $tmp/sessions.csv --sessions $tmp/sessions.jsonl --sessions $tmp/radacct"
echo "1..18"

python3 "$top_srcdir/tests/gen_sessions.py" "$tmp"
ok $? "known-answer set generated ($(wc -l <"$tmp/flows.txt") flows)"
"$TOOL" -i 100.64.0.0/10 -i 10.0.0.0/8 -i 2001:db8::/32 -n "$tmp/nat.txt" \
    -s "$tmp/sessions.csv" -s "$tmp/sessions.jsonl" -s "$tmp/radacct" \
    "$tmp/flows.txt" >"$tmp/got" 2>"$tmp/err"
r=$?
[ -s "$tmp/err" ] && sed 's/^/# /' "$tmp/err"
[ $r -eq 0 ] && [ ! -s "$tmp/err" ]
ok $? "every session line read"

# judge WANT GOT WHAT: the users in GOT are those of WANT, line by line
judge() {
	paste -d' ' "$1" "$2" | awk '$7 != $8' >"$tmp/bad"
	if [ ! -s "$tmp/bad" ] &&
	    [ "$(wc -l <"$2")" -eq "$(wc -l <"$1")" ]; then
		ok 0 "$3"
		return
	fi
	ok 1 "$3 ($(wc -l <"$tmp/bad") wrong of $(wc -l <"$1"), $(wc -l <"$2") answers)"
	head -20 "$tmp/bad" | sed 's/^/# first last src sport dst dport want got: /'
}
judge "$tmp/flows.txt" "$tmp/got" "the join: every flow gets its user, CGNAT too"

# the NAT events first, then the flows, as IPFIX
{ sed 's/^/nat /' "$tmp/nat.txt"; cat "$tmp/flows.txt"; } |
    python3 "$top_srcdir/tests/ipfix_flows.py" >"$tmp/all.hex"
NOTNAT='proto tcp'	# the NAT event records have no protocol
mkdir "$tmp/a"
capd_start "$tmp/a" && send "$tmp/all.hex" && capd_stop
n=$("$FLOWQ" -R "$tmp/a" -q -o 'fmt:%sp' | wc -l)
[ "$n" -eq $(($(wc -l <"$tmp/flows.txt") + $(wc -l <"$tmp/nat.txt"))) ]
ok $? "flowcapd without sessions stored every flow and NAT event ($n)"
# shellcheck disable=SC2086
"$FLOWQ" -R "$tmp/a" $SESS $INSIDE -q -o 'fmt:%user' "$NOTNAT" \
    >"$tmp/q.out" 2>"$tmp/q.err"
r=$?
sed 's/^ *//; s/ *$//' "$tmp/q.out" >"$tmp/q.got"
[ $r -eq 0 ] && [ ! -s "$tmp/q.err" ]
ok $? "flowq --sessions --inside runs (exit $r)"
judge "$tmp/flows.txt" "$tmp/q.got" "flowq --sessions: every flow gets its user, CGNAT too"

# shellcheck disable=SC2086
n=$("$FLOWQ" -R "$tmp/a" $SESS $INSIDE -q -o 'fmt:%sp' 'user alice' |
    tr -d ' ' | sort | tr '\n' ' ')
[ "$n" = "40000 443 " ]
ok $? "filter 'user alice': alice's two flows, from and to her ($n)"
want=$(awk '$7 == "bob" || $7 == "carol" {n++} END {print n}' "$tmp/flows.txt")
# shellcheck disable=SC2086
n=$("$FLOWQ" -R "$tmp/a" $SESS $INSIDE -q -o 'fmt:%sp' \
    'user in [bob carol]' | wc -l)
[ "$n" -eq "$want" ]
ok $? "filter 'user in [bob carol]': $n flows (want $want)"
# shellcheck disable=SC2086
"$FLOWQ" -R "$tmp/a" $SESS $INSIDE -s user/flows -n 3 -N >"$tmp/s.out"
want=$(awk '{print $7}' "$tmp/flows.txt" | sort | uniq -c | sort -rn |
    head -1 | awk '{print $1}')
grep -q "^Top 3 User ordered by flows" "$tmp/s.out" &&
    awk 'NR == 3 {print $5, $6}' "$tmp/s.out" | grep -q "^- $want("
ok $? "-s user/flows: most flows have no user, \"-\" ($want)"
# shellcheck disable=SC2086
"$FLOWQ" -R "$tmp/a" $SESS $INSIDE -A user -O flows -n 2 -o ndjson \
    >"$tmp/a.out"
grep -q '"userName": null' "$tmp/a.out" && grep -q '"userName": "' "$tmp/a.out"
ok $? "-A user -o ndjson: userName, null for the flows without one"
"$FLOWQ" -R "$tmp/a" -q -o json | grep -q userName
[ $? -ne 0 ]
ok $? "without --sessions the file has no users: no userName member"
# shellcheck disable=SC2086
"$FLOWQ" -R "$tmp/a" $SESS $INSIDE -s user/bytes -n 0 -o csv "$NOTNAT" \
    >"$tmp/sb.out"
want=$(awk '$7 == "alice" {n++} END {print n * 100}' "$tmp/flows.txt")
awk -F, -v w="$want" 'NR == 1 { for (i = 1; i <= NF; i++) {
    if ($i == "val") v = i; if ($i == "ibyt") c = i } }
    v > 0 && $v == "alice" && $c == w { f = 1 } END { exit !f }' "$tmp/sb.out"
ok $? "-s user/bytes: alice's bytes ($want)"
# shellcheck disable=SC2086
"$FLOWQ" -R "$tmp/a" $SESS $INSIDE -q -o csv "$NOTNAT" |
    awk -F, '{print $NF == "" ? "-" : $NF}' >"$tmp/csv.got"
# shellcheck disable=SC2086
h=$("$FLOWQ" -R "$tmp/a" $SESS $INSIDE -o csv "$NOTNAT" | head -1)
[ "${h##*,}" = user ]
ok $? "-o csv --sessions: a last column, user"
judge "$tmp/flows.txt" "$tmp/csv.got" "-o csv --sessions: every flow's user in it (empty: none)"
"$FLOWQ" -R "$tmp/a" -q -o csv | head -1 | grep -q ',user'
[ $? -ne 0 ]
ok $? "-o csv without --sessions: nfdump's columns only"

# a bad line: named with its file and line, the rest loads
cp "$tmp/sessions.csv" "$tmp/bad.csv"
echo "1700000000,1700000100,100.64.300.1,mallory,M1," >>"$tmp/bad.csv"
echo "yesterday,1700000100,100.64.0.9,mallory,M2," >>"$tmp/bad.csv"
"$FLOWQ" -R "$tmp/a" --sessions "$tmp/bad.csv" -q -o 'fmt:%user' \
    'user alice' >"$tmp/b.out" 2>"$tmp/b.err"
r=$?
sed 's/^/# /' "$tmp/b.err"
l=$(wc -l <"$tmp/sessions.csv")
[ $r -eq 0 ] && [ "$(wc -l <"$tmp/b.out")" -eq 2 ] &&
    grep -q "bad.csv line $((l + 1)):" "$tmp/b.err" &&
    grep -q "bad.csv line $((l + 2)):" "$tmp/b.err"
ok $? "bad CDR lines named by file and line, the rest loads"
"$FLOWQ" -R "$tmp/a" --sessions "$tmp/nonexistent" >"$tmp/n.out" \
    2>"$tmp/n.err"
[ $? -ne 0 ] && grep -q nonexistent "$tmp/n.err"
ok $? "--sessions of a missing file: refused, naming it"

# at ingest: flowcapd with the same session files, the flows as IPFIX
mkdir "$tmp/d"
# shellcheck disable=SC2086
capd_start "$tmp/d" $SESS $INSIDE --session-keep 4000000000 &&
    send "$tmp/all.hex" && capd_stop
"$FLOWQ" -R "$tmp/d" -q -o 'fmt:%user' "$NOTNAT" | sed 's/^ *//; s/ *$//' \
    >"$tmp/c.got"
judge "$tmp/flows.txt" "$tmp/c.got" "flowcapd at ingest: every flow stored with its user, CGNAT too"
exit $tap_fail
