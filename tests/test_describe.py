"""wpsgraph describe: the DCAT + VoID description, computed by SPARQL on the store."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, PROV, RDF, VOID, XSD

from tests.conftest import SEED
from wpsgraph.cli import main
from wpsgraph.describe import describe_dataset, namespace
from wpsgraph.emit import DATASET, EVALUATIONS_SUBSET, HISTORY_SUBSET, VOCABULARY_GRAPHS
from wpsgraph.loader import load_files
from wpsgraph.resources import ontology_graph, ontology_iri
from wpsgraph.store import OxigraphStore, QueryResult, last_written, open_store
from wpsgraph.synth import write_corpus
from wpsgraph.vocab import WPS, WPS_NS

ENDPOINT = "https://wpsgraph.example.org/sparql"


class QueryOnly:
    """A store that answers SPARQL and nothing else: what a remote endpoint offers."""

    def __init__(self, store: OxigraphStore) -> None:
        self._store = store

    def query(self, sparql: str, bindings: None = None) -> QueryResult:
        return self._store.query(sparql, bindings)


def _partition(graph: Graph, dataset: URIRef, link: URIRef, key: URIRef, member: URIRef) -> int:
    measure = VOID.entities if link == VOID.classPartition else VOID.triples
    for partition in graph.objects(dataset, link):
        if graph.value(partition, key) == member:
            return int(graph.value(partition, measure))
    raise AssertionError(f"no {link} for {member}")


@pytest.fixture(scope="module")
def description(seed_store: OxigraphStore) -> Graph:
    return describe_dataset(QueryOnly(seed_store), endpoint_url=ENDPOINT)  # type: ignore[arg-type]


def test_counts_come_from_the_store(seed_store: OxigraphStore, description: Graph) -> None:
    assert int(description.value(DATASET, VOID.triples)) == len(seed_store)
    evaluation_graph = URIRef("https://w3id.org/wpsgraph/eval/unwomen/gate-11818/graph")
    assert int(description.value(EVALUATIONS_SUBSET, VOID.triples)) == len(
        seed_store.graph(evaluation_graph)
    )
    for name in VOCABULARY_GRAPHS.values():
        assert (DATASET, VOID.subset, name) in description
        assert int(description.value(name, VOID.triples)) == len(seed_store.graph(name))
    subset_graphs = _partition(
        description, EVALUATIONS_SUBSET, VOID.classPartition, VOID["class"], WPS.EvaluationGraph
    )
    assert subset_graphs == 1
    assert _partition(description, DATASET, VOID.classPartition, VOID["class"], WPS.KeyAction) == 13
    assert _partition(description, DATASET, VOID.propertyPartition, VOID.property, WPS.status) == 13


def test_dcat_and_void_header(description: Graph) -> None:
    assert {DCAT.Dataset, VOID.Dataset} <= set(description.objects(DATASET, RDF.type))
    assert description.value(DATASET, DCTERMS.title) is not None
    assert description.value(DATASET, DCTERMS.description) is not None
    assert description.value(DATASET, DCTERMS.license) == ontology_graph().value(
        ontology_iri(), DCTERMS.license
    )
    assert description.value(DATASET, DCTERMS.conformsTo) == ontology_iri()
    assert str(description.value(DATASET, VOID.uriSpace)) == "https://w3id.org/wpsgraph/"
    vocabularies = {str(v) for v in description.objects(DATASET, VOID.vocabulary)}
    assert {WPS_NS, "http://schema.org/", str(PROV), str(DCTERMS)} <= vocabularies


def test_the_endpoint_is_a_data_service(description: Graph) -> None:
    assert description.value(DATASET, VOID.sparqlEndpoint) == URIRef(ENDPOINT)
    service = description.value(None, DCAT.servesDataset, DATASET)
    assert (service, RDF.type, DCAT.DataService) in description
    assert description.value(service, DCAT.endpointURL) == URIRef(ENDPOINT)


def test_no_endpoint_no_service(seed_store: OxigraphStore) -> None:
    description = describe_dataset(seed_store)
    assert description.value(DATASET, VOID.sparqlEndpoint) is None
    assert not list(description.subjects(RDF.type, DCAT.DataService))


def test_evaluation_graphs_are_summarised_not_listed(tmp_path: Path) -> None:
    corpus = write_corpus(3, tmp_path / "corpus", seed=1, versions=2)
    with open_store(None) as store:
        load_files(corpus, store)
        description = describe_dataset(store)
        names = [str(g) for g in store.named_graphs() if "/eval/" in str(g)]
        sizes = {g: len(store.graph(URIRef(g))) for g in names}
    evaluations = [g for g in names if g.endswith("/graph") and "/version/" not in g]
    assert len(evaluations) == 3
    assert int(description.value(EVALUATIONS_SUBSET, VOID.triples)) == sum(
        sizes[g] for g in evaluations
    )
    # Their versions (two each) and history graphs are one subset too.
    history = set(names) - set(evaluations)
    assert len(history) == 9
    assert int(description.value(HISTORY_SUBSET, VOID.triples)) == sum(sizes[g] for g in history)
    subsets = set(description.objects(DATASET, VOID.subset))
    assert subsets == {EVALUATIONS_SUBSET, HISTORY_SUBSET, *VOCABULARY_GRAPHS.values()}
    partition = _partition(
        description, EVALUATIONS_SUBSET, VOID.classPartition, VOID["class"], WPS.EvaluationGraph
    )
    assert partition == 3
    for cls, count in ((WPS.SourceVersion, 6), (WPS.HistoryGraph, 3)):
        assert _partition(description, HISTORY_SUBSET, VOID.classPartition, VOID["class"], cls) == (
            count
        )


def test_modified_is_the_latest_time_the_store_knows() -> None:
    linked = URIRef("https://example.org/linked/graph")
    recorded = Literal("2030-05-01T12:00:00Z", datatype=XSD.dateTime)
    with open_store(None) as store:
        load_files([SEED], store)
        assert describe_dataset(store).value(DATASET, DCTERMS.modified) is None
        earlier = datetime(2029, 1, 1, tzinfo=UTC)
        modified = describe_dataset(store, written_at=earlier).value(DATASET, DCTERMS.modified)
        assert modified.toPython() == earlier
        graph = Graph()
        graph.add((linked, PROV.generatedAtTime, recorded))
        store.replace_graphs({linked: graph})
        description = describe_dataset(store, written_at=earlier)
        assert description.value(DATASET, DCTERMS.modified).toPython() == recorded.toPython()
        assert (DATASET, VOID.subset, linked) in description


def test_last_written_is_the_newest_data_file(seed_store_dir: Path, tmp_path: Path) -> None:
    written = last_written(seed_store_dir)
    assert written is not None
    assert (datetime.now(UTC) - written).total_seconds() < 3600
    assert last_written(tmp_path) is None


def test_namespace_of_an_iri() -> None:
    assert namespace(str(WPS.KeyAction)) == WPS_NS
    assert namespace("http://xmlns.com/foaf/0.1/name") == "http://xmlns.com/foaf/0.1/"
    assert namespace("http://example.org/ns#p") == "http://example.org/ns#"


def test_cli_writes_turtle_and_jsonld_alike(seed_store_dir: Path, tmp_path: Path) -> None:
    turtle, jsonld = tmp_path / "void.ttl", tmp_path / "void.jsonld"
    store = ["--store", str(seed_store_dir), "--endpoint-url", ENDPOINT]
    assert main(["describe", *store, "-o", str(turtle)]) == 0
    assert main(["describe", *store, "--format", "jsonld", "-o", str(jsonld)]) == 0
    from_turtle = Graph().parse(turtle, format="turtle")
    assert isomorphic(from_turtle, Graph().parse(jsonld, format="json-ld"))
    assert from_turtle.value(DATASET, DCTERMS.modified) is not None  # the store's last write


@pytest.mark.parametrize("url", ["sparql", "ftp://example.org/sparql", "https://"])
def test_a_bad_endpoint_url_is_refused_and_nothing_written(
    seed_store_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], url: str
) -> None:
    out = tmp_path / "void.ttl"
    args = ["describe", "--store", str(seed_store_dir), "--endpoint-url", url, "-o", str(out)]
    assert main(args) == 2
    assert "--endpoint-url" in capsys.readouterr().err
    assert not out.exists()
