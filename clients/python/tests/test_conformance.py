"""Client-side conformance: the recorded exchanges, replayed through the Python client.

Every `*.exchange` of Tests/Conformance/exchanges/ (when that directory exists) and of
tests/fixtures/ is checked three ways:

- each client frame that decodes as a version-1 `Request` of a known RPC is built again through
  the client's encoder from its decoded fields, and must give the same bytes;
- each server frame goes through the client's frame reader and decoder, and must equal the
  protobuf library's own parse of the bytes, re-encode to the same bytes, equal the decoded text
  under it in the file, and turn into the same result or `MFAServerError`;
- the whole exchange is replayed through an `AsyncClient` talking to a scripted peer that
  checks every byte the client sends and answers with the recorded server frames.
"""

from __future__ import annotations

import asyncio
import socket
import warnings
from typing import Any, Dict, List, Optional, Tuple

import pytest
from google.protobuf import text_format
from google.protobuf.message import DecodeError

from exchange import Directive, Exchange, ExchangeFormatError, FIXTURE_DIR, Frame, SHARED_DIR, exchange_files, load, parse
from mfa_client import AsyncClient, MFAConnectionError, MFAServerError, pb
from mfa_client.errors import FrameTooLarge
from mfa_client.protocol import MAX_FRAME_LENGTH, PROTOCOL_VERSION, RPC_BY_NAME, FrameDecoder, decode_response, encode_request, result_of

FILES = exchange_files()


def buildable(frame: Frame) -> Tuple[Optional[pb.Request], str]:
    """The frame's Request when the client API can build it, else None and why not."""
    if not frame.well_formed:
        return None, "the length prefix does not match the bytes"
    request = pb.Request()
    try:
        request.ParseFromString(frame.body)
    except DecodeError:
        return None, "not a Request"
    if request.protocol_version != PROTOCOL_VERSION:
        return None, f"protocol_version {request.protocol_version}"
    call = request.WhichOneof("call")
    if call is None or call not in RPC_BY_NAME:
        return None, "no call this client knows"
    if request.SerializeToString() != frame.body:
        # Out-of-order fields, explicit defaults...: bytes no protobuf encoder produces.
        return None, "not in canonical encoding"
    known = pb.Request(id=request.id, protocol_version=request.protocol_version)
    getattr(known, call).CopyFrom(type(getattr(request, call))(**fields_of(getattr(request, call))))
    if known.SerializeToString() != frame.body:
        return None, "unknown fields"
    return request, ""


def fields_of(message) -> Dict[str, Any]:
    """The set fields of a message, as keyword arguments for the client."""
    out: Dict[str, Any] = {}
    for descriptor, value in message.ListFields():
        out[descriptor.name] = list(value) if descriptor.label == descriptor.LABEL_REPEATED else value
    return out


def client_encoding(request: pb.Request) -> bytes:
    call = request.WhichOneof("call")
    _, frame = encode_request(call, request.id, fields_of(getattr(request, call)))
    return frame


def test_parser_reads_the_readme_example():
    example = parse(
        "# Conformance exchange: ping\n# Ping answers the same payload.\n\n"
        "> 00 00 00 0b 08 01 10 01 52 05 0a 03 61 62 63\n#   id: 1\n#   protocol_version: 1\n"
        "#   ping {\n#     payload: \"abc\"\n#   }\n\n"
        "< 00 00 00 09 08 01 52 05 0a 03 61 62 63\n#   id: 1\n\n! reconnect\n! closed\n! restart --seed 2\n"
    )
    assert example.description == ["Conformance exchange: ping", "Ping answers the same payload."]
    first, second = example.frames
    assert first.from_client and first.data == bytes.fromhex("0000000b0801100152050a03616263")
    assert first.comment == ["id: 1", "protocol_version: 1", "ping {", '  payload: "abc"', "}"]
    assert not second.from_client and second.well_formed
    directives = [(d.name, d.argument) for d in example.items if isinstance(d, Directive)]
    assert directives == [("reconnect", ""), ("closed", ""), ("restart", "--seed 2")]


