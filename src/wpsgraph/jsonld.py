"""Compact JSON-LD with the vocabulary's own context (context.jsonld, shipped in the package).

The engine writes expanded JSON-LD (every key a full IRI, every value an object); this module
compacts it with our fixed context: a property becomes its term ("deadline", "text"), an IRI a
compact IRI ("wpsid:eval/unwomen/gate-11818"), a value the bare string its term's type implies.
It implements the part of JSON-LD compaction that a fixed context of simple terms, type
coercions and language maps needs, one graph at a time, so an export of 10,000 evaluations
never holds the store in memory (rdflib's and pyld's compaction are 3-5x slower; see README).
A value its property's term does not fit (a plain string where the term says xsd:integer) keeps
the property's compact IRI and an explicit value object, so nothing is lost. The context is
written inline: a reader never needs to fetch it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import IO, Any

CONTEXT_RESOURCE = "context.jsonld"
ID, TYPE, VALUE, LANGUAGE, GRAPH = "@id", "@type", "@value", "@language", "@graph"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
# The context's aliases of @id and @type, used in the output.
ID_KEY, TYPE_KEY = "id", "type"
# A term's IRI ending in one of these may serve as the prefix of a compact IRI (JSON-LD 1.1).
PREFIX_ENDINGS = ("/", "#", ":", "?", "[", "]", "@")

Node = dict[str, Any]


@lru_cache(maxsize=1)
def context_document() -> dict[str, Any]:
    """The shipped context document, {"@context": {...}}."""
    text = resources.files("wpsgraph").joinpath(CONTEXT_RESOURCE).read_text(encoding="utf-8")
    return json.loads(text)


@dataclass(frozen=True)
class Term:
    name: str
    iri: str
    coercion: str | None = None  # "@id" or a datatype IRI
    language_map: bool = False

    @property
    def plain(self) -> bool:
        """Neither coerced nor a language map: a name a type or a datatype may use."""
        return self.coercion is None and not self.language_map

    def accepts(self, value: Node) -> bool:
        """Whether the value, in expanded form, can be written under this term."""
        if self.coercion == ID:
            return ID in value
        if self.language_map:
            return LANGUAGE in value
        if self.coercion:
            return value.get(TYPE) == self.coercion
        return VALUE in value and TYPE not in value and LANGUAGE not in value


class Compactor:
    """Compacts node objects the engine wrote in expanded JSON-LD with one fixed context."""

    def __init__(self, context: dict[str, Any]) -> None:
        self.prefixes: list[tuple[str, str]] = []
        self.terms: dict[str, Term] = {}  # by IRI: one term per IRI in our context
        raw = {k: v for k, v in context.items() if not k.startswith("@")}
        for name, definition in raw.items():
            if isinstance(definition, str) and definition.startswith("@"):
                continue  # a keyword alias
            if isinstance(definition, str):
                iri = self._expand(definition, raw)
                if iri.endswith(PREFIX_ENDINGS):
                    self.prefixes.append((name, iri))
                    continue
                self.terms[iri] = Term(name, iri)
                continue
            iri = self._expand(definition[ID], raw)
            coercion = definition.get(TYPE)
            self.terms[iri] = Term(
                name,
                iri,
                coercion=None if coercion is None else self._expand(coercion, raw),
                language_map=definition.get("@container") == LANGUAGE,
            )
        # The longest namespace wins: wps: beats wpsid: for ontology terms.
        self.prefixes.sort(key=lambda prefix: -len(prefix[1]))

    @staticmethod
    def _expand(value: str, raw: dict[str, Any]) -> str:
        if value.startswith("@"):
            return value
        prefix, sep, local = value.partition(":")
        if sep and isinstance(raw.get(prefix), str) and not local.startswith("//"):
            return raw[prefix] + local
        return value

    def iri(self, iri: str) -> str:
        """An IRI where JSON-LD reads it relative to no vocabulary (@id, @type: @id values):
        the compact IRI of its longest known namespace, else the IRI itself."""
        if iri.startswith("_:"):
            return iri
        for name, namespace in self.prefixes:
            if iri.startswith(namespace) and not iri[len(namespace) :].startswith("//"):
                return f"{name}:{iri[len(namespace) :]}"
        return iri

    def vocab(self, iri: str) -> str:
        """An IRI where JSON-LD reads terms (a type, a datatype): the term when there is one."""
        term = self.terms.get(iri)
        return term.name if term and term.plain else self.iri(iri)

    def node(self, expanded: Node) -> Node:
        out: Node = {ID_KEY: self.iri(expanded[ID])} if ID in expanded else {}
        types = [t[ID] for t in expanded.get(RDF_TYPE, ())] + list(expanded.get(TYPE, ()))
        # JSON-LD types are IRIs: a blank node as a type stays an rdf:type property.
        typed = bool(types) and not any(t.startswith("_:") for t in types)
        if typed:
            out[TYPE_KEY] = _one_or_many([self.vocab(t) for t in types])
        properties: dict[str, list[Any] | dict[str, list[str]]] = {}
        for key, values in expanded.items():
            if key in (ID, TYPE) or (key == RDF_TYPE and typed):
                continue
            if key == GRAPH:
                out[GRAPH] = [self.node(n) for n in values]
                continue
            for value in values:
                self._add(properties, key, value)
        for key in sorted(properties):
            value = properties[key]
            if isinstance(value, dict):  # a language map
                out[key] = {lang: _one_or_many(texts) for lang, texts in value.items()}
            else:
                out[key] = _one_or_many(value)
        return out

    def _add(self, properties: dict[str, Any], predicate: str, value: Node) -> None:
        term = self.terms.get(predicate)
        if term is not None and term.accepts(value):
            if term.language_map:
                language_map = properties.setdefault(term.name, {})
                language_map.setdefault(value[LANGUAGE], []).append(value[VALUE])
                return
            compacted = self.iri(value[ID]) if term.coercion == ID else value[VALUE]
            properties.setdefault(term.name, []).append(compacted)
            return
        properties.setdefault(self.iri(predicate), []).append(self._explicit(value))

    def _explicit(self, value: Node) -> Node | str:
        """A value in the form that needs no term: a node reference, a value object, or a bare
        string for a plain (xsd:string) literal."""
        if ID in value:
            return {ID_KEY: self.iri(value[ID])}
        if LANGUAGE in value:
            return {VALUE: value[VALUE], LANGUAGE: value[LANGUAGE]}
        if TYPE in value and value[TYPE] != XSD_STRING:
            return {VALUE: value[VALUE], TYPE: self.vocab(value[TYPE])}
        return value[VALUE]


def _node_order(node: Node) -> str:
    return node.get(ID_KEY, "")


def _one_or_many(values: list[Any]) -> Any:
    if len(values) == 1:
        return values[0]
    return values


@lru_cache(maxsize=1)
def compactor() -> Compactor:
    return Compactor(context_document()["@context"])


def compact_items(expanded: bytes) -> list[Node]:
    """The top-level items of the engine's expanded JSON-LD, compacted: node objects of the
    default graph, and {"id": graph, "@graph": [...]} for each named graph, nodes in IRI order."""
    c = compactor()
    items: list[Node] = []
    default: list[Node] = []
    for item in json.loads(expanded):
        if GRAPH in item and set(item) <= {ID, GRAPH}:
            nodes = _compacted_nodes(c, item[GRAPH])
            items.append({ID_KEY: c.iri(item[ID]), GRAPH: nodes} if ID in item else {GRAPH: nodes})
        else:
            default.append(item)
    return _compacted_nodes(c, default) + items


def _compacted_nodes(c: Compactor, nodes: list[Node]) -> list[Node]:
    """The engine writes a subject once per run of its triples: one node object per subject."""
    merged: dict[str, Node] = {}
    for node in nodes:
        target = merged.setdefault(node.get(ID, f"#{len(merged)}"), {})
        for key, values in node.items():
            if key == ID:
                target[ID] = values
            else:
                target.setdefault(key, []).extend(values)
    return sorted((c.node(n) for n in merged.values()), key=_node_order)


def write_document(out: IO[bytes], parts: Iterable[bytes]) -> None:
    """One JSON-LD document, {"@context": ..., "@graph": [...]}, from the engine's expanded
    JSON-LD of each part (a graph, or a set of triples), written part by part: one node per
    line, so the file reads (and greps) line by line."""
    context = json.dumps(context_document()["@context"], indent=2, ensure_ascii=False)
    out.write(f'{{"@context": {context},\n"@graph": [\n'.encode())
    first = True
    for part in parts:
        for item in compact_items(part):
            out.write(b"" if first else b",\n")
            first = False
            out.write(_dump_item(item).encode())
    out.write(b"\n]}\n")


def _dump_item(item: Node) -> str:
    if GRAPH not in item:
        return _dumps(item)
    nodes = ",\n".join("  " + _dumps(n) for n in item[GRAPH])
    head = _dumps({k: v for k, v in item.items() if k != GRAPH})[:-1]
    separator = ", " if len(item) > 1 else ""
    return f'{head}{separator}"{GRAPH}": [\n{nodes}\n]}}'


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
