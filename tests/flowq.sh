#!/bin/sh
# tests/flowq.sh -- flowq end to end: files written by tests/gen_flowfile
# (hand-checkable records, see tests/qrecs.h), every -o format, -a/-A,
# -s with each order, filters, -c, -t, -q, -N, -6, -I, -v, -w, the
# summary lines, "No matching flows", corrupt input and errors.
# Expected outputs are tests/data/flowq_*.out (TZ=UTC).
# TAP output; writes only under a temporary directory.

GOLDEN=flowq_
. "${top_srcdir:=.}/tests/flowq_lib.sh"

"$GEN" -z none "$T/f5" && "$GEN" -z none -6 "$T/f7" &&
    "$GEN" -z none -n 20000 -b 1000 -t 1795426800 "$T/big"
ok $? "generate flow files"
F=f5

golden line -r "$F" -o line
golden long -r "$F" -o long
golden extended -r "$F" -o extended
golden csv -r "$F" -o csv
golden json -r "$F" -o json
golden ndjson -r "$F" -o ndjson -q
golden fmt -r "$F" -o 'fmt:%ts %te %td %pr %sa %da %sp %dp %flg %tos %in %out %sas %das %nh %ra %eng %pkt %byt %fl %bps %pps %bpp'
golden plain -r "$F" -N -o extended
golden quiet -r "$F" -q
golden v6 -r f7 -o line 'inet6'
golden v6full -r f7 -6 -o line 'inet6'
golden aggr5 -r "$F" -a -O bytes
golden aggr -r "$F" -A srcip4/24,dstport -O packets
golden aggrcsv -r "$F" -A srcip,proto -O flows -o csv
golden statbytes -r "$F" -s srcip/bytes
golden statmulti -r "$F" -s ip/flows/bytes -n 2 -s dstport:p/packets
golden statorders -r "$F" -s dstip/pps/bps/bpp -n 3
golden statcsv -r "$F" -s srcip/bytes -o csv -n 2
golden statjson -r "$F" -s proto/bytes -o json
golden statrecord -r "$F" -s record/bytes -A srcip,dstport -n 3
golden filter -r "$F" 'proto tcp and bytes > 10k'
golden nomatch -r "$F" 'port 9999'
golden count -r "$F" -c 2 -o csv -q
golden window -r big -q -s srcip/bytes -n 3 \
    -t '2026/11/23.09:40:01-2026/11/23.09:40:03'
golden bigstat -r big -s dstport/flows -n 5
golden info -I -r "$F"

# the window skips blocks by their time range
"$FLOWQ" -r "$T/big" -t '2026/11/23.09:40:01-2026/11/23.09:40:02' \
    > "$T/w.out" 2>&1
grep -q 'Blocks skipped: 1[0-9]' "$T/w.out"
ok $? "-t skips blocks outside the window by their time range"

# worker threads: the same answers, listings in file order
for args in "-o csv -q" "-s srcip/bytes -s dstport:p/flows -n 5" \
    "-A srcip4/16,dstport -O bytes" "-o line 'proto udp and bytes > 100k'"; do
	eval "\"$FLOWQ\" -r \"$T/big\" -W 1 $args" > "$T/w1" 2>&1
	eval "\"$FLOWQ\" -r \"$T/big\" -W 3 $args" > "$T/w3" 2>&1
	[ -s "$T/w1" ] && cmp -s "$T/w1" "$T/w3"
	ok $? "-W 3 gives what -W 1 gives: $args"
done

# -R over a directory, in name order; non-flow files ignored
mkdir -p "$T/dir/2026/11" && cp "$T/f5" "$T/dir/2026/11/flows.202611230935" &&
    cp "$T/f5" "$T/dir/flows.202611230940" && echo junk > "$T/dir/templates"
"$FLOWQ" -R "$T/dir" -q -o csv > "$T/R.out" 2>&1
[ "$(wc -l < "$T/R.out")" -eq 10 ]
ok $? "-R DIR reads every flow file below it"
"$FLOWQ" -R "$T/dir/flows.202611230940:flows.202611230940" -q -o csv \
    > "$T/R2.out" 2>&1
[ "$(wc -l < "$T/R2.out")" -eq 5 ]
ok $? "-R DIR/first:last selects by name"
mkdir -p "$T/m/a" "$T/m/b" && cp "$T/f5" "$T/m/a/flows.1" && cp "$T/f5" "$T/m/b/flows.1"
"$FLOWQ" -M "$T/m/a:b" -R flows.1 -q -o csv > "$T/M.out" 2>&1
[ "$(wc -l < "$T/M.out")" -eq 10 ]
ok $? "-M dir1:dir2 with -R"

