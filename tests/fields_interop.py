#!/usr/bin/python3
"""tests/fields_interop.py -- datagrams carrying the fields routers send,
built here byte by byte (no flowkit code), and the check that what tshark
decodes from them is what flowq prints from flowcapd's files.

  fields_interop.py gen DIR    write DIR/ipfix.hex and DIR/v9.hex (one
                               datagram a line) and DIR/fields (the
                               tshark fields to ask for, one a line)
  fields_interop.py pmcmp PMACCT NDJSON
                               PMACCT: nfacctd's print plugin JSON
                               (aggregate: see PMACCT below); TAP lines
                               from 1 for what pmacct decodes
  fields_interop.py cmp TSHARK NDJSON
                               TSHARK: tshark -T fields output, one line
                               per data packet, '|'-separated, in the
                               order of DIR/fields; NDJSON: flowq -o
                               ndjson.  Prints TAP lines from 1, one per
                               (record, field); exits 1 on a mismatch.
"""
import json
import struct
import sys

T0 = 1700000000000          # flowStartMilliseconds of every record

# (element id, length) of each template, and the values of its records.
V4 = [(8, 4), (12, 4), (7, 2), (11, 2), (4, 1), (152, 8), (153, 8), (2, 8),
      (1, 8), (89, 1), (18, 4), (52, 1), (53, 1), (234, 4), (235, 4),
      (244, 1), (245, 2), (255, 2), (230, 1), (225, 4), (226, 4), (227, 2),
      (228, 2), (361, 2), (362, 2), (363, 2), (364, 2), (56, 6), (80, 6),
      (81, 6), (57, 6), (70, 3), (71, 3), (72, 3), (46, 1), (47, 4),
      (95, 4)]
V6 = [(27, 16), (28, 16), (7, 2), (11, 2), (4, 1), (152, 8), (153, 8),
      (2, 8), (1, 8), (31, 4), (63, 16), (281, 16), (282, 16), (89, 1)]
ICMP = [(8, 4), (12, 4), (4, 1), (152, 8), (153, 8), (2, 8), (1, 8),
        (176, 1), (177, 1), (230, 1)]


def a4(s):
    return bytes(int(x) for x in s.split('.'))


def a6(s):
    import ipaddress
    return ipaddress.IPv6Address(s).packed


def mac(s):
    return bytes(int(x, 16) for x in s.split(':'))


def mpls(label, exp, bos):
    return struct.pack('>I', label << 4 | exp << 1 | bos)[1:]


def u(v, n):
    return v.to_bytes(n, 'big')


R4 = {8: a4('10.0.0.1'), 12: a4('198.51.100.1'), 7: u(1234, 2),
      11: u(80, 2), 4: u(6, 1), 152: u(T0, 8), 153: u(T0 + 1500, 8),
      2: u(10, 8), 1: u(1500, 8), 89: u(66, 1), 18: a4('192.0.2.1'),
      52: u(60, 1), 53: u(64, 1), 234: u(5, 4), 235: u(6, 4), 244: u(3, 1),
      245: u(100, 2), 255: u(200, 2), 230: u(1, 1),
      225: a4('203.0.113.7'), 226: a4('198.51.100.2'), 227: u(40000, 2),
      228: u(8080, 2), 361: u(1024, 2), 362: u(2047, 2), 363: u(1, 2),
      364: u(1024, 2), 56: mac('00:1b:21:0a:0b:01'),
      80: mac('00:1b:21:0a:0b:02'), 81: mac('fe:ed:fa:ce:ca:fe'),
      57: mac('02:00:5e:10:00:01'), 70: mpls(16000, 5, 0),
      71: mpls(2, 0, 0), 72: mpls(300, 1, 1), 46: u(3, 1),
      47: a4('192.0.2.5'), 95: bytes([13, 0, 0, 80])}
