"""Loading versions of a page: every version is kept as a dated observation, the evaluation's graph
holds the latest, the same bytes add nothing, an older version loaded late adds history only, and
each load says in one line what changed against the version before."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import PROV, RDF

from tests.conftest import SEED
from wpsgraph.emit import VERSION_DIGITS, history_graph_iri, version_iri
from wpsgraph.errors import WpsGraphError
from wpsgraph.history import Version, place
from wpsgraph.loader import FileReport, LoadOptions, Outcome, load_files
from wpsgraph.model import DateSource, Observed
from wpsgraph.paths import PROJECT_ROOT
from wpsgraph.queries import discover, run_canned
from wpsgraph.store import OxigraphStore, open_store
from wpsgraph.validate import validate_store
from wpsgraph.vocab import WPS

HISTORY = PROJECT_ROOT / "tests" / "fixtures" / "history"
V1, V2, V3 = "gate-4242_2023-01-15.txt", "gate-4242_2023-07-15.txt", "gate-4242.html"
EVALUATION = URIRef("https://w3id.org/wpsgraph/eval/unwomen/gate-4242")
GRAPH = URIRef(f"{EVALUATION}/graph")


def copied(tmp_path: Path, *names: str) -> list[Path]:
    paths = []
    for name in names:
        shutil.copy(HISTORY / name, tmp_path / name)
        paths.append(tmp_path / name)
    return paths


def by_name(reports: list[FileReport]) -> dict[str, FileReport]:
    return {r.path.name: r for r in reports}


def snapshot(store: OxigraphStore) -> dict[URIRef, Graph]:
    return {name: store.graph(name) for name in store.named_graphs()}


def same(a: dict[URIRef, Graph], b: dict[URIRef, Graph]) -> bool:
    return a.keys() == b.keys() and all(isomorphic(a[k], b[k]) for k in a)


def versions_in_order(store: OxigraphStore) -> list[str]:
    """The source files of the evaluation's versions, following prov:wasRevisionOf."""
    chain = store.graph(history_graph_iri(EVALUATION))
    later = {earlier: newer for newer, earlier in chain.subject_objects(PROV.wasRevisionOf)}
    versions = {
        version
        for name in store.named_graphs()
        for version in store.graph(name).subjects(RDF.type, WPS.SourceVersion)
    }
    first = next(v for v in versions if (v, PROV.wasRevisionOf, None) not in chain)
    order, node = [], first
    while node is not None:
        order.append(node)
        node = later.get(node)
    files = {}
    for name in store.named_graphs():
        graph = store.graph(name)
        for version in order:
            if (version, WPS.sourceFile, None) in graph:
                files[version] = str(graph.value(version, WPS.sourceFile))
    return [files[v] for v in order]


def test_every_version_is_kept_and_the_graph_holds_the_latest(tmp_path: Path) -> None:
    with open_store(None) as store:
        report = load_files(copied(tmp_path, V1, V2, V3), store)
        assert {r.outcome for r in report.files} == {Outcome.OK}
        assert versions_in_order(store) == [V1, V2, V3]
        current = store.graph(GRAPH)
        action = URIRef(f"{EVALUATION}/rec/2/action/2")
        nla = URIRef("https://w3id.org/wpsgraph/scheme/action-status/no-longer-applicable")
        assert current.value(action, WPS.status) == nla
        assert current.value(GRAPH, WPS.sourceFile) == Literal(V3)
        latest = current.value(GRAPH, PROV.wasDerivedFrom)
        assert latest == version_iri(EVALUATION, str(current.value(GRAPH, WPS.sourceSha256)))
        assert validate_store(store).conforms


def test_the_current_state_counts_each_action_once(tmp_path: Path) -> None:
    # The latest version alone and all three versions answer the current-state queries alike.
    queries = discover()
    current_state = [
        name
        for name in ("actions-by-status", "deadlines-by-year", "open-actions-by-unit")
        if name in queries
    ]
    with open_store(None) as latest_only, open_store(None) as all_versions:
        load_files(copied(tmp_path, V3), latest_only)
        load_files(copied(tmp_path, V1, V2, V3), all_versions)
        for name in current_state:
            expected = run_canned(latest_only, queries[name], {}).rows
            assert run_canned(all_versions, queries[name], {}).rows == expected, name
        by_status = run_canned(all_versions, queries["actions-by-status"], {}).rows
        assert sum(int(str(row["actions"])) for row in by_status) == 5


