#!/usr/bin/env python3
"""A loopback HTTP server for the SMS gateway tests (standard library only).

Every POST is written to OUTDIR as N.json: path, the Authorization, Content-Type and
Idempotency-Key headers, and the body as text. A path /status/NNN answers NNN; any other path
answers 202. Once listening it writes its port to OUTDIR/port. SIGTERM stops it.

usage: http_sink.py OUTDIR
"""
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from sink_common import detach_from_test_process

lock = threading.Lock()
count = 0


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        global count
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        with lock:
            count += 1
            number = count
        record = {
            "path": self.path,
            "authorization": self.headers.get("Authorization"),
            "content_type": self.headers.get("Content-Type"),
            "idempotency_key": self.headers.get("Idempotency-Key"),
            "body": body.decode("utf-8"),
        }
        base = os.path.join(self.server.outdir, str(number))
        with open(base + ".json.tmp", "w") as f:
            json.dump(record, f)
        os.rename(base + ".json.tmp", base + ".json")
        status = 202
        if self.path.startswith("/status/"):
            status = int(self.path.split("/")[2])
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        reply = b'{"ok": true}' if status < 300 else b'{"error": "refused"}'
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, format, *args):
        pass


def main():
    detach_from_test_process()
    outdir = sys.argv[1]
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.outdir = outdir
    with open(os.path.join(outdir, "port.tmp"), "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(os.path.join(outdir, "port.tmp"), os.path.join(outdir, "port"))
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
