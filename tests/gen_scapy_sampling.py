#!/usr/bin/python3
"""tests/gen_scapy_sampling.py -- NetFlow v9 and IPFIX datagrams that
announce packet sampling the way routers do, built with python3-scapy's
netflow layers (record values packed here with struct), and the records
flowcapd must store for them (flowcapd(8), "Sampling").

usage: gen_scapy_sampling.py OUTDIR

Every shape uses its own observation domain / source id, so one
flowcapd run can take them all.  Writes one datagram per line in hex
(for tests/nfsend):

  xr_one.hex    IOS-XR random sampler (selectorId 302, selectorAlgorithm
                304 = 3, samplingSize 309 = 1, samplingPopulation 310 =
                256, samplingPacketInterval 305 = 1, selectorName 335)
                and data naming it, in ONE datagram: rate 256
  xr_after.hex  the same, but the data comes one datagram BEFORE the
                options data: held, then stored at 256
  two.hex       two samplers on one exporter: selector 1 n-out-of-N
                1/100 (with 305 = 1, as IOS-XR sends it), selector 2
                count-based 305 = 1, 306 = 9 (1/10)
  change.hex    selector 1 at 1/256, data, then 1/512, data, data
  v9_34.hex     v9 SAMPLING_INTERVAL 34 = 100 / SAMPLING_ALGORITHM 35
  v9_48.hex     v9 FLOW_SAMPLER_ID 48 / MODE 49 / RANDOM_INTERVAL 50:
                samplers 1 (1/64) and 2 (1/1000), data carrying 48; then
                data naming sampler 3 before its options (1/32)
  mixed.hex     IPFIX options announce selectorId 5 (n-out-of-N 1/128);
                the data records carry samplerId 48 = 5
  odd.hex       selector 10 uniform probabilistic 311 = 0.01 (1/100);
                11 time-based; 12 samplingSize 0 (nonsense); 13
                samplingProbability 0 (nonsense); 14 hash-based
  count.hex     systematic count-based without 304: 305 = 1, 306 = 255
  orphan.hex    data naming selector 9, never announced
  xr_opts.hex / xr_data.hex   the IOS-XR shape split, for a restart
                between the options and the data

and the records each must become, in flowrec_dump() form followed by
" from=EXPORTER/vVERSION/DOMAIN":
  expected.txt       default flowcapd (all shapes but orphan/xr_*.hex)
  expected_s7.txt    flowcapd -s 7: records without a usable rate get 7
  expected_orphan.txt, expected_xr.txt
Exits 77 if scapy is missing.
"""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
try:
    from scapy.layers.netflow import (
        NetflowHeader, NetflowHeaderV9, NetflowHeaderV10, NetflowFlowsetV9,
        NetflowTemplateV9, NetflowTemplateFieldV9, NetflowDataflowsetV9,
        NetflowRecordV9, NetflowOptionsFlowsetV9,
        NetflowOptionsFlowsetScopeV9, NetflowOptionsFlowsetOptionV9,
        NetflowOptionsFlowset10)
except ImportError:
    sys.exit(77)
import gen_scapy_collect as g  # noqa: E402  (rec(), dump(), a4())

EXPORT_S = g.EXPORT_S
UPTIME = g.UPTIME
MS = EXPORT_S * 1000

# (record dict) per output file
out = {"expected": [], "orphan": [], "xr": []}


def tmpl(tid, fields):
    return NetflowTemplateV9(templateID=tid, template_fields=[
        NetflowTemplateFieldV9(fieldType=t, fieldLength=n)
        for t, n in fields])


def scope(t, n):
    return NetflowOptionsFlowsetScopeV9(scopeFieldType=t,
                                        scopeFieldlength=n)


def opt(t, n):
    return NetflowOptionsFlowsetOptionV9(optionFieldType=t,
                                         optionFieldlength=n)


def raw(b):
    return NetflowRecordV9(fieldValue=b)


# ---------------------------------------------------------------- IPFIX

def ix(domain, seq, payload):
    """One IPFIX message (scapy's length leaves out the version field)."""
    b = bytearray(bytes(NetflowHeader(version=10) / NetflowHeaderV10(
        ExportTime=EXPORT_S, flowSequence=seq,
        ObservationDomainID=domain) / payload))
    b[2:4] = struct.pack("!H", len(b))
    return bytes(b)


