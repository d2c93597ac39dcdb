"""The wire protocol without I/O: frames, request envelopes, responses.

A frame is a 4-byte unsigned big-endian length N, then N bytes of protobuf; N is at most
`MAX_FRAME_LENGTH` (1 MiB, the server's default) and is checked before any byte of the body is
read. Clients send `Request{id, protocol_version=1, <call>}`; the server answers
`Response{id, <result> | error}`. `Client` and `AsyncClient` encode and decode through these
functions only, so the conformance tests check exactly what goes on the wire.
"""

from __future__ import annotations

import struct
from typing import Any, Dict, Optional, Tuple, Type, Union

from google.protobuf.message import DecodeError, Message

from ._generated import mfa_pb2
from ._generated.rpcs import RPCS
from .errors import FrameTooLarge, MFAProtocolError, MFAServerError

#: The protocol version this client speaks (the envelope's `protocol_version`).
PROTOCOL_VERSION = 1
#: mfad's default port.
DEFAULT_PORT = 7370
#: The largest frame body, in bytes (the server's default maximum).
MAX_FRAME_LENGTH = 1 << 20
#: Bytes of the length prefix.
HEADER_LENGTH = 4

_HEADER = struct.Struct(">I")
_MAX_UINT64 = (1 << 64) - 1


class RPC:
    """One RPC: `name` ("login"), `rpc` ("Login"), its request and response message classes."""

    __slots__ = ("name", "rpc", "request_type", "response_type")

    def __init__(self, name: str, rpc: str, request_type: Type[Message], response_type: Type[Message]):
        self.name = name
        self.rpc = rpc
        self.request_type = request_type
        self.response_type = response_type

    def __repr__(self) -> str:
        return f"RPC({self.rpc})"


#: Every RPC by its field name in `Request.call` ("verify_mfa").
RPC_BY_NAME: Dict[str, RPC] = {name: RPC(name, rpc, req, res) for name, rpc, req, res in RPCS}
_BY_ANY_NAME: Dict[str, RPC] = {**RPC_BY_NAME, **{r.rpc: r for r in RPC_BY_NAME.values()}}
_BY_REQUEST_TYPE: Dict[Any, RPC] = {r.request_type: r for r in RPC_BY_NAME.values()}


def _check_rpc_table() -> None:
    """The generated table must agree with the generated descriptors (same .proto, same run)."""
    call = mfa_pb2.Request.DESCRIPTOR.oneofs_by_name["call"]
    result = mfa_pb2.Response.DESCRIPTOR.oneofs_by_name["result"]
    names = [f.name for f in call.fields]
    if names != list(RPC_BY_NAME) or not set(names) <= {f.name for f in result.fields}:
        raise ImportError("mfa_client: rpcs.py and mfa_pb2.py are out of step; run scripts/generate-proto")


_check_rpc_table()


def rpc_named(rpc: Union[str, RPC]) -> RPC:
    """The RPC called `rpc`: its field name ("verify_mfa") or its proto name ("VerifyMfa")."""
    if isinstance(rpc, RPC):
        return rpc
    try:
        return _BY_ANY_NAME[rpc]
    except KeyError:
        raise ValueError(f"unknown RPC {rpc!r}; known: {', '.join(RPC_BY_NAME)}") from None


def build_request(
    rpc: Union[str, RPC, Message], request_id: int, fields: Optional[Dict[str, Any]] = None
) -> Tuple[RPC, mfa_pb2.Request]:
    """The envelope of one call.

    Args:
        rpc: the RPC's name ("login" or "Login"), or a ready request message
            (`mfa_pb2.LoginRequest(...)`, then `fields` must be empty).
        request_id: the envelope's id (0 to 2**64-1).
        fields: the request's fields; None values are left unset.
    Raises:
        ValueError: unknown RPC, or an id out of range.
        TypeError: a field the request does not have, or a value of the wrong type.
    """
    fields = {k: v for k, v in (fields or {}).items() if v is not None}
    if isinstance(rpc, Message):
        info = _BY_REQUEST_TYPE.get(type(rpc))
        if info is None:
            raise TypeError(f"{type(rpc).__name__} is not the request of any RPC")
        if fields:
            raise TypeError("pass either a request message or keyword fields, not both")
        message = rpc
    else:
        info = rpc_named(rpc)
        try:
            message = info.request_type(**fields)
        except (TypeError, ValueError) as error:
            raise TypeError(f"{info.rpc}: {error} (fields: {', '.join(_field_names(info))})") from None
    if not 0 <= request_id <= _MAX_UINT64:
        raise ValueError(f"request id {request_id} is not a uint64")
    envelope = mfa_pb2.Request(id=request_id, protocol_version=PROTOCOL_VERSION)
    getattr(envelope, info.name).CopyFrom(message)
    return info, envelope


