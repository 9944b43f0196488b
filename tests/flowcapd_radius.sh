#!/bin/sh
# tests/flowcapd_radius.sh -- flowcapd's RADIUS accounting server with
# FreeRADIUS's radclient as the client (and judge of our answers): Start,
# Interim-Update and Stop answered; a wrong secret not answered and
# counted; a retransmission answered again but applied once; malformed
# requests (truncated and oversized attributes) dropped and counted;
# unknown attributes accepted; sessions kept across a clean stop and a
# kill -9 (snapshot and journal), and a flow after the restart joined
# to the session started before it; Accounting-Off; bad options.
: "${top_srcdir:=.}" "${top_builddir:=.}"
tmp=$(mktemp -d) || exit 1
. "$top_srcdir/tests/flowcapd_lib.sh"
trap cleanup EXIT
trap 'exit 1' INT TERM
FLOWCTL=$top_builddir/probe/flowctl
SEND="python3 $top_srcdir/tests/radius_send.py"

echo "1..31"
if ! command -v radclient >/dev/null 2>&1; then
	for i in $(seq 1 31); do skip "radclient (freeradius-utils) not installed"; done
	exit 0
fi

printf '# the NAS at 127.0.0.1 and every other one\ns3cr3t\n' >"$tmp/secret"
mkdir "$tmp/d"
RPORT=
radstart() {
	capd_start "$tmp/d" --radius-acct 127.0.0.1:0 --radius-secret \
	    "$tmp/secret" -c "$tmp/ctl" --inside 100.64.0.0/10 "$@" || return 1
	RPORT=$(sed -n 's/.*RADIUS accounting on port \([0-9]*\).*/\1/p' \
	    "$CAPD_LOG")
	[ -n "$RPORT" ]
}
# acct SECRET ATTRS...: one Accounting-Request, one try; radclient's status
acct() {
	_s=$1
	shift
	printf '%s\n' "$@" | timeout 10 radclient -r 1 -t 2 -q \
	    "127.0.0.1:$RPORT" acct "$_s" >/dev/null 2>&1
}
stat_line() {	# stat_line PREFIX: that line of "flowctl sessions"
	timeout 10 "$FLOWCTL" -c "$tmp/ctl" sessions | grep "^$1"
}

radstart
ok $? "flowcapd starts with --radius-acct and says its port"
acct s3cr3t 'Acct-Status-Type = Start' 'User-Name = "alice"' \
    'Acct-Session-Id = "A1"' 'Framed-IP-Address = 100.64.0.1' \
    'NAS-IP-Address = 192.0.2.1' 'Event-Timestamp = 1700000000'
ok $? "radclient: Start answered (radclient checked the Response Authenticator)"
acct s3cr3t 'Acct-Status-Type = Interim-Update' 'User-Name = "alice"' \
    'Acct-Session-Id = "A1"' 'Framed-IP-Address = 100.64.0.1' \
    'NAS-IP-Address = 192.0.2.1' 'Acct-Session-Time = 300'
ok $? "radclient: Interim-Update answered"
acct s3cr3t 'Acct-Status-Type = Start' 'User-Name = "bob"' \
    'Acct-Session-Id = "B1"' 'Framed-IP-Address = 100.64.0.2' \
    'Delegated-IPv6-Prefix = 2001:db8:b0::/48' 'NAS-IP-Address = 192.0.2.1'
ok $? "radclient: Start with a delegated IPv6 prefix answered"
acct wrong 'Acct-Status-Type = Start' 'User-Name = "mallory"' \
    'Acct-Session-Id = "M1"' 'Framed-IP-Address = 100.64.0.66'
[ $? -ne 0 ]
ok $? "a wrong secret: no answer"
line=$(stat_line RADIUS)
echo "# $line"
case $line in *" 1 bad authenticator"*) r=0 ;; *) r=1 ;; esac
ok $r "counted as a bad authenticator"
grep -q 'RADIUS from 127.0.0.1 port [0-9]*: bad Request Authenticator' \
    "$CAPD_LOG"
ok $? "and logged, naming the NAS"

out=$($SEND "$RPORT" s3cr3t dup)
echo "$out" | sed 's/^/# /'
[ "$(echo "$out" | head -1)" = "answers 2" ] &&
    [ "$(echo "$out" | grep -c '^ok 7')" -eq 2 ]
ok $? "a retransmission is answered again, with a right authenticator"
line=$(stat_line RADIUS)
case $line in *" 1 duplicate"*) r=0 ;; *) r=1 ;; esac
ok $r "and counted as a duplicate"
line=$(stat_line Events)
echo "# $line"
case $line in "Events: 3 Start,"*) r=0 ;; *) r=1 ;; esac
ok $r "but applied once (3 Starts: alice, bob, dave)"

out=$($SEND "$RPORT" s3cr3t badattr)
echo "$out" | sed 's/^/# /'
[ "$(echo "$out" | head -1)" = "answers 1" ] && echo "$out" | grep -q '^ok 23'
ok $? "truncated, oversized and mis-sized attributes: no answer; unknown ones: answered"
line=$(stat_line RADIUS)
case $line in *" 3 malformed"*) r=0 ;; *) r=1 ;; esac
ok $r "the three malformed requests are counted"

line=$(stat_line Sessions)
echo "# $line"
case $line in "Sessions: 5 known, 4 open"*) r=0 ;; *) r=1 ;; esac
ok $r "five sessions known (bob's two prefixes), four open"

# kill -9: what was answered is in the journal
acct s3cr3t 'Acct-Status-Type = Start' 'User-Name = "carol"' \
    'Acct-Session-Id = "C1"' 'Framed-IP-Address = 100.64.0.3' \
    'NAS-IP-Address = 192.0.2.1'
