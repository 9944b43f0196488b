#!/usr/bin/env python3
"""tests/gen_sessions.py -- a known-answer set for the subscriber join.

  gen_sessions.py DIR

Writes into DIR:
  sessions.csv, sessions.jsonl, radacct/nas1/detail  the sessions, spread
      over the three formats flowkit reads (flowkit-sessions(5));
  nat.txt    CGNAT events: "natEvent time_ms inside outside lo hi step";
  flows.txt  one flow per line: "first_ms last_ms src sport dst dport user"
      where user is the one the join must find ("-" for none);
  flows.hex  the same flows as IPFIX messages, one per line in hex (for
      tests/nfsend), 20 flows a message, each with its templates.
Inside prefixes: 100.64.0.0/10, 10.0.0.0/8, 2001:db8::/32.
Every boundary case of issue 11 is here: a flow that starts before a
session and ends after it, an address handed to another user one second
after a Stop, IPv6 delegated prefixes, overlapping sessions, a missing
Stop, Interim-Updates only, a CGNAT port block; and a bulk part of
random subscribers whose flows sit well inside their sessions.
"""
import json
import os
import random
import sys
import time

T0 = 1700000000            # seconds
out = sys.argv[1]
os.makedirs(os.path.join(out, "radacct", "nas1"), exist_ok=True)
csv = ["start,stop,address,user,session,nas"]
jsl = []
detail = []
nat = []
flows = []


def ms(s):
    return int(round(s * 1000))


def flow(first, last, src, sport, dst, dport, user):
    flows.append("%d %d %s %d %s %d %s" % (ms(first), ms(last), src, sport,
                                           dst, dport, user))


def ctime(t):
    return time.strftime("%a %b %e %H:%M:%S %Y", time.localtime(t))


def detail_rec(t, attrs):
    detail.append(ctime(t))
    for k, v in attrs:
        detail.append("\t%s = %s" % (k, v))
    detail.append("\tTimestamp = %d" % t)
    detail.append("")


OUT = "192.0.2.80"         # a server on the Internet
# 1. an address handed to another user one second after a Stop (CSV)
csv.append("%d,%d,100.64.0.1,alice,A1,192.0.2.1" % (T0, T0 + 100))
csv.append("%d,%d,100.64.0.1,bob,B1,192.0.2.1" % (T0 + 101, T0 + 200))
flow(T0 + 50, T0 + 60, "100.64.0.1", 40000, OUT, 443, "alice")
flow(T0 + 150, T0 + 160, "100.64.0.1", 40001, OUT, 443, "bob")
flow(T0 + 100.5, T0 + 100.6, "100.64.0.1", 40002, OUT, 443, "-")
flow(T0 + 95, T0 + 99.999, OUT, 443, "100.64.0.1", 40003, "alice")
flow(T0 + 101, T0 + 101, "100.64.0.1", 40004, OUT, 53, "bob")
flow(T0 + 96, T0 + 106, "100.64.0.1", 40005, OUT, 443, "bob")   # 4 s vs 5 s
# 2. a flow that starts before a session and ends after it (CSV)
csv.append("%s,%s,100.64.0.2,carol,C1," % (
    time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(T0 + 1000)),
    time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(T0 + 1010))))
flow(T0 + 990, T0 + 1020, "100.64.0.2", 5000, OUT, 80, "carol")
flow(T0 + 980, T0 + 989, "100.64.0.2", 5001, OUT, 80, "-")
# 3. IPv6: a delegated /48 and a framed IPv4 address (JSON lines)
jsl.append({"start": T0, "stop": T0 + 500, "address": "2001:db8:d0::/48",
            "user": "dave", "session": "D1", "nas": "192.0.2.1"})
jsl.append({"start": T0, "stop": T0 + 500, "address": "100.64.0.3",
            "user": "dave", "session": "D1", "nas": "192.0.2.1"})
flow(T0 + 10, T0 + 20, "2001:db8:d0:5::1", 6000, "2001:4860::8888", 53, "dave")
flow(T0 + 10, T0 + 20, "2001:4860::8888", 443, "2001:db8:d0:ff::9", 6001, "dave")
flow(T0 + 10, T0 + 20, "2001:db8:d1::1", 6002, "2001:4860::8888", 53, "-")
flow(T0 + 10, T0 + 20, "100.64.0.3", 6003, OUT, 443, "dave")
# 4. overlapping sessions: the latest start holds (JSON lines)
jsl.append({"start": T0, "stop": T0 + 1000, "address": "100.64.0.4",
            "user": "erin"})
jsl.append({"start": "%s" % time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                          time.gmtime(T0 + 500)),
            "stop": T0 + 700, "address": "100.64.0.4", "user": "frank"})
