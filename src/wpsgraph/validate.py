"""SHACL validation of wpsgraph data against shapes/.

The shapes are compiled to SPARQL (wpsgraph.shacl_sparql) and run by Oxigraph over the union of the
data, the schemes, the register and the ontology: in memory for one graph or a batch of graphs, and
by the store itself for the whole store, so no Python validator ever holds the store.
tests/test_validate_equivalence.py proves the results equal pySHACL's; validate_graph_pyshacl is
that reference (concepts and actors go in pySHACL's data graph, since its ont_graph contributes only
class and property axioms)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD, NamespaceManager

from wpsgraph.emit import VOCABULARY_GRAPHS
from wpsgraph.resources import (
    ontology_graph,
    referenced_graph,
    register_graph,
    schemes_graph,
    shapes_graph,
)
from wpsgraph.shacl_sparql import (
    SUBCLASS_EDGES_QUERY,
    CompiledConstraint,
    fill_template,
    project_constraints,
)
from wpsgraph.store import SelectResult, Store, Term, engine_term, to_rdflib
from wpsgraph.vocab import bind_prefixes


@dataclass(frozen=True)
class ValidationResult:
    severity: str  # "Violation" | "Warning" | "Info"
    focus: str
    path: str | None
    value: str | None
    constraint: str
    message: str
    value_term: str | None = None  # the value as Turtle writes it: "2029/12"^^xsd:gYearMonth


@dataclass(frozen=True)
class Finding:
    """One result with its RDF terms, as a compiled constraint's query returned it."""

    constraint: CompiledConstraint
    focus: Term
    value: Term | None
    bindings: tuple[tuple[str, Term], ...] = ()

    def messages(self) -> list[str]:
        if not self.constraint.fills_templates:
            return list(self.constraint.messages)
        # As pySHACL: the query's variables, with this, path and value as the results say.
        names: dict[str, object] = dict(self.bindings)
        names.update(this=self.focus, path=self.constraint.path, value=self.value)
        return [fill_template(m, names) for m in self.constraint.messages]

    def result(self) -> ValidationResult:
        c = self.constraint
        return ValidationResult(
            severity=_local(c.severity),
            focus=str(self.focus),
            path=None if c.path is None else str(c.path),
            value=None if self.value is None else str(self.value),
            constraint=_local(c.component),
            message="; ".join(sorted(self.messages())),
            value_term=shown(self.value),
        )


@dataclass
class ValidationReport:
    results: list[ValidationResult]
    _graph: Graph | None = field(default=None, repr=False)
    _findings: list[Finding] = field(default_factory=list, repr=False)

    @property
    def graph(self) -> Graph:
        """The SHACL validation report as RDF, built on first use (a big store has many results)."""
        if self._graph is None:
            self._graph = _report_graph(self._findings)
        return self._graph

    @property
    def violations(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity != "Violation"]

    @property
    def conforms(self) -> bool:
        """Warnings are publishable; only violations make data non-conforming."""
        return not self.violations

    def as_text(self) -> str:
        """For people: per node, each problem once (property, values, what was expected)."""
        if not self.results:
            return "Conforms: no violations, no warnings."
        by_node: dict[str, dict[tuple[str, str | None, str], list[ValidationResult]]] = {}
        for r in sorted(self.results, key=lambda r: r.focus):
            by_node.setdefault(r.focus, {}).setdefault((r.severity, r.path, r.message), []).append(
                r
            )
        lines = []
        for focus, problems in by_node.items():
            lines.append(f"<{focus}>" if "://" in focus else focus)
            for (severity, path, message), found in problems.items():
                lines.append(f"  {severity.lower()}: {_where(path, found)}")
                lines.append(f"    expected: {message}")
        verdict = "Conforms" if self.conforms else "Does not conform"
        lines.append(
            f"{verdict}: {len(self.violations)} violation(s), {len(self.warnings)} warning(s) "
            f"on {len(by_node)} node(s)."
        )
        return "\n".join(lines)

    def as_json(self) -> str:
        """The sh:ValidationReport as JSON-LD, with its context inline (short keys)."""
        return json.dumps(_report_document(self.graph), indent=2, ensure_ascii=False)

    def as_turtle(self) -> str:
        return bind_prefixes(self.graph).serialize(format="turtle")


def validate_graph(data: Graph) -> ValidationReport:
    """One evaluation graph (or any data) against the shapes, with the vocabulary."""
    store = _memory_store({_DATA_GRAPH: data})
    return _report(_run(_memory_select(store)))


