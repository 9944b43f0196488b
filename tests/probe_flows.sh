#!/bin/sh
# tests/probe_flows.sh -- flowprobe -r on generated captures: the exact
# flows (times, addresses, ports, packets, bytes, flags, end reasons)
# for every link type and header case, timeouts and their options,
# filters, table limits, determinism, statistics, error messages, and
# the same packet and byte totals as softflowd where it parses the
# capture too (SKIP without softflowd).

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
run() { timeout 60 "$PROBE" "$@"; }

echo "1..40"

# 1-11: golden flows per case
for c in basic vlan l3 timeouts sll sll2 raw null loop ipv4 ipv6; do
	"$GEN" "$c" "$T/$c.pcap" &&
	    run -r "$T/$c.pcap" -d >"$T/$c.out" 2>"$T/$c.err"
	rc=$?
	if [ $rc -eq 0 ] && cmp -s "$DATA/probe_$c.out" "$T/$c.out"; then
		ok "$c: exact flows"
	else
		notok "$c: exact flows (exit $rc)"
		diff "$DATA/probe_$c.out" "$T/$c.out" | sed 's/^/# /'
	fi
done

# 12-14: statistics on stderr
check "basic: frames and ignored frames counted" \
    'grep -q "^Frames processed: 20 (EN10MB)" "$T/basic.err" &&
     grep -q "^Ignored frames: 3 (2 non-IP, 1 truncated, 0 malformed)" "$T/basic.err"'
check "basic: packets, octets and reasons counted" \
    'grep -q "^Packets accounted: 17 (3040 octets)" "$T/basic.err" &&
     grep -q "^Flows expired: 11 (1 forced, 0 for lack of resources)" "$T/basic.err"'
check "l3: fragments counted" \
    'grep -q "^Fragments: 6 (2 later ones matched to their first, 1 not)" "$T/l3.err"'

# 15-16: determinism
"$GEN" bulk "$T/bulk.pcap" 200000 5000 42
run -r "$T/bulk.pcap" -d >"$T/b1" 2>/dev/null
run -r "$T/bulk.pcap" -d >"$T/b2" 2>/dev/null
check "bulk: two runs give identical flows" \
    'cmp -s "$T/b1" "$T/b2" && [ $(wc -l <"$T/b1") -gt 5000 ]'
run -r "$T/bulk.pcap" -d -m 1000 >"$T/b3" 2>"$T/b3.err"
run -r "$T/bulk.pcap" -d -m 1000 >"$T/b4" 2>/dev/null
check "bulk, -m 1000: identical again, evictions happened" \
    'cmp -s "$T/b3" "$T/b4" && grep -q " end=lack$" "$T/b3"'

# 17: totals survive evictions
sum() { awk '{ for (i = 1; i <= NF; i++) { if ($i ~ /^pkts=/) p += substr($i, 6);
    if ($i ~ /^bytes=/) b += substr($i, 7) } } END { print p, b }' "$1"; }
check "bulk: packets and bytes equal with and without evictions" \
    '[ "$(sum "$T/b1")" = "$(sum "$T/b3")" ] &&
     [ "$(sum "$T/b1" | cut -d" " -f1)" = 200000 ]'

# 18-19: timeouts by name
run -r "$T/timeouts.pcap" -d -t active=10m -t udp=30 >"$T/t1" 2>/dev/null
check "-t active=10m: long flow cut every 600 s" \
    '[ "$(grep -c "10.0.0.3:2000 > .* end=active" "$T/t1")" = 4 ] &&
     grep -q "^1700000020.000 1700000610.000 .* pkts=60 .* end=active$" "$T/t1"'
check "-t udp=30: UDP packets 20 s apart stay one flow" \
    'grep -q "^1700000000.000 1700000030.000 proto=17 .* pkts=3 bytes=150 .* end=idle$" "$T/t1"'
run -r "$T/timeouts.pcap" -d -t tcp.rst=1s -t maxlife=0 >"$T/t2" 2>/dev/null

# 20-21
check "-t tcp.rst=1s: SYN 2 s after RST is a new flow" \
    'grep -q "^1700000700.000 1700000700.000 proto=6 .* pkts=1 .*flags=0x04 .* end=eof$" "$T/t2" &&
     grep -q "^1700000702.000 1700000702.000 proto=6 10.0.0.5" "$T/t2"'
check "-t maxlife=0: no active timeout" \
    '! grep -q "end=active" "$T/t2" &&
     grep -q "^1700000020.000 1700002420.000 .* pkts=241 .* end=forced$" "$T/t2"'

# 22-24: -T levels, sampling
run -r "$T/basic.pcap" -d -T proto >"$T/tp" 2>/dev/null
check "-T proto: ports ignored" \
    '[ $(wc -l <"$T/tp") = 11 ] && grep -q "^1700000003.000 .* proto=17 10.0.0.1:0 > 10.0.0.4:0 pkts=1 bytes=60" "$T/tp" &&
     grep -q "proto=1 10.0.0.1:0 > 10.0.0.4:0 pkts=1 bytes=84" "$T/tp"'