# data template 256: addresses, counters, times, ports, proto, selectorId
IX_DATA = [(8, 4), (12, 4), (2, 8), (1, 8), (152, 8), (153, 8), (7, 2),
           (11, 2), (4, 1), (302, 8)]
# the IOS-XR sampler table: scope selectorId; name, algorithm, interval,
# size, population
IX_XR_OPTS = [(335, 65535), (304, 2), (305, 4), (309, 4), (310, 4)]
# a wider sampler table for the other algorithms
IX_ANY_OPTS = [(304, 2), (305, 4), (306, 4), (307, 4), (308, 4), (309, 4),
               (310, 4), (311, 8)]

nrec = [0]


def flow(domain, rate, sel=None, sel_len=8, dest="expected", version=10):
    """One data record's bytes (template 256 layout, or the v9 one) and
    its expected stored form at the given applied rate."""
    nrec[0] += 1
    n = nrec[0]
    src, dst = "10.%d.0.%d" % (domain, n), "192.0.2.%d" % n
    pk, by = 3 + n, 1000 + 17 * n
    fs, ls = MS - 60000 + n, MS - 1000 + n
    sp, dp, pr = 40000 + n, 443, 6
    r = g.rec(src=src, dst=dst, sport=sp, dport=dp, proto=pr, pkts=pk,
              bytes=by, samp=rate,
              exp="127.0.0.1/v%d/%d" % (version, domain))
    if version == 10:
        b = (g.a4(src) + g.a4(dst) +
             struct.pack("!QQQQHHB", pk, by, fs, ls, sp, dp, pr) +
             sel.to_bytes(sel_len, "big"))
        r.update(first=fs, last=ls)
    else:
        base = MS - UPTIME
        b = (g.a4(src) + g.a4(dst) +
             struct.pack("!IIIIHHB", pk, by, fs - base, ls - base, sp, dp,
                         pr) + sel.to_bytes(sel_len, "big"))
        r.update(first=fs, last=ls)
    out[dest].append(r)
    return raw(b)


def xr_templates():
    return (NetflowFlowsetV9(flowSetID=2, templates=[tmpl(256, IX_DATA)]) /
            NetflowOptionsFlowset10(templateID=257, pad=b"",
                                    scopes=[scope(302, 8)],
                                    options=[opt(t, n)
                                             for t, n in IX_XR_OPTS]))


def xr_sampler(sel, pop, name=b"SAMPLER-RANDOM-1"):
    return raw(struct.pack("!Q", sel) + bytes([len(name)]) + name +
               struct.pack("!HIII", 3, 1, 1, pop))


def any_templates(data_tmpl=True):
    fs = NetflowOptionsFlowset10(templateID=258, pad=b"",
                                 scopes=[scope(302, 4)],
                                 options=[opt(t, n) for t, n in IX_ANY_OPTS])
    if not data_tmpl:
        return fs
    return NetflowFlowsetV9(flowSetID=2, templates=[tmpl(256, IX_DATA)]) / fs


def any_sampler(sel, alg, piv=0, psp=0, tiv=0, tsp=0, size=0, pop=0,
                prob=0.0):
    return raw(struct.pack("!IHIIIIIId", sel, alg, piv, psp, tiv, tsp, size,
                           pop, prob))


def xr_one():
    d = 21
    return [ix(d, 0, xr_templates() /
               NetflowDataflowsetV9(templateID=257, records=[
                   xr_sampler(1, 256)]) /
               NetflowDataflowsetV9(templateID=256, records=[
                   flow(d, 256, 1), flow(d, 256, 1)]))]


def xr_after():
    d = 22
    first = ix(d, 0, xr_templates() /
               NetflowDataflowsetV9(templateID=256, records=[
                   flow(d, 256, 1), flow(d, 256, 1)]))
    then = ix(d, 2, NetflowDataflowsetV9(templateID=257, records=[
        xr_sampler(1, 256)]))
    return [first, then]


