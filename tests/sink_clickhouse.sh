#!/bin/sh
# tests/sink_clickhouse.sh -- flowcapd --sink clickhouse:// against
# Debian's clickhouse-server (18.16) started here on 127.0.0.1.
#
# 1.2M flows streamed live while the server is killed and restarted
# mid-stream, and flowcapd is killed (-9) while its sink catches up and
# started again; then ClickHouse holds every flow of flowcapd's files
# exactly once: its count, sum(bytes), top-10 source addresses by bytes
# and top-10 destination ports by bytes equal flowq's answers over the
# same files.  Then the case exactly-once is about: a batch that landed
# but whose cursor was never written (the cursor put back one batch) is
# found by its batch id and not inserted again.  Also: the table is made
# on first use with flowkit's columns, the password comes from
# password_env, and the sink's statistics and log lines say what
# happened.  SKIPs only without clickhouse-server or python3.
: "${top_srcdir:=.}" "${top_builddir:=.}"
tmp=$(mktemp -d)
. "$top_srcdir/tests/flowcapd_lib.sh"
. "$top_srcdir/tests/sink_lib.sh"
trap 'cleanup; ch_kill' EXIT
NFBLAST=$top_builddir/bench/nfblast
N=1200000
PLAN=13
echo "1..$PLAN"

if ! command -v clickhouse-server >/dev/null 2>&1 || ! [ -x "$PY" ]; then
	for i in $(seq 1 $PLAN); do skip "clickhouse-server or python3 not installed"; done
	exit 0
fi
if ! ch_start "$tmp/ch"; then
	for i in $(seq 1 $PLAN); do ok 1 "clickhouse-server starts"; done
	exit 1
fi
export CHPW=s3cret
URL="clickhouse://loader@127.0.0.1:$CH_PORT/fk.flows?password_env=CHPW&name=ch"
d=$tmp/data
mkdir -p "$d"

# 1-2: flows streamed while the server dies and comes back
capd_start "$d" -t 4 -c "$tmp/ctl" --sink "$URL" --sink-drain 60
start=$(date +%s)
"$NFBLAST" -n "$N" -r 200000 127.0.0.1 "$PORT" >"$tmp/blast.out" 2>&1 &
bp=$!
sleep 1.2
ch_kill
# down until the sink has noticed (at most 40 s: under ASan on a busy
# machine the sink, at nice +10, may encode its next batch for a while),
# then back
for i in $(seq 1 400); do
	[ "$(sink_stat "$tmp/ctl" ch state)" = failing ] && break
	sleep 0.1
done
noticed=$(sink_stat "$tmp/ctl" ch state)
ch_run "$tmp/ch"
ok $([ $? = 0 ] && [ "$noticed" = failing ]; echo $?) \
    "clickhouse-server killed 1.2 s into the stream, and started again once the sink failed"
wait $bp
# delivering again (at most 30 s: a loaded machine may take a while to
# try again), so that the recovery is in this run's log
for i in $(seq 1 150); do
	[ "$(sink_stat "$tmp/ctl" ch state)" = up ] && break
	sleep 0.2
done
# flowcapd itself dies while its sink is still catching up: the next
# start recovers its file, and the sink resumes from its cursor (inside
# a block, with the last batch's fate asked of ClickHouse)
sleep 0.3
kill -9 "$CAPD_PID"
wait "$CAPD_PID" 2>/dev/null
capd_start "$d" -t 4 -c "$tmp/ctl" --sink "$URL" --sink-drain 60
sink_wait "$tmp/ctl" ch 120
r=$?
ok $r "the sink catches up after both restarts"
[ $r -eq 0 ] || sed 's/^/# /' "$CAPD_LOG" | tail -20
retries=$(sink_stat "$tmp/ctl" ch retries)
capd_stop
end=$(date +%s)
echo "# streamed $(cat "$tmp/blast.out"), caught up in $((end - start)) s, $retries retries"

# 3: the table was made with flowkit's columns: the 34 core ones and
# one per other stored catalogue field (tests/sink_chfields.sh checks
# those end to end)
cols=$(ch_query "SELECT count() FROM system.columns WHERE database = 'fk' AND table = 'flows'")
have=$(ch_query "SELECT count() FROM system.columns WHERE database = 'fk' AND table = 'flows' AND name IN ('flowkit_batch', 'src_addr', 'user', 'src_geo', 'in_src_mac', 'mpls1', 'nat_src')")
ok $([ "$cols" -gt 34 ] && [ "$have" = 7 ]; echo $?) "the table was made on first use ($cols columns, core and catalogue)"

# 4: the kill was noticed and survived
ok $(grep -q "sink ch: .*retrying, collection goes on" "$tmp/capd.1.log" &&
    grep -q "sink ch: batch .* had landed\|sink ch: delivering again" "$tmp"/capd.[12].log ||
    grep -q "sink ch: delivering again" "$tmp/capd.1.log"; echo $?) \
    "the outage is logged, and the recovery"

# 5-8: ClickHouse and flowq agree over the same files
files=$(find "$d" -name 'flows.*' ! -name '*.current' -type f | sort)
want_n=$("$FLOWQ" -R "$d" -q -o fmt:%fl | wc -l)
want_sum=$("$FLOWQ" -R "$d" -q -o fmt:%byt -N | awk '{ s += $1 } END { printf "%.0f\n", s }')
got=$(ch_query "SELECT count(), sum(bytes) FROM fk.flows FORMAT TabSeparated")
echo "# flowq: $want_n flows, $want_sum bytes; clickhouse: $got"
ok $([ "$want_n" -ge $((N * 8 / 10)) ]; echo $?) \
    "flowcapd stored the stream ($want_n of $N flows; a kill -9 loses its last second)"
