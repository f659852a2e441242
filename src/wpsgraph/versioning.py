"""Placing each loaded chunk's versions in their evaluations' histories (main process): which
graphs the chunk writes, and one line per version saying when it was observed and what changed
against the version before.

Per evaluation the store holds: its graph (the latest version, exactly as a single load writes
it), one graph per version (the version and the key actions it showed) and a history graph that
orders the versions (prov:wasRevisionOf) and records what follows from the order. A version is
new bytes: the same bytes again add no version (the latest version's bytes are read again into
the evaluation's graph). An older version loaded after a newer one adds its own graph and a new
order, and leaves the evaluation's graph alone."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from rdflib import URIRef

from wpsgraph.emit import emit_history, history_graph_iri
from wpsgraph.history import (
    Placement,
    Version,
    describe,
    describe_same_bytes,
    place,
    read_versions,
    with_actions,
)
from wpsgraph.store import Store, ntriples

if TYPE_CHECKING:  # the loader imports this module
    from wpsgraph.loader import Prepared

Write = tuple[URIRef, bytes]


class Recorder:
    """Reads what the store has recorded for a chunk's evaluations (two queries per chunk: the
    versions, then the key actions they showed) and decides what the chunk writes."""

    def __init__(self, store: Store | None, prepare_current: Callable[[Prepared], Prepared]):
        # store None: the store was empty when the load began, so nothing is recorded but what
        # this load writes, and a chunk holds every file of its evaluations.
        self.store = store
        self.prepare_current = prepare_current

    def record(self, chunk: list[Prepared]) -> list[Write]:
        """The graphs to write for a chunk. Fills in each accepted file's history line and
        triple count; a file whose full graph had to be built here may be rejected."""
        members: dict[URIRef, list[int]] = {}
        for index, item in enumerate(chunk):
            if item.version is not None:
                members.setdefault(item.version.evaluation, []).append(index)
        recorded = read_versions(self.store, members) if self.store is not None else {}
        placements = {
            evaluation: self._placed(chunk, indices, recorded.get(evaluation, []))
            for evaluation, indices in members.items()
        }
        # The history graph is recomputed from every version of an evaluation that gains one.
        recorded_versions = [
            version
            for placement in placements.values()
            if placement.added
            for version in placement.timeline
            if version.actions is None
        ]
        read = (
            with_actions(self.store, recorded_versions)
            if self.store is not None and recorded_versions
            else {}
        )
        writes: list[Write] = []
        for evaluation, placement in placements.items():
            writes += _writes(chunk, members[evaluation], placement.resolved(read))
        return writes

    def _placed(
        self, chunk: list[Prepared], indices: list[int], recorded: list[Version]
    ) -> Placement:
        """The chunk's versions placed among the recorded ones, once the file that is the
        latest version (new, or the same bytes as the recorded latest) has its full graph: a
        chunk builds it for the latest of its own files, but the store may hold versions that
        make another file the latest."""
        while True:
            new = [v for i in indices if (v := chunk[i].version) is not None]
            placement = place(recorded, new)
            index = _latest_file(chunk, indices, placement)
            if index is None or chunk[index].current is not None:
                return placement
            chunk[index] = self.prepare_current(chunk[index])


def _latest_file(chunk: list[Prepared], indices: list[int], placement: Placement) -> int | None:
    """The chunk's file holding the latest version's bytes, if any: its graph becomes (or, for
    bytes already recorded, is read again as) the evaluation's graph, so that a reload with a
    larger register or a better parser refreshes the current state without adding a version."""
    latest = placement.latest
    if latest is None:
        return None
    return next(
        (i for i in indices if (v := chunk[i].version) is not None and v.sha256 == latest.sha256),
        None,
    )


def _writes(chunk: list[Prepared], indices: list[int], placement: Placement) -> list[Write]:
    """A chunk's versions of one evaluation: the graphs to write, and their reports. A chunk
    prepared whole brings the history graph along; it serves when the order is the same."""
    by_sha = {v.sha256: i for i in indices if (v := chunk[i].version) is not None}
    writes: list[Write] = []
    for version in placement.added:
        item = chunk[by_sha[version.sha256]]
        assert item.version_graph is not None  # an accepted version has its graph
        writes.append(item.version_graph)
        item.report = replace(
            item.report,
            history=describe(version, placement),
            compared=placement.before(version) is not None,
            triples=item.version_triples,
        )
    for sha, recorded in placement.same_bytes.items():
        item = chunk[by_sha[sha]]
        item.report = replace(
            item.report, history=describe_same_bytes(recorded), compared=True, triples=0
        )
    latest = _latest_file(chunk, indices, placement)
    if latest is not None:
        item = chunk[latest]
        assert item.current is not None  # Recorder._placed built it
        writes.append(item.current)
        item.report.triples += item.current_triples
    if placement.added:
        order = tuple(v.iri for v in placement.timeline)
        ready = next((h for i in indices if (h := chunk[i].history) and h[0] == order), None)
        writes.append(ready[1] if ready else history_graph(placement.timeline))
    return writes


def history_graph(timeline: list[Version]) -> Write:
    """An evaluation's history graph, from all its versions in observed order."""
    return history_graph_iri(timeline[0].evaluation), ntriples(emit_history(timeline))
