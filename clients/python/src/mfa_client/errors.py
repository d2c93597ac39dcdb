"""What a call can raise. Every exception is an `MFAError`."""

from __future__ import annotations

from ._generated import mfa_pb2
from ._generated.rpcs import ErrorCode


class MFAError(Exception):
    """Base class of every error the client raises."""


class MFAServerError(MFAError):
    """The server answered with an `Error`.

    Attributes:
        code: the `ErrorCode` (an IntEnum: `err.code.name` is e.g. "ERROR_CODE_LOCKED",
            `int(err.code)` is 12).
        message: the server's message, meant for the end user where the spec gives one.
        attempts_remaining: wrong codes left before the account locks (0 when not applicable).
        retry_after_seconds: when to try again (0 when not applicable).
        request_id: the id of the request answered; 0 for a connection-level error (framing),
            after which the server closes the connection.
    """

    def __init__(
        self,
        code: int,
        message: str,
        attempts_remaining: int = 0,
        retry_after_seconds: int = 0,
        request_id: int = 0,
    ) -> None:
        self.code = ErrorCode(code)
        self.message = message
        self.attempts_remaining = attempts_remaining
        self.retry_after_seconds = retry_after_seconds
        self.request_id = request_id
        super().__init__(f"{self.code.name} ({int(self.code)}): {message}")

    @classmethod
    def from_proto(cls, error: mfa_pb2.Error, request_id: int = 0) -> "MFAServerError":
        return cls(error.code, error.message, error.attempts_remaining, error.retry_after_seconds, request_id)

    @property
    def code_name(self) -> str:
        """The code without its prefix: "LOCKED" for ERROR_CODE_LOCKED."""
        return self.code.name[len("ERROR_CODE_"):] if self.code.name.startswith("ERROR_CODE_") else self.code.name

    def __repr__(self) -> str:
        return (
            f"MFAServerError(code={self.code.name}, message={self.message!r}, "
            f"attempts_remaining={self.attempts_remaining}, retry_after_seconds={self.retry_after_seconds})"
        )


class MFAConnectionError(MFAError, ConnectionError):
    """The connection could not be opened, or closed before the answer came."""


class MFATimeout(MFAError, TimeoutError):
    """No answer came within the call's timeout. The connection stays usable: a late answer
    is recognised by its request id and dropped."""


class MFAProtocolError(MFAError):
    """The server sent something that is not a valid answer: a frame over the maximum length or
    bytes that are not a `Response` (the connection is then closed), or another RPC's result."""


class FrameTooLarge(MFAProtocolError):
    """A frame's length prefix is over the maximum (1 MiB by default)."""

    def __init__(self, length: int, maximum: int) -> None:
        self.length = length
        self.maximum = maximum
        super().__init__(f"frame of {length} bytes is over the maximum of {maximum}")


def code_of(name_or_number: "int | str") -> ErrorCode:
    """ErrorCode from 12, "LOCKED" or "ERROR_CODE_LOCKED"."""
    if isinstance(name_or_number, str):
        name = name_or_number.upper()
        return ErrorCode[name if name.startswith("ERROR_CODE_") else "ERROR_CODE_" + name]
    return ErrorCode(name_or_number)


__all__ = [
    "ErrorCode",
    "FrameTooLarge",
    "MFAConnectionError",
    "MFAError",
    "MFAProtocolError",
    "MFAServerError",
    "MFATimeout",
    "code_of",
]
