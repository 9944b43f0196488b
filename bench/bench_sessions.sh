#!/bin/sh
# bench/bench_sessions.sh -- the subscriber session store and flowcapd's
# RADIUS accounting server.  Not a test.
#
#   sh bench/bench_sessions.sh [subscribers [sessions [flows]]]
#
# 1. bench/sessdb_bench: a store of 1M subscribers (IPv4 each, an IPv6
#    /56 for every second) with 10M sessions over a day; its memory, and
#    the cost of finding the user of random flows (one at a time, in
#    batches as the join does, and for recent flows as at ingest).
# 2. RADIUS requests answered per second (bench/radblast: Start,
#    Interim-Update, Stop, 128 in flight), by flowcapd and, side by
#    side, by FreeRADIUS writing its detail file (the established way to
#    keep accounting), each alone; then by flowcapd while bench/nfblast
#    sends it 1M flows/s of NetFlow v9.
# Run from the build directory.  Wall and CPU seconds per run are printed.
: "${top_builddir:=.}" "${top_srcdir:=.}"
SUBS=${1:-1000000}
SESS=${2:-10000000}
FLOWS=${3:-10000000}
CAPD=$top_builddir/collector/flowcapd
SESSDB=$top_builddir/bench/sessdb_bench
RADBLAST=$top_builddir/bench/radblast
NFBLAST=$top_builddir/bench/nfblast
SECS=${SECS:-5}
TCK=$(getconf CLK_TCK)
for p in "$CAPD" "$SESSDB" "$RADBLAST" "$NFBLAST"; do
	[ -x "$p" ] || { echo "missing $p: run make first"; exit 1; }
done
tmp=$(mktemp -d) || exit 1
PID= FRPID=
trap 'kill $PID $FRPID 2>/dev/null; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

dropped() {	# queue drops so far (flowctl statistics)
	"$top_builddir/probe/flowctl" -c "$tmp/ctl" statistics 2>/dev/null |
	    sed -n 's/^Queue: .* \([0-9][0-9]*\) drops$/\1/p' | head -1
}
cpu() { awk '{printf "%.2f", ($14 + $15) / '"$TCK"'}' "/proc/$1/stat"; }

echo "== session store: $SUBS subscribers, $SESS sessions, $FLOWS flows"
(cd "$tmp" && /usr/bin/time -f "sessdb_bench: %e s wall, %U s user, %S s sys, %M KB max RSS" \
    "$OLDPWD/$SESSDB" "$SUBS" "$SESS" "$FLOWS")

# the join's cost at ingest: flowcapd at 1M flows/s without sessions
# first, then (below) with the store RADIUS fills, every flow joined
mkdir "$tmp/p"
"$CAPD" -l "$tmp/p" -p 0 -b 127.0.0.1 -t 3600 >"$tmp/plain.log" 2>&1 &
PID=$!
for _i in $(seq 1 100); do
	FPORT=$(sed -n 's/.*listening on port \([0-9]*\).*/\1/p' "$tmp/plain.log")
	[ -n "$FPORT" ] && break
	sleep 0.1
done
c0=$(cpu "$PID")
"$NFBLAST" -n $((1000000 * (SECS + 2))) -r 1000000 127.0.0.1 "$FPORT" \
    >"$tmp/nf.out" 2>&1
echo "== flowcapd without sessions, 1M flows/s: $(cat "$tmp/nf.out"); flowcapd CPU: $(echo "$(cpu "$PID") - $c0" | bc) s"
kill "$PID"
wait "$PID" 2>/dev/null
PID=
rm -rf "$tmp/p"

printf 's3cr3t\n' >"$tmp/secret"
mkdir "$tmp/d"
"$CAPD" -l "$tmp/d" -p 0 -b 127.0.0.1 -t 3600 -c "$tmp/ctl" --radius-acct 127.0.0.1:0 \
    --radius-secret "$tmp/secret" >"$tmp/capd.log" 2>&1 &