def test_reloading_the_same_bytes_adds_nothing(tmp_path: Path) -> None:
    paths = copied(tmp_path, V1, V2, V3)
    with open_store(None) as store:
        load_files(paths, store)
        before = snapshot(store)
        # The same bytes again, and under another name with another date.
        renamed = tmp_path / "gate-4242_2025-01-01.txt"
        shutil.copy(paths[0], renamed)
        report = load_files([*paths, renamed], store)
        assert same(before, snapshot(store))
        assert all(r.outcome is Outcome.OK for r in report.files)
        # The latest version's bytes are read again into the evaluation's graph (the same).
        written = {r.path.name: r.triples for r in report.files}
        assert written[V3] > 0 and written[V1] == written[V2] == written[renamed.name] == 0
        assert by_name(report.files)[renamed.name].history == (
            f"same bytes as {paths[0]}: no new version"
        )
        again = load_files([renamed], store)
        assert again.files[0].history == (
            f"same bytes as the version observed 2023-01-15 ({V1}): no new version"
        )
        assert same(before, snapshot(store))


def test_an_older_version_loaded_late_adds_history_and_leaves_the_current_state(
    tmp_path: Path,
) -> None:
    v1, v2, v3 = copied(tmp_path, V1, V2, V3)
    with open_store(None) as store:
        load_files([v3], store)
        current = store.graph(GRAPH)
        report = load_files([v1], store)
        assert isomorphic(store.graph(GRAPH), current)
        assert report.files[0].history == (
            "observed 2023-01-15 (file-name), first version; "
            "history only: the current state is the version observed 2024-07-20"
        )
        report = load_files([v2], store)
        assert isomorphic(store.graph(GRAPH), current)
        assert versions_in_order(store) == [V1, V2, V3]
        assert report.files[0].history == (
            "observed 2023-07-15 (file-name); against 2023-01-15: "
            "status 1.1 Not Initiated -> Initiated, 1.2 Initiated -> Completed, "
            "1.3 Not Initiated -> Initiated; deadline 2.2 2025-06 -> 2025-12 (+6 months); "
            "comments 1.2; history only: the current state is the version observed 2024-07-20"
        )
        assert validate_store(store).conforms
    # The same store whatever the order the versions came in.
    with open_store(None) as in_order:
        load_files([v1, v2, v3], in_order)
        with open_store(None) as late:
            for path in (v3, v1, v2):
                load_files([path], late)
            assert same(snapshot(in_order), snapshot(late))


def test_a_newer_version_replaces_the_current_state_and_says_what_changed(
    tmp_path: Path,
) -> None:
    v1, v2, v3 = copied(tmp_path, V1, V2, V3)
    with open_store(None) as store:
        load_files([v1, v2], store)
        report = load_files([v3], store)
        assert report.files[0].history == (
            "observed 2024-07-20 (save-date); against 2023-07-15: "
            "status 2.2 Not Initiated -> No Longer Applicable; "
            "deadline 1.1 2023-06 -> 2023-12 (+6 months); comments 2.2; added 2.3; removed 1.3"
        )
        assert report.files[0].compared
        with open_store(None) as direct:
            load_files([v3], direct)
            assert isomorphic(store.graph(GRAPH), direct.graph(GRAPH))


def test_the_latest_version_is_found_with_the_stores_history(tmp_path: Path) -> None:
    """A chunk builds the full graph of its own latest file; when the store's history makes
    another file the latest, that file's graph is built then."""
    v1, v2 = copied(tmp_path, V1, V2)
    with open_store(None) as store:
        load_files([v1], store)
        # The first version's bytes under a later date (no new version), and the second.
        late_copy = tmp_path / "gate-4242_2023-12-31.txt"
        shutil.copy(v1, late_copy)
        report = load_files([late_copy, v2], store)
        assert [r.outcome for r in report.files] == [Outcome.OK, Outcome.OK]
        with open_store(None) as direct:
            load_files([v2], direct)
            assert isomorphic(store.graph(GRAPH), direct.graph(GRAPH))


