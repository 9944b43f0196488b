#!/bin/sh
# tests/scapy_nf5.sh -- NetFlow v1/v5 datagrams built by python3-scapy
# (an independent encoder) decode to hand-written values.  The committed
# hex fixtures always run; when /usr/bin/python3 has scapy, the
# datagrams are rebuilt and must match the fixtures byte for byte and
# decode the same way.
: "${top_srcdir:=.}" "${top_builddir:=.}"
data=$top_srcdir/tests/data
dump=$top_builddir/tests/nfdump_dgram
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

echo "1..3"
if timeout 30 "$dump" -x "$data/nf5_scapy_v1.hex" "$data/nf5_scapy_v5.hex" \
    >"$tmp/fixture.out" 2>&1 &&
    diff -u "$data/nf5_scapy.expected" "$tmp/fixture.out" >"$tmp/diff"; then
	echo "ok 1 - committed scapy fixtures decode to the expected values"
else
	sed 's/^/# /' "$tmp/diff" "$tmp/fixture.out"
	echo "not ok 1 - committed scapy fixtures decode to the expected values"
fi

if ! [ -x /usr/bin/python3 ] ||
    ! /usr/bin/python3 -c 'import scapy.layers.netflow' >/dev/null 2>&1; then
	echo "ok 2 # SKIP python3-scapy not installed"
	echo "ok 3 # SKIP python3-scapy not installed"
	exit 0
fi
timeout 60 /usr/bin/python3 "$top_srcdir/tests/gen_scapy_v5.py" "$tmp"
if cmp -s "$tmp/nf5_scapy_v1.hex" "$data/nf5_scapy_v1.hex" &&
    cmp -s "$tmp/nf5_scapy_v5.hex" "$data/nf5_scapy_v5.hex"; then
	echo "ok 2 - scapy rebuilds the committed fixtures byte for byte"
else
	diff -u "$data/nf5_scapy_v5.hex" "$tmp/nf5_scapy_v5.hex" | sed 's/^/# /'
	echo "not ok 2 - scapy rebuilds the committed fixtures byte for byte"
fi
if timeout 30 "$dump" -x "$tmp/nf5_scapy_v1.hex" "$tmp/nf5_scapy_v5.hex" \
    >"$tmp/scapy.out" 2>&1 &&
    diff -u "$data/nf5_scapy.expected" "$tmp/scapy.out" >"$tmp/diff2"; then
	echo "ok 3 - scapy-built datagrams decode to the expected values"
else
	sed 's/^/# /' "$tmp/diff2" "$tmp/scapy.out"
	echo "not ok 3 - scapy-built datagrams decode to the expected values"
fi