PID=$!
for _i in $(seq 1 100); do
	RPORT=$(sed -n 's/.*RADIUS accounting on port \([0-9]*\).*/\1/p' "$tmp/capd.log")
	FPORT=$(sed -n 's/.*listening on port \([0-9]*\).*/\1/p' "$tmp/capd.log")
	[ -n "$RPORT" ] && [ -n "$FPORT" ] && break
	sleep 0.1
done
echo "== RADIUS accounting, $SECS s each, data directory on $(df -P "$tmp" | awk 'NR == 2 {print $1}')"
c0=$(cpu "$PID")
printf 'flowcapd alone:                '
"$RADBLAST" -s "$SECS" 127.0.0.1 "$RPORT" s3cr3t
echo "  flowcapd CPU: $(echo "$(cpu "$PID") - $c0" | bc) s"
c0=$(cpu "$PID")
q0=$(dropped)
"$NFBLAST" -n $((1000000 * (SECS + 2))) -r 1000000 127.0.0.1 "$FPORT" \
    >"$tmp/nf.out" 2>&1
echo "1M flows/s alone (joined):     $(cat "$tmp/nf.out"); flowcapd CPU: $(echo "$(cpu "$PID") - $c0" | bc) s, queue drops $(($(dropped) - q0))"
c0=$(cpu "$PID")
q0=$(dropped)
"$NFBLAST" -n $((1000000 * (SECS + 2))) -r 1000000 127.0.0.1 "$FPORT" \
    >"$tmp/nf.out" 2>&1 &
NFPID=$!
sleep 1
printf 'flowcapd + 1M flows/s:         '
"$RADBLAST" -s "$SECS" 127.0.0.1 "$RPORT" s3cr3t
wait "$NFPID"
echo "  nfblast: $(cat "$tmp/nf.out"); flowcapd CPU: $(echo "$(cpu "$PID") - $c0" | bc) s, queue drops $(($(dropped) - q0))"
kill "$PID"
wait "$PID" 2>/dev/null
PID=
grep -E 'stopped|totals' "$tmp/capd.log" | sed 's/^/  /'

if command -v freeradius >/dev/null 2>&1; then
	mkdir -p "$tmp/raddb" "$tmp/radacct" "$tmp/run"
	printf '$INCLUDE /usr/share/freeradius/dictionary\n' >"$tmp/raddb/dictionary"
	FRPORT=$(python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	cat >"$tmp/raddb/radiusd.conf" <<CONF
prefix = /usr
exec_prefix = /usr
sysconfdir = /etc
localstatedir = /var
sbindir = /usr/sbin
logdir = $tmp/run
raddbdir = $tmp/raddb
radacctdir = $tmp/radacct
name = radiusd
confdir = \${raddbdir}
run_dir = $tmp/run
libdir = /usr/lib/freeradius
pidfile = \${run_dir}/radiusd.pid
max_request_time = 30
cleanup_delay = 5
max_requests = 16384
hostname_lookups = no
log {
	destination = files
	file = $tmp/run/radius.log
}
security {
	allow_core_dumps = no
	reject_delay = 0
	status_server = no
}
client bench {
	ipaddr = 127.0.0.1
	secret = s3cr3t
}
thread pool {
	start_servers = 4
	max_servers = 8
	min_spare_servers = 2
	max_spare_servers = 8
}
modules {
	always ok {
		rcode = ok
	}
	detail {
		filename = \${radacctdir}/detail
		header = "%t"
		permissions = 0600
	}
}
server default {
	listen {
		type = acct
		ipaddr = 127.0.0.1
		port = $FRPORT
	}
	preacct {
		ok
	}
	accounting {
		detail
	}
}
CONF
	freeradius -d "$tmp/raddb" -n radiusd -f >"$tmp/fr.out" 2>&1 &
	FRPID=$!
	sleep 2
	c0=$(cpu "$FRPID")
	printf 'FreeRADIUS (detail file):      '
	"$RADBLAST" -s "$SECS" 127.0.0.1 "$FRPORT" s3cr3t
	echo "  freeradius CPU: $(echo "$(cpu "$FRPID") - $c0" | bc) s"
	kill "$FRPID"
	wait "$FRPID" 2>/dev/null
	FRPID=
else
	echo "FreeRADIUS not installed: no side-by-side figure"
fi
