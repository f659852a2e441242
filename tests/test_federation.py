"""Federated queries: SERVICE is refused unless the operator names the endpoint (--federate URL);
an allowed endpoint, served from 127.0.0.1, answers through the engine; any other is refused
before anything is sent."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import URIRef

from tests.conftest import SEED
from tests.servers import serve, silent, sparql_endpoint
from tests.serving import Response, post_form, running_server
from wpsgraph.cli import main
from wpsgraph.errors import QueryError
from wpsgraph.queries import check_read_only
from wpsgraph.serve.server import Server

DPPA = "https://w3id.org/wpsgraph/org/dppa"
NOTE = "https://example.org/remote/note"
QUERY = (
    "PREFIX wps: <https://w3id.org/wpsgraph/ontology#>\n"
    "SELECT DISTINCT ?partner ?note WHERE {{\n"
    "  ?place wps:mentions ?partner .\n"
    f"  SERVICE <{{endpoint}}> {{{{ ?partner <{NOTE}> ?note }}}}\n"
    "}}"
)


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("federation") / "store"
    assert main(["load", str(SEED), "--store", str(store), "--quiet"]) == 0
    return store


@pytest.fixture(scope="module")
def remote() -> ox.Store:
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode(DPPA), ox.NamedNode(NOTE), ox.Literal("noted remotely")))
    return store


def sparql(store: Path, *args: str) -> list[str]:
    return ["sparql", *args, "--store", str(store), "--format", "csv"]


# -- the allow-list ---------------------------------------------------------------------------


def test_service_is_refused_by_default() -> None:
    with pytest.raises(QueryError, match="SERVICE is refused: queries run on the local store only"):
        check_read_only(QUERY.format(endpoint="https://example.org/sparql"), [])


def test_an_allowed_endpoint_passes_and_any_other_is_refused() -> None:
    allowed = ["https://example.org/sparql"]
    assert check_read_only(QUERY.format(endpoint=allowed[0]), [], allowed) == "SELECT"
    with pytest.raises(QueryError) as refused:
        check_read_only(QUERY.format(endpoint="https://example.org/sparql/"), [], allowed)
    assert str(refused.value) == (
        "SERVICE <https://example.org/sparql/> is refused: only the endpoints allowed with "
        "--federate are (<https://example.org/sparql>)"
    )


@pytest.mark.parametrize(
    "query",
    [
        # the second SERVICE, nested in an OPTIONAL, is not on the list
        "SELECT * WHERE { SERVICE <https://a/sparql> { ?s ?p ?o } "
        "OPTIONAL { SERVICE <https://b/sparql> { ?s ?q ?r } } }",
        "SELECT * WHERE { ?s ?p ?e . SERVICE ?e { ?s ?p ?o } }",  # an endpoint from the data
        "SELECT * WHERE { SERVICE SILENT ?e { ?s ?p ?o } }",
        "BASE <https://b/> SELECT * WHERE { SERVICE <sparql> { ?s ?p ?o } }",
        "PREFIX b: <https://b/> ASK { SERVICE b:sparql { ?s ?p ?o } }",
    ],
)
def test_every_service_of_a_query_must_be_allowed(query: str) -> None:
    with pytest.raises(QueryError, match="is refused: only the endpoints allowed"):
        check_read_only(query, [], ["https://a/sparql"])


def test_prefixed_and_relative_endpoints_are_resolved_before_comparing() -> None:
    allowed = ["https://b/sparql"]
    for query in (
        "BASE <https://b/> SELECT * WHERE { SERVICE <sparql> { ?s ?p ?o } }",
        "PREFIX b: <https://b/> SELECT * WHERE { SERVICE b:sparql { ?s ?p ?o } }",
    ):
        assert check_read_only(query, [URIRef("https://b/g")], allowed) == "SELECT"


# -- the command, with a second endpoint on 127.0.0.1 -------------------------------------------


def test_an_allowed_endpoint_is_queried(
    store_dir: Path, remote: ox.Store, capsys: pytest.CaptureFixture[str]
) -> None:
    with serve({"/sparql": sparql_endpoint(remote)}) as server:
        endpoint = server.url("/sparql")
        code = main(sparql(store_dir, QUERY.format(endpoint=endpoint), "--federate", endpoint))
    assert code == 0
    assert capsys.readouterr().out.splitlines() == ["partner,note", f"{DPPA},noted remotely"]
    assert server.requests == ["/sparql"]


def test_an_endpoint_not_on_the_list_is_refused_and_never_called(
    store_dir: Path, remote: ox.Store, capsys: pytest.CaptureFixture[str]
) -> None:
    with serve({"/sparql": sparql_endpoint(remote), "/other": sparql_endpoint(remote)}) as server:
        query = QUERY.format(endpoint=server.url("/other"))
        assert main(sparql(store_dir, query, "--federate", server.url("/sparql"))) == 2
        assert main(sparql(store_dir, query)) == 2
    err = capsys.readouterr().err
    assert f"SERVICE <{server.url('/other')}> is refused: only the endpoints allowed" in err
    assert "SERVICE is refused: queries run on the local store only" in err
    assert server.requests == []


def test_a_silent_allowed_endpoint_does_not_hang_the_command(
    store_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with serve({"/sparql": silent}) as server:
        endpoint = server.url("/sparql")
        query = QUERY.format(endpoint=endpoint)
        assert main(sparql(store_dir, query, "--federate", endpoint, "--timeout", "0.5")) == 2
    assert "no answer within 0.5 s: an allowed SERVICE endpoint is slow or silent" in (
        capsys.readouterr().err
    )


def test_a_failing_allowed_endpoint_is_named_as_the_cause(
    store_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with serve({}) as server:  # every path answers 404
        endpoint = server.url("/sparql")
        assert main(sparql(store_dir, QUERY.format(endpoint=endpoint), "--federate", endpoint)) == 2
    err = capsys.readouterr().err
    assert err.startswith("wpsgraph: error: the federated query failed: ") and "404" in err
    assert "cannot read the store" not in err


# -- wpsgraph serve --federate ------------------------------------------------------------------


def query(server: Server, text: str, **params: str) -> Response:
    return post_form(f"{server.url}/sparql", {"query": text, **params})


def test_serve_calls_only_the_endpoints_its_operator_allows(
    store_dir: Path, remote: ox.Store
) -> None:
    with serve({"/sparql": sparql_endpoint(remote), "/other": sparql_endpoint(remote)}) as other:
        allowed, not_allowed = other.url("/sparql"), other.url("/other")
        with running_server(store_dir, federate=(allowed,)) as server:
            answer = query(server, QUERY.format(endpoint=allowed), format="csv")
            refused = query(server, QUERY.format(endpoint=not_allowed), format="csv")
        with running_server(store_dir) as server:
            by_default = query(server, QUERY.format(endpoint=allowed), format="csv")
    assert answer.status == 200
    assert answer.text.splitlines() == ["partner,note", f"{DPPA},noted remotely"]
    assert refused.status == 400
    assert f"SERVICE <{not_allowed}> is refused: only the endpoints allowed" in refused.text
    assert by_default.status == 400
    assert "SERVICE is refused: queries run on the local store only" in by_default.text
    assert other.requests == ["/sparql"]  # the refused ones were never sent
