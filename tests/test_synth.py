"""The synthetic corpus: deterministic, loadable by the current parser, distributed as designed."""

from __future__ import annotations

import re
from collections import Counter
from itertools import pairwise
from pathlib import Path

import pytest

from wpsgraph.loader import Outcome, load_files
from wpsgraph.queries import canned_results, discover, run_canned
from wpsgraph.store import OxigraphStore, open_store
from wpsgraph.synth import (
    EARLIER_STATUSES,
    FIRST_ID,
    STATUS_WEIGHTS,
    page,
    page_versions,
    write_corpus,
)

PARAMETERS = {
    "search": {"text": "roster"},
    "overdue-actions": {"as_of": "2025-06-30"},
    "status-history": {"evaluation": str(FIRST_ID)},
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_corpus(20, tmp_path_factory.mktemp("synth"), seed=7)


@pytest.fixture(scope="module")
def loaded(corpus: list[Path]) -> OxigraphStore:
    with open_store(None) as store:
        report = load_files(corpus, store)
        assert {f.outcome for f in report.files} <= {Outcome.OK, Outcome.WARNINGS}, [
            f.error for f in report.rejected
        ]
        yield store


def test_the_same_seed_writes_byte_identical_files(corpus: list[Path], tmp_path: Path) -> None:
    again = write_corpus(20, tmp_path, seed=7)
    assert [p.name for p in again] == [p.name for p in corpus]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(again, corpus, strict=True))


def test_another_seed_writes_other_files() -> None:
    assert page(FIRST_ID, seed=1) != page(FIRST_ID, seed=2)


def test_files_are_named_by_distinct_gate_ids(corpus: list[Path]) -> None:
    assert [p.name for p in corpus] == [f"gate-{FIRST_ID + i}.txt" for i in range(20)]


def test_every_file_loads_and_every_canned_query_answers(loaded: OxigraphStore) -> None:
    answered = {
        name: run_canned(loaded, query, PARAMETERS.get(name, {}))
        for name, query in discover().items()
    }
    assert answered["key-action-violation"].rows == []
    for name in (
        "actions-by-status",
        "overdue-actions",
        "partner-mentions",
        "open-actions-by-unit",
        "resource-conditional-actions",
        "response-categories",
        "deadlines-by-year",
    ):
        assert answered[name].rows, name


@pytest.mark.parametrize("name", sorted(discover()))
def test_pages_of_every_canned_query_add_up_to_its_rows(loaded: OxigraphStore, name: str) -> None:
    # Pages are stable only if the query's ORDER BY orders every row: on 20 varied pages.
    query, params = discover()[name], PARAMETERS.get(name, {})
    every_row = canned_results(loaded, query, params, "csv").splitlines()
    pages = [
        canned_results(loaded, query, {**params, "limit": "7", "offset": str(offset)}, "csv")
        for offset in range(0, len(every_row), 7)
    ]
    assert every_row[1:] == [row for data in pages for row in data.splitlines()[1:]]


def test_distributions_are_roughly_as_designed() -> None:
    pages = [page(FIRST_ID + i, seed=0) for i in range(300)]
    statuses = Counter(
        m.group(1)
        for text in pages
        for m in re.finditer(r" \d{4}/\d{2} (" + "|".join(STATUS_WEIGHTS) + r")\b", text)
    )
    total = sum(statuses.values())
    weights = sum(STATUS_WEIGHTS.values())
    for status, weight in STATUS_WEIGHTS.items():
        if status == "Initiated":
            continue  # "Overdue-Initiated" and "Not Initiated" also end in it
        assert abs(statuses[status] / total - weight / weights) < 0.05, status
    recommendations = [text.count("\nRecommendation: ") for text in pages]
    assert 4 <= sum(recommendations) / len(recommendations) <= 6
    assert min(recommendations) >= 1 and max(recommendations) <= 9
    layouts = Counter("Home  Evaluations" in t for t in pages)
    assert 0.15 < layouts[True] / len(pages) < 0.35


# --- versions (synth --versions) -----------------------------------------------------------------

_ACTION = re.compile(r"^(?P<line>.*) (?P<deadline>\d{4}/\d{2}) (?P<status>" + "|".join(
    sorted(STATUS_WEIGHTS, key=len, reverse=True)) + r")\b", re.M)  # fmt: skip


def _actions(text: str) -> dict[str, tuple[str, str]]:
    """Each action line's text (up to its deadline) -> (deadline, status)."""
    return {m["line"]: (m["deadline"], m["status"]) for m in _ACTION.finditer(text)}


@pytest.fixture(scope="module")
def versioned(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_corpus(20, tmp_path_factory.mktemp("versions"), seed=7, versions=3)


def test_versions_are_dated_files_and_the_last_is_the_one_version_page(
    versioned: list[Path],
) -> None:
    assert len(versioned) == 60
    names = [p.name for p in versioned[:3]]
    assert all(re.fullmatch(rf"gate-{FIRST_ID}_\d{{4}}-\d{{2}}-\d{{2}}\.txt", n) for n in names)
    assert names == sorted(names)
    assert versioned[2].read_text("utf-8") == page(FIRST_ID, seed=7)


def test_versions_are_deterministic(versioned: list[Path], tmp_path: Path) -> None:
    again = write_corpus(20, tmp_path, seed=7, versions=3)
    assert [p.name for p in again] == [p.name for p in versioned]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(again, versioned, strict=True))


def test_progress_is_plausible() -> None:
    """Statuses only move forward along their ladder, some deadlines slip, some actions come and
    go; versions are six months apart."""
    moved = slipped = changed_lines = 0
    for offset in range(60):
        versions = page_versions(FIRST_ID + offset, 3, seed=0)
        days = [day for day, _ in versions]
        assert days == sorted(days) and len(set(days)) == 3
        states = [_actions(text) for _, text in versions]
        for earlier, later in pairwise(states):
            changed_lines += len(earlier.keys() ^ later.keys())
            for line in earlier.keys() & later.keys():
                (d1, s1), (d2, s2) = earlier[line], later[line]
                if s1 != s2:
                    ladder = (*EARLIER_STATUSES[s2], s2)
                    assert s1 in ladder and ladder.index(s1) < ladder.index(s2), (s1, s2)
                    moved += 1
                slipped += d2 > d1
                assert d2 >= d1, "a deadline only ever moves later"
    assert moved > 200 and slipped > 20 and changed_lines > 5


def test_a_versioned_corpus_loads_and_the_history_queries_answer(versioned: list[Path]) -> None:
    with open_store(None) as store:
        report = load_files(versioned, store)
        assert not report.rejected, [f.error for f in report.rejected]
        queries = discover()
        for name in ("deadline-slippage", "time-to-completion", "stale-actions"):
            assert run_canned(store, queries[name], {}).rows, name
        history = run_canned(store, queries["status-history"], {"evaluation": str(FIRST_ID)})
        assert len({str(r["observed"]) for r in history.rows}) == 3
