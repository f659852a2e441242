"""Reading the store into memory at serve start: the read-ahead between the reader's pipe and the
engine loses nothing, reports progress up to the whole, bounds what it holds, and passes on a
broken pipe as an error."""

from __future__ import annotations

import io
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from wpsgraph.serve import zygote
from wpsgraph.serve.zygote import _ProgressReader, recv_control
from wpsgraph.store import OxigraphStore

QUADS = 20_000


def nquads(count: int) -> bytes:
    return b"".join(
        f'<https://example.org/s{i}> <https://example.org/p> "value {i}" '
        f"<https://example.org/g{i % 7}> .\n".encode()
        for i in range(count)
    )


@contextmanager
def piped(data: bytes) -> Iterator[io.BufferedReader]:
    """A pipe that a thread fills with data and then closes, as the reader process does."""
    read_fd, write_fd = os.pipe()

    def write() -> None:
        with os.fdopen(write_fd, "wb") as out:
            out.write(data)

    writer = threading.Thread(target=write)
    writer.start()
    with os.fdopen(read_fd, "rb") as stream:
        yield stream
    writer.join()


@contextmanager
def control_pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    with ours, theirs:
        yield ours, theirs


def progress_reports(sock: socket.socket) -> list[list[int]]:
    sock.setblocking(False)
    reports = []
    while True:
        try:
            message, _fds = recv_control(sock)
        except BlockingIOError:
            return reports
        assert message is not None
        reports.append(message["progress"])


def test_every_quad_reaches_the_engine_with_progress_up_to_the_whole() -> None:
    with piped(nquads(QUADS)) as stream, control_pair() as (server_end, zygote_end):
        store = OxigraphStore.from_nquads(_ProgressReader(stream, QUADS, zygote_end))
        reports = progress_reports(server_end)
    assert len(store) == QUADS
    assert reports[-1] == [QUADS, QUADS]
    assert [done for done, _total in reports] == sorted(done for done, _total in reports)


def test_what_is_read_ahead_of_the_engine_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(zygote, "_CHUNK_BYTES", 1000)
    monkeypatch.setattr(zygote, "_AHEAD_BYTES", 5000)
    data = nquads(1000)  # 80 KiB: far beyond the bound
    with piped(data) as stream, control_pair() as (_server_end, zygote_end):
        reader = _ProgressReader(stream, 1000, zygote_end)
        time.sleep(0.3)  # the engine reads nothing yet: the drainer must stop at the bound
        assert reader._queued - reader._taken < 5000 + 1000
        received = b"".join(iter(lambda: reader.read(4096), b""))
    assert received == data


def test_a_broken_pipe_is_an_error_not_a_short_store() -> None:
    class Breaking(io.BufferedReader):
        def read1(self, size: int = -1) -> bytes:
            raise OSError("the reader went away")

    read_fd, write_fd = os.pipe()
    os.close(write_fd)
    with Breaking(io.FileIO(read_fd, "rb")) as stream, control_pair() as (_ours, zygote_end):
        reader = _ProgressReader(stream, QUADS, zygote_end)
        with pytest.raises(OSError, match="went away"):
            reader.read(4096)
