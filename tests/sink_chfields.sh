#!/bin/sh
# tests/sink_chfields.sh -- the catalogue's fields in ClickHouse, and
# tables made by an older flowkit, against Debian's clickhouse-server
# (18.16) started here on 127.0.0.1.
#
# A flow file with users, countries, AS organisations, MACs, MPLS
# labels, NAT addresses, VRFs and TTLs (tests/gen_flowfile -E) goes
# into ClickHouse with flowq --sink:
#   - into a new table: ClickHouse holds, flow by flow, the user,
#     source and destination country, incoming source MAC, first MPLS
#     entry and minimum TTL that flowq lists (compared as multisets,
#     MAC and MPLS formatted in SQL as flowkit-sink(7) shows);
#   - into a table with only the columns of flowkit before the
#     catalogue (the 34 core columns), with create=0: every flow lands,
#     the new columns are not written, and flowq says which;
#   - into that table again with the default create=1: the sink adds
#     the missing columns (ALTER TABLE) and says so, and the new rows
#     carry them.
# About 10 s.  SKIPs only without clickhouse-server or python3.
: "${top_srcdir:=.}" "${top_builddir:=.}"
tmp=$(mktemp -d)
. "$top_srcdir/tests/flowcapd_lib.sh"
. "$top_srcdir/tests/sink_lib.sh"
GEN="$top_builddir/tests/gen_flowfile"
trap 'cleanup; ch_kill' EXIT
N=20000
PLAN=7
echo "1..$PLAN"

if ! command -v clickhouse-server >/dev/null 2>&1 || ! [ -x "$PY" ]; then
	for i in $(seq 1 $PLAN); do skip "clickhouse-server or python3 not installed"; done
	exit 0
fi
if ! ch_start "$tmp/ch"; then
	for i in $(seq 1 $PLAN); do ok 1 "clickhouse-server starts"; done
	exit 1
fi
export TZ=UTC
"$GEN" -E -n "$N" -t 1795426759 "$tmp/f"
base="clickhouse://127.0.0.1:$CH_PORT"

# a multiset of "user|sc|dc|mac|mpls|ttl" lines, flowq's and ClickHouse's
"$FLOWQ" -r "$tmp/f" -q -o 'fmt:%user|%sc|%dc|%ismc|%mpls1|%minttl' |
    sed 's/ *| */|/g; s/^ *//; s/ *$//' | sort >"$tmp/want"
chsel() {	# chsel TABLE [WHERE]
	ch_query "SELECT if(user = '', '-', user), src_geo, dst_geo,
	    lower(MACNumToString(in_src_mac)),
	    concat(toString(bitShiftRight(mpls1, 4)), '-',
	        toString(bitAnd(bitShiftRight(mpls1, 1), 7)), '-',
	        toString(bitAnd(mpls1, 1))),
	    toString(min_ttl)
	    FROM fk.$1 $2 FORMAT TabSeparated" | tr '\t' '|' | sort
}

# 1-2: a new table
"$FLOWQ" -r "$tmp/f" --sink "$base/fk.flows" >/dev/null 2>"$tmp/err1"
ok $? "flowq --sink into a new table ($(tail -1 "$tmp/err1"))"
chsel flows >"$tmp/got1"
n=$(wc -l <"$tmp/got1")
cmp -s "$tmp/want" "$tmp/got1"
ok $? "ClickHouse holds each flow's user, countries, MAC, MPLS entry and TTL as flowq lists them ($n rows)"
[ "$n" = "$N" ] || diff "$tmp/want" "$tmp/got1" | head -5 | sed 's/^/# /'

# 3-5: a table made by flowkit before the catalogue's columns
ch_query "CREATE TABLE fk.old (date Date, time_start DateTime,
    time_end DateTime, first_ms UInt64, last_ms UInt64,
    exporter FixedString(16), nf_version UInt8, domain UInt32, af UInt8,
    src_addr FixedString(16), dst_addr FixedString(16),
    next_hop FixedString(16), src_port UInt16, dst_port UInt16,
    proto UInt8, tcp_flags UInt8, tos UInt8, packets UInt64, bytes UInt64,
    flows UInt32, in_if UInt32, out_if UInt32, src_as UInt32,
    dst_as UInt32, src_mask UInt8, dst_mask UInt8, src_vlan UInt16,
    dst_vlan UInt16, direction UInt8, end_reason UInt8, sampling UInt32,
    engine_type UInt8, engine_id UInt8, flowkit_batch UInt64)
    ENGINE = MergeTree PARTITION BY date
    ORDER BY (toStartOfFiveMinute(time_start), src_addr, dst_addr)"
"$FLOWQ" -r "$tmp/f" --sink "$base/fk.old?create=0" >/dev/null 2>"$tmp/err2"
r=$?
sed 's/^/# /' "$tmp/err2"
bytes=$(ch_query "SELECT count(), sum(bytes) FROM fk.old FORMAT TabSeparated" | tr '\t' ' ')
want=$("$FLOWQ" -r "$tmp/f" -q -o ndjson | "$PY" -c 'import json, sys
n = s = 0
for l in sys.stdin:
    n += 1
    s += json.loads(l)["octetDeltaCount"]
print(n, s)')
ok $([ $r = 0 ] && [ "$bytes" = "$want" ]; echo $?) \
    "create=0 into an older table: every flow lands in its columns ($bytes)"
ok $(grep -q "fk.old lacks [0-9]* of flowkit's columns, not written (create=0.*: .*user.*in_src_mac" "$tmp/err2"; echo $?) \
    "and flowq says which columns are not written"
"$FLOWQ" -r "$tmp/f" --sink "$base/fk.old" >/dev/null 2>"$tmp/err3"
r=$?
sed 's/^/# /' "$tmp/err3"
ok $([ $r = 0 ] && grep -q "fk.old: added [0-9]* columns it lacked.*user" "$tmp/err3"; echo $?) \
    "with create=1 (the default) the sink adds the missing columns and says so"
cols=$(ch_query "SELECT count() FROM system.columns WHERE database = 'fk' AND table = 'old' FORMAT TabSeparated")
all=$(ch_query "SELECT count() FROM system.columns WHERE database = 'fk' AND table = 'flows' FORMAT TabSeparated")
ok $([ "$cols" = "$all" ] && [ "$cols" -gt 34 ]; echo $?) \
    "the older table now has every column ($cols)"
chsel old "WHERE in_src_mac != 0" >"$tmp/got3"
cmp -s "$tmp/want" "$tmp/got3"
ok $? "the rows sent after the ALTER carry the new fields ($(wc -l <"$tmp/got3") rows)"
exit $tap_fail
