#!/bin/sh
# tests/flowcapd_cgnat.sh -- CGNAT mappings survive a flowcapd restart
# (flowkit-sessions(5), CGNAT and FILES): port blocks allocated (IPFIX
# NAT events, natEvent 16) before flowcapd is stopped -- cleanly
# (SIGTERM: snapshot) or with kill -9 (journal) -- still map the public
# address:port of flows sent after the restart to the private address's
# user.  A mapping snapshot with a flipped byte, and one cut short: a
# message naming the file and offset, the other mappings still loaded,
# flowcapd running.
: "${top_srcdir:=.}" "${top_builddir:=.}"
tmp=$(mktemp -d) || exit 1
. "$top_srcdir/tests/flowcapd_lib.sh"
trap cleanup EXIT
trap 'exit 1' INT TERM
FLOWQ=$top_builddir/query/flowq
T0=1700000000
echo "1..17"

cat >"$tmp/s.csv" <<EOT
start,stop,address,user,session,nas
$T0,$((T0 + 100000)),10.0.0.7,ivan,I1,
$T0,$((T0 + 100000)),10.0.0.9,wendy,W1,
$T0,$((T0 + 100000)),10.0.0.11,xena,X1,
EOT
OPTS="--sessions $tmp/s.csv --inside 10.0.0.0/8 --session-keep 4000000000"
# three port blocks: ivan 198.51.100.1:1024-1535, wendy :2048-2559,
# xena 198.51.100.2:1024-1535
python3 "$top_srcdir/tests/ipfix_flows.py" >"$tmp/nat.hex" <<EOT
nat 16 ${T0}000 10.0.0.7 198.51.100.1 1024 1535 1
nat 16 ${T0}000 10.0.0.9 198.51.100.1 2048 2559 1
nat 16 ${T0}010 10.0.0.11 198.51.100.2 1024 1535 1
EOT
# flows past the NAT, no NAT event among them; "src sport user" wanted
F=$((T0 + 100))000
cat >"$tmp/flows.txt" <<EOT
$F $F 198.51.100.1 1100 203.0.113.5 443 ivan
$F $F 203.0.113.5 443 198.51.100.1 1535 ivan
$F $F 198.51.100.1 2100 203.0.113.5 443 wendy
$F $F 198.51.100.1 3000 203.0.113.5 443 -
$F $F 198.51.100.2 1100 203.0.113.5 443 xena
$F $F 198.51.100.2 1600 203.0.113.5 443 -
EOT
python3 "$top_srcdir/tests/ipfix_flows.py" <"$tmp/flows.txt" >"$tmp/flows.hex"

# users DIR: "src sport dst dport user" of its flows (not NAT records)
users() {
	"$FLOWQ" -R "$1" -q -o 'fmt:%sa %sp %da %dp %user' 'proto tcp' |
	    tr -s ' ' | sed 's/^ //; s/ $//' | sort
}
# want [USER-TO-DROP]: the flows' wanted users, one user lost
want() {
	awk -v lost="${1:-}" '{u = $7 == lost ? "-" : $7;
	    print $3, $4, $5, $6, u}' "$tmp/flows.txt" | sort
}
judge() {	# judge DIR WHAT [LOST]
	users "$1" >"$tmp/got"
	want "${3:-}" >"$tmp/want"
	if cmp -s "$tmp/got" "$tmp/want"; then
		ok 0 "$2"
	else
		ok 1 "$2"
		diff "$tmp/want" "$tmp/got" | sed 's/^/# /'
	fi
}

# 1. a clean stop: the snapshot
mkdir "$tmp/a"
# shellcheck disable=SC2086
capd_start "$tmp/a" $OPTS && send "$tmp/nat.hex" && capd_stop
[ "$(wc -c <"$tmp/a/.flowcapd-nat")" -eq $((24 + 3 * 64)) ]
ok $? "SIGTERM: the three mappings in the snapshot (.flowcapd-nat)"
cp "$tmp/a/.flowcapd-nat" "$tmp/snap"
# shellcheck disable=SC2086
capd_start "$tmp/a" $OPTS
ok $? "restarted"
grep -q "CGNAT: 3 mappings loaded from $tmp/a/.flowcapd-nat" "$CAPD_LOG"
ok $? "the restart loads them (log)"
send "$tmp/flows.hex" && capd_stop
judge "$tmp/a" "after SIGTERM: flows on public address:port get the inside user"
grep -q '4 flows with a user, 2 without; .*; CGNAT mappings 3$' "$CAPD_LOG"
ok $? "the rotation line: flows with and without a user, CGNAT mappings"

