"""The store behind one small interface: an embedded, persistent Oxigraph store by default, or a
SPARQL 1.1 server (wpsgraph.remote) through the same protocol."""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Identifier

from wpsgraph.errors import QueryError, StoreError
from wpsgraph.jsonld import write_document
from wpsgraph.vocab import PREFIXES

if TYPE_CHECKING:
    import pandas

Term = URIRef | BNode | Literal


@dataclass
class SelectResult:
    variables: list[str]
    rows: list[dict[str, Term | None]]

    def to_dataframe(self) -> pandas.DataFrame:
        """The rows as a pandas DataFrame (wpsgraph.frames; pip install wpsgraph[pandas])."""
        from wpsgraph.frames import to_dataframe

        return to_dataframe(self)


QueryResult = SelectResult | Graph | bool
# A SELECT's results as SPARQL 1.1 Query Results JSON, parsed: head.vars, results.bindings.
ResultsDocument = dict[str, Any]
SELECT_FORMATS = ("csv", "json")
# A SPARQL server's query URL, used instead of the embedded store when set (wpsgraph.remote).
ENDPOINT_ENV = "WPSGRAPH_ENDPOINT"
# What the engine writes, by the names wpsgraph uses: rows and booleans in a SPARQL results
# format, graphs (CONSTRUCT, DESCRIBE) in an RDF format.
RESULTS_SERIALIZATIONS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
GRAPH_SERIALIZATIONS = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}


@dataclass(frozen=True)
class Dataset:
    """The graphs a query reads, as the SPARQL protocol's default-graph-uri and named-graph-uri
    give them. Empty: the union of all graphs is the default graph, every graph is named."""

    default_graphs: tuple[URIRef, ...] = ()
    named_graphs: tuple[URIRef, ...] = ()


class Store(Protocol):
    """What the rest of wpsgraph needs from a store (the loader writes, everything else reads)."""

    def replace_graphs(self, graphs: Mapping[URIRef, Graph]) -> None:
        """Replace each named graph's content, all or nothing."""

    def replace_serialized(self, graphs: Mapping[URIRef, bytes]) -> None:
        """replace_graphs for graphs given as N-Triples."""

    def bulk_add(self, graphs: Mapping[URIRef, bytes]) -> None:
        """Add new graphs (N-Triples) fast, without a transaction."""

    def is_empty(self) -> bool: ...

    def clear(self) -> None: ...

    def optimize(self) -> None: ...

    def query(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> QueryResult:
        """Run a read-only query over the union of all graphs."""

    def select_results(
        self,
        sparql: str,
        fmt: str,
        bindings: Mapping[str, Term] | None = None,
        drop: Collection[str] = (),
    ) -> bytes:
        """Run a SELECT like query and return its results as SPARQL 1.1 CSV or JSON ("csv",
        "json"), leaving out the variables in drop."""

    def named_graphs(self) -> list[URIRef]: ...

    def graph(self, name: URIRef) -> Graph: ...

    def export(self, out: IO[bytes], fmt: str) -> None: ...

    def __len__(self) -> int: ...

    def close(self) -> None: ...


EXPORT_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "jsonld": ox.RdfFormat.JSON_LD,
}


