"""Loading: stable IRIs, reload isomorphism, all-or-nothing per file, provenance."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import PROV, RDF

from tests.conftest import SEED, SEED_EVALUATION
from wpsgraph.emit import VOCABULARY_GRAPHS
from wpsgraph.errors import SourceError, WpsGraphError
from wpsgraph.loader import LoadOptions, Outcome, evaluation_id_for, load_files
from wpsgraph.store import OxigraphStore, open_store
from wpsgraph.vocab import WPS

GRAPH = URIRef(f"{SEED_EVALUATION}/graph")


def snapshot(store: OxigraphStore) -> dict[URIRef, Graph]:
    return {name: store.graph(name) for name in store.named_graphs()}


def seed_variant(path: Path, old: str, new: str) -> Path:
    """The seed with one printed text changed, written to path."""
    text = SEED.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")
    return path


def same(a: dict[URIRef, Graph], b: dict[URIRef, Graph]) -> bool:
    return a.keys() == b.keys() and all(isomorphic(a[k], b[k]) for k in a)


def test_seed_loads_into_its_own_named_graph(seed_store: OxigraphStore) -> None:
    graphs = seed_store.named_graphs()
    assert GRAPH in graphs
    assert set(VOCABULARY_GRAPHS.values()) <= set(graphs)
    data = seed_store.graph(GRAPH)
    assert len(list(data.subjects(RDF.type, WPS.KeyAction))) == 13
    assert len(list(data.subjects(RDF.type, WPS.Recommendation))) == 5


def test_provenance_records_the_source_file_version_and_url(seed_store: OxigraphStore) -> None:
    data = seed_store.graph(GRAPH)
    assert data.value(GRAPH, WPS.sourceFile) == Literal("gate-11818.txt")
    digest = hashlib.sha256(SEED.read_bytes()).hexdigest()
    assert data.value(GRAPH, WPS.sourceSha256) == Literal(digest)
    url = URIRef(
        "https://gate.unwomen.org/ManagementResponse/ViewManagementResponse?evaluationId=11818"
    )
    assert data.value(GRAPH, PROV.hadPrimarySource) == url


def test_iris_are_minted_from_source_identifiers_only(seed_store: OxigraphStore) -> None:
    data = seed_store.graph(GRAPH)
    minted = {str(s) for s in data.subjects() if str(s).startswith(SEED_EVALUATION)}
    expected = {SEED_EVALUATION, f"{SEED_EVALUATION}/graph", f"{SEED_EVALUATION}/mr"}
    counts = [4, 2, 3, 1, 3]
    for rec, n_actions in enumerate(counts, start=1):
        expected |= {f"{SEED_EVALUATION}/rec/{rec}", f"{SEED_EVALUATION}/rec/{rec}/response"}
        expected |= {f"{SEED_EVALUATION}/rec/{rec}/action/{m}" for m in range(1, n_actions + 1)}
    assert minted == expected


def test_loading_twice_replaces_the_graph_and_is_isomorphic(empty_store: OxigraphStore) -> None:
    load_files([SEED], empty_store)
    first = snapshot(empty_store)
    size = len(empty_store)
    load_files([SEED], empty_store)
    assert len(empty_store) == size
    assert same(first, snapshot(empty_store))


def test_export_and_parse_again_is_isomorphic(seed_store: OxigraphStore, tmp_path: Path) -> None:
    out = tmp_path / "all.trig"
    with out.open("wb") as stream:
        seed_store.export(stream, "trig")
    dataset = Dataset()
    dataset.parse(out, format="trig")
    assert isomorphic(dataset.graph(GRAPH), seed_store.graph(GRAPH))


def test_a_republished_evaluation_replaces_its_graph(tmp_path: Path) -> None:
    changed = seed_variant(tmp_path / "gate-11818.txt", "2026/12 Initiated", "2026/12 Completed")
    with open_store(None) as store:
        load_files([SEED], store)
        load_files([changed], store)
        data = store.graph(GRAPH)
        done = URIRef("https://w3id.org/wpsgraph/scheme/action-status/completed")
        assert list(data.subjects(WPS.status, done)) == [
            URIRef(f"{SEED_EVALUATION}/rec/3/action/3")
        ]
        digest = hashlib.sha256(changed.read_bytes()).hexdigest()
        assert data.value(GRAPH, WPS.sourceSha256) == Literal(digest)


def test_a_rejected_file_writes_nothing_and_the_others_load(tmp_path: Path) -> None:
    bad = tmp_path / "gate-2.txt"
    bad.write_text("This is a meeting agenda, not a management response.\n", "utf-8")
    good = tmp_path / "gate-3.txt"
    good.write_text(SEED.read_text(encoding="utf-8"), "utf-8")
    with open_store(None) as store:
        report = load_files([bad, good], store)
        assert [f.outcome for f in report.files] == [Outcome.REJECTED, Outcome.OK]
        assert "gate-2.txt" in (report.files[0].error or "")
        graphs = {str(g) for g in store.named_graphs()}
        assert "https://w3id.org/wpsgraph/eval/unwomen/gate-3/graph" in graphs
        assert not any("gate-2" in g for g in graphs)


def test_a_failed_load_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    empty = tmp_path / "gate-4.txt"
    empty.write_text("", "utf-8")
    with open_store(None) as store:
        load_files([SEED], store)
        before = snapshot(store)
        report = load_files([empty], store)
        assert report.files[0].outcome is Outcome.REJECTED
        assert same(before, snapshot(store))


def test_the_same_evaluation_twice_in_one_batch_is_rejected(tmp_path: Path) -> None:
    copy = tmp_path / "11818.txt"
    copy.write_bytes(SEED.read_bytes())
    with open_store(None) as store:
        report = load_files([SEED, copy], store)
        assert [f.outcome for f in report.files] == [Outcome.OK, Outcome.REJECTED]
        assert "also in" in (report.files[1].error or "")


def test_the_store_persists_between_openings(tmp_path: Path) -> None:
    directory = tmp_path / "store"
    with open_store(directory) as store:
        load_files([SEED], store)
        size = len(store)
    with open_store(directory, read_only=True) as store:
        assert len(store) == size


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("gate-11818.txt", "11818"),
        ("11818.html", "11818"),
        ("ViewManagementResponse?evaluationId=42.html", "42"),
    ],
)
def test_evaluation_id_from_the_file_name(name: str, expected: str) -> None:
    assert evaluation_id_for(Path(name), None) == expected


def test_evaluation_id_cannot_be_guessed_from_an_arbitrary_name() -> None:
    with pytest.raises(SourceError, match="--evaluation-id"):
        evaluation_id_for(Path("000_543cb0e5625ab64b.txt"), None)


def test_evaluation_id_option_applies_to_one_file_only(tmp_path: Path) -> None:
    with open_store(None) as store, pytest.raises(WpsGraphError, match="exactly one file"):
        load_files([SEED, SEED], store, LoadOptions(evaluation_id="1"))


def test_evaluation_id_option_names_the_evaluation(tmp_path: Path) -> None:
    odd = tmp_path / "000_543cb0e5625ab64b.txt"
    odd.write_bytes(SEED.read_bytes())
    with open_store(None) as store:
        report = load_files([odd], store, LoadOptions(evaluation_id="11818"))
        assert report.files[0].evaluation == URIRef(SEED_EVALUATION)


def test_a_shape_violation_rejects_the_file_naming_file_and_line(tmp_path: Path) -> None:
    backwards = seed_variant(tmp_path / "gate-7.txt", ": 2024 - 2025 ,", ": 2025 - 2024 ,")
    with open_store(None) as store:
        report = load_files([backwards], store)
        assert report.files[0].outcome is Outcome.REJECTED
        error = report.files[0].error or ""
        assert error.startswith(f"{backwards}:1: 1 shape violation(s); first: ")
        assert error.endswith("(https://w3id.org/wpsgraph/eval/unwomen/gate-7/mr)")
        assert store.named_graphs() == []


def test_shape_warnings_name_the_line_of_their_focus_node(tmp_path: Path) -> None:
    unknown = seed_variant(
        tmp_path / "gate-8.txt",
        "Regional and Country Offices, WPHF Secretariat",
        "Office of Mars Affairs",
    )
    with open_store(None) as store:
        report = load_files([unknown], store)
    action = "https://w3id.org/wpsgraph/eval/unwomen/gate-8/rec/4/action/1"
    line = next(
        n
        for n, text in enumerate(unknown.read_text("utf-8").splitlines(), 1)
        if "Office of Mars Affairs" in text
    )
    assert any(
        w.startswith(f"{unknown}:{line}: ") and w.endswith(f"({action})")
        for w in report.files[0].warnings
    ), report.files[0].warnings


def test_a_republished_evaluation_with_a_renamed_unit_keeps_the_unit_iri(tmp_path: Path) -> None:
    # An older copy of the page printed the division's former name.
    older = seed_variant(
        tmp_path / "gate-11818.txt",
        "Policy, Programme and Intergovernmental Division",
        "Programme Division",
    )
    ppid = URIRef("https://w3id.org/wpsgraph/org/unwomen/unit/ppid")
    mr = URIRef(f"{SEED_EVALUATION}/mr")
    with open_store(None) as store:
        load_files([older], store)
        assert store.graph(GRAPH).value(mr, WPS.respondingUnit) == ppid
        first = store.graph(GRAPH).value(GRAPH, WPS.sourceSha256)
        load_files([SEED], store)
        assert store.graph(GRAPH).value(mr, WPS.respondingUnit) == ppid
        assert store.graph(GRAPH).value(GRAPH, WPS.sourceSha256) != first