ok $([ "$got" = "$(printf '%s\t%s' "$want_n" "$want_sum")" ]; echo $?) \
    "count and sum(bytes) equal flowq's: every flow exactly once"
"$FLOWQ" -R "$d" -q -s srcip/bytes -n 10 -o csv |
    awk -F, 'NR > 1 && NF > 5 { print $5, $10 }' >"$tmp/want_src"
ch_query "SELECT IPv6NumToString(src_addr) AS a, sum(bytes) AS b FROM fk.flows GROUP BY a ORDER BY b DESC LIMIT 10 FORMAT TabSeparated" |
    sed 's/^::ffff://' | tr '\t' ' ' >"$tmp/got_src"
cmp -s "$tmp/want_src" "$tmp/got_src"
r=$?
ok $r "top-10 source addresses by bytes equal flowq -s srcip/bytes"
[ $r -eq 0 ] && [ -s "$tmp/want_src" ] || diff "$tmp/want_src" "$tmp/got_src" | sed 's/^/# /'
"$FLOWQ" -R "$d" -q -s dstport/bytes -n 10 -o csv |
    awk -F, 'NR > 1 && NF > 5 { print $5, $10 }' >"$tmp/want_port"
ch_query "SELECT dst_port, sum(bytes) AS b FROM fk.flows GROUP BY dst_port ORDER BY b DESC LIMIT 10 FORMAT TabSeparated" |
    tr '\t' ' ' >"$tmp/got_port"
cmp -s "$tmp/want_port" "$tmp/got_port" && [ -s "$tmp/want_port" ]
r=$?
ok $r "top-10 destination ports by bytes equal flowq -s dstport/bytes"
[ $r -eq 0 ] || diff "$tmp/want_port" "$tmp/got_port" | sed 's/^/# /'

# 9-12: a batch that landed while its cursor was not written.  Flows
# collected without the sink, then delivered as one batch (the file's
# end cuts it); the cursor from before is put back, as if flowcapd had
# died between the INSERT and the cursor write.
# Same -t as above: files are delivered in the order of their names, and
# a different -t could name a new file before older ones.  The 5000 flows
# are sent early in a 4-s slot so that they make one file.
cur=$d/.flowcapd-sink-ch.cursor
cp "$cur" "$tmp/cursor.before"
capd_start "$d" -t 4
for i in $(seq 1 40); do
	ms=$(( $(date +%s%N) / 1000000 % 4000 ))
	[ "$ms" -ge 200 ] && [ "$ms" -le 1200 ] && break
	sleep 0.1
done
"$NFBLAST" -n 5000 -r 50000 -s 7 127.0.0.1 "$PORT" >/dev/null 2>&1
sleep 1.5
capd_stop
capd_start "$d" -t 4 -c "$tmp/ctl" --sink "$URL"
sink_wait_stat "$tmp/ctl" ch delivered "5000 flows in 1 batches*" 30
sink_wait "$tmp/ctl" ch 30
batches=$(sink_stat "$tmp/ctl" ch delivered)
capd_stop
n2=$(ch_query "SELECT count() FROM fk.flows")
want2=$("$FLOWQ" -R "$d" -q -o fmt:%fl | wc -l)
ok $([ "$n2" = "$want2" ] && [ "$want2" -gt "$want_n" ]; echo $?) \
    "the next file was delivered ($n2 flows in ClickHouse, flowq $want2; $batches)"
cp "$tmp/cursor.before" "$cur"
capd_start "$d" -t 4 -c "$tmp/ctl" --sink "$URL"
sink_wait_stat "$tmp/ctl" ch "found delivered" "[1-9]*" 30
sink_wait "$tmp/ctl" ch 30
skipped=$(sink_stat "$tmp/ctl" ch "found delivered")
capd_stop
n3=$(ch_query "SELECT count() FROM fk.flows")
ok $([ "$n3" = "$want2" ]; echo $?) \
    "with the cursor one batch behind, nothing is inserted twice ($n3 = $want2)"
ok $(grep -q "had landed" "$CAPD_LOG"; echo $?) \
    "the landed batch is found by its id and logged ($skipped)"
sum3=$(ch_query "SELECT sum(bytes) FROM fk.flows")
want3=$("$FLOWQ" -R "$d" -q -o fmt:%byt -N | awk '{ s += $1 } END { printf "%.0f\n", s }')
ok $([ "$sum3" = "$want3" ]; echo $?) "sum(bytes) still equals flowq's"

# 13: no duplicate rows at all
dups=$(ch_query "SELECT count() FROM (SELECT first_ms, last_ms, src_addr, dst_addr, src_port, dst_port, proto, bytes, packets, count() AS c FROM fk.flows GROUP BY first_ms, last_ms, src_addr, dst_addr, src_port, dst_port, proto, bytes, packets HAVING c > 1)")
fdups=$("$FLOWQ" -R "$d" -q -o 'fmt:%ts %te %sa %da %sp %dp %pr %byt %pkt' -N | sort | uniq -d | wc -l)
ok $([ "$dups" = "$fdups" ]; echo $?) "as many repeated rows as flowq lists ($dups)"
exit $tap_fail