run -r "$T/basic.pcap" -d -T ip >"$T/ti" 2>/dev/null
check "-T ip: one flow per address pair" \
    '[ $(wc -l <"$T/ti") = 10 ] && grep -q "proto=0 10.0.0.1:0 > 10.0.0.2:0 pkts=5 bytes=768" "$T/ti" &&
     grep -q "^1700000003.000 1700000004.000 proto=0 10.0.0.1:0 > 10.0.0.4:0 pkts=2 bytes=144" "$T/ti"'
run -r "$T/bulk.pcap" -d -s 10 >"$T/ts" 2>"$T/ts.err"
check "-s 10: one packet in ten accounted" \
    '[ "$(sum "$T/ts" | cut -d" " -f1)" = 20000 ] &&
     grep -q "180000 sampled out" "$T/ts.err"'

# 25-26: filters and table limit
run -r "$T/basic.pcap" -d udp >"$T/fu" 2>/dev/null
check "bpf filter 'udp': only UDP flows" \
    '[ $(wc -l <"$T/fu") = 4 ] && ! grep -qv "proto=17" "$T/fu"'
run -r "$T/basic.pcap" -d -m 2 >"$T/m2" 2>/dev/null
check "-m 2: least recently seen flows expire for lack of resources" \
    '[ "$(grep -c "end=lack" "$T/m2")" = 9 ] && [ "$(sum "$T/m2")" = "17 3040" ] &&
     head -1 "$T/m2" | grep -q "^1700000000.001 1700000001.001 proto=6 10.0.0.2:80 > 10.0.0.1:40000 pkts=3 bytes=1564 .* end=lack$"'

# 27-37: errors
err() {	# description, expected text, args...
	d=$1 want=$2
	shift 2
	run "$@" >"$T/eo" 2>"$T/ee"
	rc=$?
	if [ $rc -ne 0 ] && [ ! -s "$T/eo" ] && grep -q -- "$want" "$T/ee"; then
		ok "error: $d"
	else
		notok "error: $d (exit $rc)"
		sed 's/^/# /' "$T/ee"
	fi
}
err "missing file" "$T/nope.pcap: No such file" -r "$T/nope.pcap"
printf 'this is not a capture file at all' >"$T/junk"
err "not a capture" "junk: unknown file format" -r "$T/junk"
err "bad filter" 'filter "tcp and": ' -r "$T/basic.pcap" tcp and
err "bad -t name" 'timeout "bogus": unknown name' -r "$T/basic.pcap" -t bogus=1
err "bad -t time" 'bad time "5y"' -r "$T/basic.pcap" -t udp=5y
err "bad -T" "-T both: expected full, proto or ip" -r "$T/basic.pcap" -T both
err "bad -v" "-v 7: expected 5, 9 or 10" -r "$T/basic.pcap" -v 7
err "bad -m" "-m 0: expected a number" -r "$T/basic.pcap" -m 0
err "bad -s" "-s x: expected a number" -r "$T/basic.pcap" -s x
err "no source" "give exactly one of -i" -d
err "bad -n" "-n nowhere: expected host:port" -r "$T/basic.pcap" -n nowhere

# 38: usage
check "-h prints usage, exit 0" '"$PROBE" -h 2>&1 | grep -q "^usage: flowprobe"'

# 39-40: softflowd as a judge of packet and byte totals
sfd=$(command -v softflowd)
if [ -z "$sfd" ]; then
	skip "softflowd not installed"
	skip "softflowd not installed"
else
	# softflowd's statistics: sum of the per-protocol octets and packets
	sf_totals() {
		timeout 60 "$sfd" -r "$1" -6 2>/dev/null | awk '
		    /^Per-protocol statistics/ { on = 1; next }
		    on && NF >= 5 { o += $(NF - 3); p += $(NF - 2) }
		    END { print p, o }'
	}
	fp_totals() {
		run -r "$1" 2>&1 >/dev/null | sed -n \
		    's/^Packets accounted: \([0-9]*\) (\([0-9]*\) octets)$/\1 \2/p'
	}
	good=1
	for c in l3 timeouts sll raw; do
		a=$(sf_totals "$T/$c.pcap") b=$(fp_totals "$T/$c.pcap")
		[ "$a" = "$b" ] || { good=0; echo "# $c: softflowd $a, flowprobe $b"; }
	done
	check "same packets and bytes as softflowd on the small captures" \
	    '[ $good = 1 ]'
	a=$(sf_totals "$T/bulk.pcap") b=$(fp_totals "$T/bulk.pcap")
	echo "# bulk: softflowd $a, flowprobe $b"
	check "same packets and bytes as softflowd on the bulk capture" \
	    '[ -n "$a" ] && [ "$a" = "$b" ]'
fi
