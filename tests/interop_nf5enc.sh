#!/bin/sh
# tests/interop_nf5enc.sh -- independent decoders judge the v5 encoder.
# tests/nf5enc writes one datagram (3 IPv4 records, one IPv6 record
# skipped, counters/AS/ifIndex clamped); then
#   1. scapy's netflow layers parse it to the expected fields;
#   2. tshark's cflow dissector shows the expected fields, and
#   3. reports no expert info (malformed or warnings);
#   4. nfcapd receives it over UDP on 127.0.0.1 and nfdump lists the
#      expected flows: times from sysUptime, and packets and bytes
#      scaled by the 1-in-64 rate announced in the header.
# nfdump 1.7.1 drops v5 masks, so they are checked by scapy and tshark only.
# Each judge that is not installed is a SKIP.
: "${top_srcdir:=.}" "${top_builddir:=.}"
data=$top_srcdir/tests/data
tmp=$(mktemp -d) || exit 1
nfpid=
cleanup() {
	[ -n "$nfpid" ] && kill "$nfpid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

echo "1..4"
if ! "$top_builddir/tests/nf5enc" "$tmp/dg.bin"; then
	echo "Bail out! tests/nf5enc failed"
	exit 1
fi

# check N NAME EXPECTED GOT: ok if the files are equal
check() {
	if diff -u "$3" "$4" >"$tmp/diff" 2>&1; then
		echo "ok $1 - $2"
	else
		sed 's/^/# /' "$tmp/diff"
		echo "not ok $1 - $2"
	fi
}

if [ -x /usr/bin/python3 ] &&
    /usr/bin/python3 -c 'import scapy.layers.netflow' >/dev/null 2>&1; then
	timeout 60 /usr/bin/python3 "$top_srcdir/tests/gen_scapy_v5.py" \
	    --parse "$tmp/dg.bin" >"$tmp/scapy.out" 2>&1
	check 1 "scapy parses the encoded datagram" \
	    "$data/nf5enc_scapy.expected" "$tmp/scapy.out"
else
	echo "ok 1 # SKIP python3-scapy not installed"
fi

fields="version count unix_secs unix_nsecs sequence engine_type engine_id
samplingmode samplerate srcaddr dstaddr nexthop inputint outputint packets
octets timestart timeend srcport dstport tcpflags protocol tos srcas dstas
srcmask dstmask"
if command -v tshark >/dev/null 2>&1 && command -v text2pcap >/dev/null 2>&1
then
	od -Ax -tx1 -v "$tmp/dg.bin" >"$tmp/dg.od"
	timeout 30 text2pcap -q -u 3000,2055 "$tmp/dg.od" "$tmp/dg.pcap" \
	    >/dev/null 2>&1
	args=
	for f in $fields; do
		args="$args -e cflow.$f"
		echo "cflow.$f"
	done >"$tmp/names"
	# shellcheck disable=SC2086
	timeout 60 tshark -r "$tmp/dg.pcap" -d udp.port==2055,cflow \
	    -T fields $args 2>/dev/null | tr '\t' '\n' >"$tmp/values"
	paste -d= "$tmp/names" "$tmp/values" >"$tmp/tshark.out"
	check 2 "tshark's cflow dissector reads the expected fields" \
	    "$data/nf5enc_tshark.expected" "$tmp/tshark.out"
	timeout 60 tshark -r "$tmp/dg.pcap" -d udp.port==2055,cflow -q \
	    -z expert >"$tmp/expert" 2>/dev/null
	timeout 60 tshark -r "$tmp/dg.pcap" -d udp.port==2055,cflow -V \
	    >"$tmp/verbose" 2>/dev/null
	if grep -q 'Cisco NetFlow' "$tmp/verbose" &&
	    ! grep -qi -E 'error|warn|malformed' "$tmp/expert" "$tmp/verbose"
	then
		echo "ok 3 - tshark: no malformed or expert warnings"
	else
		sed 's/^/# /' "$tmp/expert"
		grep -i -E 'error|warn|malformed' "$tmp/verbose" | sed 's/^/# /'
		echo "not ok 3 - tshark: no malformed or expert warnings"
	fi
else
	echo "ok 2 # SKIP tshark or text2pcap not installed"
	echo "ok 3 # SKIP tshark or text2pcap not installed"
fi

if ! command -v nfcapd >/dev/null 2>&1 || ! command -v nfdump >/dev/null 2>&1 ||
    ! [ -x /usr/bin/python3 ]; then
	echo "ok 4 # SKIP nfcapd, nfdump or python3 not installed"
	exit 0
fi
# nfcapd on a port the kernel reports free (tests/nfcapd_lib.sh)
. "$top_srcdir/tests/nfcapd_lib.sh"
mkdir "$tmp/nfc"
if ! nfcapd_start "$tmp/nfc" "$tmp/nfcapd.log" -t 3600; then
	sed 's/^/# /' "$tmp/nfcapd.log"
	echo "not ok 4 - nfcapd + nfdump list the expected flows: nfcapd did not start"
	exit 0
fi
nfpid=$NFCAPD_PID
port=$NFCAPD_PORT
/usr/bin/python3 -c 'import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(open(sys.argv[1], "rb").read(), ("127.0.0.1", int(sys.argv[2])))' \
    "$tmp/dg.bin" "$port"
# nfcapd reads the socket before it handles the signal; give it a moment
n=0
while [ $n -lt 20 ] && ! grep -q 'New exporter' "$tmp/nfcapd.log"; do
	sleep 0.1
	n=$((n + 1))
done
kill -TERM "$nfpid" 2>/dev/null
wait "$nfpid" 2>/dev/null
nfpid=
TZ=UTC timeout 30 nfdump -R "$tmp/nfc" -q -N \
    -o 'fmt:%ts|%te|%sa|%sp|%da|%dp|%pr|%pkt|%byt|%flg|%tos|%in|%out|%sas|%das|%nh' \
    2>&1 | sed 's/ *| */|/g; s/^ *//; s/ *$//' >"$tmp/nfdump.out"
check 4 "nfcapd + nfdump list the expected flows (rate 64 applied)" \
    "$data/nf5enc_nfdump.expected" "$tmp/nfdump.out"
sed 's/^/# nfcapd: /' "$tmp/nfcapd.log"
