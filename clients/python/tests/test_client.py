"""The clients against a scripted peer on a socket pair: framing limits, timeouts, errors, and
the generated API. No mfad needed."""

from __future__ import annotations

import asyncio
import inspect
import socket
import time

import pytest

import mfa_client
from mfa_client import (
    AsyncClient,
    Client,
    ErrorCode,
    FrameTooLarge,
    MFAConnectionError,
    MFAProtocolError,
    MFAServerError,
    MFATimeout,
    code_of,
    pb,
)
from mfa_client.protocol import RPC_BY_NAME, FrameDecoder, encode_frame, encode_request


def frame(message) -> bytes:
    return encode_frame(message.SerializeToString())


def pong(request_id: int, payload: bytes = b"") -> bytes:
    return frame(pb.Response(id=request_id, ping=pb.PingResponse(payload=payload)))


def error_frame(request_id: int, code: int, message: str, attempts: int = 0, retry: int = 0) -> bytes:
    return frame(pb.Response(id=request_id, error=pb.Error(
        code=code, message=message, attempts_remaining=attempts, retry_after_seconds=retry)))


def read_frames(peer: socket.socket, count: int) -> list:
    decoder = FrameDecoder()
    out = []
    peer.settimeout(5)
    while len(out) < count:
        body = decoder.next_frame()
        if body is None:
            decoder.feed(peer.recv(65536))
            continue
        out.append(pb.Request.FromString(body))
    return out


@pytest.fixture
def pair():
    mine, peer = socket.socketpair()
    yield mine, peer
    mine.close()
    peer.close()


# ---- the generated API ---------------------------------------------------------------------


def test_one_method_per_rpc_of_the_proto():
    oneof = [f.name for f in pb.Request.DESCRIPTOR.oneofs_by_name["call"].fields]
    assert list(RPC_BY_NAME) == oneof
    for name in oneof:
        request_fields = [f.name for f in RPC_BY_NAME[name].request_type.DESCRIPTOR.fields]
        for cls, is_async in ((Client, False), (AsyncClient, True)):
            method = getattr(cls, name)
            assert inspect.iscoroutinefunction(method) == is_async
            params = inspect.signature(method).parameters
            assert list(params)[1:] == request_fields + ["timeout", "request_id"]
            assert all(p.kind is p.KEYWORD_ONLY for p in list(params.values())[1:])
            assert method.__doc__


def test_type_stubs_ship_with_the_package():
    from pathlib import Path

    package = Path(mfa_client.__file__).parent
    assert (package / "py.typed").exists()
    assert (package / "_generated" / "mfa_pb2.pyi").exists()


def test_error_codes_follow_the_proto():
    values = {v.name: v.number for v in pb.ErrorCode.DESCRIPTOR.values}
    assert {c.name: int(c) for c in ErrorCode} == values
    assert code_of("LOCKED") is ErrorCode.ERROR_CODE_LOCKED
    assert code_of(10) is ErrorCode.ERROR_CODE_INVALID_CODE
    unknown = ErrorCode(99)  # a newer server's code
    assert int(unknown) == 99 and unknown.name == "UNRECOGNIZED_99"
    error = MFAServerError(12, "locked", 0, 300, 7)
    assert (error.code, error.code_name, error.retry_after_seconds, error.request_id) == (
        ErrorCode.ERROR_CODE_LOCKED, "LOCKED", 300, 7)
    assert str(error) == "ERROR_CODE_LOCKED (12): locked"


def test_unknown_rpcs_and_fields_are_refused_before_sending():
    with pytest.raises(ValueError, match="unknown RPC"):
        encode_request("fly", 1)
    with pytest.raises(TypeError, match="email, password"):
        encode_request("login", 1, {"emial": "a@example.com"})
    with pytest.raises(TypeError):
        encode_request("login", 1, {"email": 42})


def test_envelope_and_framing():
    _, data = encode_request("ping", 1, {"payload": b"abc"})
    assert data == bytes.fromhex("0000000b0801100152050a03616263")  # Tests/Conformance/README.md
    _, empty = encode_request("read_outbox", 2**64 - 1)
    request = pb.Request.FromString(empty[4:])
    assert (request.id, request.protocol_version, request.WhichOneof("call")) == (2**64 - 1, 1, "read_outbox")


