#!/usr/bin/python3
"""debian/tests/gen-capture.py -- write a capture file with known flows,
built with python3-scapy (independent of flowkit), and print what a
probe must find in it.

usage: gen-capture.py FILE.pcap
Prints one line per protocol and a total:
  udp flows=N packets=P bytes=B
  tcp flows=...
  udp6 flows=...
  all flows=... packets=... bytes=...
(bytes are IP lengths, as NetFlow counts them).  Every flow's packets
fall within one second, so no timeout splits a flow; every packet of a
flow goes one way, so each flow is one record.  Exits 77 without scapy.
"""
import sys
import time

try:
    from scapy.all import IP, IPv6, TCP, UDP, Ether, Raw, wrpcap
except ImportError:
    sys.exit(77)


def main():
    out = sys.argv[1]
    t0 = float(int(time.time()) - 30)
    pkts = []
    stats = {}

    def add(kind, frame, ts):
        frame.time = ts
        pkts.append(frame)
        ip = frame.payload
        n = len(ip)
        flows, p, b = stats.get(kind, (set(), 0, 0))
        stats[kind] = (flows, p + 1, b + n)

    def flow(kind, key):
        stats.setdefault(kind, (set(), 0, 0))[0].add(key)

    eth = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
    # 40 UDP flows, 1..5 packets each, payloads of 20 + 10*i bytes
    for i in range(40):
        src = "10.0.0.%d" % (i % 20 + 1)
        sport = 5000 + i
        flow("udp", (src, sport))
        for k in range(i % 5 + 1):
            add("udp", eth / IP(src=src, dst="192.0.2.1") /
                UDP(sport=sport, dport=53) / Raw(b"q" * (20 + 10 * i)),
                t0 + i * 0.01 + k * 0.1)
    # 10 TCP flows, client to server only: SYN, ACK, 2 x data, FIN
    for i in range(10):
        src = "10.0.1.%d" % (i + 1)
        sport = 40000 + i
        flow("tcp", (src, sport))
        seq = 1000
        for k, (flags, data) in enumerate([("S", b""), ("A", b""),
                                           ("PA", b"x" * 100),
                                           ("PA", b"y" * 300),
                                           ("FA", b"")]):
            add("tcp", eth / IP(src=src, dst="192.0.2.2") /
                TCP(sport=sport, dport=443, flags=flags, seq=seq) /
                Raw(data), t0 + 1 + i * 0.01 + k * 0.05)
            seq += len(data)
    # 5 IPv6 UDP flows of 3 packets
    for i in range(5):
        src = "2001:db8::%x" % (i + 1)
        flow("udp6", (src, 6000 + i))
        for k in range(3):
            add("udp6", Ether(src="02:00:00:00:00:01",
                              dst="02:00:00:00:00:02", type=0x86dd) /
                IPv6(src=src, dst="2001:db8::53") /
                UDP(sport=6000 + i, dport=53) / Raw(b"z" * 50),
                t0 + 2 + i * 0.01 + k * 0.1)
    pkts.sort(key=lambda p: p.time)
    wrpcap(out, pkts)
    tf = tp = tb = 0
    for kind in ("udp", "tcp", "udp6"):
        flows, p, b = stats[kind]
        print("%s flows=%d packets=%d bytes=%d" % (kind, len(flows), p, b))
        tf += len(flows)
        tp += p
        tb += b
    print("all flows=%d packets=%d bytes=%d" % (tf, tp, tb))


main()
