# tests/probe_recv.py OUT CMD...: run CMD (each %P replaced by a port)
# towards a UDP socket on 127.0.0.1, then keep what it sent until a
# second passes without a datagram (at most 100000): one hex line per
# datagram in OUT, and OUT.pcap the same as a classic capture (IPv4/UDP
# to port 4739) for tshark.  Used by the flowprobe export tests.
import socket, struct, subprocess, sys
out = sys.argv[1]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
port = s.getsockname()[1]
cmd = [a.replace("%P", str(port)) for a in sys.argv[2:]]
subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
               timeout=60)
s.settimeout(1.0)
dg = []
while len(dg) < 100000:
    try:
        dg.append(s.recv(65535))
    except socket.timeout:
        break
with open(out, "w") as f:
    for d in dg:
        f.write(d.hex() + "\n")
with open(out + ".pcap", "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 101))
    for i, d in enumerate(dg):
        udp = struct.pack("!HHHH", 40000, 4739, 8 + len(d), 0) + d
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), i, 0, 64,
                         17, 0, bytes([127, 0, 0, 1]), bytes([127, 0, 0, 1]))
        f.write(struct.pack("<IIII", 1700000000 + i, 0, 20 + len(udp),
                            20 + len(udp)) + ip + udp)
