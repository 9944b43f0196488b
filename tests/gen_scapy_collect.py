#!/usr/bin/python3
"""tests/gen_scapy_collect.py -- NetFlow v5, v9 and IPFIX datagrams built
with python3-scapy's netflow layers (headers, template and options
template sets, data sets; record values packed here with struct), and
the records flowcapd must store for them.

usage: gen_scapy_collect.py OUTDIR

Writes, one datagram per line in hex (for tests/nfsend):
  v5.hex        one v5 datagram, sampling interval 10 in the header
  v9_tmpl.hex   templates 256 (IPv4) and 257 (options: sampling 100)
  v9_data.hex   data for 256; data for 258 (IPv6) before its template;
                template 258; then data for 256 again after a gap of 3
                export packets
  ipfix.hex     template 300 with a variable-length and an enterprise
                field, options template 301 (samplingPacketInterval 1,
                samplingPacketSpace 49: 1 in 50), options data, data for
                300; data for 302 (IPv6) before its template; template 302
and the records each must become, in flowrec_dump() form followed by
" from=EXPORTER/vVERSION/DOMAIN", in
  expected.txt         sampling as announced (counters scaled)
  expected_force7.txt  with flowcapd -s -7 (rate 7 forced)
Exits 77 if scapy is missing.
"""
import ipaddress
import os
import struct
import sys

try:
    from scapy.layers.netflow import (
        NetflowHeader, NetflowHeaderV5, NetflowRecordV5, NetflowHeaderV9,
        NetflowHeaderV10, NetflowFlowsetV9, NetflowTemplateV9,
        NetflowTemplateFieldV9, NetflowDataflowsetV9, NetflowRecordV9,
        NetflowOptionsFlowsetV9, NetflowOptionsFlowsetScopeV9,
        NetflowOptionsFlowsetOptionV9, NetflowOptionsFlowset10)
except ImportError:
    sys.exit(77)

EXPORT_S = 1795420800          # 2026-11-23 08:00:00 UTC
UPTIME = 7200000               # exporter up for two hours
V9_DOMAIN = 42
IPFIX_DOMAIN = 7

expected = []                  # (record dict, announced rate, exporter)


def rec(**kw):
    r = dict(first=0, last=0, af=4, src="0.0.0.0", sport=0, dst="0.0.0.0",
             dport=0, proto=0, pkts=0, bytes=0, flags=0, tos=0,
             nh="0.0.0.0", inif=0, outif=0, sas=0, das=0, smask=0,
             dmask=0, svlan=0, dvlan=0, dir=255, end=0, flows=1, samp=0,
             engt=0, engi=0)
    r.update(kw)
    return r


def dump(r, force):
    rate = force if force else r["samp"]
    pk, by = r["pkts"], r["bytes"]
    if rate > 1:
        pk *= rate
        by *= rate
    return ("first=%d last=%d af=%d %s:%d -> %s:%d proto=%d pkts=%d "
            "bytes=%d flags=0x%02x tos=%d nh=%s if=%d/%d as=%d/%d "
            "mask=%d/%d vlan=%d/%d dir=%d end=%d flows=%d samp=%d "
            "eng=%d/%d from=%s" % (
                r["first"], r["last"], r["af"], r["src"], r["sport"],
                r["dst"], r["dport"], r["proto"], pk, by, r["flags"],
                r["tos"], r["nh"], r["inif"], r["outif"], r["sas"],
                r["das"], r["smask"], r["dmask"], r["svlan"], r["dvlan"],
                r["dir"], r["end"], r["flows"], rate, r["engt"], r["engi"],
                r["exp"]))


def a4(s):
    return ipaddress.IPv4Address(s).packed


def a6(s):
    return ipaddress.IPv6Address(s).packed


def v6text(s):
    return str(ipaddress.IPv6Address(s))


def nhtext(s):
    """A next hop of :: means "none" to the decoders: the record keeps
    flowrec_init()'s unset next hop, which prints as 0.0.0.0."""
    return "0.0.0.0" if ipaddress.ip_address(s).packed == bytes(16) else \
        v6text(s)


# ---------------------------------------------------------------- v5