R6 = {27: a6('2001:db8::1'), 28: a6('2001:db8:1::2'), 7: u(53, 2),
      11: u(5353, 2), 4: u(17, 1), 152: u(T0 + 10, 8),
      153: u(T0 + 20, 8), 2: u(3, 8), 1: u(300, 8), 31: u(0xabcde, 4),
      63: a6('2001:db8::99'), 281: a6('2001:db8:ff::7'),
      282: a6('2001:db8:ff::8'), 89: u(130, 1)}
RI = {8: a4('10.0.0.9'), 12: a4('10.0.0.10'), 4: u(1, 1),
      152: u(T0 + 30, 8), 153: u(T0 + 30, 8), 2: u(1, 8), 1: u(84, 8),
      176: u(3, 1), 177: u(13, 1), 230: u(2, 1)}

TEMPLATES = [(256, V4, R4), (257, V6, R6), (258, ICMP, RI)]

# tshark field, how to find the value in flowq's JSON record.
#   (tshark field, JSON member, kind): kind 'n' a number, 's' text,
#   'mpls-label'/'mpls-exp'/'mpls-bos' one part of each MPLS entry.
CHECKS = [
    ('cflow.srcport', 'sourceTransportPort', 'n'),
    ('cflow.forwarding_status', 'forwardingStatus', 'fwd'),
    ('cflow.forwarding_status_forward_code', 'forwardingStatus', 'fwdcode'),
    ('cflow.forwarding_status_drop_code', 'forwardingStatus', 'fwdcode'),
    ('cflow.bgpnexthop', 'bgpNextHopIPv4Address', 's'),
    ('cflow.bgpnexthopv6', 'bgpNextHopIPv6Address', 's6'),
    ('cflow.ttl_min', 'minimumTTL', 'n'),
    ('cflow.ttl_max', 'maximumTTL', 'n'),
    ('cflow.ipv6flowlabel', 'flowLabelIPv6', 'n'),
    ('cflow.ingress_vrfid', 'ingressVRFID', 'n'),
    ('cflow.egress_vrfid', 'egressVRFID', 'n'),
    ('cflow.dot1q_priority', 'dot1qPriority', 'n'),
    ('cflow.dot1q_customer_vlan_id', 'dot1qCustomerVlanId', 'n'),
    ('cflow.post_dot1q_customer_vlan_id', 'postDot1qCustomerVlanId', 'n'),
    ('cflow.nat_event', 'natEvent', 'n'),
    ('cflow.post_natsource_ipv4_address', 'postNATSourceIPv4Address', 's'),
    ('cflow.post_natdestination_ipv4_address',
     'postNATDestinationIPv4Address', 's'),
    ('cflow.post_nat_source_ipv6_address', 'postNATSourceIPv6Address', 's6'),
    ('cflow.post_nat_destination_ipv6_address',
     'postNATDestinationIPv6Address', 's6'),
    ('cflow.post_naptsource_transport_port', 'postNAPTSourceTransportPort',
     'n'),
    ('cflow.post_naptdestination_transport_port',
     'postNAPTDestinationTransportPort', 'n'),
    ('cflow.port_range_start', 'portRangeStart', 'n'),
    ('cflow.port_range_end', 'portRangeEnd', 'n'),
    ('cflow.port_range_step_size', 'portRangeStepSize', 'n'),
    ('cflow.port_range_num_ports', 'portRangeNumPorts', 'n'),
    ('cflow.srcmac', 'sourceMacAddress', 's'),
    ('cflow.dstmac', 'destinationMacAddress', 's'),
    ('cflow.post_srcmac', 'postSourceMacAddress', 's'),
    ('cflow.post_dstmac', 'postDestinationMacAddress', 's'),
    ('cflow.mpls_label', 'mpls', 'mpls-label'),
    ('cflow.mpls_exp', 'mpls', 'mpls-exp'),
    ('cflow.mpls_bos', 'mpls', 'mpls-bos'),
    ('cflow.toplabeltype', 'mplsTopLabelType', 'n'),
    ('cflow.toplabeladdr', 'mplsTopLabelIPv4Address', 's'),
    ('cflow.icmp_ipv4_type', 'icmpTypeIPv4', 'n'),
    ('cflow.icmp_ipv4_code', 'icmpCodeIPv4', 'n'),
    ('cflow.appl_id.classification_engine_id', 'applicationId',
     'appid-engine'),
    ('cflow.appl_id.selector_id', 'applicationId', 'appid-sel'),
]
MPLS = ['mplsTopLabelStackSection', 'mplsLabelStackSection2',
        'mplsLabelStackSection3']


