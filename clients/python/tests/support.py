"""Test support: a real mfad in test mode on a free port, and the outbox helpers."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import List, Optional

REPO = Path(__file__).resolve().parents[3]
#: The mfad executable: $MFAD_BIN, else the debug build of this checkout.
MFAD_BIN = Path(os.environ.get("MFAD_BIN", REPO / ".build" / "debug" / "mfad"))
#: 2026-01-01T00:00:00Z, where the test-mode clock starts.
TEST_CLOCK_START = 1767225600


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


#: The calling service and API key registered in every test database.
SERVICE = "pytest"
API_KEY = "mfak_python-client-test-key-not-a-secret"


class Mfad:
    """`mfad --test-mode --seed 1` on a fresh database in a temporary directory, with the test
    API key registered (`credentials` gives the keyword arguments for a client)."""

    credentials = {"service": SERVICE, "api_key": API_KEY}

    def __init__(self, seed: int = 1, extra_args: Optional[List[str]] = None) -> None:
        if not MFAD_BIN.exists():
            raise RuntimeError(
                f"mfad not found at {MFAD_BIN}: build it with `swift build --product mfad` "
                "or point MFAD_BIN at it"
            )
        self.directory = Path(tempfile.mkdtemp(prefix="mfad-pytest-"))
        self.host = "127.0.0.1"
        self.port = free_port()
        self.log_path = self.directory / "mfad.log"
        subprocess.run(
            [str(MFAD_BIN), "keys", "create", SERVICE, "--key", API_KEY, "--test-mode", "--seed", str(seed),
             "--db", str(self.directory / "mfa.sqlite")],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        args = [
            str(MFAD_BIN), "--test-mode", "--seed", str(seed),
            "--db", str(self.directory / "mfa.sqlite"),
            "--host", self.host, "--port", str(self.port),
        ] + (extra_args or [])
        self._log = open(self.log_path, "wb")
        self.process = subprocess.Popen(args, stdout=self._log, stderr=subprocess.STDOUT)
        self._wait_until_listening()

    def _wait_until_listening(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"mfad exited with {self.process.returncode}:\n{self.log()}")
            try:
                socket.create_connection((self.host, self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"mfad did not listen within {timeout} s:\n{self.log()}")

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
        shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self) -> "Mfad":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def last_code(outbox, to: str, channel: str) -> str:
    """The code of the newest message to `to` on `channel` in a ReadOutboxResponse."""
    for message in reversed(outbox.messages):
        if message.to == to and message.channel == channel and message.code:
            return message.code
    raise AssertionError(f"no {channel} code for {to} in the outbox")


def wrong_code(code: str) -> str:
    """A code of the right shape that is not `code` (same alphabet, first symbol changed)."""
    return ("B" if code[0] != "B" else "C") + code[1:]
