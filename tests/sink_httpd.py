#!/usr/bin/python3
# tests/sink_httpd.py -- the HTTP endpoint of tests/sink_http.sh: takes
# NDJSON POSTs as a log store would, and misbehaves on purpose.
#
#   sink_httpd.py PORT PORTFILE OUTFILE TOKEN [options]
#     --busy N   answer every Nth POST 429 Too Many Requests (Retry-After
#                1) and write nothing
#     --die K    on the Kth POST, write its lines and die without
#                answering (the client cannot know they were kept)
#
# Binds 127.0.0.1:PORT (0: a free one) and writes the port to PORTFILE.
# Every POST must go to /ingest?src=flowkit with "Authorization: Bearer
# TOKEN" and an NDJSON content type; a gzip body is inflated.  Each line
# must be a JSON object with flowStartMilliseconds; a POST that breaks a
# rule is answered 400 and nothing of it is kept.  Accepted lines are
# appended to OUTFILE, then 200 is answered.  SIGTERM ends it, with its
# counts on stderr.
import gzip
import json
import os
import signal
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

port, portfile, outfile, token = sys.argv[1:5]
opts = sys.argv[5:]
busy = int(opts[opts.index("--busy") + 1]) if "--busy" in opts else 0
die = int(opts[opts.index("--die") + 1]) if "--die" in opts else 0
stats = {"posts": 0, "busy": 0, "bad": 0, "lines": 0}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, code, text, extra=None):
        body = text.encode()
        self.send_response(code)
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        stats["posts"] += 1
        n = stats["posts"]
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if busy and n % busy == 0:
            stats["busy"] += 1
            return self.answer(429, "slow down", {"Retry-After": "1"})
        why = None
        if self.path != "/ingest?src=flowkit":
            why = "path " + self.path
        elif self.headers.get("Authorization") != "Bearer " + token:
            why = "no or wrong token"
        elif self.headers.get("Content-Type") != "application/x-ndjson":
            why = "content type %s" % self.headers.get("Content-Type")
        lines = []
        if why is None:
            try:
                if self.headers.get("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
                for line in body.decode().splitlines():
                    if not json.loads(line).get("flowStartMilliseconds"):
                        raise ValueError("not a flow")
                    lines.append(line)
            except Exception as e:      # the client sent garbage
                why = "body: %s" % e
        if why is not None:
            stats["bad"] += 1
            sys.stderr.write("400: %s\n" % why)
            return self.answer(400, why)
        with open(outfile, "a") as f:
            f.write("".join(l + "\n" for l in lines))
        stats["lines"] += len(lines)
        if die and n == die:
            sys.stderr.write("dying after POST %d (%d lines kept)\n"
                             % (n, len(lines)))
            os._exit(3)
        self.answer(200, "ok")


def stop(sig, frame):
    sys.stderr.write("%s\n" % stats)
    sys.stderr.flush()
    os._exit(0)


# SIGTERM ends it (a shell's background job ignores SIGINT)
signal.signal(signal.SIGTERM, stop)
srv = HTTPServer(("127.0.0.1", int(port)), Handler)
with open(portfile + ".tmp", "w") as f:
    f.write("%d\n" % srv.server_address[1])
os.rename(portfile + ".tmp", portfile)
srv.serve_forever()
