"""Length-prefixed messages over a pipe, between a parent and its script worker.

A message is its length (4 bytes, big-endian) and its bytes. Both ends block on
``os.read``/``os.write``; the parent waits for an answer with ``select.poll`` first, so
that it can give up at the script's deadline.
"""

from __future__ import annotations

import os
import struct

_HEADER = struct.Struct("!I")


class FrameError(OSError):
    """The other end closed the pipe, or sent a message longer than allowed."""


def send(fd: int, payload: bytes) -> None:
    view = memoryview(_HEADER.pack(len(payload)) + payload)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def receive(fd: int, limit: int) -> bytes:
    (length,) = _HEADER.unpack(_read(fd, _HEADER.size))
    if length > limit:
        raise FrameError(f"message of {length} bytes, more than {limit}")
    return _read(fd, length)


def _read(fd: int, n: int) -> bytes:
    chunks, left = [], n
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise FrameError("the pipe was closed")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
