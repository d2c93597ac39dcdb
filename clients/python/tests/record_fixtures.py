#!/usr/bin/env python3
"""Records this suite's conformance fixtures from a real `mfad --test-mode --seed 1`.

    python3 clients/python/tests/record_fixtures.py          # rewrites the fixtures
    python3 clients/python/tests/record_fixtures.py --check  # fails if a recording differs

Writes the same files to clients/python/tests/fixtures/ and clients/c/tests/fixtures/. Frames
go over a raw socket exactly as written here (the client's encoder builds the request bytes;
the replay tests then check that both clients reproduce them, and the server accepted them),
and the server's answers are stored as received. Test mode makes the recording repeatable.
"""

from __future__ import annotations

import argparse
import socket
import sys
from pathlib import Path
from typing import List, Optional

from google.protobuf import text_format

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from exchange import format_frame  # noqa: E402
from mfa_client import pb  # noqa: E402
from mfa_client.protocol import encode_request, FrameDecoder  # noqa: E402
from support import Mfad, TEST_CLOCK_START, last_code, wrong_code  # noqa: E402

OUTPUT_DIRS = [HERE / "fixtures", HERE.parents[1] / "c" / "tests" / "fixtures"]
EMAIL = "conformance@example.com"
PASSWORD = "correct horse battery"
PHONE = "+41791234567"


def text_of(message) -> List[str]:
    return text_format.MessageToString(message, as_utf8=True).rstrip("\n").split("\n")


class Recorder:
    def __init__(self, server: Mfad, title: str, description: List[str]) -> None:
        self.server = server
        self.out = [f"# Conformance exchange: {title}\n"] + [f"# {line}\n" for line in description]
        self.sock: Optional[socket.socket] = None
        self.decoder = FrameDecoder()
        self.connect()

    def connect(self) -> None:
        if self.sock is not None:
            self.sock.close()
        self.sock = socket.create_connection((self.server.host, self.server.port), timeout=30)
        self.decoder = FrameDecoder()

    def reconnect(self) -> None:
        self.connect()
        self.out.append("\n! reconnect\n")

    def send(self, frames: List[bytes], comments: List[List[str]]) -> None:
        self.sock.sendall(b"".join(frames))
        for frame, comment in zip(frames, comments):
            self.out.append("\n" + format_frame(">", frame, comment))

    def call(self, rpc: str, request_id: int, **fields) -> pb.Response:
        return self.pipeline([(rpc, request_id, fields)])[0]

    def pipeline(self, calls) -> List[pb.Response]:
        """Sends every call in one write, then reads as many answers (in arrival order)."""
        frames, comments = [], []
        for rpc, request_id, fields in calls:
            _, frame = encode_request(rpc, request_id, fields)
            frames.append(frame)
            comments.append(text_of(pb.Request.FromString(frame[4:])))
        self.send(frames, comments)
        return [self.receive() for _ in calls]

    def send_raw(self, frame: bytes, comment: str) -> None:
        self.send([frame], [[comment]])

    def receive(self) -> pb.Response:
        while True:
            body = self.decoder.next_frame()
            if body is not None:
                response = pb.Response.FromString(body)
                self.out.append("\n" + format_frame("<", len(body).to_bytes(4, "big") + body, text_of(response)))
                return response
            data = self.sock.recv(65536)
            if not data:
                raise RuntimeError("the server closed the connection before answering")
            self.decoder.feed(data)

    def expect_close(self) -> None:
        data = self.sock.recv(1)
        if data:
            raise RuntimeError("expected the server to close the connection")
        self.out.append("\n! closed\n")
        self.sock.close()
        self.sock = None

    def text(self) -> str:
        return "".join(self.out)


def signup_login(server: Mfad) -> str:
    r = Recorder(server, "clients-signup-login", [
        "Recorded by clients/python/tests/record_fixtures.py: sign-up, contact confirmation,",
        "enforced email MFA, the three lockout answers, a trusted device, pipelined pings, an",
        "unknown protocol version, a reconnect, and a garbage envelope that closes the connection.",
    ])
    r.call("ping", 1, payload=b"abc")
    account = r.call("create_account", 2, email=EMAIL, password=PASSWORD, phone=PHONE,
                     plan="pro", workspace="acme").create_account.account_id
    r.call("login", 3, email=EMAIL, password=PASSWORD)
    outbox = r.call("read_outbox", 4).read_outbox
    r.call("verify_contact", 5, account_id=account, channel="email", code=last_code(outbox, EMAIL, "email"))
    r.call("verify_contact", 6, account_id=account, channel="sms", code=last_code(outbox, PHONE, "sms"))
    r.call("set_enforcement_policy", 7, enforce_from_unix=TEST_CLOCK_START, exempt_plans=["trial", "free"])
    challenge = r.call("login", 8, email=EMAIL, password=PASSWORD, client_info="conformance").login.challenge_id
    code = last_code(r.call("read_outbox", 9).read_outbox, EMAIL, "email")
    for request_id in (10, 11, 12):
        r.call("verify_mfa", request_id, challenge_id=challenge, code=wrong_code(code))
    r.call("advance_clock", 13, seconds=300)
    device = r.call("verify_mfa", 14, challenge_id=challenge, code=code, trust_device=True,
                    device_label="conformance").verify_mfa
    r.call("login", 15, email=EMAIL, password=PASSWORD, device_token=device.device_token)
    r.pipeline([("ping", 16, {"payload": b"one"}), ("ping", 17, {"payload": b"two"}),
                ("get_mfa_status", 18, {"session_token": device.session_token})])
    # Protocol version 2: a valid Request the clients cannot build (they speak version 1).
    envelope = pb.Request(id=19, protocol_version=2, ping=pb.PingRequest())
    body = envelope.SerializeToString()
    r.send([len(body).to_bytes(4, "big") + body], [text_of(envelope)])
    r.receive()
    r.reconnect()
    r.call("validate_session", 1, session_token=device.session_token)
    r.call("list_trusted_devices", 2, session_token=device.session_token)
    r.send_raw(bytes.fromhex("00000003ffffff"), "(not a Request: a truncated varint)")
    r.receive()
    r.expect_close()
    return r.text()


def frame_too_large(server: Mfad) -> str:
    r = Recorder(server, "clients-frame-too-large", [
        "Recorded by clients/python/tests/record_fixtures.py: a length prefix one byte over",
        "1 MiB is refused before any body is sent, and the connection is closed.",
    ])
    r.call("ping", 1, payload=b"")
    r.send_raw(((1 << 20) + 1).to_bytes(4, "big"), "(a length prefix of 1 MiB + 1, no body)")
    r.receive()
    r.expect_close()
    return r.text()


SCENARIOS = {
    "clients-signup-login.exchange": signup_login,
    "clients-frame-too-large.exchange": frame_too_large,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed fixtures")
    args = parser.parse_args()
    status = 0
    for name, scenario in SCENARIOS.items():
        with Mfad() as server:
            text = scenario(server)
        for directory in OUTPUT_DIRS:
            path = directory / name
            if args.check:
                if not path.exists() or path.read_text() != text:
                    print(f"differs: {path}", file=sys.stderr)
                    status = 1
            else:
                directory.mkdir(parents=True, exist_ok=True)
                path.write_text(text)
                print(f"wrote {path}")
    return status


if __name__ == "__main__":
    sys.exit(main())
