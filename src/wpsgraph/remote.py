"""A SPARQL 1.1 server as a Store (the protocol in store.py): Oxigraph server, Virtuoso, Fuseki or
a `wpsgraph serve`. Queries and updates go through SPARQLWrapper, graphs are written through the
Graph Store Protocol (or SPARQL Update); every request has a timeout, a descriptive User-Agent
and, when the environment gives them, credentials (never taken from the command line, never
printed).

An answer is returned only when it is whole: a body that does not parse (a server that failed
after HTTP 200, as Oxigraph does when a query times out mid-stream, or that died mid-answer), a
row cap reported only in a header (Virtuoso's X-SPARQL-MaxRows), a page where results were
expected: each is an error, never a partial answer."""

from __future__ import annotations

import ast
import base64
import http.client
import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid
import warnings
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from email.message import Message
from enum import StrEnum
from typing import IO, NoReturn

import pyoxigraph as ox
import SPARQLWrapper as sparqlwrapper
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from SPARQLWrapper import SPARQLExceptions

from wpsgraph import __version__
from wpsgraph.errors import QueryError, StoreError
from wpsgraph.rdfsource import FORMAT_BY_MEDIA_TYPE
from wpsgraph.sparql_text import graph_query, query_form, sparql_iri, substitute
from wpsgraph.store import (
    OxigraphStore,
    QueryResult,
    ResultsDocument,
    SelectResult,
    Term,
    as_nquads,
    check_select_format,
    rdflib_graph,
    serialized_graphs,
    serialized_results,
)

ENV_USER = "WPSGRAPH_ENDPOINT_USER"
ENV_PASSWORD = "WPSGRAPH_ENDPOINT_PASSWORD"
ENV_AUTH = "WPSGRAPH_ENDPOINT_AUTH"  # basic (default) or digest
ENV_REALM = "WPSGRAPH_ENDPOINT_REALM"  # digest only; Virtuoso's is SPARQL
ENV_TIMEOUT = "WPSGRAPH_ENDPOINT_TIMEOUT"  # seconds a server may stay silent
DEFAULT_TIMEOUT_S = 60
DEFAULT_REALM = "SPARQL"
USER_AGENT = (
    f"wpsgraph/{__version__} (https://w3id.org/wpsgraph; SPARQL client) "
    f"SPARQLWrapper/{sparqlwrapper.__version__}"
)
# A query longer than this once URL-encoded goes by POST: servers refuse long URLs (414).
GET_LIMIT = 2000
# Graphs are staged under fresh names: urn:uuid: names are nobody's data.
_STAGING = "urn:uuid:"
_RESULTS_TYPES = ("application/sparql-results+json", "application/json")
_RDF_TYPES = ("text/turtle", "application/turtle", "application/x-turtle", "application/n-triples")
# Virtuoso 7 answers ASK in JSON as a one-column SELECT of this variable (1 or no row).
_VIRTUOSO_ASK = "__ASK_RETVAL"
_CAP_HEADER = "X-SPARQL-MaxRows"
# Virtuoso 7.2.5 keeps every row of FILTER(!COALESCE(boolean, false)) and none of
# FILTER(COALESCE(boolean, false)): the answer would be wrong, so such a query is not sent.
_VIRTUOSO_WRONG = re.compile(r"!\s*\(*\s*COALESCE\s*\(", re.IGNORECASE)
_DETAIL_CHARS = 300
# Graphs moved per update. Each update is one transaction on Oxigraph, whose cost grows faster
# than its size: 100 MOVEs took 0.9 s, 1,000 in one update more than 60 s.
SWAP_GRAPHS = 50
# Graphs per Oxigraph Graph Store request when they are written in place (N-Quads): 1,000
# graphs in 20s, 100s or one request took 4-5 s alike.
WRITE_GRAPHS = 100


