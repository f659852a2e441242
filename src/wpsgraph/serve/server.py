"""wpsgraph serve: the listening socket, the query processes and the HTTP server (waitress)."""

from __future__ import annotations

import errno
import ipaddress
import socket
from dataclasses import dataclass, field
from pathlib import Path

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


class ServeError(WpsGraphError):
    """The server cannot start (its port is taken, its address is wrong)."""


@dataclass(frozen=True)
class ServeOptions:
    store: Path
    host: str = LOCAL_HOST
    port: int = 8000
    on_disk: bool = False
    limits: Limits = field(default_factory=Limits)
    ontology_docs: Path | None = None


class Server:
    """Binds first (a taken port fails at once), then reads the store and starts the workers."""

    def __init__(self, options: ServeOptions, progress: Progress | None = None) -> None:
        self.options = options
        require_store(options.store)
        listener = _listen(options.host, options.port)
        try:
            self.pool = QueryPool(str(options.store), options.on_disk, options.limits, progress)
        except BaseException:
            listener.close()
            raise
        limits = options.limits
        app = Application(self.pool, discover(), limits, options.ontology_docs)
        self._server = create_server(
            app,
            sockets=[listener],
            threads=limits.workers + limits.queue + _SPARE_THREADS,
            connection_limit=4 * (limits.workers + limits.queue + _SPARE_THREADS),
            channel_timeout=_IDLE_CONNECTION_S,
            max_request_body_size=3 * limits.max_query_bytes + 1024,
            ident="wpsgraph",
        )
        self.port = listener.getsockname()[1]

    @property
    def url(self) -> str:
        host = self.options.host
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{self.port}"

    def serve_forever(self) -> None:
        self._server.run()

    def close(self) -> None:
        self._server.close()
        self.pool.close()


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
