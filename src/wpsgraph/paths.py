"""Where the project's RDF resources (ontology, shapes, queries, data) live."""

from __future__ import annotations

import os
from pathlib import Path

# A built package carries the resources in wpsgraph/_project/ (setup.py copies them); an editable
# install reads them from the clone it was made from; WPSGRAPH_HOME points elsewhere.
_PACKAGED = Path(__file__).resolve().parent / "_project"
_CLONE = Path(__file__).resolve().parents[2]
PROJECT_ROOT = Path(os.environ.get("WPSGRAPH_HOME", _PACKAGED if _PACKAGED.is_dir() else _CLONE))
ONTOLOGY_DIR = PROJECT_ROOT / "ontology"
ONTOLOGY_FILE = ONTOLOGY_DIR / "wps.ttl"
SCHEMES_DIR = ONTOLOGY_DIR / "schemes"
REGISTER_DIR = ONTOLOGY_DIR / "register"
SHAPES_DIR = PROJECT_ROOT / "shapes"
QUERIES_DIR = PROJECT_ROOT / "queries"
DATA_DIR = PROJECT_ROOT / "data"
LINKED_DIR = DATA_DIR / "linked"  # other publishers' graphs the demo links (synthetic)


def default_store_dir() -> Path:
    """The embedded store used when no --store is given: $WPSGRAPH_STORE, else the XDG data dir."""
    if env := os.environ.get("WPSGRAPH_STORE"):
        return Path(env)
    data_home = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data_home) / "wpsgraph" / "store"