class Server(StrEnum):
    """The servers whose update and Graph Store URLs wpsgraph derives from the query URL."""

    OXIGRAPH = "Oxigraph server"
    VIRTUOSO = "Virtuoso"
    FUSEKI = "Apache Jena Fuseki"
    WPSGRAPH = "wpsgraph serve"
    OTHER = "SPARQL server"


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str = ""
    digest: bool = False
    realm: str = DEFAULT_REALM

    @classmethod
    def from_environment(cls) -> Credentials | None:
        user = os.environ.get(ENV_USER)
        if not user:
            return None
        scheme = os.environ.get(ENV_AUTH, "basic").lower()
        if scheme not in ("basic", "digest"):
            raise StoreError(f"{ENV_AUTH}={scheme}: expected basic or digest")
        return cls(
            user,
            os.environ.get(ENV_PASSWORD, ""),
            digest=scheme == "digest",
            realm=os.environ.get(ENV_REALM, DEFAULT_REALM),
        )

    def __repr__(self) -> str:  # never show the password, even in a debugger or a log
        return f"Credentials(user={self.user!r}, digest={self.digest})"


@dataclass(frozen=True)
class Endpoints:
    query: str
    update: str | None = None
    graph_store: str | None = None


def timeout_from_environment() -> float:
    text = os.environ.get(ENV_TIMEOUT)
    if text is None:
        return DEFAULT_TIMEOUT_S
    try:
        seconds = float(text)
    except ValueError:
        seconds = 0
    if seconds < 1:
        raise StoreError(f"{ENV_TIMEOUT}={text}: expected a number of seconds, at least 1")
    return seconds


def server_kind(server_header: str | None) -> Server:
    """The server, from its HTTP Server header (Oxigraph/0.5.13, Virtuoso/07.20.3229 ...)."""
    header = (server_header or "").lower()
    for kind, marker in (
        (Server.OXIGRAPH, "oxigraph"),
        (Server.VIRTUOSO, "virtuoso"),
        (Server.FUSEKI, "fuseki"),
        (Server.WPSGRAPH, "wpsgraph"),
    ):
        if marker in header:
            return kind
    return Server.OTHER


def derived_endpoints(kind: Server, query_url: str, *, authenticated: bool) -> Endpoints:
    """The update and Graph Store URLs each server has beside its query URL: Oxigraph's
    /query -> /update, /store; Fuseki's /DATASET/sparql -> /DATASET/update, /DATASET/data;
    Virtuoso's /sparql -> /sparql-auth, /sparql-graph-crud-auth (digest) when credentials are
    given, else /sparql, /sparql-graph-crud. A wpsgraph serve is read-only."""
    parts = urllib.parse.urlsplit(query_url)
    beside = parts._replace(query="", fragment="").geturl().rsplit("/", 1)[0]
    root = parts._replace(path="", query="", fragment="").geturl()
    if kind is Server.OXIGRAPH:
        return Endpoints(query_url, f"{beside}/update", f"{beside}/store")
    if kind is Server.FUSEKI:
        return Endpoints(query_url, f"{beside}/update", f"{beside}/data")
    if kind is Server.VIRTUOSO:
        suffix = "-auth" if authenticated else ""
        return Endpoints(query_url, f"{root}/sparql{suffix}", f"{root}/sparql-graph-crud{suffix}")
    return Endpoints(query_url)


@dataclass
class _Answer:
    url: str
    headers: Message
    body: bytes


