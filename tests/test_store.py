"""The store's write paths: each batch is one transaction, bulk loads only into an empty store,
and a failure leaves the store as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from tests.conftest import SEED
from wpsgraph import loader
from wpsgraph.errors import StoreError
from wpsgraph.loader import LoadOptions, Outcome, load_files
from wpsgraph.store import OxigraphStore, as_nquads, open_store
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
    with open_store(None) as serial, open_store(None) as pooled:
        one = load_files(corpus, serial, LoadOptions(jobs=1))
        two = load_files(corpus, pooled, LoadOptions(jobs=2))
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
