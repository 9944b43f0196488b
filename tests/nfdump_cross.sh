#!/bin/sh
# tests/nfdump_cross.sh -- flowq against Debian's nfdump on the same
# flows: one stream of NetFlow v5 datagrams (built with python3-scapy)
# goes to nfcapd and to flowcapd (no ICMP: nfcapd takes a v5 ICMP
# type/code from a byte-swapped source port, a collector difference);
# the same queries over both archives must give the same records and
# numbers.  SKIPs without nfcapd/nfdump or scapy; a collector that does
# not start or writes no file is an error.  TAP output.

: "${top_srcdir:=.}" "${top_builddir:=.}"
B=$(cd "$top_builddir" && pwd)
FLOWQ="$B/query/flowq"
CAPD="$B/collector/flowcapd"
PY=/usr/bin/python3
TESTS="csv listing|-s srcip/bytes|-s dstport/flows|-A srcip,dstport|filters|summary"
NT=6

skip_all() {
	echo "1..$NT"
	i=1
	while [ $i -le $NT ]; do echo "ok $i # SKIP $1"; i=$((i + 1)); done
	exit 0
}
command -v nfcapd >/dev/null 2>&1 && command -v nfdump >/dev/null 2>&1 ||
    skip_all "nfcapd/nfdump not installed"
[ -x "$PY" ] && "$PY" -c 'import scapy.layers.netflow' 2>/dev/null ||
    skip_all "python3-scapy not installed"
[ -x "$CAPD" ] || skip_all "flowcapd not built"

