"""The blocking client: one call at a time on one TCP connection."""

from __future__ import annotations

import itertools
import socket
import threading
import time
from typing import Any, Optional, Union

from google.protobuf.message import Message

from . import protocol
from ._generated.rpcs import SyncRPCs
from .errors import MFAConnectionError, MFAError, MFAProtocolError, MFATimeout


class Client(SyncRPCs):
    """A blocking connection to mfad.

    ```python
    with Client("127.0.0.1", 7370) as mfa:
        answer = mfa.login(email="ada@example.com", password="correct horse")
    ```

    Every RPC is a method taking the request's fields as keyword arguments (`mfa.verify_mfa(
    challenge_id=..., code=...)`) and returning the response message; `call("verify_mfa", ...)`
    is the same by name. A server error raises `MFAServerError` (code, message,
    attempts_remaining, retry_after_seconds) and leaves the connection usable. Calls from
    several threads are serialised; use `AsyncClient` to have many in flight.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = protocol.DEFAULT_PORT,
        *,
        timeout: float = 30.0,
        connect_timeout: float = 5.0,
        max_frame_length: int = protocol.MAX_FRAME_LENGTH,
        sock: Optional[socket.socket] = None,
        service: Optional[str] = None,
        api_key: Optional[str] = None,
    ) -> None:
        """Connects to `host:port` (or wraps `sock`, an already connected stream socket) and,
        given `service` and `api_key`, authenticates the connection (SPEC 4).

        Args:
            timeout: default seconds a call waits for its answer.
            connect_timeout: seconds the connection may take to open.
            max_frame_length: the largest frame sent or accepted (the server's default, 1 MiB).
            service: the calling service's name (`mfad keys create SERVICE`).
            api_key: its API key; omit both for a server running with `--dev`.
        Raises:
            MFAConnectionError: the connection could not be opened.
            MFAServerError: the credentials were refused (UNAUTHENTICATED, RATE_LIMITED).
        """
        self.timeout = timeout
        self.max_frame_length = max_frame_length
        self._decoder = protocol.FrameDecoder(max_frame_length)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._closed: Optional[MFAError] = None
        if sock is None:
            try:
                sock = socket.create_connection((host, port), timeout=connect_timeout)
            except OSError as error:
                raise MFAConnectionError(f"could not connect to {host}:{port}: {error}") from None
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._sock = sock
        if api_key is not None:
            try:
                self.call("authenticate", service=service or "", api_key=api_key)
            except BaseException:
                self.close()
                raise

    @classmethod
    def from_socket(cls, sock: socket.socket, **options: Any) -> "Client":
        """A client over an already connected stream socket (e.g. a Unix socket or a test pair)."""
        return cls(sock=sock, **options)

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Closes the connection; later calls raise MFAConnectionError."""
        self._shut(MFAConnectionError("the client was closed"))

    @property
    def closed(self) -> bool:
        return self._closed is not None

    def call(
        self,
        rpc: Union[str, Message],
        /,
        *,
        timeout: Optional[float] = None,
        request_id: Optional[int] = None,
        **fields: Any,
    ) -> Any:
        """Calls `rpc` ("login" or "Login", or a ready request message) with `fields`.

        Args:
            timeout: seconds to wait for the answer; the client's default when None.
            request_id: the envelope's id; the next of 1, 2, 3, ... when None.
        Returns:
            The response's result, e.g. an `mfa_pb2.LoginResponse`.
        Raises:
            MFAServerError, MFATimeout, MFAConnectionError, MFAProtocolError; TypeError or
            ValueError for fields the request does not have.
        """
        with self._lock:
            if self._closed is not None:
                raise MFAConnectionError(f"the connection is closed ({self._closed})")
            rid = next(self._ids) if request_id is None else request_id
            info, frame = protocol.encode_request(rpc, rid, fields, self.max_frame_length)
            deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
            self._send(frame, deadline, info.rpc)
            while True:
                response = self._receive(deadline, info.rpc)
                if response.id == rid:
                    return protocol.result_of(response, info)
                error = protocol.connection_error(response)
                if error is not None:
                    # A framing error answers no request; the server closes the connection.
                    self._shut(MFAConnectionError(f"the server closed the connection: {error}"))
                    raise error
                # Otherwise the late answer of a call that timed out: dropped.

    def _call_rpc(self, rpc: str, timeout: Optional[float], request_id: Optional[int], **fields: Any) -> Any:
        return self.call(rpc, timeout=timeout, request_id=request_id, **fields)

    def _send(self, frame: bytes, deadline: float, rpc: str) -> None:
        try:
            self._sock.settimeout(max(deadline - time.monotonic(), 0.001))
            self._sock.sendall(frame)
        except socket.timeout:
            # Part of the frame may be out: the stream can no longer be framed.
            self._shut(MFAConnectionError("a request timed out half-sent"))
            raise MFATimeout(f"{rpc}: the request could not be sent in time") from None
        except OSError as error:
            self._shut(MFAConnectionError(f"the connection failed: {error}"))
            raise MFAConnectionError(f"{rpc}: the connection failed: {error}") from None

    def _receive(self, deadline: float, rpc: str) -> Any:
        while True:
            try:
                body = self._decoder.next_frame()
            except MFAProtocolError as error:
                self._shut(error)
                raise
            if body is not None:
                try:
                    return protocol.decode_response(body)
                except MFAProtocolError as error:
                    self._shut(error)
                    raise
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise MFATimeout(f"{rpc}: the server did not answer in time")
            try:
                self._sock.settimeout(remaining)
                data = self._sock.recv(65536)
            except socket.timeout:
                raise MFATimeout(f"{rpc}: the server did not answer in time") from None
            except OSError as error:
                self._shut(MFAConnectionError(f"the connection failed: {error}"))
                raise MFAConnectionError(f"{rpc}: the connection failed: {error}") from None
            if not data:
                self._shut(MFAConnectionError("the server closed the connection"))
                raise MFAConnectionError(f"{rpc}: the server closed the connection")
            try:
                self._decoder.feed(data)
            except MFAProtocolError as error:
                self._shut(error)
                raise

    def _shut(self, reason: MFAError) -> None:
        if self._closed is None:
            self._closed = reason
            try:
                self._sock.close()
            except OSError:
                pass