def two():
    d = 23
    return [ix(d, 0, any_templates() /
               NetflowDataflowsetV9(templateID=258, records=[
                   any_sampler(1, 3, piv=1, size=1, pop=100),
                   any_sampler(2, 1, piv=1, psp=9)]) /
               NetflowDataflowsetV9(templateID=256, records=[
                   flow(d, 100, 1), flow(d, 10, 2), flow(d, 100, 1),
                   flow(d, 10, 2)]))]


def change():
    d = 24
    a = ix(d, 0, xr_templates() /
           NetflowDataflowsetV9(templateID=257, records=[
               xr_sampler(1, 256)]) /
           NetflowDataflowsetV9(templateID=256, records=[flow(d, 256, 1)]))
    b = ix(d, 2, NetflowDataflowsetV9(templateID=257, records=[
        xr_sampler(1, 512)]) /
           NetflowDataflowsetV9(templateID=256, records=[flow(d, 512, 1)]))
    c = ix(d, 4, NetflowDataflowsetV9(templateID=256, records=[
        flow(d, 512, 1)]))
    return [a, b, c]


def mixed():
    d = 25
    data = [(8, 4), (12, 4), (2, 8), (1, 8), (152, 8), (153, 8), (7, 2),
            (11, 2), (4, 1), (48, 1)]
    return [ix(d, 0, NetflowFlowsetV9(flowSetID=2,
                                      templates=[tmpl(256, data)]) /
               NetflowOptionsFlowset10(templateID=257, pad=b"",
                                       scopes=[scope(302, 8)],
                                       options=[opt(t, n)
                                                for t, n in IX_XR_OPTS]) /
               NetflowDataflowsetV9(templateID=257, records=[
                   xr_sampler(5, 128)]) /
               NetflowDataflowsetV9(templateID=256, records=[
                   flow(d, 128, 5, sel_len=1), flow(d, 128, 5, sel_len=1)]))]


def odd():
    d = 26
    return [ix(d, 0, any_templates() /
               NetflowDataflowsetV9(templateID=258, records=[
                   any_sampler(10, 4, prob=0.01),
                   any_sampler(11, 2, tiv=1000, tsp=9000),
                   any_sampler(12, 3, size=0, pop=256),
                   any_sampler(13, 4, prob=0.0),
                   any_sampler(14, 6, piv=1, psp=9)]) /
               NetflowDataflowsetV9(templateID=256, records=[
                   flow(d, 100, 10), flow(d, 0, 11), flow(d, 0, 12),
                   flow(d, 0, 13), flow(d, 0, 14)]))]


def count():
    """Systematic count-based, as softflowd and Juniper announce it:
    selectorId scope, samplingPacketInterval 1, samplingPacketSpace 255
    (1/256), no selectorAlgorithm."""
    d = 29
    data = IX_DATA[:-1] + [(302, 4)]
    return [ix(d, 0, NetflowFlowsetV9(flowSetID=2,
                                      templates=[tmpl(256, data)]) /
               NetflowOptionsFlowset10(templateID=257, pad=b"",
                                       scopes=[scope(302, 4)],
                                       options=[opt(305, 4), opt(306, 4)]) /
               NetflowDataflowsetV9(templateID=257, records=[
                   raw(struct.pack("!III", 7, 1, 255))]) /
               NetflowDataflowsetV9(templateID=256, records=[
                   flow(d, 256, 7, sel_len=4),
                   flow(d, 256, 7, sel_len=4)]))]


def orphan():
    d = 27
    return [ix(d, 0, NetflowFlowsetV9(flowSetID=2,
                                      templates=[tmpl(256, IX_DATA)]) /
               NetflowDataflowsetV9(templateID=256, records=[
                   flow(d, 0, 9, dest="orphan"),
                   flow(d, 0, 9, dest="orphan")]))]


def xr_split():
    d = 28
    opts = ix(d, 0, xr_templates() /
              NetflowDataflowsetV9(templateID=257, records=[
                  xr_sampler(1, 256)]))
    data = ix(d, 1, NetflowDataflowsetV9(templateID=256, records=[
        flow(d, 256, 1, dest="xr"), flow(d, 256, 1, dest="xr")]))
    return [opts], [data]


# ---------------------------------------------------------------- v9

