#!/bin/sh
# tests/flowcapd_burst.sh -- a collector on defaults loses nothing of a
# burst: softflowd -r replays a generated capture (300,000 packets,
# 152,201 flows) unpaced, as NetFlow v9 and as IPFIX, into a flowcapd
# started with no tuning at all (no -B, no -Q), and every flow softflowd
# says it exported is in the files; the rotation line reports no socket
# and no queue drops.  SKIP without softflowd.  About 5 seconds.
: "${top_srcdir:=.}" "${top_builddir:=.}"
tmp=$(mktemp -d) || exit 1
. "$top_srcdir/tests/flowcapd_lib.sh"
trap cleanup EXIT
trap 'exit 1' INT TERM

echo "1..4"
if ! command -v softflowd >/dev/null; then
	for i in 1 2 3 4; do skip "softflowd not installed"; done
	exit 0
fi
timeout 60 "$top_builddir/tests/gen_pcap" bulk "$tmp/cap.pcap" 300000 20000 1 ||
    { echo "Bail out! gen_pcap failed"; exit 1; }

# stored DIR: records in every completed file
stored() {
	find "$1" -name 'flows.*' ! -name '*.current' -type f | sort |
	    xargs -r "$FFDUMP" -q | sed -n 's/^# file .* records=\([0-9]*\) .*/\1/p' |
	    awk '{s += $1} END {print s + 0}'
}

for v in 9 10; do
	d=$tmp/v$v
	mkdir "$d"
	# defaults: only where to write and where to listen (loopback)
	"$CAPD" -l "$d" -p 0 -b 127.0.0.1 >"$d.log" 2>&1 &
	CAPD_PID=$!
	PORT=
	for _i in $(seq 1 100); do
		PORT=$(sed -n 's/.*listening on port \([0-9]*\).*/\1/p' "$d.log")
		[ -n "$PORT" ] && break
		sleep 0.1
	done
	timeout 60 softflowd -r "$tmp/cap.pcap" -n "127.0.0.1:$PORT" -v $v -6 \
	    >"$d.sf.log" 2>&1
	sent=$(sed -n 's/^Flows exported: \([0-9]*\).*/\1/p' "$d.sf.log")
	sleep 1
	capd_stop
	got=$(stored "$d")
	[ "${sent:-0}" -ge 75000 ] && [ "$got" -eq "$sent" ]
	ok $? "v$v: burst of ${sent:-?} flows into a default flowcapd: $got stored"
	grep -q 'socket drops 0, queue drops 0,' "$d.log" &&
	    ! grep -q 'data lost' "$d.log"
	ok $? "v$v: no socket or queue drops reported"
	if [ "$got" != "$sent" ]; then
		grep -E 'drops|lost|listening' "$d.log" | sed 's/^/# /'
	fi
done
exit 0
