"""Reader and writer of conformance exchange files (format: Tests/Conformance/README.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, List, Optional, Union

REPO = Path(__file__).resolve().parents[3]
#: The shared exchanges, recorded by the conformance suite (may not exist yet).
SHARED_DIR = REPO / "Tests" / "Conformance" / "exchanges"
#: This suite's own recordings (tests/record_fixtures.py).
FIXTURE_DIR = Path(__file__).resolve().parent / "fixtures"

_HEX_LINE = re.compile(r"[0-9a-f]{2}( [0-9a-f]{2}){0,31}")


class ExchangeFormatError(ValueError):
    pass


@dataclass
class Frame:
    direction: str  # ">" client to server, "<" server to client
    data: bytes  # the whole frame, length prefix included
    line: int  # where it starts in the file (1-based)
    comment: List[str] = field(default_factory=list)  # the decoded text under it, unindented

    @property
    def from_client(self) -> bool:
        return self.direction == ">"

    @property
    def body(self) -> bytes:
        return self.data[4:]

    @property
    def declared_length(self) -> Optional[int]:
        return int.from_bytes(self.data[:4], "big") if len(self.data) >= 4 else None

    @property
    def well_formed(self) -> bool:
        """True when the length prefix matches the bytes that follow it."""
        return self.declared_length == len(self.data) - 4


@dataclass
class Directive:
    # "closed": the server closes the connection; "reconnect": a new connection to the same
    # server; "restart": the server restarts (e.g. "--seed 2"), then a new connection;
    # "refused-start": the server is stopped and refuses to start with these flags (nothing on
    # the wire: the next directive starts it again).
    name: str
    line: int
    argument: str = ""


Item = Union[Frame, Directive]


@dataclass
class Exchange:
    path: Path
    description: List[str]
    items: List[Item]

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def frames(self) -> List[Frame]:
        return [item for item in self.items if isinstance(item, Frame)]


def parse(text: str, path: Path = Path("<text>")) -> Exchange:
    """Parses one exchange file; raises ExchangeFormatError with the line number on any
    deviation from the format."""
    items: List[Item] = []
    description: List[str] = []
    current: Optional[Frame] = None

    def bad(number: int, why: str) -> ExchangeFormatError:
        return ExchangeFormatError(f"{path}:{number}: {why}")

    def hex_bytes(number: int, payload: str) -> bytes:
        if not _HEX_LINE.fullmatch(payload):
            raise bad(number, "expected at most 32 lower-case hex bytes separated by single spaces")
        return bytes.fromhex(payload)

    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip("\r")
        if line.startswith("#"):
            comment = line[1:]
            if current is not None:
                current.comment.append(comment)
            elif not items:
                description.append(comment.strip())
            continue
        if line.strip() == "":
            current = None
            continue
        if line.startswith("  ") and not line.startswith("   "):
            if current is None or current.comment:
                raise bad(number, "continuation line outside a frame")
            current.data += hex_bytes(number, line[2:])
            continue
        if line[:2] in ("> ", "< "):
            current = Frame(line[0], hex_bytes(number, line[2:]), number)
            items.append(current)
            continue
        if line.startswith("! "):
            name, _, argument = line[2:].strip().partition(" ")
            if name not in ("closed", "reconnect", "restart", "refused-start") or (
                    argument and name not in ("restart", "refused-start")):
                raise bad(number, f"unknown directive {line[2:].strip()!r}")
            items.append(Directive(name, number, argument))
            current = None
            continue
        raise bad(number, f"unexpected line {line!r}")
    for item in items:
        if isinstance(item, Frame):
            item.comment = _dedent(item.comment)
    return Exchange(path, description, items)


def _dedent(lines: List[str]) -> List[str]:
    lines = [l for l in lines]
    while lines and not lines[-1].strip():
        lines.pop()
    indents = [len(l) - len(l.lstrip(" ")) for l in lines if l.strip()]
    cut = min(indents) if indents else 0
    return [l[cut:] for l in lines]


def load(path: Path) -> Exchange:
    return parse(path.read_text(encoding="utf-8"), path)


def exchange_files() -> List[Path]:
    """Every *.exchange of the shared directory (when it exists) and of the fixtures."""
    files: List[Path] = []
    for directory in (SHARED_DIR, FIXTURE_DIR):
        if directory.is_dir():
            files += sorted(directory.glob("*.exchange"))
    return files


def format_frame(direction: str, data: bytes, comment: Iterable[str] = ()) -> str:
    """One frame in the file format: the hex lines, then its decoded text as comments."""
    chunks = [data[i:i + 32] for i in range(0, len(data), 32)] or [b""]
    lines = [f"{direction} {chunks[0].hex(' ')}".rstrip()]
    lines += [f"  {chunk.hex(' ')}" for chunk in chunks[1:]]
    lines += [f"#   {line}".rstrip() for line in comment]
    return "\n".join(lines) + "\n"
