#!/bin/sh
# tests/flowcapd_sflow.sh -- flowcapd collects sFlow v5, judged by
# nfdump's sfcapd (Debian nfdump-sflow) over the same datagrams:
#   - pmacct's sfprobe (Debian pmacct: pmacctd with the sfprobe plugin,
#     1 in 4) samples a capture of IPv4 and IPv6 TCP/UDP traffic and
#     exports sFlow v5; its datagrams are kept and the same bytes are
#     sent to sfcapd and to flowcapd;
#   - flowq over flowcapd's files must list the flows, packets and bytes
#     that nfdump lists over sfcapd's (every column both collectors
#     fill, times aside: each collector stamps its own arrival time, and
#     the exporter aside: sfcapd names the datagram's source, flowcapd
#     the agent address inside it, see flowcapd(8)), and the same -s
#     tables and summary;
#   - flowcapd takes the datagrams on its NetFlow port (recognised by
#     the 32-bit version 5) and on --sflow-port alike; the agent and
#     sub-agent are its exporter, with the sampling rate; a sequence gap
#     of the agent is counted as loss.
# SKIPs without pmacctd, sfcapd/nfdump or python3.  About 8 s.  TAP.

: "${top_srcdir:=.}" "${top_builddir:=.}"
tmp=$(mktemp -d) || exit 1
. "$top_srcdir/tests/flowcapd_lib.sh"
. "$top_srcdir/tests/nfcapd_lib.sh"
FLOWQ=$top_builddir/query/flowq
GENPCAP=$top_builddir/tests/gen_pcap
PY=/usr/bin/python3
NT=7
SF_PID=
PM_PID=
cleanup_all() {
	[ -n "$SF_PID" ] && kill -9 "$SF_PID" 2>/dev/null
	[ -n "$PM_PID" ] && kill -9 "$PM_PID" 2>/dev/null
	cleanup
}
trap cleanup_all EXIT
trap 'exit 1' INT TERM
TZ=UTC
export TZ

echo "1..$NT"
skip_all() {
	i=0
	while [ $i -lt $NT ]; do skip "$1"; i=$((i + 1)); done
	exit 0
}
PMACCTD=$(command -v pmacctd || true)
[ -x /usr/sbin/pmacctd ] && PMACCTD=/usr/sbin/pmacctd
[ -n "$PMACCTD" ] || skip_all "pmacctd (pmacct) not installed"
command -v sfcapd >/dev/null 2>&1 && command -v nfdump >/dev/null 2>&1 ||
    skip_all "sfcapd/nfdump (nfdump-sflow) not installed"
[ -x "$PY" ] || skip_all "python3 not installed"

# ---- pmacct's sFlow export of a capture, kept as hex datagrams ---------
"$GENPCAP" bulk "$tmp/cap.pcap" 4000 600 5 >/dev/null 2>&1 ||
    { echo "Bail out! gen_pcap failed"; exit 1; }
cat > "$tmp/keep.py" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(s.getsockname()[1]))
import os
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
s.settimeout(3)
n = 0
with open(sys.argv[2], "w") as out:
    try:
        while n < 100000:
            d, a = s.recvfrom(65536)
            out.write(d.hex() + "\n")
            n += 1
    except socket.timeout:
        pass
