"""The store's write paths: each batch is one transaction, bulk loads only into an empty store,
and a failure leaves the store as it was. SELECT results serialized by the engine."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from tests.conftest import SEED, SEED_OBSERVED
from wpsgraph import loader
from wpsgraph import store as store_module
from wpsgraph.errors import QueryError, StoreError
from wpsgraph.loader import LoadOptions, Outcome, load_files
from wpsgraph.store import OxigraphStore, as_nquads, engine_errors, open_store, sparql_csv
from wpsgraph.synth import write_corpus

A = URIRef("https://example.org/a")
B = URIRef("https://example.org/b")
TRIPLE_A = b'<https://example.org/s> <https://example.org/p> "a \\" .\\n" .\n'
TRIPLE_B = b"<https://example.org/s> <https://example.org/p> <https://example.org/o> .\n"


def snapshot(store: OxigraphStore) -> dict[URIRef, Graph]:
    return {name: store.graph(name) for name in store.named_graphs()}


def same(a: dict[URIRef, Graph], b: dict[URIRef, Graph]) -> bool:
    return a.keys() == b.keys() and all(isomorphic(a[k], b[k]) for k in a)


def test_as_nquads_puts_each_triple_in_its_graph() -> None:
    quads = as_nquads({A: TRIPLE_A, B: TRIPLE_B}).decode()
    assert quads.splitlines() == [
        '<https://example.org/s> <https://example.org/p> "a \\" .\\n" <https://example.org/a> .',
        "<https://example.org/s> <https://example.org/p> <https://example.org/o> "
        "<https://example.org/b> .",
    ]


def test_replace_serialized_adds_new_graphs_and_replaces_held_ones() -> None:
    with open_store(None) as store:
        store.replace_serialized({A: TRIPLE_A})
        store.replace_serialized({A: TRIPLE_B, B: TRIPLE_B})
        assert len(store) == 2
        assert {str(o) for o in store.graph(A).objects()} == {"https://example.org/o"}


@pytest.mark.parametrize("held", [False, True])
def test_a_failed_write_leaves_the_store_as_it_was(held: bool) -> None:
    with open_store(None) as store:
        store.replace_serialized({A: TRIPLE_A})
        before = snapshot(store)
        batch = {A: TRIPLE_B} if held else {}
        with pytest.raises(StoreError):
            store.replace_serialized({**batch, B: b"<not a triple\n"})
        assert same(before, snapshot(store))


def test_a_failed_bulk_load_empties_the_store_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = OxigraphStore.bulk_add

    def write_then_fail(self: OxigraphStore, graphs: dict[URIRef, bytes]) -> None:
        original(self, graphs)
        raise StoreError("disk full")

    monkeypatch.setattr(OxigraphStore, "bulk_add", write_then_fail)
    with open_store(tmp_path / "store") as store:
        with pytest.raises(StoreError, match="disk full"):
            load_files([SEED], store)
        assert store.is_empty()


def test_a_store_with_data_is_written_in_transactions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(tmp_path / "store") as store:
        load_files([SEED], store)  # bulk: the store was empty
        before = snapshot(store)

        def refuse(self: OxigraphStore, graphs: dict[URIRef, bytes]) -> None:
            raise AssertionError("bulk load into a store that holds data")

        monkeypatch.setattr(OxigraphStore, "bulk_add", refuse)
        report = load_files([SEED], store)
        assert report.files[0].outcome is Outcome.OK
        assert same(before, snapshot(store))


def test_loading_in_a_pool_gives_the_same_graphs_in_the_same_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = write_corpus(6, tmp_path / "corpus", seed=3)
    monkeypatch.setattr(loader, "PARALLEL_FROM", 2)
    monkeypatch.setattr(loader, "CHUNK_FILES", 2)
    # One stated day: two loads record their versions as observed on the same day.
    with open_store(None) as serial, open_store(None) as pooled:
        one = load_files(corpus, serial, LoadOptions(jobs=1, observed=SEED_OBSERVED))
        two = load_files(corpus, pooled, LoadOptions(jobs=2, observed=SEED_OBSERVED))
        assert [(f.path, f.outcome, f.triples) for f in one.files] == [
            (f.path, f.outcome, f.triples) for f in two.files
        ]
        assert same(snapshot(serial), snapshot(pooled))


def test_the_same_evaluation_in_two_chunks_is_rejected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "11818.txt"
    copy.write_bytes(SEED.read_bytes())
    monkeypatch.setattr(loader, "CHUNK_FILES", 1)
    with open_store(None) as store:
        report = load_files([SEED, copy], store)
        assert [f.outcome for f in report.files] == [Outcome.OK, Outcome.REJECTED]
        assert "also in" in (report.files[1].error or "")


@pytest.fixture(scope="module")
def values_store() -> Iterator[OxigraphStore]:
    """Values a CSV writer must quote or keep as they are, one subject each (s0, s1 ...)."""
    objects = [
        '"a,b"',
        '"say \\"hi\\""',
        '"line1\\nline2"',
        '"é 中文 …"',
        '"bonjour"@fr',
        '"1.5"^^<http://www.w3.org/2001/XMLSchema#decimal>',
        '"2026-01-01T00:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime>',
        "<https://example.org/a,b>",
    ]
    lines = [
        f"<https://example.org/s{i}> <https://example.org/p> {o} ." for i, o in enumerate(objects)
    ]
    with open_store(None) as store:
        store.replace_serialized({A: "\n".join(lines).encode()})
        yield store


SELECT_ALL = "SELECT ?s ?o ?unbound WHERE { ?s <https://example.org/p> ?o } ORDER BY ?s"


def test_select_results_csv_quotes_what_it_must_and_keeps_lexical_forms(
    values_store: OxigraphStore,
) -> None:
    s = "https://example.org/s"
    assert values_store.select_results(SELECT_ALL, "csv").decode().split("\r\n") == [
        "s,o,unbound",
        f'{s}0,"a,b",',
        f'{s}1,"say ""hi""",',
        f'{s}2,"line1\nline2",',
        f"{s}3,é 中文 …,",
        f"{s}4,bonjour,",
        f"{s}5,1.5,",
        f"{s}6,2026-01-01T00:00:00Z,",  # as stored (rdflib's str() gave +00:00)
        f'{s}7,"https://example.org/a,b",',  # the engine's own CSV leaves this comma unquoted
        "",
    ]


