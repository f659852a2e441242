"""The HTTP interface, as a WSGI application: the SPARQL 1.1 Protocol and Graph Store Protocol
(read) at /sparql, canned queries at /queries, the query page at /, and every other path read as
one of our IRIs. Work on the store goes to the query processes (pool.py); this only parses
requests, checks what it can without the store, and writes the replies."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterable
from html import escape
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote

from wpsgraph.queries import PAGING, CannedQuery, Parameter
from wpsgraph.serve.html import page
from wpsgraph.serve.limits import Limits
from wpsgraph.serve.negotiation import DESCRIPTIONS, HTML, LISTING, choose
from wpsgraph.serve.page import STATIC_DIR, query_page
from wpsgraph.serve.pool import QueryPool
from wpsgraph.serve.reply import TEXT, HttpError, Reply, text_reply
from wpsgraph.serve.service import RDFLIB_FORMATS, service_description
from wpsgraph.serve.wire import Message
from wpsgraph.vocab import BASE

log = logging.getLogger("wpsgraph.serve")
Environ = dict[str, Any]
StartResponse = Callable[..., Any]

# The data is public and read-only: any page may query it, never with credentials.
CORS_HEADERS = [
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Expose-Headers", "Retry-After"),
]
PREFLIGHT_HEADERS = [
    ("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
    ("Access-Control-Allow-Headers", "Accept, Content-Type"),
    ("Access-Control-Max-Age", "86400"),
]
# Pages run only our own scripts; Yasgui styles its widgets inline and may query other servers.
HTML_POLICY = (
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src *; frame-ancestors 'none'"
)
READ_ONLY = "this server is read-only"
ONTOLOGY_PATH = "/ontology"
_STATIC_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".ttl": "text/turtle; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}
_FORM = "application/x-www-form-urlencoded"
_PATH_SAFE = "/:@!$&'()*+,;=-._~"
_HOST = re.compile(r"^[A-Za-z0-9.\-]+(:\d+)?$|^\[[0-9A-Fa-f:.]+\](:\d+)?$")
_MAX_FIELDS = 100


class Application:
    def __init__(
        self,
        pool: QueryPool,
        queries: dict[str, CannedQuery],
        limits: Limits,
        ontology_docs: Path | None = None,
    ) -> None:
        self.pool = pool
        self.queries = queries
        self.limits = limits
        self.ontology_docs = ontology_docs

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        try:
            reply = self.route(environ)
        except HttpError as exc:
            reply = exc.reply()
        except Exception:
            log.exception("failed on %s %s", environ["REQUEST_METHOD"], environ.get("PATH_INFO"))
            reply = text_reply(500, "internal error in wpsgraph (logged by the server)")
        headers = [
            ("Content-Type", reply.content_type),
            ("Content-Length", str(len(reply.body))),
            ("X-Content-Type-Options", "nosniff"),
            *CORS_HEADERS,
            *reply.headers.items(),
        ]
        if reply.content_type.startswith("text/html"):
            headers.append(("Content-Security-Policy", HTML_POLICY))
        start_response(f"{reply.status} {HTTPStatus(reply.status).phrase}", headers)
        return [b""] if environ["REQUEST_METHOD"] == "HEAD" else [bytes(reply.body)]

    def route(self, environ: Environ) -> Reply:
        method = environ["REQUEST_METHOD"]
        path = environ.get("PATH_INFO") or "/"
        if method == "OPTIONS":
            return Reply(204, "text/plain", b"", dict(PREFLIGHT_HEADERS))
        if path == "/sparql":
            return self.sparql(environ)
        if method not in ("GET", "HEAD"):
            raise HttpError(405, f"{READ_ONLY}: {path} answers GET", {"Allow": "GET, HEAD"})
        if path == "/":
            return _html(query_page(self.queries))
        if path.startswith("/static/"):
            return _file_reply(STATIC_DIR, path.removeprefix("/static/")) or _not_found(path)
        if path == "/queries":
            return self.listing(environ)
        if path.startswith("/queries/"):
            return self.canned(environ, path.removeprefix("/queries/"))
        docs = self.ontology_docs_file(environ, path)
        if docs is not None:
            return docs
        if path == ONTOLOGY_PATH + "/":  # the documentation's folder stands for the ontology
            path = ONTOLOGY_PATH
        return self.describe(environ, path)

    def sparql(self, environ: Environ) -> Reply:
        """SPARQL 1.1 Protocol: a query by GET, POST form or POST body; the Graph Store Protocol
        (read) with ?graph=IRI or ?default; no query at all: the service description."""
        method = environ["REQUEST_METHOD"]
        params = _query_string(environ)
        graph_store = "graph" in params or "default" in params
        if method not in ("GET", "HEAD", "POST") or (method == "POST" and graph_store):
            raise HttpError(
                405,
                f"{READ_ONLY}: queries are sent with GET or POST, graphs are read with GET",
                {"Allow": "GET, HEAD, POST"},
            )
        if method == "POST":
            self._add_posted(environ, params)
        if "update" in params:
            raise HttpError(400, f"updates are refused: {READ_ONLY}")
        text = _single(params, "query")
        if text is not None:
            self._check_length(text)
            return self.pool.run(
                _request(
                    environ,
                    params,
                    "sparql",
                    query=text,
                    default_graphs=params.get("default-graph-uri", []),
                    named_graphs=params.get("named-graph-uri", []),
                )
            )
        if graph_store:
            iri = None if "default" in params else _single(params, "graph")
            return self.pool.run(_request(environ, params, "graph", iri=iri))
        if method == "POST":
            raise HttpError(
                400,
                "no query: send it as the query parameter or as an application/sparql-query body",
            )
        return self.description_of_service(environ, params)

    def _add_posted(self, environ: Environ, params: dict[str, list[str]]) -> None:
        media_type = environ.get("CONTENT_TYPE", "").partition(";")[0].strip().lower()
        if media_type == "application/sparql-update":
            raise HttpError(400, f"updates are refused: {READ_ONLY}")
        if media_type not in (_FORM, "application/sparql-query"):
            raise HttpError(
                415,
                f"a POST to /sparql is {_FORM} (query=...) or application/sparql-query, "
                f"not '{media_type or 'without a type'}'",
            )
        body = _read_body(environ, self.limits.max_body_bytes)
        if media_type == _FORM:
            form = parse_qs(body, keep_blank_values=True, max_num_fields=_MAX_FIELDS)
            for key, values in form.items():
                params.setdefault(key, []).extend(values)
        else:
            params.setdefault("query", []).append(body)

    def _check_length(self, text: str) -> None:
        size = len(text.encode())
        if size > self.limits.max_query_bytes:
            raise HttpError(
                413,
                f"the query is {size:,} bytes; this server takes queries of at most "
                f"{self.limits.max_query_bytes:,} bytes",
            )

    def description_of_service(self, environ: Environ, params: dict[str, list[str]]) -> Reply:
        fmt = choose(DESCRIPTIONS, environ.get("HTTP_ACCEPT"), _single(params, "format"))
        graph = service_description(_base_url(environ) + "/sparql", self.limits)
        if fmt is HTML:
            turtle = graph.serialize(format="turtle")
            return _html(
                page(
                    "SPARQL endpoint",
                    "<h1>SPARQL endpoint</h1><p>Send queries to this address (GET or POST); "
                    'the <a href="/">query page</a> has an editor. Its service description:</p>'
                    f"<pre>{escape(turtle)}</pre>",
                )
            )
        body = graph.serialize(format=RDFLIB_FORMATS[fmt.name], encoding="utf-8")
        return Reply(200, fmt.content_type, body, {"Vary": "Accept"})

    def listing(self, environ: Environ) -> Reply:
        params = _query_string(environ)
        fmt = choose(LISTING, environ.get("HTTP_ACCEPT"), _single(params, "format"))
        if fmt is HTML:
            return _html(_listing_page(self.queries))
        entries = [_listing_entry(q) for q in self.queries.values()]
        body = json.dumps({"queries": entries}, indent=2, ensure_ascii=False).encode()
        return Reply(200, fmt.content_type, body, {"Vary": "Accept"})

    def canned(self, environ: Environ, name: str) -> Reply:
        if name not in self.queries:
            raise HttpError(404, f"no canned query '{name}'; the list is at /queries")
        params = _query_string(environ)
        request = _request(environ, params, "canned", name=name)  # format= checked first
        request["params"] = {key: _single(params, key) for key in params if key != "format"}
        return self.pool.run(request)

    def describe(self, environ: Environ, path: str) -> Reply:
        iri = BASE + quote(path.removeprefix("/"), safe=_PATH_SAFE)
        return self.pool.run(_request(environ, _query_string(environ), "describe", iri=iri))

    def ontology_docs_file(self, environ: Environ, path: str) -> Reply | None:
        """The ontology's documentation folder (wpsgraph docs), when there is one, is what a
        browser gets at /ontology/ (/ontology sends it there, so that the pages' relative links
        work), with its files below; RDF still comes from the store."""
        folder = ONTOLOGY_PATH + "/"
        if self.ontology_docs is None or not (path == ONTOLOGY_PATH or path.startswith(folder)):
            return None
        if path not in (ONTOLOGY_PATH, folder):
            return _file_reply(self.ontology_docs, path.removeprefix(folder))
        params = _query_string(environ)
        if choose(DESCRIPTIONS, environ.get("HTTP_ACCEPT"), _single(params, "format")) is not HTML:
            return None
        if path == ONTOLOGY_PATH:
            return Reply(303, TEXT, b"", {"Location": folder, "Vary": "Accept"})
        return _file_reply(self.ontology_docs, "index.html")


def _request(environ: Environ, params: dict[str, list[str]], op: str, **fields: Any) -> Message:
    return {
        "op": op,
        "accept": environ.get("HTTP_ACCEPT"),
        "format": _single(params, "format"),
        **fields,
    }


def _query_string(environ: Environ) -> dict[str, list[str]]:
    # WSGI hands the raw query string over as latin-1: recover the client's bytes first.
    raw = environ.get("QUERY_STRING", "").encode("latin-1").decode("utf-8", "replace")
    return parse_qs(raw, keep_blank_values=True, max_num_fields=_MAX_FIELDS)


def _single(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name, [])
    if len(values) > 1:
        raise HttpError(400, f"the parameter '{name}' is given {len(values)} times; give it once")
    return values[0] if values else None


def _read_body(environ: Environ, limit: int) -> str:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise HttpError(400, "the Content-Length header is not a number") from None
    if length > limit:
        raise HttpError(413, f"the request body is {length:,} bytes; at most {limit:,} are read")
    try:
        return environ["wsgi.input"].read(length).decode("utf-8")
    except UnicodeDecodeError:
        raise HttpError(400, "the request body is not UTF-8 text") from None


def _base_url(environ: Environ) -> str:
    host = environ.get("HTTP_HOST", "")
    if not _HOST.match(host):
        host = f"{environ['SERVER_NAME']}:{environ['SERVER_PORT']}"
    return f"{environ['wsgi.url_scheme']}://{host}"


def _file_reply(root: Path, relative: str) -> Reply | None:
    """A file under root, or None (never a file outside it)."""
    base = root.resolve()
    target = (base / relative).resolve()
    if not target.is_relative_to(base) or not target.is_file():
        return None
    content_type = _STATIC_TYPES.get(target.suffix, "application/octet-stream")
    return Reply(200, content_type, target.read_bytes(), {"Cache-Control": "public, max-age=3600"})


def _not_found(path: str) -> Reply:
    return text_reply(404, f"nothing at {path}")


def _html(text: str) -> Reply:
    return Reply(200, HTML.content_type, text.encode())


def _listing_entry(query: CannedQuery) -> dict[str, Any]:
    return {
        "name": query.name,
        "title": query.title,
        "question": query.question,
        "note": query.note,
        "parameters": [_parameter_entry(p) for p in query.parameters],
        "url": f"/queries/{query.name}",
        "paging": [_parameter_entry(p) for p in PAGING],
        "sparql": query.sparql,
    }


def _parameter_entry(param: Parameter) -> dict[str, str | None]:
    return {
        "name": param.name,
        "type": param.type,
        "default": param.default,
        "description": param.description,
    }


def _listing_page(queries: dict[str, CannedQuery]) -> str:
    rows = []
    for q in queries.values():
        params = "".join(
            f"<li><code>{escape(p.name)}</code> ({escape(p.type)}"
            + (f", default {escape(p.default)}" if p.default else ", required")
            + f") {escape(p.description)}</li>"
            for p in q.parameters
        )
        formats = " · ".join(
            f'<a href="/queries/{quote(q.name)}?format={f}">{f.upper()}</a>'
            for f in ("csv", "json", "tsv", "xml")
        )
        rows.append(
            f"<tr><th><code>{escape(q.name)}</code></th><td><strong>{escape(q.title)}</strong>"
            f"<br>{escape(q.question)}"
            + (f"<br><em>{escape(q.note)}</em>" if q.note else "")
            + (f"<ul>{params}</ul>" if params else "")
            + f"</td><td>{formats}</td></tr>"
        )
    return page(
        "Canned queries",
        "<h1>Canned queries</h1><p>Each runs at <code>/queries/NAME</code> with its parameters "
        "in the query string (e.g. <code>?as_of=2027-01-15</code>) and <code>format=</code> "
        "csv, json, tsv or xml (or an Accept header). Every one also takes "
        "<code>limit</code> and <code>offset</code> (non-negative integers) to read its rows a "
        "page at a time. The query page has one tab for each.</p>"
        f'<table class="listing">{"".join(rows)}</table>',
    )