class OxigraphStore:
    """An Oxigraph (RocksDB) store in a directory, or in memory when no directory is given."""

    def __init__(self, inner: ox.Store) -> None:
        self._store = inner

    @classmethod
    def open(cls, directory: Path | None, *, read_only: bool = False) -> OxigraphStore:
        if directory is None:
            return cls(ox.Store())
        if read_only:
            require_store(directory)
        try:
            if read_only:
                return cls(ox.Store.read_only(str(directory)))
            directory.mkdir(parents=True, exist_ok=True)
            return cls(ox.Store(str(directory)))
        except OSError as exc:
            raise StoreError(f"{directory}: cannot open the store: {exc}") from exc

    @classmethod
    def from_nquads(cls, stream: IO[bytes]) -> OxigraphStore:
        """A store in memory holding the quads read from stream (N-Quads, as export writes)."""
        inner = ox.Store()
        try:
            inner.bulk_load(stream, format=ox.RdfFormat.N_QUADS)
        except (OSError, SyntaxError, ValueError) as exc:
            raise StoreError(f"cannot read the store into memory: {exc}") from exc
        return cls(inner)

    def replace_graphs(self, graphs: Mapping[URIRef, Graph]) -> None:
        self.replace_serialized(serialized_graphs(graphs))

    def replace_serialized(self, graphs: Mapping[URIRef, bytes]) -> None:
        """Replace each named graph by the given N-Triples, all in one transaction: a reader sees
        each graph whole, old or new, and a failure leaves the store as it was. Graphs the store
        does not hold yet go through a transactional load (faster); as soon as one is held, the
        batch is one SPARQL update that drops and re-inserts every graph."""
        try:
            if any(self._store.contains_named_graph(ox.NamedNode(name)) for name in graphs):
                self._store.update(
                    " ;\n".join(
                        f"DROP SILENT GRAPH <{name}> ;\n"
                        f"INSERT DATA {{ GRAPH <{name}> {{\n{body.decode('utf-8')}\n}} }}"
                        for name, body in graphs.items()
                    )
                )
            elif graphs:
                self._store.load(as_nquads(graphs), format=ox.RdfFormat.N_QUADS)
        except (OSError, SyntaxError, ValueError) as exc:
            raise StoreError(f"cannot write to the store: {exc}") from exc

    def is_empty(self) -> bool:
        return next(iter(self._store.quads_for_pattern(None, None, None)), None) is None

    def bulk_add(self, graphs: Mapping[URIRef, bytes]) -> None:
        """Add graphs the store does not hold yet, bypassing transactions (several times faster
        than replace_serialized). Only for a store that was empty when the load began: the
        caller calls clear() if any bulk_add fails, which puts that store back as it was."""
        try:
            self._store.bulk_load(as_nquads(graphs), format=ox.RdfFormat.N_QUADS)
        except (OSError, SyntaxError, ValueError) as exc:
            raise StoreError(f"cannot write to the store: {exc}") from exc

    def add_quads(self, quads: Iterable[ox.Quad]) -> None:
        """bulk_add for quads the engine already holds as terms: nothing is serialized."""
        try:
            self._store.bulk_extend(quads)
        except (OSError, SyntaxError, ValueError) as exc:
            raise StoreError(f"cannot write to the store: {exc}") from exc

    def clear(self) -> None:
        self._store.clear()

    def optimize(self) -> None:
        """Compact the on-disk files after a bulk load."""
        self._store.optimize()

    def query(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> QueryResult:
        result = self._run(sparql, bindings)
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        if isinstance(result, ox.QuerySolutions):
            names = [v.value for v in result.variables]
            rows = [{n: (None if s[n] is None else to_rdflib(s[n])) for n in names} for s in result]
            return SelectResult(names, rows)
        return rdflib_graph(result)

    def select_results(
        self,
        sparql: str,
        fmt: str,
        bindings: Mapping[str, Term] | None = None,
        drop: Collection[str] = (),
    ) -> bytes:
        """Serialized by the engine, so no value becomes a Python term: its CSV when that is well
        formed (see sparql_csv), else CSV written from its JSON; JSON comes back compact."""
        check_select_format(fmt)
        solutions = self._select(sparql, bindings)
        # One column: the engine writes a row with no value as a blank line; write it from JSON.
        if fmt == "csv" and len(solutions.variables) > 1:
            data = _engine_csv(_serialize_solutions(solutions, ox.QueryResultsFormat.CSV), drop)
            if data is not None:
                return data
            solutions = self._select(sparql, bindings)  # an IRI holds a comma: rare, run again
        data = _serialize_solutions(solutions, ox.QueryResultsFormat.JSON)
        if fmt == "json" and not drop:
            return data
        return serialized_results(json.loads(data), fmt, drop)

    def write_results(
        self,
        sparql: str,
        out: IO[bytes],
        fmt: str,
        bindings: Mapping[str, Term] | None = None,
        dataset: Dataset | None = None,
    ) -> None:
        """Run a read-only query and write what the engine serializes into out, as it goes (out
        may refuse to grow by raising): rows and booleans in RESULTS_SERIALIZATIONS[fmt], graphs
        in GRAPH_SERIALIZATIONS[fmt]. The engine's CSV can be malformed (see sparql_csv):
        csv_is_well_formed tells."""
        result = self._run(sparql, bindings, dataset)
        graph = isinstance(result, ox.QueryTriples)
        formats = GRAPH_SERIALIZATIONS if graph else RESULTS_SERIALIZATIONS
        if fmt not in formats:
            kind = "a graph" if graph else "rows or a boolean"
            raise QueryError(f"the query gives {kind}, written as {', '.join(formats)}")
        # The engine evaluates lazily, while it serializes: its errors surface here.
        with engine_errors():
            if graph:
                ox.serialize(result, out, format=formats[fmt], prefixes=_PREFIX_IRIS)
            else:
                result.serialize(out, format=formats[fmt])

    def _select(self, sparql: str, bindings: Mapping[str, Term] | None) -> ox.QuerySolutions:
        solutions = self._run(sparql, bindings)
        if not isinstance(solutions, ox.QuerySolutions):
            raise QueryError("not a SELECT query: only SELECT queries give rows")
        return solutions

    def _run(
        self,
        sparql: str,
        bindings: Mapping[str, Term] | None,
        dataset: Dataset | None = None,
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        substitutions = {ox.Variable(k): to_oxigraph(v) for k, v in (bindings or {}).items()}
        graphs: dict[str, Any] = {"use_default_graph_as_union": True}
        if dataset and dataset.default_graphs:
            graphs = {"default_graph": [ox.NamedNode(g) for g in dataset.default_graphs]}
        if dataset and dataset.named_graphs:
            graphs["named_graphs"] = [ox.NamedNode(g) for g in dataset.named_graphs]
        with engine_errors():
            return self._store.query(sparql, substitutions=substitutions or None, **graphs)

    def named_graphs(self) -> list[URIRef]:
        return sorted(
            URIRef(g.value) for g in self._store.named_graphs() if isinstance(g, ox.NamedNode)
        )

    def graph(self, name: URIRef) -> Graph:
        return rdflib_graph(self._store.quads_for_pattern(None, None, None, ox.NamedNode(name)))

    def export(self, out: IO[bytes], fmt: str) -> None:
        rdf_format = EXPORT_FORMATS[fmt]
        if rdf_format is ox.RdfFormat.JSON_LD:
            write_document(out, self._expanded_graphs())
            return
        if rdf_format.supports_datasets:
            self._store.dump(out, format=rdf_format)
            return
        # Graph formats get the union of all graphs, each triple once: the engine streams it.
        union = self._store.query(
            "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True
        )
        ox.serialize(union, out, format=rdf_format, prefixes=_PREFIX_IRIS)

    def _expanded_graphs(self) -> Iterator[bytes]:
        """Each graph as the engine's expanded JSON-LD, one at a time (the default graph first,
        when it holds anything): compaction never holds the whole store."""
        graphs: list[ox.DefaultGraph | ox.NamedNode] = [ox.DefaultGraph()]
        graphs += [ox.NamedNode(name) for name in self.named_graphs()]
        for name in graphs:
            quads = self._store.quads_for_pattern(None, None, None, name)
            yield ox.serialize(quads, format=ox.RdfFormat.JSON_LD)

    def __len__(self) -> int:
        return len(self._store)

    def close(self) -> None:
        # Oxigraph releases the RocksDB lock when the last reference goes.
        del self._store


def require_store(directory: Path) -> None:
    """Fail with a one-line error unless directory holds a store (without opening it)."""
    if not (directory / "CURRENT").exists():
        raise StoreError(f"{directory}: no store here; run 'wpsgraph load' first")


_PREFIX_IRIS = {k: str(v) for k, v in PREFIXES.items()}


def serialized_graphs(graphs: Mapping[URIRef, Graph]) -> dict[URIRef, bytes]:
    """Each graph as N-Triples, as replace_serialized and bulk_add take them."""
    return {name: graph.serialize(format="nt", encoding="utf-8") for name, graph in graphs.items()}


def as_nquads(graphs: Mapping[URIRef, bytes]) -> bytes:
    """N-Triples documents -> one N-Quads document with each triple in its named graph. An
    N-Triples line ends with " ." and never holds a raw newline (literals escape them)."""
    parts = []
    for name, body in graphs.items():
        suffix = f" <{name}> .\n".encode()
        parts.append(
            b"".join(line.removesuffix(b" .") + suffix for line in body.splitlines() if line)
        )
    return b"".join(parts)


@contextmanager
def engine_errors() -> Iterator[None]:
    """The engine's errors as wpsgraph's: a bad or failing query, or an unreadable store."""
    try:
        yield
    except (SyntaxError, RuntimeError, ValueError) as exc:
        raise QueryError(f"the query failed: {exc}") from exc
    except OSError as exc:
        raise StoreError(f"cannot read the store: {exc}") from exc


def check_select_format(fmt: str) -> None:
    """Refuse a format select_results cannot write, before any query runs."""
    if fmt not in SELECT_FORMATS:
        raise ValueError(f"SELECT results are serialized as {', '.join(SELECT_FORMATS)}")


def serialized_results(document: ResultsDocument, fmt: str, drop: Collection[str]) -> bytes:
    """A SELECT's results without the variables in drop, as SPARQL 1.1 CSV or compact JSON
    (fmt checked by check_select_format)."""
    drop_variables(document, drop)
    if fmt == "csv":
        return sparql_csv(document)
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def drop_variables(document: ResultsDocument, drop: Collection[str]) -> None:
    if not drop:
        return
    document["head"]["vars"] = [v for v in document["head"]["vars"] if v not in drop]
    for binding in document["results"]["bindings"]:
        for name in drop:
            binding.pop(name, None)


def _serialize_solutions(solutions: ox.QuerySolutions, fmt: ox.QueryResultsFormat) -> bytes:
    # The engine evaluates lazily, while it serializes: its errors surface here.
    with engine_errors():
        return solutions.serialize(format=fmt)


def _engine_csv(data: bytes, drop: Collection[str]) -> bytes | None:
    """The engine's CSV as it is, or re-written without the dropped columns; None when a row has
    more fields than the header (an IRI holding a comma, see sparql_csv)."""
    rows = _csv_rows(data)
    if not _same_width(rows):
        return None
    if not drop:
        return data
    keep = [i for i, name in enumerate(rows[0]) if name not in drop]
    return _write_csv([row[i] for i in keep] for row in rows)


def csv_is_well_formed(data: bytes) -> bool:
    """Whether every row of the engine's CSV is as wide as its header (see sparql_csv)."""
    return _same_width(_csv_rows(data))


def _csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode(), newline="")))


