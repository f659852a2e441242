"""Dereferencing our IRIs: what the store says about a node, as RDF (its concise bounded
description, and for a hash namespace such as the ontology, every term in it) or as a page a
person can read (labels, values, links to related nodes, where the data came from)."""

from __future__ import annotations

from collections import defaultdict
from html import escape
from typing import IO
from urllib.parse import quote

from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from wpsgraph.formats import compact_iri
from wpsgraph.serve.html import link, page
from wpsgraph.store import OxigraphStore, SelectResult, Term
from wpsgraph.vocab import PREFIXES, WPS

INCOMING_SHOWN = 100
_PREFIXES = "".join(
    f"PREFIX {prefix}: <{PREFIXES[prefix]}>\n"
    for prefix in ("skos", "rdfs", "dcterms", "prov", "wps")
)
# ?node is substituted by the store; terms of a hash namespace (ontology#KeyAction) are
# described by their document (ontology), looked for in the graphs that describe it.
DESCRIPTION = """DESCRIBE ?node ?term WHERE {
  OPTIONAL {
    GRAPH ?g { ?node ?p ?o } GRAPH ?g { ?term ?q ?v }
    FILTER(STRSTARTS(STR(?term), CONCAT(STR(?node), "#")))
  }
}"""
_EXISTS = "ASK { ?node ?p ?o }"
_OUTGOING = "SELECT ?node ?p ?o WHERE { ?node ?p ?o }"
_HASH_TERMS = """SELECT DISTINCT ?node ?term ?p ?o WHERE {
  GRAPH ?g { ?node ?p0 ?o0 } GRAPH ?g { ?term ?p ?o }
  FILTER(STRSTARTS(STR(?term), CONCAT(STR(?node), "#")))
}"""
_INCOMING = f"SELECT ?node ?s ?p WHERE {{ ?s ?p ?node }} ORDER BY ?p ?s LIMIT {INCOMING_SHOWN}"
_INCOMING_COUNT = "SELECT ?node (COUNT(*) AS ?n) WHERE { ?s ?p ?node } GROUP BY ?node"
_SOURCES = (
    _PREFIXES
    + """SELECT DISTINCT ?node ?graph ?evaluation ?source ?file WHERE {
  GRAPH ?graph { ?node ?p ?o }
  OPTIONAL { GRAPH ?graph { ?evaluation a wps:Evaluation } }
  OPTIONAL { ?graph prov:hadPrimarySource ?source }
  OPTIONAL { ?graph wps:sourceFile ?file }
} ORDER BY ?graph"""
)
_LABELS = (
    _PREFIXES
    + """SELECT ?x ?label WHERE {{
  VALUES ?x {{ {values} }}
  ?x skos:prefLabel|rdfs:label|dcterms:title ?label
}}"""
)
_FORMAT_LINKS = (
    ("turtle", "Turtle"),
    ("jsonld", "JSON-LD"),
    ("nt", "N-Triples"),
    ("rdfxml", "RDF/XML"),
)


def exists(store: OxigraphStore, iri: str) -> bool:
    return store.query(_EXISTS, {"node": URIRef(iri)}) is True


def write_description(store: OxigraphStore, iri: str, out: IO[bytes], fmt: str) -> None:
    """The node's description as RDF, serialized by the engine into out."""
    store.write_results(DESCRIPTION, out, fmt, {"node": URIRef(iri)})


def description_page(store: OxigraphStore, iri: str) -> str:
    """The node's description as a page: its properties, the terms of its namespace when it is
    a hash namespace, where its data came from, and what points to it."""
    node = URIRef(iri)
    outgoing = _pairs(_select(store, _OUTGOING, node), "p", "o")
    terms: dict[Term, list[tuple[Term, Term]]] = defaultdict(list)
    for row in _select(store, _HASH_TERMS, node).rows:
        terms[row["term"]].append((row["p"], row["o"]))
    incoming = _pairs(_select(store, _INCOMING, node), "s", "p")
    count_rows = _select(store, _INCOMING_COUNT, node).rows
    incoming_count = int(count_rows[0]["n"]) if count_rows else 0
    sources = _select(store, _SOURCES, node).rows
    pairs = outgoing + incoming + [pair for term_pairs in terms.values() for pair in term_pairs]
    evaluations = {row["evaluation"] for row in sources}
    labels = _labels(store, {node, *terms, *evaluations, *(t for pair in pairs for t in pair)})
    title = labels.get(node) or _unlabelled_title(outgoing, labels) or compact_iri(iri)
    body = [
        f"<h1>{escape(title)}</h1>",
        f'<p class="iri"><code>{escape(iri)}</code></p>',
        _formats_line(),
        _properties(outgoing, labels),
        *(_term_section(term, pairs, labels) for term, pairs in sorted(terms.items())),
        _sources_section(sources, labels),
        _incoming_section(incoming, incoming_count, labels),
    ]
    head = "".join(
        f'<link rel="alternate" href="?format={name}" title="{label}">'
        for name, label in _FORMAT_LINKS
    )
    return page(title, "\n".join(body), head)