. "$top_srcdir/tests/nfcapd_lib.sh"
T=$(mktemp -d) || exit 1
P1= P2=
cleanup() {
	[ -n "$P1" ] && kill "$P1" 2>/dev/null
	[ -n "$P2" ] && kill "$P2" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT INT TERM
TZ=UTC
export TZ
# both collectors on free ports: nfcapd on one the kernel reports free
# (tests/nfcapd_lib.sh), flowcapd on -p 0, printing the port it got
mkdir -p "$T/nf" "$T/fk"
nfcapd_start "$T/nf" "$T/nfcapd.log" -t 3600
P1=$NFCAPD_PID
PORT1=$NFCAPD_PORT
"$CAPD" -l "$T/fk" -p 0 -b 127.0.0.1 -t 60 >"$T/flowcapd.log" 2>&1 &
P2=$!
PORT2=
for _i in $(seq 1 100); do
	PORT2=$(sed -n 's/.*listening on port \([0-9]*\).*/\1/p' "$T/flowcapd.log")
	[ -n "$PORT2" ] && break
	kill -0 "$P2" 2>/dev/null || break
	sleep 0.1
done
if [ -z "$PORT1" ] || [ -z "$PORT2" ]; then
	echo "1..$NT"
	echo "Bail out! a collector did not start"
	cat "$T/nfcapd.log" "$T/flowcapd.log" | sed 's/^/# /'
	exit 1
fi

cat > "$T/send.py" <<'PYEOF'
import socket, sys, time
from scapy.layers.netflow import NetflowHeader, NetflowHeaderV5, NetflowRecordV5
ports = [int(p) for p in sys.argv[1:]]
now = int(time.time())
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
seq = 0
recs = []
for i in range(300):
    proto = (6, 17, 47)[i % 3] if i % 10 else 6
    # destination port k appears (k + 1) times: flow counts never tie
    k = 0
    n = i
    while n > k:
        n -= k + 1
        k += 1
    dport = 1000 + k
    recs.append(NetflowRecordV5(
        src="10.%d.%d.%d" % (1 + i % 3, i % 7, 1 + i % 50),
        dst="192.0.2.%d" % (1 + i % 20), nexthop="10.0.0.254",
        input=1 + i % 4, output=5, dpkts=1 + i * 3,
        dOctets=40 * (1 + i * 3) + i * 7 + 1000 * (i % 11),
        first=100000 + i * 37, last=100000 + i * 37 + i * 11,
        srcport=1024 + i, dstport=dport, tcpFlags=(i * 5) & 0x3f,
        prot=proto, tos=(i % 4) * 8, src_as=64500 + i % 5, dst_as=65000))
for off in range(0, len(recs), 30):
    chunk = recs[off:off + 30]
    pkt = NetflowHeader() / NetflowHeaderV5(count=len(chunk),
        sysUptime=200000, unixSecs=now, unixNanoSeconds=0,
        flowSequence=seq, engineType=0, engineID=0)
    for r in chunk:
        pkt = pkt / r
    seq += len(chunk)
    for p in ports:
        s.sendto(bytes(pkt), ("127.0.0.1", p))
    time.sleep(0.01)
PYEOF
"$PY" "$T/send.py" "$PORT1" "$PORT2"
sleep 2
kill -TERM "$P1" "$P2"
wait "$P1" 2>/dev/null
wait "$P2" 2>/dev/null
P1= P2=
NF=$(ls "$T"/nf/nfcapd.2* 2>/dev/null | head -1)
if [ -z "$NF" ] || [ -z "$(ls "$T/fk")" ]; then
	echo "1..$NT"
	echo "Bail out! a collector wrote no file"
	cat "$T/flowcapd.log" "$T/nfcapd.log" | sed 's/^/# /'
	exit 1
fi

n=0
fail=0
check() {	# check NAME: compares $T/a (nfdump) and $T/b (flowq)
	n=$((n + 1))
	if [ -s "$T/a" ] && cmp -s "$T/a" "$T/b"; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		diff -u "$T/a" "$T/b" | head -20 | sed 's/^/# /'
		fail=1
	fi
}
nfq() { nfdump -r "$NF" "$@" 2>/dev/null; }
fkq() { "$FLOWQ" -R "$T/fk" "$@" 2>/dev/null; }

# CSV: the common columns, nfdump's time text (ours is ISO 8601)
csvcols() {
	awk -F, -v iso="$1" '
	NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$0 == "" || $1 == "Summary" { exit }
	{
		ts = $c["ts"]; te = $c["te"]
		if (iso) { ts = substr(ts, 1, 19); te = substr(te, 1, 19)
			sub("T", " ", ts); sub("T", " ", te) }
		print ts, te, $c["td"], $c["sa"], $c["da"], $c["sp"], $c["dp"],
		    $c["pr"], $c["flg"], $c["stos"], $c["ipkt"], $c["ibyt"],
		    $c["in"], $c["out"], $c["sas"], $c["das"], $c["nh"]
	}' | sort
}
nfq -o csv | csvcols 0 > "$T/a"
fkq -o csv | csvcols 1 > "$T/b"
check "csv listing: same records"

nfq -s srcip/bytes -n 20 -N | sed -n '/^Top/,/^$/p' > "$T/a"
fkq -s srcip/bytes -n 20 -N | sed -n '/^Top/,/^$/p' > "$T/b"
check "-s srcip/bytes: same table"

nfq -s dstport/flows -n 15 | sed -n '/^Top/,/^$/p' > "$T/a"
fkq -s dstport/flows -n 15 | sed -n '/^Top/,/^$/p' > "$T/b"
check "-s dstport/flows: same table"

nfq -A srcip,dstport -q | sort > "$T/a"
fkq -A srcip,dstport -q | sort > "$T/b"
check "-A srcip,dstport: same aggregates"

: > "$T/a"
: > "$T/b"
for f in 'proto tcp and dst port 1010' 'src net 10.2.0.0/16' \
    'bytes > 5k and packets < 500' 'not proto udp and tos 8' \
    'dst ip in [192.0.2.1 192.0.2.7] or src port > 1300' \
    'proto 47 or (in if 2 and tos 16)'; do
	echo "# $f" >> "$T/a"
	echo "# $f" >> "$T/b"
	nfq -o csv "$f" | csvcols 0 >> "$T/a"
	fkq -o csv "$f" | csvcols 1 >> "$T/b"
done
check "six filters select the same records"

nfq -o line | grep '^Summary' > "$T/a"
fkq -o line | grep '^Summary' > "$T/b"
check "summary totals"
echo "1..$n"
exit $fail
