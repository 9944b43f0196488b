#!/bin/sh
# tests/probe_linktypes.sh -- flowprobe -r on generated captures of the
# link types of small routers and provider links: PPP, PPP serial (PPP
# and Cisco framing), Cisco HDLC, PPPoE in Ethernet and as a link type,
# MPLS stacks and pseudowires.  For each: the exact flows (golden
# files), the frame accounting (every IP packet counted, LCP / SLARP /
# discovery / OAM frames counted as non-IP), and tshark as a judge:
# the packets and bytes per address/port/protocol tuple that tshark
# dissects must be the ones flowprobe accounts (SKIP without tshark).
# About 5 seconds with tshark.

: "${top_builddir:=..}" "${top_srcdir:=..}"
PROBE=$top_builddir/probe/flowprobe
GEN=$top_builddir/tests/gen_pcap
DATA=$top_srcdir/tests/data
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT INT TERM

n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else notok "$1"; fi; }
skip() { n=$((n + 1)); echo "ok $n # SKIP $1"; }

CASES="ppp pppserial chdlc pppoe pppether mpls"
echo "1..18"

# 1-6: golden flows
for c in $CASES; do
	"$GEN" "$c" "$T/$c.pcap" &&
	    timeout 60 "$PROBE" -r "$T/$c.pcap" -d >"$T/$c.out" 2>"$T/$c.err"
	rc=$?
	if [ $rc -eq 0 ] && cmp -s "$DATA/probe_$c.out" "$T/$c.out"; then
		ok "$c: exact flows"
	else
		notok "$c: exact flows (exit $rc)"
		diff "$DATA/probe_$c.out" "$T/$c.out" | sed 's/^/# /'
		sed 's/^/# /' "$T/$c.err"
	fi
done

# 7-12: every frame accounted for, by link type
stats() {	# case, link type, frames, IP (v4, v6), non-IP, truncated
	check "$1: $3 frames: $4 IP, $5 non-IP, $6 truncated" \
	    "grep -q '^Frames processed: $3 ($2)\$' '$T/$1.err' &&
	     grep -q '^IP packets: $4, 0 sampled out\$' '$T/$1.err' &&
	     grep -q '^Ignored frames: $(($5 + $6)) ($5 non-IP, $6 truncated, 0 malformed)\$' '$T/$1.err'"
}
stats ppp PPP 7 "5 (3 IPv4, 2 IPv6)" 2 0
stats pppserial PPP_SERIAL 6 "4 (2 IPv4, 2 IPv6)" 2 0
stats chdlc C_HDLC 5 "3 (2 IPv4, 1 IPv6)" 2 0
stats pppoe EN10MB 7 "5 (3 IPv4, 2 IPv6)" 2 0
stats pppether PPP_ETHER 3 "2 (1 IPv4, 1 IPv6)" 1 0
stats mpls EN10MB 8 "5 (4 IPv4, 1 IPv6)" 2 1

# 13-18: tshark as a judge.  Per tuple "proto src sport dst dport":
# packets and IP bytes.  flowprobe walks at most 16 labels (tshark has
# no limit), so tshark counts IP under at most 16 labels.
flow_tuples() {
	awk '{
		split($3, p, "="); s = $4; d = $6
		ns = split(s, a, ":"); sp = a[ns]; s = substr(s, 1, length(s) - length(sp) - 1)
		nd = split(d, b, ":"); dp = b[nd]; d = substr(d, 1, length(d) - length(dp) - 1)
		gsub(/[][]/, "", s); gsub(/[][]/, "", d)
		k = p[2] " " s " " sp " " d " " dp
		pk[k] += substr($7, 6); by[k] += substr($8, 7)
	} END { for (k in pk) print k, pk[k], by[k] }' "$1" | sort
}
tshark_tuples() {
	tshark -r "$1" -Y '(ip || ipv6) && !(count(mpls.label) > 16)' \
	    -T fields -E separator='|' -e ip.proto -e ipv6.nxt -e ip.src \
	    -e ipv6.src -e tcp.srcport -e udp.srcport -e ip.dst -e ipv6.dst \
	    -e tcp.dstport -e udp.dstport -e ip.len -e ipv6.plen 2>/dev/null |
	awk -F'|' '{
		k = $1 $2 " " $3 $4 " " $5 $6 " " $7 $8 " " $9 $10
		pk[k]++; by[k] += $11 != "" ? $11 : $12 + 40
	} END { for (k in pk) print k, pk[k], by[k] }' | sort
}
if ! command -v tshark >/dev/null 2>&1; then
	for c in $CASES; do skip "$c: tshark not installed"; done
else
	for c in $CASES; do
		flow_tuples "$T/$c.out" >"$T/$c.fp"
		tshark_tuples "$T/$c.pcap" >"$T/$c.ts"
		if [ -s "$T/$c.ts" ] && cmp -s "$T/$c.ts" "$T/$c.fp"; then
			ok "$c: tshark dissects the same packets and bytes per flow"
		else
			notok "$c: tshark dissects the same packets and bytes per flow"
			diff "$T/$c.ts" "$T/$c.fp" | sed 's/^/# /'
		fi
	done
fi
