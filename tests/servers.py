"""Servers on 127.0.0.1 for tests. Tiny HTTP servers with fixed answers per path (documents,
redirects, endless, silent or cut-short answers), and a SPARQL endpoint over an in-memory Oxigraph
store; each records the paths it was asked for, so a test can prove something was never fetched.
And real SPARQL servers, each on a free port and stopped after: Oxigraph server (the `oxigraph`
binary of `pip install oxigraph`, a test dependency) and Debian's Virtuoso when it is installed."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

Answer = Callable[[BaseHTTPRequestHandler, "Server"], None]


@dataclass
class Server:
    base: str  # http://127.0.0.1:PORT
    requests: list[str] = field(default_factory=list)  # paths asked for, in order
    release: threading.Event = field(default_factory=threading.Event)  # ends silent answers

    def url(self, path: str) -> str:
        return self.base + path


@contextmanager
def serve(routes: dict[str, Answer]) -> Iterator[Server]:
    """Serve routes (path -> answer) until the block ends; unknown paths get 404."""
    server: Server | None = None

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            assert server is not None
            path = urlsplit(self.path).path
            server.requests.append(path)
            routes.get(path, not_found)(self, server)

        do_GET = do_POST = _answer

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    server = Server(f"http://127.0.0.1:{httpd.server_address[1]}")
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.release.set()
        httpd.shutdown()
        httpd.server_close()


def document(
    body: bytes,
    content_type: str,
    *,
    headers: dict[str, str] | None = None,
    length: int | None = None,
) -> Answer:
    """A 200 answer. length, when given, is the Content-Length announced (more than the body:
    the server dies mid-answer); -1 announces none (the body ends when the connection does)."""

    def answer(handler: BaseHTTPRequestHandler, _server: Server) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        if length != -1:
            handler.send_header("Content-Length", str(len(body) if length is None else length))
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(body)
        handler.close_connection = True

    return answer


def redirect(location: str, code: int = 302) -> Answer:
    def answer(handler: BaseHTTPRequestHandler, _server: Server) -> None:
        handler.send_response(code)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return answer


def silent(_handler: BaseHTTPRequestHandler, server: Server) -> None:
    """Accept the request and say nothing until the test ends."""
    server.release.wait(30)


def endless(content_type: str = "text/turtle") -> Answer:
    """An answer with no length that never ends (until the client hangs up)."""

    def answer(handler: BaseHTTPRequestHandler, _server: Server) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.end_headers()
        line = b"<https://example.org/s> <https://example.org/p> <https://example.org/o> .\n"
        chunk = line * 1000
        try:
            while True:
                handler.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            return

    return answer


def declared_size(size: int) -> Answer:
    """Headers announcing a huge body, then nothing."""

    def answer(handler: BaseHTTPRequestHandler, _server: Server) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/turtle")
        handler.send_header("Content-Length", str(size))
        handler.end_headers()

    return answer


def not_found(handler: BaseHTTPRequestHandler, _server: Server) -> None:
    handler.send_error(404)


def sparql_endpoint(store: ox.Store) -> Answer:
    """SPARQL 1.1 protocol over store: a query by GET ?query=, by form POST, or as a
    application/sparql-query body; SELECT/ASK as JSON, CONSTRUCT/DESCRIBE as Turtle."""

    def answer(handler: BaseHTTPRequestHandler, _server: Server) -> None:
        query = query_of(handler)
        try:
            result = store.query(query)
        except SyntaxError as exc:
            body, status, content_type = str(exc).encode(), 400, "text/plain"
        else:
            status = 200
            if isinstance(result, ox.QueryTriples):
                body, content_type = result.serialize(format=ox.RdfFormat.TURTLE), "text/turtle"
            else:
                body = result.serialize(format=ox.QueryResultsFormat.JSON)
                content_type = "application/sparql-results+json"
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return answer


def query_of(handler: BaseHTTPRequestHandler) -> str:
    """The query (or update) a SPARQL protocol request carries; reads the request's body."""
    if handler.command == "GET":
        return parse_qs(urlsplit(handler.path).query)["query"][0]
    length = int(handler.headers.get("Content-Length") or 0)
    body = handler.rfile.read(length).decode()
    if handler.headers.get_content_type() == "application/sparql-query":
        return body
    form = parse_qs(body)
    return (form.get("query") or form.get("update") or [body])[0]


ASK_TRUE = b'{"head":{},"boolean":true}'
JSON_RESULTS = "application/sparql-results+json"


def after_probe(answer: Answer) -> Answer:
    """Answer the remote store's opening ASK {} as a SPARQL server would, the rest by answer."""

    def answer_after_probe(handler: BaseHTTPRequestHandler, server: Server) -> None:
        if handler.command == "GET" and "query=ASK+%7B%7D" in handler.path:
            document(ASK_TRUE, JSON_RESULTS)(handler, server)
        else:
            answer(handler, server)

    return answer_after_probe


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