# pmacct primitive, flowq JSON member, kind (as CHECKS; 'eos': label of
# the bottom-of-stack entry).  pmacct prints 0, "" or a zero MAC for a
# primitive the record does not carry.
PMACCT = [
    ('mac_src', 'sourceMacAddress', 's'),
    ('mac_dst', 'destinationMacAddress', 's'),
    ('post_nat_ip_src', 'postNATSourceIPv4Address', 's'),
    ('post_nat_ip_dst', 'postNATDestinationIPv4Address', 's'),
    ('post_nat_port_src', 'postNAPTSourceTransportPort', 'n'),
    ('post_nat_port_dst', 'postNAPTDestinationTransportPort', 'n'),
    ('nat_event', 'natEvent', 'n'),
    ('mpls_label_top', 'mplsTopLabelStackSection', 'top'),
    ('mpls_label_bottom', 'mpls', 'eos'),
    ('peer_ip_dst', 'bgpNextHopIPv6Address', 's'),
]


def pmcmp(pm, ndjson):
    with open(pm) as fh:
        pms = [json.loads(ln) for ln in fh if ln.strip()]
    with open(ndjson) as fh:
        recs = [json.loads(ln) for ln in fh if ln.strip()]
    src = {}
    for r in recs:
        a = r.get('sourceIPv4Address', r.get('sourceIPv6Address'))
        src[a] = r
    n = bad = 0
    for p in pms:
        rec = src.get(p['ip_src'])
        if rec is None:
            n += 1
            bad += 1
            print('not ok %d - pmacct flow from %s not in flowq' %
                  (n, p['ip_src']))
            continue
        for prim, member, kind in PMACCT:
            pv = str(p.get(prim, ''))
            if pv in ('', '0', '00:00:00:00:00:00'):
                pv = ''
            if kind == 'top':
                fv = rec.get(member, '').split('-')[0]
            elif kind == 'eos':
                fv = ''
                for m in MPLS:
                    parts = rec.get(m, '').split('-')
                    if len(parts) == 3 and parts[2] == '1':
                        fv = parts[0]
                        break
            else:
                fv = str(rec.get(member, ''))
            if pv == '' and fv == '':
                continue
            n += 1
            if pv == fv:
                print('ok %d - flow from %s: pmacct %s = %s' %
                      (n, p['ip_src'], prim, pv))
            else:
                bad += 1
                print('not ok %d - flow from %s: pmacct %s %r, flowq %s %r'
                      % (n, p['ip_src'], prim, pv, member, fv))
    if n == 0:
        print('not ok 1 - pmacct decoded nothing')
        return 1
    return 1 if bad else 0


def tmpl_set(tid, fields, v9):
    body = struct.pack('>HH', tid, len(fields))
    for i, n in fields:
        body += struct.pack('>HH', i, n)
    return struct.pack('>HH', 0 if v9 else 2, 4 + len(body)) + body


def data_set(tid, fields, vals):
    body = b''.join(vals[i] for i, _ in fields)
    while len(body) % 4:
        body += b'\0'
    return struct.pack('>HH', tid, 4 + len(body)) + body


def message(sets, seq, v9, count):
    body = b''.join(sets)
    if v9:
        return struct.pack('>HHIIII', 9, count, 3600000, T0 // 1000 + 60,
                           seq, 42) + body
    return struct.pack('>HHIII', 10, 16 + len(body), T0 // 1000 + 60, seq,
                       42) + body