class RemoteStore:
    """A SPARQL 1.1 server behind the Store protocol. Queries run over the union of its graphs
    (Oxigraph is asked to, with union-default-graph; Virtuoso does by default; Fuseki must be
    configured so, see the README). Each named graph is written so that a reader sees it whole
    (replace_serialized)."""

    def __init__(
        self,
        endpoints: Endpoints,
        kind: Server,
        *,
        read_only: bool = False,
        timeout: float = DEFAULT_TIMEOUT_S,
        credentials: Credentials | None = None,
    ) -> None:
        self.endpoints = endpoints
        self.kind = kind
        self.read_only = read_only
        self.timeout = timeout
        self._credentials = credentials
        self._opener = _opener(credentials, endpoints)

    @classmethod
    def open(
        cls,
        endpoint: str,
        *,
        update_endpoint: str | None = None,
        graph_store: str | None = None,
        read_only: bool = False,
    ) -> RemoteStore:
        """Connect to the server whose query URL is endpoint (one request, which tells which
        server it is), with the timeout and credentials the environment gives."""
        for url in (endpoint, update_endpoint, graph_store):
            if url is not None:
                _check_url(url)
        credentials = Credentials.from_environment()
        timeout = timeout_from_environment()
        probing = cls(Endpoints(endpoint), Server.OTHER, timeout=timeout, credentials=credentials)
        kind = server_kind(probing._probe().headers.get("Server"))
        derived = derived_endpoints(kind, endpoint, authenticated=credentials is not None)
        return cls(
            Endpoints(
                endpoint, update_endpoint or derived.update, graph_store or derived.graph_store
            ),
            kind,
            read_only=read_only,
            timeout=timeout,
            credentials=credentials,
        )

    # Reading

    def query(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> QueryResult:
        form = query_form(sparql)
        text = substitute(sparql, bindings or {})
        if form == "SELECT":
            return _select_result(self._results(text))
        if form == "ASK":
            return _boolean(self._results(text), self.endpoints.query)
        return rdflib_graph(self._triples(text))

    def select_results(
        self,
        sparql: str,
        fmt: str,
        bindings: Mapping[str, Term] | None = None,
        drop: Collection[str] = (),
    ) -> bytes:
        """The server's SPARQL JSON (a truncated JSON document cannot parse, where truncated
        CSV can look whole), in SPARQL 1.1 CSV or compact JSON."""
        check_select_format(fmt)
        if query_form(sparql) != "SELECT":
            raise QueryError("not a SELECT query: only SELECT queries give rows")
        document = _normalized(self._results(substitute(sparql, bindings or {})))
        return serialized_results(document, fmt, drop)

    def named_graphs(self) -> list[URIRef]:
        # GRAPH ?g {} lists the graphs without reading them; Virtuoso answers it with no row.
        pattern = "{}" if self.kind is Server.OXIGRAPH else "{ ?s ?p ?o }"
        result = self.query(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {pattern} }}")
        assert isinstance(result, SelectResult)
        return sorted(URIRef(row["g"]) for row in result.rows if isinstance(row["g"], URIRef))

    def graph(self, name: URIRef) -> Graph:
        result = self.query(graph_query(name))
        assert isinstance(result, Graph)
        return result

    def is_empty(self) -> bool:
        return not self._ask("ASK { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }")

    def __len__(self) -> int:
        """The quads in named graphs (where wpsgraph writes; Virtuoso's default graph is their
        union, so counting it would count them twice)."""
        result = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert isinstance(result, SelectResult)
        return int(result.rows[0]["n"] or 0)

    def export(self, out: IO[bytes], fmt: str) -> None:
        """Every named graph, read one at a time (small answers, under any server's row cap),
        gathered in memory and written as the embedded store writes them. Nothing is written
        unless every graph was read whole."""
        copy = OxigraphStore.open(None)
        try:
            for name in self.named_graphs():
                graph = ox.NamedNode(name)
                # Each answer's blank nodes are its own: servers may label them _:b0 in every one.
                triples = self._triples(graph_query(name), rename_blank_nodes=True)
                copy.add_quads(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)
            copy.export(out, fmt)
        finally:
            copy.close()

    # Writing

    def replace_graphs(self, graphs: Mapping[URIRef, Graph]) -> None:
        self.replace_serialized(serialized_graphs(graphs))

    def replace_serialized(self, graphs: Mapping[URIRef, bytes]) -> None:
        """Replace each named graph by the given N-Triples so that a reader sees it whole, old
        or new. A graph the server holds is staged under a fresh name, counted, then moved over
        its target (MOVE, SWAP_GRAPHS per update). A graph it does not hold yet has nothing to
        protect: on Oxigraph, whose Graph Store writes are transactions that refuse a broken body
        whole, it is written in place (a third of the work of staging and moving), then counted.
        Any failure before the moves drops what was written: the store is as it was; a failure
        during the moves leaves each graph old or new."""
        if not graphs:
            return
        update = self._update_url()
        in_place = self._absent(graphs) if self.kind is Server.OXIGRAPH else []
        staged = {n: URIRef(f"{_STAGING}{uuid.uuid4()}") for n in graphs if n not in in_place}
        written = {name: graphs[name] for name in in_place}
        written.update({temporary: graphs[target] for target, temporary in staged.items()})
        expected = {name: triple_count(body) for name, body in written.items()}
        try:
            self._write(written)
            self._check_counts(expected)
            targets = list(staged)
            for start in range(0, len(targets), SWAP_GRAPHS):
                part = {target: staged[target] for target in targets[start : start + SWAP_GRAPHS]}
                self._update(update, swap_update(part, expected))
        except BaseException:
            self._drop_quietly(update, list(written))
            raise

    def bulk_add(self, graphs: Mapping[URIRef, bytes]) -> None:
        """No faster path that keeps readers safe: written as replace_serialized writes."""
        self.replace_serialized(graphs)

    def clear(self) -> None:
        """Empty the store. The loader calls it only after a failed load into a store that was
        empty when the load began (Virtuoso's own graphs make it never empty)."""
        self._update(self._update_url(), "DROP ALL")

    def optimize(self) -> None:
        """Nothing to do from a client (Oxigraph server is compacted by `oxigraph optimize`)."""

    def close(self) -> None:
        """Each request has its own connection: nothing is held."""

    # Requests

    def _probe(self) -> _Answer:
        """One small query, to fail early on a URL that is not a SPARQL query endpoint and to
        learn which server answers."""
        answer = self._request(self.endpoints.query, "ASK {}", _RESULTS_TYPES)
        _parsed_results(answer)
        return answer

    def _ask(self, sparql: str) -> bool:
        return _boolean(self._results(sparql), self.endpoints.query)

    def _results(self, sparql: str) -> ResultsDocument:
        return _parsed_results(self._request(self.endpoints.query, sparql, _RESULTS_TYPES))

    def _triples(self, sparql: str, *, rename_blank_nodes: bool = False) -> list[ox.Quad]:
        answer = self._request(self.endpoints.query, sparql, _RDF_TYPES)
        _check_not_capped(answer)
        content_type = answer.headers.get_content_type()
        # Types it does not know (application/turtle, text/plain N-Triples) are read as Turtle.
        try:
            return list(
                ox.parse(
                    answer.body,
                    format=FORMAT_BY_MEDIA_TYPE.get(content_type, ox.RdfFormat.TURTLE),
                    rename_blank_nodes=rename_blank_nodes,
                )
            )
        except (SyntaxError, ValueError) as exc:
            _broken_off(answer, f"RDF ({content_type})", exc)

    def _request(self, url: str, sparql: str, accept: tuple[str, ...]) -> _Answer:
        if self.kind is Server.VIRTUOSO and _VIRTUOSO_WRONG.search(sparql):
            raise QueryError(
                "Virtuoso evaluates a negated COALESCE in a FILTER wrongly (checked on 7.2.5), "
                "so the answer would be wrong; to validate, export the store and validate the "
                "file: wpsgraph export --endpoint URL --format nt -o copy.nt && "
                "wpsgraph validate copy.nt"
            )
        wrapper = self._wrapper(url)
        _set_text(wrapper, sparql, query_form(sparql))
        wrapper.addCustomHttpHeader("Accept", ", ".join(accept))
        if self.kind is Server.OXIGRAPH:
            wrapper.addParameter("union-default-graph", "")
        if len(urllib.parse.quote_plus(sparql)) > GET_LIMIT:
            wrapper.setMethod(sparqlwrapper.POST)
        answer = self._send(url, wrapper)
        _check_type(answer, accept)
        return answer

    def _update(self, url: str, sparql: str) -> None:
        wrapper = self._wrapper(url)
        wrapper.updateEndpoint = url
        _set_text(wrapper, sparql, sparqlwrapper.INSERT)  # any update form: sent as an update
        wrapper.setMethod(sparqlwrapper.POST)
        wrapper.setRequestMethod(sparqlwrapper.POSTDIRECTLY)
        self._send(url, wrapper)

    def _wrapper(self, url: str) -> sparqlwrapper.SPARQLWrapper:
        wrapper = sparqlwrapper.SPARQLWrapper(url, agent=USER_AGENT)
        wrapper.setTimeout(self.timeout)
        wrapper.setOnlyConneg(True)  # no format=/output= parameters: the Accept header says it
        if self._credentials:
            wrapper.setCredentials(
                self._credentials.user, self._credentials.password, self._credentials.realm
            )
            digest = self._credentials.digest
            wrapper.setHTTPAuth(sparqlwrapper.DIGEST if digest else sparqlwrapper.BASIC)
        return wrapper

    def _send(self, url: str, wrapper: sparqlwrapper.SPARQLWrapper) -> _Answer:
        with self._http_errors(url):
            result = wrapper.query()
            response = result.response
            return _Answer(url, response.headers, response.read())

    def _write(self, graphs: Mapping[URIRef, bytes]) -> None:
        """Write N-Triples into named graphs the server does not hold: on Oxigraph, WRITE_GRAPHS
        per Graph Store request (N-Quads, one transaction each); elsewhere one Graph Store PUT
        per graph, or INSERT DATA where no Graph Store URL is known."""
        names = list(graphs)
        if self.kind is Server.OXIGRAPH and self.endpoints.graph_store is not None:
            for start in range(0, len(names), WRITE_GRAPHS):
                part = {name: graphs[name] for name in names[start : start + WRITE_GRAPHS]}
                self._send_graph_store(None, as_nquads(part), "application/n-quads", "POST")
            return
        for name in names:
            if self.endpoints.graph_store is None:
                body = graphs[name].decode("utf-8")
                self._update(
                    self._update_url(), f"INSERT DATA {{ GRAPH {sparql_iri(name)} {{\n{body}\n}} }}"
                )
            else:
                # N-Triples is Turtle, the one format every Graph Store accepts.
                self._send_graph_store(name, graphs[name], "text/turtle; charset=utf-8", "PUT")

    def _send_graph_store(
        self, graph: URIRef | None, body: bytes, content_type: str, method: str
    ) -> None:
        url = self.endpoints.graph_store or ""
        if graph is not None:
            url = f"{url}?{urllib.parse.urlencode({'graph': str(graph)})}"
        request = urllib.request.Request(url, data=body, method=method)
        request.add_header("Content-Type", content_type)
        self._open(request)

    def _counts(self, names: Collection[URIRef]) -> dict[URIRef, int]:
        """The triples in each of these named graphs (0 where the server holds no such graph)."""
        values = " ".join(sparql_iri(name) for name in names)
        counted = self.query(
            f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} "
            "GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        )
        assert isinstance(counted, SelectResult)
        found = {row["g"]: int(row["n"] or 0) for row in counted.rows}
        return {name: found.get(name, 0) for name in names}

    def _absent(self, names: Collection[URIRef]) -> list[URIRef]:
        return [name for name, count in self._counts(names).items() if not count]

    def _check_counts(self, expected: Mapping[URIRef, int]) -> None:
        """Each written graph holds exactly the triples sent (Virtuoso can keep part of a body
        it could not parse)."""
        for name, count in self._counts(expected).items():
            if count != expected[name]:
                raise StoreError(
                    f"{self.endpoints.graph_store or self.endpoints.update}: a written graph holds "
                    f"{count} triples where {expected[name]} were sent; nothing was replaced"
                )

    def _drop_quietly(self, update: str, names: Collection[URIRef]) -> None:
        """Best effort after a failure: the failure itself is what the caller reports."""
        with suppress(StoreError):
            self._update(update, " ;\n".join(f"DROP SILENT GRAPH {sparql_iri(n)}" for n in names))

    def _update_url(self) -> str:
        if self.read_only:
            raise StoreError(f"{self.endpoints.query}: opened read-only")
        if self.kind is Server.WPSGRAPH:
            raise StoreError(f"{self.endpoints.query}: a wpsgraph serve endpoint is read-only")
        if self.endpoints.update is None:
            raise StoreError(
                f"{self.endpoints.query}: cannot tell the update URL of this {self.kind.value}: "
                "give --update-endpoint (and --graph-store)"
            )
        return self.endpoints.update

    def _open(self, request: urllib.request.Request) -> bytes:
        request.add_header("User-Agent", USER_AGENT)
        if self._credentials and not self._credentials.digest:
            request.add_header("Authorization", _basic_authorization(self._credentials))
        with (
            self._http_errors(request.full_url),
            self._opener.open(request, timeout=self.timeout) as response,
        ):
            return response.read()

    @contextmanager
    def _http_errors(self, url: str) -> Iterator[None]:
        """Every way a request can fail, as one line naming the URL and what was expected."""
        shown = _shown_url(url)
        try:
            yield
        except SPARQLExceptions.QueryBadFormed as exc:
            raise QueryError(f"{shown} refused the query (HTTP 400): {_detail(exc)}") from None
        except SPARQLExceptions.EndPointNotFound:
            raise StoreError(
                f"{shown}: not found (HTTP 404): expected the URL of a SPARQL endpoint"
            ) from None
        except SPARQLExceptions.Unauthorized:
            raise StoreError(_unauthorized(shown, 401)) from None
        except SPARQLExceptions.EndPointInternalError as exc:
            raise StoreError(f"{shown}: the server failed (HTTP 500): {_detail(exc)}") from None
        except SPARQLExceptions.SPARQLWrapperException as exc:  # 414: never sent, long is POST
            raise StoreError(f"{shown}: {exc.msg}: {_detail(exc)}") from None
        except urllib.error.HTTPError as exc:
            raise StoreError(_http_error(shown, exc)) from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError):
                raise StoreError(f"{shown}: no answer within {self.timeout:g} s") from None
            why = getattr(reason, "strerror", None) or reason
            raise StoreError(f"cannot reach {shown} (expected a SPARQL server): {why}") from None
        except TimeoutError:
            raise StoreError(f"{shown}: no answer within {self.timeout:g} s") from None
        except (http.client.HTTPException, ConnectionError) as exc:
            raise StoreError(
                f"{shown}: the connection broke off mid-answer ({type(exc).__name__}); "
                "no partial result is used"
            ) from None


