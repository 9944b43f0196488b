#!/bin/sh
# tests/flowcapd_strings.sh -- a string field through flowcapd: IPFIX
# datagrams whose records carry applicationName (IE 96, variable
# length: empty, short, 255 and 300 bytes, UTF-8) go to flowcapd with
# its defaults and with -W 2; every record's name is stored and listed
# by flowq as sent.  The names differ in every record and datagram, so
# a name that pointed into a receive buffer reused by a later datagram
# (instead of travelling with its record to the writer) shows up as a
# wrong name.  About 5 seconds.
: "${top_srcdir:=.}" "${top_builddir:=.}"
tmp=$(mktemp -d) || exit 1
. "$top_srcdir/tests/flowcapd_lib.sh"
trap cleanup EXIT
[ -n "$KEEP" ] && trap - EXIT
trap 'exit 1' INT TERM
FLOWQ=$top_builddir/query/flowq
PY=$(command -v python3)
if [ -z "$PY" ]; then
	skip "python3 missing (writes the datagrams)"
	echo "1..$tap_n"
	exit 0
fi

# 400 datagrams of 16 records; record j of datagram i: source
# 10.0.i/256.i%256 port j, name "app-i-j" padded to i % 40 bytes ...
"$PY" - "$tmp/dg.hex" "$tmp/want" <<'EOF'
import struct, sys, time
t = int(time.time() * 1000)
tmpl = struct.pack('>HHHHHHHHHHHH', 256, 6, 8, 4, 7, 2, 96, 0xffff,
    2, 4, 152, 8) + struct.pack('>HH', 153, 8)
tset = struct.pack('>HH', 2, 4 + len(tmpl)) + tmpl
hexf = open(sys.argv[1], 'w')
want = []
for i in range(400):
    d = b''
    for j in range(16):
        k = (i * 16 + j) % 9
        if k == 0:
            name = b''
        elif k == 1:
            name = ('%03d-%02d' % (i, j)).encode() * 51	# 306 bytes
        elif k == 2:
            name = ('r\u00e9seau-%d-%d' % (i, j)).encode()
        else:
            name = ('app-%d-%d-' % (i, j)).encode() + b'x' * (i % 40)
        src = bytes([10, 0, i // 256, i % 256])
        d += src + struct.pack('>H', j)
        if len(name) < 255:
            d += bytes([len(name)]) + name
        else:
            d += b'\xff' + struct.pack('>H', len(name)) + name
        d += struct.pack('>IQQ', 1, t, t + 1)
        kept = name[:255].decode('utf-8', 'replace')
        want.append(('%d.%d.%d.%d %d %s' % (10, 0, i // 256, i % 256, j,
            kept)).rstrip() + '|')
    dset = struct.pack('>HH', 256, 4 + len(d)) + d
    body = tset + dset
    msg = struct.pack('>HHIII', 10, 16 + len(body), t // 1000, i, 1) + body
    hexf.write(msg.hex() + '\n')
open(sys.argv[2], 'w').write('\n'.join(sorted(want)) + '\n')
EOF
ok $? "400 IPFIX datagrams with 6400 names written"

run() {		# run NAME [flowcapd flags]
	name=$1
	shift
	mkdir "$tmp/$name"
	capd_start "$tmp/$name" "$@" || { ok 1 "$name: flowcapd started"; return; }
	timeout 30 "$NFSEND" 127.0.0.1 "$PORT" "$tmp/dg.hex" >/dev/null
	sleep 0.5
	capd_stop
	f=$(find "$tmp/$name" -name 'flows.*' ! -name '*.current' -type f |
	    sort)
	# shellcheck disable=SC2086
	"$FLOWQ" -q -N -o 'fmt:%sa %sp %app|' -r $f 2>"$tmp/$name.err" |
	    sed 's/^ *//; s/  */ /g; s/ *|$/|/' | sort >"$tmp/$name.got"
	n=$(wc -l <"$tmp/$name.got")
	if cmp -s "$tmp/want" "$tmp/$name.got"; then
		ok 0 "$name: every one of $n records has the name sent"
	else
		ok 1 "$name: every record has the name sent ($n records)"
		diff "$tmp/want" "$tmp/$name.got" | head -10 | sed 's/^/# /'
	fi
	"$FLOWQ" -q -r $f 'app "app-399-*"' -o 'fmt:%sp' >"$tmp/$name.f"
	[ "$(wc -l <"$tmp/$name.f")" -eq 12 ]
	ok $? "$name: the filter finds the 12 app- names of the last datagram"
}

run defaults
run workers -W 2
echo "1..$tap_n"
exit $tap_fail
