"""Canned queries (queries/*.rq): discovery, header parsing, safe parameter binding, paging,
running. Also the read-only check for user-supplied SPARQL."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from wpsgraph.errors import QueryError
from wpsgraph.paths import QUERIES_DIR
from wpsgraph.store import SelectResult, Store

if TYPE_CHECKING:
    from rdflib.plugins.sparql.parserutils import CompValue

_HEADER_LINE = re.compile(r"^#\s?(?P<body>.*)$")
_FIELD = re.compile(r"^(?P<key>title|question|note|param):\s*(?P<value>.*)$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s+(?P<type>xsd:(?:date|string|integer))"
    r"(?:\s+default=(?P<default>\S+))?(?:\s+-\s+(?P<description>.*))?$"
)


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str  # xsd:date | xsd:string | xsd:integer
    default: str | None  # "today" means the current date
    description: str


# Every canned query takes these besides its own parameters, on every path (CLI, endpoint,
# Python): a page of its rows, in the order its ORDER BY gives.
PAGING = (
    Parameter("limit", "xsd:integer", None, "at most this many rows (a non-negative integer)"),
    Parameter("offset", "xsd:integer", "0", "skip this many rows first (a non-negative integer)"),
)
_PAGING_NAMES = frozenset(p.name for p in PAGING)
# 18 digits always fit the engines' 64-bit row counts.
_NON_NEGATIVE = re.compile(r"\d{1,18}")


@dataclass(frozen=True)
class CannedQuery:
    name: str
    title: str
    question: str
    note: str  # caveats for the reader, e.g. how missing values are shown
    parameters: tuple[Parameter, ...]
    sparql: str
    path: Path


@dataclass(frozen=True)
class Prepared:
    """A canned query ready to run: its text with the page applied, and its parameters as typed
    RDF terms for the store to substitute."""

    sparql: str
    bindings: dict[str, Literal]


def discover(directory: Path = QUERIES_DIR) -> dict[str, CannedQuery]:
    return {p.stem: load_query(p) for p in sorted(directory.glob("*.rq"))}


def load_query(path: Path) -> CannedQuery:
    text = path.read_text(encoding="utf-8")
    fields: dict[str, list[str]] = {"title": [], "question": [], "note": [], "param": []}
    current: list[str] | None = None
    for line in text.splitlines():
        match = _HEADER_LINE.match(line)
        if not match:
            break
        body = match.group("body")
        field_match = _FIELD.match(body)
        if field_match:
            current = fields[field_match.group("key")]
            current.append(field_match.group("value").strip())
        elif current is not None and body.strip():
            current[-1] += " " + body.strip()  # an indented continuation line
    if not fields["title"] or not fields["question"]:
        raise QueryError(f"{path}:1: the header needs '# title:' and '# question:' lines")
    return CannedQuery(
        name=path.stem,
        title=fields["title"][0],
        question=fields["question"][0],
        note=" ".join(fields["note"]),
        parameters=tuple(_parse_param(path, p) for p in fields["param"]),
        sparql=text,
        path=path,
    )


def _parse_param(path: Path, spec: str) -> Parameter:
    match = _PARAM.match(spec)
    if not match:
        raise QueryError(
            f"{path}: bad '# param:' line '{spec}': expected 'NAME xsd:TYPE [default=V] - text'"
        )
    if match.group("name") in _PAGING_NAMES:
        raise QueryError(
            f"{path}: '# param: {match.group('name')}' is reserved: every query takes "
            f"{' and '.join(sorted(_PAGING_NAMES))} for paging"
        )
    return Parameter(
        match.group("name"),
        match.group("type"),
        match.group("default"),
        match.group("description") or "",
    )


def prepare(
    query: CannedQuery, given: Mapping[str, str | int], today: date | None = None
) -> Prepared:
    """The query's text for the requested page and its bound parameters, from the values a user
    gave (strings, as typed on a command line or in a URL; integers also do from Python)."""
    return Prepared(page(query, given), bind_parameters(query, given, today))


def page(query: CannedQuery, given: Mapping[str, str | int]) -> str:
    """The query's text with LIMIT / OFFSET for the 'limit' and 'offset' given. SPARQL cannot
    bind a variable there, so they go into the text: only once validated as integers."""
    limit, offset = (_non_negative(query, name, given.get(name)) for name in ("limit", "offset"))
    clauses = [f"LIMIT {limit}" if limit is not None else "", f"OFFSET {offset}" if offset else ""]
    modifiers = " ".join(c for c in clauses if c)
    # A new line: the text may end in a comment.
    return f"{query.sparql.rstrip()}\n{modifiers}\n" if modifiers else query.sparql


def _non_negative(query: CannedQuery, name: str, raw: str | int | None) -> int | None:
    if raw is None:
        return None
    if not _NON_NEGATIVE.fullmatch(str(raw)):
        raise QueryError(
            f"{query.name}: parameter '{name}' expects a non-negative integer "
            f"(at most 18 digits), got '{raw}'"
        )
    return int(str(raw))


def bind_parameters(
    query: CannedQuery, given: Mapping[str, str | int], today: date | None = None
) -> dict[str, Literal]:
    """Typed RDF terms for the query's parameters. Values never enter the SPARQL text: the store
    substitutes them for the variables (SEP-0007). The paging parameters are page's."""
    known = {p.name: p for p in query.parameters}
    unknown = sorted(set(given) - set(known) - _PAGING_NAMES)
    if unknown:
        names = ", ".join([*known, *sorted(_PAGING_NAMES)])
        raise QueryError(f"{query.name}: unknown parameter(s) {', '.join(unknown)}; known: {names}")
    bound = {}
    for param in query.parameters:
        raw = given.get(param.name, param.default)
        if raw is None:
            raise QueryError(
                f"{query.name}: parameter '{param.name}' is required ({param.type}): "
                f"--param {param.name}=VALUE on the command line, ?{param.name}=VALUE over HTTP"
            )
        bound[param.name] = _typed(query.name, param, str(raw), today or date.today())
    return bound


