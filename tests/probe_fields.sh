#!/bin/sh
# tests/probe_fields.sh -- flowprobe -x (export-fields): the extra fields
# it exports in v9 and IPFIX, judged by tshark and read back through
# flowcapd and flowq.  tests/probe_fields.py writes a capture byte by
# byte (MACs, 802.1ad + 802.1Q tags with priorities, MPLS stacks of
# three and of four labels, an IPv6 flow label, TTLs that vary within
# a flow); flowprobe -x all exports it:
#   1. tshark decodes every datagram without an expert warning;
#   2. tshark's value of every extra field of every record is what the
#      capture holds (MACs, priority, VLAN, customer VLAN, min/max TTL,
#      flow label, MPLS label/EXP/S of the three top entries);
#   3. flowcapd stores the same datagrams and flowq -o ndjson prints
#      the same values;
#   4. without -x, and with -x none, the datagrams are those of today
#      (the same bytes); -x with -v 5 is refused with a message.
# About 3 s.  SKIP without python3 or tshark.
: "${top_srcdir:=.}" "${top_builddir:=.}"
tmp=$(mktemp -d) || exit 1
. "$top_srcdir/tests/flowcapd_lib.sh"
trap cleanup EXIT
trap 'exit 1' INT TERM
PY=/usr/bin/python3
FP=$top_builddir/probe/flowprobe
FLOWQ=$top_builddir/query/flowq

if ! [ -x "$PY" ] || ! command -v tshark >/dev/null 2>&1; then
	echo "1..0 # SKIP python3 or tshark not installed"
	exit 0
fi
"$PY" "$top_srcdir/tests/probe_fields.py" gen "$tmp" ||
    { echo "Bail out! generator failed"; exit 1; }

# receive OUT CMD...: run CMD (%P: a port) towards a UDP socket of ours;
# each datagram becomes one hex line of OUT and a packet of OUT.pcap
# (IPv4/UDP to port 4739, for tshark).
receive() {
	timeout 90 "$PY" "$top_srcdir/tests/probe_recv.py" "$@"
}

for v in 9 10; do
	receive "$tmp/x$v" "$FP" -r "$tmp/in.pcap" -v "$v" -x all \
	    -n 127.0.0.1:%P
	[ -s "$tmp/x$v" ] || { echo "Bail out! no export (-v $v)"; exit 1; }
	timeout 60 tshark -r "$tmp/x$v.pcap" -d udp.port==4739,cflow -T json \
	    >"$tmp/x$v.json" 2>/dev/null
	timeout 60 tshark -r "$tmp/x$v.pcap" -d udp.port==4739,cflow -q \
	    -z expert >"$tmp/x$v.expert" 2>/dev/null
	mkdir "$tmp/q$v"
	capd_start "$tmp/q$v" || { echo "Bail out! flowcapd"; exit 1; }
	send "$tmp/x$v"
	capd_stop
	"$FLOWQ" -r "$tmp/q$v" -o ndjson >"$tmp/q$v.json" 2>"$tmp/q$v.err"
	"$PY" "$top_srcdir/tests/probe_fields.py" tshark "$tmp/x$v.json" \
	    "$tmp/expect.json" >"$tmp/t$v.tap"
	"$PY" "$top_srcdir/tests/probe_fields.py" flowq "$tmp/q$v.json" \
	    "$tmp/expect.json" >"$tmp/f$v.tap"
done
for v in 9 10; do
	receive "$tmp/p$v" "$FP" -r "$tmp/in.pcap" -v "$v" -n 127.0.0.1:%P
	receive "$tmp/n$v" "$FP" -r "$tmp/in.pcap" -v "$v" -x none \
	    -n 127.0.0.1:%P
done

n=0
for v in 9 10; do
	n=$((n + 1 + $(grep -c '^\(not \)\{0,1\}ok' "$tmp/t$v.tap") +
	    $(grep -c '^\(not \)\{0,1\}ok' "$tmp/f$v.tap")))
done
echo "1..$((n + 3))"
i=0
for v in 9 10; do
	i=$((i + 1))
	if grep -qi "warn\|error\|malformed" "$tmp/x$v.expert"; then
		echo "not ok $i - v$v -x all: tshark reports problems"
		sed 's/^/# /' "$tmp/x$v.expert"
	else
		echo "ok $i - v$v -x all: tshark decodes it without expert" \
		    "warnings ($(grep -c . "$tmp/x$v") datagrams)"
	fi
	for f in "$tmp/t$v.tap" "$tmp/f$v.tap"; do
		while IFS= read -r line; do
			case $line in
			ok*|not\ ok*)
				i=$((i + 1))
				printf '%s\n' "$line" | sed \
				    "s/^\(\(not \)\{0,1\}ok\) [0-9]* - /\1 $i - v$v: /" ;;
			*)	printf '%s\n' "$line" ;;
			esac
		done <"$f"
	done
done
for v in 9 10; do
	i=$((i + 1))
	if [ -s "$tmp/p$v" ] && cmp -s "$tmp/p$v" "$tmp/n$v" &&
	    ! cmp -s "$tmp/p$v" "$tmp/x$v"; then
		echo "ok $i - v$v: -x none sends what no -x sends; -x all" \
		    "differs"
	else
		echo "not ok $i - v$v: -x none or no -x changed the datagrams"
	fi
done
i=$((i + 1))
"$FP" -r "$tmp/in.pcap" -v 5 -x mac -n 127.0.0.1:9 >"$tmp/v5.out" 2>&1
rc=$?
if [ "$rc" -ne 0 ] && grep -q "v5 has no place for extra fields" \
    "$tmp/v5.out"; then
	echo "ok $i - -x with -v 5: refused with a message (exit $rc)"
else
	echo "not ok $i - -x with -v 5: exit $rc"
	sed 's/^/# /' "$tmp/v5.out"
fi