ok $? "Start of carol answered"
capd_stop KILL
radstart
ok $? "restarted after kill -9"
line=$(stat_line Sessions)
echo "# $line"
case $line in "Sessions: 6 known, 5 open"*) r=0 ;; *) r=1 ;; esac
ok $r "kill -9: every answered session is known again (journal)"
# a flow of carol's address now: the Start came before the restart
t=$(date +%s%3N)
printf '%s %s 192.0.2.80 443 100.64.0.3 5555\n' "$t" "$((t + 500))" |
    python3 "$top_srcdir/tests/ipfix_flows.py" >"$tmp/carol.hex"
send "$tmp/carol.hex"
acct s3cr3t 'Acct-Status-Type = Stop' 'User-Name = "carol"' \
    'Acct-Session-Id = "C1"' 'Framed-IP-Address = 100.64.0.3' \
    'NAS-IP-Address = 192.0.2.1' 'Acct-Session-Time = 60'
line=$(stat_line Sessions)
case $line in "Sessions: 6 known, 4 open"*) r=0 ;; *) r=1 ;; esac
ok $r "the Stop of a session learnt before the restart closes it"
capd_stop
[ -s "$tmp/d/.flowcapd-sessions" ]
ok $? "a clean stop writes the snapshot next to the data"
radstart
line=$(stat_line Sessions)
case $line in "Sessions: 6 known, 4 open"*) r=0 ;; *) r=1 ;; esac
ok $r "and a restart loads it"
acct s3cr3t 'Acct-Status-Type = Accounting-Off' 'NAS-IP-Address = 192.0.2.1'
line=$(stat_line Sessions)
echo "# $line"
case $line in "Sessions: 6 known, 2 open"*) r=0 ;; *) r=1 ;; esac
ok $r "Accounting-Off closes the NAS's open sessions (dave's and erin's NAS, 127.0.0.1, stays)"
acct s3cr3t 'Acct-Status-Type = Start' 'User-Name = "frank"' \
    'Acct-Session-Id = "F1"' 'Framed-IP-Address = 100.64.0.9' \
    'NAS-IP-Address = 192.0.2.7'
line=$(stat_line Sessions)
case $line in "Sessions: 7 known, 3 open"*) r=0 ;; *) r=1 ;; esac
ok $r "Start of frank on another NAS (192.0.2.7)"
acct s3cr3t 'Acct-Status-Type = Accounting-On' 'NAS-IP-Address = 192.0.2.7'
line=$(stat_line Sessions)
echo "# $line"
case $line in "Sessions: 7 known, 2 open"*) r=0 ;; *) r=1 ;; esac
ok $r "Accounting-On (the NAS restarted) closes that NAS's open sessions only"
capd_stop
u=$("$top_builddir/query/flowq" -R "$tmp/d" -q -o 'fmt:%user' 'port 5555' |
    tr -d ' ')
[ "$u" = carol ]
ok $? "a flow after a restart gets the user whose Start came before it ($u)"
grep -q '1 flows with a user, 0 without' "$tmp"/capd.*.log
ok $? "the rotation line counts it"
grep -Eq '1 flows with a user, 0 without; sessions [0-9]+ known \([0-9]+ open\), RADIUS requests [0-9]+ accepted, [0-9]+ rejected \(bad authenticator [0-9]+, unknown NAS [0-9]+, malformed [0-9]+\), [0-9]+ duplicate \(total\); CGNAT mappings 0' "$tmp"/capd.*.log
ok $? "and the sessions known, RADIUS requests accepted/rejected/duplicate and CGNAT mappings"

"$CAPD" -l "$tmp/d" -p 0 --radius-acct 0 >"$tmp/o.log" 2>&1
[ $? -ne 0 ] && grep -q 'needs --radius-secret' "$tmp/o.log"
ok $? "--radius-acct without --radius-secret: refused with a message"
printf 's3cr3t\n10.0.0.0/33 x\n' >"$tmp/badsecret"
"$CAPD" -l "$tmp/d" -p 0 --radius-acct 0 --radius-secret "$tmp/badsecret" \
    >"$tmp/o.log" 2>&1
[ $? -ne 0 ] && grep -q "badsecret line 2: '10.0.0.0/33'" "$tmp/o.log"
ok $? "a bad secret file line: refused, naming file and line"

# per-NAS secrets: the NAS at 127.0.0.1 has its own
printf '127.0.0.1 nas1secret\n192.0.2.0/24 other\n' >"$tmp/secret"
radstart
acct nas1secret 'Acct-Status-Type = Start' 'User-Name = "gina"' \
    'Acct-Session-Id = "G1"' 'Framed-IP-Address = 100.64.0.10' \
    'NAS-IP-Address = 192.0.2.1'
ok $? "per-NAS secret: a request signed with its NAS's own secret is answered"
acct s3cr3t 'Acct-Status-Type = Start' 'User-Name = "hugo"' \
    'Acct-Session-Id = "H9"' 'Framed-IP-Address = 100.64.0.11' \
    'NAS-IP-Address = 192.0.2.1'
[ $? -ne 0 ]
ok $? "per-NAS secret: another secret is not answered for that NAS"
capd_stop
printf '192.0.2.0/24 other\n' >"$tmp/secret"
radstart
acct other 'Acct-Status-Type = Start' 'User-Name = "ivo"' \
    'Acct-Session-Id = "I9"' 'Framed-IP-Address = 100.64.0.12'
[ $? -ne 0 ]
ok $? "a NAS with no secret in the file: not answered"
line=$(stat_line RADIUS)
echo "# $line"
case $line in *" 1 unknown NAS"*) r=0 ;; *) r=1 ;; esac
ok $r "and counted as an unknown NAS"
capd_stop
exit $tap_fail
