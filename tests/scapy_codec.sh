#!/bin/sh
# tests/scapy_codec.sh -- NetFlow v9 / IPFIX datagrams built by
# python3-scapy, decoded by flowkit (tests/scapy_codec.py).  SKIPs when
# /usr/bin/python3 or its scapy module is missing.
: "${top_srcdir:=.}" "${top_builddir:=.}"
if ! /usr/bin/python3 -c 'import scapy.layers.netflow' 2>/dev/null; then
	echo "1..1"
	echo "ok 1 # SKIP python3-scapy not installed"
	exit 0
fi
exec timeout 120 /usr/bin/python3 "$top_srcdir/tests/scapy_codec.py" \
    "$top_builddir/tests/nfcodec"
