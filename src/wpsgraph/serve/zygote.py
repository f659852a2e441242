"""The query processes. python -m wpsgraph.serve.zygote FD CONFIG is started by the server (pool.py)
with one end of a control socket. It reads the store into memory once, single-threaded (it never
opens RocksDB itself: reader.py does, in a process of its own), then forks a worker whenever the
server asks, handing it the socket the server passed along. The workers share the graph's pages
with the zygote until they touch them. A worker answers one request at a time and can be killed
at any moment (that is how the time limit stops a query): it holds nothing but its copy.

With --on-disk the zygote holds nothing: each worker opens the store read-only itself."""

from __future__ import annotations

import gc
import json
import logging
import os
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO, NoReturn

from wpsgraph.errors import StoreError, WpsGraphError
from wpsgraph.queries import check_read_only, discover
from wpsgraph.serve.engine import Engine
from wpsgraph.serve.reader import QUADS_HEADER
from wpsgraph.serve.reply import text_reply
from wpsgraph.serve.wire import Message, recv_message, send_message
from wpsgraph.store import OxigraphStore

log = logging.getLogger("wpsgraph.serve")
CONTROL_MESSAGE_SIZE = 4096
_PROGRESS_STEPS = 10  # progress reports while reading the store


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

    def worker_engine(self) -> Engine:
        if self.engine is not None:
            return self.engine
        store = OxigraphStore.open(Path(self.config.store), read_only=True)
        return _engine(store, self.config)


def _prepare(config: ZygoteConfig, control: socket.socket) -> _Prepared:
    # Imported and built here once, so that no worker pays for rdflib's SPARQL grammar.
    check_read_only("ASK {}", [])
    if config.on_disk:
        engine = None
        summary = {"quads": 0, "graphs": 0}
    else:
        store = _read_into_memory(Path(config.store), control)
        engine = _engine(store, config)
        summary = {"quads": len(store), "graphs": len(engine.named_graphs)}
    # Objects made so far live as long as the zygote: keep the collector off their pages, so
    # that the workers' copies stay shared.
    gc.freeze()
    return _Prepared(config, engine, summary)


def _engine(store: OxigraphStore, config: ZygoteConfig) -> Engine:
    return Engine(store, store.named_graphs(), discover(), config.max_result_bytes, config.services)


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
    """The reader's output as the engine reads it, with progress reports to the server."""

    def __init__(self, stream: IO[bytes], total: int, control: socket.socket) -> None:
        self._stream = stream
        self._total = total
        self._control = control
        self._read = 0
        self._reported = 0
        self._step = max(1, total // _PROGRESS_STEPS)

    def read(self, size: int = -1) -> bytes:
        chunk = self._stream.read(size)
        self._read += chunk.count(b"\n")
        if self._read >= self._reported + self._step or (not chunk and self._read > self._reported):
            self._reported = self._read
            send_control(self._control, {"progress": [min(self._read, self._total), self._total]})
        return chunk


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
