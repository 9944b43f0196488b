#!/usr/bin/python3
# tests/gen_ipfix_names.py -- IPFIX datagrams whose records carry
# applicationName (IE 96, variable length: empty, short, UTF-8, 306
# bytes), as hex lines for tests/nfsend, and the names flowq must list
# ("SRC SPORT NAME|" sorted, the 306-byte one cut to 255).
#   gen_ipfix_names.py HEXFILE WANTFILE
# 400 datagrams of 16 records; record j of datagram i: source
# 10.0.i/256.i%256, source port j, a name unique to it.
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
