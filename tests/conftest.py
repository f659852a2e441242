"""Shared fixtures: the seed loaded once into an in-memory store, once into a store on disk
served by wpsgraph serve, and once into a real Oxigraph server through the remote store; and the
stores the golden canned-query tests run on (each of the three behind the Store protocol)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tests.servers import Running, oxigraph_server
from tests.serving import running_server
from wpsgraph.loader import LoadOptions, LoadReport, load_files
from wpsgraph.paths import DATA_DIR
from wpsgraph.serve.server import Server
from wpsgraph.store import OxigraphStore, Store, open_store

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


@pytest.fixture(scope="session", params=["embedded", "oxigraph-server", "wpsgraph-serve"])
def query_store(request: pytest.FixtureRequest) -> Iterator[Store]:
    """The seed behind the Store protocol, for tests that must hold on every backend (the golden
    canned-query answers, paging): compare lexical values, never engine-specific terms. The
    embedded store; a real Oxigraph server and a wpsgraph serve, each through the remote store
    (wpsgraph.remote), as `--endpoint URL` reaches them."""
    if request.param == "embedded":
        yield request.getfixturevalue("seed_store")
        return
    if request.param == "oxigraph-server":
        url = request.getfixturevalue("seed_oxigraph").query
    else:
        url = f"{request.getfixturevalue('seed_server').url}/sparql"
    with open_store(url, read_only=True) as store:
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
        assert not load_files([SEED], store, LoadOptions(observed=SEED_OBSERVED)).rejected
    return directory


@pytest.fixture(scope="session")
def seed_server(seed_store_dir: Path) -> Iterator[Server]:
    """wpsgraph serve over the seed, shared by the tests that do not meet its limits."""
    with running_server(seed_store_dir) as server:
        yield server


@pytest.fixture(scope="session")
def seed_oxigraph() -> Iterator[Running]:
    """A real Oxigraph server (in memory, on 127.0.0.1) holding the seed, loaded through the
    remote store as `wpsgraph load --endpoint` loads it. Tests only read it."""
    with oxigraph_server() as server:
        with open_store(server.query) as store:
            report = load_files([SEED], store, LoadOptions(observed=SEED_OBSERVED))
            assert not report.rejected, report
        yield server
