"""Importing another publisher's graph: validate it against our shapes, reconcile its actors with
the register, and write it into its own named graph with its provenance, beside a VoID linkset
of the matches (skos:exactMatch, imported node -> register actor). Both graphs, and the
vocabulary graphs, are written in one transaction; linking the same source again replaces them.

Reading the source safely is wpsgraph.rdfsource's job; this module never touches the network."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS, VOID, XSD

from wpsgraph.emit import VOCABULARY_GRAPHS, linked_graph_iri, linkset_iri, xsd_date_time
from wpsgraph.errors import WpsGraphError
from wpsgraph.loader import vocabulary_ntriples
from wpsgraph.paths import REGISTER_DIR
from wpsgraph.rdfsource import RdfDocument
from wpsgraph.reconcile import Reconciliation, RegisterIndex, reconcile
from wpsgraph.register import Register
from wpsgraph.resources import register_graph
from wpsgraph.store import SelectResult, Store, serialized_graphs
from wpsgraph.validate import ValidationReport, validate_graph
from wpsgraph.vocab import BASE, WPS

NAME_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# How many of the nodes a source may not describe are named in the refusal.
SHOWN_INTRUSIONS = 3


@dataclass(frozen=True)
class LinkOptions:
    name: str | None = None  # the linked graph's name; by default from the source
    force: bool = False  # write a source that does not conform to the shapes


@dataclass
class LinkReport:
    source: str
    name: str
    graph: URIRef
    linkset: URIRef
    triples: int
    validation: ValidationReport | None = None
    reconciliation: Reconciliation | None = None
    replaced: bool = False  # the store held a graph of this name before
    refusal: str | None = None  # why nothing was written

    @property
    def written(self) -> bool:
        return self.refusal is None


@lru_cache(maxsize=1)
def register_index() -> RegisterIndex:
    return RegisterIndex(Register.load(REGISTER_DIR), register_graph())


def link_document(
    store: Store,
    document: RdfDocument,
    options: LinkOptions = LinkOptions(),
    now: datetime | None = None,
) -> LinkReport:
    """Validate, reconcile and write one source; a refused source writes nothing."""
    name = options.name or default_name(document)
    if not NAME_PATTERN.match(name):
        raise WpsGraphError(
            f"--name {name}: expected lower-case letters and digits joined by hyphens, "
            "e.g. 'dppa-evaluations'"
        )
    report = LinkReport(
        document.label, name, linked_graph_iri(name), linkset_iri(name), len(document.graph)
    )
    held = _held_source(store, report.graph)
    report.replaced = held is not None
    report.refusal = _refusal(document, options, held)
    if report.refusal:
        return report
    report.validation = validate_graph(document.graph)
    if not report.validation.conforms and not options.force:
        count = len(report.validation.violations)
        report.refusal = f"it does not conform to the shapes ({count} violation(s))"
        return report
    report.reconciliation = reconcile(document.graph, register_index())
    when = now or datetime.now(UTC)
    graphs = serialized_graphs(
        {
            report.graph: document.graph,
            report.linkset: _linkset(report, report.reconciliation, when),
        }
    )
    # The imported triples are serialized as read, their provenance after them: not copied.
    graphs[report.graph] += _provenance(document, report, when).serialize(
        format="nt", encoding="utf-8"
    )
    store.replace_serialized({**vocabulary_ntriples(), **graphs})
    return report


def default_name(document: RdfDocument) -> str:
    """A slug of the source's last name segment: its file stem, the URL's or the remote graph's
    last path segment."""
    if document.file_name:
        stem = PurePosixPath(document.file_name).stem
    elif document.remote_graph:
        stem = re.split(r"[/#]", document.remote_graph.rstrip("/#"))[-1]
    else:
        parts = urlsplit(document.url or document.label)
        stem = PurePosixPath(parts.path).stem or parts.hostname or ""
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    return slug or "linked"


def _source_identity(document: RdfDocument) -> str:
    return document.url or document.remote_graph or document.file_name or document.label


def _refusal(document: RdfDocument, options: LinkOptions, held: str | None) -> str | None:
    if not len(document.graph):
        return "it holds no triples"
    ours = sorted({str(s) for s in document.graph.subjects() if str(s).startswith(BASE)})
    if ours:
        shown = ", ".join(f"<{s}>" for s in ours[:SHOWN_INTRUSIONS])
        more = f" and {len(ours) - SHOWN_INTRUSIONS} more" if len(ours) > SHOWN_INTRUSIONS else ""
        return (
            f"it describes {len(ours)} node(s) of wpsgraph's own namespace ({shown}{more}); "
            "a linked graph may point to our IRIs but not state anything about them: "
            "remove those statements (equivalences go from your node to ours)"
        )
    if held is not None and options.name is None and held != _source_identity(document):
        return (
            f"the linked graph '{default_name(document)}' holds another source ({held}); "
            "choose another --name for this one, or pass --name to replace it"
        )
    return None


def _held_source(store: Store, graph: URIRef) -> str | None:
    """What the store's linked graph of that IRI was read from; None when there is none."""
    if graph not in store.named_graphs():
        return None
    result = store.query(
        f"SELECT ?from ?file WHERE {{ GRAPH <{graph}> {{ <{graph}> a <{WPS.LinkedGraph}> . "
        f"OPTIONAL {{ <{graph}> <{PROV.wasDerivedFrom}> ?from }} "
        f"OPTIONAL {{ <{graph}> <{WPS.sourceFile}> ?file }} }} }}"
    )
    assert isinstance(result, SelectResult)
    for row in result.rows:
        value = row.get("from") or row.get("file")
        if value is not None:
            return str(value)
    return "a source it does not record"