@pytest.mark.parametrize("drop", [set(), {"s"}])
def test_select_results_uses_the_engines_csv_when_well_formed(
    values_store: OxigraphStore, monkeypatch: pytest.MonkeyPatch, drop: set[str]
) -> None:
    query = SELECT_ALL.replace("?o }", "?o FILTER(?s != <https://example.org/s7>) }")
    written = sparql_csv(json.loads(values_store.select_results(query, "json", drop=drop)))

    def not_written_here(document: dict[str, object]) -> bytes:
        raise AssertionError("the engine's CSV was well formed")

    monkeypatch.setattr(store_module, "sparql_csv", not_written_here)
    assert values_store.select_results(query, "csv", drop=drop) == written


def test_select_results_csv_keeps_every_row_of_one_column(empty_store: OxigraphStore) -> None:
    query = 'SELECT ?x WHERE { VALUES ?x { UNDEF "" "a" } }'
    assert empty_store.select_results(query, "csv") == b'x\r\n""\r\n""\r\na\r\n'


def test_select_results_csv_writes_blank_nodes_as_labels(empty_store: OxigraphStore) -> None:
    data = empty_store.select_results("SELECT ?b WHERE { BIND(BNODE() AS ?b) }", "csv")
    assert data.split(b"\r\n")[1].startswith(b"_:")


def test_select_results_json_is_the_engines_sparql_json(values_store: OxigraphStore) -> None:
    doc = json.loads(values_store.select_results(SELECT_ALL, "json"))
    assert doc["head"]["vars"] == ["s", "o", "unbound"]
    objects = [b["o"] for b in doc["results"]["bindings"]]
    assert objects[0] == {"type": "literal", "value": "a,b"}  # xsd:string: no datatype
    assert objects[4] == {"type": "literal", "value": "bonjour", "xml:lang": "fr"}
    assert objects[5]["datatype"] == "http://www.w3.org/2001/XMLSchema#decimal"
    assert objects[7] == {"type": "uri", "value": "https://example.org/a,b"}


HOSTILE = 'a "quoted", back\\slash\nand a new line'
ECHO = "SELECT ?v ?echo WHERE { BIND(STR(?v) AS ?echo) }"


def test_select_results_substitutes_and_drops_a_parameter(empty_store: OxigraphStore) -> None:
    bindings = {"v": Literal(HOSTILE)}
    csv_data = empty_store.select_results(ECHO, "csv", bindings, drop={"v"})
    assert csv_data == b'echo\r\n"a ""quoted"", back\\slash\nand a new line"\r\n'
    assert list(csv.reader(io.StringIO(csv_data.decode(), newline=""))) == [["echo"], [HOSTILE]]
    doc = json.loads(empty_store.select_results(ECHO, "json", bindings, drop={"v"}))
    assert doc == {
        "head": {"vars": ["echo"]},
        "results": {"bindings": [{"echo": {"type": "literal", "value": HOSTILE}}]},
    }
    kept = json.loads(empty_store.select_results(ECHO, "json", bindings))
    assert kept["head"]["vars"] == ["v", "echo"]


@pytest.mark.parametrize(
    ("sparql", "bindings", "message"),
    [
        ("SELEKT * WHERE { ?s ?p ?o }", {}, "the query failed"),
        ("ASK { ?s ?p ?o }", {}, "not a SELECT"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", {}, "not a SELECT"),
        ("SELECT ?echo WHERE { BIND(STR(?v) AS ?echo) }", {"v": Literal("x")}, "projection"),
    ],
)
def test_select_results_refuses(
    empty_store: OxigraphStore, sparql: str, bindings: dict[str, Literal], message: str
) -> None:
    with pytest.raises(QueryError, match=message):
        empty_store.select_results(sparql, "csv", bindings)


def test_select_results_knows_csv_and_json_only(empty_store: OxigraphStore) -> None:
    with pytest.raises(ValueError, match="csv, json"):
        empty_store.select_results(SELECT_ALL, "xml")


def test_engine_errors_become_query_and_store_errors() -> None:
    with pytest.raises(QueryError, match="the query failed"), engine_errors():
        raise RuntimeError("evaluation failed")
    with pytest.raises(StoreError, match="cannot read the store"), engine_errors():
        raise OSError("I/O error")
