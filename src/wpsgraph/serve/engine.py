"""What a query process does with one request: check it, run it on the store and serialize the
answer, within the result cap. Everything here runs in a worker process, under the time limit."""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping, Sequence
from functools import lru_cache

from rdflib import URIRef

from wpsgraph.errors import QueryError, StoreError
from wpsgraph.jsonld import write_document
from wpsgraph.queries import CannedQuery, canned_results, check_read_only, require_held
from wpsgraph.serve import describe
from wpsgraph.serve.negotiation import (
    CSV,
    DESCRIPTIONS,
    GRAPHS,
    HTML,
    JSON,
    JSONLD,
    RESULTS,
    Format,
    choose,
)
from wpsgraph.serve.reply import HttpError, Reply, text_reply
from wpsgraph.serve.wire import Message
from wpsgraph.store import (
    Dataset,
    OxigraphStore,
    convert_results,
    csv_is_well_formed,
    sparql_csv,
)

# Status of an answer bigger than the result cap: the request was understood, its answer is
# more than this server hands out (never a truncated answer with a success status).
RESULT_TOO_LARGE = 422
CHECKED_QUERIES = 256
_UNION = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
_NAMED_GRAPH = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?graph { ?s ?p ?o } }"


class CappedBuffer:
    """A binary output that refuses to grow past the result cap: it is what bounds the memory
    an answer takes, since the engine writes into it as it serializes."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.data = bytearray()

    def write(self, chunk: bytes) -> int:
        if len(self.data) + len(chunk) > self.cap:
            raise too_large(self.cap)
        self.data += chunk
        return len(chunk)

    def flush(self) -> None:
        """Nothing to flush: the bytes stay in memory until the answer is sent."""


def too_large(cap: int) -> HttpError:
    return HttpError(
        RESULT_TOO_LARGE,
        f"the answer is larger than this server's result cap of {cap / 2**20:g} MiB: ask for "
        "less (LIMIT and OFFSET, or a narrower query)",
    )


class Engine:
    """Answers the server's requests from one store (held in memory, or read from disk)."""

    def __init__(
        self,
        store: OxigraphStore,
        named_graphs: Collection[URIRef],
        queries: Mapping[str, CannedQuery],
        max_result_bytes: int,
        services: Sequence[str] = (),
    ) -> None:
        self.store = store
        self.services = tuple(services)
        self.held_graphs = frozenset(named_graphs)
        self.queries = queries
        self.cap = max_result_bytes
        # rdflib's parser takes 15-50 ms per canned query: the same text (a query page tab, a
        # script's loop) is checked once per worker. Refusals raise, so they are not cached.
        self.query_form = lru_cache(maxsize=CHECKED_QUERIES)(self._check_read_only)

    def handle(self, request: Message) -> Reply:
        """The answer to one request; a user's mistake is an error reply, never an exception."""
        operations = {
            "sparql": self.sparql,
            "canned": self.canned,
            "describe": self.describe,
            "graph": self.graph,
        }
        try:
            return operations[request["op"]](request)
        except HttpError as exc:
            return exc.reply()
        except QueryError as exc:
            return text_reply(400, str(exc))
        except StoreError as exc:
            return text_reply(500, str(exc))

    def sparql(self, request: Message) -> Reply:
        """A query from a client: refused unless read-only and local, then run as written."""
        text = request["query"]
        form = self.query_form(text)
        fmt = _negotiate(RESULTS if form in ("SELECT", "ASK") else GRAPHS, request)
        dataset = Dataset(
            self._held_graphs(request.get("default_graphs", []), "default-graph-uri"),
            self._held_graphs(request.get("named_graphs", []), "named-graph-uri"),
        )
        out = self._written(
            fmt, lambda o: self.store.write_results(text, o, fmt.name, dataset=dataset)
        )
        if fmt is CSV and not csv_is_well_formed(bytes(out.data)):
            # The engine wrote an IRI holding a comma unquoted: write the CSV from its JSON.
            out = CappedBuffer(self.cap)
            self.store.write_results(text, out, JSON.name, dataset=dataset)
            return self._reply(fmt, sparql_csv(json.loads(out.data)))
        return self._reply(fmt, out.data)

    def canned(self, request: Message) -> Reply:
        """A canned query by name, its parameters typed and bound as on the command line."""
        query = self.queries[request["name"]]  # the server only sends names it lists
        fmt = _negotiate(RESULTS, request)
        params = request["params"]
        if fmt in (CSV, JSON):
            return self._reply(fmt, canned_results(self.store, query, params, fmt.name))
        answer = canned_results(self.store, query, params, JSON.name)
        return self._reply(fmt, convert_results(answer, JSON.name, fmt.name))

    def describe(self, request: Message) -> Reply:
        """One of our IRIs: a page for people, RDF for programs."""
        iri = request["iri"]
        if not describe.exists(self.store, iri):
            raise HttpError(404, f"nothing is known about <{iri}> here")
        fmt = _negotiate(DESCRIPTIONS, request)
        if fmt is HTML:
            return self._reply(fmt, describe.description_page(self.store, iri).encode())
        out = self._written(fmt, lambda o: describe.write_description(self.store, iri, o, fmt.name))
        return self._reply(fmt, out.data)

    def graph(self, request: Message) -> Reply:
        """Graph Store Protocol, read only: one named graph, or the default graph (the union)."""
        fmt = _negotiate(GRAPHS, request)
        iri = request.get("iri")
        if iri is None:
            out = self._written(fmt, lambda o: self.store.write_results(_UNION, o, fmt.name))
            return self._reply(fmt, out.data)
        if URIRef(iri) not in self.held_graphs:
            raise HttpError(404, f"the store holds no graph <{iri}>")
        bindings = {"graph": URIRef(iri)}
        out = self._written(
            fmt, lambda o: self.store.write_results(_NAMED_GRAPH, o, fmt.name, bindings)
        )
        return self._reply(fmt, out.data)

    def _written(self, fmt: Format, write: Callable[[CappedBuffer], None]) -> CappedBuffer:
        """What write puts into a capped buffer; JSON-LD compacted with the vocabulary's
        context, as the export writes it (the engine writes it expanded)."""
        out = CappedBuffer(self.cap)
        write(out)
        if fmt is not JSONLD:
            return out
        compacted = CappedBuffer(self.cap)
        write_document(compacted, [bytes(out.data)])
        return compacted

    def _check_read_only(self, text: str) -> str:
        return check_read_only(text, self.held_graphs, self.services)

    def _held_graphs(self, iris: list[str], parameter: str) -> tuple[URIRef, ...]:
        for iri in iris:
            require_held(iri, self.held_graphs, parameter)
        return tuple(URIRef(i) for i in iris)

    def _reply(self, fmt: Format, body: bytes | bytearray) -> Reply:
        if len(body) > self.cap:
            raise too_large(self.cap)
        return Reply(200, fmt.content_type, body, {"Vary": "Accept"})


def _negotiate(offered: Sequence[Format], request: Message) -> Format:
    return choose(offered, request.get("accept"), request.get("format"))