def gen(d):
    for v9, name in ((False, 'ipfix'), (True, 'v9')):
        lines = []
        tmpl = [tmpl_set(t, f, v9) for t, f, _ in TEMPLATES]
        for k, (t, f, vals) in enumerate(TEMPLATES):
            sets = (tmpl if k == 0 else []) + [data_set(t, f, vals)]
            lines.append(message(sets, k, v9,
                                 (len(TEMPLATES) if k == 0 else 0) + 1).hex())
        with open('%s/%s.hex' % (d, name), 'w') as fh:
            fh.write('\n'.join(lines) + '\n')
    with open('%s/fields' % d, 'w') as fh:
        fh.write('\n'.join(c[0] for c in CHECKS) + '\n')


def flowq_value(rec, member, kind):
    if kind.startswith('mpls-'):
        parts = []
        for m in MPLS:
            if m in rec:
                lab, exp, bos = rec[m].split('-')
                parts.append({'mpls-label': lab, 'mpls-exp': exp,
                              'mpls-bos': bos}[kind])
        return ','.join(parts)
    v = rec.get(member)
    if v is not None and kind == 'appid-engine':
        return v.split('..')[0]         # engine..selector
    if v is not None and kind == 'appid-sel':
        return v.split('..')[-1]
    if v is not None and kind == 'fwd':
        return str(v >> 6)      # RFC 7270: status in the top two bits
    if v is not None and kind == 'fwdcode':
        return str(v & 63)      # and the reason code below them
    return '' if v is None else str(v)


def tshark_norm(v, kind):
    if kind == 'mpls-bos':
        return ','.join('1' if x in ('1', 'True') else '0'
                        for x in v.split(','))
    if kind == 'fwd' and v.startswith('0x'):
        return str(int(v, 16))
    if kind == 'appid-sel' and v:
        return str(int(v.replace(':', ''), 16))    # octets, as hex
    return v


def cmp(tshark, ndjson):
    with open(tshark) as fh:
        rows = [ln.rstrip('\n').split('|') for ln in fh if ln.strip()]
    with open(ndjson) as fh:
        recs = [json.loads(ln) for ln in fh if ln.strip()]
    by_first = {}
    for r in recs:
        by_first[r['flowStartMilliseconds']] = r
    recs = [by_first[k] for k in sorted(by_first)]
    n = 0
    bad = 0
    if len(rows) != len(TEMPLATES) or len(recs) != len(TEMPLATES):
        print('not ok 1 - %d tshark rows, %d flowq records, want %d' %
              (len(rows), len(recs), len(TEMPLATES)))
        return 1
    for k, (row, rec) in enumerate(zip(rows, recs)):
        labels = row[[c[0] for c in CHECKS].index('cflow.mpls_label')]
        for (tf, member, kind), tv in zip(CHECKS, row):
            tv = tshark_norm(tv, kind)
            fv = flowq_value(rec, member, kind)
            if tv == '' and fv in ('', '0'):
                continue        # not in the record (flowq prints 0)
            if kind == 'mpls-bos' and labels == '':
                continue        # tshark's 0 for a record without MPLS
            if kind == 'fwdcode' and tv == '':
                continue        # the code of the other status
            n += 1
            if tv == fv:
                print('ok %d - record %d %s = %s as tshark decodes it' %
                      (n, k + 1, tf, tv))
            else:
                bad += 1
                print('not ok %d - record %d %s: tshark %r, flowq %s %r' %
                      (n, k + 1, tf, tv, member, fv))
    return 1 if bad else 0


if __name__ == '__main__':
    if sys.argv[1] == 'gen':
        gen(sys.argv[2])
    elif sys.argv[1] == 'pmcmp':
        sys.exit(pmcmp(sys.argv[2], sys.argv[3]))
    else:
        sys.exit(cmp(sys.argv[2], sys.argv[3]))