def _field_names(info: RPC) -> list:
    return [f.name for f in info.request_type.DESCRIPTOR.fields]


def encode_frame(body: bytes, max_frame_length: int = MAX_FRAME_LENGTH) -> bytes:
    """`body` with its 4-byte big-endian length in front; refuses bodies over the maximum."""
    if len(body) > max_frame_length:
        raise FrameTooLarge(len(body), max_frame_length)
    return _HEADER.pack(len(body)) + body


def encode_request(
    rpc: Union[str, RPC, Message],
    request_id: int,
    fields: Optional[Dict[str, Any]] = None,
    max_frame_length: int = MAX_FRAME_LENGTH,
) -> Tuple[RPC, bytes]:
    """The whole frame of one call, as the clients send it: (the RPC, the frame's bytes)."""
    info, envelope = build_request(rpc, request_id, fields)
    return info, encode_frame(envelope.SerializeToString(), max_frame_length)


def frame_length(header: bytes, max_frame_length: int = MAX_FRAME_LENGTH) -> int:
    """The body length announced by a 4-byte header; raises FrameTooLarge over the maximum."""
    (length,) = _HEADER.unpack(header)
    if length > max_frame_length:
        raise FrameTooLarge(length, max_frame_length)
    return length


class FrameDecoder:
    """Splits a byte stream into frame bodies; for readers that get bytes in arbitrary chunks.

    The length is checked as soon as its 4 bytes are in, so an oversized prefix fails before
    the body is waited for or buffered.
    """

    def __init__(self, max_frame_length: int = MAX_FRAME_LENGTH) -> None:
        self.max_frame_length = max_frame_length
        self._buffer = bytearray()

    def feed(self, data: bytes) -> None:
        self._buffer += data
        if len(self._buffer) >= HEADER_LENGTH:
            frame_length(bytes(self._buffer[:HEADER_LENGTH]), self.max_frame_length)

    def next_frame(self) -> Optional[bytes]:
        """The next whole body, or None until more bytes come."""
        if len(self._buffer) < HEADER_LENGTH:
            return None
        length = frame_length(bytes(self._buffer[:HEADER_LENGTH]), self.max_frame_length)
        end = HEADER_LENGTH + length
        if len(self._buffer) < end:
            return None
        body = bytes(self._buffer[HEADER_LENGTH:end])
        del self._buffer[:end]
        return body

    @property
    def buffered(self) -> int:
        """Bytes received but not yet returned as a frame."""
        return len(self._buffer)


def decode_response(body: bytes) -> mfa_pb2.Response:
    """A `Response` from a frame body; MFAProtocolError when the bytes are not one."""
    response = mfa_pb2.Response()
    try:
        response.ParseFromString(body)
    except DecodeError as error:
        raise MFAProtocolError(f"the server sent a frame that is not a Response: {error}") from None
    return response


def result_of(response: mfa_pb2.Response, rpc: Union[str, RPC]) -> Message:
    """The call's result in `response`; raises MFAServerError for an `Error` and
    MFAProtocolError for a missing or different result."""
    info = rpc_named(rpc)
    which = response.WhichOneof("result")
    if which == "error":
        raise MFAServerError.from_proto(response.error, response.id)
    if which is None:
        raise MFAProtocolError(f"response {response.id} to {info.rpc} has no result")
    if which != info.name:
        raise MFAProtocolError(f"the server answered {info.rpc} with the result of {which}")
    return getattr(response, which)


def connection_error(response: mfa_pb2.Response) -> Optional[MFAServerError]:
    """The error of a response that answers no request (id 0: a framing error), if it is one."""
    if response.id == 0 and response.WhichOneof("result") == "error":
        return MFAServerError.from_proto(response.error, 0)
    return None
