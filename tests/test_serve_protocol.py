"""wpsgraph serve speaks the SPARQL 1.1 Protocol, the Graph Store Protocol (read) and serves the
canned queries by name: each answer checked against the embedded store's own."""

from __future__ import annotations

import csv
import io
import json
import urllib.parse
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.compare import isomorphic
from SPARQLWrapper import JSON, POST, SPARQLWrapper

from tests.conftest import SEED_EVALUATION
from tests.serving import get, http, json_rows, post_form, running_server
from wpsgraph.queries import canned_results, discover
from wpsgraph.serve.page import tab_text
from wpsgraph.serve.server import Server
from wpsgraph.store import OxigraphStore

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
SELECT = """PREFIX wps: <https://w3id.org/wpsgraph/ontology#>
SELECT ?action ?deadline WHERE { ?action a wps:KeyAction ; wps:deadline ?deadline }
ORDER BY ?action"""
CONSTRUCT = """PREFIX wps: <https://w3id.org/wpsgraph/ontology#>
CONSTRUCT { ?action wps:deadline ?deadline } WHERE { ?action wps:deadline ?deadline }"""
SEED_GRAPH = SEED_EVALUATION + "/graph"
QUERIES = discover()
RDF_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}


def sparql_url(server: Server, **params: str) -> str:
    return f"{server.url}/sparql?{urllib.parse.urlencode(params)}"


def expected_rows(store: OxigraphStore) -> list[tuple[str, ...]]:
    return json_rows(json.loads(store.select_results(SELECT, "json")))


def test_get_post_form_and_post_body_give_the_same_rows(
    seed_server: Server, seed_store: OxigraphStore
) -> None:
    by_get = http(sparql_url(seed_server, query=SELECT))
    by_form = post_form(f"{seed_server.url}/sparql", {"query": SELECT})
    by_body = http(
        f"{seed_server.url}/sparql",
        method="POST",
        body=SELECT.encode(),
        headers={"Content-Type": "application/sparql-query"},
    )
    for response in (by_get, by_form, by_body):
        assert response.status == 200
        assert response.media_type == "application/sparql-results+json"
        assert json_rows(response.json()) == expected_rows(seed_store)
    assert len(expected_rows(seed_store)) == 13


def select_as(fmt_by: str, value: str, server: Server) -> tuple[str, str]:
    if fmt_by == "accept":
        response = http(sparql_url(server, query=SELECT), headers={"Accept": value})
    else:
        response = http(sparql_url(server, query=SELECT, format=value))
    assert response.status == 200, response.text
    return response.media_type, response.text


@pytest.mark.parametrize("fmt_by", ["accept", "format"])
def test_select_results_in_each_format(
    fmt_by: str, seed_server: Server, seed_store: OxigraphStore
) -> None:
    expected = expected_rows(seed_store)
    accept = fmt_by == "accept"

    media, text = select_as(
        fmt_by, "application/sparql-results+json" if accept else "json", seed_server
    )
    assert media == "application/sparql-results+json"
    assert json_rows(json.loads(text)) == expected

    media, text = select_as(fmt_by, "text/csv" if accept else "csv", seed_server)
    assert media == "text/csv"
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == ["action", "deadline"]
    assert [tuple(r) for r in table[1:]] == expected

    media, text = select_as(fmt_by, "text/tab-separated-values" if accept else "tsv", seed_server)
    assert media == "text/tab-separated-values"
    lines = text.splitlines()
    assert lines[0] == "?action\t?deadline"
    assert lines[1].startswith(f"<{expected[0][0]}>\t")

    media, text = select_as(
        fmt_by, "application/sparql-results+xml" if accept else "xml", seed_server
    )
    assert media == "application/sparql-results+xml"
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    results = ElementTree.fromstring(text).findall("r:results/r:result", ns)
    assert [
        tuple(b.find("*").text for b in r.findall("r:binding", ns)) for r in results
    ] == expected