# -w writes the selection; reading it back gives the same records
"$FLOWQ" -r "$T/$F" -w "$T/sel" 'proto tcp' && "$FLOWQ" -r "$T/sel" -q -o csv \
    > "$T/sel.out" && "$FLOWQ" -r "$T/$F" -q -o csv 'proto tcp' > "$T/sel2.out" &&
    cmp -s "$T/sel.out" "$T/sel2.out" && [ "$(wc -l < "$T/sel.out")" -eq 3 ]
ok $? "-w writes the selected flows"
"$FLOWQ" -r "$T/$F" -A proto -w "$T/agg" && "$FLOWQ" -r "$T/agg" -q -o \
    'fmt:%pr %pkt %fl' > "$T/agg.out"
printf 'TCP     125466     3\nUDP          1     1\nICMP         3     1\n' |
    sort > "$T/agg.want"
sort "$T/agg.out" | cmp -s - "$T/agg.want"
ok $? "-w with -A writes the aggregated flows"

# -v verifies; a flipped byte in a block is found, skipped and counted
"$FLOWQ" -v "$T/big" > "$T/v.out"
ok $? "-v on a good file exits 0"
grep -q ': 20 blocks, 20000 records: OK' "$T/v.out"
ok $? "-v reports blocks and records"
cp "$T/big" "$T/bad"
printf '\377\377\377\377' | dd of="$T/bad" bs=1 seek=300000 conv=notrunc 2>/dev/null
"$FLOWQ" -v "$T/bad" > "$T/vbad.out"
[ $? -eq 1 ] && grep -q 'CORRUPT' "$T/vbad.out"
ok $? "-v on a corrupt block exits 1"
"$FLOWQ" -r "$T/bad" -q -s proto > "$T/bad.out" 2> "$T/bad.err"
rc=$?
[ $rc -eq 1 ] && grep -q 'block skipped' "$T/bad.err"
ok $? "a corrupt block is skipped with a warning, exit 1"
"$FLOWQ" -r "$T/bad" -s proto 2>/dev/null | grep -q '^Corrupt blocks skipped: 1$'
ok $? "the corrupt block is counted in the summary"
"$GEN" -z none -n 5000 -b 1000 -C "$T/cut"
"$FLOWQ" -r "$T/cut" -q -o csv > "$T/cut.out" 2> "$T/cut.err"
grep -q 'not closed cleanly' "$T/cut.err" && [ "$(wc -l < "$T/cut.out")" -ge 1000 ]
ok $? "a file without trailer: recovered blocks are read"

# errors
"$FLOWQ" -r "$T/missing" > /dev/null 2> "$T/e1"
[ $? -eq 255 ] && grep -q 'missing' "$T/e1"
ok $? "missing file: message and exit 255"
"$FLOWQ" -r "$T/$F" 'proto tcp and nett 10' > /dev/null 2> "$T/e2"
[ $? -eq 255 ] && grep -q '^flowq: filter: ' "$T/e2"
ok $? "bad filter: message and exit 255"
"$FLOWQ" -Z 'proto tcp and port 80' && ! "$FLOWQ" -Z 'proto tcpp' 2>/dev/null
ok $? "-Z checks the filter"
"$FLOWQ" -r "$T/$F" -o bogus > /dev/null 2> "$T/e3"
[ $? -eq 255 ] && grep -q "unknown output format 'bogus'" "$T/e3"
ok $? "bad -o: message and exit 255"
"$FLOWQ" -r "$T/$F" -s srcip/tstart > /dev/null 2> "$T/e4"
[ $? -eq 255 ] && grep -q "unknown order 'tstart'" "$T/e4"
ok $? "bad -s order: message and exit 255"
"$FLOWQ" -r "$T/$F" -A srcip4/40 > /dev/null 2> "$T/e5"
[ $? -eq 255 ] && grep -q "aggregation key error at 'srcip4/40'" "$T/e5"
ok $? "bad -A mask: message and exit 255"
"$FLOWQ" -r "$T/$F" -t 'yesterday' > /dev/null 2> "$T/e6"
[ $? -eq 255 ] && grep -q "bad time window" "$T/e6"
ok $? "bad -t: message and exit 255"
"$FLOWQ" -X > /dev/null 2>&1
[ $? -eq 255 ]
ok $? "unknown option: exit 255"
"$FLOWQ" -R "$T/nodir" > /dev/null 2> "$T/e7"
[ $? -eq 255 ] && grep -q 'nodir' "$T/e7"
ok $? "unreadable directory: message and exit 255"
echo "not a flow file" > "$T/junk"
"$FLOWQ" -r "$T/junk" > /dev/null 2> "$T/e8"
[ $? -eq 1 ] && grep -q "junk" "$T/e8"
ok $? "-r of a file that is not a flow file: message and exit 1"
echo "1..$n"
exit $fail
