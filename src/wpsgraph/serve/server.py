"""wpsgraph serve: the listening socket, the query processes and the HTTP server (waitress)."""

from __future__ import annotations

import errno
import ipaddress
import socket
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from waitress.server import create_server

from wpsgraph.errors import WpsGraphError
from wpsgraph.queries import discover
from wpsgraph.serve.app import Application
from wpsgraph.serve.limits import Limits
from wpsgraph.serve.pool import Progress, QueryPool
from wpsgraph.store import require_store

LOCAL_HOST = "127.0.0.1"
# HTTP connections beyond the running and waiting queries: the page, its files, descriptions.
_SPARE_THREADS = 4
_IDLE_CONNECTION_S = 60
_CLOSE_TIMEOUT_S = 10


class ServeError(WpsGraphError):
    """The server cannot start (its port is taken, its address is wrong)."""


@dataclass(frozen=True)
class ServeOptions:
    store: Path
    host: str = LOCAL_HOST
    port: int = 8000
    on_disk: bool = False
    limits: Limits = field(default_factory=Limits)
    # The ontology's documentation at /ontology/: a folder written by `wpsgraph docs`, or, with
    # write_docs, one the server writes at start (while the store is read).
    ontology_docs: Path | None = None
    write_docs: bool = False
    # SERVICE endpoints the operator allows (--federate); every other SERVICE is refused.
    federate: tuple[str, ...] = ()


class Server:
    """Binds first (a taken port fails at once), then reads the store and starts the workers."""

    def __init__(self, options: ServeOptions, progress: Progress | None = None) -> None:
        self.options = options
        require_store(options.store)
        listener = _listen(options.host, options.port)
        self._docs_folder: tempfile.TemporaryDirectory[str] | None = None
        try:
            with ThreadPoolExecutor(max_workers=1) as background:
                docs = background.submit(self._ontology_docs, options)
                self.pool = QueryPool(
                    str(options.store),
                    options.on_disk,
                    options.limits,
                    progress,
                    options.federate,
                )
                try:
                    ontology_docs = docs.result()
                except BaseException:
                    self.pool.close()
                    raise
        except BaseException:
            listener.close()
            self._remove_docs()
            raise
        limits = options.limits
        app = Application(self.pool, discover(), limits, ontology_docs)
        self._connections: dict[int, Any] = {}  # waitress's socket map, so that close can empty it
        self._loop: threading.Thread | None = None
        self._server = create_server(
            app,
            map=self._connections,
            sockets=[listener],
            threads=limits.workers + limits.queue + _SPARE_THREADS,
            connection_limit=4 * (limits.workers + limits.queue + _SPARE_THREADS),
            channel_timeout=_IDLE_CONNECTION_S,
            max_request_body_size=limits.max_body_bytes,
            ident="wpsgraph",
        )
        self.port = listener.getsockname()[1]

    @property
    def url(self) -> str:
        host = self.options.host
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{self.port}"

    def serve_forever(self) -> None:
        """Answer requests until close() (from another thread), Ctrl-C or SIGTERM."""
        self._loop = threading.current_thread()
        self._server.run()

    def close(self) -> None:
        loop = self._loop
        if loop is not None and loop is not threading.current_thread() and loop.is_alive():
            # Closing sockets under a loop that selects on them fails in that loop: let the
            # loop close the connections itself, and so end. The listener and the trigger are
            # closed after the loop: the loop may run the thunk as soon as it is queued (woken
            # by an earlier pull), before pull_trigger has written to the trigger.
            self._server.trigger.pull_trigger(self._close_connections)
            loop.join(timeout=_CLOSE_TIMEOUT_S)
            self._server.task_dispatcher.shutdown()
            self._server.close()
        else:
            self._server.close()
        self.pool.close()
        self._remove_docs()

    def _close_connections(self) -> None:
        """In the loop: close every connection; the listener and the trigger only leave the map
        (waitress's close of the listener closes the trigger too)."""
        for dispatcher in list(self._connections.values()):
            if dispatcher is self._server or dispatcher is self._server.trigger:
                dispatcher.del_channel()
            else:
                dispatcher.close()

    def _ontology_docs(self, options: ServeOptions) -> Path | None:
        if options.ontology_docs is not None:
            if not (options.ontology_docs / "index.html").is_file():
                raise ServeError(
                    f"{options.ontology_docs}: no index.html; expected a folder written by "
                    "'wpsgraph docs -o DIR'"
                )
            return options.ontology_docs
        if not options.write_docs:
            return None
        from wpsgraph.docs import write_docs  # pyLODE: only when the documentation is written

        self._docs_folder = tempfile.TemporaryDirectory(prefix="wpsgraph-docs-")
        folder = Path(self._docs_folder.name)
        write_docs(folder)
        return folder

    def _remove_docs(self) -> None:
        if self._docs_folder is not None:
            self._docs_folder.cleanup()


def exposure_warning(host: str) -> str | None:
    """What to tell the operator when the server listens beyond this machine."""
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if loopback:
        return None
    return (
        f"listening on {host}, not only on this machine: anyone who can reach it can query the "
        "store (read-only, within the limits)"
    )


def _listen(host: str, port: int) -> socket.socket:
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        return socket.create_server((host, port), family=family, backlog=128)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise ServeError(
                f"{host}:{port} is in use (another server?): choose another --port"
            ) from None
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