EOF
timeout 60 "$PY" "$tmp/keep.py" "$tmp/port" "$tmp/sflow.hex" &
PM_PID=$!
for _i in $(seq 1 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
cat > "$tmp/pmacctd.conf" <<EOF
daemonize: false
pcap_savefile: $tmp/cap.pcap
pcap_savefile_delay: 0
plugins: sfprobe
sfprobe_receiver: 127.0.0.1:$(cat "$tmp/port")
sfprobe_agentip: 192.0.2.33
sfprobe_agentsubid: 7
sampling_rate: 4
EOF
timeout 30 "$PMACCTD" -f "$tmp/pmacctd.conf" >"$tmp/pmacctd.log" 2>&1
wait "$PM_PID"
PM_PID=
ndg=$(grep -c . "$tmp/sflow.hex" 2>/dev/null)
if [ "${ndg:-0}" -lt 10 ]; then
	echo "Bail out! pmacct's sfprobe exported ${ndg:-0} datagrams"
	sed 's/^/# /' "$tmp/pmacctd.log"
	exit 1
fi
echo "# pmacct sfprobe: $ndg datagrams"

# ---- sfcapd ----------------------------------------------------------
mkdir -p "$tmp/sf"
sfcapd_start "$tmp/sf" "$tmp/sfcapd.log" -t 3600 -B 8388608 ||
    { echo "Bail out! sfcapd did not start"; exit 1; }
SF_PID=$NFCAPD_PID
# paced: sfcapd decodes in its receiving thread and drops a burst
timeout 30 "$NFSEND" -i 1000 127.0.0.1 "$NFCAPD_PORT" "$tmp/sflow.hex" \
    >/dev/null
sleep 1
kill "$SF_PID"
wait "$SF_PID" 2>/dev/null
SF_PID=
[ -n "$(ls "$tmp/sf")" ] || { echo "Bail out! sfcapd wrote no file";
    sed 's/^/# /' "$tmp/sfcapd.log"; exit 1; }

# ---- flowcapd: the NetFlow port, then --sflow-port --------------------
mkdir -p "$tmp/fk" "$tmp/fk2"
capd_start "$tmp/fk" -t 3600 || { echo "Bail out! flowcapd"; exit 1; }
send "$tmp/sflow.hex" "$top_srcdir/tests/data/sflow_counters.hex"
capd_stop
SFLOG=$CAPD_LOG
capd_start "$tmp/fk2" -t 3600 --sflow-port 0 ||
    { echo "Bail out! flowcapd --sflow-port"; exit 1; }
SFPORT=$(sed -n 's/.*sFlow on port \([0-9]*\).*/\1/p' "$CAPD_LOG")
[ -n "$SFPORT" ] && timeout 30 "$NFSEND" 127.0.0.1 "$SFPORT" \
    "$tmp/sflow.hex" >/dev/null
sleep 0.3
capd_stop

# the columns both collectors fill (no times, no router address)
cols() {
	awk -F, '
	NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$0 == "" || $1 == "Summary" { exit }
	{
		print $c["sa"], $c["da"], $c["sp"], $c["dp"], $c["pr"],
		    $c["flg"], $c["stos"], $c["ipkt"], $c["ibyt"], $c["in"],
		    $c["out"], $c["svln"], $c["dvln"], $c["sas"], $c["das"],
		    $c["smk"], $c["dmk"]
	}' | sort
}
same() {	# same NAME
	if [ -s "$tmp/a" ] && cmp -s "$tmp/a" "$tmp/b"; then
		ok 0 "$1"
	else
		ok 1 "$1"
		diff "$tmp/a" "$tmp/b" | head -10 | sed 's/^/# /'
	fi
}
nfdump -R "$tmp/sf" -o csv 2>/dev/null | cols > "$tmp/a"
"$FLOWQ" -R "$tmp/fk" -o csv 2>/dev/null | cols > "$tmp/b"
echo "# $(wc -l < "$tmp/a") records from sfcapd, $(wc -l < "$tmp/b") from flowcapd"
same "shared port: flowq lists the flows, packets and bytes nfdump lists over sfcapd's files"
"$FLOWQ" -R "$tmp/fk2" -o csv 2>/dev/null | cols > "$tmp/b"
same "--sflow-port: the same records"

: > "$tmp/a"
: > "$tmp/b"
# rows without first seen, duration, pps and bps (arrival times differ)
srow() {
	grep -E '^[0-9]{4}-' | awk '{ $1 = $2 = $3 = $(NF - 1) = $(NF - 2) = ""
	    print }' | sort
}
for s in srcip/bytes dstport/packets proto/flows; do
	nfdump -R "$tmp/sf" -s $s -n 0 -N -q 2>/dev/null | srow >> "$tmp/a"
	"$FLOWQ" -R "$tmp/fk" -s $s -n 0 -N -q 2>/dev/null | srow >> "$tmp/b"
done
same "-s srcip/bytes, dstport/packets, proto/flows (every row: flows, packets, bytes, bpp)"
nfdump -R "$tmp/sf" 2>/dev/null | sed -n 's/^Summary: total flows: \([0-9]*\), total bytes: \([^,]*\), total packets: \([^,]*\),.*/\1 \2 \3/p' > "$tmp/a"
"$FLOWQ" -R "$tmp/fk" 2>/dev/null | sed -n 's/^Summary: total flows: \([0-9]*\), total bytes: \([^,]*\), total packets: \([^,]*\),.*/\1 \2 \3/p' > "$tmp/b"
same "summary: flows, bytes and packets"

# the exporter is the agent and sub-agent, with the rate
"$FLOWQ" -I -R "$tmp/fk2" 2>/dev/null | grep '^Exporter ' > "$tmp/x"
grep -q '^Exporter 0: 192.0.2.33 port [0-9]* v9999 domain 7 sampling 4 ' \
    "$tmp/x" && [ "$(grep -c . "$tmp/x")" = 1 ]
ok $? "one exporter: agent 192.0.2.33, sub-agent 7, 1 in 4"
sed 's/^/# /' "$tmp/x"

# a sequence gap: every third datagram left out (the last one kept, so
# that every gap is followed by a datagram that shows it)
awk -v n="$ndg" 'NR % 3 != 0 || NR == n' "$tmp/sflow.hex" > "$tmp/gap.hex"
lost=$(awk -v n="$ndg" 'NR % 3 == 0 && NR < n' "$tmp/sflow.hex" | grep -c .)
mkdir -p "$tmp/fk3"
capd_start "$tmp/fk3" -t 3600 || { echo "Bail out! flowcapd"; exit 1; }
send "$tmp/gap.hex"
capd_stop
"$FLOWQ" -I -R "$tmp/fk3" 2>/dev/null | grep '^Exporter 0' > "$tmp/x"
grep -q "lost $lost " "$tmp/x"
ok $? "a sequence gap of the agent: $lost datagrams counted as lost"
sed 's/^/# /' "$tmp/x"

# counter samples (a datagram of agent 192.0.2.34) are counted, not
# stored as flows
grep -q '192.0.2.34.*1 counter samples' "$SFLOG"
ok $? "counter samples counted in the log"
exit $tap_fail