# 2. kill -9: the journal
mkdir "$tmp/b"
# shellcheck disable=SC2086
capd_start "$tmp/b" $OPTS && send "$tmp/nat.hex" && capd_stop KILL
[ ! -e "$tmp/b/.flowcapd-nat" ] &&
    [ "$(wc -c <"$tmp/b/.flowcapd-nat.journal")" -eq $((24 + 3 * 64)) ]
ok $? "kill -9: no snapshot, three events in the journal"
# shellcheck disable=SC2086
capd_start "$tmp/b" $OPTS
ok $? "restarted after kill -9"
grep -q "CGNAT: 0 mappings loaded .* 3 events replayed from $tmp/b/.flowcapd-nat.journal: 3 mappings known" "$CAPD_LOG"
ok $? "the restart replays the journal (log)"
send "$tmp/flows.hex" && capd_stop
judge "$tmp/b" "after kill -9: flows on public address:port get the inside user"
[ "$(wc -c <"$tmp/b/.flowcapd-nat")" -eq $((24 + 3 * 64)) ] &&
    [ "$(wc -c <"$tmp/b/.flowcapd-nat.journal")" -eq 24 ]
ok $? "the next clean stop: a snapshot of three, the journal emptied"

# 3. a flipped byte in the second record: that mapping only is lost
# the user behind the second record's inside address (bytes 40-55)
lost=$(python3 - "$tmp/snap" <<'EOT'
import ipaddress, sys
r = open(sys.argv[1], "rb").read()[24 + 64:24 + 128]
print({"10.0.0.7": "ivan", "10.0.0.9": "wendy", "10.0.0.11": "xena"}[
    str(ipaddress.ip_address(r[40 + 12:56]))])
EOT
)
mkdir "$tmp/c"
python3 -c "
import sys
b = bytearray(open(sys.argv[1], 'rb').read()); b[24 + 64 + 9] ^= 0x10
open(sys.argv[2], 'wb').write(b)" "$tmp/snap" "$tmp/c/.flowcapd-nat"
# shellcheck disable=SC2086
capd_start "$tmp/c" $OPTS
ok $? "a damaged mapping snapshot: flowcapd starts"
sed 's/^/#   /' "$CAPD_LOG" | grep -i "nat"
grep -q "$tmp/c/.flowcapd-nat offset 88: bad checksum (record skipped)" \
    "$CAPD_LOG" &&
    grep -q "CGNAT: 2 mappings loaded .* 1 damaged records skipped" "$CAPD_LOG"
ok $? "the damaged record is named by file and offset, the other two load"
send "$tmp/flows.hex"
kill -0 "$CAPD_PID" 2>/dev/null
ok $? "and flowcapd keeps collecting"
capd_stop
judge "$tmp/c" "the two other mappings still join ($lost's lost)" "$lost"

# 4. a snapshot cut in its third record
mkdir "$tmp/d"
head -c $((24 + 2 * 64 + 30)) "$tmp/snap" >"$tmp/d/.flowcapd-nat"
third=$(python3 - "$tmp/snap" <<'EOT'
import ipaddress, sys
r = open(sys.argv[1], "rb").read()[24 + 128:24 + 192]
print({"10.0.0.7": "ivan", "10.0.0.9": "wendy", "10.0.0.11": "xena"}[
    str(ipaddress.ip_address(r[40 + 12:56]))])
EOT
)
# shellcheck disable=SC2086
capd_start "$tmp/d" $OPTS
ok $? "a mapping snapshot cut short: flowcapd starts"
grep -q "$tmp/d/.flowcapd-nat offset 152: last record cut short (30 of 64 bytes)" \
    "$CAPD_LOG" && grep -q "CGNAT: 2 mappings loaded" "$CAPD_LOG"
ok $? "the cut is named by file and offset, the two whole records load"
send "$tmp/flows.hex" && capd_stop
judge "$tmp/d" "the two whole mappings still join ($third's lost)" "$third"
exit $tap_fail