def _set_text(wrapper: sparqlwrapper.SPARQLWrapper, sparql: str, form: str) -> None:
    """The request's text, and its form as wpsgraph read it: SPARQLWrapper guesses the form from
    the first keyword it finds, comments included (a canned query's header saying "Add a name"
    made a SELECT an update), and the form decides where and how the text is sent."""
    with warnings.catch_warnings():  # it warns about the forms it cannot guess
        warnings.simplefilter("ignore", RuntimeWarning)
        wrapper.setQuery(sparql)
    wrapper.queryType = form


def triple_count(ntriples: bytes) -> int:
    """The triples of an N-Triples document (one per line; a set holds each triple once)."""
    return len({line for line in ntriples.splitlines() if line.strip()})


def swap_update(staged: Mapping[URIRef, URIRef], counts: Mapping[URIRef, int]) -> str:
    """One update that moves each staged graph over its target (MOVE drops the target first);
    a graph with no triple is not staged by every server, so its target is dropped instead."""
    return " ;\n".join(
        f"MOVE {sparql_iri(temporary)} TO {sparql_iri(target)}"
        if counts[temporary]
        else f"DROP SILENT GRAPH {sparql_iri(target)} ; DROP SILENT GRAPH {sparql_iri(temporary)}"
        for target, temporary in staged.items()
    )


