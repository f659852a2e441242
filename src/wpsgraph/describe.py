"""A DCAT + VoID description of the dataset a store holds. Every figure comes from a SPARQL
aggregate run by the store, so it describes any Store (the embedded one, a remote endpoint) and
stays one scan per figure at 10,000 evaluations; the 10,000 evaluation graphs are summarised as
one subset, their versions' and history graphs as another, and every other named graph
(vocabulary, linked graphs) is listed with its size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, PROV, RDF, VOID, XSD

from wpsgraph.emit import (
    DATASET,
    EVALUATIONS_SUBSET,
    HISTORY_SUBSET,
    VOCABULARY_GRAPHS,
    xsd_date_time,
)
from wpsgraph.errors import QueryError, WpsGraphError
from wpsgraph.resources import ontology_graph, ontology_iri
from wpsgraph.store import SelectResult, Store
from wpsgraph.vocab import BASE, PREFIXES, TITLE, WPS, bind_prefixes

DESCRIPTION = (
    "Management responses to evaluations (recommendations, whether they are accepted, and the "
    "key actions promised, with responsible units, deadlines and status) as linked data, one "
    "named graph per evaluation, with the ontology, concept schemes and actor register they use."
)
EVALUATIONS_TITLE = "Evaluation graphs"
EVALUATIONS_DESCRIPTION = (
    "The named graphs that each hold one evaluation's management response, with the source "
    "file and checksum it was loaded from. void:classPartition of wps:EvaluationGraph counts them."
)
HISTORY_TITLE = "History graphs"
HISTORY_DESCRIPTION = (
    "The named graphs that keep every loaded version of each management response (one per "
    "version: when it was observed and what each key action showed) and the graph per "
    "evaluation that orders them. void:classPartition counts the versions and the evaluations."
)
VOCABULARY_TITLES = {
    VOCABULARY_GRAPHS["ontology"]: "The wpsgraph ontology",
    VOCABULARY_GRAPHS["schemes"]: "The wpsgraph concept schemes",
    VOCABULARY_GRAPHS["register"]: "The wpsgraph actor register",
}
SPARQL_PROTOCOL = URIRef("https://www.w3.org/TR/sparql11-protocol/")

# Quads, per named graph: void:triples of the dataset is their sum (a triple held in two graphs
# counts twice, as it is stored twice).
GRAPH_SIZES = "SELECT ?g (COUNT(*) AS ?triples) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
EVALUATION_GRAPHS = f"SELECT ?g WHERE {{ GRAPH ?g {{ ?g a <{WPS.EvaluationGraph}> }} }}"
# A version's graph holds its wps:SourceVersion; an evaluation's history graph describes itself.
HISTORY_GRAPHS = f"""SELECT DISTINCT ?g WHERE {{
  GRAPH ?g {{ {{ ?g a <{WPS.HistoryGraph}> }} UNION {{ ?version a <{WPS.SourceVersion}> }} }}
}}"""
PROPERTY_SIZES = "SELECT ?p (COUNT(*) AS ?triples) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?p"
CLASS_SIZES = (
    "SELECT ?c (COUNT(DISTINCT ?s) AS ?entities) WHERE { GRAPH ?g { ?s a ?c } } GROUP BY ?c"
)
# What a graph records about its own making (a linked graph's retrieval time, say).
RECORDED_MODIFIED = f"""SELECT (MAX(?t) AS ?modified) WHERE {{
  GRAPH ?g {{ ?g <{DCTERMS.modified}>|<{PROV.generatedAtTime}> ?t }}
  FILTER(DATATYPE(?t) = <{XSD.dateTime}>)
}}"""

# A partition kind: how the dataset links it, what it is about, and what it counts.
PartitionKind = tuple[URIRef, URIRef, URIRef]
CLASS_PARTITION: PartitionKind = (VOID.classPartition, VOID["class"], VOID.entities)
PROPERTY_PARTITION: PartitionKind = (VOID.propertyPartition, VOID.property, VOID.triples)


@dataclass(frozen=True)
class Sizes:
    graphs: dict[URIRef, int]
    evaluation_graphs: set[URIRef]
    history_graphs: set[URIRef]
    properties: dict[URIRef, int]
    classes: dict[URIRef, int]


def describe_dataset(
    store: Store, *, endpoint_url: str | None = None, written_at: datetime | None = None
) -> Graph:
    """The store's dataset in DCAT and VoID. endpoint_url: where it is served (SPARQL);
    written_at: when the store last took data, if it knows; dcterms:modified is the later of
    that and any time a graph records about itself."""
    if endpoint_url is not None:
        check_endpoint_url(endpoint_url)
    sizes = measured(store)
    graph = bind_prefixes(Graph())
    _describe_whole(graph, sizes)
    _describe_subsets(graph, sizes)
    modified = max(
        (t for t in (recorded_modified(store), written_at) if t is not None), default=None
    )
    if modified is not None:
        graph.add((DATASET, DCTERMS.modified, _datetime_literal(modified)))
    if endpoint_url is not None:
        _describe_endpoint(graph, URIRef(endpoint_url))
    return graph


def check_endpoint_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise WpsGraphError(f"--endpoint-url: expected an absolute http(s) URL, got '{url}'")


def measured(store: Store) -> Sizes:
    return Sizes(
        graphs={row["g"]: int(row["triples"]) for row in _rows(store, GRAPH_SIZES)},
        evaluation_graphs={row["g"] for row in _rows(store, EVALUATION_GRAPHS)},
        history_graphs={row["g"] for row in _rows(store, HISTORY_GRAPHS)},
        properties={row["p"]: int(row["triples"]) for row in _rows(store, PROPERTY_SIZES)},
        classes={row["c"]: int(row["entities"]) for row in _rows(store, CLASS_SIZES)},
    )


def recorded_modified(store: Store) -> datetime | None:
    rows = _rows(store, RECORDED_MODIFIED)
    value = rows[0]["modified"] if rows else None
    if not isinstance(value, Literal) or not isinstance(value.toPython(), datetime):
        return None
    moment: datetime = value.toPython()
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _rows(store: Store, sparql: str) -> list[dict]:
    result = store.query(sparql)
    if not isinstance(result, SelectResult):
        raise QueryError(f"the store answered a SELECT with {type(result).__name__}")
    return [row for row in result.rows if all(v is not None for v in row.values())]


def _describe_whole(graph: Graph, sizes: Sizes) -> None:
    ontology = ontology_iri()
    for cls in (DCAT.Dataset, VOID.Dataset):
        graph.add((DATASET, RDF.type, cls))
    graph.add((DATASET, DCTERMS.title, Literal(TITLE, lang="en")))
    graph.add((DATASET, DCTERMS.description, Literal(DESCRIPTION, lang="en")))
    # The project's licence, as the ontology header declares it.
    for licence in ontology_graph().objects(ontology, DCTERMS.license):
        graph.add((DATASET, DCTERMS.license, licence))
    graph.add((DATASET, DCTERMS.conformsTo, ontology))
    graph.add((DATASET, VOID.uriSpace, Literal(BASE)))
    graph.add((DATASET, VOID.triples, Literal(sum(sizes.graphs.values()))))
    for vocabulary in sorted({namespace(iri) for iri in [*sizes.properties, *sizes.classes]}):
        graph.add((DATASET, VOID.vocabulary, URIRef(vocabulary)))
    _partitions(graph, DATASET, CLASS_PARTITION, sizes.classes)
    _partitions(graph, DATASET, PROPERTY_PARTITION, sizes.properties)


def _describe_subsets(graph: Graph, sizes: Sizes) -> None:
    evaluations = sizes.evaluation_graphs & sizes.graphs.keys()
    history = sizes.history_graphs & sizes.graphs.keys()
    if evaluations:
        _summary(graph, EVALUATIONS_SUBSET, (EVALUATIONS_TITLE, EVALUATIONS_DESCRIPTION))
        graph.add((EVALUATIONS_SUBSET, VOID.triples, _triples(evaluations, sizes)))
        _partitions(
            graph, EVALUATIONS_SUBSET, CLASS_PARTITION, {WPS.EvaluationGraph: len(evaluations)}
        )
    if history:
        _summary(graph, HISTORY_SUBSET, (HISTORY_TITLE, HISTORY_DESCRIPTION))
        graph.add((HISTORY_SUBSET, VOID.triples, _triples(history, sizes)))
        counts = {c: sizes.classes.get(c, 0) for c in (WPS.SourceVersion, WPS.HistoryGraph)}
        _partitions(graph, HISTORY_SUBSET, CLASS_PARTITION, counts)
    for name in sorted(sizes.graphs.keys() - evaluations - history):
        graph.add((DATASET, VOID.subset, name))
        graph.add((name, RDF.type, VOID.Dataset))
        graph.add((name, VOID.triples, Literal(sizes.graphs[name])))
        if name in VOCABULARY_TITLES:
            graph.add((name, DCTERMS.title, Literal(VOCABULARY_TITLES[name], lang="en")))


def _summary(graph: Graph, subset: URIRef, text: tuple[str, str]) -> None:
    """A subset that stands for many named graphs of one kind."""
    graph.add((DATASET, VOID.subset, subset))
    graph.add((subset, RDF.type, VOID.Dataset))
    graph.add((subset, DCTERMS.title, Literal(text[0], lang="en")))
    graph.add((subset, DCTERMS.description, Literal(text[1], lang="en")))


def _triples(names: set[URIRef], sizes: Sizes) -> Literal:
    return Literal(sum(sizes.graphs[g] for g in names))


def _partitions(
    graph: Graph, dataset: URIRef, kind: PartitionKind, counts: dict[URIRef, int]
) -> None:
    """One VoID partition per class or property, labelled in IRI order so that the same store
    gives the same text."""
    link, key, measure = kind
    for index, (member, count) in enumerate(sorted(counts.items())):
        partition = BNode(f"{dataset.rsplit('/', 1)[-1]}-{link.fragment}-{index}")
        graph.add((dataset, link, partition))
        graph.add((partition, key, member))
        graph.add((partition, measure, Literal(count)))


def _describe_endpoint(graph: Graph, url: URIRef) -> None:
    service = BNode()
    graph.add((DATASET, VOID.sparqlEndpoint, url))
    graph.add((service, RDF.type, DCAT.DataService))
    graph.add((service, DCTERMS.title, Literal(f"{TITLE}: SPARQL endpoint", lang="en")))
    graph.add((service, DCAT.endpointURL, url))
    graph.add((service, DCAT.servesDataset, DATASET))
    graph.add((service, DCTERMS.conformsTo, SPARQL_PROTOCOL))


def namespace(iri: str) -> str:
    """The vocabulary an IRI belongs to: its longest known namespace, else the IRI up to its
    last '#' or '/'."""
    known = [str(ns) for ns in PREFIXES.values() if iri.startswith(str(ns)) and str(ns) != BASE]
    if known:
        return max(known, key=len)
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1] if cut > 0 else iri


def _datetime_literal(moment: datetime) -> Literal:
    return Literal(xsd_date_time(moment.astimezone(UTC)), datatype=XSD.dateTime)
