#!/bin/sh
# tests/flowq_str.sh -- a string field end to end in flowq: the
# application name (IE 96, file column 29) of files written by
# tests/gen_flowfile -S (names "http", "", 'ssh "admin", v2', "café",
# "http" on the five records of tests/qrecs.h).  Filters (a value,
# "quoted", = , in [...], patterns), -s app in text, csv and json,
# -A app, %app in fmt:, json/ndjson, -m, -W, -w and read back; the
# nfdump formats (line, long, extended, csv) do not change; bad string
# filters are refused with their place.
# Expected outputs are tests/data/flowq_str_*.out (TZ=UTC).
# TAP output; writes only under a temporary directory.

GOLDEN=flowq_str_
. "${top_srcdir:=.}/tests/flowq_lib.sh"

# same NAME ARGS...: flowq gives the same on s5 (names) as on f5 (none)
same() {
	name=$1
	shift
	(cd "$T" && "$FLOWQ" -r s5 "$@") > "$T/$name.s" 2>&1
	(cd "$T" && "$FLOWQ" -r f5 "$@") > "$T/$name.f" 2>&1
	sed 's/Bytes read: [0-9]*//' "$T/$name.s" > "$T/$name.s2"
	sed 's/Bytes read: [0-9]*//' "$T/$name.f" > "$T/$name.f2"
	cmp -s "$T/$name.s2" "$T/$name.f2"
	ok $? "$name: names do not change flowq $*"
}

# refused FILTER: exit 255, a message naming line and column
refused() {
	"$FLOWQ" -Z "$1" > "$T/z.out" 2>&1
	rc=$?
	grep -q "line 1, column" "$T/z.out"
	[ $rc -eq 255 ] && [ $? -eq 0 ]
	ok $? "refused: $1 ($(head -c 120 "$T/z.out"))"
}

"$GEN" -z none -S "$T/s5" && "$GEN" -z none "$T/f5" &&
    "$GEN" -S -n 20000 -b 1000 -t 1795426800 "$T/sbig"
ok $? "generate flow files"

F='fmt:%ts %sa %dp %app|'
golden json -r s5 -o json
golden ndjson -r s5 -o ndjson -q
golden fmt -r s5 -o "$F"
golden value -r s5 -q -o "$F" 'app http'
golden quoted -r s5 -q -o "$F" 'app = "ssh \"admin\", v2"'
golden list -r s5 -q -o "$F" 'app in [café, "ssh \"admin\", v2"]'
golden pattern -r s5 -q -o "$F" 'app "h*" or app "c?f*" or app "?af?"'
golden empty -r s5 -q -o "$F" 'app ""'
golden notempty -r s5 -q -o "$F" 'not app "" and proto tcp'
golden stat -r s5 -s app/bytes
golden statcsv -r s5 -s app/flows -o csv
golden statjson -r s5 -s app/flows -o json
golden agg -r s5 -A app,proto -O bytes
golden aggjson -r s5 -A app -o json -q
golden bigstat -r sbig -s app/flows -n 5
golden bigfilter -r sbig -q -c 5 -o "$F" 'app in [app-7 app-70] and port 443'

# a file without names read after one with names (one lane, one block
# buffer): its records have no name for the filter either
mkdir "$T/two" && cp "$T/s5" "$T/two/a-s5" && cp "$T/f5" "$T/two/b-f5"
golden twofiles -R two -q -o "$F" 'app http or app ""'

for f in line long extended csv; do
	same "$f" -o "$f"
done
same filter -o line 'proto tcp'

# records kept for -m point at their own copy of the names
"$FLOWQ" -r "$T/sbig" -q -o "$F" > "$T/seq.out" &&
    "$FLOWQ" -r "$T/sbig" -m -q -o "$F" > "$T/m.out" &&
    sort "$T/seq.out" > "$T/seq.sorted" && sort "$T/m.out" > "$T/m.sorted"
cmp -s "$T/seq.sorted" "$T/m.sorted"
ok $? "-m lists the same names as the file order"
# worker threads: the same statistics
"$FLOWQ" -r "$T/sbig" -W 1 -s app/bytes -n 0 -q > "$T/w1.out" &&
    "$FLOWQ" -r "$T/sbig" -W 3 -s app/bytes -n 0 -q > "$T/w3.out"
cmp -s "$T/w1.out" "$T/w3.out"
ok $? "-W 3 gives what -W 1 gives: -s app/bytes -n 0"
# -w keeps the names
"$FLOWQ" -r "$T/sbig" -w "$T/copy" 'app "app-1*"' > /dev/null &&
    "$FLOWQ" -r "$T/copy" -q -o "$F" > "$T/copy.out" &&
    "$FLOWQ" -r "$T/sbig" -q -o "$F" 'app "app-1*"' > "$T/orig.out"
cmp -s "$T/copy.out" "$T/orig.out" && [ -s "$T/copy.out" ]
ok $? "-w writes the names; the copy lists what the filter selected"

refused 'app'
refused 'app "unterminated'
refused "app $(printf '%0300d' 0)"
refused 'app in []'
refused 'app > 3'
echo "1..$n"

exit $fail
