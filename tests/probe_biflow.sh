#!/bin/sh
# tests/probe_biflow.sh -- flowprobe -b (RFC 5103 biflows in IPFIX), judged
# by tshark and softflowd -b over the same generated capture (both
# directions of 100 concurrent conversations):
#   1. tshark decodes flowprobe -b's export with no expert warning, the
#      reverse elements as reverse octets/packets (PEN 29305);
#   2. field by field (ports, forward and reverse packets and octets) the
#      records are softflowd -b's, as tshark reads both;
#   3. flowcapd stores them as biflows: flowq lists what nfdump lists
#      from nfcapd's files of the same export (in and out counters);
#   4. no packet lost or counted twice: forward + reverse = the capture;
#   5. -b with v9 changes nothing: the datagrams are those without -b.
# About 5 s.  SKIP without tshark, softflowd or nfcapd/nfdump (each
# check needs its judges only).
: "${top_srcdir:=.}" "${top_builddir:=.}"
tmp=$(mktemp -d) || exit 1
. "$top_srcdir/tests/flowcapd_lib.sh"
. "$top_srcdir/tests/nfcapd_lib.sh"
trap '[ -n "$NFCAPD_PID" ] && kill "$NFCAPD_PID" 2>/dev/null; cleanup' EXIT
trap 'exit 1' INT TERM
PY=$(command -v python3 || echo /usr/bin/python3)
FP=$top_builddir/probe/flowprobe
FLOWQ=$top_builddir/query/flowq

echo "1..6"
timeout 60 "$top_builddir/tests/gen_pcap" mix "$tmp/mix.pcap" 3000 1 \
    conc=100 || { echo "Bail out! gen_pcap failed"; exit 1; }

# receive OUT CMD...: run CMD (%P: a port) towards a UDP socket of ours;
# every datagram is one hex line of OUT, and OUT.pcap is the same as a
# capture for tshark (IPv4/UDP to port 4739).
receive() {
	timeout 90 "$PY" "$top_srcdir/tests/probe_recv.py" "$@"
}

# records FILE.pcap: "sport dport packets rpackets octets roctets" per
# IPFIX record, sorted (tshark puts a reverse element in the same field,
# after the forward one)
records() {
	timeout 60 tshark -r "$1" -d udp.port==4739,cflow -T fields \
	    -E occurrence=a -e cflow.srcport -e cflow.dstport \
	    -e cflow.packets -e cflow.octets 2>/dev/null | "$PY" -c '
import sys
for line in sys.stdin:
    f = line.rstrip("\n").split("\t")
    if len(f) < 4 or not f[0]:
        continue
    sp, dp, pk, ob = (x.split(",") for x in f[:4])
    for i in range(len(sp)):
        print(sp[i], dp[i], pk[2 * i], pk[2 * i + 1], ob[2 * i],
              ob[2 * i + 1])' | sort
}

receive "$tmp/fp" "$FP" -b -r "$tmp/mix.pcap" -v 10 -n "127.0.0.1:%P"
if command -v tshark >/dev/null; then
	timeout 60 tshark -r "$tmp/fp.pcap" -d udp.port==4739,cflow -q \
	    -z expert >"$tmp/expert" 2>/dev/null
	timeout 60 tshark -r "$tmp/fp.pcap" -d udp.port==4739,cflow -V \
	    >"$tmp/verbose" 2>/dev/null
	n=$(grep -c 'Reverse Type 1 BYTES' "$tmp/verbose")
	records "$tmp/fp.pcap" >"$tmp/fp.t"
	r=$(awk '$4 > 0' "$tmp/fp.t" | wc -l)
	[ "$n" -gt 100 ] && [ "$r" -gt 100 ] &&
	    ! grep -qi -E 'error|warn|malformed' "$tmp/expert" "$tmp/verbose"
	ok $? "tshark: flowprobe -b's IPFIX without expert warning; $n reverse octet elements (PEN 29305), $r records with reverse packets"
else
	skip "tshark not installed"
