"""Integration with Debian's Virtuoso (apt-get install virtuoso-opensource): skipped when virtuoso-t
is absent. The test starts its own virtuoso-t on 127.0.0.1 with a new database and ini in a
temporary directory, and stops it after."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.compare import isomorphic

from tests.conftest import SEED, SEED_EVALUATION, SEED_OBSERVED
from tests.servers import Running, virtuoso_server
from tests.test_remote import lose_a_triple, run, without_statuses
from wpsgraph import remote
from wpsgraph.errors import StoreError
from wpsgraph.loader import load_files
from wpsgraph.queries import discover
from wpsgraph.remote import RemoteStore, Server
from wpsgraph.store import open_store

pytestmark = pytest.mark.skipif(
    shutil.which("virtuoso-t") is None, reason="virtuoso-t not installed (virtuoso-opensource)"
)
PARAMETERS = {
    "overdue-actions": {"as_of": "2028-01-01"},
    "search": {"text": "Security Council"},
    "status-history": {"evaluation": "11818"},
}
EVALUATION_GRAPH = URIRef(f"{SEED_EVALUATION}/graph")
STATUS = URIRef("https://w3id.org/wpsgraph/ontology#status")


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as running:
        yield running


@pytest.fixture
def dba(monkeypatch: pytest.MonkeyPatch) -> None:
    """A new Virtuoso database's administrator; writes go to /sparql-auth with digest."""
    monkeypatch.delenv("WPSGRAPH_ENDPOINT", raising=False)
    monkeypatch.setenv(remote.ENV_USER, "dba")
    monkeypatch.setenv(remote.ENV_PASSWORD, "dba")
    monkeypatch.setenv(remote.ENV_AUTH, "digest")


def test_writes_need_credentials(
    virtuoso: Running, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in (remote.ENV_USER, remote.ENV_PASSWORD, remote.ENV_AUTH):
        monkeypatch.delenv(name, raising=False)
    code, _, err = run(capsys, "load", str(SEED), "--endpoint", virtuoso.query, "--quiet")
    assert code == 2 and err.count("\n") == 1
    assert "not authorized" in err and "WPSGRAPH_ENDPOINT_USER" in err


def test_load_query_sparql_and_export_through_virtuoso(
    virtuoso: Running, dba: None, seed_store_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Observed on the embedded seed's day, so that the history queries answer alike.
    observed = ("--observed", SEED_OBSERVED.isoformat())
    code, out, err = run(capsys, "load", str(SEED), "--endpoint", virtuoso.query, *observed)
    assert code == 0 and "1 ok" in out, err
    with open_store(virtuoso.query) as store:
        assert isinstance(store, RemoteStore) and store.kind is Server.VIRTUOSO
        assert store.endpoints.update == f"{virtuoso.base}/sparql-auth"
    for name in sorted(discover()):
        params = [f"--param={k}={v}" for k, v in PARAMETERS.get(name, {}).items()]
        common = ["query", name, "--format", "csv", *params]
        _, expected, _ = run(capsys, *common, "--store", str(seed_store_dir))
        code, answered, err = run(capsys, *common, "--endpoint", virtuoso.query)
        assert (code, answered) == (0, expected), (name, err)
    # Virtuoso answers ASK in JSON as a one-row SELECT of __ASK_RETVAL.
    assert run(capsys, "sparql", "ASK { ?s ?p ?o }", "--endpoint", virtuoso.query)[1] == "true\n"
    assert run(capsys, "sparql", "ASK { <urn:x> ?p ?o }", "--endpoint", virtuoso.query)[1] == (
        "false\n"
    )
    code, out, _ = run(capsys, "export", "--endpoint", virtuoso.query, "--format", "nquads")
    assert code == 0 and f"<{EVALUATION_GRAPH}> .\n" in out


def test_a_short_graph_leaves_the_old_graph_and_a_new_one_is_dropped(
    virtuoso: Running, dba: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(virtuoso.query) as store:
        assert isinstance(store, RemoteStore)
        load_files([SEED], store)
        old = store.graph(EVALUATION_GRAPH)
        lose_a_triple(monkeypatch)
        changed = without_statuses(old)
        with pytest.raises(StoreError, match="a written graph holds"):
            store.replace_graphs({EVALUATION_GRAPH: changed})
        assert isomorphic(store.graph(EVALUATION_GRAPH), old)
        new = URIRef("https://example.org/graph/new")
        with pytest.raises(StoreError, match="a written graph holds"):
            store.replace_graphs({new: changed})
        graphs = store.named_graphs()
        assert new not in graphs and not [g for g in graphs if str(g).startswith("urn:uuid:")]


def test_a_capped_answer_is_an_error(virtuoso: Running, capsys: pytest.CaptureFixture[str]) -> None:
    # More rows than ResultSetMaxRows (10,000): Virtuoso says so only in X-SPARQL-MaxRows.
    query = "SELECT ?s ?o WHERE { ?s ?p ?o . ?s2 ?p ?o2 }"
    code, out, err = run(capsys, "sparql", query, "--endpoint", virtuoso.query)
    assert (code, out) == (2, "")
    assert "cut the answer at 10000 rows (X-SPARQL-MaxRows)" in err


def test_validation_in_virtuoso_is_refused_and_a_copy_validates(
    virtuoso: Running, dba: None, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert run(capsys, "load", str(SEED), "--endpoint", virtuoso.query, "--quiet")[0] == 0
    code, out, err = run(capsys, "validate", "--endpoint", virtuoso.query)
    assert (code, out) == (2, "")
    assert "Virtuoso evaluates a negated COALESCE in a FILTER wrongly" in err
    copy = tmp_path / "copy.nt"
    assert (
        run(capsys, "export", "--endpoint", virtuoso.query, "--format", "nt", "-o", str(copy))[0]
        == 0
    )
    code, out, _ = run(capsys, "validate", str(copy))
    assert code == 0 and "Conforms" in out