def _check_url(url: str) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise StoreError(f"{url}: expected an http:// or https:// URL of a SPARQL endpoint")
    if parts.username or parts.password:
        raise StoreError(
            f"{_shown_url(url)}: credentials in a URL end up in shell history and logs: "
            f"set {ENV_USER} and {ENV_PASSWORD} instead"
        )


def _shown_url(url: str) -> str:
    """The URL without credentials and query string (a query, or a graph name, makes messages
    long)."""
    parts = urllib.parse.urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return parts._replace(netloc=host, query="", fragment="").geturl()


def _opener(credentials: Credentials | None, endpoints: Endpoints) -> urllib.request.OpenerDirector:
    """For Graph Store requests: digest answers the server's challenge, for this server's URLs
    only; basic is sent up front (_open)."""
    if credentials is None or not credentials.digest:
        return urllib.request.build_opener()
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    for url in (endpoints.query, endpoints.update, endpoints.graph_store):
        if url is not None:
            passwords.add_password(None, url, credentials.user, credentials.password)
    return urllib.request.build_opener(urllib.request.HTTPDigestAuthHandler(passwords))


def _basic_authorization(credentials: Credentials) -> str:
    token = base64.b64encode(f"{credentials.user}:{credentials.password}".encode()).decode()
    return f"Basic {token}"


