"""Shared fixtures: the seed loaded once into an in-memory store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from wpsgraph.loader import LoadReport, load_files
from wpsgraph.paths import DATA_DIR
from wpsgraph.store import OxigraphStore, open_store

SEED = DATA_DIR / "gate-11818.txt"
SEED_EVALUATION = "https://w3id.org/wpsgraph/eval/unwomen/gate-11818"


@pytest.fixture(scope="session")
def seed_store() -> Iterator[OxigraphStore]:
    with open_store(None) as store:
        report = load_files([SEED], store)
        assert not report.rejected, report
        yield store


@pytest.fixture
def empty_store() -> Iterator[OxigraphStore]:
    with open_store(None) as store:
        yield store


def load_into(store: OxigraphStore, *paths: Path) -> LoadReport:
    return load_files(list(paths), store)


@pytest.fixture(scope="session")
def seed_store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed loaded into a store on disk, for commands that open a store by its directory."""
    directory = tmp_path_factory.mktemp("seed") / "store"
    with open_store(directory) as store:
        assert not load_files([SEED], store).rejected
    return directory