def test_parser_joins_continuation_lines():
    data = bytes(range(40))
    text = "> " + data[:32].hex(" ") + "\n  " + data[32:].hex(" ") + "\n"
    assert parse(text).frames[0].data == data


@pytest.mark.parametrize("bad", [
    "> 00 00 00 0B\n",  # upper case
    "> 00  00\n",  # two spaces
    "> " + " ".join(["00"] * 33) + "\n",  # 33 bytes on a line
    "  00 01\n",  # continuation without a frame
    "! exploded\n",
    "! closed now\n",
    "? 00\n",
])
def test_parser_rejects_malformed_files(bad):
    with pytest.raises(ExchangeFormatError):
        parse(bad)


def test_there_are_frames_to_replay():
    """Fails when neither the shared directory nor the fixtures give anything to check."""
    assert FILES, f"no *.exchange in {SHARED_DIR} or {FIXTURE_DIR}"
    exchanges = [load(path) for path in FILES]
    assert sum(len(e.frames) for e in exchanges) > 0, "the exchange files hold no frame"
    built = sum(1 for e in exchanges for f in e.frames if f.from_client and buildable(f)[0] is not None)
    assert built > 0, "no client frame could be built through the client API"


def test_the_shared_directory_is_included_when_present():
    if not SHARED_DIR.is_dir():
        pytest.skip(f"{SHARED_DIR} does not exist yet; the fixtures stand in")
    assert any(path.parent == SHARED_DIR for path in FILES) or not list(SHARED_DIR.glob("*.exchange"))


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.name}" for p in FILES])
def test_client_frames_are_encoded_byte_for_byte(path):
    exchange = load(path)
    for frame in exchange.frames:
        if not frame.from_client:
            continue
        request, why = buildable(frame)
        if request is None:
            continue
        assert client_encoding(request) == frame.data, f"{path}:{frame.line}: the client encodes this call differently"


def client_decode(data: bytes) -> pb.Response:
    """The client's reader: split into a frame (fed in small chunks), then decoded."""
    decoder = FrameDecoder()
    body = None
    for i in range(0, len(data), 7):
        decoder.feed(data[i:i + 7])
        body = body if body is not None else decoder.next_frame()
    body = body if body is not None else decoder.next_frame()
    assert body is not None and decoder.buffered == 0
    return decode_response(body)


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.name}" for p in FILES])
def test_server_frames_decode_to_the_recorded_values(path):
    exchange = load(path)
    for frame in exchange.frames:
        if frame.from_client:
            continue
        where = f"{path}:{frame.line}"
        assert frame.well_formed, f"{where}: a server frame whose length prefix does not match"
        assert frame.declared_length <= MAX_FRAME_LENGTH
        decoded = client_decode(frame.data)
        independent = pb.Response.FromString(frame.body)
        assert decoded == independent, where
        assert decoded.SerializeToString() == frame.body, f"{where}: does not re-encode to the same bytes"
        if frame.comment:
            try:
                from_text = text_format.Parse("\n".join(frame.comment), pb.Response())
            except text_format.ParseError as error:
                warnings.warn(f"{where}: the decoded text is not protobuf text format ({error})")
            else:
                assert decoded == from_text, f"{where}: the bytes and the decoded text disagree"
        which = decoded.WhichOneof("result")
        if which == "error":
            with pytest.raises(MFAServerError) as raised:
                result_of(decoded, next(iter(RPC_BY_NAME)))
            error = raised.value
            assert (int(error.code), error.message, error.attempts_remaining, error.retry_after_seconds,
                    error.request_id) == (independent.error.code, independent.error.message,
                                          independent.error.attempts_remaining,
                                          independent.error.retry_after_seconds, independent.id), where
        elif which is not None:
            assert result_of(decoded, which) == getattr(independent, which), where


def test_oversized_prefixes_fail_before_the_body():
    decoder = FrameDecoder()
    with pytest.raises(FrameTooLarge):
        decoder.feed(((1 << 20) + 1).to_bytes(4, "big"))


# ---- full replay through AsyncClient ---------------------------------------------------------


