"""The server's side of the query processes: it starts the zygote, keeps a fixed number of
workers, admits a bounded number of requests (503 beyond), and enforces the time limit by
killing the worker that runs past it and forking a fresh one."""

from __future__ import annotations

import os
import queue
import select
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from wpsgraph.errors import StoreError
from wpsgraph.serve.limits import Limits
from wpsgraph.serve.reply import HttpError, Reply
from wpsgraph.serve.wire import Message, recv_message, send_message
from wpsgraph.serve.zygote import ZygoteConfig, recv_control, send_control

RETRY_AFTER_S = 2
ZYGOTE_MODULE = "wpsgraph.serve.zygote"

Progress = Callable[[int, int], None]  # quads read so far, quads in all


@dataclass
class _Worker:
    pid: int
    sock: socket.socket


class QueryPool:
    def __init__(
        self,
        store: str,
        on_disk: bool,
        limits: Limits,
        progress: Progress | None = None,
        services: Sequence[str] = (),
    ) -> None:
        self.limits = limits
        self._control_lock = threading.Lock()
        self._admission = threading.BoundedSemaphore(limits.workers + limits.queue)
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._busy: dict[int, _Worker] = {}
        self._closed = False
        self._control, zygote_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        config = ZygoteConfig(store, on_disk, limits.max_result_bytes, list(services))
        self._zygote = subprocess.Popen(
            [sys.executable, "-m", ZYGOTE_MODULE, str(zygote_end.fileno()), config.to_json()],
            pass_fds=[zygote_end.fileno()],
        )
        zygote_end.close()
        try:
            self.summary = self._wait_until_ready(progress)
            for _ in range(limits.workers):
                self._idle.put(self._fork())
        except BaseException:
            self.close()
            raise

    def _wait_until_ready(self, progress: Progress | None) -> dict[str, int]:
        while True:
            message, _fds = recv_control(self._control)
            if message is None:
                raise StoreError("the query processes stopped before the store was read")
            if "error" in message:
                raise StoreError(message["error"])
            if "ready" in message:
                return message["ready"]
            if progress is not None:
                progress(*message["progress"])

    def run(self, request: Message) -> Reply:
        """The worker's reply to request, or an HttpError: 503 when too many requests are in,
        504 when the query runs into the time limit (and is stopped)."""
        if not self._admission.acquire(blocking=False):
            raise self._busy_error()
        try:
            try:
                worker = self._idle.get(timeout=self.limits.timeout_s)
            except queue.Empty:
                raise self._busy_error() from None
            self._busy[worker.pid] = worker
            healthy = False
            try:
                reply = self._ask(worker, request)
                healthy = True
                return reply
            finally:
                del self._busy[worker.pid]
                if healthy:
                    self._idle.put(worker)
                else:
                    self._replace(worker)
        finally:
            self._admission.release()

    def _ask(self, worker: _Worker, request: Message) -> Reply:
        try:
            send_message(worker.sock, request)
            # The worker writes nothing until its answer is complete: waiting for its first
            # byte is waiting for the query (and the serialization) to end.
            readable, _, _ = select.select([worker.sock], [], [], self.limits.timeout_s)
            if not readable:
                raise HttpError(
                    504,
                    f"the query ran into this server's time limit of {self.limits.timeout_s:g} "
                    "s and was stopped",
                )
            message = recv_message(worker.sock)
        except OSError:  # the socket broke under us: the worker is gone
            message = None
        if message is None:
            raise HttpError(500, "the query process ended before it answered (out of memory?)")
        header, body = message
        return Reply(header["status"], header["type"], body, header["headers"])

    def _fork(self) -> _Worker:
        ours, theirs = socket.socketpair()
        with self._control_lock:
            send_control(self._control, {"fork": True}, [theirs.fileno()])
            message, _fds = recv_control(self._control)
        theirs.close()
        if message is None:
            raise HttpError(500, "the query processes are gone; restart wpsgraph serve")
        return _Worker(message["pid"], ours)

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker (it may be running past the limit) and fork a fresh one in its place.
        The zygote reaps a worker only when asked, so its pid cannot have been reused."""
        os.kill(worker.pid, signal.SIGKILL)
        worker.sock.close()
        if self._closed:
            return  # the zygote reaps every worker as it stops
        with self._control_lock:
            send_control(self._control, {"reap": worker.pid})
        self._idle.put(self._fork())

    def _busy_error(self) -> HttpError:
        return HttpError(
            503,
            f"the server is busy ({self.limits.workers} queries running, up to "
            f"{self.limits.queue} waiting): try again in a moment",
            {"Retry-After": str(RETRY_AFTER_S)},
        )

    def running(self) -> int:
        """How many queries a worker is running now."""
        return len(self._busy)

    def worker_pids(self) -> list[int]:
        """The workers now alive (idle or busy)."""
        return sorted([w.pid for w in list(self._idle.queue)] + list(self._busy))

    def close(self) -> None:
        """Stop the zygote, which kills every worker on its way out."""
        self._closed = True
        self._control.close()
        try:
            self._zygote.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._zygote.kill()
            self._zygote.wait()
        while not self._idle.empty():
            self._idle.get().sock.close()