def v9(domain, seq, count, payload):
    return bytes(NetflowHeader(version=9) / NetflowHeaderV9(
        count=count, sysUptime=UPTIME, unixSecs=EXPORT_S,
        packageSequence=seq, SourceID=domain) / payload)


V9_DATA = [(8, 4), (12, 4), (2, 4), (1, 4), (22, 4), (21, 4), (7, 2),
           (11, 2), (4, 1)]


def v9_34():
    d = 31
    return [v9(d, 0, 4, NetflowFlowsetV9(flowSetID=0, templates=[
        tmpl(256, V9_DATA + [(61, 1)])]) /
        NetflowOptionsFlowsetV9(templateID=257, option_scope_length=4,
                                option_field_length=8, pad=b"",
                                scopes=[scope(1, 4)],
                                options=[opt(34, 4), opt(35, 1)]) /
        NetflowDataflowsetV9(templateID=257, records=[
            raw(struct.pack("!IIB", 0, 100, 2))]) /
        NetflowDataflowsetV9(templateID=256, records=[
            v9_34_flow(d)]))]


def v9_34_flow(d):
    r = flow(d, 100, 0, sel_len=1, version=9)   # last byte: flowDirection
    out["expected"][-1]["dir"] = 0
    return r


def v9_48():
    d = 32
    t = v9(d, 0, 4, NetflowFlowsetV9(flowSetID=0, templates=[
        tmpl(256, V9_DATA + [(48, 1)])]) /
        NetflowOptionsFlowsetV9(templateID=257, option_scope_length=4,
                                option_field_length=12, pad=b"",
                                scopes=[scope(1, 4)],
                                options=[opt(48, 1), opt(49, 1),
                                         opt(50, 4)]) /
        NetflowDataflowsetV9(templateID=257, records=[
            raw(struct.pack("!IBBI", 0, 1, 2, 64)),
            raw(struct.pack("!IBBI", 0, 2, 1, 1000))]))
    data = v9(d, 1, 3, NetflowDataflowsetV9(templateID=256, records=[
        flow(d, 64, 1, sel_len=1, version=9),
        flow(d, 1000, 2, sel_len=1, version=9),
        flow(d, 64, 1, sel_len=1, version=9)]))
    # sampler 3's data before its options: held, then 1/32
    early = v9(d, 2, 1, NetflowDataflowsetV9(templateID=256, records=[
        flow(d, 32, 3, sel_len=1, version=9)]))
    late = v9(d, 3, 1, NetflowDataflowsetV9(templateID=257, records=[
        raw(struct.pack("!IBBI", 0, 3, 2, 32))]))
    return [t, data, early, late]


def write(path, dgrams):
    with open(path, "w") as fh:
        for d in dgrams:
            fh.write(d.hex() + "\n")


def expect(path, recs, default_rate=0):
    with open(path, "w") as fh:
        for line in sorted(g.dump(dict(r, samp=r["samp"] or default_rate),
                                  0) for r in recs):
            fh.write(line + "\n")


def main():
    o = sys.argv[1]
    write(os.path.join(o, "xr_one.hex"), xr_one())
    write(os.path.join(o, "xr_after.hex"), xr_after())
    write(os.path.join(o, "two.hex"), two())
    write(os.path.join(o, "change.hex"), change())
    write(os.path.join(o, "mixed.hex"), mixed())
    write(os.path.join(o, "odd.hex"), odd())
    write(os.path.join(o, "count.hex"), count())
    write(os.path.join(o, "v9_34.hex"), v9_34())
    write(os.path.join(o, "v9_48.hex"), v9_48())
    write(os.path.join(o, "orphan.hex"), orphan())
    a, b = xr_split()
    write(os.path.join(o, "xr_opts.hex"), a)
    write(os.path.join(o, "xr_data.hex"), b)
    expect(os.path.join(o, "expected.txt"), out["expected"])
    expect(os.path.join(o, "expected_s7.txt"), out["expected"], 7)
    expect(os.path.join(o, "expected_orphan.txt"), out["orphan"])
    expect(os.path.join(o, "expected_xr.txt"), out["xr"])


if __name__ == "__main__":
    main()