class Connection:
    """An AsyncClient on one end of a socket pair; the test plays the server on the other."""

    def __init__(self, client: AsyncClient, peer: socket.socket) -> None:
        self.client = client
        self.peer = peer
        self.waiting: Dict[int, "asyncio.Task[Any]"] = {}

    @classmethod
    async def open(cls) -> "Connection":
        mine, peer = socket.socketpair()
        peer.setblocking(False)
        reader, writer = await asyncio.open_connection(sock=mine)
        return cls(AsyncClient(reader, writer, timeout=10), peer)

    async def read_exactly(self, n: int) -> bytes:
        loop = asyncio.get_running_loop()
        data = b""
        while len(data) < n:
            chunk = await asyncio.wait_for(loop.sock_recv(self.peer, n - len(data)), 10)
            assert chunk, "the client closed the connection"
            data += chunk
        return data

    async def close(self) -> None:
        await self.client.close()
        self.peer.close()


async def replay(exchange: Exchange) -> int:
    """Plays the exchange; returns how many calls went through the client API."""
    loop = asyncio.get_running_loop()
    conn = await Connection.open()
    calls = 0
    items = exchange.items
    i = 0
    try:
        while i < len(items):
            item = items[i]
            if isinstance(item, Directive):
                if item.name in ("reconnect", "restart"):  # for the client, both are a new connection
                    await conn.close()
                    conn = await Connection.open()
                elif item.name == "refused-start":  # the server side only: nothing crosses the wire
                    pass
                else:  # closed: the server hangs up; every call still waiting fails
                    conn.peer.close()
                    for task in conn.waiting.values():
                        with pytest.raises((MFAConnectionError, MFAServerError)):
                            await asyncio.wait_for(task, 10)
                    conn.waiting.clear()
                i += 1
                continue
            # A run of client frames: sent through the client (or raw, when it cannot build them).
            sent = b""
            while i < len(items) and isinstance(items[i], Frame) and items[i].from_client:
                frame = items[i]
                request, _ = buildable(frame)
                if request is None:
                    conn.client._writer.write(frame.data)  # deliberately invalid: outside the API
                else:
                    call = request.WhichOneof("call")
                    conn.waiting[request.id] = asyncio.ensure_future(
                        conn.client.call(call, request_id=request.id, **fields_of(getattr(request, call))))
                    calls += 1
                    await asyncio.sleep(0)  # lets the call write its frame, in file order
                sent += frame.data
                i += 1
            if sent:
                received = await conn.read_exactly(len(sent))
                assert received == sent, f"{exchange.path}: the client sent other bytes than recorded"
            # A run of server frames: sent as recorded; each answers its call by id.
            answers: List[pb.Response] = []
            while i < len(items) and isinstance(items[i], Frame) and not items[i].from_client:
                await loop.sock_sendall(conn.peer, items[i].data)
                answers.append(pb.Response.FromString(items[i].body))
                i += 1
            for answer in answers:
                task = conn.waiting.pop(answer.id, None)
                if task is None and answer.id == 0 and answer.WhichOneof("result") == "error":
                    # A connection-level error fails every call in flight with it.
                    for other in conn.waiting.values():
                        with pytest.raises(MFAServerError) as raised:
                            await asyncio.wait_for(other, 10)
                        assert int(raised.value.code) == answer.error.code
                    conn.waiting.clear()
                    continue
                if task is None:
                    continue  # the answer to a frame sent raw: the client drops it
                which = answer.WhichOneof("result")
                if which == "error":
                    with pytest.raises(MFAServerError) as raised:
                        await asyncio.wait_for(task, 10)
                    error = raised.value
                    assert (int(error.code), error.message, error.attempts_remaining,
                            error.retry_after_seconds) == (answer.error.code, answer.error.message,
                                                           answer.error.attempts_remaining,
                                                           answer.error.retry_after_seconds)
                else:
                    assert await asyncio.wait_for(task, 10) == getattr(answer, which)
        assert not conn.waiting, f"{exchange.path}: calls never answered: {sorted(conn.waiting)}"
    finally:
        for task in conn.waiting.values():
            task.cancel()
        await conn.close()
    return calls


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.name}" for p in FILES])
def test_replay_through_the_async_client(path):
    exchange = load(path)
    asyncio.run(replay(exchange))
