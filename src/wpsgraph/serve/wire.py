"""Messages between the server and its query processes, over Unix stream sockets: a JSON header
and a body of bytes, each length-prefixed, so a result crosses as it is (never pickled)."""

from __future__ import annotations

import json
import socket
import struct
from typing import Any

Message = dict[str, Any]
_PREFIX = struct.Struct("!IQ")  # header length, body length


def send_message(sock: socket.socket, header: Message, body: bytes = b"") -> None:
    encoded = json.dumps(header).encode()
    sock.sendall(_PREFIX.pack(len(encoded), len(body)) + encoded)
    if body:
        sock.sendall(body)


def recv_message(sock: socket.socket) -> tuple[Message, bytes] | None:
    """The next message, or None when the other end has closed the socket."""
    prefix = _recv_exactly(sock, _PREFIX.size)
    if prefix is None:
        return None
    header_length, body_length = _PREFIX.unpack(prefix)
    header = _recv_exactly(sock, header_length)
    body = _recv_exactly(sock, body_length) if body_length else b""
    if header is None or body is None:
        raise ConnectionError("the other process closed the socket mid-message")
    return json.loads(header), body


def _recv_exactly(sock: socket.socket, size: int) -> bytes | None:
    buffer = bytearray(size)
    view = memoryview(buffer)
    received = 0
    while received < size:
        count = sock.recv_into(view[received:])
        if count == 0:
            return None
        received += count
    return bytes(buffer)
