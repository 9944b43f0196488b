#!/bin/sh
# tests/sink_backfill.sh -- flowq --sink: a time window (and a filter)
# of an archive delivered once into an HTTP log store
# (tests/sink_httpd.py, answering every 5th POST 429) is exactly what
# flowq -t lists: the same NDJSON lines, each once.  Also: --sink with
# -a is refused, and a destination that refuses the batch ends the run
# with exit 1 and a message.  SKIPs only without python3.
: "${top_srcdir:=.}" "${top_builddir:=.}"
tmp=$(mktemp -d)
. "$top_srcdir/tests/flowcapd_lib.sh"
. "$top_srcdir/tests/sink_lib.sh"
NFBLAST=$top_builddir/bench/nfblast
HPID=
trap 'cleanup; [ -n "$HPID" ] && kill -9 "$HPID" 2>/dev/null' EXIT
PLAN=6
echo "1..$PLAN"
if ! [ -x "$PY" ]; then
	for i in $(seq 1 $PLAN); do skip "python3 not installed"; done
	exit 0
fi

# an archive: 40000 flows over three files, their times spread over a
# minute
d=$tmp/data
mkdir -p "$d"
capd_start "$d" -t 2
"$NFBLAST" -n 40000 -r 10000 127.0.0.1 "$PORT" >/dev/null 2>&1
capd_stop
nf=$(find "$d" -name 'flows.*' | wc -l)
# the window: flows that start in the second half of the minute (and
# end before a second after the last one ends)
"$FLOWQ" -R "$d" -q -N -o 'fmt:%tsr' | sort -n >"$tmp/starts"
lo=$(head -1 "$tmp/starts" | cut -d. -f1)
hi=$(tail -1 "$tmp/starts" | cut -d. -f1)
end=$("$FLOWQ" -R "$d" -q -N -o 'fmt:%ter' | sort -n | tail -1 | cut -d. -f1)
from=$(TZ=UTC date -d "@$((lo + (hi - lo) / 2))" +%Y/%m/%d.%H:%M:%S)
to=$(TZ=UTC date -d "@$((end + 1))" +%Y/%m/%d.%H:%M:%S)
win="$from-$to"
export TZ=UTC

: >"$tmp/got"
rm -f "$tmp/hport"
"$PY" "$top_srcdir/tests/sink_httpd.py" 0 "$tmp/hport" "$tmp/got" tok \
    --busy 5 2>"$tmp/httpd.log" &
HPID=$!
for i in $(seq 1 50); do [ -s "$tmp/hport" ] && break; sleep 0.1; done
HPORT=$(cat "$tmp/hport")
export TOK="Authorization: Bearer tok"
URL="http://127.0.0.1:$HPORT/ingest?q.src=flowkit&header_env=TOK&batch=1500"

TZ=UTC "$FLOWQ" -R "$d" -t "$win" -q -o ndjson 'proto tcp or proto udp' \
    >"$tmp/want"
TZ=UTC "$FLOWQ" -R "$d" -t "$win" --sink "$URL" 'proto tcp or proto udp' \
    >"$tmp/out" 2>"$tmp/err"
r=$?
ok $([ $r = 0 ] && [ ! -s "$tmp/out" ] && grep -q "flows delivered" "$tmp/err"; echo $?) \
    "flowq --sink delivers and says so ($(cat "$tmp/err" | tail -1))"
n=$(wc -l <"$tmp/want")
all=$(wc -l <"$tmp/starts")
ok $([ "$n" -gt 1000 ] && [ "$n" -lt "$all" ] && [ "$nf" -ge 2 ]; echo $?) \
    "the window holds part of the archive ($n of $all flows, $nf files)"
"$PY" "$top_srcdir/tests/sink_check.py" ndjson "$tmp/got" "$tmp/want"
ok $? "the store holds exactly the flows flowq -t lists, each once"
ok $(grep -q "retries" "$tmp/err" && ! grep -q " 0 retries" "$tmp/err"; echo $?) \
    "the 429s were retried"
kill "$HPID" 2>/dev/null
wait "$HPID" 2>/dev/null
HPID=

"$FLOWQ" -R "$d" -a --sink "$URL" >/dev/null 2>"$tmp/err"
r=$?
ok $([ $r = 255 ] && grep -q "not with -a" "$tmp/err"; echo $?) \
    "--sink with -a is refused (exit 255)"

# a store that refuses: HTTP 400 for a wrong token
"$PY" "$top_srcdir/tests/sink_httpd.py" 0 "$tmp/hport2" "$tmp/got2" other \
    2>/dev/null &
HPID=$!
for i in $(seq 1 50); do [ -s "$tmp/hport2" ] && break; sleep 0.1; done
URL2="http://127.0.0.1:$(cat "$tmp/hport2")/ingest?q.src=flowkit&header_env=TOK"
timeout 60 "$FLOWQ" -R "$d" --sink "$URL2" >/dev/null 2>"$tmp/err"
r=$?
ok $([ $r = 1 ] && grep -q "HTTP 400" "$tmp/err" && grep -q "refused" "$tmp/err" &&
    [ ! -s "$tmp/got2" ]; echo $?) \
    "a refused batch ends the run: exit 1 with the answer ($(tail -1 "$tmp/err"))"
exit $tap_fail
