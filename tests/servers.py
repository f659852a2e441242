"""Tiny HTTP servers on 127.0.0.1 for tests: fixed answers per path (documents, redirects,
endless or silent answers), and a SPARQL endpoint over an in-memory Oxigraph store. Each records
the paths it was asked for, so a test can prove something was never fetched."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
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


def document(body: bytes, content_type: str) -> Answer:
    def answer(handler: BaseHTTPRequestHandler, _server: Server) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

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
        query = _query_of(handler)
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


def _query_of(handler: BaseHTTPRequestHandler) -> str:
    if handler.command == "GET":
        return parse_qs(urlsplit(handler.path).query)["query"][0]
    length = int(handler.headers.get("Content-Length") or 0)
    body = handler.rfile.read(length).decode()
    if handler.headers.get_content_type() == "application/sparql-query":
        return body
    return parse_qs(body)["query"][0]
