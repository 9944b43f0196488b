#!/usr/bin/env python3
"""tests/probe_fields.py -- helpers of tests/probe_fields.sh (flowprobe -x).

  probe_fields.py gen DIR
      DIR/in.pcap: Ethernet frames, built byte by byte here (no flowkit
      code), of five flows with what -x exports: MAC addresses, an
      802.1ad + 802.1Q pair of tags (outer priority 5), one tag
      (priority 3), an MPLS stack of three labels and one of four
      (deeper than the three kept), an IPv6 flow label, TTLs that vary
      within a flow.  DIR/expect.json: what each flow's record must hold.
  probe_fields.py tshark TSHARK_JSON EXPECT
      tshark -T json of the export: every record as expected (TAP lines).
  probe_fields.py flowq NDJSON EXPECT
      flowq -o ndjson of what flowcapd stored: the same (TAP lines).
"""
import json
import struct
import sys

T0 = 1700000000


def mac(s):
    return bytes(int(x, 16) for x in s.split(':'))


def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def ip4(src, dst, proto, ttl, payload, ident):
    h = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(payload), ident, 0,
                    ttl, proto, 0, bytes(src), bytes(dst))
    h = h[:10] + struct.pack('!H', csum(h)) + h[12:]
    return h + payload


def ip6(src, dst, nh, hlim, label, payload):
    return struct.pack('!IHBB16s16s', 6 << 28 | label, len(payload), nh,
                       hlim, bytes(src), bytes(dst)) + payload


def udp(sp, dp, n=8):
    return struct.pack('!HHHH', sp, dp, 8 + n, 0) + b'\x01' * n


def tcp(sp, dp):
    return struct.pack('!HHIIBBHHH', sp, dp, 1, 0, 0x50, 0x18, 65535, 0, 0)


def tag(tpid, pcp, vid):
    return struct.pack('!HH', tpid, pcp << 13 | vid)


def lse(label, exp, s, ttl=64):
    return struct.pack('!I', label << 12 | exp << 9 | s << 8 | ttl)


V6A = bytes.fromhex('20010db8000000000000000000000001')
V6B = bytes.fromhex('20010db8000000000000000000000002')

# (name, key (src, sport), frames, expected record fields)
FLOWS = []


def flow(name, key, frames, want):
    FLOWS.append((name, key, frames, want))


# A: 802.1ad outer tag (priority 5, VID 100), 802.1Q inner (VID 200)
flow('qinq', ('10.1.0.1', 1001),
     [mac('02:00:00:00:0a:02') + mac('02:00:00:00:0a:01') +
      tag(0x88a8, 5, 100) + tag(0x8100, 0, 200) + struct.pack('!H', 0x0800) +
      ip4([10, 1, 0, 1], [10, 2, 0, 2], 17, ttl, udp(1001, 53), i)
      for i, ttl in enumerate((64, 61, 63))],
     dict(srcmac='02:00:00:00:0a:01', dstmac='02:00:00:00:0a:02',
          prio=5, vlan=100, cvlan=200, minttl=61, maxttl=64))
# B: MPLS, three labels
flow('mpls3', ('10.1.0.3', 1002),
     [mac('0a:00:00:00:0b:02') + mac('0a:00:00:00:0b:01') +
      struct.pack('!H', 0x8847) + lse(1000, 1, 0) + lse(2000, 2, 0) +
      lse(3000, 5, 1) +
      ip4([10, 1, 0, 3], [10, 2, 0, 4], 6, ttl, tcp(1002, 80), 10 + i)
      for i, ttl in enumerate((50, 55))],
     dict(srcmac='0a:00:00:00:0b:01', dstmac='0a:00:00:00:0b:02',
          minttl=50, maxttl=55,
          mpls=[(1000, 1, 0), (2000, 2, 0), (3000, 5, 1)]))
# C: IPv6 with a flow label
flow('ipv6', ('2001:db8::1', 1003),
     [mac('02:00:00:00:0c:02') + mac('02:00:00:00:0c:01') +
      struct.pack('!H', 0x86dd) +
      ip6(V6A, V6B, 17, hl, 0xabcde, udp(1003, 53))
      for hl in (33, 34)],
     dict(srcmac='02:00:00:00:0c:01', dstmac='02:00:00:00:0c:02',
          minttl=33, maxttl=34, flowlabel=0xabcde))
# D: one 802.1Q tag, priority 3, TTL 1
flow('dot1q', ('10.1.0.5', 1004),
     [mac('02:00:00:00:0d:02') + mac('02:00:00:00:0d:01') +
      tag(0x8100, 3, 300) + struct.pack('!H', 0x0800) +
      ip4([10, 1, 0, 5], [10, 2, 0, 6], 17, 1, udp(1004, 123), 20)],
     dict(srcmac='02:00:00:00:0d:01', dstmac='02:00:00:00:0d:02',
          prio=3, vlan=300, minttl=1, maxttl=1))
# E: four labels: the top three are kept (the third without S)
flow('mpls4', ('10.1.0.7', 1005),
     [mac('02:00:00:00:0e:02') + mac('02:00:00:00:0e:01') +
      struct.pack('!H', 0x8847) + lse(11, 0, 0) + lse(12, 7, 0) +
      lse(13, 0, 0) + lse(14, 0, 1) +
      ip4([10, 1, 0, 7], [10, 2, 0, 8], 17, 200, udp(1005, 4789), 30)],
     dict(srcmac='02:00:00:00:0e:01', dstmac='02:00:00:00:0e:02',
          minttl=200, maxttl=200, mpls=[(11, 0, 0), (12, 7, 0), (13, 0, 0)]))


