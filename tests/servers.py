"""SPARQL servers for the tests, each on 127.0.0.1 on a free port, stopped after: a real Oxigraph
server (the `oxigraph` binary of `pip install oxigraph`, a test dependency), Debian's Virtuoso
when it is installed, and small fake servers that misbehave on purpose."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

STARTUP_S = 60  # Virtuoso creates its database on first start


@dataclass(frozen=True)
class Running:
    base: str  # http://127.0.0.1:PORT
    query: str  # the query URL given to --endpoint


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def oxigraph_binary() -> str:
    """The binary installed beside this Python (the test extra), else on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if found is None:
        raise RuntimeError("no oxigraph binary: pip install -e '.[test]' installs it")
    return found


@contextmanager
def oxigraph_server(timeout_s: int = 30, location: Path | None = None) -> Iterator[Running]:
    """`oxigraph serve` in memory (or in location), with a per-query time limit."""
    port = free_port()
    command = [oxigraph_binary(), "serve", "--bind", f"127.0.0.1:{port}", "--timeout-s"]
    command.append(str(timeout_s))
    if location is not None:
        command += ["--location", str(location)]
    base = f"http://127.0.0.1:{port}"
    with _process(command, f"{base}/query?query=ASK%7B%7D") as _:
        yield Running(base, f"{base}/query")


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = .
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
ServerThreads = 4
[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 60
"""


@contextmanager
def virtuoso_server(directory: Path, max_rows: int = 10000) -> Iterator[Running]:
    """Debian's virtuoso-t in the foreground, with a new database in directory and both ports
    on 127.0.0.1 (the stock ini binds every interface). A new database's user is dba/dba."""
    binary = shutil.which("virtuoso-t")
    if binary is None:
        raise RuntimeError("virtuoso-t is not installed (apt-get install virtuoso-opensource)")
    http_port = free_port()
    ini = directory / "virtuoso.ini"
    ini.write_text(
        VIRTUOSO_INI.format(
            dir=directory, sql_port=free_port(), http_port=http_port, max_rows=max_rows
        )
    )
    base = f"http://127.0.0.1:{http_port}"
    with _process([binary, "-f", "-c", str(ini)], f"{base}/sparql?query=ASK%7B%7D", cwd=directory):
        yield Running(base, f"{base}/sparql")


@contextmanager
def _process(command: list[str], ready_url: str, cwd: Path | None = None) -> Iterator[None]:
    process = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        _wait_until_answering(process, ready_url)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_answering(process: subprocess.Popen[bytes], url: str) -> None:
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise RuntimeError(f"{process.args} did not answer within {STARTUP_S} s")


# A fake server's behaviour: given the request handler and the query it was sent, write a whole
# response (or not).
Respond = Callable[[BaseHTTPRequestHandler, str], None]


@contextmanager
def fake_server(respond: Respond, software: str = "FakeSPARQL/1") -> Iterator[Running]:
    """An HTTP server on 127.0.0.1 whose every GET and POST is answered by respond; software is
    what its Server header says."""

    class Handler(BaseHTTPRequestHandler):
        server_version = software
        sys_version = ""

        def do_GET(self) -> None:
            respond(self, _form_value(urllib.parse.urlsplit(self.path).query, "query"))

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
            respond(self, _form_value(body, "query") or _form_value(body, "update") or body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield Running(base, f"{base}/sparql")
    finally:
        server.shutdown()
        server.server_close()


def _form_value(encoded: str, name: str) -> str:
    return urllib.parse.parse_qs(encoded).get(name, [""])[0]


def send(
    handler: BaseHTTPRequestHandler,
    body: bytes,
    content_type: str,
    headers: dict[str, str] | None = None,
    *,
    length: int | None = None,
) -> None:
    """A 200 answer. length, when given, is the Content-Length announced (more than the body:
    the server dies mid-answer); -1 announces none (the body ends when the connection does)."""
    handler.send_response(200)
    handler.send_header("Content-Type", content_type)
    if length != -1:
        handler.send_header("Content-Length", str(len(body) if length is None else length))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(body)
    handler.wfile.flush()
    handler.close_connection = True


def after_probe(respond: Respond) -> Respond:
    """Answer the client's opening ASK {} as a SPARQL server would, everything else by respond."""

    def respond_after_probe(handler: BaseHTTPRequestHandler, query: str) -> None:
        if query.strip() == "ASK {}":
            send(handler, ASK_TRUE, JSON_RESULTS)
        else:
            respond(handler, query)

    return respond_after_probe


ASK_TRUE = b'{"head":{},"boolean":true}'
JSON_RESULTS = "application/sparql-results+json"