def v5():
    secs, nsecs, up = EXPORT_S, 500000000, UPTIME
    base = secs * 1000 + 500 - up
    hdr = NetflowHeader(version=5) / NetflowHeaderV5(
        count=2, sysUptime=up, unixSecs=secs, unixNanoSeconds=nsecs,
        flowSequence=1000, engineType=3, engineID=4,
        samplingInterval=0x400a)
    recs = [
        (dict(src="10.1.0.1", dst="10.2.0.2", nexthop="10.1.0.254",
              input=5, output=6, dpkts=7, dOctets=800, first=up - 5000,
              last=up - 1000, srcport=1025, dstport=80, tcpFlags=0x1b,
              prot=6, tos=0x28, src_as=64512, dst_as=64513, src_mask=16,
              dst_mask=24)),
        (dict(src="10.3.0.3", dst="10.4.0.4", nexthop="0.0.0.0",
              input=1, output=2, dpkts=1, dOctets=64, first=up - 100,
              last=up - 100, srcport=0, dstport=0x0800, tcpFlags=0,
              prot=1, tos=0, src_as=0, dst_as=0, src_mask=8, dst_mask=8)),
    ]
    pkt = hdr
    for r in recs:
        pkt = pkt / NetflowRecordV5(**r)
        expected.append(rec(
            first=base + r["first"], last=base + r["last"], src=r["src"],
            sport=r["srcport"], dst=r["dst"], dport=r["dstport"],
            proto=r["prot"], pkts=r["dpkts"], bytes=r["dOctets"],
            flags=r["tcpFlags"], tos=r["tos"], nh=r["nexthop"],
            inif=r["input"], outif=r["output"], sas=r["src_as"],
            das=r["dst_as"], smask=r["src_mask"], dmask=r["dst_mask"],
            samp=10, engt=3, engi=4, exp="127.0.0.1/v5/%d" % (3 << 8 | 4)))
    return [bytes(pkt)]


# ---------------------------------------------------------------- v9

V9_T256 = [(8, 4), (12, 4), (15, 4), (10, 4), (14, 4), (2, 4), (1, 8),
           (22, 4), (21, 4), (7, 2), (11, 2), (6, 1), (4, 1), (5, 1),
           (16, 4), (17, 4), (9, 1), (13, 1), (58, 2), (59, 2), (61, 1),
           (136, 1), (38, 1), (39, 1)]
V9_T258 = [(27, 16), (28, 16), (62, 16), (10, 2), (14, 2), (2, 8), (1, 8),
           (22, 4), (21, 4), (7, 2), (11, 2), (6, 1), (4, 1), (5, 1),
           (29, 1), (30, 1), (61, 1)]


def v9_hdr(seq, count, up=UPTIME, secs=EXPORT_S):
    return NetflowHeader(version=9) / NetflowHeaderV9(
        count=count, sysUptime=up, unixSecs=secs, packageSequence=seq,
        SourceID=V9_DOMAIN)


def tmpl(tid, fields):
    return NetflowTemplateV9(templateID=tid, template_fields=[
        NetflowTemplateFieldV9(fieldType=t, fieldLength=n)
        for t, n in fields])


def v9_r256(src, dst, nh, i, o, pk, by, fs, ls, sp, dp, fl, pr, tos, sas,
            das, sm, dm, sv, dv, dr, end, et, ei):
    base = EXPORT_S * 1000 - UPTIME
    raw = (a4(src) + a4(dst) + a4(nh) +
           struct.pack("!IIIQIIHHBBBIIBBHHBBBB", i, o, pk, by, fs, ls, sp,
                       dp, fl, pr, tos, sas, das, sm, dm, sv, dv, dr, end,
                       et, ei))
    expected.append(rec(
        first=base + fs, last=base + ls, src=src, sport=sp, dst=dst,
        dport=dp, proto=pr, pkts=pk, bytes=by, flags=fl, tos=tos, nh=nh,
        inif=i, outif=o, sas=sas, das=das, smask=sm, dmask=dm, svlan=sv,
        dvlan=dv, dir=dr, end=end, samp=100, engt=et, engi=ei,
        exp="127.0.0.1/v9/%d" % V9_DOMAIN))
    return NetflowRecordV9(fieldValue=raw)


def v9_r258(src, dst, nh, i, o, pk, by, fs, ls, sp, dp, fl, pr, tos, sm,
            dm, dr):
    base = EXPORT_S * 1000 - UPTIME
    raw = (a6(src) + a6(dst) + a6(nh) +
           struct.pack("!HHQQIIHHBBBBBB", i, o, pk, by, fs, ls, sp, dp, fl,
                       pr, tos, sm, dm, dr))
    expected.append(rec(
        first=base + fs, last=base + ls, af=6, src=v6text(src), sport=sp,
        dst=v6text(dst), dport=dp, proto=pr, pkts=pk, bytes=by, flags=fl,
        tos=tos, nh=nhtext(nh), inif=i, outif=o, smask=sm, dmask=dm,
        dir=dr, samp=100, exp="127.0.0.1/v9/%d" % V9_DOMAIN))
    return NetflowRecordV9(fieldValue=raw)