def _provenance(document: RdfDocument, report: LinkReport, when: datetime) -> Graph:
    graph = Graph()
    node = report.graph
    graph.add((node, RDF.type, WPS.LinkedGraph))
    graph.add((node, DCTERMS.identifier, Literal(report.name)))
    graph.add((node, PROV.generatedAtTime, _timestamp(when)))
    graph.add((node, WPS.sourceSha256, Literal(document.sha256)))
    graph.add((node, VOID.triples, Literal(report.triples)))
    if document.file_name:
        graph.add((node, WPS.sourceFile, Literal(document.file_name)))
    if document.url:
        graph.add((node, PROV.wasDerivedFrom, URIRef(document.url)))
    if document.remote_graph and document.endpoint:
        remote = URIRef(document.remote_graph)
        graph.add((node, PROV.wasDerivedFrom, remote))
        graph.add((remote, RDF.type, VOID.Dataset))
        graph.add((remote, VOID.sparqlEndpoint, URIRef(document.endpoint)))
    return graph


def _linkset(report: LinkReport, reconciliation: Reconciliation, when: datetime) -> Graph:
    graph = Graph()
    linkset, register = report.linkset, VOCABULARY_GRAPHS["register"]
    links = reconciliation.links
    graph.add((linkset, RDF.type, VOID.Linkset))
    graph.add(
        (
            linkset,
            DCTERMS.title,
            Literal(f"Actors of '{report.name}' in the wpsgraph register", lang="en"),
        )
    )
    graph.add((linkset, VOID.subjectsTarget, report.graph))
    graph.add((linkset, VOID.objectsTarget, register))
    graph.add((linkset, VOID.linkPredicate, SKOS.exactMatch))
    graph.add((linkset, VOID.triples, Literal(len(links))))
    graph.add((linkset, PROV.generatedAtTime, _timestamp(when)))
    graph.add((register, RDF.type, VOID.Dataset))
    for match in links:
        graph.add((match.node, SKOS.exactMatch, match.actor))
    return graph


def _timestamp(when: datetime) -> Literal:
    return Literal(xsd_date_time(when.astimezone(UTC)), datatype=XSD.dateTime)