def _unauthorized(shown: str, code: int) -> str:
    return (
        f"{shown}: not authorized (HTTP {code}): set {ENV_USER} and {ENV_PASSWORD} "
        f"({ENV_AUTH}=digest for Virtuoso)"
    )


def _http_error(shown: str, exc: urllib.error.HTTPError) -> str:
    if exc.code in (401, 403):
        return _unauthorized(shown, exc.code)
    body = exc.read() if exc.fp is not None else b""
    detail = _one_line(body.decode("utf-8", "replace")) or exc.reason
    return f"{shown}: HTTP {exc.code}: {detail}"


def _detail(exc: SPARQLExceptions.SPARQLWrapperException) -> str:
    """The server's own message: SPARQLWrapper keeps it only as the repr of the body's bytes."""
    _, _, response = str(exc).partition("Response:\n")
    try:
        body = ast.literal_eval(response)
    except (ValueError, SyntaxError):
        body = response
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    return _one_line(str(body)) or exc.msg


def _one_line(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= _DETAIL_CHARS else line[: _DETAIL_CHARS - 1] + "…"


def _check_type(answer: _Answer, accept: tuple[str, ...]) -> None:
    content_type = answer.headers.get_content_type()
    if content_type not in accept and not (
        content_type == "text/plain" and accept is _RDF_TYPES  # N-Triples, as old servers say
    ):
        raise StoreError(
            f"{_shown_url(answer.url)} answered {content_type}, expected {accept[0]}: "
            "is this the query URL of a SPARQL endpoint?"
        )


def _parsed_results(answer: _Answer) -> ResultsDocument:
    _check_not_capped(answer)
    try:
        document = json.loads(answer.body)
    except (ValueError, UnicodeDecodeError) as exc:
        _broken_off(answer, "SPARQL results JSON", exc)
    if not isinstance(document, dict) or not ("boolean" in document or "results" in document):
        raise StoreError(
            f"{_shown_url(answer.url)} answered JSON that is not SPARQL results "
            "(expected head and results, or boolean)"
        )
    return document


def _broken_off(answer: _Answer, expected: str, exc: Exception) -> NoReturn:
    """A body that does not parse after HTTP 200: the server failed while answering."""
    tail = _one_line(answer.body[-120:].decode("utf-8", "replace"))
    raise StoreError(
        f"{_shown_url(answer.url)}: the answer broke off after HTTP 200 (expected {expected}; "
        f"{_one_line(str(exc))[:80]}; it ends: '{tail}'); no partial result is used"
    )


def _check_not_capped(answer: _Answer) -> None:
    cap = answer.headers.get(_CAP_HEADER)
    if cap is not None:
        raise StoreError(
            f"{_shown_url(answer.url)} cut the answer at {cap} rows ({_CAP_HEADER}): raise the "
            "server's row limit (Virtuoso: ResultSetMaxRows) or ask for less "
            "(LIMIT/OFFSET); no partial result is used"
        )


def _boolean(document: ResultsDocument, url: str) -> bool:
    if "boolean" in document:
        return bool(document["boolean"])
    bindings = document.get("results", {}).get("bindings", [])
    if document.get("head", {}).get("vars") == [_VIRTUOSO_ASK]:
        return any(b.get(_VIRTUOSO_ASK, {}).get("value") not in (None, "0") for b in bindings)
    raise StoreError(f"{_shown_url(url)} answered an ASK query without a boolean")


def _normalized(document: ResultsDocument) -> ResultsDocument:
    """SPARQL 1.1 results JSON as the embedded engine writes it: terms typed uri, bnode or
    literal (Virtuoso still writes the 2008 draft's typed-literal), strings without datatype."""
    if "results" not in document:
        raise QueryError("not a SELECT query: only SELECT queries give rows")
    bindings = [
        {name: _normalized_term(term) for name, term in binding.items()}
        for binding in document["results"]["bindings"]
    ]
    return {"head": {"vars": list(document["head"]["vars"])}, "results": {"bindings": bindings}}


def _normalized_term(term: dict[str, str]) -> dict[str, str]:
    if term["type"] not in ("typed-literal", "literal"):
        return {"type": term["type"], "value": term["value"]}
    out = {"type": "literal", "value": term["value"]}
    if "xml:lang" in term:
        out["xml:lang"] = term["xml:lang"]
    elif term.get("datatype") not in (None, str(XSD.string), str(RDF.langString)):
        out["datatype"] = term["datatype"]
    return out


def _select_result(document: ResultsDocument) -> SelectResult:
    document = _normalized(document)
    variables = document["head"]["vars"]
    rows = [
        {v: _rdflib_term(binding[v]) if v in binding else None for v in variables}
        for binding in document["results"]["bindings"]
    ]
    return SelectResult(variables, rows)


def _rdflib_term(term: dict[str, str]) -> Term:
    if term["type"] == "uri":
        return URIRef(term["value"])
    if term["type"] == "bnode":
        return BNode(term["value"])
    if "xml:lang" in term:
        return Literal(term["value"], lang=term["xml:lang"])
    if "datatype" in term:
        return Literal(term["value"], datatype=URIRef(term["datatype"]))
    return Literal(term["value"])
