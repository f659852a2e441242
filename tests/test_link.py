"""wpsgraph link: another organisation's graph (data/linked/, synthetic) is validated, its actors
are matched to the register, and it is stored beside UN Women's evaluations so that the
cross-organisation query joins the two through shared partners. Sources are files, URLs served
from 127.0.0.1, and one graph of a local SPARQL endpoint."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS, VOID, Namespace

from tests.conftest import SEED
from tests.servers import document, serve, sparql_endpoint
from wpsgraph.cli import main
from wpsgraph.emit import linked_graph_iri, linkset_iri
from wpsgraph.link import LinkOptions, default_name, link_document
from wpsgraph.loader import load_files
from wpsgraph.paths import LINKED_DIR
from wpsgraph.queries import discover, run_canned
from wpsgraph.rdfsource import RdfDocument, parse, read_file
from wpsgraph.store import OxigraphStore, open_store
from wpsgraph.vocab import WPS

# Plain Namespaces: pytest probes module attributes; rdflib's DCAT and XSD warn on unknown names.
DCAT = Namespace("http://www.w3.org/ns/dcat#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
EXAMPLE = LINKED_DIR / "northbridge-evaluations.ttl"
NB = "https://example.org/northbridge/"
WPSORG = "https://w3id.org/wpsgraph/org/"
REGISTER = URIRef("https://w3id.org/wpsgraph/graph/register")
GRAPH = linked_graph_iri("northbridge-evaluations")
LINKSET = linkset_iri("northbridge-evaluations")
WHEN = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)


@pytest.fixture
def seed_and_example() -> Iterator[OxigraphStore]:
    with open_store(None) as store:
        assert not load_files([SEED], store).rejected
        report = link_document(store, read_file(EXAMPLE), now=WHEN)
        assert report.written, report.refusal
        yield store


def shared_partner_rows(store: OxigraphStore) -> list[tuple[str, ...]]:
    result = run_canned(store, discover()["shared-partners"], {})
    keep = (
        "actor",
        "organisation",
        "evaluation_id",
        "named_in",
        "recommendation",
        "action",
        "role",
    )
    return [tuple(str(row[k] or "") for k in keep) for row in result.rows]


# -- the example and what linking it proves ------------------------------------------------------


def test_the_example_is_synthetic_and_another_organisations() -> None:
    graph = Graph().parse(EXAMPLE, format="turtle")
    dataset = URIRef(NB + "dataset")
    assert (dataset, RDF.type, DCAT.Dataset) in graph
    assert Literal("synthetic", lang="en") in set(graph.objects(dataset, DCAT.keyword))
    assert "SYNTHETIC" in str(graph.value(dataset, DCTERMS.title))
    subjects = {str(s) for s in graph.subjects()}
    assert all(s.startswith(NB) for s in subjects), "the publisher's own IRIs only"


def test_linking_joins_the_two_organisations_through_shared_partners(
    seed_and_example: OxigraphStore,
) -> None:
    rows = shared_partner_rows(seed_and_example)
    actors = {r[0] for r in rows}
    # Named by both: DPPA (their IRI, matched by label), the Security Council (owl:sameAs the
    # Wikidata item the register also records), WPHF (a label with a curly apostrophe), OHCHR
    # (our IRI) and UN Women's PSRU (our IRI).
    assert actors == {
        WPSORG + "dppa",
        WPSORG + "un-security-council",
        WPSORG + "wphf",
        WPSORG + "ohchr",
        WPSORG + "unwomen/unit/ppid-psru",
    }
    for actor in actors:
        assert {r[1] for r in rows if r[0] == actor} == {NB + "org", WPSORG + "unwomen"}
    # One actor, several names: their DPPA node appears as the register's DPPA, in their places.
    assert (
        WPSORG + "dppa", NB + "org", "NPF-2025-03", "key action", "Recommendation 1", "1.1",
        "mentioned",
    ) in rows  # fmt: skip
    assert (
        WPSORG + "unwomen/unit/ppid-psru", NB + "org", "NPF-2025-03", "key action",
        "Recommendation 1", "1.1", "supporting",
    ) in rows  # fmt: skip
    assert not any(NB in r[0] for r in rows)


def test_the_shared_partners_golden_rows(seed_and_example: OxigraphStore) -> None:
    """Every row for the two partners matched from the other publisher's own IRIs."""
    rows = [r for r in shared_partner_rows(seed_and_example) if r[0].endswith(("/wphf", "/dppa"))]
    dppa, wphf = WPSORG + "dppa", WPSORG + "wphf"
    npf, unw = (NB + "org", "NPF-2025-03"), (WPSORG + "unwomen", "11818")
    mr, rec, rr, ka = (
        "management response",
        "recommendation",
        "response to a recommendation",
        "key action",
    )
    r1, r3, r4, r5 = (f"Recommendation {n}" for n in (1, 3, 4, 5))
    assert rows == [
        (dppa, *npf, mr, "", "", "mentioned"),
        (dppa, *npf, rec, r1, "", "mentioned"),
        (dppa, *npf, ka, r1, "1.1", "mentioned"),
        (dppa, *npf, ka, r1, "1.1", "supporting"),
        (dppa, *unw, mr, "", "", "mentioned"),
        (dppa, *unw, rr, r1, "", "mentioned"),
        (dppa, *unw, ka, r1, "2)", "mentioned"),
        (dppa, *unw, ka, r3, "1)", "mentioned"),
        (wphf, *npf, rr, r1, "", "mentioned"),
        (wphf, *unw, rr, r4, "", "mentioned"),
        (wphf, *unw, ka, r4, "1)", "mentioned"),
        (wphf, *unw, rr, r5, "", "mentioned"),
    ]


