"""wpsgraph validate FILE|URL... [--endpoint URL --graph IRI]: a report a publisher can act on
(text grouped per node, each message once) and the sh:ValidationReport as Turtle and JSON-LD;
exit 0 conforms, 1 violations, 2 error."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from tests.servers import document, serve, sparql_endpoint
from wpsgraph.cli import main
from wpsgraph.paths import LINKED_DIR
from wpsgraph.store import to_rdflib

EXAMPLE = LINKED_DIR / "northbridge-evaluations.ttl"
ACTION = "https://example.org/pub/eval/1/rec/1/action/1"
# A key action with two malformed deadlines: the form shape fails on each value (datatype and
# pattern), the count shape once.
BROKEN = f"""@prefix wps: <https://w3id.org/wpsgraph/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<{ACTION}> a wps:KeyAction ;
    wps:forRecommendation <https://example.org/pub/eval/1/rec/1> ;
    wps:number 1 ; wps:text "Do it." ; wps:unresolvedResponsible "Someone" ;
    wps:deadline "2029/12"^^xsd:gYearMonth , "2030/13"^^xsd:gYearMonth ;
    wps:deadlineDate "2029-12-31"^^xsd:date ;
    wps:status <https://w3id.org/wpsgraph/scheme/action-status/initiated> .
<https://example.org/pub/eval/1/rec/1> a wps:Recommendation ;
    wps:recommendationOf <https://example.org/pub/eval/1> ; wps:number 1 ; wps:text "R." .
<https://example.org/pub/eval/1> a wps:Evaluation ; wps:evaluationId "1" .
"""


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    path = tmp_path / "broken.ttl"
    path.write_text(BROKEN)
    return path


def validate(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["validate", *args])
    return code, capsys.readouterr().out


def test_another_publishers_graph_conforms_without_our_slugs(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert validate(capsys, str(EXAMPLE)) == (0, "Conforms: no violations, no warnings.\n")


def test_the_text_report_groups_per_node_and_says_each_message_once(
    broken: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = validate(capsys, str(broken))
    assert code == 1
    form = "wps:deadline must be an xsd:gYearMonth written YYYY-MM"
    assert out.count(form) == 1
    assert out.count(f"<{ACTION}>") == 1
    assert (
        '  violation: property wps:deadline, value "2029/12"^^xsd:gYearMonth, '
        '"2030/13"^^xsd:gYearMonth\n'
        f"    expected: {form}"
    ) in out
    assert "  violation: property wps:deadline: more values than allowed\n" in out
    assert out.rstrip().endswith("on 1 node(s).")
    assert out.startswith(f"<{ACTION}>") and "Does not conform: " in out


def test_turtle_and_json_are_the_same_validation_report(
    broken: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = validate(capsys, str(broken), "--format", "turtle")
    assert code == 1
    turtle = Graph().parse(data=out, format="turtle")
    code, out = validate(capsys, str(broken), "--format", "json")
    assert code == 1
    json_ld = Graph()
    for quad in ox.parse(out.encode(), format=ox.RdfFormat.JSON_LD):
        json_ld.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    assert len(turtle) > 20
    assert isomorphic(turtle, json_ld)


def test_a_url_is_validated(broken: Path, capsys: pytest.CaptureFixture[str]) -> None:
    routes = {
        "/ok.ttl": document(EXAMPLE.read_bytes(), "text/turtle"),
        "/broken": document(broken.read_bytes(), "text/turtle"),
    }
    with serve(routes) as server:
        assert validate(capsys, server.url("/ok.ttl"))[0] == 0
        code, out = validate(capsys, server.url("/broken"), "--format", "json")
    assert code == 1 and '"conforms": false' in out


def test_files_and_urls_are_validated_together(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A graph split over two sources: the action points to a recommendation in the other."""
    first, second = BROKEN.split("<https://example.org/pub/eval/1/rec/1> a wps:Recommendation")
    prefixes = "@prefix wps: <https://w3id.org/wpsgraph/ontology#> .\n"
    rest = tmp_path / "rest.ttl"
    rest.write_text(
        prefixes + "<https://example.org/pub/eval/1/rec/1> a wps:Recommendation" + second
    )
    with serve({"/first.ttl": document(first.encode(), "text/turtle")}) as server:
        code, out = validate(capsys, server.url("/first.ttl"), str(rest))
    assert code == 1
    assert "wps:forRecommendation" not in out  # found in the other source


def test_a_graph_of_a_sparql_endpoint_is_validated(
    broken: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    remote = ox.Store()
    remote.load(EXAMPLE.read_bytes(), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("urn:ok"))
    remote.load(broken.read_bytes(), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("urn:bad"))
    with serve({"/sparql": sparql_endpoint(remote)}) as server:
        endpoint = server.url("/sparql")
        assert validate(capsys, "--endpoint", endpoint, "--graph", "urn:ok")[0] == 0
        code, out = validate(capsys, "--endpoint", endpoint, "--graph", "urn:bad")
    assert code == 1 and f"<{ACTION}>" in out


def test_a_missing_file_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path / "nothing.ttl")]) == 2
    assert capsys.readouterr().err == f"wpsgraph: error: {tmp_path / 'nothing.ttl'}: no such file\n"
