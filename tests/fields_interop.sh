#!/bin/sh
# tests/fields_interop.sh -- the fields routers send, judged by tshark:
# tests/fields_interop.py writes IPFIX and v9 datagrams byte by byte
# (forwarding status, BGP next hops, TTLs, flow label, VRFs, 802.1Q
# priority and customer VLANs, NAT event, addresses, ports and port
# block, four MACs, an MPLS stack with its top label type and address,
# ICMP type/code elements); tshark's cflow dissector decodes them field
# by field, flowcapd stores them, and flowq -o ndjson must print what
# tshark saw, element by element.  The receive time flowcapd stamps lies
# within the run.  pmacct's nfacctd (where installed; else those tests
# SKIP) decodes the IPFIX datagrams too: its MACs, post-NAT addresses
# and ports, NAT event, top and bottom MPLS labels and BGP next hop must
# be flowq's.  nfdump's nfcapd (where installed) stores the IPFIX
# datagrams in its own file; flowq reading that file must print, token
# by token, what nfdump prints from it (the nfdump reader and the fmt:
# tokens at once).  SKIPs without python3, tshark or text2pcap.
: "${top_srcdir:=.}" "${top_builddir:=.}"
tmp=$(mktemp -d) || exit 1
. "$top_srcdir/tests/flowcapd_lib.sh"
NFA_PID=
NFCAPD_PID=
cleanup_all() {
	[ -n "$NFA_PID" ] && kill -9 "$NFA_PID" 2>/dev/null
	[ -n "$NFCAPD_PID" ] && kill -9 "$NFCAPD_PID" 2>/dev/null
	cleanup
}
trap cleanup_all EXIT
trap 'exit 1' INT TERM
FLOWQ=$top_builddir/query/flowq

if ! [ -x /usr/bin/python3 ] || ! command -v tshark >/dev/null 2>&1 ||
    ! command -v text2pcap >/dev/null 2>&1; then
	echo "1..0 # SKIP python3, tshark or text2pcap not installed"
	exit 0
fi
/usr/bin/python3 "$top_srcdir/tests/fields_interop.py" gen "$tmp" ||
    { echo "Bail out! generator failed"; exit 1; }
set -- $(cat "$tmp/fields")
targs=
for f in "$@"; do targs="$targs -e $f"; done

total=0
fail=0
for v in ipfix v9; do
	# tshark: hex lines -> pcap -> one '|'-separated line per datagram
	awk '{ for (i = 0; i < length($0) / 2; i += 16) {
		printf "%06x", i
		for (j = i; j < i + 16 && j < length($0) / 2; j++)
			printf " %s", substr($0, 2 * j + 1, 2)
		printf "\n" } }' "$tmp/$v.hex" >"$tmp/$v.od"
	timeout 30 text2pcap -q -u 3000,2055 "$tmp/$v.od" "$tmp/$v.pcap" \
	    >/dev/null 2>&1
	# shellcheck disable=SC2086
	timeout 60 tshark -r "$tmp/$v.pcap" -d udp.port==2055,cflow -T fields \
	    -E separator='|' $targs >"$tmp/$v.tshark" 2>"$tmp/$v.tshark.err"
	timeout 60 tshark -r "$tmp/$v.pcap" -d udp.port==2055,cflow -q \
	    -z expert >"$tmp/$v.expert" 2>/dev/null
	# flowcapd stores them; flowq prints them
	mkdir "$tmp/$v"
	before=$(date +%s)
	capd_start "$tmp/$v" || { echo "Bail out! flowcapd"; exit 1; }
	send "$tmp/$v.hex"
	capd_stop
	after=$(date +%s)
	"$FLOWQ" -r "$tmp/$v" -o ndjson >"$tmp/$v.json" 2>"$tmp/$v.err"
	"$FLOWQ" -r "$tmp/$v" -N -o 'fmt:%trr' | sed -n 's/^ *\([0-9]*\)\..*/\1/p' \
	    >"$tmp/$v.tr"
	/usr/bin/python3 "$top_srcdir/tests/fields_interop.py" cmp \
	    "$tmp/$v.tshark" "$tmp/$v.json" >"$tmp/$v.tap" || fail=1
	echo "$v" >"$tmp/$v.tag"
	n=$(grep -c '^\(not \)\{0,1\}ok' "$tmp/$v.tap")
	sed "s/^\(\(not \)\{0,1\}ok\) \([0-9]*\) - /\1 XX - $v: /" "$tmp/$v.tap" \
	    >"$tmp/$v.tap2"
	total=$((total + n))
	echo "$before $after" >"$tmp/$v.window"
done

# pmacct's nfacctd on the IPFIX datagrams
NFACCTD=$(command -v nfacctd || true)
[ -x /usr/sbin/nfacctd ] && NFACCTD=/usr/sbin/nfacctd
pm=skip
if [ -n "$NFACCTD" ]; then
	port=$(/usr/bin/python3 -c 'import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])')
	cat >"$tmp/nfacctd.conf" <<EOC