def test_shared_partners_is_empty_with_one_organisation(seed_store: OxigraphStore) -> None:
    assert shared_partner_rows(seed_store) == []


def test_the_linked_graph_carries_its_provenance(seed_and_example: OxigraphStore) -> None:
    graph = seed_and_example.graph(GRAPH)
    data = EXAMPLE.read_bytes()
    assert (GRAPH, RDF.type, WPS.LinkedGraph) in graph
    assert graph.value(GRAPH, WPS.sourceFile) == Literal(EXAMPLE.name)
    assert graph.value(GRAPH, WPS.sourceSha256) == Literal(hashlib.sha256(data).hexdigest())
    source_triples = len(Graph().parse(EXAMPLE, format="turtle"))
    assert graph.value(GRAPH, VOID.triples) == Literal(source_triples)
    assert graph.value(GRAPH, PROV.generatedAtTime) == Literal(
        "2026-11-27T10:00:00Z", datatype=XSD.dateTime
    )
    assert len(graph) == source_triples + 6


def test_the_linkset_is_described_with_void(seed_and_example: OxigraphStore) -> None:
    linkset = seed_and_example.graph(LINKSET)
    assert (LINKSET, RDF.type, VOID.Linkset) in linkset
    assert linkset.value(LINKSET, VOID.subjectsTarget) == GRAPH
    assert linkset.value(LINKSET, VOID.objectsTarget) == REGISTER
    assert linkset.value(LINKSET, VOID.linkPredicate) == SKOS.exactMatch
    links = set(linkset.subject_objects(SKOS.exactMatch))
    assert links == {
        (URIRef(NB + "partner/dppa"), URIRef(WPSORG + "dppa")),
        (URIRef(NB + "partner/security-council"), URIRef(WPSORG + "un-security-council")),
        (URIRef(NB + "partner/wphf"), URIRef(WPSORG + "wphf")),
    }
    assert linkset.value(LINKSET, VOID.triples) == Literal(len(links))


