#!/bin/sh
# tests/demo_pipeline.sh -- the quick-start demo (called by demo.sh, and
# a test of the suite): generate five minutes of a small office's
# traffic (tests/gen_pcap demo), turn it into flows with flowprobe,
# export them as NetFlow v9 to flowcapd on loopback, and ask flowq the
# questions an operator asks first: who moves the bytes, which services
# are used, who opens the most connections, what did the scanner find.
# Then TAP checks that every exported flow was stored and that the
# answers show what the capture holds (the backup NAS is the heaviest
# talker, the scanner opens the most flows, it found the six open
# ports).  Run from a built tree; writes only under a temporary
# directory.  About 3 seconds.
top=${top_builddir:-.}
for p in probe/flowprobe collector/flowcapd query/flowq; do
	if [ ! -x "$top/$p" ]; then
		echo "demo: $top/$p is not built yet" >&2
		exit 1
	fi
done
[ -x "$top/tests/gen_pcap" ] || make -C "$top" tests/gen_pcap >/dev/null
T=$(mktemp -d) || exit 1
CAPD=
cleanup() {
	[ -n "$CAPD" ] && kill -9 "$CAPD" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
FLOWQ=$top/query/flowq
fail() {
	echo "demo: $1" >&2
	[ -f "$2" ] && sed 's/^/    /' "$2" >&2
	exit 1
}

"$top/tests/gen_pcap" demo "$T/demo.pcap" || fail "gen_pcap failed"
mkdir "$T/flows"
"$top/collector/flowcapd" -l "$T/flows" -p 0 -b 127.0.0.1 -t 300 \
    2>"$T/flowcapd.log" &
CAPD=$!
PORT=
for i in $(seq 1 100); do	# up to 10 s for flowcapd to bind
	PORT=$(sed -n 's/.*listening on port \([0-9]*\).*/\1/p' "$T/flowcapd.log")
	[ -n "$PORT" ] && break
	kill -0 "$CAPD" 2>/dev/null || break
	sleep 0.1
done
[ -n "$PORT" ] || fail "flowcapd did not start" "$T/flowcapd.log"

echo "== A capture of five minutes of a small office network: a NAS backing up"
echo "   offsite, a video stream, 40 desktops browsing, DNS, NTP, SSH, and a"
echo "   port scanner from the Internet (tests/gen_pcap demo)."
echo "== flowprobe -r demo.pcap -n 127.0.0.1:$PORT -v 9 -Q 20000"
timeout 120 "$top/probe/flowprobe" -r "$T/demo.pcap" -n "127.0.0.1:$PORT" \
    -v 9 -Q 20000 2>"$T/flowprobe.log" ||
    fail "flowprobe failed" "$T/flowprobe.log"
pkts=$(sed -n 's/^Packets accounted: \([0-9]*\) .*/\1/p' "$T/flowprobe.log")
sent=$(sed -n 's/^Export: .* \([0-9]*\) records,.*/\1/p' "$T/flowprobe.log")
echo "   $pkts packets became $sent flows, exported as NetFlow v9"
sleep 1				# let flowcapd read the last datagrams
kill -TERM "$CAPD"
for i in $(seq 1 100); do	# up to 10 s to finish its file
	kill -0 "$CAPD" 2>/dev/null || break
	sleep 0.1
done
wait "$CAPD" 2>/dev/null
CAPD=
echo "== flowcapd -l flows -p $PORT -b 127.0.0.1: $(sed -n 's/.*totals: .* \([0-9]* flows stored\).*/\1/p' "$T/flowcapd.log")"

q() {	# title, then flowq arguments
	echo
	echo "== $1"
	shift
	printf '   flowq -R flows'
	for a in "$@"; do
		case $a in
		*" "*) printf " '%s'" "$a" ;;
		*) printf ' %s' "$a" ;;
		esac
	done
	echo
	"$FLOWQ" -R "$T/flows" "$@"
}
q "Who moved the most bytes?" -s ip/bytes -n 5
q "Which services are used most?" -q -s dstport/flows -n 5
q "Who opens the most connections?" -q -s srcip/flows -n 3
q "Which of our hosts answered the scanner?" \
    'src net 10.1.0.0/24 and dst host 198.51.100.66 and flags S'

# The checks (TAP): every flow stored, and the story shows.
echo
echo "1..5"
n=0 bad=0
check() {
	n=$((n + 1))
	if eval "$2"; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		bad=1
	fi
}
csv_val() {	# row (1 = top), flowq arguments: the key of that row
	row=$1
	shift
	"$FLOWQ" -R "$T/flows" -o csv "$@" | sed -n "$((row + 1))p" | cut -d, -f5
}
stored=$("$FLOWQ" -R "$T/flows" -o null |
    sed -n 's/^Summary: total flows: \([0-9]*\),.*/\1/p')
check "every flow exported is stored ($sent exported, $stored read back)" \
    '[ -n "$sent" ] && [ "$sent" -gt 8000 ] && [ "$stored" = "$sent" ]'
check "the heaviest talkers are the backup NAS and its offsite store" \
    '[ "$(csv_val 1 -s ip/bytes)" = 10.1.0.20 ] &&
     [ "$(csv_val 2 -s ip/bytes)" = 203.0.113.50 ]'
check "the most used service is DNS" \
    '[ "$(csv_val 1 -s dstport/flows)" = 53 ]'
check "the scanner opens the most connections" \
    '[ "$(csv_val 1 -s srcip/flows)" = 198.51.100.66 ]'
"$FLOWQ" -R "$T/flows" -o csv \
    'src net 10.1.0.0/24 and dst host 198.51.100.66 and flags S' >"$T/open"
check "the scanner found the six open ports, RDP on 10.1.0.15 among them" \
    '[ "$(grep -c "^20" "$T/open")" = 6 ] && grep -q ",10.1.0.15,.*,3389," "$T/open"'
exit $bad
