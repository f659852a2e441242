"""The query processes. python -m wpsgraph.serve.zygote FD CONFIG is started by the server (pool.py)
with one end of a control socket. It reads the store into memory once, single-threaded (it never
opens RocksDB itself: reader.py does, in a process of its own), then forks a worker whenever the
server asks, handing it the socket the server passed along. The workers share the graph's pages
with the zygote until they touch them. A worker answers one request at a time and can be killed
at any moment (that is how the time limit stops a query): it holds nothing but its copy.

With --on-disk the zygote holds nothing: each worker opens the store read-only itself."""

from __future__ import annotations

import gc
import io
import json
import logging
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from wpsgraph.errors import StoreError, WpsGraphError
from wpsgraph.queries import CannedQuery, check_read_only, discover
from wpsgraph.serve.engine import Engine
from wpsgraph.serve.reader import QUADS_HEADER
from wpsgraph.serve.reply import text_reply
from wpsgraph.serve.wire import Message, recv_message, send_message
from wpsgraph.store import OxigraphStore

log = logging.getLogger("wpsgraph.serve")
CONTROL_MESSAGE_SIZE = 4096
_PROGRESS_STEPS = 10  # progress reports while reading the store
_CHUNK_BYTES = 2**20  # read from the reader's pipe at a time
_AHEAD_BYTES = 256 * 2**20  # read ahead of the engine, at most
_AHEAD_WAIT_S = 0.01


@dataclass(frozen=True)
class ZygoteConfig:
    store: str
    on_disk: bool
    max_result_bytes: int
    services: list[str]  # SERVICE endpoints the operator allows (--federate); none by default

    def to_json(self) -> str:
        return json.dumps(self.__dict__)


def send_control(sock: socket.socket, message: Message, fds: list[int] | None = None) -> None:
    socket.send_fds(sock, [json.dumps(message).encode()], fds or [])


def recv_control(sock: socket.socket) -> tuple[Message | None, list[int]]:
    """The next control message and the descriptors it carries; None when the peer closed."""
    data, fds, _flags, _address = socket.recv_fds(sock, CONTROL_MESSAGE_SIZE, 1)
    return (json.loads(data) if data else None), fds


def main() -> None:
    logging.basicConfig(format="wpsgraph serve: %(message)s", stream=sys.stderr)
    # Ctrl-C reaches every process of the terminal: the server decides when the zygote stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    control = socket.socket(fileno=int(sys.argv[1]))
    config = ZygoteConfig(**json.loads(sys.argv[2]))
    try:
        prepared = _prepare(config, control)
    except WpsGraphError as exc:
        send_control(control, {"error": str(exc)})
        return
    send_control(control, {"ready": prepared.summary})
    _fork_on_request(control, prepared)


@dataclass
class _Prepared:
    config: ZygoteConfig
    engine: Engine | None  # None when each worker opens the store on disk itself
    summary: dict[str, int]
    queries: dict[str, CannedQuery]  # read once here: a worker on disk does not re-read them

    def worker_engine(self) -> Engine:
        if self.engine is not None:
            return self.engine
        store = OxigraphStore.open(Path(self.config.store), read_only=True)
        return _engine(store, self.config, self.queries)


def _prepare(config: ZygoteConfig, control: socket.socket) -> _Prepared:
    # Imported and built here once, so that no worker pays for rdflib's SPARQL grammar.
    check_read_only("ASK {}", [])
    queries = discover()
    if config.on_disk:
        engine = None
        summary = {"quads": 0, "graphs": 0}
    else:
        store = _read_into_memory(Path(config.store), control)
        engine = _engine(store, config, queries)
        summary = {"quads": len(store), "graphs": len(engine.held_graphs)}
    # Objects made so far live as long as the zygote: keep the collector off their pages, so
    # that the workers' copies stay shared.
    gc.freeze()
    return _Prepared(config, engine, summary, queries)


def _engine(store: OxigraphStore, config: ZygoteConfig, queries: dict[str, CannedQuery]) -> Engine:
    return Engine(store, store.named_graphs(), queries, config.max_result_bytes, config.services)