def _select(store: OxigraphStore, sparql: str, node: URIRef) -> SelectResult:
    result = store.query(sparql, {"node": node})
    assert isinstance(result, SelectResult)  # every query here is a SELECT
    return result


def _pairs(result: SelectResult, first: str, second: str) -> list[tuple[Term, Term]]:
    return [(row[first], row[second]) for row in result.rows]


def _labels(store: OxigraphStore, terms: set[Term]) -> dict[Term, str]:
    """The best label of each IRI: English or untagged first, then any language."""
    values = " ".join(t.n3() for t in sorted(terms) if isinstance(t, URIRef))
    result = store.query(_LABELS.format(values=values))
    assert isinstance(result, SelectResult)
    candidates: dict[Term, list[Literal]] = defaultdict(list)
    for row in result.rows:
        candidates[row["x"]].append(row["label"])
    return {
        iri: str(min(labels, key=lambda lit: (lit.language not in (None, "en"), str(lit))))
        for iri, labels in candidates.items()
    }


def _unlabelled_title(outgoing: list[tuple[Term, Term]], labels: dict[Term, str]) -> str:
    """What a node without a label is called on its page: its class and the number printed on
    the source page, e.g. "Key action 1.2"."""
    kinds = sorted(labels.get(o, "") for p, o in outgoing if p == RDF.type)
    printed = [str(o) for p, o in outgoing if p == WPS.printedLabel]
    return " ".join(part for part in (kinds[0] if kinds else "", *printed[:1]) if part)


def _formats_line() -> str:
    links = " · ".join(f'<a href="?format={name}">{label}</a>' for name, label in _FORMAT_LINKS)
    return f'<p class="formats">As data: {links}</p>'


def _properties(pairs: list[tuple[Term, Term]], labels: dict[Term, str]) -> str:
    by_predicate: dict[Term, list[Term]] = defaultdict(list)
    for predicate, value in pairs:
        by_predicate[predicate].append(value)
    # rdf:type first, then predicates by their label.
    order = sorted(by_predicate, key=lambda p: (p != RDF.type, _name(p, labels).lower()))
    rows = "".join(
        f"<tr><th>{link(str(p), _name(p, labels))}</th><td>"
        + "<br>".join(_value(v, labels) for v in sorted(by_predicate[p], key=str))
        + "</td></tr>"
        for p in order
    )
    return f'<table class="properties">{rows}</table>'


def _term_section(term: Term, pairs: list[tuple[Term, Term]], labels: dict[Term, str]) -> str:
    fragment = str(term).partition("#")[2]
    name = labels.get(term) or compact_iri(str(term))
    return (
        f'<section id="{escape(fragment, quote=True)}"><h2>{escape(name)} '
        f"<code>{escape(compact_iri(str(term)))}</code></h2>{_properties(pairs, labels)}</section>"
    )


def _sources_section(rows: list[dict[str, Term | None]], labels: dict[Term, str]) -> str:
    items = []
    for row in rows:
        graph = str(row["graph"])
        graph_link = (
            f'<a href="/sparql?graph={quote(graph, safe="")}">{escape(compact_iri(graph))}</a>'
        )
        parts = [f"graph {graph_link}"]
        if row["evaluation"] is not None:
            parts.append("of the evaluation " + _value(row["evaluation"], labels))
        if row["source"] is not None:
            parts.append("from " + link(str(row["source"]), str(row["source"])))
        if row["file"] is not None:
            parts.append(f"(file {escape(str(row['file']))})")
        items.append(f"<li>{' '.join(parts)}</li>")
    return f'<h2>Source</h2><ul class="sources">{"".join(items)}</ul>' if items else ""


def _incoming_section(pairs: list[tuple[Term, Term]], total: int, labels: dict[Term, str]) -> str:
    if not pairs:
        return ""
    rows = "".join(
        f"<tr><td>{_value(subject, labels)}</td><td>{link(str(p), _name(p, labels))}</td></tr>"
        for subject, p in pairs
    )
    shown = (
        f"<p>{len(pairs)} of {total:,} shown; the query page lists them all.</p>"
        if total > len(pairs)
        else ""
    )
    return f'<h2>Referenced by</h2><table class="incoming">{rows}</table>{shown}'


def _name(term: Term, labels: dict[Term, str]) -> str:
    return labels.get(term) or compact_iri(str(term))


def _value(term: Term, labels: dict[Term, str]) -> str:
    if isinstance(term, URIRef):
        text = labels.get(term)
        shown = f"{text} ({compact_iri(str(term))})" if text else compact_iri(str(term))
        return link(str(term), shown)
    if isinstance(term, Literal):
        suffix = ""
        if term.language:
            suffix = f' <span class="tag">@{escape(term.language)}</span>'
        elif term.datatype:
            suffix = f' <span class="tag">{escape(compact_iri(str(term.datatype)))}</span>'
        return f'<span class="literal">{escape(str(term))}</span>{suffix}'
    return f"<code>_:{escape(str(term))}</code>"