fi
if command -v tshark >/dev/null && command -v softflowd >/dev/null; then
	receive "$tmp/sf" softflowd -b -r "$tmp/mix.pcap" -v 10 \
	    -n "127.0.0.1:%P"
	records "$tmp/sf.pcap" >"$tmp/sf.t"
	c=$(wc -l <"$tmp/sf.t")
	[ "$c" -gt 100 ] && cmp -s "$tmp/fp.t" "$tmp/sf.t"
	st=$?
	ok $st "softflowd -b's $c conversations, field by field as tshark reads both (ports, forward and reverse packets and octets)"
	[ $st -eq 0 ] || diff "$tmp/sf.t" "$tmp/fp.t" | head -6 | sed 's/^/# /'
else
	skip "tshark or softflowd not installed"
fi

# flowcapd and nfcapd collect the same export
if command -v nfcapd >/dev/null && command -v nfdump >/dev/null; then
	mkdir -p "$tmp/f" "$tmp/n"
	if capd_start "$tmp/f" && nfcapd_start "$tmp/n" "$tmp/nfcapd.log" \
	    -t 3600; then
		timeout 30 "$NFSEND" 127.0.0.1 "$PORT" "$tmp/fp" >/dev/null
		timeout 30 "$NFSEND" 127.0.0.1 "$NFCAPD_PORT" "$tmp/fp" \
		    >/dev/null
		sleep 0.5
		capd_stop
		kill "$NFCAPD_PID"
		wait "$NFCAPD_PID" 2>/dev/null
		NFCAPD_PID=
		fmt='fmt:%sa %da %sp %dp %pr %ipkt %opkt %ibyt %obyt'
		nfdump -R "$tmp/n" -q -N -o "$fmt" 2>/dev/null |
		    sed 's/  */ /g' | sort >"$tmp/a"
		"$FLOWQ" -R "$tmp/f" -q -N -o "$fmt" 2>/dev/null |
		    sed 's/  */ /g' | sort >"$tmp/b"
		c=$(wc -l <"$tmp/a")
		o=$(awk '$7 > 0' "$tmp/a" | wc -l)
		[ "$c" -gt 100 ] && [ "$o" -gt 100 ] && cmp -s "$tmp/a" "$tmp/b"
		st=$?
		ok $st "flowcapd stores flowprobe -b's biflows: flowq lists nfdump's $c records ($o with out counters)"
		[ $st -eq 0 ] || diff "$tmp/a" "$tmp/b" | head -6 |
		    sed 's/^/# /'
	else
		ok 1 "flowcapd and nfcapd start"
	fi
else
	skip "nfcapd/nfdump not installed"
fi

# every packet once: forward + reverse over the records = the capture
if command -v tshark >/dev/null; then
	sum=$(awk '{ s += $3 + $4 } END { print s + 0 }' "$tmp/fp.t")
	[ "$sum" -eq 3000 ]
	ok $? "forward + reverse packets of the records: $sum of 3000"
else
	skip "tshark not installed"
fi

# -b with v9: the same datagrams as without it
receive "$tmp/v9" "$FP" -r "$tmp/mix.pcap" -v 9 -n "127.0.0.1:%P"
receive "$tmp/v9b" "$FP" -b -r "$tmp/mix.pcap" -v 9 -n "127.0.0.1:%P"
[ -s "$tmp/v9" ] && cmp -s "$tmp/v9" "$tmp/v9b"
ok $? "-b -v 9: the datagrams of -v 9 ($(wc -l <"$tmp/v9") of them)"
# and -b -v 10 differs from -v 10 only by pairing: fewer records
receive "$tmp/v10" "$FP" -r "$tmp/mix.pcap" -v 10 -n "127.0.0.1:%P"
a=$(grep -c . "$tmp/v10")
b=$(grep -c . "$tmp/fp")
[ "$b" -gt 0 ] && [ "$b" -lt "$a" ]
ok $? "-b -v 10: $b datagrams where -v 10 takes $a"
exit $tap_fail