daemonize: false
nfacctd_ip: 127.0.0.1
nfacctd_port: $port
nfacctd_time_new: true
nfacctd_net: netflow
nfacctd_as: netflow
plugins: print
aggregate: src_host, src_port, src_mac, dst_mac, mpls_label_top, mpls_label_bottom, post_nat_src_host, post_nat_dst_host, post_nat_src_port, post_nat_dst_port, nat_event, peer_dst_ip
print_output: json
print_output_file: $tmp/nfacctd.json
print_refresh_time: 1
logfile: $tmp/nfacctd.log
EOC
	"$NFACCTD" -f "$tmp/nfacctd.conf" >/dev/null 2>&1 &
	NFA_PID=$!
	for _i in $(seq 1 50); do
		grep -q "waiting for NetFlow" "$tmp/nfacctd.log" 2>/dev/null &&
		    break
		sleep 0.1
	done
	timeout 30 "$NFSEND" 127.0.0.1 "$port" "$tmp/ipfix.hex" >/dev/null
	for _i in $(seq 1 50); do
		[ "$(grep -c . "$tmp/nfacctd.json" 2>/dev/null)" = 3 ] && break
		sleep 0.2
	done
	kill -INT "$NFA_PID" 2>/dev/null
	for _i in $(seq 1 50); do
		kill -0 "$NFA_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -9 "$NFA_PID" 2>/dev/null
	wait "$NFA_PID" 2>/dev/null
	NFA_PID=
	/usr/bin/python3 "$top_srcdir/tests/fields_interop.py" pmcmp \
	    "$tmp/nfacctd.json" "$tmp/ipfix.json" >"$tmp/pm.tap"
	total=$((total + $(grep -c '^\(not \)\{0,1\}ok' "$tmp/pm.tap")))
	pm=run
else
	total=$((total + 1))
fi

# nfcapd's file: nfdump and flowq print the same
nf=skip
FMT='%sa %ismc %odmc %idmc %osmc %mpls1 %mpls2 %mpls3 %nhb %ivrf %evrf %nsa %nda %nsp %ndp %pbstart %pbend %pbstep %pbsize %tr %nevt'
if command -v nfcapd >/dev/null 2>&1 && command -v nfdump >/dev/null 2>&1
then
	. "$top_srcdir/tests/nfcapd_lib.sh"
	mkdir "$tmp/nf"
	if nfcapd_start "$tmp/nf" "$tmp/nfcapd.log" -t 3600; then
		timeout 30 "$NFSEND" 127.0.0.1 "$NFCAPD_PORT" \
		    "$tmp/ipfix.hex" >/dev/null
		sleep 0.5
		kill -TERM "$NFCAPD_PID"
		for _i in $(seq 1 50); do
			kill -0 "$NFCAPD_PID" 2>/dev/null || break
			sleep 0.1
		done
		wait "$NFCAPD_PID" 2>/dev/null
		NFCAPD_PID=
		f=$(find "$tmp/nf" -name 'nfcapd.2*' -type f | head -n 1)
		if [ -n "$f" ]; then
			TZ=UTC nfdump -q -r "$f" -o "fmt:$FMT" >"$tmp/nf.nfdump" \
			    2>&1
			TZ=UTC "$FLOWQ" -q -r "$f" -o "fmt:$FMT" >"$tmp/nf.flowq" \
			    2>&1
			nf=run
		fi
	fi
fi
total=$((total + 1))

echo "1..$((total + 4))"
i=0
for v in ipfix v9; do
	while IFS= read -r line; do
		i=$((i + 1))
		printf '%s\n' "$line" | sed "s/ XX - / $i - /"
	done <"$tmp/$v.tap2"
done
if [ "$pm" = run ]; then
	while IFS= read -r line; do
		i=$((i + 1))
		printf '%s\n' "$line" |
		    sed "s/^\(\(not \)\{0,1\}ok\) [0-9]* - /\1 $i - /"
	done <"$tmp/pm.tap"
else
	i=$((i + 1))
	echo "ok $i # SKIP pmacct's nfacctd not installed"
fi
i=$((i + 1))
if [ "$nf" = run ]; then
	if [ "$(grep -c . "$tmp/nf.nfdump")" -eq 3 ] &&
	    diff -u "$tmp/nf.nfdump" "$tmp/nf.flowq" >"$tmp/nf.diff"; then
		echo "ok $i - nfcapd's file: flowq prints what nfdump prints ($FMT)"
	else
		echo "not ok $i - nfcapd's file: flowq differs from nfdump"
		sed 's/^/# /' "$tmp/nf.diff" "$tmp/nf.nfdump"
	fi
else
	echo "ok $i # SKIP nfcapd/nfdump not installed or wrote no file"
fi
for v in ipfix v9; do
	i=$((i + 1))
	if grep -qi "warn\|error\|malformed" "$tmp/$v.expert"; then
		echo "not ok $i - $v: tshark reports problems"
		sed 's/^/# /' "$tmp/$v.expert"
	else
		echo "ok $i - $v: tshark decodes it without expert warnings"
	fi
	i=$((i + 1))
	read -r before after <"$tmp/$v.window"
	bad=$(awk -v b="$before" -v a="$after" '$1 < b || $1 > a' "$tmp/$v.tr")
	if [ -s "$tmp/$v.tr" ] && [ -z "$bad" ] &&
	    [ "$(wc -l <"$tmp/$v.tr")" -eq 3 ]; then
		echo "ok $i - $v: received time of each record within the run"
	else
		echo "not ok $i - $v: received times $(tr '\n' ' ' <"$tmp/$v.tr") not in [$before, $after]"
	fi
done
