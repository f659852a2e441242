"""Shared fixtures: the seed loaded once into an in-memory store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from wpsgraph.loader import LoadOptions, LoadReport, load_files
from wpsgraph.paths import DATA_DIR
from wpsgraph.store import OxigraphStore, open_store

SEED = DATA_DIR / "gate-11818.txt"
SEED_EVALUATION = "https://w3id.org/wpsgraph/eval/unwomen/gate-11818"
# The seed's observed day in shared fixtures: loads that compare stores record the same history.
SEED_OBSERVED = date(2026, 11, 27)


@pytest.fixture(scope="session")
def seed_store() -> Iterator[OxigraphStore]:
    with open_store(None) as store:
        report = load_files([SEED], store, LoadOptions(observed=SEED_OBSERVED))
        assert not report.rejected, report
        yield store


@pytest.fixture
def empty_store() -> Iterator[OxigraphStore]:
    with open_store(None) as store:
        yield store


def load_into(store: OxigraphStore, *paths: Path) -> LoadReport:
    return load_files(list(paths), store)
