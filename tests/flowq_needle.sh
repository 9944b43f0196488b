#!/bin/sh
# tests/flowq_needle.sh -- needle queries through the block index
# (flowkit-file(5), BLOCK INDEX): for hosts, nets, ports, protocols and
# combinations, flowq's answer over an indexed file equals the records
# a full listing holds (selected by awk, independently of the filter
# code), while blocks are skipped and fewer bytes read; a version 1.0
# file (tests/data/ffile_v1_0.fk, no index) gives the same answers;
# a damaged index is reported with file and block and changes nothing.
# TAP output; about two seconds.

. "${top_srcdir:=.}/tests/flowq_lib.sh"
OLD="$top_srcdir/tests/data/ffile_v1_0.fk"

"$GEN" -n 20000 -b 500 -t 1795426800 "$T/big"
ok $? "generate 20000 records in 40 blocks"
"$FLOWQ" -r "$T/big" -o csv -q > "$T/all.csv" 2>"$T/err"
ok $? "full listing"

# needle NAME FILE FILTER AWK-CONDITION: the filtered listing equals
# the full listing's lines that satisfy the awk condition ($4 sa,
# $5 da, $6 sp, $7 dp, $8 proto name)
needle() {
	name=$1 file=$2 filter=$3 cond=$4
	"$FLOWQ" -r "$file" -o csv -q "$filter" > "$T/$name.got" \
	    2>"$T/$name.err"
	"$FLOWQ" -r "$file" -o csv -q > "$T/$name.all" 2>/dev/null
	awk -F, "$cond" "$T/$name.all" > "$T/$name.want"
	if [ -s "$T/$name.err" ] || ! cmp -s "$T/$name.got" "$T/$name.want"
	then
		ok 1 "$name: '$filter' equals the listing's $(wc -l < \
		    "$T/$name.want") records"
		head -3 "$T/$name.err" | sed 's/^/# /'
		diff "$T/$name.want" "$T/$name.got" | head -5 | sed 's/^/# /'
	else
		ok 0 "$name: '$filter' equals the listing's $(wc -l < \
		    "$T/$name.want") records"
	fi
}

# a host and a /24 that occur, by the listing
H=$(awk -F, 'NR == 777 { print $4 }' "$T/all.csv")
D=$(awk -F, 'NR == 9000 { print $5 }' "$T/all.csv")
N24=${D%.*}
P=$(awk -F, 'NR == 5 { print $7 }' "$T/all.csv")

needle host "$T/big" "host $H" "\$4 == \"$H\" || \$5 == \"$H\""
needle srchost "$T/big" "src host $H" "\$4 == \"$H\""
needle dsthost "$T/big" "dst host $D" "\$5 == \"$D\""
needle net "$T/big" "net $N24.0/24" \
    "index(\$4, \"$N24.\") == 1 || index(\$5, \"$N24.\") == 1"
needle absent "$T/big" "host 203.0.113.77" '0'
needle hostport "$T/big" "host $H and not dst port $P" \
    "(\$4 == \"$H\" || \$5 == \"$H\") && \$7 != $P"
needle hostor "$T/big" "host $H or host $D" \
    "\$4 == \"$H\" || \$5 == \"$H\" || \$4 == \"$D\" || \$5 == \"$D\""
needle notnet "$T/big" "not dst net 192.168.0.0/17 and proto udp" \
    "split(\$5, o, \".\") && !(o[1] == 192 && o[2] == 168 && o[3] < 128) && \$8 == \"UDP\""

# blocks skipped, bytes read
sum() {	# sum FILE FILTER: "skipped bytes" from the summary
	"$FLOWQ" -r "$1" -o null "$2" 2>/dev/null |
	    sed -n 's/.*Blocks skipped: \([0-9]*\), Bytes read: \([0-9]*\).*/\1 \2/p'
}
set -- $(sum "$T/big" "host $H")
sk=$1 br=$2
set -- $(sum "$T/big" "")
all=$2
[ "$sk" -ge 30 ] && [ "$br" -lt $((all / 2)) ]
ok $? "host $H: $sk of 40 blocks skipped, $br of $all bytes read"
set -- $(sum "$T/big" "host 203.0.113.77")
[ "$1" -ge 36 ]
ok $? "an absent host: $1 of 40 blocks skipped"

# a version 1.0 file: same answers, nothing skipped
H1=$("$FLOWQ" -r "$OLD" -o csv -q | awk -F, 'NR == 42 { print $5 }')
needle old "$OLD" "host $H1" "\$4 == \"$H1\" || \$5 == \"$H1\""
set -- $(sum "$OLD" "host $H1")
[ "$1" -eq 0 ]
ok $? "version 1.0 file: no block skipped ($1)"

# damage block 0's index (the bytes just before block 1's magic):
# reported with file and block, the block is read, same answer
cp "$T/big" "$T/bad"
/usr/bin/python3 - "$T/bad" <<'EOF' || exit 1
import sys
p = sys.argv[1]
b = bytearray(open(p, 'rb').read())
i = b.index(b'FKBK', b.index(b'FKBK') + 4)
b[i - 3] ^= 0x5a
open(p, 'wb').write(b)
EOF
H0=$(awk -F, 'NR == 3 { print $4 }' "$T/all.csv")
"$FLOWQ" -r "$T/bad" -o csv -q "host $H0" > "$T/bad.got" 2>"$T/bad.err"
"$FLOWQ" -r "$T/big" -o csv -q "host $H0" > "$T/good.got" 2>/dev/null
grep -q "bad: block 0: index checksum mismatch: index not used" \
    "$T/bad.err" && cmp -s "$T/bad.got" "$T/good.got" &&
    [ -s "$T/good.got" ]
ok $? "damaged index: '$(head -1 "$T/bad.err")', same $(wc -l < \
    "$T/good.got") records"
"$FLOWQ" -v "$T/bad" > "$T/v.out" 2>&1
[ $? -ne 0 ] && grep -q "block 0" "$T/v.out"
ok $? "flowq -v reports the damaged index: $(grep 'block 0' "$T/v.out" |
    head -1)"

echo "1..$n"
exit $fail