def _same_width(rows: list[list[str]]) -> bool:
    return all(len(row) == len(rows[0]) for row in rows)


def convert_results(data: bytes, source: str, target: str) -> bytes:
    """SPARQL results re-serialized by the engine (source "json", "xml" or "tsv"; target any of
    RESULTS_SERIALIZATIONS)."""
    with engine_errors():
        parsed = ox.parse_query_results(data, format=RESULTS_SERIALIZATIONS[source])
        return parsed.serialize(format=RESULTS_SERIALIZATIONS[target])


def sparql_csv(document: ResultsDocument) -> bytes:
    """SPARQL 1.1 CSV: a header row, IRIs and lexical forms as they are, blank nodes as _:label,
    unbound as empty. The engine's CSV is the same but for two cases: it leaves an IRI holding a
    comma unquoted (one column becomes two) and writes a one-column row with no value as a blank
    line (which CSV readers skip) where this writes ""."""
    variables = document["head"]["vars"]
    bindings = document["results"]["bindings"]
    return _write_csv(
        itertools.chain([variables], ([_csv_field(b.get(v)) for v in variables] for b in bindings))
    )


def _write_csv(rows: Iterable[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode()


def _csv_field(term: dict[str, str] | None) -> str:
    if term is None:
        return ""
    return "_:" + term["value"] if term["type"] == "bnode" else term["value"]


def last_written(directory: Path) -> datetime | None:
    """When an on-disk store last took data: the newest of its tables and non-empty write-ahead
    logs (RocksDB's *.sst and *.log; its other files change whenever it is opened for writing).
    Opening the store for writing may also replay a log into a new table, so this can be later
    than the last change, never earlier. None for a folder that holds no store."""
    times = [
        path.stat().st_mtime
        for path in directory.glob("*")
        if path.suffix == ".sst" or (path.suffix == ".log" and path.stat().st_size > 0)
    ]
    return datetime.fromtimestamp(max(times), UTC) if times else None


@contextmanager
def open_store(
    location: Path | str | None,
    *,
    read_only: bool = False,
    update_endpoint: str | None = None,
    graph_store: str | None = None,
) -> Iterator[Store]:
    """The store at location: a URL is a SPARQL server's query URL (wpsgraph.remote;
    its update and Graph Store URLs are derived, or given); a directory is an embedded store;
    None is an embedded store in memory."""
    store: Store
    if isinstance(location, str) and "://" in location:
        from wpsgraph.remote import RemoteStore  # SPARQLWrapper only for remote stores

        store = RemoteStore.open(
            location,
            update_endpoint=update_endpoint,
            graph_store=graph_store,
            read_only=read_only,
        )
    elif update_endpoint or graph_store:
        raise StoreError("--update-endpoint and --graph-store need --endpoint (a server's URL)")
    else:
        store = OxigraphStore.open(
            None if location is None else Path(location), read_only=read_only
        )
    try:
        yield store
    finally:
        store.close()


def to_oxigraph(term: Identifier) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


# Predicates, classes and concepts recur in every evaluation: convert each term once.
engine_term = lru_cache(maxsize=1 << 16)(to_oxigraph)


def ntriples(triples: Iterable[tuple[Term, Term, Term]]) -> bytes:
    """Canonical N-Triples of rdflib-term triples, serialized by the engine (fast, exact)."""
    return _engine_serialized(triples, ox.RdfFormat.N_TRIPLES)


def expanded_jsonld(triples: Iterable[tuple[Term, Term, Term]]) -> bytes:
    """Expanded JSON-LD of rdflib-term triples, serialized by the engine (see jsonld.py)."""
    return _engine_serialized(triples, ox.RdfFormat.JSON_LD)


def _engine_serialized(triples: Iterable[tuple[Term, Term, Term]], fmt: ox.RdfFormat) -> bytes:
    return ox.serialize(
        (ox.Triple(engine_term(s), engine_term(p), engine_term(o)) for s, p, o in triples),
        format=fmt,
    )


def rdflib_graph(triples: Iterable[ox.Triple | ox.Quad]) -> Graph:
    """The engine's triples (or the triples of its quads) as an rdflib Graph."""
    graph = Graph()
    for t in triples:
        graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    return graph


def to_rdflib(term: object) -> Term:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"not an RDF term: {term!r}")
