#!/bin/sh
# tests/flowcapd_pmacct.sh -- pmacct's nfacctd (Debian package pmacct,
# with nfacctd_renormalize) as a judge of the sampling rate flowcapd
# applies: the same scapy-built datagrams (tests/gen_scapy_sampling.py)
# go to both, and every flow's renormalized packets and bytes must agree.
#
# Shapes judged: v9 SAMPLING_INTERVAL 34 / SAMPLING_ALGORITHM 35 for the
# source id, v9 FLOW_SAMPLER_ID 48 / MODE 49 / RANDOM_INTERVAL 50 per
# sampler, and IPFIX systematic count-based sampling per selectorId
# (305 = 1, 306 = 255).  Not judged: the IOS-XR random sampler (304 = 3,
# 309/310): pmacct 1.7.7 (Debian 12) predates its support for 309/310
# and stores zero counters for that shape (see notes/h8-sampling.md);
# tests/flowcapd_sampling.sh checks it against the rule table instead.
# Takes about 5 seconds.  SKIPs when nfacctd or python3-scapy is missing.
: "${top_srcdir:=.}" "${top_builddir:=.}"
tmp=$(mktemp -d) || exit 1
. "$top_srcdir/tests/flowcapd_lib.sh"
NFA_PID=
cleanup_all() {
	[ -n "$NFA_PID" ] && kill -9 "$NFA_PID" 2>/dev/null
	cleanup
}
trap cleanup_all EXIT
trap 'exit 1' INT TERM

echo "1..2"
NFACCTD=$(command -v nfacctd || true)
[ -x /usr/sbin/nfacctd ] && NFACCTD=/usr/sbin/nfacctd
if [ -z "$NFACCTD" ]; then
	skip "nfacctd (pmacct) not installed"
	skip "nfacctd (pmacct) not installed"
	exit 0
fi
if ! [ -x /usr/bin/python3 ] ||
    ! /usr/bin/python3 -c 'import scapy.layers.netflow' >/dev/null 2>&1; then
	skip "python3-scapy not installed"
	skip "python3-scapy not installed"
	exit 0
fi
timeout 60 /usr/bin/python3 "$top_srcdir/tests/gen_scapy_sampling.py" "$tmp" ||
    { echo "Bail out! generator failed"; exit 1; }
g=$tmp
cat "$g/v9_34.hex" >"$g/judge.hex"
head -n 2 "$g/v9_48.hex" >>"$g/judge.hex"
cat "$g/count.hex" >>"$g/judge.hex"

# flowcapd: src,dst,sport,dport,packets,bytes of every stored flow
mkdir "$tmp/a"
capd_start "$tmp/a"
send "$g/judge.hex"
capd_stop
records "$tmp/a" | sed -n \
    's/.* af=4 \([0-9.]*\):\([0-9]*\) -> \([0-9.]*\):\([0-9]*\) .* pkts=\([0-9]*\) bytes=\([0-9]*\) .*/\1,\3,\2,\4,\5,\6/p' |
    sort >"$tmp/capd.csv"

# nfacctd on a free port, print plugin to CSV every second
port=$(/usr/bin/python3 -c 'import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])')
cat >"$tmp/nfacctd.conf" <<EOF
daemonize: false
nfacctd_ip: 127.0.0.1
nfacctd_port: $port
nfacctd_renormalize: true
nfacctd_time_new: true
plugins: print
aggregate: src_host, dst_host, src_port, dst_port, proto
print_output: csv
print_output_file: $tmp/nfacctd.out
print_refresh_time: 1
logfile: $tmp/nfacctd.log
EOF
"$NFACCTD" -f "$tmp/nfacctd.conf" >/dev/null 2>&1 &
NFA_PID=$!
for _i in $(seq 1 50); do
	grep -q "waiting for NetFlow" "$tmp/nfacctd.log" 2>/dev/null && break
	sleep 0.1
done
timeout 30 "$NFSEND" 127.0.0.1 "$port" "$g/judge.hex" >/dev/null
want=$(wc -l <"$tmp/capd.csv")
for _i in $(seq 1 50); do
	[ -s "$tmp/nfacctd.out" ] &&
	    [ "$(grep -c '^[0-9]' "$tmp/nfacctd.out")" -ge "$want" ] && break
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
# SRC_IP,DST_IP,SRC_PORT,DST_PORT,PROTOCOL,PACKETS,BYTES
grep '^[0-9]' "$tmp/nfacctd.out" 2>/dev/null |
    awk -F, '{ print $1 "," $2 "," $3 "," $4 "," $6 "," $7 }' |
    sort >"$tmp/pmacct.csv"

[ "$want" -eq 6 ]
ok $? "flowcapd stored the 6 judged flows"
diff -u "$tmp/pmacct.csv" "$tmp/capd.csv" >"$tmp/diff"
ok $? "nfacctd (renormalized) and flowcapd agree on every flow's packets and bytes (v9 34/35, v9 48/49/50, IPFIX 305/306)"
[ -s "$tmp/diff" ] && sed 's/^/# /' "$tmp/diff"
exit 0