def test_the_store_conforms_after_linking(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    store = tmp_path / "store"
    assert main(["load", str(SEED), "--store", str(store), "--quiet"]) == 0
    assert main(["link", str(EXAMPLE), "--store", str(store)]) == 0
    assert main(["validate", "--store", str(store)]) == 0
    assert "Conforms" in capsys.readouterr().out


def test_linking_again_replaces_the_graph(seed_and_example: OxigraphStore) -> None:
    before = len(seed_and_example)
    report = link_document(seed_and_example, read_file(EXAMPLE), now=WHEN)
    assert report.written and report.replaced
    assert len(seed_and_example) == before
    changed = _document(
        EXAMPLE.read_text().replace("2021-2024", "2021-2025"), "northbridge-evaluations.ttl"
    )
    assert link_document(seed_and_example, changed).written
    titles = {str(t) for t in seed_and_example.graph(GRAPH).objects(None, DCTERMS.title)}
    assert not any("2021-2024" in t for t in titles) and any("2021-2025" in t for t in titles)


def test_another_source_under_a_taken_name_is_refused(seed_and_example: OxigraphStore) -> None:
    other = _document(
        EXAMPLE.read_text(),
        "northbridge-evaluations.ttl",
        url="https://example.org/x/northbridge-evaluations.ttl",
    )
    report = link_document(seed_and_example, other)
    assert not report.written
    assert "holds another source (northbridge-evaluations.ttl)" in str(report.refusal)
    assert link_document(
        seed_and_example, other, LinkOptions(name="northbridge-evaluations")
    ).written


@pytest.mark.parametrize(
    ("source", "name"),
    [
        ({"file_name": "DPPA Evaluations 2025.ttl"}, "dppa-evaluations-2025"),
        ({"url": "https://example.org/data/wps.jsonld?v=2"}, "wps"),
        ({"url": "https://example.org/"}, "example-org"),
        ({"endpoint": "https://e/sparql", "remote_graph": "https://e/g/pbf#"}, "pbf"),
    ],
)
def test_default_names(source: dict[str, str], name: str) -> None:
    assert default_name(RdfDocument("x", "", Graph(), **source)) == name


# -- refusals: nothing is written ---------------------------------------------------------------


def broken_example() -> str:
    """The example with three mistakes a publisher could make."""
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace('"2026-06"^^xsd:gYearMonth', '"2026/06"^^xsd:gYearMonth')
    text = text.replace(
        '    skos:prefLabel "Sahel Women Mediators Network (synthetic)"@en .', "    ."
    )
    return text.replace("    wps:status status:completed ;\n", "")


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    path = tmp_path / "broken.ttl"
    path.write_text(broken_example(), "utf-8")
    return path


def test_a_broken_copy_is_refused_with_an_actionable_report(
    broken: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    store = tmp_path / "store"
    assert main(["load", str(SEED), "--store", str(store), "--quiet"]) == 0
    capsys.readouterr()
    assert main(["link", str(broken), "--store", str(store)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"refused: {broken}: it does not conform to the shapes (3 violation(s))")
    assert "nothing was written" in out
    # What to fix, per node: the node, the property, the value and what was expected.
    assert (
        f"<{NB}eval/npf-2025-03/rec/1/action/1>\n  violation: property wps:deadline, value" in out
    )
    assert '"2026/06"^^xsd:gYearMonth' in out and "expected: wps:deadline must be" in out
    assert f"<{NB}partner/sahel-mediators>\n  violation: property skos:prefLabel: missing" in out
    assert (
        f"<{NB}eval/npf-2025-03/rec/2/action/1>\n  violation: property wps:status: missing" in out
    )
    with open_store(store, read_only=True) as opened:
        assert not [g for g in opened.named_graphs() if "/linked/" in g]


def test_force_stores_a_non_conforming_source(
    broken: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    store = tmp_path / "store"
    assert main(["link", str(broken), "--force", "--store", str(store)]) == 0
    out = capsys.readouterr().out
    assert "stored anyway: --force" in out
    with open_store(store, read_only=True) as opened:
        assert linked_graph_iri("broken") in opened.named_graphs()


def test_a_graph_that_describes_our_iris_is_refused() -> None:
    text = EXAMPLE.read_text(encoding="utf-8") + (
        '\nwpsorg:dppa skos:altLabel "Political affairs"@en .\n'
    )
    with open_store(None) as store:
        report = link_document(store, _document(text, "intruder.ttl"))
        assert not report.written and not store.named_graphs()
    assert f"describes 1 node(s) of wpsgraph's own namespace (<{WPSORG}dppa>)" in str(
        report.refusal
    )


def test_an_empty_source_is_refused() -> None:
    with open_store(None) as store:
        report = link_document(store, _document("# nothing\n", "empty.ttl"))
        assert report.refusal == "it holds no triples" and not store.named_graphs()


def test_a_bad_name_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["link", str(EXAMPLE), "--name", "Bad Name", "--store", str(tmp_path)]) == 2
    assert "--name Bad Name: expected lower-case letters" in capsys.readouterr().err


# -- sources: a URL and a remote graph, served from 127.0.0.1 --------------------------------------


def test_a_url_source_is_linked(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    routes = {"/data/northbridge.ttl": document(EXAMPLE.read_bytes(), "text/turtle; charset=utf-8")}
    store = tmp_path / "store"
    with serve(routes) as server:
        url = server.url("/data/northbridge.ttl")
        assert main(["load", str(SEED), "--store", str(store), "--quiet"]) == 0
        assert main(["link", url, "--store", str(store)]) == 0
    assert f"linked: {url} -> <{linked_graph_iri('northbridge')}>" in capsys.readouterr().out
    with open_store(store, read_only=True) as opened:
        graph = opened.graph(linked_graph_iri("northbridge"))
        assert graph.value(linked_graph_iri("northbridge"), PROV.wasDerivedFrom) == URIRef(url)
        assert shared_partner_rows(opened)


def test_a_graph_of_another_sparql_endpoint_is_linked(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    remote = ox.Store()
    remote_graph = "https://example.org/northbridge/graph/evaluations"
    remote.load(
        EXAMPLE.read_bytes(), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(remote_graph)
    )
    remote.add(ox.Quad(ox.NamedNode(NB + "other"), ox.NamedNode(NB + "p"), ox.Literal("elsewhere")))
    store = tmp_path / "store"
    with serve({"/sparql": sparql_endpoint(remote)}) as server:
        endpoint = server.url("/sparql")
        args = ["link", "--endpoint", endpoint, "--graph", remote_graph, "--store", str(store)]
        assert main(args) == 0
    assert "3 linked" in capsys.readouterr().out
    name = linked_graph_iri("evaluations")
    with open_store(store, read_only=True) as opened:
        graph = opened.graph(name)
    assert graph.value(name, PROV.wasDerivedFrom) == URIRef(remote_graph)
    assert graph.value(URIRef(remote_graph), VOID.sparqlEndpoint) == URIRef(endpoint)
    assert (URIRef(NB + "other"), None, None) not in graph  # only the named graph was read


def test_endpoint_and_graph_go_together(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["link", "--graph", "https://example.org/g", "--store", str(tmp_path)]) == 2
    assert "--endpoint URL and --graph IRI go together" in capsys.readouterr().err


def _document(text: str, file_name: str, url: str | None = None) -> RdfDocument:
    data = text.encode()
    graph = parse(data, ox.RdfFormat.TURTLE, file_name)
    digest = hashlib.sha256(data).hexdigest()
    if url:
        return RdfDocument(url, digest, graph, url=url)
    return RdfDocument(file_name, digest, graph, file_name=file_name)


# -- matched actors are one actor in the cross-evaluation queries --------------------------------


def matched_iris(store: OxigraphStore) -> set[str]:
    """The imported actors the linkset matches to the register."""
    return {str(s) for s, _, _ in store.graph(LINKSET).triples((None, SKOS.exactMatch, None))}


@pytest.mark.parametrize(
    ("query", "column"), [("partner-mentions", "partner"), ("open-actions-by-unit", "unit")]
)
def test_a_matched_actor_is_named_by_its_register_iri(
    seed_and_example: OxigraphStore, query: str, column: str
) -> None:
    matched = matched_iris(seed_and_example)
    assert NB + "partner/dppa" in matched
    result = run_canned(seed_and_example, discover()[query], {})
    named = {str(row[column]) for row in result.rows if row[column] is not None}
    assert named and not named & matched


def test_partner_mentions_lists_the_linked_graphs_mentions_under_the_register_partner(
    seed_and_example: OxigraphStore,
) -> None:
    result = run_canned(seed_and_example, discover()["partner-mentions"], {})
    dppa = {str(row["evaluation"]) for row in result.rows if str(row["partner"]) == WPSORG + "dppa"}
    assert any(e.startswith(NB) for e in dppa), "named by Northbridge's own IRI for DPPA"
    assert any(e.startswith("https://w3id.org/wpsgraph/eval/") for e in dppa)
