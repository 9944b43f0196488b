#!/usr/bin/python3
"""tests/gen_scapy_v5.py -- build NetFlow v1 and v5 datagrams with
python3-scapy's netflow layers, an encoder independent of flowkit.

usage: gen_scapy_v5.py OUTDIR
       gen_scapy_v5.py --parse FILE
The first form writes OUTDIR/nf5_scapy_v1.hex and OUTDIR/nf5_scapy_v5.hex
(hex text, 16 bytes per line).  The committed copies in tests/data/ were
made by it; tests/data/nf5_scapy.expected holds the decoded values,
written by hand from the numbers below.
The second form parses a raw v5 datagram (from flowkit's encoder) with
scapy and prints the header and each record as key=value lines.
Exits 77 if scapy is missing.
"""
import os
import sys

try:
    from scapy.layers.netflow import (NetflowHeader, NetflowHeaderV1,
                                      NetflowHeaderV5, NetflowRecordV1,
                                      NetflowRecordV5)
except ImportError:
    sys.exit(77)


def v5():
    hdr = NetflowHeader(version=5) / NetflowHeaderV5(
        count=3, sysUptime=3600000, unixSecs=1700000000,
        unixNanoSeconds=250000000, flowSequence=4242,
        engineType=7, engineID=9, samplingInterval=0x400a)
    a = NetflowRecordV5(
        src="10.10.0.1", dst="10.20.0.2", nexthop="10.10.0.254",
        input=11, output=12, dpkts=5, dOctets=420,
        first=3590000, last=3599000, srcport=40000, dstport=443,
        tcpFlags=0x1a, prot=6, tos=0, src_as=64500, dst_as=13335,
        src_mask=16, dst_mask=24)
    b = NetflowRecordV5(
        src="192.0.2.10", dst="224.0.0.251", nexthop="0.0.0.0",
        input=1, output=0, dpkts=2, dOctets=200,
        first=3599500, last=3599900, srcport=5353, dstport=5353,
        tcpFlags=0, prot=17, tos=0xb8, src_as=0, dst_as=0,
        src_mask=32, dst_mask=4)
    c = NetflowRecordV5(
        src="198.51.100.7", dst="203.0.113.9", nexthop="198.51.100.1",
        input=2, output=3, dpkts=1, dOctets=56,
        first=3600000, last=3600000, srcport=0, dstport=0x0303,
        tcpFlags=0, prot=1, tos=0xc0, src_as=65001, dst_as=65002,
        src_mask=25, dst_mask=26)
    return bytes(hdr / a / b / c)


def v1():
    hdr = NetflowHeader(version=1) / NetflowHeaderV1(
        count=2, sysUptime=100000, unixSecs=1700000000, unixNanoSeconds=0)
    # scapy's v1 record has no tcp_flags field: Cisco puts it at byte
    # 40, which scapy calls the first byte of padding1.
    a = NetflowRecordV1(
        ipsrc="10.0.0.1", ipdst="10.0.0.2", nexthop="10.0.0.3",
        inputIfIndex=4, outpuIfIndex=5, dpkts=6, dbytes=700,
        starttime=90000, endtime=99999, srcport=1234, dstport=22,
        proto=6, tos=16, padding1=0x1b000000)
    b = NetflowRecordV1(
        ipsrc="10.0.0.9", ipdst="10.0.0.1", nexthop="0.0.0.0",
        inputIfIndex=5, outpuIfIndex=4, dpkts=1, dbytes=84,
        starttime=100000, endtime=100000, srcport=0, dstport=0x0b00,
        proto=1, tos=0)
    return bytes(hdr / a / b)


def write_hex(path, data):
    with open(path, "w") as f:
        for i in range(0, len(data), 16):
            f.write(data[i:i + 16].hex() + "\n")


HDR_V5 = ("count", "sysUptime", "unixSecs", "unixNanoSeconds",
          "flowSequence", "engineType", "engineID", "samplingInterval")
REC_V5 = ("src", "dst", "nexthop", "input", "output", "dpkts", "dOctets",
          "first", "last", "srcport", "dstport", "tcpFlags", "prot", "tos",
          "src_as", "dst_as", "src_mask", "dst_mask")


def fields(layer, names):
    out = []
    for n in names:
        v = layer.getfieldval(n)
        out.append("%s=%s" % (n, v if isinstance(v, str) else int(v)))
    return " ".join(out)


def parse(path):
    with open(path, "rb") as f:
        pkt = NetflowHeader(f.read())
    print("version=%d" % pkt.version)
    hdr = pkt.getlayer(NetflowHeaderV5)
    print(fields(hdr, HDR_V5))
    i = 1
    while True:
        rec = pkt.getlayer(NetflowRecordV5, i)
        if rec is None:
            break
        print(fields(rec, REC_V5))
        i += 1
    return 0


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--parse":
        return parse(sys.argv[2])
    if len(sys.argv) != 2:
        sys.stderr.write("usage: gen_scapy_v5.py OUTDIR | --parse FILE\n")
        return 2
    out = sys.argv[1]
    write_hex(os.path.join(out, "nf5_scapy_v1.hex"), v1())
    write_hex(os.path.join(out, "nf5_scapy_v5.hex"), v5())
    return 0


if __name__ == "__main__":
    sys.exit(main())