def test_ask_answers_a_boolean(seed_server: Server) -> None:
    response = http(sparql_url(seed_server, query="ASK { ?s ?p ?o }"))
    assert response.json() == {"head": {}, "boolean": True}
    xml = http(sparql_url(seed_server, query="ASK { ?s ?p ?o }", format="xml"))
    assert "<boolean>true</boolean>" in xml.text


@pytest.mark.parametrize("media_type", RDF_FORMATS)
def test_construct_in_each_rdf_format(
    media_type: str, seed_server: Server, seed_store: OxigraphStore
) -> None:
    response = http(sparql_url(seed_server, query=CONSTRUCT), headers={"Accept": media_type})
    assert response.status == 200
    assert response.media_type == media_type
    served = Graph().parse(data=response.body, format=RDF_FORMATS[media_type])
    expected = seed_store.query(CONSTRUCT)
    assert isinstance(expected, Graph)
    assert len(served) == 13
    assert isomorphic(served, expected)


def test_describe_gives_the_nodes_triples(seed_server: Server) -> None:
    action = URIRef(f"{SEED_EVALUATION}/rec/1/action/2")
    response = http(sparql_url(seed_server, query=f"DESCRIBE <{action}>", format="nt"))
    served = Graph().parse(data=response.body, format="nt")
    assert set(served.subjects()) == {action}
    assert len(served) > 5


def test_the_endpoint_describes_itself_when_asked_no_query(seed_server: Server) -> None:
    response = http(f"{seed_server.url}/sparql")
    assert response.status == 200
    assert response.media_type == "text/turtle"
    description = Graph().parse(data=response.body, format="turtle")
    service = description.value(predicate=SD.endpoint, object=URIRef(f"{seed_server.url}/sparql"))
    assert service is not None
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in description
    assert (service, SD.feature, SD.UnionDefaultGraph) in description
    assert len(set(description.objects(service, SD.resultFormat))) == 8


def test_a_named_graph_is_read_through_the_graph_store_protocol(
    seed_server: Server, seed_store: OxigraphStore
) -> None:
    response = get(seed_server.url, "/sparql", {"graph": SEED_GRAPH})
    assert response.status == 200
    assert response.media_type == "text/turtle"
    served = Graph().parse(data=response.body, format="turtle")
    assert isomorphic(served, seed_store.graph(URIRef(SEED_GRAPH)))
    missing = get(seed_server.url, "/sparql", {"graph": "https://example.org/nothing"})
    assert missing.status == 404
    assert "no graph" in missing.text


