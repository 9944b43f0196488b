#!/bin/sh
# tests/sink_strings.sh -- names (IPFIX applicationName, a string
# field) through the sinks' NDJSON: flowcapd --sink http:// fed IPFIX
# datagrams with 6400 distinct names, sent slowly so that the files
# hold several blocks and a sink batch spans blocks, and flowq --sink
# of a 20-block file with batches of 3000: the log store
# (tests/sink_httpd.py) holds exactly what flowq -o ndjson lists, each
# name as stored (a batch that kept pointers into an earlier block's
# dictionary would deliver wrong names).  SKIPs only without python3.
# About 10 seconds.
: "${top_srcdir:=.}" "${top_builddir:=.}"
tmp=$(mktemp -d)
. "$top_srcdir/tests/flowcapd_lib.sh"
. "$top_srcdir/tests/sink_lib.sh"
GEN="$top_builddir/tests/gen_flowfile"
HPID=
trap 'cleanup; [ -n "$HPID" ] && kill -9 "$HPID" 2>/dev/null' EXIT
PLAN=4
echo "1..$PLAN"
if ! [ -x "$PY" ]; then
	for i in $(seq 1 $PLAN); do skip "python3 not installed"; done
	exit 0
fi
export TZ=UTC

hstart() {	# hstart GOTFILE: sets HPID, HPORT
	rm -f "$tmp/hport"
	"$PY" "$top_srcdir/tests/sink_httpd.py" 0 "$tmp/hport" "$1" tok \
	    2>>"$tmp/httpd.log" &
	HPID=$!
	for _i in $(seq 1 50); do
		[ -s "$tmp/hport" ] && break
		sleep 0.1
	done
	HPORT=$(cat "$tmp/hport" 2>/dev/null)
}
hstop() {
	kill -TERM "$HPID" 2>/dev/null
	wait "$HPID" 2>/dev/null
	HPID=
}
export TOK="Authorization: Bearer tok"

# flowcapd --sink, live
"$PY" "$top_srcdir/tests/gen_ipfix_names.py" "$tmp/dg.hex" "$tmp/names"
: >"$tmp/got1"
hstart "$tmp/got1"
d=$tmp/data
mkdir -p "$d"
capd_start "$d" -t 3600 -c "$tmp/ctl" --sink-drain 30 \
    --sink "http://127.0.0.1:$HPORT/ingest?q.src=flowkit&header_env=TOK&batch=5000&name=h"
timeout 60 "$NFSEND" -i 4000 127.0.0.1 "$PORT" "$tmp/dg.hex" >/dev/null
sink_wait "$tmp/ctl" h 60
capd_stop
hstop
"$FLOWQ" -R "$d" -q -o ndjson >"$tmp/want1"
n=$(wc -l <"$tmp/want1")
nb=$("$FLOWQ" -v "$(find "$d" -name 'flows.*' | head -1)" |
    sed -n 's/.*: \([0-9]*\) blocks.*/\1/p')
ok $([ "$n" -eq 6400 ] && [ "${nb:-0}" -ge 2 ]; echo $?) \
    "flowcapd stored the 6400 flows in ${nb:-?} blocks"
"$PY" "$top_srcdir/tests/sink_check.py" ndjson "$tmp/got1" "$tmp/want1"
ok $? "flowcapd --sink: the store holds each flow once, with its name"

# flowq --sink, a backfill in batches that span blocks
"$GEN" -S -n 20000 -b 1000 "$tmp/big"
: >"$tmp/got2"
hstart "$tmp/got2"
"$FLOWQ" -r "$tmp/big" -q -o ndjson >"$tmp/want2"
"$FLOWQ" -r "$tmp/big" \
    --sink "http://127.0.0.1:$HPORT/ingest?q.src=flowkit&header_env=TOK&batch=3000" \
    >/dev/null 2>"$tmp/err2"
ok $? "flowq --sink delivers ($(tail -1 "$tmp/err2"))"
hstop
"$PY" "$top_srcdir/tests/sink_check.py" ndjson "$tmp/got2" "$tmp/want2"
ok $? "flowq --sink: the store holds each flow once, with its name"
exit $tap_fail