def _read_into_memory(directory: Path, control: socket.socket) -> OxigraphStore:
    reader = subprocess.Popen(
        [sys.executable, "-m", "wpsgraph.serve.reader", str(directory)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert reader.stdout is not None and reader.stderr is not None
    header = reader.stdout.readline()
    total = int(header.removeprefix(QUADS_HEADER)) if header.startswith(QUADS_HEADER) else 0
    try:
        store = OxigraphStore.from_nquads(_ProgressReader(reader.stdout, total, control))
    finally:
        reader.stdout.close()
        error = reader.stderr.read().decode(errors="replace").strip()
        reader.wait()
    if reader.returncode != 0:
        raise StoreError(error or f"reading {directory} failed (exit {reader.returncode})")
    return store


class _ProgressReader:
    """The reader's output as the engine reads it, with progress reports to the server.

    A thread drains the pipe while the engine parses: the engine reads a few KiB at a time and
    stops reading while it indexes a batch, which left the reader process (the slower side:
    decoding RocksDB) waiting on a full pipe; reading ahead took the start at N=10,000 from 27
    to 23 s. What is held ahead is bounded by polling rather than a blocking queue, because
    waking a thread through a condition waits a GIL switch interval while the engine holds the
    GIL (4 s at N=10,000). The thread ends with the stream, before any fork."""

    def __init__(self, stream: io.BufferedReader, total: int, control: socket.socket) -> None:
        self._stream = stream
        self._total = total
        self._control = control
        self._chunks: queue.SimpleQueue[bytes] = queue.SimpleQueue()
        self._chunk = b""
        self._offset = 0
        self._ended = False
        self._queued = self._taken = 0  # bytes; each written by one thread only
        self._failure: OSError | None = None
        self._drainer = threading.Thread(target=self._drain, name="store-reader", daemon=True)
        self._drainer.start()

    def read(self, size: int = -1) -> bytes:
        if self._offset >= len(self._chunk):
            if self._ended:
                return b""
            self._chunk, self._offset = self._chunks.get(), 0
            self._taken += len(self._chunk)
            if not self._chunk:
                self._ended = True
                self._drainer.join()
                if self._failure is not None:
                    raise self._failure
                return b""
        end = len(self._chunk) if size < 0 else self._offset + size
        data = self._chunk[self._offset : end]
        self._offset += len(data)
        return data

    def _drain(self) -> None:
        lines = reported = 0
        step = max(1, self._total // _PROGRESS_STEPS)
        try:
            while chunk := self._stream.read1(_CHUNK_BYTES):
                while self._queued - self._taken >= _AHEAD_BYTES:
                    time.sleep(_AHEAD_WAIT_S)
                self._chunks.put(chunk)
                self._queued += len(chunk)
                lines += chunk.count(b"\n")
                if lines >= reported + step:
                    reported = lines
                    self._progress(lines)
            if lines > reported:
                self._progress(lines)
        except OSError as exc:
            self._failure = exc
        finally:
            self._chunks.put(b"")  # the end, after the last report: the engine goes on from here

    def _progress(self, lines: int) -> None:
        send_control(self._control, {"progress": [min(lines, self._total), self._total]})


def _fork_on_request(control: socket.socket, prepared: _Prepared) -> None:
    children: set[int] = set()
    try:
        while True:
            message, fds = recv_control(control)
            if message is None:
                return
            if "fork" in message:
                pid = os.fork()
                if pid == 0:
                    control.close()
                    _run_worker(socket.socket(fileno=fds[0]), prepared)
                os.close(fds[0])
                children.add(pid)
                send_control(control, {"pid": pid})
            elif "reap" in message:
                os.waitpid(message["reap"], 0)
                children.discard(message["reap"])
    finally:
        # The server is gone: so are its workers, whatever they are doing.
        for pid in children:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


def _run_worker(sock: socket.socket, prepared: _Prepared) -> NoReturn:
    code = 0
    try:
        engine = prepared.worker_engine()
        while (message := recv_message(sock)) is not None:
            request, _body = message
            try:
                reply = engine.handle(request)
            except Exception:
                log.exception("a query process failed on %s", request.get("op"))
                reply = text_reply(500, "internal error in wpsgraph (logged by the server)")
            header = {"status": reply.status, "type": reply.content_type, "headers": reply.headers}
            send_message(sock, header, reply.body)
    except BaseException:
        log.exception("a query process stopped")
        code = 1
    finally:
        os._exit(code)


if __name__ == "__main__":
    main()
