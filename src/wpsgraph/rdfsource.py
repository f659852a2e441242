"""RDF documents read safely from a file, an http(s) URL or one graph of a SPARQL endpoint.

The format comes from the file name or the Content-Type (Turtle, N-Triples, N-Quads, TriG,
JSON-LD, RDF/XML). Oxigraph parses: it never fetches anything, and its errors carry a line and a
column, which are reported in plain words. Refused before parsing, because a parser could be
made to read something else: RDF/XML with a DOCTYPE (entity declarations), JSON-LD with a remote
@context or @import, and HTML where RDF was expected. rdflib's parsers are not used here: they
fetch remote JSON-LD contexts on their own."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pyoxigraph as ox
from rdflib import Graph

from wpsgraph.errors import SourceError
from wpsgraph.fetch import DEFAULT_LIMITS, Fetched, Limits, fetch, fetch_remote_graph
from wpsgraph.store import rdflib_graph

# The formats we read, by name (for messages), file extension and media type.
FORMAT_NAMES = {
    ox.RdfFormat.TURTLE: "Turtle",
    ox.RdfFormat.N_TRIPLES: "N-Triples",
    ox.RdfFormat.N_QUADS: "N-Quads",
    ox.RdfFormat.TRIG: "TriG",
    ox.RdfFormat.JSON_LD: "JSON-LD",
    ox.RdfFormat.RDF_XML: "RDF/XML",
}
FORMAT_BY_EXTENSION = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
}
FORMAT_BY_MEDIA_TYPE = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/xml": ox.RdfFormat.RDF_XML,
    "text/xml": ox.RdfFormat.RDF_XML,
}
ACCEPT = (
    "text/turtle, application/n-triples, application/n-quads, application/trig, "
    "application/ld+json, application/rdf+xml;q=0.9, */*;q=0.1"
)
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_HTML_START = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S
)
# A DOCTYPE (and so any ENTITY) in RDF/XML, in UTF-8 or UTF-16 of either byte order.
_XML_DECLARATIONS = tuple(
    marker.encode(codec)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for codec in ("utf-8", "utf-16-le", "utf-16-be")
)
_POSITIONED = re.compile(r"^Parser error [^:]*: (?P<message>.*?)(?: \(line \d+\))?$", re.S)
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")  # a scheme; one letter would be a drive


@dataclass(frozen=True)
class RdfDocument:
    """What was read, from where, and its triples (the named graphs of a dataset merged)."""

    label: str  # as the user named it: a path, a URL, or "ENDPOINT (graph <IRI>)"
    sha256: str  # of the bytes read
    graph: Graph
    url: str | None = None  # the URL given, for a URL source (read after any redirects)
    file_name: str | None = None  # for a file source
    endpoint: str | None = None  # for a remote graph, with remote_graph
    remote_graph: str | None = None


def is_url(text: str) -> bool:
    """Whether a SOURCE argument is a URL (any scheme, checked when fetched) rather than a path."""
    return bool(_URL.match(text))


def read_source(text: str, limits: Limits = DEFAULT_LIMITS) -> RdfDocument:
    return read_url(text, limits) if is_url(text) else read_file(Path(text))


def read_file(path: Path) -> RdfDocument:
    rdf_format = FORMAT_BY_EXTENSION.get(path.suffix.lower())
    if rdf_format is None:
        raise SourceError(path, None, f"cannot tell the RDF format from the name: {_expected()}")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceError(path, None, "no such file") from None
    except OSError as exc:
        raise SourceError(path, None, f"cannot read the file: {exc.strerror}") from None
    return RdfDocument(
        str(path), _sha256(data), parse(data, rdf_format, str(path)), file_name=path.name
    )


def read_url(url: str, limits: Limits = DEFAULT_LIMITS) -> RdfDocument:
    fetched = fetch(url, ACCEPT, limits)
    rdf_format = _format_of_answer(fetched)
    graph = parse(fetched.data, rdf_format, url, base_iri=fetched.final_url)
    return RdfDocument(url, _sha256(fetched.data), graph, url=url)


def read_remote_graph(
    endpoint: str, graph_iri: str, limits: Limits = DEFAULT_LIMITS
) -> RdfDocument:
    fetched = fetch_remote_graph(endpoint, graph_iri, limits)
    label = f"{endpoint} (graph <{graph_iri}>)"
    graph = parse(fetched.data, _format_of_answer(fetched, label), label)
    if fetched.row_cap is not None and len(graph) >= fetched.row_cap:
        raise SourceError(
            label,
            None,
            f"the endpoint cut its answer at {fetched.row_cap} triples (X-SPARQL-MaxRows): "
            "the graph is incomplete; raise the endpoint's result limit",
        )
    return RdfDocument(
        label, _sha256(fetched.data), graph, endpoint=endpoint, remote_graph=graph_iri
    )


def parse(data: bytes, rdf_format: ox.RdfFormat, label: str, base_iri: str | None = None) -> Graph:
    """The document's triples (a dataset's named graphs merged) as an rdflib Graph; a
    SourceError naming the line and column when it is not valid."""
    name = FORMAT_NAMES[rdf_format]
    if _HTML_START.match(data):
        raise SourceError(label, None, f"this is an HTML page, not {name}; give the data itself")
    if rdf_format == ox.RdfFormat.RDF_XML and any(m in data for m in _XML_DECLARATIONS):
        raise SourceError(
            label,
            None,
            "RDF/XML with a DOCTYPE or ENTITY declaration is refused (entities can read "
            "other files or URLs); expand the entities and remove the DOCTYPE",
        )
    if rdf_format == ox.RdfFormat.JSON_LD:
        _refuse_remote_contexts(data, label)
    try:  # ox.parse is lazy: its errors surface while rdflib_graph reads it
        return rdflib_graph(ox.parse(data, format=rdf_format, base_iri=base_iri))
    except SyntaxError as exc:
        raise SourceError(label, None, _plain_error(exc, data, rdf_format)) from None


def _plain_error(exc: SyntaxError, data: bytes, rdf_format: ox.RdfFormat) -> str:
    name = FORMAT_NAMES[rdf_format]
    text = str(exc)
    match = _POSITIONED.match(text)
    message = match.group("message") if match else text
    line, column = exc.lineno, exc.offset
    if line is None and rdf_format == ox.RdfFormat.RDF_XML:
        line, column, message = _xml_error(data) or (None, None, message)
    message = message[:1].lower() + message[1:]
    where = f"line {line}, column {column}: " if line is not None else ""
    return f"{where}not valid {name}: {message}{_near(exc, data)}"


def _near(exc: SyntaxError, data: bytes) -> str:
    """The text the parser points at, when it is a short piece of one line."""
    line, start, end = exc.lineno, exc.offset, exc.end_offset
    if line is None or start is None or end is None or exc.end_lineno != line:
        return ""
    lines = data.decode("utf-8", "replace").splitlines()
    text = lines[line - 1][start - 1 : end - 1].strip() if line <= len(lines) else ""
    return f" (at '{text}')" if 0 < len(text) <= 40 else ""


def _xml_error(data: bytes) -> tuple[int, int, str] | None:
    """Where the XML itself is malformed (Oxigraph's RDF/XML errors carry no position).
    Expat reads no external entity, and documents with a DOCTYPE never get here."""
    from xml.parsers import expat

    parser = expat.ParserCreate()
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        return exc.lineno, exc.offset + 1, expat.errors.messages[exc.code]
    return None


def _refuse_remote_contexts(data: bytes, label: str) -> None:
    try:
        document = json.loads(data)
    except (ValueError, RecursionError):
        return  # not JSON: the parser reports where
    reference = next(_remote_contexts(document), None)
    if reference is not None:
        raise SourceError(
            label,
            None,
            f"JSON-LD with a remote @context ({reference}) is refused: contexts are never "
            "fetched; put the context in the document itself",
        )


def _remote_contexts(node: object) -> Iterator[str]:
    """Every context given by reference (a string in @context, or an @import) in a document."""
    if isinstance(node, list):
        for item in node:
            yield from _remote_contexts(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "@context":
                yield from _context_references(value)
            if key == "@import" and isinstance(value, str):
                yield value
            yield from _remote_contexts(value)


def _context_references(context: object) -> Iterator[str]:
    items = context if isinstance(context, list) else [context]
    yield from (item for item in items if isinstance(item, str))


def _format_of_answer(fetched: Fetched, label: str | None = None) -> ox.RdfFormat:
    label = label or fetched.url
    if fetched.media_type in HTML_TYPES:
        raise SourceError(
            label,
            None,
            f"the server answered an HTML page ({fetched.media_type}), not RDF; "
            "give the URL of the data itself",
        )
    by_type = FORMAT_BY_MEDIA_TYPE.get(fetched.media_type or "")
    if by_type is not None:
        return by_type
    by_name = FORMAT_BY_EXTENSION.get(Path(urlsplit(fetched.final_url).path).suffix.lower())
    if by_name is not None:
        return by_name
    raise SourceError(
        label,
        None,
        f"cannot tell the RDF format: the server says {fetched.media_type or 'nothing'} and "
        f"the URL has no known extension; {_expected()}",
    )


def _expected() -> str:
    names = ", ".join(FORMAT_NAMES.values())
    return f"expected {names} ({', '.join(FORMAT_BY_EXTENSION)})"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
