"""The asyncio client: many calls in flight on one connection, matched by request id."""

from __future__ import annotations

import asyncio
import itertools
import socket
from typing import Any, Dict, Optional, Union

from google.protobuf.message import Message

from . import protocol
from ._generated.rpcs import AsyncRPCs
from .errors import FrameTooLarge, MFAConnectionError, MFAError, MFAProtocolError, MFAServerError, MFATimeout


class AsyncClient(AsyncRPCs):
    """An asyncio connection to mfad.

    ```python
    async with await AsyncClient.connect("127.0.0.1", 7370) as mfa:
        pongs = await asyncio.gather(*(mfa.ping(payload=b"%d" % i) for i in range(100)))
    ```

    Each call sends its frame at once and waits for the response with its id, so calls made
    concurrently (tasks, `gather`) are pipelined on the one connection and may complete in
    any order. Methods and errors are those of `Client`.
    """

    def __init__(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        *,
        timeout: float = 30.0,
        max_frame_length: int = protocol.MAX_FRAME_LENGTH,
    ) -> None:
        """Wraps an open stream pair; most code wants `AsyncClient.connect`. Needs a running loop."""
        self.timeout = timeout
        self.max_frame_length = max_frame_length
        self._reader = reader
        self._writer = writer
        self._ids = itertools.count(1)
        self._pending: Dict[int, "asyncio.Future[Any]"] = {}
        self._closed: Optional[MFAError] = None
        self._read_task = asyncio.get_running_loop().create_task(self._read_loop())

    @classmethod
    async def connect(
        cls,
        host: str = "127.0.0.1",
        port: int = protocol.DEFAULT_PORT,
        *,
        timeout: float = 30.0,
        connect_timeout: float = 5.0,
        max_frame_length: int = protocol.MAX_FRAME_LENGTH,
        service: Optional[str] = None,
        api_key: Optional[str] = None,
    ) -> "AsyncClient":
        """Opens a connection and, given `service` and `api_key`, authenticates it (SPEC 4).

        Raises MFAConnectionError when it cannot be opened in time, MFAServerError when the
        credentials are refused."""
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), connect_timeout)
        except (OSError, asyncio.TimeoutError) as error:
            raise MFAConnectionError(f"could not connect to {host}:{port}: {error or 'timed out'}") from None
        sock = writer.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        client = cls(reader, writer, timeout=timeout, max_frame_length=max_frame_length)
        if api_key is not None:
            try:
                await client.call("authenticate", service=service or "", api_key=api_key)
            except BaseException:
                await client.close()
                raise
        return client

    async def __aenter__(self) -> "AsyncClient":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def closed(self) -> bool:
        return self._closed is not None

    @property
    def in_flight(self) -> int:
        """Calls sent and not yet answered."""
        return len(self._pending)

    async def close(self) -> None:
        """Closes the connection; calls still waiting raise MFAConnectionError."""
        self._shut(MFAConnectionError("the client was closed"))
        self._read_task.cancel()
        try:
            await self._read_task
        except (asyncio.CancelledError, Exception):
            pass
        try:
            await self._writer.wait_closed()
        except (OSError, ConnectionError):
            pass

    async def call(
        self,
        rpc: Union[str, Message],
        /,
        *,
        timeout: Optional[float] = None,
        request_id: Optional[int] = None,
        **fields: Any,
    ) -> Any:
        """Calls `rpc` ("login" or "Login", or a ready request message) with `fields`; see
        `Client.call`. `request_id` must not be one already in flight."""
        if self._closed is not None:
            raise MFAConnectionError(f"the connection is closed ({self._closed})")
        rid = next(self._ids) if request_id is None else request_id
        while request_id is None and rid in self._pending:
            rid = next(self._ids)
        if rid in self._pending:
            raise ValueError(f"request id {rid} is already in flight")
        info, frame = protocol.encode_request(rpc, rid, fields, self.max_frame_length)
        future: "asyncio.Future[Any]" = asyncio.get_running_loop().create_future()
        self._pending[rid] = future
        try:
            # write() takes the whole frame at once, so concurrent calls never interleave bytes.
            self._writer.write(frame)
            response = await asyncio.wait_for(
                self._drain_then(future), self.timeout if timeout is None else timeout
            )
        except asyncio.TimeoutError:
            raise MFATimeout(f"{info.rpc}: the server did not answer in time") from None
        except (ConnectionError, OSError) as error:
            self._shut(MFAConnectionError(f"the connection failed: {error}"))
            raise MFAConnectionError(f"{info.rpc}: the connection failed: {error}") from None
        finally:
            if self._pending.get(rid) is future:
                del self._pending[rid]
        return protocol.result_of(response, info)

    async def _call_rpc(self, rpc: str, timeout: Optional[float], request_id: Optional[int], **fields: Any) -> Any:
        return await self.call(rpc, timeout=timeout, request_id=request_id, **fields)

    async def _drain_then(self, future: "asyncio.Future[Any]") -> Any:
        await self._writer.drain()
        return await future

    async def _read_frame(self) -> bytes:
        header = await self._reader.readexactly(protocol.HEADER_LENGTH)
        length = protocol.frame_length(header, self.max_frame_length)  # before reading the body
        return await self._reader.readexactly(length)

    async def _read_loop(self) -> None:
        reason: MFAError = MFAConnectionError("the server closed the connection")
        try:
            while True:
                response = protocol.decode_response(await self._read_frame())
                future = self._pending.get(response.id)
                if future is not None:
                    if not future.done():
                        future.set_result(response)
                    continue
                error = protocol.connection_error(response)
                if error is not None:
                    # A framing error answers no request: every call waiting fails with it.
                    reason = error
                    break
                # Otherwise the late answer of a call that timed out: dropped.
        except asyncio.IncompleteReadError:
            pass
        except MFAProtocolError as error:
            reason = error
        except (ConnectionError, OSError) as error:
            reason = MFAConnectionError(f"the connection failed: {error}")
        except asyncio.CancelledError:
            reason = MFAConnectionError("the client was closed")
            raise
        finally:
            self._shut(reason)

    def _shut(self, reason: MFAError) -> None:
        if self._closed is None:
            self._closed = reason
            self._writer.close()
        for future in self._pending.values():
            if not future.done():
                future.set_exception(_copy(reason))
        self._pending.clear()


def _copy(error: MFAError) -> MFAError:
    """A fresh exception per waiting call (one instance raised in many tasks would share its
    traceback)."""
    if isinstance(error, FrameTooLarge):
        return FrameTooLarge(error.length, error.maximum)
    if isinstance(error, MFAServerError):
        return MFAServerError(
            error.code, error.message, error.attempts_remaining, error.retry_after_seconds, error.request_id
        )
    return MFAConnectionError(str(error)) if isinstance(error, MFAConnectionError) else MFAProtocolError(str(error))


__all__ = ["AsyncClient"]
