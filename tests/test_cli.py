"""The command line as a user types it: exit codes, messages naming the file, no tracebacks."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SEED, SEED_OBSERVED
from wpsgraph.cli import main
from wpsgraph.formats import TABLE_FORMATS, render, render_select, results_format
from wpsgraph.queries import discover, run_canned
from wpsgraph.store import OxigraphStore

QUERIES = discover()
# Parameters that make the seed's answers non-empty and independent of today's date.
PARAMETERS = {
    "overdue-actions": {"as_of": "2028-01-01"},
    "search": {"text": "Security Council"},
    "status-history": {"evaluation": "11818"},
}


def wpsgraph(*args: str, store: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WPSGRAPH_STORE": str(store)}
    return subprocess.run(
        [sys.executable, "-m", "wpsgraph", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


@pytest.fixture(scope="module")
def loaded_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("cli") / "store"
    observed = ["--observed", SEED_OBSERVED.isoformat()]
    assert main(["load", str(SEED), "--store", str(store), *observed]) == 0
    return store


def test_load_prints_a_summary_and_exits_0(tmp_path: Path) -> None:
    result = wpsgraph("load", str(SEED), store=tmp_path / "store")
    assert result.returncode == 0, result.stderr
    assert "gate-11818.txt" in result.stdout and "1 ok" in result.stdout
    assert "ok: " in result.stderr  # progress goes to stderr


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", "empty file"),
        (
            "Minutes of the steering committee\n\nAttendance: ...\n",
            "not a GATE management response",
        ),
    ],
)
def test_bad_input_names_the_file_and_exits_non_zero(
    tmp_path: Path, content: str, expected: str
) -> None:
    path = tmp_path / "gate-5.txt"
    path.write_text(content, "utf-8")
    result = wpsgraph("load", str(path), store=tmp_path / "store")
    assert result.returncode == 1
    assert f"{path}" in result.stderr and expected in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_a_missing_file_names_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "gate-6.txt"
    result = wpsgraph("load", str(missing), store=tmp_path / "store")
    assert result.returncode == 1
    assert str(missing) in result.stderr and "not found" in result.stderr
    assert "Traceback" not in result.stderr


def test_querying_a_store_that_does_not_exist_is_a_clear_error(tmp_path: Path) -> None:
    result = wpsgraph("query", "actions-by-status", store=tmp_path / "nowhere")
    assert result.returncode == 2
    assert "run 'wpsgraph load' first" in result.stderr and "Traceback" not in result.stderr


def test_query_csv_has_a_header_row(loaded_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["query", "actions-by-status", "--store", str(loaded_store), "--format", "csv"])
    assert code == 0
    table = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert table == [["status", "actions"], ["Initiated", "11"], ["Not Initiated", "2"]]


def test_query_json_is_sparql_results_json(
    loaded_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [
        "query",
        "overdue-actions",
        "--store",
        str(loaded_store),
        "--param",
        "as_of=2027-01-15",
        "--format",
        "json",
    ]
    assert main(args) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["head"]["vars"][:3] == ["evaluation", "evaluation_id", "evaluation_title"]
    assert len(doc["results"]["bindings"]) == 1
    assert doc["results"]["bindings"][0]["deadline"]["value"] == "2026-12"


@pytest.mark.parametrize("fmt", TABLE_FORMATS)
@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query_prints_what_rendering_the_rdflib_rows_prints(
    name: str,
    fmt: str,
    loaded_store: Path,
    seed_store: OxigraphStore,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The CLI prints the engine's serialization; the Python API's rows must read the same.
    params = PARAMETERS.get(name, {})
    args = [f"--param={k}={v}" for k, v in params.items()]
    assert main(["query", name, "--store", str(loaded_store), "--format", fmt, *args]) == 0
    expected = render(run_canned(seed_store, QUERIES[name], params), fmt)
    assert capsys.readouterr().out == expected


@pytest.mark.parametrize("fmt", TABLE_FORMATS)
def test_sparql_select_prints_what_rendering_the_rdflib_rows_prints(
    fmt: str, loaded_store: Path, seed_store: OxigraphStore, capsys: pytest.CaptureFixture[str]
) -> None:
    # The seed and its vocabulary: IRIs, strings, language tags, typed literals. Not blank nodes:
    # their labels differ between stores, and CSV now writes them _:label as the spec says.
    query = (
        "SELECT ?s ?p ?o ?none WHERE { ?s ?p ?o FILTER(!isBlank(?s) && !isBlank(?o)) } "
        "ORDER BY ?s ?p ?o"
    )
    assert main(["sparql", query, "--store", str(loaded_store), "--format", fmt]) == 0
    assert capsys.readouterr().out == render(seed_store.query(query), fmt)


@pytest.mark.parametrize("fmt", TABLE_FORMATS)
def test_both_select_paths_write_blank_nodes_alike(fmt: str, seed_store: OxigraphStore) -> None:
    # The vocabulary's OWL lists are blank nodes; one store, so the labels agree.
    query = (
        "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) } ORDER BY ?s ?p ?o"
    )
    engine = render_select(seed_store.select_results(query, results_format(fmt)), fmt)
    assert engine == render(seed_store.query(query), fmt)
    assert "_:" in engine if fmt == "csv" else "_:" not in engine


def test_query_list_names_every_query(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "--list"]) == 0
    out = capsys.readouterr().out
    for name in ["actions-by-status", "overdue-actions", "search", "--param as_of=<xsd:date>"]:
        assert name in out
    assert "--limit N" in out and "--offset N" in out and "--param NAME=N" in out


@pytest.mark.parametrize(
    "paging",
    [["--limit", "2", "--offset", "1"], ["--param", "limit=2", "--param", "offset=1"]],
    ids=["options", "params"],
)
def test_query_prints_one_page(
    loaded_store: Path, capsys: pytest.CaptureFixture[str], paging: list[str]
) -> None:
    args = ["query", "open-actions-by-unit", "--store", str(loaded_store), "--format", "csv"]
    assert main(args) == 0
    every_row = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert main([*args, *paging]) == 0
    assert list(csv.reader(io.StringIO(capsys.readouterr().out))) == [
        every_row[0],
        *every_row[2:4],
    ]


@pytest.mark.parametrize(
    ("paging", "message"),
    [
        (["--limit", "-1"], "actions-by-status: parameter 'limit' expects a non-negative integer"),
        (["--offset", "1 OFFSET 2"], "actions-by-status: parameter 'offset' expects a non-"),
        (["--limit", "1", "--param", "limit=2"], "--limit and --param limit=...: give it once"),
    ],
)
def test_bad_paging_exits_2_with_one_line(
    loaded_store: Path, paging: list[str], message: str
) -> None:
    result = wpsgraph("query", "actions-by-status", *paging, store=loaded_store)
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(f"wpsgraph: error: {message}")


def test_sparql_select_ask_and_construct(
    loaded_store: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    store = ["--store", str(loaded_store)]
    q = (
        "PREFIX wps: <https://w3id.org/wpsgraph/ontology#> SELECT (COUNT(?a) AS ?n) "
        "WHERE { ?a a wps:KeyAction }"
    )
    assert main(["sparql", q, *store, "--format", "csv"]) == 0
    assert capsys.readouterr().out.split() == ["n", "13"]
    assert main(["sparql", "ASK { ?s ?p ?o }", *store]) == 0
    assert capsys.readouterr().out.strip() == "true"
    assert main(["sparql", q, *store, "--format", "turtle"]) == 2
    assert "--format turtle: rows are written as table, csv, json" in capsys.readouterr().err
    query_file = tmp_path / "q.rq"
    query_file.write_text("CONSTRUCT { ?s a ?t } WHERE { ?s a ?t } LIMIT 1")
    assert main(["sparql", "--file", str(query_file), *store, "--format", "nt"]) == 0
    assert capsys.readouterr().out.count(" .") == 1


def test_sparql_refuses_updates_and_service(
    loaded_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = ["--store", str(loaded_store)]
    assert main(["sparql", "DROP ALL", *store]) == 2
    assert (
        main(["sparql", "SELECT * WHERE { SERVICE <http://x.example/> { ?s ?p ?o } }", *store]) == 2
    )
    err = capsys.readouterr().err
    assert "updates" in err and "SERVICE is refused" in err


def test_export_formats_parse_back(loaded_store: Path, tmp_path: Path) -> None:
    from rdflib import Dataset, Graph
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    sizes = {}
    for fmt, rdflib_format in [("turtle", "turtle"), ("nt", "nt")]:
        out = tmp_path / f"export.{fmt}"
        assert main(["export", "--store", str(loaded_store), "--format", fmt, "-o", str(out)]) == 0
        sizes[fmt] = len(Graph().parse(out, format=rdflib_format))
    for fmt, rdflib_format in [("trig", "trig"), ("nquads", "nquads"), ("jsonld", "json-ld")]:
        out = tmp_path / f"export.{fmt}"
        assert main(["export", "--store", str(loaded_store), "--format", fmt, "-o", str(out)]) == 0
        dataset = Dataset().parse(out, format=rdflib_format)
        named = [g for g in dataset.graphs() if g.identifier != DATASET_DEFAULT_GRAPH_ID]
        # The evaluation, the version it was loaded from, its history, three vocabulary graphs.
        assert len(named) == 6, fmt
        sizes[fmt] = len(dataset)
    assert sizes["turtle"] == sizes["nt"] > 1000
    assert sizes["trig"] == sizes["nquads"] == sizes["jsonld"] >= sizes["turtle"]


def test_validate_the_store_and_files(
    loaded_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", "--store", str(loaded_store)]) == 0
    assert capsys.readouterr().out.strip() == "Conforms: no violations, no warnings."
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix wps: <https://w3id.org/wpsgraph/ontology#> .\n"
        "<https://example.org/a> a wps:KeyAction .\n"
    )
    assert main(["validate", str(bad), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["conforms"] is False
    assert {r["focusNode"] for r in report["results"]} == {"https://example.org/a"}
    not_rdf = tmp_path / "notes.ttl"
    not_rdf.write_text("@prefix ex: <https://example.org/> .\nthis is not turtle")
    assert main(["validate", str(not_rdf)]) == 2
    assert "notes.ttl: line 2, column 1: not valid Turtle: " in capsys.readouterr().err


def test_demo_loads_validates_and_answers(tmp_path: Path) -> None:
    result = wpsgraph("demo", store=tmp_path / "store")
    assert result.returncode == 0, result.stderr
    for name in ["actions-by-status", "overdue-actions", "search", "Conforms"]:
        assert name in result.stdout


def test_load_reports_what_changed_against_the_version_before(tmp_path: Path) -> None:
    history = Path(__file__).parent / "fixtures" / "history"
    store = tmp_path / "store"
    first = wpsgraph("load", str(history / "gate-4242_2023-01-15.txt"), store=store)
    assert first.returncode == 0, first.stderr
    assert "observed 2023-01-15 (file-name), first version" in first.stderr
    later = wpsgraph("load", str(history / "gate-4242_2023-07-15.txt"), store=store)
    assert later.returncode == 0, later.stderr
    line = next(x for x in later.stderr.splitlines() if x.startswith("  history: "))
    assert line.endswith(
        "gate-4242_2023-07-15.txt: observed 2023-07-15 (file-name); against 2023-01-15: "
        "status 1.1 Not Initiated -> Initiated, 1.2 Initiated -> Completed, "
        "1.3 Not Initiated -> Initiated; deadline 2.2 2025-06 -> 2025-12 (+6 months); comments 1.2"
    )
    assert "against 2023-01-15" not in later.stdout  # the summary table alone on stdout
    quiet = wpsgraph("load", str(history / "gate-4242.html"), "--quiet", store=store)
    assert quiet.returncode == 0 and quiet.stderr == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2999-01-01", "--observed 2999-01-01 is in the future"), ("30/06/2025", "YYYY-MM-DD")],
)
def test_a_bad_observed_date_is_an_error(tmp_path: Path, value: str, expected: str) -> None:
    result = wpsgraph("load", str(SEED), "--observed", value, store=tmp_path / "store")
    assert result.returncode == 2
    assert expected in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "store").exists() or not any((tmp_path / "store").iterdir())


def test_load_observed_is_the_stated_day(tmp_path: Path) -> None:
    result = wpsgraph("load", str(SEED), "--observed", "2025-06-30", store=tmp_path / "store")
    assert result.returncode == 0, result.stderr
    assert "observed 2025-06-30 (stated), first version" in result.stderr
    rows = wpsgraph(
        "query", "status-history", "--param", "evaluation=11818", "--param", "action=3.3",
        "--format", "csv", store=tmp_path / "store",
    )  # fmt: skip
    assert rows.stdout.splitlines()[1].split(",")[-6:-4] == ["2025-06-30", "Initiated"]


def test_synth_writes_dated_versions(tmp_path: Path) -> None:
    result = wpsgraph("synth", "2", "--versions", "3", "-o", str(tmp_path / "out"), store=tmp_path)
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert len(names) == 6 and all(n.startswith(("gate-900000_", "gate-900001_")) for n in names)
    assert "6 pages (2 management responses, 3 version(s) each)" in result.stderr
