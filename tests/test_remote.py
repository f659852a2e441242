"""A real Oxigraph server through --endpoint: every command, the staged swap, failures that leave
the old graph, errors after HTTP 200, and servers that misbehave (fakes on 127.0.0.1)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from tests.conftest import SEED, SEED_EVALUATION, SEED_OBSERVED
from tests.servers import (
    ASK_TRUE,
    JSON_RESULTS,
    Answer,
    Running,
    Server,
    after_probe,
    document,
    free_port,
    oxigraph_server,
    query_of,
    serve,
    silent,
)
from wpsgraph import remote
from wpsgraph.cli import main
from wpsgraph.errors import QueryError, StoreError
from wpsgraph.formats import TABLE_FORMATS
from wpsgraph.loader import load_files
from wpsgraph.queries import discover
from wpsgraph.remote import Endpoints, RemoteStore, derived_endpoints, server_kind
from wpsgraph.remote import Server as Kind
from wpsgraph.serve.server import Server as ServeServer
from wpsgraph.store import OxigraphStore, SelectResult, open_store

QUERIES = discover()
PARAMETERS = {
    "overdue-actions": {"as_of": "2028-01-01"},
    "search": {"text": "Security Council"},
    "status-history": {"evaluation": "11818"},
}
EVALUATION_GRAPH = URIRef(f"{SEED_EVALUATION}/graph")
STATUS = URIRef("https://w3id.org/wpsgraph/ontology#status")
# A query that answers one row at once, then works until the server's time limit stops it. (With
# a fourth pattern, Oxigraph 0.5.13 went on past its limit for more than 30 s: the engine checks
# its deadline only now and then.)
RUNAWAY = (
    "SELECT ?a WHERE { { BIND(1 AS ?a) } UNION "
    "{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . FILTER(?c + ?f + ?i < 0) } }"
)
NO_ROWS = b'{"head":{"vars":["g"]},"results":{"bindings":[]}}'


@pytest.fixture(autouse=True)
def no_endpoint_in_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (remote.ENV_USER, remote.ENV_PASSWORD, remote.ENV_AUTH, remote.ENV_TIMEOUT):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("WPSGRAPH_ENDPOINT", raising=False)


@pytest.fixture
def server() -> Iterator[Running]:
    """A fresh, empty Oxigraph server for a test that writes."""
    with oxigraph_server() as running:
        yield running


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def quads(store_args: list[str], capsys: pytest.CaptureFixture[str]) -> Dataset:
    code, out, err = run(capsys, "export", *store_args, "--format", "nquads")
    assert code == 0, err
    return Dataset().parse(data=out, format="nquads")


def assert_same_graphs(left: Dataset, right: Dataset) -> None:
    names = {g.identifier for g in left.graphs()} - {DATASET_DEFAULT_GRAPH_ID}
    assert names == {g.identifier for g in right.graphs()} - {DATASET_DEFAULT_GRAPH_ID}
    for name in names:
        assert isomorphic(left.graph(name), right.graph(name)), name


def staging_graphs(store: RemoteStore) -> list[URIRef]:
    return [g for g in store.named_graphs() if str(g).startswith("urn:uuid:")]


def without_statuses(graph: Graph) -> Graph:
    """A changed evaluation graph: its actions lose their status."""
    changed = Graph()
    changed += graph
    changed.remove((None, STATUS, None))
    return changed


def lose_a_triple(monkeypatch: pytest.MonkeyPatch) -> None:
    """The server keeps part of each body written (as Virtuoso can): one triple is lost."""
    write = RemoteStore._write
    monkeypatch.setattr(
        RemoteStore,
        "_write",
        lambda self, graphs: write(self, {k: v.split(b"\n", 1)[1] for k, v in graphs.items()}),
    )


def count_swaps(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of graphs each swap update moves, as the store writes them."""
    moved: list[int] = []
    swap = remote.swap_update

    def counting(staged: dict[URIRef, URIRef], counts: dict[URIRef, int]) -> str:
        moved.append(len(staged))
        return swap(staged, counts)

    monkeypatch.setattr(remote, "swap_update", counting)
    return moved