def v9():
    t = (v9_hdr(0, 3) /
         NetflowFlowsetV9(flowSetID=0, templates=[tmpl(256, V9_T256)]) /
         NetflowOptionsFlowsetV9(
             templateID=257, option_scope_length=4,
             option_field_length=8, pad=b"",
             scopes=[NetflowOptionsFlowsetScopeV9(scopeFieldType=1,
                                                  scopeFieldlength=4)],
             options=[NetflowOptionsFlowsetOptionV9(optionFieldType=34,
                                                    optionFieldlength=4),
                      NetflowOptionsFlowsetOptionV9(optionFieldType=35,
                                                    optionFieldlength=1)]) /
         NetflowDataflowsetV9(templateID=257, records=[
             NetflowRecordV9(fieldValue=struct.pack("!IIB", 0, 100, 2))]))
    d1 = v9_hdr(1, 2) / NetflowDataflowsetV9(templateID=256, records=[
        v9_r256("192.0.2.1", "198.51.100.2", "192.0.2.254", 3, 4, 10,
                15000, UPTIME - 60000, UPTIME - 1000, 50000, 443, 0x12, 6,
                0, 65000, 65001, 24, 24, 100, 200, 0, 1, 0, 1),
        v9_r256("192.0.2.5", "198.51.100.9", "192.0.2.254", 3, 4, 1, 76,
                UPTIME - 500, UPTIME - 500, 53, 5353, 0, 17, 0xb8, 0, 0,
                24, 32, 100, 0, 1, 3, 0, 1)])
    # the IPv6 template's data arrives first and must be held
    d2 = v9_hdr(2, 2) / NetflowDataflowsetV9(templateID=258, records=[
        v9_r258("2001:db8::1", "2001:db8:1::2", "fe80::1", 7, 8, 5, 5000,
                UPTIME - 30000, UPTIME - 2000, 40001, 22, 0x18, 6, 0x10,
                48, 64, 1),
        v9_r258("2001:db8::3", "ff02::fb", "::", 7, 0, 2, 300,
                UPTIME - 10, UPTIME, 5353, 5353, 0, 17, 0, 64, 128, 0)])
    t2 = v9_hdr(3, 1) / NetflowFlowsetV9(flowSetID=0,
                                         templates=[tmpl(258, V9_T258)])
    # export packets 4, 5 and 6 never arrive: a gap of 3
    d3 = v9_hdr(7, 1) / NetflowDataflowsetV9(templateID=256, records=[
        v9_r256("192.0.2.7", "203.0.113.7", "192.0.2.254", 9, 10, 1000,
                1500000, UPTIME - 3000, UPTIME - 2, 1, 2, 0x01, 6, 4, 1, 2,
                25, 26, 0, 4095, 1, 2, 0, 1)])
    return [bytes(t)], [bytes(d1), bytes(d2), bytes(t2), bytes(d3)]


# ---------------------------------------------------------------- IPFIX

def ipfix_hdr(seq, payload):
    return NetflowHeader(version=10) / NetflowHeaderV10(
        ExportTime=EXPORT_S, flowSequence=seq,
        ObservationDomainID=IPFIX_DOMAIN) / payload


def fix_len(pkt):
    """scapy's IPFIX length leaves out the 2-byte version field."""
    b = bytearray(bytes(pkt))
    b[2:4] = struct.pack("!H", len(b))
    return bytes(b)


IPFIX_T300 = [(8, 4), (12, 4), (15, 4), (10, 4), (14, 4), (2, 8), (1, 8),
              (152, 8), (153, 8), (7, 2), (11, 2), (6, 1), (4, 1), (5, 1),
              (32, 2), (82, 65535), (61, 1), (136, 1)]
IPFIX_T302 = [(27, 16), (28, 16), (2, 4), (1, 4), (152, 8), (153, 8),
              (7, 2), (11, 2), (4, 1), (243, 2), (254, 2)]


def ipfix_tmpl(tid, fields, enterprise=False):
    fl = [NetflowTemplateFieldV9(fieldType=t, fieldLength=n)
          for t, n in fields]
    if enterprise:
        # an enterprise-specific element (PEN 29305, id 1, 4 bytes):
        # unknown to flowkit, skipped by its length
        fl.append(NetflowTemplateFieldV9(enterpriseBit=1, fieldType=1,
                                         fieldLength=4,
                                         enterpriseNumber=29305))
    return NetflowTemplateV9(templateID=tid, template_fields=fl)