def validate_graphs(
    graphs: Mapping[URIRef, Iterable[tuple[Term, Term, Term]]],
    context: Mapping[URIRef, Iterable[tuple[Term, Term, Term]]] | None = None,
) -> dict[URIRef, ValidationReport]:
    """A batch of evaluation graphs (key: named graph IRI) in one engine run over their union with
    the vocabulary (and the context graphs, such as a local register), as the store will hold
    them. Each result goes to the graphs in which its focus node is a subject (an evaluation's
    nodes live only in its own graph). Results on vocabulary nodes (register actors, concepts)
    that no given graph describes go to no graph: the project's tests keep the vocabulary
    conformant, and validate_store reports such results."""
    store = _memory_store({**(context or {}), **graphs})
    owners: dict[Term, list[URIRef]] = {}
    for name, triples in graphs.items():
        for subject in {s for s, _, _ in triples}:
            owners.setdefault(subject, []).append(name)
    found: dict[URIRef, list[Finding]] = {name: [] for name in graphs}
    for finding in _run(_memory_select(store)):
        for name in owners.get(finding.focus, ()):
            found[name].append(finding)
    return {name: _report(findings) for name, findings in found.items()}


def validate_store(store: Store) -> ValidationReport:
    """Everything in the store (evaluations and the vocabulary graphs loaded with them); the
    queries run in the store itself, over the union of its graphs."""
    return _report(_run(_store_select(store)))


