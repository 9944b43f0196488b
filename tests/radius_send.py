#!/usr/bin/env python3
"""tests/radius_send.py -- send hand-made RADIUS Accounting-Requests to
flowcapd and count the answers (for tests/flowcapd_radius.sh).

  radius_send.py PORT SECRET CASE

CASE: dup (one request sent twice), badattr (three malformed requests and
one with an unknown attribute).  Prints "answers N" and, per answer,
"ok" if its Response Authenticator is right for the request.
"""
import hashlib
import socket
import struct
import sys

port, secret, case = int(sys.argv[1]), sys.argv[2].encode(), sys.argv[3]


def attr(t, v):
    return bytes([t, len(v) + 2]) + v


def request(ident, attrs, length=None):
    body = b"".join(attrs)
    n = 20 + len(body) if length is None else length
    hdr = struct.pack("!BBH", 4, ident, n)
    auth = hashlib.md5(hdr + b"\0" * 16 + body + secret).digest()
    return hdr + auth + body, auth


def start(user, sid, ip):
    return [attr(40, struct.pack("!I", 1)), attr(1, user.encode()),
            attr(44, sid.encode()), attr(8, socket.inet_aton(ip))]


s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(1.0)
sent = []
if case == "dup":
    pkt, auth = request(7, start("dave", "D1", "100.64.0.9"))
    sent = [(pkt, auth, 7), (pkt, auth, 7)]
elif case == "badattr":
    good = start("erin", "E1", "100.64.0.10")
    # an attribute of length 1
    sent.append(request(20, good + [b"\x01\x01"]) + (20,))
    # an attribute that runs past Length (oversized)
    sent.append(request(21, good + [b"\x01\x20abc"]) + (21,))
    # Framed-IP-Address of 5 bytes
    sent.append(request(22, good[:3] + [attr(8, b"\x0a\0\0\1\2")]) + (22,))
    # an unknown attribute: fine
    sent.append(request(23, good + [attr(200, b"x"), attr(201, b"")]) + (23,))
else:
    sys.exit("unknown case")

answers = []
for pkt, auth, ident in sent:
    s.sendto(pkt, ("127.0.0.1", port))
    try:
        d, _ = s.recvfrom(4096)
        answers.append((d, auth))
    except socket.timeout:
        pass
print("answers", len(answers))
for d, auth in answers:
    code, ident, n = struct.unpack("!BBH", d[:4])
    want = hashlib.md5(d[:4] + auth + d[20:n] + secret).digest()
    print("ok" if code == 5 and d[4:20] == want else "bad", ident)
