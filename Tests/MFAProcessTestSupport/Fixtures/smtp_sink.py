#!/usr/bin/env python3
"""A loopback SMTP server for the delivery tests (aiosmtpd).

Every message it accepts is written to OUTDIR as N.eml (the DATA, byte for byte) and N.json
(envelope sender, recipients, the AUTH login, whether the session was under TLS). Once listening
it writes its port to OUTDIR/port. SIGTERM stops it.

usage: smtp_sink.py OUTDIR [--port N] [--auth USER:PASSWORD] [--tls CERT KEY] [--reject-rcpt]
"""
import argparse
import json
import os
import socket
import ssl
import sys
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from sink_common import detach_from_test_process


class Sink:
    def __init__(self, outdir, reject_rcpt):
        self.outdir = outdir
        self.reject_rcpt = reject_rcpt
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.reject_rcpt:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.outdir, str(self.count))
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content)
        login = session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None
        with open(base + ".json.tmp", "w") as f:
            json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos,
                       "login": login, "tls": session.ssl is not None}, f)
        os.rename(base + ".eml.tmp", base + ".eml")
        os.rename(base + ".json.tmp", base + ".json")
        return "250 Message accepted for delivery"


def main():
    detach_from_test_process()
    parser = argparse.ArgumentParser()
    parser.add_argument("outdir")
    parser.add_argument("--auth")
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--reject-rcpt", action="store_true")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()

    parameters = {}
    if args.auth:
        user, password = args.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user \
                and auth_data.password.decode() == password
            # handled=False: aiosmtpd answers a failure with 535 (True would mean 'already answered').
            return AuthResult(success=ok, handled=False, auth_data=auth_data)

        parameters.update(authenticator=authenticator, auth_required=True, auth_require_tls=bool(args.tls))
    if args.tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls[0], args.tls[1])
        parameters.update(tls_context=context, require_starttls=True)

    # A free port: aiosmtpd's controller needs a real one to check that it is up.
    port = args.port
    if port == 0:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
    controller = Controller(Sink(args.outdir, args.reject_rcpt), hostname="127.0.0.1", port=port, **parameters)
    controller.start()
    with open(os.path.join(args.outdir, "port.tmp"), "w") as f:
        f.write(str(port))
    os.rename(os.path.join(args.outdir, "port.tmp"), os.path.join(args.outdir, "port"))
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    sys.exit(main())
