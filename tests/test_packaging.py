"""A built wheel carries what a clone has: the vocabulary, shapes, canned queries and shipped
data (a publisher who pip-installs wpsgraph validates against the same shapes), and the query
page's editor; the installed package reads them from itself."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from wpsgraph.paths import PROJECT_ROOT

FOLDERS = ("ontology", "shapes", "queries", "data")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            str(PROJECT_ROOT),
            "-w",
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("wpsgraph-*.whl")
    return built


def test_the_wheel_carries_the_project_folders_file_for_file(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in FOLDERS:
        expected = {
            f"wpsgraph/_project/{p.relative_to(PROJECT_ROOT).as_posix()}"
            for p in (PROJECT_ROOT / folder).rglob("*")
            if p.is_file()
        }
        assert expected and expected <= names, folder


def test_the_wheel_carries_the_query_page_editor(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "wpsgraph/serve/static/vendor/yasgui/yasgui.min.js" in names


def test_an_installed_package_reads_its_own_copy(wheel: Path, tmp_path: Path) -> None:
    zipfile.ZipFile(wheel).extractall(tmp_path)
    shapes = subprocess.run(
        [sys.executable, "-c", "from wpsgraph.paths import SHAPES_DIR; print(SHAPES_DIR)"],
        env={"PYTHONPATH": str(tmp_path)},
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert Path(shapes) == tmp_path / "wpsgraph" / "_project" / "shapes"
