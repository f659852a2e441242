"""Golden answers of the history queries on hand-written versions of two small pages
(tests/fixtures/history): gate-4242 observed on 2023-01-15, 2023-07-15 (file names) and 2024-07-20
(a SingleFile save date), gate-5151 on 2023-03-01 and 2024-03-01. Their columns, and their answers
on the one-version seed, are in tests/test_queries.py's GOLDEN."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.test_queries import GOLDEN
from wpsgraph.errors import QueryError
from wpsgraph.loader import Outcome, load_files
from wpsgraph.paths import PROJECT_ROOT
from wpsgraph.queries import discover, run_canned
from wpsgraph.store import OxigraphStore, open_store

QUERIES = discover()
HISTORY = PROJECT_ROOT / "tests" / "fixtures" / "history"
EV = "https://w3id.org/wpsgraph/eval/unwomen/gate-4242"
TITLE = "Evaluation of the women mediators programme"
OTHER_TITLE = "Evaluation of the local peace committees project"


@pytest.fixture(scope="module")
def history_store() -> Iterator[OxigraphStore]:
    with open_store(None) as store:
        report = load_files([HISTORY], store)
        assert {f.outcome for f in report.files} == {Outcome.OK}, report
        yield store


def rows(store: OxigraphStore, name: str, **params: str) -> list[tuple[str, ...]]:
    result = run_canned(store, QUERIES[name], params)
    return [tuple("" if r[v] is None else str(r[v]) for v in result.variables) for r in result.rows]


def columns(store: OxigraphStore, name: str, **params: str) -> list[str]:
    return run_canned(store, QUERIES[name], params).variables


def action(rec: int, n: int, evaluation: str = EV) -> str:
    return f"{evaluation}/rec/{rec}/action/{n}"


def test_deadline_slippage(history_store: OxigraphStore) -> None:
    assert columns(history_store, "deadline-slippage") == list(GOLDEN["deadline-slippage"].columns)
    assert rows(history_store, "deadline-slippage") == [
        (EV, "4242", TITLE, action(1, 1), "1", "1", "2023-06", "2023-12", "6", "2023-07-15",
         "2024-07-20"),
        (EV, "4242", TITLE, action(2, 2), "2", "2", "2025-06", "2025-12", "6", "2023-01-15",
         "2023-07-15"),
    ]  # fmt: skip


def test_status_history_of_one_action(history_store: OxigraphStore) -> None:
    named = columns(history_store, "status-history", evaluation="4242", action="2.2")
    assert named == list(GOLDEN["status-history"].columns)
    expected = [
        ("4242", TITLE, action(2, 2), "2", "2", "2023-01-15", "Not Initiated", "2025-06", "",
         "gate-4242_2023-01-15.txt", "file-name"),
        ("4242", TITLE, action(2, 2), "2", "2", "2023-07-15", "Not Initiated", "2025-12", "",
         "gate-4242_2023-07-15.txt", "file-name"),
        ("4242", TITLE, action(2, 2), "2", "2", "2024-07-20", "No Longer Applicable", "2025-12",
         "Funding withdrawn.", "gate-4242.html", "save-date"),
    ]  # fmt: skip
    assert rows(history_store, "status-history", evaluation="4242", action="2.2") == expected
    assert rows(history_store, "status-history", evaluation="4242", action="2.9") == []


def test_status_history_needs_the_evaluation(history_store: OxigraphStore) -> None:
    with pytest.raises(QueryError, match="parameter 'evaluation' is required"):
        rows(history_store, "status-history", action="2.2")


def test_status_history_of_one_evaluation(history_store: OxigraphStore) -> None:
    found = rows(history_store, "status-history", evaluation="4242")
    assert [(r[3], r[4], r[5], r[6]) for r in found] == [
        ("1", "1", "2023-01-15", "Not Initiated"),
        ("1", "1", "2023-07-15", "Initiated"),
        ("1", "1", "2024-07-20", "Initiated"),
        ("1", "2", "2023-01-15", "Initiated"),
        ("1", "2", "2023-07-15", "Completed"),
        ("1", "2", "2024-07-20", "Completed"),
        ("1", "3", "2023-01-15", "Not Initiated"),  # dropped by the 2024 version
        ("1", "3", "2023-07-15", "Initiated"),
        ("2", "1", "2023-01-15", "Initiated"),
        ("2", "1", "2023-07-15", "Initiated"),
        ("2", "1", "2024-07-20", "Initiated"),
        ("2", "2", "2023-01-15", "Not Initiated"),
        ("2", "2", "2023-07-15", "Not Initiated"),
        ("2", "2", "2024-07-20", "No Longer Applicable"),
        ("2", "3", "2024-07-20", "Not Initiated"),  # added by the 2024 version
    ]
    assert len(rows(history_store, "status-history", evaluation="5151")) == 4  # 2 actions x 2
    assert rows(history_store, "status-history", evaluation="9999") == []


def test_time_to_completion(history_store: OxigraphStore) -> None:
    assert columns(history_store, "time-to-completion") == list(
        GOLDEN["time-to-completion"].columns
    )
    # 4242 1.2: first seen 2023-01-15, completed 2023-07-15 (6 months); 5151 1.1: 2023-03-01 to
    # 2024-03-01 (12 months); 5151 1.2 was completed when first seen and does not count.
    assert rows(history_store, "time-to-completion") == [
        ("office type", "Country office", "1", "12", "12", "12"),
        ("office type", "Headquarters", "1", "6", "6", "6"),
        ("thematic area", "Peace and security", "1", "6", "6", "6"),
        ("thematic area", "Women's economic empowerment", "1", "12", "12", "12"),
    ]


def test_stale_actions(history_store: OxigraphStore) -> None:
    assert columns(history_store, "stale-actions") == list(GOLDEN["stale-actions"].columns)
    # 2.1 has been Initiated since the first version, deadline 2022-12; 1.1 since the second,
    # deadline moved to 2023-12; both still open when the 2024-07-20 version was saved.
    stale = [
        (EV, "4242", TITLE, action(2, 1), "2", "1", "Initiated", "2022-12", "2023-01-15",
         "2024-07-20", "18"),
        (EV, "4242", TITLE, action(1, 1), "1", "1", "Initiated", "2023-12", "2023-07-15",
         "2024-07-20", "12"),
    ]  # fmt: skip
    assert rows(history_store, "stale-actions") == stale  # default: 12 months
    assert rows(history_store, "stale-actions", months="13") == stale[:1]
    assert rows(history_store, "stale-actions", months="19") == []