def validate_graph_pyshacl(data: Graph) -> ValidationReport:
    """The reference: pySHACL on data + schemes + register, with the ontology as ont_graph."""
    from pyshacl import validate as shacl_validate  # slow to import; only the reference needs it

    _conforms, report_graph, _text = shacl_validate(
        data + referenced_graph(),
        shacl_graph=shapes_graph(),
        ont_graph=ontology_graph(),
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    return ValidationReport(_results(report_graph), report_graph)


Row = Mapping[str, Term | None]
# Where validate_graph puts its data in the engine's store (never in the persistent store).
_DATA_GRAPH = URIRef("https://w3id.org/wpsgraph/graph/validated-data")


@lru_cache(maxsize=1)
def _vocabulary_quads() -> tuple[ox.Quad, ...]:
    parts = {"ontology": ontology_graph(), "schemes": schemes_graph(), "register": register_graph()}
    return tuple(
        quad
        for key, graph in parts.items()
        for quad in _quads(graph, ox.NamedNode(str(VOCABULARY_GRAPHS[key])))
    )


def _quads(triples: Iterable[tuple[Term, Term, Term]], name: ox.NamedNode) -> Iterator[ox.Quad]:
    for s, p, o in triples:
        yield ox.Quad(engine_term(s), engine_term(p), engine_term(o), name)


def _memory_store(graphs: Mapping[URIRef, Iterable[tuple[Term, Term, Term]]]) -> ox.Store:
    store = ox.Store()
    store.extend(_vocabulary_quads())
    for name, triples in graphs.items():
        store.extend(_quads(triples, ox.NamedNode(str(name))))
    return store


# Runs a SELECT (its rows) or an ASK (its answer).
Query = Callable[[str], Iterable[Row] | bool]


def _memory_select(store: ox.Store) -> Query:
    def select(sparql: str) -> list[Row] | bool:
        result = store.query(sparql, use_default_graph_as_union=True)
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        assert isinstance(result, ox.QuerySolutions)
        names = [v.value for v in result.variables]
        return [{n: None if s[n] is None else to_rdflib(s[n]) for n in names} for s in result]

    return select


def _store_select(store: Store) -> Query:
    def select(sparql: str) -> list[dict[str, Term | None]] | bool:
        result = store.query(sparql)
        if isinstance(result, bool):
            return result
        assert isinstance(result, SelectResult)
        return result.rows

    return select


def _rows(select: Query, sparql: str) -> Iterable[Row]:
    result = select(sparql)
    assert not isinstance(result, bool)
    return result


def _run(select: Query) -> list[Finding]:
    # The class hierarchy of the very data validated, so each class test is one rdf:type lookup.
    edges = frozenset(
        (row["sub"], row["super"])
        for row in _rows(select, SUBCLASS_EDGES_QUERY)
        if isinstance(row["sub"], URIRef | BNode) and isinstance(row["super"], URIRef | BNode)
    )
    findings = []
    answers: dict[str, bool] = {}  # several constraints share a precheck
    for constraint in project_constraints(edges):
        if constraint.precheck is not None:
            if constraint.precheck not in answers:
                answers[constraint.precheck] = select(constraint.precheck) is not False
            if not answers[constraint.precheck]:
                continue
        for row in _rows(select, constraint.query):
            focus = row["this"]
            if focus is None:
                continue
            extra = tuple(
                (k, v) for k, v in row.items() if k not in ("this", "value") and v is not None
            )
            findings.append(Finding(constraint, focus, row.get("value"), extra))
    return findings


def _report(findings: list[Finding]) -> ValidationReport:
    unique = list(dict.fromkeys(findings))
    return ValidationReport(_ordered(f.result() for f in unique), None, unique)


def _report_graph(findings: list[Finding]) -> Graph:
    graph = Graph()
    report = BNode()
    conforms = not any(f.constraint.severity == SH.Violation for f in findings)
    graph.add((report, RDF.type, SH.ValidationReport))
    graph.add((report, SH.conforms, Literal(conforms)))
    for finding in findings:
        c = finding.constraint
        node = BNode()
        graph.add((report, SH.result, node))
        graph.add((node, RDF.type, SH.ValidationResult))
        graph.add((node, SH.focusNode, finding.focus))
        graph.add((node, SH.resultSeverity, c.severity))
        graph.add((node, SH.sourceConstraintComponent, c.component))
        graph.add((node, SH.sourceShape, c.shape))
        if c.path is not None:
            graph.add((node, SH.resultPath, c.path))
        if finding.value is not None:
            graph.add((node, SH.value, finding.value))
        for message in finding.messages():
            graph.add((node, SH.resultMessage, Literal(message)))
    return graph


def _local(iri: URIRef) -> str:
    return str(iri).rsplit("#", 1)[-1]


def _results(report: Graph) -> list[ValidationResult]:
    """pySHACL's report graph as results."""
    results = []
    for node in report.subjects(RDF.type, SH.ValidationResult):
        path = report.value(node, SH.resultPath)
        value = report.value(node, SH.value)
        results.append(
            ValidationResult(
                severity=_local(report.value(node, SH.resultSeverity)),
                focus=str(report.value(node, SH.focusNode)),
                path=str(path) if isinstance(path, URIRef) else None,
                value=None if value is None else str(value),
                constraint=_local(report.value(node, SH.sourceConstraintComponent)),
                message="; ".join(sorted(str(m) for m in report.objects(node, SH.resultMessage))),
                value_term=shown(value),
            )
        )
    return _ordered(results)


def _ordered(results: Iterable[ValidationResult]) -> list[ValidationResult]:
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    return sorted(
        results, key=lambda r: (order.get(r.severity, 3), r.focus, r.path or "", r.message)
    )


# Short keys for the JSON-LD report; any JSON-LD processor reads it as the sh:ValidationReport.
REPORT_CONTEXT = {
    "sh": str(SH),
    "xsd": str(XSD),
    "conforms": "sh:conforms",
    "results": {"@id": "sh:result", "@container": "@set"},
    "focusNode": {"@id": "sh:focusNode", "@type": "@id"},
    "resultPath": {"@id": "sh:resultPath", "@type": "@id"},
    "value": "sh:value",
    "resultSeverity": {"@id": "sh:resultSeverity", "@type": "@id"},
    "sourceConstraintComponent": {"@id": "sh:sourceConstraintComponent", "@type": "@id"},
    "sourceShape": {"@id": "sh:sourceShape", "@type": "@id"},
    "resultMessage": {"@id": "sh:resultMessage", "@container": "@set"},
}
_RESULT_KEYS = {
    SH.focusNode: "focusNode",
    SH.resultPath: "resultPath",
    SH.resultSeverity: "resultSeverity",
    SH.sourceConstraintComponent: "sourceConstraintComponent",
    SH.sourceShape: "sourceShape",
}


def _report_document(report: Graph) -> dict[str, object]:
    results = []
    for node in report.subjects(RDF.type, SH.ValidationResult):
        result: dict[str, object] = {"@type": "sh:ValidationResult"}
        for predicate, key in _RESULT_KEYS.items():
            term = report.value(node, predicate)
            if term is not None:
                result[key] = _node_id(term)
        value = report.value(node, SH.value)
        if value is not None:
            result["value"] = _json_ld_term(value)
        result["resultMessage"] = sorted(str(m) for m in report.objects(node, SH.resultMessage))
        results.append(result)
    conforms = (None, SH.resultSeverity, SH.Violation) not in report
    return {
        "@context": REPORT_CONTEXT,
        "@type": "sh:ValidationReport",
        "conforms": conforms,
        "results": sorted(results, key=lambda r: json.dumps(r, sort_keys=True)),
    }


def _node_id(term: object) -> str:
    return f"_:{term}" if isinstance(term, BNode) else str(term)


def _json_ld_term(term: object) -> object:
    if isinstance(term, Literal):
        if term.language:
            return {"@value": str(term), "@language": term.language}
        return {"@value": str(term), "@type": str(term.datatype or XSD.string)}
    return {"@id": _node_id(term)}


def _where(path: str | None, found: list[ValidationResult]) -> str:
    """Which property and values one message is about: 'property wps:deadline, value
    "2029/12"^^xsd:gYearMonth', 'property wps:status: missing', 'the node itself'."""
    subject = f"property {shown(URIRef(path))}" if path else "the node itself"
    values = sorted({r.value_term for r in found if r.value_term is not None})
    if values and path:
        return f"{subject}, value {', '.join(values)}"
    constraints = {r.constraint for r in found}
    if "MinCountConstraintComponent" in constraints:
        return f"{subject}: missing"
    # Our warnings flag a property's mere presence (sh:maxCount 0): the message says why.
    if "MaxCountConstraintComponent" in constraints and found[0].severity == "Violation":
        return f"{subject}: more values than allowed"
    return subject


@lru_cache(maxsize=1)
def _namespaces() -> NamespaceManager:
    return bind_prefixes(Graph()).namespace_manager


def shown(term: object) -> str | None:
    """A term as Turtle writes it with our prefixes: wps:deadline, "x"@en, <https://...>."""
    if term is None:
        return None
    if isinstance(term, URIRef | Literal | BNode):
        return term.n3(_namespaces())
    return str(term)
