#!/bin/sh
# tests/sink_expire.sh -- expiry never deletes what a sink has not
# delivered without saying so loudly (flowkit-sink(7), "Expiry").
#
# flowcapd runs with a sink whose destination is down (nothing listens
# on its port): the sink's cursor stays at the file that was being
# written when it started (or the first with flows after it: a file
# completed without flows has nothing to deliver), and the files after
# it wait.  Then:
# flowexpire with a size limit that wants every file removes the older
# files only, keeps the undelivered ones, names the sink and exits 2;
# with --expire-undelivered it removes them, one line each naming the
# loss; and when flowcapd starts again its sink says, as an error, that
# its next file was removed before delivery.  Also: collection went on
# while the sink was down (no flow lost).
: "${top_srcdir:=.}" "${top_builddir:=.}"
tmp=$(mktemp -d)
. "$top_srcdir/tests/flowcapd_lib.sh"
. "$top_srcdir/tests/sink_lib.sh"
EXPIRE=$top_builddir/collector/flowexpire
NFBLAST=$top_builddir/bench/nfblast
trap cleanup EXIT
PLAN=7
echo "1..$PLAN"

d=$tmp/data
mkdir -p "$d"
# two old files, delivered long ago as far as any sink is concerned
dd if=/dev/zero of="$d/flows.202001010000" bs=1000 count=1 2>/dev/null
dd if=/dev/zero of="$d/flows.202001010005" bs=1000 count=1 2>/dev/null
port=$(free_tcp_port)
URL="http://127.0.0.1:$port/x?name=down&lag=1"
capd_start "$d" -t 2 -c "$tmp/ctl" --sink "$URL" --sink-drain 0
"$NFBLAST" -n 20000 -r 5000 127.0.0.1 "$PORT" >"$tmp/blast.out" 2>&1
sleep 1
lagline=$(grep -c "sink down: .* s behind" "$CAPD_LOG")
capd_stop
nf=$(find "$d" -name 'flows.2*' ! -name '*.current' | wc -l)
stored=$("$FLOWQ" -R "$d" -q -o fmt:%fl 2>/dev/null | wc -l)
ok $([ "$stored" = 20000 ] && [ "$nf" -ge 4 ]; echo $?) \
    "collection goes on while the sink is down ($stored flows in $((nf - 2)) new files)"
ok $([ "$lagline" -ge 1 ] && grep -q "sink down: .*retrying" "$CAPD_LOG"; echo $?) \
    "the failure and the lag past lag=1 are logged once each"

"$EXPIRE" -l "$d" -s 1 >"$tmp/exp.out" 2>"$tmp/exp.err"
r=$?
left=$(find "$d" -name 'flows.2*' ! -name '*.current' | wc -l)
kept=$("$FLOWQ" -R "$d" -q -o fmt:%fl 2>/dev/null | wc -l)
# a file completed without flows before the first one (the sink found
# nothing to deliver in it) may go; every flow stays
ok $([ $r = 2 ] && [ ! -e "$d/flows.202001010000" ] &&
    [ ! -e "$d/flows.202001010005" ] && [ "$left" -ge 1 ] &&
    [ "$kept" = 20000 ]; echo $?) \
    "flowexpire removes the delivered files, keeps the $left undelivered ($kept flows), exits 2"
ok $(grep -q "kept because they are not delivered yet: sink down (at flows" \
    "$tmp/exp.err"; echo $?) "it names the sink and where it stands"
sed 's/^/# /' "$tmp/exp.err"

kept_files=$left
"$EXPIRE" -l "$d" -s 1 --expire-undelivered >"$tmp/exp.out" 2>"$tmp/exp.err"
r=$?
left=$(find "$d" -name 'flows.2*' ! -name '*.current' | wc -l)
loud=$(grep -c "although a sink has not delivered it" "$tmp/exp.err")
ok $([ $r = 0 ] && [ "$left" = 0 ] && [ "$loud" = "$kept_files" ]; echo $?) \
    "--expire-undelivered removes them, one loud line each ($loud)"

capd_start "$d" -t 2 -c "$tmp/ctl" --sink "$URL" --sink-drain 0
sleep 1
capd_stop
ok $(grep -q "sink down: .*was removed before it was delivered" "$CAPD_LOG"; echo $?) \
    "the sink says its files were removed before delivery"
ok $(grep -q "at exit: sink down: 1 files removed before delivery" "$CAPD_LOG"; echo $?) \
    "and counts them in its exit line"
exit $tap_fail