def test_frame_decoder_limits():
    decoder = FrameDecoder()
    decoder.feed((1 << 20).to_bytes(4, "big"))  # exactly the maximum is allowed
    assert decoder.next_frame() is None
    with pytest.raises(FrameTooLarge):
        FrameDecoder().feed(((1 << 20) + 1).to_bytes(4, "big"))
    with pytest.raises(FrameTooLarge):
        FrameDecoder(max_frame_length=10).feed(b"\x00\x00\x00\x0b")
    small = FrameDecoder()
    for byte in pong(3, b"xy"):
        small.feed(bytes([byte]))
    assert pb.Response.FromString(small.next_frame()).ping.payload == b"xy"


# ---- the blocking client -------------------------------------------------------------------


def test_blocking_call_and_server_error(pair):
    mine, peer = pair
    client = Client.from_socket(mine, timeout=5)
    peer.sendall(pong(1, b"hi") + error_frame(2, 10, "This code is invalid, please try again.", 2))
    assert client.ping(payload=b"hi").payload == b"hi"
    with pytest.raises(MFAServerError) as raised:
        client.verify_mfa(challenge_id="c", code="WRONG1")
    error = raised.value
    assert (error.code, error.message, error.attempts_remaining, error.retry_after_seconds) == (
        ErrorCode.ERROR_CODE_INVALID_CODE, "This code is invalid, please try again.", 2, 0)
    sent = read_frames(peer, 2)
    assert [r.id for r in sent] == [1, 2]
    assert sent[1].verify_mfa.code == "WRONG1" and sent[1].protocol_version == 1
    assert not client.closed


def test_blocking_timeout_keeps_the_connection_and_drops_the_late_answer(pair):
    mine, peer = pair
    client = Client.from_socket(mine, timeout=0.2)
    started = time.monotonic()
    with pytest.raises(MFATimeout):
        client.ping(payload=b"late")
    assert time.monotonic() - started < 2
    peer.sendall(pong(1, b"late")[:5])  # half of the late answer...
    with pytest.raises(MFATimeout):
        client.ping(payload=b"second")
    peer.sendall(pong(1, b"late")[5:] + pong(2, b"second") + pong(3, b"third"))  # ...the rest
    assert client.ping(payload=b"third").payload == b"third"


def test_blocking_refuses_to_send_a_frame_over_the_maximum(pair):
    mine, peer = pair
    client = Client.from_socket(mine, timeout=5)
    with pytest.raises(FrameTooLarge):
        client.ping(payload=b"x" * (1 << 20))
    peer.sendall(pong(2, b"ok"))
    assert client.ping(payload=b"ok").payload == b"ok"  # nothing was sent; still usable


def test_blocking_oversized_answer_closes_without_waiting_for_the_body(pair):
    mine, peer = pair
    client = Client.from_socket(mine, timeout=5)
    peer.sendall(b"\xff\xff\xff\xff")
    started = time.monotonic()
    with pytest.raises(FrameTooLarge):
        client.ping()
    assert time.monotonic() - started < 1
    assert client.closed
    with pytest.raises(MFAConnectionError):
        client.ping()


def test_blocking_connection_level_error_and_close(pair):
    mine, peer = pair
    client = Client.from_socket(mine, timeout=5)
    peer.sendall(error_frame(0, 6, "malformed frame"))
    with pytest.raises(MFAServerError) as raised:
        client.ping()
    assert raised.value.code == ErrorCode.ERROR_CODE_MALFORMED_FRAME and raised.value.request_id == 0
    assert client.closed


def test_blocking_garbage_and_wrong_results_are_protocol_errors(pair):
    mine, peer = pair
    client = Client.from_socket(mine, timeout=5)
    peer.sendall(frame(pb.Response(id=1, login=pb.LoginResponse())))
    with pytest.raises(MFAProtocolError, match="answered Ping with the result of login"):
        client.ping()
    mine2, peer2 = socket.socketpair()
    with mine2, peer2:
        other = Client.from_socket(mine2, timeout=5)
        peer2.sendall(encode_frame(b"\xff\xff\xff"))
        with pytest.raises(MFAProtocolError):
            other.ping()
        assert other.closed


