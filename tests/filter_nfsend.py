#!/usr/bin/python3
"""tests/filter_nfsend.py PORT RECFILE -- send a fixed, deterministic set
of NetFlow v5 records to 127.0.0.1:PORT (for nfcapd) and write the same
records, one per line, to RECFILE for t_filter --match.  Each record's
source AS is unique (1000 + index), so a selection is a set of ASes
(nfdump prints no ports for ICMP flows, so ports cannot be the key).
"""
import random
import socket
import struct
import sys
import time

port, recfile = int(sys.argv[1]), sys.argv[2]
rnd = random.Random(20261123)
# No ICMP: nfcapd 1.7.1 rewrites the v5 ICMP type/code it stores, so
# nfdump's view of those records differs from what was sent.
protos = [6, 6, 6, 17, 17, 47, 50]
recs = []
for i in range(240):
    proto = rnd.choice(protos)
    src = "10.%d.%d.%d" % (rnd.randrange(3), rnd.randrange(4), rnd.randrange(1, 4))
    dst = "192.168.%d.%d" % (rnd.randrange(3), rnd.randrange(1, 4))
    nh = "10.255.0.%d" % rnd.randrange(3)
    dport = rnd.choice([0, 22, 53, 80, 443, 8080, 65535])
    first = rnd.randrange(1000, 50000)
    dur = rnd.choice([0, 0, 1, 7, 500, 999, 1000, 2000, 12345])
    pkts = rnd.choice([1, 2, 3, 10, 100, 1000, 5000])
    byts = pkts * rnd.choice([40, 64, 333, 576, 1500])
    recs.append(dict(src=src, dst=dst, nh=nh, inif=rnd.randrange(4),
                     outif=rnd.randrange(4), pkts=pkts, bytes=byts,
                     first=first, last=first + dur,
                     sport=rnd.choice([0, 53, 1023, 1024, 33000, 65535]),
                     dport=dport, proto=proto,
                     # nfcapd keeps TCP flags of TCP flows only
                     flags=rnd.randrange(64) if proto == 6 else 0,
                     tos=rnd.choice([0, 0, 8, 46, 255]),
                     sas=1000 + i,
                     das=rnd.choice([0, 3320, 64497]),
                     smask=rnd.choice([0, 8, 24, 32]),
                     dmask=rnd.choice([0, 16, 24]),
                     etype=i % 2, eid=i % 3))

sk = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
now = int(time.time())
uptime = 60000
seq = 0
# one datagram per (engine type, engine id), at most 30 records each
groups = {}
for r in recs:
    groups.setdefault((r["etype"], r["eid"]), []).append(r)
for (et, ei), rs in sorted(groups.items()):
    for k in range(0, len(rs), 30):
        chunk = rs[k:k + 30]
        dg = struct.pack("!HHIIIIBBH", 5, len(chunk), uptime, now, 0, seq,
                         et, ei, 0)
        for r in chunk:
            dg += socket.inet_aton(r["src"]) + socket.inet_aton(r["dst"])
            dg += socket.inet_aton(r["nh"])
            dg += struct.pack("!HHIIIIHHBBBBHHBBH", r["inif"], r["outif"],
                              r["pkts"], r["bytes"], r["first"], r["last"],
                              r["sport"], r["dport"], 0, r["flags"],
                              r["proto"], r["tos"], r["sas"], r["das"],
                              r["smask"], r["dmask"], 0)
        seq += len(chunk)
        sk.sendto(dg, ("127.0.0.1", port))
        time.sleep(0.01)

with open(recfile, "w") as f:
    for r in recs:
        f.write("%(src)s %(dst)s %(nh)s %(inif)d %(outif)d %(pkts)d "
                "%(bytes)d %(first)d %(last)d %(sport)d %(dport)d %(flags)d "
                "%(proto)d %(tos)d %(sas)d %(das)d %(smask)d %(dmask)d "
                "%(etype)d %(eid)d\n" % r)
