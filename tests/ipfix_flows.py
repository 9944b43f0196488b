#!/usr/bin/env python3
"""tests/ipfix_flows.py -- flows as IPFIX messages, in hex for tests/nfsend.

  ipfix_flows.py < flows.txt > flows.hex

A flow is a line "first_ms last_ms src sport dst dport [...]" (IPv4 or
IPv6, TCP, 1 packet of 100 bytes); a NAT event (RFC 8158) a line
"nat natEvent time_ms inside outside start end step" (a port block:
sourceIPv4Address, postNATSourceIPv4Address, portRangeStart/End/
StepSize, the time as flowStartMilliseconds).  Each message carries its
templates (256 for IPv4 flows, 257 for IPv6 ones, 258 for NAT events)
and up to 20 records, in their order (a data set per run of one
template).
"""
import ipaddress
import struct
import sys
import time

TMPL = {4: (256, [(152, 8), (153, 8), (8, 4), (12, 4), (7, 2), (11, 2),
                  (4, 1), (1, 8), (2, 8)]),
        6: (257, [(152, 8), (153, 8), (27, 16), (28, 16), (7, 2), (11, 2),
                  (4, 1), (1, 8), (2, 8)]),
        "nat": (258, [(152, 8), (230, 1), (8, 4), (225, 4), (361, 2),
                      (362, 2), (363, 2)])}


def _set(sid, body):
    return struct.pack("!HH", sid, 4 + len(body)) + body


def message(seq, lines, export_s):
    tset = b""
    for fam in (4, 6, "nat"):
        tid, fields = TMPL[fam]
        tset += struct.pack("!HH", tid, len(fields))
        tset += b"".join(struct.pack("!HH", i, n) for i, n in fields)
    sets = [_set(2, tset)]
    fam, recs = 0, b""          # a data set per run of one family: in order
    for ln in lines:
        f = ln.split()
        kind = "nat" if f[0] == "nat" else \
            ipaddress.ip_address(f[2]).version
        if kind != fam and recs:
            sets.append(_set(TMPL[fam][0], recs))
            recs = b""
        fam = kind
        if kind == "nat":
            recs += struct.pack("!QB", int(f[2]), int(f[1]))
            recs += ipaddress.ip_address(f[3]).packed
            recs += ipaddress.ip_address(f[4]).packed
            recs += struct.pack("!HHH", int(f[5]), int(f[6]), int(f[7]))
            continue
        src, dst = ipaddress.ip_address(f[2]), ipaddress.ip_address(f[4])
        recs += struct.pack("!QQ", int(f[0]), int(f[1]))
        recs += src.packed + dst.packed
        recs += struct.pack("!HHBQQ", int(f[3]), int(f[5]), 6, 100, 1)
    if recs:
        sets.append(_set(TMPL[fam][0], recs))
    body = b"".join(sets)
    return struct.pack("!HHIII", 10, 16 + len(body), export_s, seq, 11) + body


def encode(flows, export_s):
    out, seq = [], 0
    for i in range(0, len(flows), 20):
        chunk = flows[i:i + 20]
        out.append(message(seq, chunk, export_s).hex() + "\n")
        seq += len(chunk)
    return "".join(out)


if __name__ == "__main__":
    lines = [ln for ln in sys.stdin.read().splitlines() if ln.strip()]
    sys.stdout.write(encode(lines, int(time.time())))