def gen(d):
    frames = []
    for k, (_, _, fr, _) in enumerate(FLOWS):
        for i, f in enumerate(fr):
            frames.append((T0 + i, k * 1000 + i * 10, f))
    frames.sort(key=lambda x: (x[0], x[1]))
    with open(d + '/in.pcap', 'wb') as fh:
        fh.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for sec, usec, f in frames:
            fh.write(struct.pack('<IIII', sec, usec, len(f), len(f)) + f)
    with open(d + '/expect.json', 'w') as fh:
        json.dump([[n, list(k), w] for n, k, _, w in FLOWS], fh)


def load_expect(path):
    with open(path) as fh:
        return [(n, tuple(k), w) for n, k, w in json.load(fh)]


N = [0]


def tap(ok, msg):
    N[0] += 1
    print('%s %d - %s' % ('ok' if ok else 'not ok', N[0], msg))
    return ok


def check(name, want, got):
    """got: the record's values as the judge read them (None: absent)."""
    keys = ['srcmac', 'dstmac', 'prio', 'vlan', 'cvlan', 'minttl', 'maxttl',
            'flowlabel', 'mpls']
    bad = []
    for k in keys:
        w = want.get(k)
        if w is None:
            w = {'srcmac': None, 'dstmac': None, 'mpls': []}.get(k, 0)
        g = got.get(k)
        if k == 'mpls':
            g = [tuple(x) for x in (g or []) if tuple(x) != (0, 0, 0)]
            w = [tuple(x) for x in w]
        elif g is None and k not in ('srcmac', 'dstmac'):
            g = 0
        if g != w:
            bad.append('%s: got %r, want %r' % (k, g, w))
    if not tap(not bad, '%s: every exported field as sent' % name):
        for b in bad:
            print('#   ' + b)


def walk(o, out):
    """Every dict in o that holds cflow record fields."""
    if isinstance(o, dict):
        if 'cflow.srcport' in o:
            out.append(o)
        for v in o.values():
            walk(v, out)
    elif isinstance(o, list):
        for v in o:
            walk(v, out)


def one(v):
    return v[0] if isinstance(v, list) else v


def tshark_cmp(path, expect):
    with open(path) as fh:
        pkts = json.load(fh)
    recs = []
    walk(pkts, recs)
    by_key = {}
    for r in recs:
        src = one(r.get('cflow.srcaddr', r.get('cflow.srcaddrv6')))
        by_key[(src, int(one(r['cflow.srcport'])))] = r
    tap(len(by_key) == len(expect), 'tshark: %d records, want %d' %
        (len(by_key), len(expect)))
    for name, key, want in expect:
        r = by_key.get(key)
        if r is None:
            tap(False, '%s: no record from %s:%d' % (name, key[0], key[1]))
            continue
        got = {}
        for k, f in (('srcmac', 'cflow.srcmac'), ('dstmac', 'cflow.dstmac')):
            if f in r:
                got[k] = one(r[f])
        for k, f in (('prio', 'cflow.dot1q_priority'),
                     ('vlan', 'cflow.vlanid'),
                     ('cvlan', 'cflow.dot1q_customer_vlan_id'),
                     ('minttl', 'cflow.ttl_min'), ('maxttl', 'cflow.ttl_max'),
                     ('flowlabel', 'cflow.ipv6flowlabel')):
            if f in r:
                got[k] = int(one(r[f]), 0)
        # MPLS-Label1..3: subtrees holding label, EXP and S
        mp = []
        for n in (1, 2, 3):
            sub = [v for k, v in r.items()
                   if k.startswith('MPLS-Label%d:' % n)]
            if sub:
                mp.append(tuple(int(sub[0]['cflow.mpls_' + f])
                                for f in ('label', 'exp', 'bos')))
        got['mpls'] = mp
        check('tshark: ' + name, want, got)


def flowq_cmp(path, expect):
    recs = [json.loads(l) for l in open(path) if l.strip()]
    by_key = {(r['sourceIPv4Address'] if 'sourceIPv4Address' in r else
               r['sourceIPv6Address'], r['sourceTransportPort']): r
              for r in recs}
    tap(len(by_key) == len(expect), 'flowq: %d records, want %d' %
        (len(by_key), len(expect)))
    for name, key, want in expect:
        r = by_key.get(key)
        if r is None:
            tap(False, '%s: no record from %s:%d' % (name, key[0], key[1]))
            continue
        got = {'srcmac': r.get('sourceMacAddress'),
               'dstmac': r.get('destinationMacAddress'),
               'prio': r.get('dot1qPriority'), 'vlan': r.get('vlanId'),
               'cvlan': r.get('dot1qCustomerVlanId'),
               'minttl': r.get('minimumTTL'), 'maxttl': r.get('maximumTTL'),
               'flowlabel': r.get('flowLabelIPv6')}
        mp = []
        for m in ('mplsTopLabelStackSection', 'mplsLabelStackSection2',
                  'mplsLabelStackSection3'):
            if m in r:
                a, b, c = r[m].split('-')
                mp.append((int(a), int(b), int(c)))
        got['mpls'] = mp
        check('flowq: ' + name, want, got)


if __name__ == '__main__':
    if sys.argv[1] == 'gen':
        gen(sys.argv[2])
    elif sys.argv[1] == 'tshark':
        tshark_cmp(sys.argv[2], load_expect(sys.argv[3]))
    elif sys.argv[1] == 'flowq':
        flowq_cmp(sys.argv[2], load_expect(sys.argv[3]))
