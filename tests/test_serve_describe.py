"""Our IRIs dereference: a GET on the path of https://w3id.org/wpsgraph/... describes the node, as
a page for people and as RDF by content negotiation; the ontology, schemes and register too."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from tests.conftest import SEED_EVALUATION
from tests.serving import get, http, running_server
from wpsgraph.serve.server import ServeError, Server
from wpsgraph.store import open_store
from wpsgraph.vocab import WPS

ACTION_PATH = "/eval/unwomen/gate-11818/rec/1/action/2"
ACTION = URIRef(SEED_EVALUATION + "/rec/1/action/2")
RDF_FORMATS = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
}


def page(server: Server, path: str) -> str:
    response = get(server.url, path, headers={"Accept": "text/html,*/*;q=0.8"})
    assert response.status == 200, response.text
    assert response.media_type == "text/html"
    return response.text


def links(text: str) -> set[str]:
    return {html.unescape(href) for href in re.findall(r'href="([^"]+)"', text)}


def test_a_key_action_page_reads_as_its_source_does(seed_server: Server) -> None:
    text = page(seed_server, ACTION_PATH)
    assert "<h1>Key action" in text
    # Labels, not bare IRIs: the unit's name, the status as printed in the scheme.
    assert "Peace, Security and Resilience Unit" in text
    assert "Initiated" in text
    found = links(text)
    # Related nodes as local paths, the source page as it is, the data in other formats.
    assert "/eval/unwomen/gate-11818/rec/1" in found
    assert "/org/unwomen/unit/ppid-psru" in found
    assert "/ontology#KeyAction" in found
    assert (
        "https://gate.unwomen.org/ManagementResponse/ViewManagementResponse?evaluationId=11818"
        in found
    )
    assert "/eval/unwomen/gate-11818" in found  # the evaluation, named by its title
    assert "?format=turtle" in found


@pytest.mark.parametrize("media_type", RDF_FORMATS)
def test_the_description_as_rdf_by_content_negotiation(
    media_type: str, seed_server: Server
) -> None:
    response = get(seed_server.url, ACTION_PATH, headers={"Accept": media_type})
    assert response.status == 200
    assert response.media_type == media_type
    assert response.headers["Vary"] == "Accept"
    described = Graph().parse(data=response.body, format=RDF_FORMATS[media_type])
    assert (ACTION, RDF.type, WPS.KeyAction) in described
    assert (ACTION, WPS.forRecommendation, URIRef(SEED_EVALUATION + "/rec/1")) in described
    assert set(described.subjects()) == {ACTION}


def test_format_parameter_overrides_accept(seed_server: Server) -> None:
    response = get(seed_server.url, ACTION_PATH, {"format": "nt"}, headers={"Accept": "text/html"})
    assert response.media_type == "application/n-triples"


@pytest.mark.parametrize(
    ("path", "label"),
    [
        ("/scheme/action-status/completed", "Completed"),
        ("/scheme/action-status", "Action status"),
        ("/org/unwomen/unit/ppid", "Policy, Programme and Intergovernmental Division"),
        ("/org/unwomen", "UN Women"),
        ("/eval/unwomen/gate-11818", "Corporate Evaluation of UN Women"),
    ],
)
def test_schemes_register_and_evaluations_resolve(
    path: str, label: str, seed_server: Server
) -> None:
    assert label in page(seed_server, path)
    turtle = get(seed_server.url, path, headers={"Accept": "text/turtle"})
    described = Graph().parse(data=turtle.body, format="turtle")
    assert any(
        label in str(o) for o in described.objects(URIRef("https://w3id.org/wpsgraph" + path))
    )


def test_the_ontology_resolves_with_every_term(seed_server: Server) -> None:
    text = page(seed_server, "/ontology")
    assert 'id="KeyAction"' in text
    assert 'id="forRecommendation"' in text
    turtle = get(seed_server.url, "/ontology", headers={"Accept": "text/turtle"})
    described = Graph().parse(data=turtle.body, format="turtle")
    assert (WPS.KeyAction, SKOS.definition, None) in described
    assert (URIRef("https://w3id.org/wpsgraph/ontology"), None, None) in described


def test_an_unknown_path_is_404(seed_server: Server) -> None:
    response = get(seed_server.url, "/eval/unwomen/gate-11818/rec/99")
    assert response.status == 404
    assert "nothing is known about <https://w3id.org/wpsgraph/eval/unwomen/gate-11818/rec/99>" in (
        response.text
    )


def test_a_concept_lists_what_refers_to_it(seed_server: Server) -> None:
    text = page(seed_server, "/scheme/action-status/initiated")
    assert "Referenced by" in text
    assert "/eval/unwomen/gate-11818/rec/1/action/2" in links(text)


def test_values_are_escaped_and_only_web_links_are_links(tmp_path: Path) -> None:
    node = URIRef("https://w3id.org/wpsgraph/eval/test/x")
    graph = Graph()
    graph.add((node, SKOS.prefLabel, Literal("<script>alert(1)</script>")))
    graph.add((node, WPS.mentions, URIRef("javascript:alert(1)")))
    with open_store(tmp_path) as store:
        store.replace_graphs({URIRef("https://w3id.org/wpsgraph/eval/test/graph"): graph})
    with running_server(tmp_path) as server:
        text = page(server, "/eval/test/x")
    assert "<script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "javascript:" not in "".join(links(text))


def test_a_documentation_folder_answers_browsers_at_the_ontologys_path(
    seed_store_dir: Path, tmp_path: Path
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.html").write_text("<h1>Generated ontology docs</h1>")
    (docs / "wps.ttl").write_text("# the ontology")
    with running_server(seed_store_dir, ontology_docs=docs) as server:
        assert "Generated ontology docs" in page(server, "/ontology/")
        # /ontology sends a browser to the folder, so that the pages' relative links work.
        redirect = http(f"{server.url}/ontology", headers={"Accept": "text/html"})
        assert "Generated ontology docs" in redirect.text
        assert get(server.url, "/ontology/wps.ttl").media_type == "text/turtle"
        assert get(server.url, "/ontology/missing.html").status == 404
        for path in ("/ontology", "/ontology/"):
            turtle = http(f"{server.url}{path}", headers={"Accept": "text/turtle"})
            described = Graph().parse(data=turtle.body, format="turtle")
            assert (WPS.KeyAction, SKOS.definition, None) in described


def test_without_a_folder_the_server_writes_the_documentation_itself(
    seed_store_dir: Path,
) -> None:
    with running_server(seed_store_dir, write_docs=True) as server:
        index = page(server, "/ontology/")
        assert 'id="KeyAction"' in index
        scheme = page(server, "/ontology/schemes/action-status.html")
        assert "Completed" in scheme
        assert get(server.url, "/ontology/wps.ttl").media_type == "text/turtle"


def test_a_folder_that_is_not_documentation_is_refused(
    seed_store_dir: Path, tmp_path: Path
) -> None:
    with (
        pytest.raises(ServeError, match=r"no index\.html; expected a folder written by"),
        running_server(seed_store_dir, ontology_docs=tmp_path),
    ):
        pass