# Every command through --endpoint, against the embedded store's answers.


@pytest.mark.parametrize("fmt", TABLE_FORMATS)
@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query_through_the_endpoint_prints_what_the_embedded_store_prints(
    name: str,
    fmt: str,
    seed_oxigraph: Running,
    seed_store_dir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    params = [f"--param={k}={v}" for k, v in PARAMETERS.get(name, {}).items()]
    common = ["query", name, "--format", fmt, *params]
    code, embedded, _ = run(capsys, *common, "--store", str(seed_store_dir))
    assert code == 0
    code, remote_out, err = run(capsys, *common, "--endpoint", seed_oxigraph.query)
    assert code == 0, err
    assert remote_out == embedded


def test_sparql_select_ask_and_construct_through_the_endpoint(
    seed_oxigraph: Running, seed_store_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    select = (
        "SELECT ?s ?p ?o ?none WHERE { ?s ?p ?o FILTER(!isBlank(?s) && !isBlank(?o)) } "
        "ORDER BY ?s ?p ?o"
    )
    for query, fmt in [(select, "csv"), (select, "json"), ("ASK { ?s ?p ?o }", "table")]:
        _, embedded, _ = run(
            capsys, "sparql", query, "--format", fmt, "--store", str(seed_store_dir)
        )
        code, remote_out, err = run(
            capsys, "sparql", query, "--format", fmt, "--endpoint", seed_oxigraph.query
        )
        assert code == 0, err
        assert remote_out == embedded
    construct = "CONSTRUCT WHERE { ?s ?p ?o }"
    _, embedded, _ = run(
        capsys, "sparql", construct, "--format", "nt", "--store", str(seed_store_dir)
    )
    code, remote_out, _ = run(
        capsys, "sparql", construct, "--format", "nt", "--endpoint", seed_oxigraph.query
    )
    assert code == 0
    assert isomorphic(Graph().parse(data=remote_out, format="nt"), Graph().parse(data=embedded))


def test_sparql_through_the_endpoint_refuses_what_the_embedded_store_refuses(
    seed_oxigraph: Running, capsys: pytest.CaptureFixture[str]
) -> None:
    endpoint = ["--endpoint", seed_oxigraph.query]
    assert run(capsys, "sparql", "DROP ALL", *endpoint)[0] == 2
    service = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"
    code, out, err = run(capsys, "sparql", service, *endpoint)
    assert (code, out) == (2, "") and "SERVICE is refused" in err


def test_validate_through_the_endpoint(
    seed_oxigraph: Running, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "validate", "--endpoint", seed_oxigraph.query)
    assert code == 0, err
    assert out.strip() == "Conforms: no violations, no warnings."


def test_validate_through_the_endpoint_reports_violations(
    server: Running, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_store(server.query) as store:
        load_files([SEED], store)
        graph = store.graph(EVALUATION_GRAPH)
        action = URIRef(f"{SEED_EVALUATION}/rec/1/action/1")
        graph.remove((action, STATUS, None))
        store.replace_graphs({EVALUATION_GRAPH: graph})
    code, out, _ = run(capsys, "validate", "--endpoint", server.query, "--format", "json")
    report = json.loads(out)
    assert code == 1 and not report["conforms"]
    assert {(r["focusNode"], r["resultPath"]) for r in report["results"]} == {
        (str(action), str(STATUS))
    }


def test_export_through_the_endpoint_equals_the_embedded_export(
    seed_oxigraph: Running, seed_store_dir: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert_same_graphs(
        quads(["--endpoint", seed_oxigraph.query], capsys),
        quads(["--store", str(seed_store_dir)], capsys),
    )
    out = tmp_path / "union.ttl"
    assert main(["export", "--endpoint", seed_oxigraph.query, "-o", str(out)]) == 0
    embedded = tmp_path / "embedded.ttl"
    assert main(["export", "--store", str(seed_store_dir), "-o", str(embedded)]) == 0
    assert isomorphic(Graph().parse(out), Graph().parse(embedded))


def test_load_through_the_endpoint_equals_the_embedded_load(
    server: Running, seed_store_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Observed on the day the embedded store's seed was, so that their histories agree.
    observed = ("--observed", SEED_OBSERVED.isoformat())
    code, out, err = run(capsys, "load", str(SEED), "--endpoint", server.query, *observed)
    assert code == 0, err
    assert "1 ok" in out
    loaded = quads(["--endpoint", server.query], capsys)
    assert_same_graphs(loaded, quads(["--store", str(seed_store_dir)], capsys))
    # Loading again replaces each graph: the same graphs, nothing staged left behind.
    assert run(capsys, "load", str(SEED), "--endpoint", server.query, *observed)[0] == 0
    assert_same_graphs(quads(["--endpoint", server.query], capsys), loaded)
    with open_store(server.query) as store:
        assert staging_graphs(store) == []


def test_versions_load_through_the_endpoint_as_into_the_embedded_store(
    server: Running, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The history path reads what the store recorded (two queries a chunk) and rewrites the
    history graph: through a server as in the embedded store, an older version loaded last."""
    history = Path(__file__).parent / "fixtures" / "history"
    newest, oldest = history / "gate-4242.html", history / "gate-4242_2023-01-15.txt"
    middle = history / "gate-4242_2023-07-15.txt"
    for path in (newest, oldest, middle):
        assert run(capsys, "load", str(path), "--endpoint", server.query)[0] == 0
        assert run(capsys, "load", str(path), "--store", str(tmp_path / "store"))[0] == 0
    assert_same_graphs(
        quads(["--endpoint", server.query], capsys),
        quads(["--store", str(tmp_path / "store")], capsys),
    )
    code, out, _ = run(
        capsys, "query", "status-history", "--endpoint", server.query,
        "--param", "evaluation=4242", "--param", "action=1.1", "--format", "csv",
    )  # fmt: skip
    assert code == 0
    assert [line.split(",")[-6] for line in out.splitlines()[1:]] == [
        "2023-01-15",
        "2023-07-15",
        "2024-07-20",
    ]


def test_the_endpoint_comes_from_the_environment(server: Running, tmp_path: Path) -> None:
    env = {**os.environ, "WPSGRAPH_ENDPOINT": server.query, "WPSGRAPH_STORE": str(tmp_path)}
    command = [sys.executable, "-m", "wpsgraph"]
    loaded = subprocess.run(
        [*command, "load", str(SEED)], env=env, capture_output=True, text=True, check=False
    )
    assert loaded.returncode == 0, loaded.stderr
    answered = subprocess.run(
        [*command, "query", "actions-by-status", "--format", "csv"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert answered.stdout.splitlines() == ["status,actions", "Initiated,11", "Not Initiated,2"]
    assert not any(tmp_path.iterdir())  # the embedded store was not touched


# The staged swap.


def test_new_graphs_are_written_in_place_and_held_ones_staged_then_moved(
    server: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    moved = count_swaps(monkeypatch)
    with open_store(server.query) as store:
        load_files([SEED], store)
        assert moved == []  # nothing held: the four graphs were written where they belong
        load_files([SEED], store)
        assert moved == [4]  # held: each staged, counted, then moved over the old one
        assert staging_graphs(store) == []  # type: ignore[arg-type]


def test_a_graph_is_staged_counted_then_swapped(
    server: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, object] = {}
    with open_store(server.query) as store:
        assert isinstance(store, RemoteStore)
        load_files([SEED], store)
        old = store.graph(EVALUATION_GRAPH)
        new = without_statuses(old)
        check_counts = RemoteStore._check_counts

        def spy(self: RemoteStore, expected: dict[URIRef, int]) -> None:
            # Between staging and swap: the old graph is whole, the new one is staged aside.
            seen["target"] = self.graph(EVALUATION_GRAPH)
            seen["staged"] = [self.graph(name) for name in expected]
            check_counts(self, expected)

        monkeypatch.setattr(RemoteStore, "_check_counts", spy)
        store.replace_graphs({EVALUATION_GRAPH: new})
        assert isomorphic(seen["target"], old)  # type: ignore[arg-type]
        assert [len(g) for g in seen["staged"]] == [len(new)]  # type: ignore[attr-defined]
        assert isomorphic(store.graph(EVALUATION_GRAPH), new)
        assert staging_graphs(store) == []


def test_a_short_staged_graph_leaves_the_old_graph(
    server: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(server.query) as store:
        assert isinstance(store, RemoteStore)
        load_files([SEED], store)
        old = store.graph(EVALUATION_GRAPH)
        lose_a_triple(monkeypatch)
        changed = without_statuses(old)
        with pytest.raises(
            StoreError, match=r"a written graph holds .* triples where .* were sent"
        ):
            store.replace_graphs({EVALUATION_GRAPH: changed})
        assert isomorphic(store.graph(EVALUATION_GRAPH), old)
        assert staging_graphs(store) == []


def test_a_swap_the_server_refuses_leaves_every_old_graph(
    server: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(server.query) as store:
        assert isinstance(store, RemoteStore)
        load_files([SEED], store)
        before = {name: store.graph(name) for name in store.named_graphs()}
        swap = remote.swap_update
        # The last operation of the one swap update fails: the moves before it are undone.
        monkeypatch.setattr(
            remote,
            "swap_update",
            lambda staged, counts: swap(staged, counts) + " ;\nMOVE <urn:uuid:gone> TO <urn:x>",
        )
        with pytest.raises(StoreError, match="HTTP 500"):
            load_files([SEED], store)
        assert {name: store.graph(name) for name in store.named_graphs()}.keys() == before.keys()
        for name, graph in before.items():
            assert isomorphic(store.graph(name), graph), name


def test_a_failed_load_through_the_cli_exits_2_and_leaves_the_store(
    server: Running, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "load", str(SEED), "--endpoint", server.query)[0] == 0
    before = quads(["--endpoint", server.query], capsys)
    monkeypatch.setattr(
        remote, "swap_update", lambda staged, counts: "MOVE <urn:uuid:x> TO <urn:y>"
    )
    code, _, err = run(capsys, "load", str(SEED), "--endpoint", server.query, "--quiet")
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("wpsgraph: error: ") and "HTTP 500" in err
    assert_same_graphs(quads(["--endpoint", server.query], capsys), before)


def test_graphs_are_staged_with_sparql_update_where_no_graph_store_is_known(
    server: Running,
) -> None:
    endpoints = Endpoints(server.query, f"{server.base}/update", None)
    store = RemoteStore(endpoints, Kind.OXIGRAPH)
    load_files([SEED], store)
    first = store.graph(EVALUATION_GRAPH)
    load_files([SEED], store)
    assert isomorphic(store.graph(EVALUATION_GRAPH), first) and len(first) > 100
    assert staging_graphs(store) == []


def test_a_short_new_graph_is_dropped_again(
    server: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(server.query) as store:
        assert store.is_empty()
        lose_a_triple(monkeypatch)
        with pytest.raises(StoreError, match="a written graph holds"):
            load_files([SEED], store)
        assert store.is_empty()


# Errors after HTTP 200 are raised, never returned as partial answers.


def test_a_query_oxigraph_cancels_after_http_200_is_an_error() -> None:
    with oxigraph_server(timeout_s=1) as running, open_store(running.query) as store:
        load_files([SEED], store)
        started = time.monotonic()
        with pytest.raises(StoreError, match="broke off after HTTP 200") as caught:
            store.query(RUNAWAY)
        assert "cancelled" in str(caught.value) and "\n" not in str(caught.value)
        assert time.monotonic() - started < 50


def test_a_cancelled_answer_through_the_cli_writes_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with oxigraph_server(timeout_s=1) as running:
        with open_store(running.query) as store:
            load_files([SEED], store)
        code, out, err = run(capsys, "sparql", RUNAWAY, "--endpoint", running.query)
    assert (code, out) == (2, "")
    assert "The SPARQL operation has been cancelled" in err and err.count("\n") == 1


def test_a_row_cap_reported_only_in_a_header_is_an_error() -> None:
    capped = json.dumps(
        {
            "head": {"vars": ["s"]},
            "results": {"bindings": [{"s": {"type": "uri", "value": "urn:a"}}]},
        }
    ).encode()
    respond = after_probe(document(capped, JSON_RESULTS, headers={"X-SPARQL-MaxRows": "1"}))
    with (
        serve({"/sparql": respond}) as fake,
        open_store(fake.url("/sparql"), read_only=True) as store,
        pytest.raises(StoreError, match=r"cut the answer at 1 rows \(X-SPARQL-MaxRows\)"),
    ):
        store.query("SELECT ?s WHERE { ?s ?p ?o }")


# Bad input: one line naming what was expected, exit 2, nothing written.


def assert_refused(
    capsys: pytest.CaptureFixture[str], url: str, expected: str, tmp_path: Path
) -> None:
    for args in (
        ["query", "actions-by-status"],
        ["sparql", "SELECT * WHERE { ?s ?p ?o }"],
        ["validate"],
        ["export", "-o", str(tmp_path / "out.trig"), "--format", "trig"],
        ["load", str(SEED), "--quiet"],
    ):
        code, out, err = run(capsys, *args, "--endpoint", url)
        assert code == 2, args
        assert out == "", args
        assert err.startswith("wpsgraph: error: ") and err.count("\n") == 1, err
        assert expected in err, err
        assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_an_unreachable_endpoint(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    assert_refused(capsys, url, f"cannot reach {url} (expected a SPARQL server)", tmp_path)


def test_a_wrong_url_on_a_real_server(
    seed_oxigraph: Running, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    url = f"{seed_oxigraph.base}/no-such-endpoint"
    assert_refused(capsys, url, "not found (HTTP 404): expected the URL of a SPARQL", tmp_path)


def test_a_server_answering_html(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    page = b"<!DOCTYPE html><html><body>Welcome</body></html>"
    with serve({"/sparql": document(page, "text/html")}) as fake:
        assert_refused(
            capsys,
            fake.url("/sparql"),
            "answered text/html, expected application/sparql-results+json",
            tmp_path,
        )


def test_oxigraph_s_home_page_is_not_its_query_url(
    seed_oxigraph: Running, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert_refused(capsys, f"{seed_oxigraph.base}/", "answered text/html", tmp_path)


ROWS = json.dumps(
    {
        "head": {"vars": ["status", "actions"]},
        "results": {"bindings": [{"status": {"type": "literal", "value": "Initiated"}}] * 50},
    }
).encode()


@pytest.mark.parametrize(
    ("respond", "expected"),
    [
        # Content-Length promises more than arrives.
        (
            after_probe(document(ROWS[:200], JSON_RESULTS, length=len(ROWS))),
            "the connection broke off mid-answer",
        ),
        # No length: the body ends when the connection closes, half-way.
        (
            after_probe(document(ROWS[:200], JSON_RESULTS, length=-1)),
            "the answer broke off after HTTP 200 (expected SPARQL results JSON",
        ),
    ],
    ids=["content-length", "connection-close"],
)
def test_a_server_dying_mid_answer(
    respond: Answer, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with serve({"/sparql": respond}) as fake:
        for args in (["query", "actions-by-status"], ["sparql", "SELECT * { ?s ?p ?o }"]):
            code, out, err = run(capsys, *args, "--endpoint", fake.url("/sparql"))
            assert (code, out) == (2, "")
            assert expected in err and err.count("\n") == 1


def test_a_silent_server_times_out(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(remote.ENV_TIMEOUT, "1")
    with serve({"/sparql": after_probe(silent)}) as fake:
        started = time.monotonic()
        code, out, err = run(
            capsys, "query", "actions-by-status", "--endpoint", fake.url("/sparql")
        )
    assert (code, out) == (2, "")
    assert "no answer within 1 s" in err
    assert time.monotonic() - started < 5


def test_a_bad_query_or_parameter_through_the_endpoint(
    seed_oxigraph: Running, capsys: pytest.CaptureFixture[str]
) -> None:
    endpoint = ["--endpoint", seed_oxigraph.query]
    for args, expected in [
        (["sparql", "SELECT * WHERE { ?s ?p }"], "SPARQL syntax error at line 1"),
        (["query", "overdue-actions", "--param", "as_of=tomorrow"], "expects a date YYYY-MM-DD"),
        (["query", "search"], "parameter 'text' is required"),
    ]:
        code, out, err = run(capsys, *args, *endpoint)
        assert (code, out) == (2, "") and expected in err and err.count("\n") == 1


def test_a_select_whose_comments_name_an_update_is_sent_as_a_query(
    seed_oxigraph: Running,
) -> None:
    # SPARQLWrapper took the first keyword it found, "Add" in a comment, for the query's form
    # and sent this SELECT to the update URL.
    sparql = "# Add a name to the register\n# then reload\nSELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
    with open_store(seed_oxigraph.query, read_only=True) as store:
        result = store.query(sparql)
    assert isinstance(result, SelectResult) and int(result.rows[0]["n"]) > 1000  # type: ignore[arg-type]


def test_a_query_the_server_refuses_is_a_query_error(seed_oxigraph: Running) -> None:
    with (
        open_store(seed_oxigraph.query, read_only=True) as store,
        pytest.raises(QueryError, match=r"refused the query \(HTTP 400\): .*1:"),
    ):
        store.query("SELECT * WHERE { ?s ?p }")


def test_credentials_in_the_url_are_refused_and_never_shown(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(
        capsys, "query", "actions-by-status", "--endpoint", "http://me:secret@127.0.0.1:9/query"
    )
    assert code == 2 and "WPSGRAPH_ENDPOINT_PASSWORD" in err and "secret" not in err


def test_credentials_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    headers: list[str | None] = []

    def respond(handler: BaseHTTPRequestHandler, server: Server) -> None:
        headers.append(handler.headers.get("Authorization"))
        body = NO_ROWS if "SELECT" in query_of(handler) else ASK_TRUE
        document(body, JSON_RESULTS)(handler, server)

    monkeypatch.setenv(remote.ENV_USER, "reader")
    monkeypatch.setenv(remote.ENV_PASSWORD, "s3cret")
    with serve({"/sparql": respond}) as fake:
        url = fake.url("/sparql")
        code, out, err = run(capsys, "sparql", "ASK { ?s ?p ?o }", "--endpoint", url)
    assert (code, out.strip()) == (0, "true"), err
    assert headers and all(h == "Basic cmVhZGVyOnMzY3JldA==" for h in headers)  # reader:s3cret
    assert "s3cret" not in repr(remote.Credentials.from_environment())


def test_a_bad_timeout_or_auth_scheme_in_the_environment(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(remote.ENV_TIMEOUT, "soon")
    code, _, err = run(capsys, "query", "actions-by-status", "--endpoint", "http://127.0.0.1:9/q")
    assert code == 2 and "WPSGRAPH_ENDPOINT_TIMEOUT=soon: expected a number of seconds" in err
    monkeypatch.delenv(remote.ENV_TIMEOUT)
    monkeypatch.setenv(remote.ENV_USER, "me")
    monkeypatch.setenv(remote.ENV_AUTH, "kerberos")
    code, _, err = run(capsys, "query", "actions-by-status", "--endpoint", "http://127.0.0.1:9/q")
    assert code == 2 and "expected basic or digest" in err


def test_a_wpsgraph_serve_endpoint_answers_and_is_read_only(
    seed_server: ServeServer, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"{seed_server.url}/sparql"
    code, out, err = run(capsys, "query", "actions-by-status", "--format", "csv", "--endpoint", url)
    assert (code, out.splitlines()) == (0, ["status,actions", "Initiated,11", "Not Initiated,2"])
    code, _, err = run(capsys, "load", str(SEED), "--endpoint", url, "--quiet")
    assert code == 2 and "a wpsgraph serve endpoint is read-only" in err


def test_an_unknown_server_needs_its_update_url(capsys: pytest.CaptureFixture[str]) -> None:
    # It answers queries (the loader reads the versions the store recorded before it writes).
    def respond(handler: BaseHTTPRequestHandler, server: Server) -> None:
        body = NO_ROWS if "SELECT" in query_of(handler) else ASK_TRUE
        document(body, JSON_RESULTS)(handler, server)

    with serve({"/sparql": respond}) as fake:
        url = fake.url("/sparql")
        code, _, err = run(capsys, "load", str(SEED), "--endpoint", url, "--quiet")
    assert code == 2 and "give --update-endpoint" in err


def test_update_and_graph_store_urls_need_an_endpoint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys, "load", str(SEED), "--store", str(tmp_path / "s"), "--graph-store", "http://x/"
    )
    assert code == 2 and "need --endpoint" in err


def test_explicit_update_and_graph_store_urls_win(server: Running) -> None:
    with open_store(
        server.query, update_endpoint=f"{server.base}/update", graph_store=f"{server.base}/gsp"
    ) as store:
        assert isinstance(store, RemoteStore)
        assert store.endpoints.graph_store == f"{server.base}/gsp"
        with pytest.raises(StoreError, match="/gsp: HTTP 404"):
            load_files([SEED], store)


# The servers wpsgraph knows, from their Server header and query URL.


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        ("Oxigraph/0.5.13", Kind.OXIGRAPH),
        ("Virtuoso/07.20.3229 (Linux) x86_64-pc-linux-gnu", Kind.VIRTUOSO),
        ("Apache Jena Fuseki (5.1.0)", Kind.FUSEKI),
        ("wpsgraph/0.1.0", Kind.WPSGRAPH),
        ("nginx", Kind.OTHER),
        (None, Kind.OTHER),
    ],
)
def test_server_kind(header: str | None, kind: Kind) -> None:
    assert server_kind(header) is kind


@pytest.mark.parametrize(
    ("kind", "url", "authenticated", "update", "graph_store"),
    [
        (Kind.OXIGRAPH, "http://h:7878/query", False, "http://h:7878/update", "http://h:7878/store"),
        (Kind.FUSEKI, "http://h:3030/wps/sparql", False, "http://h:3030/wps/update", "http://h:3030/wps/data"),
        (Kind.VIRTUOSO, "http://h:8890/sparql", True, "http://h:8890/sparql-auth", "http://h:8890/sparql-graph-crud-auth"),
        (Kind.VIRTUOSO, "http://h:8890/sparql", False, "http://h:8890/sparql", "http://h:8890/sparql-graph-crud"),
        (Kind.WPSGRAPH, "http://h:8000/sparql", False, None, None),
        (Kind.OTHER, "http://h/sparql", False, None, None),
    ],
)  # fmt: skip
def test_derived_endpoints(
    kind: Kind, url: str, authenticated: bool, update: str | None, graph_store: str | None
) -> None:
    assert derived_endpoints(kind, url, authenticated=authenticated) == Endpoints(
        url, update, graph_store
    )


def test_results_from_the_endpoint_are_rdflib_terms(
    seed_oxigraph: Running, seed_store: OxigraphStore
) -> None:
    with open_store(seed_oxigraph.query, read_only=True) as store:
        result = store.query(
            "SELECT ?status (COUNT(*) AS ?n) WHERE { ?a <https://w3id.org/wpsgraph/ontology#status>"
            " ?c . ?c <http://www.w3.org/2004/02/skos/core#prefLabel> ?status } GROUP BY ?status"
        )
        assert isinstance(result, SelectResult)
        assert sorted((str(r["status"]), r["n"].toPython()) for r in result.rows) == [  # type: ignore[union-attr]
            ("Initiated", 11),
            ("Not Initiated", 2),
        ]
        assert store.query("ASK { ?s ?p ?o }") is True
        assert len(store) == len(seed_store)
        with pytest.raises(StoreError, match="opened read-only"):
            store.replace_graphs({EVALUATION_GRAPH: Graph()})
