#!/bin/sh
# tests/filter_nfdump_sem.sh -- the same records, the same filters, the
# same selection: NetFlow v5 records from tests/filter_nfsend.py go to
# Debian's nfcapd, and each filter below must select the same records
# (by their unique source AS) with nfdump -r as with flowq's filter
# evaluator (t_filter --match).  SKIPs without nfcapd, nfdump or python3.
# Not covered here, because nfcapd/nfdump 1.7.1 do not give v5 records
# back as sent: ICMP type/code (rewritten when stored), AS numbers and
# masks (nfdump's as/mask filters select none of them); t_filter's own
# table covers those.
: "${top_builddir:=.}" "${top_srcdir:=.}"
T="$top_builddir/tests/t_filter"
PY=/usr/bin/python3

exprs='any
port 80
src port > 1024
src port 0
dst port 0
dst port in [22 53 443]
port >= 443 and port <= 8080
proto tcp
proto udp or proto gre
proto 50
not proto tcp and not proto udp
ip 10.1.2.3
src ip 10.0.0.1 or dst ip 192.168.2.3
host 192.168.1.1
net 10.1.0.0/16
src net 10.2/16
dst net 192.168.0.0 255.255.254.0
ip in [10.0.0.1 10.1.0.0/16, 192.168.2.2]
dst ip in [192.168.0.0/24]
next ip 10.255.0.1
router ip 127.0.0.1
router ip 127.0.0.2
flags S
flags SA
flags AFRPU
flags X
not flags S
not flags SA
flags S and not flags AFRPU
not (port 80 or flags RF)
flags 18
flags > 31
tos 8
tos > 8
if 2
in if 1
out if 3
engine-type 1
engine-id 2
engine-id > 0
packets 1
packets > 100
packets >= 1k
bytes > 1k
bytes < 500
flows 1
duration 0
duration > 999
duration < 1000
bps > 1m
bps 0
bps < 10k
pps > 1000
pps 0
pps 1
bpp 64
bpp > 500
proto gre or proto esp
port 80 or port 53 and proto udp
(port 80 or port 53) and proto udp
not port 80 and inet
inet6
not inet6 and packets > 2 || bytes < 100 && ! proto tcp'

for tool in nfcapd nfdump; do
	if ! command -v $tool >/dev/null 2>&1; then
		echo "1..0 # SKIP $tool not installed"
		exit 0
	fi
done
if [ ! -x "$PY" ]; then
	echo "1..0 # SKIP $PY not installed"
	exit 0
fi

tmp=$(mktemp -d) || exit 1
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

n=$(printf '%s\n' "$exprs" | wc -l)
echo "1..$((n + 1))"

# nfcapd on a port the kernel reports free (tests/nfcapd_lib.sh)
. "$top_srcdir/tests/nfcapd_lib.sh"
mkdir "$tmp/d"
if ! nfcapd_start "$tmp/d" "$tmp/nfcapd.log" -t 3600; then
	echo "not ok 1 - nfcapd did not start"
	sed 's/^/# /' "$tmp/nfcapd.log"
	exit 0
fi
pid=$NFCAPD_PID
port=$NFCAPD_PORT
timeout 30 "$PY" "$top_srcdir/tests/filter_nfsend.py" "$port" "$tmp/recs"
sleep 2
kill "$pid"
wait "$pid" 2>/dev/null
pid=
file=$(ls "$tmp"/d/nfcapd.2* 2>/dev/null | head -1)
count=$(nfdump -q -N -r "$file" -o 'fmt:%sas' 2>/dev/null | wc -l)
if [ -z "$file" ] || [ "$count" -ne 240 ]; then
	echo "not ok 1 - nfcapd stored the 240 records (got ${count:-none})"
	exit 0
fi
echo "ok 1 - nfcapd stored the 240 records"

i=1
printf '%s\n' "$exprs" | while IFS= read -r e; do
	i=$((i + 1))
	want=$(timeout 30 nfdump -q -N -r "$file" -o 'fmt:%sas' "$e" 2>&1 |
	    tr -s ' ' '\n' | grep -E '^[0-9]+$' | sort -n | tr '\n' ' ')
	got=$(timeout 30 "$T" --match "$e" "$tmp/recs" | tr -s ' ' '\n' |
	    grep -E '^[0-9]+$' | sort -n | tr '\n' ' ')
	nw=$(printf '%s' "$want" | wc -w)
	if [ "$want" = "$got" ]; then
		printf '%s\n' "ok $i - '$e' selects the same $nw records"
	else
		printf '%s\n' "not ok $i - '$e': nfdump selects $nw records, flowq $(printf '%s' "$got" | wc -w)"
		printf '# nfdump: %s\n# flowq:  %s\n' "$want" "$got"
	fi
done