def test_the_default_graph_is_the_union(seed_server: Server, seed_store: OxigraphStore) -> None:
    response = http(
        f"{seed_server.url}/sparql?default", headers={"Accept": "application/n-triples"}
    )
    served = Graph().parse(data=response.body, format="nt")
    assert len(served) == len(seed_store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"))


def test_graphs_are_never_written(seed_server: Server) -> None:
    for method in ("PUT", "DELETE", "POST"):
        response = http(
            sparql_url(seed_server, graph=SEED_GRAPH),
            method=method,
            body=b"<a:b> <a:c> <a:d> .",
            headers={"Content-Type": "text/turtle"},
        )
        assert response.status == 405, method
        assert "read-only" in response.text


def test_dataset_parameters_choose_the_graphs(seed_server: Server) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    only_seed = http(sparql_url(seed_server, query=count, **{"default-graph-uri": SEED_GRAPH}))
    everything = http(sparql_url(seed_server, query=count))
    assert 0 < int(json_rows(only_seed.json())[0][0]) < int(json_rows(everything.json())[0][0])


def test_canned_query_by_name_binds_typed_parameters(
    seed_server: Server, seed_store: OxigraphStore
) -> None:
    query = QUERIES["overdue-actions"]
    response = get(seed_server.url, "/queries/overdue-actions", {"as_of": "2027-01-15"})
    assert response.status == 200
    expected = canned_results(seed_store, query, {"as_of": "2027-01-15"}, "json")
    assert response.json() == json.loads(expected)
    assert "as_of" not in response.json()["head"]["vars"]
    csv_response = get(
        seed_server.url, "/queries/overdue-actions", {"as_of": "2027-01-15", "format": "csv"}
    )
    assert csv_response.body == canned_results(seed_store, query, {"as_of": "2027-01-15"}, "csv")


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_canned_query_answers_as_on_the_embedded_store(
    name: str, seed_server: Server, seed_store: OxigraphStore
) -> None:
    values = {"xsd:date": "2027-01-15", "xsd:integer": "1"}
    params = {p.name: values.get(p.type, "peace") for p in QUERIES[name].parameters}
    expected = json_rows(json.loads(canned_results(seed_store, QUERIES[name], params, "json")))
    for fmt in ("json", "xml", "tsv"):
        response = get(seed_server.url, f"/queries/{name}", {**params, "format": fmt})
        assert response.status == 200, response.text
    served = get(seed_server.url, f"/queries/{name}", params)
    assert json_rows(served.json()) == expected


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_each_query_page_tab_runs_as_its_canned_query(
    name: str, seed_server: Server, seed_store: OxigraphStore
) -> None:
    """A tab's text binds the parameters with VALUES, so that it runs anywhere: its rows are the
    canned query's (with the parameter columns, which the canned answer leaves out)."""
    query = QUERIES[name]
    today = date(2027, 1, 15)
    text = tab_text(query, today)
    response = post_form(f"{seed_server.url}/sparql", {"query": text})
    assert response.status == 200, response.text
    document = response.json()
    given = {p.name: "" for p in query.parameters if p.default is None}
    canned = json.loads(canned_results(seed_store, query, given, "json", today=today))
    keep = [document["head"]["vars"].index(v) for v in canned["head"]["vars"]]
    assert [tuple(row[i] for i in keep) for row in json_rows(document)] == json_rows(canned)


def test_canned_queries_are_listed(seed_server: Server) -> None:
    listing = get(seed_server.url, "/queries").json()["queries"]
    assert [q["name"] for q in listing] == sorted(QUERIES)
    overdue = next(q for q in listing if q["name"] == "overdue-actions")
    assert overdue["question"] == QUERIES["overdue-actions"].question
    assert overdue["parameters"][0]["name"] == "as_of"
    assert overdue["url"] == "/queries/overdue-actions"
    assert [p["name"] for p in overdue["paging"]] == ["limit", "offset"]
    page = get(seed_server.url, "/queries", headers={"Accept": "text/html"})
    assert page.media_type == "text/html"
    assert "/queries/overdue-actions?format=csv" in page.text
    assert "<code>limit</code>" in page.text


def test_content_negotiation_refuses_what_it_cannot_write(seed_server: Server) -> None:
    response = http(sparql_url(seed_server, query=SELECT), headers={"Accept": "image/png"})
    assert response.status == 406
    assert "application/sparql-results+json" in response.text
    response = http(sparql_url(seed_server, query=SELECT, format="turtle"))
    assert response.status == 406
    assert "json, xml, csv, tsv" in response.text


def test_sparqlwrapper_queries_it_as_the_readme_shows(
    seed_server: Server, seed_store: OxigraphStore
) -> None:
    sparql = SPARQLWrapper(f"{seed_server.url}/sparql")
    sparql.setMethod(POST)
    sparql.setTimeout(60)
    sparql.setReturnFormat(JSON)
    sparql.setQuery(SELECT)
    document = sparql.queryAndConvert()
    assert json_rows(document) == expected_rows(seed_store)


def test_on_disk_the_store_is_served_in_place(
    seed_store_dir: Path, seed_store: OxigraphStore
) -> None:
    with running_server(seed_store_dir, on_disk=True) as server:
        assert server.pool.summary == {"quads": 0, "graphs": 0}  # nothing read into memory
        response = post_form(f"{server.url}/sparql", {"query": SELECT})
        assert json_rows(response.json()) == expected_rows(seed_store)
        assert get(server.url, "/queries/actions-by-status").status == 200
        assert get(server.url, "/eval/unwomen/gate-11818/rec/1/action/2").status == 200