def ipfix_r300(src, dst, nh, i, o, pk, by, fs, ls, sp, dp, fl, pr, tos,
               icmp, ifname, dr, end):
    name = ifname.encode()
    raw = (a4(src) + a4(dst) + a4(nh) +
           struct.pack("!IIQQQQHHBBBH", i, o, pk, by, fs, ls, sp, dp, fl,
                       pr, tos, icmp))
    if len(name) < 255:
        raw += struct.pack("!B", len(name)) + name
    else:
        raw += struct.pack("!BH", 255, len(name)) + name
    raw += struct.pack("!BB", dr, end) + b"\xde\xad\xbe\xef"
    expected.append(rec(
        first=fs, last=ls, src=src, sport=sp, dst=dst,
        dport=icmp if pr == 1 else dp, proto=pr, pkts=pk, bytes=by,
        flags=fl, tos=tos, nh=nh, inif=i, outif=o, dir=dr, end=end,
        samp=50, exp="127.0.0.1/v10/%d" % IPFIX_DOMAIN))
    return NetflowRecordV9(fieldValue=raw)


def ipfix():
    ms = EXPORT_S * 1000
    e = ipfix_hdr(0,
        NetflowFlowsetV9(flowSetID=2, templates=[
            ipfix_tmpl(300, IPFIX_T300, enterprise=True)]) /
        NetflowOptionsFlowset10(
            templateID=301, pad=b"",
            scopes=[NetflowOptionsFlowsetScopeV9(scopeFieldType=149,
                                                 scopeFieldlength=4)],
            options=[NetflowOptionsFlowsetOptionV9(optionFieldType=305,
                                                   optionFieldlength=4),
                     NetflowOptionsFlowsetOptionV9(optionFieldType=306,
                                                   optionFieldlength=4)]) /
        NetflowDataflowsetV9(templateID=301, records=[
            NetflowRecordV9(fieldValue=struct.pack("!III", IPFIX_DOMAIN,
                                                   1, 49))]) /
        NetflowDataflowsetV9(templateID=300, records=[
            ipfix_r300("172.16.0.1", "172.16.9.9", "172.16.0.254", 21, 22,
                       123456789012, 987654321098765, ms - 299999,
                       ms - 1, 33333, 8443, 0x3f, 6, 0xfc, 0,
                       "eth0", 1, 2),
            ipfix_r300("172.16.0.2", "172.16.0.3", "0.0.0.0", 1, 0, 3,
                       252, ms - 3000, ms - 1000, 0, 0, 0, 1, 0, 0x0303,
                       "a-very-long-interface-name/" * 10, 0, 5)]))
    # IPv6 data before its template (one record: sets are not padded)
    ms6 = ms - 100
    raw = (a6("2001:db8:aa::1") + a6("2001:db8:bb::2") +
           struct.pack("!IIQQHHBHH", 4, 4000, ms6 - 5000, ms6, 4444, 80,
                       6, 10, 20))
    expected.append(rec(
        first=ms6 - 5000, last=ms6, af=6, src="2001:db8:aa::1", sport=4444,
        dst="2001:db8:bb::2", dport=80, proto=6, pkts=4, bytes=4000,
        svlan=10, dvlan=20, samp=50, exp="127.0.0.1/v10/%d" % IPFIX_DOMAIN))
    f = ipfix_hdr(3, NetflowDataflowsetV9(
        templateID=302, records=[NetflowRecordV9(fieldValue=raw)]))
    g = ipfix_hdr(4, NetflowFlowsetV9(flowSetID=2, templates=[
        ipfix_tmpl(302, IPFIX_T302)]))
    return [fix_len(e), fix_len(f), fix_len(g)]


def write(path, dgrams):
    with open(path, "w") as fh:
        for d in dgrams:
            fh.write(d.hex() + "\n")


def main():
    out = sys.argv[1]
    write(os.path.join(out, "v5.hex"), v5())
    t, d = v9()
    write(os.path.join(out, "v9_tmpl.hex"), t)
    write(os.path.join(out, "v9_data.hex"), d)
    write(os.path.join(out, "ipfix.hex"), ipfix())
    for name, force in (("expected.txt", 0), ("expected_force7.txt", 7)):
        with open(os.path.join(out, name), "w") as fh:
            for line in sorted(dump(r, force) for r in expected):
                fh.write(line + "\n")


if __name__ == "__main__":
    main()
