"""Shared fixtures: the seed loaded once into an in-memory store, and once into a real Oxigraph
server through the remote store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers import Running, oxigraph_server
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


@pytest.fixture(scope="session")
def seed_store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An on-disk embedded store holding the seed, for commands run with --store."""
    directory = tmp_path_factory.mktemp("seed") / "store"
    with open_store(directory) as store:
        assert not load_files([SEED], store).rejected
    return directory


@pytest.fixture
def empty_store() -> Iterator[OxigraphStore]:
    with open_store(None) as store:
        yield store


def load_into(store: OxigraphStore, *paths: Path) -> LoadReport:
    return load_files(list(paths), store)


@pytest.fixture(scope="session")
def seed_server() -> Iterator[Running]:
    """A real Oxigraph server (in memory, on 127.0.0.1) holding the seed, loaded through the
    remote store as `wpsgraph load --endpoint` loads it. Tests only read it."""
    with oxigraph_server() as server:
        with open_store(server.query) as store:
            report = load_files([SEED], store)
            assert not report.rejected, report
        yield server
