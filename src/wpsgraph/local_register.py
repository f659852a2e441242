"""A user's own register files (`wpsgraph load --register FILE`): the names of units, roles and
partners the shipped register lacks, kept beside the store and grown from the evidence of the
`unresolved-parties` query, without editing the pages or the project's register.

They are read with the shipped register when pages are parsed (so the names they give link), and
written to the store's local-register graph (so queries see the actors and their labels). Each
file is checked before anything is written: Turtle, the register's form (register.RegisterFile)
and the shapes; any fault is one SourceError naming the file and line.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, URIRef

from wpsgraph.emit import LOCAL_REGISTER_GRAPH
from wpsgraph.register import Register, RegisterFile
from wpsgraph.validate import validate_graph


@lru_cache(maxsize=4)
def register_files(files: tuple[Path, ...]) -> tuple[RegisterFile, ...]:
    """The local register files, each read and parsed once a process: the register and the
    store's graph are both made from them."""
    return tuple(RegisterFile.read(path) for path in files)


@lru_cache(maxsize=4)
def load_register(files: tuple[Path, ...] = ()) -> Register:
    """The shipped register, with the names the local files add."""
    return Register.from_files(register_files(files))


@lru_cache(maxsize=4)
def local_register_graph(files: tuple[Path, ...]) -> Graph:
    """The triples of the local register files, checked against the shapes."""
    entries = register_files(files)
    graph = Graph()
    for entry in entries:
        graph += entry.graph
    _check(graph, entries)
    return graph


def local_register_graphs(files: Sequence[Path]) -> dict[URIRef, Graph]:
    """The store graph the local register files fill: none when no file is given."""
    if not files:
        return {}
    return {LOCAL_REGISTER_GRAPH: local_register_graph(tuple(files))}


def _check(graph: Graph, entries: Sequence[RegisterFile]) -> None:
    """The shapes' verdict on the local actors (a slug an IRI can hold, one prefLabel per
    language ...): the first violation, located at the line that names its actor."""
    violations = validate_graph(graph).violations
    if not violations:
        return
    first = violations[0]
    owner = next((e for e in entries if (URIRef(first.focus), None, None) in e.graph), entries[0])
    raise owner.error(first.focus, f"{first.message} (<{first.focus}>)")
