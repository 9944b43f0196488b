#!/usr/bin/python3
# bench/v5blast.py -- send N deterministic NetFlow v5 flow records (30 per
# datagram) to one or more UDP ports on 127.0.0.1, paced, so that two
# collectors store the same flows.  usage: v5blast.py N RATE port...
# RATE is datagrams per second.
import socket, struct, sys, time

n = int(sys.argv[1])
rate = int(sys.argv[2])
ports = [int(p) for p in sys.argv[3:]]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 << 20)
now = int(time.time())
seed = 12345
sent = 0
seq = 0
t0 = time.time()
uptime = 3600000
hdr = struct.Struct("!HHIIIIBBH")
rec = struct.Struct("!IIIHHIIIIHHBBBBHHBBH")
while sent < n:
    k = min(30, n - sent)
    buf = bytearray(hdr.pack(5, k, uptime, now, 0, seq, 0, 0, 0))
    for j in range(k):
        seed = (seed * 1103515245 + 12345) & 0x7fffffff
        i = sent + j
        src = 0x0a000000 | (seed % 65536)
        dst = 0xc0a80000 | ((seed >> 8) % 4096)
        proto = (6, 6, 6, 17, 17, 1)[seed % 6]
        pk = 1 + (seed >> 4) % 500
        by = pk * (40 + (seed >> 7) % 1400)
        first = uptime - 290000 + (i * 29 // 1000) % 280000
        last = first + (seed >> 3) % 9000
        dport = (80, 443, 53, 22, 25, 123, 8080, 993)[(seed >> 5) % 8]
        if proto == 1:
            dport = 0x0800
        buf += rec.pack(src, dst, 0x0a0000fe, 1 + seed % 8, 2 + seed % 4,
                        pk, by, first, last, 1024 + (seed >> 9) % 60000,
                        dport, 0, (seed >> 2) & 0x3f if proto == 6 else 0,
                        proto, (seed % 4) * 8, 64500 + seed % 50,
                        65000 + seed % 20, 24, 16, 0)
    for p in ports:
        s.sendto(buf, ("127.0.0.1", p))
    sent += k
    seq += k
    if seq // 30 % 200 == 0:
        ahead = seq / 30 / rate - (time.time() - t0)
        if ahead > 0:
            time.sleep(ahead)
