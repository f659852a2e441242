"""JSON-LD output compacted with the shipped context: round trips, short names, the context
itself kept in step with the ontology."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import OWL, RDF, RDFS, XSD

from tests.conftest import SEED_EVALUATION
from wpsgraph.cli import main
from wpsgraph.formats import compact_jsonld
from wpsgraph.jsonld import context_document
from wpsgraph.resources import ontology_graph
from wpsgraph.store import OxigraphStore
from wpsgraph.vocab import WPS, WPS_NS

CONTEXT = context_document()["@context"]
ACTION = f"{SEED_EVALUATION}/rec/1/action/2"
SHORT_ACTION = ACTION.replace("https://w3id.org/wpsgraph/", "wpsid:")


def _export(store: OxigraphStore) -> str:
    out = io.BytesIO()
    store.export(out, "jsonld")
    return out.getvalue().decode("utf-8")


def _dataset(text: str) -> Dataset:
    return Dataset().parse(data=text, format="json-ld")


def _node(document: dict, iri: str) -> dict:
    short = iri.replace("https://w3id.org/wpsgraph/", "wpsid:")
    for item in document["@graph"]:
        for node in item.get("@graph", [item]):
            if node.get("id") == short:
                return node
    raise AssertionError(f"{short} not in the document")


@pytest.fixture(scope="module")
def exported(seed_store: OxigraphStore) -> str:
    return _export(seed_store)


def test_export_round_trips_every_named_graph(seed_store: OxigraphStore, exported: str) -> None:
    dataset = _dataset(exported)
    names = {g.identifier for g in dataset.graphs() if g.identifier != DATASET_DEFAULT_GRAPH_ID}
    assert names == set(seed_store.named_graphs())
    for name in names:
        assert isomorphic(dataset.graph(name), seed_store.graph(name)), name


def test_export_uses_the_context_short_names(exported: str) -> None:
    document = json.loads(exported)
    assert document["@context"] == CONTEXT  # inline: nothing to fetch
    action = _node(document, ACTION)
    assert action["type"] == "KeyAction"
    assert action["deadline"] == "2029-12"
    assert action["number"] == "2"
    assert action["status"] == "wpsid:scheme/action-status/initiated"
    assert action["forRecommendation"] == "wpsid:eval/unwomen/gate-11818/rec/1"
    assert action["text"]["en"].startswith("Strengthen collaboration with DPPA")
    assert action["actionStatus"] == "schema:ActiveActionStatus"
    graph = _node(document, f"{SEED_EVALUATION}/graph")
    assert graph["type"] == "EvaluationGraph" and graph["sourceFile"] == "gate-11818.txt"
    for item in document["@graph"]:
        for node in item["@graph"]:
            names = [*node, *node.get("type", [])] if isinstance(node.get("type"), list) else node
            assert not any(str(k).startswith(WPS_NS) for k in names), node  # a term or wps:name


def test_one_node_per_subject_per_line(exported: str) -> None:
    lines = [line for line in exported.splitlines() if line.lstrip().startswith('{"id"')]
    assert sum(f'"id": "{SHORT_ACTION}"' in line for line in lines) == 1


def test_values_a_term_does_not_fit_keep_their_exact_form() -> None:
    """A plain string where the term says xsd:integer, a text without a language, a blank node
    as a type, an RDF list and an IRI outside every namespace all survive."""
    node = URIRef("https://w3id.org/wpsgraph/eval/x/gate-1/rec/1/action/1")
    union = BNode()
    members = BNode()
    graph = Graph()
    for triple in [
        (node, RDF.type, WPS.KeyAction),
        (node, RDF.type, union),
        (union, RDF.type, OWL.Class),
        (union, OWL.unionOf, members),
        (node, WPS.number, Literal("first")),
        (node, WPS.number, Literal(2)),
        (node, WPS.text, Literal("no language")),
        (node, WPS.text, Literal("sin idioma", lang="es")),
        (node, WPS.deadline, Literal("2029/12")),
        (node, WPS.status, Literal("not an IRI")),
        (node, RDFS.seeAlso, URIRef("urn:isbn:0451450523")),
        (node, URIRef("https://example.org/p"), Literal("1.5", datatype=XSD.decimal)),
    ]:
        graph.add(triple)
    Collection(graph, members, [WPS.Unit, WPS.Partner])
    text = compact_jsonld(graph)
    assert isomorphic(Graph().parse(data=text, format="json-ld"), graph)
    compacted = json.loads(text)["@graph"]
    action = next(n for n in compacted if n.get("id") == "wpsid:eval/x/gate-1/rec/1/action/1")
    assert action["number"] == "2"
    assert action["wps:number"] == "first"
    assert action["text"] == {"es": "sin idioma"}
    assert action["wps:text"] == "no language"
    assert action["seeAlso"] == "urn:isbn:0451450523"


def test_sparql_describe_as_jsonld(
    seed_store: OxigraphStore, seed_store_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    query = f"DESCRIBE <{ACTION}>"
    assert main(["sparql", query, "--store", str(seed_store_dir), "--format", "jsonld"]) == 0
    text = capsys.readouterr().out
    document = json.loads(text)
    assert [n["id"] for n in document["@graph"]] == [SHORT_ACTION]
    expected = seed_store.query(query)
    assert isinstance(expected, Graph) and len(expected) > 10
    assert isomorphic(Graph().parse(data=text, format="json-ld"), expected)


# --- the context and the ontology ------------------------------------------------------------


def _expand(value: str) -> str:
    prefix, _, local = value.partition(":")
    return CONTEXT[prefix] + local if isinstance(CONTEXT.get(prefix), str) else value


def _terms_by_iri() -> dict[str, tuple[str, dict]]:
    terms = {}
    for name, definition in CONTEXT.items():
        if isinstance(definition, dict):
            terms[_expand(definition["@id"])] = (name, definition)
        elif not definition.startswith("@") and not definition.endswith(("/", "#")):
            terms[_expand(definition)] = (name, {})
    return terms


def _declared() -> list[URIRef]:
    ontology = ontology_graph()
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    return sorted(
        {s for k in kinds for s in ontology.subjects(RDF.type, k) if str(s).startswith(WPS_NS)}
    )


@pytest.mark.parametrize("term", _declared(), ids=lambda t: t.fragment)
def test_every_ontology_term_has_a_context_term_typed_by_its_range(term: URIRef) -> None:
    ontology = ontology_graph()
    name, definition = _terms_by_iri()[str(term)]
    assert name == term.fragment
    if (term, RDF.type, OWL.ObjectProperty) in ontology:
        assert definition == {"@id": f"wps:{name}", "@type": "@id"}
    elif (term, RDF.type, OWL.DatatypeProperty) in ontology:
        range_ = ontology.value(term, RDFS.range)
        if range_ == XSD.string:
            assert definition == {}
        elif range_ == RDFS.Literal:
            assert definition.get("@container") == "@language"
        else:
            assert _expand(definition["@type"]) == str(range_)
    else:
        assert definition == {}


def test_every_wps_term_in_the_context_is_declared() -> None:
    declared = {str(t) for t in _declared()}
    used = {iri for iri in _terms_by_iri() if iri.startswith(WPS_NS)}
    assert used <= declared, used - declared


def test_the_context_ships_inside_the_package() -> None:
    import wpsgraph

    assert (Path(wpsgraph.__file__).parent / "context.jsonld").is_file()
    pyproject = (Path(__file__).parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    assert '"context.jsonld"' in pyproject