def test_two_versions_observed_at_the_same_time_cannot_be_ordered(tmp_path: Path) -> None:
    v1 = copied(tmp_path, V1)[0]
    other = tmp_path / "4242_2023-01-15.txt"
    shutil.copy(HISTORY / V2, other)
    with open_store(None) as store:
        report = load_files([v1, other], store)
        assert [r.outcome for r in report.files] == [Outcome.OK, Outcome.REJECTED]
        assert "observed at the same time (2023-01-15, file-name)" in (report.files[1].error or "")
        assert "give each version its own date" in (report.files[1].error or "")


def test_a_later_load_on_the_same_day_is_the_later_version(tmp_path: Path) -> None:
    # Same stated day, different bytes, two loads: the later load is the later version.
    v1 = copied(tmp_path, V1)[0]
    corrected = tmp_path / "gate-4242.txt"
    shutil.copy(HISTORY / V2, corrected)
    day = LoadOptions(observed=date(2024, 1, 1))
    with open_store(None) as store:
        load_files([v1], store, day)
        report = load_files([corrected], store, day)
        assert report.files[0].outcome is Outcome.OK
        assert store.graph(GRAPH).value(GRAPH, WPS.sourceFile) == Literal("gate-4242.txt")
        assert versions_in_order(store) == [V1, "gate-4242.txt"]


def test_each_version_has_its_own_graph_and_the_current_state_none_of_its_terms(
    tmp_path: Path,
) -> None:
    with open_store(None) as store:
        load_files(copied(tmp_path, V1, V2, V3), store)
        current = store.graph(GRAPH)
        history_terms = {WPS.observedStatus, WPS.observedDeadline, WPS.observedIn}
        assert not history_terms & set(current.predicates())
        version_graphs = [n for n in store.named_graphs() if "/version/" in str(n)]
        assert len(version_graphs) == 3
        for name in version_graphs:
            graph = store.graph(name)
            assert not {WPS.status, WPS.deadline} & set(graph.predicates())
            assert (None, RDF.type, WPS.KeyAction) not in graph


def test_load_options_observed_is_recorded_as_stated(tmp_path: Path) -> None:
    seed = tmp_path / "gate-11818.txt"
    shutil.copy(SEED, seed)
    with open_store(None) as store:
        report = load_files([seed], store, LoadOptions(observed=date(2025, 6, 30)))
        assert report.files[0].history == "observed 2025-06-30 (stated), first version"


@pytest.mark.parametrize("jobs", [1, 2])
def test_many_versions_load_in_chunks_and_processes(tmp_path: Path, jobs: int) -> None:
    """Enough files for the pool, an evaluation's versions never split across chunks."""
    from wpsgraph.synth import write_corpus

    paths = write_corpus(40, tmp_path / "corpus", seed=3, versions=3)
    with open_store(None) as store:
        report = load_files(paths, store, LoadOptions(jobs=jobs))
        assert not report.rejected
        graphs = [str(g) for g in store.named_graphs()]
        assert len([g for g in graphs if "/version/" in g]) == 120
        assert len([g for g in graphs if g.endswith("/history")]) == 40
        assert validate_store(store).conforms


def test_two_versions_whose_digests_begin_alike_are_refused() -> None:
    def version(sha: str, day: int) -> Version:
        observed = Observed(date(2024, 1, day), None, DateSource.FILE_NAME)
        return Version(EVALUATION, version_iri(EVALUATION, sha), sha, observed, f"{day}.txt", ())

    first, second = "a" * 64, "a" * VERSION_DIGITS + "b" * (64 - VERSION_DIGITS)
    with pytest.raises(WpsGraphError, match=r"2\.txt: its SHA-256 begins like that of 1\.txt"):
        place([version(first, 1)], [version(second, 2)])