def _typed(query: str, param: Parameter, raw: str, today: date) -> Literal:
    if param.type == "xsd:string":
        return Literal(raw)
    if param.type == "xsd:integer":
        if not re.fullmatch(r"[+-]?\d+", raw):
            raise QueryError(f"{query}: parameter '{param.name}' expects an integer, got '{raw}'")
        return Literal(int(raw))
    value = today if raw == "today" else _parse_date(query, param, raw)
    return Literal(value.isoformat(), datatype=XSD.date)


def _parse_date(query: str, param: Parameter, raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise QueryError(
            f"{query}: parameter '{param.name}' expects a date YYYY-MM-DD, got '{raw}'"
        ) from None


def run_canned(
    store: Store, query: CannedQuery, given: Mapping[str, str | int], today: date | None = None
) -> SelectResult:
    """Run a canned SELECT (one page of it when 'limit' or 'offset' is given); parameter columns
    (projected only so they can be substituted) are dropped from the result."""
    prepared = prepare(query, given, today)
    result = store.query(prepared.sparql, prepared.bindings)
    if not isinstance(result, SelectResult):
        raise QueryError(f"{query.path}: canned queries must be SELECT queries")
    variables = [v for v in result.variables if v not in prepared.bindings]
    rows = [{v: row[v] for v in variables} for row in result.rows]
    return SelectResult(variables, rows)


def canned_results(
    store: Store,
    query: CannedQuery,
    given: Mapping[str, str | int],
    fmt: str,
    today: date | None = None,
) -> bytes:
    """run_canned's rows serialized by the store as SPARQL 1.1 CSV or JSON (fmt "csv" or
    "json"), with no Python term made per value."""
    prepared = prepare(query, given, today)
    return store.select_results(
        prepared.sparql, fmt, prepared.bindings, drop=prepared.bindings.keys()
    )


def check_read_only(
    sparql: str, named_graphs: Collection[URIRef], services: Collection[str] = ()
) -> str:
    """Refuse updates, FROM of graphs the store does not hold (nothing is fetched), and SERVICE
    unless its endpoint is one of services, the operator's allow-list (--federate URL), compared
    as exact IRIs; a SERVICE whose endpoint is a variable is always refused. named_graphs is
    tested for membership as given: a server checking many queries passes a set.
    Returns the query form: SELECT, ASK, CONSTRUCT or DESCRIBE."""
    # rdflib's SPARQL grammar takes ~50 ms to import: only here, so 'wpsgraph query' skips it.
    from pyparsing import ParseException
    from rdflib.plugins.sparql.algebra import translatePrologue
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        parsed = parseQuery(sparql)
    except ParseException as exc:
        if _is_update(sparql):
            raise QueryError(
                "updates (INSERT, DELETE, LOAD, CLEAR, DROP ...) are refused: "
                "only read-only queries run on this store"
            ) from None
        raise QueryError(
            f"SPARQL syntax error at line {exc.lineno}, column {exc.col}: {exc.msg}"
        ) from None
    prologue = translatePrologue(parsed[0], None)
    for service in _found(parsed, "ServiceGraphPattern"):
        endpoint = prologue.absolutize(service.term)
        if not isinstance(endpoint, URIRef) or str(endpoint) not in services:
            raise QueryError(_service_refusal(endpoint, services))
    # CompValue.get returns the key itself when absent; attribute access returns None.
    for clause in parsed[1].datasetClause or []:
        iri = clause.default or clause.named
        if iri is not None:
            require_held(str(iri), named_graphs, "FROM")
    return parsed[1].name.removesuffix("Query").upper()


def require_held(iri: str, held: Collection[URIRef], named_by: str) -> None:
    """Refuse a dataset graph (named_by: FROM, or the protocol parameter that names it) that
    the store does not hold: remote datasets are never fetched."""
    if URIRef(iri) not in held:
        raise QueryError(
            f"{named_by} <{iri}> is refused: the store holds no such graph and "
            "remote datasets are never fetched"
        )


def _is_update(sparql: str) -> bool:
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parseUpdate(sparql)
    except ParseException:
        return False
    return True


def _service_refusal(endpoint: object, services: Collection[str]) -> str:
    if not services:
        return "SERVICE is refused: queries run on the local store only"
    named = f"<{endpoint}>" if isinstance(endpoint, URIRef) else f"a variable endpoint ({endpoint})"
    allowed = ", ".join(f"<{s}>" for s in services)
    return f"SERVICE {named} is refused: only the endpoints allowed with --federate are ({allowed})"


def _found(node: object, name: str) -> Iterator[CompValue]:
    """Every parse-tree node of the given name, depth first."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        if node.name == name:
            yield node
        for value in node.values():
            yield from _found(value, name)
    elif isinstance(node, list | tuple | ParseResults):
        for value in node:
            yield from _found(value, name)
