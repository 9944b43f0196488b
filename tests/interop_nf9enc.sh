#!/bin/sh
# tests/interop_nf9enc.sh -- independent decoders judge the v9 and IPFIX
# encoders.  tests/nfcodec encodes 12 sample flows (IPv4 and IPv6, 1-in-10
# sampling announced in an options template) as v9 and as IPFIX; then
#   1-4. tshark's cflow dissector decodes every record of each (octet
#        counts as sent) and reports no malformed packets or expert
#        warnings;
#   5.   nfcapd receives both over UDP on 127.0.0.1 and nfdump lists the
#        first flow of each with the times, addresses, ports and 64-bit
#        counters that were sent.
# Each judge that is not installed is a SKIP.
: "${top_srcdir:=.}" "${top_builddir:=.}"
tmp=$(mktemp -d) || exit 1
nfpid=
cleanup() {
	[ -n "$nfpid" ] && kill "$nfpid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

echo "1..5"
for v in 9 10; do
	if ! "$top_builddir/tests/nfcodec" enc $v 12 10 >"$tmp/v$v.hex"; then
		echo "Bail out! tests/nfcodec enc $v failed"
		exit 1
	fi
done

# the octet counts sample_flow() gives flows 0..11, in order
want_octets=
for i in 0 1 2 3 4 5 6 7 8 9 10 11; do
	want_octets="$want_octets$((10000000040 + i * 1500))
"
done

n=1
if command -v tshark >/dev/null 2>&1 && command -v text2pcap >/dev/null 2>&1
then
	for v in 9 10; do
		# one hex line per datagram -> od-style dump, offsets from 0
		awk '{ for (i = 0; i < length($0) / 2; i += 16) {
			printf "%06x", i
			for (j = i; j < i + 16 && j < length($0) / 2; j++)
				printf " %s", substr($0, 2 * j + 1, 2)
			printf "\n" } }' "$tmp/v$v.hex" >"$tmp/v$v.od"
		timeout 30 text2pcap -q -u 3000,2055 "$tmp/v$v.od" \
		    "$tmp/v$v.pcap" >/dev/null 2>&1
		timeout 60 tshark -r "$tmp/v$v.pcap" -d udp.port==2055,cflow \
		    -T fields -e cflow.octets 2>/dev/null | tr ',' '\n' |
		    grep . >"$tmp/octets"
		if [ "$(cat "$tmp/octets")" = "$(printf %s "$want_octets" |
		    grep .)" ]; then
			echo "ok $n - tshark decodes every v$v record"
		else
			sed 's/^/# got /' "$tmp/octets"
			echo "not ok $n - tshark decodes every v$v record"
		fi
		timeout 60 tshark -r "$tmp/v$v.pcap" -d udp.port==2055,cflow \
		    -q -z expert >"$tmp/expert" 2>/dev/null
		timeout 60 tshark -r "$tmp/v$v.pcap" -d udp.port==2055,cflow \
		    -V >"$tmp/verbose" 2>/dev/null
		if grep -q 'Cisco NetFlow' "$tmp/verbose" &&
		    ! grep -qi -E 'error|warn|malformed' "$tmp/expert" \
		    "$tmp/verbose"; then
			echo "ok $((n + 1)) - tshark: v$v has no malformed or" \
			    "expert warnings"
		else
			sed 's/^/# /' "$tmp/expert"
			grep -i -E 'error|warn|malformed' "$tmp/verbose" |
			    sed 's/^/# /'
			echo "not ok $((n + 1)) - tshark: v$v has no malformed" \
			    "or expert warnings"
		fi
		n=$((n + 2))
	done
else
	for i in 1 2 3 4; do
		echo "ok $i # SKIP tshark or text2pcap not installed"
	done
fi

if ! command -v nfcapd >/dev/null 2>&1 || ! command -v nfdump >/dev/null 2>&1 ||
    ! [ -x /usr/bin/python3 ]; then
	echo "ok 5 # SKIP nfcapd, nfdump or python3 not installed"
	exit 0
fi
# nfcapd on a port the kernel reports free (tests/nfcapd_lib.sh)
. "$top_srcdir/tests/nfcapd_lib.sh"
mkdir "$tmp/nfc"
if ! nfcapd_start "$tmp/nfc" "$tmp/nfcapd.log" -t 3600; then
	sed 's/^/# /' "$tmp/nfcapd.log"
	echo "not ok 5 - nfcapd + nfdump list all 24 v9 and IPFIX flows as sent: nfcapd did not start"
	exit 0
fi
nfpid=$NFCAPD_PID
port=$NFCAPD_PORT
cat "$tmp/v9.hex" "$tmp/v10.hex" | /usr/bin/python3 -c 'import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for line in sys.stdin:
    s.sendto(bytes.fromhex(line.strip()), ("127.0.0.1", int(sys.argv[1])))' \
    "$port"
i=0
while [ $i -lt 30 ] && [ "$(grep -c 'New .*exporter' "$tmp/nfcapd.log")" -lt 2 ]
do
	sleep 0.1
	i=$((i + 1))
done
kill -TERM "$nfpid" 2>/dev/null
wait "$nfpid" 2>/dev/null
nfpid=
TZ=UTC timeout 30 nfdump -R "$tmp/nfc" -q -N \
    -o 'fmt:%ts|%te|%sa|%sp|%da|%dp|%pr|%pkt|%byt' 2>&1 |
    sed 's/ *| */|/g; s/^ *//; s/ *$//' >"$tmp/nfdump.out"
want='2023-11-14 22:13:15.456|2023-11-14 22:13:20.356|10.0.0.1|1024|192.168.1.2|443|6|4294967297|10000000040'
if [ "$(wc -l <"$tmp/nfdump.out")" -eq 24 ] &&
    [ "$(grep -c -F -x "$want" "$tmp/nfdump.out")" -eq 2 ]; then
	echo "ok 5 - nfcapd + nfdump list all 24 v9 and IPFIX flows as sent"
else
	sed 's/^/# nfdump: /' "$tmp/nfdump.out"
	sed 's/^/# nfcapd: /' "$tmp/nfcapd.log"
	echo "not ok 5 - nfcapd + nfdump list all 24 v9 and IPFIX flows as sent"
fi