flow(T0 + 600, T0 + 610, "100.64.0.4", 7000, OUT, 443, "frank")
flow(T0 + 800, T0 + 810, "100.64.0.4", 7001, OUT, 443, "erin")
flow(T0 + 450, T0 + 520, "100.64.0.4", 7002, OUT, 443, "erin")  # 50 s vs 20 s
flow(T0 + 480, T0 + 560, "100.64.0.4", 7003, OUT, 443, "frank")  # 20 vs 60
# 5. a missing Stop: open until a day without news (CSV, no stop)
csv.append("%d,,100.64.0.5,gina,G1,192.0.2.1" % T0)
flow(T0 + 3600, T0 + 3610, "100.64.0.5", 8000, OUT, 443, "gina")
flow(T0 + 86399, T0 + 86399.5, "100.64.0.5", 8001, OUT, 443, "gina")
flow(T0 + 86401, T0 + 86402, "100.64.0.5", 8002, OUT, 443, "-")
# 6. Interim-Updates only (detail file), with the session time
detail_rec(T0 + 600, [("Acct-Status-Type", "Interim-Update"),
                      ("User-Name", '"hank"'), ("Acct-Session-Id", '"H1"'),
                      ("Framed-IP-Address", "100.64.0.6"),
                      ("NAS-IP-Address", "192.0.2.1"),
                      ("Acct-Session-Time", "300"),
                      ("Event-Timestamp", '"%s"' % time.strftime(
                          "%b %e %Y %H:%M:%S UTC", time.gmtime(T0 + 600)))])
detail_rec(T0 + 900, [("Acct-Status-Type", "Interim-Update"),
                      ("User-Name", '"hank"'), ("Acct-Session-Id", '"H1"'),
                      ("Framed-IP-Address", "100.64.0.6"),
                      ("NAS-IP-Address", "192.0.2.1"),
                      ("Acct-Session-Time", "600")])
detail_rec(T0 + 1200, [("Acct-Status-Type", "Stop"),
                       ("User-Name", '"hank"'), ("Acct-Session-Id", '"H1"'),
                       ("Framed-IP-Address", "100.64.0.6"),
                       ("NAS-IP-Address", "192.0.2.1"),
                       ("Acct-Session-Time", "900")])
flow(T0 + 400, T0 + 410, "100.64.0.6", 9000, OUT, 443, "hank")
flow(T0 + 200, T0 + 210, "100.64.0.6", 9001, OUT, 443, "-")
flow(T0 + 1150, T0 + 1160, "100.64.0.6", 9002, OUT, 443, "hank")
flow(T0 + 1250, T0 + 1260, "100.64.0.6", 9003, OUT, 443, "-")
# 7. a CGNAT port block: 10.0.0.7 behind 198.51.100.1 ports 1024-1535
csv.append("%d,%d,10.0.0.7,ivan,I1,192.0.2.1" % (T0, T0 + 1000))
nat.append("16 %d 10.0.0.7 198.51.100.1 1024 1535 1" % ms(T0))
nat.append("17 %d 10.0.0.7 198.51.100.1 1024 1535 1" % ms(T0 + 800))
flow(T0 + 100, T0 + 110, "198.51.100.1", 1100, OUT, 443, "ivan")
flow(T0 + 100, T0 + 110, OUT, 443, "198.51.100.1", 1535, "ivan")
flow(T0 + 100, T0 + 110, "198.51.100.1", 2000, OUT, 443, "-")
flow(T0 + 900, T0 + 910, "198.51.100.1", 1100, OUT, 443, "-")
flow(T0 + 100, T0 + 110, "10.0.0.7", 1100, "10.0.0.8", 22, "ivan")
# a Start/Stop pair in the detail file too
detail_rec(T0 + 2000, [("Acct-Status-Type", "Start"),
                       ("User-Name", '"judy"'), ("Acct-Session-Id", '"J1"'),
                       ("Framed-IP-Address", "100.64.0.8"),
                       ("Delegated-IPv6-Prefix", "2001:db8:1f00::/56"),
                       ("NAS-IP-Address", "192.0.2.1")])
detail_rec(T0 + 2100, [("Acct-Status-Type", "Stop"),
                       ("User-Name", '"judy"'), ("Acct-Session-Id", '"J1"'),
                       ("Framed-IP-Address", "100.64.0.8"),
                       ("Delegated-IPv6-Prefix", "2001:db8:1f00::/56"),
                       ("NAS-IP-Address", "192.0.2.1"),
                       ("Acct-Session-Time", "100")])
flow(T0 + 2050, T0 + 2060, "2001:db8:1f00:3::1", 1, "2001:4860::8888", 53, "judy")
flow(T0 + 2150, T0 + 2160, "100.64.0.8", 1, OUT, 53, "-")
# 8. bulk: random subscribers, flows well inside their sessions
rnd = random.Random(11)
for i in range(300):
    a = "100.65.%d.%d" % (i // 250, i % 250 + 1)
    t = T0 + 5000
    for k in range(rnd.randint(1, 4)):
        start = t + rnd.randint(1, 50)
        stop = start + rnd.randint(60, 600)
        user = "sub%d-%d" % (i, k)
        csv.append("%d,%d,%s,%s,," % (start, stop, a, user))
        mid = rnd.uniform(start + 5, stop - 25)
        flow(mid, mid + rnd.uniform(0, 20), a, 30000 + k, OUT, 443, user)
        t = stop
with open(os.path.join(out, "sessions.csv"), "w") as f:
    f.write("\n".join(csv) + "\n")
with open(os.path.join(out, "sessions.jsonl"), "w") as f:
    f.write("".join(json.dumps(o) + "\n" for o in jsl))
with open(os.path.join(out, "radacct", "nas1", "detail"), "w") as f:
    f.write("\n".join(detail) + "\n")
with open(os.path.join(out, "nat.txt"), "w") as f:
    f.write("\n".join(nat) + "\n")
with open(os.path.join(out, "flows.txt"), "w") as f:
    f.write("\n".join(flows) + "\n")


sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ipfix_flows  # noqa: E402
with open(os.path.join(out, "flows.hex"), "w") as f:
    f.write(ipfix_flows.encode(flows, T0))