def test_blocking_server_hangs_up(pair):
    mine, peer = pair
    client = Client.from_socket(mine, timeout=5)
    peer.close()
    with pytest.raises(MFAConnectionError):
        client.ping()


def test_connect_failure_is_a_connection_error():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound, not listening: refused
        with pytest.raises(MFAConnectionError):
            Client("127.0.0.1", port, connect_timeout=1)

        async def connect():
            await AsyncClient.connect("127.0.0.1", port, connect_timeout=1)

        with pytest.raises(MFAConnectionError):
            asyncio.run(connect())


# ---- the asyncio client --------------------------------------------------------------------


async def async_pair():
    mine, peer = socket.socketpair()
    peer.setblocking(False)
    reader, writer = await asyncio.open_connection(sock=mine)
    return AsyncClient(reader, writer, timeout=5), peer


def test_async_answers_in_any_order_are_matched_by_id():
    async def main():
        client, peer = await async_pair()
        loop = asyncio.get_running_loop()
        calls = [asyncio.ensure_future(client.ping(payload=b"%d" % i)) for i in range(1, 6)]
        await asyncio.sleep(0)
        assert client.in_flight == 5
        # Answer in reverse order, one error among them.
        for i in range(5, 0, -1):
            data = error_frame(i, 13, "slow down", retry=60) if i == 3 else pong(i, b"%d" % i)
            await loop.sock_sendall(peer, data)
        results = await asyncio.gather(*calls, return_exceptions=True)
        assert [r.payload for i, r in enumerate(results) if i != 2] == [b"1", b"2", b"4", b"5"]
        assert isinstance(results[2], MFAServerError) and results[2].retry_after_seconds == 60
        assert results[2].code == ErrorCode.ERROR_CODE_RATE_LIMITED
        await client.close()
        peer.close()

    asyncio.run(main())


def test_async_timeout_and_late_answer():
    async def main():
        client, peer = await async_pair()
        loop = asyncio.get_running_loop()
        with pytest.raises(MFATimeout):
            await client.ping(timeout=0.1)
        assert client.in_flight == 0
        await loop.sock_sendall(peer, pong(1) + pong(2, b"next"))  # 1 is late: dropped
        assert (await client.ping(payload=b"next")).payload == b"next"
        with pytest.raises(ValueError):
            first = asyncio.ensure_future(client.ping(request_id=50))
            await asyncio.sleep(0)
            await client.ping(request_id=50)
        first.cancel()
        await client.close()
        peer.close()

    asyncio.run(main())


def test_async_connection_level_error_fails_every_call_in_flight():
    async def main():
        client, peer = await async_pair()
        loop = asyncio.get_running_loop()
        calls = [asyncio.ensure_future(client.ping()) for _ in range(3)]
        await asyncio.sleep(0)
        await loop.sock_sendall(peer, error_frame(0, 5, "frame too large"))
        peer.close()
        results = await asyncio.gather(*calls, return_exceptions=True)
        assert all(isinstance(r, MFAServerError) and r.code == ErrorCode.ERROR_CODE_FRAME_TOO_LARGE for r in results)
        with pytest.raises(MFAConnectionError):
            await client.ping()
        await client.close()

    asyncio.run(main())


def test_async_oversized_answer_and_hang_up():
    async def main():
        client, peer = await async_pair()
        loop = asyncio.get_running_loop()
        call = asyncio.ensure_future(client.ping())
        await asyncio.sleep(0)
        await loop.sock_sendall(peer, ((1 << 20) + 1).to_bytes(4, "big"))
        with pytest.raises(FrameTooLarge):
            await call
        assert client.closed
        await client.close()
        peer.close()

        client, peer = await async_pair()
        call = asyncio.ensure_future(client.ping())
        await asyncio.sleep(0)
        peer.close()
        with pytest.raises(MFAConnectionError):
            await call
        await client.close()

    asyncio.run(main())
