"""Newline-delimited JSON over pipes and sockets, with deadlines and size limits.

Everything read here may come from student code, so a read never blocks past its deadline, never
keeps more than `limit` bytes, and a line that is not one JSON object is a `ProtocolError`.
"""

from __future__ import annotations

import json
import os
import select
import socket
import time

MAX_LINE = 1 << 30


class ChannelClosed(Exception):
    """The other end went away."""


class ChannelTimeout(Exception):
    """Nothing complete arrived before the deadline."""


class ProtocolError(Exception):
    """What arrived is not a well-formed message."""


class TooLong(ProtocolError):
    """The message is longer than the reader accepts."""


def _wait(fd: int, event: int, deadline: float) -> None:
    poller = select.poll()
    poller.register(fd, event | select.POLLERR | select.POLLHUP)
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise ChannelTimeout()
        if poller.poll(min(remaining, 3600) * 1000):
            return


def readable(fd: int) -> bool:
    """Whether `fd` has data or end-of-file waiting right now."""
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLERR | select.POLLHUP)
    return bool(poller.poll(0))


class Reader:
    """Reads newline-terminated JSON objects from a pipe (or a socket, with fds attached)."""

    def __init__(self, fd: int, limit: int = MAX_LINE, sock: socket.socket | None = None):
        self.fd = fd
        self.limit = limit
        self.sock = sock
        self.buffer = bytearray()
        self.fds: list[int] = []

    def read(self, deadline: float) -> dict:
        while True:
            end = self.buffer.find(b"\n")
            if end >= 0:
                line = bytes(self.buffer[:end])
                del self.buffer[: end + 1]
                return _parse(line)
            if len(self.buffer) > self.limit:
                raise TooLong(f"a message longer than {self.limit} bytes")
            _wait(self.fd, select.POLLIN, deadline)
            try:
                if self.sock is not None:
                    chunk, fds, _, _ = socket.recv_fds(self.sock, 1 << 20, 8)
                    self.fds += fds
                else:
                    chunk = os.read(self.fd, 1 << 20)
            except (BlockingIOError, InterruptedError):
                continue
            except OSError as error:
                raise ChannelClosed(str(error)) from None
            if not chunk:
                if self.buffer:
                    raise ProtocolError("an incomplete message")
                raise ChannelClosed("end of file")
            self.buffer += chunk


def _parse(line: bytes) -> dict:
    try:
        message = json.loads(line)
    except (ValueError, RecursionError):
        raise ProtocolError("not JSON") from None
    if not isinstance(message, dict):
        raise ProtocolError("not a JSON object")
    return message


def write(fd: int, message: dict, deadline: float) -> None:
    """Write one message to a non-blocking fd, giving up at `deadline`."""
    data = memoryview(json.dumps(message, allow_nan=False, separators=(",", ":")).encode() + b"\n")
    while data:
        try:
            data = data[os.write(fd, data):]
        except (BlockingIOError, InterruptedError):
            _wait(fd, select.POLLOUT, deadline)
        except OSError as error:  # BrokenPipeError: the reader died
            raise ChannelClosed(str(error)) from None


def failure_of(error: ChannelClosed | ProtocolError) -> str:
    """What a failed read of an answer means: "too-long", "garbage" or "crash" (closed)."""
    if isinstance(error, TooLong):
        return "too-long"
    return "garbage" if isinstance(error, ProtocolError) else "crash"


def close(*fds: int) -> None:
    for fd in fds:
        try:
            os.close(fd)
        except OSError:
            pass
